"""Stances: an actor declined to sign or join, opposed, rejected or objected to something,
expressed concern about it, or attributed an incident to another actor; and a negated signing
yields no positive fact.

"Kyiv blames Russia for repeated attacks" -> Ukraine ``attributed`` Russia; "ШОС категорически
против превращения ИКТ в арену военного противоборства" -> SCO ``opposed`` that; "India
refused to sign the convention", "لم توقع الهند", "Индия не подписала" -> India ``declined`` it,
and no ``signed`` / ``partyTo`` / ``memberOf`` fact of India for it survives. The trigger words
are in ``data/patterns/stances.json``.
"""

from __future__ import annotations

from functools import lru_cache

from cdkg.graph.facts.context import Context, Sentence
from cdkg.graph.facts.rules import rule
from cdkg.graph.facts.rules.common import agents, free_objects
from cdkg.graph.text.phrases import Phrases, norms, patterns

#: stance -> relation, in the order they are looked for (a refusal to sign is not a rejection)
STANCES = {"declined": "declined", "objected": "objectedTo", "attributed": "attributed",
           "opposed": "opposed", "rejected": "rejected", "concerned": "expressedConcern"}
_ACTOR_TYPES = ("State", "InternationalOrganization", "Forum", "Organization", "Person")
_BODY_TYPES = ("InternationalOrganization", "Forum", "Organization")
_POSITIVE = ("signed", "partyTo", "memberOf")
_LEADING = norms("about", "over", "at", "by", "with", "بشأن", "إزاء", "حول", "من", "تجاه")


@lru_cache(maxsize=1)
def _tables() -> dict[str, Phrases]:
    p = patterns("stances")
    return {name: Phrases([(w, True) for w in p[name]]) for name in STANCES}


def _stance_triggers(ctx: Context, sent: Sentence) -> list[tuple[str, tuple[int, int]]]:
    """(stance, token range) of each trigger in the sentence; a later stance's trigger inside an
    earlier one's is dropped ("refused to sign" is not also "refused")."""
    found, taken = [], []
    for name in STANCES:
        for i, j, _ in ctx.a.find(_tables()[name], sent.first, sent.last):
            if any(i <= y and x <= j for x, y in taken):
                continue
            if i > sent.first and ctx.a.tokens[i - 1].norm == "as" and name == "opposed":
                continue  # "as opposed to": a contrast, not a stance
            taken.append((i, j))
            found.append((name, (i, j)))
    return found


def _who(ctx: Context, sent: Sentence, pos) -> list:
    """The actors a stance trigger speaks of: its agents (a capital standing for its state),
    else the states just before it in the same clause."""
    capitals = ctx.capitals
    who = [m for m in agents(ctx, sent, pos) if m.kind == "sides" or m.type in _ACTOR_TYPES
           or m.kind == "entity" and m.type == "Place" and m.entry.iri in capitals]
    if who:
        return who
    a = ctx.a
    return [m for m in sent.of("entity") if m.type == "State" and 0 < pos[0] - m.last <= 6
            and not a.breaks_between(m.last, pos[0])]


def _objects(ctx: Context, sent: Sentence, pos, stance: str, who) -> list:
    after = 15 if ctx.lang == "ar" else 12
    chosen = {id(m) for m in who}
    if stance == "attributed":
        return [m for m in sent.mentions if m.kind in ("entity", "org") and m.type in _ACTOR_TYPES[:-1]
                and id(m) not in chosen and 0 < m.first - pos[1] <= 8][:1]
    kinds = ("instrument", "org") if stance == "declined" else ("instrument", "org", "event")
    named = [m for m in sent.mentions if (m.kind in kinds or m.kind == "entity" and m.type in _BODY_TYPES)
             and id(m) not in chosen and 0 < m.first - pos[1] <= after]
    if named:
        return named[:1]
    if stance == "declined":  # "... did not sign it": the instrument named before
        earlier = [m for m in ctx.instruments if m.last < pos[0] and not m.attrs.get("hypothetical")]
        return earlier[-1:]
    return []


@rule("stance")
def stance(ctx: Context, sent: Sentence) -> None:
    """Who declined, opposed, rejected or objected to what, and who attributed an act to whom.

    "Kyiv blames Russia for repeated attacks on its power grid" -> Ukraine attributed Russia;
    "India refused to sign the convention" -> India declined the convention.
    """
    for name, pos in _stance_triggers(ctx, sent):
        relation = STANCES[name]
        who = _who(ctx, sent, pos)
        if not who:
            continue
        objects = _objects(ctx, sent, pos, name, who)
        for w in who:
            for we in ctx.actor_entities(w):
                for o in objects:
                    ctx.add(we, relation, ctx.entity(o), ctx.span(w, pos, o), 0.7, "stance-" + name)
                if not objects and name in ("opposed", "rejected", "objected", "concerned"):
                    start = pos[1] + 1
                    if start < sent.last and ctx.a.tokens[start].norm in _LEADING:
                        start += 1  # "concerned about X", "قلقان بشأن X": X
                    for o0, o1 in free_objects(ctx, sent, start)[:1]:
                        ctx.add(we, relation, ctx.concept(ctx.a.span_text(o0, o1)), ctx.span(w, pos, (o0, o1)),
                                0.6, "stance-" + name + "-free")


@rule("declined-is-not-signed", scope="document")
def declined_is_not_signed(ctx: Context, sent: Sentence | None) -> None:
    """A refusal blocks the positive fact: an actor that declined an instrument or organization
    neither signed it, nor is party to it, nor member of it, in this document.

    "India refused to sign the convention" also fires the signing rule on "sign"; this rule
    removes India partyTo the convention.
    """
    declined = [(k[0], k[2]) for k in ctx.facts if k[1] == "declined"]
    for subject, obj in declined:
        for relation in _POSITIVE:
            ctx.facts.pop((subject, relation, obj), None)
