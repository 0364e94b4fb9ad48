"""The offline edition: the site built to be read from disk (file://).

    mkdocs build --strict -f mkdocs-offline.yml    # -> site-offline/; open site-offline/index.html

mkdocs-offline.yml inherits mkdocs.yml and only adds `extra: {edition: offline}`;
this hook (listed in mkdocs.yml) does nothing in any other build. It changes,
for the offline edition only, what does not work from file://:

* Links: use_directory_urls is turned off, so links name files
  (component/raft.html); a browser shows a folder listing for component/raft/.
* Links in diagrams are written as docs paths (component/raft.md#solution) and
  resolved for each edition by hooks/diagram_links.py, from each page's URL,
  which here names a file (component/raft.html#solution).
* Instant navigation is turned off: it fetches pages with XHR. (Material
  already skips it on file://; off, it is not even set up.)
* Search: Material's offline plugin (run from here, so that mkdocs-offline.yml
  need not repeat the plugin list) writes the index as a script,
  search/search_index.js, which Material's bundle loads on file://. Search
  runs in a web worker, which file:// forbids; the iframe-worker shim
  (vendored in assets/javascripts/iframe-worker/, MIT) emulates it. The offline
  plugin would load that shim from unpkg.com; the local copy is named first,
  so it does not.
* ES modules do not load from file:// (the page's origin is null, so CORS
  refuses them), and every script in extra_javascript is one. Each is replaced
  by a classic script made at build time from the module's own source
  (`<name>.classic.js` beside it): `import.meta.url` becomes the script's own
  URL, `export` is dropped, and `import()` of a vendored ES module becomes a
  <script> load of its one-file UMD build (for mermaid: mermaid.min.js,
  vendored by scripts/vendor_mermaid.py); any other `import()` rejects, with
  a message naming the URL. (diagrams.mjs imports diagram-live.mjs only for a
  diagram not drawn yet, and this edition's strict build has none.) A module
  that this cannot translate (a static `import`) stops the build.
"""

from __future__ import annotations

import json
import posixpath
import re

from material.plugins.offline.plugin import OfflinePlugin
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from archnotes import mermaid
from archnotes.editions import OFFLINE, edition_of

EDITION = OFFLINE.name
WORKER_SHIM = "assets/javascripts/iframe-worker/shim.js"
SCRIPTS = "assets/javascripts/"  # the folder of extra_javascript's modules, which name the others from it
# ES module entry (as the modules name it) -> (its UMD build beside it, the global it defines).
UMD_BUILDS = {mermaid.ENTRY.removeprefix(SCRIPTS): (mermaid.UMD.removeprefix(SCRIPTS), "mermaid")}

STATIC_IMPORT = re.compile(r"^\s*import\s*[\w{*\"']", re.M)
EXPORT = re.compile(r"^export\s+(?=(?:async\s+)?function\b|const\b|let\b|class\b)", re.M)
OTHER_EXPORT = re.compile(r"^export\b", re.M)

_offline = None
_classic: dict[str, str] = {}  # classic script path -> the module it is made from


def active(config) -> bool:
    return edition_of(config) == EDITION


def on_config(config):
    global _offline
    _classic.clear()
    if not active(config):
        _offline = None
        return config
    # Named before the offline plugin looks, so it does not add unpkg's copy.
    config.extra["polyfills"] = [WORKER_SHIM] + [p for p in config.extra.get("polyfills", []) if p != WORKER_SHIM]
    _offline = OfflinePlugin()
    _offline.load_config({})
    _offline.on_config(config)  # use_directory_urls: false
    features = config.theme["features"]
    features[:] = [f for f in features if not f.startswith("navigation.instant")]
    scripts = []
    for script in config.extra_javascript:
        path = str(script)
        if path.endswith(".mjs"):
            classic = path.removesuffix(".mjs") + ".classic.js"
            _classic[classic] = path
            # Deferred, as the module was: it runs after Material's bundle
            # (deferred too, overrides/main.html), whose document$ it uses.
            script = ExtraScriptValue(classic)
            script.defer = True
            scripts.append(script)
        else:
            scripts.append(script)
    config.extra_javascript = scripts
    return config


def on_files(files, config):
    if not active(config):
        return files
    missing = [p for p in [WORKER_SHIM] + needed_umd_builds() if files.get_file_from_path(p) is None]
    if missing:
        raise PluginError(f"offline edition: missing {', '.join(missing)} (run scripts/vendor_mermaid.py)")
    for classic, module in _classic.items():
        source = files.get_file_from_path(module)
        if source is None:
            raise PluginError(f"offline edition: extra_javascript names {module}, which is not in docs/")
        files.append(File.generated(config, classic, content=to_classic(source.content_string, module)))
    return files


def needed_umd_builds() -> list[str]:
    return [posixpath.join(SCRIPTS, umd) for umd, _ in UMD_BUILDS.values()]


@event_priority(-100)  # after the search plugin has written search_index.json
def on_post_build(config):
    if active(config) and _offline is not None:
        _offline.on_post_build(config=config)  # search/search_index.js


# --- an ES module as a classic script -------------------------------------------------

PRELUDE = """\
// Made at build time by hooks/offline_edition.py from {module}, for the offline
// edition: pages opened from disk (file://) cannot load ES modules.
(() => {{
"use strict";
const __scriptUrl = document.currentScript.src;
const __umdBuilds = {umd};
// import() of a vendored ES module, as a classic <script> of its UMD build.
const __import = (url) => {{
  const found = Object.entries(__umdBuilds).find(([esm]) => url.endsWith(esm));
  if (!found) return Promise.reject(new Error(`offline edition: no classic build of ${{url}}`));
  const [esm, [umd, global]] = found;
  return new Promise((resolve, reject) => {{
    const script = document.createElement("script");
    script.src = url.slice(0, -esm.length) + umd;
    script.onload = () => resolve({{ default: window[global] }});
    script.onerror = () => reject(new Error(`offline edition: cannot load ${{script.src}}`));
    document.head.append(script);
  }});
}};
"""


def to_classic(source: str, module: str) -> str:
    """The module's source as a classic script (see the module docstring)."""
    if STATIC_IMPORT.search(source):
        raise PluginError(f"offline edition: {module} has a static import; a classic script cannot have one")
    body = EXPORT.sub("", source)
    if OTHER_EXPORT.search(body):
        raise PluginError(f"offline edition: {module} has an `export` other than of a function or variable")
    body = body.replace("import.meta.url", "__scriptUrl")
    body = re.sub(r"\bimport\(", "__import(", body)
    umd = json.dumps({esm: list(build) for esm, build in UMD_BUILDS.items()})
    return PRELUDE.format(module=module, umd=umd) + body + "\n})();\n"
