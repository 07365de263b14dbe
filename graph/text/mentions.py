"""Mentions: what a document names, with token positions and exact character spans.

:func:`analyze` turns a :class:`~cdkg.graph.text.documents.Document` into an
:class:`Analysis`: tokens, sentences, dates, and mentions of these kinds

- ``entity``: a lexicon entry (state, organization, forum, place, person, principle, topic);
- ``org``, ``instrument``, ``event``: named by their own words, with the full title
  (:mod:`cdkg.graph.text.titles`);
- ``person`` and ``role``: names after role words and honorifics, names before speech verbs
  (:mod:`cdkg.graph.text.names`);
- ``sides``: "the two sides", "стороны", "الجانبان" (the document's two parties).

Everything language-specific is a word list in ``data/patterns/mentions.json``.

>>> from cdkg.graph.text.documents import Document
>>> from cdkg.graph.text.gazetteer import Gazetteer
>>> from cdkg.graph.text.lexicon import load_lexicon
>>> text = "Foreign Minister Ana Novak of Ruritania signed a memorandum of understanding on cyber security."
>>> a = analyze(Document.from_text(text, language="en"), Gazetteer(load_lexicon()))
>>> [(m.kind, m.text) for m in a.mentions if m.kind in ("person", "instrument")]
[('person', 'Ana Novak'), ('instrument', 'memorandum of understanding on cyber security')]
"""

from __future__ import annotations

import re

from cdkg.graph.text import names, principle_spans, titles, venues
from cdkg.graph.text.analysis import Analysis, Mention, make_mention
from cdkg.graph.text.dates import DateMention, find_dates
from cdkg.graph.text.documents import Document
from cdkg.graph.text.gazetteer import Gazetteer
from cdkg.graph.text import morph
from cdkg.graph.text.normalize import Token, tokenize

__all__ = ["Mention", "Analysis", "analyze"]

_SENTENCE = re.compile(r"[!?؟]|\.(?=\s|$)|\n")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "h.e", "u.s", "u.n", "st", "sept", "oct", "nov", "dec", "jan", "feb",
                  "aug", "apr", "jun", "jul", "mar", "no", "vs", "gen", "prof", "г", "гг", "т.е", "им", "д"}


def _soft_breaks(doc: Document, tokens: list[Token], gaps: list[str]) -> list[str]:
    """A text wrapped at a fixed width breaks its lines inside sentences: a single line break
    followed by a lower-case word (or, in Arabic, ending a long line without punctuation) is a
    space."""
    out = list(gaps)
    for i in range(1, len(tokens)):
        g = gaps[i]
        if g.count("\n") != 1 or g.strip(" \t\r\n") != "":
            continue
        nxt = doc.text[tokens[i].start:tokens[i].end]
        line_start = doc.text.rfind("\n", 0, tokens[i - 1].start) + 1
        long_line = tokens[i - 1].end - line_start > 50
        if nxt[:1].islower() or (tokens[i].is_arabic and long_line):
            out[i] = " "
    for i in range(1, len(tokens)):
        # "في. تي. بي", "U. S.": dots between letters are an abbreviation, not a sentence end
        if out[i].strip() == "." and len(tokens[i - 1].norm) <= 2 and len(tokens[i].norm) <= 2 \
                and not tokens[i].norm.isdigit():
            out[i] = " "
            if i + 1 < len(tokens) and out[i + 1].strip() == "." and len(tokens[i + 1].norm) <= 2:
                out[i + 1] = " "
    return out


def _sentences(doc: Document, tokens: list[Token], gaps: list[str]) -> list[tuple[int, int]]:
    out, first = [], 0
    for i in range(1, len(tokens)):
        gap = gaps[i]
        if not _SENTENCE.search(gap):
            continue
        if "\n" not in gap and "." in gap and gap.strip().startswith("."):
            prev = tokens[i - 1].norm
            nxt = doc.text[tokens[i].start:tokens[i].end]
            if prev in _ABBREVIATIONS or (len(prev) == 1 and prev.isalpha()) or nxt[:1].islower() or nxt[:1].isdigit():
                continue
        out.append((first, i - 1))
        first = i
    if tokens:
        out.append((first, len(tokens) - 1))
    return out


def analyze(doc: Document, gazetteer: Gazetteer) -> Analysis:
    """Tokens, sentences, dates and every mention of one document.

    Parameters
    ----------
    doc : Document
        The document; its ``analysis_text`` (page furniture masked) is read, and spans
        point into its original ``text``.
    gazetteer : Gazetteer
        The compiled lexicon.

    Returns
    -------
    Analysis
    """
    text = doc.analysis_text
    tokens = tokenize(text)
    gaps = [""] + [doc.text[tokens[i - 1].end:tokens[i].start] for i in range(1, len(tokens))]
    gaps = _soft_breaks(doc, tokens, gaps)
    a = Analysis(doc=doc, tokens=tokens, gaps=gaps, sentences=_sentences(doc, tokens, gaps))
    a.dates = _dates(a)
    for match in gazetteer.find(text, tokens):
        if not _proper(a, match):
            continue
        a.mentions.append(make_mention(a, "entity", match.entry.type, match.first, match.last, entry=match.entry))
    _capitals(a, gazetteer.lexicon)
    _national_bodies(a)
    titles.find_titles(a)
    principle_spans.find_law_applicability(a, gazetteer.lexicon)
    venues.find_venues(a)
    names.find_people(a)
    _sides(a)
    a.mentions.sort(key=lambda m: (m.first, -m.last, m.kind))
    return a




