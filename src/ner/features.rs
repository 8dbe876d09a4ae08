//! Feature extraction. Every feature is a 64-bit id: token strings are hashed once with xxh3 and
//! the templates combine those hashes with a cheap integer mix, so extraction allocates nothing
//! per token (buffers are reused across sentences and documents).

use anyhow::Context as _;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use xxhash_rust::xxh3::xxh3_64;

/// Combines two hashes; stable across platforms and versions (plain integer arithmetic).
#[inline]
pub fn mix(a: u64, b: u64) -> u64 {
    let x = (a ^ b.rotate_left(29))
        .wrapping_add(0x9E37_79B9_7F4A_7C15)
        .wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^ (x >> 31)
}

/// Keys of the lookup tables are xxh3 hashes already: hashing them again would only cost time.
#[derive(Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = mix(self.0, b as u64);
        }
    }
    fn write_u64(&mut self, key: u64) {
        self.0 = key;
    }
}

/// A map from hash keys.
pub type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// Maps typographic punctuation to the ASCII forms of the training data.
#[inline]
pub fn ascii_punct(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' | '`' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' | '«' | '»' => '"',
        '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
        _ => c,
    }
}

/// The word with typographic punctuation mapped to ASCII.
pub fn exact_form(word: &str, out: &mut String) {
    out.clear();
    out.extend(word.chars().map(ascii_punct));
}

/// The lookup key form: ASCII punctuation, lowercase, diacritics folded, digits as `0`.
pub fn lower_form(word: &str, out: &mut String) {
    out.clear();
    for c in word.chars() {
        let c = ascii_punct(c);
        if c.is_ascii() {
            let c = c.to_ascii_lowercase();
            out.push(if c.is_ascii_digit() { '0' } else { c });
        } else {
            for l in c.to_lowercase() {
                match deunicode::deunicode_char(l) {
                    Some(folded) if !folded.is_empty() => {
                        out.push_str(&folded.to_ascii_lowercase())
                    }
                    _ => out.push(l),
                }
            }
        }
    }
}

/// Hash of a word's lookup key; used by gazetteers and document statistics.
pub fn lower_key(word: &str, buf: &mut String) -> u64 {
    lower_form(word, buf);
    xxh3_64(buf.as_bytes())
}

/// Case pattern of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    NoLetters = 0,
    Lower = 1,
    Title = 2,
    Upper = 3,
}

fn case_of(word: &str) -> Case {
    let mut first = None;
    let mut lower = false;
    for c in word.chars() {
        if c.is_alphabetic() {
            first.get_or_insert(c.is_uppercase());
            lower |= c.is_lowercase();
        }
    }
    match first {
        None => Case::NoLetters,
        Some(false) => Case::Lower,
        Some(true) if lower => Case::Title,
        Some(true) => Case::Upper,
    }
}

/// How a sentence is cased: ordinary text, an all-caps headline or an all-lowercase line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentenceCase {
    Normal = 0,
    Upper = 1,
    Lower = 2,
}

/// Gazetteer categories; their order is part of the model format.
pub const GAZETTEER_CATEGORIES: [&str; 12] = [
    "country",
    "demonym",
    "city",
    "big-city",
    "region",
    "continent",
    "organization",
    "party",
    "first-name",
    "surname",
    "company",
    "language",
];

/// Word clusters and gazetteers, both stored in the model file.
#[derive(Debug, Default)]
pub struct Resources {
    /// Exact word hash → cluster id at each granularity (0 = no cluster).
    pub clusters: KeyMap<[u16; CLUSTER_LEVELS]>,
    /// Phrase hash (folded tokens) → bit set of categories; bit 31 marks a prefix of a longer entry.
    pub gazetteer: KeyMap<u32>,
    pub gazetteer_max_tokens: usize,
    /// Brown clusters (case-sensitive): exact word hash → bit path, left-aligned in
    /// [`BROWN_BITS`] bits (right-padded with zeros).
    pub brown: WordLookup,
    /// GloVe k-means classes: lowercased word hash → class at each of [`GLOVE_LEVELS`] granularities.
    pub glove: WordLookup,
}

/// Analyses of known words, so frequent tokens skip hashing: word hash → entry, and each entry's
/// analysis. A model builds it (see `Model::known_words`); without it every token is analysed.
#[derive(Debug, Default)]
pub struct Vocabulary {
    pub entries: KeyMap<u32>,
    pub infos: Vec<TokenInfo>,
}

/// Brown path prefixes used as features (Ratinov & Roth 2009; ixa-pipe-nerc).
pub const BROWN_PREFIXES: [u32; 4] = [4, 6, 10, 20];
pub const BROWN_BITS: u32 = 20;
/// Set on a token's Brown value when the word has a path (0 = no path).
const BROWN_KNOWN: u32 = 1 << 24;
pub const GLOVE_LEVELS: usize = 3;

/// A word table as the model file stores it: sorted word hashes (delta-coded) and one value per
/// word (GloVe's three classes packed by [`pack_glove`]: one number to decode instead of three).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WordTable {
    pub key_deltas: Vec<u64>,
    pub values: Vec<u32>,
}

impl WordTable {
    /// From (word hash, value) pairs; the first pair of a hash wins (lists are by frequency).
    pub fn from_pairs(mut pairs: Vec<(u64, u32)>) -> WordTable {
        // A stable sort keeps the list order among equal hashes, so `dedup` keeps the first.
        pairs.sort_by_key(|p| p.0);
        pairs.dedup_by_key(|p| p.0);
        let mut previous = 0;
        let mut table = WordTable::default();
        for (h, value) in pairs {
            table.key_deltas.push(h - previous);
            previous = h;
            table.values.push(value);
        }
        table
    }

    /// The lookup form: a linear pass, no hashing (loading stays fast with 400 k words).
    pub fn lookup(&self) -> anyhow::Result<WordLookup> {
        if self.values.len() != self.key_deltas.len() {
            anyhow::bail!(
                "{} words but {} values",
                self.key_deltas.len(),
                self.values.len()
            );
        }
        let mut entries = Vec::with_capacity(self.key_deltas.len());
        let mut h = 0u64;
        for (&delta, &value) in self.key_deltas.iter().zip(&self.values) {
            h = h.checked_add(delta).context("word table hash overflow")?;
            entries.push((h, value));
        }
        Ok(WordLookup::new(entries))
    }
}

/// Sorted 64-bit word hashes beside their values, with an index on their top 16 bits: a lookup is
/// one bucket read and a binary search over the few entries of the bucket (usually one cache
/// line). Building it is one pass, where a hash map of 400 k words would take most of the
/// model's load-time budget.
#[derive(Debug, Default)]
pub struct WordLookup {
    entries: Vec<(u64, u32)>,
    starts: Vec<u32>,
}

impl WordLookup {
    fn new(entries: Vec<(u64, u32)>) -> WordLookup {
        if entries.is_empty() {
            return WordLookup::default();
        }
        let mut starts = vec![0u32; (1 << 16) + 1];
        for &(k, _) in &entries {
            starts[(k >> 48) as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        WordLookup { entries, starts }
    }

    /// The value of word hash `key`.
    #[inline]
    pub fn get(&self, key: u64) -> Option<u32> {
        if self.entries.is_empty() {
            return None;
        }
        let bucket = (key >> 48) as usize;
        let (a, b) = (
            self.starts[bucket] as usize,
            self.starts[bucket + 1] as usize,
        );
        let bucket = &self.entries[a..b];
        let i = bucket.binary_search_by_key(&key, |e| e.0).ok()?;
        Some(bucket[i].1)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Bits of each packed GloVe class (k = 256, 1024, 4096).
const GLOVE_BITS: [u32; GLOVE_LEVELS] = [8, 10, 12];

/// Packs the three GloVe classes into one number; `None` if a class is out of range.
pub fn pack_glove(ids: &[u32]) -> Option<u32> {
    let mut packed = 0u32;
    let mut shift = 0;
    for (&id, &bits) in ids.iter().zip(&GLOVE_BITS) {
        if id >= 1 << bits {
            return None;
        }
        packed |= id << shift;
        shift += bits;
    }
    (ids.len() == GLOVE_LEVELS).then_some(packed)
}

/// The three GloVe classes of a packed value.
pub fn unpack_glove(packed: u32) -> [u32; GLOVE_LEVELS] {
    let mut shift = 0;
    std::array::from_fn(|i| {
        let id = (packed >> shift) & ((1 << GLOVE_BITS[i]) - 1);
        shift += GLOVE_BITS[i];
        id
    })
}

/// A Brown bit path ("0110…") as [`BROWN_BITS`] bits, right-padded with zeros: spaCy stored the
/// paths without their trailing zeros, and padding restores the partition of every prefix.
pub fn brown_bits(path: &str) -> Option<u32> {
    if path.is_empty() || path.len() > BROWN_BITS as usize {
        return None;
    }
    let mut bits = 0u32;
    for (i, c) in path.bytes().enumerate() {
        match c {
            b'0' => {}
            b'1' => bits |= 1 << (BROWN_BITS - 1 - i as u32),
            _ => return None,
        }
    }
    Some(bits)
}

/// Hash key of a word for the Brown table (exact form).
pub fn brown_key(word: &str, buf: &mut String) -> u64 {
    exact_form(word, buf);
    xxh3_64(buf.as_bytes())
}

/// Hash key of a word for the GloVe table: lowercased, digits and diacritics kept.
pub fn glove_key(word: &str, buf: &mut String) -> u64 {
    buf.clear();
    buf.extend(word.chars().map(ascii_punct).flat_map(char::to_lowercase));
    xxh3_64(buf.as_bytes())
}

pub const CLUSTER_LEVELS: usize = 3;
const PREFIX_BIT: u32 = 1 << 31;
const PHRASE_SEED: u64 = 0x6761_7a65_7474_6565;

impl Resources {
    /// Adds a gazetteer entry, already split into tokens.
    pub fn add_gazetteer_entry(&mut self, tokens: &[&str], category: usize, buf: &mut String) {
        if tokens.is_empty() || tokens.len() > 8 {
            return;
        }
        let mut h = PHRASE_SEED;
        for (i, t) in tokens.iter().enumerate() {
            h = mix(h, lower_key(t, buf));
            let bits = if i + 1 == tokens.len() {
                1 << category
            } else {
                PREFIX_BIT
            };
            *self.gazetteer.entry(h).or_insert(0) |= bits;
        }
        self.gazetteer_max_tokens = self.gazetteer_max_tokens.max(tokens.len());
    }
}

/// The gazetteer as the model file stores it: the hashes of every phrase and phrase prefix
/// (sorted, delta-coded) with their category bits, so loading inserts numbers instead of
/// normalising and hashing the lists again.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GazetteerTable {
    pub phrase_deltas: Vec<u64>,
    pub bits: Vec<u32>,
    pub max_tokens: u32,
}

impl GazetteerTable {
    /// From one list per category (in [`GAZETTEER_CATEGORIES`] order): one entry per line,
    /// tokens separated by spaces.
    pub fn from_lists(lists: &[String]) -> anyhow::Result<GazetteerTable> {
        if lists.len() > GAZETTEER_CATEGORIES.len() {
            anyhow::bail!(
                "{} gazetteer categories, at most {} known",
                lists.len(),
                GAZETTEER_CATEGORIES.len()
            );
        }
        let mut res = Resources::default();
        let (mut buf, mut tokens) = (String::new(), Vec::new());
        for (category, entries) in lists.iter().enumerate() {
            for entry in entries.lines() {
                tokens.clear();
                tokens.extend(entry.split(' '));
                res.add_gazetteer_entry(&tokens, category, &mut buf);
            }
        }
        let mut pairs: Vec<(u64, u32)> = res.gazetteer.into_iter().collect();
        pairs.sort_unstable();
        let mut previous = 0;
        Ok(GazetteerTable {
            phrase_deltas: pairs
                .iter()
                .map(|&(h, _)| {
                    let delta = h - previous;
                    previous = h;
                    delta
                })
                .collect(),
            bits: pairs.iter().map(|&(_, b)| b).collect(),
            max_tokens: res.gazetteer_max_tokens as u32,
        })
    }

    /// Fills the gazetteer lookup of `res`.
    pub fn load_into(&self, res: &mut Resources) -> anyhow::Result<()> {
        if self.phrase_deltas.len() != self.bits.len() {
            anyhow::bail!(
                "{} gazetteer phrases but {} category sets",
                self.phrase_deltas.len(),
                self.bits.len()
            );
        }
        res.gazetteer.reserve(self.bits.len());
        let mut h = 0u64;
        for (&delta, &bits) in self.phrase_deltas.iter().zip(&self.bits) {
            h = h
                .checked_add(delta)
                .context("gazetteer phrase hash overflow")?;
            res.gazetteer.insert(h, bits);
        }
        res.gazetteer_max_tokens = self.max_tokens as usize;
        Ok(())
    }
}

/// What extraction knows about one token, computed once per token.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokenInfo {
    word: u64,
    lower: u64,
    shape: u64,
    prefixes: [u64; 4],
    suffixes: [u64; 4],
    clusters: [u16; CLUSTER_LEVELS],
    /// Brown path with [`BROWN_KNOWN`] set, or 0.
    brown: u32,
    /// GloVe class + 1 at each granularity, or 0.
    glove: [u16; GLOVE_LEVELS],
    /// Gazetteer membership: bit `4 * category + part` (part: 0 begin, 1 inside, 2 last, 3 unit).
    gazetteer: u64,
    /// What the gazetteer holds for the word alone (categories, prefix bit): known words carry
    /// it from the vocabulary, so most tokens skip a lookup in the large phrase table.
    unigram: u32,
    case: u8,
}

/// Which feature groups a model uses (stored in the model so run time matches training).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FeatureSet {
    pub clusters: bool,
    pub gazetteer: bool,
    pub document: bool,
    pub brown: bool,
    pub glove: bool,
}

impl FeatureSet {
    /// No feature group beyond the word's own and its window's.
    pub const NONE: FeatureSet = FeatureSet {
        clusters: false,
        gazetteer: false,
        document: false,
        brown: false,
        glove: false,
    };
}

/// Non-local features per token at most (three per label class, one commonest label); unused
/// slots are 0, and callers skip them.
pub const NONLOCAL_MAX: usize = 16;

/// No vocabulary entry.
pub const UNKNOWN: u32 = u32::MAX;

/// Reusable extraction state.
#[derive(Default)]
pub struct Extractor {
    infos: Vec<TokenInfo>,
    /// Vocabulary entry of each token, or [`UNKNOWN`].
    entries: Vec<u32>,
    sentence_case: Vec<u8>,
    /// Per token: whether it starts its sentence.
    sentence_initial: Vec<bool>,
    /// Lowercase key → (capitalised, lowercase) counts in ordinary sentences, not sentence-initial.
    doc_case: KeyMap<(u16, u16)>,
    /// Capitalised tokens as (lowercase key, token index), sorted: the other occurrences of a word.
    occurrences: Vec<(u64, u32)>,
    /// Lowercase key → its range in `occurrences`.
    occurrence_groups: KeyMap<(u32, u32)>,
    /// Per token: lowercase keys of its left and right neighbours in the sentence.
    neighbours: Vec<(u64, u64)>,
    exact: String,
    lower: String,
    variant: String,
}

const BOUNDARY: u64 = 0x5eed_0000_0000_0001;

// Template ids: any distinct constants; changing one changes the model.
const T_BIAS: u64 = 1;
const T_WORD: u64 = 2;
const T_LOWER: u64 = 3;
const T_LOWER_AT: [u64; 4] = [4, 5, 6, 7];
const T_SHAPE: u64 = 8;
const T_SHAPE_AT: [u64; 2] = [9, 10];
const T_SHAPE_TRIGRAM: u64 = 11;
const T_PREFIX: u64 = 12;
const T_SUFFIX: u64 = 13;
const T_BIGRAM_LEFT: u64 = 14;
const T_BIGRAM_RIGHT: u64 = 15;
const T_CLUSTER: u64 = 16;
const T_CLUSTER_AT: [u64; 2] = [17, 18];
const T_GAZ: u64 = 19;
const T_GAZ_AT: [u64; 2] = [20, 21];
const T_FIRST_SHAPE: u64 = 22;
const T_MODE_SHAPE: u64 = 23;
const T_DOC: u64 = 24;
const T_DOC_CASE: u64 = 25;
const T_DOC_MODE: u64 = 26;
const T_GAZ_CASE: u64 = 27;
const T_MODE_CLUSTER: u64 = 28;
const T_CLUSTER_LOWER_LEFT: u64 = 29;
const T_AGG_LEFT: u64 = 30;
const T_AGG_RIGHT: u64 = 31;
const T_CLUSTER_FAR: u64 = 32;
const T_BROWN: u64 = 33;
const T_BROWN_AT: [u64; 2] = [34, 35];
const T_BROWN_FAR: u64 = 36;
const T_GLOVE: u64 = 37;
const T_GLOVE_AT: [u64; 2] = [38, 39];
const T_GLOVE_FAR: u64 = 40;
const T_NL_TYPE: u64 = 41;
const T_NL_TYPE_CASE: u64 = 42;
const T_NL_LABEL: u64 = 43;
const T_NL_OWN: u64 = 44;

/// Label → its entity type plus one (0 for O), as the non-local features count them.
fn label_class(label: u8) -> usize {
    if label == 0 {
        0
    } else {
        1 + (label as usize - 1) / 4
    }
}

impl Extractor {
    /// Analyses every token of a document; call before [`Extractor::sentence`].
    pub fn document(&mut self, sentences: &[Vec<&str>], res: &Resources, set: FeatureSet) {
        self.document_known(sentences, res, None, set);
    }

    /// [`Extractor::document`], taking the analyses of the words `known` holds from it (and
    /// marking them with their entry, so [`Extractor::sentence`] can leave out their intrinsic
    /// features). The analyses are the same either way.
    pub fn document_known(&mut self, sentences: &[Vec<&str>], res: &Resources, known: Option<&Vocabulary>, set: FeatureSet) {
        self.infos.clear();
        self.entries.clear();
        self.sentence_case.clear();
        self.sentence_initial.clear();
        self.doc_case.clear();
        for words in sentences {
            let start = self.infos.len();
            self.sentence_initial
                .extend((0..words.len()).map(|i| i == 0));
            for w in words {
                let entry = match known {
                    Some(known) if w.is_ascii() && !w.contains('`') => known.entries.get(&xxh3_64(w.as_bytes())).copied(),
                    _ => None,
                };
                match entry {
                    Some(entry) => {
                        self.infos.push(known.expect("an entry comes from a vocabulary").infos[entry as usize]);
                        self.entries.push(entry);
                    }
                    None => {
                        let info = self.token(w, res, set);
                        self.infos.push(info);
                        self.entries.push(UNKNOWN);
                    }
                }
            }
            if set.gazetteer {
                mark_gazetteer(&mut self.infos[start..], res);
            }
            let case = sentence_case(&self.infos[start..]);
            self.sentence_case.push(case as u8);
            if set.document && case == SentenceCase::Normal {
                for info in self.infos[start..].iter().skip(1) {
                    let counts = self.doc_case.entry(info.lower).or_insert((0, 0));
                    match info.case {
                        2 | 3 => counts.0 = counts.0.saturating_add(1),
                        1 => counts.1 = counts.1.saturating_add(1),
                        _ => {}
                    }
                }
            }
        }
        if set.document {
            self.aggregate_contexts(sentences);
        }
    }

    /// Context aggregation (Ratinov & Roth 2009): a word sees the neighbours of the capitalised,
    /// not sentence-initial occurrences of it in the ordinarily cased sentences of the document,
    /// so a name in an ALL-CAPS or lowercase headline still sees how the body uses it.
    fn aggregate_contexts(&mut self, sentences: &[Vec<&str>]) {
        self.neighbours.clear();
        self.occurrences.clear();
        let mut k = 0;
        for (s, words) in sentences.iter().enumerate() {
            let ordinary = self.sentence_case[s] == SentenceCase::Normal as u8;
            for i in 0..words.len() {
                let left = if i == 0 {
                    BOUNDARY ^ 1
                } else {
                    self.infos[k - 1].lower
                };
                let right = if i + 1 == words.len() {
                    BOUNDARY
                } else {
                    self.infos[k + 1].lower
                };
                self.neighbours.push((left, right));
                if ordinary && i > 0 && self.infos[k].case >= Case::Title as u8 {
                    self.occurrences.push((self.infos[k].lower, k as u32));
                }
                k += 1;
            }
        }
        self.occurrences.sort_unstable();
        self.occurrence_groups.clear();
        let mut start = 0;
        while start < self.occurrences.len() {
            let key = self.occurrences[start].0;
            let mut end = start;
            while end < self.occurrences.len() && self.occurrences[end].0 == key {
                end += 1;
            }
            self.occurrence_groups
                .insert(key, (start as u32, end as u32));
            start = end;
        }
    }

    /// Analyses one word (its gazetteer marks need the sentence: see [`mark_gazetteer`]).
    pub fn token(&mut self, word: &str, res: &Resources, set: FeatureSet) -> TokenInfo {
        exact_form(word, &mut self.exact);
        lower_form(word, &mut self.lower);
        let mut info = TokenInfo {
            word: xxh3_64(self.exact.as_bytes()),
            lower: xxh3_64(self.lower.as_bytes()),
            case: case_of(&self.exact) as u8,
            ..TokenInfo::default()
        };
        info.shape = shape_hash(&self.exact);
        let lower = self.lower.as_str();
        let mut boundaries = lower.char_indices().map(|(i, _)| i).skip(1);
        for k in 0..4 {
            let end = boundaries.next().unwrap_or(lower.len());
            info.prefixes[k] = xxh3_64(&lower.as_bytes()[..end]);
            if end == lower.len() {
                let value = info.prefixes[k];
                info.prefixes[k + 1..].fill(value);
                break;
            }
        }
        let mut starts = lower.char_indices().rev().map(|(i, _)| i);
        for k in 0..4 {
            let start = starts.next().unwrap_or(0);
            info.suffixes[k] = xxh3_64(&lower.as_bytes()[start..]);
            if start == 0 {
                let value = info.suffixes[k];
                info.suffixes[k + 1..].fill(value);
                break;
            }
        }
        if set.clusters {
            info.clusters = self.cluster_lookup(info.word, res);
        }
        if set.brown {
            info.brown = self.brown_lookup(info.word, res);
        }
        if set.glove {
            let key = glove_key(&self.exact, &mut self.variant);
            if let Some(packed) = res.glove.get(key) {
                let ids = unpack_glove(packed);
                info.glove = std::array::from_fn(|i| ids[i] as u16 + 1);
            }
        }
        if set.gazetteer {
            info.unigram = res
                .gazetteer
                .get(&mix(PHRASE_SEED, info.lower))
                .copied()
                .unwrap_or(0);
        }
        info
    }

    /// Brown path of the word as written, else of its lowercase form (spaCy gave the title and
    /// upper-case variants of a word its cluster already).
    fn brown_lookup(&mut self, word_hash: u64, res: &Resources) -> u32 {
        let found = res.brown.get(word_hash).or_else(|| {
            self.variant.clear();
            self.variant
                .extend(self.exact.chars().flat_map(char::to_lowercase));
            res.brown.get(xxh3_64(self.variant.as_bytes()))
        });
        found.map_or(0, |v| v | BROWN_KNOWN)
    }

    /// Cluster of the word as written, else of its title-case or lowercase form (all-caps and
    /// lowercase headlines).
    fn cluster_lookup(&mut self, word_hash: u64, res: &Resources) -> [u16; CLUSTER_LEVELS] {
        if let Some(c) = res.clusters.get(&word_hash) {
            return *c;
        }
        self.variant.clear();
        let mut chars = self.exact.chars();
        if let Some(first) = chars.next() {
            self.variant.extend(first.to_uppercase());
            self.variant.extend(chars.flat_map(char::to_lowercase));
        }
        if let Some(c) = res.clusters.get(&xxh3_64(self.variant.as_bytes())) {
            return *c;
        }
        self.variant.clear();
        self.variant
            .extend(self.exact.chars().flat_map(char::to_lowercase));
        res.clusters
            .get(&xxh3_64(self.variant.as_bytes()))
            .copied()
            .unwrap_or_default()
    }

    /// Features of sentence `index` (of the last [`Extractor::document`] call) covering `tokens`:
    /// appends each token's features to `out` and its end offset to `ends`. With `skip_known`,
    /// the word-intrinsic features of vocabulary tokens are left out: the caller adds their
    /// precomputed sums (see [`intrinsic`]).
    pub fn sentence(
        &self,
        index: usize,
        tokens: std::ops::Range<usize>,
        set: FeatureSet,
        skip_known: bool,
        out: &mut Vec<u64>,
        ends: &mut Vec<u32>,
    ) {
        let first = tokens.start;
        let entries = &self.entries[tokens.clone()];
        let infos = &self.infos[tokens];
        let mode = self.sentence_case[index] as u64;
        let n = infos.len();
        let at = |i: isize| -> Option<&TokenInfo> {
            if i < 0 || i as usize >= n {
                None
            } else {
                Some(&infos[i as usize])
            }
        };
        let lower_at = |i: isize| at(i).map_or(BOUNDARY ^ (i < 0) as u64, |t| t.lower);
        let shape_at = |i: isize| at(i).map_or(BOUNDARY ^ (i < 0) as u64, |t| t.shape);
        for (i, t) in infos.iter().enumerate() {
            let ii = i as isize;
            for offset in -2isize..=2 {
                let j = ii + offset;
                match at(j) {
                    Some(o) if !(skip_known && entries[j as usize] != UNKNOWN) => {
                        intrinsic(o, offset, set, out)
                    }
                    Some(_) => {}
                    None => boundary(offset, set, out),
                }
            }
            out.push(T_BIAS);
            let (left_shape, right_shape) = (shape_at(ii - 1), shape_at(ii + 1));
            out.push(mix(
                mix(mix(T_SHAPE_TRIGRAM, left_shape), t.shape),
                right_shape,
            ));
            out.push(mix(mix(T_BIGRAM_LEFT, lower_at(ii - 1)), t.lower));
            out.push(mix(mix(T_BIGRAM_RIGHT, t.lower), lower_at(ii + 1)));
            if i == 0 {
                out.push(mix(T_FIRST_SHAPE, t.shape));
            }
            out.push(mix(mix(T_MODE_SHAPE, mode), t.shape));
            if set.clusters {
                out.push(mix(mix(T_MODE_CLUSTER, mode), t.clusters[1] as u64));
                out.push(mix(
                    mix(T_CLUSTER_LOWER_LEFT, lower_at(ii - 1)),
                    t.clusters[1] as u64,
                ));
            }
            if set.gazetteer {
                push_bits(out, T_GAZ, t.gazetteer);
                push_bits(out, mix(T_GAZ_CASE, t.case as u64), t.gazetteer);
                for (k, offset) in [-1isize, 1].into_iter().enumerate() {
                    if let Some(o) = at(ii + offset) {
                        push_bits(out, T_GAZ_AT[k], o.gazetteer);
                    }
                }
            }
            if set.document {
                let (cap, low) = self.doc_case.get(&t.lower).copied().unwrap_or_default();
                let state = (cap > 0) as u64 * 2 + (low > 0) as u64;
                out.push(mix(T_DOC, state));
                out.push(mix(
                    T_DOC_CASE,
                    state * 16 + t.case as u64 * 2 + (i == 0) as u64,
                ));
                out.push(mix(T_DOC_MODE, state * 4 + mode));
                let k = first + i;
                let (a, b) = self
                    .occurrence_groups
                    .get(&t.lower)
                    .copied()
                    .unwrap_or_default();
                for &(_, other) in self.occurrences[a as usize..b as usize]
                    .iter()
                    .filter(|o| o.1 as usize != k)
                    .take(6)
                {
                    let (left, right) = self.neighbours[other as usize];
                    out.push(mix(T_AGG_LEFT, left));
                    out.push(mix(T_AGG_RIGHT, right));
                }
            }
            ends.push(out.len() as u32);
        }
    }

    /// Non-local features of the second stage (prediction aggregation, Ratinov & Roth 2009):
    /// for every capitalised token, the labels the first stage gave to the document's *other*
    /// capitalised occurrences of the same word (any sentence, sentence-initial too), as the share
    /// of each type, that share with the token's own casing and position, and the commonest
    /// label; and each share with the type the first stage gave the token itself. `labels` holds the first stage's label of every token of the last
    /// [`Extractor::document`]. Appends `(token, features)` to `out` for the tokens that have any,
    /// in token order; `groups` is scratch.
    pub fn nonlocal(&self, labels: &[u8], groups: &mut Vec<(u64, u32)>, out: &mut Vec<(u32, [u64; NONLOCAL_MAX])>) {
        out.clear();
        groups.clear();
        for (k, info) in self.infos.iter().enumerate() {
            if info.case >= Case::Title as u8 {
                groups.push((info.lower, k as u32));
            }
        }
        groups.sort_unstable();
        let initial = &self.sentence_initial;
        let mut start = 0;
        while start < groups.len() {
            let key = groups[start].0;
            let mut end = start + 1;
            while end < groups.len() && groups[end].0 == key {
                end += 1;
            }
            if end - start >= 2 {
                let mut classes = [0u32; 5];
                let mut label_counts = [0u32; super::conll::NUM_LABELS];
                for &(_, k) in &groups[start..end] {
                    let l = labels[k as usize];
                    classes[label_class(l)] += 1;
                    label_counts[l as usize] += 1;
                }
                for &(_, k) in &groups[start..end] {
                    let own = labels[k as usize];
                    let mut others = classes;
                    others[label_class(own)] -= 1;
                    let mut other_labels = label_counts;
                    other_labels[own as usize] -= 1;
                    let n = (end - start - 1) as u32;
                    let info = &self.infos[k as usize];
                    let context = info.case as u64 * 2 + initial[k as usize] as u64;
                    let mut features = [0u64; NONLOCAL_MAX];
                    let mut f = 0;
                    for (class, &count) in others.iter().enumerate() {
                        if count == 0 {
                            continue;
                        }
                        let share = if count * 2 < n { 0 } else if count < n { 1 } else { 2 };
                        let value = class as u64 * 4 + share;
                        features[f] = mix(T_NL_TYPE, value);
                        features[f + 1] = mix(T_NL_TYPE_CASE, value * 8 + context);
                        // With the token's own first-stage type: "LOC here, ORG elsewhere".
                        features[f + 2] = mix(T_NL_OWN, value * 8 + label_class(own) as u64);
                        f += 3;
                    }
                    // First of the commonest labels (ties to the lower label id: deterministic).
                    let common = (0..other_labels.len())
                        .max_by_key(|&l| (other_labels[l], std::cmp::Reverse(l)))
                        .unwrap_or(0);
                    features[f] = mix(T_NL_LABEL, common as u64);
                    out.push((k as u32, features));
                }
            }
            start = end;
        }
        out.sort_unstable_by_key(|e| e.0);
    }

    /// Vocabulary entry of token `i` of the document, or [`UNKNOWN`].
    pub fn entry(&self, i: usize) -> u32 {
        self.entries[i]
    }

    pub fn token_count(&self) -> usize {
        self.infos.len()
    }
}

