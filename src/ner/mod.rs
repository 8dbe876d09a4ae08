//! The statistical named-entity tagger: features, model, decoding, training and evaluation.
//!
//! An averaged structured perceptron over BILOU labels with constrained Viterbi decoding. Features
//! (word, lowercase, shape, affixes, ±2 window, word clusters, gazetteers, document-level casing)
//! are hashed with xxh3 into 32-bit fingerprints; weights are 8-bit. The clusters and gazetteers
//! live in the model file, so run time needs nothing but the embedded bytes.

pub mod clusters;
pub mod conll;
pub mod features;
pub mod gazetteer;
pub mod model;
pub mod tokenize;
pub mod train;

use crate::doc::{Doc, Mention, MentionKind};
use anyhow::Context;
use conll::{bilou_chunks, Chunk, Counts, NUM_LABELS};
use features::{Extractor, FeatureSet, GazetteerTable, CLUSTER_LEVELS, UNKNOWN};
use model::{viterbi, Model, OFFSETS};
use std::cell::RefCell;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

/// The model compiled into the binary (retrain with the command in docs/ner.md).
static BUNDLED_MODEL: &[u8] = include_bytes!("../../models/ner.bin");

/// `newsgraph ner …` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum NerCommand {
    /// Train a model on CoNLL-2003 files (the epoch with the best dev FB1 is kept).
    Train {
        #[arg(long)]
        train: PathBuf,
        #[arg(long)]
        dev: PathBuf,
        /// Where to write the model.
        #[arg(short, long)]
        output: PathBuf,
        /// Word clusters made by `ner clusters`; without it the model uses none.
        #[arg(long)]
        clusters: Option<PathBuf>,
        /// The shared data folder to build gazetteers from (countries/, gazetteers/, kb/);
        /// without it the model uses none.
        #[arg(long)]
        gazetteer_data: Option<PathBuf>,
        /// The folder of name lists (first names, surnames, companies, subdivisions, languages)
        /// that `scripts/gazetteers.py` writes to `kb/gazetteers/`; needs `--gazetteer-data`.
        #[arg(long, requires = "gazetteer_data")]
        name_lists: Option<PathBuf>,
        /// Brown clusters (`word`, `path` TSV, e.g. ../shared/data/word-clusters/bllip_brown_c1000.tsv).
        #[arg(long)]
        brown: Option<PathBuf>,
        /// GloVe k-means classes (`word`, `rank`, three ids; ../shared/data/word-clusters/glove6b50d_kmeans.tsv).
        #[arg(long)]
        glove: Option<PathBuf>,
        /// Keep only the GloVe words of this frequency rank or better (0 keeps all).
        #[arg(long, default_value_t = 0)]
        glove_max_rank: u32,
        /// Leave out the document-level features.
        #[arg(long)]
        no_document: bool,
        #[arg(long, default_value_t = 20)]
        epochs: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Share of training sentences added again upper-cased, and again lower-cased.
        #[arg(long, default_value_t = 0.2)]
        case_augmentation: f64,
        /// Perceptrons trained on different sentence orders, whose weights are averaged.
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Drop features whose 8-bit weights all stay below this magnitude (1 keeps every
        /// non-zero one).
        #[arg(long, default_value_t = 3)]
        min_weight: u8,
        /// Add a second stage: non-local features of the first stage's labels (what it called
        /// the word's other capitalised occurrences in the document), learned on jackknifed
        /// first-stage labels of the training set.
        #[arg(long)]
        two_stage: bool,
        /// Parts the training set is cut into for the jackknifed first-stage labels.
        #[arg(long, default_value_t = 4)]
        folds: usize,
    },
    /// Print the conlleval report of a model on a CoNLL-2003 file, and its speed.
    Eval {
        #[arg(long)]
        data: PathBuf,
        /// A model file; the bundled model when absent.
        #[arg(long)]
        model: Option<PathBuf>,
        /// Upper-case every 10th sentence (from the 4th) and lower-case every 10th (from the 8th),
        /// to test robustness to headline casing.
        #[arg(long)]
        perturb_case: bool,
        /// Leave out the document-level consistency pass after decoding.
        #[arg(long)]
        no_consistency: bool,
    },
    /// Compute word clusters from unlabeled text (exchange algorithm).
    Clusters {
        /// JSON lines of articles with `title` and `body`.
        #[arg(long)]
        articles: Vec<PathBuf>,
        /// CoNLL-2003 files (labels ignored).
        #[arg(long)]
        conll: Vec<PathBuf>,
        /// CoNLL-U files.
        #[arg(long)]
        conllu: Vec<PathBuf>,
        #[arg(short, long)]
        output: PathBuf,
        /// Numbers of classes, one clustering each (exactly three).
        #[arg(long, value_delimiter = ',', default_values_t = [64, 256, 1024])]
        classes: Vec<usize>,
        #[arg(long, default_value_t = 2)]
        min_count: u32,
        /// Passes over the vocabulary at most (fewer when almost no word moves).
        #[arg(long, default_value_t = 6)]
        iterations: usize,
    },
    /// Tagging speed on the bodies of a JSON-lines article file.
    Bench {
        #[arg(long)]
        articles: PathBuf,
        #[arg(long)]
        model: Option<PathBuf>,
    },
}

