"""``cdkg serve``: the store over the SPARQL 1.1 Protocol, on loopback, with a timeout and a row limit.

`Server` starts the query engine, a pool of worker processes that hold the store
(`cdkg.graph.store.engine.Pool`: no port of their own, killed at the timeout, ended with the front
end even on ``kill -9``), and puts the protocol front (`cdkg.graph.store.endpoint.Front`) before it. Read-only serving works on a snapshot of the
store (`Store.backup <cdkg.graph.store.store.Store.backup>`: hard links, so cheap), taken at
start and deleted at exit, so ``cdkg build`` or ``cdkg link`` may write the store while it is
served; restart ``cdkg serve`` to see their changes. Answers to queries asked again are kept
(`cdkg.graph.store.answers`, ``--cache-mb``): the snapshot does not change while it is served. With ``--allow-update`` one worker opens the
store itself, writable, so nothing else may open it meanwhile (and requests run one at a time).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path

from cdkg.errors import CdkgError
from cdkg.graph.store.answers import DEFAULT_CACHE_MB
from cdkg.graph.store.endpoint import Front
from cdkg.graph.store.engine import Pool
from cdkg.graph.store.store import Store
from cdkg.namespaces import ID

__all__ = ["Server", "serve_forever", "DEFAULT_WORKERS"]

#: Queries run at once by default: one per core, at least 4 (so a few runaway queries, until their
#: timeout, do not hold every engine), at most 8.
DEFAULT_WORKERS = max(4, min(8, os.cpu_count() or 4))


def _snapshot(store: Path, into: Path) -> Path:
    """A consistent copy of ``store`` under ``into`` (hard links where the file system allows)."""
    target = into / "store"
    try:
        with Store.open(store) as source:
            source.backup(target)
    except CdkgError as exc:
        raise CdkgError(f"{store}: cannot open the store to snapshot it; another process (a build, "
                        f"link or `serve --allow-update`) may hold it ({str(exc).split(': ', 1)[-1][:160]})") from None
    return target


_LIVE = ".live"


def _hold(workdir: Path):
    """Lock ``workdir/.live`` for as long as this server lives (the kernel drops it on ``kill -9``)."""
    handle = open(workdir / _LIVE, "a+b")
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return handle


def _dead(leftover: Path) -> bool:
    """Whether the server of a snapshot folder is gone: nobody holds its lock (a process id alone
    can be reused, by a thread too, and /proc then shows it alive)."""
    try:
        with open(leftover / _LIVE, "rb") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
    except BlockingIOError:
        return False
    except OSError:           # no lock file: a server that died before making it, or an older one
        pid = leftover.name.split("-")[2]
        return pid.isdigit() and not Path(f"/proc/{pid}").exists()


def _remove_leftovers(folder: Path) -> None:
    """Delete snapshot folders of servers that died without cleaning up (``kill -9``)."""
    for leftover in folder.glob(".cdkg-serve-*"):
        if leftover.is_dir() and _dead(leftover):
            shutil.rmtree(leftover, ignore_errors=True)


class Server:
    """The engine process plus the protocol front; use as a context manager or call ``close``."""

    def __init__(self, store: Path, host: str = "127.0.0.1", port: int = 7878,
                 allow_update: bool = False, timeout: float = 30.0, limit: int = 10000,
                 workers: int = DEFAULT_WORKERS, queue: int = 64, base_iri: str | None = None,
                 documents: Path | None = None, review=None, cache_mb: int = DEFAULT_CACHE_MB):
        store = Path(store)
        if not (store / "CURRENT").exists():
            raise CdkgError(f"{store}: not an Oxigraph store folder (run `cdkg build` first)")
        if timeout <= 0 or limit < 1 or workers < 1 or queue < 0 or cache_mb < 0:
            raise CdkgError(f"{store}: --timeout must be positive, --limit and --workers at least 1, "
                            f"--queue and --cache-mb at least 0")
        self.store, self.allow_update, self.timeout, self.limit = store, allow_update, timeout, limit
        _remove_leftovers(store.parent)
        self.workdir = Path(tempfile.mkdtemp(prefix=f".cdkg-serve-{os.getpid()}-", dir=store.parent))
        self._live = _hold(self.workdir)
        self.pool: Pool | None = None
        self.front: Front | None = None
        self._thread: threading.Thread | None = None
        try:
            location = store if allow_update else _snapshot(store, self.workdir)
            if review is not None and review.path.exists():
                with Store.open(location) as opened:  # the reviews so far, into the served snapshot
                    opened.load_file(review.path, format="trig")
            try:
                self.pool = Pool(location, workers=workers, queue=queue, timeout=timeout, limit=limit,
                                 read_write=allow_update or review is not None, cache_bytes=cache_mb << 20)
            except RuntimeError as exc:
                raise CdkgError(f"{store}: the query engine did not start ({str(exc)[:200]})") from None
            from cdkg.graph.web.pages import Workbench

            self.workbench = Workbench(self.pool, base_iri or str(ID), documents, review, views=store.parent / "views")
            try:
                self.front = Front((host, port), self.pool, allow_update, timeout, limit, pages=self.workbench)
            except OSError as exc:
                raise CdkgError(f"{host}:{port}: cannot listen there ({exc.strerror or exc})") from None
        except BaseException:
            self.close()
            raise
        bound_host, bound_port = self.front.server_address[:2]
        self.url = f"http://{bound_host}:{bound_port}/query"
        self.update_url = f"http://{bound_host}:{bound_port}/update"

    def serve_in_thread(self) -> "Server":
        """Answer requests from a background thread (for notebooks and tests); ``close`` stops it.

        Returns
        -------
        Server
            Itself, serving.

        Examples
        --------
        >>> import tempfile
        >>> from cdkg.graph.store.store import Store
        >>> folder = Path(tempfile.mkdtemp()) / "store"
        >>> Store.open(folder).close()
        >>> from cdkg.graph.store.remote import Endpoint
        >>> with Server(folder, port=0).serve_in_thread() as server:
        ...     Endpoint(server.url).query("ASK { ?s ?p ?o }").boolean
        False
        """
        self._thread = threading.Thread(target=self.front.serve_forever, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop the front and the engine; delete the snapshot.

        Examples
        --------
        The example of `serve_in_thread` closes the server when its ``with`` block ends.
        """
        if self._thread is not None:
            self.front.shutdown()
            self._thread.join()
            self._thread = None
        if self.front is not None:
            self.front.server_close()
        if self.pool is not None:
            self.pool.close()
        shutil.rmtree(self.workdir, ignore_errors=True)
        self._live.close()

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def serve_forever(store: Path, host: str = "127.0.0.1", port: int = 7878, allow_update: bool = False,
                  timeout: float = 30.0, limit: int = 10000, workers: int = DEFAULT_WORKERS,
                  queue: int = 64, base_iri: str | None = None, documents: Path | None = None,
                  review: bool = False, reviews: Path | None = None, cache_mb: int = DEFAULT_CACHE_MB) -> None:
    """Serve until Ctrl-C or SIGTERM, printing the endpoint URL first.

    Parameters
    ----------
    store : Path
        The store folder.
    host : str
        The address to listen on (loopback unless told otherwise).
    port : int
        The port (0 picks a free one).
    allow_update : bool
        Accept SPARQL Update (writes go to the store itself); else a read-only snapshot is served.
    timeout : float
        Seconds a query may run.
    limit : int
        The most rows (or triples) one answer returns.
    workers : int
        Queries run at once (engine worker processes; default one per core, 4 to 8).
    queue : int
        Requests that may wait for a worker; past that the answer is 503 with Retry-After.
    base_iri : str, optional
        The namespace of the graph's IRIs, served at ``/id/`` (default ``https://w3id.org/cdkg/id/``).
    documents : Path, optional
        The documents folder the evidence pages read the texts from.
    review : bool
        Let reviewers accept, reject or correct facts on the evidence pages (one engine then).
    reviews : Path, optional
        The reviews file (default ``reviews.trig`` beside the store).
    cache_mb : int
        Megabytes of answers kept for queries asked again (0: none); emptied by every update.

    Examples
    --------
    >>> serve_forever(Path("no/such/store"))
    Traceback (most recent call last):
    ...
    cdkg.errors.CdkgError: no/such/store: not an Oxigraph store folder (run `cdkg build` first)
    """
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"cdkg serve: warning: listening on {host}, not only on this machine", file=sys.stderr)
    reviewer = None
    if review:
        from cdkg.graph.web.review import Reviews, token_from_env

        token, from_env = token_from_env()
        reviewer = Reviews(Path(reviews) if reviews else Path(store).parent / "reviews.trig", token)
    server = Server(store, host, port, allow_update, timeout, limit, workers, queue, base_iri, documents,
                    reviewer, cache_mb)

    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    mode = "read-write" if allow_update else "read-only snapshot"
    root = server.url.rsplit("/", 1)[0]
    print(f"cdkg serve: {store} at {server.url} (update: {server.update_url}; {mode}, "
          f"timeout {timeout:g} s, limit {limit} rows, {server.pool.size} engine(s), "
          f"cache {cache_mb} MB); workbench at {root}/; Ctrl-C stops", flush=True)
    if reviewer is not None:
        shown = "from CDKG_REVIEW_TOKEN" if from_env else reviewer.token
        print(f"cdkg serve: review on; reviews in {reviewer.path}; token {shown}", flush=True)
    try:
        server.front.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close()
