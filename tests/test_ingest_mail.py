"""The message parser, the mbox reader and the calendar and load-file readers, on hand-written input."""

from __future__ import annotations

import base64
from datetime import datetime
from email.utils import getaddresses, parsedate_to_datetime

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from coordgap.ingest import sources
from coordgap.ingest.calendar import read_ics
from coordgap.ingest.loadfile import read_loadfile, read_mapping
from coordgap.ingest.mail import _fast, _fast_date, addresses, html_text, parse_message, split_multipart
from coordgap.ingest.sources import from_line, open_copy, read_mbox


def test_encoded_headers_and_folded_lines():
    raw = (b"From: =?utf-8?q?Ren=C3=A9e_Lee?= <renee@example.gov>\n"
           b"To: Bob <bob@example.gov>,\n  \"Moss, Carla\" <carla@example.gov>\n"
           b"Subject: =?utf-8?b?" + base64.b64encode("Résumé of the plan".encode()) + b"?=\n"
           b"Date: Fri, 06 Apr 2018 09:30:00 -0400\nMessage-ID: <a1@x>\n\nHello.\n")
    m = parse_message(raw)
    assert m.sender.name == "Renée Lee" and m.sender.address == "renee@example.gov"
    assert [a.address for a in m.to] == ["bob@example.gov", "carla@example.gov"]
    assert m.to[1].name == "Moss, Carla"
    assert m.subject == "Résumé of the plan"
    assert m.date.isoformat() == "2018-04-06T09:30:00-04:00"
    assert m.message_id == "<a1@x>" and m.problems == []


def test_multipart_prefers_plain_and_skips_attachments():
    raw = (b"From: a@x\nTo: b@x\nDate: Mon, 2 Apr 2018 10:00:00 +0000\n"
           b'Content-Type: multipart/mixed; boundary="B1"\n\n--B1\n'
           b'Content-Type: multipart/alternative; boundary="B2"\n\n--B2\nContent-Type: text/plain\n\nPlain words.\n'
           b"--B2\nContent-Type: text/html\n\n<p>Html words.</p>\n--B2--\n"
           b'--B1\nContent-Type: application/pdf\nContent-Disposition: attachment; filename="x.pdf"\n'
           b"Content-Transfer-Encoding: base64\n\nAAAA\n--B1--\n")
    m = parse_message(raw)
    assert m.body == "Plain words." and m.attachments == 1 and m.problems == []


def test_html_only_body_is_read_as_text():
    raw = (b"From: a@x\nTo: b@x\nDate: Mon, 2 Apr 2018 10:00:00 +0000\nContent-Type: text/html; charset=utf-8\n\n"
           b"<html><style>p {color: red}</style><body><p>Bed space &amp; staffing.</p><div>Second.</div></body></html>")
    m = parse_message(raw)
    assert m.body == "Bed space & staffing.\n\nSecond."  # paragraphs stay apart
    assert html_text("<b>a</b><br>b") == "a\nb"


def test_quoted_printable_and_base64_parts():
    qp = parse_message(b"From: a@x\nTo: b@x\nDate: Mon, 2 Apr 2018 10:00:00 +0000\n"
                       b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
                       b"Caf=C3=A9 and a soft=\n break.\n")
    assert qp.body == "Café and a soft break."
    b64 = parse_message(b"From: a@x\nTo: b@x\nDate: Mon, 2 Apr 2018 10:00:00 +0000\n"
                        b"Content-Transfer-Encoding: base64\n\n" + base64.encodebytes("Détention.".encode()))
    assert b64.body == "Détention."


