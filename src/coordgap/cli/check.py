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

from .choice import Choice

from typing import TYPE_CHECKING

from ..errors import InvalidInputError, Problem, UnusablePathError
from ..model.findings import Severity
from ..render.terminal import escape, escape_block
from ..words import plural

if TYPE_CHECKING:  # the check itself (pandas, networkx) is imported when a command runs
    from ..assess.proposal import CheckResult

EXIT_OK, EXIT_GAPS, EXIT_INVALID = 0, 1, 2

_LISTING = {"listed": "yes", "listed_via_parent": "via parent", "missing": "MISSING"}
WIDTH = 100  # no line of the table is longer


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, width=WIDTH, initial_indent=indent, subsequent_indent=indent + "  ",
                         break_on_hyphens=False, break_long_words=True) or [indent.rstrip()]


def _fit(lines: list[str]) -> list[str]:
    """Every line at most WIDTH columns: longer ones wrap under their own indentation."""
    out = []
    for line in lines:
        if len(line) <= WIDTH:
            out.append(line)
        else:
            indent = line[: len(line) - len(line.lstrip())]
            out += _wrap(line.strip(), indent)
    return out


def _one_line(text: str, indent: str) -> str:
    room = WIDTH - len(indent)
    return indent + (text if len(text) <= room else text[: room - 3] + "...")


def _table(rows: list[list[str]], header: list[str], indent: str = "  ") -> list[str]:
    """Columns padded to their widest cell; the last column wraps under itself to fit WIDTH."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    start = len(indent) + sum(w + 2 for w in widths[:-1])
    widths[-1] = min(widths[-1], WIDTH - start)
    out = []
    for r in [header, ["-" * w for w in widths], *rows]:
        head = indent + "".join(str(c).ljust(w + 2) for c, w in zip(r[:-1], widths))
        last = textwrap.wrap(str(r[-1]), width=widths[-1], break_on_hyphens=False) or [""]
        out.append((head + last[0]).rstrip())
        out += [" " * start + more for more in last[1:]]
    return out


def _counts(result: CheckResult) -> str:
    active = [f for f in result.findings if not f.suppressed]
    by = {s: sum(1 for f in active if f.severity is s) for s in Severity}
    return (f"{len(result.findings)} finding(s): {by[Severity.high]} high, {by[Severity.medium]} medium, "
            f"{by[Severity.low]} low, {len(result.findings) - len(active)} accepted")


def verdict_line(result: CheckResult) -> str:
    """The verdict, in the program's words only (never from data): the first and last line."""
    if result.passed:
        return f"PASSED: no blocking gap (fail-on: {result.fail_on.value})."
    return f"FAILED: {result.blocking} blocking gap(s) at severity {result.fail_on.value} or above."


WORST_GAPS = 5  # as in the report's summary


def _names(items, limit: int = 6) -> str:
    items = list(items)
    shown = items[:limit] + ([f"{len(items) - limit} more"] if len(items) > limit else [])
    return ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else "".join(shown)


