//! `newsgraph kb build`: compiles the bundled knowledge base from the shared data folder.
//!
//! Sources (see `kb/README.md` for versions and licenses): `countries/` (ISO codes, QIDs, names,
//! demonyms), `gazetteers/` (GeoNames: countries, cities ≥ 15,000, continents, US states),
//! `cities-wikidata/` (QIDs of those cities, with the confidence of each match, and of first-level
//! subdivisions), `kb/` (international organizations, political parties), `kb-news-orgs/`
//! (parties, legislatures and executives), `kb-news-people/` (politicians with their posts),
//! `kb-fb15k237/` (people, companies, media, clubs, places with aliases) and `ud-english-ewt/`
//! (which words are ordinary English words, to drop junk alternate names). Entities of several
//! sources are merged by QID. The output is deterministic: the same data gives the same bytes.

use super::normalise::{alias_key, is_all_caps};
use super::{compile, EntryData, RoleData};
use crate::doc::EntityKind;
use anyhow::{bail, Context};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// All-caps abbreviations that name something else far more often in news text than a country,
/// party or organization ("TV" is Tuvalu's code, "MP" a party's): never aliases.
const GENERIC_ACRONYMS: &[&str] = &[
    "AI", "AM", "CD", "CEO", "CV", "DJ", "DVD", "FM", "GB", "GDP", "ID", "IT", "LP", "MB", "MP", "OK", "PC", "PM", "PR",
    "PS", "TV", "VAT",
];

/// Compiles the knowledge base from `data` (the shared data folder) into the bytes of a
/// `kb/bundled.kb` file.
pub fn build_from_data(data: &Path) -> anyhow::Result<Vec<u8>> {
    let common_words = common_words(&data.join("ud-english-ewt"))?;
    let mut builder = Builder { entries: Vec::new(), by_qid: HashMap::new(), common_words: &common_words };
    let countries = builder.add_countries(data)?;
    builder.add_continents(&data.join("gazetteers/continents.tsv"))?;
    let subdivisions = Tsv::read(&data.join("cities-wikidata/subdivisions_wikidata.tsv"))?;
    builder.add_us_states(&data.join("gazetteers/us_states.tsv"), &subdivisions)?;
    // Cities before subdivisions: a QID that both carry ("Paris", the commune and the
    // department) is the city's.
    builder.add_cities(&data.join("gazetteers/cities15000.tsv"), &data.join("cities-wikidata/cities15000_wikidata.tsv"))?;
    builder.add_subdivisions(&subdivisions)?;
    builder.add_international_organizations(&data.join("kb/international_organizations.jsonl"))?;
    builder.add_political_parties(&data.join("kb/political_parties.jsonl"), &countries.iso3_to_iso2)?;
    builder.add_news_organizations(&data.join("kb-news-orgs/kb-news-orgs.jsonl"))?;
    builder.add_news_people(&data.join("kb-news-people/kb-news-people.jsonl"))?;
    builder.add_fb15k237(&data.join("kb-fb15k237/fb15k237_entities.jsonl"))?;
    builder.add_countries_without_great();
    let entries = builder.entries;
    let demonyms = demonyms(data, &countries, &entries)?;
    compile(entries, demonyms, common_words.into_iter().collect())
}

struct Builder<'a> {
    entries: Vec<EntryData>,
    /// QID → index of its entry, to merge what several sources say about one entity.
    by_qid: HashMap<String, usize>,
    common_words: &'a HashSet<String>,
}

/// What the country pass leaves for later passes.
struct Countries {
    /// ISO2 → index of the country's entry.
    by_iso2: HashMap<String, usize>,
    iso3_to_iso2: HashMap<String, String>,
}

