"""Tests for the Load Balance page's examples: the behaviour the page claims."""

from collections import Counter

import pytest


@pytest.fixture
def swrr(load_example):
    return load_example("load-balance/smooth_wrr.py")


@pytest.fixture
def ring_mod(load_example):
    return load_example("load-balance/hash_ring.py")


@pytest.fixture
def subsets(load_example):
    return load_example("load-balance/subsetting.py")


KEYS = [f"user:{i}" for i in range(10_000)]
FOUR = ["node-a", "node-b", "node-c", "node-d"]


# --- smooth weighted round robin -------------------------------------------

def test_smooth_wrr_yields_nginx_documented_order(swrr):
    picker = swrr.SmoothWeightedRoundRobin({"a": 5, "b": 1, "c": 1})
    assert [picker.pick() for _ in range(7)] == list("aabacaa")


def test_smooth_wrr_shares_match_weights_every_cycle(swrr):
    picker = swrr.SmoothWeightedRoundRobin({"a": 5, "b": 1, "c": 1})
    counts = Counter(picker.pick() for _ in range(700))
    assert counts == {"a": 500, "b": 100, "c": 100}


def _max_lag(seq, weights):
    """Largest gap, over all prefixes, between a backend's picks and its fair share."""
    total = sum(weights.values())
    worst = 0.0
    for t in range(1, len(seq) + 1):
        counts = Counter(seq[:t])
        for name, weight in weights.items():
            worst = max(worst, abs(counts[name] - t * weight / total))
    return worst


def test_smooth_wrr_stays_within_one_request_of_fair_share_naive_does_not(swrr):
    weights = {"a": 5, "b": 1, "c": 1}
    picker = swrr.SmoothWeightedRoundRobin(weights)
    smooth = [picker.pick() for _ in range(70)]
    naive = swrr.naive_weighted_round_robin(weights, 70)
    assert "".join(naive[:7]) == "aaaaabc"
    assert _max_lag(smooth, weights) < 1
    assert _max_lag(naive, weights) > 1.4  # after five a's in a row: 5 - 25/7


def test_scores_sum_to_zero_and_return_to_zero_after_a_cycle(swrr):
    picker = swrr.SmoothWeightedRoundRobin({"x": 3, "y": 2})
    for _ in range(5):
        picker.pick()
        assert sum(picker.scores().values()) == 0
    assert picker.scores() == {"x": 0, "y": 0}


def test_tie_goes_to_first_declared_backend(swrr):
    picker = swrr.SmoothWeightedRoundRobin({"p": 1, "q": 1, "r": 1})
    assert [picker.pick() for _ in range(6)] == list("pqrpqr")


@pytest.mark.parametrize("weights", [{}, {"a": 0}, {"a": 2, "b": -1}])
def test_rejects_empty_pool_and_non_positive_weights(swrr, weights):
    with pytest.raises(ValueError):
        swrr.SmoothWeightedRoundRobin(weights)


# --- consistent hashing vs modulo -------------------------------------------

def test_hash_is_stable_and_64_bit(ring_mod):
    assert ring_mod.hash64("user:1") == ring_mod.hash64("user:1")
    assert 0 <= ring_mod.hash64("user:1") < 2**64
    # a fixed value: the same on every machine and every run
    assert ring_mod.hash64("") == 0xD41D8CD98F00B204


def test_adding_a_node_moves_about_one_fifth_and_only_to_the_new_node(ring_mod):
    ring = ring_mod.HashRing(FOUR, vnodes=100)
    before = {k: ring.node_for(k) for k in KEYS}
    ring.add("node-e")
    after = {k: ring.node_for(k) for k in KEYS}
    fraction = ring_mod.moved_fraction(before, after)
    assert 0.10 < fraction < 0.30
    assert {after[k] for k in KEYS if before[k] != after[k]} == {"node-e"}


@pytest.mark.parametrize("n", [2, 4, 9, 19])
def test_adding_one_node_to_n_moves_about_one_in_n_plus_one(ring_mod, n):
    nodes = [f"n{i}" for i in range(n)]
    ring = ring_mod.HashRing(nodes, vnodes=100)
    before = {k: ring.node_for(k) for k in KEYS}
    ring.add("new")
    after = {k: ring.node_for(k) for k in KEYS}
    # The page's K/(n+1): the newcomer takes its fair share and nothing else moves.
    assert ring_mod.moved_fraction(before, after) == pytest.approx(1 / (n + 1), abs=0.04)
    # hash % N instead moves n/(n+1) of the keys.
    mod_before = {k: ring_mod.modulo_node(k, nodes) for k in KEYS}
    mod_after = {k: ring_mod.modulo_node(k, nodes + ["new"]) for k in KEYS}
    assert ring_mod.moved_fraction(mod_before, mod_after) == pytest.approx(n / (n + 1), abs=0.02)


def test_modulo_hashing_moves_most_keys(ring_mod):
    before = {k: ring_mod.modulo_node(k, FOUR) for k in KEYS}
    after = {k: ring_mod.modulo_node(k, FOUR + ["node-e"]) for k in KEYS}
    assert ring_mod.moved_fraction(before, after) > 0.70


def test_removing_a_node_moves_only_its_keys(ring_mod):
    ring = ring_mod.HashRing(FOUR + ["node-e"], vnodes=100)
    before = {k: ring.node_for(k) for k in KEYS}
    ring.remove("node-c")
    after = {k: ring.node_for(k) for k in KEYS}
    moved = {k for k in KEYS if before[k] != after[k]}
    assert moved == {k for k in KEYS if before[k] == "node-c"}
    assert "node-c" not in set(after.values())


def test_virtual_nodes_keep_load_roughly_even(ring_mod):
    ring = ring_mod.HashRing(FOUR, vnodes=100)
    counts = Counter(ring.node_for(k) for k in KEYS)
    assert set(counts) == set(FOUR)
    assert max(counts.values()) < 1.3 * len(KEYS) / len(FOUR)
    assert min(counts.values()) > 0.7 * len(KEYS) / len(FOUR)


# --- deterministic subsetting ------------------------------------------------

BACKENDS = [f"b{i:03}" for i in range(300)]


def test_deterministic_subsets_give_every_backend_the_same_number_of_clients(subsets):
    load = subsets.clients_per_backend(BACKENDS, 1_200, 30, subsets.deterministic_subset)
    assert set(load) == set(BACKENDS)
    assert set(load.values()) == {1_200 * 30 // 300}


def test_random_subsets_are_uneven(subsets):
    load = subsets.clients_per_backend(BACKENDS, 1_200, 30, subsets.random_subset)
    assert max(load.values()) - min(load.values()) > 30


def test_a_subset_is_distinct_backends_and_the_same_on_every_call(subsets):
    first = subsets.deterministic_subset(BACKENDS, 17, 30)
    assert len(set(first)) == 30
    assert subsets.deterministic_subset(list(reversed(BACKENDS))[::-1], 17, 30) == first
    # Clients of one round share a shuffle and never overlap.
    round_mates = [set(subsets.deterministic_subset(BACKENDS, c, 30)) for c in range(10)]
    assert set.union(*round_mates) == set(BACKENDS)


# --- the printed demonstrations ---------------------------------------------

@pytest.mark.parametrize("name", ["smooth_wrr", "hash_ring", "subsetting"])
def test_output_matches_page(run_example, expected_output, name):
    assert run_example(f"load-balance/{name}.py") == expected_output(f"load-balance/{name}.out")
