"""Facts -> RDF: each fact as a plain triple plus a ``cdo:Claim`` that says where it comes from.

Signatures, ratifications, accessions, entries into force and memberships are also written as
dated statements (:func:`statement_triples`): nodes of their own with the actor, the instrument
or organization, the date, the place, the event and the representative, in the shape of a
Wikidata statement with qualifiers; the plain ``cdo:signed`` / ``cdo:partyTo`` /
``cdo:memberOf`` triples stay beside them.

The claim follows ``shared/design``: RDF reification (rdf:subject/predicate/object), PROV-O
(``prov:wasDerivedFrom`` the document, ``prov:wasGeneratedBy`` the extraction run), a
confidence and the rule that fired, and a W3C Web Annotation evidence with a
TextQuoteSelector (exact, prefix, suffix) and a TextPositionSelector (start, end: offsets into
the original text, end exclusive). All IRIs derive from content, so a rebuild is identical. A known instrument is written under its
one lexicon IRI (`cdkg.graph.facts.identity`).
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from rdflib import Graph, Literal, URIRef

from cdkg import __version__
from cdkg.graph.facts.extract import DocumentFacts, Fact
from cdkg.graph.facts.identity import KEYED, canonical_instruments
from cdkg.graph.facts.resolve import Entity
from cdkg.namespaces import CDO, DCTERMS, ID, OA, ORG, PROV, RDF, RDFS, SKOS, XSD

__all__ = ["document_iri", "run_iri", "document_graph", "document_triples", "run_graph", "statement_triples"]

_CONTEXT = 32
_DATATYPES = {"xsd:date": XSD.date, "xsd:gYear": XSD.gYear, "xsd:gYearMonth": XSD.gYearMonth}


def document_iri(sha: str) -> URIRef:
    """A document's IRI (and the name of its graph), from a hash of its bytes.

    Parameters
    ----------
    sha : str
        The SHA-256 of the document's bytes, in hex; its first 16 digits are used.

    Returns
    -------
    URIRef

    Examples
    --------
    >>> from cdkg.graph.facts.provenance import document_iri
    >>> str(document_iri("0123456789abcdef" * 4))
    'https://w3id.org/cdkg/id/doc/0123456789abcdef'
    """
    return ID[f"doc/{sha[:16]}"]


def run_iri() -> URIRef:
    """The extraction activity of this tool version.

    Returns
    -------
    URIRef

    Examples
    --------
    >>> from cdkg import __version__
    >>> from cdkg.graph.facts.provenance import run_iri
    >>> str(run_iri()) == f"https://w3id.org/cdkg/id/run/cdkg-{__version__}"
    True
    """
    return ID[f"run/cdkg-{__version__}"]


def run_graph() -> Graph:
    """The extraction activity and the software agent behind it.

    Returns
    -------
    Graph
        A ``prov:Activity`` with label and tool version, and its ``prov:SoftwareAgent``.

    Examples
    --------
    >>> from cdkg.graph.facts.provenance import run_graph, run_iri
    >>> from cdkg.namespaces import PROV
    >>> g = run_graph()
    >>> len(g), (run_iri(), PROV.wasAssociatedWith, None) in g
    (6, True)
    """
    g = Graph()
    run, agent = run_iri(), ID["agent/cdkg"]
    g.add((run, RDF.type, PROV.Activity))
    g.add((run, RDFS.label, Literal(f"cdkg {__version__} extraction", lang="en")))
    g.add((run, CDO.toolVersion, Literal(__version__)))
    g.add((run, PROV.wasAssociatedWith, agent))
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    g.add((agent, RDFS.label, Literal("cdkg", lang="en")))
    return g


def _object_term(obj) -> URIRef | Literal:
    if isinstance(obj, Entity):
        return URIRef(obj.iri)
    value, datatype = obj
    return Literal(value, datatype=_DATATYPES.get(datatype, XSD.string))


def _claim_iri(doc_sha: str, fact: Fact) -> URIRef:
    o = fact.object.iri if isinstance(fact.object, Entity) else "|".join(fact.object)
    key = "\x1f".join((doc_sha, fact.subject.iri, fact.relation, o))
    return ID[f"claim/{hashlib.sha1(key.encode('utf-8')).hexdigest()[:20]}"]


def document_graph(result: DocumentFacts) -> Graph:
    """The named graph of one document: its metadata, minted entities, facts and claims.

    Parameters
    ----------
    result : DocumentFacts
        The facts of one document, as the pipeline extracts them.

    Returns
    -------
    Graph
        The triples of :func:`document_triples`.

    Examples
    --------
    >>> from cdkg.graph.facts.extract import DocumentFacts, Fact
    >>> from cdkg.graph.facts.resolve import Entity
    >>> from cdkg.graph.text.documents import Document
    >>> doc = Document.from_text("Ruritania signed on 3 May 2024.", language="en")
    >>> ruritania = Entity(iri="https://example.org/ruritania", type="State", label="Ruritania", lang="en")
    >>> fact = Fact(ruritania, "date", ("2024-05-03", "xsd:date"), 0, 30, 0.9, "example")
    >>> result = DocumentFacts(doc=doc, facts=[fact], entities={ruritania.iri: ruritania})
    >>> from cdkg.graph.facts.provenance import document_graph
    >>> from cdkg.namespaces import CDO, RDF
    >>> g = document_graph(result)
    >>> len(list(g.subjects(RDF.type, CDO.Claim)))
    1
    """
    g = Graph()
    for triple in document_triples(result):
        g.add(triple)
    return g


def _document_metadata(g, doc, d: URIRef, lang: str) -> None:
    """The document's own triples: types, title, language, file, date, publisher and source."""
    g.add((d, RDF.type, CDO.Document))
    g.add((d, RDF.type, PROV.Entity))
    g.add((d, DCTERMS.title, Literal(doc.title, lang=lang)))
    g.add((d, RDFS.label, Literal(doc.title, lang=lang)))
    g.add((d, DCTERMS.language, Literal(lang)))
    g.add((d, CDO.sourceFile, Literal(doc.name)))
    published = doc.published
    if published:
        dtype = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(published), XSD.date)
        g.add((d, DCTERMS.issued, Literal(published, datatype=dtype)))
    for key, prop in (("publisher", DCTERMS.publisher), ("source", CDO.sourceAgency),
                      ("source_url", DCTERMS.source)):
        if doc.meta.get(key):
            g.add((d, prop, Literal(str(doc.meta[key]))))


