"""The consultation matrix: for each (decision, stakeholder, impact), how the
stakeholder first came to know, at the best rung of the status ladder.

The semantics are in docs/methodology.md. This module knows nothing of files
or templates. It turns a case into a handful of columnar tables
(`case_tables`) and answers the question with set-based joins in DuckDB
(`matrix_from_tables`), so a million communications cost a few joins rather
than a Python loop. tests/reference.py holds a plain-Python version of the
same rules that the tests cross-check against this one.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

import duckdb
import pandas as pd
import pyarrow as pa

from .model import STATUS_ORDER, TWO_WAY_KINDS, Case

EPOCH = date(1970, 1, 1)

# Matrix columns, in order. Lists are tuples of ids, sorted.
COLUMNS = [
    "decision",
    "impact",
    "stakeholder",
    "topic",
    "status",
    "undisputed_status",
    "first_contact",
    "first_contact_date",
    "timing_uncertain",
    "lead_time_days",
    "required_lead_days",
    "lead_time_met",
    "contacts",
    "evidence",
    "other_topic_contacts",
    "raised",
    "unanswered",
    "disputed",
]

LIST_COLUMNS = ["contacts", "evidence", "other_topic_contacts", "raised", "unanswered"]


def day_number(d: date) -> int:
    return (d - EPOCH).days


@dataclass(frozen=True)
class CaseTables:
    """The columns of a case the engine needs; what the benchmark reads from Parquet."""

    orgs: pa.Table  # id, parent
    parties: pa.Table  # party, org  (every org maps to itself, every actor to its org)
    decisions: pa.Table  # decision, d_start, d_end, d_day, dispute, side (list)
    impacts: pa.Table  # impact, decision, stakeholder, topic, required_lead_days
    comms: pa.Table  # comm, date, c_start, c_end, c_day, kind, sender, dispute,
    #                  recipients, topics, decisions, responds_to, evidence (lists)

    def names(self) -> list[str]:
        return [f.name for f in fields(self)]


def _list(values) -> list[str]:
    return list(values)


def case_tables(case: Case) -> CaseTables:
    """Columnar view of a Case for the engine."""
    orgs = pa.table({
        "id": [s.id for s in case.stakeholders],
        "parent": [s.parent for s in case.stakeholders],
    })
    parties = pa.table({
        "party": [s.id for s in case.stakeholders] + [a.id for a in case.actors],
        "org": [s.id for s in case.stakeholders] + [a.organisation for a in case.actors],
    })
    ds = case.decisions
    decisions = pa.table({
        "decision": [d.id for d in ds],
        "d_start": pa.array([day_number(d.date.start) for d in ds], pa.int32()),
        "d_end": pa.array([day_number(d.date.end) for d in ds], pa.int32()),
        "d_day": pa.array([d.date.is_day for d in ds], pa.bool_()),
        "dispute": pa.array([d.dispute for d in ds], pa.string()),
        "side": pa.array([_list(d.side) for d in ds], pa.list_(pa.string())),
    })
    imps = [(d.id, i) for d in ds for i in d.impacts]
    impacts = pa.table({
        "impact": pa.array([i.id for _, i in imps], pa.string()),
        "decision": pa.array([d for d, _ in imps], pa.string()),
        "stakeholder": pa.array([i.stakeholder for _, i in imps], pa.string()),
        "topic": pa.array([i.topic for _, i in imps], pa.string()),
        "required_lead_days": pa.array([i.required_lead_days for _, i in imps], pa.int32()),
    })
    cs = case.communications
    lst = pa.list_(pa.string())
    comms = pa.table({
        "comm": pa.array([c.id for c in cs], pa.string()),
        "date": pa.array([c.date.text for c in cs], pa.string()),
        "c_start": pa.array([day_number(c.date.start) for c in cs], pa.int32()),
        "c_end": pa.array([day_number(c.date.end) for c in cs], pa.int32()),
        "c_day": pa.array([c.date.is_day for c in cs], pa.bool_()),
        "kind": pa.array([c.kind.value for c in cs], pa.string()),
        "sender": pa.array([c.sender for c in cs], pa.string()),
        "dispute": pa.array([c.dispute for c in cs], pa.string()),
        "recipients": pa.array([_list(c.recipients) for c in cs], lst),
        "topics": pa.array([_list(c.topics) for c in cs], lst),
        "decisions": pa.array([_list(c.decisions) for c in cs], lst),
        "responds_to": pa.array([_list(c.responds_to) for c in cs], lst),
        "evidence": pa.array([_list(c.evidence) for c in cs], lst),
    })
    return CaseTables(orgs=orgs, parties=parties, decisions=decisions, impacts=impacts, comms=comms)


def org_closure(orgs: pa.Table) -> pa.Table:
    """Every (ancestor, descendant, depth) pair of the tree, depth 0 for an org itself."""
    parent = dict(zip(orgs.column("id").to_pylist(), orgs.column("parent").to_pylist()))
    anc, desc, depth = [], [], []
    for org in parent:
        node, d, seen = org, 0, set()
        while node is not None and node not in seen:
            anc.append(node)
            desc.append(org)
            depth.append(d)
            seen.add(node)
            node, d = parent.get(node), d + 1
    return pa.table({"anc": anc, "desc": desc, "depth": pa.array(depth, pa.int32())})


_TWO_WAY = ", ".join(f"'{k.value}'" for k in sorted(TWO_WAY_KINDS))
_STATUS_CASE = " ".join(f"WHEN {i} THEN '{s.value}'" for i, s in enumerate(STATUS_ORDER))

# Rungs are STATUS_ORDER indexes: 0 consulted .. 5 after; 6 (none) is the absence of any.
_SQL = f"""
WITH
rec AS (SELECT DISTINCT c.comm, p.org AS r
        FROM (SELECT comm, unnest(recipients) AS party FROM comms) c JOIN parties p USING (party)),
