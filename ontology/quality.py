"""Quality checks of the ontology as SPARQL queries (``ontology/qc/*.rq``): every row is a defect.

In the style of d3fend's ontology checks: missing labels in en/ar/ru, missing definitions,
properties without domain or range, undeclared cdo: terms, duplicate labels, inverse pairs
whose domains and ranges do not mirror each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import rdflib

from cdkg.errors import CdkgError
from cdkg.namespaces import PREFIXES

__all__ = ["QC_DIR", "QcResult", "qc_queries", "run_qc"]

_CDO = PREFIXES["cdo"]

#: The folder of the quality-check queries.
QC_DIR = Path(__file__).resolve().parent / "qc"


@dataclass
class QcResult:
    """The rows one quality-check query returned (each row a defect)."""

    name: str
    variables: list[str]
    rows: list[tuple[str, ...]]

    def text(self) -> str:
        """One line for the check, then one indented line per defect.

        Returns
        -------
        str

        Examples
        --------
        >>> print(QcResult("missing-labels", ["term"], [("cdo:X",)]).text())
        missing-labels: 1 defect(s)
          cdo:X
        """
        head = f"{self.name}: {len(self.rows)} defect(s)" if self.rows else f"{self.name}: ok"
        return "\n".join([head] + ["  " + "  ".join(row) for row in self.rows])


def qc_queries(folder: Path = QC_DIR) -> dict[str, str]:
    """The quality-check queries by name (file stem), in name order.

    Parameters
    ----------
    folder : Path
        The folder of ``*.rq`` checks (default: the packaged ``ontology/qc``).

    Returns
    -------
    dict of str to str
        Name -> query text.

    Examples
    --------
    >>> "missing-labels" in qc_queries()
    True
    """
    files = sorted(Path(folder).glob("*.rq"))
    if not files:
        raise CdkgError(f"{folder}: no quality-check queries (*.rq)")
    return {path.stem: path.read_text(encoding="utf-8") for path in files}


def _short(term, graph: rdflib.Graph) -> str:
    if term is None:
        return ""
    if isinstance(term, rdflib.URIRef):
        if str(term).startswith(_CDO):
            return "cdo:" + str(term)[len(_CDO):]
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:
            return f"<{term}>"
    if isinstance(term, rdflib.BNode):
        return "[]"
    return str(term)


def run_qc(graph: rdflib.Graph, folder: Path = QC_DIR) -> list[QcResult]:
    """Run every quality-check query on *graph*; return the results in query-name order.

    Parameters
    ----------
    graph : rdflib.Graph
        The ontology.
    folder : Path
        The folder of checks.

    Returns
    -------
    list of QcResult

    Examples
    --------
    >>> from cdkg.ontology.generate import load_ontology
    >>> sum(len(r.rows) for r in run_qc(load_ontology()))
    0
    """
    results = []
    for name, text in qc_queries(folder).items():
        try:
            answer = graph.query(text)
        except Exception as exc:
            raise CdkgError(f"{Path(folder) / (name + '.rq')}: query failed: {exc}") from exc
        variables = [str(v) for v in answer.vars or []]
        rows = sorted(tuple(_short(value, graph) for value in row) for row in answer)
        results.append(QcResult(name, variables, rows))
    return results
