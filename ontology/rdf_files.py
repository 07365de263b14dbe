"""Reading RDF files of any common syntax into one graph.

Instance data comes as TriG or N-Quads (one named graph per document) or as Turtle; the
ontology tools reason over and validate the union of all its graphs.
"""

from __future__ import annotations

from pathlib import Path

import rdflib

from cdkg.errors import CdkgError

__all__ = ["FORMATS", "rdf_format", "load_union"]

#: rdflib parser names by file suffix.
FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".trig": "trig",
    ".nq": "nquads",
    ".nquads": "nquads",
    ".nt": "nt",
    ".ntriples": "nt",
    ".owl": "xml",
    ".rdf": "xml",
    ".xml": "xml",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".n3": "n3",
}

_QUAD_FORMATS = {"trig", "nquads", "json-ld"}


def rdf_format(path: Path) -> str:
    """The rdflib format name for *path*, from its suffix.

    Parameters
    ----------
    path : Path

    Returns
    -------
    str
        An rdflib parser name; an unknown suffix raises `CdkgError`.

    Examples
    --------
    >>> rdf_format(Path("build/graph.trig"))
    'trig'
    >>> rdf_format(Path("notes.txt"))
    Traceback (most recent call last):
    ...
    cdkg.errors.CdkgError: notes.txt: unknown RDF syntax '.txt' (use .ttl, .trig, .nq, .nt, .owl/.rdf or .jsonld)
    """
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise CdkgError(
            f"{path}: unknown RDF syntax '{Path(path).suffix}' (use .ttl, .trig, .nq, .nt, .owl/.rdf or .jsonld)"
        )
    return fmt


def load_union(path: Path) -> rdflib.Graph:
    """Parse *path* and return the union of its graphs (default and named) as one plain graph.

    Raises ``CdkgError`` naming the file if it is missing or does not parse.

    Parameters
    ----------
    path : Path
        An RDF file of any common syntax (TriG and N-Quads included).

    Returns
    -------
    rdflib.Graph

    Examples
    --------
    >>> from cdkg.paths import SOURCE_ROOT
    >>> len(load_union(SOURCE_ROOT / "tests" / "fixtures" / "sample.trig")) > 100
    True
    """
    path = Path(path)
    fmt = rdf_format(path)
    if not path.is_file():
        raise CdkgError(f"{path}: no such file")
    try:
        if fmt in _QUAD_FORMATS:
            dataset = rdflib.Dataset()
            dataset.parse(path, format=fmt)
            union = rdflib.Graph()
            for s, p, o, _graph in dataset.quads((None, None, None, None)):
                union.add((s, p, o))
            for prefix, namespace in dataset.namespaces():
                union.bind(prefix, namespace, override=False)
            return union
        return rdflib.Graph().parse(path, format=fmt)
    except CdkgError:
        raise
    except Exception as exc:  # rdflib raises many parser-specific types
        message = " ".join(str(exc).split())[:300]
        raise CdkgError(f"{path}: not valid {fmt}: {message}") from exc
