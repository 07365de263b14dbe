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
        """The XSD datatype of ``value``: a year, a month of a year, or a day.

        Returns
        -------
        str
            ``xsd:gYear``, ``xsd:gYearMonth`` or ``xsd:date``.

        Examples
        --------
        >>> from cdkg.graph.text.dates import find_dates
        >>> [d.datatype for d in find_dates("signed on 3 May 2024, in June 2024 and in 2025")]
        ['xsd:date', 'xsd:gYearMonth', 'xsd:gYear']
        """
        return {4: "xsd:gYear", 7: "xsd:gYearMonth"}.get(len(self.value), "xsd:date")


def _norm(word: str) -> str:
    return normalize(word)[0]


@lru_cache(maxsize=1)
def _patterns() -> dict:
    data = json.loads((patterns_dir() / "dates.json").read_text(encoding="utf-8"))
    months = {_norm(k): v for lang in data["months"].values() for k, v in lang.items()}
    relative = {_norm(k): v for lang in data["relative"].values() for k, v in lang.items()}
    weekdays = {_norm(k): v for lang in data["weekdays_index"].values() for k, v in lang.items()}
    alt = "|".join(re.escape(m).replace(r"\ ", r"\s+") for m in sorted(months, key=len, reverse=True))
    # Arabic prefixes (و ب ل في) may stick to a month or number; letters must not.
    month = rf"(?:[وبل])?(?P<{{n}}>{alt})(?![^\W\d_])\.?"
    to = "|".join(re.escape(_norm(w)) for lang in data["range_words"].values() for w in lang)
    dash = rf"\s*(?:-|–|—|\s(?:{to})\s)\s*"
    day = r"(?<![\d])(?P<{n}>[0-3]?\d)(?!\d)(?:st|nd|rd|th|-?го|-?е)?"
    year = r"(?:\s*,?\s*(?P<year>(?:1[6-9]|20)\d\d)(?!\d))?"
    sep = r"\s*(?:\.|-|\s)?\s*"
    p = {
        # 16–17 April 2024, من 6 إلى 9 نوفمبر 2017, 16-17 апреля
        "dd_m_y": re.compile(day.format(n="d1") + dash + day.format(n="d2") + sep + month.format(n="m1") + year),
        # 31 Oct–1 Nov 2023
        "dm_dm_y": re.compile(day.format(n="d1") + sep + month.format(n="m1") + dash + day.format(n="d2") + sep
                              + month.format(n="m2") + year),
        # 3 أكتوبر/تشرين الأول 2019, 19 ноября 2021 года, 19 July
        "d_m_y": re.compile(day.format(n="d1") + sep + month.format(n="m1")
                            + r"(?:\s*[/()\-]\s*" + month.format(n="m2") + r"\s*\)?)?" + year),
        # November 19, 2021; Sept. 19; July 16-17, 2024
        "m_d_y": re.compile(r"(?<![^\W\d_])" + month.format(n="m1") + r"\s*" + day.format(n="d1")
                            + rf"(?:{dash}" + day.format(n="d2") + ")?" + year),
        "m_y": re.compile(r"(?<![^\W\d_])" + month.format(n="m1") + r"(?:\s*/\s*" + month.format(n="m2") + r")?"
                          + r"\s*,?\s+(?P<year>(?:1[6-9]|20)\d\d)(?!\d)"),
        "y_y": re.compile(r"(?<!\d)(?P<y1>(?:1[6-9]|20)\d\d)\s*(?:-|–|—|/|to|until|الى|حتى|по|-?до)\s*"
                          r"(?P<y2>(?:1[6-9]|20)\d\d)(?!\d)"),
        # 6-12-2017, 08/03/2024, 19.11.2021 (day first, as Arabic and Russian agencies write); 2021-11-19
        "num": re.compile(r"(?<![\d.,/\-])(?P<a>[0-3]?\d)(?P<s>[./\-])(?P<b>[01]?\d)(?P=s)(?P<year>(?:19|20)\d\d)(?![\d])"),
        "iso": re.compile(r"(?<![\d.,/\-])(?P<year>(?:19|20)\d\d)-(?P<b>[01]\d)-(?P<a>[0-3]\d)(?![\d])"),
        "y": re.compile(r"(?<![\d.,/])(?P<year>(?:1[6-9]|20)\d\d)(?![\d.,/]\d)"),
    }
    rel_alt = "|".join(re.escape(r).replace(r"\ ", r"\s+") for r in sorted(relative, key=len, reverse=True))
    wd_alt = "|".join(re.escape(w) for w in sorted(weekdays, key=len, reverse=True))
    p["rel"] = re.compile(rf"(?<![^\W\d_])(?:[وب])?(?:ال)?(?P<rel>{rel_alt})(?![^\W\d_])"
                          rf"(?:\s+(?:ال)?(?:{wd_alt})(?![^\W\d_]))?")
    years = {_norm(k): v for lang in data.get("relative_years", {}).values() for k, v in lang.items()}
    p["years"] = re.compile("(?<![^\\W\\d_])(?P<ry>" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in
                                                         sorted(years, key=len, reverse=True)) + ")(?![^\\W\\d_])") \
        if years else None
    pre = "|".join(re.escape(_norm(w)) for w in data.get("month_prefixes", []))
    p["month_alone"] = re.compile(rf"(?<![^\W\d_])(?:{pre})\s+" + month.format(n="m1") + r"(?!\s*,?\s*\d)") if pre else None
    same = "|".join(re.escape(_norm(w)).replace(r"\ ", r"\s+") for lang in data.get("same_day", {}).values() for w in lang)
    p["same"] = re.compile(rf"(?<![^\W\d_])(?:{same})(?![^\W\d_])") if same else None
    p["wd"] = re.compile(rf"(?<![^\W\d_])(?:(?:on|во|в|يوم)\s+)?(?:[وب])?(?P<wd>{wd_alt})(?![^\W\d_])")
    return {"months": months, "relative": relative, "weekdays": weekdays, "re": p, "years": years}


