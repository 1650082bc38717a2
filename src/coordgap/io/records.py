"""Records from a validated table, built column by column.

A table's frame has passed its pandera schema (tables.py), which checks every
cell the records' models check: ids, vocabularies, dates, numbers. So a row's
record can be built from its cells without validating it again, and a
million-row table costs a few column conversions and one cheap object per
row instead of a pydantic validation per row (about five times the cost).

Rows the schema cannot vouch for are validated by pydantic as before, so their
messages are pydantic's own: an id longer than the models allow, a number in
digits other than 0-9 or outside its field's bounds, a required cell left
empty, a cell a field's validator would change or refuse, and a record a
model validator refuses (`check_after`; e.g. a message answering itself). A
model with field validators of its own has every row validated. The
hypothesis round trip (tests/test_loader_properties.py) and
tests/test_loader_columns.py check that the records equal those validated
one by one.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any

import pandas as pd
from pydantic import BaseModel

from ..model.dates import FuzzyDate

MAX_ID = 120  # model.case.Id's max_length
_new = object.__new__
_set = object.__setattr__


def _unwrap(ann: Any) -> tuple[Any, list]:
    """The type under Optional[...] and Annotated[...], and the Annotated metadata."""
    args = [a for a in typing.get_args(ann) if a is not type(None)]
    if typing.get_origin(ann) in (typing.Union, types.UnionType) and len(args) == 1:
        ann = args[0]
    if typing.get_origin(ann) is typing.Annotated:
        return typing.get_args(ann)[0], list(ann.__metadata__)
    return ann, []


def _converter(ann: Any) -> tuple[str, Callable[[str], Any] | None]:
    """(kind, function from a non-empty cell to the field's value); kind names the checks
    a cell needs before it may skip validation."""
    ann, _ = _unwrap(ann)
    if typing.get_origin(ann) is tuple:
        return "ids", None  # see _id_lists
    if ann is FuzzyDate:
        return "date", None  # built once per distinct text, see _dates
    if isinstance(ann, type) and issubclass(ann, enum.Enum):
        members = {m.value: m for m in ann}
        return "enum", members.__getitem__
    if ann is bool:  # the tables allow exactly these two words (or empty: the default)
        return "bool", {"true": True, "false": False}.__getitem__
    if ann is int:
        return "int", int
    if ann is str:
        return "str", None
    return "other", None


@cache
def _plan(model: type[BaseModel]) -> tuple[tuple[str, str, Any, Any, bool], ...]:
    """Per field: name, kind, converter, default, required."""
    out = []
    for name, info in model.model_fields.items():
        kind, conv = _converter(info.annotation)
        required = info.is_required()
        out.append((name, kind, conv, None if required else info.default, required))
    return tuple(out)


def _dates(values: list[str]) -> list[FuzzyDate | None]:
    """One FuzzyDate per distinct text (dates repeat: a million messages fall on a few
    thousand days). FuzzyDate holds no state beyond its text, so sharing one is safe."""
    made: dict[str, FuzzyDate | None] = {"": None}
    out = []
    for v in values:
        d = made.get(v)
        if d is None and v not in made:
            d = made[v] = FuzzyDate(v)
        out.append(d)
    return out


def _id_lists(values: list[str], parts: dict[str, str]) -> list[tuple[str, ...]]:
    """Each ';'-separated cell as a tuple of ids. A cell text met before gives the same tuple,
    and an id met before the same string: a million messages name a few thousand parties,
    topics and decisions, and one string each instead of one per mention saves about a
    third of the records' memory."""
    made: dict[str, tuple[str, ...]] = {"": ()}
    out = []
    for v in values:
        t = made.get(v)
        if t is None:
            t = made[v] = tuple([parts.setdefault(p, p) for p in v.split(";")])
        out.append(t)
    return out


def _metadata(model: type[BaseModel], name: str) -> list:
    """Every constraint and validator attached to a field, however it was annotated."""
    info = model.model_fields[name]
    out = []
    for meta in [*info.metadata, *_unwrap(info.annotation)[1]]:
        out.append(meta)
        out.extend(getattr(meta, "metadata", ()) or ())  # a Field(...) inside Annotated
    return out


def _fails_bounds(meta: list, col: pd.Series) -> pd.Series:
    """Cells of an int column outside the field's ge/gt/le/lt bounds (or too long to be one)."""
    given = col != ""
    numbers = pd.to_numeric(col.where(given, "0"), errors="coerce")
    bad = given & (numbers.isna() | (col.str.len() > 15))
    for m in meta:
        for attr, out_of in (("ge", numbers.lt), ("gt", numbers.le), ("le", numbers.gt), ("lt", numbers.ge)):
            bound = getattr(m, attr, None)
            if isinstance(bound, (int, float)) and not isinstance(bound, bool):
                bad |= given & out_of(bound)
    return bad


def _fails_field_validators(meta: list, col: pd.Series) -> pd.Series | None:
    """Cells that a field's own validator functions would change or refuse: those rows take
    pydantic's path. A before-validator that returns the cell as it is (as one refusing
    true/false for numbers does with a text cell) leaves the fast path open."""
    funcs = [m for m in meta if hasattr(m, "func") and callable(m.func)]
    if not funcs:
        return None
    if any(type(m).__name__ != "BeforeValidator" for m in funcs):
        return col != ""  # an after, wrap or plain validator: validate every given cell

    def changed(v: str) -> bool:
        try:
            return any(m.func(v) is not v for m in funcs)
        except Exception:  # noqa: BLE001 - whatever it raises, pydantic will report it
            return True

    return pd.Series([v != "" and changed(v) for v in col.tolist()], index=col.index)


def check_after(model: type[BaseModel], built: list) -> set[int]:
    """Rows whose record a model's after-validator refuses (e.g. a message answering itself);
    they are validated again by pydantic, for its message. A model with other kinds of
    model validators has every row validated by pydantic."""
    decorators = model.__pydantic_decorators__.model_validators.values()
    if not decorators:
        return set()
    if any(d.info.mode != "after" for d in decorators):
        return {i for i, r in enumerate(built) if r is not None}
    bad = set()
    for i, rec in enumerate(built):
        if rec is None:
            continue
        for d in decorators:
            try:
                d.func(rec)
            except (ValueError, AssertionError):
                bad.add(i)
    return bad


def needs_validation(model: type[BaseModel], frame: pd.DataFrame) -> set[int]:
    """Rows whose cells the table schema does not fully vouch for (see the module docstring)."""
    flagged = pd.Series(False, index=frame.index)
    if model.__pydantic_decorators__.field_validators:  # validators we cannot reproduce here
        return set(range(len(frame)))
    for name, kind, _conv, _default, required in _plan(model):
        if name not in frame.columns:
            continue
        col = frame[name]
        meta = _metadata(model, name)
        by_validators = _fails_field_validators(meta, col)
        if by_validators is not None:
            flagged |= by_validators
        if required:
            flagged |= col == ""
        if kind == "ids" or (kind == "str" and name in _ids(model)):
            flagged |= col.str.len() > MAX_ID  # a list's cell longer than one id may hold a long id
        elif kind == "int":
            flagged |= ~col.str.fullmatch(r"[0-9]*") | _fails_bounds(meta, col)
        elif kind == "bool":
            flagged |= ~col.isin(["", "true", "false"])
        elif kind == "other":
            flagged |= col != ""
    return set(frame.index[flagged.to_numpy(dtype=bool)].tolist())


@cache
def _ids(model: type[BaseModel]) -> frozenset[str]:
    """Fields that hold one id (a max_length in their metadata, or in Optional[Id]'s)."""
    out = set()
    for name, info in model.model_fields.items():
        for meta in [*info.metadata, *_unwrap(info.annotation)[1]]:
            if getattr(meta, "max_length", None) is not None:
                out.add(name)
    return frozenset(out)


def build(model: type[BaseModel], frame: pd.DataFrame, skip: set[int]) -> list[BaseModel | None]:
    """One record per row of frame (None for the rows in skip), without validating again."""
    plan = _plan(model)
    n = len(frame)
    names, columns = [], []
    parts: dict[str, str] = {}  # one string per distinct id, shared by every record naming it
    for name, kind, conv, default, _required in plan:
        names.append(name)
        if name not in frame.columns:
            columns.append([default] * n)
            continue
        cells = frame[name].tolist()
        for i in skip:  # validated one by one elsewhere: converting their cells could fail here
            cells[i] = ""
        if kind == "date":
            if default is not None:  # never so today; keep the default for an empty cell
                columns.append([FuzzyDate(v) if v else default for v in cells])
            else:
                columns.append(_dates(cells))
        elif kind == "ids":
            columns.append(_id_lists(cells, parts))
        elif conv is not None:
            columns.append([conv(v) if v else default for v in cells])
        elif name in _ids(model) and name != "id":  # a reference: shared like the lists' ids
            columns.append([parts.setdefault(v, v) if v else default for v in cells])
        else:
            columns.append([v if v else default for v in cells])
    out: list[BaseModel | None] = []
    new, put = _new, _set
    # One fields-set for all: the records are frozen, and pydantic copies it before any change.
    fields_set = set(names)
    for values in zip(*columns):
        rec = new(model)
        put(rec, "__dict__", dict(zip(names, values)))
        put(rec, "__pydantic_fields_set__", fields_set)
        put(rec, "__pydantic_extra__", None)
        put(rec, "__pydantic_private__", None)
        out.append(rec)
    for i in skip:
        out[i] = None
    return out
