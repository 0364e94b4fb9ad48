// Diagrams for Material for MkDocs (on every page).
// - Diagrams arrive drawn before the build (scripts/render_diagrams.py,
//   hooks/diagrams.py): <div class="diagram"> holds one image per palette (or,
//   for a diagram with links, one inline SVG per palette), and the site's CSS
//   shows the one of the current palette. No mermaid code loads.
// - A diagram not drawn yet (just written, under `mkdocs serve`) arrives as its
//   source in <div class="mermaid">; this module draws it with the self-hosted
//   mermaid, lazily: only when it comes within one screen of the viewport, after
//   the first load and after every instant page swap (document$), and again
//   from its saved source when the palette changes. A page with no such
//   diagram loads no mermaid code at all.
// - Under each diagram: "Copy source" (the mermaid text, to paste into a wiki
//   that renders mermaid) and "Open larger" (the diagram on the whole screen,
//   to pan and zoom by touch, mouse or keyboard); hooks/diagrams.py writes the
//   buttons, this module makes them work.
// - A diagram wider than its column scrolls sideways in its box; near the
//   screen, such a diagram is marked, so that site.css fades the edge it
//   continues past and shows a hint under it.
// The mermaid URL is resolved from this module's own URL, so it is right at the
// site root, under a sub-path, on the 404 page and after instant navigation.
const MERMAID_URL = new URL("mermaid/mermaid.esm.min.mjs", import.meta.url).href;
const DIAGRAMS = "div.diagram, div.mermaid"; // drawn before the build, or to draw here
const sources = new WeakMap(); // div.mermaid -> its source as HTML, kept for re-renders
const texts = new WeakMap(); // div.mermaid -> its source as plain text, for copying
let mermaid; // promise of the mermaid API, created on first need
let queue = Promise.resolve(); // renders run one after the other
let drawnTheme; // mermaid theme of the diagrams now on screen
let observer; // IntersectionObserver of the current page's undrawn diagrams

const theme = () =>
  document.body.getAttribute("data-md-color-scheme") === "slate" ? "dark" : "default";

// The one mermaid configuration, used here and by scripts/render_diagrams.py.
// Changing it changes every drawing: bump RENDERING in hooks/diagrams.py.
export function mermaidConfig(mermaidTheme) {
  return {
    startOnLoad: false,
    theme: mermaidTheme,
    // Arial's metrics (Liberation Sans on Linux has the same): text measured
    // where a diagram is drawn fits its box where it is read.
    fontFamily: 'Arial, "Liberation Sans", Helvetica, sans-serif',
    // mermaid's dark theme puts #ccc edge labels on #585858 (4.43:1); a darker
    // label background passes WCAG AA (4.5:1).
    themeVariables: mermaidTheme === "dark" ? { edgeLabelBackground: "#333333" } : {},
    // "loose" lets `click` lines in our own diagrams become links; every
    // diagram on this site is first-party source, reviewed like code.
    securityLevel: "loose",
  };
}

async function render(nodes) {
  if (!nodes.length) return;
  mermaid ??= import(MERMAID_URL).then((m) => m.default);
  const api = await mermaid;
  drawnTheme = theme();
  api.initialize(mermaidConfig(drawnTheme));
  for (const el of nodes) {
    el.removeAttribute("data-processed");
    el.innerHTML = sources.get(el);
  }
  await api.run({ nodes });
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
  if (!nodes.length) return;
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

// --- copy and open larger -----------------------------------------------------

// The buttons are in the page (hooks/diagrams.py); one listener serves all of
// them, on every page instant navigation brings.
document.addEventListener("click", (event) => {
  const b = event.target.closest?.(".diagram-tools__button[data-action]");
  const el = b?.parentElement.previousElementSibling;
  if (!el?.matches(DIAGRAMS)) return;
  const status = b.parentElement.querySelector(".diagram-tools__status");
  if (b.dataset.action === "copy") copy(sourceOf(el), status);
  if (b.dataset.action === "zoom") {
    loadViewer().then((viewer) => viewer.open(el, b), (error) => {
      status.textContent = "The larger view could not load";
      console.error(error);
    });
  }
});

function sourceOf(el) {
  const template = el.querySelector("template.diagram__source");
  return (template ? template.content.textContent : texts.get(el) ?? "").trim() + "\n";
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

// The large view ("Open larger") is a script and a stylesheet of its own,
// diagram-viewer.js and .css, loaded when a reader first reaches for that
// button (points at, presses or focuses it), so that pages do not carry them
// at load. Both go into <body>: Material's instant navigation removes from
// <head> what the next page's <head> does not have.
const VIEWER_JS = new URL("diagram-viewer.js", import.meta.url).href;
const VIEWER_CSS = new URL("../stylesheets/diagram-viewer.css", import.meta.url).href;
let viewerLoaded; // promise of window.diagramViewer

const load = (el) => new Promise((resolve, reject) => {
  el.onload = resolve;
  el.onerror = () => {
    el.remove();
    reject(new Error(`cannot load ${el.src || el.href}`));
  };
  document.body.append(el);
});

function loadViewer() {
  viewerLoaded ??= Promise.all([
    load(Object.assign(document.createElement("link"), { rel: "stylesheet", href: VIEWER_CSS })),
    load(Object.assign(document.createElement("script"), { src: VIEWER_JS })),
  ]).then(() => window.diagramViewer, (error) => {
    viewerLoaded = undefined;
    throw error;
  });
  return viewerLoaded;
}
for (const type of ["pointerover", "pointerdown", "focusin"]) {
  document.addEventListener(type, (e) => e.target.closest?.("[data-action=zoom]") && loadViewer(), { passive: true });
}

// --- a diagram wider than its column ---------------------------------------------

// Marks a diagram that scrolls sideways (diagram--wide) and the sides it
// continues past (diagram--more-start, diagram--more-end); site.css draws the
// cue. Only diagrams near the screen are measured, when they come near and
// whenever their width changes, so a page's load reads no diagram's layout.
function measure(el) {
  const wide = el.scrollWidth > el.clientWidth + 1;
  el.classList.toggle("diagram--wide", wide);
  el.classList.toggle("diagram--more-start", wide && el.scrollLeft > 1);
  el.classList.toggle("diagram--more-end", wide && el.scrollLeft + el.clientWidth < el.scrollWidth - 1);
}
const widths = new ResizeObserver((entries) => entries.forEach((e) => measure(e.target)));
let nearScreen; // IntersectionObserver of the current page's diagrams

function watchWidths() {
  nearScreen?.disconnect();
  widths.disconnect();
  nearScreen = new IntersectionObserver(
    (entries) => entries.forEach((e) => (e.isIntersecting ? widths.observe(e.target) : widths.unobserve(e.target))),
    { rootMargin: "50% 0px" },
  );
  document.querySelectorAll(DIAGRAMS).forEach((el) => nearScreen.observe(el));
}
document.addEventListener("scroll", (event) => event.target.classList?.contains("diagram--wide") && measure(event.target),
  { capture: true, passive: true });

// Printing needs every diagram: draw the rest before the print dialog opens.
export function renderAll() {
  const rest = [...document.querySelectorAll("div.mermaid:not([data-processed])")];
  rest.forEach((el) => observer?.unobserve(el));
  schedule(rest);
  return queue;
}
window.addEventListener("beforeprint", renderAll);

document$.subscribe(watch);
document$.subscribe(watchWidths);
new MutationObserver(() => {
  if (theme() === drawnTheme) return;
  schedule([...document.querySelectorAll("div.mermaid[data-processed]")]);
}).observe(document.body, { attributeFilter: ["data-md-color-scheme"] });
