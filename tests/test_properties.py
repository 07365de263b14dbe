"""Property-based tests: normalization, tokenizing, dates and extraction on arbitrary Unicode text.

Two kinds of text are generated: any Unicode at all, and "news-like" text assembled from the
words the pipeline reacts to (lexicon labels, trigger words, month names, digits) glued with
noise (diacritics, tatweel, direction marks, punctuation, line breaks), so the rules fire.
Properties: no exception; every offset lies inside the text; ``text[start:end]`` is the evidence.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cdkg.graph.text.dates import find_dates
from cdkg.graph.text.documents import Document, detect_language
from cdkg.graph.facts.extract import extract_facts
from cdkg.graph.text.normalize import normalize, tokenize
from cdkg.paths import SOURCE_ROOT as ROOT

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@lru_cache(maxsize=1)
def _gazetteer():
    from cdkg.graph.text.gazetteer import Gazetteer
    from cdkg.graph.text.lexicon import load_lexicon

    return Gazetteer(load_lexicon())


@lru_cache(maxsize=1)
def _words() -> list[str]:
    """Words and phrases the pipeline knows: some lexicon labels, trigger words, month names."""
    from cdkg.graph.text.lexicon import load_lexicon

    words: set[str] = set()
    for entry in list(load_lexicon().entries.values())[::7]:
        words.update(label for label, lang in entry.match_labels if lang in ("ar", "en", "ru"))
    patterns = ROOT / "data" / "patterns"

    def collect(node):
        if isinstance(node, dict):
            for key, value in node.items():
                words.add(key)
                collect(value)
        elif isinstance(node, list):
            for item in node:
                collect(item)
        elif isinstance(node, str) and len(node) < 40:
            words.add(node)

    for name in ("triggers.json", "dates.json"):
        data = json.loads((patterns / name).read_text(encoding="utf-8"))
        data.pop("about", None)
        collect(data)
    return sorted(w for w in words if w.strip())


NOISE = [" ", " ", " ", "\n", "، ", ", ", ". ", "; ", " - ", "/", "(", ")", "«", "»", '"', "\u0640",
         "\u064e", "\u0651", "\u200f", "\u200c", "\u00ad", "٢٠٢١", "2021", "19", "١٩", "-", "\r\n", "\t",
         "<script>", "&amp;", "\U0001F600", "\u0301"]


@lru_cache(maxsize=1)
def _vocabulary():
    from cdkg.bench.corpus import vocabulary

    return vocabulary()


@st.composite
def news_text(draw) -> str:
    """A synthetic news document (bench templates filled from the lexicon) with noise spliced in
    at random places, or a soup of known words and noise: mentions, dates and rules fire."""
    if draw(st.booleans()):
        import random

        from cdkg.bench.corpus import document_text

        seed, lang = draw(st.integers(0, 10**6)), draw(st.sampled_from(["ar", "en"]))
        text, _ = document_text(random.Random(seed), _vocabulary(), lang)
        for _ in range(draw(st.integers(0, 8))):
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.one_of(st.sampled_from(NOISE), st.text(max_size=4))) + text[at:]
        return text
    parts = draw(st.lists(st.one_of(st.sampled_from(_words()), st.sampled_from(NOISE),
                                    st.text(max_size=6)), max_size=60))
    return "".join(p if p in NOISE else p + " " for p in parts)


any_text = st.one_of(st.text(max_size=300), news_text())


def _document(text: str) -> Document:
    return Document(path=Path("generated.txt"), text=text, analysis_text=text,
                    sha=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
                    language=detect_language(text), meta={})


@SETTINGS
@given(any_text)
def test_normalize_maps_every_character_back_into_the_text(text):
    norm, offsets = normalize(text)
    assert len(offsets) == len(norm) + 1 and offsets[-1] == len(text)
    assert all(0 <= a <= b <= len(text) for a, b in zip(offsets, offsets[1:]))


@SETTINGS
@given(any_text)
def test_tokens_are_ordered_spans_inside_the_text(text):
    previous_start = 0          # one character may give two tokens (NFKC: "¼" -> "1⁄4"), so spans may touch
    for token in tokenize(text):
        assert previous_start <= token.start < token.end <= len(text)
        assert token.norm and not text[token.start].isspace()
        previous_start = token.start


@SETTINGS
@given(any_text, st.one_of(st.none(), st.dates().map(lambda d: d.isoformat()), st.text(max_size=12)))
def test_dates_are_valid_iso_values_at_spans_inside_the_text(text, published):
    previous_end = 0
    for date in find_dates(text, published=published):
        assert previous_end <= date.start < date.end <= len(text)
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date.value)
        assert date.end_value is None or re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date.end_value)
        previous_end = date.end


@SETTINGS
@given(any_text)
def test_extraction_evidence_is_the_text_at_its_offsets(text):
    from cdkg.graph.facts.provenance import document_graph
    from cdkg.namespaces import OA

    result = extract_facts(_document(text), _gazetteer())
    for fact in result.facts:
        assert 0 <= fact.start < fact.end <= len(text)
        assert text[fact.start:fact.end].strip()
        assert 0 < fact.confidence <= 1 and fact.rule
    quotes = {str(o) for o in document_graph(result).objects(None, OA.exact)}
    assert quotes == {text[f.start:f.end] for f in result.facts}


def test_news_text_makes_the_rules_fire():
    """The generator is useful only if extraction finds facts in some of what it writes."""
    found = []

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(news_text())
    def collect(text):
        found.append(len(extract_facts(_document(text), _gazetteer()).facts))

    collect()
    assert sum(1 for n in found if n) >= 3, found
