"""Read a case folder into a validated Case, or say exactly what is wrong.

Every record read ends up in the case or in the list of problems with its
file, line and field: nothing is dropped silently. Reading is lenient
(`read_case` returns the good records and the problems); `load_case` is the
strict front door that raises when anything is wrong.
"""

from __future__ import annotations

import os
import typing
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd
import pandera.errors as pa_errors
from pydantic import BaseModel, ValidationError

from ..collector import collector_paused
from ..errors import InvalidInputError, Problem, UnusablePathError, plain_message
from ..model.case import (
    Actor,
    Agreement,
    Case,
    CaseMeta,
    Collaboration,
    Communication,
    Decision,
    Evidence,
    Flow,
    Interface,
    Procedure,
    Rejected,
    Stakeholder,
)
from ..model.conclusions import Conclusion
from ..model.dates import why_not as why_not_a_date
from . import files, records, tables
from .columns import COMMUNICATION_COLUMNS, TEXT_COLUMNS, TableColumns

CASE_FILE = "case.yaml"

CSV_MODELS: dict[str, type[BaseModel]] = {
    "stakeholders": Stakeholder,
    "actors": Actor,
    "evidence": Evidence,
    "communications": Communication,
    "procedures": Procedure,
    "agreements": Agreement,
}
# file stem -> (top-level key, model)
YAML_MODELS: dict[str, tuple[str, type[BaseModel]]] = {
    "decisions": ("decisions", Decision),
    "flows": ("flows", Flow),
    "interfaces": ("interfaces", Interface),
    "collaborations": ("collaborations", Collaboration),
    "conclusions": ("conclusions", Conclusion),  # optional; checked by io/conclusions.py
}


# ---------------------------------------------------------------- YAML ----
# The safe, bounded, line-keeping YAML loader is files.BoundedLoader (io/files.py).


def strip_lines(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: strip_lines(v) for k, v in obj.items() if k not in ("__line__", "__lines__")}
    if isinstance(obj, list):
        return [strip_lines(v) for v in obj]
    return obj


def _line_at(raw: Any, loc: tuple) -> int | None:
    """The line of the deepest mapping on the path loc (pydantic's error location)."""
    line = raw.get("__line__") if isinstance(raw, dict) else None
    node = raw
    for part in loc:
        if isinstance(node, dict) and part in node.get("__lines__", {}):
            line = node["__lines__"][part]  # the line of the key itself
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and "__line__" in node:
            line = node["__line__"]
    return line


def read_yaml(path: Path, label: str, root: Path | None = None) -> tuple[Any, list[Problem]]:
    """Read one YAML file inside root (default: its own folder) with the limits of io/files.py."""
    return files.read_yaml(path, label, path.parent if root is None else root)


# ----------------------------------------------------------------- CSV ----
@dataclass
class _Rows:
    """The rows of one table that passed its schema, with where each came from, and those that did not."""

    frame: pd.DataFrame
    where: list[tuple[str, int]] = field(default_factory=list)  # (file label, line)
    rejected: list[tuple[str, str, int | None]] = field(default_factory=list)  # (id, file label, line)


def read_csv_file(path: Path, label: str, problems: list[Problem], unreadable: list | None = None,
                  root: Path | None = None, columns: bool = False):
    """Header and rows of one CSV file (io/files.py: boundary, limits); rows that cannot be read
    are problems, and (line, why) in `unreadable` when given. With columns=True, a clean file
    comes as (header, text columns) instead (files.read_csv), any other as (header, rows)."""
    got = files.read_csv(path, label, path.parent if root is None else root, columns=columns)
    if got.columns is not None:
        return got.header, got.columns
    problems.extend(got.problems)
    for line, why in got.unreadable:
        problems.append(Problem(label, line, None, why))
        if unreadable is not None:
            unreadable.append((label, line))
    if got.unread and unreadable is not None:
        unreadable.append((label, got.problems[0].line))  # the file (or its rest) was not read: one entry
    return got.header, got.rows


_CHECK_WORDS = {
    "field_uniqueness": "duplicate id",
    "column_in_schema": "unknown column",
    "column_in_dataframe": "missing required column",
}


def _describe(check: str, value: Any) -> str:
    if check in _CHECK_WORDS:
        return _CHECK_WORDS[check]
    if check.startswith("str_length"):
        return "required: must not be empty"
    if check.startswith("isin("):
        return f"{value!r} is not one of {check[5:-1]}"
    if check.startswith("str_matches"):
        if value == "":
            return "required: must not be empty"
        return f"{value!r} is not an id or ';'-separated list of ids (lowercase letters, digits, '.', '_', '-')"
    if "date" in check:
        return why_not_a_date(value)
    return f"{value!r} fails check {check}"


