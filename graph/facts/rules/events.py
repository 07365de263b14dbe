"""Events: where and when they were held, who took part, who hosted them."""

from __future__ import annotations

from cdkg.graph.facts.context import Context, Sentence
from cdkg.graph.facts.rules import rule
from cdkg.graph.facts.rules.common import body_by_noun, coordinated, agents, date_near, listed_persons, places, triggers
from cdkg.graph.text.phrases import words

_PARTICIPANT_TYPES = ("State", "InternationalOrganization", "Organization", "Forum")


def _events(sent: Sentence):
    return [m for m in sent.of("event")]


@rule("event-place")
def event_place(ctx: Context, sent: Sentence) -> None:
    """An event is ``heldIn`` the place its sentence names after a locative, or in its title.

    "the second ASEAN Ministerial Conference on Cybersecurity held in Singapore" ->
    heldIn Singapore; "консультаций в Минске" -> heldIn Минск.
    """
    located = places(ctx, sent)
    for ev in _events(sent):
        inner = [p for p in ctx.a.mentions if p.kind == "entity" and p.type == "Place"
                 and ev.first <= p.first and p.last <= ev.last]
        cands = inner or [p for p in located if not (ev.first <= p.first <= ev.last)]
        if not cands:
            continue
        others = [o for o in _events(sent) if o is not ev]
        def distance(p):
            between = any(min(p.first, ev.first) < o.first < max(p.first, ev.first) for o in others)
            return (between, abs(p.first - ev.last))
        place = min(cands, key=distance)
        if distance(place)[0]:
            continue
        ctx.add(ctx.entity(ev), "heldIn", ctx.entity(place), ctx.span(ev, place), 0.8, "event-place")


@rule("event-date")
def event_date(ctx: Context, sent: Sentence) -> None:
    """An event is dated by the nearest date of its sentence (a range by its first day).

    "the 10th meeting ... on 16–17 April 2024" -> date 2024-04-16.
    """
    evs = _events(sent)
    titled = [(m.first, m.last) for m in sent.of("instrument")]
    for ev in evs:
        d = date_near(ctx, sent, ev.last, window=18, exclude=titled)
        if d is None:
            continue
        d0, d1, dm = d
        nearest = min(evs, key=lambda o: min(abs(o.last - d0), abs(o.first - d1)))
        if nearest is not ev:
            continue
        if len(str(dm.value)) == 4 and ev.first <= d0 <= ev.last + 1 and not ctx.a.gaps[d0].strip():
            continue  # "معرض جيتكس غلوبال 2023", "GITEX Global 2023": a year in the name, not a date
        ctx.add(ctx.entity(ev), "date", (dm.value, dm.datatype), ctx.span(ev, (d0, d1)), 0.75, "event-date")


