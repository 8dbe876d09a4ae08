//! `newsgraph serve` and `newsgraph push` through real HTTP on loopback, with the in-memory store
//! (`--input`), so these run without the rocksdb feature.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/serve.trig")
}

const ARTICLE_1: &str = "https://newsgraph.example/article/a1";
/// The write token the writable servers of these tests are started with.
const TOKEN: &str = "test-token-0123456789";
/// Triples in the fixture: 13 in article a1, 10 in article a2.
const FIXTURE_TRIPLES: u64 = 23;

/// A running `newsgraph serve`, stopped when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// The server binds port 0 and says where it listens: a port chosen here and released
    /// could be taken by another test's server before this one binds it.
    fn start(extra: &[&str]) -> Server {
        use std::io::{BufRead, BufReader};
        let mut child = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(extra)
            .stderr(Stdio::piped())
            .spawn()
            .expect("cannot start newsgraph serve");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let mut said = Vec::new();
        let base = loop {
            match lines.next() {
                Some(Ok(line)) => match line.strip_prefix("newsgraph serve: ") {
                    Some(rest) => break rest.split(['/', ' ']).take(3).collect::<Vec<_>>().join("/"),
                    None => said.push(line),
                },
                _ => panic!("newsgraph serve exited before listening: {}", said.join("\n")),
            }
        };
        // the rest of its messages are read and dropped, so that it never blocks on a full pipe
        std::thread::spawn(move || lines.for_each(drop));
        Server { child, base }
    }

    fn with_fixture(extra: &[&str]) -> Server {
        let fixture = fixture();
        let mut args = vec!["--input", fixture.to_str().unwrap()];
        args.extend_from_slice(extra);
        Server::start(&args)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

struct Answer {
    status: u16,
    content_type: String,
    body: String,
}

fn answer(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
    let mut response = response.expect("request failed");
    let content_type = response
        .headers()
        .get("content-type")
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default();
    Answer { status: response.status().as_u16(), content_type, body: response.body_mut().read_to_string().unwrap() }
}

fn get(url: &str, accept: &str) -> Answer {
    answer(agent().get(url).header("Accept", accept).call())
}

fn post(url: &str, content_type: &str, accept: &str, body: &str) -> Answer {
    answer(agent().post(url).header("Content-Type", content_type).header("Accept", accept).send(body))
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() {
                (byte as char).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

const COUNT_ARTICLES: &str =
    "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a <http://schema.org/NewsArticle> }";
const COUNT_TRIPLES: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
const COUNT_QUADS: &str = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }";

#[test]
fn query_by_get_uses_the_union_of_article_graphs_as_default_graph() {
    let server = Server::with_fixture(&[]);
    let answer = get(&server.url(&format!("/sparql?query={}", encode(COUNT_ARTICLES))), "");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.content_type, "application/sparql-results+json");
    assert!(answer.body.contains(r#""value":"2""#), "{}", answer.body);
}

#[test]
fn query_by_post_negotiates_result_formats() {
    let server = Server::with_fixture(&[]);
    let query = "SELECT DISTINCT ?name WHERE { ?p a <http://schema.org/Person> ; <http://schema.org/name> ?name }";
    let csv = post(&server.url("/sparql"), "application/sparql-query", "text/csv", query);
    assert_eq!((csv.status, csv.content_type.as_str()), (200, "text/csv"), "{}", csv.body);
    // One person, named in both article graphs.
    assert_eq!(csv.body.replace('\r', ""), "name\nAda Quill\n");
    let tsv = post(&server.url("/sparql"), "application/x-www-form-urlencoded", "text/tab-separated-values", &format!("query={}", encode(query)));
    assert_eq!(tsv.status, 200, "{}", tsv.body);
    assert_eq!(tsv.body.replace('\r', ""), "?name\n\"Ada Quill\"\n");
    let xml = post(&server.url("/sparql"), "application/sparql-query", "application/sparql-results+xml", "ASK { ?s ?p ?o }");
    assert_eq!(xml.content_type, "application/sparql-results+xml");
    assert!(xml.body.contains("<boolean>true</boolean>"), "{}", xml.body);
    let refused = post(&server.url("/sparql"), "application/sparql-query", "image/png", query);
    assert_eq!(refused.status, 406);
}

#[test]
fn protocol_dataset_parameters_select_graphs() {
    let server = Server::with_fixture(&[]);
    let url = server.url(&format!("/sparql?query={}&default-graph-uri={}", encode(COUNT_TRIPLES), encode(ARTICLE_1)));
    let answer = get(&url, "text/csv");
    assert_eq!(answer.body.replace('\r', ""), "n\n13\n");
    let named = format!(
        "/sparql?query={}&named-graph-uri={}",
        encode("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"),
        encode(ARTICLE_1)
    );
    assert_eq!(get(&server.url(&named), "text/csv").body.replace('\r', ""), format!("g\n{ARTICLE_1}\n"));
}

#[test]
fn graph_results_negotiate_rdf_formats() {
    let server = Server::with_fixture(&[]);
    let describe = "DESCRIBE <https://newsgraph.example/person/ada-quill>";
    for (accept, expected_type, marker) in [
        ("text/turtle", "text/turtle", "Ada Quill"),
        ("application/n-triples", "application/n-triples", "<https://newsgraph.example/person/ada-quill> <http://schema.org/name> \"Ada Quill\" ."),
        ("application/rdf+xml", "application/rdf+xml", "rdf:RDF"),
        ("application/ld+json", "application/ld+json", "\"@id\""),
    ] {
        let answer = post(&server.url("/sparql"), "application/sparql-query", accept, describe);
        assert_eq!(answer.status, 200, "{accept}: {}", answer.body);
        assert_eq!(answer.content_type, expected_type);
        assert!(answer.body.contains(marker), "{accept}: {}", answer.body);
    }
}

#[test]
fn graph_store_protocol_reads_graphs() {
    let server = Server::with_fixture(&[]);
    let graph = get(&server.url(&format!("/store?graph={}", encode(ARTICLE_1))), "application/n-triples");
    assert_eq!(graph.status, 200, "{}", graph.body);
    assert_eq!(graph.body.lines().count(), 13);
    let missing = get(&server.url(&format!("/store?graph={}", encode("https://newsgraph.example/article/none"))), "");
    assert_eq!(missing.status, 404);
    let dataset = get(&server.url("/store"), "application/n-quads");
    assert_eq!(dataset.body.lines().count() as u64, FIXTURE_TRIPLES);
    let empty_default = get(&server.url("/store?default"), "application/n-triples");
    assert_eq!((empty_default.status, empty_default.body.as_str()), (200, ""));
}

#[test]
fn read_only_by_default() {
    let server = Server::with_fixture(&[]);
    let update = post(&server.url("/sparql"), "application/sparql-update", "", "CLEAR ALL");
    assert_eq!(update.status, 403, "{}", update.body);
    let form = post(&server.url("/update"), "application/x-www-form-urlencoded", "", "update=CLEAR%20ALL");
    assert_eq!(form.status, 403);
    let put = answer(agent().put(&server.url("/store?default")).header("Content-Type", "text/turtle").send("<a:s> <a:p> <a:o> ."));
    assert_eq!(put.status, 403);
    let still = get(&server.url(&format!("/sparql?query={}", encode(COUNT_QUADS))), "text/csv");
    assert_eq!(still.body.replace('\r', ""), format!("n\n{FIXTURE_TRIPLES}\n"));
}

#[test]
fn updates_and_graph_store_writes_when_writable_with_the_token() {
    let server = Server::with_fixture(&["--writable", "--token", TOKEN]);
    let bearer = format!("Bearer {TOKEN}");
    let target = server.url(&format!("/store?graph={}", encode("https://newsgraph.example/article/new")));
    let created = answer(agent().put(&target).header("Content-Type", "text/turtle").header("Authorization", &bearer).send("<a:s> <a:p> <a:o>, <a:o2> ."));
    assert_eq!(created.status, 201, "{}", created.body);
    let replaced = answer(agent().put(&target).header("Content-Type", "application/n-triples").header("Authorization", &bearer).send("<a:s> <a:p> <a:o3> .\n"));
    assert_eq!(replaced.status, 204, "{}", replaced.body);
    assert_eq!(get(&target, "application/n-triples").body, "<a:s> <a:p> <a:o3> .\n");
    // without the token, or with another, every kind of write is refused and changes nothing
    for authorization in [None, Some("Bearer wrong-token-0123456789".to_string()), Some(format!("Bearer {TOKEN}x"))] {
        let with = |request: ureq::RequestBuilder<ureq::typestate::WithBody>| match &authorization {
            Some(value) => request.header("Authorization", value),
            None => request,
        };
        let put = answer(with(agent().put(&target).header("Content-Type", "text/turtle")).send("<a:s> <a:p> <a:bad> ."));
        assert_eq!(put.status, 401, "{authorization:?}: {}", put.body);
        let update = answer(with(agent().post(&server.url("/update")).header("Content-Type", "application/sparql-update")).send("CLEAR ALL"));
        assert_eq!(update.status, 401, "{authorization:?}: {}", update.body);
        let form = answer(with(agent().post(&server.url("/sparql")).header("Content-Type", "application/x-www-form-urlencoded")).send("update=CLEAR%20ALL"));
        assert_eq!(form.status, 401);
    }
    let refused = agent().delete(&target).call().unwrap();
    assert_eq!(refused.status(), 401);
    let challenges: Vec<_> = refused.headers().get_all("www-authenticate").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    assert_eq!(challenges, ["Bearer realm=\"newsgraph\"", "Basic realm=\"newsgraph\""]);
    assert_eq!(get(&target, "application/n-triples").body, "<a:s> <a:p> <a:o3> .\n");
    let update = answer(agent().post(&server.url("/sparql")).header("Content-Type", "application/sparql-update").header("Authorization", &bearer).send("DROP GRAPH <https://newsgraph.example/article/new>"));
    assert_eq!(update.status, 204, "{}", update.body);
    assert_eq!(get(&target, "").status, 404);
}

#[test]
fn writable_needs_a_token_of_some_length() {
    let fixture = fixture();
    for args in [vec!["--writable"], vec!["--writable", "--token", "short"]] {
        let out = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
            .args(["serve", "--bind", "127.0.0.1:0", "--input", fixture.to_str().unwrap()])
            .args(&args)
            .env_remove("NEWSGRAPH_SERVE_TOKEN")
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?} started");
        assert!(String::from_utf8_lossy(&out.stderr).contains("token"), "{args:?}");
    }
}

#[test]
fn long_queries_are_cancelled_on_the_server() {
    let server = Server::with_fixture(&["--timeout", "1", "--max-rows", "1000000000000"]);
    let query = SLOW_QUERY;
    let started = Instant::now();
    // CSV: the rows that pass (a few bytes each) stay below the part held before the answer
    // starts, so the time limit is met with a status, not by breaking off a stream
    let answer = post(&server.url("/sparql"), "application/sparql-query", "text/csv", query);
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert!(answer.body.contains("cancelled"), "{}", answer.body);
    assert!(started.elapsed() < Duration::from_secs(15), "took {:?}", started.elapsed());
    // Cancelled on the server, not only answered: the process stops working.
    if let Some(before) = cpu_ticks(server.child.id()) {
        std::thread::sleep(Duration::from_secs(2));
        let after = cpu_ticks(server.child.id()).unwrap_or(before);
        assert!(after - before < 20, "the server used {} CPU ticks after the answer", after - before);
    }
}

/// User + system CPU time of a process in clock ticks (Linux only; `None` elsewhere).
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may contain spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

#[test]
fn oversized_bodies_are_refused() {
    let server = Server::with_fixture(&["--max-body-mb", "1"]);
    let padding = "#".repeat(1024 * 1024 + 10);
    let answer = post(&server.url("/sparql"), "application/sparql-query", "", &format!("{padding}\nASK {{}}"));
    assert_eq!(answer.status, 413);
}

#[test]
fn service_description_and_query_page() {
    let server = Server::with_fixture(&["--cors"]);
    let description = get(&server.url("/sparql"), "text/turtle");
    assert_eq!(description.status, 200);
    assert!(description.body.contains("sparql-service-description#"), "{}", description.body);
    let page = answer(agent().get(&server.url("/editor")).call());
    assert!(page.content_type.starts_with("text/html"));
    assert!(page.body.contains("<textarea"));
    let preflight = agent().options(&server.url("/sparql")).call().unwrap();
    assert_eq!(preflight.headers().get("access-control-allow-origin").unwrap(), "*");
}

fn empty_target(extra: &[&str]) -> (Server, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.nq");
    std::fs::write(&empty, "").unwrap();
    let mut args = vec!["--input", empty.to_str().unwrap(), "--writable", "--token", TOKEN];
    args.extend_from_slice(extra);
    (Server::start(&args), dir)
}

fn push(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .arg("push")
        .arg("--input")
        .arg(fixture())
        .args(args)
        .env("NEWSGRAPH_PASSWORD", TOKEN)
        .output()
        .unwrap()
}

#[test]
fn push_by_graph_store_protocol_replaces_and_counts() {
    let (target, _dir) = empty_target(&[]);
    for _ in 0..2 {
        let output = push(&["--endpoint", &target.url("/store"), "--batch-triples", "5", "--user", "newsgraph"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        assert!(stderr.contains(&format!("{FIXTURE_TRIPLES} triples sent, {FIXTURE_TRIPLES} triples")), "{stderr}");
    }
    let total = get(&target.url(&format!("/sparql?query={}", encode(COUNT_QUADS))), "text/csv");
    assert_eq!(total.body.replace('\r', ""), format!("n\n{FIXTURE_TRIPLES}\n"), "pushing twice must replace, not add");
}

#[test]
fn push_by_sparql_update() {
    let (target, _dir) = empty_target(&[]);
    let output = push(&["--update-endpoint", &target.url("/update"), "--batch-triples", "4", "--user", "newsgraph"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains(&format!("{FIXTURE_TRIPLES} triples sent, {FIXTURE_TRIPLES} triples")), "{stderr}");
}

#[test]
fn push_gives_up_after_bounded_retries() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let started = Instant::now();
    let output = push(&["--endpoint", &format!("http://127.0.0.1:{port}/store"), "--retries", "2", "--no-check"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("after 2 retries"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn push_refuses_a_read_only_endpoint_without_retrying() {
    let server = Server::with_fixture(&[]);
    let output = push(&["--endpoint", &server.url("/store")]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("HTTP 403"), "{stderr}");
    assert!(!stderr.contains("retrying"), "{stderr}");
}

/// `newsgraph serve` over the graph of `examples/` (converted by the binary), for the explorer.
fn examples_server() -> (Server, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let graph = dir.path().join("examples.trig");
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    let output = Command::new(env!("CARGO_BIN_EXE_newsgraph")).arg("convert").arg(&examples).arg("-o").arg(&graph).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    (Server::start(&["--input", graph.to_str().unwrap()]), dir)
}

fn api(server: &Server, path: &str) -> serde_json::Value {
    let answer = get(&server.url(path), "application/json");
    assert_eq!(answer.status, 200, "{path}: {}", answer.body);
    assert_eq!(answer.content_type, "application/json");
    serde_json::from_str(&answer.body).unwrap()
}

fn csv_count(server: &Server, query: &str) -> u64 {
    let answer = post(&server.url("/sparql"), "application/sparql-query", "text/csv", query);
    answer.body.lines().nth(1).and_then(|n| n.trim().parse().ok()).unwrap_or_else(|| panic!("{}", answer.body))
}

const HELENA: &str = "https://newsgraph.example/entity/person/helena-varga";

#[test]
fn explorer_entity_answer_matches_the_store() {
    let (server, _dir) = examples_server();
    let entity = api(&server, &format!("/api/entity?iri={}", encode(HELENA)));
    assert_eq!(entity["name"], "Helena Varga");
    assert_eq!(entity["type"], "Person");
    let mentions = csv_count(&server, &format!("SELECT (COUNT(*) AS ?n) WHERE {{ ?m <http://www.w3.org/2005/11/its/rdf#taIdentRef> <{HELENA}> }}"));
    assert_eq!(entity["mentionCount"], mentions);
    // Each mention is highlighted once, in a sentence that holds its name.
    let mut highlighted = 0;
    for article in entity["articles"].as_array().unwrap() {
        for sentence in article["sentences"].as_array().unwrap() {
            let text: Vec<char> = sentence["text"].as_str().unwrap().chars().collect();
            for span in sentence["highlights"].as_array().unwrap() {
                let (from, to) = (span[0].as_u64().unwrap() as usize, span[1].as_u64().unwrap() as usize);
                assert!(text[from..to].iter().collect::<String>().contains("Varga"), "{sentence}");
                highlighted += 1;
            }
        }
    }
    assert_eq!(highlighted, mentions);
    assert_eq!(entity["posts"][0]["holder"]["name"], "Portugal", "{}", entity["posts"]);
    assert_eq!(entity["events"][0]["kind"], "Meeting");
    assert!(entity["related"].as_array().unwrap().iter().any(|node| node["name"] == "Karim Benali"));
    let missing = get(&server.url(&format!("/api/entity?iri={}", encode("https://newsgraph.example/entity/none"))), "");
    assert_eq!(missing.status, 404);
    assert_eq!(get(&server.url("/api/entity?iri=not%20an%20iri"), "").status, 400);
}

#[test]
fn explorer_network_bounds_and_date_filters() {
    let (server, _dir) = examples_server();
    let acme = encode("https://newsgraph.example/entity/organization/acme-holdings");
    let all = api(&server, &format!("/api/network?iri={acme}"));
    let nodes = all["nodes"].as_array().unwrap().len();
    assert!(nodes > 5, "{all}");
    // Every edge joins two drawn nodes.
    let drawn: Vec<&str> = all["nodes"].as_array().unwrap().iter().map(|node| node["iri"].as_str().unwrap()).collect();
    for edge in all["edges"].as_array().unwrap() {
        assert!(drawn.contains(&edge["source"].as_str().unwrap()) && drawn.contains(&edge["target"].as_str().unwrap()), "{edge}");
    }
    assert_eq!(api(&server, &format!("/api/network?iri={acme}&limit=4"))["nodes"].as_array().unwrap().len(), 4);
    // Acme's two articles are dated 2024-05-12 and 2024-05-15.
    assert_eq!(all["articles"], 2);
    let later = api(&server, &format!("/api/network?iri={acme}&from=2024-05-13"));
    assert_eq!((later["articles"].as_u64(), later["articlesTotal"].as_u64()), (Some(1), Some(2)), "{later}");
    assert!(later["nodes"].as_array().unwrap().len() < nodes);
    assert_eq!(api(&server, &format!("/api/network?iri={acme}&to=2023"))["articles"], 0);
    // A dateTime counts by its day; a month bound keeps the whole month.
    let commission = encode("https://newsgraph.example/entity/Q8880");
    assert_eq!(api(&server, &format!("/api/network?iri={commission}&from=2024-10-18&to=2024-10-18"))["articles"], 1);
    assert_eq!(api(&server, &format!("/api/network?iri={commission}&from=2024-05&to=2024-05"))["articles"], 1);
    assert_eq!(get(&server.url(&format!("/api/network?iri={acme}&from=yesterday")), "").status, 400);
}

#[test]
fn explorer_timeline_summary_and_read_only_pages() {
    let (server, _dir) = examples_server();
    let timeline = api(&server, "/api/timeline");
    let events = timeline["events"].as_array().unwrap();
    assert_eq!(events.len() as u64, csv_count(&server, "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a <http://schema.org/Event> }"));
    let dates: Vec<&str> = events.iter().filter_map(|event| event["date"].as_str()).collect();
    assert!(dates.len() >= 2 && dates.windows(2).all(|pair| pair[0] <= pair[1]), "{dates:?}");
    let query = "SELECT ?event WHERE { ?event a <https://newsgraph.example/ns#Meeting> }";
    let meetings = api(&server, &format!("/api/timeline?query={}", encode(query)));
    assert!(meetings["events"].as_array().unwrap().iter().all(|event| event["kind"] == "Meeting"));
    let summary = api(&server, "/api/summary");
    assert_eq!(summary["counts"]["articles"], 5);
    assert!(api(&server, "/api/search?q=varga")["results"][0]["name"] == "Helena Varga");
    assert!(api(&server, "/api/queries")["queries"].as_array().unwrap().len() >= 8);
    for page in ["/", "/entity", "/network", "/timeline", "/editor", "/assets/cytoscape.min.js", "/assets/codemirror.js"] {
        assert_eq!(get(&server.url(page), "").status, 200, "{page}");
    }
    // The explorer adds no way to write: its paths take no POST, and an update in a timeline
    // query is refused as a syntax error.
    assert_eq!(post(&server.url("/api/entity"), "application/x-www-form-urlencoded", "", "iri=x").status, 404);
    let update = get(&server.url(&format!("/api/timeline?query={}", encode("CLEAR ALL"))), "");
    assert_eq!(update.status, 400, "{}", update.body);
    assert_eq!(summary["counts"]["articles"], api(&server, "/api/summary")["counts"]["articles"]);
}

/// Sends raw bytes and returns the status code of the answer (0 when the server closed the
/// connection without one) and how long the answer took.
fn raw(server: &Server, request: &[u8]) -> (u16, Duration) {
    use std::io::{Read, Write};
    let started = Instant::now();
    let mut stream = TcpStream::connect(server.base.trim_start_matches("http://")).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    stream.write_all(request).unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    let status = String::from_utf8_lossy(&head).split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, started.elapsed())
}

#[test]
fn hostile_requests_are_refused_with_a_status_each() {
    let server = Server::with_fixture(&[]);
    let cases: [(&str, &[u16]); 14] = [
        ("GET /../../../../etc/passwd HTTP/1.1", &[400, 404]),
        ("GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1", &[404]),
        ("GET /store/../../../etc/passwd HTTP/1.1", &[400, 404]),
        ("GET /sparql/..%2f..%2fetc%2fpasswd HTTP/1.1", &[404]),
        ("GET //etc/passwd HTTP/1.1", &[404]),
        ("GET /page.html HTTP/1.1", &[404]),
        ("TRACE / HTTP/1.1", &[405]),
        ("PATCH /store?default HTTP/1.1", &[405]),
        ("PROPFIND / HTTP/1.1", &[405]),
        ("PUT /sparql HTTP/1.1", &[405]),
        ("DELETE / HTTP/1.1", &[405]),
        ("CONNECT 127.0.0.1:22 HTTP/1.1", &[405]),
        ("GET http://127.0.0.1:22/ HTTP/1.1", &[400]),
        ("GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nContent-Length: -1", &[400]),
    ];
    for (line, expected) in cases {
        let (status, _) = raw(&server, format!("{line}\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes());
        eprintln!("{line:?} -> {status}");
        assert!(expected.contains(&status), "{line:?} got {status}, expected one of {expected:?}");
    }
    // and the endpoint still answers
    let ok = get(&server.url(&format!("/sparql?query={}", encode(COUNT_ARTICLES))), "text/csv");
    assert_eq!(ok.status, 200);
}

#[test]
fn a_body_announced_too_large_is_refused_unread() {
    use std::io::Write;
    let server = Server::with_fixture(&["--max-body-mb", "1"]);
    let rss_before = rss_kb(server.child.id());
    let mut stream = TcpStream::connect(server.base.trim_start_matches("http://")).unwrap();
    let head = "POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\nContent-Length: 1073741824\r\nConnection: close\r\n\r\n";
    stream.write_all(head.as_bytes()).unwrap();
    // 1 GB follows; the server discards it as it comes (it reads a request to its end before answering)
    let writer = {
        let mut stream = stream.try_clone().unwrap();
        std::thread::spawn(move || {
            let chunk = vec![b'#'; 1 << 20];
            for _ in 0..1024 {
                if stream.write_all(&chunk).is_err() {
                    break;
                }
            }
        })
    };
    let answer = {
        use std::io::Read;
        stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    };
    writer.join().unwrap();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    if let (Some(before), Some(after)) = (rss_before, rss_kb(server.child.id())) {
        eprintln!("1 GB body: RSS {before} KB before, {after} KB after");
        assert!(after < before + 64 * 1024, "the body cost {} KB", after - before);
    }
}

/// Resident memory of a process in KB (Linux only).
fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.split_whitespace().next()?.parse().ok())
}

#[test]
fn a_silent_client_is_dropped_after_the_client_timeout() {
    use std::io::{Read, Write};
    let server = Server::with_fixture(&["--client-timeout", "2"]);
    let mut stream = TcpStream::connect(server.base.trim_start_matches("http://")).unwrap();
    stream.write_all(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: localhost\r\n").unwrap();
    let started = Instant::now();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut rest = Vec::new();
    let _ = stream.read_to_end(&mut rest);
    let held = started.elapsed();
    eprintln!("silent client held for {held:?}: {:?}", String::from_utf8_lossy(&rest).lines().next());
    assert!(held < Duration::from_secs(10), "a silent client held a worker for {held:?}");
}

#[test]
fn an_answer_over_the_row_limit_is_refused_with_507() {
    let server = Server::with_fixture(&["--max-rows", "1000"]);
    // 23^3 = 12,167 rows
    let query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    let answer = post(&server.url("/sparql"), "application/sparql-query", "text/csv", query);
    assert_eq!(answer.status, 507, "{}", answer.body);
    assert!(answer.body.contains("more than 1000 rows"), "{}", answer.body);
    let construct = post(&server.url("/sparql"), "application/sparql-query", "", "CONSTRUCT { [] <a:p> ?f } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }");
    assert_eq!(construct.status, 507, "{}", construct.body);
    let limited = post(&server.url("/sparql"), "application/sparql-query", "text/csv", "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } LIMIT 1000");
    assert_eq!(limited.status, 200);
    assert_eq!(limited.body.lines().count(), 1001);
}

/// A query over the fixture that runs for far longer than any test's time limit: 23^6 ≈ 150
/// million combinations, of which few pass the filter, so its answer stays short (held, not
/// streamed) and its time runs out before it is done.
const SLOW_QUERY: &str = "SELECT (1 AS ?x) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o . ?p ?q ?r \
    FILTER(?a = ?p && ?b = ?q && ?c = ?r && ?d = ?j && ?e = ?k && ?f = ?l) }";

/// Status, `Retry-After` and body of a POSTed query.
fn post_query(url: &str, query: &str) -> (u16, Option<String>, String) {
    let mut response = agent()
        .post(url)
        .header("Content-Type", "application/sparql-query")
        .header("Accept", "text/csv")
        .send(query)
        .expect("request failed");
    let retry_after = response.headers().get("retry-after").map(|value| value.to_str().unwrap().to_owned());
    (response.status().as_u16(), retry_after, response.body_mut().read_to_string().unwrap_or_default())
}

#[test]
fn over_capacity_requests_get_503_with_retry_after_at_once() {
    // one worker, no queue: while the slow query runs, every other query is refused
    // the slow query lasts about 2.5 s on an idle 2-core machine: the time limit must fall well within
    // (no kept answers: the quick query asked again must need the worker)
    let server = Server::with_fixture(&[
        "--query-workers", "1", "--query-queue", "0", "--timeout", "1", "--max-rows", "1000000000000", "--answer-cache-mb", "0",
    ]);
    let url = server.url("/sparql");
    // On a loaded machine the quick query may hold the worker when the slow one arrives, which is
    // then refused as busy: start it again. No wall-clock bound here, as the machine's speed is unknown.
    let (slow, refused) = 'attempt: loop {
        let slow_url = url.clone();
        let slow = std::thread::spawn(move || post_query(&slow_url, SLOW_QUERY));
        while !slow.is_finished() {
            let (status, retry_after, body) = post_query(&url, COUNT_TRIPLES);
            if status == 503 {
                break 'attempt (slow, (retry_after, body));
            }
            // the quick query got the worker before the slow one: try again
            assert_eq!(status, 200, "{body}");
            std::thread::sleep(Duration::from_millis(20));
        }
        let (status, _, body) = slow.join().unwrap();
        assert!(status == 503 && body.contains("busy"), "the slow query ran without refusing any other: {status} {body}");
    };
    // a queued request would have waited for the worker and got a 200: the 503 is the refusal at once
    assert_eq!(refused.0.as_deref(), Some("1"), "{}", refused.1);
    assert!(refused.1.contains("busy"), "{}", refused.1);
    // the explorer's answers share the workers
    let mut explorer = agent().get(&server.url("/api/summary")).call().unwrap();
    assert_eq!(explorer.status().as_u16(), 503, "{}", explorer.body_mut().read_to_string().unwrap_or_default());
    // the slow query meets its time limit: 503 too, but cancelled, and not to be retried as is
    let (status, retry_after, body) = slow.join().unwrap();
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("cancelled"), "{body}");
    assert_eq!(retry_after, None);
    // the cancelled evaluation gives its worker back
    let freed = Instant::now();
    loop {
        let (status, _, body) = post_query(&url, COUNT_TRIPLES);
        if status == 200 {
            assert_eq!(body.lines().nth(1), Some(FIXTURE_TRIPLES.to_string().as_str()));
            break;
        }
        assert!(freed.elapsed() < Duration::from_secs(5), "the worker stayed busy after the cancellation: {body}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn normal_requests_succeed_under_concurrent_load_within_the_queue() {
    // 8 clients, one worker, a queue of 8: no request finds the queue full, each waits its turn
    let server = Server::with_fixture(&["--query-workers", "1", "--query-queue", "8"]);
    let clients: Vec<_> = (0..8)
        .map(|_| {
            let url = server.url("/sparql");
            std::thread::spawn(move || (0..10).map(|_| post_query(&url, COUNT_TRIPLES)).collect::<Vec<_>>())
        })
        .collect();
    for client in clients {
        for (status, _, body) in client.join().unwrap() {
            assert_eq!(status, 200, "{body}");
            assert_eq!(body.lines().nth(1), Some(FIXTURE_TRIPLES.to_string().as_str()));
        }
    }
}

#[test]
fn long_answers_are_streamed_whole_or_broken_off() {
    // 23^3 = 12,167 rows of 9 IRIs and literals: several MB of TSV (one line a row), past the
    // megabyte held before the first byte is sent
    let query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    let server = Server::with_fixture(&[]);
    let mut response = agent()
        .post(&server.url("/sparql"))
        .header("Content-Type", "application/sparql-query")
        .header("Accept", "text/tab-separated-values")
        .send(query)
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers().get("transfer-encoding").map(|v| v.to_str().unwrap()), Some("chunked"));
    let body = response.body_mut().with_config().limit(1 << 30).read_to_string().unwrap();
    assert!(body.len() > 2 * 1024 * 1024, "only {} bytes: the answer was not longer than the held part", body.len());
    assert_eq!(body.lines().count(), 12_168);
    // past the row limit after the first megabyte: the stream is cut, so the client sees an
    // incomplete answer, never a short one that looks whole
    let limited = Server::with_fixture(&["--max-rows", "10000"]);
    let mut response = agent()
        .post(&limited.url("/sparql"))
        .header("Content-Type", "application/sparql-query")
        .header("Accept", "text/tab-separated-values")
        .send(query)
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let read = response.body_mut().with_config().limit(1 << 30).read_to_string();
    assert!(read.is_err(), "a broken-off answer read as whole ({} bytes)", read.map(|b| b.len()).unwrap_or(0));
}

#[test]
fn repeated_queries_are_answered_from_kept_answers_until_a_write() {
    let server = Server::with_fixture(&[
        "--writable", "--token", TOKEN, "--query-workers", "1", "--query-queue", "0", "--timeout", "3", "--max-rows", "1000000000000",
    ]);
    let url = server.url("/sparql");
    let (status, _, body) = post_query(&url, COUNT_TRIPLES);
    assert_eq!((status, body.lines().nth(1)), (200, Some(FIXTURE_TRIPLES.to_string().as_str())), "{body}");
    // While the slow query holds the only worker, a question not asked before is refused, and the
    // one asked before is still answered: from the kept answer, without a worker. Each probe is a
    // new question (its comment differs), so no probe is answered from the cache itself.
    let mut probes = 0;
    'attempt: loop {
        let slow_url = url.clone();
        let slow = std::thread::spawn(move || post_query(&slow_url, SLOW_QUERY));
        while !slow.is_finished() {
            probes += 1;
            let (status, _, _) = post_query(&url, &format!("{COUNT_QUADS} # probe {probes}"));
            if status == 503 {
                let (status, _, body) = post_query(&url, COUNT_TRIPLES);
                assert_eq!(status, 200, "an answer asked for before needed a worker: {body}");
                assert_eq!(body.lines().nth(1), Some(FIXTURE_TRIPLES.to_string().as_str()));
                let _ = slow.join();
                break 'attempt;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        // the probe got the worker before the slow query did: try again
        let _ = slow.join();
    }
    // a write forgets every kept answer
    let update = answer(
        agent()
            .post(&server.url("/update"))
            .header("Content-Type", "application/sparql-update")
            .header("Authorization", &format!("Bearer {TOKEN}"))
            .send("INSERT DATA { GRAPH <https://newsgraph.example/article/new> { <a:s> <a:p> <a:o> } }"),
    );
    assert_eq!(update.status, 204, "{}", update.body);
    let freed = Instant::now();
    loop {
        let (status, _, body) = post_query(&url, COUNT_TRIPLES);
        if status == 200 {
            assert_eq!(body.lines().nth(1), Some((FIXTURE_TRIPLES + 1).to_string().as_str()), "a kept answer outlived a write");
            break;
        }
        // the cancelled slow query may still hold the worker for a moment
        assert!(freed.elapsed() < Duration::from_secs(10), "{status}: {body}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Counts the rows of a five-way product of the fixture's triples (23^5, about 6.4 M): long enough
/// to be asked again while it is evaluated, short enough to end within the time limit.
const COUNT_PRODUCT: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }";

#[test]
fn a_question_asked_while_it_is_evaluated_waits_for_that_answer_instead_of_a_worker() {
    // one worker and no queue: a second evaluation would be refused with 503 at once
    let server = Server::with_fixture(&["--query-workers", "1", "--query-queue", "0", "--timeout", "30"]);
    let url = server.url("/sparql");
    let expected = FIXTURE_TRIPLES.pow(5).to_string();
    for attempt in 0.. {
        assert!(attempt < 5, "the first evaluation always ended before the second asker came");
        // a new question each attempt (the comment differs), so no attempt finds a kept answer
        let query = format!("{COUNT_PRODUCT} # attempt {attempt}");
        let first_url = url.clone();
        let first_query = query.clone();
        let first = std::thread::spawn(move || post_query(&first_url, &first_query));
        std::thread::sleep(Duration::from_millis(100));
        if first.is_finished() {
            continue;
        }
        // the same question with other white space around it is the same question
        let (status, _, body) = post_query(&url, &format!("\n{query}\n"));
        let (first_status, _, first_body) = first.join().unwrap();
        assert_eq!((first_status, first_body.lines().nth(1)), (200, Some(expected.as_str())), "{first_body}");
        assert_eq!((status, body.lines().nth(1)), (200, Some(expected.as_str())), "the second asker: {body}");
        break;
    }
}
