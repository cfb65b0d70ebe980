//! Whose turn it is to synthesize an utterance that the shared store does not hold yet, so
//! that workers on several machines never pay for one paragraph twice.
//!
//! Before synthesizing, a worker creates a claim object `claims/ab/<key>.claim` (created only
//! if absent, so exactly one worker gets it) and looks once more for the entry (published
//! just before it claimed). The others wait for the entry to appear and
//! take it from the store. The claim is removed once the entry is published, or when the
//! worker gives up on the utterance (its error, Ctrl-C), so a waiter then claims it itself.
//!
//! A worker killed with SIGKILL leaves its claims behind. A claim is taken over when:
//! - it is older (by the time written in it) than the lease, the longest one utterance may
//!   take (the voice's `[network] budget_s`, `--utterance-timeout`) plus a margin;
//! - a waiter has itself waited for it longer than that (clocks that disagree);
//! - it names a process on this same host that is no longer running (a restarted shard
//!   does not wait for the claims of the process it replaces).
//!
//! The claim holds the host name, process id and time: no secret, no text.

use std::time::{Duration, Instant, SystemTime};

use super::CacheKey;
use crate::store::{Put, PutMode, Store, StoreError};

/// Added to the voice's budget: the time to publish an entry after synthesizing it.
pub const LEASE_MARGIN: Duration = Duration::from_secs(10);

/// What [`take`] found.
pub enum Turn<'a> {
    /// This worker holds the claim: synthesize, publish, then drop the guard.
    Mine(ClaimGuard<'a>),
    /// Another worker published the entry while this one waited: its bytes (not yet verified).
    Published(Vec<u8>),
}

/// A claim held by this process; dropping it removes the claim object.
pub struct ClaimGuard<'a> {
    store: &'a dyn Store,
    name: String,
}

impl Drop for ClaimGuard<'_> {
    fn drop(&mut self) {
        // A claim left behind only makes others wait for its lease.
        let _ = self.store.delete(&self.name);
    }
}

/// The claim's object name: `claims/ab/ab12….claim`.
pub fn claim_name(key: &CacheKey) -> String {
    let hex = key.hex();
    format!("claims/{}/{hex}.claim", &hex[..2])
}

/// Claims `key`'s turn, or waits until the worker holding it publishes the entry `entry`.
pub fn take<'a>(store: &'a dyn Store, key: &CacheKey, entry: &str, lease: Duration) -> Result<Turn<'a>, StoreError> {
    let name = claim_name(key);
    let started = Instant::now();
    let mut delay = Duration::from_millis(50);
    loop {
        let body = claim_body();
        if store.put(&name, body.as_bytes(), PutMode::IfAbsent)? == Put::Written {
            let claim = ClaimGuard { store, name };
            // The turn may have been passed on because the entry was just published.
            return Ok(match store.get(entry)? {
                Some(bytes) => Turn::Published(bytes),
                None => Turn::Mine(claim),
            });
        }
        if let Some(bytes) = store.get(entry)? {
            return Ok(Turn::Published(bytes));
        }
        match store.get(&name)? {
            // Given up between our two looks: try again at once.
            None => continue,
            Some(held) if started.elapsed() > lease || stale(&String::from_utf8_lossy(&held), lease) => {
                store.put(&name, body.as_bytes(), PutMode::Overwrite)?;
                return Ok(Turn::Mine(ClaimGuard { store, name }));
            }
            Some(_) => {}
        }
        std::thread::sleep(delay);
        delay = (delay * 2).min(Duration::from_secs(1));
    }
}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

/// `host <name>\npid <id>\nsince <unix seconds>\n`.
fn claim_body() -> String {
    format!("host {}\npid {}\nsince {}\n", host(), std::process::id(), now_secs())
}

fn field<'t>(body: &'t str, name: &str) -> Option<&'t str> {
    body.lines().find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
}

/// Whether a claim with this body may be taken over: past its lease, or held by a process of
/// this host that is gone. A body that cannot be read is left to the waiter's own clock.
fn stale(body: &str, lease: Duration) -> bool {
    if let Some(since) = field(body, "since").and_then(|s| s.parse::<u64>().ok())
        && now_secs().saturating_sub(since) > lease.as_secs()
    {
        return true;
    }
    let pid = field(body, "pid").and_then(|p| p.parse::<u32>().ok());
    match (field(body, "host"), pid) {
        (Some(h), Some(pid)) if h == host() && pid != std::process::id() => !process_alive(pid),
        _ => false,
    }
}

fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") { std::path::Path::new(&format!("/proc/{pid}")).exists() } else { true }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::local::LocalStore;

    fn key(text: &str) -> CacheKey {
        CacheKey::new("voice", text)
    }

    #[test]
    fn one_worker_gets_the_turn_and_the_other_takes_what_it_published() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalStore::open(dir.path()).unwrap();
        let k = key("一段话");
        let entry = "entries/xx/one.entry";
        let mine = match take(&store, &k, entry, Duration::from_secs(30)).unwrap() {
            Turn::Mine(guard) => guard,
            Turn::Published(_) => panic!("nothing was published"),
        };
        let waiter = std::thread::scope(|s| {
            let waiting = s.spawn(|| take(&store, &k, entry, Duration::from_secs(30)).unwrap());
            std::thread::sleep(Duration::from_millis(200));
            store.put(entry, b"audio", PutMode::IfAbsent).unwrap();
            drop(mine);
            waiting.join().unwrap()
        });
        assert!(matches!(waiter, Turn::Published(ref b) if b == b"audio"));
        assert_eq!(store.get(&claim_name(&k)).unwrap(), None, "the claim is gone once published");
    }

    #[test]
    fn a_claim_given_up_passes_the_turn_on() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalStore::open(dir.path()).unwrap();
        let k = key("另一段");
        let first = take(&store, &k, "entries/xx/two.entry", Duration::from_secs(30)).unwrap();
        let second = std::thread::scope(|s| {
            let waiting = s.spawn(|| take(&store, &k, "entries/xx/two.entry", Duration::from_secs(30)).unwrap());
            std::thread::sleep(Duration::from_millis(150));
            drop(first);
            waiting.join().unwrap()
        });
        assert!(matches!(second, Turn::Mine(_)));
    }

    #[test]
    fn old_claims_and_claims_of_dead_processes_are_stale() {
        let lease = Duration::from_secs(60);
        let old = format!("host elsewhere\npid 1\nsince {}\n", now_secs() - 120);
        assert!(stale(&old, lease));
        let fresh = format!("host elsewhere\npid 1\nsince {}\n", now_secs());
        assert!(!stale(&fresh, lease));
        // A process of this host that has ended: pid_max is at most 2^22 on Linux.
        let dead = format!("host {}\npid 4194305\nsince {}\n", host(), now_secs());
        assert_eq!(stale(&dead, lease), cfg!(target_os = "linux"));
        let alive = format!("host {}\npid {}\nsince {}\n", host(), std::process::id(), now_secs());
        assert!(!stale(&alive, lease), "our own claim is not stale");
        assert!(!stale("garbage", lease));
    }
}