@rule("event-participants")
def event_participants(ctx: Context, sent: Sentence) -> None:
    """Persons named with an event took part in it; so did states and bodies that a
    participation word names ("took part", "attended", "بمشاركة", "приняли участие") and the
    sides an event's title names ("Russia-Belarus consultations", "talks between A and B").
    """
    evs = _events(sent)
    if not evs:
        return
    a = ctx.a
    trig = triggers(ctx, sent, "participated")
    for ev in evs:
        e = ctx.entity(ev)
        for p in sent.of("person"):
            if _nearest_event(evs, p) is ev:  # several events in one sentence: each person to the nearest
                ctx.add(ctx.entity(p), "participatedIn", e, ctx.span(ev, p), 0.65, "person-at-event")
        # "российско-белорусские консультации", "talks between A and B": two sides named in the title
        inner = [o for o in a.mentions if ev.first <= o.first and o.last <= ev.last and (
            o.kind == "entity" and o.type == "State" or o.kind == "sides") and not _located(a, o)]
        if len({o.entry.iri if o.entry is not None else "sides" for o in inner}) >= 2 or any(o.kind == "sides" for o in inner):
            for o in inner:
                for oe in ctx.actor_entities(o):
                    ctx.add(oe, "participatedIn", e, ctx.span(ev), 0.65, "state-in-event-title")
        # "the talks held between the two sides": the sides and their heads took part
        if any(m.kind == "sides" and 0 < m.first - ev.last <= 5 and a.tokens[m.first - 1].norm in ("بين", "between", "между")
               for m in sent.mentions):
            for side in ctx.sides():
                ctx.add(side, "participatedIn", e, ctx.span(ev), 0.6, "sides-at-event")
                for f in list(ctx.facts.values()):
                    if f.relation == "headOf" and f.object == side:
                        ctx.add(f.subject, "participatedIn", e, ctx.span(ev), 0.6, "sides-at-event")
        # "the 32nd ASEAN Summit", "17th Plenary of the Cybercrime Convention Committee": the body
        # whose own meeting it is convenes it; it is not one of its participants
        own = _own_bodies(ctx, ev, e)
        located = {id(p) for p in places(ctx, sent)}
        hosts = {id(m) for pos in triggers(ctx, sent, "hosted_by") + triggers(ctx, sent, "hosts")
                 for m in sent.mentions if 0 <= m.first - pos[1] <= 3}
        if ev is _main_of(sent) and not ev.generic:
            # "Top cyber officials from Australia, India and Japan ended talks": states named with the event
            for m in sent.of("entity"):
                if m.type in ("State", "InternationalOrganization") and id(m) not in located and id(m) not in hosts and not _in_title(m, sent) \
                        and not _located(a, m) and m.last < ev.first and ev.first - m.last <= 14 \
                        and not (m.entry is not None and m.entry.iri in own):
                    ctx.add(ctx.entity(m), "participatedIn", e, ctx.span(m, ev), 0.55, "state-with-event")
        for pos in triggers(ctx, sent, "participated_by"):
            # "attended by Montenegro", "с участием делегаций России и Китая", "بمشاركة وفود من تونس والمغرب"
            first = next((m for m in sent.mentions if m.kind in ("entity", "org", "person") and m.type in
                          _PARTICIPANT_TYPES + ("Person",) and 0 < m.first - pos[1] <= 6), None)
            if first is None or id(first) in located:
                continue
            cands = [o for o in sent.mentions if o.kind in ("entity", "org", "person") and o.first >= first.first]
            for m in coordinated(ctx.a, first, cands, forward=True):
                for me in ctx.actor_entities(m):
                    ctx.add(me, "participatedIn", e, ctx.span(pos, m), 0.6, "participants-named")
        for pos in trig:
            for m in agents(ctx, sent, pos):
                if m.kind in ("entity", "org", "sides") and (m.type in _PARTICIPANT_TYPES or m.kind == "sides") \
                        and id(m) not in located and not (ev.first <= m.first <= ev.last) and id(m) not in hosts \
                        and not (m.entry is not None and m.entry.iri in own):
                    for me in ctx.actor_entities(m):
                        ctx.add(me, "participatedIn", e, ctx.span(m, ev), 0.6, "actor-at-event")


def _own_bodies(ctx: Context, ev, e) -> set:
    """The organizations whose own meeting an event is: those named inside any mention of it
    ("such a meeting" after "the tenth meeting of the BRICS working group" -> BRICS)."""
    a = ctx.a
    spans = [(x.first, x.last) for x in ctx.events if x is ev or ctx.entity(x) is e]
    return {o.entry.iri for o in a.mentions if o.kind == "entity" and o.entry is not None
            and o.type in ("InternationalOrganization", "Forum")
            and any(f <= o.first and o.last <= l for f, l in spans)}


def _nearest_event(evs, m):
    """The event of ``evs`` that mention ``m`` belongs to: one whose title contains it, else the
    nearest one before it ("talks in Bogor with President Joko Widodo"), else the nearest after."""
    def gap(ev):
        if ev.first <= m.first and m.last <= ev.last:
            return -1
        return m.first - ev.last if m.first > ev.last else 1000 + ev.first - m.last
    return min(evs, key=gap)


