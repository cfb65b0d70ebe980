//! Publishing a finished build: episodes, transcripts, chapter lists, the player page and
//! the feeds, all from the chapter files and the manifest's timings.
//!
//! Order matters for "nothing lost": every file is written under a hidden name and renamed;
//! the episodes are joined from the WAV chapters before any chapter is turned into MP3; the
//! feeds come last, when every file they point at exists.

use std::path::{Path, PathBuf};

use super::episode_wav;
use super::feed::{self, EpisodeFiles, FeedArticle, FeedItem};
use super::player::{PlayerPage, player_page};
use super::settings::{Format, PublishSettings};
use super::track::{self, Track, TrackKind};
use crate::loudness::{self, FileLoudness};
use crate::outdir::atomic::write_atomic;
use crate::publish::manifest::{EpisodeEntry, Manifest, MarkEntry};

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Feed(#[from] feed::FeedError),
    #[error("{0}")]
    Other(String),
}

/// What publishing needs besides the manifest.
pub struct Publication<'a> {
    pub out: &'a Path,
    pub rate: u32,
    pub settings: &'a PublishSettings,
    /// The call to action's text and 16-bit samples, read after the free chapters.
    pub call_to_action: Option<(&'a str, &'a [i16])>,
    /// Each chapter's measured loudness, by manifest index (episodes combine them).
    pub chapter_loudness: Vec<Option<&'a FileLoudness>>,
    pub call_to_action_loudness: Option<&'a FileLoudness>,
    /// The feed folder (the feeds are written there when a base URL is known).
    pub feed_dir: &'a Path,
    /// The article file's stem (names the feed item).
    pub article_stem: &'a str,
}

pub use crate::outdir::names::PLAYER;

/// Writes everything around the chapters and records the episodes in `manifest`. Returns
/// notes for the user (e.g. how to get feeds).
pub fn publish(manifest: &mut Manifest, p: &Publication) -> Result<Vec<String>, PublishError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| PublishError::Io { path, source }
    };
    let mut notes = Vec::new();
    let (free, all) = track::episode_chapters(manifest);
    let cta_seconds = p.call_to_action.map(|(text, s)| (text, s.len() as f64 / f64::from(p.rate)));
    let free_track = track::episode_track(manifest, TrackKind::EpisodeFree, &free, cta_seconds);
    let full_track = track::episode_track(manifest, TrackKind::EpisodeFull, &all, None);
    let ext = p.settings.format.extension();

    // Episodes, joined from the WAV chapters (MP3 episodes straight from them, so a long
    // book's episode never needs a WAV past the format's 4 GB).
    let mut episodes = Vec::new();
    for (track, chapters) in [(&free_track, &free), (&full_track, &all)] {
        let extra: &[i16] = match (track.kind, p.call_to_action) {
            (TrackKind::EpisodeFree, Some((_, samples))) => samples,
            _ => &[],
        };
        if chapters.is_empty() && extra.is_empty() {
            notes.push(format!("no {} episode: the article has no free chapters", track.stem));
            continue;
        }
        let mut parts: Vec<PathBuf> = chapters
            .iter()
            .map(|&i| p.out.join(manifest.chapters[i].file.as_deref().expect("episodes hold written chapters")))
            .collect();
        let bytes: u64 =
            parts.iter().map(|f| std::fs::metadata(f).map_or(0, |m| m.len())).sum::<u64>() + extra.len() as u64 * 2;
        if p.settings.format == Format::Wav && bytes >= u64::from(u32::MAX) {
            notes.push(format!(
                "{} not written: at {:.1} GB it is past the 4 GB limit of WAV files; --format mp3 writes it",
                track.stem,
                bytes as f64 / 1e9
            ));
            continue;
        }
        match p.settings.format {
            Format::Wav => {
                let wav = p.out.join(format!("{}.wav", track.stem));
                episode_wav::write(&wav, &parts, extra, p.rate, &episode_wav::cue_points(track, p.rate))
                    .map_err(io(&wav))?;
            }
            Format::Mp3 => {
                let cta = p.out.join(format!(".{}.call-to-action.wav", track.stem));
                if !extra.is_empty() {
                    episode_wav::write(&cta, &[], extra, p.rate, &[]).map_err(io(&cta))?;
                    parts.push(cta.clone());
                }
                let mp3 = p.out.join(format!("{}.mp3", track.stem));
                let refs: Vec<&Path> = parts.iter().map(PathBuf::as_path).collect();
                let encoded = super::mp3::encode_wavs(
                    &refs,
                    &mp3,
                    track,
                    &tags(manifest, p.settings, None),
                    &mp3_settings(p.settings),
                );
                if !extra.is_empty() {
                    let _ = std::fs::remove_file(&cta);
                }
                encoded.map_err(|e| PublishError::Other(format!("{}: {e}", mp3.display())))?;
            }
        }
        episodes.push((track, chapters.clone()));
    }

    // MP3 chapters, encoded from their WAVs, which are then removed.
    if p.settings.format == Format::Mp3 {
        for t in track::chapter_tracks(manifest) {
            let TrackKind::Chapter(i) = t.kind else { continue };
            let wav = p.out.join(format!("{}.wav", t.stem));
            let mp3 = p.out.join(format!("{}.mp3", t.stem));
            super::mp3::encode_wav(&wav, &mp3, &t, &tags(manifest, p.settings, Some(i)), &mp3_settings(p.settings))
                .map_err(|e| PublishError::Other(format!("{}: {e}", mp3.display())))?;
            std::fs::remove_file(&wav).map_err(io(&wav))?;
            manifest.chapters[i].file = Some(format!("{}.mp3", t.stem));
        }
    }

    // Transcripts of every chapter and episode; chapter lists of the episodes.
    for t in track::chapter_tracks(manifest) {
        write_transcripts(p.out, &t)?;
    }
    for (track, chapters) in &episodes {
        let mut companions = write_transcripts(p.out, track)?;
        let json = p.out.join(format!("{}.chapters.json", track.stem));
        write_atomic(&json, super::chapters_json::podcast_chapters(track).as_bytes()).map_err(io(&json))?;
        companions.push(file_name(&json));
        let audio = p.out.join(format!("{}.{ext}", track.stem));
        let bytes = std::fs::metadata(&audio).map_err(io(&audio))?.len();
        let mut parts: Vec<&FileLoudness> = chapters.iter().filter_map(|&i| p.chapter_loudness[i]).collect();
        if track.kind == TrackKind::EpisodeFree
            && let Some(cta) = p.call_to_action_loudness
        {
            parts.push(cta);
        }
        manifest.episodes.push(EpisodeEntry {
            kind: if track.kind == TrackKind::EpisodeFree { "free" } else { "full" }.into(),
            file: file_name(&audio),
            bytes,
            duration: track.duration,
            chapters: chapters.clone(),
            marks: track
                .marks
                .iter()
                .map(|m| MarkEntry { title: m.title.clone(), start: m.start, paid: m.paid, level: m.level })
                .collect(),
            call_to_action: track.cues.iter().find(|c| c.id == "cta").map(|c| c.text.clone()),
            loudness_lufs: loudness::integrated_lufs(&parts).and_then(crate::publish::manifest::decibels),
            true_peak_dbtp: loudness::true_peak_dbtp(&parts).and_then(crate::publish::manifest::decibels),
            companions,
        });
    }

    // The player page plays the full episode (and the feeds need it).
    if !episodes.iter().any(|(t, _)| t.kind == TrackKind::EpisodeFull) {
        notes.push("no player page and no feed item: they need the full episode".into());
        return Ok(notes);
    }
    let page = player_page(&PlayerPage {
        title: &manifest.article.title,
        language: &manifest.voice.language,
        audio_file: &format!("{}.{ext}", full_track.stem),
        audio_mime: p.settings.format.mime(),
        captions_file: &format!("{}.vtt", full_track.stem),
        track: &full_track,
    });
    let index = p.out.join(PLAYER);
    write_atomic(&index, page.as_bytes()).map_err(io(&index))?;

    // Feeds, when the episodes are all there.
    let has_free = episodes.iter().any(|(t, _)| t.kind == TrackKind::EpisodeFree);
    if let Some(note) = write_feeds(manifest, p, &free_track, &full_track, has_free)? {
        notes.push(note);
    }
    Ok(notes)
}

