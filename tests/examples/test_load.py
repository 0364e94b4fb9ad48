"""Tests for docs/examples/load/load_metrics.py.

They check the claims the Load page makes with the example's real functions:
the kernel's fixed-point load average reads 1 - 1/e after one minute, the
nearest-rank percentile exposes a tail the mean hides, percentiles must be
merged rather than averaged, and a closed-loop generator hides a stall.
"""

import math
import re
from pathlib import Path

import pytest

EXAMPLE = "load/load_metrics.py"
PAGE = Path(__file__).resolve().parents[2] / "docs" / "component" / "load.md"


@pytest.fixture
def lm(load_example):
    return load_example(EXAMPLE)


def chart_lines() -> list[list[float]]:
    """The `line [...]` series of the page's xy charts, in page order."""
    found = re.findall(r"^\s*line \[(.*)\]$", PAGE.read_text(encoding="utf-8"), flags=re.M)
    return [[float(x) for x in line.split(",")] for line in found]


def test_kernel_constants_are_exp_of_minus_five_seconds_over_the_window(lm):
    assert {w: lm.fixed_point_constant(w) for w in (1, 5, 15)} == {1: 1884, 5: 2014, 15: 2037}
    assert lm.EXP == {1: 1884, 5: 2014, 15: 2037}
    assert lm.FIXED_1 == 2048


def test_one_minute_average_reads_1_minus_1_over_e_after_one_minute(lm):
    series = lm.simulate_load([1] * 12)  # twelve 5-second samples of one busy task
    one, five, fifteen = (series[w][-1] / lm.FIXED_1 for w in (1, 5, 15))
    assert one == pytest.approx(1 - 1 / math.e, abs=0.005)
    assert five == pytest.approx(1 - math.exp(-60 / 300), abs=0.005)
    assert fifteen == pytest.approx(1 - math.exp(-60 / 900), abs=0.005)
    assert [lm.as_proc_loadavg(series[w][-1]) for w in (1, 5, 15)] == ["0.63", "0.18", "0.06"]


def test_fixed_point_tracks_the_real_exponential(lm):
    series = lm.simulate_load([3] * 60)
    for k, fixed in enumerate(series[1]):
        assert fixed / lm.FIXED_1 == pytest.approx(3 * (1 - math.exp(-5 * k / 60)), abs=0.01)


def test_load_reaches_and_leaves_a_steady_value(lm):
    series = lm.simulate_load([1] * 120 + [0] * 120)
    assert lm.as_proc_loadavg(series[1][120]) == "1.00"  # the round-up lets it reach 1.00
    assert series[1][-1] == 0  # and truncation lets it fall back to exactly 0
    assert series[15][-1] > series[5][-1] > series[1][-1]  # longer windows remember longer


def test_page_chart_uses_the_example_numbers(lm):
    series = lm.simulate_load([1] * 120 + [0] * 120)
    chart = chart_lines()[:3]
    # Drawn in the order 15-, 1-, 5-minute so the 1-minute line gets the most visible colour.
    assert chart == [lm.per_minute(series[w]) for w in (15, 1, 5)]


def test_page_usl_chart_uses_the_example_numbers(lm):
    workers = [1, 8, 16, 24, 32, 40, 48, 56, 64]
    usl, amdahl = chart_lines()[3:]
    assert usl == [round(lm.usl_capacity(n, 0.05, 0.001), 1) for n in workers]
    assert amdahl == [round(lm.usl_capacity(n, 0.05, 0), 1) for n in workers]


def test_nearest_rank_percentile(lm):
    data = [15, 20, 35, 40, 50]
    assert [lm.percentile(data, p) for p in (5, 30, 40, 50, 100)] == [15, 20, 20, 35, 50]
    assert lm.percentile(list(range(1, 101)), 99) == 99
    assert lm.percentile([7.0], 0) == 7.0


def test_mean_and_median_hide_the_tail(lm):
    samples = lm.latency_samples()
    mean, p50 = sum(samples) / len(samples), lm.percentile(samples, 50)
    assert len(samples) == 10_000 and samples.count(2000.0) == 50
    assert mean > 1.4 * p50
    assert lm.percentile(samples, 99) < 100  # p99 misses the 0.5% of stalls ...
    assert lm.percentile(samples, 99.9) == 2000.0  # ... p99.9 lands on them


