"""Bad input and faults: one line naming the file or endpoint, exit status 2, the built graph untouched.

Every test starts from a small real build (synthetic documents written from the lexicon), feeds
``cdkg`` one fault, and compares ``graph.trig``, ``manifest.json`` and the store's triple count
before and after. The crash test kills a real ``cdkg build`` process with SIGKILL mid-way.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from cdkg.bench.corpus import vocabulary, write_documents
from cdkg.cli import main
from cdkg.graph.store.store import Store
from cdkg.paths import SOURCE_ROOT as ROOT


# --- helpers ------------------------------------------------------------------------------------

def cdkg(capsys, *argv) -> tuple[int, str, str]:
    """Run ``cdkg ARGV`` in this process; (status, stdout, stderr)."""
    capsys.readouterr()
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def snapshot(out: Path) -> tuple[bytes, bytes, int]:
    """What must not change when a command fails: the TriG, the manifest and the store's size."""
    with Store.open(out / "store", read_only=True) as store:
        size = len(store)
    return (out / "graph.trig").read_bytes(), (out / "manifest.json").read_bytes(), size


def assert_one_line_error(status: int, err: str, *needles: str) -> None:
    assert status == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cdkg: error: "), err
    for needle in needles:
        assert needle.lower() in lines[0].lower(), (needle, lines[0])


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A folder of three documents and its build (the graph every fault must leave as it is)."""
    root = tmp_path_factory.mktemp("faults")
    docs = root / "documents"
    write_documents(docs, 3, seed=3)
    out = root / "build"
    assert main(["build", "--documents", str(docs), "--out", str(out), "--quiet"]) == 0
    return docs, out


@pytest.fixture
def docs_copy(base, tmp_path):
    """A private copy of the base documents, to add a bad file to."""
    docs, _ = base
    folder = tmp_path / "documents"
    shutil.copytree(docs, folder)
    return folder


# --- documents ----------------------------------------------------------------------------------

def _write_big(path: Path) -> None:
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)         # 50 MB (sparse): refused by size before reading


@pytest.mark.parametrize("name,write,problem", [
    ("empty.en.txt", lambda p: p.write_bytes(b""), "empty file"),
    ("blank.ar.txt", lambda p: p.write_bytes(b" \n\t\r\n"), "empty file"),
    ("image.en.txt", lambda p: p.write_bytes(bytes(range(256)) * 64), "binary"),
    ("huge.en.txt", _write_big, "too large"),
    ("latin1.en.txt", lambda p: p.write_bytes("Caf\xe9 cr\xe8me na\xefve r\xe9sum\xe9 ".encode("latin-1") * 20),
     "not UTF-8"),
])
def test_bad_document_stops_the_build_and_keeps_the_graph(capsys, base, docs_copy, name, write, problem):
    _, out = base
    before = snapshot(out)
    write(docs_copy / name)
    status, _, err = cdkg(capsys, "build", "--documents", docs_copy, "--out", out, "--quiet")
    assert_one_line_error(status, err, name, problem)
    assert snapshot(out) == before


def _sentence(lang: str) -> str:
    """A sentence naming two states of the lexicon and an agreement (no corpus content)."""
    vocab = vocabulary()
    a, b = vocab.states[10], vocab.states[20]
    if lang == "ar":
        return f"ووقعت {a.labels['ar']} و{b.labels['ar']} اتفاقية للتعاون في مجال أمن المعلومات.\n"
    return f"{a.labels['en']} and {b.labels['en']} signed an agreement on information security.\n"


@pytest.mark.parametrize("encoding", ["cp1256", "utf-16", "utf-16-le"])
def test_legacy_encodings_are_read_not_refused(tmp_path, encoding):
    from cdkg.graph.store.build import build

    docs = tmp_path / "documents"
    docs.mkdir()
    (docs / "a.ar.txt").write_bytes(_sentence("ar").encode("utf-8"))
    (docs / "b.ar.txt").write_bytes(_sentence("ar").encode(encoding))
    report = build(docs, tmp_path / "build", quiet=True)
    assert report.documents == 2 and not report.warnings
    with Store.open(tmp_path / "build" / "store", read_only=True) as store:
        rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s <https://w3id.org/cdkg/ontology#partyTo> ?o } } "
                           "GROUP BY ?g").rows
    assert len(rows) == 2 and rows[0][1] == rows[1][1] and int(rows[0][1]) >= 2


def test_document_without_entities_is_a_warning_not_an_error(capsys, tmp_path, docs_copy):
    (docs_copy / "weather.en.txt").write_text("It rained all day and the river rose a little.\n", encoding="utf-8")
    status, out, err = cdkg(capsys, "build", "--documents", docs_copy, "--out", tmp_path / "build")
    assert status == 0
    warning = [line for line in (out + err).splitlines() if "warning" in line]
    assert len(warning) == 1 and "weather.en.txt" in warning[0] and "no facts" in warning[0]
    assert (tmp_path / "build" / "graph.trig").exists()


# --- link ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,text", [
    ("broken.ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b \"unterminated .\n"),
    ("broken.jsonld", '{"@context": {"ex": "http://example.org/"}, "@id": "ex:a", "ex:b": [1, 2'),
    ("broken.rdf", '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                   '<rdf:Description rdf:about="http://example.org/a"></rdf:RDF>'),
])
def test_malformed_rdf_given_to_link(capsys, base, tmp_path, name, text):
    _, out = base
    before = snapshot(out)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    status, _, err = cdkg(capsys, "link", path, "--store", out / "store")
    assert_one_line_error(status, err, name)
    assert snapshot(out) == before


def test_rdf_xml_external_entity_is_never_resolved(capsys, base, tmp_path):
    _, out = base
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    path = tmp_path / "xxe.rdf"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY leak SYSTEM "file://{secret}">]>\n'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                    'xmlns:ex="http://example.org/">\n'
                    '<rdf:Description rdf:about="http://example.org/a"><ex:note>&leak;</ex:note>'
                    '</rdf:Description></rdf:RDF>\n', encoding="utf-8")
    before = snapshot(out)
    status, _, err = cdkg(capsys, "link", path, "--store", out / "store", "--name", "xxe")
    if status == 2:                          # refused: the store is as it was
        assert_one_line_error(status, err, "xxe.rdf")
        assert snapshot(out) == before
    else:                                    # accepted: the entity was not expanded from the file
        assert status == 0
        status, dump, _ = cdkg(capsys, "export", "--format", "nq", "--store", out / "store")
        assert "TOP-SECRET-VALUE" not in dump
        cdkg(capsys, "sparql", "DROP GRAPH <https://w3id.org/cdkg/id/graph/linked/xxe>", "--store", out / "store")


def test_relinking_the_same_file_gives_the_same_bytes(capsys, tmp_path, base):
    _, out = base
    store = tmp_path / "store"
    shutil.copytree(out / "store", store)
    dataset = ROOT / "data" / "linked" / "memberships.ttl"
    dumps = []
    for _ in range(2):
        assert cdkg(capsys, "link", dataset, "--store", store)[0] == 0
        assert cdkg(capsys, "export", "--format", "nq", "--store", store, "--out", tmp_path / "x.nq")[0] == 0
        dumps.append((tmp_path / "x.nq").read_bytes())
    assert dumps[0] == dumps[1] and len(dumps[0]) > 0


# --- queries and endpoints ----------------------------------------------------------------------

@pytest.mark.parametrize("argv,needles", [
    (["sparql", "SELEC ?s WHERE { ?s ?p ?o }"], ["syntax error"]),
    (["sparql", "SELECT ?s WHERE { ?s ?p ?o "], ["syntax error"]),
    (["query", "no-such-query"], ["no-such-query"]),
])
def test_malformed_sparql_and_unknown_query(capsys, base, argv, needles):
    _, out = base
    before = snapshot(out)
    status, _, err = cdkg(capsys, *argv, "--store", out / "store")
    assert_one_line_error(status, err, *needles)
    assert snapshot(out) == before


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Unauthorized(http.server.BaseHTTPRequestHandler):
    """Answers every request with 401, as a server does to a wrong password."""

    def _deny(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="sparql"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = _deny

    def log_message(self, *args):
        pass


@pytest.fixture
def unauthorized_endpoint():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Unauthorized)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def test_unreachable_endpoint(capsys, base):
    _, out = base
    before = snapshot(out)
    url = f"http://127.0.0.1:{_closed_port()}/sparql"
    status, _, err = cdkg(capsys, "query", "labels", "--endpoint", url)
    assert_one_line_error(status, err, url)
    status, _, err = cdkg(capsys, "push", "--endpoint", url, "--store", out / "store")
    assert_one_line_error(status, err, url)
    assert snapshot(out) == before


def test_wrong_password(capsys, base, unauthorized_endpoint):
    _, out = base
    before = snapshot(out)
    url = unauthorized_endpoint
    status, _, err = cdkg(capsys, "push", "--endpoint", url, "--user", "dba", "--password", "wrong",
                          "--store", out / "store")
    assert_one_line_error(status, err, url)
    assert re.search(r"401|password|credential|unauthori", err, re.I)
    status, _, err = cdkg(capsys, "query", "labels", "--endpoint", url, "--user", "dba", "--password", "wrong")
    assert_one_line_error(status, err, url)
    assert snapshot(out) == before


# --- views --------------------------------------------------------------------------------------

def test_document_with_script_is_inert_in_views(capsys, tmp_path):
    docs = tmp_path / "documents"
    docs.mkdir()
    payload = '<script>alert("pwned")</script><img src=x onerror=alert(2)>'
    text = _sentence("en").replace("security.", f"security {payload} in 2020.")
    (docs / "script.en.txt").write_text(f"{payload} title\n\n{text}", encoding="utf-8")
    out = tmp_path / "build"
    assert cdkg(capsys, "build", "--documents", docs, "--out", out, "--quiet")[0] == 0
    assert "<script>alert" in (out / "graph.trig").read_text(encoding="utf-8")   # the text is in the graph
    page = tmp_path / "instruments.html"
    status, _, err = cdkg(capsys, "view", "instruments", "--store", out / "store", "--out", page)
    assert status == 0, err
    html = page.read_text(encoding="utf-8")
    assert "alert" in html                                                       # ... and in the page
    assert "<script>alert" not in html and "<img src=x" not in html


# --- crash and idempotence ----------------------------------------------------------------------

def test_kill_9_during_build_keeps_the_previous_graph_and_the_next_build_completes(tmp_path):
    docs, out, fresh = tmp_path / "documents", tmp_path / "build", tmp_path / "fresh"
    write_documents(docs, 3, seed=5)
    cmd = [sys.executable, "-m", "cdkg.cli", "build", "--documents", str(docs)]
    subprocess.run(cmd + ["--out", str(out), "--quiet"], check=True)
    before = snapshot(out)
    write_documents(docs, 150, seed=5)        # the same three first documents, and 147 more
    proc = subprocess.Popen(cmd + ["--out", str(out)], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    written, deadline = 0, time.monotonic() + 180
    for line in proc.stderr:
        m = re.match(r"\[(\d+)/(\d+)\]", line)
        written = int(m.group(1)) if m else written
        if written >= 20 or time.monotonic() > deadline:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    assert 20 <= written < 150, "the build must be killed while it writes documents"
    assert snapshot(out)[:2] == before[:2]    # graph.trig and manifest.json as they were
    Store.open(out / "store", read_only=True).close()
    done = subprocess.run(cmd + ["--out", str(out), "--quiet"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    subprocess.run(cmd + ["--out", str(fresh), "--quiet"], check=True)
    assert snapshot(out) == snapshot(fresh)  # the same graph, manifest and store as a clean build


def test_two_clean_builds_write_the_same_bytes(base, tmp_path):
    from cdkg.graph.store.build import build

    docs, out = base
    again = build(docs, tmp_path / "again", quiet=True)
    assert snapshot(tmp_path / "again") == snapshot(out) and again.triples == snapshot(out)[2]


def test_no_change_rebuild_keeps_outputs_and_a_changed_store_is_dumped_again(capsys, base, tmp_path):
    from cdkg.graph.store.build import build

    docs, out = base
    work = tmp_path / "build"
    shutil.copytree(out, work)
    before = snapshot(work)
    report = build(docs, work, quiet=True)
    assert report.extracted == 0 and snapshot(work) == before and report.inferred > 0
    assert cdkg(capsys, "link", ROOT / "data" / "linked" / "memberships.ttl", "--store", work / "store")[0] == 0
    build(docs, work, quiet=True)
    assert "graph/linked/memberships" in (work / "graph.trig").read_text(encoding="utf-8")
