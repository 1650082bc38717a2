"""The ingest report: every message read accounted for, every problem listed where it is.

messages read = communications + duplicates merged + rejected. The report
holds no timings, so two runs on the same production write the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..render.report.text import md_escape as md_cell
from .pipeline import Outcome


def summary(out: Outcome) -> dict:
    rejected_messages = out.rejected
    return {
        "messages_read": out.read,
        "communications": len(out.comms),
        "duplicates_merged": out.duplicates,
        "rejected": len(rejected_messages),
        "balanced": out.read == len(out.comms) + out.duplicates + len(rejected_messages),
        "unreadable_sources": [{"file": r.file, "reason": r.reason} for r in out.bad_sources],
        "threads_linked": out.threads,
        "messages_with_problems_kept": len(out.problems),
        "unmapped_addresses": len(out.unmapped),
        "topics": dict(sorted(out.topics_used.items())),
    }


def as_dict(out: Outcome) -> dict:
    return {
        "summary": summary(out),
        "files": [{"file": f, "kind": k, "messages": out.per_file.get(f, 0)} for f, k in out.files],
        "unmapped": [{"address": a, "messages": n} for a, n in sorted(out.unmapped.items(), key=lambda x: (-x[1], x[0]))],
        "rejected": [{"file": r.file, "position": r.position, "reason": r.reason} for r in out.rejected],
        "problems": [{"file": p.file, "position": p.position, "reason": p.reason} for p in out.problems],
    }


def markdown(out: Outcome) -> str:
    s = summary(out)
    lines = [
        "# Ingest report", "",
        f"Messages read: {s['messages_read']:,} = communications {s['communications']:,}"
        f" + duplicates merged {s['duplicates_merged']:,} + rejected {s['rejected']:,}"
        + ("" if s["balanced"] else " (DOES NOT BALANCE)"), "",
        f"Replies linked to the message they answer: {s['threads_linked']:,}.", "",
        "## Files", "", "| file | kind | messages |", "|---|---|---:|",
    ]
    lines += [f"| {md_cell(f)} | {k} | {out.per_file.get(f, 0):,} |" for f, k in out.files]
    lines += ["", "## Topics", "", "| topic | communications |", "|---|---:|"]
    lines += [f"| {t} | {n:,} |" for t, n in sorted(out.topics_used.items())]
    lines += ["", f"## Addresses mapped to no party ({len(out.unmapped):,})", "",
              "Their messages are kept, with the party recorded as `unknown`.", "",
              "| address | messages |", "|---|---:|"]
    lines += [f"| {md_cell(a)} | {n:,} |" for a, n in sorted(out.unmapped.items(), key=lambda x: (-x[1], x[0]))]
    for title, items in (("Sources that could not be read", out.bad_sources), ("Rejected", out.rejected), ("Problems (message kept)", out.problems)):
        lines += ["", f"## {title} ({len(items):,})", "", "| file | position | reason |", "|---|---|---|"]
        lines += [f"| {md_cell(i.file)} | {md_cell(i.position)} | {md_cell(i.reason)} |" for i in items]
    return "\n".join(lines) + "\n"


def write(folder: Path, out: Outcome) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    j, m = folder / "report.json", folder / "report.md"
    j.write_text(json.dumps(as_dict(out), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    m.write_text(markdown(out), encoding="utf-8")
    return j, m
