"""The lexicon (data/lexicon/*.ttl) and its converter from the reference tables.

These tests read the Turtle files with rdflib directly, so they check the data itself, whatever
loader the pipeline uses. The reference tables live beside the repository (``../shared/reference``);
tests that need them are skipped, with the reason, when that folder is absent, and fail in CI.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from cdkg.errors import CdkgError
from cdkg.graph.store.lexicon_import import COUNTRY_COLUMNS, import_reference
from cdkg.namespaces import CDO, ID, SCHEMA, WD

sys.path.insert(0, str(Path(__file__).parent))
from servers import CDKG  # noqa: E402
from shared_folder import GOLD, REFERENCE, needs_shared  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LEXICON = ROOT / "data" / "lexicon"
LANGUAGES = ("en", "ar", "ru")
LABELS = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
ORG = "http://www.w3.org/ns/org#"
#: Entity kinds whose labels must not collide, each a set of classes.
KINDS = {
    "state": {CDO.State},
    "organization": {CDO.InternationalOrganization, CDO.Forum, CDO.Organization},
    "place": {CDO.Place},
    "person": {CDO.Person},
    "principle": {CDO.Principle},
    "topic": {CDO.Topic},
}

needs_reference = needs_shared(REFERENCE / "countries.csv")


def lexicon_files() -> list[Path]:
    return sorted(LEXICON.glob("*.ttl"))


@pytest.fixture(scope="module")
def lexicon() -> Graph:
    graph = Graph()
    for path in lexicon_files():
        graph.parse(path, format="turtle")
    return graph


def parse(name: str) -> Graph:
    graph = Graph()
    graph.parse(LEXICON / name, format="turtle")
    return graph


def entities_of(graph: Graph, classes: set[URIRef]) -> set[URIRef]:
    return {s for cls in classes for s in graph.subjects(RDF.type, cls)}


def read_csv(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def fold(text: str) -> str:
    """NFKC, case-folded, without Arabic diacritics and tatweel: how a text spelling is compared."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[\u064B-\u065F\u0670\u0640]", "", text)
    return " ".join(text.split())


# --- files and labels ---------------------------------------------------------------------------


def test_every_lexicon_file_parses_and_the_expected_files_exist():
    names = {path.name for path in lexicon_files()}
    expected = {
        "countries.ttl", "organizations.ttl", "state-aliases.ttl", "org-aliases.ttl",
        "places.ttl", "persons.ttl", "principles.ttl", "topics.ttl",
    }
    assert expected <= names
    for path in lexicon_files():
        graph = Graph()
        graph.parse(path, format="turtle")
        assert len(graph) > 0, path


def test_no_label_lacks_a_language_tag(lexicon):
    untagged = [
        (str(s), str(p), str(o))
        for p in LABELS
        for s, o in lexicon.subject_objects(p)
        if not (isinstance(o, Literal) and o.language and o.strip())
    ]
    assert not untagged, f"labels without a language tag or empty: {untagged[:10]}"


def test_every_entity_has_one_preferred_label_per_language_mirrored_in_rdfs_label(lexicon):
    problems = []
    for kind, classes in KINDS.items():
        for entity in entities_of(lexicon, classes):
            for lang in LANGUAGES:
                prefs = [o for o in lexicon.objects(entity, SKOS.prefLabel) if o.language == lang]
                labels = {o for o in lexicon.objects(entity, RDFS.label) if o.language == lang}
                if len(prefs) != 1:
                    problems.append(f"{kind} {entity}: {len(prefs)} skos:prefLabel@{lang}")
                elif prefs[0] not in labels:
                    problems.append(f"{kind} {entity}: rdfs:label@{lang} differs from skos:prefLabel")
    assert not problems, "\n".join(problems[:30])


def test_preferred_alternative_and_hidden_labels_are_disjoint(lexicon):
    """SKOS integrity condition S13: one string is never two kinds of label of one concept."""
    overlaps = []
    for entity in set(lexicon.subjects(SKOS.prefLabel, None)):
        kinds = {p: set(lexicon.objects(entity, p)) for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)}
        for a, b in ((SKOS.prefLabel, SKOS.altLabel), (SKOS.prefLabel, SKOS.hiddenLabel),
                     (SKOS.altLabel, SKOS.hiddenLabel)):
            shared = kinds[a] & kinds[b]
            if shared:
                overlaps.append(f"{entity}: {sorted(shared)}")
    assert not overlaps, "\n".join(overlaps)


def test_no_two_entities_of_one_kind_share_a_label_in_one_language(lexicon):
    collisions = []
    for kind, classes in KINDS.items():
        owners: dict[tuple[str, str], set[URIRef]] = defaultdict(set)
        for entity in entities_of(lexicon, classes):
            for predicate in LABELS:
                for label in lexicon.objects(entity, predicate):
                    key = (label.language, unicodedata.normalize("NFKC", str(label)).lower())
                    owners[key].add(entity)
        collisions += [
            f"{kind} {lang} {text!r}: {sorted(str(e) for e in entities)}"
            for (lang, text), entities in sorted(owners.items())
            if len(entities) > 1
        ]
    assert not collisions, "label collisions:\n" + "\n".join(collisions)


