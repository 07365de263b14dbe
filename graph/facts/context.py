"""Document context shared by the fact rules: who the mentions are, and the facts so far.

:class:`Context` resolves a mention to an :class:`~cdkg.graph.facts.resolve.Entity`
(coreference included): a lexicon entry to its IRI; a person to one entity per name
(spelling-tolerant, so a surname alone is the person named in full before); a title to the
fullest title of the same thing; a generic reference ("the memorandum", "встрече",
"الاتفاقية") to the latest title of its kind before it, else the document's main one, else
itself. It also knows the document's two sides (for "the two sides", "стороны",
"الجانبان") and collects facts, keeping the most confident one per (subject, relation,
object).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from cdkg.graph.text.documents import Document
from cdkg.graph.text.mentions import Analysis, Mention
from cdkg.graph.text.normalize import tokenize
from cdkg.graph.text.gazetteer import _ABBREVIATION
from cdkg.graph.facts.resolve import Entity, mint, name_key, name_skeleton, title_key
from cdkg.graph.facts.occasions import content, name_words, other_occasion

__all__ = ["Fact", "DocumentFacts", "Context", "Sentence"]

_MAX_EVIDENCE = 320
ACTOR_TYPES = ("State", "InternationalOrganization", "Forum", "Organization")


@dataclass(frozen=True)
class Fact:
    """One relation read from a document, with the exact span of text that supports it."""

    subject: Entity
    relation: str
    object: Entity | tuple[str, str]   # an entity, or (value, datatype) for dates
    start: int
    end: int
    confidence: float
    rule: str


@dataclass
class DocumentFacts:
    """What one document yields: its facts and every entity they mention."""

    doc: Document
    facts: list[Fact] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    analysis: Analysis | None = None


@dataclass
class Sentence:
    """One sentence as the rules see it: its token range and mentions."""

    first: int
    last: int
    mentions: list[Mention]

    def of(self, *kinds: str) -> list[Mention]:
        return [m for m in self.mentions if m.kind in kinds]

    def actors(self) -> list[Mention]:
        return [m for m in self.mentions if m.kind in ("entity", "org") and m.type in ACTOR_TYPES]


@lru_cache(maxsize=8192)
def _label_keys(label: str) -> tuple[str, ...]:
    """A lexicon label's token keys (computed once per label, not once per mention)."""
    return tuple(t.key for t in tokenize(label))


def _names_as_written(a: Analysis) -> dict[str, str]:
    """Each lexicon entry's name as the document writes it at its first full mention: the
    preferred or alternative label in the document's language that the mention spells (in the
    label's own form, so "России" gives "Россия"), never an abbreviation. An entry the text only
    abbreviates or inflects into a hidden variant keeps its preferred label.

    >>> from cdkg.graph.text.documents import Document
    >>> from cdkg.graph.text.gazetteer import Gazetteer
    >>> from cdkg.graph.text.lexicon import load_lexicon
    >>> from cdkg.graph.text.mentions import analyze
    >>> a = analyze(Document.from_text("Interpol and the United States met.", language="en"), Gazetteer(load_lexicon()))
    >>> sorted(_names_as_written(a).values())
    ['Interpol', 'United States']
    """
    out: dict[str, str] = {}
    for m in a.mentions:
        e = m.entry
        if m.kind != "entity" or e is None or e.iri in out or e.type in ("Person", "Principle", "Topic"):
            continue
        key = tuple(t.key for t in a.tokens[m.first:m.last + 1])
        for label, lang in e.names:
            if lang == a.lang and not _ABBREVIATION.match(label) and _label_keys(label) == key:
                out[e.iri] = label
                break
    return out


