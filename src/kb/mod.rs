//! The bundled knowledge base: countries, places, international organizations and political
//! parties, with Wikidata and GeoNames ids; alias lookup for recognition and linking.
//!
//! The knowledge base is compiled by `newsgraph kb build` from `../shared/data` into
//! `kb/bundled.kb`, which the binary embeds. Lookups go through [`normalise::alias_key`]: case,
//! diacritics, periods and other punctuation, a leading "the" and a possessive "'s" do not matter,
//! except that an abbreviation written in capitals ("US", "UN", "WHO") only matches a surface
//! written in capitals, never the common word ("us", "who").
//!
//! For recognisers, [`Kb::longest_match`] finds the longest known name starting at a token.

mod build;
pub mod eval;
pub mod normalise;
mod user;

use crate::doc::EntityKind;
use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

pub use build::build_from_data;

/// `newsgraph kb …` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum KbCommand {
    /// Compile the bundled knowledge base from the data folder.
    ///
    /// Example: newsgraph kb build --data ../shared/data -o kb/bundled.kb
    Build {
        /// The shared data folder (countries/, gazetteers/, kb/, ud-english-ewt/).
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Where to write the compiled knowledge base.
        #[arg(short, long, default_value = "kb/bundled.kb")]
        output: PathBuf,
    },
    /// Show the knowledge-base entries a name or demonym matches, best first.
    ///
    /// Example: newsgraph kb lookup "U.S." Russian --kb newsroom.jsonl
    Lookup {
        /// Names to look up.
        #[arg(required = true)]
        names: Vec<String>,
        /// A user knowledge base (JSON lines) added to the bundled one.
        #[arg(long)]
        kb: Option<PathBuf>,
    },
    /// Measure link precision and recall on a hand-made dev set.
    ///
    /// Example: newsgraph kb eval --dev tests/linking/dev.tsv --articles ../shared/data/bbc/articles.jsonl
    Eval {
        /// The dev set: article id, surface, type, gold id (see tests/linking/dev.tsv).
        #[arg(long, default_value = "tests/linking/dev.tsv")]
        dev: PathBuf,
        /// The articles (JSON lines with id, title, body); without it, only the linker is
        /// measured, on entities built from the gold rows.
        #[arg(long)]
        articles: Option<PathBuf>,
        /// List every wrong link and every missed one.
        #[arg(long)]
        verbose: bool,
    },
}

pub fn run(command: KbCommand) -> anyhow::Result<()> {
    match command {
        KbCommand::Build { data, output } => {
            let started = std::time::Instant::now();
            let bytes = build_from_data(&data)?;
            if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
            }
            std::fs::write(&output, &bytes).with_context(|| format!("writing {}", output.display()))?;
            let built = started.elapsed();
            let loading = std::time::Instant::now();
            let kb = Kb::from_bytes(&bytes)?;
            eprintln!(
                "wrote {} ({} bytes, {} entries, {} alias keys) in {:.1}s; it loads in {} ms",
                output.display(),
                bytes.len(),
                kb.entries.len(),
                kb.index.len(),
                built.as_secs_f64(),
                loading.elapsed().as_millis()
            );
            Ok(())
        }
        KbCommand::Eval { dev, articles, verbose } => {
            let rows = eval::read_dev_set(&dev)?;
            let started = std::time::Instant::now();
            let scores = match &articles {
                Some(path) => eval::evaluate_pipeline(&rows, path, &crate::Pipeline::new(crate::rdf::iri::Minter::new("https://example.org/newsgraph/")?))?,
                None => eval::evaluate_oracle(&rows, Kb::bundled()),
            };
            let mode = if articles.is_some() { "pipeline" } else { "oracle entities (linker alone)" };
            println!("{mode}, {:.1}s\n{}", started.elapsed().as_secs_f64(), scores.summary());
            if verbose {
                for error in &scores.errors {
                    println!("wrong\t{error}");
                }
                for miss in &scores.misses {
                    println!("missed\t{miss}");
                }
            }
            Ok(())
        }
        KbCommand::Lookup { names, kb } => {
            let user;
            let kb = match kb {
                Some(path) => {
                    user = Kb::with_user_file(&path)?;
                    &user
                }
                None => Kb::bundled(),
            };
            for name in &names {
                println!("{name}:");
                for entry in kb.candidates(name) {
                    println!("  {}", describe(entry));
                }
                if let Some(entry) = kb.demonym(name) {
                    println!("  demonym of {}", describe(entry));
                }
            }
            Ok(())
        }
    }
}

fn describe(entry: &KbEntry) -> String {
    format!(
        "{}\t{}\t{}\t{}\tpop {}",
        entry.id,
        entry.label,
        entry.class.as_deref().unwrap_or(entry.kind.as_str()),
        entry.country.as_deref().unwrap_or("-"),
        entry.population.map_or("-".to_string(), |p| p.to_string())
    )
}