def test_every_referenced_lexicon_iri_is_defined(lexicon):
    """Links inside the lexicon (HQ city, containing state, parent body, broader concept) resolve."""
    defined = set(lexicon.subjects(RDF.type, None))
    links = (SCHEMA.location, SCHEMA.containedInPlace, URIRef(ORG + "subOrganizationOf"),
             SKOS.broader, SKOS.narrower, SKOS.related, SKOS.closeMatch, SKOS.inScheme,
             SKOS.member, SKOS.hasTopConcept, SKOS.topConceptOf)
    dangling = [
        f"{s} {p} {o}"
        for p in links
        for s, o in lexicon.subject_objects(p)
        if str(o).startswith(str(ID)) and o not in defined
    ]
    assert not dangling, "\n".join(dangling)


def test_wikidata_links_are_canonical_entity_iris(lexicon):
    bad = [str(o) for o in lexicon.objects(None, OWL.sameAs)
           if not re.fullmatch(re.escape(str(WD)) + r"Q[1-9][0-9]*", str(o))]
    assert not bad, bad


# --- states ------------------------------------------------------------------------------------


def test_at_least_249_states_carry_a_qid_and_labels_in_en_ar_ru(lexicon):
    complete = [
        state for state in lexicon.subjects(RDF.type, CDO.State)
        if any(str(o).startswith(str(WD)) for o in lexicon.objects(state, OWL.sameAs))
        and all(any(o.language == lang for o in lexicon.objects(state, SKOS.prefLabel)) for lang in LANGUAGES)
    ]
    assert len(complete) >= 249


def test_state_codes_are_unique_and_well_formed(lexicon):
    for predicate, pattern in ((CDO.iso3166Alpha2, r"[A-Z]{2}"), (CDO.iso3166Alpha3, r"[A-Z]{3}"),
                               (CDO.m49, r"[0-9]{3}")):
        values = [str(o) for o in lexicon.objects(None, predicate)]
        assert len(values) >= 249, predicate
        assert len(values) == len(set(values)), f"{predicate}: repeated codes"
        assert all(re.fullmatch(pattern, v) for v in values), predicate
    for state in lexicon.subjects(RDF.type, CDO.State):
        codes = list(lexicon.objects(state, CDO.iso3166Alpha2))
        assert [str(c) for c in codes] == [str(state).rsplit("/", 1)[1]], state


def test_the_un_names_are_natural_forms():
    countries = parse("countries.ttl")
    russia = ID["state/RU"]
    assert Literal("Russian Federation", lang="en") in set(countries.objects(russia, SKOS.prefLabel))
    labels = [str(o) for o in countries.objects(None, SKOS.prefLabel)]
    assert not [label for label in labels if label.endswith(("(the)", "*"))]


@needs_reference
def test_states_in_sco_cis_csto_brics_and_the_arab_league_have_arabic_aliases_beyond_the_un_names():
    aliases = parse("state-aliases.ttl")
    un_names = {row["iso2"]: {row["name_ar"], row["name_ar_formal"]} for row in read_csv("countries.csv")}
    named = {row["iso2"] for row in read_csv("memberships.csv")
             if row["org_key"] in {"SCO", "CIS", "CSTO", "BRICS", "LAS"}}
    assert len(named) > 40
    missing = []
    for iso2 in sorted(named):
        forms = {
            str(o) for p in (SKOS.altLabel, SKOS.hiddenLabel)
            for o in aliases.objects(ID[f"state/{iso2}"], p) if o.language == "ar"
        } - un_names[iso2]
        if not forms:
            missing.append(iso2)
    assert not missing, f"no Arabic common form or adjective for: {missing}"


# --- organizations, places, persons, principles, topics ----------------------------------------


def test_organizations_cover_the_bodies_the_field_names(lexicon):
    keys = {str(o).rsplit("/", 1)[1] for o in entities_of(lexicon, KINDS["organization"])}
    assert {"UN", "UNGA", "ITU", "SCO", "SCO_RATS", "CIS", "CSTO", "BRICS", "EU", "NATO", "OSCE", "ASEAN",
            "LAS", "GCC", "AU", "UN_OEWG_ICT", "UN_GGE_ICT", "IGF", "UN_AHC_ICT_CRIME"} <= keys
    forums = {str(o).rsplit("/", 1)[1] for o in lexicon.subjects(RDF.type, CDO.Forum)}
    assert {"UN_OEWG_ICT", "UN_GGE_ICT", "IGF"} <= forums


