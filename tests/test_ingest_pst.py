"""The PST reader on real Outlook files (tests/data/pst/, see its NOTICE), through libpff-python.

Skipped when libpff-python (`coordgap[pst]`) is not installed.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("pypff")

from coordgap import load_case  # noqa: E402
from coordgap.ingest import ingest  # noqa: E402
from coordgap.ingest.locate import quotes_of, verify_quotes  # noqa: E402
from coordgap.ingest.mail import Message, parse_message  # noqa: E402
from coordgap.ingest.pst import read_pst  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "pst"


def _read(name: str) -> list[tuple[object, Message]]:
    return [(loc, item if isinstance(item, Message) else parse_message(item))
            for loc, item in read_pst(DATA / name, name)]


def test_a_mail_without_transport_headers_keeps_its_200_recipients():
    ((loc, m),) = _read("200-recipients.pst")
    assert loc.kind == "pst" and loc.ref.endswith("message 0 (id 2097188)")
    assert m.subject == "200 recipients" and m.problems == [] and not m.meeting
    assert len(m.to) == 200 and len({a.address for a in m.to}) == 200
    assert m.to[0].address == "xmailuser1@xmailserver.test" and m.to[-1].address == "xmailuser200@xmailserver.test"
    assert m.date.isoformat().startswith("2021-11-23T00:24:09")


def test_items_that_are_not_mail_are_listed_not_lost():
    items = _read("dist-list.pst")
    assert [loc.ref.split(" (id")[0] for loc, _ in items] == [
        "folder /Top of Personal Folders/Calendar message 0",
        "folder /Top of Personal Folders/Contacts message 0",
        "folder /Top of Personal Folders/Contacts message 1",
        "folder /Freebusy Data message 0",
    ]
    meeting, *others = [m for _, m in items]
    assert meeting.meeting and meeting.subject == "Test appointment" and meeting.body == "This is a complete test"
    assert [m.problems for m in others] == [
        ["unreadable message: a PST item of class IPM.DistList, not a message"],
        ["unreadable message: a PST item of class IPM.Contact, not a message"],
        ["unreadable message: a PST item that is not a message (item)"],
    ]


def test_a_pst_ingests_into_a_case_whose_locators_reopen_each_message(tmp_path):
    prod = tmp_path / "prod"
    prod.mkdir()
    for f in DATA.glob("*.pst"):
        shutil.copy(f, prod / f.name)
    directory = tmp_path / "directory.csv"
    directory.write_text("address,party\n@xmailserver.test,xmail\nUnknown,outlook-user\n", encoding="utf-8")
    case_dir = tmp_path / "case"
    result = ingest(sorted(prod.glob("*.pst")), directory, case_dir, fmt="csv", progress=False)
    acc = result.summary
    assert (acc["messages_read"], acc["communications"], acc["rejected"], acc["balanced"]) == (5, 2, 3, True)
    report = json.loads((case_dir / "ingest" / "report.json").read_text(encoding="utf-8"))
    assert sorted(r["reason"].split(": ", 1)[1] for r in report["rejected"]) == [
        "a PST item of class IPM.Contact, not a message", "a PST item of class IPM.DistList, not a message",
        "a PST item that is not a message (item)"]
    comms = {r["summary"].split('"')[1]: r for r in
             csv.DictReader((case_dir / "communications" / "ingest.csv").open(encoding="utf-8"))}
    assert comms["200 recipients"]["recipients"] == "xmail" and comms["200 recipients"]["kind"] == "notification"
    assert comms["Test appointment"]["channel"] == "meeting" and comms["Test appointment"]["sender"] == "outlook-user"
    assert verify_quotes(case_dir, quotes_of(result)) == []
    assert len(load_case(case_dir).communications) == 2
