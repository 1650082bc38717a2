"""Open the very message an ingested evidence record names, and check its quote against it.

ingest/locators.csv holds, for each evidence record, the production file
(relative to the case folder), the kind of locator and the position in it.
`coordgap validate` cannot check these quotes against a text file, since the
message text is inside mailboxes, encoded (base64, quoted-printable, HTML);
verify_quotes() does it here: each message is opened again at its locator,
decoded, and the quote must occur in its subject or text exactly as written.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .calendar import read_ics
from .loadfile import read_loadfile
from .mail import Message, parse_message
from .sources import Locator, from_line, open_copy


@dataclass(frozen=True)
class Located:
    evidence: str
    communication: str
    locator: Locator
    message_id: str


def read_locators(case_dir: Path) -> list[Located]:
    with (Path(case_dir) / "ingest" / "locators.csv").open(newline="", encoding="utf-8") as fh:
        return [Located(r["evidence"], r["communication"],
                        Locator(r["file"], r["kind"], int(r["offset"]), int(r["length"]), int(r["row"]),
                                r["bates"], r["ref"]), r["message_id"])
                for r in csv.DictReader(fh)]


def open_message(case_dir: Path, located: Located) -> Message:
    """The message at a locator, parsed again (with its body)."""
    loc, base = located.locator, Path(case_dir)
    if loc.kind in ("mbox", "eml"):
        return parse_message(from_line(open_copy(loc, base))[1])
    if loc.kind == "ics":
        for other, msg in read_ics(base / loc.file, loc.file):
            if other.offset == loc.offset:
                return msg
    if loc.kind == "loadfile":
        for other, msg in read_loadfile(base / loc.file, loc.file, {}):
            if other.row == loc.row:
                return msg
    if loc.kind == "pst":
        from .pst import read_pst

        for other, item in read_pst(base / loc.file, loc.file):
            if other.ref == loc.ref:
                return item if isinstance(item, Message) else parse_message(item)
    raise LookupError(f"{loc.describe()}: no message there")


def verify_quotes(case_dir: Path, quotes: dict[str, str]) -> list[str]:
    """Problems (empty when all is well): a locator that opens no message, another message,
    or a message whose subject and text do not hold the quote verbatim."""
    out = []
    for item in read_locators(case_dir):
        try:
            msg = open_message(case_dir, item)
        except (OSError, LookupError) as exc:
            out.append(f"{item.evidence}: {exc}")
            continue
        if msg.message_id.lower() != item.message_id:
            out.append(f"{item.evidence}: {item.locator.describe()} holds {msg.message_id!r}, not {item.message_id!r}")
        elif quotes.get(item.evidence, "") not in (msg.subject, msg.body) and quotes[item.evidence] not in msg.body:
            out.append(f"{item.evidence}: the quote is not in the message at {item.locator.describe()}")
    return out


def quotes_of(result) -> dict[str, str]:
    """evidence id -> quote, for the communications an ingest just wrote (an IngestResult)."""
    from .writer import evidence_rows

    return {eid: quote for c in result.outcome.comms for eid, _loc, quote in evidence_rows(c)}
