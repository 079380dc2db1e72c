"""Turn Brigade objects into the plain data each directory page's template needs: brigades, areas, the map, home.

Nothing here writes HTML: templates in site/templates/ do, and they escape every value. Each function makes the
data of one edition (site/edition.py), whose words and names it uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from brigadehub.core import japan
from brigadehub.core.model import Brigade
from brigadehub.events import gather
from brigadehub.site.config import Site
from brigadehub.site.edition import JAPANESE, Edition, relative  # noqa: F401 - relative: pages.relative as before

# The Japanese words, for what is drawn once for both editions (site/cards.py).
STATUS_LABELS = JAPANESE.t.statuses


# --- paths -------------------------------------------------------------------------------------------------


def brigade_path(brigade: Brigade) -> str:
    return f"brigades/{brigade.id}/"


def prefecture_path(prefecture: japan.Prefecture) -> str:
    return f"prefectures/{prefecture.slug}/"


def region_path(region: japan.Region) -> str:
    return f"regions/{region.slug}/"


def prefecture_of(brigade: Brigade) -> japan.Prefecture | None:
    name = brigade.location.prefecture if brigade.location else None
    return japan.find_prefecture(name) if name else None


# --- what every page says of a brigade -----------------------------------------------------------------------


def english_name(brigade: Brigade) -> str | None:
    return brigade.name.en if brigade.name.en and brigade.name.en != brigade.name.ja else None


def area_text(brigade: Brigade) -> str:
    """Where a brigade works, in Japanese (the share cards and open data say it so)."""
    return JAPANESE.area(brigade)


def brigade_links(brigade: Brigade, edition: Edition = JAPANESE) -> list[tuple[str, str]]:
    """Every link of a brigade as (label, URL), labelled in the edition's words (the open data's are Japanese)."""
    return [(edition.t.website if field == "links.website" else label, url)
            for field, label, url in brigade.links.addresses()]


def search_terms(brigade: Brigade) -> list[str]:
    """Words that should find a brigade: its names, kana and romaji of its area, and its id."""
    terms = [brigade.name.ja, brigade.name.en or "", brigade.name.kana or "", brigade.id.replace("-", " ")]
    terms += [brigade.location.city_en] if brigade.location and brigade.location.city_en else []
    prefecture = prefecture_of(brigade)
    if prefecture:
        # Not the region's name: 沖縄 must find Okinawa's brigades, not all eight of 九州・沖縄.
        terms += [prefecture.name, prefecture.kana, prefecture.name_en]
    location = brigade.location
    if location and location.city:
        terms.append(location.city)
        town = japan.find_municipality(location.prefecture, location.city) if location.prefecture else None
        terms += [town.kana, town.romaji] if town else []
    terms += [location.area] if location and location.area else []
    return [t for t in terms + list(brigade.tags) if t]


def sort_brigades(brigades: Iterable[Brigade]) -> list[Brigade]:
    """Order by prefecture code, then name: the order people expect from a Japanese list."""
    def key(brigade: Brigade):
        prefecture = prefecture_of(brigade)
        return (prefecture.code if prefecture else 99, brigade.name.ja.casefold(), brigade.id)

    return sorted(brigades, key=key)


def status_of(edition: Edition, brigade: Brigade) -> dict:
    return {"key": brigade.status, "label": edition.t.statuses[brigade.status]}


def card(edition: Edition, brigade: Brigade, from_page: str) -> dict:
    """A brigade as one line of a list: name, its name in the other language, status and area, linked to its page."""
    other, other_lang = edition.other_name(brigade)
    return {"name": edition.name(brigade), "other": other, "other_lang": other_lang,
            "href": relative(from_page, brigade_path(brigade)), "status": status_of(edition, brigade),
            "area": edition.area(brigade)}


def cards(edition: Edition, brigades: Iterable[Brigade], from_page: str) -> list[dict]:
    return [card(edition, b, from_page) for b in brigades]


def map_point(edition: Edition, brigade: Brigade, from_page: str) -> dict | None:
    coordinates = brigade.location.coordinates if brigade.location else None
    if not coordinates:
        return None
    return {
        "name": edition.name(brigade), "en": edition.other_name(brigade)[0] or "", "status": brigade.status,
        "statusLabel": edition.t.statuses[brigade.status], "lat": coordinates.lat, "lon": coordinates.lon,
        "precision": coordinates.precision, "precisionLabel": edition.t.precisions[coordinates.precision],
        "href": relative(from_page, brigade_path(brigade)), "area": edition.area(brigade),
    }


# Points an area page's map carries inline, about 50 KB of the page; an area with more (関東 had 1,009 at 3,000
# brigades, 518 KB of its page) has its map read them from MAP_DATA, keeping those of the area.
AREA_MAP_LIMIT = 100
MAP_DATA = "api/map.json"


def map_of(edition: Edition, brigades: Iterable[Brigade], site: Site, from_page: str, size: str = "", *,
           area: tuple[str, str] | None = None, limit: int = AREA_MAP_LIMIT) -> dict | None:
    """A Leaflet map of the brigades that have coordinates; None when none has. area: (field, value) of MAP_FIELDS
    that the points of an area page's map share, which reads them from MAP_DATA when they are more than limit."""
    points = [p for p in (map_point(edition, b, from_page) for b in brigades) if p]
    if not points:
        return None
    found = {"size": size, "tiles": site.tiles, "attribution": site.attribution}
    if area and len(points) > limit:
        return {**found, "src": edition.shared(from_page, MAP_DATA), "pages": _pages(edition, from_page),
                "field": area[0], "value": area[1]}
    return {**found, "points": points}


