"""``make bench``: ingest speed, query latency against rdflib, view cost and memory, at growing sizes.

For each corpus size (synthetic documents, `cdkg.bench.corpus`) it runs ``cdkg build`` in a fresh
process and reports documents/s, triples/s, the no-change rebuild and peak memory, then draws
every standard view from the built store. For each graph size (synthetic N-Quads in the build's
shape, plus the real lexicon, ontology and inferences) it times every library query on the
embedded Oxigraph store (`cdkg.graph.store.store.Store`) and on rdflib's in-memory store
(`cdkg.graph.store.reference.ReferenceStore`) in the same run, the rdflib side capped by a timeout per query.
It also times the ``make run`` steps on the project's own corpus.

Run ``cdkg bench run`` (default: 10^2 and 10^3 documents, 10^5 triples, a few minutes),
``--full`` (10^3, 10^4 and 10^5 documents, 10^5 and 10^6 triples) or ``--quick``; ``--markdown docs/benchmarks.md``
rewrites the results block of that file (``--from-json`` re-prints an earlier run).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cdkg.bench.report import report, write_markdown
from cdkg.paths import QUERIES_DIR

def _progress(iterable, **kw):
    """A tqdm progress bar on stderr when it is a terminal, else the iterable itself."""
    if sys.stderr.isatty():
        from tqdm import tqdm

        return tqdm(iterable, file=sys.stderr, leave=False, **kw)
    return iterable


def _peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict:
    """What the numbers were measured on.

    Returns
    -------
    dict
        CPU model, cores, memory, system, Python and library versions.

    Examples
    --------
    >>> sorted(machine())[:3]
    ['cores', 'cpu', 'load_average_at_start']
    """
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    except (OSError, AttributeError):
        mem_kb = 0
    import pyoxigraph
    import rdflib

    try:
        load = os.getloadavg()[0]
    except OSError:
        load = -1.0
    return {"cpu": model, "cores": os.cpu_count(), "memory_gb": round(mem_kb / 1024 / 1024, 1),
            "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "pyoxigraph": pyoxigraph.__version__, "rdflib": rdflib.__version__,
            "load_average_at_start": round(load, 2)}


# --- ingest -------------------------------------------------------------------------------------

@dataclass
class BuildResult:
    """One measured build: its size, its times and its peak memory."""

    documents: int
    seconds: float
    triples: int
    rebuild_seconds: float
    peak_mb: float
    extract_seconds: float = 0.0
    views: list = field(default_factory=list)
    cpu_seconds: float = 0.0
    steps: dict = field(default_factory=dict)       # seconds of the build's steps (its --report-json)
    add10_seconds: float = 0.0                      # rebuild after adding 10 documents (--no-trig)

    @property
    def docs_per_s(self) -> float:
        """Documents built per second.

        Returns
        -------
        float

        Examples
        --------
        >>> BuildResult(documents=100, seconds=2.0, triples=25000, rebuild_seconds=0.5, peak_mb=150).docs_per_s
        50.0
        """
        return self.documents / self.seconds

    @property
    def triples_per_s(self) -> float:
        """Triples written per second.

        Returns
        -------
        float

        Examples
        --------
        >>> BuildResult(documents=100, seconds=2.0, triples=25000, rebuild_seconds=0.5, peak_mb=150).triples_per_s
        12500.0
        """
        return self.triples / self.seconds


def _cdkg(*args: str, timeout: float = 3600) -> tuple[float, float]:
    """Run ``cdkg ARGS`` in a fresh process; (wall seconds, peak memory MB). Fails loudly."""
    seconds, peak, _ = _cdkg_usage(*args)
    return seconds, peak


def _cdkg_usage(*args: str, env: dict | None = None) -> tuple[float, float, float]:
    """Run ``cdkg ARGS`` in a fresh process; (wall seconds, peak memory MB of the largest process,
    CPU seconds of it and of the workers it waited for). Fails loudly."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "cdkg.cli", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"bench: cdkg {' '.join(args)} failed ({proc.returncode}): {err.strip()[-500:]}")
    # wait4's usage counts the child and the processes it waited for (the build's workers)
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def startup(store: Path, repeats: int = 5) -> dict:
    """Median CPU seconds of ``cdkg --help`` and of ``cdkg query`` on a built store (fresh processes).

    Parameters
    ----------
    store : Path
        A built store.
    repeats : int
        Runs of each.

    Returns
    -------
    dict
        ``help_cpu_s``, ``query_cpu_s`` and the query's name.
    """
    name = "instruments-by-state --param state=id:state/KZ"      # bound: the query itself takes ms
    # as an installed tool starts: with its bytecode cached (some shells set PYTHONDONTWRITEBYTECODE,
    # which recompiles every module on each start), after one run that writes the cache
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    query = ("query", *name.split(), "--store", str(store))
    _cdkg_usage("--help", env=env), _cdkg_usage(*query, env=env)
    help_cpu = [_cdkg_usage("--help", env=env)[2] for _ in range(repeats)]
    query_cpu = [_cdkg_usage(*query, env=env)[2] for _ in range(repeats)]
    return {"help_cpu_s": statistics.median(help_cpu), "query_cpu_s": statistics.median(query_cpu),
            "query": name}


