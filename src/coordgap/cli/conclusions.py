"""The `coordgap conclusions` command: does the record bear out each conclusion?

Exit codes: 0 every conclusion reproduced (or the case records none), 1 at
least one is partly or not reproduced, 2 the input is unusable or invalid
(a missing path, a case or conclusions file with problems).
"""

from __future__ import annotations

import json
import sys

import click

from .choice import Choice

from typing import TYPE_CHECKING

from ..errors import InvalidInputError, UnusablePathError

if TYPE_CHECKING:  # the checker, the rules and the loader load when the command runs
    from ..assess.conclusions import ConclusionResult

EXIT_OK, EXIT_NOT_REPRODUCED, EXIT_INVALID = 0, 1, 2


def conclusions_text(results: list[ConclusionResult]) -> str:
    """One block per conclusion: verdict and statement, then each claim with what the record shows."""
    from ..assess.conclusions import Verdict

    if not results:
        return "The case records no conclusions (add conclusions.yaml; see docs/data-model.md).\n"
    lines = []
    for r in results:
        c = r.conclusion
        lines.append(f"{r.verdict.words.upper():<15} {c.id}: {c.statement}")
        lines.append(f"{'':<15} quoted: {', '.join(e.id for e in r.evidence)}")
        for a in r.results:
            mark = "holds " if a.holds else "FAILS "
            lines.append(f"{'':<15} {mark} {a.kind}: {a.claim}")
            lines.append(f"{'':<22} record: {a.found}")
    counts = {v: sum(r.verdict is v for r in results) for v in Verdict}
    lines.append("")
    lines.append(f"{len(results)} conclusion{'s' if len(results) != 1 else ''}: "
                 + ", ".join(f"{n} {v.words}" for v, n in counts.items()))
    return "\n".join(lines) + "\n"


class _LazyDefault(click.Option):
    """An option whose default is a function, shown in the help as its value, not "(dynamic)"."""

    def get_default(self, ctx, call=True):
        return super().get_default(ctx, call=True)


def _default_rulebook() -> str:
    from ..assess.case import DEFAULT_RULEBOOK  # the rules (pandas) only when asked

    return DEFAULT_RULEBOOK


def register(main: click.Group) -> None:
    from .grades import grade_options, with_minimum_grade

    @main.command()
    @click.argument("path")
    @click.option("--format", "fmt", type=Choice(["table", "json"]), default="table", show_default=True)
    @click.option("--rulebook", cls=_LazyDefault, default=_default_rulebook, show_default=True)
    @click.option("--file", "draft", default=None, metavar="FILE",
                  help="Check the conclusions in FILE (e.g. a draft) instead of the case's conclusions.yaml.")
    @grade_options
    def conclusions(path: str, fmt: str, rulebook: str, draft: str | None, minimum_grade: str | None) -> None:
        """Check the oversight body's conclusions against the case's record.

        Exit 0 when every conclusion is reproduced, 1 when any is partly or
        not reproduced, 2 when the case or the conclusions file is invalid.
        """
        from ..assess.case import assess
        from ..assess.conclusions import Verdict, check_conclusions
        from ..io.conclusions import read_conclusions_file
        from ..io.loader import load_case

        try:
            case = with_minimum_grade(load_case(path), minimum_grade)
        except (UnusablePathError, InvalidInputError) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_INVALID)
        given = None
        if draft is not None:
            given, problems = read_conclusions_file(draft, case)
            if problems:
                click.echo(f"error: {InvalidInputError(problems, what=draft)}", err=True)
                sys.exit(EXIT_INVALID)
        try:
            assessment = assess(case, rulebook)
        except (KeyError, ValueError) as exc:  # a KeyError's text is its message, not its repr
            click.echo(f"error: {exc.args[0] if isinstance(exc, KeyError) and exc.args else exc}", err=True)
            sys.exit(EXIT_INVALID)
        results = check_conclusions(case, assessment, given)
        if fmt == "json":
            click.echo(json.dumps({"case": case.meta.id, "rulebook": assessment.rulebook.name,
                                   "conclusions": [r.as_dict() for r in results]}, indent=2, ensure_ascii=False))
        else:
            click.echo(conclusions_text(results), nl=False)
        sys.exit(EXIT_OK if all(r.verdict is Verdict.reproduced for r in results) else EXIT_NOT_REPRODUCED)
