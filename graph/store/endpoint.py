"""The protocol front of ``cdkg serve``: the SPARQL 1.1 Protocol over the Oxigraph engine (`cdkg.graph.store.serve`).

Two parts. The query engine is the Oxigraph server (``oxigraph serve-read-only``, or ``serve``
with ``--allow-update``) on a private loopback port, started with ``--timeout-s``. In front of
it a small HTTP server speaks the protocol to clients: it answers ``GET``/``POST`` queries at
``/query`` (and ``/sparql``), negotiates JSON, XML, CSV or TSV results (N-Triples, Turtle,
RDF/XML or JSON-LD for CONSTRUCT/DESCRIBE), cuts answers at ``limit`` rows, turns a timed-out
query into HTTP 503 (Oxigraph alone would send a truncated 200), and refuses updates with
HTTP 403 unless ``--allow-update``.

Starting the engine and the snapshot it serves are in `cdkg.graph.store.serve`.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

__all__ = ["Front"]

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


class Front(ThreadingHTTPServer):
    """The protocol server clients talk to; it forwards to the Oxigraph server at ``backend``."""

    daemon_threads = True

    def __init__(self, address, backend: str, allow_update: bool, timeout: float, limit: int):
        self.backend = backend
        self.allow_update = allow_update
        self.timeout = timeout
        self.limit = limit
        super().__init__(address, _Handler)

    # queries -----------------------------------------------------------------------------
    def _run_query(self, form: list[tuple[str, str]], accept: str | None) -> _Answer:
        """Forward a query; cut the answer at ``limit``; re-serialize in the format asked for."""
        data = urllib.parse.urlencode(form).encode("utf-8")
        request = urllib.request.Request(
            f"{self.backend}/query", data=data, method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Accept": "application/sparql-results+json, application/n-triples;q=0.9"})
        try:
            response = urllib.request.urlopen(request, timeout=self.timeout + 10)
        except urllib.error.HTTPError as exc:
            return _Answer.text(exc.code, exc.read().decode("utf-8", "replace"))
        except (urllib.error.URLError, OSError) as exc:
            return _Answer.text(503, f"query engine unavailable or too slow: {getattr(exc, 'reason', exc)}")
        with response:
            kind = response.headers.get_content_type()
            try:
                if kind == "application/n-triples":
                    return self._graph_answer(response, accept)
                return self._results_answer(response, accept)
            except (SyntaxError, ValueError, OSError) as exc:
                return _Answer.text(503, f"query stopped: timeout of {self.timeout:g} s reached "
                                        f"or the engine failed ({' '.join(str(exc).split())[:200]})")

    def _results_answer(self, response, accept: str | None) -> _Answer:
        fmt = _choose(accept, RESULT_TYPES, "json")
        if fmt is None:
            return _Answer.text(406, "results available as application/sparql-results+json, "
                                    "application/sparql-results+xml, text/csv, text/tab-separated-values")
        parsed = ox.parse_query_results(response, ox.QueryResultsFormat.JSON)
        if isinstance(parsed, ox.QueryBoolean):
            return _Answer(200, RESULT_MEDIA[fmt], _serialize_ask(bool(parsed), fmt))
        variables = [v.value for v in parsed.variables]
        rows = [[solution[v] for v in variables] for solution in islice(parsed, self.limit + 1)]
        return self._cut(rows, lambda kept: _serialize_select(variables, kept, fmt), RESULT_MEDIA[fmt])

    def _graph_answer(self, response, accept: str | None) -> _Answer:
        fmt = _choose(accept, GRAPH_TYPES, ox.RdfFormat.N_TRIPLES)
        if fmt is None:
            return _Answer.text(406, "graphs available as " + ", ".join(GRAPH_TYPES))
        lines = list(islice((line for line in response if line.strip()), self.limit + 1))
        triples = list(ox.parse(b"".join(lines), format=ox.RdfFormat.N_TRIPLES))
        media = fmt.media_type + ("; charset=utf-8" if fmt != ox.RdfFormat.RDF_XML else "")
        return self._cut(triples, lambda kept: ox.serialize(kept, format=fmt) or b"", media)

    def _cut(self, items: list, render, media: str) -> _Answer:
        """Keep at most ``limit`` items; say in a header when some were cut."""
        truncated = len(items) > self.limit
        headers = {"X-Cdkg-Limit": str(self.limit)}
        if truncated:
            headers["X-Cdkg-Truncated"] = "true"
        return _Answer(200, media, render(items[: self.limit]), headers)

    # updates -----------------------------------------------------------------------------
    def _run_update(self, form: list[tuple[str, str]]) -> _Answer:
        """Forward an update when allowed; 403 otherwise."""
        if not self.allow_update:
            return _Answer.text(403, "this endpoint is read-only (start `cdkg serve --allow-update` "
                                    "to accept SPARQL Update)")
        data = urllib.parse.urlencode(form).encode("utf-8")
        request = urllib.request.Request(f"{self.backend}/update", data=data, method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout + 10) as response:
                return _Answer(response.status, "text/plain", response.read())
        except urllib.error.HTTPError as exc:
            return _Answer.text(exc.code, exc.read().decode("utf-8", "replace"))
        except (urllib.error.URLError, OSError) as exc:
            return _Answer.text(503, f"update engine unavailable: {getattr(exc, 'reason', exc)}")


QUERY_PATHS = {"/", "/query", "/sparql"}
UPDATE_PATHS = {"/update", "/sparql", "/"}
GRAPH_PARAMS = {"default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"}


class _Handler(BaseHTTPRequestHandler):
    """SPARQL 1.1 Protocol: query by GET or POST (form or ``application/sparql-query``), update by POST."""

    server: Front
    protocol_version = "HTTP/1.1"
    server_version = "cdkg-serve"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        """Keep the terminal quiet; errors are in the answers."""

    def send(self, answer: _Answer) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        for name, value in (answer.headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qsl(url.query, keep_blank_values=True)
        query = [value for key, value in params if key == "query"]
        if url.path not in QUERY_PATHS:
            return self.send(_Answer.text(404, "SPARQL endpoint at /query (update at /update)"))
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
