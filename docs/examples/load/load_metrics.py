"""Measuring load without fooling yourself: percentiles, merged histograms,
the Linux load average, coordinated omission, and queueing arithmetic.

Standard library only. Every random number comes from a seeded
``random.Random``; every clock is a number the program advances itself, so the
output is identical on every run.
"""

from __future__ import annotations

import math
import random
import statistics
from bisect import bisect_left

# --8<-- [start:percentiles]
def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile: sort the n samples and take the value at rank
    ceil(p/100 * n). It always returns a value that was actually observed,
    which is what you want when the tail is a handful of real requests."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def latency_samples(seed: int = 42, n: int = 10_000, outlier_share: float = 0.005) -> list[float]:
    """Typical service latencies (lognormal, median about 20 ms) plus a few
    requests that hit a 2-second stall (a GC pause, a retry, a lock)."""
    rng = random.Random(seed)
    samples = [rng.lognormvariate(math.log(20), 0.35) for _ in range(n)]
    for i in rng.sample(range(n), int(n * outlier_share)):
        samples[i] = 2000.0
    return samples
# --8<-- [end:percentiles]


# --8<-- [start:histogram]
class Histogram:
    """Cumulative-bucket histogram in the style of a Prometheus histogram.

    Each instance only counts observations per bucket, so histograms from many
    hosts merge by adding counts; quantiles are computed after merging. The
    price is resolution: the answer is interpolated inside one bucket.
    """

    def __init__(self, bounds: list[float]) -> None:
        self.bounds = bounds                    # upper bounds ("le"), ascending
        self.counts = [0] * (len(bounds) + 1)   # the last bucket is +Inf

    def observe(self, value: float) -> None:
        self.counts[bisect_left(self.bounds, value)] += 1

    def merge(self, other: Histogram) -> Histogram:
        merged = Histogram(self.bounds)
        merged.counts = [a + b for a, b in zip(self.counts, other.counts)]
        return merged

    def quantile(self, q: float) -> float:
        """Linear interpolation inside the bucket holding rank q*n, as
        PromQL's histogram_quantile() does."""
        target = q * sum(self.counts)
        seen = 0
        for i, count in enumerate(self.counts[:-1]):
            if count and seen + count >= target:  # skip empty buckets: nothing to interpolate
                lower = self.bounds[i - 1] if i else 0.0
                return lower + (self.bounds[i] - lower) * (target - seen) / count
            seen += count
        return self.bounds[-1]  # rank falls in +Inf: the highest finite bound is all we know
# --8<-- [end:histogram]


# --8<-- [start:loadavg]
# Constants from include/linux/sched/loadavg.h: 11 fractional bits, and
# exp(-5 s / window) in fixed point for the 1-, 5- and 15-minute windows.
FSHIFT = 11
FIXED_1 = 1 << FSHIFT            # 1.0 == 2048
LOAD_FREQ_S = 5                  # the kernel samples every 5 s (5*HZ+1 ticks)
EXP = {1: 1884, 5: 2014, 15: 2037}


def fixed_point_constant(window_minutes: int) -> int:
    """Where 1884, 2014 and 2037 come from: FIXED_1 * e^(-5 s / window)."""
    return round(FIXED_1 * math.exp(-LOAD_FREQ_S / (60 * window_minutes)))


def calc_load(load: int, exp: int, active: int) -> int:
    """One update of kernel calc_load(): new = old*e + active*(1-e), in fixed
    point. ``active`` is (runnable + uninterruptible tasks) * FIXED_1. The
    round-up while rising lets the average actually reach a steady load."""
    newload = load * exp + active * (FIXED_1 - exp)
    if active >= load:
        newload += FIXED_1 - 1
    return newload // FIXED_1


def as_proc_loadavg(load: int) -> str:
    """Format like /proc/loadavg: add FIXED_1/200 to round, then two decimals."""
    load += FIXED_1 // 200
    return f"{load >> FSHIFT}.{((load & (FIXED_1 - 1)) * 100) >> FSHIFT:02d}"


