"""The query library: ``queries/*.rq`` files with grlc-style headers, their parameters, and running them.

A library query is plain SPARQL with comment lines on top::

    #+ summary: Instruments each state is party to ...
    #+ params: state (iri, all states)
    #+ tags: instruments, states

A parameter has a type (``iri``, ``string``, ``lang``, ``date``, ``year``, ``integer``,
``decimal``) and a default; a default that is not a value of its type (``all states``) means the
parameter is left unbound, and the query then answers for everything. Values given on the command
line are turned into RDF terms and bound through a ``VALUES`` block (`cdkg.graph.store.store.with_values`),
never pasted into the query.

Run ``cdkg queries --write-expected`` to rewrite the expected results of every query on the sample
fixture (``queries/expected/<name>.sample.tsv``); review them before committing.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from cdkg import namespaces, paths
from cdkg.errors import CdkgError
from cdkg.files import write_atomic
from cdkg.graph.store.store import QueryResult, sparql_term

__all__ = [
    "Param", "LibraryQuery", "library", "find", "parse_header", "term_for", "bindings_for",
    "run", "to_tsv_rows", "from_tsv_cell", "expected_path", "write_expected", "PREFIXES",
]

#: Prefixes a parameter value may use (``id:state/KZ``, ``wd:Q232``, ``cdo:partyTo``).
PREFIXES = dict(namespaces.PREFIXES)
PARAM_TYPES = ("iri", "string", "lang", "date", "year", "integer", "decimal")
EXPECTED_DIR = paths.QUERIES_DIR / "expected"
SAMPLE_TRIG = paths.SOURCE_ROOT / "tests" / "fixtures" / "sample.trig"


@dataclass
class Param:
    """One declared parameter: its name, type, default text and the term the default stands for."""

    name: str
    type: str
    default: str = ""

    @property
    def default_term(self):
        """The default as an RDF term, or ``None`` when the default means "unbound".

        Returns
        -------
        rdflib term or None

        Examples
        --------
        >>> Param("state", "iri", "all states").default_term is None
        True
        >>> Param("lang", "lang", "en").default_term
        rdflib.term.Literal('en')
        """
        try:
            return term_for(self, self.default) if self.default else None
        except CdkgError:
            return None


@dataclass
class LibraryQuery:
    """One ``.rq`` file of the library."""

    name: str
    path: Path
    text: str
    summary: str = ""
    params: list[Param] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    @property
    def is_quality_check(self) -> bool:
        """A ``qc/`` query: any row it returns is a defect.

        Returns
        -------
        bool

        Examples
        --------
        >>> library()["qc/states-without-qid"].is_quality_check
        True
        """
        return self.name.startswith("qc/")


def parse_header(text: str) -> tuple[str, list[Param], list[str]]:
    """The summary, parameters and tags of a query's ``#+`` header lines.

    Parameters
    ----------
    text : str
        The query file's text.

    Returns
    -------
    tuple of (str, list of Param, list of str)
        The summary, the parameters and the tags.

    Examples
    --------
    >>> s, p, t = parse_header("#+ summary: Who\\n#+ params: state (iri, all), lang (lang, en)\\n#+ tags: a, b\\nSELECT")
    >>> s, [(x.name, x.type, x.default) for x in p], t
    ('Who', [('state', 'iri', 'all'), ('lang', 'lang', 'en')], ['a', 'b'])
    """
    summary, params, tags = "", [], []
    for line in text.splitlines():
        m = re.match(r"#\+\s*(\w+)\s*:\s*(.*)", line.strip())
        if not m:
            continue
        key, value = m.group(1).lower(), m.group(2).strip()
        if key == "summary":
            summary = value
        elif key == "tags":
            tags.extend(t.strip() for t in value.split(",") if t.strip())
        elif key == "params":
            for pm in re.finditer(r"([A-Za-z_]\w*)\s*\(\s*([a-z]+)\s*(?:,\s*([^)]*))?\)", value):
                ptype = pm.group(2)
                if ptype not in PARAM_TYPES:
                    raise CdkgError(f"params: unknown parameter type {ptype!r} for {pm.group(1)}")
                params.append(Param(pm.group(1), ptype, (pm.group(3) or "").strip()))
    return summary, params, tags


def library(folder: Path | None = None) -> dict[str, LibraryQuery]:
    """Every query of the library by name (``instruments-by-state``, ``qc/states-without-qid``).

    Parameters
    ----------
    folder : Path, optional
        The library folder (default: the packaged ``cdkg.queries``).

    Returns
    -------
    dict of str to LibraryQuery
        By name, ``qc/`` queries last.

    Examples
    --------
    >>> queries = library()
    >>> "co-party-pairs" in queries and queries["co-party-pairs"].summary != ""
    True
    """
    folder = Path(folder or paths.QUERIES_DIR)
    queries = {}
    for path in sorted(folder.glob("*.rq")) + sorted(folder.glob("qc/*.rq")):
        name = path.relative_to(folder).with_suffix("").as_posix()
        queries[name] = load(path, name)
    return queries


def load(path: Path, name: str | None = None) -> LibraryQuery:
    """One query file with its header.

    Parameters
    ----------
    path : Path
        A ``.rq`` file.
    name : str, optional
        Its library name (default: the file stem).

    Returns
    -------
    LibraryQuery

    Examples
    --------
    >>> load(paths.QUERIES_DIR / "timeline.rq").name
    'timeline'
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CdkgError(f"{path}: cannot read: {exc.strerror}") from exc
    try:
        summary, params, tags = parse_header(text)
    except CdkgError as exc:
        raise CdkgError(f"{path}: {exc}") from exc
    return LibraryQuery(name or path.stem, path, text, summary, params, tags)


