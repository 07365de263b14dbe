"""Views: projections and metrics on a small graph, and every standard view opened in real
headless Chromium with the network cut off (issue 5).

The graph drawn is ``tests/fixtures/views/small.trig`` (three documents, one of which carries a
script/img injection in its title and evidence). When the corpus build exists (build/graph.trig),
the standard views of it are checked in the browser as well.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from cdkg.errors import CdkgError
from cdkg.paths import SOURCE_ROOT as ROOT
from cdkg.visualize.views import view_graph, write_standard_views
from cdkg.visualize.metrics import limit_nodes, min_weight, node_metrics, write_metrics_csv
from cdkg.visualize.projections import STANDARD_VIEWS, open_graph, project, project_rows, read_index
from cdkg.visualize.pyvis_html import REMOTE_REFERENCE, render_view, script_json
from cdkg.visualize.source import select

FIXTURE = Path(__file__).parent / "fixtures" / "views" / "small.trig"
ID = "https://w3id.org/cdkg/id/"
RU, UZ, CN, KZ = (f"{ID}state/{code}" for code in ("RU", "UZ", "CN", "KZ"))
SOVEREIGNTY = f"{ID}principle/sovereignty"
PAYLOAD = re.compile(r"<script>window\.__pwned|<img src=x onerror", re.IGNORECASE)


@pytest.fixture(scope="module")
def graph_file() -> Path:
    """The TriG file the tests draw (switch to ``corpus_build.trig`` for the real build)."""
    return FIXTURE


@pytest.fixture(scope="module")
def graph(graph_file):
    return open_graph(trig=graph_file)


@pytest.fixture(scope="module")
def index(graph):
    return read_index(graph)


@pytest.fixture(scope="module")
def views(graph, index):
    """Each standard view's graph, with metrics."""
    return {kind: view_graph(graph, kind, index=index) for kind in STANDARD_VIEWS}


@pytest.fixture(scope="module")
def written(graph, tmp_path_factory):
    """The files `cdkg view all` writes, in a temporary folder."""
    out = tmp_path_factory.mktemp("views")
    write_standard_views(graph, out)
    return out


# ---- projections ----------------------------------------------------------------------------

def test_cooperation_weights_count_shared_instruments(views):
    g = views["cooperation"]
    assert set(g.nodes) == {RU, UZ, CN, KZ}
    weights = {frozenset((u, v)): w for u, v, w in g.edges(data="weight")}
    assert weights == {
        frozenset((RU, UZ)): 2, frozenset((RU, CN)): 2, frozenset((RU, KZ)): 2,
        frozenset((CN, KZ)): 2, frozenset((UZ, CN)): 1, frozenset((UZ, KZ)): 1,
    }
    assert sorted(label["en"] for label in g.edges[UZ, KZ]["via_labels"]) == ["Agreement on information security"]


def test_edges_carry_claim_sources_with_title_date_and_quote(views):
    sources = views["cooperation"].edges[RU, UZ]["sources"]
    assert {(s["date"], s["quote"]) for s in sources} == {
        ("2021-11-19", "وقعت روسيا البيان المشترك"),
        ("2021-11-19", "وأوزبكستان طرف في البيان"),
        ("2009-06-16", "the parties signed the agreement"),
    }
    assert {s["title"] for s in sources} == {"بيان عن التعاون", "Agreement of the organisation"}


def test_nodes_carry_labels_in_both_languages_with_fallback_and_types(views):
    g = views["instruments"]
    assert (g.nodes[RU]["label_ar"], g.nodes[RU]["label_en"], g.nodes[RU]["type"]) == ("روسيا", "Russia", "State")
    joint = f"{ID}instrument/js1"
    assert g.nodes[joint]["type"] == "JointStatement"
    assert g.nodes[joint]["label_en"] == g.nodes[joint]["label_ar"] == "بيان مشترك حول أمن المعلومات"
    assert g.nodes[f"{ID}instrument/ag2"]["type"] == "MultilateralAgreement"
    assert g.nodes[joint]["dates"] == ("2021-11-19", "2021-11-19")
    assert g.nodes[RU]["source_count"] == 5


def test_membership_and_instruments_and_principles_relations(views):
    membership = views["membership"]
    assert membership.edges[RU, f"{ID}org/SCO"]["relations"] == ["memberOf"]
    assert membership.edges[RU, f"{ID}event/visit1"]["relations"] == ["hosts"]
    assert membership.edges[UZ, f"{ID}org/UN"]["tail"] == UZ
    instruments = views["instruments"]
    relations = {r for *_, rs in instruments.edges(data="relations") for r in rs}
    assert relations == {"partyTo", "adoptedAt", "promotesPrinciple", "concernsTopic"}
    principles = views["principles"]
    assert set(principles.neighbors(SOVEREIGNTY)) == {CN, f"{ID}instrument/js1"}


