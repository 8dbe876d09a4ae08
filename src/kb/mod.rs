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
mod format;
pub mod normalise;
pub mod us_states;
mod user;
pub mod wikidata;

use crate::doc::EntityKind;
use anyhow::Context;
use format::{Layer, MAGIC};
use std::borrow::Cow;
use std::collections::HashMap;
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
    /// Build a user knowledge base from a Wikidata dump (JSON or truthy N-Triples, plain, .gz or
    /// .bz2), streamed: people, organizations, places and events with an English label.
    ///
    /// Example: newsgraph kb import --wikidata latest-all.json.gz -o wikidata.kb --min-sitelinks 5
    Import {
        /// The dump: latest-all.json(.gz|.bz2) or latest-truthy.nt(.gz|.bz2).
        #[arg(long)]
        wikidata: PathBuf,
        /// Where to write the knowledge base (load it with --kb).
        #[arg(short, long)]
        output: PathBuf,
        /// Keep only entities with at least this many sitelinks (Wikipedia articles and the like).
        #[arg(long, default_value_t = 5)]
        min_sitelinks: u32,
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
    /// Measure link precision and recall: on a hand-made dev set, or end to end on CoNLL-2003
    /// with AIDA's gold links (--conll and --links).
    ///
    /// Examples:
    ///   newsgraph kb eval --dev tests/linking/dev.tsv --articles ../shared/data/bbc/articles.jsonl
    ///   newsgraph kb eval --conll ../shared/data/conll2003/dev.txt \
    ///       --links ../shared/data/conll2003-wikidata-links/conll2003_wikidata_links.tsv
    Eval {
        /// A CoNLL-2003 file (dev.txt or test.txt): score tagger, resolver and linker end to end.
        #[arg(long, requires = "links")]
        conll: Option<PathBuf>,
        /// The gold links of the CoNLL file (conll2003_wikidata_links.tsv).
        #[arg(long, requires = "conll")]
        links: Option<PathBuf>,
        /// Which split of the links file the CoNLL file is: dev or test (default: from the
        /// CoNLL file's name).
        #[arg(long)]
        split: Option<String>,
        /// A user knowledge base added to the bundled one (a compiled file or JSON lines).
        #[arg(long)]
        kb: Option<PathBuf>,
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
            write_atomically(&output, &bytes)?;
            let built = started.elapsed();
            let loading = std::time::Instant::now();
            let kb = Kb::from_bytes(&bytes)?;
            let opened = loading.elapsed();
            kb.verify()?;
            eprintln!(
                "wrote {} ({} bytes, {} entries) in {:.1}s; it opens in {:.3} ms",
                output.display(),
                bytes.len(),
                kb.len(),
                built.as_secs_f64(),
                opened.as_secs_f64() * 1e3
            );
            Ok(())
        }
        KbCommand::Eval { conll: Some(conll), links: Some(links), split, kb, verbose, .. } => {
            let split = match split {
                Some(split) => split,
                None => match conll.file_stem().and_then(|s| s.to_str()) {
                    Some(stem @ ("dev" | "test")) => stem.to_string(),
                    _ => anyhow::bail!("say which split {} is with --split dev or --split test", conll.display()),
                },
            };
            let kb = load_kb(kb.as_deref())?;
            let started = std::time::Instant::now();
            let scores = eval::evaluate_conll(&conll, &links, &split, kb)?;
            println!("CoNLL {split}, end to end (tagger, resolver, linker), {:.1}s\n{}", started.elapsed().as_secs_f64(), scores.summary());
            if verbose {
                print_mistakes(&scores.errors, &scores.misses);
            }
            Ok(())
        }
        KbCommand::Eval { dev, articles, verbose, kb, .. } => {
            let rows = eval::read_dev_set(&dev)?;
            let kb = load_kb(kb.as_deref())?;
            let started = std::time::Instant::now();
            let scores = match &articles {
                Some(path) => eval::evaluate_pipeline(&rows, path, &crate::Pipeline::with_kb(crate::rdf::iri::Minter::new("https://example.org/newsgraph/")?, kb))?,
                None => eval::evaluate_oracle(&rows, kb),
            };
            let mode = if articles.is_some() { "pipeline" } else { "oracle entities (linker alone)" };
            println!("{mode}, {:.1}s\n{}", started.elapsed().as_secs_f64(), scores.summary());
            if verbose {
                print_mistakes(&scores.errors, &scores.misses);
            }
            Ok(())
        }
        KbCommand::Import { wikidata: dump, output, min_sitelinks } => {
            let started = std::time::Instant::now();
            let import = wikidata::import_file(&dump, min_sitelinks)?;
            for problem in &import.first_problems {
                eprintln!("warning: {}: {problem}", dump.display());
            }
            let kept = import.entries.len();
            let bytes = compile(import.entries, Vec::new(), Vec::new())?;
            write_atomically(&output, &bytes)?;
            let seconds = started.elapsed().as_secs_f64();
            let input = std::fs::metadata(&dump).map(|m| m.len()).unwrap_or(0);
            eprintln!(
                "{}: {} entities read, {kept} kept, {} skipped as unreadable; wrote {} ({} bytes) in {seconds:.1}s ({:.1} MB/s of the file)",
                dump.display(),
                import.read,
                import.skipped,
                output.display(),
                bytes.len(),
                input as f64 / 1e6 / seconds.max(1e-9)
            );
            Ok(())
        }
        KbCommand::Lookup { names, kb } => {
            let kb = load_kb(kb.as_deref())?;
            for name in &names {
                println!("{name}:");
                for entry in kb.candidates(name) {
                    println!("  {}", describe(&entry));
                    for role in kb.roles(&entry) {
                        let party = role.party.map(|p| format!(", {p}")).unwrap_or_default();
                        let dates = format!("{}–{}", role.start.unwrap_or(""), role.end.unwrap_or(""));
                        println!("    {}{party} ({dates})", role.role);
                    }
                }
                if let Some(entry) = kb.demonym(name) {
                    println!("  demonym of {}", describe(&entry));
                }
            }
            Ok(())
        }
    }
}

