"""The rdflib reference store: the reading API of `~cdkg.graph.store.store.Store` on rdflib's ``Dataset``.

Slow, but the reference: the tests cross-check Oxigraph's answers against it, and the benchmark
compares with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import rdflib
from rdflib import Literal, URIRef  # noqa: F401 - Literal is used by the examples

from cdkg.errors import CdkgError
from cdkg.graph.store.sparql import QueryResult, plain, with_values
from cdkg.graph.store.store import RDFLIB_FORMATS, format_for_path

__all__ = ["ReferenceStore"]


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
        """An empty reference store.

        Returns
        -------
        ReferenceStore
            Over a new rdflib ``Dataset`` (its ``dataset`` attribute).

        Examples
        --------
        >>> type(ReferenceStore.in_memory().dataset).__name__
        'Dataset'
        """
        return cls(rdflib.Dataset())

    def load_file(self, path: Path | str, graph: str | None = None, format: str | None = None) -> None:
        """Parse an RDF file into the dataset (into ``graph`` for triple formats).

        Parameters
        ----------
        path, graph, format
            As for `Store.load_file <cdkg.graph.store.store.Store.load_file>`.

        Examples
        --------
        >>> from cdkg.paths import SOURCE_ROOT
        >>> ref = ReferenceStore.in_memory()
        >>> ref.load_file(SOURCE_ROOT / "tests" / "fixtures" / "sample.trig")
        >>> len(ref.graph_names()) > 1
        True
        """
        fmt = format_for_path(path, format)
        try:
            if fmt in ("trig", "nq"):
                self.dataset.parse(str(path), format=RDFLIB_FORMATS[fmt])
            else:
                target = self.dataset.graph(URIRef(graph)) if graph else self.dataset.default_graph
                target.parse(str(path), format=RDFLIB_FORMATS[fmt])
        except Exception as exc:  # rdflib raises many parser-specific types
            raise CdkgError(f"{path}: cannot parse as {fmt}: {str(exc).splitlines()[0]}") from exc

    def replace_graphs(self, graphs: Mapping[str, Iterable]) -> None:
        """Replace each named graph by the given triples.

        Parameters
        ----------
        graphs
            As for `Store.replace_graphs <cdkg.graph.store.store.Store.replace_graphs>`.

        Examples
        --------
        >>> ref = ReferenceStore.in_memory()
        >>> ref.replace_graphs({"http://e/g": [(URIRef("http://e/a"), URIRef("http://e/p"), Literal("x"))]})
        >>> len(ref)
        1
        """
        for name, triples in graphs.items():
            self.dataset.remove_graph(URIRef(str(name)))
            target = self.dataset.graph(URIRef(str(name)))
            for triple in triples:
                target.add(triple)

    def graph_names(self) -> set[str]:
        """The IRIs of the named graphs that hold at least one triple.

        Returns
        -------
        set of str

        Examples
        --------
        >>> ReferenceStore.in_memory().graph_names()
        set()
        """
        return {str(g.identifier) for g in self.dataset.graphs()
                if isinstance(g.identifier, URIRef) and len(g)
                and g.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID}

    def __len__(self) -> int:
        return len(self.dataset)

    def query(self, sparql: str, bindings: Mapping[str, object] | None = None,
              use_default_graph_as_union: bool = True, name: str = "sparql") -> QueryResult:
        """Run a query on rdflib (parameters through a ``VALUES`` block).

        Parameters
        ----------
        sparql, bindings, use_default_graph_as_union, name
            As for `Store.query <cdkg.graph.store.store.Store.query>`.

        Returns
        -------
        QueryResult

        Examples
        --------
        >>> ReferenceStore.in_memory().query("SELECT ?x WHERE { BIND(?y AS ?x) }", {"y": Literal("a")}).rows
        [(rdflib.term.Literal('a'),)]
        """
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
        """Nothing to release (the dataset lives in memory).

        Examples
        --------
        >>> with ReferenceStore.in_memory() as ref:
        ...     len(ref)
        0
        """
        pass

    def __enter__(self) -> "ReferenceStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
