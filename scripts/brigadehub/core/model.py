"""The shape of a brigade file: pydantic models that are also the source of brigades/schema.json."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from brigadehub.core import japan

TOKYO = ZoneInfo("Asia/Tokyo")
SCHEMA_VERSION = 1

# Patterns live here once: the schema shows them to editors, validate.py explains them.
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# Names the site gives its own pages beside the brigades' (brigades/index.md is the directory, and past 600
# brigades brigades/<region>/ and brigades/elsewhere/ are its parts); a brigade with one of these ids would replace
# that page. Reserved at every size, so that a file valid today stays valid as the directory grows.
# tests/test_outputs.py keeps this list and the site in step.
RESERVED_IDS = frozenset({"index", "elsewhere", *(region.slug for region in japan.regions())})
# Browsers read a backslash in a web address as a slash, so an address could show one host and open another.
URL_PATTERN = r"^https?://[^\s/?#@<>\"'\\]+(?:[/?#][^\s<>\"'\\]*)?$"
URL_LIMIT = 2000
EVENT_YEARS = (2000, 2100)
GITHUB_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9._-]{1,100})?$"
GROUP_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,62})$"
FACEBOOK_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9.-]*(?:/[A-Za-z0-9.-]+){0,2}$"
X_PATTERN = r"^[A-Za-z0-9_]{1,15}$"
KANA_PATTERN = r"^[\u3041-\u309f\u30a0-\u30ff\u3000 ・ー]+$"
# A place's name in Latin letters as sources write it: "Kanazawa", "Kusatsu City", "Aizuwakamatsu", "Ōita".
LATIN_PATTERN = r"^[A-Za-z\u00c0-\u024f](?:[A-Za-z\u00c0-\u024f .'’-]{0,58}[A-Za-z\u00c0-\u024f.])?$"
PARTIAL_DATE_PATTERN = r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$"
DATE_PATTERN = r"^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$"
TIME_PATTERN = r"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2}))?$"
TAG_PATTERN = r"^[^\s,<>\"'`]{1,30}$"
# Control characters, line and paragraph separators and bidirectional overrides: invisible, they can make a name
# read differently from what it says (CVE-2021-42574), and a line break lets one field spill into the next.
INVISIBLE = r"\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\u202a-\u202e\u2066-\u2069"
ONE_LINE_PATTERN = f"^[^\\t\\n{INVISIBLE}]*$"
TEXT_PATTERN = f"^[^{INVISIBLE}]*$"
# Links are stored as handles (DESIGN.md); these turn them into addresses.
PLATFORM_URLS = {
    "github": ("GitHub", "https://github.com/{}"),
    "connpass": ("connpass", "https://{}.connpass.com/"),
    "doorkeeper": ("Doorkeeper", "https://{}.doorkeeper.jp/"),
    "meetup": ("Meetup", "https://www.meetup.com/{}/"),
    "facebook": ("Facebook", "https://www.facebook.com/{}"),
    "x": ("X (Twitter)", "https://x.com/{}"),
}

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=ONE_LINE_PATTERN)]
LongLine = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000,
                                            pattern=ONE_LINE_PATTERN)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000, pattern=TEXT_PATTERN)]
Url = Annotated[str, StringConstraints(pattern=URL_PATTERN, max_length=500)]
BrigadeId = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=60)]
GitHubHandle = Annotated[str, StringConstraints(pattern=GITHUB_PATTERN)]
GroupHandle = Annotated[str, StringConstraints(pattern=GROUP_PATTERN)]
PartialDate = Annotated[str, StringConstraints(pattern=PARTIAL_DATE_PATTERN)]


def is_brigade_id(value: object) -> bool:
    """True for a name that may become brigades/<id>.yml and the page brigades/<id>/."""
    return isinstance(value, str) and bool(re.fullmatch(ID_PATTERN, value)) and value not in RESERVED_IDS


def web_address(value: object) -> str | None:
    """The value, trimmed, if it is an http(s) address of the one shape every address on the site keeps to.

    Brigade files are checked against URL_PATTERN by the schema; fetched and rendered addresses come here, so
    that javascript:, data: and the rest never reach a page, a feed or a snapshot.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    return text if len(text) <= URL_LIMIT and re.fullmatch(URL_PATTERN, text, re.IGNORECASE) else None


def _real_date(value: str) -> str:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("bad_date", "{value!r} is not a real date", {"value": value}) from None
    return value


