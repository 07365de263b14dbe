"""The lexicon: states, organizations, places, persons, principles and topics from data files.

Everything the pipeline knows exists in the world independently of documents is read from
the Turtle files of ``data/lexicon/`` (SKOS labels with language tags), never from code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from cdkg.errors import CdkgError
from cdkg.namespaces import CDO, SCHEMA
from cdkg.paths import lexicon_dir

__all__ = ["Entry", "Lexicon", "load_lexicon"]

#: Lexicon classes, most specific first: an entry gets the first that applies.
ENTRY_TYPES = ("State", "InternationalOrganization", "Forum", "Organization", "Place",
               "Person", "Principle", "Topic")
_WD = "http://www.wikidata.org/entity/"
_CAPITAL = URIRef("http://www.wikidata.org/prop/direct/P36")  # a state's capital (data/lexicon/capital-of.ttl)


@dataclass
class Entry:
    """One lexicon entity: its IRI, class, preferred labels and every label to match on."""

    iri: str
    type: str
    labels: dict[str, str] = field(default_factory=dict)
    match_labels: list[tuple[str, str]] = field(default_factory=list)
    #: the names in use (preferred and alternative labels, not the hidden spelling variants)
    names: list[tuple[str, str]] = field(default_factory=list)
    wikidata: str | None = None
    iso2: str | None = None
    container: str | None = None
    capital: str | None = None

    def label(self, lang: str) -> str:
        """The preferred label in ``lang``, falling back to English, then any language.

        Parameters
        ----------
        lang : str
            A language code such as 'ar', 'ru' or 'en'.

        Returns
        -------
        str
            The label; the last segment of the IRI when the entry has none.

        Examples
        --------
        >>> from cdkg.graph.text.lexicon import Entry
        >>> entry = Entry(iri="https://example.org/ruritania", type="State",
        ...               labels={"en": "Ruritania", "ru": "Руритания"})
        >>> entry.label("ru"), entry.label("ar")
        ('Руритания', 'Ruritania')
        """
        for candidate in (lang, "en"):
            if candidate in self.labels:
                return self.labels[candidate]
        return next(iter(self.labels.values()), self.iri.rsplit("/", 1)[-1])


@dataclass
class Lexicon:
    """All lexicon entries by IRI, and the RDF graph they were read from."""

    entries: dict[str, Entry]
    graph: Graph

    def by_type(self, type_: str) -> list[Entry]:
        """The entries of one class.

        Parameters
        ----------
        type_ : str
            One of ``ENTRY_TYPES``, such as 'State'.

        Returns
        -------
        list of Entry

        Examples
        --------
        >>> from rdflib import Graph
        >>> from cdkg.graph.text.lexicon import Entry, Lexicon
        >>> entries = [Entry(iri="https://example.org/ruritania", type="State"),
        ...            Entry(iri="https://example.org/zenda", type="Place")]
        >>> lexicon = Lexicon(entries={e.iri: e for e in entries}, graph=Graph())
        >>> [e.iri for e in lexicon.by_type("State")]
        ['https://example.org/ruritania']
        """
        return [e for e in self.entries.values() if e.type == type_]


def _read_graph(folder: Path) -> Graph:
    files = sorted(folder.glob("*.ttl"))
    if not files:
        raise CdkgError(f"{folder}: no lexicon files (*.ttl) found")
    graph = Graph()
    for path in files:
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several parser-specific types
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise CdkgError(f"{path}: not valid Turtle: {first}") from None
    return graph


def load_lexicon(folder: Path | None = None) -> Lexicon:
    """Read every ``*.ttl`` of the lexicon folder into :class:`Entry` objects.

    Parameters
    ----------
    folder : Path, optional
        The lexicon folder; ``data/lexicon`` when not given. Each folder is read once.

    Returns
    -------
    Lexicon

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from cdkg.graph.text.lexicon import load_lexicon
    >>> from cdkg.namespaces import CDO
    >>> ttl = (f'<https://example.org/ruritania> a <{CDO.State}> ; '
    ...        '<http://www.w3.org/2004/02/skos/core#prefLabel> "Ruritania"@en .')
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = (Path(folder) / "states.ttl").write_text(ttl, encoding="utf-8")
    ...     lexicon = load_lexicon(Path(folder))
    >>> [(e.type, e.label("en")) for e in lexicon.entries.values()]
    [('State', 'Ruritania')]
    """
    folder = Path(folder) if folder else lexicon_dir()
    return _load_cached(folder.resolve())


@lru_cache(maxsize=4)
def _load_cached(folder: Path) -> Lexicon:
    graph = _read_graph(folder)
    entries: dict[str, Entry] = {}
    for type_ in ENTRY_TYPES:
        for subject in sorted(set(graph.subjects(RDF.type, CDO[type_]))):
            if not isinstance(subject, URIRef) or str(subject) in entries:
                continue
            entry = Entry(iri=str(subject), type=type_)
            for prop in (SKOS.prefLabel, RDFS.label, SKOS.altLabel, SKOS.hiddenLabel):
                for lit in sorted(graph.objects(subject, prop)):
                    if not isinstance(lit, Literal):
                        continue
                    lang = lit.language or ""
                    if prop == SKOS.prefLabel and lang and lang not in entry.labels:
                        entry.labels[lang] = str(lit)
                    pair = (str(lit), lang)
                    if pair not in entry.match_labels:
                        entry.match_labels.append(pair)
                    if prop != SKOS.hiddenLabel and pair not in entry.names:
                        entry.names.append(pair)
            for same in graph.objects(subject, OWL.sameAs):
                if str(same).startswith(_WD):
                    entry.wikidata = str(same)[len(_WD):]
            iso = graph.value(subject, CDO.iso3166Alpha2)
            entry.iso2 = str(iso) if iso else None
            container = graph.value(subject, SCHEMA.containedInPlace)
            entry.container = str(container) if container else None
            capital = graph.value(subject, _CAPITAL)
            entry.capital = str(capital) if capital else None
            entries[entry.iri] = entry
    return Lexicon(entries=entries, graph=graph)
