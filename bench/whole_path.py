"""Benchmark the whole path as a user runs it: `coordgap validate`, `matrix`,
`findings` and `report` on case folders, against floors measured in the same run.

For each size (10K, 100K and 1M communications of bench/generate.py's
synthetic case: 5,000 organisations, 10,000 actors, 1,000 decisions, about
20,000 impacts):

1. the synthetic case is written once as two case folders under
   bench/out/whole/<size>/: `csv/` (every table a CSV file, decisions in
   decisions.yaml, as a user writes them) and `parquet/` (the same, with
   communications, evidence and actors as Parquet files), and the engine's
   own tables as Parquet in `tables/`;
2. each command runs in a **fresh process** (`python -m coordgap ...`, output
   to /dev/null or a temporary folder), best of --repeat: wall time, and the
   peak resident set size of that process (os.wait4);
3. the floors, each measured in its own fresh process, best of --repeat:
   * `duckdb`: DuckDB reading every table file of the folder
     (`read_csv` / `read_parquet`, materialised as Arrow), the I/O floor;
   * `engine`: `coordgap.engine.matrix_from_tables` on the case's tables
     already in memory (read from `tables/` before the clock starts).

The 1-minute load average is recorded beside every figure (the machine is
shared). Writes bench/results-whole.json; see docs/performance.md.

    python bench/whole_path.py                              # 10K, 100K, 1M, csv and parquet
    python bench/whole_path.py --sizes 10000 --formats csv --repeat 1
    python bench/whole_path.py --commands validate matrix --timeout 300
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out" / "whole"
RESULTS = HERE / "results-whole.json"
SIZES = [10_000, 100_000, 1_000_000]
COMMANDS = ["validate", "matrix", "findings", "report"]
FORMATS = ["csv", "parquet"]
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(HERE), os.environ.get("PYTHONPATH", "")])}

WINDOW = ("2014-01-01", "2021-12-31")  # the generator's dates fall within 2015..2020 (+ spans)
KIND_OF_LEVEL = {"dept": "department", "comp": "component", "office": "office", "field": "field_office"}


# -- writing the case folders -----------------------------------------------

def _loadable(tables):
    """The generated tables with every reply dated no earlier than what it answers (the loader
    rejects a reply dated before its message). A reply link that breaks this is dropped; with
    a generator that already draws replies in date order this changes nothing."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from coordgap.engine.matrix import CaseTables

    comms = tables.comms
    rt = comms.column("responds_to").combine_chunks()
    lengths = pc.list_value_length(rt).fill_null(0).to_numpy()
    rows = np.repeat(np.arange(comms.num_rows), lengths)
    flat = pc.list_flatten(rt)
    target = pc.index_in(flat, value_set=comms.column("comm").combine_chunks()).to_numpy(zero_copy_only=False)
    start = comms.column("c_start").to_numpy()
    end = comms.column("c_end").to_numpy()
    ok = end[rows] >= start[target]
    if ok.all():
        return tables, 0
    offsets = np.zeros(comms.num_rows + 1, dtype=np.int32)
    np.cumsum(np.bincount(rows[ok], minlength=comms.num_rows), out=offsets[1:])
    fixed = pa.ListArray.from_arrays(pa.array(offsets), flat.filter(pa.array(ok)))
    comms = comms.set_column(comms.schema.get_field_index("responds_to"), "responds_to", fixed)
    return CaseTables(tables.orgs, tables.parties, tables.decisions, tables.impacts, comms), int((~ok).sum())


def _joined(column):
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.fill_null(pc.binary_join(column, ";"), pa.scalar("", pa.string()))


