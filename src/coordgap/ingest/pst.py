"""Outlook PST/OST files, through libpff-python (`pip install 'coordgap[pst]'`).

Each message's transport headers (the RFC 5322 header block Outlook keeps for
mail that came over SMTP) and its plain-text or HTML body are put back
together as a message and parsed like any other. A message without transport
headers (one written in Outlook and never sent over SMTP) gets the headers
the PST itself holds: sender name, subject, delivery time. The locator names
the folder path and the message's position and PST identifier, so it can be
found again with any PST viewer.

No PST file could be made here to test against (no tool on this machine
writes one), so this reader is covered only by the import check in the tests;
docs/ingesting.md says so.
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


def _message_bytes(m) -> bytes:
    headers = (m.get_transport_headers() or "").strip()
    if not headers:
        # the PST gives the sender's name only: a display name with no address, for the directory
        name = (m.get_sender_name() or "").replace("\\", "").replace('"', "")
        lines = [f'From: "{name}" <>', f"Subject: {m.get_subject() or ''}"]
        when = m.get_delivery_time() or m.get_client_submit_time()
        if when is not None:
            lines.append(f"Date: {format_datetime(when)}")
        headers = "\n".join(lines)
    # the body is given decoded, so the part headers that described its transfer encoding no longer apply
    kept = [h for h in headers.replace("\r\n", "\n").split("\n")
            if not h.lower().startswith(("content-type:", "content-transfer-encoding:"))]
    plain, html = _bytes(m.get_plain_text_body()), _bytes(m.get_html_body())
    ctype = "text/plain" if plain else "text/html"
    return ("\n".join(kept) + f"\nContent-Type: {ctype}; charset=utf-8\n\n").encode("utf-8") + (plain or html)


def read_pst(path: Path, label: str) -> Iterator[tuple[Locator, bytes]]:
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
                m = folder.get_sub_message(i)
                ref = f"folder {where or '/'} message {i} (id {m.get_identifier()})"
                yield Locator(label, "pst", ref=ref), _message_bytes(m)
            subs = [folder.get_sub_folder(i) for i in range(folder.get_number_of_sub_folders())]
            stack.extend((s, f"{where}/{s.get_name() or ''}") for s in reversed(subs))
    finally:
        f.close()
