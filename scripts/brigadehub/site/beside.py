"""Run one piece of the render stage in a forked child while this process renders another, on a second core."""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable
from typing import TypeVar

Aside = TypeVar("Aside")
Here = TypeVar("Here")


def can_fork() -> bool:
    """Fork shares the rendered state without pickling it; where it is missing (Windows), or there is one core
    to run on, render in turn."""
    return "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1


def run_beside(aside: Callable[[], Aside], here: Callable[[], Here], parallel: bool = True) -> tuple[Aside, Here]:
    """Return (aside(), here()), aside computed in a forked child while here runs in this process.

    Only for a process without threads of its own (`brigadehub build`, the benchmark): a fork copies one thread,
    and a lock another thread held stays held in the child. The MkDocs hook, inside `mkdocs serve`'s threads,
    renders in turn. A failure in the child is raised here with the child's traceback.
    """
    if not parallel or not can_fork():
        return aside(), here()
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_send, args=(aside, writer), daemon=True)
    child.start()
    writer.close()  # so that recv() ends with EOFError if the child dies without an answer
    received = False
    try:
        mine = here()
        try:
            ok, theirs = reader.recv()
        except EOFError:
            child.join()
            raise RuntimeError(f"the render stage's second process ended with code {child.exitcode} "
                               "and no result") from None
        received = True
    finally:
        reader.close()
        if not received:
            child.terminate()
        child.join()
    if not ok:
        raise RuntimeError(f"the render stage's second process failed:\n{theirs}")
    return theirs, mine


def _send(action: Callable[[], object], writer) -> None:
    try:
        result = (True, action())
    except BaseException:  # noqa: BLE001 - every failure goes back to the parent, which raises it
        result = (False, traceback.format_exc())
    writer.send(result)
    writer.close()
