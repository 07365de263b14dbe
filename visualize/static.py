"""A static picture (PNG or SVG, by the file's suffix) of a projection, for reports and papers.

Drawn with matplotlib's Agg backend in the same colours as the interactive view. Arabic labels
are drawn as they are by matplotlib >= 3.11, which shapes and orders complex scripts itself;
older matplotlib draws characters one by one, left to right, so for it they are shaped
(arabic-reshaper) and put in visual order (python-bidi) first. Only the largest nodes get a label so the picture stays legible.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from cdkg.files import write_atomic  # noqa: E402
from cdkg.visualize.layout import positions as layout_positions  # noqa: E402
from cdkg.visualize.styles import VIEW_TITLES, style_of  # noqa: E402

#: matplotlib 3.11 lays out complex scripts (Arabic joining, right-to-left) by itself.
SHAPES_TEXT = tuple(int(part) for part in matplotlib.__version__.split(".")[:2]) >= (3, 11)
#: At most this many labels are drawn (on the nodes ranking highest on the size metric).
MAX_LABELS = 40
#: matplotlib marker for each vis-network shape.
MARKERS = {"dot": "o", "square": "s", "star": "*", "diamond": "D", "triangle": "^", "triangleDown": "v", "hexagon": "h"}


def _display_text(text: str) -> str:
    """``text`` as matplotlib must receive it to show Arabic joined and right to left.

    Examples
    --------
    >>> _display_text("Russia")
    'Russia'
    """
    if SHAPES_TEXT or not any("\u0600" <= char <= "\u06ff" for char in text):
        return text
    from arabic_reshaper import reshape
    from bidi.algorithm import get_display

    return get_display(reshape(text))


def draw_static(graph: nx.Graph, path: str | Path, view: str, lang: str = "en", size_by: str = "degree") -> Path:
    """Draw ``graph`` (with metrics on its nodes) to a PNG or SVG file, atomically.

    Parameters
    ----------
    graph : networkx.Graph
        A view with metrics on its nodes.
    path : str or Path
        ``.png`` or ``.svg``.
    view : str
        The view's kind (sets the title).
    lang : str
        ``ar`` or ``en``.
    size_by : str
        The metric that sizes the nodes.

    Returns
    -------
    Path
        ``path``, a PNG or an SVG by its suffix.

    Examples
    --------
    >>> import tempfile
    >>> from cdkg.visualize.metrics import apply_metrics
    >>> from rdflib import URIRef
    >>> from cdkg.visualize.projections import GraphIndex, project_rows
    >>> rows = [{"source": URIRef("http://e/a"), "target": URIRef("http://e/b")}]
    >>> graph = apply_metrics(project_rows(rows, GraphIndex()))
    >>> draw_static(graph, Path(tempfile.mkdtemp()) / "v.svg", "cooperation").read_text()[:5]
    '<?xml'
    """
    path = Path(path)
    form = path.suffix.lstrip(".").lower() or "png"
    if form not in ("png", "svg"):
        raise ValueError(f"{path}: a static view is .png or .svg")
    figure, axes = plt.subplots(figsize=(12, 9), dpi=110)
    try:
        axes.set_axis_off()
        title = VIEW_TITLES.get(view, (view, view))[0 if lang == "en" else 1]
        axes.set_title(_display_text(title), fontsize=14, family="DejaVu Sans")
        if graph.number_of_nodes():
            _draw(graph, axes, lang, size_by)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format=form, metadata={"Software": None} if form == "png" else {"Date": None})
    finally:
        plt.close(figure)
    return write_atomic(path, buffer.getvalue())


def _draw(graph: nx.Graph, axes, lang: str, size_by: str) -> None:
    """Lay out (as the interactive page does) and draw nodes by class, edges by weight, labels on the largest nodes, a legend."""
    weights = [w for *_, w in graph.edges(data="weight", default=1)]
    positions = {node: (x, -y) for node, (x, y) in layout_positions(graph).items()}
    metric = {node: float(data.get(size_by, 0) or 0) for node, data in graph.nodes(data=True)}
    top = max(metric.values()) or 1.0
    size = {node: 60 + 640 * value / top for node, value in metric.items()}
    widest = max(weights) if weights else 1
    nx.draw_networkx_edges(graph, positions, ax=axes, edge_color="#9a9a9a", alpha=0.6,
                           width=[0.6 + 3.5 * w / widest for w in weights])
    handles = []
    by_class: dict[str, list] = {}
    for node, data in graph.nodes(data=True):
        by_class.setdefault(data.get("type", "Other"), []).append(node)
    for name, members in sorted(by_class.items()):
        colour, shape, english, arabic = style_of(name)
        marker = MARKERS.get(shape, "o")
        nx.draw_networkx_nodes(graph, positions, nodelist=members, ax=axes, node_color=colour,
                               node_shape=marker, node_size=[size[n] for n in members], edgecolors="#333333",
                               linewidths=0.4)
        handles.append(Line2D([], [], marker=marker, linestyle="", color=colour, markersize=9,
                              label=_display_text(english if lang == "en" else arabic)))
    ranked = sorted(graph.nodes, key=lambda n: (-metric[n], str(n)))[:MAX_LABELS]
    labels = {}
    for node in ranked:
        data = graph.nodes[node]
        labels[node] = _display_text(data.get(f"label_{lang}") or data.get("label_en") or str(node))
    spread = max((abs(y) for _, y in positions.values()), default=1.0) or 1.0
    below = {node: (x, y - 0.045 * spread) for node, (x, y) in positions.items()}
    nx.draw_networkx_labels(graph, below, labels=labels, ax=axes, font_size=9, font_family="DejaVu Sans",
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})
    axes.legend(handles=handles, loc="lower left" if lang == "en" else "lower right", fontsize=9, frameon=True)