/// Lists wrong links and missed ones, one a line (`kb eval --verbose`).
fn print_mistakes(errors: &[String], misses: &[String]) {
    for error in errors {
        println!("wrong\t{error}");
    }
    for miss in misses {
        println!("missed\t{miss}");
    }
}

/// Writes `bytes` to `path` through a temporary file beside it, so an interrupted run leaves
/// the old file or none, never half of one.
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let mut file = tempfile::NamedTempFile::new_in(parent).with_context(|| format!("writing {}", path.display()))?;
    std::io::Write::write_all(&mut file, bytes).with_context(|| format!("writing {}", path.display()))?;
    file.persist(path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// The bundled knowledge base, with a user one on top when given (kept for the process's life,
/// as the pipeline keeps its knowledge base).
fn load_kb(user: Option<&std::path::Path>) -> anyhow::Result<&'static Kb> {
    Ok(match user {
        Some(path) => Box::leak(Box::new(Kb::with_user_file(path)?)),
        None => Kb::bundled(),
    })
}

fn describe(entry: &KbEntry<'_>) -> String {
    format!(
        "{}\t{}\t{}\t{}\tpop {}\twikidata {}\tgeonames {}",
        entry.id,
        entry.label,
        entry.class.unwrap_or(entry.kind.as_str()),
        Some(entry.countries().collect::<Vec<_>>().join(",")).filter(|c| !c.is_empty()).unwrap_or("-".into()),
        entry.population.map_or("-".to_string(), |p| p.to_string()),
        entry.wikidata.unwrap_or("-"),
        entry.geonames.map_or("-".to_string(), |g| g.to_string())
    )
}