def _valid(y: int, m: int, d: int) -> bool:
    try:
        dt.date(y, m, d)
        return True
    except ValueError:
        return False


def _day(pub: dt.date | None, year: str | None, mo: int, d: int) -> str | None:
    """An ISO day; a day without a year takes the publication year (the year before when that
    would put it more than half a year after publication), and is not a date without one."""
    if year:
        return f"{int(year):04d}-{mo:02d}-{d:02d}" if _valid(int(year), mo, d) else None
    if pub is None:
        return None
    y = pub.year
    if _valid(y, mo, d) and dt.date(y, mo, d) > pub + dt.timedelta(days=183):
        y -= 1
    return f"{y:04d}-{mo:02d}-{d:02d}" if _valid(y, mo, d) else None


def find_dates(text: str, published: str | None = None) -> list[DateMention]:
    """Every date mention in ``text``, non-overlapping, in text order.

    Ranges of days keep both ends (``value`` and ``end_value``); days without a year and
    weekdays ("on Monday", "в четверг", "يوم الثلاثاء") resolve against ``published``
    (``YYYY-MM-DD``), as do relative words; a weekday or relative word directly before an
    explicit date is merged into that date's span.

    Parameters
    ----------
    text : str
        The original text.
    published : str, optional
        The publication date, ``YYYY-MM-DD``.

    Returns
    -------
    list of DateMention

    Examples
    --------
    >>> [(d.value, d.end_value) for d in find_dates("on 16–17 April 2024")]
    [('2024-04-16', '2024-04-17')]
    >>> [d.value for d in find_dates("signed on Monday, Sept. 19", published="2017-09-20")]
    ['2017-09-19']
    >>> [d.value for d in find_dates("в четверг", published="2021-07-20")]
    ['2021-07-15']
    """
    pat = _patterns()
    months, rx = pat["months"], pat["re"]
    norm, offsets = normalize(text)
    found: list[tuple[int, int, str, str | None, bool]] = []
    taken = [False] * (len(norm) + 1)
    pub = dt.date.fromisoformat(published) if published and re.fullmatch(r"\d{4}-\d{2}-\d{2}", published) else None

    def add(s: int, e: int, value: str | None, end_value: str | None = None, relative_: bool = False):
        if value is None or any(taken[s:e]):
            return
        for i in range(s, e):
            taken[i] = True
        found.append((s, e, value, end_value, relative_))

    def month_of(m: re.Match, name: str) -> int:
        return months[re.sub(r"\s+", " ", m.group(name))]

    for m in rx["dm_dm_y"].finditer(norm):
        y = m.group("year")
        add(m.start(), m.end(), _day(pub, y, month_of(m, "m1"), int(m.group("d1"))),
            _day(pub, y, month_of(m, "m2"), int(m.group("d2"))))
    for m in rx["dd_m_y"].finditer(norm):
        y, mo = m.group("year"), month_of(m, "m1")
        if int(m.group("d1")) < int(m.group("d2")):
            add(m.start(), m.end(), _day(pub, y, mo, int(m.group("d1"))), _day(pub, y, mo, int(m.group("d2"))))
    for name in ("d_m_y", "m_d_y"):
        for m in rx[name].finditer(norm):
            mo = month_of(m, "m1")
            d2 = m.groupdict().get("d2")
            add(m.start(), m.end(), _day(pub, m.group("year"), mo, int(m.group("d1"))),
                _day(pub, m.group("year"), mo, int(d2)) if d2 else None)
    for m in rx["m_y"].finditer(norm):
        add(m.start(), m.end(), f"{int(m.group('year')):04d}-{month_of(m, 'm1'):02d}")
    for m in rx["y_y"].finditer(norm):
        if int(m.group("y1")) <= int(m.group("y2")):
            add(m.start(), m.end(), m.group("y1"), m.group("y2"))
    _numeric(norm, rx, pub, add)
    for m in rx["y"].finditer(norm):
        add(m.start(), m.end(), m.group("year"))
    _relative(norm, pat, pub, found, add)
    if pub is not None:
        _years_and_months(norm, pat, pub, add)
    if rx.get("same") is not None:
        for m in rx["same"].finditer(norm):
            before = [f for f in found if f[1] <= m.start() and len(f[2]) == 10 and f[2][:1] != "-"]
            if before:
                add(m.start(), m.end(), max(before, key=lambda f: f[1])[2], None, True)
    mentions = []
    for s, e, value, end_value, relative_ in sorted(found):
        start, end = offsets[s], offsets[e - 1] + 1
        mentions.append(DateMention(start, end, value, end_value, relative_))
    return mentions


