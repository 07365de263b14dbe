"""Memberships and proposals."""

from __future__ import annotations

from cdkg.graph.facts.context import Context, Sentence
from cdkg.graph.facts.rules import rule
from cdkg.graph.facts.rules.common import agents, body_by_noun, coordinated, triggers
from cdkg.graph.text.phrases import words

_BODY_TYPES = ("InternationalOrganization", "Forum", "Organization")


@rule("member-of")
def member_of(ctx: Context, sent: Sentence) -> None:
    """States named as members of an organization, or as joining it, are ``memberOf`` it.

    "Iran became a full member of the SCO", "عضوية الإمارات في مجلس إدارة الفريق",
    "Египет, Иран, ОАЭ и Эфиопия — новые члены БРИКС" -> STATE memberOf ORG.
    """
    a = ctx.a
    for rel in ("member", "became_member"):
        for pos in triggers(ctx, sent, rel):
            bodies = [m for m in sent.mentions if m.kind in ("entity", "org") and m.type in _BODY_TYPES
                      and 0 < m.first - pos[1] <= 4 and not a.breaks_between(pos[1], m.first)]
            if not bodies:
                bodies = [m for m in sent.mentions if m.kind == "entity" and m.type in _BODY_TYPES
                          and 0 < pos[0] - m.last <= 2]
            if not bodies:  # "new members of the initiative", "вступил в организацию": the body named before
                ref = body_by_noun(ctx, pos[1] + 1)
                bodies = [ref] if ref is not None else []
            among = not bodies and _among_members(ctx, sent, pos)
            if among:
                bodies, members = among
            if not bodies:
                continue
            if not among:
                members = [m for m in agents(ctx, sent, pos) if m.type == "State" or m.kind == "sides"]
            if not members:  # "مصر والسعودية عضوان في ...": the states just before the word
                before = [m for m in sent.mentions if (m.kind == "entity" and m.type == "State" or m.kind == "sides")
                          and 0 < pos[0] - m.last <= 8 and not a.breaks_between(m.last, pos[0])]
                if before:
                    members = [m for m in before if before[-1].first - m.last <= 12]
            if not members:  # "членами ... X", "вступления в ШОС Индии и Пакистана": the states after the body
                after = [m for m in sent.of("entity") if m.type == "State" and 0 < m.first - bodies[0].last <= 8]
                states = [m for m in sent.of("entity") if m.type == "State"]
                members = coordinated(a, after[0], states, forward=True) if after else []
            # "Кыргызстан входит в ОДКБ наряду с Арменией, Беларусью ...": those listed along with them too
            for p0, p1 in triggers(ctx, sent, "along_with"):
                first = next((m for m in sent.of("entity") if m.type == "State" and 0 < m.first - p1 <= 2), None)
                if first is not None and members and p0 > max(bodies[0].last, pos[1]) - 1:
                    members = members + [m for m in coordinated(a, first, [x for x in sent.of("entity")
                                                                            if x.type == "State"], forward=True)
                                         if m not in members]
            listed = [bodies[0]]
            for o in sent.mentions:  # "членами ШОС и ОДКБ", "members of the SCO and the CSTO"
                if o.kind in ("entity", "org") and o.type in _BODY_TYPES and 0 < o.first - listed[-1].last <= 2 \
                        and not a.breaks_between(listed[-1].last, o.first) or o.kind in ("entity", "org") \
                        and o.type in _BODY_TYPES and 0 < o.first - listed[-1].last <= 2 \
                        and a.gaps[o.first].strip() in (",", "،"):
                    listed.append(o)
            for m in members:
                for me in ctx.actor_entities(m):
                    for body in listed:
                        ctx.add(me, "memberOf", ctx.entity(body), ctx.span(m, pos, body), 0.7, "member-of")


def _among_members(ctx: Context, sent: Sentence, pos) -> list:
    """"Australia, India and Japan are among the longer-standing members": no body named, the
    one the report names most (the first of those named as often); "The group ... counts among
    its members": the body of the subject's noun. The states listed just before, or just after
    ("... among its members the United States, Russia"), are its members. Returns (bodies,
    members), or an empty list."""
    a = ctx.a
    if not any(a.tokens[k].norm == "among" for k in range(max(sent.first, pos[0] - 4), pos[0])):
        return []
    if pos[0] > 0 and a.tokens[pos[0] - 1].norm == "its":
        ref = body_by_noun(ctx, sent.first)
        bodies = [ref] if ref is not None else []
    else:
        counts: dict = {}
        for m in a.mentions:
            if m.kind == "entity" and m.type in ("InternationalOrganization", "Forum"):
                counts.setdefault(m.entry.iri, [0, m])[0] += 1
        ranked = sorted(counts.values(), key=lambda c: (-c[0], c[1].first))
        bodies = [ranked[0][1]] if ranked else []
    states = [m for m in sent.of("entity") if m.type == "State"]
    after = next((m for m in states if 0 < m.first - pos[1] <= 2), None)
    before = [m for m in states if 0 < pos[0] - m.last <= 6 and not a.breaks_between(m.last, pos[0])]
    members = coordinated(a, after, states, forward=True) if after is not None else (
        coordinated(a, before[-1], states, forward=False) if before else [])
    return (bodies, members) if bodies and members else []


