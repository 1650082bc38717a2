"""Words and escaping shared by the Markdown and HTML renderers."""

from __future__ import annotations

import re
from functools import lru_cache

from ...model.case import Grade, Status
from ...words import plural, verb
from ..terminal import escape

__all__ = ["plural", "verb"]  # re-exported: the renderers' counted words are coordgap.words'

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


_JOINING = {"of", "the", "and", "for", "in", "on", "at", "to", "a", "an"}


def shorten(label: str, chars: int) -> str:
    """A label in at most `chars` characters that keeps what tells similar ones apart: the words
    before the first comma and as many of the last words as fit ("Federal Public Defender, …
    District of Texas", not two alike "Federal Public Defender, Southern District of…"); else the
    start, cut with an ellipsis."""
    if len(label) <= chars:
        return label
    head, sep, rest = label.partition(", ")
    if sep and len(head) + 4 < chars:
        room = chars - len(head) - 3  # ", " and "…"
        tail = ""
        for word in reversed(rest.split(" ")):
            if len(word) + 1 + len(tail) > room:
                break
            tail = f"{word} {tail}" if tail else word
        while tail.split(" ", 1)[0].lower() in _JOINING and " " in tail:  # "…California", not "…of California"
            tail = tail.split(" ", 1)[1]
        if tail and tail.split(" ", 1)[0].lower() not in _JOINING:
            return f"{head}, …{tail}"
    return label[:chars - 1].rstrip() + "…"


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


# Text that every step of `_md_escape` leaves as it is: a letter, then letters, digits, spaces
# (no two in a row, none last) and punctuation that is not markup (no '@': no e-mail address),
# with a ':' or '.' only when no '://' or 'www' occurs (nothing to unlink); or digits and
# hyphens (a date). A large report prints millions of such cells: they skip the regexes.
_PLAIN = re.compile("[A-Za-z][A-Za-z0-9 ,;'()/\\-.:?\"%=\u2013\u2014\u2018\u2019\u201c\u201d\u2026]*|\\d[\\d-]*")


def md_escape(value) -> str:
    """Data as inline Markdown text: one line, every markup character escaped, nothing linked."""
    if value is None:
        return ""
    if isinstance(value, MdLiteral):
        return value
    if type(value) is str and _PLAIN.fullmatch(value) and "  " not in value and value[-1] != " " and not (
            ("." in value or ":" in value) and ("://" in value or "www" in value.lower())):
        return value
    if type(value) is str:
        return _md_escape_text(value)
    return _md_escape(value)


@lru_cache(maxsize=1 << 16)
def _md_escape_text(value: str) -> str:
    """Text seen again (a name, a section, the quote of a message held by several custodians)
    is escaped once."""
    return _md_escape(value)


def _md_escape(value) -> str:
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
