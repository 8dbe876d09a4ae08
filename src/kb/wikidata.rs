//! `newsgraph kb import --wikidata FILE`: a user knowledge base from a Wikidata dump, streamed.
//!
//! Two dump formats, plain or compressed (`.gz`, `.bz2`): the JSON dump (`latest-all.json`: a
//! JSON array with one entity per line) and the truthy N-Triples dump (`latest-truthy.nt`, the
//! triples of each entity together). An entity is kept when it has an English label, enough
//! sitelinks (`--min-sitelinks`), and an instance-of (P31) class that leads, through subclass-of
//! (P279), to a person, organization, place or event class. What is kept: English label, aliases
//! and description, sitelink count (the popularity prior), GeoNames id (P1566), country (P17, or
//! a person's citizenship P27, as its ISO code P297), coordinates (P625), population (P1082) and positions held (P39, with start
//! P580 and end P582 in the JSON dump; the truthy dump has no qualifiers).
//!
//! One pass, flat memory: the dump is read line by line and never held. What stays in memory is
//! what the output needs (the kept entities) plus the subclass graph and the country codes, which
//! do not grow with the dump's other contents; classes are resolved at the end, so the order of
//! the dump does not matter.

use super::{EntryData, RoleData};
use crate::doc::EntityKind;
use anyhow::{bail, Context};
use serde::Deserialize;
use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// The classes a type resolves to: (QID, kind, finer class). Entities whose classes reach one
/// of these through P279 take the nearest.
const ROOT_CLASSES: &[(u32, EntityKind, Option<&str>)] = &[
    (5, EntityKind::Person, None),                                  // human
    (6256, EntityKind::Place, Some("Country")),                     // country
    (3624078, EntityKind::Place, Some("Country")),                  // sovereign state
    (35657, EntityKind::Place, Some("State")),                      // state of the United States
    (10864048, EntityKind::Place, Some("AdministrativeArea")),      // first-level administrative division
    (56061, EntityKind::Place, Some("AdministrativeArea")),         // administrative territorial entity
    (515, EntityKind::Place, Some("City")),                         // city
    (1549591, EntityKind::Place, Some("City")),                     // big city
    (5119, EntityKind::Place, Some("City")),                        // capital
    (3957, EntityKind::Place, Some("City")),                        // town
    (486972, EntityKind::Place, Some("City")),                      // human settlement
    (5107, EntityKind::Place, Some("Continent")),                   // continent
    (27096213, EntityKind::Place, None),                            // geographic entity
    (2221906, EntityKind::Place, None),                             // geographic location
    (618123, EntityKind::Place, None),                              // geographical feature
    (41176, EntityKind::Place, Some("Building")),                   // building
    (7278, EntityKind::Organization, Some("PoliticalParty")),       // political party
    (484652, EntityKind::Organization, Some("InternationalOrganization")),
    (476028, EntityKind::Organization, Some("SportsTeam")),         // association football club
    (12973014, EntityKind::Organization, Some("SportsTeam")),       // sports team
    (847017, EntityKind::Organization, Some("SportsTeam")),         // sports club
    (4438121, EntityKind::Organization, Some("SportsOrganization")),
    (1193236, EntityKind::Organization, Some("NewsMediaOrganization")), // news media
    (192283, EntityKind::Organization, Some("NewsMediaOrganization")),  // news agency
    (11032, EntityKind::Organization, Some("NewsMediaOrganization")),   // newspaper
    (15265344, EntityKind::Organization, Some("NewsMediaOrganization")), // broadcaster
    (327333, EntityKind::Organization, Some("GovernmentOrganization")), // government agency
    (2659904, EntityKind::Organization, Some("GovernmentOrganization")), // government organization
    (2385804, EntityKind::Organization, Some("EducationalOrganization")),
    (3918, EntityKind::Organization, Some("EducationalOrganization")), // university
    (783794, EntityKind::Organization, Some("Company")),            // company
    (4830453, EntityKind::Organization, Some("Company")),           // business
    (163740, EntityKind::Organization, Some("NGO")),                // nonprofit organization
    (43229, EntityKind::Organization, None),                        // organization
    (1656682, EntityKind::Event, None),                             // event
    (1190554, EntityKind::Event, None),                             // occurrence
];

