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

_AR_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640]")
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال")
_EN_STOP = {"the", "of", "and", "a", "an"}


def normalize_label(label: str) -> str:
    """The normalization of the corpus README, for comparing labels.

    >>> normalize_label("بالأمم المتحدة") == normalize_label("الأمم المتحدة")
    True
    """
    s = unicodedata.normalize("NFKC", label).lower()
    s = _AR_DIACRITICS.sub("", s)
    s = s.translate(str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"}))
    s = s.translate(str.maketrans({chr(0x0660 + i): str(i) for i in range(10)}))
    s = s.translate(str.maketrans({chr(0x06F0 + i): str(i) for i in range(10)}))
    s = _PUNCT.sub(" ", s)
    words = []
    for w in s.split():
        for p in _PREFIXES:
            if w.startswith(p) and len(w) - len(p) >= 2:
                w = w[len(p):]
                break
        if w in _EN_STOP:
            continue
        words.append(w)
    return " ".join(words)


def _labels_match(pred: str, ref: str) -> bool:
    p, r = normalize_label(pred), normalize_label(ref)
    if not p or not r:
        return False
    if p == r:
        return True
    short, long_ = sorted((p, r), key=len)
    if short in long_ and len(short) >= len(long_) / 2:
        return True
    rw, pw = r.split(), p.split()
    if len(rw) >= 3:
        shared = len(set(rw) & set(pw))
        return shared >= 0.6 * len(set(rw)) and shared >= 0.6 * len(set(pw))
    return False


_DATE = re.compile(r"^(\d{4}(-\d{2}(-\d{2})?)?|--\d{2}-\d{2})$")


def side_matches(pred: dict, ref: str, gold_entities: dict[str, dict]) -> bool:
    """Does a predicted side (entity or literal dict) match a reference side (label or literal)?"""
    if "value" in pred:
        value = str(pred["value"])
        if _DATE.match(ref):
            if ref.startswith("--"):
                return value[4:] == ref[1:]
            return value.startswith(ref)
        return _labels_match(value, ref)
    ent = gold_entities.get(ref)
    if ent and ent.get("wikidata") and pred.get("wikidata") and ent["wikidata"] == pred["wikidata"]:
        return True
    labels = [ref] + (ent.get("aliases", []) if ent else [])
    candidates = [pred.get("label", "")] + list(pred.get("aliases", []))
    return any(_labels_match(c, lab) for c in candidates if c for lab in labels)


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
    """Score predicted facts (the ``cdkg extract`` JSON shape) against one reference file."""
    relations = {f["relation"] for f in gold["facts"]}
    preds = [p for p in predicted if p["relation"] in relations]
    score = Score(document=gold["file"], predicted=len(preds), reference=len(gold["facts"]))

    def match(p: dict, g: dict) -> bool:
        return (p["relation"] == g["relation"] and side_matches(p["subject"], g["subject"], gold["entities"])
                and side_matches(p["object"], g["object"], gold["entities"]))

    for p in preds:
        if any(match(p, g) for g in gold["facts"]):
            score.matched_predicted += 1
        else:
            score.extra.append(p)
    for g in gold["facts"]:
        if any(match(p, g) for p in preds):
            score.matched_reference += 1
        else:
            score.missed.append(g)
    return score