@rule("proposed")
def proposed(ctx: Context, sent: Sentence) -> None:
    """Who proposed an instrument, a forum or an event.

    "Uzbekistan proposed an SCO expert forum on information security" -> Uzbekistan proposed
    the forum; the object may come first in Russian ("инициативу о разработке договора Россия
    выдвинула в 2019 году" -> Россия proposed the initiative).
    """
    for pos in triggers(ctx, sent, "proposed"):
        objs = [m for m in sent.mentions if m.kind in ("instrument", "event") and 0 < m.first - pos[1] <= 12]
        who = [m for m in agents(ctx, sent, pos) if m.kind in ("entity", "person", "role", "sides")]
        if not objs and who and ctx.lang == "ru" and pos[0] - who[-1].last <= 1:
            # "инициативу о разработке договора Россия выдвинула": the object put first
            objs = [m for m in sent.of("instrument") if 0 < who[0].first - m.last <= 8
                    and not ctx.a.breaks_between(m.last, who[0].first)]
        if not objs or not who:
            continue
        for w in who:
            for we in ctx.actor_entities(w):
                ctx.add(we, "proposed", ctx.entity(objs[0]), ctx.span(w, pos, objs[0]), 0.7, "proposed")


@rule("proposed-by")
def proposed_by(ctx: Context, sent: Sentence) -> None:
    """An instrument or event, then who put it forward: "proposed by", "предложенной", or an
    Arabic relative verb with the object's pronoun ("المبادرة العالمية لأمن البيانات التي طرحتها
    الصين" -> China proposed the initiative); in Russian the participle may come first
    ("внесенный Россией проект резолюции" -> Россия proposed the resolution).
    """
    a = ctx.a
    for pos in triggers(ctx, sent, "proposed_by"):
        objs = [m for m in sent.mentions if m.kind in ("instrument", "event") and 0 <= pos[0] - m.last <= 4
                and not a.breaks_between(m.last, pos[0]) or m.kind in ("instrument", "event")
                and 0 < pos[0] - m.last <= 2]
        who = [m for m in sent.mentions if m.kind in ("entity", "org", "person", "role", "sides")
               and (m.type in ("State", "InternationalOrganization", "Forum", "Organization", "Person")
                    or m.kind == "sides") and 0 < m.first - pos[1] <= 6
               and not (m.kind == "role" and m.attrs.get("person") is not None)]
        if not objs and who and ctx.lang == "ru":
            # "внесенный Россией проект резолюции": the participle, its agent, then what was put forward
            agent = min(who, key=lambda m: m.first)
            objs = [m for m in sent.of("instrument") if 0 < m.first - agent.last <= 2
                    and not a.breaks_between(agent.last, m.first)][:1]
        if not objs or not who:
            continue
        first = min(who, key=lambda m: m.first)
        for we in ctx.actor_entities(first):
            ctx.add(we, "proposed", ctx.entity(objs[-1]), ctx.span(objs[-1], pos, first), 0.7, "proposed-by")


@rule("members-in-apposition")
def members_in_apposition(ctx: Context, sent: Sentence) -> None:
    """States listed and then named as the countries of an organization are its members.

    "Ruritania, Freedonia and Sylvania, the three BRICS nations, ..." -> each memberOf BRICS;
    "страны ШОС — Россия, Китай и Индия" -> each memberOf the SCO.
    """
    a = ctx.a
    for pos in triggers(ctx, sent, "member_nouns"):
        body = next((m for m in sent.mentions if m.kind in ("entity", "org") and m.type in _BODY_TYPES
                     and (0 <= pos[0] - m.last <= 2 or 0 < m.first - pos[1] <= 2)), None)
        if body is None:
            continue
        lo = min(pos[0], body.first)
        before = [m for m in sent.of("entity") if m.type == "State" and 0 < lo - m.last <= 3
                  and any(c in a.gaps[m.last + 1] for c in ",،–—-")]
        hi = max(pos[1], body.last)
        after = [m for m in sent.of("entity") if m.type == "State" and 0 < m.first - hi <= 3
                 and any(c in a.gaps[hi + 1] for c in "—–-:")]
        for first in (before[-1:] or after[:1]):
            listed = [m for m in agents(ctx, sent, (first.last + 1, first.last + 1)) if m.type == "State"] \
                if before else [first]
            for m in listed:
                ctx.add(ctx.entity(m), "memberOf", ctx.entity(body), ctx.span(m, body), 0.65, "members-in-apposition")


