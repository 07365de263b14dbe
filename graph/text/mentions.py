"""Mentions: what a document names, with token positions and exact character spans.

Lexicon entities come from the gazetteer; instruments, events, forums and organizations not
in the lexicon are found by their own words (``data/patterns/triggers.json``) with their full
titles; persons by the lexicon or by a role before a name ("الرئيس الفرنسي <name>",
"Foreign Minister Sergey Lavrov"); dates by :mod:`cdkg.graph.text.dates`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

from cdkg.graph.text.dates import DateMention, find_dates
from cdkg.graph.text.documents import Document
from cdkg.graph.text.gazetteer import Gazetteer
from cdkg.graph.text.lexicon import Entry
from cdkg.graph.text.normalize import Token, normalize_char, token_key, tokenize
from cdkg.paths import patterns_dir

__all__ = ["Mention", "Analysis", "Phrases", "analyze", "triggers"]

_CLAUSE_PUNCT = re.compile(r"[،,;؛:()\[\]{}]|[.!?؟](?=\s|$)|\n")
_SENTENCE_PUNCT = re.compile(r"[!?؟]|\.(?=\s|$)|\n")
_QUOTES = "\"'«»“”„"
_MAX_TITLE = 25


@lru_cache(maxsize=1)
def triggers() -> dict:
    """The trigger words of ``data/patterns/triggers.json``."""
    return json.loads((patterns_dir() / "triggers.json").read_text(encoding="utf-8"))


def _keys(phrase: str) -> tuple[str, ...]:
    return tuple(t.key for t in tokenize(phrase))


class Phrases:
    """Multi-word phrases looked up by token keys; :meth:`at` finds the longest at a token."""

    def __init__(self, items, exact: bool = False):
        self.exact = exact
        self.index: dict[tuple[str, ...], object] = {}
        for phrase, value in items:
            key = tuple(t.norm for t in tokenize(phrase)) if exact else _keys(phrase)
            if key:
                self.index.setdefault(key, value)
        self.longest = max((len(k) for k in self.index), default=0)
        self.firsts = {k[0] for k in self.index}

    def at(self, tokens: list[Token], i: int) -> tuple[int, object] | None:
        """``(length, value)`` of the longest phrase starting at token ``i``, or None."""
        attr = "norm" if self.exact else "key"
        firsts = [getattr(tokens[i], attr)] if i < len(tokens) else []
        if firsts and tokens[i].norm[:1] in ("و", "ف") and len(tokens[i].norm) > 2:
            rest_of_first = tokens[i].norm[1:]
            firsts.append(rest_of_first if self.exact else token_key(rest_of_first))
        firsts = [f for f in firsts if f in self.firsts]
        if not firsts:
            return None
        for n in range(min(self.longest, len(tokens) - i), 0, -1):
            rest = tuple(getattr(t, attr) for t in tokens[i + 1:i + n])
            for first in firsts:
                if (first,) + rest in self.index:
                    return n, self.index[(first,) + rest]
        return None

    def __contains__(self, key: str) -> bool:
        return (key,) in self.index


@lru_cache(maxsize=1)
def phrase_tables() -> dict[str, Phrases]:
    """All trigger tables compiled once."""
    t = triggers()
    tables = {
        "instruments": Phrases(t["instruments"].items()),
        "generic": Phrases((w, True) for w in t["generic_instruments"]),
        "modifiers": Phrases((w, True) for w in t["title_modifiers"]),
        "events": Phrases(t["events"].items()),
        "forums": Phrases((w, True) for w in t["forums"]),
        "org_heads": Phrases((w, True) for w in t["organization_heads"]),
        "collectives": Phrases((w, True) for w in t["collectives"]),
        "two_sides": Phrases((w, True) for w in t["two_sides"]),
        "speakers": Phrases((w, True) for w in t["speakers"]),
        "roles": Phrases(t["roles"].items()),
        "honorifics": Phrases((w, True) for w in t["honorifics"]),
        "stops": Phrases(((w, True) for w in t["title_stops"]), exact=True),
        "connectors": Phrases(((w, True) for w in t["title_connectors"]), exact=True),
        "anaphora": Phrases(((w, True) for w in t["anaphora"]), exact=True),
        "function": Phrases(((w, True) for w in t["function_words"]), exact=True),
        "including": Phrases(((w, True) for w in t["including"]), exact=True),
    }
    for rel, words in t["relations"].items():
        tables["rel:" + rel] = Phrases((w, True) for w in words)
    return tables


@dataclass
class Mention:
    """Something named in a document: its class, token range, original span and text."""

    kind: str            # entity | instrument | event | forum | org | person | role | sides
    type: str            # ontology class local name (State, Agreement, Event, Person...)
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


@dataclass
class Analysis:
    """A document's tokens, sentences and mentions: the input of the fact rules."""

    doc: Document
    tokens: list[Token]
    gaps: list[str]
    sentences: list[tuple[int, int]]
    mentions: list[Mention]
    dates: list[tuple[int, int, DateMention]]

    def span_text(self, first: int, last: int) -> str:
        return self.doc.text[self.tokens[first].start:self.tokens[last].end]

    def clause_break(self, i: int) -> bool:
        """True when punctuation separates token ``i - 1`` from token ``i``."""
        return bool(_CLAUSE_PUNCT.search(self.gaps[i]))



