// The overview: what the store holds, and what to click first.
"use strict";

pageHeader("/");

function eventLine(event) {
  return el("li", {}, el("a", { href: entityHref(event.iri), className: "entity type-Event" }, event.label || event.kind),
    el("span", { className: "muted" }, " · " + [event.kind, event.date, event.place && event.place.name].filter(Boolean).join(" · ")));
}

async function showSummary() {
  const box = document.getElementById("summary");
  try {
    const summary = await getJSON("/api/summary");
    const counts = summary.counts;
    const stat = (value, label) => el("div", { className: "stat" }, el("b", {}, value.toLocaleString("en")), label);
    const stats = el("div", { className: "stats", id: "counts" },
      stat(counts.articles, "articles"), stat(counts.people, "people"), stat(counts.organizations, "organizations"),
      stat(counts.places, "places"), stat(counts.events, "events"), stat(counts.mentions, "mentions"));
    if (counts.articles === 0) {
      box.replaceChildren(stats, el("p", {}, "The store is empty. Put articles in with ",
        el("code", {}, "newsgraph ingest --store DIR articles/"), " and serve it again."));
      return;
    }
    const top = summary.top;
    const first = summary.first;
    const dates = summary.eventDates.first ? " from " + summary.eventDates.first + " to " + summary.eventDates.last : "";
    const cards = el("div", { className: "cards" },
      first && el("div", { className: "card" }, el("h3", {}, "1. Open an entity"),
        el("p", {}, "Start with ", entityLink(first), ", mentioned in " + plural(first.articles, "article") +
          ": its names, posts, events, the sentences that mention it and who it appears with."),
        el("p", {}, el("a", { href: "/network?iri=" + encodeURIComponent(first.iri) }, "See its network →"))),
      el("div", { className: "card" }, el("h3", {}, "2. Follow the events"),
        el("p", {}, plural(counts.events, "event") + " (meetings, attacks, elections, deals…)" + dates + ", by date and kind."),
        el("p", {}, el("a", { href: "/timeline" }, "Open the timeline →"))),
      el("div", { className: "card" }, el("h3", {}, "3. Ask your own question"),
        el("p", {}, "The SPARQL editor has the named queries (entities, positions, events, mentions…) ready to run, and downloads results as CSV or JSON."),
        el("p", {}, el("a", { href: "/editor" }, "Open the SPARQL editor →"))));
    const lists = el("div", { className: "cards" },
      [["Person", "Most mentioned people"], ["Organization", "Most mentioned organizations"], ["Place", "Most mentioned places"]]
        .filter(([type]) => top[type])
        .map(([type, title]) => el("div", { className: "card", id: "top-" + type }, el("h3", {}, title),
          el("ol", { className: "ranked" }, top[type].map((node) =>
            el("li", {}, entityLink(node), el("span", { className: "muted" }, " · " + plural(node.articles, "article"))))))),
      summary.events.length > 0 && el("div", { className: "card", id: "top-events" }, el("h3", {}, "Most reported events"),
        el("ol", { className: "ranked" }, summary.events.map(eventLine))));
    box.replaceChildren(stats, cards, lists);
  } catch (error) {
    showError(box, error);
  }
}

showSummary();
