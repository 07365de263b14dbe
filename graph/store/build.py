"""``cdkg build``: every document of a folder -> named graphs in the store, inferences, TriG.

Each document's graph is named by a hash of its bytes, so a rebuild only extracts documents
whose graph is not yet in the store (or all of them when the pipeline itself changed: tool
version, lexicon or patterns). Graphs of documents no longer in the folder are removed. A build
is a transaction (`cdkg.graph.store.transaction`): it works in a work folder on a fresh store (a
full build) or on a hard-linked copy of the committed one (a rebuild), and moves store, TriG and
manifest into place together at the end, so an interrupted build leaves the previous outputs as
they were and the next build completes.

Documents are extracted in a pool of worker processes (``jobs``, default the cores), each
sending back its graph and its share of the inferences as N-Quads bytes that the store
bulk-loads; nothing that grows with the corpus but the list of names and hashes stays in Python.
Inferences are then finished (`cdkg.graph.store.reasoner`): the cross-document rules, and a
check that nothing inferred is asserted elsewhere; a rebuild that changes a few documents
re-examines only what those documents touch. ``graph.trig`` is streamed by the store.
"""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing as mp
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.compare import to_canonical_graph

from cdkg import __version__
from cdkg.errors import CdkgError
from cdkg.graph.text.documents import DOCUMENT_SUFFIXES, Document, read_document
from cdkg.graph.store.inference import axioms_from
from cdkg.graph.store.reasoner import Reasoner
from cdkg.graph.store.sparql import to_ox
from cdkg.graph.pipeline import Pipeline
from cdkg.graph.facts.extract import why_no_facts
from cdkg.graph.facts.identity import canonical_instruments
from cdkg.graph.facts.provenance import document_iri, document_triples
from cdkg.files import date_problem, file_problem, write_atomic
from cdkg.graph.store.store import Store
from cdkg.graph.store.transaction import build_lock, commit, fault, new_work_dir, recover
from cdkg.namespaces import ID, INFERRED_GRAPH, LEXICON_GRAPH, ONTOLOGY_GRAPH
from cdkg.paths import CODE_DIRS, ONTOLOGY_TTL, lexicon_dir, patterns_dir

__all__ = ["build", "BuildReport"]

_DOC_PREFIX = str(ID["doc/"])
_INFERRED = ox.NamedNode(str(INFERRED_GRAPH))


@dataclass
class BuildReport:
    """What a build did, for the summary line and the benchmark."""

    out: Path
    documents: int = 0
    extracted: int = 0
    removed: int = 0
    facts: int = 0
    triples: int = 0
    inferred: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        """The report as the build prints it.

        Returns
        -------
        str
            One line of counts and seconds, then where the graph and the store are.

        Examples
        --------
        >>> print(BuildReport(Path("build"), documents=2, extracted=2, facts=70, triples=9000).summary())
        built build: 2 documents (2 extracted, 0 removed), 70 facts, 9000 triples (0 inferred) in 0.00 s
          graph:  build/graph.trig
          store:  build/store
        """
        lines = [f"built {self.out}: {self.documents} documents ({self.extracted} extracted, "
                 f"{self.removed} removed), {self.facts} facts, {self.triples} triples "
                 f"({self.inferred} inferred) in {self.seconds:.2f} s",
                 f"  graph:  {self.out / 'graph.trig'}",
                 f"  store:  {self.out / 'store'}"]
        return "\n".join(lines)


def _candidates(folder: Path) -> list[Path]:
    """Every entry of ``folder`` named like a document (``*.txt``, ``*.md``, not hidden), whatever its kind."""
    if not folder.is_dir():
        raise CdkgError(f"{folder}: no such folder of documents")
    return sorted(p for p in folder.iterdir() if p.suffix in DOCUMENT_SUFFIXES and not p.name.startswith("."))


