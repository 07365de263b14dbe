"""Convert the reference tables (countries.csv, organizations.csv) into lexicon Turtle files.

The converter writes ``countries.ttl`` and ``organizations.ttl``, the two lexicon files that are
generated; the hand-written files (aliases, places, persons, principles, topics) sit beside them
and are never touched. Output is deterministic (rows in CSV order, no timestamps), so re-running
it on the same tables gives byte-identical files that diff cleanly in review.

Run it as ``cdkg lexicon-import --reference ../shared/reference --out data/lexicon`` (``make lexicon``).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from cdkg.errors import CdkgError
from cdkg.files import write_atomic
from cdkg.namespaces import CDO, DCTERMS, ID, ORG, OWL, RDFS, SCHEMA, SKOS, WD, XSD
from cdkg.namespaces import PREFIXES as NAMESPACES

__all__ = [
    "COUNTRY_COLUMNS", "ORGANIZATION_COLUMNS", "FORUM_KEYS",
    "import_reference",
]

#: Columns ``countries.csv`` must have (others are ignored).
COUNTRY_COLUMNS = (
    "iso2", "iso3", "m49", "wikidata", "is_independent",
    "name_en", "name_en_formal", "name_ar", "name_ar_formal", "name_ru", "name_ru_formal",
)
#: Columns ``organizations.csv`` must have (others are ignored).
ORGANIZATION_COLUMNS = (
    "key", "wikidata", "name_en", "name_ar", "name_ru",
    "abbr_en", "abbr_ar", "abbr_ru", "founded", "hq",
)
#: Organization keys typed ``cdo:Forum``: meetings, processes and groupings with no charter body
#: of their own (no secretariat, no legal personality), as opposed to international organizations.
FORUM_KEYS = frozenset({
    "BRICS", "G20", "ARF", "UN_OEWG_ICT", "UN_GGE_ICT", "IGF", "UN_AHC_ICT_CRIME",
})
#: Organizations that are organs or bodies of another one in the same table (``org:subOrganizationOf``).
PARENT_ORGANIZATION = {
    "UNGA": "UN", "UNSC": "UN", "ITU": "UN", "UNODC": "UN", "UN_OEWG_ICT": "UN",
    "UN_GGE_ICT": "UN", "IGF": "UN", "UN_AHC_ICT_CRIME": "UN", "SCO_RATS": "SCO",
    "ARF": "ASEAN", "ACMC": "LAS",
}

LANGUAGES = ("en", "ar", "ru")
#: A Wikidata class for the rows the table marks independent ("sovereign state").
SOVEREIGN_STATE_CLASS = "Q3624078"

PREFIXES = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in (
    ("cdo", NAMESPACES["cdo"]), ("dcterms", DCTERMS), ("org", ORG), ("organization", ID["org/"]), ("owl", OWL),
    ("place", ID["place/"]), ("rdfs", RDFS), ("schema", SCHEMA), ("skos", SKOS), ("state", ID["state/"]),
    ("wd", WD), ("xsd", XSD)))

_QID = re.compile(r"^Q[1-9][0-9]*$")
_ISO2 = re.compile(r"^[A-Z]{2}$")
_ISO3 = re.compile(r"^[A-Z]{3}$")
_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_YEAR = re.compile(r"^[0-9]{4}$")
#: "Part of FI", "Territory of GB", "Crown dependency of GB", "Commonwealth of US"...
_DEPENDENCY = re.compile(r"^(?:Part|Territory|Territories|Crown dependency|Commonwealth) of ([A-Z]{2})$")


def _read_table(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a UTF-8 CSV file as dicts, after checking the file and its required columns exist.

    >>> _read_table(Path("/nonexistent/countries.csv"), ("iso2",))
    Traceback (most recent call last):
    ...
    cdkg.errors.CdkgError: /nonexistent/countries.csv: file not found
    """
    if not path.is_file():
        raise CdkgError(f"{path}: file not found")
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [column for column in required if column not in header]
            if missing:
                raise CdkgError(f"{path}: missing column(s) {', '.join(missing)}")
            return [{key: (value or "").strip() for key, value in row.items() if key} for row in reader]
    except UnicodeDecodeError as exc:
        raise CdkgError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except csv.Error as exc:
        raise CdkgError(f"{path}: malformed CSV ({exc})") from None


def _turtle_string(text: str, language: str) -> str:
    """A Turtle string literal with a language tag, escaped.

    >>> _turtle_string('Côte d\\u2019Ivoire "x"', "en")
    '"Côte d’Ivoire \\\\"x\\\\""@en'
    """
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"@{language}'


def _plain_string(text: str) -> str:
    return _turtle_string(text, "en")[: -len("@en")]


