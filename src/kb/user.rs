//! User knowledge bases: JSON lines, one entity a line (format in `docs/kb.md`).

use super::EntryData;
use crate::doc::EntityKind;
use anyhow::{bail, Context};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UserRecord {
    id: String,
    label: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(rename = "type")]
    kind: String,
    country: Option<String>,
    description: Option<String>,
    lat: Option<f64>,
    long: Option<f64>,
}

/// Parses a user knowledge base; errors name `source` and the line.
pub fn parse_user_kb(text: &str, source: &str) -> anyhow::Result<Vec<EntryData>> {
    let mut entries = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        let at = format!("{source}:{}", i + 1);
        let record: UserRecord = serde_json::from_str(line).with_context(|| format!("{at}: not a knowledge-base entry"))?;
        entries.push(to_entry(record).with_context(|| at.clone())?);
    }
    Ok(entries)
}

fn to_entry(record: UserRecord) -> anyhow::Result<EntryData> {
    if record.label.trim().is_empty() {
        bail!("empty label");
    }
    let (kind, class) = kind_and_class(&record.kind)?;
    let (id, wikidata, geonames) = parse_id(record.id.trim())?;
    let country = match record.country.map(|c| c.trim().to_ascii_uppercase()) {
        Some(c) if c.len() == 2 && c.chars().all(|c| c.is_ascii_alphabetic()) => Some(c),
        Some(c) => bail!("country {c:?} is not an ISO 3166-1 alpha-2 code"),
        None => None,
    };
    Ok(EntryData {
        class,
        aliases: record.aliases.into_iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect(),
        wikidata,
        geonames,
        lat: record.lat.filter(|v| v.is_finite() && v.abs() <= 90.0),
        long: record.long.filter(|v| v.is_finite() && v.abs() <= 180.0),
        country,
        description: record.description,
        ..EntryData::new(id, kind, record.label.trim())
    })
}

/// `type`: a base kind ("person", "organization", "place", "event") or a class name.
fn kind_and_class(text: &str) -> anyhow::Result<(EntityKind, Option<String>)> {
    let class = |kind, name: &str| Ok((kind, Some(name.to_string())));
    match text.trim() {
        t if t.eq_ignore_ascii_case("person") => Ok((EntityKind::Person, None)),
        t if t.eq_ignore_ascii_case("organization") || t.eq_ignore_ascii_case("organisation") => {
            Ok((EntityKind::Organization, None))
        }
        t if t.eq_ignore_ascii_case("place") => Ok((EntityKind::Place, None)),
        t if t.eq_ignore_ascii_case("event") => Ok((EntityKind::Event, None)),
        name @ ("Country" | "City" | "Continent" | "State" | "AdministrativeArea" | "Landform" | "Building") => {
            class(EntityKind::Place, name)
        }
        name @ ("PoliticalParty" | "InternationalOrganization" | "Corporation" | "Company" | "GovernmentOrganization"
        | "NGO" | "SportsTeam" | "SportsOrganization" | "NewsMediaOrganization" | "EducationalOrganization") => {
            class(EntityKind::Organization, name)
        }
        other => bail!(
            "unknown type {other:?}: use person, organization, place or event, or a class such as City, Country, \
             State, Company, PoliticalParty, SportsTeam"
        ),
    }
}

/// The entry id and the Wikidata / GeoNames ids an `id` field gives: a QID, a Wikidata entity
/// IRI, a GeoNames IRI, or any other absolute IRI.
fn parse_id(id: &str) -> anyhow::Result<(String, Option<String>, Option<u32>)> {
    if is_qid(id) {
        return Ok((id.to_string(), Some(id.to_string()), None));
    }
    for prefix in ["http://www.wikidata.org/entity/", "https://www.wikidata.org/entity/", "https://www.wikidata.org/wiki/"] {
        if let Some(qid) = id.strip_prefix(prefix).filter(|q| is_qid(q)) {
            return Ok((qid.to_string(), Some(qid.to_string()), None));
        }
    }
    for prefix in ["https://sws.geonames.org/", "http://sws.geonames.org/"] {
        if let Some(number) = id.strip_prefix(prefix).map(|rest| rest.trim_end_matches('/')) {
            let geonames: u32 = number.parse().with_context(|| format!("GeoNames IRI {id:?} has no numeric id"))?;
            return Ok((format!("geonames:{geonames}"), None, Some(geonames)));
        }
    }
    iri_string::types::IriStr::new(id).with_context(|| format!("id {id:?} is neither a Wikidata QID nor an absolute IRI"))?;
    Ok((id.to_string(), None, None))
}

fn is_qid(text: &str) -> bool {
    text.strip_prefix('Q').is_some_and(|n| !n.is_empty() && n.len() < 12 && n.chars().all(|c| c.is_ascii_digit()))
}
