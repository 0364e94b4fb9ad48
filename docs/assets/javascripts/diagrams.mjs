// Lazy, self-hosted mermaid for Material for MkDocs (on every page).
// - A page without diagrams loads no mermaid code at all.
// - A diagram is rendered when it comes within one screen of the viewport, so
//   a first visit downloads mermaid's core plus the chunks of the diagram
//   types in view, not of every type on a long page, and a phone does not lay
//   out ten diagrams before the reader scrolls.
// - Renders after the first load and after every instant page swap (document$),
//   and re-renders drawn diagrams from their saved source when the palette changes.
// - Under each drawn diagram: "Copy source" (the mermaid text, to paste into a
//   wiki that renders mermaid) and "Open larger" (the diagram in a modal dialog).
// The mermaid URL is resolved from this module's own URL, so it is right at the
// site root, under a sub-path, on the 404 page and after instant navigation.
const MERMAID_URL = new URL("mermaid/mermaid.esm.min.mjs", import.meta.url).href;
const sources = new WeakMap(); // div.mermaid -> its source as HTML, kept for re-renders
const texts = new WeakMap(); // div.mermaid -> its source as plain text, for copying
let mermaid; // promise of the mermaid API, created on first need
let queue = Promise.resolve(); // renders run one after the other
let drawnTheme; // mermaid theme of the diagrams now on screen
let observer; // IntersectionObserver of the current page's undrawn diagrams

const theme = () =>
  document.body.getAttribute("data-md-color-scheme") === "slate" ? "dark" : "default";

async function render(nodes) {
  if (!nodes.length) return;
  mermaid ??= import(MERMAID_URL).then((m) => m.default);
  const api = await mermaid;
  drawnTheme = theme();
  api.initialize({
    startOnLoad: false,
    theme: drawnTheme,
    // mermaid's dark theme puts #ccc edge labels on #585858 (4.43:1); a darker
    // label background passes WCAG AA (4.5:1).
    themeVariables: drawnTheme === "dark" ? { edgeLabelBackground: "#333333" } : {},
    // "loose" lets `click` lines in our own diagrams become links; every
    // diagram on this site is first-party source, reviewed like code.
    securityLevel: "loose",
  });
  for (const el of nodes) {
    el.removeAttribute("data-processed");
    el.innerHTML = sources.get(el);
  }
  await api.run({ nodes });
  nodes.forEach(addTools);
  document.dispatchEvent(new CustomEvent("diagrams:rendered", { detail: { nodes } }));
}

const schedule = (nodes) => (queue = queue.then(() => render(nodes)).catch(console.error));

function watch() {
  observer?.disconnect();
  const nodes = [...document.querySelectorAll("div.mermaid")];
  for (const el of nodes) {
    if (!sources.has(el)) sources.set(el, el.innerHTML);
    if (!texts.has(el)) texts.set(el, el.textContent.trim() + "\n");
  }
  // The print page (hooks/print_page.py) asks for every diagram at once.
  if (document.querySelector("[data-diagrams=all]")) return void renderAll();
  observer = new IntersectionObserver(
    (entries) => {
      const visible = entries.filter((e) => e.isIntersecting).map((e) => e.target);
      visible.forEach((el) => observer.unobserve(el));
      schedule(visible);
    },
    { rootMargin: "100% 0px" },
  );
  nodes.filter((el) => !el.hasAttribute("data-processed")).forEach((el) => observer.observe(el));
}

// --- copy and zoom ---------------------------------------------------------

// The accessible name begins with the visible label (WCAG 2.5.3, label in name)
// and adds which diagram the button acts on.
function button(label, name, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "diagram-tools__button";
  b.textContent = label;
  b.setAttribute("aria-label", name);
  b.addEventListener("click", onClick);
  return b;
}

function addTools(el) {
  if (el.nextElementSibling?.classList.contains("diagram-tools")) return;
  const number = [...document.querySelectorAll("div.mermaid")].indexOf(el) + 1;
  const tools = document.createElement("div");
  tools.className = "diagram-tools";
  const status = document.createElement("span");
  status.className = "diagram-tools__status";
  status.setAttribute("role", "status");
  tools.append(
    button("Copy source", `Copy source of diagram ${number}`, () => copy(texts.get(el), status)),
    button("Open larger", `Open larger view of diagram ${number}`, (e) => zoom(el, e.currentTarget)),
    status,
  );
  el.after(tools);
}

async function copy(text, status) {
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = "Copied";
  } catch {
    status.textContent = "Copy failed: select the diagram source in the page's Markdown instead";
  }
  setTimeout(() => (status.textContent = ""), 3000);
}

function zoom(el, opener) {
  const svg = el.querySelector("svg");
  if (!svg) return;
  const dialog = document.createElement("dialog");
  dialog.className = "diagram-dialog";
  dialog.setAttribute("aria-label", "Diagram, enlarged");
  const close = button("Close", "Close the enlarged diagram", () => dialog.close());
  const large = svg.cloneNode(true);
  // mermaid scopes its CSS to the SVG's id: give the copy its own id and scope.
  large.id = `${svg.id}-large`;
  large.querySelectorAll("style").forEach((s) => (s.textContent = s.textContent.replaceAll(`#${svg.id}`, `#${large.id}`)));
  large.removeAttribute("style");
  dialog.append(close, large);
  dialog.addEventListener("close", () => {
    dialog.remove();
    opener.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
}

// Printing needs every diagram: draw the rest before the print dialog opens.
export function renderAll() {
  const rest = [...document.querySelectorAll("div.mermaid:not([data-processed])")];
  rest.forEach((el) => observer?.unobserve(el));
  schedule(rest);
  return queue;
}
window.addEventListener("beforeprint", renderAll);

document$.subscribe(watch);
new MutationObserver(() => {
  if (theme() === drawnTheme) return;
  schedule([...document.querySelectorAll("div.mermaid[data-processed]")]);
}).observe(document.body, { attributeFilter: ["data-md-color-scheme"] });
