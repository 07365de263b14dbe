"""`cdkg push` to two real SPARQL servers (Oxigraph server, Virtuoso) started on loopback.

Then every library query gets the same rows, through SPARQLWrapper, from `cdkg serve`, from the
Oxigraph server and from Virtuoso. Differences the comparison irons out are in
`servers.normal_term` (blank node labels, number spellings, xsd:string).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from servers import (CDKG, OXIGRAPH, VIRTUOSO, VIRTUOSO_INI, CdkgServe, OxigraphServer,  # noqa: E402
                     VirtuosoServer, count_quads, normal_rows, sparqlwrapper_select)

from cdkg.graph.store.remote import Endpoint  # noqa: E402
from cdkg.paths import QUERIES_DIR  # noqa: E402

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "sample.trig"
MEMBERSHIPS = ROOT / "data" / "linked" / "memberships.ttl"
LIBRARY = sorted(QUERIES_DIR.glob("*.rq")) + sorted(QUERIES_DIR.glob("qc/*.rq"))


def cdkg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CDKG, *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory) -> Path:
    """A store built from the sample graph plus the linked memberships dataset."""
    folder = tmp_path_factory.mktemp("sample") / "store"
    store = ox.Store(str(folder))
    store.bulk_load(path=str(SAMPLE), format=ox.RdfFormat.TRIG)
    store.flush()
    del store
    done = cdkg("link", str(MEMBERSHIPS), "--store", str(folder))
    assert done.returncode == 0, done.stderr
    return folder


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    if not OXIGRAPH:
        pytest.skip("the oxigraph server binary is not installed")
    with OxigraphServer(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    if not (VIRTUOSO and VIRTUOSO_INI):
        pytest.skip("virtuoso-opensource is not installed (make test installs it)")
    with VirtuosoServer(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture(scope="module")
def pushed(sample_store, oxigraph_server, virtuoso):
    """The sample store (with the linked memberships) pushed to both servers."""
    for url, extra in ((oxigraph_server.update_url, []), (virtuoso.update_url, [])):
        done = cdkg("push", "--endpoint", url, "--store", str(sample_store), "--batch", "100", *extra)
        assert done.returncode == 0, done.stderr
        assert "pushed" in done.stdout
    return sample_store


def local_count(store: Path) -> int:
    reader = ox.Store.read_only(str(store))
    return sum(1 for q in reader.quads_for_pattern(None, None, None, None)
               if isinstance(q.graph_name, ox.NamedNode))


def test_push_sends_every_named_graph_and_is_idempotent(pushed, oxigraph_server, virtuoso):
    expected = local_count(pushed)
    assert count_quads(oxigraph_server.query_url) == expected
    assert count_quads(virtuoso.query_url) == expected
    again = cdkg("push", "--endpoint", virtuoso.auth_url, "--user", "dba", "--password", "dba",
                 "--store", str(pushed))
    assert again.returncode == 0, again.stderr
    assert count_quads(virtuoso.query_url) == expected


def test_push_keeps_arabic_quotes_newlines_and_blank_node_structure(tmp_path, oxigraph_server, virtuoso):
    tricky = tmp_path / "tricky.trig"
    tricky.write_text(
        '<https://w3id.org/cdkg/test/g> {\n'
        ' <https://w3id.org/cdkg/test/s> <https://w3id.org/cdkg/test/says>'
        ' "قال: \\"أمن المعلومات\\"\\nسطر ثانٍ\\t\\\\ end"@ar ;\n'
        '   <https://w3id.org/cdkg/test/ev> [ <https://w3id.org/cdkg/test/sel> [ <https://w3id.org/cdkg/test/start> 12 ] ] .\n'
        '}\n', encoding="utf-8")
    expected = next(q.object for q in ox.parse(path=str(tricky), format=ox.RdfFormat.TRIG)
                    if q.predicate.value.endswith("says"))
    query = ("SELECT ?text ?start WHERE { GRAPH <https://w3id.org/cdkg/test/g> {"
             " ?s <https://w3id.org/cdkg/test/says> ?text ; <https://w3id.org/cdkg/test/ev> ?e ."
             " ?e <https://w3id.org/cdkg/test/sel> ?sel . ?sel <https://w3id.org/cdkg/test/start> ?start } }")
    for server in (oxigraph_server, virtuoso):
        done = cdkg("push", "--endpoint", server.update_url, "--file", str(tricky), "--batch", "1")
        assert done.returncode == 0, done.stderr
        _, rows = sparqlwrapper_select(server.query_url, query)
        assert len(rows) == 1
        assert str(rows[0]["text"]) == expected.value and rows[0]["text"].language == "ar"
        assert int(rows[0]["start"]) == 12
        Endpoint(server.update_url).update("DROP SILENT GRAPH <https://w3id.org/cdkg/test/g>")


def test_wrong_password_is_one_line_and_exit_2(sample_store, virtuoso):
    done = cdkg("push", "--endpoint", virtuoso.auth_url, "--user", "dba", "--password", "wrong",
                "--store", str(sample_store))
    assert done.returncode == 2
    assert virtuoso.auth_url in done.stderr and "authentication failed" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_missing_credentials_and_unreachable_endpoint_exit_2(sample_store, virtuoso):
    done = cdkg("push", "--endpoint", virtuoso.auth_url, "--store", str(sample_store))
    assert done.returncode == 2 and "authentication required" in done.stderr
    from servers import free_port
    dead = f"http://127.0.0.1:{free_port()}/update"
    done = cdkg("push", "--endpoint", dead, "--store", str(sample_store))
    assert done.returncode == 2
    assert done.stderr.strip() == f"cdkg: error: {dead}: cannot reach the endpoint ([Errno 111] Connection refused)"


@pytest.fixture(scope="module")
def served(pushed):
    with CdkgServe(pushed) as server:
        yield server


@pytest.mark.parametrize("query_file", LIBRARY, ids=lambda p: p.relative_to(QUERIES_DIR).as_posix())
def test_library_query_same_rows_on_serve_oxigraph_and_virtuoso(query_file, served, oxigraph_server, virtuoso):
    query = query_file.read_text(encoding="utf-8")
    answers = {}
    for name, url in (("serve", served.url), ("oxigraph", oxigraph_server.query_url),
                      ("virtuoso", virtuoso.query_url)):
        variables, rows = sparqlwrapper_select(url, query)
        answers[name] = normal_rows(variables, rows)
    assert answers["serve"] == answers["oxigraph"]
    assert answers["serve"] == answers["virtuoso"]


def test_joining_query_needs_the_linked_dataset_on_every_server(served, oxigraph_server, virtuoso):
    query = (QUERIES_DIR / "sco-members-agreements.rq").read_text(encoding="utf-8")
    for url in (served.url, oxigraph_server.query_url, virtuoso.query_url):
        _, rows = sparqlwrapper_select(url, query)
        assert rows, url
        assert all(str(r["dataset"]).endswith("/graph/linked/memberships") for r in rows)


def test_corpus_build_pushes_and_answers_alike(request, tmp_path):
    """The real corpus build, linked with the memberships dataset, on fresh servers."""
    try:
        build = request.getfixturevalue("corpus_build")
    except pytest.FixtureLookupError:
        pytest.skip("the corpus_build fixture is not defined in tests/conftest.py")
    store = tmp_path / "store"
    shutil.copytree(build.store, store)  # the session's build stays as other tests expect it
    done = cdkg("link", str(MEMBERSHIPS), "--store", str(store))
    assert done.returncode == 0, done.stderr
    (tmp_path / "ox").mkdir()
    (tmp_path / "vt").mkdir()
    with OxigraphServer(tmp_path / "ox") as oxigraph_server, VirtuosoServer(tmp_path / "vt") as virtuoso, \
            CdkgServe(store) as server:
        for url in (oxigraph_server.update_url, virtuoso.update_url):
            done = cdkg("push", "--endpoint", url, "--store", str(store))
            assert done.returncode == 0, done.stderr
        answered = 0
        for query_file in LIBRARY:
            query = query_file.read_text(encoding="utf-8")
            results = [normal_rows(*sparqlwrapper_select(url, query))
                       for url in (server.url, oxigraph_server.query_url, virtuoso.query_url)]
            assert results[0] == results[1], query_file.name
            assert results[0] == results[2], query_file.name
            answered += bool(results[0])
            if query_file.name == "sco-members-agreements.rq":
                assert results[0], "the joining query finds nothing in the linked corpus"
        assert answered >= len([q for q in LIBRARY if q.parent == QUERIES_DIR]) // 2
