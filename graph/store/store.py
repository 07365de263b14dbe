"""The persistent graph store: named graphs on disk through Oxigraph, queried with SPARQL.

`Store` wraps a ``pyoxigraph.Store`` (a folder on disk, or memory) behind a small API that speaks
rdflib terms, so the rest of the tool never touches pyoxigraph types. `ReferenceStore` offers the
same reading API on rdflib's in-memory ``Dataset`` (`cdkg.graph.store.reference`): it is the
reference implementation the tests cross-check against and the benchmark compares with.

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

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef  # noqa: F401 - Literal is used by the examples

from cdkg.errors import CdkgError
from cdkg.files import write_atomic
from cdkg.graph.store.formats import RDFLIB_FORMATS, format_for_path  # noqa: F401 - re-exported
from cdkg.graph.store.transaction import check_committed
from cdkg.graph.store.sparql import (QueryResult, from_ox, result_from_ox, sparql_term, syntax_error, to_ox,
                                     with_values)
from cdkg.namespaces import PREFIXES

__all__ = [
    "Store", "QueryResult", "with_values", "sparql_term", "from_ox",
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
        """The store in folder ``path`` (created if missing, unless ``read_only``).

        Parameters
        ----------
        path : Path or str
            The store folder (``build/store``).
        read_only : bool
            Open without a write lock, so a running build or server does not block the reader; a
            missing folder is then an error.

        Returns
        -------
        Store

        Examples
        --------
        >>> Store.open("no/such/store", read_only=True)
        Traceback (most recent call last):
        ...
        cdkg.errors.CdkgError: no/such/store: no store here (build one with `cdkg build`)
        """
        path = Path(path)
        check_committed(path)
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
        """A store that lives in memory only.

        Returns
        -------
        Store

        Examples
        --------
        >>> len(Store.in_memory())
        0
        """
        return cls(ox.Store())

    def close(self) -> None:
        """Flush writes to disk and release the store.

        Examples
        --------
        >>> with Store.in_memory() as store:
        ...     pass
        >>> store.close()  # closing twice is harmless
        """
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

        Graphs not named here are left untouched. The old graphs are dropped in one update and the
        new quads added in one atomic ``extend``: a graph interrupted between the two is missing,
        never half-written.

        Parameters
        ----------
        graphs : mapping of str to iterable of (s, p, o)
            Named graph IRI -> its new triples, as rdflib terms.

        Examples
        --------
        >>> store = Store.in_memory()
        >>> a, p = URIRef("http://e/a"), URIRef("http://e/p")
        >>> store.replace_graphs({"http://e/g": [(a, p, Literal("1")), (a, p, Literal("2"))]})
        >>> store.replace_graphs({"http://e/g": [(a, p, Literal("3"))]})
        >>> len(store)
        1
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


    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Add pyoxigraph quads by the bulk loader: fast, not transactional on its own (the build
        writes into a work copy its transaction swaps in whole, `cdkg.graph.store.transaction`).

        Examples
        --------
        >>> store = Store.in_memory()
        >>> store.add_quads([ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x"))])
        """
        try:
            self._ox.bulk_extend(quads)
        except (OSError, RuntimeError) as exc:
            raise CdkgError(f"{self.path or 'store'}: cannot write: {str(exc).splitlines()[0]}") from exc

    def load_nquads(self, data: bytes) -> None:
        """Bulk-load N-Quads bytes (what the build's workers send back).

        Examples
        --------
        >>> store = Store.in_memory()
        >>> store.load_nquads(b'<http://e/a> <http://e/p> "x" <http://e/g> .\\n')
        >>> store.graph_names()
        {'http://e/g'}
        """
        if data:
            try:
                self._ox.bulk_load(input=data, format=ox.RdfFormat.N_QUADS)
            except (OSError, SyntaxError, ValueError) as exc:
                raise CdkgError(f"{self.path or 'store'}: cannot load: {str(exc).splitlines()[0]}") from exc

    def remove_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Remove pyoxigraph quads (one transaction each; the reasoner removes few).

        Examples
        --------
        >>> store = Store.in_memory()
        >>> q = ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x"), ox.NamedNode("http://e/g"))
        >>> store.add_quads([q]); store.remove_quads([q]); len(store)
        0
        """
        for q in quads:
            self._ox.remove(q)

    def match(self, subject=None, predicate=None, object=None, graph=None):
        """The pyoxigraph quads matching a pattern of pyoxigraph terms (``None``: any), for the
        store room's own code (the reasoner, the build); other rooms use `query`.

        Examples
        --------
        >>> [q.object.value for q in Store.in_memory().match(predicate=ox.NamedNode("http://e/p"))]
        []
        """
        return self._ox.quads_for_pattern(subject, predicate, object, graph)

    def count(self, graph: str) -> int:
        """The number of triples in the named graph of IRI ``graph``.

        Examples
        --------
        >>> Store.in_memory().count("http://e/g")
        0
        """
        answer = self._ox.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}")
        return int(next(iter(answer))[0].value)     # (a NamedNode is a checked IRI: safe in the text)

    def remove_graphs(self, iris: Iterable[str]) -> None:
        """Remove the named graphs (a missing one is ignored), in one transaction.

        Parameters
        ----------
        iris : iterable of str
            The graph IRIs.

        Examples
        --------
        >>> store = Store.in_memory()
        >>> store.replace_graphs({"http://e/g": [(URIRef("http://e/a"), URIRef("http://e/p"), Literal("x"))]})
        >>> store.remove_graphs(["http://e/g", "http://e/missing"])
        >>> store.graph_names()
        set()
        """
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

    def backup(self, target: Path | str) -> Path:
        """A consistent copy of the store in the new folder ``target`` (hard links where possible).

        Parameters
        ----------
        target : Path or str
            A folder that does not exist yet.

        Returns
        -------
        Path
            ``target``, a store folder `open` reads.

        Examples
        --------
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> with Store.open(folder / "a") as store:
        ...     store.update('INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/p> "x" } }')
        ...     copy = store.backup(folder / "b")
        >>> len(Store.open(copy, read_only=True))
        1
        """
        target = Path(target)
        try:
            self._ox.backup(str(target))
        except OSError as exc:
            raise CdkgError(f"{target}: cannot back the store up: {str(exc).splitlines()[0]}") from exc
        return target

    def graph_names(self) -> set[str]:
        """The IRIs of the named graphs that hold at least one triple.

        Returns
        -------
        set of str

        Examples
        --------
        >>> store = Store.in_memory()
        >>> store.replace_graphs({"http://e/g": [(URIRef("http://e/a"), URIRef("http://e/p"), Literal("x"))]})
        >>> store.graph_names()
        {'http://e/g'}
        """
        return {g.value for g in self._ox.named_graphs() if isinstance(g, ox.NamedNode)
                and next(iter(self._ox.quads_for_pattern(None, None, None, g)), None) is not None}

    def load_file(self, path: Path | str, graph: str | None = None, format: str | None = None) -> None:
        """Bulk-load an RDF file; triples go into ``graph`` (or the default graph), quads keep theirs.

        Parameters
        ----------
        path : Path or str
            An RDF file (TriG, N-Quads, Turtle, N-Triples, JSON-LD, RDF/XML).
        graph : str, optional
            The named graph for the triples of a triple format.
        format : str, optional
            The format, when the suffix does not say it (see `format_for_path`).

        Examples
        --------
        >>> from cdkg.paths import SOURCE_ROOT
        >>> store = Store.in_memory()
        >>> store.load_file(SOURCE_ROOT / "tests" / "fixtures" / "sample.trig")
        >>> len(store) > 100
        True
        """
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
        """Run a SPARQL 1.1 Update in one transaction.

        Parameters
        ----------
        sparql : str
            The update text.
        name : str
            Its name in error messages.

        Examples
        --------
        >>> store = Store.in_memory()
        >>> store.update('INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/p> "x" } }')
        >>> len(store)
        1
        """
        if self.read_only:
            raise CdkgError(f"{self.path}: store opened read-only")
        try:
            self._ox.update(sparql)
        except SyntaxError as exc:
            raise syntax_error(name, str(exc), sparql) from exc

    # reading
    def query(self, sparql: str, bindings: Mapping[str, object] | None = None,
              use_default_graph_as_union: bool = True, name: str = "sparql") -> QueryResult:
        """Run a SPARQL query; ``bindings`` map variable names to rdflib terms.

        Bindings go to Oxigraph as substitutions, which its optimizer pushes into every pattern
        (a bound document: ~1 ms instead of seconds at 10^6 triples); a VALUES block is the
        fallback where substitution is refused.

        Parameters
        ----------
        sparql : str
            A SELECT, ASK, CONSTRUCT or DESCRIBE query.
        bindings : mapping of str to rdflib term, optional
            Parameters, bound as RDF terms (never pasted into the text); ``None`` values are left unbound.
        use_default_graph_as_union : bool
            Whether the default graph is the union of all named graphs (the views' queries need not
            say ``GRAPH``); library queries name their graphs and work either way.
        name : str
            The query's name in error messages.

        Returns
        -------
        QueryResult
            Rows of rdflib terms for SELECT, a boolean for ASK, an rdflib graph for CONSTRUCT.

        Examples
        --------
        >>> Store.in_memory().query("SELECT ?x WHERE { BIND(1 AS ?x) }").rows
        [(rdflib.term.Literal('1', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer')),)]
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
        """Write the whole store to ``path`` atomically, streamed by the store in the order of its
        index (a function of the content: same content, same bytes, nothing held in memory).

        TriG, N-Quads and JSON-LD keep named graphs; the triple formats get the union of all graphs.

        Parameters
        ----------
        path : Path or str
            The file to write.
        format : str, optional
            The format, when the suffix does not say it.

        Returns
        -------
        Path
            ``path``.

        Examples
        --------
        >>> import tempfile
        >>> store = Store.in_memory()
        >>> store.replace_graphs({"http://e/g": [(URIRef("http://e/a"), URIRef("http://e/p"), Literal("x"))]})
        >>> print(store.dump(Path(tempfile.mkdtemp()) / "g.nq").read_text(), end="")
        <http://e/a> <http://e/p> "x" <http://e/g> .
        """
        path = Path(path)
        fmt = format_for_path(path, format)
        oxfmt = EXPORT_FORMATS[fmt]
        prefixes = {"prefixes": _PREFIXES} if fmt in ("trig", "ttl") else {}
        if not oxfmt.supports_datasets:
            triples = self._ox.query(
                "CONSTRUCT { ?s ?p ?o } WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
            write_atomic(path, ox.serialize(triples, format=oxfmt, **prefixes))
            return path
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            with open(tmp, "wb") as handle:
                self._ox.dump(handle, format=oxfmt, **prefixes)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise CdkgError(f"{path}: cannot write: {str(exc).splitlines()[0]}") from exc
        return path

#: The prefixes of TriG and Turtle dumps.
_PREFIXES = {name: PREFIXES[name] for name in ("cdo", "rdf", "rdfs", "owl", "xsd", "skos", "prov", "dcterms", "oa", "wd")}