def write_folders(n: int, folder: Path) -> dict:
    """Generate the case of n communications and write tables/, csv/ and parquet/ under folder."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq
    import yaml
    from generate import generate, write_parquet

    CSV_OPTIONS = pacsv.WriteOptions(quoting_style="needed")
    t0 = time.perf_counter()
    tables, dropped = _loadable(generate(n))
    write_parquet(tables, folder / "tables")
    csv_dir, pq_dir = folder / "csv", folder / "parquet"
    for d in (csv_dir, pq_dir):
        d.mkdir(parents=True, exist_ok=True)

    # case.yaml: one source, the topics every impact and message uses
    topics = sorted(set(tables.impacts.column("topic").to_pylist())
                    | set(pc.list_flatten(tables.comms.column("topics")).unique().to_pylist()))
    meta = {"id": f"synthetic-{n}", "title": f"Synthetic case of {n:,} communications",
            "window": {"start": WINDOW[0], "end": WINDOW[1]},
            "sources": [{"id": "s-synthetic", "title": "Synthetic record (bench/generate.py)"}],
            "topics": [{"id": t, "description": f"Topic {t}."} for t in topics]}

    # organisations, actors
    org_ids = tables.orgs.column("id")
    stakeholders = pa.table({
        "id": org_ids, "name": pc.binary_join_element_wise("Organisation ", org_ids, ""),
        "parent": pc.fill_null(tables.orgs.column("parent"), ""),
        "kind": pa.array([KIND_OF_LEVEL[i.split("-")[0]] for i in org_ids.to_pylist()]),
        "branch": pa.array(["executive"] * len(org_ids)), "evidence": pa.array([""] * len(org_ids)),
    })
    n_orgs = len(org_ids)
    people = tables.parties.slice(n_orgs)
    actors = pa.table({
        "id": people.column("party"), "name": pc.binary_join_element_wise("Person ", people.column("party"), ""),
        "title": pa.array(["Officer"] * people.num_rows), "organisation": people.column("org"),
        "tenure_start": pa.array([""] * people.num_rows), "tenure_end": pa.array([""] * people.num_rows),
        "evidence": pa.array([""] * people.num_rows),
    })

    # evidence: every id a message cites
    ev_ids = pc.list_flatten(tables.comms.column("evidence")).unique()
    evidence = pa.table({
        "id": ev_ids, "source": pa.array(["s-synthetic"] * len(ev_ids)),
        "section": pa.array(["Synthetic record"] * len(ev_ids)), "footnote": pa.array([""] * len(ev_ids)),
        "quote": pc.binary_join_element_wise("The record of ", ev_ids, ".", ""),
    })

    c = tables.comms
    lists = ["recipients", "topics", "decisions", "responds_to"]
    comm_cols = {
        "id": c.column("comm"), "date": c.column("date"), "channel": pa.array(["email"] * c.num_rows),
        "kind": c.column("kind"), "sender": c.column("sender"),
        **{k: c.column(k) for k in lists},
        "dispute": pc.fill_null(c.column("dispute"), ""),
        "summary": pc.binary_join_element_wise("Message ", c.column("comm"), ".", ""),
        "evidence": c.column("evidence"),
    }
    comms_lists = pa.table(comm_cols)
    comms_text = pa.table({k: (_joined(v) if k in lists or k == "evidence" else v) for k, v in comm_cols.items()})

    # decisions.yaml: the side as decided_by (its first office) and acting_for (the rest)
    from coordgap.engine.matrix import EPOCH
    from datetime import timedelta

    def iso(day: int) -> str:
        return (EPOCH + timedelta(days=int(day))).isoformat()

    dec = tables.decisions.to_pylist()
    impact_evidence = ev_ids[0].as_py()  # a quote the evidence table holds
    imps: dict[str, list] = {}
    for i in tables.impacts.to_pylist():
        entry = {"id": i["impact"], "stakeholder": i["stakeholder"], "topic": i["topic"],
                 "description": f"How {i['decision']} reaches {i['stakeholder']}.",
                 "evidence": [impact_evidence]}  # required (docs/data-model.md)
        if i["required_lead_days"] is not None:
            entry["required_lead_days"] = i["required_lead_days"]
        imps.setdefault(i["decision"], []).append(entry)
    decisions = []
    for d in dec:
        date = iso(d["d_start"]) if d["d_day"] else f"{iso(d['d_start'])}/{iso(d['d_end'])}"
        rec = {"id": d["decision"], "title": f"Decision {d['decision']}", "date": date,
               "decided_by": d["side"][0], "acting_for": d["side"][1:], "summary": "A synthetic decision."}
        if d["dispute"]:
            rec["dispute"] = d["dispute"]
        rec["impacts"] = imps.get(d["decision"], [])
        decisions.append(rec)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    for d in (csv_dir, pq_dir):
        (d / "case.yaml").write_text(yaml.dump(meta, Dumper=dumper, sort_keys=False), encoding="utf-8")
        (d / "decisions.yaml").write_text(yaml.dump({"decisions": decisions}, Dumper=dumper, sort_keys=False),
                                          encoding="utf-8")
        pacsv.write_csv(stakeholders, d / "stakeholders.csv", CSV_OPTIONS)
    for name, table in (("actors", actors), ("evidence", evidence), ("communications", comms_text)):
        pacsv.write_csv(table, csv_dir / f"{name}.csv", CSV_OPTIONS)
    for name, table in (("actors", actors), ("evidence", evidence), ("communications", comms_lists)):
        pq.write_table(table, pq_dir / f"{name}.parquet")
    info = {"comms": n, "replies_dropped": dropped, "seconds": round(time.perf_counter() - t0, 1),
            "csv_mb": round(sum(f.stat().st_size for f in csv_dir.iterdir()) / 2**20, 1),
            "parquet_mb": round(sum(f.stat().st_size for f in pq_dir.iterdir()) / 2**20, 1)}
    (folder / "info.json").write_text(json.dumps(info) + "\n")
    return info


# -- floors (run in a fresh process: --floor) --------------------------------

def floor_duckdb(folder: Path) -> float:
    import duckdb

    t0 = time.perf_counter()
    con = duckdb.connect()
    for f in sorted(folder.iterdir()):
        if f.suffix == ".csv":
            con.sql(f"SELECT * FROM read_csv('{f}', all_varchar = true, header = true)").to_arrow_table()
        elif f.suffix == ".parquet":
            con.sql(f"SELECT * FROM read_parquet('{f}')").to_arrow_table()
    con.close()
    return time.perf_counter() - t0


def floor_engine(tables_dir: Path) -> float:
    from generate import read_parquet

    from coordgap.engine.matrix import matrix_from_tables

    tables = read_parquet(tables_dir)
    t0 = time.perf_counter()
    matrix_from_tables(tables)
    return time.perf_counter() - t0


# -- running a command as a user does ----------------------------------------

def _run(argv: list[str], timeout: float) -> dict:
    """One fresh process: wall seconds, its peak RSS (MiB), exit code; or a timeout."""
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    with open(os.devnull, "wb") as null:
        p = subprocess.Popen(argv, env=ENV, stdout=null, stderr=subprocess.PIPE)
        deadline = t0 + timeout
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                p.kill()
                os.wait4(p.pid, 0)
                return {"timeout": True, "wall_s": round(time.perf_counter() - t0, 1), "load": load}
            time.sleep(0.01)
    wall = time.perf_counter() - t0
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    return {"wall_s": round(wall, 3), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_mb": round(usage.ru_maxrss / 1024), "rc": os.waitstatus_to_exitcode(status),
            "load": round(load, 2), "stderr": err[-2000:] if err else ""}


def _argv(command: str, folder: Path, out: Path) -> list[str]:
    py = [sys.executable, "-m", "coordgap"]
    if command == "report":
        return py + ["report", str(folder), "--out", str(out)]
    return py + [command, str(folder)]


OK_CODES = {"validate": {0}, "matrix": {0}, "findings": {0, 1}, "report": {0}}


def best_of(argv_for, repeat: int, timeout: float, ok: set[int] | None = None) -> dict:
    runs = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            r = _run(argv_for(Path(tmp)), timeout)
        runs.append(r)
        if r.get("timeout") or (ok is not None and r["rc"] not in ok):
            break  # no point in repeating a timeout or a failure
    good = [r for r in runs if not r.get("timeout") and (ok is None or r["rc"] in ok)]
    if not good:
        bad = runs[-1]
        return {**bad, "runs": [r.get("wall_s") for r in runs], "failed": True}
    best = min(good, key=lambda r: r["wall_s"])
    return {**{k: v for k, v in best.items() if k != "stderr"},
            "runs": [r["wall_s"] for r in good], "peak_mb_max": max(r["peak_mb"] for r in good),
            "load_max": max(r["load"] for r in good)}


def _floor(kind: str, path: Path, repeat: int) -> dict:
    def argv(_tmp):
        return [sys.executable, str(HERE / "whole_path.py"), "--floor", kind, str(path)]
    out = []
    for _ in range(repeat):
        load = os.getloadavg()[0]
        res = subprocess.run(argv(None), env=ENV, capture_output=True, text=True)
        if res.returncode:
            sys.exit(f"floor {kind} {path} failed:\n{res.stderr}")
        out.append((float(res.stdout.strip().splitlines()[-1]), load))
    best = min(out)
    return {"s": round(best[0], 3), "runs": [round(s, 3) for s, _ in out], "load": round(best[1], 2)}


def exponent(a: float | None, b: float | None, na: int, nb: int) -> float | None:
    if not a or not b:
        return None
    return round(math.log(b / a) / math.log(nb / na), 2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    ap.add_argument("--formats", nargs="+", default=FORMATS, choices=FORMATS)
    ap.add_argument("--commands", nargs="+", default=COMMANDS, choices=COMMANDS)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--repeat-1m", type=int, default=None, help="repeats at 1M (default: --repeat)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds before a run is stopped")
    ap.add_argument("--regenerate", action="store_true")
    ap.add_argument("--label", default="", help="a name for this run, kept in the results")
    ap.add_argument("--results", type=Path, default=RESULTS)
    ap.add_argument("--floor", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    ap.add_argument("--table", action="store_true", help="print the Markdown table of the results file and stop")
    a = ap.parse_args()
    if a.table:
        runs = json.loads(a.results.read_text())["runs"]
        print(markdown([r for run in runs for r in run["results"]]))
        return
    if a.floor:
        kind, path = a.floor
        print(floor_duckdb(Path(path)) if kind == "duckdb" else floor_engine(Path(path)))
        return

    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(HERE))
    results = []
    for n in a.sizes:
        folder = OUT / str(n)
        if a.regenerate or not (folder / "info.json").is_file():
            shutil.rmtree(folder, ignore_errors=True)
            info = write_folders(n, folder)
            print(f"wrote {folder}: {info}", flush=True)
        info = json.loads((folder / "info.json").read_text())
        repeat = a.repeat_1m if (n >= 1_000_000 and a.repeat_1m) else a.repeat
        engine = _floor("engine", folder / "tables", repeat)
        for fmt in a.formats:
            case = folder / fmt
            row = {"comms": n, "format": fmt, "repeat": repeat, "info": info,
                   "floor_duckdb": _floor("duckdb", case, repeat), "floor_engine": engine}
            for cmd in a.commands:
                r = best_of(lambda tmp, cmd=cmd: _argv(cmd, case, tmp), repeat, a.timeout, OK_CODES[cmd])
                row[cmd] = r
                status = "timeout" if r.get("timeout") else ("FAILED" if r.get("failed") else "")
                print(f"{n:>9,} {fmt:<7} {cmd:<9} {r['wall_s']:>8.2f} s {r.get('peak_mb', 0):>6} MB "
                      f"load {r['load']:.2f} {status}", flush=True)
                if r.get("failed") and not r.get("timeout"):
                    print(r.get("stderr", "")[-800:], flush=True)
            d = row["floor_duckdb"]["s"]
            row["ratios"] = {
                "validate_to_duckdb": _ratio(row, "validate", d),
                "matrix_to_duckdb": _ratio(row, "matrix", d),
                "findings_to_matrix": _ratio(row, "findings", _ok_s(row, "matrix")),
            }
            print(f"{n:>9,} {fmt:<7} floors: duckdb {d:.3f} s, engine {engine['s']:.3f} s; {row['ratios']}",
                  flush=True)
            results.append(row)
    growth = {}
    for fmt in a.formats:
        rows = sorted((r for r in results if r["format"] == fmt), key=lambda r: r["comms"])
        for lo, hi in zip(rows, rows[1:]):
            key = f"{fmt} {lo['comms']}->{hi['comms']}"
            growth[key] = {cmd: exponent(_ok_s(lo, cmd), _ok_s(hi, cmd), lo["comms"], hi["comms"])
                           for cmd in a.commands}
    print(json.dumps(growth, indent=1))
    from run import machine

    previous = json.loads(a.results.read_text()) if a.results.is_file() else {}
    runs = previous.get("runs", [])
    runs.append({"label": a.label, "started_loadavg": os.getloadavg(), "results": results, "growth": growth})
    a.results.write_text(json.dumps({"machine": machine(), "runs": runs}, indent=1) + "\n")
    print(f"wrote {a.results}")


def markdown(results: list[dict]) -> str:
    """The whole-path table of docs/performance.md from result rows (several runs' rows may be
    given; the last row for each size, format and command wins)."""
    rows: dict[tuple[int, str], dict] = {}
    for r in results:
        key = (r["comms"], r["format"])
        merged = rows.setdefault(key, {"comms": r["comms"], "format": r["format"]})
        for k in ("floor_duckdb", "floor_engine", *COMMANDS):
            if k in r:
                merged[k] = r[k]
    out = ["| communications | format | DuckDB floor s | engine floor s | command | wall s (best) | x floor | CPU s | "
           "peak MB | load |", "|---:|---|---:|---:|---|---:|---:|---:|---:|---:|"]
    for (n, fmt), r in sorted(rows.items()):
        d, e = r.get("floor_duckdb", {}).get("s"), r.get("floor_engine", {}).get("s")
        for cmd in COMMANDS:
            c = r.get(cmd)
            if not c:
                continue
            if c.get("timeout"):
                wall, ratio, peak, cpu = f"> {c['wall_s']:.0f} (stopped)", "", "", ""
            elif c.get("failed"):
                wall, ratio, peak, cpu = "failed", "", "", ""
            else:
                base = _ok_s(r, "matrix") if cmd == "findings" else d
                wall = f"{c['wall_s']:.2f}"
                ratio = f"{c['wall_s'] / base:.1f}" + (" (of matrix)" if cmd == "findings" else "") if base else ""
                peak, cpu = f"{c['peak_mb']:,}", f"{c.get('cpu_s', 0):.1f}"
            out.append(f"| {n:,} | {fmt} | {d if d is not None else ''} | {e if e is not None else ''} | {cmd} | "
                       f"{wall} | {ratio} | {cpu} | {peak} | {c.get('load_max', c.get('load', 0)):.1f} |")
    return "\n".join(out)


def _ok_s(row: dict, cmd: str) -> float | None:
    r = row.get(cmd)
    return None if not r or r.get("failed") else r["wall_s"]


def _ratio(row: dict, cmd: str, base: float | None) -> float | None:
    s = _ok_s(row, cmd)
    return round(s / base, 2) if s and base else None


if __name__ == "__main__":
    main()