def simulate_load(tasks_per_sample: list[int]) -> dict[int, list[int]]:
    """Feed one task count per 5-second sample; return every window's series."""
    series = {window: [0] for window in EXP}
    for tasks in tasks_per_sample:
        for window, exp in EXP.items():
            series[window].append(calc_load(series[window][-1], exp, tasks * FIXED_1))
    return series


def per_minute(series: list[int]) -> list[float]:
    """Every 12th sample (one per minute), as plain numbers rounded to 0.01."""
    return [round(v / FIXED_1, 2) for v in series[::12]]
# --8<-- [end:loadavg]


# --8<-- [start:omission]
def server_start(t: int, stall: tuple[int, int]) -> int:
    """The server starts a request at once, except during the stall window."""
    return stall[1] if stall[0] <= t < stall[1] else t


def closed_loop(duration_ms: int, interval_ms: int, service_ms: int, stall: tuple[int, int]) -> list[int]:
    """A load generator that waits for each response before sending the next.
    While the server is stalled it sends nothing, so it records one slow
    sample where users would have seen a hundred."""
    recorded, t = [], 0
    while t < duration_ms:
        done = server_start(t, stall) + service_ms
        recorded.append(done - t)
        t = max(t + interval_ms, done)
    return recorded


def open_loop(duration_ms: int, interval_ms: int, service_ms: int, stall: tuple[int, int]) -> list[int]:
    """Requests go out on schedule whatever happens; latency is measured from
    the intended send time, which is what a user arriving then experiences."""
    latencies = []
    for t in range(0, duration_ms, interval_ms):
        latencies.append(server_start(t, stall) + service_ms - t)
    return latencies


def corrected(recorded: list[int], interval_ms: int) -> list[int]:
    """HdrHistogram's recordValueWithExpectedInterval(): for a sample longer
    than the send interval, also record the requests that should have been
    sent meanwhile (value - interval, value - 2*interval, ...)."""
    out = []
    for value in recorded:
        out.append(value)
        missing = value - interval_ms
        while missing >= interval_ms:
            out.append(missing)
            missing -= interval_ms
    return out
# --8<-- [end:omission]


# --8<-- [start:queueing]
def littles_law_in_flight(arrival_rate_per_s: float, mean_time_in_system_s: float) -> float:
    """L = lambda * W: average requests in the system."""
    return arrival_rate_per_s * mean_time_in_system_s


def mm1_response_time(service_time: float, utilisation: float) -> float:
    """Mean time in an M/M/1 queue: S / (1 - rho). Explodes as rho -> 1."""
    return service_time / (1 - utilisation)


def fanout_slow_probability(per_server_slow: float, servers: int) -> float:
    """A request that waits for every leaf is slow if any leaf is slow."""
    return 1 - (1 - per_server_slow) ** servers
# --8<-- [end:queueing]


# --8<-- [start:usl]
def usl_capacity(n: float, alpha: float, beta: float) -> float:
    """Gunther's Universal Scalability Law: throughput of n workers relative to one.

    alpha is contention (the serial share, as in Amdahl's law); beta is coherency,
    the cost of every pair of workers keeping each other's data consistent.
    """
    return n / (1 + alpha * (n - 1) + beta * n * (n - 1))


def usl_peak(alpha: float, beta: float) -> float:
    """Where dC/dN = 0: beyond it, more workers lower total throughput."""
    return math.sqrt((1 - alpha) / beta)
# --8<-- [end:usl]