/// Features a token gives the token `offset` positions away from it (itself at 0): they depend
/// only on the word, so a model can sum their weights once per vocabulary word.
pub fn intrinsic(t: &TokenInfo, offset: isize, set: FeatureSet, out: &mut Vec<u64>) {
    match offset {
        0 => {
            out.push(mix(T_WORD, t.word));
            out.push(mix(T_LOWER, t.lower));
            out.push(mix(T_SHAPE, t.shape));
            for k in 0..4 {
                out.push(mix(T_PREFIX + 100 * k as u64, t.prefixes[k]));
                out.push(mix(T_SUFFIX + 100 * k as u64, t.suffixes[k]));
            }
            if set.clusters {
                for level in 0..CLUSTER_LEVELS {
                    out.push(mix(
                        T_CLUSTER + 100 * level as u64,
                        t.clusters[level] as u64,
                    ));
                }
            }
            if set.brown {
                for (k, p) in BROWN_PREFIXES.iter().enumerate() {
                    out.push(mix(T_BROWN + 100 * k as u64, brown_prefix(t.brown, *p)));
                }
            }
            if set.glove {
                for level in 0..GLOVE_LEVELS {
                    out.push(mix(T_GLOVE + 100 * level as u64, t.glove[level] as u64));
                }
            }
        }
        _ => {
            out.push(mix(T_LOWER_AT[lower_slot(offset)], t.lower));
            if offset.abs() == 1 {
                let k = (offset > 0) as usize;
                if set.brown {
                    for (j, p) in BROWN_PREFIXES.iter().enumerate() {
                        out.push(mix(
                            T_BROWN_AT[k] + 100 * j as u64,
                            brown_prefix(t.brown, *p),
                        ));
                    }
                }
                if set.glove {
                    for level in 0..GLOVE_LEVELS {
                        out.push(mix(
                            T_GLOVE_AT[k] + 100 * level as u64,
                            t.glove[level] as u64,
                        ));
                    }
                }
            } else {
                let slot = lower_slot(offset) as u64 * 100;
                if set.brown {
                    out.push(mix(T_BROWN_FAR + slot, brown_prefix(t.brown, 6)));
                }
                if set.glove {
                    out.push(mix(T_GLOVE_FAR + slot, t.glove[1] as u64));
                }
            }
            if offset.abs() == 1 {
                let k = (offset > 0) as usize;
                out.push(mix(T_SHAPE_AT[k], t.shape));
                if set.clusters {
                    for level in 0..CLUSTER_LEVELS {
                        out.push(mix(
                            T_CLUSTER_AT[k] + 100 * level as u64,
                            t.clusters[level] as u64,
                        ));
                    }
                }
            } else if set.clusters {
                out.push(mix(
                    T_CLUSTER_FAR + lower_slot(offset) as u64 * 100,
                    t.clusters[1] as u64,
                ));
            }
        }
    }
}

