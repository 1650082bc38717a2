"""Data on a terminal: control characters become visible escapes.

A name or title in a case folder or proposal may hold terminal escape
sequences (ESC[2J clears the screen, ESC[32m turns text green), a carriage
return that rewrites a line, a newline that forges one, or Unicode bidi
controls that reorder what is shown. Everything coordgap prints to a terminal
passes through `escape` (one value: every control character, newlines too)
or `escape_block` (a whole text the program laid out: every control
character except its own newlines). JSON output keeps the raw values.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the Unicode format characters that move or hide text
# (bidi embeddings, overrides and isolates, marks, line and paragraph separators).
_FORMAT = "\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff"
_ANY = re.compile(f"[\x00-\x1f{_FORMAT}]")
_BUT_NEWLINE = re.compile(f"[\x00-\x09\x0b-\x1f{_FORMAT}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def escape(value) -> str:
    """One value for a terminal: every control character (newline included) as a visible escape."""
    text = "" if value is None else str(value)
    return _ANY.sub(_visible, text) if _ANY.search(text) else text


def escape_block(text: str) -> str:
    """A text laid out by the program for a terminal: its newlines stay, every other control
    character (from data) becomes a visible escape."""
    return _BUT_NEWLINE.sub(_visible, text) if _BUT_NEWLINE.search(text) else text
