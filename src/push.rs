//! Sends article graphs to a remote store (SPARQL 1.1 Graph Store Protocol or Update).
//!
//! Graph Store Protocol: one `PUT ?graph=IRI` per named graph, so pushing again replaces what was there
//! (a graph larger than `--batch-triples` is sent as one PUT and then POSTs that append). SPARQL Update:
//! `DROP SILENT GRAPH` + `INSERT DATA`, several graphs per request up to `--batch-triples`.
//! Transient failures (connection errors, timeouts, 5xx) are retried with exponential backoff; at the end
//! the remote is asked how many triples those graphs hold and the push fails if that differs.

use anyhow::{bail, Context};
use base64::Engine;
use md5::{Digest, Md5};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphNameRef, NamedNode, NamedOrBlankNode, Term};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput};
use oxigraph::store::Store;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};
use ureq::http;

/// Options of `newsgraph push`.
#[derive(Debug, clap::Args)]
pub struct PushArgs {
    /// The store folder (RocksDB) whose named graphs are sent.
    #[arg(long, value_name = "DIR", required_unless_present = "input", conflicts_with = "input")]
    pub store: Option<PathBuf>,
    /// RDF files (TriG, N-Quads, …) to send instead of a store.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub input: Vec<PathBuf>,
    /// SPARQL 1.1 Graph Store Protocol endpoint, e.g. Virtuoso's http://HOST:8890/sparql-graph-crud-auth,
    /// Fuseki's http://HOST:3030/DATASET/data.
    #[arg(long, value_name = "URL", required_unless_present = "update_endpoint", conflicts_with = "update_endpoint")]
    pub endpoint: Option<String>,
    /// SPARQL 1.1 Update endpoint, for stores without the Graph Store Protocol.
    #[arg(long, value_name = "URL")]
    pub update_endpoint: Option<String>,
    /// SPARQL query endpoint for the final count check (derived from the other endpoint when it has a
    /// well-known shape: Virtuoso, Fuseki, GraphDB, Oxigraph, Neptune, newsgraph serve).
    #[arg(long, value_name = "URL")]
    pub query_endpoint: Option<String>,
    /// Skip the final count check.
    #[arg(long)]
    pub no_check: bool,
    /// User name for HTTP basic or digest authentication.
    #[arg(long)]
    pub user: Option<String>,
    /// Environment variable holding the password.
    #[arg(long, value_name = "VAR", default_value = "NEWSGRAPH_PASSWORD")]
    pub password_env: String,
    /// Authentication scheme: answer the server's challenge (auto), or send basic credentials up front.
    #[arg(long, value_enum, default_value_t = AuthScheme::Auto)]
    pub auth: AuthScheme,
    /// Triples per request (graphs are never merged in Graph Store mode).
    #[arg(long, default_value_t = 10_000)]
    pub batch_triples: usize,
    /// Retries of one request after a connection error, timeout or 5xx answer.
    #[arg(long, default_value_t = 5)]
    pub retries: u32,
    /// Seconds one request may take.
    #[arg(long, default_value_t = 120)]
    pub timeout: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuthScheme {
    Auto,
    Basic,
    Digest,
}

pub fn run(args: PushArgs) -> anyhow::Result<()> {
    let store = crate::serve::open_source(args.store.as_deref(), &args.input)?;
    let query_endpoint = if args.no_check {
        None
    } else {
        let endpoint = match (&args.query_endpoint, &args.endpoint, &args.update_endpoint) {
            (Some(explicit), _, _) => Some(explicit.clone()),
            (None, Some(gsp), _) => query_endpoint_for_graph_store(gsp),
            (None, None, Some(update)) => Some(query_endpoint_for_update(update)),
            (None, None, None) => None,
        };
        Some(endpoint.context("cannot guess the query endpoint for the count check: give --query-endpoint URL or --no-check")?)
    };
    let credentials = match &args.user {
        Some(user) => {
            let password = std::env::var(&args.password_env)
                .with_context(|| format!("--user given but the environment variable {} is not set", args.password_env))?;
            Some(Credentials { user: user.clone(), password })
        }
        None => None,
    };
    let mut client = Client::new(credentials, args.auth, args.retries, Duration::from_secs(args.timeout));
    let batch_triples = args.batch_triples.max(1);

    let graphs = named_graphs(&store)?;
    let default_graph_triples = store.quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph)).count();
    if default_graph_triples > 0 {
        eprintln!("note: {default_graph_triples} triples in the default graph are not pushed (only named graphs are)");
    }
    let progress = indicatif::ProgressBar::new(graphs.len() as u64);
    progress.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} graphs  {per_sec}  eta {eta}")
            .context("invalid progress template")?,
    );
    let started = Instant::now();
    let mut triples_sent = 0u64;
    let mut pending_update = UpdateBatch::default();
    for graph in &graphs {
        let chunks = graph_chunks(&store, graph, batch_triples)?;
        for (index, chunk) in chunks.iter().enumerate() {
            triples_sent += chunk.triples as u64;
            if let Some(endpoint) = &args.endpoint {
                let method = if index == 0 { "PUT" } else { "POST" };
                let url = with_parameter(endpoint, "graph", graph.as_str());
                client
                    .send(method, &url, "text/turtle", None, chunk.text.as_bytes())
                    .with_context(|| format!("{method} of graph {graph} to {endpoint} failed"))?;
            } else if let Some(endpoint) = &args.update_endpoint {
                if index == 0 {
                    pending_update.text.push_str(&format!("DROP SILENT GRAPH <{}> ;\n", graph.as_str()));
                }
                pending_update
                    .text
                    .push_str(&format!("INSERT DATA {{ GRAPH <{}> {{\n{}}} }} ;\n", graph.as_str(), chunk.text));
                pending_update.triples += chunk.triples;
                if pending_update.triples >= batch_triples {
                    pending_update.send(&mut client, endpoint)?;
                }
            }
        }
        progress.inc(1);
    }
    if let Some(endpoint) = &args.update_endpoint {
        pending_update.send(&mut client, endpoint)?;
    }
    progress.finish_and_clear();
    let elapsed = started.elapsed();
    eprintln!(
        "pushed {} graphs, {triples_sent} triples in {} requests, {:.1} s ({} retried)",
        graphs.len(),
        client.requests,
        elapsed.as_secs_f64(),
        client.retried
    );
    if let Some(query_endpoint) = query_endpoint {
        let remote = remote_triple_count(&mut client, &query_endpoint, &graphs)?;
        eprintln!("count check: {triples_sent} triples sent, {remote} triples at {query_endpoint} in those graphs");
        if remote != triples_sent {
            bail!("count check failed: sent {triples_sent} triples but the remote store reports {remote}");
        }
    }
    Ok(())
}

