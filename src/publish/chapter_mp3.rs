//! MP3 chapters: each written WAV chapter encoded to MP3 (with its tags and section
//! chapters), then the WAV removed. Runs after the episodes are joined from the WAVs.

use std::path::Path;

use super::error::{PublishError, io};
use super::manifest::Manifest;
use super::settings::{Format, PublishSettings};
use super::tags::{mp3_settings, tags};
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
        let mp3_name = names::audio(&t.stem, Format::Mp3.extension());
        let mp3 = out.join(&mp3_name);
        super::mp3::encode_wav(&wav, &mp3, &t, &tags(record, settings, Some(i)), &mp3_settings(settings))
            .map_err(|e| PublishError::Other(format!("{}: {e}", mp3.display())))?;
        std::fs::remove_file(&wav).map_err(io(&wav))?;
        files.push((i, mp3_name));
    }
    Ok(files)
}
