//! The SPARQL 1.1 Protocol endpoint over a store.
//!
//! Routes:
//! - `/`, `/entity`, `/network`, `/timeline`, `/editor`, `/api/…`, `/assets/…` — the explorer
//!   (`serve/explorer.rs`): pages for people who would rather look than write SPARQL;
//! - `/sparql` (alias `/query`) — SPARQL 1.1 Protocol query by GET and POST; a GET without `query`
//!   returns the service description; updates (`update=` or `application/sparql-update`) only with
//!   `--writable`;
//! - `/store` — SPARQL 1.1 Graph Store Protocol (`?graph=IRI`, `?default`, or neither for the whole
//!   dataset); writes only with `--writable`.
//!
//! The default graph of a query is the union of all graphs (each article is its own named graph), unless
//! the query has `FROM` or the request names `default-graph-uri` / `named-graph-uri`.
//!
//! Hostile clients: a write needs `--writable` and the token (bearer, or basic auth with the token
//! as password, which is what `newsgraph push --user` sends); a body larger than `--max-body-mb` is
//! refused from its Content-Length before it is read; an answer longer than `--max-rows` rows is
//! refused with 507 while the answer is still short enough to be held (the first MiB), and broken off
//! past that; a query past `--timeout` is cancelled; a client that stops sending is dropped after
//! `--client-timeout` seconds without a byte; other paths are 404 and other methods 405.
//!
//! Load: queries and explorer answers run on `--query-workers` threads (`executor.rs`), with at most
//! `--query-queue` more waiting; past that a request gets 503 with `Retry-After` at once. Answers
//! are streamed from the worker in chunks, so a large one is not held in memory. Whole answers of
//! up to a quarter of `--answer-cache-mb` are kept for the same question asked again until the
//! next write (`answers.rs`), so repeated reports cost no worker.

use crate::rdf::vocab;
use anyhow::{bail, Context};
use oxhttp::model::header::{self, HeaderValue};
use oxhttp::model::{Body, Method, Request, Response, StatusCode};
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Triple};
use oxigraph::sparql::results::QueryResultsFormat;
use oxigraph::sparql::results::QueryResultsSerializer;
use oxigraph::sparql::{
    CancellationToken, PreparedSparqlQuery, QueryEvaluationError, QueryResults, SparqlEvaluator,
};
use oxigraph::store::Store;
use std::io::Read;
use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

mod answers;
mod executor;
mod explorer;

use answers::{AnswerCache, Kept, Leader, Question, Turn};
use executor::Executor;

/// Options of `newsgraph serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The store folder (RocksDB) to serve.
    #[arg(long, value_name = "DIR", required_unless_present = "input", conflicts_with = "input")]
    pub store: Option<PathBuf>,
    /// RDF files to serve from an in-memory store instead (format from the extension).
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub input: Vec<PathBuf>,
    /// Address to listen on; loopback unless told otherwise. Port 0 takes a free port, and the
    /// first line on standard error says which.
    #[arg(long, default_value = "127.0.0.1:7878")]
    pub bind: String,
    /// Seconds a query may take, waiting for a worker included, before the server cancels it
    /// and answers 503.
    #[arg(long, alias = "query-timeout", default_value_t = 30)]
    pub timeout: u64,
    /// Queries (and explorer answers) evaluated at once; default: the number of cores.
    #[arg(long, value_name = "N")]
    pub query_workers: Option<usize>,
    /// Queries that may wait for a worker; a request past them gets 503 with Retry-After at once.
    /// Default: four per worker.
    #[arg(long, value_name = "N")]
    pub query_queue: Option<usize>,
    /// Accept SPARQL Update and Graph Store Protocol writes from clients that send the token
    /// (read-only otherwise).
    #[arg(long, alias = "allow-update")]
    pub writable: bool,
    /// The secret a write must carry (`Authorization: Bearer TOKEN`, or basic auth with TOKEN as the
    /// password); else from the environment variable NEWSGRAPH_SERVE_TOKEN.
    #[arg(long, value_name = "TOKEN", requires = "writable")]
    pub token: Option<String>,
    /// Most rows (or triples) an answer may hold; a query asking for more gets 507 and should
    /// add LIMIT.
    #[arg(long, default_value_t = 1_000_000)]
    pub max_rows: usize,
    /// Seconds a client may leave the connection silent while sending its request or reading the
    /// answer, before it is dropped.
    #[arg(long, default_value_t = 10)]
    pub client_timeout: u64,
    /// Send CORS headers so pages from other origins may query the endpoint.
    #[arg(long)]
    pub cors: bool,
    /// Largest request body accepted, in megabytes.
    #[arg(long, default_value_t = 64)]
    pub max_body_mb: u64,
    /// Megabytes of whole answers kept for queries asked again (until a write); 0 keeps none.
    #[arg(long, value_name = "MB", default_value_t = 128)]
    pub answer_cache_mb: usize,
}

/// The environment variable that may hold the token of `serve --writable`.
pub const TOKEN_VARIABLE: &str = "NEWSGRAPH_SERVE_TOKEN";

pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    let token = match (&args.token, std::env::var(TOKEN_VARIABLE)) {
        (Some(token), _) => Some(token.clone()),
        (None, Ok(token)) if args.writable => Some(token),
        _ => None,
    };
    let token = match token {
        Some(token) if token.len() < 16 => bail!("the write token must be at least 16 characters long"),
        Some(token) => Some(token),
        None if args.writable => {
            bail!("--writable needs a token: --token TOKEN or the environment variable {TOKEN_VARIABLE}")
        }
        None => None,
    };
    let store = open_source(args.store.as_deref(), &args.input)?;
    let addresses: Vec<SocketAddr> = args
        .bind
        .to_socket_addrs()
        .with_context(|| format!("cannot resolve bind address {}", args.bind))?
        .collect();
    if addresses.is_empty() {
        bail!("bind address {} resolves to nothing", args.bind);
    }
    if addresses.iter().any(|address| !address.ip().is_loopback()) {
        eprintln!(
            "warning: listening on {} — reachable from other machines{}",
            args.bind,
            if args.writable { ", with writes allowed" } else { "" }
        );
    }
    let workers = args
        .query_workers
        .unwrap_or_else(|| thread::available_parallelism().map_or(2, |cores| cores.get()))
        .max(1);
    let queue = args.query_queue.unwrap_or(4 * workers);
    let executor = Executor::new(workers, queue).context("cannot start the query workers")?;
    let endpoint = Arc::new(Endpoint {
        store,
        executor,
        timeout: Duration::from_secs(args.timeout),
        write_token: token,
        cors: args.cors,
        max_body: args.max_body_mb.saturating_mul(1024 * 1024),
        max_rows: args.max_rows,
        answers: AnswerCache::new(args.answer_cache_mb.saturating_mul(1024 * 1024)),
    });
    // The public listeners first, so that `--bind 127.0.0.1:0` works and the address printed
    // below is the one bound.
    let mut listeners = Vec::new();
    for address in &addresses {
        listeners.push(TcpListener::bind(address).with_context(|| format!("cannot listen on {address}"))?);
    }
    let bound: Vec<String> = listeners
        .iter()
        .map(|listener| listener.local_addr().map(|address| address.to_string()))
        .collect::<Result<_, _>>()
        .context("cannot read the bound address")?;
    let (listening, backend) = start_backend(&endpoint, &args)?;
    let limits = gate::Limits {
        head: Duration::from_secs(args.client_timeout.max(1)),
        silence: Duration::from_secs(args.client_timeout.max(1)),
        total: Duration::from_secs(args.client_timeout.max(1) * 2 + args.timeout + 30),
        answer: Duration::from_secs(args.timeout + 5),
        max_body: args.max_body_mb.saturating_mul(1024 * 1024),
    };
    let mut gates = Vec::new();
    for (listener, address) in listeners.into_iter().zip(&bound) {
        gates.push(thread::Builder::new().name(format!("gate {address}")).spawn(move || gate::serve(listener, backend, limits))?);
    }
    eprintln!(
        "newsgraph serve: {} (SPARQL endpoint /sparql, graph store /store){}; {workers} query workers, {queue} waiting at most",
        bound.iter().map(|address| format!("http://{address}/")).collect::<Vec<_>>().join(" "),
        if args.writable { ", writable with the token" } else { ", read-only" }
    );
    for gate in gates {
        let _ = gate.join();
    }
    listening.join().context("server stopped")?;
    Ok(())
}