def _close(name: str, candidates: list[str]) -> list[str]:
    import difflib

    return difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)


def parquet_files(folder: Path, stem: str, root: Path) -> tuple[list[Path], list[Problem]]:
    """A table's Parquet files, `<stem>.parquet` and `<stem>/*.parquet` (beside or instead of
    its CSV files), with the folder-boundary checks of io/files.py; and problems for those
    that cannot be read."""
    found: list[Path] = []
    problems: list[Problem] = []
    candidates = [folder / f"{stem}.parquet"]
    part_dir = folder / stem
    # a folder of parts inside the case folder (one outside it is reported by files.table_files)
    inside = part_dir.is_dir() and "is a folder" in (files.check_file(part_dir, stem, root) or Problem("", 0, 0, "")).message
    if inside:
        candidates += sorted(p for p in part_dir.iterdir() if p.suffix.lower() == ".parquet")
    for p in candidates:
        if not os.path.lexists(p):
            continue
        problem = files.check_file(p, str(p.relative_to(root)), root, "Parquet file")
        (problems.append(problem) if problem else found.append(p))
    return found, problems


def _header_line(label: str) -> int | None:
    """Where a problem with a column is: line 1 of a CSV file; a Parquet file has no lines."""
    return None if label.endswith(".parquet") else 1


def _parquet_cells(column) -> list[str]:
    """A Parquet column as the text a CSV cell would hold: a list of ids joined with ';'
    (a list with an empty, missing or ';'-holding element is shown whole, so that the
    table's check reports it rather than the ';' splitting it into other ids), a number
    or a date as written, a missing value as empty."""
    import pyarrow as pa
    import pyarrow.compute as pc

    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
        flat = pc.list_flatten(column).cast(pa.string())
        odd = pc.or_(pc.is_null(flat), pc.or_(pc.equal(flat, ""), pc.match_substring(flat, ";")))
        joined = pc.binary_join(column.cast(pa.list_(pa.string())), ";").fill_null("").to_pylist()
        if pc.any(odd).as_py():
            lengths = pc.list_value_length(column).fill_null(0).to_numpy()
            rows = np.repeat(np.arange(len(column)), lengths)[odd.fill_null(True).to_numpy(zero_copy_only=False)]
            for i in set(rows.tolist()):
                joined[i] = repr(column[i].as_py())
        return joined
    if pa.types.is_boolean(column.type):
        return [("true" if v else "false") if v is not None else "" for v in column.to_pylist()]
    return column.cast(pa.string()).fill_null("").to_pylist()