impl Builder<'_> {
    fn add_countries(&mut self, data: &Path) -> anyhow::Result<Countries> {
        let gazetteer = Tsv::read(&data.join("gazetteers/countries.tsv"))?;
        let mut geonames_by_iso2: HashMap<String, (String, Option<u64>)> = HashMap::new();
        for row in gazetteer.rows() {
            let population = row.get("population")?.parse().ok();
            geonames_by_iso2.insert(row.get("iso2")?.to_string(), (row.get("name")?.to_string(), population));
        }
        let table = Tsv::read(&data.join("countries/countries.tsv"))?;
        let mut countries = Countries { by_iso2: HashMap::new(), iso3_to_iso2: HashMap::new() };
        for row in table.rows() {
            let iso2 = row.get("iso2")?;
            let name = row.get("name")?;
            let (geonames_name, population) = geonames_by_iso2.get(iso2).cloned().unwrap_or_default();
            // dr5hn's names are sometimes administrative ("Macau S.A.R.", "Man (Isle of)");
            // GeoNames' are then the shorter, usual form.
            let label = if !geonames_name.is_empty() && usual_length(&geonames_name) < usual_length(name) {
                geonames_name.clone()
            } else {
                name.to_string()
            };
            let mut names = vec![name.to_string(), geonames_name];
            for alt in row.get("alt_names")?.split('|') {
                let alt = alt.trim();
                // "Bolivia, Plurinational State of": a sorting form, not a name.
                if alt.contains(',') {
                    continue;
                }
                // ISO codes are aliases only when they are the name's initials ("US" for United
                // States), not arbitrary codes that read as words or acronyms ("IT", "TV", "IN").
                if alt == iso2 && !is_initialism(alt, &label) && !is_initialism(alt, name) {
                    continue;
                }
                names.push(alt.to_string());
            }
            let qid = row.get("wikidata")?.to_string();
            let entry = EntryData {
                class: Some("Country".into()),
                wikidata: Some(qid.clone()),
                geonames: row.get("geonameid")?.parse().ok(),
                lat: parse_coordinate(row.get("latitude")?),
                long: parse_coordinate(row.get("longitude")?),
                population,
                country: Some(iso2.to_string()),
                ..EntryData::new(qid, EntityKind::Place, label)
            };
            countries.by_iso2.insert(iso2.to_string(), self.entries.len());
            countries.iso3_to_iso2.insert(row.get("iso3")?.to_string(), iso2.to_string());
            self.push(entry, names, false);
        }
        Ok(countries)
    }

    fn add_continents(&mut self, path: &Path) -> anyhow::Result<()> {
        let table = Tsv::read(path)?;
        for row in table.rows() {
            let geonames: u32 = row.get("geonameid")?.parse().with_context(|| format!("{}: geonameid", path.display()))?;
            let wikidata = Some(row.get("wikidata")?).filter(|q| !q.is_empty()).map(str::to_string);
            let id = wikidata.clone().unwrap_or_else(|| format!("geonames:{geonames}"));
            let entry = EntryData {
                class: Some("Continent".into()),
                wikidata,
                geonames: Some(geonames),
                lat: parse_coordinate(row.get("latitude")?),
                long: parse_coordinate(row.get("longitude")?),
                population: row.get("population")?.parse().ok(),
                ..EntryData::new(id, EntityKind::Place, row.get("name")?)
            };
            let names = row.get("alternate_names")?.split('|').map(str::to_string).collect();
            self.push(entry, names, true);
        }
        Ok(())
    }

    /// The 50 states and DC, with the QID of their ISO 3166-2 subdivision.
    fn add_us_states(&mut self, path: &Path, subdivisions: &Tsv) -> anyhow::Result<()> {
        let mut qid_by_iso: HashMap<String, String> = HashMap::new();
        for row in subdivisions.rows() {
            if let Some(qid) = clean_subdivision_qid(&row)? {
                qid_by_iso.insert(row.get("iso3166_2")?.to_string(), qid);
            }
        }
        let table = Tsv::read(path)?;
        for row in table.rows() {
            let geonames: u32 = row.get("geonameid")?.parse().with_context(|| format!("{}: geonameid", path.display()))?;
            let code = row.get("code")?;
            let wikidata = qid_by_iso.get(&format!("US-{code}")).cloned();
            let id = wikidata.clone().unwrap_or_else(|| format!("geonames:{geonames}"));
            // Postal codes ("IN", "OR", "ME") read as words: not aliases.
            let entry = EntryData {
                class: Some("State".into()),
                wikidata,
                geonames: Some(geonames),
                country: Some("US".into()),
                region: Some(code.to_string()),
                ..EntryData::new(id, EntityKind::Place, row.get("name")?)
            };
            self.push(entry, Vec::new(), false);
        }
        Ok(())
    }

    /// First-level subdivisions of the other countries (provinces, regions, states,
    /// departments), with a QID that no check doubts. Kinds named like towns (municipalities,
    /// districts, parishes, boroughs) are left out: the cities table has the towns.
    fn add_subdivisions(&mut self, table: &Tsv) -> anyhow::Result<()> {
        const TOWN_LIKE: &[&str] = &["municipal", "parish", "council", "commune", "city", "town", "borough", "district"];
        for row in table.rows() {
            let country = row.get("country_code")?;
            let kind = row.get("type")?.to_lowercase();
            let level = row.get("level")?;
            if country == "US" || !matches!(level, "" | "1") || TOWN_LIKE.iter().any(|t| kind.contains(t)) {
                continue;
            }
            let Some(qid) = clean_subdivision_qid(&row)? else { continue };
            if self.by_qid.contains_key(&qid) {
                continue;
            }
            let admin1 = row.get("geonames_admin1")?.split('|').next().unwrap_or("").to_string();
            let entry = EntryData {
                class: Some("AdministrativeArea".into()),
                wikidata: Some(qid.clone()),
                lat: parse_coordinate(row.get("latitude")?),
                long: parse_coordinate(row.get("longitude")?),
                country: Some(country.to_string()),
                region: Some(admin1).filter(|a| !a.is_empty()),
                ..EntryData::new(qid, EntityKind::Place, row.get("name")?)
            };
            self.push(entry, Vec::new(), false);
        }
        Ok(())
    }

    /// GeoNames cities, with the Wikidata QID where `cities-wikidata` matched one with high or
    /// medium confidence (weak matches are dropped: the city keeps its GeoNames id).
    fn add_cities(&mut self, path: &Path, qids: &Path) -> anyhow::Result<()> {
        let mut qid_by_geonames: HashMap<u32, String> = HashMap::new();
        let matches = Tsv::read(qids)?;
        for row in matches.rows() {
            let qid = row.get("qid")?;
            if !qid.is_empty() && matches!(row.get("confidence")?, "high" | "medium") {
                if let Ok(id) = row.get("geonameid")?.parse() {
                    qid_by_geonames.insert(id, qid.to_string());
                }
            }
        }
        let table = Tsv::read(path)?;
        for row in table.rows() {
            let geonames: u32 = row.get("geonameid")?.parse().with_context(|| format!("{}: geonameid", path.display()))?;
            // A QID already taken (a city-state's country, a subdivision of the same item) stays
            // with its first entry; the city keeps its GeoNames id.
            let wikidata = qid_by_geonames.get(&geonames).filter(|q| !self.by_qid.contains_key(*q)).cloned();
            let id = wikidata.clone().unwrap_or_else(|| format!("geonames:{geonames}"));
            let entry = EntryData {
                class: Some("City".into()),
                wikidata,
                geonames: Some(geonames),
                lat: parse_coordinate(row.get("latitude")?),
                long: parse_coordinate(row.get("longitude")?),
                population: row.get("population")?.parse().ok(),
                country: Some(row.get("country_code")?.to_string()).filter(|c| !c.is_empty()),
                region: Some(row.get("admin1_code")?.to_string()).filter(|c| !c.is_empty()),
                ..EntryData::new(id, EntityKind::Place, row.get("name")?)
            };
            let names = row.get("alternate_names")?.split('|').map(str::to_string).collect();
            self.push(entry, names, true);
        }
        Ok(())
    }

    fn add_international_organizations(&mut self, path: &Path) -> anyhow::Result<()> {
        let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
        for (line_number, record) in json_lines(path)? {
            let at = || format!("{}:{line_number}", path.display());
            let label = required(&record, "label", &at)?;
            let wikidata = record["qid"].as_str().map(str::to_string);
            let id = match (&wikidata, record["sprvd_id"].as_str()) {
                (Some(qid), _) => qid.clone(),
                (None, Some(sprvd)) => format!("supraverden:{sprvd}"),
                (None, None) => bail!("{}: neither qid nor sprvd_id", at()),
            };
            let mut names = string_list(&record["aliases"]);
            names.extend(string_list(&record["abbreviations"]));
            if let Some(english) = record["names"]["en"].as_str() {
                names.push(english.to_string());
            }
            // The source lists a few bodies twice under one QID: one entry with every name.
            if let Some(&i) = by_id.get(&id) {
                names.push(label);
                self.add_names(i, names, false);
                continue;
            }
            let country = record["country"].as_str().filter(|c| c.len() == 2 && *c != "ZZ" && *c != "EU");
            let entry = EntryData {
                class: Some("InternationalOrganization".into()),
                wikidata,
                country: country.map(str::to_string),
                ..EntryData::new(id.clone(), EntityKind::Organization, label)
            };
            by_id.insert(id, self.entries.len());
            self.push(entry, names, false);
        }
        Ok(())
    }

    fn add_political_parties(&mut self, path: &Path, iso3_to_iso2: &HashMap<String, String>) -> anyhow::Result<()> {
        for (line_number, record) in json_lines(path)? {
            let at = || format!("{}:{line_number}", path.display());
            let label = required(&record, "label", &at)?;
            let qid = required(&record, "qid", &at)?;
            let country = record["countries"]
                .as_array()
                .and_then(|list| list.first())
                .and_then(|c| c.as_str())
                .and_then(|iso3| iso3_to_iso2.get(iso3))
                .cloned();
            if let Some(&i) = self.by_qid.get(&qid) {
                self.add_names(i, string_list(&record["aliases"]), false);
                continue;
            }
            let entry = EntryData {
                class: Some("PoliticalParty".into()),
                wikidata: Some(qid.clone()),
                country,
                dissolved: record["year_dissolved"].as_i64().and_then(|y| i32::try_from(y).ok()),
                ..EntryData::new(qid, EntityKind::Organization, label)
            };
            self.push(entry, string_list(&record["aliases"]), false);
        }
        Ok(())
    }

    /// Parties, legislatures and executives of `kb-news-orgs`, merged by QID with the parties.
    fn add_news_organizations(&mut self, path: &Path) -> anyhow::Result<()> {
        for (line_number, record) in json_lines(path)? {
            let at = || format!("{}:{line_number}", path.display());
            let qid = required(&record, "qid", &at)?;
            let label = required(&record, "label", &at)?;
            let aliases = string_list(&record["aliases"]);
            if let Some(&i) = self.by_qid.get(&qid) {
                let mut names = aliases;
                names.push(label);
                self.add_names(i, names, false);
                continue;
            }
            let class = match record["kind"].as_str() {
                Some("political_party") => "PoliticalParty",
                _ => "GovernmentOrganization",
            };
            let countries = string_list(&record["countries"]);
            let entry = EntryData {
                class: Some(class.into()),
                wikidata: Some(qid.clone()),
                country: countries.first().cloned(),
                more_countries: countries.iter().skip(1).cloned().collect(),
                description: record["description"].as_str().map(str::to_string),
                ..EntryData::new(qid, EntityKind::Organization, label)
            };
            self.push(entry, aliases, false);
        }
        Ok(())
    }

    /// Politicians with their posts, parties and dates (`kb-news-people`).
    fn add_news_people(&mut self, path: &Path) -> anyhow::Result<()> {
        for (line_number, record) in json_lines(path)? {
            let at = || format!("{}:{line_number}", path.display());
            let qid = required(&record, "qid", &at)?;
            let label = required(&record, "label", &at)?;
            let roles: Vec<RoleData> = record["roles"]
                .as_array()
                .map(|list| list.iter().filter_map(role_of).collect())
                .unwrap_or_default();
            let countries = string_list(&record["countries"]);
            let entry = EntryData {
                wikidata: Some(qid.clone()),
                country: countries.first().cloned(),
                more_countries: countries.iter().skip(1).cloned().collect(),
                description: record["description"].as_str().map(str::to_string),
                roles,
                ..EntryData::new(qid, EntityKind::Person, label)
            };
            self.push(entry, string_list(&record["aliases"]), false);
        }
        Ok(())
    }

    /// FB15k-237's people, organizations, places and events: new entities, or more names and a
    /// description for those already here (merged by QID). Works and other topics are left out.
    fn add_fb15k237(&mut self, path: &Path) -> anyhow::Result<()> {
        for (line_number, record) in json_lines(path)? {
            let at = || format!("{}:{line_number}", path.display());
            let qid = required(&record, "qid", &at)?;
            let label = required(&record, "label", &at)?;
            let domains = string_list(&record["fb_domains"]);
            let kind = match record["type"].as_str() {
                Some("PER") => EntityKind::Person,
                Some("ORG") => EntityKind::Organization,
                Some("LOC") => EntityKind::Place,
                Some("EVENT") => EntityKind::Event,
                _ => continue,
            };
            // Codes and flags ("de" for Germany): names of three letters or more, or capitals.
            let aliases: Vec<String> = string_list(&record["aliases"])
                .into_iter()
                .filter(|a| a.chars().filter(|c| c.is_alphabetic()).count() >= 3 || is_all_caps(a))
                .collect();
            let description = record["description"].as_str().map(str::to_string);
            // GeoNames gives most continents no QID; FB15k-237 has them as places described as
            // a continent: the same entity, which the QID joins to Wikidata.
            let describes_a_continent = description.as_deref().is_some_and(|d| d.to_lowercase().contains("continent"));
            if kind == EntityKind::Place && describes_a_continent && !self.by_qid.contains_key(&qid) {
                if let Some(i) = self.continent_without_qid(&label) {
                    self.entries[i].id = qid.clone();
                    self.entries[i].wikidata = Some(qid.clone());
                    self.by_qid.insert(qid.clone(), i);
                }
            }
            if let Some(&i) = self.by_qid.get(&qid) {
                if self.entries[i].kind == kind {
                    let mut names = aliases;
                    names.push(label);
                    self.add_names(i, names, false);
                    if self.entries[i].description.is_none() {
                        self.entries[i].description = description;
                    }
                }
                continue;
            }
            let entry = EntryData {
                class: fb15k_class(kind, &domains).map(str::to_string),
                wikidata: Some(qid.clone()),
                description,
                ..EntryData::new(qid, kind, label)
            };
            self.push(entry, aliases, false);
        }
        Ok(())
    }

    /// The continent of this name that no source has given a QID yet.
    fn continent_without_qid(&self, name: &str) -> Option<usize> {
        let key = alias_key(name);
        self.entries.iter().position(|e| {
            e.class.as_deref() == Some("Continent") && e.wikidata.is_none() && alias_key(&e.label) == key
        })
    }

    /// A country known as "Great X" is "X" in news ("Great Britain" → "Britain"), unless
    /// another entry of the KB already goes by "X". Run once every source is in.
    fn add_countries_without_great(&mut self) {
        let taken: HashSet<String> =
            self.entries.iter().flat_map(|e| std::iter::once(&e.label).chain(&e.aliases)).map(|n| alias_key(n)).collect();
        for i in 0..self.entries.len() {
            if self.entries[i].class.as_deref() != Some("Country") {
                continue;
            }
            let names = std::iter::once(&self.entries[i].label).chain(&self.entries[i].aliases);
            let shorter: Vec<String> = names
                .filter_map(|n| n.strip_prefix("Great "))
                .filter(|short| !short.contains(' ') && !taken.contains(&alias_key(short)))
                .map(str::to_string)
                .collect();
            if !shorter.is_empty() {
                self.add_names(i, shorter, false);
            }
        }
    }

    /// Adds an entry with the usable ones among `names` as aliases.
    fn push(&mut self, mut entry: EntryData, names: Vec<String>, alternate_names: bool) {
        entry.aliases = self.clean_names(&entry.label, names, alternate_names);
        if let Some(qid) = &entry.wikidata {
            self.by_qid.entry(qid.clone()).or_insert(self.entries.len());
        }
        self.entries.push(entry);
    }

    /// Adds the usable ones among `names` to entry `i`'s aliases.
    fn add_names(&mut self, i: usize, names: Vec<String>, alternate_names: bool) {
        let mut all = std::mem::take(&mut self.entries[i].aliases);
        all.extend(names);
        self.entries[i].aliases = self.clean_names(&self.entries[i].label, all, alternate_names);
    }

    /// Keeps the names that a reader of English news could meet: Latin script, at least two
    /// letters, not an all-caps code from the generic list, one per alias key, none with the
    /// label's key. `alternate_names` (GeoNames' lists, every language and junk codes included) are
    /// held to more: capitalised, not all-caps, no digits, and not an ordinary English word.
    fn clean_names(&self, label: &str, names: Vec<String>, alternate_names: bool) -> Vec<String> {
        let mut seen: HashSet<String> = HashSet::from([alias_key(label)]);
        let mut kept = Vec::new();
        for name in names {
            let name = name.trim();
            if !is_latin_name(name) || GENERIC_ACRONYMS.contains(&name) {
                continue;
            }
            let letters = name.chars().filter(|c| c.is_alphabetic()).count();
            if letters < 2 {
                continue;
            }
            let key = alias_key(name);
            // Short mixed-case abbreviations that are words ("Con", "Lab"): too ambiguous.
            if letters <= 4 && !is_all_caps(name) && !name.contains(' ') && self.common_words.contains(&key) {
                continue;
            }
            if alternate_names {
                let capitalised = name.chars().next().is_some_and(char::is_uppercase);
                if !capitalised
                    || is_all_caps(name)
                    || name.chars().any(|c| c.is_ascii_digit())
                    || self.common_words.contains(&key)
                {
                    continue;
                }
            }
            if seen.insert(key) {
                kept.push(name.to_string());
            }
        }
        kept
    }
}

