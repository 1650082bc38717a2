"""`coordgap check PROPOSAL`: the pre-rollout check on the command line.

Exit codes: 0 no blocking gap, 1 blocking gaps, 2 invalid input (the
proposal or its reference cannot be read; every problem is listed with
file, line and field). `--soft-fail` reports gaps but exits 0; invalid
input still exits 2, since nothing was checked.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import click

from ..assess.proposal import CheckResult, check_loaded, is_blocking
from ..errors import InvalidInputError, UnusablePathError
from ..io.proposal import read_proposal
from ..model.findings import Severity
from ..render.sarif import invalid_input_sarif, to_sarif
from ..render.terminal import escape, escape_block

EXIT_OK, EXIT_GAPS, EXIT_INVALID = 0, 1, 2

_LISTING = {"listed": "yes", "listed_via_parent": "via parent", "missing": "MISSING"}
_WIDTH = 100


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, width=_WIDTH, initial_indent=indent, subsequent_indent=indent + "  ",
                         break_on_hyphens=False, break_long_words=False)


def _table(rows: list[list[str]], header: list[str]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def verdict_line(result: CheckResult) -> str:
    """The verdict, in the program's words only (never from data): the first and last line."""
    if result.passed:
        return f"PASSED: no blocking gap (fail-on: {result.fail_on.value})."
    return f"FAILED: {result.blocking} blocking gap(s) at severity {result.fail_on.value} or above."


def render_table(result: CheckResult) -> str:
    """The check result for a person at a terminal. Data is escaped (render/terminal.py), so a
    title cannot clear the screen or forge a line; the verdict comes first and last."""
    p = result.proposal
    out = [
        verdict_line(result),
        "",
        f"coordgap check: {escape(p.title)}",
        f"  proposal {p.id} ({escape(p.file)}), issued by {p.issuing_office}, planned {p.planned_issue_date}",
        f"  checked against {escape(result.reference)}",
        _wrap(f"OIG-R1 {'applies' if result.r1.applies else 'does not apply'}: {escape(result.r1.reason)}", "  "),
        "",
    ]
    by_id = {a.organisation: a for a in result.affected}
    out.append(f"MISSING FROM THE STAKEHOLDER LIST ({len(result.missing)})")
    if not result.missing:
        out.append("  none: every affected organisation is on the list")
    for org in result.missing:
        a = by_id[org]
        out.append(f"  {org}  {escape(a.name)}  [{a.relation.value.replace('_', ' ')}]")
        out.append(_wrap(escape(a.why), "      "))
        for d in a.deadlines:
            if d.hours and any(st.flow == d.flow for st in a.route.steps):
                out.append(_wrap(f"deadline on {d.flow}: {escape(d.text) or f'within {d.hours:g} hours'}"
                                 + (" (set by the proposal)" if d.new else ""), "      "))
    out.append("")
    out.append(f"AFFECTED ORGANISATIONS ({len(result.affected)})")
    rows = []
    for a in result.affected:
        for n, t in enumerate(a.topics):
            lead = "" if t.lead_time_days is None else f"{t.lead_time_days} d"
            if t.required_lead_days is not None:
                lead += f" (needs {t.required_lead_days} d)"
            rows.append([a.organisation if n == 0 else "", _LISTING[a.listing.value] if n == 0 else "", escape(t.topic),
                         t.status.value + (f" via {t.via}" if t.via else ""),
                         "yes" if t.status.value == "consulted" else "no", lead.strip(), ", ".join(t.contacts)])
    out += ["  " + x for x in _table(rows, ["organisation", "listed", "affected through", "planned contact",
                                            "two-way", "lead time", "contacts"])]
    if result.listed_not_affected:
        out.append(_wrap("Listed, but the process map shows no way they are affected: "
                         + ", ".join(result.listed_not_affected), "  "))
    out.append("")
    out.append(f"INTERFACES THE CHANGE CREATES ({len(result.interfaces)})")
    if not result.interfaces:
        out.append("  none")
    for i in result.interfaces:
        out.append(_wrap(f"{i.id} ({i.kind}): {escape(i.title)}", "  "))
        out.append(_wrap(f"parties: {', '.join(i.parties)}; agencies: {', '.join(i.agencies)}", "    "))
        for s in i.flows:
            dl = f", {escape(s.deadline)}" if s.deadline else (f", within {s.deadline_hours:g} hours" if s.deadline_hours else "")
            out.append(_wrap(f"new handoff {s.flow}: {s.source} -> {s.target}: {escape(s.handover)}{dl}", "    "))
        for pp in i.procedures:
            by = f" ({', '.join(pp.covered_by)})" if pp.covered_by else ""
            out.append(f"    OIG-R2 procedure of {pp.organisation}: {pp.status if pp.status == 'ok' else pp.status.upper()}{by}")
        ag = i.agreement
        if ag.needed:
            by = f" ({', '.join(ag.covered_by)})" if ag.covered_by else ""
            lacks = f", does not bind {', '.join(ag.missing_parties)}" if ag.status == "partial" else ""
            out.append(f"    OIG-R3 agreement among {', '.join(i.agencies)}: "
                       f"{ag.status if ag.status == 'ok' else ag.status.upper()}{by}{lacks}")
        else:
            out.append("    OIG-R3: not needed (one agency)")
    out.append("")
    counts = {s: sum(1 for f in result.findings if f.severity is s and not f.suppressed) for s in Severity}
    suppressed = sum(1 for f in result.findings if f.suppressed)
    out.append(f"FINDINGS ({len(result.findings)}: {counts[Severity.high]} high, {counts[Severity.medium]} medium, "
               f"{counts[Severity.low]} low, {suppressed} accepted)")
    for f in result.findings:
        where = escape(f"{p.file}:{f.line}" if f.line else p.file)
        mark = "accepted" if f.suppressed else ("BLOCKS" if is_blocking(f, result.fail_on) else "")
        out.append(_wrap(f"{where}  {f.severity.value:<6} {f.rule}/{f.status} {mark}".rstrip(), "  "))
        out.append(_wrap(escape(f.message), "      "))
        if f.suppressed:
            out.append(_wrap(f"accepted: {escape(f.suppression.justification)}", "      "))
    for i in result.unused_accepted_gaps:
        out.append(f"  note: accepted_gaps[{i}] matches no finding; remove it")
    if result.ignored_reference_problems:
        out.append(f"  note: the case has {result.ignored_reference_problems} problem(s) in files the check does "
                   "not read (run `coordgap validate` on it)")
    out.append("")
    out.append(verdict_line(result))
    return escape_block("\n".join(out)) + "\n"


