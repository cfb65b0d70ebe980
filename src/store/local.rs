//! A store in a local (or network-mounted) folder: `file:///path`.

use std::path::{Path, PathBuf};

use super::{Put, PutMode, Store, StoreError};

pub struct LocalStore {
    root: PathBuf,
    url: String,
}

impl LocalStore {
    pub fn open(root: &Path) -> Result<LocalStore, StoreError> {
        let store = LocalStore { root: root.to_path_buf(), url: format!("file://{}", root.display()) };
        std::fs::create_dir_all(root).map_err(|e| store.error("cannot create the folder", &e))?;
        Ok(store)
    }

    fn error(&self, what: &str, e: &std::io::Error) -> StoreError {
        StoreError {
            store: self.url.clone(),
            message: format!("{what}: {e}"),
            advice: "check that the folder exists and can be written, or drop --shared-cache".into(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }
}

impl Store for LocalStore {
    fn describe(&self) -> &str {
        &self.url
    }

    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        match std::fs::read(self.path(name)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.error(&format!("cannot read {name}"), &e)),
        }
    }

    fn head(&self, name: &str) -> Result<bool, StoreError> {
        Ok(self.path(name).is_file())
    }

    fn put_typed(&self, name: &str, bytes: &[u8], mode: PutMode, _content_type: &str) -> Result<Put, StoreError> {
        let path = self.path(name);
        let folder = path.parent().expect("names have a folder");
        std::fs::create_dir_all(folder).map_err(|e| self.error("cannot create a folder", &e))?;
        match mode {
            PutMode::Overwrite => {
                crate::outdir::atomic::write_atomic(&path, bytes).map_err(|e| self.error("cannot write", &e))?;
                Ok(Put::Written)
            }
            PutMode::IfAbsent => {
                // Written whole under a temporary name, then linked into place: linking fails
                // when the name is taken, so the first writer wins and nobody sees half a file.
                let temp = tempfile::NamedTempFile::new_in(folder).map_err(|e| self.error("cannot write", &e))?;
                std::fs::write(temp.path(), bytes).map_err(|e| self.error("cannot write", &e))?;
                match std::fs::hard_link(temp.path(), &path) {
                    Ok(()) => Ok(Put::Written),
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(Put::Exists),
                    Err(e) => Err(self.error("cannot publish", &e)),
                }
            }
        }
    }

    fn list(&self, folder: &str) -> Result<Vec<String>, StoreError> {
        let mut names = Vec::new();
        let mut pending = vec![folder.trim_end_matches('/').to_string()];
        while let Some(sub) = pending.pop() {
            let entries = match std::fs::read_dir(self.path(&sub)) {
                Ok(entries) => entries,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(self.error(&format!("cannot list {sub}"), &e)),
            };
            for entry in entries.flatten() {
                let file = entry.file_name().to_string_lossy().into_owned();
                // Temporary files of a write in progress start with a dot.
                if file.starts_with('.') {
                    continue;
                }
                let name = format!("{sub}/{file}");
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    pending.push(name);
                } else {
                    names.push(name);
                }
            }
        }
        Ok(names)
    }

    fn delete(&self, name: &str) -> Result<(), StoreError> {
        match std::fs::remove_file(self.path(name)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(self.error(&format!("cannot remove {name}"), &e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_writer_wins_and_overwrite_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalStore::open(dir.path()).unwrap();
        assert_eq!(store.get("entries/ab/x.entry").unwrap(), None);
        assert_eq!(store.put("entries/ab/x.entry", b"one", PutMode::IfAbsent).unwrap(), Put::Written);
        assert_eq!(store.put("entries/ab/x.entry", b"two", PutMode::IfAbsent).unwrap(), Put::Exists);
        assert_eq!(store.get("entries/ab/x.entry").unwrap().unwrap(), b"one");
        assert_eq!(store.put("entries/ab/x.entry", b"three", PutMode::Overwrite).unwrap(), Put::Written);
        assert_eq!(store.get("entries/ab/x.entry").unwrap().unwrap(), b"three");
        assert!(store.head("entries/ab/x.entry").unwrap());
        let left: Vec<_> = std::fs::read_dir(dir.path().join("entries/ab")).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left");
        assert_eq!(store.list("entries/").unwrap(), ["entries/ab/x.entry"]);
        store.delete("entries/ab/x.entry").unwrap();
        store.delete("entries/ab/x.entry").unwrap();
        assert_eq!(store.get("entries/ab/x.entry").unwrap(), None);
    }
}
