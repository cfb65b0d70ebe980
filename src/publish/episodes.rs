//! The two episodes: the free preview (the free chapters, then the call to action) and the
//! full episode (every chapter), joined from the WAV chapters.
//!
//! MP3 and M4B episodes are encoded straight from the chapter WAVs, so a long book's episode never
//! needs a WAV past the format's 4 GB; a WAV episode that would pass it is not written (a
//! note says so).

use std::path::{Path, PathBuf};

use super::episode_wav;
use super::error::{PublishError, io};
use super::m4b::{Kind, M4bSettings};
use super::manifest::{self, EpisodeEntry, Manifest, MarkEntry};
use super::settings::{Format, PublishSettings};
use super::tags::{mp3_settings, tags};
use super::track::{self, Track, TrackKind};
use crate::loudness::{self, FileLoudness};
use crate::outdir::names;

/// The call to action as an episode needs it.
#[derive(Clone, Copy)]
pub struct Ending<'a> {
    pub text: &'a str,
    /// 16-bit samples at the output rate.
    pub pcm: &'a [i16],
    pub loudness: &'a FileLoudness,
}

/// One episode: its timeline and its chapters (manifest indices, in order).
pub struct Episode {
    pub track: Track,
    pub chapters: Vec<usize>,
}

/// The free and the full episode of `record`; the free one ends with `ending`.
pub fn plan(record: &Manifest, ending: Option<Ending>, rate: u32) -> [Episode; 2] {
    let (free, all) = track::episode_chapters(record);
    let cta = ending.map(|e| (e.text, e.pcm.len() as f64 / f64::from(rate)));
    [
        Episode { track: track::episode_track(record, TrackKind::EpisodeFree, &free, cta), chapters: free },
        Episode { track: track::episode_track(record, TrackKind::EpisodeFull, &all, None), chapters: all },
    ]
}

/// Writes the audio of `episode` from the chapter WAVs in `out` (and, for the free episode,
/// the call to action). `Ok(Some(note))` when it is not written, and why.
pub fn write_audio(
    out: &Path,
    record: &Manifest,
    episode: &Episode,
    ending: Option<Ending>,
    rate: u32,
    settings: &PublishSettings,
) -> Result<Option<String>, PublishError> {
    let track = &episode.track;
    let extra: &[i16] = match (track.kind, ending) {
        (TrackKind::EpisodeFree, Some(e)) => e.pcm,
        _ => &[],
    };
    if episode.chapters.is_empty() && extra.is_empty() {
        return Ok(Some(format!("no {} episode: the article has no free chapters", track.stem)));
    }
    let mut parts: Vec<PathBuf> = episode
        .chapters
        .iter()
        .map(|&i| out.join(record.chapters[i].file.as_deref().expect("episodes hold written chapters")))
        .collect();
    let bytes: u64 =
        parts.iter().map(|f| std::fs::metadata(f).map_or(0, |m| m.len())).sum::<u64>() + extra.len() as u64 * 2;
    if settings.format == Format::Wav && bytes >= u64::from(u32::MAX) {
        return Ok(Some(format!(
            "{} not written: at {:.1} GB it is past the 4 GB limit of WAV files; --format mp3 or m4b writes it",
            track.stem,
            bytes as f64 / 1e9
        )));
    }
    let audio = out.join(names::audio(&track.stem, settings.format.extension()));
    match settings.format {
        Format::Wav => {
            episode_wav::write(&audio, &parts, extra, rate, &episode_wav::cue_points(track, rate))
                .map_err(io(&audio))?;
        }
        Format::Mp3 => {
            let cta = out.join(names::call_to_action_wav(&track.stem));
            if !extra.is_empty() {
                episode_wav::write(&cta, &[], extra, rate, &[]).map_err(io(&cta))?;
                parts.push(cta.clone());
            }
            let refs: Vec<&Path> = parts.iter().map(PathBuf::as_path).collect();
            let encoded =
                super::mp3::encode_wavs(&refs, &audio, track, &tags(record, settings, None), &mp3_settings(settings));
            if !extra.is_empty() {
                let _ = std::fs::remove_file(&cta);
            }
            encoded.map_err(|e| PublishError::Other(format!("{}: {e}", audio.display())))?;
        }
        Format::M4b => {
            let cta = out.join(names::call_to_action_wav(&track.stem));
            if !extra.is_empty() {
                episode_wav::write(&cta, &[], extra, rate, &[]).map_err(io(&cta))?;
                parts.push(cta.clone());
            }
            let refs: Vec<&Path> = parts.iter().map(PathBuf::as_path).collect();
            let encoding = M4bSettings { kbps: settings.kbps };
            let tags = tags(record, settings, None);
            let encoded = super::m4b::encode_wavs(&refs, &audio, track, &tags, Kind::Book, &encoding);
            if !extra.is_empty() {
                let _ = std::fs::remove_file(&cta);
            }
            encoded.map_err(|e| PublishError::Other(format!("{}: {e}", audio.display())))?;
        }
    }
    Ok(None)
}

/// The manifest entry of a written episode: its file in `format` in `out`, its loudness from
/// its parts' measurements (`chapter_loudness` by manifest index), its `companions`.
pub fn entry(
    out: &Path,
    episode: &Episode,
    format: Format,
    chapter_loudness: &[Option<&FileLoudness>],
    ending: Option<Ending>,
    companions: Vec<String>,
) -> Result<EpisodeEntry, PublishError> {
    let track = &episode.track;
    let file = names::audio(&track.stem, format.extension());
    let audio = out.join(&file);
    let bytes = std::fs::metadata(&audio).map_err(io(&audio))?.len();
    let mut parts: Vec<&FileLoudness> = episode.chapters.iter().filter_map(|&i| chapter_loudness[i]).collect();
    if track.kind == TrackKind::EpisodeFree
        && let Some(e) = ending
    {
        parts.push(e.loudness);
    }
    Ok(EpisodeEntry {
        kind: if track.kind == TrackKind::EpisodeFree { "free" } else { "full" }.into(),
        file,
        bytes,
        duration: track.duration,
        chapters: episode.chapters.clone(),
        marks: track
            .marks
            .iter()
            .map(|m| MarkEntry { title: m.title.clone(), start: m.start, paid: m.paid, level: m.level })
            .collect(),
        call_to_action: track.cues.iter().find(|c| c.id == "cta").map(|c| c.text.clone()),
        loudness_lufs: loudness::integrated_lufs(&parts).and_then(manifest::decibels),
        true_peak_dbtp: loudness::true_peak_dbtp(&parts).and_then(manifest::decibels),
        companions,
    })
}
