"""Write a Case back to a case folder, the inverse of loader.read_case."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

from ..model.case import Case
from .loader import CASE_FILE, CSV_MODELS, YAML_MODELS
from .tables import TABLES

# Fields where an empty list is a statement ("the source says there was none"), not a missing value.
_KEEP_EMPTY = {"collaborations": ("outcomes", "tracking", "bridging")}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _drop_none(obj):
    if isinstance(obj, dict):
        return {k: _drop_none(v) for k, v in obj.items() if v is not None and v != [] and v != ()}
    if isinstance(obj, list):
        return [_drop_none(v) for v in obj]
    return obj


def save_case(case: Case, folder: str | Path) -> Path:
    """Write every record of the case as CSV and YAML files in folder (created if needed)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    meta = _drop_none(case.meta.model_dump(mode="json"))
    (folder / CASE_FILE).write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True), encoding="utf-8")
    for stem in CSV_MODELS:
        records = getattr(case, stem)
        columns = list(TABLES[stem].to_schema().columns)
        with (folder / f"{stem}.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(columns)
            for rec in records:
                data = rec.model_dump(mode="json")
                writer.writerow([_cell(data.get(c)) for c in columns])
    for stem, (key, _model) in YAML_MODELS.items():
        records = []
        for r in getattr(case, stem):
            data = r.model_dump(mode="json")
            kept = {f: data[f] for f in _KEEP_EMPTY.get(stem, ()) if data.get(f) is not None}
            records.append(_drop_none(data) | kept)
        (folder / f"{stem}.yaml").write_text(
            yaml.safe_dump({key: records}, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
    return folder
