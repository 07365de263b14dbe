"""Instrument identity: a known instrument is one node in every document and language, with
labels in en/ar/ru; protocols stay apart from their conventions; UN symbols identify
resolutions; forums are rounds of a series; `cdkg query` says when a label falls back."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, SKOS, URIRef

from cdkg import cli
from cdkg.graph.facts.extract import extract_facts
from cdkg.graph.facts.identity import match_instrument
from cdkg.graph.facts.provenance import document_graph
from cdkg.graph.text.documents import Document
from cdkg.graph.text.gazetteer import Gazetteer
from cdkg.graph.text.lexicon import load_lexicon
from cdkg.namespaces import CDO, ID, WD
from cdkg.paths import SOURCE_ROOT

BUDAPEST = ID["instrument/budapest-convention"]


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer(load_lexicon())


def instruments(gazetteer, text, lang):
    g = document_graph(extract_facts(Document.from_text(text, language=lang), gazetteer))
    return set(g.objects(None, CDO.partyTo))


@pytest.mark.parametrize("text, lang", [
    ("Fiji acceded to the Budapest Convention on 15 March 2024.", "en"),
    ("انضمت تونس إلى اتفاقية بودابست في 10 يناير 2024.", "ar"),
    ("Тунис присоединился к Будапештской конвенции.", "ru"),
])
def test_the_budapest_convention_is_one_node_in_three_languages(gazetteer, text, lang):
    assert instruments(gazetteer, text, lang) == {BUDAPEST}


def test_a_protocol_is_not_its_convention_and_an_unknown_title_keeps_its_minted_iri(gazetteer):
    got = instruments(gazetteer, "Morocco signed the Second Additional Protocol to the Budapest Convention.", "en")
    assert got == {ID["instrument/budapest-second-protocol"]}
    assert match_instrument("Protocol to the Budapest Convention") is None
    got = instruments(gazetteer, "Japan and Singapore signed a memorandum of cooperation on cyber security.", "en")
    assert len(got) == 1 and str(next(iter(got))).rsplit("/", 1)[-1] not in {"budapest-convention"}


def test_un_symbols_and_the_charter(gazetteer):
    assert match_instrument("резолюция 70/237").iri == str(ID["instrument/a-res-70-237"])
    assert match_instrument("resolution A/RES/70/237").iri == str(ID["instrument/a-res-70-237"])
    lexicon = load_lexicon().graph
    charter = ID["instrument/un-charter"]
    assert (charter, OWL.sameAs, WD.Q171328) in lexicon
    assert {lit.language for lit in lexicon.objects(charter, SKOS.prefLabel)} == {"en", "ar", "ru"}
    assert (ID["instrument/budapest-second-protocol"], CDO.protocolOf, BUDAPEST) in lexicon


def test_forum_rounds_are_distinct_entities_of_one_series():
    lexicon = load_lexicon()
    g = lexicon.graph
    gge = ID["org/UN_GGE_ICT"]
    rounds = set(g.subjects(CDO.roundOf, gge))
    assert len(rounds) == 6 and all((r, RDF.type, CDO.Forum) in g for r in rounds)
    assert all(str(r) in lexicon.entries for r in rounds)
    oewg_2021, oewg_2019 = ID["org/UN_OEWG_ICT"], ID["org/UN_OEWG_ICT_2019"]
    assert (oewg_2021, CDO.follows, oewg_2019) in g
    assert (ID["org/UN_GLOBAL_MECHANISM_ICT"], CDO.follows, oewg_2021) in g


def test_query_output_names_the_language_of_a_fallback_label(capsys):
    sample = SOURCE_ROOT / "tests" / "fixtures" / "sample.trig"
    assert cli.main(["query", "signatures-and-ratifications", "--trig", str(sample)]) == 0
    out = capsys.readouterr().out
    assert "اتفاقية حكومية حول التعاون في مجال أمن المعلومات الدولي [ar]" in out
    assert "Kazakhstan [" not in out
    assert cli.main(["query", "signatures-and-ratifications", "--trig", str(sample), "--lang", "ar"]) == 0
    assert "كازاخستان" in capsys.readouterr().out


def test_an_unknown_agreement_is_one_node_in_three_languages_by_parties_date_and_topic(gazetteer):
    texts = [("Russia and Uzbekistan signed an intergovernmental agreement on cooperation in the field of "
              "international information security on 19 November 2021.", "en"),
             ("وقعت روسيا وأوزبكستان في 19 نوفمبر 2021 اتفاقية حكومية دولية حول التعاون في مجال أمن المعلومات الدولي.",
              "ar"),
             ("Россия и Узбекистан 19 ноября 2021 года подписали межправительственное соглашение о сотрудничестве "
              "в области обеспечения международной информационной безопасности.", "ru")]
    found = [instruments(gazetteer, text, lang) for text, lang in texts]
    assert found[0] == found[1] == found[2] and len(found[0]) == 1
    assert str(next(iter(found[0]))).startswith(str(ID["instrument/key/"]))
    # another date, or no topic or period in the title: not the same node
    other = instruments(gazetteer, texts[0][0].replace("19 November", "20 November"), "en")
    assert other != found[0]
    plain = instruments(gazetteer, "Russia and Uzbekistan signed an agreement on 19 November 2021.", "en")
    assert plain and not str(next(iter(plain))).startswith(str(ID["instrument/key/"]))
    g = document_graph(extract_facts(Document.from_text(texts[1][0], language="ar"), gazetteer))
    node = next(iter(found[0]))
    assert not list(g.objects(node, SKOS.prefLabel)) and list(g.objects(node, SKOS.altLabel))


@pytest.mark.parametrize("text, published, expected", [
    ("The OEWG called for the strengthening of confidence-building measures.", "2020-02-14", "UN_OEWG_ICT_2019"),
    ("The OEWG called for the strengthening of confidence-building measures.", "2023-03-10", "UN_OEWG_ICT"),
    ("The UN GGE called for the strengthening of confidence-building measures.", "2013-07-01", "UN_GGE_ICT_2012"),
    ("The UN GGE called for the strengthening of confidence-building measures.", "2024-07-01", "UN_GGE_ICT"),
])
def test_a_forum_mention_means_the_round_of_the_documents_year(gazetteer, text, published, expected):
    doc = Document.from_text(text, language="en", published=published)
    g = document_graph(extract_facts(doc, gazetteer))
    assert {str(s).rsplit("/", 1)[-1] for s in g.subjects(CDO.calledFor, None)} == {expected}
