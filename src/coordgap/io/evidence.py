"""Checking quotes against their source text.

A quote must occur in the source verbatim. Only two things are forgiven:
runs of white space (line breaks in the source) and typographic quotes and
apostrophes, which count as their plain forms.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..model.case import Case

_PLAIN = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u00a0": " "})


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_PLAIN)).strip()


def source_texts(case: Case, folder: Path) -> dict[str, str]:
    """Normalised text of every source whose file can be found, by source id."""
    out = {}
    for src in case.meta.sources:
        if src.path:
            path = (folder / src.path).resolve()
            if path.is_file():
                out[src.id] = normalise(path.read_text(encoding="utf-8"))
    return out


def quotes_not_found(case: Case, texts: dict[str, str]) -> list[str]:
    """Ids of evidence records whose quote is not in their (available) source."""
    return [e.id for e in case.evidence if e.source in texts and normalise(e.quote) not in texts[e.source]]
