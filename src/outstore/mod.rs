//! Outputs and feeds published to an object store (`--out s3://BUCKET/PREFIX` or
//! `--out file:///PATH`).
//!
//! # How
//! The build runs exactly as with a local `--out`, into a **staging folder** kept under the
//! cache folder (`outputs/<hash of the URL>/`, one article folder each, the feed folder
//! being the staging folder itself): a rerun finds it up to date, a killed build resumes.
//! Then each article folder is **published** to `PREFIX/<name>/<file>`, one PUT per file
//! (atomic per object) with its `Content-Type`, the manifest last: a reader that sees a
//! manifest sees every file it lists. What was uploaded is recorded in the staging folder
//! ([`record`]), so a file whose bytes did not change is not sent again.
//!
//! # Feeds of many workers
//! Each build also publishes its article's feed item as `PREFIX/feed-items/<id>.json`
//! ([`item_doc`]): one object per article, written by the only worker that builds it, so
//! workers never write the same object. The feeds (`feed-free.xml`, `feed-paid.xml`) are
//! assembled from every item listed under `feed-items/` ([`assemble`]): by the build itself
//! when it is the only worker, else by `seedaudio feed --out URL` run once after every shard
//! has finished. Assembling is a pure function of the listed items, so running it again (or
//! late) gives the same feed, and whichever order the shards finished in, every article is
//! listed once. Conditional rewrites of one shared feed object (`If-Match`) were not chosen:
//! every shard would contend on one object, and a shard that dies after its items but before
//! its feed write would leave the feed short with nobody to notice.

pub mod assemble;
pub mod content_type;
pub mod item_doc;
pub mod record;
pub mod upload;

use std::path::{Path, PathBuf};

use crate::store::{Store, StoreError};

/// The staging folder's records of what was uploaded: not part of any article folder.
const RECORDS: &str = ".published";

/// An object store that receives outputs, and the local staging folder that feeds it.
pub struct OutStore {
    pub store: Box<dyn Store>,
    /// The feed folder of the staging builds; article folders inside.
    pub staging: PathBuf,
}

/// Whether `--out` names an object store rather than a folder.
pub fn is_url(out: &Path) -> bool {
    let text = out.to_string_lossy();
    ["s3://", "az://", "azure://", "file://"].iter().any(|scheme| text.starts_with(scheme))
}

impl OutStore {
    /// Opens the store `url` names, with its staging folder under `cache_dir`.
    pub fn open(url: &str, cache_dir: &Path) -> Result<OutStore, String> {
        let store = crate::store::open(url).map_err(|e| e.to_string().replacen("the shared cache", "--out", 1))?;
        // Keyed by the store as described (never a secret: credentials are refused in URLs).
        let key = blake3::hash(store.describe().as_bytes()).to_hex()[..16].to_string();
        let staging = cache_dir.join("outputs").join(key);
        std::fs::create_dir_all(staging.join(RECORDS))
            .map_err(|e| format!("cannot create the staging folder {}: {e}", staging.display()))?;
        Ok(OutStore { store, staging })
    }

    /// The message for a store that failed while publishing: nothing is lost, run again.
    pub fn failed(&self, e: &StoreError) -> String {
        // The stores' generic advice speaks of the shared cache; here it is about outputs.
        let advice = if e.advice.contains("--shared-cache") {
            "check that the store is up, reachable from here and writable with these credentials"
        } else {
            e.advice.as_str()
        };
        format!(
            "publishing to {} failed: {}; {}. Everything built is kept in the staging folder {}: run the same \
             command again to publish what is missing",
            e.store,
            e.message,
            advice,
            self.staging.display()
        )
    }

    fn record_path(&self, what: &str) -> PathBuf {
        self.staging.join(RECORDS).join(format!("{what}.json"))
    }
}
