// The network picture of an entity's neighbourhood (Cytoscape.js): nodes coloured by type and
// sized by mentions, lines for co-mentions, posts and event roles. Click a node to open its page.
"use strict";

const TYPE_COLOUR = { Person: "#2f6db5", Organization: "#d9761c", Place: "#2e9a4a", Event: "#c23b3b", Thing: "#777777" };
const EDGE_COLOUR = { "co-mention": "#9aa3b0", post: "#d9761c", "took part": "#c23b3b", place: "#2e9a4a" };

/** Controls, the drawing and a line of figures, in `container`; draws the network of `iri`. */
function networkPanel(container, iri, defaults) {
  const limit = el("select", { id: "network-limit", "aria-label": "Nodes at most" },
    [20, 40, 60, 120, 250, 500].map((n) => el("option", { value: n, selected: n === defaults.limit }, n + " nodes")));
  const layout = el("select", { id: "network-layout", "aria-label": "Layout" },
    el("option", { value: "auto" }, "layout: automatic"), el("option", { value: "cose" }, "layout: force"),
    el("option", { value: "concentric" }, "layout: rings"));
  const from = el("input", { type: "date", id: "network-from", "aria-label": "From" });
  const to = el("input", { type: "date", id: "network-to", "aria-label": "To" });
  const typeBoxes = TYPES.map((type) => el("label", { className: "type-" + type },
    el("input", { type: "checkbox", checked: true, value: type, className: "network-type" }), el("span", { className: "swatch" }), type));
  const canvas = el("div", { id: "network" });
  const info = el("p", { className: "network-info", id: "network-info" }, "Drawing…");
  container.replaceChildren(
    el("div", { className: "controls" }, typeBoxes, limit, layout),
    el("div", { className: "controls" }, "Articles and events dated ", from, " to ", to,
      el("button", { type: "button", id: "network-dates" }, "apply")),
    canvas, info);
  let cy = null;
  const applyTypes = () => {
    if (!cy) return;
    const shown = new Set(typeBoxes.map((box) => box.querySelector("input")).filter((box) => box.checked).map((box) => box.value));
    cy.batch(() => cy.nodes().forEach((node) => node.style("display", shown.has(node.data("type")) || node.data("centre") ? "element" : "none")));
  };
  const draw = async () => {
    info.textContent = "Drawing…";
    const query = new URLSearchParams({ iri, limit: limit.value });
    if (from.value) query.set("from", from.value);
    if (to.value) query.set("to", to.value);
    try {
      const started = performance.now();
      const data = await getJSON("/api/network?" + query);
      const fetched = performance.now();
      if (cy) cy.destroy();
      cy = drawNetwork(canvas, data);
      const title = document.getElementById("network-centre");
      if (title) title.textContent = data.name;
      applyTypes();
      cy.one("layoutstop", () => {
        const drawn = performance.now();
        container.dataset.nodes = cy.nodes().length;
        container.dataset.edges = cy.edges().length;
        container.dataset.drawMs = Math.round(drawn - fetched);
        info.textContent = plural(cy.nodes().length, "node") + ", " + plural(cy.edges().length, "line") +
          " from " + plural(data.articles, "article") + (data.articles < data.articlesTotal ? " of " + data.articlesTotal + " in the date range" : "") +
          ". Size: mentions (log scale); lines: articles naming both, posts, event roles. Answer " + Math.round(fetched - started) + " ms, drawing " + Math.round(drawn - fetched) + " ms.";
      });
      cy.layout(layoutOptions(layout.value, data.nodes.length)).run();
    } catch (error) {
      showError(info, error);
    }
  };
  limit.addEventListener("change", draw);
  layout.addEventListener("change", draw);
  container.querySelector("#network-dates").addEventListener("click", draw);
  typeBoxes.forEach((box) => box.addEventListener("change", applyTypes));
  draw();
}

function layoutOptions(name, nodes) {
  const chosen = name === "auto" ? (nodes <= 150 ? "cose" : "concentric") : name;
  if (chosen === "cose") {
    return { name: "cose", animate: false, randomize: false, nodeRepulsion: () => 9000, idealEdgeLength: () => 70,
      numIter: nodes > 150 ? 400 : 1000, padding: 20 };
  }
  // Rings by rank of co-mention: the centre, then rings that hold more nodes the further out
  // they are (ring k about 8k nodes), so a big network spreads evenly.
  return { name: "concentric", animate: false, padding: 20, minNodeSpacing: 4,
    concentric: (node) => 1000 - node.data("ring"), levelWidth: () => 1 };
}

