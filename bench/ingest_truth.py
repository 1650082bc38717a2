"""Compare what `coordgap ingest` wrote with a generated production's ground truth (truth.csv).

    python bench/ingest_truth.py PRODUCTION_DIR CASE_DIR

Checks, per distinct message: sender, recipients, topics, the message it
answers, how many copies were merged into it, and that rejected messages are
absent; and that messages read = communications + duplicates + rejected.
Used by the benchmark and by tests/test_ingest_truth.py.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from pathlib import Path


def _table(path_stem: Path) -> list[dict]:
    parquet, csvp = path_stem.with_suffix(".parquet"), path_stem.with_suffix(".csv")
    if parquet.exists():
        import pyarrow.parquet as pq

        return [{k: ";".join(v) if isinstance(v, list) else v for k, v in row.items()}
                for row in pq.read_table(parquet).to_pylist()]
    with csvp.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def compare(production: Path, case_dir: Path) -> dict:
    production, case_dir = Path(production), Path(case_dir)
    with (production / "truth.csv").open(newline="") as fh:
        truth = list(csv.DictReader(fh))
    comms = {c["id"]: c for c in _table(case_dir / "communications" / "ingest")}
    with (case_dir / "ingest" / "locators.csv").open(newline="", encoding="utf-8") as fh:
        locators = list(csv.DictReader(fh))
    by_msgid = {}
    copies = Counter()
    seen_ev = set()
    for loc in locators:
        by_msgid[loc["message_id"]] = loc["communication"]
        if loc["evidence"].split(".")[-1].startswith("c") or loc["evidence"].endswith(".q1"):
            if loc["evidence"] not in seen_ev:
                seen_ev.add(loc["evidence"])
                copies[loc["communication"]] += 1
    report = json.loads((case_dir / "ingest" / "report.json").read_text(encoding="utf-8"))["summary"]
    wrong: dict[str, list[str]] = {k: [] for k in ("missing", "sender", "recipients", "topics", "parent",
                                                   "copies", "rejected_present")}
    for t in truth:
        cid = by_msgid.get(t["key"])
        if t["fate"] == "rejected":
            if cid is not None:
                wrong["rejected_present"].append(t["key"])
            continue
        if cid is None:
            wrong["missing"].append(t["key"])
            continue
        c = comms[cid]
        if c["sender"] != t["sender"]:
            wrong["sender"].append(f"{t['key']}: {c['sender']} != {t['sender']}")
        if set(filter(None, c["recipients"].split(";"))) != set(t["recipients"].split(";")):
            wrong["recipients"].append(f"{t['key']}: {c['recipients']} != {t['recipients']}")
        if set(filter(None, c["topics"].split(";"))) != set(filter(None, t["topics"].split(";"))):
            wrong["topics"].append(f"{t['key']}: {c['topics']} != {t['topics']}")
        expected_parent = by_msgid.get(t["parent"], "") if t["parent"] else ""
        if c["responds_to"] != expected_parent:
            wrong["parent"].append(f"{t['key']}: {c['responds_to']!r} != {expected_parent!r}")
        if copies[cid] != int(t["copies"]):
            wrong["copies"].append(f"{t['key']}: {copies[cid]} != {t['copies']}")
    written = sum(int(t["copies"]) for t in truth)
    kept = [t for t in truth if t["fate"] == "kept"]
    return {
        "messages_in_production": written,
        "messages_read": report["messages_read"],
        "balanced": report["balanced"],
        "communications": len(comms),
        "distinct_kept_in_truth": len(kept),
        "duplicates_expected": sum(int(t["copies"]) - 1 for t in kept),
        "duplicates_merged": report["duplicates_merged"],
        "rejected_expected": sum(int(t["copies"]) for t in truth if t["fate"] == "rejected"),
        "rejected": report["rejected"],
        "threads_expected": sum(1 for t in kept if t["parent"]),
        "threads_linked": report["threads_linked"],
        "wrong": {k: v for k, v in wrong.items() if v},
    }


if __name__ == "__main__":
    result = compare(Path(sys.argv[1]), Path(sys.argv[2]))
    print(json.dumps({**result, "wrong": {k: v[:5] + [f"... {len(v)} in all"] for k, v in result["wrong"].items()}},
                     indent=2))
