"""Read a container's limits and namespaces the way the kernel exposes them.

Inside a container on a cgroup v2 host, /sys/fs/cgroup is the container's own
cgroup directory and /proc/self/ns lists the namespaces of the process. This
module turns those plain-text files into numbers an operator can act on:
how many CPUs the quota really allows, how close memory is to the hard limit,
how often the CPU quota throttled the process and whether the OOM killer ran.

Every function parses text, so the demonstration below runs on fixed
snapshots (captured-style fixtures) and prints the same thing on any machine.
``read_snapshot`` reads the same files from a live directory when you want to
point it at /sys/fs/cgroup yourself.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import NamedTuple

# --8<-- [start:parse]
PERIOD_DEFAULT_US = 100_000   # cpu.max period when only the quota is given


def parse_cpu_max(text: str) -> float | None:
    """cgroup v2 cpu.max is "$QUOTA $PERIOD" in microseconds; "max" = no limit.

    "50000 100000" -> 0.5 CPU, "150000 100000" -> 1.5 CPUs, "max 100000" -> None.
    """
    fields = text.split()
    if fields[0] == "max":
        return None
    period = int(fields[1]) if len(fields) > 1 else PERIOD_DEFAULT_US
    return int(fields[0]) / period


def parse_bytes_limit(text: str) -> int | None:
    """memory.max, memory.high, pids.max: an integer, or "max" for unlimited."""
    value = text.strip()
    return None if value == "max" else int(value)


def parse_flat_keyed(text: str) -> dict[str, int]:
    """cpu.stat and memory.events: one "key value" pair per line."""
    return {key: int(value) for key, value in (line.split() for line in text.splitlines() if line)}


class CgroupLine(NamedTuple):
    hierarchy: int
    controllers: tuple[str, ...]
    path: str


def parse_proc_cgroup(text: str) -> list[CgroupLine]:
    """/proc/<pid>/cgroup: "hierarchy-ID:controller-list:cgroup-path" per line."""
    lines = []
    for raw in text.splitlines():
        hierarchy, controllers, path = raw.split(":", 2)
        lines.append(CgroupLine(int(hierarchy), tuple(filter(None, controllers.split(","))), path))
    return lines


def cgroup_mode(lines: list[CgroupLine]) -> str:
    """v2 shows a single "0::<path>" line; v1 controllers have their own lines."""
    unified = any(line.hierarchy == 0 and not line.controllers for line in lines)
    legacy = any(line.controllers for line in lines)
    if unified and not legacy:
        return "v2 (unified)"
    return "hybrid (v1 controllers + v2)" if unified else "v1 (legacy)"


def parse_ns_links(links: dict[str, str]) -> dict[str, int]:
    """readlink /proc/<pid>/ns/<type> gives "type:[inode]"; equal inode = same namespace."""
    return {name: int(link.split("[")[1].rstrip("]")) for name, link in links.items()}
# --8<-- [end:parse]


# --8<-- [start:report]
def effective_cpus(cpu_max: str, host_cpus: int) -> float:
    """What a thread or process pool should be sized for; os.cpu_count() says host_cpus."""
    quota = parse_cpu_max(cpu_max)
    return float(host_cpus) if quota is None else min(quota, float(host_cpus))


def alerts(snapshot: dict[str, str]) -> list[str]:
    """The signals worth paging on, derived only from cgroup v2 files."""
    found = []
    cpu = parse_flat_keyed(snapshot["cpu.stat"])
    if cpu.get("nr_periods") and cpu["nr_throttled"] / cpu["nr_periods"] > 0.05:
        found.append(f"CPU throttled in {cpu['nr_throttled']} of {cpu['nr_periods']} periods "
                     f"({cpu['throttled_usec'] / 1e6:.1f} s stalled): expect tail latency")
    limit = parse_bytes_limit(snapshot["memory.max"])
    used = int(snapshot["memory.current"])
    if limit is not None and used / limit > 0.9:
        found.append(f"memory at {used / limit:.0%} of memory.max")
    events = parse_flat_keyed(snapshot["memory.events"])
    if events.get("oom_kill"):
        found.append(f"OOM killer ran {events['oom_kill']} time(s): "
                     "the victim got SIGKILL, so a container exits 128 + 9 = 137")
    return found


def describe(snapshot: dict[str, str], host_cpus: int) -> list[str]:
    cpus = effective_cpus(snapshot["cpu.max"], host_cpus)
    limit = parse_bytes_limit(snapshot["memory.max"])
    high = parse_bytes_limit(snapshot["memory.high"])
    pids = parse_bytes_limit(snapshot["pids.max"])
    used = int(snapshot["memory.current"])
    return [
        f"cpu.max {snapshot['cpu.max'].strip()!r}: {cpus:g} CPUs of {host_cpus} "
        f"(weight {snapshot['cpu.weight'].strip()}, default 100)",
        "memory.max: " + ("unlimited" if limit is None else f"{limit / 2**20:.0f} MiB hard limit"),
        "memory.high: " + ("unset (no throttling before the hard limit)" if high is None
                           else f"{high / 2**20:.0f} MiB reclaim threshold"),
        f"memory.current: {used / 2**20:.0f} MiB",
        "pids.max: " + ("unlimited" if pids is None else f"{pids} tasks"),
    ]


def read_snapshot(directory: Path, names: tuple[str, ...] = (
        "cpu.max", "cpu.weight", "cpu.stat", "memory.max", "memory.high",
        "memory.current", "memory.events", "pids.max")) -> dict[str, str]:
    """Read the files that exist (controllers may be disabled); skip the rest."""
    return {n: (directory / n).read_text() for n in names if (directory / n).is_file()}
# --8<-- [end:report]


# --8<-- [start:kubernetes]
# How the kubelet and an OCI runtime turn a container's requests and limits
# into cgroup v2 files (Kubernetes on a cgroup v2 node).
SHARES_PER_CPU, MIN_SHARES, MAX_SHARES = 1024, 2, 262_144   # cgroup v1 cpu.shares range
GUARANTEED_OOM_ADJ, BEST_EFFORT_OOM_ADJ = -997, 1000        # pkg/kubelet/qos/policy.go


def milli_cpu_to_shares(milli_cpu: int) -> int:
    """The kubelet still speaks cgroup v1 shares: 1 CPU (1000m) = 1024 shares."""
    return max(MIN_SHARES, milli_cpu * SHARES_PER_CPU // 1000)


def weight_linear(shares: int) -> int:
    """The original mapping of [2, 262144] onto cpu.weight [1, 10000]: 1024 -> 39."""
    return 1 + (shares - MIN_SHARES) * 9999 // (MAX_SHARES - MIN_SHARES)


def weight_quadratic(shares: int) -> int:
    """The 2025 mapping in runc and crun: keeps 2 -> 1, 262144 -> 10000 and 1024 -> 100."""
    level = math.log2(shares)
    return math.ceil(10 ** ((level * level + 125 * level) / 612 - 7 / 34))


def cpu_max_from_limit(limit_milli_cpu: int | None) -> str:
    """A CPU limit becomes a quota per 100 ms period; no limit means "max"."""
    if limit_milli_cpu is None:
        return f"max {PERIOD_DEFAULT_US}"
    return f"{limit_milli_cpu * PERIOD_DEFAULT_US // 1000} {PERIOD_DEFAULT_US}"


class Resources(NamedTuple):
    cpu_request: int | None = None       # millicores
    cpu_limit: int | None = None
    memory_request: int | None = None    # bytes
    memory_limit: int | None = None


def qos_class(containers: list[Resources]) -> str:
    """Guaranteed: every container has CPU and memory limits equal to its requests
    (a request left out defaults to the limit). BestEffort: nothing set anywhere."""
    def guaranteed(c: Resources) -> bool:
        cpu = c.cpu_limit is not None and c.cpu_request in (None, c.cpu_limit)
        memory = c.memory_limit is not None and c.memory_request in (None, c.memory_limit)
        return cpu and memory
    if all(guaranteed(c) for c in containers):
        return "Guaranteed"
    if all(c == Resources() for c in containers):
        return "BestEffort"
    return "Burstable"


def oom_score_adj(qos: str, memory_request: int, node_memory: int) -> int:
    """The kernel's OOM killer adds this (-1000..1000) to each process's badness."""
    if qos == "Guaranteed":
        return GUARANTEED_OOM_ADJ
    if qos == "BestEffort":
        return BEST_EFFORT_OOM_ADJ
    # Burstable: the larger the request's share of the node, the safer the container.
    adj = 1000 - 1000 * memory_request // node_memory
    return min(max(adj, 1000 + GUARANTEED_OOM_ADJ), BEST_EFFORT_OOM_ADJ - 1)
# --8<-- [end:kubernetes]


# --8<-- [start:psi]
def parse_pressure(text: str) -> dict[str, dict[str, float]]:
    """cpu.pressure, memory.pressure, io.pressure: a "some" and a "full" line of
    avg10/avg60/avg300 (percent of wall time stalled) and total (microseconds)."""
    out = {}
    for line in text.splitlines():
        kind, *fields = line.split()
        out[kind] = {key: float(value) for key, value in (f.split("=") for f in fields)}
    return out


def pressure_alerts(pressure: dict[str, str], threshold: float = 10.0) -> list[str]:
    """Stalls, not utilisation: the share of the last 10 s the tasks lost waiting."""
    found = []
    for resource, text in pressure.items():
        for kind, values in parse_pressure(text).items():
            if values["avg10"] >= threshold:
                found.append(f"{resource}: {kind} tasks stalled {values['avg10']:g}% of the last 10 s")
    return found
# --8<-- [end:psi]


# --8<-- [start:fixtures]
# What the files contain inside a container started with
#   docker run --cpus 1.5 --memory 512m --pids-limit 256 ...
# on a cgroup v2 host, after the service ran hot for a while.
CONTAINER = {
    "cpu.max": "150000 100000\n",
    "cpu.weight": "100\n",
    "cpu.stat": "usage_usec 81234567\nuser_usec 60000000\nsystem_usec 21234567\n"
                "nr_periods 1200\nnr_throttled 300\nthrottled_usec 45000000\n",
    "memory.max": "536870912\n",
    "memory.high": "max\n",
    "memory.current": "503316480\n",
    "memory.events": "low 0\nhigh 0\nmax 14\noom 1\noom_kill 1\n",
    "pids.max": "256\n",
}
PROC_CGROUP = {
    "v2 host, process in a container": "0::/system.slice/docker-3f2a9c.scope\n",
    "v2, seen from inside (cgroup namespace)": "0::/\n",
    "hybrid host": "4:memory:/user.slice\n3:cpu,cpuacct:/user.slice\n1:name=systemd:/\n0::/\n",
}
NS_HOST = {"cgroup": "cgroup:[4026531835]", "ipc": "ipc:[4026531839]",
           "mnt": "mnt:[4026531841]", "net": "net:[4026531840]",
           "pid": "pid:[4026531836]", "time": "time:[4026531834]",
           "user": "user:[4026531837]", "uts": "uts:[4026531838]"}
NS_CONTAINER = {"cgroup": "cgroup:[4026532312]", "ipc": "ipc:[4026532310]",
                "mnt": "mnt:[4026532308]", "net": "net:[4026532313]",
                "pid": "pid:[4026532311]", "time": "time:[4026531834]",
                "user": "user:[4026531837]", "uts": "uts:[4026532309]"}
# The same container seen through PSI: CPU-starved by its quota, memory fine.
PRESSURE = {
    "cpu.pressure": "some avg10=38.20 avg60=30.05 avg300=12.71 total=45000000\n"
                    "full avg10=36.90 avg60=29.10 avg300=12.02 total=43100000\n",
    "memory.pressure": "some avg10=0.00 avg60=0.10 avg300=0.04 total=90210\n"
                       "full avg10=0.00 avg60=0.00 avg300=0.00 total=51000\n",
}
# Three pods on a node with 16 GiB, as a kubelet would see them.
GIB, MIB = 2**30, 2**20
NODE_MEMORY = 16 * GIB
PODS = {
    "api (limits = requests)": [Resources(1000, 1000, 512 * MIB, 512 * MIB)],
    "worker (requests < limits)": [Resources(250, 2000, 1 * GIB, 2 * GIB)],
    "batch (nothing set)": [Resources()],
}
# --8<-- [end:fixtures]


def main() -> None:
    print("Which cgroup layout? (/proc/self/cgroup)")
    for label, text in PROC_CGROUP.items():
        print(f"  {label:<41} -> {cgroup_mode(parse_proc_cgroup(text))}")
    print("\nLimits of the container (/sys/fs/cgroup/*):")
    for line in describe(CONTAINER, host_cpus=16):
        print(f"  {line}")
    print("\nAlerts:")
    for line in alerts(CONTAINER):
        print(f"  - {line}")
    host, box = parse_ns_links(NS_HOST), parse_ns_links(NS_CONTAINER)
    print("\nNamespaces (/proc/<pid>/ns), container vs host:")
    print(f"  own:    {', '.join(n for n in box if box[n] != host[n])}")
    print(f"  shared: {', '.join(n for n in box if box[n] == host[n])}"
          "  <- no user namespace: root inside is root on the host kernel")
    print("\nPressure stall information (cpu.pressure, memory.pressure):")
    for line in pressure_alerts(PRESSURE):
        print(f"  - {line}")
    print(f"\nKubernetes pods on a node with {NODE_MEMORY // GIB} GiB:")
    for name, containers in PODS.items():
        qos, first = qos_class(containers), containers[0]
        shares = milli_cpu_to_shares(first.cpu_request or 0)
        print(f"  {name}: {qos}, oom_score_adj {oom_score_adj(qos, first.memory_request or 0, NODE_MEMORY)}")
        print(f"    cpu.max {cpu_max_from_limit(first.cpu_limit)!r}, cpu.weight "
              f"{weight_quadratic(shares)} (linear mapping: {weight_linear(shares)}), memory.max "
              + ("max" if first.memory_limit is None else str(first.memory_limit)))


if __name__ == "__main__":
    main()
