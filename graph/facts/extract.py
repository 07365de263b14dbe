"""Facts from mentions: every registered rule run on every sentence, with document context.

The rules (:mod:`cdkg.graph.facts.rules`, one module per family) read one sentence's
mentions and the trigger words between them and state :class:`Fact` s; the
:class:`~cdkg.graph.facts.context.Context` resolves references ("the two sides", "the
memorandum", a surname alone) and keeps one fact per (subject, relation, object).

>>> from cdkg.graph.text.documents import Document
>>> from cdkg.graph.text.gazetteer import Gazetteer
>>> from cdkg.graph.text.lexicon import load_lexicon
>>> doc = Document.from_text("Ruritania and Japan signed a memorandum of understanding on cyber security "
...                          "on 3 May 2024.", language="en")
>>> facts = extract_facts(doc, Gazetteer(load_lexicon())).facts
>>> sorted({(f.subject.label, f.relation) for f in facts if f.relation in ("partyTo", "date")})
[('Japan', 'partyTo'), ('memorandum of understanding on cyber security', 'date')]
"""

from __future__ import annotations

from cdkg.graph.facts.context import Context, DocumentFacts, Fact, Sentence
from cdkg.graph.facts.rules import registry
from cdkg.graph.text.documents import Document
from cdkg.graph.text.gazetteer import Gazetteer
from cdkg.graph.text.mentions import analyze

__all__ = ["Fact", "DocumentFacts", "extract_facts", "why_no_facts"]


def _capitals(gazetteer: Gazetteer) -> dict:
    """Capital city IRI -> its state's lexicon entry (a capital can stand for its state)."""
    cached = getattr(gazetteer, "_capitals", None)
    if cached is None:
        entries = gazetteer.lexicon.entries
        cached = {e.capital: e for e in entries.values() if e.type == "State" and e.capital in entries}
        gazetteer._capitals = cached
    return cached


def extract_facts(doc: Document, gazetteer: Gazetteer) -> DocumentFacts:
    """All facts of one document, deduplicated, in a deterministic order.

    Parameters
    ----------
    doc : Document
        The document to read.
    gazetteer : Gazetteer
        The compiled lexicon.

    Returns
    -------
    DocumentFacts
        The facts, every entity they mention, and the analysis they were read from.
    """
    a = analyze(doc, gazetteer)
    ctx = Context(a, _capitals(gazetteer))
    real = {id(m) for m in ctx.events}
    sentences = [Sentence(first, last, [m for m in a.in_sentence(first, last) if m.kind != "event" or id(m) in real])
                 for first, last in a.sentences]
    for r in registry():
        if r.scope == "document":
            r.func(ctx, None)
            continue
        for sent in sentences:
            if sent.mentions:
                r.func(ctx, sent)
    facts = sorted(ctx.facts.values(), key=lambda f: (f.start, f.relation, f.subject.iri, str(f.object)))
    return DocumentFacts(doc=doc, facts=facts, entities=ctx.entities, analysis=a)


_KINDS = {"entity": ("lexicon entry", "lexicon entries"), "person": ("person", "persons"),
          "org": ("organization", "organizations"), "instrument": ("instrument", "instruments"),
          "event": ("event", "events"), "role": ("role word", "role words"), "sides": ("'two sides'", "'two sides'")}


def why_no_facts(result: DocumentFacts) -> str:
    """What a document without facts was found to name, and why no rule stated a fact.

    Parameters
    ----------
    result : DocumentFacts
        The extraction of one document.

    Returns
    -------
    str
        One line for the warning.

    Examples
    --------
    >>> from cdkg.graph.text.documents import Document
    >>> from cdkg.graph.text.gazetteer import Gazetteer
    >>> from cdkg.graph.text.lexicon import load_lexicon
    >>> r = extract_facts(Document.from_text("It rained all day.", language="en"), Gazetteer(load_lexicon()))
    >>> why_no_facts(r)
    'no facts: nothing the lexicon or the title words know (no state, organization, instrument, event or person)'
    """
    a = result.analysis
    counts: dict[str, int] = {}
    for m in a.mentions if a is not None else []:
        if m.kind == "entity" and m.type == "Topic":
            continue
        counts[m.kind] = counts.get(m.kind, 0) + 1
    if not counts:
        return "no facts: nothing the lexicon or the title words know (no state, organization, instrument, event or person)"
    found = ", ".join(f"{n} {_KINDS.get(k, (k, k))[n != 1]}" for k, n in sorted(counts.items()))
    missing = []
    if not counts.get("instrument") and not counts.get("event"):
        missing.append("no instrument or event for them to sign, attend or hold")
    else:
        missing.append("no trigger word (signed, held, called for, member of ...) ties them in one sentence")
    return f"no facts: found {found}, but {missing[0]}"
