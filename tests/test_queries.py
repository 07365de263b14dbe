"""The query library: expected rows on the sample (and the corpus build when the lead's fixture
exists), the same rows on Oxigraph and rdflib, quality checks that find planted defects, the CLI.

Regenerate the expected files with ``cdkg queries --write-expected`` (sample) or
``cdkg queries --write-expected --trig build/graph.trig --fixture corpus``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from cdkg import cli
from cdkg.errors import CdkgError
from cdkg.graph.store.inference import materialize
from cdkg.graph.store.reference import ReferenceStore
from cdkg.graph.store.store import Store
from cdkg.queries import library as lib
from cdkg.namespaces import ID

SAMPLE = Path(__file__).parent / "fixtures" / "sample.trig"
LIBRARY = lib.library()
NAMES = sorted(LIBRARY)
QC = [n for n in NAMES if n.startswith("qc/")]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample fixture in an embedded store (with inferences) and the same quads in rdflib."""
    store = Store.in_memory()
    store.load_file(SAMPLE)
    materialize(store)
    trig = store.dump(tmp_path_factory.mktemp("sample") / "sample.trig", "trig")
    reference = ReferenceStore.in_memory()
    reference.load_file(trig)
    return store, reference, trig


def test_library_has_the_questions_of_the_issue():
    for name in ("instruments-by-state", "co-party-pairs", "principles-by-instrument", "memberships",
                 "principles-by-state", "instruments-by-event", "document-claims", "timeline",
                 "heads-of-state", "instruments-by-topic", "labels", "entity-facts",
                 "qc/facts-without-claim", "qc/states-without-qid", "qc/instruments-without-parties",
                 "qc/claims-without-offsets"):
        assert name in LIBRARY, name
    for query in LIBRARY.values():
        assert query.summary, f"{query.name} has no summary"
        assert query.tags, f"{query.name} has no tags"
        assert "GRAPH" in query.text, f"{query.name} must use GRAPH patterns, not a union default graph"


@pytest.mark.parametrize("name", NAMES)
def test_query_returns_expected_rows_on_sample(sample, name):
    store, _, _ = sample
    expected = lib.expected_path(name, "sample")
    assert expected.is_file(), f"missing {expected}; run cdkg queries --write-expected"
    got = lib.to_tsv_rows(lib.run(LIBRARY[name], store))
    assert got == expected.read_text(encoding="utf-8").splitlines()
    # the sample has no linked dataset and no reviews (reviewed-facts has rows in tests/test_review.py)
    if not name.startswith("qc/") and not {"linked", "review"} & set(LIBRARY[name].tags):
        assert len(got) > 1, f"{name} returns no rows on the sample"


@pytest.mark.parametrize("name", NAMES)
def test_oxigraph_and_rdflib_give_the_same_rows(sample, name):
    store, reference, _ = sample
    ours = lib.run(LIBRARY[name], store)
    theirs = lib.run(LIBRARY[name], reference)
    assert ours.vars == theirs.vars
    assert lib.to_tsv_rows(ours) == lib.to_tsv_rows(theirs)


def test_parameters_restrict_the_answer(sample):
    store, reference, _ = sample
    query = LIBRARY["instruments-by-state"]
    everything = lib.run(query, store).rows
    only = lib.run(query, store, {"state": "id:state/CN"}).rows
    assert only and {row[0] for row in only} == {ID["state/CN"]}
    assert len(only) < len(everything)
    assert only == lib.run(query, reference, {"state": "state/CN"}).rows
    pairs = lib.run(LIBRARY["co-party-pairs"], store, {"state": "<https://w3id.org/cdkg/id/state/BY>"}).rows
    assert pairs and all(ID["state/BY"] in row[:2] for row in pairs)


