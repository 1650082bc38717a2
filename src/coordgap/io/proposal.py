"""Reading and validating a proposal file and its reference (the models: coordgap.model.proposal)."""


from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml
from pydantic import (
    BaseModel,
    ValidationError,
)

from ..errors import InvalidInputError, Problem, UnusablePathError, plain_message
from ..model.case import (
    Flow,
    Stakeholder,
)
from ..model.proposal import (
    Annotations,
    LoadedProposal,
    ProcessMap,
    Proposal,
    Reference,
)
from . import files
from .crossref import org_cycles
from .loader import (
    read_case,
    read_csv_file,
    resolve_case_path,
    row_to_record,
    strip_lines,
)


# ------------------------------------------------------------ reading ----
def yaml_line_index(text: str) -> dict[tuple, int]:
    """Line of every mapping key, list item and value: path (keys and indexes) -> 1-based line."""
    root = files.compose_yaml(text)  # bounded like every YAML read (io/files.py)
    out: dict[tuple, int] = {}

    def walk(node, path: tuple) -> None:
        out.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                key = k.value if isinstance(k, yaml.ScalarNode) else None
                walk(v, path + (key,))
                out[path + (key,)] = k.start_mark.line + 1  # point at the key, not the value below it
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                walk(v, path + (i,))

    if root is not None:
        walk(root, ())
    return out


def _problems_from(exc: ValidationError, label: str, lines: dict[tuple, int], record: str | None = None,
                   prefix: tuple = ()) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = prefix + tuple(err["loc"])
        p = loc
        while p and p not in lines:
            p = p[:-1]
        line = lines.get(p, lines.get((), None))
        msg = plain_message(err)
        if err["type"] == "extra_forbidden":
            msg = "unknown field (a typo? see docs/checking-a-proposal.md for the fields)"
        elif err["type"] == "missing":
            msg = "required field is missing"
        out.append(Problem(label, line, ".".join(str(x) for x in loc) or None, msg, record))
    return out


def _validate_yaml_file(path: Path, label: str, model: type[BaseModel], what: str, root):
    """Read a YAML file inside root into a model; (model or None, line index, problems)."""
    text, probs = files.read_text(path, label, root, what="YAML file")
    if text is None:
        return None, {}, probs
    raw, probs = files.load_yaml(text, label)
    if probs:
        return None, {}, probs
    if not isinstance(raw, dict):
        return None, {}, [Problem(label, 1, None, f"must be a mapping: {what}")]
    lines = yaml_line_index(text)
    try:
        return model.model_validate(strip_lines(raw)), lines, []
    except ValidationError as exc:
        return None, lines, _problems_from(exc, label, lines)


def _label(path: Path, base_label: str | None = None) -> str:
    if base_label is not None:
        return base_label
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _read_tree(path: Path, label: str, problems: list[Problem], root: Path) -> dict[str, Stakeholder]:
    """A standalone stakeholders CSV, with the same columns and checks as in a case folder."""
    from .loader import CaseReader
    from .tables import OPTIONAL_COLUMNS

    header, rows = read_csv_file(path, label, problems, root=root)
    if not header:
        return {}
    expected = list(Stakeholder.model_fields)
    missing = [c for c in expected if c not in header and c not in OPTIONAL_COLUMNS["stakeholders"]]
    unknown = [c for c in header if c not in expected]
    for col in missing:
        problems.append(Problem(label, 1, col, "missing required column"))
    for col in unknown:
        problems.append(Problem(label, 1, col, "unknown column"))
    for col in sorted(c for c, n in Counter(header).items() if n > 1):
        problems.append(Problem(label, 1, col, "column appears twice"))
    if missing or unknown or len(set(header)) != len(header):
        return {}
    reader = CaseReader(path.parent)
    orgs: dict[str, Stakeholder] = {}
    first: dict[str, int] = {}
    for line, cells in rows:
        row = {h: c.strip() for h, c in zip(header, cells)}
        rec, probs = reader.validate(Stakeholder, row_to_record(row, Stakeholder), label, line)
        if rec is None:
            problems.extend(probs)
        elif rec.id in orgs:
            problems.append(Problem(label, line, "id", f"duplicate id (first at line {first[rec.id]})", rec.id))
        else:
            orgs[rec.id] = rec
            first[rec.id] = line
    for org in orgs.values():
        if org.parent and org.parent not in orgs:
            problems.append(Problem(label, first[org.id], "parent", f"unknown parent organisation {org.parent!r}", org.id))
    for org_id in sorted(org_cycles(orgs.values())):
        problems.append(Problem(label, first[org_id], "parent", "the organisation tree has a cycle through this row", org_id))
    return orgs