def _numeric(norm: str, rx: dict, pub: dt.date | None, add) -> None:
    """Dates written in digits: ISO (2021-11-19) and day first (6-12-2017, 08/03/2024, 19.11.2021),
    month first only where the first number cannot be a month (11/19/2021).

    >>> [d.value for d in find_dates("الخرطوم 6-12-2017 (سونا)؛ 08/03/2024")]
    ['2017-12-06', '2024-03-08']
    """
    for name in ("iso", "num"):
        for m in rx[name].finditer(norm):
            d, mo = int(m.group("a")), int(m.group("b"))
            if name == "num" and mo > 12 and d <= 12:
                d, mo = mo, d
            if 1 <= mo <= 12:
                add(m.start(), m.end(), _day(pub, m.group("year"), mo, d))


def _years_and_months(norm: str, pat: dict, pub: dt.date, add) -> None:
    """"last year", "в прошлом году", "العام الماضي"; "in September" (the nearest such month
    around the publication date)."""
    rx = pat["re"]
    if rx.get("years") is not None:
        for m in rx["years"].finditer(norm):
            shift = pat["years"][re.sub(r"\s+", " ", m.group("ry"))]
            add(m.start(), m.end(), f"{pub.year + shift:04d}", None, True)
    if rx.get("month_alone") is not None:
        for m in rx["month_alone"].finditer(norm):
            mo = pat["months"][re.sub(r"\s+", " ", m.group("m1"))]
            y = pub.year - 1 if mo > pub.month + 6 else pub.year
            add(m.start(), m.end(), f"{y:04d}-{mo:02d}", None, True)


def _relative(norm: str, pat: dict, pub: dt.date | None, found: list, add) -> None:
    """Relative words and weekdays: merged into an explicit date right after them, else resolved
    against the publication date (a weekday: the latest such day on or before it)."""
    for name in ("rel", "wd"):
        for m in pat["re"][name].finditer(norm):
            s, e = m.start(), m.end()
            following = [f for f in found if f[0] >= e and norm[e:f[0]].strip(" ,،") == "" and f[2][:1] != "-"]
            if following:
                f = following[0]
                found.remove(f)
                found.append((s, f[1], f[2], f[3], False))
                continue
            if pub is None:
                continue
            if name == "rel":
                delta = pat["relative"][re.sub(r"\s+", " ", m.group("rel"))]
            else:
                delta = -((pub.weekday() - pat["weekdays"][m.group("wd")]) % 7)
            add(s, e, (pub + dt.timedelta(days=delta)).isoformat(), None, True)