def test_each_kind_of_bad_content_is_a_problem_not_an_error():
    bad_date = parse_message(b"From: a@x\nTo: b@x\nDate: next Tuesday\n\nText.\n")
    assert bad_date.date is None and any(p.startswith("bad date header") for p in bad_date.problems)
    no_close = parse_message(b'From: a@x\nTo: b@x\nDate: Mon, 2 Apr 2018 10:00:00 +0000\n'
                             b'Content-Type: multipart/mixed; boundary="Q"\n\n--Q\nContent-Type: text/plain\n\nKept text.\n')
    assert no_close.body == "Kept text."
    assert any("no closing boundary" in p for p in no_close.problems)
    no_boundary = parse_message(b"From: a@x\nTo: b@x\nDate: Mon, 2 Apr 2018 10:00:00 +0000\n"
                                b"Content-Type: multipart/mixed\n\nRaw text.\n")
    assert "Raw text." in no_boundary.body and any("without a boundary" in p for p in no_boundary.problems)
    latin = parse_message(b"From: a@x\nTo: b@x\nDate: Mon, 2 Apr 2018 10:00:00 +0000\n"
                          b"Content-Type: text/plain; charset=utf-8\n\nR\xe9sum\xe9.\n")
    assert latin.body == "Résumé." and any(p.startswith("non-UTF-8 body") for p in latin.problems)
    stray = parse_message(b"From: a@x\nTo: b@x\nthis line is no header\nDate: Mon, 2 Apr 2018 10:00:00 +0000\n\nText.\n")
    assert stray.date is not None and stray.body == "Text."
    assert stray.problems == ["malformed header line 'this line is no header'"]
    garbage = parse_message(b"\x00\x01 not a message\n")
    assert any(p.startswith("unreadable message") for p in garbage.problems)


def test_forwarded_message_keeps_its_header_lines_and_text():
    raw = (b'From: a@x\nTo: b@x\nDate: Mon, 2 Apr 2018 10:00:00 +0000\nContent-Type: multipart/mixed; boundary="F"\n\n'
           b"--F\nContent-Type: text/plain\n\nSee below.\n--F\nContent-Type: message/rfc822\n\n"
           b"From: c@y\nSubject: Original\n\nOriginal words.\n--F--\n")
    m = parse_message(raw)
    assert m.body.startswith("See below.") and "Subject: Original" in m.body and m.body.endswith("Original words.")


def test_split_multipart_needs_the_boundary_at_a_line_start():
    parts, closed = split_multipart(b"--X\n\na--X inside\n--X\n\nb\n--X--\n", b"X")
    assert closed and parts == [b"\na--X inside", b"\nb"]


_name = st.text(alphabet=st.characters(codec="ascii", categories=["L", "N", "Zs"]), max_size=12)
_local = st.from_regex(r"[a-z][a-z0-9.]{0,8}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_name, _local, st.booleans()), min_size=1, max_size=4))
def test_fast_address_path_agrees_with_the_standard_library(people):
    value = ", ".join((f'"{n}, X" <{a}@ex.gov>' if q else f"{n} <{a}@ex.gov>") if n.strip() else f"{a}@ex.gov"
                      for n, a, q in people)
    fast = _fast(value)
    assert fast is not None
    assert [(x.name, x.address) for x in fast] == [(n.strip(), a) for n, a in getaddresses([value])]
    assert [(x.name, x.address) for x in addresses([value])] == [(x.name, x.address) for x in fast]


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2040, 1, 1)),
       st.integers(-12 * 60, 14 * 60), st.booleans(), st.booleans())
def test_fast_date_path_agrees_with_the_standard_library(when, minutes, weekday, seconds):
    sign = "-" if minutes < 0 else "+"
    text = (when.strftime("%a, " if weekday else "") + when.strftime("%d %b %Y %H:%M")
            + (when.strftime(":%S") if seconds else "") + f" {sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}")
    assert _fast_date(text) == parsedate_to_datetime(text)
    assert _fast_date(text).tzinfo == parsedate_to_datetime(text).tzinfo


_words = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_words, st.sampled_from(["utf-8", "iso-8859-1", "utf-16"]), st.sampled_from(["b", "q"])),
                min_size=1, max_size=3), st.sampled_from(["", "Re: ", "plain words "]))
