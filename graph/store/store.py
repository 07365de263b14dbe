"""The persistent graph store: named graphs on disk through Oxigraph, queried with SPARQL.

`Store` wraps a ``pyoxigraph.Store`` (a folder on disk, or memory) behind a small API that speaks
rdflib terms, so the rest of the tool never touches pyoxigraph types. `ReferenceStore` offers the
same reading API on rdflib's in-memory ``Dataset``: it is the reference implementation the tests
cross-check against and the benchmark compares with.

Query parameters are bound as RDF terms through a ``VALUES`` block inserted at the start of the
outermost ``WHERE`` group (see `with_values`), never pasted into the query text as strings, so the
same bound query runs identically on Oxigraph, on rdflib and on a remote SPARQL endpoint.

>>> from rdflib import Literal, URIRef
>>> store = Store.in_memory()
>>> store.replace_graphs({"http://example.org/g": [(URIRef("http://example.org/a"),
...     URIRef("http://example.org/says"), Literal('x"} ; DROP ALL'))]})
>>> result = store.query("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?text } }",
...                      bindings={"text": Literal('x"} ; DROP ALL')})
>>> result.rows
[(rdflib.term.URIRef('http://example.org/a'),)]
>>> len(store)
1
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD

from cdkg.errors import CdkgError
from cdkg.files import write_atomic

__all__ = [
    "Store", "ReferenceStore", "QueryResult", "with_values", "sparql_term",
    "EXPORT_FORMATS", "format_for_path",
]

#: Export/import format names -> pyoxigraph formats (TriG, N-Quads and JSON-LD keep named graphs).
EXPORT_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}
_SUFFIXES = {"turtle": "ttl", "rdf": "xml", "owl": "xml", "json": "jsonld", "nquads": "nq", "ntriples": "nt"}
_RDFLIB_FORMATS = {"ttl": "turtle", "trig": "trig", "nt": "nt", "nq": "nquads", "jsonld": "json-ld", "xml": "xml"}
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def format_for_path(path: Path | str, fmt: str | None = None) -> str:
    """The short format name (ttl, trig, nt, nq, jsonld, xml) given explicitly or by file suffix.

    >>> format_for_path("graph.trig"), format_for_path("x.rdf"), format_for_path("x", "turtle")
    ('trig', 'xml', 'ttl')
    """
    name = (fmt or Path(path).suffix.lstrip(".")).lower()
    name = _SUFFIXES.get(name, name)
    if name not in EXPORT_FORMATS:
        raise CdkgError(f"{path}: unknown RDF format {name or '(no suffix)'!r}; "
                        f"use one of {', '.join(EXPORT_FORMATS)}")
    return name


# --- terms ---------------------------------------------------------------------------------------

def to_ox(term):
    """An rdflib term as a pyoxigraph term (``None`` stays ``None``: the default graph)."""
    if term is None:
        return ox.DefaultGraph()
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term):
    """A pyoxigraph term as an rdflib term; ``xsd:string`` literals become plain literals."""
    if term is None or isinstance(term, ox.DefaultGraph):
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"not an RDF term: {term!r}")


def _plain(term):
    """rdflib terms normalised like `from_ox` does, so both stores give equal rows."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))