IsoDate = Annotated[str, StringConstraints(pattern=DATE_PATTERN), AfterValidator(_real_date)]
Prefecture = Literal[japan.prefecture_names()]  # type: ignore[valid-type]


def _parse_time(value: object) -> date | datetime:
    """Read '2026-12-12' as a whole day and '2026-12-12T14:00:00+09:00' as a time in Tokyo."""
    if not isinstance(value, str):
        raise PydanticCustomError("time_type", "time_type", {"value": value})
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?", value):
        raise PydanticCustomError("time_zone", "time_zone", {"value": value})
    if not re.fullmatch(TIME_PATTERN, value):
        raise PydanticCustomError("time_format", "time_format", {"value": value})
    try:
        if "T" not in value:
            return _plausible(date.fromisoformat(value), value)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise PydanticCustomError("time_format", "time_format", {"value": value}) from None
    if moment.tzinfo is None:
        raise PydanticCustomError("time_zone", "time_zone", {"value": value})
    return _plausible(moment.astimezone(TOKYO), value)


def _plausible(moment: date, value: str) -> date:
    # A meeting in year 1 or 9999 is a typo, and a recurrence from it would be walked for thousands of years.
    if not EVENT_YEARS[0] <= moment.year <= EVENT_YEARS[1]:
        raise PydanticCustomError("time_range", "time_range", {"value": value})
    return moment


EventTime = Annotated[
    date | datetime,
    BeforeValidator(_parse_time),
    WithJsonSchema({"type": "string", "pattern": TIME_PATTERN, "examples": ["2026-12-12T14:00:00+09:00"]}),
]


class Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Names(Model):
    """名前 / names."""

    ja: Text = Field(description="日本語での正式名 (例: Code for Kanazawa, コード・フォー・イバラキ)")
    en: Text | None = Field(None, description="English name, e.g. Code for Kanazawa")
    kana: Annotated[str, StringConstraints(pattern=KANA_PATTERN, max_length=100)] | None = Field(
        None, description="よみがな (ひらがな・カタカナ), e.g. こーど ふぉー かなざわ"
    )


class Description(Model):
    ja: LongText = Field(description="活動の紹介 (日本語)")
    en: LongText | None = Field(None, description="Description in English")


class Coordinates(Model):
    # No ge/le bounds here: _inside_japan must see a swapped pair to name it.
    lat: float = Field(description="緯度 / latitude, 20–46 in Japan")
    lon: float = Field(description="経度 / longitude, 122–154.5 in Japan")
    precision: Literal["exact", "city", "prefecture"] = Field(
        description="exact: 活動拠点の位置 / city: 市区町村の位置 / prefecture: 都道府県の位置"
    )
    source: Text | None = Field(None, description="座標の出典 / where the coordinates come from")

    @model_validator(mode="after")
    def _inside_japan(self) -> Coordinates:
        if japan.in_japan(self.lat, self.lon):
            return self
        if japan.in_japan(self.lon, self.lat):
            raise PydanticCustomError("coords_swapped", "coords_swapped", {"lat": self.lat, "lon": self.lon})
        raise PydanticCustomError("coords_outside", "coords_outside", {"lat": self.lat, "lon": self.lon})


class Location(Model):
    prefecture: Prefecture | None = Field(None, description="47都道府県のいずれか (例: 石川県)")
    city: Text | None = Field(None, description="市区町村、または地域 (例: 金沢市, 会津地域)")
    # Romaji search finds a brigade by the English name its sources give (issue 12); kana come from japancode.
    city_en: Annotated[str, StringConstraints(pattern=LATIN_PATTERN)] | None = Field(
        None, description="市区町村のローマ字表記、出典の書くとおり / the city's name in Latin letters as a source "
                          "writes it (e.g. Kanazawa, Kusatsu City); where city is empty, the city a source placed "
                          "the brigade at"
    )
    area: Text | None = Field(None, description="活動地域の説明 (例: 道後平野中心に愛媛県圏域)")
    # One word for the whole place, not one per field: a city inferred from the name decides its prefecture too,
    # so the place is at most as certain as its finest part. The precision is what is filled in (a city, or the
    # prefecture alone) and coordinates.precision. Absent means evidence, so hand-written files need not say it.
    basis: Literal["evidence", "inferred-from-name"] = Field(
        "evidence",
        description="この場所の根拠 / how the place is known. evidence: 出典 (sources:) に書かれている、または"
                    "イベントの会場が示す / a source states it or events show the venue. inferred-from-name: "
                    "ブリゲード名が一つの市区町村 (または都道府県) だけを指すことからの推定 / the brigade's name names "
                    "exactly one municipality (or prefecture); say so in sources:",
    )
    coordinates: Coordinates | None = None

    @model_validator(mode="after")
    def _inferred_names_a_place(self) -> Location:
        if self.basis == "inferred-from-name" and not self.prefecture:
            raise PydanticCustomError("basis_without_place", "basis_without_place", {})
        return self


