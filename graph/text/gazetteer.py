"""Dictionary matching of lexicon labels in documents (Aho-Corasick over token keys).

Labels and text are both reduced to sequences of token keys (see :mod:`cdkg.graph.text.normalize`),
so "بالأمم المتحدة" finds the label "الأمم المتحدة" and "России" finds "Россия". The automaton
runs in time linear in the text whatever the size of the lexicon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

from cdkg.graph.text.lexicon import ENTRY_TYPES, Entry, Lexicon
from cdkg.graph.text.normalize import Token, tokenize

__all__ = ["Gazetteer", "Match"]

_ABBREVIATION = re.compile(r"^[A-ZА-ЯЁ][A-ZА-ЯЁ.\-]{0,7}$")
_TYPE_RANK = {t: i for i, t in enumerate(ENTRY_TYPES)}


@dataclass(frozen=True)
class Match:
    """A lexicon entry found at tokens ``first``..``last`` (inclusive) of a document."""

    first: int
    last: int
    entry: Entry


class Gazetteer:
    """All lexicon labels compiled into one automaton; :meth:`find` returns longest matches."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self._automaton = ahocorasick.Automaton()
        table: dict[str, list[tuple[int, int, str, str | None]]] = {}
        for entry in lexicon.entries.values():
            for label, _lang in entry.match_labels:
                tokens = tokenize(label)
                if not tokens:
                    continue
                key = " " + " ".join(t.key for t in tokens) + " "
                if len(key.strip()) < 2:
                    continue
                exact = label.strip() if _ABBREVIATION.match(label.strip()) else None
                item = (_TYPE_RANK[entry.type], len(tokens), entry.iri, exact)
                bucket = table.setdefault(key, [])
                if item not in bucket:
                    bucket.append(item)
        for key, items in table.items():
            self._automaton.add_word(key, (key, sorted(items, key=lambda x: (x[0], -x[1], x[2]))))
        if table:
            self._automaton.make_automaton()
        self._empty = not table

    def find(self, text: str, tokens: list[Token] | None = None) -> list[Match]:
        """Longest non-overlapping lexicon matches in ``text``, in document order.

        Parameters
        ----------
        text : str
            The text.
        tokens : list of Token, optional
            The tokens of ``text``, when they are already known.

        Returns
        -------
        list of Match

        Examples
        --------
        >>> from rdflib import Graph
        >>> from cdkg.graph.text.gazetteer import Gazetteer
        >>> from cdkg.graph.text.lexicon import Entry, Lexicon
        >>> entry = Entry(iri="https://example.org/ruritania", type="State", labels={"en": "Ruritania"},
        ...               match_labels=[("Ruritania", "en"), ("Republic of Ruritania", "en")])
        >>> gazetteer = Gazetteer(Lexicon(entries={entry.iri: entry}, graph=Graph()))
        >>> [(m.first, m.last, m.entry.label("en")) for m in gazetteer.find("The Republic of Ruritania signed.")]
        [(1, 3, 'Ruritania')]
        """
        tokens = tokens if tokens is not None else tokenize(text)
        if self._empty or not tokens:
            return []
        joined = " " + " ".join(t.key for t in tokens) + " "
        # character position of each token start in ``joined`` -> token index
        starts: dict[int, int] = {}
        pos = 1
        for i, tok in enumerate(tokens):
            starts[pos] = i
            pos += len(tok.key) + 1
        candidates: list[Match] = []
        for end, (key, items) in self._automaton.iter(joined):
            begin = end - len(key) + 2  # first character of the first token
            first = starts.get(begin)
            if first is None:
                continue
            for _rank, n, iri, exact in items:
                last = first + n - 1
                if exact is not None:
                    surface = text[tokens[first].start:tokens[last].end]
                    if surface.replace(" ", "") != exact.replace(" ", ""):
                        continue
                candidates.append(Match(first, last, self.lexicon.entries[iri]))
                break
        candidates.sort(key=lambda m: (-(m.last - m.first), m.first, _TYPE_RANK[m.entry.type]))
        taken: set[int] = set()
        chosen = []
        for m in candidates:
            span = set(range(m.first, m.last + 1))
            if span & taken:
                continue
            taken |= span
            chosen.append(m)
        return sorted(chosen, key=lambda m: m.first)
