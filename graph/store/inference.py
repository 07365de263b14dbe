"""Inferences researchers rely on, computed from the ontology's axioms into their own named graph.

`materialize` reads the OWL axioms of the ontology (``owl:inverseOf``, ``rdfs:subClassOf``,
``rdfs:subPropertyOf``, ``owl:SymmetricProperty``, ``owl:TransitiveProperty``) and turns each into
a SPARQL rule (the OWL 2 RL rules prp-inv, cax-sco, prp-spo1, prp-symp, prp-trp), plus two rules of
the domain: an Agreement with two distinct State parties is a ``cdo:BilateralAgreement``, with
three or more a ``cdo:MultilateralAgreement``; two distinct States that are parties to (or signed)
the same instrument ``cdo:cooperatesWith`` each other. The rules run to a fixpoint over every
graph except the ontology's, and the result replaces the graph ``id:graph/inferred`` in one
update, so a query includes or excludes inferences by choosing that graph. Only triples that are
not already asserted somewhere are written. Running it twice gives the same graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS

from cdkg import paths
from cdkg.errors import CdkgError
from cdkg.graph.store.reasoner import Reasoner, closure
from cdkg.graph.store.store import Store, sparql_term
from cdkg.namespaces import CDO, ID, INFERRED_GRAPH, ONTOLOGY_GRAPH

__all__ = ["Axioms", "axioms_from", "rules", "materialize", "materialize_sparql", "Reasoner"]

_WORK_GRAPH = ID["graph/inferred-work"]
_MAX_ROUNDS = 20


@dataclass
class Axioms:
    """The axioms the rules are made of, as pairs of IRIs."""

    subclass: set[tuple[URIRef, URIRef]] = field(default_factory=set)
    subproperty: set[tuple[URIRef, URIRef]] = field(default_factory=set)
    inverse: set[tuple[URIRef, URIRef]] = field(default_factory=set)
    symmetric: set[URIRef] = field(default_factory=set)
    transitive: set[URIRef] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.subclass or self.subproperty or self.inverse or self.symmetric or self.transitive)


def axioms_from(graph: rdflib.Graph) -> Axioms:
    """The axioms stated in an ontology graph (only between IRIs; class expressions are skipped).

    Parameters
    ----------
    graph : rdflib.Graph
        The ontology (its ``owl:inverseOf``, ``rdfs:subClassOf``... statements are read).

    Returns
    -------
    Axioms

    Examples
    --------
    >>> g = rdflib.Graph().parse(data='''
    ...   @prefix cdo: <https://w3id.org/cdkg/ontology#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
    ...   cdo:hasParty owl:inverseOf cdo:partyTo .''', format="turtle")
    >>> sorted(str(p).split("#")[1] for pair in axioms_from(g).inverse for p in pair)
    ['hasParty', 'partyTo']
    """
    axioms = Axioms()
    for s, o in graph.subject_objects(RDFS.subClassOf):
        if isinstance(s, URIRef) and isinstance(o, URIRef) and s != o:
            axioms.subclass.add((s, o))
    for s, o in graph.subject_objects(RDFS.subPropertyOf):
        if isinstance(s, URIRef) and isinstance(o, URIRef) and s != o:
            axioms.subproperty.add((s, o))
    for s, o in graph.subject_objects(OWL.inverseOf):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            axioms.inverse.add((s, o))
    axioms.symmetric = {s for s in graph.subjects(RDF.type, OWL.SymmetricProperty) if isinstance(s, URIRef)}
    axioms.transitive = {s for s in graph.subjects(RDF.type, OWL.TransitiveProperty) if isinstance(s, URIRef)}
    return axioms


def _load_axioms(store: Store, ontology: Path | rdflib.Graph | None = None) -> Axioms:
    """The axioms from *ontology* if given, else the store's ontology graph, else ``ontology/cdo.ttl``."""
    if isinstance(ontology, rdflib.Graph):
        return axioms_from(ontology)
    if ontology is not None:
        return axioms_from(_parse(Path(ontology)))
    result = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {sparql_term(ONTOLOGY_GRAPH)} {{ ?s ?p ?o }} }}",
                         name="ontology axioms")
    if len(result.graph):
        return axioms_from(result.graph)
    if paths.ONTOLOGY_TTL.is_file():
        return axioms_from(_parse(paths.ONTOLOGY_TTL))
    return Axioms()