def _read_one(path: Path) -> tuple[Document | None, str | None]:
    """The document at ``path``, or the one line saying why it cannot be built (file kind checked first)."""
    problem = file_problem(path)
    if problem:
        return None, f"{path}: {problem}"
    try:
        doc = read_document(path)
    except CdkgError as exc:
        return None, str(exc)
    except (OSError, ValueError) as exc:
        return None, f"{path}: cannot read ({' '.join(str(exc).split())[:200]})"
    for key in ("published",):
        if doc.meta.get(key) not in (None, ""):
            problem = date_problem(doc.meta[key])
            if problem:
                return None, f"{path}: {problem} as {key!r} in its metadata"
    return doc, None


@dataclass(frozen=True)
class _Ref:
    """A document checked by the first pass: where it is, its content hash and its name (no text)."""

    path: Path
    sha: str
    name: str


def _read_documents(folder: Path, keep_going: bool, report: "BuildReport") -> list[_Ref]:
    """Every document of ``folder``, read and checked before anything is written.

    A bad one stops the build with its one-line error, or with ``keep_going`` is skipped and
    noted in ``report.skipped``. Only the path, hash and name of each are kept (the workers
    read the text again), so memory does not grow with the size of the documents.
    """
    docs = []
    for path in _candidates(folder):
        doc, problem = _read_one(path)
        if problem is None:
            docs.append(_Ref(path, doc.sha, doc.name))
        elif keep_going:
            report.skipped.append(problem)
        else:
            raise CdkgError(problem)
    if not docs:
        raise CdkgError(f"{folder}: no documents (*.txt, *.md) to build from")
    return docs


def _fingerprint(lexicon: Path) -> str:
    """Changes when anything that shapes extraction changes: tool, lexicon, patterns, ontology."""
    h = hashlib.sha256(__version__.encode())
    for folder in (lexicon, patterns_dir()):
        for path in sorted(folder.glob("*")):
            if path.is_file():
                h.update(path.name.encode())
                h.update(path.read_bytes())
    h.update(ONTOLOGY_TTL.read_bytes())
    for module in sorted(p for d in CODE_DIRS for p in d.rglob("*.py")):
        h.update(module.read_bytes())
    return h.hexdigest()[:16]


def _stable(graph: Graph) -> Graph:
    """Blank nodes replaced by IRIs derived from the graph's content (canonical labelling, then
    skolemization), so every build writes the same bytes. A graph without blank nodes is already
    stable (the lexicon: canonical labelling would cost a second for nothing)."""
    if not any(isinstance(term, BNode) for triple in graph for term in triple):
        return graph
    return to_canonical_graph(graph).skolemize(authority="https://w3id.org", basepath="/cdkg/.well-known/genid/")


def _read_manifest(path: Path) -> dict:
    """The manifest of the last build (``{}`` when there is none or it is unreadable)."""
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, json.JSONDecodeError):
        return {}


# --- extraction in worker processes -----------------------------------------------------------------

_WORKER: dict = {}
#: N-Quads bytes gathered before one call of the bulk loader (bounds the build's memory).
_LOAD_BYTES = 32 << 20        # the pipeline and reasoner of this process (set before the pool forks)


def _extract_one(path: Path) -> tuple[str, bytes, bytes, bytes, int, str | None]:
    """One document -> (its sha, its graph as N-Quads, what the one-triple rules derive from it
    as N-Quads in the inferred graph, its triples an inference could repeat, its number of facts,
    why it has none). Runs in a worker process; only bytes travel back."""
    doc, problem = _read_one(path)
    if problem is not None:
        raise CdkgError(problem)
    result = canonical_instruments(_WORKER["pipeline"].extract_document(doc))  # what the graph holds
    reasoner = _WORKER["reasoner"]
    triples = list(dict.fromkeys(_ox_triples(document_triples(result))))
    g = ox.NamedNode(str(document_iri(doc.sha)))
    asserted = ox.serialize([ox.Quad(s, p, o, g) for s, p, o in triples], format=ox.RdfFormat.N_QUADS)
    derived = ox.serialize([ox.Quad(s, p, o, _INFERRED) for s, p, o in sorted(reasoner.derive_all(triples), key=str)],
                           format=ox.RdfFormat.N_QUADS)
    targets = ox.serialize([ox.Quad(s, p, o, _INFERRED) for s, p, o in triples if p in reasoner.targets],
                           format=ox.RdfFormat.N_QUADS) if _WORKER.get("targets") else b""
    warning = None if result.facts else f"{doc.path}: {why_no_facts(result)}"
    return doc.sha, asserted, derived, targets, len(result.facts), warning


