"""Fault injection: a real ``cdkg build`` of 300 synthetic documents killed with SIGKILL at named points.

The build sends itself SIGKILL where ``CDKG_FAULT`` says (`cdkg.graph.store.transaction.fault`).
It starts from a committed build of the first 250 documents and adds 50. After each kill:

- before the commit journal is written, ``cdkg query`` answers exactly as before the build;
- while the journal is there (the kill fell inside the swap), every command that opens the store
  refuses it with one line naming ``cdkg build``;
- after the journal is gone, it answers as the new build does;

and the next build leaves no work folder behind and writes the same ``graph.trig`` bytes as a
clean build. The default run kills at five points (extraction, inference, dump and two inside the
swap); ``CDKG_FAULT_POINTS=all`` runs every point of `POINTS`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cdkg.bench.corpus import write_documents
from cdkg.cli import main
from cdkg.graph.store.transaction import JOURNAL, WORK_PREFIX

#: Every named point of a build, in the order it reaches them; the value says what a reader sees
#: after a kill there: the graph "before" the build, a "refused" store, or the graph "after" it.
POINTS = {
    "copied": "before", "extract:1": "before", "extract:25": "before", "stored:50": "before",
    "inference": "before", "dump": "before", "manifest": "before", "built": "before",
    "journal": "refused", "swap:store-aside": "refused", "swap:store": "refused",
    "swap:graph.trig": "refused", "swap:manifest.json": "refused", "committed": "after",
}
DEFAULT = ("extract:25", "inference", "dump", "swap:store-aside", "swap:graph.trig")
SELECTED = tuple(POINTS) if os.environ.get("CDKG_FAULT_POINTS") == "all" else DEFAULT


def cdkg_build(docs: Path, out: Path, fault: str | None = None) -> subprocess.CompletedProcess:
    """``cdkg build`` in its own process (killed at ``fault`` when given)."""
    env = {k: v for k, v in os.environ.items() if k != "CDKG_FAULT"}
    if fault:
        env["CDKG_FAULT"] = fault
    return subprocess.run([sys.executable, "-m", "cdkg.cli", "build", "--documents", str(docs),
                           "--out", str(out), "--quiet"], capture_output=True, text=True, env=env)


def answer(capsys, out: Path, *argv: str) -> tuple[int, str, str]:
    """(status, stdout, stderr) of ``cdkg ARGV --store out/store`` run in this process."""
    capsys.readouterr()
    status = main([*argv, "--store", str(out / "store")])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def assert_refused(status: int, err: str) -> None:
    lines = err.strip().splitlines()
    assert status == 2 and len(lines) == 1, err
    assert lines[0].startswith("cdkg: error: ") and "uncommitted" in lines[0] and "cdkg build" in lines[0], err


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The 300 documents, a committed build of the first 250, a clean build of all 300, and the
    ``timeline`` answers of both."""
    root = tmp_path_factory.mktemp("crash")
    first, docs = root / "first", root / "documents"
    write_documents(first, 250, seed=5)
    write_documents(docs, 300, seed=5)         # the same 250 first documents, and 50 more
    base, clean = root / "base", root / "clean"
    for folder, out in ((first, base), (docs, clean)):
        done = cdkg_build(folder, out)
        assert done.returncode == 0, done.stderr
    return docs, base, clean


@pytest.fixture(scope="module")
def answers(builds):
    """The ``timeline`` rows of the base build and of the clean 300-document build."""
    _, base, clean = builds
    rows = {}
    for name, out in (("before", base), ("after", clean)):
        done = subprocess.run([sys.executable, "-m", "cdkg.cli", "query", "timeline", "--store", str(out / "store")],
                              capture_output=True, text=True)
        assert done.returncode == 0 and done.stdout.count("\n") > 100, done.stderr
        rows[name] = done.stdout
    assert rows["before"] != rows["after"]
    return rows


@pytest.mark.parametrize("point", SELECTED)
def test_kill_9_at_a_named_point(capsys, tmp_path, builds, answers, point):
    docs, base, clean = builds
    out = tmp_path / "build"
    shutil.copytree(base, out)
    killed = cdkg_build(docs, out, fault=point)
    assert killed.returncode == -9, f"the build never reached {point}: {killed.stderr}"

    expected = POINTS[point]
    status, stdout, err = answer(capsys, out, "query", "timeline")
    if expected == "refused":
        assert (out / JOURNAL).exists()
        assert_refused(status, err)
    else:
        assert status == 0, err
        assert stdout == answers[expected]
        assert not (out / JOURNAL).exists()

    again = cdkg_build(docs, out)
    assert again.returncode == 0, again.stderr
    assert not list(out.glob(WORK_PREFIX + "*")) and not (out / JOURNAL).exists()
    assert (out / "graph.trig").read_bytes() == (clean / "graph.trig").read_bytes()
    assert (out / "manifest.json").read_bytes() == (clean / "manifest.json").read_bytes()
    assert answer(capsys, out, "query", "timeline")[1] == answers["after"]


def test_every_command_refuses_an_uncommitted_store(capsys, tmp_path, builds):
    docs, base, _ = builds
    out = tmp_path / "build"
    shutil.copytree(base, out)
    assert cdkg_build(docs, out, fault="swap:store").returncode == -9
    linked = Path(__file__).resolve().parents[1] / "data" / "linked" / "memberships.ttl"
    for argv in (["query", "timeline"], ["sparql", "ASK { ?s ?p ?o }"], ["export", "--out", str(tmp_path / "x.nq")],
                 ["view", "all", "--out-dir", str(tmp_path / "views")], ["link", str(linked)], ["infer"]):
        status, _, err = answer(capsys, out, *argv)
        assert_refused(status, err)
    assert not (tmp_path / "x.nq").exists() and not (tmp_path / "views").exists()


def test_a_second_build_of_the_same_folder_is_refused_while_one_runs(capsys, tmp_path, builds):
    from cdkg.graph.store.transaction import build_lock

    docs, base, _ = builds
    out = tmp_path / "build"
    shutil.copytree(base, out)
    before = (out / "graph.trig").read_bytes()
    with build_lock(out):
        done = cdkg_build(docs, out)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1 and "another `cdkg build`" in lines[0], done.stderr
    assert (out / "graph.trig").read_bytes() == before
