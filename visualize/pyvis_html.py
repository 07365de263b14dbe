"""Write a projection as one self-contained pyvis HTML page that works with no network.

The page is pyvis 0.3.2's template with vis-network inlined (``cdn_resources="in_line"``); the
Bootstrap links that template still points at a CDN are removed, and the result is checked
for any remaining remote ``src``/``href``/``url()``. Nodes and edges are written straight into
``Network.nodes``/``Network.edges`` (pyvis' ``add_node``/``add_edge``/``from_nx`` scan lists
and grow with the square of the edges). Text from documents travels only as JSON that escapes
``<``, ``>``, ``&`` and ``'`` and is put on the page with ``textContent``, never as HTML.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from cdkg import __version__
from cdkg.files import write_atomic
from cdkg.visualize.layout import positions
from cdkg.visualize.metrics import METRICS
from cdkg.visualize.styles import CLASS_STYLES, RELATION_NAMES, VIEW_TITLES, style_of

#: Projections whose edges have a direction worth an arrow (subject -> object).
DIRECTED_VIEWS = {"membership", "instruments", "principles"}

#: What must never appear in a written page: a reference the browser would fetch.
REMOTE_REFERENCE = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)|(?:url\(\s*["']?\s*(?:https?:)?//)|@import""",
    re.IGNORECASE,
)
_CDN_LINK = re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']https?://[^>]*>""", re.IGNORECASE)
_CDN_SCRIPT = re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']https?://[^>]*>\s*</script>""", re.IGNORECASE)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>")

_ASSETS = Path(__file__).resolve().parent


