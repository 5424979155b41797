//! The sticky decider's cache of execution states.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, PoisonError};

/// Each execution's state after the events it has folded, keyed by run id, at most
/// `capacity` of them, least recently used evicted first. Why a bound: a worker serves
/// any number of executions, and an evicted one costs only a full replay on its next task.
pub(crate) struct StateCache<W> {
    capacity: usize,
    clone: fn(&W) -> W,
    inner: Mutex<Inner<W>>,
}

struct Inner<W> {
    entries: HashMap<String, Entry<W>>,
    /// Use order: tick -> run id; the smallest tick is evicted first.
    order: BTreeMap<u64, String>,
    tick: u64,
    stats: CacheStats,
}

struct Entry<W> {
    state: W,
    through: i64,
    /// What a partial history cannot say: the execution's decision tasks never time
    /// out (`taskStartToCloseTimeout` `NONE`, in `WorkflowExecutionStarted`).
    never_times_out: bool,
    tick: u64,
}

/// What a sticky decider's cache did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CacheStats {
    /// Tasks decided from a cached state plus the new events.
    pub hits: u64,
    /// Partial tasks with no usable cached state (the worker replays the whole history).
    pub misses: u64,
    /// States dropped to keep the bound.
    pub evictions: u64,
}

impl<W> StateCache<W> {
    pub(crate) fn new(capacity: usize, clone: fn(&W) -> W) -> Self {
        StateCache {
            capacity: capacity.max(1),
            clone,
            inner: Mutex::new(Inner {
                entries: HashMap::new(),
                order: BTreeMap::new(),
                tick: 0,
                stats: CacheStats::default(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<W>> {
        // Every critical section leaves the maps consistent before it can panic.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A copy of the state of `run_id` if it has folded exactly through `through`, and
    /// whether its decision tasks never time out.
    pub(crate) fn get(&self, run_id: &str, through: i64) -> Option<(W, bool)> {
        let mut inner = self.lock();
        let found = match inner.entries.get(run_id) {
            Some(e) if e.through == through => {
                Some(((self.clone)(&e.state), e.never_times_out, e.tick))
            }
            _ => None,
        };
        if let Some((state, never_times_out, old)) = found {
            inner.stats.hits += 1;
            crate::telemetry::sticky(crate::telemetry::Sticky::Hit);
            inner.tick += 1;
            let tick = inner.tick;
            inner.order.remove(&old);
            inner.order.insert(tick, run_id.to_owned());
            if let Some(e) = inner.entries.get_mut(run_id) {
                e.tick = tick;
            }
            Some((state, never_times_out))
        } else {
            inner.stats.misses += 1;
            crate::telemetry::sticky(crate::telemetry::Sticky::Miss);
            None
        }
    }

    /// A partial history that could not be used (a hole in it): a miss like any other.
    pub(crate) fn count_miss(&self) {
        self.lock().stats.misses += 1;
        crate::telemetry::sticky(crate::telemetry::Sticky::Miss);
    }

    /// Keeps a copy of `state`, folded through event `through`.
    pub(crate) fn put(&self, run_id: &str, state: &W, through: i64, never_times_out: bool) {
        let state = (self.clone)(state);
        let mut inner = self.lock();
        inner.tick += 1;
        let tick = inner.tick;
        if let Some(old) = inner.entries.insert(
            run_id.to_owned(),
            Entry {
                state,
                through,
                never_times_out,
                tick,
            },
        ) {
            inner.order.remove(&old.tick);
        }
        inner.order.insert(tick, run_id.to_owned());
        while inner.entries.len() > self.capacity {
            let Some((_, victim)) = inner.order.pop_first() else {
                break;
            };
            inner.entries.remove(&victim);
            inner.stats.evictions += 1;
            crate::telemetry::sticky(crate::telemetry::Sticky::Eviction);
            tracing::debug!(run_id = %victim, capacity = self.capacity, "sticky cache evicted an execution's state");
        }
    }

    /// Forgets `run_id` (closed execution, or a test's forced eviction).
    pub(crate) fn remove(&self, run_id: &str) {
        let mut inner = self.lock();
        if let Some(e) = inner.entries.remove(run_id) {
            inner.order.remove(&e.tick);
        }
    }

    /// A copy of the cached state of `run_id` and what it folded through.
    pub(crate) fn peek(&self, run_id: &str) -> Option<(W, i64)> {
        let inner = self.lock();
        inner
            .entries
            .get(run_id)
            .map(|e| ((self.clone)(&e.state), e.through))
    }

    pub(crate) fn stats(&self) -> CacheStats {
        self.lock().stats
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_recently_used_goes_first_and_through_must_match() {
        let cache = StateCache::new(2, u32::clone);
        cache.put("a", &1, 10, false);
        cache.put("b", &2, 20, false);
        assert_eq!(cache.get("a", 10), Some((1, false))); // a is now the most recent
        assert_eq!(cache.get("a", 11), None, "folded through another event");
        cache.put("c", &3, 30, true); // evicts b
        assert_eq!(cache.get("b", 20), None);
        assert_eq!(cache.get("c", 30), Some((3, true)));
        assert_eq!(cache.len(), 2);
        let stats = cache.stats();
        assert_eq!((stats.hits, stats.misses, stats.evictions), (2, 2, 1));
        cache.remove("a");
        assert!(cache.peek("a").is_none());
    }
}
