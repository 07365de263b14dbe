"""Facts -> RDF: each fact as a plain triple plus a ``cdo:Claim`` that says where it comes from.

The claim follows ``shared/design``: RDF reification (rdf:subject/predicate/object), PROV-O
(``prov:wasDerivedFrom`` the document, ``prov:wasGeneratedBy`` the extraction run), a
confidence and the rule that fired, and a W3C Web Annotation evidence with a
TextQuoteSelector (exact, prefix, suffix) and a TextPositionSelector (start, end: offsets into
the original text, end exclusive). All IRIs derive from content, so a rebuild is identical.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from rdflib import Graph, Literal, URIRef

from cdkg import __version__
from cdkg.graph.facts.extract import DocumentFacts, Fact
from cdkg.graph.facts.resolve import Entity
from cdkg.namespaces import CDO, DCTERMS, ID, OA, PROV, RDF, RDFS, SKOS, XSD

__all__ = ["document_iri", "run_iri", "document_graph", "document_triples", "run_graph"]

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
    doc = result.doc
    text = doc.text
    g = _Triples()
    d = document_iri(doc.sha)
    lang = doc.language
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
    used = {f.subject.iri for f in result.facts} | {f.object.iri for f in result.facts if isinstance(f.object, Entity)}
    for entity in result.entities.values():
        if entity.minted and entity.iri in used:
            e = URIRef(entity.iri)
            g.add((e, RDF.type, CDO[entity.type]))
            g.add((e, RDFS.label, Literal(entity.label, lang=entity.lang)))
            g.add((e, SKOS.prefLabel, Literal(entity.label, lang=entity.lang)))
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
    return g
