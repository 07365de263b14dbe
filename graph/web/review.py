"""Review of extracted facts: ``cdkg serve --review`` records verdicts, ``cdkg review export`` writes them out.

A review is a PROV-O activity and a Web Annotation (motivation ``oa:assessing``) on one claim,
in a named graph of its own (`REVIEW_GRAPH`): who (``prov:wasAssociatedWith`` a ``prov:Person``
with its ``rdfs:label``), when (``prov:endedAtTime``), the verdict (``oa:hasBody``
``id:verdict/accepted``, ``rejected`` or ``corrected``) and, for a correction, the corrected
object (``rdf:value``). The machine's claim is never changed, so the graph keeps both words;
the latest review of a claim is its verdict (``queries/reviewed-facts.rq``).

Reviews are kept in a TriG file (default ``build/reviews.trig``, beside the store), rewritten
atomically at every review and loaded into the served snapshot at start, so they survive a
restart and a rebuild. Writes need the token (``X-Cdkg-Token``; printed at start, or
``CDKG_REVIEW_TOKEN``), a JSON body, and no cross-site origin (``Origin`` must be this server,
``Sec-Fetch-Site`` must not be ``cross-site``); ``/review`` answers no CORS preflight.

`export` writes the accepted and corrected facts in the reference-facts format of the corpus
(``<name>.gold.json`` per document: ``entities`` and ``facts`` with ``evidence``), which
`cdkg.graph.facts.evaluate.load_gold` reads.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import urllib.parse
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from cdkg import namespaces
from cdkg.errors import CdkgError
from cdkg.files import write_atomic
from cdkg.graph.store.endpoint import _Answer

__all__ = ["REVIEW_GRAPH", "VERDICTS", "Reviews", "latest_verdicts", "read_reviews", "export", "token_from_env"]

ID = str(namespaces.ID)
REVIEW_GRAPH = ox.NamedNode(ID + "graph/reviews")
VERDICTS = ("accepted", "rejected", "corrected")
RDF, RDFS, PROV, OA, SKOS, XSD = (str(namespaces.RDF), str(namespaces.RDFS), str(namespaces.PROV),
                                  str(namespaces.OA), str(namespaces.SKOS), str(namespaces.XSD))
_n = ox.NamedNode


def token_from_env() -> tuple[str, bool]:
    """The review token: ``CDKG_REVIEW_TOKEN`` if set (True), else a fresh random one (False)."""
    given = os.environ.get("CDKG_REVIEW_TOKEN", "").strip()
    return (given, True) if given else (secrets.token_urlsafe(24), False)


def read_reviews(path: Path) -> list[ox.Quad]:
    """The quads of a reviews file (none when it does not exist); a bad file is a one-line error."""
    path = Path(path)
    if not path.exists():
        return []
    try:
        return [q for q in ox.parse(path=str(path), format=ox.RdfFormat.TRIG) if q.graph_name == REVIEW_GRAPH]
    except (SyntaxError, OSError, ValueError) as exc:
        raise CdkgError(f"{path}: not a reviews file ({' '.join(str(exc).split())[:160]})") from None


def latest_verdicts(quads: list[ox.Quad]) -> dict[str, dict]:
    """Claim IRI -> its latest review: ``verdict``, ``value`` (a term or None), ``reviewer``, ``at``.

    Examples
    --------
    >>> reviews = Reviews(Path("/nonexistent/reviews.trig"), token="t")
    >>> _ = reviews.record(ID + "claim/a", "accepted", "Ann", None)
    >>> _ = reviews.record(ID + "claim/a", "rejected", "Bob", None)
    >>> latest = latest_verdicts(reviews.quads)[ID + "claim/a"]
    >>> latest["verdict"], latest["reviewer"]
    ('rejected', 'Bob')
    """
    by_review: dict[str, dict] = {}
    labels = {}
    for q in quads:
        s, p, o = q.subject.value, q.predicate.value, q.object
        if p == RDFS + "label":
            labels[s] = o.value
        if p == OA + "hasTarget":
            by_review.setdefault(s, {})["claim"] = o.value
        elif p == OA + "hasBody":
            by_review.setdefault(s, {})["verdict"] = o.value.rsplit("/", 1)[-1]
        elif p == PROV + "endedAtTime":
            by_review.setdefault(s, {})["at"] = o.value
        elif p == PROV + "wasAssociatedWith":
            by_review.setdefault(s, {})["agent"] = o.value
        elif p == RDF + "value":
            by_review.setdefault(s, {})["value"] = o
    latest: dict[str, dict] = {}
    for review in by_review.values():
        if "claim" not in review or "at" not in review:
            continue
        review["reviewer"] = labels.get(review.get("agent"), "")
        review.setdefault("value", None)
        if review["claim"] not in latest or review["at"] >= latest[review["claim"]]["at"]:
            latest[review["claim"]] = review
    return latest


def _value_term(text: str):
    """A corrected object as typed: an IRI (``<...>``, ``http...``, ``id:...``) or a plain literal."""
    from rdflib import URIRef

    from cdkg.queries.library import Param, term_for

    text = text.strip()
    if not text:
        raise ValueError("a correction needs the corrected object")
    if len(text) > 2000:
        raise ValueError("corrected object over 2000 characters")
    if text.startswith("<") or re.match(r"(https?://|id:|wd:|cdo:)", text):
        term = term_for(Param("value", "iri"), text)
        assert isinstance(term, URIRef)
        return _n(str(term))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return ox.Literal(text, datatype=_n(XSD + "date"))
    if re.fullmatch(r"\d{4}", text):
        return ox.Literal(text, datatype=_n(XSD + "gYear"))
    return ox.Literal(text)


class Reviews:
    """The review store of a served graph: the file, the token and the write path.

    Parameters
    ----------
    path : Path
        The reviews TriG file (created at the first review).
    token : str
        The secret a write must carry in ``X-Cdkg-Token``.
    """

    def __init__(self, path: Path, token: str):
        self.path = Path(path)
        self.token = token
        self.quads: list[ox.Quad] = read_reviews(self.path)
        self._lock = threading.Lock()

    def verdicts(self) -> dict[str, tuple[str, str]]:
        """Claim IRI -> (latest verdict, corrected value as text or "")."""
        with self._lock:
            latest = latest_verdicts(self.quads)
        return {c: (r["verdict"], r["value"].value if r["value"] is not None else "") for c, r in latest.items()}

    def record(self, claim: str, verdict: str, reviewer: str, value) -> list[ox.Quad]:
        """The quads of one review (kept in memory; `handle` writes the file and the store)."""
        review = _n(f"{ID}review/{uuid.uuid4().hex}")
        agent = _n(f"{ID}reviewer/{hashlib.sha1(reviewer.encode('utf-8')).hexdigest()[:12]}")
        at = datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")
        target = _n(claim)
        body = _n(f"{ID}verdict/{verdict}")
        triples = [(review, _n(RDF + "type"), _n(PROV + "Activity")),
                   (review, _n(RDF + "type"), _n(OA + "Annotation")),
                   (review, _n(OA + "motivatedBy"), _n(OA + "assessing")),
                   (review, _n(OA + "hasTarget"), target),
                   (review, _n(PROV + "used"), target),
                   (review, _n(OA + "hasBody"), body),
                   (review, _n(PROV + "wasAssociatedWith"), agent),
                   (review, _n(PROV + "endedAtTime"), ox.Literal(at, datatype=_n(XSD + "dateTime"))),
                   (agent, _n(RDF + "type"), _n(PROV + "Person")),
                   (agent, _n(RDFS + "label"), ox.Literal(reviewer)),
                   (body, _n(RDF + "type"), _n(SKOS + "Concept")),
                   (body, _n(SKOS + "prefLabel"), ox.Literal(verdict, language="en"))]
        if value is not None:
            triples.append((review, _n(RDF + "value"), value))
        quads = [ox.Quad(s, p, o, REVIEW_GRAPH) for s, p, o in triples]
        with self._lock:
            self.quads += [q for q in quads if q not in set(self.quads)]
        return quads

    def save(self) -> None:
        """Write every review to the file, atomically."""
        with self._lock:
            data = ox.serialize(sorted(set(self.quads), key=str), format=ox.RdfFormat.TRIG,
                                prefixes={"prov": PROV, "oa": OA, "rdfs": RDFS, "skos": SKOS})
        write_atomic(self.path, data or b"")

    # --- the HTTP write path -------------------------------------------------------------
    def refusal(self, handler) -> _Answer | None:
        """Why a write is refused (cross-site: 403; token missing or wrong: 401), or None."""
        origin = handler.headers.get("Origin")
        host = handler.headers.get("Host", "")
        if handler.headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
            return _Answer.text(403, "review refused: cross-site request")
        if origin is not None and urllib.parse.urlsplit(origin).netloc != host:
            return _Answer.text(403, f"review refused: origin {origin} is not this server")
        given = handler.headers.get("X-Cdkg-Token", "")
        if not given or not hmac.compare_digest(given.encode("utf-8"), self.token.encode("utf-8")):
            return _Answer.text(401, "review refused: the X-Cdkg-Token header is missing or wrong "
                                     "(cdkg serve --review prints the token)")
        kind = (handler.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind != "application/json":
            return _Answer.text(415, "review: send application/json")
        return None

    def handle(self, handler, body: bytes, workbench) -> _Answer:
        """``POST /review`` with ``{"claim", "verdict", "reviewer", "value"?}``."""
        refused = self.refusal(handler)
        if refused is not None:
            return refused
        try:
            asked = json.loads(body or b"{}")
            claim = str(asked["claim"])
            verdict = str(asked["verdict"])
            reviewer = " ".join(str(asked["reviewer"]).split())
            if verdict not in VERDICTS:
                raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}")
            if not reviewer or len(reviewer) > 100:
                raise ValueError("reviewer: a name of 1 to 100 characters")
            if not claim.startswith(workbench.base + "claim/") or re.search(r'[\s<>"{}|^`\\]', claim):
                raise ValueError(f"not a claim IRI: {claim[:200]}")
            value = _value_term(str(asked.get("value", ""))) if verdict == "corrected" else None
        except (ValueError, KeyError, TypeError, AttributeError, CdkgError) as exc:
            return _Answer.text(400, f"review: {exc}")
        from rdflib import URIRef

        if not workbench.select("claim-exists", claim=URIRef(claim))[0]["boolean"]:
            return _Answer.text(404, f"review: no claim {claim} in the graph")
        quads = self.record(claim, verdict, reviewer, value)
        self.save()
        lines = " ".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
        status, _, _, message = workbench.pool.run(
            {"op": "update", "text": f"INSERT DATA {{ GRAPH {REVIEW_GRAPH} {{ {lines} }} }}"})
        if status >= 300:
            return _Answer.text(500, f"review saved to {self.path} but not yet served: "
                                     f"{message.decode('utf-8', 'replace').strip()}")
        return _Answer(200, "application/json; charset=utf-8",
                       json.dumps({"review": quads[0].subject.value, "claim": claim, "verdict": verdict}).encode())


# --- export to reference facts -------------------------------------------------------

#: Entity types of the reference facts (corpus README), most specific first.
GOLD_TYPES = ("State", "IntergovernmentalOrganization", "InternationalOrganization", "Forum", "Agreement",
              "JointStatement", "Plan", "Convention", "Event", "Person", "Principle", "Organization", "Place")


def _label(card: list, language: str, quote: str) -> tuple[str, list[str]]:
    """The label to write for an entity and its other names.

    The reference facts name entities as written in the text, so a name found in the evidence
    quote wins; then the preferred label in the document's language, then in English.

    Examples
    --------
    >>> card = [(SKOS + "prefLabel", ox.Literal("Russia", language="en")),
    ...         (RDFS + "label", ox.Literal("Russian Federation", language="en"))]
    >>> _label(card, "en", "the Russian Federation and China")
    ('Russian Federation', ['Russia'])
    >>> _label(card, "ar", "")
    ('Russia', ['Russian Federation'])
    """
    kinds = (SKOS + "prefLabel", RDFS + "label", SKOS + "altLabel")
    names = sorted({(kinds.index(p), o.language or "", o.value) for p, o in card
                    if p in kinds and isinstance(o, ox.Literal)})
    if not names:
        return "", []
    quoted = sorted((n for n in names if n[2] and n[2] in quote), key=lambda n: -len(n[2]))
    chosen = quoted[0] if quoted else next((n for want in (language, "en") for n in names if n[1] == want), names[0])
    aliases = sorted({text for _, lang, text in names if lang == chosen[1] and text != chosen[2]})
    return chosen[2], aliases


def _add_fact(documents: dict, row: dict, review: dict, card_of) -> None:
    """Add one reviewed claim (``row`` of ``claim-detail``) to its document's reference facts."""
    file = str(row.get("file") or "")
    language = str(row.get("language") or "")
    doc = documents.setdefault(file, {"file": file, "title": str(row.get("title") or ""),
                                      "language": language,
                                      "published": str(row["issued"]) if row.get("issued") else None,
                                      "reviewed_by": set(), "entities": {}, "facts": []})
    doc["reviewed_by"].add(review["reviewer"])
    sides = []
    for term in (_to_ox(row["subject"]),
                 review["value"] if review["value"] is not None else _to_ox(row["object"])):
        if not isinstance(term, ox.NamedNode):
            sides.append(term.value)
            continue
        entity = _entity(term.value, card_of(term.value), language, str(row.get("quote") or ""))
        doc["entities"].setdefault(entity["label"], entity)
        sides.append(entity["label"])
    fact = {"subject": sides[0], "relation": str(row["predicate"]).rsplit("#", 1)[-1],
            "object": sides[1], "evidence": str(row.get("quote") or "")}
    if review["verdict"] == "corrected":
        fact["corrected"] = True
    doc["facts"].append(fact)


