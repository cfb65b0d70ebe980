//! The eSpeak NG data compiled into seedaudio, unpacked where its engines read it.
//!
//! The data (Mandarin and English, about 4 MB) is unpacked once into the data folder
//! (`espeak-ng-data/<crate version>/`, see [`crate::backend::data_dir`]) and read in place by
//! every later run. A copy per run in the temporary folder would be left behind by every run
//! that is killed or interrupted. The copy is made in a temporary sibling, marked complete and
//! renamed into place, so two processes starting at once never read half of it. Where the
//! data folder cannot be written, a temporary copy for this run serves.

use std::path::{Path, PathBuf};

use espeak_ng::EspeakNg;

/// Every language whose data the binary holds.
const LANGUAGES: [&str; 2] = ["cmn", "en"];
/// Written last into a finished copy.
const COMPLETE: &str = ".complete";

/// The unpacked data.
pub enum Bundled {
    /// In the data folder, for every run.
    Kept(PathBuf),
    /// For this run only (removed when dropped).
    ThisRun(tempfile::TempDir),
}

impl Bundled {
    pub fn path(&self) -> &Path {
        match self {
            Bundled::Kept(dir) => dir,
            Bundled::ThisRun(dir) => dir.path(),
        }
    }
}

/// The data, unpacked in the data folder (once) or, failing that, for this run.
pub fn unpacked() -> Result<Bundled, String> {
    let root = crate::backend::data_dir::data_dir(None).join("espeak-ng-data");
    match keep_in(&root) {
        Ok(dir) => Ok(Bundled::Kept(dir)),
        Err(_) => {
            let dir = tempfile::Builder::new()
                .prefix("seedaudio-espeak-")
                .tempdir()
                .map_err(|e| format!("cannot unpack the built-in voice data: {e}"))?;
            espeak_ng::install_bundled_languages(dir.path(), &LANGUAGES)
                .map_err(|e| format!("cannot unpack the built-in voice data: {e}"))?;
            Ok(Bundled::ThisRun(dir))
        }
    }
}

/// `root/<version>`, unpacked there unless a complete copy is there already.
fn keep_in(root: &Path) -> std::io::Result<PathBuf> {
    let dir = root.join(EspeakNg::version());
    if dir.join(COMPLETE).is_file() {
        return Ok(dir);
    }
    std::fs::create_dir_all(root)?;
    let staging = tempfile::Builder::new().prefix(".unpacking-").tempdir_in(root)?;
    espeak_ng::install_bundled_languages(staging.path(), &LANGUAGES)?;
    std::fs::write(staging.path().join(COMPLETE), LANGUAGES.join(" "))?;
    let staging = staging.keep();
    let mut placed = std::fs::rename(&staging, &dir);
    if placed.is_err() && !dir.join(COMPLETE).is_file() {
        // An unfinished copy is in the way: replace it, once (a second failure is reported,
        // and the caller unpacks for this run instead).
        let _ = std::fs::remove_dir_all(&dir);
        placed = std::fs::rename(&staging, &dir);
    }
    if let Err(e) = placed {
        // Another process finished first (its copy is used), or the data folder refuses us.
        let _ = std::fs::remove_dir_all(&staging);
        if !dir.join(COMPLETE).is_file() {
            return Err(e);
        }
    }
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_is_unpacked_once_and_completed_copies_are_reused() {
        let root = tempfile::tempdir().unwrap();
        let dir = keep_in(root.path()).unwrap();
        assert!(dir.join(COMPLETE).is_file() && dir.join("phontab").is_file());
        let stamp = std::fs::metadata(dir.join(COMPLETE)).unwrap().modified().unwrap();
        assert_eq!(keep_in(root.path()).unwrap(), dir);
        assert_eq!(std::fs::metadata(dir.join(COMPLETE)).unwrap().modified().unwrap(), stamp);
        let left: Vec<_> = std::fs::read_dir(root.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left.len(), 1, "no staging folder is left: {left:?}");
    }

    #[test]
    fn an_unfinished_copy_is_replaced() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(EspeakNg::version());
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("phontab"), b"half").unwrap();
        let again = keep_in(root.path()).unwrap();
        assert_eq!(again, dir);
        assert!(dir.join(COMPLETE).is_file());
        assert!(std::fs::metadata(dir.join("phontab")).unwrap().len() > 4);
    }

    #[test]
    fn racing_processes_share_one_copy() {
        let root = tempfile::tempdir().unwrap();
        let dirs: Vec<PathBuf> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4).map(|_| s.spawn(|| keep_in(root.path()).unwrap())).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(dirs.iter().all(|d| d == &dirs[0] && d.join(COMPLETE).is_file()));
        let left = std::fs::read_dir(root.path()).unwrap().count();
        assert_eq!(left, 1);
    }
}
