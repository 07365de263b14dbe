"""SPARQL on the wire: RDF terms written as SPARQL, parameters bound as terms, results read back.

Shared by the embedded `~cdkg.graph.store.store.Store`, the rdflib `~cdkg.graph.store.reference.ReferenceStore` and the remote
`~cdkg.graph.store.remote.Endpoint`, so the three answer with the same `QueryResult` of rdflib terms.
SPARQL JSON results, from any server, are read by one parser: `results_from_json`.

>>> result = results_from_json(b'{"head": {"vars": ["x"]}, "results": {"bindings": ['
...     b'{"x": {"type": "literal", "value": "2021", "xml:lang": "ar"}}]}}')
>>> result.vars, result.rows[0][0].language
(['x'], 'ar')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from cdkg.errors import CdkgError

__all__ = ["QueryResult", "to_ox", "from_ox", "plain", "sparql_term", "with_values", "syntax_error",
           "result_from_ox", "results_from_json"]

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


# --- terms ---------------------------------------------------------------------------------------

def to_ox(term):
    """An rdflib term as a pyoxigraph term (``None`` becomes the default graph).

    Parameters
    ----------
    term : URIRef, BNode, Literal or None

    Returns
    -------
    pyoxigraph.NamedNode, pyoxigraph.BlankNode, pyoxigraph.Literal or pyoxigraph.DefaultGraph

    Examples
    --------
    >>> to_ox(Literal("مرحبا", lang="ar"))
    <Literal value=مرحبا language=ar>
    """
    if term is None:
        return ox.DefaultGraph()
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term):
    """A pyoxigraph term as an rdflib term; ``xsd:string`` literals become plain literals.

    Parameters
    ----------
    term : pyoxigraph term or None
        ``None`` and the default graph give ``None``.

    Returns
    -------
    URIRef, BNode, Literal or None

    Examples
    --------
    >>> from_ox(ox.Literal("x", datatype=ox.NamedNode(str(XSD.string))))
    rdflib.term.Literal('x')
    """
    if term is None or isinstance(term, ox.DefaultGraph):
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"not an RDF term: {term!r}")


def plain(term):
    """An rdflib term normalised like `from_ox` does, so both stores give equal rows.

    Parameters
    ----------
    term : rdflib term or None

    Returns
    -------
    rdflib term or None
        ``xsd:string`` literals as plain literals; anything else unchanged.

    Examples
    --------
    >>> plain(Literal("x", datatype=XSD.string)) == Literal("x")
    True
    """
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))


def sparql_term(term) -> str:
    """One RDF term written as SPARQL, on one line, with every quote and backslash escaped.

    Parameters
    ----------
    term : URIRef or Literal
        An IRI with a forbidden character, a bad language tag or a blank node raises `CdkgError`.

    Returns
    -------
    str

    Examples
    --------
    >>> sparql_term(Literal('say "hi"} ; DROP ALL', lang="en"))
    '"say \\\\"hi\\\\"} ; DROP ALL"@en'
    >>> sparql_term(URIRef("https://w3id.org/cdkg/id/state/KZ"))
    '<https://w3id.org/cdkg/id/state/KZ>'
    """
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(str(term)):
            raise CdkgError(f"parameter: not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        text = f'"{_escape(str(term))}"'
        if term.language:
            if not re.fullmatch(r"[A-Za-z]+(-[A-Za-z0-9]+)*", term.language):
                raise CdkgError(f"parameter: not a language tag: {term.language!r}")
            return f"{text}@{term.language}"
        if term.datatype and term.datatype != XSD.string:
            return f"{text}^^{sparql_term(URIRef(term.datatype))}"
        return text
    raise CdkgError(f"parameter: only IRIs and literals can be bound, not {term!r}")


# --- binding parameters ----------------------------------------------------------------------------

def _outer_group_start(sparql: str) -> int:
    """Index just after the ``{`` that opens the outermost WHERE group (skipping strings, IRIs,
    comments and a CONSTRUCT template)."""
    i, n = 0, len(sparql)
    skip_template = bool(re.search(r"\bCONSTRUCT\s*\{", sparql, re.IGNORECASE))
    prev_word = ""
    while i < n:
        c = sparql[i]
        if c == "#":
            i = sparql.find("\n", i)
            if i < 0:
                break
            continue
        if c in "\"'":
            quote = sparql[i:i + 3] if sparql[i:i + 3] in ('"""', "'''") else c
            i += len(quote)
            while i < n and not sparql.startswith(quote, i):
                i += 2 if sparql[i] == "\\" else 1
            i += len(quote)
            continue
        if c == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", sparql[i:]):
            i = sparql.index(">", i) + 1
            continue
        if c.isalpha():
            m = re.match(r"[A-Za-z_][\w-]*", sparql[i:])
            prev_word = m.group(0).upper()
            i += len(m.group(0))
            continue
        if c == "{":
            if skip_template and prev_word == "CONSTRUCT":
                depth, i = 1, i + 1
                while i < n and depth:
                    depth += {"{": 1, "}": -1}.get(sparql[i], 0)
                    i += 1
                prev_word = ""
                continue
            return i + 1
        i += 1
    raise CdkgError("query: no WHERE group to bind parameters in")


def with_values(sparql: str, bindings: Mapping[str, object] | None) -> str:
    """The query with a ``VALUES`` block binding each parameter to its term.

    The block goes at the start of the outermost WHERE group; the query is unchanged when there
    are no bindings.

    Parameters
    ----------
    sparql : str
        The query.
    bindings : mapping of str to rdflib term, optional
        Variable name (without ``?``) -> term; ``None`` values are left unbound.

    Returns
    -------
    str

    Examples
    --------
    >>> print(with_values("SELECT ?x WHERE { ?x ?p ?y }", {"y": Literal("a'b")}))
    SELECT ?x WHERE { VALUES (?y) { ("a'b") }
     ?x ?p ?y }
    """
    bound = {k: v for k, v in (bindings or {}).items() if v is not None}
    if not bound:
        return sparql
    for name in bound:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise CdkgError(f"parameter: not a variable name: {name!r}")
    names = " ".join(f"?{k}" for k in bound)
    values = " ".join(sparql_term(v) for v in bound.values())
    at = _outer_group_start(sparql)
    return f"{sparql[:at]} VALUES ({names}) {{ ({values}) }}\n{sparql[at:]}"


# --- results ---------------------------------------------------------------------------------------

@dataclass
class QueryResult:
    """The answer to one query: rows for SELECT, a boolean for ASK, a graph for CONSTRUCT/DESCRIBE."""

    kind: str                       # "select", "ask" or "graph"
    vars: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    graph: rdflib.Graph | None = None

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.graph or ())