def _parse(path: Path) -> rdflib.Graph:
    try:
        return rdflib.Graph().parse(str(path))
    except Exception as exc:
        raise CdkgError(f"{path}: cannot read the ontology: {str(exc).splitlines()[0]}") from exc


def rules(axioms: Axioms) -> list[tuple[str, str, str]]:
    """The rules as (name, CONSTRUCT-style template, WHERE pattern) over any data graph ``?g``.

    Patterns read every graph except the ontology's (and the inferred graph being replaced), so
    facts, the lexicon, linked datasets and earlier rounds of inference all count.

    Parameters
    ----------
    axioms : Axioms
        What `axioms_from` read.

    Returns
    -------
    list of (str, str, str)
        Name, template and WHERE pattern of each rule.

    Examples
    --------
    >>> names = [name for name, _, _ in rules(axioms_from(rdflib.Graph().parse(paths.ONTOLOGY_TTL)))]
    >>> "cooperatesWith" in names and "superclasses" in names
    True
    """
    t = sparql_term
    out: list[tuple[str, str, str]] = []
    for p, q in sorted(axioms.inverse):
        out.append((f"inverse {p}", f"?o {t(q)} ?s", f"?s {t(p)} ?o . FILTER(!isLiteral(?o))"))
        out.append((f"inverse {q}", f"?o {t(p)} ?s", f"?s {t(q)} ?o . FILTER(!isLiteral(?o))"))
    for p in sorted(axioms.symmetric):
        out.append((f"symmetric {p}", f"?o {t(p)} ?s", f"?s {t(p)} ?o . FILTER(!isLiteral(?o))"))
    for p in sorted(axioms.transitive):
        out.append((f"transitive {p}", f"?s {t(p)} ?z",
                    f"?s {t(p)} ?o . GRAPH ?g2 {{ ?o {t(p)} ?z }} {_data('?g2')} FILTER(?s != ?z)"))
    for sub, sup in sorted(closure(axioms.subproperty)):
        out.append((f"subproperty {sub}", f"?s {t(sup)} ?o", f"?s {t(sub)} ?o"))
    subclasses = closure(axioms.subclass)
    if subclasses:
        pairs = " ".join(f"({t(a)} {t(b)})" for a, b in sorted(subclasses))
        out.append(("superclasses", "?x a ?super",
                    f"?x a ?class . FILTER(isIRI(?x)) VALUES (?class ?super) {{ {pairs} }}"))
    party = f"{t(CDO.partyTo)}|{t(CDO.signed)}"
    agreement_kinds = {t(CDO.Agreement)} | {t(a) for a, b in subclasses if b == CDO.Agreement}
    out.append(("bilateral/multilateral", "?i a ?kind",
                f"""?i a ?type . VALUES ?type {{ {' '.join(sorted(agreement_kinds))} }}
        {{ SELECT ?i (COUNT(DISTINCT ?state) AS ?n) WHERE {{
            GRAPH ?gp {{ ?state {party} ?i }} GRAPH ?gs {{ ?state a {t(CDO.State)} }}
            {_data('?gp')} {_data('?gs')}
          }} GROUP BY ?i }}
        BIND(IF(?n = 2, {t(CDO.BilateralAgreement)}, IF(?n > 2, {t(CDO.MultilateralAgreement)}, ?unbound)) AS ?kind)
        FILTER(BOUND(?kind))"""))
    out.append(("cooperatesWith", f"?a {t(CDO.cooperatesWith)} ?b",
                f"""?a {party} ?i . GRAPH ?g2 {{ ?b {party} ?i }} FILTER(?a != ?b)
        GRAPH ?ga {{ ?a a {t(CDO.State)} }} GRAPH ?gb {{ ?b a {t(CDO.State)} }}
        {_data('?g2')} {_data('?ga')} {_data('?gb')}"""))
    return out


