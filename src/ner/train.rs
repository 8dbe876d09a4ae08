//! Training: an averaged structured perceptron over BILOU labels with constrained Viterbi,
//! the epoch chosen by dev F1, weights quantised to 8 bits. Deterministic for a given seed.

use super::conll::{bilou_chunks, chunks_to_bilou, Counts, Document, NUM_LABELS};
use super::features::{Extractor, FeatureSet, Resources, NONLOCAL_MAX};
use super::model::{constrain, fingerprint, viterbi, ModelData};
use std::collections::HashMap;

/// Training options.
#[derive(Debug, Clone)]
pub struct Options {
    pub features: FeatureSet,
    pub epochs: usize,
    pub seed: u64,
    /// Share of training sentences added again in upper case, and again in lower case.
    pub case_augmentation: f64,
    /// Perceptrons trained on different sentence orders and averaged.
    pub runs: usize,
}

/// A sentence as feature ids.
struct Encoded {
    features: Vec<u32>,
    ends: Vec<u32>,
    labels: Vec<u8>,
}

impl Encoded {
    fn token(&self, i: usize) -> &[u32] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.features[start..self.ends[i] as usize]
    }
}

/// splitmix64: a tiny, stable random generator for shuffling and augmentation.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Upper- or lowercases every word of a sentence copy.
pub fn recase(words: &[String], upper: bool) -> Vec<String> {
    words
        .iter()
        .map(|w| {
            if upper {
                w.to_uppercase()
            } else {
                w.to_lowercase()
            }
        })
        .collect()
}

