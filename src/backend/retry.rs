//! Retries with exponential backoff and jitter, honouring `Retry-After`, within a number of
//! attempts and a time budget. Wraps any backend; non-retryable errors pass straight through.
//! The budget goes down with the request as its deadline, so it bounds each try too, not
//! only the waits between tries.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{Audio, Backend, BackendError, Request};
use crate::backend::preset::Network;

/// Waits; injected so tests need not.
pub type Sleeper = Arc<dyn Fn(Duration) + Send + Sync>;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    pub max_attempts: u32,
    pub budget: Duration,
    pub base: Duration,
    pub cap: Duration,
}

impl From<&Network> for Policy {
    fn from(n: &Network) -> Self {
        Policy {
            max_attempts: n.max_attempts,
            budget: Duration::from_secs_f64(n.budget_s),
            base: Duration::from_millis(n.backoff_ms),
            cap: Duration::from_secs(30),
        }
    }
}

impl Policy {
    /// The wait before try `attempt + 1`: `base × 2^(attempt-1)`, capped, with its upper half
    /// random so many clients do not retry in step.
    fn backoff(&self, attempt: u32) -> Duration {
        let full = self.base.saturating_mul(1 << (attempt - 1).min(16)).min(self.cap);
        full.mul_f64(0.5 + fastrand::f64() * 0.5)
    }
}

pub struct Retrying {
    inner: Box<dyn Backend>,
    policy: Policy,
    sleep: Sleeper,
}

impl Retrying {
    pub fn new(inner: Box<dyn Backend>, policy: Policy) -> Self {
        Retrying { inner, policy, sleep: Arc::new(std::thread::sleep) }
    }

    pub fn with_sleeper(inner: Box<dyn Backend>, policy: Policy, sleep: Sleeper) -> Self {
        Retrying { inner, policy, sleep }
    }
}

impl Backend for Retrying {
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
        let started = Instant::now();
        let request = request.due_by(started + self.policy.budget);
        let mut attempt = 1;
        loop {
            let error = match self.inner.synthesize(&request) {
                Ok(audio) => return Ok(audio),
                Err(e) if !e.retryable() => return Err(e),
                Err(e) => e,
            };
            if attempt >= self.policy.max_attempts {
                return Err(error.with_note(&format!("gave up after {attempt} tries")));
            }
            let wait = match &error {
                BackendError::RateLimited { retry_after_s: Some(s), .. } => Duration::from_secs_f64(*s),
                _ => self.policy.backoff(attempt),
            };
            if started.elapsed() + wait > self.policy.budget {
                let budget = trim_float(self.policy.budget.as_secs_f64());
                let why = if started.elapsed() >= self.policy.budget {
                    format!("the {budget} s budget of one utterance is used up")
                } else {
                    format!(
                        "waiting {:.1} s more would pass the {budget} s budget of one utterance",
                        wait.as_secs_f64()
                    )
                };
                let tries = if attempt == 1 { "1 try".to_string() } else { format!("{attempt} tries") };
                return Err(error
                    .with_note(&format!("gave up after {tries}: {why} ([network] budget_s, or --utterance-timeout)")));
            }
            (self.sleep)(wait);
            attempt += 1;
        }
    }

    fn takes_ssml(&self) -> bool {
        self.inner.takes_ssml()
    }
}

