"""`cdkg serve`: the SPARQL 1.1 Protocol on loopback, checked with SPARQLWrapper against the store."""

from __future__ import annotations

import glob
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from SPARQLWrapper import CSV, JSON, POST, TSV, XML, SPARQLWrapper

sys.path.insert(0, str(Path(__file__).parent))
from servers import CDKG, CdkgServe, normal_rows, sparqlwrapper_select  # noqa: E402

from cdkg.graph.store.store import Store  # noqa: E402
from cdkg.paths import QUERIES_DIR  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "sample.trig"
LIBRARY = sorted(QUERIES_DIR.glob("*.rq")) + sorted(QUERIES_DIR.glob("qc/*.rq"))
ALL_TRIPLES = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def make_store(folder: Path) -> Path:
    with Store.open(folder) as store:
        store.load_file(SAMPLE, format="trig")
    return folder


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return make_store(tmp_path_factory.mktemp("served") / "store")


@pytest.fixture(scope="module")
def served(store):
    with CdkgServe(store) as server:
        yield server


def http_get(url: str, query: str, accept: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(f"{url}?{urllib.parse.urlencode({'query': query})}",
                                     headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_banner_names_a_loopback_query_url(served):
    assert served.url.startswith("http://127.0.0.1:")
    assert "read-only" in served.banner


@pytest.mark.parametrize("query_file", LIBRARY, ids=lambda p: p.relative_to(QUERIES_DIR).as_posix())
def test_library_query_over_http_matches_the_embedded_store(query_file, served, store):
    query = query_file.read_text(encoding="utf-8")
    variables, rows = sparqlwrapper_select(served.url, query)
    with Store.open(store, read_only=True) as embedded:
        local = embedded.query(query)  # the union default graph, as `cdkg serve` has
    assert variables == local.vars
    assert normal_rows(variables, rows) == normal_rows(local.vars, [dict(zip(local.vars, r)) for r in local.rows])


def test_json_xml_csv_tsv_give_the_same_rows(served):
    query = "SELECT ?s ?label WHERE { GRAPH ?g { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label } }"
    parsed = {}
    for fmt, accept in ((ox.QueryResultsFormat.JSON, "application/sparql-results+json"),
                        (ox.QueryResultsFormat.XML, "application/sparql-results+xml"),
                        (ox.QueryResultsFormat.TSV, "text/tab-separated-values")):
        status, headers, body = http_get(served.url, query, accept)
        assert status == 200 and headers["Content-Type"].startswith(accept)
        parsed[accept] = sorted((str(s["s"]), str(s["label"])) for s in ox.parse_query_results(body, fmt))
    assert parsed["application/sparql-results+json"] == parsed["application/sparql-results+xml"]
    assert parsed["application/sparql-results+json"] == parsed["text/tab-separated-values"]
    assert any("@ar" in label for _, label in parsed["text/tab-separated-values"])
    status, _, body = http_get(served.url, query, "text/csv")
    lines = body.decode("utf-8").split("\r\n")
    assert status == 200 and lines[0] == "s,label"
    assert len([ln for ln in lines[1:] if ln]) == len(parsed["text/tab-separated-values"])


def test_sparqlwrapper_formats_and_post(served):
    for fmt in (JSON, XML, CSV, TSV):
        client = SPARQLWrapper(served.url)
        client.setQuery(COUNT_ALL)
        client.setReturnFormat(fmt)
        client.setMethod(POST)
        result = client.query()
        assert result.response.status == 200
        assert result.convert()


def test_construct_and_ask(served):
    status, headers, body = http_get(served.url, "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
                                     "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert len(list(ox.parse(body, format=ox.RdfFormat.TURTLE))) > 100
    status, _, body = http_get(served.url, "ASK { GRAPH ?g { ?s a <https://w3id.org/cdkg/ontology#State> } }",
                               "application/sparql-results+json")
    assert status == 200 and b'"boolean": true' in body


def test_bad_query_is_400_and_unknown_format_406(served):
    status, _, body = http_get(served.url, "SELECT * WHERE { ?s ?p }", "application/sparql-results+json")
    assert status == 400 and body
    status, _, _ = http_get(served.url, COUNT_ALL, "image/png")
    assert status == 406


def test_read_only_refuses_update(served):
    client = SPARQLWrapper(served.update_url)
    client.setMethod(POST)
    client.setQuery("INSERT DATA { GRAPH <https://w3id.org/cdkg/test/g> { <urn:a> <urn:b> <urn:c> } }")
    with pytest.raises(urllib.error.HTTPError) as refused:
        client.query()
    assert refused.value.code == 403
    _, rows = sparqlwrapper_select(served.url, "SELECT * WHERE { GRAPH <https://w3id.org/cdkg/test/g> { ?s ?p ?o } }")
    assert rows == []


def test_allow_update_writes_into_the_store(tmp_path):
    store = make_store(tmp_path / "store")
    with CdkgServe(store, "--allow-update") as server:
        assert "read-write" in server.banner
        client = SPARQLWrapper(server.update_url)
        client.setMethod(POST)
        client.setQuery('INSERT DATA { GRAPH <https://w3id.org/cdkg/test/g> { <urn:a> <urn:b> "نص" } }')
        client.query()
        _, rows = sparqlwrapper_select(server.url, "SELECT ?o WHERE { GRAPH <https://w3id.org/cdkg/test/g> { ?s ?p ?o } }")
        assert [str(r["o"]) for r in rows] == ["نص"]
    with Store.open(store, read_only=True) as reopened:
        assert "https://w3id.org/cdkg/test/g" in reopened.graph_names()


def test_limit_cuts_select_and_construct(store):
    with CdkgServe(store, "--limit", "5") as server:
        status, headers, body = http_get(server.url, ALL_TRIPLES, "application/sparql-results+json")
        assert status == 200 and headers.get("X-Cdkg-Truncated") == "true"
        assert len(list(ox.parse_query_results(body, ox.QueryResultsFormat.JSON))) == 5
        status, headers, body = http_get(server.url, "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
                                         "application/n-triples")
        assert status == 200 and len(body.decode().strip().splitlines()) == 5
        status, headers, body = http_get(server.url, COUNT_ALL, "application/sparql-results+json")
        assert status == 200 and "X-Cdkg-Truncated" not in headers


@pytest.mark.slow
def test_timeout_turns_a_long_query_into_503(store):
    with CdkgServe(store, "--timeout", "1") as server:
        started = time.monotonic()
        status, _, body = http_get(server.url, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a ?b ?c . ?d ?e ?f . "
                                   "?h ?i ?j } }", "application/sparql-results+json")
        assert status == 503 and b"timeout" in body
        assert time.monotonic() - started < 10


def test_store_stays_writable_while_served_from_a_snapshot(tmp_path):
    store = make_store(tmp_path / "store")
    ask_linked = "ASK { GRAPH <https://w3id.org/cdkg/id/graph/linked/memberships> { ?s ?p ?o } }"
    with CdkgServe(store) as server:
        assert glob.glob(str(tmp_path / ".cdkg-serve-*"))
        done = subprocess.run([CDKG, "link", str(ROOT / "data" / "linked" / "memberships.ttl"),
                               "--store", str(store)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        status, _, body = http_get(server.url, ask_linked, "application/sparql-results+json")
        assert status == 200 and b'"boolean": false' in body
    assert not glob.glob(str(tmp_path / ".cdkg-serve-*"))
    with CdkgServe(store) as server:
        status, _, body = http_get(server.url, ask_linked, "application/sparql-results+json")
        assert b'"boolean": true' in body


def test_serve_errors_are_one_line_exit_2(tmp_path, served):
    done = subprocess.run([CDKG, "serve", "--store", str(tmp_path / "none")], capture_output=True, text=True)
    assert done.returncode == 2 and str(tmp_path / "none") in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    port = urllib.parse.urlsplit(served.url).port
    store = make_store(tmp_path / "store")
    done = subprocess.run([CDKG, "serve", "--store", str(store), "--port", str(port)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and f"127.0.0.1:{port}" in done.stderr
    assert not glob.glob(str(tmp_path / ".cdkg-serve-*"))