def bench_build(count: int, work: Path, seed: int) -> BuildResult:
    """Generate ``count`` documents, build them, rebuild with no change; time and measure each.

    Parameters
    ----------
    count : int
        Synthetic documents to build.
    work : Path
        The scratch folder.
    seed : int
        The corpus seed.

    Returns
    -------
    BuildResult
    """
    from cdkg.bench.corpus import write_documents
    from cdkg.graph.store.store import Store

    docs, out = work / f"docs-{count}", work / f"build-{count}"
    write_documents(docs, count, seed=seed)
    steps = work / f"steps-{count}.json"
    seconds, peak, cpu = _cdkg_usage("build", "--documents", str(docs), "--out", str(out), "--quiet",
                                     "--report-json", str(steps))
    rebuild, _ = _cdkg("build", "--documents", str(docs), "--out", str(out), "--quiet")
    with Store.open(out / "store", read_only=True) as store:
        triples = len(store)
    result = BuildResult(documents=count, seconds=seconds, triples=triples, rebuild_seconds=rebuild,
                         peak_mb=peak, extract_seconds=_extract_seconds(docs), cpu_seconds=cpu,
                         steps=json.loads(steps.read_text(encoding="utf-8"))["timings"])
    grown = work / f"docs-{count}-plus-10"
    write_documents(grown, count + 10, seed=seed)          # the same documents and 10 more
    # the TriG dump is a pass over the whole graph whatever changed: measured apart (steps["dump"])
    result.add10_seconds, _ = _cdkg("build", "--documents", str(grown), "--out", str(out), "--quiet", "--no-trig")
    shutil.rmtree(grown, ignore_errors=True)
    return result


def _extract_seconds(docs: Path, limit: int = 300) -> float:
    """Seconds per document of extraction alone (read, mentions, facts, RDF), in this process."""
    from cdkg.graph.facts.provenance import document_graph
    from cdkg.graph.pipeline import Pipeline
    from cdkg.graph.text.documents import list_documents

    pipeline = Pipeline()
    paths = list_documents(docs)[:limit]
    started = time.perf_counter()
    for path in paths:
        document_graph(pipeline.extract(path))
    return (time.perf_counter() - started) / len(paths)


