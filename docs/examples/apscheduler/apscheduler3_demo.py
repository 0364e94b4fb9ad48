"""A tour of APScheduler 3.11.3: triggers, job stores, executors, misfires and overlap.

Everything here runs against the real library, but without waiting for real time:

* Triggers are pure functions of (previous fire time, now), so their answers are
  computed for fixed dates.
* APScheduler 3.x reads the wall clock inside the scheduler loop and the executor,
  so the misfire demonstrations place run times tens of minutes in the past. The
  outcome then depends only on those gaps, never on how fast this machine is.
* ``ManualScheduler`` is a real ``BaseScheduler`` subclass whose loop is driven by
  the caller: one ``tick()`` is exactly one wake-up of the loop that
  ``BlockingScheduler`` runs in a ``while`` loop.
"""

from __future__ import annotations

import logging
import pickle
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import apscheduler
from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    EVENT_JOB_SUBMITTED,
    JobEvent,
)
from apscheduler.executors.debug import DebugExecutor
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import (
    STATE_PAUSED,
    STATE_RUNNING,
    STATE_STOPPED,
    BaseScheduler,
)
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.calendarinterval import CalendarIntervalTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import create_engine, select
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool

UTC = timezone.utc
EVENT_NAMES = {
    EVENT_JOB_SUBMITTED: "submitted",
    EVENT_JOB_EXECUTED: "executed",
    EVENT_JOB_ERROR: "error",
    EVENT_JOB_MISSED: "missed",
    EVENT_JOB_MAX_INSTANCES: "max_instances",
}
JOB_EVENTS = EVENT_JOB_SUBMITTED | EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES


# --8<-- [start:triggers]
def fire_times(trigger: BaseTrigger, after: datetime, count: int) -> list[datetime]:
    """Ask a trigger for its next `count` fire times, the way the scheduler does:
    each answer becomes the `previous_fire_time` of the next question."""
    times: list[datetime] = []
    previous: datetime | None = None
    now = after
    for _ in range(count):
        nxt = trigger.get_next_fire_time(previous, now)
        assert nxt is not None, "these demo triggers never run out"
        times.append(nxt)
        previous = now = nxt
    return times


def trigger_facts() -> dict[str, list[datetime]]:
    """Fire times that show what 3.x triggers really compute (all in UTC unless noted)."""
    start = datetime(2024, 1, 30, 23, 58, tzinfo=UTC)
    friday_evening = datetime(2024, 1, 5, 17, 50, tzinfo=UTC)
    berlin = ZoneInfo("Europe/Berlin")
    return {
        # Business hours, every 15 minutes: Friday 17:50 rolls over to Monday 09:00.
        "weekday_quarter_hours": fire_times(
            CronTrigger.from_crontab("*/15 9-17 * * mon-fri", timezone=UTC), friday_evening, 1
        ),
        # Unix cron reads 0 as Sunday; APScheduler 3.x numbers weekdays from 0 = Monday.
        "crontab_weekday_0": fire_times(CronTrigger.from_crontab("0 12 * * 0", timezone=UTC), start, 1),
        # APScheduler ANDs day and day_of_week; Unix cron would OR them.
        "day_and_weekday": fire_times(CronTrigger.from_crontab("0 0 1,15 * fri", timezone=UTC), start, 3),
        # OrTrigger reproduces the Unix cron OR rule explicitly.
        "or_trigger": fire_times(
            OrTrigger([CronTrigger(day="1,15", timezone=UTC), CronTrigger(day_of_week="fri", timezone=UTC)]),
            start,
            3,
        ),
        # "Monthly on the 31st" skips months that have no 31st instead of clamping.
        "calendar_monthly_31st": fire_times(
            CalendarIntervalTrigger(months=1, hour=9, start_date="2024-01-31", timezone=UTC), start, 3
        ),
        # 02:30 local time on the night clocks go back happens twice (Berlin, 27 Oct 2024).
        "berlin_0230_fall_back": [
            t.astimezone(UTC)
            for t in fire_times(
                CronTrigger(hour=2, minute=30, timezone=berlin), datetime(2024, 10, 26, 12, 0, tzinfo=berlin), 2
            )
        ],
    }
