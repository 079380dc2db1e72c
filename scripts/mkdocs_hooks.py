"""Regenerate the pages before every MkDocs build, so that `make serve` shows an edited brigade file at once."""

import os
from pathlib import Path


def on_pre_build(config, **kwargs):
    if os.environ.get("BRIGADEHUB_GENERATED"):
        return  # `brigadehub build` generated them already
    # Imported here: pydantic, icalendar and Jinja2 cost half a second that a plain build never uses.
    from brigadehub import pipeline

    brigades, data = (Path(os.environ.get(name, default)) for name, default in
                      (("BRIGADEHUB_BRIGADES", "brigades"), ("BRIGADEHUB_DATA", "data")))
    result = pipeline.generate_site(brigades, data, pipeline.build_day())
    # Invalid files print their problems and leave the last good pages in place.
    for problem in result.checked.problems:
        print(problem)
    if result.error:
        print(f"brigadehub: {result.error}")