/// oxhttp answers on a loopback port of its own; the gate in front of it holds the public
/// address and bounds how long any client may take (see `gate`). oxhttp binds an address, not a
/// listener, so a free port is found by probing, and probed again when another process takes it
/// between the probe and the bind.
fn start_backend(endpoint: &Arc<Endpoint>, args: &ServeArgs) -> anyhow::Result<(oxhttp::ListeningServer, SocketAddr)> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let backend = TcpListener::bind("127.0.0.1:0")
            .and_then(|probe| probe.local_addr())
            .context("cannot find a free loopback port")?;
        let endpoint = Arc::clone(endpoint);
        let started = oxhttp::Server::new(move |request| endpoint.handle(request))
            .with_server_name(concat!("newsgraph/", env!("CARGO_PKG_VERSION")))
            .context("invalid server name")?
            .with_global_timeout(Duration::from_secs(args.client_timeout.max(1) + args.timeout))
            .with_max_concurrent_connections(2 * gate::MAX_CONNECTIONS)
            .bind(backend)
            .spawn();
        match started {
            Ok(listening) => return Ok((listening, backend)),
            Err(error) if error.kind() == std::io::ErrorKind::AddrInUse && attempt < 8 => continue,
            Err(error) => return Err(error).context("cannot start the HTTP server"),
        }
    }
}

/// The front door. oxhttp bounds each read and write of a connection, not the connection: a
/// client that sends one byte of its request every few seconds (slowloris) would hold a worker
/// for as long as it likes. The gate accepts every connection itself, waits for the request head
/// for at most `head`, passes the request on to oxhttp with `Connection: close` (one request per
/// connection, so every request meets this deadline), relays the answer, and cuts the connection
/// when it is silent for `silence` while sending or has lived for `total`.
mod gate {
    use std::io::{ErrorKind, Read, Write};
    use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::thread;
    use std::time::{Duration, Instant};

    /// Connections served at once; more are answered 503 at once rather than queued.
    pub const MAX_CONNECTIONS: usize = 256;
    /// The largest request head accepted (oxhttp's own limit is 8 KiB of headers).
    const MAX_HEAD: usize = 16 * 1024;

    #[derive(Debug, Clone, Copy)]
    pub struct Limits {
        /// From connection to the end of the request head.
        pub head: Duration,
        /// The longest a client may stay silent while sending its body or reading the answer.
        pub silence: Duration,
        /// The longest a connection lives.
        pub total: Duration,
        /// How long the server may take to start answering (the query time limit and a margin).
        pub answer: Duration,
        /// A request announcing a larger body is answered 413 before any of it is read.
        pub max_body: u64,
    }