def test_query_rows_with_labels_types_and_weights(graph, index):
    rows = select(graph, """
        PREFIX cdo: <https://w3id.org/cdkg/ontology#>
        SELECT ?source ?target ?weight ?targetLabel ?targetType WHERE {
          ?source cdo:memberOf ?target .
          BIND (3 AS ?weight) BIND ("Bloc"@en AS ?targetLabel) BIND (cdo:Forum AS ?targetType)
        }""")
    g = project_rows(rows, index, "custom")
    assert g.number_of_edges() == 5
    assert g.edges[UZ, f"{ID}org/UN"]["weight"] == 3
    assert g.nodes[f"{ID}org/UN"]["label_en"] == "Bloc"
    assert g.nodes[f"{ID}org/UN"]["label_ar"] == "الأمم المتحدة"
    assert g.nodes[f"{ID}org/UN"]["type"] == "Forum"
    with pytest.raises(CdkgError, match="no \\?source or \\?target"):
        project_rows(select(graph, "SELECT ?x WHERE { ?x a ?y } LIMIT 1"), index, "bad.rq")


def test_bad_inputs_raise_one_line_errors(tmp_path):
    broken = tmp_path / "broken.trig"
    broken.write_text("<a> <b> .\n<c> {", encoding="utf-8")
    with pytest.raises(CdkgError, match=r"broken\.trig: not valid TriG"):
        open_graph(trig=broken)
    with pytest.raises(CdkgError, match="no such store folder"):
        open_graph(store=tmp_path / "nothing")
    with pytest.raises(CdkgError, match="not a standard view"):
        project(open_graph(trig=FIXTURE), "friendship")


# ---- metrics --------------------------------------------------------------------------------

def test_metrics_on_the_membership_star(views):
    g = views["membership"]
    sco = f"{ID}org/SCO"
    assert g.nodes[sco]["degree"] == 4
    assert max(g.nodes, key=lambda n: g.nodes[n]["eigenvector"]) in {sco, UZ, RU}
    assert g.nodes[sco]["betweenness"] > g.nodes[KZ]["betweenness"] == 0
    assert all(isinstance(d["community"], int) for _, d in g.nodes(data=True))


def test_metrics_handle_disconnected_bipartite_and_empty_graphs():
    g = nx.complete_bipartite_graph(3, 4)
    g.add_edge("x", "y")
    g.add_node("alone")
    metrics = node_metrics(g)
    assert metrics["alone"] == {"degree": 0, "weighted_degree": 0, "betweenness": 0.0, "eigenvector": 0.0,
                                "community": metrics["alone"]["community"]}
    assert metrics[0]["eigenvector"] > metrics["x"]["eigenvector"] > 0
    assert len({metrics[n]["community"] for n in ("x", "alone", 0)}) == 3
    assert node_metrics(nx.Graph()) == {}


def test_louvain_is_seeded():
    g = nx.connected_caveman_graph(6, 5)
    assert node_metrics(g) == node_metrics(g.copy())


def test_min_weight_keeps_the_backbone(views):
    backbone = min_weight(views["cooperation"], 2)
    assert set(backbone.nodes) == {RU, UZ, CN, KZ}
    assert backbone.number_of_edges() == 4
    assert min_weight(views["cooperation"], 3).number_of_nodes() == 0


def test_limit_nodes_keeps_the_best_connected():
    g = nx.barabasi_albert_graph(300, 2, seed=1)
    g.add_nodes_from(range(1000, 1050))
    small = limit_nodes(g, 120)
    assert small.number_of_nodes() <= 120
    floor = min(dict(small.degree()).values())
    assert all(g.degree(n) >= floor for n in small) and "degree >=" in small.graph["reduced"]
    assert limit_nodes(g, 10_000) is g


