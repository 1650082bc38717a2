"""Outlook PST/OST files, through libpff-python (`pip install 'coordgap[pst]'`).

Each message's transport headers (the RFC 5322 header block Outlook keeps for
mail that came over SMTP) and its plain-text or HTML body are put back
together as a message and parsed like any other. A message without transport
headers (one written in Outlook and never sent over SMTP, or a calendar item)
gets the headers its MAPI properties give: sender name and address, the
recipients (To, Cc, Bcc from each recipient's type), subject, Internet
Message-ID, In-Reply-To and References where Outlook kept them, and the submit
or delivery time. Calendar items (appointments, meeting requests) are meetings.
Items that are not messages (contacts, distribution lists, tasks, notes,
free/busy data) are read as rejected, with what they are as the reason, so the
accounting still counts every item. The locator names the folder path and the
message's position and PST identifier, so it can be found again with any PST
viewer.

Tested on real PST files (tests/data/pst/, see its NOTICE) and on a stand-in for
libpff in tests/test_ingest_mail.py.
"""

from __future__ import annotations

from email.utils import format_datetime
from pathlib import Path
from typing import Iterator

from .sources import Locator, SourceError


def _load():
    try:
        import pypff  # type: ignore[import-not-found]
    except ImportError as exc:
        raise SourceError("reading .pst needs libpff-python: pip install 'coordgap[pst]'") from exc
    return pypff


def _bytes(value) -> bytes:
    if value is None:
        return b""
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


# MAPI property tags (MS-OXPROPS) read when a message has no transport headers
_CLASS, _SENDER_NAME, _SENDER_EMAIL, _SENDER_SMTP = 0x001A, 0x0C1A, 0x0C1F, 0x5D01
_MESSAGE_ID, _IN_REPLY_TO, _REFERENCES = 0x1035, 0x1042, 0x1039
_DISPLAY_NAME, _EMAIL, _SMTP, _RECIPIENT_TYPE = 0x3001, 0x3003, 0x39FE, 0x0C15
_HEADER_OF_TYPE = {1: "To", 2: "Cc", 3: "Bcc"}
MAIL_CLASSES = ("ipm.note", "ipm.schedule.meeting", "ipm.appointment", "report.ipm.note", "ipm.post")
MEETING_CLASSES = ("ipm.schedule.meeting", "ipm.appointment")


def _properties(item, index: int = 0) -> dict[int, object]:
    """The string and integer MAPI properties of one record set of an item (tag -> value)."""
    out: dict[int, object] = {}
    try:
        if item is None or index >= item.get_number_of_record_sets():
            return out
        rs = item.get_record_set(index)
        for j in range(rs.get_number_of_entries()):
            e = rs.get_entry(j)
            vt = e.get_value_type()
            try:
                if vt in (0x1E, 0x1F):
                    value = e.get_data_as_string()
                elif vt == 0x03:
                    value = e.get_data_as_integer()
                else:
                    continue
            except (OSError, ValueError, TypeError):
                continue
            if value is not None:
                out.setdefault(e.get_entry_type(), value)
    except (AttributeError, OSError):  # a stand-in or a damaged record set: what was read is kept
        pass
    return out


def _one_line(value: object) -> str:
    return " ".join(str(value or "").split())


def _address(name: object, address: object) -> str:
    name = _one_line(name).replace("\\", "").replace('"', "")
    return f'"{name}" <{_one_line(address)}>' if name else f"<{_one_line(address)}>"


