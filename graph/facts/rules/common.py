"""What several rule families need: trigger positions, the agent of a trigger, free-text
objects, dates that date something, and places after a locative."""

from __future__ import annotations

from cdkg.graph.facts.context import Context, Sentence
from cdkg.graph.text.mentions import Mention
from cdkg.graph.text.phrases import norms, words

__all__ = ["triggers", "agents", "coordinated", "free_objects", "dates", "places", "persons", "near"]

_PERSONISH = ("person", "role")
_AGENT_KINDS = ("entity", "org", "person", "role", "sides", "instrument")
_AGENT_TYPES = ("State", "InternationalOrganization", "Forum", "Organization", "Person", "Agreement",
                "JointStatement", "Declaration", "Plan", "Convention")


def triggers(ctx: Context, sent: Sentence, relation: str) -> list[tuple[int, int]]:
    """Token ranges of the trigger words of ``relation`` in the sentence."""
    return [(i, j) for i, j, _ in ctx.a.find("rel:" + relation, sent.first, sent.last)]


def near(m: Mention, pos: tuple[int, int], after: int, before: int) -> bool:
    """Is ``m`` within ``after`` tokens after the trigger or ``before`` tokens before it?"""
    if m.first > pos[1]:
        return m.first - pos[1] <= after
    return 0 <= pos[0] - m.last <= before


def _agentive(m: Mention, capitals: dict | None = None) -> bool:
    if m.attrs.get("hypothetical"):
        return False
    if capitals and m.kind == "entity" and m.type == "Place" and m.entry.iri in capitals:
        return True  # "Moscow and Beijing agreed ...": a capital for its state
    return m.kind in _AGENT_KINDS and (m.type in _AGENT_TYPES or m.kind == "sides") and not (
        m.kind == "person" and m.attrs.get("role") is not None and m.attrs["role"].first > m.first
        and False)


def _inside_title(m: Mention, sent: Sentence) -> bool:
    return any(o.kind in ("instrument", "event", "org") and o is not m and o.first <= m.first and m.last <= o.last
               and not o.generic for o in sent.mentions)


def agents(ctx: Context, sent: Sentence, pos: tuple[int, int]) -> list[Mention]:
    """Who a trigger word speaks of as its agent: the actors just before it (with those
    coordinated with them: "Russia and Belarus"), or, in Arabic, the actor right after the verb
    ("دعا الأمين العام ... إلى"). Roles stand for their persons; titles for what they name."""
    a = ctx.a
    located = {id(p) for p in places(ctx, sent)}
    cands = [m for m in sent.mentions if _agentive(m, ctx.capitals) and not _inside_title(m, sent)
             and not (m.type == "Place" and id(m) in located)
             and not (m.kind == "role" and m.attrs.get("person") is not None)]
    if ctx.lang == "ar":
        # verb first: the agent comes before the particle that opens the object ("دعا X إلى")
        stop = next((k for k in range(pos[1] + 1, min(sent.last, pos[1] + 12) + 1)
                     if a.tokens[k].norm in norms("إلى", "الى", "على") or a.tokens[k].norm.startswith("بال")), pos[1] + 13)
        after = [m for m in cands if 0 <= m.first - pos[1] <= 10 and m.last < stop
                 and not a.breaks_between(pos[1], m.first)
                 # "ودعا الجانبين إلى ...": the sides in the accusative are called on, they do not call
                 and not (m.kind == "sides" and m.first == pos[1] + 1 and a.tokens[m.last].norm.endswith("ين"))]
        people = [m for m in after if m.kind in ("person", "role")]
        if after:
            return coordinated(a, (people or after)[0], [c for c in cands if c.last < stop], forward=True)
    before = [m for m in cands if m.last < pos[0] and pos[0] - m.last <= 14]
    pronoun = next((k for k in range(max(sent.first, pos[0] - 3), pos[0])
                    if a.at("pronouns", k) is not None and a.at("pronouns", k)[1] == "person"), None)
    if pronoun is not None and not any(m.first > pronoun for m in before):
        earlier = [m for m in a.mentions if m.kind == "person" and m.last < sent.first]
        return earlier[-1:]  # "he said", "он поприветствовал": the person named last
    if ctx.lang == "en" and pos[0] - 1 > sent.first and a.tokens[pos[0] - 1].norm == "and" \
            and "," in a.gaps[pos[0] - 1]:
        # "Ukraine and the EU underlined the value of ... cooperation, and urged ...": the sentence's subject
        subject = [m for m in cands if m.first - sent.first <= 3 and m.last < pos[0]][:1]
        if subject:
            return coordinated(a, subject[0], cands, forward=True)
    if not before:
        return []
    last = before[-1]
    if last.kind == "person" and any(o.kind == "role" and o.attrs.get("person") is last for o in sent.mentions):
        pass
    return coordinated(a, last, cands, forward=False)