/// Encodes documents; `index` grows when `grow` (training), otherwise unknown features are dropped.
/// Augmented copies are re-cased in place, so their document context is that of a headline:
/// the rest of the document, without their original casing.
fn encode(
    docs: &[Document],
    res: &Resources,
    set: FeatureSet,
    index: &mut HashMap<u32, u32>,
    grow: bool,
    augment: Option<(&mut Rng, f64)>,
) -> Vec<Encoded> {
    let mut extractor = Extractor::default();
    let mut out = Vec::new();
    let mut buffers = (Vec::new(), Vec::new());
    let mut augment = augment;
    for doc in docs {
        let originals: Vec<Vec<&str>> = doc
            .sentences
            .iter()
            .map(|s| s.words.iter().map(String::as_str).collect())
            .collect();
        let labels: Vec<Vec<u8>> = doc
            .sentences
            .iter()
            .map(|s| chunks_to_bilou(s.words.len(), &s.chunks))
            .collect();
        let starts: Vec<usize> = originals
            .iter()
            .scan(0, |first, s| {
                let start = *first;
                *first += s.len();
                Some(start)
            })
            .collect();
        // Encodes sentence `i` as the extractor now sees its document.
        let mut encode_at = |extractor: &Extractor, i: usize, out: &mut Vec<Encoded>| {
            let range = starts[i]..starts[i] + labels[i].len();
            out.push(encode_sentence(
                extractor,
                i,
                range,
                set,
                index,
                grow,
                &mut buffers,
                &labels[i],
            ));
        };
        extractor.document(&originals, res, set);
        for i in 0..originals.len() {
            encode_at(&extractor, i, &mut out);
        }
        let Some((rng, share)) = augment.as_mut() else {
            continue;
        };
        for (i, s) in doc.sentences.iter().enumerate() {
            for upper in [true, false] {
                if rng.unit() < *share {
                    let copy = recase(&s.words, upper);
                    let mut views = originals.clone();
                    views[i] = copy.iter().map(String::as_str).collect();
                    extractor.document(&views, res, set);
                    encode_at(&extractor, i, &mut out);
                }
            }
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn encode_sentence(
    extractor: &Extractor,
    i: usize,
    range: std::ops::Range<usize>,
    set: FeatureSet,
    index: &mut HashMap<u32, u32>,
    grow: bool,
    (features, ends): &mut (Vec<u64>, Vec<u32>),
    labels: &[u8],
) -> Encoded {
    features.clear();
    ends.clear();
    extractor.sentence(i, range, set, false, features, ends);
    let mut encoded = Encoded {
        features: Vec::with_capacity(features.len()),
        ends: Vec::new(),
        labels: labels.to_vec(),
    };
    let mut start = 0;
    for &end in ends.iter() {
        for &f in &features[start..end as usize] {
            let key = fingerprint(f);
            let id = if grow {
                let next = index.len() as u32;
                Some(*index.entry(key).or_insert(next))
            } else {
                index.get(&key).copied()
            };
            encoded.features.extend(id);
        }
        encoded.ends.push(encoded.features.len() as u32);
        start = end as usize;
    }
    encoded
}

struct Perceptron {
    weights: Vec<f32>,
    totals: Vec<f32>,
    transitions: Vec<f32>,
    transition_totals: Vec<f32>,
    step: f32,
}

impl Perceptron {
    fn new(features: usize) -> Perceptron {
        let t = (NUM_LABELS + 1) * NUM_LABELS;
        Perceptron {
            weights: vec![0.0; features * NUM_LABELS],
            totals: vec![0.0; features * NUM_LABELS],
            transitions: vec![0.0; t],
            transition_totals: vec![0.0; t],
            step: 1.0,
        }
    }

    fn decode(weights: &[f32], transitions: &[f32], s: &Encoded, scratch: &mut Scratch) {
        scratch.scores.clear();
        for i in 0..s.labels.len() {
            let mut row = [0.0f32; NUM_LABELS];
            for &f in s.token(i) {
                let w = &weights[f as usize * NUM_LABELS..(f as usize + 1) * NUM_LABELS];
                for (r, x) in row.iter_mut().zip(w) {
                    *r += x;
                }
            }
            scratch.scores.push(row);
        }
        viterbi(
            &scratch.scores,
            transitions,
            &mut scratch.deltas,
            &mut scratch.path,
        );
    }

    fn learn(&mut self, s: &Encoded, scratch: &mut Scratch) {
        let mut transitions = self.transitions.clone();
        constrain(&mut transitions);
        Self::decode(&self.weights, &transitions, s, scratch);
        let step = self.step;
        let update = |weights: &mut [f32], totals: &mut [f32], at: usize, delta: f32| {
            weights[at] += delta;
            totals[at] += step * delta;
        };
        for i in 0..s.labels.len() {
            let (gold, guess) = (s.labels[i] as usize, scratch.path[i] as usize);
            if gold != guess {
                for &f in s.token(i) {
                    let base = f as usize * NUM_LABELS;
                    update(&mut self.weights, &mut self.totals, base + gold, 1.0);
                    update(&mut self.weights, &mut self.totals, base + guess, -1.0);
                }
            }
            let previous = |labels: &[u8]| {
                if i == 0 {
                    NUM_LABELS
                } else {
                    labels[i - 1] as usize
                }
            };
            let (gold_previous, guess_previous) = (previous(&s.labels), previous(&scratch.path));
            if (gold_previous, gold) != (guess_previous, guess) {
                update(
                    &mut self.transitions,
                    &mut self.transition_totals,
                    gold_previous * NUM_LABELS + gold,
                    1.0,
                );
                update(
                    &mut self.transitions,
                    &mut self.transition_totals,
                    guess_previous * NUM_LABELS + guess,
                    -1.0,
                );
            }
        }
        self.step += 1.0;
    }

    /// Averaged weights: w − Σ(step·Δ)/step.
    fn averaged(&self) -> (Vec<f32>, Vec<f32>) {
        let avg = |w: &[f32], t: &[f32]| w.iter().zip(t).map(|(w, t)| w - t / self.step).collect();
        (
            avg(&self.weights, &self.totals),
            avg(&self.transitions, &self.transition_totals),
        )
    }
}

#[derive(Default)]
struct Scratch {
    scores: Vec<[f32; NUM_LABELS]>,
    deltas: Vec<[f32; NUM_LABELS]>,
    path: Vec<u8>,
}

fn evaluate(weights: &[f32], transitions: &[f32], sentences: &[Encoded]) -> Counts {
    let mut transitions = transitions.to_vec();
    constrain(&mut transitions);
    let mut scratch = Scratch::default();
    let mut counts = Counts::default();
    for s in sentences {
        Perceptron::decode(weights, &transitions, s, &mut scratch);
        counts.add(
            s.labels.len(),
            &bilou_chunks(&s.labels),
            &bilou_chunks(&scratch.path),
        );
    }
    counts
}

/// Trains a model; `log` receives one line per epoch.
pub fn train(
    train_docs: &[Document],
    dev_docs: &[Document],
    res: &Resources,
    options: &Options,
    mut log: impl FnMut(&str),
) -> (Vec<u32>, Vec<f32>, Vec<f32>, Counts) {
    let mut rng = Rng(options.seed);
    let mut index = HashMap::new();
    let set = options.features;
    let train = encode(
        train_docs,
        res,
        set,
        &mut index,
        true,
        Some((&mut rng, options.case_augmentation)),
    );
    let dev = encode(dev_docs, res, set, &mut index, false, None);
    log(&format!(
        "{} training sentences, {} features",
        train.len(),
        index.len()
    ));
    let mut runs = Vec::new();
    for run in 0..options.runs.max(1) {
        // The first run continues the augmentation generator; later runs shuffle differently.
        let mut own = Rng(options.seed.wrapping_add(run as u64));
        let shuffle = if run == 0 { &mut rng } else { &mut own };
        let (weights, transitions, counts) =
            train_run(&train, &dev, index.len(), options.epochs, shuffle, &mut log);
        runs.push((weights, transitions));
        if options.runs <= 1 {
            let mut fingerprints = vec![0u32; index.len()];
            for (f, id) in index {
                fingerprints[id as usize] = f;
            }
            let (weights, transitions) = runs.pop().unwrap_or_default();
            return (fingerprints, weights, transitions, counts);
        }
    }
    // Bagging-like average of perceptrons trained on different sentence orders.
    let n = runs.len() as f32;
    let mut weights = vec![0.0f32; index.len() * NUM_LABELS];
    let mut transitions = vec![0.0f32; (NUM_LABELS + 1) * NUM_LABELS];
    for (w, t) in &runs {
        weights.iter_mut().zip(w).for_each(|(a, b)| *a += b / n);
        transitions.iter_mut().zip(t).for_each(|(a, b)| *a += b / n);
    }
    let counts = evaluate(&weights, &transitions, &dev);
    log(&format!(
        "average of {} runs: dev FB1 {:.2}",
        runs.len(),
        counts.f1()
    ));
    let mut fingerprints = vec![0u32; index.len()];
    for (f, id) in index {
        fingerprints[id as usize] = f;
    }
    (fingerprints, weights, transitions, counts)
}

/// One perceptron: the averaged weights of its best epoch on dev.
fn train_run(
    train: &[Encoded],
    dev: &[Encoded],
    features: usize,
    epochs: usize,
    rng: &mut Rng,
    log: &mut impl FnMut(&str),
) -> (Vec<f32>, Vec<f32>, Counts) {
    let mut perceptron = Perceptron::new(features);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut scratch = Scratch::default();
    let mut best: Option<(f64, Vec<f32>, Vec<f32>, Counts)> = None;
    for epoch in 1..=epochs {
        for i in (1..order.len()).rev() {
            order.swap(i, (rng.next() % (i as u64 + 1)) as usize);
        }
        for &i in &order {
            perceptron.learn(&train[i], &mut scratch);
        }
        let (weights, transitions) = perceptron.averaged();
        let counts = evaluate(&weights, &transitions, dev);
        let f1 = counts.f1();
        log(&format!("epoch {epoch}: dev FB1 {f1:.2}"));
        if best.as_ref().is_none_or(|b| f1 > b.0) {
            best = Some((f1, weights, transitions, counts));
        }
    }
    let (_, weights, transitions, counts) = best.unwrap_or_else(|| {
        let (w, t) = perceptron.averaged();
        (0.0, w, t, Counts::default())
    });
    (weights, transitions, counts)
}

/// A document as a first-stage model sees it: its score rows and labels, and the non-local
/// features those labels give (the second stage's input).
struct FirstPass {
    rows: Vec<[f32; NUM_LABELS]>,
    labels: Vec<u8>,
    gold: Vec<u8>,
    sentence_lengths: Vec<usize>,
    nonlocal: Vec<(u32, [u64; NONLOCAL_MAX])>,
    /// Constrained transitions of the model that made the rows.
    transitions: Vec<f32>,
}

/// Runs a trained first-stage model (unquantised) over documents.
fn first_pass(
    docs: &[Document],
    res: &Resources,
    set: FeatureSet,
    (fingerprints, weights, transitions): (&[u32], &[f32], &[f32]),
) -> Vec<FirstPass> {
    let mut index: HashMap<u32, u32> = fingerprints
        .iter()
        .enumerate()
        .map(|(id, &f)| (f, id as u32))
        .collect();
    let mut transitions = transitions.to_vec();
    constrain(&mut transitions);
    let mut extractor = Extractor::default();
    let mut buffers = (Vec::new(), Vec::new());
    let mut scratch = Scratch::default();
    let mut groups = Vec::new();
    let mut passes = Vec::new();
    for doc in docs {
        let words: Vec<Vec<&str>> = doc
            .sentences
            .iter()
            .map(|s| s.words.iter().map(String::as_str).collect())
            .collect();
        extractor.document(&words, res, set);
        let mut pass = FirstPass {
            rows: Vec::new(),
            labels: Vec::new(),
            gold: Vec::new(),
            sentence_lengths: Vec::new(),
            nonlocal: Vec::new(),
            transitions: transitions.clone(),
        };
        let mut first = 0;
        for (i, s) in doc.sentences.iter().enumerate() {
            let gold = chunks_to_bilou(s.words.len(), &s.chunks);
            let n = gold.len();
            let encoded = encode_sentence(
                &extractor,
                i,
                first..first + n,
                set,
                &mut index,
                false,
                &mut buffers,
                &gold,
            );
            Perceptron::decode(weights, &transitions, &encoded, &mut scratch);
            pass.rows.extend_from_slice(&scratch.scores);
            pass.labels.extend_from_slice(&scratch.path);
            pass.gold.extend_from_slice(&gold);
            pass.sentence_lengths.push(n);
            first += n;
        }
        extractor.nonlocal(&pass.labels, &mut groups, &mut pass.nonlocal);
        passes.push(pass);
    }
    passes
}

/// Second-stage weights: the non-local features' fingerprints and `NUM_LABELS` weights each.
pub struct SecondStage {
    pub fingerprints: Vec<u32>,
    pub weights: Vec<f32>,
    pub dev_first: Counts,
    pub dev_second: Counts,
}

/// Trains the second stage (stacking): the first-stage labels of each training document come
/// from a model trained on the other `folds − 1` parts of the training set (jackknifing), so the
/// second stage learns how far to trust predictions on unseen text, not on text the first stage
/// was trained on. Only the non-local weights are learned; the first-stage scores stay fixed.
/// `first` is the first-stage model trained on all of `train_docs` (used on dev).
pub fn train_second_stage(
    train_docs: &[Document],
    dev_docs: &[Document],
    res: &Resources,
    options: &Options,
    folds: usize,
    first: (&[u32], &[f32], &[f32]),
    mut log: impl FnMut(&str),
) -> SecondStage {
    let set = options.features;
    let folds = folds.max(2);
    let mut train_passes = Vec::new();
    for fold in 0..folds {
        let (held, rest): (Vec<_>, Vec<_>) = train_docs
            .iter()
            .enumerate()
            .partition(|(i, _)| i % folds == fold);
        let held: Vec<Document> = held.into_iter().map(|(_, d)| d.clone()).collect();
        let rest: Vec<Document> = rest.into_iter().map(|(_, d)| d.clone()).collect();
        let (fingerprints, weights, transitions, counts) =
            train(&rest, dev_docs, res, options, |_| {});
        log(&format!(
            "fold {}/{folds}: first stage on {} documents, dev FB1 {:.2}",
            fold + 1,
            rest.len(),
            counts.f1()
        ));
        train_passes.extend(first_pass(&held, res, set, (&fingerprints, &weights, &transitions)));
    }
    let dev_passes = first_pass(dev_docs, res, set, first);
    let mut index: HashMap<u32, u32> = HashMap::new();
    for pass in &train_passes {
        for (_, features) in &pass.nonlocal {
            for &f in features.iter().take_while(|&&f| f != 0) {
                let next = index.len() as u32;
                index.entry(fingerprint(f)).or_insert(next);
            }
        }
    }
    let dims = index.len() * NUM_LABELS;
    let (mut weights, mut totals) = (vec![0.0f32; dims], vec![0.0f32; dims]);
    let mut step = 1.0f32;
    let mut rng = Rng(options.seed ^ 0x5ec0_d57a);
    let mut order: Vec<usize> = (0..train_passes.len()).collect();
    let mut scratch = Scratch::default();
    let mut ids: Vec<(usize, Vec<u32>)> = Vec::new();
    let dev_first = second_stage_counts(&dev_passes, &index, &vec![0.0; dims], &mut scratch, &mut ids);
    log(&format!("second stage: {} features; dev FB1 before {:.2}", index.len(), dev_first.f1()));
    // No second stage at all (zero weights) is a candidate too: it never makes dev worse.
    let mut best: Option<(f64, Vec<f32>, Counts)> = Some((dev_first.f1(), vec![0.0; dims], dev_first.clone()));
    for epoch in 1..=options.epochs.min(10) {
        for i in (1..order.len()).rev() {
            order.swap(i, (rng.next() % (i as u64 + 1)) as usize);
        }
        for &p in &order {
            let pass = &train_passes[p];
            nonlocal_ids(pass, &index, &mut ids);
            let mut rows = pass.rows.clone();
            add_nonlocal(&mut rows, &ids, &weights);
            let mut first = 0;
            let mut next = 0;
            for &n in &pass.sentence_lengths {
                let range = first..first + n;
                first += n;
                let start = next;
                while next < ids.len() && ids[next].0 < range.end {
                    next += 1;
                }
                if start == next {
                    continue;
                }
                viterbi(&rows[range.clone()], &pass.transitions, &mut scratch.deltas, &mut scratch.path);
                for (k, features) in &ids[start..next] {
                    let (gold, guess) = (pass.gold[*k] as usize, scratch.path[*k - range.start] as usize);
                    if gold != guess {
                        for &f in features {
                            let base = f as usize * NUM_LABELS;
                            weights[base + gold] += 1.0;
                            totals[base + gold] += step;
                            weights[base + guess] -= 1.0;
                            totals[base + guess] -= step;
                        }
                    }
                }
                step += 1.0;
            }
        }
        let averaged: Vec<f32> = weights.iter().zip(&totals).map(|(w, t)| w - t / step).collect();
        let counts = second_stage_counts(&dev_passes, &index, &averaged, &mut scratch, &mut ids);
        log(&format!("second stage epoch {epoch}: dev FB1 {:.2}", counts.f1()));
        if best.as_ref().is_none_or(|b| counts.f1() > b.0) {
            best = Some((counts.f1(), averaged, counts));
        }
    }
    let (_, weights, dev_second) = best.unwrap_or((0.0, vec![0.0; dims], dev_first.clone()));
    let mut fingerprints = vec![0u32; index.len()];
    for (f, id) in index {
        fingerprints[id as usize] = f;
    }
    SecondStage {
        fingerprints,
        weights,
        dev_first,
        dev_second,
    }
}

/// The second-stage feature ids of each token of a pass that has non-local features.
fn nonlocal_ids(pass: &FirstPass, index: &HashMap<u32, u32>, ids: &mut Vec<(usize, Vec<u32>)>) {
    ids.clear();
    for (k, features) in &pass.nonlocal {
        let known: Vec<u32> = features
            .iter()
            .take_while(|&&f| f != 0)
            .filter_map(|&f| index.get(&fingerprint(f)).copied())
            .collect();
        ids.push((*k as usize, known));
    }
}

fn add_nonlocal(rows: &mut [[f32; NUM_LABELS]], ids: &[(usize, Vec<u32>)], weights: &[f32]) {
    for (k, features) in ids {
        for &f in features {
            let w = &weights[f as usize * NUM_LABELS..(f as usize + 1) * NUM_LABELS];
            for (r, x) in rows[*k].iter_mut().zip(w) {
                *r += x;
            }
        }
    }
}

/// Dev counts of first-stage rows plus second-stage weights.
fn second_stage_counts(
    passes: &[FirstPass],
    index: &HashMap<u32, u32>,
    weights: &[f32],
    scratch: &mut Scratch,
    ids: &mut Vec<(usize, Vec<u32>)>,
) -> Counts {
    let mut counts = Counts::default();
    for pass in passes {
        nonlocal_ids(pass, index, ids);
        let mut rows = pass.rows.clone();
        add_nonlocal(&mut rows, ids, weights);
        let mut first = 0;
        for &n in &pass.sentence_lengths {
            let range = first..first + n;
            first += n;
            viterbi(&rows[range.clone()], &pass.transitions, &mut scratch.deltas, &mut scratch.path);
            counts.add(n, &bilou_chunks(&pass.gold[range]), &bilou_chunks(&scratch.path));
        }
    }
    counts
}

/// The cluster vocabulary (one word per line, [`CLUSTER_LEVELS`](super::features::CLUSTER_LEVELS) ids each) reordered so the
/// words most frequent in `docs` come first: the model lays out its per-word tables in this
/// order, and the few thousand words that make up most of any text then share cache lines.
/// Ties keep their order.
pub fn frequent_first(words: &str, ids: &[u16], docs: &[Document]) -> (String, Vec<u16>) {
    let mut counts: HashMap<&str, u32> = HashMap::new();
    for word in docs.iter().flat_map(|d| &d.sentences).flat_map(|s| &s.words) {
        *counts.entry(word.as_str()).or_default() += 1;
    }
    let list: Vec<&str> = if words.is_empty() {
        Vec::new()
    } else {
        words.split('\n').collect()
    };
    let mut order: Vec<usize> = (0..list.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(counts.get(list[i]).copied().unwrap_or(0)));
    let reordered: Vec<&str> = order.iter().map(|&i| list[i]).collect();
    let levels = ids.len().checked_div(list.len()).unwrap_or(0);
    let reordered_ids = order
        .iter()
        .flat_map(|&i| &ids[i * levels..(i + 1) * levels])
        .copied()
        .collect();
    (reordered.join("\n"), reordered_ids)
}

/// Quantises trained weights to 8 bits and drops features whose quantised weights all stay below
/// `min_weight` in magnitude (pruning: a smaller, faster model).
pub fn quantise(
    fingerprints: &[u32],
    weights: &[f32],
    transitions: &[f32],
    features: FeatureSet,
    min_weight: u8,
    scale_features: usize,
) -> ModelData {
    // The scale comes from the first `scale_features` features (the first stage's), so adding
    // second-stage weights leaves the first stage's quantisation as it was; larger weights clip.
    let max = weights[..(scale_features * NUM_LABELS).min(weights.len())]
        .iter()
        .fold(0.0f32, |m, w| m.max(w.abs()));
    let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
    let mut rows: Vec<(u32, [i8; NUM_LABELS])> = Vec::new();
    for (id, &f) in fingerprints.iter().enumerate() {
        let q: [i8; NUM_LABELS] = std::array::from_fn(|l| {
            (weights[id * NUM_LABELS + l] / scale)
                .round()
                .clamp(-127.0, 127.0) as i8
        });
        if q.iter().any(|&x| x.unsigned_abs() >= min_weight.max(1)) {
            rows.push((f, q));
        }
    }
    rows.sort_unstable_by_key(|r| r.0);
    let mut previous = 0;
    let mut deltas = Vec::with_capacity(rows.len());
    let mut quantised = Vec::with_capacity(rows.len() * NUM_LABELS);
    for (f, q) in rows {
        deltas.push(f - previous);
        previous = f;
        quantised.extend_from_slice(&q);
    }
    ModelData {
        features,
        scale,
        fingerprint_deltas: deltas,
        weights: quantised,
        transitions: transitions
            .iter()
            .map(|t| (t / scale).round() as i32)
            .collect(),
        cluster_words: String::new(),
        cluster_ids: Vec::new(),
        gazetteer: Default::default(),
        brown: Default::default(),
        glove: Default::default(),
        two_stage: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::conll::Sentence;

    #[test]
    fn frequent_words_come_first_with_their_cluster_ids() {
        let sentence = |words: &[&str]| Sentence {
            words: words.iter().map(|w| w.to_string()).collect(),
            chunks: Vec::new(),
        };
        let docs = [Document {
            sentences: vec![sentence(&["the", "Rome", "the"]), sentence(&["the", "Rome"])],
        }];
        let (words, ids) = frequent_first("Oslo\nRome\nthe", &[1, 2, 3, 4, 5, 6], &docs);
        assert_eq!(words, "the\nRome\nOslo");
        assert_eq!(ids, [5, 6, 3, 4, 1, 2]);
    }
}