/// The intrinsic features' stand-ins where `offset` falls outside the sentence.
fn boundary(offset: isize, set: FeatureSet, out: &mut Vec<u64>) {
    let value = BOUNDARY ^ (offset < 0) as u64;
    out.push(mix(T_LOWER_AT[lower_slot(offset)], value));
    if offset.abs() == 1 {
        let k = (offset > 0) as usize;
        if set.brown {
            for j in 0..BROWN_PREFIXES.len() {
                out.push(mix(T_BROWN_AT[k] + 100 * j as u64, u64::MAX));
            }
        }
        if set.glove {
            for level in 0..GLOVE_LEVELS {
                out.push(mix(T_GLOVE_AT[k] + 100 * level as u64, u64::MAX));
            }
        }
    } else {
        let slot = lower_slot(offset) as u64 * 100;
        if set.brown {
            out.push(mix(T_BROWN_FAR + slot, u64::MAX));
        }
        if set.glove {
            out.push(mix(T_GLOVE_FAR + slot, u64::MAX));
        }
    }
    if offset.abs() == 1 {
        let k = (offset > 0) as usize;
        out.push(mix(T_SHAPE_AT[k], value));
        if set.clusters {
            for level in 0..CLUSTER_LEVELS {
                out.push(mix(T_CLUSTER_AT[k] + 100 * level as u64, u64::MAX));
            }
        }
    } else if set.clusters {
        out.push(mix(
            T_CLUSTER_FAR + lower_slot(offset) as u64 * 100,
            u64::MAX,
        ));
    }
}