def _read_flows(path: Path, label: str, orgs: dict[str, Stakeholder], problems: list[Problem],
                root: Path) -> dict[str, Flow]:
    """A standalone flows YAML, checked like flows.yaml in a case folder."""
    text, probs = files.read_text(path, label, root, what="YAML file")
    raw, probs = files.load_yaml(text, label) if text is not None else (None, probs)
    if probs:
        problems.extend(probs)
        return {}
    if not isinstance(raw, dict) or set(strip_lines(raw)) - {"flows"}:
        problems.append(Problem(label, 1, None, "must be a mapping with one key, 'flows', holding a list"))
        return {}
    items = raw.get("flows") or []
    if not isinstance(items, list):
        problems.append(Problem(label, raw.get("__line__"), "flows", "must be a list"))
        return {}
    lines = yaml_line_index(text)
    flows: dict[str, Flow] = {}
    for i, item in enumerate(items):
        line = lines.get(("flows", i))
        if not isinstance(item, dict):
            problems.append(Problem(label, line, f"flows.{i}", "each entry must be a mapping"))
            continue
        try:
            flow = Flow.model_validate(strip_lines(item))
        except ValidationError as exc:
            problems.extend(_problems_from(exc, label, lines, item.get("id"), prefix=("flows", i)))
            continue
        if flow.id in flows:
            problems.append(Problem(label, line, "id", "duplicate id", flow.id))
            continue
        bad = [(f, v) for f, v in (("source", flow.source), ("target", flow.target)) if v not in orgs]
        for f, v in bad:
            problems.append(Problem(label, lines.get(("flows", i, f), line), f, f"unknown organisation {v!r}", flow.id))
        if not bad:
            flows[flow.id] = flow
    return flows


# files of a case folder the check reads: problems there make the reference unusable
_CASE_FILES_USED = ("case.yaml", "stakeholders", "flows.yaml", "interfaces.yaml")


def _read_reference(ref: Reference, base: Path, problems: list[Problem], case_override: str | Path | None,
                    roots: list[Path]) -> ProcessMap | None:
    """The process map the proposal names; roots gets the case folder, where its annotations may lie."""
    case_path = case_override if case_override is not None else ref.case
    if case_path is not None:
        candidate = Path(case_path) if case_override is not None else base / case_path
        try:  # a folder, else the name of a bundled case
            folder = resolve_case_path(candidate if candidate.exists() else str(case_path))
        except UnusablePathError as exc:
            problems.append(Problem("checked_against", None, "case", str(exc)))
            return None
        case, case_problems = read_case(folder)
        prefix = _label(folder)
        used = [p for p in case_problems if p.file.startswith(_CASE_FILES_USED)]
        for p in used:
            problems.append(Problem(f"{prefix}/{p.file}", p.line, p.field, p.message, p.record))
        if case is None or used:
            return None
        roots.append(folder)
        return ProcessMap(
            label=prefix,
            orgs=dict(case.orgs),
            flows={f.id: f for f in case.flows},
            topics={t.id: t.description for t in case.meta.topics},
            flow_topic={},
            interfaces={i.id: i for i in case.interfaces},
            case=case,
            ignored_problems=len(case_problems) - len(used),
        )
    tree_path, flows_path = base / ref.organisations, base / ref.flows
    for p, what in ((tree_path, "organisations"), (flows_path, "flows")):
        refused = files.check_file(p, _label(p), base)
        if refused is not None:
            problems.append(Problem("checked_against", None, what, f"{_label(p)}: {refused.message}"))
    if problems:
        return None
    n = len(problems)
    orgs = _read_tree(tree_path, _label(tree_path), problems, base)
    flows = _read_flows(flows_path, _label(flows_path), orgs, problems, base)
    if len(problems) > n:
        return None
    return ProcessMap(label=f"{_label(tree_path)} + {_label(flows_path)}", orgs=orgs, flows=flows, topics={},
                      flow_topic={})


