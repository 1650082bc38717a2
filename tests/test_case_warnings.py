"""Warnings `coordgap validate` prints for a case that loads but that the analysis cannot
fully use (issue #11 part B): a decision with no impacts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

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
