"""A small, deterministic periodic scheduler: cron parsing, next fire times,
misfire policies, an overlap guard and per-occurrence de-duplication.

Standard library only. Nothing here reads the wall clock or sleeps: the scheduler
is given a FakeClock, and "sleeping until the next fire time" means moving that
clock forward. That is also how a real scheduler should be tested.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo

UTC = timezone.utc
MINUTE = timedelta(minutes=1)

# --8<-- [start:parse]
# (name, lowest, highest) for the five fields, in crontab(5) order.
FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12), ("day of week", 0, 7))
MONTHS = {name: i for i, name in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
WEEKDAYS = {name: i for i, name in enumerate("sun mon tue wed thu fri sat".split())}
NICKNAMES = {
    "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
}


@dataclass(frozen=True)
class CronSpec:
    """A parsed five-field expression: the allowed values of each field."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday; a 7 in the text is folded into 0
    day_restricted: bool  # day-of-month field does not start with '*'
    weekday_restricted: bool  # day-of-week field does not start with '*'


def parse_field(text: str, low: int, high: int, names: dict[str, int]) -> frozenset[int]:
    """Expand '*', 'a', 'a-b', 'a-b/n', '*/n' and comma lists into a set of integers."""
    values: set[int] = set()
    for part in text.lower().split(","):
        rng, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if rng == "*":
            start, stop = low, high
        else:
            first, _, last = rng.partition("-")
            start = names[first] if first in names else int(first)
            stop = (names[last] if last in names else int(last)) if last else (high if step_text else start)
        if not (low <= start <= stop <= high) or step < 1:
            raise ValueError(f"{text!r}: {part!r} is outside {low}-{high} or has a bad step")
        values.update(range(start, stop + 1, step))
    return frozenset(values)


def parse(expression: str) -> CronSpec:
    """Parse a Vixie-cron style expression (five fields or an @nickname)."""
    if expression == "@reboot":
        raise ValueError("@reboot runs once at daemon start; it has no next fire time")
    fields = NICKNAMES.get(expression, expression).split()
    if len(fields) != 5:
        raise ValueError(f"{expression!r}: expected 5 fields, got {len(fields)}")
    name_tables: list[dict[str, int]] = [{}, {}, {}, MONTHS, WEEKDAYS]
    sets = [parse_field(text, lo, hi, names) for text, (_, lo, hi), names in zip(fields, FIELDS, name_tables)]
    weekdays = frozenset(0 if d == 7 else d for d in sets[4])  # 0 and 7 both mean Sunday
    return CronSpec(
        *sets[:4],
        weekdays=weekdays,
        # Vixie cron decides "restricted" from the first character, so '*/2' counts as '*'.
        day_restricted=not fields[2].startswith("*"),
        weekday_restricted=not fields[4].startswith("*"),
    )
# --8<-- [end:parse]


# --8<-- [start:next_fire]
def day_matches(spec: CronSpec, local: datetime) -> bool:
    """The day rule, including the classic trap: if BOTH day fields are restricted,
    a day matches when EITHER matches (OR), not when both do."""
    if local.month not in spec.months:
        return False
    dom = local.day in spec.days
    dow = (local.isoweekday() % 7) in spec.weekdays  # isoweekday: Mon=1..Sun=7 -> Sun=0
    if spec.day_restricted and spec.weekday_restricted:
        return dom or dow
    return dom and dow


def next_fire(spec: CronSpec, after: datetime, tz: tzinfo = UTC, horizon_days: int = 5 * 366) -> datetime:
    """First whole minute strictly after `after` whose wall-clock time in `tz` matches.

    Walks real instants (UTC) and checks their local time, skipping whole days and
    hours that cannot match. Deliberately naive about DST: a local time that does not
    exist is never matched, and one that occurs twice is matched twice. (Vixie cron
    special-cases both; most libraries do not. Schedule in UTC to avoid the question.)
    """
    t = after.astimezone(UTC).replace(second=0, microsecond=0) + MINUTE
    limit = t + timedelta(days=horizon_days)
    while t <= limit:
        local = t.astimezone(tz)
        if not day_matches(spec, local):
            midnight = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=tz)
            t = max(t + MINUTE, midnight.astimezone(UTC))
        elif local.hour not in spec.hours:
            t += timedelta(minutes=60 - local.minute)
        elif local.minute not in spec.minutes:
            t += MINUTE
        else:
            return local
    raise ValueError(f"no fire time within {horizon_days} days (impossible date such as 30 Feb?)")