def test_metrics_csv(views, tmp_path):
    path = write_metrics_csv(views["cooperation"], tmp_path / "c.metrics.csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) == 4
    assert set(rows[0]) == {"id", "label_en", "label_ar", "type", "degree", "weighted_degree", "betweenness",
                            "eigenvector", "community"}
    assert {r["label_ar"] for r in rows} == {"روسيا", "أوزبكستان", "الصين", "كازاخستان"}


# ---- the HTML text ----------------------------------------------------------------------------

def test_script_json_cannot_close_a_script_element():
    text = script_json({"q": "</script><script>alert(1)</script>\u2028"})
    assert "<" not in text and ">" not in text and "\u2028" not in text


def test_pages_are_self_contained_and_escape_document_text(written):
    pages = sorted(written.glob("*.html"))
    assert len(pages) == 2 * len(STANDARD_VIEWS) + 1
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not REMOTE_REFERENCE.search(text), page.name
        assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", text, re.I), page.name
        assert "cdn.jsdelivr" not in text and "cdnjs" not in text
        assert not PAYLOAD.search(text), page.name
    assert "\\u003cscript\\u003ewindow.__pwned" in (written / "principles-en.html").read_text(encoding="utf-8")


def test_view_all_writes_metrics_and_pictures(written):
    for kind in STANDARD_VIEWS:
        assert (written / f"{kind}.metrics.csv").stat().st_size > 50
        for lang in ("ar", "en"):
            assert (written / f"{kind}-{lang}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_render_rejects_unknown_language_and_metric(views):
    with pytest.raises(ValueError):
        render_view(views["cooperation"], "cooperation", lang="fr")
    with pytest.raises(ValueError):
        render_view(views["cooperation"], "cooperation", size_by="charisma")


# ---- the command line -----------------------------------------------------------------------

def _cdkg(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "cdkg.cli", *args], capture_output=True, text=True, cwd=cwd)


def test_cli_view_query_and_errors(tmp_path):
    query = tmp_path / "members.rq"
    query.write_text("PREFIX cdo: <https://w3id.org/cdkg/ontology#>\n"
                     "SELECT ?source ?target WHERE { ?source cdo:memberOf ?target }\n", encoding="utf-8")
    out = tmp_path / "members.html"
    done = _cdkg("view", "--query", str(query), "--trig", str(FIXTURE), "--out", str(out), "--lang", "ar",
                 "--png", str(tmp_path / "members.svg"))
    assert done.returncode == 0, done.stderr
    assert out.is_file() and (tmp_path / "members.metrics.csv").is_file() and (tmp_path / "members.svg").is_file()
    done = _cdkg("view", "cooperation", "--trig", str(FIXTURE), "--out", str(tmp_path / "c.html"),
                 "--min-weight", "2", "--size-by", "eigenvector")
    assert done.returncode == 0 and "weight < 2 hidden" in done.stderr
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE {", encoding="utf-8")
    for args, message in (
        (("view", "--query", str(bad), "--trig", str(FIXTURE), "--out", str(tmp_path / "x.html")), "bad.rq: not valid SPARQL"),
        (("view", "cooperation", "--trig", str(tmp_path / "none.trig")), "none.trig: no such file"),
        (("view", "--trig", str(FIXTURE)), "name a KIND"),
        (("view", "cooperation", "--trig", str(FIXTURE), "--out", str(tmp_path / "x.txt")), "written as .html"),
    ):
        done = _cdkg(*args)
        assert done.returncode == 2, (args, done.stderr)
        assert done.stderr.count("\n") == 1 and message in done.stderr, done.stderr
    assert not (tmp_path / "x.html").exists()


# ---- in the browser -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian chromium is not installed (make system-deps)")
    from cdkg.visualize.screenshot import launch

    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


def _check_page(browser, html: Path, expected: nx.Graph, shot: Path):
    """Open a view offline; assert no request left, no error, counts equal; return the page."""
    from cdkg.visualize.screenshot import open_offline

    page, report = open_offline(browser, html)
    assert report.blocked == [], report.blocked
    assert report.errors == [], report.errors
    assert report.dialogs == []
    counts = page.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]")
    assert counts == [expected.number_of_nodes(), expected.number_of_edges()]
    assert page.evaluate("network.physics.options.enabled") is False
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 5000
    return page, report


@pytest.mark.parametrize("kind", STANDARD_VIEWS)
def test_view_opens_offline_in_chromium(browser, written, views, index, kind, tmp_path):
    g = views[kind]
    bilingual = [n for n in g if {"ar", "en"} <= set(index.labels.get(n, {}))]
    assert bilingual
    for lang in ("ar", "en"):
        page, _ = _check_page(browser, written / f"{kind}-{lang}.html", g, tmp_path / f"{kind}-{lang}.png")
        shown = dict(page.evaluate("nodes.get().map(n => [n.id, n.label])"))
        assert shown == {n: g.nodes[n][f"label_{lang}"] + ("" if lang in g.nodes[n]["label_langs"]
                                                          else f" [{g.nodes[n]['label_langs'][0]}]") for n in g}
        for node in bilingual:
            assert shown[node] == index.labels[node][lang]
            assert bool(re.search("[\u0600-\u06ff]", shown[node])) == (lang == "ar"), shown[node]
        assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
        assert page.evaluate("document.querySelector('#mynetwork canvas').getAttribute('dir')") == (
            "rtl" if lang == "ar" else "ltr")
        assert page.evaluate("document.getElementById('cdkg-panel').getAttribute('dir')") == (
            "rtl" if lang == "ar" else "ltr")
        page.close()


def test_injection_stays_inert_when_tooltips_are_shown(browser, written, views, tmp_path):
    page, report = _check_page(browser, written / "principles-en.html", views["principles"], tmp_path / "p.png")
    # put every tooltip into the document, as hovering would, and let any handler fire
    texts = page.evaluate("""() => {
        const tips = nodes.get().map(n => window.cdkg.tipOf(n.id)).concat(edges.get().map(e => window.cdkg.tipOf(e.id)));
        const holder = document.createElement('div');
        tips.forEach(t => holder.appendChild(t));
        document.body.appendChild(holder);
        return tips.map(t => t.textContent).join('\\n');
    }""")
    page.wait_for_timeout(300)
    assert "<script>window.__pwned=2;alert(2)</script>" in texts
    assert "<img src=x onerror=" in texts
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('.cdkg-tip script, .cdkg-tip img').length") == 0
    assert report.dialogs == [] and report.errors == []
    # hover the promoted principle so vis shows its own popup, then check again
    position = page.evaluate(f"network.canvasToDOM(network.getPositions(['{SOVEREIGNTY}'])['{SOVEREIGNTY}'])")
    box = page.locator("#mynetwork").bounding_box()
    page.mouse.move(box["x"] + position["x"], box["y"] + position["y"])
    page.wait_for_timeout(600)
    assert page.locator("div.vis-tooltip").count() == 1
    assert page.evaluate("typeof window.__pwned") == "undefined" and report.dialogs == []
    page.close()


def test_language_switch_size_switch_and_filters(browser, written, views, tmp_path):
    g = views["instruments"]
    page, _ = _check_page(browser, written / "instruments-ar.html", g, tmp_path / "i.png")
    assert page.evaluate(f"nodes.get('{RU}').label") == "روسيا"
    page.click("#cdkg-panel button[data-lang=en]")
    assert page.evaluate(f"nodes.get('{RU}').label") == "Russia"
    assert page.evaluate("document.getElementById('cdkg-panel').getAttribute('dir')") == "ltr"
    page.select_option("#cdkg-size", "betweenness")
    assert page.evaluate(f"nodes.get('{RU}').value") == pytest.approx(g.nodes[RU]["betweenness"])
    page.uncheck("#cdkg-panel input[data-type=State]")
    states = sum(1 for _, t in g.nodes(data="type") if t == "State")
    shown = page.evaluate("window.cdkgShown")
    assert shown["nodes"] == g.number_of_nodes() - states
    assert shown["edges"] == sum(1 for u, v in g.edges if "State" not in (g.nodes[u]["type"], g.nodes[v]["type"]))
    page.check("#cdkg-panel input[data-type=State]")
    # the time slider shows what is dated up to its date (and, unless unchecked, what has no date)
    dates = page.evaluate("window.cdkg.dates")
    assert dates == sorted({d[0] for *_, d in g.edges(data="dates") if d[0]} | {d[0] for _, d in g.nodes(data="dates") if d[0]})
    page.uncheck("#cdkg-undated")
    _slide(page, "#cdkg-time", dates.index("2009-06-16"))
    shown = page.evaluate("window.cdkgShown")
    expected = {n for n, d in g.nodes(data="dates") if d[0] and d[0] <= "2009-06-16"}
    assert shown["nodes"] == len(expected) < g.number_of_nodes()
    hidden = page.evaluate("nodes.get({filter: n => n.hidden}).map(n => n.id)")
    assert set(hidden) == set(g.nodes) - expected
    page.close()


def _slide(page, selector: str, value) -> None:
    """Move a range input as a reader dragging it would (value, then an input event)."""
    page.evaluate("([s, v]) => { const e = document.querySelector(s); e.value = String(v);"
                  " e.dispatchEvent(new Event('input', {bubbles: true})); }", [selector, value])


def test_a_large_view_settles_and_stops(browser, tmp_path):
    """1,000 nodes / ~3,000 edges: the layout settles, physics goes off, nodes stop moving."""
    g = nx.barabasi_albert_graph(1000, 3, seed=7)
    g = nx.relabel_nodes(g, {n: f"{ID}state/X{n}" for n in g})
    for node in g:
        g.nodes[node].update(label_ar="دولة", label_en=node[-5:], type="State", sources=[], source_count=0,
                             dates=("", ""))
    from cdkg.visualize.metrics import apply_metrics
    from cdkg.visualize.pyvis_html import write_view

    html = write_view(apply_metrics(g), tmp_path / "big.html", "cooperation", "en")
    page, report = _check_page(browser, html, g, tmp_path / "big.png")
    assert report.settle_seconds < 60
    before = page.evaluate("network.getPositions()")
    page.wait_for_timeout(500)
    assert page.evaluate("network.getPositions()") == before
    page.close()


# ---- the real corpus build -------------------------------------------------------------------

def test_corpus_build_views(browser, tmp_path, corpus_build):
    graph = open_graph(trig=corpus_build.trig)
    write_standard_views(graph, tmp_path, pictures=False)
    index = read_index(graph)
    cooperation = view_graph(graph, "cooperation", index=index)
    assert cooperation.number_of_edges() >= 1
    for kind in STANDARD_VIEWS:
        expected = view_graph(graph, kind, index=index)
        for lang in ("ar", "en"):
            page, _ = _check_page(browser, tmp_path / f"{kind}-{lang}.html", expected, tmp_path / f"{kind}-{lang}.png")
            page.close()


# ---- issue 14: defects of the tooltips, legend and language switch ----------------------------

JS1, AG2 = f"{ID}instrument/js1", f"{ID}instrument/ag2"


def _tip_in_page(page, node: str) -> None:
    """Put the tooltip of ``node`` into the page, in the page's direction, as hovering would."""
    page.evaluate("""(id) => {
        const holder = document.createElement('div');
        holder.id = 'tip-holder';
        holder.style.cssText = 'position:fixed;top:0;left:320px;width:700px;background:#fff;z-index:99';
        holder.appendChild(window.cdkg.tipOf(id));
        document.body.appendChild(holder);
    }""", node)


def test_tooltips_group_sources_by_document_and_print_a_label_once(browser, written, views, tmp_path):
    g = views["instruments"]
    assert g.nodes[JS1]["label_langs"] == ["ar"]
    page, _ = _check_page(browser, written / "instruments-ar.html", g, tmp_path / "i.png")
    _tip_in_page(page, JS1)
    labels = page.evaluate("[...document.querySelectorAll('#tip-holder .tip-label')].map(e => e.textContent)")
    assert labels == [g.nodes[JS1]["label_ar"]]
    documents = {s["document"] for s in g.nodes[JS1]["sources"]}
    assert len(documents) < len(g.nodes[JS1]["sources"])
    assert page.locator("#tip-holder li.tip-source").count() == len(documents)
    quotes = page.evaluate("[...document.querySelectorAll('#tip-holder .tip-quote')].map(e => e.textContent)")
    assert sorted(quotes) == sorted({s["quote"] for s in g.nodes[JS1]["sources"] if s["quote"]})
    # right to left: the title, then a separator, then the date, each apart from the other
    title, sep, date = (page.locator(f"#tip-holder li.tip-source >> nth=0 >> .{c}").bounding_box()
                        for c in ("tip-doc", "tip-sep", "tip-date"))
    assert date["x"] + date["width"] <= sep["x"] + 0.5 and sep["x"] + sep["width"] <= title["x"] + 0.5
    assert sep["width"] > 5
    page.close()


def test_fallback_labels_are_marked_with_their_language(browser, written, views, tmp_path):
    g = views["instruments"]
    assert g.nodes[AG2]["label_langs"] == ["en"]
    page, _ = _check_page(browser, written / "instruments-ar.html", g, tmp_path / "i.png")
    assert page.evaluate(f"nodes.get('{AG2}').label") == g.nodes[AG2]["label_en"] + " [en]"
    assert page.evaluate(f"nodes.get('{RU}').label") == "روسيا"
    page.click("#cdkg-panel button[data-lang=en]")
    assert page.evaluate(f"nodes.get('{AG2}').label") == g.nodes[AG2]["label_en"]
    assert page.evaluate(f"nodes.get('{JS1}').label") == g.nodes[JS1]["label_ar"] + " [ar]"
    page.close()


def test_language_switch_sets_the_document_title(browser, written, views, tmp_path):
    page, _ = _check_page(browser, written / "cooperation-en.html", views["cooperation"], tmp_path / "c.png")
    english = page.title()
    page.click("#cdkg-panel button[data-lang=ar]")
    assert page.title() != english and re.search("[\u0600-\u06ff]", page.title())
    page.click("#cdkg-panel button[data-lang=en]")
    assert page.title() == english
    page.close()


def test_edge_types_have_a_legend_and_filter(browser, written, views, tmp_path):
    g = views["membership"]
    relations = sorted({r for *_, rs in g.edges(data="relations") for r in rs})
    assert len(relations) > 1
    page, _ = _check_page(browser, written / "membership-en.html", g, tmp_path / "m.png")
    boxes = page.evaluate("[...document.querySelectorAll('#cdkg-panel input[data-relation]')]"
                          ".map(b => b.dataset.relation)")
    assert boxes == relations
    colours = page.evaluate("[...new Set(edges.get().map(e => e.color.color))].length")
    assert colours > 1
    gone = relations[0]
    page.uncheck(f"#cdkg-panel input[data-relation={gone}]")
    keep = sum(1 for *_, rs in g.edges(data="relations") if set(rs) - {gone})
    assert page.evaluate("window.cdkgShown.edges") == keep < g.number_of_edges()
    hidden = page.evaluate("edges.get({filter: e => e.hidden}).map(e => e.relations)")
    assert hidden and all(rs == [gone] for rs in hidden)
    page.close()


def test_static_picture_of_a_view_over_500_nodes(tmp_path):
    """spring_layout goes sparse (scipy) at 500 nodes; the picture is drawn, not a traceback."""
    from cdkg.visualize.metrics import apply_metrics
    from cdkg.visualize.static import draw_static

    g = nx.barabasi_albert_graph(700, 2, seed=3)
    g = nx.relabel_nodes(g, {n: f"{ID}state/X{n}" for n in g})
    for node in g:
        g.nodes[node].update(label_ar="دولة", label_en=node[-4:], type="State")
    png = draw_static(apply_metrics(g), tmp_path / "big.png", "cooperation", "ar")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20000


def test_view_kind_and_view_all_name_the_metrics_csv_alike(tmp_path, written):
    done = _cdkg("view", "cooperation", "--trig", str(FIXTURE), "--out", str(tmp_path / "cooperation-ar.html"),
                 "--lang", "ar")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.glob("*.csv")) == ["cooperation.metrics.csv"]
    assert (tmp_path / "cooperation.metrics.csv").read_bytes() == (written / "cooperation.metrics.csv").read_bytes()


