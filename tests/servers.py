"""Start and stop real SPARQL servers on loopback for the integration tests.

Two servers: the Oxigraph server (``.venv/bin/oxigraph``) on a temporary folder, and Virtuoso
(Debian's ``virtuoso-opensource``) with its packaged ``virtuoso.ini`` copied into a temporary
folder, database paths and both ports moved there and onto 127.0.0.1, and anonymous SPARQL
update granted through ``isql-vt``. Each is a context manager that kills its process on exit.
Also here: ``cdkg serve`` as a subprocess, and result normalization for comparing servers.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from glob import glob
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

VENV_BIN = Path(sys.executable).parent
OXIGRAPH = shutil.which("oxigraph", path=str(VENV_BIN)) or shutil.which("oxigraph")
CDKG = shutil.which("cdkg", path=str(VENV_BIN)) or shutil.which("cdkg")
VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql")
VIRTUOSO_INI = next(iter(sorted(glob("/etc/virtuoso-opensource-*/virtuoso.ini"))), None)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(ready, what: str, timeout: float = 30.0, process: subprocess.Popen | None = None) -> None:
    """Poll ``ready()`` until it is true; fail after ``timeout`` s or if ``process`` exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with status {process.returncode}")
        try:
            if ready():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} not ready after {timeout} s")


def answers(url: str) -> bool:
    """True when a SPARQL endpoint answers ``ASK {}`` (through the tool's one SPARQL client)."""
    from cdkg.errors import CdkgError
    from cdkg.graph.store.remote import Endpoint

    try:
        return Endpoint(url, timeout=2).query("ASK {}", name="ready").kind == "ask"
    except CdkgError:
        return False


