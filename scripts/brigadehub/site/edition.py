"""The site's two editions, Japanese at the root and English under en/: their words, names, dates and links.

Both editions have the same pages at the same paths under their prefix, so a link between two pages is the same
relative link in each. Feeds, open data and share cards are built once, at the site's root, for both: a link to one
of them from a page is made by Edition.shared(), which climbs out of the edition's prefix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from brigadehub.core import japan
from brigadehub.core.model import Brigade
from brigadehub.site import english
from brigadehub.site.words import Words


def relative(from_page: str, to: str) -> str:
    """Relative URL between two site paths written as 'brigades/x/' (directory URLs, as MkDocs makes them).

    What posixpath.relpath gives for such paths, at a tenth of its cost: a build at 1,000 brigades asks for
    85,000 of them, nearly all different, and relpath took 2 s of it.
    """
    source, target = [p for p in from_page.split("/") if p], [p for p in to.split("/") if p]
    common = 0
    while common < min(len(source), len(target)) and source[common] == target[common]:
        common += 1
    found = "/".join([".."] * (len(source) - common) + target[common:]) or "."
    return found + "/" if to.endswith("/") or not to else found


@dataclass(frozen=True)
class Edition:
    """One language of the site: lang, where its pages are under the site's root (prefix), and its words (t)."""

    lang: str
    prefix: str
    t: Words = field(compare=False)

    @classmethod
    def of(cls, lang: str, prefix: str) -> Edition:
        return cls(lang, prefix, Words(lang))

    @property
    def japanese(self) -> bool:
        return self.lang == "ja"

    def shared(self, page: str, target: str) -> str:
        """The link from a page of this edition ('brigades/x/') to a file built once for both ('feeds/all.ics')."""
        return relative(self.prefix + page, target)

    # --- names ---------------------------------------------------------------------------------------------

    def name(self, brigade: Brigade) -> str:
        return brigade.name.ja if self.japanese else english.brigade_name(brigade)

    def other_name(self, brigade: Brigade) -> tuple[str | None, str]:
        """The brigade's name in the other language, where it says more than the name shown, and its language."""
        if self.japanese:
            en = brigade.name.en
            return (en if en and en != brigade.name.ja else None), "en"
        shown = english.brigade_name(brigade)
        return (brigade.name.ja if brigade.name.ja not in shown else None), "ja"

    def region(self, region: japan.Region) -> str:
        """A region as a place: 中部地方, Chubu."""
        return self.t.say("region_name", name=region.name if self.japanese else region.name_en)

    def region_short(self, region: japan.Region) -> str:
        """A region's name where the list says it is one: 中部, Chubu."""
        return region.name if self.japanese else region.name_en

    def prefecture(self, prefecture: japan.Prefecture) -> str:
        return prefecture.name if self.japanese else prefecture.name_en

    def city(self, brigade: Brigade) -> str | None:
        location = brigade.location
        return (location.city if location else None) if self.japanese else english.city_name(location)

    def area(self, brigade: Brigade) -> str:
        """Where a brigade works, in a few words: 石川県 金沢市, Kanazawa, Ishikawa; or that it is not said."""
        if brigade.scope == "thematic" and not brigade.location:
            return self.t.thematic
        location, city = brigade.location, self.city(brigade)
        prefecture = japan.find_prefecture(location.prefecture) if location and location.prefecture else None
        if self.japanese:
            parts = [location.prefecture, city] if location else []
            return " ".join(p for p in parts if p) or self.t.no_area
        return ", ".join(p for p in (city, prefecture and self.prefecture(prefecture)) if p) or self.t.no_area

    def description(self, brigade: Brigade) -> dict | None:
        """The description to show and its language where it is not the page's; the Japanese page adds the English."""
        found = brigade.description
        if not found:
            return None
        if self.japanese:
            return {"text": found.ja, "lang": None, "also": found.en, "also_lang": "en"}
        return {"text": found.en or found.ja, "lang": None if found.en else "ja", "also": None, "also_lang": None}

    # --- dates -----------------------------------------------------------------------------------------------

    def date(self, moment: date, *, weekday: bool = False) -> str:
        """2026年12月12日（土）, Sat 12 Dec 2026; without the weekday, 2026年12月12日, 12 Dec 2026."""
        return self.t.say("date_weekday" if weekday else "date_day", **self._fields(moment.year, moment.month,
                                                                                    moment.day, moment.weekday()))

    def month(self, year: int, month: int, *, heading: bool = False, around: bool = False) -> str:
        """2026年12月, Dec 2026; as a heading, December 2026; around, 2018年3月ごろ, around Mar 2018."""
        key = "month_heading" if heading else "date_around" if around else "date_month"
        return self.t.say(key, **self._fields(year, month))

    def year(self, year: int) -> str:
        return self.t.say("date_year", year=year)

    def month_day(self, moment: date) -> str:
        """11月26日, 26 Nov."""
        return self.t.say("date_month_day", **self._fields(moment.year, moment.month, moment.day))

    def partial_date(self, value: str) -> str:
        """A date as precisely as a file gives it: 2025-12-09, 2025-12 or 2025."""
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 3:
            return self.date(date(*parts))
        return self.month(*parts) if len(parts) == 2 else self.year(parts[0])

    def _fields(self, year: int, month: int, day: int | None = None, weekday: int | None = None) -> dict:
        return {"year": year, "month_name": self.t.months[month - 1], "month_full": self.t.months_full[month - 1],
                "day": day, "weekday": self.t.weekdays[weekday] if weekday is not None else None}


JAPANESE = Edition.of("ja", "")
ENGLISH = Edition.of("en", "en/")
EDITIONS = (JAPANESE, ENGLISH)
