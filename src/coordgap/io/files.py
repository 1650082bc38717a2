"""Safe access to the files of a case folder or proposal: the folder is the boundary.

Case folders and proposals come from other people, so every file is read here,
with limits (docs/security.md):

* only regular files inside the folder are read; a symbolic link that leaves
  it is refused unless `allow_outside_files` is set (`--allow-outside-files`);
  a broken link, a link loop, a folder or a device where a file should be is a
  problem naming it, never an empty table;
* files have a size limit (`max_csv_bytes`, `max_yaml_bytes`; `--max-file-size`);
* YAML is loaded safely (no tags that build objects) and bounded: nesting depth
  (`max_yaml_depth`) and what aliases may expand to (`max_yaml_alias_nodes`),
  so a "billion laughs" file is one clear problem with its line;
* a CSV field may hold up to `max_field_chars` characters (`--max-field-size`):
  a row over it, a row that is not UTF-8 or not valid CSV is one unreadable row
  with its line; the rest of the table is read;
* table files are found case-insensitively (`communications.CSV`, part files
  `communications/part-b.Csv`), and a file whose name is close to an expected
  one (`communications.cvs`, `decisions.yml`) is a problem, since its records
  would otherwise be lost silently; other unknown files are warnings.

Nothing here knows the models: it hands text, rows and line-numbered data to
io/loader.py and io/proposal.py. Writing is here too: `write_atomically` puts
every output file in place by renaming a complete temporary file.
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import io
import os
import re
import stat
import tempfile
from collections import Counter
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from ..errors import Problem

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much coordgap reads from untrusted files (defaults documented in docs/security.md)."""

    max_csv_bytes: int = 1024 * MB  # one CSV file
    max_yaml_bytes: int = 64 * MB  # one YAML file
    max_field_chars: int = 16 * MB  # one CSV cell (a long quote or summary)
    max_yaml_depth: int = 100  # mappings and lists nested in each other
    max_yaml_alias_nodes: int = 1_000_000  # nodes all aliases of one YAML file may stand for
    max_bad_rows: int = 1000  # unreadable rows listed per CSV file before the rest is given up
    allow_outside_files: bool = False  # read symbolic links that leave the folder


_LIMITS: ContextVar[Limits] = ContextVar("coordgap_limits", default=Limits())


def limits() -> Limits:
    """The limits in force (the defaults unless `set_limits` or `using` changed them)."""
    return _LIMITS.get()


def set_limits(new: Limits) -> None:
    """Use these limits from now on in this context (the CLI sets them from its options)."""
    _LIMITS.set(new)


@contextlib.contextmanager
def using(**changes: Any) -> Iterator[Limits]:
    """`with using(max_field_chars=50 * MB): ...` changes limits for a block."""
    token = _LIMITS.set(replace(limits(), **changes))
    try:
        yield limits()
    finally:
        _LIMITS.reset(token)


def _size(n: int) -> str:
    return f"{n / MB:g} MB" if n >= MB else f"{n:,} bytes"


