"""Hostile inputs: each is refused with exit status 2 and one line naming the file and the problem,
before anything is written; ``cdkg build --keep-going`` skips them with a warning each and exits 1.

The inputs are real files of the kinds a folder can hold: a symbolic link loop, a dangling link,
a folder and a FIFO named ``*.txt``, an empty file, impossible dates in a sidecar, and an RDF/XML
"billion laughs" for ``cdkg link``. Commands that could block on a FIFO run in a subprocess with a
generous timeout, so a hang fails the test instead of stopping the suite.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cdkg.bench.corpus import write_documents
from cdkg.cli import main
from cdkg.graph.store.store import Store


def cdkg(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def run(*argv) -> subprocess.CompletedProcess:
    """``cdkg ARGV`` in its own process; a hang past two minutes fails with TimeoutExpired."""
    return subprocess.run([sys.executable, "-m", "cdkg.cli", *map(str, argv)], capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)


def snapshot(out: Path) -> tuple[bytes, bytes, int]:
    with Store.open(out / "store", read_only=True) as store:
        size = len(store)
    return (out / "graph.trig").read_bytes(), (out / "manifest.json").read_bytes(), size


def one_line(status: int, err: str, *needles: str) -> str:
    lines = err.strip().splitlines()
    assert status == 2 and len(lines) == 1 and lines[0].startswith("cdkg: error: "), (status, err)
    for needle in needles:
        assert needle.lower() in lines[0].lower(), (needle, lines[0])
    return lines[0]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    root = tmp_path_factory.mktemp("reliability")
    docs, out = root / "documents", root / "build"
    write_documents(docs, 3, seed=11)
    assert main(["build", "--documents", str(docs), "--out", str(out), "--quiet"]) == 0
    return docs, out


def _bad_date(value):
    def write(folder: Path) -> None:
        shutil.copy(next(folder.glob("000000.*.txt")), folder / "dated.en.txt")
        (folder / "dated.en.meta.json").write_text(json.dumps({"published": value, "language": "en"}))
    return write


BAD = {
    "loop.en.txt": (lambda f: (f / "loop.en.txt").symlink_to(f / "loop.en.txt"), "symbolic link loop"),
    "gone.en.txt": (lambda f: (f / "gone.en.txt").symlink_to(f / "missing.bin"), "dangling symbolic link"),
    "folder.en.txt": (lambda f: (f / "folder.en.txt").mkdir(), "a folder"),
    "pipe.en.txt": (lambda f: os.mkfifo(f / "pipe.en.txt"), "a FIFO"),
    "empty.en.txt": (lambda f: (f / "empty.en.txt").write_bytes(b""), "empty"),
    "dated.en.txt": (_bad_date("2021-02-30"), "impossible date 2021-02-30"),
}


@pytest.mark.parametrize("name", BAD)
def test_a_bad_document_stops_the_build_before_anything_is_written(tmp_path, base, name):
    docs, out = base
    folder = tmp_path / "documents"
    shutil.copytree(docs, folder)
    write, problem = BAD[name]
    write(folder)
    before = snapshot(out)
    done = run("build", "--documents", folder, "--out", out, "--quiet")
    one_line(done.returncode, done.stderr, name, problem)
    assert snapshot(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".build-")]


def test_impossible_month_in_metadata(capsys, tmp_path, base):
    docs, out = base
    folder = tmp_path / "documents"
    shutil.copytree(docs, folder)
    _bad_date("2021-13-45")(folder)
    status, _, err = cdkg(capsys, "build", "--documents", folder, "--out", out, "--quiet")
    one_line(status, err, "dated.en.txt", "impossible date 2021-13-45", "published")


def test_keep_going_skips_each_bad_document_with_one_warning_and_exits_1(tmp_path, base):
    docs, _ = base
    folder, out, clean = tmp_path / "documents", tmp_path / "build", tmp_path / "clean"
    shutil.copytree(docs, folder)
    for write, _ in BAD.values():
        write(folder)
    done = run("build", "--documents", folder, "--out", out, "--quiet", "--keep-going")
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    for name, (_, problem) in BAD.items():
        mine = [line for line in lines if name in line]
        assert len(mine) == 1 and mine[0].startswith("cdkg: warning: ") and problem.lower() in mine[0].lower(), lines
    assert lines[-1] == f"cdkg: skipped {len(BAD)} of {len(BAD) + 3} documents"
    assert run("build", "--documents", docs, "--out", clean, "--quiet").returncode == 0
    assert (out / "graph.trig").read_bytes() == (clean / "graph.trig").read_bytes()


@pytest.mark.parametrize("value,problem", [("2021-13-45", "month must be in 1..12"),
                                           ("2021-02-30", "day is out of range"), ("yesterday", "not a date")])
def test_extract_refuses_an_impossible_published_date(capsys, base, value, problem):
    docs, _ = base
    status, out, err = cdkg(capsys, "extract", next(docs.glob("*.txt")), "--published", value)
    one_line(status, err, "--published", problem)
    assert out == ""


def test_extract_refuses_a_fifo_without_opening_it(tmp_path, base):
    docs, _ = base
    good = next(docs.glob("*.txt"))
    os.mkfifo(tmp_path / "pipe.txt")
    done = run("extract", good, tmp_path / "pipe.txt")
    one_line(done.returncode, done.stderr, "pipe.txt", "a FIFO")
    assert done.stdout == ""                 # checked before work starts: no fact of the good file either


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY l0 "ha">
{levels}
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
 <rdf:Description rdf:about="http://example.org/a"><ex:note>&l8;</ex:note></rdf:Description>
</rdf:RDF>
"""


