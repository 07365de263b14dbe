"""`cdkg serve --review`: a reviewer rejects a fact in Chromium, the reviewed-facts query drops it, the
machine's claim stays; writes without the token or from another origin change nothing; reviews
survive a restart; `cdkg review export` writes reference facts that `cdkg evaluate` reads."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from servers import CDKG, CdkgServe, sparqlwrapper_select  # noqa: E402

from cdkg.paths import QUERIES_DIR  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DOCS = ROOT / "tests" / "fixtures" / "documents"
REVIEWED = (QUERIES_DIR / "reviewed-facts.rq").read_text(encoding="utf-8")
CLAIMS = (QUERIES_DIR / "document-claims.rq").read_text(encoding="utf-8")
TOKEN = "test-token-5b1f"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("review")
    done = subprocess.run([CDKG, "build", "--documents", str(FIXTURE_DOCS), "--out", str(folder / "build")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return folder / "build" / "store"


class Reviewing(CdkgServe):
    """``cdkg serve --review`` with the token from the environment; ``token_line`` is its second line."""

    def __init__(self, store: Path, token: str | None = TOKEN):
        super().__init__(store, "--review", "--documents", str(FIXTURE_DOCS))
        self.token = token

    def __enter__(self):
        saved = os.environ.get("CDKG_REVIEW_TOKEN")
        if self.token:
            os.environ["CDKG_REVIEW_TOKEN"] = self.token
        else:
            os.environ.pop("CDKG_REVIEW_TOKEN", None)
        try:
            super().__enter__()
        finally:
            if saved is None:
                os.environ.pop("CDKG_REVIEW_TOKEN", None)
            else:
                os.environ["CDKG_REVIEW_TOKEN"] = saved
        self.token_line = self.process.stdout.readline()
        self.root = self.url.rsplit("/", 1)[0]
        return self


def post_review(root: str, body: dict, headers: dict) -> tuple[int, bytes]:
    request = urllib.request.Request(root + "/review", method="POST", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def reviewed(url: str) -> set[str]:
    return {str(r["claim"]) for r in sparqlwrapper_select(url, REVIEWED)[1]}


def a_claim_of_russia(root: str) -> tuple[str, str]:
    """A claim about Russia and the evidence page that shows it."""
    with urllib.request.urlopen(root + "/id/state/RU", timeout=60) as response:
        page = response.read().decode("utf-8")
    href = re.search(r'href="(/doc/[0-9a-f]+)#claim-([0-9a-f]+)"', page)
    assert href, "Russia's page links no evidence"
    return f"https://w3id.org/cdkg/id/claim/{href.group(2)}", href.group(1) + "#claim-" + href.group(2)


def test_reject_in_the_browser_drops_the_fact_and_keeps_the_claim(built):
    from playwright.sync_api import sync_playwright

    from cdkg.visualize.screenshot import launch

    with Reviewing(built) as server, sync_playwright() as playwright:
        assert "token from CDKG_REVIEW_TOKEN" in server.token_line and TOKEN not in server.token_line
        claim, link = a_claim_of_russia(server.root)
        status, _ = post_review(server.root, {"claim": claim, "verdict": "accepted", "reviewer": "Ann"},
                                {"X-Cdkg-Token": TOKEN})
        assert status == 200 and claim in reviewed(server.url)

        browser = launch(playwright)
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(server.root + link, wait_until="load")
        assert page.locator("mark.current").count() >= 1
        page.fill("#reviewer input[name=reviewer]", "Bob")
        page.fill("#reviewer input[name=token]", TOKEN)
        key = claim.rsplit("/", 1)[-1]
        with page.expect_navigation():
            page.locator(f'#fact-{key} button[data-verdict="rejected"]').click()
        assert page.locator(f"#fact-{key} .verdict-rejected").count() == 1
        assert errors == []
        browser.close()

        assert claim not in reviewed(server.url)
        _, rows = sparqlwrapper_select(server.url, CLAIMS)
        assert len(rows) > 20  # every machine claim is still there
        assert any("Russian" in str(r.get("quote", "")) or "Росси" in str(r.get("quote", "")) for r in rows)
        _, kept = sparqlwrapper_select(server.url, "SELECT ?s WHERE { GRAPH ?g { <%s> "
                                       "<http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?s } }" % claim)
        assert kept
    reviews = built.parent / "reviews.trig"
    text = reviews.read_text(encoding="utf-8")
    assert "Bob" in text and "Ann" in text and "prov:wasAssociatedWith" in text


def test_writes_without_token_or_from_elsewhere_change_nothing(built, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(built, store)
    with Reviewing(store) as server:
        claim, _ = a_claim_of_russia(server.root)
        body = {"claim": claim, "verdict": "accepted", "reviewer": "Mallory"}
        assert post_review(server.root, body, {})[0] == 401
        assert post_review(server.root, body, {"X-Cdkg-Token": "wrong"})[0] == 401
        assert post_review(server.root, body, {"X-Cdkg-Token": TOKEN, "Origin": "http://evil.example"})[0] == 403
        assert post_review(server.root, body, {"X-Cdkg-Token": TOKEN, "Sec-Fetch-Site": "cross-site"})[0] == 403
        request = urllib.request.Request(server.root + "/review", method="OPTIONS",
                                         headers={"Origin": "http://evil.example",
                                                  "Access-Control-Request-Method": "POST"})
        with pytest.raises(urllib.error.HTTPError) as preflight:
            urllib.request.urlopen(request, timeout=30)
        assert "Access-Control-Allow-Origin" not in preflight.value.headers
        status, _ = post_review(server.root, {**body, "verdict": "maybe"}, {"X-Cdkg-Token": TOKEN})
        assert status == 400
        status, _ = post_review(server.root, {**body, "claim": "https://w3id.org/cdkg/id/claim/nope"},
                                {"X-Cdkg-Token": TOKEN})
        assert status == 404
        assert reviewed(server.url) == set()
    assert not (tmp_path / "reviews.trig").exists()
    with CdkgServe(store) as plain:  # without --review, /review is refused
        root = plain.url.rsplit("/", 1)[0]
        assert post_review(root, body, {"X-Cdkg-Token": TOKEN})[0] == 403


def test_reviews_survive_a_restart_and_export_to_reference_facts(built, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(built, store)
    with Reviewing(store, token=None) as server:
        token = server.token_line.rsplit("token ", 1)[-1].strip()
        assert len(token) >= 20
        claim, _ = a_claim_of_russia(server.root)
        status, _ = post_review(server.root, {"claim": claim, "verdict": "corrected", "reviewer": "Ann",
                                              "value": "id:state/CN"}, {"X-Cdkg-Token": token})
        assert status == 200
    with Reviewing(store, token=None) as server:
        _, rows = sparqlwrapper_select(server.url, REVIEWED)
        assert [(str(r["claim"]), str(r["object"]), str(r["reviewer"])) for r in rows] == \
            [(claim, "https://w3id.org/cdkg/id/state/CN", "Ann")]
        assert str(rows[0]["machineObject"]) != str(rows[0]["object"]) or "CN" in str(rows[0]["subject"])
    out = tmp_path / "gold"
    done = subprocess.run([CDKG, "review", "export", "--store", str(store), "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    files = sorted(out.glob("*.gold.json"))
    assert len(files) == 1
    from cdkg.graph.facts.evaluate import load_gold

    gold = load_gold(files[0])
    assert gold["file"].endswith(".txt") and len(gold["facts"]) == 1
    fact = gold["facts"][0]
    assert fact["evidence"] and {fact["subject"], fact["object"]} <= set(gold["entities"])
    assert "China" in (fact["subject"], fact["object"]) or "Китай" in (fact["subject"], fact["object"])
    done = subprocess.run([CDKG, "evaluate", "--gold", str(out), "--documents", str(FIXTURE_DOCS), "--summary"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "overall" in done.stdout


def test_export_without_reviews_is_one_line_exit_2(built, tmp_path):
    done = subprocess.run([CDKG, "review", "export", "--store", str(built), "--reviews", str(tmp_path / "none.trig"),
                           "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert "none.trig" in done.stderr
