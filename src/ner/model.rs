//! The model: quantised weights behind a fingerprint table, BILOU transition constraints,
//! Viterbi decoding, and the file format (magic + version + postcard).

use super::conll::{label, label_part, Part, NUM_LABELS, TYPES};
use super::features::{
    intrinsic, Extractor, FeatureSet, GazetteerTable, Resources, Vocabulary, WordTable, CLUSTER_LEVELS,
};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};

pub const MAGIC: &[u8; 8] = b"NGNER\0\0\x01";
pub const VERSION: u32 = 4;

/// Version 3 files are version 4 without the trailing `two_stage` flag (postcard writes fields
/// in order, a `false` as one zero byte): one-stage models are written and read as version 3.
const VERSION_WITHOUT_TWO_STAGE: u32 = 3;

/// Whether `current` may follow `previous` (`None` = sentence start) in BILOU.
pub fn allowed(previous: Option<usize>, current: usize) -> bool {
    let open = previous
        .and_then(label_part)
        .and_then(|(p, t)| matches!(p, Part::Begin | Part::Inside).then_some(t));
    match (open, label_part(current)) {
        (Some(t), Some((Part::Inside | Part::Last, ct))) => t == ct,
        (Some(_), _) => false,
        (None, Some((Part::Inside | Part::Last, _))) => false,
        (None, _) => true,
    }
}

/// Whether a sentence may end with `label`.
pub fn may_end(label: usize) -> bool {
    !matches!(label_part(label), Some((Part::Begin | Part::Inside, _)))
}

/// Scores of a first-order model over the BILOU labels.
pub trait Score: Copy + PartialOrd + std::ops::Add<Output = Self> {
    const FORBIDDEN: Self;
}
impl Score for f32 {
    const FORBIDDEN: f32 = -1e30;
}
impl Score for i32 {
    const FORBIDDEN: i32 = i32::MIN / 4;
}

/// Transition scores: `NUM_LABELS + 1` rows (the last is the sentence start), forbidden moves
/// already set to [`Score::FORBIDDEN`].
pub fn constrain<T: Score>(transitions: &mut [T]) {
    for previous in 0..=NUM_LABELS {
        for current in 0..NUM_LABELS {
            let p = (previous < NUM_LABELS).then_some(previous);
            if !allowed(p, current) {
                transitions[previous * NUM_LABELS + current] = T::FORBIDDEN;
            }
        }
    }
}

/// O, then `part` and U of every type, in ascending label order.
const fn with_units(part: Part) -> [usize; 1 + 2 * TYPES.len()] {
    let mut labels = [0; 1 + 2 * TYPES.len()];
    let mut t = 0;
    while t < TYPES.len() {
        labels[1 + 2 * t] = label(part, t);
        labels[2 + 2 * t] = label(Part::Unit, t);
        t += 1;
    }
    labels
}

/// Labels after which an entity may begin: O, L-*, U-* (ascending, so ties go to the lowest
/// label as in a plain scan).
const CLOSED: [usize; 1 + 2 * TYPES.len()] = with_units(Part::Last);

/// Labels that may follow a closed one: O, B-*, U-*.
const OPENING: [usize; 1 + 2 * TYPES.len()] = with_units(Part::Begin);

/// Lanes of the dense closed → opening step: [`OPENING`] padded to whole SIMD vectors.
const LANES: usize = OPENING.len().next_multiple_of(4);

