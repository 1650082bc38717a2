"""Parse one RFC 5322 message into the few things an ingest needs.

The standard library's `email` feed parser reads a message line by line in
Python, which caps a 200,000-message production at the speed of that loop.
Here the header block and the MIME tree are split with bytes.find, and the
standard library does the parts that must be exact: encoded words
(`email.header`), address lists and dates (`email.utils`), base64 and
quoted-printable (`binascii`). Whatever is wrong with a message is recorded as
a problem on it; the message is kept as far as its headers allow.
"""

from __future__ import annotations

import binascii
import hashlib
import html
import re
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.header import decode_header, make_header
from email.utils import getaddresses, parsedate_to_datetime

# The headers read; everything else is skipped without being decoded.
WANTED = frozenset({
    "from", "sender", "to", "cc", "bcc", "date", "subject", "message-id", "in-reply-to", "references",
    "content-type", "content-transfer-encoding", "content-disposition", "received", "x-custodian",
})
MAX_DEPTH = 12  # nested multiparts deeper than this are not a real mail client's


@dataclass(slots=True)
class Address:
    address: str  # as written (lowercased later by the directory)
    name: str


@dataclass(slots=True)
class Message:
    """One message as read: headers decoded, body as text, problems found."""

    message_id: str = ""
    date: datetime | None = None
    sender: Address | None = None
    to: list[Address] = field(default_factory=list)
    cc: list[Address] = field(default_factory=list)
    bcc: list[Address] = field(default_factory=list)
    subject: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    body: str = ""
    meeting: bool = False  # a text/calendar part (an invitation) or an .ics event
    attachments: int = 0
    received_dates: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # filled by pipeline.digest, after which the body is dropped (it is not kept in memory)
    envelope: str = ""          # the mbox "From " line
    found: dict[str, str] = field(default_factory=dict)   # topic -> verbatim sentence
    quote: str = ""             # the quote when no topic matched
    kind: tuple[str, str, str] = ("email", "notification", "")
    digest: str = ""            # content hash, for copies without a Message-ID
    copy: bool = False          # a further copy of a message already read (headers only were parsed)
    head_problems: int = 0      # how many of `problems` the header block gave (the rest: the body)

    def content_hash(self) -> str:
        """Who, when, what: the same message without a Message-ID hashes the same in every copy."""
        h = hashlib.blake2b(digest_size=12)
        parts = [
            self.sender.address.lower() if self.sender else "",
            self.date.isoformat() if self.date else "",
            " ".join(self.subject.split()),
            ",".join(sorted(a.address.lower() for a in (*self.to, *self.cc))),
            " ".join(self.body.split()),
        ]
        h.update("\x1f".join(parts).encode("utf-8", "surrogatepass"))
        return h.hexdigest()


# ------------------------------------------------------------ headers ----
_FOLD = re.compile(rb"\r?\n[ \t]+")
_MSGID = re.compile(r"<[^<>\s]+>")


def split_head(raw: bytes) -> tuple[bytes, bytes]:
    """The header block and the body (at the first empty line)."""
    cut = raw.find(b"\n\n")
    crlf = raw.find(b"\r\n\r\n")
    if crlf != -1 and (cut == -1 or crlf < cut):
        return raw[:crlf], raw[crlf + 4:]
    if cut == -1:
        return raw, b""
    return raw[:cut], raw[cut + 2:]


def _text(b: bytes) -> str:
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return b.decode("latin-1")


_FOLD_LF = re.compile(rb"\n[ \t]+")  # the same, for a block with no carriage return (most): a faster scan
_HEADER = re.compile(rb"^([!-9;-~]+)[ \t]*:[ \t]*(.*?)\r?$", re.M)
# Greedy to the end of the line, twice as fast as a lazy match up to `\r?$`; the value is stripped
# after, which removes the carriage return the lazy form left out, so the values are the same.
_HEADER_TEXT = re.compile(r"^([!-9;-~]+)[ \t]*:[ \t]*(.*)", re.M)
_ODD_LINE = re.compile(r"^(?![!-9;-~]+[ \t]*:)", re.M)  # a line that is not a header (malformed)
_MSGID_LINE = re.compile(r"^message-id[ \t]*:[ \t]*(.*)", re.M | re.I | re.A)
_DATE_LINE = re.compile(r"^date[ \t]*:[ \t]*(.*)", re.M | re.I | re.A)
_KEYS: dict[str, str | None] = {}  # a header name as written -> its lowercase name when wanted, else None


