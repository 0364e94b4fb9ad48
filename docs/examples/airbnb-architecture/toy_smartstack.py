"""A toy SmartStack: Nerve registers healthy instances, Synapse rewrites a local proxy.

Airbnb's SmartStack (published October 2013) split service discovery into two
small daemons around ZooKeeper:

* Nerve runs next to every service instance, health-checks it, and keeps an
  *ephemeral* node for it in ZooKeeper while (and only while) the checks pass.
  Ephemeral nodes belong to the client session that created them, so when a
  host dies and its session expires, ZooKeeper deletes the node by itself.
* Synapse runs next to every client, watches the ZooKeeper path of each service
  it needs, and rewrites the backend list of a local HAProxy. The application
  only ever calls HAProxy on localhost.

Everything here is in memory and deterministic: health is a dict the demo
flips, and "time" advances only when `tick()` is called.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

# --8<-- [start:registry]
Watcher = Callable[[], None]


@dataclass
class Registry:
    """The part of ZooKeeper SmartStack relies on: ephemeral children and watches."""

    # path -> child name -> (address, owning session)
    _children: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    _watchers: dict[str, list[Watcher]] = field(default_factory=dict)

    def create_ephemeral(self, path: str, name: str, address: str, session: str) -> None:
        self._children.setdefault(path, {})[name] = (address, session)
        self._notify(path)

    def delete(self, path: str, name: str) -> None:
        if self._children.get(path, {}).pop(name, None) is not None:
            self._notify(path)

    def expire_session(self, session: str) -> None:
        """A host vanished: drop every ephemeral node its session owned."""
        for path, children in self._children.items():
            doomed = [name for name, (_, owner) in children.items() if owner == session]
            for name in doomed:
                del children[name]
            if doomed:
                self._notify(path)

    def addresses(self, path: str) -> list[str]:
        return sorted(address for address, _ in self._children.get(path, {}).values())

    def watch(self, path: str, watcher: Watcher) -> None:
        self._watchers.setdefault(path, []).append(watcher)

    def _notify(self, path: str) -> None:
        for watcher in self._watchers.get(path, []):
            watcher()
# --8<-- [end:registry]


# --8<-- [start:nerve]
@dataclass
class Nerve:
    """Registration sidecar for one service instance.

    `rise` and `fall` are how many consecutive passing or failing checks flip
    the state; Nerve's own defaults are 1 and 1 (checks every 500 ms).
    """

    registry: Registry
    path: str
    address: str
    check: Callable[[], bool]
    rise: int = 1
    fall: int = 1
    registered: bool = False
    _streak: int = 0  # consecutive results that disagree with the current state

    @property
    def session(self) -> str:
        return f"session-{self.address}"

    def tick(self) -> None:
        healthy = self.check()
        if healthy == self.registered:
            self._streak = 0
            return
        self._streak += 1
        if healthy and self._streak >= self.rise:
            self.registry.create_ephemeral(self.path, self.address, self.address, self.session)
            self.registered, self._streak = True, 0
        elif not healthy and self._streak >= self.fall:
            self.registry.delete(self.path, self.address)
            self.registered, self._streak = False, 0
# --8<-- [end:nerve]


# --8<-- [start:synapse]
@dataclass
class LocalHAProxy:
    """The client-side proxy: plain round robin over its current backends."""

    backends: list[str] = field(default_factory=list)
    reloads: int = 0
    _next: int = 0

    def reconfigure(self, backends: list[str]) -> None:
        self.backends, self._next = list(backends), 0
        self.reloads += 1

    def forward(self) -> str:
        if not self.backends:
            raise ConnectionError("no backends configured")
        backend = self.backends[self._next % len(self.backends)]
        self._next += 1
        return backend


@dataclass
class Synapse:
    """Discovery sidecar for one client host and one service."""

    registry: Registry
    path: str
    proxy: LocalHAProxy = field(default_factory=LocalHAProxy)
    use_previous_backends: bool = True  # Synapse's default

    def __post_init__(self) -> None:
        self.registry.watch(self.path, self.on_change)
        self.on_change()

    def on_change(self) -> None:
        found = self.registry.addresses(self.path)
        if not found and self.use_previous_backends and self.proxy.backends:
            # An empty list is more often a ZooKeeper or network problem than
            # a service with zero instances: keep routing to the last known set.
            return
        if found != self.proxy.backends:
            self.proxy.reconfigure(found)
# --8<-- [end:synapse]


def spread(proxy: LocalHAProxy, calls: int) -> dict[str, int]:
    """Send `calls` requests through the local proxy and count where they land."""
    return dict(sorted(Counter(proxy.forward() for _ in range(calls)).items()))


def main() -> None:
    path = "/services/pricing/instances"
    registry = Registry()
    health = {"10.0.0.1": True, "10.0.0.2": True, "10.0.0.3": True}
    nerves = [Nerve(registry, path, ip, check=lambda ip=ip: health[ip]) for ip in health]
    synapse = Synapse(registry, path)

    def tick_all() -> None:
        for nerve in nerves:
            nerve.tick()

    tick_all()
    print(f"backends: {synapse.proxy.backends}")
    print(f"6 calls: {spread(synapse.proxy, 6)}")

    health["10.0.0.2"] = False  # its health check starts failing
    tick_all()
    print("10.0.0.2 fails its health check; Nerve deletes its node")
    print(f"backends: {synapse.proxy.backends}")
    print(f"6 calls: {spread(synapse.proxy, 6)}")

    nerves = [n for n in nerves if n.address != "10.0.0.3"]  # the host dies with its Nerve
    registry.expire_session("session-10.0.0.3")  # ...so nobody deregisters it
    print("host 10.0.0.3 dies; its ZooKeeper session expires and the ephemeral node goes")
    print(f"backends: {synapse.proxy.backends}")

    health["10.0.0.2"] = True
    tick_all()
    print("10.0.0.2 passes again; Nerve re-registers it")
    print(f"backends: {synapse.proxy.backends}")

    registry.expire_session("session-10.0.0.1")
    print(f"10.0.0.1's session expires; backends: {synapse.proxy.backends}")
    registry.expire_session("session-10.0.0.2")
    print(f"10.0.0.2's session expires; registry empty: {registry.addresses(path)}")
    print(f"Synapse keeps the last known list instead of emptying HAProxy: {synapse.proxy.backends}")
    print(f"HAProxy reconfigurations: {synapse.proxy.reloads}")


if __name__ == "__main__":
    main()