def test_fast_encoded_words_agree_with_email_header(parts, prefix):
    from email import quoprimime
    from email.header import Header, decode_header, make_header

    from coordgap.ingest.mail import decode_words

    pieces = []
    for text, charset, enc in parts:
        try:
            text.encode(charset)
        except UnicodeEncodeError:
            continue
        if enc == "b" or charset == "utf-16":
            pieces.append(Header(text, charset).encode())
        else:
            pieces.append(quoprimime.header_encode(text.encode(charset), charset))
    if not pieces:
        return
    value = prefix + " ".join(pieces)
    try:
        expected = str(make_header(decode_header(value)))
    except (UnicodeError, ValueError, LookupError):
        return
    assert decode_words(value) == expected


def test_mbox_offsets_survive_chunk_boundaries_and_reopen_the_message(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "CHUNK", 64)
    box = tmp_path / "a.mbox"
    msgs = [f"From x@y Mon Apr  2 10:00:00 2018\nFrom: a{i}@x\nTo: b@x\nMessage-ID: <m{i}@x>\n"
            f"Date: Mon, 2 Apr 2018 10:00:00 +0000\n\nLine {i}.\n>From the archive.\n\n" for i in range(7)]
    box.write_bytes("".join(msgs).encode())
    got = list(read_mbox(box, "a.mbox"))
    assert len(got) == 7
    for i, (loc, raw) in enumerate(got):
        assert raw == msgs[i].encode()
        assert open_copy(loc, tmp_path) == raw
        envelope, body = from_line(raw)
        assert envelope.startswith("From x@y") and b"\nFrom the archive." in body  # mboxrd quoting undone
        assert parse_message(body).message_id == f"<m{i}@x>"


