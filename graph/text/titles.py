"""Titles named by their own words: instruments, events and organizations not in the lexicon.

A title grows from a head word (``instrument_heads``, ``event_heads``, ``org_heads`` in
``data/patterns/mentions.json``) to the left over modifiers ("second ASEAN Ministerial",
"российско-белорусские", ordinals) and to the right over its complement ("of cooperation
in ensuring international information security", "о сотрудничестве в сфере ...",
"للتعاون في مجال الأمن السيبراني") until punctuation, a verb, a relative word, a date or a
place after a locative. A bare head with nothing of its own ("the memorandum", "встрече",
"الاجتماع") is *generic*: a reference back to a title named before.
"""

from __future__ import annotations

import re

from cdkg.graph.text import morph
from cdkg.graph.text.analysis import make_mention
from cdkg.graph.text.phrases import words

__all__ = ["find_titles", "label_of"]

_ORDINAL = re.compile(r"^\d+(st|nd|rd|th|e|я|й|го)?$")
_LIMITS = {"en": 16, "ru": 12, "ar": 14}
_PLACE_TYPES = ("Place", "State")
_OPEN_QUOTES = "«\"“„'"
_CLOSE_QUOTES = "»\"”'"
_DEFINITE = ("ال", "لل", "بال", "كال", "وال", "فال")


def _singular_title(a, h0: int, first: int) -> bool:
    """A word that may be plural ("соглашения") names one instrument when a title follows it:
    the parties ("соглашения между правительствами России и Индии") or, written with a capital
    inside a sentence, its name ("более раннего Соглашения о сотрудничестве")."""
    nxt = a.tokens[h0 + 1].norm if h0 + 1 < len(a.tokens) and not a.clause_break(h0 + 1) else ""
    return nxt in words("between_words") or h0 > first and a.capitalized(h0) and nxt in words("title_links_ru")


def find_titles(a) -> None:
    """Add ``instrument``, ``event`` and ``org`` mentions to the analysis ``a``."""
    lex = {i: m for m in a.mentions if m.kind == "entity" for i in range(m.first, m.last + 1)}
    found = []
    named_heads = {t.norm for i, t in enumerate(a.tokens) if i > 0 and a.capitalized(i) and a.capitalized(i - 1)
                   and not a.titlecase(i) and t.norm in words("named_instrument_heads")}
    for first, last in a.sentences:
        for kind, table in (("instrument", "instruments"), ("instrument", "generic"), ("event", "events"),
                            ("org", "orgs")):
            for h0, h1, value in a.find(table, first, last):
                if a.lang != "ar" and (h1 + 1 < len(a.tokens) and a.hyphen_before(h1 + 1) and h1 + 1 <= last
                                       or a.hyphen_before(h0) and h0 > first):
                    continue  # "treaty-signing events", "co-operation"
                if a.lang == "ar" and a.at("adjectival", h0) is not None and h0 > first and \
                        a.tokens[h0 - 1].norm.startswith(("ال", "لل", "بال", "وال")) and not a.clause_break(h0):
                    continue  # "الشراكة الاستراتيجية": an adjective, not a strategy
                if kind == "instrument" and (a.at("plural_instruments", h0) is not None and not _singular_title(a, h0, first)
                                             or h0 > first and (
                        a.tokens[h0 - 1].norm.isdigit() and len(a.tokens[h0 - 1].norm) <= 3
                        and not a.clause_break(h0))):
                    continue  # "18 وثيقة", "the documents": a count, not an instrument
                if kind == "instrument" and a.lang == "en" and h1 < last and not a.gaps[h1 + 1].strip() \
                        and (a.at("events", h1 + 1) is not None or a.at("orgs", h1 + 1) is not None):
                    continue  # "the treaty ceremony", "the Convention Committee": a word of another name
                inside = lex.get(h0)
                span = _grow(a, kind, h0, h1, first, last, lex)
                if span is None:
                    continue
                t0, t1, generic = span
                if kind == "instrument" and a.tokens[h0].norm in words("named_instrument_heads") and not (
                        not generic and a.capitalized(h0) and not a.titlecase(h0)
                        or generic and a.tokens[h0].norm in named_heads and h0 > first
                        and a.tokens[h0 - 1].norm == "the"):
                    # "a pledge", "call for": an instrument only by a name ("Cyber Defence Pledge"), or as
                    # "the pledge" after one
                    continue
                # "the 13th Internet Governance Forum", "XIX заседание Форума ШОС": a numbered meeting of a forum
                numbered = kind == "event" and inside is not None and t0 < inside.first and any(
                    a.at("ordinals", k) is not None or re.match(r"^\d+(st|nd|rd|th)?$|^[ivxlc]+$", a.tokens[k].norm)
                    for k in range(t0, inside.first))
                if inside is not None and not numbered and (kind == "org" or inside.type in (
                        "InternationalOrganization", "Forum") and inside.first < h0):
                    # a known entity ("مجلس التعاون") unless the title runs well past it
                    # ("مجلس الأمن السيبراني لحكومة دولة الإمارات" is not the lexicon's "مجلس الأمن")
                    if kind != "org" or t1 <= inside.last + 1 or inside.first < t0:
                        continue
                    a.mentions.remove(inside)
                    for k in range(inside.first, inside.last + 1):
                        lex.pop(k, None)
                type_ = value if kind == "instrument" and table == "instruments" else (
                    "Agreement" if kind == "instrument" else ("Event" if kind == "event" else "Organization"))
                m = make_mention(a, kind, type_, t0, t1, generic=generic)
                m.attrs.update(head=(h0, h1), family=value if kind == "event" else None,
                               document_word=table == "generic", label=label_of(a, t0, t1))
                if kind == "event":
                    # "the opening session of the dialogue", "الجلسة الافتتاحية للحوار": part of another event
                    part = next((v for i, j, v in a.find("events", h1 + 1, t1)), None)
                    if part is not None and part != value:
                        m.attrs["part_of"] = part
                found.append(m)
    found += _verbal_meetings(a, found, lex)
    found.sort(key=lambda m: (m.first, -(m.last - m.first)))
    kept = []
    existing = {(m.kind, m.first, m.last) for m in a.mentions}
    for m in found:
        if (m.kind, m.first, m.last) in existing:
            continue
        if any(k.kind == m.kind and k.first <= m.first and m.last <= k.last for k in kept):
            continue
        if m.kind != "org" and any(o.kind == "org" and o.first < m.first and m.last <= o.last for o in found):
            continue  # "National Center of Incident Readiness and Strategy for Cybersecurity"
        kept.append(m)
    a.mentions.extend(kept)


