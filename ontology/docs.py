"""Human-readable HTML documentation of the ontology, generated with pyLODE.

The page must work offline: pyLODE inlines its CSS and icons; `make_docs` checks that nothing
is loaded from the network (no remote ``src`` or stylesheet ``href``) and strips such elements if
a future pyLODE adds them. Links to the IRIs of terms stay: they are navigation, not loads.
"""

from __future__ import annotations

import logging
import re
import sys
import types
from importlib import metadata
from pathlib import Path

import rdflib
from rdflib import DCTERMS, OWL, RDF, RDFS, SKOS

from cdkg import paths
from cdkg.errors import CdkgError
from cdkg.ontology.generate import load_ontology
from cdkg.files import write_atomic

__all__ = ["DOCS_DIR", "make_docs", "remote_loads"]

#: Where the generated documentation goes.
DOCS_DIR = paths.SOURCE_ROOT / "docs" / "ontology"

_REMOTE_SRC = re.compile(r"""<(script|img|iframe)\b[^>]*\bsrc\s*=\s*["']https?://[^>]*>(?:\s*</\1>)?""", re.I)
_REMOTE_LINK = re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']https?://[^>]*>""", re.I)
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?["']?https?://[^;]*;""", re.I)


class _MembersInListOrder(list):
    """The members of a union or intersection in the order of the ontology's RDF list.

    pyLODE 3.4 gathers the members' HTML elements in a ``set()``; the elements hash by identity,
    that is by memory address, so the order of "A or B or C" changed from one run to the next
    (PYTHONHASHSEED does not fix it). Put in place of ``set`` in ``pylode.utils`` (its only use
    there), this keeps the order pyLODE reads them in, which is the list's.

    >>> members = _MembersInListOrder()
    >>> for name in ("Event", "Actor", "Instrument"):
    ...     members.add(name)
    >>> list(members)
    ['Event', 'Actor', 'Instrument']
    """

    def add(self, item) -> None:
        self.append(item)


def _import_pylode():
    """Import pyLODE, working around its 3.4.1 wheel reading a pyproject.toml that is not installed.

    (RDFLib/pyLODE issue #260: ``pylode/version.py`` opens ``site-packages/pyproject.toml``.)
    Importing it also calls ``logging.basicConfig(level=DEBUG)``; the root logger is restored.
    The members of unions and intersections are kept in list order (`_MembersInListOrder`), so
    that two runs write the same bytes.
    """
    if "pylode.version" not in sys.modules:
        shim = types.ModuleType("pylode.version")
        try:
            shim.__version__ = metadata.version("pylode")
        except metadata.PackageNotFoundError as exc:
            raise CdkgError("pylode: not installed (pip install '.[docs]')") from exc
        sys.modules["pylode.version"] = shim
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        import pylode
    finally:
        root.setLevel(level)
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
    utils = sys.modules.get("pylode.utils")
    if utils is not None:
        utils.set = _MembersInListOrder
    return pylode


def _docs_graph(graph: rdflib.Graph, lang: str = "en") -> rdflib.Graph:
    """A copy of the ontology for pyLODE with titles and labels in *lang* only.

    pyLODE shows one title per term and picks an arbitrary one among several languages, so the
    labels in other languages move to a ``skos:scopeNote`` ("Labels: ar «…» · ru «…»"), which it
    lists in each term's table.

    >>> g = _docs_graph(load_ontology())
    >>> from cdkg.namespaces import CDO
    >>> sorted(str(label) for label in g.objects(CDO.State, RDFS.label))
    ['state']
    >>> print(g.value(CDO.State, SKOS.scopeNote))
    Labels: ar «دولة» · ru «государство»
    """
    copy = rdflib.Graph()
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace)
    headers = set(graph.subjects(RDF.type, OWL.Ontology))
    others: dict[rdflib.term.Node, list[rdflib.Literal]] = {}
    for s, p, o in graph:
        if isinstance(o, rdflib.Literal) and o.language not in (None, lang):
            if p == RDFS.label:
                others.setdefault(s, []).append(o)
                continue
            if s in headers and p in (DCTERMS.title, DCTERMS.description):
                continue
        copy.add((s, p, o))
    for term, labels in others.items():
        listed = " · ".join(f"{label.language} «{label}»" for label in sorted(labels, key=lambda x: x.language))
        copy.add((term, SKOS.scopeNote, rdflib.Literal(f"Labels: {listed}", lang=lang)))
    return copy


def remote_loads(html: str) -> list[str]:
    """Elements of *html* that would fetch something from the network when the page opens.

    Parameters
    ----------
    html : str
        A generated page.

    Returns
    -------
    list of str
        The offending elements (empty when the page works offline).

    Examples
    --------
    >>> remote_loads('<a href="https://schema.org/Person">x</a><script src="https://cdn.example/x.js"></script>')
    ['<script src="https://cdn.example/x.js"></script>']
    """
    return [m.group(0) for pattern in (_REMOTE_SRC, _REMOTE_LINK, _CSS_IMPORT) for m in pattern.finditer(html)]


def make_docs(out_dir: Path | None = None, ttl: Path | None = None) -> Path:
    """Write ``index.html`` documenting the ontology into *out_dir*; return its path.

    Parameters
    ----------
    out_dir : Path, optional
        The folder (default ``docs/ontology`` of the checkout).
    ttl : Path, optional
        The ontology (default: the packaged ``cdo.ttl``).

    Returns
    -------
    Path
        ``out_dir/index.html``.

    Examples
    --------
    >>> import tempfile
    >>> page = make_docs(Path(tempfile.mkdtemp()))
    >>> page.name, remote_loads(page.read_text(encoding="utf-8"))
    ('index.html', [])
    """
    out_dir = Path(out_dir) if out_dir is not None else DOCS_DIR
    pylode = _import_pylode()
    graph = _docs_graph(load_ontology(ttl))
    try:
        html = pylode.OntPub(graph, sort_subjects=True).make_html()
    except pylode.PylodeError as exc:
        raise CdkgError(f"{ttl or paths.ONTOLOGY_TTL}: pyLODE failed: {exc}") from exc
    for element in remote_loads(html):
        html = html.replace(element, "")
    return write_atomic(out_dir / "index.html", html)
