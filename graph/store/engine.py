"""The query engine of ``cdkg serve``: worker processes that each hold the store, killed at the timeout.

A query cannot be stopped inside Oxigraph once it runs, so each query runs in a worker process
(``python -m cdkg.graph.store.engine``) that opens the store through `Store
<cdkg.graph.store.store.Store>` and answers one request at a time over its stdin/stdout pipes. A
query past the timeout is ended by killing its worker (SIGKILL) and starting a fresh one, so no
core stays busy after the timeout. Workers have no port: only the front end reaches them, and the
row limit is applied inside the worker, before anything is serialized. A query still running
after `SLOW_AFTER` seconds has its engine lowered to the least CPU priority (nice 19), so that
short queries keep their latency beside it; the engine gets its priority back (or is replaced)
when the query ends.

Workers end with the front end: the kernel kills them when it dies (``PR_SET_PDEATHSIG``, set
from one long-lived spawner thread, since the signal follows the thread that forked), and a
worker that finds its stdin closed exits too.

`Pool` bounds the work: ``workers`` queries run at once, ``queue`` more wait for a worker, and
past that the front answers 503 with ``Retry-After``. A query asked again while the store is
unchanged is answered from `AnswerCache <cdkg.graph.store.answers.AnswerCache>` without an engine.

Messages: a request is one JSON line; an answer is one JSON line (status, content type,
headers, body length) followed by the body bytes.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import queue as queues
import select
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path

from cdkg.graph.store.answers import DEFAULT_CACHE_MB, AnswerCache
from cdkg.graph.store.endpoint import Busy

__all__ = ["Pool", "Busy", "answer_request"]

PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int):
    """A ``preexec_fn``: SIGKILL this child when the forking thread's process dies."""
    def setup() -> None:
        try:
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except OSError:
            pass
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)
    return setup


#: Seconds after which a running query's engine is lowered to the least CPU priority, so short
#: queries keep their latency while a long one runs (on a machine with few cores).
SLOW_AFTER = 1.0
#: Seconds an engine may take to start and open the store.
STARTUP_TIMEOUT = 60.0


