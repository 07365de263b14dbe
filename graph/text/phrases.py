"""Word lists of ``data/patterns`` compiled into phrase tables looked up on tokens.

A :class:`Phrases` table holds multi-word phrases by their token keys (Arabic attached
prefixes and Russian endings removed), so one listed form covers its inflections;
:meth:`Phrases.at` finds the longest phrase starting at a token.

>>> from cdkg.graph.text.normalize import tokenize
>>> table = Phrases([("memorandum of understanding", "Agreement"), ("memorandum", "Agreement")])
>>> table.at(tokenize("a memorandum of understanding"), 1)
(3, 'Agreement')
"""

from __future__ import annotations

import json
from bisect import bisect_left
from functools import lru_cache

from cdkg.graph.text.normalize import Token, normalize, token_key, tokenize
from cdkg.paths import patterns_dir

__all__ = ["Phrases", "Lookups", "patterns", "tables", "norms", "words"]


def norms(*words: str) -> tuple[str, ...]:
    """Words as token norms are written (Arabic hamza, alef maqsura and taa marbuta unified), for
    comparing with ``Token.norm``.

    >>> norms("إلى", "ضرورة")
    ('الي', 'ضروره')
    """
    return tuple(normalize(w)[0] for w in words)


def _keys(phrase: str) -> tuple[str, ...]:
    return tuple(t.key for t in tokenize(phrase))


def _starts(token: Token, exact: bool) -> list[str]:
    """The words ``token`` may begin a phrase with: its own, and, with an attached و/ف, the rest.

    >>> from cdkg.graph.text.normalize import tokenize
    >>> _starts(tokenize("وتعاون")[0], exact=True)
    ['وتعاون', 'تعاون']
    """
    norm = token.norm
    out = [norm if exact else token.key]
    if norm[:1] in ("و", "ف") and len(norm) > 2:
        out.append(norm[1:] if exact else token_key(norm[1:]))
    return out


class Phrases:
    """Multi-word phrases looked up by token keys; :meth:`at` finds the longest at a token.

    Parameters
    ----------
    items : iterable of (str, object)
        Phrases and the value each stands for.
    exact : bool
        Match normalized words rather than keys (for short function words, whose keys
        would collide with other words).
    """

    def __init__(self, items, exact: bool = False):
        self.exact = exact
        self.index: dict[tuple[str, ...], object] = {}
        for phrase, value in items:
            key = tuple(t.norm for t in tokenize(phrase)) if exact else _keys(phrase)
            if key:
                self.index.setdefault(key, value)
        self.longest = max((len(k) for k in self.index), default=0)
        self.firsts = {k[0] for k in self.index}
        self._reach: dict[str, int] = {}      # first word -> length of its longest phrase
        for k in self.index:
            self._reach[k[0]] = max(self._reach.get(k[0], 0), len(k))

    def at(self, tokens: list[Token], i: int) -> tuple[int, object] | None:
        """``(length, value)`` of the longest phrase starting at token ``i``, or None.

        An Arabic conjunction و/ف attached to the first word is allowed ("ووقع" finds "وقع").
        """
        if i >= len(tokens) or i < 0:
            return None
        exact, reach = self.exact, self._reach
        firsts = [f for f in _starts(tokens[i], exact) if f in reach]
        if not firsts:
            return None
        index = self.index
        top = min(max(reach[f] for f in firsts), len(tokens) - i)
        if top == 1:
            return next(((1, index[(f,)]) for f in firsts if (f,) in index), None)
        following = tuple(t.norm if exact else t.key for t in tokens[i + 1:i + top])
        for n in range(top, 0, -1):
            rest = following[:n - 1]
            for first in firsts:
                if n <= reach[first] and (first,) + rest in index:
                    return n, index[(first,) + rest]
        return None

    def find(self, tokens: list[Token], first: int, last: int) -> list[tuple[int, int, object]]:
        """Every phrase inside tokens ``first..last``: ``(first, last, value)``, left to right."""
        out, i = [], first
        while i <= last:
            hit = self.at(tokens, i)
            if hit and i + hit[0] - 1 <= last:
                out.append((i, i + hit[0] - 1, hit[1]))
                i += hit[0]
            else:
                i += 1
        return out

    def __contains__(self, key: str) -> bool:
        return (key,) in self.index


