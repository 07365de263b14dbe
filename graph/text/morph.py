"""Russian morphology through pymorphy3 (its dictionaries ship inside the PyPI package).

Used for three things: telling verbs from nouns where a title must stop, telling adjectives
that may open a title, and writing labels in the nominative ("Сергея Лаврова" is the person
Сергей Лавров; "консультаций" is the event "консультации"). Evidence spans always keep the
text as written; only labels change.

>>> nominative_name(["Сергея", "Лаврова"])
'Сергей Лавров'
>>> is_verb("подписали"), is_verb("соглашение")
(True, False)
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["is_verb", "is_adjective", "breaks_title", "is_preposition", "is_name_word", "nominative_name", "nominative_phrase"]


@lru_cache(maxsize=1)
def _analyzer():
    import pymorphy3
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=65536)
def _parse(word: str):
    return _analyzer().parse(word)


def _best(word: str):
    parses = _parse(word)
    return parses[0] if parses else None


def is_verb(word: str) -> bool:
    """A finite verb, short participle, infinitive or gerund (words that end a title)."""
    p = _best(word.lower())
    return bool(p and p.tag.POS in ("VERB", "INFN", "PRTS", "GRND") and p.score >= 0.3)


def breaks_title(word: str) -> bool:
    """A word that cannot continue a title's complement: a verb, an adverb, or a noun or
    adjective in the nominative (the complement after a head is genitive or prepositional).

    >>> breaks_title("Иран"), breaks_title("сотрудничестве"), breaks_title("официально")
    (True, False, True)
    """
    if word.isupper() or not word[:1].isalpha():
        return False
    p = _best(word.lower())
    if p is None:
        return False
    if p.tag.POS in ("VERB", "INFN", "PRTS", "GRND", "ADVB") and p.score >= 0.3:
        return True
    return p.tag.POS in ("NOUN", "ADJF") and p.tag.case in ("nomn", "accs") and "Fixd" not in p.tag \
        and p.score >= 0.4


def is_preposition(word: str) -> bool:
    p = _best(word.lower())
    return bool(p and p.tag.POS == "PREP")


def is_adjective(word: str) -> bool:
    """An adjective or participle in full form (they may stand before a title's head)."""
    p = _best(word.lower())
    return bool(p and p.tag.POS in ("ADJF", "PRTF", "NUMR") or word[:1].isdigit())


def is_name_word(word: str) -> bool:
    """A given name, patronymic or surname known to the dictionary."""
    return any({"Name", "Surn", "Patr"} & set(str(p.tag).replace(" ", ",").split(",")) for p in _parse(word.lower())[:3])


def is_given_name(word: str) -> bool:
    """A given name the dictionary knows ("Виктор", "Сергея").

    >>> is_given_name("Виктор"), is_given_name("Виктория"), is_given_name("Москва")
    (True, True, False)
    """
    return any("Name" in str(p.tag).replace(" ", ",").split(",") for p in _parse(word.lower())[:2])


def _nomn(word: str, want_name: bool = False) -> str:
    parses = _parse(word.lower())
    if want_name:
        named = [p for p in parses if {"Name", "Surn", "Patr"} & set(str(p.tag).replace(" ", ",").split(","))]
        # one person is singular: "Алимов" is the surname, not the plural genitive of "Алим"
        if "." in word or not any(p.tag.POS in ("NOUN", "ADJF") for p in parses):
            return word  # initials, and words the dictionary reads only as verbs ("Салёмсай")
        single = [p for p in named if p.tag.number != "plur"]
        if not single and any(p.tag.case == "nomn" and p.tag.number != "plur" for p in parses):
            return word  # already a nominative the dictionary does not know as a name ("Нассер")
        parses = single or named or parses
    if not parses:
        return word
    form = parses[0].inflect({"nomn"})
    if form is None:
        return word
    out = form.word
    if word[:1].isupper():
        out = "-".join(part[:1].upper() + part[1:] for part in out.split("-"))
    return out


def nominative_name(words: list[str]) -> str:
    """A person's name in the nominative, each word inflected on its own; surnames that do not
    decline ("Крутских", "Шевченко", and unknown foreign names ending in a vowel) stay as written."""
    def one(w):
        if not any("\u0400" <= c <= "\u04ff" for c in w) or w.lower().endswith(("ых", "их", "ко", "аго", "яго")):
            return w
        if "-" in w.strip("-") and all(part.isalpha() for part in w.split("-")):
            return "-".join(one(part) for part in w.split("-"))  # "Касым-Жомартом"
        if w.lower().endswith(tuple("оеиуюэ")) and not is_name_word(w):
            return w  # a foreign name the dictionary does not know ("Гунаратне", "Бермехо") does not decline
        return _nomn(w, want_name=True)
    return " ".join(one(w) for w in words)


def nominative_phrase(words: list[str]) -> str:
    """A noun phrase with its head (and the adjectives before it) in the nominative;
    the genitive complement after the head stays as written."""
    out, head_seen = [], False
    for w in words:
        if head_seen or not any("\u0400" <= c <= "\u04ff" for c in w):
            out.append(w)
            continue
        p = _best(w.lower())
        if p is None:
            out.append(w)
            continue
        if p.tag.POS in ("ADJF", "PRTF"):
            form = p.inflect({"nomn"} | ({p.tag.number} if p.tag.number else set()))
            out.append(_case_like(w, form.word if form else w))
            continue
        if p.tag.POS == "NOUN":
            form = p.inflect({"nomn"} | ({p.tag.number} if p.tag.number else set()))
            out.append(w if w.isupper() else _case_like(w, form.word if form else w))
            head_seen = True
            continue
        out.append(w)
    return " ".join(out)


def _case_like(original: str, word: str) -> str:
    return word[:1].upper() + word[1:] if original[:1].isupper() else word
