"""No library wording reaches a user: pydantic's messages are translated (issue #11)."""

from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE

from coordgap.cli import main
from coordgap.errors import plain_message

LIBRARY_WORDS = re.compile(r"Tuple should|Input should|after validation|Value error,|Field required|"
                           r"Extra inputs are not permitted|String should")


def test_an_interface_with_too_few_parties_is_said_in_our_words(tmp_path):
    case = tmp_path / "example"
    shutil.copytree(EXAMPLE, case)
    text = (case / "interfaces.yaml").read_text(encoding="utf-8")
    # leave the first interface with one party: a list of one where two are needed
    start = text.index("parties:")
    end = text.index("\n", text.index("\n", start) + 1)
    (case / "interfaces.yaml").write_text(text[:start] + "parties: [ports-customs]" + text[end:], encoding="utf-8")
    res = CliRunner().invoke(main, ["validate", str(case)])
    assert not LIBRARY_WORDS.search(res.output), res.output
    if res.exit_code == 1:  # interfaces may allow one party now; if not, the message is ours
        assert "needs at least 2 entries, has 1" in res.output


@pytest.mark.parametrize("err,want", [
    ({"type": "missing", "msg": "Field required"}, "required field is missing"),
    ({"type": "too_short", "msg": "Tuple should have at least 2 items after validation, not 1",
      "ctx": {"min_length": 2}, "input": ["a"]}, "needs at least 2 entries, has 1"),
    ({"type": "too_short", "msg": "x", "ctx": {"min_length": 1}, "input": []}, "must not be empty"),
    ({"type": "greater_than_equal", "msg": "Input should be greater than or equal to 0",
      "ctx": {"ge": 0}, "input": -3}, "-3 is out of range: must be at least 0"),
    ({"type": "int_parsing", "msg": "Input should be a valid integer", "input": "ten"}, "'ten' is not a whole number"),
    ({"type": "value_error", "msg": "Value error, a communication cannot answer itself"},
     "a communication cannot answer itself"),
    ({"type": "enum", "msg": "Input should be 'a' or 'b'", "ctx": {"expected": "'a' or 'b'"}, "input": "c"},
     "'c' is not one of 'a' or 'b'"),
])
def test_plain_message(err, want):
    assert plain_message(err) == want
    assert not LIBRARY_WORDS.search(plain_message(err))
