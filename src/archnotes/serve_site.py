"""Serve a built site the way static hosting does, for tests and measurements.

    python -m archnotes.serve_site site --port 8000 [--prefix /sub/] [--gzip]

Unlike `python -m http.server`, an unknown path gets the site's 404.html with
status 404 (so the 404 page can be tested), the site can sit under a sub-path,
and text responses can be gzip-compressed as real hosting does (for audits).
Binds to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import sys
import threading
from pathlib import Path

COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt")


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"
    use_gzip = False
    max_age = 0  # seconds browsers may cache a response (GitHub Pages sends 600)
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript"}

    def log_message(self, format, *args):  # tests read results, not access logs
        pass

    def translate_path(self, path):
        path = path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_prefix__")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_head(self):
        target = Path(self.translate_path(self.path))
        if target.is_dir() and not self.path.split("?", 1)[0].endswith("/"):
            return super().send_head()  # the directory redirect
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return self.send_file(Path(self.directory) / "404.html", 404)
        return self.send_file(target, 200)

    def send_file(self, path: Path, status: int):
        body = path.read_bytes() if path.is_file() else b"not found"
        headers = {"Content-Type": self.guess_type(str(path))}
        if self.use_gzip and path.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, compresslevel=6)
            headers["Content-Encoding"] = "gzip"
        if self.max_age:
            headers["Cache-Control"] = f"max-age={self.max_age}"
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class _Body:
    """What send_head returns: SimpleHTTPRequestHandler copies it to the socket."""

    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def site_pages(site_dir: Path) -> list[str]:
    """Every built page of a site, as a path relative to its root ('' is the
    home page). The redirect stubs of legacy URLs are not pages."""
    pages = []
    for html in sorted(Path(site_dir).rglob("*.html")):
        rel = html.relative_to(site_dir).as_posix()
        if rel.startswith("assets/") or 'http-equiv="refresh"' in html.read_text(encoding="utf-8"):
            continue
        pages.append(rel.removesuffix("index.html"))
    return pages


def make_server(directory: Path, port: int, prefix: str = "/", use_gzip: bool = False,
                max_age: int = 0) -> http.server.ThreadingHTTPServer:
    if not (directory / "index.html").is_file():
        raise FileNotFoundError(f"{directory} is not a built site (no index.html); run `make build` first")
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    handler = type("Handler", (SiteHandler,), {"prefix": prefix, "use_gzip": use_gzip, "max_age": max_age})
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(directory)))


@contextlib.contextmanager
def serving(directory: Path, port: int, prefix: str = "/", use_gzip: bool = False, max_age: int = 0):
    """Serve in a background thread; yields the base URL. Fails if the port is taken."""
    server = make_server(Path(directory), port, prefix, use_gzip, max_age)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, real_port = server.server_address[:2]
        yield f"http://{host}:{real_port}{handler_prefix(server)}"
    finally:
        server.shutdown()
        server.server_close()


def handler_prefix(server) -> str:
    return server.RequestHandlerClass.func.prefix


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a built site on 127.0.0.1 with a real 404 page.")
    parser.add_argument("site_dir", type=Path)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--prefix", default="/", help="sub-path the site is served under, e.g. /sub/")
    parser.add_argument("--gzip", action="store_true", help="gzip text responses, as real hosting does")
    args = parser.parse_args(argv)
    try:
        server = make_server(args.site_dir, args.port, args.prefix, args.gzip)
    except (FileNotFoundError, OSError) as err:
        print(f"serve_site: {err}", file=sys.stderr)
        return 2
    print(f"serving {args.site_dir} on http://127.0.0.1:{args.port}{handler_prefix(server)}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
