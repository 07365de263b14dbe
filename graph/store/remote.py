"""The one remote SPARQL 1.1 client: push the graph with SPARQL Update, run queries there.

`Endpoint` answers `query` like the embedded `Store <cdkg.graph.store.store.Store>` does, so
``cdkg query --endpoint URL`` and the library run the same way on a server.

``cdkg push`` sends every named graph of the store (or of a TriG/N-Quads file) to a server in
batches of about 500 triples. Each target graph is dropped first (``DROP SILENT GRAPH``), so
pushing twice leaves the same triples. Batches never split a group of triples joined by blank
nodes (a claim's evidence and selectors): blank nodes only mean the same node within one
request, so such a group goes in one ``INSERT { ... } WHERE {}`` (Virtuoso refuses blank nodes
in ``INSERT DATA``); batches without blank nodes use ``INSERT DATA``.

Terms are written in N-Triples syntax (pyoxigraph's own escaping of quotes, newlines and
non-ASCII text), which is also valid SPARQL.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

import pyoxigraph as ox
import rdflib

from cdkg.errors import CdkgError
from cdkg.graph.store.sparql import QueryResult, results_from_json, with_values

#: Triples per ``INSERT`` request; Virtuoso handles ~500 comfortably, others more.
DEFAULT_BATCH = 500
#: Seconds to wait for one HTTP request before giving up.
DEFAULT_HTTP_TIMEOUT = 120.0

RESULTS_JSON = "application/sparql-results+json"
#: What a query asks for: JSON results, or a graph in one of the syntaxes below.
QUERY_ACCEPT = f"{RESULTS_JSON}, application/n-triples;q=0.9, text/turtle;q=0.8, application/rdf+xml;q=0.5"
#: Graph media types a CONSTRUCT or DESCRIBE answer may come in -> rdflib parser names.
GRAPH_MEDIA = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle",
               "application/rdf+xml": "xml", "application/ld+json": "json-ld", "text/n3": "n3"}


@dataclass
class Endpoint:
    """A SPARQL endpoint URL with optional credentials (HTTP basic or digest, as the server asks).

    >>> Endpoint("http://127.0.0.1:8890/sparql").url
    'http://127.0.0.1:8890/sparql'
    """

    url: str
    user: str | None = None
    password: str | None = None
    timeout: float = DEFAULT_HTTP_TIMEOUT
    _opener: urllib.request.OpenerDirector | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise CdkgError(f"{self.url}: not an http(s) endpoint URL")

    @property
    def opener(self) -> urllib.request.OpenerDirector:
        """An opener that answers basic or digest challenges with the given credentials."""
        if self._opener is None:
            handlers: list[urllib.request.BaseHandler] = []
            if self.user is not None:
                passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
                passwords.add_password(None, self.url, self.user, self.password or "")
                handlers += [urllib.request.HTTPDigestAuthHandler(passwords),
                             urllib.request.HTTPBasicAuthHandler(passwords)]
            self._opener = urllib.request.build_opener(*handlers)
        return self._opener

    def post(self, form: dict[str, str], accept: str = "*/*") -> bytes:
        """POST a form (``query=`` or ``update=``); return the body or raise a one-line CdkgError."""
        return self.request(form, accept)[1]

    def request(self, form: dict[str, str], accept: str = "*/*") -> tuple[str, bytes]:
        """POST a form; the media type of the answer and its body, or a one-line CdkgError."""
        data = urllib.parse.urlencode(form).encode("utf-8")
        request = urllib.request.Request(self.url, data=data, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": accept})
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as exc:
            raise CdkgError(f"{self.url}: {_http_problem(exc, self.user)}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise CdkgError(f"{self.url}: cannot reach the endpoint ({reason})") from None

    def update(self, text: str) -> None:
        """Run one SPARQL 1.1 Update request.

        Parameters
        ----------
        text : str
            The update (``DROP SILENT GRAPH ...``, ``INSERT DATA ...``).
        """
        self.post({"update": text})

    def query(self, sparql: str, bindings: Mapping[str, object] | None = None,
              use_default_graph_as_union: bool = True, name: str = "sparql") -> QueryResult:
        """Run a query on the endpoint; answers like `Store.query <cdkg.graph.store.store.Store.query>`.

        Parameters
        ----------
        sparql : str
            A SELECT, ASK, CONSTRUCT or DESCRIBE query.
        bindings : mapping of str to rdflib term, optional
            Parameters, bound through a ``VALUES`` block (never pasted into the text).
        use_default_graph_as_union : bool
            Ignored: the server decides what its default graph is.
        name : str
            The query's name in error messages.

        Returns
        -------
        QueryResult
            Rows of rdflib terms for SELECT, a boolean for ASK, an rdflib graph for CONSTRUCT.

        Examples
        --------
        >>> Endpoint("http://127.0.0.1:9/sparql").query("ASK {}")
        Traceback (most recent call last):
        ...
        cdkg.errors.CdkgError: http://127.0.0.1:9/sparql: cannot reach the endpoint ([Errno 111] Connection refused)
        """
        kind, body = self.request({"query": with_values(sparql, bindings)}, accept=QUERY_ACCEPT)
        if kind in GRAPH_MEDIA:
            try:
                return QueryResult("graph", graph=rdflib.Graph().parse(data=body, format=GRAPH_MEDIA[kind]))
            except Exception as exc:  # rdflib raises many parser-specific types
                raise CdkgError(f"{self.url}: query {name}: unreadable {kind} answer ({_one_line(exc)})") from None
        try:
            return results_from_json(body)
        except CdkgError as exc:
            raise CdkgError(f"{self.url}: query {name}: the answer is {exc}") from None

    def __enter__(self) -> "Endpoint":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to release: every request opens and closes its own connection."""


