"""Instrument identity across documents and languages: a document's title of a known instrument
becomes the instrument's one IRI.

The instruments of ``data/lexicon/instruments.ttl`` (the UN Charter, the Budapest Convention and
its protocol, the UN Convention against Cybercrime, resolution 70/237 ...) carry labels in
en/ar/ru, a Wikidata QID where known and a UN document symbol. An instrument a document mints
is mapped to one of them when

- its title carries the instrument's UN symbol ("resolution A/RES/70/237", "резолюция 70/237");
- its title words (token keys, so inflection and the Arabic article fold) are one of the
  instrument's labels, or contain them with at most three words besides ("UN Charter in
  cyberspace"), none of them an instrument head before the label's words ("Protocol to the
  Budapest Convention" is not the Convention);
- its title is cut short ("اتفاقية", "إتفاقية مجلس أوروبا المتعلقة") and, with the few words
  right after it in the text, names the instrument ("اتفاقية بودابست").

An instrument the lexicon does not know gets, when the document names at least two states as its
parties, its full date, and the topics its title names (or its period of validity), an IRI keyed by
type, parties, date, topics and period (``id:instrument/key/...``): the same intergovernmental
agreement reported in Arabic, English and Russian is one node, while two plans the same two
states signed the same day for different periods stay two. Its labels are then written as
``skos:altLabel`` (one title per document and language). Everything else keeps its minted IRI.
A mention of a forum series (the GGE) or of a group with a fixed mandate (the 2021-2025 OEWG)
means the round active in the document's year (``data/lexicon/forum-rounds.ttl``: the GGE of
2012-2013 in a 2013 report, the 2019-2021 OEWG in a 2020 one). The facts are rewritten before they become triples
(`cdkg.graph.facts.provenance.document_triples`), so every document's facts about the
instrument meet on one node, whose labels in all three languages are in the lexicon graph.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from rdflib import RDF, URIRef
from rdflib.namespace import OWL, SKOS

from cdkg.graph.facts.context import DocumentFacts
from cdkg.graph.facts.resolve import Entity
from cdkg.graph.text.lexicon import load_lexicon
from cdkg.graph.text.normalize import tokenize
from cdkg.graph.text.phrases import patterns
from cdkg.namespaces import CDO, ID, RDFS, SCHEMA

__all__ = ["KnownInstrument", "known_instruments", "match_instrument", "instrument_key", "canonical_instruments",
           "forum_round", "KEYED"]

#: Where instruments keyed by type, parties, date and topics live.
KEYED = str(ID["instrument/key/"])

INSTRUMENT_TYPES = ("Instrument", "Agreement", "BilateralAgreement", "MultilateralAgreement", "JointStatement",
                    "Declaration", "Plan", "Convention", "Resolution")
_STOP = {"the", "of", "on", "to", "and", "a", "an", "in", "for", "between", "among"}
_SYMBOL = re.compile(r"(?:[A-Z]/(?:RES/)?)?(\d{2,3}/\d{1,4})\b")
_WD = "http://www.wikidata.org/entity/"


@dataclass(frozen=True)
class KnownInstrument:
    """An instrument of the lexicon: IRI, class, preferred labels, label keys, symbol, QID."""

    iri: str
    type: str
    labels: dict
    keys: tuple
    symbol: str | None
    wikidata: str | None


@lru_cache(maxsize=8192)
def _key(text: str) -> frozenset:
    return frozenset(t.key for t in tokenize(text) if t.key and t.norm not in _STOP)


@lru_cache(maxsize=1)
def _heads() -> frozenset:
    words = patterns("mentions")["instrument_heads"]
    return frozenset(k for w in words for k in _key(w))


@lru_cache(maxsize=1)
def known_instruments() -> tuple[KnownInstrument, ...]:
    """The instruments of the lexicon graph.

    Examples
    --------
    >>> names = {k.iri.rsplit("/", 1)[-1] for k in known_instruments()}
    >>> {"un-charter", "budapest-convention", "a-res-70-237"} <= names
    True
    """
    g = load_lexicon().graph
    out = []
    for type_ in INSTRUMENT_TYPES:
        for s in sorted(set(g.subjects(RDF.type, CDO[type_]))):
            if not isinstance(s, URIRef):
                continue
            labels = {lit.language: str(lit) for lit in g.objects(s, SKOS.prefLabel) if lit.language}
            keys = {_key(str(lit)) for p in (SKOS.prefLabel, SKOS.altLabel, RDFS.label) for lit in g.objects(s, p)}
            symbol = g.value(s, CDO.unSymbol)
            qid = next((str(o)[len(_WD):] for o in g.objects(s, OWL.sameAs) if str(o).startswith(_WD)), None)
            out.append(KnownInstrument(str(s), type_, labels, tuple(sorted((k for k in keys if k), key=sorted)),
                                       str(symbol) if symbol else None, qid))
    return tuple(out)


@lru_cache(maxsize=8192)        # a pure function of its strings and the lexicon's instruments
def match_instrument(title: str, after: str = "") -> KnownInstrument | None:
    """The known instrument a title names, if any (``after``: the text right after the title).

    Parameters
    ----------
    title : str
        The instrument's title as the document gives it.
    after : str
        The words that follow the title in the text, for a bare head word ("اتفاقية" + "بودابست").

    Returns
    -------
    KnownInstrument or None

    Examples
    --------
    >>> match_instrument("Будапештской конвенции").iri.rsplit("/", 1)[-1]
    'budapest-convention'
    >>> match_instrument("UN Charter in cyberspace").iri.rsplit("/", 1)[-1]
    'un-charter'
    >>> match_instrument("resolution A/RES/70/237").iri.rsplit("/", 1)[-1]
    'a-res-70-237'
    >>> match_instrument("Second Additional Protocol to the Budapest Convention").iri.rsplit("/", 1)[-1]
    'budapest-second-protocol'
    >>> match_instrument("Protocol to the Budapest Convention") is None
    True
    >>> match_instrument("اتفاقية", after=" بودابست بشأن").iri.rsplit("/", 1)[-1]
    'budapest-convention'
    """
    known = known_instruments()
    for m in _SYMBOL.finditer(title):
        for k in known:
            if k.symbol and k.symbol.endswith("/" + m.group(1)):
                return k
    words = _key(title)
    if not words:
        return None
    order = [t.key for t in tokenize(title)]
    best, size = None, 0
    for k in known:
        for key in k.keys:
            if key == words:
                return k
            extra = words - key
            if len(key) < 2 or not key < words or len(extra) > 3 or len(key) <= size:
                continue
            first = min(order.index(w) for w in key if w in order)
            if not set(order[:first]) & extra & _heads():  # "Protocol to the X Convention" is not X
                best, size = k, len(key)
    if best is not None:
        return best
    if after and words & _heads():  # a title cut short: its words and the next few name the instrument
        near = _key(" ".join(after.split()[:4])) | words
        for k in known:
            if any(len(key) >= 2 and words < key and key <= near for key in k.keys):
                return k
    return None


def _year(g, subject, prop) -> int | None:
    value = g.value(subject, prop)
    return int(str(value)[:4]) if value is not None and str(value)[:4].isdigit() else None


@lru_cache(maxsize=1)
def _rounds() -> dict:
    """Forum IRI -> the rounds its mentions may mean: (first year, last year, IRI, labels)."""
    g = load_lexicon().graph
    out: dict = {}

    def add(key, forum):
        first, last = _year(g, forum, SCHEMA.foundingDate), _year(g, forum, SCHEMA.dissolutionDate)
        if first is not None and last is not None:
            labels = {lit.language: str(lit) for lit in g.objects(forum, SKOS.prefLabel) if lit.language}
            out.setdefault(str(key), []).append((first, last, str(forum), labels))

    for forum, series in g.subject_objects(CDO.roundOf):
        add(series, forum)
    for later, earlier in g.subject_objects(CDO.follows):
        if g.value(later, SCHEMA.dissolutionDate) is not None and g.value(later, CDO.roundOf) is None:
            add(later, later)
            add(later, earlier)
    return {k: sorted(v) for k, v in out.items()}


def forum_round(iri: str, year: int | None) -> tuple[str, dict] | None:
    """The round of a forum series (or the predecessor of a fixed-mandate group) active in ``year``.

    Examples
    --------
    >>> forum_round("https://w3id.org/cdkg/id/org/UN_GGE_ICT", 2013)[0].rsplit("/", 1)[-1]
    'UN_GGE_ICT_2012'
    >>> forum_round("https://w3id.org/cdkg/id/org/UN_OEWG_ICT", 2020)[0].rsplit("/", 1)[-1]
    'UN_OEWG_ICT_2019'
    >>> forum_round("https://w3id.org/cdkg/id/org/UN_OEWG_ICT", 2023)[0].rsplit("/", 1)[-1]
    'UN_OEWG_ICT'
    >>> forum_round("https://w3id.org/cdkg/id/org/UN_GGE_ICT", 2024) is None
    True
    """
    if year is None:
        return None
    active = [(first, r, labels) for first, last, r, labels in _rounds().get(iri, ()) if first <= year <= last]
    if not active:
        return None
    _, r, labels = max(active)  # the latest one begun (2021: the new OEWG, not the one ending)
    return r, labels


def instrument_key(result: DocumentFacts, e: Entity) -> str | None:
    """The cross-language key of a minted instrument: type, state parties, full date, topics of
    its title and period, when the document gives two parties, the date and a topic or period.

    Parameters
    ----------
    result : DocumentFacts
        The document's facts (and analysis, for the topics inside the title).
    e : Entity
        The instrument.

    Returns
    -------
    str or None
        A hex digest, or None when the document does not say enough.
    """
    parties = sorted({f.subject.iri for f in result.facts if f.relation in ("partyTo", "signed")
                      and isinstance(f.object, Entity) and f.object.iri == e.iri and f.subject.type == "State"})
    dates = sorted(f.object[0] for f in result.facts if f.relation == "date" and f.subject.iri == e.iri
                   and not isinstance(f.object, Entity) and f.object[1] == "xsd:date")
    period = sorted(f"{f.relation}={f.object[0]}" for f in result.facts if f.subject.iri == e.iri
                    and f.relation in ("validFrom", "validTo") and not isinstance(f.object, Entity))
    topics = set()
    a = result.analysis
    for m in (a.mentions if a is not None else []):
        if m.kind == "instrument" and m.text == e.label:
            topics |= {o.entry.iri for o in a.mentions if o.kind == "entity" and o.type == "Topic"
                       and m.first <= o.first and o.last <= m.last}
    if len(parties) < 2 or not dates or not (topics or period):
        return None
    key = "\x1f".join([e.type, " ".join(parties), dates[0], " ".join(sorted(topics)), " ".join(period)])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def canonical_instruments(result: DocumentFacts) -> DocumentFacts:
    """The document's facts with every known instrument under its one lexicon IRI.

    Parameters
    ----------
    result : DocumentFacts

    Returns
    -------
    DocumentFacts
        A copy; ``result`` itself is unchanged. Unknown instruments keep their minted IRI.
    """
    text = result.doc.text
    mapped: dict[str, Entity] = {}
    for fact in result.facts:
        for e in (fact.subject, fact.object):
            if not isinstance(e, Entity) or e.type not in INSTRUMENT_TYPES or not e.minted or e.iri in mapped:
                continue
            at = text.find(e.label, fact.start, fact.end + 1) if e.label else -1
            after = text[at + len(e.label):at + len(e.label) + 60] if at >= 0 else text[fact.end:fact.end + 60]
            k = match_instrument(e.label, after)
            if k is not None:
                lang = result.doc.language if result.doc.language in k.labels else "en"
                mapped[e.iri] = Entity(k.iri, e.type, k.labels.get(lang, e.label), lang, k.wikidata)
                continue
            key = instrument_key(result, e)
            if key is not None:
                mapped[e.iri] = Entity(KEYED + key, e.type, e.label, e.lang, minted=True)
    published = result.doc.published
    year = int(published[:4]) if published and published[:4].isdigit() else None
    for e in [x for f in result.facts for x in (f.subject, f.object) if isinstance(x, Entity)]:
        found = forum_round(e.iri, year) if e.type == "Forum" and e.iri not in mapped else None
        if found is not None and found[0] != e.iri:
            lang = result.doc.language if result.doc.language in found[1] else "en"
            mapped[e.iri] = Entity(found[0], "Forum", found[1].get(lang, e.label), lang)
    if not mapped:
        return result
    swap = lambda e: mapped.get(e.iri, e) if isinstance(e, Entity) else e  # noqa: E731
    facts = [replace(f, subject=swap(f.subject), object=swap(f.object)) for f in result.facts]
    seen, unique = set(), []
    for f in sorted(facts, key=lambda f: -f.confidence):
        key = (f.subject.iri, f.relation, f.object.iri if isinstance(f.object, Entity) else f.object)
        if key in seen or isinstance(f.object, Entity) and f.object.iri == f.subject.iri:
            continue
        seen.add(key)
        unique.append(f)
    facts = sorted(unique, key=lambda f: (f.start, f.relation, f.subject.iri, str(f.object)))
    entities = {e.iri: e for e in (swap(x) for x in result.entities.values())}
    return replace(result, facts=facts, entities=entities)
