"""``cdkg build``: every document of a folder -> named graphs in the store, inferences, TriG.

Each document's graph is named by a hash of its bytes, so a rebuild only extracts documents
whose graph is not yet in the store (or all of them when the pipeline itself changed: tool
version, lexicon or patterns). Graphs of documents no longer in the folder are removed. A build
is a transaction (`cdkg.graph.store.transaction`): it works on a copy of the committed store in a
work folder and moves store, TriG and manifest into place together at the end, so an interrupted
build leaves the previous outputs as they were and the next build completes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.compare import to_canonical_graph

from cdkg import __version__
from cdkg.errors import CdkgError
from cdkg.graph.text.documents import DOCUMENT_SUFFIXES, Document, read_document
from cdkg.graph.store.inference import materialize
from cdkg.graph.pipeline import Pipeline
from cdkg.graph.facts.extract import why_no_facts
from cdkg.graph.facts.identity import canonical_instruments
from cdkg.graph.facts.provenance import document_iri, document_triples
from cdkg.files import date_problem, file_problem, write_atomic
from cdkg.graph.store.store import Store
from cdkg.graph.store.transaction import build_lock, commit, fault, new_work_dir, recover
from cdkg.namespaces import ID, LEXICON_GRAPH, ONTOLOGY_GRAPH
from cdkg.paths import CODE_DIRS, ONTOLOGY_TTL, lexicon_dir, patterns_dir

__all__ = ["build", "BuildReport"]

_DOC_PREFIX = str(ID["doc/"])


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


def _read_documents(folder: Path, keep_going: bool, report: "BuildReport") -> list[Document]:
    """Every document of ``folder``, read and checked before anything is written.

    A bad one stops the build with its one-line error, or with ``keep_going`` is skipped and
    noted in ``report.skipped``.
    """
    docs = []
    for path in _candidates(folder):
        doc, problem = _read_one(path)
        if problem is None:
            docs.append(doc)
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
    skolemization), so every build writes the same bytes."""
    return to_canonical_graph(graph).skolemize(authority="https://w3id.org", basepath="/cdkg/.well-known/genid/")


def _read_manifest(path: Path) -> dict:
    """The manifest of the last build (``{}`` when there is none or it is unreadable)."""
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, json.JSONDecodeError):
        return {}


def _extract(store: Store, todo: dict, total: int, pipeline: Pipeline, facts_by_doc: dict,
             report: BuildReport, quiet: bool) -> None:
    """Extract the documents of ``todo`` (IRI -> document) into their graphs, with progress."""
    bar = None
    if not quiet and sys.stderr.isatty():       # a progress bar on a terminal, else one line per document
        from tqdm import tqdm
        bar = tqdm(total=total, initial=total - len(todo), file=sys.stderr, unit="doc", desc="build", leave=False)
    for n, (iri, doc) in enumerate(sorted(todo.items(), key=lambda kv: kv[1].name), 1):
        if bar is not None:
            bar.update()
        fault(f"extract:{n}")
        result = canonical_instruments(pipeline.extract_document(doc))  # what the graph holds, counted
        if not result.facts:
            report.warnings.append(f"{doc.path}: {why_no_facts(result)}")
        store.replace_graphs({iri: document_triples(result)})
        fault(f"stored:{n}")
        facts_by_doc[iri] = len(result.facts)
        report.extracted += 1
        if not quiet and bar is None:
            print(f"[{n}/{len(todo)}] {doc.name}: {len(result.facts)} facts", file=sys.stderr)
    if bar is not None:
        bar.close()


def _write_manifest(path: Path, fingerprint: str, report: BuildReport, wanted: dict, facts_by_doc: dict) -> None:
    """What the next build compares with: the pipeline's fingerprint, sizes, documents and fact counts."""
    write_atomic(path, json.dumps(
        {"fingerprint": fingerprint, "tool": __version__,
         "triples": report.triples, "inferred": report.inferred,
         "documents": {iri: d.name for iri, d in sorted(wanted.items())},
         "facts": {k: v for k, v in sorted(facts_by_doc.items()) if k in wanted}},
        ensure_ascii=False, indent=1).encode("utf-8"))


def _build_into(work: Path, out: Path, docs: list, pipeline: Pipeline, fingerprint: str, manifest: dict,
                full: bool, report: BuildReport, quiet: bool) -> bool:
    """Update the store copy in ``work`` and write the new graph and manifest beside it.

    Returns False when nothing changed since the committed build (nothing to commit).
    """
    store = Store.open(work / "store")
    try:
        existing = {g for g in store.graph_names() if g.startswith(_DOC_PREFIX)}
        wanted = {str(document_iri(d.sha)): d for d in docs}
        stale = sorted(existing - set(wanted))
        if stale:
            store.remove_graphs(stale)
        report.removed = len(stale)
        names = store.graph_names()
        if full or str(ONTOLOGY_GRAPH) not in names or str(LEXICON_GRAPH) not in names:
            ontology = Graph().parse(ONTOLOGY_TTL, format="turtle")
            store.replace_graphs({str(ONTOLOGY_GRAPH): _stable(ontology), str(LEXICON_GRAPH): _stable(pipeline.lexicon.graph)})
        facts_by_doc = dict(manifest.get("facts", {})) if not full else {}
        todo = {iri: doc for iri, doc in wanted.items() if full or iri not in existing or iri not in facts_by_doc}
        _extract(store, todo, len(wanted), pipeline, facts_by_doc, report, quiet)
        report.documents = len(wanted)
        report.facts = sum(v for k, v in facts_by_doc.items() if k in wanted)
        # nothing changed since the last complete build (same documents, same pipeline, same store
        # size): the inferences and graph.trig are already right; recomputing them costs minutes at 10^4 documents
        if (not full and not report.extracted and not stale and (out / "graph.trig").exists()
                and "triples" in manifest and manifest["triples"] == len(store)):
            report.inferred = manifest.get("inferred", 0)
            report.triples = len(store)
            return False
        fault("inference")
        report.inferred = materialize(store)
        fault("dump")
        store.dump(work / "graph.trig")
        report.triples = len(store)
        fault("manifest")
        _write_manifest(work / "manifest.json", fingerprint, report, wanted, facts_by_doc)
    finally:
        store.close()
    return True


def build(documents: Path, out: Path, lexicon: str | Path | None = None, quiet: bool = False,
          keep_going: bool = False) -> BuildReport:
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
    pipeline = Pipeline(lex_dir)
    fingerprint = _fingerprint(lex_dir)
    manifest_path = out / "manifest.json"

    with build_lock(out):
        recover(out)             # finish a commit a killed build left half done, drop its work folder
        manifest = _read_manifest(manifest_path)
        full = manifest.get("fingerprint") != fingerprint
        work = new_work_dir(out)
        try:
            if (out / "store").is_dir():     # a hard-linked copy of the committed store to update
                with Store.open(out / "store", read_only=True) as committed:
                    committed.backup(work / "store")
            fault("copied")
            changed = _build_into(work, out, docs, pipeline, fingerprint, manifest, full, report, quiet)
            fault("built")
            if changed:
                commit(out, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    report.seconds = time.perf_counter() - started
    return report