@rule("chair-member")
def chair_member(ctx: Context, sent: Sentence) -> None:
    """A state that chairs an organization or forum it names is a member of it.

    "Кыргызской Республики, которая в этом году возглавляет ШОС" -> Киргизия memberOf ШОС;
    "по линии АСЕАН, в которой Лаос председательствует" -> Лаос memberOf АСЕАН; "в рамках ее
    председательства в ШОС" (after "организованном Индией") -> Индия memberOf ШОС.
    """
    a = ctx.a
    for pos in triggers(ctx, sent, "chairs"):
        after = [m for m in sent.mentions if m.kind == "entity" and m.type in ("InternationalOrganization", "Forum")
                 and 0 < m.first - pos[1] <= 3 and not a.breaks_between(pos[1], m.first)]
        body = after[0] if after else None
        if body is None:
            # "АСЕАН, в которой Лаос председательствует": the body the relative clause hangs on
            rel = next((k for k in range(max(sent.first, pos[0] - 6), pos[0]) if a.tokens[k].norm in words("relative_pronouns")), None)
            if rel is not None:
                body = next((m for m in sent.mentions if m.kind == "entity" and m.type in ("InternationalOrganization", "Forum")
                             and 0 < rel - m.last <= 2), None)
        if body is None:
            continue
        states = [m for m in sent.mentions if m.kind == "entity" and m.type == "State" and m.last < pos[0]
                  and pos[0] - m.last <= 8 and not (body.first <= m.first <= body.last)]
        state = states[-1] if states else None
        if state is not None and a.breaks_between(state.last, pos[0]):
            # "Кыргызской Республики, которая ... возглавляет": across the comma only into a relative clause
            rel = next((k for k in range(state.last + 1, pos[0]) if a.tokens[k].norm in words("relative_pronouns")), None)
            state = state if rel is not None and not a.breaks_between(rel, pos[0]) else None
        if state is None and pos[0] > 0 and a.tokens[pos[0] - 1].norm in words("possessives"):
            # "в рамках ее председательства в ШОС": the state named last before
            earlier = [m for m in a.mentions if m.kind == "entity" and m.type == "State" and m.last < pos[0]
                       and a.sentence_of(m.first) == (sent.first, sent.last)]
            state = earlier[-1] if earlier else None
        if state is None:
            continue
        for se in ctx.actor_entities(state):
            ctx.add(se, "memberOf", ctx.entity(body), ctx.span(state, pos, body), 0.6, "chair-member")


_SHARED = (("acceded", "partyTo"), ("signed", "partyTo"), ("member", "memberOf"), ("became_member", "memberOf"))


@rule("listed-alongside")
def listed_alongside(ctx: Context, sent: Sentence) -> None:
    """States listed alongside a state that is party to an instrument or member of a body, in a
    sentence about ratifying, signing or membership, are so too.

    "Mauritania lodged its ratification, joining Angola, Benin and Chad, which had ratified
    earlier" (Mauritania partyTo the convention) -> Angola, Benin, Chad partyTo it.
    """
    a = ctx.a
    relations = {rel for table, rel in _SHARED if triggers(ctx, sent, table)}
    if not relations:
        return
    states = [m for m in sent.of("entity") if m.type == "State"]
    for p0, p1 in triggers(ctx, sent, "along_with"):
        after = next((m for m in states if 0 < m.first - p1 <= 2), None)
        before = [m for m in states if 0 < p0 - m.last <= 12]
        if after is None or not before:
            continue
        sides = (coordinated(a, before[-1], states, forward=False), coordinated(a, after, states, forward=True))
        for known, listed in (sides, sides[::-1]):
            iris = {e.iri for m in known for e in ctx.actor_entities(m)}
            for f in list(ctx.facts.values()):
                if f.relation not in relations or f.subject.iri not in iris:
                    continue
                for m in listed:
                    for me in ctx.actor_entities(m):
                        ctx.add(me, f.relation, f.object, ctx.span(known[0], (p0, p1), m), 0.6, "listed-alongside")