def test_lang_parameter_picks_labels_with_fallback(sample):
    store, _, _ = sample
    labels = {row[0]: (str(row[1]), str(row[2])) for row in lib.run(LIBRARY["labels"], store, lang="ru").rows}
    langs = {lang for _, lang in labels.values()}
    assert "ru" in langs and langs - {"ru"}, "some entities have Russian labels, others fall back"
    assert labels[ID["state/KZ"]][1] == "ru"
    english = {row[0]: str(row[2]) for row in lib.run(LIBRARY["labels"], store).rows}
    assert english[ID["state/KZ"]] == "en"


def test_unknown_parameter_and_bad_values_are_errors():
    with pytest.raises(CdkgError, match="unknown parameter colour"):
        lib.bindings_for(LIBRARY["instruments-by-state"], {"colour": "red"})
    with pytest.raises(CdkgError, match="not a date"):
        lib.bindings_for(LIBRARY["timeline"], {"from": "yesterday"})
    with pytest.raises(CdkgError, match="not an IRI"):
        lib.bindings_for(LIBRARY["instruments-by-state"], {"state": 'x"} ; DROP ALL'})


def test_unknown_query_lists_close_names():
    with pytest.raises(CdkgError, match="did you mean instruments-by-state"):
        lib.find("instrument-by-state")


# --- quality checks --------------------------------------------------------------------------------

def broken_store(update: str) -> Store:
    store = Store.in_memory()
    store.load_file(SAMPLE)
    store.update("PREFIX cdo: <https://w3id.org/cdkg/ontology#>\n"
                 "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
                 "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
                 "PREFIX oa: <http://www.w3.org/ns/oa#>\n" + update)
    return store


DEFECTS = {
    "qc/facts-without-claim": """DELETE { GRAPH ?g { ?c ?p ?o } } WHERE { GRAPH ?g {
        ?c a cdo:Claim ; rdf:predicate cdo:headOf ; ?p ?o } }""",
    "qc/states-without-qid": """DELETE { GRAPH ?g { ?s owl:sameAs ?q } } WHERE { GRAPH ?g {
        ?s cdo:iso3166Alpha2 "KG" ; owl:sameAs ?q } }""",
    "qc/instruments-without-parties": """INSERT DATA { GRAPH <https://w3id.org/cdkg/id/doc/test> {
        <https://w3id.org/cdkg/id/doc/test> a cdo:Document .
        <https://w3id.org/cdkg/id/instrument/orphan> a cdo:Convention } }""",
    "qc/claims-without-offsets": """DELETE { GRAPH ?g { ?sel oa:start ?start } } WHERE { GRAPH ?g {
        ?c a cdo:Claim ; rdf:predicate cdo:hosts ; cdo:evidence/oa:hasSelector ?sel . ?sel oa:start ?start } }""",
}


@pytest.mark.parametrize("name", QC)
def test_quality_check_finds_its_defect(sample, name):
    store, _, _ = sample
    assert lib.run(LIBRARY[name], store).rows == [], f"{name} finds defects in the sample"
    broken = broken_store(DEFECTS[name])
    rows = lib.run(LIBRARY[name], broken).rows
    assert rows, f"{name} misses the planted defect"
    assert len(rows) <= 2


def test_every_quality_check_has_a_planted_defect():
    assert set(DEFECTS) == set(QC)


# --- the corpus build (the lead's session fixture, when it exists) ----------------------------------

@pytest.fixture(scope="module")
def corpus(request):
    try:
        build = request.getfixturevalue("corpus_build")
    except pytest.FixtureLookupError:
        pytest.skip("no corpus_build fixture in tests/conftest.py yet")
    store = Store.open(build.store, read_only=True)
    yield store
    store.close()