def unfold(block: bytes) -> tuple[bytes, str | None]:
    """The header block with folded lines joined, and as text when it is UTF-8 (ASCII is)."""
    unfolded = (_FOLD if b"\r" in block else _FOLD_LF).sub(b" ", block)
    try:
        return unfolded, unfolded.decode("utf-8")
    except UnicodeDecodeError:
        return unfolded, None


def parse_headers(block: bytes, problems: list[str] | None = None,
                  unfolded: tuple[bytes, str | None] | None = None) -> dict[str, list[str]]:
    """Wanted headers, unfolded, as text (repeated headers keep every value).

    The block is decoded once when it is UTF-8 (ASCII is); otherwise each value is decoded
    on its own, UTF-8 or else Latin-1, so one bad header does not garble the others.
    `unfolded`: what unfold(block) gave, when the caller has it already."""
    raw, text = unfolded if unfolded is not None else unfold(block)
    if text is not None:
        pairs = _HEADER_TEXT.findall(text)
    else:
        pairs = [(n.decode("ascii"), _text(v)) for n, v in _HEADER.findall(raw)]
    out: dict[str, list[str]] = {}
    keys = _KEYS
    for name, value in pairs:
        try:
            key = keys[name]
        except KeyError:
            if len(keys) > 10_000:
                keys.clear()
            low = name.lower()
            key = keys[name] = low if low in WANTED else None
        if key is not None:
            if key in out:
                out[key].append(value.strip())
            else:
                out[key] = [value.strip()]
    if problems is not None and raw.count(b"\n") + 1 != len(pairs):
        lines = [ln for ln in raw.split(b"\n") if ln.strip()]
        if len(lines) != len(pairs):
            for line in lines:
                if not _HEADER.match(line) and not line.startswith(b"From "):
                    problems.append(f"malformed header line {_text(line[:60])!r}")
    return out


_WORD = re.compile(r"=\?([A-Za-z0-9_\-]+)(?:\*[A-Za-z\-]+)?\?([BbQq])\?([^?\s]*)\?=")


def _fast_words(value: str) -> str:
    """RFC 2047 encoded words by a regular expression. As email.header does, white space
    between two encoded words is dropped and adjacent words of one charset are decoded
    together (senders split multi-byte characters across words). Raises on anything odd,
    for email.header to decide."""
    out: list[str] = []
    pending: list[bytes] = []
    charset, pos = "", 0
    for m in _WORD.finditer(value):
        between = value[pos:m.start()]
        cs = m.group(1).lower()
        if pending and (between.strip() or cs != charset):
            out.append(b"".join(pending).decode(charset))
            pending = []
        if between.strip() or m.start() == len(between):  # text, or what comes before the first word
            out.append(between)                           # (white space between two words is dropped)
        data, enc = m.group(3), m.group(2).upper()
        pending.append(binascii.a2b_base64(data + "=" * (-len(data) % 4)) if enc == "B"
                       else binascii.a2b_qp(data.encode("ascii"), header=True))
        charset, pos = cs, m.end()
    if pending:
        out.append(b"".join(pending).decode(charset))
    out.append(value[pos:])
    return "".join(out)


def decode_words(value: str) -> str:
    """Encoded words (=?utf-8?q?...?=) to text; as written when they are broken."""
    if "=?" not in value:
        return value
    try:
        return _fast_words(value)
    except (LookupError, UnicodeError, ValueError, binascii.Error):
        pass
    try:
        return str(make_header(decode_header(value)))
    except (LookupError, UnicodeError, ValueError, binascii.Error):
        return value


# The shapes nearly every address takes: `Name <addr>`, `"Name, X" <addr>`, `addr`. Anything
# else (comments, groups, quoted local parts, encoded words with commas) goes to email.utils.
_ONE = re.compile(r'\s*(?:"((?:[^"\\]|\\.)*)"|([^<>",;()\\]*?))\s*<([^<>\s",;()]*)>\s*$'
                  r'|\s*([^<>\s",;()]+@[^<>\s",;()]+)\s*$')
