"""Instruments and their parties: signing, accession, adoption, parties named in a title,
dates and validity periods."""

from __future__ import annotations

from cdkg.graph.facts.context import Context, Sentence
from cdkg.graph.facts.rules import rule
from cdkg.graph.facts.rules.common import agents, date_near, dates, near, places, recent_instrument, triggers
from cdkg.graph.text.phrases import words


def _targets(ctx: Context, sent: Sentence, pos, after=15, before=8):
    """The instruments a trigger speaks of, and those listed after them ("X، وY، وZ")."""
    pool = [m for m in sent.of("instrument") if not m.attrs.get("hypothetical") and not any(
        o.kind == "instrument" and o is not m and o.first <= m.first and m.last <= o.last for o in sent.mentions)]
    ins = [m for m in pool if near(m, pos, after, before)]
    if not ins:
        return ins
    a = ctx.a
    last = max(ins, key=lambda m: m.last)
    for m in pool:
        if m.first > last.last and m.first - last.last <= 2 and m not in ins and all(
                a.tokens[k].norm in ("و", "and", "и", "as", "well") for k in range(last.last + 1, m.first)):
            ins.append(m)
            last = m
    return ins


def title_parties(ctx: Context, m) -> list:
    """Parties a title names: "between A and B", "A-B agreement", "مع X" right after it."""
    a = ctx.a
    inner = [o for o in a.mentions if m.first <= o.first and o.last <= m.last and o is not m
             and o.kind in ("entity", "org", "sides") and (o.type in ("State", "InternationalOrganization",
                                                                      "Organization", "Forum") or o.kind == "sides")]
    inner = [o for o in inner if not any(x is not o and x.first <= o.first and o.last <= x.last for x in inner)]
    between = next((i for i in range(m.first, m.last + 1) if a.tokens[i].norm in ("between", "между", "بين")), None)
    if between is not None:
        return [o for o in inner if o.first > between]
    # "the Russia-China agreement", "российско-индонезийское соглашение", "بيان مشترك سعودي بريطاني"
    head = m.attrs.get("head") or (m.last, m.last)
    states = [o for o in inner if o.type == "State" and (o.last < head[0] or ctx.lang == "ar" and o.first > head[1])]
    if len(states) >= 2:
        return states
    return []


@rule("signing")
def signing(ctx: Context, sent: Sentence) -> None:
    """Persons who sign an instrument ``signed`` it; the states or bodies that are its sides
    are ``partyTo`` it; the date of the signing dates it.

    "Japan and Singapore inked a memorandum of cooperation on Monday" -> Japan partyTo MoC,
    Singapore partyTo MoC, MoC date 2017-09-18; "signed by Ana Novak and Ivo Berg" -> both
    signed.
    """
    for pos in triggers(ctx, sent, "signed"):
        # verb first in Arabic: "وقع ... [the signers, their titles] ... مذكرة تفاهم"
        targets = _targets(ctx, sent, pos, after=32 if ctx.lang == "ar" else 15)
        if not targets and sent.of("person"):
            # "Signing for Kuwait was the head of the centre, Muhammad Buarki": the instrument named before
            earlier = [m for m in ctx.instruments if m.last < sent.first and not m.attrs.get("hypothetical")]
            targets = earlier[-1:]
        if not targets:
            continue
        persons, parties = _signers(ctx, sent, pos, targets)
        for ins in targets:
            e = ctx.entity(ins)
            named = title_parties(ctx, ins)
            for p in persons:
                ctx.add(ctx.entity(p), "signed", e, ctx.span(p, ins), 0.8, "signing")
            for party in named or parties:
                for pe in ctx.actor_entities(party):
                    ctx.add(pe, "partyTo", e, ctx.span(party, ins) if party.first >= sent.first else ctx.span(ins),
                            0.8, "signing-party")
            d = date_near(ctx, sent, pos[1], window=20)
            if d is not None:
                d0, d1, dm = d
                ctx.add(e, "date", (dm.value, dm.datatype), ctx.span((d0, d1), pos), 0.75, "signing-date")
            _signed_at_event(ctx, sent, pos, ins, e)


