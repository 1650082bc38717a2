"""Checks across files: every id a record names must exist, the organisation
tree must be a tree, dates must fall in the case window.

A record that fails is rejected (listed with its problems), never dropped.
Records are checked in dependency order, so a record that points at a
rejected one is rejected too, with a message saying so.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import Problem
from ..model.case import PRIVATE_KINDS, UNKNOWN_PARTY, Branch, CaseMeta, Decision
from ..model.dates import FuzzyDate, Timing
from . import files
from .bundled import did_you_mean

CASE_FILE = "case.yaml"
TOPIC = "topic (declare it in case.yaml topics)"
YAML_TABLES = {"decisions", "flows", "interfaces", "collaborations", "conclusions"}

if TYPE_CHECKING:
    from .loader import CaseReader


def _of_table(label: str, table: str) -> bool:
    """Whether a problem's file is one of a table's files (table.csv, table.yaml, table/part.csv, ...)."""
    low = label.lower()
    return low.split("/")[0] == table or low.rsplit(".", 1)[0] == table


def org_cycles(stakeholders) -> set[str]:
    parent = {s.id: s.parent for s in stakeholders}
    in_cycle: set[str] = set()
    for start in parent:
        seen, node = [], start
        while node is not None and node in parent and node not in seen:
            seen.append(node)
            node = parent[node]
        if node in seen:
            in_cycle.update(seen[seen.index(node):])
    return in_cycle


def unknown_rows(records: list, attr: str, known: set[str], many: bool = False) -> set[int]:
    """Indexes of the records whose `attr` (an id, or a tuple of ids when many) names
    something not in known: one set difference for the whole table, then a pass over
    the records only when something is unknown."""
    if many:
        values = {v for r in records for v in getattr(r, attr)}
    else:
        values = {getattr(r, attr) for r in records}
        values.discard(None)
    unknown = values - known
    if not unknown:
        return set()
    if many:
        return {i for i, r in enumerate(records) if not unknown.isdisjoint(getattr(r, attr))}
    return {i for i, r in enumerate(records) if getattr(r, attr) in unknown}


class _Known:
    """Sets of known ids as Arrow arrays, each converted once per check (the evidence ids are
    looked up in four tables). A set is never changed once made in check_references."""

    def __init__(self) -> None:
        self._arrays: dict[int, tuple[set[str], object]] = {}

    def array(self, known: set[str]):
        import pyarrow as pa

        hit = self._arrays.get(id(known))
        if hit is None or hit[0] is not known:
            hit = self._arrays[id(known)] = (known, pa.array(list(known), pa.string()))
        return hit[1]

    def same_as(self, known: set[str], columns, records) -> None:
        """known holds the ids of records, which are the rows of columns: use the id column."""
        if columns is not None and columns.n == len(records) == len(known):
            self._arrays[id(known)] = (known, columns.column("id"))


def _flag(records: list, checks: list[tuple[str, set[str], bool]], columns=None, known: _Known | None = None
          ) -> set[int]:
    """Rows of records naming an unknown id in any of checks' fields: from the table's
    columns in Arrow when the loader kept them (io/columns.py), else from the records."""
    out: set[int] = set()
    for attr, ids, many in checks:
        if columns is not None and columns.n == len(records):
            out |= columns.unknown(attr, ids, many, known.array(ids) if known is not None else None)
        else:
            out |= unknown_rows(records, attr, ids, many)
    return out


def _party_problems(rec, label: str, line: int | None) -> list[Problem]:
    """The public and private parties stand outside government."""
    out = []
    kind = getattr(rec, "kind", None)
    if kind in PRIVATE_KINDS and rec.branch is not Branch.non_governmental:
        out.append(Problem(label, line, "branch", f"kind {kind.value} stands outside government: its branch "
                           f"must be non_governmental, not {rec.branch.value}", rec.id))
    return out


def _out_of_post(actor, d: Decision) -> str | None:
    """Why a person cannot have made a decision as the holder of their post: the decision is
    dated wholly before their tenure began or after it ended (None when it may fall within)."""
    if actor.tenure_start is not None and d.date.timing(actor.tenure_start) is Timing.before:
        return (f"{actor.id!r} ({actor.title}) took up the post {actor.tenure_start}, after the "
                f"decision's date {d.date}: name the person's row for the post held then")
    if actor.tenure_end is not None and d.date.timing(actor.tenure_end) is Timing.after:
        return (f"{actor.id!r} ({actor.title}) left the post {actor.tenure_end}, before the "
                f"decision's date {d.date}: name the person's row for the post held then")
    return None


class _Checker:
    def __init__(self, meta: CaseMeta, reader: "CaseReader"):
        self.meta = meta
        self.reader = reader
        self.sources = {s.id for s in meta.sources}
        self.topics = {t.id for t in meta.topics}
        self.window = meta.window
        # ids of records rejected so far -> where they are, so dependants can say why
        self.rejected_ids = {r.record: f"{r.file}:{r.line}" if r.line else r.file
                             for r in reader.rejected if r.record}
        # ... and the problem that rejected each, the cause of every problem that follows from it
        self.causes: dict[str, Problem] = {}
        if self.rejected_ids:
            first: dict[tuple[str, str | None], Problem] = {}
            for prob in reader.problems:
                key = (prob.file, prob.record)
                if key not in first or (first[key].cause is not None and prob.cause is None):
                    first[key] = prob  # a record's own problem before one that follows from another
            for r in reader.rejected:
                if r.record and r.record not in self.causes:
                    cause = first.get((r.file, r.record)) or first.get((r.file, None))
                    if cause is not None:
                        self.causes[r.record] = cause
        # kinds of record the case holds none of (what -> table): an id naming one is a
        # consequence of that one problem, the missing or unread file (see absent_root)
        # (kept on the reader, so the conclusions' checker, io/conclusions.py, shares them)
        self.empty: dict[str, str] = reader.__dict__.setdefault("absent_kinds", {})
        self.roots: dict[str, tuple[Problem, str]] = reader.__dict__.setdefault("absent_roots", {})
        self._hints: dict[tuple[str, int], str] = {}
        # (what, id, problem, known ids) of each unknown id named, for group_unknown_ids
        self.unknown: list = reader.__dict__.setdefault("unknown_refs", [])

    # what a cross-reference names -> the table holding those records
    TABLE_OF = {"evidence": "evidence", "organisation": "stakeholders", "parent organisation": "stakeholders",
                "organisation or actor": "stakeholders", "decision": "decisions", "interface": "interfaces",
                "agreement": "agreements", TOPIC: "topics"}
    NOUNS = {"evidence": "evidence records", "stakeholders": "organisations", "decisions": "decisions",
             "interfaces": "interfaces", "agreements": "agreements", "topics": "topics"}

    def expect(self, read, *whats: str) -> None:
        """Note that the case holds no record of these kinds when `read` (the records read from
        their table, before any check here) is empty."""
        if not read:
            for what in whats:
                self.empty[what] = self.TABLE_OF[what]

    def absent_root(self, table: str, value: str, label: str, line: int | None) -> tuple[Problem, str]:
        """The one problem behind every id naming a record of `table` when the case holds none:
        the file's own problem when it could not be read, else one made here saying the file is
        missing or empty. With the words a consequence adds to say why."""
        if table in self.roots:
            return self.roots[table]
        where = f"{label}:{line}" if line else label
        if table == "topics":
            root = Problem(CASE_FILE, None, "topics", f"no topic is declared, yet records name topics (e.g. "
                           f"{value!r}, in {where}): declare each under `topics` (docs/data-model.md)")
            self.reader.problems.append(root)
            self.roots[table] = (root, "case.yaml declares no topic")
            return self.roots[table]
        name = f"{table}.yaml" if table in YAML_TABLES else f"{table}.csv"
        own = sorted((p for p in self.reader.problems if p.cause is None and _of_table(p.file, table)),
                     key=lambda p: (p.line is not None and p.line > 1, p.file, p.line or 0))
        if own:
            at = f"{own[0].file}:{own[0].line}" if own[0].line else own[0].file
            root, why = own[0], f"the case holds no {self.NOUNS[table].removesuffix('s')}: see {at}"
        else:
            present = self._present(table, name)
            noun = self.NOUNS[table]
            state = f"holds no {noun.removesuffix('s') if table != 'evidence' else 'evidence record'}" \
                if present else "missing"
            root = Problem(name, None, None, f"{state}: records name {noun} (e.g. {value!r}, in {where}), "
                           f"but the case has none, so every record naming one is rejected; "
                           f"{'add them to' if present else 'add'} {name}"
                           f"{'' if table in YAML_TABLES or present else f' (or a folder {table}/ of CSV files)'}"
                           " (docs/data-model.md)")
            self.reader.problems.append(root)
            why = f"{name} is {'empty' if present else 'missing'}"
        self.roots[table] = (root, why)
        return self.roots[table]

    def _present(self, table: str, name: str) -> bool:
        folder = self.reader.folder
        if table in YAML_TABLES:
            return os.path.lexists(folder / name)
        return bool(files.table_files(folder, table, folder)[0]) or os.path.lexists(folder / f"{table}.parquet")

    # Closest-id search is linear in the known ids: past these bounds a mistyped id gets no hint
    # rather than a slow validation (a million-row table of bad ids stays fast).
    HINTS = 200  # distinct unknown ids given a hint
    HINT_CHOICES = 50_000  # known ids searched

    def hint(self, value: str, known: set[str]) -> str:
        """'; did you mean 'x'?' naming the closest known id, or '' (none close, or past the bounds)."""
        key = (value, id(known))
        if key not in self._hints:
            if len(self._hints) >= self.HINTS or len(known) > self.HINT_CHOICES:
                return ""
            self._hints[key] = did_you_mean(value, sorted(known))
        return self._hints[key]

    def problems_for(self, table: str, rec, checks: list[tuple[str, list[str], set[str], str]]):
        label, line = self.reader.where.get((table, rec.id), (table, None))
        out = []
        for fld, values, known, what in checks:
            for v in values:
                if v in known:
                    continue
                if v in self.rejected_ids:
                    where = self.rejected_ids[v]
                    out.append(Problem(label, line, fld, f"{what} {v!r} was itself rejected (see {where})", rec.id,
                                       cause=self.causes.get(v)))
                elif what in self.empty:
                    root, why = self.absent_root(self.empty[what], v, label, line)
                    out.append(Problem(label, line, fld, f"unknown {what} {v!r} ({why})", rec.id, cause=root))
                else:
                    out.append(Problem(label, line, fld, f"unknown {what} {v!r}{self.hint(v, known)}", rec.id))
                    self.unknown.append((what, v, out[-1], known))
        return label, line, out

    def date_in_window(self, table, rec, fld, value, out):
        if value is not None and not value.within(self.window.start, self.window.end):
            label, line = self.reader.where.get((table, rec.id), (table, None))
            out.append(
                Problem(label, line, fld, f"{value} is outside the case window "
                        f"{self.window.start}..{self.window.end}", rec.id)
            )

    def keep(self, table: str, records: list, make_checks, flagged: set[int] | None = None) -> list:
        """The records that pass make_checks; the others are rejected with every problem.
        With `flagged` (rows found by set operations to possibly have a problem, see
        unknown_rows), only those rows are checked one by one: the rest cannot fail."""
        if flagged is not None:
            if not flagged:
                return list(records)
            checked = self.keep(table, [records[i] for i in sorted(flagged)], make_checks)
            passed = {id(r) for r in checked}
            return [r for i, r in enumerate(records) if i not in flagged or id(r) in passed]
        kept = []
        for rec in records:
            checks, extra = make_checks(rec)
            label, line, probs = self.problems_for(table, rec, checks)
            probs.extend(extra)
            if probs:
                self.reader._reject(table, rec.id, label, line, probs)
                self.rejected_ids[rec.id] = f"{label}:{line}" if line else label
                # what follows from this record's rejection hangs under its own problem, if it has one
                self.causes[rec.id] = next((p for p in probs if p.cause is None), probs[0])
            else:
                kept.append(rec)
        return kept


# what an unknown id names -> the file that should hold it, and its noun
HOME = {"evidence": ("evidence.csv", "evidence record"), "organisation": ("stakeholders.csv", "organisation"),
        "parent organisation": ("stakeholders.csv", "organisation"),
        "organisation or actor": ("stakeholders.csv", "organisation or person"),
        "decision": ("decisions.yaml", "decision"), "interface": ("interfaces.yaml", "interface"),
        "agreement": ("agreements.csv", "agreement"), "communication": ("communications.csv", "communication"),
        "source": (CASE_FILE, "source"), TOPIC: (CASE_FILE, "topic")}


def group_unknown_ids(reader: "CaseReader") -> None:
    """One id named by several records and held by none is one root cause (a record missing or
    misnamed): each problem naming it is put under one problem naming the id, the file that should
    hold it and how many records name it. Called once, after every cross-reference check."""
    refs = reader.__dict__.pop("unknown_refs", [])
    by_id: dict[tuple[str, str], list] = {}
    for what, value, prob, known in refs:
        by_id.setdefault((HOME.get(what, (what, what))[0], value), []).append((what, prob, known))
    if not by_id:
        return
    lost = _lost_rows(reader.problems, {file for file, _ in by_id})
    groups = {key: items for key, items in by_id.items()
              if len({id(p) for _, p, _ in items}) > 1 or key[0] in lost}
    if not groups:
        return
    at = {id(p): i for i, p in enumerate(reader.problems)}
    for (file, value), items in sorted(groups.items()):
        what, first, known = items[0]
        unread = lost.get(file)  # the one row of that table that could not be read may have held it
        if len({id(p) for _, p, _ in items}) == 1:
            root = unread
        else:
            noun = HOME.get(what, (file, what))[1]
            n = len({(p.file, p.line, p.record) for _, p, _ in items})
            where = f"{first.file}:{first.line}" if first.line else first.file
            hint = did_you_mean(value, sorted(known)) if len(known) <= _Checker.HINT_CHOICES and not unread else ""
            maybe = f"; {unread.file}:{unread.line} could not be read and may hold it" if unread else ""
            root = Problem(file, None, "topics" if what == TOPIC else None,
                           f"no {noun} {value!r}, yet {n} record(s) name it (e.g. {where}){hint}{maybe}",
                           cause=unread)
            reader.problems.append(root)
        for _, prob, _ in items:
            i = at.get(id(prob))
            if i is not None:  # the record's problem now follows from the missing id (same text)
                reader.problems[i] = replace(prob, cause=root)


def _lost_rows(problems: list[Problem], homes: set[str]) -> dict[str, Problem]:
    """For each file that should hold an unknown id: the problem of its one row that could not be
    read (a row of the wrong width, bad quoting), when exactly one was lost."""
    tables = {h: h.rsplit(".", 1)[0] for h in homes if h != CASE_FILE}
    found: dict[str, list[Problem]] = {}
    for p in problems:
        if p.cause is None and p.record is None and p.line is not None and p.line > 1 and p.field is None:
            for home, table in tables.items():
                if _of_table(p.file, table):
                    found.setdefault(home, []).append(p)
    return {home: ps[0] for home, ps in found.items() if len(ps) == 1}


def check_references(meta: CaseMeta, records: dict[str, list], reader: "CaseReader") -> dict[str, tuple]:
    c = _Checker(meta, reader)
    known = _Known()
    # a kind of record the case holds none of: what names one follows from that one problem
    c.expect(c.topics, TOPIC)
    c.expect(records["evidence"], "evidence")
    c.expect(records["stakeholders"], "organisation", "parent organisation", "organisation or actor")
    c.expect(records["decisions"], "decision")
    c.expect(records["interfaces"], "interface")
    c.expect(records["agreements"], "agreement")

    cols = getattr(reader, "columns", {})
    evidence = c.keep("evidence", records["evidence"], lambda e: ([("source", [e.source], c.sources, "source")], []),
                      _flag(records["evidence"], [("source", c.sources, False)], cols.get("evidence"), known))
    ev_ids = {e.id for e in evidence}
    known.same_as(ev_ids, cols.get("evidence"), evidence)

    # the organisation tree: parents must exist and there must be no cycle
    org_ids = {s.id for s in records["stakeholders"]}
    cycles = org_cycles(records["stakeholders"])

    def org_checks(s):
        extra = []
        label, line = reader.where.get(("stakeholders", s.id), ("stakeholders", None))
        if s.id in cycles:
            extra.append(Problem(label, line, "parent", "the organisation tree has a cycle through this row", s.id))
        extra += _party_problems(s, label, line)
        return [("parent", [s.parent] if s.parent else [], org_ids, "parent organisation"),
                ("evidence", list(s.evidence), ev_ids, "evidence")], extra

    orgs_in = records["stakeholders"]
    stakeholders = c.keep("stakeholders", orgs_in, org_checks,
                          _flag(orgs_in, [("parent", org_ids, False), ("evidence", ev_ids, True)],
                                cols.get("stakeholders"), known)
                          | {i for i, s in enumerate(orgs_in) if s.id in cycles or _party_problems(s, "", None)})
    while len(stakeholders) < len(orgs_in):  # a parent rejected above leaves its children (and theirs) pointing at nothing
        orgs = {s.id for s in stakeholders}  # once per pass, not once per organisation
        again = c.keep("stakeholders", stakeholders, lambda s: (
            [("parent", [s.parent] if s.parent else [], orgs, "parent organisation")], []),
            unknown_rows(stakeholders, "parent", orgs))
        if len(again) == len(stakeholders):
            break
        stakeholders = again
    orgs = {s.id for s in stakeholders}

    actors = c.keep("actors", records["actors"], lambda a: (
        [("organisation", [a.organisation], orgs, "organisation"), ("evidence", list(a.evidence), ev_ids, "evidence")],
        [],
    ), _flag(records["actors"], [("organisation", orgs, False), ("evidence", ev_ids, True)], cols.get("actors"), known))
    clash = orgs & {a.id for a in actors}
    if clash:
        actors = c.keep("actors", actors, lambda a: (
            [], [Problem(*reader.where.get(("actors", a.id), ("actors", None)), "id",
                         "the same id is used by an organisation", a.id)] if a.id in clash else []))
    parties = orgs | {a.id for a in actors}
    actor_index = {a.id: a for a in actors}
    speakers = parties | {UNKNOWN_PARTY}  # a sender or recipient the source does not name

    def decision_checks(d: Decision):
        extra = []
        c.date_in_window("decisions", d, "date", d.date, extra)
        if isinstance(d.effective, FuzzyDate):
            c.date_in_window("decisions", d, "effective", d.effective, extra)
        label, line = reader.where.get(("decisions", d.id), ("decisions", None))
        extra += [Problem(label, line, "decided_by", why, d.id)
                  for m in d.decided_by if m in actor_index and (why := _out_of_post(actor_index[m], d))]
        checks = [
            ("decided_by", list(d.decided_by), parties, "organisation or actor"),
            ("acting_for", list(d.acting_for), orgs, "organisation"),
            ("urged_by", list(d.urged_by), orgs, "organisation"),
            ("covers", list(d.covers), c.topics, TOPIC),
            ("evidence", list(d.evidence), ev_ids, "evidence"),
        ]
        for i, imp in enumerate(d.impacts):
            if not imp.evidence:  # required (docs/data-model.md): what shows the decision reaches the stakeholder
                imp_label, imp_line = reader.where.get(("impacts", imp.id), (label, line))
                extra.append(Problem(imp_label, imp_line, f"impacts.{i}.evidence", "required: the evidence ids "
                                     "that show how the decision reaches this stakeholder", d.id))
            checks += [
                (f"impacts.{i}.stakeholder", [imp.stakeholder], orgs, "organisation"),
                (f"impacts.{i}.topic", [imp.topic], c.topics, TOPIC),
                (f"impacts.{i}.evidence", list(imp.evidence), ev_ids, "evidence"),
            ]
        return checks, extra

    all_impacts = Counter(i.id for d in records["decisions"] for i in d.impacts)
    dup_impacts = {k for k, n in all_impacts.items() if n > 1}

    def decision_checks_with_dups(d):
        checks, extra = decision_checks(d)
        label, line = reader.where.get(("decisions", d.id), ("decisions", None))
        extra += [Problem(label, line, "impacts.id", f"duplicate impact id {i.id!r}", d.id)
                  for i in d.impacts if i.id in dup_impacts]
        return checks, extra

    decisions = c.keep("decisions", records["decisions"], decision_checks_with_dups)
    dec_ids = {d.id for d in decisions}
    comm_ids = {m.id for m in records["communications"]}
    known.same_as(comm_ids, cols.get("communications"), records["communications"])

    comms_in = records["communications"]
    dates: dict[str, object] = {}

    def comm_dates() -> dict:  # made only when a reply must be looked at one by one
        if not dates:
            dates.update((m.id, m.date) for m in comms_in)
        return dates

    def comm_checks(m):
        extra = []
        c.date_in_window("communications", m, "date", m.date, extra)
        for ref in m.responds_to:  # a reply cannot come before what it answers
            if ref in comm_dates() and m.date.end < comm_dates()[ref].start:
                label, line = reader.where.get(("communications", m.id), ("communications", None))
                extra.append(Problem(label, line, "responds_to",
                                     f"answers {ref!r} dated {comm_dates()[ref]}, but is dated earlier ({m.date})", m.id))
        return [
            ("sender", [m.sender], speakers, "organisation or actor"),
            ("recipients", list(m.recipients), speakers, "organisation or actor"),
            ("topics", list(m.topics), c.topics, TOPIC),
            ("decisions", list(m.decisions), dec_ids, "decision"),
            ("responds_to", list(m.responds_to), comm_ids, "communication"),
            ("evidence", list(m.evidence), ev_ids, "evidence"),
        ], extra

    # Rows that may fail, found as set operations over the whole table: unknown ids, a date
    # outside the window (each distinct date checked once), a reply dated before its message.
    comm_cols = cols.get("communications")
    flagged = _flag(comms_in, [("sender", speakers, False), ("recipients", speakers, True),
                               ("topics", c.topics, True), ("decisions", dec_ids, True),
                               ("responds_to", comm_ids, True), ("evidence", ev_ids, True)], comm_cols, known)
    if comm_cols is not None and comm_cols.n == len(comms_in):
        flagged |= comm_cols.outside("date", c.window.start, c.window.end) | comm_cols.replies_before()
    else:
        outside = {d for d in {m.date for m in comms_in} if not d.within(c.window.start, c.window.end)}
        flagged |= {i for i, m in enumerate(comms_in) if m.date in outside or (m.responds_to and any(
            ref in comm_dates() and m.date.end < comm_dates()[ref].start for ref in m.responds_to))}
    communications = c.keep("communications", comms_in, comm_checks, flagged)
    while len(communications) < len(comms_in):  # a reply to a communication rejected above points at nothing
        kept_ids = {m.id for m in communications}
        again = c.keep("communications", communications,
                       lambda m: ([("responds_to", list(m.responds_to), kept_ids, "communication")], []),
                       unknown_rows(communications, "responds_to", kept_ids, many=True))
        if len(again) == len(communications):
            break
        communications = again

    flows = c.keep("flows", records["flows"], lambda f: ([
        ("source", [f.source], orgs, "organisation"),
        ("target", [f.target], orgs, "organisation"),
        ("evidence", list(f.evidence), ev_ids, "evidence"),
    ], []))

    def interface_checks(i):
        extra = []
        if i.created_by:  # a standing interface may start long before the decisions the case is about
            c.date_in_window("interfaces", i, "starts", i.starts, extra)
        return [
            ("created_by", list(i.created_by), dec_ids, "decision"),
            ("parties", list(i.parties), orgs, "organisation"),
            ("lead", [i.lead] if i.lead else [], orgs, "organisation"),
            ("evidence", list(i.evidence), ev_ids, "evidence"),
        ], extra

    interfaces = c.keep("interfaces", records["interfaces"], interface_checks)
    iface_ids = {i.id for i in interfaces}
    procedures = c.keep("procedures", records["procedures"], lambda p: ([
        ("organisation", [p.organisation], orgs, "organisation"),
        ("interfaces", list(p.interfaces), iface_ids, "interface"),
        ("evidence", list(p.evidence), ev_ids, "evidence"),
    ], []))
    agreements = c.keep("agreements", records["agreements"], lambda a: ([
        ("parties", list(a.parties), orgs, "organisation"),
        ("interfaces", list(a.interfaces), iface_ids, "interface"),
        ("evidence", list(a.evidence), ev_ids, "evidence"),
    ], []))
    while True:  # superseded_by names another agreement, which must itself be kept
        kept_ids = {a.id for a in agreements}
        again = c.keep("agreements", agreements, lambda a: (
            [("superseded_by", [a.superseded_by] if a.superseded_by else [], kept_ids, "agreement")], []))
        if len(again) == len(agreements):
            break
        agreements = again
    agreement_ids = {a.id for a in agreements}
    collaborations = c.keep("collaborations", records.get("collaborations", []), lambda m: ([
        ("participants", list(m.participants), orgs, "organisation"),
        ("lead", [m.lead] if m.lead else [], orgs, "organisation"),
        ("interfaces", list(m.interfaces), iface_ids, "interface"),
        ("agreements", list(m.agreements), agreement_ids, "agreement"),
        ("evidence", list(m.evidence), ev_ids, "evidence"),
    ], []))

    # suppressions in case.yaml must point at real things
    impact_of = {i.id: d.id for d in records["decisions"] for i in d.impacts}
    for s in meta.suppressions:
        for fld, value, known, what in (("decision", s.decision, dec_ids, "decision"),
                                        ("stakeholder", s.stakeholder, orgs, "organisation"),
                                        ("impact", s.impact, set(all_impacts), None),
                                        ("interface", s.interface, iface_ids, "interface")):
            if fld == "impact" and value in known and impact_of.get(value) not in dec_ids:
                d_id = impact_of.get(value)  # an impact of a decision that was rejected
                reader.problems.append(Problem(CASE_FILE, None, "suppressions.impact", f"impact {value!r} belongs to "
                                               f"decision {d_id!r}, which was itself rejected (see "
                                               f"{c.rejected_ids.get(d_id, 'decisions.yaml')})", cause=c.causes.get(d_id)))
                continue
            if value is None or value in known:
                continue
            if value in c.rejected_ids and what is not None:  # the root cause is that record's problem
                message, cause = (f"{fld} {value!r} was itself rejected (see {c.rejected_ids[value]})",
                                  c.causes.get(value))
            elif what in c.empty:
                cause, why = c.absent_root(c.empty[what], value, CASE_FILE, None)
                message = f"unknown {fld} {value!r} ({why})"
            else:
                message, cause = f"unknown {fld} {value!r}{c.hint(value, known)}", None
            reader.problems.append(Problem(CASE_FILE, None, f"suppressions.{fld}", message, cause=cause))
            if cause is None and what is not None and value not in c.rejected_ids:
                c.unknown.append((what, value, reader.problems[-1], known))
    # the organisation each rulebook addresses must be in the tree
    for book, org in meta.addresses.items():
        if org in orgs:
            continue
        if org in c.rejected_ids:
            reader.problems.append(Problem(CASE_FILE, None, f"addresses.{book}", f"organisation {org!r} was itself "
                                           f"rejected (see {c.rejected_ids[org]})", cause=c.causes.get(org)))
        else:
            reader.problems.append(Problem(CASE_FILE, None, f"addresses.{book}",
                                           f"unknown organisation {org!r}{c.hint(org, orgs)}"))
            c.unknown.append(("organisation", org, reader.problems[-1], orgs))

    return {
        "stakeholders": tuple(stakeholders),
        "actors": tuple(actors),
        "evidence": tuple(evidence),
        "communications": tuple(communications),
        "decisions": tuple(decisions),
        "flows": tuple(flows),
        "interfaces": tuple(interfaces),
        "procedures": tuple(procedures),
        "agreements": tuple(agreements),
        "collaborations": tuple(collaborations),
    }
