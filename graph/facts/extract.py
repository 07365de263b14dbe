"""Facts from mentions: patterns on trigger words, with document context.

Each rule reads one sentence's mentions and the trigger words between them and states a
:class:`Fact` (subject, relation, object, evidence span, confidence, rule name). Document
context resolves references such as "الرئيسان" / "the two sides" to the two states the
document is about, a role alone ("الرئيس الروسي") to the person named with it, and a generic
"البيان المشترك" to the joint statement named in full.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from cdkg.graph.text.documents import Document
from cdkg.graph.text.gazetteer import Gazetteer
from cdkg.graph.text.mentions import Analysis, Mention, analyze, phrase_tables, triggers
from cdkg.graph.facts.resolve import Entity, mint, name_skeleton, title_key

__all__ = ["Fact", "extract_facts", "DocumentFacts"]

INSTRUMENT_TYPES = {"Agreement", "JointStatement", "Declaration", "Plan", "Convention"}
ACTOR_TYPES = {"State", "InternationalOrganization", "Forum", "Organization"}
_MAX_EVIDENCE = 240


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


class _Context:
    """Document-level state shared by the rules: coreference and the pair of 'two sides'."""

    def __init__(self, analysis: Analysis):
        self.a = analysis
        self.doc = analysis.doc
        self.lang = analysis.doc.language
        self.t = phrase_tables()
        self.facts: dict[tuple, Fact] = {}
        self.entities: dict[str, Entity] = {}
        self.resolved: dict[tuple, Entity] = {}
        self.heads: dict[str, Entity] = {}
        self.persons_by_skeleton: dict[str, Entity] = {}
        self.event_dates: dict[str, tuple[str, str, int, int]] = {}
        self.events: list[tuple[tuple[str, str, str], Entity]] = []
        ms = analysis.mentions
        states = Counter(m.entry.iri for m in ms if m.kind == "entity" and m.type == "State")
        self.pair: list[Entity] = []
        if any(m.kind == "sides" for m in ms) and len(states) >= 2:
            top = [iri for iri, _ in states.most_common(2)]
            self.pair = [self.lexical(next(m for m in ms if m.entry and m.entry.iri == iri)) for iri in top]
        self.instruments = [m for m in ms if m.kind == "instrument"]
        self.head_roles = set(triggers()["head_roles"])
        self.lexical_entries = {m.entry.iri: m.entry for m in ms if m.entry is not None}
        statements = [m for m in self.instruments if m.type in ("JointStatement", "Declaration")
                      and not m.attrs.get("anaphoric")]
        self.main_statement = next((m for m in statements if not m.generic), statements[0] if statements else None)

    # -- entities ----------------------------------------------------------------------
    def remember(self, entity: Entity) -> Entity:
        self.entities.setdefault(entity.iri, entity)
        return self.entities[entity.iri]

    def lexical(self, m: Mention) -> Entity:
        e = m.entry
        if e.iri in self.entities:
            return self.entities[e.iri]
        # a person is shown as this document spells the name; other entities by their lexicon label
        label = m.text if e.type == "Person" else e.label(self.lang)
        return self.remember(Entity(e.iri, e.type, label, self.lang if self.lang in e.labels else "en",
                                    e.wikidata, e.iso2))

    def entity(self, m: Mention) -> Entity | None:
        """The entity a mention refers to (after coreference), or None."""
        if m.key() in self.resolved:
            return self.resolved[m.key()]
        e = self._entity(m)
        if e is not None:
            self.resolved[m.key()] = e
        return e

    def _entity(self, m: Mention) -> Entity | None:
        if m.entry is not None:
            return self.lexical(m)
        if m.kind == "instrument":
            target = self.antecedent(m) if m.generic else self.canonical(m)
            if target is None and m.generic and not m.attrs.get("anaphoric") and m.type in (
                    "JointStatement", "Declaration"):
                target = self.statement_anchor(m)
            if target is None:
                return None
            words = target.attrs.get("content", ()) or (self.doc.sha,)
            return self.remember(Entity(mint("instrument", target.type, title_key(words)), target.type,
                                        target.text, self.lang, minted=True))
        if m.kind == "forum":
            target = self.antecedent(m) if m.generic else m
            if target is None:
                return None
            return self.remember(Entity(mint("forum", title_key(target.attrs.get("content", ()))), "Forum",
                                        target.text, self.lang, minted=True))
        if m.kind == "org":
            return self.remember(Entity(mint("org", title_key(t.key for t in self.a.tokens[m.first:m.last + 1])),
                                        "Organization", m.text, self.lang, minted=True))
        if m.kind == "person":
            skeleton = name_skeleton(m.text)
            if skeleton in self.persons_by_skeleton:
                return self.persons_by_skeleton[skeleton]
            e = self.remember(Entity(mint("person", skeleton), "Person", m.text, self.lang, minted=True))
            self.persons_by_skeleton[skeleton] = e
            return e
        if m.kind == "role":
            state = m.attrs.get("state")
            if state is not None and m.attrs.get("role") in self.head_roles:
                return self.heads.get(state.entry.iri)
        return None

    def canonical(self, m: Mention) -> Mention:
        """The fullest specific mention of the same instrument in the document (titles that overlap)."""
        words = set(m.attrs.get("content", ()))
        best = m
        for other in self.instruments:
            if other is m or other.generic or other.type != m.type:
                continue
            ow = set(other.attrs.get("content", ()))
            overlap = words and ow and len(words & ow) >= 0.8 * min(len(words), len(ow))
            if overlap and (len(ow), len(other.text), -other.first) > (
                    len(best.attrs.get("content", ())), len(best.text), -best.first):
                best = other
        return best

    def antecedent(self, m: Mention) -> Mention | None:
        """The specific instrument a generic mention ("الاتفاقية", "this agreement") refers to."""
        same = [o for o in self.instruments if not o.generic and o.type == m.type]
        before = [o for o in same if o.first < m.first]
        if before:
            return self.canonical(before[-1])
        after = [o for o in same if o.first > m.first and self.a.tokens[o.first].start - self.a.tokens[m.last].end < 1500]
        return self.canonical(after[0]) if after else None

    def statement_anchor(self, m: Mention) -> Mention:
        """An untitled joint statement or declaration stands for itself, one per document."""
        return next(o for o in self.instruments if o.type == m.type and o.generic and not o.attrs.get("anaphoric"))

    def sides(self) -> list[Entity]:
        return list(self.pair)

    def event(self, m: Mention) -> Entity:
        """Mentions of one event merge: same kind family, compatible place and year
        (a visit and the talks held during it are one meeting)."""
        if ("event",) + m.key() + (m.attrs.get("year", ""),) in self.resolved:
            return self.resolved[("event",) + m.key() + (m.attrs.get("year", ""),)]
        place = m.attrs.get("place")
        place_iri = (place.entry.iri if isinstance(place, Mention) else place.iri) if place is not None else ""
        kind = m.attrs.get("event_kind", "event")
        family = "meeting" if kind in ("talks", "visit", "meeting") else kind
        date = m.attrs.get("date")
        year = m.attrs.get("year") or (date[2].value[:4] if date else "")
        found = None
        for k, e in self.events:
            f2, p2, y2 = k
            if f2 != family:
                continue
            if place_iri and p2 and not (p2 == place_iri or self._contains(p2, place_iri)):
                continue
            if year and y2 and year != y2:
                continue
            if not place_iri and not year:
                found = e  # keep the most recent one of the family
                continue
            found = e
            break
        if found is None:
            label = m.attrs.get("label") or m.text
            found = self.remember(Entity(mint("event", family, place_iri or self.doc.sha, year), "Event", label,
                                         self.lang, minted=True))
            self.events.append(((family, place_iri, year), found))
        self.resolved[("event",) + m.key() + (m.attrs.get("year", ""),)] = found
        return found

    def _contains(self, a: str, b: str) -> bool:
        ea, eb = self.lexical_entries.get(a), self.lexical_entries.get(b)
        return bool((ea and ea.container == b) or (eb and eb.container == a))

    # -- facts -------------------------------------------------------------------------
    def add(self, subject: Entity | None, relation: str, obj, start: int, end: int, confidence: float,
            rule: str) -> None:
        if subject is None or obj is None or (isinstance(obj, Entity) and obj.iri == subject.iri):
            return
        start, end = self.trim(start, end)
        okey = obj.iri if isinstance(obj, Entity) else obj
        key = (subject.iri, relation, okey)
        fact = Fact(subject, relation, obj, start, end, confidence, rule)
        old = self.facts.get(key)
        if old is None or confidence > old.confidence:
            self.facts[key] = fact

    def trim(self, start: int, end: int) -> tuple[int, int]:
        text = self.doc.text
        while start < end and text[start] in " \t\n،,\"'«»":
            start += 1
        while end > start and text[end - 1] in " \t\n،,\"'«»":
            end -= 1
        return start, end


def _positions(a: Analysis, table: str, first: int, last: int) -> list[tuple[int, int]]:
    t = phrase_tables()[table]
    out, i = [], first
    while i <= last:
        hit = t.at(a.tokens, i)
        if hit:
            out.append((i, i + hit[0] - 1))
            i += hit[0]
        else:
            i += 1
    return out


def _span(a: Analysis, *items) -> tuple[int, int]:
    starts, ends = [], []
    for it in items:
        if it is None:
            continue
        if isinstance(it, Mention):
            starts.append(it.start)
            ends.append(it.end)
        else:
            starts.append(a.tokens[it[0]].start)
            ends.append(a.tokens[it[1]].end)
    return min(starts), max(ends)


def extract_facts(doc: Document, gazetteer: Gazetteer) -> DocumentFacts:
    """All facts of one document, deduplicated, in a deterministic order."""
    a = analyze(doc, gazetteer)
    ctx = _Context(a)
    t = triggers()
    head_roles = set(t["head_roles"])
    ms = a.mentions

    # 1. heads of state: "الرئيس المصري <name>", "رئيس جمهورية <state>، فخامة <name>", "Chinese President <name>"
    for idx, m in enumerate(ms):
        if m.kind == "person" and m.entry is None and m.attrs.get("state") is not None \
                and m.attrs.get("role") in head_roles:
            state = ctx.lexical(m.attrs["state"])
            person = ctx.entity(m)
            ctx.heads.setdefault(state.iri, person)
            ctx.add(person, "headOf", state, *_span(a, m.attrs["state"], m), 0.9, "role-state-name")
        elif m.kind == "role" and m.attrs.get("state") is not None and m.attrs.get("role") in head_roles:
            nxt = next((o for o in ms[idx + 1:idx + 4] if o.kind == "person" and o.first - m.last <= 3), None)
            if nxt is not None:
                state = ctx.lexical(m.attrs["state"])
                person = ctx.entity(nxt)
                ctx.heads.setdefault(state.iri, person)
                ctx.add(person, "headOf", state, *_span(a, m, nxt), 0.9, "role-state-name")
        elif m.kind == "entity" and m.type == "State":
            nxt = next((o for o in ms[idx + 1:idx + 3] if o.first == m.last + 1), None)
            if nxt is not None and nxt.kind == "person":
                lo = max(0, m.first - 6)
                roles = [r for r in range(lo, m.first) if phrase_tables()["roles"].at(a.tokens, r)
                         or phrase_tables()["speakers"].at(a.tokens, r)]
                if roles:
                    state, person = ctx.lexical(m), ctx.entity(nxt)
                    ctx.heads.setdefault(state.iri, person)
                    ctx.add(person, "headOf", state, *_span(a, m, nxt), 0.85, "state-adjective-name")

    def persons_in(first, last) -> list[Entity]:
        out = []
        for m in ms:
            if first <= m.first and m.last <= last and m.kind in ("person", "role"):
                e = ctx.entity(m)
                if e is not None and e not in out:
                    out.append(e)
        return out

    def speaker_for(first: int, last: int) -> list[Entity]:
        """Who says what a sentence reports: the document's joint statement if there is one."""
        if ctx.main_statement is not None:
            e = ctx.entity(ctx.main_statement)
            return [e] if e else []
        states = [ctx.entity(m) for m in ms if first <= m.first <= last and m.kind == "entity" and m.type == "State"]
        sides = [m for m in ms if first <= m.first <= last and m.kind == "sides"]
        if sides:
            states = ctx.sides() or states
        return [s for s in dict.fromkeys(states) if s]

    # 2. events: their place and date from their name or clause, so that mentions of one
    #    event ("القمة ... التي عقدت في <city>", later "قمة <city>") resolve to one IRI
    expanded: dict[int, list[Mention]] = {}
    for (first, last) in a.sentences:
        sent = [m for m in ms if first <= m.first and m.last <= last]
        events = [m for m in sent if m.kind == "event"]
        expanded[first] = _expand_plural_events(a, events)
        for ev in expanded[first]:
            _event_details(a, ev, sent, last)
            ctx.event(ev)

    # 3. sentence rules
    for (first, last) in a.sentences:
        sent = [m for m in ms if first <= m.first and m.last <= last]
        if not sent:
            continue
        instruments = [m for m in sent if m.kind == "instrument" and not m.attrs.get("anaphoric")]
        events = [m for m in sent if m.kind == "event"]
        years_events = expanded[first]

        # events: place and date
        for ev in years_events:
            e = ctx.event(ev)
            place, date = ev.attrs.get("place"), ev.attrs.get("date")
            if place is not None:
                if isinstance(place, Mention):
                    ctx.add(e, "heldIn", ctx.lexical(place), *_span(a, ev, place)
                            if place.end - ev.start < _MAX_EVIDENCE else _span(a, place), 0.8, "event-held-in-place")
                else:
                    ctx.add(e, "heldIn", ctx.remember(Entity(place.iri, "Place", place.label(ctx.lang), ctx.lang,
                                                             place.wikidata)), *_span(a, ev), 0.85, "event-name-place")
            if date is not None:
                d0, d1, d = date
                ctx.add(e, "date", (d.value, d.datatype), *_span(a, (d0, d1), ev)
                        if abs(a.tokens[d1].end - ev.start) < _MAX_EVIDENCE else _span(a, (d0, d1)),
                        0.8, "event-date")
                ctx.event_dates.setdefault(e.iri, (d.value, d.datatype, d0, d1))
            # participants: persons and "the two sides" in the sentence
            if ev.attrs.get("event_kind") in ("talks", "visit", "meeting", "summit", "conference", "session"):
                for m in sent:
                    named = m.kind == "role" and any(o.kind == "person" and 0 < o.first - m.last <= 3 for o in sent)
                    if m.kind in ("person", "role") and not named and abs(m.first - ev.first) <= 25:
                        p = ctx.entity(m)
                        if p is not None:
                            ctx.add(p, "participatedIn", e, *_span(a, ev, m) if abs(m.end - ev.start) < _MAX_EVIDENCE
                                    else _span(a, ev), 0.7, "person-at-event")
                    if m.kind == "sides" and 0 < m.first - ev.last <= 3:
                        for p in (ctx.heads.get(s.iri) for s in ctx.sides()):
                            if p is not None:
                                ctx.add(p, "participatedIn", e, *_span(a, ev, m), 0.7, "sides-at-event")

        # instruments: topics named in their titles, validity ranges
        for ins in instruments:
            e = ctx.entity(ins)
            for m in sent:
                if m.kind == "entity" and m.type == "Topic" and ins.first < m.first and m.last <= ins.last and e:
                    ctx.add(e, "concernsTopic", ctx.lexical(m), *_span(a, m), 0.8, "topic-in-title")
            for d in ins.attrs.get("years") or []:
                if d.end_value:
                    ctx.add(e, "validFrom", (d.value, "xsd:gYear"), d.start, d.end, 0.9, "title-period")
                    ctx.add(e, "validTo", (d.end_value, "xsd:gYear"), d.start, d.end, 0.9, "title-period")

        # signing
        for (s0, s1) in _positions(a, "rel:signed", first, last):
            targets = _listed([m for m in instruments if _near(m, s0, s1, a)], instruments)
            for ins in targets:
                e = ctx.entity(ins)
                if e is None:
                    continue
                for party, how in _parties(a, ctx, ins, sent):
                    if how == "collective":
                        ctx.add(party, "partyTo", e, *_span(a, ins), 0.6, "member-states-of-org")
                    else:
                        ctx.add(party, "signed", e, *_span(a, ins), 0.8, "signing")
                # a date right after the signing words, or the event the signing happened during
                anchor = s1 if ins.last < s0 else ins.last
                dated = [(d0, d1, d) for (d0, d1, d) in a.dates if anchor < d0 <= anchor + 5 and not d.end_value
                         and not any(a.clause_break(k) for k in range(anchor + 1, d0 + 1))]
                if not dated and ins.first > s1:
                    # "وقعت مصر والسعودية، أمس الأحد، مذكرة تفاهم" / "signed on 8 May 2015 an agreement"
                    dated = [(d0, d1, d) for (d0, d1, d) in a.dates if s1 < d0 and d1 < ins.first and not d.end_value]
                if not dated:
                    # "Earlier, on 8 May 2015, the two governments signed an agreement"
                    before = [(d0, d1, d) for (d0, d1, d) in a.dates if first <= d0 and d1 < min(s0, ins.first)
                              and min(s0, ins.first) - d1 <= 8 and not d.end_value and len(d.value) >= 7]
                    dated = before[-1:]
                if dated:
                    d0, d1, d = dated[0]
                    ctx.add(e, "date", (d.value, d.datatype), *_span(a, (d0, d1), (s0, s1)), 0.8, "signed-on-date")
                for ev in events:
                    during = _positions(a, "rel:during", max(first, ev.first - 4), ev.first - 1)
                    if during and (abs(ev.first - s1) <= 6 or 0 < ev.first - ins.last <= 8):
                        ev_e = ctx.event(ev)
                        ctx.add(e, "adoptedAt", ev_e, *_span(a, (s0, s1), ev), 0.7, "signed-during-event")
                        if ev_e.iri in ctx.event_dates:
                            v, dtp, _, _ = ctx.event_dates[ev_e.iri]
                            ctx.add(e, "date", (v, dtp), *_span(a, (s0, s1), ev), 0.7, "signed-during-event")

        # adoption
        for (s0, s1) in _positions(a, "rel:adopted", first, last):
            targets = _listed([m for m in sent if m.kind == "instrument" and _near(m, s0, s1, a)],
                              instruments)
            for ins in targets:
                e = ctx.entity(ins)
                if e is None:
                    continue
                for ev in events:
                    if ev.first > s1 and ev.first - s1 <= 3:
                        ev_e = ctx.event(ev)
                        ctx.add(e, "adoptedAt", ev_e, *_span(a, (s0, s1), ev), 0.85, "adopted-at-event")
                        if ev_e.iri in ctx.event_dates:
                            v, dtp, d0, d1 = ctx.event_dates[ev_e.iri]
                            ctx.add(e, "date", (v, dtp), *_span(a, (s0, s1), (d0, d1))
                                    if abs(a.tokens[d1].end - a.tokens[s0].start) < _MAX_EVIDENCE else _span(a, (d0, d1)),
                                    0.7, "adopted-at-dated-event")
                adopters = [m for m in sent if m.kind == "sides" and abs(m.first - s1) <= 2 and m.attrs.get("speaker")]
                if adopters and ins.first > s1:
                    for state in ctx.sides():
                        ctx.add(state, "partyTo", e, *_span(a, (s0, s1), ins), 0.8, "adopted-by-sides")
                states = [m for m in sent if m.kind == "entity" and m.type == "State" and 0 < m.first - s1 <= 4]
                for st in states:
                    ctx.add(ctx.lexical(st), "partyTo", e, *_span(a, (s0, s1), st), 0.75, "adopted-by-state")
                if ins.first > s1 and not adopters and not states:
                    # "Putin and Xi adopted a joint statement": the heads' states are its parties
                    for m in sent:
                        if m.kind == "person" and 0 < s0 - m.last <= 12:
                            p = ctx.entity(m)
                            for state_iri, head in ctx.heads.items():
                                if head == p:
                                    state = ctx.entities.get(state_iri)
                                    if state is not None:
                                        ctx.add(state, "partyTo", e, *_span(a, m, (s0, s1)), 0.7, "adopted-by-heads")

        # calls, welcomes and principles, said by the statement (or the states) the text reports
        speakers = None
        for rel, table in (("calledFor", "rel:called"), ("welcomed", "rel:welcomed")):
            for (s0, s1) in _positions(a, table, first, last):
                lo, hi = s1 + 1, min(last, s1 + 40)
                objs = [m for m in sent if lo <= m.first <= hi and (
                    (m.kind == "entity" and m.type in ("InternationalOrganization", "Forum"))
                    or (m.kind == "instrument" and m.type == "Convention"))]
                if not objs:
                    continue
                speakers = speakers if speakers is not None else speaker_for(first, last)
                for o in objs:
                    oe = ctx.entity(o)
                    for sp in speakers:
                        ctx.add(sp, rel, oe, *_span(a, o) if o.end - a.tokens[s0].start > _MAX_EVIDENCE
                                else _span(a, (s0, s1), o), 0.7, f"{rel}-trigger")
        principles = [m for m in sent if m.kind == "entity" and m.type == "Principle"]
        if principles:
            has_statement = ctx.main_statement is not None
            local = [ctx.entity(m) for m in instruments if not m.generic]
            subjects = speaker_for(first, last) if has_statement else [x for x in local if x]
            if not subjects and not has_statement:
                subjects = speaker_for(first, last)  # "أكد الجانبان على ... سيادة الدول": the states say it
            for p in principles:
                for sp in subjects:
                    ctx.add(sp, "promotesPrinciple", ctx.lexical(p), *_span(a, p), 0.7, "principle-in-statement")

        # membership: STATE ... member ... ORG
        for (s0, s1) in _positions(a, "rel:member", first, last):
            orgs = [m for m in sent if m.kind == "entity" and m.type in ("InternationalOrganization", "Forum")
                    and 0 < m.first - s1 <= 3]
            states = [m for m in sent if m.kind == "entity" and m.type == "State" and 0 < s0 - m.last <= 12]
            sides = [m for m in sent if m.kind == "sides" and 0 < s0 - m.last <= 4]
            if orgs and (states or sides):
                subjects = ctx.sides() if sides and (not states or sides[-1].first > states[-1].first) \
                    else [ctx.lexical(m) for m in _coordinated(states)]
                listed = [orgs[0]]
                for m in sent:
                    if m.kind == "entity" and m.type in ("InternationalOrganization", "Forum") \
                            and 0 < m.first - listed[-1].last <= 2:
                        listed.append(m)
                for subject in subjects:
                    for org in listed:
                        ctx.add(subject, "memberOf", ctx.lexical(org),
                                *_span(a, (s0, s1), org), 0.8, "state-member-of-org")

        # hosting: host ... ORG/EVENT, the host being the state named in the sentence
        for (s0, s1) in _positions(a, "rel:hosts", first, last):
            hosted = [m for m in sent if m.kind in ("entity", "event", "org") and m.type in
                      ("InternationalOrganization", "Forum", "Event", "Organization") and 0 < m.first - s1 <= 3
                      or m.kind == "event" and 0 < m.first - s1 <= 5]
            states = [m for m in sent if m.kind == "entity" and m.type == "State"
                      and not any(o.first <= m.first <= o.last for o in hosted)]
            if hosted and states:
                host = min(states, key=lambda m: abs(m.first - s0))
                h = next((m for m in hosted if m.kind == "event"), hosted[0])
                he = ctx.event(h) if h.kind == "event" else ctx.entity(h)
                ctx.add(ctx.lexical(host), "hosts", he, *_span(a, (s0, s1), h), 0.75, "host-state")
                place = next((m for m in sent if m.kind == "entity" and m.type == "Place"
                              and 0 < m.first - h.last <= 2), None)
                if place is not None:
                    ctx.add(he, "heldIn", ctx.lexical(place), *_span(a, h, place), 0.7, "hosted-in-place")

        # proposals: PERSON/STATE proposed FORUM/INSTRUMENT/EVENT
        for (s0, s1) in _positions(a, "rel:proposed", first, last):
            agents = [m for m in sent if m.kind in ("person", "role") and abs(m.first - s0) <= 10]
            objs = [m for m in sent if m.kind in ("forum", "instrument") and s1 < m.first <= s1 + 25]
            if agents and objs:
                ag = ctx.entity(agents[-1] if agents[-1].kind == "person" else agents[0])
                for o in objs[:1]:
                    ctx.add(ag, "proposed", ctx.entity(o), *_span(a, (s0, s1), o), 0.75, "proposed")
                    for ev in events:
                        if ev.last < s0:
                            ctx.add(ag, "participatedIn", ctx.event(ev), *_span(a, ev, (s0, s1)), 0.7,
                                    "proposed-at-event")

    facts = sorted(ctx.facts.values(), key=lambda f: (f.start, f.relation, f.subject.iri, str(f.object)))
    return DocumentFacts(doc=doc, facts=facts, entities=ctx.entities, analysis=a)