def _signers(ctx: Context, sent: Sentence, pos, targets):
    a = ctx.a
    titles = [(m.first, m.last) for m in sent.mentions if m.kind in ("instrument", "event") and not m.generic]
    inside = lambda m: any(f <= m.first and m.last <= l for f, l in titles)  # noqa: E731
    witnessed = [i for i in range(sent.first, sent.last + 1) if a.at("presence", i) is not None]
    persons = [m for m in sent.of("person") if not inside(m)
               and not any(0 < m.first - w <= 12 and not a.breaks_between(w, m.first) for w in witnessed)]
    located = {id(p) for p in places(ctx, sent)} | {  # "signed at the Council of Europe": where, not who
        id(m) for m in sent.mentions if m.first > sent.first and a.tokens[m.first - 1].norm == "at"
        or m.first > sent.first + 1 and a.tokens[m.first - 2].norm == "at" and a.tokens[m.first - 1].norm == "the"}
    actors = [m for m in sent.mentions if m.kind in ("entity", "sides") and (m.type in ("State",
              "InternationalOrganization") or m.kind == "sides") and not inside(m) and id(m) not in located]
    states = [m for m in actors if m.type == "State" or m.kind == "sides"]
    parties = states or [m for m in actors]
    # the bodies that sign ("the Cyber Security Council and the US Treasury concluded a memorandum",
    # "وقعت الوكالة الوطنية للأمن السيبراني ووزارة الأمن الداخلي"): sides with their states
    first_target = min(m.first for m in targets)
    bodies = [m for m in sent.of("org") if not inside(m) and not m.generic and m.last < first_target and (
        0 < pos[0] - m.last <= 14 or ctx.lang == "ar" and 0 <= m.first - pos[1] <= 12)
        and not a.breaks_between(min(m.last, pos[0]), max(m.first, pos[1]))
        and not any(p.first <= m.last and m.first <= p.last for p in sent.of("person"))]
    if not parties and not persons:
        parties = [m for m in sent.of("org") if not inside(m) and not m.generic]
    elif bodies:
        parties = parties + bodies
    if not parties and not persons and ctx.pair and any(m.kind == "sides" for m in a.mentions):
        parties = [m for m in a.mentions if m.kind == "sides"][:1]  # a bilateral report: the two sides
    return persons, _dedupe(parties)


def _dedupe(ms):
    seen, out = set(), []
    for m in ms:
        k = (m.kind, m.entry.iri if m.entry is not None else m.text)
        if k not in seen:
            seen.add(k)
            out.append(m)
    return out


def _signed_at_event(ctx: Context, sent: Sentence, pos, ins, e) -> None:
    a = ctx.a
    for ev in sent.of("event"):
        if ev.first <= ins.first <= ev.last:
            continue
        if a.find("sidelines", max(sent.first, ev.first - 5), ev.first - 1):
            continue
        during = a.find("rel:during", max(sent.first, ev.first - 5), ev.first - 1)
        if during and (abs(ev.first - pos[1]) <= 12 or abs(ev.first - ins.last) <= 12):
            ctx.add(e, "adoptedAt", ctx.entity(ev), ctx.span(pos, ev), 0.7, "signed-during-event")


@rule("title-parties")
def title_parties_rule(ctx: Context, sent: Sentence) -> None:
    """The sides a title names are parties, signed or not.

    "An intergovernmental agreement between Russia and Nicaragua on cooperation ..." ->
    Russia partyTo it, Nicaragua partyTo it.
    """
    for ins in sent.of("instrument"):
        if ins.generic:
            continue
        e = ctx.entity(ins)
        for party in title_parties(ctx, ins):
            for pe in ctx.actor_entities(party):
                ctx.add(pe, "partyTo", e, ctx.span(ins), 0.8, "title-parties")


