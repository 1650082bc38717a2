"""schemas/ is generated: it must match what the code writes now."""

from __future__ import annotations

import json

import jsonschema
import yaml
from conftest import EXAMPLE, ROOT

from coordgap.io.schemas import render_all

SCHEMAS = ROOT / "schemas"


def test_committed_schemas_are_current():
    expected = render_all()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in SCHEMAS.glob("*.json")}
    stale = sorted(n for n in expected if on_disk.get(n) != expected[n])
    extra = sorted(set(on_disk) - set(expected))
    assert not stale and not extra, (
        f"schemas/ is stale (changed: {stale}, no longer generated: {extra}); "
        "run `coordgap schema --out schemas` and commit"
    )


def test_example_yaml_files_validate_against_their_schemas():
    for name in ("case", "decisions", "flows", "interfaces"):
        schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
        data = yaml.safe_load((EXAMPLE / f"{name}.yaml").read_text(encoding="utf-8"))
        data = json.loads(json.dumps(data, default=str))  # YAML dates -> strings, as the loader reads them
        jsonschema.validate(data, schema)
