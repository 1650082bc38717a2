"""Problems found in input files, each naming file, line, field and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as _field

from .render.terminal import escape


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the input. `cause` is the problem this one follows from (a record it
    names was itself rejected, the file holding what it names is missing), so that a user reads
    the root cause first and its consequences under it; None for a root cause."""

    file: str
    line: int | None
    field: str | None
    message: str
    record: str | None = None
    cause: "Problem | None" = _field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"{self.field}: {self.message}" if self.field else self.message
        rec = f" [{self.record}]" if self.record else ""
        return escape(f"{where}:{rec} {what}")  # one line, whatever the data holds (render/terminal.py)

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "record": self.record,
            "message": self.message,
        }


def _sort_key(p: Problem) -> tuple:
    return (p.file, p.line or 0, p.field or "", p.message, p.record or "")


class ProblemTree:
    """Problems as root causes, each with the problems that follow from it (through `cause`,
    transitively), in a stable order: roots by file, line and field; under each root its
    consequences depth first, in the same order. Nothing is dropped: `walk()` yields every
    problem once. A problem whose cause is not among them counts as a root (or hangs under the
    nearest cause up its chain that is)."""

    def __init__(self, problems) -> None:
        self.problems = list(problems)
        by_id = {id(p): i for i, p in enumerate(self.problems)}
        by_value: dict[Problem, int] = {}
        for i, p in enumerate(self.problems):
            by_value.setdefault(p, i)
        self._children: dict[int, list[int]] = {}
        roots: list[int] = []
        for i, p in enumerate(self.problems):
            parent, hops = p.cause, 0
            at = None
            while parent is not None and hops < 1000:
                at = by_id.get(id(parent), by_value.get(parent))
                if at is not None and at != i:
                    break
                parent, at, hops = parent.cause, None, hops + 1
            if at is None:
                roots.append(i)
            else:
                self._children.setdefault(at, []).append(i)
        key = lambda i: _sort_key(self.problems[i])  # noqa: E731
        for kids in self._children.values():
            kids.sort(key=key)
        self._walk: list[tuple[int, int, int | None]] = []  # (index, depth, parent index)
        seen: set[int] = set()
        self._roots = sorted(roots, key=key)
        self._visit(self._roots, seen)
        stray = [i for i in range(len(self.problems)) if i not in seen]  # causes in a loop: never lost
        if stray:
            for i in stray:
                for kids in self._children.values():
                    if i in kids:
                        kids.remove(i)
            self._roots = sorted(roots + stray, key=key)
            self._walk, seen = [], set()
            self._visit(self._roots, seen)
        self._below = [0] * len(self.problems)  # problems that follow from each, directly or not
        for node, _, up in reversed(self._walk):
            if up is not None:
                self._below[up] += 1 + self._below[node]
        self._pos = {id(p): i for i, p in enumerate(self.problems)}

    def _visit(self, roots: list[int], seen: set[int]) -> None:
        for r in roots:
            stack = [(r, 0, None)]
            while stack:
                node, depth, up = stack.pop()
                if node in seen:
                    continue
                seen.add(node)
                self._walk.append((node, depth, up))
                stack.extend((c, depth + 1, node) for c in reversed(self._children.get(node, [])))

    @property
    def roots(self) -> list[Problem]:
        return [self.problems[i] for i in self._roots]

    def walk(self) -> list[tuple[Problem, int]]:
        """Every problem, root first: (problem, depth), depth 0 for a root cause."""
        return [(self.problems[i], depth) for i, depth, _ in self._walk]

    def ordered(self) -> list[Problem]:
        return [self.problems[i] for i, _, _ in self._walk]

    def following(self, p: Problem) -> int:
        """How many problems follow from p, directly or through others."""
        i = self._pos.get(id(p))
        return self._below[i] if i is not None else 0

    def descendants(self, p: Problem) -> list[tuple[Problem, int]]:
        """Every problem that follows from p, depth first, with its depth below p (1 = directly)."""
        i = self._pos.get(id(p))
        if i is None:
            return []
        out, stack = [], [(c, 1) for c in reversed(self._children.get(i, []))]
        while stack:
            node, depth = stack.pop()
            out.append((self.problems[node], depth))
            stack.extend((c, depth + 1) for c in reversed(self._children.get(node, [])))
        return out

    def as_dicts(self) -> list[dict]:
        """The problems as data, root first: each with an `id` (p1, p2, ... in this order),
        `caused_by` (the id of the problem it follows from; null for a root cause) and
        `consequences` (how many problems follow from it, directly or not)."""
        name = {i: f"p{n}" for n, (i, _, _) in enumerate(self._walk, 1)}
        return [{"id": name[i], **self.problems[i].as_dict(), "caused_by": None if up is None else name[up],
                 "consequences": self._below[i]} for i, _, up in self._walk]


