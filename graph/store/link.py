"""``cdkg link``: bring an external RDF dataset into the store and align it with the lexicon.

The file's triples go into their own named graph ``id:graph/linked/<name>`` (replaced as a whole,
so linking again gives the same graph). Then every IRI of the file that shares a Wikidata QID or
an ISO 3166 code with a lexicon entity gets ``<lexicon entity> owl:sameAs <file IRI>`` in that
same graph, so a query can join document facts with the dataset through ``owl:sameAs``.

Blank nodes of the file become skolem IRIs under ``id:.well-known/genid/linked/<name>/``.

An IRI's QID is read from the IRI itself (``http://www.wikidata.org/entity/Q159``) or from its
``owl:sameAs`` / ``schema:sameAs`` / ``skos:exactMatch`` link to one; its ISO codes from Wikidata's
``wdt:P297`` / ``wdt:P298`` or the ontology's ``cdo:iso3166Alpha2`` / ``cdo:iso3166Alpha3``.

Parsing uses pyoxigraph, which never resolves XML external entities and never loads remote
JSON-LD contexts: nothing is fetched, and a file that would need it is rejected.

The example dataset ``data/linked/memberships.ttl`` is written by `cdkg.graph.store.memberships`
(``cdkg memberships-import``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from cdkg.errors import CdkgError
from cdkg.graph.store.amend import amend
from cdkg.graph.store.transaction import fault
from cdkg.namespaces import CDO, ID, INFERRED_GRAPH, LEXICON_GRAPH, OWL, linked_graph

#: Formats ``cdkg link`` reads, by name or file suffix.
FORMATS = {
    "ttl": ox.RdfFormat.TURTLE, "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES, "ntriples": ox.RdfFormat.N_TRIPLES, "n-triples": ox.RdfFormat.N_TRIPLES,
    "xml": ox.RdfFormat.RDF_XML, "rdf": ox.RdfFormat.RDF_XML, "owl": ox.RdfFormat.RDF_XML,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD, "json-ld": ox.RdfFormat.JSON_LD, "json": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS, "nquads": ox.RdfFormat.N_QUADS,
}

WIKIDATA_ENTITY = re.compile(r"^https?://(?:www\.)?wikidata\.org/(?:entity|wiki)/(Q[1-9][0-9]*)$")
#: Where the blank nodes of linked datasets become IRIs.
GENID = str(ID[".well-known/genid/linked/"])
SAME_AS = {str(OWL.sameAs), "https://schema.org/sameAs", "http://schema.org/sameAs",
           "http://www.w3.org/2004/02/skos/core#exactMatch"}
ISO2 = {"http://www.wikidata.org/prop/direct/P297", str(CDO.iso3166Alpha2)}
ISO3 = {"http://www.wikidata.org/prop/direct/P298", str(CDO.iso3166Alpha3)}


def qid_of(iri: str) -> str | None:
    """The Wikidata QID an IRI names, if it is a Wikidata entity IRI.

    Parameters
    ----------
    iri : str

    Returns
    -------
    str or None

    Examples
    --------
    >>> qid_of("http://www.wikidata.org/entity/Q159"), qid_of("https://www.wikidata.org/wiki/Q7779")
    ('Q159', 'Q7779')
    >>> qid_of("https://w3id.org/cdkg/id/state/RU") is None
    True
    """
    found = WIKIDATA_ENTITY.match(iri)
    return found.group(1) if found else None


def dataset_name(path: Path, name: str | None) -> str:
    """The linked graph's name: given, or the file name without extensions, made IRI-safe.

    Parameters
    ----------
    path : Path
        The file being linked.
    name : str, optional
        The name given with ``--name``.

    Returns
    -------
    str

    Examples
    --------
    >>> dataset_name(Path("data/linked/memberships.ttl"), None)
    'memberships'
    >>> dataset_name(Path("x.ttl"), "SCO members 2024")
    'sco-members-2024'
    """
    raw = name if name is not None else path.name.split(".")[0]
    slug = re.sub(r"[^a-z0-9._-]+", "-", raw.lower()).strip("-.")
    if not slug:
        raise CdkgError(f"{path}: cannot make a dataset name from {raw!r}; give --name")
    return slug


#: The largest file `cdkg link` reads, and the longest literal it accepts.
MAX_LINK_BYTES = 256 * 1024 * 1024
MAX_LITERAL_CHARS = 1024 * 1024


def _check_input(path: Path, key: str) -> None:
    """Refuse, with one line, what must not reach the parser: no regular file, a file past
    `MAX_LINK_BYTES`, or an XML document type declaring entities (entity expansion, "billion
    laughs", and external entities that would read local files)."""
    from cdkg.files import file_problem

    problem = file_problem(path)
    if problem:
        raise CdkgError(f"{path}: {problem}")
    size = path.stat().st_size
    if size > MAX_LINK_BYTES:
        raise CdkgError(f"{path}: {size:,} bytes, larger than the {MAX_LINK_BYTES:,} bytes `cdkg link` reads")
    if FORMATS.get(key) == ox.RdfFormat.RDF_XML:
        data = path.read_bytes()
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            data = data.decode("utf-16", errors="replace").encode("utf-8")
        if b"<!ENTITY" in data.upper():
            raise CdkgError(f"{path}: XML entity declarations are refused (entity expansion and external "
                            "entities are off)")


def _parse_file(path: Path, rdf_format: str | None = None) -> list[ox.Triple]:
    """All triples of the file (named graphs of TriG/N-Quads are merged); one-line error if malformed."""
    key = (rdf_format or path.suffix.lstrip(".")).lower()
    fmt = FORMATS.get(key)
    if fmt is None:
        raise CdkgError(f"{path}: unknown RDF format {key or '(no suffix)'!r}; "
                        "use --format turtle, nt, xml, json-ld, trig or nquads")
    _check_input(path, key)
    try:
        quads = list(ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri()))
    except (SyntaxError, ValueError) as exc:
        message = " ".join(str(exc).split())[:300]
        raise CdkgError(f"{path}: cannot parse as {key}: {message}") from None
    except OSError as exc:
        raise CdkgError(f"{path}: cannot read ({exc.strerror or exc})") from None
    for quad in quads:
        obj = quad.object
        if isinstance(obj, ox.Literal) and len(obj.value) > MAX_LITERAL_CHARS:
            raise CdkgError(f"{path}: a literal of {len(obj.value):,} characters (the limit is {MAX_LITERAL_CHARS:,})")
    return [quad.triple for quad in quads]


