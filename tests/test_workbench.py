"""The research workbench of `cdkg serve` in headless Chromium and over plain HTTP: the query page
(offline, a library query with a parameter), entity pages with content negotiation, evidence pages
with the quote highlighted, escaping, and CORS from another origin."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import rdflib

sys.path.insert(0, str(Path(__file__).parent))
from servers import CDKG, CdkgServe  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DOCS = ROOT / "tests" / "fixtures" / "documents"
VENDOR = ROOT / "graph" / "web" / "vendor" / "yasgui.min.js"
HOSTILE = ("Moscow, 3 March 2024. Russia and China signed an agreement on international information "
           "security. <script>window.pwned = 1</script><img src=x onerror=\"window.pwned=2\"> & more.\n")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path]:
    """The fixture documents plus one whose text holds markup, built with `cdkg build`."""
    folder = tmp_path_factory.mktemp("workbench")
    documents = folder / "documents"
    shutil.copytree(FIXTURE_DOCS, documents)
    (documents / "hostile-markup.en.txt").write_text(HOSTILE, encoding="utf-8")
    done = subprocess.run([CDKG, "build", "--documents", str(documents), "--out", str(folder / "build")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return folder / "build" / "store", documents


@pytest.fixture(scope="module")
def served(corpus):
    store, documents = corpus
    with CdkgServe(store, "--documents", str(documents)) as server:
        server.root = server.url.rsplit("/", 1)[0]
        yield server


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    from cdkg.visualize.screenshot import CHROMIUM, launch

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: run `make system-deps`"
    with sync_playwright() as playwright:
        opened = launch(playwright)
        yield opened
        opened.close()


def get(url: str, accept: str | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def offline_page(browser, served, report: dict):
    """A page whose every request off this server is aborted (and recorded)."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    report.setdefault("blocked", [])
    report.setdefault("errors", [])
    page.on("pageerror", lambda exc: report["errors"].append(str(exc)))

    def route(route_):
        if route_.request.url.startswith(served.root + "/"):
            route_.continue_()
        else:
            report["blocked"].append(route_.request.url)
            route_.abort()

    page.route("**/*", route)
    return page


def test_yasgui_is_installed_not_committed():
    assert VENDOR.is_file(), "graph/web/vendor/yasgui.min.js is missing: run `make install`"
    tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files", "graph/web/vendor"],
                             capture_output=True, text=True).stdout
    assert tracked == "graph/web/vendor/README.md\n"


def test_query_page_offline_runs_a_library_query_with_a_parameter(browser, served):
    report: dict = {}
    page = offline_page(browser, served, report)
    page.goto(served.root + "/", wait_until="load")
    page.wait_for_selector(".yasqe .CodeMirror")
    assert "PREFIX cdo: <https://w3id.org/cdkg/ontology#>" in page.evaluate(
        "window.cdkgYasgui.getTab().getYasqe().getValue()")
    entry = page.locator('li.library-query[data-name="instruments-by-state"]')
    assert "Instruments" in entry.locator("summary").inner_text()
    entry.locator("summary").click()
    entry.locator('input[name="state"]').fill("id:state/CN")
    entry.locator("button[type=submit]").click()
    page.wait_for_function("document.querySelectorAll('.yasr tbody tr td').length > 2", timeout=60_000)
    text = page.evaluate("window.cdkgYasgui.getTab().getYasqe().getValue()")
    assert "VALUES (?state) { (<https://w3id.org/cdkg/id/state/CN>) }" in text
    rows = page.locator(".yasr tbody tr")
    assert rows.count() >= 1
    assert page.locator(".yasr tbody td").first.get_attribute("dir") == "auto"
    # a count per state is drawn as bars (the chart is ours: no charting library from the network)
    page.evaluate("""() => { const tab = window.cdkgYasgui.getTab();
        tab.getYasqe().setValue('SELECT ?state (COUNT(?i) AS ?n) WHERE { GRAPH ?g { ?state ' +
            '<https://w3id.org/cdkg/ontology#partyTo> ?i } } GROUP BY ?state ORDER BY DESC(?n)');
        tab.query(); }""")
    chart = ".tabPanel.active .yasr .select_chart"
    page.wait_for_function(f"document.querySelector('{chart}') !== null && "
                           f"!document.querySelector('{chart}').classList.contains('disabled')")
    page.locator(chart).click()
    page.wait_for_selector("svg.cdkg-chart rect")
    bars = page.locator("svg.cdkg-chart rect").count()
    assert bars >= 3 and "RU" in page.locator("svg.cdkg-chart").inner_html()
    assert report["blocked"] == [] and report["errors"] == []
    page.close()


