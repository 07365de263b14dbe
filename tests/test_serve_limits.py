"""`cdkg serve` holds its limits: CORS, union default graph, timeouts that stop the work, a bounded
queue, and engines that end with the front end (real server, real HTTP, real processes)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from SPARQLWrapper import JSON, POST, SPARQLWrapper

sys.path.insert(0, str(Path(__file__).parent))
from servers import CDKG, CdkgServe  # noqa: E402

from cdkg.graph.store.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "sample.trig"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?h ?i ?j . ?k ?l ?m }"
COUNT_UNION = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("limits") / "store"
    with Store.open(folder) as opened:
        opened.load_file(SAMPLE, format="trig")
    return folder


def request(url: str, method: str = "GET", headers: dict | None = None, data: bytes | None = None):
    req = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def get_query(url: str, query: str, accept: str = "application/sparql-results+json"):
    return request(f"{url}?{urllib.parse.urlencode({'query': query})}", headers={"Accept": accept})


def children(pid: int) -> list[int]:
    """The direct child processes of ``pid`` (from /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_cors_preflight_and_headers(store):
    with CdkgServe(store) as server:
        base = server.url.rsplit("/", 1)[0]
        status, headers, _ = request(f"{base}/sparql", "OPTIONS", {
            "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})
        assert status == 204
        assert headers["Access-Control-Allow-Origin"] == "*"
        assert "POST" in headers["Access-Control-Allow-Methods"]
        assert "content-type" in headers["Access-Control-Allow-Headers"].lower()
        status, headers, body = request(f"{base}/sparql", "POST",
                                        {"Origin": "https://example.org", "Content-Type": "application/sparql-query",
                                         "Accept": "application/sparql-results+json"}, b"ASK { ?s ?p ?o }")
        assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
        assert json.loads(body)["boolean"] is True


def test_sparql_endpoint_counts_the_union_like_cdkg_sparql(store):
    done = subprocess.run([CDKG, "sparql", COUNT_UNION, "--store", str(store), "--format", "csv"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    local = int(done.stdout.split()[-1])
    assert local > 100
    with CdkgServe(store) as server:
        client = SPARQLWrapper(server.url.rsplit("/", 1)[0] + "/sparql")
        client.setQuery(COUNT_UNION)
        client.setMethod(POST)
        client.setReturnFormat(JSON)
        served = int(client.query().convert()["results"]["bindings"][0]["n"]["value"])
        # an explicit default-graph-uri narrows the default graph to that graph
        one = "https://w3id.org/cdkg/id/graph/lexicon"
        status, _, body = request(server.url + "?" + urllib.parse.urlencode(
            {"query": COUNT_UNION, "default-graph-uri": one}), headers={"Accept": "application/sparql-results+json"})
        narrowed = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    with Store.open(store, read_only=True) as opened:
        in_one = int(opened.query(f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{one}> {{ ?s ?p ?o }} }}").rows[0][0])
    assert status == 200 and narrowed == in_one and 0 < narrowed < served
    assert served == local


def test_runaway_query_is_stopped_and_frees_the_core(store):
    with CdkgServe(store, "--timeout", "1", "--workers", "2") as server:
        engines = children(server.process.pid)
        assert len(engines) == 2
        started = time.monotonic()
        status, headers, body = get_query(server.url, RUNAWAY)
        assert status == 503 and b"timeout" in body and headers.get("Retry-After")
        assert time.monotonic() - started < 5
        time.sleep(0.5)
        now = children(server.process.pid)
        assert len(now) == 2 and set(now) != set(engines)  # the busy worker was replaced
        before = {pid: cpu_seconds(pid) for pid in now}
        time.sleep(1.0)
        assert all(cpu_seconds(pid) - before[pid] < 0.3 for pid in now)
        assert not any(alive(pid) for pid in set(engines) - set(now))
        status, _, body = get_query(server.url, "ASK { ?s ?p ?o }")
        assert status == 200 and json.loads(body)["boolean"] is True


def test_full_queue_answers_503_with_retry_after(store):
    with CdkgServe(store, "--timeout", "3", "--workers", "1", "--queue", "0") as server:
        runaway = threading.Thread(target=get_query, args=(server.url, RUNAWAY))
        runaway.start()
        time.sleep(0.5)
        status, headers, body = get_query(server.url, "ASK {}")
        runaway.join()
        assert status == 503 and headers["Retry-After"].isdigit() and b"busy" in body
        status, _, _ = get_query(server.url, "ASK {}")
        assert status == 200


def test_many_clients_at_once_all_answered(store):
    with CdkgServe(store) as server:
        statuses = []
        def client():
            statuses.append(get_query(server.url, COUNT_UNION)[0])
        threads = [threading.Thread(target=client) for _ in range(48)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert statuses == [200] * 48


def test_kill_9_of_the_front_ends_the_engines(store):
    with CdkgServe(store, "--workers", "2") as server:
        port = urllib.parse.urlsplit(server.url).port
        engines = children(server.process.pid)
        assert len(engines) == 2
        for pid in engines:  # the engines listen nowhere: only pipes to the front
            links = [os.readlink(f) for f in Path(f"/proc/{pid}/fd").iterdir() if f.exists()]
            assert not [link for link in links if link.startswith("socket:")]
        server.process.send_signal(signal.SIGKILL)
        server.process.wait()
        deadline = time.monotonic() + 5
        while any(alive(pid) for pid in engines) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(pid) for pid in engines)
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", port)) != 0
    assert list(store.parent.glob(".cdkg-serve-*"))  # the killed server could not clean up...
    with CdkgServe(store):
        pass
    assert not list(store.parent.glob(".cdkg-serve-*"))  # ...the next one removes its leftovers


def test_bad_limits_are_one_line_exit_2(store):
    for option in (["--workers", "0"], ["--queue", "-1"], ["--timeout", "0"]):
        done = subprocess.run([CDKG, "serve", "--store", str(store), "--port", "0", *option],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, (option, done.stderr)


# --- answers kept for repeated requests, and what travels on the wire ------------------------

LABELS = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s ?label"


def counting_engine(pool) -> list:
    """Record every request that reaches an engine of ``pool`` (the cache answers the others)."""
    runs = []
    original = pool._run_in_engine

    def run(request):
        runs.append(request.get("text"))
        return original(request)

    pool._run_in_engine = run
    return runs


def test_a_repeated_query_or_page_is_answered_without_an_engine(store):
    from cdkg.graph.store.serve import Server

    with Server(store, port=0, workers=2).serve_in_thread() as server:
        root = server.url.rsplit("/", 1)[0]
        runs = counting_engine(server.pool)
        first = get_query(server.url, LABELS)
        page = request(root + "/id/state/KZ")
        assert first[0] == 200 and page[0] == 200 and len(runs) > 1
        so_far = len(runs)
        assert get_query(server.url, LABELS)[2] == first[2]
        assert request(root + "/id/state/KZ")[2] == page[2]
        assert len(runs) == so_far
        # another accepted format is another answer
        assert get_query(server.url, LABELS, accept="text/csv")[0] == 200 and len(runs) == so_far + 1


def test_identical_requests_at_once_cost_one_engine_run(store):
    from cdkg.graph.store.serve import Server

    with Server(store, port=0, workers=4).serve_in_thread() as server:
        runs = counting_engine(server.pool)
        answers = []
        threads = [threading.Thread(target=lambda: answers.append(get_query(server.url, COUNT_UNION)))
                   for _ in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert [a[0] for a in answers] == [200] * 12 and len({a[2] for a in answers}) == 1
    assert runs == [COUNT_UNION]


def test_an_update_empties_the_cache_and_cache_mb_0_keeps_nothing(store, tmp_path):
    from cdkg.graph.store.serve import Server

    folder = tmp_path / "store"
    with Store.open(folder) as opened:
        opened.load_file(SAMPLE, format="trig")
    with Server(folder, port=0, allow_update=True).serve_in_thread() as server:
        before = json.loads(get_query(server.url, COUNT_UNION)[2])["results"]["bindings"][0]["n"]["value"]
        assert json.loads(get_query(server.url, COUNT_UNION)[2])["results"]["bindings"][0]["n"]["value"] == before
        insert = urllib.parse.urlencode({"update": 'INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> "c" } }'})
        assert request(server.update_url, "POST", {"Content-Type": "application/x-www-form-urlencoded"},
                       insert.encode())[0] == 204
        after = json.loads(get_query(server.url, COUNT_UNION)[2])["results"]["bindings"][0]["n"]["value"]
        assert int(after) == int(before) + 1
    with Server(store, port=0, cache_mb=0).serve_in_thread() as server:
        runs = counting_engine(server.pool)
        for _ in range(2):
            assert get_query(server.url, COUNT_UNION)[0] == 200
        assert runs == [COUNT_UNION, COUNT_UNION]


def raw_exchange(url: str, data: bytes) -> tuple[bytes, bytes]:
    """Send ``data`` on a fresh connection: (the first read, everything until the server closes)."""
    parts = urllib.parse.urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(data)
        first = sock.recv(1 << 16)
        rest = first
        while chunk := sock.recv(1 << 16):
            rest += chunk
    return first, rest


def test_a_small_answer_leaves_in_one_write_and_head_and_http_0_9_still_work(store):
    with CdkgServe(store) as server:
        path = "/query?" + urllib.parse.urlencode({"query": "ASK {}"})
        ask = f"GET {path} HTTP/1.1\r\nHost: x\r\nAccept: text/csv\r\nConnection: close\r\n\r\n".encode()
        first, whole = raw_exchange(server.url, ask)
        # head and body in one segment (Nagle's algorithm once held the body back ~40 ms)
        assert first == whole and first.startswith(b"HTTP/1.1 200") and first.endswith(b"\r\n\r\ntrue")
        _, head = raw_exchange(server.url, ask.replace(b"GET ", b"HEAD ", 1))
        assert head.startswith(b"HTTP/1.1 200") and b"Content-Length: 4" in head and head.endswith(b"\r\n\r\n")
        _, old = raw_exchange(server.url, f"GET {path}\r\n\r\n".encode())
        assert b"true" in old and not old.startswith(b"HTTP/")


def test_leftovers_are_told_by_their_lock_not_by_a_process_id(tmp_path):
    import fcntl

    from cdkg.graph.store.serve import _remove_leftovers

    # both folders carry the id of a live process (this one), as a reused id would
    gone, alive = tmp_path / f".cdkg-serve-{os.getpid()}-a", tmp_path / f".cdkg-serve-{os.getpid()}-b"
    for folder in (gone, alive):
        folder.mkdir()
        (folder / ".live").touch()
    with open(alive / ".live", "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        _remove_leftovers(tmp_path)
        assert not gone.exists() and alive.exists()
