"""Stances: declined, opposed, rejected, objected to, attributed; a refusal to sign in ar/en/ru
yields no positive fact. The trigger words come from real texts of the tuning corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from cdkg.graph.facts.extract import extract_facts
from cdkg.graph.text.documents import Document, read_document
from cdkg.graph.text.gazetteer import Gazetteer
from cdkg.graph.text.lexicon import load_lexicon

TUNE = Path(__file__).parent / "corpus" / "tune"
STANCES = {"declined", "opposed", "rejected", "objectedTo", "attributed"}


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer(load_lexicon())


def facts_of(gazetteer, doc):
    return {(f.subject.iri.rsplit("/", 1)[-1], f.relation, f.object.iri.rsplit("/", 1)[-1]
             if hasattr(f.object, "iri") else f.object) for f in extract_facts(doc, gazetteer).facts}


def tune(name: str) -> Document:
    path = TUNE / name
    if not path.is_file():
        pytest.fail(f"missing {path}")
    return read_document(path)


def test_attribution_in_real_english_and_russian_texts(gazetteer):
    got = facts_of(gazetteer, tune("t3_02_ukraine_us_first_cyber_dialogue_kyiv.en.txt"))
    assert ("UA", "attributed", "RU") in got  # "Kyiv blames Russia for repeated attacks"
    got = extract_facts(tune("t2_08_zakharova_romania_itu_plenipotentiary_visas.ru.txt"), gazetteer).facts
    assert {(f.subject.label, f.object.label) for f in got if f.relation == "attributed"} == {("Мария Захарова", "Румыния")}
    assert [f.relation for f in got if f.relation == "rejected"] == ["rejected"]  # Romania's MFA rejected the claims


def test_opposition_in_a_real_russian_text(gazetteer):
    got = extract_facts(tune("t_03_sco_new_delhi_declaration_ict.ru.txt"), gazetteer).facts
    opposed = {(f.subject.iri.rsplit("/", 1)[-1], f.object.label) for f in got if f.relation == "opposed"}
    assert ("SCO", "превращения информационно-коммуникационных технологий в арену военного противоборства") in opposed


@pytest.mark.parametrize("text, lang, refuser, signer", [
    ("Japan signed the Budapest Convention, but Brazil refused to sign the Budapest Convention.", "en", "BR", "JP"),
    ("Индия не подписала Будапештскую конвенцию, а Япония подписала Будапештскую конвенцию.", "ru", "IN", "JP"),
    ("لم توقع الهند على اتفاقية بودابست، بينما وقعت اليابان على اتفاقية بودابست.", "ar", "IN", "JP"),
])
def test_a_refusal_to_sign_is_a_declined_stance_and_no_positive_fact(gazetteer, text, lang, refuser, signer):
    got = facts_of(gazetteer, Document.from_text(text, language=lang))
    declined = {(s, o) for s, r, o in got if r == "declined"}
    assert {s for s, _ in declined} == {refuser}
    instrument = next(o for _, o in declined)
    assert not {(refuser, r, instrument) for r in ("signed", "partyTo", "memberOf")} & got
    assert (signer, "partyTo", instrument) in got


def test_no_stance_in_texts_that_take_none(gazetteer):
    text = ("Russia and China signed an agreement on international information security and opened the "
            "United Nations Convention against Cybercrime for signature.")
    got = facts_of(gazetteer, Document.from_text(text, language="en"))
    assert not {r for _, r, _ in got} & STANCES


def test_concern_in_real_arabic_and_russian_texts(gazetteer):
    shared = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ru-uz-joint-statement-2021-11-19.ar.txt"
    if not shared.is_file():
        pytest.fail(f"missing {shared}")
    got = extract_facts(read_document(shared), gazetteer).facts
    concerned = {(f.subject.iri.rsplit("/", 1)[-1], f.object.label) for f in got if f.relation == "expressedConcern"}
    assert {s for s, _ in concerned} == {"RU", "UZ"}
    assert all(label.startswith("الإمكانية المتزايدة لاستخدام تكنولوجيا المعلومات") for _, label in concerned)
    got = extract_facts(tune("t3_01_russia_india_ict_security_consultations_new_delhi.ru.txt"), gazetteer).facts
    assert {f.subject.iri.rsplit("/", 1)[-1] for f in got if f.relation == "expressedConcern"} == {"RU", "IN"}


def test_not_yet_signed_is_declined(gazetteer):
    got = facts_of(gazetteer, Document.from_text("Brazil has not yet signed the Budapest Convention.", language="en"))
    declined = [o for s, r, o in got if s == "BR" and r == "declined"]
    assert len(declined) == 1 and ("BR", "partyTo", declined[0]) not in got


def test_as_opposed_to_is_no_stance(gazetteer):
    got = facts_of(gazetteer, Document.from_text("Russia favours a binding convention, as opposed to voluntary norms.",
                                                 language="en"))
    assert not {r for _, r, _ in got} & STANCES
