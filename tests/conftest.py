"""Shared fixtures: paths to the bundled cases and the OIG source report."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/reference.py

DATASETS = ROOT / "datasets"
EXAMPLE = DATASETS / "example"
ZERO_TOLERANCE = DATASETS / "zero_tolerance"
OIG_REPORT = ROOT.parent / "shared" / "sources" / "doj-oig-21-028-zero-tolerance.md"


def require_oig_report() -> Path:
    """The source report lives outside the repo; under CI it must be there."""
    if OIG_REPORT.is_file():
        return OIG_REPORT
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but the OIG source report is missing at {OIG_REPORT}")
    pytest.skip(f"the OIG source report is not at {OIG_REPORT} (it is shipped beside the repo in shared/)")


@pytest.fixture(scope="session")
def example_case():
    from coordgap import load_case

    return load_case(EXAMPLE)


@pytest.fixture(scope="session")
def oig_report() -> Path:
    return require_oig_report()
