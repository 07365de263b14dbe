"""Persons and their roles, with or without a lexicon entry.

- English and Russian: runs of capitalized words that no lexicon entry, title or role word
  claims ("Denis Moncada Colindres", "Сергея Лаврова"); a single word only after a role
  word or honorific ("Minister Lavrov"), or as the surname of a person already named.
- Arabic (no capitals): the words after a role phrase and its complement, or after an
  honorific ("الأمين العام لمجلس التعاون جاسم البديوي", "معالي الدكتور ...").
- A role ("Foreign Minister", "глава МИД", "الأمين العام") is tied to the person it names and
  to the state, organization or forum it belongs to ("of ASEAN", "Chinese", "России").
"""

from __future__ import annotations

from cdkg.graph.text import morph
from cdkg.graph.text.analysis import make_mention
from cdkg.graph.text.phrases import norms, words

__all__ = ["find_people"]

_ACTOR_TYPES = ("State", "InternationalOrganization", "Forum", "Organization")


def find_people(a) -> None:
    """Add ``person`` and ``role`` mentions to the analysis ``a`` and link roles to both sides."""
    lex = {i: m for m in a.mentions if m.kind in ("entity", "org", "venue") for i in range(m.first, m.last + 1)}
    roles = []
    for first, last in a.sentences:
        for r0, r1, cls in a.find("roles", first, last):
            if r0 in lex and lex[r0].kind == "entity" and lex[r0].type != "Person":
                continue
            prev = roles[-1] if roles else None
            if prev is not None and prev.attrs["role"] in ("deputy", "envoy") and prev.last + 1 == r0:
                # "Deputy Prime Minister", "مستشار الرئيس": the first word says what the person is
                roles[-1] = m = make_mention(a, "role", "Person", prev.first, r1)
                m.attrs.update(role=prev.attrs["role"], phrase=prev.attrs["phrase"] + " " + " ".join(
                    t.norm for t in a.tokens[r0:r1 + 1]))
                continue
            m = make_mention(a, "role", "Person", r0, r1)
            m.attrs.update(role=cls, phrase=" ".join(t.norm for t in a.tokens[r0:r1 + 1]))
            roles.append(m)
    people = _lexicon_people(a, lex)
    if a.lang == "ar":
        people += _arabic_names(a, roles, lex)
    else:
        people += _capitalized_names(a, roles, lex)
    # "Locked Shields exercise", "Paris Call": a capitalized name before an event's head is the event's
    heads = {m.attrs["head"][0] for m in a.mentions if m.kind == "event" and m.attrs.get("head")}
    people = [p for p in people if p.entry is not None or p.last + 1 not in heads or a.clause_break(p.last + 1)]
    people += _surnames(a, people, lex)
    people.sort(key=lambda m: m.first)
    roles = [r for r in roles if not any(p.first <= r.first <= p.last for p in people)]
    # a family name read as a demonym inside a name ("الكويتي") is the name's, not a state
    inside = [m for m in a.mentions if m.kind == "entity" and m.type == "State"
              and any(p.first < m.first and m.last <= p.last for p in people)]
    for m in inside:
        a.mentions.remove(m)
    # a role takes the name after it first ("الرئيس الأمريكي باراك أوباما بقادة ..."), then, where none
    # follows, the name before it ("المالكي رئيس الوكالة")
    for r in sorted(roles, key=lambda r: -r.first):
        _attach(a, r, people, lex, before_too=False)
    for r in sorted(roles, key=lambda r: -r.first):
        _attach(a, r, people, lex, before_too=True)
    _chain_roles(a, roles)
    a.mentions.extend(roles + [p for p in people if p.entry is None])


def _lexicon_people(a, lex):
    out = []
    for m in a.mentions:
        if m.kind == "entity" and m.type == "Person":
            m.kind = "person"
            out.append(m)
    return out


def _is_name_token(a, i: int, lex: dict, taken: set) -> bool:
    if i in lex or i in taken:
        return False
    w = a.word(i)
    if not a.capitalized(i) or not w[:1].isalpha() or (len(w) >= 2 and w.isupper()):
        return False
    if a.date_at(i) is not None:
        return False
    if len(w) == 1:  # an initial: "S Iswaran", "С.В.Вершинин"
        return i + 1 < len(a.tokens) and a.capitalized(i + 1) and a.gaps[i + 1].strip() in ("", ".")
    for table in ("name_stops", "roles", "instruments", "events", "orgs", "honorifics", "sides", "speech"):
        if a.at(table, i) is not None:
            return False
    return True


