"""The ingest benchmark: messages/s and peak memory of `coordgap ingest` against the floor of
the standard library's mailbox reading the same headers, and the time of `coordgap report`
on the ingested case. Not a test: run it by hand.

    PYTHONPATH=src python bench/ingest_run.py [--sizes 10000 100000 200000] [--work DIR]
        [--workers N] [--format csv|parquet] [--no-floor] [--no-report] [--label TEXT]

The ingested case stays in WORK/p<size>/out (a case folder `coordgap report` reads), so

    PYTHONPATH=src python bench/ingest_run.py --sizes 200000 --no-floor --no-report

builds the case ingested from 200,000 messages in /tmp/coordgap-ingest-bench/p200000/out.

Each figure is measured in its own process (peak RSS is that process's own). The load
average of the machine is recorded with every figure: it is shared, and a figure taken
under load says less about the code than about the neighbours. Results go to
bench/results-ingest.json; docs/performance.md ("Ingest") explains them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

FLOOR = r"""
import mailbox, sys, time
from email.parser import BytesHeaderParser
from email.policy import compat32
from pathlib import Path
t = time.perf_counter()
parser, n = BytesHeaderParser(policy=compat32), 0
prod = Path(sys.argv[1])
for path in sorted(prod.glob("*.mbox")):
    box = mailbox.mbox(str(path), create=False)
    for key in box.iterkeys():
        m = parser.parsebytes(box.get_bytes(key))
        m["From"], m["To"], m["Cc"], m["Date"], m["Subject"], m["Message-ID"], m["In-Reply-To"], m["References"]
        n += 1
for path in sorted((prod / "eml").glob("*.eml")):
    with path.open("rb") as fh:
        m = parser.parse(fh)
    m["From"], m["To"], m["Cc"], m["Date"], m["Subject"], m["Message-ID"], m["In-Reply-To"], m["References"]
    n += 1
print(n, time.perf_counter() - t)
"""


def _run(cmd: list[str], env: dict | None = None) -> tuple[float, int, str, float, float]:
    """(wall seconds, peak RSS in MB of that process, stdout, load average before, CPU seconds)."""
    load = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    out, err = proc.stdout.read(), proc.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[:4]} failed:\n{err}")
    return wall, usage.ru_maxrss // 1024, out, load, usage.ru_utime + usage.ru_stime


def one(size: int, work: Path, fmt: str, workers: int | None, floor: bool = True, report: bool = True) -> dict:
    from ingest_generate import generate
    from ingest_truth import compare

    prod = work / f"p{size}"
    if not (prod / "truth.csv").exists():
        shutil.rmtree(prod, ignore_errors=True)
        generate(prod, size, seed=0)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    p = prod / "production"
    sources = [*sorted(map(str, p.glob("*.mbox"))), str(p / "eml"), str(p / "calendar.ics"),
               str(p / "loadfile" / "export.csv")]
    row: dict = {"messages": size, "production_mb": round(sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
                                                           / 2**20, 1)}

    if floor:
        wall, rss, out, load, cpu = _run([sys.executable, "-c", FLOOR, str(p)], env)
        n, inner = out.split()
        row["floor"] = {"messages": int(n), "seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
                        "messages_per_s": round(int(n) / wall),
                        "inner_seconds": round(float(inner), 2), "peak_rss_mb": rss, "load_before": round(load, 2)}

    case = prod / "out"
    shutil.rmtree(case, ignore_errors=True)
    shutil.copytree(prod / "case", case)
    cmd = [sys.executable, "-m", "coordgap", "ingest", *sources, "--directory", str(prod / "directory.csv"),
           "--topics", str(prod / "topics.yaml"), "--out", str(case), "--format", fmt, "--no-progress"]
    if workers is not None:
        cmd += ["--workers", str(workers)]
    wall, rss, out, load, cpu = _run(cmd, env)
    # CPU seconds are the process's own plus its workers' (os.wait4 counts reaped children)
    row["ingest"] = {"seconds": round(wall, 2), "cpu_seconds": round(cpu, 2), "messages_per_s": round(size / wall),
                     "messages_per_cpu_s": round(size / cpu), "peak_rss_mb": rss, "load_before": round(load, 2),
                     "load_after": round(os.getloadavg()[0], 2), "format": fmt, "workers": workers}
    if floor:
        row["ingest"]["times_floor"] = round(wall / row["floor"]["seconds"], 2)
        row["ingest"]["cpu_times_floor"] = round(cpu / row["floor"]["cpu_seconds"], 2)
    truth = compare(prod, case)
    row["truth"] = {k: v for k, v in truth.items() if k != "wrong"} | {"wrong": {k: len(v) for k, v in
                                                                                truth["wrong"].items()}}
    if report:
        rep = work / f"report{size}"
        shutil.rmtree(rep, ignore_errors=True)
        wall, rss, _, load, cpu = _run([sys.executable, "-m", "coordgap", "report", str(case), "--out", str(rep)],
                                       env)
        row["report"] = {"seconds": round(wall, 2), "cpu_seconds": round(cpu, 2), "peak_rss_mb": rss,
                         "load_before": round(load, 2)}
    row["load_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 200_000])
    ap.add_argument("--work", type=Path, default=Path("/tmp/coordgap-ingest-bench"))
    ap.add_argument("--format", default="csv", choices=["csv", "parquet"])
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--no-floor", dest="floor", action="store_false", help="skip the stdlib mailbox floor")
    ap.add_argument("--no-report", dest="report", action="store_false", help="skip `coordgap report` on the case")
    ap.add_argument("--label", default="", help="what this run measured (kept in the results file)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results-ingest.json")
    a = ap.parse_args()
    a.work.mkdir(parents=True, exist_ok=True)
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    rows = [one(s, a.work, a.format, a.workers, a.floor, a.report) for s in a.sizes]
    result = {"machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]}, "label": a.label,
              "commit": commit, "runs": rows}
    old = json.loads(a.out.read_text()) if a.out.exists() else {}
    old.setdefault("history", []).append(result)
    old["latest"] = result
    a.out.write_text(json.dumps(old, indent=1) + "\n")
    print(a.out)


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
