"""A synthetic case, built directly as the engine's columnar tables.

The benchmark (bench/run.py) needs cases far larger than any real record, with
the shapes that make the consultation matrix expensive:

* an organisation tree of N organisations four levels deep
  (department > component > office > field office);
* a few *hub* organisations (a leadership office, a press office, ...): one
  is a recipient of about half of all messages, the five together of most,
  and they send many. This is the skew that makes a join on a single
  endpoint explode;
* named people (actors) who stand for their organisation;
* decisions dated mostly to the day, some to a month, part of a month or
  "on or about" a day, each with a side (decided_by, acting_for, urged_by)
  and about 20 impacts over a vocabulary of topics;
* communications with about 3 recipients (organisations or people), 1-3
  topics, 1-2 decisions (a few none), every kind, dates at mixed precision,
  some disputed accounts and some replies. Each message is about a target
  impact of its first decision, as real traffic is, so the matrix has every
  status and not just "none".

Ids are as long as real ones (`d-2018-04-06-0012.comp-00123.topic-045`,
`c-2018-03-01-0000123`), since string length is part of the cost of a join.
Everything is drawn with numpy from one seed, so a size and a seed always
give the same tables. No pydantic objects are built: at a million
communications that alone would take minutes. The tables have exactly the
columns of `coordgap.engine.CaseTables`.

    python bench/generate.py --comms 100000 --out bench/out/100000
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

try:
    import coordgap  # noqa: F401
except ImportError:  # a source checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from coordgap.engine.matrix import CaseTables, day_number
from coordgap.model.dates import APPROX_DAYS

LEVELS = ["dept", "comp", "office", "field"]  # the four levels of the tree
N_HUBS = 5
HUB_P = np.array([0.6, 0.1, 0.1, 0.1, 0.1])  # the first hub is in about half of all messages
GRADES = np.array(["primary", "other_primary", "quoted", "paraphrase"], dtype=object)
N_TOPICS = 250
FIRST_DAY, LAST_DAY = day_number(date(2015, 1, 1)), day_number(date(2020, 12, 31))

KINDS = np.array([
    "consultation", "request", "notification", "directive",
    "response", "assurance", "public_statement", "concern",
])
KIND_P = [0.22, 0.05, 0.30, 0.10, 0.08, 0.05, 0.12, 0.08]
SELF_KIND_P = [0.0, 0.30, 0.0, 0.0, 0.20, 0.0, 0.0, 0.50]  # a stakeholder writing up to the side

# Date precision: a day, "on or about" a day, early/mid/late in a month, a month, a span of days.
DAY, APPROX, PART, MONTH, SPAN = range(5)
PARTS = np.array(["early", "mid", "late"], dtype=object)


# -- helpers --------------------------------------------------------------

def _ids(prefix: str, n: int, width: int) -> np.ndarray:
    return np.array([f"{prefix}{i:0{width}d}" for i in range(n)], dtype=object)


def _iso(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(days.astype("datetime64[D]"), unit="D").astype(object)


def _list_column(rows: np.ndarray, values: np.ndarray, n_rows: int, names: np.ndarray) -> pa.Array:
    """A list<string> column from (row, index into names) pairs; duplicates within a row dropped."""
    key = np.unique(rows.astype(np.int64) * len(names) + values.astype(np.int64))
    rows, values = key // len(names), key % len(names)
    offsets = np.zeros(n_rows + 1, dtype=np.int32)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(names[values], pa.string()))


def _fuzzy_dates(rng: np.random.Generator, days: np.ndarray, precision_p: list[float]) -> dict[str, pa.Array]:
    """Text, first and last day, and is-a-single-day, for days written at mixed precision."""
    n = len(days)
    form = rng.choice(5, size=n, p=precision_p)
    month = days.astype("datetime64[D]").astype("datetime64[M]")
    m_start = month.astype("datetime64[D]").astype(np.int64)
    m_end = (month + 1).astype("datetime64[D]").astype(np.int64) - 1
    part = np.minimum((days - m_start) // 10, 2)  # early, mid, late
    span_end = days + rng.integers(1, 41, size=n)

    start = np.select([form == APPROX, form == PART, form == MONTH],
                      [days - APPROX_DAYS, m_start + 10 * part, m_start], days)
    end = np.select([form == APPROX, form == PART, form == MONTH, form == SPAN],
                    [days + APPROX_DAYS, np.where(part < 2, m_start + 10 * part + 9, m_end), m_end, span_end],
                    days)
    iso = _iso(days)
    ym = np.datetime_as_string(month, unit="M").astype(object)
    text = iso.copy()
    text[form == APPROX] = "~" + iso[form == APPROX]
    sel = form == PART
    text[sel] = PARTS[part[sel]] + " " + ym[sel]
    text[form == MONTH] = ym[form == MONTH]
    sel = form == SPAN
    text[sel] = iso[sel] + "/" + _iso(span_end[sel])
    return {"text": pa.array(text, pa.string()), "start": pa.array(start, pa.int32()),
            "end": pa.array(end, pa.int32()), "day": pa.array(form == DAY, pa.bool_())}


# -- the case -------------------------------------------------------------

@dataclass
class _World:
    """What the communications are drawn from: indexes into the id arrays."""

    org_ids: np.ndarray
    party_ids: np.ndarray  # organisations, then actors
    parent: np.ndarray  # org index of the parent, -1 for a root
    hubs: np.ndarray
    actor_first: np.ndarray  # the actors of org o are parties n_orgs + [actor_first[o], + actor_count[o])
    actor_count: np.ndarray
    decision_ids: np.ndarray
    d_start: np.ndarray
    side_first: np.ndarray  # decision d's side offices: side_vals[side_first[d]:][:n_side[d]]
    n_side: np.ndarray
    side_vals: np.ndarray
    imp_first: np.ndarray  # decision d's impacts: [imp_first[d], + n_imp[d])
    n_imp: np.ndarray
    imp_stake: np.ndarray
    imp_topic: np.ndarray
    topic_ids: np.ndarray


def generate(
    n_comms: int,
    n_decisions: int = 1_000,
    n_orgs: int = 5_000,
    impacts_per_decision: int = 20,
    seed: int = 0,
) -> CaseTables:
    rng = np.random.default_rng(seed)

    # Organisation tree: 4 levels, each org's parent drawn from the level above.
    sizes = [max(1, n_orgs // 250), max(N_HUBS, n_orgs // 25), max(1, n_orgs * 4 // 25)]
    sizes.append(n_orgs - sum(sizes))
    level = np.repeat(np.arange(4), sizes)
    first = np.concatenate([[0], np.cumsum(sizes)])
    parent = np.full(n_orgs, -1)
    for lv in range(1, 4):
        parent[first[lv]:first[lv + 1]] = rng.integers(first[lv - 1], first[lv], size=sizes[lv])
    org_ids = np.array([f"{LEVELS[lv]}-{i:05d}" for i, lv in enumerate(level)], dtype=object)
    orgs = pa.table({
        "id": pa.array(org_ids, pa.string()),
        "parent": pa.array(np.where(parent < 0, None, org_ids[parent]), pa.string()),
    })
    hubs = np.arange(first[1], first[1] + N_HUBS)  # components: a leadership office, a press office, ...

    # Actors: about two people per organisation, more at the hubs.
    n_actors = 2 * n_orgs
    actor_org = np.sort(np.where(rng.random(n_actors) < 0.1, rng.choice(hubs, n_actors),
                                 rng.integers(0, n_orgs, n_actors)))
    party_ids = np.concatenate([org_ids, _ids("p-", n_actors, 5)])
    parties = pa.table({
        "party": pa.array(party_ids, pa.string()),
        "org": pa.array(np.concatenate([org_ids, org_ids[actor_org]]), pa.string()),
    })

    # Decisions, with their side: decided_by (often a hub), acting_for (0-2), urged_by (0-1).
    d_days = rng.integers(FIRST_DAY + 365, LAST_DAY - 365, size=n_decisions)
    d_date = _fuzzy_dates(rng, d_days, [0.85, 0.05, 0.05, 0.05, 0.0])
    decision_ids = np.array([f"d-{day}-{i:04d}" for i, day in enumerate(_iso(d_days))], dtype=object)
    above_field = first[3]
    decided_by = np.where(rng.random(n_decisions) < 0.3, rng.choice(hubs, n_decisions),
                          rng.integers(0, above_field, n_decisions))
    n_side = 1 + rng.choice(3, size=n_decisions, p=[0.4, 0.4, 0.2]) + (rng.random(n_decisions) < 0.3)
    side_first = np.cumsum(n_side) - n_side
    side_vals = rng.integers(0, above_field, size=n_side.sum())
    side_vals[side_first] = decided_by
    decisions = pa.table({
        "decision": pa.array(decision_ids, pa.string()),
        "d_start": d_date["start"], "d_end": d_date["end"], "d_day": d_date["day"],
        "dispute": pa.array([f"dd-{i}" if u < 0.02 else None for i, u in enumerate(rng.random(n_decisions))],
                            pa.string()),
        "side": _list_column(np.repeat(np.arange(n_decisions), n_side), side_vals, n_decisions, org_ids),
    })

    # Impacts: ~20 a decision, on organisations below the roots (a few on hubs), one topic each;
    # a repeated (stakeholder, topic) within a decision is dropped, as ids must be unique.
    imp_dec = np.repeat(np.arange(n_decisions), np.clip(rng.poisson(impacts_per_decision, n_decisions), 1, None))
    imp_stake = np.where(rng.random(len(imp_dec)) < 0.05, rng.choice(hubs, len(imp_dec)),
                         rng.integers(first[1], n_orgs, len(imp_dec)))
    imp_topic = rng.integers(0, N_TOPICS, len(imp_dec))
    _, keep = np.unique((imp_dec * n_orgs + imp_stake) * N_TOPICS + imp_topic, return_index=True)
    keep.sort()
    imp_dec, imp_stake, imp_topic = imp_dec[keep], imp_stake[keep], imp_topic[keep]
    n_imp = np.bincount(imp_dec, minlength=n_decisions)
    topic_ids = _ids("topic-", N_TOPICS, 3)
    n_impacts = len(imp_dec)
    impacts = pa.table({
        "impact": pa.array(decision_ids[imp_dec] + "." + org_ids[imp_stake] + "." + topic_ids[imp_topic],
                           pa.string()),
        "decision": pa.array(decision_ids[imp_dec], pa.string()),
        "stakeholder": pa.array(org_ids[imp_stake], pa.string()),
        "topic": pa.array(topic_ids[imp_topic], pa.string()),
        "required_lead_days": pa.array(rng.choice([30, 60, 90, 180], n_impacts), pa.int32(),
                                       mask=rng.random(n_impacts) >= 0.2),
    })

    world = _World(
        org_ids=org_ids, party_ids=party_ids, parent=parent, hubs=hubs,
        actor_first=np.searchsorted(actor_org, np.arange(n_orgs)),
        actor_count=np.bincount(actor_org, minlength=n_orgs),
        decision_ids=decision_ids, d_start=np.asarray(d_date["start"]),
        side_first=side_first, n_side=n_side, side_vals=side_vals,
        imp_first=np.cumsum(n_imp) - n_imp, n_imp=n_imp, imp_stake=imp_stake, imp_topic=imp_topic,
        topic_ids=topic_ids,
    )
    comms = _communications(rng, n_comms, world)
    # Evidence grades (their own generator, so the other tables stay as they were): mostly the
    # oversight body's words, some other primary documents, quotations and paraphrases.
    evidence_ids = np.concatenate([_ids("e-", n_comms, 7), _ids("e-shared-", 1000, 4)])
    grades = np.random.default_rng(seed + 1).choice(GRADES, len(evidence_ids), p=[0.85, 0.06, 0.05, 0.04])
    evidence = pa.table({"id": pa.array(evidence_ids, pa.string()), "grade": pa.array(grades, pa.string())})
    return CaseTables(orgs=orgs, parties=parties, decisions=decisions, impacts=impacts, comms=comms,
                      evidence=evidence)


def _communications(rng: np.random.Generator, m: int, w: _World) -> pa.Table:
    n_orgs, n_parties, n_decisions = len(w.org_ids), len(w.party_ids), len(w.decision_ids)

    # Decisions: a few draw much of the traffic; 3% of messages concern none, 30% two.
    weight = rng.lognormal(0, 1, n_decisions)
    weight /= weight.sum()
    d0, d1 = rng.choice(n_decisions, m, p=weight), rng.choice(n_decisions, m, p=weight)
    n_dec = rng.choice(3, m, p=[0.03, 0.67, 0.30])
    # The target impact: one of the first decision's (every decision has at least one).
    ti = w.imp_first[d0] + (rng.random(m) * w.n_imp[d0]).astype(np.int64)
    stake = w.imp_stake[ti]

    # Recipients (about 3): the stakeholder or someone near it, usually a hub, then anyone.
    n_rec = np.clip(1 + rng.poisson(2, m), 1, 8)
    u = rng.random(m)
    stake_parent = np.where(w.parent[stake] >= 0, w.parent[stake], stake)
    stake_actor = n_orgs + w.actor_first[stake] + (rng.random(m) * w.actor_count[stake]).astype(np.int64)
    r0 = np.select([u < 0.55, u < 0.70, (u < 0.80) & (w.actor_count[stake] > 0)],
                   [stake, stake_parent, stake_actor], rng.integers(0, n_parties, m))
    r1 = np.where(rng.random(m) < 0.85, rng.choice(w.hubs, m, p=HUB_P), rng.integers(0, n_parties, m))
    rec_rows = np.repeat(np.arange(m), n_rec)
    slot = np.arange(len(rec_rows)) - np.repeat(np.cumsum(n_rec) - n_rec, n_rec)
    anyone = np.where(rng.random(len(rec_rows)) < 0.7, rng.integers(0, n_orgs, len(rec_rows)),
                      rng.integers(n_orgs, n_parties, len(rec_rows)))
    rec_vals = np.select([slot == 0, slot == 1], [r0[rec_rows], r1[rec_rows]], anyone)

    # Sender: the decision's side, anyone, the stakeholder itself (writing up), or a hub.
    u = rng.random(m)
    side_pick = w.side_first[d0] + (rng.random(m) * w.n_side[d0]).astype(np.int64)
    sender = np.select([u < 0.50, u < 0.70, u < 0.85],
                       [w.side_vals[side_pick], rng.integers(0, n_parties, m), stake],
                       rng.choice(w.hubs, m, p=HUB_P))
    self_sent = (u >= 0.70) & (u < 0.85)
    kind = np.where(self_sent, rng.choice(len(KINDS), m, p=SELF_KIND_P), rng.choice(len(KINDS), m, p=KIND_P))

    # Topics (1-3): usually the target impact's, then any.
    n_top = rng.choice([1, 2, 3], m, p=[0.5, 0.3, 0.2])
    top_rows = np.repeat(np.arange(m), n_top)
    top_vals = rng.integers(0, N_TOPICS, len(top_rows))
    top_first = np.cumsum(n_top) - n_top
    top_vals[top_first] = np.where(rng.random(m) < 0.8, w.imp_topic[ti], top_vals[top_first])

    # Dates around the first decision's, mostly before it.
    days = np.clip(w.d_start[d0] + np.rint(rng.normal(-20, 45, m)).astype(np.int64), FIRST_DAY + 10, LAST_DAY - 60)
    c_date = _fuzzy_dates(rng, days, [0.80, 0.07, 0.06, 0.05, 0.02])
    comm_ids = "c-" + _iso(days) + "-" + _ids("", m, 7)

    # Disputes: pairs of conflicting accounts (a message and the next) share a label.
    dispute = np.full(m, -1)
    if m > 1:
        events = rng.choice(m - 1, max(m // 200, 1), replace=False)
        dispute[events], dispute[events + 1] = events, events
    # Replies: 8% answer another message that can come before them, as the loader requires
    # (what is answered starts no later than the reply ends); never themselves.
    starts = np.asarray(c_date["start"]).astype(np.int64)
    ends = np.asarray(c_date["end"]).astype(np.int64)
    by_start = np.argsort(starts, kind="stable")
    replies = np.flatnonzero(rng.random(m) < 0.08)
    earlier = np.searchsorted(starts[by_start], ends[replies], side="right")  # candidates, the reply included
    replies, earlier = replies[earlier > 1], earlier[earlier > 1]
    pick = (rng.random(len(replies)) * (earlier - 1)).astype(np.int64)
    answered = by_start[pick]
    answered = np.where(answered == replies, by_start[earlier - 1], answered)
    # Evidence: each message its own quote; a third also cite one of 1,000 shared ones.
    evidence_ids = np.concatenate([_ids("e-", m, 7), _ids("e-shared-", 1000, 4)])
    shared = np.flatnonzero(rng.random(m) < 0.33)

    dec_rows = np.concatenate([np.flatnonzero(n_dec >= 1), np.flatnonzero(n_dec == 2)])
    dec_vals = np.concatenate([d0[n_dec >= 1], d1[n_dec == 2]])
    return pa.table({
        "comm": pa.array(comm_ids, pa.string()),
        "date": c_date["text"], "c_start": c_date["start"], "c_end": c_date["end"], "c_day": c_date["day"],
        "kind": pa.array(KINDS[kind], pa.string()),
        "sender": pa.array(w.party_ids[sender], pa.string()),
        "dispute": pa.array(np.where(dispute >= 0, "x-" + dispute.astype(str).astype(object), None), pa.string()),
        "recipients": _list_column(rec_rows, rec_vals, m, w.party_ids),
        "topics": _list_column(top_rows, top_vals, m, w.topic_ids),
        "decisions": _list_column(dec_rows, dec_vals, m, w.decision_ids),
        "responds_to": _list_column(replies, answered, m, comm_ids),
        "evidence": _list_column(np.concatenate([np.arange(m), shared]),
                                 np.concatenate([np.arange(m), m + rng.integers(0, 1000, len(shared))]),
                                 m, evidence_ids),
    })


# -- Parquet --------------------------------------------------------------

def write_parquet(tables: CaseTables, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in tables.names():
        pq.write_table(getattr(tables, name), folder / f"{name}.parquet")


def read_parquet(folder: Path) -> CaseTables:
    """Every table of the case, read with pyarrow: what the benchmark calls the I/O floor.
    A folder written before evidence grades has no evidence table: every quote is primary."""
    return CaseTables(**{name: pq.read_table(folder / f"{name}.parquet")
                         for name in CaseTables.__dataclass_fields__
                         if name != "evidence" or (folder / f"{name}.parquet").is_file()})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--comms", type=int, required=True)
    ap.add_argument("--decisions", type=int, default=1_000)
    ap.add_argument("--orgs", type=int, default=5_000)
    ap.add_argument("--impacts", type=int, default=20, help="mean impacts per decision")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    t0 = time.perf_counter()
    tables = generate(a.comms, a.decisions, a.orgs, a.impacts, a.seed)
    write_parquet(tables, a.out)
    sizes = ", ".join(f"{n} {getattr(tables, n).num_rows:,}" for n in tables.names())
    print(f"{a.out}: {sizes} ({time.perf_counter() - t0:.1f}s)")


if __name__ == "__main__":
    main()
