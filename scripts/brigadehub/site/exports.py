"""Render the open data downloads, api/brigades.json, .geojson and .csv, from Brigade objects."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from brigadehub.core.model import Brigade, brigade_schema
from brigadehub.site.pages import brigade_links, brigade_path, prefecture_of

FORMAT_VERSION = 1
LICENSE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/",
           "attribution": "Brigade Hub contributors"}
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = (
    "id", "name_ja", "name_en", "name_kana", "status", "status_since", "confirmed_on", "scope", "region",
    "prefecture", "prefecture_code", "city", "area", "lat", "lon", "precision", "website", "github", "connpass",
    "doorkeeper", "facebook", "x", "meetup", "tags", "founded", "page_url",
)


def brigade_record(brigade: Brigade, site_url: str) -> dict:
    """One brigade as open data: the file's facts plus the region, prefecture code and page address."""
    data = brigade.model_dump(mode="json", exclude_none=True, exclude={"events"})
    prefecture = prefecture_of(brigade)
    if prefecture:
        data["location"]["prefecture_code"] = f"{prefecture.code:02d}"
        data["location"]["region"] = prefecture.region.slug
    data["link_urls"] = [{"label": label, "url": url} for label, url in brigade_links(brigade)]
    data["page_url"] = site_url.rstrip("/") + "/" + brigade_path(brigade)
    return data


def _dump(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def dump_compact(data: object) -> bytes:
    """JSON for the site's own scripts: no indents, which would be a third of its size."""
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def render_json(brigades: Sequence[Brigade], site_url: str) -> bytes:
    records = [brigade_record(b, site_url) for b in sorted(brigades, key=lambda b: b.id)]
    return _dump({"version": FORMAT_VERSION, "license": LICENSE, "count": len(records), "brigades": records})


def render_geojson(brigades: Sequence[Brigade], site_url: str) -> bytes:
    features = []
    for brigade in sorted(brigades, key=lambda b: b.id):
        coordinates = brigade.location.coordinates if brigade.location else None
        if not coordinates:
            continue
        properties = {
            "id": brigade.id, "name": brigade.name.ja, "name_en": brigade.name.en, "status": brigade.status,
            "prefecture": brigade.location.prefecture, "city": brigade.location.city,
            "precision": coordinates.precision, "page_url": site_url.rstrip("/") + "/" + brigade_path(brigade),
        }
        features.append({"type": "Feature", "id": brigade.id, "properties": properties,
                         "geometry": {"type": "Point", "coordinates": [coordinates.lon, coordinates.lat]}})
    # GeoJSON allows foreign members at the top level (RFC 7946 §6.1): the version and licence sit there.
    return _dump({"type": "FeatureCollection", "version": FORMAT_VERSION, "license": LICENSE, "features": features})


def _csv_row(brigade: Brigade, site_url: str) -> dict:
    location = brigade.location
    coordinates = location.coordinates if location else None
    prefecture = prefecture_of(brigade)
    row = {
        "id": brigade.id, "name_ja": brigade.name.ja, "name_en": brigade.name.en, "name_kana": brigade.name.kana,
        "status": brigade.status, "status_since": brigade.status_since, "confirmed_on": brigade.confirmed_on,
        "scope": brigade.scope, "region": prefecture.region.slug if prefecture else None,
        "prefecture": prefecture.name if prefecture else None,
        "prefecture_code": f"{prefecture.code:02d}" if prefecture else None,
        "city": location.city if location else None, "area": location.area if location else None,
        "lat": coordinates.lat if coordinates else None, "lon": coordinates.lon if coordinates else None,
        "precision": coordinates.precision if coordinates else None,
        "tags": ";".join(brigade.tags), "founded": brigade.founded,
        "page_url": site_url.rstrip("/") + "/" + brigade_path(brigade),
    }
    for key in ("website", "github", "connpass", "doorkeeper", "facebook", "x", "meetup"):
        row[key] = getattr(brigade.links, key)
    return row


def csv_cell(value: object) -> str:
    cell = "" if value is None else str(value)
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def render_csv(brigades: Sequence[Brigade], site_url: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for brigade in sorted(brigades, key=lambda b: b.id):
        writer.writerow({k: csv_cell(v) for k, v in _csv_row(brigade, site_url).items()})
    # A byte order mark lets Excel, still the usual tool in Japanese offices, read the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def render_schema() -> bytes:
    """The brigade file schema, published beside the data it describes."""
    return _dump(brigade_schema())
