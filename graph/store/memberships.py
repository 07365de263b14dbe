"""``cdkg memberships-import``: the reference memberships table as a dataset in Wikidata's shape.

``data/linked/memberships.ttl``, the example dataset for ``cdkg link``, is written from
``../shared/reference/memberships.csv`` (with ``countries.csv`` and ``organizations.csv`` beside it)::

    cdkg memberships-import --memberships ../shared/reference/memberships.csv --out data/linked/memberships.ttl
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pyoxigraph as ox

from cdkg.errors import CdkgError
from cdkg.files import write_atomic
from cdkg.namespaces import ID

__all__ = ["memberships_turtle", "write_memberships"]

#: Statuses that are membership; the others become a ``pq:P2868`` (subject has role) qualifier.
MEMBER_STATUSES = {"member", "founding member", "withdrawn"}
PREFIXES = f"""\
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix p: <http://www.wikidata.org/prop/> .
@prefix ps: <http://www.wikidata.org/prop/statement/> .
@prefix pq: <http://www.wikidata.org/prop/qualifier/> .
@prefix pr: <http://www.wikidata.org/prop/reference/> .
@prefix wikibase: <http://wikiba.se/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix role: <{ID}role/> .
@prefix cdo: <https://w3id.org/cdkg/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
"""
SAFE_IRI = re.compile(r"^https?://[^\s<>\"{}|^`\\]+$")


def _date_literal(text: str) -> str | None:
    """A partial ISO date as a typed Turtle _literal (xsd:date, xsd:gYearMonth or xsd:gYear).

    >>> _date_literal("2001-06-15"), _date_literal("2009-06"), _date_literal("2005"), _date_literal("")
    ('"2001-06-15"^^xsd:date', '"2009-06"^^xsd:gYearMonth', '"2005"^^xsd:gYear', None)
    """
    text = text.strip()
    for pattern, datatype in ((r"\d{4}-\d{2}-\d{2}", "date"), (r"\d{4}-\d{2}", "gYearMonth"), (r"\d{4}", "gYear")):
        if re.fullmatch(pattern, text):
            return f'"{text}"^^xsd:{datatype}'
    if text:
        raise ValueError(f"not an ISO date: {text!r}")
    return None


def _literal(text: str, lang: str | None = None) -> str:
    """A Turtle string literal with N-Triples escaping."""
    return str(ox.Literal(text, language=lang)) if lang else str(ox.Literal(text))


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    except OSError as exc:
        raise CdkgError(f"{path}: cannot read ({exc.strerror or exc})") from None


def memberships_turtle(memberships: Path, countries: Path, organizations: Path) -> str:
    """The memberships table as Turtle in Wikidata's shape (statements with dated qualifiers).

    Each row is one ``p:P463`` statement: ``ps:P463`` the organization, ``pq:P580``/``pq:P582``
    start and end (the same node is also a ``cdo:Membership`` with ``org:member``,
    ``org:organization``, ``cdo:startTime``, ``cdo:endTime`` and ``cdo:role``, the shape document
    facts are written in), ``pq:P2868`` the role for observers, dialogue partners, associates and
    suspensions, ``pq:P1534`` (end cause) for withdrawals, a ``pr:P854`` reference per source.
    Membership rows also give the truthy ``wdt:P463``. States carry ``wdt:P297``/``wdt:P298``.

    Parameters
    ----------
    memberships : Path
        ``memberships.csv``.
    countries : Path
        ``countries.csv`` (names, ISO codes, QIDs).
    organizations : Path
        ``organizations.csv``.

    Returns
    -------
    str
        The Turtle text (deterministic: the same tables give the same bytes).

    Examples
    --------
    >>> memberships_turtle(Path("m.csv"), Path("no/countries.csv"), Path("o.csv"))
    Traceback (most recent call last):
    ...
    cdkg.errors.CdkgError: no/countries.csv: cannot read (No such file or directory)
    """
    states = {row["iso2"]: row for row in _read_csv(countries)}
    orgs = {row["key"]: row for row in _read_csv(organizations)}
    rows = _read_csv(memberships)
    by_state: dict[str, list[dict[str, str]]] = {}
    for number, row in enumerate(rows, 2):
        if row["iso2"] not in states or row["org_key"] not in orgs:
            raise CdkgError(f"{memberships}:{number}: unknown state {row['iso2']!r} or organization {row['org_key']!r}")
        by_state.setdefault(row["iso2"], []).append(row)
    out = [f"# Memberships in Wikidata's shape, generated from {memberships.name} by "
           "`cdkg memberships-import`; do not edit by hand.\n"
           "# Entities without a QID in the reference tables get an IRI under\n"
           f"# {LOCAL_BASE} and are aligned by their ISO code (wdt:P297).", PREFIXES]
    org_iri = {key: _entity_iri(row["wikidata"], "org", key) for key, row in orgs.items()}
    for key in sorted({row["org_key"] for row in rows}, key=lambda k: _sort_key(org_iri[k])):
        labels = ", ".join(_literal(orgs[key][f"name_{lang}"], lang) for lang in ("en", "ar", "ru")
                           if orgs[key][f"name_{lang}"])
        out.append(f"{org_iri[key]} rdfs:label {labels} .\n")
    for status in sorted({row["status"] for row in rows} - MEMBER_STATUSES) + ["withdrawal"]:
        out.append(f"role:{_slug(status)} rdfs:label {_literal(status, 'en')} .\n")
    subjects = {iso2: _entity_iri(states[iso2]["wikidata"], "state", iso2) for iso2 in by_state}
    for iso2 in sorted(by_state, key=lambda code: _sort_key(subjects[code])):
        state = states[iso2]
        labels = ", ".join(_literal(state[f"name_{lang}"], lang) for lang in ("en", "ar", "ru") if state[f"name_{lang}"])
        lines = [f"{subjects[iso2]} rdfs:label {labels} ;", f"    wdt:P297 {_literal(iso2)} ;",
                 f"    wdt:P298 {_literal(state['iso3'])} ;"]
        truthy = sorted({org_iri[r["org_key"]] for r in by_state[iso2] if r["status"] in MEMBER_STATUSES},
                        key=_sort_key)
        if truthy:
            lines.append("    wdt:P463 " + ", ".join(truthy) + " ;")
        ordered = sorted(by_state[iso2], key=lambda r: (_sort_key(org_iri[r["org_key"]]), r["start"], r["status"]))
        lines.append("    p:P463 " + " ,\n        ".join(_statement(r, org_iri[r["org_key"]], subjects[iso2]) for r in ordered) + " .\n")
        out.append("\n".join(lines))
    return "\n".join(out)


LOCAL_BASE = str(ID["linked/memberships/"])


def _entity_iri(qid: str, kind: str, key: str) -> str:
    """``wd:Q..`` when the QID is known, else a dataset-local IRI (Turtle syntax).

    >>> _entity_iri("Q159", "state", "RU"), _entity_iri("", "state", "KW")
    ('wd:Q159', '<https://w3id.org/cdkg/id/linked/memberships/state/KW>')
    """
    qid = (qid or "").strip()
    if re.fullmatch(r"Q[1-9][0-9]*", qid):
        return f"wd:{qid}"
    return f"<{LOCAL_BASE}{kind}/{re.sub(r'[^A-Za-z0-9_-]', '_', key)}>"


def _sort_key(iri: str) -> tuple:
    """Order QIDs numerically, local IRIs after them."""
    found = re.fullmatch(r"wd:Q(\d+)", iri)
    return (0, int(found.group(1)), "") if found else (1, 0, iri)


def _slug(status: str) -> str:
    """A role's local name.

    >>> _slug("dialogue partner")
    'dialogue-partner'
    """
    return re.sub(r"[^a-z0-9]+", "-", status.lower()).strip("-")


def _statement(row: dict[str, str], org: str, member: str) -> str:
    """One ``p:P463`` statement node in Turtle (``org`` and ``member`` already in Turtle syntax),
    also a ``cdo:Membership`` in the shape of the document facts."""
    parts = [f"a cdo:Membership ;\n          org:member {member} ;\n          org:organization {org}",
             f"ps:P463 {org}"]
    start, end = _date_literal(row["start"]), _date_literal(row["end"])
    if start:
        parts.append(f"pq:P580 {start}")
        parts.append(f"cdo:startTime {start}")
    if end:
        parts.append(f"pq:P582 {end}")
        parts.append(f"cdo:endTime {end}")
    parts.append(f"cdo:role {_literal(row['status'])}")
    if row["status"] not in MEMBER_STATUSES:
        parts.append(f"pq:P2868 role:{_slug(row['status'])}")
    if row["status"] == "withdrawn":
        parts.append("pq:P1534 role:withdrawal")
    parts.append("wikibase:rank wikibase:NormalRank")
    sources = [s.strip() for s in row.get("source", "").split("|") if SAFE_IRI.match(s.strip())]
    if sources:
        refs = ", ".join(f"[ pr:P854 <{s}> ]" for s in sources)
        parts.append(f"prov:wasDerivedFrom {refs}")
    if row.get("note", "").strip():
        parts.append(f"rdfs:comment {_literal(row['note'].strip(), 'en')}")
    return "[ " + " ;\n          ".join(parts) + " ]"


def write_memberships(memberships: Path, out: Path, countries: Path | None = None,
                      organizations: Path | None = None) -> Path:
    """Convert the memberships table and write it to ``out`` (only if it is valid Turtle).

    Parameters
    ----------
    memberships : Path
        ``memberships.csv`` (columns org_key, iso2, status, start, end, source, note).
    out : Path
        The Turtle file to write.
    countries, organizations : Path, optional
        The tables the keys refer to; default ``countries.csv`` and ``organizations.csv`` beside
        ``memberships``.

    Returns
    -------
    Path
        ``out``. A bad table raises a one-line `CdkgError` and writes nothing.

    Examples
    --------
    >>> write_memberships(Path("no/such/memberships.csv"), Path("x.ttl"))
    Traceback (most recent call last):
    ...
    cdkg.errors.CdkgError: no/such/countries.csv: cannot read (No such file or directory)
    """
    memberships = Path(memberships)
    try:
        text = memberships_turtle(memberships, countries or memberships.with_name("countries.csv"),
                                  organizations or memberships.with_name("organizations.csv"))
        list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE))  # we must write valid Turtle
    except (ValueError, KeyError, SyntaxError) as exc:
        raise CdkgError(f"{memberships}: {exc}") from None
    return write_atomic(out, text)
