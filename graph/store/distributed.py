"""``cdkg distributed``: the build as a Dask job, its N-Quads shards loaded by Oxigraph's bulk loader.

For corpora beyond one machine. The documents (on a file system every worker sees) are split
into partitions of a ``dask.bag``; each task on a ``dask.distributed`` worker extracts its
documents with the same code as ``cdkg build`` (`cdkg.graph.store.build`) and writes one
N-Quads shard: the documents' graphs and what the one-triple rules derive from them. The
client writes one more shard with the ontology, the lexicon and the lexicon's inferences, then
hands every shard to the bulk loader of a real server, ``oxigraph load`` (files loaded in
parallel, atomically), and finishes the inferences on the loaded store (the cross-document
rules and the check that nothing inferred is asserted elsewhere). The store holds the same quads
as ``cdkg build`` of the same documents.

Run it on a cluster with ``--scheduler tcp://HOST:8786`` (see docs/scale.md); without it a
`distributed.LocalCluster` of ``--workers`` processes runs here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from cdkg.errors import CdkgError

__all__ = ["DistributedReport", "build_distributed", "extract_partition", "oxigraph_load"]


@dataclass
class DistributedReport:
    """What a distributed build did, and how long each part took."""

    out: Path
    documents: int = 0
    facts: int = 0
    triples: int = 0
    inferred: int = 0
    shards: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line of counts, then the seconds of each part.

        Returns
        -------
        str

        Examples
        --------
        >>> print(DistributedReport(Path("b"), documents=2, shards=1, seconds={"extract": 1.0}).summary())
        built b: 2 documents, 0 facts, 0 triples (0 inferred) from 1 shards; extract 1.00 s
        """
        parts = ", ".join(f"{k} {v:.2f} s" for k, v in self.seconds.items())
        return (f"built {self.out}: {self.documents} documents, {self.facts} facts, {self.triples} triples "
                f"({self.inferred} inferred) from {self.shards} shards; {parts}")


def _worker_state(lexicon: str | None) -> None:
    """The pipeline and reasoner of this worker process, made once."""
    from rdflib import Graph

    from cdkg.graph.pipeline import Pipeline
    from cdkg.graph.store import build
    from cdkg.graph.store.inference import axioms_from
    from cdkg.graph.store.reasoner import Reasoner
    from cdkg.paths import ONTOLOGY_TTL, lexicon_dir

    if "pipeline" not in build._WORKER or build._WORKER.get("lexicon") != lexicon:
        build._WORKER.update(pipeline=Pipeline(Path(lexicon) if lexicon else lexicon_dir()),
                             reasoner=Reasoner(axioms_from(Graph().parse(ONTOLOGY_TTL, format="turtle"))),
                             lexicon=lexicon, targets=False)


def extract_partition(paths: list[str], shard: str, lexicon: str | None = None) -> list[dict]:
    """Extract the documents of one partition into the N-Quads file ``shard`` (a Dask task).

    Parameters
    ----------
    paths : list of str
        The documents.
    shard : str
        The file to write (written under a temporary name, then renamed).
    lexicon : str, optional
        A lexicon folder instead of the packaged one.

    Returns
    -------
    list of dict
        Per document: ``path``, ``sha``, ``facts``, ``warning``; or ``problem`` (why it cannot be built).
    """
    from cdkg.graph.store import build

    _worker_state(lexicon)
    records = []
    tmp = f"{shard}.{os.getpid()}.tmp"
    with open(tmp, "wb") as handle:
        for path in paths:
            try:
                sha, asserted, derived, _, facts, warning = build._extract_one(Path(path))
            except CdkgError as exc:
                records.append({"path": path, "problem": str(exc)})
                continue
            handle.write(asserted)
            handle.write(derived)
            records.append({"path": path, "sha": sha, "facts": facts, "warning": warning})
    os.replace(tmp, shard)
    return records


def _base_shard(path: Path, lexicon: str | None) -> None:
    """The ontology, the lexicon and the lexicon's share of the inferences, as N-Quads."""
    import pyoxigraph as ox
    from rdflib import Graph

    from cdkg.graph.pipeline import Pipeline
    from cdkg.graph.store.build import _stable
    from cdkg.graph.store.inference import axioms_from
    from cdkg.graph.store.reasoner import Reasoner
    from cdkg.graph.store.store import Store
    from cdkg.namespaces import LEXICON_GRAPH, ONTOLOGY_GRAPH
    from cdkg.paths import ONTOLOGY_TTL, lexicon_dir

    ontology = Graph().parse(ONTOLOGY_TTL, format="turtle")
    lexicon_graph = Pipeline(Path(lexicon) if lexicon else lexicon_dir()).lexicon.graph
    store = Store.in_memory()
    store.replace_graphs({str(ONTOLOGY_GRAPH): _stable(ontology), str(LEXICON_GRAPH): _stable(lexicon_graph)})
    reasoner = Reasoner(axioms_from(ontology))
    reasoner.write(store, reasoner.local_from_store(store, [str(LEXICON_GRAPH)]))
    store.dump(path, "nq")
    del ox


