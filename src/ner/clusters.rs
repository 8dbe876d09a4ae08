//! Word clusters from unlabeled text by the exchange algorithm (Kneser & Ney 1993; Martin,
//! Liermann & Ney 1998; as used by Uszkoreit & Brants 2008): words move one at a time to the
//! class that most increases the likelihood of a class-bigram model. It gives Brown-like
//! distributional classes in seconds where Brown's agglomerative clustering takes hours; several
//! granularities stand in for Brown's bit-string prefixes.

use super::features::{brown_bits, brown_key, glove_key, pack_glove, WordTable, GLOVE_LEVELS};
use super::tokenize::words;
use anyhow::Context;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

/// Sentences of an unlabeled corpus.
pub type Corpus = Vec<Vec<String>>;

/// Titles and bodies of a JSON-lines file of articles (`title`, `body`); exact duplicate bodies
/// are read once. Each paragraph counts as a sentence.
pub fn read_articles(path: &Path, corpus: &mut Corpus) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut seen = HashSet::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let value: serde_json::Value = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: bad JSON", path.display(), n + 1))?;
        let body = value["body"].as_str().unwrap_or_default();
        if !seen.insert(body.to_string()) {
            continue;
        }
        let title = value["title"].as_str().unwrap_or_default();
        for paragraph in std::iter::once(title).chain(body.split("\n\n")) {
            let sentence: Vec<String> = words(paragraph).into_iter().map(str::to_string).collect();
            if !sentence.is_empty() {
                corpus.push(sentence);
            }
        }
    }
    Ok(())
}

/// Word forms of a CoNLL-U file (multiword-token ranges and empty nodes skipped).
pub fn read_conllu(path: &Path, corpus: &mut Corpus) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut sentence = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !sentence.is_empty() {
                corpus.push(std::mem::take(&mut sentence));
            }
            continue;
        }
        let mut fields = line.split('\t');
        let (Some(id), Some(form)) = (fields.next(), fields.next()) else {
            continue;
        };
        if !line.starts_with('#') && id.parse::<u32>().is_ok() {
            sentence.push(form.to_string());
        }
    }
    if !sentence.is_empty() {
        corpus.push(sentence);
    }
    Ok(())
}

/// Words of a CoNLL-2003 file, labels ignored.
pub fn read_conll(path: &Path, corpus: &mut Corpus) -> anyhow::Result<()> {
    for doc in super::conll::read_file(path)? {
        corpus.extend(doc.sentences.into_iter().map(|s| s.words));
    }
    Ok(())
}

/// The exchange algorithm over one vocabulary and bigram table.
struct Exchange {
    classes: usize,
    counts: Vec<u64>,
    successors: Vec<Vec<(u32, u32)>>,
    predecessors: Vec<Vec<(u32, u32)>>,
    x_log_x: Vec<f64>,
}

