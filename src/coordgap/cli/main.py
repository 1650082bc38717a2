"""The `coordgap` command.

Exit codes are the same everywhere: 0 success, 1 the input has problems (or,
for checks, gaps were found), 2 the path or arguments are unusable.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .._version import __version__
from ..engine.matrix import LIST_COLUMNS, consultation_matrix
from ..errors import InvalidInputError, UnusablePathError
from ..io.export import export_case_json
from ..io.loader import load_case, read_case
from . import check as cli_check
from . import report as cli_report

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2


def fail_unusable(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_UNUSABLE)


def load_or_exit(path: str):
    """Load a case for a command, turning bad input into the documented exit codes."""
    try:
        return load_case(path)
    except UnusablePathError as exc:
        fail_unusable(str(exc))
    except InvalidInputError as exc:
        click.echo(str(exc), err=True)
        click.echo("Run `coordgap validate PATH` for the full list.", err=True)
        sys.exit(EXIT_PROBLEMS)


def rulebooks_or_exit(names):
    """The rulebooks named on the command line (the default when none), or exit 2 naming the known ones."""
    from ..rules import get_rulebooks

    try:
        return get_rulebooks(list(names))
    except KeyError as exc:
        fail_unusable(exc.args[0])
    except (TypeError, ValueError, ImportError) as exc:  # a broken plugin
        fail_unusable(f"cannot load the rulebooks: {exc}")


def write_text(text: str, out: str | None) -> None:
    if out in (None, "-"):
        click.echo(text, nl=False)
    else:
        Path(out).write_text(text, encoding="utf-8")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coordgap")
def main() -> None:
    """Interagency coordination gap analysis: who was and was not consulted before each decision."""


@main.command()
@click.argument("path")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def validate(path: str, fmt: str) -> None:
    """Check a case folder and list every problem (file, line, field). Exit 1 if any."""
    try:
        case, problems = read_case(path)
    except UnusablePathError as exc:
        fail_unusable(str(exc))
    if fmt == "json":
        click.echo(json.dumps({"valid": not problems, "problems": [p.as_dict() for p in problems]}, indent=2))
    elif problems:
        for p in sorted(problems, key=lambda p: (p.file, p.line or 0)):
            click.echo(str(p))
        click.echo(f"{len(problems)} problem(s); {len(case.rejected) if case else 'all'} record(s) rejected.")
    else:
        click.echo(
            f"{path}: valid ({len(case.stakeholders)} organisations, {len(case.decisions)} decisions, "
            f"{len(case.communications)} communications, {len(case.evidence)} evidence records)"
        )
    sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)


def matrix_text(df, fmt: str) -> str:
    if fmt == "json":
        records = df.astype(object).where(df.notna(), None).to_dict("records")
        for r in records:
            for col in LIST_COLUMNS:
                r[col] = list(r[col])
        return json.dumps(records, indent=2, default=str) + "\n"
    flat = df.copy()
    for col in LIST_COLUMNS:
        flat[col] = flat[col].map(";".join)
    if fmt == "csv":
        return flat.to_csv(index=False, lineterminator="\n")
    cols = ["decision", "stakeholder", "topic", "status", "first_contact_date", "lead_time_days", "disputed"]
    return flat[cols].to_string(index=False) + "\n"


@main.command()
@click.argument("path")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--out", "-o", default=None, help="Write to this file instead of standard output.")
def matrix(path: str, fmt: str, out: str | None) -> None:
    """Print the consultation matrix: one row per decision, stakeholder and impact."""
    case = load_or_exit(path)
    write_text(matrix_text(consultation_matrix(case), fmt), out)


@main.command()
@click.argument("path")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@click.option("--out", "-o", default=None, help="Write to this file instead of standard output.")
def export(path: str, fmt: str, out: str | None) -> None:
    """Write the whole validated case as one JSON document."""
    write_text(export_case_json(load_or_exit(path)), out)


@main.command()
@click.option("--out", "out_dir", default="schemas", show_default=True, help="Folder to write the schemas to.")
def schema(out_dir: str) -> None:
    """Write JSON Schema for every YAML file and an export of every table schema."""
    from ..io.schemas import write_schemas

    for path in write_schemas(Path(out_dir)):
        click.echo(str(path))


@main.command()
@click.option("--schemas", "schemas_dir", default="schemas", show_default=True)
@click.option("--reports", "reports_dir", default="reports", show_default=True)
@click.option("--rule-docs", "rule_docs_dir", default="docs/rules", show_default=True,
              help="Folder for the generated rule pages (the GAO rulebook's and the comparison).")
def regenerate(schemas_dir: str, reports_dir: str, rule_docs_dir: str) -> None:
    """Rebuild every generated file: schemas/, the reports of every bundled case, and the generated rule pages."""
    from ..io.schemas import write_schemas
    from ..render.report import regenerate_bundled_reports
    from ..rules.gao_pages import SMALL_CASE, write_pages

    small = Path(SMALL_CASE)
    pages = write_pages(Path(rule_docs_dir), small if small.is_dir() else None)
    for path in [*write_schemas(Path(schemas_dir)), *regenerate_bundled_reports(reports_dir), *pages]:
        click.echo(str(path))


# Commands that live in their own modules: findings and reports, and the pre-rollout check.
cli_report.register(main)
cli_check.register(main)
