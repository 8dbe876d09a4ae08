//! The union of many graphs as triple syntaxes (Turtle, N-Triples, RDF/XML) need it: each triple
//! once, in the order of its N-Triples text, without holding the corpus in memory.
//!
//! This is the order the store path sorts by (`store::export` sorts triples by their text), so
//! both paths write the same bytes. Sorting by the text keeps a subject's triples together, which
//! lets the serializers group them (`;` in Turtle, one `rdf:Description` in RDF/XML).
//!
//! Triples are kept as text in one buffer; when it passes its budget, it is sorted, made unique
//! and spilled as a run to an anonymous temporary file. At the end the runs are merged, dropping
//! repeats across runs, and read back by the N-Triples parser. Memory is bounded by the budget,
//! whatever the size of the corpus.

use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::TripleRef;
use rayon::slice::ParallelSliceMut;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, Write};

/// Bytes of triple text held before a run is spilled: large enough that the BBC corpus (about
/// 110 MB of text) makes about ten runs, small enough that the buffer adds little to the
/// analysis's own peak.
pub const RUN_BUDGET: usize = 12 << 20;

/// Triples gathered for one sorted, duplicate-free stream.
pub struct SortedTriples {
    budget: usize,
    text: Vec<u8>,
    /// (start, end) of each triple in `text`; u32 since a run is far below 4 GiB
    spans: Vec<(u32, u32)>,
    runs: Vec<File>,
}

impl SortedTriples {
    pub fn new(budget: usize) -> SortedTriples {
        assert!(budget < u32::MAX as usize / 2, "a run's offsets are u32");
        // room past the budget for the triple that crosses it, so the buffer is not doubled then
        SortedTriples { budget, text: Vec::with_capacity(budget + budget / 8), spans: Vec::new(), runs: Vec::new() }
    }

    pub fn push(&mut self, triple: TripleRef<'_>) -> io::Result<()> {
        let start = self.text.len();
        // the Display form of oxrdf is N-Triples without the final dot, and escapes line breaks
        write!(self.text, "{triple}")?;
        self.pushed(start)
    }

    /// A triple given as the text [`SortedTriples::push`] would write for it (oxrdf's Display
    /// form: N-Triples without the final dot, on one line), e.g. made on another thread.
    pub fn push_text(&mut self, triple: &[u8]) -> io::Result<()> {
        let start = self.text.len();
        self.text.extend_from_slice(triple);
        self.pushed(start)
    }

    fn pushed(&mut self, start: usize) -> io::Result<()> {
        self.spans.push((start as u32, self.text.len() as u32));
        if self.text.len() >= self.budget {
            self.spill()?;
        }
        Ok(())
    }

    /// How many runs went to disk so far.
    pub fn runs(&self) -> usize {
        self.runs.len()
    }

    fn sort_in_memory(&mut self) {
        let text = &self.text;
        let slice = |&(a, b): &(u32, u32)| &text[a as usize..b as usize];
        self.spans.par_sort_unstable_by(|x, y| slice(x).cmp(slice(y)));
        self.spans.dedup_by(|x, y| slice(x) == slice(y));
    }

    fn spill(&mut self) -> io::Result<()> {
        self.sort_in_memory();
        let mut file = BufWriter::with_capacity(1 << 16, tempfile::tempfile()?);
        for &(a, b) in &self.spans {
            file.write_all(&self.text[a as usize..b as usize])?;
            file.write_all(b"\n")?;
        }
        let mut file = file.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        self.runs.push(file);
        self.text.clear();
        self.spans.clear();
        Ok(())
    }

    /// The triples in order, each once, as an N-Triples document.
    pub fn finish(mut self) -> io::Result<Merged> {
        let mut sources = Vec::new();
        if self.runs.is_empty() {
            self.sort_in_memory();
            sources.push(Source::Memory { text: self.text, spans: self.spans.into_iter() });
        } else {
            if !self.spans.is_empty() {
                self.spill()?;
            }
            sources.extend(self.runs.into_iter().map(|f| Source::Run(BufReader::with_capacity(1 << 16, f))));
        }
        let mut heap = BinaryHeap::with_capacity(sources.len());
        for (i, source) in sources.iter_mut().enumerate() {
            if let Some(line) = source.next_line()? {
                heap.push(Reverse((line, i)));
            }
        }
        Ok(Merged { sources, heap, last: Vec::new(), pending: Vec::new(), at: 0 })
    }
}