def _capitalized_names(a, roles, lex):
    taken = {i for m in a.mentions if m.kind in ("instrument", "org") and not m.generic
             for i in range(m.first, m.last + 1) if a.capitalized(i)}
    cues = {r.last for r in roles} | ({_complement_end(a, r, lex) for r in roles} if a.lang == "ru" else set())
    for first, last in a.sentences:
        for i in range(first, last + 1):
            if a.at("honorifics", i) is not None:
                cues.add(i + a.at("honorifics", i)[0] - 1)
    out, i = [], 0
    n = len(a.tokens)
    while i < n:
        if not _is_name_token(a, i, lex, taken):
            i += 1
            continue
        j = i
        # a name runs up to five words, or eight where its parts are joined ("Jaber Al-Ahmad Al-Sabah")
        while j + 1 < n and not a.clause_break(j + 1) and (j - i < 4 or j - i < 7 and (
                a.hyphen_before(j + 1) or a.at("particles", j + 1) is not None)):
            if _is_name_token(a, j + 1, lex, taken):
                j += 1
            elif (a.at("particles", j + 1) is not None and j + 2 < n and _is_name_token(a, j + 2, lex, taken)
                  and not a.clause_break(j + 2)):
                j += 2
            else:
                break
        if j > i and a.tokens[j].norm == "s" and a.gaps[j] in ("'", "’"):
            j -= 1  # "Scott Morrison's"
        length = j - i + 1
        cued = (i - 1) in cues and not a.clause_break(i)
        quoted = any(q in a.gaps[i] for q in "«\"“") and not cued
        sentence_start = any(s[0] == i for s in a.sentences)
        ok = (length >= 2 and not a.titlecase(i)) or cued
        if a.lang == "ru" and (length >= 2 and not cued or length == 1):
            ok = ok and (any(morph.is_name_word(a.word(k)) for k in range(i, j + 1)) or "." in a.word(i)) \
                and not morph.is_adjective(a.word(i))
        if ok and (length == 1 and sentence_start and not cued or quoted):
            ok = False
        if ok and a.lang == "en" and any(a.at("name_tails", k) is not None for k in range(i, j + 1)):
            ok = False  # "Bogor Presidential Palace", "Comprehensive Strategic Partnership"
        if ok:
            m = make_mention(a, "person", "Person", i, j)
            words = [a.word(k) for k in range(i, j + 1)]
            m.attrs["label"] = _ru_label(a, words) if a.lang == "ru" else m.text
            out.append(m)
        i = j + 1
    return out


def _ru_label(a, words: list[str]) -> str:
    """A Russian name in the nominative, each word inflected on its own, unless the document says
    otherwise: a foreign name whose dictionary "nominative" never occurs in the text while the
    written form recurs is already the nominative ("Готабая Раджапакса" twice, "Раджапакс" never).

    >>> from cdkg.graph.text.documents import Document
    >>> from cdkg.graph.text.gazetteer import Gazetteer
    >>> from cdkg.graph.text.lexicon import load_lexicon
    >>> from cdkg.graph.text.mentions import analyze
    >>> text = "Гостя принял Готабая Раджапакса. Позднее Раджапакса написал об этом. Встреча с Николаем Патрушевым."
    >>> a = analyze(Document.from_text(text, language="ru"), Gazetteer(load_lexicon()))
    >>> _ru_label(a, ["Готабая", "Раджапакса"]), _ru_label(a, ["Николаем", "Патрушевым"])
    ('Готабая Раджапакса', 'Николай Патрушев')
    """
    counts = getattr(a, "_word_counts", None)
    if counts is None:
        counts = {}
        for i in range(len(a.tokens)):
            w = a.word(i)
            counts[w] = counts.get(w, 0) + 1
        a._word_counts = counts
    if len(words) >= 2 and morph.is_given_name(words[0]) and morph.nominative_name(words[:1]) == words[0]:
        return " ".join(words)  # "Станислав Зась": a given name in the nominative, the surname agrees
    last = words[-1]
    nom = morph.nominative_name([last])
    if nom != last and not morph.is_name_word(last) and counts.get(nom, 0) == 0 and counts.get(last, 0) >= 2:
        return " ".join(words)  # the surname is written in the nominative: so is the whole name
    return morph.nominative_name(words)


