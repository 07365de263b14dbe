"""Dated statements: signatures, ratifications, accessions and memberships as nodes of their own
(Wikidata's statement-with-qualifiers shape), written by the build from real extraction and by
`cdkg memberships-import` for the linked data, checked by the SHACL shapes and read by the queries."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from cdkg.graph.facts.extract import extract_facts
from cdkg.graph.facts.provenance import document_graph, statement_triples
from cdkg.graph.store.memberships import memberships_turtle
from cdkg.graph.store.store import Store
from cdkg.graph.text.documents import Document
from cdkg.graph.text.gazetteer import Gazetteer
from cdkg.graph.text.lexicon import load_lexicon
from cdkg.namespaces import CDO, ORG, RDF, XSD
from cdkg.ontology.shacl import failing_shapes, validate
from cdkg.queries import library as lib

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
LINKED = Path(__file__).resolve().parents[1] / "data" / "linked" / "memberships.ttl"


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer(load_lexicon())


def statements(gazetteer, text: str, lang: str):
    result = extract_facts(Document.from_text(text, language=lang), gazetteer)
    g = Graph()
    for t in statement_triples(result):
        g.add(t)
    out = {}
    for node in g.subjects(RDF.type, None):
        kind = g.value(node, RDF.type)
        actor = g.value(node, CDO.actor) or g.value(node, ORG.member)
        out[(str(kind).rsplit("#", 1)[-1], str(actor).rsplit("/", 1)[-1])] = g.value(node, CDO.pointInTime)
    return out, result


def test_a_signing_gives_dated_signatures_beside_the_plain_party_facts(gazetteer):
    found, result = statements(gazetteer, "Japan and Singapore signed a memorandum of cooperation on cyber "
                               "security in Tokyo on 18 September 2017.", "en")
    assert found == {("Signature", "JP"): Literal("2017-09-18", datatype=XSD.date),
                     ("Signature", "SG"): Literal("2017-09-18", datatype=XSD.date)}
    assert {(f.subject.iso2, f.relation) for f in result.facts if f.relation == "partyTo"} == {("JP", "partyTo"),
                                                                                           ("SG", "partyTo")}


def test_ratification_and_accession_are_told_apart_and_dated_by_their_sentence(gazetteer):
    found, _ = statements(gazetteer, "Fiji ratified the Budapest Convention on 15 March 2024. "
                          "Tunisia acceded to the Budapest Convention in 2024.", "en")
    assert found == {("Ratification", "FJ"): Literal("2024-03-15", datatype=XSD.date),
                     ("Accession", "TN"): Literal("2024", datatype=XSD.gYear)}
    found, _ = statements(gazetteer, "صادقت تونس على اتفاقية بودابست في 10 يناير 2024.", "ar")
    assert found == {("Ratification", "TN"): Literal("2024-01-10", datatype=XSD.date)}
    found, _ = statements(gazetteer, "Россия и Китай подписали соглашение о сотрудничестве в области обеспечения "
                          "международной информационной безопасности 8 мая 2015 года.", "ru")
    assert set(found) == {("Signature", "RU"), ("Signature", "CN")}


def test_document_statements_conform_to_the_shapes_and_a_broken_one_is_reported(gazetteer):
    doc = Document.from_text("Japan and Singapore signed a memorandum of cooperation on cyber security on "
                             "18 September 2017. Fiji ratified the Budapest Convention on 15 March 2024. "
                             "Japan is a member of the United Nations.", language="en")
    g = document_graph(extract_facts(doc, gazetteer))
    assert len(list(g.subjects(RDF.type, CDO.Membership))) == 1
    conforms, report = validate(g)
    assert conforms, report
    signature = next(g.subjects(RDF.type, CDO.Signature))
    g.remove((signature, CDO.instrument, None))
    g.add((signature, CDO.pointInTime, Literal("sometime")))
    assert {"cdosh:DatedStatementShape", "cdosh:DateValueShape"} <= failing_shapes(g)


def test_linked_memberships_are_written_in_the_same_shape():
    if not (REFERENCE / "memberships.csv").is_file():
        pytest.fail(f"missing {REFERENCE / 'memberships.csv'} (the shared reference tables)")
    g = Graph().parse(data=memberships_turtle(REFERENCE / "memberships.csv", REFERENCE / "countries.csv",
                                              REFERENCE / "organizations.csv"), format="turtle")
    p463 = URIRef("http://www.wikidata.org/prop/P463")
    ps463 = URIRef("http://www.wikidata.org/prop/statement/P463")
    pairs = list(g.subject_objects(p463))
    assert len(pairs) > 50
    for item, node in pairs:
        assert (node, RDF.type, CDO.Membership) in g
        assert g.value(node, ORG.member) == item
        assert g.value(node, ORG.organization) == g.value(node, ps463)
        start = g.value(node, URIRef("http://www.wikidata.org/prop/qualifier/P580"))
        assert g.value(node, CDO.startTime) == start
        assert g.value(node, CDO.role) is not None
    assert LINKED.read_text(encoding="utf-8") == memberships_turtle(
        REFERENCE / "memberships.csv", REFERENCE / "countries.csv", REFERENCE / "organizations.csv"), \
        "data/linked/memberships.ttl is stale: run `make memberships`"


def test_one_query_reads_document_signatures_with_linked_memberships(tmp_path):
    from cdkg.graph.store.build import build
    from cdkg.graph.store.link import link_file

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "ru-uz.en.txt").write_text(
        "Russia and Uzbekistan signed an intergovernmental agreement on cooperation in the field of "
        "international information security on 19 November 2021.\n", encoding="utf-8")
    build(documents=docs, out=tmp_path / "out", quiet=True)
    query = lib.library()["members-when-signed"]
    with Store.open(tmp_path / "out" / "store", read_only=True) as store:
        assert lib.run(query, store).rows == []  # no linked dataset, and the document names no membership
    link_file(LINKED, tmp_path / "out" / "store")
    with Store.open(tmp_path / "out" / "store", read_only=True) as store:
        result = lib.run(query, store)
    rows = [dict(zip(result.vars, row)) for row in result.rows]
    got = {(str(r["state"]).rsplit("/", 1)[-1], str(r["organization"]).rsplit("/", 1)[-1], str(r["since"]))
           for r in rows}
    assert ("UZ", "SCO", "2001-06-15") in got and ("RU", "SCO", "2001-06-15") in got
    assert all(str(r["date"]) == "2021-11-19" for r in rows)
    # Uzbekistan's CSTO membership of 2006-2012 had ended by 2021, and suspension is not membership
    assert ("UZ", "CSTO", "2006-08-16") not in got


@pytest.mark.parametrize("text, lang, value", [
    ("The Budapest Convention entered into force on 1 July 2004.", "en", "2004-07-01"),
    ("Соглашение о сотрудничестве в области обеспечения международной информационной безопасности вступило в силу "
     "2 июня 2011 года.", "ru", "2011-06-02"),
    ("ودخلت اتفاقية بودابست حيز التنفيذ في 1 يوليو 2004.", "ar", "2004-07-01"),
])
def test_entry_into_force_is_a_dated_statement(gazetteer, text, lang, value):
    found, _ = statements(gazetteer, text, lang)
    entries = {k: v for k, v in found.items() if k[0] == "EntryIntoForce"}
    assert [str(v) for v in entries.values()] == [value]


def test_a_date_of_another_clause_does_not_date_an_entry_into_force(gazetteer):
    found, _ = statements(gazetteer, "Japan and Singapore signed a memorandum of cooperation on 18 September 2017; "
                          "it will enter into force later.", "en")
    assert not [k for k in found if k[0] == "EntryIntoForce"]


def test_the_minister_who_signed_for_a_state_is_its_representative(gazetteer):
    doc = Document.from_text("The memorandum was signed by Russian Foreign Minister Sergey Lavrov and Egyptian Foreign "
                             "Minister Sameh Shoukry on 12 April 2021.", language="en")
    g = Graph()
    for t in statement_triples(extract_facts(doc, gazetteer)):
        g.add(t)
    reps = {}
    for node in g.subjects(RDF.type, CDO.Signature):
        actor = str(g.value(node, CDO.actor)).rsplit("/", 1)[-1]
        rep = g.value(node, CDO.representative)
        if rep is not None:
            reps[actor] = str(rep)
    assert set(reps) == {"RU", "EG"} and reps["RU"].endswith("/sergey-lavrov") and reps["RU"] != reps["EG"]
