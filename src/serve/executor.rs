//! The bounded query executor of `newsgraph serve`.
//!
//! Before it, every query got a thread of its own: under 64 clients on 2 cores the evaluations
//! shared the cores 64 ways, each ran past the time limit, and the threads of answers nobody waited
//! for any more kept their memory. Here a fixed set of workers evaluates at most `workers` queries
//! at once; at most `queue` more wait for a worker. A request that finds both full is answered 503
//! with `Retry-After` at once, so the work in hand finishes in time and the rest can come back.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread;

type Job = Box<dyn FnOnce() + Send + 'static>;

/// What the workers run.
pub(super) struct Executor {
    sender: SyncSender<Job>,
}

/// Every worker is busy and the queue is full.
#[derive(Debug)]
pub(super) struct Busy;

impl Executor {
    /// Starts `workers` threads (at least one) behind a queue of `queue` places (none: a request is
    /// taken only when a worker is idle).
    pub(super) fn new(workers: usize, queue: usize) -> std::io::Result<Self> {
        let (sender, receiver) = mpsc::sync_channel::<Job>(queue);
        let receiver = Arc::new(Mutex::new(receiver));
        for index in 0..workers.max(1) {
            let receiver = Arc::clone(&receiver);
            thread::Builder::new().name(format!("newsgraph query {index}")).spawn(move || work(&receiver))?;
        }
        Ok(Self { sender })
    }

    /// Hands `job` to a worker, or to the queue; `Busy` when there is no room, without waiting.
    pub(super) fn try_run(&self, job: impl FnOnce() + Send + 'static) -> Result<(), Busy> {
        match self.sender.try_send(Box::new(job)) {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => Err(Busy),
        }
    }
}

fn work(receiver: &Mutex<Receiver<Job>>) {
    loop {
        // The lock is held only while waiting for the next job, so one idle worker waits on the
        // channel and the others on the lock.
        let job = match receiver.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok(job) = job else { return };
        // A panicking query loses its answer (its sender is dropped: the client gets 500), not a
        // worker.
        if catch_unwind(AssertUnwindSafe(job)).is_err() {
            eprintln!("newsgraph serve: a query evaluation panicked");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn refuses_at_once_when_workers_and_queue_are_full() {
        let executor = Executor::new(1, 1).unwrap();
        let (started, started_rx) = mpsc::channel();
        let (release, release_rx) = mpsc::channel::<()>();
        executor
            .try_run(move || {
                started.send(()).unwrap();
                let _ = release_rx.recv();
            })
            .unwrap();
        started_rx.recv_timeout(Duration::from_secs(5)).unwrap();
        // the worker is busy: one place in the queue, then no more
        let (done, done_rx) = mpsc::channel();
        executor.try_run(move || done.send(()).unwrap()).unwrap();
        assert!(executor.try_run(|| {}).is_err());
        release.send(()).unwrap();
        done_rx.recv_timeout(Duration::from_secs(5)).unwrap();
    }

    #[test]
    fn a_panicking_job_keeps_its_worker() {
        let executor = Executor::new(1, 4).unwrap();
        executor.try_run(|| panic!("deliberate")).unwrap();
        let (done, done_rx) = mpsc::channel();
        executor.try_run(move || done.send(()).unwrap()).unwrap();
        done_rx.recv_timeout(Duration::from_secs(5)).unwrap();
    }
}
