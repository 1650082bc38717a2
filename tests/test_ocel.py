"""The OCEL 2.0 export: the JSON document against the OCEL 2.0 JSON schema (as the
specification states it; no registry package ships the schema file), the
checks the schema cannot express, and round trips JSON -> SQLite -> JSON and
case -> OCEL -> the case's own communications and decisions."""

from __future__ import annotations

import json
from datetime import datetime

import jsonschema
import pytest
from click.testing import CliRunner

from coordgap.cli import main
from coordgap.io.ocel import read_ocel_sqlite, to_ocel, write_ocel_sqlite

# The OCEL 2.0 JSON format (ocel-standard.org, "OCEL 2.0 specification", JSON format section).
_ATTR_TYPE = {"enum": ["string", "time", "integer", "float", "boolean"]}
_REL = {"type": "object", "required": ["objectId", "qualifier"],
        "properties": {"objectId": {"type": "string"}, "qualifier": {"type": "string"}}}
_VALUE = {"type": ["string", "number", "integer", "boolean"]}
OCEL2_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["objectTypes", "eventTypes", "objects", "events"],
    "properties": {
        "objectTypes": {"type": "array", "items": {"$ref": "#/$defs/type"}},
        "eventTypes": {"type": "array", "items": {"$ref": "#/$defs/type"}},
        "objects": {"type": "array", "items": {
            "type": "object", "required": ["id", "type"],
            "properties": {
                "id": {"type": "string"}, "type": {"type": "string"},
                "attributes": {"type": "array", "items": {
                    "type": "object", "required": ["name", "value", "time"],
                    "properties": {"name": {"type": "string"}, "value": _VALUE,
                                   "time": {"type": "string", "format": "date-time"}}}},
                "relationships": {"type": "array", "items": _REL}}}},
        "events": {"type": "array", "items": {
            "type": "object", "required": ["id", "type", "time"],
            "properties": {
                "id": {"type": "string"}, "type": {"type": "string"},
                "time": {"type": "string", "format": "date-time"},
                "attributes": {"type": "array", "items": {
                    "type": "object", "required": ["name", "value"],
                    "properties": {"name": {"type": "string"}, "value": _VALUE}}},
                "relationships": {"type": "array", "items": _REL}}}},
    },
    "$defs": {"type": {"type": "object", "required": ["name", "attributes"], "properties": {
        "name": {"type": "string"},
        "attributes": {"type": "array", "items": {"type": "object", "required": ["name", "type"],
                                                  "properties": {"name": {"type": "string"}, "type": _ATTR_TYPE}}}}}},
}
_PY = {"string": str, "integer": int, "float": (int, float), "boolean": bool, "time": str}


def check_ocel(doc: dict) -> None:
    jsonschema.validate(doc, OCEL2_SCHEMA, format_checker=jsonschema.FormatChecker())
    etypes = {t["name"]: {a["name"]: a["type"] for a in t["attributes"]} for t in doc["eventTypes"]}
    otypes = {t["name"]: {a["name"]: a["type"] for a in t["attributes"]} for t in doc["objectTypes"]}
    ids = [o["id"] for o in doc["objects"]]
    assert len(ids) == len(set(ids)), "object ids are unique"
    assert len({e["id"] for e in doc["events"]}) == len(doc["events"]), "event ids are unique"
    objects = set(ids)
    for kind, items, types in (("event", doc["events"], etypes), ("object", doc["objects"], otypes)):
        for item in items:
            assert item["type"] in types, f"{kind} type {item['type']} is declared"
            for a in item.get("attributes", []):
                declared = types[item["type"]]
                assert a["name"] in declared, f"{item['id']}: attribute {a['name']} declared"
                assert isinstance(a["value"], _PY[declared[a["name"]]]), (item["id"], a)
            for r in item.get("relationships", []):
                assert r["objectId"] in objects, f"{item['id']} relates to a known object ({r['objectId']})"
            if kind == "event":  # checked here too: jsonschema checks formats only when its extras are installed
                try:
                    datetime.fromisoformat(item["time"].replace("Z", "+00:00"))
                except ValueError:
                    raise AssertionError(f"{item['id']}: time {item['time']!r} is not ISO 8601") from None


def test_example_case_is_a_valid_ocel_log(example_case):
    doc = to_ocel(example_case)
    check_ocel(doc)
    assert {o["type"] for o in doc["objects"]} == {"organisation", "person", "impact", "interface"}
    assert len([e for e in doc["events"] if e["type"] == "decision"]) == len(example_case.decisions)


def test_a_broken_log_fails_the_checks(example_case):
    doc = to_ocel(example_case)
    doc["events"][0]["relationships"].append({"objectId": "no-such-object", "qualifier": "sender"})
    with pytest.raises(AssertionError):
        check_ocel(doc)
    doc = to_ocel(example_case)
    doc["events"][0]["time"] = "April 2018"
    with pytest.raises((jsonschema.ValidationError, AssertionError)):
        check_ocel(doc)


def test_round_trip_case_to_ocel(example_case):
    doc = to_ocel(example_case)
    events = {e["id"]: e for e in doc["events"]}
    for c in example_case.communications:
        e = events[c.id]
        rel = [(r["qualifier"], r["objectId"]) for r in e["relationships"]]
        assert e["type"] == c.kind.value
        assert [o for q, o in rel if q == "sender"] == [c.sender]
        assert [o for q, o in rel if q == "recipient"] == list(c.recipients)
        attrs = {a["name"]: a["value"] for a in e["attributes"]}
        assert attrs["date"] == str(c.date) and attrs["channel"] == c.channel.value
        assert attrs["topics"].split(";") == list(c.topics) or (attrs["topics"] == "" and not c.topics)
        assert e["time"].startswith(c.date.start.isoformat())
    for d in example_case.decisions:
        rel = [(r["qualifier"], r["objectId"]) for r in events[d.id]["relationships"]]
        assert all(("decided_by", m) in rel for m in d.decided_by)
        assert {o for q, o in rel if q == "impact"} == {i.id for i in d.impacts}
    objects = {o["id"]: o for o in doc["objects"]}
    for s in example_case.stakeholders:
        parents = [r["objectId"] for r in objects[s.id]["relationships"] if r["qualifier"] == "part_of"]
        assert parents == ([s.parent] if s.parent else [])


def _canon(doc: dict) -> dict:
    return {k: sorted(doc[k], key=lambda x: json.dumps(x, sort_keys=True)) for k in doc}


def test_sqlite_round_trip_gives_the_json_back(example_case, tmp_path):
    path = write_ocel_sqlite(example_case, tmp_path / "log.sqlite")
    back = read_ocel_sqlite(path)
    check_ocel(back)
    assert _canon(back) == _canon(to_ocel(example_case))


def test_export_command_writes_both_formats(tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["export", "example", "--format", "ocel2-json", "-o", str(tmp_path / "a.json")])
    assert res.exit_code == 0, res.output
    check_ocel(json.loads((tmp_path / "a.json").read_text(encoding="utf-8")))
    res = runner.invoke(main, ["export", "example", "--format", "ocel2-sqlite", "-o", str(tmp_path / "a.sqlite")])
    assert res.exit_code == 0 and (tmp_path / "a.sqlite").stat().st_size > 0
    res = runner.invoke(main, ["export", "example", "--format", "ocel2-sqlite"])
    assert res.exit_code == 2 and "--out" in res.output