/// How far up the subclass graph a class is followed.
const MAX_DEPTH: usize = 10;

/// What an import keeps and how it went.
#[derive(Debug, Default)]
pub struct Import {
    pub entries: Vec<EntryData>,
    /// Entities read.
    pub read: u64,
    /// Lines or entities that did not parse (each skipped; the first few are reported).
    pub skipped: u64,
    pub first_problems: Vec<String>,
}

/// One entity as read, before its classes are resolved.
#[derive(Debug, Default, Clone)]
struct Candidate {
    qid: u32,
    label: Option<String>,
    aliases: Vec<String>,
    description: Option<String>,
    instance_of: Vec<u32>,
    subclass_of: Vec<u32>,
    sitelinks: u32,
    geonames: Option<u32>,
    country: Option<u32>,
    iso2: Option<String>,
    coordinates: Option<(f64, f64)>,
    population: Option<u64>,
    positions: Vec<(u32, Option<String>, Option<String>)>,
}

/// The import in progress: kept candidates, the subclass graph, country codes.
struct Importer {
    min_sitelinks: u32,
    kept: Vec<Candidate>,
    subclass_of: HashMap<u32, Vec<u32>>,
    iso2: HashMap<u32, String>,
    /// Labels of position items (P39 values), for the roles' names.
    position_labels: HashMap<u32, String>,
    import: Import,
}

impl Importer {
    fn new(min_sitelinks: u32) -> Importer {
        Importer {
            min_sitelinks,
            kept: Vec::new(),
            subclass_of: HashMap::new(),
            iso2: HashMap::new(),
            position_labels: HashMap::new(),
            import: Import::default(),
        }
    }

    fn problem(&mut self, message: String) {
        self.import.skipped += 1;
        if self.import.first_problems.len() < 10 {
            self.import.first_problems.push(message);
        }
    }

    fn take(&mut self, candidate: Candidate) {
        self.import.read += 1;
        if !candidate.subclass_of.is_empty() {
            self.subclass_of.insert(candidate.qid, candidate.subclass_of.clone());
        }
        if let Some(code) = &candidate.iso2 {
            self.iso2.insert(candidate.qid, code.clone());
        }
        if candidate.instance_of.iter().any(|c| POSITION_CLASSES.contains(c)) {
            if let Some(label) = &candidate.label {
                self.position_labels.insert(candidate.qid, label.clone());
            }
        }
        let wanted = candidate.label.is_some() && candidate.sitelinks >= self.min_sitelinks && !candidate.instance_of.is_empty();
        if wanted {
            self.kept.push(Candidate { subclass_of: Vec::new(), ..candidate });
        }
    }