# ---- issue 14: a 1,000-document synthetic corpus ---------------------------------------------

@pytest.fixture(scope="module")
def thousand(tmp_path_factory):
    """`cdkg view all` (pages, CSVs and pictures) of 1,000 synthetic documents: the folder written."""
    from cdkg.bench.views_bench import corpus_store

    folder = tmp_path_factory.mktemp("thousand")
    store = corpus_store(1000, folder)
    done = _cdkg("view", "all", "--store", str(store), "--out-dir", str(folder / "views"))
    assert done.returncode == 0, done.stderr
    return folder / "views"


def test_view_all_of_1000_documents_writes_every_page(thousand):
    for kind in STANDARD_VIEWS:
        for name in (f"{kind}-ar.html", f"{kind}-en.html", f"{kind}-ar.png", f"{kind}-en.png", f"{kind}.metrics.csv"):
            assert (thousand / name).stat().st_size > 1000, name
    assert (thousand / "index.html").is_file()


# Label boxes as vis-network drew them (canvas coordinates), for every node with a label.
LABEL_BOXES = """() => Object.values(network.body.nodes).filter(n => n.options.label && !n.options.hidden)
    .map(n => { const s = n.labelModule.size; return [n.id, s.left, s.top, s.width, s.height]; })"""


@pytest.mark.parametrize("kind", STANDARD_VIEWS)
def test_labels_of_1000_documents_do_not_overlap_at_first_load(browser, thousand, kind, tmp_path):
    from cdkg.visualize.screenshot import open_offline

    for lang in ("ar", "en"):
        page, report = open_offline(browser, thousand / f"{kind}-{lang}.html", timeout_ms=300_000)
        assert report.errors == [] and report.blocked == []
        boxes = page.evaluate(LABEL_BOXES)
        total = page.evaluate("network.body.data.nodes.length")
        assert 3 <= len(boxes) < total, (len(boxes), total)
        for i, (a, ax, ay, aw, ah) in enumerate(boxes):
            assert aw > 0 and ah > 0
            for b, bx, by, bw, bh in boxes[i + 1:]:
                apart = ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay
                assert apart, (kind, lang, a, b)
        # the labelled nodes are the most central: none unlabelled ranks above every labelled one
        labelled = {b[0] for b in boxes}
        degree = dict(page.evaluate("nodes.get().map(n => [n.id, n.metrics.degree])"))
        assert max(degree.values()) == max(degree[n] for n in labelled)
        # zooming in makes room for more labels in the part still in sight
        positions = page.evaluate("network.getPositions()")
        page.evaluate("network.moveTo({scale: network.getScale() * 3}); window.cdkg.placeLabels()")
        left, top, right, bottom = page.evaluate("""() => {
            const r = document.getElementById('mynetwork').getBoundingClientRect();
            const a = network.DOMtoCanvas({x: 0, y: 0}), b = network.DOMtoCanvas({x: r.width, y: r.height});
            return [a.x, a.y, b.x, b.y]; }""")
        def in_sight(node, margin=60):
            return (left - margin <= positions[node]["x"] <= right + margin
                    and top - margin <= positions[node]["y"] <= bottom + margin)
        before = sum(1 for n in labelled if in_sight(n, 0))
        after = {b[0] for b in page.evaluate(LABEL_BOXES)}
        assert len(after) > before and all(in_sight(n) for n in after)
        if kind == "cooperation" and lang == "ar":
            page.screenshot(path=str(tmp_path / "first-load.png"))
        page.close()