@rule("accession")
def accession(ctx: Context, sent: Sentence) -> None:
    """A state that accedes to, ratifies or joins a convention is a party to it.

    "Fiji acceded to the Budapest Convention", "تونس تنضم إلى اتفاقية بودابست" -> STATE
    partyTo CONVENTION.
    """
    for pos in triggers(ctx, sent, "acceded"):
        targets = [m for m in _targets(ctx, sent, pos, after=10, before=4)]
        if not targets and pos[1] + 1 <= sent.last and ctx.a.tokens[pos[1] + 1].norm in words("object_pronouns") \
                and ctx.main_instrument is not None and not ctx.main_instrument.attrs.get("hypothetical") \
                and ctx.main_instrument.first < pos[0]:
            # "the fifteenth member state to ratify it", "Россия ратифицировала его": the instrument just named
            targets = [recent_instrument(ctx, sent) or ctx.main_instrument]
        if not targets:
            continue
        subjects = [m for m in agents(ctx, sent, pos) if m.type in ("State", "InternationalOrganization")
                    or m.kind == "sides"]
        by = next((k for k in range(targets[0].last + 1, min(sent.last, targets[0].last + 2) + 1)
                   if ctx.a.tokens[k].norm in ("by", "of")), None)
        if by is not None:  # "the ratification of the Convention by Andorra, Chile and Greece"
            listed = [m for m in sent.of("entity") if m.type == "State" and m.first > by]
            subjects = [m for m in listed if m.first - by <= 3 + 3 * listed.index(m)] or subjects
        if not subjects:
            subjects = [m for m in sent.of("entity") if m.type == "State" and m.first < pos[0]][-1:]
        for ins in targets[:1]:
            e = ctx.entity(ins)
            for s in subjects:
                for se in ctx.actor_entities(s):
                    ctx.add(se, "partyTo", e, ctx.span(s, pos, ins), 0.8, "accession")


@rule("adoption")
def adoption(ctx: Context, sent: Sentence) -> None:
    """An instrument adopted or approved at an event is ``adoptedAt`` it, and takes its date.

    "the ministers approved the concept at the meeting in Tashkent" -> concept adoptedAt
    meeting; "На встрече были согласованы 10 документов" -> each adoptedAt the meeting.
    """
    adopted = triggers(ctx, sent, "adopted")
    for pos in adopted + triggers(ctx, sent, "signed"):
        targets = _targets(ctx, sent, pos, after=14, before=10)
        events = [ev for ev in sent.of("event") if not any(t.first <= ev.first <= t.last for t in targets)]
        if targets and not events and pos in adopted and _main_event_adoption(ctx, sent):
            events = [ctx.main_event]  # "Также министры согласовали заявление ...": at the meeting reported
        if not targets or not events:
            continue
        if ctx.a.find("sidelines", sent.first, sent.last):
            continue
        ev = min(events, key=lambda m: abs(m.first - pos[0]))
        for ins in targets:
            ctx.add(ctx.entity(ins), "adoptedAt", ctx.entity(ev), ctx.span(pos, ev) if abs(ev.first - pos[0]) < 30
                    else ctx.span(pos), 0.7, "adopted-at-event")


@rule("adopted-by-body")
def adopted_by_body(ctx: Context, sent: Sentence) -> None:
    """An instrument that an assembly or a committee adopts is ``adoptedAt`` that body.

    "The United Nations General Assembly has adopted the Convention", "Генеральная Ассамблея
    ООН одобрила документ" -> the instrument adoptedAt the General Assembly.
    """
    a = ctx.a
    stems = words("deliberative_body_stems")
    for pos in triggers(ctx, sent, "adopted"):
        bodies = [m for m in agents(ctx, sent, pos) if m.kind in ("entity", "org") and m.type != "State"
                  and any(a.tokens[k].norm.startswith(stems) for k in range(m.first, m.last + 1))]
        if not bodies:
            continue
        targets = _targets(ctx, sent, pos, after=14, before=0)
        if not targets and pos[1] + 1 <= sent.last and a.at("instrument_pronouns", pos[1] + 1) is not None:
            targets = [recent_instrument(ctx, sent) or ctx.main_instrument]
        for ins in [t for t in targets if t is not None][:1]:
            if ins.generic or ins.attrs.get("document_word"):  # "одобрила документ": the one reported on
                main = ctx.main_instrument
                ins = main if main is not None and not main.generic else recent_instrument(ctx, sent) or ins
            ctx.add(ctx.entity(ins), "adoptedAt", ctx.entity(bodies[0]), ctx.span(bodies[0], pos, ins), 0.7,
                    "adopted-by-body")