def map_index(brigades: Sequence[Brigade]) -> dict:
    """api/map.json: the big map's points, which the map page's script fetches rather than carrying inline, and
    large areas' maps keep their own of.

    Inlined as an escaped attribute they made the map page 508 KB at 1,000 brigades (issue 11). Points are rows of
    MAP_FIELDS, with the labels looked up by key and the addresses as site paths, as in api/towns.json.
    """
    rows = []
    for brigade in sort_brigades(brigades):
        # "": addresses from the site's root. Built once, in Japanese; the script says the labels in the page's words.
        point, prefecture = map_point(JAPANESE, brigade, ""), prefecture_of(brigade)
        if point:
            rows.append([point[field] for field in MAP_FIELDS[:-2]]
                        + [prefecture.region.slug if prefecture else "", prefecture.slug if prefecture else ""])
    return {"version": 1, "fields": MAP_FIELDS, "points": rows, "statuses": STATUS_LABELS,
            "precisions": JAPANESE.t.precisions}


MAP_FIELDS = ["name", "en", "status", "lat", "lon", "precision", "area", "href", "region", "prefecture"]


# --- brigade page ------------------------------------------------------------------------------------------


def activity_of(edition: Edition, found: gather.Activity | None) -> dict:
    found = found or gather.Activity("none")
    return {"key": found.label, "label": edition.t.activities[found.label], "last": found.last or "",
            "last_text": edition.partial_date(found.last) if found.last else "",
            "basis": edition.t.activity_basis.get(found.basis, "")}


def brigade_page(edition: Edition, brigade: Brigade, site: Site, events: dict | None = None,
                 activity: gather.Activity | None = None) -> dict:
    page = brigade_path(brigade)
    location = brigade.location
    coordinates = location.coordinates if location else None
    unconfirmed = brigade.status == "unknown" or not brigade.confirmed_on
    t, name = edition.t, edition.name(brigade)
    other, other_lang = edition.other_name(brigade)
    return {
        "title": name, "search_boost": 2,
        "description": _description(edition, brigade),
        "json_ld": organization(edition, brigade, site),
        "brigade": brigade, "other_name": other, "other_lang": other_lang, "status": status_of(edition, brigade),
        "area": _area(edition, brigade, page), "about": edition.description(brigade),
        "cfj_label": t.cfj[brigade.code_for_japan.status] if brigade.code_for_japan else None,
        "edit_url": site.edit_url(brigade.id), "guide": relative(page, "join/") if unconfirmed else None,
        "report_url": site.report_url(brigade.id), "join": _join(edition, brigade, events),
        "links": [{"label": label, "url": url, "short": _short(url)} for label, url in brigade_links(brigade, edition)],
        "map": map_of(edition, [brigade], site, page, size="small"),
        "events": events, "activity": activity_of(edition, activity),
        "evidence": [{**a.model_dump(), "day": edition.partial_date(a.date)} for a in brigade.activity],
        "inferred_place": bool(location and location.basis == "inferred-from-name"),
        "precision": t.precisions[coordinates.precision] if coordinates else None,
        "coordinates_source": coordinates.source if coordinates else None,
    }