def _main_of(sent: Sentence):
    evs = _events(sent)
    return evs[0] if evs else None


def _in_title(m, sent: Sentence) -> bool:
    return any(o.kind in ("instrument", "event", "org") and o.first <= m.first and m.last <= o.last
               for o in sent.mentions if o is not m)


def _located(a, m) -> bool:
    return m.first > 0 and a.at("locatives", m.first - 1) is not None


@rule("event-host")
def event_host(ctx: Context, sent: Sentence) -> None:
    """The state or body that hosts, organizes or chairs an event ``hosts`` it.

    "hosted by Saudi Arabia", "استضافت المملكة", "под председательством России" -> hosts.
    """
    evs = _events(sent) or ([ctx.main_event] if ctx.main_event is not None else [])
    if not evs:
        return
    for pos in triggers(ctx, sent, "hosted_by"):
        # "الذي احتضنته العاصمة القطرية", "وتستضيفه مدينة الرياض": a city hosts -> the event is held there
        city = next((m for m in sent.mentions if m.kind == "entity" and m.type == "Place"
                     and 0 <= m.first - pos[1] <= 2 and not ctx.a.breaks_between(pos[1], m.first)), None)
        if city is not None:
            ev = min(evs, key=lambda m: abs(m.first - pos[0]) if m.first >= sent.first else 999)
            ctx.add(ctx.entity(ev), "heldIn", ctx.entity(city), ctx.span(pos, city), 0.7, "event-host")
    for rel, after in (("hosted_by", True), ("hosts", False)):
        for pos in triggers(ctx, sent, rel):
            # not a body named inside the event's title ("لاستضافة القمة السنوية للمبادرة الدولية")
            right = [m for m in sent.mentions if m.kind in ("entity", "org") and m.type in _PARTICIPANT_TYPES
                     and 0 <= m.first - pos[1] <= 4 and not any(e.first <= m.first and m.last <= e.last for e in evs)]
            if after or ctx.lang == "ar":
                hosts = right[:1]
                if not hosts and ctx.lang == "ar" and not after:
                    # "استعداد البيت الأبيض لاستضافة القمة": the body right before the verbal noun
                    hosts = [m for m in sent.mentions if m.kind in ("entity", "org") and m.type in _PARTICIPANT_TYPES
                             and 0 < pos[0] - m.last <= 2 and not ctx.a.breaks_between(m.last, pos[0])][-1:]
            else:
                hosts = [m for m in agents(ctx, sent, pos) if m.kind in ("entity", "org")
                         and m.type in _PARTICIPANT_TYPES]
                if not hosts and ctx.lang == "ru":
                    hosts = right[:1]  # "Саммит, который впервые принимала Индия"
            if not hosts:
                continue
            ev = min(evs, key=lambda m: abs(m.first - pos[0]) if m.first >= sent.first else 999)
            for h in hosts:
                ctx.add(ctx.entity(h), "hosts", ctx.entity(ev), ctx.span(h, pos, ev) if ev.first >= sent.first
                        else ctx.span(h, pos), 0.7, "event-host")


@rule("hosting-body")
def hosting_body(ctx: Context, sent: Sentence) -> None:
    """A body at whose seat a meeting is held hosts it (English): "The event was held at the
    headquarters of the Federal Ministry of Justice", "signed at the Council of Europe ..., as part
    of an international conference" -> the body hosts the meeting.
    """
    a = ctx.a
    if ctx.lang != "en":
        return
    evs = _events(sent)
    held = triggers(ctx, sent, "held")
    for m in sent.mentions:
        if not (m.kind in ("entity", "org") and m.type in ("InternationalOrganization", "Organization", "Forum")) \
                or any(e.first <= m.first and m.last <= e.last for e in evs):
            continue  # "at the ITU Plenipotentiary Conference": the body names the meeting
        k = m.first - 1
        while k > sent.first and a.tokens[k].norm in ("the", "of", "headquarters", "seat", "premises"):
            k -= 1
        if a.tokens[k].norm != "at" or a.breaks_between(k, m.first):
            continue
        if evs:
            ev = min(evs, key=lambda e: abs(e.first - m.first))
        elif any(p1 < k for _, p1 in held) and ctx.main_event is not None:
            ev = ctx.main_event  # "The event was held at ...": the report's meeting
        else:
            continue
        ctx.add(ctx.entity(m), "hosts", ctx.entity(ev), ctx.span((k, m.last)), 0.6, "hosting-body")