# ---- issue 14: positions computed in Python, physics off ---------------------------------------

def test_layout_keeps_communities_in_discs_that_do_not_overlap():
    import numpy as np

    from cdkg.visualize.layout import SPACING, positions

    g = nx.relaxed_caveman_graph(16, 25, 0.05, seed=5)
    for node in g:
        g.nodes[node]["community"] = node // 25
    pos = positions(g)
    assert set(pos) == set(g) and len(set(pos.values())) == g.number_of_nodes()
    members: dict = {}
    for node, community in g.nodes(data="community"):
        members.setdefault(community, []).append(np.array(pos[node]))
    discs = []
    for points in members.values():
        points = np.array(points)
        centre = points.mean(axis=0)
        discs.append((centre, np.sqrt(((points - centre) ** 2).sum(axis=1)).max()))
    for i, (a, ra) in enumerate(discs):
        for b, rb in discs[i + 1:]:
            assert np.sqrt(((a - b) ** 2).sum()) > ra + rb, "two communities' discs overlap"
    # nearest neighbours about SPACING apart: neither a dot nor a sprawl
    points = np.array(list(pos.values()))
    distance = np.sqrt(((points[:, None] - points[None]) ** 2).sum(axis=-1))
    np.fill_diagonal(distance, np.inf)
    assert 0.5 * SPACING < np.median(distance.min(axis=1)) < 1.5 * SPACING
    assert positions(g) == pos


