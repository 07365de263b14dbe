"""The protocol front of ``cdkg serve``: the SPARQL 1.1 Protocol over the engine workers (`cdkg.graph.store.engine`).

A threading HTTP server speaks the protocol to clients: it answers ``GET``/``POST`` queries at
``/query`` (and ``/sparql``), with CORS (``OPTIONS`` preflight, ``Access-Control-Allow-Origin:
*``) so pages elsewhere can query it. Each query goes to a worker process of the engine
`Pool <cdkg.graph.store.engine.Pool>`, which negotiates JSON, XML, CSV or TSV results
(N-Triples, Turtle, RDF/XML or JSON-LD for CONSTRUCT/DESCRIBE) and cuts answers at ``limit``
rows. A query past the timeout gets HTTP 503 and its worker is killed; when every worker is busy
and the queue is full the answer is 503 with ``Retry-After``. Updates are refused with HTTP 403
unless ``--allow-update``.

Default graph: without ``default-graph-uri`` the default graph is the union of all named graphs,
as for ``cdkg sparql`` and ``cdkg query``, so ``SELECT (COUNT(*) AS ?n) { ?s ?p ?o }`` counts the
same triples on both.

Other paths (the workbench pages of `cdkg.graph.web`) go to the ``pages`` handler when one is given.
Starting the engine and the snapshot it serves are in `cdkg.graph.store.serve`.
"""

from __future__ import annotations

import _thread
import csv
import io
import json
import sys
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

__all__ = ["Front", "Busy"]


class Busy(Exception):
    """All engine workers are busy and the waiting queue is full (the answer is 503)."""

#: Result formats for SELECT/ASK, by media type.
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: RDF formats for CONSTRUCT/DESCRIBE, by media type.
GRAPH_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
RESULT_MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8"}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _accepted(header: str | None) -> list[str]:
    """Media types of an Accept header, best first (q-values honoured, ties keep their order).

    >>> _accepted("text/csv;q=0.5, application/sparql-results+json, */*;q=0.1")
    ['application/sparql-results+json', 'text/csv', '*/*']
    """
    ranked = []
    for position, part in enumerate((header or "*/*").split(",")):
        fields = [f.strip() for f in part.split(";")]
        quality = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    quality = float(f[2:])
                except ValueError:
                    quality = 0.0
        if fields[0] and quality > 0:
            ranked.append((-quality, position, fields[0].lower()))
    return [media for _, _, media in sorted(ranked)]


def _choose(header: str | None, offered: dict, default):
    """The first offered format the client accepts; ``default`` for wildcards; None if none fits."""
    for media in _accepted(header):
        if media in offered:
            return offered[media]
        if media in ("*/*", "application/*", "text/*"):
            return default
    return None


# --- serializing a (possibly cut) answer ------------------------------------------------

def _json_term(term) -> dict:
    """A term in the SPARQL 1.1 JSON results form."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                        "predicate": _json_term(term.predicate),
                                        "object": _json_term(term.object)}}


def _xml_term(term) -> str:
    """A term in the SPARQL XML results form."""
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _serialize_select(variables: list[str], rows: list[list], fmt: str) -> bytes:
    """SELECT rows (lists of pyoxigraph terms or None, in ``variables`` order) in one format.

    >>> rows = [[ox.NamedNode("http://e/a"), ox.Literal("سلام", language="ar")], [None, ox.Literal("1,2")]]
    >>> _serialize_select(["s", "o"], rows, "csv").decode().split("\\r\\n")
    ['s,o', 'http://e/a,سلام', ',"1,2"', '']
    >>> _serialize_select(["s", "o"], rows, "tsv").decode().splitlines()[1].split("\\t")
    ['<http://e/a>', '"سلام"@ar']
    """
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                    for v, t in zip(variables, row) if t is not None]
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode("utf-8")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow(["" if t is None else f"_:{t.value}" if isinstance(t, ox.BlankNode)
                             else t.value if isinstance(t, (ox.NamedNode, ox.Literal)) else str(t)
                             for t in row])
        return buffer.getvalue().encode("utf-8")
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _serialize_ask(value: bool, fmt: str) -> bytes:
    """An ASK answer in one format (CSV/TSV: the bare word, as Oxigraph does)."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{str(value).lower()}</boolean></sparql>\n").encode()
    return str(value).lower().encode()