def _verbal_meetings(a, found, lex) -> list:
    """"Главы МИДов стран СНГ встретились вчера в Ташкенте", "التقى الوزير نظيره": a meeting
    told by its verb. Its label is built from the text's words: the meeting noun of the
    language, who met, and where ("встреча Главы МИДов стран СНГ в Ташкенте")."""
    from cdkg.graph.text.phrases import patterns

    noun = patterns("mentions")["meeting_noun"].get(a.lang, "meeting")
    out = []
    for first, last in a.sentences:
        for v0, v1, _ in a.find("meeting_verbs", first, last):
            if any(m.kind == "event" and abs(m.first - v0) <= 6 for m in found):
                continue
            if a.lang == "ar":
                s0, s1 = v1 + 1, v1
                while s1 + 1 <= last and s1 + 1 - v1 <= 8 and not a.clause_break(s1 + 1):
                    s1 += 1
                span = (v0, s1)
                who = a.span_text(s0, s1) if s1 >= s0 else ""
            else:
                if v0 - 1 >= first and a.at("stops:" + a.lang, v0 - 1) is not None and not a.clause_break(v0):
                    continue  # "the session, which met at UN Headquarters": the meeting is already named
                s0 = v0
                while s0 - 1 >= first and v0 - (s0 - 1) <= 8 and not a.clause_break(s0):
                    s0 -= 1
                who = a.span_text(s0, v0 - 1) if s0 < v0 else ""
                span = (s0, v1)
            place = next((lex[k] for k in range(v1 + 1, min(last, v1 + 4) + 1) if k in lex
                          and lex[k].type in _PLACE_TYPES and a.at("locatives", k - 1) is not None), None)
            label = " ".join(x for x in (noun, who, a.span_text(place.first - 1, place.last) if place else "") if x)
            m = make_mention(a, "event", "Event", span[0], max(span[1], place.last if place else span[1]))
            m.attrs.update(head=(v0, v1), family="meeting", label=label, verbal=True)
            out.append(m)
            break
    return out


