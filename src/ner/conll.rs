//! The CoNLL-2003 column format: reading, IOB1 ↔ entity spans, BILOU labels, and the conlleval
//! report.

use anyhow::Context;
use std::fmt::Write as _;
use std::path::Path;

/// The four CoNLL entity types, in label order.
pub const TYPES: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];

/// BILOU labels: 0 is `O`; type `t` has B = 1 + 4t, I = 2 + 4t, L = 3 + 4t, U = 4 + 4t.
pub const NUM_LABELS: usize = 1 + 4 * TYPES.len();

pub const fn label(part: Part, entity_type: usize) -> usize {
    1 + 4 * entity_type + part as usize
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Begin = 0,
    Inside = 1,
    Last = 2,
    Unit = 3,
}

pub fn label_part(label: usize) -> Option<(Part, usize)> {
    if label == 0 || label >= NUM_LABELS {
        return None;
    }
    let part = match (label - 1) % 4 {
        0 => Part::Begin,
        1 => Part::Inside,
        2 => Part::Last,
        _ => Part::Unit,
    };
    Some((part, (label - 1) / 4))
}

/// An entity: token range within a sentence and its type index into [`TYPES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Chunk {
    pub start: usize,
    pub end: usize,
    pub entity_type: usize,
}

/// One sentence: words and (when read from a labelled file) their gold chunks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sentence {
    pub words: Vec<String>,
    pub chunks: Vec<Chunk>,
}

/// One `-DOCSTART-` document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub sentences: Vec<Sentence>,
}

impl Document {
    pub fn token_count(&self) -> usize {
        self.sentences.iter().map(|s| s.words.len()).sum()
    }
}

pub fn read_file(path: &Path) -> anyhow::Result<Vec<Document>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    parse(&text).with_context(|| format!("parsing {}", path.display()))
}

/// Parses CoNLL-2003 text: the first field is the word, the last the IOB1 entity tag.
pub fn parse(text: &str) -> anyhow::Result<Vec<Document>> {
    let mut documents = vec![Document::default()];
    let mut words = Vec::new();
    let mut tags: Vec<String> = Vec::new();
    let flush = |documents: &mut Vec<Document>, words: &mut Vec<String>, tags: &mut Vec<String>| {
        if !words.is_empty() {
            let chunks = iob1_chunks(tags);
            let doc = documents.last_mut().expect("documents is never empty");
            doc.sentences.push(Sentence {
                words: std::mem::take(words),
                chunks,
            });
            tags.clear();
        }
    };
    for (number, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            flush(&mut documents, &mut words, &mut tags);
            continue;
        }
        let mut fields = line.split_whitespace();
        let word = fields.next().unwrap_or_default();
        if word == "-DOCSTART-" {
            flush(&mut documents, &mut words, &mut tags);
            if !documents.last().is_some_and(|d| d.sentences.is_empty()) {
                documents.push(Document::default());
            }
            continue;
        }
        let tag = fields
            .last()
            .with_context(|| format!("line {}: no tag column", number + 1))?;
        words.push(word.to_string());
        tags.push(tag.to_string());
    }
    flush(&mut documents, &mut words, &mut tags);
    documents.retain(|d| !d.sentences.is_empty());
    Ok(documents)
}

/// Chunks of an IOB1 (or IOB2) tag sequence, following conlleval: a chunk starts at `B-`, at an
/// `I-` after `O`, or at a change of type.
pub fn iob1_chunks<S: AsRef<str>>(tags: &[S]) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut open: Option<(usize, usize)> = None; // (start, type)
    for (i, tag) in tags.iter().enumerate() {
        let tag = tag.as_ref();
        let (prefix, kind) = tag.split_once('-').unwrap_or((tag, ""));
        let entity_type = TYPES.iter().position(|t| *t == kind);
        let continues = match (open, entity_type) {
            (Some((_, open_type)), Some(t)) => prefix == "I" && open_type == t,
            _ => false,
        };
        if !continues {
            if let Some((start, t)) = open.take() {
                chunks.push(Chunk {
                    start,
                    end: i,
                    entity_type: t,
                });
            }
            if let Some(t) = entity_type {
                if prefix == "B" || prefix == "I" {
                    open = Some((i, t));
                }
            }
        }
    }
    if let Some((start, t)) = open {
        chunks.push(Chunk {
            start,
            end: tags.len(),
            entity_type: t,
        });
    }
    chunks
}