/// Best label sequence under emission `scores` (one row per token) and `transitions` (as
/// constrained by [`constrain`]: only allowed moves are considered). `deltas` keeps the best
/// score of every label at every token; the path is traced back from them.
pub fn viterbi<T: Score>(
    scores: &[[T; NUM_LABELS]],
    transitions: &[T],
    deltas: &mut Vec<[T; NUM_LABELS]>,
    out: &mut Vec<u8>,
) {
    out.clear();
    deltas.clear();
    let n = scores.len();
    if n == 0 {
        return;
    }
    let start = &transitions[NUM_LABELS * NUM_LABELS..];
    let mut delta: [T; NUM_LABELS] = std::array::from_fn(|l| start[l] + scores[0][l]);
    deltas.push(delta);
    // BILOU leaves two kinds of move: from a closed label to an opening one (dense, padded with
    // forbidden lanes so the maximum over predecessors vectorises), and B/I-x to I/L-x.
    let mut closed_to_opening = [[T::FORBIDDEN; LANES]; CLOSED.len()];
    for (p, row) in closed_to_opening.iter_mut().enumerate() {
        for (c, &current) in OPENING.iter().enumerate() {
            row[c] = transitions[CLOSED[p] * NUM_LABELS + current];
        }
    }
    for row in &scores[1..] {
        let mut next = [T::FORBIDDEN; NUM_LABELS];
        let mut best = [T::FORBIDDEN; LANES];
        for (p, moves) in closed_to_opening.iter().enumerate() {
            let from = delta[CLOSED[p]];
            for c in 0..LANES {
                let s = from + moves[c];
                best[c] = if s > best[c] { s } else { best[c] };
            }
        }
        for (c, &current) in OPENING.iter().enumerate() {
            next[current] = best[c] + row[current];
        }
        for t in 0..TYPES.len() {
            let (b, i) = (label(Part::Begin, t), label(Part::Inside, t));
            for current in [i, label(Part::Last, t)] {
                let from_b = delta[b] + transitions[b * NUM_LABELS + current];
                let from_i = delta[i] + transitions[i * NUM_LABELS + current];
                next[current] = if from_i > from_b { from_i } else { from_b } + row[current];
            }
        }
        delta = next;
        deltas.push(delta);
    }
    let mut best = 0;
    for l in 0..NUM_LABELS {
        if may_end(l) && delta[l] > delta[best] {
            best = l;
        }
    }
    out.resize(n, 0);
    out[n - 1] = best as u8;
    for i in (1..n).rev() {
        out[i - 1] = best_predecessor(&deltas[i - 1], transitions, out[i] as usize) as u8;
    }
}

/// The predecessor that gave `current` its best score (the lowest label on a tie, as the
/// forward pass takes the first maximum): recomputed from the kept scores.
fn best_predecessor<T: Score>(previous: &[T; NUM_LABELS], transitions: &[T], current: usize) -> usize {
    let candidates: &[usize] = match label_part(current) {
        Some((Part::Inside | Part::Last, t)) => &[label(Part::Begin, t), label(Part::Inside, t)],
        _ => &CLOSED,
    };
    let mut arg = candidates[0];
    let mut best = previous[arg] + transitions[arg * NUM_LABELS + current];
    for &p in &candidates[1..] {
        let s = previous[p] + transitions[p * NUM_LABELS + current];
        if s > best {
            best = s;
            arg = p;
        }
    }
    arg
}