def find(name: str, folder: Path | None = None) -> LibraryQuery:
    """A library query by name, or a ``.rq`` file by path; a one-line error lists close names.

    Parameters
    ----------
    name : str
        A library name (``co-party-pairs``, ``qc/states-without-qid``) or a ``.rq`` path.
    folder : Path, optional
        The library folder.

    Returns
    -------
    LibraryQuery

    Examples
    --------
    >>> find("co-party-pair")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cdkg.errors.CdkgError: query co-party-pair: not in the library; did you mean co-party-pairs, ...?
    """
    if name.endswith(".rq") or "/" in name and Path(name).is_file():
        path = Path(name)
        if path.is_file():
            return load(path)
        if not name.startswith("qc/"):
            raise CdkgError(f"{name}: no such query file")
    queries = library(folder)
    key = name[:-3] if name.endswith(".rq") else name
    if key in queries:
        return queries[key]
    close = difflib.get_close_matches(key, list(queries), n=4, cutoff=0.4)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `cdkg queries` lists them"
    raise CdkgError(f"query {name}: not in the library{hint}")


def term_for(param: Param, value: str):
    """A parameter value typed on the command line as an RDF term of the parameter's type.

    Parameters
    ----------
    param : Param
        The declared parameter (its type says how to read the value).
    value : str
        The value as typed: ``id:state/KZ``, ``<https://...>``, ``2021-11-19``, ``ar``...

    Returns
    -------
    URIRef or Literal

    Examples
    --------
    >>> term_for(Param("state", "iri"), "id:state/KZ")
    rdflib.term.URIRef('https://w3id.org/cdkg/id/state/KZ')
    >>> term_for(Param("state", "iri"), "state/KZ")
    rdflib.term.URIRef('https://w3id.org/cdkg/id/state/KZ')
    >>> term_for(Param("from", "date"), "2021-11-19").n3()
    '"2021-11-19"^^<http://www.w3.org/2001/XMLSchema#date>'
    """
    value = value.strip()
    kind = param.type
    if kind == "iri":
        if value.startswith("<") and value.endswith(">"):
            value = value[1:-1]
        if not value or re.search(r'[\x00-\x20<>"{}|^`\\]', value):
            raise CdkgError(f"parameter {param.name}: not an IRI: {value!r}")
        prefix, _, local = value.partition(":")
        if prefix in PREFIXES and local and not local.startswith("//"):
            value = PREFIXES[prefix] + local
        elif not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", value):
            value = PREFIXES["id"] + value.lstrip("/")
        term = URIRef(value)
        sparql_term(term)  # rejects characters an IRI cannot hold
        return term
    if kind == "string":
        return Literal(value)
    if kind == "lang":
        if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]+)*", value):
            raise CdkgError(f"parameter {param.name}: not a language tag: {value!r}")
        return Literal(value.lower())
    patterns = {"date": (r"\d{4}-\d{2}-\d{2}", XSD.date), "year": (r"-?\d{4}", XSD.gYear),
                "integer": (r"[+-]?\d+", XSD.integer), "decimal": (r"[+-]?\d+(\.\d+)?", XSD.decimal)}
    pattern, datatype = patterns[kind]
    if not re.fullmatch(pattern, value):
        raise CdkgError(f"parameter {param.name}: not a {kind}: {value!r}")
    return Literal(value, datatype=datatype)


