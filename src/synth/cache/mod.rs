//! A content-addressed store of synthesized utterances.
//!
//! The key ([`key::CacheKey`]) covers everything that changes the audio and nothing else, so
//! the same paragraph in two articles, or moved within one, is synthesized once. Each entry
//! is one file (see [`entry`]) written under a temporary name and renamed, so two builds
//! sharing the cache, or a build killed mid-write, never leave a corrupt entry; an entry that
//! is corrupt all the same (a truncated disk, a hand edit) is found on read and discarded.
//!
//! With a shared store behind it ([`shared`], `--shared-cache`), a lookup reads the local
//! folder, then the store (copying a hit into the folder); a new entry is written to both,
//! the folder first, so a store that goes away loses nothing synthesized.

pub mod entry;
pub mod key;
pub mod maintain;
pub mod shared;
pub mod turn;

use std::path::{Path, PathBuf};

pub use key::CacheKey;

use crate::backend::Audio;

pub struct Cache {
    dir: PathBuf,
    shared: Option<shared::Shared>,
}

/// What a lookup found.
pub enum Lookup {
    Hit(Audio),
    Miss,
    /// An entry was there but damaged; it has been removed. The text says what was wrong.
    Corrupt(String),
    /// The shared store could not be asked: the build cannot go on sharing.
    Unavailable(crate::store::StoreError),
}

/// What to do about an utterance the cache did not hold ([`Cache::turn`]).
pub enum Next<'a> {
    /// Synthesize it; hold the claim (if any) until [`Cache::put`] is done.
    Synthesize(Option<turn::ClaimGuard<'a>>),
    /// Another worker published it meanwhile: its audio, verified.
    Take(Audio),
}

/// Why [`Cache::put`] could not store an entry everywhere.
#[derive(Debug)]
pub enum PutError {
    /// The local folder could not be written (the shared store, if any, was still tried).
    Local(std::io::Error),
    /// The entry is in the local folder but not in the shared store.
    Shared(crate::store::StoreError),
}

impl Cache {
    /// Opens (creating) the cache at `dir`.
    pub fn open(dir: &Path) -> std::io::Result<Cache> {
        std::fs::create_dir_all(dir.join("entries"))?;
        Ok(Cache { dir: dir.to_path_buf(), shared: None })
    }

    /// Puts a shared store behind the local folder.
    pub fn with_shared(mut self, store: Box<dyn crate::store::Store>) -> Cache {
        self.shared = Some(shared::Shared::new(store));
        self
    }

    /// The cache folder: `--cache-dir`, else `$SEEDAUDIO_CACHE`, else `$XDG_CACHE_HOME/seedaudio`,
    /// else `~/.cache/seedaudio`.
    pub fn default_dir(flag: Option<&Path>) -> PathBuf {
        if let Some(dir) = flag {
            return dir.to_path_buf();
        }
        let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        if let Some(dir) = env("SEEDAUDIO_CACHE") {
            return dir;
        }
        if let Some(dir) = env("XDG_CACHE_HOME") {
            return dir.join("seedaudio");
        }
        match env("HOME") {
            Some(home) => home.join(".cache").join("seedaudio"),
            None => std::env::temp_dir().join("seedaudio-cache"),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, key: &CacheKey) -> PathBuf {
        let hex = key.hex();
        self.dir.join("entries").join(&hex[..2]).join(format!("{hex}.entry"))
    }

    /// Whether an entry exists (not whether it is intact).
    pub fn contains(&self, key: &CacheKey) -> bool {
        self.path(key).is_file()
    }

    pub fn get(&self, key: &CacheKey) -> Lookup {
        let path = self.path(key);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(_) => return self.get_shared(key),
        };
        match entry::decode(&bytes) {
            Ok(audio) => Lookup::Hit(audio),
            Err(why) => {
                let _ = std::fs::remove_file(&path);
                Lookup::Corrupt(why)
            }
        }
    }

    /// A local miss asked of the shared store; a hit is kept in the folder too.
    fn get_shared(&self, key: &CacheKey) -> Lookup {
        let Some(shared) = &self.shared else { return Lookup::Miss };
        let bytes = match shared.fetch(key) {
            Err(e) => return Lookup::Unavailable(e),
            Ok(None) => return Lookup::Miss,
            Ok(Some(bytes)) => bytes,
        };
        match entry::decode(&bytes) {
            Ok(audio) => {
                let _ = self.put_local(key, &bytes);
                Lookup::Hit(audio)
            }
            Err(why) => {
                shared.damaged(key);
                Lookup::Corrupt(format!("{why}, in the shared cache {}", shared.describe()))
            }
        }
    }

