"""`coordgap ingest`: record productions into a case folder (see docs/ingesting.md)."""

from __future__ import annotations

import sys
import time

import click

from .choice import Choice


def register(main: click.Group) -> None:
    @main.command()
    @click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True))
    @click.option("--directory", "directory", required=True, type=click.Path(exists=True, dir_okay=False),
                  help="CSV mapping addresses, domains and names to the case's parties.")
    @click.option("--out", "out", required=True, type=click.Path(file_okay=False),
                  help="The case folder: an existing case (its parties are used) or a new folder.")
    @click.option("--topics", type=click.Path(exists=True, dir_okay=False), default=None,
                  help="YAML: topic id -> list of search terms.")
    @click.option("--mapping", type=click.Path(exists=True, dir_okay=False), default=None,
                  help="YAML naming the load-file columns (defaults: common e-discovery field names).")
    @click.option("--format", "fmt", type=Choice(["parquet", "csv"]), default=None,
                  help="How the communications and evidence tables are written [default: parquet when the "
                       "case loader reads Parquet, else csv].")
    @click.option("--days-before", default=180, show_default=True, help="Days before a decision a message may concern it.")
    @click.option("--days-after", default=60, show_default=True, help="Days after a decision a message may concern it.")
    @click.option("--no-review", is_flag=True, help="Do not write ingest/review.csv (saves running the matrix).")
    @click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
                  help="Processes that parse mail (a pool pays only on an idle machine; docs/performance.md).")
    @click.option("--verify", is_flag=True,
                  help="Afterwards, reopen every message at its locator and check each quote is in it verbatim.")
    @click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal only).")
    def ingest(sources, directory, out, topics, mapping, fmt, days_before, days_after, no_review, workers, verify, progress):
        """Read mbox files, .eml folders, .ics calendars and load files into a case folder."""
        from ..errors import InvalidInputError, UnusablePathError
        from ..ingest import SourceError
        from ..ingest import ingest as run_ingest
        from .main import EXIT_PROBLEMS, EXIT_UNUSABLE

        start = time.perf_counter()
        try:
            result = run_ingest(sources, directory, out, topics=topics, mapping=mapping, fmt=fmt,
                                days_before=days_before, days_after=days_after, review=not no_review,
                                progress=progress, workers=workers)
        except InvalidInputError as exc:
            click.echo(str(exc), err=True)
            sys.exit(EXIT_PROBLEMS)
        except (SourceError, UnusablePathError) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_UNUSABLE)
        s = result.summary
        took = time.perf_counter() - start
        click.echo(f"{s['messages_read']:,} messages read = {s['communications']:,} communications"
                   f" + {s['duplicates_merged']:,} duplicates merged + {s['rejected']:,} rejected")
        click.echo(f"{s['unmapped_addresses']:,} unmapped addresses, {s['messages_with_problems_kept']:,}"
                   f" problems noted on kept messages; see {result.files['report.md']}")
        click.echo(f"{took:.1f} s, {s['messages_read'] / max(took, 1e-9):,.0f} messages/s", err=True)
        if verify:
            from ..ingest.locate import quotes_of, verify_quotes

            wrong = verify_quotes(result.case_dir, quotes_of(result))
            for line in wrong[:50]:
                click.echo(f"quote check: {line}", err=True)
            click.echo(f"quote check: {len(wrong):,} problem(s) in {sum(1 for _ in quotes_of(result)):,} quotes")
            if wrong:
                sys.exit(EXIT_PROBLEMS)
