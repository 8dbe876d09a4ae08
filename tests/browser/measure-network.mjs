// Measures the network page at its largest in Chromium (not a test): how long 500 nodes take to
// lay out and draw, and how long frames take while the picture is zoomed and panned.
// Usage: node measure-network.mjs BASE_URL ENTITY_IRI (PLAYWRIGHT names the playwright-core module)
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { chromium } = require(process.env.PLAYWRIGHT);
const [base, iri] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
});
try {
  for (const limit of [60, 500]) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const started = Date.now();
    await page.goto(`${base}/network?iri=${encodeURIComponent(iri)}&limit=${limit}`);
    await page.waitForFunction(() => document.getElementById("network-panel")?.dataset.drawMs, null, { timeout: 120000 });
    const loaded = Date.now() - started;
    const panel = await page.evaluate(() => ({ ...document.getElementById("network-panel").dataset }));
    // 60 frames of zooming and panning; the longest and the median frame.
    const frames = await page.evaluate(() => new Promise((resolve) => {
      const cy = window.newsgraphNetwork;
      const times = [];
      let last = performance.now();
      const step = (i) => {
        const now = performance.now();
        times.push(now - last);
        last = now;
        if (i === 60) { resolve(times.slice(1)); return; }
        cy.zoom({ level: cy.zoom() * (i < 30 ? 1.03 : 0.97), renderedPosition: { x: 600, y: 400 } });
        cy.panBy({ x: i % 2 ? 4 : -4, y: 0 });
        requestAnimationFrame(() => step(i + 1));
      };
      requestAnimationFrame(() => step(0));
    }));
    frames.sort((a, b) => a - b);
    console.log(`network of ${limit}: ${panel.nodes} nodes, ${panel.edges} lines; page ready in ${loaded} ms (layout and drawing ${panel.drawMs} ms); ` +
      `frames while zooming: median ${Math.round(frames[30])} ms, slowest ${Math.round(frames[frames.length - 1])} ms`);
    if (limit === 500) await page.screenshot({ path: (process.env.SCREENSHOTS || ".") + "/network-500.png" });
    await page.close();
  }
} finally {
  await browser.close();
}