    /// Resolves the kept candidates' classes and builds their entries.
    fn finish(mut self) -> Import {
        let mut memo: HashMap<u32, Option<(EntityKind, Option<&'static str>)>> = HashMap::new();
        let roots: HashMap<u32, (EntityKind, Option<&'static str>)> = ROOT_CLASSES.iter().map(|&(q, k, c)| (q, (k, c))).collect();
        let kept = std::mem::take(&mut self.kept);
        for candidate in kept {
            let types: Vec<(EntityKind, Option<&'static str>)> = candidate
                .instance_of
                .iter()
                .filter_map(|&class| *memo.entry(class).or_insert_with(|| resolve_class(class, &roots, &self.subclass_of)))
                .collect();
            // A person is a person whatever else they are; otherwise the first class that resolves.
            let Some(&(kind, class)) = types.iter().find(|(k, _)| *k == EntityKind::Person).or(types.first()) else {
                continue;
            };
            let qid = format!("Q{}", candidate.qid);
            let label = candidate.label.clone().unwrap_or_default();
            let country = match class {
                Some("Country") => candidate.iso2.clone(),
                _ => candidate.country.and_then(|c| self.iso2.get(&c).cloned()),
            };
            let roles = candidate
                .positions
                .iter()
                .map(|(position, start, end)| RoleData {
                    role: self.position_labels.get(position).cloned().unwrap_or_else(|| format!("Q{position}")),
                    role_qid: Some(format!("Q{position}")),
                    start: start.clone(),
                    end: end.clone(),
                    ..RoleData::default()
                })
                .collect();
            self.import.entries.push(EntryData {
                class: class.map(str::to_string),
                aliases: candidate.aliases,
                wikidata: Some(qid.clone()),
                geonames: candidate.geonames,
                lat: candidate.coordinates.map(|c| c.0),
                long: candidate.coordinates.map(|c| c.1),
                population: candidate.population,
                country,
                description: candidate.description,
                sitelinks: Some(candidate.sitelinks),
                roles,
                ..EntryData::new(qid, kind, label)
            });
        }
        self.import
    }
}

/// Position classes whose instances' labels name roles (position, public office, legislative
/// position, elected office).
const POSITION_CLASSES: &[u32] = &[4164871, 294414, 4175034, 30461];

/// The nearest root class of `class`, breadth first up the subclass graph.
fn resolve_class(
    class: u32,
    roots: &HashMap<u32, (EntityKind, Option<&'static str>)>,
    subclass_of: &HashMap<u32, Vec<u32>>,
) -> Option<(EntityKind, Option<&'static str>)> {
    let mut queue = VecDeque::from([(class, 0)]);
    let mut seen = std::collections::HashSet::from([class]);
    while let Some((current, depth)) = queue.pop_front() {
        if let Some(&found) = roots.get(&current) {
            return Some(found);
        }
        if depth >= MAX_DEPTH {
            continue;
        }
        for &parent in subclass_of.get(&current).into_iter().flatten() {
            if seen.insert(parent) {
                queue.push_back((parent, depth + 1));
            }
        }
    }
    None
}

/// Which dump format a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DumpFormat {
    Json,
    NTriples,
}

/// Reads a dump file: `.gz` and `.bz2` are decompressed as they stream; the format comes from
/// the name (`.json`, `.nt`) or, failing that, from the first byte.
pub fn import_file(path: &Path, min_sitelinks: u32) -> anyhow::Result<Import> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_lowercase();
    let reader: Box<dyn Read> = if name.ends_with(".gz") {
        Box::new(flate2::read::MultiGzDecoder::new(BufReader::with_capacity(1 << 20, file)))
    } else if name.ends_with(".bz2") {
        Box::new(bzip2::read::MultiBzDecoder::new(BufReader::with_capacity(1 << 20, file)))
    } else {
        Box::new(file)
    };
    let mut reader = BufReader::with_capacity(1 << 20, reader);
    let format = if name.contains(".json") {
        DumpFormat::Json
    } else if name.contains(".nt") {
        DumpFormat::NTriples
    } else {
        let first = reader.fill_buf().with_context(|| format!("reading {}", path.display()))?;
        match first.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'[' | b'{') => DumpFormat::Json,
            Some(b'<' | b'#') => DumpFormat::NTriples,
            _ => bail!("{}: neither a Wikidata JSON dump nor N-Triples", path.display()),
        }
    };
    import(reader, format, min_sitelinks).with_context(|| format!("reading {}", path.display()))
}

/// Streams a dump of `format` from `reader`.
pub fn import(reader: impl BufRead, format: DumpFormat, min_sitelinks: u32) -> anyhow::Result<Import> {
    let mut importer = Importer::new(min_sitelinks);
    match format {
        DumpFormat::Json => read_json(reader, &mut importer)?,
        DumpFormat::NTriples => read_ntriples(reader, &mut importer)?,
    }
    Ok(importer.finish())
}