@rule("adoption-date")
def adoption_date(ctx: Context, sent: Sentence) -> None:
    """An instrument adopted, approved or unveiled on a date its clause gives is dated by it.

    "Leaders of NATO's member states on Friday adopted a Cyber Defence Pledge" -> the pledge's
    date is that Friday; "Macron on Monday unveiled the Paris Call" -> that Monday.
    """
    a = ctx.a
    for pos in triggers(ctx, sent, "adopted"):
        targets = [m for m in _targets(ctx, sent, pos, after=4, before=0) if m.first > pos[1]]
        d = date_near(ctx, sent, pos[0], window=6, exclude=[(m.first, m.last) for m in sent.of("instrument", "event")])
        if not targets or d is None:
            continue
        d0, d1, dm = d
        if dm.end_value or a.breaks_between(min(d1, pos[0]), max(d0, pos[1])):
            continue
        ins = targets[0]
        ctx.add(ctx.entity(ins), "date", (dm.value, dm.datatype), ctx.span((d0, d1), pos, ins), 0.7, "adoption-date")


def _main_event_adoption(ctx: Context, sent: Sentence) -> bool:
    """A sentence with no event, date or place of its own, whose adopters are people ("министры
    согласовали заявление"), adopts at the report's one meeting."""
    main = ctx.main_event
    return main is not None and not main.generic and not dates(ctx, sent) and not places(ctx, sent) \
        and bool(sent.of("role") or sent.of("person"))


@rule("title-period")
def title_period(ctx: Context, sent: Sentence) -> None:
    """A year range in a title is the instrument's period of validity.

    "plan for 2022-2023" -> validFrom 2022, validTo 2023.
    """
    a = ctx.a
    for ins in sent.of("instrument"):
        for d0, d1, d in a.dates:
            if ins.first <= d0 and d1 <= ins.last + 2 and d.end_value and len(d.value) == 4:
                e = ctx.entity(ins)
                ctx.add(e, "validFrom", (d.value, "xsd:gYear"), ctx.span((d0, d1)), 0.9, "title-period")
                ctx.add(e, "validTo", (d.end_value, "xsd:gYear"), ctx.span((d0, d1)), 0.9, "title-period")



@rule("joint-statement-sides", scope="document")
def joint_statement_sides(ctx: Context, sent: None) -> None:
    """A joint statement in a report on two sides, with no party named for it, is theirs.

    "In the statement, Kyiv and Washington backed ..." (a report on the US-Ukraine dialogue) ->
    Ukraine partyTo the joint statement, United States partyTo it.
    """
    if len(ctx.pair) != 2:
        return
    parties = {}
    for f in ctx.facts.values():
        if f.relation in ("partyTo", "signed"):
            parties.setdefault(f.object.iri, []).append(f)
    done = set()
    for m in ctx.instruments:
        if m.type != "JointStatement" or m.attrs.get("hypothetical") or not any(
                w in m.text.lower() for w in words("joint_words")):
            continue
        if any(o.kind == "entity" and o.type in ("InternationalOrganization", "Forum") and m.first <= o.first
               and o.last <= m.last for o in ctx.a.mentions) or ctx.a.find("rel:member_nouns", m.first, m.last):
            continue  # "совместное заявление ... государств – членов организации": a multilateral text
        e = ctx.entity(m)
        if e is None or e.iri in done or parties.get(e.iri):
            continue
        done.add(e.iri)
        for side in ctx.sides():
            ctx.add(side, "partyTo", e, ctx.span(m), 0.5, "joint-statement-sides")

