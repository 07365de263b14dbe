"""Offices: a person holds a post (head of state, head of government, foreign minister, minister,
secretary-general, chair, ambassador) in a state or an organization.

W3C ORG's Post pattern: PERSON ``holdsPost`` POST, POST ``postIn`` STATE/ORGANIZATION, the
post typed by its office (``cdo:HeadOfStatePost`` ...). A post other than a minister's is one
IRI per office and body ("the President of Russia" in every document and language); a
minister's post is keyed by the portfolio as written. The document's date is the evidence of
when the person held it (``queries/offices-held.rq``). ``headOf`` stays for simple queries.
The office words are in ``data/patterns/offices.json``.
"""

from __future__ import annotations

from functools import lru_cache

from cdkg.graph.facts.context import Context, Sentence
from cdkg.graph.facts.resolve import Entity, mint
from cdkg.graph.facts.rules import rule
from cdkg.graph.text.normalize import tokenize
from cdkg.graph.text.phrases import patterns

_BODIES = ("State", "InternationalOrganization", "Forum", "Organization")


@lru_cache(maxsize=1)
def _offices() -> dict:
    p = patterns("offices")
    keys = {key: {_key(w) for w in p[key]} for key in
            ("head_of_state", "head_of_government", "secretary_general", "chair", "ambassador",
             "foreign_minister", "minister")}
    return {"words": keys, "labels": p["labels"], "post_label": p["post_label"]}


def _key(phrase: str) -> str:
    """A phrase as its token keys (case, Arabic article and Russian endings folded)."""
    return " ".join(t.key for t in tokenize(phrase))


def office_of(phrase: str, body_type: str, foreign: bool) -> str | None:
    """The office class a role phrase names for a body of ``body_type``.

    >>> office_of("President", "State", False), office_of("president", "Forum", False)
    ('HeadOfStatePost', 'ChairPost')
    >>> office_of("премьер-министром", "State", False), office_of("الأمين العام", "InternationalOrganization", False)
    ('HeadOfGovernmentPost', 'SecretaryGeneralPost')
    >>> office_of("министром", "State", True), office_of("deputy minister", "State", False) is None
    ('ForeignMinisterPost', True)
    """
    phrase = _key(phrase)
    w = _offices()["words"]
    state = body_type == "State"
    if phrase in w["head_of_government"] and state:
        return "HeadOfGovernmentPost"
    if phrase in w["head_of_state"] and state:
        return "HeadOfStatePost"
    if phrase in w["secretary_general"] and not state:
        return "SecretaryGeneralPost"
    if phrase in w["chair"] and not state:
        return "ChairPost"
    if phrase in w["ambassador"]:
        return "AmbassadorPost"
    if phrase in w["foreign_minister"] or phrase in w["minister"] and foreign:
        return "ForeignMinisterPost"
    if phrase in w["minister"] and state:
        return "MinisterPost"
    return None


def _body(ctx: Context, target):
    """What the post is in: the target, or for a ministry the state named inside it."""
    if target.kind == "entity" and target.type in _BODIES:
        return target
    for o in ctx.a.mentions:
        if o.kind == "entity" and o.type == "State" and target.first <= o.first and o.last <= target.last:
            return o
    if target.kind == "org" and not target.generic and not ctx.a.find("ministries", target.first, target.last):
        return target
    return None


@rule("office-held")
def office_held(ctx: Context, sent: Sentence) -> None:
    """A role word with its person and what it belongs to gives the person's post.

    "Foreign Minister Sergey Lavrov of Russia", "президент России Владимир Путин",
    "الأمين العام لمجلس التعاون جاسم البديوي" -> PERSON holdsPost POST, POST postIn
    STATE/ORG; "Deputy Minister", a spokesman, a director: no post.
    """
    for r in sent.of("role"):
        person, target = r.attrs.get("person"), r.attrs.get("target")
        if person is None or target is None or r.attrs.get("role") not in ("head", "minister", "envoy"):
            continue
        body = _body(ctx, target)
        if body is None:
            continue
        be, pe = ctx.entity(body), ctx.entity(person)
        if be is None or pe is None or pe.type != "Person":
            continue
        phrase = ctx.a.span_text(r.first, r.last)
        foreign = bool(ctx.a.find("foreign", r.first, r.last)) or bool(ctx.a.find("foreign", target.first, target.last))
        office = office_of(phrase, be.type if body.kind == "entity" else "Organization", foreign)
        if office is None:
            continue
        if office == "MinisterPost":  # the portfolio as written ("Minister of Digital Development")
            iri = mint("post", office, be.iri, ctx.a.span_text(r.first, r.last))
            label = ctx.a.span_text(r.first, r.last)
        else:
            iri = str(mint("post", office, be.iri))
            label = _offices()["labels"][office].get(ctx.lang, _offices()["labels"][office]["en"])
        lang = ctx.lang if ctx.lang in _offices()["post_label"] else "en"
        text = _offices()["post_label"][lang].format(office=label, body=be.label)
        post = ctx.remember(Entity(iri, office, text, ctx.lang, minted=True))
        ctx.add(pe, "holdsPost", post, ctx.span(r, person), 0.8, "office-held")
        ctx.add(post, "postIn", be, ctx.span(r, target), 0.8, "office-held")