struct Credentials {
    user: String,
    password: String,
}

#[derive(Default)]
struct UpdateBatch {
    text: String,
    triples: usize,
}

impl UpdateBatch {
    fn send(&mut self, client: &mut Client, endpoint: &str) -> anyhow::Result<()> {
        if self.text.is_empty() {
            return Ok(());
        }
        client
            .send("POST", endpoint, "application/sparql-update", None, self.text.as_bytes())
            .with_context(|| format!("SPARQL update to {endpoint} failed"))?;
        *self = Self::default();
        Ok(())
    }
}

fn named_graphs(store: &Store) -> anyhow::Result<Vec<NamedNode>> {
    let mut graphs = Vec::new();
    for graph in store.named_graphs() {
        match graph.context("cannot list the store's graphs")? {
            NamedOrBlankNode::NamedNode(node) => graphs.push(node),
            NamedOrBlankNode::BlankNode(node) => {
                eprintln!("note: graph {node} has a blank-node name and cannot be addressed remotely; skipped")
            }
        }
    }
    graphs.sort();
    Ok(graphs)
}

/// One request's worth of a graph: N-Triples text (also valid Turtle, which every store accepts).
struct Chunk {
    text: String,
    triples: usize,
}

fn graph_chunks(store: &Store, graph: &NamedNode, batch_triples: usize) -> anyhow::Result<Vec<Chunk>> {
    let mut chunks = Vec::new();
    let mut serializer = RdfSerializer::from_format(RdfFormat::NTriples).for_writer(Vec::new());
    let mut triples = 0;
    for quad in store.quads_for_pattern(None, None, None, Some(graph.as_ref().into())) {
        let quad = quad.with_context(|| format!("cannot read graph {graph}"))?;
        serializer.serialize_triple(quad.as_ref())?;
        triples += 1;
        if triples == batch_triples {
            chunks.push(Chunk { text: String::from_utf8(serializer.finish()?)?, triples });
            serializer = RdfSerializer::from_format(RdfFormat::NTriples).for_writer(Vec::new());
            triples = 0;
        }
    }
    if triples > 0 || chunks.is_empty() {
        chunks.push(Chunk { text: String::from_utf8(serializer.finish()?)?, triples });
    }
    Ok(chunks)
}

