//! Events, positions and times through the whole pipeline, and their measurement against hand
//! annotations of BBC articles (`tests/events/gold.tsv`).
//!
//! The measurement needs `../shared/data/bbc/articles.jsonl` and skips with a message without it:
//! `cargo test --no-default-features --test relate -- --nocapture gold` prints the figures.

use newsgraph::relate::{Event, PostOrg};
use newsgraph::rdf::iri::Minter;
use newsgraph::{Article, Doc, Pipeline};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

/// Lowercase words of a name without punctuation and a leading "the".
fn norm(name: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric() && c != '&')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let words: Vec<&str> = words.iter().map(String::as_str).skip_while(|w| *w == "the").collect();
    words.join(" ")
}

/// Whether a gold name denotes an entity: equal to its name or an alias, or one a whole-word
/// part of the other ("Marsh" and "Marsh & McLennan").
fn same_name(gold: &str, names: &[String]) -> bool {
    let g = norm(gold);
    names.iter().map(|n| norm(n)).any(|n| {
        !n.is_empty() && (n == g || format!(" {n} ").contains(&format!(" {g} ")) || format!(" {g} ").contains(&format!(" {n} ")))
    })
}

fn entity_names(doc: &Doc, e: usize) -> Vec<String> {
    doc.entities.get(e).map(|x| std::iter::once(x.name.clone()).chain(x.aliases.iter().cloned()).collect()).unwrap_or_default()
}

fn post_org_names(doc: &Doc, org: &PostOrg) -> Vec<String> {
    match org {
        PostOrg::Entity(e) => entity_names(doc, *e),
        PostOrg::Country { name, .. } => vec![name.clone()],
    }
}

#[derive(Debug, Default)]
struct Gold {
    events: BTreeMap<String, Vec<GoldEvent>>,
    posts: BTreeMap<String, Vec<[String; 3]>>,
    times: BTreeMap<String, Vec<(String, String)>>,
    articles: BTreeSet<String>,
}

#[derive(Debug)]
struct GoldEvent {
    kind: String,
    participants: Vec<String>,
    place: Option<String>,
    date: Option<String>,
    killed: Option<u64>,
}

fn opt(field: &str) -> Option<String> {
    (field != "-" && !field.is_empty()).then(|| field.to_string())
}

fn read_gold(text: &str) -> Gold {
    let mut gold = Gold::default();
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let id = f[1].to_string();
        gold.articles.insert(id.clone());
        match f[0] {
            "event" => gold.events.entry(id).or_default().push(GoldEvent {
                kind: f[2].into(),
                participants: opt(f[3]).map(|p| p.split(';').map(str::to_string).collect()).unwrap_or_default(),
                place: opt(f[4]),
                date: opt(f[5]),
                killed: opt(f[6]).and_then(|k| k.parse().ok()),
            }),
            "post" => gold.posts.entry(id).or_default().push([f[2].into(), f[3].into(), f[4].into()]),
            "time" => gold.times.entry(id).or_default().push((f[2].into(), f[3].into())),
            other => panic!("unknown row kind {other:?} in gold.tsv"),
        }
    }
    gold
}

fn articles(ids: &BTreeSet<String>) -> Option<Vec<Article>> {
    let path = shared().join("data/bbc/articles.jsonl");
    let text = std::fs::read_to_string(&path).ok()?;
    let mut found = Vec::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).ok()?;
        let id = v["id"].as_str()?.to_string();
        if ids.contains(&id) {
            found.push(Article {
                title: v["title"].as_str().map(str::to_string),
                body: v["body"].as_str()?.to_string(),
                source: path.display().to_string(),
                id,
                ..Default::default()
            });
        }
    }
    Some(found)
}

#[derive(Default, Debug)]
struct Count {
    predicted: usize,
    gold: usize,
    correct_p: usize,
    correct_r: usize,
}

