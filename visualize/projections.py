"""NetworkX projections of the knowledge graph, each node and edge carrying labels and sources.

A projection is the rows of one SELECT query (``?source ?target`` plus optional ``?relation``,
``?via``, ``?weight``, ``?sourceLabel``, ``?targetLabel``, ``?sourceType``, ``?targetType``)
turned into an undirected ``networkx.Graph``. Every node gets ``label_ar``, ``label_en``,
``type`` (a class local name), ``sources`` (document title, date, source URL and evidence quote
of the claims about it), a date range, its other ``names`` (any language, for search) and its
Wikidata ``qid``; every edge gets ``weight``, ``relations``, ``sources`` and,
when rows name a ``?via`` (the instruments two states share), ``via`` and ``via_labels``.

Examples
--------
>>> from cdkg.paths import SOURCE_ROOT as ROOT
>>> graph = open_graph(trig=ROOT / "tests/fixtures/views/small.trig")
>>> g = project(graph, "cooperation")
>>> g.number_of_nodes(), g.number_of_edges()
(4, 6)
>>> ru, uz = "https://w3id.org/cdkg/id/state/RU", "https://w3id.org/cdkg/id/state/UZ"
>>> g.edges[ru, uz]["weight"], g.nodes[ru]["label_en"], g.nodes[ru]["type"]
(2, 'Russia', 'State')
>>> sorted(s["date"] for s in g.edges[ru, uz]["sources"])
['2009-06-16', '2021-11-19', '2021-11-19']
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from cdkg.lazy import lazy

nx = lazy("networkx")   # loaded when a view is drawn, not for `cdkg --help`

from cdkg.errors import CdkgError
from cdkg.visualize.source import open_graph, read_query, select
from cdkg.visualize.styles import most_specific

__all__ = ["STANDARD_VIEWS", "GraphIndex", "read_index", "project", "project_rows", "open_graph"]

#: The standard views, each drawn from the query of the same name beside this module.
STANDARD_VIEWS = ("cooperation", "membership", "instruments", "principles")

#: At most this many sources are kept per node or edge (the count of all is kept too).
MAX_SOURCES = 8

#: Label languages tried, in order, when a label in the wanted language is missing.
FALLBACK_LANGUAGES = ("en", "ar", "ru", "")


def local_name(iri: str) -> str:
    """The last segment of an IRI (after ``#`` or ``/``).

    Parameters
    ----------
    iri : str

    Returns
    -------
    str

    Examples
    --------
    >>> local_name("https://w3id.org/cdkg/ontology#partyTo")
    'partyTo'
    >>> local_name("https://w3id.org/cdkg/id/state/RU")
    'RU'
    """
    return iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def date_range(value: str) -> tuple[str, str] | None:
    """The first and last day an ``xsd:date``, ``gYearMonth``, ``gYear`` or dateTime covers.

    Parameters
    ----------
    value : str
        A date literal's lexical form.

    Returns
    -------
    tuple of (str, str) or None
        ISO days; ``None`` when the value is not a date.

    Examples
    --------
    >>> date_range("2009")
    ('2009-01-01', '2009-12-31')
    >>> date_range("2021-11-19T10:00:00Z")
    ('2021-11-19', '2021-11-19')
    >>> date_range("2022-02")
    ('2022-02-01', '2022-02-31')
    >>> date_range("soon") is None
    True
    """
    text = value.strip()
    if len(text) >= 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit():
        return text[:10], text[:10]
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit():
        return f"{text}-01", f"{text}-31"
    if len(text) == 4 and text.isdigit():
        return f"{text}-01-01", f"{text}-12-31"
    return None


@dataclass
class GraphIndex:
    """What views need to know about every thing: labels, classes, dates and claim sources."""

    labels: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    classes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    dates: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    documents: dict[str, dict] = field(default_factory=dict)
    #: (subject, object) -> sources of the claims about a triple between them
    by_pair: dict[tuple[str, str], list[dict]] = field(default_factory=lambda: defaultdict(list))
    #: thing -> sources of the claims it is the subject or object of
    by_thing: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    #: thing -> every name it has in any language (preferred, alternative and hidden labels)
    names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: thing -> its Wikidata QID (from owl:sameAs)
    qids: dict[str, str] = field(default_factory=dict)

    def label(self, iri: str, language: str) -> str:
        """The label of ``iri`` in ``language``, else in another language, else its local name.

        Parameters
        ----------
        iri : str
        language : str
            ``ar`` or ``en``.

        Returns
        -------
        str

        Examples
        --------
        >>> index = GraphIndex()
        >>> index.labels["http://e/x"]["ar"] = "س"
        >>> index.label("http://e/x", "en"), index.label("http://e/y", "en")
        ('س', 'y')
        """
        labels = self.labels.get(iri, {})
        if language in labels:
            return labels[language]
        for other in FALLBACK_LANGUAGES:
            if other in labels:
                return labels[other]
        if labels:
            return next(iter(labels.values()))
        return local_name(iri)

    def between(self, a: str, b: str) -> list[dict]:
        """Sources of the claims relating ``a`` and ``b`` in either direction.

        Parameters
        ----------
        a, b : str
            Node IRIs.

        Returns
        -------
        list of dict
            Each with ``document``, ``title``, ``date``, ``quote``, ``predicate``.

        Examples
        --------
        >>> GraphIndex().between("http://e/a", "http://e/b")
        []
        """
        return self.by_pair.get((a, b), []) + self.by_pair.get((b, a), [])


def read_index(graph) -> GraphIndex:
    """Read labels, classes, dates, documents and claims of the whole graph in five queries.

    Parameters
    ----------
    graph : Store
        What `open_graph` returned.

    Returns
    -------
    GraphIndex

    Examples
    --------
    >>> from cdkg.paths import SOURCE_ROOT
    >>> index = read_index(open_graph(trig=SOURCE_ROOT / "tests/fixtures/views/small.trig"))
    >>> index.label("https://w3id.org/cdkg/id/state/RU", "en")
    'Russia'
    """
    index = GraphIndex()
    preferred: dict[tuple[str, str], bool] = {}
    for row in select(graph, read_query("labels"), "labels.rq"):
        thing, label = str(row["thing"]), row["label"]
        index.names[thing].add(str(label))
        if str(row["property"]).endswith(("altLabel", "hiddenLabel")):
            continue
        language = getattr(label, "language", None) or ""
        is_pref = str(row["property"]).endswith("prefLabel")
        key = (thing, language)
        if key not in preferred or (is_pref and not preferred[key]):
            index.labels[thing][language] = str(label)
            preferred[key] = is_pref
    for row in select(graph, read_query("wikidata"), "wikidata.rq"):
        index.qids.setdefault(str(row["thing"]), local_name(str(row["entity"])))
    for row in select(graph, read_query("types"), "types.rq"):
        index.classes[str(row["thing"])].add(local_name(str(row["class"])))
    for row in select(graph, read_query("dates"), "dates.rq"):
        index.dates[str(row["thing"])].append(str(row["date"]))
    for row in select(graph, read_query("documents"), "documents.rq"):
        document = str(row["document"])
        entry = index.documents.setdefault(document, {"title": "", "date": "", "url": ""})
        if "title" in row and (not entry["title"] or getattr(row["title"], "language", "") == "ar"):
            entry["title"] = str(row["title"])
        if "issued" in row and not entry["date"]:
            entry["date"] = str(row["issued"])
        if "url" in row and not entry["url"]:
            entry["url"] = str(row["url"])
    seen: set[tuple] = set()
    for row in select(graph, read_query("claims"), "claims.rq"):
        document = str(row.get("document", row["graph"]))
        subject, obj = str(row["subject"]), str(row["object"])
        quote = str(row["exact"]) if "exact" in row else ""
        key = (str(row["claim"]), quote)
        if key in seen:
            continue
        seen.add(key)
        meta = index.documents.get(document, {})
        source = {
            "document": document,
            "title": meta.get("title", "") or local_name(document),
            "date": meta.get("date", ""),
            "url": meta.get("url", ""),
            "quote": quote,
            "predicate": local_name(str(row["predicate"])),
        }
        index.by_pair[(subject, obj)].append(source)
        index.by_thing[subject].append(source)
        index.by_thing[obj].append(source)
    return index


def _unique_sources(sources: list[dict]) -> list[dict]:
    """Sources without repeats of the same quote from the same document, oldest document first."""
    seen, unique = set(), []
    for source in sorted(sources, key=lambda s: (s["date"] or "9999", s["title"], s["quote"])):
        key = (source["document"], source["quote"])
        if key not in seen:
            seen.add(key)
            unique.append(source)
    return unique


def _span(values) -> tuple[str, str]:
    """The earliest and latest day of a set of date strings ('' when none parses)."""
    ranges = [r for r in (date_range(v) for v in values if v) if r]
    if not ranges:
        return "", ""
    return min(r[0] for r in ranges), max(r[1] for r in ranges)


def _term_text(term) -> str:
    """The string a node id or label is made of: an IRI, a literal's lexical form, a blank node id."""
    return str(term)


def _add_edge(graph: nx.Graph, source: str, target: str, entry: dict, index: GraphIndex) -> None:
    """One edge of a projection, from the rows that named it, with its sources, weight and dates."""
    sources = index.between(source, target)
    for via in entry["via"]:
        sources = sources + index.between(source, via) + index.between(target, via)
    sources = _unique_sources(sources)
    if entry["weight"] is not None:
        weight = entry["weight"]
        weight = int(weight) if float(weight).is_integer() else weight
    elif entry["via"]:
        weight = len(entry["via"])
    else:
        weight = max(1, len(entry["relations"]))
    via = sorted(entry["via"])
    graph.add_edge(
        source,
        target,
        tail=source,
        weight=weight,
        relations=sorted(entry["relations"]) or ["related"],
        via=via,
        via_labels=[{"ar": index.label(v, "ar"), "en": index.label(v, "en")} for v in via],
        sources=sources[:MAX_SOURCES],
        source_count=len(sources),
        dates=_span([s["date"] for s in sources] + [d for v in via for d in index.dates.get(v, [])]),
    )


def project_rows(rows: list[dict], index: GraphIndex, name: str = "query") -> nx.Graph:
    """Turn query rows (``?source ?target`` and optional extras) into an annotated graph.

    Parameters
    ----------
    rows : list of dict
        SELECT rows (see `cdkg.visualize.source.select`) with ``?source`` and ``?target``.
    index : GraphIndex
        Labels and sources of the graph (see `read_index`).
    name : str
        The query's name, for errors and the graph's name.

    Returns
    -------
    networkx.Graph

    Examples
    --------
    >>> from rdflib import URIRef
    >>> g = project_rows([{"source": URIRef("http://e/a"), "target": URIRef("http://e/b")}], GraphIndex())
    >>> g.number_of_edges(), g.nodes["http://e/a"]["label_en"]
    (1, 'a')
    """
    graph = nx.Graph(name=name)
    edge_rows: dict[tuple[str, str], dict] = {}
    given_labels: dict[str, dict[str, str]] = defaultdict(dict)
    given_types: dict[str, str] = {}
    for number, row in enumerate(rows, 1):
        if "source" not in row or "target" not in row:
            raise CdkgError(f"{name}: row {number} has no ?source or ?target")
        source, target = _term_text(row["source"]), _term_text(row["target"])
        if source == target:
            continue
        for end, node in (("source", source), ("target", target)):
            label = row.get(f"{end}Label")
            if label is not None:
                language = getattr(label, "language", None) or ""
                given_labels[node][language] = str(label)
            kind = row.get(f"{end}Type")
            if kind is not None:
                given_types[node] = local_name(str(kind))
        key = (source, target) if (target, source) not in edge_rows else (target, source)
        entry = edge_rows.setdefault(key, {"relations": set(), "via": set(), "weight": None})
        if "relation" in row:
            entry["relations"].add(local_name(str(row["relation"])))
        if "via" in row:
            entry["via"].add(str(row["via"]))
            entry["relations"].add("sharedInstrument")
        if "weight" in row:
            try:
                entry["weight"] = (entry["weight"] or 0) + float(str(row["weight"]))
            except ValueError as exc:
                raise CdkgError(f"{name}: row {number}: ?weight {str(row['weight'])!r} is not a number") from exc
        entry["rows"] = entry.get("rows", 0) + 1
    for (source, target), entry in sorted(edge_rows.items()):
        _add_edge(graph, source, target, entry, index)
    for node in graph.nodes:
        labels = dict(index.labels.get(node, {}))
        labels.update(given_labels.get(node, {}))
        lookup = GraphIndex(labels={node: labels})
        sources = _unique_sources(index.by_thing.get(node, []))
        graph.nodes[node].update(
            label_ar=lookup.label(node, "ar"),
            label_en=lookup.label(node, "en"),
            label_langs=sorted(lang for lang in ("ar", "en") if lang in labels),
            type=given_types.get(node) or most_specific(index.classes.get(node, set())),
            sources=sources[:MAX_SOURCES],
            source_count=len(sources),
            dates=_span([s["date"] for s in sources] + index.dates.get(node, [])),
            names=sorted(index.names.get(node, set()) - {lookup.label(node, "ar"), lookup.label(node, "en")}),
            qid=index.qids.get(node, ""),
        )
    return graph


def project(graph, kind: str, query: str | Path | None = None, index: GraphIndex | None = None) -> nx.Graph:
    """The projection ``kind`` (one of :data:`STANDARD_VIEWS`) or the rows of a query file.

    ``index`` may be passed to reuse the labels and sources read for an earlier view.

    Parameters
    ----------
    graph : Store
        What `open_graph` returned.
    kind : str
        A standard view, or the name of the view a query draws.
    query : str or Path, optional
        A ``.rq`` file whose rows give ``?source ?target``.
    index : GraphIndex, optional
        Reused from an earlier view of the same graph.

    Returns
    -------
    networkx.Graph

    Examples
    --------
    >>> from cdkg.paths import SOURCE_ROOT
    >>> project(open_graph(trig=SOURCE_ROOT / "tests/fixtures/views/small.trig"), "membership").number_of_nodes() > 0
    True
    """
    if query is None:
        if kind not in STANDARD_VIEWS:
            raise CdkgError(f"{kind}: not a standard view (choose from {', '.join(STANDARD_VIEWS)}) or pass --query")
        text, origin = read_query(kind), f"{kind}.rq"
    else:
        text, origin = read_query(query), str(query)
    rows = select(graph, text, origin)
    if index is None:
        index = read_index(graph)
    return project_rows(rows, index, name=kind)