def test_entity_page_for_russia_links_facts_to_highlighted_evidence(browser, served):
    report: dict = {}
    page = offline_page(browser, served, report)
    page.goto(served.root + "/id/state/RU", wait_until="load")
    assert page.locator("h1").inner_text() == "Russian Federation"
    assert page.locator('ul.labels li[lang="ar"]').get_attribute("dir") == "auto"
    assert "http://www.wikidata.org/entity/Q159" in [a.get_attribute("href") for a in page.locator("a.wikidata").all()]
    assert page.locator("a.iso").get_attribute("href").endswith(":3166:RU")
    facts = page.locator("section.facts li.fact")
    assert facts.count() >= 5
    fact = facts.first
    quote = fact.locator("blockquote").inner_text()
    assert quote
    fact.locator("a.evidence").click()
    page.wait_for_load_state("load")
    assert "/doc/" in page.url and "#claim-" in page.url
    current = page.locator("mark.current")
    assert current.count() >= 1
    assert " ".join(current.all_inner_texts()).replace("\n", " ").find(quote.replace("\n", " ")) >= 0 or \
        quote in "".join(current.all_inner_texts())
    assert page.evaluate("document.querySelector('mark.current').getBoundingClientRect().top") < 900
    assert report["blocked"] == [] and report["errors"] == []
    page.close()


def test_arabic_document_is_right_to_left(served):
    _, _, body = get(served.root + "/id/state/EG")
    docs = {urllib.parse.unquote(h) for h in __import__("re").findall(r'href="(/doc/[0-9a-f]+)#', body.decode())}
    assert docs
    pages = [get(served.root + d)[2].decode() for d in docs]
    assert any('class="document-text" lang="ar" dir="rtl"' in p for p in pages)
    assert any('<html lang="ar" dir="rtl">' in p for p in pages)
    status, _, body = get(served.root + "/id/state/EG?lang=ar")
    assert status == 200 and '<html lang="ar" dir="rtl">' in body.decode() and "<h1 dir=\"auto\">مصر</h1>" in body.decode()


def test_markup_in_a_document_is_shown_as_text(browser, served):
    page = browser.new_page()
    page.goto(served.root + "/id/state/RU", wait_until="load")
    links = page.locator('a[href^="/doc/"]')
    hrefs = {links.nth(i).get_attribute("href").split("#")[0] for i in range(links.count())}
    hostile = None
    for href in hrefs:
        status, _, body = get(served.root + href)
        if b"hostile-markup" in body:
            hostile = href
            assert b"<script>window.pwned" not in body and b"&lt;script&gt;window.pwned" in body
    assert hostile, "the hostile document is not linked from Russia's page"
    page.goto(served.root + hostile, wait_until="load")
    assert page.evaluate("window.pwned") is None
    assert "<script>window.pwned = 1</script>" in page.locator("article.document-text").inner_text()
    page.close()


