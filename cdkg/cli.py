"""The ``cdkg`` command line: one program, one subcommand per task.

Each area of the code registers its own subcommands (``register(subparsers)`` in its
``commands`` module), so this file only dispatches and turns user errors into one line.

``cdkg --project DIR COMMAND`` runs the command on the project folder ``DIR`` (documents in
``DIR/data/documents``, outputs in ``DIR/build``) instead of the current directory.

Exit codes: 0 ok, 1 findings (e.g. validation or quality checks with rows), 2 error.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from cdkg import __version__
from cdkg.errors import CdkgError

#: Modules that add subcommands, in the order they appear in ``cdkg --help``.
COMMAND_MODULES = (
    "cdkg.graph.commands",
    "cdkg.graph.store.commands",
    "cdkg.ontology.commands",
    "cdkg.queries.commands",
    "cdkg.visualize.commands",
    "cdkg.bench.commands",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand.

    Returns
    -------
    argparse.ArgumentParser
        With ``--version``, ``--project`` and every room's subcommands.

    Examples
    --------
    >>> build_parser().parse_args(["--project", "p", "queries"]).project.name
    'p'
    """
    parser = argparse.ArgumentParser(
        prog="cdkg",
        description="Cyber-diplomacy knowledge graph: build, query, serve and view.",
    )
    parser.add_argument("--version", action="version", version=f"cdkg {__version__}")
    parser.add_argument("--project", metavar="DIR", type=Path, default=None,
                        help="project folder: documents are read from DIR/data/documents and outputs "
                             "written to DIR/build (default: the current directory)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; return its exit status (0 ok, 1 findings, 2 error).

    Parameters
    ----------
    argv : list of str, optional
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status.

    Examples
    --------
    >>> main(["--project", "no/such/folder", "queries"])
    2
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    if args.project is None:
        return _run(args)
    if not args.project.is_dir():
        print(f"cdkg: error: --project {args.project}: no such folder", file=sys.stderr)
        return 2
    before = os.environ.get("CDKG_PROJECT")
    os.environ["CDKG_PROJECT"] = str(args.project.resolve())  # read by cdkg.paths, for this run only
    try:
        return _run(args)
    finally:
        if before is None:
            os.environ.pop("CDKG_PROJECT", None)
        else:
            os.environ["CDKG_PROJECT"] = before


def _run(args: argparse.Namespace) -> int:
    """Call the subcommand; a `CdkgError` becomes one line on stderr and status 2."""
    try:
        status = args.func(args)
    except CdkgError as exc:
        print(f"cdkg: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("cdkg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    return int(status or 0)


if __name__ == "__main__":
    sys.exit(main())