/// Demonym → countries, most populous (the sovereign state) first.
fn demonyms(data: &Path, countries: &Countries, entries: &[EntryData]) -> anyhow::Result<Vec<(String, Vec<u32>)>> {
    let mut map: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut add = |word: &str, iso2: &str| {
        let word = word.trim();
        // "UK" is listed as a nationality: an abbreviation, not a demonym.
        if word.is_empty() || is_all_caps(word) {
            return;
        }
        if let Some(&i) = countries.by_iso2.get(iso2) {
            let list = map.entry(alias_key(word)).or_default();
            if !list.contains(&(i as u32)) {
                list.push(i as u32);
            }
        }
    };
    let table = Tsv::read(&data.join("countries/demonyms.tsv"))?;
    for row in table.rows() {
        add(row.get("demonym")?, row.get("iso2")?);
    }
    let table = Tsv::read(&data.join("countries/countries.tsv"))?;
    for row in table.rows() {
        let iso2 = row.get("iso2")?;
        for word in row.get("demonyms")?.split('|') {
            add(word, iso2);
        }
        for word in row.get("demonyms_wc")?.split(", ") {
            add(word, iso2);
        }
    }
    let mut out: Vec<(String, Vec<u32>)> = map.into_iter().collect();
    for (_, list) in &mut out {
        list.sort_by_key(|&i| (std::cmp::Reverse(entries[i as usize].population.unwrap_or(0)), i));
    }
    Ok(out)
}

