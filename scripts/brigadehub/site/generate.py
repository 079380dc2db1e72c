"""Write the generated pages and files into docs/, touching only those whose content changed."""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
import yaml

from brigadehub.core import japan
from brigadehub.core.model import Brigade, Event
from brigadehub.events import feeds, gather
from brigadehub.site import event_pages, exports, pages, status
from brigadehub.site.event_pages import Directory, feed_path

# Everything generate writes lives in these folders of docs/, which git ignores; stale files there are removed.
GENERATED_DIRS = ("brigades", "prefectures", "regions", "map", "api", "generated", "assets/vendor", "events",
                  "calendars", "feeds", "status")
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


@dataclass(frozen=True)
class Written:
    changed: int
    unchanged: int
    removed: int


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as MkDocs does, enough to resolve `!ENV [NAME, default]`."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    *variables, default = names if len(names) > 1 else (*names, None)
    return next((os.environ[v] for v in variables if v in os.environ), default)


_ConfigLoader.add_constructor("!ENV", _env_tag)


def read_site(config_path: Path, today: date) -> pages.Site:
    """Read the addresses and map settings that pages need from mkdocs.yml."""
    config = yaml.load(config_path.read_text(encoding="utf-8"), Loader=_ConfigLoader)  # noqa: S506 - SafeLoader
    tiles = config.get("extra", {}).get("map", {})
    return pages.Site(
        site_url=config["site_url"], repo_url=config["repo_url"], tiles=tiles["tiles"],
        attribution=tiles["attribution"], today=today,
    )


def render_outputs(brigades: Sequence[Brigade], site: pages.Site, all_events: Sequence[Event] = (),
                   reports: Reports = Reports()) -> dict[str, bytes]:
    """Return every generated file as {path under docs/: content}."""
    listing = Listing(brigades, all_events, site.today)
    texts = {
        "brigades/index.md": pages.render_directory(brigades, site),
        "prefectures/index.md": pages.render_prefectures_index(brigades, site),
        "map/index.md": pages.render_map_page(brigades, site),
        "generated/home-stats.md": pages.render_home_stats(brigades),
        "generated/home-events.md": event_pages.render_home_events(listing.upcoming(), listing.directory),
        "generated/join-links.md": pages.render_join_links(site),
        "calendars/index.md": event_pages.render_calendars_page(brigades, site),
        "status/index.md": render_status(brigades, listing, site, reports),
    }
    texts.update({f"brigades/{b.id}.md": pages.render_brigade_page(b, site, listing.brigade_section(b))
                  for b in brigades})
    texts.update({f"prefectures/{p.slug}.md": pages.render_prefecture_page(p, brigades, site, listing.place_section(p))
                  for p in japan.prefectures()})
    texts.update({f"regions/{r.slug}.md": pages.render_region_page(r, brigades, site, listing.place_section(r))
                  for r in japan.regions()})
    texts.update(listing.event_pages())
    outputs = {path: content.encode("utf-8") for path, content in texts.items()}
    outputs.update({
        "api/brigades.json": exports.render_json(brigades, site.site_url),
        "api/brigades.geojson": exports.render_geojson(brigades, site.site_url),
        "api/brigades.csv": exports.render_csv(brigades, site.site_url),
        "api/brigade.schema.json": exports.render_schema(),
    })
    outputs.update(listing.feeds(site))
    outputs.update(vendor_assets())
    return outputs