def syntax_error(name: str, message: str, sparql: str) -> CdkgError:
    """A one-line error naming the query and the line of the problem.

    Parameters
    ----------
    name : str
        The query's name.
    message : str
        The engine's message.
    sparql : str
        The query text.

    Returns
    -------
    CdkgError

    Examples
    --------
    >>> str(syntax_error("q", "error at 2:5: expected '}'", "SELECT"))
    "query q: syntax error at line 2: expected '}'"
    """
    first = str(message).splitlines()[0] if str(message) else "invalid query"
    m = re.search(r"(?:at|line)\s+(\d+)(?::(\d+))?", first)
    line = m.group(1) if m else "?"
    detail = re.sub(r"^error at \d+:\d+:\s*", "", first)
    return CdkgError(f"query {name}: syntax error at line {line}: {detail}")


def result_from_ox(answer) -> QueryResult:
    """A pyoxigraph answer (solutions, boolean or triples) as a `QueryResult` of rdflib terms.

    Parameters
    ----------
    answer : pyoxigraph.QuerySolutions, pyoxigraph.QueryBoolean or pyoxigraph.QueryTriples
        What ``pyoxigraph.Store.query`` or ``pyoxigraph.parse_query_results`` returned.

    Returns
    -------
    QueryResult
        ``kind`` "select" (rows of rdflib terms, ``None`` when unbound), "ask" or "graph".

    Examples
    --------
    >>> result_from_ox(ox.Store().query("ASK { }")).boolean
    True
    """
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        rows = [tuple(from_ox(solution[v]) for v in names) for solution in answer]
        return QueryResult("select", vars=names, rows=rows)
    graph = rdflib.Graph()
    for triple in answer:
        graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
    return QueryResult("graph", graph=graph)


def results_from_json(data: bytes | str) -> QueryResult:
    """SPARQL 1.1 Query Results JSON (from any server; Virtuoso's ``typed-literal`` included).

    Parameters
    ----------
    data : bytes or str
        The body of a ``application/sparql-results+json`` answer.

    Returns
    -------
    QueryResult
        A "select" result (rows in the order of ``head.vars``) or an "ask" result.

    Raises
    ------
    CdkgError
        When the text is not SPARQL JSON results.

    Examples
    --------
    >>> results_from_json('{"head": {}, "boolean": true}').boolean
    True
    >>> results_from_json('{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": '
    ...     '"typed-literal", "value": "5", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}').rows
    [(rdflib.term.Literal('5', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer')),)]
    """
    body = data.encode("utf-8") if isinstance(data, str) else data
    try:
        return result_from_ox(ox.parse_query_results(body, ox.QueryResultsFormat.JSON))
    except (SyntaxError, ValueError, OSError) as exc:
        raise CdkgError(f"not SPARQL JSON results ({' '.join(str(exc).split())[:200]})") from None