def sparql_term(term) -> str:
    """One RDF term written as SPARQL, on one line, with every quote and backslash escaped.

    >>> sparql_term(Literal('say "hi"} ; DROP ALL', lang="en"))
    '"say \\\\"hi\\\\"} ; DROP ALL"@en'
    >>> sparql_term(URIRef("https://w3id.org/cdkg/id/state/KZ"))
    '<https://w3id.org/cdkg/id/state/KZ>'
    """
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(str(term)):
            raise CdkgError(f"parameter: not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        text = f'"{_escape(str(term))}"'
        if term.language:
            if not re.fullmatch(r"[A-Za-z]+(-[A-Za-z0-9]+)*", term.language):
                raise CdkgError(f"parameter: not a language tag: {term.language!r}")
            return f"{text}@{term.language}"
        if term.datatype and term.datatype != XSD.string:
            return f"{text}^^{sparql_term(URIRef(term.datatype))}"
        return text
    raise CdkgError(f"parameter: only IRIs and literals can be bound, not {term!r}")


# --- binding parameters ----------------------------------------------------------------------------

def _outer_group_start(sparql: str) -> int:
    """Index just after the ``{`` that opens the outermost WHERE group (skipping strings, IRIs,
    comments and a CONSTRUCT template)."""
    i, n = 0, len(sparql)
    skip_template = bool(re.search(r"\bCONSTRUCT\s*\{", sparql, re.IGNORECASE))
    prev_word = ""
    while i < n:
        c = sparql[i]
        if c == "#":
            i = sparql.find("\n", i)
            if i < 0:
                break
            continue
        if c in "\"'":
            quote = sparql[i:i + 3] if sparql[i:i + 3] in ('"""', "'''") else c
            i += len(quote)
            while i < n and not sparql.startswith(quote, i):
                i += 2 if sparql[i] == "\\" else 1
            i += len(quote)
            continue
        if c == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", sparql[i:]):
            i = sparql.index(">", i) + 1
            continue
        if c.isalpha():
            m = re.match(r"[A-Za-z_][\w-]*", sparql[i:])
            prev_word = m.group(0).upper()
            i += len(m.group(0))
            continue
        if c == "{":
            if skip_template and prev_word == "CONSTRUCT":
                depth, i = 1, i + 1
                while i < n and depth:
                    depth += {"{": 1, "}": -1}.get(sparql[i], 0)
                    i += 1
                prev_word = ""
                continue
            return i + 1
        i += 1
    raise CdkgError("query: no WHERE group to bind parameters in")


def with_values(sparql: str, bindings: Mapping[str, object] | None) -> str:
    """The query with a ``VALUES`` block binding each parameter to its term at the start of the
    outermost WHERE group; unchanged when there are no bindings.

    >>> print(with_values("SELECT ?x WHERE { ?x ?p ?y }", {"y": Literal("a'b")}))
    SELECT ?x WHERE { VALUES (?y) { ("a'b") }
     ?x ?p ?y }
    """
    bound = {k: v for k, v in (bindings or {}).items() if v is not None}
    if not bound:
        return sparql
    for name in bound:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise CdkgError(f"parameter: not a variable name: {name!r}")
    names = " ".join(f"?{k}" for k in bound)
    values = " ".join(sparql_term(v) for v in bound.values())
    at = _outer_group_start(sparql)
    return f"{sparql[:at]} VALUES ({names}) {{ ({values}) }}\n{sparql[at:]}"


# --- results ---------------------------------------------------------------------------------------

@dataclass
class QueryResult:
    """The answer to one query: rows for SELECT, a boolean for ASK, a graph for CONSTRUCT/DESCRIBE."""

    kind: str                       # "select", "ask" or "graph"
    vars: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    graph: rdflib.Graph | None = None

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.graph or ())


def _syntax_error(name: str, message: str, sparql: str) -> CdkgError:
    """A one-line error naming the query and the line of the problem."""
    first = str(message).splitlines()[0] if str(message) else "invalid query"
    m = re.search(r"(?:at|line)\s+(\d+)(?::(\d+))?", first)
    line = m.group(1) if m else "?"
    detail = re.sub(r"^error at \d+:\d+:\s*", "", first)
    return CdkgError(f"query {name}: syntax error at line {line}: {detail}")


# --- the Oxigraph store ----------------------------------------------------------------------------