function drawNetwork(container, data) {
  const maxMentions = Math.max(1, ...data.nodes.map((node) => node.mentions));
  const ranks = new Map([...data.nodes].sort((a, b) => b.weight - a.weight).map((node, rank) => [node.iri, rank]));
  // Sizes on a log scale: the most mentioned entity would otherwise dwarf the rest.
  const size = (mentions) => 12 + 44 * Math.log1p(mentions) / Math.log1p(maxMentions);
  const maxWeight = Math.max(1, ...data.edges.map((edge) => edge.weight));
  const big = data.nodes.length > 200;
  const elements = [
    ...data.nodes.map((node) => ({ data: {
      id: node.iri, label: node.name, type: node.type, mentions: node.mentions, weight: node.weight,
      centre: node.iri === data.centre, size: size(node.mentions),
      ring: node.iri === data.centre ? 0 : 1 + Math.floor(Math.sqrt(ranks.get(node.iri) / 4)) } })),
    ...data.edges.map((edge, i) => ({ data: {
      id: "e" + i, source: edge.source, target: edge.target, kind: edge.kind, label: edge.label || "",
      width: 0.6 + 5 * edge.weight / maxWeight } })),
  ];
  const cy = cytoscape({
    container, elements, minZoom: 0.1, maxZoom: 4, wheelSensitivity: 0.3,
    // Big networks stay responsive: edges hidden and a cached texture while panning or zooming.
    hideEdgesOnViewport: big, textureOnViewport: big, pixelRatio: big ? 1 : "auto",
    style: [
      { selector: "node", style: {
        "background-color": (node) => TYPE_COLOUR[node.data("type")] || TYPE_COLOUR.Thing,
        width: "data(size)", height: "data(size)", label: "data(label)", "font-size": 10, color: "#1d2330",
        "text-valign": "bottom", "text-margin-y": 2, "text-outline-color": "#fff", "text-outline-width": 2,
        "min-zoomed-font-size": 7, "border-width": 1, "border-color": "#fff" } },
      { selector: "node[?centre]", style: { "border-width": 4, "border-color": "#1d2330", "font-weight": "bold", "font-size": 13, "z-index": 10 } },
      { selector: "node[type = 'Event']", style: { shape: "diamond" } },
      { selector: "edge", style: { width: "data(width)", "line-color": (edge) => EDGE_COLOUR[edge.data("kind")] || "#999",
        opacity: 0.45, "curve-style": "haystack" } },
      { selector: "edge[kind = 'post']", style: { "line-style": "dashed", opacity: 0.9, "curve-style": "straight", label: "data(label)", "font-size": 8, color: "#d9761c" } },
      { selector: "node:selected, node.hover", style: { "border-width": 3, "border-color": "#ffb400" } },
      { selector: "edge.hover", style: { opacity: 1, "line-color": "#ffb400" } },
    ],
    layout: { name: "preset" },
  });
  cy.on("mouseover", "node", (event) => { event.target.addClass("hover"); event.target.connectedEdges().addClass("hover"); container.style.cursor = "pointer"; });
  cy.on("mouseout", "node", (event) => { event.target.removeClass("hover"); event.target.connectedEdges().removeClass("hover"); container.style.cursor = ""; });
  cy.on("tap", "node", (event) => { location.href = entityHref(event.target.id()); });
  window.newsgraphNetwork = cy;
  return cy;
}

if (document.body.classList.contains("full")) {
  pageHeader("");
  const iri = parameter("iri");
  const panel = document.getElementById("network-panel");
  if (!iri) {
    showError(panel, "Give the entity as /network?iri=…");
  } else {
    document.getElementById("network-title").replaceChildren("Network of ", el("a", { href: entityHref(iri), id: "network-centre" }, iri.replace(/^.*\//, "")));
    networkPanel(panel, iri, { limit: Number(parameter("limit")) || 120 });
  }
}