# --8<-- [end:triggers]


# --8<-- [start:scheduler]
class ManualScheduler(BaseScheduler):
    """A scheduler whose loop the caller drives, one wake-up per ``tick()``.

    BlockingScheduler runs ``while running: event.wait(timeout); _process_jobs()``;
    AsyncIOScheduler calls ``_process_jobs()`` from ``loop.call_later``. Both are this
    class plus a way of waiting. Implementing ``wakeup()`` and ``shutdown()`` is the
    whole contract of a scheduler plug-in.
    """

    def __init__(self, **options: object) -> None:
        self.wakeups = 0
        super().__init__(**options)

    def shutdown(self, wait: bool = True) -> None:
        super().shutdown(wait)

    def wakeup(self) -> None:
        # add_job()/modify_job() call this so that a blocking scheduler re-evaluates
        # its sleep; here the caller decides when the next tick happens.
        self.wakeups += 1

    def tick(self) -> float | None:
        """Run one iteration of the real loop body; returns seconds until the next due job."""
        # _process_jobs() is private API of APScheduler 3.x: no release promises its name
        # or behaviour. A demonstration pinned to 3.11.3 may call it; application code
        # should start a real scheduler and let it wait.
        return self._process_jobs()


@dataclass
class EventLog:
    """Listener that records (job id, event name, run time relative to a reference)."""

    reference: datetime
    entries: list[tuple[str, str, int]] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)

    def __call__(self, event: JobEvent) -> None:
        run_times = getattr(event, "scheduled_run_times", None) or [event.scheduled_run_time]
        minutes = round((run_times[-1] - self.reference).total_seconds() / 60)
        self.entries.append((event.job_id, EVENT_NAMES[event.code], minutes))
        if getattr(event, "exception", None) is not None:
            self.errors.append(event.exception)

    def counts(self) -> Counter[str]:
        return Counter(name for _, name, _ in self.entries)

    def minutes(self, name: str) -> list[int]:
        return [m for _, n, m in self.entries if n == name]
# --8<-- [end:scheduler]


RUNS: list[str] = []  # what the jobs below actually did, in order
RELEASE = threading.Event()  # lets the "slow" job finish when the demo says so


def record_run(label: str) -> str:
    """A job target. Module-level so a persistent store can save it as 'module:record_run'."""
    RUNS.append(label)
    return label


def slow_report() -> str:
    """A job that keeps running until RELEASE is set, to create an overlap on purpose."""
    RELEASE.wait(timeout=5)
    return "report done"


def failing_job() -> None:
    """A job whose exception becomes an EVENT_JOB_ERROR, not a crash of the scheduler."""
    raise ValueError("upstream API returned 503")


# --8<-- [start:lifecycle]
def lifecycle() -> tuple[list[int], bool, bool, EventLog]:
    """States STOPPED -> PAUSED -> RUNNING -> STOPPED, a pending job, and an error event."""
    now = datetime.now(UTC)
    log = EventLog(reference=now)
    scheduler = ManualScheduler(timezone=UTC, executors={"default": DebugExecutor()})
    scheduler.add_listener(log, JOB_EVENTS)
    states = [scheduler.state]
    job = scheduler.add_job(failing_job, "date", run_date=now, id="boom", misfire_grace_time=None)
    pending_before_start = job.pending  # held in memory until start() picks a job store
    scheduler.start(paused=True)
    states.append(scheduler.state)
    pending_after_start = scheduler.get_job("boom").pending  # now a row in the default MemoryJobStore
    scheduler.resume()
    states.append(scheduler.state)
    scheduler.tick()  # runs the date job once; it raises, the scheduler survives
    assert scheduler.get_job("boom") is None  # a date trigger has no next fire time: removed
    scheduler.shutdown()
    states.append(scheduler.state)
    return states, pending_before_start, pending_after_start, log
# --8<-- [end:lifecycle]