def _near(m: Mention, s0: int, s1: int, a: Analysis) -> bool:
    """An instrument the trigger speaks of: right after it, or just before it in the same clause."""
    if m.first > s1:
        return m.first - s1 <= 12
    t = phrase_tables()
    between = range(m.last + 1, s0)
    if s0 - m.last <= 3 and all(t["stops"].at(a.tokens, k) or t["function"].at(a.tokens, k) for k in between):
        return True  # "الاتفاقية، الموقعة في ...", "..., التي أقرت", "the agreement that was signed"
    return s0 - m.last <= 3 and not any(a.clause_break(k) for k in range(m.last + 1, s0 + 1))


def _parties(a: Analysis, ctx: _Context, ins: Mention, sent: list[Mention]):
    """Who signed an instrument: the parties its title names ("بين A و B"), else the states
    of the sentence (outside instrument titles), else the document's two sides."""
    inner = [m for m in sent if ins.first < m.first and m.last <= ins.last]
    between_words = set(triggers()["between"])
    between = [i for i in range(ins.first, ins.last + 1) if a.tokens[i].norm in between_words]
    if between:
        after = [m for m in inner if m.first > between[0]]
        if any(phrase_tables()["collectives"].at(a.tokens, i) for i in range(between[0] + 1, min(ins.last, between[0] + 3) + 1)):
            # "between the member states of X": the organization stands for its members
            orgs = [m for m in after if m.kind == "entity" and m.type in ("InternationalOrganization", "Forum")]
            return [(ctx.lexical(orgs[0]), "collective")] if orgs else []
        orgs = [m for m in after if m.kind in ("org", "entity") and m.type in ACTOR_TYPES]
        orgs = [m for m in orgs if not any(o is not m and o.first <= m.first and m.last <= o.last for o in orgs)]
        orgs = [m for m in orgs if not (m.type == "State" and any(o.kind == "org" and 0 < m.first - o.last <= 1
                                                                  for o in orgs))]
        collective = phrase_tables()["collectives"]
        orgs = [m for m in orgs if not any(collective.at(a.tokens, k) for k in range(max(0, m.first - 3), m.first))]
        including = next((i for i in range(ins.last + 1, min(len(a.tokens), ins.last + 3))
                          if phrase_tables()["including"].at(a.tokens, i)), None)
        if including is not None:
            orgs += [m for m in sent if m.kind in ("org", "entity") and m.type in ACTOR_TYPES
                     and 0 < m.first - including <= 4][:1]
        if any(m.kind == "sides" for m in after) or any(
                m.kind == "org" and any(s.kind == "sides" and m.first <= s.first <= m.last for s in after) for m in orgs):
            return [(s, None) for s in ctx.sides()]
        if orgs:
            return [(ctx.entity(m), None) for m in orgs if ctx.entity(m) is not None]
    states = [m for m in sent if m.kind == "entity" and m.type == "State"
              and not any(o.kind == "instrument" and o.first <= m.first <= o.last for o in sent)]
    if states:
        seen = []
        for m in states:
            e = ctx.lexical(m)
            if e not in [x for x, _ in seen]:
                seen.append((e, None))
        return seen
    return [(s, None) for s in ctx.sides()]


