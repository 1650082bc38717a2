"""Write what an ingest found into a case folder, beside what the folder already holds.

Ingested records go into their own part files, so a hand-written
`communications.csv` is never touched: `communications/ingest.parquet` (or
`.csv`), `evidence/ingest.*`, and `stakeholders/ingest.csv` for the `unknown`
party when some address mapped to nobody. case.yaml gains one source per
production file and the topics of the search-term list. The folder `ingest/`
holds the ingest report, the locators and the review file.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from functools import lru_cache
from pathlib import Path

import yaml

from .pipeline import UNKNOWN, Comm, Outcome
from .sources import Locator

PUBLISHER = "coordgap ingest"  # marks the sources an ingest added, so a second ingest replaces them
COMM_COLUMNS = ["id", "date", "channel", "kind", "sender", "recipients", "topics", "decisions",
                "responds_to", "dispute", "summary", "evidence"]
LIST_COLUMNS = {"recipients", "topics", "decisions", "responds_to", "evidence"}  # in communications
# A message from a production is a primary document, but not the oversight body's own words:
# its evidence is graded `other_primary` (docs/data-model.md, "Evidence grades").
EVIDENCE_COLUMNS = ["id", "source", "section", "footnote", "quote", "grade"]
LOCATOR_COLUMNS = ["evidence", "communication", "file", "kind", "offset", "length", "row", "bates", "ref",
                   "message_id"]


@lru_cache(maxsize=4096)
def source_id(label: str) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", Path(label).name.lower()).strip("-")[:40] or "file"
    return f"prod-{stem}-{hashlib.blake2b(label.encode(), digest_size=3).hexdigest()}"


def summary(c: Comm) -> str:
    what = "Meeting" if c.channel == "meeting" else "Email"
    subject = c.subject or "(no subject)"
    copies = f"; {len(c.locators)} copies" if len(c.locators) > 1 else ""
    return f'{what} "{subject}"; kind {c.kind} machine-assigned ({c.kind_reason}){copies}'


def evidence_rows(c: Comm) -> list[tuple[str, Locator, str]]:
    """(evidence id, locator, quote): one per distinct matched sentence, one per further copy."""
    quotes = list(dict.fromkeys(c.topics.values())) or [c.quote]
    first = c.locators[0]
    rows = [(f"{c.id}.q{i}", first, q) for i, q in enumerate(quotes, 1)]
    rows += [(f"{c.id}.c{j}", loc, quotes[0]) for j, loc in enumerate(c.locators[1:], 2)]
    return rows


def _write_table(path: Path, columns: list[str], rows: list[list[str]], fmt: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.glob(path.stem + ".*"):  # a previous ingest in the other format
        old.unlink()
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        out = path.with_suffix(".parquet")
        # list cells as Parquet lists (the layout of bench/whole_path.py's Parquet cases), the rest as text
        table = pa.table({c: (pa.array([r[i].split(";") if r[i] else [] for r in rows], pa.list_(pa.string()))
                              if c in LIST_COLUMNS else pa.array([r[i] for r in rows], pa.string()))
                          for i, c in enumerate(columns)})
        pq.write_table(table, out, compression="zstd")
        return out
    out = path.with_suffix(".csv")
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(columns)
        w.writerows(rows)
    return out


def _rel(label: str, case_dir: Path, _cache: dict = {}) -> str:  # noqa: B006 - a per-process cache
    """A production file's path relative to the case folder (so the locators open it from there)."""
    key = (label, str(case_dir))
    if key not in _cache:
        _cache[key] = Path(os.path.relpath(Path(label).resolve(), case_dir.resolve())).as_posix()
    return _cache[key]


def write_records(case_dir: Path, out: Outcome, fmt: str) -> dict[str, Path]:
    """The communications, evidence and locator tables."""
    comms, evidence, locators = [], [], []
    sources: dict[tuple[str, str], tuple[str, str]] = {}  # (file, source) -> (source id, path from the case)
    for c in out.comms:
        ev = evidence_rows(c)
        comms.append([c.id, c.day.isoformat(), c.channel, c.kind, c.sender, ";".join(c.recipients),
                      ";".join(c.topics), ";".join(c.decisions), ";".join(c.responds_to), "", summary(c),
                      ";".join(e[0] for e in ev)])
        for eid, loc, quote in ev:
            where = (loc.file, loc.source)
            known = sources.get(where)
            if known is None:
                known = sources[where] = (source_id(loc.source or loc.file), _rel(loc.file, case_dir))
            evidence.append([eid, known[0], loc.describe(), "", quote, "other_primary"])
            locators.append([eid, c.id, known[1], loc.kind, str(loc.offset), str(loc.length), str(loc.row),
                             loc.bates, loc.ref, c.message_id])
    return {
        "communications": _write_table(case_dir / "communications" / "ingest", COMM_COLUMNS, comms, fmt),
        "evidence": _write_table(case_dir / "evidence" / "ingest", EVIDENCE_COLUMNS, evidence, fmt),
        "locators": _write_table(case_dir / "ingest" / "locators", LOCATOR_COLUMNS, locators, "csv"),
    }


def write_parties(case_dir: Path, out: Outcome, existing_orgs: set[str] | None, new_parties: list[str]) -> None:
    """stakeholders.csv of a new case (the directory's parties); the `unknown` party when needed."""
    needs_unknown = any(c.sender == UNKNOWN or UNKNOWN in c.recipients for c in out.comms)
    part = case_dir / "stakeholders" / "ingest.csv"
    rows = []
    if existing_orgs is None:
        rows += [[p, p, "", "other", "executive", ""] for p in new_parties if p != UNKNOWN]
    if needs_unknown and (existing_orgs is None or UNKNOWN not in existing_orgs):
        rows.append([UNKNOWN, "Unknown party (an address the directory does not map)", "", "other",
                     "non_governmental", ""])
    if part.exists():
        part.unlink()
    if existing_orgs is None:
        _write_table(case_dir / "stakeholders", ["id", "name", "parent", "kind", "branch", "evidence"], rows, "csv")
    elif rows:
        _write_table(part.with_suffix(""), ["id", "name", "parent", "kind", "branch", "evidence"], rows, "csv")


def update_case_yaml(case_dir: Path, out: Outcome, topics: dict[str, list[str]], meta: dict | None) -> None:
    """Add a source per production file and the topics searched for; a new case gets its whole case.yaml."""
    path = case_dir / "case.yaml"
    data = meta if meta is not None else yaml.safe_load(path.read_text(encoding="utf-8"))
    sources = [s for s in data.get("sources", []) if s.get("publisher") != PUBLISHER]
    for label, kind in out.files:
        # no `path`: the text is inside a mailbox (encoded), so `validate` cannot check quotes against
        # it; ingest/locators.csv and coordgap.ingest.locate.verify_quotes() do (docs/ingesting.md)
        sources.append({"id": source_id(label), "title": f"Production file {label} ({kind})",
                        "publisher": PUBLISHER})
    data["sources"] = sources
    have = {t["id"] for t in data.get("topics", [])}
    data["topics"] = list(data.get("topics", [])) + [
        {"id": t, "description": "Search terms: " + "; ".join(terms)} for t, terms in topics.items() if t not in have
    ]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