/// The first `p` bits of a token's Brown value; the known bit keeps "no path" apart from the
/// all-zeros prefix.
#[inline]
fn brown_prefix(brown: u32, p: u32) -> u64 {
    (brown >> (BROWN_BITS - p)) as u64
}

fn lower_slot(offset: isize) -> usize {
    match offset {
        -2 => 0,
        -1 => 1,
        1 => 2,
        _ => 3,
    }
}

fn push_bits(out: &mut Vec<u64>, template: u64, mut bits: u64) {
    while bits != 0 {
        let b = bits.trailing_zeros();
        out.push(mix(template, b as u64));
        bits &= bits - 1;
    }
}

fn sentence_case(infos: &[TokenInfo]) -> SentenceCase {
    let alpha = infos
        .iter()
        .filter(|t| t.case != Case::NoLetters as u8)
        .count();
    let has = |c: Case| infos.iter().any(|t| t.case == c as u8);
    if alpha >= 2 && !has(Case::Lower) && !has(Case::Title) {
        SentenceCase::Upper
    } else if alpha >= 3 && !has(Case::Upper) && !has(Case::Title) {
        SentenceCase::Lower
    } else {
        SentenceCase::Normal
    }
}

/// Marks every gazetteer phrase in the sentence on its tokens (all matches, not only the longest).
fn mark_gazetteer(infos: &mut [TokenInfo], res: &Resources) {
    for start in 0..infos.len() {
        if infos[start].unigram == 0 {
            continue;
        }
        let mut h = PHRASE_SEED;
        for end in start..infos.len().min(start + res.gazetteer_max_tokens) {
            h = mix(h, infos[end].lower);
            let bits = if end == start {
                infos[start].unigram
            } else {
                match res.gazetteer.get(&h) {
                    Some(&bits) => bits,
                    None => break,
                }
            };
            let mut categories = bits & !PREFIX_BIT;
            while categories != 0 {
                let c = categories.trailing_zeros();
                categories &= categories - 1;
                if start == end {
                    infos[start].gazetteer |= 1 << (4 * c + 3);
                } else {
                    infos[start].gazetteer |= 1 << (4 * c);
                    for info in &mut infos[start + 1..end] {
                        info.gazetteer |= 1 << (4 * c + 1);
                    }
                    infos[end].gazetteer |= 1 << (4 * c + 2);
                }
            }
            if bits & PREFIX_BIT == 0 {
                break;
            }
        }
    }
}

