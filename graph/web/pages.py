"""The workbench pages of ``cdkg serve``: ``/`` (query page), ``/id/...``, ``/doc/...``, ``/static/...``.

`Workbench` is the ``pages`` handler of the protocol front (`cdkg.graph.store.endpoint.Front`).
It reads the graph with the queries in ``graph/web/rq/`` through the engine pool, so a page
obeys the same timeout, row limit and queue as ``/sparql``. Every text a page shows is escaped
(`html.escape`); documents are shown as text, never as markup.

- ``/``: YASGUI (installed by ``make install`` into ``graph/web/vendor/``, served from
  ``/static/vendor/``), prefixes preloaded, the query library listed with its parameters; a
  library query's parameters are bound as RDF terms by ``POST /library/bind`` (the same
  `term_for <cdkg.queries.library.term_for>` and ``VALUES`` binding as ``cdkg query``).
- ``/id/<path>``: the entity ``<base><path>``; HTML for browsers, Turtle, JSON-LD or N-Triples by
  ``Accept`` or ``?format=ttl|jsonld|nt|html``.
- ``/views/``: the build's network views (``build/views``, written by ``cdkg view all``).
- ``/doc/<key>``: the document ``<base>doc/<key>``: its text (read from ``--documents``) with
  every fact's evidence span highlighted and an anchor ``#claim-<key>`` per fact.
"""

from __future__ import annotations

import json
import math
import mimetypes
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef

from cdkg import namespaces
from cdkg.errors import CdkgError
from cdkg.graph.store.endpoint import Busy, _accepted, _Answer
from cdkg.graph.store.sparql import with_values
from cdkg.graph.web.markup import RQ_DIR, WEB_DIR, PageError, e, local_name as _local, render, script_json

__all__ = ["Workbench", "WEB_DIR", "VENDOR_DIR", "RDF_FORMATS"]

VENDOR_DIR = WEB_DIR / "vendor"
STATIC_DIR = WEB_DIR / "static"

#: ``?format=`` names and media types of the entity pages' RDF.
RDF_FORMATS = {"ttl": "text/turtle", "turtle": "text/turtle", "jsonld": "application/ld+json",
               "json": "application/ld+json", "nt": "application/n-triples",
               "ntriples": "application/n-triples"}
_NEGOTIATED = {"text/html": "html", "application/xhtml+xml": "html", "text/turtle": "text/turtle",
               "application/x-turtle": "text/turtle", "application/ld+json": "application/ld+json",
               "application/n-triples": "application/n-triples"}
RDF_TYPE = str(namespaces.RDF.type)
LABELS = {str(namespaces.SKOS.prefLabel), str(namespaces.RDFS.label)}

