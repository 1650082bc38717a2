"""Benchmark the consultation matrix against the cost of reading its input.

For each size (10K, 100K and 1M communications; 1,000 decisions, 5,000
organisations, ~20 impacts a decision):

1. a subprocess generates the synthetic case (bench/generate.py) and writes
   each table to Parquet under bench/out/<size>/ (skipped if already there);
2. a fresh subprocess, so that its peak memory is this size's alone:
   * reads all tables with pyarrow, best of 3: the I/O floor;
   * runs coordgap.engine.matrix_from_tables on the tables read, best of 3;
   * reports its peak resident set size (ru_maxrss): everything the process
     held at its worst moment, Python, Arrow, DuckDB and pandas together.

The targets, at 1M communications: matrix <= 5 x floor, peak RSS < 2 GB.
Prints a table and writes bench/results.json. See docs/performance.md.

    python bench/run.py                       # all three sizes
    python bench/run.py --sizes 10000 100000  # a subset
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
RESULTS = HERE / "results.json"
SIZES = [10_000, 100_000, 1_000_000]
TARGET_RATIO = 5.0
TARGET_RSS_MB = 2000  # MiB, a little under 2 GiB

try:
    import coordgap  # noqa: F401
except ImportError:  # a source checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT / "src"))
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(HERE), os.environ.get("PYTHONPATH", "")])}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _timed(fn) -> tuple[float, float, object]:
    """Wall-clock and process CPU seconds of one call (CPU counts every thread), and its result."""
    gc.collect()
    c0, t0 = time.process_time(), time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, time.process_time() - c0, result


def _best(fn, repeat: int) -> tuple[float, float, object]:
    """Best wall-clock time of `repeat` calls, the process CPU time of that call, and a result."""
    best, cpu, result = float("inf"), 0.0, None
    for _ in range(repeat):
        result = None  # free the previous call's before the next
        wall, used, result = _timed(fn)
        if wall < best:
            best, cpu = wall, used
    return best, cpu, result


def measure(folder: Path, repeat: int) -> dict:
    """One size, in this process: the floor, the matrix, the peak memory."""
    import pyarrow.compute as pc
    from generate import read_parquet

    from coordgap.engine.matrix import matrix_from_tables

    load_start = os.getloadavg()[0]
    rss_start = _peak_rss_mb()
    floor = _best(lambda: read_parquet(folder), repeat)
    tables = floor[2]
    rss_floor = _peak_rss_mb()
    matrix_t = _best(lambda: matrix_from_tables(tables), repeat)
    matrix = matrix_t[2]
    comms = tables.comms
    return {
        "comms": comms.num_rows,
        "recipients": int(pc.sum(pc.list_value_length(comms.column("recipients"))).as_py()),
        "comm_decisions": int(pc.sum(pc.list_value_length(comms.column("decisions"))).as_py()),
        "decisions": tables.decisions.num_rows,
        "impacts": tables.impacts.num_rows,
        "orgs": tables.orgs.num_rows,
        "parties": tables.parties.num_rows,
        "parquet_mb": round(sum(f.stat().st_size for f in folder.glob("*.parquet")) / 2**20, 1),
        "floor_s": round(floor[0], 4),
        "floor_cpu_s": round(floor[1], 4),
        "matrix_s": round(matrix_t[0], 4),
        "matrix_cpu_s": round(matrix_t[1], 4),
        "ratio": round(matrix_t[0] / floor[0], 2),
        "rss_after_import_mb": round(rss_start),
        "rss_after_floor_mb": round(rss_floor),
        "peak_rss_mb": round(_peak_rss_mb()),
        "rows": len(matrix),
        "status_counts": {k: int(v) for k, v in matrix["status"].value_counts().sort_index().items()},
        "loadavg_1min": [load_start, os.getloadavg()[0]],  # at the start and the end
    }


def machine() -> dict:
    import duckdb
    import pandas
    import pyarrow

    mem_kb = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    return {
        "nproc": os.cpu_count(), "cpu": cpu, "memory_gb": round(mem_kb / 2**20, 1),
        "python": platform.python_version(), "duckdb": duckdb.__version__,
        "pyarrow": pyarrow.__version__, "pandas": pandas.__version__,
    }


def run_size(n: int, repeat: int, regenerate: bool) -> dict:
    folder = OUT / str(n)
    if regenerate or not all((folder / f"{t}.parquet").is_file() for t in ("comms", "evidence")):
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--comms", str(n), "--out", str(folder)],
                       check=True, env=ENV)
    out = subprocess.run([sys.executable, str(HERE / "run.py"), "--measure", str(folder), "--repeat", str(repeat)],
                         env=ENV, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"measuring {folder} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--regenerate", action="store_true", help="rewrite the Parquet data even if present")
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # internal: one size, in this process
    a = ap.parse_args()
    if a.measure:
        print(json.dumps(measure(a.measure, a.repeat)))
        return

    results = []
    print(f"{'comms':>9} {'floor s':>8} {'matrix s':>9} {'ratio':>6} {'peak RSS MB':>12} {'rows':>7} {'load':>5}")
    for n in a.sizes:
        r = run_size(n, a.repeat, a.regenerate)
        results.append(r)
        print(f"{r['comms']:>9,} {r['floor_s']:>8.3f} {r['matrix_s']:>9.3f} {r['ratio']:>6.2f} "
              f"{r['peak_rss_mb']:>12,} {r['rows']:>7,} {max(r['loadavg_1min']):>5.2f}", flush=True)
    big = max(results, key=lambda r: r["comms"])
    verdict = {
        "at_comms": big["comms"],
        "ratio_ok": big["ratio"] <= TARGET_RATIO,
        "memory_ok": big["peak_rss_mb"] < TARGET_RSS_MB,
    }
    print(f"at {big['comms']:,} comms: ratio {big['ratio']} (target <= {TARGET_RATIO}), "
          f"peak RSS {big['peak_rss_mb']} MB (target < {TARGET_RSS_MB})")
    RESULTS.write_text(json.dumps({"machine": machine(), "repeat": a.repeat, "results": results,
                                   "targets": {"ratio": TARGET_RATIO, "peak_rss_mb": TARGET_RSS_MB},
                                   "verdict": verdict}, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