# ---- issue 14: find and focus, time, state in the URL, clusters, evidence links, export ---------

DIM = "rgba(205,205,205,0.45)"


def _colours(page) -> dict:
    return dict(page.evaluate("nodes.get().map(n => [n.id, n.color])"))


def _neighbours(g: nx.Graph, node: str, hops: int) -> set:
    return set(nx.single_source_shortest_path_length(g, node, cutoff=hops))


@pytest.mark.parametrize("typed", ["Россия", "russia", "روسيا"])
def test_typing_a_states_name_in_the_search_box_focuses_it(browser, written, views, tmp_path, typed):
    g = views["instruments"]
    page, _ = _check_page(browser, written / "instruments-en.html", g, tmp_path / "i.png")
    page.fill("#cdkg-search", typed)
    assert page.evaluate("[...document.querySelectorAll('#cdkg-results button')].map(b => b.dataset.node)")[0] == RU
    page.press("#cdkg-search", "Enter")
    assert page.evaluate("window.cdkg.state().focus") == RU
    assert page.evaluate("network.getSelectedNodes()") == [RU]
    near = _neighbours(g, RU, 1)
    colours = _colours(page)
    assert {n for n, c in colours.items() if c != DIM} == near < set(g)
    labelled = set(page.evaluate("nodes.get({filter: n => n.label}).map(n => n.id)"))
    assert RU in labelled and labelled <= near
    page.select_option("#cdkg-hops", "2")
    assert {n for n, c in _colours(page).items() if c != DIM} == _neighbours(g, RU, 2)
    page.click("#cdkg-clear")
    assert DIM not in _colours(page).values() and page.evaluate("window.cdkg.state().focus") == ""
    page.close()


def test_search_knows_alternative_and_hidden_names_and_arabic_spellings(browser, written, views, tmp_path):
    page, _ = _check_page(browser, written / "cooperation-ar.html", views["cooperation"], tmp_path / "c.png")
    for typed in ("Republic of Uzbekistan", "узбекистана", "اوزبكستان", "أوزبكستان"):
        assert page.evaluate("(q) => window.cdkg.search(q)", typed)[:1] == [UZ], typed
    assert page.evaluate("window.cdkg.search('no such place')") == []
    page.close()


