"""Compare before you switch: shadow reads and shadow writes during a migration.

Airbnb moved functionality out of its Rails monolith ("Monorail") by running
the old and the new code side by side. For reads, both paths are called, the
caller keeps getting the monolith's answer, and the two answers are compared;
traffic moves to the new service only when the mismatch rate is (close to)
zero. For writes, the new service first writes to a *shadow* database whose
rows are compared with production before the service becomes the writer.

This file reproduces that loop on a toy "price quote" endpoint. The extracted
service has one deliberate bug: its weekly discount starts at 8 nights instead
of 7. Every mismatch is recorded with both values, and `safe_to_switch()` only
says yes after enough clean comparisons.

Two details matter in practice and are modelled here:

* Responses contain fields that legitimately differ between the two paths (a
  generated quote id, a timestamp). They must be stripped before comparing,
  or every request looks like a mismatch.
* The candidate can raise. A shadow call must never break the real request,
  so errors are counted as mismatches and swallowed.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

# --8<-- [start:domain]
WEEKLY_DISCOUNT_NIGHTS = 7  # stays this long or longer get the weekly price
WEEKLY_DISCOUNT_PERCENT = 10


@dataclass(frozen=True)
class QuoteRequest:
    """A guest asks what a stay costs. Money is in integer cents: no float drift."""

    request_id: str
    listing_id: int
    nights: int
    nightly_cents: int
    cleaning_cents: int


Response = dict[str, object]


class Clock:
    """Injected clock: each call returns the next second, so runs are repeatable."""

    def __init__(self, start: int = 1_700_000_000) -> None:
        self._now = start

    def now(self) -> int:
        self._now += 1
        return self._now


def make_quoter(source: str, clock: Clock, discount_from_nights: int) -> Callable[[QuoteRequest], Response]:
    """Build one implementation of the quote endpoint.

    `source` prefixes the generated quote ids ("mono" or "svc"), so the two
    paths never produce the same id: exactly the kind of field a comparison
    has to ignore. `discount_from_nights` is where the old and new code differ.
    """
    ids = itertools.count(1)

    def quote(req: QuoteRequest) -> Response:
        subtotal = req.nights * req.nightly_cents
        discount = subtotal * WEEKLY_DISCOUNT_PERCENT // 100 if req.nights >= discount_from_nights else 0
        return {
            "quote_id": f"{source}-{next(ids)}",  # differs by design
            "computed_at": clock.now(),  # differs by design
            "listing_id": req.listing_id,
            "nights": req.nights,
            "total_cents": subtotal - discount + req.cleaning_cents,
        }

    return quote
# --8<-- [end:domain]


# --8<-- [start:core]
VOLATILE_FIELDS = frozenset({"quote_id", "computed_at"})


def differing_fields(expected: Response, actual: Response, ignore: frozenset[str]) -> list[str]:
    """Names of the fields whose values differ, after dropping volatile ones."""
    keys = (expected.keys() | actual.keys()) - ignore
    return sorted(k for k in keys if expected.get(k) != actual.get(k))


@dataclass
class Mismatch:
    """One disagreement, kept with both answers so an engineer can debug it."""

    request: QuoteRequest
    expected: Response
    actual: Response | None  # None when the candidate raised
    fields: list[str]
    error: str | None = None


@dataclass
class ShadowReader:
    """Call the legacy path and the candidate; always return the legacy answer.

    In production the candidate call and the comparison run asynchronously or
    on a sample of traffic, so the shadow path adds no latency to the user's
    request. Here they run inline to keep the example deterministic.
    """

    legacy: Callable[[QuoteRequest], Response]
    candidate: Callable[[QuoteRequest], Response]
    ignore: frozenset[str] = VOLATILE_FIELDS
    total: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)

    def read(self, request: QuoteRequest) -> Response:
        expected = self.legacy(request)  # the source of truth during migration
        self.total += 1
        try:
            actual = self.candidate(request)
        except Exception as exc:  # a shadow failure must never reach the caller
            self.mismatches.append(Mismatch(request, expected, None, [], error=repr(exc)))
            return expected
        fields = differing_fields(expected, actual, self.ignore)
        if fields:
            self.mismatches.append(Mismatch(request, expected, actual, fields))
        return expected

    def mismatch_rate(self) -> str:
        return f"{len(self.mismatches)}/{self.total}"

    def safe_to_switch(self, max_rate: float = 0.0, min_samples: int = 10) -> bool:
        """Flip traffic only after enough comparisons and a low enough mismatch rate."""
        if self.total < min_samples:
            return False
        return len(self.mismatches) / self.total <= max_rate
# --8<-- [end:core]


# --8<-- [start:writes]
Table = dict[str, Response]


def shadow_write(requests: Iterable[QuoteRequest],
                 legacy: Callable[[QuoteRequest], Response],
                 candidate: Callable[[QuoteRequest], Response]) -> tuple[Table, Table]:
    """The legacy path writes production; the candidate writes a shadow table."""
    production: Table = {}
    shadow: Table = {}
    for req in requests:
        production[req.request_id] = legacy(req)
        shadow[req.request_id] = candidate(req)
    return production, shadow


def diff_tables(production: Table, shadow: Table, ignore: frozenset[str] = VOLATILE_FIELDS) -> list[str]:
    """Keys whose rows are missing on one side or differ in a non-volatile field."""
    keys = production.keys() | shadow.keys()
    return sorted(k for k in keys
                  if k not in production or k not in shadow
                  or differing_fields(production[k], shadow[k], ignore))
# --8<-- [end:writes]


def sample_requests() -> list[QuoteRequest]:
    """Ten fixed requests; only the 7-night stay sits on the buggy boundary."""
    nights = [1, 2, 3, 4, 5, 6, 7, 8, 10, 14]
    return [QuoteRequest(f"r{i:02d}", 1000 + i, n, 12_000 + 500 * i, 4_500)
            for i, n in enumerate(nights, start=1)]


def run_reads(candidate_from: int, ignore: frozenset[str] = VOLATILE_FIELDS) -> tuple[ShadowReader, list[Response]]:
    """Shadow-read all sample requests against a candidate with the given discount start."""
    clock = Clock()
    reader = ShadowReader(make_quoter("mono", clock, WEEKLY_DISCOUNT_NIGHTS),
                          make_quoter("svc", clock, candidate_from), ignore)
    returned = [reader.read(req) for req in sample_requests()]
    return reader, returned


def report(reader: ShadowReader) -> None:
    for m in reader.mismatches:
        assert m.actual is not None  # the demo's candidates never raise
        diffs = ", ".join(f"{f} monolith={m.expected[f]} service={m.actual[f]}" for f in m.fields)
        print(f"  mismatch {m.request.request_id} ({m.request.nights} nights): {diffs}")
    print(f"mismatch rate: {reader.mismatch_rate()}")
    print(f"safe to switch: {reader.safe_to_switch()}")


def main() -> None:
    naive, _ = run_reads(candidate_from=WEEKLY_DISCOUNT_NIGHTS, ignore=frozenset())
    print(f"naive comparison, ids and timestamps included: mismatch rate {naive.mismatch_rate()}")

    print("shadow reads, service with the discount bug (starts at 8 nights):")
    buggy, returned = run_reads(candidate_from=8)
    report(buggy)
    print(f"callers always got the monolith's answer: {all(str(r['quote_id']).startswith('mono') for r in returned)}")

    print("shadow reads, fixed service (starts at 7 nights):")
    fixed, _ = run_reads(candidate_from=WEEKLY_DISCOUNT_NIGHTS)
    report(fixed)

    for label, start in (("buggy", 8), ("fixed", WEEKLY_DISCOUNT_NIGHTS)):
        clock = Clock()
        prod, shadow = shadow_write(sample_requests(), make_quoter("mono", clock, WEEKLY_DISCOUNT_NIGHTS),
                                    make_quoter("svc", clock, start))
        print(f"shadow writes, {label} service: rows differing from production: {diff_tables(prod, shadow)}")


if __name__ == "__main__":
    main()
