//! Answers kept for repeated queries.
//!
//! The named queries of `queries/` are whole-corpus reports: on the BBC store they take from a
//! fifth of a second to several seconds each, most of it Oxigraph fetching strings from RocksDB to
//! sort and join, and dashboards ask them again and again. Between two writes the same query over
//! the same dataset, asked for the same media types, has the same answer, so the endpoint keeps
//! the bytes of whole answers and gives them back without a worker. Any write through the
//! endpoint empties the cache; an answer whose evaluation overlapped a write is not kept (the
//! generation it started in is gone). The store of `serve` is held by this process alone (RocksDB
//! locks it), so no other writer can make a kept answer stale.
//!
//! Memory is bounded by `--answer-cache-mb`; an answer larger than a quarter of it is not kept,
//! and the least recently used answers make room for new ones.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// What makes two requests the same question: the query text as sent, the protocol's dataset
/// parameters, and the Accept header as sent (negotiation is deterministic given it).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Question {
    pub query: String,
    pub default_graphs: Vec<String>,
    pub named_graphs: Vec<String>,
    pub accept: Option<Vec<u8>>,
}

/// A kept answer: its bytes and media type.
#[derive(Debug, Clone)]
pub(super) struct Kept {
    pub body: Arc<[u8]>,
    pub media_type: &'static str,
}

/// The cache, shared by every connection; cheap to clone.
#[derive(Clone)]
pub(super) struct AnswerCache {
    shared: Arc<Mutex<Entries>>,
    capacity: usize,
}

struct Entries {
    answers: HashMap<Question, (Kept, u64)>,
    bytes: usize,
    /// Counts uses, to find the least recently used answer.
    clock: u64,
    /// Changes with every write; an answer is kept only in the generation it was evaluated in.
    generation: u64,
}

impl AnswerCache {
    /// A cache of at most `capacity` bytes of answers (0: none is kept).
    pub(super) fn new(capacity: usize) -> Self {
        let entries = Entries { answers: HashMap::new(), bytes: 0, clock: 0, generation: 0 };
        Self { shared: Arc::new(Mutex::new(entries)), capacity }
    }

    fn entries(&self) -> MutexGuard<'_, Entries> {
        // a panic while holding the lock leaves the map consistent (no update spans two steps
        // that could be torn), so the poison is ignored
        self.shared.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The largest answer kept.
    pub(super) fn largest(&self) -> usize {
        self.capacity / 4
    }

    pub(super) fn is_enabled(&self) -> bool {
        self.capacity > 0
    }

    pub(super) fn get(&self, question: &Question) -> Option<Kept> {
        let mut entries = self.entries();
        entries.clock += 1;
        let now = entries.clock;
        let (kept, used) = entries.answers.get_mut(question)?;
        *used = now;
        Some(kept.clone())
    }

    /// The generation to hand back to `keep` with the answer evaluated from now on.
    pub(super) fn generation(&self) -> u64 {
        self.entries().generation
    }

    /// Keeps an answer evaluated in `generation`, unless a write came since or it is too large.
    pub(super) fn keep(&self, question: Question, generation: u64, body: Vec<u8>, media_type: &'static str) {
        if body.len() > self.largest() {
            return;
        }
        let mut entries = self.entries();
        if entries.generation != generation {
            return;
        }
        if let Some((old, _)) = entries.answers.remove(&question) {
            entries.bytes -= old.body.len();
        }
        while entries.bytes + body.len() > self.capacity {
            let Some(oldest) = entries.answers.iter().min_by_key(|(_, (_, used))| *used).map(|(q, _)| q.clone()) else {
                break;
            };
            if let Some((evicted, _)) = entries.answers.remove(&oldest) {
                entries.bytes -= evicted.body.len();
            }
        }
        entries.clock += 1;
        let now = entries.clock;
        entries.bytes += body.len();
        entries.answers.insert(question, (Kept { body: body.into(), media_type }, now));
    }

    /// After a write: nothing kept holds, nor will any answer evaluated before it.
    pub(super) fn forget_all(&self) {
        let mut entries = self.entries();
        entries.generation += 1;
        entries.answers.clear();
        entries.bytes = 0;
    }

    #[cfg(test)]
    fn bytes(&self) -> usize {
        self.entries().bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(query: &str) -> Question {
        Question { query: query.into(), default_graphs: vec![], named_graphs: vec![], accept: None }
    }

    #[test]
    fn keeps_within_capacity_and_evicts_the_least_recently_used() {
        let cache = AnswerCache::new(400);
        for name in ["a", "b", "c"] {
            cache.keep(question(name), cache.generation(), vec![0; 100], "text/csv");
        }
        assert!(cache.get(&question("a")).is_some()); // a is now the most recently used
        cache.keep(question("d"), cache.generation(), vec![0; 100], "text/csv");
        cache.keep(question("e"), cache.generation(), vec![0; 100], "text/csv");
        assert!(cache.get(&question("b")).is_none(), "b was the least recently used");
        for name in ["a", "c", "d", "e"] {
            assert!(cache.get(&question(name)).is_some(), "{name} evicted");
        }
        assert_eq!(cache.bytes(), 400);
        // more than a quarter of the capacity: never kept
        cache.keep(question("big"), cache.generation(), vec![0; 101], "text/csv");
        assert!(cache.get(&question("big")).is_none());
    }

    #[test]
    fn a_write_forgets_everything_and_refuses_answers_evaluated_before_it() {
        let cache = AnswerCache::new(1000);
        let before = cache.generation();
        cache.keep(question("a"), before, b"old".to_vec(), "text/csv");
        cache.forget_all();
        assert!(cache.get(&question("a")).is_none());
        // an evaluation that started before the write and ends after it
        cache.keep(question("b"), before, b"stale".to_vec(), "text/csv");
        assert!(cache.get(&question("b")).is_none());
        cache.keep(question("b"), cache.generation(), b"new".to_vec(), "text/csv");
        assert_eq!(&*cache.get(&question("b")).unwrap().body, b"new");
        assert_eq!(cache.bytes(), 3);
    }

    #[test]
    fn the_accept_header_and_dataset_are_part_of_the_question() {
        let cache = AnswerCache::new(1000);
        let csv = Question { accept: Some(b"text/csv".to_vec()), ..question("q") };
        cache.keep(csv.clone(), cache.generation(), b"x".to_vec(), "text/csv");
        assert!(cache.get(&csv).is_some());
        assert!(cache.get(&question("q")).is_none());
        assert!(cache.get(&Question { default_graphs: vec!["g".into()], ..csv }).is_none());
    }
}
