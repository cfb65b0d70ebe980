//! What a finished build offers to open next: the player page and the episodes, by path.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::outdir::names;
use crate::publish::manifest::EpisodeEntry;

/// A file to open, what it is, and how long it plays.
#[derive(Debug, Clone, PartialEq)]
pub struct Next {
    pub path: PathBuf,
    pub what: &'static str,
    pub seconds: Option<f64>,
}

/// The files to open in `out` after a build that wrote `episodes`: the player page (written
/// with the full episode), then the full episode, then the free one.
pub fn files(out: &Path, episodes: &[EpisodeEntry]) -> Vec<Next> {
    let episode = |kind: &str| episodes.iter().find(|e| e.kind == kind);
    let mut next = Vec::new();
    if let Some(full) = episode("full") {
        next.push(Next {
            path: out.join(names::PLAYER),
            what: "the player page (chapters, captions, transcript)",
            seconds: None,
        });
        next.push(Next {
            path: out.join(&full.file),
            what: "the full episode: every chapter",
            seconds: Some(full.duration),
        });
    }
    if let Some(free) = episode("free") {
        next.push(Next { path: out.join(&free.file), what: "the free preview", seconds: Some(free.duration) });
    }
    next
}

/// The same for a folder an earlier build left up to date, from its manifest (nothing when
/// it cannot be read).
pub fn from_manifest(out: &Path) -> Vec<Next> {
    #[derive(Deserialize)]
    struct Episodes {
        episodes: Vec<EpisodeEntry>,
    }
    std::fs::read_to_string(out.join(names::MANIFEST))
        .ok()
        .and_then(|text| serde_json::from_str::<Episodes>(&text).ok())
        .map(|m| files(out, &m.episodes))
        .unwrap_or_default()
}