@rule("chaired-by")
def chaired_by(ctx: Context, sent: Sentence) -> None:
    """The person who chairs an event or a body heads it and takes part in it.

    "The meeting was chaired by Mr S Iswaran", "Ambassador Ana Novak, who has chaired the
    OEWG", "под председательством премьер-министра Нарендры Моди" -> PERSON headOf EVENT/BODY.
    """
    a = ctx.a
    for table, after in (("chair_passive", True), ("chair_active", False)):
        for p0, p1, _ in a.find(table, sent.first, sent.last):
            people = [m for m in sent.of("person") if (0 < m.first - p1 <= 8 if after else 0 < p0 - m.last <= 6)
                      and not a.breaks_between(p1 if after else m.last, m.first if after else p0)
                      or not after and 0 < p0 - m.last <= 4]
            if not people:
                continue
            person = people[0] if after else people[-1]
            if after:
                things = [m for m in sent.of("event") if m.last < p0] or (
                    [ctx.main_event] if ctx.main_event is not None else [])
            else:
                # "Ambassador Ana Novak, who has chaired the OEWG", "Buky Carmeli, who heads the National Cyber
                # Security Authority", "Houlin Zhao, who has run the union"
                things = [m for m in sent.mentions if m.kind in ("event", "entity", "org") and m.first > p1
                          and m.first - p1 <= 4 and (m.kind in ("event", "org") or m.type in ("Forum", "InternationalOrganization"))]
                if not things:
                    ref = body_by_noun(ctx, p1 + 1)
                    things = [ref] if ref is not None else []
            if not things:
                continue
            thing = things[-1] if after else things[0]
            pe, te = ctx.entity(person), ctx.entity(thing)
            span = ctx.span(thing, (p0, p1), person) if thing.first >= sent.first else ctx.span((p0, p1), person)
            ctx.add(pe, "headOf", te, span, 0.7, "chaired-by")
            if thing.kind == "event":
                ctx.add(pe, "participatedIn", te, span, 0.7, "chaired-by")


@rule("speaker-at-main-event")
def speaker_at_main_event(ctx: Context, sent: Sentence) -> None:
    """In a report on one event, those who speak, call for or welcome something in it took
    part in it ("India welcomed the creation of a portal", "Tunisia, speaking for the Arab
    Group, regretted ...") when the sentence names no other event.
    """
    main = ctx.main_event
    if main is None or sent.of("event") or main.generic:
        return
    a = ctx.a
    trig = [(i, j) for i, j, _ in a.find("speech", sent.first, sent.last)]
    for rel in ("called", "welcomed", "participated"):
        trig += triggers(ctx, sent, rel)
    e = ctx.entity(main)
    for pos in triggers(ctx, sent, "participated"):
        # "Российскую делегацию возглавил ... Олег Храмов", "شارك في الاجتماع وزير ...": who comes after the verb
        # "Среди участников – президент ...": a dash after the word opens the list
        dash = pos[1] + 1 <= sent.last and a.gaps[pos[1] + 1].strip() in ("–", "—", "-", ":")
        first = next((m for m in sent.of("person") if 0 < m.first - pos[1] <= 8
                      and not a.breaks_between(pos[1] + (1 if dash else 0), m.first)), None)
        for m in listed_persons(ctx, sent, first) if first is not None else []:
            ctx.add(ctx.entity(m), "participatedIn", e, ctx.span(pos, m), 0.5, "speaker-at-main-event")
    for pos in trig:
        for m in agents(ctx, sent, pos):
            if m.kind in ("person", "role", "entity", "sides") and (m.type in ("Person", "State") or m.kind == "sides"):
                for me in ctx.actor_entities(m):
                    ctx.add(me, "participatedIn", e, ctx.span(m, pos), 0.5, "speaker-at-main-event")


