//! The compiled knowledge-base file, read in place: nothing is inflated, copied or indexed when
//! it is opened.
//!
//! Layout (all integers little-endian):
//! - the 8 bytes `NGKB\0\0\0\x05` (magic and version 5);
//! - a header of [`HEADER_WORDS`] `u32`s: for each table its length and the position of its
//!   offset array, then the longest name in tokens;
//! - four sorted tables, each an array of `u32` offsets to postcard records: alias keys
//!   (`key`, hit count, hits), ids (`id`, entry), demonyms (`key`, hit count, hits) and ordinary
//!   words (`word`); a hit is `entry << 1 | abbreviation`. Lookups binary-search them;
//! - the entry array: `u32` offsets to postcard [`EntryRecord`]s, whose strings are borrowed
//!   from the file; a person's roles are a separate record, decoded only when asked for, whose
//!   strings (posts, parties, dates: a few hundred distinct ones) are numbers into a string table.
//!
//! Offsets are checked against the file length when it is opened; a record that does not decode
//! reads as missing, so a damaged user file loses entries, never the process.

use super::EntryData;
use crate::doc::EntityKind;
use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::cmp::Ordering;

pub const MAGIC: &[u8; 8] = b"NGKB\0\0\0\x05";
const HEADER_WORDS: usize = 13;

/// The postcard record of one entry. Coordinates are stored in millionths of a degree so that
/// they print as written ("48.85341").
#[derive(Debug, Serialize, Deserialize)]
pub struct EntryRecord<'a> {
    #[serde(borrow)]
    pub id: &'a str,
    pub kind: u8,
    #[serde(borrow)]
    pub class: Option<&'a str>,
    #[serde(borrow)]
    pub label: &'a str,
    #[serde(borrow)]
    pub wikidata: Option<&'a str>,
    pub geonames: Option<u32>,
    pub lat: Option<i32>,
    pub long: Option<i32>,
    pub population: Option<u64>,
    #[serde(borrow)]
    pub country: Option<&'a str>,
    #[serde(borrow)]
    pub region: Option<&'a str>,
    #[serde(borrow)]
    pub description: Option<&'a str>,
    pub dissolved: Option<i32>,
    pub sitelinks: Option<u32>,
    /// Other countries the entity belongs to (a politician of two), comma-separated.
    #[serde(borrow)]
    pub more_countries: Option<&'a str>,
    /// Position of the roles record, if any.
    pub roles: Option<u32>,
}

/// A post held (W3C ORG `org:Post`): its name, organization and party with their QIDs, and
/// its dates (ISO 8601, as precise as the source).
#[derive(Debug, Clone, PartialEq)]
pub struct RoleRecord<'a> {
    pub role: &'a str,
    pub role_qid: Option<&'a str>,
    pub organization: Option<&'a str>,
    pub organization_qid: Option<&'a str>,
    pub party: Option<&'a str>,
    pub party_qid: Option<&'a str>,
    pub start: Option<&'a str>,
    pub end: Option<&'a str>,
    pub executive: bool,
}

/// A role as stored: its strings are numbers into the string table.
#[derive(Debug, Serialize, Deserialize)]
struct StoredRole {
    role: u32,
    role_qid: Option<u32>,
    organization: Option<u32>,
    organization_qid: Option<u32>,
    party: Option<u32>,
    party_qid: Option<u32>,
    start: Option<u32>,
    end: Option<u32>,
    executive: bool,
}

pub fn kind_code(kind: EntityKind) -> u8 {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Organization => 1,
        EntityKind::Place => 2,
        EntityKind::Event => 3,
    }
}

pub fn kind_of(code: u8) -> EntityKind {
    match code {
        0 => EntityKind::Person,
        1 => EntityKind::Organization,
        2 => EntityKind::Place,
        _ => EntityKind::Event,
    }
}

/// One alias key's hits, as the builder hands them over.
pub struct KeyHits {
    pub key: String,
    /// `entry << 1 | abbreviation`, most prominent first.
    pub hits: Vec<u32>,
}

/// Everything a compiled file holds, before it is laid out.
pub struct Contents<'a> {
    pub entries: &'a [EntryData],
    /// Sorted by key.
    pub aliases: Vec<KeyHits>,
    /// Sorted by key.
    pub demonyms: Vec<KeyHits>,
    /// Sorted.
    pub common_words: Vec<String>,
    pub max_tokens: u32,
}