class OtherLink(Model):
    label: Text
    url: Url


class Links(Model):
    website: Url | None = Field(None, description="https://... のウェブサイト")
    github: GitHubHandle | None = Field(None, description="GitHub のアカウント名 (URL ではなく名前だけ)")
    connpass: GroupHandle | None = Field(None, description="connpass グループ名 (xxx.connpass.com の xxx)")
    doorkeeper: GroupHandle | None = Field(None, description="Doorkeeper グループ名 (xxx.doorkeeper.jp の xxx)")
    facebook: Annotated[str, StringConstraints(pattern=FACEBOOK_PATTERN)] | None = Field(
        None, description="facebook.com/ の後ろ (例: CodeForKanazawa, groups/CodeforIchikawa)"
    )
    x: Annotated[str, StringConstraints(pattern=X_PATTERN)] | None = Field(
        None, description="X (Twitter) のユーザー名 (@ なし)"
    )
    meetup: GroupHandle | None = Field(None, description="Meetup グループ名 (meetup.com/xxx の xxx)")
    other: list[OtherLink] = Field(default_factory=list, description="その他のリンク")

    def addresses(self) -> list[tuple[str, str, str]]:
        """Every link as (field, label, URL), handles rendered into the addresses a visitor would open."""
        found = [("links.website", "ウェブサイト", self.website)] if self.website else []
        for platform, (label, pattern) in PLATFORM_URLS.items():
            handle = getattr(self, platform)
            if handle:
                found.append((f"links.{platform}", label, pattern.format(handle)))
        found += [(f"links.other[{i}]", other.label, other.url) for i, other in enumerate(self.other)]
        return found


class ConnpassSource(Model):
    type: Literal["connpass"]
    group: GroupHandle = Field(description="connpass グループのサブドメイン")


class DoorkeeperSource(Model):
    type: Literal["doorkeeper"]
    group: GroupHandle = Field(description="Doorkeeper グループ名")


class MeetupSource(Model):
    type: Literal["meetup"]
    group: GroupHandle = Field(description="Meetup グループ名; its public iCal feed is read")


class IcalSource(Model):
    type: Literal["ical"]
    url: Url = Field(description="公開 iCal (.ics) の URL")


EventSource = Annotated[
    ConnpassSource | DoorkeeperSource | MeetupSource | IcalSource, Field(discriminator="type")
]


class HandEvent(Model):
    """An event kept by hand in the brigade file, for platforms that have no feed."""

    title: Text
    start: EventTime = Field(description='"2026-12-12T14:00:00+09:00"、終日なら "2026-12-12"')
    end: EventTime | None = Field(None, description="終了 (終日の場合は最終日)")
    place: Text | None = None
    address: Text | None = None
    online: bool = False
    url: Url | None = None
    description: LongText | None = None
    status: Literal["confirmed", "cancelled"] = "confirmed"
    co_hosts: list[BrigadeId] = Field(default_factory=list, description="共催ブリゲードの id")
    rrule: Annotated[str, StringConstraints(pattern=r"^FREQ=[A-Z]+(;[A-Z]+=[A-Za-z0-9,+-]+)*$")] | None = Field(
        None, description="定期開催: RFC 5545 RRULE, e.g. FREQ=MONTHLY;BYDAY=2TH;COUNT=12"
    )
    same_as: Url | None = Field(None, description="同じイベントの connpass などのページ (重複表示を防ぐ)")

    @model_validator(mode="after")
    def _end_after_start(self) -> HandEvent:
        if self.end is None:
            return self
        if isinstance(self.start, datetime) != isinstance(self.end, datetime):
            raise PydanticCustomError("end_kind", "end_kind", {})
        if self.end < self.start:
            raise PydanticCustomError("end_before_start", "end_before_start", {})
        return self


def _real_partial_date(value: str) -> str:
    return _real_date(value) if len(value) == 10 else value