/// Starts loading the cache lines that hold `value`: the tagger's lookups are random reads of
/// tables larger than L2, and issuing them a token early hides most of the wait.
#[inline]
fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        let start = value as *const T as *const u8;
        let first_line = (start as usize) & !63;
        for line in (first_line..start as usize + std::mem::size_of::<T>()).step_by(64) {
            // SAFETY: a prefetch neither reads nor faults, whatever the address.
            unsafe {
                use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
                _mm_prefetch::<_MM_HINT_T0>(std::ptr::without_provenance::<i8>(line));
            }
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

/// One feature's weights and fingerprint in one 32-byte slot, so a lookup touches one cache line.
#[derive(Debug, Clone, Copy)]
#[repr(C, align(32))]
struct Slot {
    key: u32,
    weights: [i8; NUM_LABELS],
}

const EMPTY: Slot = Slot {
    key: 0,
    weights: [0; NUM_LABELS],
};

/// Feature fingerprint → weights, open addressing with linear probing; built at load time.
/// Most features of new text are not in the model (pruned, or never seen in training), so a
/// bit set small enough for L2 answers those before the table is touched.
#[derive(Debug, Default)]
struct FeatureTable {
    mask: usize,
    slots: Vec<Slot>,
    len: usize,
    present: Vec<u64>,
}

/// Bits of [`FeatureTable::present`]: 2^20 (128 KiB), 16 per kept feature or more.
const PRESENT_BITS: u32 = 20;

/// The bit of `present` a fingerprint sets: from other bits than the slot index.
#[inline]
fn present_bit(fingerprint: u32) -> usize {
    (fingerprint.wrapping_mul(0x9E37_79B1) >> (32 - PRESENT_BITS)) as usize
}

/// The fingerprint a feature id is stored under (never 0: 0 marks an empty slot).
pub fn fingerprint(feature: u64) -> u32 {
    ((feature >> 32) as u32).max(1)
}

impl FeatureTable {
    fn build(fingerprints: &[u32], weights: &[i8]) -> FeatureTable {
        let size = (fingerprints.len() * 2).next_power_of_two().max(16);
        let mut table = FeatureTable {
            mask: size - 1,
            slots: vec![EMPTY; size],
            len: fingerprints.len(),
            present: vec![0; 1 << (PRESENT_BITS - 6)],
        };
        for (row, &f) in fingerprints.iter().enumerate() {
            let bit = present_bit(f);
            table.present[bit / 64] |= 1 << (bit % 64);
            let mut slot = f as usize & table.mask;
            while table.slots[slot].key != 0 {
                slot = (slot + 1) & table.mask;
            }
            table.slots[slot].key = f;
            table.slots[slot]
                .weights
                .copy_from_slice(&weights[row * NUM_LABELS..(row + 1) * NUM_LABELS]);
        }
        table
    }

    #[inline]
    fn may_hold(&self, f: u32) -> bool {
        let bit = present_bit(f);
        self.present[bit / 64] & (1 << (bit % 64)) != 0
    }

    /// Starts loading the slot `feature` hashes to, so that a later [`FeatureTable::get`] finds
    /// it in cache.
    #[inline]
    fn prefetch(&self, feature: u64) {
        let f = fingerprint(feature);
        if self.may_hold(f) {
            prefetch(&self.slots[f as usize & self.mask]);
        }
    }

    #[inline]
    fn get(&self, feature: u64) -> Option<&[i8; NUM_LABELS]> {
        let f = fingerprint(feature);
        if !self.may_hold(f) {
            return None;
        }
        let mut slot = f as usize & self.mask;
        loop {
            let s = &self.slots[slot];
            if s.key == f {
                return Some(&s.weights);
            }
            if s.key == 0 {
                return None;
            }
            slot = (slot + 1) & self.mask;
        }
    }
}

/// What the model file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelData {
    pub features: FeatureSet,
    /// Weight = stored value × `scale`.
    pub scale: f32,
    /// Sorted feature fingerprints, delta-coded.
    pub fingerprint_deltas: Vec<u32>,
    /// `NUM_LABELS` weights per feature, in fingerprint order.
    pub weights: Vec<i8>,
    /// `(NUM_LABELS + 1) × NUM_LABELS` transition weights in units of `scale`.
    pub transitions: Vec<i32>,
    /// Cluster vocabulary, one word per line, and `CLUSTER_LEVELS` ids per word.
    pub cluster_words: String,
    pub cluster_ids: Vec<u16>,
    pub gazetteer: GazetteerTable,
    /// Brown paths by exact word hash (one value per word, see [`brown_bits`](super::features::brown_bits)).
    pub brown: WordTable,
    /// GloVe k-means classes by lowercased word hash (packed, see [`pack_glove`](super::features::pack_glove)).
    pub glove: WordTable,
    /// Whether tagging runs a second Viterbi pass with the non-local features
    /// ([`Extractor::nonlocal`](super::features::Extractor::nonlocal)) of the first pass's labels.
    pub two_stage: bool,
}

impl ModelData {
    pub fn to_bytes(&self) -> anyhow::Result<Vec<u8>> {
        let mut bytes = MAGIC.to_vec();
        let mut payload = postcard::to_allocvec(self).context("encoding the model")?;
        // A one-stage model is written as version 3 (without the trailing `false`), so the
        // rebuild command reproduces the committed version 3 file byte for byte.
        let version = if self.two_stage {
            VERSION
        } else {
            payload.pop();
            VERSION_WITHOUT_TWO_STAGE
        };
        bytes.extend_from_slice(&version.to_le_bytes());
        bytes.extend(payload);
        Ok(bytes)
    }

    pub fn from_bytes(bytes: &[u8]) -> anyhow::Result<ModelData> {
        if bytes.len() < 12 || &bytes[..8] != MAGIC {
            bail!("not a newsgraph NER model (bad magic number)");
        }
        let version = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
        if version == VERSION_WITHOUT_TWO_STAGE {
            let mut payload = bytes[12..].to_vec();
            payload.push(0);
            return postcard::from_bytes(&payload).context("decoding the model");
        }
        if version != VERSION {
            bail!("NER model version {version} is not supported (expected {VERSION})");
        }
        postcard::from_bytes(&bytes[12..]).context("decoding the model")
    }