def bench_views(store_dir: Path, work: Path) -> list[dict]:
    """Time and size of every standard view (English page) drawn from a built store.

    Parameters
    ----------
    store_dir : Path
        A built store.
    work : Path
        Where to write the pages.

    Returns
    -------
    list of dict
        One per standard view: nodes, edges, seconds, size.
    """
    from cdkg.visualize.views import view_graph
    from cdkg.visualize.projections import STANDARD_VIEWS, read_index
    from cdkg.visualize.pyvis_html import write_view
    from cdkg.visualize.source import open_graph

    graph = open_graph(store=store_dir)
    started = time.perf_counter()
    index = read_index(graph)
    index_seconds = time.perf_counter() - started
    results = []
    for kind in STANDARD_VIEWS:
        started = time.perf_counter()
        view = view_graph(graph, kind, index=index)
        path = write_view(view, work / f"{kind}-en.html", kind, "en")
        results.append({"view": kind, "nodes": view.number_of_nodes(), "edges": view.number_of_edges(),
                        "seconds": time.perf_counter() - started, "index_seconds": index_seconds,
                        "size_kb": path.stat().st_size / 1024, "reduced": view.graph.get("reduced") or ""})
    del graph
    return results


def bench_corpus_run(work: Path) -> dict:
    """The steps of ``make run`` on data/documents (build, three queries, every view), timed.

    Parameters
    ----------
    work : Path
        The scratch folder.

    Returns
    -------
    dict
        Seconds per ``make run`` step and in total.
    """
    out = work / "corpus-build"
    steps = {}
    steps["build"], _ = _cdkg("build", "--out", str(out), "--quiet")
    query_seconds = 0.0
    for name in ("instruments-by-state", "co-party-pairs", "principles-by-instrument"):
        if (QUERIES_DIR / f"{name}.rq").exists():
            query_seconds += _cdkg("query", name, "--store", str(out / "store"))[0]
    steps["3 queries"] = query_seconds
    steps["view all"], _ = _cdkg("view", "all", "--out-dir", str(out / "views"), "--store", str(out / "store"))
    steps["total"] = sum(steps.values())
    return steps


# --- queries ------------------------------------------------------------------------------------

class _Timeout(BaseException):
    """Raised by the alarm inside a slow rdflib query (BaseException, so no handler swallows it)."""


def _on_alarm(signum, frame):
    raise _Timeout()


def _time(source, query, repeats: int, timeout: float | None) -> tuple[float | None, int]:
    """Median seconds of ``repeats`` runs (after one warm-up for fast queries) and the row count;
    ``None`` when one run exceeds ``timeout``."""
    from cdkg.queries.library import run

    times, rows = [], 0
    previous = signal.signal(signal.SIGALRM, _on_alarm) if timeout else None
    try:
        for attempt in range(repeats + 1):
            if timeout:
                signal.setitimer(signal.ITIMER_REAL, timeout)
            started = time.perf_counter()
            try:
                result = run(query, source)
            except _Timeout:
                return None, rows
            finally:
                if timeout:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            elapsed = time.perf_counter() - started
            rows = len(result)
            if attempt == 0 and elapsed < 1.0:
                continue                     # warm-up run, not counted
            times.append(elapsed)
            if sum(times) > (timeout or 10):
                break                        # slow query: fewer runs, the median stays honest
    finally:
        if previous is not None:
            signal.signal(signal.SIGALRM, previous)
    return statistics.median(times), rows