def _description(edition: Edition, brigade: Brigade) -> str:
    """The page's description for search engines and share cards: its name, where it works and its status."""
    t, area = edition.t, edition.area(brigade)
    kind = "_thematic" if area == t.thematic else "_unplaced" if area == t.no_area else ""
    return t.say("brigade_description" + kind, area=area, name=edition.name(brigade),
                 status=t.statuses[brigade.status])


# Where to sign up for a meeting, best first: the event platforms, then the brigade's own site.
JOIN_FIELDS = ("links.connpass", "links.doorkeeper", "links.meetup", "links.website", "links.facebook")


def _join(edition: Edition, brigade: Brigade, events: dict | None) -> dict:
    """How to take part: the next event if one is known, else where the brigade announces its meetings."""
    upcoming = (events or {}).get("upcoming") or []
    addresses = {field: (edition.t.website if field == "links.website" else label, url)
                 for field, label, url in brigade.links.addresses()}
    places = [{"label": addresses[f][0], "url": addresses[f][1]} for f in JOIN_FIELDS if f in addresses]
    return {"next": upcoming[0]["events"][0] if upcoming else None, "places": places[:2]}


def _area(edition: Edition, brigade: Brigade, page: str) -> dict:
    """The brigade's region › prefecture city (area), linked where there is a page; else a plain text."""
    prefecture = prefecture_of(brigade)
    if not prefecture:
        return {"region": None, "text": edition.area(brigade)}
    location = brigade.location
    rest = [p for p in (edition.city(brigade), location.area and edition.t.say("area_note", area=location.area)) if p]
    return {"region": edition.region(prefecture.region), "region_href": relative(page, region_path(prefecture.region)),
            "prefecture": edition.prefecture(prefecture),
            "prefecture_href": relative(page, prefecture_path(prefecture)), "rest": rest}


def _short(url: str) -> str:
    """An address as people read it: no scheme, no www., no trailing slash."""
    return url.split("://", 1)[-1].removeprefix("www.").rstrip("/")


def organization(edition: Edition, brigade: Brigade, site: Site) -> dict:
    """schema.org Organization data for search engines, named as the edition names it; the address as written."""
    data: dict = {"@context": "https://schema.org", "@type": "Organization", "name": edition.name(brigade),
                  "url": site.absolute(edition.prefix + brigade_path(brigade))}
    other = edition.other_name(brigade)[0]
    if other:
        data["alternateName"] = other
    if brigade.description:
        data["description"] = edition.description(brigade)["text"]
    # Every address in a brigade file is http(s) by the model's own pattern.
    same_as = [url for _, url in brigade_links(brigade)]
    if same_as:
        data["sameAs"] = same_as
    if brigade.location and brigade.location.prefecture:
        address = {"@type": "PostalAddress", "addressCountry": "JP", "addressRegion": brigade.location.prefecture}
        if brigade.location.city:
            address["addressLocality"] = brigade.location.city
        data["address"] = address
    if brigade.founded:
        data["foundingDate"] = brigade.founded
    return data


# --- the directory -----------------------------------------------------------------------------------------

# Rows one page of the directory lists. A row is about 540 bytes at 1,000 brigades (420 on the real data): 600 make
# about 330 KB, and with the theme's 40-60 KB the page keeps under the 500 KB a page may weigh (issue 11), with room
# for long names and many tags. Past it the directory lists by region, and a region past it in numbered parts.
DIRECTORY_LIMIT = 600
DIRECTORY_DATA = "api/directory.json"  # what the search of a split directory reads: every brigade, and its part
ELSEWHERE = "elsewhere"  # the part of the brigades with no prefecture: those whose area no source gives, and themes
# core/model.RESERVED_IDS keeps these names, and "index", from brigade ids: they are pages beside the brigades'.
DIRECTORY_PART_NAMES = frozenset({ELSEWHERE, *(r.slug for r in japan.regions())})


@dataclass(frozen=True)
class DirectoryPart:
    """One page of a directory too long for one: a region's brigades, or a numbered part of them."""

    slug: str  # a region's, or ELSEWHERE
    name: str
    number: int
    of: int
    brigades: tuple[Brigade, ...]

    @property
    def path(self) -> str:
        """brigades/kanto/, and brigades/kanto/2/ for a region's further parts (as month_path numbers them)."""
        return f"brigades/{self.slug}/" + (f"{self.number}/" if self.number > 1 else "")

    @property
    def label(self) -> str:
        return self.name + (f" {self.number}" if self.of > 1 else "")


