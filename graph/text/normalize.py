"""Text normalization for matching, with a map back to offsets in the original text.

Matching needs a canonical form (no diacritics or tatweel, one alef, Western digits, lower
case, attached Arabic prefixes removed), while provenance needs the original characters.
:func:`tokenize` therefore returns tokens that carry both: a matching ``key`` and the
``start``/``end`` offsets of the token in the original text.

>>> [t.key for t in tokenize("وبالأمم المتحدة ١٩ نوفمبر")]
['امم', 'متحده', '19', 'نوفمبر']
>>> text = "الرئيسُ الروسيّ"
>>> [text[t.start:t.end] for t in tokenize(text)]
['الرئيسُ', 'الروسيّ']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Token", "normalize_char", "normalize", "tokenize", "strip_prefixes", "token_key"]

_DIACRITICS = set(range(0x064B, 0x0660)) | {0x0670, 0x0640, 0x06D6, 0x06D7, 0x06D8, 0x06D9,
                                             0x06DA, 0x06DB, 0x06DC, 0x06DF, 0x06E0, 0x06E1,
                                             0x06E2, 0x06E3, 0x06E4, 0x06E7, 0x06E8, 0x06EA,
                                             0x06EB, 0x06EC, 0x06ED, 0x200C, 0x200D, 0x200E,
                                             0x200F, 0x00AD}
_MAP = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ة": "ه", "ى": "ي", "ی": "ي", "ي": "ي", "ئ": "ي", "ؤ": "و", "ک": "ك", "ۀ": "ه",
    "ё": "е", "Ё": "е",
    "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "«": '"', "»": '"',
}
for _i in range(10):
    _MAP[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic digits
    _MAP[chr(0x06F0 + _i)] = str(_i)  # Extended (Persian) digits

#: Attached prefixes, longest first; stripped repeatedly while a stem of 2+ letters remains
#: (4+ letters after a one-letter prefix, so that short stems such as "بين" stay whole).
_ARTICLE_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال")
_LETTER_PREFIXES = ("و", "ف", "ب", "ك", "ل")
_RU_ENDINGS = tuple(sorted(
    "иями иях иям ием ями ами ией ого его ому ему ыми ими ая яя ое ее ые ие ый ий ой ей ом ем их ых ым им ую юю "
    "ам ям ах ях ию ия ии ью ья ов ев а я о е ы и у ю ь й".split(), key=len, reverse=True))
_WORD = re.compile(r"[^\W_]+(?:[.'][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Token:
    """A word of the original text: its offsets there, its normalized form and matching key."""

    start: int
    end: int
    norm: str
    key: str

    @property
    def is_arabic(self) -> bool:
        """Whether the token is an Arabic word.

        Returns
        -------
        bool
            True when its normalized form begins with an Arabic letter.

        Examples
        --------
        >>> from cdkg.graph.text.normalize import tokenize
        >>> [t.is_arabic for t in tokenize("Ruritania سلام")]
        [False, True]
        """
        return bool(self.norm) and "\u0600" <= self.norm[0] <= "\u06ff"


@lru_cache(maxsize=8192)
def normalize_char(ch: str) -> str:
    """The normalized form of one character ('' when it is dropped for matching).

    Parameters
    ----------
    ch : str
        One character.

    Returns
    -------
    str
        Its normalized form: empty, one character, or more (NFKC may expand it).

    Examples
    --------
    >>> from cdkg.graph.text.normalize import normalize_char
    >>> normalize_char("A"), normalize_char("أ"), normalize_char("٣"), normalize_char("\u064e")
    ('a', 'ا', '3', '')
    """
    if ord(ch) in _DIACRITICS:
        return ""
    if ch in _MAP:
        return _MAP[ch]
    out = unicodedata.normalize("NFKC", ch)
    return "".join(_MAP.get(c, c) for c in out if ord(c) not in _DIACRITICS).lower()


#: character -> its normalized form, filled as characters are met (a dictionary lookup is cheaper
#: than a call of `normalize_char`)
_NORMALIZED: dict[str, str] = {}


def normalize(text: str) -> tuple[str, list[int]]:
    """Normalize ``text``; return the normalized string and, per normalized character, its
    offset in ``text`` (plus a final entry ``len(text)``), so spans map back exactly.

    Parameters
    ----------
    text : str
        The original text.

    Returns
    -------
    tuple of (str, list of int)
        The normalized text and the offsets.

    Examples
    --------
    >>> norm, offsets = normalize("إِنَّ")
    >>> norm, offsets
    ('ان', [0, 2, 5])
    """
    known = _NORMALIZED
    parts = []
    for ch in text:
        c = known.get(ch)
        if c is None:
            c = known[ch] = normalize_char(ch)
        parts.append(c)
    if all(len(c) == 1 for c in parts):         # the usual case: one character for one
        return "".join(parts), list(range(len(text) + 1))
    offsets = [i for i, c in enumerate(parts) for _ in c]
    offsets.append(len(text))
    return "".join(parts), offsets


def strip_prefixes(word: str) -> str:
    """Remove attached Arabic prefixes (و ف ب ك ل ال وال بال لل...) from a normalized word.

    The same deterministic stripping applies to lexicon labels and to document text, so
    both meet on one key even where a stem itself begins with a prefix letter.

    Parameters
    ----------
    word : str
        A normalized word; words not in Arabic script come back unchanged.

    Returns
    -------
    str

    Examples
    --------
    >>> strip_prefixes("والروسي"), strip_prefixes("بالامم"), strip_prefixes("للتعاون")
    ('روسي', 'امم', 'تعاون')
    """
    if not word or not ("\u0600" <= word[0] <= "\u06ff"):
        return word
    for _ in range(3):
        for p in _ARTICLE_PREFIXES:
            if word.startswith(p) and len(word) - len(p) >= 2:
                word = word[len(p):]
                break
        else:
            if word[0] in _LETTER_PREFIXES and len(word) >= 5:
                word = word[1:]
                continue
            break
    return word


def _russian_stem(word: str) -> str:
    for ending in _RU_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def token_key(norm: str) -> str:
    """The matching key of one normalized word: Arabic prefixes or Russian endings removed.

    Parameters
    ----------
    norm : str
        A normalized word.

    Returns
    -------
    str
        The key; a word in Latin script is its own key.

    Examples
    --------
    >>> from cdkg.graph.text.normalize import token_key
    >>> token_key("للتعاون"), token_key("руритании"), token_key("ruritania")
    ('تعاون', 'руритан', 'ruritania')
    """
    if not norm:
        return norm
    if "\u0600" <= norm[0] <= "\u06ff":
        return strip_prefixes(norm)
    if "\u0400" <= norm[0] <= "\u04ff":
        return _russian_stem(norm)
    return norm


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into word tokens with original offsets, normalized forms and keys.

    Parameters
    ----------
    text : str
        The original text.

    Returns
    -------
    list of Token
        The words in text order; punctuation and spaces are not tokens.

    Examples
    --------
    >>> from cdkg.graph.text.normalize import tokenize
    >>> [(t.start, t.end, t.key) for t in tokenize("Ruritania's treaty, 2024.")]
    [(0, 9, 'ruritania'), (12, 18, 'treaty'), (20, 24, '2024')]
    """
    norm, offsets = normalize(text)
    tokens = []
    for m in _WORD.finditer(norm):
        raw, last = m.group(), m.end()
        if len(raw) > 3 and raw.endswith("'s") and raw[0].isascii():
            raw, last = raw[:-2], last - 2  # an English possessive: "Morrison's" is the name Morrison
        word = raw.replace("'", "") if raw.count("'") else raw
        start, end = offsets[m.start()], offsets[last - 1] + 1
        # extend over trailing dropped characters (diacritics) so the span covers the word
        while end < len(text) and normalize_char(text[end]) == "" and not text[end].isspace():
            end += 1
        tokens.append(Token(start, end, word, token_key(word)))
    return tokens