class Lookups:
    """The phrases of each table found on one token list, looked for once per table.

    Only the tokens whose word (or word without an attached و/ف) begins some phrase of the
    table are tried, and what :meth:`Phrases.at` found there is kept: `at` and `find` answer
    as the table's own methods do.

    >>> from cdkg.graph.text.normalize import tokenize
    >>> table = Phrases([("memorandum of understanding", "Agreement"), ("memorandum", "Agreement")])
    >>> tokens = tokenize("a memorandum of understanding and a memorandum")
    >>> Lookups(tokens).find(table, 0, 6) == table.find(tokens, 0, 6) == [(1, 3, 'Agreement'), (6, 6, 'Agreement')]
    True
    """

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self._words: tuple[dict, dict] | None = None
        self._tables: dict[int, tuple[Phrases, dict, list[int]]] = {}

    def _positions(self) -> tuple[dict, dict]:
        """Word -> the positions of the tokens it could begin a phrase at: by norm, by key."""
        if self._words is None:
            by_norm: dict[str, list[int]] = {}
            by_key: dict[str, list[int]] = {}
            for i, t in enumerate(self.tokens):
                for word in _starts(t, exact=True):
                    by_norm.setdefault(word, []).append(i)
                for word in _starts(t, exact=False):
                    by_key.setdefault(word, []).append(i)
            self._words = (by_norm, by_key)
        return self._words

    def _hits(self, table: Phrases) -> tuple[dict, list[int]]:
        known = self._tables.get(id(table))
        if known is None or known[0] is not table:
            words = self._positions()[0 if table.exact else 1]
            tried = sorted({i for w in words.keys() & table.firsts for i in words[w]})
            hits = {i: hit for i in tried if (hit := table.at(self.tokens, i)) is not None}
            known = self._tables[id(table)] = (table, hits, sorted(hits))
        return known[1], known[2]

    def at(self, table: Phrases, i: int) -> tuple[int, object] | None:
        """`Phrases.at` of ``table`` at token ``i``."""
        return self._hits(table)[0].get(i)

    def find(self, table: Phrases, first: int, last: int) -> list[tuple[int, int, object]]:
        """`Phrases.find` of ``table`` in tokens ``first..last``."""
        hits, positions = self._hits(table)
        out, i = [], first
        for k in range(bisect_left(positions, first), len(positions)):
            p = positions[k]
            if p > last:
                break
            if p >= i and p + hits[p][0] - 1 <= last:
                out.append((p, p + hits[p][0] - 1, hits[p][1]))
                i = p + hits[p][0]
        return out


