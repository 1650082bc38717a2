"""Generated files (schemas/ and reports/) are current for every bundled case.

Rebuild them with `coordgap regenerate`.
"""

from __future__ import annotations

import pytest
from conftest import ROOT

from coordgap import load_case
from coordgap.io.bundled import bundled_case_path, bundled_cases
from coordgap.render.report import render_reports


def test_every_bundled_case_is_shipped():
    assert {"example", "zero_tolerance"} <= set(bundled_cases())


@pytest.mark.parametrize("name", ["example", "zero_tolerance"])
def test_committed_reports_are_current(name):
    case = load_case(bundled_case_path(name))
    for name_of_file, text in render_reports(case).items():
        path = ROOT / "reports" / case.meta.id / name_of_file
        assert path.is_file(), f"{path} is missing: run `coordgap regenerate`"
        assert path.read_bytes() == text.encode("utf-8"), f"{path} is stale: run `coordgap regenerate`"
