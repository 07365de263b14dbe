"""Statements: what an actor or an instrument calls for, welcomes, and which principles it
promotes. Objects are lexicon entries where one fits, else short spans of the text's words."""

from __future__ import annotations

from cdkg.graph.facts.context import Context, Sentence
from cdkg.graph.facts.rules import rule
from cdkg.graph.facts.rules.common import agents, free_objects, triggers
from cdkg.graph.text.phrases import norms, words

_OBJECT_PARTICLES = norms("إلى", "الى", "على")


def _object_start(ctx: Context, sent: Sentence, pos) -> int | None:
    """Where the object of a call begins: right after the trigger, or in Arabic after the
    particle that follows the caller ("دعا الأمين العام ... إلى تعزيز", "رحب ... بالتوقيع")."""
    a = ctx.a
    start = pos[1] + 1
    if ctx.lang == "en" and a.tokens[pos[1]].norm in ("on", "urged", "urges", "invited", "all", "encouraged") \
            and start <= sent.last and (a.tokens[start].norm in ("all", "every", "each", "the", "member")
                                        or any(m.first == start and m.kind in ("entity", "person", "org", "sides")
                                               for m in sent.mentions)):
        # "called on all States to cooperate ...": the call is what follows "to"
        to = next((k for k in range(start, min(sent.last, start + 8) + 1) if a.tokens[k].norm == "to"), None)
        if to is not None and not a.breaks_between(pos[1], to):
            return to + 1 if to + 1 <= sent.last else None
    if ctx.lang == "ru" and start + 1 <= sent.last and a.tokens[start].norm == "то" and a.tokens[start + 1].norm == "чтобы":
        return start + 2  # "выступили за то, чтобы ..."
    if ctx.lang != "ar":
        return start if start <= sent.last else None
    last_word = a.tokens[pos[1]].norm
    if last_word in norms("ضرورة", "أهمية", "اهمية", "لصالح") or a.tokens[pos[1]].norm in _OBJECT_PARTICLES:
        return start
    for k in range(start, min(sent.last, start + 10) + 1):
        n = a.tokens[k].norm
        if n in _OBJECT_PARTICLES:
            return k + 1
        if n.startswith("ب") and len(n) > 3 and n[1:3] == "ال" or n.startswith(("لتعزيز", "بتعزيز")):
            return k
        if a.clause_break(k) and k > start:
            break
    return start


def _ru_commitment_object(a, start: int, last: int) -> int:
    """Where what a Russian "приверженность" commits to begins: past whose commitment it is
    ("сторон"), the word "принцип" and a leading verbal noun ("формированию").

    "приверженность сторон принципу уважения национального суверенитета" -> "уважения ...";
    "приверженность формированию открытой, безопасной ... среды" -> "открытой, безопасной ...".
    """
    k = start
    if k <= last and a.tokens[k].norm in words("whose_words"):
        k += 1
    if k <= last and a.tokens[k].norm.startswith("принцип"):
        k += 1
    if k < last and a.tokens[k].norm.endswith(("нию", "тию")) and not a.clause_break(k + 1):
        k += 1
    return k if k <= last else start


def _speaker(ctx: Context, sent: Sentence, pos, says: bool):
    a = ctx.a
    if says:
        ins = [m for m in sent.of("instrument") if m.first < pos[0] and not m.attrs.get("hypothetical")]
        if ins:
            return [ins[-1]]
        if a.find("instrument_pronouns", max(sent.first, pos[0] - 3), pos[0] - 1):
            return [ctx.main_instrument] if ctx.main_instrument is not None else []
    hal = _hal_speaker(ctx, sent, pos)
    if hal:
        return hal
    found = agents(ctx, sent, pos)
    if found:
        return found
    if pos[0] - sent.first <= 3 and ctx.main_instrument is not None and says:
        return [ctx.main_instrument]
    return []


def _hal_speaker(ctx: Context, sent: Sentence, pos) -> list:
    """An Arabic participle clause after a comma ("...، داعياً إلى ...", "...، مشدداً على ضرورة ...")
    speaks for the person the sentence is about: the first one it names, else the one named last
    before it."""
    a = ctx.a
    if ctx.lang != "ar":
        return []
    k = next((x for x in (pos[0], pos[0] - 1) if x > sent.first and a.word(x).endswith(("اً", "ًا"))
              and any(c in a.gaps[x] for c in "،,")), None)
    if k is None:
        return []
    named = [m for m in sent.of("person") if m.last < k]
    if named:
        return named[:1]
    return [m for m in a.mentions if m.kind == "person" and m.last < sent.first][-1:]