def bindings_for(query: LibraryQuery, given: Mapping[str, str] | None = None,
                 lang: str | None = None) -> dict[str, object]:
    """The terms to bind: given values (``key=value`` from the command line), ``lang`` from
    ``--lang`` when the query has that parameter, and the defaults of the others.

    Parameters
    ----------
    query : LibraryQuery
    given : mapping of str to str, optional
        ``--param`` values by name.
    lang : str, optional
        The ``--lang`` option.

    Returns
    -------
    dict of str to rdflib term

    Examples
    --------
    >>> bindings_for(find("labels"), lang="ar")["lang"]
    rdflib.term.Literal('ar')
    """
    given = dict(given or {})
    declared = {p.name: p for p in query.params}
    if lang and "lang" in declared and "lang" not in given:
        given["lang"] = lang
    unknown = sorted(set(given) - set(declared))
    if unknown and declared:
        raise CdkgError(f"query {query.name}: unknown parameter {', '.join(unknown)}; "
                        f"it takes {', '.join(declared)}")
    bindings = {}
    for name, value in given.items():
        param = declared.get(name) or Param(name, "string")
        bindings[name] = term_for(param, value)
    for name, param in declared.items():
        if name not in bindings and param.default_term is not None:
            bindings[name] = param.default_term
    return bindings


def run(query: LibraryQuery, source, params: Mapping[str, str] | None = None,
        lang: str | None = None) -> QueryResult:
    """Run a library query on a store, a reference store or an endpoint (anything with ``query``).

    Parameters
    ----------
    query : LibraryQuery
    source : Store, ReferenceStore or Endpoint
        Anything with ``query``.
    params : mapping of str to str, optional
        Parameter values as typed.
    lang : str, optional
        The label language, for queries with a ``lang`` parameter.

    Returns
    -------
    QueryResult

    Examples
    --------
    >>> from cdkg.graph.store.store import Store
    >>> store = Store.in_memory()
    >>> store.load_file(SAMPLE_TRIG)
    >>> rows = run(find("co-party-pairs"), store).rows
    >>> len(rows) > 0
    True
    """
    return source.query(query.text, bindings=bindings_for(query, params, lang), name=query.name)


# --- expected results as files ---------------------------------------------------------------------

def to_tsv_rows(result: QueryResult) -> list[str]:
    """A SELECT result as SPARQL TSV lines (header, then one line per row, terms in N-Triples form),
    rows sorted so the file does not depend on the order an engine returns ties in.

    Parameters
    ----------
    result : QueryResult
        A SELECT result.

    Returns
    -------
    list of str

    Examples
    --------
    >>> from cdkg.graph.store.store import Store
    >>> store = Store.in_memory()
    >>> store.load_file(SAMPLE_TRIG)
    >>> to_tsv_rows(run(find("co-party-pairs"), store))[0].split()
    ['?stateA', '?stateB', '?shared']
    """
    def cell(term) -> str:
        if term is None:
            return ""
        if isinstance(term, BNode):
            return "_:b"
        if isinstance(term, Literal) and term.datatype in (XSD.integer, XSD.decimal) \
                and not term.language:
            term = Literal(str(term.toPython() if term.datatype == XSD.decimal else int(term)),
                           datatype=term.datatype)
        return sparql_term(term)
    header = "\t".join(f"?{v}" for v in result.vars)
    return [header] + sorted("\t".join(cell(t) for t in row) for row in result.rows)


def from_tsv_cell(cell: str):
    """A cell of an expected-results file back as an rdflib term (``None`` when empty).

    Parameters
    ----------
    cell : str
        A cell as `to_tsv_rows` writes it.

    Returns
    -------
    rdflib term or None

    Examples
    --------
    >>> from_tsv_cell('"2"^^<http://www.w3.org/2001/XMLSchema#integer>').toPython()
    2
    """
    if not cell:
        return None
    from rdflib.util import from_n3
    return from_n3(cell.replace("\\t", "\t"))


def expected_path(name: str, fixture: str) -> Path:
    """Where the expected rows of query *name* on *fixture* are kept.

    Parameters
    ----------
    name : str
        A library name.
    fixture : str
        ``sample`` or ``corpus``.

    Returns
    -------
    Path

    Examples
    --------
    >>> expected_path("qc/states-without-qid", "sample").name
    'qc--states-without-qid.sample.tsv'
    """
    return EXPECTED_DIR / f"{name.replace('/', '--')}.{fixture}.tsv"


def write_expected(source, fixture: str, names: list[str] | None = None) -> list[Path]:
    """Run every library query (or *names*) bare on *source* and write its rows as the expected file.

    Parameters
    ----------
    source : Store
        The fixture graph, inferences included.
    fixture : str
        The fixture's name in the file names.
    names : list of str, optional
        Only these queries.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> import tempfile
    >>> from unittest import mock
    >>> from cdkg.graph.store.store import Store
    >>> with mock.patch(f"{__name__}.EXPECTED_DIR", Path(tempfile.mkdtemp())):
    ...     [p.name for p in write_expected(Store.in_memory(), "empty", ["labels"])]
    ['labels.empty.tsv']
    """
    written = []
    for name, query in library().items():
        if names and name not in names:
            continue
        lines = to_tsv_rows(run(query, source))
        path = expected_path(name, fixture)
        write_atomic(path, "\n".join(lines) + "\n")
        written.append(path)
    return written