/// Lower-case forms that UD English EWT uses as ordinary words (not proper nouns) at least twice.
fn common_words(ud_folder: &Path) -> anyhow::Result<HashSet<String>> {
    let mut counts: HashMap<String, u32> = HashMap::new();
    for file in ["en_ewt-ud-dev.conllu", "en_ewt-ud-test.conllu"] {
        let path = ud_folder.join(file);
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let mut columns = line.split('\t');
            let (Some(_), Some(form), Some(_), Some(upos)) = (columns.next(), columns.next(), columns.next(), columns.next())
            else {
                continue;
            };
            let ordinary = upos != "PROPN" && upos != "PUNCT" && upos != "SYM" && upos != "X";
            if ordinary && form.chars().all(|c| c.is_ascii_lowercase()) && form.len() > 1 {
                *counts.entry(form.to_string()).or_default() += 1;
            }
        }
    }
    Ok(counts.into_iter().filter(|(_, n)| *n >= 2).map(|(w, _)| w).collect())
}

/// A post of `kb-news-people` (the role's name is required).
fn role_of(value: &serde_json::Value) -> Option<RoleData> {
    let text = |field: &str| value[field].as_str().filter(|s| !s.is_empty()).map(str::to_string);
    Some(RoleData {
        role: text("role")?,
        role_qid: text("role_qid"),
        organization: text("organization"),
        organization_qid: text("organization_qid"),
        party: text("party"),
        party_qid: text("party_qid"),
        start: text("start"),
        end: text("end"),
        executive: value["branch"].as_str() == Some("executive"),
    })
}

