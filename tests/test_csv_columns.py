"""The columnar CSV reader (pyarrow, io/files.py `read_csv(columns=True)`) reads a clean file
exactly as the row-by-row reader does, and hands every other file to the row reader, whose
messages name each bad row: on any text, either it declines, or it gives the same header,
cells and line numbers, for a file the row reader finds nothing wrong with."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coordgap.io import files

# The characters that make CSV hard: separators, quotes, line breaks, spaces, a NUL, non-ASCII.
CELL = (st.text(alphabet=st.sampled_from(list('ab,"\n\r \x00é\u2028')), max_size=6)
        | st.text(alphabet=st.sampled_from(list('ab,;" é')), max_size=6))


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


@st.composite
def csv_bytes(draw) -> bytes:
    """Well-formed tables (quoted or not at random) with damage sometimes spliced in."""
    width = draw(st.integers(1, 3))
    rows = draw(st.lists(st.lists(CELL, min_size=width, max_size=width), min_size=1, max_size=5))
    lines = []
    for row in rows:
        cells = [_quoted(c) if draw(st.booleans()) or any(x in c for x in ',"\n\r') else c for c in row]
        lines.append(",".join(cells))
    text = draw(st.sampled_from(["\n", "\r\n"])).join(lines) + draw(st.sampled_from(["", "\n", "\r\n"]))
    if draw(st.integers(0, 3)) == 0:  # damage: a raw fragment anywhere
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.text(alphabet=st.sampled_from(list('a,"\n\r ')), max_size=4)) + text[at:]
    data = text.encode()
    if draw(st.integers(0, 9)) == 0:
        data = b"\xef\xbb\xbf" + data
    if draw(st.integers(0, 19)) == 0:
        data = data + b"\xff\n"
    return data


def _both(tmp_path, data: bytes):
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    return files.read_csv(path, "t.csv", tmp_path), files.read_csv(path, "t.csv", tmp_path, columns=True)


def _agree(rows, cols) -> None:
    if cols.columns is None:  # declined: the row reader read it, with its own results
        assert (cols.header, cols.rows, cols.unreadable, cols.problems) == \
               (rows.header, rows.rows, rows.unreadable, rows.problems)
        return
    assert rows.problems == [] and rows.unreadable == [] and not rows.unread
    assert cols.header == rows.header
    got = [list(r) for r in zip(*[c.to_pylist() for c in cols.columns])]
    assert got == [cells for _, cells in rows.rows]
    assert list(range(2, len(got) + 2)) == [line for line, _ in rows.rows]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=csv_bytes())
def test_columns_agree_with_rows(tmp_path, data):
    _agree(*_both(tmp_path, data))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=40) | st.text(alphabet=st.sampled_from(list('ab,"\n\r ')), max_size=30).map(str.encode))
def test_columns_agree_on_any_bytes(tmp_path, data):
    _agree(*_both(tmp_path, data))


def test_clean_file_is_read_as_columns(tmp_path):
    rows, cols = _both(tmp_path, b'id,text\n"a-1","x, ""y"""\nb-2,plain\n')
    assert cols.columns is not None and cols.header == ["id", "text"]
    assert [c.to_pylist() for c in cols.columns] == [["a-1", "b-2"], ['x, "y"', "plain"]]
    _agree(rows, cols)


def test_damaged_files_are_left_to_the_row_reader(tmp_path):
    for data in (b'id,text\n"ab"c,d\n',  # text after a closing quote: Python refuses, pyarrow would not
                 b'id,text\n"a\nb",c\n',  # a record over two lines: lines would be miscounted
                 b'id,text\na,b\n\nc,d\n',  # a blank line
                 b'id,text\na,b,c\n',  # a row too long
                 b'id,text\na,\xff\n',  # not UTF-8
                 b'id,text\n"a,b\n'):  # never closed
        rows, cols = _both(tmp_path, data)
        assert cols.columns is None, data
        _agree(rows, cols)


def test_field_limit_is_kept(tmp_path):
    with files.using(max_field_chars=5):
        rows, cols = _both(tmp_path, b"id,text\na,123456\n" + b"b,c\n" * 10)
    assert cols.columns is None and rows.unreadable and rows.unreadable == cols.unreadable
