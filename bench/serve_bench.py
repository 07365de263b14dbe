"""``cdkg bench serve``: a bounded loopback load test of ``cdkg serve`` (pages, entity pages and ``/sparql``).

It builds the test fixture documents (``tests/fixtures/documents``) unless ``--store`` is given,
starts ``cdkg serve`` as a subprocess, and sends a fixed number of requests from a fixed number of
client threads (each with its own keep-alive connection), cycling through the query page, entity
pages (HTML and Turtle), an evidence page and library queries at ``/sparql``. Scenarios:

- ``16 clients``: 2,000 requests from 16 clients;
- ``64 clients``: the same from 64 clients;
- ``16 clients + 4 runaway``: four queries that would run for minutes are sent at the same time;
  they must end at the timeout (503) and leave no engine busy afterwards. The server runs 6
  engines (``--workers``) so that the runaways leave two free.

It prints latency percentiles (p50, p90, p99, max) per request kind and overall, requests/s, the
status counts, and for the runaway scenario when the runaways ended and the engines' CPU time in
the second after. Latency depends on the machine; compare runs on one machine.
"""

from __future__ import annotations

import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from cdkg.paths import QUERIES_DIR, SOURCE_ROOT

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?h ?i ?j . ?k ?l ?m }"
LIBRARY = ("instruments-by-state", "co-party-pairs", "principles-by-instrument", "labels", "timeline")


def _cdkg() -> str:
    return str(Path(sys.executable).with_name("cdkg"))


def _percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) by nearest rank.

    >>> _percentile([1, 2, 3, 4, 100], 0.99)
    100
    """
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def _targets(root: str) -> list[tuple[str, str, dict]]:
    """The mix of requests: (kind, path, headers)."""
    conn = http.client.HTTPConnection(urllib.parse.urlsplit(root).netloc, timeout=60)
    conn.request("GET", "/id/state/RU")
    page = conn.getresponse().read().decode("utf-8")
    conn.close()
    doc = re.search(r'href="(/doc/[0-9a-f]+)#', page)
    targets = [("page /", "/", {}), ("entity html", "/id/state/RU", {}),
               ("entity html", "/id/state/CN", {}), ("entity turtle", "/id/state/RU", {"Accept": "text/turtle"})]
    if doc:
        targets.append(("evidence page", doc.group(1), {}))
    for name in LIBRARY:
        path = QUERIES_DIR / f"{name}.rq"
        if path.exists():
            query = urllib.parse.urlencode({"query": path.read_text(encoding="utf-8")})
            targets.append(("sparql library", f"/sparql?{query}", {"Accept": "application/sparql-results+json"}))
    return targets


def load(root: str, requests: int, clients: int, targets: list) -> dict:
    """Send ``requests`` requests from ``clients`` threads; latencies by kind, statuses, wall time."""
    netloc = urllib.parse.urlsplit(root).netloc
    counter = iter(range(requests))
    lock = threading.Lock()
    latencies: dict[str, list[float]] = {}
    statuses: dict[int, int] = {}

    def client() -> None:
        conn = http.client.HTTPConnection(netloc, timeout=120)
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            kind, path, headers = targets[i % len(targets)]
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection(netloc, timeout=120)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.setdefault(kind, []).append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"latencies": latencies, "statuses": statuses, "seconds": time.perf_counter() - started}


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _report(title: str, result: dict) -> None:
    print(f"\n== {title}: {sum(result['statuses'].values())} requests in {result['seconds']:.1f} s "
          f"({sum(result['statuses'].values()) / result['seconds']:.0f} req/s); statuses {dict(sorted(result['statuses'].items()))}")
    print(f"{'kind':<16} {'n':>5} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    everything = []
    for kind, values in sorted(result["latencies"].items()):
        everything += values
        print(f"{kind:<16} {len(values):>5} {1000 * statistics.median(values):>8.1f} "
              f"{1000 * _percentile(values, 0.9):>8.1f} {1000 * _percentile(values, 0.99):>8.1f} {1000 * max(values):>8.1f}")
    print(f"{'all':<16} {len(everything):>5} {1000 * statistics.median(everything):>8.1f} "
          f"{1000 * _percentile(everything, 0.9):>8.1f} {1000 * _percentile(everything, 0.99):>8.1f} "
          f"{1000 * max(everything):>8.1f}")


def run(args) -> int:
    """``cdkg bench serve``."""
    work = Path(tempfile.mkdtemp(prefix="cdkg-bench-serve-"))
    documents = SOURCE_ROOT / "tests" / "fixtures" / "documents"
    store = args.store
    if store is None:
        done = subprocess.run([_cdkg(), "build", "--documents", str(documents), "--out", str(work / "build")],
                              capture_output=True, text=True)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 2
        store = work / "build" / "store"
    command = [_cdkg(), "serve", "--store", str(store), "--port", "0", "--documents", str(documents),
               "--timeout", str(args.timeout), "--workers", str(args.workers), "--cache-mb", str(args.cache_mb)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        banner = server.stdout.readline()
        found = re.search(r"(http://\S+)/query", banner)
        if not found:
            print(f"cdkg serve did not start: {banner}{server.stderr.read()}", file=sys.stderr)
            return 2
        root = found.group(1)
        print(f"cdkg bench serve: {banner.strip()}")
        targets = _targets(root)
        load(root, 100, 4, targets)  # warm-up
        _report(f"{args.clients} clients", load(root, args.requests, args.clients, targets))
        _report("64 clients", load(root, args.requests, 64, targets))

        ended: list[tuple[float, int]] = []
        netloc = urllib.parse.urlsplit(root).netloc

        def runaway() -> None:
            started = time.perf_counter()
            conn = http.client.HTTPConnection(netloc, timeout=args.timeout + 60)
            conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY}))
            status = conn.getresponse().status
            ended.append((time.perf_counter() - started, status))

        runaways = [threading.Thread(target=runaway) for _ in range(4)]
        for t in runaways:
            t.start()
        time.sleep(0.2)  # the runaways hold their engines before the load starts
        result = load(root, args.requests, args.clients, targets)
        for t in runaways:
            t.join()
        _report(f"{args.clients} clients + 4 runaway queries", result)
        print("runaway queries ended after " + ", ".join(f"{s:.1f} s ({status})" for s, status in ended)
              + f" (timeout {args.timeout:g} s)")
        time.sleep(0.5)
        engines = _children(server.pid)
        before = {pid: _cpu(pid) for pid in engines}
        time.sleep(1.0)
        busy = sum(_cpu(pid) - before[pid] for pid in engines)
        print(f"engine CPU in the second after: {busy:.2f} s over {len(engines)} engines")
    finally:
        server.terminate()
        server.wait(30)
        server.stdout.close()
        server.stderr.close()
    return 0