def _conclusions(result: CheckResult) -> list[str]:
    """The summary's sentences, from the result's figures (each computed once, in the check)."""
    p = result.proposal
    affected, missing = result.affected, result.missing
    via = [a for a in affected if a.listing.value == "listed_via_parent"]
    flagged = {f.stakeholder for f in result.findings if f.interface is None and not f.suppressed}
    fine = [a for a in affected if a.organisation not in flagged]
    topics = result.topics
    out = [f"The proposal reaches {plural(len(affected), 'organisation')} through {plural(len(topics), 'topic')}; "
           f"{len(missing)} of them {'is' if len(missing) == 1 else 'are'} not on its stakeholder list"
           + (f" and {len(via)} {'is' if len(via) == 1 else 'are'} listed only through an organisation above "
              f"{'it' if len(via) == 1 else 'them'}" if via else "") + "."]
    if missing:
        out.append(f"Missing from the list: {'; '.join(escape(g) for g in result.missing_groups)}.")
    who = (f"None of the {len(affected)} is" if not fine else
           f"{len(fine)} of the {len(affected)} {'is' if len(fine) == 1 else 'are'}")
    out.append(f"{who} to be consulted two-way, in time, on every topic through which the proposal reaches "
               f"{'it' if len(fine) == 1 else 'them'}.")
    nobody = [t.topic for t in topics if t.not_consulted and len(t.not_consulted) == len(t.affected)]
    if nobody and len(nobody) == len(topics) > 1:
        out.append(f"Nobody it reaches is to be consulted on any of the {len(topics)} topics.")
    elif nobody:
        out.append(f"Nobody it reaches is to be consulted on {_names(nobody)}.")
    short = [t for a in affected for t in a.topics if t.required_lead_days is not None and not t.lead_time_ok]
    if short:
        orgs = {a.organisation for a in affected for t in a.topics if t in short}
        most = max(t.required_lead_days for t in short)
        out.append(f"{plural(len(orgs), 'organisation')} would get less notice than {'it needs' if len(orgs) == 1 else 'they need'}"
                   f" (up to {plural(most, 'day')}) on {_names(sorted({t.topic for t in short}))}.")
    on_ifaces = [f for f in result.findings if f.interface is not None and not f.suppressed]
    if result.interfaces:
        out.append(f"It creates {plural(len(result.interfaces), 'interface')} between organisations; "
                   + (f"{plural(len(on_ifaces), 'finding')} on them (a procedure or agreement missing)."
                      if on_ifaces else "no finding on them."))
    owed = {f.responsible_text for f in result.findings if f.responsible and not f.suppressed}
    if len(owed) == 1:
        out.append(f"Responsible for every gap: {escape(owed.pop())}.")
    return out


def _summary(result: CheckResult) -> list[str]:
    """Verdict, conclusions, the result per rule, who is not consulted about what, the worst gaps."""
    out = ["CONCLUSIONS"]
    for sentence in _conclusions(result):
        out += _wrap("- " + sentence, "  ")
    out += ["", "RESULT PER RULE"]
    for r in result.rules:
        sev = ", ".join(f"{n} {s}" for s, n in r.by_severity.items() if n)
        res = (f"{plural(r.findings, 'finding')} ({sev}), {r.blocking} blocking" if r.findings else "no gap")
        res += f", {r.accepted} accepted" if r.accepted else ""
        out += _wrap(f"{r.code:<8} {res}: {escape(r.title)}", "  ")
        if not r.applies:
            out += _wrap(f"does not apply: {escape(r.why)}", "           ")
    out += ["", f"WHO IS NOT CONSULTED ABOUT WHAT ({plural(len(result.topics), 'topic')})"]
    for t in result.topics:
        n, of = len(t.not_consulted), len(t.affected)
        if not n:
            out += _wrap(f"{t.topic}: " + ("the one organisation it reaches is" if of == 1 else
                                           f"all {of} organisations it reaches are") + " consulted", "  ")
            continue
        head = f"{t.topic}: " + ("not the one organisation it reaches" if n == of == 1 else
                                 f"none of the {of} it reaches" if n == of else
                                 f"{n} of the {plural(of, 'organisation')} it reaches")
        out += _wrap(head + ": " + "; ".join(escape(g) for g in t.groups), "  ")
    shown = result.gaps[:WORST_GAPS]
    out += ["", f"THE WORST GAPS ({len(shown)} of {len(result.gaps)}, by harm: docs/reports.md)"]
    if not shown:
        out.append("  none")
    for n, g in enumerate(shown, start=1):
        bits = [f"harm {g.harm:.1f}", g.severity.value]
        if g.missing:
            bits.append("not on the list" if len(g.offices) == 1 else
                        "neither office on the list" if len(g.missing) == len(g.offices) == 2 else
                        f"none of its {len(g.offices)} offices on the list" if len(g.missing) == len(g.offices) else
                        f"{len(g.missing)} of its {len(g.offices)} offices not on the list")
        if g.lead_missed_days:
            bits.append(f"{plural(g.lead_missed_days, 'day')} of needed notice missed")
        out += _wrap(f"{n}. {escape(g.who)} ({', '.join(bits)})", "  ")
        out += _wrap(f"on {', '.join(g.topics)}; {', '.join(g.rules)}", "     ")
    return out