def test_time_slider_changes_the_visible_edges_and_plays(browser, written, views, tmp_path):
    g = views["cooperation"]
    page, _ = _check_page(browser, written / "cooperation-en.html", g, tmp_path / "c.png")
    dates = page.evaluate("window.cdkg.dates")
    assert len(dates) >= 2
    assert page.evaluate("window.cdkgShown.edges") == g.number_of_edges()
    def dated(item, day):
        return not item[0] or item[0] <= day

    counts = []
    for position, day in enumerate(dates):
        _slide(page, "#cdkg-time", position)
        expected = {frozenset((u, v)) for u, v, d in g.edges(data="dates")
                    if dated(d, day) and dated(g.nodes[u]["dates"], day) and dated(g.nodes[v]["dates"], day)}
        shown = {frozenset(e) for e in page.evaluate("edges.get({filter: e => !e.hidden}).map(e => [e.from, e.to])")}
        assert shown == expected, day
        assert page.locator("#cdkg-time-label").inner_text().endswith(day)
        counts.append(len(shown))
    assert counts == sorted(counts) and counts[0] < counts[-1]
    page.click("#cdkg-play")
    page.wait_for_function("window.cdkg.state().time === ''", timeout=10_000)
    assert page.evaluate("window.cdkgShown.edges") == g.number_of_edges()
    page.close()


def test_the_url_restores_focus_filters_and_time(browser, written, views, tmp_path):
    from cdkg.visualize.screenshot import open_offline

    g = views["instruments"]
    page, _ = _check_page(browser, written / "instruments-ar.html", g, tmp_path / "i.png")
    page.evaluate(f"window.cdkg.focus('{UZ}', 2)")
    page.uncheck("#cdkg-panel input[data-type=Topic]")
    page.uncheck("#cdkg-panel input[data-relation=adoptedAt]")
    _slide(page, "#cdkg-time", page.evaluate("window.cdkg.dates").index("2021-11-19"))
    page.click("#cdkg-panel button[data-lang=en]")
    fragment = page.evaluate("location.hash").lstrip("#")
    state, shown, colours = page.evaluate("window.cdkg.state()"), page.evaluate("window.cdkgShown"), _colours(page)
    page.close()
    assert "focus=" in fragment and "t=2021-11-19" in fragment and "lang=en" in fragment
    again, report = open_offline(browser, written / "instruments-ar.html", fragment=fragment)
    assert report.errors == []
    assert again.evaluate("window.cdkg.state()") == state
    assert again.evaluate("window.cdkgShown") == shown and _colours(again) == colours
    assert again.evaluate("document.documentElement.lang") == "en"
    assert again.evaluate("network.getSelectedNodes()") == [UZ]
    assert again.is_checked("#cdkg-panel input[data-type=State]")
    assert not again.is_checked("#cdkg-panel input[data-type=Topic]")
    assert again.evaluate("document.getElementById('cdkg-time').value") == str(
        again.evaluate("window.cdkg.dates").index("2021-11-19"))
    again.close()


def test_png_and_csv_export_download_files(browser, written, views, tmp_path):
    g = views["membership"]
    page, _ = _check_page(browser, written / "membership-en.html", g, tmp_path / "m.png")
    with page.expect_download() as info:
        page.click("#cdkg-png")
    png = tmp_path / "export.png"
    info.value.save_as(png)
    assert info.value.suggested_filename == "membership-en.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    page.uncheck("#cdkg-panel input[data-type=Event]")
    with page.expect_download() as info:
        page.click("#cdkg-csv")
    rows = list(csv.DictReader(open(info.value.path(), encoding="utf-8-sig", newline="")))
    kept = {n for n, t in g.nodes(data="type") if t != "Event"}
    assert {r["id"] for r in rows} == kept
    sco = next(r for r in rows if r["id"].endswith("org/SCO"))
    assert int(sco["degree"]) == g.nodes[f"{ID}org/SCO"]["degree"] and sco["label_ar"] == "منظمة شنغهاي للتعاون"
    page.close()


def test_weight_slider_hides_light_edges_and_communities_collapse(browser, written, views, tmp_path):
    g = views["cooperation"]
    page, _ = _check_page(browser, written / "cooperation-en.html", g, tmp_path / "c.png")
    assert page.evaluate("window.cdkg.weights") == [1, 2]
    _slide(page, "#cdkg-weight", 1)
    heavy = [(u, v) for u, v, w in g.edges(data="weight") if w >= 2]
    assert page.evaluate("window.cdkgShown") == {"nodes": len({n for e in heavy for n in e}), "edges": len(heavy)}
    assert "w=2" in page.evaluate("location.hash")
    _slide(page, "#cdkg-weight", 0)
    community = page.evaluate("CDKG_CONFIG.communities[0]")
    drawn = page.evaluate("network.body.nodeIndices.length")
    page.check(f"#cdkg-panel input[data-community='{community['id']}']")
    assert page.evaluate(f"nodes.get('cluster:{community['id']}').members") == community["size"]
    assert page.evaluate("network.body.nodeIndices.length") == drawn - community["size"] + 1
    page.click("#cdkg-expand-all")
    assert page.evaluate("network.body.nodeIndices.length") == drawn
    page.close()