@dataclass
class Keys:
    """What identifies an entity across datasets: QIDs and ISO 3166 codes."""

    qids: set[str]
    iso2: set[str]
    iso3: set[str]

    def shares(self, other: "Keys") -> bool:
        """Whether this entity and ``other`` are the same thing by any shared key.

        Parameters
        ----------
        other : Keys

        Returns
        -------
        bool
            Whether the two share a QID or an ISO code.

        Examples
        --------
        >>> Keys({"Q159"}, set(), set()).shares(Keys({"Q159"}, {"RU"}, set()))
        True
        """
        return bool(self.qids & other.qids or self.iso2 & other.iso2 or self.iso3 & other.iso3)


def _external_keys(triples: list[ox.Triple]) -> dict[str, Keys]:
    """Keys of every IRI in the file, from the IRI itself and the triples about it."""
    keys: dict[str, Keys] = {}

    def entry(iri: str) -> Keys:
        if iri not in keys:
            qid = qid_of(iri)
            keys[iri] = Keys({qid} if qid else set(), set(), set())
        return keys[iri]

    for t in triples:
        for node in (t.subject, t.object):
            if isinstance(node, ox.NamedNode):
                entry(node.value)
        if not isinstance(t.subject, ox.NamedNode):
            continue
        p = t.predicate.value
        if p in SAME_AS and isinstance(t.object, ox.NamedNode) and qid_of(t.object.value):
            entry(t.subject.value).qids.add(qid_of(t.object.value))
        elif p in ISO2 and isinstance(t.object, ox.Literal):
            entry(t.subject.value).iso2.add(t.object.value.strip().upper())
        elif p in ISO3 and isinstance(t.object, ox.Literal):
            entry(t.subject.value).iso3.add(t.object.value.strip().upper())
    return keys


LEXICON_KEYS = f"""
SELECT ?entity ?same ?iso2 ?iso3 WHERE {{
  GRAPH <{LEXICON_GRAPH}> {{
    {{ ?entity <{OWL.sameAs}> ?same }}
    UNION {{ ?entity <{CDO.iso3166Alpha2}> ?iso2 }}
    UNION {{ ?entity <{CDO.iso3166Alpha3}> ?iso3 }}
  }}
}}"""


