//! The SPARQL 1.1 Protocol endpoint over a store.
//!
//! Routes:
//! - `/`, `/entity`, `/network`, `/timeline`, `/editor`, `/api/…`, `/assets/…` — the explorer
//!   (`serve/explorer.rs`): pages for people who would rather look than write SPARQL;
//! - `/sparql` (alias `/query`) — SPARQL 1.1 Protocol query by GET and POST; a GET without `query`
//!   returns the service description; updates (`update=` or `application/sparql-update`) only with
//!   `--allow-update`;
//! - `/store` — SPARQL 1.1 Graph Store Protocol (`?graph=IRI`, `?default`, or neither for the whole
//!   dataset); writes only with `--allow-update`.
//!
//! The default graph of a query is the union of all graphs (each article is its own named graph), unless
//! the query has `FROM` or the request names `default-graph-uri` / `named-graph-uri`.

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
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

mod explorer;

/// Options of `newsgraph serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The store folder (RocksDB) to serve.
    #[arg(long, value_name = "DIR", required_unless_present = "input", conflicts_with = "input")]
    pub store: Option<PathBuf>,
    /// RDF files to serve from an in-memory store instead (format from the extension).
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub input: Vec<PathBuf>,
    /// Address to listen on; loopback unless told otherwise.
    #[arg(long, default_value = "127.0.0.1:7878")]
    pub bind: String,
    /// Seconds a query may run before the server cancels it.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// Accept SPARQL Update and Graph Store Protocol writes (read-only otherwise).
    #[arg(long)]
    pub allow_update: bool,
    /// Send CORS headers so pages from other origins may query the endpoint.
    #[arg(long)]
    pub cors: bool,
    /// Largest request body accepted, in megabytes.
    #[arg(long, default_value_t = 64)]
    pub max_body_mb: u64,
}

pub fn run(args: ServeArgs) -> anyhow::Result<()> {
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
            if args.allow_update { ", with updates allowed" } else { "" }
        );
    }
    let endpoint = Arc::new(Endpoint {
        store,
        timeout: Duration::from_secs(args.timeout),
        allow_update: args.allow_update,
        cors: args.cors,
        max_body: args.max_body_mb.saturating_mul(1024 * 1024),
    });
    let mut server = oxhttp::Server::new(move |request| endpoint.handle(request))
        .with_server_name(concat!("newsgraph/", env!("CARGO_PKG_VERSION")))
        .context("invalid server name")?
        // Bounds how long a client may take to send its request or read the response.
        .with_global_timeout(Duration::from_secs(args.timeout.saturating_add(30)))
        .with_max_concurrent_connections(128);
    for address in &addresses {
        server = server.bind(*address);
    }
    let listening = server.spawn().with_context(|| format!("cannot listen on {}", args.bind))?;
    eprintln!(
        "newsgraph serve: http://{}/ (SPARQL endpoint /sparql, graph store /store){}",
        args.bind,
        if args.allow_update { ", updates allowed" } else { ", read-only" }
    );
    listening.join().context("server stopped")?;
    Ok(())
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
    timeout: Duration,
    allow_update: bool,
    cors: bool,
    max_body: u64,
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
    fn read_only() -> Self {
        Self(
            StatusCode::FORBIDDEN,
            "this endpoint is read-only; start newsgraph serve with --allow-update to accept writes".into(),
        )
    }
}

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
            let mut response = Response::builder()
                .status(status)
                .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
                .body(Body::from(message + "\n"))
                .unwrap_or_default();
            *response.status_mut() = status;
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
        if method == Method::OPTIONS {
            return Ok(plain(StatusCode::NO_CONTENT, ""));
        }
        match (path.as_str(), method.as_str()) {
            (path, "GET" | "HEAD") if explorer::serves(path) => explorer::get(&self.store, self.timeout, request),
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
                let update = self.read_body_text(request)?;
                self.update(&update, &parameters)
            }
            "application/x-www-form-urlencoded" => {
                let body = self.read_body_text(request)?;
                parameters.extend(form_urlencoded_pairs(body.as_bytes()));
                if let Some(query) = single(&parameters, "query")? {
                    self.query(&query, &parameters, request)
                } else if let Some(update) = single(&parameters, "update")? {
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
        let dataset = prepared.dataset_mut();
        if !default_graphs.is_empty() || !named_graphs.is_empty() {
            // The protocol's dataset overrides FROM / FROM NAMED of the query.
            dataset.set_default_graph(default_graphs.into_iter().map(GraphName::from).collect());
            dataset.set_available_named_graphs(named_graphs.into_iter().map(NamedOrBlankNode::from).collect());
        } else if dataset.is_default_dataset() {
            dataset.set_default_graph_as_union();
        }
        // Evaluation runs on its own thread so the client gets its answer when time is up even when
        // the evaluation is slow to notice the cancellation (Oxigraph checks it when it reads the store,
        // not inside in-memory joins and aggregates).
        let accept = request.headers().get(header::ACCEPT).cloned();
        let store = self.store.clone();
        let limit_seconds = self.timeout.as_secs();
        let evaluation_token = cancellation.clone();
        let (sender, receiver) = mpsc::channel();
        thread::Builder::new()
            .name("newsgraph query".into())
            .spawn(move || {
                // The receiver is gone only when the handler has already answered 503.
                let _ = sender.send(evaluate(prepared, &store, accept.as_ref(), &evaluation_token, limit_seconds));
            })
            .map_err(HttpError::internal)?;
        let (bytes, media_type) = match receiver.recv_timeout(self.timeout) {
            Ok(answer) => answer?,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                cancellation.cancel();
                receiver.recv_timeout(Duration::from_secs(1)).unwrap_or_else(|_| Err(timed_out(limit_seconds)))?
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(HttpError::internal("the query evaluation stopped without an answer"))
            }
        };
        Ok(with_type(Response::new(Body::from(bytes)), media_type))
    }

    fn update(&self, update: &str, parameters: &[(String, String)]) -> HttpResult {
        if !self.allow_update {
            return Err(HttpError::read_only());
        }
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
        prepared
            .on_store(&self.store)
            .execute()
            .map_err(|error| HttpError::internal(format!("update failed: {error}")))?;
        Ok(plain(StatusCode::NO_CONTENT, ""))
    }

    fn graph_store(&self, request: &mut Request<Body>) -> HttpResult {
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
            ("PUT" | "POST" | "DELETE", _) if !self.allow_update => Err(HttpError::read_only()),
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
        let update = if self.allow_update { ", sd:SPARQL11Update" } else { "" };
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

    fn read_body(&self, request: &mut Request<Body>) -> Result<Vec<u8>, HttpError> {
        let mut bytes = Vec::new();
        request
            .body_mut()
            .take(self.max_body.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|error| HttpError::bad_request(format!("cannot read the request body: {error}")))?;
        if bytes.len() as u64 > self.max_body {
            return Err(HttpError(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the request body is larger than {} bytes", self.max_body),
            ));
        }
        Ok(bytes)
    }

    fn read_body_text(&self, request: &mut Request<Body>) -> Result<String, HttpError> {
        String::from_utf8(self.read_body(request)?)
            .map_err(|_| HttpError::bad_request("the request body is not UTF-8"))
    }
}