class Store:
    """A SPARQL store of named graphs on disk (or in memory), backed by Oxigraph.

    Open it with `Store.open` or `Store.in_memory`; use it as a context manager to close it.
    """

    def __init__(self, oxstore: ox.Store, path: Path | None = None, read_only: bool = False):
        self._ox = oxstore
        self.path = path
        self.read_only = read_only

    # opening and closing
    @classmethod
    def open(cls, path: Path | str, read_only: bool = False) -> "Store":
        """The store in folder *path* (created if missing, unless *read_only*)."""
        path = Path(path)
        try:
            if read_only:
                if not path.is_dir():
                    raise CdkgError(f"{path}: no store here (build one with `cdkg build`)")
                return cls(ox.Store.read_only(str(path)), path, True)
            path.mkdir(parents=True, exist_ok=True)
            return cls(ox.Store(str(path)), path, False)
        except OSError as exc:
            raise CdkgError(f"{path}: cannot open store: {str(exc).splitlines()[0]}") from exc

    @classmethod
    def in_memory(cls) -> "Store":
        """A store that lives in memory only."""
        return cls(ox.Store())

    def close(self) -> None:
        """Flush writes to disk and release the store."""
        if self._ox is not None:
            if not self.read_only:
                try:
                    self._ox.flush()
                except OSError:
                    pass
            self._ox = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self._ox)

    def __repr__(self) -> str:
        return f"Store({str(self.path) if self.path else 'memory'})"

    # writing
    def replace_graphs(self, graphs: Mapping[str, Iterable]) -> None:
        """Replace each named graph by the given triples.

        Graphs not named here are left untouched, so adding or updating one document only
        rewrites that document's graph. The old graphs are dropped in one update and the new
        quads added in one atomic ``extend`` (no SPARQL text to write and parse again); a graph
        interrupted between the two is missing, never half-written, and the next build redoes it.
        """
        if not graphs:
            return
        present = [g for g in graphs if next(iter(self._ox.quads_for_pattern(
            None, None, None, ox.NamedNode(str(g)))), None) is not None]
        if present:
            self.update(" ;\n".join(f"DROP SILENT GRAPH {sparql_term(URIRef(str(g)))}" for g in present),
                        name="replace_graphs")
        quads = []
        for name, triples in graphs.items():
            g = ox.NamedNode(str(name))
            quads.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in triples)
        if quads:
            try:
                self._ox.extend(quads)
            except (OSError, RuntimeError) as exc:
                raise CdkgError(f"replace_graphs: {str(exc).splitlines()[0]}") from exc


    def remove_graphs(self, iris: Iterable[str]) -> None:
        """Remove the named graphs (a missing one is ignored), in one transaction."""
        parts = [f"DROP SILENT GRAPH {sparql_term(URIRef(str(g)))}" for g in iris]
        if parts:
            self.update(" ;\n".join(parts), name="remove_graphs")

    def graph_names(self) -> set[str]:
        """The IRIs of the named graphs that hold at least one triple."""
        return {g.value for g in self._ox.named_graphs() if isinstance(g, ox.NamedNode)
                and next(iter(self._ox.quads_for_pattern(None, None, None, g)), None) is not None}

    def load_file(self, path: Path | str, graph: str | None = None, format: str | None = None) -> None:
        """Bulk-load an RDF file; triples go into *graph* (or the default graph), quads keep theirs."""
        path = Path(path)
        fmt = format_for_path(path, format)
        if not path.is_file():
            raise CdkgError(f"{path}: no such file")
        target = to_ox(URIRef(graph)) if graph else None
        try:
            kwargs = {"to_graph": target} if target is not None else {}
            self._ox.bulk_load(path=str(path), format=EXPORT_FORMATS[fmt], **kwargs)
        except (SyntaxError, ValueError) as exc:
            raise CdkgError(f"{path}: cannot parse as {fmt}: {str(exc).splitlines()[0]}") from exc

    def update(self, sparql: str, name: str = "update") -> None:
        """Run a SPARQL 1.1 Update in one transaction."""
        if self.read_only:
            raise CdkgError(f"{self.path}: store opened read-only")
        try:
            self._ox.update(sparql)
        except SyntaxError as exc:
            raise _syntax_error(name, str(exc), sparql) from exc

    # reading
    def query(self, sparql: str, bindings: Mapping[str, object] | None = None,
              use_default_graph_as_union: bool = True, name: str = "sparql") -> QueryResult:
        """Run a SPARQL query; *bindings* map variable names to rdflib terms.

        Bindings go to Oxigraph as substitutions, which its optimizer pushes into every pattern
        (a bound document: ~1 ms instead of seconds at 10^6 triples); a VALUES block is the
        fallback where substitution is refused.
        """
        text = sparql
        try:
            if bindings:
                try:
                    subs = {ox.Variable(k): to_ox(v) for k, v in bindings.items() if v is not None}
                    answer = self._ox.query(sparql, use_default_graph_as_union=use_default_graph_as_union,
                                            substitutions=subs)
                except (TypeError, ValueError, RuntimeError) as exc:
                    if isinstance(exc, RuntimeError) and "projection" not in str(exc):
                        raise
                    # Oxigraph substitutes only projected variables
                    text = with_values(sparql, bindings)
                    answer = self._ox.query(text, use_default_graph_as_union=use_default_graph_as_union)
            else:
                answer = self._ox.query(text, use_default_graph_as_union=use_default_graph_as_union)
        except SyntaxError as exc:
            raise _syntax_error(name, str(exc), text) from exc
        except (OSError, RuntimeError) as exc:
            raise CdkgError(f"query {name}: {str(exc).splitlines()[0]}") from exc
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            names = [v.value for v in answer.variables]
            rows = [tuple(from_ox(solution[v]) for v in names) for solution in answer]
            return QueryResult("select", vars=names, rows=rows)
        graph = rdflib.Graph()
        for triple in answer:
            graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
        return QueryResult("graph", graph=graph)

    def dump(self, path: Path | str, format: str | None = None) -> Path:
        """Write the whole store to *path* atomically; TriG, N-Quads and JSON-LD keep named graphs,
        the triple formats get the union of all graphs."""
        path = Path(path)
        fmt = format_for_path(path, format)
        oxfmt = EXPORT_FORMATS[fmt]
        if oxfmt.supports_datasets:
            # sorted quads make the output a function of the content: rebuilds are byte-identical
            quads = sorted(self._ox.quads_for_pattern(None, None, None, None),
                           key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
            data = ox.serialize(quads, format=oxfmt, **({"prefixes": _PREFIXES} if fmt == "trig" else {}))
        else:
            triples = self._ox.query(
                "CONSTRUCT { ?s ?p ?o } WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
            data = ox.serialize(triples, format=oxfmt,
                                **({"prefixes": _PREFIXES} if fmt == "ttl" else {}))
        write_atomic(path, data)
        return path


_PREFIXES = {
    "cdo": "https://w3id.org/cdkg/ontology#",
    "rdf": str(RDF),
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": str(XSD),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "oa": "http://www.w3.org/ns/oa#",
    "wd": "http://www.wikidata.org/entity/",
}


# --- the rdflib reference --------------------------------------------------------------------------

class ReferenceStore:
    """The same reading API on rdflib's in-memory ``Dataset``: slow, but the reference.

    >>> ref = ReferenceStore.in_memory()
    >>> ref.query("ASK { FILTER(1 = 1) }").boolean
    True
    """

    def __init__(self, dataset: rdflib.Dataset):
        self.dataset = dataset

    @classmethod
    def in_memory(cls) -> "ReferenceStore":
        return cls(rdflib.Dataset())

    def load_file(self, path: Path | str, graph: str | None = None, format: str | None = None) -> None:
        """Parse an RDF file into the dataset (into *graph* for triple formats)."""
        fmt = format_for_path(path, format)
        try:
            if fmt in ("trig", "nq"):
                self.dataset.parse(str(path), format=_RDFLIB_FORMATS[fmt])
            else:
                target = self.dataset.graph(URIRef(graph)) if graph else self.dataset.default_graph
                target.parse(str(path), format=_RDFLIB_FORMATS[fmt])
        except Exception as exc:  # rdflib raises many parser-specific types
            raise CdkgError(f"{path}: cannot parse as {fmt}: {str(exc).splitlines()[0]}") from exc

    def replace_graphs(self, graphs: Mapping[str, Iterable]) -> None:
        for name, triples in graphs.items():
            self.dataset.remove_graph(URIRef(str(name)))
            target = self.dataset.graph(URIRef(str(name)))
            for triple in triples:
                target.add(triple)

    def graph_names(self) -> set[str]:
        return {str(g.identifier) for g in self.dataset.graphs()
                if isinstance(g.identifier, URIRef) and len(g)
                and g.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID}

    def __len__(self) -> int:
        return len(self.dataset)

    def query(self, sparql: str, bindings: Mapping[str, object] | None = None,
              use_default_graph_as_union: bool = True, name: str = "sparql") -> QueryResult:
        text = with_values(sparql, bindings)
        self.dataset.default_union = use_default_graph_as_union
        try:
            answer = self.dataset.query(text)
        except Exception as exc:
            if type(exc).__name__ == "ParseException":
                raise CdkgError(f"query {name}: syntax error at line {getattr(exc, 'lineno', '?')}: "
                                f"{str(exc).splitlines()[0]}") from exc
            raise
        if answer.type == "ASK":
            return QueryResult("ask", boolean=bool(answer.askAnswer))
        if answer.type == "SELECT":
            names = [str(v) for v in answer.vars]
            rows = [tuple(_plain(row[i]) for i in range(len(names))) for row in answer]
            return QueryResult("select", vars=names, rows=rows)
        graph = rdflib.Graph()
        for triple in answer:
            graph.add(tuple(_plain(t) for t in triple))
        return QueryResult("graph", graph=graph)

    def close(self) -> None:
        pass

    def __enter__(self) -> "ReferenceStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