class _Triples(list):
    """A plain list of triples with rdflib's ``add`` and ``+=`` (the build needs no graph index)."""

    def add(self, triple) -> None:
        self.append(triple)

    def __iadd__(self, other):
        self.extend(other)
        return self


def document_triples(result: DocumentFacts) -> list[tuple]:
    """The triples of :func:`document_graph`, as a list (what the build writes to the store).

    Parameters
    ----------
    result : DocumentFacts

    Returns
    -------
    list of tuple
        (subject, predicate, object) triples; the run's triples come once per document.

    Examples
    --------
    >>> from cdkg.graph.facts.extract import DocumentFacts, Fact
    >>> from cdkg.graph.facts.resolve import Entity
    >>> from cdkg.graph.text.documents import Document
    >>> doc = Document.from_text("Ruritania signed on 3 May 2024.", language="en")
    >>> ruritania = Entity(iri="https://example.org/ruritania", type="State", label="Ruritania", lang="en")
    >>> fact = Fact(ruritania, "date", ("2024-05-03", "xsd:date"), 0, 30, 0.9, "example")
    >>> result = DocumentFacts(doc=doc, facts=[fact], entities={ruritania.iri: ruritania})
    >>> from cdkg.graph.facts.provenance import document_triples
    >>> [str(o) for s, p, o in document_triples(result) if str(p).endswith("#exact")]
    ['Ruritania signed on 3 May 2024']
    """
    result = canonical_instruments(result)
    doc = result.doc
    text = doc.text
    g = _Triples()
    d = document_iri(doc.sha)
    lang = doc.language
    _document_metadata(g, doc, d, lang)
    used = {f.subject.iri for f in result.facts} | {f.object.iri for f in result.facts if isinstance(f.object, Entity)}
    for entity in result.entities.values():
        if entity.minted and entity.iri in used:
            e = URIRef(entity.iri)
            g.add((e, RDF.type, CDO[entity.type]))
            g.add((e, RDFS.label, Literal(entity.label, lang=entity.lang)))
            # a thing minted on a key that other documents reach too (a person's name, a title) is
            # worded by each document its own way: none of them is preferred (SKOS allows one
            # prefLabel per language), so only a thing minted for this document alone gets one
            label_kind = SKOS.prefLabel if entity.local and not entity.iri.startswith(KEYED) else SKOS.altLabel
            g.add((e, label_kind, Literal(entity.label, lang=entity.lang)))
    g += run_graph()
    run = run_iri()
    for fact in result.facts:
        s, p, o = URIRef(fact.subject.iri), CDO[fact.relation], _object_term(fact.object)
        g.add((s, p, o))
        c = _claim_iri(doc.sha, fact)
        ev, quote, pos = URIRef(c + "/evidence"), URIRef(c + "/quote"), URIRef(c + "/position")
        g.add((c, RDF.type, CDO.Claim))
        g.add((c, RDF.subject, s))
        g.add((c, RDF.predicate, p))
        g.add((c, RDF.object, o))
        g.add((c, PROV.wasDerivedFrom, d))
        g.add((c, PROV.wasGeneratedBy, run))
        g.add((c, CDO.confidence, Literal(Decimal(str(fact.confidence)), datatype=XSD.decimal)))
        g.add((c, CDO.rule, Literal(fact.rule)))
        g.add((c, CDO.evidence, ev))
        g.add((ev, RDF.type, OA.SpecificResource))
        g.add((ev, OA.hasSource, d))
        g.add((ev, OA.hasSelector, quote))
        g.add((ev, OA.hasSelector, pos))
        g.add((quote, RDF.type, OA.TextQuoteSelector))
        g.add((quote, OA.exact, Literal(text[fact.start:fact.end])))
        g.add((quote, OA.prefix, Literal(text[max(0, fact.start - _CONTEXT):fact.start])))
        g.add((quote, OA.suffix, Literal(text[fact.end:fact.end + _CONTEXT])))
        g.add((pos, RDF.type, OA.TextPositionSelector))
        g.add((pos, OA.start, Literal(fact.start, datatype=XSD.integer)))
        g.add((pos, OA.end, Literal(fact.end, datatype=XSD.integer)))
    g += statement_triples(result)
    return g


