"""The `coordgap findings` and `coordgap report` commands.

cli.py calls `register(main)` when this module is present. Exit codes are
cli.py's: 0 success, 1 the input has problems (or, for `findings`, gaps
were found: pass --exit-zero to report them and still exit 0), 2 the path
or arguments are unusable.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click

from .choice import Choice

from typing import TYPE_CHECKING

from ..render.spreadsheet import neutralise
from ..render.terminal import escape

if TYPE_CHECKING:  # the rules and the engine (pandas, DuckDB) load when a command runs
    from ..model.findings import Finding

TABLE_COLUMNS = ("rule", "severity", "status", "decision", "subject", "responsible", "suppressed", "message")
CSV_COLUMNS = ("key", "rule", "severity", "status", "decision", "stakeholder", "impact", "interface",
               "collaboration", "parties", "responsible", "disputed", "lead_time_days", "required_lead_days",
               "suppressed", "justification", "message", "evidence", "grade")


def responsible_ids(f: Finding) -> str:
    """Who owed the coordination, as ids with their roles: `dhs:decided;doj-oag:urged`."""
    return ";".join(f"{r.organisation}:{r.role.value}" for r in f.responsible)


def _subject(f: Finding) -> str:
    if f.interface and f.stakeholder:
        return f"{f.interface} ({f.stakeholder})"
    return f.impact or f.interface or f.collaboration or f.stakeholder or ""


def _status(f: Finding) -> str:
    """The status for the table, with the grade it rests on when that is not primary:
    `informed (paraphrase)`."""
    return f"{f.status} ({f.grade})" if f.grade not in (None, "primary") else f.status


def findings_text(findings: list[Finding], fmt: str, outside=()) -> str:
    """Findings as an aligned table, JSON (with every evidence quote) or CSV (evidence ids).
    The table then lists what the rules leave outside (`outside`: (rule code, ScopeNote) pairs),
    with the reason; `coordgap findings --outside` prints that list in every format."""
    if fmt == "json":
        return json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(CSV_COLUMNS)
        for f in findings:
            w.writerow([neutralise(cell) for cell in [
                f.key, f.rule, f.severity.value, f.status, f.decision or "", f.stakeholder or "", f.impact or "",
                f.interface or "", f.collaboration or "", ";".join(f.parties), responsible_ids(f),
                str(f.disputed).lower(),
                "" if f.lead_time_days is None else f.lead_time_days,
                "" if f.required_lead_days is None else f.required_lead_days,
                str(f.suppressed).lower(), f.suppression.justification if f.suppression else "",
                f.message, ";".join(e.id for e in f.evidence), f.grade or "",
            ]])
        return buf.getvalue()
    rows = [[escape(c) for c in (f.rule, f.severity.value, _status(f), f.decision or "", _subject(f),
                                 responsible_ids(f), "yes" if f.suppressed else "", f.message)] for f in findings]
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(TABLE_COLUMNS[:-1])]
    lines = ["  ".join(c.ljust(w) for c, w in zip(TABLE_COLUMNS, widths)) + "  " + TABLE_COLUMNS[-1]]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)) + "  " + r[-1] for r in rows]
    active = [f for f in findings if not f.suppressed]
    by_sev = {s: sum(f.severity.value == s for f in active) for s in ("high", "medium", "low")}
    unjudged = sum(f.status == "not_assessable" for f in active)
    lines.append(f"{len(active)} finding(s) ({by_sev['high']} high, {by_sev['medium']} medium, "
                 f"{by_sev['low']} low); {len(findings) - len(active)} suppressed"
                 + (f"; {unjudged} of them not assessable (no record to judge)" if unjudged else ""))
    if outside:
        lines.append(f"Outside the rules ({len(outside)}), with the reason:")
        lines += [f"  {escape(line)}" for line in outside_lines(outside)]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def outside_lines(outside) -> list[str]:
    """`OIG-R1  decision d-1: reason` per decision, interface or stakeholder a rule leaves out."""
    return [f"{code}  {n.subject} {n.id}" + (f" (in {n.within})" if n.within else "") + f": {n.reason}"
            for code, n in outside]


def outside_text(outside, fmt: str) -> str:
    """What the rules leave outside, as JSON, CSV or lines."""
    if fmt == "json":
        return json.dumps([{"rule": code, "subject": n.subject, "id": n.id, "within": n.within, "reason": n.reason}
                           for code, n in outside], indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(("rule", "subject", "id", "within", "reason"))
        for code, n in outside:
            w.writerow([neutralise(c) for c in (code, n.subject, n.id, n.within or "", n.reason)])
        return buf.getvalue()
    return "".join(line + "\n" for line in outside_lines(outside))


def _on_terminal():
    """Steps of a long run, on standard error when it is a terminal: pipes, files and
    scripts get only the list of files written."""
    if not sys.stderr.isatty():
        return lambda step: None
    return lambda step: click.echo(f"coordgap: {escape(step)}…", err=True)


def register(main: click.Group) -> None:
    from .grades import grade_options
    from .main import (
        EXIT_PROBLEMS,
        EXIT_UNUSABLE,
        fail_unusable,
        load_or_exit,
        rulebooks_or_exit,
        write_text,
    )

    rulebook_option = click.option(
        "--rulebook", "rulebook", multiple=True, metavar="NAME",
        help="A rulebook to evaluate (repeatable; default: those the case names in case.yaml `rulebooks`, "
             "else oig-21-028). `coordgap rules` lists them.")

    @main.command()
    @click.argument("path")
    @click.option("--format", "fmt", type=Choice(["table", "json", "csv"]), default="table",
                  show_default=True)
    @rulebook_option
    @click.option("--out", "-o", default=None, help="Write to this file instead of standard output.")
    @click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
    @click.option("--outside", is_flag=True,
                  help="List what each rule leaves outside its scope, with the reason, instead of the findings.")
    @grade_options
    def findings(path: str, fmt: str, rulebook: tuple[str, ...], out: str | None, exit_zero: bool,
                 outside: bool, minimum_grade: str | None) -> None:
        """List the gaps each rule finds, with the evidence for each, and what the rules leave outside
        their scope. Exit 1 if any finding is not suppressed."""
        case = load_or_exit(path, minimum_grade)
        from ..assess.case import assess

        books = rulebooks_or_exit(rulebook or case.meta.rulebooks)  # the command line's, else the case's
        assessment = assess(case, books)
        result = list(assessment.findings)
        if outside:
            write_text(outside_text(assessment.outside, fmt), out, table=fmt == "table")
            return
        write_text(findings_text(result, fmt, assessment.outside if fmt == "table" else ()), out,
                   table=fmt == "table")
        if any(not f.suppressed for f in result) and not exit_zero:
            sys.exit(EXIT_PROBLEMS)

    @main.command()
    @click.argument("case", required=False)
    @click.option("--out", "out_dir", default=None,
                  help="Folder to write into. Default: reports/<case id> under the current folder.")
    @click.option("--format", "formats", default="md,html", show_default=True,
                  help="Comma-separated: md, html.")
    @rulebook_option
    @grade_options
    def report(case: str | None, out_dir: str | None, formats: str, rulebook: tuple[str, ...],
               minimum_grade: str | None) -> None:
        """Write audit-style gap reports (Markdown and/or HTML) for CASE (default: the bundled case)."""
        from ..io.bundled import bundled_case_path, default_case
        from ..render.report import parse_formats, write_reports

        books = rulebooks_or_exit(rulebook) if rulebook else None
        try:
            chosen = parse_formats(formats)
        except ValueError as exc:
            fail_unusable(str(exc))
        if case is None:
            bundled = bundled_case_path(default_case())
            if bundled is None:
                fail_unusable("no bundled case is installed; name a case folder")
            case = str(bundled)
        progress = _on_terminal()
        progress(f"reading {case}")
        loaded = load_or_exit(case, minimum_grade)
        target = Path(out_dir) if out_dir is not None else Path("reports") / loaded.meta.id
        if target.exists() and not target.is_dir():
            fail_unusable(f"--out {escape(target)}: is a file, not a folder; name a folder for the report's files")
        books = books or rulebooks_or_exit(loaded.meta.rulebooks)  # the command line's, else the case's
        try:
            paths = write_reports(loaded, target, chosen, books, progress)
        except OSError as exc:
            click.echo(f"error: cannot write to {escape(target)}: {escape(exc)}", err=True)
            sys.exit(EXIT_UNUSABLE)
        for p in paths:
            click.echo(escape(p))
        # The report writes only its own files; say what else the folder holds, untouched.
        others = sorted(p.name for p in target.iterdir() if p not in set(paths))
        if others:
            shown = ", ".join(escape(n) for n in others[:5]) + (", ..." if len(others) > 5 else "")
            click.echo(f"note: {escape(target)} also holds {len(others)} other file(s), left as they were: {shown}",
                       err=True)