/// One knowledge-base entity, read in place from its compiled file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KbEntry<'a> {
    /// Wikidata QID ("Q159"), `geonames:ID` for places without a QID, `supraverden:ID` for
    /// international organizations without a QID, or a user KB's IRI.
    pub id: &'a str,
    pub kind: EntityKind,
    /// A finer class: "Country", "City", "Continent", "State", "AdministrativeArea",
    /// "PoliticalParty", "InternationalOrganization", "Company", "SportsTeam", … or a user KB's own.
    pub class: Option<&'a str>,
    pub label: &'a str,
    pub wikidata: Option<&'a str>,
    pub geonames: Option<u32>,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub population: Option<u64>,
    /// ISO 3166-1 alpha-2 code of the country the entity belongs to (for a country, its own).
    pub country: Option<&'a str>,
    /// The first-level region within the country, as GeoNames codes it (for US cities and
    /// states the postal code, "ME"), so "Portland, Maine" can pick the right Portland.
    pub region: Option<&'a str>,
    pub description: Option<&'a str>,
    /// The year an organization was dissolved (political parties), if it was.
    pub dissolved: Option<i32>,
    /// Wikipedia sitelinks (Wikidata imports): how widely known the entity is.
    pub sitelinks: Option<u32>,
    more_countries: Option<&'a str>,
    roles: Option<u32>,
    layer: u16,
}

impl<'a> KbEntry<'a> {
    /// Every country the entity belongs to, its main one first.
    pub fn countries(&self) -> impl Iterator<Item = &'a str> {
        self.country.into_iter().chain(self.more_countries.into_iter().flat_map(|c| c.split(',')))
    }

    /// Whether the entity holds posts (politicians); [`Kb::roles`] lists them.
    pub fn has_roles(&self) -> bool {
        self.roles.is_some()
    }
}

/// A post a person held (W3C ORG `org:Post`), with its organization, party and dates
/// (ISO 8601, as precise as the source).
pub type Role<'a> = format::RoleRecord<'a>;

/// One entity as built or imported, before it is compiled (`kb build`, `kb import`, user files).
#[derive(Debug, Clone, PartialEq)]
pub struct EntryData {
    pub id: String,
    pub kind: EntityKind,
    pub class: Option<String>,
    pub label: String,
    /// Other names, each with a distinct alias key.
    pub aliases: Vec<String>,
    pub wikidata: Option<String>,
    pub geonames: Option<u32>,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub population: Option<u64>,
    pub country: Option<String>,
    pub more_countries: Vec<String>,
    pub region: Option<String>,
    pub description: Option<String>,
    pub dissolved: Option<i32>,
    pub sitelinks: Option<u32>,
    pub roles: Vec<RoleData>,
}

impl EntryData {
    /// An entry with only the required fields set.
    pub fn new(id: impl Into<String>, kind: EntityKind, label: impl Into<String>) -> EntryData {
        EntryData {
            id: id.into(),
            kind,
            class: None,
            label: label.into(),
            aliases: Vec::new(),
            wikidata: None,
            geonames: None,
            lat: None,
            long: None,
            population: None,
            country: None,
            more_countries: Vec::new(),
            region: None,
            description: None,
            dissolved: None,
            sitelinks: None,
            roles: Vec::new(),
        }
    }
}

/// A post held, owned (see [`Role`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoleData {
    pub role: String,
    pub role_qid: Option<String>,
    pub organization: Option<String>,
    pub organization_qid: Option<String>,
    pub party: Option<String>,
    pub party_qid: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub executive: bool,
}

/// The knowledge base: compiled files read in place, a user's first and the bundled one last.
#[derive(Debug, Default)]
pub struct Kb {
    layers: Vec<Layer>,
}

static BUNDLED: &[u8] = include_bytes!("../../kb/bundled.kb");

