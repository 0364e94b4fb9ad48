"""Tests for docs/examples/apscheduler/apscheduler3_demo.py (APScheduler 3.11.3).

They assert the behaviour the APScheduler tour explains: what triggers compute,
the scheduler lifecycle, how coalesce and misfire_grace_time treat run times found
after downtime in a persistent job store, and how max_instances skips overlapping
runs. No test waits for real time.
"""

from datetime import UTC, datetime
from pathlib import Path

import apscheduler
import pytest

EXAMPLE = "apscheduler/apscheduler3_demo.py"


@pytest.fixture
def demo(load_example):
    module = load_example(EXAMPLE)
    module.quiet_apscheduler_logging()
    return module


def test_pinned_release():
    assert apscheduler.__version__ == "3.11.3"


def test_cron_rolls_over_the_weekend(demo):
    assert demo.trigger_facts()["weekday_quarter_hours"] == [datetime(2024, 1, 8, 9, 0, tzinfo=UTC)]


@pytest.mark.skipif(not apscheduler.__version__.startswith("3."), reason="4.x maps 0 to Sunday")
def test_from_crontab_weekday_zero_is_monday_in_3x(demo):
    assert demo.trigger_facts()["crontab_weekday_0"][0].strftime("%A") == "Monday"


def test_cron_trigger_ands_day_and_weekday(demo):
    fires = demo.trigger_facts()["day_and_weekday"]
    assert all(t.strftime("%a") == "Fri" and t.day in (1, 15) for t in fires)
    assert fires[0] == datetime(2024, 3, 1, tzinfo=UTC)


def test_or_trigger_reproduces_unix_cron_or_rule(demo):
    fires = demo.trigger_facts()["or_trigger"]
    assert [t.date().isoformat() for t in fires] == ["2024-02-01", "2024-02-02", "2024-02-09"]


def test_calendar_interval_skips_months_without_the_day(demo):
    fires = demo.trigger_facts()["calendar_monthly_31st"]
    assert [t.date().isoformat() for t in fires] == ["2024-01-31", "2024-03-31", "2024-05-31"]


def test_local_time_cron_fires_twice_when_clocks_go_back(demo):
    assert demo.trigger_facts()["berlin_0230_fall_back"] == [
        datetime(2024, 10, 27, 0, 30, tzinfo=UTC),
        datetime(2024, 10, 27, 1, 30, tzinfo=UTC),
    ]


def test_lifecycle_states_pending_jobs_and_error_event(demo):
    states, pending_before, pending_after, log = demo.lifecycle()
    assert [demo.STATE_NAMES[s] for s in states] == ["STOPPED", "PAUSED", "RUNNING", "STOPPED"]
    assert pending_before is True and pending_after is False
    assert log.counts() == {"submitted": 1, "error": 1}
    assert isinstance(log.errors[0], ValueError)


def test_defaults_coalesce_then_miss_after_downtime(demo):
    result = demo.downtime(coalesce=True, misfire_grace_time=1)
    assert result.log.minutes("submitted") == [-5]  # 7 run times collapsed into the latest
    assert result.log.minutes("missed") == [-5]  # ... which is 5 min late > 1 s grace
    assert result.runs == []


def test_coalesce_with_unlimited_grace_runs_once(demo):
    result = demo.downtime(coalesce=True, misfire_grace_time=None)
    assert result.log.minutes("executed") == [-5]
    assert result.runs == ["report"]


def test_no_coalesce_runs_each_time_within_grace(demo):
    result = demo.downtime(coalesce=False, misfire_grace_time=30 * 60)
    assert result.log.minutes("missed") == [-65, -55, -45, -35]
    assert result.log.minutes("executed") == [-25, -15, -5]
    assert result.runs == ["report"] * 3
    assert result.next_run_in_minutes == 5  # next slot of the schedule, not now + interval


def test_persistent_store_pickles_state_and_rejects_lambdas(demo):
    result = demo.downtime(coalesce=True, misfire_grace_time=None)
    assert {"func", "trigger", "next_run_time", "coalesce", "misfire_grace_time"} <= set(result.stored_keys)
    assert result.stored_func.endswith(":record_run")
    assert result.lambda_error == "This Job cannot be serialized"


def test_max_instances_skips_the_overlapping_run(demo):
    entries, wakeups = demo.overlap()
    assert entries == [
        ("slow", "submitted", -2),
        ("slow", "max_instances", -1),
        ("slow", "executed", -2),
    ]
    assert wakeups == 3


def test_output_matches_page(run_example, expected_output):
    assert run_example(EXAMPLE) == expected_output("apscheduler/apscheduler3_demo.out")


def test_tick_drives_the_private_loop_body_of_the_pinned_release(demo):
    """The page says so plainly: tick() calls BaseScheduler._process_jobs(), which is private."""
    import inspect

    from apscheduler.schedulers.base import BaseScheduler

    assert "self._process_jobs()" in inspect.getsource(demo.ManualScheduler.tick)
    assert BaseScheduler._process_jobs.__name__.startswith("_")


def test_qt_scheduler_keeps_the_plain_thread_pool_executor():
    """QtScheduler overrides no _create_default_executor(), so it gets BaseScheduler's ThreadPoolExecutor.

    The module is read, not imported: importing it needs PyQt or PySide.
    """
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.schedulers.asyncio import AsyncIOScheduler
    from apscheduler.schedulers.base import BaseScheduler

    qt_source = (Path(apscheduler.__file__).parent / "schedulers" / "qt.py").read_text()
    assert "class QtScheduler(BaseScheduler)" in qt_source
    assert "_create_default_executor" not in qt_source
    assert type(BaseScheduler._create_default_executor(None)) is ThreadPoolExecutor
    assert type(AsyncIOScheduler()._create_default_executor()).__name__ == "AsyncIOExecutor"


def test_browser_variant_runs_parts_1_to_3(run_example, expected_output, monkeypatch):
    """apscheduler3_browser.py, what the page's Run button runs: Python in a browser
    cannot start the worker thread part 4 needs. It imports the demo beside it, as
    `python FILE` lets it (the file's folder is on sys.path)."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2] / "docs" / "examples" / "apscheduler"))
    output = run_example("apscheduler/apscheduler3_browser.py")
    assert output == expected_output("apscheduler/apscheduler3_browser.out")
    full = expected_output("apscheduler/apscheduler3_demo.out")
    assert output.split("\n4. ")[0] == full.split("\n4. ")[0]
    assert "slow: max_instances" in full and "max_instances (run time" not in output
