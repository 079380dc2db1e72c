"""Regenerate the pages before every MkDocs build, so that `make serve` shows an edited brigade file at once."""

import os
from pathlib import Path

from brigadehub.cli import generate_pages, today_of


def on_pre_build(config, **kwargs):
    if os.environ.get("BRIGADEHUB_GENERATED"):
        return  # `brigadehub build` generated them already
    # Invalid files print their problems and leave the last good pages in place.
    brigades, data = (Path(os.environ.get(name, default)) for name, default in
                      (("BRIGADEHUB_BRIGADES", "brigades"), ("BRIGADEHUB_DATA", "data")))
    generate_pages(brigades, data, today_of(None), quiet=True)