def oxigraph_load(store: Path, shards: list[Path]) -> None:
    """Load N-Quads shards into an Oxigraph server's store folder with its bulk loader.

    Parameters
    ----------
    store : Path
        The server's data folder (``oxigraph serve --location STORE`` serves it afterwards).
    shards : list of Path
        N-Quads files, loaded in parallel.

    Raises
    ------
    CdkgError
        When the ``oxigraph`` program is missing or the load fails (one line).
    """
    program = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(program).exists():
        raise CdkgError("oxigraph: the Oxigraph server program is not installed (pip install oxigraph)")
    done = subprocess.run([program, "load", "--location", str(store), "--format", "nq",
                           "--file", *map(str, shards)], capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise CdkgError(f"{store}: oxigraph load: {last}")


def build_distributed(documents: Path, out: Path, scheduler: str | None = None, workers: int = 2,
                      partitions: int | None = None, lexicon: str | None = None, client=None) -> DistributedReport:
    """Build the graph of ``documents`` as a Dask job into ``out`` (``store/``, ``shards/``).

    Parameters
    ----------
    documents : Path
        The folder of documents, readable by every worker.
    out : Path
        A new output folder (refused when it holds a store already).
    scheduler : str, optional
        The address of a running ``dask scheduler``; default a `distributed.LocalCluster` here.
    workers : int
        Worker processes of that local cluster.
    partitions : int, optional
        Shards to write (default: 4 per worker, at most one per 50 documents... at least 1).
    lexicon : str, optional
        A lexicon folder instead of the packaged one (it must be readable by every worker).
    client : distributed.Client, optional
        A client to use (its cluster is left running).

    Returns
    -------
    DistributedReport
    """
    from cdkg.graph.store.build import _candidates
    from cdkg.graph.store.reasoner import Reasoner
    from cdkg.graph.store.inference import axioms_from
    from cdkg.graph.store.store import Store
    from cdkg.paths import ONTOLOGY_TTL
    from rdflib import Graph

    documents, out = Path(documents).resolve(), Path(out)
    if (out / "store").exists():
        raise CdkgError(f"{out / 'store'}: already exists; remove it or choose another --out")
    paths = [str(p) for p in _candidates(documents)]
    if not paths:
        raise CdkgError(f"{documents}: no documents (*.txt, *.md) to build from")
    report = DistributedReport(out=out)
    shards_dir = out / "shards"
    if shards_dir.exists():
        shutil.rmtree(shards_dir)
    shards_dir.mkdir(parents=True)
    started = time.perf_counter()
    records = _run_job(paths, shards_dir, scheduler, workers, partitions, lexicon, client)
    report.seconds["extract"] = time.perf_counter() - started
    problems = [r["problem"] for r in records if "problem" in r]
    if problems:
        raise CdkgError(problems[0])
    report.documents = len(records)
    report.facts = sum(r["facts"] for r in records)
    report.warnings = [r["warning"] for r in records if r.get("warning")]
    _base_shard(shards_dir / "base.nq", lexicon)
    shards = sorted(shards_dir.glob("*.nq"))
    report.shards = len(shards)
    started = time.perf_counter()
    oxigraph_load(out / "store", shards)
    report.seconds["load"] = time.perf_counter() - started
    started = time.perf_counter()
    from cdkg.namespaces import INFERRED_GRAPH

    with Store.open(out / "store") as store:
        Reasoner(axioms_from(Graph().parse(ONTOLOGY_TTL, format="turtle"))).finish(store)
        report.triples = len(store)
        report.inferred = store.count(str(INFERRED_GRAPH))
    report.seconds["inference"] = time.perf_counter() - started
    (out / "distributed.json").write_text(json.dumps(
        {"documents": report.documents, "facts": report.facts, "triples": report.triples,
         "inferred": report.inferred, "shards": report.shards, "seconds": report.seconds}, indent=1),
        encoding="utf-8")
    return report


def _run_job(paths: list[str], shards_dir: Path, scheduler: str | None, workers: int,
             partitions: int | None, lexicon: str | None, client) -> list[dict]:
    """The Dask job: the documents as a bag, one `extract_partition` (one shard) per partition."""
    import dask.bag as db
    from distributed import Client, LocalCluster

    own = None
    if client is None:
        if scheduler:
            client = own = Client(scheduler)
        else:
            client = own = Client(LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                               dashboard_address=None))
    try:
        n = partitions or max(1, min(len(paths) // 50 + 1, 4 * max(1, len(client.nthreads()))))
        bag = db.from_sequence(paths, npartitions=n).map_partitions(_bag_partition, str(shards_dir), lexicon)
        return client.compute(bag).result()
    finally:
        if own is not None:
            cluster = getattr(own, "cluster", None)
            own.close()
            if cluster is not None and not scheduler:
                cluster.close()


def _bag_partition(paths, shards_dir: str, lexicon: str | None) -> list[dict]:
    """`extract_partition` of one partition of the bag, into a shard named by its documents."""
    import hashlib

    paths = list(paths)
    name = hashlib.sha1("\n".join(paths).encode("utf-8")).hexdigest()[:16]
    return extract_partition(paths, str(Path(shards_dir) / f"part-{name}.nq"), lexicon)
