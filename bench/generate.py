"""A synthetic case, built directly as the engine's columnar tables.

The benchmark (bench/run.py) needs cases far larger than any real record, with
the shapes that make the consultation matrix expensive:

* an organisation tree of N organisations about four levels deep
  (department > component > office > field office);
* a few *hub* organisations (a leadership office, a press office, ...) that
  are a recipient of most messages and a sender of many: the skew that makes a
  join on a single endpoint explode;
* named people (actors) who stand for their organisation;
* decisions with dates at mixed precision (mostly days, some months, parts of
  months and "on or about" days), each with a side (decided_by, acting_for,
  urged_by) and about 20 impacts over a topic vocabulary;
* communications with about 3 recipients (organisations or people), 1-3
  topics, 1-2 decisions, every kind, some disputes and some replies.

Everything is drawn with numpy from one seed, so a size and a seed always give
the same tables. No pydantic objects are built: at a million communications
that alone would take minutes. The tables have exactly the columns of
`coordgap.engine.CaseTables`.

    python bench/generate.py --comms 100000 --out bench/out/100000
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from coordgap.engine import EPOCH, CaseTables, day_number

N_HUBS = 5
HUB_P = np.array([0.6, 0.1, 0.1, 0.1, 0.1])  # the first hub is in about half of all messages
N_TOPICS = 250
APPROX_DAYS = 3  # as coordgap.dates.APPROX_DAYS
WINDOW = (day_number(EPOCH.replace(year=2015)), day_number(EPOCH.replace(year=2020)))

KINDS = np.array([
    "consultation", "request", "notification", "directive",
    "response", "assurance", "public_statement", "concern",
])
KIND_P = np.array([0.22, 0.05, 0.30, 0.10, 0.08, 0.05, 0.12, 0.08])
SELF_KIND_P = np.array([0.0, 0.30, 0.0, 0.0, 0.20, 0.0, 0.0, 0.50])  # a stakeholder writing up

# Date precision: day, ~day, early/mid/late month, month, span of days.
DAY, APPROX, PART, MONTH, SPAN = range(5)
PARTS = np.array(["early", "mid", "late"], dtype=object)


# -- helpers --------------------------------------------------------------

def _ids(prefix: str, n: int, width: int) -> pa.Array:
    return pa.array([f"{prefix}{i:0{width}d}" for i in range(n)], pa.string())


def _list_column(rows: np.ndarray, values: np.ndarray, n_rows: int, names: pa.Array) -> pa.Array:
    """A list<string> column from (row, value-index) pairs; duplicates within a row dropped.

    Each row's list is sorted by value index (the ids are zero-padded, so this
    is also id order).
    """
    key = np.unique(rows.astype(np.int64) * len(names) + values.astype(np.int64))
    rows, values = key // len(names), key % len(names)
    offsets = np.zeros(n_rows + 1, dtype=np.int32)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets), names.take(pa.array(values)))


def _fuzzy_dates(rng: np.random.Generator, days: np.ndarray, precision_p: list[float]):
    """Texts, first and last day, and is-a-single-day for days drawn at mixed precision."""
    n = len(days)
    form = rng.choice(5, size=n, p=precision_p)
    d = days.astype("datetime64[D]")
    month = d.astype("datetime64[M]")
    m_start = month.astype("datetime64[D]").astype(np.int64)
    m_end = (month + 1).astype("datetime64[D]").astype(np.int64) - 1
    dom = days - m_start  # 0-based day of month
    part = np.minimum(dom // 10, 2)
    span_end = days + rng.integers(1, 41, size=n)

    start = np.select(
        [form == APPROX, form == PART, form == MONTH],
        [days - APPROX_DAYS, m_start + 10 * part, m_start], days)
    end = np.select(
        [form == APPROX, form == PART, form == MONTH, form == SPAN],
        [days + APPROX_DAYS, np.where(part < 2, m_start + 10 * part + 9, m_end), m_end, span_end], days)

    iso = np.datetime_as_string(d, unit="D").astype(object)
    ym = np.datetime_as_string(month, unit="M").astype(object)
    text = iso.copy()
    text[form == APPROX] = "~" + iso[form == APPROX]
    sel = form == PART
    text[sel] = PARTS[part[sel]] + " " + ym[sel]
    text[form == MONTH] = ym[form == MONTH]
    sel = form == SPAN
    text[sel] = iso[sel] + "/" + np.datetime_as_string(span_end[sel].astype("datetime64[D]"), unit="D").astype(object)
    return (pa.array(text, pa.string()), pa.array(start, pa.int32()), pa.array(end, pa.int32()),
            pa.array(form == DAY, pa.bool_()))


# -- the case -------------------------------------------------------------

def generate(
    n_comms: int,
    n_decisions: int = 1_000,
    n_orgs: int = 5_000,
    impacts_per_decision: int = 20,
    seed: int = 0,
) -> CaseTables:
    rng = np.random.default_rng(seed)

    # Organisation tree: 4 levels, each org's parent drawn from the level above.
    sizes = [max(1, n_orgs // 250), max(1, n_orgs // 25), max(1, n_orgs * 4 // 25)]
    sizes.append(n_orgs - sum(sizes))
    level = np.repeat(np.arange(4), sizes)
    first = np.concatenate([[0], np.cumsum(sizes)])
    parent = np.full(n_orgs, -1)
    for lv in range(1, 4):
        lo, hi = first[lv], first[lv + 1]
        parent[lo:hi] = rng.integers(first[lv - 1], first[lv], size=hi - lo)
    org_ids = _ids("o", n_orgs, 5)
    orgs = pa.table({
        "id": org_ids,
        "parent": org_ids.take(pa.array(np.where(parent < 0, 0, parent), mask=parent < 0)),
    })
    # Hubs: the first components (a leadership office, a press office, ...).
    hubs = np.arange(first[1], first[1] + N_HUBS)

    # Actors: about two people per organisation, more at the hubs.
    n_actors = 2 * n_orgs
    actor_org = np.where(rng.random(n_actors) < 0.1, rng.choice(hubs, n_actors), rng.integers(0, n_orgs, n_actors))
    actor_org.sort()
    actor_ids = _ids("p", n_actors, 5)
    parties = pa.table({
        "party": pa.concat_arrays([org_ids, actor_ids]),
        "org": pa.concat_arrays([org_ids, org_ids.take(pa.array(actor_org))]),
    })
    party_ids = parties.column("party").combine_chunks()
    n_parties = len(party_ids)
    actor_first = np.searchsorted(actor_org, np.arange(n_orgs))  # actors of org o: [first[o], first[o+1])
    actor_count = np.bincount(actor_org, minlength=n_orgs)

    # Decisions: dated mostly to the day; side = decided_by + acting_for + urged_by.
    d_days = rng.integers(WINDOW[0] + 365, WINDOW[1] - 365, size=n_decisions)
    d_text, d_start, d_end, d_day = _fuzzy_dates(rng, d_days, [0.85, 0.05, 0.05, 0.05, 0.0])
    non_field = first[3]
    decided_by = np.where(rng.random(n_decisions) < 0.3, rng.choice(hubs, n_decisions),
                          rng.integers(0, non_field, n_decisions))
    n_acting = rng.choice(3, size=n_decisions, p=[0.4, 0.4, 0.2])
    n_urged = (rng.random(n_decisions) < 0.3).astype(int)
    n_side = 1 + n_acting + n_urged
    side_rows = np.repeat(np.arange(n_decisions), n_side)
    side_vals = rng.integers(0, non_field, size=len(side_rows))
    side_first = np.concatenate([[0], np.cumsum(n_side)[:-1]])
    side_vals[side_first] = decided_by
    decision_ids = _ids("d", n_decisions, 4)
    d_dispute = np.where(rng.random(n_decisions) < 0.02, np.arange(n_decisions), -1)
    decisions = pa.table({
        "decision": decision_ids,
        "d_start": d_start, "d_end": d_end, "d_day": d_day,
        "dispute": pa.array([f"dd{i}" if i >= 0 else None for i in d_dispute], pa.string()),
        "side": _list_column(side_rows, side_vals, n_decisions, org_ids),
    })

    # Impacts: ~20 a decision, on any organisation below the roots, over the vocabulary.
    n_imp = np.clip(rng.poisson(impacts_per_decision, n_decisions), 1, None)
    imp_first = np.concatenate([[0], np.cumsum(n_imp)[:-1]])
    imp_dec = np.repeat(np.arange(n_decisions), n_imp)
    n_impacts = len(imp_dec)
    imp_k = np.arange(n_impacts) - imp_first[imp_dec]
    imp_stake = np.where(rng.random(n_impacts) < 0.05, rng.choice(hubs, n_impacts),
                         rng.integers(first[1], n_orgs, n_impacts))
    imp_topic = rng.integers(0, N_TOPICS, n_impacts)
    topic_ids = _ids("t", N_TOPICS, 3)
    lead = rng.choice([30, 60, 90, 180], n_impacts)
    impacts = pa.table({
        "impact": pa.array([f"d{d:04d}.i{k:02d}" for d, k in zip(imp_dec, imp_k)], pa.string()),
        "decision": decision_ids.take(pa.array(imp_dec)),
        "stakeholder": org_ids.take(pa.array(imp_stake)),
        "topic": topic_ids.take(pa.array(imp_topic)),
        "required_lead_days": pa.array(lead, pa.int32(), mask=rng.random(n_impacts) >= 0.2),
    })

    comms = _communications(rng, n_comms, locals())
    return CaseTables(orgs=orgs, parties=parties, decisions=decisions, impacts=impacts, comms=comms)


def _communications(rng: np.random.Generator, m: int, g: dict) -> pa.Table:
    """Each message is about a target impact of its first decision, as real traffic is."""
    n_orgs, n_parties, hubs = g["n_orgs"], g["n_parties"], g["hubs"]
    parent, n_decisions = g["parent"], g["n_decisions"]

    # Decisions: a few decisions draw much of the traffic; 3% of messages concern none.
    weight = rng.lognormal(0, 1, n_decisions)
    d0 = rng.choice(n_decisions, m, p=weight / weight.sum())
    d1 = rng.choice(n_decisions, m, p=weight / weight.sum())
    n_dec = rng.choice(3, m, p=[0.03, 0.67, 0.30])
    ti = g["imp_first"][d0] + (rng.random(m) * g["n_imp"][d0]).astype(np.int64)  # target impact
    stake = g["imp_stake"][ti]

    # Recipients (about 3): the stakeholder or someone near it, usually a hub, then anyone.
    n_rec = np.clip(1 + rng.poisson(2, m), 1, 8)
    u = rng.random(m)
    stake_parent = np.where(parent[stake] >= 0, parent[stake], stake)
    has_actor = g["actor_count"][stake] > 0
    stake_actor = n_orgs + g["actor_first"][stake] + (rng.random(m) * g["actor_count"][stake]).astype(np.int64)
    r0 = np.select([u < 0.55, u < 0.70, (u < 0.80) & has_actor],
                   [stake, stake_parent, stake_actor], rng.integers(0, n_parties, m))
    r1 = np.where(rng.random(m) < 0.85, rng.choice(hubs, m, p=HUB_P), rng.integers(0, n_parties, m))
    rec_rows = np.repeat(np.arange(m), n_rec)
    slot = np.arange(len(rec_rows)) - np.repeat(np.cumsum(n_rec) - n_rec, n_rec)
    anyone = np.where(rng.random(len(rec_rows)) < 0.7, rng.integers(0, n_orgs, len(rec_rows)),
                      rng.integers(n_orgs, n_parties, len(rec_rows)))
    rec_vals = np.select([slot == 0, slot == 1], [r0[rec_rows], r1[rec_rows]], anyone)

    # Sender: the decision's side, anyone, the stakeholder itself, or a hub.
    u = rng.random(m)
    side_of = g["side_first"][d0] + (rng.random(m) * g["n_side"][d0]).astype(np.int64)
    sender = np.select([u < 0.50, u < 0.70, u < 0.85],
                       [g["side_vals"][side_of], rng.integers(0, n_parties, m), stake],
                       rng.choice(hubs, m, p=HUB_P))
    self_sent = (u >= 0.70) & (u < 0.85)
    kind = np.where(self_sent, rng.choice(len(KINDS), m, p=SELF_KIND_P), rng.choice(len(KINDS), m, p=KIND_P))

    # Topics (1-3): usually the target impact's, then any.
    n_top = rng.choice([1, 2, 3], m, p=[0.5, 0.3, 0.2])
    top_rows = np.repeat(np.arange(m), n_top)
    top_vals = rng.integers(0, N_TOPICS, len(top_rows))
    top_first = np.cumsum(n_top) - n_top
    top_vals[top_first] = np.where(rng.random(m) < 0.8, g["imp_topic"][ti], top_vals[top_first])

    # Dates around the first decision's, mostly before it.
    base = np.asarray(g["d_start"])[d0] + np.rint(rng.normal(-20, 45, m)).astype(np.int64)
    c_text, c_start, c_end, c_day = _fuzzy_dates(
        rng, np.clip(base, WINDOW[0] + 10, WINDOW[1] - 60), [0.80, 0.07, 0.06, 0.05, 0.02])

    # Disputes: pairs of conflicting accounts (a message and the next) share a label.
    dispute = np.full(m, -1)
    events = rng.choice(max(m - 1, 1), max(m // 200, 1), replace=False) if m > 1 else np.array([], int)
    dispute[events] = events
    dispute[events + 1] = events
    # Replies: 8% answer an earlier message.
    replies = np.flatnonzero((rng.random(m) < 0.08) & (np.arange(m) > 0))
    answered = (rng.random(len(replies)) * replies).astype(np.int64)
    # Evidence: each message its own quote, a third of them also a shared one.
    ev_extra = np.flatnonzero(rng.random(m) < 0.33)

    comm_ids = _ids("c", m, 7)
    dec_rows = np.concatenate([np.flatnonzero(n_dec >= 1), np.flatnonzero(n_dec == 2)])
    dec_vals = np.concatenate([d0[n_dec >= 1], d1[n_dec == 2]])
    evidence_ids = pa.concat_arrays([_ids("e", m, 7), _ids("es", 1000, 4)])
    return pa.table({
        "comm": comm_ids,
        "date": c_text, "c_start": c_start, "c_end": c_end, "c_day": c_day,
        "kind": pa.array(KINDS[kind], pa.string()),
        "sender": g["party_ids"].take(pa.array(sender)),
        "dispute": pa.array([f"x{i}" if i >= 0 else None for i in dispute], pa.string()),
        "recipients": _list_column(rec_rows, rec_vals, m, g["party_ids"]),
        "topics": _list_column(top_rows, top_vals, m, g["topic_ids"]),
        "decisions": _list_column(dec_rows, dec_vals, m, g["decision_ids"]),
        "responds_to": _list_column(replies, answered, m, comm_ids),
        "evidence": _list_column(np.concatenate([np.arange(m), ev_extra]),
                                 np.concatenate([np.arange(m), m + rng.integers(0, 1000, len(ev_extra))]),
                                 m, evidence_ids),
    })


# -- Parquet --------------------------------------------------------------

def write_parquet(tables: CaseTables, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in tables.names():
        pq.write_table(getattr(tables, name), folder / f"{name}.parquet")


def read_parquet(folder: Path) -> CaseTables:
    return CaseTables(**{name: pq.read_table(folder / f"{name}.parquet") for name in CaseTables.__dataclass_fields__})


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
    sizes = ", ".join(f"{n} {getattr(tables, n).num_rows}" for n in tables.names())
    print(f"{a.out}: {sizes} ({time.perf_counter() - t0:.1f}s)")


if __name__ == "__main__":
    main()
