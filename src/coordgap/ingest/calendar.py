"""Calendar exports (.ics, RFC 5545): each VEVENT becomes a meeting.

A small reader of our own rather than the `icalendar` package: an ingest needs
six properties of each event (UID, DTSTART, SUMMARY, DESCRIPTION, ORGANIZER,
ATTENDEE), read line by line so a large calendar streams, and the line of
each event for its locator. The same event in several custodians' calendars
shares its UID, so it is merged as one communication.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterator

from .mail import Address, Message
from .sources import Locator

_PARAM = re.compile(r';([A-Za-z-]+)=("[^"]*"|[^;:]*)')


def _unescape(value: str) -> str:
    return (value.replace("\\n", "\n").replace("\\N", "\n").replace("\\,", ",")
            .replace("\\;", ";").replace("\\\\", "\\"))


def _split(line: str) -> tuple[str, dict[str, str], str]:
    """NAME;PARAM=x:value -> (NAME, {PARAM: x}, value); the value starts at the first colon outside quotes."""
    in_quote, cut = False, -1
    for i, ch in enumerate(line):
        if ch == '"':
            in_quote = not in_quote
        elif ch == ":" and not in_quote:
            cut = i
            break
    if cut == -1:
        return line.upper(), {}, ""
    head, value = line[:cut], line[cut + 1:]
    name, _, _ = head.partition(";")
    params = {k.upper(): v.strip('"') for k, v in _PARAM.findall(head[len(name):])}
    return name.upper(), params, value


def parse_dt(value: str) -> datetime | None:
    """DTSTART values: 20180406T100000Z, 20180406T100000 (floating or TZID: local time kept), 20180406."""
    v = value.strip()
    try:
        if len(v) == 8:
            return datetime.combine(date(int(v[:4]), int(v[4:6]), int(v[6:8])), datetime.min.time())
        dt = datetime.strptime(v[:15], "%Y%m%dT%H%M%S")
        return dt.replace(tzinfo=timezone.utc) if v.endswith("Z") else dt
    except ValueError:
        return None


def _person(value: str, params: dict[str, str]) -> Address:
    addr = value[7:] if value.lower().startswith("mailto:") else value
    return Address(addr.strip(), params.get("CN", "").strip())


def _unfolded(path: Path) -> Iterator[tuple[int, str]]:
    """Content lines with their first line number, folded continuations joined."""
    cur, cur_line = None, 0
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                line = raw.decode("cp1252", "replace")
            line = line.rstrip("\r\n")
            if line[:1] in (" ", "\t") and cur is not None:
                cur += line[1:]
                continue
            if cur is not None:
                yield cur_line, cur
            cur, cur_line = line, n
    if cur is not None:
        yield cur_line, cur


def read_ics(path: Path, label: str) -> Iterator[tuple[Locator, Message]]:
    """Each VEVENT as a meeting Message (problems recorded on it, never raised)."""
    event: Message | None = None
    start_line, uid = 0, ""
    for n, line in _unfolded(path):
        if not line:
            continue
        name, params, value = _split(line)
        if name == "BEGIN" and value.upper() == "VEVENT":
            event, start_line, uid = Message(meeting=True), n, ""
            continue
        if event is None:
            continue
        if name == "END" and value.upper() == "VEVENT":
            if not uid:
                event.problems.append("event without a UID")
            if event.date is None and not any(p.startswith("bad date") for p in event.problems):
                event.problems.append("bad date header: event without DTSTART")
            yield Locator(label, "ics", offset=start_line, ref=uid), event
            event = None
        elif name == "UID":
            uid = value.strip()
            event.message_id = f"<{uid}>"
        elif name == "DTSTART":
            event.date = parse_dt(value)
            if event.date is None:
                event.problems.append(f"bad date header: DTSTART {value[:40]!r} is not a date")
        elif name == "SUMMARY":
            event.subject = " ".join(_unescape(value).split())
        elif name == "DESCRIPTION":
            event.body = _unescape(value)
        elif name == "ORGANIZER":
            event.sender = _person(value, params)
        elif name == "ATTENDEE":
            event.to.append(_person(value, params))
    if event is not None:
        event.problems.append("unreadable message: event not closed by END:VEVENT")
        yield Locator(label, "ics", offset=start_line, ref=uid), event


def event_bytes(path: Path, line: int) -> bytes:
    """The raw lines of the event that starts at a line (what its locator opens)."""
    out = []
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, 1):
            if n >= line:
                out.append(raw)
                if raw.strip().upper() == b"END:VEVENT":
                    break
    return b"".join(out)
