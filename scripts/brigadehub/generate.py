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

from . import exports, japan, pages
from .model import Brigade

# Everything generate writes lives in these folders of docs/, which git ignores; stale files there are removed.
GENERATED_DIRS = ("brigades", "prefectures", "regions", "map", "api", "generated", "assets/vendor")
VENDOR_FILES = (
    (xstatic.pkg.leaflet.BASE_DIR, ("leaflet.js", "leaflet.css", "images/layers.png", "images/layers-2x.png",
                                    "images/marker-icon.png", "images/marker-icon-2x.png", "images/marker-shadow.png"),
     "assets/vendor/leaflet"),
    (xstatic.pkg.leaflet_markercluster.BASE_DIR, ("leaflet.markercluster.js", "MarkerCluster.css",
                                                  "MarkerCluster.Default.css"), "assets/vendor/leaflet-markercluster"),
)


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
        attribution=tiles["attribution"], today=today, extra=config.get("extra", {}),
    )


def render_outputs(brigades: Sequence[Brigade], site: pages.Site) -> dict[str, bytes]:
    """Return every generated file as {path under docs/: content}."""
    texts = {
        "brigades/index.md": pages.render_directory(brigades, site),
        "prefectures/index.md": pages.render_prefectures_index(brigades, site),
        "map/index.md": pages.render_map_page(brigades, site),
        "generated/home-stats.md": pages.render_home_stats(brigades),
        "generated/join-links.md": pages.render_join_links(site),
    }
    texts.update({f"brigades/{b.id}.md": pages.render_brigade_page(b, site) for b in brigades})
    texts.update({f"prefectures/{p.slug}.md": pages.render_prefecture_page(p, brigades, site)
                  for p in japan.prefectures()})
    texts.update({f"regions/{r.slug}.md": pages.render_region_page(r, brigades, site) for r in japan.regions()})
    outputs = {path: content.encode("utf-8") for path, content in texts.items()}
    outputs.update({
        "api/brigades.json": exports.render_json(brigades, site.site_url),
        "api/brigades.geojson": exports.render_geojson(brigades, site.site_url),
        "api/brigades.csv": exports.render_csv(brigades, site.site_url),
        "api/brigade.schema.json": exports.render_schema(),
    })
    outputs.update(vendor_assets())
    return outputs


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