class Context:
    """Coreference, the document's two sides, and the facts collected so far."""

    def __init__(self, analysis: Analysis, capitals: dict | None = None):
        self.a = analysis
        self.doc = analysis.doc
        self.lang = analysis.lang
        self.facts: dict[tuple, Fact] = {}
        self.entities: dict[str, Entity] = {}
        self._resolved: dict[tuple, Entity | None] = {}
        self._persons: dict[str, Entity] = {}
        ms = analysis.mentions
        self.capitals = capitals or {}
        self._written = _names_as_written(analysis)
        for m in ms:
            if m.kind == "instrument" and _hypothetical(analysis, m):
                m.attrs["hypothetical"] = True  # "called for a convention": not (yet) anyone's
        self.instruments = [m for m in ms if m.kind == "instrument"]
        # an event word inside an instrument's title names no event ("План консультаций между МИД ...")
        titled = [(m.first, m.last, m.attrs.get("head")) for m in self.instruments if not m.generic]
        self.events = [m for m in ms if m.kind == "event" and not _hypothetical(analysis, m) and not any(
            f <= m.first <= l and head is not None and head[1] < m.first for f, l, head in titled)]
        self.orgs = [m for m in ms if m.kind == "org"]
        # the sides of a report: states, and an organization that deals with a state as one
        # ("the EU and Ukraine ... the two sides")
        side_types = ("State", "InternationalOrganization")
        states = Counter(m.entry.iri for m in ms if m.kind == "entity" and m.type in side_types)
        firsts = {}
        for m in ms:
            if m.kind == "entity" and m.type in side_types:
                firsts.setdefault(m.entry.iri, m)
        top = states.most_common(3)
        # the document's two sides: two states it names most, clearly more than any third
        bilateral = len(top) == 2 or len(top) >= 3 and top[1][1] >= 2 and top[1][1] > top[2][1]
        self.pair = [self.lexical(firsts[iri]) for iri, _ in top[:2]] if len(top) >= 2 and bilateral else []
        specific = [m for m in self.instruments if not m.generic]
        self.main_instrument = specific[0] if specific else (self.instruments[0] if self.instruments else None)
        self.main_event = self._main_event()

    # -- entities ------------------------------------------------------------------------------
    def remember(self, entity: Entity) -> Entity:
        self.entities.setdefault(entity.iri, entity)
        return self.entities[entity.iri]

    def lexical(self, m: Mention) -> Entity:
        e = m.entry
        # persons and principles as this document words them; other entities by their lexicon label
        surface = e.type in ("Person", "Principle")
        label = m.text if surface else self._written.get(e.iri) or e.label(self.lang)
        if e.type == "Principle" and m.first > 0 and self.a.at("negations", m.first - 1) is not None:
            label = self.a.span_text(m.first - 1, m.last)  # "عدم التدخل": the negation is the principle's
            if self.a.tokens[m.first - 1].norm.startswith("و") and self.a.tokens[m.first - 1].norm != "و":
                label = label[1:]
        lang = self.lang if (surface or self.lang in e.labels) else "en"
        return self.remember(Entity(e.iri, e.type, label, lang, e.wikidata, e.iso2))

    def entity(self, m: Mention | None) -> Entity | None:
        """The entity a mention refers to (after coreference), or None."""
        if m is None:
            return None
        if m.key() not in self._resolved:
            self._resolved[m.key()] = self._entity(m)
        return self._resolved[m.key()]

    def _entity(self, m: Mention) -> Entity | None:
        if m.kind == "entity" or (m.kind == "person" and m.entry is not None):
            return self.lexical(m)
        if m.kind == "person":
            target = m.attrs.get("same_as") or m
            if target.entry is not None:
                return self.lexical(target)
            skeleton = name_skeleton(target.label)
            if skeleton not in self._persons:
                self._persons[skeleton] = self.remember(
                    Entity(mint("person", name_key(target.label)), "Person", target.label, self.lang, minted=True))
            return self._persons[skeleton]
        if m.kind == "role":
            if m.attrs.get("person") is not None:
                return self.entity(m.attrs["person"])
            # "the Secretary-General called for ...": the person named earlier with that role
            same = [r for r in self.a.mentions if r.kind == "role" and r.attrs.get("person") is not None
                    and r.first < m.first and (r.attrs.get("phrase") == m.attrs.get("phrase")
                                               or r.attrs.get("role") == m.attrs.get("role") == "minister")]
            return self.entity(same[-1].attrs["person"]) if same else None
        if m.kind == "venue":  # a building or site the document names: its own place
            return self.remember(Entity(mint("place", "venue", title_key(_content(self.a, m)), self.doc.sha),
                                        "Place", m.text, self.lang, minted=True))
        if m.kind == "event":
            cluster = self.event_cluster(m)
            first = _representative(self.a, cluster)
            return self.remember(Entity(mint("event", title_key(_content(self.a, first)), str(first.first),
                                             self.doc.sha), "Event", first.label, self.lang, minted=True,
                                      local=True))
        if m.kind in ("instrument", "org"):
            target = self.canonical(m)
            if target is None:
                return None
            kind = {"instrument": "instrument", "event": "event", "org": "org"}[m.kind]
            words = _content(self.a, target)
            parts = (kind, target.type, title_key(words)) if kind != "event" else (kind, title_key(words), self.doc.sha)
            label = self._body_label(target) if kind == "instrument" else target.label
            return self.remember(Entity(mint(*parts), target.type, label, self.lang, minted=True))
        return None

    def canonical(self, m: Mention) -> Mention | None:
        """The fullest title of the thing a title or a generic reference names."""
        pool = {"instrument": self.instruments, "event": self.events, "org": self.orgs}[m.kind]
        if m.attrs.get("acronym"):
            named = [o for o in pool if not o.attrs.get("acronym") and _initials(self.a, o) == m.text.upper()]
            return self.canonical(named[0]) if named else m
        if m.generic:
            same = [o for o in pool if not o.generic and _same_kind(o, m) and not o.attrs.get("hypothetical")]
            before = [o for o in same if o.first < m.first]
            if m.attrs.get("document_word") and self.main_instrument is not None and not self.main_instrument.generic:
                return self.canonical(self.main_instrument)  # "the document": the one the report is about
            main = self.main_instrument if m.kind == "instrument" else self.main_event
            if m.kind == "event" and before and before[-1].attrs.get("family") != m.attrs.get("family") \
                    and main is not None and not main.generic and main.first < m.first and _same_kind(main, m):
                return self.canonical(main)  # "the meeting" after a side event: the document's main event
            if before:  # the latest of the same head word ("the pledge"), else of the same kind
                headed = [o for o in before if m.kind == "instrument" and _same_head(self.a, o, m)]
                return self.canonical((headed or before)[-1])
            if main is not None and not main.generic and _same_kind(main, m):
                return self.canonical(main)
            if same:
                return self.canonical(same[0])
            anchor = next((o for o in pool if o.generic and _same_kind(o, m)), m)
            return anchor
        words = {w for w in _content(self.a, m) if not w.isdigit()}
        best = m
        head = self.a.sentences[0] if len(self.a.sentences) >= 3 else (-1, -1)
        if m.kind == "instrument" and head[0] <= m.first <= head[1]:
            # a headline's short name ("cybersecurity memorandum") is the body's instrument of that kind
            body = [o for o in pool if not o.generic and o.first > head[1] and o.type == m.type and _same_head(self.a, o, m)
                    and not o.attrs.get("hypothetical")]
            if body and len(words) <= 3:
                return self.canonical(body[0])
        for o in pool:
            if o.generic or o is m or o.type != m.type and m.kind == "instrument":
                continue
            if m.kind == "event" and o.attrs.get("family") != m.attrs.get("family"):
                continue
            if m.kind == "org" and not _same_head(self.a, o, m):
                continue
            ow = {w for w in _content(self.a, o) if not w.isdigit()}
            if words and ow and len(words & ow) >= 0.75 * min(len(words), len(ow)):
                if (len(ow), -o.first) > (len(set(_content(self.a, best))), -best.first):
                    best = o
        return best

    def _body_label(self, target: Mention) -> str:
        """A headline names things in its own short way: the label is the first specific
        mention of the same thing in the body when there is one."""
        head = self.a.sentences[0] if self.a.sentences else (-1, -1)
        if not head[0] <= target.first <= head[1] or len(self.a.sentences) < 3:
            return target.label
        words = {w for w in _content(self.a, target) if not w.isdigit()}
        for o in self.instruments:
            if o.generic or o.first <= head[1] or o.type != target.type:
                continue
            ow = {w for w in _content(self.a, o) if not w.isdigit()}
            if ow and len(words & ow) >= 0.6 * len(ow):
                return o.label
        return target.label

    def _main_event(self) -> Mention | None:
        """The event a report is about: the one it names first (the lead), by its fullest mention."""
        if not self.events:
            return None
        cluster = self.event_cluster(self.events[0])
        specific = [m for m in cluster if not m.generic]
        if specific:
            return specific[0]
        others = [m for m in self.events if not m.generic]
        return others[0] if others and len(cluster) == 1 else self.events[0]

    def event_cluster(self, m: Mention) -> list[Mention]:
        """The mentions of one event: same family group (a visit and the talks held during it
        are one meeting), no conflicting place, year or ordinal; a generic mention ("the
        meeting", "встрече") joins the latest event of its group, else the document's main one."""
        if not hasattr(self, "_clusters"):
            self._clusters = _cluster_events(self.a, self.events)
        for c in self._clusters:
            if any(x is m for x in c):
                return c
        return [m]

    def sides(self) -> list[Entity]:
        return list(self.pair)

    def main_statement(self) -> Mention | None:
        """The joint statement or declaration a report is about (its first specific mention)."""
        for m in self.instruments:
            if m.type in ("JointStatement", "Declaration") and not m.generic:
                return m
        return None

    def actor_entities(self, m: Mention) -> list[Entity]:
        """The entities an actor mention stands for: the pair for "the two sides", the state for
        its capital as an actor ("Kyiv and Washington backed ..."), else one."""
        if m.kind == "sides":
            return self.sides()
        if m.kind == "entity" and m.type == "Place" and m.entry.iri in self.capitals:
            state = self.capitals[m.entry.iri]
            return [self.remember(Entity(state.iri, "State", state.label(self.lang), self.lang if self.lang in
                                         state.labels else "en", state.wikidata, state.iso2))]
        e = self.entity(m)
        return [e] if e is not None else []

    # -- facts ---------------------------------------------------------------------------------
    def add(self, subject: Entity | None, relation: str, obj, span: tuple[int, int], confidence: float,
            rule: str) -> None:
        """Record a fact with evidence ``span`` (character offsets, trimmed of spaces and quotes)."""
        if subject is None or obj is None or (isinstance(obj, Entity) and obj.iri == subject.iri):
            return
        start, end = self.trim(*span)
        if end <= start:
            return
        okey = obj.iri if isinstance(obj, Entity) else obj
        key = (subject.iri, relation, okey)
        old = self.facts.get(key)
        if old is None or confidence > old.confidence:
            self.facts[key] = Fact(subject, relation, obj, start, end, confidence, rule)

    def span(self, *items) -> tuple[int, int]:
        """The character span covering mentions and ``(first, last)`` token ranges; past
        ``_MAX_EVIDENCE`` characters, the last two items only."""
        starts, ends = [], []
        for it in items:
            if it is None:
                continue
            if isinstance(it, Mention):
                starts.append(it.start)
                ends.append(it.end)
            else:
                starts.append(self.a.tokens[it[0]].start)
                ends.append(self.a.tokens[it[1]].end)
        if len(starts) > 2 and max(ends) - min(starts) > _MAX_EVIDENCE:
            return self.span(*[x for x in items if x is not None][-2:])
        return min(starts), max(ends)

    def trim(self, start: int, end: int) -> tuple[int, int]:
        text = self.doc.text
        while start < end and text[start] in " \t\n،,\"'«»“”":
            start += 1
        while end > start and text[end - 1] in " \t\n،,\"'«»“”":
            end -= 1
        return start, end

    def concept(self, text: str, type_: str = "Topic") -> Entity:
        """A free-text object (what was called for, a principle no lexicon entry names)."""
        from cdkg.graph.facts.evaluate import normalize_label
        return self.remember(Entity(mint("concept", type_, normalize_label(text)), type_, text, self.lang,
                                    minted=True))