impl Count {
    fn precision(&self) -> f64 {
        if self.predicted == 0 { 0.0 } else { self.correct_p as f64 / self.predicted as f64 }
    }
    fn recall(&self) -> f64 {
        if self.gold == 0 { 0.0 } else { self.correct_r as f64 / self.gold as f64 }
    }
    fn line(&self, what: &str) -> String {
        format!(
            "{what:<22} predicted {:>3}  gold {:>3}  precision {:.2}  recall {:.2}",
            self.predicted,
            self.gold,
            self.precision(),
            self.recall()
        )
    }
}

fn event_matches(doc: &Doc, e: &Event, g: &GoldEvent) -> bool {
    if e.kind.class_name() != Some(g.kind.as_str()) {
        return false;
    }
    let participants = g.participants.iter().any(|p| e.participants.iter().any(|&x| same_name(p, &entity_names(doc, x))));
    let place = match (&g.place, e.place) {
        (Some(gp), Some(p)) => same_name(gp, &entity_names(doc, p)),
        _ => false,
    };
    let date = g.date.is_some() && g.date == e.time.as_ref().and_then(|t| t.value).map(|v| v.lexical());
    participants || place || (g.participants.is_empty() && g.place.is_none() && date)
}

/// Scores per fact kind over the annotated articles.
struct Scores {
    events: Count,
    participants: Count,
    places: Count,
    dates: Count,
    killed: Count,
    posts: Count,
    times: (usize, usize),
    errors: Vec<String>,
}

fn score(gold: &Gold, docs: &[Doc]) -> Scores {
    let mut s = Scores {
        events: Count::default(),
        participants: Count::default(),
        places: Count::default(),
        dates: Count::default(),
        killed: Count::default(),
        posts: Count::default(),
        times: (0, 0),
        errors: Vec::new(),
    };
    for doc in docs {
        let id = &doc.article.id;
        let no_events = Vec::new();
        let gold_events = gold.events.get(id).unwrap_or(&no_events);
        let predicted: Vec<&Event> = doc.facts.events.iter().filter(|e| e.asserted()).collect();
        s.events.predicted += predicted.len();
        s.events.gold += gold_events.len();
        let mut used = vec![false; gold_events.len()];
        for e in &predicted {
            let matched = (0..gold_events.len()).find(|&i| !used[i] && event_matches(doc, e, &gold_events[i]));
            let Some(i) = matched else {
                let place = e.place.and_then(|p| doc.entities.get(p)).map(|x| format!("{} ({:?})", x.name, x.kind));
                let parts: Vec<String> = e.participants.iter().filter_map(|&p| doc.entities.get(p)).map(|x| format!("{} ({:?})", x.name, x.kind)).collect();
                let sentence = doc.sentences.get(e.sentence).map(|s| s.span.start).unwrap_or(0);
                s.errors.push(format!("{id}: spurious event {:?} {:?} participants {parts:?} place {place:?} at byte {sentence}", e.kind, e.label));
                continue;
            };
            used[i] = true;
            s.events.correct_p += 1;
            s.events.correct_r += 1;
            let g = &gold_events[i];
            // Arguments of matched events.
            s.participants.predicted += e.participants.len();
            s.participants.gold += g.participants.len();
            s.participants.correct_p += e.participants.iter().filter(|&&p| g.participants.iter().any(|gp| same_name(gp, &entity_names(doc, p)))).count();
            s.participants.correct_r += g.participants.iter().filter(|gp| e.participants.iter().any(|&p| same_name(gp, &entity_names(doc, p)))).count();
            let place_ok = matches!((&g.place, e.place), (Some(gp), Some(p)) if same_name(gp, &entity_names(doc, p)));
            s.places.predicted += usize::from(e.place.is_some());
            s.places.gold += usize::from(g.place.is_some());
            s.places.correct_p += usize::from(place_ok);
            s.places.correct_r += usize::from(place_ok);
            let date = e.time.as_ref().and_then(|t| t.value).map(|v| v.lexical());
            let date_ok = date.is_some() && date == g.date;
            s.dates.predicted += usize::from(date.is_some());
            s.dates.gold += usize::from(g.date.is_some());
            s.dates.correct_p += usize::from(date_ok);
            s.dates.correct_r += usize::from(date_ok);
            let killed = e.casualties.as_ref().map(|c| c.killed);
            let killed_ok = killed.is_some() && killed == g.killed;
            s.killed.predicted += usize::from(killed.is_some());
            s.killed.gold += usize::from(g.killed.is_some());
            s.killed.correct_p += usize::from(killed_ok);
            s.killed.correct_r += usize::from(killed_ok);
        }
        for (i, g) in gold_events.iter().enumerate() {
            if !used[i] {
                s.errors.push(format!("{id}: missed event {} {:?} {:?}", g.kind, g.participants, g.place));
            }
        }

        let no_posts = Vec::new();
        let gold_posts = gold.posts.get(id).unwrap_or(&no_posts);
        s.posts.gold += gold_posts.len();
        let mut used = vec![false; gold_posts.len()];
        // The guidelines annotate current posts only; former ones are in the graph, marked as past.
        for p in doc.facts.posts.iter().filter(|p| !p.former) {
            s.posts.predicted += 1;
            let person = entity_names(doc, p.holder);
            let org = post_org_names(doc, &p.organization);
            let matched = (0..gold_posts.len()).find(|&i| {
                let g = &gold_posts[i];
                !used[i] && same_name(&g[0], &person) && g[1] == p.role && same_name(&g[2], &org)
            });
            match matched {
                Some(i) => {
                    used[i] = true;
                    s.posts.correct_p += 1;
                    s.posts.correct_r += 1;
                }
                None => s.errors.push(format!("{id}: spurious post {:?} {} {:?}", person.first(), p.role, org.first())),
            }
        }
        for (i, g) in gold_posts.iter().enumerate() {
            if !used[i] {
                s.errors.push(format!("{id}: missed post {g:?}"));
            }
        }

        for (text, value) in gold.times.get(id).into_iter().flatten() {
            s.times.1 += 1;
            let found = doc.facts.times.iter().find(|t| t.text.eq_ignore_ascii_case(text) || t.text.to_lowercase().ends_with(&text.to_lowercase()));
            let got = found.and_then(|t| t.value).map(|v| v.lexical()).unwrap_or_else(|| "-".into());
            if found.is_some() && &got == value {
                s.times.0 += 1;
            } else {
                s.errors.push(format!("{id}: time {text:?} → {got} (gold {value})"));
            }
        }
    }
    s
}

