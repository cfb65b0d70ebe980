//! M4A chapters (for `--format m4b`): each written WAV chapter encoded to AAC in an M4A file
//! (its tags and section chapters), then the WAV removed. Runs after the episodes are
//! encoded from the WAVs.
//!
//! Chapter files are `.m4a`, not `.m4b`: one chapter is a piece of the book, not a book, and
//! players file an `.m4b` under audiobooks (remembering its position) where a chapter would
//! be a stray entry. The bytes are the same kind; only the brand (`M4A `) and the media kind
//! differ.

use std::path::Path;

use super::error::{PublishError, io};
use super::m4b::{Kind, M4bSettings};
use super::manifest::Manifest;
use super::settings::{Format, PublishSettings};
use super::tags::tags;
use super::track::{self, TrackKind};
use crate::outdir::names;

/// Encodes every written chapter of `record` in `out`; returns their new file names by
/// manifest index.
pub fn encode_chapters(
    out: &Path,
    record: &Manifest,
    settings: &PublishSettings,
) -> Result<Vec<(usize, String)>, PublishError> {
    let mut files = Vec::new();
    for t in track::chapter_tracks(record) {
        let TrackKind::Chapter(i) = t.kind else { continue };
        let wav = out.join(names::audio(&t.stem, Format::Wav.extension()));
        let name = names::audio(&t.stem, Format::M4b.chapter_extension());
        let m4a = out.join(&name);
        let encoding = M4bSettings { kbps: settings.kbps };
        super::m4b::encode_wavs(&[&wav], &m4a, &t, &tags(record, settings, Some(i)), Kind::Audio, &encoding)
            .map_err(|e| PublishError::Other(format!("{}: {e}", m4a.display())))?;
        std::fs::remove_file(&wav).map_err(io(&wav))?;
        files.push((i, name));
    }
    Ok(files)
}
