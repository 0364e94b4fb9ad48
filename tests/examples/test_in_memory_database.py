"""Tests for the In-Memory Database page's examples: the behaviour the page claims."""

import pytest


@pytest.fixture
def aof(load_example):
    return load_example("in-memory-database/aof_store.py")


@pytest.fixture
def cluster(load_example):
    return load_example("in-memory-database/cluster_slot.py")


def _write_torn(path, text='["set", "c", '):
    with open(path, "a", encoding="utf-8") as f:
        f.write(text)


# --- append-only store -------------------------------------------------------

def test_state_survives_a_restart(aof, tmp_path):
    log = tmp_path / "a.aof"
    store = aof.AppendOnlyStore(log)
    aof.write_scenario(store)
    store.close()
    again = aof.AppendOnlyStore(log)
    assert again.data == {"b": 2, "counter": 4}
    assert again.truncated == 0
    again.close()


def test_torn_last_write_is_dropped_and_cut_off(aof, tmp_path):
    log = tmp_path / "a.aof"
    store = aof.AppendOnlyStore(log)
    aof.write_scenario(store)
    store.close()
    clean_size = log.stat().st_size
    _write_torn(log)
    store = aof.AppendOnlyStore(log)
    assert store.data == {"b": 2, "counter": 4}
    assert store.truncated == 1
    assert log.stat().st_size == clean_size  # the fragment is gone from disk
    store.set("counter", 5)
    store.close()
    again = aof.AppendOnlyStore(log)
    assert again.data == {"b": 2, "counter": 5} and again.truncated == 0
    again.close()


def test_complete_record_without_newline_counts_as_torn(aof, tmp_path):
    log = tmp_path / "a.aof"
    log.write_text('["set", "x", 1]\n["set", "y", 2]', encoding="utf-8")
    store = aof.AppendOnlyStore(log)
    assert store.data == {"x": 1}  # the newline is the commit marker
    assert store.truncated == 1
    store.close()


def test_without_tail_repair_the_next_write_corrupts_the_log(aof, tmp_path):
    log = tmp_path / "a.aof"
    log.write_text('["set", "x", 1]\n', encoding="utf-8")
    _write_torn(log)
    store = aof.AppendOnlyStore(log, repair_tail=False)
    assert store.truncated == 1
    store.set("x", 2)
    store.close()
    with pytest.raises(aof.CorruptLogError, match="bad record 2 before the end"):
        aof.AppendOnlyStore(log)


def test_corruption_in_the_middle_stops_the_load(aof, tmp_path):
    log = tmp_path / "a.aof"
    log.write_text('["set", "x", 1]\nGARBAGE\n["set", "y", 2]\n', encoding="utf-8")
    with pytest.raises(aof.CorruptLogError):
        aof.AppendOnlyStore(log)


def test_compaction_keeps_state_and_shrinks_log(aof, tmp_path):
    log = tmp_path / "a.aof"
    store = aof.AppendOnlyStore(log)
    aof.write_scenario(store)
    assert aof.count_lines(log) == 8
    store.compact()
    assert aof.count_lines(log) == 2
    store.set("z", [1, 2])  # appends go to the new file after the swap
    store.close()
    again = aof.AppendOnlyStore(log)
    assert again.data == {"b": 2, "counter": 4, "z": [1, 2]}
    again.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.aof"]  # no temp files left


def test_delete_of_missing_key_is_harmless(aof, tmp_path):
    log = tmp_path / "a.aof"
    store = aof.AppendOnlyStore(log)
    store.delete("never-set")
    store.close()
    again = aof.AppendOnlyStore(log)
    assert again.data == {}
    again.close()


@pytest.mark.parametrize("policy, expected", [("always", 8), ("everysec", 2), ("no", 0)])
def test_fsync_policies(aof, tmp_path, policy, expected):
    # eight writes at t = 0.25, 0.5, ... 2.0 s; "everysec" syncs at 1.0 and 2.0
    assert aof.fsyncs_for(policy, tmp_path) == expected


def test_step_clock_is_deterministic(aof):
    clock = aof.StepClock(0.5)
    assert [clock(), clock(), clock()] == [0.0, 0.5, 1.0]


# --- Redis Cluster slots ------------------------------------------------------

def test_crc16_matches_the_spec_check_value(cluster):
    assert cluster.crc16_xmodem(b"123456789") == 0x31C3


@pytest.mark.parametrize("key, slot", [("somekey", 11058), ("foo{hash_tag}", 2515), ("bar{hash_tag}", 2515)])
def test_slots_match_redis_cluster_keyslot_examples(cluster, key, slot):
    assert cluster.key_slot(key) == slot


@pytest.mark.parametrize("key, hashed", [
    ("{user1000}.following", "user1000"),
    ("foo{}{bar}", "foo{}{bar}"),
    ("foo{{bar}}zap", "{bar"),
    ("foo{bar}{zap}", "bar"),
    ("no-tag", "no-tag"),
    ("open{only", "open{only"),
])
def test_hash_tag_rules_from_the_spec(cluster, key, hashed):
    assert cluster.hash_tag(key) == hashed


def test_hash_tags_colocate_keys(cluster):
    assert cluster.key_slot("{user:1000}.cart") == cluster.key_slot("{user:1000}.profile")


def test_slot_ranges_cover_every_slot(cluster):
    assert cluster.node_for_slot(0) == "A"
    assert cluster.node_for_slot(5461) == "B"
    assert cluster.node_for_slot(16383) == "C"
    with pytest.raises(ValueError):
        cluster.node_for_slot(16384)


# --- the printed demonstrations ---------------------------------------------

@pytest.mark.parametrize("name", ["aof_store", "cluster_slot"])
def test_output_matches_page(run_example, expected_output, name):
    assert run_example(f"in-memory-database/{name}.py") == expected_output(f"in-memory-database/{name}.out")