def _complement_end(a, r, lex) -> int:
    """The last token of what a role belongs to, when a name follows it: "President of
    Uzbekistan", "генеральный секретарь ОДКБ", "глава Боливарианской Республики"."""
    k, end = r.last + 1, r.last
    for _ in range(8):
        if k >= len(a.tokens) or a.clause_break(k):
            break
        if k in lex:
            end = k = lex[k].last
            k += 1
            continue
        w = a.word(k)
        if a.at("links", k) is not None or a.lang == "ru" and (w[:1].islower() or morph.is_adjective(w)) \
                and not morph.is_name_word(w):
            k += 1
            continue
        break
    return end


def _arabic_names(a, roles, lex):
    starts, honored = [], set()
    for r in roles:
        starts.append(_skip_complement(a, r.last + 1, lex))
    for first, last in a.sentences:
        for h0, h1, _ in a.find("honorifics", first, last):
            starts.append(h1 + 1)
            honored.add(h1 + 1)
    out, seen = [], set()
    for r in roles:
        m = _arabic_name_before(a, r, lex)
        if m is not None:
            out.append(m)
            seen.update(range(m.first, m.last + 1))
    for s in sorted(set(starts)):
        while s < len(a.tokens) and a.at("honorifics", s) is not None and not a.clause_break(s):
            s += a.at("honorifics", s)[0]
            honored.add(s)
        if s < len(a.tokens) and s not in honored and a.at("given_names", s) is None \
                and not _looks_like_arabic_name(a, s, lex):
            continue  # after a role, a name starts with a given name ("جاسم", "سيرغي") or looks like one
        if s >= len(a.tokens) or s in seen or a.clause_break(s):
            continue
        e = _arabic_name_end(a, s, lex)
        if e - s + 1 >= 2 and not any(m.first <= s <= m.last or m.first <= e <= m.last for m in out):
            m = make_mention(a, "person", "Person", s, e)
            seen.update(range(s, e + 1))
            out.append(m)
    return out


def _looks_like_arabic_name(a, s: int, lex: dict) -> bool:
    """Words after a role that read as a name: joined by بن / عبد / أبو / آل inside it
    ("تهاني عبد الله عطية", "عبدالرحمن بن علي المالكي")."""
    if not _arabic_name_word(a, s, lex, first_word=True):
        return False
    e = _arabic_name_end(a, s, lex)
    if e - s + 1 < 2:
        return False
    return any(a.at("particles", k) is not None for k in range(s + 1, e))


def _arabic_name_end(a, s: int, lex: dict) -> int:
    """The last word of an Arabic name starting at ``s``: up to four words, more when they
    are joined by بن / بنت / آل ("محمد بن سلمان بن عبد العزيز")."""
    e, limit = s - 1, 4
    while e + 1 < len(a.tokens) and e + 1 - s < limit:
        k = e + 1
        if k > s and a.clause_break(k):
            break
        if not _arabic_name_word(a, k, lex, first_word=k == s) or k > s and a.at("honorifics", k) is not None:
            break
        if a.at("particles", k) is not None:
            limit = min(limit + 2, 8)
        e = k
    while e > s and a.at("particles", e) is not None:
        e -= 1
    return e


def _arabic_name_before(a, r, lex):
    """"جاسم محمد البديوي، الأمين العام لمجلس التعاون": a name right before ", ROLE"."""
    if r.first < 2 or not any(c in a.gaps[r.first] for c in "،,"):
        return None
    e = r.first - 1
    s = e
    while s - 1 >= 0 and e - (s - 1) < 7 and not a.clause_break(s) and _arabic_name_word(a, s - 1, lex, False) \
            and a.at("honorifics", s - 1) is None:
        s -= 1
    while s < e and not _arabic_name_word(a, s, lex, True):
        s += 1
    if e - s + 1 < 2 or not _arabic_name_word(a, s, lex, True) or not _arabic_name_word(a, e, lex, False):
        return None
    if a.at("given_names", s) is None and a.at("honorifics", s - 1) is None:
        return None
    return make_mention(a, "person", "Person", s, e)


