//! The explorer: pages for people who would rather look than write SPARQL.
//!
//! Pages (static HTML and scripts embedded in the binary; the scripts render the JSON answers with
//! DOM calls, never as markup, so text from articles cannot inject anything):
//! - `/` what the store holds and what to click first (`/?query=…` opens the editor, as before);
//! - `/entity?iri=…` names, links, posts, events, mentions in their sentences, a network;
//! - `/network?iri=…` the network alone, full page; `/timeline` (`?iri=…`, `?query=…`) events by date;
//! - `/editor` the SPARQL editor (CodeMirror) with the named queries of `queries/`.
//!
//! Each page reads one `/api/…` answer. The answers are bounded (per entity, LIMIT) and start from
//! the entity, so they stay fast on a large store: the SPARQL parts begin with the entity's own
//! triples, and per-node facts (a name, a type, a count) are point lookups in the store's indexes
//! rather than joins over every article graph that repeats them. Every answer runs under the
//! endpoint's query timeout, and nothing here writes.

use super::{evaluator, single, url_parameters, Executor, HttpError, HttpResult};
use crate::rdf::vocab::{self, geo, itsrdf, ng_events, nif, org, owl, rdf, rdfs, schema, skos};
use oxhttp::model::header::{self, HeaderValue};
use oxhttp::model::{Body, Request, Response, StatusCode};
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Term, TermRef};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults, QuerySolution};
use oxigraph::store::Store;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::mpsc;
use std::time::Duration;

/// Whether `path` is one of the explorer's.
pub(super) fn serves(path: &str) -> bool {
    PAGES.iter().any(|(page, _)| *page == path) || path.starts_with("/api/") || path.starts_with("/assets/")
}

/// Answers a GET (or HEAD) for one of the explorer's paths.
pub(super) fn get(store: &Store, executor: &Executor, timeout: Duration, request: &Request<Body>) -> HttpResult {
    let path = request.uri().path();
    let parameters = url_parameters(request);
    if path == "/" && parameters.iter().any(|(name, _)| name == "query") {
        // Links of the old query page (`/?query=…`) keep working: the editor runs them.
        return Ok(page(EDITOR_PAGE));
    }
    if let Some((_, html)) = PAGES.iter().find(|(page, _)| *page == path) {
        return Ok(page(html));
    }
    if let Some(name) = path.strip_prefix("/assets/") {
        return asset(name);
    }
    let api = path.strip_prefix("/api/").unwrap_or_default().to_owned();
    if api == "queries" {
        return Ok(json_response(&named_queries()));
    }
    let answer = move |graph: &Graph| -> Result<Value, HttpError> {
        match api.as_str() {
            "summary" => summary(graph),
            "entity" => entity(graph, &required_iri(&parameters)?, offset(&parameters)?),
            "network" => network(graph, &required_iri(&parameters)?, &NetworkOptions::from_parameters(&parameters)?),
            "timeline" => timeline(graph, &parameters),
            "search" => search(graph, &single(&parameters, "q")?.unwrap_or_default()),
            other => Err(HttpError(StatusCode::NOT_FOUND, format!("no explorer answer named {other:?}"))),
        }
    };
    within_time(store, executor, timeout, answer).map(|value| json_response(&value))
}

const EDITOR_PAGE: &str = include_str!("explorer/editor.html");

const PAGES: [(&str, &str); 5] = [
    ("/", include_str!("explorer/home.html")),
    ("/entity", include_str!("explorer/entity.html")),
    ("/network", include_str!("explorer/network.html")),
    ("/timeline", include_str!("explorer/timeline.html")),
    ("/editor", EDITOR_PAGE),
];

/// Scripts and style sheets: ours, and the vendored libraries (see `scripts/vendor-web.sh`).
const ASSETS: [(&str, &str, &str); 12] = [
    ("explorer.css", "text/css; charset=utf-8", include_str!("explorer/explorer.css")),
    ("explorer.js", "text/javascript; charset=utf-8", include_str!("explorer/explorer.js")),
    ("home.js", "text/javascript; charset=utf-8", include_str!("explorer/home.js")),
    ("entity.js", "text/javascript; charset=utf-8", include_str!("explorer/entity.js")),
    ("network.js", "text/javascript; charset=utf-8", include_str!("explorer/network.js")),
    ("timeline.js", "text/javascript; charset=utf-8", include_str!("explorer/timeline.js")),
    ("editor.js", "text/javascript; charset=utf-8", include_str!("explorer/editor.js")),
    ("codemirror.js", "text/javascript; charset=utf-8", include_str!("../../vendor/web/codemirror.js")),
    ("codemirror.css", "text/css; charset=utf-8", include_str!("../../vendor/web/codemirror.css")),
    ("codemirror-sparql.js", "text/javascript; charset=utf-8", include_str!("../../vendor/web/codemirror-sparql.js")),
    ("codemirror-matchbrackets.js", "text/javascript; charset=utf-8", include_str!("../../vendor/web/codemirror-matchbrackets.js")),
    ("cytoscape.min.js", "text/javascript; charset=utf-8", include_str!("../../vendor/web/cytoscape.min.js")),
];

/// The named queries users run as they are (`queries/`), for the editor's menu.
const NAMED_QUERIES: [(&str, &str); 9] = [
    ("entities.rq", include_str!("../../queries/entities.rq")),
    ("aliases.rq", include_str!("../../queries/aliases.rq")),
    ("article-entities.rq", include_str!("../../queries/article-entities.rq")),
    ("positions.rq", include_str!("../../queries/positions.rq")),
    ("events.rq", include_str!("../../queries/events.rq")),
    ("participants.rq", include_str!("../../queries/participants.rq")),
    ("links.rq", include_str!("../../queries/links.rq")),
    ("mentions.rq", include_str!("../../queries/mentions.rq")),
    ("times.rq", include_str!("../../queries/times.rq")),
];

