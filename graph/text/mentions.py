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
from dataclasses import dataclass, field

from cdkg.graph.text.dates import DateMention, find_dates
from cdkg.graph.text.documents import Document
from cdkg.graph.text.gazetteer import Gazetteer
from cdkg.graph.text.lexicon import Entry
from cdkg.graph.text.normalize import Token, tokenize
from cdkg.graph.text.phrases import tables

__all__ = ["Mention", "Analysis", "analyze"]

_CLAUSE = re.compile(r"[،,;؛:()\[\]{}\"«»“”]|[.!?؟](?=\s|$)|\n|\s[-–—]\s")
_SENTENCE = re.compile(r"[!?؟]|\.(?=\s|$)|\n")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "h.e", "u.s", "u.n", "st", "sept", "oct", "nov", "dec", "jan", "feb",
                  "aug", "apr", "jun", "jul", "mar", "no", "vs", "gen", "prof", "г", "гг", "т.е", "им", "д"}


@dataclass
class Mention:
    """Something named in a document: its kind, class, token range, original span and text.

    ``attrs`` carries what a kind knows beyond its span: a role's ``role`` and ``target``,
    a person's ``role`` mention, a title's ``head`` and ``label``, an instrument's ``parties``.
    """

    kind: str
    type: str
    first: int
    last: int
    start: int
    end: int
    text: str
    entry: Entry | None = None
    generic: bool = False
    attrs: dict = field(default_factory=dict)

    def key(self) -> tuple:
        return (self.kind, self.first, self.last)

    @property
    def label(self) -> str:
        return self.attrs.get("label") or self.text


@dataclass
class Analysis:
    """A document's tokens, sentences, dates and mentions: the input of the fact rules."""

    doc: Document
    tokens: list[Token]
    gaps: list[str]
    sentences: list[tuple[int, int]]
    mentions: list[Mention] = field(default_factory=list)
    dates: list[tuple[int, int, DateMention]] = field(default_factory=list)

    @property
    def lang(self) -> str:
        return self.doc.language or "en"

    def word(self, i: int) -> str:
        """Token ``i`` as written in the original text."""
        t = self.tokens[i]
        return self.doc.text[t.start:t.end]

    def span_text(self, first: int, last: int) -> str:
        return self.doc.text[self.tokens[first].start:self.tokens[last].end]

    def clause_break(self, i: int) -> bool:
        """True when punctuation separates token ``i - 1`` from token ``i``."""
        return 0 < i < len(self.gaps) and bool(_CLAUSE.search(self.gaps[i]))

    def breaks_between(self, a: int, b: int) -> bool:
        """Any clause break between tokens ``a`` and ``b`` (either order)."""
        lo, hi = min(a, b), max(a, b)
        return any(self.clause_break(k) for k in range(lo + 1, hi + 1))

    def capitalized(self, i: int) -> bool:
        w = self.word(i)
        return w[:1].isupper() and not (len(w) > 3 and w.isupper())

    def titlecase(self, i: int) -> bool:
        """Is token ``i`` in a headline written in Title Case, where capitals say nothing?"""
        first, last = self.sentence_of(i)
        if not hasattr(self, "_titlecase"):
            self._titlecase = {}
        if (first, last) not in self._titlecase:
            words = [self.word(k) for k in range(first, last + 1) if self.word(k)[:1].isalpha()]
            caps = sum(1 for w in words if w[:1].isupper())
            self._titlecase[(first, last)] = self.lang == "en" and len(words) >= 4 and caps >= 0.7 * len(words)
        return self._titlecase[(first, last)]

    def hyphen_before(self, i: int) -> bool:
        return 0 < i < len(self.gaps) and self.gaps[i] in ("-", "–")

    def at(self, table: str, i: int):
        return tables()[table].at(self.tokens, i)

    def find(self, table: str, first: int, last: int):
        return tables()[table].find(self.tokens, first, last)

    def sentence_of(self, i: int) -> tuple[int, int]:
        for s in self.sentences:
            if s[0] <= i <= s[1]:
                return s
        return (i, i)

    def in_sentence(self, first: int, last: int, kinds=None) -> list[Mention]:
        return [m for m in self.mentions if first <= m.first and m.last <= last
                and (kinds is None or m.kind in kinds)]

    def date_at(self, i: int):
        return next((d for d in self.dates if d[0] <= i <= d[1]), None)

    def covered(self, i: int, kinds=("entity", "person", "org")) -> Mention | None:
        return next((m for m in self.mentions if m.first <= i <= m.last and m.kind in kinds), None)


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
    from cdkg.graph.text import names, titles

    text = doc.analysis_text
    tokens = tokenize(text)
    gaps = [""] + [doc.text[tokens[i - 1].end:tokens[i].start] for i in range(1, len(tokens))]
    gaps = _soft_breaks(doc, tokens, gaps)
    a = Analysis(doc=doc, tokens=tokens, gaps=gaps, sentences=_sentences(doc, tokens, gaps))
    a.dates = _dates(a)
    for match in gazetteer.find(text, tokens):
        if not _proper(a, match):
            continue
        a.mentions.append(_make(a, "entity", match.entry.type, match.first, match.last, entry=match.entry))
    titles.find_titles(a)
    names.find_people(a)
    _sides(a)
    a.mentions.sort(key=lambda m: (m.first, -m.last, m.kind))
    return a


def _make(a: Analysis, kind: str, type_: str, first: int, last: int, **kw) -> Mention:
    start, end = a.tokens[first].start, a.tokens[last].end
    return Mention(kind, type_, first, last, start, end, a.doc.text[start:end], **kw)


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
            a.mentions.append(_make(a, "sides", "State", i, j))


def _proper(a: Analysis, match) -> bool:
    """In English and Russian a name is capitalized: "того" is not Togo, "china" is not China
    (unless the lexicon lists the lowercase form, as it does adjectives: "российской")."""
    if a.lang == "ar":
        return True
    surface = a.word(match.first)
    if not surface[:1].islower():
        return True
    return any(label[:1].islower() for label, _ in match.entry.match_labels)
