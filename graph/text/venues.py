"""Venues: the named buildings and sites where meetings are held, as places of the document's
own ("at the National Stadium", "at the Palace of Parliament", "at UN Headquarters").

A venue is a run of capitalized words after "at" (links such as "of", "de", "la" inside it)
that holds a venue word of ``mentions.json`` ``word_lists`` (``venue_words``; "centre" only
after ``venue_centre_words``: "National Convention Centre"). English only: the other languages
write venues with a lexicon place or not at all in the texts read so far.
"""

from __future__ import annotations

from cdkg.graph.text.analysis import make_mention
from cdkg.graph.text.phrases import words

__all__ = ["find_venues"]

_LINKS = ("of", "de", "la", "du", "des", "del")


def find_venues(a) -> None:
    """Add ``venue`` mentions (type Place) to the analysis ``a``; places and bodies of the lexicon
    that lie inside a venue's name give way to it ("Bogor" in "Bogor Presidential Palace").

    >>> from cdkg.graph.text.documents import Document
    >>> from cdkg.graph.text.gazetteer import Gazetteer
    >>> from cdkg.graph.text.lexicon import load_lexicon
    >>> from cdkg.graph.text.mentions import analyze
    >>> doc = Document.from_text("The talks were held at the Palace of Parliament in Bucharest.", language="en")
    >>> [m.text for m in analyze(doc, Gazetteer(load_lexicon())).mentions if m.kind == "venue"]
    ['Palace of Parliament']
    """
    if a.lang != "en":
        return
    found = []
    for first, last in a.sentences:
        for k in range(first, last):
            if a.tokens[k].norm != "at":
                continue
            s = k + 2 if a.tokens[k + 1].norm == "the" else k + 1
            end = _venue_end(a, s, last)
            if end is not None:
                found.append(make_mention(a, "venue", "Place", s, end))
    for v in found:
        for m in [m for m in a.mentions if m.kind in ("entity", "org") and v.first <= m.first and m.last <= v.last
                  and (m.kind == "org" or m.type == "Place")]:
            a.mentions.remove(m)
        a.mentions.append(v)


def _venue_end(a, s: int, last: int) -> int | None:
    """The last token of a venue name starting at ``s``, or None when no venue starts there."""
    heads, centres = words("venue_words"), words("venue_centre_words")
    j, end = s, None
    while j <= last and (j == s or not a.clause_break(j)):
        w, n = a.word(j), a.tokens[j].norm
        is_head = n in heads or n in ("centre", "center") and j > s and a.tokens[j - 1].norm in centres
        if is_head and (w[:1].isupper() or j > s) or end is not None and w[:1].isupper():
            end = j  # the venue word, and a name after it ("Palace of Parliament")
        elif not w[:1].isupper():
            if not (n in _LINKS and j + 1 <= last and a.word(j + 1)[:1].isupper() and j > s):
                break
        j += 1
    if end is None or not a.word(s)[:1].isupper() or a.titlecase(s):
        return None
    return end