def _ox_triples(triples):
    """rdflib triples as pyoxigraph ones; an IRI repeated in the document is converted once
    (a literal is always converted: rdflib's equality ignores the case of its language)."""
    iris: dict[str, ox.NamedNode] = {}

    def term(t):
        if type(t) is URIRef:
            node = iris.get(t)
            if node is None:
                node = iris[t] = ox.NamedNode(t)
            return node
        return to_ox(t)

    return ((term(s), term(p), term(o)) for s, p, o in triples)


def _results(paths: list[Path], jobs: int):
    """`_extract_one` of each path, in order: in a pool of ``jobs`` forked workers, or here."""
    if jobs <= 1 or len(paths) < 2 or "fork" not in mp.get_all_start_methods():
        yield from map(_extract_one, paths)
        return
    with mp.get_context("fork").Pool(min(jobs, len(paths))) as pool:
        yield from pool.imap(_extract_one, paths, chunksize=4)


def _triples(data: bytes) -> list[tuple]:
    return [(q.subject, q.predicate, q.object) for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)]


def _extract(store: Store, todo: list[_Ref], total: int, jobs: int, facts_by_doc: dict,
             report: BuildReport, quiet: bool, candidates: set | None) -> None:
    """Extract the documents of ``todo`` into their graphs and their local inferences, with progress.

    With ``candidates`` (an incremental build), the triples whose inferred status may change
    are collected into it."""
    bar = None
    if not quiet and sys.stderr.isatty():       # a progress bar on a terminal, else one line per document
        from tqdm import tqdm
        bar = tqdm(total=total, initial=total - len(todo), file=sys.stderr, unit="doc", desc="build", leave=False)
    buffer: list[bytes] = []
    size = 0
    for n, (ref, (sha, asserted, derived, targets, facts, warning)) in enumerate(
            zip(todo, _results([r.path for r in todo], jobs)), 1):
        if sha != ref.sha:
            raise CdkgError(f"{ref.path}: changed while the build was reading it; run `cdkg build` again")
        if bar is not None:
            bar.update()
        fault(f"extract:{n}")
        if warning:
            report.warnings.append(warning)
        buffer += (asserted, derived)
        size += len(asserted) + len(derived)
        if size >= _LOAD_BYTES:      # the bulk loader costs ~0.1 s a call: feed it tens of MB at once
            store.load_nquads(b"".join(buffer))
            buffer, size = [], 0
        if candidates is not None:
            candidates.update(_triples(derived))
            candidates.update(_triples(targets))
        fault(f"stored:{n}")
        iri = str(document_iri(sha))
        facts_by_doc[iri] = facts
        report.extracted += 1
        if not quiet and bar is None:
            print(f"[{n}/{len(todo)}] {ref.name}: {facts} facts", file=sys.stderr)
    store.load_nquads(b"".join(buffer))
    if bar is not None:
        bar.close()


def _write_manifest(path: Path, fingerprint: str, report: BuildReport, wanted: dict, facts_by_doc: dict,
                    linked: dict) -> None:
    """What the next build compares with: the pipeline's fingerprint, sizes, documents and fact
    counts; and the linked datasets (`cdkg link`) the store keeps."""
    write_atomic(path, json.dumps(
        {"fingerprint": fingerprint, "tool": __version__,
         "triples": report.triples, "inferred": report.inferred,
         "documents": {iri: d.name for iri, d in sorted(wanted.items())},
         "facts": {k: v for k, v in sorted(facts_by_doc.items()) if k in wanted},
         "linked": dict(sorted(linked.items()))},
        ensure_ascii=False, indent=1).encode("utf-8"))


def _kept_links(manifest: dict, names: set[str]) -> dict:
    """The manifest's record of the linked datasets (`cdkg link`) whose graphs the store holds."""
    linked = manifest.get("linked")
    return {g: v for g, v in linked.items() if g in names} if isinstance(linked, dict) else {}