def test_the_eleven_gge_2015_norms_are_concepts_of_the_principles_scheme(lexicon):
    norms = set(lexicon.objects(ID["principle/gge-2015-norms"], SKOS.member))
    assert len(norms) == 11
    notations = sorted(str(lexicon.value(norm, SKOS.notation)) for norm in norms)
    assert notations == [f"13({letter})" for letter in "abcdefghijk"]
    for norm in norms:
        assert (norm, RDF.type, CDO.Principle) in lexicon
        assert (norm, SKOS.inScheme, ID["scheme/principles"]) in lexicon
        assert lexicon.value(norm, SKOS.definition) is not None


def test_overlapping_principles_are_mapped(lexicon):
    mapped = {s for p in (SKOS.related, SKOS.closeMatch, SKOS.broader)
              for s in lexicon.subjects(p, None) if (s, RDF.type, CDO.Principle) in lexicon}
    assert len(mapped) >= 10
    for concept in entities_of(lexicon, {CDO.Principle, CDO.Topic}):
        assert (concept, RDF.type, SKOS.Concept) in lexicon, concept
        assert lexicon.value(concept, SKOS.inScheme) is not None, concept


@needs_shared(GOLD)
def test_every_named_thing_in_the_gold_facts_resolves_to_a_lexicon_entity_with_its_qid(lexicon):
    """States, places, persons, principles and organizations of the reference facts are in the lexicon,
    under any spelling the gold gives for states and places, and with the QID the gold gives."""
    kinds = {"State": KINDS["state"], "Place": KINDS["place"], "Person": KINDS["person"],
             "Principle": KINDS["principle"], "IntergovernmentalOrganization": KINDS["organization"]}
    index: dict[str, dict[str, set[URIRef]]] = {kind: defaultdict(set) for kind in kinds}
    for kind, classes in kinds.items():
        for entity in entities_of(lexicon, classes):
            for predicate in LABELS:
                for label in lexicon.objects(entity, predicate):
                    index[kind][fold(str(label))].add(entity)
    unresolved = []
    for path in sorted(GOLD.glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8"))["gold"]["entities"]:
            kind = item["type"]
            if kind not in kinds:
                continue
            spellings = [item["label"]] + (item.get("aliases", []) if kind in ("State", "Place") else [])
            found = [index[kind].get(fold(spelling), set()) for spelling in spellings]
            if any(len(f) != 1 for f in found) or len(set().union(*found)) != 1:
                unresolved.append(f"{path.name}: {kind} {spellings} -> {found}")
                continue
            entity = next(iter(found[0]))
            if item.get("wikidata"):
                if WD[item["wikidata"]] not in set(lexicon.objects(entity, OWL.sameAs)):
                    unresolved.append(f"{path.name}: {item['label']} lacks owl:sameAs wd:{item['wikidata']}")
    assert not unresolved, "\n".join(unresolved)


# --- the converter -------------------------------------------------------------------------------


@needs_reference
def test_the_converter_regenerates_the_generated_files_byte_identically(tmp_path):
    written = import_reference(REFERENCE, tmp_path, places_ttl=LEXICON / "places.ttl")
    assert sorted(path.name for path in written) == ["countries.ttl", "organizations.ttl"]
    for path in written:
        assert path.read_bytes() == (LEXICON / path.name).read_bytes(), (
            f"{path.name} is out of date: run cdkg lexicon-import "
            f"--reference ../shared/reference --out data/lexicon"
        )
    assert not list(tmp_path.glob(".*.tmp")), "temporary files left behind"


@needs_reference
def test_the_converter_runs_as_a_subcommand(tmp_path):
    shutil.copy(LEXICON / "places.ttl", tmp_path / "places.ttl")
    result = subprocess.run(
        [CDKG, "lexicon-import", "--reference", str(REFERENCE), "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "organizations.ttl").read_bytes() == (LEXICON / "organizations.ttl").read_bytes()


@needs_reference
def test_a_table_with_a_missing_column_fails_with_one_line_naming_file_and_column(tmp_path):
    shutil.copy(REFERENCE / "organizations.csv", tmp_path / "organizations.csv")
    rows = read_csv("countries.csv")
    columns = [c for c in rows[0] if c != "m49"]
    with (tmp_path / "countries.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "out"
    with pytest.raises(CdkgError) as error:
        import_reference(tmp_path, out)
    message = str(error.value)
    assert "\n" not in message
    assert "countries.csv" in message and "m49" in message
    assert not out.exists(), "nothing is written when a table is bad"

    result = subprocess.run(
        [CDKG, "lexicon-import", "--reference", str(tmp_path), "--out", str(out)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "m49" in result.stderr


def test_a_missing_table_fails_with_one_line(tmp_path):
    with pytest.raises(CdkgError, match=r"countries\.csv: file not found"):
        import_reference(tmp_path, tmp_path / "out")


def test_a_bad_row_is_reported_with_its_row_number(tmp_path):
    header = ",".join(COUNTRY_COLUMNS)
    row = "RUS,RUS,643,Q159,Yes,Russia,,روسيا,,Россия,"
    (tmp_path / "countries.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    with pytest.raises(CdkgError, match=r"countries\.csv: row 2: iso2 'RUS'"):
        import_reference(tmp_path, tmp_path / "out")
