"""Subcommands of the pipeline: ``extract``, ``build`` and ``evaluate``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cdkg.errors import CdkgError
from cdkg.paths import build_dir, documents_dir


def fact_record(fact, doc) -> dict:
    """One fact in the ``cdkg extract --format jsonl`` shape.

    Parameters
    ----------
    fact : Fact
        A fact extracted from ``doc``.
    doc : Document
        The document; the evidence text is read from it.

    Returns
    -------
    dict
        ``document``, ``subject``, ``relation``, ``object``, ``evidence``, ``confidence``, ``rule``.

    Examples
    --------
    >>> from cdkg.graph.commands import fact_record
    >>> from cdkg.graph.facts.extract import Fact
    >>> from cdkg.graph.facts.resolve import Entity
    >>> from cdkg.graph.text.documents import Document
    >>> doc = Document.from_text("Ruritania signed on 3 May 2024.", language="en", name="note.txt")
    >>> ruritania = Entity(iri="https://example.org/ruritania", type="State", label="Ruritania", lang="en")
    >>> record = fact_record(Fact(ruritania, "date", ("2024-05-03", "xsd:date"), 0, 30, 0.9, "example"), doc)
    >>> record["subject"]["label"], record["object"], record["evidence"]["text"]
    ('Ruritania', {'value': '2024-05-03', 'datatype': 'xsd:date'}, 'Ruritania signed on 3 May 2024')
    """
    def side(x):
        if isinstance(x, tuple):
            return {"value": x[0], "datatype": x[1]}
        return {"label": x.label, "iri": x.iri, "type": x.type, "wikidata": x.wikidata}
    return {
        "document": doc.name,
        "subject": side(fact.subject),
        "relation": fact.relation,
        "object": side(fact.object),
        "evidence": {"text": doc.text[fact.start:fact.end], "start": fact.start, "end": fact.end},
        "confidence": fact.confidence,
        "rule": fact.rule,
    }


def _extract(args) -> int:
    from cdkg.graph.pipeline import Pipeline
    from cdkg.files import date_problem, file_problem
    if args.published and date_problem(args.published):
        raise CdkgError(f"--published: {date_problem(args.published)}")
    for path in args.files:                  # every input checked before work starts
        if file_problem(path):
            raise CdkgError(f"{path}: {file_problem(path)}")
    pipeline = Pipeline(lexicon=args.lexicon)
    out = sys.stdout
    for path in args.files:
        result = pipeline.extract(Path(path), published=args.published)
        if not result.facts:
            from cdkg.graph.facts.extract import why_no_facts
            print(f"cdkg: warning: {path}: {why_no_facts(result)}", file=sys.stderr)
        for fact in result.facts:
            record = fact_record(fact, result.doc)
            if args.format == "jsonl":
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                obj = record["object"].get("label") or record["object"].get("value")
                out.write(f"{record['subject']['label']}\t{fact.relation}\t{obj}\t"
                          f"{record['evidence']['text']}\n")
    return 0


def _build(args) -> int:
    from cdkg.graph.store.build import build
    report = build(documents=Path(args.documents) if args.documents else documents_dir(),
                   out=Path(args.out) if args.out else build_dir(), lexicon=args.lexicon,
                   quiet=args.quiet, keep_going=args.keep_going, jobs=args.jobs, trig=not args.no_trig)
    if args.report_json:
        from cdkg.files import write_atomic
        write_atomic(Path(args.report_json), json.dumps(
            {"documents": report.documents, "extracted": report.extracted, "removed": report.removed,
             "facts": report.facts, "triples": report.triples, "inferred": report.inferred,
             "seconds": report.seconds, "timings": report.timings}, indent=1).encode("utf-8"))
    for skipped in report.skipped:
        print(f"cdkg: warning: {skipped} (skipped)", file=sys.stderr)
    for warning in report.warnings:
        print(f"cdkg: warning: {warning}", file=sys.stderr)
    if not args.quiet:
        print(report.summary())
    if report.skipped:
        print(f"cdkg: skipped {len(report.skipped)} of {len(report.skipped) + report.documents} documents",
              file=sys.stderr)
        return 1
    return 0


def _evaluate(args) -> int:
    from cdkg.graph.facts.evaluate import Score, load_gold, score_document
    from cdkg.graph.pipeline import Pipeline
    pipeline = Pipeline(lexicon=args.lexicon)
    sets = []
    for folder in args.gold:
        gold_dir = Path(folder)
        if not gold_dir.is_dir():
            raise CdkgError(f"{gold_dir}: no such folder of reference facts")
        files = sorted(gold_dir.glob("*.json"))
        if not files:
            raise CdkgError(f"{gold_dir}: no reference files (*.json)")
        docs = Path(args.documents) if args.documents else gold_dir.parent
        scores, totals = [], {"overall": Score(document="overall")}
        for gf in files:
            gold = load_gold(gf)
            path = docs / gold["file"]
            if not path.exists():
                path = documents_dir() / gold["file"]
            if not path.exists():
                raise CdkgError(f"{gf}: its document {gold['file']} is neither in {docs} nor in {documents_dir()}")
            # the publication date: the document's metadata, else the reference file's
            result = pipeline.extract(path, published=None if args.no_gold_dates else gold.get("published"))
            preds = [fact_record(f, result.doc) for f in result.facts]
            s = score_document(preds, gold)
            scores.append(s)
            totals["overall"].add(s)
            lang = result.doc.language or "?"
            totals.setdefault(lang, Score(document=f"overall {lang}")).add(s)
        sets.append((str(gold_dir), scores, totals))
    if args.format == "json":
        print(json.dumps([{"gold": name, "documents": [_score_json(s) for s in scores],
                           "overall": {k: _score_json(v) for k, v in totals.items()}}
                          for name, scores, totals in sets], ensure_ascii=False, indent=1))
        return 0
    for name, scores, totals in sets:
        print(f"== {name}")
        print(f"{'document':60} {'P':>6} {'R':>6} {'F1':>6}  pred/ref")
        rows = [] if args.summary else scores
        for s in rows + [totals[k] for k in sorted(totals, key=lambda k: (k != "overall", k))]:
            print(f"{s.document[:60]:60} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}  {s.predicted}/{s.reference}")
        if args.summary:
            continue
        for s in scores:
            for g in s.missed:
                print(f"MISSED {s.document}: {g['subject']} --{g['relation']}--> {g['object']}   « {g['evidence']} »")
            for p in s.extra:
                obj = p["object"].get("label") or p["object"].get("value")
                print(f"EXTRA  {s.document}: {p['subject']['label']} --{p['relation']}--> {obj}"
                      f"   « {p['evidence']['text']} » [{p['rule']}]")
    return 0


def _score_json(s) -> dict:
    return {"document": s.document, "precision": round(s.precision, 4), "recall": round(s.recall, 4),
            "f1": round(s.f1, 4), "predicted": s.predicted, "reference": s.reference,
            "missed": s.missed, "extra": s.extra}


def register(subparsers) -> None:
    """Add ``extract``, ``build`` and ``evaluate`` to ``cdkg``.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        What ``ArgumentParser.add_subparsers`` returns; each subcommand sets ``func``.

    Examples
    --------
    >>> import argparse
    >>> from cdkg.graph.commands import register
    >>> parser = argparse.ArgumentParser(prog="cdkg")
    >>> register(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["extract", "note.txt", "--format", "tsv"])
    >>> args.files, args.format, args.func.__name__
    (['note.txt'], 'tsv', '_extract')
    """
    p = subparsers.add_parser("extract", help="print the facts read from documents",
                              description="Read documents and print one fact per line with its evidence.")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--format", choices=("jsonl", "tsv"), default="jsonl")
    p.add_argument("--published", metavar="YYYY-MM-DD", help="publication date, for words such as 'today'")
    p.add_argument("--lexicon", metavar="DIR", help="lexicon folder (default data/lexicon)")
    p.set_defaults(func=_extract)

    p = subparsers.add_parser("build", help="build the knowledge graph from data/documents",
                              description="Build the graph (TriG, store, inferences) from every document.")
    p.add_argument("--documents", metavar="DIR", help="documents folder (default data/documents)")
    p.add_argument("--out", metavar="DIR", help="output folder (default build)")
    p.add_argument("--keep-going", action="store_true",
                   help="skip bad documents with a warning each (exit status 1) instead of stopping at the first")
    p.add_argument("--lexicon", metavar="DIR", help="lexicon folder (default data/lexicon)")
    p.add_argument("--quiet", action="store_true", help="no progress or summary")
    p.add_argument("--jobs", type=int, metavar="N", help="worker processes extracting documents (default: the cores)")
    p.add_argument("--no-trig", action="store_true",
                   help="do not write graph.trig (the store is the graph; `cdkg export` writes one later)")
    p.add_argument("--report-json", metavar="FILE", help="also write the counts and the seconds of each step here")
    p.set_defaults(func=_build)

    p = subparsers.add_parser("evaluate", help="score extraction against reference facts",
                              description="Precision, recall and F1 per document and overall, "
                                          "with every missed and extra fact listed.")
    p.add_argument("--gold", required=True, metavar="DIR", action="append",
                   help="folder of *.json reference files (repeat for several sets)")
    p.add_argument("--documents", metavar="DIR", help="where the documents are (default: the gold folder's parent)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--summary", action="store_true", help="scores only: per set, overall and per language")
    p.add_argument("--no-gold-dates", action="store_true",
                   help="do not take a document's publication date from its reference file")
    p.add_argument("--lexicon", metavar="DIR")
    p.set_defaults(func=_evaluate)