/// One knowledge-base entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KbEntry {
    /// Wikidata QID ("Q159"), `geonames:ID` for places without a QID, `supraverden:ID` for
    /// international organizations without a QID, or a user KB's IRI.
    pub id: String,
    pub kind: EntityKind,
    /// A finer class: "Country", "City", "Continent", "State", "PoliticalParty",
    /// "InternationalOrganization", or a user KB's own.
    pub class: Option<String>,
    pub label: String,
    /// Other names, each with a distinct alias key (spelling variants that normalise alike are
    /// kept once).
    pub aliases: Vec<String>,
    pub wikidata: Option<String>,
    pub geonames: Option<u32>,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub population: Option<u64>,
    /// ISO 3166-1 alpha-2 code of the country the entity belongs to (for a country, its own).
    pub country: Option<String>,
    /// The first-level region within the country, as GeoNames codes it (for US cities and
    /// states the postal code, "ME"), so "Portland, Maine" can pick the right Portland.
    pub region: Option<String>,
    /// A short description (user knowledge bases).
    pub description: Option<String>,
    /// The year an organization was dissolved (political parties), if it was.
    pub dissolved: Option<i32>,
}

/// What the compiled file holds; [`Kb`] adds the indexes built at load time.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct KbData {
    entries: Vec<KbEntry>,
    /// Normalised demonym ("russian") → entries, preferred first.
    demonyms: Vec<(String, Vec<u32>)>,
    /// Lower-case words that occur as ordinary (non-proper-noun) words in English text.
    common_words: Vec<String>,
    /// Alias key → hits, most prominent first, sorted by key; computed by `kb build` so that
    /// loading does not normalise every name again.
    index: Vec<(String, Vec<AliasHit>)>,
    max_tokens: u32,
}

impl KbData {
    /// Fills in the alias index (for writing the compiled file).
    fn with_index(mut self) -> KbData {
        let from_user = vec![false; self.entries.len()];
        let (index, max_tokens) = compute_index(&self.entries, &from_user);
        let mut index: Vec<(String, Vec<AliasHit>)> = index.into_iter().collect();
        index.sort_by(|a, b| a.0.cmp(&b.0));
        self.index = index;
        self.max_tokens = max_tokens as u32;
        self
    }
}

/// A bound on the decompressed size, so a corrupt file cannot exhaust memory.
const MAX_DECOMPRESSED: usize = 256 << 20;

/// The magic and version that open a compiled knowledge-base file; a deflate-compressed
/// postcard encoding of [`KbData`] follows.
const MAGIC: &[u8; 8] = b"NGKB\0\0\0\x04";

/// One way to reach an entry from an alias key.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct AliasHit {
    entry: u32,
    /// Only an abbreviation alias matched this key: the surface must be written in capitals.
    abbreviation: bool,
}

/// The knowledge base: entries and an index from normalised alias to entries.
#[derive(Debug, Default)]
pub struct Kb {
    entries: Vec<KbEntry>,
    /// Entries that came from a user knowledge base; they rank before bundled ones.
    from_user: Vec<bool>,
    /// Alias key → hits, most prominent first.
    index: HashMap<String, Vec<AliasHit>>,
    demonyms: HashMap<String, Vec<u32>>,
    common_words: HashSet<String>,
    /// The most tokens [`Kb::longest_match`] needs to look at.
    max_tokens: usize,
    by_id: HashMap<String, u32>,
}

static BUNDLED: &[u8] = include_bytes!("../../kb/bundled.kb");

