"""Every file the site stage generates, path by path: pages from templates, feeds, open data and Leaflet.

Each page is rendered once for each edition: the Japanese at its path, the English at en/ and the same path. Feeds,
open data, share cards and Leaflet are built once, at the root, for both; the English edition's folder gets its
own copy of the site's stylesheet, script and Leaflet, because MkDocs copies only the folder it builds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster

from brigadehub.core import japan
from brigadehub.core.model import Brigade, Event
from brigadehub.events import feeds, gather
from brigadehub.site import beside, cards, event_pages, exports, pages, stats, status, towns
from brigadehub.site.config import Site
from brigadehub.site.edition import EDITIONS, ENGLISH, JAPANESE, Edition
from brigadehub.site.event_pages import Directory, feed_name, feed_path, feed_subscription
from brigadehub.site.render import render

VENDOR_FILES = (
    (xstatic.pkg.leaflet.BASE_DIR, ("leaflet.js", "leaflet.css", "images/layers.png", "images/layers-2x.png",
                                    "images/marker-icon.png", "images/marker-icon-2x.png", "images/marker-shadow.png"),
     "assets/vendor/leaflet"),
    (xstatic.pkg.leaflet_markercluster.BASE_DIR, ("leaflet.markercluster.js", "MarkerCluster.css",
                                                  "MarkerCluster.Default.css"), "assets/vendor/leaflet-markercluster"),
)
# The site's own assets, hand-written in docs/, which an edition in a folder of its own needs a copy of.
SITE_ASSETS = ("assets/stylesheets/brigadehub.css", "assets/javascripts/brigadehub.js")
# Hand-written pages already in English (the developers' notes): the English edition's twins are copies of them.
ENGLISH_ALREADY = ("architecture.md", "benchmarks.md")
# The feeds are built once, named in Japanese; the English page says what a calendar app will show.
FEEDS = JAPANESE


@dataclass(frozen=True)
class Reports:
    """What fetch and linkcheck last reported, for the status page; None where a report is missing."""

    fetch: dict | None = None
    links: dict | None = None


def render_outputs(brigades: Sequence[Brigade], site: Site, all_events: Sequence[Event] = (),
                   reports: Reports = Reports(),
                   previous: Callable[[str], bytes | None] = lambda path: None, *, docs: Path,
                   directory_limit: int = pages.DIRECTORY_LIMIT,
                   map_limit: int = pages.AREA_MAP_LIMIT, parallel: bool = False,
                   editions: Sequence[Edition] = EDITIONS, shared: bool = True) -> dict[str, bytes]:
    """Return every generated file as {path under docs/: content}; previous(path) reads what the last build wrote,
    for the share cards, which are kept when drawn from the same inputs; docs is the folder of the hand-written
    pages and assets, which the English edition's folder gets copies of. directory_limit: the brigades the
    directory lists on one page before it splits; map_limit: the points an area's map carries inline before it
    reads them from api/map.json (tests lower both). parallel: render the English pages and the feeds in a
    forked child while this process renders the rest (beside.run_beside); the files are the same either way.
    editions: whose pages to render (the English edition's come with its copies of the assets); shared: also the
    files built once for both, at the root (open data, feeds, cards, Leaflet). `make serve` renders the Japanese
    pages before its rebuild and the rest after it."""
    listing = Listing(brigades, all_events, site.today)
    finder = towns.Finder(brigades)
    tally = stats.Tally(listing.events, listing.directory)  # issue 12: the charts and sparklines count these
    limits = Limits(directory_limit, map_limit)

    def edition_pages(edition: Edition) -> dict[str, bytes]:
        texts = render_pages(edition, brigades, site, listing, finder, tally, reports, limits)
        return {edition.prefix + path: content.encode("utf-8") for path, content in texts.items()}

    def japanese_and_shared() -> tuple[dict[str, bytes], dict[str, bytes], dict[str, bytes]]:
        # ---- issue 12, item 7: a share card for each brigade and prefecture, drawn once for both editions ----
        return (edition_pages(JAPANESE), render_data(brigades, site, finder, directory_limit),
                cards.render_cards(brigades, cards.find_font(), previous))

    vendor = vendor_assets()
    copies = {ENGLISH.prefix + path: content for path, content in {**site_assets(docs), **vendor}.items()}
    if set(editions) != set(EDITIONS) or not shared:
        files = {path: content for edition in editions for path, content in edition_pages(edition).items()}
        files.update(copies if ENGLISH in editions else {})
        if shared:
            files.update({**render_data(brigades, site, finder, directory_limit), **listing.feeds(site), **vendor,
                          **cards.render_cards(brigades, cards.find_font(), previous)})
        return files
    # The nearest to even halves: at 1,000 brigades, the English pages 28.9 s of CPU and the feeds 9.6 s, against
    # the Japanese pages 25.0 s, the cards 6.8 s and the open data 0.5 s (each timed alone).
    (english, feed_files), (japanese, data, drawn) = beside.run_beside(
        lambda: (edition_pages(ENGLISH), listing.feeds(site)), japanese_and_shared, parallel)
    return {**japanese, **english, **data, **feed_files, **vendor, **copies, **drawn}


def render_data(brigades: Sequence[Brigade], site: Site, finder: towns.Finder, directory_limit: int
                ) -> dict[str, bytes]:
    """The open data, and the lists the pages' scripts read: the town finder, the map, a split directory."""
    data = {
        "api/brigades.json": exports.render_json(brigades, site.site_url),
        "api/brigades.geojson": exports.render_geojson(brigades, site.site_url),
        "api/brigades.csv": exports.render_csv(brigades, site.site_url),
        "api/brigade.schema.json": exports.render_schema(),
        "api/towns.json": exports.dump_compact(towns.town_index(finder)),
        pages.MAP_DATA: exports.dump_compact(pages.map_index(brigades)),
    }
    parts = pages.directory_parts(brigades, directory_limit)
    if parts:  # what the search of a split directory reads, in both editions
        data[pages.DIRECTORY_DATA] = exports.dump_compact(pages.directory_data(parts))
    return data


@dataclass(frozen=True)
class Limits:
    """Where the directory splits into parts and an area's map reads its points from api/map.json."""

    directory: int = pages.DIRECTORY_LIMIT
    map: int = pages.AREA_MAP_LIMIT


def render_pages(edition: Edition, brigades: Sequence[Brigade], site: Site, listing: Listing, finder: towns.Finder,
                 tally: stats.Tally, reports: Reports, limits: Limits = Limits()) -> dict[str, str]:
    """Every page and snippet of one edition, as {path within the edition: Markdown}."""
    texts = {
        "prefectures/index.md": render(edition, "prefectures.md", **pages.prefectures_index(edition, brigades)),
        "map/index.md": render(edition, "map.md", **pages.map_page(edition, brigades, site)),
        "generated/home-stats.md": render(edition, "home-stats.md",
                                          **pages.home_stats(edition, brigades, listing.activities)),
        "generated/home-events.md": render(edition, "home-events.md", events=event_pages.home_events(
            edition, listing.upcoming(), listing.directory)),
        "generated/join-links.md": render(edition, "join-links.md", buttons=pages.join_links(edition, site)),
        "generated/home-finder.md": render(edition, "home-finder.md", **pages.home_finder(edition)),
        "calendars/index.md": render(edition, "calendars.md", **event_pages.calendars_page(
            edition, brigades, site, feeds=FEEDS, directory_limit=limits.directory)),
        "status/index.md": render(edition, "status.md", **status.status_page(
            edition, brigades, listing.activities, site.today, reports.fetch, reports.links)),
        # issue 12, item 4: the statistics page
        "stats/index.md": render(edition, "stats.md", **tally.page(edition)),
    }
    # Each page in a folder of its own, named as its address is: links in raw HTML, written relative to the
    # address, then read the same relative to the source file, which is how Zensical reads them.
    texts.update({f"brigades/{b.id}/index.md": render(edition, "brigade.md", **pages.brigade_page(
                      edition, b, site, listing.brigade_section(edition, b, site), listing.activities[b.id]),
                      sparkline=tally.brigade_sparkline(b))
                  for b in brigades})
    texts.update({f"prefectures/{p.slug}/index.md": render_prefecture(edition, p, brigades, site, listing, finder,
                                                                       tally, limits.map)
                  for p in japan.prefectures()})
    texts.update({f"regions/{r.slug}/index.md": render_region(edition, r, brigades, site, listing, limits.map)
                  for r in japan.regions()})
    texts.update(listing.event_pages(edition))
    texts.update(render_directory(edition, brigades, listing.activities, limits.directory))
    return texts


def render_directory(edition: Edition, brigades: Sequence[Brigade], activities: dict[str, gather.Activity],
                     limit: int) -> dict[str, str]:
    """The directory: one page of every brigade, or past limit an index and a page for each part, whose search
    reads api/directory.json (issue 11)."""
    parts = pages.directory_parts(brigades, limit)
    if not parts:
        return {"brigades/index.md": render(edition, "directory.md",
                                            **pages.directory_page(edition, brigades, activities))}
    texts = {"brigades/index.md": render(edition, "directory-index.md",
                                         **pages.directory_index(edition, brigades, parts))}
    texts.update({f"{part.path}index.md": render(edition, "directory-part.md", **pages.directory_part_page(
        edition, part, parts, len(brigades), activities)) for part in parts})
    return texts


def render_prefecture(edition: Edition, prefecture: japan.Prefecture, brigades: Sequence[Brigade], site: Site,
                      listing: Listing, finder: towns.Finder, tally: stats.Tally,
                      map_limit: int = pages.AREA_MAP_LIMIT) -> str:
    section = listing.place_section(edition, prefecture, site)
    found = towns.prefecture_towns(edition, prefecture, finder)
    return render(edition, "prefecture.md", **pages.prefecture_page(edition, prefecture, brigades, site, section,
                                                                     found, map_limit=map_limit),
                  sparkline=tally.prefecture_sparkline(prefecture))


def render_region(edition: Edition, region: japan.Region, brigades: Sequence[Brigade], site: Site, listing: Listing,
                  map_limit: int = pages.AREA_MAP_LIMIT) -> str:
    return render(edition, "region.md", **pages.region_page(edition, region, brigades, site,
                                                             listing.place_section(edition, region, site),
                                                             map_limit=map_limit))


class Listing:
    """All events, cut the ways the pages and feeds need them: by brigade, prefecture, region, time."""

    def __init__(self, brigades: Sequence[Brigade], all_events: Sequence[Event], today: date):
        self.brigades, self.events, self.today = brigades, tuple(all_events), today
        self.directory = Directory.of(brigades, today)
        # Indexed once: looking each brigade's or place's events up in all of them made the build quadratic.
        self.own = gather.by_brigade(self.events)
        self.places = self.by_place(self.events)
        self.activities = {b.id: gather.activity(b, self.own.get(b.id, ()), today) for b in brigades}

    def upcoming(self, subset: Sequence[Event] | None = None) -> tuple[Event, ...]:
        return gather.upcoming_events(self.events if subset is None else subset, self.today)

    def past(self, subset: Sequence[Event] | None = None) -> tuple[Event, ...]:
        """Past events, newest first."""
        return tuple(reversed(gather.past_events(self.events if subset is None else subset, self.today)))

    def by_place(self, events: Sequence[Event]) -> dict[object, tuple[Event, ...]]:
        """The events of each prefecture and region, in their order: those whose host or a co-host is there."""
        found: dict[object, list[Event]] = {}
        for event in events:
            prefectures = self.directory.prefectures(event)
            for place in dict.fromkeys([*prefectures, *(p.region for p in prefectures)]):
                found.setdefault(place, []).append(event)
        return {place: tuple(chosen) for place, chosen in found.items()}

    def at(self, place) -> tuple[Event, ...]:
        """The events whose host or a co-host is in the prefecture or region."""
        return self.places.get(place, ())

    def brigade_section(self, edition: Edition, brigade: Brigade, site: Site) -> dict:
        own = self.own.get(brigade.id, ())
        feed = feed_subscription(edition, site, "brigades", brigade, feeds=FEEDS)
        return event_pages.events_section(edition, self.upcoming(own), self.past(own), pages.brigade_path(brigade),
                                          self.directory, feed, f"?brigade={brigade.id}")

    def place_section(self, edition: Edition, place, site: Site) -> dict:
        here = self.at(place)
        kind = "prefectures" if isinstance(place, japan.Prefecture) else "regions"
        page = pages.prefecture_path(place) if kind == "prefectures" else pages.region_path(place)
        feed = feed_subscription(edition, site, kind, place, feeds=FEEDS)
        return event_pages.events_section(edition, self.upcoming(here), self.past(here), page, self.directory, feed,
                                          f"?{kind.removesuffix('s')}={place.slug}", event_pages.AREA_UPCOMING)

    def years(self) -> dict[int, tuple[Event, ...]]:
        past = self.past()
        return {year: tuple(e for e in past if e.start.year == year) for year in sorted({e.start.year for e in past})}

    def event_pages(self, edition: Edition) -> dict[str, str]:
        """The listing of what is to come, a page per past year, and a page per month where those run long."""
        years, upcoming = self.years(), self.upcoming()
        index = event_pages.events_index(edition, upcoming, list(years), self.directory)
        texts = {"events/index.md": render(edition, "events.md", **index)}
        texts.update({f"{event_pages.year_path(year)}index.md": render(
            edition, "year.md", **event_pages.year_page(edition, year, chosen, self.directory))
            for year, chosen in years.items()})
        long_years = {year for year, chosen in years.items() if len(chosen) > event_pages.LIST_LIMIT}
        months = {(e.start.year, e.start.month) for e in self.past() if e.start.year in long_years}
        months |= {(e.start.year, e.start.month) for e in upcoming[event_pages.LIST_LIMIT:]}
        by_month: dict[tuple[int, int], list[Event]] = {}
        for event in self.events:
            by_month.setdefault((event.start.year, event.start.month), []).append(event)
        for year, month in sorted(months):
            chosen = by_month[(year, month)]
            texts.update({f"{path}index.md": render(edition, "month.md", **data) for path, data in
                          event_pages.month_pages(edition, year, month, chosen, self.directory).items()})
        return texts

    def feeds(self, site: Site) -> dict[str, bytes]:
        """Every feed, each holding one window of time (so all.ics is never emptier than an area's feed), and a
        one-event download for each event to come."""
        kept = feeds.window_events(self.events, self.today)
        chosen = {
            feed_path("all"): (feed_name(FEEDS, "all"), kept),
            feed_path("online"): (feed_name(FEEDS, "online"), [e for e in kept if e.online]),
        }
        places, own = self.by_place(kept), gather.by_brigade(kept)
        chosen.update({feed_path("regions", r.slug): (feed_name(FEEDS, "regions", r), places.get(r, ()))
                       for r in japan.regions()})
        chosen.update({feed_path("prefectures", p.slug): (feed_name(FEEDS, "prefectures", p), places.get(p, ()))
                       for p in japan.prefectures()})
        chosen.update({feed_path("brigades", b.id): (feed_name(FEEDS, "brigades", b), own.get(b.id, ()))
                       for b in self.brigades})
        writer = feeds.FeedWriter(self.today)
        rendered = {path: writer.calendar(name, FEEDS.t.say("feed_description", name=name), items,
                                          site.absolute("calendars/"), feeds.MAX_FEED_BYTES)
                    for path, (name, items) in chosen.items()}
        rendered.update({event_pages.event_ics_path(e): feeds.render_event_ics(e, writer)
                         for e in self.upcoming() if e.exact})
        return rendered


def site_assets(docs: Path) -> dict[str, bytes]:
    """The site's own stylesheet and script, and the pages written in English, as they are in docs/."""
    found = {path: (docs / path).read_bytes() for path in SITE_ASSETS}
    return found | {path: (docs / path).read_bytes() for path in ENGLISH_ALREADY if (docs / path).is_file()}


def vendor_assets() -> dict[str, bytes]:
    """Leaflet and its marker clusters, taken from their PyPI packages at build time and never committed."""
    return {f"{target}/{name}": (Path(base) / name).read_bytes()
            for base, names, target in VENDOR_FILES for name in names}