cdec AS (SELECT DISTINCT comm, unnest(decisions) AS decision FROM comms),
ctop AS (SELECT DISTINCT comm, unnest(topics) AS topic FROM comms),
snd AS (SELECT c.comm, c.date, c.c_start, c.c_end, c.c_day, c.kind, c.dispute, p.org AS s_org
        FROM comms c JOIN parties p ON p.party = c.sender),
side AS (SELECT decision, unnest(side) AS org FROM decisions),
-- organisations standing for the decision's side: a side office or any office below it
side_org AS (SELECT DISTINCT s.decision, cl."desc" AS org FROM side s JOIN closure cl ON cl.anc = s.org),
-- recipient orgs that reach an impact's stakeholder: itself or below it (direct), above it (leader)
irel AS (
    SELECT i.impact, i.decision, cl."desc" AS r, 0 AS lvl FROM impacts i JOIN closure cl ON cl.anc = i.stakeholder
    UNION ALL
    SELECT i.impact, i.decision, cl.anc AS r, 1 AS lvl FROM impacts i
        JOIN closure cl ON cl."desc" = i.stakeholder AND cl.depth > 0
),
pairs AS (
    SELECT irel.impact, cd.comm, min(irel.lvl) AS lvl
    FROM cdec cd JOIN rec USING (comm)
    JOIN irel ON irel.decision = cd.decision AND irel.r = rec.r
    GROUP BY irel.impact, cd.comm
),
judged AS (
    SELECT p.impact, p.comm, p.lvl, s.date, s.c_start, s.c_end, s.dispute,
           (ct.comm IS NOT NULL) AS covers,
           (selfc.anc IS NOT NULL) AS self_sent,
           (so.org IS NOT NULL) AS from_side,
           s.kind IN ({_TWO_WAY}) AS two_way,
           CASE WHEN s.c_end < d.d_start THEN 'before'
                WHEN s.c_start > d.d_end THEN 'after'
                WHEN s.c_day AND d.d_day THEN 'same'
                ELSE 'overlap' END AS timing,
           d.d_start, d.d_end
    FROM pairs p
    JOIN impacts i USING (impact)
    JOIN decisions d ON d.decision = i.decision
    JOIN snd s ON s.comm = p.comm
    LEFT JOIN ctop ct ON ct.comm = p.comm AND ct.topic = i.topic
    LEFT JOIN closure selfc ON selfc.anc = i.stakeholder AND selfc."desc" = s.s_org
    LEFT JOIN side_org so ON so.decision = i.decision AND so.org = s.s_org
),
ranked AS (
    SELECT *, CASE
        WHEN self_sent OR NOT covers THEN NULL
        WHEN timing = 'before' AND lvl = 0 AND from_side AND two_way THEN 0
        WHEN timing = 'before' AND lvl = 0 AND from_side THEN 1
        WHEN timing = 'before' AND lvl = 1 AND from_side THEN 2
        WHEN timing = 'before' AND lvl = 0 THEN 3
        WHEN timing IN ('same', 'overlap') AND lvl = 0 THEN 4
        WHEN timing = 'after' AND lvl = 0 THEN 5
    END AS rung
    FROM judged
),
best AS (
    SELECT impact, min(rung) AS rung, min(rung) FILTER (WHERE dispute IS NULL) AS undisputed_rung,
           bool_or(dispute IS NOT NULL) AS any_disputed
    FROM ranked WHERE rung IS NOT NULL GROUP BY impact
),
earning AS (
    SELECT r.impact,
           list(r.comm ORDER BY r.comm) AS contacts,
           arg_min(r.comm, (r.c_end, r.c_start, r.comm)) AS first_comm
    FROM ranked r JOIN best b ON b.impact = r.impact AND b.rung = r.rung
    GROUP BY r.impact
),
firstc AS (
    SELECT e.impact, e.contacts, r.date AS first_contact_date, r.timing,
           CASE r.timing WHEN 'before' THEN r.d_start - r.c_end
                         WHEN 'same' THEN 0
                         WHEN 'after' THEN r.d_end - r.c_start
                         ELSE NULL END AS lead_time_days,
           e.first_comm
    FROM earning e JOIN ranked r ON r.impact = e.impact AND r.comm = e.first_comm
),
ev AS (
    SELECT e.impact, list(DISTINCT x.evidence ORDER BY x.evidence) AS evidence
    FROM (SELECT impact, unnest(contacts) AS comm FROM earning) e
    JOIN (SELECT comm, unnest(evidence) AS evidence FROM comms) x USING (comm)
    GROUP BY e.impact
),
other AS (
    SELECT impact, list(comm ORDER BY comm) AS other_topic_contacts
    FROM judged WHERE NOT covers AND NOT self_sent AND lvl = 0 GROUP BY impact
),
raised AS (
    SELECT DISTINCT i.impact, s.comm
    FROM snd s
    JOIN closure cl ON cl."desc" = s.s_org
    JOIN cdec cd ON cd.comm = s.comm
    JOIN impacts i ON i.stakeholder = cl.anc AND i.decision = cd.decision
    JOIN ctop ct ON ct.comm = s.comm AND ct.topic = i.topic
    WHERE EXISTS (SELECT 1 FROM rec JOIN side_org so ON so.org = rec.r
                  WHERE rec.comm = s.comm AND so.decision = i.decision)
),
answered AS (SELECT DISTINCT unnest(responds_to) AS comm FROM comms),
raised_l AS (
    SELECT r.impact, list(r.comm ORDER BY r.comm) AS raised,
           list(r.comm ORDER BY r.comm) FILTER (WHERE a.comm IS NULL) AS unanswered
    FROM raised r LEFT JOIN answered a ON a.comm = r.comm GROUP BY r.impact
)
SELECT i.decision, i.impact, i.stakeholder, i.topic,
       CASE coalesce(b.rung, 6) {_STATUS_CASE} END AS status,
       CASE coalesce(b.undisputed_rung, 6) {_STATUS_CASE} END AS undisputed_status,
       f.first_comm AS first_contact, f.first_contact_date,
       coalesce(f.timing = 'overlap', false) AS timing_uncertain,
       f.lead_time_days, i.required_lead_days,
       CASE WHEN i.required_lead_days IS NULL THEN NULL
            ELSE coalesce(f.lead_time_days >= i.required_lead_days, false) END AS lead_time_met,
       f.contacts, ev.evidence, o.other_topic_contacts, rl.raised, rl.unanswered,
       coalesce(b.any_disputed, false) OR d.dispute IS NOT NULL AS disputed