_SPLIT = re.compile(r'(?:[^,"]|"(?:[^"\\]|\\.)*")+')
_ADDR_CACHE: dict[str, list[Address]] = {}


def _fast(value: str) -> list[Address] | None:
    out = []
    for piece in _SPLIT.findall(value):
        if not piece.strip():
            continue
        m = _ONE.match(piece)
        if m is None:
            return None
        if m.group(4) is not None:
            out.append(Address(m.group(4), ""))
        else:
            name = m.group(1) if m.group(1) is not None else m.group(2)
            if m.group(1) is not None and "\\" in name:
                return None
            out.append(Address(m.group(3), decode_words(name).strip() if name else ""))
    return out


def addresses(values: list[str]) -> list[Address]:
    """Address lists of the headers given; the common shapes by a regular expression, the rest
    by email.utils.getaddresses (the same answers, checked in tests/test_ingest_mail.py)."""
    out: list[Address] = []
    for value in values:
        hit = _ADDR_CACHE.get(value)
        if hit is None:
            hit = _fast(value)
            if hit is None:
                hit = [Address(a.strip(), decode_words(n).strip()) for n, a in getaddresses([value]) if a or n]
            if len(_ADDR_CACHE) > 100_000:
                _ADDR_CACHE.clear()
            _ADDR_CACHE[value] = hit
        out.extend(hit)
    return out


_PARAMS_CACHE: dict[str, tuple[str, dict[str, str]]] = {}


def _params(value: str) -> tuple[str, dict[str, str]]:
    """A Content-Type's type and parameters (lowercase names); most values recur, so they are cached."""
    hit = _PARAMS_CACHE.get(value)
    if hit is None:
        if len(_PARAMS_CACHE) > 10_000:
            _PARAMS_CACHE.clear()
        hit = _PARAMS_CACHE[value] = _parse_params(value)
    return hit


def _parse_params(value: str) -> tuple[str, dict[str, str]]:
    head, _, rest = value.partition(";")
    params = {}
    for m in re.finditer(r'([\w\-*]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))', rest):
        params[m.group(1).lower()] = m.group(2) if m.group(2) is not None else m.group(3)
    return head.strip().lower(), params


# --------------------------------------------------------------- body ----
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.S | re.I)
_BLOCK = re.compile(r"<\s*(?:br|/p|p|/div|div|/li|li|tr|/tr|h[1-6]|/h[1-6])\b[^>]*>", re.I)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_LINES = re.compile(r"\n\s*\n+")


def html_text(markup: str) -> str:
    """The words a reader sees in an HTML body: tags out, entities decoded, paragraphs kept."""
    text = _BLOCK.sub("\n", markup)
    text = html.unescape(_TAG.sub("", text))
    text = _SPACES.sub(" ", text)
    return _LINES.sub("\n\n", "\n".join(line.strip() for line in text.split("\n"))).strip()


def _decode_payload(payload: bytes, cte: str, where: str, problems: list[str]) -> bytes:
    cte = cte.strip().lower()
    if cte == "base64":
        try:
            return binascii.a2b_base64(payload)
        except binascii.Error as exc:
            problems.append(f"broken MIME part {where}: bad base64 ({exc}); kept as written")
            return payload
    if cte == "quoted-printable":
        return binascii.a2b_qp(payload)
    return payload


def _charset_text(data: bytes, charset: str, where: str, problems: list[str]) -> str:
    charset = (charset or "us-ascii").strip().lower()
    if charset in ("us-ascii", "ascii"):
        charset = "utf-8"  # 8-bit text under an ascii label is common; utf-8 reads ascii the same
    try:
        return data.decode(charset)
    except LookupError:
        problems.append(f"non-UTF-8 body {where}: unknown charset {charset!r}; read as cp1252")
    except UnicodeDecodeError:
        problems.append(f"non-UTF-8 body {where}: not valid {charset}; read as cp1252")
    return data.decode("cp1252", "replace")


@dataclass(slots=True)
class _Body:
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attachments: int = 0
    meeting: bool = False