/// Lays `contents` out as the bytes of a compiled file.
pub fn write<'a>(contents: &Contents<'a>) -> anyhow::Result<Vec<u8>> {
    let mut out = MAGIC.to_vec();
    out.resize(MAGIC.len() + HEADER_WORDS * 4, 0);
    let mut header = [0u32; HEADER_WORDS];

    let mut strings: Vec<&str> = Vec::new();
    let mut string_numbers: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
    let mut intern = |s: &'a str| -> u32 {
        *string_numbers.entry(s).or_insert_with(|| {
            strings.push(s);
            strings.len() as u32 - 1
        })
    };
    let mut entry_offsets = Vec::with_capacity(contents.entries.len());
    for entry in contents.entries {
        let roles = if entry.roles.is_empty() {
            None
        } else {
            let mut stored = Vec::with_capacity(entry.roles.len());
            for role in &entry.roles {
                let mut optional = |s: &'a Option<String>| s.as_deref().map(&mut intern);
                stored.push(StoredRole {
                    role_qid: optional(&role.role_qid),
                    organization: optional(&role.organization),
                    organization_qid: optional(&role.organization_qid),
                    party: optional(&role.party),
                    party_qid: optional(&role.party_qid),
                    start: optional(&role.start),
                    end: optional(&role.end),
                    role: intern(&role.role),
                    executive: role.executive,
                });
            }
            Some(append(&mut out, &stored)?)
        };
        let joined = entry.more_countries.join(",");
        let record = EntryRecord {
            id: &entry.id,
            kind: kind_code(entry.kind),
            class: entry.class.as_deref(),
            label: &entry.label,
            wikidata: entry.wikidata.as_deref(),
            geonames: entry.geonames,
            lat: entry.lat.map(micro_degrees),
            long: entry.long.map(micro_degrees),
            population: entry.population,
            country: entry.country.as_deref(),
            region: entry.region.as_deref(),
            description: entry.description.as_deref(),
            dissolved: entry.dissolved,
            sitelinks: entry.sitelinks,
            more_countries: Some(joined.as_str()).filter(|s| !s.is_empty()),
            roles,
        };
        entry_offsets.push(append(&mut out, &record)?);
    }

    let key_offsets = write_key_hits(&mut out, &contents.aliases)?;
    let demonym_offsets = write_key_hits(&mut out, &contents.demonyms)?;
    // Each entry under its id, its QID and `geonames:N`: the first entry of a key keeps it.
    let geonames_ids: Vec<Option<String>> = contents.entries.iter().map(|e| e.geonames.map(|g| format!("geonames:{g}"))).collect();
    let mut ids: Vec<(&str, u32)> = Vec::new();
    for (i, entry) in contents.entries.iter().enumerate() {
        ids.push((&entry.id, i as u32));
        for other in [entry.wikidata.as_deref(), geonames_ids[i].as_deref()].into_iter().flatten() {
            if other != entry.id {
                ids.push((other, i as u32));
            }
        }
    }
    ids.sort();
    ids.dedup_by(|a, b| a.0 == b.0);
    let mut id_offsets = Vec::with_capacity(ids.len());
    for (id, entry) in &ids {
        id_offsets.push(append(&mut out, &(id, entry))?);
    }
    let mut word_offsets = Vec::with_capacity(contents.common_words.len());
    for word in &contents.common_words {
        word_offsets.push(append(&mut out, &word.as_str())?);
    }
    let mut string_offsets = Vec::with_capacity(strings.len());
    for string in &strings {
        string_offsets.push(append(&mut out, string)?);
    }

    let tables = [entry_offsets, key_offsets, id_offsets, demonym_offsets, word_offsets, string_offsets];
    for (slot, offsets) in tables.iter().enumerate() {
        header[slot * 2] = offsets.len() as u32;
        header[slot * 2 + 1] = position(&out)?;
        for offset in offsets {
            out.extend(offset.to_le_bytes());
        }
    }
    header[12] = contents.max_tokens;
    for (i, word) in header.iter().enumerate() {
        let at = MAGIC.len() + i * 4;
        out[at..at + 4].copy_from_slice(&word.to_le_bytes());
    }
    Ok(out)
}