# ------------------------------------------------------- the folder boundary ----
def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def check_file(path: Path, label: str, root: Path | tuple[Path, ...] | None, what: str = "file") -> Problem | None:
    """Why path cannot be read as a regular file inside root (None when it can).

    root: the folder (or folders) the file must lie in once links are followed;
    None for a file named by the user, where only "is it a regular file" applies.
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return Problem(label, None, None, "no such file")
    except OSError as exc:
        return Problem(label, None, None, f"cannot read: {exc.strerror or 'not accessible'}")
    link = stat.S_ISLNK(st.st_mode)
    if link:
        try:
            target = Path(os.readlink(path))
        except OSError:
            target = Path("?")
        try:
            real = path.resolve(strict=True)
        except FileNotFoundError:
            return Problem(label, None, None, f"is a broken link (it points to {str(target)!r}, which does not exist)")
        except (RuntimeError, OSError):
            return Problem(label, None, None, "is a symbolic link that loops (it never reaches a file)")
    else:
        real = path.resolve()
    roots = (root,) if isinstance(root, Path) else (root or ())
    if roots and not limits().allow_outside_files and not any(_inside(real, r.resolve()) for r in roots):
        where = "a symbolic link to a place outside the folder" if link else "outside the folder"
        return Problem(label, None, None, f"is {where}: refused (pass --allow-outside-files to read it)")
    try:
        st = os.stat(path)
    except OSError as exc:
        return Problem(label, None, None, f"cannot read: {exc.strerror or 'not accessible'}")
    if stat.S_ISDIR(st.st_mode):
        return Problem(label, None, None, f"is a folder, not a {what}")
    if not stat.S_ISREG(st.st_mode):
        return Problem(label, None, None, f"is not a regular file (a device, pipe or socket), not a {what}")
    return None


def read_bytes(path: Path, label: str, root: Path | None, max_bytes: int, what: str = "file"
               ) -> tuple[bytes | None, Problem | None]:
    """The bytes of a regular file inside root, at most max_bytes; else (None, the problem)."""
    problem = check_file(path, label, root, what)
    if problem is not None:
        return None, problem
    try:
        # O_NONBLOCK: a pipe swapped in after the check cannot make the open hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return None, Problem(label, None, None, f"cannot read: {exc.strerror or 'not accessible'}")
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            return None, Problem(label, None, None, f"is not a regular file, not a {what}")
        if st.st_size > max_bytes:
            return None, Problem(label, None, None, f"is {_size(st.st_size)}, over the limit of {_size(max_bytes)} "
                                                    "per file (--max-file-size)")
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        return None, Problem(label, None, None, f"is over the limit of {_size(max_bytes)} per file (--max-file-size)")
    return data, None


def _decode_problem(data: bytes, label: str, exc: UnicodeDecodeError) -> Problem:
    line = data.count(b"\n", 0, exc.start) + 1
    return Problem(label, line, None, f"not UTF-8 text (byte 0x{data[exc.start]:02x})")


def read_text(path: Path, label: str, root: Path | None, max_bytes: int | None = None, what: str = "file"
              ) -> tuple[str | None, list[Problem]]:
    """The UTF-8 text of a file (read as `read_bytes` does); (None, problems) when it cannot be read."""
    data, problem = read_bytes(path, label, root, limits().max_yaml_bytes if max_bytes is None else max_bytes, what)
    if problem is not None:
        return None, [problem]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        return None, [_decode_problem(data, label, exc)]


# ------------------------------------------------------------------ YAML ----
RESERVED_KEYS = ("__line__", "__lines__")


class YamlLimitError(yaml.YAMLError):
    def __init__(self, message: str, mark):
        super().__init__(message)
        self.problem_mark = mark


class _BoundedComposer(Composer):
    """PyYAML's composer with a depth limit and a budget for what aliases expand to.

    An alias stands for its whole anchored node: nine aliases of nine aliases
    ... are a billion nodes once anything walks them. Each alias spends the
    size of its node from the budget, so such a file stops at its first line
    over it, before anything is built.
    """

    def _bounds_init(self) -> None:
        self._depth = 0
        self._alias_nodes = 0
        self._sizes: dict[int, int] = {}
        self._limits = limits()

    def _node_size(self, node) -> int:
        """Nodes under node (itself included), counting each alias in full; memoised, no recursion."""
        sizes, open_ = self._sizes, set()
        stack = [(node, False)]
        while stack:
            n, post = stack.pop()
            kids = ([c for kv in n.value for c in kv] if isinstance(n, yaml.MappingNode)
                    else n.value if isinstance(n, yaml.SequenceNode) else ())
            if post:
                sizes[id(n)] = 1 + sum(sizes[id(k)] for k in kids)
                open_.discard(id(n))
                continue
            if id(n) in sizes:
                continue
            if id(n) in open_:
                raise YamlLimitError("an alias (*name) refers to a node that contains it: refused", n.start_mark)
            open_.add(id(n))
            stack.append((n, True))
            stack.extend((k, False) for k in kids if id(k) not in sizes)
        return sizes[id(node)]

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) and event.anchor in self.anchors:
            self._alias_nodes += self._node_size(self.anchors[event.anchor])
            if self._alias_nodes > self._limits.max_yaml_alias_nodes:
                raise YamlLimitError(
                    f"aliases (*name) expand to more than {self._limits.max_yaml_alias_nodes:,} nodes: "
                    "refused (a 'billion laughs' file?)", event.start_mark)
        self._depth += 1
        if self._depth > self._limits.max_yaml_depth:
            raise YamlLimitError(f"nested more than {self._limits.max_yaml_depth} levels deep: refused",
                                 event.start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _LineConstructor(SafeConstructor):
    """Safe construction that remembers each mapping's line and refuses duplicate and reserved keys."""

    def construct_mapping(self, node, deep=False):
        keys = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
        for key, n in Counter(keys).items():
            if n > 1:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r} in one mapping",
                                                        node.start_mark)
        for k, _ in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value in RESERVED_KEYS:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {k.value!r} is reserved (coordgap keeps line numbers under it): rename it",
                    k.start_mark)
        mapping = super().construct_mapping(node, deep=True)
        mapping["__line__"] = node.start_mark.line + 1
        mapping["__lines__"] = {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
        return mapping


# Dates and timestamps stay text: the models parse them with their precision.
_LineConstructor.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)