def _representative(a: Analysis, cluster: list[Mention]) -> Mention:
    """The mention that names an event: the first that names something of its own (a proper
    name, a lexicon entity, a person), else the first specific one, else the first."""
    whole = [x for x in cluster if not x.attrs.get("part_of")] or cluster
    head = a.sentences[0] if len(a.sentences) >= 3 else (-1, -1)
    body = [x for x in whole if not head[0] <= x.first <= head[1]]
    whole = body + [x for x in whole if x not in body] if body and not all(x.generic for x in body) else whole
    def named(x):
        head = x.attrs.get("head") or (x.first, x.first)
        others = [i for i in range(x.first, x.last + 1) if not head[0] <= i <= head[1]]
        if any(o.kind in ("entity", "person", "org") and x.first <= o.first and o.last <= x.last
               for o in a.mentions):
            return True
        return a.lang != "ar" and any(a.word(i)[:1].isupper() for i in others)
    for pool in ([x for x in whole if not x.generic and named(x)], [x for x in whole if not x.generic], whole):
        if pool:
            return pool[0]
    return cluster[0]


def _hypothetical(a: Analysis, m: Mention) -> bool:
    """An event that is only called for or envisaged ("envisages establishing direct dialogue",
    "призвали провести саммит") has not taken place: it is not an event of the report."""
    from cdkg.graph.text.phrases import tables, words
    t = tables()
    first, _ = a.sentence_of(m.first)
    for k in range(max(first, m.first - 4), m.first - 1):
        # "намерены проводить консультации", "agreed to hold the next round", "اتفقا على عقد الاجتماع": intended only
        if t["intentions"].at(a.tokens, k) is None or a.breaks_between(k, m.first):
            continue
        between = [a.tokens[j].norm for j in range(k + 1, m.first)]
        if a.lang == "en" and between[:1] == ["to"] or a.lang == "ru" and any(
                w.endswith(("ть", "ти")) for w in between) or a.lang == "ar" and any(
                w in words("intention_links") for w in between):
            return True
    for k in range(first, m.first):
        if not (t["rel:called"].at(a.tokens, k) or t["rel:instrument_says"].at(a.tokens, k)):
            continue
        if m.first - k <= 4 and not a.breaks_between(k, m.first):
            return True
        # "..., as well as holding full-scale consultations": an action called for
        before = [a.tokens[j].norm for j in range(max(first, m.first - 3), m.first)]
        if any(w.endswith("ing") or w.startswith(words("planned_action_stems")) or w in words("planned_action_words")
               for w in before):
            return True
    return False