    /// The word clusters and gazetteers as lookup tables.
    pub fn resources(&self) -> anyhow::Result<Resources> {
        let mut res = Resources::default();
        let words: Vec<&str> = if self.cluster_words.is_empty() {
            Vec::new()
        } else {
            self.cluster_words.split('\n').collect()
        };
        if words.len() * CLUSTER_LEVELS != self.cluster_ids.len() {
            bail!(
                "model: {} cluster words but {} cluster ids",
                words.len(),
                self.cluster_ids.len()
            );
        }
        res.clusters.reserve(words.len());
        for (word, ids) in words
            .iter()
            .zip(self.cluster_ids.chunks_exact(CLUSTER_LEVELS))
        {
            let key = xxhash_rust::xxh3::xxh3_64(word.as_bytes());
            res.clusters.insert(key, std::array::from_fn(|i| ids[i]));
        }
        self.gazetteer.load_into(&mut res)?;
        res.brown = self.brown.lookup().context("model: Brown clusters")?;
        res.glove = self.glove.lookup().context("model: GloVe clusters")?;
        Ok(res)
    }
}

/// A loaded model, ready to score.
#[derive(Debug)]
pub struct Model {
    pub features: FeatureSet,
    pub two_stage: bool,
    table: FeatureTable,
    transitions: Vec<i32>,
    pub resources: Resources,
    /// The cluster vocabulary, one word per line: the words [`KnownWords`] is built for.
    cluster_words: String,
    /// Built once the process has tagged [`KNOWN_WORDS_AFTER`] tokens (see [`Model::known_words`]).
    known: OnceLock<KnownWords>,
    tokens_tagged: AtomicUsize,
}

/// The cluster vocabulary analysed once, with the summed weights of each word's intrinsic
/// features at offsets −2..=2: the tagger's fast path for known words. Building it costs as
/// much as tagging some 10^5 tokens without it, so a short run never builds it.
#[derive(Debug, Default)]
pub struct KnownWords {
    pub vocabulary: Vocabulary,
    /// Per vocabulary entry, laid out in vocabulary order (frequent words share cache lines).
    word_vectors: Vec<[[i16; NUM_LABELS]; 5]>,
}

/// Tokens a process tags before the known-word tables are built: below it, a run (one article,
/// a few files) is done before the tables would have paid for themselves.
pub const KNOWN_WORDS_AFTER: usize = 50_000;

/// Offsets of the word-intrinsic features, in `word_vectors` order.
pub const OFFSETS: [isize; 5] = [-2, -1, 0, 1, 2];

impl Model {
    pub fn from_data(data: &ModelData) -> anyhow::Result<Model> {
        let mut fingerprints = Vec::with_capacity(data.fingerprint_deltas.len());
        let mut f = 0u32;
        for d in &data.fingerprint_deltas {
            f = f.checked_add(*d).context("model: fingerprint overflow")?;
            fingerprints.push(f);
        }
        if data.weights.len() != fingerprints.len() * NUM_LABELS {
            bail!(
                "model: {} weights for {} features",
                data.weights.len(),
                fingerprints.len()
            );
        }
        if data.transitions.len() != (NUM_LABELS + 1) * NUM_LABELS {
            bail!("model: {} transition weights", data.transitions.len());
        }
        let mut transitions = data.transitions.clone();
        constrain(&mut transitions);
        Ok(Model {
            features: data.features,
            two_stage: data.two_stage,
            table: FeatureTable::build(&fingerprints, &data.weights),
            transitions,
            resources: data.resources()?,
            cluster_words: data.cluster_words.clone(),
            known: OnceLock::new(),
            tokens_tagged: AtomicUsize::new(0),
        })
    }

    pub fn load(bytes: &[u8]) -> anyhow::Result<Model> {
        Model::from_data(&ModelData::from_bytes(bytes)?)
    }

    /// Asks the cache for the weights of `features` ahead of [`Model::score`].
    #[inline]
    pub fn prefetch(&self, features: &[u64]) {
        for &f in features {
            self.table.prefetch(f);
        }
    }

    /// Emission scores of one token from its features.
    #[inline]
    pub fn score(&self, features: &[u64], out: &mut [i32; NUM_LABELS]) {
        *out = [0; NUM_LABELS];
        for &f in features {
            if let Some(w) = self.table.get(f) {
                for (o, &x) in out.iter_mut().zip(w) {
                    *o += x as i32;
                }
            }
        }
    }

    /// The known-word tables for a document of `tokens` tokens: built on the call that takes the
    /// process past [`KNOWN_WORDS_AFTER`] tagged tokens, `None` before. Tagging gives the same
    /// scores with or without them (integer sums of the same weights).
    pub fn known_words(&self, tokens: usize) -> Option<&KnownWords> {
        if let Some(known) = self.known.get() {
            return Some(known);
        }
        if self.tokens_tagged.fetch_add(tokens, Ordering::Relaxed) + tokens < KNOWN_WORDS_AFTER {
            return None;
        }
        Some(self.known.get_or_init(|| self.build_known_words()))
    }