/// Writes `triples`, in order and each once, with `serializer` (of a triple syntax) to `writer`.
pub fn write_union(triples: SortedTriples, serializer: RdfSerializer, writer: impl Write) -> anyhow::Result<()> {
    let mut out = serializer.for_writer(writer);
    // the text was written by oxrdf itself: no need to check it again
    for quad in RdfParser::from_format(RdfFormat::NTriples).lenient().for_reader(triples.finish()?) {
        let quad = quad?;
        out.serialize_triple(TripleRef::from(quad.as_ref()))?;
    }
    out.finish()?.flush()?;
    Ok(())
}

enum Source {
    Memory { text: Vec<u8>, spans: std::vec::IntoIter<(u32, u32)> },
    Run(BufReader<File>),
}

impl Source {
    fn next_line(&mut self) -> io::Result<Option<Vec<u8>>> {
        match self {
            Source::Memory { text, spans } => Ok(spans.next().map(|(a, b)| text[a as usize..b as usize].to_vec())),
            Source::Run(reader) => {
                let mut line = Vec::new();
                if reader.read_until(b'\n', &mut line)? == 0 {
                    return Ok(None);
                }
                line.pop();
                Ok(Some(line))
            }
        }
    }
}

/// The merge of the sorted runs, read as N-Triples (`<s> <p> <o> .` lines).
pub struct Merged {
    sources: Vec<Source>,
    heap: BinaryHeap<Reverse<(Vec<u8>, usize)>>,
    last: Vec<u8>,
    pending: Vec<u8>,
    at: usize,
}

impl Merged {
    /// The next triple's text, skipping one equal to the last (a triple held by several runs).
    fn next_unique(&mut self) -> io::Result<Option<()>> {
        while let Some(Reverse((line, i))) = self.heap.pop() {
            if let Some(next) = self.sources[i].next_line()? {
                self.heap.push(Reverse((next, i)));
            }
            if line != self.last {
                self.pending.clear();
                self.pending.extend_from_slice(&line);
                self.pending.extend_from_slice(b" .\n");
                self.at = 0;
                self.last = line;
                return Ok(Some(()));
            }
        }
        Ok(None)
    }
}

impl Read for Merged {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut written = 0;
        while written < buf.len() {
            if self.at == self.pending.len() && self.next_unique()?.is_none() {
                break;
            }
            let n = (self.pending.len() - self.at).min(buf.len() - written);
            buf[written..written + n].copy_from_slice(&self.pending[self.at..self.at + n]);
            self.at += n;
            written += n;
        }
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};
    use oxigraph::model::{Literal, NamedNode, Triple};

    fn triple(s: usize, o: &str) -> Triple {
        Triple::new(NamedNode::new_unchecked(format!("http://e/{s}")), NamedNode::new_unchecked("http://p"), Literal::new_simple_literal(o))
    }

    fn sorted(triples: &[Triple], budget: usize) -> (Vec<Triple>, usize) {
        let mut sorter = SortedTriples::new(budget);
        for t in triples {
            sorter.push(t.as_ref()).unwrap();
        }
        let runs = sorter.runs();
        let out = RdfParser::from_format(RdfFormat::NTriples)
            .for_reader(sorter.finish().unwrap())
            .map(|q| q.map(|q| Triple::new(q.subject, q.predicate, q.object)))
            .collect::<Result<_, _>>()
            .unwrap();
        (out, runs)
    }

    #[test]
    fn runs_on_disk_merge_to_the_in_memory_order_without_repeats() {
        // repeats within and across runs, and text with quotes and a line break
        let mut triples: Vec<Triple> = (0..500).map(|i| triple(i * 7919 % 211, &format!("v{}", i % 13))).collect();
        triples.push(triple(3, "a \"quoted\"\nline"));
        triples.push(triple(3, "a \"quoted\"\nline"));
        let mut expected = triples.clone();
        expected.sort_by_cached_key(|t| t.to_string());
        expected.dedup();
        let (in_memory, runs) = sorted(&triples, 1 << 20);
        assert_eq!(runs, 0);
        assert_eq!(in_memory, expected);
        let (spilled, runs) = sorted(&triples, 500);
        assert!(runs > 10, "only {runs} runs");
        assert_eq!(spilled, expected);
        assert_eq!(sorted(&[], 500).0, Vec::new());
    }
}
