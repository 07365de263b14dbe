"""Where the tool finds its data files and writes its outputs.

Every location can be overridden by an environment variable so that tests and users can
point the tool at their own lexicon, documents or build folder.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The repository (or source tree) the package was installed from.
ROOT = Path(__file__).resolve().parent.parent

ONTOLOGY_DIR = ROOT / "ontology"
ONTOLOGY_TTL = ONTOLOGY_DIR / "cdo.ttl"
SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"
ONTOLOGY_OWL = ONTOLOGY_DIR / "cdo.owl"
QUERIES_DIR = ROOT / "queries"


def lexicon_dir() -> Path:
    """The folder of lexicon Turtle files (``CDKG_LEXICON`` overrides ``data/lexicon``)."""
    return Path(os.environ.get("CDKG_LEXICON", ROOT / "data" / "lexicon"))


def documents_dir() -> Path:
    """The folder `cdkg build` reads (``CDKG_DOCUMENTS`` overrides ``data/documents``)."""
    return Path(os.environ.get("CDKG_DOCUMENTS", ROOT / "data" / "documents"))


def build_dir() -> Path:
    """The folder every output goes to (``CDKG_BUILD`` overrides ``build``)."""
    return Path(os.environ.get("CDKG_BUILD", ROOT / "build"))