def _natural_name(name: str, formal: str = "") -> str:
    """The UN short name in the form a reader writes it.

    Footnote markers (``*``, ``**``) and the trailing ``(the)`` go; a parenthesised qualifier
    (``Bolivia (Plurinational State of)``) goes only when the formal name carries it, so
    that names such as ``Sint Maarten (Dutch part)`` stay distinct.

    >>> _natural_name("Russian Federation (the)")
    'Russian Federation'
    >>> _natural_name("Holy See (the) *")
    'Holy See'
    >>> _natural_name("Iran (Islamic Republic of)", "the Islamic Republic of Iran")
    'Iran'
    >>> _natural_name("سانت مارتن (الجزء الفرنسي)")
    'سانت مارتن (الجزء الفرنسي)'
    """
    name = re.sub(r"\s*\*+\s*$", "", name).strip()
    name = re.sub(r"\s*\(the\)\s*$", "", name).strip()
    if formal and "(" in name:
        name = re.sub(r"\s*\([^)]*\)", "", name).strip()
    return re.sub(r"\s+", " ", name)


def _formal_name(formal: str) -> str:
    """The formal name without footnote markers and the leading English article.

    >>> _formal_name("the Russian Federation")
    'Russian Federation'
    """
    formal = re.sub(r"\s*\*+\s*$", "", formal).strip()
    formal = re.sub(r"^the\s+", "", formal)
    return re.sub(r"\s+", " ", formal)


def _row_error(path: Path, number: int, problem: str) -> CdkgError:
    return CdkgError(f"{path}: row {number}: {problem}")


def _labels(subject_lines: list[str], prefs: dict[str, str], alts: dict[str, list[str]]) -> None:
    pref_terms = [_turtle_string(prefs[lang], lang) for lang in LANGUAGES if prefs.get(lang)]
    subject_lines.append("    rdfs:label " + ", ".join(pref_terms))
    subject_lines.append("    skos:prefLabel " + ", ".join(pref_terms))
    alt_terms = []
    for lang in LANGUAGES:
        seen = {prefs.get(lang, "")}
        for alt in alts.get(lang, []):
            if alt and alt not in seen:
                alt_terms.append(_turtle_string(alt, lang))
                seen.add(alt)
    if alt_terms:
        subject_lines.append("    skos:altLabel " + ", ".join(alt_terms))


def _block(subject: str, types: str, lines: list[str]) -> str:
    return f"{subject} a {types} ;\n" + " ;\n".join(lines) + " .\n"


def _countries_turtle(rows: list[dict[str, str]], source: Path) -> str:
    """Turtle for every row of countries.csv, one ``cdo:State`` each, in table order."""
    parts = [
        "# GENERATED by `cdkg lexicon-import` from countries.csv; do not edit.\n"
        "# Common names, adjectives and spelling variants go in state-aliases.ttl.\n"
        "# Independent rows carry schema:additionalType wd:Q3624078 (sovereign state); the others\n"
        "# carry the table's status as skos:scopeNote and, when dependent, the state they belong to.\n",
        PREFIXES,
    ]
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        iso2, iso3, m49, qid = row["iso2"], row["iso3"], row["m49"], row["wikidata"]
        if not _ISO2.match(iso2):
            raise _row_error(source, number, f"iso2 {iso2!r} is not two capital letters")
        if iso2 in seen:
            raise _row_error(source, number, f"iso2 {iso2} repeats row {seen[iso2]}")
        seen[iso2] = number
        if not _ISO3.match(iso3):
            raise _row_error(source, number, f"iso3 {iso3!r} is not three capital letters")
        if not m49.isdigit() or len(m49) > 3:
            raise _row_error(source, number, f"m49 {m49!r} is not a number of up to 3 digits")
        if qid and not _QID.match(qid):
            raise _row_error(source, number, f"wikidata {qid!r} is not a QID")
        prefs, alts = {}, {}
        for lang in LANGUAGES:
            formal = _formal_name(row[f"name_{lang}_formal"])
            prefs[lang] = _natural_name(row[f"name_{lang}"], formal)
            alts[lang] = [formal]
            if not prefs[lang]:
                raise _row_error(source, number, f"name_{lang} is empty")
        lines: list[str] = []
        _labels(lines, prefs, alts)
        lines.append(f'    cdo:iso3166Alpha2 "{iso2}"')
        lines.append(f'    cdo:iso3166Alpha3 "{iso3}"')
        lines.append(f'    cdo:m49 "{int(m49):03d}"')
        if qid:
            lines.append(f"    owl:sameAs wd:{qid}")
        status = row["is_independent"]
        if status == "Yes":
            lines.append(f"    schema:additionalType wd:{SOVEREIGN_STATE_CLASS}")
        elif status:
            lines.append(f"    skos:scopeNote {_turtle_string(status, 'en')}")
            dependency = _DEPENDENCY.match(status)
            if dependency:
                lines.append(f"    schema:containedInPlace state:{dependency.group(1)}")
        parts.append(_block(f"state:{iso2}", "cdo:State", lines))
    return "\n".join(parts)


def _date_literal(value: str, source: Path, number: int) -> str:
    if _DATE.match(value):
        return f'"{value}"^^xsd:date'
    if _YEAR.match(value):
        return f'"{value}"^^xsd:gYear'
    raise _row_error(source, number, f"founded {value!r} is neither YYYY-MM-DD nor YYYY")