def directory_parts(brigades: Sequence[Brigade], limit: int = DIRECTORY_LIMIT) -> list[DirectoryPart]:
    """The directory's parts, or none when every brigade fits one page.

    By region, as a visitor looks for a brigade near them and as the region pages already group them; a region of
    more than `limit` in parts of `limit`, in the directory's order; the brigades with no prefecture last. A part's
    name is the Japanese one, as api/directory.json gives it; part_name() says it in an edition's words.
    """
    if len(brigades) <= limit:
        return []
    groups: dict[str, list[Brigade]] = {}
    for brigade in sort_brigades(brigades):
        prefecture = prefecture_of(brigade)
        groups.setdefault(prefecture.region.slug if prefecture else ELSEWHERE, []).append(brigade)
    parts = []
    for slug in [*(r.slug for r in japan.regions()), ELSEWHERE]:
        here = groups.get(slug, [])
        chunks = [tuple(here[i:i + limit]) for i in range(0, len(here), limit)]
        parts += [DirectoryPart(slug, _part_name(JAPANESE, slug), n, len(chunks), chunk)
                  for n, chunk in enumerate(chunks, 1)]
    return parts


def _part_name(edition: Edition, slug: str) -> str:
    region = next((r for r in japan.regions() if r.slug == slug), None)
    return edition.region(region) if region else edition.t.say("elsewhere_heading", no_area=edition.t.no_area)


def part_name(edition: Edition, part: DirectoryPart, *, numbered: bool = False) -> str:
    """A part's region (or the rest) in the edition's words; numbered, with its number when its region has several."""
    return _part_name(edition, part.slug) + (f" {part.number}" if numbered and part.of > 1 else "")


def directory_page(edition: Edition, brigades: Sequence[Brigade],
                   activities: dict[str, gather.Activity] | None = None) -> dict:
    page = "brigades/"
    ordered = sort_brigades(brigades)
    found = activities or {}
    return {"title": edition.t.directory_title,
            "description": edition.t.say("directory_description", n=len(ordered)),
            "count": len(ordered), "rows": [_directory_row(edition, b, page, found.get(b.id)) for b in ordered],
            "regions": [(r.slug, edition.region_short(r)) for r in japan.regions()],
            "prefectures": [(p.slug, edition.prefecture(p)) for p in japan.prefectures()],
            "statuses": list(edition.t.statuses.items()),
            "tags": [(t, t) for t in sorted({t for b in brigades for t in b.tags})],
            **_town_answers(edition, page)}


def _pages(edition: Edition, page: str) -> str | None:
    """For a script that reads a shared file (api/*.json), whose addresses are from the site's root: where the
    edition's pages are, when they are not there (the English edition's, under en/)."""
    return relative(page, "") if edition.prefix else None


def _town_answers(edition: Edition, page: str) -> dict:
    """Where a directory page's script finds towns and the edition's pages."""
    return {"towns": edition.shared(page, "api/towns.json"), "pages": _pages(edition, page)}


def directory_index(edition: Edition, brigades: Sequence[Brigade], parts: Sequence[DirectoryPart]) -> dict:
    """The directory's first page when it is split: a search of every brigade, and the parts."""
    page = "brigades/"
    return {"title": edition.t.directory_title,
            "description": edition.t.say("directory_description", n=len(brigades)),
            "count": len(brigades), "parts": part_links(edition, parts, page, None),
            "data": edition.shared(page, DIRECTORY_DATA), "labels": _part_labels(edition, parts),
            **_town_answers(edition, page)}


def _part_labels(edition: Edition, parts: Sequence[DirectoryPart]) -> list[str]:
    """The parts' names in the edition's words, for its search's answers (api/directory.json has the Japanese)."""
    return [part_name(edition, part, numbered=True) for part in parts]


