// The large view of a diagram: "Open larger" (hooks/diagrams.py writes the
// button) shows the diagram on the whole screen, in a modal <dialog>, at its
// own size (its labels as drawn), or larger, up to twice, if it fits whole.
// Drag or the arrow keys move it; pinch, the mouse wheel or + and - zoom; 0
// goes back to the first view. Opening adds an entry to the session history,
// so the back gesture closes it; closing it otherwise (Close, Escape) goes back
// over that entry, so that Back never leads to it later. Focus returns to the
// button.
//
// diagrams.mjs loads this script when a reader first reaches for the button,
// so that no page carries it at load (a topic page's first view must stay
// under 100 KB gzip, scripts/bench.py). It is a classic script so that the
// offline edition, read from file://, where modules cannot load, loads it too.
// It defines window.diagramViewer.open(diagram, button), and
// window.diagramViewerPopstate, which overrides/main.html calls.
(() => {
  "use strict";
  const HINT = "Drag to move, pinch or wheel to zoom. Keys: arrows move, + and \u2212 zoom, 0 resets.";
  let viewer; // the open large view: { dialog, popped }
  let goingBack = false; // the history.back() of a closed large view is under way
  let reopen; // "Open larger", pressed while going back: done once back
  let viewedAt; // the address of the page the large view was opened on

  function open(el, opener) {
    // The drawing of the current palette: an image, or (a diagram with links,
    // or one drawn here) an SVG.
    const shown = [...el.querySelectorAll("img, svg")].find((d) => d.getClientRects().length);
    if (!shown || viewer) return;
    if (goingBack) return void (reopen = () => open(el, opener));
    const dialog = document.createElement("dialog");
    dialog.className = "diagram-viewer";
    dialog.setAttribute("aria-label", `${el.getAttribute("aria-label") ?? "Diagram"}, enlarged`);
    const bar = document.createElement("div");
    bar.className = "diagram-viewer__bar";
    const hint = document.createElement("p");
    hint.className = "diagram-viewer__hint";
    hint.id = "diagram-viewer-hint";
    hint.textContent = HINT;
    dialog.setAttribute("aria-describedby", hint.id);
    const close = Object.assign(document.createElement("button"), { type: "button", className: "diagram-tools__button", textContent: "Close" });
    close.setAttribute("aria-label", "Close the enlarged diagram");
    close.addEventListener("click", () => dialog.close());
    bar.append(hint, close);
    const stage = document.createElement("div");
    stage.className = "diagram-viewer__stage";
    const drawing = document.createElement("div");
    drawing.className = "diagram-viewer__drawing";
    drawing.append(copyOf(shown));
    stage.append(drawing);
    dialog.append(bar, stage);
    document.body.append(dialog);
    dialog.showModal();
    viewedAt = location.href;
    // Coming back to this entry, the page must stay where it is: with "auto"
    // (a fresh load's mode, until Material's first navigation sets "manual"),
    // Chromium moves it to a scroll position it saved earlier. (Material sets
    // "auto" again before the page unloads.)
    history.scrollRestoration = "manual";
    history.pushState(history.state, "");
    const current = (viewer = { dialog, popped: false });
    const stop = panAndZoom(dialog, stage, drawing, naturalSize(el, shown));
    dialog.addEventListener("close", () => {
      stop();
      dialog.remove();
      viewer = undefined;
      if (!current.popped) {
        goingBack = true;
        history.back();
      }
      opener.focus({ preventScroll: true }); // it was on the screen, and the page has not moved
    });
    // A link in a diagram (inline SVG) is followed from the large view too; the
    // page it leads to takes the large view's place in the history.
    stage.addEventListener("click", (event) => {
      const link = event.target.closest?.("a");
      if (!link || link.getAttribute("target") || event.defaultPrevented || event.button
          || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      event.stopPropagation(); // Material's instant navigation would add an entry after the large view's
      const href = link.getAttribute("href") ?? link.getAttributeNS("http://www.w3.org/1999/xlink", "href");
      current.popped = true;
      dialog.close();
      location.replace(new URL(href, document.baseURI));
    });
  }

  // The browser's Back (or the back gesture) closes the large view. Material's
  // instant navigation is not told (overrides/main.html says why, and calls
  // this before Material's own listener).
  window.diagramViewerPopstate = (event) => {
    if (!goingBack && !viewer) return;
    if (goingBack) {
      goingBack = false;
      const again = reopen;
      reopen = undefined;
      again?.();
    } else {
      viewer.popped = true;
      viewer.dialog.close();
    }
    if (location.href !== viewedAt) return; // several entries back: Material's to handle
    event.stopImmediatePropagation();
  };

  function copyOf(shown) {
    const large = shown.cloneNode(true);
    if (shown instanceof SVGElement) {
      // mermaid scopes its CSS to the SVG's id: give the copy its own id and scope.
      large.id = `${shown.id}-large`;
      large.querySelectorAll("style").forEach((s) => (s.textContent = s.textContent.replaceAll(`#${shown.id}`, `#${large.id}`)));
    } else {
      large.loading = "eager";
    }
    large.removeAttribute("style");
    return large;
  }

  // The drawing's own size in CSS pixels: an SVG's viewBox, else the size
  // hooks/diagrams.py gave the canvas (--diagram-ratio is "width / height").
  function naturalSize(el, shown) {
    const box = shown.viewBox?.baseVal;
    if (box?.width) return [box.width, box.height];
    const [width, height] = el.style.getPropertyValue("--diagram-ratio").split("/").map(parseFloat);
    if (width > 0 && height > 0) return [width, height];
    const { width: w, height: h } = shown.getBoundingClientRect();
    return [w || 1, h || 1];
  }

  // Moves and scales `drawing` inside `stage`; returns a function that stops.
  function panAndZoom(dialog, stage, drawing, [width, height]) {
    Object.assign(drawing.style, { width: `${width}px`, height: `${height}px` });
    let fitted = 1; // the scale that shows the whole drawing
    let view = { scale: 1, x: 0, y: 0 };
    let first = true; // the view is the first one (made again when the screen turns)
    const pointers = new Map(); // pointerId -> [x, y], on the stage
    let gesture; // the view, centre and spread of the pointers when they last changed
    let dragged = false; // the pointers moved: the click that follows is no tap

    const limits = () => [fitted / 2, Math.max(fitted, 1) * 4];
    function show(next, isFirst = false) {
      const [least, most] = limits();
      const scale = Math.min(most, Math.max(least, next.scale));
      const [w, h] = [width * scale, height * scale];
      const [sw, sh] = [stage.clientWidth, stage.clientHeight];
      // Smaller than the stage: centred; larger: its edges never come inside the stage's.
      const x = w <= sw ? (sw - w) / 2 : Math.min(0, Math.max(sw - w, next.x));
      const y = h <= sh ? (sh - h) / 2 : Math.min(0, Math.max(sh - h, next.y));
      view = { scale, x, y };
      first = isFirst;
      drawing.style.transform = `translate(${x}px, ${y}px) scale(${scale})`;
      // Fade each edge the drawing continues past (site.css).
      const more = { left: x < -1, right: x + w > sw + 1, up: y < -1, down: y + h > sh + 1 };
      for (const [side, on] of Object.entries(more)) stage.style.setProperty(`--more-${side}`, on ? 1 : 0);
    }
    function reset() {
      fitted = Math.min(stage.clientWidth / width, stage.clientHeight / height);
      show({ scale: Math.min(2, Math.max(1, fitted)), x: 0, y: 0 }, true); // from the top left
    }
    // Scale by `factor` around the stage point (px, py), which stays where it is.
    function zoomAt(factor, px = stage.clientWidth / 2, py = stage.clientHeight / 2) {
      const [least, most] = limits();
      const scale = Math.min(most, Math.max(least, view.scale * factor));
      const k = scale / view.scale;
      show({ scale, x: px - (px - view.x) * k, y: py - (py - view.y) * k });
    }
    const moveBy = (dx, dy) => show({ ...view, x: view.x + dx, y: view.y + dy });

    function centre() {
      const points = [...pointers.values()];
      const [x, y] = points.reduce(([a, b], [c, d]) => [a + c / points.length, b + d / points.length], [0, 0]);
      const spread = points.length > 1 ? Math.hypot(points[0][0] - points[1][0], points[0][1] - points[1][1]) : 0;
      return { x, y, spread };
    }
    const restart = () => (gesture = { view, ...centre() });
    function stagePoint(event) {
      const box = stage.getBoundingClientRect();
      return [event.clientX - box.left, event.clientY - box.top];
    }
    stage.addEventListener("pointerdown", (event) => {
      if (event.button) return; // a mouse's other buttons
      if (!pointers.size) dragged = false;
      pointers.set(event.pointerId, stagePoint(event));
      restart();
    });
    stage.addEventListener("pointermove", (event) => {
      if (!pointers.has(event.pointerId)) return;
      pointers.set(event.pointerId, stagePoint(event));
      const now = centre();
      const distance = Math.hypot(now.x - gesture.x, now.y - gesture.y) + Math.abs(now.spread - gesture.spread);
      if (!dragged && distance < 6) return; // a tap, maybe on a link
      if (!dragged) stage.setPointerCapture(event.pointerId); // keep the drag when it leaves the stage
      dragged = true;
      const from = gesture.view;
      const scale = gesture.spread && now.spread ? from.scale * (now.spread / gesture.spread) : from.scale;
      const [least, most] = limits();
      const k = Math.min(most, Math.max(least, scale)) / from.scale;
      // The drawing's point under the gesture's first centre follows the centre.
      show({ scale: from.scale * k, x: now.x - (gesture.x - from.x) * k, y: now.y - (gesture.y - from.y) * k });
    });
    const lift = (event) => {
      if (pointers.delete(event.pointerId) && pointers.size) restart();
    };
    stage.addEventListener("dragstart", (event) => event.preventDefault()); // a mouse drags the view, not the image
    stage.addEventListener("pointerup", lift);
    stage.addEventListener("pointercancel", lift);
    stage.addEventListener("click", (event) => dragged && (event.preventDefault(), event.stopPropagation()), true);
    stage.addEventListener("wheel", (event) => {
      event.preventDefault();
      const lines = event.deltaMode === 1 ? 16 : 1;
      zoomAt(Math.exp((-event.deltaY * lines) / 400), ...stagePoint(event));
    }, { passive: false });
    dialog.addEventListener("keydown", (event) => {
      event.stopPropagation(); // Material's keyboard shortcuts act on the page behind
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const step = Math.min(stage.clientWidth, stage.clientHeight) / 8;
      const keys = {
        ArrowLeft: () => moveBy(step, 0), ArrowRight: () => moveBy(-step, 0),
        ArrowUp: () => moveBy(0, step), ArrowDown: () => moveBy(0, -step),
        "+": () => zoomAt(1.25), "=": () => zoomAt(1.25), "-": () => zoomAt(0.8), 0: reset,
      };
      if (!keys[event.key]) return;
      event.preventDefault();
      keys[event.key]();
    });
    const resized = new ResizeObserver(() => (first ? reset() : show(view)));
    resized.observe(stage);
    return () => resized.disconnect();
  }

  window.diagramViewer = { open };
})();
