"""Words and escaping shared by the Markdown and HTML renderers."""

from __future__ import annotations

import re

from ...model.case import Grade, Status
from ..terminal import escape

# The status ladder as words. Colour in the HTML may add to these, never replace them.
STATUS_WORDS = {s.value: s.words for s in Status}

STATUS_MEANINGS = {
    "consulted": "before the decision, the decision's side sought this stakeholder's input on the impact (two-way)",
    "informed": "before the decision, a one-way notice from the decision's side covered the impact",
    "leadership_only": "only an organisation above the stakeholder (e.g. its department's head) was consulted "
                       "or informed, not the affected stakeholder itself",
    "indirect": "learned in advance, but from a third party, not from the decision's side",
    "same_day": "first learned on the decision's date, or at a date that cannot be placed before it at the "
                "precision recorded",
    "after": "first learned after the decision",
    "none": "nothing in the record",
}


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 day', '2 days', '0 findings'; `many` for a word whose plural is not word + 's'."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def days(n: int) -> str:
    return plural(n, "day")


def status_words(status: str) -> str:
    return STATUS_WORDS.get(status, status.replace("_", " "))


def grade_note(status: str, grade: str | None, status_all: str, grade_all: str | None,
               minimum: Grade | None) -> str | None:
    """What a matrix cell's status rests on, when it is not the oversight body's own words
    (docs/data-model.md, "Evidence grades"): "rests on a paraphrase", or, when a minimum grade
    lowered the cell, "consulted only on a paraphrase, below the minimum grade, other primary".
    None for a status resting on primary evidence, or on nothing."""
    if status_all != status and Status(status_all).rank < Status(status).rank:
        weaker = Grade(grade_all).phrase if grade_all else "contacts citing no evidence"
        below = f", {minimum.words}" if minimum is not None else ""
        return f"{status_words(status_all)} only on {weaker}, below the minimum grade{below}"
    if grade is not None and grade != Grade.primary.value:
        return f"rests on {Grade(grade).phrase}"
    return None


class MdLiteral(str):
    """Text already in Markdown form; the Markdown renderer prints it as it is."""


# Characters that Markdown (CommonMark + GitHub's extensions: tables, strikethrough,
# math) may read as markup. Each is escaped with a backslash, which CommonMark
# allows for any ASCII punctuation.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+!|~$&])")
_LEADING = re.compile(r"^(\d+)([.)])|^([-=:])")
# GitHub also links bare URLs, www. names and e-mail addresses (the autolink extension),
# which no backslash before a markup character prevents. A URL loses its link when the
# ':' of '://' or the '.' of 'www.' is escaped; an e-mail address (matched as cmark-gfm
# does) is shown as a code span, where nothing is linked.
# Each match starts where a run of address characters starts, so a long run costs linear time.
_EMAIL = re.compile(r"(?<![A-Za-z0-9.+\-_])[A-Za-z0-9.+\-_]++@[A-Za-z0-9\-_]++(?:\.[A-Za-z0-9\-_]++)+")
_URL_MARKS = re.compile(r"(?<=[A-Za-z0-9])(:)(?=//)|(?<![A-Za-z0-9])(?i:(www))(\.)")


def _escape_plain(text: str) -> str:
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _URL_MARKS.sub(lambda m: "\\:" if m.group(1) else f"{m.group(2)}\\.", text)


def md_escape(value) -> str:
    """Data as inline Markdown text: one line, every markup character escaped, nothing linked."""
    if value is None:
        return ""
    if isinstance(value, MdLiteral):
        return value
    text = escape(" ".join(str(value).split()))  # control characters as visible escapes
    parts, last = [], 0
    for m in _EMAIL.finditer(text) if "@" in text else ():
        parts += [_escape_plain(text[last:m.start()]), f"`{m.group()}`"]
        last = m.end()
    parts.append(_escape_plain(text[last:]))
    text = "".join(parts)
    return _LEADING.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", text)


def md_code(value) -> MdLiteral:
    """An id or code as a code span (ids are slugs, so no backtick can occur)."""
    text = " ".join(str(value).split()).replace("`", "'").replace("|", "\\|")
    return MdLiteral(f"`{text}`")