fn write_key_hits(out: &mut Vec<u8>, table: &[KeyHits]) -> anyhow::Result<Vec<u32>> {
    let mut offsets = Vec::with_capacity(table.len());
    for KeyHits { key, hits } in table {
        offsets.push(append(out, &(key.as_str(), hits))?);
    }
    Ok(offsets)
}

fn append<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> anyhow::Result<u32> {
    let at = position(out)?;
    let bytes = postcard::to_allocvec(value).context("encoding a knowledge-base record")?;
    out.extend(bytes);
    Ok(at)
}

fn position(out: &[u8]) -> anyhow::Result<u32> {
    u32::try_from(out.len()).context("the knowledge base is larger than 4 GB")
}

fn micro_degrees(value: f64) -> i32 {
    (value * 1e6).round() as i32
}

pub fn degrees(value: i32) -> f64 {
    f64::from(value) / 1e6
}

/// A sorted table of records: `count` offsets starting at `at`.
#[derive(Debug, Clone, Copy, Default)]
struct Table {
    count: usize,
    at: usize,
}

/// A compiled file, read in place.
#[derive(Debug, Clone)]
pub struct Layer {
    bytes: Cow<'static, [u8]>,
    entries: Table,
    keys: Table,
    ids: Table,
    demonyms: Table,
    words: Table,
    strings: Table,
    pub max_tokens: usize,
}

impl Default for Layer {
    fn default() -> Self {
        Layer {
            bytes: Cow::Borrowed(&[]),
            entries: Table::default(),
            keys: Table::default(),
            ids: Table::default(),
            demonyms: Table::default(),
            words: Table::default(),
            strings: Table::default(),
            max_tokens: 0,
        }
    }
}

impl Layer {
    /// Opens a compiled file: checks the magic and that every table lies inside the bytes.
    pub fn open(bytes: Cow<'static, [u8]>) -> anyhow::Result<Layer> {
        let Some(rest) = bytes.strip_prefix(MAGIC.as_slice()) else {
            bail!("not a newsgraph knowledge base of this version (bad magic); rebuild it with `newsgraph kb build`");
        };
        if rest.len() < HEADER_WORDS * 4 {
            bail!("the knowledge base is truncated (no header)");
        }
        let word = |i: usize| u32::from_le_bytes(rest[i * 4..i * 4 + 4].try_into().expect("4 bytes")) as usize;
        let table = |slot: usize| -> anyhow::Result<Table> {
            let (count, at) = (word(slot * 2), word(slot * 2 + 1));
            if at.checked_add(count.checked_mul(4).context("table size")?).is_none_or(|end| end > bytes.len()) {
                bail!("the knowledge base is truncated or corrupt (a table lies past its end)");
            }
            Ok(Table { count, at })
        };
        let (entries, keys, ids, demonyms, words, strings) = (table(0)?, table(1)?, table(2)?, table(3)?, table(4)?, table(5)?);
        let max_tokens = word(12).min(64);
        Ok(Layer { entries, keys, ids, demonyms, words, strings, max_tokens, bytes })
    }

    pub fn len(&self) -> usize {
        self.entries.count
    }

    fn offset(&self, table: Table, i: usize) -> usize {
        let at = table.at + i * 4;
        u32::from_le_bytes(self.bytes[at..at + 4].try_into().expect("4 bytes")) as usize
    }

    fn record(&self, offset: usize) -> &[u8] {
        self.bytes.get(offset..).unwrap_or(&[])
    }

