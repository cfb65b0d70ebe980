//! The publishing stage: the order of the steps `publish` offers, run on the record of the
//! chapters written.
//!
//! Order matters for "nothing lost": every file is written under a hidden name and renamed;
//! the episodes are joined from the WAV chapters before any chapter is turned into MP3; the
//! player page and the feeds come last, when every file they point at exists.

use std::path::Path;

use crate::build::call_to_action::CallToAction;
use crate::build::manifest::Published;
use crate::loudness::FileLoudness;
use crate::publish::article_feeds::{ArticleFiles, add_to_feeds};
use crate::publish::companions::{write_chapter_list, write_player_page, write_transcripts};
use crate::publish::episodes::{self, Ending};
use crate::publish::error::PublishError;
use crate::publish::manifest::Manifest;
use crate::publish::settings::{Format, PublishSettings};
use crate::publish::track::{self, TrackKind};
use crate::publish::{chapter_m4a, chapter_mp3};

/// What publishing needs besides the record of the chapters.
pub struct Publication<'a> {
    pub out: &'a Path,
    pub rate: u32,
    pub settings: &'a PublishSettings,
    /// Read after the free chapters.
    pub call_to_action: Option<&'a CallToAction>,
    /// Each chapter's measured loudness, by manifest index (episodes combine them).
    pub chapter_loudness: Vec<Option<&'a FileLoudness>>,
    /// The article's name (its file's stem, or `--name`): it names the feed item.
    pub article_name: &'a str,
}

/// Writes everything around the chapters. Returns what the manifest must add, and notes for
/// the user (e.g. how to get feeds).
pub fn publish(record: &Manifest, p: &Publication) -> Result<(Published, Vec<String>), PublishError> {
    let mut notes = Vec::new();
    let format = p.settings.format;
    let ending =
        p.call_to_action.map(|c| Ending { text: c.text.as_str(), pcm: c.pcm.as_slice(), loudness: &c.loudness });

    // 1. Episodes, joined from the WAV chapters.
    let planned = episodes::plan(record, ending, p.rate);
    let mut written = Vec::new();
    for episode in &planned {
        match episodes::write_audio(p.out, record, episode, ending, p.rate, p.settings)? {
            Some(note) => notes.push(note),
            None => written.push(episode),
        }
    }

    // 2. MP3 or M4A chapters, encoded from their WAVs, which are then removed.
    let chapter_files = match format {
        Format::Mp3 => chapter_mp3::encode_chapters(p.out, record, p.settings)?,
        Format::M4b => chapter_m4a::encode_chapters(p.out, record, p.settings)?,
        Format::Wav => Vec::new(),
    };

    // 3. Transcripts of every chapter and episode; chapter lists of the episodes.
    for t in track::chapter_tracks(record) {
        write_transcripts(p.out, &t)?;
    }
    let mut entries = Vec::new();
    for &episode in &written {
        let mut companions = write_transcripts(p.out, &episode.track)?;
        companions.push(write_chapter_list(p.out, &episode.track)?);
        entries.push(episodes::entry(p.out, episode, format, &p.chapter_loudness, ending, companions)?);
    }
    let published = Published { format, episodes: entries, chapter_files };

    // 4. The player page plays the full episode (and the feeds need it).
    let [free, full] = &planned;
    let is_written = |kind| written.iter().any(|e| e.track.kind == kind);
    if !is_written(TrackKind::EpisodeFull) {
        notes.push("no player page and no feed item: they need the full episode".into());
        return Ok((published, notes));
    }
    write_player_page(p.out, record, &full.track, format)?;

    // 5. Feeds, when the episodes are all there.
    let has_free = is_written(TrackKind::EpisodeFree);
    let files = ArticleFiles { out: p.out, article_stem: p.article_name };
    let feed_dir = p.settings.feed_dir_for(p.out);
    if let Some(note) = add_to_feeds(record, &files, p.settings, &feed_dir, &free.track, &full.track, has_free)? {
        notes.push(note);
    }
    Ok((published, notes))
}