impl Kb {
    /// The knowledge base compiled into the binary, opened on first use (in place: a few checks
    /// of its header, nothing decoded).
    pub fn bundled() -> &'static Kb {
        static KB: std::sync::OnceLock<Kb> = std::sync::OnceLock::new();
        KB.get_or_init(|| match Layer::open(Cow::Borrowed(BUNDLED)) {
            Ok(layer) => Kb { layers: vec![layer] },
            // The file is written by `kb build` and checked by the tests; an unreadable one
            // means a broken build, and an empty knowledge base keeps the tool running.
            Err(error) => {
                eprintln!("warning: the bundled knowledge base is unreadable ({error:#}); linking is off");
                Kb::default()
            }
        })
    }

    /// Reads a compiled knowledge base (the output of `newsgraph kb build` or `kb import`).
    pub fn from_bytes(bytes: &[u8]) -> anyhow::Result<Kb> {
        Ok(Kb { layers: vec![Layer::open(Cow::Owned(bytes.to_vec()))?] })
    }

    /// The bundled knowledge base plus a user one: a compiled file (`kb import`) or JSON lines
    /// (see `docs/kb.md`). Its entries rank first, and one whose id or QID equals a bundled
    /// entry's replaces it.
    pub fn with_user_file(path: &std::path::Path) -> anyhow::Result<Kb> {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        if bytes.starts_with(&MAGIC[..4]) {
            let layer = Layer::open(Cow::Owned(bytes)).with_context(|| format!("reading {}", path.display()))?;
            return Ok(Kb::bundled().with_layer(layer));
        }
        let text = String::from_utf8(bytes).with_context(|| format!("{}: not UTF-8 text", path.display()))?;
        Kb::bundled().with_user_entries(user::parse_user_kb(&text, &path.display().to_string())?)
    }

    /// This knowledge base plus `entries` on top (they rank first and replace entries with
    /// the same id or QID).
    pub fn with_user_entries(&self, entries: Vec<EntryData>) -> anyhow::Result<Kb> {
        let bytes = compile(entries, Vec::new(), Vec::new())?;
        Ok(self.with_layer(Layer::open(Cow::Owned(bytes))?))
    }

    fn with_layer(&self, layer: Layer) -> Kb {
        let mut layers = vec![layer];
        layers.extend(self.layers.iter().cloned());
        Kb { layers }
    }

    fn view(&self, layer: usize, index: usize) -> Option<KbEntry<'_>> {
        let record = self.layers[layer].entry(index)?;
        Some(KbEntry {
            id: record.id,
            kind: format::kind_of(record.kind),
            class: record.class,
            label: record.label,
            wikidata: record.wikidata,
            geonames: record.geonames,
            lat: record.lat.map(format::degrees),
            long: record.long.map(format::degrees),
            population: record.population,
            country: record.country,
            region: record.region,
            description: record.description,
            dissolved: record.dissolved,
            sitelinks: record.sitelinks,
            more_countries: record.more_countries,
            roles: record.roles,
            layer: layer as u16,
        })
    }

    /// Whether an entry of `layer` is replaced by an entry of a layer above it.
    fn replaced(&self, entry: &KbEntry<'_>) -> bool {
        self.layers[..entry.layer as usize]
            .iter()
            .any(|upper| upper.by_id(entry.id).is_some() || entry.wikidata.is_some_and(|q| upper.by_id(q).is_some()))
    }

    /// Entries whose label or alias matches `surface` after normalisation (case, diacritics,
    /// leading "the", punctuation, possessive), most prominent first: user entries, then
    /// countries, continents, states, subdivisions, cities by population, international
    /// organizations, parties, others. An abbreviation ("US") matches only a surface in capitals
    /// ("US", "U.S."), not "us"; one of four letters or more also matches a capitalised surface
    /// ("Nato") that is not a word.
    ///
    /// A US state abbreviation of AP style ("Calif.", "N.Y.") finds its state's entry only.
    pub fn candidates(&self, surface: &str) -> Vec<KbEntry<'_>> {
        if let Some(abbreviation) = us_states::expand(surface.trim()) {
            let key = normalise::alias_key(abbreviation.state);
            let mut states = self.hits(&key, abbreviation.state);
            states.retain(|e| e.class == Some("State") && e.country == Some("US") && e.region == Some(abbreviation.postal_code));
            return states;
        }
        let key = normalise::alias_key(surface);
        self.hits(&key, surface)
    }

    fn hits(&self, key: &str, surface: &str) -> Vec<KbEntry<'_>> {
        if key.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut abbreviation_allowed = None;
        for (l, layer) in self.layers.iter().enumerate() {
            for hit in layer.alias_hits(key) {
                if hit & 1 == 1 && !*abbreviation_allowed.get_or_insert_with(|| self.abbreviation_allowed(key, surface)) {
                    continue;
                }
                if let Some(entry) = self.view(l, (hit >> 1) as usize).filter(|e| l == 0 || !self.replaced(e)) {
                    out.push(entry);
                }
            }
        }
        out
    }

    /// Entries with a name that goes on from `name` by whole words ("Chicago" → "Chicago White
    /// Sox", "England" → "England cricket team"), abbreviations left out, each once, in key
    /// order. At most 64 names are read: a prefix that starts more names than that is too
    /// common to choose among.
    pub fn candidates_continuing(&self, name: &str) -> Vec<KbEntry<'_>> {
        const LIMIT: usize = 64;
        let key = normalise::alias_key(name);
        if key.is_empty() {
            return Vec::new();
        }
        let prefix = format!("{key} ");
        let mut out: Vec<KbEntry<'_>> = Vec::new();
        for (l, layer) in self.layers.iter().enumerate() {
            for hits in layer.prefix_hits(&prefix, LIMIT) {
                for hit in hits.into_iter().filter(|h| h & 1 == 0) {
                    if let Some(entry) = self.view(l, (hit >> 1) as usize).filter(|e| l == 0 || !self.replaced(e)) {
                        if !out.iter().any(|e| e.id == entry.id) {
                            out.push(entry);
                        }
                    }
                }
            }
        }
        out
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
        capitalised && key.len() >= 4 && !key.contains(' ') && !self.is_common_word(key)
    }

    /// The longest known name at the start of `tokens`: how many tokens it covers and its
    /// candidates (as [`Kb::candidates`] orders them). Tokens are the surface strings of
    /// consecutive tokens; punctuation tokens inside a name are allowed ("St", ".", "Louis"), but
    /// a name never starts or ends on one, and a possessive on the last token is ignored
    /// ("Russia's"). Call it at each token where a name may start; the cost is a few binary
    /// searches per call.
    pub fn longest_match(&self, tokens: &[&str]) -> Option<(usize, Vec<KbEntry<'_>>)> {
        let max_tokens = self.layers.iter().map(|l| l.max_tokens).max().unwrap_or(0);
        let limit = tokens.len().min(max_tokens);
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
            if !self.layers.iter().any(|l| l.has_key(&key)) {
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
    pub fn demonym(&self, word: &str) -> Option<KbEntry<'_>> {
        let key = normalise::alias_key(word);
        for (l, layer) in self.layers.iter().enumerate() {
            let mut hits = layer.demonym_hits(&key);
            if hits.is_empty() {
                if let Some(singular) = key.strip_suffix('s') {
                    hits = layer.demonym_hits(singular);
                }
            }
            if let Some(&first) = hits.first() {
                return self.view(l, (first >> 1) as usize);
            }
        }
        None
    }

    /// True when `word` is an ordinary English word in lower case ("police", "reading",
    /// "nice"): a single capitalised token that is one is weak evidence for a place name.
    pub fn is_common_word(&self, word: &str) -> bool {
        let lower = word.to_lowercase();
        self.layers.iter().any(|l| l.is_word(&lower))
    }

    /// True when `entry` (one of this knowledge base's) came from a user knowledge base.
    pub fn is_user_entry(&self, entry: &KbEntry<'_>) -> bool {
        (entry.layer as usize) + 1 < self.layers.len()
    }

    /// How many entries the knowledge base holds (replaced ones included).
    pub fn len(&self) -> usize {
        self.layers.iter().map(Layer::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every entry, user ones first; replaced bundled entries are left out.
    pub fn entries(&self) -> impl Iterator<Item = KbEntry<'_>> {
        self.layers
            .iter()
            .enumerate()
            .flat_map(move |(l, layer)| (0..layer.len()).filter_map(move |i| self.view(l, i)))
            .filter(move |e| !self.replaced(e))
    }

    /// The entry with this id (a QID, `geonames:ID`, or a user IRI), or whose Wikidata QID it is.
    pub fn get(&self, id: &str) -> Option<KbEntry<'_>> {
        self.layers.iter().enumerate().find_map(|(l, layer)| layer.by_id(id).and_then(|i| self.view(l, i)))
    }

    /// The posts a person held (politicians of the bundled lists, P39 of a Wikidata import),
    /// newest first: for recognising "Mr Roe" as the minister the KB says he was.
    pub fn roles<'a>(&'a self, entry: &KbEntry<'a>) -> Vec<Role<'a>> {
        match entry.roles {
            Some(offset) => self.layers[entry.layer as usize].roles(offset),
            None => Vec::new(),
        }
    }

    /// Decodes every record of every layer: an error names the first that fails.
    pub fn verify(&self) -> anyhow::Result<()> {
        self.layers.iter().try_for_each(Layer::verify)
    }
}

