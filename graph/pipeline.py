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
        """All facts of the document at ``path``.

        Parameters
        ----------
        path : Path
            The document file (see :func:`cdkg.graph.text.documents.read_document`).
        published : str, optional
            The publication date, ``YYYY[-MM[-DD]]``; it overrides the document's metadata.

        Returns
        -------
        DocumentFacts

        Examples
        --------
        >>> import tempfile
        >>> from pathlib import Path
        >>> from rdflib import Graph
        >>> from cdkg.graph.pipeline import Pipeline
        >>> from cdkg.graph.text.lexicon import Entry, Lexicon
        >>> entry = Entry(iri="https://example.org/ruritania", type="State", labels={"en": "Ruritania"},
        ...               match_labels=[("Ruritania", "en")])
        >>> pipeline = Pipeline(Lexicon(entries={entry.iri: entry}, graph=Graph()))
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = Path(folder) / "note.txt"
        ...     _ = path.write_text("Ruritania signed the Zenda Accord.", encoding="utf-8")
        ...     result = pipeline.extract(path, published="2024-05-03")
        >>> result.doc.published, [(f.subject.label, f.relation, f.object.label) for f in result.facts]
        ('2024-05-03', [('Ruritania', 'partyTo', 'Zenda Accord')])
        """
        return self.extract_document(read_document(path, published=published))

    def extract_document(self, doc: Document) -> DocumentFacts:
        """All facts of a document already read (`cdkg.graph.text.documents.read_document`).

        Parameters
        ----------
        doc : Document

        Returns
        -------
        DocumentFacts
            The facts, every entity they mention, and the analysis they were read from.

        Examples
        --------
        >>> from cdkg.graph.text.documents import Document
        >>> from rdflib import Graph
        >>> from cdkg.graph.pipeline import Pipeline
        >>> from cdkg.graph.text.lexicon import Entry, Lexicon
        >>> entry = Entry(iri="https://example.org/ruritania", type="State", labels={"en": "Ruritania"},
        ...               match_labels=[("Ruritania", "en")])
        >>> pipeline = Pipeline(Lexicon(entries={entry.iri: entry}, graph=Graph()))
        >>> doc = Document.from_text("Ruritania signed the Zenda Accord on 3 May 2024.", language="en")
        >>> [(f.subject.label, f.relation) for f in pipeline.extract_document(doc).facts]
        [('Ruritania', 'partyTo'), ('Zenda Accord', 'date')]
        """
        return extract_facts(doc, self.gazetteer)
