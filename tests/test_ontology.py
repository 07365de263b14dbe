"""The ontology: its terms match the code's namespace, it is labelled in en/ar/ru, aligned to
standard vocabularies, its RDF/XML rendering is current, HermiT finds it consistent (and finds
the planted inconsistencies), the QC queries find nothing in it and find defects in a broken
copy, and the generated documentation works offline."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, URIRef
from rdflib.compare import isomorphic

from cdkg import paths
from cdkg.cli import main
from cdkg.errors import CdkgError
from cdkg.namespaces import CDO, ORG, PROV, SCHEMA
from cdkg.ontology.generate import build_owl, load_ontology, owl_is_current
from cdkg.ontology.quality import run_qc

FIXTURES = Path(__file__).parent / "fixtures" / "ontology"
SAMPLE = Path(__file__).parent / "fixtures" / "sample.trig"
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
CDO_NS = str(CDO._NS)
DECLARED_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)

ARABIC = re.compile(r"[\u0600-\u06FF]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")

needs_java = pytest.mark.skipif(
    shutil.which("java") is None, reason="HermiT needs Java: `make test` installs default-jre-headless"
)


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return load_ontology()


def cdo_terms(graph: rdflib.Graph) -> set[str]:
    """Local names of the cdo: terms declared as classes or properties."""
    return {
        str(s)[len(CDO_NS):]
        for kind in DECLARED_KINDS
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(CDO_NS)
    }


def test_every_namespace_term_is_defined_and_nothing_else(ontology):
    in_code = set(CDO.__annotations__)
    assert cdo_terms(ontology) == in_code
    used = {str(t)[len(CDO_NS):] for triple in ontology for t in triple if isinstance(t, URIRef) and str(t).startswith(CDO_NS)}
    assert used <= in_code, f"cdo: terms used but not in cdkg/namespaces.py: {sorted(used - in_code)}"


def test_every_term_has_real_labels_in_en_ar_ru_and_a_definition(ontology):
    for name in sorted(cdo_terms(ontology)):
        term = CDO[name]
        labels = {label.language: str(label) for label in ontology.objects(term, RDFS.label)}
        assert set(labels) >= {"en", "ar", "ru"}, f"cdo:{name} labels: {labels}"
        assert ARABIC.search(labels["ar"]), f"cdo:{name}: Arabic label not in Arabic script: {labels['ar']}"
        assert CYRILLIC.search(labels["ru"]), f"cdo:{name}: Russian label not in Cyrillic: {labels['ru']}"
        definitions = [d for d in ontology.objects(term, SKOS.definition) if d.language == "en"]
        assert definitions and len(str(definitions[0])) > 20, f"cdo:{name} has no English definition"
        by_lang = {d.language: str(d) for d in ontology.objects(term, SKOS.definition)}
        assert ARABIC.search(by_lang.get("ar", "")), f"cdo:{name} has no Arabic definition"
        assert CYRILLIC.search(by_lang.get("ru", "")), f"cdo:{name} has no Russian definition"


@pytest.mark.parametrize("term, wikidata", [
    ("pointInTime", "P585"), ("startTime", "P580"), ("endTime", "P582"), ("place", "P276"), ("memberOf", "P463"),
    ("holdsPost", "P39"), ("cites", "P2860"), ("Membership", "P463"), ("State", "Q3624078"), ("HeadOfStatePost", "Q48352"),
])
def test_new_records_are_aligned_to_wikidata(ontology, term, wikidata):
    assert (CDO[term], SKOS.closeMatch, rdflib.URIRef("http://www.wikidata.org/entity/" + wikidata)) in ontology


@pytest.mark.parametrize("sub, sup", [
    (CDO.Membership, ORG.Membership), (CDO.Post, ORG.Post), (CDO.holdsPost, ORG.holds), (CDO.postIn, ORG.postIn),
    (CDO.DatedStatement, PROV.Entity),
])
def test_statements_and_posts_specialise_org_and_prov(ontology, sub, sup):
    assert (sub, RDFS.subClassOf, sup) in ontology or (sub, RDFS.subPropertyOf, sup) in ontology


def test_header_has_version_license_and_imports_nothing(ontology):
    header = URIRef(CDO_NS.rstrip("#"))
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(header, OWL.versionIRI) is not None
    assert ontology.value(header, rdflib.DCTERMS.license) is not None
    assert not list(ontology.objects(None, OWL.imports))


@pytest.mark.parametrize("prop, inverse", [
    ("partyTo", "hasParty"), ("memberOf", "hasMember"), ("hosts", "hostedBy"),
    ("proposed", "proposedBy"), ("participatedIn", "hasParticipant"), ("headOf", "hasHead"),
])
def test_inverse_pairs(ontology, prop, inverse):
    assert (CDO[prop], OWL.inverseOf, CDO[inverse]) in ontology


@pytest.mark.parametrize("sub, sup", [
    (CDO.Claim, PROV.Entity), (CDO.Document, PROV.Entity), (CDO.Document, SCHEMA.CreativeWork),
    (CDO.Document, FOAF.Document), (CDO.Principle, SKOS.Concept), (CDO.Topic, SKOS.Concept),
    (CDO.Organization, ORG.Organization), (CDO.InternationalOrganization, ORG.FormalOrganization),
    (CDO.InternationalOrganization, CDO.Organization), (CDO.Forum, CDO.Organization),
    (CDO.Person, SCHEMA.Person), (CDO.Place, SCHEMA.Place), (CDO.Event, SCHEMA.Event),
])
def test_classes_are_aligned_to_standard_vocabularies(ontology, sub, sup):
    assert (sub, RDFS.subClassOf, sup) in ontology


def test_memberof_specialises_org_memberof_and_external_terms_are_declared(ontology):
    assert (CDO.memberOf, RDFS.subPropertyOf, ORG.memberOf) in ontology
    # OWL 2 DL: every class and property the ontology refers to is declared in it
    for p in (RDFS.subClassOf, RDFS.domain, RDFS.range):
        for target in ontology.objects(None, p):
            if isinstance(target, URIRef) and not str(target).startswith(str(rdflib.XSD)) and target != RDFS.Literal:
                assert (target, RDF.type, OWL.Class) in ontology, f"{target} used with {p} but not declared"


def test_date_properties_are_literals_within_the_owl2_datatype_map(ontology):
    # xsd:date, xsd:gYear and xsd:gYearMonth are outside the OWL 2 datatype map: a range over them
    # makes cdo.owl leave OWL 2 DL and plain HermiT (as Protégé runs it) stop; the shapes check them.
    for prop in (CDO.date, CDO.validFrom, CDO.validTo):
        assert (prop, RDF.type, OWL.DatatypeProperty) in ontology
        assert ontology.value(prop, RDFS.range) == RDFS.Literal
    outside = {rdflib.XSD.date, rdflib.XSD.gYear, rdflib.XSD.gYearMonth, rdflib.XSD.gMonthDay, rdflib.XSD.duration}
    used = [(s, p, o) for s, p, o in ontology
            if o in outside and p in (RDFS.range, RDF.first, OWL.onDatatype, OWL.someValuesFrom, OWL.allValuesFrom)]
    assert used == []


@needs_java
def test_plain_hermit_finds_the_committed_owl_consistent():
    # no ignore-unsupported-datatypes flag: the check a user runs in Protégé
    code = ("import owlready2, sys; o = owlready2.get_ontology(sys.argv[1]).load(); "
            "owlready2.sync_reasoner(debug=0); print(len(list(owlready2.default_world.inconsistent_classes())))")
    out = subprocess.run([sys.executable, "-c", code, (paths.SOURCE_ROOT / "ontology" / "cdo.owl").resolve().as_uri()],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "0"


def test_cooperates_with_is_symmetric_and_chained(ontology):
    assert (CDO.cooperatesWith, RDF.type, OWL.SymmetricProperty) in ontology
    chain = list(rdflib.collection.Collection(ontology, ontology.value(CDO.cooperatesWith, OWL.propertyChainAxiom)))
    assert chain == [CDO.partyTo, CDO.hasParty]


# --- the generated RDF/XML ---------------------------------------------------------------

def test_committed_owl_is_current():
    assert owl_is_current(), "ontology/cdo.owl is stale: run `cdkg ontology build` and commit it"


def test_build_writes_the_same_graph_deterministically(tmp_path):
    out, count = build_owl(owl=tmp_path / "cdo.owl")
    first = out.read_bytes()
    assert count == len(load_ontology())
    assert isomorphic(rdflib.Graph().parse(out, format="xml"), load_ontology())
    build_owl(owl=out)
    assert out.read_bytes() == first
    assert not [p for p in tmp_path.iterdir() if p.name != "cdo.owl"], "temporary files left behind"


def test_staleness_is_detected(tmp_path):
    ttl = tmp_path / "cdo.ttl"
    ttl.write_text(paths.ONTOLOGY_TTL.read_text(encoding="utf-8"), encoding="utf-8")
    owl, _ = build_owl(ttl, tmp_path / "cdo.owl")
    assert owl_is_current(ttl, owl)
    ttl.write_text(ttl.read_text(encoding="utf-8").replace('"signed"@en', '"has signed"@en'), encoding="utf-8")
    assert not owl_is_current(ttl, owl)


def test_bad_turtle_is_a_one_line_error_naming_the_file(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix cdo: <https://w3id.org/cdkg/ontology#> .\ncdo:State a \n", encoding="utf-8")
    with pytest.raises(CdkgError, match=r"bad\.ttl: not valid turtle") as info:
        load_ontology(bad)
    assert "\n" not in str(info.value)


# --- reasoning with HermiT -----------------------------------------------------------------

@needs_java
def test_ontology_is_consistent_with_no_unsatisfiable_class():
    from cdkg.ontology.reasoner import check

    report = check()
    assert report.consistent and report.unsatisfiable == [], report.text()


@needs_java
def test_sample_graph_in_the_build_shape_is_consistent():
    from cdkg.ontology.reasoner import check

    report = check(SAMPLE)
    assert report.ok, report.text()


@needs_java
@pytest.mark.parametrize("fixture, culprit", [
    ("inconsistent-disjoint.ttl", "state/XA> is both cdo:Person"),
    ("inconsistent-bilateral.ttl", "is a cdo:BilateralAgreement (at most 2 cdo:hasParty of cdo:State) but has 3"),
    ("inconsistent-union-range.ttl", "exampleland-accord> is cdo:Agreement (rdf:type cdo:Agreement), "
                                     "but the range of cdo:headOf is cdo:State or cdo:Organization or cdo:Event"),
])
def test_planted_inconsistencies_are_reported(fixture, culprit):
    from cdkg.ontology.reasoner import check

    report = check(FIXTURES / fixture)
    assert not report.consistent
    assert any(culprit in line for line in report.conflicts), report.text()


#: Real documents that hold an event in a state (no city named) and name who chaired the event.
CHAIRED_IN_A_STATE = [Path(__file__).parent / "corpus" / "tune" / name for name in
                      ("t_04_third_amcc_singapore_norms.en.txt", "t_04_gcc_ministerial_cyber_committee_doha.ar.txt")]


@needs_java
@pytest.mark.parametrize("path", CHAIRED_IN_A_STATE, ids=lambda p: p.name.split(".")[0])
def test_an_event_held_in_a_state_and_chaired_by_a_person_is_consistent(path):
    from cdkg.graph.facts.extract import extract_facts
    from cdkg.graph.facts.provenance import document_graph
    from cdkg.graph.text.documents import read_document
    from cdkg.graph.text.gazetteer import Gazetteer
    from cdkg.graph.text.lexicon import load_lexicon
    from cdkg.ontology.reasoner import check

    data = document_graph(extract_facts(read_document(path), Gazetteer(load_lexicon())))
    events = set(data.subjects(RDF.type, CDO.Event))
    assert any(str(o).startswith("https://w3id.org/cdkg/id/state/") for o in data.objects(None, CDO.heldIn))
    assert any(o in events for o in data.objects(None, CDO.headOf))
    report = check(data)
    assert report.ok, report.text()


@needs_java
def test_bilateral_agreement_with_two_parties_is_consistent():
    from cdkg.ontology.reasoner import check

    data = rdflib.Graph().parse(FIXTURES / "inconsistent-bilateral.ttl")
    data.remove((URIRef("https://w3id.org/cdkg/id/state/XC"), CDO.partyTo, None))
    assert check(data).ok


@needs_java
def test_an_unsatisfiable_class_is_named(tmp_path):
    from cdkg.ontology.reasoner import check

    broken = load_ontology()
    broken.add((CDO.Forum, RDFS.subClassOf, CDO.Place))  # Forum is an Actor, Actor and Place are disjoint
    ttl = tmp_path / "cdo.ttl"
    broken.serialize(ttl, format="turtle")
    report = check(ontology=ttl)
    assert report.consistent and str(CDO.Forum) in report.unsatisfiable
    assert "unsatisfiable" in report.text()


@needs_java
def test_check_command_exit_codes(capsys):
    assert main(["ontology", "check"]) == 0
    assert "consistent" in capsys.readouterr().out
    assert main(["ontology", "check", str(FIXTURES / "inconsistent-disjoint.ttl")]) == 1
    assert "inconsistent" in capsys.readouterr().out
    assert main(["ontology", "check", str(FIXTURES / "missing.ttl")]) == 2
    assert "missing.ttl: no such file" in capsys.readouterr().err


# --- quality checks --------------------------------------------------------------------------

def test_qc_queries_find_no_defect_in_the_ontology(ontology):
    defects = {r.name: r.rows for r in run_qc(ontology) if r.rows}
    assert defects == {}


def test_each_qc_query_finds_its_planted_defect():
    results = {r.name: r.rows for r in run_qc(load_ontology(FIXTURES / "broken-ontology.ttl"))}
    assert results["missing-labels"] == [("cdo:State", "ru")]
    assert results["missing-definitions"] == [("cdo:State",)]
    assert results["undeclared-terms"] == [("cdo:Instrumnet",)]
    assert results["duplicate-labels"] == [("plan", "en", "2")]
    assert results["missing-domain-range"] == [("cdo:signed", "range")]
    assert results["inverse-domain-range"] == [
        ("cdo:hasParty", "cdo:partyTo", "range", "cdo:Programme"),
        ("cdo:partyTo", "cdo:hasParty", "domain", "cdo:State"),
    ]


def test_inverse_check_compares_unions_by_member(ontology):
    broken = rdflib.Graph()
    for triple in ontology:
        broken.add(triple)
    broken.remove((CDO.hostedBy, RDFS.range, None))
    broken.add((CDO.hostedBy, RDFS.range, CDO.Actor))  # the domain of cdo:hosts is Actor or Place
    rows = {r.name: r.rows for r in run_qc(broken)}["inverse-domain-range"]
    assert rows == [("cdo:hosts", "cdo:hostedBy", "domain", "cdo:Place")]


def test_qc_command_exit_codes(capsys):
    assert main(["ontology", "qc"]) == 0
    assert main(["ontology", "qc", "--ttl", str(FIXTURES / "broken-ontology.ttl")]) == 1
    assert "7 defect(s) in 6 checks" in capsys.readouterr().out


# --- documentation -------------------------------------------------------------------------

def _documented_terms(html: str) -> set[str]:
    return {name for name in CDO.__annotations__ if f'id="{name}"' in html or f"ontology#{name}" in html}


def test_docs_document_every_term_and_load_nothing_remote(tmp_path, capsys):
    from cdkg.ontology.docs import remote_loads

    assert main(["ontology", "docs", "--out-dir", str(tmp_path)]) == 0
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert _documented_terms(html) == set(CDO.__annotations__)
    assert remote_loads(html) == []
    assert "دولة" in html and "государство" in html  # the ar/ru labels are shown
    assert "index.html" in capsys.readouterr().out


def test_committed_docs_cover_every_term():
    html = (paths.SOURCE_ROOT / "docs" / "ontology" / "index.html").read_text(encoding="utf-8")
    assert _documented_terms(html) == set(CDO.__annotations__), "run `cdkg ontology docs` and commit"


def _docs_in_new_process(out_dir: Path) -> bytes:
    code = "import sys; from cdkg.cli import main; sys.exit(main(['ontology', 'docs', '--out-dir', sys.argv[1]]))"
    subprocess.run([sys.executable, "-c", code, str(out_dir)], check=True, capture_output=True)
    return (out_dir / "index.html").read_bytes()


def test_docs_are_the_same_bytes_in_every_run_and_match_the_committed_page(tmp_path):
    # Two processes: pyLODE's unions ("A or B or C") used to come out in a different order each time.
    first = _docs_in_new_process(tmp_path / "one")
    second = _docs_in_new_process(tmp_path / "two")
    assert first == second
    html = first.decode("utf-8")
    calls = html[html.index("ontology#calledFor</code>"):]
    domain = calls[calls.index("rdf-schema#domain"):calls.index("rdf-schema#range")]
    # the members of the domain's union in the order of the ontology's list
    assert re.findall(r'<a href="#(\w+)">', domain) == ["Instrument", "Actor", "Event1"]
    committed = (paths.SOURCE_ROOT / "docs" / "ontology" / "index.html").read_bytes()
    assert committed == first, "docs/ontology/index.html is not current: run `cdkg ontology docs` and commit"


# --- command line ------------------------------------------------------------------------

@pytest.mark.parametrize("argv", [
    ["ontology", "--help"], ["ontology", "build", "--help"], ["ontology", "check", "--help"],
    ["ontology", "docs", "--help"], ["ontology", "qc", "--help"], ["validate", "--help"],
])
def test_every_subcommand_has_help(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 0
    assert "usage: cdkg" in capsys.readouterr().out


def test_build_command_writes_where_told(tmp_path, capsys):
    out = tmp_path / "sub" / "cdo.owl"
    assert main(["ontology", "build", "--out", str(out)]) == 0
    assert out.is_file() and "triples written" in capsys.readouterr().out
    assert main(["ontology", "build", "--ttl", str(tmp_path / "none.ttl"), "--out", str(out)]) == 2


# --- OWL 2 DL profile: the OWL API (bundled with owlready2) through ontology/ProfileCheck.java ---

needs_jdk = pytest.mark.skipif(
    shutil.which("javac") is None or shutil.which("java") is None,
    reason="the OWL API profile check compiles a Java program: `make system-deps` installs default-jdk-headless",
)


@needs_jdk
def test_committed_owl_is_owl2_dl_by_the_owl_api():
    from cdkg.ontology.profile import check_profile

    report = check_profile(paths.ONTOLOGY_OWL)
    assert report.ok, report.text()


@needs_jdk
def test_profile_check_reports_planted_violations(tmp_path):
    from cdkg.ontology.profile import check_profile

    text = paths.ONTOLOGY_OWL.read_text(encoding="utf-8")
    literal = 'rdf:resource="http://www.w3.org/2000/01/rdf-schema#Literal"'
    assert literal in text
    text = text.replace(literal, 'rdf:resource="http://www.w3.org/2001/XMLSchema#gYear"', 1)
    anchor = text.index("<rdfs:subClassOf rdf:resource=")
    text = text[:anchor] + '<rdfs:subClassOf rdf:resource="https://example.org/Undeclared"/>\n    ' + text[anchor:]
    bad = tmp_path / "bad.owl"
    bad.write_text(text, encoding="utf-8")
    report = check_profile(bad)
    assert not report.ok
    joined = "\n".join(report.violations)
    assert "XMLSchema#gYear" in joined and "https://example.org/Undeclared" in joined, joined
    status = main(["ontology", "profile", "--ontology", str(bad)])
    assert status == 1
