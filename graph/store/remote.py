"""The one remote SPARQL 1.1 client: queries and updates on a server, with HTTP basic or digest auth.

`Endpoint` answers `query` like the embedded `Store <cdkg.graph.store.store.Store>` does, so
``cdkg query --endpoint URL`` and the library run the same way on a server; ``cdkg push``
(`cdkg.graph.store.push`) sends its updates through it.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Mapping

import rdflib

from cdkg.errors import CdkgError
from cdkg.graph.store.sparql import QueryResult, results_from_json, with_values

#: Seconds to wait for one HTTP request before giving up.
DEFAULT_HTTP_TIMEOUT = 120.0

RESULTS_JSON = "application/sparql-results+json"
#: What a query asks for: JSON results, or a graph in one of the syntaxes below.
QUERY_ACCEPT = f"{RESULTS_JSON}, application/n-triples;q=0.9, text/turtle;q=0.8, application/rdf+xml;q=0.5"
#: Graph media types a CONSTRUCT or DESCRIBE answer may come in -> rdflib parser names.
GRAPH_MEDIA = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle",
               "application/rdf+xml": "xml", "application/ld+json": "json-ld", "text/n3": "n3"}



def resolve_password(password: str | None = None, password_file: str | None = None) -> str | None:
    """The endpoint password: from ``password_file``, else ``CDKG_PASSWORD``, else ``--password``.

    A password on the command line is visible to every user in ``ps``; the file (first line) and the
    environment variable are not.

    Parameters
    ----------
    password : str, optional
        The value of ``--password`` (kept for compatibility).
    password_file : str, optional
        A file whose first line is the password.

    Returns
    -------
    str or None

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "pw")
    >>> _ = open(path, "w").write("s3cret\\n")
    >>> resolve_password(password_file=path)
    's3cret'
    """
    import os

    if password_file:
        try:
            with open(password_file, encoding="utf-8") as handle:
                return handle.readline().rstrip("\r\n")
        except OSError as exc:
            raise CdkgError(f"{password_file}: cannot read the password file ({exc.strerror or exc})") from None
    return os.environ.get("CDKG_PASSWORD") or password

@dataclass
class Endpoint:
    """A SPARQL endpoint URL with optional credentials (HTTP basic or digest, as the server asks).

    >>> Endpoint("http://127.0.0.1:8890/sparql").url
    'http://127.0.0.1:8890/sparql'
    """

    url: str
    user: str | None = None
    password: str | None = None
    timeout: float = DEFAULT_HTTP_TIMEOUT
    _opener: urllib.request.OpenerDirector | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise CdkgError(f"{self.url}: not an http(s) endpoint URL")

    @property
    def opener(self) -> urllib.request.OpenerDirector:
        """An opener that answers basic or digest challenges with the given credentials.

        Returns
        -------
        urllib.request.OpenerDirector

        Examples
        --------
        >>> Endpoint("http://127.0.0.1:9/sparql", "dba", "secret").opener is not None
        True
        """
        if self._opener is None:
            handlers: list[urllib.request.BaseHandler] = []
            if self.user is not None:
                passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
                passwords.add_password(None, self.url, self.user, self.password or "")
                handlers += [urllib.request.HTTPDigestAuthHandler(passwords),
                             urllib.request.HTTPBasicAuthHandler(passwords)]
            self._opener = urllib.request.build_opener(*handlers)
        return self._opener

    def request(self, form: dict[str, str], accept: str = "*/*") -> tuple[str, bytes]:
        """POST a form; the media type of the answer and its body, or a one-line CdkgError.

        Parameters
        ----------
        form : dict of str to str
            ``{"query": ...}`` or ``{"update": ...}``.
        accept : str
            The ``Accept`` header.

        Returns
        -------
        tuple of (str, bytes)
            The media type of the answer (``application/sparql-results+json``...) and its body.

        Examples
        --------
        >>> Endpoint("http://127.0.0.1:9/sparql").request({"query": "ASK {}"})
        Traceback (most recent call last):
        ...
        cdkg.errors.CdkgError: http://127.0.0.1:9/sparql: cannot reach the endpoint ([Errno 111] Connection refused)
        """
        data = urllib.parse.urlencode(form).encode("utf-8")
        request = urllib.request.Request(self.url, data=data, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": accept})
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as exc:
            raise CdkgError(f"{self.url}: {_http_problem(exc, self.user)}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise CdkgError(f"{self.url}: cannot reach the endpoint ({reason})") from None

    def update(self, text: str) -> None:
        """Run one SPARQL 1.1 Update request.

        Parameters
        ----------
        text : str
            The update (``DROP SILENT GRAPH ...``, ``INSERT DATA ...``).

        Examples
        --------
        >>> Endpoint("http://127.0.0.1:9/sparql").update("CLEAR ALL")
        Traceback (most recent call last):
        ...
        cdkg.errors.CdkgError: http://127.0.0.1:9/sparql: cannot reach the endpoint ([Errno 111] Connection refused)
        """
        self.request({"update": text})

    def query(self, sparql: str, bindings: Mapping[str, object] | None = None,
              use_default_graph_as_union: bool = True, name: str = "sparql") -> QueryResult:
        """Run a query on the endpoint; answers like `Store.query <cdkg.graph.store.store.Store.query>`.

        Parameters
        ----------
        sparql, bindings, name
            As for `Store.query <cdkg.graph.store.store.Store.query>`; bindings go in a ``VALUES`` block.
        use_default_graph_as_union : bool
            Ignored: the server decides what its default graph is.

        Returns
        -------
        QueryResult

        Examples
        --------
        >>> Endpoint("http://127.0.0.1:9/sparql").query("ASK {}")
        Traceback (most recent call last):
        ...
        cdkg.errors.CdkgError: http://127.0.0.1:9/sparql: cannot reach the endpoint ([Errno 111] Connection refused)
        """
        kind, body = self.request({"query": with_values(sparql, bindings)}, accept=QUERY_ACCEPT)
        if kind in GRAPH_MEDIA:
            try:
                return QueryResult("graph", graph=rdflib.Graph().parse(data=body, format=GRAPH_MEDIA[kind]))
            except Exception as exc:  # rdflib raises many parser-specific types
                raise CdkgError(f"{self.url}: query {name}: unreadable {kind} answer ({_one_line(exc)})") from None
        try:
            return results_from_json(body)
        except CdkgError as exc:
            raise CdkgError(f"{self.url}: query {name}: the answer is {exc}") from None

    def __enter__(self) -> "Endpoint":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to release: every request opens and closes its own connection.

        Examples
        --------
        >>> with Endpoint("http://127.0.0.1:9/sparql") as endpoint:
        ...     endpoint.url
        'http://127.0.0.1:9/sparql'
        """


def _http_problem(exc: urllib.error.HTTPError, user: str | None) -> str:
    """One line saying why the server refused a request."""
    if exc.code == 401:
        if user is None:
            return "authentication required (HTTP 401); give --user and --password"
        return f"authentication failed for user {user!r} (HTTP 401)"
    if exc.code == 403:
        return "forbidden (HTTP 403): the server refuses this request (read-only, or no update right)"
    try:
        detail = exc.read().decode("utf-8", "replace")
    except OSError:
        detail = ""
    first = next((line.strip() for line in detail.splitlines() if line.strip()), exc.reason)
    return f"HTTP {exc.code}: {str(first)[:300]}"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]
