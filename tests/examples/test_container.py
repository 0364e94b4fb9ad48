"""Tests for docs/examples/container/.

overlay.py: the overlayfs rules the page describes (upper hides lower,
copy-up on first write, whiteouts for deleted lower files, image layers shared
and never modified). cgroup_limits.py: cgroup v2 and /proc parsers on fixed
strings, so nothing depends on the host's real cgroup layout or namespaces.
"""

import pytest

OVERLAY = "container/overlay.py"
CGROUP = "container/cgroup_limits.py"


@pytest.fixture
def ov(load_example):
    return load_example(OVERLAY)


@pytest.fixture
def cg(load_example):
    return load_example(CGROUP)


# --- overlay.py ---------------------------------------------------------------

def test_higher_layer_hides_lower_layer(ov):
    c = ov.Container(ov.IMAGE)
    assert c.read("/etc/os-release") == "Debian 12 + python"   # runtime over base
    assert c.read("/usr/lib/libc.so.6") == "glibc 2.36"         # only in base


def test_write_to_lower_file_copies_up_once_and_leaves_image_alone(ov):
    c = ov.Container(ov.IMAGE)
    c.write("/app/main.py", "print('v2')")
    c.write("/app/main.py", "print('v3')")
    assert c.read("/app/main.py") == "print('v3')"
    assert c.copy_ups == ["/app/main.py"]          # copied up on the first write only
    assert ov.APP["/app/main.py"] == "print('v1')"


def test_new_files_are_not_copy_ups(ov):
    c = ov.Container(ov.IMAGE)
    c.write("/data/new.txt", "hello")
    assert c.copy_ups == []
    assert c.upper == {"/data/new.txt": "hello"}


def test_deleting_lower_file_writes_a_whiteout(ov):
    c = ov.Container(ov.IMAGE)
    c.delete("/bin/sh")
    assert c.upper["/bin/sh"] is ov.WHITEOUT
    assert not c.exists("/bin/sh")
    assert "/bin/sh" not in c.merged()
    with pytest.raises(FileNotFoundError):
        c.read("/bin/sh")
    assert ov.BASE["/bin/sh"] == "dash"               # still in the image layer
    with pytest.raises(FileNotFoundError):
        c.delete("/bin/sh")                            # already gone from the view


def test_deleting_upper_only_file_just_removes_it(ov):
    c = ov.Container(ov.IMAGE)
    c.write("/tmp/x", "1")
    c.delete("/tmp/x")
    assert c.upper == {}
    assert not c.exists("/tmp/x")


def test_recreating_a_deleted_file_replaces_the_whiteout(ov):
    c = ov.Container(ov.IMAGE)
    c.delete("/bin/sh")
    c.write("/bin/sh", "busybox")
    assert c.read("/bin/sh") == "busybox"


def test_image_layers_are_read_only(ov):
    with pytest.raises(TypeError):
        ov.BASE["/etc/passwd"] = "root"  # MappingProxyType refuses writes


def test_containers_share_lowers_but_not_uppers(ov):
    web, worker = ov.Container(ov.IMAGE), ov.Container(ov.IMAGE)
    web.write("/app/main.py", "print('v2')")
    assert worker.read("/app/main.py") == "print('v1')"
    assert all(a is b for a, b in zip(web.lowers, worker.lowers))
    assert web.upper is not worker.upper


def test_layer_digest_is_content_addressed(ov):
    assert ov.digest(ov.image_layer({"/a": "1"})) == ov.digest(ov.image_layer({"/a": "1"}))
    assert ov.digest(ov.image_layer({"/a": "1"})) != ov.digest(ov.image_layer({"/a": "2"}))
    c = ov.Container(ov.IMAGE)
    c.delete("/bin/sh")
    assert ov.digest(c.upper).startswith("sha256:")   # whiteouts are hashable content too


def test_overlay_script_output_matches_page(run_example, expected_output):
    assert run_example(OVERLAY) == expected_output("container/overlay.out")


# --- cgroup_limits.py ---------------------------------------------------------

@pytest.mark.parametrize("text, cpus", [
    ("50000 100000", 0.5),
    ("150000 100000\n", 1.5),
    ("200000 50000", 4.0),
    ("25000", 0.25),            # quota alone: the period keeps its default, 100000
    ("max 100000", None),
])
def test_parse_cpu_max(cg, text, cpus):
    assert cg.parse_cpu_max(text) == cpus


def test_parse_limits_and_flat_keyed_files(cg):
    assert cg.parse_bytes_limit("max\n") is None
    assert cg.parse_bytes_limit("536870912\n") == 512 * 2**20
    assert cg.parse_flat_keyed("oom 1\noom_kill 1\n") == {"oom": 1, "oom_kill": 1}


def test_cgroup_mode_from_proc_self_cgroup(cg):
    def mode(text):
        return cg.cgroup_mode(cg.parse_proc_cgroup(text))
    assert mode("0::/system.slice/docker-abc.scope") == "v2 (unified)"
    assert mode("0::/") == "v2 (unified)"
    assert mode("4:memory:/x\n0::/") == "hybrid (v1 controllers + v2)"
    assert mode("4:memory:/x\n3:cpu,cpuacct:/x") == "v1 (legacy)"
    assert cg.parse_proc_cgroup("3:cpu,cpuacct:/a:b")[0] == cg.CgroupLine(3, ("cpu", "cpuacct"), "/a:b")