def _grow(a, kind: str, h0: int, h1: int, first: int, last: int, lex: dict):
    lang = a.lang
    if kind == "org" and lang == "en" and not a.capitalized(h0) and not a.word(h0).isupper():
        return None  # "the agency": not a name
    t0 = _left(a, kind, h0, first, lex)
    if kind == "org" and lang == "ru" and not (a.capitalized(t0) or a.word(h0).isupper()):
        return None
    t1 = _right(a, kind, h0, h1, last, lex)
    determined = t0 == h0 and h0 > first and a.at("determiners", h0 - 1) is not None
    own = (t0 < h0) or (t1 > h1)
    # "MOU", "the renewed MoU": an abbreviated head alone names no instrument of its own
    abbreviated = kind == "instrument" and h0 == h1 and a.tokens[h0].key in words("abbreviated_heads")
    generic = not own and (determined or lang != "en" or not a.capitalized(h0) or kind == "event" or abbreviated)
    if kind == "org" and not own and lang != "ru":
        return None
    if kind == "org" and lang == "ru" and not own and not a.word(h0).isupper():
        return None
    return t0, t1, generic


def _left(a, kind: str, h0: int, first: int, lex: dict) -> int:
    lang, t0 = a.lang, h0
    owner = False  # past a possessive ("Ministers'"), its capitalized words are the owner's name
    for _ in range(6):
        j = t0 - 1
        if j < first or (a.clause_break(t0) and not a.hyphen_before(t0)):
            break
        w = a.word(j)
        n = a.tokens[j].norm
        if a.at("determiners", j) is not None:
            break
        if lang == "ar":
            break
        if lang == "ru":
            ok = morph.is_adjective(w) or a.hyphen_before(t0) or (j in lex and lex[j].type == "State" and kind != "org"
                                                                   and not (j > first and a.at("locatives", j - 1)))
            if not ok or a.at("stops:ru", j) or n.endswith(words("active_participle_endings")):
                break  # "в Казахстане документ", "страны, разработавшие документ": no words of a title
        else:
            ok = (a.at("premodifiers", j) is not None or _ORDINAL.match(n) or a.hyphen_before(t0) or a.hyphen_before(j)
                  or (a.capitalized(j) or w.isupper()) and a.at("stops:en", j) is None and not a.titlecase(j)
                  and (a.at("name_stops", j) is None or kind == "org" or kind == "instrument" and len(n) > 4)
                  or j in lex)  # "the ASEAN Cybersecurity Cooperation Strategy"
            possessive = w.endswith("s") and a.gaps[t0].strip() in ("'", "\u2019")
            # "the Quad leaders' summit", "BRICS foreign ministers' meeting", "Foreign Ministers' ... Dialogue"
            ok = ok or possessive or owner and (a.capitalized(j) or w.isupper()) and a.at("stops:en", j) is None
            owner = owner or possessive
            if not ok and w.islower() and j - 1 >= first and not a.clause_break(j) and (
                    a.at("premodifiers", j - 1) is not None or _ORDINAL.match(a.tokens[j - 1].norm)) \
                    and a.at("stops:en", j) is None and a.at("links", j) is None:
                ok = True  # "eleventh substantive session": an unknown adjective after an ordinal
            if not ok or (j in lex and lex[j].type == "Person"):
                break
            if a.at("roles", j) is not None and kind != "org" and not possessive:
                break
        t0 = j
    return t0


