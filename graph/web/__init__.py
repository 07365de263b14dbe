"""The research workbench of ``cdkg serve``: query page, entity pages, evidence pages and review.

`cdkg.graph.web.pages.Workbench` answers every path the SPARQL protocol front
(`cdkg.graph.store.endpoint.Front`) does not: ``/`` (YASGUI with the query library), ``/static/...``,
``/id/...`` (entity pages with content negotiation), ``/doc/...`` (a document's text with its facts'
evidence highlighted) and, with ``--review``, ``/review`` (accept, reject or correct a fact;
`cdkg.graph.web.review`). The pages read the graph with the SPARQL of ``graph/web/rq/*.rq``
through the same engine workers as ``/sparql``, which hold the one `Store
<cdkg.graph.store.store.Store>`.
"""
