//! The shared half of a two-level cache: entries in an object store (`--shared-cache URL`)
//! behind the local folder, under the same names and in the same format, so they are
//! verified on read the same way.

use std::collections::HashSet;
use std::sync::Mutex;

use super::CacheKey;
use super::turn::{self, Turn};
use crate::store::{PutMode, Store, StoreError};

pub struct Shared {
    store: Box<dyn Store>,
    /// Names found damaged this run: the audio synthesized in their place overwrites them
    /// (a conditional create would leave the damaged object there for good).
    damaged: Mutex<HashSet<String>>,
}

/// An entry's object name, the same path as in the local folder: `entries/ab/ab12….entry`.
pub fn name(key: &CacheKey) -> String {
    let hex = key.hex();
    format!("entries/{}/{hex}.entry", &hex[..2])
}

impl Shared {
    pub fn new(store: Box<dyn Store>) -> Shared {
        Shared { store, damaged: Mutex::new(HashSet::new()) }
    }

    pub fn describe(&self) -> &str {
        self.store.describe()
    }

    /// The entry's bytes as stored (not yet verified), or `None`.
    pub fn fetch(&self, key: &CacheKey) -> Result<Option<Vec<u8>>, StoreError> {
        self.store.get(&name(key))
    }

    /// This worker's turn to synthesize `key`, or the entry another worker published while
    /// this one waited for its turn ([`turn`]).
    pub fn take_turn(&self, key: &CacheKey, lease: std::time::Duration) -> Result<Turn<'_>, StoreError> {
        turn::take(self.store.as_ref(), key, &name(key), lease)
    }

    /// Notes that the entry failed verification: the next [`Shared::put`] of it replaces it.
    pub fn damaged(&self, key: &CacheKey) {
        self.damaged.lock().unwrap_or_else(|p| p.into_inner()).insert(name(key));
    }

    /// Publishes an encoded entry: created only if absent (a racing worker's copy is as
    /// good), replacing it when `overwrite` or when this run found the object damaged.
    pub fn put(&self, key: &CacheKey, bytes: &[u8], overwrite: bool) -> Result<(), StoreError> {
        let name = name(key);
        let damaged = self.damaged.lock().unwrap_or_else(|p| p.into_inner()).remove(&name);
        let mode = if overwrite || damaged { PutMode::Overwrite } else { PutMode::IfAbsent };
        self.store.put(&name, bytes, mode).map(|_| ())
    }
}
