"""Tests for site/beside.py: the second half runs in another process, and its failures are not lost."""

from __future__ import annotations

import os

import pytest

from brigadehub.site import beside

pytestmark = pytest.mark.skipif(not beside.can_fork(), reason="this platform cannot fork, or has one core")


def test_the_aside_runs_in_a_child_process_and_its_result_comes_back():
    parent = os.getpid()
    (aside_pid, big), here_pid = beside.run_beside(lambda: (os.getpid(), "x" * 5_000_000), os.getpid)
    assert here_pid == parent and aside_pid != parent
    assert len(big) == 5_000_000  # more than a pipe's buffer: the parent reads while the child writes


def test_without_parallel_both_run_here_in_turn():
    assert beside.run_beside(os.getpid, os.getpid, parallel=False) == (os.getpid(), os.getpid())


def test_a_failure_in_the_child_is_raised_with_its_traceback():
    def broken():
        raise ValueError("a template went wrong")

    with pytest.raises(RuntimeError, match="(?s)second process failed.*ValueError: a template went wrong"):
        beside.run_beside(broken, lambda: 1)


def test_a_child_that_dies_without_an_answer_is_an_error_not_a_hang():
    with pytest.raises(RuntimeError, match="ended with code 3 and no result"):
        beside.run_beside(lambda: os._exit(3), lambda: 1)


def test_a_failure_here_stops_the_child_and_is_raised_as_it_was():
    def broken():
        raise KeyError("here")

    with pytest.raises(KeyError, match="here"):
        beside.run_beside(lambda: __import__("time").sleep(60), broken)
