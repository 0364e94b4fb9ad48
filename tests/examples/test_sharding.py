"""Tests for the Sharding page's examples: the behaviour the page claims."""

from collections import Counter

import pytest

KEYS = [f"user:{i}" for i in range(10_000)]
FOUR = ["s1", "s2", "s3", "s4"]
FIVE = FOUR + ["s5"]


@pytest.fixture
def rb(load_example):
    return load_example("sharding/rebalance.py")


@pytest.fixture
def rt(load_example):
    return load_example("sharding/routing.py")


# --- rebalance.py: how much moves when a shard is added ----------------------

def test_hash64_is_stable_and_64_bit(rb):
    assert rb.hash64("user:1") == rb.hash64("user:1")
    assert 0 <= rb.hash64("user:1") < 2**64
    # a fixed value, the same on every machine and in every process
    assert rb.hash64("") == 0xD41D8CD98F00B204


def test_modulo_moves_about_four_keys_in_five(rb):
    before = rb.assign(KEYS, lambda k: rb.modulo_owner(k, FOUR))
    after = rb.assign(KEYS, lambda k: rb.modulo_owner(k, FIVE))
    fraction = len(rb.moved_keys(before, after)) / len(KEYS)
    assert 0.75 < fraction < 0.85  # theory: N/(N+1) = 0.8
    # and keys are shuffled between the old shards too, not only to the new one
    assert {after[k] for k in rb.moved_keys(before, after)} == set(FIVE)


def test_ring_moves_about_a_fifth_all_to_the_new_shard(rb):
    ring = rb.HashRing(FOUR, vnodes=100)
    before = rb.assign(KEYS, ring.owner)
    ring.add("s5")
    after = rb.assign(KEYS, ring.owner)
    moved = rb.moved_keys(before, after)
    assert 0.15 < len(moved) / len(KEYS) < 0.25  # theory: 1/(N+1) = 0.2
    assert {after[k] for k in moved} == {"s5"}


def test_removing_a_shard_moves_only_its_own_keys(rb):
    ring = rb.HashRing(FIVE, vnodes=100)
    before = rb.assign(KEYS, ring.owner)
    ring.remove("s3")
    after = rb.assign(KEYS, ring.owner)
    moved = rb.moved_keys(before, after)
    assert moved and all(before[k] == "s3" for k in moved)
    assert len(moved) == Counter(before.values())["s3"]
    # with vnodes, s3's keys are spread over all the survivors, not dumped on one
    assert {after[k] for k in moved} == {"s1", "s2", "s4", "s5"}


def test_more_vnodes_give_better_balance(rb):
    spreads = [rb.spread(rb.assign(KEYS, rb.HashRing(FIVE, vnodes=v).owner)) for v in (1, 10, 100, 1000)]
    assert spreads == sorted(spreads, reverse=True)
    assert spreads[0] > 2.0  # one point per shard: the largest holds over twice its share
    assert spreads[2] < 1.1  # 100 points per shard: within 10% of the mean


def test_ring_rejects_zero_vnodes(rb):
    with pytest.raises(ValueError):
        rb.HashRing(FOUR, vnodes=0)


def test_crc16_matches_the_redis_cluster_spec(rb):
    # "Output for '123456789': 31C3" in the Redis Cluster specification
    assert rb.crc16_xmodem(b"123456789") == 0x31C3


@pytest.mark.parametrize(
    "key, slot",
    [("somekey", 11058), ("foo{hash_tag}", 2515), ("bar{hash_tag}", 2515)],  # CLUSTER KEYSLOT docs
)
def test_key_slot_matches_redis_cluster_keyslot(rb, key, slot):
    assert rb.key_slot(key) == slot


@pytest.mark.parametrize(
    "key, hashed",
    [
        ("{user1000}.following", "user1000"),
        ("foo{}{bar}", "foo{}{bar}"),  # empty tag: the whole key is hashed
        ("foo{{bar}}zap", "{bar"),  # first { to the first } after it
        ("foo{bar}{zap}", "bar"),
        ("no-braces", "no-braces"),
        ("open{only", "open{only"),
    ],
)
def test_hash_tag_rules(rb, key, hashed):
    assert rb.hash_tag(key) == hashed


def test_hash_tags_colocate_related_keys(rb):
    slots = {rb.key_slot(k) for k in ("user:1000", "{user:1000}.profile", "{user:1000}.cart")}
    assert len(slots) == 1


def test_slot_map_starts_with_equal_contiguous_ranges(rb):
    slots = rb.SlotMap(FOUR)
    assert Counter(slots.table) == {s: 4096 for s in FOUR}
    assert slots.table[0] == "s1" and slots.table[4095] == "s1" and slots.table[4096] == "s2"


