"""Cross-reference checks over a table's columns, in Arrow.

crossref.py checks each record one by one only where something may be wrong.
What may be wrong is found here for a whole table at once: which rows name an
id that is not known, which rows are dated outside the case window, which
replies are dated before what they answer. These are hash look-ups and
comparisons over the table's text columns (the validated frame the records
were built from), so a million communications cost a few vectorised passes,
not a Python loop over a million records.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..model.dates import FuzzyDate


# The communications' columns the engine reads (engine.case_tables), kept beside a loaded
# case under this key of its __dict__ (not a field: the case's value and equality are its
# records alone).
TEXT_COLUMNS = "_loaded_text_columns"
COMMUNICATION_COLUMNS = ("id", "date", "kind", "sender", "dispute", "about_text",
                         "recipients", "topics", "decisions", "responds_to", "evidence")


class TextColumns:
    """The text cells of a table's kept records, row i being records[i], as the loader read
    and validated them. `matches(records)` says whether they still describe those records
    (a copy of the case with other records does not carry them over). Compared by identity."""

    def __init__(self, records: tuple, columns: dict[str, pa.Array]):
        self.records = records
        self.columns = columns

    def matches(self, records) -> bool:
        return records is self.records


class TableColumns:
    """The text columns of the records of one table, row i being record i."""

    def __init__(self, frame: pd.DataFrame, rows: list[int]):
        self.frame = frame
        self.rows = pa.array(np.arange(rows.start, rows.stop, dtype=np.int64) if isinstance(rows, range)
                             else np.asarray(rows, dtype=np.int64))
        self.n = len(rows)
        self._cache: dict[str, pa.Array] = {}

    def column(self, name: str) -> pa.Array:
        if name not in self._cache:
            arr = pa.array(self.frame[name], pa.string())
            self._cache[name] = arr.take(self.rows) if self.n != len(self.frame) else arr
        return self._cache[name]

    def text_columns(self, records: tuple, names) -> TextColumns:
        return TextColumns(records, {n: self.column(n) for n in names if n in self.frame.columns})

    def lists(self, name: str) -> tuple[pa.Array, np.ndarray]:
        """The ids of a ';'-separated column, flat, with the row each came from."""
        cells = self.column(name)
        split = pc.split_pattern(cells, ";")
        flat = pc.list_flatten(split)
        parent = pc.list_parent_indices(split).to_numpy()
        keep = pc.not_equal(flat, "")  # an empty cell is an empty list
        return flat.filter(keep), parent[keep.to_numpy(zero_copy_only=False)]

    def unknown(self, name: str, known: set[str], many: bool, known_arr: pa.Array | None = None) -> set[int]:
        """Rows whose column names an id not in known (known_arr: the same ids as Arrow, when
        the caller has them: a million ids take a while to convert)."""
        if known_arr is None:
            known_arr = pa.array(list(known), pa.string())
        if many:
            values, parent = self.lists(name)
            bad = pc.invert(pc.is_in(values, value_set=known_arr)).to_numpy(zero_copy_only=False)
            return set(np.unique(parent[bad]).tolist())
        cells = self.column(name)
        bad = pc.and_(pc.not_equal(cells, ""), pc.invert(pc.is_in(cells, value_set=known_arr)))
        return set(np.flatnonzero(bad.to_numpy(zero_copy_only=False)).tolist())

    def dates(self, name: str) -> tuple[np.ndarray, np.ndarray, dict[str, FuzzyDate]]:
        """First and last day (ordinals) of each row's date, and each distinct date parsed once."""
        cells = self.column(name)
        distinct = pc.unique(cells)
        parsed = {t: FuzzyDate(t) for t in distinct.to_pylist()}
        idx = pc.index_in(cells, value_set=distinct).to_numpy()
        start = np.array([parsed[t].start.toordinal() for t in distinct.to_pylist()], dtype=np.int64)
        end = np.array([parsed[t].end.toordinal() for t in distinct.to_pylist()], dtype=np.int64)
        return start[idx], end[idx], parsed

    def outside(self, name: str, first: date, last: date) -> set[int]:
        """Rows dated (in part) outside first..last (an open date by its known bound, as
        FuzzyDate.within judges it)."""
        _, _, parsed = self.dates(name)
        bad = {t for t, d in parsed.items() if not d.within(first, last)}
        if not bad:
            return set()
        cells = self.column(name)
        hit = pc.is_in(cells, value_set=pa.array(sorted(bad), pa.string())).to_numpy(zero_copy_only=False)
        return set(np.flatnonzero(hit).tolist())

    def replies_before(self, date_col: str = "date", id_col: str = "id", reply_col: str = "responds_to") -> set[int]:
        """Rows that answer a row of this table dated after them (the reply ends before the
        answered message starts)."""
        values, parent = self.lists(reply_col)
        if not len(values):
            return set()
        target = pc.index_in(values, value_set=self.column(id_col))
        found = pc.is_valid(target).to_numpy(zero_copy_only=False)
        start, end, _ = self.dates(date_col)
        src, dst = parent[found], target.filter(pc.is_valid(target)).to_numpy()
        return set(np.unique(src[end[src] < start[dst]]).tolist())
