"""Principles stated as a clause: "the applicability of international law, including the UN
Charter in its entirety, in cyberspace", "international law, and in particular the Charter of
the United Nations, applies to the use of ICTs". The lexicon names the principle in a few fixed
wordings; a statement puts words between. English only (``law_applicability`` in
``data/patterns/mentions.json``); the label is the text's own span.
"""

from __future__ import annotations

from cdkg.graph.text.analysis import make_mention
from cdkg.graph.text.phrases import norms, patterns

__all__ = ["find_law_applicability"]


def find_law_applicability(a, lexicon) -> None:
    """Add the principle mention of international law applying in cyberspace, over its whole
    clause; lexicon principles, and the names and titles inside it give way ("UN Charter").

    >>> from cdkg.graph.text.documents import Document
    >>> from cdkg.graph.text.gazetteer import Gazetteer
    >>> from cdkg.graph.text.lexicon import load_lexicon
    >>> from cdkg.graph.text.mentions import analyze
    >>> doc = Document.from_text("They stressed the applicability of international law, including the UN Charter, "
    ...                          "in cyberspace.", language="en")
    >>> [m.text for m in analyze(doc, Gazetteer(load_lexicon())).mentions if m.type == "Principle"]
    ['applicability of international law, including the UN Charter, in cyberspace']
    """
    p = patterns("mentions")["law_applicability"]
    entry = lexicon.entries.get(p["principle"])
    if a.lang != "en" or entry is None:
        return
    nouns, verbs, ends = norms(*p["nouns"]), norms(*p["verbs"]), norms(*p["ends"])
    for first, last in a.sentences:
        for i in range(first, last):
            if (a.tokens[i].norm, a.tokens[i + 1].norm) != ("international", "law"):
                continue
            noun = i - 2 >= first and a.tokens[i - 2].norm in nouns and a.tokens[i - 1].norm == "of"
            s = i - 2 if noun else i
            e = next((j for j in range(i + 2, min(last, i + 22) + 1) if a.tokens[j].norm in ends), None)
            if e is None or any(c in a.gaps[j] for j in range(i + 2, e + 1) for c in ".;:"):
                continue
            if not noun and not any(a.tokens[j].norm in verbs for j in range(i + 2, e)):
                continue
            for m in [m for m in a.mentions if m.first <= e and s <= m.last and (
                    m.kind == "entity" and m.type == "Principle" or m.kind in ("entity", "instrument", "org")
                    and s <= m.first and m.last <= e)]:
                a.mentions.remove(m)
            a.mentions.append(make_mention(a, "entity", "Principle", s, e, entry=entry))
