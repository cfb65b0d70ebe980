//! `seedaudio cache stats` and `seedaudio cache prune`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::entry;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub entries: u64,
    pub bytes: u64,
    /// Entries and bytes by backend kind.
    pub by_backend: BTreeMap<String, (u64, u64)>,
}

struct Found {
    path: PathBuf,
    bytes: u64,
    modified: SystemTime,
}

fn entries(dir: &Path) -> Vec<Found> {
    let mut out = Vec::new();
    let Ok(shards) = std::fs::read_dir(dir.join("entries")) else { return out };
    for shard in shards.flatten() {
        let Ok(files) = std::fs::read_dir(shard.path()) else { continue };
        for file in files.flatten() {
            let Ok(meta) = file.metadata() else { continue };
            if meta.is_file() {
                out.push(Found {
                    path: file.path(),
                    bytes: meta.len(),
                    modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                });
            }
        }
    }
    out
}

pub fn stats(dir: &Path) -> Stats {
    let mut stats = Stats::default();
    for found in entries(dir).into_iter().filter(|f| f.path.extension().is_some_and(|e| e == "entry")) {
        let kind = std::fs::read(&found.path).ok().and_then(|b| entry::header(&b)).map_or("unreadable".into(), |h| h.0);
        stats.entries += 1;
        stats.bytes += found.bytes;
        let slot = stats.by_backend.entry(kind).or_default();
        slot.0 += 1;
        slot.1 += found.bytes;
    }
    stats
}

/// Removes entries older than `older_than`, then the oldest until the cache is at most
/// `max_bytes`, and any temporary files left by a killed build. Returns (entries, bytes) removed.
pub fn prune(dir: &Path, older_than: Option<Duration>, max_bytes: Option<u64>) -> (u64, u64) {
    let now = SystemTime::now();
    let mut all = entries(dir);
    all.sort_by_key(|f| f.modified);
    let mut kept: u64 = all.iter().map(|f| f.bytes).sum();
    let (mut removed, mut freed) = (0, 0);
    for f in &all {
        let stale_temp = f.path.extension().is_none_or(|e| e != "entry")
            && now.duration_since(f.modified).unwrap_or_default() > Duration::from_secs(3600);
        let old = older_than.is_some_and(|age| now.duration_since(f.modified).unwrap_or_default() > age);
        let over = max_bytes.is_some_and(|max| kept > max);
        if (stale_temp || old || over) && std::fs::remove_file(&f.path).is_ok() {
            removed += 1;
            freed += f.bytes;
            kept -= f.bytes;
        }
    }
    (removed, freed)
}

/// `30d`, `12h`, `90m`, `45s`.
pub fn parse_age(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (number, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit())?);
    let n: u64 = number.parse().ok()?;
    let seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 604_800,
        _ => return None,
    };
    Some(Duration::from_secs(n * seconds))
}

/// `500M`, `2G`, `800K`, or a plain number of bytes.
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let n: u64 = s[..split].parse().ok()?;
    let factor = match s[split..].trim_end_matches(['B', 'b', 'i']) {
        "" => 1,
        "K" | "k" => 1 << 10,
        "M" | "m" => 1 << 20,
        "G" | "g" => 1 << 30,
        _ => return None,
    };
    Some(n * factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_and_sizes() {
        assert_eq!(parse_age("30d"), Some(Duration::from_secs(30 * 86_400)));
        assert_eq!(parse_age("2h"), Some(Duration::from_secs(7200)));
        assert_eq!(parse_age("soon"), None);
        assert_eq!(parse_size("500M"), Some(500 << 20));
        assert_eq!(parse_size("2GiB"), Some(2 << 30));
        assert_eq!(parse_size("1000"), Some(1000));
        assert_eq!(parse_size("x"), None);
    }
}