    pub fn serve(listener: TcpListener, backend: SocketAddr, limits: Limits) {
        let active = Arc::new(AtomicUsize::new(0));
        for client in listener.incoming().flatten() {
            if active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                active.fetch_sub(1, Ordering::SeqCst);
                refuse(client, "503 Service Unavailable", "too many connections; try again shortly");
                continue;
            }
            let active = Arc::clone(&active);
            let spawned = thread::Builder::new().name("newsgraph gate".into()).spawn(move || {
                relay(client, backend, limits);
                active.fetch_sub(1, Ordering::SeqCst);
            });
            if spawned.is_err() {
                // the closure, and with it the count, is gone with the failed spawn
                eprintln!("newsgraph serve: cannot start a connection thread");
            }
        }
    }

    /// Answers with an error and closes. What the client is still sending is read and dropped for
    /// a second, so its socket sees the answer rather than a reset.
    fn refuse(mut client: TcpStream, status: &str, message: &str) {
        let _ = client.set_write_timeout(Some(Duration::from_secs(1)));
        let _ = write!(
            client,
            "HTTP/1.1 {status}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{message}\n",
            message.len() + 1
        );
        let _ = client.shutdown(Shutdown::Write);
        let until = Instant::now() + Duration::from_secs(1);
        let mut sink = [0u8; 64 * 1024];
        while let Some(left) = until.checked_duration_since(Instant::now()).filter(|d| !d.is_zero()) {
            let _ = client.set_read_timeout(Some(left));
            if !matches!(client.read(&mut sink), Ok(n) if n > 0) {
                break;
            }
        }
        let _ = client.shutdown(Shutdown::Both);
    }

    fn relay(mut client: TcpStream, backend: SocketAddr, limits: Limits) {
        let started = Instant::now();
        let _ = client.set_nodelay(true);
        let Some((head, rest)) = read_head(&mut client, started + limits.head) else {
            return refuse(client, "408 Request Timeout", "the request head did not arrive in time");
        };
        // oxhttp drops a request whose target it cannot parse without a word: refuse it here
        let line = String::from_utf8_lossy(&head[..head.iter().position(|&b| b == b'\r').unwrap_or(0)]).into_owned();
        let mut parts = line.split(' ');
        let (method, target) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
        if method == "CONNECT" {
            return refuse(client, "405 Method Not Allowed", "CONNECT is not supported");
        }
        if !target.starts_with('/') && target != "*" {
            return refuse(client, "400 Bad Request", "the request target must be a path");
        }
        if content_length(&head).is_some_and(|length| length > limits.max_body) {
            let message = format!("the request body is larger than {} bytes (newsgraph serve --max-body-mb)", limits.max_body);
            return refuse(client, "413 Payload Too Large", &message);
        }
        let Ok(mut server) = TcpStream::connect_timeout(&backend, Duration::from_secs(5)) else {
            return refuse(client, "503 Service Unavailable", "the endpoint is not answering");
        };
        let _ = server.set_nodelay(true);
        let _ = server.set_write_timeout(Some(limits.answer));
        if server.write_all(&one_request(&head)).and_then(|()| server.write_all(&rest)).is_err() {
            return;
        }
        let deadline = started + limits.total;
        let (Ok(client_in), Ok(server_out)) = (client.try_clone(), server.try_clone()) else { return };
        // the body, if any, goes on in its own thread while the answer comes back in this one
        let upload = thread::Builder::new().name("newsgraph gate upload".into()).spawn(move || {
            copy_until(client_in, server_out, limits.silence, deadline, true);
        });
        // the client reads the answer: its own silence is bounded by the write timeout
        let _ = client.set_write_timeout(Some(limits.silence));
        copy_until(server, client, limits.answer, deadline, false);
        if let Ok(upload) = upload {
            let _ = upload.join();
        }
    }

    /// Reads up to the blank line that ends a request head, by `deadline`; the head and any bytes
    /// after it.
    fn read_head(client: &mut TcpStream, deadline: Instant) -> Option<(Vec<u8>, Vec<u8>)> {
        let mut buffer = Vec::with_capacity(1024);
        let mut chunk = [0u8; 4096];
        loop {
            let left = deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero())?;
            client.set_read_timeout(Some(left)).ok()?;
            let n = match client.read(&mut chunk) {
                Ok(0) => return None,
                Ok(n) => n,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => return None,
            };
            let scan_from = buffer.len().saturating_sub(3);
            buffer.extend_from_slice(&chunk[..n]);
            if let Some(end) = find(&buffer[scan_from..], b"\r\n\r\n").map(|i| scan_from + i + 4) {
                let rest = buffer.split_off(end);
                return Some((buffer, rest));
            }
            if buffer.len() > MAX_HEAD {
                return None;
            }
        }
    }

    fn content_length(head: &[u8]) -> Option<u64> {
        String::from_utf8_lossy(head).split("\r\n").find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim().eq_ignore_ascii_case("content-length").then(|| value.trim().parse().ok())?
        })
    }

    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|window| window == needle)
    }

    /// The head with its `Connection` header replaced by `Connection: close`.
    fn one_request(head: &[u8]) -> Vec<u8> {
        let text = String::from_utf8_lossy(&head[..head.len() - 2]);
        let mut out = String::with_capacity(head.len() + 20);
        for line in text.split_inclusive("\r\n") {
            let name = line.split(':').next().unwrap_or_default().trim();
            if !name.eq_ignore_ascii_case("connection") || !line.contains(':') {
                out.push_str(line);
            }
        }
        out.push_str("Connection: close\r\n\r\n");
        out.into_bytes()
    }

    /// Copies `from` to `to` until `from` ends, is silent for `silence`, or `deadline` passes; past
    /// the deadline both sockets are shut so no thread waits on them. An upload that falls silent
    /// has usually sent its whole body: it stops copying without cutting the answer.
    fn copy_until(mut from: TcpStream, mut to: TcpStream, silence: Duration, deadline: Instant, upload: bool) {
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            let Some(left) = deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero()) else {
                let _ = from.shutdown(Shutdown::Both);
                let _ = to.shutdown(Shutdown::Both);
                return;
            };
            let _ = from.set_read_timeout(Some(left.min(silence)));
            match from.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => {
                    if to.write_all(&chunk[..n]).is_err() {
                        break;
                    }
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) if upload && matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => return,
                Err(_) => break,
            }
        }
        let _ = to.shutdown(if upload { Shutdown::Write } else { Shutdown::Both });
    }
}

/// Opens the store folder, or loads RDF files into an in-memory store. Shared with `push`.
pub(crate) fn open_source(store: Option<&Path>, inputs: &[PathBuf]) -> anyhow::Result<Store> {
    if let Some(dir) = store {
        return crate::store::open(dir);
    }
    let store = crate::store::memory()?;
    for path in inputs {
        let format = path
            .extension()
            .and_then(|extension| extension.to_str())
            .and_then(RdfFormat::from_extension)
            .with_context(|| format!("{}: unknown RDF format (use .ttl, .nt, .nq, .trig, .rdf, .jsonld)", path.display()))?;
        let file = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        store
            .load_from_reader(RdfParser::from_format(format), std::io::BufReader::new(file))
            .with_context(|| format!("cannot load {}", path.display()))?;
    }
    Ok(store)
}

struct Endpoint {
    store: Store,
    /// Where queries and explorer answers are evaluated, a bounded number at a time.
    executor: Executor,
    timeout: Duration,
    /// Set with `--writable`: the secret every write must carry.
    write_token: Option<String>,
    cors: bool,
    max_body: u64,
    max_rows: usize,
    /// Whole answers of earlier queries, forgotten at every write.
    answers: AnswerCache,
}

/// An error answered to the client with its status and a plain-text reason.
struct HttpError(StatusCode, String);

impl HttpError {
    fn bad_request(message: impl Into<String>) -> Self {
        Self(StatusCode::BAD_REQUEST, message.into())
    }
    fn internal(error: impl std::fmt::Display) -> Self {
        Self(StatusCode::INTERNAL_SERVER_ERROR, error.to_string())
    }
    /// Every worker busy and the queue full: come back in a second.
    fn busy() -> Self {
        Self(StatusCode::SERVICE_UNAVAILABLE, BUSY.into())
    }
    fn read_only() -> Self {
        Self(
            StatusCode::FORBIDDEN,
            "this endpoint is read-only; start newsgraph serve with --writable and a token to accept writes".into(),
        )
    }
}

/// The challenges a write without the right token is answered with: bearer for clients that have
/// the token, basic for those that send it as a password (`newsgraph push --user`, curl -u).
const CHALLENGES: [&str; 2] = ["Bearer realm=\"newsgraph\"", "Basic realm=\"newsgraph\""];

/// The answer to a request that finds no room; with `Retry-After`.
const BUSY: &str = "the endpoint is busy (every query worker is taken and the queue is full); retry shortly (newsgraph serve --query-workers, --query-queue)";

/// Seconds an overloaded endpoint asks clients to wait before they retry.
const RETRY_AFTER_SECONDS: &str = "1";

const UNAUTHORIZED: &str = "writes need the token given to newsgraph serve: Authorization: Bearer TOKEN";

/// Methods the endpoint answers on some path; any other is refused on every path.
const METHODS: [&str; 6] = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"];

type HttpResult = Result<Response<Body>, HttpError>;