/// IOB1 tags of chunks: `I-` everywhere, `B-` only where a chunk directly follows one of the same type.
pub fn chunks_to_iob1(len: usize, chunks: &[Chunk]) -> Vec<String> {
    let mut tags = vec!["O".to_string(); len];
    let mut previous: Option<Chunk> = None;
    for chunk in chunks {
        for (i, tag) in tags
            .iter_mut()
            .enumerate()
            .take(chunk.end)
            .skip(chunk.start)
        {
            let adjacent = previous
                .is_some_and(|p| p.end == chunk.start && p.entity_type == chunk.entity_type);
            let prefix = if i == chunk.start && adjacent {
                "B"
            } else {
                "I"
            };
            *tag = format!("{prefix}-{}", TYPES[chunk.entity_type]);
        }
        previous = Some(*chunk);
    }
    tags
}

/// BILOU label sequence of chunks.
pub fn chunks_to_bilou(len: usize, chunks: &[Chunk]) -> Vec<u8> {
    let mut labels = vec![0u8; len];
    for c in chunks {
        if c.end == c.start + 1 {
            labels[c.start] = label(Part::Unit, c.entity_type) as u8;
            continue;
        }
        for (i, l) in labels.iter_mut().enumerate().take(c.end).skip(c.start) {
            let part = if i == c.start {
                Part::Begin
            } else if i + 1 == c.end {
                Part::Last
            } else {
                Part::Inside
            };
            *l = label(part, c.entity_type) as u8;
        }
    }
    labels
}

/// Chunks of a BILOU label sequence (as produced by constrained decoding; stray labels are
/// read leniently: an `I`/`L` without an open chunk starts one).
pub fn bilou_chunks(labels: &[u8]) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    for (i, &l) in labels.iter().enumerate() {
        let parsed = label_part(l as usize);
        if let Some((start, t)) = open {
            let continues = matches!(parsed, Some((Part::Inside | Part::Last, pt)) if pt == t);
            if !continues {
                chunks.push(Chunk {
                    start,
                    end: i,
                    entity_type: t,
                });
                open = None;
            }
        }
        match parsed {
            Some((Part::Unit, t)) => chunks.push(Chunk {
                start: i,
                end: i + 1,
                entity_type: t,
            }),
            Some((Part::Last, t)) => match open.take() {
                Some((start, _)) => chunks.push(Chunk {
                    start,
                    end: i + 1,
                    entity_type: t,
                }),
                None => chunks.push(Chunk {
                    start: i,
                    end: i + 1,
                    entity_type: t,
                }),
            },
            Some((Part::Begin | Part::Inside, t)) => {
                open.get_or_insert((i, t));
            }
            None => {}
        }
    }
    if let Some((start, t)) = open {
        chunks.push(Chunk {
            start,
            end: labels.len(),
            entity_type: t,
        });
    }
    chunks
}

/// The counts conlleval reports.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    pub tokens: usize,
    pub correct_tags: usize,
    pub gold: [usize; 4],
    pub found: [usize; 4],
    pub correct: [usize; 4],
}

impl Counts {
    /// Adds one sentence: gold and predicted chunks.
    pub fn add(&mut self, len: usize, gold: &[Chunk], predicted: &[Chunk]) {
        self.tokens += len;
        let gold_tags = chunks_to_iob1(len, gold);
        let predicted_tags = chunks_to_iob1(len, predicted);
        self.correct_tags += gold_tags
            .iter()
            .zip(&predicted_tags)
            .filter(|(g, p)| g == p)
            .count();
        for c in gold {
            self.gold[c.entity_type] += 1;
        }
        for c in predicted {
            self.found[c.entity_type] += 1;
            if gold.contains(c) {
                self.correct[c.entity_type] += 1;
            }
        }
    }

    /// Overall F1 in percent.
    pub fn f1(&self) -> f64 {
        prf(
            self.correct.iter().sum(),
            self.found.iter().sum(),
            self.gold.iter().sum(),
        )
        .2
    }

    /// F1 in percent of one type.
    pub fn type_f1(&self, t: usize) -> f64 {
        prf(self.correct[t], self.found[t], self.gold[t]).2
    }