    /// The known-word tables, built now if they are not yet.
    pub fn known_words_now(&self) -> &KnownWords {
        self.known.get_or_init(|| self.build_known_words())
    }

    /// Analyses and intrinsic weight sums of the cluster vocabulary (ASCII words: the fast path
    /// hashes a token's bytes as they are).
    fn build_known_words(&self) -> KnownWords {
        let words = &self.cluster_words;
        let mut known = KnownWords::default();
        let mut extractor = Extractor::default();
        let (mut features, mut ends) = (Vec::new(), Vec::with_capacity(OFFSETS.len()));
        let capacity = words.bytes().filter(|&b| b == b'\n').count() + 1;
        known.vocabulary.entries.reserve(capacity);
        known.vocabulary.infos.reserve(capacity);
        known.word_vectors.reserve(capacity);
        for word in words
            .split('\n')
            .filter(|w| !w.is_empty() && w.is_ascii() && !w.contains('`'))
        {
            let info = extractor.token(word, &self.resources, self.features);
            features.clear();
            ends.clear();
            for offset in OFFSETS {
                intrinsic(&info, offset, self.features, &mut features);
                ends.push(features.len());
            }
            self.prefetch(&features);
            let mut start = 0;
            let vectors = std::array::from_fn(|k| {
                let mut sum = [0i16; NUM_LABELS];
                for &f in &features[start..ends[k]] {
                    if let Some(w) = self.table.get(f) {
                        for (s, &x) in sum.iter_mut().zip(w) {
                            *s += x as i16;
                        }
                    }
                }
                start = ends[k];
                sum
            });
            let key = xxhash_rust::xxh3::xxh3_64(word.as_bytes());
            let entry = known.word_vectors.len() as u32;
            if known.vocabulary.entries.insert(key, entry).is_none() {
                known.vocabulary.infos.push(info);
                known.word_vectors.push(vectors);
            }
        }
        known
    }

    pub fn transitions(&self) -> &[i32] {
        &self.transitions
    }

    pub fn feature_count(&self) -> usize {
        self.table.len
    }
}

impl KnownWords {
    /// Asks the cache for the intrinsic weight sums of vocabulary word `entry`.
    #[inline]
    pub fn prefetch_word(&self, entry: u32) {
        if let Some(vectors) = self.word_vectors.get(entry as usize) {
            prefetch(vectors);
        }
    }