fn read_json(mut reader: impl BufRead, importer: &mut Importer) -> anyhow::Result<()> {
    let mut line = String::new();
    let mut number = 0u64;
    loop {
        line.clear();
        if reader.read_line(&mut line).context("reading the dump")? == 0 {
            break;
        }
        number += 1;
        let text = line.trim().trim_end_matches(',');
        if text.is_empty() || text == "[" || text == "]" {
            continue;
        }
        // Most items (scholarly articles, taxa) have no sitelinks and are no class: skipped
        // without parsing. Classes are kept for their P279 even without sitelinks.
        if importer.min_sitelinks > 0 && text.ends_with("\"sitelinks\":{}}") && !text.contains("\"P279\"") && !text.contains("\"P297\"") {
            importer.import.read += 1;
            continue;
        }
        match serde_json::from_str::<JsonEntity>(text) {
            Ok(entity) => {
                if let Some(candidate) = entity.candidate() {
                    importer.take(candidate);
                }
            }
            Err(error) => importer.problem(format!("line {number}: {error}")),
        }
    }
    Ok(())
}

#[derive(Deserialize)]
struct JsonEntity {
    id: String,
    #[serde(default)]
    labels: English<LangValue>,
    #[serde(default)]
    descriptions: English<LangValue>,
    #[serde(default)]
    aliases: English<Vec<LangValue>>,
    #[serde(default)]
    claims: Claims,
    #[serde(default)]
    sitelinks: Count,
}

#[derive(Deserialize)]
struct English<T> {
    en: Option<T>,
}

impl<T> Default for English<T> {
    fn default() -> Self {
        English { en: None }
    }
}

#[derive(Deserialize)]
struct LangValue {
    value: String,
}

#[allow(non_snake_case)]
#[derive(Deserialize, Default)]
struct Claims {
    #[serde(default)]
    P31: Vec<Statement>,
    #[serde(default)]
    P279: Vec<Statement>,
    #[serde(default)]
    P1566: Vec<Statement>,
    #[serde(default)]
    P17: Vec<Statement>,
    #[serde(default)]
    P27: Vec<Statement>,
    #[serde(default)]
    P39: Vec<Statement>,
    #[serde(default)]
    P297: Vec<Statement>,
    #[serde(default)]
    P625: Vec<Statement>,
    #[serde(default)]
    P1082: Vec<Statement>,
}

#[derive(Deserialize)]
struct Statement {
    mainsnak: Snak,
    #[serde(default)]
    qualifiers: Qualifiers,
    #[serde(default)]
    rank: Option<String>,
}

#[allow(non_snake_case)]
#[derive(Deserialize, Default)]
struct Qualifiers {
    #[serde(default)]
    P580: Vec<Snak>,
    #[serde(default)]
    P582: Vec<Snak>,
}

#[derive(Deserialize)]
struct Snak {
    datavalue: Option<DataValue>,
}

#[derive(Deserialize)]
struct DataValue {
    value: serde_json::Value,
}

/// The number of entries of a JSON object, without keeping them.
#[derive(Default)]
struct Count(u32);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Count, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Count;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map or a list")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Count, A::Error> {
                let mut n = 0;
                while map.next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?.is_some() {
                    n += 1;
                }
                Ok(Count(n))
            }
            // An entity without sitelinks may write `[]`.
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Count, A::Error> {
                let mut n = 0;
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    n += 1;
                }
                Ok(Count(n))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl Statement {
    fn value(&self) -> Option<&serde_json::Value> {
        if self.rank.as_deref() == Some("deprecated") {
            return None;
        }
        self.mainsnak.datavalue.as_ref().map(|d| &d.value)
    }

    fn item(&self) -> Option<u32> {
        item_number(self.value()?)
    }
}

fn item_number(value: &serde_json::Value) -> Option<u32> {
    value["numeric-id"].as_u64().and_then(|n| u32::try_from(n).ok()).or_else(|| qid_number(value["id"].as_str()?))
}

fn qid_number(text: &str) -> Option<u32> {
    text.strip_prefix('Q')?.parse().ok()
}

