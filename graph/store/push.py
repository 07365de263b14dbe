"""``cdkg push``: send every named graph of the store (or of a TriG/N-Quads file) to a SPARQL server.

Graphs go in batches of about 500 triples. Each target graph is dropped first (``DROP SILENT
GRAPH``), so pushing twice leaves the same triples. Batches never split a group of triples joined
by blank nodes (a claim's evidence and selectors): blank nodes only mean the same node within one
request, so such a group goes in one ``INSERT { ... } WHERE {}`` (Virtuoso refuses blank nodes
in ``INSERT DATA``); batches without blank nodes use ``INSERT DATA``.

Terms are written in N-Triples syntax (pyoxigraph's own escaping of quotes, newlines and
non-ASCII text), which is also valid SPARQL.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox

from cdkg.errors import CdkgError
from cdkg.graph.store.remote import Endpoint

__all__ = ["DEFAULT_BATCH", "read_quads", "group_by_graph", "blank_node_groups", "batches", "insert_request",
           "PushReport", "push", "progress_printer"]

#: Triples per ``INSERT`` request; Virtuoso handles ~500 comfortably, others more.
DEFAULT_BATCH = 500


# --- reading what to push ---------------------------------------------------------------

def read_quads(store: Path | None = None, file: Path | None = None) -> list[ox.Quad]:
    """All quads of a store folder (opened read-only) or of an RDF dataset file (TriG, N-Quads).

    The store is opened read-only, so a running ``cdkg serve`` or an open store elsewhere does
    not block a push; it sees what was last committed.

    Parameters
    ----------
    store : Path, optional
        A store folder written by ``cdkg build``.
    file : Path, optional
        A TriG or N-Quads file (taken instead of the store when given).

    Returns
    -------
    list of pyoxigraph.Quad

    Examples
    --------
    >>> from cdkg.paths import SOURCE_ROOT
    >>> len(read_quads(file=SOURCE_ROOT / "tests" / "fixtures" / "sample.trig")) > 100
    True
    """
    if file is not None:
        fmt = ox.RdfFormat.from_extension(file.suffix.lstrip(".")) if file.suffix else None
        if fmt is None:
            raise CdkgError(f"{file}: unknown RDF file extension (use .trig, .nq, .ttl or .nt)")
        try:
            return list(ox.parse(path=str(file), format=fmt))
        except (SyntaxError, OSError, ValueError) as exc:
            raise CdkgError(f"{file}: {' '.join(str(exc).split())[:300]}") from None
    if store is None:
        raise CdkgError("push: give --store DIR or --file FILE")
    if not (store / "CURRENT").exists():
        raise CdkgError(f"{store}: not an Oxigraph store folder (run `cdkg build` first)")
    from cdkg.graph.store.store import Store

    with Store.open(store, read_only=True) as reader:
        return list(reader.quads())


# --- batching ---------------------------------------------------------------------------

def group_by_graph(quads: Iterable[ox.Quad]) -> dict[ox.NamedNode, list[ox.Triple]]:
    """Triples per named graph, in a stable order; default-graph triples are left out.

    Parameters
    ----------
    quads : iterable of pyoxigraph.Quad

    Returns
    -------
    dict of pyoxigraph.NamedNode to list of pyoxigraph.Triple
        Sorted by graph IRI.

    Examples
    --------
    >>> s, g = ox.NamedNode("http://e/s"), ox.NamedNode("http://e/g")
    >>> [(k.value, len(v)) for k, v in group_by_graph([ox.Quad(s, s, s, g), ox.Quad(s, s, s)]).items()]
    [('http://e/g', 1)]
    """
    graphs: dict[ox.NamedNode, list[ox.Triple]] = {}
    for quad in quads:
        if isinstance(quad.graph_name, ox.NamedNode):
            graphs.setdefault(quad.graph_name, []).append(quad.triple)
    return {g: graphs[g] for g in sorted(graphs, key=lambda n: n.value)}


def blank_node_groups(triples: list[ox.Triple]) -> list[list[ox.Triple]]:
    """Split triples into groups that share no blank node with another group.

    A triple without blank nodes is a group of its own; triples linked through blank nodes
    (directly or by a chain) form one group, so a batch boundary never cuts through them.

    Parameters
    ----------
    triples : list of pyoxigraph.Triple

    Returns
    -------
    list of list of pyoxigraph.Triple
        In the order of their first triple.

    Examples
    --------
    >>> a, b, p = ox.BlankNode("a"), ox.BlankNode("b"), ox.NamedNode("http://e/p")
    >>> s = ox.NamedNode("http://e/s")
    >>> [len(g) for g in blank_node_groups([ox.Triple(s, p, a), ox.Triple(a, p, b),
    ...                                     ox.Triple(s, p, s), ox.Triple(b, p, s)])]
    [3, 1]
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for t in triples:
        blanks = [n.value for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)]
        for other in blanks[1:]:
            parent[find(blanks[0])] = find(other)
        if blanks:
            find(blanks[0])
    groups: dict[object, list[ox.Triple]] = {}
    for i, t in enumerate(triples):
        blank = next((n.value for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)), None)
        groups.setdefault(find(blank) if blank else i, []).append(t)
    return list(groups.values())


