"""Paths a user gets wrong: a mistyped bundled case name, regenerate run from an installed copy."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

import coordgap
import coordgap.io.bundled
from coordgap.cli import main


def test_a_mistyped_bundled_case_gets_a_suggestion():
    for cmd in (["report", "zero_tolerence"], ["validate", "zero_tolerence"], ["matrix", "exampel"]):
        res = CliRunner().invoke(main, cmd)
        assert res.exit_code == 2, res.output
        want = "zero_tolerance" if "zero" in cmd[1] else "example"
        assert f"{cmd[1]}: no such folder, nor a bundled case; did you mean '{want}'?" in res.output


def test_a_name_close_to_nothing_lists_the_bundled_cases():
    res = CliRunner().invoke(main, ["validate", "qqqq"])
    assert res.exit_code == 2
    assert "qqqq: no such folder, nor a bundled case (bundled cases: example, zero_tolerance)" in res.output


def test_a_missing_path_with_folders_is_not_taken_for_a_case_name(tmp_path):
    res = CliRunner().invoke(main, ["validate", str(tmp_path / "nope")])
    assert res.exit_code == 2 and "no such file or folder" in res.output


def test_regenerate_refuses_to_write_into_the_current_folder_of_an_installed_copy(tmp_path, monkeypatch):
    monkeypatch.setattr(coordgap.io.bundled, "checkout_root", lambda: None)
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(main, ["regenerate"])
    assert res.exit_code == 2
    assert "this coordgap is an installed copy" in res.output
    assert list(tmp_path.iterdir()) == []


def test_the_checkout_root_is_the_source_tree_or_none_for_an_installed_copy():
    from conftest import ROOT

    root = coordgap.io.bundled.checkout_root()
    if Path(coordgap.__file__).resolve().is_relative_to(ROOT / "src"):  # run with PYTHONPATH=src
        assert root == ROOT
    else:  # CI installs the package: an installed copy has no checkout to regenerate
        assert root is None


def test_report_out_that_is_a_file_is_a_clear_error(tmp_path):
    from conftest import EXAMPLE

    target = tmp_path / "report.md"
    target.write_text("mine")
    res = CliRunner(mix_stderr=False).invoke(main, ["report", str(EXAMPLE), "--out", str(target)]) \
        if "mix_stderr" in CliRunner.__init__.__code__.co_varnames else CliRunner().invoke(
            main, ["report", str(EXAMPLE), "--out", str(target)])
    assert res.exit_code == 2
    assert f"--out {target}: is a file, not a folder; name a folder for the report's files" in res.output + (
        res.stderr if hasattr(res, "stderr") and res.stderr_bytes is not None else "")
    assert target.read_text() == "mine"


def test_report_into_a_folder_with_other_files_writes_only_its_own_and_says_so(tmp_path):
    from conftest import EXAMPLE

    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("keep")
    res = CliRunner().invoke(main, ["report", str(EXAMPLE), "--out", str(out), "--format", "md"])
    assert res.exit_code == 0, res.output
    assert (out / "notes.txt").read_text() == "keep"
    assert f"note: {out} also holds 1 other file(s), left as they were: notes.txt" in res.output