#: Above this many changed documents a rebuild recomputes the inferences instead of updating them.
_INCREMENTAL_LIMIT = 2000


def _pipeline(lexicon: Path) -> Pipeline:
    """The extraction pipeline, made on first use (a build with nothing to extract never parses
    the lexicon) and left where the forked workers find it."""
    if "pipeline" not in _WORKER:
        _WORKER["pipeline"] = Pipeline(lexicon)
    return _WORKER["pipeline"]


def _fresh_store(work: Path, committed: Path, pipeline) -> Store:
    """A new store in ``work`` with the ontology, the lexicon and the committed store's other
    graphs (linked datasets), but no document and no inference."""
    store = Store.open(work / "store")
    ontology = Graph().parse(ONTOLOGY_TTL, format="turtle")
    store.replace_graphs({str(ONTOLOGY_GRAPH): _stable(ontology), str(LEXICON_GRAPH): _stable(pipeline().lexicon.graph)})
    if committed.is_dir():
        keep = (str(ONTOLOGY_GRAPH), str(LEXICON_GRAPH), str(INFERRED_GRAPH))
        with Store.open(committed, read_only=True) as old:
            for g in sorted(old.graph_names()):
                if not g.startswith(_DOC_PREFIX) and g not in keep:
                    store.add_quads(old.match(None, None, None, ox.NamedNode(g)))
    return store


def _build_into(work: Path, out: Path, docs: list[_Ref], pipeline, fingerprint: str, manifest: dict,
                full: bool, report: BuildReport, quiet: bool, jobs: int, trig: bool, reasoner: Reasoner) -> bool:
    """Update the store in ``work`` (a fresh one for a full build, else a copy of the committed
    one) and write the new graph and manifest beside it.

    Returns False when nothing changed since the committed build (nothing to commit).
    """
    store = _fresh_store(work, out / "store", pipeline) if full else Store.open(work / "store")
    try:
        names = store.graph_names()
        existing = {g for g in names if g.startswith(_DOC_PREFIX)}
        wanted = {str(document_iri(d.sha)): d for d in docs}
        stale = sorted(existing - set(wanted))
        facts_by_doc = dict(manifest.get("facts", {})) if not full else {}
        todo = [d for iri, d in sorted(wanted.items(), key=lambda kv: kv[1].name)
                if full or iri not in existing or iri not in facts_by_doc]
        if not full and (str(ONTOLOGY_GRAPH) not in names or str(LEXICON_GRAPH) not in names):
            ontology = Graph().parse(ONTOLOGY_TTL, format="turtle")
            store.replace_graphs({str(ONTOLOGY_GRAPH): _stable(ontology), str(LEXICON_GRAPH): _stable(pipeline().lexicon.graph)})
            full_inference = True
        else:
            full_inference = full
        incremental = (not full_inference and str(INFERRED_GRAPH) in names
                       and 0 < len(todo) + len(stale) <= _INCREMENTAL_LIMIT)
        candidates: set | None = set() if incremental else None
        old_cross: set = set()
        if incremental:
            old_cross = reasoner.cross_closure(reasoner.scan(store))
            for g in stale:            # what the removed documents asserted or derived may change status
                for q in store.match(None, None, None, ox.NamedNode(g)):
                    t = (q.subject, q.predicate, q.object)
                    if t[1] in reasoner.targets:
                        candidates.add(t)
                    if reasoner.local(t):
                        candidates |= reasoner.derive(t)
        if stale:
            store.remove_graphs(stale)
        report.removed = len(stale)
        if full:                       # the lexicon's and linked datasets' share of the inferences
            reasoner.write(store, reasoner.local_from_store(
                store, [g for g in store.graph_names() if g != str(ONTOLOGY_GRAPH)]))
        _WORKER["targets"] = incremental
        if todo:
            pipeline()                 # before the workers fork
        started = time.perf_counter()
        _extract(store, todo, len(wanted), jobs, facts_by_doc, report, quiet, candidates)
        report.timings["extract+store"] = time.perf_counter() - started
        report.documents = len(wanted)
        report.facts = sum(v for k, v in facts_by_doc.items() if k in wanted)
        # nothing changed since the last complete build (same documents, same pipeline, same store
        # size): the inferences and graph.trig are already right
        if (not full and not report.extracted and not stale and (out / "graph.trig").exists() == trig
                and "triples" in manifest and manifest["triples"] == len(store)):
            report.inferred = manifest.get("inferred", 0)
            report.triples = len(store)
            return False
        fault("inference")
        started = time.perf_counter()
        if incremental:
            cross = reasoner.cross_closure(reasoner.scan(store))
            reasoner.write(store, cross)
            reasoner.settle(store, candidates | old_cross | cross, cross)
        elif full:
            reasoner.finish(store)
        else:
            reasoner.recompute(store)
        report.inferred = store.count(str(INFERRED_GRAPH))
        report.timings["inference"] = time.perf_counter() - started
        fault("dump")
        started = time.perf_counter()
        if trig:
            store.dump(work / "graph.trig")
        report.timings["dump"] = time.perf_counter() - started
        report.triples = len(store)
        fault("manifest")
        _write_manifest(work / "manifest.json", fingerprint, report, wanted, facts_by_doc, _kept_links(manifest, names))
    finally:
        store.close()
    return True


