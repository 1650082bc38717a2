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
from ..io.evidence import verify_quotes
from ..io.loader import load_case, read_case, resolve_case_path
from . import check as cli_check
from . import ingest as cli_ingest
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


def write_text(text: str, out: str | None) -> None:
    if out in (None, "-"):
        click.echo(text, nl=False)
    else:
        Path(out).write_text(text, encoding="utf-8")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coordgap")
def main() -> None:
    """Interagency coordination gap analysis: who was and was not consulted before each decision."""


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
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--source", "sources", multiple=True, metavar="ID=PATH",
              help="The text of source ID is at PATH (repeatable): its quotes are checked against it.")
def validate(path: str, fmt: str, sources: tuple[str, ...]) -> None:
    """Check a case folder and list every problem (file, line, field). Exit 1 if any.

    Every quote is checked against its source's text where the text is at hand: a source's
    `path` in case.yaml (inside the case folder) or --source ID=PATH.
    """
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
        problems = [*problems, *quote_problems]
    if fmt == "json":
        click.echo(json.dumps({"valid": not problems, "problems": [p.as_dict() for p in problems],
                               "quotes_not_checked": unchecked}, indent=2))
    elif problems:
        for p in sorted(problems, key=lambda p: (p.file, p.line or 0)):
            click.echo(str(p))
        click.echo(f"{len(problems)} problem(s); {len(case.rejected) if case else 'all'} record(s) rejected.")
    else:
        click.echo(
            f"{path}: valid ({len(case.stakeholders)} organisations, {len(case.decisions)} decisions, "
            f"{len(case.communications)} communications, {len(case.evidence)} evidence records)"
        )
    if fmt == "text" and unchecked:
        for sid, n in unchecked.items():
            click.echo(f"note: {n} quote(s) citing source {sid!r} not checked: no text for it "
                       f"(give --source {sid}=PATH)")
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
@click.option("--format", "fmt", type=click.Choice(["json", "ocel2-json", "ocel2-sqlite"]), default="json",
              show_default=True, help="json: the case as it is; ocel2-*: an OCEL 2.0 event log (docs/ingesting.md).")
@click.option("--out", "-o", default=None, help="Write to this file instead of standard output.")
def export(path: str, fmt: str, out: str | None) -> None:
    """Write the whole validated case as one JSON document, or as an OCEL 2.0 event log."""
    if fmt == "json":
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
def regenerate(schemas_dir: str | None, reports_dir: str | None) -> None:
    """Rebuild every generated file of the source checkout: schemas/ and the bundled reports."""
    from ..io.bundled import checkout_root
    from ..io.schemas import write_schemas
    from ..render.report import regenerate_bundled_reports

    root = checkout_root()
    if root is None and (schemas_dir is None or reports_dir is None):
        fail_unusable("regenerate rebuilds a source checkout's schemas/ and reports/, and this coordgap is "
                      "an installed copy; run it from a checkout (PYTHONPATH=src or pip install -e .), "
                      "or name both --schemas and --reports")
    schemas = Path(schemas_dir) if schemas_dir else root / "schemas"
    reports = Path(reports_dir) if reports_dir else root / "reports"
    for path in [*write_schemas(schemas), *regenerate_bundled_reports(reports)]:
        click.echo(str(path))


# Commands that live in their own modules: findings and reports, and the pre-rollout check.
cli_report.register(main)
cli_check.register(main)
cli_ingest.register(main)