@lru_cache(maxsize=4)
def patterns(name: str) -> dict:
    """One pattern file of ``data/patterns`` (``mentions``, ``relations``, ``dates``...)."""
    return json.loads((patterns_dir() / f"{name}.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=64)
def words(name: str) -> tuple[str, ...]:
    """A closed word class of ``mentions.json`` ``word_lists``, as token norms (for ``in`` or,
    for a list of stems, ``str.startswith``).

    >>> "للمنظمة" in words("related_adjectives"), "المتعلقه" in words("related_adjectives")
    (False, True)
    """
    return norms(*patterns("mentions")["word_lists"][name])


def _words(values) -> list[tuple[str, bool]]:
    return [(w, True) for w in values]


_AR_SUFFIXES = ("ه", "ها", "هم", "هما", "نا")


def _with_suffixes(items):
    """Arabic heads also with an attached possessive ("دورته", "اجتماعها") and in the indefinite
    accusative ("بيانا مشتركا", "اتفاقا", "بروتوكولا")."""
    out = list(items)
    for phrase, value in items:
        words = phrase.split()
        if words and all("\u0600" <= w[0] <= "\u06ff" for w in words) and not words[0].startswith("ال"):
            acc = [w if w.endswith(("ة", "ه", "ى", "ا", "ء")) else w + "ا" for w in words]
            if acc != words:
                out.append((" ".join(acc), value))
    for word, value in items:
        if " " in word or not word or not ("\u0600" <= word[0] <= "\u06ff"):
            continue
        stem = word[:-1] + "ت" if word.endswith(("ة", "ه")) else word
        out += [(stem + s, value) for s in _AR_SUFFIXES]
    return out


@lru_cache(maxsize=1)
def tables() -> dict[str, Phrases]:
    """Every word list compiled once: mention words (``mentions.json``) and the trigger words
    of each relation (``rel:NAME``, from ``relations.json``)."""
    m = patterns("mentions")
    out = {
        "instruments": Phrases(_with_suffixes(list(m["instrument_heads"].items()))),
        "generic": Phrases(_words(m["generic_instruments"])),
        "conventions": Phrases(_words(m["convention_words"])),
        "events": Phrases(_with_suffixes(list(m["event_heads"].items()))),
        "heads_exact": Phrases(_with_suffixes(list(m["instrument_heads"].items()) + list(m["event_heads"].items())
                                              + [(w, True) for w in m["org_heads"] + m["generic_instruments"]]),
                               exact=True),
        "orgs": Phrases(_words(m["org_heads"])),
        "ministries": Phrases(_words(m["ministry_words"])),
        "foreign": Phrases(_words(m["foreign_words"])),
        "roles": Phrases(m["roles"].items()),
        "honorifics": Phrases(_words(m["honorifics"])),
        "particles": Phrases(_words(m["name_particles"]), exact=True),
        "name_stops": Phrases(_words(m["name_stops"]), exact=True),
        "determiners": Phrases(_words(m["determiners"]), exact=True),
        "premodifiers": Phrases(_words(m["premodifiers"]), exact=True),
        "links": Phrases(_words(m["title_links"]), exact=True),
        "locatives": Phrases(_words(m["locatives"]), exact=True),
        "sides": Phrases(_words(m["sides"])),
        "pronouns": Phrases(m["pronouns"].items(), exact=True),
        "speech": Phrases(_words(m["speech"])),
        "waw": Phrases(_words(m["waw_words"]), exact=True),
        "content_function": Phrases(_words(m["content_function_words"]), exact=True),
        "ar_links": Phrases(_words(m["ar_links"]), exact=True),
        "name_tails": Phrases(_words(m["name_tails"]), exact=True),
        "capital_words": Phrases(_words(m["capital_words"])),
        "ordinary_words": Phrases(_words(m["ordinary_words"]), exact=True),
        "body_nouns": Phrases(_words(m["body_nouns"])),
        "paired_roles": Phrases(m["paired_roles"].items(), exact=True),
        "intentions": Phrases(_words(m["intention_words"]), exact=True),
        "negations": Phrases(_words(m["negations"]), exact=True),
        "presence": Phrases(_words(m["presence_words"]), exact=True),
        "sidelines": Phrases(_words(m["sideline_words"]), exact=True),
        "instrument_pronouns": Phrases(_words(m["instrument_pronouns"]), exact=True),
        "adjectival": Phrases(_words(m["adjectival_heads"]), exact=True),
        "plural_instruments": Phrases(_words(m["plural_instruments"]), exact=True),
        "ordinals": Phrases(_words(m["ordinals"])),
        "including": Phrases(_words(m["including"])),
        "meeting_verbs": Phrases(_words(w for ws in m["meeting_verbs"].values() for w in ws), exact=True),
        "principle_words": Phrases(_words(m["principle_words"])),
        "principle_links": Phrases(_words(m["principle_links"]), exact=True),
        "chair_passive": Phrases(_words(m["chair_words"]["passive"])),
        "chair_active": Phrases(_words(m["chair_words"]["active"])),
    }
    out["given_names"] = Phrases(_words(patterns("given_names")["ar"]))
    for lang, words in m["title_stops"].items():
        out["stops:" + lang] = Phrases(_words(words), exact=lang != "ru")
    for rel, words in patterns("relations").items():
        if rel != "about":
            out["rel:" + rel] = Phrases(_words(words))
    return out