/// Vocabulary (by descending frequency, then spelling) of words seen at least `min_count` times,
/// and the cluster of each word at each granularity in `classes` (ids from 1).
pub fn cluster(
    corpus: &Corpus,
    min_count: u32,
    classes: &[usize],
    iterations: usize,
    mut log: impl FnMut(&str),
) -> (Vec<String>, Vec<Vec<u16>>) {
    let mut frequency: HashMap<&str, u32> = HashMap::new();
    for w in corpus.iter().flatten() {
        *frequency.entry(w).or_default() += 1;
    }
    let mut vocabulary: Vec<(&str, u32)> = frequency
        .into_iter()
        .filter(|(_, c)| *c >= min_count)
        .collect();
    vocabulary.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let ids: HashMap<&str, u32> = vocabulary
        .iter()
        .enumerate()
        .map(|(i, (w, _))| (*w, i as u32))
        .collect();
    // Rare words share one id; sentence boundaries another.
    let (rare, boundary) = (vocabulary.len() as u32, vocabulary.len() as u32 + 1);
    let size = vocabulary.len() + 2;
    let mut counts = vec![0u64; size];
    let mut bigrams: BTreeMap<(u32, u32), u32> = BTreeMap::new();
    let mut total = 0u64;
    for sentence in corpus {
        let mut previous = boundary;
        counts[boundary as usize] += 1;
        for w in sentence
            .iter()
            .map(|w| ids.get(w.as_str()).copied().unwrap_or(rare))
            .chain([boundary])
        {
            *bigrams.entry((previous, w)).or_default() += 1;
            counts[w as usize] += 1;
            previous = w;
            total += 1;
        }
    }
    let mut successors = vec![Vec::new(); size];
    let mut predecessors = vec![Vec::new(); size];
    for (&(a, b), &n) in &bigrams {
        successors[a as usize].push((b, n));
        predecessors[b as usize].push((a, n));
    }
    log(&format!(
        "{} sentences, {total} tokens, {} words, {} bigrams",
        corpus.len(),
        vocabulary.len(),
        bigrams.len()
    ));
    let x_log_x = (0..=total + counts.iter().sum::<u64>())
        .map(|x| {
            if x == 0 {
                0.0
            } else {
                x as f64 * (x as f64).ln()
            }
        })
        .collect();
    let mut exchange = Exchange {
        classes: 0,
        counts,
        successors,
        predecessors,
        x_log_x,
    };
    let mut result = vec![Vec::with_capacity(classes.len()); vocabulary.len()];
    for &c in classes {
        exchange.classes = c;
        let assignment = exchange.run(iterations, &mut log);
        for (w, r) in result.iter_mut().enumerate() {
            r.push(assignment[w] as u16 + 1);
        }
    }
    (
        vocabulary.into_iter().map(|(w, _)| w.to_string()).collect(),
        result,
    )
}

impl Exchange {
    fn f(&self, x: i64) -> f64 {
        self.x_log_x[x.max(0) as usize]
    }

    fn run(&self, iterations: usize, log: &mut impl FnMut(&str)) -> Vec<u32> {
        let (k, size) = (self.classes, self.counts.len());
        let mut class: Vec<u32> = (0..size).map(|w| (w % k) as u32).collect();
        let mut pair = vec![0i64; k * k];
        let mut pair_t = vec![0i64; k * k];
        let mut unigram = vec![0i64; k];
        for w in 0..size {
            unigram[class[w] as usize] += self.counts[w] as i64;
            for &(v, n) in &self.successors[w] {
                pair[class[w] as usize * k + class[v as usize] as usize] += n as i64;
                pair_t[class[v as usize] as usize * k + class[w] as usize] += n as i64;
            }
        }
        let (mut right, mut left) = (vec![0i64; k], vec![0i64; k]);
        let (mut right_classes, mut left_classes) = (Vec::new(), Vec::new());
        for iteration in 1..=iterations {
            let mut moved = 0;
            for w in 0..size {
                let own = class[w] as usize;
                let mut self_loop = 0i64;
                for &(v, n) in &self.successors[w] {
                    if v as usize == w {
                        self_loop = n as i64;
                        continue;
                    }
                    let c = class[v as usize] as usize;
                    if right[c] == 0 {
                        right_classes.push(c);
                    }
                    right[c] += n as i64;
                }
                for &(u, n) in &self.predecessors[w] {
                    if u as usize == w {
                        continue;
                    }
                    let c = class[u as usize] as usize;
                    if left[c] == 0 {
                        left_classes.push(c);
                    }
                    left[c] += n as i64;
                }
                let n_w = self.counts[w] as i64;
                let apply = |target: usize,
                             sign: i64,
                             pair: &mut [i64],
                             pair_t: &mut [i64],
                             unigram: &mut [i64]| {
                    for &c in &right_classes {
                        pair[target * k + c] += sign * right[c];
                        pair_t[c * k + target] += sign * right[c];
                    }
                    for &c in &left_classes {
                        pair[c * k + target] += sign * left[c];
                        pair_t[target * k + c] += sign * left[c];
                    }
                    pair[target * k + target] += sign * self_loop;
                    pair_t[target * k + target] += sign * self_loop;
                    unigram[target] += sign * n_w;
                };
                apply(own, -1, &mut pair, &mut pair_t, &mut unigram);
                let mut best = (f64::NEG_INFINITY, own);
                for b in 0..k {
                    let row = &pair[b * k..(b + 1) * k];
                    let column = &pair_t[b * k..(b + 1) * k];
                    let mut delta = 0.0;
                    for &c in &right_classes {
                        if c != b {
                            delta += self.f(row[c] + right[c]) - self.f(row[c]);
                        }
                    }
                    for &c in &left_classes {
                        if c != b {
                            delta += self.f(column[c] + left[c]) - self.f(column[c]);
                        }
                    }
                    let diagonal = row[b];
                    delta += self.f(diagonal + right[b] + left[b] + self_loop) - self.f(diagonal);
                    delta -= 2.0 * (self.f(unigram[b] + n_w) - self.f(unigram[b]));
                    if delta > best.0 + 1e-9 || (b == own && delta >= best.0 - 1e-9) {
                        best = (delta, b);
                    }
                }
                let target = best.1;
                apply(target, 1, &mut pair, &mut pair_t, &mut unigram);
                if target != own {
                    class[w] = target as u32;
                    moved += 1;
                }
                for &c in &right_classes {
                    right[c] = 0;
                }
                for &c in &left_classes {
                    left[c] = 0;
                }
                right_classes.clear();
                left_classes.clear();
            }
            log(&format!(
                "{k} classes, iteration {iteration}: {moved} words moved"
            ));
            if moved * 1000 < size {
                break;
            }
        }
        class
    }
}

