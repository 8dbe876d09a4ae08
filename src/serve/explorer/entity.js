// The entity page: who or what it is, its posts and events, the sentences that mention it, and
// the entities it appears with (as a list and as a network).
"use strict";

pageHeader("");

const KB_NAMES = [["http://www.wikidata.org/entity/", "Wikidata"], ["https://sws.geonames.org/", "GeoNames"]];

function kbLink(iri) {
  const known = KB_NAMES.find(([prefix]) => iri.startsWith(prefix));
  const label = known ? known[1] + " " + iri.slice(known[0].length).replace(/\/$/, "") : iri;
  return el("a", { href: iri, rel: "noopener", target: "_blank" }, label);
}

/** A sentence with the spans [from, to) in `highlights` marked. */
function markedSentence(sentence) {
  const quote = el("blockquote", { className: "sentence" });
  const chars = Array.from(sentence.text);
  let at = 0;
  for (const [from, to] of sentence.highlights) {
    if (from < at) continue;
    quote.append(chars.slice(at, from).join(""), el("mark", {}, chars.slice(from, to).join("")));
    at = to;
  }
  quote.append(chars.slice(at).join(""));
  return quote;
}

function articleTitle(article) {
  return el("div", { className: "headline" },
    el("a", { href: entityHref(article.iri) }, article.headline || article.iri),
    article.date && el("span", { className: "muted" }, " · " + article.date),
    article.url && el("span", {}, " · ", el("a", { href: article.url, rel: "noopener", target: "_blank" }, "source")));
}

function eventFacts(event) {
  const rows = [
    ["Kind", event.kind], ["Date", event.date + (event.endDate ? " – " + event.endDate : "")],
    ["Place", event.place && entityLink(event.place)],
    ["Duration", event.durationMinutes && plural(Number(event.durationMinutes), "minute")],
    ["Killed", event.killed && (event.killedIsMinimum === "true" ? "at least " : "") + event.killed],
    ["Who took part", event.attendees.length > 0 && event.attendees.flatMap((who, i) => i ? [", ", entityLink(who)] : [entityLink(who)])],
  ].filter(([, value]) => value && value !== "undefined");
  return el("table", { className: "data", id: "event-facts" }, rows.map(([name, value]) => el("tr", {}, el("th", {}, name), el("td", {}, value))));
}

/** An article's text with every mention linked to its entity. */
function articleText(view) {
  const text = Array.from(view.text);
  const box = el("div", { className: "article-text", id: "article-text" });
  let at = 0;
  for (const span of view.mentions) {
    if (span.begin < at) continue;
    box.append(text.slice(at, span.begin).join(""),
      el("a", { href: entityHref(span.iri), className: "mention type-" + span.type, title: span.type + ": " + span.iri }, text.slice(span.begin, span.end).join("")));
    at = span.end;
  }
  box.append(text.slice(at).join(""));
  return box;
}

function mentionsSection(data) {
  const section = el("section", { id: "mentions" });
  const word = data.type === "Event" ? "report" : "mention";
  section.append(el("h2", {}, data.type === "Event" ? "Articles that report it" : "Mentions in articles"),
    el("p", { className: "muted" }, data.type === "Event"
      ? plural(data.articleCount, "article") + " " + (data.articleCount === 1 ? "reports" : "report") + " it."
      : plural(data.mentionCount, "mention") + " in " + plural(data.articleCount, "article") + "; the articles that " + word + " it most come first."));
  for (const article of data.articles) {
    section.append(el("div", { className: "article" }, articleTitle(article), article.sentences.map(markedSentence)));
  }
  if (data.articleCount > data.pageSize) {
    const pager = el("div", { className: "pager" });
    const at = data.offset;
    const go = (offset) => { const url = new URL(location.href); url.searchParams.set("offset", offset); return url.pathname + url.search; };
    if (at > 0) pager.append(el("a", { href: go(Math.max(0, at - data.pageSize)) }, "← previous"));
    pager.append(el("span", { className: "muted" }, "articles " + (at + 1) + "–" + Math.min(at + data.pageSize, data.articleCount) + " of " + data.articleCount));
    if (at + data.pageSize < data.articleCount) pager.append(el("a", { href: go(at + data.pageSize), id: "next-articles" }, "next →"));
    section.append(pager);
  }
  return section;
}

