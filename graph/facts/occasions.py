"""What tells the mentions of two events apart beyond place, year and ordinal: the words of
their own names, and a word that puts a bare mention on another occasion. Used by the event
clustering of :mod:`cdkg.graph.facts.context`."""

from __future__ import annotations

from cdkg.graph.text.mentions import Analysis, Mention
from cdkg.graph.text.phrases import tables, words

__all__ = ["name_words", "other_occasion", "content"]


def content(a: Analysis, m: Mention) -> list[str]:
    """The keys of a title's words other than links and determiners."""
    t = tables()
    out = []
    for i in range(m.first, m.last + 1):
        if t["links"].at(a.tokens, i) or t["determiners"].at(a.tokens, i) or t["content_function"].at(a.tokens, i) \
                and len(a.tokens[i].norm) <= 6:
            continue
        k = a.tokens[i].key
        if a.lang == "ar" and k.startswith("و") and len(k) >= 4 and t["waw"].at(a.tokens, i) is None:
            k = k[1:]  # "وخطة" is "خطة"
        out.append(k)
    return out


def name_words(a: Analysis, m: Mention) -> set:
    """The capitalized words of an event's own name, its head word aside: "Singapore
    International Cyber Week" and "ASEAN Ministerial Conference" share none, so they are two
    events. Words of a state, body or person named inside do not count; a generic mention or a
    headline in Title Case has none."""
    if m.generic:
        return set()
    head = m.attrs.get("head") or (-1, -1)
    own = set(content(a, m))
    named = {i for o in a.mentions if o.kind in ("entity", "person", "org") and m.first <= o.first and o.last <= m.last
             for i in range(o.first, o.last + 1)}  # states, bodies, persons: the other marks' business
    return {a.tokens[i].key for i in range(m.first, m.last + 1) if not head[0] <= i <= head[1] and i not in named
            and a.capitalized(i) and not a.titlecase(i) and a.tokens[i].key in own}


def other_occasion(a: Analysis, m: Mention) -> bool:
    """A bare event word after "last year's", "the next", "previous" names another occasion."""
    first, _ = a.sentence_of(m.first)
    return any(a.tokens[k].norm in words("other_occasion_words") and not a.breaks_between(k, m.first)
               for k in range(max(first, m.first - 3), m.first))
