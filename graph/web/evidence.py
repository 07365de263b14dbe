"""Evidence pages of ``cdkg serve`` (``/doc/<key>``): a document's text with its facts' spans highlighted.

The text is read with the reader ``cdkg build`` uses (`cdkg.graph.text.documents.read_document`),
from the file the graph names in ``cdo:sourceFile``, so the evidence offsets point into it. Each
fact gets an anchor ``#claim-<key>`` at its span; ``static/evidence.js`` marks the fact named in
the address and scrolls to it, and with ``--review`` sends the reviewer's verdicts.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef

from cdkg.errors import CdkgError
from cdkg.graph.store.endpoint import _Answer
from cdkg.graph.web.markup import PageError, e, local_name as _local, render

__all__ = ["evidence_page", "document_text", "highlighted"]


def evidence_page(workbench, rest: str, query: str) -> _Answer:
    """The evidence page of document ``<base>doc/<rest>`` for ``workbench`` (a `cdkg.graph.web.pages.Workbench`)."""
    iri = workbench.base + "doc/" + urllib.parse.unquote(rest)
    doc = URIRef(iri)
    meta = workbench.select("doc-meta", doc=doc)
    if not meta:
        raise PageError(404, f"{iri}: no such document in the graph")
    lang = dict(urllib.parse.parse_qsl(query)).get("lang", "en")
    lang = lang if lang in ("en", "ar", "ru") else "en"
    claims = workbench.select("doc-claims", doc=doc, lang=Literal(lang))
    fields = {}
    for r in meta:
        fields.setdefault(_local(r["p"].value), r["o"])
    language = fields["language"].value if "language" in fields else ""
    title = fields["title"].value if "title" in fields else _local(iri)
    text, problem = document_text(workbench, fields.get("sourceFile"))
    body_text, unplaced = highlighted(text, claims) if text is not None else ("", [])
    reviews = workbench.review.verdicts() if workbench.review else {}
    facts = []
    for r in claims:
        key = _local(r["claim"].value)
        verdict = reviews.get(r["claim"].value)
        verdict_html = (f' <span class="verdict verdict-{e(verdict[0])}">{e(verdict[0])}'
                        f'{" → " + e(verdict[1]) if verdict[1] else ""}</span>') if verdict else ""
        controls = ""
        if workbench.review is not None:
            controls = (f'<span class="review" data-claim="{e(r["claim"].value)}">'
                        f'<button data-verdict="accepted">accept</button>'
                        f'<button data-verdict="rejected">reject</button>'
                        f'<input class="correction" placeholder="corrected object (IRI or value)" dir="auto">'
                        f'<button data-verdict="corrected">correct</button></span>')
        facts.append(
            f'<li class="fact" id="fact-{e(key)}" data-claim="{e(key)}">'
            f'<a class="to-quote" href="#claim-{e(key)}">¶</a> '
            f'{workbench.term_html(r["subject"], r.get("subjectLabel"))} '
            f'<bdi class="relation">{e(_local(r["predicate"].value))}</bdi> '
            f'{workbench.term_html(r["object"], r.get("objectLabel"))} '
            f'<small dir="ltr">{e(r["rule"].value) if "rule" in r else ""} · '
            f'{e(r["confidence"].value) if "confidence" in r else ""}</small>{verdict_html}{controls}'
            f'<blockquote dir="auto">{e(r["quote"].value) if "quote" in r else ""}</blockquote></li>')
    direction = "rtl" if language == "ar" else "ltr"
    meta_rows = "".join(f'<tr><th>{e(k)}</th><td>{workbench.term_html(v)}</td></tr>' for k, v in fields.items())
    warning = f'<p class="warning">{e(problem)}</p>' if problem else ""
    if unplaced:
        warning += (f'<p class="warning">{len(unplaced)} quote(s) not found in the current file: '
                    f'the document changed since the build.</p>')
    review_bar = ""
    if workbench.review is not None:
        review_bar = ('<form id="reviewer" class="reviewer">Reviewing as <input name="reviewer" '
                      'placeholder="your name" required> token <input name="token" type="password" '
                      'placeholder="printed by cdkg serve --review" required></form>')
    body = (f'<main class="evidence-page"><h1 dir="auto" lang="{e(language)}">{e(title)}</h1>'
            f'<p class="iri"><code>{e(iri)}</code> · <a href="/id/doc/{e(rest)}">as an entity</a></p>'
            f'{warning}<table class="meta">{meta_rows}</table>{review_bar}'
            f'<article class="document-text" lang="{e(language)}" dir="{direction}">{body_text}</article>'
            f'<section class="facts"><h2>Facts read from this document ({len(claims)})</h2>'
            f'<ol>{"".join(facts)}</ol></section></main>')
    return _Answer(200, "text/html; charset=utf-8",
                   render(title, body, lang=language or "en", script='<script src="/static/evidence.js"></script>'))

def document_text(workbench, source) -> tuple[str | None, str]:
    """The text of the document file ``source`` names (as the build read it), or a problem."""
    from cdkg.graph.text.documents import read_document

    if source is None:
        return None, "the graph names no source file for this document"
    name = source.value
    if workbench.documents is None:
        return None, f"no documents folder given (cdkg serve --documents DIR) to show {name}"
    if Path(name).name != name or name.startswith("."):
        return None, f"source file name {name!r} is not a plain file name"
    path = workbench.documents / name
    if not path.is_file():
        return None, f"{path}: the document file is not there (cdkg serve --documents DIR)"
    try:
        return read_document(path).text, ""
    except CdkgError as exc:
        return None, str(exc)


def highlighted(text: str, claims: list[dict]) -> tuple[str, list[str]]:
    """The document text as escaped HTML, each claim's span in ``<mark>``, an anchor per claim.

    Spans may overlap: the text is cut at every span boundary and each piece is marked with the
    claims covering it (``data-claims``). A span whose offsets no longer hold its quote is looked
    for by its quote; a quote not found at all is returned in the second list.

    Examples
    --------
    >>> rows = [{"claim": ox.NamedNode("http://e/claim/a"), "start": ox.Literal("0"), "end": ox.Literal("5"),
    ...          "quote": ox.Literal("A<b>c")}]
    >>> highlighted("A<b>c d", rows)[0]
    '<span class="claim-anchor" id="claim-a"></span><mark data-claims="a">A&lt;b&gt;c</mark> d'
    """
    spans, unplaced = [], []
    for r in claims:
        key = _local(r["claim"].value)
        quote = r["quote"].value if "quote" in r else None
        try:
            start, end = int(r["start"].value), int(r["end"].value)
        except (KeyError, ValueError):
            start = end = -1
        if not (0 <= start < end <= len(text)) or (quote is not None and text[start:end] != quote):
            found = text.find(quote) if quote else -1
            if found < 0:
                unplaced.append(key)
                continue
            start, end = found, found + len(quote)
        spans.append((start, end, key))
    cuts = sorted({0, len(text), *[s for s, _, _ in spans], *[t for _, t, _ in spans]})
    out = []
    anchored = set()
    for a, b in zip(cuts, cuts[1:]):
        for s, _, key in spans:
            if s == a and key not in anchored:
                anchored.add(key)
                out.append(f'<span class="claim-anchor" id="claim-{e(key)}"></span>')
        covering = [key for s, t, key in spans if s <= a and t >= b]
        piece = e(text[a:b])
        out.append(f'<mark data-claims="{e(" ".join(covering))}">{piece}</mark>' if covering else piece)
    return "".join(out), unplaced
