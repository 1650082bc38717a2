"""The matrix depends on what the tables hold, not on how Arrow lays them out or in what
order the communications come: the engine numbers rows, slices list chunks and names
lists after the query, and each of those could leak layout into the answer."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from conftest import ZERO_TOLERANCE

from coordgap import load_case
from coordgap.engine.matrix import CaseTables, case_tables, consultation_matrix


@pytest.fixture(scope="module")
def tables() -> CaseTables:
    return case_tables(load_case(ZERO_TOLERANCE))


@pytest.fixture(scope="module")
def matrix(tables) -> pd.DataFrame:
    return consultation_matrix(tables)


def with_comms(tables: CaseTables, comms: pa.Table) -> CaseTables:
    return dataclasses.replace(tables, comms=comms)


def test_the_case_has_what_these_tests_need(matrix):
    # lists in several cells, so that order and naming are really exercised
    assert (matrix.contacts.map(len) > 1).sum() > 20
    assert (matrix.other_topic_contacts.map(len) > 1).sum() > 5
    assert (matrix.raised.map(len) > 0).sum() > 0


@pytest.mark.parametrize("rows", [1, 7, 64])
def test_chunked_tables_give_the_same_matrix(tables, matrix, rows):
    # to_batches slices the table without copying: every chunk but the first starts at an offset
    chunked = pa.Table.from_batches(tables.comms.to_batches(max_chunksize=rows))
    assert chunked.column("recipients").num_chunks > 1
    pd.testing.assert_frame_equal(consultation_matrix(with_comms(tables, chunked)), matrix)


@pytest.mark.parametrize("order", ["reversed", "shuffled"])
def test_the_order_of_communications_does_not_matter(tables, matrix, order):
    n = tables.comms.num_rows
    idx = list(range(n))[::-1] if order == "reversed" else [(i * 37) % n for i in range(n)]
    assert sorted(idx) == list(range(n))
    pd.testing.assert_frame_equal(consultation_matrix(with_comms(tables, tables.comms.take(idx))), matrix)


def test_a_missing_recipient_list_counts_as_no_recipients(tables):
    comms = tables.comms
    recipients = comms.column("recipients")
    first = pc.list_value_length(recipients).to_pylist().index(max(pc.list_value_length(recipients).to_pylist()))
    emptied, missing = [recipients.to_pylist() for _ in range(2)]
    emptied[first], missing[first] = [], None
    i = comms.schema.get_field_index("recipients")
    as_empty = comms.set_column(i, "recipients", pa.array(emptied, recipients.type))
    as_null = comms.set_column(i, "recipients", pa.array(missing, recipients.type))
    m_empty = consultation_matrix(with_comms(tables, as_empty))
    pd.testing.assert_frame_equal(consultation_matrix(with_comms(tables, as_null)), m_empty)
    # and the change is seen: that communication no longer reaches anyone
    gone = comms.column("comm")[first].as_py()
    assert not any(gone in c for c in m_empty.contacts)



def test_the_loaded_columns_give_the_same_comms_table_as_the_records(tmp_path):
    """load_case keeps the communications' validated cells for the engine; the table made from
    them equals the one made from the records (dates with times, spaces and approximations,
    flags given and not, empty lists, disputes), and a copy of the case holding other records
    does not use them."""
    import shutil

    from conftest import ROOT

    from coordgap.engine.matrix import _comms_from_records
    from coordgap.io.columns import TEXT_COLUMNS

    folder = tmp_path / "case"
    shutil.copytree(ROOT / "datasets" / "example", folder)
    path = folder / "communications.csv"
    lines = path.read_text().splitlines()
    rows = [lines[0] + ",about_text"] + [line + "," for line in lines[1:]] + [
        "c-x1,2024-03-05T09:30,email,consultation,ports-legal,customs-north;ports-customs,,d-curfew,,"
        "a-dispute,One.,e-c-north,true",
        "c-x2,  ~2024-03-06 ,email,notification,p-minister,customs-north,staffing,,c-x1,,Two.,e-c-north,false",
        "c-x3,2024-03,meeting,consultation,ports-customs,ports-legal,staffing;inspection-workload,,,,Three.,e-c-north,",
    ]
    path.write_text("\n".join(rows) + "\n")
    case = load_case(folder)
    assert TEXT_COLUMNS in case.__dict__ and len(case.communications) == len(lines) + 2
    assert case_tables(case).comms.equals(_comms_from_records(case.communications))
    changed = case.model_copy(update={"communications": case.communications[:2]})
    assert case_tables(changed).comms.equals(_comms_from_records(changed.communications))
