//! Answers kept for the requests a page repeats: the same query and
//! filters asked again for the next page, after Back, by a colleague's
//! link, by several people. An answer is kept with the generation of the
//! index it was computed on (see `state`), and is never given for another:
//! a commit makes every kept answer stale at once. Requests for an answer
//! being computed wait for it rather than compute it again (after a commit,
//! every open page asks again at once). Bounded: when full, stale answers
//! go first, then all of them.

use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::FxHashMap;

/// One answer, computed once for its generation.
struct Slot<V> {
    generation: u64,
    value: OnceLock<V>,
    computing: Mutex<()>,
}

/// Answers by request, for one index generation at a time.
pub(crate) struct Cache<V> {
    slots: Mutex<FxHashMap<String, Arc<Slot<V>>>>,
    capacity: usize,
}

impl<V: Clone> Cache<V> {
    /// A cache of at most `capacity` answers; 0 keeps none.
    pub(crate) fn new(capacity: usize) -> Cache<V> {
        Cache {
            slots: Mutex::new(FxHashMap::default()),
            capacity,
        }
    }

    /// The answer kept for `key`, if computed on `generation`.
    pub(crate) fn get(&self, key: &str, generation: u64) -> Option<V> {
        let slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        let slot = slots.get(key).filter(|s| s.generation == generation)?;
        slot.value.get().cloned()
    }

    /// The answer to `key` on `generation`: the one kept, or the one another
    /// request is computing (waited for), or `compute`'s, then kept. An
    /// error is not kept: a request that waited for it computes again.
    pub(crate) fn get_or_compute<E>(
        &self,
        key: &str,
        generation: u64,
        compute: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        if self.capacity == 0 {
            return compute();
        }
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
            match slots.get(key) {
                Some(slot) if slot.generation == generation => slot.clone(),
                _ => {
                    if slots.len() >= self.capacity && !slots.contains_key(key) {
                        slots.retain(|_, slot| slot.generation == generation);
                        if slots.len() >= self.capacity {
                            slots.clear();
                        }
                    }
                    let slot = Arc::new(Slot {
                        generation,
                        value: OnceLock::new(),
                        computing: Mutex::new(()),
                    });
                    slots.insert(key.to_string(), slot.clone());
                    slot
                }
            }
        };
        if let Some(value) = slot.value.get() {
            return Ok(value.clone());
        }
        // One request computes; the others wait for it here.
        let _computing = slot.computing.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(value) = slot.value.get() {
            return Ok(value.clone());
        }
        let value = compute()?;
        let _ = slot.value.set(value.clone());
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn answer(cache: &Cache<i32>, key: &str, generation: u64, value: i32) -> i32 {
        cache
            .get_or_compute(key, generation, || Ok::<_, ()>(value))
            .unwrap()
    }

    #[test]
    fn an_answer_is_given_for_its_generation_only() {
        let cache = Cache::new(8);
        assert_eq!(answer(&cache, "q=PSLA", 1, 10), 10);
        assert_eq!(answer(&cache, "q=PSLA", 1, 11), 10, "kept");
        assert_eq!(cache.get("q=PSLA", 1), Some(10));
        assert_eq!(cache.get("q=PSLA", 2), None, "a commit makes it stale");
        assert_eq!(answer(&cache, "q=PSLA", 2, 12), 12);
        assert_eq!(cache.get("q=PLAI", 2), None);
    }

    #[test]
    fn errors_are_not_kept() {
        let cache = Cache::new(8);
        assert_eq!(
            cache.get_or_compute("k", 1, || Err::<i32, _>("busy")),
            Err("busy")
        );
        assert_eq!(answer(&cache, "k", 1, 3), 3);
    }

    #[test]
    fn stays_within_its_capacity_dropping_stale_answers_first() {
        let cache = Cache::new(3);
        answer(&cache, "a", 1, 1);
        answer(&cache, "b", 2, 2);
        answer(&cache, "c", 2, 3);
        answer(&cache, "d", 2, 4);
        assert_eq!(cache.get("a", 1), None);
        assert_eq!((cache.get("b", 2), cache.get("d", 2)), (Some(2), Some(4)));
        answer(&cache, "e", 2, 5);
        assert!(cache.slots.lock().unwrap().len() <= 3);
        assert_eq!(cache.get("e", 2), Some(5));
        let none = Cache::new(0);
        answer(&none, "a", 1, 1);
        assert_eq!(none.get("a", 1), None);
    }

    #[test]
    fn requests_asking_at_once_compute_the_answer_once() {
        let cache = Arc::new(Cache::new(8));
        let computed = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (cache, computed) = (cache.clone(), computed.clone());
                std::thread::spawn(move || {
                    cache
                        .get_or_compute("q=logements", 1, || {
                            computed.fetch_add(1, Ordering::SeqCst);
                            std::thread::sleep(std::time::Duration::from_millis(50));
                            Ok::<_, ()>(42)
                        })
                        .unwrap()
                })
            })
            .collect();
        for thread in threads {
            assert_eq!(thread.join().unwrap(), 42);
        }
        assert_eq!(computed.load(Ordering::SeqCst), 1);
    }
}