def _dates(a: Analysis) -> list[tuple[int, int, DateMention]]:
    out = []
    starts = [t.start for t in a.tokens]
    for d in find_dates(a.doc.analysis_text, a.doc.published):
        toks = [i for i, s in enumerate(starts) if d.start <= s < d.end]
        if toks:
            out.append((toks[0], toks[-1], d))
    return out


def _sides(a: Analysis) -> None:
    for first, last in a.sentences:
        for i, j, _ in a.find("sides", first, last):
            if a.covered(i, ("entity", "person", "org", "instrument", "event")):
                continue
            # "Российская сторона", "الجانب الروسي": one state's side, not the pair
            if a.covered(i - 1, ("entity",)) is not None and a.covered(i - 1, ("entity",)).type == "State" \
                    and not a.clause_break(i) or a.covered(j + 1, ("entity",)) is not None \
                    and a.covered(j + 1, ("entity",)).type == "State" and a.lang == "ar":
                continue
            a.mentions.append(make_mention(a, "sides", "State", i, j))


def _national_bodies(a: Analysis) -> None:
    """"Совет безопасности России", "مجلس الأمن الروسي", "Security Council of Russia": a state's own
    body, not the international one the lexicon names the same way."""
    states = {m.first: m for m in a.mentions if m.kind == "entity" and m.type == "State"}
    for m in [m for m in a.mentions if m.kind == "entity" and m.type in ("InternationalOrganization", "Forum")]:
        nxt = m.last + 1
        if nxt < len(a.tokens) and a.tokens[nxt].norm == "of" and not a.clause_break(nxt):
            nxt += 1
        state = states.get(nxt)
        surface = m.text.lower()
        if state is None or a.clause_break(m.last + 1) or any(w in surface for w in (
                "un ", "united nations", "оон", "الأمم المتحدة", "الدولي", "international")):
            continue
        a.mentions.remove(m)
        body = make_mention(a, "org", "Organization", m.first, state.last)
        body.attrs.update(head=(m.first, m.first), label=titles.label_of(a, m.first, state.last))
        a.mentions.append(body)


def _capitals(a: Analysis, lexicon) -> None:
    """"the Russian capital", "в лаосской столице", "العاصمة القطرية": the state's capital city
    (``wdt:P36`` in the lexicon), unless the text names the city right after."""
    states = {m.first: m for m in a.mentions if m.kind == "entity" and m.type == "State"}
    ends = {m.last: m for m in states.values()}
    places = {m.first for m in a.mentions if m.kind == "entity" and m.type == "Place"}
    for first, last in a.sentences:
        for i, j, _ in a.find("capital_words", first, last):
            state = ends.get(i - 1)
            if state is None:
                state = states.get(j + 1) or (states.get(j + 2) if j + 1 <= last and a.tokens[j + 1].norm == "of" else None)
            if state is None or state.entry.capital not in lexicon.entries:
                continue
            if any(k in places for k in range(max(j, state.last) + 1, max(j, state.last) + 3)):
                continue  # "العاصمة القطرية الدوحة": the city is named
            lo, hi = min(i, state.first), max(j, state.last)
            a.mentions.remove(state)
            entry = lexicon.entries[state.entry.capital]
            a.mentions.append(make_mention(a, "entity", "Place", lo, hi, entry=entry))


def _proper(a: Analysis, match) -> bool:
    """In English and Russian a name is capitalized: "того" is not Togo, "china" is not China
    (unless the lexicon lists the lowercase form, as it does adjectives: "российской"); in Arabic
    a word of the ``ordinary_words`` patterns is not a name ("المالي": "financial", not Mali)."""
    if a.lang == "ar":
        # "القطاع المالي" is the financial sector, not Mali: words listed as ordinary are no names
        return not (match.first == match.last and a.at("ordinary_words", match.first) is not None)
    surface = a.word(match.first)
    if a.lang == "ru" and match.first == match.last and match.entry.type == "Place" \
            and match.last + 1 < len(a.tokens) and a.word(match.last + 1)[:1].isupper() \
            and morph.is_given_name(surface) and not any(label == surface for label, _ in match.entry.match_labels):
        return False  # "Виктор Махмудов": a given name before a surname, not Victoria
    if not surface[:1].islower():
        return True
    keys = [t.key for t in a.tokens[match.first:match.last + 1]]
    return any(label[:1].islower() and [t.key for t in tokenize(label)] == keys
               for label, _ in match.entry.match_labels)
