"""From production files to communications: read, parse, resolve, merge duplicates, thread.

One pass over the sources, one message at a time; what is kept per
communication is small (parties, topics, quotes, locators), never the body,
so memory grows with the number of communications, not with their size.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Iterable, Iterator

from .classify import DecisionWindow, infer_kind
from .directory import Directory
from .loadfile import read_loadfile
from .mail import Message, first_message_id, parse_message
from .progress import Progress
from .sources import (
    Locator,
    SourceError,
    from_line,
    kind_of,
    read_eml,
    read_eml_folder,
    read_mbox,
)
from .topics import TopicSearch, first_sentence

UNKNOWN = "unknown"  # the party of an address the directory does not map


@dataclass(slots=True)
class Comm:
    """One communication being built: the first copy's facts and every copy's locator."""

    id: str
    key: str
    day: date
    sender: str
    recipients: tuple[str, ...]
    topics: dict[str, str]      # topic -> verbatim sentence
    quote: str                  # the quote when no topic matched
    subject: str
    message_id: str
    in_reply_to: str
    references: tuple[str, ...]
    channel: str
    kind: str
    kind_reason: str
    decisions: tuple[str, ...] = ()
    responds_to: tuple[str, ...] = ()
    locators: list[Locator] = field(default_factory=list)


@dataclass(slots=True)
class Issue:
    """A problem with one copy of a message: where it is, and what is wrong."""

    file: str
    position: str
    reason: str
    kept: bool  # True: the message was kept (the problem is noted); False: rejected


@dataclass
class Outcome:
    """Everything an ingest found, before it is written."""

    comms: list[Comm] = field(default_factory=list)
    read: int = 0
    duplicates: int = 0
    rejected: list[Issue] = field(default_factory=list)
    problems: list[Issue] = field(default_factory=list)
    bad_sources: list[Issue] = field(default_factory=list)  # a whole file that could not be read
    unmapped: Counter = field(default_factory=Counter)
    per_file: Counter = field(default_factory=Counter)
    files: list[tuple[str, str]] = field(default_factory=list)  # (label, kind)
    topics_used: Counter = field(default_factory=Counter)
    threads: int = 0


@dataclass
class Settings:
    directory: Directory
    topics: TopicSearch
    decisions: DecisionWindow
    window: tuple[date, date] | None = None   # an existing case's window; None for a new case
    mappings: dict[str, dict] = field(default_factory=dict)  # load file label -> mapping


def position(loc: Locator) -> str:
    if loc.kind == "mbox":
        return f"byte {loc.offset}"
    if loc.kind == "loadfile":
        return f"row {loc.row}" + (f" (Bates {loc.bates})" if loc.bates else "")
    if loc.kind == "ics":
        return f"line {loc.offset}"
    return loc.ref or "file"


_ASCTIME = re.compile(r"(\w{3}\s+\w{3}\s+\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?\s+\d{4})\s*$")


def _fallback_date(msg: Message, envelope: str) -> tuple[datetime | None, str]:
    for value in msg.received_dates:
        try:
            return parsedate_to_datetime(value), "the Received header"
        except (TypeError, ValueError, IndexError):
            continue
    m = _ASCTIME.search(envelope)
    if m:
        try:
            return datetime.strptime(" ".join(m.group(1).split()), "%a %b %d %H:%M:%S %Y"), "the mbox From line"
        except ValueError:
            pass
    return None, ""


def comm_id(key: str) -> str:
    return "m-" + hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def messages(sources: Iterable[Path], settings: Settings, out: Outcome) -> Iterator[tuple[Locator, bytes | Message]]:
    """(locator, raw bytes or an already read Message) for every message of every source, in order."""
    for path in sources:
        label = str(path)
        try:
            kind = kind_of(path)
        except (SourceError, OSError) as exc:
            out.bad_sources.append(Issue(label, "whole file", f"unreadable source: {exc}", False))
            continue
        out.files.append((label, kind))
        out.per_file[label] += 0
        try:
            if kind in ("mbox", "eml", "eml-folder"):
                yield from {"mbox": read_mbox, "eml": read_eml, "eml-folder": read_eml_folder}[kind](path, label)
            elif kind == "ics":
                from .calendar import read_ics

                yield from read_ics(path, label)
            elif kind == "loadfile":
                yield from read_loadfile(path, label, settings.mappings.get(label, {}))
            elif kind == "pst":
                from .pst import read_pst

                yield from read_pst(path, label)
        except (SourceError, OSError) as exc:
            out.bad_sources.append(Issue(label, "whole file", f"unreadable source: {exc}", False))


def digest(loc: Locator, item: bytes | Message, topics: TopicSearch,
           known: Container[str] | None = None) -> tuple[Locator, Message]:
    """Parse (when raw), search the topics, infer the kind, hash; then drop the body.

    This is the costly part of an ingest, and needs nothing but the message, so
    it can run in worker processes. A copy of a message already read (its
    Message-ID in `known`) stops after the header block: the duplicates of a
    production cost a header parse, not a body parse."""
    if isinstance(item, Message):
        msg = item
    else:
        envelope, raw = from_line(item) if loc.kind == "mbox" else ("", item)
        msg = parse_message(raw, known)
        msg.envelope = envelope
        if msg.copy:
            return loc, msg
    msg.found = topics.find(msg.subject, msg.body)
    if not msg.found:
        msg.quote = first_sentence(msg.body) or msg.subject
    msg.kind = infer_kind(msg.meeting, bool(msg.in_reply_to), msg.subject, msg.body)
    if not msg.message_id:
        msg.digest = msg.content_hash()
    msg.body = ""
    return loc, msg


_WORKER_TOPICS: TopicSearch | None = None


def _init_worker(topics: TopicSearch) -> None:
    global _WORKER_TOPICS
    _WORKER_TOPICS = topics


def _digest_batch(batch: list) -> list:
    return [digest(loc, item, _WORKER_TOPICS)[1] for loc, item in batch]


BATCH = 512


def digested(items: Iterator, topics: TopicSearch, workers: int,
             known: Container[str] | None = None) -> Iterator[tuple[Locator, Message]]:
    """digest() over the items, in their order; with workers > 1, in a process pool.

    The pool parses only what is worth sending: a raw message whose Message-ID was
    not seen before. A further copy (its Message-ID already sent) and an item read
    already (calendar, load file) are digested here, when their turn comes, exactly
    as in one process: by then every message before it has been added, so `known`
    is what it would be without a pool, and the output is the same byte for byte.
    A bounded number of batches is in flight, so memory stays flat."""
    if workers <= 1:
        for loc, item in items:
            yield digest(loc, item, topics, known)
        return
    import multiprocessing as mp
    from collections import deque
    from itertools import islice

    sent: set[str] = set()
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(topics,)) as pool:
        pending: deque = deque()
        while True:
            while len(pending) < workers * 3:
                batch = list(islice(items, BATCH))
                if not batch:
                    break
                remote, here = [], []
                for loc, item in batch:
                    if isinstance(item, bytes):
                        mid = first_message_id(item)
                        if mid is None or mid not in sent:
                            if mid is not None:
                                sent.add(mid)
                            remote.append((loc, item))
                            here.append(None)
                            continue
                    here.append((loc, item))
                pending.append((batch, here, pool.apply_async(_digest_batch, (remote,)) if remote else None))
            if not pending:
                break
            batch, here, job = pending.popleft()
            done = iter(job.get()) if job is not None else iter(())
            for (loc, item), mine in zip(batch, here):
                if mine is None:
                    yield loc, next(done)
                else:
                    yield digest(loc, item, topics, known)


class Builder:
    """Turns parsed messages into communications, merging copies of the same message."""

    def __init__(self, settings: Settings, out: Outcome):
        self.s, self.out = settings, out
        self.by_key: dict[str, Comm] = {}
        self.ids: set[str] = set()
        self._party_cache: dict[tuple[str, str], tuple[str, object]] = {}

    def party(self, address: str, name: str, day: date) -> str:
        d = self.s.directory
        key = (address, name)
        hit = self._party_cache.get(key)
        if hit is None:
            norm = d.normalise(address) if address else ""
            hit = self._party_cache[key] = (norm, list(d._candidates(norm, name)))
        norm, candidates = hit
        for entries in candidates:
            for e in entries:
                if e.covers(day):
                    return e.party
        self.out.unmapped[norm or f'"{name}"' or "(empty address)"] += 1
        return UNKNOWN

    def add(self, loc: Locator, msg: Message) -> None:
        out = self.out
        out.read += 1
        out.per_file[loc.source or loc.file] += 1
        problems = msg.problems
        key = msg.message_id.lower() if msg.message_id else ("h:" + msg.digest if msg.digest else "")
        first = self.by_key.get(key) if key else None
        if first is not None:  # a further copy: its location joins the first copy's evidence
            first.locators.append(loc)
            out.duplicates += 1
            # a copy is checked for its header block only (its body is the first copy's), in
            # one process or many alike
            if problems:
                raw_mail = loc.kind in ("mbox", "eml", "pst")
                pos = position(loc)
                for p in problems[:msg.head_problems] if raw_mail else problems:
                    out.problems.append(Issue(loc.file, pos, p, True))
            return
        pos = position(loc)
        problems = list(problems)
        when = msg.date
        if when is None:
            when, how = _fallback_date(msg, msg.envelope)
            if when is not None:
                problems.append(f"dated from {how}")
        fatal = next((p for p in problems if p.startswith("unreadable message")), None)
        if fatal is None and msg.sender is None and not (msg.to or msg.cc or msg.bcc) and not (msg.found or msg.quote):
            fatal = "unreadable message: no sender, recipients or text"
        if fatal is None and when is None:
            fatal = "no usable date (" + "; ".join(p for p in problems if p.startswith("bad date")) + ")"
        day = when.date() if when is not None else None
        if fatal is None and self.s.window and not (self.s.window[0] <= day <= self.s.window[1]):
            fatal = f"dated {day}, outside the case window {self.s.window[0]}..{self.s.window[1]}"
        if fatal is not None:
            out.rejected.append(Issue(loc.file, pos, fatal, False))
            return
        if not key:
            key = "h:" + msg.digest
        for p in problems:
            out.problems.append(Issue(loc.file, pos, p, True))
        sender = self.party(msg.sender.address, msg.sender.name, day) if msg.sender else UNKNOWN
        if msg.sender is None:
            out.unmapped["(no sender)"] += 1
        recips = []
        for a in (*msg.to, *msg.cc, *msg.bcc):
            p = self.party(a.address, a.name, day)
            if p not in recips:
                recips.append(p)
        if not recips:
            recips.append(UNKNOWN)
            out.unmapped["(no recipients)"] += 1
        topics = msg.found
        for t in topics:
            out.topics_used[t] += 1
        quote = "" if topics else msg.quote
        channel, kind, reason = msg.kind
        cid = comm_id(key)
        while cid in self.ids:  # a hash collision: extend deterministically
            cid = comm_id(cid + key)
        self.ids.add(cid)
        c = Comm(cid, key, day, sender, tuple(recips), topics, quote, msg.subject, msg.message_id.lower(),
                 msg.in_reply_to.lower(), tuple(r.lower() for r in msg.references), channel, kind, reason,
                 decisions=tuple(self.s.decisions.concerned(topics, day)), locators=[loc])
        if not topics and not quote:
            problems_note = "no text to quote: the evidence quotes the sender's address"
            out.problems.append(Issue(loc.file, pos, problems_note, True))
            c.quote = (msg.sender.address or msg.sender.name) if msg.sender else "(no sender)"
        self.by_key[key] = c
        out.comms.append(c)

    def thread(self) -> None:
        """responds_to from In-Reply-To (else the last References id the production holds)."""
        by_msgid = {c.message_id: c for c in self.out.comms if c.message_id}
        for c in self.out.comms:
            parent = by_msgid.get(c.in_reply_to) if c.in_reply_to else None
            if parent is None:
                parent = next((by_msgid[r] for r in reversed(c.references) if r in by_msgid), None)
            if parent is None or parent is c:
                continue
            if parent.day > c.day:
                loc = c.locators[0]
                self.out.problems.append(Issue(loc.file, position(loc),
                                               f"a reply dated {c.day} before the message it answers "
                                               f"({parent.day}); responds_to left empty", True))
                continue
            c.responds_to = (parent.id,)
            self.out.threads += 1


def run(sources: list[Path], settings: Settings, progress: Progress | None = None, workers: int = 1) -> Outcome:
    out = Outcome()
    b = Builder(settings, out)
    for loc, msg in digested(messages(sources, settings, out), settings.topics, workers, b.by_key):
        b.add(loc, msg)
        if progress is not None:
            progress.label = loc.file
            progress.step()
    b.thread()
    return out
