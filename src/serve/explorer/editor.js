// The SPARQL editor: CodeMirror with SPARQL highlighting, the named queries of queries/, results
// as a table whose IRIs open their entity pages, and CSV or JSON downloads.
"use strict";

pageHeader("/editor");

const textarea = document.getElementById("query");
const statusLine = document.getElementById("status");
const output = document.getElementById("output");
const editor = CodeMirror.fromTextArea(textarea, {
  mode: "application/sparql-query", lineNumbers: true, matchBrackets: true, indentUnit: 2,
  extraKeys: { "Ctrl-Enter": () => submit(), "Cmd-Enter": () => submit() },
});
window.newsgraphEditor = editor;
/** Rows drawn at most; downloads have them all. */
const SHOWN_ROWS = 1000;

async function sparql(query, accept) {
  const response = await fetch("/sparql", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: accept },
    body: "query=" + encodeURIComponent(query),
  });
  if (!response.ok) throw new Error(response.status + " " + (await response.text()).trim());
  return response;
}

function termCell(term) {
  const cell = el("td");
  if (!term) return cell;
  if (term.type === "uri") {
    cell.append(el("a", { href: entityHref(term.value), title: term.value }, compact(term.value)));
  } else if (term.type === "bnode") {
    cell.textContent = "_:" + term.value;
  } else {
    cell.textContent = term.value;
    const info = term["xml:lang"] ? "@" + term["xml:lang"] : (term.datatype ? "^^" + term.datatype.replace(/^.*[#/]/, "") : "");
    if (info) cell.append(el("span", { className: "literal-info" }, " " + info));
  }
  return cell;
}

function showSolutions(json, query) {
  const vars = json.head.vars;
  const rows = json.results.bindings;
  const table = el("table", { className: "data", id: "results" },
    el("thead", {}, el("tr", {}, vars.map((name) => el("th", {}, name)))),
    el("tbody", {}, rows.slice(0, SHOWN_ROWS).map((binding) => el("tr", {}, vars.map((name) => termCell(binding[name]))))));
  output.replaceChildren(table);
  statusLine.textContent = plural(rows.length, "row") + (rows.length > SHOWN_ROWS ? " (the first " + SHOWN_ROWS + " shown; downloads have them all)" : "");
  const timeline = document.getElementById("on-timeline");
  timeline.hidden = !vars.includes("event");
  timeline.href = "/timeline?query=" + encodeURIComponent(query);
}

let lastQuery = null;

async function run(query) {
  lastQuery = null;
  statusLine.className = "muted";
  statusLine.textContent = "running…";
  output.replaceChildren();
  const started = performance.now();
  try {
    const response = await sparql(query, "application/sparql-results+json, text/turtle;q=0.9");
    const text = await response.text();
    lastQuery = query;
    if ((response.headers.get("Content-Type") || "").startsWith("text/turtle")) {
      output.replaceChildren(el("pre", { className: "graph", id: "graph" }, text));
      statusLine.textContent = "graph";
    } else {
      const json = JSON.parse(text);
      if ("boolean" in json) {
        output.replaceChildren(el("p", { id: "boolean" }, String(json.boolean)));
        statusLine.textContent = "answer: " + json.boolean;
      } else {
        showSolutions(json, query);
      }
    }
    statusLine.textContent += " · " + Math.round(performance.now() - started) + " ms";
  } catch (error) {
    statusLine.className = "error";
    statusLine.textContent = String(error.message || error);
  }
  for (const id of ["download-csv", "download-json"]) document.getElementById(id).disabled = lastQuery === null;
}

async function download(accept, extension) {
  if (lastQuery === null) return;
  try {
    const blob = await (await sparql(lastQuery, accept)).blob();
    const link = el("a", { href: URL.createObjectURL(blob), download: "results." + extension });
    document.body.append(link);
    link.click();
    link.remove();
  } catch (error) {
    statusLine.className = "error";
    statusLine.textContent = String(error.message || error);
  }
}

function submit() {
  const query = editor.getValue();
  history.pushState(null, "", "/editor?query=" + encodeURIComponent(query));
  run(query);
}

document.getElementById("form").addEventListener("submit", (event) => { event.preventDefault(); submit(); });
document.getElementById("download-csv").addEventListener("click", () => download("text/csv", "csv"));
document.getElementById("download-json").addEventListener("click", () => download("application/sparql-results+json", "json"));

async function loadNamedQueries() {
  const menu = document.getElementById("named");
  try {
    const answer = await getJSON("/api/queries");
    prefixes = answer.prefixes;
    for (const query of answer.queries) menu.append(el("option", { value: query.file, title: query.title }, query.file + " — " + query.title));
    menu.addEventListener("change", () => {
      const chosen = answer.queries.find((query) => query.file === menu.value);
      if (chosen) editor.setValue(chosen.text);
    });
    document.getElementById("prefix-table").replaceChildren(...answer.prefixes.map((entry) =>
      el("tr", {}, el("td", {}, el("code", {}, entry.prefix + ":")), el("td", {}, el("code", {}, entry.iri)))));
  } catch (error) {
    statusLine.className = "error";
    statusLine.textContent = String(error.message || error);
  }
}

function runFromLocation() {
  const query = parameter("query");
  if (query) {
    editor.setValue(query);
    run(query);
  }
}

window.addEventListener("popstate", runFromLocation);
loadNamedQueries();
runFromLocation();