def coordinated(a, m: Mention, cands: list[Mention], forward: bool) -> list[Mention]:
    out = [m]
    pool = sorted(cands, key=lambda x: x.first, reverse=not forward)
    for o in pool:
        edge = out[-1]
        gap = (o.first - edge.last) if forward else (edge.first - o.last)
        words = [a.tokens[k].norm for k in (range(edge.last + 1, o.first) if forward else range(o.last + 1, edge.first))]
        if gap in (2, 3) and words[-1] == "the":  # "Japan and the United States", "Ukraine, the UAE"
            gap, words = gap - 1, words[:-1]
        if gap <= 0 or gap > 2:
            continue
        joins = [w for w in words if w in ("and", "и", "و", "or", "&")] or (
            [w for w in words if w.startswith("و")] if a.lang == "ar" else [])
        if a.lang == "ar" and not words and gap == 1:
            nxt = o if forward else edge  # "تونس والمغرب": the conjunction is attached to the next name
            if a.tokens[nxt.first].norm.startswith("و"):
                joins = ["و"]
        if (joins or gap == 1 and "," in a.gaps[(edge.last if forward else o.last) + 1]) and o.kind == m.kind:
            out.append(o)
    return out


def persons(sent: Sentence) -> list[Mention]:
    """Person mentions, and roles that name no person of their own."""
    return [m for m in sent.mentions if m.kind == "person" or m.kind == "role" and m.attrs.get("person") is None
            and m.attrs.get("role") == "head" and m.attrs.get("target") is not None]