def test_ics_events_with_folded_lines_and_attendees(tmp_path):
    ics = tmp_path / "cal.ics"
    ics.write_bytes(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:ev1@x\r\nDTSTART;TZID=America/New_York:20180405T100000\r\n"
                    b"SUMMARY:Planning call\r\nDESCRIPTION:We discuss bed space\\, and staffing.\\nSecond line\r\n"
                    b"  continued.\r\nORGANIZER;CN=\"Lee, Ann\":mailto:ann@x.gov\r\nATTENDEE;CN=Bob:mailto:bob@x.gov\r\n"
                    b"END:VEVENT\r\nBEGIN:VEVENT\r\nUID:ev2@x\r\nDTSTART:notadate\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    (l1, e1), (l2, e2) = list(read_ics(ics, "cal.ics"))
    assert e1.meeting and e1.message_id == "<ev1@x>" and e1.date.date().isoformat() == "2018-04-05"
    assert e1.body == "We discuss bed space, and staffing.\nSecond line continued."
    assert e1.sender.address == "ann@x.gov" and e1.sender.name == "Lee, Ann" and e1.to[0].address == "bob@x.gov"
    assert l1.offset == 2 and b"UID:ev1@x" in open_copy(l1, tmp_path)
    assert e2.date is None and any(p.startswith("bad date header") for p in e2.problems)


def test_load_file_default_fields_mapping_and_dat(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "D1.txt").write_text("Detention beds are short.", encoding="utf-8")
    lf = tmp_path / "prod.csv"
    lf.write_text("BegBates,From,To,CC,DateSent,Subject,MessageID,TextPath\n"
                  "D1,Ann <ann@x.gov>,bob@x.gov; carla@x.gov,,04/06/2018 10:00 AM,Beds,<d1@x>,text/D1.txt\n"
                  "D2,ann@x.gov,bob@x.gov,,someday,No text,,text/missing.txt\n", encoding="utf-8")
    (l1, m1), (l2, m2) = list(read_loadfile(lf, "prod.csv", {}))
    assert l1.bates == "D1" and l1.row == 2 and m1.body == "Detention beds are short."
    assert [a.address for a in m1.to] == ["bob@x.gov", "carla@x.gov"] and m1.date.isoformat() == "2018-04-06T10:00:00"
    assert any(p.startswith("bad date header") for p in m2.problems)
    assert any("not found" in p for p in m2.problems)
    assert open_copy(l2, tmp_path).endswith(b"text/missing.txt\n")
    dat = tmp_path / "prod.dat"
    dat.write_text("\u00feDocNo\u00fe\x14\u00feSender\u00fe\x14\u00feRecipient\u00fe\x14\u00feSent\u00fe\n"
                   "\u00feX1\u00fe\x14\u00feann@x.gov\u00fe\x14\u00febob@x.gov\u00fe\x14\u00fe2018-04-06\u00fe\n",
                   encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text("fields: {bates: DocNo, from: Sender, to: Recipient, date: Sent}\n", encoding="utf-8")
    ((loc, m),) = list(read_loadfile(dat, "prod.dat", read_mapping(mapping)))
    assert loc.bates == "X1" and m.sender.address == "ann@x.gov" and m.date.date().isoformat() == "2018-04-06"


def test_pst_messages_are_rebuilt_from_transport_headers_and_bodies(monkeypatch):
    """The PST reader's own logic, on a stand-in for libpff (no PST file can be made here)."""
    import sys
    import types
    from datetime import datetime as dt

    from coordgap.ingest import pst

    class Msg:
        def __init__(self, ident, headers, plain=b"", html=b""):
            self.ident, self.headers, self.plain, self.html = ident, headers, plain, html

        def get_transport_headers(self): return self.headers
        def get_plain_text_body(self): return self.plain
        def get_html_body(self): return self.html
        def get_sender_name(self): return "Ann Lee"
        def get_subject(self): return "Draft"
        def get_delivery_time(self): return dt(2018, 4, 2, 10, 0)
        def get_client_submit_time(self): return None
        def get_identifier(self): return self.ident

    class Folder:
        def __init__(self, name, msgs, subs=()):
            self.name, self.msgs, self.subs = name, msgs, list(subs)

        def get_number_of_sub_messages(self): return len(self.msgs)
        def get_sub_message(self, i): return self.msgs[i]
        def get_number_of_sub_folders(self): return len(self.subs)
        def get_sub_folder(self, i): return self.subs[i]
        def get_name(self): return self.name

    inbox = Folder("Inbox", [Msg(7, "From: a@x\r\nTo: b@x\r\nMessage-ID: <p1@x>\r\nContent-Transfer-Encoding: base64\r\n"
                                    "Date: Mon, 2 Apr 2018 10:00:00 +0000", plain=b"Bed space is short.")])
    drafts = Folder("Drafts", [Msg(9, "", html=b"<p>Only <b>html</b>.</p>")])
    root = Folder("", [], [inbox, drafts])

    class File:
        def open(self, path): pass
        def get_root_folder(self): return root
        def close(self): pass

    monkeypatch.setitem(sys.modules, "pypff", types.SimpleNamespace(file=File))
    (l1, r1), (l2, r2) = list(pst.read_pst(Path("box.pst"), "box.pst"))
    assert l1.kind == "pst" and l1.ref == "folder /Inbox message 0 (id 7)" and l2.ref.startswith("folder /Drafts")
    m1, m2 = parse_message(r1), parse_message(r2)
    assert m1.message_id == "<p1@x>" and m1.body == "Bed space is short." and m1.problems == []
    assert m2.sender.name == "Ann Lee" and m2.subject == "Draft" and m2.date.day == 2 and m2.body == "Only html."


def test_progress_shows_on_a_terminal_only():
    import io

    class Tty(io.StringIO):
        def isatty(self): return True

    from coordgap.ingest.progress import Progress

    tty, pipe = Tty(), io.StringIO()
    for stream in (tty, pipe):
        bar = Progress(stream=stream)
        for _ in range(1000):
            bar.step()
        bar.done()
    assert "messages/s" in tty.getvalue() and "1,000 messages" in tty.getvalue()
    assert pipe.getvalue() == ""


def test_a_date_with_an_impossible_zone_is_a_bad_date_not_a_crash():
    """`+9900` is no time zone: timezone() refuses it, which used to escape parse_message."""
    m = parse_message(b"From: a@b.gov\nDate: Fri, 06 Apr 2018 09:30:00 +9900\nMessage-ID: <z@b.gov>\n\nhi")
    assert m.date is None
    assert m.problems == ["bad date header: 'Fri, 06 Apr 2018 09:30:00 +9900' is not an RFC 5322 date"]
