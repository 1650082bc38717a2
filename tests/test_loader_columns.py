"""The columnar loader: Parquet tables read like CSV ones (same records, same file/row/field
messages), records built from validated columns equal records validated one by one, and rows
the table schema cannot vouch for still get pydantic's own message."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import EXAMPLE, ZERO_TOLERANCE

from coordgap import read_case
from coordgap.io import records
from coordgap.model.case import Communication

LISTS = {"recipients", "topics", "decisions", "responds_to", "evidence"}


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    dest = tmp_path / "case"
    shutil.copytree(EXAMPLE, dest)
    return dest


def csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def to_parquet(folder: Path, stem: str, *, lists: bool, edit=None) -> Path:
    """Replace stem.csv with stem.parquet holding the same cells (lists as Parquet lists or as
    ';'-joined text); edit(header, rows) may change the rows first."""
    header, rows = csv_rows(folder / f"{stem}.csv")
    if edit:
        edit(header, rows)
    columns = {}
    for i, name in enumerate(header):
        cells = [r[i] for r in rows]
        if lists and name in LISTS:
            columns[name] = pa.array([c.split(";") if c else [] for c in cells], pa.list_(pa.string()))
        else:
            columns[name] = pa.array(cells, pa.string())
    (folder / f"{stem}.csv").unlink()
    out = folder / f"{stem}.parquet"
    pq.write_table(pa.table(columns), out)
    return out


def only(found, **expected):
    matches = [p for p in found if all(getattr(p, k) == v for k, v in expected.items())]
    assert matches, f"no problem matching {expected} in:\n" + "\n".join(map(str, found))
    return matches[0]


@pytest.mark.parametrize("lists", [True, False])
def test_parquet_tables_read_as_the_csv_ones(case_dir, lists):
    for stem in ("communications", "evidence", "actors"):
        to_parquet(case_dir, stem, lists=lists)
    case, found = read_case(case_dir)
    expected, _ = read_case(EXAMPLE)
    assert found == []
    assert case == expected


def _row_of(header, rows, rec_id):
    return next(i for i, r in enumerate(rows) if r[0] == rec_id)


def test_parquet_errors_name_file_row_and_field(case_dir):
    seen = {}

    def edit(header, rows):
        r = _row_of(header, rows, "c-customs-staffing")
        rows[r][header.index("channel")] = "fax"
        rows[r][header.index("date")] = "2024-02-30"
        u = _row_of(header, rows, "c-north-workload")
        rows[u][header.index("recipients")] = "customs-nowhere"
        seen.update(bad=r + 1, unknown=u + 1, total=len(rows))

    to_parquet(case_dir, "communications", lists=True, edit=edit)
    case, found = read_case(case_dir)
    label = "communications.parquet"
    only(found, file=label, line=seen["bad"], field="channel", record="c-customs-staffing")
    only(found, file=label, line=seen["bad"], field="date", record="c-customs-staffing")
    p = only(found, file=label, line=seen["unknown"], field="recipients", record="c-north-workload")
    assert "customs-nowhere" in p.message
    kept = {c.id for c in case.communications}
    rejected = {r.record for r in case.rejected}
    assert {"c-customs-staffing", "c-north-workload"} <= rejected and not kept & rejected
    assert len(kept | rejected) == seen["total"]  # every row accounted for


def test_parquet_list_element_holding_a_separator_is_reported_not_split(case_dir):
    header, rows = csv_rows(case_dir / "communications.csv")
    r = _row_of(header, rows, "c-north-workload")
    columns = {n: pa.array([row[i] for row in rows], pa.string()) for i, n in enumerate(header)}
    recipients = [row[header.index("recipients")].split(";") for row in rows]
    recipients[r] = ["customs-north;ports-legal"]  # one element that looks like two ids
    columns["recipients"] = pa.array(recipients, pa.list_(pa.string()))
    (case_dir / "communications.csv").unlink()
    pq.write_table(pa.table(columns), case_dir / "communications.parquet")
    _, found = read_case(case_dir)
    p = only(found, file="communications.parquet", line=r + 1, field="recipients")
    assert "customs-north;ports-legal" in p.message


def test_parquet_missing_column_and_duplicate_across_formats(case_dir):
    def drop_name(header, rows):
        i = header.index("name")
        del header[i]
        for row in rows:
            del row[i]

    to_parquet(case_dir, "actors", lists=False, edit=drop_name)
    header, rows = csv_rows(case_dir / "communications.csv")
    extra = case_dir / "communications" / "more.parquet"
    extra.parent.mkdir()
    pq.write_table(pa.table({n: pa.array([rows[0][i]], pa.string()) for i, n in enumerate(header)}), extra)
    _, found = read_case(case_dir)
    only(found, file="actors.parquet", line=None, field="name", message="missing required column")
    only(found, file="actors.parquet", line=1, message="row not read: the header is wrong")
    only(found, file="communications/more.parquet", line=1, field="id", message="duplicate id")


def test_damaged_parquet_file_is_a_problem(case_dir):
    (case_dir / "evidence.parquet").write_bytes(b"PAR1 not really")
    _, found = read_case(case_dir)
    p = only(found, file="evidence.parquet", line=None)
    assert "cannot read Parquet" in p.message


@pytest.mark.parametrize("folder", [EXAMPLE, ZERO_TOLERANCE])
def test_records_built_from_columns_equal_records_validated_one_by_one(folder, monkeypatch):
    fast, found = read_case(folder)
    assert found == []
    monkeypatch.setattr(records, "needs_validation", lambda model, frame: set(range(len(frame))))
    slow, _ = read_case(folder)
    assert fast == slow
    for a, b in zip(fast.communications, slow.communications):
        assert a.model_dump() == b.model_dump() and a.__dict__ == b.__dict__


def test_long_id_still_gets_pydantic_message(case_dir):
    f = case_dir / "communications.csv"
    long_id = "c-" + "x" * 130
    text = f.read_text(encoding="utf-8").replace("c-north-workload,", f"{long_id},", 1)
    f.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith(long_id))
    _, found = read_case(case_dir)
    p = only(found, file="communications.csv", line=line, field="id")
    assert "120" in p.message
    assert records.needs_validation(Communication, _frame_of(case_dir))


def _frame_of(case_dir):
    from coordgap.io.loader import read_table

    return read_table(case_dir, "communications", [], case_dir).frame


def test_rejected_parent_rejects_the_whole_branch_below(case_dir):
    f = case_dir / "stakeholders.csv"
    header, rows = csv_rows(f)
    parent = {r[0]: r[header.index("parent")] for r in rows}
    # an organisation with a grandchild: cut it from the tree through an unknown parent
    grand = next(o for o, p in parent.items() if p and parent.get(p))
    middle, top = parent[grand], parent[parent[grand]]
    text = f.read_text(encoding="utf-8")
    rows_top = [r for r in rows if r[0] == top][0]
    i = header.index("parent")
    bad = list(rows_top)
    bad[i] = "no-such-org"
    f.write_text(text.replace(",".join(rows_top), ",".join(bad), 1), encoding="utf-8")
    case, found = read_case(case_dir)
    rejected = {r.record for r in case.rejected}
    assert {top, middle, grand} <= rejected
    assert not {top, middle, grand} & {s.id for s in case.stakeholders}