# --8<-- [start:downtime]
@dataclass
class Downtime:
    """What one scheduler restart did with the run times it found in the store."""

    log: EventLog
    runs: list[str]
    next_run_in_minutes: int
    stored_keys: list[str]
    stored_func: str
    lambda_error: str


def shared_memory_database() -> Engine:
    """One in-memory SQLite database shared by every connection of this engine."""
    return create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})


def downtime(coalesce: bool, misfire_grace_time: int | None) -> Downtime:
    """A 10-minute job, a process that dies, and a restart 65 minutes after the job was due.

    The first process writes the job to a SQLAlchemy job store and "crashes" (we simply
    drop it). The second process opens the same database and finds 7 missed run times:
    -65, -55, ..., -5 minutes. coalesce and misfire_grace_time decide what happens next.
    """
    RUNS.clear()
    engine = shared_memory_database()
    now = datetime.now(UTC)

    first = ManualScheduler(timezone=UTC, jobstores={"default": SQLAlchemyJobStore(engine=engine)})
    first.start(paused=True)
    first.add_job(
        record_run,
        IntervalTrigger(minutes=10, start_date=now - timedelta(minutes=65), timezone=UTC),
        args=["report"],
        id="report",
        replace_existing=True,  # a fixed id + replace_existing keeps restarts from duplicating it
        next_run_time=now - timedelta(minutes=65),
        coalesce=coalesce,
        misfire_grace_time=misfire_grace_time,
    )
    # The job lives in the database as a pickle of its state; the callable is a text reference.
    with engine.connect() as connection:
        blob = connection.execute(select(first._jobstores["default"].jobs_t.c.job_state)).scalar_one()
    stored = pickle.loads(blob)

    log = EventLog(reference=now)
    second = ManualScheduler(
        timezone=UTC,
        jobstores={"default": SQLAlchemyJobStore(engine=engine)},
        executors={"default": DebugExecutor()},  # run in the calling thread: no timing
    )
    second.add_listener(log, JOB_EVENTS)
    second.start()
    second.tick()
    next_run = second.get_job("report").next_run_time
    lambda_error = "(accepted)"
    try:
        second.add_job(lambda: None, "interval", minutes=5, id="anonymous")
    except ValueError as exc:  # a lambda has no importable 'module:name' reference
        lambda_error = str(exc).split(" since ")[0]
    second.shutdown()
    return Downtime(
        log=log,
        runs=list(RUNS),
        next_run_in_minutes=round((next_run - now).total_seconds() / 60),
        stored_keys=sorted(stored),
        stored_func=stored["func"],
        lambda_error=lambda_error,
    )
# --8<-- [end:downtime]


# --8<-- [start:overlap]
def overlap() -> tuple[list[tuple[str, str, int]], int]:
    """max_instances=1: a run that is still going makes the next due run a skip.

    The slow job blocks on an Event, so "still running" is a fact, not a race. The
    executor counts instances when it accepts a submission, so the second tick sees
    one running instance even if the worker thread has not been scheduled yet.
    """
    RELEASE.clear()
    now = datetime.now(UTC)
    log = EventLog(reference=now)
    scheduler = ManualScheduler(
        timezone=UTC,
        jobstores={"default": MemoryJobStore()},
        executors={"default": ThreadPoolExecutor(max_workers=2)},
    )
    scheduler.add_listener(log, JOB_EVENTS)
    scheduler.start()
    scheduler.add_job(
        slow_report, "interval", minutes=10, id="slow", next_run_time=now - timedelta(minutes=2),
        max_instances=1, misfire_grace_time=None,
    )
    scheduler.tick()  # due 2 min ago: submitted, now blocking in a worker thread
    # The next occurrence comes due while the first run is still busy.
    scheduler.modify_job("slow", next_run_time=now - timedelta(minutes=1))
    scheduler.tick()  # executor refuses: EVENT_JOB_MAX_INSTANCES, run is skipped
    RELEASE.set()
    scheduler.shutdown(wait=True)  # waits for the worker, so EVENT_JOB_EXECUTED has fired
    return log.entries, scheduler.wakeups
