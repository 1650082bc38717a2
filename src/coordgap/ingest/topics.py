"""What a message is about: search-term lists, as an evaluator writes them.

`--topics TOPICS.yaml` maps a topic id to its terms and phrases:

    detention-capacity: [detention space, bed space, "detain*"]
    prosecution: [prosecut*, "criminal referral"]

Terms match case-insensitively on word boundaries; a phrase's words may be
split by any white space (a line break in the message); a trailing `*`
matches any ending (`detain*`: detain, detained, detainees). Subject and body
are searched. The sentence holding the first match of each topic becomes the
evidence quote, sliced verbatim from the message text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..model.case import ID_PATTERN
from .sources import SourceError

_ID = re.compile(ID_PATTERN)
# a sentence ends at . ! or ? followed by white space, or at an empty line
_END = re.compile(r"[.!?](?=\s|$)|\n[ \t]*\n")
REACH = 400  # at most this many characters of a sentence either side of the match


def _term_pattern(term: str) -> str:
    stem = term.endswith("*")
    words = term.rstrip("*").split()
    body = r"\s+".join(re.escape(w) for w in words)
    return rf"(?<!\w){body}" + (r"\w*" if stem else r"(?!\w)")


@dataclass
class TopicSearch:
    topics: dict[str, list[str]]

    def __post_init__(self) -> None:
        # One pattern per topic, and for each the plain words that any of its matches must
        # contain: a substring test on the lowercased text (C speed) skips most topics of
        # most messages before a regular expression runs.
        self._patterns = []
        for topic, terms in self.topics.items():
            alts = "|".join(_term_pattern(t) for t in sorted(terms, key=len, reverse=True))
            keys = tuple({t.rstrip("*").split()[0].lower() for t in terms})
            self._patterns.append((topic, keys, re.compile(alts, re.I)))

    @classmethod
    def read(cls, path: Path) -> "TopicSearch":
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
            raise SourceError(f"{path}: cannot read the topics file: {exc}") from exc
        if not isinstance(data, dict):
            raise SourceError(f"{path}: a topics file maps each topic id to a list of search terms")
        topics = {}
        for key, terms in data.items():
            if not isinstance(key, str) or not _ID.match(key):
                raise SourceError(f"{path}: topic {key!r} is not an id (lowercase letters, digits, '.', '_', '-')")
            if isinstance(terms, str):
                terms = [terms]
            if not isinstance(terms, list) or not terms or not all(isinstance(t, str) and t.strip("* ") for t in terms):
                raise SourceError(f"{path}: topic {key!r} needs a non-empty list of search terms")
            topics[key] = [t.strip() for t in terms]
        return cls(topics)

    def find(self, subject: str, body: str) -> dict[str, str]:
        """topic -> the verbatim sentence of its first match (the subject line when it matches there)."""
        out: dict[str, str] = {}
        if not self._patterns:
            return out
        low_subject, low_body = subject.lower(), body.lower()
        for topic, keys, pattern in self._patterns:
            if subject and any(k in low_subject for k in keys):
                if pattern.search(subject):
                    out[topic] = subject.strip()
                    continue
            if body and any(k in low_body for k in keys):
                m = pattern.search(body)
                if m:
                    out[topic] = sentence_at(body, m.start(), m.end())
        return out


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end], verbatim (trimmed of surrounding white space)."""
    lo = max(0, start - REACH)
    s = lo
    for m in _END.finditer(text, lo, start):
        s = m.end()
    m = _END.search(text, end, min(len(text), end + REACH))
    if m is None:
        e = min(len(text), end + REACH)
    else:
        e = m.end() if m.group(0) in ".!?" else m.start()
    return text[s:e].strip()


def first_sentence(text: str) -> str:
    """The first sentence of a text (the quote of a message no topic matched)."""
    stripped = text.lstrip()
    if not stripped:
        return ""
    offset = len(text) - len(stripped)
    return sentence_at(text, offset, offset + 1)
