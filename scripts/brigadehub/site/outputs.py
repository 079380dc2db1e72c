"""Every file the site stage generates, path by path: pages from templates, feeds, open data and Leaflet."""

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
from brigadehub.site import cards, event_pages, exports, pages, stats, status, towns
from brigadehub.site.config import Site
from brigadehub.site.event_pages import Directory, feed_path
from brigadehub.site.render import render

VENDOR_FILES = (
    (xstatic.pkg.leaflet.BASE_DIR, ("leaflet.js", "leaflet.css", "images/layers.png", "images/layers-2x.png",
                                    "images/marker-icon.png", "images/marker-icon-2x.png", "images/marker-shadow.png"),
     "assets/vendor/leaflet"),
    (xstatic.pkg.leaflet_markercluster.BASE_DIR, ("leaflet.markercluster.js", "MarkerCluster.css",
                                                  "MarkerCluster.Default.css"), "assets/vendor/leaflet-markercluster"),
)


@dataclass(frozen=True)
class Reports:
    """What fetch and linkcheck last reported, for the status page; None where a report is missing."""

    fetch: dict | None = None
    links: dict | None = None


def render_outputs(brigades: Sequence[Brigade], site: Site, all_events: Sequence[Event] = (),
                   reports: Reports = Reports(),
                   previous: Callable[[str], bytes | None] = lambda path: None, *,
                   directory_limit: int = pages.DIRECTORY_LIMIT,
                   map_limit: int = pages.AREA_MAP_LIMIT) -> dict[str, bytes]:
    """Return every generated file as {path under docs/: content}; previous(path) reads what the last build wrote,
    for the share cards, which are kept when drawn from the same inputs. directory_limit: the brigades the
    directory lists on one page before it splits; map_limit: the points an area's map carries inline before it
    reads them from api/map.json (tests lower both)."""
    listing = Listing(brigades, all_events, site.today)
    finder = towns.Finder(brigades)
    tally = stats.Tally(listing.events, listing.directory)  # issue 12: the charts and sparklines count these
    texts = {
        "prefectures/index.md": render("prefectures.md", **pages.prefectures_index(brigades)),
        "map/index.md": render("map.md", **pages.map_page(brigades, site)),
        "generated/home-stats.md": render("home-stats.md", **pages.home_stats(brigades, listing.activities)),
        "generated/home-events.md": render("home-events.md",
                                           events=event_pages.home_events(listing.upcoming(), listing.directory)),
        "generated/join-links.md": render("join-links.md", buttons=pages.join_links(site)),
        "generated/home-finder.md": render("home-finder.md"),
        "calendars/index.md": render("calendars.md", **event_pages.calendars_page(brigades, site, directory_limit)),
        "status/index.md": render("status.md", **status.status_page(brigades, listing.activities, site.today,
                                                                     reports.fetch, reports.links)),
    }
    # Each page in a folder of its own, named as its address is: links in raw HTML, written relative to the
    # address, then read the same relative to the source file, which is how Zensical reads them.
    texts.update({f"brigades/{b.id}/index.md": render("brigade.md",
                                                      **pages.brigade_page(b, site, listing.brigade_section(b, site),
                                                                           listing.activities[b.id]),
                                                      sparkline=tally.brigade_sparkline(b))
                  for b in brigades})
    texts.update({f"prefectures/{p.slug}/index.md": render_prefecture(p, brigades, site, listing, finder, tally,
                                                                      map_limit)
                  for p in japan.prefectures()})
    texts.update({f"regions/{r.slug}/index.md": render_region(r, brigades, site, listing, map_limit)
                  for r in japan.regions()})
    texts.update(listing.event_pages())
    outputs = {path: content.encode("utf-8") for path, content in texts.items()}
    outputs.update(render_directory(brigades, listing.activities, directory_limit))
    outputs.update({
        "api/brigades.json": exports.render_json(brigades, site.site_url),
        "api/brigades.geojson": exports.render_geojson(brigades, site.site_url),
        "api/brigades.csv": exports.render_csv(brigades, site.site_url),
        "api/brigade.schema.json": exports.render_schema(),
        "api/towns.json": exports.dump_compact(towns.town_index(finder)),
        pages.MAP_DATA: exports.dump_compact(pages.map_index(brigades)),
    })
    outputs.update(listing.feeds(site))
    outputs.update(vendor_assets())
    # ---- issue 12, items 4 and 7: the statistics page, and a share card for each brigade and prefecture ----
    outputs["stats/index.md"] = render("stats.md", **tally.page()).encode("utf-8")
    outputs.update(cards.render_cards(brigades, cards.find_font(), previous))
    return outputs


def render_directory(brigades: Sequence[Brigade], activities: dict[str, gather.Activity],
                     limit: int) -> dict[str, bytes]:
    """The directory: one page of every brigade, or past limit an index, a page for each part, and the data its
    search reads (issue 11)."""
    parts = pages.directory_parts(brigades, limit)
    if not parts:
        return {"brigades/index.md": render("directory.md", **pages.directory_page(brigades, activities)).encode()}
    texts = {"brigades/index.md": render("directory-index.md", **pages.directory_index(brigades, parts))}
    texts.update({f"{part.path}index.md": render("directory-part.md", **pages.directory_part_page(
        part, parts, len(brigades), activities)) for part in parts})
    found = {path: text.encode("utf-8") for path, text in texts.items()}
    found[pages.DIRECTORY_DATA] = exports.dump_compact(pages.directory_data(parts))
    return found


