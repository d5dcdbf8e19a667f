"""Helper processes start warm, and the server's collector suits bulk work."""

from __future__ import annotations

import gc
import sys
import types

import pytest

from app.collector import YOUNG_THRESHOLD, tune_collector
from app.jobs import _preload
from resolvers import jobs as job_domain


@pytest.fixture
def main_module(monkeypatch: pytest.MonkeyPatch):
    def run_as(spec_name: str | None) -> None:
        module = types.ModuleType("__main__")
        module.__spec__ = types.SimpleNamespace(name=spec_name) if spec_name else None
        monkeypatch.setitem(sys.modules, "__main__", module)

    return run_as


@pytest.fixture
def thresholds():
    saved = gc.get_threshold()
    yield
    gc.set_threshold(*saved)


def test_the_fork_server_preloads_the_app_and_every_job_handler(main_module):
    main_module(None)
    preload = _preload()
    assert "app.main" in preload
    assert {h.__module__ for h in job_domain.JOB_KINDS.values()} <= set(preload)


def test_our_main_module_run_by_name_is_preloaded(main_module):
    main_module("scripts.benchmark")
    assert _preload()[-1] == "scripts.benchmark"


@pytest.mark.parametrize("name", ["uvicorn.__main__", "uvicorn", "pytest.__main__"])
def test_another_package_main_module_is_never_imported_in_the_fork_server(main_module, name):
    # Its code may run unguarded on import: `python -m uvicorn` would serve from there.
    main_module(name)
    assert name not in _preload()


def test_the_young_generation_is_collected_less_often(thresholds):
    gc.set_threshold(700, 10, 10)
    tune_collector()
    assert gc.get_threshold() == (YOUNG_THRESHOLD, 10, 10)


def test_a_rarer_collection_set_for_the_process_is_kept(thresholds):
    gc.set_threshold(YOUNG_THRESHOLD * 5, 20, 30)
    tune_collector()
    assert gc.get_threshold() == (YOUNG_THRESHOLD * 5, 20, 30)


def test_a_collector_switched_off_by_threshold_stays_off(thresholds):
    gc.set_threshold(0)
    tune_collector()
    assert gc.get_threshold()[0] == 0
