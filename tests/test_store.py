"""The embedded store and the inferences: persistence, graph-level updates, exports, errors, bindings."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
import rdflib.compare
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from cdkg import paths
from cdkg.errors import CdkgError
from cdkg.graph.store.inference import axioms_from, materialize
from cdkg.graph.store.reference import ReferenceStore
from cdkg.graph.store.store import Store
from cdkg.namespaces import CDO, ID, INFERRED_GRAPH, LEXICON_GRAPH

SAMPLE = Path(__file__).parent / "fixtures" / "sample.trig"
EX = rdflib.Namespace("http://example.org/")


def sample_store() -> Store:
    store = Store.in_memory()
    store.load_file(SAMPLE)
    return store


def test_store_persists_across_reopen(tmp_path):
    folder = tmp_path / "store"
    with Store.open(folder) as store:
        store.load_file(SAMPLE)
        size, names = len(store), store.graph_names()
    with Store.open(folder, read_only=True) as again:
        assert len(again) == size > 0
        assert again.graph_names() == names
        assert again.query("ASK { GRAPH ?g { ?s a <https://w3id.org/cdkg/ontology#Claim> } }").boolean


def test_read_only_store_refuses_updates(tmp_path):
    Store.open(tmp_path / "s").close()
    with Store.open(tmp_path / "s", read_only=True) as store, pytest.raises(CdkgError, match="read-only"):
        store.update("INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }")


def test_missing_store_is_a_one_line_error(tmp_path):
    with pytest.raises(CdkgError, match="no store here"):
        Store.open(tmp_path / "absent", read_only=True)


def test_replace_graphs_touches_only_its_graph():
    store = sample_store()
    docs = sorted(g for g in store.graph_names() if "/doc/" in g)
    untouched = docs[1]
    before = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{untouched}> {{ ?s ?p ?o }} }}").graph
    lexicon_size = len(store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{LEXICON_GRAPH}> {{ ?s ?p ?o }} }}").graph)
    store.replace_graphs({docs[0]: [(EX.a, EX.says, Literal("new")), (EX.a, EX.n, Literal(2))]})
    after = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{untouched}> {{ ?s ?p ?o }} }}").graph
    assert len(before) > 0 and rdflib.compare.isomorphic(before, after)
    rows = store.query(f"SELECT ?p ?o WHERE {{ GRAPH <{docs[0]}> {{ ?s ?p ?o }} }} ORDER BY ?p").rows
    assert rows == [(EX.n, Literal(2)), (EX.says, Literal("new"))]
    assert len(store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{LEXICON_GRAPH}> {{ ?s ?p ?o }} }}").graph) \
        == lexicon_size


def test_replace_graphs_keeps_blank_node_structure():
    store = Store.in_memory()
    g = rdflib.Graph()
    node = rdflib.BNode()
    g.add((EX.claim, EX.evidence, node))
    g.add((node, EX.start, Literal(3)))
    store.replace_graphs({str(EX.g): g})
    rows = store.query("SELECT ?start WHERE { GRAPH ?g { ?c <http://example.org/evidence>/<http://example.org/start> ?start } }").rows
    assert rows == [(Literal(3),)]


def test_remove_graphs():
    store = sample_store()
    doc = next(g for g in store.graph_names() if "/doc/" in g)
    store.remove_graphs([doc, "http://example.org/never-there"])
    assert doc not in store.graph_names()
    assert str(LEXICON_GRAPH) in store.graph_names()


@pytest.mark.parametrize("fmt", ["trig", "nq"])
def test_dataset_exports_keep_named_graphs(tmp_path, fmt):
    store = sample_store()
    out = store.dump(tmp_path / f"graph.{fmt}", fmt)
    again = Store.in_memory()
    again.load_file(out)
    assert again.graph_names() == store.graph_names()
    assert len(again) == len(store)
    ref = ReferenceStore.in_memory()
    ref.load_file(out)
    assert ref.graph_names() == store.graph_names()


@pytest.mark.parametrize("fmt", ["ttl", "nt", "xml", "jsonld"])
def test_triple_exports_parse_back(tmp_path, fmt):
    store = sample_store()
    out = store.dump(tmp_path / f"graph.{fmt}", fmt)
    graph = rdflib.Dataset() if fmt == "jsonld" else rdflib.Graph()
    graph.parse(str(out), format={"ttl": "turtle", "nt": "nt", "xml": "xml", "jsonld": "json-ld"}[fmt])
    assert any(graph.triples((ID["state/KZ"], RDF.type, CDO.State))) if fmt != "jsonld" else \
        any(graph.quads((ID["state/KZ"], RDF.type, CDO.State, None)))
    assert not list(tmp_path.glob(".graph*")), "temporary file left behind"


def test_unknown_format_is_an_error(tmp_path):
    with pytest.raises(CdkgError, match="unknown RDF format"):
        sample_store().dump(tmp_path / "graph.docx")


def test_malformed_sparql_names_query_and_line():
    store = sample_store()
    with pytest.raises(CdkgError) as err:
        store.query("PREFIX ex: <http://example.org/>\nSELECT ?x WHERE { ?x ex:p ?z ) }", name="broken")
    message = str(err.value)
    assert message.startswith("query broken: syntax error at line 2")
    assert "\n" not in message
    with pytest.raises(CdkgError, match=r"query broken: syntax error at line 2"):
        ReferenceStore.in_memory().query("PREFIX ex: <http://example.org/>\nSELECT ?x WHERE { ?x ex:p ?z ) }",
                                         name="broken")


def test_unparsable_file_is_a_one_line_error(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(CdkgError, match="bad.ttl: cannot parse as ttl"):
        Store.in_memory().load_file(bad)


HOSTILE = 'x" } ; DROP ALL ; INSERT DATA { <http://example.org/p> <http://example.org/p> "'


@pytest.mark.parametrize("store_class", [Store, ReferenceStore])
def test_bindings_are_terms_not_text(store_class):
    store = store_class.in_memory()
    store.replace_graphs({str(EX.g): [(EX.a, EX.says, Literal(HOSTILE)), (EX.b, EX.says, Literal("plain"))]})
    size = len(store)
    found = store.query("SELECT ?s WHERE { GRAPH ?g { ?s <http://example.org/says> ?text } }",
                        bindings={"text": Literal(HOSTILE)})
    assert found.rows == [(EX.a,)]
    nothing = store.query("SELECT ?s WHERE { GRAPH ?g { ?s <http://example.org/says> ?text } }",
                          bindings={"text": Literal("x")})
    assert nothing.rows == []
    assert len(store) == size


def test_iri_binding_with_brackets_is_refused():
    with pytest.raises(CdkgError, match="not a valid IRI"):
        Store.in_memory().query("SELECT ?s WHERE { ?s ?p ?o }", bindings={"s": URIRef("http://x> } DROP ALL <y")})


def test_embedded_store_and_rdflib_agree_on_an_aggregation():
    query = """PREFIX cdo: <https://w3id.org/cdkg/ontology#>
    SELECT ?state (COUNT(DISTINCT ?i) AS ?n) WHERE { GRAPH ?g { ?state cdo:partyTo|cdo:signed ?i } }
    GROUP BY ?state ORDER BY DESC(?n) ?state"""
    ref = ReferenceStore.in_memory()
    ref.load_file(SAMPLE)
    ours = sample_store().query(query)
    assert ours.vars == ["state", "n"]
    assert ours.rows == ref.query(query).rows
    assert ours.rows[0] == (ID["state/KZ"], Literal(3))


# --- inference --------------------------------------------------------------------------------------

MINI_ONTOLOGY = """
@prefix cdo: <https://w3id.org/cdkg/ontology#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
cdo:hasParty owl:inverseOf cdo:partyTo . cdo:hasMember owl:inverseOf cdo:memberOf .
cdo:cooperatesWith a owl:SymmetricProperty .
cdo:Agreement rdfs:subClassOf cdo:Instrument . cdo:Instrument rdfs:subClassOf cdo:Thing .
cdo:BilateralAgreement rdfs:subClassOf cdo:Agreement . cdo:MultilateralAgreement rdfs:subClassOf cdo:Agreement .
cdo:State rdfs:subClassOf cdo:Actor .
"""


def inferred(store) -> set:
    return set(store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} }}").rows)


def test_materialize_computes_from_the_axioms_given():
    store = sample_store()
    axioms = rdflib.Graph().parse(data=MINI_ONTOLOGY, format="turtle")
    count = materialize(store, axioms)
    triples = inferred(store)
    assert count == len(triples) > 0
    kz, kg, cn, by = (ID[f"state/{c}"] for c in ("KZ", "KG", "CN", "BY"))
    thing = URIRef("https://w3id.org/cdkg/ontology#Thing")  # only this test's ontology says so
    parties = {(s, o) for s, p, o in triples if p == CDO.hasParty}
    assert {o for _, o in parties} == {kz, kg, cn, by}
    assert (ID["org/SCO"], CDO.hasMember, kz) in triples
    asserted_agreements = {r[0] for r in store.query(
        f"SELECT ?i WHERE {{ GRAPH ?g {{ ?i a <{CDO.Agreement}> }} FILTER(?g != <{INFERRED_GRAPH}>) }}").rows}
    assert len(asserted_agreements) == 2
    assert {s for s, p, o in triples if p == RDF.type and o == thing} == asserted_agreements
    bilateral = {s for s, p, o in triples if o == CDO.BilateralAgreement}
    multilateral = {s for s, p, o in triples if o == CDO.MultilateralAgreement}
    assert len(bilateral) == 1 and len(multilateral) == 1
    assert (kz, CDO.cooperatesWith, by) in triples and (by, CDO.cooperatesWith, kz) in triples
    assert (cn, CDO.cooperatesWith, kg) in triples
    assert not any(p == CDO.cooperatesWith and s == o for s, p, o in triples)
    assert (kz, RDF.type, CDO.Actor) in triples
    # nothing asserted is repeated in the inferred graph
    assert (kz, RDF.type, CDO.State) not in triples


def test_materialize_is_idempotent_and_excluded_by_graph():
    store = sample_store()
    axioms = rdflib.Graph().parse(data=MINI_ONTOLOGY, format="turtle")
    first = materialize(store, axioms)
    snapshot = inferred(store)
    assert materialize(store, axioms) == first and inferred(store) == snapshot
    asserted_only = store.query(f"""PREFIX cdo: <https://w3id.org/cdkg/ontology#>
        SELECT ?s WHERE {{ GRAPH ?g {{ ?s cdo:hasParty ?o }} FILTER(?g != <{INFERRED_GRAPH}>) }}""").rows
    assert asserted_only == []


def test_materialize_drops_stale_inferences():
    store = sample_store()
    axioms = rdflib.Graph().parse(data=MINI_ONTOLOGY, format="turtle")
    materialize(store, axioms)
    doc = next(g for g in store.graph_names() if "/doc/" in g
               and store.query(f"ASK {{ GRAPH <{g}> {{ ?s <{CDO.memberOf}> ?o }} }}").boolean)
    store.remove_graphs(list(store.graph_names() - {str(LEXICON_GRAPH), str(INFERRED_GRAPH)}))
    materialize(store, axioms)
    assert not any(p == CDO.hasParty for _, p, _ in inferred(store))
    assert doc not in store.graph_names()


@pytest.mark.skipif(not paths.ONTOLOGY_TTL.is_file(), reason="ontology/cdo.ttl not written yet")
def test_materialize_with_the_project_ontology():
    store = sample_store()
    axioms = axioms_from(rdflib.Graph().parse(str(paths.ONTOLOGY_TTL)))
    assert axioms.inverse and axioms.subclass
    materialize(store)
    triples = inferred(store)
    assert any(p == CDO.hasParty for _, p, _ in triples)
    assert any(o == CDO.BilateralAgreement for _, _, o in triples)
    assert (ID["state/KZ"], CDO.cooperatesWith, ID["state/BY"]) in triples