const RESULT_FORMATS: [(&str, QueryResultsFormat); 7] = [
    ("application/sparql-results+json", QueryResultsFormat::Json),
    ("application/json", QueryResultsFormat::Json),
    ("application/sparql-results+xml", QueryResultsFormat::Xml),
    ("application/xml", QueryResultsFormat::Xml),
    ("text/xml", QueryResultsFormat::Xml),
    ("text/csv", QueryResultsFormat::Csv),
    ("text/tab-separated-values", QueryResultsFormat::Tsv),
];

const GRAPH_MEDIA_TYPES: [&str; 5] =
    ["text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json", "text/plain"];

const DATASET_MEDIA_TYPES: [&str; 3] = ["application/trig", "application/n-quads", "application/ld+json"];

impl Endpoint {
    fn handle(&self, request: &mut Request<Body>) -> Response<Body> {
        let mut response = self.route(request).unwrap_or_else(|HttpError(status, message)| {
            let message_is_busy = message == BUSY;
            let mut response = Response::builder()
                .status(status)
                .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
                .body(Body::from(message + "\n"))
                .unwrap_or_default();
            *response.status_mut() = status;
            let headers = response.headers_mut();
            if status == StatusCode::UNAUTHORIZED {
                for challenge in CHALLENGES {
                    headers.append(header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
                }
            }
            if status == StatusCode::SERVICE_UNAVAILABLE && message_is_busy {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_SECONDS));
            }
            if status == StatusCode::METHOD_NOT_ALLOWED {
                headers.insert(header::ALLOW, HeaderValue::from_static("GET, HEAD, POST, PUT, DELETE, OPTIONS"));
            }
            response
        });
        if self.cors {
            let headers = response.headers_mut();
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET, POST, PUT, DELETE, HEAD, OPTIONS"),
            );
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static("Accept, Content-Type, Authorization"),
            );
        }
        if request.method() == Method::HEAD {
            *response.body_mut() = Body::empty();
        }
        response
    }

    fn route(&self, request: &mut Request<Body>) -> HttpResult {
        let path = request.uri().path().to_owned();
        let method = request.method().clone();
        if !METHODS.contains(&method.as_str()) {
            return Err(HttpError(StatusCode::METHOD_NOT_ALLOWED, format!("{method} is not supported")));
        }
        if method == Method::OPTIONS {
            return Ok(plain(StatusCode::NO_CONTENT, ""));
        }
        self.refuse_oversized_body(request)?;
        match (path.as_str(), method.as_str()) {
            (path, "GET" | "HEAD") if explorer::serves(path) => explorer::get(&self.store, &self.executor, self.timeout, request),
            ("/sparql" | "/query", "GET" | "HEAD") => {
                let parameters = url_parameters(request);
                match single(&parameters, "query")? {
                    Some(query) => self.query(&query, &parameters, request),
                    None if parameters.iter().any(|(name, _)| name == "update") => Err(HttpError(
                        StatusCode::METHOD_NOT_ALLOWED,
                        "updates must be sent with POST".into(),
                    )),
                    None => self.service_description(request),
                }
            }
            ("/sparql" | "/query" | "/update", "POST") => self.sparql_post(request),
            ("/store", _) => self.graph_store(request),
            ("/" | "/sparql" | "/query" | "/update", _) => {
                Err(HttpError(StatusCode::METHOD_NOT_ALLOWED, format!("{method} is not supported on {path}")))
            }
            (_, _) => Err(HttpError(StatusCode::NOT_FOUND, format!("no resource at {path}"))),
        }
    }

    fn sparql_post(&self, request: &mut Request<Body>) -> HttpResult {
        let content_type = media_type(request.headers().get(header::CONTENT_TYPE));
        let mut parameters = url_parameters(request);
        match content_type.as_str() {
            "application/sparql-query" => {
                let query = self.read_body_text(request)?;
                self.query(&query, &parameters, request)
            }
            "application/sparql-update" => {
                self.authorize_write(request)?;
                let update = self.read_body_text(request)?;
                self.update(&update, &parameters)
            }
            "application/x-www-form-urlencoded" => {
                let body = self.read_body_text(request)?;
                parameters.extend(form_urlencoded_pairs(body.as_bytes()));
                if let Some(query) = single(&parameters, "query")? {
                    self.query(&query, &parameters, request)
                } else if let Some(update) = single(&parameters, "update")? {
                    self.authorize_write(request)?;
                    self.update(&update, &parameters)
                } else {
                    Err(HttpError::bad_request("the form has neither a query nor an update parameter"))
                }
            }
            other => Err(HttpError(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "unsupported content type {other:?}: send application/sparql-query, application/sparql-update or application/x-www-form-urlencoded"
                ),
            )),
        }
    }

    fn query(&self, query: &str, parameters: &[(String, String)], request: &Request<Body>) -> HttpResult {
        let cancellation = CancellationToken::new();
        let mut prepared = evaluator()?
            .with_cancellation_token(cancellation.clone())
            .parse_query(query)
            .map_err(|error| HttpError::bad_request(format!("SPARQL syntax error: {error}")))?;
        let default_graphs = graph_parameters(parameters, "default-graph-uri")?;
        let named_graphs = graph_parameters(parameters, "named-graph-uri")?;
        let accept = request.headers().get(header::ACCEPT).cloned();
        let question = Question::new(
            query,
            default_graphs.iter().map(|graph| graph.as_str().to_owned()).collect(),
            named_graphs.iter().map(|graph| graph.as_str().to_owned()).collect(),
            accept.as_ref().map(|value| value.as_bytes().to_vec()),
        );
        let deadline = Instant::now() + self.timeout;
        let mut leader = None;
        if self.answers.is_enabled() {
            match self.answers.turn(&question) {
                Turn::Kept(kept) => return Ok(kept_response(kept)),
                Turn::Lead(lead) => leader = Some(lead),
                Turn::Follow(flight) => {
                    if !flight.wait(deadline) {
                        return Err(timed_out(self.timeout.as_secs()));
                    }
                    // kept unless it failed or was too large: then this asker evaluates it itself
                    if let Some(kept) = self.answers.get(&question) {
                        return Ok(kept_response(kept));
                    }
                }
            }
        }
        let keep = self.answers.is_enabled().then(|| Keep {
            cache: self.answers.clone(),
            question,
            generation: self.answers.generation(),
            _leader: leader,
        });
        let dataset = prepared.dataset_mut();
        if !default_graphs.is_empty() || !named_graphs.is_empty() {
            // The protocol's dataset overrides FROM / FROM NAMED of the query.
            dataset.set_default_graph(default_graphs.into_iter().map(GraphName::from).collect());
            dataset.set_available_named_graphs(named_graphs.into_iter().map(NamedOrBlankNode::from).collect());
        } else if dataset.is_default_dataset() {
            dataset.set_default_graph_as_union();
        }
        // Evaluation runs on a worker so the client gets its answer when time is up even when the
        // evaluation is slow to notice the cancellation (Oxigraph checks it when it reads the store,
        // not inside in-memory joins and aggregates), and so only a bounded number run at once.
        let store = self.store.clone();
        let limit_seconds = self.timeout.as_secs();
        let max_rows = self.max_rows;
        let evaluation_token = cancellation.clone();
        let (sender, receiver) = mpsc::sync_channel(PIECES_IN_FLIGHT);
        self.executor
            .try_run(move || {
                if evaluation_token.is_cancelled() {
                    // its time ran out while it waited for a worker; the client has its 503
                    return;
                }
                let limits = Limits { cancellation: &evaluation_token, seconds: limit_seconds, rows: max_rows };
                if let Err(error) = evaluate(prepared, &store, accept.as_ref(), &limits, &sender) {
                    // the receiver is gone only when the client has already been answered
                    let _ = sender.send(Piece::Failed(error));
                }
            })
            .map_err(|executor::Busy| HttpError::busy())?;
        Stream { receiver, deadline, cancellation, limit_seconds }.respond(keep)
    }

    fn update(&self, update: &str, parameters: &[(String, String)]) -> HttpResult {
        let mut prepared = evaluator()?
            .parse_update(update)
            .map_err(|error| HttpError::bad_request(format!("SPARQL syntax error: {error}")))?;
        let default_graphs = graph_parameters(parameters, "using-graph-uri")?;
        let named_graphs = graph_parameters(parameters, "using-named-graph-uri")?;
        if !default_graphs.is_empty() || !named_graphs.is_empty() {
            for dataset in prepared.using_datasets_mut() {
                dataset.set_default_graph(default_graphs.iter().cloned().map(GraphName::from).collect());
                dataset.set_available_named_graphs(
                    named_graphs.iter().cloned().map(NamedOrBlankNode::from).collect(),
                );
            }
        }
        let executed = prepared.on_store(&self.store).execute();
        // even a failed update may have been partly applied
        self.answers.forget_all();
        executed.map_err(|error| HttpError::internal(format!("update failed: {error}")))?;
        Ok(plain(StatusCode::NO_CONTENT, ""))
    }

    fn graph_store(&self, request: &mut Request<Body>) -> HttpResult {
        let writes = matches!(request.method().as_str(), "PUT" | "POST" | "DELETE");
        if !writes {
            return self.graph_store_answer(request);
        }
        self.authorize_write(request)?;
        let answer = self.graph_store_answer(request);
        self.answers.forget_all();
        answer
    }

    fn graph_store_answer(&self, request: &mut Request<Body>) -> HttpResult {
        let parameters = url_parameters(request);
        let target = graph_store_target(&parameters)?;
        match (request.method().as_str(), target) {
            ("GET" | "HEAD", Some(graph)) => {
                if let GraphName::NamedNode(name) = &graph {
                    if !self.store.contains_named_graph(name).map_err(HttpError::internal)? {
                        return Err(HttpError(StatusCode::NOT_FOUND, format!("no graph {name}")));
                    }
                }
                let triples = self
                    .store
                    .quads_for_pattern(None, None, None, Some(graph.as_ref()))
                    .map(|quad| quad.map(Triple::from))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(HttpError::internal)?;
                graph_response(&triples, request.headers().get(header::ACCEPT))
            }
            ("GET" | "HEAD", None) => {
                let media_type = negotiate(
                    request.headers().get(header::ACCEPT),
                    &DATASET_MEDIA_TYPES,
                    "application/trig",
                )?;
                let format = RdfFormat::from_media_type(media_type).ok_or_else(|| HttpError::internal("no format"))?;
                let bytes = self
                    .store
                    .dump_to_writer(RdfSerializer::from_format(format), Vec::new())
                    .map_err(HttpError::internal)?;
                Ok(with_type(Response::new(Body::from(bytes)), media_type))
            }
            ("PUT" | "POST", None) => Err(HttpError::bad_request("name the graph with ?graph=IRI or ?default")),
            ("PUT" | "POST", Some(graph)) => {
                let content_type = media_type(request.headers().get(header::CONTENT_TYPE));
                let format = RdfFormat::from_media_type(&content_type).ok_or_else(|| {
                    HttpError(StatusCode::UNSUPPORTED_MEDIA_TYPE, format!("cannot parse RDF of type {content_type:?}"))
                })?;
                let body = self.read_body(request)?;
                let existed = match &graph {
                    GraphName::NamedNode(name) => self.store.contains_named_graph(name).map_err(HttpError::internal)?,
                    _ => true,
                };
                let mut transaction = self.store.start_transaction().map_err(HttpError::internal)?;
                if request.method() == Method::PUT {
                    transaction.clear_graph(graph.as_ref()).map_err(HttpError::internal)?;
                }
                if let GraphName::NamedNode(name) = &graph {
                    transaction.insert_named_graph(name);
                }
                let parser = RdfParser::from_format(format).with_default_graph(graph.clone());
                transaction
                    .load_from_reader(parser.without_named_graphs(), body.as_slice())
                    .map_err(|error| HttpError::bad_request(format!("cannot parse the body: {error}")))?;
                transaction.commit().map_err(HttpError::internal)?;
                Ok(plain(if existed { StatusCode::NO_CONTENT } else { StatusCode::CREATED }, ""))
            }
            ("DELETE", Some(GraphName::NamedNode(name))) => {
                if !self.store.contains_named_graph(&name).map_err(HttpError::internal)? {
                    return Err(HttpError(StatusCode::NOT_FOUND, format!("no graph {name}")));
                }
                self.store.remove_named_graph(&name).map_err(HttpError::internal)?;
                Ok(plain(StatusCode::NO_CONTENT, ""))
            }
            ("DELETE", Some(graph)) => {
                self.store.clear_graph(graph.as_ref()).map_err(HttpError::internal)?;
                Ok(plain(StatusCode::NO_CONTENT, ""))
            }
            ("DELETE", None) => Err(HttpError::bad_request("name the graph with ?graph=IRI or ?default")),
            (method, _) => Err(HttpError(StatusCode::METHOD_NOT_ALLOWED, format!("{method} is not supported on /store"))),
        }
    }

    fn service_description(&self, request: &Request<Body>) -> HttpResult {
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|host| host.to_str().ok())
            .unwrap_or("localhost");
        let update = if self.write_token.is_some() { ", sd:SPARQL11Update" } else { "" };
        let description = format!(
            "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix format: <http://www.w3.org/ns/formats/> .
<http://{host}/sparql> a sd:Service ;
  sd:endpoint <http://{host}/sparql> ;
  sd:supportedLanguage sd:SPARQL11Query{update} ;
  sd:feature sd:UnionDefaultGraph, sd:BasicFederatedQuery ;
  sd:resultFormat format:SPARQL_Results_JSON, format:SPARQL_Results_XML, format:SPARQL_Results_CSV,
    format:SPARQL_Results_TSV, format:Turtle, format:N-Triples, format:RDF_XML, format:JSON-LD ;
  sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .
"
        );
        let triples = RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(description.as_bytes())
            .map(|quad| quad.map(Triple::from))
            .collect::<Result<Vec<_>, _>>()
            .map_err(HttpError::internal)?;
        graph_response(&triples, request.headers().get(header::ACCEPT))
    }

    /// Refuses a write unless the endpoint is writable and the request carries its token.
    fn authorize_write(&self, request: &Request<Body>) -> Result<(), HttpError> {
        let Some(token) = &self.write_token else {
            return Err(HttpError::read_only());
        };
        let given = request.headers().get(header::AUTHORIZATION).and_then(|value| value.to_str().ok()).and_then(presented_token);
        match given {
            Some(given) if same_secret(given.as_bytes(), token.as_bytes()) => Ok(()),
            _ => Err(HttpError(StatusCode::UNAUTHORIZED, UNAUTHORIZED.into())),
        }
    }

    /// A body announced larger than the limit is refused before a byte of it is read.
    fn refuse_oversized_body(&self, request: &Request<Body>) -> Result<(), HttpError> {
        let announced = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok());
        match announced {
            Some(length) if length > self.max_body => Err(too_large(self.max_body)),
            _ => Ok(()),
        }
    }

    fn read_body(&self, request: &mut Request<Body>) -> Result<Vec<u8>, HttpError> {
        let mut bytes = Vec::new();
        request
            .body_mut()
            .take(self.max_body.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|error| HttpError::bad_request(format!("cannot read the request body: {error}")))?;
        if bytes.len() as u64 > self.max_body {
            return Err(too_large(self.max_body));
        }
        Ok(bytes)
    }

    fn read_body_text(&self, request: &mut Request<Body>) -> Result<String, HttpError> {
        String::from_utf8(self.read_body(request)?)
            .map_err(|_| HttpError::bad_request("the request body is not UTF-8"))
    }
}

