// Shared by every explorer page: the header, links to entities, fetching JSON answers.
// Everything read from the store is put in the page with textContent, never as markup.
"use strict";

const TYPES = ["Person", "Organization", "Place", "Event"];

/** Creates an element: el("a", {href: "/", className: "x"}, "text", child, …). */
function el(tag, properties, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(properties || {})) {
    if (value === undefined || value === null) continue;
    if (name === "dataset") Object.assign(element.dataset, value);
    else if (name in element) element[name] = value;
    else element.setAttribute(name, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

function entityHref(iri) {
  return "/entity?iri=" + encodeURIComponent(iri);
}

/** A link to an entity's page, underlined in its type's colour. */
function entityLink(node) {
  return el("a", { href: entityHref(node.iri), className: "entity type-" + (node.type || "Thing"), title: node.iri }, node.name || node.iri);
}

let prefixes = [];

/** An IRI as a prefixed name where a predeclared prefix fits (schema:Person), else whole. */
function compact(iri) {
  const known = prefixes.find((entry) => iri.startsWith(entry.iri) && /^[\w.-]*$/.test(iri.slice(entry.iri.length)));
  return known ? known.prefix + ":" + iri.slice(known.iri.length) : iri;
}

function typeBadge(type) {
  return el("span", { className: "badge type-" + (type || "Thing") }, type || "Thing");
}

async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const text = await response.text();
  if (!response.ok) throw new Error(response.status + " " + text.trim());
  return JSON.parse(text);
}

function showError(container, error) {
  container.replaceChildren(el("p", { className: "error" }, String(error.message || error)));
}

function parameter(name) {
  return new URLSearchParams(location.search).get(name);
}

function plural(count, one, many) {
  return count.toLocaleString("en") + " " + (count === 1 ? one : (many || one + "s"));
}

/** The bar on top of every page: where to go, and a search for entities by name. */
function pageHeader(here) {
  const links = [["/", "Overview"], ["/timeline", "Timeline"], ["/editor", "SPARQL editor"]];
  const input = el("input", { type: "search", placeholder: "Find a person, organization, place…", "aria-label": "Find an entity", id: "search" });
  const suggestions = el("div", { className: "suggestions", hidden: true });
  const form = el("form", { role: "search" }, input, suggestions);
  let pending = 0;
  input.addEventListener("input", async () => {
    const ticket = ++pending;
    const text = input.value.trim();
    if (text.length < 2) { suggestions.hidden = true; return; }
    try {
      const answer = await getJSON("/api/search?q=" + encodeURIComponent(text));
      if (ticket !== pending) return;
      suggestions.replaceChildren(...answer.results.map((node) =>
        el("a", { href: entityHref(node.iri) }, typeBadge(node.type), " ", node.name, el("span", { className: "muted" }, " · " + plural(node.mentions, "mention")))));
      suggestions.hidden = answer.results.length === 0;
    } catch (error) { suggestions.hidden = true; }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = suggestions.querySelector("a");
    if (first) location.href = first.href;
  });
  const bar = el("header", { className: "bar" },
    el("a", { href: "/", className: "brand" }, "newsgraph"),
    links.map(([href, text]) => el("a", { href, className: href === here ? "here" : "" }, text)),
    form);
  document.body.prepend(bar);
}

/** A <details> listing the SPARQL behind a page, each with a link that opens it in the editor. */
function sparqlDetails(queries) {
  return el("details", { className: "sparql" }, el("summary", {}, "The SPARQL behind this page"),
    queries.map(([title, query]) => el("p", {}, el("a", { href: "/editor?query=" + encodeURIComponent(query) }, title),
      el("pre", { className: "graph" }, query))));
}

/** Events as a table: date, kind, the event's page, place, toll, the articles that report it. */
function eventsTable(events) {
  return el("table", { className: "data", id: "events" },
    el("tr", {}, ["Date", "Kind", "Event", "Place", "Killed", "Articles"].map((title) => el("th", {}, title))),
    events.map((event) => el("tr", {},
      el("td", {}, event.date || "undated"), el("td", {}, event.kind),
      el("td", {}, el("a", { href: entityHref(event.iri), className: "entity type-Event" }, event.label || event.kind)),
      el("td", {}, event.place ? entityLink(event.place) : ""), el("td", {}, event.killed || ""),
      el("td", {}, event.articles.map((article, i) => [i ? ", " : "", el("a", { href: entityHref(article.iri) }, article.headline || "article")])))));
}
