"""coordgap ingest end to end, on small productions made by bench/ingest_generate.py.

The generator writes the ground truth (who wrote to whom about what, which
message answers which, how many copies, which are malformed); these tests
check the ingested case against it, and that the case works like any other.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from coordgap import consultation_matrix, evaluate, load_case, read_case
from coordgap.errors import InvalidInputError
from coordgap.ingest import ingest

ROOT = Path(__file__).resolve().parents[1]


def _bench(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


generator, truth = _bench("ingest_generate"), _bench("ingest_truth")


def sources_of(prod: Path) -> list[Path]:
    p = prod / "production"
    return [*sorted(p.glob("*.mbox")), p / "eml", p / "calendar.ics", p / "loadfile" / "export.csv"]


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> Path:
    return generator.generate(tmp_path_factory.mktemp("prod"), 700, seed=3)


@pytest.fixture(scope="module")
def ingested(production, tmp_path_factory) -> Path:
    case_dir = tmp_path_factory.mktemp("case") / "case"
    shutil.copytree(production / "case", case_dir)
    ingest(sources_of(production), production / "directory.csv", case_dir, topics=production / "topics.yaml",
           fmt="csv", progress=False)
    return case_dir


def test_ground_truth_recovered(production, ingested):
    r = truth.compare(production, ingested)
    assert r["wrong"] == {}
    assert r["balanced"] and r["messages_read"] == r["messages_in_production"] == 700
    assert r["communications"] == r["distinct_kept_in_truth"]
    assert r["duplicates_merged"] == r["duplicates_expected"] > 0
    assert r["rejected"] == r["rejected_expected"] == 2
    assert r["threads_linked"] == r["threads_expected"] > 0


def test_each_kind_of_malformed_message_is_listed_with_file_position_and_reason(ingested):
    report = json.loads((ingested / "ingest" / "report.json").read_text())
    rejected = {r["reason"].split(":")[0].split(" (")[0]: r for r in report["rejected"]}
    assert set(rejected) == {"unreadable message", "no usable date"}
    assert rejected["unreadable message"]["file"].endswith(".mbox")
    assert rejected["unreadable message"]["position"].startswith("byte ")
    assert rejected["no usable date"]["file"].endswith(".eml") and rejected["no usable date"]["position"] == "file"
    kept = [p["reason"] for p in report["problems"]]
    for start in ("bad date header", "dated from the mbox From line", "broken MIME part", "non-UTF-8 body",
                  "a reply dated"):
        assert any(r.startswith(start) for r in kept), start
    assert all(p["position"] for p in report["problems"])
    assert report["unmapped"] and all(u["messages"] > 0 for u in report["unmapped"])


def test_the_case_validates_and_gives_a_matrix_findings_and_a_report(ingested, tmp_path):
    from coordgap.render.report import write_reports

    case, problems = read_case(ingested)
    assert problems == []
    ingested_ids = {c.id for c in case.communications if c.id.startswith("m-")}
    assert len(ingested_ids) == len(case.communications) > 300
    matrix = consultation_matrix(case)
    earned = {cid for contacts in matrix["contacts"] for cid in contacts}
    assert earned & ingested_ids  # ingested mail earns statuses
    assert set(matrix["status"]) - {"none"}
    evaluate(case)
    paths = write_reports(case, tmp_path / "report")
    assert any(Path(p).stat().st_size > 1000 for p in paths)
    review = list(csv.DictReader((ingested / "ingest" / "review.csv").open()))
    assert review and {r["communication"] for r in review} <= earned


def test_every_evidence_locator_opens_its_message_and_the_quote_is_verbatim(ingested):
    from coordgap.ingest.locate import open_message, read_locators, verify_quotes

    evidence = {r["id"]: r for r in csv.DictReader((ingested / "evidence" / "ingest.csv").open(encoding="utf-8"))}
    located = read_locators(ingested)
    assert len(located) == len(evidence)
    assert {x.locator.kind for x in located} == {"mbox", "eml", "ics", "loadfile"}
    for item in located:
        msg = open_message(ingested, item)
        assert msg.message_id.lower() == item.message_id
        quote = evidence[item.evidence]["quote"]
        assert quote and (quote in msg.body or quote == msg.subject), (item.evidence, quote)
        assert item.locator.file.split("/")[-1] in evidence[item.evidence]["section"]
    assert verify_quotes(ingested, {k: v["quote"] for k, v in evidence.items()}) == []
    # the check can fail: a quote altered by one character is caught
    first = next(iter(evidence))
    altered = {k: v["quote"] for k, v in evidence.items()} | {first: evidence[first]["quote"] + "x"}
    assert [p.split(":")[0] for p in verify_quotes(ingested, altered)] == [first]


def test_same_bytes_from_one_process_or_a_pool_and_on_a_second_run(production, ingested, tmp_path):
    again = tmp_path / "again"
    shutil.copytree(production / "case", again)
    ingest(sources_of(production), production / "directory.csv", again, topics=production / "topics.yaml",
           fmt="csv", progress=False, workers=2)
    ingest(sources_of(production), production / "directory.csv", again, topics=production / "topics.yaml",
           fmt="csv", progress=False, workers=2)  # a re-ingest replaces, never adds twice
    for rel in ("communications/ingest.csv", "evidence/ingest.csv", "ingest/report.json", "ingest/review.csv",
                "ingest/locators.csv", "case.yaml"):
        assert (again / rel).read_bytes() == (ingested / rel).read_bytes(), rel


def test_parquet_output_holds_the_same_rows(production, ingested, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "pq"
    shutil.copytree(production / "case", out)
    ingest(sources_of(production), production / "directory.csv", out, topics=production / "topics.yaml",
           fmt="parquet", progress=False, review=False)
    for stem in ("communications", "evidence"):
        table = pq.read_table(out / stem / "ingest.parquet").to_pylist()
        flat = [{k: ";".join(v) if isinstance(v, list) else v for k, v in row.items()} for row in table]
        with (ingested / stem / "ingest.csv").open(encoding="utf-8", newline="") as fh:
            assert flat == list(csv.DictReader(fh))
    assert pq.read_table(out / "communications" / "ingest.parquet").schema.field("recipients").type.value_type


def test_the_default_format_is_one_the_loader_reads_in_full(production, tmp_path):
    from coordgap.ingest import default_format

    out = tmp_path / "default"
    shutil.copytree(production / "case", out)
    result = ingest(sources_of(production), production / "directory.csv", out, progress=False, review=False)
    assert next((out / "communications").glob("ingest.*")).suffix == "." + default_format()
    case = load_case(out)
    assert len(case.communications) == result.summary["communications"]
    ingested = [e for e in case.evidence if e.id != "e-generated"]  # the generator's own quote backs its impacts
    assert len(ingested) == sum(1 for _ in (out / "ingest" / "locators.csv").open()) - 1


def test_a_new_case_folder_is_made_from_the_directory(production, tmp_path):
    import coordgap

    out = tmp_path / "new"
    result = coordgap.ingest(sources_of(production)[:3], production / "directory.csv", out, fmt="csv", progress=False)
    case = load_case(out)
    assert len(case.communications) == result.summary["communications"] > 0
    assert "unknown" not in {s.id for s in case.stakeholders} or result.outcome.unmapped


def test_messages_outside_an_existing_case_window_are_rejected_with_the_reason(production, tmp_path):
    case_dir = tmp_path / "narrow"
    shutil.copytree(production / "case", case_dir)
    meta = case_dir / "case.yaml"
    meta.write_text(meta.read_text().replace("window: {start: 2017-06-01, end: 2019-06-30}",
                                             "window: {start: 2018-03-01, end: 2018-09-30}"))
    result = ingest(sources_of(production), production / "directory.csv", case_dir, fmt="csv", progress=False,
                    review=False)
    s = result.summary
    outside = [r for r in result.outcome.rejected if "outside the case window" in r.reason]
    assert outside and s["balanced"] and s["rejected"] == len(outside) + 2
    assert all(r.position for r in outside)
    case, problems = read_case(case_dir)
    assert problems == [] and all(str(c.date) >= "2018-03-01" for c in case.communications)


def test_new_topics_are_declared_in_case_yaml(production, tmp_path):
    out = tmp_path / "topics"
    topics = tmp_path / "t.yaml"
    topics.write_text("beds: [bed space, detention beds]\n", encoding="utf-8")
    result = ingest(sources_of(production)[:2], production / "directory.csv", out, topics=topics, fmt="csv",
                    progress=False)
    case = load_case(out)
    assert [t.id for t in case.meta.topics] == ["beds"]
    tagged = [c for c in case.communications if "beds" in c.topics]
    assert len(tagged) == result.summary["topics"]["beds"] > 0


def test_directory_problems_name_file_line_and_field(production, tmp_path):
    bad = tmp_path / "dir.csv"
    bad.write_text("address,party,valid_from\nann@x.gov,p-nobody,\n@x.gov,justice,2018-13-01\n", encoding="utf-8")
    case_dir = tmp_path / "c"
    shutil.copytree(production / "case", case_dir)
    with pytest.raises(InvalidInputError) as exc:
        ingest(sources_of(production)[:1], bad, case_dir, fmt="csv", progress=False)
    found = {(p.line, p.field) for p in exc.value.problems}
    assert found == {(2, "party"), (3, "valid_from")}


def test_the_command_verifies_quotes_and_prints_the_accounting(production, tmp_path):
    from click.testing import CliRunner

    from coordgap.cli import main

    out = tmp_path / "cli"
    shutil.copytree(production / "case", out)
    args = ["ingest", *map(str, sources_of(production)), "--directory", str(production / "directory.csv"),
            "--topics", str(production / "topics.yaml"), "--out", str(out), "--format", "csv", "--verify"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    assert "700 messages read = " in res.output and "quote check: 0 problem(s)" in res.output
    res = CliRunner().invoke(main, ["ingest", str(sources_of(production)[0]), "--directory",
                                    str(production / "topics.yaml"), "--out", str(out)])
    assert res.exit_code == 1 and "missing required column" in res.output


def test_the_ingest_folder_draws_no_warning(ingested):
    from coordgap.io.files import survey_case_folder

    problems, warnings = survey_case_folder(ingested, ["case.yaml", "stakeholders.csv", "actors.csv",
                                                       "decisions.yaml", "communications", "evidence",
                                                       "stakeholders", "source.md"])
    assert problems == [] and not any(w.startswith("ingest") for w in warnings)