def render_table(result: CheckResult) -> str:
    """The check result for a person at a terminal, as the report reads: the verdict and the
    executive summary first (conclusions, the result per rule, who is not consulted about what,
    the worst gaps by the report's measure of harm), then the detail. Data is escaped
    (render/terminal.py), so a title cannot clear the screen or forge a line."""
    from ..assess.proposal import is_blocking

    p = result.proposal
    by_id = {a.organisation: a for a in result.affected}
    verdict = verdict_line(result)
    out = [verdict, f"coordgap check: {escape(p.title)}",
           f"  proposal {p.id} ({escape(p.file)}), issued by {p.issuing_office}, planned {p.planned_issue_date}",
           f"  checked against {escape(result.reference)}; rulebook(s): {', '.join(result.rulebooks)}",
           f"  {_counts(result)}" + (f"; {plural(len(result.warnings), 'warning')} under WARNINGS"
                                     if result.warnings else ""), ""]
    out += _summary(result)
    out.append("")

    # the detail: each organisation once, in the order of the gaps (worst first), then the rest
    order = [o for g in result.gaps for o in g.offices]
    order += [a.organisation for a in result.affected if a.organisation not in order]
    rank = {o: i for i, o in enumerate(order)}
    owed_once = len({f.responsible_text for f in result.findings if f.responsible and not f.suppressed}) == 1
    out.append(f"FINDINGS ({len(result.findings)}, by organisation, worst gap first)")
    for f in sorted(result.findings, key=lambda f: (rank.get(f.stakeholder or "", len(rank)), f.rule,
                                                    f.interface or "")):
        where = f"{p.file}:{f.line}" if f.line else p.file
        mark = "accepted" if f.suppressed else ("BLOCKS" if is_blocking(f, result.fail_on) else "")
        out += _wrap(f"{where}  {f.severity.value:<6} {f.rule}/{f.status} {mark}".rstrip(), "  ")
        out += _wrap(f.message, "      ")
        if f.responsible and not (owed_once and not f.suppressed):
            out += _wrap(f"responsible: {f.responsible_text}", "      ")
        if f.suppressed:
            out += _wrap(f"accepted: {f.suppression.justification}", "      ")
    out.append("")

    out.append(f"MISSING FROM THE STAKEHOLDER LIST ({len(result.missing)}): the route and the deadlines on it")
    if not result.missing:
        out.append("  none: every affected organisation is on the list")
    for org in sorted(result.missing, key=lambda o: rank.get(o, len(rank))):
        a = by_id[org]
        out.append(f"  {org}  {escape(a.name)}  [{a.relation.value.replace('_', ' ')}]")
        out += _wrap(a.why_words(deadlines=False), "      ")  # the deadlines follow, each once
        for d in a.deadlines:
            out += _wrap(f"deadline on {d.flow}: {d.words}" + (" (set by the proposal)" if d.new else ""), "      ")
    out.append("")
    out.append(f"AFFECTED ORGANISATIONS ({len(result.affected)}): one row each, in the order of the gaps")
    rows = []
    for a in sorted(result.affected, key=lambda a: rank[a.organisation]):
        by_status: dict[str, list[str]] = {}
        for t in a.topics:
            lead = "" if t.lead_time_days is None else f" {t.lead_time_days} d"
            if t.required_lead_days is not None:
                lead += f" (needs {t.required_lead_days} d)"
            key = t.status.value + (f" via {t.via}" if t.via else "")
            by_status.setdefault(key, []).append(t.topic + lead)
        planned = "; ".join(f"{k}: {', '.join(v)}" for k, v in by_status.items())
        contacts = ", ".join(dict.fromkeys(c for t in a.topics for c in t.contacts))
        rows.append([a.organisation, _LISTING[a.listing.value], planned + (f" [{contacts}]" if contacts else "")])
    out += _table(rows, ["organisation", "listed", "planned contact, by topic [contacts]"])
    if result.listed_not_affected:
        out += _wrap("Listed, but the process map shows no way they are affected: "
                     + ", ".join(result.listed_not_affected), "  ")
    out.append("")
    out.append(f"INTERFACES THE CHANGE CREATES ({len(result.interfaces)})")
    if not result.interfaces:
        out.append("  none")
    for i in result.interfaces:
        out += _wrap(f"{i.id} ({i.kind}): {i.title}", "  ")
        out += _wrap(f"parties: {', '.join(i.parties)}; agencies: {', '.join(i.agencies)}", "    ")
        for s in i.flows:
            dl = f", {s.deadline or f'within {s.deadline_hours:g} hours'}" if (s.deadline or s.deadline_hours) else ""
            out += _wrap(f"new handoff {s.flow}: {s.source} -> {s.target}: {s.handover}{dl}", "    ")
        gaps = [f for f in result.findings if f.interface == i.id]
        for f in gaps:
            out += _wrap(f"{f.rule}/{f.status}" + (f" ({f.stakeholder})" if f.stakeholder else ""), "    ")
        if not gaps:
            out.append("    no gap")
    if result.outside:
        out += ["", f"OUTSIDE THE RULES ({len(result.outside)})"]
        for o in result.outside:
            out += _wrap(f"{o.rule}: {o.subject} {o.id}" + (f" (in {o.within})" if o.within else "")
                         + f": {o.reason}", "  ")
    notes = list(result.warnings)
    notes += [f"accepted_gaps[{i}] matches no finding; remove it" for i in result.unused_accepted_gaps]
    if result.ignored_reference_problems:
        notes.append(f"the case has {result.ignored_reference_problems} problem(s) in files the check does not "
                     "read (run `coordgap validate` on it)")
    if notes:
        out += ["", f"WARNINGS ({len(notes)})"]
        for n in notes:
            out += _wrap(n, "  ")
    out += ["", verdict]
    return escape_block("\n".join(_fit(out))) + "\n"