#: Rules whose ``partyTo`` facts come from a signing, and words that make an accession a ratification.
_SIGNING_RULES = {"signing", "signing-party"}
_ACCESSION_RULES = {"accession"}
_RATIFY_WORDS = ("ratif", "ратифиц", "صادق", "مصادق", "التصديق", "تصديق")


def _statement_iri(doc_sha: str, kind: str, *keys: str) -> URIRef:
    key = "\x1f".join((doc_sha, kind) + keys)
    return ID[f"statement/{kind.lower()}/{hashlib.sha1(key.encode('utf-8')).hexdigest()[:20]}"]


def _sentence_date(result: DocumentFacts, fact: Fact):
    """The date written in the sentence of the fact, nearest to its span, as (value, datatype)."""
    a = result.analysis
    if a is None or not a.tokens:
        return None
    lo = hi = None
    for first, last in a.sentences:
        if a.tokens[first].start <= fact.start <= a.tokens[last].end:
            lo, hi = a.tokens[first].start, a.tokens[last].end
            break
    if lo is None:
        return None
    found = [dm for _, _, dm in a.dates if lo <= dm.start < hi and not dm.end_value]
    if not found:
        return None
    dm = min(found, key=lambda d: min(abs(d.start - fact.start), abs(d.start - fact.end)))
    return dm.value, dm.datatype


def _qualifiers(facts):
    """What qualifies a document's statements: instrument dates, the events instruments were
    adopted at, the places of events, who heads (or holds a post in) what, and the persons who
    signed each instrument."""
    dates, events, places, heads, signers = {}, {}, {}, {}, {}
    for f in facts:
        o = f.object
        if f.relation == "date" and not isinstance(o, Entity):
            dates.setdefault(f.subject.iri, o)
        elif f.relation == "adoptedAt" and isinstance(o, Entity):
            events.setdefault(f.subject.iri, o.iri)
        elif f.relation == "heldIn" and isinstance(o, Entity) and o.type == "Place":
            places.setdefault(f.subject.iri, o.iri)  # a state as venue stays out of cdo:place (range cdo:Place)
        elif f.relation == "headOf" and isinstance(o, Entity):
            heads.setdefault(o.iri, []).append(f.subject.iri)
        elif f.relation == "signed" and isinstance(o, Entity) and f.subject.type == "Person":
            signers.setdefault(o.iri, []).append(f.subject.iri)
    posts = {f.subject.iri: f.object.iri for f in facts if f.relation == "postIn" and isinstance(f.object, Entity)}
    for f in facts:  # a minister or ambassador of the state also signs for it
        if f.relation == "holdsPost" and isinstance(f.object, Entity) and f.object.iri in posts:
            heads.setdefault(posts[f.object.iri], []).append(f.subject.iri)
    return dates, events, places, heads, signers


def _simple_statement(out, seen: set, node: URIRef, doc: URIRef, kind: URIRef, pairs) -> None:
    """A statement node of ``kind`` with ``pairs`` of (property, value), once per node."""
    if node in seen:
        return
    seen.add(node)
    out.add((node, RDF.type, kind))
    for prop, value in pairs:
        out.add((node, prop, value))
    out.add((node, PROV.wasDerivedFrom, doc))