/// The clusters file: `word<TAB>id<TAB>id…`, one line per word, sorted by word.
pub fn to_tsv(vocabulary: &[String], ids: &[Vec<u16>]) -> String {
    let mut rows: Vec<(&String, &Vec<u16>)> = vocabulary.iter().zip(ids).collect();
    rows.sort();
    let mut out = String::new();
    for (w, ids) in rows {
        out.push_str(w);
        for id in ids {
            let _ = write!(out, "\t{id}");
        }
        out.push('\n');
    }
    out
}

/// Parses a clusters file into the model's layout: words joined by newlines, ids flattened.
pub fn parse_tsv(text: &str, levels: usize) -> anyhow::Result<(String, Vec<u16>)> {
    let mut words = Vec::new();
    let mut ids = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.is_empty()) {
        let mut fields = line.split('\t');
        let word = fields.next().unwrap_or_default();
        let row: Vec<u16> = fields
            .map(str::parse)
            .collect::<Result<_, _>>()
            .with_context(|| format!("clusters line {}", n + 1))?;
        if row.len() < levels || word.contains('\n') {
            anyhow::bail!("clusters line {}: expected a word and {levels} ids", n + 1);
        }
        words.push(word);
        ids.extend_from_slice(&row[..levels]);
    }
    Ok((words.join("\n"), ids))
}

/// Brown clusters in the TSV of `../shared/data/word-clusters/bllip_brown_c1000.tsv` (header
/// `word`, `path`, …; paths without their trailing zeros) as the model's table: exact word hash →
/// padded path bits.
pub fn parse_brown_tsv(text: &str) -> anyhow::Result<WordTable> {
    let mut pairs = Vec::new();
    let mut buf = String::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.is_empty())
    {
        let mut fields = line.split('\t');
        let (Some(word), Some(path)) = (fields.next(), fields.next()) else {
            anyhow::bail!("Brown clusters line {}: expected a word and a path", n + 1);
        };
        let bits = brown_bits(path)
            .with_context(|| format!("Brown clusters line {}: bad path {path:?}", n + 1))?;
        pairs.push((brown_key(word, &mut buf), bits));
    }
    Ok(WordTable::from_pairs(pairs))
}

