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
        #: the normalized labels of each (key, entry): they choose between entries sharing a key
        self._forms: dict[tuple[str, str], set[str]] = {}
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
                self._forms.setdefault((key, entry.iri), set()).add(" ".join(t.norm for t in tokens))
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
            fitting = []
            for _rank, n, iri, exact in items:
                last = first + n - 1
                if exact is not None:
                    surface = text[tokens[first].start:tokens[last].end]
                    if surface.replace(" ", "") != exact.replace(" ", ""):
                        continue
                fitting.append((n, iri))
            if fitting:
                n, iri = self._closest(key, fitting, tokens[first:first + fitting[0][0]])
                candidates.append(Match(first, first + n - 1, self.lexicon.entries[iri]))
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

    def _closest(self, key: str, fitting: list[tuple[int, str]], span: list[Token]) -> tuple[int, str]:
        """The entry whose label is closest to the words found, when several share their key.

        Russian keys drop endings, so "Нигера" (Niger) and "Нигерии" (Nigeria) share one key:
        the label with the longest common beginning, then the fewest letters beyond it, wins;
        a tie keeps the lexicon's order (states first).

        Examples
        --------
        >>> from rdflib import Graph
        >>> from cdkg.graph.text.gazetteer import Gazetteer
        >>> from cdkg.graph.text.lexicon import Entry, Lexicon
        >>> a = Entry(iri="https://example.org/a", type="State", labels={"ru": "Нигер"},
        ...           match_labels=[("Нигер", "ru"), ("Нигера", "ru")])
        >>> b = Entry(iri="https://example.org/b", type="State", labels={"ru": "Нигерия"},
        ...           match_labels=[("Нигерия", "ru")])
        >>> g = Gazetteer(Lexicon(entries={a.iri: a, b.iri: b}, graph=Graph()))
        >>> [m.entry.iri[-1] for m in g.find("в Нигерии и в Нигере")]
        ['b', 'a']
        """
        if len(fitting) == 1:
            return fitting[0]
        surface = " ".join(t.norm for t in span)

        def score(form: str) -> tuple[int, int]:
            common = 0
            for x, y in zip(surface, form):
                if x != y:
                    break
                common += 1
            return common, -(len(form) - common)

        scores = [max(score(f) for f in self._forms[(key, iri)]) for _n, iri in fitting]
        return fitting[scores.index(max(scores))]  # the first of equals, in the lexicon's order
