"""Synthetic inputs for the benchmarks: news-like documents and graphs in the build's shape.

Documents (Arabic and English) are written from varied templates whose slots are filled with
states, organizations, places, persons, principles and topics drawn from the lexicon
(`cdkg.graph.text.lexicon.load_lexicon`) and month names from ``data/patterns/dates.json``, with
noise (filler sentences, stray punctuation, page furniture lines). Graphs are N-Quads with one
named graph per document holding plain facts and ``cdo:Claim`` s with Web Annotation evidence,
plus the real lexicon and ontology graphs, so the library queries find what they look for.
Everything is deterministic for a given seed.

>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> paths = write_documents(folder, 4, seed=1)
>>> sorted({p.suffixes[-2] for p in write_documents(folder, 20, seed=1)})
['.ar', '.en']
>>> again = write_documents(Path(tempfile.mkdtemp()), 4, seed=1)
>>> [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]
True
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from dataclasses import dataclass
from pathlib import Path

from cdkg.files import atomic_open
from cdkg.graph.text.lexicon import Entry, load_lexicon
from cdkg.namespaces import PREFIXES
from cdkg.paths import patterns_dir

__all__ = ["Vocabulary", "vocabulary", "document_text", "write_documents", "write_graph"]

ID, CDO, RDF, RDFS, SKOS, PROV, DCT, OA, XSD = (
    PREFIXES[name] for name in ("id", "cdo", "rdf", "rdfs", "skos", "prov", "dcterms", "oa", "xsd"))


# --- vocabulary from the lexicon ---------------------------------------------------------------

@dataclass
class Vocabulary:
    """Lexicon entries with labels in both languages, and month names, ready to fill templates."""

    states: list[Entry]
    organizations: list[Entry]
    places: list[Entry]
    persons: list[Entry]
    principles: list[Entry]
    topics: list[Entry]
    months: dict[str, list[str]]          # language -> 12 month names (January first)


def _bilingual(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if "ar" in e.labels and "en" in e.labels]


def vocabulary(lexicon: Path | None = None) -> Vocabulary:
    """The template vocabulary from the lexicon folder (default data/lexicon) and date patterns.

    Parameters
    ----------
    lexicon : Path, optional
        A lexicon folder (default: the packaged one).

    Returns
    -------
    Vocabulary

    Examples
    --------
    >>> len(vocabulary().states) > 100
    True
    """
    lex = load_lexicon(lexicon)
    data = json.loads((patterns_dir() / "dates.json").read_text(encoding="utf-8"))
    months: dict[str, list[str]] = {}
    for lang in ("ar", "en"):
        names: dict[int, str] = {}
        for name, number in data["months"][lang].items():   # full names come first
            names.setdefault(number, name)
        months[lang] = [names[m] for m in range(1, 13)]
    orgs = [e for t in ("InternationalOrganization", "Forum") for e in lex.by_type(t)]
    return Vocabulary(
        states=_bilingual(lex.by_type("State")),
        organizations=_bilingual(orgs),
        places=_bilingual(lex.by_type("Place")),
        persons=_bilingual(lex.by_type("Person")),
        principles=_bilingual(lex.by_type("Principle")),
        topics=_bilingual(lex.by_type("Topic")),
        months=months,
    )


# --- documents ----------------------------------------------------------------------------------

# Templates: {s1} {s2} {s3} states, {org}, {place}, {person}, {principle}, {principle2}, {topic},
# {date}, {year}, {kind} (an instrument word). Several phrasings per fact kind, in each language.
TEMPLATES = {
    "en": {
        "title": ["{s1} and {s2} sign agreement on {topic}", "{org} summit in {place} ends with joint statement",
                  "{s1} and {s2} discuss {topic}", "Leaders adopt declaration on {topic}"],
        "lead": ["{place}, {date}. President {person} of {s1} held talks with the President of {s2} in {place}.",
                 "{place}, {date}. Delegations of {s1} and {s2} met in {place} on {date}.",
                 "On {date}, the foreign ministers of {s1} and {s2} met in {place}."],
        "signed": ["Following the talks, {s1} and {s2} signed an Agreement on Cooperation in the Field of {topic}.",
                   "{s1} and {s2} signed a Memorandum of Understanding on {topic} on {date}.",
                   "The two sides signed a Protocol on {topic} during the visit."],
        "adopted": ["The two sides also adopted a Joint Statement on {topic}, in which the leaders called for {principle}.",
                    "The leaders adopted a Declaration on {topic} and reaffirmed the principle of {principle}.",
                    "An Action Plan on {topic} for {year} was approved at the meeting."],
        "member": ["Both countries are members of the {org}.", "{s3} is a member of the {org}.",
                   "{s1}, {s2} and {s3} are member states of the {org}."],
        "hosts": ["{s3} hosted the {org} summit in {place} in {year}.",
                  "The {org} summit was held in {place} in {year}."],
        "principle": ["The statement stresses {principle} and {principle2}.",
                      "The parties called for respect for {principle}."],
        "filler": ["Officials described the talks as constructive.", "The visit lasted two days.",
                   "Experts note the growing importance of the digital economy.",
                   "Further consultations are planned for next year.", "No details were given."],
        "furniture": ["Share this", "Leave a comment", "Photo: press service", "Read more: related news",
                      "En | Ar | Ru"],
    },
    "ar": {
        "title": ["{s1} و{s2} توقعان اتفاقية حول {topic}", "قمة {org} في {place} تختتم ببيان مشترك",
                  "مباحثات بين {s1} و{s2} حول {topic}", "القادة يعتمدون إعلانا بشأن {topic}"],
        "lead": ["{place}، {date}. عقد الرئيس {person} محادثات مع رئيس {s2} في {place}.",
                 "{place}، {date}. التقى وفدا {s1} و{s2} في {place} يوم {date}.",
                 "في {date}، اجتمع وزيرا خارجية {s1} و{s2} في {place}."],
        "signed": ["وفي ختام المحادثات وقعت {s1} و{s2} اتفاقية للتعاون في مجال {topic}.",
                   "ووقع الجانبان مذكرة تفاهم بشأن {topic} في {date}.",
                   "كما وقع الطرفان بروتوكولا حول {topic} خلال الزيارة."],
        "adopted": ["واعتمد الجانبان بيانا مشتركا حول {topic} دعا فيه الرئيسان إلى {principle}.",
                    "وأقر القادة إعلانا بشأن {topic} أكدوا فيه على مبدأ {principle}.",
                    "وتم اعتماد خطة عمل بشأن {topic} للفترة {year}-{year2}."],
        "member": ["والبلدان عضوان في {org}.", "{s3} عضو في {org}.",
                   "وتعد {s1} و{s2} و{s3} من الدول الأعضاء في {org}."],
        "hosts": ["واستضافت {s3} قمة {org} في {place} عام {year}.",
                  "وعقدت قمة {org} في {place} عام {year}."],
        "principle": ["ويؤكد البيان على {principle} و{principle2}.",
                      "ودعا الطرفان إلى احترام {principle}."],
        "filler": ["ووصف المسؤولون المحادثات بأنها بناءة.", "واستمرت الزيارة يومين.",
                   "ويشير الخبراء إلى الأهمية المتزايدة للاقتصاد الرقمي.",
                   "ومن المقرر إجراء مشاورات إضافية في العام المقبل.", "ولم تذكر أي تفاصيل."],
        "furniture": ["شارك", "اترك تعليقا", "الصورة: المكتب الصحفي", "اقرأ أيضا: أخبار ذات صلة",
                      "عربي | English | Русский"],
    },
}
_BODY = ("signed", "adopted", "member", "hosts", "principle")
_NOISE = ("", "", "", " —", " (...)", " «»", " 12%", " [1]")


def _label(entry: Entry, lang: str) -> str:
    return entry.labels.get(lang) or entry.label(lang)


def _date(rng: random.Random, vocab: Vocabulary, lang: str) -> tuple[str, str, int]:
    year, month, day = rng.randint(2001, 2025), rng.randint(1, 12), rng.randint(1, 28)
    name = vocab.months[lang][month - 1]
    text = f"{day} {name} {year}" if lang == "ar" else rng.choice(
        [f"{day} {name.capitalize()} {year}", f"{name.capitalize()} {day}, {year}"])
    return text, f"{year:04d}-{month:02d}-{day:02d}", year


def document_text(rng: random.Random, vocab: Vocabulary, lang: str) -> tuple[str, dict]:
    """One synthetic news document in ``lang`` and its metadata (title, published, language).

    Parameters
    ----------
    rng : random.Random
        The source of every choice (a seed gives the same text).
    vocab : Vocabulary
    lang : str
        ``ar`` or ``en``.

    Returns
    -------
    tuple of (str, dict)
        The text and its metadata (title, date, language).

    Examples
    --------
    >>> import random
    >>> text, meta = document_text(random.Random(1), vocabulary(), "en")
    >>> meta["language"], len(text) > 100
    ('en', True)
    """
    t = TEMPLATES[lang]
    s1, s2, s3 = rng.sample(vocab.states, 3)
    p1, p2 = rng.sample(vocab.principles, 2)
    date_text, iso, year = _date(rng, vocab, lang)
    slots = {
        "s1": _label(s1, lang), "s2": _label(s2, lang), "s3": _label(s3, lang),
        "org": _label(rng.choice(vocab.organizations), lang), "place": _label(rng.choice(vocab.places), lang),
        "person": _label(rng.choice(vocab.persons), lang) if vocab.persons else "",
        "principle": _label(p1, lang), "principle2": _label(p2, lang),
        "topic": _label(rng.choice(vocab.topics), lang) if vocab.topics else "",
        "date": date_text, "year": str(year), "year2": str(year + rng.randint(1, 4)),
    }
    lines = [rng.choice(t["title"]).format(**slots), ""]
    if rng.random() < 0.5:
        lines.append(rng.choice(t["furniture"]))
    paragraph = [rng.choice(t["lead"]).format(**slots)]
    for kind in rng.sample(_BODY, rng.randint(2, len(_BODY))):
        paragraph.append(rng.choice(t[kind]).format(**slots) + rng.choice(_NOISE))
        if rng.random() < 0.4:
            paragraph.append(rng.choice(t["filler"]))
    lines.append(" ".join(paragraph[:3]))
    lines.append(" ".join(paragraph[3:]) or rng.choice(t["filler"]))
    for _ in range(rng.randint(0, 3)):
        lines.append(" ".join(rng.choice(t["filler"]) for _ in range(rng.randint(1, 4))))
    if rng.random() < 0.5:
        lines.append(rng.choice(t["furniture"]))
    meta = {"title": lines[0], "published": iso, "language": lang, "publisher": "synthetic"}
    return "\n".join(lines) + "\n", meta


def write_documents(folder: Path, count: int, seed: int = 0, lexicon: Path | None = None,
                    english_share: float = 0.4) -> list[Path]:
    """Write ``count`` documents (``NNNNNN.ar.txt`` / ``.en.txt`` with ``.meta.json`` sidecars) to ``folder``.

    Parameters
    ----------
    folder : Path
        Where to write ``NNNNNN.LANG.txt`` and their ``.meta.json``.
    count : int
        How many documents.
    seed : int
        The seed: the same seed writes the same bytes.
    lexicon : Path, optional
        A lexicon folder (default: the packaged one).

    Returns
    -------
    list of Path
        The text files written.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    vocab = vocabulary(lexicon)
    rng = random.Random(seed)
    paths = []
    for n in range(count):
        lang = "en" if rng.random() < english_share else "ar"
        text, meta = document_text(rng, vocab, lang)
        path = folder / f"{n:06d}.{lang}.txt"
        path.write_text(text, encoding="utf-8")
        path.with_name(f"{n:06d}.{lang}.meta.json").write_text(json.dumps(meta, ensure_ascii=False),
                                                              encoding="utf-8")
        paths.append(path)
    return paths


