"""Who is who: addresses, domains and display names to the case's parties.

The directory is a CSV with columns `address`, `party` and optional
`valid_from`, `valid_to` (ISO dates) and `smtp`. An `address` is one of

* an address (`ann.lee@example.gov`): that mailbox;
* a domain (`@example.gov`): every mailbox of that domain;
* a suffix (`.example.gov` or `*.example.gov`): every mailbox of that domain's subdomains, and the domain;
* an Exchange X500 / legacyExchangeDN string (`/o=org/ou=.../cn=recipients/cn=ann.lee`),
  with its SMTP address in `smtp` when the export gave one;
* anything else: a display name (`Ann Lee`; `Lee, Ann` also matches).

A message's address is looked up in that order: the address, its display
name, its domain, then the longest suffix. Addresses are compared lowercased;
`ann.lee+press@example.gov` is read as `ann.lee@example.gov` only when the
directory lists the plain address and not the plus form (plus-addressing is a
convention, not a rule, so it is undone only where the directory confirms it).
Where several rows name one address, the row whose validity covers the
message's date is used: a person who moved office maps to the new office from
the date of the move.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import Problem

_X500 = re.compile(r"^/o=", re.I)
_SPACE = re.compile(r"\s+")


@dataclass(slots=True, frozen=True)
class Entry:
    party: str
    valid_from: date | None
    valid_to: date | None

    def covers(self, day: date | None) -> bool:
        if day is None:
            return self.valid_from is None and self.valid_to is None
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


def _name_key(name: str) -> str:
    name = _SPACE.sub(" ", name.strip().strip("'\"")).lower()
    if "," in name:  # "Lee, Ann" -> "ann lee"
        last, _, first = name.partition(",")
        name = f"{first.strip()} {last.strip()}"
    return name


def decode_imceaex(addr: str) -> str:
    """Exchange's SMTP encapsulation of an X500 address (IMCEAEX-_O=ORG_OU=..._CN=X@domain) back to X500."""
    local = addr[8:].rpartition("@")[0] if addr.lower().startswith("imceaex-") else addr
    local = re.sub(r"\+([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), local)
    return local.replace("_", "/")


@dataclass
class Directory:
    exact: dict[str, list[Entry]] = field(default_factory=dict)
    names: dict[str, list[Entry]] = field(default_factory=dict)
    domains: dict[str, list[Entry]] = field(default_factory=dict)
    suffixes: dict[str, list[Entry]] = field(default_factory=dict)
    smtp_of: dict[str, str] = field(default_factory=dict)  # x500 -> smtp address
    parties: set[str] = field(default_factory=set)

    # ---------------------------------------------------------- reading
    @classmethod
    def read(cls, path: Path, known_parties: set[str] | None) -> tuple["Directory", list[Problem]]:
        """Read the directory; problems name the file, line and field (unknown parties, bad dates)."""
        d, problems, label = cls(), [], str(path)
        try:
            fh = path.open(newline="", encoding="utf-8-sig")
        except OSError as exc:
            return d, [Problem(label, None, None, f"cannot read the directory: {exc}")]
        with fh:
            reader = csv.DictReader(fh)
            cols = {c.strip().lower() for c in reader.fieldnames or []}
            for col in ("address", "party"):
                if col not in cols:
                    problems.append(Problem(label, 1, col, "missing required column"))
            if problems:
                return d, problems
            for row in reader:
                line = reader.line_num
                row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
                addr, party = row.get("address", ""), row.get("party", "")
                bad = False
                if not addr:
                    problems.append(Problem(label, line, "address", "required: must not be empty"))
                    bad = True
                if not party:
                    problems.append(Problem(label, line, "party", "required: must not be empty"))
                    bad = True
                elif known_parties is not None and party not in known_parties:
                    problems.append(Problem(label, line, "party",
                                            f"{party!r} is not an organisation or actor of the case"))
                    bad = True
                dates = []
                for col in ("valid_from", "valid_to"):
                    value = row.get(col, "")
                    try:
                        dates.append(date.fromisoformat(value) if value else None)
                    except ValueError:
                        problems.append(Problem(label, line, col, f"{value!r} is not a date (YYYY-MM-DD)"))
                        bad = True
                if not bad:
                    d.add(addr, Entry(party, *dates), row.get("smtp", ""))
        return d, problems

    def add(self, address: str, entry: Entry, smtp: str = "") -> None:
        a = address.strip().lower()
        self.parties.add(entry.party)
        if _X500.match(a):
            self.exact.setdefault(a, []).append(entry)
            if smtp:
                self.smtp_of[a] = smtp.strip().lower()
                self.exact.setdefault(self.smtp_of[a], []).append(entry)
        elif a.startswith("@"):
            self.domains.setdefault(a[1:], []).append(entry)
        elif a.startswith("*.") or a.startswith("."):
            self.suffixes.setdefault(a.lstrip("*").lstrip("."), []).append(entry)
        elif "@" in a:
            self.exact.setdefault(a, []).append(entry)
        else:
            self.names.setdefault(_name_key(address), []).append(entry)

    # ---------------------------------------------------------- lookup
    def normalise(self, address: str) -> str:
        """Lowercased; mailto: dropped; X500 (and Exchange's IMCEAEX form) to SMTP where known;
        plus-addressing undone where the directory knows the plain address."""
        a = address.strip().strip("<>").lower()
        if a.startswith("mailto:"):
            a = a[7:]
        if a.startswith("imceaex-"):
            a = decode_imceaex(a)
        if _X500.match(a):
            return self.smtp_of.get(a, a)
        local, at, domain = a.partition("@")
        if at and "+" in local and a not in self.exact:
            plain = local.split("+", 1)[0] + "@" + domain
            if plain in self.exact:
                return plain
        return a

    def lookup(self, address: str, name: str, day: date | None) -> str | None:
        """The party an address (or display name) stands for on a day, or None."""
        for entries in self._candidates(address, name):
            for e in entries:
                if e.covers(day):
                    return e.party
        return None

    def _candidates(self, address: str, name: str):
        if address:
            if address in self.exact:
                yield self.exact[address]
        if name:
            key = _name_key(name)
            if key in self.names:
                yield self.names[key]
        if "@" in address:
            domain = address.rpartition("@")[2]
            if domain in self.domains:
                yield self.domains[domain]
            parts = domain.split(".")
            for i in range(len(parts)):  # longest suffix first
                suffix = ".".join(parts[i:])
                if suffix in self.suffixes:
                    yield self.suffixes[suffix]


@dataclass
class Unmapped:
    """Every address that mapped to no party, with how many messages named it."""

    counts: Counter = field(default_factory=Counter)

    def add(self, key: str) -> None:
        self.counts[key] += 1