def read_parquet_file(path: Path, label: str, problems: list[Problem], root: Path | None = None
                      ) -> tuple[list[str], pd.DataFrame | None]:
    """A Parquet table as its column names and a frame of text cells (see _parquet_cells).
    Read as io/files.py reads a CSV file: inside the folder, within the size limit."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    data, problem = files.read_bytes(path, label, path.parent if root is None else root,
                                     files.limits().max_csv_bytes, "Parquet file")
    if problem is not None:
        problems.append(problem)
        return [], None
    try:
        table = pq.read_table(pa.BufferReader(data))
    except Exception as exc:  # pyarrow raises many kinds of errors for a damaged file
        problems.append(Problem(label, None, None, f"cannot read Parquet: {' '.join(str(exc).split())}"))
        return [], None
    header = [str(n).strip() for n in table.column_names]
    try:
        cells = {i: _parquet_cells(table.column(i)) for i in range(table.num_columns)}
    except Exception as exc:  # a column type with no text form (a struct, a map)
        problems.append(Problem(label, None, None, f"cannot read Parquet: {' '.join(str(exc).split())}"))
        return [], None
    frame = pd.DataFrame({i: pd.array(v, dtype=str) for i, v in cells.items()}, index=range(table.num_rows))
    frame.columns = header
    return header, frame


def _text_frame(header: list[str], rows: list[list[str]]) -> pd.DataFrame:
    """Rows of text cells as a frame of text columns, built column by column through
    Arrow (a third faster than from the rows, at a million of them)."""
    import pyarrow as pa

    columns = list(zip(*rows)) if rows else [() for _ in header]
    frame = pd.DataFrame({i: pd.Series(pd.array(pa.array(c, pa.string()), dtype=_TEXT))
                          for i, c in enumerate(columns)}, index=range(len(rows)))
    frame.columns = header
    return frame


_TEXT = pd.Series([], dtype=str).dtype  # the text dtype of this pandas


def _arrow_frame(header: list[str], columns: list) -> pd.DataFrame:
    """Text columns read by pyarrow as a frame of text columns (no copy of the cells)."""
    frame = pd.DataFrame({i: pd.Series(pd.array(c, dtype=_TEXT)) for i, c in enumerate(columns)},
                         index=range(len(columns[0])))
    frame.columns = header
    return frame


def read_table(folder: Path, stem: str, problems: list[Problem], root: Path) -> _Rows | None:
    """Read one flat table (CSV and Parquet files, or folders of them) and check it against its schema."""
    paths, file_problems = files.table_files(folder, stem, root)
    pq_paths, pq_problems = parquet_files(folder, stem, root)
    paths += pq_paths
    file_problems += pq_problems
    problems.extend(file_problems)
    lost: list[tuple[str, int | None]] = [(p.file, None) for p in file_problems]  # rows never read
    if not paths and not lost:
        return None
    schema = tables.TABLES[stem]
    expected = list(schema.to_schema().columns)
    optional = tables.OPTIONAL_COLUMNS.get(stem, set())
    frames, where = [], []
    for path in paths:
        label = str(path.relative_to(root))
        if path.suffix.lower() == ".parquet":
            header, frame = read_parquet_file(path, label, problems, root)
            lines = list(range(1, len(frame) + 1)) if frame is not None else []  # rows, numbered from 1
            if frame is None:
                lost.append((label, None))
        else:
            header, rows = read_csv_file(path, label, problems, lost, root, columns=True)
            if rows and not isinstance(rows[0], tuple):  # a clean file, read as columns
                frame = _arrow_frame(header, rows)
                lines = range(2, len(frame) + 2)
            else:
                lines = [line for line, _ in rows]
                frame = None
        if not header:
            continue
        missing = [c for c in expected if c not in header and c not in optional]
        strange = [h for h in header if h not in expected]  # a misspelt column name is the likely cause
        wrong = [Problem(label, _header_line(label), col, "missing required column" + (
                         f" (the header has {close[0]!r}: a typo?)" if (close := _close(col, strange)) else ""))
                 for col in missing]
        wrong += [Problem(label, _header_line(label), col, "column appears twice")
                  for col in sorted(Counter(header) - Counter(set(header)))]
        problems.extend(wrong)
        if wrong:
            for line in lines:  # each follows from the header's problem (errors.ProblemTree groups them)
                problems.append(Problem(label, line, None, "row not read: the header is wrong", cause=wrong[0]))
                lost.append((label, line))
            continue
        if frame is None:
            frame = _text_frame(header, [r for _, r in rows])
            del rows  # the frame holds the cells now
        for col in expected:
            if col not in frame.columns:
                frame[col] = ""
        frames.append(frame)
        where.extend((label, line) for line in lines)
    if not frames:
        return _Rows(pd.DataFrame(columns=expected, dtype=str), [], [("", *w) for w in lost])
    frame = pd.concat(frames, ignore_index=True)
    _strip(frame)
    for col, default in tables.DEFAULTS.get(stem, {}).items():
        frame[col] = frame[col].mask(frame[col] == "", default)
    bad_rows: set[int] = set()
    try:
        schema.validate(frame, lazy=True, inplace=True)  # checks only: no copy of the frame
    except pa_errors.SchemaErrors as exc:
        for fc in exc.failure_cases.itertuples(index=False):
            idx = None if pd.isna(fc.index) else int(fc.index)
            column = fc.column if fc.column != schema.__name__ else str(fc.failure_case)
            message = _describe(str(fc.check), fc.failure_case)
            if idx is None:
                # a whole-column problem (e.g. unknown column): name every file that has it
                for label in dict.fromkeys(lbl for lbl, _ in where):
                    problems.append(Problem(label, _header_line(label), column, message))
                bad_rows.update(range(len(frame)))
                continue
            label, line = where[idx]
            problems.append(Problem(label, line, column, message, frame.at[idx, "id"] or None))
            bad_rows.add(idx)
    if not bad_rows:  # the usual case: no copy of a million-row frame (rows never read still count)
        return _Rows(frame, where, [("", *w) for w in lost])
    keep = [i for i in range(len(frame)) if i not in bad_rows]
    return _Rows(
        frame.iloc[keep].reset_index(drop=True),
        [where[i] for i in keep],
        [(frame.at[i, "id"], *where[i]) for i in sorted(bad_rows)] + [("", *w) for w in lost],
    )


def _strip(frame: pd.DataFrame) -> None:
    """Strip every cell (`str.strip`), in place, but only in columns where some cell begins or
    ends with a character other than printable ASCII: most columns have none, and looking at
    the first and last character in Arrow costs a fraction of stripping a million cells."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for col in frame.columns:
        cells = pa.array(frame[col])
        plain = pc.and_(pc.match_substring_regex(pc.utf8_slice_codeunits(cells, 0, 1), "^[!-~]?$"),
                        pc.match_substring_regex(pc.utf8_slice_codeunits(cells, -1, None), "^[!-~]?$"))
        if not pc.all(plain).as_py():
            frame[col] = frame[col].str.strip()