def directory_part_page(edition: Edition, part: DirectoryPart, parts: Sequence[DirectoryPart], total: int,
                        activities: dict[str, gather.Activity] | None = None) -> dict:
    """One part of a split directory: its rows and filters as on the single page, and links to the other parts."""
    page, found, t = part.path, activities or {}, edition.t
    region = next((r for r in japan.regions() if r.slug == part.slug), None)
    name = part_name(edition, part)
    title = t.say("region_title", name=name) + (t.say("month_part", part=part.number, parts=part.of)
                                                if part.of > 1 else "")
    return {"title": title, "description": t.say("part_description", name=name),
            "heading": title, "count": len(part.brigades), "total": total, "up": relative(page, "brigades/"),
            "parts": part_links(edition, parts, page, part),
            "numbers": [{"part": p.number, "href": relative(page, p.path), "current": p == part}
                        for p in parts if p.slug == part.slug] if part.of > 1 else [],
            "rows": [_directory_row(edition, b, page, found.get(b.id)) for b in part.brigades],
            "prefectures": [(p.slug, edition.prefecture(p)) for p in japan.prefectures()
                            if region and p.region == region],
            "statuses": list(t.statuses.items()),
            "tags": [(t, t) for t in sorted({t for b in part.brigades for t in b.tags})],
            "data": edition.shared(page, DIRECTORY_DATA), "part_index": parts.index(part),
            "labels": _part_labels(edition, parts), **_town_answers(edition, page)}


def part_links(edition: Edition, parts: Sequence[DirectoryPart], page: str,
               current: DirectoryPart | None) -> list[dict]:
    """Each region (or the rest) once, with its count, and its numbered parts when it has several."""
    found: dict[str, dict] = {}
    for part in parts:
        entry = found.setdefault(part.slug, {"name": part_name(edition, part), "count": 0,
                                             "href": relative(page, part.path), "current": False, "numbers": []})
        entry["count"] += len(part.brigades)
        entry["current"] = entry["current"] or part == current
        if part.of > 1:
            entry["numbers"].append({"part": part.number, "href": relative(page, part.path),
                                     "current": part == current})
    return list(found.values())


def directory_data(parts: Sequence[DirectoryPart]) -> dict:
    """api/directory.json: every brigade's name, area, words to find it by (each once; the script adds the area)
    and part, for the search of a split directory; rows of DIRECTORY_FIELDS, addresses from the site's root, as in
    api/towns.json. Built once, in Japanese; the English page's script shows the English name where there is one."""
    rows = [[b.name.ja, english_name(b) or "", area_text(b), brigade_path(b), i,
             " ".join(dict.fromkeys(search_terms(b)))] for i, part in enumerate(parts) for b in part.brigades]
    return {"version": 1, "fields": DIRECTORY_FIELDS, "brigades": rows,
            "parts": [{"label": part.label, "href": part.path} for part in parts]}


DIRECTORY_FIELDS = ["name", "en", "area", "href", "part", "search"]


def _directory_row(edition: Edition, brigade: Brigade, page: str, activity: gather.Activity | None) -> dict:
    prefecture = prefecture_of(brigade)
    data = {"region": prefecture.region.slug if prefecture else "",
            "prefecture": prefecture.slug if prefecture else "",
            # A tag holds no comma (model.TAG_PATTERN); a tab, the old separator, became spaces in Markdown.
            "status": brigade.status, "tags": ",".join(brigade.tags), "search": " ".join(search_terms(brigade))}
    return {**card(edition, brigade, page), "data": data, "tags": brigade.tags,
            "activity": activity_of(edition, activity)}


# --- prefectures and regions -------------------------------------------------------------------------------


def prefecture_page(edition: Edition, prefecture: japan.Prefecture, brigades: Sequence[Brigade], site: Site,
                    events: dict, towns: list[dict] | None = None, *, map_limit: int = AREA_MAP_LIMIT) -> dict:
    page = prefecture_path(prefecture)
    here = sort_brigades(b for b in brigades if prefecture_of(b) == prefecture)
    name, t = edition.prefecture(prefecture), edition.t
    # Its other names: the reading and the English name; on the English page, the Japanese name and its reading.
    also = [prefecture.kana, prefecture.name_en] if edition.japanese else [prefecture.name, prefecture.kana]
    return {"title": t.say("prefecture_title", name=name), "description": t.say("prefecture_description", name=name),
            "name": name, "also": also, "region": edition.region_short(prefecture.region),
            "region_href": relative(page, region_path(prefecture.region)),
            "brigades": cards(edition, here, page), "guide": relative(page, "join/"),
            "map": map_of(edition, here, site, page, size="small", area=("prefecture", prefecture.slug),
                          limit=map_limit),
            "events": events, "towns": towns or []}