/// Writes `<stem>.vtt` and `<stem>.srt`; returns their names.
fn write_transcripts(out: &Path, track: &Track) -> Result<Vec<String>, PublishError> {
    let mut names = Vec::new();
    for (ext, text) in [("vtt", super::vtt::webvtt(track)), ("srt", super::srt::srt(track))] {
        let path = out.join(format!("{}.{ext}", track.stem));
        write_atomic(&path, text.as_bytes()).map_err(|source| PublishError::Io { path: path.clone(), source })?;
        names.push(file_name(&path));
    }
    Ok(names)
}

fn write_feeds(
    manifest: &Manifest,
    p: &Publication,
    free_track: &Track,
    full_track: &Track,
    has_free: bool,
) -> Result<Option<String>, PublishError> {
    let ext = p.settings.format.extension();
    let paths = |t: &Track| {
        (
            p.out.join(format!("{}.{ext}", t.stem)),
            p.out.join(format!("{}.chapters.json", t.stem)),
            p.out.join(format!("{}.vtt", t.stem)),
            p.out.join(format!("{}.srt", t.stem)),
        )
    };
    let (fa, fc, fv, fs) = paths(free_track);
    let (ga, gc, gv, gs) = paths(full_track);
    let free = EpisodeFiles { track: free_track, audio: &fa, chapters: Some(&fc), transcripts: vec![&fv, &fs] };
    let full = EpisodeFiles { track: full_track, audio: &ga, chapters: Some(&gc), transcripts: vec![&gv, &gs] };
    let article = FeedArticle {
        dir: p.out,
        stem: p.article_stem,
        title: &manifest.article.title,
        language: Some(&manifest.voice.language),
    };
    if p.settings.channel.base_url.is_none() && !p.feed_dir.join(feed::ITEMS_FILE).exists() {
        return Ok(feed::Upserted::NoBaseUrl.hint(p.feed_dir));
    }
    let item = FeedItem::new(p.feed_dir, &article, has_free.then_some(&free), &full, std::time::SystemTime::now())?;
    let done = feed::upsert(p.feed_dir, item, &p.settings.channel)?;
    Ok(done.hint(p.feed_dir))
}

fn tags(manifest: &Manifest, settings: &PublishSettings, chapter: Option<usize>) -> super::mp3::Tags {
    let article = &manifest.article.title;
    let written = manifest.chapters.iter().filter(|c| c.file.is_some()).count() as u32;
    let (title, track) = match chapter {
        Some(i) => (format!("{article} — {}", manifest.chapters[i].title), Some((i as u32 + 1, Some(written)))),
        None => (article.clone(), None),
    };
    let channel = &settings.channel;
    super::mp3::Tags {
        title,
        artist: channel.author.clone().unwrap_or_else(|| format!("read by {}", manifest.voice.preset)),
        album: match chapter {
            Some(_) => article.clone(),
            None => channel.title.clone().unwrap_or_else(|| article.clone()),
        },
        track,
        language: manifest.voice.language.clone(),
        comment: None,
    }
}

fn mp3_settings(s: &PublishSettings) -> super::mp3::Mp3Settings {
    super::mp3::Mp3Settings { kbps: s.kbps }
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}