def _list_fields(model: type[BaseModel]) -> set[str]:
    out = set()
    for name, info in model.model_fields.items():
        ann = info.annotation
        if typing.get_origin(ann) is tuple:
            out.add(name)
    return out


def _flag_fields(model: type[BaseModel]) -> set[str]:
    return {name for name, info in model.model_fields.items() if info.annotation is bool}


def row_to_record(row: dict[str, str], model: type[BaseModel]) -> dict[str, Any]:
    lists, flags = _list_fields(model), _flag_fields(model)
    data: dict[str, Any] = {}
    for key, value in row.items():
        if value == "":
            continue
        if key in flags:  # the table schema lets only true/false through; the model takes booleans
            data[key] = value == "true"
        else:
            data[key] = tuple(v for v in value.split(";")) if key in lists else value
    return data


# --------------------------------------------------------------- reader ----
class _Where:
    """Where each record came from, (file label, line), by (table, id). The cross-reference
    checks ask only for records with a problem, so a flat table keeps its ids and places as
    two lists and makes its id index when first asked (a million-entry dict of tuples was
    a sixth of the memory of loading a million communications)."""

    def __init__(self) -> None:
        self._one: dict[tuple[str, str], tuple[str, int | None]] = {}
        self._tables: dict[str, list[tuple[list[str], list[tuple[str, int]]]]] = {}
        self._index: dict[str, dict[str, tuple[str, int]]] = {}

    def __setitem__(self, key: tuple[str, str], value: tuple[str, int | None]) -> None:
        self._one[key] = value

    def add_table(self, stem: str, ids: list[str], places: list[tuple[str, int]]) -> None:
        self._tables.setdefault(stem, []).append((ids, places))
        self._index.pop(stem, None)

    def get(self, key: tuple[str, str], default=None):
        if key in self._one:
            return self._one[key]
        stem, rec_id = key
        if stem not in self._tables:
            return default
        if stem not in self._index:
            self._index[stem] = {i: w for ids, places in self._tables[stem] for i, w in zip(ids, places)}
        return self._index[stem].get(rec_id, default)


