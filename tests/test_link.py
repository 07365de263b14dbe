"""`cdkg link`: external RDF in its own named graph, aligned with the lexicon; the joining query."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from servers import CDKG  # noqa: E402
from shared_folder import REFERENCE, needs_shared  # noqa: E402

from cdkg.cli import main as cdkg_main  # noqa: E402
from cdkg.graph.store.memberships import memberships_turtle  # noqa: E402
from cdkg.graph.store.store import Store  # noqa: E402
from cdkg.namespaces import ID, OWL, linked_graph  # noqa: E402
from cdkg.paths import QUERIES_DIR  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "sample.trig"
MEMBERSHIPS = ROOT / "data" / "linked" / "memberships.ttl"
JOIN = (QUERIES_DIR / "sco-members-agreements.rq").read_text(encoding="utf-8")
SCO_GRAPH = str(linked_graph("memberships"))


@pytest.fixture
def store(tmp_path) -> Path:
    folder = tmp_path / "store"
    with Store.open(folder) as target:
        target.load_file(SAMPLE, format="trig")
    return folder


def convert(*args: str) -> int:
    """``cdkg memberships-import ARGS`` in this process; its exit status."""
    return cdkg_main(["memberships-import", *args])


def link(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CDKG, "link", *args], capture_output=True, text=True, timeout=120)


def snapshot(store: Path) -> set:
    with Store.open(store, read_only=True) as reader:
        return {str(q) for q in reader.quads()}


def join_rows(store: Path) -> list[tuple]:
    with Store.open(store, read_only=True) as reader:
        result = reader.query(JOIN, use_default_graph_as_union=False)
        return [dict(zip(result.vars, row)) for row in result.rows]


def test_joining_query_needs_the_documents_and_the_linked_dataset(store):
    assert join_rows(store) == []
    done = link(str(MEMBERSHIPS), "--store", str(store))
    assert done.returncode == 0, done.stderr
    assert SCO_GRAPH in done.stdout
    rows = join_rows(store)
    pairs = {(str(r["stateA"]).rsplit("/", 1)[1], str(r["stateB"]).rsplit("/", 1)[1]) for r in rows}
    # The sample's 2010 agreement has three SCO founding members as parties; its 2023 joint
    # statement has Belarus, which joined the SCO only in 2024, so that pair is not a row.
    assert pairs == {("CN", "KG"), ("CN", "KZ"), ("KG", "KZ")}
    assert all(str(r["sourceA"]).startswith(str(ID["doc/"])) for r in rows)
    assert all(str(r["dataset"]) == SCO_GRAPH for r in rows)


def test_without_alignment_links_the_dataset_alone_joins_nothing(store):
    with Store.open(store) as target:
        target.load_file(MEMBERSHIPS, graph=SCO_GRAPH, format="ttl")
    assert join_rows(store) == []


def test_relinking_is_idempotent_and_only_touches_its_graph(store):
    assert link(str(MEMBERSHIPS), "--store", str(store)).returncode == 0
    first = snapshot(store)
    assert link(str(MEMBERSHIPS), "--store", str(store)).returncode == 0
    assert snapshot(store) == first
    with Store.open(store, read_only=True) as reader:
        names = reader.graph_names()
    assert SCO_GRAPH in names and str(ID["graph/lexicon"]) in names


# --- a build's outputs: store, graph.trig and manifest.json move together ----------------------

TREATY = """@prefix cdo: <https://w3id.org/cdkg/ontology#> .
@prefix state: <https://w3id.org/cdkg/id/state/> .
<http://example.org/treaty> a cdo:Agreement .
state:RU cdo:partyTo <http://example.org/treaty> .
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A committed build of the fixture documents (store, graph.trig, manifest.json)."""
    from cdkg.graph.store.build import build

    out = tmp_path_factory.mktemp("built") / "build"
    build(ROOT / "tests" / "fixtures" / "documents", out, quiet=True, jobs=1)
    return out


@pytest.fixture
def build_copy(built, tmp_path) -> Path:
    out = tmp_path / "build"
    shutil.copytree(built, out)
    return out


def assert_outputs_describe_the_store(out: Path) -> dict:
    """graph.trig holds the store's quads, the manifest its size, and the inferred graph is what
    recomputing it from scratch gives; return the manifest."""
    from rdflib import Graph

    from cdkg.graph.store.inference import axioms_from
    from cdkg.graph.store.reasoner import Reasoner
    from cdkg.namespaces import INFERRED_GRAPH
    from cdkg.paths import ONTOLOGY_TTL

    inferred = ox.NamedNode(str(INFERRED_GRAPH))
    with Store.open(out / "store", read_only=True) as reader:
        quads = {str(q) for q in reader.quads()}
        kept = {str(q) for q in reader.match(None, None, None, inferred)}
        reader.backup(out.parent / "recomputed")
    assert {str(q) for q in ox.parse(path=str(out / "graph.trig"), format=ox.RdfFormat.TRIG)} == quads
    with Store.open(out.parent / "recomputed") as copy:
        Reasoner(axioms_from(Graph().parse(ONTOLOGY_TTL, format="turtle"))).recompute(copy)
        assert {str(q) for q in copy.match(None, None, None, inferred)} == kept
    shutil.rmtree(out.parent / "recomputed")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["triples"] == len(quads) and manifest["inferred"] == len(kept)
    return manifest


def test_link_rewrites_graph_trig_manifest_and_inferences_with_the_store(build_copy, tmp_path):
    from cdkg.graph.store.build import build

    out = build_copy
    trig_before = (out / "graph.trig").read_bytes()
    done = link(str(MEMBERSHIPS), "--store", str(out / "store"))
    assert done.returncode == 0, done.stderr
    assert "graph.trig and manifest.json rewritten" in done.stdout
    assert (out / "graph.trig").read_bytes() != trig_before
    manifest = assert_outputs_describe_the_store(out)
    assert manifest["linked"][SCO_GRAPH]["file"] == "memberships.ttl"
    assert not list(out.glob(".build-*"))

    # a dataset that feeds the cross-document rules, linked and then relinked without one party
    treaty = tmp_path / "treaty.ttl"
    treaty.write_text(TREATY + "state:BY cdo:partyTo <http://example.org/treaty> .\n", encoding="utf-8")
    assert link(str(treaty), "--store", str(out / "store")).returncode == 0
    with_by = assert_outputs_describe_the_store(out)
    treaty.write_text(TREATY, encoding="utf-8")
    assert link(str(treaty), "--store", str(out / "store")).returncode == 0
    without_by = assert_outputs_describe_the_store(out)
    assert with_by["inferred"] > without_by["inferred"]      # RU-BY cooperation and the bilateral type went
    assert set(without_by["linked"]) == {SCO_GRAPH, str(linked_graph("treaty"))}

    # the next build finds nothing to do, and keeps the linked datasets in its manifest
    before = snapshot(out / "store")
    report = build(ROOT / "tests" / "fixtures" / "documents", out, quiet=True, jobs=1)
    assert report.extracted == 0 and snapshot(out / "store") == before
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["linked"] == without_by["linked"]


def test_infer_rewrites_graph_trig_and_manifest_with_the_store(build_copy):
    from cdkg.namespaces import INFERRED_GRAPH

    out = build_copy
    with Store.open(out / "store") as target:      # the store changed outside a build
        target.remove_graphs([str(INFERRED_GRAPH)])
    done = subprocess.run([CDKG, "infer", "--store", str(out / "store")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "graph.trig and manifest.json rewritten" in done.stdout
    assert assert_outputs_describe_the_store(out)["inferred"] > 0
    assert not list(out.glob(".build-*"))


@pytest.mark.parametrize("point", ["link:inference", "amend:dump", "journal"])
def test_a_killed_link_leaves_the_build_as_it_was_or_asks_for_a_build(build_copy, point):
    out = build_copy
    before = {name: (out / name).read_bytes() for name in ("graph.trig", "manifest.json")}
    quads = snapshot(out / "store")
    killed = subprocess.run([CDKG, "link", str(MEMBERSHIPS), "--store", str(out / "store")],
                            capture_output=True, text=True, timeout=120, env={**os.environ, "CDKG_FAULT": point})
    assert killed.returncode == -9, f"the link never reached {point}: {killed.stderr}"
    if point == "journal":      # killed in the commit: refused until a build finishes the move
        refused = link(str(MEMBERSHIPS), "--store", str(out / "store"))
        assert refused.returncode == 2 and "cdkg build" in refused.stderr
        from cdkg.graph.store.build import build
        build(ROOT / "tests" / "fixtures" / "documents", out, quiet=True, jobs=1)
        assert assert_outputs_describe_the_store(out)["linked"][SCO_GRAPH]["triples"] > 0
    else:
        assert {name: (out / name).read_bytes() for name in before} == before
        assert snapshot(out / "store") == quads
    assert link(str(MEMBERSHIPS), "--store", str(out / "store")).returncode == 0
    assert_outputs_describe_the_store(out)
    assert not list(out.glob(".build-*"))


def test_alignment_by_iso_code_and_by_same_as(store, tmp_path):
    data = tmp_path / "countries.nt"
    data.write_text(
        '<http://example.org/country/kz> <http://www.wikidata.org/prop/direct/P297> "kz" .\n'
        '<http://example.org/country/chn> <http://www.wikidata.org/prop/direct/P298> "CHN" .\n'
        '<http://example.org/org/sco> <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q485207> .\n'
        '<http://example.org/country/xx> <http://www.wikidata.org/prop/direct/P297> "XX" .\n', encoding="utf-8")
    done = link(str(data), "--store", str(store), "--name", "Example Countries")
    assert done.returncode == 0, done.stderr
    graph = str(linked_graph("example-countries"))
    with Store.open(store, read_only=True) as reader:
        rows = reader.query(f"SELECT ?a ?b WHERE {{ GRAPH <{graph}> {{ ?a <{OWL.sameAs}> ?b }} }}",
                            use_default_graph_as_union=False).rows
    same = {(str(a), str(b)) for a, b in rows}
    assert (str(ID["state/KZ"]), "http://example.org/country/kz") in same
    assert (str(ID["state/CN"]), "http://example.org/country/chn") in same
    assert (str(ID["org/SCO"]), "http://example.org/org/sco") in same
    assert not any(b.endswith("/xx") for _, b in same)


@pytest.mark.parametrize("name, text, fmt", [
    ("data.rdf", '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                 'xmlns:wdt="http://www.wikidata.org/prop/direct/"><rdf:Description '
                 'rdf:about="http://example.org/c/by"><wdt:P297>BY</wdt:P297></rdf:Description></rdf:RDF>', None),
    ("data.jsonld", '{"@context": {"iso": "http://www.wikidata.org/prop/direct/P297"}, '
                    '"@id": "http://example.org/c/by", "iso": "BY"}', None),
    ("data.trig", '<http://example.org/g> { <http://example.org/c/by> '
                  '<http://www.wikidata.org/prop/direct/P297> "BY" . }', None),
    ("data.txt", '<http://example.org/c/by> <http://www.wikidata.org/prop/direct/P297> "BY" .', "nt"),
])
def test_link_reads_rdf_xml_json_ld_trig_and_explicit_format(store, tmp_path, name, text, fmt):
    data = tmp_path / name
    data.write_text(text, encoding="utf-8")
    done = link(str(data), "--store", str(store), "--name", "x", *(["--format", fmt] if fmt else []))
    assert done.returncode == 0, done.stderr
    assert "1 entities aligned" in done.stdout


def test_malformed_file_is_one_line_exit_2_and_store_untouched(store, tmp_path):
    assert link(str(MEMBERSHIPS), "--store", str(store)).returncode == 0
    before = snapshot(store)
    bad = tmp_path / "memberships.ttl"
    bad.write_text("@prefix wd: <http://www.wikidata.org/entity/> .\nwd:Q1 wd:P463 \"unterminated .\n",
                   encoding="utf-8")
    done = link(str(bad), "--store", str(store))
    assert done.returncode == 2
    assert done.stderr.startswith(f"cdkg: error: {bad}: cannot parse as ttl")
    assert len(done.stderr.strip().splitlines()) == 1
    assert snapshot(store) == before


def test_unknown_format_is_an_error(store, tmp_path):
    data = tmp_path / "data.csv"
    data.write_text("a,b\n", encoding="utf-8")
    done = link(str(data), "--store", str(store))
    assert done.returncode == 2 and "unknown RDF format" in done.stderr


def test_xml_external_entities_are_never_resolved(store, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    for target in ("file:///etc/passwd", secret.as_uri()):
        evil = tmp_path / "evil.rdf"
        evil.write_text(
            f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY xxe SYSTEM "{target}"> ]>\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
            '<rdf:Description rdf:about="http://example.org/x"><rdfs:label>&xxe;</rdfs:label>'
            '</rdf:Description></rdf:RDF>\n', encoding="utf-8")
        done = link(str(evil), "--store", str(store))
        assert done.returncode == 2, done.stdout
        assert str(evil) in done.stderr
        assert "root:" not in done.stderr + done.stdout and "TOP-SECRET" not in done.stderr + done.stdout
        assert not any("root:" in q or "TOP-SECRET" in q for q in snapshot(store))


def test_json_ld_remote_context_is_not_fetched(store, tmp_path):
    hits = []

    class Context(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            body = b'{"@context": {"name": "http://schema.org/name"}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Context)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        data = tmp_path / "remote.jsonld"
        data.write_text(f'{{"@context": "http://127.0.0.1:{server.server_address[1]}/ctx", '
                        '"@id": "http://example.org/a", "name": "x"}', encoding="utf-8")
        done = link(str(data), "--store", str(store))
    finally:
        server.shutdown()
        server.server_close()
    assert done.returncode == 2 and str(data) in done.stderr
    assert hits == []


def write_reference(folder: Path) -> Path:
    (folder / "countries.csv").write_text(
        "iso2,iso3,m49,wikidata,is_independent,name_en,name_en_formal,name_ar,name_ar_formal,name_ru,"
        "name_ru_formal,region,sub_region\n"
        "AA,AAA,1,Q901,Yes,Aland,,ألاند,,Аланд,,,\n"
        "BB,BBB,2,,Yes,Bland,,بلاند,,Бланд,,,\n", encoding="utf-8")
    (folder / "organizations.csv").write_text(
        "key,wikidata,name_en,name_ar,name_ru,abbr_en,abbr_ar,abbr_ru,founded,hq,source,note\n"
        "ORG,Q902,Some \"Quoted\" Organisation,منظمة,Организация,ORG,,,2001,,,\n", encoding="utf-8")
    memberships = folder / "memberships.csv"
    memberships.write_text(
        "org_key,iso2,status,start,end,source,note\n"
        "ORG,AA,founding member,2001-06-15,,https://example.org/a | not a url,first\n"
        "ORG,BB,observer,2005,2017-06,https://example.org/b,\n"
        "ORG,BB,member,2017-06,,,\n", encoding="utf-8")
    return memberships


def test_converter_writes_wikidata_shaped_statements(tmp_path):
    memberships = write_reference(tmp_path)
    out = tmp_path / "out" / "memberships.ttl"
    assert convert("--memberships", str(memberships), "--out", str(out)) == 0
    store = ox.Store()
    store.load(path=str(out), format=ox.RdfFormat.TURTLE)
    rows = {tuple(str(s[v]) if s[v] is not None else None for v in ("state", "start", "end", "role"))
            for s in store.query("""
        PREFIX p: <http://www.wikidata.org/prop/> PREFIX ps: <http://www.wikidata.org/prop/statement/>
        PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
        SELECT ?state ?start ?end ?role WHERE { ?state p:P463 ?st . ?st ps:P463 <http://www.wikidata.org/entity/Q902> ;
          pq:P580 ?start . OPTIONAL { ?st pq:P582 ?end } OPTIONAL { ?st pq:P2868 ?role } }""")}
    local = "<https://w3id.org/cdkg/id/linked/memberships/state/BB>"
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert rows == {
        ("<http://www.wikidata.org/entity/Q901>", f'"2001-06-15"^^<{xsd}date>', None, None),
        (local, f'"2005"^^<{xsd}gYear>', f'"2017-06"^^<{xsd}gYearMonth>', "<https://w3id.org/cdkg/id/role/observer>"),
        (local, f'"2017-06"^^<{xsd}gYearMonth>', None, None),
    }
    assert bool(store.query("ASK { <http://www.wikidata.org/entity/Q901> "
                            "<http://www.wikidata.org/prop/direct/P463> <http://www.wikidata.org/entity/Q902> }"))
    assert bool(store.query(f'ASK {{ {local} <http://www.wikidata.org/prop/direct/P297> "BB" }}'))
    assert "not a url" not in out.read_text(encoding="utf-8")


def test_converter_rejects_unknown_states(tmp_path):
    memberships = write_reference(tmp_path)
    memberships.write_text(memberships.read_text() + "ORG,ZZ,member,2020,,,\n", encoding="utf-8")
    assert convert("--memberships", str(memberships), "--out", str(tmp_path / "x.ttl")) == 2
    assert not (tmp_path / "x.ttl").exists()


@needs_shared(REFERENCE / "memberships.csv")
def test_committed_dataset_is_what_the_converter_writes():
    text = memberships_turtle(REFERENCE / "memberships.csv", REFERENCE / "countries.csv",
                              REFERENCE / "organizations.csv")
    assert text == MEMBERSHIPS.read_text(encoding="utf-8")


def test_committed_dataset_holds_dated_memberships_for_the_lexicon_organizations():
    store = ox.Store()
    store.load(path=str(MEMBERSHIPS), format=ox.RdfFormat.TURTLE)
    orgs = {str(s["org"]) for s in store.query(
        "SELECT DISTINCT ?org WHERE { ?s <http://www.wikidata.org/prop/statement/P463> ?org }")}
    assert len(orgs) >= 4
    undated = list(store.query(
        "SELECT ?st WHERE { ?st <http://www.wikidata.org/prop/statement/P463> ?o "
        "FILTER NOT EXISTS { ?st <http://www.wikidata.org/prop/qualifier/P580> ?start } }"))
    assert undated == []


def test_tests_needing_shared_fail_instead_of_skipping_in_ci(monkeypatch, tmp_path):
    missing = tmp_path / "shared" / "reference" / "memberships.csv"

    def a_test():
        pass

    monkeypatch.delenv("CI", raising=False)
    assert needs_shared(missing)(a_test).pytestmark[0].name == "skipif"
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        needs_shared(missing)(a_test)()
    assert needs_shared(tmp_path)(len) is len  # present: the test runs as written
