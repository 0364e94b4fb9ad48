"""Tests for docs/examples/raft/raft_sim.py.

The simulation is deterministic (fake clock, seeded timeouts), so the tests
run whole scenarios and then check Raft's guarantees on the real objects:
one leader per term, committed entries surviving a leader crash, identical
logs and state machines, and the individual rules in isolation.
"""

import pytest

EXAMPLE = "raft/raft_sim.py"


@pytest.fixture
def raft(load_example):
    return load_example(EXAMPLE)


@pytest.fixture
def crash_run(raft):
    return raft.scenario_crash()


@pytest.fixture
def split_run(raft):
    return raft.scenario_split_vote()


def test_same_seed_gives_the_same_run(raft):
    assert raft.scenario_crash().trace == raft.scenario_crash().trace
    assert raft.scenario_split_vote().trace == raft.scenario_split_vote().trace
    assert raft.scenario_crash(seed=5).trace != raft.scenario_crash().trace


@pytest.mark.parametrize("seed", range(20))
def test_at_most_one_leader_per_term_for_many_seeds(raft, seed):
    for cluster in (raft.scenario_crash(seed), raft.scenario_split_vote(seed)):
        assert cluster.leaders, "some leader must be elected"
        assert all(len(leaders) == 1 for leaders in cluster.leaders.values()), cluster.leaders


@pytest.mark.parametrize("seed", range(20))
def test_committed_entries_survive_the_leader_crash_for_many_seeds(raft, seed):
    cluster = raft.scenario_crash(seed)
    logs = {tuple(node.log) for node in cluster.nodes.values()}
    assert len(logs) == 1, "all logs converge to the leader's"
    for node in cluster.nodes.values():
        # x, y, z were committed before the crash; w=4 never was; v=5 came after.
        assert node.state_machine == {"x": 1, "y": 2, "z": 3, "v": 5}
        assert node.commit_index == node.last_applied == len(node.log)


def test_first_server_to_time_out_wins_term_one(crash_run):
    assert crash_run.trace[0] == "    0 ms  timeouts drawn: S1=210 ms, S2=227 ms, S3=176 ms, S4=251 ms, S5=272 ms"
    assert "  176 ms  S3 times out, becomes candidate for term 1 (lastLogIndex=0, lastLogTerm=0)" in crash_run.trace
    won = next(t for t in crash_run.trace if "becomes LEADER of term 1" in t)
    assert won == "  186 ms  S3 becomes LEADER of term 1 with votes from ['S1', 'S2', 'S3']"
    assert crash_run.leaders[1] == {"S3"}


def test_entries_commit_once_a_majority_stores_them(crash_run):
    line = next(t for t in crash_run.trace if "matchIndex" in t)
    # S1 is down (matchIndex 1), the other three followers hold all 4 entries.
    assert "matchIndex {'S1': 1, 'S2': 4, 'S4': 4, 'S5': 4}, commitIndex 4" in line
    assert "followers' commitIndex S2=4, S4=4, S5=4" in line  # leaderCommit reached them


def test_stale_server_is_refused_and_its_term_gets_no_leader(crash_run):
    refusals = [t for t in crash_run.trace if "refuses S1: its log is behind" in t]
    assert len(refusals) == 3
    assert 2 not in crash_run.leaders
    assert crash_run.leaders[3] == {"S5"}


def test_lagging_follower_is_repaired_by_walking_next_index_back(crash_run):
    decrements = [t.split("  ", 2)[-1] for t in crash_run.trace if "decrements nextIndex[S1]" in t]
    assert decrements == [f"S5 decrements nextIndex[S1] to {i} and retries" for i in (4, 3, 2)]


def test_uncommitted_entry_of_crashed_leader_is_overwritten(crash_run):
    assert any("S3 deletes conflicting entries from index 5: 1:w=4" in t for t in crash_run.trace)
    assert all(e.command != "w=4" for e in crash_run.nodes["S3"].log)


def test_split_vote_then_new_term(split_run):
    trace = "\n".join(split_run.trace)
    assert "S3 votes for S1 in term 1" in trace and "S4 votes for S2 in term 1" in trace
    assert 1 not in split_run.leaders, "2 + 2 votes out of 5 is no majority"
    assert split_run.leaders[2] == {"S3"}