    /// Before synthesizing what [`Cache::get`] did not find: with a shared store, wait for this
    /// worker's turn ([`turn`]), or take the audio another worker published meanwhile. `lease`
    /// is how long another worker's claim may be held.
    pub fn turn(&self, key: &CacheKey, lease: std::time::Duration) -> Result<Next<'_>, crate::store::StoreError> {
        let Some(shared) = &self.shared else { return Ok(Next::Synthesize(None)) };
        match shared.take_turn(key, lease)? {
            turn::Turn::Mine(claim) => Ok(Next::Synthesize(Some(claim))),
            turn::Turn::Published(bytes) => match entry::decode(&bytes) {
                Ok(audio) => {
                    let _ = self.put_local(key, &bytes);
                    Ok(Next::Take(audio))
                }
                // Damaged: synthesized here and replaced, without waiting again.
                Err(_) => {
                    shared.damaged(key);
                    Ok(Next::Synthesize(None))
                }
            },
        }
    }

    fn put_local(&self, key: &CacheKey, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path(key);
        let folder = path.parent().expect("entries have a folder");
        std::fs::create_dir_all(folder)?;
        crate::outdir::atomic::write_atomic(&path, bytes)
    }

    /// Stores `audio` under `key`: in the folder, replacing what was there, then in the shared
    /// store (created if absent, replaced when `overwrite`).
    pub fn put(&self, key: &CacheKey, kind: &str, audio: &Audio, overwrite: bool) -> Result<(), PutError> {
        let bytes = entry::encode(kind, audio);
        let local = self.put_local(key, &bytes);
        if let Some(shared) = &self.shared {
            shared.put(key, &bytes, overwrite).map_err(PutError::Shared)?;
        }
        local.map_err(PutError::Local)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::AudioHint;

    fn audio() -> Audio {
        Audio {
            bytes: (0..1000u32).flat_map(|i| (i as i16).to_le_bytes()).collect(),
            hint: AudioHint::RawS16Le { rate: 24_000, channels: 1 },
        }
    }

    #[test]
    fn round_trip_and_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path()).unwrap();
        let key = CacheKey::new("identity", "text");
        assert!(matches!(cache.get(&key), Lookup::Miss));
        cache.put(&key, "openai", &audio(), false).unwrap();
        assert!(matches!(cache.get(&key), Lookup::Hit(a) if a == audio()));
        // Truncate the entry on disk.
        let path = cache.path(&key);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 7]).unwrap();
        assert!(matches!(cache.get(&key), Lookup::Corrupt(w) if w.contains("length")));
        assert!(!path.exists(), "a corrupt entry is removed");
        assert!(matches!(cache.get(&key), Lookup::Miss));
    }

    /// Two machines' caches over one shared folder (`file://`, the same code path as S3).
    #[test]
    fn a_shared_store_behind_two_local_caches() {
        let (a_dir, b_dir, shared) =
            (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let store = || Box::new(crate::store::local::LocalStore::open(shared.path()).unwrap());
        let a = Cache::open(a_dir.path()).unwrap().with_shared(store());
        let b = Cache::open(b_dir.path()).unwrap().with_shared(store());
        let key = CacheKey::new("identity", "text");
        a.put(&key, "openai", &audio(), false).unwrap();
        let object = shared.path().join(shared::name(&key));
        assert_eq!(std::fs::read(&object).unwrap(), std::fs::read(a.path(&key)).unwrap(), "same entry, same name");
        assert!(matches!(b.get(&key), Lookup::Hit(x) if x == audio()));
        assert!(b.path(&key).is_file(), "a shared hit is kept locally");

        // A damaged object is reported, and the next put replaces it (a create-if-absent would not).
        let c_dir = tempfile::tempdir().unwrap();
        let c = Cache::open(c_dir.path()).unwrap().with_shared(store());
        let whole = std::fs::read(&object).unwrap();
        std::fs::write(&object, &whole[..whole.len() - 3]).unwrap();
        assert!(matches!(c.get(&key), Lookup::Corrupt(w) if w.contains("in the shared cache file://")));
        c.put(&key, "openai", &audio(), false).unwrap();
        assert!(entry::decode(&std::fs::read(&object).unwrap()).is_ok(), "replaced");
    }
}
