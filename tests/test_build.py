"""The corpus build: SHACL-conformant, quality checks clean, incremental and idempotent."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
import rdflib

from cdkg.cli import build_parser
from cdkg.graph.store.build import build
from cdkg.graph.text.lexicon import load_lexicon
from cdkg.graph.store.store import Store
from cdkg.namespaces import CDO, LEXICON_GRAPH, ONTOLOGY_GRAPH
from cdkg.ontology.shacl import validate
from cdkg.paths import SOURCE_ROOT as ROOT


def _union(trig):
    ds = rdflib.Dataset()
    ds.parse(trig, format="trig")
    g = rdflib.Graph()
    for quad in ds.quads((None, None, None, None)):
        g.add(quad[:3])
    return g


def test_corpus_build_conforms_to_shapes(corpus_build):
    conforms, report = validate(_union(corpus_build.trig))
    assert conforms, report[:2000]


def test_corpus_build_has_layers_and_claims(corpus_build):
    with Store.open(corpus_build.store, read_only=True) as store:
        names = store.graph_names()
        assert str(LEXICON_GRAPH) in names and str(ONTOLOGY_GRAPH) in names
        docs = [n for n in names if "/id/doc/" in n]
        assert len(docs) == 2
        rows = store.query("""
            PREFIX cdo: <https://w3id.org/cdkg/ontology#>
            PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
            SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?c a cdo:Claim ; rdf:subject ?s ; rdf:predicate ?p ;
                                                            rdf:object ?o . ?s ?p ?o } }""").rows
        assert int(rows[0][0]) == corpus_build.report.facts > 50


def test_lexicon_loads_all_states():
    lex = load_lexicon()
    states = lex.by_type("State")
    assert len(states) >= 249
    full = [s for s in states if s.wikidata and {"en", "ar", "ru"} <= set(s.labels)]
    assert len(full) >= 249


def test_rebuild_is_incremental_and_idempotent(tmp_path):
    docs = tmp_path / "documents"
    docs.mkdir()
    for p in sorted((ROOT / "data" / "documents").iterdir())[:2]:
        shutil.copy(p, docs / p.name)
    out = tmp_path / "build"
    first = build(docs, out, quiet=True)
    trig = (out / "graph.trig").read_bytes()
    again = build(docs, out, quiet=True)
    assert again.extracted == 0 and again.triples == first.triples
    assert (out / "graph.trig").read_bytes() == trig
    extra = docs / "new.en.txt"
    extra.write_text("Russia and China signed an agreement on cooperation in information security "
                     "on 8 May 2015 in Moscow.", encoding="utf-8")
    third = build(docs, out, quiet=True)
    assert third.extracted == 1 and third.documents == (first.documents + 1) and third.triples > first.triples
    extra.unlink()
    fourth = build(docs, out, quiet=True)
    assert fourth.removed == 1 and fourth.triples == first.triples


def test_every_subcommand_has_help():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    assert {"extract", "build", "evaluate", "query", "queries", "sparql", "serve", "push", "link",
            "export", "view", "ontology", "validate"} <= set(commands)
    for name in commands:
        proc = subprocess.run([sys.executable, "-m", "cdkg.cli", name, "--help"], capture_output=True, text=True)
        assert proc.returncode == 0 and "usage:" in proc.stdout, name


def test_build_of_missing_folder_is_one_line_error(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "cdkg.cli", "build", "--documents", str(tmp_path / "nope"),
                           "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "nope" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_project_option_reads_and_writes_the_project_folder(tmp_path, monkeypatch, capsys):
    from cdkg.cli import main

    project = tmp_path / "project"
    (project / "data" / "documents").mkdir(parents=True)
    for p in sorted((ROOT / "data" / "documents").iterdir())[:2]:
        shutil.copy(p, project / "data" / "documents" / p.name)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("CDKG_PROJECT", raising=False)
    assert main(["--project", str(project), "build", "--quiet"]) == 0
    assert (project / "build" / "store").is_dir() and not (elsewhere / "build").exists()
    assert "CDKG_PROJECT" not in os.environ, "--project holds for one run only"
    assert main(["--project", str(tmp_path / "missing"), "build"]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_unseen_press_release_gives_the_agreement_its_parties_and_evidence_in_sparql(tmp_path):
    """A user drops an English press release (written for this test) into data/documents and builds:
    the agreement, both states as parties with their Wikidata QIDs, and the quote are in SPARQL."""
    docs = tmp_path / "data" / "documents"
    docs.mkdir(parents=True)
    (docs / "ee-ke.en.txt").write_text(
        "Estonia and Kenya sign cybersecurity memorandum\n\n"
        "NAIROBI, 14 March 2025 (KNA) - Estonia and Kenya on Friday signed a memorandum of understanding on "
        "cooperation in cyber security, the Kenyan foreign ministry said.\n\n"
        "The memorandum was signed in Nairobi by Foreign Minister Margus Tsahkna and his Kenyan counterpart "
        "Musalia Mudavadi after talks between the two delegations.\n", encoding="utf-8")
    build(docs, tmp_path / "build", quiet=True)
    query = """
        PREFIX cdo: <https://w3id.org/cdkg/ontology#>
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?qid ?label ?quote WHERE {
          GRAPH ?doc { ?state cdo:partyTo ?agreement .
                       ?claim rdf:subject ?state ; rdf:predicate cdo:partyTo ; rdf:object ?agreement ;
                              cdo:evidence/oa:hasSelector/oa:exact ?quote .
                       ?agreement rdfs:label ?label . }
          GRAPH ?lexicon { ?state owl:sameAs ?qid }
          FILTER(STRSTARTS(STR(?qid), "http://www.wikidata.org/entity/"))
        } ORDER BY ?qid"""
    with Store.open(tmp_path / "build" / "store", read_only=True) as store:
        rows = store.query(query).rows
    qids = {str(r[0]).rsplit("/", 1)[-1] for r in rows}
    assert qids == {"Q191", "Q114"}  # Estonia, Kenya
    assert {str(r[1]) for r in rows} == {"memorandum of understanding on cooperation in cyber security"}
    assert all(str(r[2]) and "signed" in str(r[2]) or "memorandum" in str(r[2]) for r in rows)