FROM impacts i
JOIN decisions d ON d.decision = i.decision
LEFT JOIN best b USING (impact)
LEFT JOIN firstc f USING (impact)
LEFT JOIN ev USING (impact)
LEFT JOIN other o USING (impact)
LEFT JOIN raised_l rl USING (impact)
ORDER BY i.decision, i.impact
"""


def matrix_from_tables(tables: CaseTables, threads: int | None = None) -> pd.DataFrame:
    """Run the matrix query over columnar tables (see CaseTables)."""
    con = duckdb.connect(database=":memory:")
    try:
        if threads:
            con.execute(f"SET threads TO {int(threads)}")
        for name in tables.names():
            con.register(name, getattr(tables, name))
        con.register("closure", org_closure(tables.orgs))
        frame = con.sql(_SQL).to_arrow_table()
    finally:
        con.close()
    return _to_pandas(frame)


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    df = table.to_pandas()
    for col in LIST_COLUMNS:
        df[col] = [tuple(v) if v is not None else () for v in df[col]]
    for col in ("lead_time_days", "required_lead_days"):
        df[col] = df[col].astype("Int64")
    df["lead_time_met"] = df["lead_time_met"].astype("boolean")
    for col in ("timing_uncertain", "disputed"):
        df[col] = df[col].astype(bool)
    for col in ("first_contact", "first_contact_date"):
        df[col] = df[col].astype(object).where(df[col].notna(), None)
    return df[COLUMNS].reset_index(drop=True)


def consultation_matrix(case: Case | CaseTables) -> pd.DataFrame:
    """One row per (decision, stakeholder, impact) with status, lead time and evidence.

    Columns: see COLUMNS and docs/methodology.md. Rows are sorted by
    decision id, then impact id.
    """
    tables = case if isinstance(case, CaseTables) else case_tables(case)
    return matrix_from_tables(tables)