#[test]
fn gold_events_positions_and_times() {
    let gold = read_gold(include_str!("events/gold.tsv"));
    assert!(gold.articles.len() >= 25, "at least 25 annotated articles");
    measure("gold (development set)", &gold);
}

/// Articles annotated after the rules were written, to see how they do on text they were not
/// fitted to.
#[test]
fn heldout_events_positions_and_times() {
    measure("held-out", &read_gold(include_str!("events/heldout.tsv")));
}

fn measure(name: &str, gold: &Gold) {
    let Some(articles) = articles(&gold.articles) else {
        println!("SKIP {name}: {} not found", shared().join("data/bbc/articles.jsonl").display());
        return;
    };
    assert_eq!(articles.len(), gold.articles.len(), "every annotated article is in the corpus");
    let pipeline = Pipeline::new(Minter::default());
    let docs: Vec<Doc> = articles.into_iter().map(|a| pipeline.analyse(a)).collect();
    if docs.iter().all(|d| d.sentences.is_empty()) {
        println!("SKIP {name}: the pipeline does not segment yet");
        return;
    }
    let s = score(gold, &docs);
    println!("Events and positions on {} annotated BBC articles, {name}:", docs.len());
    println!("{}", s.events.line("events"));
    println!("{}", s.participants.line("  participants"));
    println!("{}", s.places.line("  places"));
    println!("{}", s.dates.line("  dates"));
    println!("{}", s.killed.line("  killed"));
    println!("{}", s.posts.line("positions"));
    println!("time normalisation     {}/{} correct ({:.2})", s.times.0, s.times.1, s.times.0 as f64 / s.times.1.max(1) as f64);
    for e in &s.errors {
        println!("  {e}");
    }
    // Time normalisation needs no recogniser: it must hold whatever the other stages do.
    assert!(s.times.0 as f64 >= 0.9 * s.times.1 as f64, "time normalisation accuracy below 0.9");
}

