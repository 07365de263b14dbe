"""Subcommands ``cdkg query``, ``cdkg queries``, ``cdkg sparql``, ``cdkg export`` and ``cdkg infer``.

A query runs on the persistent store (``--store``, default ``build/store``), on a TriG file loaded
in memory (``--trig``) or on any SPARQL 1.1 endpoint (``--endpoint``); the output is a terminal
table, CSV, TSV, JSON or a Markdown table. IRIs get labels in the ``--lang`` language (falling
back to English, Arabic, Russian, then any) looked up in the same source.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import tempfile
from pathlib import Path

from cdkg import paths
from cdkg.errors import CdkgError
from cdkg.graph.store.formats import FORMAT_NAMES
from cdkg.lazy import lazy

# loaded when a command runs, not for `cdkg --help` (rdflib, pyoxigraph)
lib = lazy("cdkg.queries.library")
_store = lazy("cdkg.graph.store.store")
_rdflib = lazy("rdflib")

FORMATS = ("table", "csv", "tsv", "json", "md")
LANGS = ("ar", "en", "ru")
_LABEL_BATCH = 400
_CELL_WIDTH = 60


def register(subparsers) -> None:
    """Add ``query``, ``queries``, ``sparql``, ``export`` and ``infer`` to ``cdkg``.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        Where the query room's subcommands go.

    Returns
    -------
    None
        Each subcommand's handler is set as its ``func``.

    Examples
    --------
    >>> from cdkg.cli import build_parser
    >>> build_parser().parse_args(["query", "co-party-pairs", "--param", "state=id:state/RU"]).param
    ['state=id:state/RU']
    """
    q = subparsers.add_parser("query", help="run a library query (or a .rq file)",
                              description="Run a query of the library by name, or a .rq file.")
    q.add_argument("name", help="library name (see `cdkg queries`) or path to a .rq file")
    q.add_argument("--param", "-p", action="append", default=[], metavar="KEY=VALUE",
                   help="bind a parameter (repeatable), e.g. --param state=id:state/KZ")
    _source_options(q)
    _output_options(q)
    q.set_defaults(func=_query)

    ls = subparsers.add_parser("queries", help="list the query library with summaries",
                               description="List the library; --write-expected rewrites the expected rows "
                                           "of the tests (queries/expected/NAME.FIXTURE.tsv, developer task).")
    ls.add_argument("--format", choices=("table", "md"), default="table")
    ls.add_argument("--write-expected", action="store_true",
                    help="run every query (or NAMES) on --trig and rewrite queries/expected/*.FIXTURE.tsv")
    ls.add_argument("--trig", type=Path, default=None, help="graph for --write-expected (default: the sample)")
    ls.add_argument("--fixture", default="sample", help="name used in the expected file names (default sample)")
    ls.add_argument("--no-inference", action="store_true", help="do not materialize inferences first")
    ls.add_argument("names", nargs="*", metavar="NAME", help="with --write-expected: only these queries")
    ls.set_defaults(func=_queries)

    s = subparsers.add_parser("sparql", help="run an ad-hoc SPARQL query ('-' reads it from stdin)")
    s.add_argument("sparql", help="the query text, or - for standard input")
    _source_options(s)
    _output_options(s)
    s.set_defaults(func=_sparql)

    e = subparsers.add_parser("export", help="write the whole graph as RDF (trig/nq keep named graphs)")
    e.add_argument("--format", choices=FORMAT_NAMES, default="trig")
    e.add_argument("--out", type=Path, help="output file (default: standard output)")
    e.add_argument("--store", type=Path, default=None, help="store folder (default: build/store)")
    e.add_argument("--trig", type=Path, help="convert this TriG file instead of reading a store")
    e.set_defaults(func=_export)

    i = subparsers.add_parser("infer", help="recompute the inferred graph of a store from the ontology")
    i.add_argument("--store", type=Path, default=None, help="store folder (default: build/store)")
    i.add_argument("--ontology", type=Path, help="ontology file (default: the store's ontology graph, "
                                                 "else ontology/cdo.ttl)")
    i.set_defaults(func=_infer)


def _source_options(parser) -> None:
    src = parser.add_mutually_exclusive_group()
    src.add_argument("--store", type=Path, default=None, help="store folder (default: build/store)")
    src.add_argument("--trig", type=Path, help="load this TriG file in memory and query it")
    src.add_argument("--endpoint", metavar="URL", help="query a SPARQL 1.1 endpoint instead")
    parser.add_argument("--user", help="endpoint user name")
    parser.add_argument("--password", help="endpoint password (visible in `ps`: prefer CDKG_PASSWORD or "
                                           "--password-file)")
    parser.add_argument("--password-file", metavar="FILE", help="read the endpoint password from the first line of FILE")


def _output_options(parser) -> None:
    parser.add_argument("--format", "-f", choices=FORMATS, default="table")
    parser.add_argument("--lang", choices=LANGS, default=None,
                        help="language of labels (and of a query's lang parameter); default en")


# --- sources -----------------------------------------------------------------------------------------

def open_source(args):
    """The store, in-memory TriG or endpoint the options name.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed options: ``--endpoint`` (with ``--user``/``--password``), ``--trig`` or ``--store``.

    Returns
    -------
    Store or Endpoint
        Anything with ``query``, to use as a context manager.

    Examples
    --------
    >>> import argparse
    >>> with open_source(argparse.Namespace(endpoint=None, trig=None, store="no/such/store")) as source:
    ...     pass
    Traceback (most recent call last):
    ...
    cdkg.errors.CdkgError: no/such/store: no store here (build one with `cdkg build`)
    """
    if getattr(args, "endpoint", None):
        from cdkg.graph.store.remote import Endpoint, resolve_password

        password = resolve_password(args.password, getattr(args, "password_file", None))
        return Endpoint(args.endpoint, args.user, password, timeout=60)
    if getattr(args, "trig", None):
        store = _store.Store.in_memory()
        store.load_file(args.trig)
        return store
    return _store.Store.open(args.store or paths.build_dir() / "store", read_only=True)


# --- commands ----------------------------------------------------------------------------------------

def _parse_params(pairs: list[str]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise CdkgError(f"--param {pair!r}: expected KEY=VALUE")
        params[key.strip()] = value
    return params


def _query(args) -> int:
    query = lib.find(args.name)
    params = _parse_params(args.param)
    bindings = lib.bindings_for(query, params, args.lang)  # validate before opening anything
    with open_source(args) as source:
        result = source.query(query.text, bindings=bindings, name=query.name)
        _print_result(result, source, args)
    return 1 if query.is_quality_check and result.kind == "select" and result.rows else 0


def _sparql(args) -> int:
    text = sys.stdin.read() if args.sparql == "-" else args.sparql
    with open_source(args) as source:
        result = source.query(text, name="sparql")
        _print_result(result, source, args)
    return 0


def _queries(args) -> int:
    if args.write_expected:
        return _write_expected(args)
    if args.names:
        raise CdkgError("queries: NAME arguments go with --write-expected")
    rows = []
    for name, query in lib.library().items():
        params = ", ".join(f"{p.name} ({p.type}, {p.default or 'none'})" for p in query.params)
        rows.append((name, query.summary, params))
    header = ["query", "summary", "params"]
    print(_markdown(header, rows) if args.format == "md" else _table(header, rows, width=90))
    return 0


def _write_expected(args) -> int:
    """``cdkg queries --write-expected``: the rows of every library query on a fixture graph, as files."""
    from cdkg.graph.store.inference import materialize

    with _store.Store.in_memory() as store:
        store.load_file(args.trig or lib.SAMPLE_TRIG)
        if not args.no_inference:
            materialize(store)
        for path in lib.write_expected(store, args.fixture, args.names or None):
            print(path)
    return 0


def _export(args) -> int:
    if args.trig:
        store = _store.Store.in_memory()
        store.load_file(args.trig)
    else:
        store = _store.Store.open(args.store or paths.build_dir() / "store", read_only=True)
    with store:
        if args.out:
            store.dump(args.out, args.format)
            print(f"{args.out}: {len(store)} quads as {args.format}", file=sys.stderr)
        else:
            with tempfile.TemporaryDirectory() as folder:  # dump writes files; pass one through
                out = Path(folder) / f"graph.{args.format}"
                store.dump(out, args.format)
                sys.stdout.buffer.write(out.read_bytes())
    return 0


def _infer(args) -> int:
    from cdkg.graph.store.inference import materialize
    from cdkg.graph.store.amend import amend

    counts = []
    # a build's store: its graph.trig and manifest are rewritten with it, in one transaction
    rewritten = amend(args.store or paths.build_dir() / "store",
                      lambda store, changed_outside: counts.append(materialize(store, args.ontology)))
    also = f"; {' and '.join(rewritten)} rewritten" if rewritten else ""
    print(f"inferred graph: {counts[0]} triples{also}")
    return 0


# --- output ------------------------------------------------------------------------------------------

def _short() -> dict:
    return {v: k for k, v in lib.PREFIXES.items()}


def compact(term) -> str:
    """A term as short text: ``id:state/KZ``, ``cdo:partyTo``, a literal's value.

    Parameters
    ----------
    term : rdflib term or None

    Returns
    -------
    str
        ``prefix:local`` for IRIs under a known prefix, the lexical form of a literal, ``""`` for None.

    Examples
    --------
    >>> from rdflib import Literal, URIRef
    >>> compact(URIRef("https://w3id.org/cdkg/id/state/KZ")), compact(Literal("2023", lang="en"))
    ('id:state/KZ', '2023')
    """
    if term is None:
        return ""
    if isinstance(term, _rdflib.URIRef):
        text = str(term)
        for base, prefix in sorted(_short().items(), key=lambda kv: -len(kv[0])):
            if text.startswith(base) and len(text) > len(base):
                return f"{prefix}:{text[len(base):]}"
        return text
    return str(term)


def labels_for(source, iris: set, lang: str, mark_fallback: bool = False) -> dict:
    """One label per IRI: in *lang*, else English, Arabic, Russian, then any (skos:prefLabel first).

    Parameters
    ----------
    source : Store, ReferenceStore or Endpoint
        Where to look the labels up.
    iris : set of rdflib terms
        The IRIs to label (other terms are ignored).
    lang : str
        The language wanted first.
    mark_fallback : bool
        Append the label's language, as `` [ar]``, when it is not *lang* (what `cdkg query` shows).

    Returns
    -------
    dict of URIRef to str

    Examples
    --------
    >>> from rdflib import URIRef
    >>> from cdkg.graph.store.store import Store
    >>> from cdkg.paths import SOURCE_ROOT
    >>> store = Store.in_memory()
    >>> store.load_file(SOURCE_ROOT / "tests" / "fixtures" / "sample.trig")
    >>> labels_for(store, {URIRef("https://w3id.org/cdkg/id/org/SCO")}, "en")
    {rdflib.term.URIRef('https://w3id.org/cdkg/id/org/SCO'): 'Shanghai Cooperation Organisation'}
    """
    order = [lang] + [x for x in ("en", "ar", "ru") if x != lang]
    best: dict = {}
    iris = sorted(i for i in iris if isinstance(i, _rdflib.URIRef))
    for start in range(0, len(iris), _LABEL_BATCH):
        values = " ".join(_store.sparql_term(i) for i in iris[start:start + _LABEL_BATCH])
        result = source.query(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
            # one branch per label property, each an index lookup from the IRIs (a VALUES list of
            # properties made Oxigraph read every label of the graph; 138 ms -> 12 ms for 115 IRIs)
            f"SELECT ?x ?p ?l WHERE {{ VALUES ?x {{ {values} }}"
            + " UNION ".join(f" {{ GRAPH ?g {{ ?x {p} ?l }} BIND({p} AS ?p) }}"
                             for p in ("skos:prefLabel", "rdfs:label", "dcterms:title"))
            + " FILTER(isLiteral(?l)) }", name="labels")
        for x, p, label in result.rows:
            language = (label.language or "").lower().split("-")[0]
            rank = (order.index(language) if language in order else len(order),
                    ("prefLabel", "#label", "title").index(next(k for k in ("prefLabel", "#label", "title")
                                                                 if str(p).endswith(k))), str(label))
            text = str(label)
            if mark_fallback and language and language != lang:
                text = f"{text} [{language}]"
            if x not in best or rank < best[x][0]:
                best[x] = (rank, text)
    return {x: text for x, (_, text) in best.items()}


def _print_result(result, source, args) -> None:
    out = sys.stdout
    if result.kind == "ask":
        out.write(("true" if result.boolean else "false") + "\n")
        return
    if result.kind == "graph":
        fmt = "json-ld" if args.format == "json" else "turtle"
        out.write(result.graph.serialize(format=fmt))
        return
    lang = args.lang or "en"
    iri_columns = [i for i, _ in enumerate(result.vars) if any(isinstance(r[i], _rdflib.URIRef) for r in result.rows)]
    iris = {r[i] for r in result.rows for i in iri_columns}
    labels = labels_for(source, iris, lang, mark_fallback=True) if iris else {}
    if args.format in ("table", "md"):
        header = list(result.vars)
        rows = [[labels.get(t) or compact(t) if isinstance(t, _rdflib.URIRef) else compact(t) for t in row]
                for row in result.rows]
        if args.format == "md":
            out.write(_markdown(header, rows) + "\n")
        else:
            out.write(_table(header, rows) + "\n")
            out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")
        return
    header, rows = [], []
    for i, var in enumerate(result.vars):
        header.append(var)
        if i in iri_columns:
            header.append(f"{var}_label")
    for row in result.rows:
        cells = []
        for i, term in enumerate(row):
            cells.append(term)
            if i in iri_columns:
                cells.append(_rdflib.Literal(labels[term]) if term in labels else None)
        rows.append(cells)
    if args.format == "json":
        out.write(json.dumps(_sparql_json(header, rows), ensure_ascii=False, indent=1) + "\n")
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if args.format == "csv" else "\t", lineterminator="\n")
        writer.writerow(header)
        writer.writerows([["" if t is None else str(t) for t in row] for row in rows])
        out.write(buffer.getvalue())


def _sparql_json(header, rows) -> dict:
    """SPARQL 1.1 Query Results JSON."""
    def cell(term):
        if isinstance(term, _rdflib.URIRef):
            return {"type": "uri", "value": str(term)}
        if isinstance(term, _rdflib.Literal):
            out = {"type": "literal", "value": str(term)}
            if term.language:
                out["xml:lang"] = term.language
            elif term.datatype:
                out["datatype"] = str(term.datatype)
            return out
        return {"type": "bnode", "value": str(term)}
    return {"head": {"vars": header},
            "results": {"bindings": [{v: cell(t) for v, t in zip(header, row) if t is not None}
                                     for row in rows]}}


def _clip(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _table(header, rows, width: int = _CELL_WIDTH) -> str:
    """A plain text table; cells are clipped to *width* characters."""
    cells = [[_clip(c, width) for c in header]] + [[_clip(c, width) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _markdown(header, rows) -> str:
    def esc(c):
        return " ".join(str(c).split()).replace("|", "\\|")
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
