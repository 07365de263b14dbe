"""Offices: a role word with its person and body gives a post (W3C ORG), one node per office and
body across documents and languages; deputies and spokesmen hold none; the query dates the
holding by the documents."""

from __future__ import annotations

import pytest

from cdkg.graph.facts.extract import extract_facts
from cdkg.graph.text.documents import Document
from cdkg.graph.text.gazetteer import Gazetteer
from cdkg.graph.text.lexicon import load_lexicon


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer(load_lexicon())


def posts(gazetteer, text, lang):
    facts = extract_facts(Document.from_text(text, language=lang), gazetteer).facts
    held = {(f.subject.label, f.object.iri, f.object.type) for f in facts if f.relation == "holdsPost"}
    body = {f.subject.iri: f.object.iri.rsplit("/", 1)[-1] for f in facts if f.relation == "postIn"}
    return {(person, office, body[iri]) for person, iri, office in held}, {iri for _, iri, _ in held}


def test_heads_ministers_and_secretaries_general_hold_typed_posts(gazetteer):
    got, _ = posts(gazetteer, "президент России Владимир Путин провёл переговоры с премьер-министром Индии "
                   "Нарендрой Моди.", "ru")
    assert got == {("Владимир Путин", "HeadOfStatePost", "RU"), ("Нарендрой Моди", "HeadOfGovernmentPost", "IN")}
    got, _ = posts(gazetteer, "استقبل الأمين العام لمجلس التعاون جاسم البديوي وزير الخارجية المصري سامح شكري.", "ar")
    assert ("سامح شكري", "ForeignMinisterPost", "EG") in got
    got, _ = posts(gazetteer, "UN Secretary-General Antonio Guterres welcomed the report.", "en")
    assert got == {("Antonio Guterres", "SecretaryGeneralPost", "UN")}


def test_the_same_post_in_two_languages_is_one_node_and_a_deputy_holds_none(gazetteer):
    _, ru = posts(gazetteer, "президент России Владимир Путин выступил на саммите.", "ru")
    _, en = posts(gazetteer, "Russian President Vladimir Putin spoke at the summit.", "en")
    assert ru and ru == en
    got, _ = posts(gazetteer, "Russian Deputy Foreign Minister Sergei Ryabkov spoke at the meeting.", "en")
    assert got == set()


def test_a_post_without_its_body_is_reported_by_the_shapes(gazetteer):
    from rdflib import Graph

    from cdkg.graph.facts.provenance import document_graph
    from cdkg.namespaces import CDO
    from cdkg.ontology.shacl import failing_shapes

    doc = Document.from_text("UN Secretary-General Antonio Guterres welcomed the report.", language="en")
    g = document_graph(extract_facts(doc, gazetteer))
    assert "cdosh:PostShape" not in failing_shapes(g)
    post = next(g.subjects(CDO.postIn, None))
    broken = Graph()
    for t in g:
        if t[0] != post or t[1] != CDO.postIn:
            broken.add(t)
    assert "cdosh:PostShape" in failing_shapes(broken)
