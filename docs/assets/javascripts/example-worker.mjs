// Runs the examples' Python programs with Pyodide, in a Web Worker started by
// example-runner.mjs: a program that loops cannot freeze the page, and the page
// stops it by terminating this worker. A worker has no DOM; the storage it
// could reach is hidden below before any program runs.
import { loadPyodide } from "../pyodide/pyodide.mjs";

const RUNTIME = new URL("../pyodide/", import.meta.url).href;
const OUTPUT_LIMIT = 200_000; // characters sent to the page; the rest is only counted
// Output goes to the page at most every 50 ms (or 4,096 characters): a program
// that prints in a loop sends a few large messages, not one per line.
const FLUSH_CHARS = 4096;
const FLUSH_MS = 50;
let lastFlush = -Infinity;

let pending = ""; // output not yet sent
let sent = 0; // characters sent in this run
let printed = 0; // characters printed in this run
let runId = 0;

function flush() {
  if (pending) postMessage({ id: runId, type: "output", text: pending });
  sent += pending.length;
  pending = "";
  lastFlush = performance.now();
}

// stdout and stderr share one stream, in the order the program wrote them,
// as a terminal shows them (and as the recorded .out files were made).
const decoder = new TextDecoder();
function write(bytes) {
  const text = decoder.decode(bytes, { stream: true });
  printed += text.length;
  const room = OUTPUT_LIMIT - sent - pending.length;
  if (room > 0) pending += text.slice(0, room);
  if (pending.length >= FLUSH_CHARS || performance.now() - lastFlush >= FLUSH_MS) flush();
  return bytes.length;
}

// Runs a file as `python FILE` would: as __main__, with __file__ set, an
// uncaught exception printed as a traceback (without this helper's frame).
const RUN_FILE = `
import os, sys, traceback, types

HOME = "/home/pyodide"
sys.path.insert(0, HOME)  # the program's folder, as for \`python FILE\`: it may import a file beside it

def forget_home_modules():
    """Modules imported from HOME are the run's own: the next run imports them afresh."""
    for name, module in list(sys.modules.items()):
        if (getattr(module, "__file__", None) or "").startswith(HOME + "/"):
            del sys.modules[name]

def imports_of(sources):
    from pyodide.code import find_imports
    found = set()
    for source in sources:
        try:
            found.update(find_imports(source))
        except SyntaxError:
            pass  # run_file reports it, as python would
    return sorted(found)

def run_file(path):
    main = types.ModuleType("__main__")
    main.__file__ = path
    saved = sys.modules["__main__"]
    sys.modules["__main__"] = main  # pickle and dataclasses look classes up here
    try:
        with open(path, encoding="utf-8") as source:
            code = compile(source.read(), path, "exec")
        exec(code, main.__dict__)
    except SystemExit as exit:
        if exit.code not in (None, 0):
            print(exit.code if isinstance(exit.code, str) else f"exit status {exit.code}", file=sys.stderr)
    except BaseException as error:
        traceback.print_exception(type(error), error, error.__traceback__.tb_next)
    finally:
        sys.modules["__main__"] = saved
        forget_home_modules()
        sys.stdout.flush()
        sys.stderr.flush()
`;

function hideStorage() {
  for (const name of ["indexedDB", "caches", "cookieStore"]) {
    Object.defineProperty(globalThis, name, { value: undefined, configurable: false });
  }
}

async function start() {
  const pyodide = await loadPyodide({ indexURL: RUNTIME, env: { HOME: "/home/pyodide", TZ: "UTC" } });
  pyodide.setStdout({ write });
  pyodide.setStderr({ write });
  pyodide.runPython(RUN_FILE);
  const packages = await (await fetch(new URL("packages.json", RUNTIME))).json();
  hideStorage();
  return { pyodide, packages, installed: new Set() };
}
let ready;

// Installs what the program imports beyond the standard library, from the
// site's own copies (PYODIDE.json lists them): a wheel into site-packages, a
// source archive (the pure-Python form of msgpack and PyYAML) onto sys.path.
async function install(runtime, sources) {
  const { pyodide, packages, installed } = runtime;
  const imports = pyodide.globals.get("imports_of")(sources).toJs();
  const files = [...new Set(imports.flatMap((name) => packages[name] || []))].filter((f) => !installed.has(f));
  for (const file of files) {
    const data = await (await fetch(new URL(file, RUNTIME))).arrayBuffer();
    if (file.endsWith(".whl")) {
      pyodide.unpackArchive(data, "wheel");
    } else {
      pyodide.unpackArchive(data, "gztar", { extractDir: "/lib/sdist" });
      const folder = "/lib/sdist/" + file.split("/").pop().replace(/\.tar\.gz$/, "");
      const names = Object.keys(packages).filter((name) => packages[name].includes(file));
      pyodide.runPython(`import sys\nsys.path.append(${JSON.stringify(packageRoot(pyodide, folder, names))})`);
    }
    installed.add(file);
  }
  pyodide.runPython("import importlib\nimportlib.invalidate_caches()");
}

// Where a source archive keeps its packages: at its top (msgpack), or under
// lib/ (PyYAML) or src/.
function packageRoot(pyodide, folder, names) {
  const roots = [folder, `${folder}/lib`, `${folder}/src`];
  const holds = (root) => names.some((name) => pyodide.FS.analyzePath(`${root}/${name}/__init__.py`).exists);
  return roots.find(holds) ?? folder;
}

async function run({ id, name, code, modules }) {
  runId = id;
  const loadedBefore = Boolean(ready);
  ready ??= start();
  const runtime = await ready;
  await install(runtime, [code, ...modules.map((m) => m.code)]);
  for (const file of modules) runtime.pyodide.FS.writeFile(`/home/pyodide/${file.name}`, file.code);
  const path = `/home/pyodide/${name}`;
  runtime.pyodide.FS.writeFile(path, code);
  [pending, sent, printed, lastFlush] = ["", 0, 0, -Infinity];
  postMessage({ id, type: "started", warm: loadedBefore });
  await runtime.pyodide.runPythonAsync(`run_file(${JSON.stringify(path)})`);
  decoder.decode(); // end of stream: nothing half-decoded carries into the next run
  flush();
  postMessage({ id, type: "done", printed, truncated: printed > OUTPUT_LIMIT });
}

// One run at a time, in the order the page asked.
let queue = Promise.resolve();
onmessage = ({ data }) => {
  queue = queue.then(() => run(data)).catch((error) => postMessage({ id: data.id, type: "failed", message: String(error) }));
};
