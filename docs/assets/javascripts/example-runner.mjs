// The examples' Run, Edit, Reset and Stop buttons (markup: hooks/examples_runner.py).
// Loaded by examples.mjs when a reader first reaches for one of them; it starts
// the worker (example-worker.mjs, which loads Pyodide) on the first Run.
// Output is shown as text (textContent), never as HTML.

const WORKER = new URL("example-worker.mjs", import.meta.url);
const TIME_LIMIT = 10_000; // ms a program may run before it is stopped

let worker; // shared by every example on the page, and kept across instant navigation
let lastId = 0;
const runs = new Map(); // run id -> { block, timer }

function startWorker() {
  worker = new Worker(WORKER, { type: "module", name: "examples" });
  worker.onmessage = ({ data }) => runs.has(data.id) && handle(runs.get(data.id), data);
  worker.onerror = (event) => stopAll(`The Python runtime failed to load: ${event.message || "see the console"}.`);
}

const part = (block, name) => block.querySelector(`[data-example-part=${name}]`);
const button = (block, action) => block.querySelector(`[data-example-action=${action}]`);

function setStatus(block, text) {
  part(block, "status").textContent = text;
}

function setBusy(block, busy) {
  const output = part(block, "output");
  output.setAttribute("aria-busy", String(busy));
  button(block, "run").disabled = busy;
  button(block, "stop").hidden = !busy;
}

const fileName = (url) => url.split("/").pop();

function fetchText(url) {
  return fetch(url).then((r) => {
    if (!r.ok) throw new Error(`cannot load ${url} (${r.status})`);
    return r.text();
  });
}

// The file the page includes, fetched once, as tested.
async function tested(block) {
  block.testedSource ??= fetchText(block.dataset.example);
  return block.testedSource;
}

// The files a browser variant imports (data-example-uses), written beside it.
function modules(block) {
  const urls = (block.dataset.exampleUses || "").split(" ").filter(Boolean);
  return Promise.all(urls.map(async (url) => ({ name: fileName(url), code: await fetchText(url) })));
}

async function source(block) {
  const editor = part(block, "editor");
  return editor ? editor.value : tested(block);
}

export async function run(block) {
  if (button(block, "run").disabled) return;
  const output = part(block, "output");
  output.hidden = false;
  output.textContent = "";
  setBusy(block, true);
  setStatus(block, worker ? "Starting…" : "Loading Python (the first run downloads about 6 MB)…");
  let code, uses;
  try {
    [code, uses] = await Promise.all([source(block), modules(block)]);
  } catch (error) {
    return finish({ block }, String(error.message));
  }
  if (!worker) startWorker();
  const id = ++lastId;
  runs.set(id, { block, started: 0, timer: 0 });
  worker.postMessage({ id, name: fileName(block.dataset.example), code, modules: uses });
}

function handle(state, message) {
  const { block } = state;
  if (message.type === "started") {
    state.started = performance.now();
    state.timer = setTimeout(() => stopAll(`Stopped: the program ran longer than ${TIME_LIMIT / 1000} s.`), TIME_LIMIT);
    setStatus(block, "Running…");
  } else if (message.type === "output") {
    part(block, "output").append(message.text); // a text node: never parsed as HTML
  } else if (message.type === "done") {
    const seconds = ((performance.now() - state.started) / 1000).toFixed(1);
    const cut = message.truncated ? ` Output truncated: the program printed ${message.printed.toLocaleString("en")} characters; the first 200,000 are shown.` : "";
    finish(state, `Finished in ${seconds} s.${cut}`);
  } else if (message.type === "failed") {
    finish(state, `Could not run: ${message.message}`);
  }
}

function finish(state, text) {
  clearTimeout(state.timer);
  for (const [id, s] of runs) if (s === state) runs.delete(id);
  setBusy(state.block, false);
  setStatus(state.block, text);
}

// Terminating is the only way to stop Python mid-run; the next Run starts a
// new worker (the runtime's files then come from the browser's cache).
function stopAll(text) {
  worker?.terminate();
  worker = undefined;
  for (const state of [...runs.values()]) finish(state, text);
}

export function stop() {
  stopAll("Stopped.");
}

// Edit: the whole file in a plain textarea, run by Run; Reset puts the tested file back.
export async function edit(block) {
  const toggle = button(block, "edit");
  let editor = part(block, "editor");
  if (!editor) {
    editor = Object.assign(document.createElement("textarea"), { className: "example-run__editor", spellcheck: false });
    editor.dataset.examplePart = "editor";
    editor.setAttribute("aria-label", `Code of ${fileName(block.dataset.example)}, editable`);
    editor.value = await tested(block).catch((error) => `# ${error.message}`);
    part(block, "output").before(editor);
  } else {
    editor.hidden = !editor.hidden;
  }
  toggle.setAttribute("aria-expanded", String(!editor.hidden));
  button(block, "reset").hidden = editor.hidden;
  if (!editor.hidden) editor.focus();
}

export async function reset(block) {
  const editor = part(block, "editor");
  if (editor) editor.value = await tested(block);
  setStatus(block, "Reset to the tested file.");
}
