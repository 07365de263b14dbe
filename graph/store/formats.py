"""The RDF file formats the store reads and writes, by short name, and the format of a file by its suffix.

Kept apart from `cdkg.graph.store.store` so that building the command line (``cdkg --help``)
names the formats without loading pyoxigraph.
"""

from __future__ import annotations

from pathlib import Path

from cdkg.errors import CdkgError

__all__ = ["FORMAT_NAMES", "RDFLIB_FORMATS", "format_for_path"]

#: Short names of the formats (TriG, N-Quads and JSON-LD keep named graphs).
FORMAT_NAMES = ("ttl", "trig", "nt", "nq", "jsonld", "xml")
_SUFFIXES = {"turtle": "ttl", "rdf": "xml", "owl": "xml", "json": "jsonld", "nquads": "nq", "ntriples": "nt"}
#: Short name -> rdflib's name of the format.
RDFLIB_FORMATS = {"ttl": "turtle", "trig": "trig", "nt": "nt", "nq": "nquads", "jsonld": "json-ld", "xml": "xml"}


def format_for_path(path: Path | str, fmt: str | None = None) -> str:
    """The short format name (ttl, trig, nt, nq, jsonld, xml) given explicitly or by file suffix.

    Parameters
    ----------
    path : Path or str
        The file; its suffix names the format when ``fmt`` is not given.
    fmt : str, optional
        A format name or alias (``turtle``, ``nquads``, ``json``...).

    Returns
    -------
    str
        One of `FORMAT_NAMES`; an unknown format raises a one-line `CdkgError`.

    Examples
    --------
    >>> format_for_path("graph.trig"), format_for_path("x.rdf"), format_for_path("x", "turtle")
    ('trig', 'xml', 'ttl')
    """
    name = (fmt or Path(path).suffix.lstrip(".")).lower()
    name = _SUFFIXES.get(name, name)
    if name not in FORMAT_NAMES:
        raise CdkgError(f"{path}: unknown RDF format {name or '(no suffix)'!r}; "
                        f"use one of {', '.join(FORMAT_NAMES)}")
    return name
