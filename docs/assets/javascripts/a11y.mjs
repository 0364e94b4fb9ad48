// Accessibility fixes for elements Material creates in the browser, applied
// after the first load and after every instant page swap (document$).
// - Each code block gets a <nav class="md-code__nav"> for its copy button;
//   unnamed, they are several landmarks with the same (empty) name.
// - Wide tables scroll inside .md-typeset__scrollwrap; a scrollable region
//   must be reachable by keyboard to be scrolled without a mouse.
// Attributes are only written when they change: a write makes the browser
// restyle, and this runs on every change to the page.
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

// Material mounts code-block controls after document$ emits, so also watch the page.
document$.subscribe(label);
new MutationObserver(label).observe(document.body, { childList: true, subtree: true });
