"""Where the bundled case folders are, installed or in a source checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

DEFAULT_CASE = "zero_tolerance"
FALLBACK_CASE = "example"


def datasets_dir() -> Path | None:
    """The datasets folder: inside the installed package, else the checkout's datasets/."""
    try:
        installed = Path(str(resources.files("coordgap.datasets")))
        if installed.is_dir():
            return installed
    except (ModuleNotFoundError, TypeError):
        pass
    checkout = Path(__file__).resolve().parents[3] / "datasets"
    return checkout if checkout.is_dir() else None


def bundled_cases() -> list[str]:
    root = datasets_dir()
    if root is None:
        return []
    return sorted(p.name for p in root.iterdir() if (p / "case.yaml").is_file())


def bundled_case_path(name: str) -> Path | None:
    root = datasets_dir()
    if root is None or "/" in name or name.startswith("."):
        return None
    path = root / name
    return path if (path / "case.yaml").is_file() else None


def default_case() -> str:
    """The case `coordgap report` uses when none is named."""
    cases = bundled_cases()
    return DEFAULT_CASE if DEFAULT_CASE in cases else FALLBACK_CASE


def bundled_proposals() -> dict[str, Path]:
    """The proposals bundled with the cases (datasets/<case>/proposals/*.yaml), by file stem."""
    root = datasets_dir()
    out: dict[str, Path] = {}
    if root is None:
        return out
    for case in bundled_cases():
        folder = root / case / "proposals"
        if folder.is_dir():
            for f in sorted(folder.glob("*.yaml")):
                if f.name != "annotations.yaml":
                    out.setdefault(f.stem, f)
    return out


def bundled_proposal_path(name: str) -> Path | None:
    """A bundled proposal by name (`zero-tolerance-2018-04`), like a bundled case."""
    if "/" in name or name.startswith("."):
        return None
    return bundled_proposals().get(name.removesuffix(".yaml"))