def test_link_refuses_entity_expansion(capsys, tmp_path, base):
    _, out = base
    levels = "\n".join(f' <!ENTITY l{n} "{("&l%d;" % (n - 1)) * 10}">' for n in range(1, 9))
    path = tmp_path / "laughs.rdf"
    path.write_text(BILLION_LAUGHS.format(levels=levels), encoding="utf-8")
    assert path.stat().st_size < 2000
    before = snapshot(out)
    status, _, err = cdkg(capsys, "link", path, "--store", out / "store")
    one_line(status, err, "laughs.rdf", "entity")
    assert snapshot(out) == before


def test_link_refuses_a_huge_literal_and_a_fifo(capsys, tmp_path, base):
    _, out = base
    path = tmp_path / "big.ttl"
    path.write_text('<http://example.org/a> <http://example.org/note> "' + "x" * (2 * 1024 * 1024) + '" .\n')
    before = snapshot(out)
    one_line(*cdkg(capsys, "link", path, "--store", out / "store")[::2], "big.ttl", "literal")
    os.mkfifo(tmp_path / "pipe.ttl")
    done = run("link", tmp_path / "pipe.ttl", "--store", out / "store")
    one_line(done.returncode, done.stderr, "pipe.ttl", "a FIFO")
    assert snapshot(out) == before


# --- where things go ----------------------------------------------------------------------------

def test_outputs_are_written_with_the_users_umask(capsys, tmp_path, base):
    docs, _ = base
    old = os.umask(0o027)
    try:
        out = tmp_path / "build"
        assert cdkg(capsys, "build", "--documents", docs, "--out", out, "--quiet")[0] == 0
        assert cdkg(capsys, "export", "--out", tmp_path / "graph.nq", "--store", out / "store")[0] == 0
    finally:
        os.umask(old)
    for path in (out / "graph.trig", out / "manifest.json", tmp_path / "graph.nq"):
        assert path.stat().st_mode & 0o777 == 0o640, path


def test_password_from_a_file_or_the_environment(capsys, tmp_path, monkeypatch):
    from cdkg.graph.store.remote import resolve_password

    secret = tmp_path / "password"
    secret.write_text("from-file\n", encoding="utf-8")
    monkeypatch.setenv("CDKG_PASSWORD", "from-env")
    assert resolve_password("from-flag", str(secret)) == "from-file"
    assert resolve_password("from-flag") == "from-env"
    monkeypatch.delenv("CDKG_PASSWORD")
    assert resolve_password("from-flag") == "from-flag" and resolve_password() is None
    status, _, err = cdkg(capsys, "push", "--endpoint", "http://127.0.0.1:9/update", "--user", "dba",
                          "--password-file", tmp_path / "missing", "--file", secret)
    one_line(status, err, "missing", "password file")
    status, _, err = cdkg(capsys, "push", "--endpoint", "http://127.0.0.1:9/update", "--user", "dba", "--file", secret)
    one_line(status, err, "127.0.0.1:9", "CDKG_PASSWORD")
