"""`coordgap export` and `coordgap matrix`: the JSON export is the whole case and
validates against its generated schema; the matrix prints in every format."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
from click.testing import CliRunner
from conftest import EXAMPLE, ROOT

from coordgap import Case, consultation_matrix, export_case
from coordgap.cli import main


def test_export_is_the_whole_case_and_matches_its_schema(example_case, tmp_path):
    out = tmp_path / "case.json"
    result = CliRunner().invoke(main, ["export", str(EXAMPLE), "--format", "json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "schemas" / "case-export.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert data == export_case(example_case)
    assert Case.model_validate(data) == example_case  # nothing lost on the way out
    assert data["communications"][1]["date"] == "2024-03-10"  # dates as written


def test_matrix_formats(example_case):
    runner = CliRunner()
    expected = consultation_matrix(example_case)
    as_json = json.loads(runner.invoke(main, ["matrix", "example", "--format", "json"]).output)
    assert [r["status"] for r in as_json] == list(expected.status)
    assert as_json[0]["contacts"] == list(expected.contacts[0])
    rows = list(csv.DictReader(io.StringIO(runner.invoke(main, ["matrix", "example", "--format", "csv"]).output)))
    assert [r["impact"] for r in rows] == list(expected.impact)
    assert rows[0]["contacts"] == ";".join(expected.contacts[0])
    table = runner.invoke(main, ["matrix", "example"]).output
    assert "leadership_only" in table and "city-police" in table