def not_acceptable_results() -> tuple[int, str, dict, bytes]:
    """The 406 answer for a SELECT/ASK asked in a format we do not write."""
    return (406, "text/plain; charset=utf-8", {},
            b"results available as application/sparql-results+json, application/sparql-results+xml, "
            b"text/csv, text/tab-separated-values\n")


# --- the HTTP front ---------------------------------------------------------------------

@dataclass
class _Answer:
    """An HTTP response: status, content type, body and extra headers."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] | None = None

    @classmethod
    def text(cls, status: int, message: str) -> "_Answer":
        return cls(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"))


#: CORS headers of the protocol paths (reading only: no credentials are ever involved).
CORS = {"Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": "X-Cdkg-Limit, X-Cdkg-Truncated, Retry-After"}
PREFLIGHT = {**CORS, "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
             "Access-Control-Allow-Headers": "Accept, Content-Type", "Access-Control-Max-Age": "86400",
             "Access-Control-Allow-Private-Network": "true"}


class Front(ThreadingHTTPServer):
    """The protocol server clients talk to; queries and updates go to the engine ``pool``.

    Parameters
    ----------
    address : tuple
        (host, port) to listen on.
    pool : cdkg.graph.store.engine.Pool
        The engine workers.
    allow_update : bool
        Accept SPARQL Update.
    timeout : float
        Seconds a query may run (for messages).
    limit : int
        The row limit (for messages).
    pages : callable, optional
        ``pages(handler, method, url) -> bool``: answers other paths (the workbench); False for 404.
    """

    daemon_threads = True
    request_queue_size = 256

    def __init__(self, address, pool, allow_update: bool, timeout: float, limit: int, pages=None):
        self.pool = pool
        self.allow_update = allow_update
        self.timeout = timeout
        self.limit = limit
        self.pages = pages
        super().__init__(address, _Handler)

    def process_request(self, request, client_address) -> None:
        """Answer a connection in a new thread, without waiting for the thread to start."""
        _thread.start_new_thread(self.process_request_thread, (request, client_address))

    def handle_error(self, request, client_address) -> None:
        """A client that went away mid-answer is not an error worth a traceback on the terminal."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    def engine(self, request: dict) -> _Answer:
        """One request to the engine pool, as an HTTP answer (503 + Retry-After when it is full)."""
        try:
            status, kind, headers, body = self.pool.run(request)
        except Busy:
            return _Answer(503, "text/plain; charset=utf-8",
                           b"server busy: every engine is working and the queue is full; retry later\n",
                           {"Retry-After": "2"})
        return _Answer(status, kind, body, headers)

    def _run_query(self, form: list[tuple[str, str]], accept: str | None) -> _Answer:
        """Send a query to the engine; ``form`` holds ``query`` and the protocol's graph parameters."""
        request = {"op": "query", "text": next(v for k, v in form if k == "query"), "accept": accept,
                   "default_graph": [v for k, v in form if k == "default-graph-uri"],
                   "named_graphs": [v for k, v in form if k == "named-graph-uri"]}
        return self.engine(request)

    def _run_update(self, form: list[tuple[str, str]]) -> _Answer:
        """Send an update to the engine when allowed; 403 otherwise."""
        if not self.allow_update:
            return _Answer.text(403, "this endpoint is read-only (start `cdkg serve --allow-update` "
                                    "to accept SPARQL Update)")
        if any(k != "update" for k, _ in form):
            return _Answer.text(400, "using-graph-uri and using-named-graph-uri are not supported")
        return self.engine({"op": "update", "text": next(v for k, v in form if k == "update")})


