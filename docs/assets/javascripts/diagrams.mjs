// Diagrams for Material for MkDocs (on every page).
// - Diagrams arrive drawn before the build (scripts/render_diagrams.py,
//   hooks/diagrams.py): <div class="diagram"> holds one image per palette (or,
//   for a diagram with links, one inline SVG per palette), and the site's CSS
//   shows the one of the current palette. No mermaid code loads.
// - A diagram not drawn yet (just written, under `make serve`) arrives as its
//   source in <div class="mermaid">; diagram-live.mjs draws it, and is imported
//   only for a page that has one, so published pages never load it.
// - Under each diagram: "Copy source" (the mermaid text, to paste into a wiki
//   that renders mermaid) and "Open larger" (the diagram on the whole screen,
//   to pan and zoom by touch, mouse or keyboard); hooks/diagrams.py writes the
//   buttons, this module makes them work.
// - A diagram wider than its column scrolls sideways in its box; near the
//   screen, such a diagram is marked, so that site.css fades the edge it
//   continues past and shows a hint under it.
const DIAGRAMS = "div.diagram, div.mermaid"; // drawn before the build, or to draw here
const LIVE_URL = new URL("diagram-live.mjs", import.meta.url).href;
let live; // promise of diagram-live.mjs, imported for the first page with a diagram to draw

function drawUndrawn() {
  if (!document.querySelector("div.mermaid")) return;
  live ??= import(LIVE_URL);
  live.then((m) => m.start()).catch(console.error);
}

// --- copy and open larger -----------------------------------------------------

// The buttons are in the page (hooks/diagrams.py); one listener serves all of
// them, on every page instant navigation brings.
document.addEventListener("click", (event) => {
  const b = event.target.closest?.(".diagram-tools__button[data-action]");
  const el = b?.parentElement.previousElementSibling;
  if (!el?.matches(DIAGRAMS)) return;
  const status = b.parentElement.querySelector(".diagram-tools__status");
  if (b.dataset.action === "copy") sourceOf(el).then((text) => copy(text, status));
  if (b.dataset.action === "zoom") {
    loadViewer().then((viewer) => viewer.open(el, b), (error) => {
      status.textContent = "The larger view could not load";
      console.error(error);
    });
  }
});

async function sourceOf(el) {
  const template = el.querySelector("template.diagram__source");
  return template ? template.content.textContent.trim() + "\n" : (await live).sourceText(el);
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

document$.subscribe(drawUndrawn);
document$.subscribe(watchWidths);
