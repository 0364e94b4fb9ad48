"""Tests for the Airbnb case study's examples: the behaviour the page describes."""

import pytest


@pytest.fixture
def dual(load_example):
    return load_example("airbnb-architecture/dual_read_compare.py")


@pytest.fixture
def stack(load_example):
    return load_example("airbnb-architecture/toy_smartstack.py")


# --- compare before switching: reads ---------------------------------------

def test_buggy_service_is_caught_on_the_seven_night_boundary_only(dual):
    reader, _ = dual.run_reads(candidate_from=8)
    assert reader.mismatch_rate() == "1/10"
    assert reader.safe_to_switch() is False
    [mismatch] = reader.mismatches
    assert mismatch.request.nights == 7
    assert mismatch.fields == ["total_cents"]
    # 7 x 155.00 = 1085.00, minus 10% = 976.50, plus 45.00 cleaning
    assert mismatch.expected["total_cents"] == 102_150
    assert mismatch.actual["total_cents"] == 113_000


def test_fixed_service_has_no_mismatches_and_may_take_traffic(dual):
    reader, _ = dual.run_reads(candidate_from=dual.WEEKLY_DISCOUNT_NIGHTS)
    assert reader.mismatch_rate() == "0/10"
    assert reader.safe_to_switch() is True


def test_callers_always_receive_the_legacy_answer(dual):
    _, returned = dual.run_reads(candidate_from=8)
    assert [r["quote_id"] for r in returned] == [f"mono-{i}" for i in range(1, 11)]


def test_volatile_fields_must_be_ignored_or_everything_mismatches(dual):
    naive, _ = dual.run_reads(candidate_from=dual.WEEKLY_DISCOUNT_NIGHTS, ignore=frozenset())
    assert naive.mismatch_rate() == "10/10"
    assert all(set(m.fields) == {"quote_id", "computed_at"} for m in naive.mismatches)


def test_a_failing_candidate_is_recorded_but_never_breaks_the_request(dual):
    clock = dual.Clock()

    def broken(request):
        raise TimeoutError("shadow call timed out")

    reader = dual.ShadowReader(dual.make_quoter("mono", clock, 7), broken)
    request = dual.sample_requests()[0]
    answer = reader.read(request)
    assert answer["quote_id"] == "mono-1"
    [mismatch] = reader.mismatches
    assert mismatch.actual is None
    assert "TimeoutError" in mismatch.error


def test_too_few_samples_is_never_safe_and_a_tolerance_can_be_set(dual):
    reader, _ = dual.run_reads(candidate_from=8)
    assert reader.safe_to_switch(max_rate=0.1) is True  # 1/10 is within 10%
    assert reader.safe_to_switch(max_rate=0.1, min_samples=11) is False
    empty = dual.ShadowReader(lambda r: {}, lambda r: {})
    assert empty.safe_to_switch() is False


def test_differing_fields_sees_keys_present_on_one_side_only(dual):
    assert dual.differing_fields({"a": 1}, {"a": 1, "b": 2}, frozenset()) == ["b"]
    assert dual.differing_fields({"a": 1, "t": 5}, {"a": 1, "t": 6}, frozenset({"t"})) == []


# --- compare before switching: writes to a shadow database -------------------

def test_shadow_writes_expose_the_bad_row_and_then_none(dual):
    for start, expected in ((8, ["r07"]), (dual.WEEKLY_DISCOUNT_NIGHTS, [])):
        clock = dual.Clock()
        prod, shadow = dual.shadow_write(dual.sample_requests(), dual.make_quoter("mono", clock, 7),
                                         dual.make_quoter("svc", clock, start))
        assert len(prod) == len(shadow) == 10
        assert dual.diff_tables(prod, shadow) == expected


def test_rows_missing_from_either_side_count_as_differences(dual):
    row = {"total_cents": 1}
    assert dual.diff_tables({"a": row, "b": row}, {"a": row, "c": row}) == ["b", "c"]


def test_dual_read_output_matches_page(run_example, expected_output):
    out = run_example("airbnb-architecture/dual_read_compare.py")
    assert out == expected_output("airbnb-architecture/dual_read_compare.out")
    assert "mismatch rate: 1/10\nsafe to switch: False" in out
    assert "mismatch rate: 0/10\nsafe to switch: True" in out


# --- SmartStack: Nerve, ZooKeeper, Synapse, local HAProxy --------------------

PATH = "/services/pricing/instances"


def build(stack, health, **nerve_kwargs):
    registry = stack.Registry()
    nerves = [stack.Nerve(registry, PATH, ip, check=lambda ip=ip: health[ip], **nerve_kwargs) for ip in health]
    synapse = stack.Synapse(registry, PATH)
    return registry, nerves, synapse


def test_unhealthy_instance_leaves_rotation_and_calls_spread_over_the_rest(stack):
    health = {"10.0.0.1": True, "10.0.0.2": True, "10.0.0.3": True}
    _, nerves, synapse = build(stack, health)
    for n in nerves:
        n.tick()
    assert synapse.proxy.backends == ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
    health["10.0.0.2"] = False
    for n in nerves:
        n.tick()
    assert synapse.proxy.backends == ["10.0.0.1", "10.0.0.3"]
    assert stack.spread(synapse.proxy, 6) == {"10.0.0.1": 3, "10.0.0.3": 3}


def test_session_expiry_removes_ephemeral_nodes_without_nerve(stack):
    health = {"10.0.0.1": True, "10.0.0.2": True}
    registry, nerves, synapse = build(stack, health)
    for n in nerves:
        n.tick()
    registry.expire_session("session-10.0.0.2")
    assert registry.addresses(PATH) == ["10.0.0.1"]
    assert synapse.proxy.backends == ["10.0.0.1"]
    registry.expire_session("session-unknown")  # nothing owned: no change, no watch fired
    assert synapse.proxy.backends == ["10.0.0.1"]


def test_rise_and_fall_need_consecutive_results(stack):
    health = {"10.0.0.1": True}
    registry, [nerve], _ = build(stack, health, rise=2, fall=3)
    nerve.tick()
    assert registry.addresses(PATH) == []  # one pass is not enough with rise=2
    nerve.tick()
    assert registry.addresses(PATH) == ["10.0.0.1"]
    health["10.0.0.1"] = False
    nerve.tick()
    nerve.tick()
    health["10.0.0.1"] = True
    nerve.tick()  # a pass in between resets the failure streak
    health["10.0.0.1"] = False
    nerve.tick()
    nerve.tick()
    assert registry.addresses(PATH) == ["10.0.0.1"]
    nerve.tick()
    assert registry.addresses(PATH) == []


def test_synapse_keeps_previous_backends_when_registry_empties_unless_told_not_to(stack):
    registry = stack.Registry()
    registry.create_ephemeral(PATH, "a", "10.0.0.9", "s1")
    keeper = stack.Synapse(registry, PATH)
    strict = stack.Synapse(registry, PATH, use_previous_backends=False)
    registry.delete(PATH, "a")
    registry.delete(PATH, "a")  # deleting a missing node is a no-op
    assert keeper.proxy.backends == ["10.0.0.9"]
    assert strict.proxy.backends == []
    with pytest.raises(ConnectionError):
        strict.proxy.forward()


def test_smartstack_output_matches_page(run_example, expected_output):
    out = run_example("airbnb-architecture/toy_smartstack.py")
    assert out == expected_output("airbnb-architecture/toy_smartstack.out")
    assert "backends: ['10.0.0.1', '10.0.0.2', '10.0.0.3']" in out
    assert "backends: ['10.0.0.1', '10.0.0.3']" in out
