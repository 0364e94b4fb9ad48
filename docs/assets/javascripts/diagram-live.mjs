// Diagrams not drawn yet, drawn in the reader's browser: only under
// `make serve`, where a diagram just written has no drawing (the strict build
// allows none). diagrams.mjs imports this module only for a page that has one
// (<div class="mermaid">), so no published page loads it, nor mermaid.
// - It draws each such diagram with the self-hosted mermaid, lazily: when it
//   comes within one screen of the viewport, and again from its saved source
//   when the palette changes.
// - mermaidConfig() is the one mermaid configuration: scripts/render_diagrams.py
//   draws every published drawing with it, in this module.
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

// The one mermaid configuration, used here and by scripts/render_diagrams.py.
// Changing it changes every drawing: bump RENDERING in hooks/diagrams.py.
//
// Drawn for the article column: about 690 px wide on a desktop, 358 px on a
// 390 px phone. A drawing may be shown down to 11/16 of its size on a desktop
// and 10/16 on a phone (site.css), so it shows whole with 16 px labels drawn at
// 11 px or more when it is at most ~1,000 px wide, and on a phone when it is
// at most ~550 px (the 343 px column of a desktop window that narrow; a phone's
// is 358 px): spacing and wrapping below are set for that.
const FONT = '-apple-system, BlinkMacSystemFont, Helvetica, Arial, sans-serif'; // Material's text stack
// The site's palette (Material indigo). Text meets WCAG AA (4.5:1) on its
// fill, lines and borders 3:1 against the page (tests/site/test_diagram_palette.py).
export const PALETTE = {
  default: {
    background: "#ffffff",
    text: "#1f2333", // on fill #e8eaf6: 13.0:1
    fill: "#e8eaf6", // indigo 50
    fillAlt: "#f5f6fc",
    border: "#4051b5", // Material indigo primary: 6.9:1 on white
    line: "#4f5b93", // 6.5:1 on white
    cluster: "#f5f6fc",
    clusterBorder: "#7986cb",
    note: "#fff8e1",
    noteBorder: "#b28704",
  },
  dark: {
    background: "#1e2129", // Material slate, hue 225
    text: "#e3e6f1", // on fill #2c3354: 9.9:1
    fill: "#2c3354",
    fillAlt: "#252a3d",
    border: "#8c9eff", // indigo A100: 6.5:1 on the page
    line: "#a9b1da",
    cluster: "#23283a",
    clusterBorder: "#6f7cc4",
    note: "#3a3424",
    noteBorder: "#d6b656",
  },
};

export function mermaidConfig(mermaidTheme) {
  const c = PALETTE[mermaidTheme === "dark" ? "dark" : "default"];
  return {
    startOnLoad: false,
    theme: "base",
    fontFamily: FONT,
    themeVariables: {
      darkMode: mermaidTheme === "dark",
      fontFamily: FONT,
      fontSize: "16px",
      background: c.background,
      primaryColor: c.fill,
      primaryTextColor: c.text,
      primaryBorderColor: c.border,
      secondaryColor: c.fillAlt,
      secondaryTextColor: c.text,
      secondaryBorderColor: c.border,
      tertiaryColor: c.cluster,
      tertiaryTextColor: c.text,
      tertiaryBorderColor: c.clusterBorder,
      lineColor: c.line,
      textColor: c.text,
      mainBkg: c.fill,
      nodeBorder: c.border,
      nodeTextColor: c.text,
      clusterBkg: c.cluster,
      clusterBorder: c.clusterBorder,
      titleColor: c.text,
      edgeLabelBackground: c.background,
      noteBkgColor: c.note,
      noteTextColor: c.text,
      noteBorderColor: c.noteBorder,
      actorBkg: c.fill,
      actorBorder: c.border,
      actorTextColor: c.text,
      actorLineColor: c.line,
      signalColor: c.text,
      signalTextColor: c.text,
      labelBoxBkgColor: c.fill,
      labelBoxBorderColor: c.border,
      labelTextColor: c.text,
      loopTextColor: c.text,
      activationBkgColor: c.fillAlt,
      activationBorderColor: c.border,
      sequenceNumberColor: c.background,
      labelBackgroundColor: c.background,
      stateBkg: c.fill,
      stateLabelColor: c.text,
      compositeBackground: c.cluster,
      compositeTitleBackground: c.cluster,
      altBackground: c.fillAlt,
      classText: c.text,
      // timeline sections and pie slices cycle through cScale0..11.
      ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`cScale${i}`, i % 2 ? c.fillAlt : c.fill])),
      ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`cScaleLabel${i}`, c.text])),
      ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`cScalePeer${i}`, c.border])),
      xyChart: {
        backgroundColor: c.background,
        titleColor: c.text,
        xAxisLabelColor: c.text,
        xAxisTitleColor: c.text,
        xAxisTickColor: c.line,
        xAxisLineColor: c.line,
        yAxisLabelColor: c.text,
        yAxisTitleColor: c.text,
        yAxisTickColor: c.line,
        yAxisLineColor: c.line,
        plotColorPalette: `${c.border}, ${c.line}, ${c.noteBorder}`,
      },
    },
    flowchart: { nodeSpacing: 28, rankSpacing: 36, padding: 10, diagramPadding: 6, wrappingWidth: 150 },
    sequence: {
      diagramMarginX: 6, diagramMarginY: 6, actorMargin: 24, width: 110, height: 44, boxMargin: 6,
      boxTextMargin: 4, noteMargin: 8, messageMargin: 30, mirrorActors: false, wrap: true, wrapPadding: 8,
      actorFontFamily: FONT, noteFontFamily: FONT, messageFontFamily: FONT,
      actorFontSize: 16, noteFontSize: 16, messageFontSize: 16,
    },
    state: { padding: 6 },
    class: { padding: 6 },
    timeline: { padding: 6, useMaxWidth: true },
    xyChart: { width: 540, height: 340 }, // fits a phone's column at 10 px labels,
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

