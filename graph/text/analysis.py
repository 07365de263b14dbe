"""The analysis of one document: its tokens, sentences, dates and mentions, as the mention
finders (:mod:`cdkg.graph.text.titles`, :mod:`cdkg.graph.text.names`) build it and the fact
rules read it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cdkg.graph.text.dates import DateMention
from cdkg.graph.text.documents import Document
from cdkg.graph.text.lexicon import Entry
from cdkg.graph.text.normalize import Token
from cdkg.graph.text.phrases import Lookups, Phrases, tables

__all__ = ["Mention", "Analysis", "make_mention"]

_CLAUSE = re.compile(r"[،,;؛:()\[\]{}\"«»“”]|[.!?؟](?=\s|$)|\n|\s[-–—]\s")


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
    #: the phrase tables' lookups on these tokens, made once (the tokens never change)
    lookups: Lookups | None = field(default=None, repr=False, compare=False)

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
        if self.lookups is None:
            self.lookups = Lookups(self.tokens)
        return self.lookups.at(tables()[table], i)

    def find(self, table: str | Phrases, first: int, last: int):
        """The phrases of ``table`` (a name of `tables`, or a table) in tokens ``first..last``."""
        if self.lookups is None:
            self.lookups = Lookups(self.tokens)
        return self.lookups.find(tables()[table] if isinstance(table, str) else table, first, last)

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


def make_mention(a: Analysis, kind: str, type_: str, first: int, last: int, **kw) -> Mention:
    """A mention of tokens ``first``..``last`` with its exact span in the original text."""
    start, end = a.tokens[first].start, a.tokens[last].end
    return Mention(kind, type_, first, last, start, end, a.doc.text[start:end], **kw)