def _http_problem(exc: urllib.error.HTTPError, user: str | None) -> str:
    """One line saying why the server refused a request."""
    if exc.code == 401:
        if user is None:
            return "authentication required (HTTP 401); give --user and --password"
        return f"authentication failed for user {user!r} (HTTP 401)"
    if exc.code == 403:
        return "forbidden (HTTP 403): the server refuses this request (read-only, or no update right)"
    try:
        detail = exc.read().decode("utf-8", "replace")
    except OSError:
        detail = ""
    first = next((line.strip() for line in detail.splitlines() if line.strip()), exc.reason)
    return f"HTTP {exc.code}: {str(first)[:300]}"


# --- reading what to push ---------------------------------------------------------------

def read_quads(store: Path | None = None, file: Path | None = None) -> list[ox.Quad]:
    """All quads of a store folder (opened read-only) or of an RDF dataset file (TriG, N-Quads).

    The store is opened read-only, so a running ``cdkg serve`` or an open store elsewhere does
    not block a push; it sees what was last committed.
    """
    if file is not None:
        fmt = ox.RdfFormat.from_extension(file.suffix.lstrip(".")) if file.suffix else None
        if fmt is None:
            raise CdkgError(f"{file}: unknown RDF file extension (use .trig, .nq, .ttl or .nt)")
        try:
            return list(ox.parse(path=str(file), format=fmt))
        except (SyntaxError, OSError, ValueError) as exc:
            raise CdkgError(f"{file}: {_one_line(exc)}") from None
    if store is None:
        raise CdkgError("push: give --store DIR or --file FILE")
    if not (store / "CURRENT").exists():
        raise CdkgError(f"{store}: not an Oxigraph store folder (run `cdkg build` first)")
    from cdkg.graph.store.store import Store

    with Store.open(store, read_only=True) as reader:
        return list(reader.quads())


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


# --- batching ---------------------------------------------------------------------------

def group_by_graph(quads: Iterable[ox.Quad]) -> dict[ox.NamedNode, list[ox.Triple]]:
    """Triples per named graph, in a stable order; default-graph triples are left out."""
    graphs: dict[ox.NamedNode, list[ox.Triple]] = {}
    for quad in quads:
        if isinstance(quad.graph_name, ox.NamedNode):
            graphs.setdefault(quad.graph_name, []).append(quad.triple)
    return {g: graphs[g] for g in sorted(graphs, key=lambda n: n.value)}


def blank_node_groups(triples: list[ox.Triple]) -> list[list[ox.Triple]]:
    """Split triples into groups that share no blank node with another group.

    A triple without blank nodes is a group of its own; triples linked through blank nodes
    (directly or by a chain) form one group, so a batch boundary never cuts through them.

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
    """A progress callback: one self-overwriting line on a terminal, nothing otherwise."""
    stream = stream if stream is not None else sys.stderr   # the current stderr, not the one at import
    if not stream.isatty():
        return lambda line: None
    return lambda line: print("\r" + line, end="", file=stream, flush=True)