def root_first(problems) -> list[Problem]:
    """Every problem, each root cause followed by what follows from it (see ProblemTree)."""
    return ProblemTree(problems).ordered()


class CoordgapError(Exception):
    """Base class of the errors coordgap raises on bad input."""


class UnusablePathError(CoordgapError):
    """The path given is not a case folder at all (missing, not a folder, no case.yaml)."""


class InvalidInputError(CoordgapError):
    """Input files were read but some records are wrong; every problem is listed."""

    SHOWN = 50  # root causes listed in the message; `problems` holds them all

    def __init__(self, problems: list[Problem], what: str = "case"):
        self.tree = ProblemTree(problems)
        self.problems = self.tree.ordered()  # every problem, each root cause before its consequences
        self.roots = self.tree.roots
        lines = []
        for p in self.roots[: self.SHOWN]:
            lines.append(f"  {p}")
            n = self.tree.following(p)
            if n:
                lines.append(f"    ... and {n} {'problem follows' if n == 1 else 'problems follow'} from it")
        if len(self.roots) > self.SHOWN:
            lines.append(f"  ... and {len(self.roots) - self.SHOWN} more root cause(s)")
        follow = len(self.problems) - len(self.roots)
        how = f" ({len(self.roots)} root cause(s); {follow} follow from them)" if follow else ""
        super().__init__(f"{len(self.problems)} problem(s) in {escape(what)}{how}:\n" + "\n".join(lines))


def plain_message(err: dict) -> str:
    """A validation error of the model library (pydantic) in our own words: users read about
    their file, not about tuples and after-validators. `err` is one item of
    ValidationError.errors(); types not listed keep the library's text, minus its prefixes."""
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    got = err.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (a typo? docs/data-model.md lists the fields)"
    if kind in ("too_short", "string_too_short"):
        least = ctx.get("min_length", 1)
        if kind == "string_too_short" or least == 1:
            return "must not be empty"
        return f"needs at least {least} entries, has {len(got) if hasattr(got, '__len__') else 'fewer'}"
    if kind in ("too_long", "string_too_long"):
        return f"is too long: at most {ctx.get('max_length')} {'characters' if kind == 'string_too_long' else 'entries'}"
    if kind == "string_pattern_mismatch":
        return f"{got!r} is not an id (lowercase letters, digits, '.', '_', '-'; starting with a letter or digit)"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{got!r} is not a whole number"
    if kind in ("float_parsing", "float_type", "finite_number"):
        return f"{got!r} is not a number"
    if kind in ("bool_parsing", "bool_type"):
        return f"{got!r} is not true or false"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {"greater_than_equal": "at least", "greater_than": "more than",
                 "less_than_equal": "at most", "less_than": "less than"}[kind]
        bound = next(iter(ctx.values()), "")
        return f"{got!r} is out of range: must be {words} {bound}"
    if kind == "enum":
        return f"{got!r} is not one of {ctx.get('expected', 'the allowed values')}"
    if kind in ("string_type", "list_type", "tuple_type", "dict_type", "model_type", "model_attributes_type"):
        want = {"string_type": "text", "list_type": "a list", "tuple_type": "a list", "dict_type": "a mapping",
                "model_type": "a mapping", "model_attributes_type": "a mapping"}[kind]
        return f"must be {want}, not {type(got).__name__ if got is not None else 'empty'}"
    msg = str(err.get("msg", ""))
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    return msg