def _walk(headers: dict[str, list[str]], payload: bytes, where: str, body: _Body,
          problems: list[str], depth: int) -> None:
    """Collect the text parts of a MIME tree; `where` numbers the part as IMAP does (1.2.1)."""
    ctype, params = _params(headers.get("content-type", ["text/plain"])[0])
    disposition = headers.get("content-disposition", [""])[0].lower()
    label = f"part {where}" if where else "top level"
    if depth > MAX_DEPTH:
        problems.append(f"broken MIME part ({label}): nested more than {MAX_DEPTH} deep; not read")
        return
    if ctype.startswith("multipart/"):
        boundary = params.get("boundary")
        if not boundary:
            problems.append(f"broken MIME part ({label}): multipart without a boundary; read as text")
            body.plain.append(_charset_text(payload, "utf-8", where, problems))
            return
        parts, closed = split_multipart(payload, boundary.encode("latin-1", "replace"))
        if not parts:
            problems.append(f"broken MIME part ({label}): boundary {boundary!r} not found; read as text")
            body.plain.append(_charset_text(payload, "utf-8", where, problems))
            return
        if not closed:
            problems.append(f"broken MIME part ({label}): no closing boundary; parts read up to the end")
        for i, part in enumerate(parts, 1):
            head, content = split_head(part)
            _walk(parse_headers(head), content, f"{where}.{i}" if where else str(i), body, problems, depth + 1)
        return
    if ctype == "message/rfc822":
        head, content = split_head(payload)
        inner = parse_headers(head)
        body.plain.append(forward_header(inner))
        _walk(inner, content, where + ".msg", body, problems, depth + 1)
        return
    if ctype == "text/calendar":
        body.meeting = True
    if "attachment" in disposition or not ctype.startswith("text/") or ctype == "text/calendar":
        body.attachments += ctype != "text/calendar" or "attachment" in disposition
        return
    cte = headers.get("content-transfer-encoding", [""])[0]
    text = _charset_text(_decode_payload(payload, cte, f"({label})", problems),
                         params.get("charset", ""), f"({label})", problems)
    (body.html if ctype == "text/html" else body.plain).append(text)


def forward_header(headers: dict[str, list[str]]) -> str:
    """A forwarded message's own header lines, as a mail client shows them above its text."""
    lines = ["---------- Forwarded message ----------"]
    for name in ("from", "date", "subject", "to"):
        if name in headers:
            lines.append(f"{name.title()}: {decode_words(headers[name][0])}")
    return "\n".join(lines)


def split_multipart(payload: bytes, boundary: bytes) -> tuple[list[bytes], bool]:
    """The parts between `--boundary` lines, and whether the closing `--boundary--` came."""
    delim = b"--" + boundary
    parts, pos, closed = [], None, False
    start = 0
    while True:
        i = payload.find(delim, start)
        if i == -1:
            break
        if i != 0 and payload[i - 1:i] != b"\n":  # the delimiter must start a line
            start = i + len(delim)
            continue
        end = i + len(delim)
        if pos is not None:
            part = payload[pos:i]
            if part.endswith(b"\r\n"):
                part = part[:-2]
            elif part.endswith(b"\n"):
                part = part[:-1]
            parts.append(part)
        if payload[end:end + 2] == b"--":
            closed = True
            break
        nl = payload.find(b"\n", end)
        if nl == -1:
            break
        pos = nl + 1
        start = pos
    if not closed and pos is not None and pos < len(payload):
        parts.append(payload[pos:])
    return parts, closed


# ------------------------------------------------------------ message ----
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                        "nov", "dec"), 1)}
_RFC_DATE = re.compile(r"\s*(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
                       r"\s+([+-])(\d{2})(\d{2})\s*(?:\(.*\))?\s*$")


_ZONES: dict[tuple[str, str, str], timezone | None] = {}  # (sign, hours, minutes) -> the zone, made once


