"""Scoring extracted facts against reference facts (the format of ``shared/corpus/gold``).

The matching follows the corpus README: same relation, and each side matching by Wikidata
QID, as the same date (a reference year matches a full date in that year), or by normalized
label or alias (equal, containment of at least half the length, or 60% shared words both ways
for references of three or more words).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from cdkg.errors import CdkgError

__all__ = ["normalize_label", "side_matches", "Score", "score_document", "load_gold"]

_AR_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_PUNCT = re.compile(r"[\"'“”«»()\[\],.:;،؛\-–—/]")
_PREFIXES = ("وال", "بال", "لل", "فال", "كال", "ال")
_EN_STOP = {"the", "of", "and", "a", "an"}


def normalize_label(label: str) -> str:
    """The normalization of the corpus README, for comparing labels: NFKC, lower case, Arabic
    diacritics and tatweel removed, alef/yaa/taa-marbuta/hamza carriers unified, Arabic-Indic
    digits, punctuation removed, the article and attached prefixes removed from words, and the
    English words the/of/and/a/an dropped.

    >>> normalize_label("بالأمم المتحدة") == normalize_label("الأمم المتحدة")
    True
    >>> normalize_label("The Ministry of Foreign Affairs")
    'ministry foreign affairs'
    """
    s = unicodedata.normalize("NFKC", str(label)).lower()
    s = _AR_DIACRITICS.sub("", s)
    s = re.sub("[إأآٱ]", "ا", s).translate(str.maketrans({"ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"}))
    s = s.translate(str.maketrans({chr(0x0660 + i): str(i) for i in range(10)}))
    s = _PUNCT.sub(" ", s)
    words = []
    for w in s.split():
        for p in _PREFIXES:
            if w.startswith(p) and len(w) - len(p) >= 3:
                w = w[len(p):]
                break
        if w.startswith("و") and len(w) >= 5:
            w = w[1:]
        if w not in _EN_STOP:
            words.append(w)
    return " ".join(words)


def _labels_match(pred: str, ref: str) -> bool:
    p, r = normalize_label(pred), normalize_label(ref)
    if not p or not r:
        return False
    if p == r:
        return True
    short, long_ = sorted((p, r), key=len)
    if len(short) >= 4 and short in long_ and len(short) >= 0.5 * len(long_):
        return True
    rw, pw = set(r.split()), set(p.split())
    common = len(rw & pw)
    return len(rw) >= 3 and common >= 0.6 * len(rw) and common >= 0.6 * len(pw)


_DATE = re.compile(r"^(--)?\d{2,4}(-\d{2}){0,2}(/\d{4}(-\d{2}){0,2})?$")


def _literal_match(ref: str, value: str) -> bool:
    ref, value = str(ref).strip(), str(value).strip()
    if ref == value:
        return True
    if _DATE.match(ref) and _DATE.match(value):
        return value.endswith(ref[1:]) if ref.startswith("--") else value.startswith(ref)
    return False


def side_matches(pred: dict, ref: str, gold_entities: dict[str, dict]) -> bool:
    """Does a predicted side (entity or literal dict) match a reference side (label or literal)?

    Same QID, the same date (a reference year matches a day in it), or a label of the reference
    (its aliases included) that matches the predicted label after :func:`normalize_label`.
    """
    ent = gold_entities.get(ref)
    if ent and ent.get("wikidata") and pred.get("wikidata") and ent["wikidata"] == pred["wikidata"]:
        return True
    value = pred.get("value") or pred.get("label") or ""
    if _literal_match(ref, value):
        return True
    label = pred.get("label") or pred.get("value") or ""
    labels = [ref] + (list(ent.get("aliases") or []) if ent else [])
    return any(_labels_match(label, lab) for lab in labels)


def canonical(fact: dict, subject_type: str | None) -> dict:
    """One spelling per relation: "X proposedBy Y" is "Y proposed X"; a side that is not a
    person and "signed" is a party ("partyTo")."""
    f = dict(fact)
    if f.get("relation") == "proposedBy":
        f["subject"], f["object"], f["relation"] = f["object"], f["subject"], "proposed"
    elif f.get("relation") == "signed" and subject_type not in (None, "Person"):
        f["relation"] = "partyTo"
    return f


@dataclass
class Score:
    """Precision, recall and F1 of one document (or a total), with what did not match."""

    document: str
    predicted: int = 0
    matched_predicted: int = 0
    reference: int = 0
    matched_reference: int = 0
    missed: list[dict] = field(default_factory=list)
    extra: list[dict] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched_predicted / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched_reference / self.reference if self.reference else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Score") -> None:
        for name in ("predicted", "matched_predicted", "reference", "matched_reference"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def load_gold(path: Path) -> dict:
    """One reference file: its document name, entities by label, and facts."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        gold = data["gold"]
        entities = {e["label"]: e for e in gold["entities"]}
        return {"file": data["file"], "entities": entities, "facts": gold["facts"],
                "published": data.get("published") or None}
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise CdkgError(f"{path}: not a reference-facts file ({type(exc).__name__}: {exc})") from None


def score_document(predicted: list[dict], gold: dict) -> Score:
    """Score predicted facts (the ``cdkg extract`` JSON shape) against one reference file,
    both read in the README's one spelling per relation (:func:`canonical`)."""
    ents = gold["entities"]
    facts = [canonical(f, (ents.get(f["subject"]) or {}).get("type")) for f in gold["facts"]]
    relations = {f["relation"] for f in facts}
    preds = [canonical(p, p["subject"].get("type") if isinstance(p["subject"], dict) else None) for p in predicted]
    preds = [p for p in preds if p["relation"] in relations]
    score = Score(document=gold["file"], predicted=len(preds), reference=len(facts))

    def match(p: dict, g: dict) -> bool:
        return (p["relation"] == g["relation"] and side_matches(p["subject"], g["subject"], ents)
                and side_matches(p["object"], g["object"], ents))

    for p in preds:
        if any(match(p, g) for g in facts):
            score.matched_predicted += 1
        else:
            score.extra.append(p)
    for g in facts:
        if any(match(p, g) for p in preds):
            score.matched_reference += 1
        else:
            score.missed.append(g)
    return score