/// The class an FB15k-237 entity's Freebase domains give it.
fn fb15k_class(kind: EntityKind, domains: &[String]) -> Option<&'static str> {
    let has = |prefix: &str| domains.iter().any(|d| d.starts_with(prefix));
    match kind {
        EntityKind::Organization => Some(if has("sports/sports_team")
            || has("soccer/football_team")
            || has("sports/professional_sports_team")
            || has("american_football/football_team")
            || has("baseball/baseball_team")
            || has("basketball/basketball_team")
            || has("ice_hockey/hockey_team")
        {
            "SportsTeam"
        } else if has("sports/sports_league") {
            "SportsOrganization"
        } else if has("education/") {
            "EducationalOrganization"
        } else if has("tv/tv_network") || has("broadcast/") {
            "NewsMediaOrganization"
        } else if has("government/political_party") {
            "PoliticalParty"
        } else if has("government/governmental_body") {
            "GovernmentOrganization"
        } else if has("business/") || has("film/production_company") || has("film/film_distributor") || has("music/record_label") {
            "Company"
        } else {
            return None;
        }),
        _ => None,
    }
}

/// A subdivision's QID, unless the data doubts it (shared with another row, a label that names
/// something else, or dropped).
fn clean_subdivision_qid(row: &Row<'_>) -> anyhow::Result<Option<String>> {
    let qid = row.get("qid")?;
    let note = row.get("qid_note")?;
    let doubted = note.starts_with("shared_with") || note.starts_with("label_differs") || note.starts_with("dropped");
    Ok(Some(qid.to_string()).filter(|q| q.starts_with('Q') && !doubted))
}

