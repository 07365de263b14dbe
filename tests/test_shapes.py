"""SHACL shapes: graphs in the build's shape conform; each kind of defect is reported by the
shape that is meant to catch it; `cdkg validate` follows pySHACL's exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from cdkg.cli import main
from cdkg.ontology.rdf_files import load_union
from cdkg.ontology.shacl import failing_shapes, load_shapes, validate
from cdkg.paths import lexicon_dir

FIXTURES = Path(__file__).parent / "fixtures" / "ontology"
GOOD = FIXTURES / "good.trig"
BAD = FIXTURES / "bad.trig"
SAMPLE = Path(__file__).parent / "fixtures" / "sample.trig"

PREFIXES = """
PREFIX cdo:     <https://w3id.org/cdkg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa:      <http://www.w3.org/ns/oa#>
PREFIX prov:    <http://www.w3.org/ns/prov#>
PREFIX rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs:    <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos:    <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd:     <http://www.w3.org/2001/XMLSchema#>
PREFIX state:   <https://w3id.org/cdkg/id/state/>
PREFIX inst:    <https://w3id.org/cdkg/id/instrument/>
PREFIX doc:     <https://w3id.org/cdkg/id/doc/>
PREFIX claim:   <https://w3id.org/cdkg/id/claim/>
"""


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return load_shapes()


def good_graph() -> rdflib.Graph:
    return load_union(GOOD)


def test_good_fixture_conforms(shapes):
    conforms, report = validate(good_graph(), shapes)
    assert conforms, report


def test_sample_graph_in_the_build_shape_conforms(shapes):
    conforms, report = validate(load_union(SAMPLE), shapes)
    assert conforms, report


def test_lexicon_conforms(shapes):
    files = sorted(lexicon_dir().glob("*.ttl"))
    if not files:
        pytest.skip(f"no lexicon files in {lexicon_dir()}")
    graph = rdflib.Graph()
    for path in files:
        graph.parse(path)
    conforms, report = validate(graph, shapes)
    assert conforms, report


def test_bad_fixture_is_reported_by_every_shape(shapes):
    data = load_union(BAD)
    conforms, report = validate(data, shapes)
    assert not conforms
    expected = {
        "cdosh:ClaimShape", "cdosh:TextQuoteSelectorShape", "cdosh:TextPositionSelectorShape",
        "cdosh:DocumentShape", "cdosh:StateShape", "cdosh:InstrumentShape", "cdosh:DateValueShape",
        "cdosh:LabelShape",
    }
    assert failing_shapes(data, shapes) == expected
    assert report.splitlines()[-1] == "Failing shapes: " + ", ".join(sorted(expected))
    for message in ("an xsd:decimal in [0, 1]", "names the rule", "non-empty oa:exact", "below oa:end",
                    "needs a dcterms:title", "two capital letters", "needs an rdfs:label",
                    "cdo:date values are", "carry a language tag"):
        assert message in report


# One defect at a time, written as a SPARQL update on the good fixture: (update, shape, message).
MUTATIONS = {
    "confidence above 1": (
        "DELETE { ?c cdo:confidence ?v } INSERT { ?c cdo:confidence 1.2 } WHERE { ?c cdo:confidence ?v }",
        "cdosh:ClaimShape", "[0, 1]"),
    "confidence as a string": (
        'DELETE { ?c cdo:confidence ?v } INSERT { ?c cdo:confidence "0.9" } WHERE { ?c cdo:confidence ?v }',
        "cdosh:ClaimShape", "[0, 1]"),
    "no rule": ("DELETE WHERE { ?c cdo:rule ?r }", "cdosh:ClaimShape", "names the rule"),
    "no rdf:object": ("DELETE WHERE { ?c rdf:object ?o }", "cdosh:ClaimShape", "exactly one rdf:object"),
    "two subjects": ("INSERT { ?c rdf:subject state:XB } WHERE { ?c a cdo:Claim }", "cdosh:ClaimShape",
                     "exactly one rdf:subject"),
    "derived from a non-document": (
        "DELETE { ?c prov:wasDerivedFrom ?d } INSERT { ?c prov:wasDerivedFrom state:XA } "
        "WHERE { ?c prov:wasDerivedFrom ?d }", "cdosh:ClaimShape", "derived from exactly one cdo:Document"),
    "no run": ("DELETE WHERE { ?c prov:wasGeneratedBy ?r }", "cdosh:ClaimShape", "extraction run"),
    "no evidence": ("DELETE WHERE { ?c cdo:evidence ?e }", "cdosh:ClaimShape", "exactly one cdo:evidence"),
    "no position selector": (
        "DELETE { ?e oa:hasSelector ?s } WHERE { ?e oa:hasSelector ?s . ?s a oa:TextPositionSelector }",
        "cdosh:ClaimShape", "exactly one cdo:evidence"),
    "evidence from another document": (
        "DELETE { ?e oa:hasSource ?d } INSERT { ?e oa:hasSource doc:other } WHERE { ?e oa:hasSource ?d }",
        "cdosh:ClaimShape", "is not the document the claim is derived from"),
    "claimed fact not stated": (
        "DELETE DATA { state:XA cdo:partyTo inst:a1 }", "cdosh:ClaimShape", "is not stated in the graph"),
    "empty quote": (
        'DELETE { ?s oa:exact ?x } INSERT { ?s oa:exact "" } WHERE { ?s oa:exact ?x }',
        "cdosh:TextQuoteSelectorShape", "non-empty oa:exact"),
    "start not before end": (
        "DELETE { ?s oa:start ?x } INSERT { ?s oa:start 23 } WHERE { ?s oa:start ?x }",
        "cdosh:TextPositionSelectorShape", "below oa:end"),
    "negative start": (
        "DELETE { ?s oa:start ?x } INSERT { ?s oa:start -1 } WHERE { ?s oa:start ?x }",
        "cdosh:TextPositionSelectorShape", ">= 0"),
    "offset as a string": (
        'DELETE { ?s oa:end ?x } INSERT { ?s oa:end "23" } WHERE { ?s oa:end ?x }',
        "cdosh:TextPositionSelectorShape", "integer oa:end"),
    "lower-case ISO code": (
        'DELETE { state:XA cdo:iso3166Alpha2 ?x } INSERT { state:XA cdo:iso3166Alpha2 "xa" } '
        "WHERE { state:XA cdo:iso3166Alpha2 ?x }", "cdosh:StateShape", "two capital letters"),
    "two ISO codes": ('INSERT DATA { state:XA cdo:iso3166Alpha2 "XZ" }', "cdosh:StateShape", "exactly one"),
    "no ISO code": ("DELETE WHERE { state:XB cdo:iso3166Alpha2 ?x }", "cdosh:StateShape", "exactly one"),
    "M49 code as a number": (
        "DELETE { state:XB cdo:m49 ?x } INSERT { state:XB cdo:m49 902 } WHERE { state:XB cdo:m49 ?x }",
        "cdosh:StateShape", "three digits"),
    "document without title": ("DELETE WHERE { ?d dcterms:title ?t }", "cdosh:DocumentShape", "dcterms:title"),
    "instrument without label": (
        "DELETE WHERE { inst:a1 rdfs:label ?l }", "cdosh:InstrumentShape", "needs an rdfs:label"),
    "subclass instance without label": (
        "DELETE { inst:a1 a cdo:Agreement ; rdfs:label ?l } INSERT { inst:a1 a cdo:BilateralAgreement } "
        "WHERE { inst:a1 rdfs:label ?l }", "cdosh:InstrumentShape", "needs an rdfs:label"),
    "date as plain text": (
        'DELETE { inst:a1 cdo:date ?d } INSERT { inst:a1 cdo:date "28 February 2020" } WHERE { inst:a1 cdo:date ?d }',
        "cdosh:DateValueShape", "cdo:date values are"),
    "validTo as dateTime": (
        'DELETE { inst:a1 cdo:validTo ?d } INSERT { inst:a1 cdo:validTo "2025-12-31T00:00:00"^^xsd:dateTime } '
        "WHERE { inst:a1 cdo:validTo ?d }", "cdosh:DateValueShape", "cdo:validTo values are"),
    "label without language": ('INSERT DATA { state:XB rdfs:label "Borduria" }', "cdosh:LabelShape", "language tag"),
    "two English preferred labels": (
        'INSERT DATA { state:XB skos:prefLabel "Bordurie"@en }', "cdosh:LabelShape", "one per language"),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_each_defect_is_reported_by_its_shape(shapes, name):
    update, shape, message = MUTATIONS[name]
    data = good_graph()
    before = len(data)
    data.update(PREFIXES + update)
    assert len(data) != before or "DELETE" in update and "INSERT" in update, "the mutation changed nothing"
    conforms, report = validate(data, shapes)
    assert not conforms
    assert shape in failing_shapes(data, shapes)
    assert message in report


def test_rdfs_inference_option_also_conforms(shapes):
    conforms, report = validate(good_graph(), shapes, inference="rdfs")
    assert conforms, report


def test_validate_command_exit_codes(tmp_path, capsys):
    assert main(["validate", str(GOOD)]) == 0
    assert "conforms" in capsys.readouterr().out
    assert main(["validate", str(BAD)]) == 1
    assert "Failing shapes:" in capsys.readouterr().out
    assert main(["validate", str(tmp_path / "missing.trig")]) == 2
    assert "missing.trig: no such file" in capsys.readouterr().err
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    assert main(["validate", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "broken.ttl: not valid turtle" in err and err.count("\n") == 1


def test_validate_reads_turtle_and_nquads(tmp_path, capsys):
    dataset = rdflib.Dataset()
    dataset.parse(GOOD, format="trig")
    nquads = tmp_path / "good.nq"
    dataset.serialize(nquads, format="nquads")
    assert main(["validate", str(nquads)]) == 0
    turtle = tmp_path / "good.ttl"
    good_graph().serialize(turtle, format="turtle")
    assert main(["validate", str(turtle)]) == 0


# Pairs of corpus documents that word one minted thing differently ("Grande Halle" / "La Grande
# Halle", "Кыргызская Республика" / "Кыргызстан" in a post's name), or name two persons whose
# surnames share their consonants (Duda, Widodo).
CORPUS = Path(__file__).parent / "corpus" / "tune"
HELD = Path(__file__).parent / "corpus" / "heldout"
DOCUMENT_PAIRS = [
    (HELD / "h_06_paris_call_launch_igf.en.txt", CORPUS / "t4_10_macron_launches_paris_call_igf_unesco.en.txt"),
    (CORPUS / "t3_03_sco_security_council_secretaries_bishkek.ru.txt",
     CORPUS / "t4_14_kyrgyzstan_ratifies_csto_information_sphere_protocol.ru.txt"),
    (CORPUS / "t2_04_australia_indonesia_cyber_mou_bogor.en.txt",
     CORPUS / "t2_02_nato_warsaw_summit_cyber_defence_pledge.en.txt"),
]


@pytest.fixture(scope="module")
def gazetteer():
    from cdkg.graph.text.gazetteer import Gazetteer
    from cdkg.graph.text.lexicon import load_lexicon
    return Gazetteer(load_lexicon())


@pytest.mark.parametrize("pair", DOCUMENT_PAIRS, ids=lambda pair: pair[0].name.split(".")[0])
def test_two_documents_keep_one_preferred_label_per_language(shapes, gazetteer, pair):
    from rdflib.namespace import RDFS, SKOS

    from cdkg.graph.facts.extract import extract_facts
    from cdkg.graph.facts.provenance import document_graph
    from cdkg.graph.text.documents import read_document
    union = rdflib.Graph()
    graphs = [document_graph(extract_facts(read_document(path), gazetteer)) for path in pair]
    for g in graphs:
        union += g
    shared = {s for s in graphs[0].subjects(RDFS.label) if s in set(graphs[1].subjects(RDFS.label))}
    worded = {s for s in shared
              if len({str(label) for label in union.objects(s, RDFS.label)}) > 1}
    conforms, report = validate(union, shapes)
    assert conforms, report
    assert all(len(list(union.objects(s, SKOS.prefLabel))) <= 1 for s in union.subjects(SKOS.prefLabel))
    # a name that different documents word differently stays with them as rdfs:label and altLabel
    for s in worded:
        assert set(union.objects(s, RDFS.label)) == set(union.objects(s, SKOS.altLabel))
