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

from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import Literal, URIRef  # noqa: F401 - Literal is used by the examples

from cdkg.errors import CdkgError
from cdkg.files import write_atomic
from cdkg.graph.store.sparql import (QueryResult, from_ox, plain, result_from_ox, sparql_term, syntax_error,
                                     to_ox, with_values)
from cdkg.namespaces import PREFIXES

__all__ = [
    "Store", "ReferenceStore", "QueryResult", "with_values", "sparql_term", "from_ox",
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

    def quads(self, graph: str | None = None) -> list[ox.Quad]:
        """Every quad (of one named graph, if given) as pyoxigraph quads, for the store room's own
        writers (``cdkg push`` serializes them as N-Triples); other rooms use `query`.

        Parameters
        ----------
        graph : str, optional
            The IRI of one named graph.

        Returns
        -------
        list of pyoxigraph.Quad

        Examples
        --------
        >>> store = Store.in_memory()
        >>> store.replace_graphs({"http://e/g": [(URIRef("http://e/s"), URIRef("http://e/p"), Literal("o"))]})
        >>> [q.graph_name.value for q in store.quads()]
        ['http://e/g']
        """
        target = ox.NamedNode(graph) if graph else None
        return list(self._ox.quads_for_pattern(None, None, None, target))

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
            raise syntax_error(name, str(exc), sparql) from exc

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
            raise syntax_error(name, str(exc), text) from exc
        except (OSError, RuntimeError) as exc:
            raise CdkgError(f"query {name}: {str(exc).splitlines()[0]}") from exc
        return result_from_ox(answer)

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


#: The prefixes of TriG and Turtle dumps.
_PREFIXES = {name: PREFIXES[name] for name in ("cdo", "rdf", "rdfs", "owl", "xsd", "skos", "prov", "dcterms", "oa", "wd")}


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
            rows = [tuple(plain(row[i]) for i in range(len(names))) for row in answer]
            return QueryResult("select", vars=names, rows=rows)
        graph = rdflib.Graph()
        for triple in answer:
            graph.add(tuple(plain(t) for t in triple))
        return QueryResult("graph", graph=graph)

    def close(self) -> None:
        pass

    def __enter__(self) -> "ReferenceStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