/// A small exact validator for the SHACL Core subset `ontology/shapes.ttl` uses: node shapes with
/// `sh:targetClass` and `sh:nodeKind sh:IRI`, property shapes with an IRI `sh:path` and
/// `sh:minCount`, `sh:maxCount`, `sh:datatype`, `sh:class`, `sh:nodeKind sh:IRI`, and `sh:or` over
/// `sh:datatype` alternatives. Any other constraint in the shapes is reported as unsupported, so
/// the validator never passes a shape it does not understand. Returns the violations.
mod shacl {
    use oxigraph::io::{RdfFormat, RdfParser};
    use oxigraph::model::vocab::{rdf, xsd};
    use oxigraph::model::{Graph, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
    use std::collections::BTreeSet;

    const SH: &str = "http://www.w3.org/ns/shacl#";

    fn sh(local: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{SH}{local}"))
    }

    fn list(shapes: &Graph, head: &Term) -> Vec<Term> {
        let mut items = Vec::new();
        let mut node = head.clone();
        while let Some(subject) = match &node {
            Term::NamedNode(n) if n.as_ref() == rdf::NIL => None,
            Term::NamedNode(n) => Some(NamedOrBlankNode::NamedNode(n.clone())),
            Term::BlankNode(b) => Some(NamedOrBlankNode::BlankNode(b.clone())),
            _ => None,
        } {
            let Some(first) = shapes.object_for_subject_predicate(&subject, rdf::FIRST) else { break };
            items.push(first.into_owned());
            let Some(rest) = shapes.object_for_subject_predicate(&subject, rdf::REST) else { break };
            node = rest.into_owned();
        }
        items
    }

    fn datatype_of(term: &Term) -> Option<String> {
        match term {
            Term::Literal(l) if l.language().is_none() => Some(l.datatype().as_str().to_string()),
            _ => None,
        }
    }

    fn subject(term: &Term) -> Option<NamedOrBlankNode> {
        match term {
            Term::NamedNode(n) => Some(n.clone().into()),
            Term::BlankNode(b) => Some(b.clone().into()),
            _ => None,
        }
    }

    pub fn validate(shapes_ttl: &str, quads: &[Quad]) -> Vec<String> {
        let mut shapes = Graph::new();
        for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(shapes_ttl.as_bytes()) {
            let quad = quad.expect("shapes parse");
            shapes.insert(&Triple::new(quad.subject, quad.predicate, quad.object));
        }
        // The data: the union of all graphs, as queries see it.
        let mut data = Graph::new();
        for q in quads {
            data.insert(&Triple::new(q.subject.clone(), q.predicate.clone(), q.object.clone()));
        }
        let known_node: BTreeSet<String> = ["targetClass", "nodeKind", "property"].iter().map(|l| format!("{SH}{l}")).collect();
        let known_prop: BTreeSet<String> = ["path", "minCount", "maxCount", "datatype", "class", "nodeKind", "or"].iter().map(|l| format!("{SH}{l}")).collect();
        let iri_kind = Term::from(sh("IRI"));
        let mut violations = Vec::new();
        let targets: Vec<(NamedOrBlankNode, Term)> = shapes
            .triples_for_predicate(&sh("targetClass"))
            .map(|t| (t.subject.into_owned(), t.object.into_owned()))
            .collect();
        for (shape, class) in targets {
            for t in shapes.triples_for_subject(&shape) {
                if t.predicate.as_str().starts_with(SH) && !known_node.contains(t.predicate.as_str()) {
                    violations.push(format!("unsupported constraint {} on {shape}", t.predicate));
                }
            }
            let focus: Vec<NamedOrBlankNode> = data.subjects_for_predicate_object(rdf::TYPE, &class).map(|s| s.into_owned()).collect();
            let node_iri = shapes.object_for_subject_predicate(&shape, &sh("nodeKind")).is_some_and(|k| k.into_owned() == iri_kind);
            for f in &focus {
                if node_iri && !matches!(f, NamedOrBlankNode::NamedNode(_)) {
                    violations.push(format!("{f} ({class}) is not an IRI"));
                }
            }
            let properties: Vec<Term> = shapes.objects_for_subject_predicate(&shape, &sh("property")).map(|o| o.into_owned()).collect();
            for property in properties {
                let Some(p) = subject(&property) else { continue };
                for t in shapes.triples_for_subject(&p) {
                    if t.predicate.as_str().starts_with(SH) && !known_prop.contains(t.predicate.as_str()) {
                        violations.push(format!("unsupported constraint {} on a property of {shape}", t.predicate));
                    }
                }
                let Some(Term::NamedNode(path)) = shapes.object_for_subject_predicate(&p, &sh("path")).map(|o| o.into_owned()) else {
                    violations.push(format!("a property of {shape} has no IRI path"));
                    continue;
                };
                let get = |name: &str| shapes.object_for_subject_predicate(&p, &sh(name)).map(|o| o.into_owned());
                let count = |name: &str| {
                    get(name).and_then(|t| match t {
                        Term::Literal(l) => l.value().parse::<usize>().ok(),
                        _ => None,
                    })
                };
                let (min, max) = (count("minCount"), count("maxCount"));
                let datatype = get("datatype");
                let class = get("class");
                let value_iri = get("nodeKind").is_some_and(|k| k == iri_kind);
                let alternatives: Vec<String> = get("or")
                    .map(|head| list(&shapes, &head))
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|alt| subject(alt))
                    .filter_map(|alt| match shapes.object_for_subject_predicate(&alt, &sh("datatype")) {
                        Some(oxigraph::model::TermRef::NamedNode(n)) => Some(n.as_str().to_string()),
                        _ => None,
                    })
                    .collect();
                for f in &focus {
                    let values: Vec<Term> = data.objects_for_subject_predicate(f, &path).map(|o| o.into_owned()).collect();
                    if min.is_some_and(|m| values.len() < m) {
                        violations.push(format!("{f}: fewer than {min:?} {path}"));
                    }
                    if max.is_some_and(|m| values.len() > m) {
                        violations.push(format!("{f}: more than {max:?} {path}: {values:?}"));
                    }
                    for v in &values {
                        if let Some(Term::NamedNode(dt)) = &datatype {
                            if datatype_of(v).as_deref() != Some(dt.as_str()) && !(dt.as_ref() == xsd::STRING && datatype_of(v).as_deref() == Some(xsd::STRING.as_str())) {
                                violations.push(format!("{f} {path} {v}: not a {dt}"));
                            }
                        }
                        if let Some(c) = &class {
                            let typed = subject(v).is_some_and(|s| data.contains(&Triple::new(s, rdf::TYPE.into_owned(), c.clone())));
                            if !typed {
                                violations.push(format!("{f} {path} {v}: not a {c}"));
                            }
                        }
                        if value_iri && !matches!(v, Term::NamedNode(_)) {
                            violations.push(format!("{f} {path} {v}: not an IRI"));
                        }
                        if !alternatives.is_empty() && !datatype_of(v).is_some_and(|d| alternatives.contains(&d)) {
                            violations.push(format!("{f} {path} {v}: none of {alternatives:?}"));
                        }
                    }
                }
            }
        }
        violations
    }
}

