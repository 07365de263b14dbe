"""Consistency check of the ontology (and optional instance data) with owlready2 and HermiT.

HermiT reports only *that* an ontology is inconsistent; `disjointness_conflicts` adds a cheap
RDFS-level diagnosis (individuals whose asserted or domain/range-implied types are declared
disjoint) so the report can name the culprits in the common cases.

HermiT accepts only the OWL 2 datatype map, which lacks xsd:date, xsd:gYear and xsd:gYearMonth.
The ontology itself stays inside it (cdo:date, cdo:validFrom and cdo:validTo range over rdfs:Literal;
the SHACL shapes check the three date types), so plain HermiT reads ``cdo.owl`` as Protégé runs it;
instance data carries such literals, and with data loaded HermiT runs with
``--ignoreUnsupportedDatatypes``.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib import OWL, RDF, RDFS, URIRef

from cdkg import paths
from cdkg.errors import CdkgError
from cdkg.namespaces import PREFIXES
from cdkg.ontology.generate import load_ontology, owl_is_current, owl_xml
from cdkg.ontology.rdf_files import load_union

__all__ = ["ReasonerReport", "check"]

_CDO = PREFIXES["cdo"]


def _short(term) -> str:
    """A compact name for an IRI: ``cdo:State`` for ontology terms, ``<iri>`` otherwise."""
    text = str(term)
    return "cdo:" + text[len(_CDO):] if text.startswith(_CDO) else f"<{text}>"


@dataclass
class ReasonerReport:
    """What HermiT said: whether the knowledge base is consistent, and its unsatisfiable classes."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    triples: int = 0

    @property
    def ok(self) -> bool:
        """Consistent and every named class satisfiable.

        Returns
        -------
        bool

        Examples
        --------
        >>> ReasonerReport(consistent=True).ok, ReasonerReport(consistent=True, unsatisfiable=["cdo:X"]).ok
        (True, False)
        """
        return self.consistent and not self.unsatisfiable

    def text(self) -> str:
        """A short human-readable report, one finding per line.

        Returns
        -------
        str

        Examples
        --------
        >>> ReasonerReport(consistent=True, triples=10).text()
        'consistent: no unsatisfiable classes (10 triples)'
        """
        if not self.consistent:
            lines = [f"inconsistent: HermiT found no model of the ontology and data ({self.triples} triples)"]
            lines += [f"  likely cause: {c}" for c in self.conflicts] or [
                "  (no disjoint-type conflict found; look for cardinality restrictions such as "
                "cdo:BilateralAgreement, functional properties or datatype ranges)"
            ]
            return "\n".join(lines)
        if self.unsatisfiable:
            return "\n".join(
                [f"consistent, but {len(self.unsatisfiable)} unsatisfiable class(es):"]
                + [f"  {iri}" for iri in self.unsatisfiable]
            )
        return f"consistent: no unsatisfiable classes ({self.triples} triples)"


def _ontology_owl(ontology: Path | None, workdir: Path) -> Path:
    """The RDF/XML file to load: *ontology* as given, else cdo.owl if current, else a fresh rendering."""
    if ontology is not None:
        ontology = Path(ontology)
        if ontology.suffix.lower() in (".owl", ".rdf", ".xml"):
            if not ontology.is_file():
                raise CdkgError(f"{ontology}: no such file")
            return ontology
        target = workdir / "ontology.owl"
        target.write_text(owl_xml(load_ontology(ontology)), encoding="utf-8")
        return target
    if owl_is_current():
        return paths.ONTOLOGY_OWL
    target = workdir / "ontology.owl"
    target.write_text(owl_xml(load_ontology(paths.ONTOLOGY_TTL)), encoding="utf-8")
    return target