def script_json(value) -> str:
    """JSON safe to embed in a ``<script>`` element: ``<``, ``>``, ``&``, ``'`` and line separators escaped.

    Parameters
    ----------
    value : object
        Anything ``json.dumps`` takes.

    Returns
    -------
    str

    Examples
    --------
    >>> script_json({"quote": "</script><img src=x onerror=alert(1)>"})
    '{"quote": "\\\\u003c/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


#: Views with more nodes than this open coloured by community rather than by class.
COMMUNITY_COLOURS_ABOVE = 200
#: The edge-weight slider opens at the lightest weight that leaves at most this many edges.
EDGE_BUDGET = 4000
#: At most this many communities are listed in the page (largest first), each collapsible.
LISTED_COMMUNITIES = 24
#: Colours of the listed communities, largest first (the others share `OTHER_COMMUNITY`).
COMMUNITY_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
                     "#bcbd22", "#7f7f7f", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
                     "#e6550d", "#31a354", "#756bb1", "#636363", "#6baed6", "#fd8d3c", "#74c476", "#9e9ac8")
OTHER_COMMUNITY = "#c7c7c7"
#: A view opens with its largest communities collapsed into clusters until at most this many nodes are drawn.
DRAWN_NODES = 2500


def _sources(items: list[dict]) -> list[dict]:
    """The source fields a tooltip shows (document, title, date, source URL, evidence quote)."""
    records = []
    for s in items:
        record = {"doc": str(s.get("document") or s["title"]), "title": s["title"], "date": s["date"],
                  "quote": s["quote"]}
        if s.get("url"):
            record["url"] = s["url"]
        records.append(record)
    return records


def default_min_weight(graph: nx.Graph, budget: int = EDGE_BUDGET) -> float:
    """The lightest edge weight that leaves at most ``budget`` edges (where the page's slider opens).

    Parameters
    ----------
    graph : networkx.Graph
    budget : int

    Returns
    -------
    float
        A weight of the graph (the lightest one when all edges fit).

    Examples
    --------
    >>> g = nx.Graph(); g.add_edge("a", "b", weight=1); g.add_edge("b", "c", weight=3)
    >>> default_min_weight(g), default_min_weight(g, budget=1)
    (1, 3)
    """
    weights = sorted((w for *_, w in graph.edges(data="weight", default=1)), reverse=True)
    if not weights:
        return 1
    if len(weights) <= budget:
        return weights[-1]
    floor = weights[budget - 1]
    heavier = [w for w in weights if w > floor]
    return floor if len([w for w in weights if w >= floor]) <= budget or not heavier else min(heavier)


def collapsed_at_first(communities: list[dict], nodes: int, cap: int = DRAWN_NODES) -> list[int]:
    """The communities a page opens collapsed: the largest, until at most ``cap`` nodes are drawn.

    Parameters
    ----------
    communities : list of dict
        As the page lists them (``id``, ``size``; largest first).
    nodes : int
        The nodes of the view.
    cap : int

    Returns
    -------
    list of int

    Examples
    --------
    >>> collapsed_at_first([{"id": 0, "size": 500}, {"id": 1, "size": 300}, {"id": 2, "size": 100}], 1000, 400)
    [0, 1]
    >>> collapsed_at_first([{"id": 0, "size": 5}], 10, 400)
    []
    """
    collapsed, drawn = [], nodes
    for community in communities:
        if drawn <= cap:
            break
        collapsed.append(community["id"])
        drawn -= community["size"] - 1
    return collapsed


def _hide_collapsed(nodes: list[dict], edges: list[dict], collapsed: list[int]) -> None:
    """Write the members of the communities a page opens collapsed, and their edges, as hidden."""
    if not collapsed:
        return
    gone = set(collapsed)
    hidden = set()
    for node in nodes:
        if node["community"] in gone:
            node["hidden"] = True
            hidden.add(node["id"])
    for edge in edges:
        if edge["from"] in hidden or edge["to"] in hidden:
            edge["hidden"] = True


def _communities(graph: nx.Graph) -> list[dict]:
    """The largest communities, each with its size and its best connected member's labels."""
    members: dict[int, list] = {}
    for node, number in graph.nodes(data="community", default=0):
        members.setdefault(number, []).append(node)
    listed = []
    for number in sorted(members, key=lambda c: (-len(members[c]), c))[:LISTED_COMMUNITIES]:
        if len(members[number]) < 3:
            break
        hub = max(members[number], key=lambda n: (graph.nodes[n].get("degree", 0), str(n)))
        listed.append({"id": number, "size": len(members[number]), "hub": hub,
                       "colour": COMMUNITY_COLOURS[len(listed) % len(COMMUNITY_COLOURS)]})
    return listed


def _canvas_label(data: dict, node: str, lang: str) -> str:
    """The label drawn on the canvas in ``lang``, marked ``[en]``/``[ar]`` when it is another language's.

    Examples
    --------
    >>> _canvas_label({"label_ar": "Moscow", "label_en": "Moscow", "label_langs": ["en"]}, "x", "ar")
    'Moscow [en]'
    """
    label = data.get(f"label_{lang}") or data.get("label_en") or str(node)
    langs = data.get("label_langs")
    if langs and lang not in langs:
        label = f"{label} [{langs[0]}]"
    return label


def colour_by_community(graph: nx.Graph) -> bool:
    """Whether a view opens coloured by community (more than `COMMUNITY_COLOURS_ABOVE` nodes) or by class.

    Examples
    --------
    >>> colour_by_community(nx.path_graph(3))
    False
    """
    return graph.number_of_nodes() > COMMUNITY_COLOURS_ABOVE


def _vis_nodes(graph: nx.Graph, lang: str, size_by: str, communities: list[dict]) -> list[dict]:
    """vis-network node records: label in ``lang``, colour (class or community) and shape, size, position."""
    nodes = []
    placed = positions(graph)
    by_community = colour_by_community(graph)
    community_colour = {c["id"]: c["colour"] for c in communities}
    for node, data in graph.nodes(data=True):
        colour, shape, _, _ = style_of(data.get("type", "Other"))
        drawn = community_colour.get(data.get("community"), OTHER_COMMUNITY) if by_community else colour
        metrics = {name: data.get(name, 0) for name in (*METRICS, "weighted_degree", "community")}
        dmin, dmax = data.get("dates", ("", ""))
        nodes.append({
            "id": node,
            "label": _canvas_label(data, node, lang),
            "label_ar": data.get("label_ar", ""),
            "label_en": data.get("label_en", ""),
            "label_langs": list(data.get("label_langs", ("ar", "en"))),
            "ctype": data.get("type", "Other"),
            "color": drawn,
            "ccolor": colour,
            "shape": shape,
            "value": metrics.get(size_by, 0),
            "metrics": metrics,
            "community": metrics["community"],
            "names": list(data.get("names", ())),
            "qid": data.get("qid", ""),
            "sources": _sources(data.get("sources", [])),
            "nsources": data.get("source_count", 0),
            "dmin": dmin,
            "dmax": dmax,
            "title": "\u2026",
            "x": placed[node][0],
            "y": placed[node][1],
        })
    return nodes


#: Edge colours, one per relation present (in sorted order), when a view has more than one.
EDGE_COLOURS = ("#7f7f7f", "#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2")


def relation_colours(graph: nx.Graph) -> dict[str, str]:
    """The colour of each relation of ``graph``'s edges (all grey when there is only one).

    Parameters
    ----------
    graph : networkx.Graph

    Returns
    -------
    dict of str to str

    Examples
    --------
    >>> g = nx.Graph(); g.add_edge("a", "b", relations=["partyTo"]); g.add_edge("b", "c", relations=["adoptedAt"])
    >>> relation_colours(g)
    {'adoptedAt': '#7f7f7f', 'partyTo': '#d62728'}
    """
    names = sorted({r for *_, rs in graph.edges(data="relations", default=None) for r in (rs or ["related"])})
    if len(names) == 1:
        return {names[0]: "#9a9a9a"}
    return {name: EDGE_COLOURS[i % len(EDGE_COLOURS)] for i, name in enumerate(names)}


def _vis_edges(graph: nx.Graph, directed: bool) -> list[dict]:
    """vis-network edge records: width and colour by weight and relation, shared instruments, sources."""
    edges = []
    colours = relation_colours(graph)
    several = len(colours) > 1
    for number, (u, v, data) in enumerate(graph.edges(data=True)):
        tail = data.get("tail", u)
        head = v if tail == u else u
        edge = {
            "id": number,
            "from": tail,
            "to": head,
            "value": data.get("weight", 1),
            "weight": data.get("weight", 1),
            "relations": data.get("relations", []),
            "sources": _sources(data.get("sources", [])),
            "nsources": data.get("source_count", 0),
            "dmin": data.get("dates", ("", ""))[0],
            "title": "\u2026",
        }
        if data.get("via_labels"):
            edge["via"] = data["via_labels"]
        if several:
            edge["color"] = {"color": colours[(data.get("relations") or ["related"])[0]]}
        edges.append(edge)
    return edges


def _vis_options(node_count: int, edge_count: int, directed: bool = False) -> dict:
    """Drawing options: positions come from `cdkg.visualize.layout`, so physics stays off."""
    big = node_count > 1000 or edge_count > 5000
    return {
        "autoResize": True,
        "layout": {"randomSeed": 42, "improvedLayout": False},
        "nodes": {
            "scaling": {"min": 8, "max": 42, "label": {"enabled": False}},
            "font": {"size": 15, "face": "DejaVu Sans, Noto Sans Arabic, Arial, sans-serif", "strokeWidth": 3,
                     "strokeColor": "#ffffff"},
            "borderWidth": 1,
        },
        "edges": {
            "scaling": {"min": 1, "max": 10},
            "color": {"color": "#9a9a9a", "highlight": "#333333", "hover": "#333333", "opacity": 0.6 if big else 0.85},
            "smooth": False,
            "arrows": {"to": {"enabled": directed, "scaleFactor": 0.5}},
        },
        "interaction": {"hover": not big, "tooltipDelay": 150, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "navigationButtons": False, "multiselect": True},
        "physics": {"enabled": False, "stabilization": {"enabled": False}},
    }


def _page_config(graph: nx.Graph, view: str, lang: str, size_by: str, title: str,
                 evidence_base: str | None = None, communities: list[dict] | None = None) -> dict:
    """What the page script needs besides nodes and edges: names of classes and relations, etc."""
    communities = _communities(graph) if communities is None else communities
    present = sorted({d.get("type", "Other") for _, d in graph.nodes(data=True)},
                     key=lambda c: (list(CLASS_STYLES).index(c) if c in CLASS_STYLES else 99, c))
    classes = []
    for name in present:
        colour, shape, english, arabic = style_of(name)
        classes.append({"key": name, "color": colour, "shape": shape, "en": english, "ar": arabic})
    return {
        "view": view,
        "lang": lang,
        "sizeBy": size_by,
        "title": {"en": title or VIEW_TITLES.get(view, (view, view))[0],
                  "ar": title or VIEW_TITLES.get(view, (view, view))[1]},
        "reduced": graph.graph.get("reduced", ""),
        "classes": classes,
        "relations": {key: {"en": en, "ar": ar} for key, (en, ar) in RELATION_NAMES.items()},
        "relationColours": relation_colours(graph),
        "colourBy": "community" if colour_by_community(graph) else "class",
        "otherCommunity": OTHER_COMMUNITY,
        "communities": communities,
        "collapse": collapsed_at_first(communities, graph.number_of_nodes()),
        "minWeight": default_min_weight(graph),
        "evidenceBase": evidence_base or "",
        "version": __version__,
    }


def render_view(graph: nx.Graph, view: str, lang: str = "en", size_by: str = "degree", title: str | None = None,
                evidence_base: str | None = None) -> str:
    """The HTML text of a view of ``graph`` (nodes must carry metrics, see ``apply_metrics``).

    Parameters
    ----------
    graph : networkx.Graph
        A view with metrics on its nodes.
    view : str
        The view's kind (sets the title).
    lang : str
        ``ar`` or ``en``: the language the page opens in.
    size_by : str
        The metric that sizes the nodes (one of `METRICS`).
    title : str, optional
        A title instead of the view's.
    evidence_base : str, optional
        Where documents' evidence pages are served (``/doc/`` under `cdkg serve`): a source then
        links to the base followed by the document's local name. Without it, sources link to
        the document's source URL, when it has one.

    Returns
    -------
    str
        A whole HTML page with its scripts and styles inline.

    Examples
    --------
    >>> from cdkg.paths import SOURCE_ROOT
    >>> from cdkg.visualize.projections import open_graph, project
    >>> graph = project(open_graph(trig=SOURCE_ROOT / "tests/fixtures/views/small.trig"), "cooperation")
    >>> from cdkg.visualize.metrics import apply_metrics
    >>> page = render_view(apply_metrics(graph), "cooperation", "ar")
    >>> page.startswith("<!DOCTYPE html>") and 'dir="rtl"' in page
    True
    """
    if lang not in ("ar", "en"):
        raise ValueError(f"lang must be 'ar' or 'en', not {lang!r}")
    if size_by not in METRICS:
        raise ValueError(f"size_by must be one of {METRICS}, not {size_by!r}")
    net = Network(height="100vh", width="100%", cdn_resources="in_line", directed=False, heading="")
    communities = _communities(graph)
    net.nodes = _vis_nodes(graph, lang, size_by, communities)
    net.edges = _vis_edges(graph, directed=view in DIRECTED_VIEWS)
    _hide_collapsed(net.nodes, net.edges, collapsed_at_first(communities, len(net.nodes)))
    net.options = _vis_options(len(net.nodes), len(net.edges), directed=view in DIRECTED_VIEWS)
    page = net.generate_html(name="view.html")
    page = _CDN_LINK.sub("", page)
    page = _CDN_SCRIPT.sub("", page)
    page = _EMPTY_HEADING.sub("", page)
    style = (_ASSETS / "view.css").read_text(encoding="utf-8")
    script = (_ASSETS / "view.js").read_text(encoding="utf-8")
    direction = "rtl" if lang == "ar" else "ltr"
    page_title = title or VIEW_TITLES.get(view, (view, view))[0 if lang == "en" else 1]
    page = page.replace("<html>", f'<!DOCTYPE html>\n<html lang="{lang}" dir="{direction}">', 1)
    page = page.replace(
        '<meta charset="utf-8">',
        f'<meta charset="utf-8">\n<title>{html.escape(page_title)}</title>\n'
        f'<meta name="generator" content="cdkg {html.escape(__version__)}">\n<style>{style}</style>',
        1,
    )
    marker = "drawGraph();"
    position = page.rfind(marker)
    if position < 0:
        raise RuntimeError("pyvis template changed: drawGraph() call not found")
    config = script_json(_page_config(graph, view, lang, size_by, title, evidence_base, communities))
    injected = f"{marker}\n var CDKG_CONFIG = {config};\n{script}\n"
    page = page[:position] + injected + page[position + len(marker):]
    leak = REMOTE_REFERENCE.search(page)
    if leak:
        raise RuntimeError(f"view page would load a remote resource near: {page[leak.start():leak.start() + 80]!r}")
    return page


def write_view(graph: nx.Graph, path: str | Path, view: str, lang: str = "en", size_by: str = "degree",
               title: str | None = None, evidence_base: str | None = None) -> Path:
    """Render a view and write it to ``path`` atomically.

    Parameters
    ----------
    graph : networkx.Graph
        A view with metrics on its nodes.
    path : str or Path
        The HTML file to write.
    view, lang, size_by, title, evidence_base
        As for `render_view`.

    Returns
    -------
    Path
        ``path``: one self-contained page that opens with no network.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from cdkg.visualize.metrics import apply_metrics
    >>> from rdflib import URIRef
    >>> from cdkg.visualize.projections import GraphIndex, project_rows
    >>> rows = [{"source": URIRef("http://e/a"), "target": URIRef("http://e/b")}]
    >>> graph = apply_metrics(project_rows(rows, GraphIndex()))
    >>> write_view(graph, Path(tempfile.mkdtemp()) / "v.html", "cooperation").suffix
    '.html'
    """
    return write_atomic(path, render_view(graph, view, lang, size_by, title, evidence_base))