def _lexicon_keys(store) -> dict[str, Keys]:
    """Keys of the lexicon's entities (from ``id:graph/lexicon`` in the store)."""
    keys: dict[str, Keys] = {}
    for entity, same, iso2, iso3 in store.query(LEXICON_KEYS, name="lexicon-keys").rows:
        if not isinstance(entity, URIRef):
            continue
        k = keys.setdefault(str(entity), Keys(set(), set(), set()))
        if same is not None and qid_of(str(same)):
            k.qids.add(qid_of(str(same)))
        if iso2 is not None:
            k.iso2.add(str(iso2).strip().upper())
        if iso3 is not None:
            k.iso3.add(str(iso3).strip().upper())
    return keys


def alignments(lexicon: dict[str, Keys], external: dict[str, Keys]) -> list[tuple[str, str]]:
    """(lexicon IRI, external IRI) pairs that share a key, the external IRI not being the lexicon's.

    Parameters
    ----------
    lexicon : dict of str to Keys
        The lexicon's entities.
    external : dict of str to Keys
        The file's IRIs.

    Returns
    -------
    list of (str, str)
        Sorted pairs.

    Examples
    --------
        >>> lex = {"https://w3id.org/cdkg/id/state/RU": Keys({"Q159"}, {"RU"}, {"RUS"})}
        >>> alignments(lex, {"http://www.wikidata.org/entity/Q159": Keys({"Q159"}, set(), set()),
        ...                  "http://example.org/country/RUS": Keys(set(), set(), {"RUS"}),
        ...                  "http://example.org/country/FRA": Keys(set(), set(), {"FRA"})})
        [('https://w3id.org/cdkg/id/state/RU', 'http://example.org/country/RUS'), \
('https://w3id.org/cdkg/id/state/RU', 'http://www.wikidata.org/entity/Q159')]
    """
    by_key: dict[tuple[str, str], set[str]] = {}
    for iri, k in lexicon.items():
        for kind, values in (("q", k.qids), ("2", k.iso2), ("3", k.iso3)):
            for value in values:
                by_key.setdefault((kind, value), set()).add(iri)
    pairs = set()
    for iri, k in external.items():
        for kind, values in (("q", k.qids), ("2", k.iso2), ("3", k.iso3)):
            for value in values:
                pairs.update((lex, iri) for lex in by_key.get((kind, value), ()) if lex != iri)
    return sorted(pairs)


def skolemize(triples: list[ox.Triple], name: str) -> list[ox.Triple]:
    """Blank nodes replaced by skolem IRIs numbered in order of appearance (RDF 1.1, section 3.5).

    Parsers and SPARQL Update mint fresh blank nodes on every run, so without this, linking the
    same file twice would store different quads; with it, re-linking is idempotent, and pushing
    the graph elsewhere keeps every node.

    Parameters
    ----------
    triples : list of pyoxigraph.Triple
    name : str
        The dataset name (part of the skolem IRIs).

    Returns
    -------
    list of pyoxigraph.Triple

    Examples
    --------
    >>> t = ox.Triple(ox.BlankNode(), ox.NamedNode("http://e/p"), ox.BlankNode())
    >>> [n.value for n in skolemize([t], "x")[0]][::2]
    ['https://w3id.org/cdkg/id/.well-known/genid/linked/x/0', 'https://w3id.org/cdkg/id/.well-known/genid/linked/x/1']
    """
    base = f"{GENID}{name}/"
    labels: dict[str, ox.NamedNode] = {}

    def rename(node):
        if isinstance(node, ox.BlankNode):
            if node.value not in labels:
                labels[node.value] = ox.NamedNode(f"{base}{len(labels)}")
            return labels[node.value]
        return node

    return [ox.Triple(rename(t.subject), t.predicate, rename(t.object)) for t in triples]


@dataclass
class LinkReport:
    """What ``cdkg link`` did."""

    graph: str
    triples: int
    aligned: int
    #: The committed outputs beside the store that were rewritten with it (``graph.trig``, ``manifest.json``).
    rewritten: tuple[str, ...] = ()