def main() -> None:
    samples = latency_samples()
    print("1) One service, 10,000 requests, 0.5% of them stalled at 2,000 ms")
    print(f"   mean  {statistics.fmean(samples):7.1f} ms   (pulled up by the stalls)")
    for p in (50, 90, 99, 99.9):
        print(f"   p{p:<4} {percentile(samples, p):7.1f} ms")
    print(f"   p99 by statistics.quantiles (interpolated): {statistics.quantiles(samples, n=100)[98]:.1f} ms")

    rng = random.Random(7)
    busy = [rng.lognormvariate(math.log(20), 0.35) for _ in range(9_000)]
    quiet = [rng.lognormvariate(math.log(60), 0.35) for _ in range(1_000)]
    bounds = [5, 10, 15, 20, 25, 30, 40, 50, 75, 100, 150, 200, 300, 500]
    h_busy, h_quiet = Histogram(bounds), Histogram(bounds)
    for v in busy:
        h_busy.observe(v)
    for v in quiet:
        h_quiet.observe(v)
    print("\n2) Two hosts: 9,000 fast requests and 1,000 slow ones")
    print(f"   p99 busy host {percentile(busy, 99):6.1f} ms, quiet host {percentile(quiet, 99):6.1f} ms")
    print(f"   mean of the two p99s       {(percentile(busy, 99) + percentile(quiet, 99)) / 2:6.1f} ms  (wrong)")
    print(f"   p99 of all 10,000 requests {percentile(busy + quiet, 99):6.1f} ms  (right)")
    print(f"   p99 from merged histograms {h_busy.merge(h_quiet).quantile(0.99):6.1f} ms  (right, within a bucket)")

    print("\n3) Linux load average, one runnable task from idle")
    print("   constants FIXED_1*exp(-5/window): "
          + ", ".join(f"{w} min = {fixed_point_constant(w)}" for w in EXP))
    minute = simulate_load([1] * 12)
    print("   after 60 s: " + "  ".join(f"{w:>2}-min {as_proc_loadavg(minute[w][-1])}" for w in EXP)
          + f"   (1 - 1/e = {1 - 1 / math.e:.3f})")
    step = simulate_load([1] * 120 + [0] * 120)
    for w in EXP:
        print(f"   {w:>2}-min, one value per minute for 20 min: {per_minute(step[w])}")

    print("\n4) Coordinated omission: a 1 s stall in a 10 s test, one request every 10 ms")
    stall = (5_000, 6_000)
    closed = closed_loop(10_000, 10, 1, stall)
    opened = open_loop(10_000, 10, 1, stall)
    for name, data in (("closed loop (waits for replies)", closed),
                       ("open loop (intended send times)", opened),
                       ("closed loop + interval correction", corrected(closed, 10))):
        print(f"   {name:<34} n={len(data):>4}  p50={percentile(data, 50):>4} ms  "
              f"p99={percentile(data, 99):>4} ms  max={max(data)} ms")

    print("\n5) Queueing arithmetic")
    print(f"   Little's law: 200 req/s x 50 ms = {littles_law_in_flight(200, 0.050):.0f} requests in flight")
    print("   M/M/1 with 10 ms service time: "
          + ", ".join(f"{rho:.0%} busy -> {mm1_response_time(10, rho):.0f} ms" for rho in (0.5, 0.8, 0.9, 0.95, 0.99)))
    print(f"   fan-out to 100 servers, each slow 1% of the time: {fanout_slow_probability(0.01, 100):.1%} of requests slow")

    print("\n6) Universal Scalability Law, contention 5%, coherency 0.1% (beta = 0.001)")
    alpha, beta = 0.05, 0.001
    for n in (1, 8, 16, 31, 64, 128):
        print(f"   N={n:>3}: USL {usl_capacity(n, alpha, beta):5.2f}x   "
              f"Amdahl (beta = 0) {usl_capacity(n, alpha, 0):5.2f}x   linear {n}x")
    print(f"   peak at N = sqrt((1 - alpha) / beta) = {usl_peak(alpha, beta):.1f}; "
          f"Amdahl's ceiling is 1 / alpha = {1 / alpha:.0f}x")


if __name__ == "__main__":
    main()