def test_effective_cpus_respects_quota_not_host_count(cg):
    assert cg.effective_cpus("150000 100000", host_cpus=16) == 1.5
    assert cg.effective_cpus("max 100000", host_cpus=16) == 16
    assert cg.effective_cpus("3200000 100000", host_cpus=16) == 16   # quota above host


def test_alerts_fire_on_throttling_memory_and_oom(cg):
    found = cg.alerts(cg.CONTAINER)
    assert len(found) == 3
    assert found[0].startswith("CPU throttled in 300 of 1200 periods")
    assert found[1] == "memory at 94% of memory.max"
    assert "137" in found[2]


def test_quiet_container_raises_no_alerts(cg):
    calm = dict(cg.CONTAINER)
    calm["cpu.stat"] = "usage_usec 10\nnr_periods 1000\nnr_throttled 10\nthrottled_usec 5\n"
    calm["memory.current"] = "104857600\n"
    calm["memory.events"] = "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n"
    assert cg.alerts(calm) == []
    calm["memory.max"] = "max\n"
    calm["cpu.stat"] = "usage_usec 10\n"          # no cpu.max limit: no nr_periods
    assert cg.alerts(calm) == []


def test_describe_reports_human_units(cg):
    lines = cg.describe(cg.CONTAINER, host_cpus=16)
    assert lines[0].startswith("cpu.max '150000 100000': 1.5 CPUs of 16")
    assert lines[1] == "memory.max: 512 MiB hard limit"
    unlimited = dict(cg.CONTAINER, **{"memory.max": "max", "memory.high": "268435456",
                                      "pids.max": "max"})
    lines = cg.describe(unlimited, host_cpus=4)
    assert lines[1] == "memory.max: unlimited"
    assert lines[2] == "memory.high: 256 MiB reclaim threshold"
    assert lines[4] == "pids.max: unlimited"


def test_namespace_links_compare_by_inode(cg):
    host, box = cg.parse_ns_links(cg.NS_HOST), cg.parse_ns_links(cg.NS_CONTAINER)
    assert host["net"] == 4026531840
    assert {n for n in box if box[n] != host[n]} == {"cgroup", "ipc", "mnt", "net", "pid", "uts"}
    assert len(host) == 8   # the eight namespace types of namespaces(7)


def test_read_snapshot_reads_only_present_files(cg, tmp_path):
    (tmp_path / "cpu.max").write_text("max 100000\n")
    (tmp_path / "memory.max").write_text("max\n")
    assert cg.read_snapshot(tmp_path) == {"cpu.max": "max 100000\n", "memory.max": "max\n"}


# --- Kubernetes requests and limits, PSI ---------------------------------------

def test_cpu_request_becomes_shares_then_weight(cg):
    assert cg.milli_cpu_to_shares(1000) == 1024
    assert cg.milli_cpu_to_shares(0) == 2          # BestEffort: the minimum share
    # Both mappings keep the ends of the range; only the new one keeps 1 CPU at the default 100.
    assert [cg.weight_linear(s) for s in (2, 1024, 262144)] == [1, 39, 10000]
    assert [cg.weight_quadratic(s) for s in (2, 1024, 262144)] == [1, 100, 10000]


def test_cpu_limit_becomes_quota_per_100ms(cg):
    assert cg.cpu_max_from_limit(1500) == "150000 100000"
    assert cg.cpu_max_from_limit(None) == "max 100000"
    assert cg.parse_cpu_max(cg.cpu_max_from_limit(250)) == 0.25


def test_qos_classes(cg):
    R = cg.Resources
    mib = 2**20
    assert cg.qos_class([R(500, 500, 64 * mib, 64 * mib)]) == "Guaranteed"
    assert cg.qos_class([R(None, 500, None, 64 * mib)]) == "Guaranteed"   # requests default to limits
    assert cg.qos_class([R(500, 500, 64 * mib, 64 * mib), R()]) == "Burstable"
    assert cg.qos_class([R(cpu_request=100)]) == "Burstable"
    assert cg.qos_class([R(), R()]) == "BestEffort"


def test_oom_score_adj_orders_the_classes(cg):
    node = 16 * 2**30
    assert cg.oom_score_adj("Guaranteed", 0, node) == -997
    assert cg.oom_score_adj("BestEffort", 0, node) == 1000
    assert cg.oom_score_adj("Burstable", node // 2, node) == 500
    assert cg.oom_score_adj("Burstable", node, node) == 3          # never as safe as Guaranteed
    assert cg.oom_score_adj("Burstable", 1, node) == 999           # never as exposed as BestEffort


def test_pressure_files_parse_and_alert_on_stalls(cg):
    cpu = cg.parse_pressure(cg.PRESSURE["cpu.pressure"])
    assert cpu["some"]["avg10"] == 38.2 and cpu["full"]["total"] == 43_100_000
    alerts = cg.pressure_alerts(cg.PRESSURE)
    assert len(alerts) == 2 and all(a.startswith("cpu.pressure") for a in alerts)
    assert cg.pressure_alerts(cg.PRESSURE, threshold=50) == []


def test_cgroup_script_output_matches_page(run_example, expected_output):
    assert run_example(CGROUP) == expected_output("container/cgroup_limits.out")
