"""A deterministic, single-process simulation of Raft's core algorithm.

Five servers exchange RequestVote and AppendEntries messages over a simulated
network on a fake millisecond clock. There are no threads, sockets or sleeps:
an event queue orders every timer and message delivery, and one seeded
``random.Random`` draws every election timeout, so a given seed always
produces the same run.

What is modelled (Ongaro and Ousterhout, "In Search of an Understandable
Consensus Algorithm", Figure 2): terms, randomized election timeouts, the vote
restriction ("at least as up-to-date"), the AppendEntries consistency check,
nextIndex/matchIndex, the commit rule that only counts replicas of
current-term entries, a no-op entry at the start of each term, and crash
recovery where currentTerm, votedFor and the log survive but commitIndex and
the state machine are rebuilt. Membership changes, snapshots, pre-vote and
client sessions are left out to keep the core readable.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass
from typing import Callable

# --8<-- [start:messages]
FOLLOWER, CANDIDATE, LEADER = "follower", "candidate", "leader"
NOOP = "no-op"


@dataclass(frozen=True)
class Entry:
    """One log entry: the term of the leader that created it and a command."""

    term: int
    command: str


@dataclass(frozen=True)
class RequestVote:
    term: int
    candidate: str
    last_log_index: int
    last_log_term: int


@dataclass(frozen=True)
class VoteReply:
    term: int
    voter: str
    granted: bool


@dataclass(frozen=True)
class AppendEntries:
    term: int
    leader: str
    prev_log_index: int
    prev_log_term: int
    entries: tuple[Entry, ...]
    leader_commit: int


@dataclass(frozen=True)
class AppendReply:
    term: int
    follower: str
    success: bool
    index: int  # on success the last index now matching; on failure the rejected prevLogIndex


Message = RequestVote | VoteReply | AppendEntries | AppendReply
# --8<-- [end:messages]


# --8<-- [start:rules]
def log_is_up_to_date(cand_last_term: int, cand_last_index: int, my_last_term: int, my_last_index: int) -> bool:
    """The election restriction: grant a vote only to a candidate whose log is
    at least as up-to-date as the voter's. A later last term wins; with equal
    last terms the longer log wins. This is what makes every new leader hold
    every committed entry (Leader Completeness)."""
    if cand_last_term != my_last_term:
        return cand_last_term > my_last_term
    return cand_last_index >= my_last_index


def commit_index_after(log: list[Entry], match_indexes: list[int], current_term: int, commit_index: int) -> int:
    """The leader's commit rule. ``match_indexes`` holds, for every voting
    server including the leader, the highest index known to be stored there.

    The median-from-the-top is the highest index stored on a majority. It is
    committed only if that entry belongs to the leader's current term: counting
    replicas of an older-term entry is unsafe (the paper's Figure 8), and such
    entries are committed indirectly when a current-term entry after them is.
    Checking only the highest majority index is enough, because terms never
    decrease along a log.
    """
    highest_on_majority = sorted(match_indexes, reverse=True)[len(match_indexes) // 2]
    if highest_on_majority > commit_index and log[highest_on_majority - 1].term == current_term:
        return highest_on_majority
    return commit_index
# --8<-- [end:rules]


def show_log(log: list[Entry]) -> str:
    """Render a log as ``term:command`` cells, e.g. ``1:no-op 1:x=1``."""
    return " ".join(f"{e.term}:{e.command}" for e in log) or "(empty)"


class Node:
    """One Raft server. Persistent state survives crash(); volatile state does not."""

    def __init__(self, name: str, cluster: Cluster) -> None:
        self.name = name
        self.cluster = cluster
        # Persistent state: on a real server these are fsynced before replying.
        self.current_term = 0
        self.voted_for: str | None = None
        self.log: list[Entry] = []
        # Volatile state, lost on a crash and rebuilt afterwards.
        self.up = True
        self.role = FOLLOWER
        self.commit_index = 0
        self.last_applied = 0
        self.state_machine: dict[str, int] = {}
        self.votes: set[str] = set()
        self.next_index: dict[str, int] = {}
        self.match_index: dict[str, int] = {}
        self.election_timeout = 0
        self.timer_id = 0  # bumping it cancels the pending timer

    @property
    def peers(self) -> list[str]:
        return [n for n in self.cluster.nodes if n != self.name]

    def last_log(self) -> tuple[int, int]:
        """(lastLogIndex, lastLogTerm); (0, 0) for an empty log."""
        return len(self.log), self.log[-1].term if self.log else 0

    def say(self, text: str) -> None:
        self.cluster.note(f"{self.name} {text}")

    # --8<-- [start:timers]
    def reset_election_timer(self, timeout: int | None = None) -> None:
        """Draw a fresh random timeout (150-300 ms by default) for every wait,
        so that after a split vote the candidates rarely collide again."""
        self.election_timeout = timeout if timeout is not None else self.cluster.draw_timeout()
        self.schedule_timer(self.election_timeout)

    def schedule_timer(self, delay: int) -> None:
        self.timer_id += 1
        timer_id = self.timer_id
        self.cluster.schedule(delay, lambda: self.on_timer(timer_id))

    def on_timer(self, timer_id: int) -> None:
        if timer_id != self.timer_id:
            return  # cancelled: a heartbeat or vote reset it, or the node crashed
        if self.role == LEADER:
            self.broadcast_append_entries()  # heartbeat (carries entries if any are due)
            self.schedule_timer(self.cluster.heartbeat_ms)
        else:
            self.start_election()
    # --8<-- [end:timers]

    # --8<-- [start:election]
    def start_election(self) -> None:
        self.current_term += 1
        self.role = CANDIDATE
        self.voted_for = self.name
        self.votes = {self.name}
        self.reset_election_timer()
        last_index, last_term = self.last_log()
        self.say(f"times out, becomes candidate for term {self.current_term} "
                 f"(lastLogIndex={last_index}, lastLogTerm={last_term})")
        for peer in self.peers:
            self.cluster.send(self.name, peer, RequestVote(self.current_term, self.name, last_index, last_term))

    def vote_refusal(self, msg: RequestVote) -> str:
        """Why this server will not vote for the candidate; '' means grant."""
        if msg.term < self.current_term:
            return f"its term {msg.term} is stale"
        if self.voted_for not in (None, msg.candidate):
            return f"already voted for {self.voted_for} in term {self.current_term}"
        my_last_index, my_last_term = self.last_log()
        if not log_is_up_to_date(msg.last_log_term, msg.last_log_index, my_last_term, my_last_index):
            return "its log is behind"
        return ""

    def on_request_vote(self, msg: RequestVote) -> None:
        refusal = self.vote_refusal(msg)
        if refusal:
            self.say(f"refuses {msg.candidate}: {refusal}")
        else:
            self.voted_for = msg.candidate  # persisted before replying, so no second vote this term
            self.reset_election_timer()
            self.say(f"votes for {msg.candidate} in term {msg.term}")
        self.cluster.send(self.name, msg.candidate, VoteReply(self.current_term, self.name, not refusal))

    def on_vote_reply(self, msg: VoteReply) -> None:
        if self.role != CANDIDATE or msg.term != self.current_term or not msg.granted:
            return
        self.votes.add(msg.voter)
        if len(self.votes) > len(self.cluster.nodes) // 2:
            self.become_leader()

    def become_leader(self) -> None:
        self.role = LEADER
        self.cluster.leaders.setdefault(self.current_term, set()).add(self.name)
        self.say(f"becomes LEADER of term {self.current_term} with votes from {sorted(self.votes)}")
        self.next_index = {p: len(self.log) + 1 for p in self.peers}
        self.match_index = {p: 0 for p in self.peers}
        # A no-op from the new term lets the leader commit entries left by
        # earlier leaders (they cannot be committed by counting replicas).
        self.log.append(Entry(self.current_term, NOOP))
        self.broadcast_append_entries()
        self.schedule_timer(self.cluster.heartbeat_ms)

    def become_follower(self, term: int) -> None:
        """Any message with a higher term makes this server a follower of that term."""
        was_leader = self.role == LEADER
        self.current_term, self.voted_for, self.role = term, None, FOLLOWER
        if was_leader:
            self.say(f"sees term {term} and steps down")
            self.reset_election_timer()  # leaders run no election timer
    # --8<-- [end:election]

    # --8<-- [start:replication]
    def client_request(self, command: str) -> None:
        self.log.append(Entry(self.current_term, command))
        self.say(f"appends {command!r} at index {len(self.log)} (term {self.current_term})")
        self.broadcast_append_entries()

    def broadcast_append_entries(self) -> None:
        for peer in self.peers:
            self.send_append_entries(peer)

    def send_append_entries(self, peer: str) -> None:
        prev = self.next_index[peer] - 1
        prev_term = self.log[prev - 1].term if prev else 0
        msg = AppendEntries(self.current_term, self.name, prev, prev_term, tuple(self.log[prev:]), self.commit_index)
        self.cluster.send(self.name, peer, msg)

    def on_append_entries(self, msg: AppendEntries) -> None:
        reject = AppendReply(self.current_term, self.name, False, msg.prev_log_index)
        if msg.term < self.current_term:
            self.cluster.send(self.name, msg.leader, reject)  # carries our newer term: the sender steps down
            return
        self.role = FOLLOWER  # a candidate that hears from the term's leader gives up
        self.reset_election_timer()
        # Consistency check: our log must hold prevLogIndex with prevLogTerm.
        if msg.prev_log_index > len(self.log):
            self.say(f"rejects AppendEntries(prevLogIndex={msg.prev_log_index}): its log has only {len(self.log)} entries")
            self.cluster.send(self.name, msg.leader, reject)
            return
        if msg.prev_log_index and self.log[msg.prev_log_index - 1].term != msg.prev_log_term:
            self.say(f"rejects AppendEntries(prevLogIndex={msg.prev_log_index}, prevLogTerm={msg.prev_log_term}): "
                     f"its entry there has term {self.log[msg.prev_log_index - 1].term}")
            self.cluster.send(self.name, msg.leader, reject)
            return
        index = msg.prev_log_index
        for entry in msg.entries:
            index += 1
            if index <= len(self.log):
                if self.log[index - 1].term == entry.term:
                    continue  # already have it (a retransmission): RPCs are idempotent
                self.say(f"deletes conflicting entries from index {index}: {show_log(self.log[index - 1:])}")
                del self.log[index - 1:]
            self.log.append(entry)
        last_new = msg.prev_log_index + len(msg.entries)
        if msg.leader_commit > self.commit_index:
            self.commit_index = min(msg.leader_commit, last_new)
            self.apply_committed()
        self.cluster.send(self.name, msg.leader, AppendReply(self.current_term, self.name, True, last_new))

    def on_append_reply(self, msg: AppendReply) -> None:
        if self.role != LEADER or msg.term != self.current_term:
            return  # a late reply to an old term
        if not msg.success:
            # Back up one entry and retry, unless this rejects an older probe
            # (heartbeats and retries overlap; a stale reply must not back up twice).
            if msg.index == self.next_index[msg.follower] - 1:
                self.next_index[msg.follower] -= 1
                self.say(f"decrements nextIndex[{msg.follower}] to {self.next_index[msg.follower]} and retries")
                self.send_append_entries(msg.follower)
            return
        self.match_index[msg.follower] = max(self.match_index[msg.follower], msg.index)
        self.next_index[msg.follower] = self.match_index[msg.follower] + 1
        matches = [len(self.log)] + list(self.match_index.values())
        new_commit = commit_index_after(self.log, matches, self.current_term, self.commit_index)
        if new_commit != self.commit_index:
            self.say(f"commitIndex {self.commit_index} -> {new_commit} (stored on a majority)")
            self.commit_index = new_commit
            self.apply_committed()

    def apply_committed(self) -> None:
        """Apply committed entries in log order; every server does the same."""
        while self.last_applied < self.commit_index:
            self.last_applied += 1
            command = self.log[self.last_applied - 1].command
            if command != NOOP:
                key, value = command.split("=")
                self.state_machine[key] = int(value)
    # --8<-- [end:replication]

    def receive(self, msg: Message) -> None:
        if msg.term > self.current_term:
            self.become_follower(msg.term)  # terms are a logical clock
        if isinstance(msg, RequestVote):
            self.on_request_vote(msg)
        elif isinstance(msg, VoteReply):
            self.on_vote_reply(msg)
        elif isinstance(msg, AppendEntries):
            self.on_append_entries(msg)
        else:
            self.on_append_reply(msg)


class Cluster:
    """The simulated world: nodes, a network with per-link delays, and a clock."""

    def __init__(self, names: list[str], seed: int, delay_ms: int = 5, heartbeat_ms: int = 50,
                 timeout_range: tuple[int, int] = (150, 300), links: dict[tuple[str, str], int] | None = None) -> None:
        self.rng = random.Random(seed)
        self.delay_ms = delay_ms
        self.heartbeat_ms = heartbeat_ms
        self.timeout_range = timeout_range
        self.links = links or {}
        self.now = 0
        self.queue: list[tuple[int, int, Callable[[], None]]] = []
        self.seq = 0  # tie-breaker: equal times run in scheduling order
        self.nodes = {name: Node(name, self) for name in names}
        self.isolated: set[str] = set()
        self.leaders: dict[int, set[str]] = {}  # term -> servers that became leader in it
        self.trace: list[str] = []

    def draw_timeout(self) -> int:
        return self.rng.randint(*self.timeout_range)

    def note(self, text: str) -> None:
        self.trace.append(f"{self.now:>5} ms  {text}")

    def schedule(self, delay: int, action: Callable[[], None]) -> None:
        self.seq += 1
        heapq.heappush(self.queue, (self.now + delay, self.seq, action))

    def send(self, src: str, dst: str, msg: Message) -> None:
        """Deliver after the link's delay; partitions drop, crashed receivers ignore."""
        if src in self.isolated or dst in self.isolated:
            return
        delay = self.links.get((src, dst), self.links.get((dst, src), self.delay_ms))
        node = self.nodes[dst]
        self.schedule(delay, lambda: node.receive(msg) if node.up else None)

    def start(self, timeouts: dict[str, int] | None = None) -> None:
        """Boot every server as a follower with its own election timeout."""
        for name, node in self.nodes.items():
            node.reset_election_timer((timeouts or {}).get(name))

    def run_until(self, t: int) -> None:
        while self.queue and self.queue[0][0] <= t:
            self.now, _, action = heapq.heappop(self.queue)
            action()
        self.now = t

    def crash(self, name: str) -> None:
        node = self.nodes[name]
        node.up = False
        node.timer_id += 1
        self.note(f"{name} CRASHES (term {node.current_term}, log: {show_log(node.log)})")

    def restart(self, name: str, timeout: int | None = None) -> None:
        """Reboot with persistent state intact and volatile state reset."""
        node = self.nodes[name]
        node.up, node.role = True, FOLLOWER
        node.commit_index = node.last_applied = 0
        node.state_machine = {}
        node.reset_election_timer(timeout)
        self.note(f"{name} restarts: term {node.current_term}, votedFor {node.voted_for}, "
                  f"log {show_log(node.log)}; commitIndex 0")

    def leader(self) -> Node:
        """The live leader with the highest term (exactly one once elections settle)."""
        live = [n for n in self.nodes.values() if n.up and n.role == LEADER]
        return max(live, key=lambda n: n.current_term)


# --8<-- [start:scenarios]
NAMES = ["S1", "S2", "S3", "S4", "S5"]


def scenario_crash(seed: int = 4) -> Cluster:
    """Election, replication with a follower down, the leader crashing with an
    uncommitted entry, a stale server refused as candidate, and repair."""
    c = Cluster(NAMES, seed)
    c.start()
    c.note("timeouts drawn: " + ", ".join(f"{n.name}={n.election_timeout} ms" for n in c.nodes.values()))
    c.run_until(400)
    old = c.leader()
    down = next(n for n in NAMES if n != old.name)
    c.crash(down)
    for command in ("x=1", "y=2", "z=3"):
        old.client_request(command)
    c.run_until(600)
    c.note(f"{old.name} matchIndex {old.match_index}, commitIndex {old.commit_index}; followers' commitIndex "
           + ", ".join(f"{n.name}={n.commit_index}" for n in c.nodes.values() if n is not old and n.up))
    c.isolated.add(old.name)  # the leader's network fails ...
    old.client_request("w=4")  # ... so this entry never leaves it
    c.crash(old.name)
    c.isolated.discard(old.name)
    c.restart(down, timeout=20)  # the stale server happens to time out first
    c.run_until(1200)
    c.restart(old.name)
    c.run_until(1400)
    c.leader().client_request("v=5")
    c.run_until(1600)
    return c


def scenario_split_vote(seed: int = 1) -> Cluster:
    """Two servers time out 1 ms apart, each close to a different voter, with
    S5 down: neither reaches 3 of 5 votes in term 1. Later S5 returns behind a
    partition, inflates its term, and deposes the healthy leader on rejoining
    (the disruption that pre-vote prevents)."""
    links = {("S1", "S3"): 2, ("S2", "S4"): 2}  # S3 sits near S1, S4 near S2
    c = Cluster(NAMES, seed, links=links)
    c.start(timeouts={"S1": 150, "S2": 151, "S3": 280, "S4": 290, "S5": 300})
    c.crash("S5")
    c.run_until(900)
    c.isolated.add("S5")
    c.restart("S5")
    c.run_until(1800)
    c.isolated.discard("S5")
    c.note("partition around S5 heals")
    c.run_until(2400)
    return c
# --8<-- [end:scenarios]


def summary(c: Cluster) -> list[str]:
    """Per-server state at the end of a run."""
    lines = []
    for n in c.nodes.values():
        lines.append(f"  {n.name} {n.role:<9} term {n.current_term} commit {n.commit_index} "
                     f"log [{show_log(n.log)}] state {n.state_machine}")
    lines.append("  leaders by term: " + ", ".join(f"{t}={sorted(s)}" for t, s in sorted(c.leaders.items())))
    return lines


def main() -> None:
    for title, cluster in (("Scenario 1: election, replication, leader crash", scenario_crash()),
                           ("Scenario 2: split vote, then a disruptive rejoin", scenario_split_vote())):
        print(f"== {title}")
        print("\n".join(cluster.trace))
        print("final state:")
        print("\n".join(summary(cluster)))
        print()


if __name__ == "__main__":
    main()