fn named_queries() -> Value {
    let queries: Vec<Value> = NAMED_QUERIES
        .iter()
        .map(|(file, text)| {
            // The header's first line says what the query answers ("# Entities: every person, …").
            let title = text.lines().next().unwrap_or_default().trim_start_matches('#').trim();
            json!({ "file": file, "title": title, "text": text })
        })
        .collect();
    let prefixes: Vec<Value> = vocab::PREFIXES.iter().map(|(prefix, iri)| json!({ "prefix": prefix, "iri": iri })).collect();
    json!({ "queries": queries, "prefixes": prefixes })
}

fn page(html: &'static str) -> Response<Body> {
    let mut response = Response::new(Body::from(html));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    // Scripts only from this server: the pages show text from articles, which must never run.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'",
        ),
    );
    response
}

fn asset(name: &str) -> HttpResult {
    let (_, media_type, text) = ASSETS
        .iter()
        .find(|(asset, _, _)| *asset == name)
        .ok_or_else(|| HttpError(StatusCode::NOT_FOUND, format!("no asset {name:?}")))?;
    let mut response = Response::new(Body::from(*text));
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("max-age=3600"));
    Ok(response)
}

fn json_response(value: &Value) -> Response<Body> {
    let mut response = Response::new(Body::from(value.to_string()));
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// Runs `answer` on one of the endpoint's query workers and gives up when the endpoint's query
/// timeout is over, cancelling the queries still running (as the SPARQL endpoint does); 503 with
/// Retry-After when no worker or queue place is free.
fn within_time(
    store: &Store,
    executor: &Executor,
    timeout: Duration,
    answer: impl FnOnce(&Graph) -> Result<Value, HttpError> + Send + 'static,
) -> Result<Value, HttpError> {
    let cancellation = CancellationToken::new();
    let graph = Graph { store: store.clone(), cancellation: cancellation.clone(), limit_seconds: timeout.as_secs() };
    let (sender, receiver) = mpsc::channel();
    executor
        .try_run(move || {
            if graph.cancellation.is_cancelled() {
                // its time ran out while it waited for a worker; the client has its 503
                return;
            }
            // The receiver is gone only when the handler has already answered 503.
            let _ = sender.send(answer(&graph));
        })
        .map_err(|super::executor::Busy| HttpError::busy())?;
    match receiver.recv_timeout(timeout) {
        Ok(answer) => answer,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            cancellation.cancel();
            Err(super::timed_out(timeout.as_secs()))
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(HttpError::internal("the explorer stopped without an answer")),
    }
}

/// The store as the explorer reads it.
///
/// Each article graph repeats what it says about an entity (its types, names, links), so the
/// store holds the same triple once per article. Lists of distinct values go through SPARQL,
/// which drops the copies and counts on the store's internal ids before decoding anything;
/// single values (a name, a date) are point lookups that decode one triple.
struct Graph {
    store: Store,
    cancellation: CancellationToken,
    limit_seconds: u64,
}

impl Graph {
    /// Runs a SELECT over the union of article graphs, with the vocabulary's prefixes.
    fn select(&self, query: &str) -> Result<Vec<QuerySolution>, HttpError> {
        let mut prepared = evaluator()?
            .with_cancellation_token(self.cancellation.clone())
            .parse_query(query)
            .map_err(|error| HttpError::bad_request(format!("SPARQL syntax error: {error}")))?;
        prepared.dataset_mut().set_default_graph_as_union();
        let failed = |error: QueryEvaluationError| match error {
            QueryEvaluationError::Cancelled => super::timed_out(self.limit_seconds),
            other => HttpError::internal(format!("query evaluation failed: {other}")),
        };
        match prepared.on_store(&self.store).execute().map_err(failed)? {
            QueryResults::Solutions(solutions) => solutions.map(|solution| solution.map_err(failed)).collect(),
            _ => Err(HttpError::bad_request("the query must be a SELECT query")),
        }
    }

    /// The values of `variable` in the answers to `query`.
    fn column(&self, query: &str, variable: &str) -> Result<Vec<Term>, HttpError> {
        Ok(self.select(query)?.iter().filter_map(|solution| solution.get(variable).cloned()).collect())
    }

    /// The named nodes of `variable` in the answers to `query`.
    fn iris(&self, query: &str, variable: &str) -> Result<Vec<NamedNode>, HttpError> {
        Ok(self.column(query, variable)?.iter().filter_map(named).collect())
    }

    /// `COUNT` queries: the number in `?n`.
    fn count(&self, query: &str) -> Result<usize, HttpError> {
        Ok(self.select(query)?.first().map(|solution| count_of(solution, "n")).unwrap_or(0))
    }

    /// Distinct values of `subject predicate ?value`, at most `limit`.
    fn objects(&self, subject: NamedNodeRef<'_>, predicate: NamedNodeRef<'_>, limit: usize) -> Result<Vec<Term>, HttpError> {
        self.column(&format!("SELECT DISTINCT ?value WHERE {{ {subject} {predicate} ?value }} LIMIT {limit}"), "value")
    }

    /// One value of `subject predicate ?value` (every copy says the same), in one index seek.
    fn first(&self, subject: NamedNodeRef<'_>, predicate: NamedNodeRef<'_>) -> Option<Term> {
        self.store
            .quads_for_pattern(Some(NamedOrBlankNodeRef::from(subject)), Some(predicate), None, None)
            .find_map(Result::ok)
            .map(|quad| quad.object)
    }

    fn first_text(&self, subject: NamedNodeRef<'_>, predicate: NamedNodeRef<'_>) -> Option<String> {
        self.first(subject, predicate).map(|term| term_text(&term))
    }

    fn first_iri(&self, subject: NamedNodeRef<'_>, predicate: NamedNodeRef<'_>) -> Option<NamedNode> {
        self.first(subject, predicate).as_ref().and_then(named)
    }

    fn integer(&self, subject: NamedNodeRef<'_>, predicate: NamedNodeRef<'_>) -> Option<usize> {
        self.first_text(subject, predicate).and_then(|text| text.parse().ok())
    }

    fn has_type(&self, subject: NamedNodeRef<'_>, class: NamedNodeRef<'_>) -> bool {
        self.store
            .quads_for_pattern(Some(NamedOrBlankNodeRef::from(subject)), Some(rdf::TYPE), Some(TermRef::from(class)), None)
            .next()
            .is_some()
    }

    /// Person, Organization, Place or Event (the classes of `queries/entities.rq`), Article, else Thing.
    fn base_type(&self, subject: NamedNodeRef<'_>) -> &'static str {
        BASE_TYPES.iter().find(|(class, _)| self.has_type(subject, *class)).map(|(_, name)| *name).unwrap_or("Thing")
    }

    /// The name people read: `schema:name`, else `rdfs:label` or the headline, else the IRI's
    /// last segment.
    fn name(&self, subject: NamedNodeRef<'_>) -> String {
        self.first_text(subject, schema::NAME)
            .or_else(|| self.first_text(subject, rdfs::LABEL))
            .or_else(|| self.first_text(subject, schema::HEADLINE))
            .unwrap_or_else(|| subject.as_str().rsplit('/').next().unwrap_or_default().to_owned())
    }

    fn node(&self, subject: NamedNodeRef<'_>) -> Value {
        json!({ "iri": subject.as_str(), "name": self.name(subject), "type": self.base_type(subject) })
    }

    fn mention_count(&self, entity: NamedNodeRef<'_>) -> Result<usize, HttpError> {
        self.count(&format!("SELECT (COUNT(*) AS ?n) WHERE {{ ?mention itsrdf:taIdentRef {entity} }}"))
    }

    /// How often articles mention each of `entities`, in their order, in one query.
    fn mention_counts(&self, entities: &[NamedNode]) -> Result<Vec<usize>, HttpError> {
        let mut counts = vec![0; entities.len()];
        if entities.is_empty() {
            return Ok(counts);
        }
        let query = format!(
            "SELECT ?i (COUNT(?mention) AS ?n) WHERE {{ VALUES (?node ?i) {{ {} }} ?mention itsrdf:taIdentRef ?node }} GROUP BY ?i",
            indexed_values(entities)
        );
        for solution in self.select(&query)? {
            if let Some(count) = counts.get_mut(count_of(&solution, "i")) {
                *count = count_of(&solution, "n");
            }
        }
        Ok(counts)
    }

    fn article(&self, article: NamedNodeRef<'_>) -> Value {
        json!({
            "iri": article.as_str(),
            "headline": self.first_text(article, schema::HEADLINE),
            "date": self.first_text(article, schema::DATE_PUBLISHED),
            "url": self.first_text(article, schema::URL),
        })
    }

    /// Events as the lists and the timeline show them, in the order given, in one query for
    /// their own facts (the numbers stand for the events, so no event IRI is decoded again).
    fn events(&self, events: &[NamedNode]) -> Result<Vec<Value>, HttpError> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let query = format!(
            "SELECT DISTINCT ?i ?key ?value WHERE {{
               VALUES (?node ?i) {{ {} }}
               {{ ?node a ?value BIND(\"type\" AS ?key) }}
               UNION {{ ?node rdfs:label ?value BIND(\"label\" AS ?key) }}
               UNION {{ ?node schema:name ?value BIND(\"name\" AS ?key) }}
               UNION {{ ?node schema:startDate ?value BIND(\"date\" AS ?key) }}
               UNION {{ ?node schema:endDate ?value BIND(\"endDate\" AS ?key) }}
               UNION {{ ?node ng:durationMinutes ?value BIND(\"durationMinutes\" AS ?key) }}
               UNION {{ ?node ng:killed ?value BIND(\"killed\" AS ?key) }}
               UNION {{ ?node ng:killedIsMinimum ?value BIND(\"killedIsMinimum\" AS ?key) }}
               UNION {{ ?node schema:location ?value BIND(\"place\" AS ?key) }}
               UNION {{ ?node schema:attendee ?value BIND(\"attendee\" AS ?key) }}
               UNION {{ GRAPH ?value {{ ?node a schema:Event }} BIND(\"article\" AS ?key) }}
             }}",
            indexed_values(events)
        );
        let mut facts: Vec<HashMap<String, Vec<Term>>> = vec![HashMap::new(); events.len()];
        for solution in self.select(&query)? {
            let (Some(key), Some(value)) = (solution.get("key"), solution.get("value")) else { continue };
            if let Some(event) = facts.get_mut(count_of(&solution, "i")) {
                event.entry(term_text(key)).or_default().push(value.clone());
            }
        }
        let mut names: HashMap<NamedNode, Value> = HashMap::new();
        let mut node = |iri: &NamedNode| names.entry(iri.clone()).or_insert_with(|| self.node(iri.as_ref())).clone();
        Ok(events
            .iter()
            .zip(facts)
            .map(|(event, facts)| {
                let all = |key: &str| facts.get(key).map(Vec::as_slice).unwrap_or_default();
                let text = |key: &str| all(key).iter().map(term_text).min();
                let kind = all("type")
                    .iter()
                    .filter_map(named)
                    .filter_map(|class| class.as_str().strip_prefix(vocab::NG).map(str::to_owned))
                    .min()
                    .unwrap_or_else(|| "Event".to_owned());
                let place = all("place").iter().filter_map(named).min_by(|a, b| a.as_str().cmp(b.as_str()));
                let attendees: Vec<Value> = all("attendee").iter().filter_map(named).take(20).map(|who| node(&who)).collect();
                let articles: Vec<Value> =
                    all("article").iter().filter_map(named).take(5).map(|article| self.article(article.as_ref())).collect();
                json!({
                    "iri": event.as_str(),
                    "kind": kind,
                    "label": text("label").or_else(|| text("name")),
                    "date": text("date"),
                    "endDate": text("endDate"),
                    "durationMinutes": text("durationMinutes"),
                    "killed": text("killed"),
                    "killedIsMinimum": text("killedIsMinimum"),
                    "place": place.map(|place| node(&place)),
                    "attendees": attendees,
                    "articles": articles,
                    "articleCount": all("article").len(),
                })
            })
            .collect())
    }
}

/// `(<iri> 0) (<iri> 1) …` for `VALUES (?node ?i)`: answers then carry the small number, which
/// costs nothing to read back, instead of the IRI.
fn indexed_values(nodes: &[NamedNode]) -> String {
    nodes.iter().enumerate().map(|(i, node)| format!("({node} {i})")).collect::<Vec<_>>().join(" ")
}

const BASE_TYPES: [(NamedNodeRef<'static>, &str); 5] = [
    (schema::PERSON, "Person"),
    (schema::ORGANIZATION, "Organization"),
    (schema::PLACE, "Place"),
    (schema::EVENT, "Event"),
    (schema::NEWS_ARTICLE, "Article"),
];

fn named(term: &Term) -> Option<NamedNode> {
    match term {
        Term::NamedNode(node) => Some(node.clone()),
        _ => None,
    }
}

fn term_text(term: &Term) -> String {
    match term {
        Term::NamedNode(node) => node.as_str().to_owned(),
        Term::Literal(literal) => literal.value().to_owned(),
        other => other.to_string(),
    }
}

fn iri_of(solution: &QuerySolution, variable: &str) -> Option<NamedNode> {
    solution.get(variable).and_then(named)
}

fn count_of(solution: &QuerySolution, variable: &str) -> usize {
    solution.get(variable).map(term_text).and_then(|text| text.parse().ok()).unwrap_or(0)
}

fn required_iri(parameters: &[(String, String)]) -> Result<NamedNode, HttpError> {
    let iri = single(parameters, "iri")?.ok_or_else(|| HttpError::bad_request("give the entity as ?iri=…"))?;
    NamedNode::new(iri.clone()).map_err(|error| HttpError::bad_request(format!("invalid IRI {iri:?}: {error}")))
}

fn number(parameters: &[(String, String)], name: &str, default: usize) -> Result<usize, HttpError> {
    match single(parameters, name)? {
        None => Ok(default),
        Some(text) if text.is_empty() => Ok(default),
        Some(text) => text.parse().map_err(|_| HttpError::bad_request(format!("{name} must be a whole number, not {text:?}"))),
    }
}

fn offset(parameters: &[(String, String)]) -> Result<usize, HttpError> {
    number(parameters, "offset", 0)
}

/// Articles listed per entity page, each with its mentions in their sentences.
const ARTICLES_PER_PAGE: usize = 20;
/// Entities listed as "most often mentioned with".
const RELATED: usize = 20;
/// Events, posts and aliases listed per entity at most.
const LIST_LIMIT: usize = 200;

fn not_found(iri: &NamedNode) -> HttpError {
    HttpError(StatusCode::NOT_FOUND, format!("the store says nothing about {iri}"))
}

/// Sorts (node, count) pairs by count, most first, then by IRI, so ties come out the same way
/// on every run.
fn by_count(mut ranked: Vec<(NamedNode, usize)>) -> Vec<(NamedNode, usize)> {
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.as_str().cmp(b.0.as_str())));
    ranked
}

fn ranked(solutions: &[QuerySolution], node: &str, count: &str) -> Vec<(NamedNode, usize)> {
    by_count(solutions.iter().filter_map(|solution| Some((iri_of(solution, node)?, count_of(solution, count)))).collect())
}

/// `/api/summary`: what the store holds, and the entities and events most worth a first click.
fn summary(graph: &Graph) -> Result<Value, HttpError> {
    let instances = |class: &str| graph.count(&format!("SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a {class} }}"));
    let counts = json!({
        "articles": instances("schema:NewsArticle")?,
        "people": instances("schema:Person")?,
        "organizations": instances("schema:Organization")?,
        "places": instances("schema:Place")?,
        "events": instances("schema:Event")?,
        "mentions": graph.count("SELECT (COUNT(*) AS ?n) WHERE { ?mention itsrdf:taIdentRef ?entity }")?,
    });
    // Entities by the number of articles that mention them; enough to fill each type's list.
    let top_entities = graph.select(
        "SELECT ?entity (COUNT(?article) AS ?articles) WHERE {
           GRAPH ?article { ?article schema:mentions ?entity }
         } GROUP BY ?entity ORDER BY DESC(?articles) LIMIT 200",
    )?;
    let mut top: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    let mut first = Value::Null;
    for (entity, articles) in ranked(&top_entities, "entity", "articles") {
        let kind = graph.base_type(entity.as_ref());
        let list = top.entry(kind).or_default();
        if list.len() < 8 {
            let mut node = graph.node(entity.as_ref());
            node["articles"] = json!(articles);
            if first.is_null() {
                first = node.clone();
            }
            list.push(node);
        }
    }
    let reported = graph.select(
        "SELECT ?event (COUNT(?article) AS ?articles) WHERE {
           GRAPH ?article { ?event a schema:Event }
         } GROUP BY ?event ORDER BY DESC(?articles) LIMIT 8",
    )?;
    let events: Vec<NamedNode> = ranked(&reported, "event", "articles").into_iter().map(|(event, _)| event).collect();
    let dates = graph.select("SELECT (MIN(STR(?date)) AS ?first) (MAX(STR(?date)) AS ?last) WHERE { ?event schema:startDate ?date }")?;
    let date = |name: &str| dates.first().and_then(|solution| solution.get(name)).map(term_text);
    Ok(json!({
        "counts": counts,
        "first": first,
        "top": top,
        "events": graph.events(&events)?,
        "eventDates": { "first": date("first"), "last": date("last") },
    }))
}

/// `/api/entity`: everything the entity page shows.
fn entity(graph: &Graph, iri: &NamedNode, offset: usize) -> Result<Value, HttpError> {
    let subject = iri.as_ref();
    let types: Vec<String> = graph.objects(subject, rdf::TYPE, 32)?.iter().map(term_text).collect();
    let kind = graph.base_type(subject);
    let mentions = graph.mention_count(subject)?;
    if types.is_empty() && mentions == 0 {
        return Err(not_found(iri));
    }
    let texts = |predicate| -> Result<Vec<String>, HttpError> {
        Ok(graph.objects(subject, predicate, LIST_LIMIT)?.iter().map(term_text).collect())
    };
    let name = graph.name(subject);
    let aliases: Vec<String> = texts(schema::ALTERNATE_NAME)?.into_iter().filter(|alias| *alias != name).collect();
    let events = graph.iris(
        &format!(
            "SELECT DISTINCT ?event WHERE {{ {{ ?event schema:attendee {subject} }} UNION {{ ?event schema:location {subject} }} }} LIMIT {LIST_LIMIT}"
        ),
        "event",
    )?;
    let mut events = graph.events(&events)?;
    events.sort_by(|a, b| a["date"].as_str().unwrap_or("~").cmp(b["date"].as_str().unwrap_or("~")));
    let (articles, article_count) =
        if kind == "Event" { event_articles(graph, subject, offset)? } else { mentioning_articles(graph, subject, offset)? };
    let is_article = graph.has_type(subject, schema::NEWS_ARTICLE);
    Ok(json!({
        "iri": iri.as_str(),
        "name": name,
        "type": kind,
        "types": types,
        "aliases": aliases,
        "links": texts(owl::SAME_AS)?,
        "lat": graph.first_text(subject, geo::LAT),
        "long": graph.first_text(subject, geo::LONG),
        "event": if kind == "Event" { graph.events(&[iri.clone()])?.pop().unwrap_or_default() } else { Value::Null },
        "article": if is_article { article_view(graph, subject) } else { Value::Null },
        "posts": held_posts(graph, subject)?,
        "postsIn": posts_in(graph, subject)?,
        "events": events,
        "mentionCount": mentions,
        "articleCount": article_count,
        "offset": offset,
        "pageSize": ARTICLES_PER_PAGE,
        "articles": articles,
        "related": related(graph, subject)?,
    }))
}

/// An article's text with every mention in it (character offsets, entity, type).
fn article_view(graph: &Graph, article: NamedNodeRef<'_>) -> Value {
    let context = graph
        .store
        .quads_for_pattern(None, Some(nif::SOURCE_URL), Some(article.into()), Some(GraphNameRef::from(article)))
        .find_map(Result::ok)
        .and_then(|quad| named(&quad.subject.into()));
    let text = context.and_then(|context| graph.first_text(context.as_ref(), nif::IS_STRING)).unwrap_or_default();
    let mut types: HashMap<NamedNode, &str> = HashMap::new();
    let mut mentions: Vec<(usize, usize, Value)> = Vec::new();
    for quad in graph.store.quads_for_pattern(None, Some(itsrdf::TA_IDENT_REF), None, Some(GraphNameRef::from(article))) {
        let Ok(quad) = quad else { continue };
        let (Some(mention), Some(entity)) = (named(&quad.subject.into()), named(&quad.object)) else { continue };
        let mention = mention.as_ref();
        let (Some(begin), Some(end)) = (graph.integer(mention, nif::BEGIN_INDEX), graph.integer(mention, nif::END_INDEX)) else {
            continue;
        };
        let kind = *types.entry(entity.clone()).or_insert_with(|| graph.base_type(entity.as_ref()));
        mentions.push((begin, end, json!({ "begin": begin, "end": end, "iri": entity.as_str(), "type": kind })));
    }
    mentions.sort_by_key(|(begin, end, _)| (*begin, *end));
    json!({
        "meta": graph.article(article),
        "text": text,
        "mentions": mentions.into_iter().map(|(_, _, mention)| mention).collect::<Vec<_>>(),
    })
}

/// The posts `person` holds, each with its role and whose post it is.
fn held_posts(graph: &Graph, person: NamedNodeRef<'_>) -> Result<Vec<Value>, HttpError> {
    Ok(graph
        .objects(person, org::HOLDS, LIST_LIMIT)?
        .iter()
        .filter_map(named)
        .map(|post| {
            json!({
                "post": post.as_str(),
                "label": graph.first_text(post.as_ref(), rdfs::LABEL),
                "role": role_label(graph, post.as_ref()),
                "holder": graph.first_iri(post.as_ref(), org::POST_IN).map(|holder| graph.node(holder.as_ref())),
            })
        })
        .collect())
}

/// The posts of an organization or place (`?post org:postIn holder`), by role, with who holds them.
fn posts_in(graph: &Graph, holder: NamedNodeRef<'_>) -> Result<Vec<Value>, HttpError> {
    let held = graph.select(&format!(
        "SELECT DISTINCT ?post ?person WHERE {{ ?post org:postIn {holder} ; org:heldBy ?person }} LIMIT {LIST_LIMIT}"
    ))?;
    let mut by_role: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for solution in &held {
        let (Some(post), Some(person)) = (iri_of(solution, "post"), iri_of(solution, "person")) else { continue };
        let role = role_label(graph, post.as_ref()).unwrap_or_else(|| "post".to_owned());
        let people = by_role.entry(role).or_default();
        let node = graph.node(person.as_ref());
        if !people.contains(&node) {
            people.push(node);
        }
    }
    Ok(by_role.into_iter().map(|(role, people)| json!({ "role": role, "heldBy": people })).collect())
}

fn role_label(graph: &Graph, post: NamedNodeRef<'_>) -> Option<String> {
    let role = graph.first_iri(post, org::ROLE_PROPERTY)?;
    graph.first_text(role.as_ref(), skos::PREF_LABEL).or_else(|| graph.first_text(role.as_ref(), rdfs::LABEL))
}

/// One page of the articles that mention `entity`, those that mention it most first, each with
/// its mentions in their sentences; and how many articles mention it in all.
fn mentioning_articles(graph: &Graph, entity: NamedNodeRef<'_>, offset: usize) -> Result<(Vec<Value>, usize), HttpError> {
    let counted = graph.select(&format!(
        "SELECT ?article (COUNT(?mention) AS ?mentions) WHERE {{
           GRAPH ?article {{ ?mention itsrdf:taIdentRef {entity} }}
         }} GROUP BY ?article"
    ))?;
    let articles = ranked(&counted, "article", "mentions");
    let page = articles
        .iter()
        .skip(offset)
        .take(ARTICLES_PER_PAGE)
        .map(|(article, _)| {
            let mut value = graph.article(article.as_ref());
            value["sentences"] = json!(sentences_mentioning(graph, entity, article.as_ref()));
            value
        })
        .collect();
    Ok((page, articles.len()))
}

/// The text of the article context `context`, as characters (NIF offsets count characters).
fn context_chars(graph: &Graph, context: Option<NamedNode>) -> Vec<char> {
    context.and_then(|context| graph.first_text(context.as_ref(), nif::IS_STRING)).unwrap_or_default().chars().collect()
}

/// A sentence as the pages show it, with the spans to highlight made relative to it.
fn sentence_json(chars: &[char], (begin, end): (usize, usize), spans: &[(usize, usize)]) -> Value {
    let text: String = chars.get(begin..end.min(chars.len())).unwrap_or_default().iter().collect();
    let highlights: Vec<[usize; 2]> =
        spans.iter().filter(|(from, to)| *from >= begin && *to <= end).map(|(from, to)| [from - begin, to - begin]).collect();
    json!({ "begin": begin, "end": end, "text": text.replace('\n', " "), "highlights": highlights })
}

fn offsets(graph: &Graph, node: NamedNodeRef<'_>) -> Option<(usize, usize)> {
    Some((graph.integer(node, nif::BEGIN_INDEX)?, graph.integer(node, nif::END_INDEX)?))
}

/// The sentences of `article` that mention `entity`, in text order, each with its mentions.
fn sentences_mentioning(graph: &Graph, entity: NamedNodeRef<'_>, article: NamedNodeRef<'_>) -> Vec<Value> {
    let mut context = None;
    let mut sentences: BTreeMap<(usize, usize), Vec<(usize, usize)>> = BTreeMap::new();
    let mentions = graph.store.quads_for_pattern(None, Some(itsrdf::TA_IDENT_REF), Some(entity.into()), Some(GraphNameRef::from(article)));
    for quad in mentions.filter_map(Result::ok) {
        let Some(mention) = named(&quad.subject.into()) else { continue };
        let Some(span) = offsets(graph, mention.as_ref()) else { continue };
        let sentence = graph.first_iri(mention.as_ref(), nif::SENTENCE_PROPERTY).and_then(|sentence| offsets(graph, sentence.as_ref()));
        if context.is_none() {
            context = graph.first_iri(mention.as_ref(), nif::REFERENCE_CONTEXT);
        }
        sentences.entry(sentence.unwrap_or(span)).or_default().push(span);
    }
    let chars = context_chars(graph, context);
    sentences
        .into_iter()
        .map(|(sentence, mut spans)| {
            spans.sort_unstable();
            spans.dedup();
            sentence_json(&chars, sentence, &spans)
        })
        .collect()
}

/// The articles that report `event`, each with the sentences they give as evidence.
fn event_articles(graph: &Graph, event: NamedNodeRef<'_>, offset: usize) -> Result<(Vec<Value>, usize), HttpError> {
    let articles = graph.iris(&format!("SELECT DISTINCT ?article WHERE {{ GRAPH ?article {{ {event} a schema:Event }} }}"), "article")?;
    let page = articles
        .iter()
        .skip(offset)
        .take(ARTICLES_PER_PAGE)
        .map(|article| {
            let mut value = graph.article(article.as_ref());
            let evidence = graph.store.quads_for_pattern(
                Some(event.into()),
                Some(ng_events::EVIDENCE),
                None,
                Some(GraphNameRef::from(article.as_ref())),
            );
            let sentences: Vec<NamedNode> = evidence.filter_map(Result::ok).filter_map(|quad| named(&quad.object)).collect();
            let chars = context_chars(graph, sentences.first().and_then(|sentence| graph.first_iri(sentence.as_ref(), nif::REFERENCE_CONTEXT)));
            let mut spans: Vec<(usize, usize)> = sentences.iter().filter_map(|sentence| offsets(graph, sentence.as_ref())).collect();
            spans.sort_unstable();
            value["sentences"] = json!(spans.iter().map(|span| sentence_json(&chars, *span, &[])).collect::<Vec<_>>());
            value
        })
        .collect();
    Ok((page, articles.len()))
}

/// The entities most often mentioned in the same articles as `entity`.
fn related(graph: &Graph, entity: NamedNodeRef<'_>) -> Result<Vec<Value>, HttpError> {
    let rows = graph.select(&format!(
        "SELECT ?other (COUNT(?article) AS ?articles) WHERE {{
           GRAPH ?article {{ ?article schema:mentions {entity} . ?article schema:mentions ?other }}
           FILTER(?other != {entity})
         }} GROUP BY ?other ORDER BY DESC(?articles) LIMIT {RELATED}"
    ))?;
    Ok(ranked(&rows, "other", "articles")
        .into_iter()
        .map(|(other, articles)| {
            let mut node = graph.node(other.as_ref());
            node["articles"] = json!(articles);
            node
        })
        .collect())
}

/// What `/api/network` draws.
struct NetworkOptions {
    /// Nodes at most, the entity included.
    limit: usize,
    /// Only articles published, and events dated, in this range (ISO dates, inclusive).
    from: Option<String>,
    to: Option<String>,
}

/// Largest network drawn; the page stays responsive at this size.
const NETWORK_MAX: usize = 500;

impl NetworkOptions {
    fn from_parameters(parameters: &[(String, String)]) -> Result<Self, HttpError> {
        let date = |name: &str| -> Result<Option<String>, HttpError> {
            let value = single(parameters, name)?.filter(|value| !value.is_empty());
            if let Some(value) = &value {
                // Only digits and hyphens: the value goes into the query as a string literal.
                let well_formed = value.len() >= 4 && value.len() <= 10 && value.chars().all(|c| c.is_ascii_digit() || c == '-');
                if !well_formed {
                    return Err(HttpError::bad_request(format!("{name} must be a date such as 2005-03-01, not {value:?}")));
                }
            }
            Ok(value)
        };
        Ok(NetworkOptions { limit: number(parameters, "limit", 60)?.clamp(2, NETWORK_MAX), from: date("from")?, to: date("to")? })
    }

    /// A SPARQL filter keeping `?node` when its `date_property` falls in the range: ISO dates
    /// compare as text, the end bound on as many characters as it has (so `to=2005-03` keeps
    /// all of March). Undated nodes are left out once a range is set.
    fn filter(&self, node: &str, date_property: &str) -> String {
        if self.from.is_none() && self.to.is_none() {
            return String::new();
        }
        let mut conditions = Vec::new();
        if let Some(from) = &self.from {
            conditions.push(format!("STR(?{node}Date) >= \"{from}\""));
        }
        if let Some(to) = &self.to {
            conditions.push(format!("SUBSTR(STR(?{node}Date), 1, {}) <= \"{to}\"", to.len()));
        }
        format!("?{node} {date_property} ?{node}Date FILTER({})", conditions.join(" && "))
    }
}

/// `/api/network`: the entity's neighbourhood. Nodes are the entity, the entities mentioned most
/// often in the same articles, and the entity's events; lines are co-mentions (weighted by the
/// articles, among those that mention the entity, that name both), posts and event roles.
fn network(graph: &Graph, iri: &NamedNode, options: &NetworkOptions) -> Result<Value, HttpError> {
    let centre = iri.as_ref();
    if graph.base_type(centre) == "Thing" && graph.mention_count(centre)? == 0 {
        return Err(not_found(iri));
    }
    let in_range = options.filter("article", "schema:datePublished");
    let articles_of = |filter: &str| {
        graph.count(&format!(
            "SELECT (COUNT(DISTINCT ?article) AS ?n) WHERE {{ GRAPH ?article {{ ?article schema:mentions {centre} . {filter} }} }}"
        ))
    };
    let articles_total = articles_of("")?;
    let articles = if in_range.is_empty() { articles_total } else { articles_of(&in_range)? };
    // The centre's events (up to a fifth of the nodes), then the entities mentioned with it most.
    let events = graph.iris(
        &format!(
            "SELECT DISTINCT ?event WHERE {{ {{ ?event schema:attendee {centre} }} UNION {{ ?event schema:location {centre} }} {} }} LIMIT {}",
            options.filter("event", "schema:startDate"),
            options.limit / 5
        ),
        "event",
    )?;
    let neighbours = graph.select(&format!(
        "SELECT ?other (COUNT(?article) AS ?articles) WHERE {{
           GRAPH ?article {{ ?article schema:mentions {centre} . ?article schema:mentions ?other . {in_range} }}
           FILTER(?other != {centre})
         }} GROUP BY ?other ORDER BY DESC(?articles) LIMIT {}",
        options.limit.saturating_sub(1 + events.len())
    ))?;
    let neighbours = ranked(&neighbours, "other", "articles");
    let mut nodes: Vec<NamedNode> = vec![iri.clone()];
    let mut weights: Vec<usize> = vec![articles];
    for (neighbour, articles) in &neighbours {
        nodes.push(neighbour.clone());
        weights.push(*articles);
    }
    let entities = nodes.len();
    nodes.extend(events.iter().cloned());
    let index: HashMap<&NamedNode, usize> = nodes.iter().enumerate().map(|(i, node)| (node, i)).collect();
    let mut edges: Vec<Value> = Vec::new();
    for (neighbour, articles) in &neighbours {
        edges.push(json!({ "source": centre.as_str(), "target": neighbour.as_str(), "kind": "co-mention", "weight": articles }));
    }
    // Co-mentions between neighbours in the centre's articles: each article answers with the
    // numbers of the neighbours it names; the strongest pairs are drawn, three per node.
    if neighbours.len() > 1 {
        let memberships = graph.select(&format!(
            "SELECT (GROUP_CONCAT(STR(?i)) AS ?members) WHERE {{
               VALUES (?other ?i) {{ {} }}
               GRAPH ?article {{ ?article schema:mentions {centre} . ?article schema:mentions ?other . {in_range} }}
             }} GROUP BY ?article",
            indexed_values(&nodes[..entities])
        ))?;
        let mut pairs: HashMap<(usize, usize), usize> = HashMap::new();
        for solution in &memberships {
            let members = solution.get("members").map(term_text).unwrap_or_default();
            let mut present: Vec<usize> = members.split(' ').filter_map(|i| i.parse().ok()).filter(|&i| i > 0).collect();
            present.sort_unstable();
            present.dedup();
            for (position, &a) in present.iter().enumerate() {
                for &b in &present[position + 1..] {
                    *pairs.entry((a, b)).or_default() += 1;
                }
            }
        }
        let mut pairs: Vec<((usize, usize), usize)> = pairs.into_iter().collect();
        pairs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for ((a, b), articles) in pairs.into_iter().take(3 * nodes.len()) {
            edges.push(json!({ "source": nodes[a].as_str(), "target": nodes[b].as_str(), "kind": "co-mention", "weight": articles }));
        }
    }
    // Events, with their participants and places among the nodes.
    let described_events = graph.events(&events)?;
    for event in &described_events {
        for (key, kind) in [("attendees", "took part"), ("place", "place")] {
            let targets = match &event[key] {
                Value::Array(values) => values.clone(),
                Value::Null => Vec::new(),
                value => vec![value.clone()],
            };
            for target in targets {
                let target = target["iri"].as_str().unwrap_or_default();
                if nodes.iter().any(|node| node.as_str() == target) {
                    edges.push(json!({ "source": event["iri"], "target": target, "kind": kind, "weight": 1 }));
                }
            }
        }
    }
    // Posts the people among the nodes hold in organizations or places among the nodes.
    let posts = graph.select(&format!(
        "SELECT DISTINCT ?i ?post ?holder WHERE {{
           VALUES (?person ?i) {{ {} }}
           ?person a schema:Person ; org:holds ?post . ?post org:postIn ?holder
         }}",
        indexed_values(&nodes[..entities])
    ))?;
    for solution in &posts {
        let (Some(post), Some(holder)) = (iri_of(solution, "post"), iri_of(solution, "holder")) else { continue };
        if let (Some(person), true) = (nodes.get(count_of(solution, "i")), index.contains_key(&holder)) {
            edges.push(json!({
                "source": person.as_str(), "target": holder.as_str(), "kind": "post",
                "label": role_label(graph, post.as_ref()), "weight": 1,
            }));
        }
    }
    let mentions = graph.mention_counts(&nodes)?;
    let mut drawn: Vec<Value> = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        let mut value = if i < entities { graph.node(node.as_ref()) } else { described_events[i - entities].clone() };
        if i >= entities {
            value["name"] = value["label"].clone();
            value["type"] = json!("Event");
        }
        value["iri"] = json!(node.as_str());
        value["mentions"] = json!(mentions[i]);
        value["weight"] = json!(weights.get(i).copied().unwrap_or(0));
        drawn.push(value);
    }
    Ok(json!({
        "centre": iri.as_str(),
        "name": graph.name(centre),
        "articles": articles,
        "articlesTotal": articles_total,
        "limit": options.limit,
        "nodes": drawn,
        "edges": edges,
    }))
}

/// Events on the timeline at most.
const TIMELINE_MAX: usize = 2000;

/// `/api/timeline`: the events of an entity (`?iri=`), of a SELECT query's `?event` column
/// (`?query=`), or of the whole store, sorted by date.
fn timeline(graph: &Graph, parameters: &[(String, String)]) -> Result<Value, HttpError> {
    let (mut events, title) = if let Some(query) = single(parameters, "query")? {
        let mut events: Vec<NamedNode> = Vec::new();
        for solution in graph.select(&query)? {
            let event = iri_of(&solution, "event").or_else(|| solution.iter().find_map(|(_, term)| named(term)));
            if let Some(event) = event.filter(|event| !events.contains(event)) {
                events.push(event);
            }
            if events.len() > TIMELINE_MAX {
                break;
            }
        }
        (events, "Events of the query".to_owned())
    } else if single(parameters, "iri")?.is_some() {
        let iri = required_iri(parameters)?;
        let events = graph.iris(
            &format!(
                "SELECT DISTINCT ?event WHERE {{
                   {{ ?event schema:attendee {iri} }} UNION {{ ?event schema:location {iri} }} UNION {{ {iri} a schema:Event BIND({iri} AS ?event) }}
                 }} LIMIT {}",
                TIMELINE_MAX + 1
            ),
            "event",
        )?;
        (events, format!("Events of {}", graph.name(iri.as_ref())))
    } else {
        let events = graph.iris(&format!("SELECT DISTINCT ?event WHERE {{ ?event a schema:Event }} LIMIT {}", TIMELINE_MAX + 1), "event")?;
        (events, "All events".to_owned())
    };
    let truncated = events.len() > TIMELINE_MAX;
    events.truncate(TIMELINE_MAX);
    let mut described = graph.events(&events)?;
    let key = |value: &Value| {
        let text = |name: &str| value[name].as_str().map(str::to_owned);
        (text("date").is_none(), text("date"), text("label"))
    };
    described.sort_by_key(key);
    Ok(json!({ "title": title, "events": described, "truncated": truncated }))
}

/// `/api/search?q=`: entities whose name or alias contains the text, most mentioned first.
fn search(graph: &Graph, text: &str) -> Result<Value, HttpError> {
    let needle = text.trim().to_lowercase();
    if needle.chars().count() < 2 {
        return Ok(json!({ "results": [] }));
    }
    let literal = serde_json::to_string(&needle).map_err(HttpError::internal)?;
    let found = graph.iris(
        &format!(
            "SELECT DISTINCT ?entity WHERE {{
               {{ ?entity schema:name ?name }} UNION {{ ?entity schema:alternateName ?name }}
               FILTER(CONTAINS(LCASE(?name), {literal}))
             }} LIMIT 200"
        ),
        "entity",
    )?;
    let mentions = graph.mention_counts(&found)?;
    let mut results: Vec<(NamedNode, usize)> = by_count(found.into_iter().zip(mentions).collect());
    results.truncate(20);
    let results: Vec<Value> = results
        .iter()
        .map(|(entity, mentions)| {
            let mut node = graph.node(entity.as_ref());
            node["mentions"] = json!(mentions);
            node
        })
        .collect();
    Ok(json!({ "results": results }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_query_is_in_the_editor_menu() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
        let mut files: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.ends_with(".rq"))
            .collect();
        files.sort();
        let mut listed: Vec<String> = NAMED_QUERIES.iter().map(|(file, _)| file.to_string()).collect();
        listed.sort();
        assert_eq!(files, listed, "add new files of queries/ to NAMED_QUERIES");
    }

    #[test]
    fn date_filters_compare_iso_text_and_refuse_anything_else() {
        let parameters = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect()
        };
        let options = NetworkOptions::from_parameters(&parameters(&[("from", "2005-02-01"), ("to", "2005-03")])).ok().unwrap();
        assert_eq!(
            options.filter("article", "schema:datePublished"),
            "?article schema:datePublished ?articleDate FILTER(STR(?articleDate) >= \"2005-02-01\" && SUBSTR(STR(?articleDate), 1, 7) <= \"2005-03\")"
        );
        assert_eq!(NetworkOptions::from_parameters(&[]).ok().unwrap().filter("article", "schema:datePublished"), "");
        assert!(NetworkOptions::from_parameters(&parameters(&[("from", "2005\") } DROP ALL {")])).is_err());
        assert_eq!(NetworkOptions::from_parameters(&parameters(&[("limit", "100000")])).ok().unwrap().limit, NETWORK_MAX);
    }
}
