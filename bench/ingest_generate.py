"""Write a synthetic record production, with the ground truth of who wrote to whom about what.

    python bench/ingest_generate.py OUT --messages 200000 [--seed 0]

OUT gets:

  case/            a base case: organisations, people, three decisions with impacts
  directory.csv    addresses, domains, display names and an X500 string to parties
  topics.yaml      search terms per topic
  production/      custodian-*.mbox (most messages), eml/ (a folder of .eml),
                   calendar.ics (meetings), loadfile/ (a Concordance-style CSV + text files)
  truth.csv        one row per distinct message: key, sender, recipients, topics,
                   parent (the key it answers), copies, fate (kept|rejected), malformed

The production is realistic where an ingest can go wrong: multipart/alternative
and HTML-only bodies, base64 and quoted-printable parts, RFC 2047 encoded
subjects and names, attachments, forwards (message/rfc822), replies with
In-Reply-To and References, meeting invitations, plus-addressing, an Exchange
X500 sender, a person who changes office, unmapped outside senders, the same
message in several custodians' mailboxes, and a few malformed messages of each
kind (bad date, broken MIME, non-UTF-8 body, unreadable, undatable).

`--messages` counts messages as the ingest reads them (every copy). Also used by
tests/test_ingest*.py on small productions (the same generator, a few hundred messages).
"""

from __future__ import annotations

import argparse
import base64
import csv
import random
from datetime import datetime, timedelta, timezone
from email.header import Header
from email.utils import format_datetime
from pathlib import Path

AGENCIES = ["justice", "marshals", "health", "homeland", "courts", "treasury"]
COMPONENTS = ["legal", "ops", "field", "budget"]
FIRST = ["ann", "bob", "carla", "dev", "emma", "femi", "gita", "hugo", "ines", "jon", "kai", "lena",
         "mark", "nia", "omar", "petra", "quinn", "rosa", "sam", "tara", "umar", "vera", "will", "yara"]
LAST = ["lee", "moss", "nolan", "ortiz", "park", "quade", "reyes", "shaw", "tran", "umber", "vance", "wolfe"]
TOPICS = {
    "detention-capacity": ["detention capacity", "bed space", "detention beds"],
    "prosecution-workload": ["prosecution workload", "criminal referrals", "caseload per attorney"],
    "child-custody": ["custody of children", "separated children", "shelter placement"],
    "court-calendar": ["court calendar", "magistrate docket"],
    "budget": ["supplemental funding", "budget shortfall"],
}
# A sentence per topic, each carrying one of its terms (the generator records which topic it put in).
TOPIC_SENTENCES = {
    "detention-capacity": ["The new policy will strain detention capacity in the southern district.",
                           "We have no bed space left for new defendants this month.",
                           "Please plan for extra detention beds before the change."],
    "prosecution-workload": ["Our prosecution workload will double under this plan.",
                             "Criminal referrals from the border are expected to rise sharply.",
                             "The caseload per attorney is already above the target."],
    "child-custody": ["The custody of children whose parents are prosecuted needs a plan.",
                      "Separated children must be placed within three days.",
                      "Shelter placement is the responsibility of the health agency."],
    "court-calendar": ["The court calendar cannot absorb these hearings without notice.",
                       "The magistrate docket will need more slots."],
    "budget": ["A supplemental funding request will follow.", "We face a budget shortfall if this goes ahead."],
}
FILLER = ["Thanks for the note.", "I am forwarding the latest draft for your files.",
          "The meeting moved to the afternoon.", "Attached is the schedule we discussed.",
          "I will be out of the office on Friday.", "Let us keep this on the agenda for next week.",
          "The numbers in the table are from the last quarter.", "Copying the team for awareness."]
ASKS = ["Could we have your views on the draft by Monday?", "Please advise on the timing."]
START = datetime(2018, 1, 2, 8, 0, tzinfo=timezone(timedelta(hours=-5)))
DAYS = 330
MALFORMED = ["bad-date", "broken-mime", "non-utf8", "unreadable", "undatable", "reply-before-parent"]


