"""RDF namespaces of the project, with the ontology as a closed ``DefinedNamespace``.

A misspelt ontology term raises instead of silently minting a new IRI:

>>> from cdkg.namespaces import CDO
>>> str(CDO.partyTo)
'https://w3id.org/cdkg/ontology#partyTo'
>>> CDO.partiTo
Traceback (most recent call last):
...
AttributeError: term 'partiTo' not in namespace 'https://w3id.org/cdkg/ontology#'
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

__all__ = [
    "CDO", "ID", "OA", "ORG", "SCHEMA", "WD", "TIME",
    "DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SKOS", "XSD",
    "LEXICON_GRAPH", "INFERRED_GRAPH", "ONTOLOGY_GRAPH", "linked_graph", "PREFIXES", "ONTOLOGY_IRI",
]


class CDO(DefinedNamespace):
    """The cyber-diplomacy ontology (``ontology/cdo.ttl``); each term here is defined there."""

    _fail = True
    _NS = Namespace("https://w3id.org/cdkg/ontology#")

    # classes
    Actor: URIRef
    State: URIRef
    Organization: URIRef
    InternationalOrganization: URIRef
    Forum: URIRef
    Person: URIRef
    Place: URIRef
    Instrument: URIRef
    Agreement: URIRef
    BilateralAgreement: URIRef
    MultilateralAgreement: URIRef
    JointStatement: URIRef
    Declaration: URIRef
    Plan: URIRef
    Convention: URIRef
    Resolution: URIRef
    Principle: URIRef
    Topic: URIRef
    Event: URIRef
    Document: URIRef
    Claim: URIRef
    # dated statements (Wikidata-shaped)
    DatedStatement: URIRef
    Signature: URIRef
    Ratification: URIRef
    Accession: URIRef
    EntryIntoForce: URIRef
    Membership: URIRef
    # offices (W3C ORG posts)
    Post: URIRef
    HeadOfStatePost: URIRef
    HeadOfGovernmentPost: URIRef
    MinisterPost: URIRef
    ForeignMinisterPost: URIRef
    SecretaryGeneralPost: URIRef
    ChairPost: URIRef
    AmbassadorPost: URIRef

    # relations read from documents (the relations of the reference facts)
    signed: URIRef
    partyTo: URIRef
    hasParty: URIRef
    adoptedAt: URIRef
    proposed: URIRef
    proposedBy: URIRef
    memberOf: URIRef
    hasMember: URIRef
    hosts: URIRef
    hostedBy: URIRef
    promotesPrinciple: URIRef
    concernsTopic: URIRef
    heldIn: URIRef
    participatedIn: URIRef
    hasParticipant: URIRef
    calledFor: URIRef
    welcomed: URIRef
    headOf: URIRef
    hasHead: URIRef
    date: URIRef
    validFrom: URIRef
    validTo: URIRef
    enteredIntoForce: URIRef
    # qualifiers of dated statements
    actor: URIRef
    instrument: URIRef
    pointInTime: URIRef
    startTime: URIRef
    endTime: URIRef
    place: URIRef
    atEvent: URIRef
    representative: URIRef
    # instruments and forums
    unSymbol: URIRef
    cites: URIRef
    implements: URIRef
    amends: URIRef
    supersedes: URIRef
    protocolOf: URIRef
    roundOf: URIRef
    follows: URIRef
    # stances
    declined: URIRef
    opposed: URIRef
    rejected: URIRef
    objectedTo: URIRef
    attributed: URIRef
    expressedConcern: URIRef
    # offices
    holdsPost: URIRef
    postIn: URIRef
    # derived
    cooperatesWith: URIRef
    # reference data
    iso3166Alpha2: URIRef
    iso3166Alpha3: URIRef
    m49: URIRef
    role: URIRef
    # provenance of claims
    confidence: URIRef
    rule: URIRef
    evidence: URIRef
    toolVersion: URIRef
    sourceFile: URIRef
    sourceAgency: URIRef


#: Things (states, instruments, documents, claims...) live under one base.
ID = Namespace("https://w3id.org/cdkg/id/")
OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
TIME = Namespace("http://www.w3.org/2006/time#")
WD = Namespace("http://www.wikidata.org/entity/")

#: The ontology itself (``owl:Ontology``): its namespace without the ``#``.
ONTOLOGY_IRI = URIRef(str(CDO._NS).rstrip("#"))

#: The prefixes the tool writes and reads (TriG output, ``id:state/KZ`` parameter values).
PREFIXES = {
    "id": str(ID),
    "cdo": str(CDO._NS),
    "wd": str(WD),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "oa": str(OA),
    "xsd": str(XSD),
}

#: Named graphs of the layers that do not come from one document.
ONTOLOGY_GRAPH = ID["graph/ontology"]
LEXICON_GRAPH = ID["graph/lexicon"]
INFERRED_GRAPH = ID["graph/inferred"]


def linked_graph(name: str) -> URIRef:
    """The named graph an external dataset imported by ``cdkg link`` lives in.

    Parameters
    ----------
    name : str
        The dataset's name (see ``cdkg link --name``).

    Returns
    -------
    URIRef

    Examples
    --------
    >>> str(linked_graph("memberships"))
    'https://w3id.org/cdkg/id/graph/linked/memberships'
    """
    return ID[f"graph/linked/{name}"]