fn too_large(max_body: u64) -> HttpError {
    HttpError(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("the request body is larger than {max_body} bytes (newsgraph serve --max-body-mb)"),
    )
}

/// The secret of an `Authorization` header: `Bearer TOKEN`, or the password of `Basic user:TOKEN`.
fn presented_token(authorization: &str) -> Option<String> {
    use base64::Engine;
    let (scheme, rest) = authorization.trim().split_once(' ')?;
    if scheme.eq_ignore_ascii_case("bearer") {
        return Some(rest.trim().to_string());
    }
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = base64::engine::general_purpose::STANDARD.decode(rest.trim()).ok()?;
        let decoded = String::from_utf8(decoded).ok()?;
        return decoded.split_once(':').map(|(_, password)| password.to_string());
    }
    None
}

/// Compares secrets in time that depends on their lengths only, not on where they differ.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len() && given.iter().zip(expected).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// An evaluator that knows the vocabulary's prefixes, as `newsgraph query` does.
fn evaluator() -> Result<SparqlEvaluator, HttpError> {
    let mut evaluator = SparqlEvaluator::new();
    for (prefix, iri) in vocab::PREFIXES {
        evaluator = evaluator.with_prefix(*prefix, *iri).map_err(HttpError::internal)?;
    }
    Ok(evaluator)
}