def _right(a, kind: str, h0: int, h1: int, last: int, lex: dict) -> int:
    lang = a.lang
    limit = _LIMITS.get(lang, 12) if kind != "org" else (10 if lang == "en" else 6)
    t1, between, and_seen = h1, False, False
    quoted = _quoted(a, h1 + 1, last)
    if quoted is not None:
        return quoted
    j = h1 + 1
    while j <= last and j - h1 <= limit:
        inner = _quoted(a, j, last) if j > h1 + 1 and a.at("links", j - 1) is not None or a.lang == "ar" \
            and a.tokens[j - 1].norm in ("من", "ل") else None
        if inner is not None and a.gaps[j].strip() and inner >= j:
            t1 = j = inner  # "the fourth edition of «Global Cybersecurity Forum»"
            j += 1
            continue
        if a.clause_break(j) and not a.hyphen_before(j) and not _member_dash(a, j) and not (
                between and a.gaps[j].strip() and all(c in _OPEN_QUOTES + _CLOSE_QUOTES + " " for c in a.gaps[j])):
            break
        n = a.tokens[j].norm
        if n in ("between", "между", "بين"):
            between = True
        if a.date_at(j) is not None and not _title_year(a, j):
            break
        if a.at("stops:" + lang, j) is not None and not (between and n in ("и", "and")):
            break
        if a.at("honorifics", j) is not None or lang == "ar" and a.at("roles", j) is not None and not between \
                and not a.tokens[j].norm.startswith(("لل", "ل")):
            break
        if _locative_place(a, j, lex) and not between:
            break
        if kind == "org" and j > h1 + 1 and (j in lex and lex[j].type == "Person" or lang == "ru" and j not in lex
                                             and a.capitalized(j) and morph.is_given_name(a.word(j))):
            break  # "МИД России Сергей Лавров": the name after the body is its head's
        if lang == "ru" and (morph.is_verb(a.word(j)) or j > h1 and morph.breaks_title(a.word(j))
                             and not morph.is_preposition(a.word(j - 1)) and j not in lex):
            break
        if lang == "en":
            if n == "and":
                if not between and not (a.capitalized(j - 1) and j + 1 <= last and a.capitalized(j + 1)):
                    break
                if between and and_seen:
                    break
                and_seen = True
            elif kind == "org" and not (a.capitalized(j) or a.at("links", j) is not None and j + 1 <= last
                                        and a.capitalized(j + 1)):
                break
            elif n == "to" and kind == "instrument" and j + 1 <= last and a.word(j + 1).islower() \
                    and a.at("determiners", j + 1) is None and j + 1 not in lex:
                break  # "a memorandum to step up cooperation": a purpose, not the title
            elif n.endswith("ed") and a.at("premodifiers", j) is None and j not in lex \
                    and not (a.at("links", j - 1) is not None and j + 1 <= last and not a.clause_break(j + 1)
                             and a.tokens[j + 1].norm not in ("by", "in", "at", "on", "to", "with")):
                break  # "... held in", but "conference on enhanced cooperation": an adjective after a link
            elif n.endswith("ing") and len(n) > 5 and a.at("links", j - 1) is None and not a.capitalized(j) \
                    and a.at("premodifiers", j) is None:
                break  # "the report affirming that ...": a participle, not part of the title
        if lang == "ar" and j > h1 + 1 and any(a.at("rel:" + r, j) is not None for r in ("called", "welcomed")):
            break  # a verb of the clause ("... حول أمن البيانات دعا فيه ...")
        if lang == "ar" and _ar_stop(a, kind, j, h0, h1, last, between, lex):
            break
        if n in ("between", "между", "بين"):
            between = True
        t1 = j
        j += 1
    # a title that opens with a quote ends at the closing one: «مبادرة ... أمن البيانات» وأعلنا نصها
    if any(q in a.gaps[h0] for q in _OPEN_QUOTES) and len(a.gaps[h0].strip()) <= 2:
        close = next((k for k in range(h1 + 1, t1 + 1) if any(q in a.gaps[k] for q in _CLOSE_QUOTES)), None)
        if close is not None:
            t1 = close - 1
    while t1 > h1 and (a.at("links", t1) is not None or a.at("determiners", t1) is not None
                       or a.tokens[t1].norm in ("и", "в", "по", "о", "في", "من", "بين", "و")):
        t1 -= 1
    return t1


def _ar_stop(a, kind: str, j: int, h0: int, h1: int, last: int, between: bool, lex: dict) -> bool:
    """Where an Arabic title stops at token ``j``."""
    from cdkg.graph.text.phrases import words
    n = a.tokens[j].norm
    if ("\u064b" in a.word(j) or "\u064c" in a.word(j)) and a.tokens[h0].norm.startswith("ال"):
        return True  # tanween after a definite head ("المبادرة زخمًا"): a word of the clause, not of the title
    if j == h1 + 1 and (a.tokens[h0].norm.startswith(_DEFINITE) or h1 > h0 and a.tokens[h1].norm.startswith("ال")) \
            and not _ar_continues(a, j, lex):
        return True  # a definite head takes no indefinite genitive: "الخطة مجالات محددة", "مذكرة التفاهم يمكن"
    if j > h1 + 1 and a.at("given_names", j) is not None and kind in ("org", "event") and not between \
            and a.tokens[j - 1].norm.startswith(_DEFINITE):
        return True  # "الأمين العام لمجلس التعاون ... محمد البديوي": the name of the person who heads it
    if n.startswith("و") and not between and a.at("waw", j) is None and n[1:] not in words("ordinal_tens"):
        return True  # but "الدورة الرابعة والسبعين": a compound ordinal
    if n.startswith("وو") and not between and j > h1 + 1:
        return True  # "مجلس الأمن السيبراني ... ووزارة الخزانة": a second name joined by و
    if n.startswith("بال") and not between and a.tokens[j - 1].norm not in words("related_adjectives"):
        return True  # "في بيان مشترك بالتقدم": the object of a verb, not the title (but "المتعلقة بالجريمة")
    definite = n.startswith(_DEFINITE) or j in lex or n[:1].isdigit()
    return not definite and j > h1 + 1 and not between and not _leads_to_definite(a, j, last, lex)