def _fast_date(value: str) -> datetime | None:
    """The common RFC 5322 shape (`Fri, 06 Apr 2018 09:30:00 -0400`) without email.utils' general parser."""
    m = _RFC_DATE.match(value)
    if m is None:
        return None
    month = _MONTHS.get(m.group(2).lower())
    if month is None:
        return None
    zone = m.group(7, 8, 9)
    try:
        tz = _ZONES[zone]
    except KeyError:
        offset = timedelta(hours=int(zone[1]), minutes=int(zone[2]))
        if offset >= timedelta(hours=24):  # not a zone (timezone() refuses it): the general parser decides
            return None
        # -0000 is "time zone unknown" (RFC 5322 3.3): a naive time, as email.utils reads it
        tz = _ZONES[zone] = None if (zone[0] == "-" and not offset) else timezone(-offset if zone[0] == "-"
                                                                                 else offset)
    try:
        return datetime(int(m.group(3)), month, int(m.group(1)), int(m.group(4)), int(m.group(5)),
                        int(m.group(6) or 0), tzinfo=tz)
    except ValueError:
        return None


def _date(values: list[str], problems: list[str]) -> datetime | None:
    if not values:
        problems.append("bad date header: no Date header")
        return None
    fast = _fast_date(values[0])
    if fast is not None:
        return fast
    try:
        return parsedate_to_datetime(values[0])
    except (TypeError, ValueError, IndexError, OverflowError):
        problems.append(f"bad date header: {values[0][:60]!r} is not an RFC 5322 date")
        return None


def message_ids(value: str) -> list[str]:
    return _MSGID.findall(value)


def first_message_id(raw: bytes) -> str | None:
    """The lowercased Message-ID of a raw message (after its mbox From line, if any), found
    cheaply; None when it is not found this way (no such header, a header block that is not
    UTF-8). Used to send only first copies to a pool; parse_message decides what a message is."""
    if raw.startswith(b"From "):
        raw = raw[raw.find(b"\n") + 1:]
    head = split_head(raw)[0]
    if b"essage-" not in head and b"ESSAGE-" not in head:
        return None
    text = unfold(head)[1]
    m = _MSGID_LINE.search(text) if text is not None else None
    ids = message_ids(m.group(1)) if m else ()
    return ids[0].lower() if ids else None


def parse_message(raw: bytes, known: Container[str] | None = None) -> Message:
    """Read one message; never raises on bad content (the problems say what was wrong).

    A message whose (lowercased) Message-ID is in `known` is a further copy of one
    already read: only its header block is checked, and `copy` is set."""
    msg = Message()
    problems = msg.problems
    head, payload = split_head(raw)
    unfolded = unfold(head)
    text = unfolded[1]
    if known is not None and text is not None:
        # A further copy is found from two header lines, without the whole block. Only a block
        # of well-formed header lines (nearly all) takes this path, so its problems can only be
        # the date's, as parse_headers would find them.
        m = _MSGID_LINE.search(text)
        ids = message_ids(m.group(1)) if m else ()
        if ids and ids[0].lower() in known and _ODD_LINE.search(text) is None:
            msg.message_id = ids[0]
            d = _DATE_LINE.search(text)
            msg.date = _date([d.group(1).strip()] if d else [], problems)
            msg.head_problems = len(problems)
            msg.copy = True
            return msg
    headers = parse_headers(head, problems, unfolded)
    if not headers:
        problems.append("unreadable message: no headers")
        return msg
    ids = message_ids(headers.get("message-id", [""])[0])
    msg.message_id = ids[0] if ids else ""
    msg.date = _date(headers.get("date", []), problems)
    msg.head_problems = len(problems)
    if known is not None and msg.message_id and msg.message_id.lower() in known:
        msg.copy = True
        return msg
    msg.received_dates = [r.rpartition(";")[2].strip() for r in headers.get("received", []) if ";" in r]
    senders = addresses(headers.get("from", []) or headers.get("sender", []))
    msg.sender = senders[0] if senders else None
    msg.to = addresses(headers.get("to", []))
    msg.cc = addresses(headers.get("cc", []))
    msg.bcc = addresses(headers.get("bcc", []))
    msg.subject = " ".join(decode_words(headers.get("subject", [""])[0]).split())
    irt = message_ids(headers.get("in-reply-to", [""])[0])
    msg.in_reply_to = irt[0] if irt else ""
    msg.references = message_ids(" ".join(headers.get("references", [])))
    body = _Body()
    _walk(headers, payload, "", body, problems, 0)
    texts = body.plain if body.plain else [html_text(h) for h in body.html]
    msg.body = "\n\n".join(t.strip() for t in texts if t.strip())
    msg.meeting = body.meeting
    msg.attachments = body.attachments
    return msg