def test_averaging_percentiles_is_not_the_fleet_percentile(lm):
    import random
    rng = random.Random(7)
    busy = [rng.lognormvariate(math.log(20), 0.35) for _ in range(9_000)]
    quiet = [rng.lognormvariate(math.log(60), 0.35) for _ in range(1_000)]
    averaged = (lm.percentile(busy, 99) + lm.percentile(quiet, 99)) / 2
    true = lm.percentile(busy + quiet, 99)
    assert abs(averaged - true) > 5
    bounds = [5, 10, 15, 20, 25, 30, 40, 50, 75, 100, 150, 200, 300, 500]
    a, b = lm.Histogram(bounds), lm.Histogram(bounds)
    for v in busy:
        a.observe(v)
    for v in quiet:
        b.observe(v)
    merged = a.merge(b)
    assert sum(merged.counts) == 10_000
    assert 75 <= merged.quantile(0.99) <= 100 and 75 <= true <= 100  # same bucket as the truth


def test_histogram_quantile_interpolates_and_caps_at_the_last_bound(lm):
    h = lm.Histogram([10, 20])
    for v in (5, 15, 15, 15, 999):
        h.observe(v)
    assert h.counts == [1, 3, 1]
    assert h.quantile(0.2) == pytest.approx(10.0)
    assert h.quantile(0.5) == pytest.approx(10 + 10 * 1.5 / 3)
    assert h.quantile(0.99) == 20  # in +Inf: only the last finite bound is known


def test_closed_loop_generator_hides_the_stall(lm):
    stall = (5_000, 6_000)
    closed = lm.closed_loop(10_000, 10, 1, stall)
    opened = lm.open_loop(10_000, 10, 1, stall)
    assert len(opened) == 1_000 and len(closed) == 901  # ~99 requests were never sent
    assert sum(v > 1 for v in closed) == 1  # one delayed sample ...
    assert sum(v > 1 for v in opened) == 100  # ... where 100 users waited 11 to 1,001 ms
    assert lm.percentile(closed, 99) == 1 and lm.percentile(opened, 99) == 901
    assert sorted(lm.corrected(closed, 10)) == sorted(opened)


def test_queueing_arithmetic(lm):
    assert lm.littles_law_in_flight(200, 0.050) == pytest.approx(10)
    assert [lm.mm1_response_time(10, rho) for rho in (0.5, 0.9)] == pytest.approx([20, 100])
    assert lm.fanout_slow_probability(0.01, 100) == pytest.approx(0.634, abs=0.001)
    assert lm.fanout_slow_probability(0.01, 1) == pytest.approx(0.01)


def test_usl_peaks_and_then_falls_while_amdahl_only_flattens(lm):
    alpha, beta = 0.05, 0.001
    assert lm.usl_capacity(1, alpha, beta) == 1
    assert lm.usl_capacity(10, 0, 0) == 10  # no contention, no coherency: linear
    peak = lm.usl_peak(alpha, beta)
    assert peak == pytest.approx(30.8, abs=0.05)
    # The formula's maximum is where the page says it is ...
    best = max(range(1, 200), key=lambda n: lm.usl_capacity(n, alpha, beta))
    assert best in (math.floor(peak), math.ceil(peak))
    # ... and past it doubling the workers lowers throughput (retrograde scaling).
    assert lm.usl_capacity(64, alpha, beta) < lm.usl_capacity(31, alpha, beta)
    assert lm.usl_capacity(128, alpha, beta) < lm.usl_capacity(64, alpha, beta)
    # With beta = 0 the law is Amdahl's: it rises for ever towards 1 / alpha.
    amdahl = [lm.usl_capacity(n, alpha, 0) for n in (16, 64, 1024, 10**6)]
    assert amdahl == sorted(amdahl) and amdahl[-1] < 1 / alpha


def test_printed_output_is_the_page_output(run_example, expected_output):
    assert run_example(EXAMPLE) == expected_output("load/load_metrics.out")