def free_objects(ctx: Context, sent: Sentence, start: int, limit: int | None = None,
                 through_commas: bool = False) -> list[tuple[int, int]]:
    """Short spans of the text's own words after a trigger ("closer cooperation within ASEAN"):
    up to the end of the clause, split at coordination ("as well as", "а также", "وكذلك"),
    at most ``limit`` words each. In English a list of actions ("holding dialogues,
    exchanging information and ...") splits at its commas, its gerunds dropped."""
    a = ctx.a
    limit = limit or {"en": 14, "ru": 16, "ar": 12}.get(ctx.lang, 12)
    gerund_list = ctx.lang == "en" and start <= sent.last and a.tokens[start].norm.endswith("ing")
    spans, cur = [], None
    j = start
    while j <= sent.last:
        n = a.tokens[j].norm
        if j > start and a.clause_break(j) and not a.hyphen_before(j):
            gap = a.gaps[j]
            comma = ("," in gap or "،" in gap) and not any(c in gap for c in ";.:")
            if not comma or len(spans) >= 3:
                break
            if ctx.lang == "en" and not (gerund_list and a.tokens[j].norm.endswith("ing")) and not through_commas:
                break
            if ctx.lang == "en" and not through_commas:
                if cur:
                    spans.append(cur)
                cur = None
        if n in ("as", "а", "وكذلك", "كذلك", "فضلا") and j + 1 <= sent.last and a.tokens[j + 1].norm in ("well", "также", "عن"):
            if cur:
                spans.append(cur)
            cur = None
            j += 3 if n == "as" else 2
            continue
        if ctx.lang == "ar" and cur is not None and cur[1] - cur[0] >= 1 and n.startswith("و") and len(n) > 3 \
                and a.at("waw", j) is None and not n.startswith("وال") and (
                    n in norms("وعلى", "وإلى", "والى") or n[1:2] in ("ت", "ا") and len(n) >= 6):
            # "... وتطوير ناقل البيانات"، "... وعلى تنظيم برامج": the next thing called for
            spans.append(cur)
            particle = n in norms("وعلى", "وإلى", "والى")
            cur = None if particle else [j, j]
            j += 1
            continue
        if cur is not None and _new_clause(ctx, j):
            break
        if ctx.lang == "ru" and cur is not None and n == "и" and "," in a.gaps[j]:
            spans.append(cur)  # "..., и оказание технической помощи"
            cur = None
            j += 1
            continue
        if ctx.lang == "en" and n == "and" and cur is not None and j + 1 <= sent.last and (
                a.at("determiners", j + 1) or (gerund_list and a.tokens[j + 1].norm.endswith("ing"))):
            spans.append(cur)
            cur = None
            j += 1
            continue
        if _object_stop(a, j):
            break
        if ctx.lang == "en" and n in ("and", "but") and cur is not None and j + 1 <= sent.last and (
                a.at("speech", j + 1) or a.at("rel:called", j + 1) or a.at("rel:welcomed", j + 1)
                or a.tokens[j + 1].norm in words("clause_verbs")):
            break  # "... on cyber defence and reaffirms that ...", "... memoranda and described": a new clause
        if cur is None:
            cur = [j, j]
        elif cur[1] - cur[0] + 1 < limit:
            cur[1] = j
        else:
            break
        j += 1
    if cur:
        spans.append(cur)
    out = []
    for s0, s1 in spans:
        if ctx.lang == "en" and s1 > s0 + 1 and a.tokens[s0].norm.endswith("ing") \
                and a.tokens[s0].norm not in ("building", "training", "funding", "networking"):
            s0 += 1
        while s1 > s0 and (a.at("links", s1) or a.at("determiners", s1) or a.tokens[s1].norm in ("и", "و", "في", "من")):
            s1 -= 1
        while s0 < s1 and (a.at("determiners", s0) or a.tokens[s0].norm in ("the", "a", "an", "to")):
            s0 += 1
        single = s1 == s0 and (a.tokens[s0].norm.endswith("ing") or len(a.tokens[s0].norm) <= 6)
        if s1 >= s0 and a.date_at(s0) is None and not single:
            out.append((s0, s1))
    return out


def _new_clause(ctx: Context, j: int) -> bool:
    """A clause of its own begins at ``j``: "укреплять взаимодействие, а регулярные встречи ...";
    "...، مذكّراً بأن" (a participle of the speaker, not the thing called for)."""
    a = ctx.a
    n = a.tokens[j].norm
    if ctx.lang == "ru":
        return n in words("contrast_conjunctions") and "," in a.gaps[j]
    if ctx.lang == "ar":
        return "،" in a.gaps[j] and ("\u064b" in a.word(j) or n.startswith(words("speaker_participle_stems")))
    return False


def _object_stop(a, j: int) -> bool:
    n = a.tokens[j].norm
    if n in ("if", "so", "which", "that", "who", "while", "because", "since", "чтобы", "который", "которая",
             "которые", "которое", "لكي", "كي", "حتى", "بما", "التي", "الذي", "حيث", "said", "заявил", "قال"):
        return True
    return a.at("speech", j) is not None and a.lang != "ar"


def dates(ctx: Context, sent: Sentence):
    """The dates of a sentence that can date a thing (not the dateline of a report)."""
    a = ctx.a
    out = []
    for d0, d1, d in a.dates:
        if not (sent.first <= d0 <= sent.last):
            continue
        if _dateline(a, sent, d0):
            continue
        out.append((d0, d1, d))
    return out


def _dateline(a, sent: Sentence, d0: int) -> bool:
    """"MOSCOW, July 20. /TASS/." or "SINGAPORE, Sept. 19 Kyodo -": a report's own date."""
    head = sent.first
    if d0 - head > 3:
        return False
    w = a.word(head)
    return (w.isupper() and len(w) > 2) or "/" in a.doc.text[a.tokens[d0].end:a.tokens[min(d0 + 3, len(a.tokens) - 1)].start]