def register(main: click.Group) -> None:
    """Add the `check` command to the coordgap command group."""

    @main.command("check")
    @click.argument("proposal")
    @click.option("--format", "fmt", type=click.Choice(["table", "json", "sarif"]), default="table",
                  show_default=True, help="A table for a person, JSON for programs, SARIF for code review.")
    @click.option("--out", "-o", default=None, help="Write to this file instead of standard output.")
    @click.option("--fail-on", type=click.Choice([s.value for s in Severity]), default=Severity.medium.value,
                  show_default=True, help="The lowest severity of an unaccepted gap that makes the check fail.")
    @click.option("--soft-fail", is_flag=True, help="Report gaps but exit 0 (invalid input still exits 2).")
    @click.option("--case", "case", default=None,
                  help="Check against this case folder (or bundled case) instead of the proposal's checked_against.")
    def check(proposal: str, fmt: str, out: str | None, fail_on: str, soft_fail: bool, case: str | None) -> None:
        """Check a policy proposal before it is issued: who it affects, who is missing from its
        stakeholder list, whether consultation is planned early enough, and the procedures and
        agreements its new interfaces need. Exit 0 no blocking gap, 1 gaps, 2 invalid input."""
        try:
            loaded, problems = read_proposal(proposal, case=case)
        except UnusablePathError as exc:
            click.echo(f"INVALID INPUT: nothing was checked.\nerror: {escape(exc)}\nINVALID INPUT: nothing was checked.",
                       err=True)
            sys.exit(EXIT_INVALID)
        if loaded is None or problems:
            err = InvalidInputError(problems, what=proposal)
            verdict = f"INVALID INPUT: nothing was checked ({len(err.problems)} problem(s))."
            click.echo(f"{verdict}\n{err}\n{verdict}", err=True)  # the program's verdict, first and last
            if fmt == "json":
                _write(json.dumps({"valid": False, "problems": [p.as_dict() for p in err.problems]}, indent=2) + "\n", out)
            elif fmt == "sarif":
                _write(json.dumps(invalid_input_sarif(err.problems), indent=2) + "\n", out)
            sys.exit(EXIT_INVALID)
        result = check_loaded(loaded, fail_on)
        if fmt == "json":
            text = result.model_dump_json(indent=2) + "\n"
        elif fmt == "sarif":
            text = json.dumps(to_sarif(result), indent=2, ensure_ascii=False) + "\n"
        else:
            text = render_table(result)
        _write(text, out)
        if out not in (None, "-") and fmt != "table":
            click.echo(f"{verdict_line(result)} Missing from the stakeholder list: "
                       f"{', '.join(result.missing) or 'none'}", err=True)
        sys.exit(EXIT_OK if result.passed or soft_fail else EXIT_GAPS)


def _write(text: str, out: str | None) -> None:
    if out in (None, "-"):
        click.echo(escape_block(text) if sys.stdout.isatty() else text, nl=False)
    else:
        from ..io.files import write_atomically

        write_atomically({Path(out): text})