# --- graphs -------------------------------------------------------------------------------------

def _iri(local: str) -> str:
    return f"<{ID}{local}>"


def _lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if lang:
        return f'"{escaped}"@{lang}'
    if datatype:
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"'


_RELATIONS = ("signed", "partyTo", "promotesPrinciple", "concernsTopic", "adoptedAt", "memberOf", "date")
_INSTRUMENT_TYPES = ("Agreement", "JointStatement", "Declaration", "Plan", "Convention")


def _document_quads(n: int, rng: random.Random, vocab: Vocabulary, run: str) -> list[str]:
    """The quads of one synthetic document graph: metadata, minted entities, facts and claims."""
    sha = hashlib.sha256(f"synthetic-{n}".encode()).hexdigest()
    doc = _iri(f"doc/{sha[:16]}")
    lang = rng.choice(("ar", "en"))
    g = f" {doc} .\n"
    date_text, iso, year = _date(rng, vocab, lang)
    quads = [f"{doc} <{RDF}type> <{CDO}Document>{g}", f"{doc} <{RDF}type> <{PROV}Entity>{g}",
             f"{doc} <{DCT}title> {_lit(f'synthetic {n}', lang)}{g}",
             f"{doc} <{RDFS}label> {_lit(f'synthetic {n}', lang)}{g}",
             f"{doc} <{DCT}language> {_lit(lang)}{g}", f"{doc} <{CDO}sourceFile> {_lit(f'{n:07d}.txt')}{g}",
             f"{doc} <{DCT}issued> {_lit(iso, datatype=XSD + 'date')}{g}",
             f"{run} <{RDF}type> <{PROV}Activity>{g}"]
    states = rng.sample(vocab.states, 2)
    instrument = _iri(f"instrument/{hashlib.sha1(f'{n}-i'.encode()).hexdigest()[:16]}")
    event = _iri(f"event/{hashlib.sha1(f'{n}-e'.encode()).hexdigest()[:16]}")
    kind = rng.choice(_INSTRUMENT_TYPES)
    title = f"{kind} {n}"
    for iri, cls, label in ((instrument, kind, title), (event, "Event", f"summit {n}")):
        quads += [f"{iri} <{RDF}type> <{CDO}{cls}>{g}", f"{iri} <{RDFS}label> {_lit(label, lang)}{g}",
                  f"{iri} <{SKOS}prefLabel> {_lit(label, lang)}{g}"]
    facts = [(f"<{s.iri}>", "signed", instrument) for s in states]
    facts += [(instrument, "promotesPrinciple", f"<{p.iri}>") for p in rng.sample(vocab.principles, 2)]
    if vocab.topics:
        facts.append((instrument, "concernsTopic", f"<{rng.choice(vocab.topics).iri}>"))
    facts += [(instrument, "adoptedAt", event), (event, "date", _lit(iso, datatype=XSD + "date")),
              (instrument, "date", _lit(iso, datatype=XSD + "date")),
              (f"<{rng.choice(vocab.states).iri}>", "memberOf", f"<{rng.choice(vocab.organizations).iri}>")]
    start = 0
    for s, p, o in facts:
        quads.append(f"{s} <{CDO}{p}> {o}{g}")
        claim = _iri(f"claim/{hashlib.sha1(f'{n}|{s}|{p}|{o}'.encode()).hexdigest()[:20]}")[:-1]
        c, ev, quote, pos = claim + ">", claim + "/evidence>", claim + "/quote>", claim + "/position>"
        start += rng.randint(5, 120)
        end = start + rng.randint(10, 80)
        quads += [f"{c} <{RDF}type> <{CDO}Claim>{g}", f"{c} <{RDF}subject> {s}{g}",
                  f"{c} <{RDF}predicate> <{CDO}{p}>{g}", f"{c} <{RDF}object> {o}{g}",
                  f"{c} <{PROV}wasDerivedFrom> {doc}{g}", f"{c} <{PROV}wasGeneratedBy> {run}{g}",
                  f"{c} <{CDO}confidence> {_lit(str(rng.choice((0.6, 0.7, 0.8, 0.85, 0.9))), datatype=XSD + 'decimal')}{g}",
                  f"{c} <{CDO}rule> {_lit(p + '-rule')}{g}", f"{c} <{CDO}evidence> {ev}{g}",
                  f"{ev} <{RDF}type> <{OA}SpecificResource>{g}", f"{ev} <{OA}hasSource> {doc}{g}",
                  f"{ev} <{OA}hasSelector> {quote}{g}", f"{ev} <{OA}hasSelector> {pos}{g}",
                  f"{quote} <{RDF}type> <{OA}TextQuoteSelector>{g}",
                  f"{quote} <{OA}exact> {_lit(f'evidence {n} {p}')}{g}",
                  f"{quote} <{OA}prefix> {_lit('before ')}{g}", f"{quote} <{OA}suffix> {_lit(' after')}{g}",
                  f"{pos} <{RDF}type> <{OA}TextPositionSelector>{g}",
                  f"{pos} <{OA}start> {_lit(str(start), datatype=XSD + 'integer')}{g}",
                  f"{pos} <{OA}end> {_lit(str(end), datatype=XSD + 'integer')}{g}"]
    return quads