/// "+2005-11-22T00:00:00Z" → "2005-11-22"; a date known to the year or month only keeps what
/// is known ("+1990-00-00T…" → "1990").
fn wikidata_date(value: &serde_json::Value) -> Option<String> {
    let time = value["time"].as_str().or_else(|| value.as_str())?;
    let time = time.trim_start_matches('+');
    let date = time.split('T').next()?;
    let parts: Vec<&str> = date.split('-').collect();
    match parts.as_slice() {
        [year, "00", ..] => Some(year.to_string()),
        [year, month, "00"] => Some(format!("{year}-{month}")),
        [year, month, day] => Some(format!("{year}-{month}-{day}")),
        _ => None,
    }
}

impl JsonEntity {
    fn candidate(self) -> Option<Candidate> {
        let qid = qid_number(&self.id)?;
        let items = |statements: &[Statement]| -> Vec<u32> { statements.iter().filter_map(Statement::item).collect() };
        let claims = &self.claims;
        Some(Candidate {
            qid,
            label: self.labels.en.map(|l| l.value),
            aliases: self.aliases.en.unwrap_or_default().into_iter().map(|a| a.value).collect(),
            description: self.descriptions.en.map(|d| d.value),
            instance_of: items(&claims.P31),
            subclass_of: items(&claims.P279),
            sitelinks: self.sitelinks.0,
            geonames: claims.P1566.iter().find_map(|s| s.value()?.as_str()?.parse().ok()),
            country: claims.P17.iter().chain(&claims.P27).find_map(Statement::item),
            iso2: claims.P297.iter().find_map(|s| s.value()?.as_str().map(str::to_string)),
            coordinates: claims.P625.iter().find_map(|s| {
                let v = s.value()?;
                Some((v["latitude"].as_f64()?, v["longitude"].as_f64()?))
            }),
            population: claims.P1082.iter().find_map(|s| s.value()?["amount"].as_str()?.trim_start_matches('+').parse().ok()),
            positions: claims
                .P39
                .iter()
                .filter_map(|s| {
                    let position = s.item()?;
                    let date = |snaks: &[Snak]| snaks.iter().find_map(|q| wikidata_date(&q.datavalue.as_ref()?.value));
                    Some((position, date(&s.qualifiers.P580), date(&s.qualifiers.P582)))
                })
                .collect(),
        })
    }
}

const ENTITY: &str = "http://www.wikidata.org/entity/Q";
const DIRECT: &str = "http://www.wikidata.org/prop/direct/";
const ENTITY_DATA: &str = "https://www.wikidata.org/wiki/Special:EntityData/Q";

