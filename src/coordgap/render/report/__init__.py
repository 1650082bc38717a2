"""Audit-style gap reports in Markdown and HTML.

`write_reports(case, out_dir, formats)` writes `report.md` and/or
`report.html` into out_dir, with the appendices beside them (`records.*`:
every record and the chronology; `accounting.*`: the accounting of records)
and `findings.json` (every finding with its short id and long key);
`render_markdown` and `render_html` return the main page's text. All render
one context (report/context.py) so they carry the same content, in the order
of a GAO or Inspector General report. The output holds no timestamp or path,
so the same case gives the same bytes on every run. Each HTML file is
self-contained: inline CSS and SVG, no script, and a Content-Security-Policy
that forbids fetching anything.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import jinja2

from ...assess.case import Assessment, assess
from ...model.case import Case
from . import rows
from .context import APPENDIX_FILES, FINDINGS_JSON, build_context, finding_records
from .text import MdLiteral, md_code, md_escape, plural, status_words

FORMATS = ("md", "html")
FILE_NAMES = {"md": "report.md", "html": "report.html"}  # the main page of each format
PAGES = ("report", *APPENDIX_FILES.values())  # each format's files: the report, then its appendices


def _html_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("coordgap.render.report", "templates"),
        autoescape=True,  # every value is HTML-escaped unless marked safe (only the SVG builder's output is)
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["words"] = status_words
    env.filters["plural"] = plural
    env.filters.update(rows.HTML_FILTERS)  # Appendix C's long tables, written in one pass
    return env


def _md_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("coordgap.render.report", "templates"),
        autoescape=False,
        finalize=md_escape,  # every value is Markdown-escaped unless it is an MdLiteral
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["code"] = md_code
    env.filters["literal"] = MdLiteral  # a macro's output: already escaped inside
    env.filters["words"] = status_words
    env.filters["plural"] = plural
    env.filters.update(rows.MD_FILTERS)
    return env


def _assessment(case: Case, assessment: Assessment | None, rulebook: str) -> Assessment:
    return assessment if assessment is not None else assess(case, rulebook)


def render_markdown(case: Case, assessment: Assessment | None = None, rulebook=None) -> str:
    return _markdown(build_context(case, _assessment(case, assessment, rulebook)))


def render_html(case: Case, assessment: Assessment | None = None, rulebook=None) -> str:
    return _html(build_context(case, _assessment(case, assessment, rulebook)))


def _markdown(ctx: dict, page: str = "report") -> str:
    return _tidy(_md_env().get_template(f"{page}.md.j2").render(**ctx))


def _html(ctx: dict, page: str = "report") -> str:
    return _tidy(_html_env().get_template(f"{page}.html.j2").render(**ctx))


# The context is plain data, the same for every format; each template escapes for its own.
RENDERERS = {"md": _markdown, "html": _html}


def findings_json(case: Case, assessment: Assessment) -> str:
    """findings.json: every finding (suppressed ones too) with its short id and long key."""
    return json.dumps(finding_records(case, assessment), indent=2, ensure_ascii=False) + "\n"


def _tidy(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, one final newline."""
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line == "" and out and out[-1] == "":
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def parse_formats(value: str | Iterable[str]) -> list[str]:
    """'md,html' -> ['md', 'html']; raises ValueError naming an unknown format."""
    items = value.split(",") if isinstance(value, str) else list(value)
    formats = [f.strip().lower() for f in items if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        from ...io.bundled import did_you_mean

        hint = did_you_mean(unknown[0], FORMATS) if len(unknown) == 1 else ""
        if hint:
            raise ValueError(f"unknown report format {unknown[0]!r}{hint} (choose from {', '.join(FORMATS)})")
        raise ValueError(f"unknown report format(s) {unknown or value!r}: choose from {', '.join(FORMATS)}")
    return list(dict.fromkeys(formats))


Progress = Callable[[str], None]  # told each step as it starts, e.g. to show it on a terminal


def _quiet(step: str) -> None:
    pass


def render_reports(case: Case, formats: Sequence[str] = FORMATS, rulebook=None,
                   progress: Progress = _quiet) -> dict[str, str]:
    """{file name: text} for each format (the main page first, then its appendices) and
    findings.json, from one assessment and one context of the case."""
    progress(f"assessing {case.meta.id}: consultation matrix and rules")
    assessment = assess(case, rulebook)
    progress("gathering the report's content")
    ctx = build_context(case, assessment)
    texts = {}
    chosen = parse_formats(formats)
    for f in chosen:
        progress(f"rendering {FILE_NAMES[f]}")
        texts[FILE_NAMES[f]] = RENDERERS[f](ctx)
    for f in chosen:
        for page in PAGES[1:]:
            progress(f"rendering {page}.{f}")
            texts[f"{page}.{f}"] = RENDERERS[f](ctx, page)
    texts[FINDINGS_JSON] = findings_json(case, assessment)
    return texts


def write_reports(case: Case, out_dir: str | Path, formats: Sequence[str] | str = FORMATS,
                  rulebook=None, progress: Progress = _quiet) -> list[Path]:
    """Write report.md / report.html, their appendices and findings.json into out_dir (created if
    needed); return the paths written, the main pages first."""
    from ...io.files import write_atomically

    out = Path(out_dir)
    texts = render_reports(case, parse_formats(formats), rulebook, progress)
    # All formats together, each renamed into place only when every one is complete: an
    # interrupted run or a full disk leaves the previous report whole (io/files.py).
    # Bytes: no newline translation on any platform.
    return write_atomically({out / name: text.encode("utf-8") for name, text in texts.items()})


def regenerate_bundled_reports(reports_dir: str | Path, formats: Sequence[str] = FORMATS) -> list[Path]:
    """Rewrite reports_dir/<case id>/report.* for every bundled case (coordgap.bundled.bundled_cases())."""
    from ...io.bundled import bundled_case_path, bundled_cases
    from ...io.loader import load_case

    paths: list[Path] = []
    for name in bundled_cases():
        case = load_case(bundled_case_path(name))
        paths += write_reports(case, Path(reports_dir) / case.meta.id, formats)
    return paths


__all__ = [
    "FILE_NAMES",
    "FINDINGS_JSON",
    "FORMATS",
    "PAGES",
    "build_context",
    "parse_formats",
    "regenerate_bundled_reports",
    "render_html",
    "render_markdown",
    "render_reports",
    "write_reports",
]