/// A name's length without a leading "The ".
fn usual_length(name: &str) -> usize {
    name.strip_prefix("The ").unwrap_or(name).chars().count()
}

/// True when `code` is the initials of `name`'s main words ("US" for "United States").
fn is_initialism(code: &str, name: &str) -> bool {
    let initials: String = name
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !matches!(*w, "of" | "the" | "and" | "The"))
        .filter_map(|w| w.chars().next())
        .collect();
    initials.chars().count() > 1 && initials == code
}

/// Names in the Latin script (letters, spaces, hyphens, apostrophes, periods, digits, &).
fn is_latin_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, ' ' | '-' | '\'' | '’' | '.' | '&' | '(' | ')')
                || (c.is_alphabetic() && is_latin_letter(c))
        })
}

fn is_latin_letter(c: char) -> bool {
    // Latin-1 Supplement, Latin Extended-A/B, IPA extensions used in transliterations, and
    // Latin Extended Additional (Vietnamese).
    matches!(c as u32, 0xC0..=0x24F | 0x1E00..=0x1EFF)
}

fn parse_coordinate(text: &str) -> Option<f64> {
    text.parse().ok().filter(|v: &f64| v.is_finite())
}

/// A string field a record must have; the error names the file and line (`at`).
fn required(record: &serde_json::Value, field: &str, at: &dyn Fn() -> String) -> anyhow::Result<String> {
    record[field].as_str().map(str::to_string).with_context(|| format!("{}: no {field}", at()))
}

