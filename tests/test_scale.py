"""The streaming build gives the same graph however it gets there.

- the inferred graph of a build equals what the SPARQL rules (``materialize_sparql``, the
  reference) compute from the same asserted quads, on the project's documents and on a small
  synthetic corpus;
- a build in a pool of worker processes writes the same quads as one in this process;
- adding documents to a built folder, or removing them, gives the same quads and the same
  ``graph.trig`` bytes as a clean build of the new folder (the incremental inference is exact);
- ``--no-trig`` writes no ``graph.trig`` (and removes one an earlier build left).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from cdkg.bench.corpus import write_documents
from cdkg.graph.store.build import build
from cdkg.graph.store.inference import materialize_sparql
from cdkg.graph.store.store import Store
from cdkg.namespaces import INFERRED_GRAPH

ROOT = Path(__file__).resolve().parents[1]
INFERRED = ox.NamedNode(str(INFERRED_GRAPH))


def quads(out: Path) -> set[str]:
    with Store.open(out / "store", read_only=True) as store:
        return {str(q) for q in store.match()}


def inferred_by_reference(out: Path) -> tuple[set, set]:
    """(the build's inferred triples, what the SPARQL rules infer from the build's other quads)."""
    with Store.open(out / "store", read_only=True) as store:
        built = {(q.subject, q.predicate, q.object) for q in store.match(None, None, None, INFERRED)}
        asserted = [q for q in store.match() if q.graph_name != INFERRED]
    reference = Store.in_memory()
    reference.add_quads(asserted)
    materialize_sparql(reference)
    return built, {(q.subject, q.predicate, q.object) for q in reference.match(None, None, None, INFERRED)}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """30 synthetic documents (the first 22 also in their own folder) and a clean build of all 30."""
    root = tmp_path_factory.mktemp("scale")
    first, docs = root / "first", root / "docs"
    write_documents(first, 22, seed=11)
    write_documents(docs, 30, seed=11)
    clean = root / "clean"
    build(docs, clean, quiet=True, jobs=2)
    return root, first, docs, clean


def test_inferences_equal_the_sparql_rules_on_the_project_documents(corpus_build):
    built, reference = inferred_by_reference(corpus_build.out)
    assert built and built == reference


def test_inferences_equal_the_sparql_rules_on_a_synthetic_corpus(corpus):
    built, reference = inferred_by_reference(corpus[3])
    assert len(built) > 1000 and built == reference


def test_workers_and_one_process_write_the_same_quads(corpus, tmp_path):
    _, _, docs, clean = corpus
    build(docs, tmp_path / "serial", quiet=True, jobs=1)
    assert quads(tmp_path / "serial") == quads(clean)
    assert (tmp_path / "serial" / "graph.trig").read_bytes() == (clean / "graph.trig").read_bytes()


def test_adding_then_removing_documents_equals_clean_builds(corpus, tmp_path):
    root, first, docs, clean = corpus
    out = tmp_path / "grown"
    build(first, out, quiet=True, jobs=2)
    before = quads(out)
    report = build(docs, out, quiet=True, jobs=2)
    assert report.extracted == 8 and report.removed == 0
    assert quads(out) == quads(clean)
    assert (out / "graph.trig").read_bytes() == (clean / "graph.trig").read_bytes()
    report = build(first, out, quiet=True, jobs=2)
    assert report.extracted == 0 and report.removed == 8
    assert quads(out) == before


def test_no_trig_writes_none_and_drops_a_stale_one(corpus, tmp_path):
    root, first, docs, clean = corpus
    out = tmp_path / "notrig"
    shutil.copytree(clean, out)
    report = build(first, out, quiet=True, trig=False)
    assert report.removed == 8 and not (out / "graph.trig").exists()
    assert len(quads(out)) == report.triples


def test_dask_job_on_two_workers_gives_the_quads_of_cdkg_build(corpus, tmp_path):
    from distributed import Client, LocalCluster

    from cdkg.graph.store.distributed import build_distributed

    _, _, docs, clean = corpus
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        assert len(client.nthreads()) == 2
        report = build_distributed(docs, tmp_path / "dask", partitions=4, client=client)
    assert report.documents == 30 and report.shards == 5       # four partitions and the ontology/lexicon
    assert quads(tmp_path / "dask") == quads(clean)


def test_dask_job_refuses_a_bad_document_before_loading(tmp_path):
    from cdkg.graph.store.distributed import build_distributed
    from cdkg.errors import CdkgError

    docs = tmp_path / "docs"
    write_documents(docs, 3, seed=2)
    bad = docs / "bad.en.txt"
    bad.write_bytes(b"\xff\xfe not text \x00")
    with pytest.raises(CdkgError, match="bad.en.txt"):
        build_distributed(docs, tmp_path / "out", workers=1, partitions=1)
    assert not (tmp_path / "out" / "store").exists()


def test_help_loads_neither_rdflib_nor_networkx_nor_pyoxigraph():
    """``cdkg --help`` builds every subcommand's parser without running those libraries (a module
    `cdkg.lazy` registered but never used does not count)."""
    import subprocess
    import sys

    code = ("import sys, contextlib, io\nfrom cdkg.cli import build_parser\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n        build_parser().parse_args(['--help'])\n    except SystemExit:\n        pass\n"
            "print(sorted(m for m in ('rdflib', 'networkx', 'pyoxigraph')\n"
            "             if m in sys.modules and type(sys.modules[m]).__name__ != '_LazyModule'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_format_names_are_the_store_formats():
    from cdkg.graph.store.formats import FORMAT_NAMES
    from cdkg.graph.store.store import EXPORT_FORMATS

    assert FORMAT_NAMES == tuple(EXPORT_FORMATS)