class Activity(Model):
    """Dated evidence that the brigade was active, from a source other than the brigade's own word.

    Kept in the brigade's file like its other facts, each with its source, so that a brigade can correct or add
    to it in the same pull request; it never sets status, which only the brigade's confirmation does.
    """

    date: Annotated[str, StringConstraints(pattern=PARTIAL_DATE_PATTERN), AfterValidator(_real_partial_date)] = Field(
        description="いつ: YYYY, YYYY-MM または YYYY-MM-DD、出典がわかる精度のまま / when, only as precisely as the "
                    "source says"
    )
    finding: LongLine = Field(description="出典からわかること / what the source shows (例: 第90回定例会を開催)")
    source: LongLine = Field(
        description="出典: URL、またはリポジトリ・ファイル・コミットと、その引用 / where it is shown, with a quote"
    )


class CodeForJapan(Model):
    status: Literal["official", "preparing"] = Field(description="official: 公認 / preparing: 公認準備中")
    as_of: IsoDate = Field(description="その一覧の日付")


class Brigade(Model):
    """One brigade file, brigades/<id>.yml."""

    model_config = ConfigDict(title="Brigade Hub brigade file")

    id: BrigadeId = Field(description="ファイル名と同じ (例: code-for-kanazawa)")
    name: Names
    status: Literal["active", "dormant", "disbanded", "unknown"] = Field(
        description="active: 活動中 / dormant: 休止中 / disbanded: 解散 / unknown: 未確認"
    )
    status_since: PartialDate | None = Field(None, description="その状態になった時期 (YYYY, YYYY-MM, YYYY-MM-DD)")
    confirmed_on: IsoDate | None = Field(None, description="ブリゲード自身がこの内容を確認した日")
    scope: Literal["regional", "thematic"] = Field(
        "regional", description="regional: 地域のブリゲード / thematic: テーマ型 (location は不要)"
    )
    description: Description | None = None
    location: Location | None = None
    links: Links = Field(default_factory=Links)
    event_sources: list[EventSource] = Field(default_factory=list)
    events: list[HandEvent] = Field(default_factory=list)
    tags: list[Annotated[str, StringConstraints(pattern=TAG_PATTERN)]] = Field(default_factory=list)
    languages: list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]] = Field(
        default_factory=list, description="ISO 639-1 (例: ja, en)"
    )
    maintainers: list[GitHubHandle] = Field(default_factory=list, description="GitHub のアカウント名")
    founded: PartialDate | None = Field(None, description="設立 (YYYY, YYYY-MM, YYYY-MM-DD)")
    code_for_japan: CodeForJapan | None = Field(None, description="Code for Japan のブリゲード一覧での扱い")
    activity: list[Activity] = Field(
        default_factory=list,
        description="活動の記録: 日付と出典のある、活動していたことを示す事実 (新しい順)。status とは別 / dated "
                    "evidence of activity, newest first; kept apart from status",
    )
    notes: LongText | None = Field(None, description="補足")
    sources: list[LongLine] = Field(min_length=1, description="この内容の出典 (どこで確かめたか)")


def brigade_schema() -> dict:
    """Return the JSON Schema that editors use to complete and check brigade files."""
    schema = Brigade.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, said once: where, which field, what to write instead."""

    path: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.field}: {self.message}"


@dataclass(frozen=True)
class Event:
    """One event, from any source, with every time in Asia/Tokyo; pages and feeds read only this."""

    uid: str  # stable and derived from the source: "connpass-123", "doorkeeper-45", "hand-code-for-x-…"
    title: str
    start: datetime | date  # a date alone means a whole day
    end: datetime | date | None
    source: str  # connpass | doorkeeper | ical | meetup | hand | archive
    source_id: str
    host: str | None  # a brigade id; None for national events and hosts not in the directory
    host_name: str  # as the source names the host, shown when host is None
    co_hosts: tuple[str, ...] = ()
    place: str | None = None
    address: str | None = None
    online: bool = False
    url: str | None = None
    description: str = ""  # plain text, never HTML
    status: str = "confirmed"  # confirmed | cancelled
    updated: datetime | None = None
    # How much of the date is known: "time" and "day" are exact; "month", "year" and "around" (held near
    # that day, e.g. Open Data Day) are shown with their precision and never enter a feed.
    precision: str = "time"
    evidence: str = ""  # for archive events: the quoted source
    # For archive events, how the date was established (data/upstream/README.md): stated,
    # assumed-open-data-day, month, inferred or year; "inferred" dates are exact but worked out, say so.
    date_basis: str = ""

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)

    @property
    def exact(self) -> bool:
        return self.precision in {"time", "day"}