def batches(triples: list[ox.Triple], size: int = DEFAULT_BATCH) -> Iterator[list[ox.Triple]]:
    """Batches of about ``size`` triples made of whole blank-node groups.

    Parameters
    ----------
    triples : list of pyoxigraph.Triple
    size : int
        About how many triples a batch holds (a larger blank-node group makes a larger batch).

    Returns
    -------
    iterator of list of pyoxigraph.Triple

    Examples
    --------
    >>> p, s = ox.NamedNode("http://e/p"), ox.NamedNode("http://e/s")
    >>> [len(b) for b in batches([ox.Triple(s, p, ox.Literal(str(i))) for i in range(5)], 2)]
    [2, 2, 1]
    """
    batch: list[ox.Triple] = []
    for group in blank_node_groups(triples):
        if batch and len(batch) + len(group) > size:
            yield batch
            batch = []
        batch.extend(group)
    if batch:
        yield batch


def insert_request(graph: ox.NamedNode, triples: list[ox.Triple]) -> str:
    """The SPARQL Update text that adds ``triples`` to ``graph``.

    Parameters
    ----------
    graph : pyoxigraph.NamedNode
        The target graph.
    triples : list of pyoxigraph.Triple
        One batch (whole blank-node groups).

    Returns
    -------
    str
        ``INSERT DATA`` without blank nodes, else ``INSERT { ... } WHERE {}``.

    Examples
    --------
    >>> g, s = ox.NamedNode("http://e/g"), ox.NamedNode("http://e/s")
    >>> print(insert_request(g, [ox.Triple(s, s, ox.Literal('say "hi"\\n', language="en"))]))
    INSERT DATA { GRAPH <http://e/g> {
    <http://e/s> <http://e/s> "say \\"hi\\"\\n"@en .
    } }
    """
    body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
    has_blank = any(isinstance(n, ox.BlankNode) for t in triples for n in (t.subject, t.object))
    if has_blank:
        return f"INSERT {{ GRAPH {graph} {{\n{body}\n}} }} WHERE {{}}"
    return f"INSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}"


# --- push -------------------------------------------------------------------------------

@dataclass
class PushReport:
    """What a push sent: graphs and triples."""

    graphs: int
    triples: int
    requests: int


def push(endpoint: Endpoint, quads: Iterable[ox.Quad], graphs: list[str] | None = None,
         batch: int = DEFAULT_BATCH, progress: Callable[[str], None] | None = None) -> PushReport:
    """Replace each named graph on the server with the local one, in batches of ``batch`` triples.

    ``graphs`` restricts the push to these graph IRIs (an IRI the data lacks is an error).

    Parameters
    ----------
    endpoint : Endpoint
        The SPARQL Update endpoint.
    quads : iterable of pyoxigraph.Quad
        What to send (see `read_quads`); default-graph quads are left out.
    graphs : list of str, optional
        Only these graph IRIs.
    batch : int
        Triples per ``INSERT`` request.
    progress : callable, optional
        Called with one line of progress after each request.

    Returns
    -------
    PushReport
        Graphs, triples and requests sent.

    Examples
    --------
    >>> push(Endpoint("http://127.0.0.1:9/update"), [], batch=0)
    Traceback (most recent call last):
    ...
    cdkg.errors.CdkgError: http://127.0.0.1:9/update: --batch must be at least 1
    """
    if batch < 1:
        raise CdkgError(f"{endpoint.url}: --batch must be at least 1")
    by_graph = group_by_graph(quads)
    if graphs:
        wanted = {ox.NamedNode(g) for g in graphs}
        missing = sorted(g.value for g in wanted - set(by_graph))
        if missing:
            raise CdkgError(f"{endpoint.url}: graph {missing[0]} is not in the data to push")
        by_graph = {g: t for g, t in by_graph.items() if g in wanted}
    total = sum(len(t) for t in by_graph.values())
    sent = requests = 0
    for number, (graph, triples) in enumerate(by_graph.items(), 1):
        endpoint.update(f"DROP SILENT GRAPH {graph}")
        requests += 1
        for chunk in batches(triples, batch):
            endpoint.update(insert_request(graph, chunk))
            requests += 1
            sent += len(chunk)
            if progress:
                progress(f"push: {sent}/{total} triples, graph {number}/{len(by_graph)} -> {endpoint.url}")
    return PushReport(len(by_graph), sent, requests)


def progress_printer(stream=None) -> Callable[[str], None]:
    """A progress callback: one self-overwriting line on a terminal, nothing otherwise.

    Parameters
    ----------
    stream : file, optional
        Where to print (default: the current ``sys.stderr``).

    Returns
    -------
    callable
        Takes one line of progress.

    Examples
    --------
    >>> import io
    >>> progress_printer(io.StringIO())("push: 1/1")  # not a terminal: prints nothing
    """
    stream = stream if stream is not None else sys.stderr   # the current stderr, not the one at import
    if not stream.isatty():
        return lambda line: None
    return lambda line: print("\r" + line, end="", file=stream, flush=True)
