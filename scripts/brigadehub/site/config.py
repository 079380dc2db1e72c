"""Read what pages need from mkdocs.yml: the site's and repository's addresses and the map tiles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from yaml_env_tag import add_env_tag


@dataclass(frozen=True)
class Site:
    """What pages need from mkdocs.yml and the build: addresses, map tiles, and the day the build stands on."""

    site_url: str
    repo_url: str
    tiles: str
    attribution: str
    today: date

    def edit_url(self, brigade_id: str) -> str:
        return f"{self.repo_url.rstrip('/')}/edit/main/brigades/{brigade_id}.yml"

    def report_url(self, brigade_id: str) -> str:
        """The update form, with the brigade filled in: GitHub fills a form's fields from the address."""
        return f"{self.repo_url.rstrip('/')}/issues/new?template=update-brigade.yml&brigade={brigade_id}"

    def absolute(self, path: str) -> str:
        """The published address of a site path such as 'brigades/x/'."""
        return self.site_url.rstrip("/") + "/" + path


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as MkDocs does: safely, with its `!ENV [NAME, default]` tag."""


add_env_tag(_ConfigLoader)


def read_site(config_path: Path, today: date) -> Site:
    """Read the addresses and map settings that pages need from mkdocs.yml."""
    config = yaml.load(config_path.read_text(encoding="utf-8"), Loader=_ConfigLoader)  # noqa: S506 - SafeLoader
    tiles = config.get("extra", {}).get("map", {})
    return Site(site_url=config["site_url"], repo_url=config["repo_url"], tiles=tiles["tiles"],
                attribution=tiles["attribution"], today=today)
