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
//!
//! Clients that ask a question while its first evaluation is under way wait for that one (a
//! flight) instead of each taking a worker: under 64 clients a report that takes seconds was
//! otherwise evaluated many times at once, every copy slower, until all of them ran past the time
//! limit, none was kept, and the queue refused the rest.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Instant;

/// What makes two requests the same question: the query text without the white space around it
/// (which SPARQL ignores, and which clients add or drop: a file read with `$(cat)` loses its last
/// newline), the protocol's dataset parameters, and the Accept header as sent (negotiation is
/// deterministic given it).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Question {
    query: String,
    default_graphs: Vec<String>,
    named_graphs: Vec<String>,
    accept: Option<Vec<u8>>,
}

impl Question {
    pub(super) fn new(query: &str, default_graphs: Vec<String>, named_graphs: Vec<String>, accept: Option<Vec<u8>>) -> Self {
        Self { query: query.trim().to_owned(), default_graphs, named_graphs, accept }
    }
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
    /// Questions being evaluated, each with the flight its later askers wait on.
    flights: HashMap<Question, Arc<Flight>>,
}

/// One evaluation that other askers of the same question wait for.
pub(super) struct Flight {
    landed: Mutex<bool>,
    signal: Condvar,
}

impl Flight {
    /// Waits until the evaluation has ended (kept or not) or `deadline`; false when time ran out.
    pub(super) fn wait(&self, deadline: Instant) -> bool {
        let mut landed = self.landed.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        while !*landed {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            landed = self.signal.wait_timeout(landed, left).unwrap_or_else(|poisoned| poisoned.into_inner()).0;
        }
        true
    }
}

/// The asker that evaluates a question for everyone; when it is dropped (answer kept, failed,
/// too large, or the client gone) the waiting askers wake and look in the cache again.
pub(super) struct Leader {
    cache: AnswerCache,
    question: Question,
    flight: Arc<Flight>,
}

impl Drop for Leader {
    fn drop(&mut self) {
        self.cache.entries().flights.remove(&self.question);
        *self.flight.landed.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = true;
        self.flight.signal.notify_all();
    }
}

/// What an asker of a question does.
pub(super) enum Turn {
    /// Gives back the kept answer.
    Kept(Kept),
    /// Evaluates it, others waiting.
    Lead(Leader),
    /// Waits for the evaluation under way, then asks the cache again.
    Follow(Arc<Flight>),
}

impl Entries {
    /// The kept answer, marked as the most recently used.
    fn use_kept(&mut self, question: &Question) -> Option<Kept> {
        self.clock += 1;
        let now = self.clock;
        let (kept, used) = self.answers.get_mut(question)?;
        *used = now;
        Some(kept.clone())
    }
}

impl AnswerCache {
    /// A cache of at most `capacity` bytes of answers (0: none is kept).
    pub(super) fn new(capacity: usize) -> Self {
        let entries = Entries { answers: HashMap::new(), bytes: 0, clock: 0, generation: 0, flights: HashMap::new() };
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
        self.entries().use_kept(question)
    }

    /// The kept answer, or else whether to evaluate the question or wait for its evaluation.
    pub(super) fn turn(&self, question: &Question) -> Turn {
        // one lock for the look-up and the flight, so an answer kept in between is not evaluated again
        let mut entries = self.entries();
        if let Some(kept) = entries.use_kept(question) {
            return Turn::Kept(kept);
        }
        if let Some(flight) = entries.flights.get(question) {
            return Turn::Follow(Arc::clone(flight));
        }
        let flight = Arc::new(Flight { landed: Mutex::new(false), signal: Condvar::new() });
        entries.flights.insert(question.clone(), Arc::clone(&flight));
        Turn::Lead(Leader { cache: self.clone(), question: question.clone(), flight })
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
        Question::new(query, vec![], vec![], None)
    }

    #[test]
    fn white_space_around_the_query_is_the_same_question() {
        assert_eq!(question("SELECT * { ?s ?p ?o }\n"), question("  SELECT * { ?s ?p ?o }"));
        assert_ne!(question("SELECT * { ?s ?p ?o }"), question("SELECT * {?s ?p ?o}"));
    }

    #[test]
    fn later_askers_wait_for_the_first_evaluation_and_get_its_answer() {
        let cache = AnswerCache::new(1000);
        let Turn::Lead(leader) = cache.turn(&question("q")) else { panic!("the first asker leads") };
        let Turn::Follow(flight) = cache.turn(&question("q")) else { panic!("the second asker waits") };
        assert!(matches!(cache.turn(&question("other")), Turn::Lead(_)), "another question has its own flight");
        let waiter = std::thread::spawn(move || flight.wait(Instant::now() + std::time::Duration::from_secs(10)));
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(!waiter.is_finished(), "the follower waits while the leader evaluates");
        cache.keep(question("q"), cache.generation(), b"answer".to_vec(), "text/csv");
        drop(leader);
        assert!(waiter.join().unwrap(), "the follower woke before its deadline");
        let Turn::Kept(kept) = cache.turn(&question("q")) else { panic!("the answer was kept") };
        assert_eq!(&*kept.body, b"answer");
    }

    #[test]
    fn a_leader_that_keeps_nothing_wakes_its_followers_and_the_next_asker_leads() {
        let cache = AnswerCache::new(1000);
        let Turn::Lead(leader) = cache.turn(&question("q")) else { panic!("the first asker leads") };
        let Turn::Follow(flight) = cache.turn(&question("q")) else { panic!("the second asker waits") };
        assert!(!flight.wait(Instant::now() + std::time::Duration::from_millis(20)), "time runs out while it evaluates");
        drop(leader); // failed, or too large to keep
        assert!(flight.wait(Instant::now()));
        assert!(matches!(cache.turn(&question("q")), Turn::Lead(_)));
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
        let csv = Question::new("q", vec![], vec![], Some(b"text/csv".to_vec()));
        cache.keep(csv.clone(), cache.generation(), b"x".to_vec(), "text/csv");
        assert!(cache.get(&csv).is_some());
        assert!(cache.get(&question("q")).is_none());
        assert!(cache.get(&Question { default_graphs: vec!["g".into()], ..csv }).is_none());
    }
}