/// `2`, `0.5`: seconds without a needless `.0`.
fn trim_float(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::audio::AudioHint;

    /// Answers with the queued results in order.
    struct Script(Mutex<Vec<Result<Audio, BackendError>>>);

    impl Backend for Script {
        fn kind(&self) -> &'static str {
            "script"
        }
        fn engine(&self) -> String {
            "script".into()
        }
        fn synthesize(&self, _: &Request<'_>) -> Result<Audio, BackendError> {
            self.0.lock().unwrap().remove(0)
        }
    }

    fn audio() -> Audio {
        Audio { bytes: vec![1, 2], hint: AudioHint::RawS16Le { rate: 8000, channels: 1 } }
    }

    fn run(results: Vec<Result<Audio, BackendError>>, policy: Policy) -> (Result<Audio, BackendError>, Vec<Duration>) {
        let waits = Arc::new(Mutex::new(Vec::new()));
        let record = waits.clone();
        let r = Retrying::with_sleeper(
            Box::new(Script(Mutex::new(results))),
            policy,
            Arc::new(move |d| record.lock().unwrap().push(d)),
        );
        let result = r.synthesize(&Request::text("x"));
        let waits = waits.lock().unwrap().clone();
        (result, waits)
    }

    fn policy() -> Policy {
        Policy {
            max_attempts: 5,
            budget: Duration::from_secs(60),
            base: Duration::from_millis(100),
            cap: Duration::from_secs(1),
        }
    }

    /// Remembers the deadline it was sent.
    struct Deadlines(Mutex<Vec<Option<Instant>>>);

    impl Backend for Deadlines {
        fn kind(&self) -> &'static str {
            "deadlines"
        }
        fn engine(&self) -> String {
            "deadlines".into()
        }
        fn synthesize(&self, request: &Request<'_>) -> Result<Audio, BackendError> {
            self.0.lock().unwrap().push(request.deadline);
            Ok(audio())
        }
    }

    #[test]
    fn the_budget_goes_down_as_the_deadline_and_an_earlier_one_stays() {
        let seen = Arc::new(Deadlines(Mutex::new(Vec::new())));
        struct Shared(Arc<Deadlines>);
        impl Backend for Shared {
            fn kind(&self) -> &'static str {
                self.0.kind()
            }
            fn engine(&self) -> String {
                self.0.engine()
            }
            fn synthesize(&self, request: &Request<'_>) -> Result<Audio, BackendError> {
                self.0.synthesize(request)
            }
        }
        let r = Retrying::new(Box::new(Shared(seen.clone())), policy());
        let before = Instant::now();
        r.synthesize(&Request::text("x")).unwrap();
        let soon = before + Duration::from_secs(1);
        r.synthesize(&Request::text("x").due_by(soon)).unwrap();
        let deadlines = seen.0.lock().unwrap().clone();
        let first = deadlines[0].unwrap();
        assert!(first >= before + policy().budget && first <= Instant::now() + policy().budget);
        assert_eq!(deadlines[1], Some(soon));
    }

    fn unavailable() -> BackendError {
        BackendError::Unavailable("down".into())
    }

    #[test]
    fn retries_unavailable_with_growing_jittered_backoff() {
        let (r, waits) = run(vec![Err(unavailable()), Err(unavailable()), Ok(audio())], policy());
        assert_eq!(r.unwrap(), audio());
        assert_eq!(waits.len(), 2);
        assert!(waits[0] >= Duration::from_millis(50) && waits[0] <= Duration::from_millis(100), "{waits:?}");
        assert!(waits[1] >= Duration::from_millis(100) && waits[1] <= Duration::from_millis(200), "{waits:?}");
    }

    #[test]
    fn honours_retry_after() {
        let limited = BackendError::RateLimited { retry_after_s: Some(2.5), message: "slow down".into() };
        let (r, waits) = run(vec![Err(limited), Ok(audio())], policy());
        assert!(r.is_ok());
        assert_eq!(waits, vec![Duration::from_millis(2500)]);
    }

    #[test]
    fn rejected_and_quota_fail_at_once() {
        for e in [BackendError::Rejected("bad".into()), BackendError::QuotaExhausted("none left".into())] {
            let (r, waits) = run(vec![Err(e.clone()), Ok(audio())], policy());
            assert_eq!(r.unwrap_err(), e);
            assert!(waits.is_empty());
        }
    }

    #[test]
    fn stops_at_max_attempts_and_at_the_budget() {
        let (r, waits) = run((0..5).map(|_| Err(unavailable())).collect(), policy());
        assert!(r.unwrap_err().to_string().contains("gave up after 5 tries"));
        assert_eq!(waits.len(), 4);
        let limited = BackendError::RateLimited { retry_after_s: Some(120.0), message: "later".into() };
        let (r, waits) = run(vec![Err(limited), Ok(audio())], policy());
        assert!(r.unwrap_err().to_string().contains("budget"));
        assert!(waits.is_empty());
    }
}