def _group(m: Mention) -> str:
    from cdkg.graph.text.phrases import patterns
    family = m.attrs.get("part_of") or m.attrs.get("family") or "meeting"
    return patterns("mentions")["event_groups"].get(family, family)


def _marks(a: Analysis, m: Mention) -> dict:
    """What tells two mentions of events apart: a place named in the title, a year, an ordinal."""
    from cdkg.graph.text.phrases import tables
    t = tables()
    places = {o.entry.iri for o in a.mentions if o.kind == "entity" and o.type == "Place"
              and m.first <= o.first and o.last <= m.last}
    years = {d.value[:4] for d0, d1, d in a.dates if m.first <= d0 and d1 <= m.last}
    ordinals = {a.tokens[i].key for i in range(m.first, m.last + 1) if t["ordinals"].at(a.tokens, i) is not None
                or re.match(r"^\d+(st|nd|rd|th)$", a.tokens[i].norm)}  # "third", "9th"
    return {"places": places, "years": years, "ordinals": ordinals, "names": name_words(a, m)}


def _compatible(x: dict, y: dict) -> bool:
    return all(not (x[k] and y[k]) or x[k] & y[k] for k in ("places", "years", "ordinals", "names"))


def _cluster_events(a: Analysis, events: list[Mention]) -> list[list[Mention]]:
    clusters: list[list[Mention]] = []
    marks: list[dict] = []
    for m in events:
        mk = _marks(a, m)
        same = [i for i, c in enumerate(clusters) if _group(c[0]) == _group(m) and _compatible(marks[i], mk)]
        if m.attrs.get("part_of"):
            target = same[-1] if same else None
        elif m.generic and other_occasion(a, m):
            target = None  # "last year's meeting", "the next summit": not the meeting of the report
        elif m.generic:
            target = same[-1] if same else (0 if clusters and _group(m) == "meeting" else None)
        else:
            target = same[-1] if same else None
        if target is None:
            clusters.append([m])
            marks.append(mk)
        else:
            clusters[target].append(m)
            for k in mk:
                marks[target][k] |= mk[k]
    return clusters


def _same_head(a: Analysis, x: Mention, y: Mention) -> bool:
    hx, hy = x.attrs.get("head"), y.attrs.get("head")
    if not hx or not hy:
        return True
    return a.tokens[hx[0]].key == a.tokens[hy[0]].key


def _initials(a: Analysis, m: Mention) -> str:
    return "".join(a.word(i)[0].upper() for i in range(m.first, m.last + 1) if a.capitalized(i))


def _same_kind(a: Mention, b: Mention) -> bool:
    if a.kind == "event":
        return a.attrs.get("family") == b.attrs.get("family") or b.attrs.get("family") in (None, "meeting")
    if b.attrs.get("document_word"):
        return True
    return a.type == b.type or {a.type, b.type} <= {"Agreement", "Convention"}


_content = content
