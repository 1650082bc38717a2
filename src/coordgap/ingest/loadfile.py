"""E-discovery load files: one row of metadata per document, its text in a file.

A load file is a CSV (or a Concordance .dat: fields split by \\x14 and quoted
with þ). A mapping file (YAML) names the columns; without one, the common
field names below are tried in order. The text is read from the file the text
column names (relative to the load file), or from the column itself when it is
not a path.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import Iterator

import yaml

from .mail import Message, addresses, message_ids
from .sources import Locator, SourceError

# our field -> column names tried, first found wins (case-insensitive)
DEFAULT_FIELDS: dict[str, list[str]] = {
    "bates": ["BegBates", "BatesBeg", "BegDoc", "ProdBeg", "Bates", "DocID", "BEGBATES"],
    "from": ["From", "EmailFrom", "Email_From", "Author"],
    "to": ["To", "EmailTo", "Email_To", "Recipients"],
    "cc": ["CC", "EmailCC", "Email_CC"],
    "bcc": ["BCC", "EmailBCC", "Email_BCC"],
    "date": ["DateSent", "SentDate", "Date_Sent", "DateTimeSent", "Sent", "Date", "DateCreated"],
    "subject": ["Subject", "EmailSubject", "Email_Subject", "Title"],
    "message_id": ["MessageID", "Message-ID", "Message_ID", "MessageId", "InternetMessageID"],
    "in_reply_to": ["InReplyTo", "In-Reply-To", "In_Reply_To"],
    "references": ["References"],
    "text": ["TextPath", "ExtractedText", "TextLink", "Text_Path", "ExtractedTextPath", "Text"],
}
DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
                "%m/%d/%Y", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p",
                "%m/%d/%Y %I:%M:%S %p", "%Y%m%d")


def read_mapping(path: Path | None) -> dict:
    """The mapping file: {fields: {from: ColumnName, ...}, delimiter:, quotechar:, encoding:}."""
    if path is None:
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: cannot read the load-file mapping: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("fields", {}), dict):
        raise SourceError(f"{path}: a mapping file is a mapping with a `fields` mapping (our field: column)")
    unknown = set(data.get("fields", {})) - set(DEFAULT_FIELDS)
    if unknown:
        raise SourceError(f"{path}: unknown field(s) {sorted(unknown)}; known: {sorted(DEFAULT_FIELDS)}")
    return data


def _dialect(path: Path, mapping: dict) -> dict:
    dat = path.suffix.lower() == ".dat"
    return {
        "delimiter": mapping.get("delimiter", "\x14" if dat else ("\t" if path.suffix.lower() == ".tsv" else ",")),
        "quotechar": mapping.get("quotechar", "\u00fe" if dat else '"'),
    }


def _columns(header: list[str], mapping: dict, label: str) -> dict[str, int]:
    lower = {h.strip().lower(): i for i, h in enumerate(header)}
    out = {}
    for fld, names in DEFAULT_FIELDS.items():
        given = mapping.get("fields", {}).get(fld)
        if given is not None:
            if given.strip().lower() not in lower:
                raise SourceError(f"{label}: the mapping names column {given!r} for {fld}, which the header lacks")
            out[fld] = lower[given.strip().lower()]
            continue
        for name in names:
            if name.lower() in lower:
                out[fld] = lower[name.lower()]
                break
    if "from" not in out:
        raise SourceError(f"{label}: no sender column (tried {DEFAULT_FIELDS['from']}); name it in a mapping file")
    return out


_last_format: list[str] = []


def parse_date(value: str) -> datetime | None:
    from email.utils import parsedate_to_datetime

    v = value.strip()
    # a load file writes every date the same way: the format that read the last one is tried first
    for fmt in (_last_format[0], *DATE_FORMATS) if _last_format else DATE_FORMATS:
        try:
            parsed = datetime.strptime(v, fmt)
        except ValueError:
            continue
        _last_format[:] = [fmt]
        return parsed
    try:
        return datetime.fromisoformat(v)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(v)
    except (TypeError, ValueError, IndexError):
        return None


def _split_people(value: str) -> list[str]:
    return [value.replace(";", ",")] if value.strip() else []


def read_loadfile(path: Path, label: str, mapping: dict) -> Iterator[tuple[Locator, Message]]:
    encoding = mapping.get("encoding", "utf-8-sig")
    with path.open(newline="", encoding=encoding, errors="replace") as fh:
        reader = csv.reader(fh, **_dialect(path, mapping))
        header = next(reader, None)
        if not header:
            raise SourceError(f"{label}: empty load file (a header row is required)")
        cols = _columns(header, mapping, label)
        line = reader.line_num + 1
        for row in reader:
            if not row:
                line = reader.line_num + 1
                continue
            msg = Message()
            get = (lambda f: row[cols[f]].strip() if f in cols and cols[f] < len(row) else "")
            if len(row) != len(header):
                msg.problems.append(f"row has {len(row)} fields, the header has {len(header)}")
            loc = Locator(label, "loadfile", row=line, bates=get("bates"))
            senders = addresses(_split_people(get("from")))
            msg.sender = senders[0] if senders else None
            msg.to = addresses(_split_people(get("to")))
            msg.cc = addresses(_split_people(get("cc")))
            msg.bcc = addresses(_split_people(get("bcc")))
            msg.subject = " ".join(get("subject").split())
            ids = message_ids(get("message_id"))
            msg.message_id = ids[0] if ids else (f"<{get('message_id')}>" if get("message_id") else "")
            irt = message_ids(get("in_reply_to"))
            msg.in_reply_to = irt[0] if irt else ""
            msg.references = message_ids(get("references"))
            raw_date = get("date")
            msg.date = parse_date(raw_date) if raw_date else None
            if msg.date is None:
                msg.problems.append(f"bad date header: {raw_date[:40]!r} is not a date" if raw_date
                                    else "bad date header: no date in the row")
            msg.body = _text(path.parent, get("text"), msg.problems)
            yield loc, msg
            line = reader.line_num + 1


def _text(folder: Path, value: str, problems: list[str]) -> str:
    if not value:
        return ""
    candidate = (folder / value.replace("\\", "/"))
    if len(value) < 400 and "\n" not in value and candidate.suffix.lower() in (".txt", ".text", ""):
        if candidate.is_file():
            data = candidate.read_bytes()
            try:
                return data.decode("utf-8-sig")
            except UnicodeDecodeError:
                problems.append(f"non-UTF-8 body: text file {value} read as cp1252")
                return data.decode("cp1252", "replace")
        if candidate.suffix:
            problems.append(f"broken MIME part: text file {value} not found")
            return ""
    return value


def row_bytes(path: Path, line: int) -> bytes:
    """The load file's header and the row that starts at a line (what its locator opens)."""
    data = path.read_bytes().splitlines(keepends=True)
    return data[0] + (data[line - 1] if 0 < line <= len(data) else b"")
