"""The `coordgap` command.

Exit codes are the same everywhere: 0 success, 1 the input has problems (or,
for checks, gaps were found), 2 the path or arguments are unusable.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sys
from collections import Counter
from pathlib import Path

import click

from .choice import Choice

from .._version import __version__
from ..errors import InvalidInputError, ProblemTree, UnusablePathError
from ..io import files
from ..render.spreadsheet import neutralise
from ..render.terminal import escape, escape_block
from . import check as cli_check
from . import conclusions as cli_conclusions
from . import ingest as cli_ingest
from . import report as cli_report
from .grades import grade_options, with_minimum_grade

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2


def fail_unusable(message: str) -> None:
    click.echo(f"error: {escape(message)}", err=True)
    sys.exit(EXIT_UNUSABLE)


def load_or_exit(path: str, minimum_grade: str | None = None):
    """Load a case for a command, turning bad input into the documented exit codes; with
    `minimum_grade` (the command line's --minimum-grade), the case takes it in place of its own."""
    from ..io.loader import load_case  # the loader (pandas, pandera) only when a command runs

    try:
        case = load_case(path)
    except UnusablePathError as exc:
        fail_unusable(str(exc))
    except InvalidInputError as exc:
        click.echo(str(exc), err=True)
        click.echo("Run `coordgap validate PATH` for the full list.", err=True)
        sys.exit(EXIT_PROBLEMS)
    # The case lives as long as this command: keep the cyclic collector from walking its
    # million records again at every collection the rules and reports set off.
    gc.freeze()
    return with_minimum_grade(case, minimum_grade)


def rulebooks_or_exit(names):
    """The rulebooks named on the command line (the default when none), or exit 2 naming the known ones."""
    from ..rules import get_rulebooks

    try:
        return get_rulebooks(list(names))
    except KeyError as exc:
        fail_unusable(exc.args[0])
    except (TypeError, ValueError, ImportError) as exc:  # a broken plugin
        fail_unusable(f"cannot load the rulebooks: {exc}")


def write_text(text: str, out: str | None, table: bool = False) -> None:
    """Output to standard output or a file (written atomically). A table for a person, and
    anything shown on a terminal, has the control characters of data escaped; files and pipes
    get the data as it is."""
    if out in (None, "-"):
        click.echo(escape_block(text) if table or sys.stdout.isatty() else text, nl=False)
    else:
        try:
            files.write_atomically({Path(out): text})
        except OSError as exc:
            fail_unusable(f"cannot write {out}: {exc.strerror or exc}")


def _size(text: str) -> int:
    """'64M', '2G', '500k' or a number of bytes."""
    units = {"k": 1024, "m": files.MB, "g": 1024 * files.MB}
    t = text.strip().lower().removesuffix("b")
    try:
        return int(float(t[:-1]) * units[t[-1]]) if t and t[-1] in units else int(t)
    except (ValueError, IndexError):
        raise click.BadParameter(f"{text!r} is not a size (write e.g. 64M, 2G or a number of bytes)") from None


class _Guarded(click.Group):
    """No traceback reaches a user: an unexpected error is one clear line and exit 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:  # the reader went away (`coordgap validate X | head`): not an error of ours
            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_PROBLEMS)
        except Exception as exc:  # noqa: BLE001 - the last line of defence, reported
            click.echo(f"error: coordgap could not finish ({type(exc).__name__}: {escape(str(exc))[:300]}). "
                       "This is a bug in coordgap or input it does not expect: please report it with the input.",
                       err=True)
            sys.exit(EXIT_UNUSABLE)


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coordgap")
@click.option("--max-file-size", default=None, metavar="SIZE",
              help="Largest input file read (e.g. 2G). Default: 1G for CSV, 64M for YAML (docs/security.md).")
@click.option("--max-field-size", default=None, metavar="SIZE",
              help="Largest CSV cell read (e.g. 32M). Default: 16M characters; a row over it is refused.")
@click.option("--allow-outside-files", is_flag=True,
              help="Read symbolic links (and files a proposal names) that lead outside the folder.")
def main(max_file_size: str | None, max_field_size: str | None, allow_outside_files: bool) -> None:
    """Interagency coordination gap analysis: who was and was not consulted before each decision."""
    lim = files.Limits(allow_outside_files=allow_outside_files)
    if max_file_size is not None:
        n = _size(max_file_size)
        lim = files.replace(lim, max_csv_bytes=n, max_yaml_bytes=n)
    if max_field_size is not None:
        lim = files.replace(lim, max_field_chars=_size(max_field_size))
    files.set_limits(lim)


def rulebook_problems(meta) -> list:
    """case.yaml's `rulebooks` and `addresses` name rulebooks: each must be installed here (else
    `coordgap findings` would stop), with the closest name when one is close."""
    from ..errors import Problem
    from ..io.bundled import did_you_mean
    from ..rules import rulebooks

    try:
        known = sorted(rulebooks())
    except (TypeError, ValueError, ImportError):  # a broken plugin: `coordgap rules` says which
        return []
    out = []
    for where, names in (("rulebooks", meta.rulebooks), ("addresses", list(meta.addresses))):
        for name in names:
            if name not in known:
                out.append(Problem("case.yaml", None, where if where == "rulebooks" else f"addresses.{name}",
                                   f"no rulebook named {name!r}{did_you_mean(name, known)} "
                                   f"(installed: {', '.join(known) or 'none'})"))
    return out


CONSEQUENCES_SHOWN = 3  # under each root cause in `validate`'s text, without --all


def problem_lines(tree: ProblemTree, show_all: bool = False) -> list[str]:
    """Each root cause, then what follows from it indented by depth: all of it with show_all,
    else the first few and how many more (nothing is dropped: --all and JSON list them)."""
    out = []
    for root in tree.roots:
        out.append(str(root))
        below = tree.descendants(root)
        shown = below if show_all else below[:CONSEQUENCES_SHOWN]
        out += [f"{'  ' * depth}{p}" for p, depth in shown]
        if len(below) > len(shown):
            rest = below[len(shown):]
            by_file = Counter(p.file for p, _ in rest).most_common()
            files_text = ", ".join(f"{escape(f)} ({n})" for f, n in by_file[:3])
            if len(by_file) > 3:
                files_text += f" and {len(by_file) - 3} more file(s)"
            out.append(f"  ... and {len(rest)} more {'problem follows' if len(rest) == 1 else 'problems follow'} "
                       f"from it, in {files_text} (coordgap validate --all lists every one)")
    return out


def _source_option(values: tuple[str, ...]) -> dict[str, Path]:
    out = {}
    for v in values:
        sid, sep, file = v.partition("=")
        if not sep or not sid.strip() or not file.strip():
            fail_unusable(f"--source {v!r}: write it as SOURCE_ID=PATH")
        out[sid.strip()] = Path(file.strip())
    return out


@main.command()
@click.argument("path")
@click.option("--format", "fmt", type=Choice(["text", "json"]), default="text", show_default=True)
@click.option("--source", "sources", multiple=True, metavar="ID=PATH",
              help="The text of source ID is at PATH (repeatable): its quotes are checked against it.")
@click.option("--all", "show_all", is_flag=True,
              help=f"List every problem that follows from a root cause (text output shows the first "
                   f"{CONSEQUENCES_SHOWN} under each, then a count; JSON always lists all).")
def validate(path: str, fmt: str, sources: tuple[str, ...], show_all: bool) -> None:
    """Check a case folder and list every problem (file, line, field). Exit 1 if any.

    Root causes come first, each with the problems that follow from it indented under it (a
    record naming a rejected record, ids naming a file that is missing). Every quote is checked
    against its source's text where the text is at hand: a source's `path` in case.yaml (inside
    the case folder) or --source ID=PATH.
    """
    from ..io.evidence import verify_quotes
    from ..io.loader import case_file_names, read_case, resolve_case_path
    from ..io.loader import source_paths as source_files

    overrides = _source_option(sources)
    try:
        case, problems = read_case(path)
        folder = resolve_case_path(path)
    except UnusablePathError as exc:
        fail_unusable(str(exc))
    unknown = sorted(set(overrides) - ({s.id for s in case.meta.sources} if case else set()))
    if case is not None and unknown:
        fail_unusable(f"--source names no source of the case: {', '.join(unknown)}")
    unchecked: dict[str, int] = {}
    if case is not None:
        quote_problems, unchecked = verify_quotes(case, folder, overrides)
        problems = [*problems, *quote_problems, *rulebook_problems(case.meta)]
    _, warnings = files.survey_case_folder(folder, case_file_names(), source_files(case.meta if case else None))
    if case is not None:
        from ..io.case_warnings import case_warnings
        warnings = [*warnings, *case_warnings(case, problems)]
    tree = ProblemTree(problems)
    if fmt == "json":
        click.echo(json.dumps({"valid": not problems, "problems": tree.as_dicts(),
                               "root_causes": len(tree.roots), "warnings": warnings,
                               "quotes_not_checked": unchecked}, indent=2))
        sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)
    for w in warnings:
        click.echo(f"warning: {escape(w)}")
    if problems:
        for line in problem_lines(tree, show_all):
            click.echo(line)
        roots, follow = len(tree.roots), len(problems) - len(tree.roots)
        causes = f" ({roots} root cause(s), {follow} following from them)" if follow else ""
        click.echo(f"{len(problems)} problem(s){causes}; {len(case.rejected) if case else 'all'} record(s) rejected.")
    else:
        click.echo(
            f"{escape(path)}: valid ({len(case.stakeholders)} organisations, {len(case.decisions)} decisions, "
            f"{len(case.communications)} communications, {len(case.evidence)} evidence records)"
        )
    if unchecked:
        for sid, n in unchecked.items():
            click.echo(f"note: {n} quote(s) citing source {sid!r} not checked: no text for it "
                       f"(give --source {sid}=PATH)")
    sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)


def consultation_matrix(case):
    """The engine's matrix of a case; the engine (pandas, DuckDB) is imported on first use."""
    from ..engine.matrix import consultation_matrix as matrix_of

    return matrix_of(case)