impl Kb {
    /// The knowledge base compiled into the binary, loaded on first use.
    pub fn bundled() -> &'static Kb {
        static KB: std::sync::OnceLock<Kb> = std::sync::OnceLock::new();
        KB.get_or_init(|| match Kb::from_bytes(BUNDLED) {
            Ok(kb) => kb,
            // The file is written by `kb build` and checked by the tests; an unreadable one
            // means a broken build, and an empty knowledge base keeps the tool running.
            Err(error) => {
                eprintln!("warning: the bundled knowledge base is unreadable ({error:#}); linking is off");
                Kb::default()
            }
        })
    }

    /// Reads a compiled knowledge base (the output of `newsgraph kb build`).
    pub fn from_bytes(bytes: &[u8]) -> anyhow::Result<Kb> {
        let body = bytes
            .strip_prefix(MAGIC.as_slice())
            .context("not a newsgraph knowledge base of this version (bad magic); rebuild it with `newsgraph kb build`")?;
        let body = miniz_oxide::inflate::decompress_to_vec_with_limit(body, MAX_DECOMPRESSED)
            .map_err(|error| anyhow::anyhow!("decompressing the knowledge base: {error:?}"))?;
        let mut data: KbData = postcard::from_bytes(&body).context("decoding the knowledge base")?;
        let from_user = vec![false; data.entries.len()];
        if data.index.iter().any(|(_, hits)| hits.iter().any(|h| h.entry as usize >= data.entries.len())) {
            anyhow::bail!("the knowledge base's index points past its entries; rebuild it with `newsgraph kb build`");
        }
        let index: HashMap<String, Vec<AliasHit>> = std::mem::take(&mut data.index).into_iter().collect();
        let max_tokens = data.max_tokens as usize;
        Ok(Kb::assemble(data, from_user, index, max_tokens))
    }

    /// The bundled knowledge base plus a user one (JSON lines, see `docs/kb.md`): its entries are
    /// added, and an entry whose id equals a bundled one replaces it.
    pub fn with_user_file(path: &std::path::Path) -> anyhow::Result<Kb> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        Kb::bundled().with_user_entries(user::parse_user_kb(&text, &path.display().to_string())?)
    }

    /// This knowledge base plus `entries` (added, or replacing the entry with the same id).
    pub fn with_user_entries(&self, entries: Vec<KbEntry>) -> anyhow::Result<Kb> {
        let mut data = KbData {
            entries: self.entries.clone(),
            demonyms: self.demonyms.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            common_words: self.common_words.iter().cloned().collect(),
            index: Vec::new(),
            max_tokens: 0,
        };
        let mut from_user = self.from_user.clone();
        let mut position: HashMap<String, usize> =
            data.entries.iter().enumerate().map(|(i, e)| (e.id.clone(), i)).collect();
        for entry in entries {
            match position.get(&entry.id) {
                Some(&i) => {
                    data.entries[i] = entry;
                    from_user[i] = true;
                }
                None => {
                    position.insert(entry.id.clone(), data.entries.len());
                    data.entries.push(entry);
                    from_user.push(true);
                }
            }
        }
        Ok(Kb::index(data, from_user))
    }

    /// Builds the indexes, normalising every name (user knowledge bases, old files).
    fn index(data: KbData, from_user: Vec<bool>) -> Kb {
        let (index, max_tokens) = compute_index(&data.entries, &from_user);
        Kb::assemble(data, from_user, index, max_tokens)
    }

    fn assemble(data: KbData, from_user: Vec<bool>, index: HashMap<String, Vec<AliasHit>>, max_tokens: usize) -> Kb {
        Kb {
            by_id: data.entries.iter().enumerate().map(|(i, e)| (e.id.clone(), i as u32)).collect(),
            from_user,
            index,
            demonyms: data.demonyms.into_iter().collect(),
            common_words: data.common_words.into_iter().collect(),
            max_tokens,
            entries: data.entries,
        }
    }

    /// Entries whose label or alias matches `surface` after normalisation (case, diacritics,
    /// leading "the", punctuation, possessive), most prominent first: user entries, then
    /// countries, continents, states, cities by population, international organizations, parties.
    /// An abbreviation ("US") matches only a surface in capitals ("US", "U.S."), not "us"; one of
    /// four letters or more also matches a capitalised surface ("Nato") that is not a word.
    pub fn candidates(&self, surface: &str) -> Vec<&KbEntry> {
        let key = normalise::alias_key(surface);
        self.hits(&key, surface)
    }

    fn hits(&self, key: &str, surface: &str) -> Vec<&KbEntry> {
        let Some(hits) = self.index.get(key) else { return Vec::new() };
        let abbreviation_allowed = self.abbreviation_allowed(key, surface);
        hits.iter()
            .filter(|hit| abbreviation_allowed || !hit.abbreviation)
            .map(|hit| &self.entries[hit.entry as usize])
            .collect()
    }

    /// Whether `surface` may match an abbreviation alias with this key: written in capitals
    /// ("US", "U.S."), or, for acronyms said as words, capitalised ("Nato", "Opec" in
    /// British style) unless the key is an ordinary word too.
    fn abbreviation_allowed(&self, key: &str, surface: &str) -> bool {
        if normalise::is_all_caps(surface) {
            return true;
        }
        let mut letters = surface.chars().filter(|c| c.is_alphabetic());
        let capitalised = letters.next().is_some_and(char::is_uppercase) && letters.all(char::is_lowercase);
        capitalised && key.len() >= 4 && !key.contains(' ') && !self.common_words.contains(key)
    }

    /// The longest known name at the start of `tokens`: how many tokens it covers and its
    /// candidates (as [`Kb::candidates`] orders them). Tokens are the surface strings of
    /// consecutive tokens; punctuation tokens inside a name are allowed ("St", ".", "Louis"), but
    /// a name never starts or ends on one, and a possessive on the last token is ignored
    /// ("Russia's"). Call it at each token where a name may start; the cost is a few hash
    /// lookups per call.
    pub fn longest_match(&self, tokens: &[&str]) -> Option<(usize, Vec<&KbEntry>)> {
        let limit = tokens.len().min(self.max_tokens);
        if limit == 0 {
            return None;
        }
        let keys: Vec<String> = tokens[..limit].iter().map(|t| normalise::token_key(t)).collect();
        if keys[0].is_empty() {
            return None;
        }
        for n in (1..=limit).rev() {
            let last = normalise::token_key(normalise::strip_possessive(tokens[n - 1]));
            if last.is_empty() {
                continue;
            }
            let mut key = String::new();
            for part in keys[..n - 1].iter().chain(std::iter::once(&last)).filter(|k| !k.is_empty()) {
                if !key.is_empty() {
                    key.push(' ');
                }
                key.push_str(part);
            }
            if !self.index.contains_key(&key) {
                continue;
            }
            let found = self.hits(&key, &tokens[..n].concat());
            if !found.is_empty() {
                return Some((n, found));
            }
        }
        None
    }

    /// The country a demonym or nationality names ("Russian", "Russians", "British"); when
    /// several countries share it ("American"), the most populous.
    pub fn demonym(&self, word: &str) -> Option<&KbEntry> {
        let key = normalise::alias_key(word);
        let found = self.demonyms.get(&key).or_else(|| {
            let singular = key.strip_suffix('s')?;
            self.demonyms.get(singular)
        })?;
        found.first().map(|&i| &self.entries[i as usize])
    }

    /// True when `word` is an ordinary English word in lower case ("police", "reading",
    /// "nice"): a single capitalised token that is one is weak evidence for a place name.
    pub fn is_common_word(&self, word: &str) -> bool {
        self.common_words.contains(&word.to_lowercase())
    }

    /// True when `entry` (one of this knowledge base's) came from a user knowledge base.
    pub fn is_user_entry(&self, entry: &KbEntry) -> bool {
        let offset = (entry as *const KbEntry as usize).wrapping_sub(self.entries.as_ptr() as usize);
        let index = offset / std::mem::size_of::<KbEntry>();
        index < self.entries.len() && std::ptr::eq(&self.entries[index], entry) && self.from_user[index]
    }

    pub fn entries(&self) -> &[KbEntry] {
        &self.entries
    }

    /// The entry with this id (a QID, `geonames:ID`, or a user IRI).
    pub fn get(&self, id: &str) -> Option<&KbEntry> {
        self.by_id.get(id).map(|&i| &self.entries[i as usize])
    }
}

