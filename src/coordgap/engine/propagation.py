"""Who a proposed change reaches: the process map followed downstream from a changed flow.

The pre-rollout check (coordgap.assess.proposal) asks, for each flow a
change touches, which organisations it reaches, by which shortest route,
and which handoffs it sets going that carried nothing before. The rules
(docs/checking-a-proposal.md, section 3):

* what passes along the changed flow is the populations the change sends:
  with `volume`, what already passed there (its population list, or
  everyone), limited to the change's `populations` when it names some; plus
  the populations it adds; each with everything it brings (annotations);
* a flow passes on the part of the stream its population list names (no
  list: everything), so a change limited to single adults does not reach
  the flows that carry only children;
* at each organisation reached, the handoffs of the organisations above it
  are followed too (a Border Patrol sector hands over as Border Patrol does);
* the populations a change adds also leave the changed flow's source by the
  handoffs that carry them (the child's transfer when the parent is referred);
* a handoff is new when it carries none of what passed before and some of
  what the change adds. A population the flow already carries is not added
  (the check warns about it).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import networkx as nx

from ..model.case import Flow
from ..model.proposal import ProcessMap

Pops = frozenset[str] | None  # None: not restricted (everyone passes)


def process_graph(pmap: ProcessMap) -> nx.MultiDiGraph:
    """The process map as a directed multigraph: organisations, one edge per flow (key: flow id)."""
    g = nx.MultiDiGraph()
    g.add_nodes_from(pmap.orgs)
    for f in sorted(pmap.flows.values(), key=lambda f: f.id):
        g.add_edge(f.source, f.target, key=f.id, flow=f)
    return g


def union(a: Pops | bool, b: Pops) -> Pops:
    """Two streams together (False: nothing yet)."""
    if a is False:
        return b
    return None if a is None or b is None else a | b


@dataclass
class Reach:
    """What one changed flow reaches."""

    stream: Pops | bool  # what passes along the changed flow (False: nothing of what the change names)
    routes: dict[str, tuple[str, tuple[tuple[Flow, Pops], ...]]]  # org -> (start, steps with what passes)
    flows: dict[str, Pops]  # flow id -> what passes along it
    new_flows: set[str]  # flows only the added populations set going
    already: tuple[str, ...] = ()  # populations the change adds that the flow already carries


def stream_of(pmap: ProcessMap, flow: Flow, *, volume: bool, adds: frozenset[str],
              limit: frozenset[str]) -> tuple[Pops | bool, frozenset[str], frozenset[str]]:
    """(what passes along the changed flow, the populations really added, those it already carried)."""
    carried = frozenset(flow.population)
    already = adds & carried if carried else frozenset()
    added = adds - already
    stream: Pops | bool = False
    if volume or already:
        if carried:
            base = carried & limit if limit else (carried if volume else already)
            if not volume:
                base = base & already
            stream = pmap.closure(base) if base else False
        else:
            stream = pmap.closure(limit) if limit else None
    if added:
        stream = union(stream, pmap.closure(added))
    return stream, added, already


def reach(graph: nx.MultiDiGraph, pmap: ProcessMap, flow: Flow, *, volume: bool,
          adds: frozenset[str] = frozenset(), limit: frozenset[str] = frozenset()) -> Reach:
    """Follow the map downstream from one changed flow, breadth first (so routes are shortest)."""
    closure = pmap.closure
    stream, added, already = stream_of(pmap, flow, volume=volume, adds=adds, limit=limit)
    if stream is False:
        return Reach(stream=False, routes={}, flows={}, new_flows=set(), already=tuple(sorted(already)))
    added_c = closure(added)
    # what passed before the change: a flow that carries none of it, but some of what the change
    # adds, is set going by the change (a new handoff)
    baseline = closure(frozenset(flow.population) - added) if flow.population else frozenset()

    def is_new(g: Flow) -> bool:
        pops = set(g.population)
        return bool(pops) and not (pops & baseline) and bool(pops & added_c)

    def passes(g: Flow, pops: Pops) -> Pops | bool:
        if not g.population:
            return pops
        if pops is None:
            return closure(frozenset(g.population))
        out = pops & frozenset(g.population)
        return closure(out) if out else False

    def out_flows(node: str) -> list[Flow]:
        """Handoffs made by the organisation and by those above it, nearest first."""
        out = []
        for org in [node, *pmap.tree.ancestors(node)]:
            if org in graph:
                out += sorted((f for _, _, f in graph.out_edges(org, data="flow")), key=lambda f: f.id)
        return out

    first = ((flow, stream),)
    routes: dict[str, tuple[str, tuple]] = {flow.source: (flow.source, first), flow.target: (flow.target, first)}
    reached: dict[str, Pops] = {flow.id: stream}
    new: set[str] = set()
    # queue items: (node, what arrives there, steps so far, where the route starts, flows to follow)
    queue: deque = deque([(flow.target, stream, first, flow.target, out_flows(flow.target))])
    if added:
        own = [f for f in out_flows(flow.source) if f.id != flow.id and set(f.population) & added_c]
        if own:
            queue.append((flow.source, added_c, first, flow.source, own))
    seen: set[tuple[str, Pops]] = {(flow.target, stream)}
    while queue:
        node, pops, path, start, candidates = queue.popleft()
        for g_flow in candidates:
            if g_flow.id == flow.id:
                continue
            out = passes(g_flow, pops)
            if out is False:
                continue
            reached[g_flow.id] = union(reached.get(g_flow.id, False), out)
            if added and is_new(g_flow):
                new.add(g_flow.id)
            steps = path + ((g_flow, out),)
            routes.setdefault(g_flow.target, (start, steps))
            if (g_flow.target, out) not in seen:
                seen.add((g_flow.target, out))
                queue.append((g_flow.target, out, steps, start, out_flows(g_flow.target)))
    return Reach(stream=stream, routes=routes, flows=reached, new_flows=new, already=tuple(sorted(already)))
