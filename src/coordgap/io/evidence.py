"""Checking quotes against their source text.

A quote must occur in the source verbatim. Only two things are forgiven:
runs of white space (line breaks in the source) and typographic quotes and
apostrophes, which count as their plain forms. `coordgap validate` runs
verify_quotes() so a falsified or mistyped quote is caught before a report
prints it as verbatim.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from ..errors import Problem
from ..model.case import Case

_PLAIN = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u00a0": " "})
NEAREST_CHARS = 160  # how much of the nearest passage a problem shows


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_PLAIN)).strip()


def source_paths(case: Case, folder: Path, overrides: Mapping[str, Path] | None = None) -> dict[str, Path]:
    """Where each source's text should be: `overrides` (source id -> file) first, then the
    source's own `path`, relative to the case folder."""
    out = {s.id: folder / s.path for s in case.meta.sources if s.path}
    out.update({k: Path(v) for k, v in (overrides or {}).items()})
    return out


def source_texts(case: Case, folder: Path, overrides: Mapping[str, Path] | None = None) -> dict[str, str]:
    """Normalised text of every source whose file can be found, by source id."""
    out = {}
    for sid, path in source_paths(case, folder, overrides).items():
        if path.is_file():
            out[sid] = normalise(path.read_text(encoding="utf-8"))
    return out


def quotes_not_found(case: Case, texts: dict[str, str]) -> list[str]:
    """Ids of evidence records whose quote is not in their (available) source."""
    return [e.id for e in case.evidence if e.source in texts and normalise(e.quote) not in texts[e.source]]


def _longest_run(quote: str, text: str, from_start: bool) -> tuple[int, int]:
    """The longest prefix (or suffix) of `quote` found in `text`: (its length, where in text)."""
    lo, hi, at = 0, len(quote), -1
    while lo < hi:  # binary search: if a prefix occurs, every shorter one does too
        mid = (lo + hi + 1) // 2
        part = quote[:mid] if from_start else quote[len(quote) - mid:]
        pos = text.find(part)
        if pos >= 0:
            lo, at = mid, pos
        else:
            hi = mid - 1
    return lo, at


def nearest_passage(quote: str, text: str) -> str:
    """The passage of `text` that shares the longest opening or closing run with `quote`,
    cut to about the quote's length: what the encoder most likely meant to copy."""
    q = normalise(quote)
    head, head_at = _longest_run(q, text, True)
    tail, tail_at = _longest_run(q, text, False)
    if max(head, tail) < 12:
        return ""
    if head >= tail:
        start = head_at
    else:
        start = max(0, tail_at + tail - len(q))
    width = min(max(len(q), 40), NEAREST_CHARS)
    passage = text[start:start + width]
    return passage + ("…" if start + width < len(text) else "")


def evidence_rows(folder: Path, label_root: Path | None = None) -> dict[str, tuple[str, int]]:
    """Where each evidence record is written in a case folder: id -> (file label, line)."""
    root = label_root or folder
    files = [folder / "evidence.csv"] if (folder / "evidence.csv").is_file() else []
    if (folder / "evidence").is_dir():
        files += sorted(p for p in (folder / "evidence").iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    out: dict[str, tuple[str, int]] = {}
    for path in files:
        label = path.relative_to(root).as_posix()
        try:
            with path.open(newline="", encoding="utf-8-sig") as fh:
                reader = csv.DictReader(fh)
                reader.fieldnames  # read the header, so line_num counts from it
                line = reader.line_num + 1
                for row in reader:
                    if row.get("id"):
                        out.setdefault(row["id"].strip(), (label, line))
                    line = reader.line_num + 1
        except (OSError, UnicodeDecodeError, csv.Error):
            continue  # the loader has already reported the file
    return out


def verify_quotes(case: Case, folder: Path, overrides: Mapping[str, Path] | None = None,
                  locate: Callable[[str], tuple[str, int | None]] | None = None
                  ) -> tuple[list[Problem], dict[str, int]]:
    """Every quote checked against its source's text, where the case says where the text is.

    Returns the problems and, for each source with no text to check against, how many quotes
    cite it (so `validate` can say what it did not check). A source's `path` must lie inside
    the case folder (a text kept elsewhere is given with an override, `--source ID=PATH`), and
    must name a file: a case that says it has the text should have it. Each quote not found
    verbatim is a problem naming its file, row and the nearest passage of the source.
    """
    problems: list[Problem] = []
    paths = source_paths(case, folder, overrides)
    inside = folder.resolve()
    for i, src in enumerate(case.meta.sources):
        if src.id not in paths:
            continue
        path, given = paths[src.id], bool(overrides and src.id in overrides)
        field = f"sources[{i}].path"
        if not given and not path.resolve().is_relative_to(inside):
            problems.append(Problem("case.yaml", None, field, f"source {src.id!r}: {src.path!r} is outside the "
                                    "case folder; keep the text in the folder or give it with --source ID=PATH",
                                    src.id))
            del paths[src.id]
        elif not path.is_file():
            how = "given with --source" if given else "its `path`"
            problems.append(Problem("case.yaml", None, field, f"source {src.id!r}: no file at {path} ({how}); "
                                    "its quotes cannot be checked", src.id))
    texts = {sid: normalise(p.read_text(encoding="utf-8")) for sid, p in paths.items() if p.is_file()}
    rows: dict[str, tuple[str, int]] | None = None  # read only when a quote is not found
    unchecked: dict[str, int] = {}
    for e in case.evidence:
        text = texts.get(e.source)
        if text is None:
            unchecked[e.source] = unchecked.get(e.source, 0) + 1
            continue
        if normalise(e.quote) in text:
            continue
        if locate is None and rows is None:
            rows = evidence_rows(folder)
        file, line = locate(e.id) if locate else rows.get(e.id, ("evidence", None))
        near = nearest_passage(e.quote, text)
        hint = f"; nearest passage: {near!r}" if near else "; no passage of the source is close"
        problems.append(Problem(file, line, "quote", f"not found verbatim in source {e.source!r}{hint}", e.id))
    return problems, dict(sorted(unchecked.items()))