@rule("dated-by-event", scope="document")
def dated_by_event(ctx: Context, sent: None) -> None:
    """An instrument adopted or signed at a dated event, and not dated itself, takes the
    event's date.

    "Following the talks (held on 3 July 2024), Kazakhstan and China signed an agreement" ->
    the agreement's date is 2024-07-03.
    """
    facts = list(ctx.facts.values())
    dated = {f.subject.iri for f in facts if f.relation == "date"}
    event_dates = {}
    for f in facts:
        if f.relation == "date" and f.subject.type == "Event":
            event_dates.setdefault(f.subject.iri, f)
    for f in facts:
        if f.relation == "adoptedAt" and f.subject.iri not in dated and f.object.iri in event_dates:
            d = event_dates[f.object.iri]
            ctx.add(f.subject, "date", d.object, (f.start, f.end), 0.6, "dated-by-event")


@rule("dateline-place", scope="document")
def dateline_place(ctx: Context, sent: None) -> None:
    """A report's dateline names where it was filed, which for a report on one meeting is
    where the meeting was held, when the text names no other place for it.

    "MOSCOW, July 20 (TASS) - ... talks between ..." -> the talks heldIn Moscow.
    """
    a = ctx.a
    main = ctx.main_event
    if main is None or main.generic:
        return
    e = ctx.entity(main)
    if any(f.relation == "heldIn" and f.subject.iri == e.iri and not f.object.minted for f in ctx.facts.values()):
        return  # a venue of the text's own ("the National Stadium") leaves the dateline's city to say too
    for first, last in a.sentences[:3]:
        place = next((m for m in a.mentions if m.kind == "entity" and m.type == "Place" and m.first == first), None)
        if place is None or place.last >= last:
            continue
        gap = a.gaps[place.last + 1]
        if any(c in gap for c in ",،-–—(/") and not a.at("locatives", place.last + 1):
            ctx.add(e, "heldIn", ctx.entity(place), ctx.span(place), 0.5, "dateline-place")
            return


@rule("officials-at-event")
def officials_at_event(ctx: Context, sent: Sentence) -> None:
    """Talks that a plural role names ("переговоры министров", "talks between the two leaders",
    "جلسة مباحثات عقدها الوزيران") were held by the persons of the report who hold that role.

    "По итогам переговоров министров ... " with Сергей Лавров and Салёмсай Коммасит named as
    ministers earlier -> both participatedIn the talks.
    """
    a = ctx.a
    for ev in _events(sent):
        head = ev.attrs.get("head") or (ev.first, ev.last)
        # the role word follows the head (or "between the two"), or the verb of a relative clause in Arabic
        window = [j for j in range(head[1] + 1, min(sent.last, max(ev.last, head[1]) + 4) + 1)
                  if not a.breaks_between(head[1], j)]
        role = None
        for j in window:
            hit = a.at("paired_roles", j)
            if hit is not None:
                role = hit[1]
                break
            if a.tokens[j].norm not in words("pair_fillers"):
                break
        if role is None:
            continue
        holders = []
        for p in a.mentions:
            r = p.attrs.get("role") if p.kind == "person" else None
            phrase = (r.attrs.get("phrase") or "") if r is not None else ""
            if r is not None and (r.attrs.get("role") == role or role == "minister" and any(
                    w in phrase for w in ("minister", "министр", "وزير"))):
                e = ctx.entity(p)
                if e is not None and e.iri not in {h.iri for h in holders}:
                    holders.append(e)
        if not 2 <= len(holders) <= 4:
            continue  # a pair or a few: more is a list of officials, not the talks' principals
        for h in holders:
            ctx.add(h, "participatedIn", ctx.entity(ev), ctx.span(ev), 0.55, "officials-at-event")
