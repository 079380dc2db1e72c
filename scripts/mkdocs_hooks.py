"""Regenerate the pages before every MkDocs build, so that `make serve` shows an edited brigade file at once."""

import os
from pathlib import Path

from brigadehub.cli import generate_pages, today_of


def on_pre_build(config, **kwargs):
    # Invalid files print their problems and leave the last good pages in place.
    generate_pages(Path(os.environ.get("BRIGADEHUB_BRIGADES", "brigades")), today_of(None), quiet=True)