def upcoming(expression: str, after: datetime, count: int, tz: tzinfo = UTC) -> list[datetime]:
    """The next `count` fire times of an expression."""
    spec, times = parse(expression), []
    for _ in range(count):
        after = next_fire(spec, after, tz)
        times.append(after)
    return times
# --8<-- [end:next_fire]


# --8<-- [start:scheduler]
Policy = Literal["skip", "coalesce", "all"]


class FakeClock:
    """Injected time source. A real deployment would read UTC wall-clock time here."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def sleep_until(self, when: datetime) -> None:
        self.now = max(self.now, when)


class ClaimStore:
    """Stands in for a database table with a UNIQUE key on (job, scheduled time):
    the first replica to insert an occurrence owns it; everyone else skips it."""

    def __init__(self) -> None:
        self.owner: dict[str, str] = {}

    def claim(self, key: str, replica: str) -> bool:
        return self.owner.setdefault(key, replica) == replica


@dataclass
class Job:
    name: str
    expression: str
    misfire: Policy = "coalesce"
    grace: timedelta = timedelta(minutes=1)  # later than this counts as missed
    duration: timedelta = timedelta(minutes=5)  # simulated run time
    max_instances: int = 1
    next_time: datetime | None = None
    running_until: list[datetime] = field(default_factory=list)


@dataclass
class Scheduler:
    clock: FakeClock
    claims: ClaimStore
    replica: str = "replica-a"
    jobs: list[Job] = field(default_factory=list)
    log: list[str] = field(default_factory=list)

    def add(self, job: Job) -> None:
        job.next_time = next_fire(parse(job.expression), self.clock.now - MINUTE)
        self.jobs.append(job)

    def tick(self) -> None:
        """One wake-up: find every occurrence that has come due, apply the misfire
        policy to the late ones, then start runs (subject to the overlap guard)."""
        now = self.clock.now
        for job in self.jobs:
            due: list[datetime] = []
            while job.next_time is not None and job.next_time <= now:
                due.append(job.next_time)
                job.next_time = next_fire(parse(job.expression), job.next_time)
            late = [t for t in due if now - t > job.grace]
            on_time = [t for t in due if now - t <= job.grace]
            if late:
                chosen = {"skip": [], "coalesce": late[-1:], "all": late}[job.misfire]
                self.log.append(
                    f"{now:%H:%M} {job.name}: {len(late)} missed, policy={job.misfire} -> {len(chosen)} catch-up run(s)"
                )
                on_time = chosen + on_time
            for occurrence in on_time:
                self.start(job, occurrence)

    def start(self, job: Job, occurrence: datetime) -> None:
        now = self.clock.now
        job.running_until = [end for end in job.running_until if end > now]
        if len(job.running_until) >= job.max_instances:
            self.log.append(f"{now:%H:%M} {job.name}@{occurrence:%H:%M}: skipped, previous run still going")
            return
        key = f"{job.name}:{occurrence.isoformat()}"  # idempotency key of this occurrence
        if not self.claims.claim(key, self.replica):
            self.log.append(f"{now:%H:%M} {job.name}@{occurrence:%H:%M}: already claimed, {self.replica} skips")
            return
        job.running_until.append(now + job.duration)
        self.log.append(f"{now:%H:%M} {job.name}@{occurrence:%H:%M}: started by {self.replica}")

    def run_until(self, end: datetime) -> None:
        """The scheduler loop: sleep until the earliest next fire time, then tick."""
        while True:
            upcoming_times = [j.next_time for j in self.jobs if j.next_time is not None]
            if not upcoming_times or min(upcoming_times) > end:
                self.clock.sleep_until(end)
                return
            self.clock.sleep_until(min(upcoming_times))
            self.tick()
# --8<-- [end:scheduler]


def fmt(times: list[datetime]) -> str:
    return ", ".join(t.strftime("%a %d %b %H:%M") for t in times)


# --8<-- [start:scenarios]
def outage(policy: Policy) -> list[str]:
    """An hourly job; the scheduler is down from 03:30 to 08:10, wakes up, runs to 09:30.

    max_instances is generous here so that the misfire policy alone decides what runs."""
    clock = FakeClock(datetime(2024, 3, 1, 2, 30, tzinfo=UTC))
    scheduler = Scheduler(clock, ClaimStore())
    scheduler.add(Job("hourly-report", "0 * * * *", misfire=policy, max_instances=10))
    scheduler.run_until(datetime(2024, 3, 1, 3, 30, tzinfo=UTC))
    clock.sleep_until(datetime(2024, 3, 1, 8, 10, tzinfo=UTC))  # down: nobody ticks
    scheduler.tick()
    scheduler.run_until(datetime(2024, 3, 1, 9, 30, tzinfo=UTC))
    return scheduler.log


def overlap() -> list[str]:
    """A job every 15 minutes that takes 40 minutes, with max_instances=1."""
    clock = FakeClock(datetime(2024, 3, 1, 0, 0, tzinfo=UTC))
    scheduler = Scheduler(clock, ClaimStore())
    scheduler.add(Job("export", "*/15 * * * *", duration=timedelta(minutes=40)))
    scheduler.run_until(datetime(2024, 3, 1, 1, 0, tzinfo=UTC))
    return scheduler.log


def two_replicas() -> list[str]:
    """Two scheduler replicas with the same job and a shared claim store."""
    clock = FakeClock(datetime(2024, 3, 1, 12, 0, tzinfo=UTC))
    claims = ClaimStore()
    replicas = [Scheduler(clock, claims, replica=name) for name in ("replica-a", "replica-b")]
    for replica in replicas:
        replica.add(Job("daily-report", "@daily"))
    clock.sleep_until(datetime(2024, 3, 2, 0, 0, tzinfo=UTC))
    for replica in replicas:  # both wake up for the same occurrence
        replica.tick()
    return replicas[0].log + replicas[1].log
# --8<-- [end:scenarios]


def main() -> None:
    start = datetime(2024, 1, 30, 23, 58, tzinfo=UTC)
    print(f"Next fire times after {start:%a %d %b %Y %H:%M} UTC")
    for expression in ("*/15 * * * *", "0 9 * * 1-5", "0 0 1,15 * 5", "0 0 1,15 * *", "0 0 */2 * fri", "@weekly"):
        print(f"  {expression:<14} -> {fmt(upcoming(expression, start, 3))}")
    print(f"  day-of-week 7 == 0: {parse('0 0 * * 7') == parse('0 0 * * 0')}")

    berlin = ZoneInfo("Europe/Berlin")
    print("\n'30 2 * * *' in Europe/Berlin (naive local-time matching)")
    spring = upcoming("30 2 * * *", datetime(2024, 3, 30, 3, 0, tzinfo=berlin), 2, berlin)
    autumn = upcoming("30 2 * * *", datetime(2024, 10, 26, 3, 0, tzinfo=berlin), 3, berlin)
    print(f"  spring forward: {', '.join(f'{t:%d %b %H:%M %Z}' for t in spring)}  (31 Mar skipped)")
    print(f"  fall back:      {', '.join(f'{t:%d %b %H:%M %Z}' for t in autumn)}  (27 Oct twice)")

    for policy in ("skip", "coalesce", "all"):
        print(f"\nOutage 03:30-08:10, misfire policy '{policy}'")
        for line in outage(policy):
            print(f"  {line}")

    print("\nOverlap: every 15 min, runs 40 min, max_instances=1")
    for line in overlap():
        print(f"  {line}")

    print("\nTwo replicas, one occurrence key")
    for line in two_replicas():
        print(f"  {line}")


if __name__ == "__main__":
    main()
