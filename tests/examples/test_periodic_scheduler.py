"""Tests for docs/examples/periodic-scheduler/cron_scheduler.py.

They pin the behaviour the Periodic Scheduler page describes: field semantics, the
day-of-month/day-of-week OR rule, DST behaviour of naive local-time matching,
misfire policies, the overlap guard and per-occurrence de-duplication.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

START = datetime(2024, 1, 30, 23, 58, tzinfo=UTC)
EXAMPLE = "periodic-scheduler/cron_scheduler.py"


@pytest.fixture
def cron(load_example):
    return load_example(EXAMPLE)


def at(day: int, hour: int, minute: int = 0, month: int = 1) -> datetime:
    return datetime(2024, month, day, hour, minute, tzinfo=UTC)


def test_every_fifteen_minutes(cron):
    assert cron.upcoming("*/15 * * * *", START, 3) == [at(31, 0), at(31, 0, 15), at(31, 0, 30)]


def test_weekdays_at_nine(cron):
    assert cron.upcoming("0 9 * * 1-5", START, 3) == [at(31, 9), at(1, 9, month=2), at(2, 9, month=2)]


def test_day_of_month_or_day_of_week(cron):
    # Both day fields restricted: the 1st, the 15th AND every Friday.
    fires = cron.upcoming("0 0 1,15 * 5", START, 3)
    assert fires == [at(1, 0, month=2), at(2, 0, month=2), at(9, 0, month=2)]
    assert [t.strftime("%a") for t in fires] == ["Thu", "Fri", "Fri"]


def test_only_one_day_field_restricted_filters_normally(cron):
    assert cron.upcoming("0 0 1,15 * *", START, 2) == [at(1, 0, month=2), at(15, 0, month=2)]
    assert all(t.weekday() == 4 for t in cron.upcoming("0 0 * * fri", START, 5))


def test_star_step_counts_as_unrestricted_like_vixie_cron(cron):
    # '*/2' starts with '*', so the day rule is AND: odd days that are Fridays.
    fires = cron.upcoming("0 0 */2 * fri", START, 3)
    assert fires == [at(9, 0, month=2), at(23, 0, month=2), at(1, 0, month=3)]
    spec = cron.parse("0 0 */2 * fri")
    assert not spec.day_restricted and spec.weekday_restricted


def test_sunday_is_zero_or_seven_and_names_work(cron):
    assert cron.parse("0 0 * * 7") == cron.parse("0 0 * * 0") == cron.parse("0 0 * * sun")
    assert cron.parse("0 0 1 jan-mar *").months == frozenset({1, 2, 3})


def test_ranges_steps_and_lists(cron):
    assert cron.parse("0 0-23/2 * * *").hours == frozenset(range(0, 24, 2))
    assert cron.parse("5,10-12 * * * *").minutes == frozenset({5, 10, 11, 12})


def test_nicknames(cron):
    assert cron.parse("@daily") == cron.parse("@midnight") == cron.parse("0 0 * * *")
    assert cron.parse("@yearly") == cron.parse("@annually")
    assert cron.upcoming("@weekly", START, 1)[0].strftime("%a %H:%M") == "Sun 00:00"
    assert cron.upcoming("@hourly", START, 1) == [at(31, 0)]
    assert cron.upcoming("@monthly", START, 1) == [at(1, 0, month=2)]


@pytest.mark.parametrize("bad", ["@reboot", "* * * *", "60 * * * *", "* 24 * * *", "0 0 0 * *", "*/0 * * * *"])
def test_invalid_expressions_are_rejected(cron, bad):
    with pytest.raises(ValueError):
        cron.parse(bad)


def test_impossible_date_has_no_fire_time(cron):
    with pytest.raises(ValueError, match="no fire time"):
        cron.next_fire(cron.parse("0 0 30 2 *"), START)


def test_dst_gap_is_skipped_and_overlap_fires_twice(cron):
    berlin = ZoneInfo("Europe/Berlin")
    spring = cron.upcoming("30 2 * * *", datetime(2024, 3, 30, 3, 0, tzinfo=berlin), 1, berlin)
    assert spring[0].date().isoformat() == "2024-04-01"  # 31 Mar 02:30 does not exist
    autumn = cron.upcoming("30 2 * * *", datetime(2024, 10, 26, 3, 0, tzinfo=berlin), 2, berlin)
    assert [t.astimezone(UTC) for t in autumn] == [
        datetime(2024, 10, 27, 0, 30, tzinfo=UTC),
        datetime(2024, 10, 27, 1, 30, tzinfo=UTC),
    ]


def started(log):
    return [line for line in log if "started" in line]


def test_outage_coalesce_produces_exactly_one_catch_up_run(cron):
    log = cron.outage("coalesce")
    assert "08:10 hourly-report: 5 missed, policy=coalesce -> 1 catch-up run(s)" in log
    catch_up = [line for line in started(log) if line.startswith("08:10")]
    assert catch_up == ["08:10 hourly-report@08:00: started by replica-a"]


def test_outage_all_runs_every_missed_occurrence(cron):
    catch_up = [line for line in started(cron.outage("all")) if line.startswith("08:10")]
    assert [line.split("@")[1][:5] for line in catch_up] == ["04:00", "05:00", "06:00", "07:00", "08:00"]


def test_outage_skip_waits_for_the_next_regular_time(cron):
    log = cron.outage("skip")
    assert not [line for line in started(log) if line.startswith("08:10")]
    assert log[-1] == "09:00 hourly-report@09:00: started by replica-a"


def test_overlap_guard_skips_while_previous_run_is_going(cron):
    log = cron.overlap()
    assert [line[:5] for line in started(log)] == ["00:00", "00:45"]
    assert sum("still going" in line for line in log) == 3


def test_two_replicas_fire_each_occurrence_once(cron):
    log = cron.two_replicas()
    assert started(log) == ["00:00 daily-report@00:00: started by replica-a"]
    assert "00:00 daily-report@00:00: already claimed, replica-b skips" in log


def test_claim_store_is_idempotent_for_the_owner(cron):
    claims = cron.ClaimStore()
    assert claims.claim("job:t", "a") and claims.claim("job:t", "a")
    assert not claims.claim("job:t", "b")


def test_clock_never_moves_backwards(cron):
    clock = cron.FakeClock(START)
    clock.sleep_until(START - timedelta(hours=1))
    assert clock.now == START


def test_scheduler_with_no_jobs_just_sleeps(cron):
    clock = cron.FakeClock(START)
    scheduler = cron.Scheduler(clock, cron.ClaimStore())
    scheduler.run_until(START + timedelta(hours=1))
    assert clock.now == START + timedelta(hours=1) and scheduler.log == []


def test_output_matches_page(run_example, expected_output):
    assert run_example(EXAMPLE) == expected_output("periodic-scheduler/cron_scheduler.out")
