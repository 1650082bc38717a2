"""Where the bundled case folders are, installed or in a source checkout."""

from __future__ import annotations

import difflib
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


def did_you_mean(word: str, choices) -> str:
    """'; did you mean 'x'?' for the closest choice, or '' when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def checkout_root() -> Path | None:
    """The source checkout this coordgap runs from (its pyproject.toml and src/coordgap), or None
    when it is an installed copy: generated files belong to a checkout, not to the current folder."""
    root = Path(__file__).resolve().parents[3]
    is_checkout = (root / "pyproject.toml").is_file() and (root / "src" / "coordgap").is_dir()
    return root if is_checkout else None
