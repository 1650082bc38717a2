"""The command-line options that set the weakest evidence grade that may earn a status
(docs/data-model.md, "Evidence grades"): `--minimum-grade GRADE`, and `--require-primary`
for primary evidence only (`--minimum-grade other_primary`). Given, they replace the case's
own `minimum_grade` for that command."""

from __future__ import annotations

import functools

import click

GRADES = ("primary", "other_primary", "quoted", "paraphrase")  # model.case.Grade, strongest first
PRIMARY_EVIDENCE = "other_primary"  # the weakest grade of primary evidence


def grade_options(command):
    """Add --minimum-grade and --require-primary to a command, which receives them as one
    `minimum_grade` argument (a grade's word, or None: the case's own)."""

    @click.option("--minimum-grade", "minimum_grade", type=click.Choice(GRADES), default=None,
                  help="The weakest evidence grade that may earn a status (default: the case's "
                       "`minimum_grade`, else every grade).")
    @click.option("--require-primary", is_flag=True,
                  help="Only primary evidence earns a status: the oversight body's own words or another "
                       "primary document (--minimum-grade other_primary).")
    @functools.wraps(command)
    def wrapper(*args, minimum_grade: str | None, require_primary: bool, **kwargs):
        if require_primary and minimum_grade not in (None, PRIMARY_EVIDENCE):
            raise click.UsageError(f"--require-primary is --minimum-grade {PRIMARY_EVIDENCE}; "
                                   f"it cannot go with --minimum-grade {minimum_grade}")
        return command(*args, minimum_grade=PRIMARY_EVIDENCE if require_primary else minimum_grade, **kwargs)

    return wrapper


def with_minimum_grade(case, minimum_grade: str | None):
    """The case with the command line's minimum grade in place of its own (unchanged for None)."""
    return case if minimum_grade is None else case.with_minimum_grade(minimum_grade)