def check(data: Path | rdflib.Graph | None = None, ontology: Path | None = None) -> ReasonerReport:
    """Run HermiT on the ontology plus *data* (a file of any RDF syntax, or a graph).

    A fresh owlready2 ``World`` is used each time so that checks do not leak into each other.
    Raises ``CdkgError`` when a file is unreadable or Java/HermiT fails.

    Parameters
    ----------
    data : Path or rdflib.Graph, optional
        Instance data to check with the ontology.
    ontology : Path, optional
        An ``.owl`` (RDF/XML) or ``.ttl`` file (default: the packaged ``cdo.owl``, regenerated if stale).

    Returns
    -------
    ReasonerReport

    Examples
    --------
    >>> check(Path("no/such.ttl"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cdkg.errors.CdkgError: ...
    """
    import owlready2  # imported here: loading it is slow and only this command needs it

    if shutil.which(owlready2.JAVA_EXE) is None and not Path(owlready2.JAVA_EXE).is_file():
        raise CdkgError(f"{owlready2.JAVA_EXE}: Java not found (HermiT needs a JRE; install default-jre-headless)")
    data_graph = None
    if isinstance(data, rdflib.Graph):
        data_graph = data
    elif data is not None:
        data_graph = load_union(Path(data))
    with tempfile.TemporaryDirectory(prefix="cdkg-hermit-") as tmp:
        workdir = Path(tmp)
        owl_path = _ontology_owl(ontology, workdir)
        world = owlready2.World()
        try:
            world.get_ontology(owl_path.resolve().as_uri()).load()
            if data_graph is not None:
                data_path = workdir / "data.nt"
                data_graph.serialize(data_path, format="nt", encoding="utf-8")
                world.get_ontology(data_path.resolve().as_uri()).load(format="ntriples")
            triples = len(world.graph)
            try:
                owlready2.sync_reasoner_hermit(world, debug=0, ignore_unsupported_datatypes=data_graph is not None)
            except owlready2.OwlReadyInconsistentOntologyError:
                ontology_graph = load_union(owl_path)
                conflicts = []
                if data_graph is not None:
                    conflicts = _disjointness_conflicts(ontology_graph, data_graph)
                    conflicts += _cardinality_conflicts(ontology_graph, data_graph)
                return ReasonerReport(consistent=False, conflicts=conflicts, triples=triples)
            except owlready2.OwlReadyJavaError as exc:
                first = next((line for line in str(exc).splitlines() if "Exception" in line), str(exc))
                raise CdkgError(f"{owl_path.name}: HermiT failed: {first.strip()[:300]}") from exc
            unsatisfiable = sorted(
                cls.iri for cls in world.inconsistent_classes() if cls.iri != str(OWL.Nothing)
            )
            return ReasonerReport(consistent=True, unsatisfiable=unsatisfiable, triples=triples)
        finally:
            world.close()


def _superclasses(ontology: rdflib.Graph) -> dict[URIRef, set[URIRef]]:
    """Each named class with itself and all its named superclasses (rdfs:subClassOf*)."""
    parents: dict[URIRef, set[URIRef]] = {}
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            parents.setdefault(sub, set()).add(sup)
    closure: dict[URIRef, set[URIRef]] = {}

    def up(cls: URIRef) -> set[URIRef]:
        if cls not in closure:
            closure[cls] = {cls}
            for sup in parents.get(cls, ()):
                closure[cls] |= up(sup)
        return closure[cls]

    for cls in list(parents):
        up(cls)
    return closure


def _disjoint_pairs(ontology: rdflib.Graph) -> set[frozenset[URIRef]]:
    """Pairs of named classes declared disjoint (owl:disjointWith and owl:AllDisjointClasses)."""
    pairs = {frozenset((a, b)) for a, b in ontology.subject_objects(OWL.disjointWith)}
    for group in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(rdflib.collection.Collection(ontology, ontology.value(group, OWL.members)))
        pairs |= {frozenset(p) for p in itertools.combinations(members, 2)}
    return {p for p in pairs if len(p) == 2}


def _known_types(ontology: rdflib.Graph, data: rdflib.Graph) -> dict[URIRef, dict[URIRef, str]]:
    """The named classes each IRI of *data* falls into, with why: its rdf:type and the named
    domains and ranges of the properties it is used with, closed under rdfs:subClassOf."""
    closure = _superclasses(ontology)
    domains = {p: d for p, d in ontology.subject_objects(RDFS.domain) if isinstance(d, URIRef)}
    ranges = {p: r for p, r in ontology.subject_objects(RDFS.range) if isinstance(r, URIRef)}
    reasons: dict[URIRef, dict[URIRef, str]] = {}

    def note(node, cls, why):
        if isinstance(node, URIRef):
            for sup in closure.get(cls, {cls}):
                reasons.setdefault(node, {}).setdefault(sup, f"{why}")

    for s, p, o in data:
        if p == RDF.type and isinstance(o, URIRef):
            note(s, o, f"rdf:type {_short(o)}")
        if p in domains:
            note(s, domains[p], f"subject of {_short(p)}")
        if p in ranges and isinstance(o, URIRef):
            note(o, ranges[p], f"object of {_short(p)}")
    return reasons


def _disjointness_conflicts(ontology: rdflib.Graph, data: rdflib.Graph) -> list[str]:
    """Individuals of *data* that fall into two disjoint classes of *ontology*.

    Types come from rdf:type and from the named domains and ranges of the properties used,
    closed under rdfs:subClassOf; each conflict names the individual, the two classes and why.

    >>> from cdkg.namespaces import CDO, ID
    >>> data = rdflib.Graph()
    >>> _ = data.add((ID["x"], RDF.type, CDO.State)).add((ID["x"], RDF.type, CDO.Person))
    >>> _disjointness_conflicts(load_ontology(), data)  # doctest: +ELLIPSIS
    ['<https://w3id.org/cdkg/id/x> is both cdo:Person (rdf:type cdo:Person) and cdo:State (rdf:type cdo:State)']
    """
    disjoint = _disjoint_pairs(ontology)
    found = []
    for node, classes in sorted(_known_types(ontology, data).items()):
        for a, b in itertools.combinations(sorted(classes), 2):
            if frozenset((a, b)) in disjoint:
                found.append(f"<{node}> is both {_short(a)} ({classes[a]}) and {_short(b)} ({classes[b]})")
    found += _union_conflicts(ontology, data)
    return found