class CaseReader:
    def __init__(self, folder: Path):
        self.folder = folder
        self.root = folder
        self.problems: list[Problem] = []
        self.where = _Where()
        self.columns: dict[str, TableColumns] = {}
        self.all_built: dict[str, bool] = {}
        self.rejected: list[Rejected] = []

    # -- helpers
    def _reject(self, table: str, rec_id: str | None, label: str, line: int | None, problems: Iterable[Problem]):
        problems = list(problems)
        self.problems.extend(problems)
        self.rejected.append(
            Rejected(table=table, file=label, line=line, record=rec_id, problems=tuple(str(p) for p in problems))
        )

    def _reject_entries(self, table: str, label: str, raw: Any, problem: Problem) -> None:
        """A YAML file not shaped as expected: each entry it holds (the items of any list in it)
        is rejected with the problem, or the file as one entry when it holds no list."""
        lists = [raw] if isinstance(raw, list) else [v for v in raw.values() if isinstance(v, list)] \
            if isinstance(raw, dict) else []
        entries = [item for items in lists for item in items] or [None]
        for item in entries:
            line = item.get("__line__") if isinstance(item, dict) else problem.line
            rec_id = item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else None
            self.rejected.append(Rejected(table=table, file=label, line=line, record=rec_id, problems=(str(problem),)))

    def validate(self, model: type[BaseModel], data: dict, label: str, line: int | None, raw: Any = None):
        try:
            return model.model_validate(data), []
        except ValidationError as exc:
            out = []
            for err in exc.errors():
                loc = tuple(err["loc"])
                fld = ".".join(str(p) for p in loc) or None
                err_line = _line_at(raw, loc) if raw is not None else line
                out.append(Problem(label, err_line or line, fld, plain_message(err), data.get("id")))
            return None, out

    # -- case.yaml
    def read_meta(self) -> CaseMeta | None:
        raw, probs = read_yaml(self.folder / CASE_FILE, CASE_FILE, self.root)
        self.problems.extend(probs)
        if probs:
            return None
        if not isinstance(raw, dict):
            self.problems.append(Problem(CASE_FILE, 1, None, "must be a mapping (id, title, window, sources, ...)"))
            return None
        meta, probs = self.validate(CaseMeta, strip_lines(raw), CASE_FILE, raw.get("__line__"), raw)
        self.problems.extend(probs)
        if meta is not None:
            for kind, items in (("sources", meta.sources), ("topics", meta.topics)):
                for key, n in Counter(i.id for i in items).items():
                    if n > 1:
                        self.problems.append(Problem(CASE_FILE, None, kind, f"duplicate id {key!r}"))
        return meta

    # -- CSV tables
    def read_csv_records(self, stem: str) -> list:
        rows = read_table(self.folder, stem, self.problems, self.root)
        if rows is None:
            return []
        for rec_id, label, line in rows.rejected:
            self.rejected.append(
                Rejected(
                    table=stem, file=label, line=line, record=rec_id or None,
                    problems=tuple(str(p) for p in self.problems if p.file == label and p.line == line),
                )
            )
        model = CSV_MODELS[stem]
        frame = rows.frame
        # Built from the validated columns; only rows the schema cannot vouch for are
        # validated by pydantic one by one (records.py says which and why).
        slow = records.needs_validation(model, frame)
        built = records.build(model, frame, slow)
        after = records.check_after(model, built)  # a model's own checks across fields
        for i in after:
            built[i] = None
        self.all_built[stem] = not slow and not after  # every record is its row's cells, converted
        if self.all_built[stem]:  # the usual case: every row is its record, no loop over a million
            self.where.add_table(stem, frame["id"].tolist(), rows.where)
            self.columns[stem] = TableColumns(frame, range(len(built)))
            return built
        out, places, kept = [], [], []
        for i, (rec, place) in enumerate(zip(built, rows.where)):
            if rec is None:
                label, line = place
                row = frame.iloc[i].to_dict()
                rec, probs = self.validate(model, row_to_record(row, model), label, line)
                if rec is None:
                    self._reject(stem, row.get("id"), label, line, probs)
                    continue
            out.append(rec)
            places.append(place)
            kept.append(i)
        self.where.add_table(stem, [r.id for r in out], places)
        self.columns[stem] = TableColumns(frame, kept)  # for the cross-reference checks
        return out

    # -- YAML lists
    def read_yaml_records(self, stem: str, path: Path | None = None) -> list:
        path = path or self.folder / f"{stem}.yaml"
        if not os.path.lexists(path):  # a broken link or a folder there is a problem, not an empty list
            return []
        label = path.name
        key, model = YAML_MODELS[stem]
        raw, probs = read_yaml(path, label, self.root)
        if probs:
            self.problems.extend(probs)
            self.rejected.append(Rejected(table=stem, file=label, problems=tuple(map(str, probs))))
            return []
        if raw is None:
            return []
        if not isinstance(raw, dict) or set(raw) - {key, "__line__", "__lines__"}:
            problem = Problem(label, 1, None, f"must be a mapping with one key, {key!r}, holding a list")
            self.problems.append(problem)
            self._reject_entries(stem, label, raw, problem)
            return []
        items = raw.get(key) or []
        if not isinstance(items, list):
            problem = Problem(label, raw.get("__line__"), key, "must be a list")
            self.problems.append(problem)
            self._reject_entries(stem, label, raw, problem)
            return []
        out, seen = [], {}
        for item in items:
            line = item.get("__line__") if isinstance(item, dict) else None
            if not isinstance(item, dict):
                self._reject(stem, None, label, line, [Problem(label, line, None, "each entry must be a mapping")])
                continue
            rec, probs = self.validate(model, strip_lines(item), label, line, item)
            if rec is None:
                self._reject(stem, item.get("id"), label, line, probs)
                continue
            if rec.id in seen:
                self._reject(stem, rec.id, label, line, [
                    Problem(label, line, "id", f"duplicate id (first at line {seen[rec.id]})", rec.id)
                ])
                continue
            seen[rec.id] = line
            self.where[(stem, rec.id)] = (label, line)
            if stem == "decisions":
                for imp in rec.impacts:
                    self.where[("impacts", imp.id)] = (label, _impact_line(item, imp.id) or line)
            out.append(rec)
        return out