@pytest.mark.parametrize("name", NAMES)
def test_query_on_corpus_build(corpus, name):
    result = lib.run(LIBRARY[name], corpus)
    if name.startswith("qc/"):
        assert result.rows == [], f"{name} finds defects in the corpus build: {result.rows[:3]}"
        return
    expected = lib.expected_path(name, "corpus")
    if os.environ.get("CDKG_UPDATE_EXPECTED") == "1":
        lib.write_expected(corpus, "corpus", [name])
    if not expected.is_file():
        pytest.skip(f"no {expected.name}; write it with CDKG_UPDATE_EXPECTED=1 and review it")
    assert lib.to_tsv_rows(result) == expected.read_text(encoding="utf-8").splitlines()


# --- the command line ------------------------------------------------------------------------------

def run_cli(capsys, *argv):
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_query_table_shows_labels(capsys):
    status, out, err = run_cli(capsys, "query", "co-party-pairs", "--trig", str(SAMPLE), "--lang", "ar")
    assert status == 0, err
    assert "كازاخستان" in out and "(4 rows)" in out


def test_cli_query_csv_and_json(capsys):
    status, out, _ = run_cli(capsys, "query", "heads-of-state", "--trig", str(SAMPLE), "-f", "csv")
    assert status == 0
    header = out.splitlines()[0].split(",")
    assert header[:3] == ["doc", "doc_label", "person"]
    status, out, _ = run_cli(capsys, "query", "heads-of-state", "--trig", str(SAMPLE), "-f", "json",
                             "--param", "doc=id:doc/none")
    assert status == 0 and json.loads(out)["results"]["bindings"] == []


def test_cli_queries_lists_summaries(capsys):
    status, out, _ = run_cli(capsys, "queries")
    assert status == 0
    assert all(name in out for name in NAMES)


def test_cli_export_keeps_named_graphs(capsys, tmp_path):
    out_file = tmp_path / "all.nq"
    status, _, err = run_cli(capsys, "export", "--format", "nq", "--trig", str(SAMPLE), "--out", str(out_file))
    assert status == 0, err
    graphs = {line.rsplit(" ", 2)[-2] for line in out_file.read_text(encoding="utf-8").splitlines() if line}
    assert "<https://w3id.org/cdkg/id/graph/lexicon>" in graphs and len(graphs) == 3


@pytest.mark.parametrize("argv, message", [
    (["query", "co-party-pair"], "did you mean co-party-pairs"),
    (["sparql", "SELECT ?x WHERE { ?x ?y }"], "query sparql: syntax error at line 1"),
    (["query", "co-party-pairs", "--endpoint", "http://127.0.0.1:9/sparql"], "http://127.0.0.1:9/sparql"),
    (["query", "co-party-pairs", "--store", "/nonexistent/store"], "/nonexistent/store: no store here"),
    (["query", "co-party-pairs", "--param", "state"], "expected KEY=VALUE"),
])
def test_cli_errors_are_one_line_with_status_2(capsys, argv, message):
    if "--store" not in argv and "--endpoint" not in argv:
        argv = argv + ["--trig", str(SAMPLE)]
    status, out, err = run_cli(capsys, *argv)
    assert status == 2
    assert message in err and err.count("\n") == 1


def test_cli_quality_check_with_rows_exits_1(capsys, tmp_path):
    trig = tmp_path / "broken.trig"
    broken_store(DEFECTS["qc/states-without-qid"]).dump(trig, "trig")
    status, out, _ = run_cli(capsys, "query", "qc/states-without-qid", "--trig", str(trig))
    assert status == 1 and "Kyrgyzstan" in out
    status, _, _ = run_cli(capsys, "query", "qc/states-without-qid", "--trig", str(SAMPLE))
    assert status == 0


def test_cli_runs_a_query_file(capsys, tmp_path):
    rq = tmp_path / "mine.rq"
    rq.write_text("#+ summary: count\n#+ params: lang (lang, en)\n"
                  "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(BOUND(?lang)) }\n",
                  encoding="utf-8")
    status, out, err = run_cli(capsys, "query", str(rq), "--trig", str(SAMPLE), "-f", "tsv")
    assert status == 0, err
    assert int(out.splitlines()[1]) > 100