class Listing:
    """All events, cut the ways the pages and feeds need them: by brigade, prefecture, region, time."""

    def __init__(self, brigades: Sequence[Brigade], all_events: Sequence[Event], today: date):
        self.brigades, self.events, self.today = brigades, tuple(all_events), today
        self.directory = Directory.of(brigades)

    def upcoming(self, subset: Sequence[Event] | None = None) -> tuple[Event, ...]:
        return gather.upcoming_events(self.events if subset is None else subset, self.today)

    def past(self, subset: Sequence[Event] | None = None) -> tuple[Event, ...]:
        """Past events, newest first."""
        return tuple(reversed(gather.past_events(self.events if subset is None else subset, self.today)))

    def places(self, event: Event) -> set:
        """The prefectures and regions of an event's host and co-hosts."""
        found = set()
        for brigade_id in (event.host, *event.co_hosts):
            prefecture = pages.prefecture_of(self.directory.brigades[brigade_id]) \
                if brigade_id in self.directory.brigades else None
            found |= {prefecture, prefecture.region} if prefecture else set()
        return found

    def at(self, place) -> tuple[Event, ...]:
        return tuple(e for e in self.events if place in self.places(e))

    def brigade_section(self, brigade: Brigade) -> str:
        own = gather.events_of(self.events, brigade.id)
        return event_pages.events_section(
            self.upcoming(own), self.past(own), pages.brigade_path(brigade), self.directory,
            feed_path("brigades", brigade.id), gather.last_event_date(self.events, brigade.id, self.today),
            gather.is_quiet(self.events, brigade.id, self.today))

    def place_section(self, place) -> str:
        here = self.at(place)
        kind = "prefectures" if isinstance(place, japan.Prefecture) else "regions"
        page = pages.prefecture_path(place) if kind == "prefectures" else pages.region_path(place)
        return event_pages.events_section(self.upcoming(here), self.past(here), page, self.directory,
                                          feed_path(kind, place.slug))

    def years(self) -> dict[int, tuple[Event, ...]]:
        past = self.past()
        return {year: tuple(e for e in past if e.start.year == year) for year in sorted({e.start.year for e in past})}

    def event_pages(self) -> dict[str, str]:
        years = self.years()
        texts = {"events/index.md": event_pages.render_events_index(self.upcoming(), list(years), self.directory)}
        texts.update({f"events/{year}.md": event_pages.render_year_page(year, chosen, self.directory)
                      for year, chosen in years.items()})
        return texts

    def feeds(self, site: pages.Site) -> dict[str, bytes]:
        """Every feed: national (kept to a window), online, each region, prefecture and brigade, each event."""
        national = feeds.window_events(self.events, self.today)
        chosen = {
            feed_path("all"): ("Brigade Hub 全国のイベント", national),
            feed_path("online"): ("Brigade Hub オンラインのイベント", [e for e in national if e.online]),
        }
        chosen.update({feed_path("regions", r.slug): (f"Brigade Hub {r.name}地方", self.at(r))
                       for r in japan.regions()})
        chosen.update({feed_path("prefectures", p.slug): (f"Brigade Hub {p.name}", self.at(p))
                       for p in japan.prefectures()})
        chosen.update({feed_path("brigades", b.id): (b.name.ja, gather.events_of(self.events, b.id))
                       for b in self.brigades})
        rendered = {path: feeds.render_bounded_calendar(name, f"{name}: Brigade Hub が集めたイベント", items,
                                                         site.site_url.rstrip("/") + "/calendars/")
                    for path, (name, items) in chosen.items()}
        rendered.update({event_pages.event_ics_path(e): feeds.render_event_ics(e) for e in self.events if e.exact})
        return rendered


def render_status(brigades: Sequence[Brigade], listing: Listing, site: pages.Site, reports: Reports) -> str:
    rows = (reports.fetch or {}).get("sources", [])
    quiet_sources = [{"brigade": r["brigade"], "source": f"{r['type']}:{r.get('group') or r.get('url')}",
                      "reason": r.get("reason") or ""} for r in rows if r.get("went_quiet")]
    quiet = {b.id: gather.last_event_date(listing.events, b.id, site.today) for b in brigades
             if gather.is_quiet(listing.events, b.id, site.today)}
    body = status.render_status_markdown(brigades, site.today, reports.links, quiet_sources, quiet,
                                         brigade_href="../brigades/{id}/", contributing_href="../join/")
    sources = event_pages.render_source_report(reports.fetch, listing.directory, "status/")
    return pages.front_matter("サイトの状態", "掲載情報とイベント情報源の自動チェックの結果") + body + "\n" + sources


def vendor_assets() -> dict[str, bytes]:
    """Leaflet and its marker clusters, taken from their PyPI packages at build time and never committed."""
    return {f"{target}/{name}": (Path(base) / name).read_bytes()
            for base, names, target in VENDOR_FILES for name in names}


def write_outputs(docs: Path, outputs: dict[str, bytes]) -> Written:
    """Write outputs under docs/, leave identical files alone, and delete generated files no longer produced."""
    changed = unchanged = 0
    for relative, content in sorted(outputs.items()):
        path = docs / relative
        if path.is_file() and path.read_bytes() == content:
            unchanged += 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        changed += 1
    return Written(changed, unchanged, _remove_stale(docs, set(outputs)))


def _remove_stale(docs: Path, keep: set[str]) -> int:
    removed = 0
    for folder in GENERATED_DIRS:
        for path in sorted((docs / folder).rglob("*"), reverse=True):
            relative = path.relative_to(docs).as_posix()
            if path.is_file() and relative not in keep:
                path.unlink()
                removed += 1
            elif path.is_dir() and not any(path.iterdir()):
                shutil.rmtree(path)
    return removed