def _read_annotations(ref: Reference, base: Path, pmap: ProcessMap, problems: list[Problem],
                      roots: tuple[Path, ...]) -> None:
    if ref.annotations is None:
        return
    path = base / ref.annotations
    label = _label(path)
    refused = files.check_file(path, label, roots)
    if refused is not None:
        problems.append(Problem("checked_against", None, "annotations", f"{label}: {refused.message}"))
        return
    notes, lines, probs = _validate_yaml_file(path, label, Annotations,
                                              "topics, flow_topics, lead_times, populations", roots)
    problems.extend(probs)
    if notes is None:
        return
    for i, t in enumerate(notes.topics):
        pmap.topics.setdefault(t.id, t.description)
    for i, ft in enumerate(notes.flow_topics):
        if ft.topic not in pmap.topics:
            problems.append(Problem(label, lines.get(("flow_topics", i, "topic")), f"flow_topics.{i}.topic",
                                    f"unknown topic {ft.topic!r} (declare it under topics)"))
        for j, ref_ in enumerate(ft.flows):
            matched = pmap.match_flows(ref_)
            if not matched:
                problems.append(Problem(label, lines.get(("flow_topics", i, "flows", j)), f"flow_topics.{i}.flows.{j}",
                                        f"{ref_!r} matches no flow of the process map"))
            for fid in matched:
                pmap.flow_topic.setdefault(fid, ft.topic)  # the first entry naming a flow wins
    evidence = set(pmap.case.evidence_index) if pmap.case is not None else None
    for i, lt in enumerate(notes.lead_times):
        where = lambda *k: lines.get(("lead_times", i, *k), lines.get(("lead_times", i)))  # noqa: E731
        for j, o in enumerate(lt.organisations):
            if o not in pmap.orgs:
                problems.append(Problem(label, lines.get(("lead_times", i, "organisations", j), where()),
                                        f"lead_times.{i}.organisations.{j}", f"unknown organisation {o!r}"))
        if lt.topic is not None and lt.topic not in pmap.topics:
            problems.append(Problem(label, where("topic"), f"lead_times.{i}.topic", f"unknown topic {lt.topic!r}"))
        for ev in lt.evidence:
            if evidence is None:
                problems.append(Problem(label, where("evidence"), f"lead_times.{i}.evidence",
                                        "evidence ids need a case to point into (checked_against.case)"))
                break
            if ev not in evidence:
                problems.append(Problem(label, where("evidence"), f"lead_times.{i}.evidence", f"unknown evidence {ev!r}"))
    pmap.lead_times = notes.lead_times
    known = pmap.populations | {p.id for p in notes.populations}
    for i, pop in enumerate(notes.populations):
        if pop.id not in pmap.populations:
            problems.append(Problem(label, lines.get(("populations", i, "id")), f"populations.{i}.id",
                                    f"no flow of the process map lists population {pop.id!r}"))
        for j, q in enumerate(pop.brings):
            if q not in known:
                problems.append(Problem(label, lines.get(("populations", i, "brings", j)), f"populations.{i}.brings.{j}",
                                        f"no flow of the process map lists population {q!r}"))
        pmap.brings[pop.id] = tuple(dict.fromkeys(pmap.brings.get(pop.id, ()) + pop.brings))
        bad_ev = [ev for ev in pop.evidence if evidence is None or ev not in evidence]
        if bad_ev:
            problems.append(Problem(label, lines.get(("populations", i, "evidence")), f"populations.{i}.evidence",
                                    f"unknown evidence {', '.join(map(repr, bad_ev))}" if evidence is not None
                                    else "evidence ids need a case to point into (checked_against.case)"))


