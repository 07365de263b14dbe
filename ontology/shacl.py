"""SHACL validation of instance data against ``ontology/shapes.ttl`` (a thin wrapper on pySHACL).

The ontology is passed as pySHACL's ``ont_graph``, so class targets reach instances of
subclasses; inference is off by default (``rdfs`` is available) to keep validation fast.
"""

from __future__ import annotations

from pathlib import Path

import rdflib

from cdkg import paths
from cdkg.errors import CdkgError
from cdkg.ontology.generate import load_ontology
from cdkg.ontology.rdf_files import load_union

__all__ = ["INFERENCE", "load_shapes", "validate", "failing_shapes"]

#: The inference options offered (pySHACL's names).
INFERENCE = ("none", "rdfs")

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def load_shapes(path: Path | None = None) -> rdflib.Graph:
    """The shapes graph parsed from *path* (default ``ontology/shapes.ttl``).

    Parameters
    ----------
    path : Path, optional
        A Turtle file (default: the packaged ``shapes.ttl``).

    Returns
    -------
    rdflib.Graph

    Examples
    --------
    >>> len(load_shapes()) > 0
    True
    """
    return load_union(Path(path) if path is not None else paths.SHAPES_TTL)


def _validate(data_graph, shapes_graph, ontology_graph, inference):
    import pyshacl  # imported here: it is slow to import and only validation needs it

    if inference not in INFERENCE:
        raise CdkgError(f"inference '{inference}': use one of {', '.join(INFERENCE)}")
    return pyshacl.validate(
        data_graph,
        shacl_graph=shapes_graph if shapes_graph is not None else load_shapes(),
        ont_graph=ontology_graph if ontology_graph is not None else load_ontology(),
        inference=None if inference == "none" else inference,
        advanced=True,
        allow_warnings=False,
        do_owl_imports=False,
    )


def validate(
    data_graph: rdflib.Graph,
    shapes_graph: rdflib.Graph | None = None,
    ontology_graph: rdflib.Graph | None = None,
    inference: str = "none",
) -> tuple[bool, str]:
    """Validate *data_graph*; return whether it conforms and pySHACL's text report.

    A TriG must be passed as the union of its graphs (see ``rdf_files.load_union``).

    Parameters
    ----------
    data_graph : rdflib.Graph
        The instance data (a TriG as the union of its graphs).
    shapes_graph : rdflib.Graph, optional
        Default: `load_shapes`.
    ontology_graph : rdflib.Graph, optional
        Mixed in for RDFS inference (default: the packaged ontology).
    inference : str
        pySHACL's inference mode.

    Returns
    -------
    tuple of (bool, str)

    Examples
    --------
    >>> from cdkg.namespaces import CDO, ID
    >>> g = rdflib.Graph().add((ID["state/XA"], rdflib.RDF.type, CDO.State))
    >>> conforms, report = validate(g)
    >>> conforms, "iso3166Alpha2" in report, report.splitlines()[-1]
    (False, True, 'Failing shapes: cdosh:StateShape')
    """
    shapes = shapes_graph if shapes_graph is not None else load_shapes()
    conforms, results, text = _validate(data_graph, shapes, ontology_graph, inference)
    text = str(text)
    if not conforms:
        text = text.rstrip("\n") + "\nFailing shapes: " + ", ".join(sorted(_named_sources(results, shapes))) + "\n"
    return bool(conforms), text


def failing_shapes(
    data_graph: rdflib.Graph,
    shapes_graph: rdflib.Graph | None = None,
    ontology_graph: rdflib.Graph | None = None,
    inference: str = "none",
) -> set[str]:
    """The named shapes (e.g. ``cdosh:ClaimShape``) that report at least one violation.

    A finding on an anonymous property shape is attributed to the named node shape that holds it.

    Parameters
    ----------
    data_graph : rdflib.Graph
        The instance data.
    shapes_graph, ontology_graph, inference
        As for `validate`.

    Returns
    -------
    set of str

    Examples
    --------
    >>> failing_shapes(rdflib.Graph())
    set()
    """
    shapes = shapes_graph if shapes_graph is not None else load_shapes()
    _conforms, results, _text = _validate(data_graph, shapes, ontology_graph, inference)
    return _named_sources(results, shapes)


def _named_sources(results: rdflib.Graph, shapes: rdflib.Graph) -> set[str]:
    """The named shapes behind the results (an anonymous property shape counts for its node shape)."""
    named = set()
    for shape in results.objects(None, SH.sourceShape):
        owners = [shape] if isinstance(shape, rdflib.URIRef) else list(shapes.subjects(SH.property, shape))
        for owner in owners:
            if isinstance(owner, rdflib.URIRef):
                named.add(shapes.namespace_manager.normalizeUri(owner))
    return named