/// An evaluator that knows the vocabulary's prefixes, as `newsgraph query` does.
fn evaluator() -> Result<SparqlEvaluator, HttpError> {
    let mut evaluator = SparqlEvaluator::new();
    for (prefix, iri) in vocab::PREFIXES {
        evaluator = evaluator.with_prefix(*prefix, *iri).map_err(HttpError::internal)?;
    }
    Ok(evaluator)
}

fn evaluate(
    prepared: PreparedSparqlQuery,
    store: &Store,
    accept: Option<&HeaderValue>,
    cancellation: &CancellationToken,
    limit_seconds: u64,
) -> Result<Answer, HttpError> {
    // Oxigraph checks the token when it reads the store; rows made from memory alone (a cross
    // product) are checked here, so a runaway answer stops growing.
    let alive = || if cancellation.is_cancelled() { Err(timed_out(limit_seconds)) } else { Ok(()) };
    let failed = |error: QueryEvaluationError| match error {
        QueryEvaluationError::Cancelled => timed_out(limit_seconds),
        other => HttpError::internal(format!("query evaluation failed: {other}")),
    };
    match prepared.on_store(store).execute().map_err(failed)? {
        QueryResults::Solutions(solutions) => {
            let (media_type, format) = negotiate_results(accept)?;
            let mut serializer = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(Vec::new(), solutions.variables().to_vec())
                .map_err(HttpError::internal)?;
            for solution in solutions {
                alive()?;
                serializer.serialize(&solution.map_err(failed)?).map_err(HttpError::internal)?;
            }
            Ok((serializer.finish().map_err(HttpError::internal)?, media_type))
        }
        QueryResults::Boolean(value) => {
            let (media_type, format) = negotiate_results(accept)?;
            let bytes = QueryResultsSerializer::from_format(format)
                .serialize_boolean_to_writer(Vec::new(), value)
                .map_err(HttpError::internal)?;
            Ok((bytes, media_type))
        }
        QueryResults::Graph(triples) => {
            let mut collected = Vec::new();
            for triple in triples {
                alive()?;
                collected.push(triple.map_err(failed)?);
            }
            serialize_graph(&collected, accept)
        }
    }
}

/// A serialized answer and its media type.
type Answer = (Vec<u8>, &'static str);

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

fn serialize_graph(triples: &[Triple], accept: Option<&HeaderValue>) -> Result<Answer, HttpError> {
    let media_type = negotiate(accept, &GRAPH_MEDIA_TYPES, "text/turtle")?;
    // text/plain is what older clients ask for when they mean N-Triples.
    let format = if media_type == "text/plain" {
        RdfFormat::NTriples
    } else {
        RdfFormat::from_media_type(media_type).ok_or_else(|| HttpError::internal("no format"))?
    };
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