def date_near(ctx: Context, sent: Sentence, pos: int, window: int = 25, exclude=()):
    """The date of the sentence nearest to token ``pos`` (after it first), outside the token
    ranges ``exclude`` (the years of a title date the title, not an event)."""
    ds = [(abs(d0 - pos) + (0 if d0 > pos else 2), d0, d1, d) for d0, d1, d in dates(ctx, sent)
          if abs(d0 - pos) <= window and not any(f <= d0 <= l for f, l in exclude)]
    ds.sort(key=lambda x: x[0])
    return ds[0][1:] if ds else None


def places(ctx: Context, sent: Sentence) -> list[Mention]:
    """Places named after a locative ("in Moscow", "в Минске", "في الرياض", "بالرياض")."""
    a = ctx.a
    out = []
    for m in sent.mentions:
        if m.kind == "venue" and m.first > sent.first:
            out.append(m)  # "at the National Stadium"
            continue
        if m.kind != "entity" or m.type not in ("Place", "State"):
            continue
        prev = m.first - 1
        attached = a.lang == "ar" and a.tokens[m.first].norm.startswith(("ب", "في"))
        held_in = prev >= sent.first and a.at("locatives", prev) is not None
        if attached or held_in:
            out.append(m)
    return out


def body_by_noun(ctx: Context, k: int):
    """The body a bare head noun at token ``k`` refers to ("the organization", "the initiative",
    "организации", "المنظمة"): the organization or forum of the text whose name has that noun,
    named nearest before ``k``, else after it; None when ``k`` is no such noun.

    "the International Counter Ransomware Initiative ... new members of the initiative" -> the CRI.
    """
    a = ctx.a
    while k < len(a.tokens) and a.tokens[k].norm in ("the", "this", "of", "в", "во", "في", "إلى", "الى"):
        k += 1
    if k >= len(a.tokens) or a.at("body_nouns", k) is None:
        return None
    if any(m.first <= k <= m.last for m in a.mentions if m.kind in ("entity", "org")):
        return None  # the noun begins a name of its own
    noun = a.tokens[k].key
    same = [m for m in a.mentions if m.kind == "entity" and m.type in ("InternationalOrganization", "Forum")
            and any(t.key == noun for t in a.tokens[m.first:m.last + 1])]
    before = [m for m in same if m.last < k]
    return before[-1] if before else (next((m for m in same if m.first > k), None))


def recent_instrument(ctx: Context, sent: Sentence, back: int = 2):
    """The instrument a pronoun takes up: the last one named by its title in the sentences just
    before ("... более раннего Соглашения ..., которое было заключено в Минске. ... оно уже вступило
    в силу"), not the one the report is about."""
    a = ctx.a
    k = next(n for n, s in enumerate(a.sentences) if s[0] == sent.first)
    lo = a.sentences[max(0, k - back)][0]
    named = [m for m in ctx.instruments if lo <= m.first and m.last < sent.first and not m.generic
             and not m.attrs.get("hypothetical")]
    return max(named, key=lambda m: m.first) if named else None


def listed_persons(ctx: Context, sent: Sentence, first: Mention) -> list[Mention]:
    """A person and those listed after them with their roles ("Среди участников – президент
    Беларуси Александр Лукашенко, президент Казахстана Касым-Жомарт Токаев и президент России
    Владимир Путин" -> the three presidents): between two names only roles, the states and bodies
    they belong to, commas and "and"."""
    a = ctx.a
    covered = {k for m in sent.mentions if m.kind in ("role", "entity", "org") for k in range(m.first, m.last + 1)}
    out = [first]
    for p in sorted((m for m in sent.of("person") if m.first > first.last and m.last > m.first), key=lambda m: m.first):
        gap = range(out[-1].last + 1, p.first)
        if len(gap) > 9 or not any(c in a.gaps[out[-1].last + 1] for c in ",،") and not (
                gap and a.tokens[gap[0]].norm in words("list_joins")):
            break
        if not all(k in covered or a.tokens[k].norm in words("list_joins") for k in gap):
            break
        if any(c in a.gaps[k] for k in list(gap) + [p.first] for c in ".;:!?"):
            break
        out.append(p)
    return out