QUERY_PATHS = {"/", "/query", "/sparql"}
UPDATE_PATHS = {"/update", "/sparql", "/"}
GRAPH_PARAMS = {"default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"}


class _Handler(BaseHTTPRequestHandler):
    """SPARQL 1.1 Protocol: query by GET or POST (form or ``application/sparql-query``), update by POST."""

    server: Front
    protocol_version = "HTTP/1.1"
    server_version = "cdkg-serve"
    #: TCP_NODELAY: without it a small answer waited for the client's delayed ACK (about 40 ms on
    #: Linux) before its last segment left, whatever the query cost.
    disable_nagle_algorithm = True

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        """Keep the terminal quiet; errors are in the answers."""

    def send(self, answer: _Answer, cors: bool = True) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        headers = {**(CORS if cors else {}), **(answer.headers or {})}
        for name, value in headers.items():
            self.send_header(name, value)
        body = answer.body if self.command != "HEAD" else b""
        head = getattr(self, "_headers_buffer", None)
        if head is None:                 # an HTTP/0.9 request: no head at all
            self.wfile.write(body)
            return
        head += [b"\r\n", body]          # the head and the body in one write: one segment when small
        self.flush_headers()

    def _pages(self, url) -> bool:
        """Hand a non-protocol request to the workbench pages; True when they answered."""
        return self.server.pages is not None and self.server.pages(self, self.command, url)

    def do_OPTIONS(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path in QUERY_PATHS | UPDATE_PATHS:
            self.send_response(204)
            for name, value in PREFLIGHT.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if not self._pages(url):
            self.send(_Answer.text(404, "not found"), cors=False)

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qsl(url.query, keep_blank_values=True)
        query = [value for key, value in params if key == "query"]
        if url.path == "/" and not query and self._pages(url):
            return None
        if url.path not in QUERY_PATHS:
            if self._pages(url):
                return None
            return self.send(_Answer.text(404, "SPARQL endpoint at /query (update at /update)"), cors=False)
        if "update" in dict(params):
            return self.send(_Answer.text(405, "SPARQL Update needs POST"))
        if len(query) != 1:
            mode = "read-write" if self.server.allow_update else "read-only"
            return self.send(_Answer.text(200 if not query else 400,
                                         f"cdkg SPARQL endpoint ({mode}): GET or POST ?query=... at /query"))
        form = [("query", query[0])] + [(k, v) for k, v in params if k in GRAPH_PARAMS]
        self.send(self.server._run_query(form, self.headers.get("Accept")))

    do_HEAD = do_GET

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path not in QUERY_PATHS | UPDATE_PATHS:
            if self._pages(url):
                return None
            return self.send(_Answer.text(404, "SPARQL endpoint at /query (update at /update)"), cors=False)
        params = [(k, v) for k, v in urllib.parse.parse_qsl(url.query) if k in GRAPH_PARAMS]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind == "application/sparql-query":
            form = [("query", body)] + params
        elif kind == "application/sparql-update":
            form = [("update", body)] + params
        elif kind == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qsl(body, keep_blank_values=True) + params
        else:
            return self.send(_Answer.text(415, "POST a form, application/sparql-query or application/sparql-update"))
        keys = {k for k, _ in form}
        if "update" in keys and url.path in UPDATE_PATHS:
            allowed = [(k, v) for k, v in form if k == "update" or k in GRAPH_PARAMS]
            return self.send(self.server._run_update(allowed))
        if "query" in keys and url.path in QUERY_PATHS:
            allowed = [(k, v) for k, v in form if k == "query" or k in GRAPH_PARAMS]
            return self.send(self.server._run_query(allowed, self.headers.get("Accept")))
        self.send(_Answer.text(400, "no query or update in the request (query at /query, update at /update)"))