    /// Intrinsic weight sums of vocabulary word `entry` at offset index `k` (into [`OFFSETS`]).
    #[inline]
    pub fn word_vector(&self, entry: u32, k: usize) -> &[i16; NUM_LABELS] {
        &self.word_vectors[entry as usize][k]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::conll::label;

    #[test]
    fn constraints_follow_bilou() {
        let b_per = label(Part::Begin, 0);
        assert!(allowed(None, b_per));
        assert!(!allowed(None, label(Part::Inside, 0)));
        assert!(allowed(Some(b_per), label(Part::Last, 0)));
        assert!(!allowed(Some(b_per), label(Part::Last, 1)));
        assert!(!allowed(Some(b_per), 0));
        assert!(allowed(Some(label(Part::Unit, 2)), label(Part::Unit, 2)));
        assert!(!may_end(b_per));
    }

    #[test]
    fn viterbi_respects_constraints() {
        let mut transitions = vec![0.0f32; (NUM_LABELS + 1) * NUM_LABELS];
        constrain(&mut transitions);
        // Token 0 prefers B-PER, token 1 prefers O: B-PER O is forbidden, so U-PER O wins.
        let mut scores = [[0.0f32; NUM_LABELS]; 2];
        scores[0][label(Part::Begin, 0)] = 3.0;
        scores[0][label(Part::Unit, 0)] = 2.0;
        scores[1][0] = 5.0;
        let (mut deltas, mut out) = (Vec::new(), Vec::new());
        viterbi(&scores, &transitions, &mut deltas, &mut out);
        assert_eq!(out, [label(Part::Unit, 0) as u8, 0]);
    }

    /// Viterbi over every allowed move, by brute force over all label sequences.
    fn best_by_enumeration(scores: &[[i32; NUM_LABELS]], transitions: &[i32]) -> i64 {
        let mut best = i64::MIN;
        let n = scores.len();
        let mut labels = vec![0usize; n];
        loop {
            let mut ok = may_end(labels[n - 1]);
            let mut total = 0i64;
            for i in 0..n {
                let previous = if i == 0 { None } else { Some(labels[i - 1]) };
                ok &= allowed(previous, labels[i]);
                let row = previous.unwrap_or(NUM_LABELS);
                total += (transitions[row * NUM_LABELS + labels[i]] + scores[i][labels[i]]) as i64;
            }
            if ok {
                best = best.max(total);
            }
            let mut k = 0;
            while k < n && labels[k] == NUM_LABELS - 1 {
                labels[k] = 0;
                k += 1;
            }
            if k == n {
                return best;
            }
            labels[k] += 1;
        }
    }

    #[test]
    fn viterbi_finds_the_best_allowed_sequence() {
        let mut seed = 7u64;
        let mut random = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) % 41) as i32 - 20
        };
        for n in 1..=3 {
            for _ in 0..30 {
                let mut transitions: Vec<i32> =
                    (0..(NUM_LABELS + 1) * NUM_LABELS).map(|_| random()).collect();
                constrain(&mut transitions);
                let scores: Vec<[i32; NUM_LABELS]> =
                    (0..n).map(|_| std::array::from_fn(|_| random())).collect();
                let (mut deltas, mut out) = (Vec::new(), Vec::new());
                viterbi(&scores, &transitions, &mut deltas, &mut out);
                let mut total = 0i64;
                for i in 0..n {
                    let previous = if i == 0 { None } else { Some(out[i - 1] as usize) };
                    assert!(allowed(previous, out[i] as usize), "{out:?}");
                    let row = previous.unwrap_or(NUM_LABELS);
                    total += (transitions[row * NUM_LABELS + out[i] as usize]
                        + scores[i][out[i] as usize]) as i64;
                }
                assert!(may_end(out[n - 1] as usize));
                assert_eq!(total, best_by_enumeration(&scores, &transitions));
            }
        }
    }

    #[test]
    fn model_bytes_round_trip_and_reject_garbage() {
        let data = ModelData {
            features: FeatureSet {
                clusters: true,
                gazetteer: true,
                document: true,
                brown: true,
                glove: true,
            },
            scale: 0.5,
            fingerprint_deltas: vec![5, 7],
            weights: (0..2 * NUM_LABELS as i32).map(|i| (i - 10) as i8).collect(),
            transitions: vec![1; (NUM_LABELS + 1) * NUM_LABELS],
            cluster_words: "Paris\nLondon".into(),
            cluster_ids: vec![1, 2, 3, 1, 2, 4],
            gazetteer: GazetteerTable::from_lists(&["france\nunited kingdom".into()]).unwrap(),
            brown: WordTable::from_pairs(vec![(9, 3), (4, 1), (9, 5)]),
            glove: WordTable::from_pairs(vec![(u64::MAX, 7)]),
            two_stage: true,
        };
        let bytes = data.to_bytes().unwrap();
        assert_eq!(ModelData::from_bytes(&bytes).unwrap(), data);
        // A version 3 file (no two-stage flag) loads as a one-stage model.
        let one_stage = ModelData {
            two_stage: false,
            ..data.clone()
        };
        let version_3 = one_stage.to_bytes().unwrap();
        assert_eq!(version_3[8], 3);
        assert_eq!(version_3.len() + 1, bytes.len());
        assert_eq!(version_3[12..], bytes[12..bytes.len() - 1]);
        assert_eq!(ModelData::from_bytes(&version_3).unwrap(), one_stage);
        let model = Model::from_data(&data).unwrap();
        assert_eq!(model.feature_count(), 2);
        assert_eq!(model.resources.clusters.len(), 2);
        // "france", "united kingdom" and the prefix "united".
        assert_eq!(model.resources.gazetteer.len(), 3);
        assert_eq!(model.resources.gazetteer_max_tokens, 2);
        // The first value of a repeated hash wins.
        assert_eq!(model.resources.brown.get(9), Some(3));
        assert_eq!(model.resources.brown.get(4), Some(1));
        assert_eq!(model.resources.brown.get(5), None);
        assert_eq!(model.resources.glove.get(u64::MAX), Some(7));
        assert!(ModelData::from_bytes(b"garbage").is_err());
        let mut wrong_version = bytes.clone();
        wrong_version[8] = 9;
        assert!(ModelData::from_bytes(&wrong_version).is_err());
    }
}