def _skip_complement(a, i: int, lex: dict) -> int:
    """After a role word: the state, organization or ministry it belongs to
    ("الخارجية الروسي", "لمجلس التعاون لدول الخليج العربية"), then honorifics."""
    start = i
    while i < len(a.tokens) and i - start < 9 and not a.clause_break(i):
        n = a.tokens[i].norm
        if i in lex:
            i = lex[i].last + 1
            continue
        if a.at("honorifics", i) is not None:
            return i + a.at("honorifics", i)[0]
        definite = n.startswith(("ال", "لل", "بال", "وال"))
        if i > start and n.startswith("و") and len(n) > 3 and i + 1 < len(a.tokens) \
                and a.at("given_names", i) is None and a.tokens[i + 1].norm.startswith("ال") \
                and not a.clause_break(i + 1):
            i += 2  # a second field joined by و: "وزير الاتصالات وتقنية المعلومات"
            continue
        construct = i == start and a.at("orgs", i) is None and n.startswith(norms("خارجية", "شؤون", "لشؤون"))
        if definite or construct or n.startswith("ل") and len(n) > 3 and n[1:3] == "ال" or n in norms("لشؤون", "للشؤون"):
            i += 1
            continue
        break
    return i


def _arabic_name_word(a, k: int, lex: dict, first_word: bool) -> bool:
    n = a.tokens[k].norm
    if a.date_at(k) is not None or not n or not n[0].isalpha():
        return False
    if k in lex and lex[k].type != "Person" and not _nisba(a, k, lex, first_word):
        return False
    # "عبدالرحمن بن علي", "إبراهيم بن صالح": after بن a given name, though it reads as a preposition
    # or a trigger word ("لصالح") elsewhere
    after_particle = k > 0 and a.at("particles", k - 1) is not None and a.at("given_names", k) is not None
    for table in ("stops:ar", "locatives", "roles", "instruments", "events", "orgs", "speech", "rel:signed",
                  "rel:participated", "rel:called", "rel:welcomed"):
        if a.at(table, k) is not None and not (table == "roles" and not first_word and a.tokens[k].norm == "امين"):
            if after_particle and table in ("stops:ar", "rel:called", "rel:welcomed", "rel:signed", "rel:participated"):
                continue
            return False
    if first_word and n.startswith(("ال", "لل", "بال", "وال")):
        return False
    if not first_word and n.startswith(("و", "ب", "ل")) and a.at("given_names", k) is None:
        return a.at("particles", k) is not None  # "وزير", "بالمنظمة": a prefix, unless a given name ("وليد")
    return True


def _nisba(a, k: int, lex: dict, first_word: bool) -> bool:
    """A family name that reads as a demonym ("محمد حمد الكويتي رئيس مجلس ..."): one word of a
    state's adjective, after the first word of a name and right before a role or a comma."""
    m = lex[k]
    if first_word or m.type != "State" or m.first != k or m.last != k:
        return False
    n = a.tokens[k].norm
    if not (n.startswith("ال") and n.endswith("ي")):
        return False
    nxt = k + 1
    return nxt >= len(a.tokens) or a.clause_break(nxt) or a.at("roles", nxt) is not None


def _surnames(a, people, lex):
    """One-word mentions of a person already named ("Koh said", "قال البديوي")."""
    last_words = {}
    for p in people:
        if p.last > p.first:
            last_words.setdefault(a.tokens[p.last].key, p)
    covered = {i for p in people for i in range(p.first, p.last + 1)}
    out = []
    for i, t in enumerate(a.tokens):
        if i in covered or i in lex or t.key not in last_words:
            continue
        if a.lang != "ar" and not a.capitalized(i):
            continue
        if len(t.key) < 3:
            continue
        m = make_mention(a, "person", "Person", i, i)
        m.attrs["same_as"] = last_words[t.key]
        m.attrs["label"] = last_words[t.key].label
        out.append(m)
    return out


