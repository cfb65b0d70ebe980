//! A published audio file seen as a timeline: its chapter points and its spoken text.
//!
//! Every chapter file and both episodes are a [`Track`]. Transcripts, chapter lists, MP3
//! chapter frames, WAV cue points, feed items and the player page are all written from
//! tracks, so they agree with each other and with the manifest by construction.

use crate::publish::manifest::Manifest;

/// Which file a track describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackKind {
    /// One chapter file (its index in the manifest).
    Chapter(usize),
    /// The free chapters in order: the preview.
    EpisodeFree,
    /// All chapters in reading order.
    EpisodeFull,
}

/// A chapter point in a track.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// Seconds from the start of the track.
    pub start: f64,
    pub title: String,
    pub paid: bool,
    /// 0 for a chapter, 1 for a section that begins inside a chapter.
    pub level: u8,
}

/// One utterance's text and where it is heard.
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    /// The utterance id (`u0001`…); `cta` for the call to action.
    pub id: String,
    /// Seconds from the start of the track.
    pub start: f64,
    pub end: f64,
    pub text: String,
    pub paid: bool,
    /// A heading read again for context (at the start of a paid chapter or a continuation).
    pub reread: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Track {
    pub kind: TrackKind,
    /// File name without extension: `02-paid`, `episode-free`, `episode-full`.
    pub stem: String,
    /// The article title for episodes; the chapter title for chapters.
    pub title: String,
    /// Seconds.
    pub duration: f64,
    /// Chapter points in time order; the first starts at 0.
    pub marks: Vec<Mark>,
    /// Spoken utterances in time order (silent ones left out).
    pub cues: Vec<Cue>,
}

impl Track {
    /// Whether any of the track's text is from the paid part.
    pub fn has_paid(&self) -> bool {
        self.marks.iter().any(|m| m.paid) || self.cues.iter().any(|c| c.paid)
    }
}

pub use crate::outdir::names::{EPISODE_FREE, EPISODE_FULL};

/// The track of every written chapter, in reading order.
pub fn chapter_tracks(manifest: &Manifest) -> Vec<Track> {
    manifest.chapters.iter().filter(|c| c.file.is_some()).map(|c| chapter_track(manifest, c.index)).collect()
}

fn chapter_track(manifest: &Manifest, index: usize) -> Track {
    let chapter = &manifest.chapters[index];
    let mut marks = vec![Mark { start: 0.0, title: chapter.title.clone(), paid: chapter.paid, level: 0 }];
    for m in &chapter.markers {
        marks.push(Mark { start: m.start, title: m.title.clone(), paid: chapter.paid, level: 1 });
    }
    let cues = manifest
        .utterances
        .iter()
        .filter(|u| u.chapter == index && u.spoken)
        .filter_map(|u| {
            Some(Cue {
                id: u.id.clone(),
                start: u.start?,
                end: u.end?,
                text: u.text.clone(),
                paid: chapter.paid,
                reread: u.reread,
            })
        })
        .collect();
    let stem = chapter.file.as_deref().map_or_else(String::new, |f| crate::outdir::names::stem_of(f).into());
    Track {
        kind: TrackKind::Chapter(index),
        stem,
        title: chapter.title.clone(),
        duration: chapter.duration,
        marks,
        cues,
    }
}

/// An episode made of the given chapters (manifest indices, in order), with an optional
/// call to action (`text`, seconds of audio) after them.
pub fn episode_track(manifest: &Manifest, kind: TrackKind, chapters: &[usize], cta: Option<(&str, f64)>) -> Track {
    let (stem, _) = match kind {
        TrackKind::EpisodeFree => (EPISODE_FREE, ()),
        TrackKind::EpisodeFull => (EPISODE_FULL, ()),
        TrackKind::Chapter(_) => panic!("episode_track is for episodes"),
    };
    let mut track = Track {
        kind,
        stem: stem.into(),
        title: manifest.article.title.clone(),
        duration: 0.0,
        marks: vec![],
        cues: vec![],
    };
    for &index in chapters {
        let part = chapter_track(manifest, index);
        let offset = track.duration;
        track.marks.extend(part.marks.into_iter().map(|m| Mark { start: round_us(m.start + offset), ..m }));
        track.cues.extend(part.cues.into_iter().map(|c| Cue {
            start: round_us(c.start + offset),
            end: round_us(c.end + offset),
            ..c
        }));
        track.duration = round_us(offset + part.duration);
    }
    if let Some((text, seconds)) = cta {
        let start = track.duration;
        track.cues.push(Cue {
            id: "cta".into(),
            start,
            end: round_us(start + seconds),
            text: text.into(),
            paid: false,
            reread: false,
        });
        track.duration = round_us(start + seconds);
    }
    track
}

/// The chapters of each episode: the free ones (in order) and all of them.
pub fn episode_chapters(manifest: &Manifest) -> (Vec<usize>, Vec<usize>) {
    let written = manifest.chapters.iter().filter(|c| c.file.is_some());
    let free = written.clone().filter(|c| !c.paid).map(|c| c.index).collect();
    (free, written.map(|c| c.index).collect())
}

fn round_us(s: f64) -> f64 {
    (s * 1e6).round() / 1e6
}