const SHAPES: &str = include_str!("../ontology/shapes.ttl");

#[test]
fn shacl_validator_catches_violations() {
    use oxigraph::io::{RdfFormat, RdfParser};
    let bad = r#"
        @prefix schema: <http://schema.org/> .
        @prefix ng: <https://newsgraph.example/ns#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        @prefix org: <http://www.w3.org/ns/org#> .
        <http://e/ev> a schema:Event ; schema:startDate "15 November" ; ng:killed "many" ; ng:killed 3 .
        <http://e/post> a org:Post ; org:role <http://e/role> .
        _:p a schema:Person ; schema:name "Anon" .
    "#;
    let quads: Vec<_> = RdfParser::from_format(RdfFormat::Turtle).for_slice(bad.as_bytes()).map(|q| q.unwrap()).collect();
    let violations = shacl::validate(SHAPES, &quads);
    let text = violations.join("\n");
    for expected in ["fewer than Some(1) <http://schema.org/name>", "startDate", "more than Some(1) <https://newsgraph.example/ns#killed>", "not a <http://www.w3.org/2001/XMLSchema#integer>", "postIn", "not a <http://www.w3.org/ns/org#Role>", "is not an IRI"] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let good = r#"
        @prefix schema: <http://schema.org/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <http://e/ev> a schema:Event ; schema:name "a meeting" ; schema:startDate "2015-11"^^xsd:gYearMonth .
    "#;
    let quads: Vec<_> = RdfParser::from_format(RdfFormat::Turtle).for_slice(good.as_bytes()).map(|q| q.unwrap()).collect();
    assert_eq!(shacl::validate(SHAPES, &quads), Vec::<String>::new());
}