def statement_triples(result: DocumentFacts) -> list[tuple]:
    """Dated statements of one document, Wikidata-shaped, derived from its facts.

    A ``signed`` fact, or a ``partyTo`` fact of a signing, gives a ``cdo:Signature``; a ``partyTo``
    of an accession gives a ``cdo:Accession`` (a ``cdo:Ratification`` when the evidence says
    ratified); ``enteredIntoForce`` gives a ``cdo:EntryIntoForce``; ``memberOf`` a
    ``cdo:Membership`` (``org:member``, ``org:organization``). Each carries ``cdo:pointInTime``
    (the instrument's date in this document for a signature, the date in the sentence for the
    others), ``cdo:atEvent`` and ``cdo:place`` (the event the instrument was adopted at, and where
    it was held), ``cdo:representative`` (a person of the document who signed it and heads the
    signing state or organization), and ``prov:wasDerivedFrom`` the document.

    Parameters
    ----------
    result : DocumentFacts

    Returns
    -------
    list of tuple

    Examples
    --------
    >>> from cdkg.graph.facts.extract import DocumentFacts, Fact
    >>> from cdkg.graph.facts.resolve import Entity
    >>> from cdkg.graph.text.documents import Document
    >>> doc = Document.from_text("Ruritania signed the treaty on 3 May 2024.", language="en")
    >>> ruritania = Entity(iri="https://example.org/ruritania", type="State", label="Ruritania", lang="en")
    >>> treaty = Entity(iri="https://example.org/treaty", type="Agreement", label="treaty", lang="en")
    >>> facts = [Fact(ruritania, "partyTo", treaty, 0, 26, 0.8, "signing-party"),
    ...          Fact(treaty, "date", ("2024-05-03", "xsd:date"), 0, 41, 0.75, "signing-date")]
    >>> from cdkg.graph.facts.provenance import statement_triples
    >>> from cdkg.namespaces import CDO
    >>> triples = statement_triples(DocumentFacts(doc=doc, facts=facts))
    >>> sorted(str(o) for s, p, o in triples if p in (CDO.actor, CDO.pointInTime))
    ['2024-05-03', 'https://example.org/ruritania']
    """
    doc = result.doc
    d = document_iri(doc.sha)
    dates, events, places, heads, signers = _qualifiers(result.facts)
    out = _Triples()
    seen = set()
    for f in result.facts:
        o = f.object
        if f.relation == "enteredIntoForce" and not isinstance(o, Entity):
            _simple_statement(out, seen, _statement_iri(doc.sha, "EntryIntoForce", f.subject.iri, o[0]), d,
                              CDO.EntryIntoForce, ((CDO.instrument, URIRef(f.subject.iri)),
                                                   (CDO.pointInTime, _object_term(o))))
            continue
        if not isinstance(o, Entity):
            continue
        if f.relation == "memberOf":
            _simple_statement(out, seen, _statement_iri(doc.sha, "Membership", f.subject.iri, o.iri), d,
                              CDO.Membership, ((ORG.member, URIRef(f.subject.iri)), (ORG.organization, URIRef(o.iri))))
            continue
        if f.relation == "signed" or f.relation == "partyTo" and f.rule in _SIGNING_RULES:
            kind, when = CDO.Signature, dates.get(o.iri) or _sentence_date(result, f)
        elif f.relation == "partyTo" and f.rule in _ACCESSION_RULES:
            said = doc.text[f.start:f.end].lower()
            kind = CDO.Ratification if any(w in said for w in _RATIFY_WORDS) else CDO.Accession
            when = _sentence_date(result, f)
        else:
            continue
        node = _statement_iri(doc.sha, str(kind).rsplit("#", 1)[-1], f.subject.iri, o.iri)
        pairs = [(CDO.actor, URIRef(f.subject.iri)), (CDO.instrument, URIRef(o.iri))]
        if when is not None:
            pairs.append((CDO.pointInTime, _object_term(when)))
        event = events.get(o.iri)
        if event is not None:
            pairs += [(CDO.atEvent, URIRef(event))] + ([(CDO.place, URIRef(places[event]))] if event in places else [])
        if kind == CDO.Signature and f.subject.type != "Person":
            pairs += [(CDO.representative, URIRef(p))
                      for p in sorted(set(signers.get(o.iri, ())) & set(heads.get(f.subject.iri, ())))]
        _simple_statement(out, seen, node, d, kind, pairs)
    return out
