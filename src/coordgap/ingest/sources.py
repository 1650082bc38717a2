"""Where messages come from: mbox files, folders of .eml files, .ics calendars,
load files (ingest/loadfile.py) and PST (ingest/pst.py).

Each reader yields (Locator, raw message bytes) or (Locator, Message) one at a
time, so a production of any size is read in constant memory. The locator is
what the evidence names: the file and where in it the message lies.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

CHUNK = 8 << 20  # bytes read from an mbox at a time


@dataclass(slots=True, frozen=True)
class Locator:
    """Where one copy of a message is: enough to open it again."""

    file: str           # the production file as given (or its folder-relative path for .eml)
    kind: str           # mbox | eml | ics | loadfile | pst
    offset: int = -1    # mbox: byte offset of the "From " line; ics: line of BEGIN:VEVENT
    length: int = -1    # mbox: bytes to the next message
    row: int = -1       # load file: line of the row
    bates: str = ""     # load file: the Bates number
    ref: str = ""       # pst: folder path and message index; ics: UID
    source: str = ""    # the SOURCE argument it came from, when not `file` itself (a folder of .eml)

    def describe(self) -> str:
        """The locator in words, as the evidence record's section."""
        if self.kind == "mbox":
            return f"{self.file}, mbox byte offset {self.offset} (length {self.length})"
        if self.kind == "eml":
            return f"{self.file}"
        if self.kind == "ics":
            return f"{self.file}, line {self.offset}, event UID {self.ref}"
        if self.kind == "loadfile":
            return f"{self.file}, row {self.row}" + (f", Bates {self.bates}" if self.bates else "")
        return f"{self.file}, {self.ref}"


class SourceError(Exception):
    """A source that cannot be read at all (the ingest report lists it)."""


def kind_of(path: Path) -> str:
    """What a SOURCE argument is, from its name and, for files, its first bytes."""
    if path.is_dir():
        return "eml-folder"
    suffix = path.suffix.lower()
    if suffix == ".ics":
        return "ics"
    if suffix in (".csv", ".dat", ".tsv"):
        return "loadfile"
    if suffix == ".pst" or suffix == ".ost":
        return "pst"
    if suffix == ".eml":
        return "eml"
    with path.open("rb") as fh:
        head = fh.read(5)
    if head == b"From ":
        return "mbox"
    if suffix in (".mbox", ".mbx", ""):
        return "mbox"
    raise SourceError(f"{path}: not a mailbox, .eml, .ics, load file (.csv/.dat) or .pst")


_QUOTED_FROM = re.compile(rb"\n>(>*From )")


def unquote_mboxrd(raw: bytes) -> bytes:
    """Body lines the mbox writer quoted (">From ") back to what the sender wrote."""
    return _QUOTED_FROM.sub(rb"\n\1", raw) if b"\n>" in raw else raw


def read_mbox(path: Path, label: str) -> Iterator[tuple[Locator, bytes]]:
    """Each message of an mbox with its byte offset; the file is read in chunks, never whole.

    A message starts at a line beginning "From " (the mbox separator). Bytes
    before the first separator are yielded too, so they are reported, not lost.
    """
    with path.open("rb") as fh:
        buf = fh.read(CHUNK)
        base, start, scan = 0, 0, 0
        while buf:
            j = buf.find(b"\nFrom ", scan)
            if j == -1:
                more = fh.read(CHUNK)
                if not more:
                    break
                kept = len(buf) - start
                buf = buf[start:] + more
                base += start
                start, scan = 0, max(0, kept - 6)
                continue
            end = j + 1
            if end > start:
                yield Locator(label, "mbox", base + start, end - start), buf[start:end]
            start = scan = end
        if len(buf) > start:
            yield Locator(label, "mbox", base + start, len(buf) - start), buf[start:]


def from_line(raw: bytes) -> tuple[str, bytes]:
    """The mbox "From " line (its date is a fallback) and the message after it."""
    if not raw.startswith(b"From "):
        return "", raw
    nl = raw.find(b"\n")
    if nl == -1:
        return raw.decode("latin-1"), b""
    return raw[:nl].decode("latin-1").rstrip("\r"), unquote_mboxrd(raw[nl + 1:])


def read_eml_folder(folder: Path, label: str) -> Iterator[tuple[Locator, bytes]]:
    """Every .eml file under a folder, in name order (so two runs read alike)."""
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith(".eml"):
                p = Path(root) / name
                yield Locator(str(Path(label) / p.relative_to(folder)), "eml", source=label), p.read_bytes()


def read_eml(path: Path, label: str) -> Iterator[tuple[Locator, bytes]]:
    yield Locator(label, "eml"), path.read_bytes()


def open_copy(loc: Locator, base: Path = Path(".")) -> bytes:
    """The raw bytes of the copy a locator names (what a reader of the evidence opens)."""
    path = base / loc.file
    if loc.kind == "mbox":
        with path.open("rb") as fh:
            fh.seek(loc.offset)
            return fh.read(loc.length)
    if loc.kind == "eml":
        return path.read_bytes()
    if loc.kind == "loadfile":
        from .loadfile import row_bytes

        return row_bytes(path, loc.row)
    if loc.kind == "ics":
        from .calendar import event_bytes

        return event_bytes(path, loc.offset)
    raise SourceError(f"cannot reopen a {loc.kind} locator without its reader")