def bench_queries(triples: int, work: Path, seed: int, repeats: int, timeout: float,
                  reference: bool = True) -> dict:
    """Load a synthetic graph of about ``triples`` triples into both stores and time every query.

    Parameters
    ----------
    triples : int
        The synthetic graph's size.
    work : Path
        The scratch folder.
    seed : int
        The graph's seed.
    repeats : int
        Timed runs per query.
    timeout : float
        Seconds per rdflib query before giving up.
    reference : bool
        Also time rdflib's in-memory store.

    Returns
    -------
    dict
        Load times and, per library query, rows and median milliseconds on each store.
    """
    import rdflib

    from cdkg.bench.corpus import write_graph
    from cdkg.graph.store.inference import materialize
    from cdkg.graph.text.lexicon import load_lexicon
    from cdkg.graph.store.reference import ReferenceStore
    from cdkg.graph.store.store import Store
    from cdkg.namespaces import LEXICON_GRAPH, ONTOLOGY_GRAPH
    from cdkg.paths import ONTOLOGY_TTL
    from cdkg.queries.library import library

    nq = work / f"graph-{triples}.nq"
    write_graph(nq, triples, seed=seed)
    folder = work / f"store-{triples}"
    started = time.perf_counter()
    store = Store.open(folder)
    store.load_file(nq)
    store.replace_graphs({str(ONTOLOGY_GRAPH): rdflib.Graph().parse(ONTOLOGY_TTL, format="turtle"),
                          str(LEXICON_GRAPH): load_lexicon().graph})
    inferred = materialize(store)
    load_seconds = time.perf_counter() - started
    total = len(store)
    full = work / f"full-{triples}.nq"
    store.dump(full)
    result = {"triples": total, "inferred": inferred, "oxigraph_load_s": load_seconds, "queries": []}
    queries = [q for name, q in sorted(library().items()) if not q.is_quality_check]
    ref = None
    if reference:
        started = time.perf_counter()
        ref = ReferenceStore.in_memory()
        ref.load_file(full)
        result["rdflib_load_s"] = time.perf_counter() - started
    result["peak_mb_after_load"] = _peak_rss_mb()
    for query in _progress(queries, desc=f"queries at {total:,} triples"):
        ox_s, ox_rows = _time(store, query, repeats, None)
        entry = {"query": query.name, "oxigraph_ms": ox_s * 1000, "rows": ox_rows}
        if ref is not None:
            rd_s, rd_rows = _time(ref, query, repeats, timeout)
            entry["rdflib_ms"] = rd_s * 1000 if rd_s is not None else None
            entry["rdflib_rows"] = rd_rows if rd_s is not None else None
        result["queries"].append(entry)
    store.close()
    del ref
    result["peak_mb"] = _peak_rss_mb()
    shutil.rmtree(folder, ignore_errors=True)
    for path in (nq, full):
        path.unlink(missing_ok=True)
    return result


def run(args: argparse.Namespace) -> int:
    """``cdkg bench run``: measure, print the tables, and write them where asked.

    Parameters
    ----------
    args : argparse.Namespace
        The options of ``cdkg bench run``.

    Returns
    -------
    int
        The exit status (0).
    """
    if args.from_json:
        text = report(json.loads(args.from_json.read_text(encoding="utf-8")))
        print(text)
        if args.markdown:
            write_markdown(args.markdown, text, args.block or ("full" if args.full else "default"))
        return 0
    sizes = args.sizes if args.sizes is not None else (
        [1000, 10000, 100000] if args.full else [100] if args.quick else [100, 1000])
    triples = args.triples if args.triples is not None else (
        [100_000, 1_000_000] if args.full else [100_000])
    repeats = 3 if args.quick else args.repeats
    timeout = args.timeout or (30.0 if args.full else 10.0)
    command = "cdkg " + " ".join(sys.argv[1:])
    results = {"date": time.strftime("%Y-%m-%d"), "command": command.strip(), "machine": machine(),
               "timeout": timeout, "builds": [], "graphs": []}
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="cdkg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if not args.no_corpus:
            print("bench: make run steps on data/documents", file=sys.stderr)
            results["corpus"] = bench_corpus_run(work)
        for count in sizes:
            print(f"bench: build of {count:,} documents", file=sys.stderr)
            b = bench_build(count, work, args.seed)
            if not args.no_views:
                b.views = bench_views(work / f"build-{count}" / "store", work)
            if "startup" not in results:
                results["startup"] = startup(work / f"build-{count}" / "store")
            results["builds"].append(asdict(b))
            shutil.rmtree(work / f"docs-{count}", ignore_errors=True)
            shutil.rmtree(work / f"build-{count}", ignore_errors=True)
        for n in triples:
            print(f"bench: queries at {n:,} triples", file=sys.stderr)
            results["graphs"].append(bench_queries(n, work, args.seed, repeats, timeout,
                                                   reference=not args.no_reference))
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    text = report(results)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    if args.markdown:
        write_markdown(args.markdown, text, args.block or ("full" if args.full else "default"))
    return 0