def _expand_plural_events(a: Analysis, events: list[Mention]) -> list[Mention]:
    """"قمتي <city> عامي <year> و<year>" is two summits: one event per year, labelled by place and year."""
    out = []
    t = triggers()
    for ev in events:
        if not ev.attrs.get("plural"):
            out.append(ev)
            continue
        years = [(d0, d1, d) for (d0, d1, d) in a.dates if ev.last < d0 <= ev.last + 8 and len(d.value) == 4]
        if len(years) < 2:
            out.append(ev)
            continue
        singular = t["event_singular"]["summit*"].get(a.doc.language, "summit")
        places = ev.attrs.get("places") or []
        for d0, d1, d in years:
            label = " ".join([singular] + [p.label(a.doc.language) for p in places[:1]] + [d.value])
            attrs = dict(ev.attrs, year=d.value, year_mention=(d0, d1), label=label, plural=False)
            out.append(Mention(ev.kind, ev.type, ev.first, ev.last, ev.start, ev.end, label, None, False, attrs))
    return out


def _event_details(a: Analysis, ev: Mention, sent: list[Mention], last: int) -> None:
    """Find an event's place (in its name, or "held in X" after it) and date (after it)."""
    hi = last
    nxt = [o for o in sent if o.first > ev.last and o.kind in ("event", "instrument")]
    if nxt:
        hi = min(hi, nxt[0].first - 1)
    places = [p for p in ev.attrs.get("places") or [] if p.type == "Place"]
    held = _positions(a, "rel:held", ev.last + 1, hi)
    if places:
        ev.attrs["place"] = places[0]
    else:
        for m in sent:
            if m.kind == "entity" and m.type == "Place" and ev.last < m.first <= hi and (held or m.first - ev.last <= 12):
                ev.attrs["place"] = m
                break
    if ev.attrs.get("year"):
        d0, d1 = ev.attrs["year_mention"]
        ev.attrs["date"] = next((x for x in a.dates if x[0] == d0), None)
    else:
        for (d0, d1, d) in a.dates:
            if ev.last < d0 and d1 <= hi and (held or d0 - ev.last <= 15) and not d.end_value:
                ev.attrs["date"] = (d0, d1, d)
                break


def _listed(targets: list[Mention], instruments: list[Mention]) -> list[Mention]:
    """Targets plus the instruments listed after them ("X، وY، وZ")."""
    out = list(targets)
    if not out:
        return out
    prev = max(out, key=lambda m: m.last)
    for m in instruments:
        if m.first > prev.last and m.first - prev.last <= 2 and m not in out:
            out.append(m)
            prev = m
    return out


def _coordinated(states: list[Mention]) -> list[Mention]:
    """The last state and those listed right before it ("مصر والسعودية", "Russia and China")."""
    out = [states[-1]]
    for m in reversed(states[:-1]):
        if out[0].first - m.last <= 2:
            out.insert(0, m)
        else:
            break
    return out
