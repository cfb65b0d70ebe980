//! Removing what an earlier build of the same article left and this one did not write.
//!
//! A rebuild can have fewer chapters, other titles (so other slugs) or another format; the
//! files of the old build would otherwise sit next to the new ones and end up published.
//! Only names [`names::is_build_file`] recognises are touched: whatever else the user keeps
//! in the folder stays.

use std::collections::HashSet;
use std::path::Path;

use super::names;

/// Removes every build file in `out` (audio, chapter lists, and companions with one of
/// `companion_extensions`) whose name is not in `keep` (the files this build wrote). Best
/// effort: a file that cannot be removed stays.
pub fn remove_stale(out: &Path, keep: &HashSet<String>, companion_extensions: &[&str]) {
    let Ok(entries) = std::fs::read_dir(out) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if names::is_build_file(&name, companion_extensions) && !keep.contains(&name) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_build_files_go_and_everything_else_stays() {
        let dir = tempfile::tempdir().unwrap();
        let all = [
            "00-opening.wav",
            "100-free.wav",
            "100-free.vtt",
            "01-free.mp3",
            "notes.txt",
            "cover.jpg",
            names::OUT_LOCK,
        ];
        for name in all {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        remove_stale(dir.path(), &HashSet::from(["00-opening.wav".to_string()]), &["vtt", "srt"]);
        let mut left: Vec<String> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
        left.sort();
        assert_eq!(left, [names::OUT_LOCK, "00-opening.wav", "cover.jpg", "notes.txt"]);
    }
}