/// A news-style article of our own through the whole pipeline.
fn summit_article() -> Article {
    Article {
        id: "test/summit".into(),
        title: Some("Leaders hold talks in Berlin".into()),
        published: Some("2005-03-10".into()),
        body: "French President Jacques Chirac and German Chancellor Gerhard Schroeder met in Berlin on Tuesday, \
               their first meeting since the summer.\n\n\
               The talks lasted about 90 minutes, officials said.\n\n\
               On Monday, a bomb attack in Madrid killed at least 14 people, police said.\n\n\
               The two leaders may meet again next month."
            .into(),
        ..Default::default()
    }
}

fn names_of(doc: &Doc, entities: &[usize]) -> Vec<String> {
    let mut v: Vec<String> = entities.iter().filter_map(|&e| doc.entities.get(e).map(|x| x.name.clone())).collect();
    v.sort();
    v
}

#[test]
fn events_and_posts_through_the_pipeline() {
    let doc = Pipeline::new(Minter::default()).analyse(summit_article());
    if doc.mentions.is_empty() {
        println!("SKIP events_and_posts_through_the_pipeline: the recogniser finds no mentions yet");
        return;
    }
    let asserted: Vec<&Event> = doc.facts.events.iter().filter(|e| e.asserted()).collect();
    let meeting = asserted.iter().find(|e| e.kind.class_name() == Some("Meeting")).expect("the meeting");
    let participants = names_of(&doc, &meeting.participants);
    assert!(participants.iter().any(|p| p.contains("Chirac")) && participants.iter().any(|p| p.contains("Schroeder")), "{participants:?}");
    assert_eq!(meeting.place.map(|p| doc.entities[p].name.as_str()), Some("Berlin"));
    assert_eq!(meeting.time.as_ref().and_then(|t| t.value).map(|v| v.lexical()).as_deref(), Some("2005-03-08"));
    assert_eq!(meeting.duration.as_ref().and_then(|d| d.minutes), Some(90));
    let attack = asserted.iter().find(|e| e.kind.class_name() == Some("Attack")).expect("the attack");
    assert_eq!(attack.place.map(|p| doc.entities[p].name.as_str()), Some("Madrid"));
    assert_eq!(attack.casualties.as_ref().map(|c| (c.killed, c.minimum)), Some((14, true)));
    assert_eq!(attack.time.as_ref().and_then(|t| t.value).map(|v| v.lexical()).as_deref(), Some("2005-03-07"));
    // "may meet again next month" is not a fact.
    assert_eq!(asserted.iter().filter(|e| e.kind.class_name() == Some("Meeting")).count(), 1);

    let posts: Vec<(String, String, String)> = doc
        .facts
        .posts
        .iter()
        .map(|p| (doc.entities[p.holder].name.clone(), p.role.clone(), post_org_names(&doc, &p.organization)[0].clone()))
        .collect();
    assert!(posts.iter().any(|(person, role, org)| person.contains("Chirac") && role == "president" && org == "France"), "{posts:?}");
    assert!(posts.iter().any(|(person, role, org)| person.contains("Schroeder") && role == "chancellor" && org == "Germany"), "{posts:?}");
}