def _impact_line(item: dict, impact_id: str) -> int | None:
    for imp in item.get("impacts") or []:
        if isinstance(imp, dict) and imp.get("id") == impact_id:
            return imp.get("__line__")
    return None


def _check_folder(path: Path) -> Path:
    if not path.exists():
        raise UnusablePathError(f"{path}: no such file or folder")
    if not path.is_dir():
        raise UnusablePathError(f"{path}: not a folder (a case is a folder holding {CASE_FILE})")
    if not (path / CASE_FILE).is_file():
        raise UnusablePathError(f"{path}: no {CASE_FILE} here, so this is not a case folder")
    return path


def resolve_case_path(path: str | Path) -> Path:
    """A folder, or the name of a bundled case (e.g. 'zero_tolerance')."""
    p = Path(path)
    if not p.exists():
        from .bundled import bundled_case_path, bundled_cases, did_you_mean

        bundled = bundled_case_path(str(path))
        if bundled is not None:
            return bundled
        if p.parent == Path("."):  # a bare name: perhaps a mistyped bundled case
            names = bundled_cases()
            raise UnusablePathError(f"{path}: no such folder, nor a bundled case{did_you_mean(str(path), names)}"
                                    f" (bundled cases: {', '.join(names) or 'none installed'})")
    return _check_folder(p)


def read_case(path: str | Path) -> tuple[Case | None, list[Problem]]:
    """Read leniently: the case of every good record, and every problem found.

    Returns (None, problems) only when case.yaml or the organisation tree
    cannot be read at all.
    """
    folder = resolve_case_path(path)
    with collector_paused():
        return _read_case(folder)


def _read_case(folder: Path) -> tuple[Case | None, list[Problem]]:
    from .conclusions import check_conclusion_references
    from .crossref import check_references, group_unknown_ids

    reader = CaseReader(folder)
    meta = reader.read_meta()
    records = {stem: reader.read_csv_records(stem) for stem in CSV_MODELS}
    records.update({stem: reader.read_yaml_records(stem) for stem in YAML_MODELS})
    if meta is None:
        return None, reader.problems
    misnamed, _ = files.survey_case_folder(folder, case_file_names(), source_paths(meta))
    reader.problems.extend(misnamed)
    if not files.table_files(folder, "stakeholders", folder)[0] and not parquet_files(folder, "stakeholders", folder)[0]:
        reader.problems.append(Problem("stakeholders.csv", None, None, "missing: a case needs its organisation tree"))
        return None, reader.problems
    kept = check_references(meta, records, reader)
    kept["conclusions"] = check_conclusion_references(meta, records.pop("conclusions"), kept, reader)
    group_unknown_ids(reader)  # one id many records name and none holds: one root cause (io/crossref.py)
    case = Case(meta=meta, **kept, rejected=tuple(reader.rejected))
    comm_cols = reader.columns.get("communications")
    if comm_cols is not None and reader.all_built.get("communications") and comm_cols.n == len(case.communications):
        # every communication kept, each built from its row: the engine may read the columns
        # instead of the million records (io/columns.py, engine.case_tables)
        case.__dict__[TEXT_COLUMNS] = comm_cols.text_columns(case.communications, COMMUNICATION_COLUMNS)
    if not case.stakeholders and not any(r.table == "stakeholders" for r in case.rejected):  # never an empty tree
        reader.problems.append(Problem("stakeholders.csv", None, None,
                                       "holds no organisation: a case needs its organisation tree"))
    return case, reader.problems


def case_file_names() -> list[str]:
    """Every name a case folder's files may have (io/files.py warns about the others)."""
    return [CASE_FILE, *(f"{s}.csv" for s in CSV_MODELS), *(f"{s}.parquet" for s in CSV_MODELS), *CSV_MODELS,
            *(f"{s}.yaml" for s in YAML_MODELS)]


def source_paths(meta: CaseMeta | None) -> set[str]:
    """Files in the case folder its case.yaml points to (source texts), which are not warned about."""
    return {Path(s.path).parts[0] for s in (meta.sources if meta else ()) if s.path and Path(s.path).parts}


def load_case(path: str | Path) -> Case:
    """Load a case folder (or bundled case name); raise InvalidInputError listing every problem."""
    case, problems = read_case(path)
    if problems or case is None:
        raise InvalidInputError(problems, what=str(path))
    return case
