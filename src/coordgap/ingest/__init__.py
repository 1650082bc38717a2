"""Ingest record productions (mbox, .eml folders, .ics, load files, PST) into a case folder.

    coordgap.ingest(["custodian-a.mbox", "calendars/"], directory="directory.csv",
                    out="my-case", topics="topics.yaml")

The modules, in the order data flows: sources (mbox, .eml), calendar (.ics),
loadfile (CSV/DAT load files), pst (optional), mail (one message parsed),
directory (addresses to parties), topics (search terms and quotes), classify
(kind and decisions), pipeline (duplicates and threads), writer (the case
folder), review (messages that earn a status), report (the accounting).
See docs/ingesting.md.
"""

from __future__ import annotations

import shutil
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..collector import collector_paused
from ..errors import InvalidInputError
from .classify import DecisionWindow
from .directory import Directory
from .loadfile import read_mapping
from .pipeline import Outcome, Settings, run
from .progress import Progress
from .sources import SourceError
from .topics import TopicSearch

__all__ = ["IngestResult", "SourceError", "default_format", "ingest"]


@dataclass
class IngestResult:
    case_dir: Path
    outcome: Outcome
    files: dict[str, Path]

    @property
    def summary(self) -> dict:
        from .report import summary

        return summary(self.outcome)


def default_format() -> str:
    """Parquet when this coordgap's case loader reads Parquet tables, else CSV: the default
    output is always a case folder the loader reads in full."""
    from ..io import loader

    return "parquet" if hasattr(loader, "parquet_files") else "csv"


def _is_ingest_made(case_dir: Path) -> bool:
    """A case folder an earlier ingest created (every source is a production file)."""
    import yaml

    from .writer import PUBLISHER

    try:
        data = yaml.safe_load((case_dir / "case.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return False
    sources = data.get("sources") or []
    return bool(sources) and all(isinstance(s, dict) and s.get("publisher") == PUBLISHER for s in sources)


def _clear_previous(case_dir: Path, whole: bool) -> None:
    """Remove what an earlier ingest wrote (it is replaced, never added to twice)."""
    for stem in ("communications", "evidence", "stakeholders"):
        for old in (case_dir / stem).glob("ingest.*"):
            old.unlink()
    if whole:
        for name in ("case.yaml",):
            (case_dir / name).unlink(missing_ok=True)
    shutil.rmtree(case_dir / "ingest", ignore_errors=True)


def ingest(
    sources: Iterable[str | Path],
    directory: str | Path,
    out: str | Path,
    *,
    topics: str | Path | None = None,
    mapping: str | Path | None = None,
    fmt: str | None = None,
    days_before: int = 180,
    days_after: int = 60,
    review: bool = True,
    progress: bool | None = None,
    workers: int = 1,
) -> IngestResult:
    """Read every source into the case folder `out` (an existing case, or a new one).

    Raises InvalidInputError when the directory or an existing case is wrong
    (every problem listed), SourceError for an unusable topics or mapping file.
    Problems with single messages never raise: they are in the ingest report.
    `workers`: processes that parse mail (1: in this process, the default; a pool gets
    only first copies, the rest stays here; on a loaded machine it did not pay:
    docs/performance.md). The output is the same either way.
    """
    from ..io.loader import load_case
    from . import report, writer

    fmt = fmt or default_format()
    if fmt not in ("parquet", "csv"):
        raise ValueError("fmt must be 'parquet' or 'csv'")
    case_dir = Path(out)
    existing = (case_dir / "case.yaml").is_file() and not _is_ingest_made(case_dir)
    _clear_previous(case_dir, whole=not existing and (case_dir / "case.yaml").is_file())
    case = load_case(case_dir) if existing else None
    known = ({s.id for s in case.stakeholders} | {a.id for a in case.actors}) if case else None
    directory_obj, problems = Directory.read(Path(directory), known)
    if problems:
        raise InvalidInputError(problems, what=str(directory))
    search = TopicSearch.read(Path(topics)) if topics else TopicSearch({})
    bad_topics = [t for t in search.topics if case and t not in {x.id for x in case.meta.topics}]
    load_mapping = read_mapping(Path(mapping)) if mapping else {}
    source_paths = [Path(s) for s in sources]
    settings = Settings(
        directory=directory_obj,
        topics=search,
        decisions=DecisionWindow.build(case.decisions if case else (), days_before, days_after),
        window=(case.meta.window.start, case.meta.window.end) if case else None,
        mappings={str(p): load_mapping for p in source_paths},
    )
    with collector_paused():
        bar = Progress(progress)
        outcome = run(source_paths, settings, bar, workers)
        bar.done()

        case_dir.mkdir(parents=True, exist_ok=True)
        files = writer.write_records(case_dir, outcome, fmt)
        writer.write_parties(case_dir, outcome, ({s.id for s in case.stakeholders} if case else None),
                             sorted(directory_obj.parties))
        meta = None if case else new_case_meta(case_dir, outcome)
        writer.update_case_yaml(case_dir, outcome, {t: search.topics[t] for t in search.topics
                                                    if not case or t in bad_topics}, meta)
        files["report.json"], files["report.md"] = report.write(case_dir / "ingest", outcome)
        if review and case is not None and case.decisions:
            from .review import write_review

            files["review"] = write_review(case_dir / "ingest" / "review.csv", case, outcome)
    return IngestResult(case_dir, outcome, files)


def new_case_meta(case_dir: Path, outcome: Outcome) -> dict:
    """case.yaml of a case made by ingest: its window spans the messages' dates."""
    import re

    days = [c.day for c in outcome.comms]
    start, end = (min(days), max(days)) if days else (None, None)
    slug = re.sub(r"[^a-z0-9]+", "-", case_dir.resolve().name.lower()).strip("-") or "ingested"
    return {
        "id": slug,
        "title": f"Ingested production ({case_dir.resolve().name})",
        "summary": "Communications read from record productions by `coordgap ingest`; see ingest/report.md.",
        "window": {"start": (start.isoformat() if start else "2000-01-01"),
                   "end": (end.isoformat() if end else "2000-01-01")},
        "sources": [],
        "topics": [],
    }



class _CallableModule(types.ModuleType):
    """`coordgap.ingest(...)` calls ingest() while `coordgap.ingest` stays this subpackage
    (so `coordgap.ingest.locate` and the other modules are reached as usual)."""

    def __call__(self, *args, **kwargs) -> IngestResult:
        return ingest(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
