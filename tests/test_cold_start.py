"""`import coordgap` and `coordgap --help` stay light: the heavy libraries (pandas, pandera,
DuckDB, pyarrow, networkx, jinja2) are imported when something first needs them. Checked in
a fresh interpreter through sys.modules, not by timing (docs/performance.md has the times)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("pandas", "pandera", "duckdb", "pyarrow", "networkx", "jinja2")
SRC = str(Path(__file__).resolve().parents[1] / "src")


def _loaded_after(code: str) -> list[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": SRC, "PATH": ""})
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_import_coordgap_imports_no_heavy_library():
    assert _loaded_after("import coordgap") == []


def test_help_imports_no_heavy_library():
    code = "import sys\nfrom coordgap.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    assert _loaded_after(code) == []


def test_public_api_resolves_and_loads_what_it_needs():
    import coordgap

    for name in coordgap.__all__:
        assert getattr(coordgap, name) is not None, name
    assert set(coordgap.__all__) <= set(dir(coordgap))
    assert _loaded_after("from coordgap import load_case") != []  # the loader does need pandas
    try:
        coordgap.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("an unknown attribute must raise AttributeError")


def test_assess_is_the_function_even_after_its_subpackage_is_imported():
    code = ("import coordgap.assess.accounting\nfrom coordgap import assess\nimport coordgap\n"
            "assert callable(assess) and coordgap.assess is assess, assess\n"
            "from coordgap.assess import case\nassert case.assess is assess")
    subprocess.run([sys.executable, "-c", code], check=True, env={"PYTHONPATH": SRC, "PATH": ""})