/// Triples the remote store holds in `graphs`, asked in groups so no query grows too long.
fn remote_triple_count(client: &mut Client, endpoint: &str, graphs: &[NamedNode]) -> anyhow::Result<u64> {
    let mut total = 0;
    for group in graphs.chunks(100) {
        let values: Vec<String> = group.iter().map(|graph| format!("<{}>", graph.as_str())).collect();
        let query = format!(
            "SELECT (COUNT(*) AS ?triples) WHERE {{ VALUES ?g {{ {} }} GRAPH ?g {{ ?s ?p ?o }} }}",
            values.join(" ")
        );
        let body = format!("query={}", percent_encode(&query));
        let answer = client
            .send(
                "POST",
                endpoint,
                "application/x-www-form-urlencoded",
                Some("application/sparql-results+json"),
                body.as_bytes(),
            )
            .with_context(|| format!("count query to {endpoint} failed"))?;
        total += parse_count(&answer).with_context(|| format!("unexpected answer from {endpoint} to a COUNT query"))?;
    }
    Ok(total)
}

fn parse_count(answer: &[u8]) -> anyhow::Result<u64> {
    let SliceQueryResultsParserOutput::Solutions(mut solutions) =
        QueryResultsParser::from_format(QueryResultsFormat::Json).for_slice(answer)?
    else {
        bail!("a boolean instead of solutions");
    };
    let solution = solutions.next().context("no solution")??;
    match solution.get("triples") {
        Some(Term::Literal(count)) => {
            count.value().parse().with_context(|| format!("count {:?} is not a number", count.value()))
        }
        other => bail!("no count in the solution ({other:?})"),
    }
}

fn query_endpoint_for_graph_store(endpoint: &str) -> Option<String> {
    let (base, query) = match endpoint.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (endpoint, None),
    };
    let base = base.trim_end_matches('/');
    let replaced = [
        ("/sparql-graph-crud-auth", "/sparql"), // Virtuoso
        ("/sparql-graph-crud", "/sparql"),
        ("/rdf-graphs/service", ""), // GraphDB, RDF4J
        ("/sparql/gsp", "/sparql"),  // Neptune
        ("/data", "/query"),         // Fuseki
        ("/store", "/query"),        // Oxigraph, newsgraph serve
    ]
    .iter()
    .find_map(|(suffix, replacement)| base.strip_suffix(suffix).map(|stem| format!("{stem}{replacement}")))?;
    Some(match query {
        // Keep e.g. ?repository=… but not the graph selection.
        Some(query) if !query.starts_with("graph=") && !query.starts_with("default") => format!("{replaced}?{query}"),
        _ => replaced,
    })
}