def build(documents: Path, out: Path, lexicon: str | Path | None = None, quiet: bool = False,
          keep_going: bool = False, jobs: int | None = None, trig: bool = True) -> BuildReport:
    """Build (or update) the graph of ``documents`` into ``out`` (store, graph.trig, manifest).

    Parameters
    ----------
    documents : Path
        The folder of documents (``.txt`` with ``.meta.json`` sidecars or front matter).
    out : Path
        The output folder: ``store/``, ``graph.trig``, ``manifest.json``.
    lexicon : str or Path, optional
        A lexicon folder instead of the packaged one.
    quiet : bool
        No progress bar.
    keep_going : bool
        Skip bad documents (listed in ``report.skipped``) instead of stopping at the first one.
    jobs : int, optional
        Worker processes that extract documents (default: the machine's cores; 1: in this process).
    trig : bool
        Write ``graph.trig`` (streamed by the store); without it a previous one is removed.

    Returns
    -------
    BuildReport
        What was extracted, removed, skipped and written.

    Examples
    --------
    >>> import tempfile
    >>> from cdkg.paths import SOURCE_ROOT
    >>> out = Path(tempfile.mkdtemp())
    >>> report = build(SOURCE_ROOT / "tests" / "fixtures" / "documents", out, quiet=True)
    >>> report.documents, (out / "graph.trig").is_file()
    (4, True)
    """
    started = time.perf_counter()
    lex_dir = Path(lexicon) if lexicon else lexicon_dir()
    report = BuildReport(out=out)
    # read and check every document first: a bad file stops the build before anything is written
    docs = _read_documents(Path(documents), keep_going, report)
    report.timings["read"] = time.perf_counter() - started
    _WORKER.clear()
    pipeline = functools.partial(_pipeline, lex_dir)
    reasoner = Reasoner(axioms_from(Graph().parse(ONTOLOGY_TTL, format="turtle")))
    _WORKER["reasoner"] = reasoner                           # inherited by the forked workers
    fingerprint = _fingerprint(lex_dir)
    manifest_path = out / "manifest.json"
    jobs = jobs or os.cpu_count() or 1

    with build_lock(out):
        recover(out)             # finish a commit a killed build left half done, drop its work folder
        manifest = _read_manifest(manifest_path)
        full = manifest.get("fingerprint") != fingerprint or not (out / "store").is_dir()
        work = new_work_dir(out)
        try:
            if not full:         # a hard-linked copy of the committed store to update
                with Store.open(out / "store", read_only=True) as committed:
                    committed.backup(work / "store")
            fault("copied")
            changed = _build_into(work, out, docs, pipeline, fingerprint, manifest, full, report, quiet,
                                  jobs, trig, reasoner)
            fault("built")
            if changed:
                commit(out, work)
                if not trig:
                    (out / "graph.trig").unlink(missing_ok=True)   # it would describe an older build
        finally:
            shutil.rmtree(work, ignore_errors=True)
            _WORKER.clear()
    report.seconds = time.perf_counter() - started
    return report