def normalize_char_string(word: str) -> str:
    """A trigger word in the normalized form tokens carry."""
    return "".join(normalize_char(c) for c in word)


def _is_definite(norm: str) -> bool:
    """An Arabic word with the article, alone or after a prefix (ال، وال، بال، لل...)."""
    return norm.startswith(("ال", "وال", "بال", "لل", "فال", "كال", "ولل"))


def _gaps(text: str, tokens: list[Token]) -> list[str]:
    gaps, prev = [], 0
    for t in tokens:
        gaps.append(text[prev:t.start])
        prev = t.end
    return gaps


def _sentences(tokens: list[Token], gaps: list[str]) -> list[tuple[int, int]]:
    sentences, first = [], 0
    for i in range(1, len(tokens)):
        gap = gaps[i]
        boundary = bool(_SENTENCE_PUNCT.search(gap))
        if boundary and "\n" not in gap and "." in gap and not re.search(r"[!?؟]", gap):
            # "في. تي. بي", "U.S." and initials: a dot after a short word does not end a sentence
            if len(tokens[i - 1].norm) <= 2 and not tokens[i - 1].norm.isdigit():
                boundary = False
        if boundary:
            sentences.append((first, i - 1))
            first = i
    if tokens:
        sentences.append((first, len(tokens) - 1))
    return sentences


@lru_cache(maxsize=1)
def _surface_words() -> frozenset[str]:
    t = triggers()
    words = set()
    for name in ("instruments", "events", "forums", "organization_heads"):
        for phrase in t[name]:
            words.update(tok.norm for tok in tokenize(phrase))
    return frozenset(words)


def _trigger_start(tok: Token, text: str) -> int:
    """Start offset of a title inside its first token, past attached prefixes (و، ل، ب...)."""
    words = _surface_words()
    surplus = next((p for p in range(0, 4) if tok.norm[p:] in words), 0)
    if surplus == 0:
        return tok.start
    pos, seen = tok.start, 0
    while pos < tok.end and seen < surplus:
        seen += len(normalize_char(text[pos]))
        pos += 1
    while pos < tok.end and normalize_char(text[pos]) == "":
        pos += 1
    return pos