/// GloVe k-means classes in the TSV of `../shared/data/word-clusters/glove6b50d_kmeans.tsv`
/// (header `word`, `rank`, `k256`, `k1024`, `k4096`) as the model's table: lowercased word hash →
/// the three class ids. Words ranked below `max_rank` are left out (0 keeps all).
pub fn parse_glove_tsv(text: &str, max_rank: u32) -> anyhow::Result<WordTable> {
    let mut pairs = Vec::new();
    let mut buf = String::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.is_empty())
    {
        let mut fields = line.split('\t');
        let word = fields.next().unwrap_or_default();
        let numbers: Vec<u32> = fields
            .map(str::parse)
            .collect::<Result<_, _>>()
            .with_context(|| format!("GloVe clusters line {}", n + 1))?;
        let packed = (numbers.len() == 1 + GLOVE_LEVELS)
            .then(|| pack_glove(&numbers[1..]))
            .flatten()
            .with_context(|| {
                format!("GloVe clusters line {}: expected a word, a rank and classes below 256, 1024, 4096", n + 1)
            })?;
        if max_rank == 0 || numbers[0] <= max_rank {
            pairs.push((glove_key(word, &mut buf), packed));
        }
    }
    Ok(WordTable::from_pairs(pairs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::features::unpack_glove;

    #[test]
    fn shared_cluster_tables_parse_with_padded_paths() {
        let brown = parse_brown_tsv("word\tpath\tspacy_cluster_id\nParis\t0110\t6\nRome\t011\t6\n")
            .unwrap()
            .lookup()
            .unwrap();
        let mut buf = String::new();
        // "0110" and "011" differ only by the trailing zero spaCy dropped: the same padded path.
        assert_eq!(brown.get(brown_key("Paris", &mut buf)), Some(0b0110 << 16));
        assert_eq!(brown.get(brown_key("Rome", &mut buf)), Some(0b0110 << 16));
        assert_eq!(brown.get(brown_key("paris", &mut buf)), None);
        assert!(parse_brown_tsv("h\nParis\t012\t1\n").is_err());
        let glove = parse_glove_tsv(
            "word\trank\tk256\tk1024\tk4096\nthe\t1\t3\t4\t5\nzyx\t9\t1\t1\t1\n",
            5,
        )
        .unwrap()
        .lookup()
        .unwrap();
        let the = glove.get(glove_key("The", &mut buf)).unwrap();
        assert_eq!(unpack_glove(the), [3, 4, 5]);
        assert!(parse_glove_tsv("h\nthe\t1\t256\t1\t1\n", 0).is_err());
        assert_eq!(glove.get(glove_key("zyx", &mut buf)), None);
    }

    #[test]
    fn exchange_separates_distributional_classes() {
        // Names follow "Mr" and precede "said"; cities follow "in" and precede "today".
        let mut corpus = Corpus::new();
        for (i, name) in ["Smith", "Jones", "Brown"].iter().enumerate() {
            for (j, city) in ["Paris", "Rome", "Oslo"].iter().enumerate() {
                for _ in 0..(1 + (i + j) % 2) {
                    corpus.push(
                        ["Mr", name, "said", "in", city, "today"]
                            .map(String::from)
                            .to_vec(),
                    );
                }
            }
        }
        let (vocabulary, ids) = cluster(&corpus, 1, &[4], 20, |_| {});
        let of = |w: &str| ids[vocabulary.iter().position(|v| v == w).unwrap()][0];
        assert_eq!(of("Smith"), of("Jones"));
        assert_eq!(of("Paris"), of("Rome"));
        assert_ne!(of("Smith"), of("Paris"));
        let tsv = to_tsv(&vocabulary, &ids);
        let (words, flat) = parse_tsv(&tsv, 1).unwrap();
        assert_eq!(words.lines().count(), vocabulary.len());
        assert_eq!(flat.len(), vocabulary.len());
    }
}