def _attach(a, r, people, lex, before_too: bool = True) -> None:
    """Tie a role to the person it names (after it, or before it across a comma) and to the
    state or organization it belongs to."""
    if r.attrs.get("person") is not None:
        return
    # "секретарь Совета безопасности при президенте Узбекистана Виктор Махмудов": a role after a
    # preposition is a complement, not the title of the name that follows
    complement = a.lang == "ru" and r.first > 0 and a.tokens[r.first - 1].norm in words("complement_prepositions")
    after = [p for p in people if not complement and 0 < p.first - r.last <= 9 and (not a.breaks_between(r.last, p.first) or (
        # "رئيس جمهورية أوزبكستان، فخامة شوكت ميرضيائيف": a comma, then an honorific and the name
        a.at("honorifics", p.first - 1) is not None and not a.breaks_between(r.last, p.first - 1)
        and not a.breaks_between(p.first - 1, p.first)))
        or p.first - r.last <= 9 and _honorific_after_comma(a, r.last, p.first)
        or p.first - r.last <= 9 and _apposed_name(a, r, p)]
    before = [p for p in people if 0 < r.first - p.last <= 2 and any(c in a.gaps[p.last + 1] for c in ",،")
              or 0 < r.first - p.last <= 1 and (a.lang != "ar" or not a.breaks_between(p.last, r.first))
              and not any(c in a.gaps[r.first] for c in ".!?")]  # not across the end of a sentence
    after = [p for p in after if p.attrs.get("role") is None]
    before = [p for p in before if p.attrs.get("role") is None] if before_too else []
    person = after[0] if after else (before[-1] if before else None)
    if not before_too and person is None:
        return
    if person is not None:
        person.attrs["role"] = r
        r.attrs["person"] = person
    r.attrs["target"] = _state_of_cabinet(a, _target(a, r, person, lex))


def _chain_roles(a, roles) -> None:
    """Two roles in a row name one person: "председатель Исполнительного комитета – исполнительный
    секретарь СНГ Сергей Лебедев", "بدر الصالحي، رئيس مجلس إدارة الفريق والمدير العام للمركز"."""
    roles = sorted(roles, key=lambda r: r.first)
    for r, r2 in zip(roles, roles[1:]):
        target = r.attrs.get("target")
        end = max(r.last, target.last if target is not None and target.first > r.last else r.last)
        # Arabic: the body's last word may trail the complement ("مجلس إدارة الفريق"), the second role
        # joined by و ("والمدير العام")
        trail = r2.first - end - 1 == 1 and a.lang == "ar" and a.tokens[end + 1].norm.startswith("ال") \
            and a.tokens[r2.first].norm.startswith("و") and not a.breaks_between(end, r2.first)
        if (r2.first != end + 1 and not trail) or not all(c in " \n–—-" for c in a.gaps[r2.first]):
            continue
        p, p2 = r.attrs.get("person"), r2.attrs.get("person")
        if p is None and p2 is not None and p2.first > r2.last and r.attrs["role"] == "head":
            r.attrs["person"] = p2
        elif p2 is None and p is not None and p.last < r.first and r2.attrs["role"] == "head":
            r2.attrs["person"] = p


def _body_by_noun(a, r, actors):
    """A role followed by a body's bare head noun ("الأمين العام للمنظمة", "Secretary-General of
    the Organization", "генеральный секретарь Организации") belongs to the body of that noun the
    text names nearest before (else after).

    "منظمة التعاون الإسلامي ... الأمين العام للمنظمة الدكتور يوسف بن أحمد العثيمين" -> the OIC.
    """
    k = r.last + 1
    if a.lang == "en":
        while k < len(a.tokens) and a.tokens[k].norm in ("of", "the") and k - r.last <= 2:
            k += 1
    if k >= len(a.tokens) or a.breaks_between(r.last, k) or a.at("body_nouns", k) is None:
        return None
    if a.lang == "ar" and not a.tokens[k].norm.startswith(("لل", "ال")):
        return None  # a definite noun: "للمنظمة", not "لمنظمة التعاون الرقمي"
    if k + 1 < len(a.tokens) and not a.clause_break(k + 1) and a.at("body_nouns", k) is not None \
            and any(m.first == k + 1 or m.first == k for m in actors):
        return None  # the body is named right there
    noun = _spelling(a.tokens[k].key)
    same = [m for m in actors if m.type in ("InternationalOrganization", "Forum", "Organization")
            and any(_spelling(t.key) == noun for t in a.tokens[m.first:m.last + 1]) and not m.first <= k <= m.last]
    # "المكتب التنفيذي للمجلس" names the council only inside: a body headed by the noun comes first
    headed = [m for m in same if _spelling(a.tokens[m.last if a.lang == "en" else m.first].key) == noun]
    same = headed or same
    before = [m for m in same if m.last < r.first]
    after = [m for m in same if m.first > k]
    return before[-1] if before else (after[0] if after else None)