def write_graph(path: Path, triples: int, seed: int = 0, lexicon: Path | None = None,
                documents: int | None = None) -> int:
    """Write about ``triples`` quads to ``path`` (N-Quads): document graphs in the build's shape.

    Returns the number of quads written for documents (the lexicon and ontology are loaded
    separately by the benchmark, from the project's own files).

    Parameters
    ----------
    path : Path
        The N-Quads file to write.
    triples : int
        About how many quads.
    seed, lexicon
        As for `write_documents`.
    documents : int, optional
        Stop after this many documents instead (``triples`` is then ignored).

    Returns
    -------
    int
        The number of quads written for documents.

    Examples
    --------
    >>> import tempfile
    >>> write_graph(Path(tempfile.mkdtemp()) / "g.nq", 100, seed=1) >= 100
    True
    """
    vocab = vocabulary(lexicon)
    rng = random.Random(seed)
    run = _iri("run/cdkg-synthetic")
    written, n = 0, 0
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_open(path) as out:
        while (n < documents) if documents is not None else (written < triples):
            quads = _document_quads(n, rng, vocab, run)
            out.writelines(quads)
            written += len(quads)
            n += 1
    return written


def run(args: argparse.Namespace) -> int:
    """``cdkg bench corpus``: write the documents or the graph and say how many.

    Parameters
    ----------
    args : argparse.Namespace
        The options of ``cdkg bench corpus``.

    Returns
    -------
    int
        The exit status (0).

    Examples
    --------
    >>> import argparse, tempfile
    >>> run(argparse.Namespace(documents=2, triples=None, out=Path(tempfile.mkdtemp()), seed=0))  # doctest: +ELLIPSIS
    2 documents in ...
    0
    """
    if args.documents:
        print(f"{len(write_documents(args.out, args.documents, args.seed))} documents in {args.out}")
    if args.triples:
        print(f"{write_graph(args.out, args.triples, args.seed)} quads in {args.out}")
    return 0

