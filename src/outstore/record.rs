//! What was uploaded last time: object name → BLAKE3 of its bytes, one small JSON file per
//! article (and one for the feeds) in the staging folder. A file whose hash matches is not
//! sent again; the store is not read back to find out.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub struct Record {
    path: PathBuf,
    sent: BTreeMap<String, String>,
}

impl Record {
    /// The record at `path`; an unreadable or missing one is empty (everything is sent).
    pub fn read(path: &Path) -> Record {
        let sent = std::fs::read(path).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default();
        Record { path: path.to_path_buf(), sent }
    }

    pub fn hash(bytes: &[u8]) -> String {
        blake3::hash(bytes).to_hex().to_string()
    }

    /// Whether `object` was last uploaded with exactly these bytes.
    pub fn unchanged(&self, object: &str, hash: &str) -> bool {
        self.sent.get(object).is_some_and(|h| h == hash)
    }

    /// Notes `object` as uploaded and saves the record at once, so a run killed later does
    /// not send it again.
    pub fn sent(&mut self, object: &str, hash: String) -> std::io::Result<()> {
        self.sent.insert(object.to_string(), hash);
        let json = serde_json::to_vec_pretty(&self.sent).expect("a map of strings serializes");
        crate::outdir::atomic::write_atomic(&self.path, &json)
    }
}