def test_entity_rdf_by_accept_and_format(served):
    url = served.root + "/id/state/RU"
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                        ("application/n-triples", "nt")):
        status, headers, body = get(url, accept)
        assert status == 200 and headers["Content-Type"].startswith(accept), (accept, status, body[:200])
        graph = rdflib.Graph().parse(data=body.decode("utf-8"), format=fmt)
        assert (rdflib.URIRef("https://w3id.org/cdkg/id/state/RU"), rdflib.RDFS.label,
                rdflib.Literal("Russian Federation", lang="en")) in graph
        assert headers["Vary"] == "Accept"
    status, headers, body = get(url + "?format=ttl")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    status, headers, _ = get(url, "text/html,application/xhtml+xml,*/*;q=0.8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert get(url, "image/png")[0] == 406
    assert get(served.root + "/id/state/XX")[0] == 404
    assert get(served.root + "/doc/000000")[0] == 404
    assert get(served.root + "/static/../../../etc/passwd")[0] == 404
    assert get(served.root + "/static/vendor/../../pages.py")[0] == 404
    assert get(served.root + "/doc/a%3E%20%7B")[0] == 400
    assert get(served.root + "/id/state/a%3E%20%7B")[0] == 400


def test_curl_turtle_parses_in_rdflib(served):
    done = subprocess.run(["curl", "-sf", "-H", "Accept: text/turtle", served.root + "/id/state/RU"],
                          capture_output=True, timeout=60)
    assert done.returncode == 0
    assert len(rdflib.Graph().parse(data=done.stdout.decode("utf-8"), format="turtle")) > 10


def test_cross_origin_fetch_gets_results(browser, served, tmp_path):
    """A page from another origin (another port) queries /sparql with fetch: CORS lets it read."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    (tmp_path / "notebook.html").write_text("<!DOCTYPE html><title>elsewhere</title>", encoding="utf-8")
    other = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SimpleHTTPRequestHandler, directory=tmp_path))
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{other.server_address[1]}/notebook.html", wait_until="load")
        answer = page.evaluate("""async (endpoint) => {
            const response = await fetch(endpoint, {method: "POST",
                headers: {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
                body: "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"});
            return await response.json();
        }""", served.root + "/sparql")
        assert int(answer["results"]["bindings"][0]["n"]["value"]) > 1000
        page.close()
    finally:
        other.shutdown()
        other.server_close()


def test_bind_refuses_a_bad_parameter(served):
    request = urllib.request.Request(served.root + "/library/bind", method="POST",
                                     headers={"Content-Type": "application/json"},
                                     data=json.dumps({"name": "instruments-by-state",
                                                      "params": {"state": "<x> } DROP ALL {"}}).encode())
    try:
        urllib.request.urlopen(request, timeout=30)
        raise AssertionError("accepted")
    except urllib.error.HTTPError as exc:
        assert exc.code == 400 and b"not an IRI" in exc.read()


def test_base_iri_is_configurable(corpus):
    store, documents = corpus
    with CdkgServe(store, "--base-iri", "https://w3id.org/cdkg/id/state/", "--documents", str(documents)) as server:
        root = server.url.rsplit("/", 1)[0]
        status, _, body = get(root + "/id/RU", "text/turtle")
        assert status == 200
        graph = rdflib.Graph().parse(data=body.decode("utf-8"), format="turtle")
        assert (rdflib.URIRef("https://w3id.org/cdkg/id/state/RU"), rdflib.RDFS.label,
                rdflib.Literal("Russian Federation", lang="en")) in graph
        status, _, body = get(root + "/id/CN")
        assert status == 200 and 'href="/id/RU"' in body.decode()  # links stay on this server


def test_views_of_the_build_are_served(corpus, browser):
    store, documents = corpus
    views = store.parent / "views"
    views.mkdir(exist_ok=True)
    done = subprocess.run([CDKG, "view", "instruments", "--lang", "ar", "--store", str(store),
                           "--out", str(views / "instruments-ar.html")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    (views / "index.html").write_text('<a href="instruments-ar.html">instruments</a>', encoding="utf-8")
    with CdkgServe(store, "--documents", str(documents)) as server:
        root = server.url.rsplit("/", 1)[0]
        status, headers, body = get(root + "/views/")
        assert status == 200 and headers["Content-Type"].startswith("text/html") and b".html" in body
        status, _, body = get(root + "/views/instruments-ar.html")
        assert status == 200 and b"<html" in body
        assert get(root + "/views/../manifest.json")[0] == 404
        # served, a double-click on a node opens its entity page
        node = __import__("re").search(r'"id": "(https://w3id.org/cdkg/id/instrument/[^"]+)"', body.decode()).group(1)
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        page.goto(root + "/views/instruments-ar.html", wait_until="load")
        page.wait_for_function("window.cdkgSettled === true", timeout=120_000)
        # served, a tooltip's sources link to the workbench's evidence pages, which exist
        hrefs = page.evaluate(f"Array.from(window.cdkg.tipOf({json.dumps(node)}).querySelectorAll('a'))"
                              ".map(a => a.getAttribute('href'))")
        evidence = [h for h in hrefs if h.startswith("/doc/")]
        assert evidence, hrefs
        assert get(root + evidence[0])[0] == 200
        box = page.evaluate("document.getElementById('mynetwork').getBoundingClientRect().toJSON()")
        at = page.evaluate(f"window.cdkg.nodePosition({json.dumps(node)})")
        with page.expect_navigation():
            page.mouse.dblclick(box["x"] + at["x"], box["y"] + at["y"])
        assert page.url == root + "/id/" + node.split("/id/", 1)[1]
        assert page.locator("section.facts").count() == 1
        page.close()
