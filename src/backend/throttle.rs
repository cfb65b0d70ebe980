//! Request-rate and concurrency limits per preset, as wrappers around any backend.

use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use super::{Audio, Backend, BackendError, Request};

/// At most `per_minute` requests a minute, spaced evenly.
pub struct Throttled {
    inner: Box<dyn Backend>,
    interval: Duration,
    next: Mutex<Option<Instant>>,
}

impl Throttled {
    pub fn new(inner: Box<dyn Backend>, per_minute: u32) -> Self {
        Throttled { inner, interval: Duration::from_secs(60) / per_minute.max(1), next: Mutex::new(None) }
    }
}

impl Backend for Throttled {
    fn kind(&self) -> &'static str {
        self.inner.kind()
    }

    fn engine(&self) -> String {
        self.inner.engine()
    }

    fn cache_identity(&self) -> String {
        self.inner.cache_identity()
    }

    fn synthesize(&self, request: &Request<'_>) -> Result<Audio, BackendError> {
        self.wait_for_slot();
        self.inner.synthesize(request)
    }

    fn takes_ssml(&self) -> bool {
        self.inner.takes_ssml()
    }
}

impl Throttled {
    fn wait_for_slot(&self) {
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
            let now = Instant::now();
            let slot = next.map_or(now, |n| n.max(now));
            *next = Some(slot + self.interval);
            slot
        };
        std::thread::sleep(slot.saturating_duration_since(Instant::now()));
    }
}

/// At most `limit` requests at once.
pub struct Limited {
    inner: Box<dyn Backend>,
    limit: usize,
    busy: Mutex<usize>,
    free: Condvar,
}

impl Limited {
    pub fn new(inner: Box<dyn Backend>, limit: usize) -> Self {
        Limited { inner, limit: limit.max(1), busy: Mutex::new(0), free: Condvar::new() }
    }
}

impl Backend for Limited {
    fn kind(&self) -> &'static str {
        self.inner.kind()
    }

    fn engine(&self) -> String {
        self.inner.engine()
    }

    fn cache_identity(&self) -> String {
        self.inner.cache_identity()
    }

    fn synthesize(&self, request: &Request<'_>) -> Result<Audio, BackendError> {
        self.one_at_a_slot(|| self.inner.synthesize(request))
    }

    fn takes_ssml(&self) -> bool {
        self.inner.takes_ssml()
    }
}

impl Limited {
    fn one_at_a_slot(&self, call: impl Fn() -> Result<Audio, BackendError>) -> Result<Audio, BackendError> {
        {
            let mut busy = self.busy.lock().unwrap_or_else(|p| p.into_inner());
            while *busy >= self.limit {
                busy = self.free.wait(busy).unwrap_or_else(|p| p.into_inner());
            }
            *busy += 1;
        }
        let result = call();
        *self.busy.lock().unwrap_or_else(|p| p.into_inner()) -= 1;
        self.free.notify_one();
        result
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::audio::AudioHint;

    struct Slow {
        now: Arc<AtomicUsize>,
        peak: Arc<AtomicUsize>,
    }

    impl Backend for Slow {
        fn kind(&self) -> &'static str {
            "slow"
        }
        fn engine(&self) -> String {
            "slow".into()
        }
        fn synthesize(&self, _: &Request<'_>) -> Result<Audio, BackendError> {
            let n = self.now.fetch_add(1, Ordering::SeqCst) + 1;
            self.peak.fetch_max(n, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(20));
            self.now.fetch_sub(1, Ordering::SeqCst);
            Ok(Audio { bytes: vec![], hint: AudioHint::Sniff })
        }
    }

    #[test]
    fn limited_caps_requests_in_flight() {
        let peak = Arc::new(AtomicUsize::new(0));
        let b = Limited::new(Box::new(Slow { now: Arc::default(), peak: peak.clone() }), 2);
        std::thread::scope(|s| {
            for _ in 0..6 {
                s.spawn(|| b.synthesize(&Request::text("x")).unwrap());
            }
        });
        assert_eq!(peak.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn throttled_spaces_requests() {
        let b = Throttled::new(Box::new(Slow { now: Arc::default(), peak: Arc::default() }), 1200); // 50 ms apart
        let t = Instant::now();
        for _ in 0..4 {
            b.synthesize(&Request::text("x")).unwrap();
        }
        // 3 gaps of 50 ms at least (plus 4 × 20 ms of work).
        assert!(t.elapsed() >= Duration::from_millis(150), "{:?}", t.elapsed());
    }
}