// Printing needs every diagram: draw the rest before the print dialog opens.
export function renderAll() {
  const rest = [...document.querySelectorAll("div.mermaid:not([data-processed])")];
  rest.forEach((el) => observer?.unobserve(el));
  schedule(rest);
  return queue;
}
window.addEventListener("beforeprint", renderAll);

new MutationObserver(() => {
  if (theme() === drawnTheme) return;
  schedule([...document.querySelectorAll("div.mermaid[data-processed]")]);
}).observe(document.body, { attributeFilter: ["data-md-color-scheme"] });

// --- make serve: diagrams not drawn yet --------------------------------------
// Only a build that is not strict (`make serve`) has them: hooks/diagrams.py
// puts a note before each, naming the Markdown file and line of its fence
// (data-diagram-at; data-diagram-first-line is the file's line of the source's
// first line). If the source does not parse, the note becomes mermaid's error,
// with the line in the Markdown file, where the writer needs it.
async function showSyntaxErrors() {
  const pending = [...document.querySelectorAll("div.mermaid[data-diagram-at]")];
  if (!pending.length) return;
  const api = (await import(MERMAID_URL)).default;
  for (const el of pending) {
    const note = el.previousElementSibling;
    if (!note?.matches(".diagram-pending")) continue;
    try {
      await api.parse((texts.get(el) ?? el.textContent).trim());
    } catch (e) {
      const message = String((e && e.message) || e);
      const first = Number(el.dataset.diagramFirstLine);
      const line = /line (\d+)/i.exec(message);
      const [file, fenceLine] = el.dataset.diagramAt.split(/:(?=\d+$)/);
      const where = `${file}:${first && line ? first + Number(line[1]) - 1 : fenceLine}`;
      const title = document.createElement("p");
      title.className = "admonition-title";
      title.textContent = "Diagram does not parse";
      const at = document.createElement("p");
      at.append(Object.assign(document.createElement("code"), { textContent: where }));
      const text = Object.assign(document.createElement("pre"), { textContent: message });
      text.style.overflowX = "auto"; // the caret under mermaid's excerpt needs its line whole
      note.className = "admonition failure diagram-pending";
      note.replaceChildren(title, at, text);
    }
  }
}

/** The page's diagrams not drawn yet: draw them as they come near, and show a syntax error where one is. */
export function start() {
  watch();
  showSyntaxErrors().catch(console.error);
}

/** The mermaid source of a diagram not drawn yet, for "Copy source". */
export function sourceText(el) {
  return texts.get(el) ?? el.textContent.trim() + "\n";
}