def voice(ctx: Context, speakers: list) -> list:
    """A joint statement speaks for its authors: what the two states, their heads or "the leaders"
    say in a report on their joint statement is the statement's."""
    statement = ctx.main_statement()
    if statement is None or not speakers:
        return speakers
    heads = {f.subject.iri for f in ctx.facts.values() if f.relation == "headOf"
             and f.object.iri in {e.iri for e in ctx.sides()}}
    def authored(m):
        # the leaders who adopted it speak through it; states speak for themselves
        if m is statement:
            return True
        if m.kind == "role" and m.attrs.get("role") == "head":
            return True
        e = ctx.entity(m)
        # the two states of a bilateral report on their joint statement speak through it too
        return e is not None and (e.iri in heads or e.type == "State" and e.iri in {x.iri for x in ctx.sides()})
    return [statement] if all(authored(m) for m in speakers) else speakers


def _calls(ctx: Context, sent: Sentence, relation: str, tables: tuple[str, ...], rule_name: str,
           concept_type: str = "Topic", through_commas: bool = False) -> None:
    a = ctx.a
    for table in tables:
        says = table == "instrument_says"
        for pos in triggers(ctx, sent, table):
            if any(m.kind == "instrument" and not m.generic and m.first < pos[0] and pos[1] <= m.last
                   for m in sent.mentions):
                continue  # "the Paris Call for Trust and Security": a word of a title, not a call
            start = _object_start(ctx, sent, pos)
            if start is None:
                continue
            if table == "commitment" and ctx.lang == "ru":
                start = _ru_commitment_object(a, start, sent.last)
            speakers = voice(ctx, _speaker(ctx, sent, pos, says))
            if not speakers:
                continue
            objects = free_objects(ctx, sent, start, through_commas=through_commas)
            # an instrument called for ("a global convention") is named as the object too
            named = [m for m in sent.mentions if m.attrs.get("hypothetical") and m.first > pos[1]]
            for s in speakers:
                for se in ctx.actor_entities(s):
                    for o0, o1 in objects:
                        obj = ctx.concept(a.span_text(o0, o1), concept_type)
                        ctx.add(se, relation, obj, ctx.span(pos, (o0, o1)), 0.65, rule_name)
                    for m in named:
                        ctx.add(se, relation, ctx.entity(m), ctx.span(pos, m), 0.6, rule_name + "-named")


@rule("called-for")
def called_for(ctx: Context, sent: Sentence) -> None:
    """What an actor or instrument calls for, urges or envisages, as the text's own words.

    "Yaacob Ibrahim underlined the need for closer cooperation within ASEAN" -> Yaacob Ibrahim
    calledFor "closer cooperation within ASEAN"; "It envisages establishing direct dialogue
    ..." -> the agreement calledFor "direct dialogue ...".
    """
    _calls(ctx, sent, "calledFor", ("called", "instrument_says"), "called-for")


@rule("aim-of-instrument")
def aim_of_instrument(ctx: Context, sent: Sentence) -> None:
    """What a text names, after a dash, as an instrument's aim or task is what it calls for; the
    instrument is the one named with the word, else the one the report is about.

    "Цель соглашения — практическое взаимодействие компетентных органов" -> the agreement
    calledFor "практическое взаимодействие компетентных органов".
    """
    a = ctx.a
    for pos in triggers(ctx, sent, "instrument_aims"):
        dash = next((k for k in range(pos[1] + 1, min(sent.last, pos[1] + 4) + 1)
                     if a.gaps[k].strip() in ("—", "–")), None)
        if dash is None or a.breaks_between(pos[1], dash - 1):
            continue
        named = [m for m in sent.of("instrument") if pos[1] < m.first and m.last < dash]
        before = [m for m in sent.of("instrument") if m.last < pos[0]]
        ins = named[0] if named else before[-1] if before else ctx.main_instrument
        if ins is None:
            continue
        start = dash
        # "Одна из целей — добиться того, чтобы ...": the aim is what follows "чтобы"
        so = next((k for k in range(dash, min(sent.last, dash + 3)) if a.tokens[k].norm == "чтобы"), None)
        if so is not None:
            start = so + 1
        for o0, o1 in free_objects(ctx, sent, start):
            ctx.add(ctx.entity(ins), "calledFor", ctx.concept(a.span_text(o0, o1)), ctx.span(pos, (o0, o1)),
                    0.6, "aim-of-instrument")


@rule("welcomed")
def welcomed(ctx: Context, sent: Sentence) -> None:
    """What an actor welcomes.

    "Guterres welcomed the adoption of the convention" -> Guterres welcomed "adoption of the
    convention"; "رحب الوزراء بالتوقيع على المذكرة" -> the ministers welcomed "التوقيع على المذكرة".
    """
    _calls(ctx, sent, "welcomed", ("welcomed",), "welcomed")