class _Worker:
    """One engine process and its pipes."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self.demoted = False

    def demote(self) -> None:
        """Lower this engine to nice 19 (it runs a long query)."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid, 19)
            self.demoted = True
        except OSError:
            pass

    def restore(self) -> bool:
        """Back to normal priority; False when the system does not allow it (then retire it)."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid, 0)
            self.demoted = False
            return True
        except OSError:
            return False

    def ask(self, request: dict, timeout: float, demote: bool = True) -> tuple[int, str, dict, bytes]:
        """Send ``request``; the answer, or TimeoutError past ``timeout`` s, EOFError if it died."""
        self.process.stdin.write((json.dumps(request) + "\n").encode("utf-8"))
        self.process.stdin.flush()
        started = time.monotonic()
        deadline = started + timeout
        out = self.process.stdout.fileno()
        buffer = bytearray()
        header = None
        while True:
            if header is None and b"\n" in buffer:
                line, _, rest = bytes(buffer).partition(b"\n")
                header, buffer = json.loads(line), bytearray(rest)
            if header is not None and len(buffer) >= header["length"]:
                return header["status"], header["type"], header["headers"], bytes(buffer[: header["length"]])
            now = time.monotonic()
            left = deadline - now
            if left <= 0:
                raise TimeoutError
            if demote and not self.demoted and now - started < SLOW_AFTER:
                left = min(left, started + SLOW_AFTER - now + 0.001)
            elif demote and not self.demoted:
                self.demote()
            ready, _, _ = select.select([out], [], [], left)
            if ready:
                chunk = os.read(out, 1 << 20)
                if not chunk:
                    raise EOFError
                buffer += chunk

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass


class Pool:
    """Worker processes on one store, with a bounded wait; use as a context manager or ``close``.

    Parameters
    ----------
    store : Path
        The store folder (a snapshot when read-only).
    workers : int
        Queries run at once (1 when ``read_write``: one process may hold a writable store).
    queue : int
        Requests that may wait for a worker; one more gets `Busy`.
    timeout : float
        Seconds a request may run (and wait) before its worker is killed.
    limit : int
        The most rows or triples one answer carries.
    read_write : bool
        Open the store writable and accept updates.
    cache_bytes : int
        Bytes of answers kept for identical queries (`cdkg.graph.store.answers.AnswerCache`; 0: none).

    Examples
    --------
    >>> import tempfile
    >>> from cdkg.graph.store.store import Store
    >>> folder = Path(tempfile.mkdtemp()) / "store"
    >>> Store.open(folder).close()
    >>> with Pool(folder, workers=1, queue=0, timeout=20, limit=5) as pool:
    ...     status, kind, headers, body = pool.run({"op": "query", "text": "ASK {}", "accept": "text/csv"})
    >>> status, body
    (200, b'true')
    """

    def __init__(self, store: Path, workers: int = 2, queue: int = 64, timeout: float = 30.0,
                 limit: int = 10000, read_write: bool = False, cache_bytes: int = DEFAULT_CACHE_MB << 20):
        self.store, self.timeout, self.limit, self.read_write = Path(store), timeout, limit, read_write
        self.cache = AnswerCache(cache_bytes)
        self.size = 1 if read_write else max(1, workers)
        self._slots = threading.BoundedSemaphore(self.size + max(0, queue))
        self._idle: "queues.Queue[_Worker]" = queues.Queue()
        self._spawner = ThreadPoolExecutor(1, thread_name_prefix="cdkg-engine-spawner")
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self.closed = False
        try:
            for _ in range(self.size):  # each engine proves it opens the store; a failure names it
                self._idle.put(self._spawner.submit(self._start).result())
        except BaseException:
            self.close()
            raise

    def _start(self) -> _Worker:
        """Start one engine and wait until it answers (runs in the spawner thread: see the module)."""
        command = [sys.executable, "-m", "cdkg.graph.store.engine", "--store", str(self.store),
                   "--limit", str(self.limit)] + (["--read-write"] if self.read_write else [])
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, preexec_fn=_die_with_parent(os.getpid()))
        worker = _Worker(process)
        with self._lock:
            self._all.add(worker)
        try:
            status, _, _, body = worker.ask({"op": "query", "text": "ASK {}", "accept": "text/csv"},
                                            STARTUP_TIMEOUT, demote=False)
        except (TimeoutError, EOFError, OSError, ValueError) as exc:
            self._retire(worker)
            raise RuntimeError(f"engine did not answer ({type(exc).__name__})") from None
        if status != 200:
            self._retire(worker)
            raise RuntimeError(body.decode("utf-8", "replace").strip())
        return worker

    def _replace(self) -> None:
        """Start an engine in place of a killed one, in the background; retry while the pool is open."""
        def replace() -> None:
            for attempt in range(5):
                if self.closed:
                    return
                try:
                    self._idle.put(self._start())
                    return
                except RuntimeError:
                    time.sleep(1 + attempt)
        if not self.closed:
            self._spawner.submit(replace)

    def pids(self) -> list[int]:
        """The process ids of the live workers (for tests and diagnostics)."""
        with self._lock:
            return [w.process.pid for w in self._all if w.process.poll() is None]

    def run(self, request: dict) -> tuple[int, str, dict, bytes]:
        """Answer one request: (status, content type, headers, body); `Busy` when the queue is full.

        A query asked before with the store unchanged is answered from the cache, without an
        engine. A request past the timeout (waiting included) gets 503 and its worker is replaced.
        """
        if self.closed:
            raise Busy
        if request.get("op") != "update":
            return self.cache.answer(request, lambda: self._run_in_engine(request))
        self.cache.changed()
        try:
            return self._run_in_engine(request)
        finally:
            self.cache.changed()     # queries that ran beside the update are not kept either

    def _run_in_engine(self, request: dict) -> tuple[int, str, dict, bytes]:
        """`run` in an engine: wait for a free one (`Busy` past the queue), stop it at the timeout."""
        if self.closed or not self._slots.acquire(blocking=False):
            raise Busy
        started = time.monotonic()
        try:
            try:
                worker = self._idle.get(timeout=self.timeout)
            except queues.Empty:
                return 503, "text/plain; charset=utf-8", {"Retry-After": "5"}, \
                    f"query not started: no engine free within {self.timeout:g} s\n".encode()
            left = max(0.05, self.timeout - (time.monotonic() - started))
            try:
                answer = worker.ask(request, left)
            except (TimeoutError, EOFError, OSError, ValueError) as exc:
                self._retire(worker)
                self._replace()
                if isinstance(exc, TimeoutError):
                    return 503, "text/plain; charset=utf-8", {"Retry-After": "5"}, \
                        f"query stopped: timeout of {self.timeout:g} s reached\n".encode()
                return 503, "text/plain; charset=utf-8", {"Retry-After": "5"}, \
                    b"query stopped: the engine failed\n"
            if worker.demoted and not worker.restore():
                self._retire(worker)
                self._replace()
            else:
                self._idle.put(worker)
            return answer
        finally:
            self._slots.release()

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)

    def close(self) -> None:
        """Kill every worker."""
        self.closed = True
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._retire(worker)
        self._spawner.shutdown(wait=False)

    def __enter__(self) -> "Pool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# --- inside a worker --------------------------------------------------------------------

def answer_request(store, request: dict, limit: int) -> tuple[int, str, dict, bytes]:
    """Run one query or update on ``store`` (a `Store`); the HTTP answer as a tuple.

    Parameters
    ----------
    store : Store
        The store.
    request : dict
        ``op`` (``query`` or ``update``), ``text``, ``accept``, and optional ``default_graph`` and
        ``named_graphs`` (lists of IRIs). With no ``default_graph`` the default graph is the union
        of all graphs, as for ``cdkg sparql``.
    limit : int
        The most rows or triples in the answer.

    Returns
    -------
    tuple
        Status, content type, extra headers, body.

    Examples
    --------
    >>> from cdkg.graph.store.store import Store
    >>> store = Store.in_memory()
    >>> store.update('INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/p> "x", "y" } }')
    >>> answer_request(store, {"op": "query", "text": "SELECT ?o { ?s ?p ?o } ORDER BY ?o",
    ...                        "accept": "text/csv"}, limit=1)
    (200, 'text/csv; charset=utf-8', {'X-Cdkg-Limit': '1', 'X-Cdkg-Truncated': 'true'}, b'o\\r\\nx\\r\\n')
    """
    import pyoxigraph as ox

    from cdkg.graph.store import endpoint as ep
    from cdkg.namespaces import PREFIXES

    text = request.get("text", "")
    if request.get("op") == "update":
        try:
            store.update(text)
        except Exception as exc:  # noqa: BLE001 - every engine error is the client's 400
            return 400, "text/plain; charset=utf-8", {}, (str(exc).strip() + "\n").encode("utf-8")
        return 204, "text/plain", {}, b""
    accept = request.get("accept")
    default = [ox.NamedNode(g) for g in request.get("default_graph") or []]
    named = [ox.NamedNode(g) for g in request.get("named_graphs") or []]
    try:
        answer = protocol_query(store, text, default_graph=default or None, named_graphs=named or None)
        if isinstance(answer, ox.QueryBoolean):
            fmt = ep._choose(accept, ep.RESULT_TYPES, "json")
            if fmt is None:
                return ep.not_acceptable_results()
            return 200, ep.RESULT_MEDIA[fmt], {}, ep._serialize_ask(bool(answer), fmt)
        if isinstance(answer, ox.QuerySolutions):
            fmt = ep._choose(accept, ep.RESULT_TYPES, "json")
            if fmt is None:
                return ep.not_acceptable_results()
            variables = [v.value for v in answer.variables]
            rows = [[solution[v] for v in variables] for solution in islice(answer, limit + 1)]
            return _cut(rows, limit, lambda kept: ep._serialize_select(variables, kept, fmt), ep.RESULT_MEDIA[fmt])
        fmt = ep._choose(accept, ep.GRAPH_TYPES, ox.RdfFormat.N_TRIPLES)
        if fmt is None:
            return 406, "text/plain; charset=utf-8", {}, ("graphs available as " + ", ".join(ep.GRAPH_TYPES) + "\n").encode()
        triples = list(islice(answer, limit + 1))
        media = fmt.media_type + ("; charset=utf-8" if fmt != ox.RdfFormat.RDF_XML else "")
        # Turtle with the vocabularies' prefixes (cdo:, wd:...; not id:, whose local names hold "/")
        extra = {"prefixes": {k: v for k, v in PREFIXES.items() if k != "id"}} if fmt == ox.RdfFormat.TURTLE else {}
        return _cut(triples, limit, lambda kept: ox.serialize(kept, format=fmt, **extra) or b"", media)
    except Exception as exc:  # noqa: BLE001 - a bad query or evaluation error is the client's 400
        message = " ".join(str(exc).split()) or type(exc).__name__
        return 400, "text/plain; charset=utf-8", {}, (message + "\n").encode("utf-8")


def _cut(items: list, limit: int, render, media: str) -> tuple[int, str, dict, bytes]:
    headers = {"X-Cdkg-Limit": str(limit)}
    if len(items) > limit:
        headers["X-Cdkg-Truncated"] = "true"
    return 200, media, headers, render(items[:limit])


def main(argv: list[str] | None = None) -> int:
    """A worker: open the store, answer requests from stdin until it closes."""
    parser = argparse.ArgumentParser(prog="cdkg-engine")
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--limit", type=int, required=True)
    parser.add_argument("--read-write", action="store_true")
    args = parser.parse_args(argv)
    from cdkg.graph.store.store import Store

    out = sys.stdout.buffer
    try:
        store = Store.open(args.store, read_only=not args.read_write)
    except Exception as exc:  # noqa: BLE001 - reported to the front as the first answer
        failure = (str(exc).splitlines()[0] + "\n").encode("utf-8")
        store = None
    for line in sys.stdin.buffer:
        request = json.loads(line)
        if store is None:
            status, kind, headers, body = 500, "text/plain; charset=utf-8", {}, failure
        else:
            status, kind, headers, body = answer_request(store, request, args.limit)
        out.write((json.dumps({"status": status, "type": kind, "headers": headers,
                               "length": len(body)}) + "\n").encode("utf-8"))
        out.write(body)
        out.flush()
    return 0


def protocol_query(store, sparql: str, default_graph: list | None = None, named_graphs: list | None = None):
    """The raw, lazy Oxigraph answer of a query on a `Store`, for this engine: it cuts the answer
    at its row limit while it iterates and serializes it itself, so nothing past the limit is
    computed into memory (every other reader uses `Store.query`).

    Without ``default_graph`` (the protocol's ``default-graph-uri``) the default graph is the union
    of all graphs, as in `Store.query` and ``cdkg sparql``; ``named_graphs`` is ``named-graph-uri``.

    >>> from cdkg.graph.store.store import Store
    >>> bool(protocol_query(Store.in_memory(), "ASK {}"))
    True
    """
    options = {"default_graph": default_graph} if default_graph else {"use_default_graph_as_union": True}
    if named_graphs:
        options["named_graphs"] = named_graphs
    return store._ox.query(sparql, **options)


if __name__ == "__main__":
    sys.exit(main())
