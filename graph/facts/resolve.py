"""Entity resolution: one IRI per real-world entity, whatever the spelling or the document.

Lexicon entities keep their lexicon IRI (states by ISO code, organizations by abbreviation).
Entities first seen in documents get a stable minted IRI from a normalized key: instruments
from their class and title words, events from their kind, place and year, persons from a
consonant skeleton of their name (so توكاييف and توقاييف meet), organizations from
their name.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cdkg.graph.text.normalize import tokenize
from cdkg.namespaces import ID

__all__ = ["Entity", "mint", "name_skeleton", "name_key", "title_key"]

_WEAK = str.maketrans({"ا": "", "و": "", "ي": "", "ه": "", "ء": "", "ض": "ز", "ظ": "ز", "ذ": "ز",
                       "ث": "س", "ص": "س", "ط": "ت", "ق": "ك", "ع": "", "غ": "ك"})
_LATIN_WEAK = str.maketrans({c: "" for c in "aeiouyhw'-"})


@dataclass(frozen=True)
class Entity:
    """A resolved entity: IRI, ontology class, display label (with language) and links."""

    iri: str
    type: str
    label: str
    lang: str
    wikidata: str | None = None
    iso2: str | None = None
    minted: bool = False
    #: minted for one document only (its IRI is keyed on the document): its label is the preferred one
    local: bool = False


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def name_skeleton(name: str) -> str:
    """A spelling-tolerant key of a person's name: the consonant skeleton of the last word.

    Parameters
    ----------
    name : str
        A person's name, in any script.

    Returns
    -------
    str
        The key; empty when the name has no words.

    Examples
    --------
    >>> name_skeleton("قاسم جومارت توكاييف") == name_skeleton("توقاييف")
    True
    """
    words = [t.norm for t in tokenize(name)]
    return _skeleton(words[-1]) if words else ""


def _skeleton(word: str) -> str:
    """The consonant skeleton of one normalized word (Arabic or Latin weak letters dropped)."""
    if "\u0600" <= word[0] <= "\u06ff":
        return word.translate(_WEAK) or word
    return word.translate(_LATIN_WEAK) or word


def name_key(name: str) -> str:
    """The key a person first seen in documents is minted on: the skeleton of every word of the name.

    ``name_skeleton`` (the last word) finds the full name a short reference in the same document
    stands for; across documents it would join different persons who share a surname ("Al Khalifa")
    or only its consonants, so the IRI is keyed on the whole name.

    Parameters
    ----------
    name : str
        A person's name, in any script.

    Returns
    -------
    str
        The skeletons of the words, joined by spaces; empty when the name has no words.

    Examples
    --------
    >>> from cdkg.graph.facts.resolve import name_key, name_skeleton
    >>> name_skeleton("Jan Duda") == name_skeleton("Ida Dodo"), name_key("Jan Duda") == name_key("Ida Dodo")
    (True, False)
    >>> name_key("Jan  Duda") == name_key("jan duda")
    True
    """
    return " ".join(_skeleton(t.norm) for t in tokenize(name))


def title_key(words) -> str:
    """A key of an instrument title that ignores word order, duplicates and prefixes.

    Parameters
    ----------
    words : iterable of str
        The title's words (token keys, so prefixes are already removed).

    Returns
    -------
    str
        The distinct words, sorted and joined by spaces.

    Examples
    --------
    >>> from cdkg.graph.facts.resolve import title_key
    >>> title_key(["zenda", "accord", "zenda"]) == title_key(["accord", "zenda"])
    True
    >>> title_key(["zenda", "accord"])
    'accord zenda'
    """
    return " ".join(sorted(set(words)))


def mint(kind: str, *parts: str) -> str:
    """A stable IRI for an entity first seen in documents (same parts -> same IRI).

    Parameters
    ----------
    kind : str
        The path segment of the IRI, such as 'person' or 'instrument'.
    *parts : str
        The normalized key of the entity.

    Returns
    -------
    str

    Examples
    --------
    >>> from cdkg.graph.facts.resolve import mint
    >>> mint("instrument", "accord zenda") == mint("instrument", "accord zenda")
    True
    >>> mint("instrument", "accord zenda").startswith("https://w3id.org/cdkg/id/instrument/")
    True
    """
    return str(ID[f"{kind}/{_digest(*parts)}"])