fn read_ntriples(reader: impl BufRead, importer: &mut Importer) -> anyhow::Result<()> {
    use oxigraph::io::{RdfFormat, RdfParser};
    use oxigraph::model::{NamedOrBlankNode, Term};
    let mut current: Option<Candidate> = None;
    // Sitelinks counted from `schema:about` lines, used when no `wikibase:sitelinks` is given.
    let mut about_count = 0u32;
    let mut sitelinks_given = false;
    let parser = RdfParser::from_format(RdfFormat::NTriples).lenient().for_reader(reader);
    for quad in parser {
        let quad = match quad {
            Ok(quad) => quad,
            Err(error) => {
                importer.problem(error.to_string());
                continue;
            }
        };
        let subject = match &quad.subject {
            NamedOrBlankNode::NamedNode(n) => n.as_str(),
            _ => continue,
        };
        let predicate = quad.predicate.as_str();
        let object_entity = match &quad.object {
            Term::NamedNode(n) => n.as_str().strip_prefix(ENTITY).and_then(|q| q.parse::<u32>().ok()),
            _ => None,
        };
        // Which entity the triple is about: its own subject, its data node's, or (a sitelink's
        // article) the entity the article is about; other lines belong to the current one.
        let entity = subject
            .strip_prefix(ENTITY)
            .or_else(|| subject.strip_prefix(ENTITY_DATA))
            .and_then(|q| q.parse::<u32>().ok())
            .or(if predicate == "http://schema.org/about" { object_entity } else { None });
        if let Some(qid) = entity {
            if current.as_ref().is_some_and(|c| c.qid != qid) {
                let mut done = current.take().expect("checked");
                if !sitelinks_given {
                    done.sitelinks = about_count;
                }
                importer.take(done);
            }
            if current.is_none() {
                current = Some(Candidate { qid, ..Candidate::default() });
                about_count = 0;
                sitelinks_given = false;
            }
        }
        let Some(candidate) = current.as_mut() else { continue };
        let english = |term: &Term| match term {
            Term::Literal(l) if l.language().is_some_and(|lang| lang == "en") => Some(l.value().to_string()),
            _ => None,
        };
        let literal = |term: &Term| match term {
            Term::Literal(l) => Some(l.value().to_string()),
            _ => None,
        };
        let own = subject.strip_prefix(ENTITY).is_some();
        match predicate {
            "http://schema.org/about" if !subject.starts_with(ENTITY_DATA) => about_count += 1,
            "http://wikiba.se/ontology#sitelinks" => {
                if let Some(n) = literal(&quad.object).and_then(|v| v.parse().ok()) {
                    candidate.sitelinks = n;
                    sitelinks_given = true;
                }
            }
            "http://www.w3.org/2000/01/rdf-schema#label" if own => {
                if let Some(label) = english(&quad.object) {
                    candidate.label = Some(label);
                }
            }
            "http://www.w3.org/2004/02/skos/core#altLabel" if own => candidate.aliases.extend(english(&quad.object)),
            "http://schema.org/description" if own => {
                if let Some(description) = english(&quad.object) {
                    candidate.description = Some(description);
                }
            }
            _ if own && predicate.starts_with(DIRECT) => {
                let property = &predicate[DIRECT.len()..];
                match property {
                    "P31" => candidate.instance_of.extend(object_entity),
                    "P279" => candidate.subclass_of.extend(object_entity),
                    "P17" | "P27" => candidate.country = candidate.country.or(object_entity),
                    "P39" => candidate.positions.extend(object_entity.map(|p| (p, None, None))),
                    "P1566" => candidate.geonames = candidate.geonames.or(literal(&quad.object).and_then(|v| v.parse().ok())),
                    "P297" => candidate.iso2 = candidate.iso2.take().or(literal(&quad.object)),
                    "P1082" => {
                        candidate.population =
                            candidate.population.or(literal(&quad.object).and_then(|v| v.trim_start_matches('+').parse().ok()))
                    }
                    "P625" => candidate.coordinates = candidate.coordinates.or(literal(&quad.object).and_then(|v| wkt_point(&v))),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    if let Some(mut done) = current {
        if !sitelinks_given {
            done.sitelinks = about_count;
        }
        importer.take(done);
    }
    Ok(())
}

/// "Point(2.35 48.85)" → (latitude 48.85, longitude 2.35); a point on another globe has a
/// `<…>` prefix and is not one of ours.
fn wkt_point(text: &str) -> Option<(f64, f64)> {
    let inner = text.trim().strip_prefix("Point(")?.strip_suffix(')')?;
    let mut parts = inner.split_whitespace();
    let long: f64 = parts.next()?.parse().ok()?;
    let lat: f64 = parts.next()?.parse().ok()?;
    Some((lat, long))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_precision() {
        assert_eq!(wikidata_date(&serde_json::json!({"time": "+2005-11-22T00:00:00Z"})).as_deref(), Some("2005-11-22"));
        assert_eq!(wikidata_date(&serde_json::json!({"time": "+1990-00-00T00:00:00Z"})).as_deref(), Some("1990"));
        assert_eq!(wikidata_date(&serde_json::json!({"time": "+1990-05-00T00:00:00Z"})).as_deref(), Some("1990-05"));
        assert_eq!(wkt_point("Point(2.35 48.85)"), Some((48.85, 2.35)));
        assert_eq!(wkt_point("<http://www.wikidata.org/entity/Q405> Point(1 2)"), None);
    }
}