/// What one evaluation may spend: time (through the token) and rows.
struct Limits<'a> {
    cancellation: &'a CancellationToken,
    seconds: u64,
    rows: usize,
}

/// Evaluates on a worker, sending the answer in pieces: `Start`, `Bytes`…, `End` (an error is
/// returned and sent by the caller). The pieces wait in a channel of `PIECES_IN_FLIGHT`, so a slow
/// reader holds back the evaluation rather than filling memory.
fn evaluate(
    prepared: PreparedSparqlQuery,
    store: &Store,
    accept: Option<&HeaderValue>,
    limits: &Limits<'_>,
    sender: &SyncSender<Piece>,
) -> Result<(), HttpError> {
    let limit_seconds = limits.seconds;
    // Oxigraph checks the token when it reads the store; rows made from memory alone (a cross
    // product) are checked here, so a runaway answer stops growing.
    let mut rows = 0usize;
    let mut alive = || {
        rows += 1;
        if limits.cancellation.is_cancelled() {
            Err(timed_out(limit_seconds))
        } else if rows > limits.rows {
            Err(too_many_rows(limits.rows))
        } else {
            Ok(())
        }
    };
    let failed = |error: QueryEvaluationError| match error {
        QueryEvaluationError::Cancelled => timed_out(limit_seconds),
        other => HttpError::internal(format!("query evaluation failed: {other}")),
    };
    // a write error is the client gone (or the stream broken off): nobody reads what follows
    let gone = |error: std::io::Error| HttpError::internal(format!("the answer was not delivered: {error}"));
    let start = |media_type: &'static str| {
        sender.send(Piece::Start(media_type)).map_err(|_| HttpError::internal("the client is gone"))?;
        Ok::<_, HttpError>(PieceWriter { buffer: Vec::with_capacity(PIECE_BYTES), sender: sender.clone() })
    };
    let writer = match prepared.on_store(store).execute().map_err(failed)? {
        QueryResults::Solutions(solutions) => {
            let (media_type, format) = negotiate_results(accept)?;
            let mut serializer = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(start(media_type)?, solutions.variables().to_vec())
                .map_err(gone)?;
            for solution in solutions {
                alive()?;
                serializer.serialize(&solution.map_err(failed)?).map_err(gone)?;
            }
            serializer.finish().map_err(gone)?
        }
        QueryResults::Boolean(value) => {
            let (media_type, format) = negotiate_results(accept)?;
            QueryResultsSerializer::from_format(format)
                .serialize_boolean_to_writer(start(media_type)?, value)
                .map_err(gone)?
        }
        QueryResults::Graph(triples) => {
            let (media_type, format) = negotiate_graph(accept)?;
            let mut serializer = RdfSerializer::from_format(format).for_writer(start(media_type)?);
            for triple in triples {
                alive()?;
                serializer.serialize_triple(&triple.map_err(failed)?).map_err(gone)?;
            }
            serializer.finish().map_err(gone)?
        }
    };
    writer.end().map_err(gone)
}

/// How many bytes a worker gathers before it sends them on.
const PIECE_BYTES: usize = 64 * 1024;
/// Pieces sent and not yet read by the connection's thread.
const PIECES_IN_FLIGHT: usize = 4;
/// Answers up to this size are held whole before the first byte is sent, so their status is
/// exact (507, 503); a longer one is streamed with 200 and, if it fails later, broken off.
const HELD_BYTES: usize = 1024 * 1024;