try:  # libyaml's parser (fast), with the bounded composer above it
    from yaml._yaml import CParser as _Parser  # type: ignore[import-not-found]

    def _parser_init(self, stream):
        _Parser.__init__(self, stream)
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.parser import Parser as _Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, _Parser):  # type: ignore[no-redef]
        pass

    def _parser_init(self, stream):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


class BoundedLoader(_BoundedComposer, _Parser, _LineConstructor, Resolver):
    """A safe YAML loader that keeps lines (`__line__`, `__lines__`) and stops at the limits."""

    def __init__(self, stream):
        _parser_init(self, stream)
        Composer.__init__(self)
        _LineConstructor.__init__(self)
        Resolver.__init__(self)
        self._bounds_init()


class BoundedComposeLoader(_BoundedComposer, _Parser, SafeConstructor, Resolver):
    """The same limits for composing nodes only (line indexes of proposals)."""

    def __init__(self, stream):
        _parser_init(self, stream)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self._bounds_init()


def _yaml_problem(exc: yaml.YAMLError, label: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark else None
    msg = " ".join(str(exc).split()) if isinstance(exc, YamlLimitError) else " ".join(
        str(getattr(exc, "problem", None) or exc).split())
    context = getattr(exc, "context", None)
    if context and not isinstance(exc, YamlLimitError):
        msg = f"{' '.join(str(context).split())}: {msg}"
    if "exceeded maximum nesting depth" in msg:  # newer libyaml stops deep nesting before our composer does
        msg = f"nested more than {limits().max_yaml_depth} levels deep: refused"
    if "could not determine a constructor" in msg:
        msg = "YAML tags that build objects are not allowed (safe loading): " + msg
    return Problem(label, line, None, msg)


def load_yaml(text: str, label: str) -> tuple[Any, list[Problem]]:
    """Parse YAML text with the limits; (data with line marks, []) or (None, [the problem])."""
    try:
        loader = BoundedLoader(text)
        try:
            return loader.get_single_data(), []
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        return None, [_yaml_problem(exc, label)]
    except RecursionError:  # a limit above Python's own stack was configured
        return None, [Problem(label, None, None, "nested too deeply to read")]


def compose_yaml(text: str) -> yaml.Node | None:
    """The node tree of YAML text, with the same limits (raises yaml.YAMLError at one)."""
    loader = BoundedComposeLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def read_yaml(path: Path, label: str, root: Path | None) -> tuple[Any, list[Problem]]:
    """Read and parse one YAML file inside root; (data, []) or (None, problems)."""
    text, problems = read_text(path, label, root, limits().max_yaml_bytes, "YAML file")
    if text is None:
        return None, problems
    return load_yaml(text, label)


# ------------------------------------------------------------------- CSV ----
@dataclass
class CsvRows:
    """A CSV file as read: its header, the rows read (line, cells), the rows that could not be
    read (line, why), and problems of the whole file (header is then [])."""

    header: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    unreadable: list[tuple[int, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unread: bool = False  # the file, or its rest, could not be read (it holds records not listed)
    # With read_csv(columns=True), a clean file comes back as one text column per header cell
    # (pyarrow arrays) instead of rows; its data rows are lines 2, 3, ... (see _arrow_csv).
    columns: list | None = None


_SURROGATE = re.compile("[\udc80-\udcff]")


def _not_utf8(cells: list[str]) -> bool:
    return any(_SURROGATE.search(cell) for cell in cells)


def _quotes_strict(data: bytes) -> bool:
    """Whether every quote of data sits where Python's csv module (strict) and pyarrow read it
    alike: opening a field (after a comma, a line break or the start), closing it (before a
    comma or a line break), or doubled inside it; and no quoted field spans a line break.
    Python refuses `"ab"c`, which pyarrow reads as `abc`; a quote inside an unquoted field
    (`ab"c`, valid for both) is also answered False here: the row reader then reads the file.

    With quotes only in quoted fields, a position is inside one exactly when an odd number of
    quotes precede it on its line, so the checks are on the quotes' positions, by numpy,
    a block of lines at a time (the quotes of a million-row table do not all sit in memory)."""
    import numpy as np

    block = 8 * MB
    start = 0
    while start < len(data):
        end = data.find(b"\n", min(start + block, len(data)) - 1)
        end = len(data) if end < 0 else end + 1
        chunk = np.frombuffer(data, np.uint8, end - start, start)
        quotes = np.flatnonzero(chunk == 34)
        if len(quotes):
            lines = np.flatnonzero(chunk == 10)
            if np.any(np.searchsorted(quotes, lines) % 2) or len(quotes) % 2:
                return False  # a line break inside quotes, or a quote never closed
            opening, closing = quotes[0::2], quotes[1::2]
            before = chunk[np.maximum(opening - 1, 0)]
            ok_open = (opening == 0) | (before == 44) | (before == 10) | (before == 34)
            after = chunk[np.minimum(closing + 1, len(chunk) - 1)]
            ok_close = (closing == len(chunk) - 1) | (after == 44) | (after == 13) | (after == 10) | (after == 34)
            if not (ok_open.all() and ok_close.all()):
                return False
        start = end
    return True


def _arrow_csv(data: bytes, lim: Limits) -> tuple[list[str], list] | None:
    """A clean CSV file parsed by pyarrow (C++, both cores): its header and one text column per
    header cell; None when the file is anything but clean, so that read_csv's row-by-row reader
    reads it and names every bad row as before. Clean means: UTF-8, every record on its own
    line (no quoted line break, no blank line, no lone carriage return, so record k is line
    k + 1), every row as long as the header, no cell over max_field_chars, and every quoted
    field closed right before a comma or the end of its line. On such a file both readers give
    the same cells (tests/test_csv_columns.py checks this on generated files)."""
    import pyarrow as pa
    import pyarrow.csv as pv

    data = data.removeprefix(b"\xef\xbb\xbf")
    if not data or (b"\r" in data and data.count(b"\r") != data.count(b"\r\n")):
        return None
    if b'"' in data and not _quotes_strict(data):
        return None
    first = data.split(b"\n", 1)[0].removesuffix(b"\r")
    try:
        header = next(csv.reader([first.decode("utf-8")], strict=True))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return None
    names = [f"f{i}" for i in range(len(header))]
    try:
        table = pv.read_csv(
            pa.BufferReader(data),
            read_options=pv.ReadOptions(column_names=names, block_size=16 * MB),
            parse_options=pv.ParseOptions(newlines_in_values=True, ignore_empty_lines=True),
            convert_options=pv.ConvertOptions(column_types={n: pa.string() for n in names}, null_values=[],
                                              strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError):
        return None  # a row of another length, bytes that are not UTF-8, ...
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if table.num_rows != lines or table.num_rows == 0:
        return None  # a record spread over lines, or a blank line: the row reader counts lines
    import pyarrow.compute as pc

    columns = [table.column(i) for i in range(table.num_columns)]
    if len(data) > lim.max_field_chars and any(  # bytes first: a cell has no more characters than bytes
            pc.max(pc.binary_length(c)).as_py() > lim.max_field_chars
            and pc.max(pc.utf8_length(c)).as_py() > lim.max_field_chars for c in columns):
        return None
    if [c[0].as_py() for c in columns] != header:
        return None  # cannot happen for a clean file; the row reader decides if it does
    return [h.strip() for h in header], [c.slice(1) for c in columns]


def read_csv(path: Path, label: str, root: Path | None, columns: bool = False) -> CsvRows:
    """Read a CSV file row by row: a bad row is one unreadable row with its line, never a lost table.

    columns=True: a clean file (see _arrow_csv) is read by pyarrow into `CsvRows.columns`
    instead, about ten times faster; any other file is read row by row as always."""
    lim = limits()
    out = CsvRows()
    data, problem = read_bytes(path, label, root, lim.max_csv_bytes, "CSV file")
    if problem is not None:
        out.problems.append(problem)
        out.unread = True
        return out
    if columns:
        fast = _arrow_csv(data, lim)
        if fast is not None:
            out.header, out.columns = fast
            return out
    # Undecodable bytes are kept as surrogates so that only their rows are refused.
    text = data.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
    csv.field_size_limit(max(csv.field_size_limit(), min(len(text) + 1, 2**31 - 1)))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    # Fast paths: most files have no undecodable byte, and no field longer than the whole file.
    check_utf8 = _SURROGATE.search(text) is not None
    check_long = len(text) > lim.max_field_chars
    header: list[str] | None = None
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            what = str(exc)
            if "unexpected end of data" in what:
                what = "a quoted field is never closed"
            if header is None:
                out.problems.append(Problem(label, start, None, f"cannot read the header: not valid CSV ({what})"))
                out.unread = True
                return out
            out.unreadable.append((start, f"row not read: not valid CSV ({what})"))
            if len(out.unreadable) >= lim.max_bad_rows:
                out.problems.append(Problem(label, reader.line_num + 1, None,
                                            f"reading stopped: {lim.max_bad_rows} unreadable rows (is this a CSV file?)"))
                out.unread = True
                break
            continue
        if header is None:
            if _not_utf8(row):
                out.problems.append(Problem(label, start, None, "the header is not UTF-8 text"))
                out.unread = True
                return out
            header = [h.strip() for h in row]
            continue
        if not row:
            continue
        long = [i for i, cell in enumerate(row) if len(cell) > lim.max_field_chars] if check_long else []
        if check_utf8 and _not_utf8(row):
            out.unreadable.append((start, "row not read: not UTF-8 text"))
        elif long:
            i = long[0]
            name = header[i] if i < len(header) else f"cell {i + 1}"
            out.unreadable.append((start, f"row not read: {name} holds {len(row[i]):,} characters, over the limit "
                                          f"of {lim.max_field_chars:,} (--max-field-size)"))
        elif len(row) != len(header):
            out.unreadable.append((start, f"has {len(row)} cells, the header has {len(header)}"))
        else:
            out.rows.append((start, row))
    if header is None:
        out.problems.append(Problem(label, None, None, "file is empty: a header row is required"))
        return out
    out.header = header
    return out


# ------------------------------------------------------- the case folder ----
def _entries(folder: Path) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError:
        return []


def table_files(folder: Path, stem: str, root: Path) -> tuple[list[Path], list[Problem]]:
    """The CSV files of one table (`stem.csv`, any case of `.csv`, and part files in `stem/`),
    and problems for entries that stand where one should but cannot be read."""
    files: list[Path] = []
    problems: list[Problem] = []

    def label(p: Path) -> str:
        return str(p.relative_to(root))

    for entry in _entries(folder):
        p = Path(entry.path)
        if entry.name.lower() == f"{stem}.csv":
            problem = check_file(p, label(p), root, "CSV file")
            (problems.append(problem) if problem else files.append(p))
        elif entry.name == stem:
            problem = check_file(p, label(p), root, "file")
            if problem is not None and "is a folder" not in problem.message:
                problems.append(problem)
                continue
            if not _inside(p.resolve(), root.resolve()) and not limits().allow_outside_files:
                problems.append(Problem(label(p), None, None, "is a symbolic link to a place outside the folder: "
                                                              "refused (pass --allow-outside-files to read it)"))
                continue
            if not p.is_dir():
                continue
            for part in _entries(p):
                q = Path(part.path)
                if q.suffix.lower() == ".csv":
                    problem = check_file(q, label(q), root, "CSV file")
                    (problems.append(problem) if problem else files.append(q))
    return files, problems


# Names a case folder may hold besides its tables (never warned about). `ingest` is the folder
# `coordgap ingest` writes its report, locators and review file into (docs/ingesting.md).
_DOCUMENTS = ("readme", "license", "licence", "notice", "changelog", "conclusions.yaml", "proposals", "ingest")
_BACKUP_ENDINGS = ("~", ".bak", ".orig", ".old", ".swp")


def survey_case_folder(folder: Path, expected: list[str], extra: set[str] = frozenset()
                       ) -> tuple[list[Problem], list[str]]:
    """Files of a case folder the loader does not read: (problems for names close to an expected
    one, which would otherwise lose their records silently; warnings for the others).

    expected: the file names a case may hold (`communications.csv`, `communications`, ...).
    extra: other names the case itself refers to (its sources' paths).
    """
    problems: list[Problem] = []
    warnings: list[str] = []
    lower = {e.lower(): e for e in expected}
    for entry in _entries(folder):
        name = entry.name
        low = name.lower()
        known = name in expected or (low.endswith(".csv") and low in lower)  # table files: any case of .csv
        if name.startswith(".") or known or name in extra or low.startswith(_DOCUMENTS):
            continue
        if low.endswith(_BACKUP_ENDINGS):
            warnings.append(f"{name}: not a file coordgap reads (a backup?); ignored")
            continue
        close = difflib.get_close_matches(low, list(lower), n=1, cutoff=0.8)
        stem_match = [e for e in expected if Path(e).stem.lower() == Path(low).stem and "." in e]
        match = lower[close[0]] if close else (stem_match[0] if stem_match else None)
        if match is not None:
            problems.append(Problem(name, None, None, f"not read: the name is close to {match!r}, which the case "
                                                      f"would read: rename it (or remove it)"))
        else:
            warnings.append(f"{name}: not a file coordgap reads; ignored")
    return problems, warnings


# ------------------------------------------------------------- writing ----
def _write_temp(path: Path, data: bytes) -> Path:
    """A complete, flushed temporary copy of data beside path."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def write_atomically(outputs: dict[Path, bytes | str]) -> list[Path]:
    """Write every file, or none: each goes to a temporary file in its own folder, and only when
    all are complete are they renamed over the old ones. An interrupted run or a full disk leaves
    the previous files intact; a symbolic link at an output path is replaced, never written through."""
    temps: dict[Path, Path] = {}
    try:
        for path, data in outputs.items():
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            temps[path] = _write_temp(path, data.encode("utf-8") if isinstance(data, str) else data)
        for path, tmp in temps.items():
            os.replace(tmp, path)  # replaces a symlink itself, not its target
            with contextlib.suppress(OSError):
                os.chmod(path, 0o666 & ~_umask())
    finally:
        for tmp in temps.values():
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return list(temps)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


__all__ = [
    "MB", "CsvRows", "Limits", "replace", "check_file", "compose_yaml", "limits", "load_yaml", "read_bytes", "read_csv",
    "read_text", "read_yaml", "set_limits", "survey_case_folder", "table_files", "using", "write_atomically",
]