def test_tooltips_link_evidence_pages_source_urls_and_wikidata(browser, views, tmp_path):
    from cdkg.visualize.pyvis_html import write_view

    g = views["instruments"]
    hrefs = "(id) => [...window.cdkg.tipOf(id).querySelectorAll('a')].map(a => [a.className, a.getAttribute('href')])"
    page, _ = _check_page(browser, write_view(g, tmp_path / "plain.html", "instruments", "en"), g, tmp_path / "p.png")
    links = page.evaluate(hrefs, RU)
    assert ["tip-wikidata", "https://www.wikidata.org/wiki/Q159"] in links
    assert ["tip-doc", "https://example.org/agreement-b2"] in links
    assert not any(cls == "tip-doc" and "a1" in href for cls, href in links)  # a1 has no source URL
    page.close()
    served = write_view(g, tmp_path / "served.html", "instruments", "en", evidence_base="/doc/")
    page, _ = _check_page(browser, served, g, tmp_path / "s.png")
    docs = sorted(href for cls, href in page.evaluate(hrefs, RU) if cls == "tip-doc")
    assert docs == sorted(f"/doc/{s['document'].rsplit('/', 1)[-1]}" for s in
                          {s["document"]: s for s in g.nodes[RU]["sources"]}.values())
    # a click keeps the card open, so its links can be followed
    position = page.evaluate(f"network.canvasToDOM(network.getPositions(['{RU}'])['{RU}'])")
    box = page.locator("#mynetwork").bounding_box()
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    assert page.locator("#cdkg-details a.tip-wikidata").count() == 1
    page.close()


def test_search_in_a_1000_document_view_knows_the_lexicons_names(browser, thousand):
    """The prefLabel is "Russian Federation"; the lexicon's other names find it too."""
    from cdkg.visualize.screenshot import open_offline

    page, report = open_offline(browser, thousand / "instruments-ar.html", timeout_ms=300_000)
    assert report.errors == []
    ru = f"{ID}state/RU"
    for typed in ("Россия", "روسيا", "Russia"):
        page.click("#cdkg-clear")
        page.fill("#cdkg-search", typed)
        page.press("#cdkg-search", "Enter")
        assert page.evaluate("window.cdkg.state().focus") == ru, typed
        assert ru in page.evaluate("nodes.get({filter: n => n.label}).map(n => n.id)")
        dimmed = page.evaluate(f"nodes.get({{filter: n => n.color === '{DIM}'}}).length")
        assert 0 < dimmed < page.evaluate("nodes.length")
        assert page.evaluate("new URLSearchParams(location.hash.slice(1)).get('focus')") == ru
    page.close()


def test_a_big_view_opens_with_its_largest_communities_collapsed(browser, tmp_path):
    """3,000 nodes in 30 communities: the page draws at most 2,500 at first; a click opens a cluster."""
    from cdkg.visualize.pyvis_html import DRAWN_NODES, write_view

    g = nx.random_partition_graph([100] * 30, 0.06, 0.0004, seed=3)
    g = nx.relabel_nodes(g, {n: f"{ID}state/X{n}" for n in g})
    for number, node in enumerate(g):
        g.nodes[node].update(label_en=node[-5:], label_ar="دولة", type="State", degree=g.degree(node),
                             community=number // 100)
    from cdkg.visualize.screenshot import open_offline

    page, report = open_offline(browser, write_view(g, tmp_path / "big.html", "cooperation", "en"))
    assert report.errors == [] and report.blocked == []
    assert page.evaluate("[window.cdkg.nodeCount, window.cdkg.edgeCount]") == [3000, g.number_of_edges()]
    collapsed = page.evaluate("CDKG_CONFIG.collapse")
    drawn = page.evaluate("network.body.nodeIndices.length")
    assert collapsed and drawn <= DRAWN_NODES
    assert drawn == g.number_of_nodes() - 100 * len(collapsed) + len(collapsed)
    hidden = page.evaluate("nodes.get({filter: n => n.hidden && !String(n.id).startsWith('cluster:')}).length")
    assert hidden == 100 * len(collapsed)
    first = collapsed[0]
    position = page.evaluate(f"network.canvasToDOM(network.getPositions(['cluster:{first}'])['cluster:{first}'])")
    box = page.locator("#mynetwork").bounding_box()
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    assert page.evaluate("network.body.nodeIndices.length") == drawn + 99
    assert page.evaluate(f"nodes.get('cluster:{first}')") is None
    assert page.evaluate("new URLSearchParams(location.hash.slice(1)).get('c')") == ",".join(
        sorted(str(c) for c in collapsed[1:]))
    page.close()
    # a link focusing a node of a community collapsed at first opens with that community drawn
    member = next(n for n, c in g.nodes(data="community") if c == collapsed[-1])
    again, report = open_offline(browser, tmp_path / "big.html", fragment=f"focus={member}")
    assert report.errors == []
    assert again.evaluate("network.getSelectedNodes()") == [member]
    assert again.evaluate(f"nodes.get('{member}').hidden") is False
    assert str(collapsed[-1]) not in again.evaluate("window.cdkg.state().collapsed")
    assert str(collapsed[0]) in again.evaluate("window.cdkg.state().collapsed")
    again.close()