/// Alias key → hits (most prominent first), and how many tokens a match may span.
fn compute_index(entries: &[KbEntry], from_user: &[bool]) -> (HashMap<String, Vec<AliasHit>>, usize) {
    let mut index: HashMap<String, Vec<AliasHit>> = HashMap::new();
    let mut max_words = 1;
    for (i, entry) in entries.iter().enumerate() {
        for name in std::iter::once(&entry.label).chain(&entry.aliases) {
            let key = normalise::alias_key(name);
            if key.is_empty() {
                continue;
            }
            max_words = max_words.max(key.split(' ').count());
            let abbreviation = normalise::is_abbreviation(name);
            let hits = index.entry(key).or_default();
            match hits.iter_mut().find(|h| h.entry == i as u32) {
                // Reachable by a written-out name too: no capitals needed.
                Some(hit) => hit.abbreviation &= abbreviation,
                None => hits.push(AliasHit { entry: i as u32, abbreviation }),
            }
        }
    }
    for hits in index.values_mut() {
        hits.sort_by(|a, b| prominence_order(entries, from_user, a.entry as usize, b.entry as usize));
    }
    // Punctuation tokens ("St", ".", "Louis") take no word of the key.
    (index, (max_words * 2).min(24))
}

/// User entries first, then by class (countries, continents, states, cities, international
/// organizations, parties, others), then by population, then by position for determinism.
fn prominence_order(entries: &[KbEntry], from_user: &[bool], a: usize, b: usize) -> std::cmp::Ordering {
    let rank = |i: usize| {
        let class_rank = match entries[i].class.as_deref() {
            Some("Country") => 0,
            Some("Continent") => 1,
            Some("State") => 2,
            Some("City") => 3,
            Some("InternationalOrganization") => 4,
            Some("PoliticalParty") => 5,
            _ => 6,
        };
        (!from_user[i], class_rank, std::cmp::Reverse(entries[i].population.unwrap_or(0)), i)
    };
    rank(a).cmp(&rank(b))
}

#[cfg(test)]
mod tests;