fn query_endpoint_for_update(endpoint: &str) -> String {
    let base = endpoint.trim_end_matches('/');
    if let Some(stem) = base.strip_suffix("/update") {
        format!("{stem}/query") // Fuseki, Oxigraph, newsgraph serve
    } else if let Some(stem) = base.strip_suffix("/statements") {
        stem.to_owned() // GraphDB, RDF4J
    } else {
        endpoint.to_owned() // Virtuoso, Neptune, Blazegraph: one URL for both
    }
}

fn with_parameter(url: &str, name: &str, value: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{name}={}", percent_encode(value))
}

fn percent_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len() * 3 / 2);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// An HTTP client that authenticates, retries transient failures and counts its requests.
struct Client {
    agent: ureq::Agent,
    credentials: Option<Credentials>,
    scheme: AuthScheme,
    digest: Option<DigestChallenge>,
    retries: u32,
    requests: u64,
    retried: u64,
}

struct DigestChallenge {
    realm: String,
    nonce: String,
    opaque: Option<String>,
    qop_auth: bool,
    nonce_count: u32,
}

impl Client {
    fn new(credentials: Option<Credentials>, scheme: AuthScheme, retries: u32, timeout: Duration) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .build()
            .into();
        Self { agent, credentials, scheme, digest: None, retries, requests: 0, retried: 0 }
    }

    /// Sends one request; returns the body of a 2xx answer.
    fn send(
        &mut self,
        method: &str,
        url: &str,
        content_type: &str,
        accept: Option<&str>,
        body: &[u8],
    ) -> anyhow::Result<Vec<u8>> {
        let mut attempt = 0;
        let mut challenged = false;
        loop {
            let mut request = http::Request::builder().method(method).uri(url).header("Content-Type", content_type);
            if let Some(accept) = accept {
                request = request.header("Accept", accept);
            }
            if let Some(authorization) = self.authorization(method, url)? {
                request = request.header("Authorization", authorization);
            }
            let request = request.body(body.to_vec()).with_context(|| format!("invalid request to {url}"))?;
            self.requests += 1;
            let failure = match self.agent.run(request) {
                Ok(mut response) => {
                    let status = response.status().as_u16();
                    let text = response
                        .body_mut()
                        .with_config()
                        .limit(64 * 1024 * 1024)
                        .read_to_vec()
                        .context("cannot read the answer")?;
                    if (200..300).contains(&status) {
                        return Ok(text);
                    }
                    if status == 401 && self.credentials.is_some() && !challenged {
                        challenged = true;
                        self.accept_challenge(&response)?;
                        continue;
                    }
                    let reason = format!("HTTP {status}: {}", String::from_utf8_lossy(&text).trim());
                    if status < 500 {
                        bail!(reason);
                    }
                    reason
                }
                Err(error) if is_transient(&error) => error.to_string(),
                Err(error) => return Err(error).with_context(|| format!("{method} {url}")),
            };
            if attempt >= self.retries {
                bail!("{failure} (after {attempt} retries)");
            }
            let backoff = Duration::from_millis(250u64.saturating_mul(1 << attempt.min(7)));
            eprintln!("warning: {method} {url}: {failure}; retrying in {:.1} s", backoff.as_secs_f64());
            std::thread::sleep(backoff);
            attempt += 1;
            self.retried += 1;
        }
    }

    fn authorization(&mut self, method: &str, url: &str) -> anyhow::Result<Option<String>> {
        let Some(credentials) = &self.credentials else { return Ok(None) };
        if let Some(challenge) = &mut self.digest {
            challenge.nonce_count += 1;
            return Ok(Some(digest_authorization(credentials, challenge, method, request_target(url), &client_nonce())));
        }
        if self.scheme == AuthScheme::Basic {
            return Ok(Some(basic_authorization(credentials)));
        }
        Ok(None)
    }

    fn accept_challenge(&mut self, response: &http::Response<ureq::Body>) -> anyhow::Result<()> {
        let challenges: Vec<&str> = response
            .headers()
            .get_all("WWW-Authenticate")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .collect();
        let digest = challenges.iter().find_map(|challenge| parse_digest_challenge(challenge));
        let offers_basic = challenges.iter().any(|challenge| challenge.trim_start().to_ascii_lowercase().starts_with("basic"));
        match (self.scheme, digest) {
            (AuthScheme::Auto | AuthScheme::Digest, Some(digest)) => {
                self.digest = Some(digest?);
                Ok(())
            }
            (AuthScheme::Auto, None) if offers_basic => {
                self.scheme = AuthScheme::Basic;
                Ok(())
            }
            _ => bail!("HTTP 401: the server asks for {challenges:?}, which --auth {:?} cannot answer", self.scheme),
        }
    }
}

