//! Skipping a build whose outputs are already there: like `make`, but on content.
//!
//! A build's fingerprint hashes everything its files depend on: the program version, the plan
//! (every utterance's text, spoken form and pause), the audio identity of every request (the
//! voice, its settings and engine, as in the cache keys) and the settings that shape the
//! output. The manifest keeps the fingerprint and the size and modification time of every
//! file the build left in the output folder. When a new build has the same fingerprint and
//! every one of those files is still as it was, nothing is synthesized or written.

use std::path::Path;
use std::time::UNIX_EPOCH;

use serde::Deserialize;

use crate::outdir::names;
use crate::plan::Plan;
use crate::publish::manifest::{FileStamp, Stamp};
use crate::synth::Synthesizer;

/// The fingerprint of a build. `settings` is every output-shaping setting, written out by the
/// caller (anything whose change must rebuild the files).
pub fn fingerprint(plan: &Plan, synth: &Synthesizer, settings: &str) -> String {
    let mut h = blake3::Hasher::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(b"\0");
    h.update(serde_json::to_string(plan).expect("a plan is plain data").as_bytes());
    h.update(b"\0");
    for (_, u) in plan.utterances() {
        if u.spoken {
            let voice = &synth.primary;
            h.update(voice.key(voice.request(u)).hex().as_bytes());
        }
    }
    h.update(b"\0");
    if let Some(fallback) = &synth.fallback {
        h.update(fallback.preset.name.as_bytes());
    }
    h.update(b"\0");
    h.update(settings.as_bytes());
    h.finalize().to_hex().to_string()
}

/// The stamp of a finished build into `out`: its fingerprint and the files there now.
pub fn stamp(out: &Path, fingerprint: String) -> std::io::Result<Stamp> {
    Ok(Stamp { fingerprint, files: stamp_files(out)? })
}

/// The files in `out` now (not hidden ones, not the manifest), by name.
pub fn stamp_files(out: &Path) -> std::io::Result<Vec<FileStamp>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(out)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == names::MANIFEST {
            continue;
        }
        let meta = entry.metadata()?;
        if !meta.is_file() {
            continue;
        }
        let modified_ns = meta.modified()?.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        files.push(FileStamp { name, bytes: meta.len(), modified_ns });
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

/// Whether `out` holds the complete result of a build with this fingerprint.
pub fn is_up_to_date(out: &Path, fingerprint: &str) -> bool {
    #[derive(Deserialize)]
    struct Partial {
        build: Option<Stamp>,
    }
    let Ok(text) = std::fs::read_to_string(out.join(names::MANIFEST)) else { return false };
    let Ok(Partial { build: Some(stamp) }) = serde_json::from_str::<Partial>(&text) else { return false };
    stamp.fingerprint == fingerprint && !stamp.files.is_empty() && stamp_files(out).is_ok_and(|now| now == stamp.files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest_with(out: &Path, fingerprint: &str) {
        let stamp = Stamp { fingerprint: fingerprint.into(), files: stamp_files(out).unwrap() };
        let json = serde_json::json!({ "format_version": 1, "build": stamp });
        std::fs::write(out.join("manifest.json"), json.to_string()).unwrap();
    }

    #[test]
    fn unchanged_files_and_fingerprint_are_up_to_date() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("00-opening.wav"), b"abc").unwrap();
        manifest_with(dir.path(), "f1");
        assert!(is_up_to_date(dir.path(), "f1"));
        assert!(!is_up_to_date(dir.path(), "f2"));
    }

    #[test]
    fn a_changed_missing_or_new_file_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("00-opening.wav");
        std::fs::write(&file, b"abc").unwrap();
        manifest_with(dir.path(), "f1");
        std::fs::write(&file, b"abcd").unwrap();
        assert!(!is_up_to_date(dir.path(), "f1"));
        manifest_with(dir.path(), "f1");
        std::fs::write(dir.path().join("extra.vtt"), b"x").unwrap();
        assert!(!is_up_to_date(dir.path(), "f1"));
        std::fs::remove_file(dir.path().join("extra.vtt")).unwrap();
        std::fs::remove_file(&file).unwrap();
        assert!(!is_up_to_date(dir.path(), "f1"));
    }

    #[test]
    fn no_manifest_or_no_stamp_is_not() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!is_up_to_date(dir.path(), "f1"));
        std::fs::write(dir.path().join("manifest.json"), b"{\"format_version\":1}").unwrap();
        assert!(!is_up_to_date(dir.path(), "f1"));
    }
}