def _apposed_name(a, r, p) -> bool:
    """"Afripol's Executive Director, Jalel Chelba", "The head of the centre, Muhammad Buarki": in
    English a determined role, its complement, one comma, then the name."""
    if a.lang != "en" or r.first == 0 or not (a.tokens[r.first - 1].norm == "the"
                                              or a.gaps[r.first].strip() in ("'s", "’s")):
        return False
    breaks = [k for k in range(r.last + 1, p.first + 1) if a.clause_break(k)]
    return len(breaks) == 1 and a.gaps[breaks[0]].strip() == "," and (
        breaks[0] == p.first or a.at("honorifics", breaks[0]) is not None)


def _spelling(key: str) -> str:
    """British and American spellings of a body's head noun are one ("centre", "Center")."""
    return {"centre": "center", "organisation": "organization"}.get(key, key)


def _honorific_after_comma(a, end: int, first: int) -> bool:
    breaks = [k for k in range(end + 1, first + 1) if a.clause_break(k)]
    if len(breaks) != 1 or not any(c in a.gaps[breaks[0]] for c in ",،"):
        return False
    k = breaks[0]
    return a.at("honorifics", k) is not None and k + a.at("honorifics", k)[0] == first


def _state_of_cabinet(a, t):
    """The head of a cabinet heads its state: "رئيس مجلس الوزراء السعودي" -> Saudi Arabia;
    a cabinet with no state named is no target of its own."""
    if t is None or t.kind != "org":
        return t
    head = " ".join(a.tokens[k].norm for k in range(t.first, min(t.last, t.first + 1) + 1))
    if not head.startswith(words("cabinet_words")):
        return t
    state = next((m for m in a.mentions if m.kind == "entity" and m.type == "State"
                  and t.first <= m.first and m.last <= t.last + 1), None)
    return state


def _target(a, r, person, lex):
    actors = [m for m in a.mentions if m.kind in ("entity", "org") and m.type in _ACTOR_TYPES]
    # "head of the Israel National Cyber Bureau": the bureau, not the state named inside it
    actors = [m for m in actors if not any(o is not m and o.first <= m.first and m.last <= o.last for o in actors)]
    limit = person.first if person is not None and person.first > r.last else r.last + 8
    right = sorted((m for m in actors if r.last < m.first < limit and m.first - r.last <= 7
                    and not a.breaks_between(r.last, m.first)), key=lambda m: m.first)
    if a.lang == "en":
        right = [m for m in right if a.tokens[m.first - 1].norm in ("of", "the", "for", "at") or m.first - 1 in lex]
    left = [m for m in actors if 0 <= r.first - m.last <= 2 and not a.breaks_between(m.last, r.first)]
    if not left and not right and a.lang != "ar":
        # "CSA Chief Executive David Koh", "director of the CCDCOE": an acronym of a body named elsewhere;
        # "Afripol's Executive Director": the body whose head it is
        after = r.last + 1 + (1 if r.last + 1 < len(a.tokens) and a.tokens[r.last + 1].norm == "of" else 0)
        after += 1 if after < len(a.tokens) and a.tokens[after].norm == "the" else 0
        for k in (r.first - 1, after if after > r.last + 1 else -1):
            owner = k == r.first - 1 and a.gaps[r.first].strip() in ("'s", "’s") and a.capitalized(k) \
                and not any(p.first <= k <= p.last for p in a.mentions if p.kind == "person")
            if 0 <= k < len(a.tokens) and (a.word(k).isupper() and len(a.word(k)) >= 2 or owner) and k not in lex \
                    and not a.breaks_between(min(k, r.first), max(k, r.last)):
                acronym = make_mention(a, "org", "Organization", k, k)
                acronym.attrs.update(acronym=True, label=acronym.text)
                a.mentions.append(acronym)
                return acronym
    if not left and not right:
        named = _body_by_noun(a, r, actors)
        if named is not None:
            return named
    if a.lang == "ar":
        return right[0] if right else None
    if a.lang == "ru":
        return right[0] if right else (left[-1] if left else None)
    return right[0] if right else (left[-1] if left else None)
