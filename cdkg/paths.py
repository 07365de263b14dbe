"""Where the tool finds its data files and writes its outputs.

Two kinds of location:

- **package data**, shipped inside the installed package and reached through
  :mod:`importlib.resources`: the ontology (``cdkg.ontology``), the library queries
  (``cdkg.queries``), and the lexicon and patterns (``cdkg.data``). These are the same whether
  the package is installed from a wheel or from a source checkout in editable mode.
- **user folders**, relative to the project folder: the current directory, or ``--project DIR``
  (``CDKG_PROJECT``). Documents are read from ``data/documents`` and outputs written to ``build``
  under it. Every location can be overridden by an environment variable.

>>> (data_dir() / "patterns" / "triggers.json").is_file()
True
>>> (ONTOLOGY_DIR / "cdo.ttl").is_file()
True
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path


def _package_dir(package: str) -> Path:
    """The folder of an installed package (a real folder: the wheel is not zip-safe)."""
    return Path(str(files(package)))


#: Package data: the ontology, the library queries, the lexicon and patterns.
ONTOLOGY_DIR = _package_dir("cdkg.ontology")
ONTOLOGY_TTL = ONTOLOGY_DIR / "cdo.ttl"
SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"
ONTOLOGY_OWL = ONTOLOGY_DIR / "cdo.owl"
QUERIES_DIR = _package_dir("cdkg.queries")
VISUALIZE_DIR = _package_dir("cdkg.visualize")
CODE_DIRS = tuple(_package_dir(p) for p in ("cdkg.graph",))


def data_dir() -> Path:
    """The packaged data folder (lexicon, patterns, an example linked dataset).

    Returns
    -------
    Path

    Examples
    --------
    >>> (data_dir() / "lexicon").is_dir()
    True
    """
    return _package_dir("cdkg.data")


def patterns_dir() -> Path:
    """The folder of rule patterns and trigger words (``data/patterns``).

    Returns
    -------
    Path

    Examples
    --------
    >>> (patterns_dir() / "dates.json").is_file()
    True
    """
    return data_dir() / "patterns"


def project_dir() -> Path:
    """The user's project folder: ``CDKG_PROJECT`` (set by ``cdkg --project``), else the current directory.

    Returns
    -------
    Path

    Examples
    --------
    >>> import os
    >>> project_dir() == Path(os.environ.get("CDKG_PROJECT") or os.getcwd())
    True
    """
    return Path(os.environ.get("CDKG_PROJECT") or os.getcwd())


def lexicon_dir() -> Path:
    """The folder of lexicon Turtle files (``CDKG_LEXICON`` overrides the packaged lexicon).

    Returns
    -------
    Path

    Examples
    --------
    >>> (lexicon_dir() / "countries.ttl").is_file() or "CDKG_LEXICON" in os.environ
    True
    """
    return Path(os.environ.get("CDKG_LEXICON") or data_dir() / "lexicon")


def documents_dir() -> Path:
    """The folder `cdkg build` reads (``CDKG_DOCUMENTS`` overrides ``PROJECT/data/documents``).

    Returns
    -------
    Path

    Examples
    --------
    >>> documents_dir().parts[-2:] == ("data", "documents") or "CDKG_DOCUMENTS" in os.environ
    True
    """
    return Path(os.environ.get("CDKG_DOCUMENTS") or project_dir() / "data" / "documents")


def build_dir() -> Path:
    """The folder every output goes to (``CDKG_BUILD`` overrides ``PROJECT/build``).

    Returns
    -------
    Path

    Examples
    --------
    >>> build_dir().name == "build" or "CDKG_BUILD" in os.environ
    True
    """
    return Path(os.environ.get("CDKG_BUILD") or project_dir() / "build")


#: The source checkout this module lies in, for developer tasks only (regenerating expected query
#: rows, the ontology's HTML docs, doctests on test fixtures). Never used to find package data.
SOURCE_ROOT = Path(__file__).resolve().parent.parent