def _mapi_headers(m, props: dict[int, object]) -> list[str]:
    """A header block from the message's MAPI properties (no transport headers were kept)."""
    sender = m.get_sender_name() or props.get(_SENDER_NAME) or ""
    lines = [f"From: {_address(sender, props.get(_SENDER_SMTP) or props.get(_SENDER_EMAIL) or '')}",
             f"Subject: {_one_line(m.get_subject())}"]
    recipients = getattr(m, "recipients", None)
    by_type: dict[str, list[str]] = {}
    count = recipients.get_number_of_record_sets() if recipients is not None else 0
    for k in range(count):
        r = _properties(recipients, k)
        address = r.get(_SMTP) or r.get(_EMAIL) or ""
        if address or r.get(_DISPLAY_NAME):
            header = _HEADER_OF_TYPE.get(r.get(_RECIPIENT_TYPE), "To")
            by_type.setdefault(header, []).append(_address(r.get(_DISPLAY_NAME), address))
    lines += [f"{h}: {', '.join(v)}" for h, v in by_type.items()]
    for tag, header in ((_MESSAGE_ID, "Message-ID"), (_IN_REPLY_TO, "In-Reply-To"), (_REFERENCES, "References")):
        if props.get(tag):
            lines.append(f"{header}: {_one_line(props[tag])}")
    when = m.get_client_submit_time() or m.get_delivery_time()
    if when is not None:
        lines.append(f"Date: {format_datetime(when)}")
    return lines


def _message_bytes(m, props: dict[int, object] | None = None) -> bytes:
    headers = (m.get_transport_headers() or "").strip()
    if headers:
        lines = headers.replace("\r\n", "\n").split("\n")
    else:
        lines = _mapi_headers(m, props if props is not None else _properties(m))
    # the body is given decoded, so the part headers that described its transfer encoding no longer apply
    kept = [h for h in lines if not h.lower().startswith(("content-type:", "content-transfer-encoding:"))]
    plain, html = _bytes(m.get_plain_text_body()), _bytes(m.get_html_body())
    ctype = "text/plain" if plain else "text/html"
    return ("\n".join(kept) + f"\nContent-Type: {ctype}; charset=utf-8\n\n").encode("utf-8") + (plain or html)


def _item(label: str, ref: str, m):
    """(locator, raw bytes) for a mail; (locator, Message) for a meeting or an item that is not mail."""
    from .mail import Message, parse_message

    loc = Locator(label, "pst", ref=ref)
    if not hasattr(m, "get_subject"):  # free/busy data and other items that are not messages
        return loc, Message(problems=[f"unreadable message: a PST item that is not a message "
                                      f"({type(m).__name__})"])
    props = _properties(m)
    cls = str(props.get(_CLASS) or "IPM.Note")
    low = cls.lower()
    if not low.startswith(MAIL_CLASSES):
        return loc, Message(subject=_one_line(m.get_subject()),
                            problems=[f"unreadable message: a PST item of class {cls}, not a message"])
    raw = _message_bytes(m, props)
    if low.startswith(MEETING_CLASSES):
        msg = parse_message(raw)
        msg.meeting = True
        return loc, msg
    return loc, raw


def read_pst(path: Path, label: str) -> Iterator[tuple[Locator, object]]:
    pypff = _load()
    f = pypff.file()
    try:
        f.open(str(path))
    except OSError as exc:
        raise SourceError(f"{label}: not a readable PST file: {exc}") from exc
    try:
        stack = [(f.get_root_folder(), "")]
        while stack:
            folder, where = stack.pop()
            for i in range(folder.get_number_of_sub_messages()):
                try:
                    m = folder.get_sub_message(i)
                except OSError as exc:  # an item libpff cannot open: listed, not lost
                    from .mail import Message

                    yield (Locator(label, "pst", ref=f"folder {where or '/'} message {i}"),
                           Message(problems=[f"unreadable message: {exc}"]))
                    continue
                ident = m.get_identifier() if hasattr(m, "get_identifier") else "?"
                yield _item(label, f"folder {where or '/'} message {i} (id {ident})", m)
            subs = [folder.get_sub_folder(i) for i in range(folder.get_number_of_sub_folders())]
            stack.extend((s, f"{where}/{s.get_name() or ''}") for s in reversed(subs))
    finally:
        f.close()
