"""A union filesystem in miniature: how image layers and a container layer combine.

Real containers get their root filesystem from overlayfs: read-only image
layers ("lowerdir"), one writable layer per container ("upperdir") and the
merged view the process sees. This model keeps each layer as a dict of
path -> content and reproduces the three rules that matter to users:

* a path in a higher layer hides the same path in lower layers;
* writing a file that lives in a lower layer first copies it up into the
  container layer; the image layer is never modified;
* deleting a lower file writes a *whiteout* into the container layer, so the
  file disappears from the view but still occupies space in the image.

Layers are content-addressed like OCI layers (sha256 of their content), which
is why two containers started from one image can share every lower layer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from types import MappingProxyType

# --8<-- [start:layers]
WHITEOUT = object()  # overlayfs uses a 0/0 character device; any marker works here

Layer = Mapping[str, object]


def image_layer(files: dict[str, str]) -> Layer:
    """Freeze a layer: image layers are read-only once built."""
    return MappingProxyType(dict(files))


def digest(layer: Layer) -> str:
    """Content address of a layer (OCI uses sha256 of the layer tarball)."""
    canonical = json.dumps(
        {p: (None if c is WHITEOUT else c) for p, c in sorted(layer.items())}
    )
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()[:12]


BASE = image_layer({"/etc/os-release": "Debian 12", "/bin/sh": "dash",
                    "/usr/lib/libc.so.6": "glibc 2.36"})
RUNTIME = image_layer({"/usr/bin/python3": "CPython 3.12",
                       "/etc/os-release": "Debian 12 + python"})
APP = image_layer({"/app/main.py": "print('v1')", "/app/config.toml": "debug = false"})
IMAGE: tuple[Layer, ...] = (BASE, RUNTIME, APP)   # bottom to top
# --8<-- [end:layers]


# --8<-- [start:overlay]
class Container:
    """One container: shared read-only lower layers plus its own upper layer."""

    def __init__(self, lowers: tuple[Layer, ...]) -> None:
        self.lowers = lowers           # shared with every container of the image
        self.upper: dict[str, object] = {}   # private, writable, lost on removal
        self.copy_ups: list[str] = []

    def _lookup(self, path: str) -> object | None:
        """Search top-down: upper first, then the image layers from the top."""
        for layer in (self.upper, *reversed(self.lowers)):
            if path in layer:
                return layer[path]
        return None

    def read(self, path: str) -> str:
        content = self._lookup(path)
        if content is None or content is WHITEOUT:
            raise FileNotFoundError(path)
        return str(content)

    def exists(self, path: str) -> bool:
        content = self._lookup(path)
        return content is not None and content is not WHITEOUT

    def _in_lowers(self, path: str) -> bool:
        return any(path in layer for layer in self.lowers)

    def write(self, path: str, content: str) -> None:
        if path not in self.upper and self._in_lowers(path):
            # overlayfs copies the whole file up before the first write
            self.copy_ups.append(path)
        self.upper[path] = content

    def delete(self, path: str) -> None:
        if not self.exists(path):
            raise FileNotFoundError(path)
        if self._in_lowers(path):
            self.upper[path] = WHITEOUT      # hide it; the image keeps its copy
        else:
            del self.upper[path]             # only ever lived in this container

    def merged(self) -> dict[str, str]:
        """The root filesystem as the container's processes see it."""
        view: dict[str, object] = {}
        for layer in (*self.lowers, self.upper):   # bottom-up, later wins
            view.update(layer)
        return {p: str(c) for p, c in sorted(view.items()) if c is not WHITEOUT}
# --8<-- [end:overlay]


def main() -> None:
    print("Image layers (bottom to top):")
    for name, layer in zip(("base", "runtime", "app"), IMAGE):
        print(f"  {name:<8} {digest(layer)}  {len(layer)} files")
    before = [dict(layer) for layer in IMAGE]

    web = Container(IMAGE)
    worker = Container(IMAGE)
    web.write("/app/main.py", "print('v2')")     # modify a lower file
    web.delete("/bin/sh")                        # delete a lower file
    web.write("/data/new.txt", "hello")          # create a new file
    web.write("/tmp/scratch", "x")
    web.delete("/tmp/scratch")                   # upper-only: simply removed

    print("\nMerged view of container 'web':")
    for path, content in web.merged().items():
        print(f"  {path:<20} {content}")
    print("\nContainer layer of 'web' (upperdir):")
    for path, content in sorted(web.upper.items()):
        print(f"  {path:<20} {'<whiteout>' if content is WHITEOUT else content}")
    print(f"  copied up: {web.copy_ups}")

    print("\nContainer 'worker', same image, untouched:")
    print(f"  /app/main.py = {worker.read('/app/main.py')}, "
          f"/bin/sh exists = {worker.exists('/bin/sh')}")
    print(f"Image layers unchanged: {[dict(layer) for layer in IMAGE] == before}")
    print(f"Lower layers shared (same objects): "
          f"{all(a is b for a, b in zip(web.lowers, worker.lowers))}")


if __name__ == "__main__":
    main()
