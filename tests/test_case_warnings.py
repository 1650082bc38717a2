"""Warnings `coordgap validate` prints for a case that loads but that the analysis cannot
fully use (issue #11 part B): a decision with no impacts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE

from coordgap.cli import main

WARNING = ("decisions.yaml: [d-rota] has no impacts, so it has no row in the consultation matrix and no rule "
           "can find a gap in who was consulted about it (list whom it affects under `impacts`)")


def _without_rota_impacts(tmp_path: Path) -> Path:
    folder = tmp_path / "case"
    shutil.copytree(EXAMPLE, folder)
    path = folder / "decisions.yaml"
    text = path.read_text()
    head, rota = text.split("  - id: d-rota\n")
    rota = rota[: rota.index("    impacts:\n")]
    path.write_text(head + "  - id: d-rota\n" + rota)
    return folder


def test_a_decision_with_no_impacts_is_a_warning(tmp_path: Path):
    folder = _without_rota_impacts(tmp_path)
    out = CliRunner().invoke(main, ["validate", str(folder)])
    assert out.exit_code == 0, out.output  # a warning, not a problem
    assert f"warning: {WARNING}\n" in out.output
    js = CliRunner().invoke(main, ["validate", str(folder), "--format", "json"])
    data = json.loads(js.output)
    assert data["valid"] is True and data["problems"] == []
    assert WARNING in data["warnings"]


def test_the_bundled_example_has_no_such_warning():
    out = CliRunner().invoke(main, ["validate", str(EXAMPLE), "--format", "json"])
    assert not [w for w in json.loads(out.output)["warnings"] if "has no impacts" in w]


NO_COMMUNICATIONS = ("communications: the case has no communication (no communications.csv, communications/ folder "
                     "or communications.parquet, or it holds none), so no stakeholder was told of any decision: "
                     "every cell of the consultation matrix is `none`")


def test_a_missing_optional_table_is_a_warning_in_validate_and_in_the_report(tmp_path: Path):
    folder = tmp_path / "case"
    shutil.copytree(EXAMPLE, folder)
    (folder / "communications.csv").unlink()
    out = CliRunner().invoke(main, ["validate", str(folder)])
    assert out.exit_code == 0, out.output
    assert out.output.splitlines()[0] == f"warning: {NO_COMMUNICATIONS}"
    report = CliRunner().invoke(main, ["report", str(folder), "--out", str(tmp_path / "r")])
    assert report.exit_code == 0, report.output
    md = (tmp_path / "r" / "report.md").read_text()
    method = md[md.index("## 7. Methodology"):md.index("## Appendix A")]
    assert ("**Warnings.** The case is valid, but `coordgap validate` warns of what the analysis cannot use:\n\n"
            "- communications: the case has no communication (no communications.csv, communications/ folder or "
            "communications.parquet, or it holds none), so no stakeholder was told of any decision: every cell "
            "of the consultation matrix is \\`none\\`\n") in method
    html = (tmp_path / "r" / "report.html").read_text()
    assert f"<li>{NO_COMMUNICATIONS}</li>" in html
    assert html.index('id="warnings"') > html.index('id="methodology"')


@pytest.mark.parametrize("remove,expected", [
    ("decisions.yaml", "decisions.yaml: the case has no decision (the file is missing or holds none), so the "
                       "consultation matrix is empty and no rule can find a gap in who was consulted"),
    ("procedures.csv", "procedures.csv: the case has no procedure (the file is missing or holds none), so every "
                       "party of an interface reads as having no procedure for it"),
])
def test_each_missing_table_that_changes_the_results_is_named(tmp_path: Path, remove: str, expected: str):
    folder = tmp_path / "case"
    shutil.copytree(EXAMPLE, folder)
    (folder / remove).unlink()
    if remove == "decisions.yaml":  # nothing may name a decision then (that would be a problem, not a warning)
        for name in ("communications.csv", "interfaces.yaml", "procedures.csv", "agreements.csv", "conclusions.yaml"):
            (folder / name).unlink()
        text = (folder / "case.yaml").read_text()
        (folder / "case.yaml").write_text(text[: text.index("suppressions:")])
    data = json.loads(CliRunner().invoke(main, ["validate", str(folder), "--format", "json"]).output)
    assert data["valid"] is True, data["problems"]
    assert expected in data["warnings"]


def test_the_zero_tolerance_report_shows_its_warning_in_the_method_section():
    from conftest import DATASETS

    md = (DATASETS.parent / "reports" / "zero_tolerance" / "report.md").read_text()
    method = md[md.index("## 7. Methodology"):md.index("## Appendix A")]
    assert ("- decisions.yaml: \\[d-2018-04-uac-sponsor-moa\\] has no impacts, so it has no row in the "
            "consultation matrix") in method


def test_the_example_report_has_no_warnings_block(tmp_path: Path):
    from conftest import DATASETS

    md = (DATASETS.parent / "reports" / "example" / "report.md").read_text()
    assert "**Warnings.**" not in md
