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
from cdkg.graph.facts.rules.common import date_near
from cdkg.graph.text.phrases import Phrases, patterns


@lru_cache(maxsize=1)
def _triggers() -> Phrases:
    return Phrases([(w, True) for w in patterns("treaty_acts")["entered_into_force"]])


@rule("entry-into-force")
def entry_into_force(ctx: Context, sent: Sentence) -> None:
    """The instrument next to an entry-into-force phrase entered into force on the date of the
    sentence ("The agreement entered into force on 1 July 2004" -> agreement enteredIntoForce
    2004-07-01)."""
    for i, j, _ in _triggers().find(ctx.a.tokens, sent.first, sent.last):
        near = [m for m in sent.of("instrument") if not m.attrs.get("hypothetical")
                and (0 <= i - m.last <= 15 or 0 <= m.first - j <= 6)]
        if not near:
            continue
        ins = min(near, key=lambda m: (i - m.last) if m.last < i else 2 * (m.first - j) + 1)
        d = date_near(ctx, sent, j, window=15, exclude=[(ins.first, ins.last)])
        if d is None:
            continue
        d0, d1, dm = d
        if dm.end_value or ctx.a.breaks_between(d0, j if d0 > j else i):
            continue  # a period, or a date of another clause ("signed on ...; it will enter into force")
        ctx.add(ctx.entity(ins), "enteredIntoForce", (dm.value, dm.datatype), ctx.span(ins, (i, j), (d0, d1)), 0.75,
                "entry-into-force")
