"""Subcommands of the ontology area: ``cdkg ontology build|check|profile|docs|qc`` and ``cdkg validate``.

Exit codes follow the CLI: 0 ok, 1 findings (inconsistent, shapes violated, QC rows), 2 error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cdkg import paths


def _relative(path: Path) -> str:
    """*path* relative to the working directory when it is inside it (shorter messages)."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _build(args: argparse.Namespace) -> int:
    from cdkg.ontology.generate import build_owl

    owl, count = build_owl(args.ttl, args.out)
    print(f"{_relative(owl)}: {count} triples written (RDF/XML, from {_relative(args.ttl or paths.ONTOLOGY_TTL)})")
    return 0


def _check(args: argparse.Namespace) -> int:
    from cdkg.ontology.generate import owl_is_current
    from cdkg.ontology.reasoner import check

    if args.ontology is None and not owl_is_current():
        print(
            f"note: {_relative(paths.ONTOLOGY_OWL)} is stale or missing; reasoning on a fresh rendering "
            f"of {_relative(paths.ONTOLOGY_TTL)} (run `cdkg ontology build`)",
            file=sys.stderr,
        )
    report = check(args.file, args.ontology)
    subject = f"{_relative(args.file)} with the ontology" if args.file else "ontology"
    print(f"{subject}: {report.text()}")
    return 0 if report.ok else 1


def _profile(args: argparse.Namespace) -> int:
    from cdkg.ontology.generate import owl_is_current
    from cdkg.ontology.profile import check_profile

    if args.ontology is None and not owl_is_current():
        print(f"note: {_relative(paths.ONTOLOGY_OWL)} is stale (run `cdkg ontology build`)", file=sys.stderr)
    report = check_profile(args.ontology)
    print(f"{_relative(args.ontology or paths.ONTOLOGY_OWL)}: {report.text()}")
    return 0 if report.ok else 1


def _docs(args: argparse.Namespace) -> int:
    from cdkg.ontology.docs import DOCS_DIR, make_docs

    path = make_docs(args.out_dir or DOCS_DIR, args.ttl)
    print(f"{_relative(path)}: ontology documentation written (pyLODE, no network loads)")
    return 0


def _qc(args: argparse.Namespace) -> int:
    from cdkg.ontology.generate import load_ontology
    from cdkg.ontology.quality import run_qc

    results = run_qc(load_ontology(args.ttl))
    for result in results:
        print(result.text())
    defects = sum(len(r.rows) for r in results)
    print(f"{defects} defect(s) in {len(results)} checks")
    return 1 if defects else 0


def _validate(args: argparse.Namespace) -> int:
    from cdkg.ontology.generate import load_ontology
    from cdkg.ontology.rdf_files import load_union
    from cdkg.ontology.shacl import load_shapes, validate

    data = load_union(args.file)
    shapes = load_shapes(args.shapes)
    ontology = load_ontology(args.ontology)
    conforms, report = validate(data, shapes, ontology, inference=args.inference)
    if conforms and not args.verbose:
        print(f"{_relative(args.file)}: conforms ({len(data)} triples)")
    else:
        print(report.rstrip("\n"))
    return 0 if conforms else 1


