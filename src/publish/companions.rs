//! The files that go with an audio file: its transcripts (WebVTT, SubRip), for an episode
//! its podcast chapter list, and for the full episode the player page. Each is written whole
//! under a temporary name.

use std::path::Path;

use super::error::{PublishError, io};
use super::manifest::Manifest;
use super::player::{PlayerPage, player_page};
use super::settings::Format;
use super::track::Track;
use super::transcript;
use crate::outdir::atomic::write_atomic;
use crate::outdir::names;

/// Writes the track's transcripts, one per [`transcript::FORMATS`]; returns their names.
pub fn write_transcripts(out: &Path, track: &Track) -> Result<Vec<String>, PublishError> {
    let mut written = Vec::new();
    for format in transcript::FORMATS {
        let name = names::companion(&track.stem, format.extension);
        let path = out.join(&name);
        write_atomic(&path, (format.write)(track).as_bytes()).map_err(io(&path))?;
        written.push(name);
    }
    Ok(written)
}

/// Writes `<stem>.chapters.json`; returns its name.
pub fn write_chapter_list(out: &Path, track: &Track) -> Result<String, PublishError> {
    let name = names::chapter_list(&track.stem);
    let path = out.join(&name);
    write_atomic(&path, super::chapters_json::podcast_chapters(track).as_bytes()).map_err(io(&path))?;
    Ok(name)
}

/// Writes `index.html`, playing `full` (the full episode's track, its audio in `format`).
pub fn write_player_page(out: &Path, record: &Manifest, full: &Track, format: Format) -> Result<(), PublishError> {
    let page = player_page(&PlayerPage {
        title: &record.article.title,
        language: &record.voice.language,
        audio_file: &names::audio(&full.stem, format.extension()),
        audio_mime: format.mime(),
        captions_file: &transcript::captions(&full.stem),
        track: full,
    });
    let index = out.join(names::PLAYER);
    write_atomic(&index, page.as_bytes()).map_err(io(&index))
}
