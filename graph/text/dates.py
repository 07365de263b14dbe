"""Dates in Arabic, English and Russian text, with their exact spans in the original text.

Finds full dates ("3 أكتوبر/تشرين الأول 2019", "November 19, 2021", "19 ноября 2021 года"),
months, year ranges ("للفترة 2019-2021"), years alone, and words relative to the publication
date (اليوم، أمس / today, yesterday / сегодня). Month and relative words come from
``data/patterns/dates.json``.

>>> [(d.value, d.end_value) for d in find_dates("للفترة ٢٠١٩-٢٠٢١")]
[('2019', '2021')]
>>> [d.value for d in find_dates("signed on November 19, 2021 and in 2009")]
['2021-11-19', '2009']
>>> [d.value for d in find_dates("أمس الأحد", published="2019-10-07")]
['2019-10-06']
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache

from cdkg.graph.text.normalize import normalize
from cdkg.paths import patterns_dir

__all__ = ["DateMention", "find_dates"]


@dataclass(frozen=True)
class DateMention:
    """A date found in text: offsets into the original text and an ISO value.

    ``value`` is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a range has ``end_value`` too.
    """

    start: int
    end: int
    value: str
    end_value: str | None = None
    relative: bool = False

    @property
    def datatype(self) -> str:
        return {4: "xsd:gYear", 7: "xsd:gYearMonth"}.get(len(self.value), "xsd:date")


def _norm(word: str) -> str:
    return normalize(word)[0]


@lru_cache(maxsize=1)
def _patterns():
    data = json.loads((patterns_dir() / "dates.json").read_text(encoding="utf-8"))
    months = {_norm(k): v for lang in data["months"].values() for k, v in lang.items()}
    relative = {_norm(k): v for lang in data["relative"].values() for k, v in lang.items()}
    weekdays = [_norm(w) for lang in data["weekdays"].values() for w in lang]
    alt = "|".join(re.escape(m).replace(r"\ ", r"\s+") for m in sorted(months, key=len, reverse=True))
    # Arabic prefixes (و ب ل في) may stick to a month or number; letters must not.
    month = rf"(?:[وبل])?(?P<{{n}}>{alt})(?![^\W\d_])"
    day = r"(?<![\d])(?P<day>[0-3]?\d)(?!\d)"
    year = r"(?P<year>(?:1[6-9]|20)\d\d)(?!\d)"
    full_dmy = re.compile(
        day + r"\s*(?:\.|-|\s)?\s*" + month.format(n="m1")
        + r"(?:\s*[/()\-]\s*" + month.format(n="m2") + r"\s*\)?)?\s*,?\s*" + year)
    full_mdy = re.compile(r"(?<![^\W\d_])" + month.format(n="m1") + r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+" + year)
    month_year = re.compile(r"(?<![^\W\d_])" + month.format(n="m1")
                            + r"(?:\s*/\s*" + month.format(n="m2") + r")?\s*,?\s+" + year)
    year_range = re.compile(r"(?<!\d)(?P<y1>(?:1[6-9]|20)\d\d)\s*(?:-|–|—|/|to|until|الى|حتى|по|-?до)\s*(?P<y2>(?:1[6-9]|20)\d\d)(?!\d)")
    year_alone = re.compile(r"(?<![\d.,/])(?P<year>(?:1[6-9]|20)\d\d)(?![\d.,/]\d)")
    rel_alt = "|".join(re.escape(r).replace(r"\ ", r"\s+") for r in sorted(relative, key=len, reverse=True))
    wd_alt = "|".join(re.escape(w) for w in sorted(weekdays, key=len, reverse=True))
    rel = re.compile(rf"(?<![^\W\d_])(?:[وب])?(?:ال)?(?P<rel>{rel_alt})(?![^\W\d_])(?:\s+(?:ال)?(?:{wd_alt})(?![^\W\d_]))?")
    return months, relative, full_dmy, full_mdy, month_year, year_range, year_alone, rel


def _valid(y: int, m: int, d: int) -> bool:
    try:
        dt.date(y, m, d)
        return True
    except ValueError:
        return False


def find_dates(text: str, published: str | None = None) -> list[DateMention]:
    """Every date mention in ``text``, non-overlapping, in text order.

    Relative words resolve against ``published`` (``YYYY-MM-DD``); without it they are skipped.
    A relative word directly before an explicit date is merged into that date's span.
    """
    months, relative, full_dmy, full_mdy, month_year, year_range, year_alone, rel = _patterns()
    norm, offsets = normalize(text)
    found: list[tuple[int, int, str, str | None, bool]] = []
    taken = [False] * (len(norm) + 1)

    def add(s: int, e: int, value: str, end_value: str | None = None, relative_: bool = False):
        if any(taken[s:e]):
            return
        for i in range(s, e):
            taken[i] = True
        found.append((s, e, value, end_value, relative_))

    def month_of(m: re.Match, name: str) -> int:
        return months[re.sub(r"\s+", " ", m.group(name))]

    for pattern in (full_dmy, full_mdy):
        for m in pattern.finditer(norm):
            y, mo, d = int(m.group("year")), month_of(m, "m1"), int(m.group("day"))
            if _valid(y, mo, d):
                add(m.start(), m.end(), f"{y:04d}-{mo:02d}-{d:02d}")
    for m in month_year.finditer(norm):
        add(m.start(), m.end(), f"{int(m.group('year')):04d}-{month_of(m, 'm1'):02d}")
    for m in year_range.finditer(norm):
        if int(m.group("y1")) <= int(m.group("y2")):
            add(m.start(), m.end(), m.group("y1"), m.group("y2"))
    for m in year_alone.finditer(norm):
        add(m.start(), m.end(), m.group("year"))
    pub = None
    if published and re.fullmatch(r"\d{4}-\d{2}-\d{2}", published):
        pub = dt.date.fromisoformat(published)
    for m in rel.finditer(norm):
        s, e = m.start(), m.end()
        following = [f for f in found if f[0] >= e and norm[e:f[0]].strip(" ,،") == "" and len(f[2]) == 10]
        if following:
            f = following[0]
            found.remove(f)
            found.append((s, f[1], f[2], f[3], False))
            continue
        if pub is not None:
            value = (pub + dt.timedelta(days=relative[re.sub(r"\s+", " ", m.group("rel"))])).isoformat()
            add(s, e, value, None, True)
    mentions = []
    for s, e, value, end_value, relative_ in sorted(found):
        start, end = offsets[s], offsets[e - 1] + 1
        mentions.append(DateMention(start, end, value, end_value, relative_))
    return mentions