def register(subparsers) -> None:
    """Add ``ontology`` (with build, check, docs, qc) and ``validate`` to ``cdkg``.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        Where ``ontology`` and ``validate`` go.

    Returns
    -------
    None
        Both are added; ``ontology`` takes a further subcommand.

    Examples
    --------
    >>> from cdkg.cli import build_parser
    >>> build_parser().parse_args(["ontology", "qc"]).ontology_command
    'qc'
    """
    ontology = subparsers.add_parser(
        "ontology",
        help="build, check and document the ontology (ontology/cdo.ttl)",
        description="Work on the cyber-diplomacy ontology: regenerate cdo.owl, reason with HermiT, "
        "write the HTML documentation, run the quality checks.",
    )
    commands = ontology.add_subparsers(dest="ontology_command", metavar="SUBCOMMAND")
    ontology.set_defaults(func=lambda args: (ontology.print_help(), 2)[1])

    build = commands.add_parser(
        "build",
        help="regenerate ontology/cdo.owl (RDF/XML for owlready2) from ontology/cdo.ttl",
        description="Regenerate the RDF/XML rendering of the ontology from its Turtle source (atomic write).",
    )
    build.add_argument("--ttl", type=Path, default=None, help="Turtle source (default: ontology/cdo.ttl)")
    build.add_argument("--out", type=Path, default=None, help="RDF/XML output (default: ontology/cdo.owl)")
    build.set_defaults(func=_build)

    check = commands.add_parser(
        "check",
        help="reason with HermiT: is the ontology (plus optional data) consistent?",
        description="Load the ontology, plus FILE if given (Turtle, TriG, N-Quads, N-Triples, RDF/XML; a TriG "
        "is taken as the union of its graphs), into owlready2 and run HermiT. Exit 0 consistent with no "
        "unsatisfiable class, 1 inconsistent or unsatisfiable classes (named), 2 error. Needs Java.",
    )
    check.add_argument("file", type=Path, nargs="?", default=None, help="instance data to check with the ontology")
    check.add_argument(
        "--ontology", type=Path, default=None,
        help="ontology file (.owl RDF/XML, or .ttl; default: ontology/cdo.owl, regenerated if stale)",
    )
    check.set_defaults(func=_check)

    _register_profile(commands)
    docs = commands.add_parser(
        "docs",
        help="write the ontology's HTML documentation (pyLODE) to docs/ontology/index.html",
        description="Generate human-readable documentation of the ontology with pyLODE; the page loads "
        "nothing from the network.",
    )
    docs.add_argument("--out-dir", type=Path, default=None, help="output folder (default: docs/ontology)")
    docs.add_argument("--ttl", type=Path, default=None, help="Turtle source (default: ontology/cdo.ttl)")
    docs.set_defaults(func=_docs)

    qc = commands.add_parser(
        "qc",
        help="run the ontology quality checks (ontology/qc/*.rq); any row is a defect",
        description="Run every SPARQL query of ontology/qc on the ontology and list the defects they find "
        "(missing en/ar/ru labels or definitions, missing domains/ranges, undeclared terms...). "
        "Exit 0 none, 1 defects, 2 error.",
    )
    qc.add_argument("--ttl", type=Path, default=None, help="Turtle source (default: ontology/cdo.ttl)")
    qc.set_defaults(func=_qc)
    _register_validate(subparsers)


def _register_profile(commands) -> None:
    profile = commands.add_parser(
        "profile",
        help="OWL 2 DL profile check of ontology/cdo.owl with the OWL API (needs a JDK)",
        description="Compile ontology/ProfileCheck.java against the OWL API jar bundled with owlready2 and "
        "check the ontology against the OWL 2 DL profile (and the OWL 2 datatype map). Exit 0 no violation, "
        "1 violations (listed), 2 error.",
    )
    profile.add_argument("--ontology", type=Path, default=None,
                         help="ontology file (RDF/XML or Turtle; default: ontology/cdo.owl)")
    profile.set_defaults(func=_profile)


def _register_validate(subparsers) -> None:
    """Add ``cdkg validate`` (SHACL) beside ``cdkg ontology``."""
    validate = subparsers.add_parser(
        "validate",
        help="validate RDF instance data against the SHACL shapes (ontology/shapes.ttl)",
        description="Validate FILE (TriG, Turtle, N-Quads, N-Triples, RDF/XML; a TriG is validated as the "
        "union of its named graphs) with pySHACL against ontology/shapes.ttl, with the ontology as "
        "ont_graph. Exit 0 conforms, 1 violations (report printed), 2 error.",
    )
    validate.add_argument("file", type=Path, help="the data to validate, e.g. build/graph.trig")
    validate.add_argument("--shapes", type=Path, default=None, help="shapes file (default: ontology/shapes.ttl)")
    validate.add_argument("--ontology", type=Path, default=None, help="ontology file (default: ontology/cdo.ttl)")
    validate.add_argument(
        "--inference", choices=("none", "rdfs"), default="none",
        help="inference before validating (default: none; the ontology is mixed in either way)",
    )
    validate.add_argument("-v", "--verbose", action="store_true", help="print the full report even when it conforms")
    validate.set_defaults(func=_validate)
