"""Treaty acts beyond signing and accession: an instrument's entry into force, with its date.

"The Convention entered into force on 1 July 2004", "Соглашение вступило в силу 2 июня 2011
года", "دخلت الاتفاقية حيز التنفيذ في ..." -> INSTRUMENT ``enteredIntoForce`` DATE, which the
build also writes as a ``cdo:EntryIntoForce`` dated statement. Without a date in the sentence
(of the same clause) there is no fact. Trigger words: ``data/patterns/treaty_acts.json``.
"""

from __future__ import annotations

from functools import lru_cache

from cdkg.graph.facts.context import Context, Sentence
from cdkg.graph.facts.rules import rule
from cdkg.graph.facts.rules.common import coordinated, date_near, recent_instrument
from cdkg.graph.text.phrases import Phrases, patterns, words


@lru_cache(maxsize=1)
def _triggers() -> Phrases:
    return Phrases([(w, True) for w in patterns("treaty_acts")["entered_into_force"]])


def _instrument(ctx: Context, sent: Sentence, i: int, j: int):
    """The instrument an entry-into-force phrase speaks of: the one next to it, else, after a
    pronoun subject ("оно уже вступило в силу", "It entered into force"), the one named last in the
    sentences just before, else the report's own."""
    near = [m for m in sent.of("instrument") if not m.attrs.get("hypothetical")
            and (0 <= i - m.last <= 15 or 0 <= m.first - j <= 6)]
    if near:
        return min(near, key=lambda m: (i - m.last) if m.last < i else 2 * (m.first - j) + 1)
    if not any(ctx.a.tokens[k].norm in words("subject_pronouns") for k in range(max(sent.first, i - 4), i)):
        return None
    recent = recent_instrument(ctx, sent)
    if recent is not None:
        return recent
    main = ctx.main_instrument
    if main is not None and not main.attrs.get("hypothetical") and main.first < i:
        return main
    return None



@rule("entry-into-force")
def entry_into_force(ctx: Context, sent: Sentence) -> None:
    """The instrument next to an entry-into-force phrase entered into force on the date of the
    sentence, and the states it entered into force for are its parties ("The agreement entered
    into force on 1 July 2004" -> agreement enteredIntoForce 2004-07-01; "оно уже вступило в
    силу для Армении, Белоруссии ..." -> each partyTo it)."""
    a = ctx.a
    for i, j, _ in _triggers().find(a.tokens, sent.first, sent.last):
        if any(a.tokens[k].norm in words("not_yet_words") for k in range(max(sent.first, i - 5), i)):
            continue  # "is to enter into force", "чтобы она вступила в силу": not yet
        ins = _instrument(ctx, sent, i, j)
        if ins is None:
            continue
        e = ctx.entity(ins)
        if j + 1 <= sent.last and a.tokens[j + 1].norm in words("for_words"):
            first = next((m for m in sent.of("entity") if m.type == "State" and 0 < m.first - j <= 2), None)
            if first is not None:
                for m in coordinated(a, first, [x for x in sent.of("entity") if x.type == "State"], forward=True):
                    ctx.add(ctx.entity(m), "partyTo", e, ctx.span((i, j), m), 0.65, "entry-into-force")
        d = date_near(ctx, sent, j, window=15, exclude=[(ins.first, ins.last)])
        if d is None:
            continue
        d0, d1, dm = d
        if dm.end_value or a.breaks_between(d0, j if d0 > j else i):
            continue  # a period, or a date of another clause ("signed on ...; it will enter into force")
        span = ctx.span(ins, (i, j), (d0, d1)) if ins.first >= sent.first else ctx.span((i, j), (d0, d1))
        ctx.add(e, "enteredIntoForce", (dm.value, dm.datatype), span, 0.75, "entry-into-force")
        ctx.add(e, "validFrom", (dm.value, dm.datatype), span, 0.7, "entry-into-force")  # in force from then