/// A piece of an answer, from the worker to the connection's thread.
enum Piece {
    /// The evaluation has started to answer, in this media type.
    Start(&'static str),
    Bytes(Vec<u8>),
    End,
    Failed(HttpError),
}

/// The worker's end of an answer: bytes gathered into pieces of `PIECE_BYTES`.
struct PieceWriter {
    buffer: Vec<u8>,
    sender: SyncSender<Piece>,
}

impl PieceWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let bytes = std::mem::replace(&mut self.buffer, Vec::with_capacity(PIECE_BYTES));
        self.sender
            .send(Piece::Bytes(bytes))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client is gone"))
    }

    fn end(mut self) -> std::io::Result<()> {
        self.send()?;
        self.sender
            .send(Piece::End)
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client is gone"))
    }
}

impl std::io::Write for PieceWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= PIECE_BYTES {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        // pieces go when full or at the end; the serializers' flushes would only make them small
        Ok(())
    }
}

/// The connection's end of an answer: its pieces as they come, until the deadline. Dropping it
/// (answer sent, client gone, HEAD) cancels the evaluation if it still runs.
struct Stream {
    receiver: Receiver<Piece>,
    deadline: Instant,
    cancellation: CancellationToken,
    limit_seconds: u64,
}

impl Stream {
    fn next(&self) -> Result<Piece, HttpError> {
        match self.receiver.recv_timeout(self.deadline.saturating_duration_since(Instant::now())) {
            Ok(piece) => Ok(piece),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                self.cancellation.cancel();
                Err(timed_out(self.limit_seconds))
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                Err(HttpError::internal("the query evaluation stopped without an answer"))
            }
        }
    }

    /// The response: whole when the answer ends within `HELD_BYTES`, else streamed; a whole
    /// answer is kept in the cache when `keep` says so.
    fn respond(self, keep: Option<Keep>) -> HttpResult {
        let media_type = match self.next()? {
            Piece::Start(media_type) => media_type,
            Piece::Failed(error) => return Err(error),
            Piece::Bytes(_) | Piece::End => return Err(HttpError::internal("an answer without a start")),
        };
        let mut held = Vec::new();
        while held.len() <= HELD_BYTES {
            match self.next()? {
                Piece::Bytes(bytes) => held.extend_from_slice(&bytes),
                Piece::End => {
                    if let Some(keep) = keep {
                        keep.cache.keep(keep.question, keep.generation, held.clone(), media_type);
                    }
                    return Ok(with_type(Response::new(Body::from(held)), media_type));
                }
                Piece::Failed(error) => return Err(error),
                Piece::Start(_) => return Err(HttpError::internal("an answer started twice")),
            }
        }
        let keeping = keep.filter(|keep| held.len() <= keep.cache.largest()).map(|keep| (keep, held.clone(), media_type));
        let body = StreamedBody { stream: self, pending: held, position: 0, ended: false, keeping };
        Ok(with_type(Response::new(Body::from_read(body)), media_type))
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        self.cancellation.cancel();
    }
}

/// A streamed answer as oxhttp reads it (chunked transfer). A failure after the first byte (too
/// many rows, the time limit) is a read error: oxhttp then closes the connection without the last
/// chunk, so the client sees an incomplete answer rather than a short one that looks whole.
struct StreamedBody {
    stream: Stream,
    pending: Vec<u8>,
    position: usize,
    ended: bool,
    /// The answer so far, while it is small enough to be kept whole.
    keeping: Option<(Keep, Vec<u8>, &'static str)>,
}

/// Where a whole answer goes once it is complete.
struct Keep {
    cache: AnswerCache,
    question: Question,
    /// The cache's generation when the evaluation started.
    generation: u64,
    /// Held until the answer is kept or given up, so askers of the same question wait till then.
    _leader: Option<Leader>,
}

/// A kept answer as a response, as with answers evaluated now: a short one whole, with its
/// length; a long one read from the kept bytes in chunks, so clients asking at once do not each
/// copy it.
fn kept_response(kept: Kept) -> Response<Body> {
    let body = if kept.body.len() <= HELD_BYTES {
        Body::from(kept.body.to_vec())
    } else {
        Body::from_read(std::io::Cursor::new(kept.body))
    };
    with_type(Response::new(body), kept.media_type)
}

impl Read for StreamedBody {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.position < self.pending.len() {
                let n = out.len().min(self.pending.len() - self.position);
                out[..n].copy_from_slice(&self.pending[self.position..self.position + n]);
                self.position += n;
                return Ok(n);
            }
            if self.ended {
                return Ok(0);
            }
            let failure = match self.stream.next() {
                Ok(Piece::Bytes(bytes)) => {
                    if let Some((keep, so_far, _)) = &mut self.keeping {
                        if so_far.len() + bytes.len() <= keep.cache.largest() {
                            so_far.extend_from_slice(&bytes);
                        } else {
                            self.keeping = None;
                        }
                    }
                    self.pending = bytes;
                    self.position = 0;
                    continue;
                }
                Ok(Piece::End) => {
                    self.ended = true;
                    if let Some((keep, whole, media_type)) = self.keeping.take() {
                        keep.cache.keep(keep.question, keep.generation, whole, media_type);
                    }
                    return Ok(0);
                }
                Ok(Piece::Failed(HttpError(_, message))) | Err(HttpError(_, message)) => message,
                Ok(Piece::Start(_)) => "an answer started twice".to_owned(),
            };
            eprintln!("newsgraph serve: a streamed answer was broken off: {failure}");
            return Err(std::io::Error::other(failure));
        }
    }
}