    /// The record of entry `i`, or `None` when it does not decode.
    pub fn entry(&self, i: usize) -> Option<EntryRecord<'_>> {
        if i >= self.entries.count {
            return None;
        }
        postcard::from_bytes(self.record(self.offset(self.entries, i))).ok()
    }

    /// The roles stored at `offset`; roles whose strings do not resolve are left out.
    pub fn roles(&self, offset: u32) -> Vec<RoleRecord<'_>> {
        let stored: Vec<StoredRole> = postcard::from_bytes(self.record(offset as usize)).unwrap_or_default();
        stored.iter().filter_map(|r| self.resolve_role(r)).collect()
    }

    fn string(&self, number: u32) -> Option<&str> {
        let number = number as usize;
        (number < self.strings.count).then(|| postcard::from_bytes(self.record(self.offset(self.strings, number))).ok()).flatten()
    }

    fn resolve_role(&self, role: &StoredRole) -> Option<RoleRecord<'_>> {
        let optional = |n: Option<u32>| n.and_then(|n| self.string(n));
        Some(RoleRecord {
            role: self.string(role.role)?,
            role_qid: optional(role.role_qid),
            organization: optional(role.organization),
            organization_qid: optional(role.organization_qid),
            party: optional(role.party),
            party_qid: optional(role.party_qid),
            start: optional(role.start),
            end: optional(role.end),
            executive: role.executive,
        })
    }

    /// Binary search of a table whose records start with a string.
    fn find(&self, table: Table, key: &str) -> Option<&[u8]> {
        let (mut lo, mut hi) = (0, table.count);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let record = self.record(self.offset(table, mid));
            let (found, rest) = postcard::take_from_bytes::<&str>(record).ok()?;
            match found.cmp(key) {
                Ordering::Less => lo = mid + 1,
                Ordering::Greater => hi = mid,
                Ordering::Equal => return Some(rest),
            }
        }
        None
    }

    /// The hits of an alias key, `entry << 1 | abbreviation`, most prominent first.
    pub fn alias_hits(&self, key: &str) -> Vec<u32> {
        self.find(self.keys, key).and_then(|rest| postcard::from_bytes(rest).ok()).unwrap_or_default()
    }

    /// The hits of every alias key that starts with `prefix`, key by key in key order, at most
    /// `limit` keys: the names that continue a name ("chicago " → "chicago white sox", …).
    pub fn prefix_hits(&self, prefix: &str, limit: usize) -> Vec<Vec<u32>> {
        let key_at = |i: usize| postcard::take_from_bytes::<&str>(self.record(self.offset(self.keys, i))).ok();
        // The first key not below the prefix: where the keys that start with it begin.
        let (mut lo, mut hi) = (0, self.keys.count);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match key_at(mid) {
                Some((found, _)) if found < prefix => lo = mid + 1,
                _ => hi = mid,
            }
        }
        let mut out = Vec::new();
        for i in lo..self.keys.count {
            let Some((found, rest)) = key_at(i) else { break };
            if !found.starts_with(prefix) || out.len() >= limit {
                break;
            }
            out.push(postcard::from_bytes(rest).unwrap_or_default());
        }
        out
    }

    pub fn has_key(&self, key: &str) -> bool {
        self.find(self.keys, key).is_some()
    }

    pub fn demonym_hits(&self, key: &str) -> Vec<u32> {
        self.find(self.demonyms, key).and_then(|rest| postcard::from_bytes(rest).ok()).unwrap_or_default()
    }

    pub fn is_word(&self, word: &str) -> bool {
        self.find(self.words, word).is_some()
    }

    /// The entry with this id or Wikidata QID.
    pub fn by_id(&self, id: &str) -> Option<usize> {
        self.find(self.ids, id).and_then(|rest| postcard::from_bytes::<u32>(rest).ok()).map(|i| i as usize)
    }

    /// Decodes every record; the first that fails is an error (for `kb build` and tests).
    pub fn verify(&self) -> anyhow::Result<()> {
        for i in 0..self.entries.count {
            let entry = self.entry(i).with_context(|| format!("entry {i} does not decode"))?;
            if let Some(roles) = entry.roles {
                let stored: Vec<StoredRole> = postcard::from_bytes(self.record(roles as usize))
                    .with_context(|| format!("the roles of entry {i} do not decode"))?;
                if stored.iter().any(|r| self.resolve_role(r).is_none()) {
                    bail!("a role of entry {i} names a string past the string table");
                }
            }
        }
        for table in [self.keys, self.demonyms] {
            let mut previous: Option<&str> = None;
            for i in 0..table.count {
                let (key, hits): (&str, Vec<u32>) =
                    postcard::from_bytes(self.record(self.offset(table, i))).context("an index record does not decode")?;
                if previous.is_some_and(|p| p >= key) {
                    bail!("the index is not sorted at {key:?}");
                }
                if hits.iter().any(|&h| (h >> 1) as usize >= self.entries.count) {
                    bail!("the index entry {key:?} points past the entries");
                }
                previous = Some(key);
            }
        }
        Ok(())
    }
}