@rule("promotes-principle")
def promotes_principle(ctx: Context, sent: Sentence) -> None:
    """A principle named in a sentence is promoted by the instrument the sentence speaks of,
    else by the actors who state it.

    "The declaration reaffirms respect for state sovereignty in the information space" ->
    the declaration promotesPrinciple sovereignty.
    """
    a = ctx.a
    principles = [m for m in sent.of("entity") if m.type == "Principle"]
    if not principles:
        return
    instruments = [m for m in sent.of("instrument") if not m.attrs.get("hypothetical")]
    trig = triggers(ctx, sent, "promoted") + triggers(ctx, sent, "called") + triggers(ctx, sent, "adopted") + [
        (i, j) for i, j, _ in a.find("speech", sent.first, sent.last)]
    for p in principles:
        subjects = []
        if instruments:
            subjects = [min(instruments, key=lambda m: abs(m.first - p.first))]
        else:
            before = [t for t in trig if t[0] < p.first]
            if before:
                subjects = [m for m in agents(ctx, sent, before[-1]) if m.kind in ("entity", "sides", "instrument")
                            and m.type != "Person"]
        for s in voice(ctx, subjects):
            for se in ctx.actor_entities(s):
                ctx.add(se, "promotesPrinciple", ctx.entity(p), ctx.span(p), 0.65, "promotes-principle")



@rule("committed-to")
def committed_to(ctx: Context, sent: Sentence) -> None:
    """What an actor or instrument states its commitment to is a principle it promotes, in the
    text's own words, its list of qualities kept whole.

    "They reaffirmed their commitment to an open, secure, stable and peaceful cyberspace" ->
    the speakers promotesPrinciple "an open, secure, stable and peaceful cyberspace".
    """
    _calls(ctx, sent, "promotesPrinciple", ("commitment",), "committed-to", "Principle", through_commas=True)


def _action_list(ctx: Context, sent: Sentence, start: int) -> list[tuple[int, int]]:
    """The actions a list names, split at its commas; "A, B and C" splits its last item at "and"
    too, while "A and B, C, and D" keeps "A and B" whole."""
    a = ctx.a
    items, cur = [], [start, start]
    for j in range(start + 1, sent.last + 1):
        gap = a.gaps[j]
        if any(c in gap for c in ";:.(") or a.tokens[j].norm in ("while", "which", "so"):
            break
        if "," in gap:
            items.append(cur)
            cur = [j + 1 if a.tokens[j].norm == "and" else j] * 2
            continue
        cur[1] = j
    items.append(cur)
    last = items[-1]
    ands = [k for k in range(last[0] + 1, last[1]) if a.tokens[k].norm == "and"]
    if len(items) > 1 and a.tokens[last[0] - 1].norm != "and" and ands:
        items[-1:] = [[last[0], ands[-1] - 1], [ands[-1] + 1, last[1]]]
    out = []
    for s0, s1 in items:
        while s0 < s1 and a.at("determiners", s0):
            s0 += 1
        if s0 <= s1 and s1 - s0 < 14:
            out.append((s0, s1))
    return out


@rule("under-instrument")
def under_instrument(ctx: Context, sent: Sentence) -> None:
    """What the parties will do under an instrument is what the instrument calls for, one
    action of the list at a time.

    "Under the memorandum, the two agencies will exchange information on cyber threats, carry
    out joint training and share best practices" -> the memorandum calledFor "exchange
    information on cyber threats", "carry out joint training", "share best practices".
    """
    a = ctx.a
    first = sent.first
    if ctx.lang != "en" or a.tokens[first].norm not in words("framework_words"):
        return
    ins = next((m for m in sent.of("instrument") if m.first <= first + 2), None)
    comma = next((k for k in range(first + 1, min(sent.last, first + 8) + 1) if "," in a.gaps[k]), None)
    if ins is None or comma is None or ins.last >= comma:
        return
    will = next((k for k in range(comma, min(sent.last, comma + 6) + 1)
                 if a.tokens[k].norm in words("undertaking_words")), None)
    if will is None:
        return
    start = will + 1
    while start < sent.last and a.tokens[start].norm in words("cooperation_words"):
        start += 1
    if start > will + 1 and a.tokens[start].norm in ("on", "in") and start < sent.last:
        start += 1
    subject = ctx.entity(ins)
    for o0, o1 in _action_list(ctx, sent, start):
        ctx.add(subject, "calledFor", ctx.concept(a.span_text(o0, o1), "Topic"), ctx.span((first, will), (o0, o1)),
                0.6, "under-instrument")
