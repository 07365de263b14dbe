"""``cdkg serve``: the store over the SPARQL 1.1 Protocol, on loopback, with a timeout and a row limit.

`Server` starts the query engine, the Oxigraph server (``oxigraph serve-read-only``, or ``serve``
with ``--allow-update``), on a private loopback port with ``--timeout-s``, and puts the protocol
front (`cdkg.graph.store.endpoint.Front`) before it. Read-only serving works on a snapshot of the
store (`Store.backup <cdkg.graph.store.store.Store.backup>`: hard links, so cheap), taken at
start and deleted at exit, so ``cdkg build`` or ``cdkg link`` may write the store while it is
served; restart ``cdkg serve`` to see their changes. With ``--allow-update`` the engine opens the
store itself, so nothing else may open it meanwhile.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from cdkg.errors import CdkgError
from cdkg.graph.store.endpoint import Front
from cdkg.graph.store.remote import Endpoint
from cdkg.graph.store.store import Store

__all__ = ["OXIGRAPH", "Server", "serve_forever"]

#: The Oxigraph server binary (the ``oxigraph`` package installs it beside this Python).
OXIGRAPH = Path(sys.executable).with_name("oxigraph")


def _free_loopback_port() -> int:
    """A port nothing listens on at 127.0.0.1 (for the private engine)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


class Server:
    """The engine process plus the protocol front; use as a context manager or call ``close``."""

    def __init__(self, store: Path, host: str = "127.0.0.1", port: int = 7878,
                 allow_update: bool = False, timeout: float = 30.0, limit: int = 10000):
        store = Path(store)
        if not (store / "CURRENT").exists():
            raise CdkgError(f"{store}: not an Oxigraph store folder (run `cdkg build` first)")
        if timeout <= 0 or limit < 1:
            raise CdkgError(f"{store}: --timeout must be positive and --limit at least 1")
        if not OXIGRAPH.exists():
            raise CdkgError(f"{OXIGRAPH}: the oxigraph server binary is missing (pip install oxigraph)")
        self.store, self.allow_update, self.timeout, self.limit = store, allow_update, timeout, limit
        self.workdir = Path(tempfile.mkdtemp(prefix=".cdkg-serve-", dir=store.parent))
        self.engine: subprocess.Popen | None = None
        self.front: Front | None = None
        self._thread: threading.Thread | None = None
        try:
            location = store if allow_update else _snapshot(store, self.workdir)
            self.engine_url = self.start_engine(location)
            try:
                self.front = Front((host, port), self.engine_url, allow_update, timeout, limit)
            except OSError as exc:
                raise CdkgError(f"{host}:{port}: cannot listen there ({exc.strerror or exc})") from None
        except BaseException:
            self.close()
            raise
        bound_host, bound_port = self.front.server_address[:2]
        self.url = f"http://{bound_host}:{bound_port}/query"
        self.update_url = f"http://{bound_host}:{bound_port}/update"

    def start_engine(self, location: Path) -> str:
        """Start ``oxigraph serve[-read-only]`` on a private port; wait until it answers.

        Parameters
        ----------
        location : Path
            The store folder (or its snapshot) the engine serves.

        Returns
        -------
        str
            The engine's base URL on loopback.

        Examples
        --------
        The example of `serve_in_thread` starts the engine (on a snapshot of the store) and stops it.
        """
        port = _free_loopback_port()
        command = [str(OXIGRAPH), "serve" if self.allow_update else "serve-read-only",
                   "--location", str(location), "--bind", f"127.0.0.1:{port}",
                   "--timeout-s", f"{max(1, round(self.timeout))}"]
        log = open(self.workdir / "engine.log", "w+b")
        self.engine = subprocess.Popen(command, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.engine.poll() is not None:
                log.seek(0)
                lines = [ln for ln in log.read().decode("utf-8", "replace").splitlines() if ln.strip()]
                raise CdkgError(f"{self.store}: the query engine did not start "
                                f"({lines[0].strip()[:200] if lines else 'no message'})")
            try:
                Endpoint(f"{url}/query", timeout=2).query("ASK {}", name="engine-ready")
                return url
            except CdkgError:
                time.sleep(0.1)
        raise CdkgError(f"{self.store}: the query engine did not answer within 30 s")

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
        if self.engine is not None and self.engine.poll() is None:
            self.engine.terminate()
            try:
                self.engine.wait(10)
            except subprocess.TimeoutExpired:
                self.engine.kill()
                self.engine.wait()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def serve_forever(store: Path, host: str = "127.0.0.1", port: int = 7878, allow_update: bool = False,
                  timeout: float = 30.0, limit: int = 10000) -> None:
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

    Examples
    --------
    >>> serve_forever(Path("no/such/store"))
    Traceback (most recent call last):
    ...
    cdkg.errors.CdkgError: no/such/store: not an Oxigraph store folder (run `cdkg build` first)
    """
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"cdkg serve: warning: listening on {host}, not only on this machine", file=sys.stderr)
    server = Server(store, host, port, allow_update, timeout, limit)

    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    mode = "read-write" if allow_update else "read-only snapshot"
    print(f"cdkg serve: {store} at {server.url} (update: {server.update_url}; {mode}, "
          f"timeout {timeout:g} s, limit {limit} rows); Ctrl-C stops", flush=True)
    try:
        server.front.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close()