pub fn run(command: NerCommand) -> anyhow::Result<()> {
    match command {
        NerCommand::Train {
            train,
            dev,
            output,
            clusters,
            gazetteer_data,
            name_lists,
            brown,
            glove,
            glove_max_rank,
            no_document,
            epochs,
            seed,
            case_augmentation,
            runs,
            min_weight,
            two_stage,
            folds,
        } => {
            let started = Instant::now();
            let train_docs = conll::read_file(&train)?;
            let dev_docs = conll::read_file(&dev)?;
            let (cluster_words, cluster_ids) = match &clusters {
                Some(path) => {
                    let text = std::fs::read_to_string(path)
                        .with_context(|| format!("reading {}", path.display()))?;
                    let (words, ids) = clusters::parse_tsv(&text, CLUSTER_LEVELS)?;
                    train::frequent_first(&words, &ids, &train_docs)
                }
                None => (String::new(), Vec::new()),
            };
            let gazetteer = match &gazetteer_data {
                Some(dir) => GazetteerTable::from_lists(&gazetteer::build(dir, name_lists.as_deref())?)?,
                None => GazetteerTable::default(),
            };
            let read = |path: &Path| {
                std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
            };
            let brown_table = match &brown {
                Some(path) => clusters::parse_brown_tsv(&read(path)?)?,
                None => Default::default(),
            };
            let glove_table = match &glove {
                Some(path) => clusters::parse_glove_tsv(&read(path)?, glove_max_rank)?,
                None => Default::default(),
            };
            let features = FeatureSet {
                clusters: clusters.is_some(),
                gazetteer: gazetteer_data.is_some(),
                document: !no_document,
                brown: brown.is_some(),
                glove: glove.is_some(),
            };
            let mut data = model::ModelData {
                features,
                scale: 1.0,
                fingerprint_deltas: Vec::new(),
                weights: Vec::new(),
                transitions: Vec::new(),
                cluster_words,
                cluster_ids,
                gazetteer,
                brown: brown_table,
                glove: glove_table,
                two_stage,
            };
            let resources = data.resources()?;
            let options = train::Options {
                features,
                epochs,
                seed,
                case_augmentation,
                runs,
            };
            let (mut fingerprints, mut weights, transitions, dev_counts) =
                train::train(&train_docs, &dev_docs, &resources, &options, |line| {
                    eprintln!("{line}")
                });
            let first_stage_features = fingerprints.len();
            if two_stage {
                let second = train::train_second_stage(
                    &train_docs,
                    &dev_docs,
                    &resources,
                    &options,
                    folds,
                    (&fingerprints, &weights, &transitions),
                    |line| eprintln!("{line}"),
                );
                eprintln!(
                    "second stage: dev FB1 {:.2} -> {:.2} (unquantised, no consistency pass)",
                    second.dev_first.f1(),
                    second.dev_second.f1()
                );
                // A fingerprint both stages hold (a hash collision) keeps one row: the sum.
                let position: std::collections::HashMap<u32, usize> =
                    fingerprints.iter().enumerate().map(|(i, &f)| (f, i)).collect();
                for (i, &f) in second.fingerprints.iter().enumerate() {
                    let add = &second.weights[i * NUM_LABELS..(i + 1) * NUM_LABELS];
                    match position.get(&f) {
                        Some(&row) => weights[row * NUM_LABELS..(row + 1) * NUM_LABELS]
                            .iter_mut()
                            .zip(add)
                            .for_each(|(w, a)| *w += a),
                        None => {
                            fingerprints.push(f);
                            weights.extend_from_slice(add);
                        }
                    }
                }
            }
            let trained = train::quantise(
                &fingerprints,
                &weights,
                &transitions,
                features,
                min_weight,
                first_stage_features,
            );
            data.scale = trained.scale;
            data.fingerprint_deltas = trained.fingerprint_deltas;
            data.weights = trained.weights;
            data.transitions = trained.transitions;
            let bytes = data.to_bytes()?;
            std::fs::write(&output, &bytes)
                .with_context(|| format!("writing {}", output.display()))?;
            eprintln!(
                "best dev FB1 {:.2} (unquantised); {} features kept; {} bytes written to {} in {:.1} s",
                dev_counts.f1(),
                data.fingerprint_deltas.len(),
                bytes.len(),
                output.display(),
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        NerCommand::Eval {
            data,
            model,
            perturb_case,
            no_consistency,
        } => {
            let (tagger, load_time) = load_tagger(model.as_deref())?;
            let mut docs = conll::read_file(&data)?;
            if perturb_case {
                perturb(&mut docs);
            }
            let tables_time = prepare_known_words(&tagger);
            let (counts, tokens, seconds) = evaluate(&tagger, &docs, !no_consistency);
            let mut out = std::io::stdout().lock();
            write!(out, "{}", counts.report())?;
            writeln!(
                out,
                "tagged {tokens} tokens in {seconds:.3} s CPU: {:.0} tokens/s per core; model loaded in {:.1} ms CPU; known-word tables {:.1} ms CPU",
                tokens as f64 / seconds,
                load_time * 1000.0,
                tables_time * 1000.0
            )?;
            Ok(())
        }
        NerCommand::Clusters {
            articles,
            conll: conll_files,
            conllu,
            output,
            classes,
            min_count,
            iterations,
        } => {
            if classes.len() != CLUSTER_LEVELS {
                anyhow::bail!("--classes needs exactly {CLUSTER_LEVELS} numbers");
            }
            let mut corpus = clusters::Corpus::new();
            for path in &articles {
                clusters::read_articles(path, &mut corpus)?;
            }
            for path in &conll_files {
                clusters::read_conll(path, &mut corpus)?;
            }
            for path in &conllu {
                clusters::read_conllu(path, &mut corpus)?;
            }
            let (vocabulary, ids) =
                clusters::cluster(&corpus, min_count, &classes, iterations, |l| {
                    eprintln!("{l}")
                });
            std::fs::write(&output, clusters::to_tsv(&vocabulary, &ids))
                .with_context(|| format!("writing {}", output.display()))?;
            eprintln!("{} words written to {}", vocabulary.len(), output.display());
            Ok(())
        }
        NerCommand::Bench { articles, model } => {
            let (tagger, load_time) = load_tagger(model.as_deref())?;
            let docs = article_docs(&articles)?;
            let tokens: usize = docs.iter().map(|d| d.tokens.len()).sum();
            let tables_time = prepare_known_words(&tagger);
            let (wall, cpu) = (Instant::now(), thread_cpu_seconds());
            let mentions: usize = docs.iter().map(|d| tagger.tag_doc(d).len()).sum();
            let (wall, cpu) = (wall.elapsed().as_secs_f64(), thread_cpu_seconds() - cpu);
            writeln!(
                std::io::stdout().lock(),
                "{} articles, {tokens} tokens, {mentions} mentions in {cpu:.3} s CPU ({wall:.3} s wall): {:.0} tokens/s per core; model loaded in {:.1} ms CPU; known-word tables {:.1} ms CPU",
                docs.len(),
                tokens as f64 / cpu,
                load_time * 1000.0,
                tables_time * 1000.0
            )?;
            Ok(())
        }
    }
}

/// CPU time of the calling thread in seconds: speed figures that do not depend on how busy
/// the machine is.
pub fn thread_cpu_seconds() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we own; the clock id is a constant.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    if status != 0 {
        return 0.0;
    }
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}

/// Builds the tagger's known-word tables ahead of a timed run (which would build them after
/// [`model::KNOWN_WORDS_AFTER`] tokens, inside the timing); returns the CPU seconds taken.
fn prepare_known_words(tagger: &Tagger) -> f64 {
    let started = thread_cpu_seconds();
    tagger.prepare_known_words();
    thread_cpu_seconds() - started
}

/// A model from a file, or the bundled one; with its load time in seconds.
fn load_tagger(path: Option<&Path>) -> anyhow::Result<(TaggerRef, f64)> {
    let started = thread_cpu_seconds();
    let tagger = match path {
        Some(path) => {
            let bytes =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            TaggerRef::Owned(Box::new(
                Tagger::from_bytes(&bytes)
                    .with_context(|| format!("loading {}", path.display()))?,
            ))
        }
        None => TaggerRef::Bundled(bundled().context("this binary has no bundled NER model")?),
    };
    Ok((tagger, thread_cpu_seconds() - started))
}

enum TaggerRef {
    Owned(Box<Tagger>),
    Bundled(&'static Tagger),
}

impl std::ops::Deref for TaggerRef {
    type Target = Tagger;
    fn deref(&self) -> &Tagger {
        match self {
            TaggerRef::Owned(t) => t,
            TaggerRef::Bundled(t) => t,
        }
    }
}

/// The tagger embedded in the binary, if a model was built into it.
pub fn bundled() -> Option<&'static Tagger> {
    static TAGGER: OnceLock<Option<Tagger>> = OnceLock::new();
    TAGGER
        .get_or_init(|| Tagger::from_bytes(BUNDLED_MODEL).ok())
        .as_ref()
}

/// A trained sequence tagger.
#[derive(Debug)]
pub struct Tagger {
    model: Model,
}

/// Per-thread buffers, so tagging allocates little per document.
#[derive(Default)]
struct Scratch {
    extractor: Extractor,
    features: Vec<u64>,
    ends: Vec<u32>,
    scores: Vec<[i32; NUM_LABELS]>,
    deltas: Vec<[i32; NUM_LABELS]>,
    labels: Vec<u8>,
    /// The labels of the whole document (first pass, then second).
    doc_labels: Vec<u8>,
    groups: Vec<(u64, u32)>,
    nonlocal: Vec<(u32, [u64; features::NONLOCAL_MAX])>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Tagger {
    /// Loads a model file's bytes.
    pub fn from_bytes(bytes: &[u8]) -> anyhow::Result<Tagger> {
        Ok(Tagger {
            model: Model::load(bytes)?,
        })
    }

    /// Person, Organization, Place and Misc mentions of a segmented document.
    pub fn tag_doc(&self, doc: &Doc) -> Vec<Mention> {
        self.tag_with(doc, true)
    }

    /// [`Tagger::tag_doc`], optionally without the document-level consistency pass.
    pub fn tag_with(&self, doc: &Doc, consistency: bool) -> Vec<Mention> {
        self.tag_known(doc, consistency, self.model.known_words(doc.tokens.len()))
    }

    /// [`Tagger::tag_with`], using the known-word tables (built now if they are not yet):
    /// the same mentions by the fast path, for the tests that check they are the same.
    pub fn tag_with_known_words(&self, doc: &Doc, consistency: bool) -> Vec<Mention> {
        self.tag_known(doc, consistency, Some(self.model.known_words_now()))
    }

    /// Builds the known-word tables now (a long run builds them itself after
    /// [`model::KNOWN_WORDS_AFTER`] tokens): for timing them apart.
    pub fn prepare_known_words(&self) {
        self.model.known_words_now();
    }

    /// [`Tagger::tag_with`], never using the known-word tables.
    pub fn tag_without_known_words(&self, doc: &Doc, consistency: bool) -> Vec<Mention> {
        self.tag_known(doc, consistency, None)
    }

    fn tag_known(&self, doc: &Doc, consistency: bool, known: Option<&model::KnownWords>) -> Vec<Mention> {
        let sentences: Vec<Vec<&str>> = doc
            .sentences
            .iter()
            .map(|s| s.tokens.clone().map(|j| doc.token_text(j)).collect())
            .collect();
        let mut mentions = Vec::new();
        SCRATCH.with(|scratch| {
            let mut guard = scratch.borrow_mut();
            let s = &mut *guard;
            let set = self.model.features;
            s.extractor.document_known(&sentences, &self.model.resources, known.map(|k| &k.vocabulary), set);
            s.scores.clear();
            s.doc_labels.clear();
            let mut first = 0;
            for (i, words) in sentences.iter().enumerate() {
                let n = words.len();
                s.features.clear();
                s.ends.clear();
                s.extractor
                    .sentence(i, first..first + n, set, true, &mut s.features, &mut s.ends);
                let mut start = 0;
                for (t, &end) in s.ends.iter().enumerate() {
                    // The next token's weights, and the word sums first needed by the next
                    // token (the word three ahead, at offset +2), load while this one is summed.
                    if let Some(&next_end) = s.ends.get(t + 1) {
                        self.model.prefetch(&s.features[end as usize..next_end as usize]);
                    }
                    if let (Some(known), true) = (known, t + 3 < n) {
                        let ahead = s.extractor.entry(first + t + 3);
                        if ahead != UNKNOWN {
                            known.prefetch_word(ahead);
                        }
                    }
                    let mut row = [0i32; NUM_LABELS];
                    self.model.score(&s.features[start..end as usize], &mut row);
                    // Known words' (and their neighbours') intrinsic features come summed;
                    // without the tables every token's features were scored above.
                    if let Some(known) = known {
                        for (k, offset) in OFFSETS.iter().enumerate() {
                            let j = t as isize + offset;
                            if j < 0 || j >= n as isize {
                                continue;
                            }
                            let entry = s.extractor.entry(first + j as usize);
                            if entry != UNKNOWN {
                                for (r, &x) in row.iter_mut().zip(known.word_vector(entry, k)) {
                                    *r += x as i32;
                                }
                            }
                        }
                    }
                    s.scores.push(row);
                    start = end as usize;
                }
                first += n;
                viterbi(
                    &s.scores[first - n..],
                    self.model.transitions(),
                    &mut s.deltas,
                    &mut s.labels,
                );
                s.doc_labels.extend_from_slice(&s.labels);
            }
            if self.model.two_stage {
                self.second_stage(s, &sentences);
            }
            let mut first = 0;
            for sentence in &doc.sentences {
                let n = sentence.tokens.len();
                for chunk in bilou_chunks(&s.doc_labels[first..first + n]) {
                    let (a, b) = (
                        sentence.tokens.start + chunk.start,
                        sentence.tokens.start + chunk.end,
                    );
                    mentions.push(Mention {
                        span: doc.tokens_span(a..b),
                        tokens: a..b,
                        kind: KINDS[chunk.entity_type],
                        entity: None,
                    });
                }
                first += n;
            }
        });
        if consistency {
            make_consistent(doc, &mut mentions);
            propagate(doc, &mut mentions);
        }
        mentions
    }
}

impl Tagger {
    /// The second pass of a two-stage model: each token whose word occurs capitalised elsewhere
    /// in the document adds the weights of its non-local features (what the first pass labelled
    /// those occurrences) to its first-pass scores, and the sentences holding such tokens are
    /// decoded again. `s.scores` and `s.doc_labels` hold the first pass of the whole document.
    fn second_stage(&self, s: &mut Scratch, sentences: &[Vec<&str>]) {
        s.extractor
            .nonlocal(&s.doc_labels, &mut s.groups, &mut s.nonlocal);
        if s.nonlocal.is_empty() {
            return;
        }
        let mut changed = vec![false; sentences.len()];
        let mut sentence_of = Vec::with_capacity(s.doc_labels.len());
        for (i, words) in sentences.iter().enumerate() {
            sentence_of.extend(std::iter::repeat_n(i, words.len()));
        }
        for (token, features) in &s.nonlocal {
            let k = *token as usize;
            let mut row = [0i32; NUM_LABELS];
            let used = features.iter().position(|&f| f == 0).unwrap_or(features.len());
            self.model.score(&features[..used], &mut row);
            for (r, x) in s.scores[k].iter_mut().zip(row) {
                *r += x;
            }
            changed[sentence_of[k]] = true;
        }
        let mut first = 0;
        for (i, words) in sentences.iter().enumerate() {
            let n = words.len();
            if changed[i] {
                viterbi(
                    &s.scores[first..first + n],
                    self.model.transitions(),
                    &mut s.deltas,
                    &mut s.labels,
                );
                s.doc_labels[first..first + n].copy_from_slice(&s.labels);
            }
            first += n;
        }
    }
}

/// Document-level consistency, after decoding: a name keeps one type throughout an article.
/// Every mention with the same text takes the type most of them got (ties stay), and a
/// one-word mention that repeats the last word of a multi-word person name becomes a person
/// ("Peter Blackburn" … "Blackburn").
fn make_consistent(doc: &Doc, mentions: &mut [Mention]) {
    let mut votes: std::collections::HashMap<&str, [u32; 4]> = std::collections::HashMap::new();
    let kind_index = |k: MentionKind| KINDS.iter().position(|x| *x == k).unwrap_or(3);
    for m in mentions.iter() {
        votes.entry(doc.mention_text(m)).or_default()[kind_index(m.kind)] += 1;
    }
    let mut surnames = std::collections::HashSet::new();
    for m in mentions
        .iter()
        .filter(|m| m.kind == MentionKind::Person && m.tokens.len() > 1)
    {
        surnames.insert(doc.token_text(m.tokens.end - 1));
    }
    for m in mentions.iter_mut() {
        let text = doc.mention_text(m);
        let counts = votes[text];
        let own = counts[kind_index(m.kind)];
        if let Some(best) = (0..4).find(|&t| {
            counts[t] > own
                && counts
                    .iter()
                    .enumerate()
                    .all(|(u, &c)| u == t || c < counts[t])
        }) {
            m.kind = KINDS[best];
        } else if m.tokens.len() == 1 && m.kind != MentionKind::Person && surnames.contains(text) {
            m.kind = MentionKind::Person;
        }
    }
}

/// Tags capitalised, untagged repetitions of a name the document tagged elsewhere (the whole
/// name, or the surname of a multi-word person), longest first.
fn propagate(doc: &Doc, mentions: &mut Vec<Mention>) {
    let words = |tokens: std::ops::Range<usize>| {
        tokens
            .map(|j| doc.token_text(j))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut known: std::collections::HashMap<String, MentionKind> =
        std::collections::HashMap::new();
    let mut longest = 0;
    for m in mentions.iter() {
        known.entry(words(m.tokens.clone())).or_insert(m.kind);
        longest = longest.max(m.tokens.len());
    }
    for m in mentions
        .iter()
        .filter(|m| m.kind == MentionKind::Person && m.tokens.len() > 1)
    {
        known
            .entry(doc.token_text(m.tokens.end - 1).to_string())
            .or_insert(MentionKind::Person);
    }
    let mut covered = vec![false; doc.tokens.len()];
    for m in mentions.iter() {
        covered[m.tokens.clone()].fill(true);
    }
    let mut added = Vec::new();
    for sentence in &doc.sentences {
        let mut i = sentence.tokens.start;
        while i < sentence.tokens.end {
            let capitalised = doc
                .token_text(i)
                .chars()
                .next()
                .is_some_and(char::is_uppercase);
            let mut matched = 0;
            if capitalised && !covered[i] {
                for len in (1..=longest.min(sentence.tokens.end - i)).rev() {
                    if covered[i..i + len].iter().any(|&c| c) {
                        continue;
                    }
                    if let Some(&kind) = known.get(&words(i..i + len)) {
                        added.push(Mention {
                            span: doc.tokens_span(i..i + len),
                            tokens: i..i + len,
                            kind,
                            entity: None,
                        });
                        matched = len;
                        break;
                    }
                }
            }
            i += matched.max(1);
        }
    }
    mentions.extend(added);
    mentions.sort_by_key(|m| m.tokens.start);
}

/// Mention kinds in [`conll::TYPES`] order.
const KINDS: [MentionKind; 4] = [
    MentionKind::Person,
    MentionKind::Organization,
    MentionKind::Place,
    MentionKind::Misc,
];

/// A [`Doc`] of a CoNLL document: tokens joined by spaces, one sentence per line.
pub fn conll_doc(document: &conll::Document) -> Doc {
    let mut doc = Doc::default();
    for (i, s) in document.sentences.iter().enumerate() {
        if i > 0 {
            doc.text.push('\n');
        }
        let first = doc.tokens.len();
        let sentence_start = doc.text.len();
        for (j, w) in s.words.iter().enumerate() {
            if j > 0 {
                doc.text.push(' ');
            }
            let start = doc.text.len();
            doc.text.push_str(w);
            doc.tokens.push(crate::doc::Token {
                span: start..doc.text.len(),
                sentence: i,
            });
        }
        doc.sentences.push(crate::doc::Sentence {
            span: sentence_start..doc.text.len(),
            tokens: first..doc.tokens.len(),
        });
    }
    doc
}

/// Tags CoNLL documents through [`Tagger::tag_doc`]: counts, tokens, and tagging CPU seconds.
pub fn evaluate(
    tagger: &Tagger,
    docs: &[conll::Document],
    consistency: bool,
) -> (Counts, usize, f64) {
    let built: Vec<Doc> = docs.iter().map(conll_doc).collect();
    let started = thread_cpu_seconds();
    let tagged: Vec<Vec<Mention>> = built
        .iter()
        .map(|d| tagger.tag_with(d, consistency))
        .collect();
    let seconds = thread_cpu_seconds() - started;
    let mut counts = Counts::default();
    let mut tokens = 0;
    for ((document, doc), mentions) in docs.iter().zip(&built).zip(&tagged) {
        for (i, (s, sentence)) in document.sentences.iter().zip(&doc.sentences).enumerate() {
            let predicted: Vec<Chunk> = mentions
                .iter()
                .filter(|m| doc.tokens[m.tokens.start].sentence == i)
                .map(|m| Chunk {
                    start: m.tokens.start - sentence.tokens.start,
                    end: m.tokens.end - sentence.tokens.start,
                    entity_type: KINDS.iter().position(|k| *k == m.kind).unwrap_or(0),
                })
                .collect();
            counts.add(s.words.len(), &s.chunks, &predicted);
            tokens += s.words.len();
        }
    }
    (counts, tokens, seconds)
}

/// Re-cases some sentences the way headlines are cased: every 10th from the 4th upper-case,
/// every 10th from the 8th lower-case.
pub fn perturb(docs: &mut [conll::Document]) {
    let mut k = 0usize;
    for doc in docs {
        for s in &mut doc.sentences {
            match k % 10 {
                3 => s.words = train::recase(&s.words, true),
                7 => s.words = train::recase(&s.words, false),
                _ => {}
            }
            k += 1;
        }
    }
}

/// The articles of an input file, read and segmented as the pipeline does.
fn article_docs(path: &Path) -> anyhow::Result<Vec<Doc>> {
    let read = crate::article::read(&crate::article::Input::Path(path.to_path_buf()));
    if let Some(problem) = read.problems.iter().find(|p| p.severity == crate::article::Severity::Error) {
        anyhow::bail!("{problem}");
    }
    Ok(read
        .articles
        .into_iter()
        .map(|article| {
            let mut doc = Doc::new(article);
            crate::segment::segment(&mut doc);
            doc
        })
        .collect())
}
