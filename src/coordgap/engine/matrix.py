"""The consultation matrix: for each (decision, stakeholder, impact), how the
stakeholder first came to know, at the best rung of the status ladder.

The semantics are in docs/methodology.md. This module knows nothing of files
or templates. It turns a case into a handful of columnar tables
(`case_tables`) and answers the question with set-based joins in DuckDB
(`matrix_from_tables`), so a million communications cost a few joins rather
than a Python loop. tests/reference.py holds a plain-Python version of the
same rules that the tests cross-check against this one. docs/performance.md
has the cost of it (bench/run.py measures it) and the reasons for its shape.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, fields
from datetime import date
from functools import cache

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..model.case import (
    DEFAULT_GRADE,
    GRADE_ORDER,
    STATUS_ORDER,
    TWO_WAY_KINDS,
    Case,
    Grade,
)
from ..model.dates import OPEN_FIRST, OPEN_LAST

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
    "lead_time_at_least",
    "required_lead_days",
    "lead_time_met",
    "contacts",
    "evidence",
    "other_topic_contacts",
    "raised",
    "unanswered",
    "disputed",
    "grade",
    "status_all_grades",
    "grade_all_grades",
]

LIST_COLUMNS = ["contacts", "evidence", "other_topic_contacts", "raised", "unanswered"]


def day_number(d: date) -> int:
    return (d - EPOCH).days


@dataclass(frozen=True)
class CaseTables:
    """The columns of a case the engine needs; what the benchmark reads from Parquet."""

    orgs: pa.Table  # id, parent
    parties: pa.Table  # party, org  (every org maps to itself, every actor to its org;
    #                    party ids are unique, as the loader makes sure)
    decisions: pa.Table  # decision, d_start, d_end, d_day, d_t0, d_t1, d_tz, e_start, e_end, e_day,
    #                      dispute, side (organisations), covers (lists)
    impacts: pa.Table  # impact, decision, stakeholder, topic, required_lead_days
    comms: pa.Table  # comm, date, c_start, c_end, c_day, c_t0, c_t1, c_tz, kind, sender, dispute,
    #                  about_text, recipients, topics, decisions, responds_to, evidence (lists)
    # Days are day numbers (open sides at OPEN_FIRST/OPEN_LAST); *_t0, *_t1 the minutes of the
    # day a time covers (null without one; UTC when *_tz); e_* when the change took effect.
    # covers, about_text, the time columns and e_* may be absent (tables written before they
    # existed): then no decision covers any topic, no contact is about a text, no date has a
    # time and every change takes effect on its decision's date.
    evidence: pa.Table | None = None  # id, grade (a Grade's word). None (tables written before
    # grades): every evidence id a contact cites is primary, the default grade.

    def names(self) -> list[str]:
        return [f.name for f in fields(self)]


def _list(values) -> list[str]:
    return list(values)


def _lists(rows) -> pa.Array:
    """A list<string> column from an iterable of tuples of ids, built from one flat list and
    the offsets: two and a half times faster than pyarrow converting a list of tuples."""
    flat: list[str] = []
    lengths: list[int] = []
    for values in rows:
        flat.extend(values)
        lengths.append(len(values))
    offsets = np.zeros(len(lengths) + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(flat, pa.string()))


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
    effect = [d.takes_effect for d in ds]
    decisions = pa.table({
        "decision": [d.id for d in ds],
        "d_start": pa.array([day_number(d.date.start) for d in ds], pa.int32()),
        "d_end": pa.array([day_number(d.date.end) for d in ds], pa.int32()),
        "d_day": pa.array([d.date.is_day for d in ds], pa.bool_()),
        **_times("d", [d.date for d in ds]),
        "e_start": pa.array([day_number(e.start) for e in effect], pa.int32()),
        "e_end": pa.array([day_number(e.end) for e in effect], pa.int32()),
        "e_day": pa.array([e.is_day for e in effect], pa.bool_()),
        "dispute": pa.array([d.dispute for d in ds], pa.string()),
        # a person on the side stands for the organisation of their post
        "side": pa.array([list(dict.fromkeys(case.org_of(o) for o in d.side)) for d in ds], pa.list_(pa.string())),
        "covers": pa.array([_list(d.covers) for d in ds], pa.list_(pa.string())),
    })
    imps = [(d.id, i) for d in ds for i in d.impacts]
    impacts = pa.table({
        "impact": pa.array([i.id for _, i in imps], pa.string()),
        "decision": pa.array([d for d, _ in imps], pa.string()),
        "stakeholder": pa.array([i.stakeholder for _, i in imps], pa.string()),
        "topic": pa.array([i.topic for _, i in imps], pa.string()),
        "required_lead_days": pa.array([i.required_lead_days for _, i in imps], pa.int32()),
    })
    from ..io.columns import TEXT_COLUMNS  # pyarrow only; the loader's columns, when it kept them

    text = case.__dict__.get(TEXT_COLUMNS)
    if text is not None and text.matches(case.communications):
        comms = _comms_from_text(text.columns)
    else:
        comms = _comms_from_records(case.communications)
    evidence = pa.table({
        "id": pa.array([e.id for e in case.evidence], pa.string()),
        "grade": pa.array([e.grade.value for e in case.evidence], pa.string()),
    })
    return CaseTables(orgs=orgs, parties=parties, decisions=decisions, impacts=impacts, comms=comms,
                      evidence=evidence)


def _comms_from_records(cs) -> pa.Table:
    return pa.table({
        "comm": pa.array([c.id for c in cs], pa.string()),
        "date": pa.array([c.date.text for c in cs], pa.string()),
        "c_start": pa.array([day_number(c.date.start) for c in cs], pa.int32()),
        "c_end": pa.array([day_number(c.date.end) for c in cs], pa.int32()),
        "c_day": pa.array([c.date.is_day for c in cs], pa.bool_()),
        **_times("c", [c.date for c in cs]),
        "kind": pa.array([c.kind.value for c in cs], pa.string()),
        "sender": pa.array([c.sender for c in cs], pa.string()),
        "dispute": pa.array([c.dispute for c in cs], pa.string()),
        "about_text": pa.array([c.about_text for c in cs], pa.bool_()),
        "recipients": _lists(c.recipients for c in cs),
        "topics": _lists(c.topics for c in cs),
        "decisions": _lists(c.decisions for c in cs),
        "responds_to": _lists(c.responds_to for c in cs),
        "evidence": _lists(c.evidence for c in cs),
    })


def _comms_from_text(cols: dict[str, pa.Array]) -> pa.Table:
    """The same table as _comms_from_records, from the validated text cells the records were
    built from (io/loader.py keeps them when every record is its row): each distinct date
    parsed once, lists split in Arrow, no record touched. tests/test_engine_tables.py checks
    the two are equal."""
    from ..model.case import Communication
    from ..model.dates import FuzzyDate

    def text(name):
        return cols[name].cast(pa.string())

    dates = text("date")
    distinct = pc.unique(dates)
    parsed = [FuzzyDate(t) for t in distinct.to_pylist()]
    at = pc.index_in(dates, value_set=distinct)

    def per_date(values, type_):
        return pa.array(values, type_).take(at)

    def ids(name):  # '' is no value
        col = text(name)
        return pc.if_else(pc.equal(col, ""), pa.scalar(None, pa.string()), col)

    def lists(name):  # ';'-separated ids, '' the empty list (as io/records.py builds them)
        col = text(name)
        split = pc.split_pattern(col, ";")
        empty = pa.array([[]], pa.list_(pa.string()))[0]
        return pc.if_else(pc.equal(col, ""), empty, split).cast(pa.list_(pa.string()))

    flag_default = Communication.model_fields["about_text"].default
    about = text("about_text")
    return pa.table({
        "comm": text("id"),
        "date": per_date([d.text for d in parsed], pa.string()),
        "c_start": per_date([day_number(d.start) for d in parsed], pa.int32()),
        "c_end": per_date([day_number(d.end) for d in parsed], pa.int32()),
        "c_day": per_date([d.is_day for d in parsed], pa.bool_()),
        **{k: v.take(at) for k, v in _times("c", parsed).items()},
        "kind": text("kind"),
        "sender": text("sender"),
        "dispute": ids("dispute"),
        "about_text": pc.if_else(pc.equal(about, ""), pa.scalar(flag_default), pc.equal(about, "true")),
        **{name: lists(name) for name in ("recipients", "topics", "decisions", "responds_to", "evidence")},
    })


def _times(prefix: str, dates: list) -> dict[str, pa.Array]:
    """The minutes of the day each date's time covers (null when it has none) and whether
    they are UTC (the date had an offset) or local."""
    return {
        f"{prefix}_t0": pa.array([d.minutes[0] if d.minutes else None for d in dates], pa.int32()),
        f"{prefix}_t1": pa.array([d.minutes[1] if d.minutes else None for d in dates], pa.int32()),
        f"{prefix}_tz": pa.array([d.zoned for d in dates], pa.bool_()),
    }


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
_GRADE_CASE = " ".join(f"WHEN {i} THEN '{g.value}'" for i, g in enumerate(GRADE_ORDER))  # 4 (none): NULL
NO_GRADE = len(GRADE_ORDER)
# When a contact happened relative to the decision, as small integers: the query stores and
# compares this for every judged contact, and integers are cheaper there than words.
BEFORE, SAME_DAY, OVERLAP, AFTER = range(4)
# The day numbers of an open side ("before ...", "after ...").
OPEN_FIRST_DAY, OPEN_LAST_DAY = day_number(OPEN_FIRST), day_number(OPEN_LAST)

# Rungs are STATUS_ORDER indexes: 0 consulted .. 5 after; 6 (none) is the absence of any.
_SQL = f"""
WITH
-- The joins over millions of rows below hash small integers rather than long id strings.
-- Organisations come numbered (node: id, o), and so do communications (cn, their row) and
-- the organisations behind their senders and recipients (s_org, r_orgs; see _numbered).
-- Decisions and impacts are numbered here, once. An id the tree does not know gets no
-- number, so it matches nothing, as the id itself would have matched nothing.
tree AS (
    SELECT a.o AS anc, d.o AS "desc", cl.depth
    FROM closure cl JOIN node a ON a.id = cl.anc JOIN node d ON d.id = cl."desc"
),
dec AS (SELECT *, (row_number() OVER ())::INTEGER AS dn FROM decisions),
imp AS (
    SELECT i.impact, i.decision, i.stakeholder, i.topic, i.required_lead_days,
           (row_number() OVER ())::INTEGER AS im, d.dn, n.o AS s
    FROM impacts i JOIN dec d USING (decision) LEFT JOIN node n ON n.id = i.stakeholder
),
-- Organisations standing for the decision's side: a side office or any office below it.
side_org AS (
    SELECT DISTINCT s.dn, t."desc" AS org
    FROM (SELECT dn, unnest(side) AS office FROM dec) s
    JOIN node n ON n.id = s.office JOIN tree t ON t.anc = n.o
),
-- Recipient organisations that reach an impact's stakeholder, keyed by (decision, organisation):
-- the stakeholder or an office below it (lvl 0, direct), or one above it (lvl 1, leadership).
-- Two branches rather than an OR in the join condition.
target AS (
    SELECT i.im, i.dn, t."desc" AS r, 0 AS lvl FROM imp i JOIN tree t ON t.anc = i.s
    UNION ALL
    SELECT i.im, i.dn, t.anc AS r, 1 AS lvl FROM imp i JOIN tree t ON t."desc" = i.s AND t.depth > 0
),
-- What the rules need of a communication, once per decision it concerns: when it came
-- relative to the decision, whether its sender stands for the decision's side, and the
-- topics it counts for there (its own, and the decision's covered topics when it was
-- about the decision's text).
msg AS MATERIALIZED (
    SELECT c.cn, d.dn, c.s_org,
           CASE WHEN c.c_end < d.d_start THEN {BEFORE}
                WHEN c.c_start > d.d_end THEN {AFTER}
                -- one day: the times order the two when both are known, both local or both UTC
                WHEN c.c_day AND d.d_day THEN
                    CASE WHEN c.c_tz = d.d_tz AND c.c_t1 < d.d_t0 THEN {BEFORE}
                         WHEN c.c_tz = d.d_tz AND c.c_t0 > d.d_t1 THEN {AFTER}
                         ELSE {SAME_DAY} END
                ELSE {OVERLAP} END AS timing,
           so.org IS NOT NULL AS from_side,
           c.kind IN ({_TWO_WAY}) AS two_way, c.dispute IS NOT NULL AS disputed,
           {{topics}} AS topics,
           c.r_orgs{{g}}
    FROM (SELECT cn, c_start, c_end, c_day, c_t0, c_t1, c_tz, kind, dispute, s_org, topics, r_orgs{{g}},
{{about_text}}                 unnest(decisions) AS decision FROM comms) c
    JOIN dec d USING (decision)
    LEFT JOIN side_org so ON so.dn = d.dn AND so.org = c.s_org
),
-- Each (impact, communication) where a recipient reached the stakeholder or its leadership,
-- judged by the rules. The recipients are unnested from the (communication, decision) rows
-- and looked up by the pair (decision, organisation), never by the organisation alone: a hub
-- that receives most messages then meets only the impacts of each message's own decisions.
-- A communication reaching the stakeholder through two recipients gives two rows; the lists
-- below are DISTINCT, and the best rung does not depend on which row it came from.
judged AS (
    SELECT t.im, x.cn, t.lvl, x.timing, x.from_side, x.disputed, x.two_way{{g}},
           list_contains(x.topics, i.topic) AS covers,
           (selfc.anc IS NOT NULL) AS self_sent
    FROM (SELECT m.* EXCLUDE (r_orgs), unnest(m.r_orgs) AS r FROM msg m) x
    JOIN target t ON t.dn = x.dn AND t.r = x.r
    JOIN imp i ON i.im = t.im
    LEFT JOIN tree selfc ON selfc.anc = i.s AND selfc."desc" = x.s_org
),
-- Kept: contacts that earn a rung, and contacts that reached the stakeholder itself about
-- another topic (a contact with its leadership earns only rung 2). Contacts the stakeholder
-- wrote earn nothing (see raised below).
ranked AS MATERIALIZED (
    SELECT im, cn, disputed, timing,{{counts}}
           NOT covers AND lvl = 0 AS other_topic,
           CASE
               WHEN NOT covers THEN NULL
               WHEN timing = {BEFORE} AND lvl = 0 AND from_side AND two_way THEN 0
               WHEN timing = {BEFORE} AND lvl = 0 AND from_side THEN 1
               WHEN timing = {BEFORE} AND lvl = 1 AND from_side THEN 2
               WHEN timing = {BEFORE} AND lvl = 0 THEN 3
               WHEN timing IN ({SAME_DAY}, {OVERLAP}) AND lvl = 0 THEN 4
               WHEN timing = {AFTER} AND lvl = 0 THEN 5
           END AS rung
    FROM judged
    WHERE NOT self_sent AND (covers OR lvl = 0) AND (lvl = 0 OR (timing = {BEFORE} AND from_side))
),
best AS (
{{best}}
    FROM ranked WHERE rung IS NOT NULL GROUP BY im
),
-- Communications are carried by number (cn) through the joins; the lists of them in the
-- output stay numbers too, and are named and sorted by id after the query (_tuples).
-- Only the contacts that earned the best rung are named here: the first of them sets the
-- lead time, with the id breaking ties.
earned AS (SELECT r.*, c.comm, c.date, c.c_start, c.c_end, c.c_day, c.evidence FROM ranked r
           JOIN best b ON b.im = r.im AND b.rung = r.rung{{counted}} JOIN comms c ON c.cn = r.cn),
firstc AS (
    SELECT e.im, list(DISTINCT e.cn) AS contacts,
           -- the lead time runs to when the change took effect (e_*: the decision's date unless
           -- it took effect later), by days; it is a lower bound when a side it is counted
           -- across is open (a contact "before ...", a change effective "after ...")
           arg_min(struct_pack(comm := e.comm, date := e.date, timing := e.timing,
                               lead := CASE WHEN e.c_end < d.e_start THEN d.e_start - e.c_end
                                            WHEN e.c_start > d.e_end THEN d.e_end - e.c_start
                                            WHEN e.c_day AND d.e_day THEN 0 END,
                               at_least := CASE WHEN e.c_end < d.e_start
                                                    THEN e.c_start = {OPEN_FIRST_DAY} OR d.e_end = {OPEN_LAST_DAY}
                                                WHEN e.c_start > d.e_end
                                                    THEN e.c_end = {OPEN_LAST_DAY} OR d.e_start = {OPEN_FIRST_DAY}
                                                WHEN e.c_day AND d.e_day THEN false END),
                   (e.c_end, e.c_start, e.comm)) AS first
    FROM earned e JOIN imp i ON i.im = e.im JOIN dec d ON d.dn = i.dn
    GROUP BY e.im
),
-- The grade a status rests on: the strongest grade among the evidence of the contacts that
-- earn it (each contact is as strong as its best record; the cell as its strongest contact).
-- Only records graded below primary are in `weaker`; any other id counts as primary.
ev AS (
    SELECT x.im, list(DISTINCT x.evidence ORDER BY x.evidence) AS evidence,
           min(coalesce(w.g, 0)) AS grade
    FROM (SELECT im, unnest(evidence) AS evidence FROM earned) x
    LEFT JOIN weaker w ON w.id = x.evidence
    GROUP BY x.im
),
other AS (
    SELECT im, list(DISTINCT cn) AS other_topic_contacts FROM ranked WHERE other_topic GROUP BY im
),
-- The stakeholder (or an office below it) writing to the decision's side about the impact's
-- topic, and whether anyone answered. Writing to its own units is not writing to the side.
answered AS (SELECT cn FROM comms WHERE comm IN (SELECT unnest(responds_to) FROM comms)),
raised AS (
    SELECT w.im, list(DISTINCT w.cn) AS raised,
           list(DISTINCT w.cn) FILTER (WHERE a.cn IS NULL) AS unanswered
    FROM (SELECT t.im, i.s, m.dn, m.cn, unnest(m.r_orgs) AS r
          FROM msg m
          JOIN target t ON t.dn = m.dn AND t.r = m.s_org AND t.lvl = 0
          JOIN imp i ON i.im = t.im
          WHERE list_contains(m.topics, i.topic)) w
    JOIN side_org so ON so.dn = w.dn AND so.org = w.r
    LEFT JOIN tree own ON own.anc = w.s AND own."desc" = w.r
    LEFT JOIN answered a ON a.cn = w.cn
    WHERE own.anc IS NULL
    GROUP BY w.im
)
SELECT i.decision, i.impact, i.stakeholder, i.topic,
       CASE coalesce(b.rung, 6) {_STATUS_CASE} END AS status,
       CASE coalesce(b.undisputed_rung, 6) {_STATUS_CASE} END AS undisputed_status,
       f.first.comm AS first_contact, f.first.date AS first_contact_date,
       coalesce(f.first.timing = {OVERLAP}, false) AS timing_uncertain,
       f.first.lead AS lead_time_days, f.first.at_least AS lead_time_at_least, i.required_lead_days,
       CASE WHEN i.required_lead_days IS NULL THEN NULL
            ELSE coalesce(f.first.lead >= i.required_lead_days, false) END AS lead_time_met,
       f.contacts, ev.evidence, o.other_topic_contacts, rl.raised, rl.unanswered,
       coalesce(b.any_disputed, false) OR d.dispute IS NOT NULL AS disputed,
       CASE ev.grade {_GRADE_CASE} END AS grade,
       CASE coalesce(b.all_rung, 6) {_STATUS_CASE} END AS status_all_grades,
       CASE {{all_grade}} {_GRADE_CASE} END AS grade_all_grades
FROM imp i
JOIN dec d ON d.dn = i.dn
LEFT JOIN best b USING (im)
LEFT JOIN firstc f USING (im)
LEFT JOIN ev USING (im)
LEFT JOIN other o USING (im)
LEFT JOIN raised rl USING (im)
ORDER BY i.decision, i.impact
"""


# A contact about a decision's text also counts for the topics the decision covers. Most cases
# have no such contact: their query reads each message's own topics and never builds the lists.
_TEXT_TOPICS = "CASE WHEN c.about_text THEN list_concat(c.topics, d.covers) ELSE c.topics END"
_ABOUT_TEXT = "                 coalesce(about_text, false) AS about_text,\n"


# Every contact earns its rung: the best rung and the grade are those of the contacts at it.
_BEST_ALL = """    SELECT im, min(rung) AS rung, min(rung) FILTER (WHERE NOT disputed) AS undisputed_rung,
           bool_or(disputed) AS any_disputed, min(rung) AS all_rung"""
# A minimum grade: only contacts graded at it or better (`counts`, from each contact's grade g)
# earn a rung; the rung and grade every contact would give are kept beside it, the two as one
# number (rung * 8 + grade, 4 for none) so one min() gives the best rung and its strongest grade.
_BEST_MIN = f"""    SELECT im, min(rung) FILTER (WHERE counts) AS rung,
           min(rung) FILTER (WHERE counts AND NOT disputed) AS undisputed_rung,
           bool_or(disputed) FILTER (WHERE counts) AS any_disputed,
           min(rung * 8 + coalesce(g, {NO_GRADE})) // 8 AS all_rung,
           min(rung * 8 + coalesce(g, {NO_GRADE})) % 8 AS all_grade"""


@cache
def _sql(text: bool, minimum: int | None) -> str:
    """The matrix query: the covered-topics branch only when some contact is about a text, and
    each contact's grade only when a minimum grade is set."""
    grades = {"g": "", "counts": "", "best": _BEST_ALL, "counted": "", "all_grade": "ev.grade"} if minimum is None else {
        "g": ", g", "counts": f" g, coalesce(g <= {int(minimum)}, false) AS counts,", "best": _BEST_MIN,
        "counted": " AND r.counts", "all_grade": "b.all_grade"}
    return _SQL.format(topics=_TEXT_TOPICS if text else "c.topics", about_text=_ABOUT_TEXT if text else "",
                       **grades)


def _query(comms: pa.Table, minimum: Grade | None = None) -> str:
    return _sql(bool(pc.any(comms.column("about_text")).as_py()), None if minimum is None else minimum.rank)


def matrix_from_tables(tables: CaseTables, threads: int | None = None,
                       minimum_grade: Grade | str | None = None) -> pd.DataFrame:
    """Run the matrix query over columnar tables (see CaseTables). With `minimum_grade`, a
    contact whose evidence is all weaker earns no rung (docs/data-model.md, "Evidence grades")."""
    minimum = None if minimum_grade is None else Grade(minimum_grade)
    closure = org_closure(tables.orgs)
    comms = tables.comms
    for name, type_, value in _COMM_DEFAULTS:
        comms = _with_column(comms, name, type_, value)
    nodes, comms = _numbered(closure, tables.parties, comms)
    weaker = _weaker(tables.evidence)
    if minimum is not None:  # each contact's grade, for the filter
        comms = comms.append_column("g", _contact_grades(comms.column("evidence"), weaker))
    decisions = _with_column(tables.decisions, "covers", pa.list_(pa.string()), [])
    for name, type_, value in _DECISION_DEFAULTS:
        decisions = _with_column(decisions, name, type_, value)
    for e, d in (("e_start", "d_start"), ("e_end", "d_end"), ("e_day", "d_day")):  # effect: the date itself
        if e not in decisions.column_names:
            decisions = decisions.append_column(e, decisions.column(d))
    con = duckdb.connect(database=":memory:")
    try:
        if threads:
            con.execute(f"SET threads TO {int(threads)}")
        for name, table in [("closure", closure), ("node", nodes), ("decisions", decisions),
                            ("impacts", tables.impacts), ("comms", comms), ("weaker", weaker)]:
            con.register(name, table)
        frame = con.sql(_query(comms, minimum)).to_arrow_table()
    finally:
        con.close()
    return _to_pandas(frame, tables.comms.column("comm").combine_chunks())


# Columns tables written before them may lack, and the value that means "not given".
_COMM_DEFAULTS = [("about_text", pa.bool_(), False), ("c_t0", pa.int32(), None), ("c_t1", pa.int32(), None),
                  ("c_tz", pa.bool_(), False)]
_DECISION_DEFAULTS = [("d_t0", pa.int32(), None), ("d_t1", pa.int32(), None), ("d_tz", pa.bool_(), False)]


def _with_column(table: pa.Table, name: str, type_: pa.DataType, value) -> pa.Table:
    """The table with `name` added as a constant column when it lacks one (tables written
    before the column existed)."""
    if name in table.column_names:
        return table
    return table.append_column(name, pa.array([value] * table.num_rows, type_))


def _weaker(table: pa.Table | None) -> pa.Table:
    """The evidence records graded below primary: id, g (the grade's rank). Every other id a
    contact cites counts as primary, the default grade: without an evidence table (tables
    written before grades) every id does, and so does an id the table lacks (a loaded case has
    none: the loader rejects such a reference). Most evidence is primary, so this table is small
    and a case graded all primary looks nothing up."""
    if table is None:
        return pa.table({"id": pa.array([], pa.string()), "g": pa.array([], pa.int8())})
    weaker = table.filter(pc.not_equal(table.column("grade"), DEFAULT_GRADE.value))
    words = pa.array([g.value for g in GRADE_ORDER], pa.string())
    ranks = pc.index_in(weaker.column("grade").combine_chunks(), value_set=words).cast(pa.int8())
    return pa.table({"id": weaker.column("id").combine_chunks(), "g": ranks})


def _contact_grades(evidence: pa.ChunkedArray, weaker: pa.Table) -> pa.Array:
    """Each contact's grade as a rank (0 primary .. 3 paraphrase): the strongest of its evidence
    records; null when it cites none. On the flat list of ids, the minimum per contact taken
    with numpy."""
    lists = evidence.combine_chunks()
    if lists.null_count:
        lists = pc.fill_null(lists, pa.scalar([], lists.type))
    lengths = pc.list_value_length(lists).to_numpy(zero_copy_only=False)
    cites = lengths > 0
    out = np.zeros(len(lists), dtype=np.int8)
    if weaker.num_rows:
        flat = pc.list_flatten(lists)
        ranks = weaker.column("g").take(pc.index_in(flat, value_set=weaker.column("id")))
        ranks = ranks.fill_null(0).to_numpy(zero_copy_only=False)
        starts = np.cumsum(lengths) - lengths
        if len(ranks):
            out[cites] = np.minimum.reduceat(ranks, starts[cites])
    return pa.array(out, pa.int8(), mask=~cites)


def _numbered(closure: pa.Table, parties: pa.Table, comms: pa.Table) -> tuple[pa.Table, pa.Table]:
    """Number the organisations (1..n) and add to the communications their row (cn), the
    organisation behind the sender (s_org) and behind each recipient (r_orgs), null for
    a party or organisation the case does not know.

    Done in Arrow, before the query: a hash look-up of each sender and recipient among
    the parties, on the flat values of the lists, with no rows unnested. In the query
    the same look-ups were a join that carried the whole message through it.
    """
    node_ids = pc.unique(closure.column("anc").combine_chunks())
    nodes = pa.table({"id": node_ids, "o": pa.array(np.arange(1, len(node_ids) + 1, dtype=np.int32))})
    party_ids = parties.column("party").combine_chunks()
    party_org = pc.add(pc.index_in(parties.column("org").combine_chunks(), value_set=node_ids), 1).cast(pa.int32())

    def org_of(party: pa.Array) -> pa.Array:
        return party_org.take(pc.index_in(party, value_set=party_ids))

    def orgs_of(lists: pa.Array) -> pa.Array:
        if lists.null_count:  # a missing list is no recipients, here as in the query
            lists = pc.fill_null(lists, pa.scalar([], lists.type))
        offsets = pc.subtract(lists.offsets, lists.offsets[0])  # a chunk may be a slice
        return type(lists).from_arrays(offsets, org_of(lists.flatten()))

    recipients = [orgs_of(chunk) for chunk in comms.column("recipients").chunks]
    comms = (comms.append_column("cn", pa.array(np.arange(comms.num_rows, dtype=np.int32)))
             .append_column("s_org", org_of(comms.column("sender")))
             .append_column("r_orgs", pa.chunked_array(recipients, pa.list_(pa.int32()))))
    return nodes, comms


def _tuples(column: pa.ChunkedArray, ids: pa.Array | None = None) -> list[tuple]:
    """A list column as tuples, () for null, straight from Arrow (through numpy arrays per
    cell cost more than the query at a million communications). With `ids`, the lists
    hold communication numbers (rows of `ids`): they come back as ids, sorted. Sorting a
    few short tuples here is cheaper than sorting the strings inside the query."""
    lists = column.combine_chunks()
    flat = pc.list_flatten(lists)
    values = (ids.take(flat) if ids is not None else flat).to_pylist()
    ends = pc.list_value_length(lists).fill_null(0).to_numpy().cumsum().tolist()
    spans = zip([0, *ends], ends)
    if ids is None:
        return [tuple(values[a:b]) for a, b in spans]
    return [tuple(sorted(values[a:b])) for a, b in spans]


_NULLABLE = {  # Arrow type -> the pandas dtype that keeps its nulls
    pa.int32(): pd.Int64Dtype(), pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype(),
}


def _to_pandas(table: pa.Table, comm_ids: pa.Array) -> pd.DataFrame:
    """The query's answer as the API's DataFrame, each column converted once, straight to
    its dtype (converting the frame and then fixing dtypes column by column cost half as
    much again)."""
    columns = {}
    # Building ~100,000 tuples would set off the cyclic garbage collector again and again,
    # each time walking every object of the process, for tuples of strings that cannot
    # form a cycle.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for name in COLUMNS:
            column = table.column(name)
            if name in LIST_COLUMNS:
                columns[name] = _tuples(column, None if name == "evidence" else comm_ids)
            elif name in ("lead_time_days", "lead_time_at_least", "required_lead_days", "lead_time_met"):
                columns[name] = column.to_pandas(types_mapper=_NULLABLE.get)
            elif name in ("first_contact", "first_contact_date", "grade", "grade_all_grades"):  # None, not NaN
                columns[name] = pd.Series(column.to_pylist(), dtype=object)
            else:
                columns[name] = column.to_pandas()
    finally:
        if collecting:
            gc.enable()
    return pd.DataFrame(columns)


def consultation_matrix(case: Case | CaseTables, minimum_grade: Grade | str | None = None) -> pd.DataFrame:
    """One row per (decision, stakeholder, impact) with status, lead time and evidence.

    Columns: see COLUMNS and docs/methodology.md. Rows are sorted by
    decision id, then impact id. `minimum_grade` (a case's own `minimum_grade` when not
    given) is the weakest evidence grade that may earn a status.
    """
    if isinstance(case, CaseTables):
        return matrix_from_tables(case, minimum_grade=minimum_grade)
    return matrix_from_tables(case_tables(case), minimum_grade=minimum_grade or case.meta.minimum_grade)
