"""A layered drawing for graphs that carry no positions: nodes in ranks along the flow (top to bottom for a
workflow, left to right for an assistant), each rank ordered to cross few links (barycentre sweeps)."""
from __future__ import annotations

from collections import defaultdict

from .graph import WORKFLOW, Graph

RANK_GAP = {WORKFLOW: 120, "assistant": 240}
ORDER_GAP = {WORKFLOW: 240, "assistant": 130}
SWEEPS = 4


def _forward_links(graph: Graph) -> list[tuple[str, str]]:
    """The links without those that close a loop (found by a depth-first walk from the start nodes)."""
    succ: dict[str, list[str]] = defaultdict(list)
    for link in graph.links:
        succ[link.source].append(link.target)
    state: dict[str, int] = {}
    forward: list[tuple[str, str]] = []
    roots = graph.start_ids() + [n for n in graph.nodes if n not in graph.start_ids()]
    for root in roots:
        if root in state:
            continue
        stack = [(root, iter(succ[root]))]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                continue  # a back link: leave it out of the ranking
            else:
                forward.append((node, child))
                if child not in state:
                    state[child] = 1
                    stack.append((child, iter(succ[child])))
    return forward


def _ranks(graph: Graph, links: list[tuple[str, str]]) -> dict[str, int]:
    preds: dict[str, list[str]] = defaultdict(list)
    succ: dict[str, list[str]] = defaultdict(list)
    for source, target in links:
        preds[target].append(source)
        succ[source].append(target)
    rank: dict[str, int] = {}
    waiting = {n: len(preds[n]) for n in graph.nodes}
    ready = [n for n in graph.nodes if waiting[n] == 0]
    while ready:
        node = ready.pop()
        rank[node] = max((rank[p] + 1 for p in preds[node]), default=0)
        for child in succ[node]:
            waiting[child] -= 1
            if waiting[child] == 0:
                ready.append(child)
    return rank


def _through_ranks(ranks: dict[str, int], links: list[tuple[str, str]]) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """A link that spans several ranks becomes a chain through a placeholder in each rank it crosses, so that
    the ordering keeps a lane free for it instead of drawing it across the nodes between."""
    ranks, short = dict(ranks), []
    for source, target in links:
        previous = source
        for r in range(ranks[source] + 1, ranks[target]):
            placeholder = f"\0{source}\0{target}\0{r}"
            ranks[placeholder] = r
            short.append((previous, placeholder))
            previous = placeholder
        short.append((previous, target))
    return ranks, short


def _order(ranks: dict[str, int], links: list[tuple[str, str]], graph: Graph) -> list[list[str]]:
    ranks, links = _through_ranks(ranks, links)
    layers: list[list[str]] = [[] for _ in range(max(ranks.values(), default=-1) + 1)]
    for node in ranks:  # file order first: a stable start for the sweeps
        layers[ranks[node]].append(node)
    up: dict[str, list[str]] = defaultdict(list)
    down: dict[str, list[str]] = defaultdict(list)
    for source, target in links:
        down[source].append(target)
        up[target].append(source)
    for sweep in range(SWEEPS):
        downward = sweep % 2 == 0
        sequence = range(1, len(layers)) if downward else range(len(layers) - 2, -1, -1)
        for i in sequence:
            fixed = layers[i - 1] if downward else layers[i + 1]
            place = {n: k for k, n in enumerate(fixed)}
            neighbours = up if downward else down
            def centre(node: str, k: int) -> float:
                seen = [place[n] for n in neighbours[node] if n in place]
                return sum(seen) / len(seen) if seen else k
            layers[i] = [n for _, n in sorted(((centre(n, k), n) for k, n in enumerate(layers[i])), key=lambda cn: cn[0])]
    return layers


def layered_positions(graph: Graph) -> dict[str, tuple[float, float]]:
    """A position for every node: ranks along the flow, each rank centred on the widest one."""
    links = _forward_links(graph)
    layers = _order(_ranks(graph, links), links, graph)
    widest = max((len(layer) for layer in layers), default=0)
    rank_gap, order_gap = RANK_GAP.get(graph.kind, 200), ORDER_GAP.get(graph.kind, 200)
    positions: dict[str, tuple[float, float]] = {}
    for r, layer in enumerate(layers):
        shift = (widest - len(layer)) * order_gap / 2
        for k, node in enumerate(layer):
            if node.startswith("\0"):
                continue
            along, across = r * rank_gap, shift + k * order_gap
            positions[node] = (across, along) if graph.kind == WORKFLOW else (along, across)
    return positions