def test_partitioned_server_inflates_its_term_and_deposes_the_leader(split_run):
    trace = "\n".join(split_run.trace)
    assert "S5 times out, becomes candidate for term 3" in trace
    assert "S3 sees term 3 and steps down" in trace
    assert "S5 refuses" not in trace and "S1 refuses S5: its log is behind" in trace
    assert split_run.leaders[5] == {"S4"}
    assert len({tuple(n.log) for n in split_run.nodes.values()}) == 1


def test_up_to_date_rule(raft):
    up = raft.log_is_up_to_date
    assert up(3, 1, 2, 9)          # later last term wins, however short
    assert not up(2, 9, 3, 1)
    assert up(2, 5, 2, 5)          # equal logs: grant
    assert not up(2, 4, 2, 5)      # same last term, shorter log: refuse


def test_commit_rule_never_counts_replicas_of_older_terms(raft):
    E = raft.Entry
    log = [E(1, "a"), E(2, "b")]
    # Index 2 (term 2) sits on 3 of 5 servers, but the leader is in term 4 (Figure 8).
    assert raft.commit_index_after(log, [2, 2, 2, 1, 1], current_term=4, commit_index=1) == 1
    log.append(E(4, "c"))
    # Once a term-4 entry is on a majority, it and everything before it commit.
    assert raft.commit_index_after(log, [3, 3, 3, 1, 1], current_term=4, commit_index=1) == 3
    assert raft.commit_index_after(log, [3, 3, 1, 1, 1], current_term=4, commit_index=1) == 1


def test_consistency_check_rejects_a_term_mismatch_then_overwrites(raft):
    E = raft.Entry
    c = raft.Cluster(["A", "B"], seed=0)
    a, b = c.nodes["A"], c.nodes["B"]
    a.current_term, a.role, a.log = 2, raft.LEADER, [E(1, "no-op"), E(2, "x=1"), E(2, "y=2")]
    a.next_index, a.match_index = {"B": 3}, {"B": 0}
    b.current_term, b.log = 1, [E(1, "no-op"), E(1, "w=4")]
    a.broadcast_append_entries()
    c.run_until(100)
    trace = "\n".join(c.trace)
    assert "B rejects AppendEntries(prevLogIndex=2, prevLogTerm=2): its entry there has term 1" in trace
    assert "A decrements nextIndex[B] to 2 and retries" in trace
    assert "B deletes conflicting entries from index 2: 1:w=4" in trace
    assert b.log == a.log and a.match_index == {"B": 3}


def test_a_late_rejection_does_not_back_up_next_index_twice(raft):
    c = raft.Cluster(["A", "B"], seed=0)
    a = c.nodes["A"]
    a.current_term, a.role, a.log = 1, raft.LEADER, [raft.Entry(1, "no-op")]
    a.next_index, a.match_index = {"B": 2}, {"B": 0}
    a.on_append_reply(raft.AppendReply(1, "B", False, 4))  # answers an older probe
    assert a.next_index == {"B": 2}


def test_vote_refusals(raft):
    c = raft.Cluster(["A", "B", "C"], seed=0)
    a = c.nodes["A"]
    a.current_term = 3
    assert a.vote_refusal(raft.RequestVote(2, "B", 0, 0)) == "its term 2 is stale"
    a.voted_for = "C"
    assert a.vote_refusal(raft.RequestVote(3, "B", 0, 0)) == "already voted for C in term 3"
    a.voted_for, a.log = None, [raft.Entry(3, "no-op")]
    assert a.vote_refusal(raft.RequestVote(3, "B", 5, 2)) == "its log is behind"
    assert a.vote_refusal(raft.RequestVote(3, "B", 1, 3)) == ""


def test_restart_keeps_persistent_state_and_drops_volatile_state(crash_run, raft):
    node = crash_run.nodes["S2"]
    term, vote, log = node.current_term, node.voted_for, list(node.log)
    crash_run.crash("S2")
    crash_run.restart("S2")
    assert (node.current_term, node.voted_for, node.log) == (term, vote, log)
    assert (node.commit_index, node.last_applied, node.state_machine, node.role) == (0, 0, {}, raft.FOLLOWER)
    crash_run.run_until(crash_run.now + 200)  # the next heartbeat re-teaches commitIndex
    assert node.state_machine == {"x": 1, "y": 2, "z": 3, "v": 5}


def test_printed_output_is_the_page_output(run_example, expected_output):
    assert run_example(EXAMPLE) == expected_output("raft/raft_sim.out")