/// A serialized answer and its media type.
type Answer = (Vec<u8>, &'static str);

fn too_many_rows(max_rows: usize) -> HttpError {
    HttpError(
        StatusCode::INSUFFICIENT_STORAGE,
        format!("the answer has more than {max_rows} rows, the limit of this endpoint (newsgraph serve --max-rows); add LIMIT and page with OFFSET"),
    )
}

fn timed_out(limit_seconds: u64) -> HttpError {
    HttpError(
        StatusCode::SERVICE_UNAVAILABLE,
        format!("query cancelled: it ran longer than the {limit_seconds} s limit"),
    )
}

fn graph_response(triples: &[Triple], accept: Option<&HeaderValue>) -> HttpResult {
    let (bytes, media_type) = serialize_graph(triples, accept)?;
    Ok(with_type(Response::new(Body::from(bytes)), media_type))
}

fn negotiate_graph(accept: Option<&HeaderValue>) -> Result<(&'static str, RdfFormat), HttpError> {
    let media_type = negotiate(accept, &GRAPH_MEDIA_TYPES, "text/turtle")?;
    // text/plain is what older clients ask for when they mean N-Triples.
    let format = if media_type == "text/plain" {
        RdfFormat::NTriples
    } else {
        RdfFormat::from_media_type(media_type).ok_or_else(|| HttpError::internal("no format"))?
    };
    Ok((media_type, format))
}

fn serialize_graph(triples: &[Triple], accept: Option<&HeaderValue>) -> Result<Answer, HttpError> {
    let (media_type, format) = negotiate_graph(accept)?;
    let mut serializer = RdfSerializer::from_format(format).for_writer(Vec::new());
    for triple in triples {
        serializer.serialize_triple(triple).map_err(HttpError::internal)?;
    }
    Ok((serializer.finish().map_err(HttpError::internal)?, media_type))
}

fn negotiate_results(accept: Option<&HeaderValue>) -> Result<(&'static str, QueryResultsFormat), HttpError> {
    let media_types = RESULT_FORMATS.map(|(media_type, _)| media_type);
    let media_type = negotiate(accept, &media_types, "application/sparql-results+json")?;
    RESULT_FORMATS
        .iter()
        .find(|(candidate, _)| *candidate == media_type)
        .map(|(media_type, format)| (*media_type, *format))
        .ok_or_else(|| HttpError::internal("no format"))
}

/// Picks the offered media type the client prefers (RFC 9110 Accept with q-values and wildcards).
fn negotiate<'a>(
    accept: Option<&HeaderValue>,
    offered: &[&'a str],
    default: &'a str,
) -> Result<&'a str, HttpError> {
    let Some(accept) = accept.and_then(|accept| accept.to_str().ok()).filter(|a| !a.trim().is_empty()) else {
        return Ok(default);
    };
    let mut best: Option<(f32, usize, &'a str)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let range_type = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let quality = parts
            .filter_map(|parameter| parameter.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if quality <= 0.0 {
            continue;
        }
        let candidate = if range_type == "*/*" {
            Some((2, default))
        } else if let Some(main_type) = range_type.strip_suffix("/*") {
            let prefix = format!("{main_type}/");
            let matching = if default.starts_with(&prefix) {
                Some(default)
            } else {
                offered.iter().copied().find(|offer| offer.starts_with(&prefix))
            };
            matching.map(|offer| (1, offer))
        } else {
            offered.iter().copied().find(|offer| *offer == range_type).map(|offer| (0, offer))
        };
        // Higher quality wins; at equal quality a specific type beats a wildcard.
        if let Some((specificity, offer)) = candidate {
            let better = match best {
                None => true,
                Some((best_quality, best_specificity, _)) => {
                    quality > best_quality || (quality == best_quality && specificity < best_specificity)
                }
            };
            if better {
                best = Some((quality, specificity, offer));
            }
        }
    }
    best.map(|(_, _, offer)| offer).ok_or_else(|| {
        HttpError(
            StatusCode::NOT_ACCEPTABLE,
            format!("cannot answer in any of {accept:?}; available: {}", offered.join(", ")),
        )
    })
}

fn graph_store_target(parameters: &[(String, String)]) -> Result<Option<GraphName>, HttpError> {
    let graph = single(parameters, "graph")?;
    let default = parameters.iter().any(|(name, _)| name == "default");
    match (graph, default) {
        (Some(_), true) => Err(HttpError::bad_request("give either ?graph=IRI or ?default, not both")),
        (Some(iri), false) => NamedNode::new(iri.clone())
            .map(|node| Some(GraphName::NamedNode(node)))
            .map_err(|error| HttpError::bad_request(format!("invalid graph IRI {iri:?}: {error}"))),
        (None, true) => Ok(Some(GraphName::DefaultGraph)),
        (None, false) => Ok(None),
    }
}

fn graph_parameters(parameters: &[(String, String)], name: &str) -> Result<Vec<NamedNode>, HttpError> {
    parameters
        .iter()
        .filter(|(key, _)| key == name)
        .map(|(_, iri)| {
            NamedNode::new(iri.clone())
                .map_err(|error| HttpError::bad_request(format!("invalid {name} {iri:?}: {error}")))
        })
        .collect()
}

fn single(parameters: &[(String, String)], name: &str) -> Result<Option<String>, HttpError> {
    let mut values = parameters.iter().filter(|(key, _)| key == name).map(|(_, value)| value);
    let first = values.next().cloned();
    if values.next().is_some() {
        return Err(HttpError::bad_request(format!("the {name} parameter is given more than once")));
    }
    Ok(first)
}

fn url_parameters(request: &Request<Body>) -> Vec<(String, String)> {
    request.uri().query().map(|query| form_urlencoded_pairs(query.as_bytes())).unwrap_or_default()
}

/// Decodes `application/x-www-form-urlencoded` (also the URL query syntax).
fn form_urlencoded_pairs(input: &[u8]) -> Vec<(String, String)> {
    input
        .split(|byte| *byte == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let mut parts = pair.splitn(2, |byte| *byte == b'=');
            let name = percent_decode(parts.next().unwrap_or_default());
            let value = percent_decode(parts.next().unwrap_or_default());
            (name, value)
        })
        .collect()
}

fn percent_decode(input: &[u8]) -> String {
    let mut bytes = Vec::with_capacity(input.len());
    let mut index = 0;
    while index < input.len() {
        match input[index] {
            b'+' => bytes.push(b' '),
            b'%' => match (input.get(index + 1).and_then(hex_value), input.get(index + 2).and_then(hex_value)) {
                (Some(high), Some(low)) => {
                    bytes.push(high * 16 + low);
                    index += 2;
                }
                _ => bytes.push(b'%'),
            },
            other => bytes.push(other),
        }
        index += 1;
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn hex_value(byte: &u8) -> Option<u8> {
    (*byte as char).to_digit(16).map(|digit| digit as u8)
}

fn media_type(value: Option<&HeaderValue>) -> String {
    value
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn with_type(mut response: Response<Body>, media_type: &'static str) -> Response<Body> {
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    if media_type != "text/html; charset=utf-8" {
        // The answer depends on Accept; caches must know.
        response.headers_mut().insert(header::VARY, HeaderValue::from_static("Accept"));
    }
    response
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = status;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_decoding_handles_plus_percent_and_broken_escapes() {
        let pairs = form_urlencoded_pairs(b"query=SELECT+%3Fs%20WHERE&x=%zz&y=%4");
        assert_eq!(pairs[0], ("query".into(), "SELECT ?s WHERE".into()));
        assert_eq!(pairs[1], ("x".into(), "%zz".into()));
        assert_eq!(pairs[2], ("y".into(), "%4".into()));
    }

    #[test]
    fn negotiation_honours_quality_and_wildcards() {
        let offered = ["text/turtle", "application/n-triples"];
        let pick = |accept: &str| {
            negotiate(Some(&HeaderValue::from_str(accept).unwrap()), &offered, "text/turtle")
        };
        assert_eq!(pick("application/n-triples").ok(), Some("application/n-triples"));
        assert_eq!(pick("text/turtle;q=0.5, application/n-triples").ok(), Some("application/n-triples"));
        assert_eq!(pick("*/*;q=0.1, application/n-triples;q=0.2").ok(), Some("application/n-triples"));
        assert_eq!(pick("*/*").ok(), Some("text/turtle"));
        assert_eq!(pick("application/*").ok(), Some("application/n-triples"));
        assert!(pick("image/png").is_err());
        assert!(pick("text/turtle;q=0").is_err());
    }
}