def render_prefecture(prefecture: japan.Prefecture, brigades: Sequence[Brigade], site: Site, listing: Listing,
                      finder: towns.Finder, tally: stats.Tally, map_limit: int = pages.AREA_MAP_LIMIT) -> str:
    section, found = listing.place_section(prefecture, site), towns.prefecture_towns(prefecture, finder)
    return render("prefecture.md", **pages.prefecture_page(prefecture, brigades, site, section, found,
                                                           map_limit=map_limit),
                  sparkline=tally.prefecture_sparkline(prefecture))


def render_region(region: japan.Region, brigades: Sequence[Brigade], site: Site, listing: Listing,
                  map_limit: int = pages.AREA_MAP_LIMIT) -> str:
    return render("region.md", **pages.region_page(region, brigades, site, listing.place_section(region, site),
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

    def brigade_section(self, brigade: Brigade, site: Site) -> dict:
        own = self.own.get(brigade.id, ())
        feed = event_pages.subscription(site, feed_path("brigades", brigade.id), brigade.name.ja)
        return event_pages.events_section(self.upcoming(own), self.past(own), pages.brigade_path(brigade),
                                          self.directory, feed, f"?brigade={brigade.id}")

    def place_section(self, place, site: Site) -> dict:
        here = self.at(place)
        kind = "prefectures" if isinstance(place, japan.Prefecture) else "regions"
        page = pages.prefecture_path(place) if kind == "prefectures" else pages.region_path(place)
        name = f"Brigade Hub {place.name}" + ("" if kind == "prefectures" else "地方")
        feed = event_pages.subscription(site, feed_path(kind, place.slug), name)
        return event_pages.events_section(self.upcoming(here), self.past(here), page, self.directory, feed,
                                          f"?{kind.removesuffix('s')}={place.slug}")

    def years(self) -> dict[int, tuple[Event, ...]]:
        past = self.past()
        return {year: tuple(e for e in past if e.start.year == year) for year in sorted({e.start.year for e in past})}

    def event_pages(self) -> dict[str, str]:
        """The listing of what is to come, a page per past year, and a page per month where those run long."""
        years, upcoming = self.years(), self.upcoming()
        index = event_pages.events_index(upcoming, list(years), self.directory)
        texts = {"events/index.md": render("events.md", **index)}
        texts.update({f"{event_pages.year_path(year)}index.md": render(
            "year.md", **event_pages.year_page(year, chosen, self.directory)) for year, chosen in years.items()})
        long_years = {year for year, chosen in years.items() if len(chosen) > event_pages.LIST_LIMIT}
        months = {(e.start.year, e.start.month) for e in self.past() if e.start.year in long_years}
        months |= {(e.start.year, e.start.month) for e in upcoming[event_pages.LIST_LIMIT:]}
        by_month: dict[tuple[int, int], list[Event]] = {}
        for event in self.events:
            by_month.setdefault((event.start.year, event.start.month), []).append(event)
        for year, month in sorted(months):
            chosen = by_month[(year, month)]
            texts.update({f"{path}index.md": render("month.md", **data) for path, data in
                          event_pages.month_pages(year, month, chosen, self.directory).items()})
        return texts

    def feeds(self, site: Site) -> dict[str, bytes]:
        """Every feed, each holding one window of time (so all.ics is never emptier than an area's feed), and a
        one-event download for each event to come."""
        kept = feeds.window_events(self.events, self.today)
        chosen = {
            feed_path("all"): ("Brigade Hub 全国のイベント", kept),
            feed_path("online"): ("Brigade Hub オンラインのイベント", [e for e in kept if e.online]),
        }
        places, own = self.by_place(kept), gather.by_brigade(kept)
        chosen.update({feed_path("regions", r.slug): (f"Brigade Hub {r.name}地方", places.get(r, ()))
                       for r in japan.regions()})
        chosen.update({feed_path("prefectures", p.slug): (f"Brigade Hub {p.name}", places.get(p, ()))
                       for p in japan.prefectures()})
        chosen.update({feed_path("brigades", b.id): (b.name.ja, own.get(b.id, ())) for b in self.brigades})
        writer = feeds.FeedWriter(self.today)
        rendered = {path: writer.calendar(name, f"{name}: Brigade Hub が集めたイベント", items,
                                          site.absolute("calendars/"), feeds.MAX_FEED_BYTES)
                    for path, (name, items) in chosen.items()}
        rendered.update({event_pages.event_ics_path(e): feeds.render_event_ics(e, writer)
                         for e in self.upcoming() if e.exact})
        return rendered


def vendor_assets() -> dict[str, bytes]:
    """Leaflet and its marker clusters, taken from their PyPI packages at build time and never committed."""
    return {f"{target}/{name}": (Path(base) / name).read_bytes()
            for base, names, target in VENDOR_FILES for name in names}