def _cross_check(lp: LoadedProposal, problems: list[Problem]) -> None:
    """Every id the proposal names must exist in its reference."""
    p, pmap, label = lp.proposal, lp.reference, lp.label

    def bad(path: tuple, message: str, record: str | None = None) -> None:
        problems.append(Problem(label, lp.line(*path), ".".join(str(x) for x in path), message, record))

    def org(path: tuple, value: str, record: str | None = None) -> None:
        if value not in pmap.orgs:
            bad(path, f"unknown organisation {value!r} (not in {pmap.label})", record)

    def flows(path: tuple, refs, record: str, interfaces: list | None = None) -> tuple[str, ...]:
        out: list[str] = []
        for j, ref in enumerate(refs):
            if interfaces is not None and (ref in pmap.interfaces or (ref.startswith("i-") and ref[2:] in pmap.flows)):
                interfaces.append(ref)
                continue
            matched = pmap.match_flows(ref)
            if not matched:
                what = "no flow of the process map" + (" and no interface of the reference" if interfaces is not None else "")
                bad(path + (j,), f"{ref!r} matches {what} ({pmap.label})", record)
            out.extend(m for m in matched if m not in out)
        return tuple(out)

    known_topics = set(pmap.topics) | set(pmap.flows)

    def topic(path: tuple, value: str, record: str | None = None) -> None:
        if value not in known_topics:
            hint = f"known topics: {', '.join(sorted(pmap.topics))}" if pmap.topics else "no topics are declared"
            bad(path, f"unknown topic {value!r}: use a topic id or a flow id ({hint})", record)

    org(("issuing_office",), p.issuing_office)
    for i, o in enumerate(p.acting_for):
        org(("acting_for", i), o)
    for i, o in enumerate(p.stakeholders):
        org(("stakeholders", i), o)
    for o, n in Counter(p.stakeholders).items():
        if n > 1:
            bad(("stakeholders",), f"{o!r} is listed {n} times")
    populations = pmap.populations | set(pmap.brings)
    for name, items in (("changes", p.changes), ("consultations", p.consultations),
                        ("procedures", p.procedures), ("agreements", p.agreements)):
        for rec_id, n in Counter(x.id for x in items if x.id).items():
            if n > 1:
                bad((name,), f"duplicate id {rec_id!r}", rec_id)
    for i, c in enumerate(p.changes):
        lp.change_flows[c.id] = flows(("changes", i, "flows"), c.flows, c.id)
        for j, pop in enumerate(c.add_populations):
            if pop not in populations:
                known = ", ".join(sorted(populations)) or "none: no flow lists a population"
                bad(("changes", i, "add_populations", j),
                    f"unknown population {pop!r}: no flow of the process map lists it (known: {known})", c.id)
        if c.topic is not None:
            topic(("changes", i, "topic"), c.topic, c.id)
    for i, c in enumerate(p.consultations):
        for j, o in enumerate(c.with_):
            org(("consultations", i, "with", j), o, c.id)
        for j, t in enumerate(c.topics):
            topic(("consultations", i, "topics", j), t, c.id)
    for i, pr in enumerate(p.procedures):
        org(("procedures", i, "organisation"), pr.organisation, pr.id)
        ifaces: list[str] = []
        lp.covers_flows[pr.id] = flows(("procedures", i, "covers"), pr.covers, pr.id, ifaces)
        lp.covers_interfaces[pr.id] = tuple(ifaces)
    for i, ag in enumerate(p.agreements):
        for j, o in enumerate(ag.parties):
            org(("agreements", i, "parties", j), o, ag.id)
        ifaces = []
        lp.covers_flows[ag.id] = flows(("agreements", i, "covers"), ag.covers, ag.id, ifaces)
        lp.covers_interfaces[ag.id] = tuple(ifaces)
    from ..rules import all_rules

    codes = {r.code for r in all_rules()}
    for i, g in enumerate(p.accepted_gaps):
        if g.stakeholder is not None:
            org(("accepted_gaps", i, "stakeholder"), g.stakeholder)
        if g.rule not in codes:
            bad(("accepted_gaps", i, "rule"), f"unknown rule {g.rule!r} (known: {', '.join(sorted(codes))})")
    for i, c in enumerate(p.changes):
        for j, pop in enumerate(c.populations):
            if pop not in populations:
                bad(("changes", i, "populations", j), f"unknown population {pop!r}: no flow of the process map "
                    f"lists it (known: {', '.join(sorted(populations)) or 'none'})", c.id)
    for i, o in enumerate(p.urged_by):
        org(("urged_by", i), o)
    for book, o in p.addresses.items():
        org(("addresses", book), o)


