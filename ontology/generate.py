"""The ontology as a graph, and its RDF/XML rendering ``cdo.owl`` for owlready2 (which reads no Turtle).

``cdo.ttl`` is the source people edit; ``cdo.owl`` is generated from it and committed so that
owlready2 and other OWL tools can load the ontology without rdflib.
"""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib.compare import isomorphic, to_canonical_graph

from cdkg import paths
from cdkg.errors import CdkgError
from cdkg.namespaces import ONTOLOGY_IRI
from cdkg.files import write_atomic
from cdkg.ontology.rdf_files import load_union

__all__ = ["ONTOLOGY_IRI", "load_ontology", "owl_xml", "build_owl", "owl_is_current"]

#: The IRI of the ontology (the namespace without its '#').

_HEADER = (
    "<!-- GENERATED from ontology/cdo.ttl by `cdkg ontology build`; edit the Turtle, not this file. -->\n"
)


def load_ontology(path: Path | None = None) -> rdflib.Graph:
    """The ontology graph parsed from *path* (default ``ontology/cdo.ttl``).

    Parameters
    ----------
    path : Path, optional
        A Turtle file (default: the packaged ``cdo.ttl``).

    Returns
    -------
    rdflib.Graph

    Examples
    --------
    >>> g = load_ontology()
    >>> (ONTOLOGY_IRI, rdflib.RDF.type, rdflib.OWL.Ontology) in g
    True
    """
    path = Path(path) if path is not None else paths.ONTOLOGY_TTL
    graph = load_union(path)
    if (ONTOLOGY_IRI, rdflib.RDF.type, rdflib.OWL.Ontology) not in graph and not any(
        graph.subjects(rdflib.RDF.type, rdflib.OWL.Ontology)
    ):
        raise CdkgError(f"{path}: no owl:Ontology header")
    return graph


class _SortedGraph(rdflib.Graph):
    """A graph that lists subjects and their statements in sorted order (what the RDF/XML writer walks)."""

    def subjects(self, predicate=None, object=None, unique=False):  # noqa: A002 - rdflib's signature
        return iter(sorted(set(super().subjects(predicate, object))))

    def predicate_objects(self, subject=None, unique=False):
        return iter(sorted(set(super().predicate_objects(subject))))


def owl_xml(graph: rdflib.Graph) -> str:
    """The graph as RDF/XML text, with a header saying it is generated.

    The plain ``xml`` serializer is used: ``pretty-xml`` drops statements on blank nodes inside
    RDF lists (the class expressions of owl:intersectionOf / owl:unionOf). Blank nodes get
    canonical names and subjects and statements are written in sorted order, so the same Turtle always gives the
    same file (no churn in git).

    Parameters
    ----------
    graph : rdflib.Graph
        The ontology.

    Returns
    -------
    str
        RDF/XML, first line a comment naming its source.

    Examples
    --------
    >>> owl_xml(load_ontology()).startswith("<?xml")
    True
    """
    ordered = _SortedGraph()
    for prefix, namespace in graph.namespaces():
        ordered.bind(prefix, namespace, override=True)
    for triple in to_canonical_graph(graph):
        ordered.add(triple)
    text = ordered.serialize(format="xml", encoding="utf-8").decode("utf-8")
    declaration, _, body = text.partition("\n")
    return f"{declaration}\n{_HEADER}{body}"


def build_owl(ttl: Path | None = None, owl: Path | None = None) -> tuple[Path, int]:
    """Regenerate the RDF/XML file *owl* from the Turtle *ttl*; return its path and triple count.

    Parameters
    ----------
    ttl : Path, optional
        The Turtle source (default: the packaged ``cdo.ttl``).
    owl : Path, optional
        The RDF/XML file to write (default: the packaged ``cdo.owl``).

    Returns
    -------
    tuple of (Path, int)
        The file written and its number of triples.

    Examples
    --------
    >>> import tempfile
    >>> out, count = build_owl(owl=Path(tempfile.mkdtemp()) / "cdo.owl")
    >>> owl_is_current(owl=out), count > 500
    (True, True)
    """
    ttl = Path(ttl) if ttl is not None else paths.ONTOLOGY_TTL
    owl = Path(owl) if owl is not None else paths.ONTOLOGY_OWL
    graph = load_ontology(ttl)
    write_atomic(owl, owl_xml(graph))
    return owl, len(graph)


def owl_is_current(ttl: Path | None = None, owl: Path | None = None) -> bool:
    """Whether *owl* holds exactly the triples of *ttl* (blank nodes compared up to renaming).

    Parameters
    ----------
    ttl : Path, optional
        The Turtle source.
    owl : Path, optional
        The RDF/XML rendering.

    Returns
    -------
    bool

    Examples
    --------
    >>> owl_is_current()
    True
    """
    ttl = Path(ttl) if ttl is not None else paths.ONTOLOGY_TTL
    owl = Path(owl) if owl is not None else paths.ONTOLOGY_OWL
    if not owl.is_file():
        return False
    return isomorphic(load_ontology(ttl), load_union(owl))