def _union_conflicts(ontology: rdflib.Graph, data: rdflib.Graph) -> list[str]:
    """Individuals used with a property whose domain or range is a union of classes, when one of
    their known classes is disjoint with every member of the union.

    >>> from cdkg.namespaces import CDO, ID
    >>> data = rdflib.Graph()
    >>> _ = data.add((ID["p"], CDO.headOf, ID["x"])).add((ID["x"], RDF.type, CDO.Instrument))
    >>> _union_conflicts(load_ontology(), data)  # doctest: +ELLIPSIS
    ['<https://w3id.org/cdkg/id/x> is cdo:Instrument (rdf:type cdo:Instrument), but the range of cdo:headOf is cdo:State or ...']
    """
    closure = _superclasses(ontology)
    disjoint = _disjoint_pairs(ontology)
    unions: dict[tuple[URIRef, URIRef], list[URIRef]] = {}
    for side in (RDFS.domain, RDFS.range):
        for prop, cls in ontology.subject_objects(side):
            members = ontology.value(cls, OWL.unionOf)
            if members is not None:
                unions[(prop, side)] = [m for m in rdflib.collection.Collection(ontology, members)
                                        if isinstance(m, URIRef)]
    if not unions:
        return []
    known = _known_types(ontology, data)

    def apart(cls: URIRef, member: URIRef) -> bool:
        return any(frozenset((a, b)) in disjoint for a in closure.get(cls, {cls}) for b in closure.get(member, {member}))

    found = set()
    for s, p, o in data:
        for side, node in ((RDFS.domain, s), (RDFS.range, o)):
            members = unions.get((p, side))
            if not members or not isinstance(node, URIRef):
                continue
            for cls, why in sorted(known.get(node, {}).items()):
                if all(apart(cls, m) for m in members):
                    where = "domain" if side == RDFS.domain else "range"
                    found.add(f"<{node}> is {_short(cls)} ({why}), but the {where} of {_short(p)} is "
                              + " or ".join(_short(m) for m in members))
                    break
    return sorted(found)


def _values(data: rdflib.Graph, node, prop, inverses) -> set:
    """Objects of *prop* on *node*, including subjects of its inverse properties pointing at it."""
    found = set(data.objects(node, prop))
    for inverse in inverses:
        found |= set(data.subjects(inverse, node))
    return found


def _cardinality_conflicts(ontology: rdflib.Graph, data: rdflib.Graph) -> list[str]:
    """Individuals of a class defined with an exact or maximum qualified cardinality that exceed it.

    Looks at classes equivalent to an intersection holding such a restriction (as
    cdo:BilateralAgreement: exactly 2 cdo:hasParty of cdo:State) and counts the distinct IRIs the
    data gives for the property (or its inverse) that are typed with the restriction's class.
    """
    closure = _superclasses(ontology)
    inverses: dict[URIRef, set[URIRef]] = {}
    for a, b in ontology.subject_objects(OWL.inverseOf):
        inverses.setdefault(a, set()).add(b)
        inverses.setdefault(b, set()).add(a)
    typed: dict[URIRef, set[URIRef]] = {}
    for node, cls in data.subject_objects(RDF.type):
        typed.setdefault(node, set()).update(closure.get(cls, {cls}))
    found = []
    for named, expression in ontology.subject_objects(OWL.equivalentClass):
        parts = ontology.value(expression, OWL.intersectionOf)
        members = list(rdflib.collection.Collection(ontology, parts)) if parts is not None else [expression]
        for restriction in members:
            limit = ontology.value(restriction, OWL.qualifiedCardinality) or ontology.value(
                restriction, OWL.maxQualifiedCardinality
            )
            prop = ontology.value(restriction, OWL.onProperty)
            on_class = ontology.value(restriction, OWL.onClass)
            if limit is None or prop is None or on_class is None:
                continue
            for node in sorted(n for n, classes in typed.items() if named in classes):
                values = {v for v in _values(data, node, prop, inverses.get(prop, ())) if on_class in typed.get(v, ())}
                if len(values) > int(limit):
                    found.append(
                        f"<{node}> is a {_short(named)} (at most {int(limit)} {_short(prop)} of {_short(on_class)}) "
                        f"but has {len(values)}: " + ", ".join(f"<{v}>" for v in sorted(values))
                    )
    return found