def _graph_triples(target, graph: str) -> set[tuple]:
    return {(q.subject, q.predicate, q.object) for q in target.match(None, None, None, ox.NamedNode(graph))}


def _link_with_inferences(target, triples: list[ox.Triple], graph: str, recompute: bool) -> LinkReport:
    """`_link_into`, then the inferred graph brought up to date.

    As an incremental build does for a changed document: the triples whose inferred status may
    change (those the old and new graph assert or derive) are re-examined, with the
    cross-document part before and after. ``recompute`` (the store was changed outside a build
    since its manifest was written) recomputes it all. A store without an inferred graph is left
    without one.
    """
    from rdflib import Graph

    from cdkg.graph.store.inference import axioms_from
    from cdkg.graph.store.reasoner import Reasoner
    from cdkg.paths import ONTOLOGY_TTL

    if str(INFERRED_GRAPH) not in target.graph_names():
        return _link_into(target, triples, graph)
    reasoner = Reasoner(axioms_from(Graph().parse(ONTOLOGY_TTL, format="turtle")))
    old = set() if recompute else _graph_triples(target, graph)
    # the rules are monotonic: a graph that held nothing takes no cross-document inference away
    old_cross = reasoner.cross_closure(reasoner.scan(target)) if old else set()
    report = _link_into(target, triples, graph)
    fault("link:inference")
    if recompute:
        reasoner.recompute(target)
        return report
    new = _graph_triples(target, graph)
    local = reasoner.derive_all(new)
    candidates = {t for t in old | new if t[1] in reasoner.targets} | reasoner.derive_all(old) | local
    reasoner.write(target, local)
    cross = reasoner.cross_closure(reasoner.scan(target))
    reasoner.write(target, cross)
    reasoner.settle(target, candidates | old_cross | cross, cross)
    return report


def _link_into(target, triples: list[ox.Triple], graph: str) -> LinkReport:
    """Replace ``graph`` of the open store ``target`` by ``triples`` and their alignments."""
    from cdkg.graph.store.store import from_ox

    pairs = alignments(_lexicon_keys(target), _external_keys(triples))
    triples = skolemize(triples, graph.rsplit("/", 1)[1])
    rows = [tuple(from_ox(term) for term in (t.subject, t.predicate, t.object)) for t in triples]
    rows += [(URIRef(lex), OWL.sameAs, URIRef(ext)) for lex, ext in pairs]
    target.replace_graphs({graph: rows})
    return LinkReport(graph, len(set(rows)), len({lex for lex, _ in pairs}))


def link_file(path: Path, store: Path, name: str | None = None, rdf_format: str | None = None) -> LinkReport:
    """Import ``path`` into ``id:graph/linked/<name>`` of the store at ``store`` and align it.

    The file is parsed completely before the store is opened. A build's store (a folder named
    ``store``) is updated as a build updates it (`cdkg.graph.store.amend.amend`): in a
    hard-linked copy, with the inferred graph brought up to date and the ``graph.trig`` and
    ``manifest.json`` beside it rewritten (the manifest lists the linked graphs), all three
    committed together; so the outputs always describe one store, and a malformed file or a killed
    link leaves them as they were. Another store folder is updated in place, in one transaction of
    the store.

    Parameters
    ----------
    path : Path
        The RDF file to import.
    store : Path
        The store folder.
    name : str, optional
        The dataset name (default: from the file name).
    rdf_format : str, optional
        The file's format (default: from its suffix).

    Returns
    -------
    LinkReport
        The graph, its number of triples, how many lexicon entities were aligned, and the
        outputs rewritten.

    Examples
    --------
    >>> link_file(Path("no/such.ttl"), Path("build/store"))
    Traceback (most recent call last):
    ...
    cdkg.errors.CdkgError: no/such.ttl: no such file
    """
    path, store = Path(path), Path(store)
    graph = str(linked_graph(dataset_name(path, name)))
    triples = _parse_file(path, rdf_format)
    reports = []

    def change(target, changed_outside: bool) -> dict:
        report = _link_with_inferences(target, triples, graph, recompute=changed_outside)
        reports.append(report)
        return {"linked": {graph: {"file": path.name, "triples": report.triples, "aligned": report.aligned}}}

    rewritten = amend(store, change)
    reports[0].rewritten = rewritten
    return reports[0]