def matrix_text(df, fmt: str) -> str:
    from ..engine.matrix import LIST_COLUMNS

    if fmt == "json":
        records = df.astype(object).where(df.notna(), None).to_dict("records")
        for r in records:
            for col in LIST_COLUMNS:
                r[col] = list(r[col])
        return json.dumps(records, indent=2, default=str) + "\n"
    flat = df.copy()
    for col in LIST_COLUMNS:
        flat[col] = flat[col].map(";".join)
    if fmt == "csv":  # cells a spreadsheet could run as formulas are neutralised (render/spreadsheet.py)
        for col in flat.columns:
            if flat[col].dtype == object:
                flat[col] = flat[col].map(neutralise)
        return flat.to_csv(index=False, lineterminator="\n")
    cols = ["decision", "stakeholder", "topic", "status", "grade", "first_contact_date", "lead_time_days", "disputed"]
    return flat[cols].to_string(index=False) + "\n"


@main.command()
@click.argument("path")
@click.option("--format", "fmt", type=Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--out", "-o", default=None, help="Write to this file instead of standard output.")
@grade_options
def matrix(path: str, fmt: str, out: str | None, minimum_grade: str | None) -> None:
    """Print the consultation matrix: one row per decision, stakeholder and impact."""
    case = load_or_exit(path, minimum_grade)
    write_text(matrix_text(consultation_matrix(case), fmt), out, table=fmt == "table")


@main.command()
@click.argument("path")
@click.option("--format", "fmt", type=Choice(["json", "ocel2-json", "ocel2-sqlite"]), default="json",
              show_default=True, help="json: the case as it is; ocel2-*: an OCEL 2.0 event log (docs/ingesting.md).")
@click.option("--out", "-o", default=None, help="Write to this file instead of standard output.")
def export(path: str, fmt: str, out: str | None) -> None:
    """Write the whole validated case as one JSON document, or as an OCEL 2.0 event log."""
    if fmt == "json":
        from ..io.export import export_case_json

        write_text(export_case_json(load_or_exit(path)), out)
        return
    from ..io import ocel

    if fmt == "ocel2-sqlite":
        if out in (None, "-"):
            fail_unusable("--format ocel2-sqlite writes a database file: give --out FILE.sqlite")
        ocel.write_ocel_sqlite(load_or_exit(path), out)
        click.echo(out)
        return
    write_text(ocel.to_ocel_json(load_or_exit(path)), out)


@main.command()
@click.option("--out", "out_dir", default="schemas", show_default=True, help="Folder to write the schemas to.")
def schema(out_dir: str) -> None:
    """Write JSON Schema for every YAML file and an export of every table schema."""
    from ..io.schemas import write_schemas

    for path in write_schemas(Path(out_dir)):
        click.echo(str(path))


@main.command()
@click.option("--schemas", "schemas_dir", default=None, help="Default: schemas/ of the source checkout.")
@click.option("--reports", "reports_dir", default=None, help="Default: reports/ of the source checkout.")
@click.option("--rule-docs", "rule_docs_dir", default=None,
              help="Where the rule pages go. Default: docs/rules/ of the source checkout.")
def regenerate(schemas_dir: str | None, reports_dir: str | None, rule_docs_dir: str | None) -> None:
    """Rebuild every generated file of the source checkout: schemas/, the bundled reports, and the
    rule pages of docs/rules/ (generated from the rule objects)."""
    from ..io.bundled import checkout_root
    from ..io.schemas import write_schemas
    from ..render.report import regenerate_bundled_reports
    from ..render.rule_docs import write_rule_docs

    root = checkout_root()
    if root is None and (schemas_dir is None or reports_dir is None):
        fail_unusable("regenerate rebuilds a source checkout's schemas/ and reports/, and this coordgap is "
                      "an installed copy; run it from a checkout (PYTHONPATH=src or pip install -e .), "
                      "or name both --schemas and --reports")
    schemas = Path(schemas_dir) if schemas_dir else root / "schemas"
    reports = Path(reports_dir) if reports_dir else root / "reports"
    rule_docs = Path(rule_docs_dir) if rule_docs_dir else (root / "docs" / "rules" if root else None)
    docs = write_rule_docs(rule_docs) if rule_docs is not None else []
    if rule_docs is not None:  # the gao-23-105520 pages and the comparison page, with their own generator
        from ..rules.gao_pages import SMALL_CASE, write_pages

        small = (root / SMALL_CASE) if root is not None else None
        docs += write_pages(rule_docs, small if small is not None and small.is_dir() else None)
    for path in [*write_schemas(schemas), *regenerate_bundled_reports(reports), *docs]:
        click.echo(str(path))


@main.command()
@click.argument("name", required=False)
def rules(name: str | None) -> None:
    """List the rulebooks (built-in and installed plugins) and their rules; with NAME, one
    rulebook's rules in full: source quote, rationale, statuses with severity, docs page."""
    from ..render.rule_docs import rules_text

    try:
        click.echo(rules_text(name), nl=False)
    except KeyError as exc:
        fail_unusable(exc.args[0])
    except (TypeError, ValueError, ImportError) as exc:
        fail_unusable(f"cannot load the rulebooks: {exc}")


# Commands that live in their own modules: findings and reports, and the pre-rollout check.
cli_report.register(main)
cli_check.register(main)
cli_conclusions.register(main)
cli_ingest.register(main)