def _data(var: str) -> str:
    """A filter keeping *var* to data graphs: not the ontology, not the inferred graph being replaced."""
    return f"FILTER({var} NOT IN ({sparql_term(ONTOLOGY_GRAPH)}, {sparql_term(INFERRED_GRAPH)}))"


def _rule_update(template: str, where: str, target: URIRef) -> str:
    """One rule as an INSERT that adds only triples not already in any graph."""
    return f"""INSERT {{ GRAPH {sparql_term(target)} {{ {template} }} }}
WHERE {{
  GRAPH ?g {{ {where} }}
  {_data('?g')}
  FILTER NOT EXISTS {{ GRAPH ?any {{ {template} }} FILTER(?any != {sparql_term(INFERRED_GRAPH)}) }}
}}"""


def _count(store: Store, graph: URIRef) -> int:
    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {sparql_term(graph)} {{ ?s ?p ?o }} }}",
                         name="count inferred")
    return int(result.rows[0][0])


def materialize_sparql(store: Store, ontology: Path | rdflib.Graph | None = None) -> int:
    """Recompute ``id:graph/inferred`` with the rules as SPARQL updates run to a fixpoint (reference).

    The reference implementation `materialize` is checked against: every rule an ``INSERT``
    into a work graph, rounds until the graph stops growing, then a ``MOVE``. Slow on large
    stores (each round joins every graph), exact by construction.

    Parameters
    ----------
    store : Store
        The store to infer in (written: the inferred graph is replaced).
    ontology : Path or rdflib.Graph, optional
        The axioms' source (default: the store's ontology graph, else ``ontology/cdo.ttl``).

    Returns
    -------
    int
        The number of triples in ``id:graph/inferred``.

    Examples
    --------
    >>> from cdkg.paths import SOURCE_ROOT
    >>> store = Store.in_memory()
    >>> store.load_file(SOURCE_ROOT / "tests" / "fixtures" / "sample.trig")
    >>> materialize_sparql(store) > 0
    True
    """
    updates = [_rule_update(template, where, _WORK_GRAPH) for _, template, where in rules(_load_axioms(store, ontology))]
    store.update(f"DROP SILENT GRAPH {sparql_term(_WORK_GRAPH)}", name="inference")
    size = -1
    for _ in range(_MAX_ROUNDS):
        for update in updates:
            store.update(update, name="inference rule")
        new_size = _count(store, _WORK_GRAPH)
        if new_size == size:
            break
        size = new_size
    store.update(f"DROP SILENT GRAPH {sparql_term(INFERRED_GRAPH)} ; "
                 f"MOVE SILENT GRAPH {sparql_term(_WORK_GRAPH)} TO GRAPH {sparql_term(INFERRED_GRAPH)}",
                 name="inference")
    return max(size, 0)


def materialize(store: Store, ontology: Path | rdflib.Graph | None = None) -> int:
    """Recompute the graph ``id:graph/inferred`` from the axioms; return its number of triples.

    The same triples as `materialize_sparql`, computed in memory by `Reasoner`: rules local to
    one triple are applied while the store's quads stream past, the rules across documents on the
    few triples they read, and the result is written straight into the inferred graph.

    Parameters
    ----------
    store : Store
        The store to infer in (written: the inferred graph is replaced).
    ontology : Path or rdflib.Graph, optional
        The axioms' source (default: the store's ontology graph, else ``ontology/cdo.ttl``).

    Returns
    -------
    int
        The number of triples in ``id:graph/inferred``.

    Examples
    --------
    >>> from cdkg.paths import SOURCE_ROOT
    >>> store = Store.in_memory()
    >>> store.load_file(SOURCE_ROOT / "tests" / "fixtures" / "sample.trig")
    >>> materialize(store) > 0
    True
    """
    reasoner = Reasoner(_load_axioms(store, ontology))
    return reasoner.recompute(store)