# --8<-- [end:overlap]


STATE_NAMES: dict[int, str] = {STATE_STOPPED: "STOPPED", STATE_RUNNING: "RUNNING", STATE_PAUSED: "PAUSED"}


def quiet_apscheduler_logging() -> None:
    """The demo provokes missed runs and a failing job on purpose; keep their log lines
    (warnings and a traceback on stderr) out of the printed demonstration."""
    logging.getLogger("apscheduler").setLevel(logging.CRITICAL)


def day(t: datetime) -> str:
    return t.strftime("%a %Y-%m-%d %H:%M")


def main(threads: bool = True) -> None:
    """The demonstration; threads=False leaves out part 4, which needs a worker
    thread (apscheduler3_browser.py, for Python in a browser, which has none)."""
    quiet_apscheduler_logging()
    print(f"APScheduler {apscheduler.__version__}")

    print("\n1. Triggers (pure computations, fixed dates, UTC)")
    facts = trigger_facts()
    print(f"  '*/15 9-17 * * mon-fri' after Fri 17:50  -> {day(facts['weekday_quarter_hours'][0])}")
    print(f"  '0 12 * * 0' (cron: Sunday)              -> {facts['crontab_weekday_0'][0]:%A}")
    print(f"  '0 0 1,15 * fri' (day AND weekday)       -> {', '.join(f'{t:%a %Y-%m-%d}' for t in facts['day_and_weekday'])}")
    print(f"  OrTrigger(day 1,15 | fri) (cron's OR)    -> {', '.join(f'{t:%a %Y-%m-%d}' for t in facts['or_trigger'])}")
    print(f"  calendarinterval months=1 from Jan 31   -> {', '.join(f'{t:%Y-%m-%d}' for t in facts['calendar_monthly_31st'])}")
    print(f"  cron 02:30 Europe/Berlin, 2024-10-27    -> {', '.join(f'{t:%H:%M} UTC' for t in facts['berlin_0230_fall_back'])}")

    print("\n2. Scheduler lifecycle and events")
    states, pending_before, pending_after, log = lifecycle()
    print(f"  states: {' -> '.join(STATE_NAMES[s] for s in states)}")
    print(f"  job added before start() is pending: {pending_before}; after start(): {pending_after}")
    print(f"  failing date job -> events {sorted(log.counts().items())}, exception {log.errors[0]!r}")

    print("\n3. Restart after 65 min of downtime (interval 10 min -> 7 missed run times)")
    defaults = downtime(coalesce=True, misfire_grace_time=1)
    print(f"  stored job_state keys: {', '.join(defaults.stored_keys)}")
    print(f"  stored callable reference: <module>:{defaults.stored_func.split(':')[1]}")
    print(
        f"  defaults (coalesce=True, grace=1 s):  submitted {defaults.log.minutes('submitted')},"
        f" missed {defaults.log.minutes('missed')}, ran {defaults.runs}"
    )
    catch_up = downtime(coalesce=True, misfire_grace_time=None)
    print(f"  coalesce=True, grace=None:            executed {catch_up.log.minutes('executed')}, ran {catch_up.runs}")
    every = downtime(coalesce=False, misfire_grace_time=30 * 60)
    print(
        f"  coalesce=False, grace=30 min:         missed {every.log.minutes('missed')},"
        f" executed {every.log.minutes('executed')}"
    )
    print(f"  next run after the catch-up: {every.next_run_in_minutes:+d} min (the schedule, not 'now + 10')")
    print(f"  lambda in a persistent store -> ValueError: {defaults.lambda_error}")

    print("\n4. Overlap with max_instances=1 (ThreadPoolExecutor)")
    if not threads:
        print("  not run: it needs a worker thread, and Python in a browser cannot start one")
        return
    entries, wakeups = overlap()
    for job_id, name, minutes in entries:
        print(f"  {job_id}: {name:<13} (run time {minutes:+d} min)")
    print(f"  wakeup() calls (start, add_job, modify_job): {wakeups}")


if __name__ == "__main__":
    main()
