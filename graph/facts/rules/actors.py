"""Actors and roles: who heads what.

A head's role (president, prime minister, king, secretary-general, chair, head of an agency)
makes the person ``headOf`` the state, organization or forum the role belongs to; a minister
heads his ministry when the text names it; deputies, ambassadors and spokesmen head nothing.
"""

from __future__ import annotations

from cdkg.graph.facts.context import Context, Sentence
from cdkg.graph.facts.rules import rule
from cdkg.graph.text.phrases import words


@rule("role-head-of")
def role_head_of(ctx: Context, sent: Sentence) -> None:
    """A head's role names the person and what they head.

    "ASEAN Secretary-General Lim Jock Hoi", "президент России Владимир Путин",
    "الأمين العام لمجلس التعاون جاسم البديوي" -> PERSON headOf ORG/STATE.
    """
    for r in sent.of("role"):
        person, target = r.attrs.get("person"), r.attrs.get("target")
        if r.attrs.get("role") != "head" or person is None or target is None:
            continue
        if _is_ministry(ctx, target) and not _ministry_role(ctx, r):
            continue
        if _subunit(ctx, target):
            continue
        ctx.add(ctx.entity(person), "headOf", ctx.entity(target), ctx.span(r, person, target), 0.85,
                "role-head-of")


@rule("head-of-this-state")
def head_of_this_state(ctx: Context, sent: Sentence) -> None:
    """A head whose role names "the country" or "the republic" instead of a state heads the
    state named last before it, in the same sentence or the one before.

    "Беларусь завершила процедуры ... президент республики Александр Лукашенко подписал указ"
    -> Александр Лукашенко headOf Беларусь.
    """
    a = ctx.a
    for r in sent.of("role"):
        person = r.attrs.get("person")
        if r.attrs.get("role") != "head" or person is None or r.attrs.get("target") is not None:
            continue
        k = r.last + 1
        if k >= person.first or a.tokens[k].norm not in words("this_state_words"):
            continue
        start = a.sentence_of(sent.first - 1)[0] if sent.first > 0 else sent.first
        states = [m for m in a.mentions if m.kind == "entity" and m.type == "State" and start <= m.first
                  and m.last < r.first]
        if states:
            ctx.add(ctx.entity(person), "headOf", ctx.entity(states[-1]), ctx.span(r, person), 0.7,
                    "head-of-this-state")


@rule("head-of-sole-state")
def head_of_sole_state(ctx: Context, sent: Sentence) -> None:
    """A president or prime minister named without a state heads the one state the sentence
    names, when it names only one.

    "правительство РФ одобрило проект: распоряжение подписал премьер-министр Дмитрий Медведев"
    -> Дмитрий Медведев headOf Россия.
    """
    a = ctx.a
    for r in sent.of("role"):
        person = r.attrs.get("person")
        if r.attrs.get("role") != "head" or person is None or r.attrs.get("target") is not None:
            continue
        if not a.span_text(r.first, r.last).lower().startswith(words("state_head_stems")):
            continue
        states = {m.entry.iri: m for m in sent.of("entity") if m.type == "State" and m.entry is not None}
        if len(states) == 1:
            ctx.add(ctx.entity(person), "headOf", ctx.entity(next(iter(states.values()))), ctx.span(r, person),
                    0.6, "head-of-sole-state")


def _subunit(ctx: Context, m) -> bool:
    """A department inside a body ("مدير إدارة تكنولوجيا المعلومات بالمنظمة") is headed by a
    director, not a head in the sense of headOf."""
    return ctx.lang == "ar" and m.kind == "org" and ctx.a.tokens[m.first].key in words("subunit_heads")


@rule("minister-heads-ministry")
def minister_heads_ministry(ctx: Context, sent: Sentence) -> None:
    """A minister heads the ministry of his portfolio when the text names it.

    "Foreign Minister Sergey Lavrov" with "the Russian Foreign Ministry" elsewhere in the text
    -> Sergey Lavrov headOf Russian Foreign Ministry; no ministry named, no fact.
    """
    for r in sent.of("role"):
        person = r.attrs.get("person")
        if person is None or not _ministry_role(ctx, r):
            continue
        foreign = bool(ctx.a.find("foreign", r.first, r.last)) or _foreign_target(ctx, r)
        state = _state_of(ctx, r)
        for org in ctx.orgs:
            if not _is_ministry(ctx, org) or org.generic:
                continue
            if foreign != bool(ctx.a.find("foreign", org.first, org.last)):
                continue
            org_state = _state_inside(ctx, org)
            if state is not None and org_state is not None and org_state != state:
                continue
            ctx.add(ctx.entity(person), "headOf", ctx.entity(org), ctx.span(r, person), 0.75,
                    "minister-heads-ministry")
            break


def _ministry_role(ctx: Context, r) -> bool:
    return r.attrs.get("role") == "minister" or bool(ctx.a.find("ministries", r.first, r.last))


def _is_ministry(ctx: Context, m) -> bool:
    return m.kind == "org" and bool(ctx.a.find("ministries", m.first, m.last))


def _foreign_target(ctx: Context, r) -> bool:
    t = r.attrs.get("target")
    return t is not None and bool(ctx.a.find("foreign", t.first, t.last))


def _state_of(ctx: Context, r):
    t = r.attrs.get("target")
    if t is not None and t.kind == "entity" and t.type == "State":
        return t.entry.iri
    if t is not None:
        return _state_inside(ctx, t)
    return None


def _state_inside(ctx: Context, m):
    for o in ctx.a.mentions:
        if o.kind == "entity" and o.type == "State" and m.first <= o.first and o.last <= m.last:
            return o.entry.iri
    return None


@rule("adjective-name-head")
def adjective_name_head(ctx: Context, sent: Sentence) -> None:
    """A head's role, then a state's adjective and a name: the person heads that state.

    "الرئيسان، الروسي فلاديمير بوتين والأوزبكستاني شوكت ميرزيوييف" -> Putin headOf Russia,
    Mirziyoyev headOf Uzbekistan.
    """
    a = ctx.a
    heads = [r for r in sent.of("role") if r.attrs.get("role") == "head"]
    if not heads:
        return
    for st in sent.of("entity"):
        if st.type != "State":
            continue
        person = next((p for p in sent.of("person") if p.first == st.last + 1 and not a.clause_break(p.first)), None)
        if person is None:
            continue
        role = next((r for r in heads if 0 < st.first - r.last <= 6 and r.attrs.get("person") in (None, person)), None)
        if role is None or person.attrs.get("role") not in (None, role):
            continue
        ctx.add(ctx.entity(person), "headOf", ctx.entity(st), ctx.span(st, person), 0.8, "adjective-name-head")