fn is_transient(error: &ureq::Error) -> bool {
    matches!(
        error,
        ureq::Error::Io(_) | ureq::Error::Timeout(_) | ureq::Error::ConnectionFailed | ureq::Error::HostNotFound
    )
}

fn basic_authorization(credentials: &Credentials) -> String {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", credentials.user, credentials.password));
    format!("Basic {token}")
}

/// Parses `Digest realm="…", nonce="…", qop="auth", opaque="…", algorithm=MD5` (RFC 7616); `None` when
/// the challenge is not Digest, an error when it is a Digest variant we cannot answer.
fn parse_digest_challenge(challenge: &str) -> Option<anyhow::Result<DigestChallenge>> {
    let challenge = challenge.trim_start();
    let parameters = challenge.get(..6).filter(|scheme| scheme.eq_ignore_ascii_case("digest"))
        .map(|_| &challenge[6..])?;
    let parameters = auth_parameters(parameters);
    let value = |name: &str| {
        parameters.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.clone())
    };
    let algorithm = value("algorithm").unwrap_or_else(|| "MD5".into());
    if !algorithm.eq_ignore_ascii_case("MD5") {
        return Some(Err(anyhow::anyhow!("the server asks for digest algorithm {algorithm}; only MD5 is supported")));
    }
    let qop = value("qop");
    let qop_auth = qop.as_deref().is_some_and(|qop| qop.split(',').any(|option| option.trim() == "auth"));
    if qop.is_some() && !qop_auth {
        return Some(Err(anyhow::anyhow!("the server asks for digest qop {qop:?}; only auth is supported")));
    }
    Some(match (value("realm"), value("nonce")) {
        (Some(realm), Some(nonce)) => Ok(DigestChallenge { realm, nonce, opaque: value("opaque"), qop_auth, nonce_count: 0 }),
        _ => Err(anyhow::anyhow!("digest challenge without realm or nonce: {challenge}")),
    })
}

/// Splits `a="x, y", b=z` into pairs, honouring quoted strings and backslash escapes.
fn auth_parameters(text: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        let name: String = std::iter::from_fn(|| chars.next_if(|c| *c != '=' && *c != ',')).collect();
        if name.trim().is_empty() {
            return pairs;
        }
        let mut value = String::new();
        if chars.next_if_eq(&'=').is_some() {
            if chars.next_if_eq(&'"').is_some() {
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => value.extend(chars.next()),
                        c => value.push(c),
                    }
                }
            } else {
                value = std::iter::from_fn(|| chars.next_if(|c| *c != ',')).collect::<String>().trim().to_owned();
            }
        }
        pairs.push((name.trim().to_owned(), value));
    }
}

fn digest_authorization(
    credentials: &Credentials,
    challenge: &DigestChallenge,
    method: &str,
    uri: &str,
    client_nonce: &str,
) -> String {
    let user_secret = md5_hex(&format!("{}:{}:{}", credentials.user, challenge.realm, credentials.password));
    let request_digest = md5_hex(&format!("{method}:{uri}"));
    let nonce_count = format!("{:08x}", challenge.nonce_count);
    let response = if challenge.qop_auth {
        md5_hex(&format!("{user_secret}:{}:{nonce_count}:{client_nonce}:auth:{request_digest}", challenge.nonce))
    } else {
        md5_hex(&format!("{user_secret}:{}:{request_digest}", challenge.nonce))
    };
    let mut header = format!(
        "Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{uri}\", algorithm=MD5, response=\"{response}\"",
        quote_escape(&credentials.user),
        quote_escape(&challenge.realm),
        quote_escape(&challenge.nonce)
    );
    if challenge.qop_auth {
        header.push_str(&format!(", qop=auth, nc={nonce_count}, cnonce=\"{client_nonce}\""));
    }
    if let Some(opaque) = &challenge.opaque {
        header.push_str(&format!(", opaque=\"{}\"", quote_escape(opaque)));
    }
    header
}