    /// The conlleval report: the overall line first, then one line per type.
    pub fn report(&self) -> String {
        let (p, r, f) = prf(
            self.correct.iter().sum(),
            self.found.iter().sum(),
            self.gold.iter().sum(),
        );
        let accuracy = if self.tokens == 0 {
            0.0
        } else {
            100.0 * self.correct_tags as f64 / self.tokens as f64
        };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "accuracy: {accuracy:6.2}%; precision: {p:6.2}%; recall: {r:6.2}%; FB1: {f:6.2}"
        );
        let mut order: Vec<usize> = (0..TYPES.len()).collect();
        order.sort_by_key(|&t| TYPES[t]);
        for t in order {
            let (p, r, f) = prf(self.correct[t], self.found[t], self.gold[t]);
            let _ = writeln!(
                out,
                "{:>17}: precision: {p:6.2}%; recall: {r:6.2}%; FB1: {f:6.2}  {}",
                TYPES[t], self.found[t]
            );
        }
        let _ = writeln!(
            out,
            "processed {} tokens with {} phrases; found: {} phrases; correct: {}.",
            self.tokens,
            self.gold.iter().sum::<usize>(),
            self.found.iter().sum::<usize>(),
            self.correct.iter().sum::<usize>()
        );
        out
    }
}

/// Precision, recall and F1 in percent (0 when there is nothing to divide by); `ner-news` scores
/// with it too.
pub(crate) fn prf(correct: usize, found: usize, gold: usize) -> (f64, f64, f64) {
    let p = if found == 0 {
        0.0
    } else {
        100.0 * correct as f64 / found as f64
    };
    let r = if gold == 0 {
        0.0
    } else {
        100.0 * correct as f64 / gold as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iob1_chunks_split_on_b_and_type_change() {
        let tags = [
            "I-PER", "I-PER", "B-PER", "O", "I-LOC", "I-ORG", "I-ORG", "O", "B-MISC",
        ];
        let chunks = iob1_chunks(&tags);
        let expect = [(0, 2, 0), (2, 3, 0), (4, 5, 2), (5, 7, 1), (8, 9, 3)];
        let got: Vec<_> = chunks
            .iter()
            .map(|c| (c.start, c.end, c.entity_type))
            .collect();
        assert_eq!(got, expect);
        // Written back canonically: B- only between adjacent chunks of one type.
        let canonical = [
            "I-PER", "I-PER", "B-PER", "O", "I-LOC", "I-ORG", "I-ORG", "O", "I-MISC",
        ];
        assert_eq!(chunks_to_iob1(tags.len(), &chunks), canonical);
    }

    #[test]
    fn bilou_round_trip() {
        let chunks = iob1_chunks(&["I-PER", "I-PER", "I-PER", "B-PER", "O", "I-LOC"]);
        let labels = chunks_to_bilou(6, &chunks);
        let l = |p, t| label(p, t) as u8;
        assert_eq!(
            labels,
            [
                l(Part::Begin, 0),
                l(Part::Inside, 0),
                l(Part::Last, 0),
                l(Part::Unit, 0),
                0,
                l(Part::Unit, 2)
            ]
        );
        assert_eq!(bilou_chunks(&labels), chunks);
    }

    #[test]
    fn conlleval_counts_a_tiny_example() {
        let gold = iob1_chunks(&["I-PER", "I-PER", "O", "I-LOC", "O"]);
        // One right (LOC), one wrong boundary (PER), one spurious ORG.
        let predicted = iob1_chunks(&["I-PER", "O", "O", "I-LOC", "I-ORG"]);
        let mut counts = Counts::default();
        counts.add(5, &gold, &predicted);
        assert_eq!(counts.correct_tags, 3);
        assert_eq!(counts.found.iter().sum::<usize>(), 3);
        assert_eq!(counts.correct.iter().sum::<usize>(), 1);
        let report = counts.report();
        let first = report.lines().next().unwrap();
        assert_eq!(
            first,
            "accuracy:  60.00%; precision:  33.33%; recall:  50.00%; FB1:  40.00"
        );
        assert!(
            report.contains("LOC: precision: 100.00%; recall: 100.00%; FB1: 100.00  1"),
            "{report}"
        );
    }

    #[test]
    fn parse_splits_documents_and_sentences() {
        let text = "-DOCSTART- -X- O O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\n\nPeter NNP I-NP I-PER\n\n-DOCSTART- -X- -X- O\n\nX NN I-NP O\n";
        let docs = parse(text).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
        assert_eq!(
            docs[0].sentences[0].chunks,
            [Chunk {
                start: 0,
                end: 1,
                entity_type: 1
            }]
        );
        assert_eq!(docs[1].token_count(), 1);
    }
}