def _quoted(a, j: int, last: int):
    """A quoted name right after a head ("معرض «جيتكس جلوبال»", "конференция «...»"): its last token."""
    if j > last or not any(q in a.gaps[j] for q in _OPEN_QUOTES) or len(a.gaps[j].strip()) > 2:
        return None
    end = min(last, j + 12)
    for k in range(j + 1, end + 1):
        if any(q in a.gaps[k] for q in _CLOSE_QUOTES):
            return k - 1
    if end + 1 < len(a.gaps) and any(q in a.gaps[end + 1] for q in _CLOSE_QUOTES) or end == last:
        return end
    return None


def _member_dash(a, j: int) -> bool:
    """"государств – членов ШОС": a dash inside a Russian title."""
    return a.lang == "ru" and a.gaps[j].strip() in ("–", "—", "-") and a.tokens[j].key.startswith(("член", "участ"))


def _leads_to_definite(a, j: int, last: int, lex: dict) -> bool:
    """An indefinite Arabic word inside a title is the first term of a construct
    ("اجتماع وزراء الخارجية"): the next word or the one after is definite."""
    for k in (j + 1, j + 2):
        if k > last or a.clause_break(k) and not all(c in _OPEN_QUOTES + _CLOSE_QUOTES + " " for c in a.gaps[k]):
            return False
        n = a.tokens[k].norm
        if n.startswith(_DEFINITE) or k in lex:
            return True
    return False


def _ar_continues(a, j: int, lex: dict) -> bool:
    n = a.tokens[j].norm
    return (n.startswith(_DEFINITE) or j in lex or n[:1].isdigit() or a.at("ar_links", j) is not None
            or n.startswith(("بال", "لل")) or a.date_at(j) is not None)


def _title_year(a, j: int) -> bool:
    d = a.date_at(j)
    return d is not None and len(d[2].value) == 4 and j > 0 and not a.clause_break(j)


def _locative_place(a, j: int, lex: dict) -> bool:
    """Token ``j`` opens "in PLACE" / "в Минске" / "في الرياض", or is an attached "بالرياض"."""
    if a.at("locatives", j) is not None and j + 1 in lex and lex[j + 1].type in _PLACE_TYPES:
        return True
    if a.at("locatives", j) is not None and a.date_at(j + 1) is not None:
        return True
    if a.at("locatives", j) is not None and a.at("capital_words", j + 1) is not None:
        return True  # "talks in the capital", "встреча в столице"
    if a.lang == "ar" and j in lex and lex[j].type == "Place" and a.tokens[j].norm.startswith(("ب", "في")):
        return True
    return False


def _head_without_prefix(a, t0: int) -> bool:
    from cdkg.graph.text.normalize import tokenize
    rest = tokenize(a.word(t0)[1:])
    if not rest:
        return False
    return tables_at("heads_exact", rest)  # "لاتفاقية" is "اتفاقية"; "بروتوكول" is not "روتوكول"


def tables_at(table: str, tokens) -> bool:
    from cdkg.graph.text.phrases import tables
    return tables()[table].at(tokens, 0) is not None


def label_of(a, t0: int, t1: int) -> str:
    """A title's label: the words as written, determiners dropped; Russian in the nominative."""
    while t0 < t1 and a.at("determiners", t0) is not None:
        t0 += 1
    text = a.span_text(t0, t1)
    if a.lang == "ar" and text[:1] in ("و", "ف", "ل", "ب") and a.tokens[t0].norm[1:3] != "ال" \
            and a.at("waw", t0) is None and _head_without_prefix(a, t0):
        text = text[1:]  # "وبرنامج شامل ...", "لاتفاقية عالمية": the attached particle is not the title's
    if a.lang == "ru":
        return morph.nominative_phrase(text.split())
    return text
