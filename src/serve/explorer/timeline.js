// The timeline: events by date (x axis), coloured by kind, each linking to its page; below, the
// list with places, tolls and the articles that report them.
"use strict";

pageHeader("/timeline");

const KIND_COLOURS = ["#c23b3b", "#2f6db5", "#2e9a4a", "#d9761c", "#7b4fb3", "#178a8a", "#b5487f", "#8a6d1f", "#4b5563", "#e0a100", "#5b8def", "#9c2f2f", "#3f7d20"];
const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attributes, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) element.append(child);
  return element;
}

/** The first day of an xsd:date, gYearMonth or gYear, in milliseconds. */
function dayOf(date) {
  const match = /^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(date || "");
  return match ? Date.UTC(Number(match[1]), Number(match[2] || 1) - 1, Number(match[3] || 1)) : null;
}

function drawChart(box, events, colourOf) {
  const dated = events.filter((event) => dayOf(event.date) !== null);
  if (dated.length === 0) { box.replaceChildren(el("p", { className: "muted" }, "No dated events.")); return; }
  const days = dated.map((event) => dayOf(event.date));
  let first = Math.min(...days), last = Math.max(...days);
  const margin = Math.max((last - first) * 0.03, 15 * 864e5);
  first -= margin; last += margin;
  const width = Math.max(box.clientWidth - 2, 900), left = 20, right = 20, laneHeight = 16, axis = 28;
  const x = (day) => left + (day - first) / (last - first) * (width - left - right);
  const lanes = [];
  const placed = dated.map((event) => {
    const position = x(dayOf(event.date));
    let lane = lanes.findIndex((end) => end + 14 <= position);
    if (lane < 0) { lane = lanes.length; lanes.push(position); } else lanes[lane] = position;
    return { event, position, lane };
  });
  const height = axis + 16 + lanes.length * laneHeight;
  const chart = svg("svg", { width, height, id: "timeline-svg", role: "img", "aria-label": dated.length + " dated events" });
  chart.append(svg("line", { x1: left, x2: width - right, y1: axis - 8, y2: axis - 8, stroke: "#b8bec8" }));
  const spanDays = (last - first) / 864e5;
  const start = new Date(first);
  const step = spanDays > 1500 ? 12 : spanDays > 400 ? 3 : 1;
  for (let month = new Date(Date.UTC(start.getUTCFullYear(), 0, 1)); month.getTime() <= last; month.setUTCMonth(month.getUTCMonth() + step)) {
    if (month.getTime() < first) continue;
    const at = x(month.getTime());
    const label = step === 12 || month.getUTCMonth() === 0 ? String(month.getUTCFullYear()) : month.toLocaleString("en", { month: "short", timeZone: "UTC" });
    chart.append(svg("line", { x1: at, x2: at, y1: axis - 12, y2: height, stroke: "#eceef2" }), svg("text", { x: at + 2, y: axis - 14 }, label));
  }
  for (const { event, position, lane } of placed) {
    const title = svg("title", {}, [event.date, event.kind, event.label, event.place && event.place.name, event.killed && event.killed + " killed"].filter(Boolean).join(" · "));
    chart.append(svg("a", { href: entityHref(event.iri), class: "timeline-event" },
      svg("circle", { cx: position, cy: axis + 6 + lane * laneHeight, r: 6, fill: colourOf(event.kind), stroke: "#fff", "stroke-width": 1.5 }, title)));
  }
  box.replaceChildren(chart);
}

async function showTimeline() {
  const list = document.getElementById("timeline-list");
  const query = new URLSearchParams();
  if (parameter("iri")) query.set("iri", parameter("iri"));
  if (parameter("query")) query.set("query", parameter("query"));
  try {
    const data = await getJSON("/api/timeline?" + query);
    document.getElementById("timeline-title").textContent = data.title;
    const kinds = [...new Set(data.events.map((event) => event.kind))].sort();
    const colourOf = (kind) => KIND_COLOURS[kinds.indexOf(kind) % KIND_COLOURS.length];
    const dated = data.events.filter((event) => dayOf(event.date) !== null).length;
    document.getElementById("timeline-note").textContent = plural(data.events.length, "event") + ", " + dated + " dated" +
      (data.truncated ? " (the first " + data.events.length + " only)" : "") + ". Click a dot to open the event.";
    document.getElementById("timeline-legend").replaceChildren(...kinds.map((kind) =>
      el("span", {}, el("span", { className: "swatch", style: "--c:" + colourOf(kind) }), " " + kind + " (" + data.events.filter((event) => event.kind === kind).length + ")")));
    drawChart(document.getElementById("timeline-chart"), data.events, colourOf);
    list.replaceChildren(data.events.length ? eventsTable(data.events) : el("p", { className: "muted" }, "No events."));
  } catch (error) {
    showError(list, error);
  }
}

showTimeline();