class _Builder:
    def __init__(self, doc: Document, gazetteer: Gazetteer):
        self.doc = doc
        self.text = doc.analysis_text
        self.tokens = tokenize(self.text)
        self.gaps = _gaps(self.text, self.tokens)
        self.sentences = _sentences(self.tokens, self.gaps)
        self.sentence_of = {}
        for s, (a, b) in enumerate(self.sentences):
            for i in range(a, b + 1):
                self.sentence_of[i] = s
        self.tables = phrase_tables()
        words = triggers()
        self.name_particles = {normalize_char_string(w) for w in words["name_particles"]}
        self.and_words = {normalize_char_string(w) for w in words["and"]}
        self.locatives = {normalize_char_string(w) for w in words["locatives"]}
        self.lexical = gazetteer.find(self.text, self.tokens)
        self.entity_at: dict[int, Mention] = {}
        self.mentions: list[Mention] = []

    def mention(self, kind, type_, first, last, start=None, entry=None, generic=False, **attrs):
        start = self.tokens[first].start if start is None else start
        end = self.tokens[last].end
        text = self.doc.text[start:end].strip(_QUOTES + " ")
        m = Mention(kind, type_, first, last, start, end, text, entry, generic, attrs)
        self.mentions.append(m)
        return m

    def clause_break(self, i: int) -> bool:
        gap = self.gaps[i]
        if gap.strip() == "." and len(self.tokens[i - 1].norm) <= 2 and not self.tokens[i - 1].norm.isdigit():
            return False
        return bool(_CLAUSE_PUNCT.search(gap))

    def same_sentence(self, i: int, j: int) -> bool:
        return self.sentence_of.get(i) == self.sentence_of.get(j)

    # -- lexicon entities ------------------------------------------------------------
    def entities(self):
        for m in self.lexical:
            kind = "person" if m.entry.type == "Person" else "entity"
            mention = self.mention(kind, m.entry.type, m.first, m.last, entry=m.entry)
            for i in range(m.first, m.last + 1):
                self.entity_at[i] = mention

    # -- titles of instruments, forums and organizations -------------------------------
    def title_end(self, first: int, after: int, free: bool = False, limit: int = _MAX_TITLE,
                  org: bool = False) -> int:
        """Last token of a title that starts at ``first`` and whose trigger ends at ``after``."""
        t, tokens = self.tables, self.tokens
        last, opened, i = after, free, after + 1
        quoted = any(q in self.gaps[first] for q in _QUOTES)
        head = tokens[first].norm
        definite = _is_definite(head)
        quotes = 0
        while i < len(tokens) and i - first < limit and self.same_sentence(i, first):
            if self.clause_break(i) or i in self.full_date_starts:
                break
            if t["stops"].at(tokens, i):
                break
            tok = tokens[i]
            if org:
                if any(q in self.gaps[i] for q in _QUOTES):
                    quotes += 1
                    if quoted or quotes > 1:
                        break
                if tok.norm in self.and_words or t["collectives"].at(tokens, i) or tok.norm.isdigit() \
                        or (tok.norm.startswith("و") and t["org_heads"].at(tokens, i)):
                    break

            if tok.norm.startswith("و") and tok.is_arabic and (
                    t["instruments"].at(tokens, i) or t["events"].at(tokens, i)):
                break
            if tok.norm in self.and_words and i + 1 < len(tokens) and (
                    t["instruments"].at(tokens, i + 1) or t["events"].at(tokens, i + 1)):
                break
            if tok.norm in self.locatives and self.entity_at.get(i + 1) is not None \
                    and self.entity_at[i + 1].type == "Place":
                break  # "... signed the Agreement on X in Moscow": the place is not in the title
            conn = t["connectors"].at(tokens, i)
            if conn:
                opened = True
                last = i + conn[0] - 1
                i += conn[0]
                continue
            if not opened and t["function"].at(tokens, i):
                break
            ent = self.entity_at.get(i)
            if ent is not None:
                last, i = ent.last, ent.last + 1
                continue
            mod = t["modifiers"].at(tokens, i)
            # "خطة منظمة ..." (construct state) continues; "الخطة مجالات ..." does not
            bare = tok.is_arabic and not definite and not _is_definite(tok.norm) \
                and not tok.norm.startswith(("ب", "ل", "ك"))
            li = tok.is_arabic and tok.norm.startswith("ل") and not tok.norm.startswith("ال")
            if opened or mod or tok.norm.isdigit() or bare or li or (not tok.is_arabic and tok.norm[:1].isalpha()
                                                                     and self.doc.text[tok.start].isupper()):
                last = i
                i += 1
                continue
            break
        return last

    def instruments(self):
        t, tokens = self.tables, self.tokens
        i = 0
        while i < len(tokens):
            hit = t["instruments"].at(tokens, i)
            if not hit or i in self.entity_at:
                i += 1
                continue
            n, type_ = hit
            if i > 0 and tokens[i - 1].norm.isdigit() and not self.clause_break(i):
                i += n  # "12 وثيقة مشتركة", "5 agreements": a count, not an instrument
                continue
            trig_last = i + n - 1
            last = self.title_end(i, trig_last)
            start = _trigger_start(tokens[i], self.doc.text)
            words = [k for k in (tok.key for tok in tokens[trig_last + 1:last + 1])]
            content = [w for w in words if not t["modifiers"].at(tokenize(w), 0)]
            anaphoric = i > 0 and bool(t["anaphora"].at(tokens, i - 1))
            years = [d for d in self._dates_in(i, last)]
            if anaphoric:
                last = trig_last
            self.mention("instrument", type_, i, last, start=start, generic=not content or anaphoric,
                         anaphoric=anaphoric, content=tuple(sorted(set(words))), years=years)
            i = last + 1

    def forums(self):
        t, tokens = self.tables, self.tokens
        for i in range(len(tokens)):
            if i in self.entity_at or not t["forums"].at(tokens, i):
                continue
            if any(m.first <= i <= m.last for m in self.mentions if m.kind in ("instrument", "forum")):
                continue
            last = self.title_end(i, i, limit=12)
            start = _trigger_start(tokens[i], self.doc.text)
            words = [tok.key for tok in tokens[i + 1:last + 1]]
            self.mention("forum", "Forum", i, last, start=start, generic=len(words) < 2,
                         content=tuple(sorted(set(words))))

    def events(self):
        t, tokens = self.tables, self.tokens
        for i in range(len(tokens)):
            hit = t["events"].at(tokens, i)
            if not hit or i in self.entity_at:
                continue
            if any(m.first <= i <= m.last for m in self.mentions if m.kind in ("instrument", "forum")):
                continue
            n, kind = hit
            last = i + n - 1
            j = last + 1
            # an event's name: adjectives and genitives up to the first clause break, a stop or
            # a relative pronoun ("القمة السنوية لرؤساء دول <organization>")
            while j < len(tokens) and j - i < 10 and not self.clause_break(j) and self.same_sentence(i, j):
                if t["stops"].at(tokens, j) or t["rel:held"].at(tokens, j) or t["rel:during"].at(tokens, j) \
                        or t["function"].at(tokens, j):
                    break
                ent = self.entity_at.get(j)
                tok = tokens[j]
                if ent is not None and ent.type in ("Person",):
                    break
                if ent is None and not (tok.is_arabic and (tok.norm.startswith(("ال", "ل")) or not _is_definite(tok.norm))) \
                        and not (not tok.is_arabic and self.doc.text[tok.start].isupper()):
                    break
                if ent is not None:
                    last = j = ent.last
                    j += 1
                    if ent.type in ("Place", "State"):
                        break
                    continue
                if tok.norm.isdigit() or t["instruments"].at(tokens, j) or t["events"].at(tokens, j):
                    break
                last = j
                j += 1
            start = _trigger_start(tokens[i], self.doc.text)
            places = [m.entry for m in self.mentions if m.kind == "entity" and i <= m.first <= last
                      and m.type in ("Place", "State")]
            self.mention("event", "Event", i, last, start=start, event_kind=kind.rstrip("*"),
                         plural=kind.endswith("*"), places=places, generic=last == i + n - 1 and not places)

    def organizations(self):
        """Organizations not in the lexicon: a head word (وزارة، بنك، Ministry...) or a quoted name."""
        t, tokens = self.tables, self.tokens
        for i in range(len(tokens)):
            if i in self.entity_at or not t["org_heads"].at(tokens, i):
                continue
            if any(m.first <= i <= m.last for m in self.mentions if m.kind in ("org",)):
                continue
            last = self.title_end(i, i, free=True, limit=10, org=True)
            self.mention("org", "Organization", i, last,
                         start=_trigger_start(tokens[i], self.doc.text))

    def quoted_names(self):
        """A quoted name inside an instrument title is an organization if nothing else claims it."""
        for m in re.finditer(r"[\"«“]([^\"»”\n]{2,80})[\"»”]", self.text):
            inner = [k for k, tok in enumerate(self.tokens) if m.start(1) <= tok.start and tok.end <= m.end(1)]
            if not inner:
                continue
            a, b = inner[0], inner[-1]
            if any(x.first <= a and b <= x.last and x.kind in ("entity", "org", "person")
                   for x in self.mentions):
                continue
            if any(a <= x.first and x.last <= b and x.kind in ("entity", "person") for x in self.mentions):
                continue
            inside = [x for x in self.mentions if x.kind == "instrument" and x.first < a and b <= x.last]
            if inside:
                self.mention("org", "Organization", a, b, quoted=True)

    # -- persons -----------------------------------------------------------------------
    def persons(self):
        t, tokens = self.tables, self.tokens
        for i in range(len(tokens)):
            hit = t["roles"].at(tokens, i)
            if not hit:
                continue
            n, role = hit
            j = i + n
            state = None
            # the state: an adjective/name right after the role ("الرئيس الفرنسي", "رئيس جمهورية <state>")
            # or just before it ("Russian President")
            ent = self.entity_at.get(j)
            if ent is not None and ent.type == "State":
                state, j = ent, ent.last + 1
            elif i > 0 and self.entity_at.get(i - 1) is not None and self.entity_at[i - 1].type == "State" \
                    and not tokens[i - 1].is_arabic:
                state = self.entity_at[i - 1]
            k = j
            if k < len(tokens) and self.clause_break(k) and state is not None:
                pass
            hon = t["honorifics"].at(tokens, k)
            if hon:
                k += hon[0]
            name_first, name_last = k, k - 1
            while name_last + 1 < len(tokens) and name_last + 1 - name_first < 3:
                q = name_last + 1
                tok = tokens[q]
                if q != name_first and self.clause_break(q):
                    break
                if q == name_first and self.clause_break(q) and not hon and not (state and self.gaps[q].strip() in "،,"):
                    break
                if q in self.entity_at:
                    if self.entity_at[q].type == "Person":
                        # the lexicon knows this person ("سوبراهمانيام جايشانكار"): the role attaches there
                        name_first = q
                        name_last = self.entity_at[q].last
                    break
                if any(t[name].at(tokens, q) for name in ("stops", "function", "roles", "instruments", "events", "forums",
                                                          "org_heads", "two_sides", "connectors", "anaphora")):
                    break
                if any(t[r].at(tokens, q) for r in t if r.startswith("rel:")):
                    break
                if tok.norm.isdigit():
                    break
                if tok.is_arabic:
                    if tok.norm in self.name_particles and q != name_first:
                        name_last = q
                        continue
                    if tok.norm != tok.key or len(tok.norm) < 3:
                        break
                elif not self.doc.text[tok.start].isupper():
                    break
                name_last = q
            if name_last >= name_first and name_first in self.entity_at:
                # a lexicon person follows: keep the role, the rules attach it to the name
                self.mention("role", "Person", i, (state.last if state and state.first >= i else i + n - 1),
                             role=role, state=state)
            elif name_last >= name_first:
                self.mention("person", "Person", name_first, name_last, role=role, role_first=i, state=state)
            else:
                self.mention("role", "Person", i, (state.last if state and state.first >= i else i + n - 1),
                             role=role, state=state)

    def sides(self):
        t, tokens = self.tables, self.tokens
        i = 0
        while i < len(tokens):
            hit = t["two_sides"].at(tokens, i)
            if hit:
                self.mention("sides", "State", i, i + hit[0] - 1, speaker=bool(t["speakers"].at(tokens, i)))
                i += hit[0]
            else:
                i += 1

    def _dates_in(self, first: int, last: int) -> list[DateMention]:
        a, b = self.tokens[first].start, self.tokens[last].end
        return [d for d in self.doc_dates if a <= d.start and d.end <= b]

    def run(self) -> Analysis:
        self.doc_dates = find_dates(self.text, self.doc.published)
        starts = {tok.start: k for k, tok in enumerate(self.tokens)}
        self.full_date_starts = {starts[d.start] for d in self.doc_dates
                                 if len(d.value) >= 7 and not d.relative and d.start in starts}
        self.entities()
        self.instruments()
        self.forums()
        self.events()
        self.organizations()
        self.quoted_names()
        self.persons()
        self.sides()
        dates = []
        for d in self.doc_dates:
            idx = [k for k, tok in enumerate(self.tokens) if tok.start < d.end and tok.end > d.start]
            if idx:
                dates.append((idx[0], idx[-1], d))
        self.mentions.sort(key=lambda m: (m.first, -m.last))
        return Analysis(self.doc, self.tokens, self.gaps, self.sentences, self.mentions, dates)


def analyze(doc: Document, gazetteer: Gazetteer) -> Analysis:
    """Tokens, sentences and every mention of one document."""
    return _Builder(doc, gazetteer).run()