def _entity(iri: str, card: list, language: str, quote: str) -> dict:
    """A reference-facts entity: label, type, Wikidata QID, aliases (and ISO code for states)."""
    label, aliases = _label(card, language, quote)
    types = sorted((o.value.rsplit("#", 1)[-1] for p, o in card if p == RDF + "type"
                    and o.value.startswith(str(namespaces.CDO))),
                   key=lambda t: GOLD_TYPES.index(t) if t in GOLD_TYPES else len(GOLD_TYPES))
    qid = next((o.value.rsplit("/", 1)[-1] for p, o in card if p == str(namespaces.OWL.sameAs)
                and o.value.startswith(str(namespaces.WD))), None)
    iso = next((o.value for p, o in card if p == str(namespaces.CDO.iso3166Alpha2)), None)
    entity = {"label": label or iri.rsplit("/", 1)[-1], "type": types[0] if types else None,
              "wikidata": qid, "aliases": aliases}
    if iso:
        entity["iso3166"] = iso
    return entity


def export(store_path: Path, reviews_path: Path, out: Path) -> list[Path]:
    """Write the accepted and corrected facts as reference-facts files, one per document.

    Parameters
    ----------
    store_path : Path
        The store the reviewed claims come from.
    reviews_path : Path
        The reviews file of ``cdkg serve --review``.
    out : Path
        The folder to write ``<document>.gold.json`` files into (created).

    Returns
    -------
    list of Path
        The files written (none when no fact was accepted or corrected).
    """
    from rdflib import URIRef

    from cdkg.graph.store.store import Store

    reviews_path = Path(reviews_path)
    if not reviews_path.exists():
        raise CdkgError(f"{reviews_path}: no reviews file (review facts with `cdkg serve --review` first)")
    latest = latest_verdicts(read_reviews(reviews_path))
    kept = {c: r for c, r in latest.items() if r["verdict"] in ("accepted", "corrected")}
    documents: dict[str, dict] = {}
    with Store.open(store_path, read_only=True) as store:
        def card_of(iri: str) -> list:
            rows = store.query(_rq("entity-card"), bindings={"entity": URIRef(iri)}, name="entity-card").rows
            return [(str(p), _to_ox(o)) for p, o in rows]

        for claim, review in sorted(kept.items()):
            rows = store.query(_rq("claim-detail"), bindings={"claim": URIRef(claim)}, name="claim-detail")
            if rows.rows:  # else the claim is gone from this build
                _add_fact(documents, dict(zip(rows.vars, rows.rows[0])), review, card_of)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for file, doc in sorted(documents.items()):
        stem = file[:-4] if file.endswith(".txt") else (file or "document")
        data = {"file": file, "title": doc["title"], "language": doc["language"], "published": doc["published"],
                "reviewed_by": sorted(doc["reviewed_by"]),
                "gold": {"entities": list(doc["entities"].values()), "facts": doc["facts"]}}
        path = out / f"{stem}.gold.json"
        write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        written.append(path)
    return written


def _rq(name: str) -> str:
    from cdkg.graph.web.pages import RQ_DIR

    return (RQ_DIR / f"{name}.rq").read_text(encoding="utf-8")


def _to_ox(term):
    """An rdflib term as a pyoxigraph term."""
    from cdkg.graph.store.sparql import to_ox

    return to_ox(term)
