"""The extraction pipeline in one object: document -> mentions -> facts, lexicon loaded once.

The one assembly of the reading steps: ``cdkg extract``, ``cdkg evaluate``, ``cdkg build`` and the
benchmark all extract through a `Pipeline`.
"""

from __future__ import annotations

from pathlib import Path

from cdkg.graph.text.documents import Document, read_document
from cdkg.graph.facts.extract import DocumentFacts, extract_facts
from cdkg.graph.text.gazetteer import Gazetteer
from cdkg.graph.text.lexicon import Lexicon, load_lexicon

__all__ = ["Pipeline"]


class Pipeline:
    """Reads documents and extracts their facts with one compiled lexicon."""

    def __init__(self, lexicon: Lexicon | Path | str | None = None):
        if not isinstance(lexicon, Lexicon):
            lexicon = load_lexicon(Path(lexicon) if lexicon else None)
        self.lexicon = lexicon
        self.gazetteer = Gazetteer(lexicon)

    def extract(self, path: Path, published: str | None = None) -> DocumentFacts:
        """All facts of the document at ``path``."""
        return self.extract_document(read_document(path, published=published))

    def extract_document(self, doc: Document) -> DocumentFacts:
        """All facts of a document already read (`cdkg.graph.text.documents.read_document`)."""
        return extract_facts(doc, self.gazetteer)
