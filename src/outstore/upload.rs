//! One article folder of the staging folder published to `<name>/<file>` in the store.

use std::path::Path;

use super::OutStore;
use super::record::Record;
use crate::outdir::names;
use crate::store::PutMode;

/// How many objects were sent and how many were already there, unchanged.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    pub uploaded: usize,
    pub unchanged: usize,
}

impl Sent {
    pub fn add(&mut self, other: Sent) {
        self.uploaded += other.uploaded;
        self.unchanged += other.unchanged;
    }
}

impl OutStore {
    /// Uploads the files of the article folder `folder` (named `name` in the store) that
    /// changed since the last upload (all of them with `resend`), `manifest.json` last.
    pub fn publish_article(&self, folder: &Path, name: &str, resend: bool) -> Result<Sent, String> {
        let mut files: Vec<String> = std::fs::read_dir(folder)
            .map_err(|e| format!("cannot read the staging folder {}: {e}", folder.display()))?
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|f| !f.starts_with('.') && !names::is_partial(f))
            .collect();
        // The manifest last: whoever sees it sees every file it lists.
        files.sort_by_key(|f| (f == names::MANIFEST, f.clone()));
        let mut record = Record::read(&self.record_path(&format!("article-{name}")));
        let mut sent = Sent::default();
        for file in files {
            let path = folder.join(&file);
            let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let object = format!("{name}/{file}");
            sent.add(self.send(&mut record, &object, &bytes, resend)?);
        }
        Ok(sent)
    }

    /// Puts one object unless the record says these bytes are already there.
    pub(super) fn send(&self, record: &mut Record, object: &str, bytes: &[u8], resend: bool) -> Result<Sent, String> {
        let hash = Record::hash(bytes);
        if !resend && record.unchanged(object, &hash) {
            return Ok(Sent { uploaded: 0, unchanged: 1 });
        }
        self.store
            .put_typed(object, bytes, PutMode::Overwrite, super::content_type::of(object))
            .map_err(|e| self.failed(&e))?;
        record.sent(object, hash).map_err(|e| format!("cannot write the staging record: {e}"))?;
        Ok(Sent { uploaded: 1, unchanged: 0 })
    }
}