def people(rng: random.Random) -> list[dict]:
    out, seen = [], set()
    for ag in AGENCIES:
        for comp in COMPONENTS:
            for _ in range(8):
                while True:
                    f, last = rng.choice(FIRST), rng.choice(LAST)
                    if (f, last) not in seen:
                        break
                seen.add((f, last))
                out.append({"id": f"p-{f}-{last}", "first": f, "last": last, "org": f"{ag}-{comp}",
                            "address": f"{f}.{last}@{ag}.gov", "name": f"{f.title()} {last.title()}"})
    return out


def write_case(folder: Path, staff: list[dict], mover: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "source.md").write_text("# Synthetic production\n\nA generated record for the ingest benchmark.\n",
                                      encoding="utf-8")
    topics = "\n".join(f"  - {{id: {t}, description: {t.replace('-', ' ').title()}.}}" for t in TOPICS)
    (folder / "case.yaml").write_text(
        "id: synthetic-production\ntitle: Synthetic production (ingest benchmark)\n"
        "summary: A generated case whose communications come from a generated production.\n"
        "window: {start: 2017-06-01, end: 2019-06-30}\n"
        "sources:\n  - {id: synthetic, title: Synthetic production notes, path: source.md}\n"
        f"topics:\n{topics}\n", encoding="utf-8")
    with (folder / "stakeholders.csv").open("w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "name", "parent", "kind", "branch", "evidence"])
        for ag in AGENCIES:
            w.writerow([ag, f"Agency of {ag.title()}", "", "court" if ag == "courts" else "agency",
                        "judicial" if ag == "courts" else "executive", ""])
            for comp in COMPONENTS:
                w.writerow([f"{ag}-{comp}", f"{ag.title()} {comp.title()} Office", ag, "component",
                            "judicial" if ag == "courts" else "executive", ""])
    with (folder / "actors.csv").open("w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "name", "title", "organisation", "tenure_start", "tenure_end", "evidence"])
        for p in staff:
            if p is mover:
                w.writerow([p["id"] + "-a", p["name"], "Counsel", p["org"], "", "2018-06-30", ""])
                w.writerow([p["id"] + "-b", p["name"], "Counsel", mover["new_org"], "2018-07-01", "", ""])
            else:
                w.writerow([p["id"], p["name"], "Staff", p["org"], "", "", ""])
    decisions = [
        ("d-referrals", "2018-04-06", "justice-legal", ["marshals-ops", "courts-field", "justice-field"],
         ["detention-capacity", "court-calendar", "prosecution-workload"]),
        ("d-separations", "2018-05-04", "homeland-ops", ["health-ops", "marshals-field"],
         ["child-custody", "detention-capacity"]),
        ("d-funding", "2018-09-14", "treasury-budget", ["justice-budget", "health-budget"], ["budget"]),
    ]
    lines = ["decisions:"]
    for did, day, by, stakeholders, topics_ in decisions:
        lines += [f"  - id: {did}", f"    title: Decision {did}", f"    date: {day}", f"    decided_by: {by}",
                  "    summary: A generated decision.", "    impacts:"]
        for s in stakeholders:
            for t in topics_:
                lines += [f"      - {{id: {did}.{s}.{t}, stakeholder: {s}, topic: {t}, description: Generated., "
                          "evidence: [e-generated]}"]
    (folder / "decisions.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # an impact needs evidence (docs/data-model.md): one quote of source.md backs every generated impact
    # (a part of the evidence table, beside the part `coordgap ingest` writes)
    (folder / "evidence").mkdir(exist_ok=True)
    (folder / "evidence" / "generated.csv").write_text("id,source,section,footnote,quote\n"
                                                       "e-generated,synthetic,Synthetic production,,"
                                                       "A generated record for the ingest benchmark.\n",
                                                       encoding="utf-8")


class Production:
    def __init__(self, out: Path, n: int, seed: int):
        self.rng = random.Random(seed)
        self.out, self.n = out, n
        self.staff = people(self.rng)
        self.mover = self.staff[3]
        self.mover["new_org"] = "health-legal"
        self.custodians = self.staff[:: max(1, len(self.staff) // 24)][:24]
        self.cust_set = {p["id"] for p in self.custodians}
        self.truth: list[dict] = []
        self.sent: list[dict] = []  # earlier messages, for replies

    # ----------------------------------------------------------- parties
    def party_of(self, p: dict, when: datetime) -> str:
        if p is self.mover:
            return p["id"] + ("-a" if when.date() <= datetime(2018, 6, 30).date() else "-b")
        return p["id"]

    def write_directory(self) -> None:
        with (self.out / "directory.csv").open("w", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["address", "party", "valid_from", "valid_to", "smtp"])
            for p in self.staff:
                if p is self.mover:
                    w.writerow([p["address"], p["id"] + "-a", "", "2018-06-30", ""])
                    w.writerow([p["address"], p["id"] + "-b", "2018-07-01", "", ""])
                else:
                    w.writerow([p["address"], p["id"], "", "", ""])
            for ag in AGENCIES:
                w.writerow([f"@{ag}.gov", ag, "", "", ""])
            x = self.staff[1]
            w.writerow([f"/o={x['org'].split('-')[0]}/ou=exchange administrative group/cn=recipients/cn={x['first']}.{x['last']}",
                        x["id"], "", "", x["address"]])
            y = self.staff[2]
            w.writerow([y["name"], y["id"], "", "", ""])  # a display name, for mail from a personal address
        (self.out / "topics.yaml").write_text(
            "".join(f"{t}: [{', '.join(repr(x) for x in terms)}]\n" for t, terms in TOPICS.items()), encoding="utf-8")

    # ----------------------------------------------------------- messages
    def compose(self, i: int) -> dict:
        rng = self.rng
        when = START + timedelta(minutes=rng.randrange(DAYS * 24 * 60))
        parent = None
        if self.sent and rng.random() < 0.3:
            parent = rng.choice(self.sent[-500:])
            when = max(when, parent["when"] + timedelta(hours=rng.randrange(1, 72)))
        if parent is not None:
            sender = parent["recips"][0]
            recips = [parent["sender"]] + [r for r in parent["recips"][1:3] if r is not sender]
        else:
            # custodians write and receive most of the mail, so their mailboxes share copies
            sender = rng.choice(self.custodians if rng.random() < 0.6 else self.staff)
            pool = self.custodians if rng.random() < 0.5 else self.staff
            recips = rng.sample([p for p in pool if p is not sender], rng.choice([1, 1, 2, 3]))
        topics = [] if rng.random() < 0.35 else rng.sample(list(TOPICS), rng.choice([1, 1, 2]))
        sentences = [rng.choice(FILLER)]
        for t in topics:
            sentences.append(rng.choice(TOPIC_SENTENCES[t]))
        if rng.random() < 0.15:
            sentences.append(rng.choice(ASKS))
        sentences.append(rng.choice(FILLER))
        subject = ("Re: " + parent["subject"].removeprefix("Re: ")) if parent else rng.choice(
            ["Draft memo", "Weekly update", "Planning notes", "Schedule", "Question on the plan", "Résumé of the call"])
        outsider = f"reporter{rng.randrange(5)}@news.example.com" if parent is None and rng.random() < 0.02 else None
        return {"outsider": outsider, "i": i, "key": f"<gen{i}.{rng.randrange(10**9)}@mail.example.gov>", "when": when, "sender": sender,
                "recips": recips, "topics": topics, "body": " ".join(sentences), "subject": subject,
                "parent": parent, "shape": rng.choices(
                    ["plain", "alternative", "html", "attachment", "forward", "qp", "b64", "invite"],
                    [35, 25, 10, 10, 5, 7, 6, 2])[0], "encoded": rng.random() < 0.1, "variant": rng.random()}

    def headers(self, m: dict, malformed: str | None) -> list[str]:
        s = m["sender"]
        from_addr = s["address"]
        v = m["variant"]
        if s is self.staff[1] and v < 0.5:  # Exchange X500 in SMTP clothing
            from_addr = (f"IMCEAEX-_O={s['org'].split('-')[0].upper()}_OU=EXCHANGE+20ADMINISTRATIVE+20GROUP"
                         f"_CN=RECIPIENTS_CN={s['first'].upper()}+2E{s['last'].upper()}@{s['org'].split('-')[0]}.gov")
        elif s is self.staff[2] and v < 0.5:
            from_addr = f"{s['first']}{s['last']}1970@personal.example.net"
        elif v < 0.05:
            from_addr = s["address"].replace("@", "+work@")
        if m.get("outsider"):
            from_addr, s = m["outsider"], {"name": "A Reporter"}
        name = s["name"]
        if m["encoded"] and not m.get("outsider") and "personal" not in from_addr:
            name = Header(name + " \u00e9", "utf-8").encode()
        date = format_datetime(m["when"]) if malformed not in ("bad-date", "undatable") else (
            "sometime next week" if malformed == "bad-date" else None)
        subject = Header(m["subject"], "utf-8").encode() if (m["encoded"] or not m["subject"].isascii()) else m["subject"]
        hs = [f"From: {name} <{from_addr}>",
              "To: " + ", ".join(f"{r['name']} <{r['address']}>" for r in m["recips"][:1]),
              f"Subject: {subject}", f"Message-ID: {m['key']}", "MIME-Version: 1.0"]
        if len(m["recips"]) > 1:
            hs.append("Cc: " + ",\n ".join(f"{r['name']} <{r['address']}>" for r in m["recips"][1:]))
        if date:
            hs.append(f"Date: {date}")
        if m["parent"]:
            hs.append(f"In-Reply-To: {m['parent']['key']}")
            hs.append(f"References: {m['parent']['key']}")
        return hs

    def render(self, m: dict, malformed: str | None) -> bytes:
        if malformed == "unreadable":
            return b"\x00\x01garbage that is not a mail message\n\x02\x03\n"
        hs = self.headers(m, malformed)
        body = m["body"]
        shape = m["shape"]
        if malformed == "broken-mime":
            shape = "broken"
        if malformed == "non-utf8":
            return ("\n".join(hs + ["Content-Type: text/plain; charset=utf-8", "", ""])).encode() + \
                (body + " R\u00e9sum\u00e9 attached.").encode("latin-1") + b"\n"
        b = "bnd" + str(m["i"])
        if shape == "plain":
            parts = hs + ["Content-Type: text/plain; charset=utf-8", "", body]
        elif shape == "qp":
            import quopri

            parts = hs + ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "",
                          quopri.encodestring(body.encode()).decode()]
        elif shape == "b64":
            parts = hs + ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", "",
                          base64.encodebytes(body.encode()).decode()]
        elif shape == "html":
            parts = hs + ["Content-Type: text/html; charset=utf-8", "",
                          f"<html><body><p>{body.replace('&', '&amp;')}</p></body></html>"]
        elif shape == "alternative":
            parts = hs + [f'Content-Type: multipart/alternative; boundary="{b}"', "", f"--{b}",
                          "Content-Type: text/plain; charset=utf-8", "", body, f"--{b}",
                          "Content-Type: text/html; charset=utf-8", "", f"<div>{body}</div>", f"--{b}--"]
        elif shape == "attachment":
            blob = base64.encodebytes(bytes(self.rng.randrange(256) for _ in range(600))).decode()
            parts = hs + [f'Content-Type: multipart/mixed; boundary="{b}"', "", f"--{b}",
                          "Content-Type: text/plain; charset=utf-8", "", body, f"--{b}",
                          'Content-Type: application/pdf; name="memo.pdf"', "Content-Transfer-Encoding: base64",
                          'Content-Disposition: attachment; filename="memo.pdf"', "", blob, f"--{b}--"]
        elif shape == "forward":
            parts = hs + [f'Content-Type: multipart/mixed; boundary="{b}"', "", f"--{b}",
                          "Content-Type: text/plain; charset=utf-8", "", body, f"--{b}",
                          "Content-Type: message/rfc822", "", "From: Someone Else <someone@outside.example.org>",
                          "Subject: the original", "Date: Mon, 01 Jan 2018 09:00:00 -0500", "",
                          "The original text of the forwarded message.", f"--{b}--"]
        elif shape == "invite":
            parts = hs + [f'Content-Type: multipart/alternative; boundary="{b}"', "", f"--{b}",
                          "Content-Type: text/plain; charset=utf-8", "", body, f"--{b}",
                          "Content-Type: text/calendar; method=REQUEST; charset=utf-8", "",
                          "BEGIN:VCALENDAR", "METHOD:REQUEST", "BEGIN:VEVENT", f"UID:inv{m['i']}",
                          "END:VEVENT", "END:VCALENDAR", f"--{b}--"]
        else:  # broken: the closing boundary never comes
            parts = hs + [f'Content-Type: multipart/mixed; boundary="{b}"', "", f"--{b}",
                          "Content-Type: text/plain; charset=utf-8", "", body]
        return ("\n".join(parts) + "\n").encode("utf-8")

    # ----------------------------------------------------------- writing
    def run(self) -> None:
        prod = self.out / "production"
        (prod / "eml").mkdir(parents=True, exist_ok=True)
        (prod / "loadfile" / "text").mkdir(parents=True, exist_ok=True)
        boxes = {p["id"]: (prod / f"custodian-{p['id']}.mbox").open("wb") for p in self.custodians}
        other = (prod / "custodian-others.mbox").open("wb")
        ics = (prod / "calendar.ics").open("w", encoding="utf-8", newline="\r\n")
        ics.write("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//coordgap//bench//EN\n")
        lf = (prod / "loadfile" / "export.csv").open("w", newline="", encoding="utf-8")
        lfw = csv.writer(lf, lineterminator="\n")
        lfw.writerow(["BegBates", "Custodian", "From", "To", "CC", "DateSent", "Subject", "MessageID", "TextPath"])
        # malformed messages at fixed places, so even a small production has each kind
        bad_at = {int(self.n * (k + 1) / (len(MALFORMED) + 2)): kind for k, kind in enumerate(MALFORMED)}
        written, i = 0, 0
        while written < self.n:
            i += 1
            malformed = bad_at.pop(next((k for k in bad_at if k <= written), -1), None)
            m = self.compose(i)
            if malformed == "reply-before-parent":
                # a reply whose clock was wrong: dated two days before the message it answers
                base = self.compose(i + 10_000_000)
                base["parent"] = None
                other.write(f"From {base['sender']['address']} {base['when'].strftime('%a %b %d %H:%M:%S %Y')}\n".encode()
                            + self.render(base, None).replace(b"\nFrom ", b"\n>From ") + b"\n")
                written += 1
                self.truth.append(self._truth(base, 1, None))
                m["parent"], m["when"] = base, base["when"] - timedelta(days=2)
                m["subject"] = "Re: " + base["subject"]
            r = self.rng.random()
            where = "eml" if r < 0.03 else "ics" if r < 0.05 else "loadfile" if r < 0.08 else "mbox"
            if malformed == "undatable":
                where = "eml"
            if malformed in ("broken-mime", "non-utf8", "unreadable", "bad-date"):
                where = "mbox"
            if m["parent"] is not None and where in ("ics", "loadfile"):
                where = "mbox"
            copies = 0
            if where == "mbox":
                raw = self.render(m, malformed)
                holders = [p["id"] for p in [m["sender"], *m["recips"]] if p["id"] in self.cust_set]
                if malformed == "unreadable":
                    holders = holders[:1]
                targets = [boxes[h] for h in holders] or [other]
                envelope = f"From {m['sender']['address']} {m['when'].strftime('%a %b %d %H:%M:%S %Y')}\n".encode()
                safe = raw.replace(b"\nFrom ", b"\n>From ")
                for fh in targets[: max(1, self.n - written)]:
                    fh.write(envelope + safe + b"\n")
                    copies += 1
            elif where == "eml":
                (prod / "eml" / f"msg-{i:07d}.eml").write_bytes(self.render(m, malformed))
                copies = 1
            elif where == "ics":
                m["body"] = m["body"].replace(",", "\\,")
                ics.write("BEGIN:VEVENT\n" f"UID:evt{i}@calendar.example.gov\n"
                          f"DTSTART:{m['when'].strftime('%Y%m%dT%H%M%S')}\n"
                          f"SUMMARY:{m['subject']}\n" f"DESCRIPTION:{m['body']}\n"
                          + (f"ORGANIZER:mailto:{m['outsider']}\n" if m.get("outsider") else
                             f"ORGANIZER;CN={m['sender']['name']}:mailto:{m['sender']['address']}\n")
                          + "".join(f"ATTENDEE;CN={r['name']}:mailto:{r['address']}\n" for r in m["recips"])
                          + "END:VEVENT\n")
                m["key"] = f"<evt{i}@calendar.example.gov>"
                m["body"] = m["body"].replace("\\,", ",")
                copies = 1
            else:
                bates = f"PROD{i:08d}"
                (prod / "loadfile" / "text" / f"{bates}.txt").write_text(m["subject"] + "\n\n" + m["body"], encoding="utf-8")
                lfw.writerow([bates, "records", m.get("outsider") or f"{m['sender']['name']} <{m['sender']['address']}>",
                              f"{m['recips'][0]['name']} <{m['recips'][0]['address']}>",
                              "; ".join(f"{r['name']} <{r['address']}>" for r in m["recips"][1:]),
                              m["when"].strftime("%m/%d/%Y %I:%M %p"), m["subject"], m["key"], f"text/{bates}.txt"])
                copies = 1
            written += copies
            self.truth.append(self._truth(m, copies, malformed))
            if malformed is None:
                self.sent.append(m)
        for fh in boxes.values():
            fh.close()
        other.close()
        ics.write("END:VCALENDAR\n")
        ics.close()
        lf.close()
        with (self.out / "truth.csv").open("w", newline="") as fh:
            w = csv.DictWriter(fh, ["key", "sender", "recipients", "topics", "parent", "copies", "fate", "malformed"],
                               lineterminator="\n")
            w.writeheader()
            w.writerows(self.truth)

    def _truth(self, m: dict, copies: int, malformed: str | None) -> dict:
        s = m["sender"]
        sender = "unknown" if m.get("outsider") else self.party_of(s, m["when"])
        return {"key": m["key"].lower(), "sender": sender,
                "recipients": ";".join(dict.fromkeys(self.party_of(r, m["when"]) for r in m["recips"])),
                "topics": ";".join(sorted(m["topics"])),
                "parent": m["parent"]["key"].lower() if m["parent"] and malformed != "reply-before-parent" else "",
                "copies": copies, "fate": "rejected" if malformed in ("unreadable", "undatable") else "kept",
                "malformed": malformed or ""}


def generate(out: Path, messages: int, seed: int = 0) -> Path:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    p = Production(out, messages, seed)
    write_case(out / "case", p.staff, p.mover)
    p.write_directory()
    p.run()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--messages", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    generate(a.out, a.messages, a.seed)
    print(a.out)


if __name__ == "__main__":
    main()