/// Compiles entries (with demonyms as (word, entry index) pairs and ordinary words) into the
/// bytes of a knowledge-base file: the alias index is computed here, once.
pub fn compile(entries: Vec<EntryData>, demonyms: Vec<(String, Vec<u32>)>, mut common_words: Vec<String>) -> anyhow::Result<Vec<u8>> {
    let (aliases, max_tokens) = compute_index(&entries);
    let demonyms = demonyms
        .into_iter()
        .map(|(key, list)| format::KeyHits { key, hits: list.into_iter().map(|i| i << 1).collect() })
        .collect();
    common_words.sort();
    common_words.dedup();
    format::write(&format::Contents { entries: &entries, aliases, demonyms, common_words, max_tokens: max_tokens as u32 })
}

/// Alias key → hits (most prominent first), sorted by key, and how many tokens a match may span.
fn compute_index(entries: &[EntryData]) -> (Vec<format::KeyHits>, usize) {
    let mut index: HashMap<String, Vec<(u32, bool)>> = HashMap::new();
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
            match hits.iter_mut().find(|h| h.0 == i as u32) {
                // Reachable by a written-out name too: no capitals needed.
                Some(hit) => hit.1 &= abbreviation,
                None => hits.push((i as u32, abbreviation)),
            }
        }
    }
    let mut out: Vec<format::KeyHits> = index
        .into_iter()
        .map(|(key, mut hits)| {
            hits.sort_by(|a, b| prominence_order(entries, a.0 as usize, b.0 as usize));
            format::KeyHits { key, hits: hits.into_iter().map(|(i, abbreviation)| i << 1 | u32::from(abbreviation)).collect() }
        })
        .collect();
    out.sort_by(|a, b| a.key.cmp(&b.key));
    // Punctuation tokens ("St", ".", "Louis") take no word of the key.
    (out, (max_words * 2).min(24))
}

/// By class (countries, continents, states, subdivisions, cities, international organizations,
/// parties, others), then by population, then by sitelinks, then by position for determinism.
fn prominence_order(entries: &[EntryData], a: usize, b: usize) -> std::cmp::Ordering {
    let rank = |i: usize| {
        let class_rank = match entries[i].class.as_deref() {
            Some("Country") => 0,
            Some("Continent") => 1,
            Some("State") => 2,
            Some("AdministrativeArea") => 3,
            Some("City") => 4,
            Some("InternationalOrganization") => 5,
            Some("PoliticalParty") => 6,
            _ => 7,
        };
        (
            class_rank,
            std::cmp::Reverse(entries[i].population.unwrap_or(0)),
            std::cmp::Reverse(entries[i].sitelinks.unwrap_or(0)),
            i,
        )
    };
    rank(a).cmp(&rank(b))
}

#[cfg(test)]
mod tests;
