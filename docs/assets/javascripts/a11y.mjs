// Accessibility fixes for elements Material creates in the browser, applied
// after the first load and after every instant page swap (document$).
// - Each code block gets a <nav class="md-code__nav"> for its copy button;
//   unnamed, they are several landmarks with the same (empty) name.
// - Wide tables scroll inside .md-typeset__scrollwrap; a scrollable region
//   must be reachable by keyboard to be scrolled without a mouse.
// - So must a code block that scrolls sideways. Material gives one
//   tabindex="0" only on a device that can hover (it checks once, with
//   matchMedia("(hover)")), and removes it on a touch screen, to which a
//   keyboard can still be attached: a phone lost keyboard access to every
//   wide code block (axe, 390 px: 82 on the site's pages). Whenever Material
//   removes it, or a block's size changes, a block that scrolls gets it back.
// Attributes are only written when they change: a write makes the browser
// restyle, and this runs on every change to the page.
const CODE = ".md-content pre > code";

function set(el, name, value) {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

function label() {
  document.querySelectorAll("nav.md-code__nav").forEach((nav, i) => {
    set(nav, "aria-label", `Code block ${i + 1} actions`);
  });
  document.querySelectorAll(".md-typeset__scrollwrap").forEach((wrap, i) => {
    set(wrap, "tabindex", "0");
    set(wrap, "role", "region");
    set(wrap, "aria-label", `Table ${i + 1} (scrolls sideways)`);
  });
}

// Material measures each code block when its size changes, as this does, so the
// layout read here is one the browser has just done.
function reachable(code) {
  if (!code.hasAttribute("tabindex") && code.scrollWidth > code.clientWidth) code.setAttribute("tabindex", "0");
}
const sized = new ResizeObserver((entries) => entries.forEach((e) => reachable(e.target)));

function watchCode() {
  sized.disconnect();
  document.querySelectorAll(CODE).forEach((code) => sized.observe(code));
}

// Material mounts code-block controls after document$ emits, so also watch the page.
document$.subscribe(label);
document$.subscribe(watchCode);
new MutationObserver(label).observe(document.body, { childList: true, subtree: true });
new MutationObserver((records) => records.forEach((r) => r.target.matches(CODE) && reachable(r.target)))
  .observe(document.body, { attributeFilter: ["tabindex"], subtree: true });

// A citation ([^key], hooks/citations.py) shows its entry under References as
// its tooltip: the entry's text becomes the link's title the first time it is
// pointed at or focused. Material's content.footnote.tooltips mounts a
// component on every citation at startup instead: on a page with 45 citations
// that cost a phone 150 ms more blocking time (Lighthouse, 5 runs each).
function entryText(citation) {
  const entry = document.getElementById(decodeURIComponent(citation.hash.slice(1)));
  if (!entry) return "";
  const copy = entry.cloneNode(true);
  copy.querySelectorAll(".footnote-backref").forEach((link) => link.remove());
  return copy.textContent.trim();
}
function titleCitation(event) {
  const citation = event.target.closest?.("a.footnote-ref");
  if (citation && !citation.title) citation.title = entryText(citation);
}
document.addEventListener("pointerover", titleCitation);
document.addEventListener("focusin", titleCitation);
