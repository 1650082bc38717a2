"""A case as an OCEL 2.0 object-centric event log, for process-mining tools.

Events: each communication (type: its kind, e.g. `consultation`) and each
decision (type `decision`). Objects: organisations, people, impacts and
interfaces. Qualified relations link events to objects (a communication's
`sender` and each `recipient`, the impacts it `covers`; a decision's
`decided_by`, `acting_for`, `urged_by`, its `impact`s and the interfaces it
`creates`) and objects to objects (a person `works_in` an organisation, an
organisation is `part_of` its parent, an impact `affects` an organisation, an
interface has each `party`).

OCEL needs a timestamp per event; a case keeps dates at the precision the
source gives, so an event's `time` is the earliest day its date allows
(midnight UTC) and the attributes `date` (as written) and `date_latest` keep
the rest. Two formats: OCEL 2.0 JSON and OCEL 2.0 SQLite, with readers of
both so a round trip can be checked.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from ..model.case import Case

STATIC_TIME = "1970-01-01T00:00:00Z"  # OCEL's time for object attributes that never change

OBJECT_TYPES = {
    "organisation": [("name", "string"), ("kind", "string"), ("branch", "string")],
    "person": [("name", "string"), ("title", "string"), ("tenure_start", "string"), ("tenure_end", "string")],
    "impact": [("topic", "string"), ("description", "string"), ("required_lead_days", "integer")],
    "interface": [("title", "string"), ("starts", "string")],
}
COMM_ATTRS = [("channel", "string"), ("summary", "string"), ("date", "string"), ("date_latest", "string"),
              ("topics", "string"), ("decisions", "string"), ("responds_to", "string"), ("evidence", "string")]
DECISION_ATTRS = [("title", "string"), ("summary", "string"), ("date", "string"), ("date_latest", "string"),
                  ("significant", "boolean")]


def _time(d) -> str:
    return f"{d.isoformat()}T00:00:00Z"


def _attrs(pairs, with_time: bool) -> list[dict]:
    out = []
    for name, value in pairs:
        if value is None:
            continue
        out.append({"name": name, "value": value, "time": STATIC_TIME} if with_time else {"name": name, "value": value})
    return out


def _rels(pairs) -> list[dict]:
    return [{"objectId": o, "qualifier": q} for q, o in pairs]


def to_ocel(case: Case) -> dict:
    """The case as an OCEL 2.0 JSON document (a dict)."""
    objects = []
    for s in case.stakeholders:
        objects.append({"id": s.id, "type": "organisation",
                        "attributes": _attrs([("name", s.name), ("kind", s.kind.value), ("branch", s.branch.value)], True),
                        "relationships": _rels([("part_of", s.parent)] if s.parent else [])})
    for a in case.actors:
        objects.append({"id": a.id, "type": "person",
                        "attributes": _attrs([("name", a.name), ("title", a.title),
                                              ("tenure_start", str(a.tenure_start) if a.tenure_start else None),
                                              ("tenure_end", str(a.tenure_end) if a.tenure_end else None)], True),
                        "relationships": _rels([("works_in", a.organisation)])})
    impacts_of: dict[str, list] = {}
    for d in case.decisions:
        for i in d.impacts:
            impacts_of.setdefault(d.id, []).append(i)
            objects.append({"id": i.id, "type": "impact",
                            "attributes": _attrs([("topic", i.topic), ("description", i.description),
                                                  ("required_lead_days", i.required_lead_days)], True),
                            "relationships": _rels([("affects", i.stakeholder)])})
    for f in case.interfaces:
        objects.append({"id": f.id, "type": "interface",
                        "attributes": _attrs([("title", f.title), ("starts", str(f.starts) if f.starts else None)], True),
                        "relationships": _rels([("party", p) for p in f.parties])})
    events = []
    for d in case.decisions:
        rels = [("decided_by", d.decided_by), *(("acting_for", o) for o in d.acting_for),
                *(("urged_by", o) for o in d.urged_by), *(("impact", i.id) for i in d.impacts),
                *(("creates", f.id) for f in case.interfaces if d.id in f.created_by)]
        events.append({"id": d.id, "type": "decision", "time": _time(d.date.start),
                       "attributes": _attrs([("title", d.title), ("summary", d.summary), ("date", str(d.date)),
                                             ("date_latest", d.date.end.isoformat()),
                                             ("significant", d.significant)], False),
                       "relationships": _rels(rels)})
    for c in case.communications:
        # a contact about a decision's text covers the topics that text covers (docs/methodology.md, 1a)
        covered = [i.id for did in c.decisions if did in case.decision_index for i in impacts_of.get(did, ())
                   if i.topic in c.topics_for(case.decision_index[did])]
        rels = [("sender", c.sender), *(("recipient", r) for r in c.recipients),
                *(("covers", i) for i in dict.fromkeys(covered))]
        events.append({"id": c.id, "type": c.kind.value, "time": _time(c.date.start),
                       "attributes": _attrs([("channel", c.channel.value), ("summary", c.summary),
                                             ("date", str(c.date)), ("date_latest", c.date.end.isoformat()),
                                             ("topics", ";".join(c.topics)), ("decisions", ";".join(c.decisions)),
                                             ("responds_to", ";".join(c.responds_to)),
                                             ("evidence", ";".join(c.evidence))], False),
                       "relationships": _rels(rels)})
    kinds = sorted({e["type"] for e in events if e["type"] != "decision"})
    return {
        "objectTypes": [{"name": t, "attributes": [{"name": n, "type": ty} for n, ty in attrs]}
                        for t, attrs in OBJECT_TYPES.items()],
        "eventTypes": [{"name": "decision", "attributes": [{"name": n, "type": t} for n, t in DECISION_ATTRS]}]
        + [{"name": k, "attributes": [{"name": n, "type": t} for n, t in COMM_ATTRS]} for k in kinds],
        "objects": objects,
        "events": events,
    }


def to_ocel_json(case: Case) -> str:
    return json.dumps(to_ocel(case), indent=1, ensure_ascii=False) + "\n"


# ------------------------------------------------------------- SQLite ----
def _map_name(type_name: str) -> str:
    """The table-name suffix OCEL 2.0 SQLite gives a type (letters and digits only)."""
    return re.sub(r"[^A-Za-z0-9]", "", type_name.title()) or "Type"


_SQL_TYPE = {"string": "TEXT", "integer": "INTEGER", "float": "REAL", "boolean": "BOOLEAN", "time": "TIMESTAMP"}


def write_ocel_sqlite(case: Case, path: str | Path) -> Path:
    """The case as an OCEL 2.0 SQLite database (a new file; an old one is replaced)."""
    path = Path(path)
    path.unlink(missing_ok=True)
    doc = to_ocel(case)
    con = sqlite3.connect(path)
    try:
        q = con.execute
        q("CREATE TABLE event (ocel_id TEXT PRIMARY KEY, ocel_type TEXT)")
        q("CREATE TABLE object (ocel_id TEXT PRIMARY KEY, ocel_type TEXT)")
        q("CREATE TABLE event_map_type (ocel_type TEXT PRIMARY KEY, ocel_type_map TEXT)")
        q("CREATE TABLE object_map_type (ocel_type TEXT PRIMARY KEY, ocel_type_map TEXT)")
        q("CREATE TABLE event_object (ocel_event_id TEXT, ocel_object_id TEXT, ocel_qualifier TEXT, "
          "PRIMARY KEY (ocel_event_id, ocel_object_id, ocel_qualifier))")
        q("CREATE TABLE object_object (ocel_source_id TEXT, ocel_target_id TEXT, ocel_qualifier TEXT, "
          "PRIMARY KEY (ocel_source_id, ocel_target_id, ocel_qualifier))")
        for t in doc["eventTypes"]:
            m = _map_name(t["name"])
            q("INSERT INTO event_map_type VALUES (?, ?)", (t["name"], m))
            cols = "".join(f', "{a["name"]}" {_SQL_TYPE[a["type"]]}' for a in t["attributes"])
            q(f'CREATE TABLE "event_{m}" (ocel_id TEXT PRIMARY KEY, ocel_time TIMESTAMP{cols})')
        for t in doc["objectTypes"]:
            m = _map_name(t["name"])
            q("INSERT INTO object_map_type VALUES (?, ?)", (t["name"], m))
            cols = "".join(f', "{a["name"]}" {_SQL_TYPE[a["type"]]}' for a in t["attributes"])
            q(f'CREATE TABLE "object_{m}" (ocel_id TEXT, ocel_time TIMESTAMP, ocel_changed_field TEXT{cols})')
        attr_names = {t["name"]: [a["name"] for a in t["attributes"]] for t in doc["eventTypes"] + doc["objectTypes"]}
        for e in doc["events"]:
            q("INSERT INTO event VALUES (?, ?)", (e["id"], e["type"]))
            values = {a["name"]: a["value"] for a in e["attributes"]}
            names = attr_names[e["type"]]
            q(f'INSERT INTO "event_{_map_name(e["type"])}" VALUES ({", ".join("?" * (len(names) + 2))})',
              (e["id"], e["time"], *(values.get(n) for n in names)))
            con.executemany("INSERT OR IGNORE INTO event_object VALUES (?, ?, ?)",
                            [(e["id"], r["objectId"], r["qualifier"]) for r in e["relationships"]])
        for o in doc["objects"]:
            q("INSERT INTO object VALUES (?, ?)", (o["id"], o["type"]))
            values = {a["name"]: a["value"] for a in o["attributes"]}
            names = attr_names[o["type"]]
            q(f'INSERT INTO "object_{_map_name(o["type"])}" VALUES ({", ".join("?" * (len(names) + 3))})',
              (o["id"], STATIC_TIME, None, *(values.get(n) for n in names)))
            con.executemany("INSERT OR IGNORE INTO object_object VALUES (?, ?, ?)",
                            [(o["id"], r["objectId"], r["qualifier"]) for r in o.get("relationships", [])])
        con.commit()
    finally:
        con.close()
    return path


def read_ocel_sqlite(path: str | Path) -> dict:
    """An OCEL 2.0 SQLite file back into the JSON shape (to compare the two formats)."""
    con = sqlite3.connect(path)
    try:
        def types(kind: str) -> list[dict]:
            out = []
            for name, m in con.execute(f"SELECT ocel_type, ocel_type_map FROM {kind}_map_type ORDER BY rowid"):
                cols = [r[1] for r in con.execute(f'PRAGMA table_info("{kind}_{m}")')]
                skip = {"ocel_id", "ocel_time", "ocel_changed_field"}
                sql_types = {r[1]: r[2] for r in con.execute(f'PRAGMA table_info("{kind}_{m}")')}
                back = {v: k for k, v in _SQL_TYPE.items()}
                out.append({"name": name, "map": m,
                            "attributes": [{"name": c, "type": back[sql_types[c]]} for c in cols if c not in skip]})
            return out

        etypes, otypes = types("event"), types("object")
        rel_e: dict[str, list] = {}
        for ev, ob, qual in con.execute("SELECT * FROM event_object ORDER BY rowid"):
            rel_e.setdefault(ev, []).append({"objectId": ob, "qualifier": qual})
        rel_o: dict[str, list] = {}
        for src, tgt, qual in con.execute("SELECT * FROM object_object ORDER BY rowid"):
            rel_o.setdefault(src, []).append({"objectId": tgt, "qualifier": qual})
        bool_attrs = {(t["name"], a["name"]) for t in etypes + otypes for a in t["attributes"] if a["type"] == "boolean"}
        events = []
        for t in etypes:
            names = [a["name"] for a in t["attributes"]]
            for row in con.execute(f'SELECT * FROM "event_{t["map"]}" ORDER BY rowid'):
                attrs = [{"name": n, "value": bool(v) if (t["name"], n) in bool_attrs else v}
                         for n, v in zip(names, row[2:]) if v is not None]
                events.append({"id": row[0], "type": t["name"], "time": row[1], "attributes": attrs,
                               "relationships": rel_e.get(row[0], [])})
        objects = []
        for t in otypes:
            names = [a["name"] for a in t["attributes"]]
            for row in con.execute(f'SELECT * FROM "object_{t["map"]}" ORDER BY rowid'):
                attrs = [{"name": n, "value": v, "time": row[1]} for n, v in zip(names, row[3:]) if v is not None]
                objects.append({"id": row[0], "type": t["name"], "attributes": attrs,
                                "relationships": rel_o.get(row[0], [])})
        return {
            "objectTypes": [{"name": t["name"], "attributes": t["attributes"]} for t in otypes],
            "eventTypes": [{"name": t["name"], "attributes": t["attributes"]} for t in etypes],
            "objects": objects,
            "events": events,
        }
    finally:
        con.close()
