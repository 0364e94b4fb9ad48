// Lazy, self-hosted mermaid for Material for MkDocs (on every page).
// - imports mermaid only when the current page has a <div class="mermaid">,
//   so a page without diagrams loads no mermaid code at all;
// - renders after the first load and after every instant page swap (document$);
// - re-renders from the saved source when the palette scheme changes.
// The URL is resolved from this module's own URL, so it is right at the site
// root, under a sub-path, on the 404 page and after instant navigation.
const MERMAID_URL = new URL("mermaid/mermaid.esm.min.mjs", import.meta.url).href;
const sources = new WeakMap(); // div.mermaid -> its source, kept for re-renders
let mermaid; // promise of the mermaid API, created on first need
let queue = Promise.resolve(); // renders run one after the other
let drawnTheme; // mermaid theme of the diagrams now on screen

const theme = () =>
  document.body.getAttribute("data-md-color-scheme") === "slate" ? "dark" : "default";

async function render(all) {
  const nodes = [...document.querySelectorAll("div.mermaid")];
  for (const el of nodes) if (!sources.has(el)) sources.set(el, el.innerHTML);
  const todo = all ? nodes : nodes.filter((el) => !el.hasAttribute("data-processed"));
  if (!todo.length) return;
  mermaid ??= import(MERMAID_URL).then((m) => m.default);
  const api = await mermaid;
  drawnTheme = theme();
  // "loose" lets `click` lines in our own diagrams become links; every
  // diagram on this site is first-party source, reviewed like code.
  api.initialize({
    startOnLoad: false,
    theme: drawnTheme,
    // mermaid's dark theme puts #ccc edge labels on #585858 (4.43:1); a darker
    // label background passes WCAG AA (4.5:1).
    themeVariables: drawnTheme === "dark" ? { edgeLabelBackground: "#333333" } : {},
    securityLevel: "loose",
  });
  for (const el of todo) {
    el.removeAttribute("data-processed");
    el.innerHTML = sources.get(el);
  }
  await api.run({ nodes: todo });
}

const schedule = (all) => (queue = queue.then(() => render(all)).catch(console.error));

document$.subscribe(() => schedule(false));
new MutationObserver(() => theme() !== drawnTheme && schedule(true)).observe(document.body, {
  attributeFilter: ["data-md-color-scheme"],
});