/// Word shape: letters as `X`/`x`, digits as `d`, runs collapsed, at most 8 symbols.
fn shape_hash(word: &str) -> u64 {
    let mut shape = [0u8; 8];
    let mut len = 0;
    let mut last = 0u8;
    for c in word.chars() {
        let s = if c.is_uppercase() {
            b'X'
        } else if c.is_lowercase() {
            b'x'
        } else if c.is_ascii_digit() {
            b'd'
        } else if c.is_ascii() {
            c as u8
        } else {
            b'*'
        };
        if s != last {
            if len == shape.len() {
                break;
            }
            shape[len] = s;
            len += 1;
            last = s;
        }
    }
    xxh3_64(&shape[..len])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonlocal_features_follow_the_labels_of_the_other_capitalised_occurrences() {
        let res = Resources::default();
        let mut ex = Extractor::default();
        // "Acme" three times (once sentence-initial), "acme" lowercase once, "Zed" once.
        let sentences = [
            vec!["Acme", "rose", "."],
            vec!["Shares", "of", "Acme", "fell", "at", "Zed", "."],
            vec!["acme", "and", "Acme", "."],
        ];
        ex.document(&sentences, &res, FeatureSet::NONE);
        let u_org = super::super::conll::label(super::super::conll::Part::Unit, 1) as u8;
        let u_loc = super::super::conll::label(super::super::conll::Part::Unit, 2) as u8;
        let features_with = |acme: [u8; 3]| {
            let mut labels = vec![0u8; ex.token_count()];
            for (&k, &l) in [0usize, 5, 12].iter().zip(&acme) {
                labels[k] = l;
            }
            labels[8] = u_loc;
            let (mut groups, mut out) = (Vec::new(), Vec::new());
            ex.nonlocal(&labels, &mut groups, &mut out);
            out
        };
        let out = features_with([0, u_org, u_org]);
        // Only the capitalised occurrences of a repeated word: not "acme", not the lone "Zed".
        assert_eq!(out.iter().map(|e| e.0).collect::<Vec<_>>(), [0, 5, 12]);
        // The sentence-initial "Acme" (labelled O) sees ORG in all its others; the second sees
        // O and ORG: different features.
        assert_ne!(out[0].1, out[1].1);
        let again = features_with([0, u_org, u_org]);
        assert_eq!(out, again);
        // When every occurrence is labelled O, the first token's features change.
        let all_o = features_with([0, 0, 0]);
        assert_ne!(all_o[0].1, out[0].1);
    }

    #[test]
    fn lower_form_folds_quotes_case_digits_and_diacritics() {
        let mut out = String::new();
        lower_form("Ünal’s 1996", &mut out);
        assert_eq!(out, "unal's 0000");
    }

    #[test]
    fn gazetteer_table_from_lists_marks_names_by_category() {
        let category = |name: &str| {
            GAZETTEER_CATEGORIES
                .iter()
                .position(|c| *c == name)
                .unwrap()
        };
        let mut lists = vec![String::new(); GAZETTEER_CATEGORIES.len()];
        lists[category("first-name")] = "John\nMary".into();
        lists[category("surname")] = "Smith".into();
        lists[category("company")] = "General Motors".into();
        let table = GazetteerTable::from_lists(&lists).unwrap();
        let mut res = Resources::default();
        table.load_into(&mut res).unwrap();
        let set = FeatureSet {
            gazetteer: true,
            ..FeatureSet::NONE
        };
        let mut ex = Extractor::default();
        ex.document(
            &[vec!["JOHN", "Smith", "left", "General", "Motors"]],
            &res,
            set,
        );
        let unit = |c: &str| 1u64 << (4 * category(c) + 3);
        let g: Vec<u64> = ex.infos.iter().map(|t| t.gazetteer).collect();
        assert_eq!(g[0], unit("first-name"));
        assert_eq!(g[1], unit("surname"));
        assert_eq!(g[2], 0);
        assert_eq!(g[3], 1 << (4 * category("company")));
        assert_eq!(g[4], 1 << (4 * category("company") + 2));
        assert!(GazetteerTable::from_lists(&vec![String::new(); 99]).is_err());
    }

    #[test]
    fn gazetteer_marks_multi_token_phrases() {
        let mut res = Resources::default();
        let mut buf = String::new();
        res.add_gazetteer_entry(&["New", "York"], 2, &mut buf);
        res.add_gazetteer_entry(&["York"], 2, &mut buf);
        let mut ex = Extractor::default();
        let set = FeatureSet {
            gazetteer: true,
            ..FeatureSet::NONE
        };
        ex.document(&[vec!["in", "NEW", "york", "today"]], &res, set);
        let g: Vec<u64> = ex.infos.iter().map(|t| t.gazetteer).collect();
        assert_eq!(g, [0, 1 << 8, (1 << 10) | (1 << 11), 0]);
    }
}