fn string_list(value: &serde_json::Value) -> Vec<String> {
    value.as_array().map(|list| list.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

fn json_lines(path: &Path) -> anyhow::Result<Vec<(usize, serde_json::Value)>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let value = serde_json::from_str(line).with_context(|| format!("{}:{}: invalid JSON", path.display(), i + 1))?;
        out.push((i + 1, value));
    }
    Ok(out)
}

/// A tab-separated file with a header row and no quoting.
struct Tsv {
    path: String,
    columns: HashMap<String, usize>,
    lines: Vec<String>,
}

struct Row<'a> {
    tsv: &'a Tsv,
    fields: Vec<&'a str>,
}

impl Tsv {
    fn read(path: &Path) -> anyhow::Result<Tsv> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let mut lines = text.lines().map(str::to_string);
        let header = lines.next().with_context(|| format!("{}: empty file", path.display()))?;
        let columns = header.split('\t').enumerate().map(|(i, c)| (c.to_string(), i)).collect();
        Ok(Tsv { path: path.display().to_string(), columns, lines: lines.filter(|l| !l.trim().is_empty()).collect() })
    }

    fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.lines.iter().map(|line| Row { tsv: self, fields: line.split('\t').collect() })
    }
}

impl<'a> Row<'a> {
    fn get(&self, column: &str) -> anyhow::Result<&'a str> {
        let i = *self.tsv.columns.get(column).with_context(|| format!("{}: no column {column}", self.tsv.path))?;
        Ok(self.fields.get(i).copied().unwrap_or("").trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initialisms() {
        assert!(is_initialism("US", "United States"));
        assert!(!is_initialism("TV", "Tuvalu"));
        assert!(!is_initialism("IT", "Italy"));
        assert!(is_initialism("NZ", "New Zealand"));
    }

    #[test]
    fn latin_names() {
        assert!(is_latin_name("São Paulo"));
        assert!(is_latin_name("Côte d'Ivoire"));
        assert!(!is_latin_name("Москва"));
        assert!(!is_latin_name("北京"));
    }
}
