"""Node positions for an interactive view, computed once in Python so the page draws with physics off.

Communities (the Louvain numbers :func:`cdkg.visualize.metrics.node_metrics` put on the nodes)
are laid out as discs: the discs' centres by a force layout of the community graph, pushed
apart until no two overlap; inside each disc its members by Fruchterman-Reingold in numpy
(dense, seeded). The cost is the sum of the squares of the community sizes, not the square of
the graph, so a view of thousands of nodes is laid out in about a second and the browser only
draws it. Coordinates are in canvas pixels, about :data:`SPACING` apart (twice that in views
of up to :data:`ONE_DISC` nodes, which are laid out as one community).

Examples
--------
>>> import networkx as nx
>>> g = nx.karate_club_graph()
>>> for n in g: g.nodes[n]["community"] = int(g.nodes[n]["club"] == "Officer")
>>> pos = positions(g)
>>> len(pos), all(isinstance(x, float) for x, y in pos.values())
(34, True)
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx
import numpy as np

#: Roughly the distance, in canvas pixels, between neighbouring nodes.
SPACING = 80.0
#: Seed of every random start, so a view is drawn the same each time it is built.
SEED = 42
#: Iterations of the force layout inside a community.
ITERATIONS = 60
#: Pull towards the centre of a community (keeps its unconnected parts together).
GRAVITY = 0.4
#: Up to this many nodes the whole view is laid out as one community.
ONE_DISC = 150
#: A community larger than this is laid out with fewer iterations (its cost is the square of its size).
LARGE_COMMUNITY = 1500


def _force_layout(adjacency: np.ndarray, iterations: int, seed: int) -> np.ndarray:
    """Fruchterman-Reingold on a dense weighted adjacency matrix; positions in the unit square."""
    count = adjacency.shape[0]
    rng = np.random.default_rng(seed)
    pos = rng.random((count, 2))
    if count == 1:
        return pos * 0
    k = 1.0 / math.sqrt(count)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.sqrt((delta ** 2).sum(axis=-1))
        np.clip(distance, 0.01, None, out=distance)
        force = k * k / distance ** 2 - adjacency * distance / k
        displacement = (delta * force[:, :, None]).sum(axis=1)
        # gravity towards the centre, so parts not linked to each other stay near
        displacement -= (pos - pos.mean(axis=0)) * GRAVITY * math.sqrt(count)
        length = np.sqrt((displacement ** 2).sum(axis=1))
        np.clip(length, 0.01, None, out=length)
        pos += displacement * (temperature / length)[:, None]
        temperature -= cooling
    return pos - pos.mean(axis=0)


def _disc(graph: nx.Graph, members: list, seed: int, spacing: float) -> tuple[dict, float]:
    """Positions of ``members`` centred on 0 and the disc's radius; 4 in 5 nodes have no neighbour nearer than ``spacing``."""
    count = len(members)
    if count == 1:
        return {members[0]: (0.0, 0.0)}, spacing * 0.5
    index = {node: i for i, node in enumerate(members)}
    adjacency = np.zeros((count, count))
    for u, v, w in graph.subgraph(members).edges(data="weight", default=1):
        weight = 1.0 + math.log(max(float(w), 1.0))
        adjacency[index[u], index[v]] = adjacency[index[v], index[u]] = weight
    iterations = ITERATIONS if count <= LARGE_COMMUNITY else 25
    pos = _force_layout(adjacency, iterations, seed)
    distance = np.sqrt(((pos[:, None, :] - pos[None, :, :]) ** 2).sum(axis=-1))
    np.fill_diagonal(distance, np.inf)
    nearest = float(np.percentile(distance.min(axis=1), 20)) or 1.0
    pos *= spacing / nearest
    radius = float(np.sqrt((pos ** 2).sum(axis=1)).max()) + spacing * 0.5
    return {node: (float(pos[i, 0]), float(pos[i, 1])) for node, i in index.items()}, radius


def _separate(centres: np.ndarray, radii: np.ndarray, gap: float, rounds: int = 400) -> np.ndarray:
    """Move disc centres apart until no two discs are closer than ``gap`` (or ``rounds`` is used up)."""
    if len(radii) < 2:
        return centres
    for _ in range(rounds):
        delta = centres[:, None, :] - centres[None, :, :]
        distance = np.sqrt((delta ** 2).sum(axis=-1))
        need = radii[:, None] + radii[None, :] + gap
        overlap = np.clip(need - distance, 0, None)
        np.fill_diagonal(overlap, 0)
        if not overlap.any():
            break
        np.clip(distance, 1e-6, None, out=distance)
        push = (delta / distance[:, :, None]) * (overlap / 2)[:, :, None]
        centres = centres + push.sum(axis=1) * 0.5
    return centres


def positions(graph: nx.Graph) -> dict:
    """Canvas coordinates for every node, communities kept together in discs that do not overlap.

    Parameters
    ----------
    graph : networkx.Graph
        A view whose nodes carry ``community`` (see `cdkg.visualize.metrics.apply_metrics`);
        nodes without one form a community of their own each.

    Returns
    -------
    dict
        Node -> ``(x, y)`` in canvas pixels.

    Examples
    --------
    >>> import networkx as nx
    >>> positions(nx.Graph())
    {}
    >>> g = nx.path_graph(3)
    >>> for n in g: g.nodes[n]["community"] = 0
    >>> sorted(positions(g)) == [0, 1, 2]
    True
    """
    if graph.number_of_nodes() == 0:
        return {}
    groups: dict = defaultdict(list)
    for node, data in graph.nodes(data=True):
        key = "all" if graph.number_of_nodes() <= ONE_DISC else data.get("community", ("alone", str(node)))
        groups[key].append(node)
    keys = sorted(groups, key=lambda c: (-len(groups[c]), str(c)))
    for key in keys:
        groups[key].sort(key=str)
    # Singletons and pairs (isolated nodes, loose ends) share one disc instead of one each.
    small = [n for key in keys if len(groups[key]) <= 2 for n in groups[key]]
    keys = [key for key in keys if len(groups[key]) > 2]
    if small:
        groups["small"] = small
        keys.append("small")
    of = {node: key for key in keys for node in groups[key]}
    between = nx.Graph()
    between.add_nodes_from(keys)
    for u, v in graph.edges:
        a, b = of[u], of[v]
        if a != b:
            weight = between.get_edge_data(a, b, {"weight": 0})["weight"] + 1
            between.add_edge(a, b, weight=weight)
    spacing = SPACING if graph.number_of_nodes() > ONE_DISC else SPACING * 2
    discs = [_disc(graph, groups[key], SEED + number, spacing) for number, key in enumerate(keys)]
    radii = np.array([radius for _, radius in discs])
    if len(keys) == 1:
        centres = np.zeros((1, 2))
    else:
        start = nx.spring_layout(between, seed=SEED, weight="weight", iterations=80)
        centres = np.array([start[key] for key in keys]) * math.sqrt((radii ** 2).sum()) * 0.6
    centres = _separate(centres, radii, spacing * 0.6)
    result = {}
    for number, (placed, _) in enumerate(discs):
        cx, cy = centres[number]
        for node, (x, y) in placed.items():
            result[node] = (round(float(cx + x), 1), round(float(cy + y), 1))
    return result