def read_proposal(path: str | Path, case: str | Path | None = None) -> tuple[LoadedProposal | None, list[Problem]]:
    """Read and check a proposal and its reference; (loaded proposal or None, every problem found).

    `case` overrides the proposal's checked_against with a case folder (or bundled case name).
    """
    path = Path(path)
    if not path.exists():
        from .bundled import bundled_proposal_path, bundled_proposals, did_you_mean

        named = bundled_proposal_path(str(path))
        if named is None:
            hint = did_you_mean(str(path), sorted(bundled_proposals())) if path.parent == Path(".") else ""
            raise UnusablePathError(f"{path}: no such file (nor a bundled proposal of that name){hint}")
        try:  # shown relative to the working folder when it is below it
            path = named.resolve().relative_to(Path.cwd().resolve())
        except ValueError:
            path = named
    if not path.is_file():
        raise UnusablePathError(f"{path}: not a file (a proposal is one YAML file)")
    label = str(path)
    proposal, lines, problems = _validate_yaml_file(
        path, label, Proposal, "id, title, issuing_office, planned_issue_date, checked_against, changes, ...",
        None)  # the file named by the user; what it points to must stay in its folder
    if proposal is None:
        return None, problems
    ref_problems: list[Problem] = []
    # Files the proposal names must lie in its folder (or in the case folder it names).
    roots = [path.parent]
    pmap = _read_reference(proposal.checked_against, path.parent, ref_problems, case, roots)
    if pmap is not None:
        _read_annotations(proposal.checked_against, path.parent, pmap, ref_problems, tuple(roots))
    # problems locating the reference are problems of the proposal's checked_against lines
    for pr in ref_problems:
        if pr.file == "checked_against":
            line = lines.get(("checked_against", pr.field), lines.get(("checked_against",)))
            problems.append(Problem(label, line, f"checked_against.{pr.field}", pr.message))
        else:
            problems.append(pr)
    if pmap is None or problems:
        return None, problems
    lp = LoadedProposal(proposal=proposal, path=path, label=label, lines=lines, reference=pmap)
    _cross_check(lp, problems)
    return (lp if not problems else None), problems


def load_proposal(path: str | Path, case: str | Path | None = None) -> LoadedProposal:
    """Read a proposal and its reference; raise InvalidInputError listing every problem."""
    lp, problems = read_proposal(path, case)
    if lp is None or problems:
        raise InvalidInputError(problems, what=str(path))
    return lp


__all__ = ["load_proposal", "read_proposal", "yaml_line_index"]
