// The explorer in a real browser: Debian's Chromium driven by Playwright against `newsgraph serve`
// on loopback, over the graph of examples/. Run by scripts/browser-test.sh, which installs what
// this needs and sets NEWSGRAPH (the binary), GRAPH (the RDF file to serve), PLAYWRIGHT (the
// playwright-core module) and SCREENSHOTS (where each page's picture goes).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { chromium } = require(process.env.PLAYWRIGHT);
const screenshots = process.env.SCREENSHOTS;
mkdirSync(screenshots, { recursive: true });

// A person of the examples, mentioned three times, with a post and a dated meeting.
const KNOWN = "https://newsgraph.example/entity/person/helena-varga";

let server, base, browser;

async function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => { const { port } = probe.address(); probe.close(() => resolve(port)); });
  });
}

async function sparql(query) {
  const response = await fetch(base + "/sparql", { method: "POST", headers: { "Content-Type": "application/sparql-query", Accept: "application/sparql-results+json" }, body: query });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()).results.bindings;
}

async function count(query) {
  return Number((await sparql(query))[0].n.value);
}

before(async () => {
  const port = await freePort();
  base = "http://127.0.0.1:" + port;
  server = spawn(process.env.NEWSGRAPH, ["serve", "--input", process.env.GRAPH, "--bind", "127.0.0.1:" + port], { stdio: ["ignore", "ignore", "inherit"] });
  for (let tries = 0; ; tries++) {
    try { await fetch(base + "/sparql"); break; } catch (error) {
      if (tries > 200) throw new Error("newsgraph serve did not listen within 20 s");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill();
});

/** A new page that fails the test on any script error or failed request. */
async function open(path) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems = [];
  page.on("pageerror", (error) => problems.push("page error: " + error.message));
  page.on("console", (message) => { if (message.type() === "error") problems.push("console: " + message.text()); });
  page.on("requestfailed", (request) => problems.push("request failed: " + request.url()));
  page.problems = problems;
  await page.goto(base + path);
  return page;
}

function noProblems(page) {
  assert.deepEqual(page.problems, [], "the page reported problems");
}

test("the overview says what the store holds and what to click first", async () => {
  const page = await open("/");
  await page.waitForSelector("#counts");
  const articles = await count("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a schema:NewsArticle }");
  const stats = await page.locator("#counts .stat b").allTextContents();
  assert.equal(Number(stats[0]), articles);
  assert.ok(await page.locator(".card a[href^='/entity']").count() > 0, "a first entity to click");
  assert.ok(await page.locator("a[href='/timeline']").count() > 0);
  assert.ok(await page.locator("a[href='/editor']").count() > 0);
  assert.ok(await page.locator("#top-Person li").count() > 0);
  await page.screenshot({ path: screenshots + "/home.png", fullPage: true });
  noProblems(page);
  await page.close();
});

test("an entity page shows its mentions in their sentences and its network", async () => {
  const page = await open("/entity?iri=" + encodeURIComponent(KNOWN));
  await page.waitForSelector("#entity-name");
  assert.match(await page.locator("#entity-name").textContent(), /Helena Varga/);
  // Every mention is highlighted in its sentence, in every article (fewer than a page of them).
  const mentions = await count(`SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m itsrdf:taIdentRef <${KNOWN}> }`);
  assert.ok(mentions >= 2);
  assert.equal(await page.locator("#mentions mark").count(), mentions);
  for (const marked of await page.locator("#mentions mark").allTextContents()) assert.match(marked, /Varga|Helena/);
  assert.ok(await page.locator("#facts .post").count() > 0, "the post she holds");
  assert.ok(await page.locator("#events tr").count() > 1, "her events");
  // The network: the entity, every entity of the articles that mention it, and its events.
  await page.waitForFunction(() => document.getElementById("network-panel")?.dataset.nodes);
  const others = await count(`SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { GRAPH ?a { ?a schema:mentions <${KNOWN}>, ?o } FILTER(?o != <${KNOWN}>) }`);
  const events = await count(`SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { { ?e schema:attendee <${KNOWN}> } UNION { ?e schema:location <${KNOWN}> } }`);
  const expected = 1 + others + events;
  assert.equal(Number(await page.locator("#network-panel").getAttribute("data-nodes")), expected);
  assert.equal(await page.evaluate(() => window.newsgraphNetwork.nodes().length), expected);
  await page.screenshot({ path: screenshots + "/entity.png", fullPage: true });
  noProblems(page);
  await page.close();
});

test("clicking a node of the network opens that entity's page", async () => {
  const page = await open("/network?iri=" + encodeURIComponent(KNOWN));
  await page.waitForFunction(() => document.getElementById("network-panel")?.dataset.nodes);
  await page.screenshot({ path: screenshots + "/network.png" });
  const target = await page.evaluate(() => {
    const cy = window.newsgraphNetwork;
    const node = cy.nodes().filter((n) => !n.data("centre") && n.data("type") === "Place")[0];
    const box = cy.container().getBoundingClientRect();
    const at = node.renderedPosition();
    return { iri: node.id(), name: node.data("label"), x: box.left + at.x, y: box.top + at.y };
  });
  await page.mouse.click(target.x, target.y);
  await page.waitForURL((url) => url.pathname === "/entity" && url.searchParams.get("iri") === target.iri);
  await page.waitForSelector("#entity-name");
  assert.match(await page.locator("#entity-name").textContent(), new RegExp(target.name));
  noProblems(page);
  await page.close();
});

test("the timeline shows every dated event, linked to its page", async () => {
  const page = await open("/timeline");
  await page.waitForSelector("#timeline-svg");
  const dated = await count("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a schema:Event ; schema:startDate ?d }");
  const all = await count("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a schema:Event }");
  assert.ok(dated >= 2);
  assert.equal(await page.locator("#timeline-svg circle").count(), dated);
  assert.equal(await page.locator("#events tr").count(), all + 1);
  // Dots run left to right in date order.
  const dates = (await page.locator("#events tr td:first-child").allTextContents()).filter((date) => date !== "undated");
  assert.deepEqual(dates, [...dates].sort());
  const positions = await page.locator("#timeline-svg circle").evaluateAll((circles) => circles.map((c) => Number(c.getAttribute("cx"))));
  assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
  const hrefs = await page.locator("#timeline-svg a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  assert.ok(hrefs.every((href) => href.startsWith("/entity?iri=https%3A%2F%2Fnewsgraph.example%2Fevent%2F")));
  await page.screenshot({ path: screenshots + "/timeline.png", fullPage: true });
  noProblems(page);
  await page.close();
});

test("the SPARQL editor runs a named query and shows its rows", async () => {
  const page = await open("/editor");
  await page.waitForSelector("#named option[value='entities.rq']", { state: "attached" });
  await page.selectOption("#named", "entities.rq");
  assert.match(await page.evaluate(() => window.newsgraphEditor.getValue()), /SELECT \?entity \?type \?name/);
  assert.ok(await page.locator(".CodeMirror .cm-keyword").count() > 0, "syntax highlighting");
  await page.click("#run");
  await page.waitForSelector("#results tbody tr");
  const csv = await (await fetch(base + "/sparql", { method: "POST", headers: { "Content-Type": "application/sparql-query", Accept: "text/csv" },
    body: await page.evaluate(() => window.newsgraphEditor.getValue()) })).text();
  const rows = csv.trim().split(/\r?\n/).length - 1;
  assert.ok(rows > 10);
  assert.equal(await page.locator("#results tbody tr").count(), rows);
  const first = page.locator("#results tbody tr:first-child td:first-child a");
  assert.match(await first.getAttribute("href"), /^\/entity\?iri=/);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-csv")]);
  assert.equal(download.suggestedFilename(), "results.csv");
  await page.screenshot({ path: screenshots + "/editor.png" });
  noProblems(page);
  await page.close();
});

test("an article's page shows its text with each mention linked", async () => {
  const [row] = await sparql(`SELECT ?a WHERE { GRAPH ?a { ?a schema:mentions <${KNOWN}> } } ORDER BY ?a LIMIT 1`);
  const page = await open("/entity?iri=" + encodeURIComponent(row.a.value));
  await page.waitForSelector("#article-text");
  const mentions = await count(`SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { GRAPH <${row.a.value}> { ?m itsrdf:taIdentRef ?e } }`);
  assert.equal(await page.locator("#article-text a.mention").count(), mentions);
  await page.screenshot({ path: screenshots + "/article.png", fullPage: true });
  noProblems(page);
  await page.close();
});