def region_page(edition: Edition, region: japan.Region, brigades: Sequence[Brigade], site: Site, events: dict, *,
                map_limit: int = AREA_MAP_LIMIT) -> dict:
    page = region_path(region)
    here = sort_brigades(b for b in brigades if (p := prefecture_of(b)) and p.region == region)
    counts = [{"name": edition.prefecture(p), "href": relative(page, prefecture_path(p)), "count": _count_in(here, p)}
              for p in japan.prefectures() if p.region == region]
    name, t = edition.region(region), edition.t
    return {"title": t.say("region_title", name=name), "description": t.say("region_description", name=name),
            "name": name, "counts": counts, "brigades": cards(edition, here, page), "guide": relative(page, "join/"),
            "map": map_of(edition, here, site, page, area=("region", region.slug), limit=map_limit), "events": events}


def _count_in(brigades: Iterable[Brigade], prefecture: japan.Prefecture) -> int:
    return sum(prefecture_of(b) == prefecture for b in brigades)


def prefectures_index(edition: Edition, brigades: Sequence[Brigade]) -> dict:
    page = "prefectures/"
    regions = [{"name": edition.region_short(region), "href": relative(page, region_path(region)),
                "prefectures": [{"name": edition.prefecture(p), "href": relative(page, prefecture_path(p)),
                                 "count": _count_in(brigades, p)}
                                for p in japan.prefectures() if p.region == region]}
               for region in japan.regions()]
    elsewhere = sort_brigades(b for b in brigades if not prefecture_of(b))
    return {"title": edition.t.prefectures_title, "description": edition.t.prefectures_description,
            "regions": regions, "elsewhere": cards(edition, elsewhere, page)}


# --- the map and the home page -------------------------------------------------------------------------------


def map_page(edition: Edition, brigades: Sequence[Brigade], site: Site) -> dict:
    """The map of every brigade: its points are fetched from MAP_DATA (map_index), at every size, so that one code
    path draws it; the brigades without a place are listed here, as text."""
    page = "map/"
    ordered = sort_brigades(brigades)
    unplaced = [b for b in ordered if not (b.location and b.location.coordinates)]
    placed = len(ordered) - len(unplaced)
    big = {"size": "large", "tiles": site.tiles, "attribution": site.attribution,
           "src": edition.shared(page, MAP_DATA), "pages": _pages(edition, page)}
    return {"title": edition.t.map_title, "description": edition.t.map_description,
            "directory": relative(page, "brigades/"), "map": big if placed else None,
            "unplaced": cards(edition, unplaced, page)}


def home_stats(edition: Edition, brigades: Sequence[Brigade],
               activities: dict[str, gather.Activity] | None = None) -> dict:
    """Counts by what the records say and by the brigades' own word, and by region, for docs/index.md."""
    t = edition.t
    statuses = [(label, sum(b.status == key for b in brigades)) for key, label in t.statuses.items()]
    labels = [(activities or {}).get(b.id, gather.Activity("none")).label for b in brigades]
    records = [(label, labels.count(key)) for key, label in t.activities.items()]
    regions = [{"name": edition.region_short(region), "href": region_path(region),
                "count": sum(1 for b in brigades if (p := prefecture_of(b)) and p.region == region)}
               for region in japan.regions()]
    return {"total": len(brigades), "statuses": statuses, "records": records, "regions": regions,
            "elsewhere": sum(1 for b in brigades if not prefecture_of(b))}


def join_links(edition: Edition, site: Site) -> list[dict]:
    """The GitHub addresses of the form, the template and a new file, for the snippet in docs/join.md."""
    repo, t = site.repo_url.rstrip("/"), edition.t
    return [{"url": f"{repo}/issues/new?template=add-brigade.yml", "label": t.join_form, "primary": True},
            {"url": f"{repo}/new/main/brigades", "label": t.join_new_file, "primary": False},
            {"url": f"{repo}/blob/main/brigades/_template.yml", "label": t.join_template, "primary": False}]


def home_finder(edition: Edition) -> dict:
    """The town finder on the home page: its data is built once for both editions, at the site's root."""
    return {"towns_url": edition.shared("", "api/towns.json"), "prefectures_href": "prefectures/",
            "pages": _pages(edition, "")}