class Workbench:
    """The pages handler: ``workbench(handler, method, url)`` answers and returns True, or False.

    Parameters
    ----------
    pool : cdkg.graph.store.engine.Pool
        The engine workers the pages query.
    base_iri : str
        The namespace the graph mints IRIs in; ``/id/<path>`` is ``<base_iri><path>``.
    documents : Path
        The folder holding the documents' text files (``cdo:sourceFile`` names a file in it).
    review : cdkg.graph.web.review.Reviews, optional
        The review store; without it the pages are read-only.
    views : Path, optional
        The build's views folder, served at ``/views/``.
    """

    def __init__(self, pool, base_iri: str = str(namespaces.ID), documents: Path | None = None, review=None,
                 views: Path | None = None):
        self.pool = pool
        self.views = Path(views) if views else None
        self.base = base_iri
        self.documents = Path(documents) if documents else None
        self.review = review
        self._rq: dict[str, str] = {}

    # --- plumbing -----------------------------------------------------------------------
    def __call__(self, handler, method: str, url) -> bool:
        path = url.path
        try:
            if method in ("GET", "HEAD"):
                if path == "/":
                    answer = self._kept({"path": path}, self.query_page)
                elif path.startswith("/static/"):
                    answer = self.static(path[len("/static/"):])
                elif path == "/views" or path.startswith("/views/"):
                    answer = self.view_file(path[len("/views/"):] or "index.html")
                elif path == "/library.json":
                    answer = self.library_json()
                elif path.startswith("/id/"):
                    accept = handler.headers.get("Accept")
                    answer = self._kept({"path": path, "query": url.query, "accept": accept},
                                        lambda: self.entity(path[len("/id/"):], url.query, accept))
                elif path.startswith("/doc/"):
                    answer = self._kept({"path": path, "query": url.query},
                                        lambda: self.evidence(path[len("/doc/"):], url.query))
                else:
                    return False
            elif method == "POST" and path == "/library/bind":
                answer = self.bind(self._body(handler))
            elif method == "POST" and path == "/review":
                if self.review is None:
                    answer = _Answer.text(403, "review is off: start `cdkg serve --review` to review facts")
                else:
                    answer = self.review.handle(handler, self._body(handler), self)
            else:
                return False
        except PageError as exc:
            answer = _Answer.text(exc.status, str(exc))
        except CdkgError as exc:  # a path that makes no IRI, a bad parameter
            answer = _Answer.text(400, str(exc))
        handler.send(answer, cors=False)
        return True

    def _kept(self, key: dict, make) -> _Answer:
        """``make()``, or the page it made before with the store unchanged (kept in the engine
        pool's `AnswerCache <cdkg.graph.store.answers.AnswerCache>`, which updates empty)."""
        cache = getattr(self.pool, "cache", None)
        if cache is None:
            return make()

        def compute() -> tuple:
            answer = make()
            return answer.status, answer.content_type, answer.headers or {}, answer.body

        status, kind, headers, body = cache.answer({"op": "page", **key}, compute)
        return _Answer(status, kind, body, headers or None)

    @staticmethod
    def _body(handler) -> bytes:
        length = int(handler.headers.get("Content-Length") or 0)
        if length > 1 << 20:
            raise PageError(413, "request body over 1 MB")
        return handler.rfile.read(length) if length else b""

    def rq(self, name: str) -> str:
        """The text of ``graph/web/rq/<name>.rq``."""
        if name not in self._rq:
            self._rq[name] = (RQ_DIR / f"{name}.rq").read_text(encoding="utf-8")
        return self._rq[name]

    def run(self, text: str, accept: str = "application/sparql-results+json") -> tuple[int, str, bytes]:
        """One query through the engine pool: status, content type, body (`PageError` if busy)."""
        try:
            status, kind, _, body = self.pool.run({"op": "query", "text": text, "accept": accept})
        except Busy:
            raise PageError(503, "server busy; retry in a few seconds") from None
        return status, kind, body

    def select(self, name: str, **bindings) -> list[dict]:
        """Rows (variable -> pyoxigraph term) of page query ``name`` with ``bindings`` as RDF terms."""
        status, _, body = self.run(with_values(self.rq(name), bindings))
        if status != 200:
            raise PageError(503 if status >= 500 else 500, f"query {name}: {body.decode('utf-8', 'replace').strip()}")
        results = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
        if isinstance(results, ox.QueryBoolean):
            return [{"boolean": bool(results)}]
        names = [v.value for v in results.variables]
        return [{n: s[n] for n in names if s[n] is not None} for s in results]

    # --- links and labels ---------------------------------------------------------------
    def href(self, iri: str) -> str:
        """Where a page links an IRI: our own page for the graph's IRIs, the IRI itself otherwise."""
        if iri.startswith(self.base + "doc/"):
            return "/doc/" + urllib.parse.quote(iri[len(self.base) + 4:], safe="/")
        if iri.startswith(self.base):
            return "/id/" + urllib.parse.quote(iri[len(self.base):], safe="/")
        return iri

    def term_html(self, term, label=None) -> str:
        """A term as escaped HTML: a link for IRIs (labelled), the value with its language for literals."""
        if term is None:
            return ""
        if isinstance(term, ox.NamedNode):
            text = label.value if isinstance(label, ox.Literal) else _local(term.value)
            lang = f' lang="{e(label.language)}"' if isinstance(label, ox.Literal) and label.language else ""
            return f'<a href="{e(self.href(term.value))}" title="{e(term.value)}" dir="auto"{lang}>{e(text)}</a>'
        if isinstance(term, ox.Literal):
            lang = f' lang="{e(term.language)}"' if term.language else ""
            return f'<span dir="auto"{lang}>{e(term.value)}</span>'
        return e(str(term))

    # --- static files and the query page ------------------------------------------------
    def static(self, rest: str) -> _Answer:
        """A file of ``graph/web/static`` or ``graph/web/vendor`` (``vendor/...``); no path escapes."""
        root, rest = (VENDOR_DIR, rest[len("vendor/"):]) if rest.startswith("vendor/") else (STATIC_DIR, rest)
        target = (root / urllib.parse.unquote(rest)).resolve()
        if root.resolve() not in target.parents or not target.is_file():
            if root is VENDOR_DIR and not (VENDOR_DIR / "yasgui.min.js").exists():
                raise PageError(404, "YASGUI is not installed: run `make install` (it fetches @zazuko/yasgui)")
            raise PageError(404, f"no such file: /static/{rest}")
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        return _Answer(200, kind, target.read_bytes(), {"Cache-Control": "max-age=3600"})

    def view_file(self, rest: str) -> _Answer:
        """A file of the build's views folder (``cdkg view all``: ``build/views``), as it is on disk."""
        if self.views is None or not (self.views / "index.html").is_file():
            raise PageError(404, "no views here: run `cdkg view all` (make run does), then restart cdkg serve")
        target = (self.views / urllib.parse.unquote(rest)).resolve()
        if self.views.resolve() not in target.parents or not target.is_file():
            raise PageError(404, f"no such view: /views/{rest}")
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/"):
            kind += "; charset=utf-8"
        return _Answer(200, kind, target.read_bytes())

    def library_entries(self) -> list[dict]:
        """The library queries with summary, parameters and text (quality checks left out)."""
        from cdkg.queries.library import library

        return [{"name": q.name, "summary": q.summary, "tags": q.tags, "text": q.text,
                 "params": [{"name": p.name, "type": p.type, "default": p.default} for p in q.params]}
                for q in library().values() if not q.is_quality_check]

    def library_json(self) -> _Answer:
        return _Answer(200, "application/json; charset=utf-8",
                       json.dumps(self.library_entries(), ensure_ascii=False).encode("utf-8"))

    def bind(self, body: bytes) -> _Answer:
        """``{"name": ..., "params": {...}}`` -> ``{"query": text}`` with the values bound as RDF terms."""
        from cdkg.queries.library import bindings_for, find

        try:
            asked = json.loads(body or b"{}")
            query = find(str(asked.get("name", "")))
            given = {k: str(v) for k, v in (asked.get("params") or {}).items() if str(v).strip()}
            text = with_values(query.text, bindings_for(query, given))
        except (ValueError, AttributeError) as exc:
            raise PageError(400, f"bind: {exc}") from None
        except CdkgError as exc:
            raise PageError(400, str(exc)) from None
        return _Answer(200, "application/json; charset=utf-8",
                       json.dumps({"query": text}, ensure_ascii=False).encode("utf-8"))

    def query_page(self) -> _Answer:
        items = []
        for q in self.library_entries():
            inputs = "".join(
                f'<label>{e(p["name"])} <small>({e(p["type"])})</small> '
                f'<input name="{e(p["name"])}" placeholder="{e(p["default"])}" dir="auto"></label>'
                for p in q["params"])
            items.append(f'<li class="library-query" data-name="{e(q["name"])}"><details><summary>'
                         f'<b>{e(q["name"])}</b> <span>{e(q["summary"])}</span></summary>'
                         f'<form class="params">{inputs}<button type="submit">Run in a new tab</button>'
                         f'</form></details></li>')
        prefixes = {k: v for k, v in namespaces.PREFIXES.items()}
        installed = (VENDOR_DIR / "yasgui.min.js").is_file()
        note = "" if installed else ('<p class="warning">YASGUI is not installed here: run <code>make install</code>. '
                                     'The endpoint is at <code>/sparql</code>.</p>')
        body = (f'<main class="query-page"><aside><h2>Query library</h2>{note}'
                f'<ul id="library">{"".join(items)}</ul></aside><section id="yasgui"></section></main>'
                f'<script type="application/json" id="prefixes">{script_json(prefixes)}</script>')
        head = ('<link rel="stylesheet" href="/static/vendor/yasgui.min.css">'
                '<script src="/static/vendor/yasgui.min.js"></script>') if installed else ""
        return _Answer(200, "text/html; charset=utf-8",
                       render("cdkg — SPARQL", body, head=head, script='<script src="/static/query.js"></script>'))

    # --- entity pages -------------------------------------------------------------------
    def entity(self, rest: str, query: str, accept: str | None) -> _Answer:
        iri = self.base + urllib.parse.unquote(rest)
        try:
            entity = URIRef(iri)
            from cdkg.graph.store.sparql import sparql_term
            sparql_term(entity)
        except (CdkgError, ValueError):
            raise PageError(400, f"not an IRI: {iri}") from None
        params = dict(urllib.parse.parse_qsl(query))
        fmt = params.get("format", "").lower()
        lang = params.get("lang", "en") if params.get("lang", "en") in ("en", "ar", "ru") else "en"
        if fmt and fmt != "html" and fmt not in RDF_FORMATS:
            raise PageError(400, f"format {fmt}: use html, ttl, jsonld or nt")
        media = RDF_FORMATS.get(fmt) if fmt else self._negotiate(accept)
        if not self.select("entity-exists", entity=entity)[0]["boolean"]:
            raise PageError(404, f"{iri}: not in the graph")
        headers = {"Vary": "Accept", "Link": f'<{iri}>; rel="canonical"'}
        if media and media != "html":
            status, kind, body = self.run(with_values(self.rq("entity-rdf"), {"entity": entity}), accept=media)
            if status != 200:
                raise PageError(500, body.decode("utf-8", "replace"))
            return _Answer(200, kind, body, headers)
        if media is None:
            raise PageError(406, "entity pages come as text/html, text/turtle, application/ld+json "
                                 "or application/n-triples")
        return _Answer(200, "text/html; charset=utf-8", self.entity_html(iri, entity, lang), headers)

    @staticmethod
    def _negotiate(accept: str | None):
        for media in _accepted(accept):
            if media in _NEGOTIATED:
                return _NEGOTIATED[media]
            if media in ("*/*", "text/*"):
                return "html"
        return None

    def entity_html(self, iri: str, entity, lang: str) -> bytes:
        described = self.select("entity-describe", entity=entity, lang=Literal(lang))
        claims = self.select("entity-claims", entity=entity, lang=Literal(lang))
        incoming = self.select("entity-incoming", entity=entity, lang=Literal(lang))
        labels = [r["o"] for r in described if r["p"].value in LABELS and isinstance(r["o"], ox.Literal)]
        title = next((lb.value for lb in labels if lb.language == lang), None) or \
            next((lb.value for lb in labels if lb.language == "en"), None) or _local(iri)
        types = [r for r in described if r["p"].value == RDF_TYPE]
        label_rows = "".join(
            f'<li lang="{e(lb.language or "")}" dir="auto"><small>{e(lb.language or "")}</small> {e(lb.value)}</li>'
            for lb in sorted({(x.language or "", x.value): x for x in labels}.values(),
                             key=lambda x: (x.language or "", x.value)))
        type_html = ", ".join(self.term_html(r["o"], r.get("label")) for r in types)
        props = [r for r in described if r["p"].value != RDF_TYPE and r["p"].value not in LABELS]
        prop_rows = self.properties(props)
        by_relation: dict[str, list[dict]] = {}
        for r in claims:
            by_relation.setdefault(r["predicate"].value, []).append(r)
        groups = []
        for predicate, rows in by_relation.items():
            items = []
            for r in rows:
                claim_key = _local(r["claim"].value)
                doc = r["doc"].value
                evidence = self.href(doc) + f"#claim-{urllib.parse.quote(claim_key)}"
                date = r["issued"].value if "issued" in r else ""
                confidence = r["confidence"].value if "confidence" in r else ""
                parts = (f'<a class="evidence" href="{e(evidence)}">evidence</a>',
                         self.term_html(r["doc"], r.get("title")), e(date),
                         f"confidence {e(confidence)}" if confidence else "")
                meta = " · ".join(part for part in parts if part)
                items.append(
                    f'<li class="fact" id="fact-{e(claim_key)}">'
                    f'{self.term_html(r["subject"], r.get("subjectLabel"))} '
                    f'<bdi class="relation">{e(_local(predicate))}</bdi> '
                    f'{self.term_html(r["object"], r.get("objectLabel"))}'
                    f'<blockquote dir="auto">{e(r["quote"].value) if "quote" in r else ""}</blockquote>'
                    f'<small>{meta}</small></li>')
            label = rows[0].get("predicateLabel")
            groups.append(f'<section class="relation-group"><h3>{e(label.value if label else _local(predicate))}'
                          f' <small>({len(rows)})</small></h3><ul>{"".join(items)}</ul></section>')
        incoming_rows = "".join(f'<li>{self.term_html(r["s"], r.get("label"))} '
                                f'<bdi class="relation">{e(_local(r["p"].value))}</bdi></li>' for r in incoming)
        languages = " · ".join(f'<a href="?lang={x}">{x}</a>' for x in ("en", "ar", "ru"))
        formats = " · ".join(f'<a href="?format={x}">{x}</a>' for x in ("ttl", "jsonld", "nt"))
        body = (f'<main class="entity"><h1 dir="auto">{e(title)}</h1>'
                f'<p class="iri"><code>{e(iri)}</code> · {type_html} · labels in {languages} · RDF: {formats}</p>'
                f'<section><h2>Labels</h2><ul class="labels">{label_rows}</ul></section>'
                f'<section class="facts"><h2>Facts ({len(claims)})</h2>{"".join(groups) or "<p>No extracted facts.</p>"}</section>'
                f'<section><h2>Neighbourhood</h2>{self.neighbourhood(iri, title, claims, incoming, lang)}</section>'
                f'<section><h2>Properties</h2><table class="properties">{prop_rows}</table></section>'
                f'<section><h2>Pointing here</h2><ul class="incoming">{incoming_rows}</ul></section></main>')
        return render(title, body, lang=lang)

    def properties(self, rows: list[dict]) -> str:
        """One table row per property, its values joined; the morphological forms folded away."""
        by_property: dict[str, list[dict]] = {}
        for r in rows:
            by_property.setdefault(r["p"].value, []).append(r)
        out = []
        for prop, values in by_property.items():
            cells = ", ".join(f'{self.term_html(r["o"], r.get("label"))}{self._external(r["o"], prop)}' for r in values)
            if prop == str(namespaces.SKOS.hiddenLabel):
                cells = f"<details><summary>{len(values)} forms</summary>{cells}</details>"
            out.append(f'<tr><th>{self.term_html(values[0]["p"], values[0].get("plabel"))}</th><td>{cells}</td></tr>')
        return "".join(out)

    def _external(self, term, prop: str = "") -> str:
        """A small link out: Wikidata for ``wd:`` IRIs, the ISO Online Browsing Platform for ISO 3166 codes."""
        if isinstance(term, ox.NamedNode) and term.value.startswith(str(namespaces.WD)):
            return f' <small><a class="wikidata" href="{e(term.value)}">Wikidata</a></small>'
        if prop == str(namespaces.CDO.iso3166Alpha2) and isinstance(term, ox.Literal):
            href = "https://www.iso.org/obp/ui/#iso:code:3166:" + urllib.parse.quote(term.value)
            return f' <small><a class="iso" href="{e(href)}">ISO 3166</a></small>'
        return ""

    def neighbourhood(self, iri: str, title: str, claims: list[dict], incoming: list[dict], lang: str) -> str:
        """A small SVG: the entity in the middle, up to 16 neighbours (from its facts) around it."""
        neighbours: dict[str, tuple[str, str]] = {}
        for r in claims:
            for end, label_key in (("subject", "subjectLabel"), ("object", "objectLabel")):
                term = r[end]
                if isinstance(term, ox.NamedNode) and term.value != iri and term.value not in neighbours:
                    label = r.get(label_key)
                    neighbours[term.value] = (label.value if label else _local(term.value), _local(r["predicate"].value))
        for r in incoming:
            if r["s"].value not in neighbours and isinstance(r["s"], ox.NamedNode):
                label = r.get("label")
                neighbours[r["s"].value] = (label.value if label else _local(r["s"].value), _local(r["p"].value))
        shown = list(neighbours.items())[:16]
        if not shown:
            return "<p>No neighbours.</p>"
        size, radius = 520, 190
        parts = [f'<svg class="neighbourhood" viewBox="0 0 {size} {size}" width="{size}" height="{size}" role="img">']
        centre = size / 2
        for i, (other, (label, relation)) in enumerate(shown):
            angle = 2 * math.pi * i / len(shown)
            x, y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
            parts.append(f'<line x1="{centre}" y1="{centre}" x2="{x:.0f}" y2="{y:.0f}"><title>{e(relation)}</title></line>')
            parts.append(f'<a href="{e(self.href(other))}"><circle cx="{x:.0f}" cy="{y:.0f}" r="6"/>'
                         f'<text x="{x:.0f}" y="{y + 18:.0f}" text-anchor="middle">{e(label[:28])}</text></a>')
        parts.append(f'<circle class="centre" cx="{centre}" cy="{centre}" r="10"/>'
                     f'<text x="{centre}" y="{centre - 16}" text-anchor="middle" class="centre">{e(title[:32])}</text></svg>')
        return "".join(parts)

    # --- evidence pages -----------------------------------------------------------------

    # --- evidence pages -----------------------------------------------------------------
    def evidence(self, rest: str, query: str) -> _Answer:
        """The evidence page (`cdkg.graph.web.evidence.evidence_page`)."""
        from cdkg.graph.web.evidence import evidence_page

        return evidence_page(self, rest, query)