def stop(process: subprocess.Popen, grace: float = 10.0) -> None:
    """Terminate one process we started, then kill it if it lingers."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class OxigraphServer:
    """``oxigraph serve`` (read-write) on a folder; ``query_url`` and ``update_url``."""

    def __init__(self, folder: Path):
        if not OXIGRAPH:
            raise FileNotFoundError("the oxigraph binary is not installed")
        self.folder = folder
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.query_url = f"{self.base}/query"
        self.update_url = f"{self.base}/update"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "OxigraphServer":
        self.process = subprocess.Popen(
            [OXIGRAPH, "serve", "--location", str(self.folder), "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: answers(self.query_url), "oxigraph server", process=self.process)
        return self

    def __exit__(self, *exc) -> None:
        if self.process:
            stop(self.process)


class VirtuosoServer:
    """Virtuoso Open Source on a temporary database with loopback ports.

    ``query_url`` and ``update_url`` are ``/sparql`` (anonymous update granted);
    ``auth_url`` is ``/sparql-auth`` (digest auth, user dba, password dba).
    """

    def __init__(self, folder: Path):
        if not (VIRTUOSO and VIRTUOSO_INI and ISQL):
            raise FileNotFoundError("virtuoso-t, isql-vt or the packaged virtuoso.ini is missing")
        self.folder = folder
        self.sql_port, self.http_port = free_port(), free_port()
        self.base = f"http://127.0.0.1:{self.http_port}"
        self.query_url = self.update_url = f"{self.base}/sparql"
        self.auth_url = f"{self.base}/sparql-auth"
        self.process: subprocess.Popen | None = None

    def write_ini(self) -> Path:
        """Copy the packaged ``virtuoso.ini`` with paths and ports moved into our folder."""
        text = Path(VIRTUOSO_INI).read_text(encoding="utf-8")
        text = re.sub(r"/var/lib/virtuoso-opensource-\d+/(db|vsp)", str(self.folder), text)
        out, section = [], ""
        for line in text.splitlines():
            header = re.match(r"\s*\[(.+)\]", line)
            if header:
                section = header.group(1)
            key = line.split("=", 1)[0].strip() if "=" in line and not line.lstrip().startswith(";") else ""
            if key == "ServerPort" and section == "Parameters":
                line = f"ServerPort = 127.0.0.1:{self.sql_port}"
            elif key == "ServerPort" and section == "HTTPServer":
                line = f"ServerPort = 127.0.0.1:{self.http_port}"
            elif key == "DirsAllowed":
                line = f"DirsAllowed = ., {self.folder}"
            elif key == "DefaultHost" and section == "URIQA":
                line = f"DefaultHost = 127.0.0.1:{self.http_port}"
            out.append(line)
        ini = self.folder / "virtuoso.ini"
        ini.write_text("\n".join(out) + "\n", encoding="utf-8")
        return ini

    def isql(self, statement: str) -> str:
        """Run one SQL statement as dba through ``isql-vt``."""
        done = subprocess.run([ISQL, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statement}"],
                              capture_output=True, text=True, timeout=30)
        if done.returncode != 0 or "Error" in done.stdout:
            raise RuntimeError(f"isql {statement!r}: {done.stdout}{done.stderr}")
        return done.stdout

    def __enter__(self) -> "VirtuosoServer":
        ini = self.write_ini()
        self.process = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", str(ini)],
                                        cwd=self.folder, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        try:
            wait_until(lambda: answers(self.query_url), "virtuoso", timeout=60, process=self.process)
            self.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
        except Exception:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.process:
            stop(self.process, grace=20)


class CdkgServe:
    """``cdkg serve`` as a subprocess on a free port; ``url`` is its query endpoint."""

    def __init__(self, store: Path, *options: str):
        self.args = [CDKG, "serve", "--store", str(store), "--port", "0", *options]
        self.process: subprocess.Popen | None = None
        self.url = self.update_url = ""
        self.banner = ""

    def __enter__(self) -> "CdkgServe":
        self.process = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.banner = self.process.stdout.readline()
        found = re.search(r"(http://\S+/query)", self.banner)
        if not found:
            stop(self.process)
            raise RuntimeError(f"cdkg serve did not start: {self.banner}{self.process.stderr.read()}")
        self.url = found.group(1)
        self.update_url = self.url.rsplit("/", 1)[0] + "/update"
        return self

    def __exit__(self, *exc) -> None:
        if self.process:
            stop(self.process)
            self.process.stdout.close()
            self.process.stderr.close()


# --- comparing results across servers ---------------------------------------------------

NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.short,
           XSD.nonNegativeInteger, XSD.positiveInteger}


def normal_term(term) -> tuple:
    """A server-independent form of one result term.

    Differences it irons out: blank node labels (each server invents its own), Virtuoso's
    ``typed-literal`` and its dropping of ``xsd:string``, numbers whose lexical form differs
    (``1`` vs ``1.0``; compared by value), and COUNTs typed ``xsd:int`` instead of
    ``xsd:integer``.
    """
    if term is None:
        return ("unbound",)
    if isinstance(term, BNode):
        return ("bnode",)
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, Literal):
        if term.language:
            return ("lang", str(term), term.language.lower())
        if term.datatype in NUMERIC:
            try:
                return ("number", float(str(term)))
            except ValueError:
                return ("literal", str(term), str(term.datatype))
        datatype = None if term.datatype in (None, XSD.string) else str(term.datatype)
        return ("literal", str(term), datatype)
    return ("other", str(term))


def normal_rows(variables, rows) -> list[tuple]:
    """Rows as sorted tuples of normalized terms, in the order of ``variables``."""
    return sorted((tuple(normal_term(row.get(v)) for v in variables) for row in rows), key=repr)


def sparqlwrapper_select(url: str, query: str, user: str | None = None,
                         password: str | None = None) -> tuple[list[str], list[dict]]:
    """Run a SELECT with SPARQLWrapper (the client researchers use); variables and rdflib rows."""
    from SPARQLWrapper import DIGEST, JSON, POST, SPARQLWrapper

    from cdkg.graph.store.sparql import results_from_json

    client = SPARQLWrapper(url)
    client.setQuery(query)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    if user:
        client.setHTTPAuth(DIGEST)
        client.setCredentials(user, password)
    result = results_from_json(client.query().response.read())
    rows = [{k: v for k, v in zip(result.vars, row) if v is not None} for row in result.rows]
    return result.vars, rows


def count_quads(url: str, graph_prefix: str = "https://w3id.org/cdkg/") -> int:
    """How many triples the server holds in named graphs under ``graph_prefix``."""
    query = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
             f'FILTER(STRSTARTS(STR(?g), "{graph_prefix}")) }}')
    _, rows = sparqlwrapper_select(url, query)
    return int(rows[0]["n"])