def check_loaded(loaded, fail_on, books):
    """The pre-rollout check of a loaded proposal; the check (pandas, networkx) is imported on
    first use, so that `coordgap --help` stays light."""
    from ..assess.proposal import check_loaded as run

    return run(loaded, fail_on, books)


def register(main: click.Group) -> None:
    """Add the `check` command to the coordgap command group."""

    @main.command("check")
    @click.argument("proposal")
    @click.option("--format", "fmt", type=Choice(["table", "json", "sarif"]), default="table",
                  show_default=True, help="A table for a person, JSON for programs, SARIF for code review.")
    @click.option("--out", "-o", default=None, help="Write to this file instead of standard output.")
    @click.option("--fail-on", type=Choice([s.value for s in Severity]), default=Severity.medium.value,
                  show_default=True, help="The lowest severity of an unaccepted gap that makes the check fail.")
    @click.option("--soft-fail", is_flag=True, help="Report gaps but exit 0 (invalid input still exits 2).")
    @click.option("--case", "case", default=None,
                  help="Check against this case folder (or bundled case) instead of the proposal's checked_against.")
    @click.option("--rulebook", "rulebook", multiple=True, metavar="NAME",
                  help="A rulebook to check against (repeatable; default: those the proposal names in `rulebooks`, "
                       "else oig-21-028).")
    def check(proposal: str, fmt: str, out: str | None, fail_on: str, soft_fail: bool, case: str | None,
              rulebook: tuple[str, ...]) -> None:
        """Check a policy proposal (a file, or the name of a bundled proposal) before it is issued:
        who it affects, who is missing from its stakeholder list, whether consultation is planned
        early enough, and the procedures and agreements its new interfaces need. Exit 0 no blocking
        gap, 1 gaps, 2 invalid input."""
        from ..io.proposal import read_proposal
        from ..render.sarif import invalid_input_sarif, to_sarif
        from .main import rulebooks_or_exit

        books = rulebooks_or_exit(rulebook) if rulebook else None
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
        books = books or rulebooks_or_exit(loaded.proposal.rulebooks)  # the command line's, else the proposal's
        try:
            result = check_loaded(loaded, fail_on, books)
            if fmt == "json":
                text = result.model_dump_json(indent=2) + "\n"
            elif fmt == "sarif":
                text = json.dumps(to_sarif(result), indent=2, ensure_ascii=False) + "\n"
            else:
                text = render_table(result)
        except Exception as exc:  # noqa: BLE001 - nothing was checked: say so, in the format asked for
            problem = Problem(loaded.label, None, None, f"coordgap could not finish the check ({type(exc).__name__}); "
                                                        "please report it with the proposal")
            verdict = "INVALID INPUT: nothing was checked (1 problem(s))."
            click.echo(f"{verdict}\n  {problem}\n{verdict}", err=True)
            if fmt == "sarif":
                _write(json.dumps(invalid_input_sarif([problem]), indent=2) + "\n", out)
            elif fmt == "json":
                _write(json.dumps({"valid": False, "problems": [problem.as_dict()]}, indent=2) + "\n", out)
            sys.exit(EXIT_INVALID)
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
