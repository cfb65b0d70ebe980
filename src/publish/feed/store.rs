//! `feed-items.json`: every article the feed folder's feeds list, and the channel settings
//! given so far. The feeds are rewritten from it on every build, so building one article
//! adds to the feeds instead of replacing them.

use std::fs::File;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::FeedError;
use super::channel::Channel;
use super::item::FeedItem;
use crate::outdir::atomic::write_atomic;

pub const ITEMS_FILE: &str = crate::outdir::names::FEED_ITEMS;
/// Taken (exclusively) while the store is read, changed and the feeds written, so two builds
/// into the same feed folder never lose each other's item. An empty file; it stays.
pub const LOCK_FILE: &str = crate::outdir::names::FEED_LOCK;
const VERSION: u32 = 1;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Store {
    pub version: u32,
    pub channel: Channel,
    /// Newest first.
    pub items: Vec<FeedItem>,
}

impl Store {
    /// The store in `feed_dir`, or an empty one when there is none yet.
    pub fn read(feed_dir: &Path) -> Result<Store, FeedError> {
        let path = feed_dir.join(ITEMS_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Store { version: VERSION, ..Store::default() });
            }
            Err(source) => return Err(FeedError::Io { path, source }),
        };
        let store: Store =
            serde_json::from_str(&text).map_err(|e| FeedError::Store { path: path.clone(), message: e.to_string() })?;
        if store.version != VERSION {
            return Err(FeedError::Store {
                path,
                message: format!("it is format version {}, this seedaudio writes version {VERSION}", store.version),
            });
        }
        Ok(store)
    }

    pub fn write(&self, feed_dir: &Path) -> Result<(), FeedError> {
        let path = feed_dir.join(ITEMS_FILE);
        let mut json = serde_json::to_string_pretty(self).expect("the store serializes");
        json.push('\n');
        write_atomic(&path, json.as_bytes()).map_err(|source| FeedError::Io { path, source })
    }

    /// Adds `item`, or replaces the item with the same id while keeping its first
    /// publication time; then orders the items newest first (the later-added first on a tie).
    pub fn upsert(&mut self, mut item: FeedItem) {
        if let Some(at) = self.items.iter().position(|old| old.id == item.id) {
            item.published = self.items.remove(at).published;
            self.items.insert(at, item);
        } else {
            self.items.insert(0, item);
        }
        self.items.sort_by_key(|item| std::cmp::Reverse(item.published));
    }
}

/// Holds the feed folder's lock until dropped.
pub struct Lock {
    _file: File,
}

impl Lock {
    /// Waits for the feed folder's lock (another build may be writing its feeds).
    pub fn take(feed_dir: &Path) -> Result<Lock, FeedError> {
        let path: PathBuf = feed_dir.join(LOCK_FILE);
        let io = |source| FeedError::Io { path: path.clone(), source };
        let file = File::options().create(true).truncate(false).write(true).open(&path).map_err(io)?;
        file.lock().map_err(io)?;
        Ok(Lock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::feed::item::Enclosure;

    fn item(id: &str, published: u64, bytes: u64) -> FeedItem {
        let enclosure = Enclosure {
            path: format!("{id}/episode-full.mp3"),
            bytes,
            mime: "audio/mpeg".into(),
            duration_s: 1.0,
            description: String::new(),
            chapters: None,
            transcripts: vec![],
        };
        FeedItem {
            id: id.into(),
            title: id.into(),
            language: None,
            author: None,
            published,
            free: None,
            full: enclosure,
        }
    }

    #[test]
    fn replaces_by_id_and_keeps_the_first_date() {
        let mut store = Store::default();
        store.upsert(item("a", 100, 1));
        store.upsert(item("b", 200, 2));
        store.upsert(item("a", 300, 3));
        let ids: Vec<_> = store.items.iter().map(|i| (i.id.as_str(), i.published, i.full.bytes)).collect();
        assert_eq!(ids, [("b", 200, 2), ("a", 100, 3)]);
    }

    #[test]
    fn a_tie_puts_the_later_added_first() {
        let mut store = Store::default();
        store.upsert(item("a", 100, 1));
        store.upsert(item("b", 100, 1));
        assert_eq!(store.items[0].id, "b");
    }

    #[test]
    fn round_trip_and_bad_files() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Store::read(dir.path()).unwrap().items.is_empty());
        let mut store = Store::read(dir.path()).unwrap();
        store.upsert(item("a", 1, 1));
        store.channel.title = Some("t".into());
        store.write(dir.path()).unwrap();
        assert_eq!(Store::read(dir.path()).unwrap(), store);

        std::fs::write(dir.path().join(ITEMS_FILE), "{").unwrap();
        let err = Store::read(dir.path()).unwrap_err().to_string();
        assert!(err.contains(ITEMS_FILE), "{err}");
        std::fs::write(dir.path().join(ITEMS_FILE), r#"{"version":9,"channel":{},"items":[]}"#).unwrap();
        let err = Store::read(dir.path()).unwrap_err().to_string();
        assert!(err.contains("version 9"), "{err}");
    }
}