async function showEntity() {
  const main = document.getElementById("entity");
  const iri = parameter("iri");
  if (!iri) { showError(main, "Give the entity as /entity?iri=…"); return; }
  try {
    const data = await getJSON("/api/entity?iri=" + encodeURIComponent(iri) + "&offset=" + (Number(parameter("offset")) || 0));
    document.title = data.name + " · newsgraph";
    const others = data.types.filter((type) => !type.endsWith("/" + data.type)).map((type) => type.replace(/^.*[#/]/, ""));
    main.replaceChildren(
      el("h1", { id: "entity-name" }, data.name, " ", typeBadge(data.type)),
      el("p", { className: "muted" }, [others.length ? others.join(", ") + " · " : "", el("code", {}, data.iri)]));
    const facts = el("ul", { className: "plain", id: "facts" });
    if (data.aliases.length) facts.append(el("li", {}, "Also written as: ", data.aliases.join(" · ")));
    if (data.links.length) facts.append(el("li", {}, "Same as: ", data.links.flatMap((link, i) => i ? [", ", kbLink(link)] : [kbLink(link)])));
    if (data.lat && data.long) facts.append(el("li", {}, "Coordinates: " + data.lat + ", " + data.long));
    for (const post of data.posts) {
      facts.append(el("li", { className: "post" }, "Holds the post of ", post.role || post.label || "a post",
        post.holder ? [" of ", entityLink(post.holder)] : ""));
    }
    if (facts.children.length) main.append(facts);
    if (data.event) main.append(el("h2", {}, "The event"), eventFacts(data.event));
    if (data.article) main.append(el("h2", {}, "The article"), articleTitle(data.article.meta), articleText(data.article));
    if (data.postsIn.length) {
      main.append(el("h2", {}, "Posts"), el("ul", { className: "plain", id: "posts-in" }, data.postsIn.map((post) =>
        el("li", {}, post.role || "post", ": ", post.heldBy.flatMap((who, i) => i ? [", ", entityLink(who)] : [entityLink(who)])))));
    }
    if (data.events.length) {
      main.append(el("h2", {}, "Events ", el("a", { href: "/timeline?iri=" + encodeURIComponent(iri), className: "muted" }, "(on the timeline)")), eventsTable(data.events));
    }
    const right = el("section", { id: "neighbourhood" });
    if (data.type !== "Event" && !data.article && data.mentionCount > 0) {
      right.append(el("h2", {}, "Network ", el("a", { href: "/network?iri=" + encodeURIComponent(iri), className: "muted" }, "(full page)")));
      const panel = el("div", { id: "network-panel" });
      right.append(panel);
      networkPanel(panel, iri, { limit: 40 });
    }
    if (data.related.length) {
      right.append(el("h2", {}, "Most often mentioned with"), el("ol", { className: "ranked", id: "related" }, data.related.map((node) =>
        el("li", {}, entityLink(node), el("span", { className: "muted" }, " · " + plural(node.articles, "article"))))));
    }
    main.append(el("div", { className: "grid" }, data.articleCount > 0 ? mentionsSection(data) : el("div"), right));
    main.append(sparqlDetails([
      ["Everything stated about it", "SELECT DISTINCT ?property ?value WHERE { <" + iri + "> ?property ?value } ORDER BY ?property LIMIT 500"],
      ["Its mentions, article by article", "SELECT ?article (COUNT(?mention) AS ?mentions) WHERE {\n  GRAPH ?article { ?mention itsrdf:taIdentRef <" + iri + "> }\n} GROUP BY ?article ORDER BY DESC(?mentions)"],
      ["Entities mentioned in the same articles", "SELECT ?other (COUNT(?article) AS ?articles) WHERE {\n  GRAPH ?article { ?article schema:mentions <" + iri + "> . ?article schema:mentions ?other }\n  FILTER(?other != <" + iri + ">)\n} GROUP BY ?other ORDER BY DESC(?articles) LIMIT 20"],
    ]));
  } catch (error) {
    showError(main, error);
  }
}

showEntity();
