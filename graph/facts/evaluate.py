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

    Parameters
    ----------
    label : str
        A label, predicted or of a reference.

    Returns
    -------
    str
        The normalized words, joined by single spaces.

    Examples
    --------
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

    Parameters
    ----------
    pred : dict
        A predicted side: ``label``, ``wikidata`` for an entity; ``value`` for a literal.
    ref : str
        A reference side: an entity label or a literal.
    gold_entities : dict
        The reference entities by label (with ``wikidata`` and ``aliases``).

    Returns
    -------
    bool

    Examples
    --------
    >>> from cdkg.graph.facts.evaluate import side_matches
    >>> entities = {"Ruritania": {"label": "Ruritania", "aliases": ["Republic of Ruritania"]}}
    >>> side_matches({"label": "the Republic of Ruritania"}, "Ruritania", entities)
    True
    >>> side_matches({"value": "2024-05-03", "datatype": "xsd:date"}, "2024", entities)
    True
    >>> side_matches({"label": "Zenda"}, "Ruritania", entities)
    False
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
    person and "signed" is a party ("partyTo").

    Parameters
    ----------
    fact : dict
        A fact with ``subject``, ``relation`` and ``object``; it is not changed.
    subject_type : str or None
        The class of the subject, such as 'State' or 'Person'.

    Returns
    -------
    dict
        A copy of the fact, in the one spelling.

    Examples
    --------
    >>> from cdkg.graph.facts.evaluate import canonical
    >>> canonical({"subject": "Zenda Accord", "relation": "proposedBy", "object": "Ruritania"}, None)
    {'subject': 'Ruritania', 'relation': 'proposed', 'object': 'Zenda Accord'}
    >>> canonical({"subject": "Ruritania", "relation": "signed", "object": "Zenda Accord"}, "State")["relation"]
    'partyTo'
    """
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
        """The share of predicted facts that match a reference fact (0.0 when none are predicted).

        Returns
        -------
        float

        Examples
        --------
        >>> from cdkg.graph.facts.evaluate import Score
        >>> Score(document="note.txt", predicted=4, matched_predicted=3).precision
        0.75
        """
        return self.matched_predicted / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """The share of reference facts that a predicted fact matches (0.0 when there are none).

        Returns
        -------
        float

        Examples
        --------
        >>> from cdkg.graph.facts.evaluate import Score
        >>> Score(document="note.txt", reference=5, matched_reference=4).recall
        0.8
        """
        return self.matched_reference / self.reference if self.reference else 0.0

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall (0.0 when both are 0).

        Returns
        -------
        float

        Examples
        --------
        >>> from cdkg.graph.facts.evaluate import Score
        >>> Score(document="note.txt", predicted=2, matched_predicted=1, reference=2, matched_reference=1).f1
        0.5
        """
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Score") -> None:
        """Add the counts of another score to this one (a total); the lists of facts stay as they are.

        Parameters
        ----------
        other : Score

        Examples
        --------
        >>> from cdkg.graph.facts.evaluate import Score
        >>> total = Score(document="overall")
        >>> total.add(Score(document="a.txt", predicted=2, matched_predicted=1))
        >>> total.add(Score(document="b.txt", predicted=1, matched_predicted=1))
        >>> total.predicted, total.matched_predicted
        (3, 2)
        """
        for name in ("predicted", "matched_predicted", "reference", "matched_reference"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def load_gold(path: Path) -> dict:
    """One reference file: its document name, entities by label, and facts.

    Parameters
    ----------
    path : Path
        A JSON reference file; raises :class:`CdkgError` when it is not one.

    Returns
    -------
    dict
        ``file``, ``entities`` (by label), ``facts`` and ``published`` (or None).

    Examples
    --------
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> from cdkg.graph.facts.evaluate import load_gold
    >>> data = {"file": "note.txt", "gold": {"entities": [{"label": "Ruritania", "type": "State"}], "facts": []}}
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "note.json"
    ...     _ = path.write_text(json.dumps(data), encoding="utf-8")
    ...     gold = load_gold(path)
    >>> gold["file"], gold["entities"]["Ruritania"]["type"], gold["published"]
    ('note.txt', 'State', None)
    """
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
    both read in the README's one spelling per relation (:func:`canonical`).

    Parameters
    ----------
    predicted : list of dict
        The predicted facts; those of relations the reference never uses are left out.
    gold : dict
        One reference file, as :func:`load_gold` reads it.

    Returns
    -------
    Score
        The counts, with the missed reference facts and the extra predicted ones.

    Examples
    --------
    >>> from cdkg.graph.facts.evaluate import score_document
    >>> gold = {"file": "note.txt", "entities": {"Ruritania": {"label": "Ruritania", "type": "State"}},
    ...         "facts": [{"subject": "Ruritania", "relation": "signed", "object": "Zenda Accord"}]}
    >>> ruritania = {"label": "Ruritania", "type": "State"}
    >>> predicted = [{"subject": ruritania, "relation": "signed", "object": {"label": "Zenda Accord"}},
    ...              {"subject": ruritania, "relation": "partyTo", "object": {"label": "Strelsau Pact"}}]
    >>> score = score_document(predicted, gold)
    >>> score.precision, score.recall, len(score.extra)
    (0.5, 1.0, 1)
    """
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