fn quote_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

fn md5_hex(text: &str) -> String {
    Md5::digest(text.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A fresh client nonce; it only has to be unpredictable enough that responses are not replayable.
fn client_nonce() -> String {
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    md5_hex(&format!("{}:{}", now.as_nanos(), std::process::id()))[..16].to_owned()
}

/// The path and query of a URL, which is what a digest covers.
fn request_target(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    after_scheme.find('/').map_or("/", |slash| &after_scheme[slash..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_matches_rfc_2617_example() {
        // RFC 2617 section 3.5: Mufasa / Circle Of Life.
        let credentials = Credentials { user: "Mufasa".into(), password: "Circle Of Life".into() };
        let challenge = parse_digest_challenge(
            r#"Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41""#,
        )
        .unwrap()
        .unwrap();
        let challenge = DigestChallenge { nonce_count: 1, ..challenge };
        let header = digest_authorization(&credentials, &challenge, "GET", "/dir/index.html", "0a4f113b");
        assert!(header.contains(r#"response="6629fae49393a05397450978507c4ef1""#), "{header}");
        assert!(header.contains("nc=00000001"), "{header}");
        assert!(header.contains(r#"opaque="5ccc069c403ebaf9f0171e9517f40e41""#), "{header}");
    }

    #[test]
    fn non_digest_and_unsupported_challenges() {
        assert!(parse_digest_challenge(r#"Basic realm="x""#).is_none());
        assert!(parse_digest_challenge(r#"Digest realm="x", nonce="n", algorithm=SHA-256"#).unwrap().is_err());
        assert!(parse_digest_challenge(r#"Digest nonce="n""#).unwrap().is_err());
    }

    #[test]
    fn query_endpoints_are_derived_from_well_known_shapes() {
        let derive = |url: &str| query_endpoint_for_graph_store(url);
        assert_eq!(derive("http://h:8890/sparql-graph-crud-auth").as_deref(), Some("http://h:8890/sparql"));
        assert_eq!(derive("http://h:3030/ds/data").as_deref(), Some("http://h:3030/ds/query"));
        assert_eq!(derive("http://h:7200/repositories/r/rdf-graphs/service").as_deref(), Some("http://h:7200/repositories/r"));
        assert_eq!(derive("http://h/unknown"), None);
        assert_eq!(query_endpoint_for_update("http://h:3030/ds/update"), "http://h:3030/ds/query");
        assert_eq!(query_endpoint_for_update("http://h:8890/sparql"), "http://h:8890/sparql");
    }

    #[test]
    fn urls_and_targets() {
        assert_eq!(with_parameter("http://h/store", "graph", "https://e/a b"), "http://h/store?graph=https%3A%2F%2Fe%2Fa%20b");
        assert_eq!(request_target("http://h:1/p/q?graph=x"), "/p/q?graph=x");
        assert_eq!(request_target("http://h:1"), "/");
    }

    #[test]
    fn count_answers_are_parsed() {
        let answer = br#"{"head":{"vars":["triples"]},"results":{"bindings":[{"triples":{"type":"literal","datatype":"http://www.w3.org/2001/XMLSchema#integer","value":"42"}}]}}"#;
        assert_eq!(parse_count(answer).unwrap(), 42);
        assert!(parse_count(br#"{"head":{},"boolean":true}"#).is_err());
    }
}