def test_adding_a_shard_moves_whole_slots_and_only_their_keys(rb):
    slots = rb.SlotMap(FOUR)
    before_table = list(slots.table)
    before = rb.assign(KEYS, slots.owner)
    moved_slots = slots.add_shard("s5")
    after = rb.assign(KEYS, slots.owner)
    assert moved_slots == 4 * (4096 - 16384 // 5) == 3280
    counts = Counter(slots.table)
    assert max(counts.values()) - min(counts.values()) <= 4
    changed = {i for i in range(rb.SLOTS) if before_table[i] != slots.table[i]}
    assert len(changed) == moved_slots
    moved = rb.moved_keys(before, after)
    assert {rb.key_slot(k) for k in moved} <= changed
    assert {after[k] for k in moved} == {"s5"}
    assert 0.18 < len(moved) / len(KEYS) < 0.22


def test_rebalance_output_matches_page(run_example, expected_output):
    assert run_example("sharding/rebalance.py") == expected_output("sharding/rebalance.out")


# --- routing.py: range, hash, directory, hot keys ---------------------------

def test_range_router_sends_monotonic_inserts_to_the_last_shard(rt):
    router = rt.RangeRouter([250_000, 500_000, 750_000], FOUR)
    assert router.shard_for(0) == "s1"
    assert router.shard_for(249_999) == "s1"
    assert router.shard_for(250_000) == "s2"  # lower bound inclusive
    assert {router.shard_for(i) for i in range(1_000_001, 1_001_001)} == {"s4"}


def test_range_scan_visits_only_overlapping_shards(rt):
    router = rt.RangeRouter([250_000, 500_000, 750_000], FOUR)
    assert router.shards_for_range(1_000, 1_100) == ["s1"]
    assert router.shards_for_range(249_990, 250_010) == ["s1", "s2"]
    assert router.shards_for_range(0, 1_000_000) == FOUR


def test_hash_router_spreads_inserts_but_scatters_scans(rt):
    router = rt.HashRouter(FOUR)
    load = Counter(router.shard_for(i) for i in range(1_000_001, 1_001_001))
    assert set(load) == set(FOUR)
    assert max(load.values()) < 300  # ideal 250 each
    assert router.shards_for_range(1_000, 1_100) == FOUR


@pytest.mark.parametrize("bounds, shards", [([10], ["a"]), ([20, 10], ["a", "b", "c"])])
def test_range_router_rejects_bad_layouts(rt, bounds, shards):
    with pytest.raises(ValueError):
        rt.RangeRouter(bounds, shards)


def test_directory_moves_one_tenant_and_nobody_else(rt):
    rows = {"small-1": 10, "small-2": 20, "whale": 5_000}
    directory = rt.DirectoryRouter()
    for tenant in rows:
        directory.assign(tenant, "s1")
    version = directory.version
    assert directory.move("whale", "s9", rows) == 5_000
    assert directory.shard_for("whale") == "s9"
    assert directory.shard_for("small-1") == directory.shard_for("small-2") == "s1"
    assert directory.version == version + 1  # cached copies of the map are now stale
    assert directory.move("whale", "s9", rows) == 0  # already there: nothing to copy
    with pytest.raises(KeyError):
        directory.shard_for("unknown")


def test_hot_key_overloads_one_shard_and_salting_spreads_it(rt):
    router = rt.HashRouter(FOUR)
    likes = rt.like_stream(10_000, "item:42", hot_every=3, items=2_000)
    assert likes.count("item:42") == 3_334
    plain = rt.shard_load(likes, router.shard_for)
    salted = rt.shard_load(
        (rt.salted(k, i, 8) if k == "item:42" else k for i, k in enumerate(likes)), router.shard_for
    )
    assert sum(plain.values()) == sum(salted.values()) == 10_000
    assert plain[router.shard_for("item:42")] == max(plain.values())
    assert rt.busiest_share(plain) > 0.45
    assert rt.busiest_share(salted) < 0.3


def test_salted_reads_must_gather_every_subkey(rt):
    writes = Counter(rt.salted("item:42", writer, 8) for writer in range(100))
    subkeys = rt.salted_subkeys("item:42", 8)
    assert set(writes) == set(subkeys)
    assert sum(writes[k] for k in subkeys) == 100  # only the gathered sum is the true count


def test_routing_output_matches_page(run_example, expected_output):
    assert run_example("sharding/routing.py") == expected_output("sharding/routing.out")
