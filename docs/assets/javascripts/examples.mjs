// The examples' buttons (Run, Edit, Reset, Stop; markup: hooks/examples_runner.py).
// Loaded on every page, so it only listens: the runner (example-runner.mjs) is
// fetched when a reader first points at, focuses or presses one of them, and
// Python itself (Pyodide, several MB) only on the first Run.
const ACTION = "[data-example-action]";
let runner; // promise of example-runner.mjs

const loadRunner = () => (runner ??= import("./example-runner.mjs").catch((error) => {
  runner = undefined;
  throw error;
}));

for (const type of ["pointerover", "focusin"]) {
  document.addEventListener(type, (e) => e.target.closest?.(ACTION) && loadRunner(), { passive: true });
}
document.addEventListener("click", async (e) => {
  const control = e.target.closest?.(ACTION);
  if (!control) return;
  const block = control.closest("[data-example]");
  try {
    (await loadRunner())[control.dataset.exampleAction](block);
  } catch (error) {
    block.querySelector("[data-example-part=status]").textContent = `Could not load the runner: ${error.message}`;
  }
});