def _organizations_turtle(
    rows: list[dict[str, str]], source: Path, places: dict[str, str] | None = None
) -> str:
    """Turtle for every row of organizations.csv; ``places`` maps an English city name to a place IRI."""
    places = places or {}
    parts = [
        "# GENERATED by `cdkg lexicon-import` from organizations.csv; do not edit.\n"
        "# Common forms and further abbreviations go in org-aliases.ttl; HQ cities link to places.ttl.\n",
        PREFIXES,
    ]
    keys = {row["key"] for row in rows}
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        key, qid = row["key"], row["wikidata"]
        if not _KEY.match(key):
            raise _row_error(source, number, f"key {key!r} is not an ASCII identifier")
        if key in seen:
            raise _row_error(source, number, f"key {key} repeats row {seen[key]}")
        seen[key] = number
        if qid and not _QID.match(qid):
            raise _row_error(source, number, f"wikidata {qid!r} is not a QID")
        prefs = {lang: row[f"name_{lang}"] for lang in LANGUAGES}
        missing = [lang for lang in LANGUAGES if not prefs[lang]]
        alts = {lang: [row[f"abbr_{lang}"]] for lang in LANGUAGES}
        if not prefs["en"]:
            raise _row_error(source, number, "name_en is empty")
        lines: list[str] = []
        _labels(lines, prefs, alts)
        if missing:
            lines.append(
                "    skos:editorialNote "
                + _turtle_string(f"no name in the table for: {', '.join(missing)} (see org-aliases.ttl)", "en")
            )
        if qid:
            lines.append(f"    owl:sameAs wd:{qid}")
        if row["founded"]:
            lines.append(f"    schema:foundingDate {_date_literal(row['founded'], source, number)}")
        if row["hq"] and row["hq"] in places:
            lines.append(f"    schema:location {places[row['hq']]}")
        parent = PARENT_ORGANIZATION.get(key)
        if parent in keys:
            lines.append(f"    org:subOrganizationOf organization:{parent}")
        kind = "cdo:Forum" if key in FORUM_KEYS else "cdo:InternationalOrganization"
        parts.append(_block(f"organization:{key}", kind, lines))
    return "\n".join(parts)


def _place_index(places_ttl: Path) -> dict[str, str]:
    """English labels of the places in ``places_ttl`` mapped to their prefixed IRI (``place:moscow``)."""
    if not places_ttl.is_file():
        return {}
    from rdflib import Graph, Literal
    from rdflib.namespace import RDF

    graph = Graph()
    try:
        graph.parse(places_ttl, format="turtle")
    except Exception as exc:  # rdflib raises several parser error types
        raise CdkgError(f"{places_ttl}: not valid Turtle ({str(exc).splitlines()[0]})") from None
    base = str(ID["place/"])
    index: dict[str, str] = {}
    for place in sorted(graph.subjects(RDF.type, CDO.Place)):
        if not str(place).startswith(base):
            continue
        for predicate in (RDFS.label, SKOS.prefLabel, SKOS.altLabel):
            for label in graph.objects(place, predicate):
                if isinstance(label, Literal) and label.language == "en":
                    index.setdefault(str(label), "place:" + str(place)[len(base):])
    return index


def import_reference(
    reference_dir: Path | str, out_dir: Path | str, places_ttl: Path | str | None = None
) -> list[Path]:
    """Generate ``countries.ttl`` and ``organizations.ttl`` in ``out_dir`` from the reference CSVs.

    ``places_ttl`` (default ``out_dir/places.ttl``) gives the place IRIs organizations' HQ cities
    link to. Both tables are read and checked before anything is written, so a bad table leaves
    the existing files untouched. Returns the paths written.

    Parameters
    ----------
    reference_dir : Path or str
        The folder of ``countries.csv`` and ``organizations.csv`` (``../shared/reference``).
    out_dir : Path or str
        The lexicon folder to write into.
    places_ttl : Path or str, optional
        The places file for headquarters links (default: ``out_dir/places.ttl``).

    Returns
    -------
    list of Path
        The two files written; nothing is written when a table is bad.

    Examples
    --------
    >>> import tempfile
    >>> import_reference(tempfile.mkdtemp(), tempfile.mkdtemp())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cdkg.errors.CdkgError: .../countries.csv: file not found
    """
    reference_dir, out_dir = Path(reference_dir), Path(out_dir)
    countries_csv = reference_dir / "countries.csv"
    organizations_csv = reference_dir / "organizations.csv"
    countries = _countries_turtle(_read_table(countries_csv, COUNTRY_COLUMNS), countries_csv)
    places = _place_index(Path(places_ttl) if places_ttl else out_dir / "places.ttl")
    organizations = _organizations_turtle(
        _read_table(organizations_csv, ORGANIZATION_COLUMNS), organizations_csv, places
    )
    written = []
    for name, text in (("countries.ttl", countries), ("organizations.ttl", organizations)):
        write_atomic(out_dir / name, text, newline="\n")
        written.append(out_dir / name)
    return written