/// The output of the examples in the repository, of our own article, and of the seed articles
/// when `../shared` is there, validated against `ontology/shapes.ttl`.
#[test]
fn shapes_hold_on_pipeline_output() {
    let pipeline = Pipeline::new(Minter::default());
    let mut articles = vec![summit_article()];
    let mut folders = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples")];
    folders.push(shared().join("seeds"));
    for folder in folders.into_iter().filter(|f| f.is_dir()) {
        let (inputs, _) = newsgraph::article::collect_inputs(&[folder]);
        articles.extend(newsgraph::article::read_all(&inputs).articles);
    }
    let mut quads = Vec::new();
    for article in articles {
        let graph = pipeline.graph(article).expect("the article maps");
        quads.extend(graph.quads);
    }
    let violations = shacl::validate(SHAPES, &quads);
    assert!(violations.is_empty(), "{} violations:\n{}", violations.len(), violations.join("\n"));
}

/// Runs the named query `queries/NAME.rq` through the command line over one article given as a
/// JSON line: the CSV text, and its rows by column (the values hold no commas in these tests).
fn query_article(article: &serde_json::Value, name: &str) -> (String, Vec<BTreeMap<String, String>>) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("article.jsonl");
    std::fs::write(&input, format!("{article}\n")).unwrap();
    let query = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("queries/{name}.rq"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsgraph")).args(["query", "-r", "csv", "--input"]).arg(&input).arg(&query).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = String::from_utf8(out.stdout).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    let rows = lines.map(|l| header.iter().map(|h| h.to_string()).zip(l.split(',').map(str::to_string)).collect()).collect();
    (csv, rows)
}

/// Tolls and dates through the command line: an invented report of a disaster, loaded and asked
/// with the named query `queries/events.rq`, gives the date of the time expression beside the
/// trigger and every toll with its approximation.
#[test]
fn tolls_and_dates_through_the_cli() {
    let article = serde_json::json!({
        "id": "test-quake",
        "title": "Earthquake near Valparaiso",
        "published": "2014-03-04",
        "body": "A powerful earthquake struck near Valparaiso in Chile on 3 March 2014, killing more than 300 people and injuring at least 1,200, while 40 people are missing, officials said.\n\nRescue teams worked through the night."
    });
    let (csv, rows) = query_article(&article, "events");
    let quake = rows.iter().find(|r| r["eventType"].ends_with("#Disaster")).unwrap_or_else(|| panic!("no disaster in {csv}"));
    assert_eq!(quake["date"], "2014-03-03", "{csv}");
    assert_eq!(quake["killed"], "300", "{csv}");
    assert_eq!(quake["killedQualifier"], "more than", "{csv}");
    assert_eq!(quake["injured"], "1200", "{csv}");
    assert_eq!(quake["missing"], "40", "{csv}");
}

/// Former posts reach the graph marked as past, through the command line.
#[test]
fn former_posts_through_the_cli() {
    let article = serde_json::json!({
        "id": "test-posts",
        "title": "Widget maker changes hands",
        "published": "2014-03-04",
        "body": "Former Microsoft chairman Bill Gates praised the deal.\n\nMicrosoft chief executive Satya Nadella said it was good news."
    });
    let (csv, rows) = query_article(&article, "positions");
    let gates = rows.iter().find(|r| r["personName"].contains("Gates")).unwrap_or_else(|| panic!("no post of Gates in {csv}"));
    assert_eq!((gates["role"].as_str(), gates["former"].as_str()), ("chairman", "true"), "{csv}");
    let nadella = rows.iter().find(|r| r["personName"].contains("Nadella")).unwrap_or_else(|| panic!("no post of Nadella in {csv}"));
    assert_eq!((nadella["role"].as_str(), nadella["former"].as_str()), ("chief executive", "false"), "{csv}");
}
