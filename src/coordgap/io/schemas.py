"""Generated schemas: JSON Schema for every YAML file and every table's contract.

`coordgap schema --out schemas/` writes them; tests/test_schemas.py fails when
the committed copies differ from what the code would write.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, create_model

from ..model.case import Case, CaseMeta
from .loader import CSV_MODELS, YAML_MODELS
from .tables import OPTIONAL_COLUMNS, TABLES


def _yaml_document_models() -> dict[str, type[BaseModel]]:
    docs: dict[str, type[BaseModel]] = {"case.yaml": CaseMeta}
    for stem, (key, model) in YAML_MODELS.items():
        name = f"{stem.title()}File"
        docs[f"{stem}.yaml"] = create_model(name, __config__={"extra": "forbid"}, **{key: (list[model], [])})
    try:  # the pre-rollout proposal file, when that module is present
        from ..model.proposal import Proposal

        docs["proposal.yaml"] = Proposal
    except ImportError:
        pass
    return docs


def json_schemas() -> dict[str, dict]:
    out = {}
    for filename, model in _yaml_document_models().items():
        schema = model.model_json_schema(mode="validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = filename
        out[filename.replace(".yaml", ".schema.json")] = schema
    export = Case.model_json_schema(mode="serialization")
    export["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    export["title"] = "coordgap export (the whole validated case)"
    out["case-export.schema.json"] = export
    return out


def table_contracts() -> dict[str, dict]:
    """Each CSV table's columns and checks, read from its pandera schema."""
    out = {}
    for stem, table in TABLES.items():
        schema = table.to_schema()
        columns = []
        for name, col in schema.columns.items():
            columns.append({
                "name": name,
                "required": name not in OPTIONAL_COLUMNS.get(stem, set()),
                "unique": bool(col.unique),
                "checks": [{"check": ch.name, **(ch.statistics or {})} for ch in col.checks],
            })
        out[f"{stem}.table.json"] = {
            "table": f"{stem}.csv",
            "model": CSV_MODELS[stem].__name__,
            "strict": True,
            "list_separator": ";",
            "columns": columns,
        }
    return out


def render_all() -> dict[str, str]:
    files = {**json_schemas(), **table_contracts()}
    return {name: json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n" for name, body in files.items()}


def write_schemas(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in sorted(render_all().items()):
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
