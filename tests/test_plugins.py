"""A rulebook installed as a plugin (an entry point in `coordgap.rulebooks`) is seen everywhere:
`coordgap rules`, `findings`, `report` and `check`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coordgap.cli import main
from coordgap.rules import RULEBOOKS, load_plugins

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "datasets" / "example"
APRIL = ROOT / "datasets" / "zero_tolerance" / "proposals" / "zero-tolerance-2018-04.yaml"


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """tiny_rulebook installed the way pip would leave it: a dist-info with an entry point."""
    site = tmp_path_factory.mktemp("site")
    info = site / "tiny_rulebook-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: tiny-rulebook\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[coordgap.rulebooks]\ntiny = tiny_rulebook:RULEBOOK\n", encoding="utf-8")
    added = [str(site), str(ROOT / "tests" / "plugins")]
    sys.path[:0] = added
    try:
        assert "tiny" in load_plugins(force=True)
        yield
    finally:
        for p in added:
            sys.path.remove(p)
        RULEBOOKS.pop("tiny", None)
        sys.modules.pop("tiny_rulebook", None)


def test_rules_lists_the_plugin(installed):
    out = CliRunner().invoke(main, ["rules"])
    assert out.exit_code == 0, out.output
    assert "tiny (version 0.1): A tiny test rulebook" in out.output and "TINY-1" in out.output
    one = CliRunner().invoke(main, ["rules", "tiny"])
    assert "unwarned" in one.output and "Warn everyone first." in one.output


def test_findings_with_the_plugin_and_the_builtin(installed):
    out = CliRunner().invoke(main, ["findings", str(EXAMPLE), "--rulebook", "tiny", "--rulebook", "oig-21-028",
                                    "--format", "json", "--exit-zero"])
    assert out.exit_code == 0, out.output
    rules = {f["rule"] for f in json.loads(out.output)}
    assert "TINY-1" in rules and "OIG-R1" in rules
    assert all(f["responsible"] for f in json.loads(out.output) if f["rule"] == "TINY-1")


def test_report_with_the_plugin(installed, tmp_path):
    out = CliRunner().invoke(main, ["report", str(EXAMPLE), "--rulebook", "tiny", "--out", str(tmp_path),
                                    "--format", "md"])
    assert out.exit_code == 0, out.output
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "TINY-1" in text and "Every affected stakeholder hears before the decision" in text


def test_check_with_the_plugin(installed):
    out = CliRunner().invoke(main, ["check", str(APRIL), "--rulebook", "tiny", "--format", "json"])
    assert out.exit_code == 0, out.output  # TINY-1 findings are low: they do not block at medium
    data = json.loads(out.output)
    assert data["rulebooks"] == ["tiny"]
    assert {f["rule"] for f in data["findings"]} == {"TINY-1"}
    assert "hhs-orr" in {f["stakeholder"] for f in data["findings"]}


def test_an_unknown_rulebook_is_a_clear_error():
    out = CliRunner().invoke(main, ["findings", str(EXAMPLE), "--rulebook", "nope"])
    assert out.exit_code == 2 and "no rulebook named 'nope'" in out.output
