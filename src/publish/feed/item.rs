//! One article as the feeds list it: a free episode for the public feed, the full episode for
//! subscribers, and the facts a podcast app needs about each file.
//!
//! Paths are stored relative to the feed folder, not as URLs, so the base URL can change
//! (a new host) without rebuilding anything.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::FeedError;
use super::link;
use super::summary::{Audience, describe};
use crate::publish::track::Track;

/// An article in the feeds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedItem {
    /// Stable across rebuilds: a hash of where the article's folder is in the feed folder and
    /// of its file stem. The feeds' guids are made from it ([`FeedItem::guid`]).
    pub id: String,
    pub title: String,
    /// The voice's language (`zh`, `en`): the channel's default language and the
    /// transcripts' `language` attribute.
    pub language: Option<String>,
    /// Who wrote the article, when it says (a book's authors): the item's `itunes:author`,
    /// and the channel's when every item has the same and the settings name none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Unix seconds of the first build that listed it; rebuilds keep it, so an updated
    /// episode does not jump to the top of a listener's queue as if new.
    pub published: u64,
    /// The preview; `None` when the article has no free chapter (all of it is paid), and
    /// then the public feed does not list it.
    pub free: Option<Enclosure>,
    pub full: Enclosure,
}

/// One episode file and what belongs to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enclosure {
    /// Relative to the feed folder, `/`-separated.
    pub path: String,
    pub bytes: u64,
    pub mime: String,
    pub duration_s: f64,
    /// Plain-text show notes; for the free episode they hold free text only.
    pub description: String,
    /// The Podcasting 2.0 chapters file (JSON), relative to the feed folder.
    pub chapters: Option<String>,
    pub transcripts: Vec<Transcript>,
}

/// A transcript file of an episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transcript {
    /// Relative to the feed folder, `/`-separated.
    pub path: String,
    pub mime: String,
}

/// Which of an article's two episodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edition {
    /// `feed-free.xml`.
    Free,
    /// `feed-paid.xml`.
    Full,
}

/// The article an item is made for.
pub struct FeedArticle<'a> {
    /// The folder the article was built into (holds its episodes).
    pub dir: &'a Path,
    /// The article file's stem, e.g. `five-awareness`.
    pub stem: &'a str,
    pub title: &'a str,
    /// The article's language (a book's `dc:language`), else the voice's.
    pub language: Option<&'a str>,
    /// Who wrote it, when the article says (a book's authors).
    pub author: Option<&'a str>,
}

/// The files the build wrote for one episode, with the episode's timeline.
pub struct EpisodeFiles<'a> {
    pub track: &'a Track,
    /// `episode-free.mp3` or `.wav`, …
    pub audio: &'a Path,
    /// `episode-free.chapters.json`, if written.
    pub chapters: Option<&'a Path>,
    /// `.vtt`, `.srt`, … transcripts of this episode.
    pub transcripts: Vec<&'a Path>,
}

impl FeedItem {
    /// The item for an article whose episodes are on disk inside `feed_dir`. `now` becomes
    /// its publication time unless the feed already lists the article (see `upsert`).
    pub fn new(
        feed_dir: &Path,
        article: &FeedArticle,
        free: Option<&EpisodeFiles>,
        full: &EpisodeFiles,
        now: SystemTime,
    ) -> Result<FeedItem, FeedError> {
        let folder = relative_to_feed(feed_dir, article.dir)?;
        let full_has_paid = full.track.has_paid();
        let free = free
            .map(|f| Enclosure::new(feed_dir, f, describe(f.track, article.language, Audience::Free { full_has_paid })))
            .transpose()?;
        let full = Enclosure::new(feed_dir, full, describe(full.track, article.language, Audience::Subscribers))?;
        Ok(FeedItem {
            id: item_id(&folder, article.stem),
            title: article.title.to_string(),
            language: article.language.map(str::to_string),
            author: article.author.map(str::to_string),
            published: now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()),
            free,
            full,
        })
    }

    /// The guid of this article in one feed. The two feeds use different guids: they carry
    /// different files, and an app subscribed to both (or a directory that sees both) must
    /// not take the preview and the full episode for one episode and merge them.
    pub fn guid(&self, edition: Edition) -> String {
        match edition {
            Edition::Free => format!("urn:seedaudio:{}:free", self.id),
            Edition::Full => format!("urn:seedaudio:{}:full", self.id),
        }
    }

    /// The episode a feed encloses, if that feed lists the article.
    pub fn enclosure(&self, edition: Edition) -> Option<&Enclosure> {
        match edition {
            Edition::Free => self.free.as_ref(),
            Edition::Full => Some(&self.full),
        }
    }
}

/// The stable id of an article: 128 bits of blake3 over its folder (relative to the feed
/// folder) and file stem. Neither the title nor the text counts, so editing the article keeps
/// its place in listeners' apps.
pub fn item_id(folder: &str, stem: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(b"seedaudio feed item v1\0");
    hasher.update(folder.as_bytes());
    hasher.update(b"\0");
    hasher.update(stem.as_bytes());
    hasher.finalize().to_hex()[..32].to_string()
}

impl Enclosure {
    fn new(feed_dir: &Path, files: &EpisodeFiles, description: String) -> Result<Enclosure, FeedError> {
        let bytes = std::fs::metadata(files.audio)
            .map_err(|source| FeedError::Io { path: files.audio.to_path_buf(), source })?
            .len();
        let transcripts = files
            .transcripts
            .iter()
            .map(|&p| Ok(Transcript { path: relative_to_feed(feed_dir, p)?, mime: transcript_mime(p)?.into() }))
            .collect::<Result<_, FeedError>>()?;
        Ok(Enclosure {
            path: relative_to_feed(feed_dir, files.audio)?,
            bytes,
            mime: audio_mime(files.audio)?.into(),
            duration_s: files.track.duration,
            description,
            chapters: files.chapters.map(|p| relative_to_feed(feed_dir, p)).transpose()?,
            transcripts,
        })
    }
}

fn relative_to_feed(feed_dir: &Path, path: &Path) -> Result<String, FeedError> {
    match link::relative(feed_dir, path) {
        Ok(Some(rel)) => Ok(rel),
        Ok(None) => Err(FeedError::Outside { path: path.to_path_buf(), feed_dir: feed_dir.to_path_buf() }),
        Err(source) => Err(FeedError::Io { path: path.to_path_buf(), source }),
    }
}

fn extension(path: &Path) -> String {
    path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default()
}

/// The MIME type podcast apps expect for an episode file.
pub fn audio_mime(path: &Path) -> Result<&'static str, FeedError> {
    Ok(match extension(path).as_str() {
        "mp3" => "audio/mpeg",
        // Apple Podcasts lists `audio/x-m4a` for AAC audio (.m4a); an .m4b is the same file.
        "m4a" | "m4b" => "audio/x-m4a",
        "mp4" => "audio/mp4",
        "aac" => "audio/aac",
        "wav" => "audio/wav",
        "ogg" | "oga" | "opus" => "audio/ogg",
        "flac" => "audio/flac",
        _ => return Err(FeedError::UnknownType { path: path.to_path_buf(), what: "episode" }),
    })
}

/// The MIME type the Podcasting 2.0 namespace names for a transcript file.
pub fn transcript_mime(path: &Path) -> Result<&'static str, FeedError> {
    let ext = extension(path);
    if let Some(mime) = crate::publish::transcript::mime(&ext) {
        return Ok(mime);
    }
    Ok(match ext.as_str() {
        "json" => "application/json",
        "html" | "htm" => "text/html",
        "txt" => "text/plain",
        _ => return Err(FeedError::UnknownType { path: path.to_path_buf(), what: "transcript" }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::track::{Cue, Mark, TrackKind};

    fn track(kind: TrackKind, duration: f64, paid: bool) -> Track {
        Track {
            kind,
            stem: "e".into(),
            title: "T".into(),
            duration,
            marks: vec![Mark { start: 0.0, title: "T".into(), paid: false, level: 0 }],
            cues: [
                Cue { id: "u1".into(), start: 0.0, end: 1.0, text: "free words".into(), paid: false, reread: false },
                Cue { id: "u2".into(), start: 1.0, end: 2.0, text: "paid words".into(), paid: true, reread: false },
            ]
            .into_iter()
            .filter(|c| paid || !c.paid)
            .collect(),
        }
    }

    #[test]
    fn an_item_from_files() {
        let dir = tempfile::tempdir().unwrap();
        let feed = dir.path();
        let art = feed.join("五种");
        std::fs::create_dir(&art).unwrap();
        for (name, len) in [("episode-free.mp3", 10), ("episode-full.mp3", 25), ("episode-free.vtt", 1)] {
            std::fs::write(art.join(name), vec![0u8; len]).unwrap();
        }
        std::fs::write(art.join("episode-free.chapters.json"), b"{}").unwrap();
        std::fs::write(art.join("episode-full.srt"), b"1").unwrap();
        let free_track = track(TrackKind::EpisodeFree, 12.5, false);
        let full_track = track(TrackKind::EpisodeFull, 30.0, true);
        let (fa, fc, fv) =
            (art.join("episode-free.mp3"), art.join("episode-free.chapters.json"), art.join("episode-free.vtt"));
        let (ua, us) = (art.join("episode-full.mp3"), art.join("episode-full.srt"));
        let free = EpisodeFiles { track: &free_track, audio: &fa, chapters: Some(&fc), transcripts: vec![&fv] };
        let full = EpisodeFiles { track: &full_track, audio: &ua, chapters: None, transcripts: vec![&us] };
        let article = FeedArticle { dir: &art, stem: "five", title: "Five", language: Some("en"), author: None };
        let when = UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let item = FeedItem::new(feed, &article, Some(&free), &full, when).unwrap();

        assert_eq!(item.id, item_id("五种", "five"));
        assert_eq!(item.published, 1_700_000_000);
        let f = item.free.as_ref().unwrap();
        assert_eq!(
            (f.path.as_str(), f.bytes, f.mime.as_str(), f.duration_s),
            ("五种/episode-free.mp3", 10, "audio/mpeg", 12.5)
        );
        assert_eq!(f.chapters.as_deref(), Some("五种/episode-free.chapters.json"));
        assert_eq!(f.transcripts, vec![Transcript { path: "五种/episode-free.vtt".into(), mime: "text/vtt".into() }]);
        assert!(f.description.contains("free words") && !f.description.contains("paid words"), "{}", f.description);
        assert_eq!((item.full.bytes, item.full.duration_s), (25, 30.0));
        assert_eq!(item.full.transcripts[0].mime, "application/x-subrip");
        assert!(item.full.description.contains("paid words"));

        let outside = tempfile::tempdir().unwrap();
        let err = FeedItem::new(outside.path(), &article, None, &full, when).unwrap_err();
        assert!(err.to_string().contains("not inside the feed folder"), "{err}");
    }

    #[test]
    fn ids_and_guids() {
        let a = item_id("five-awareness", "five-awareness");
        assert_eq!(a, item_id("five-awareness", "five-awareness"));
        assert_eq!(a.len(), 32);
        assert_ne!(a, item_id("other", "five-awareness"));
        assert_ne!(a, item_id("five-awareness", "other"));
        // The separator keeps ("ab", "c") and ("a", "bc") apart.
        assert_ne!(item_id("ab", "c"), item_id("a", "bc"));
    }

    #[test]
    fn mime_types() {
        assert_eq!(audio_mime(Path::new("a/b.MP3")).unwrap(), "audio/mpeg");
        assert_eq!(audio_mime(Path::new("b.wav")).unwrap(), "audio/wav");
        assert!(audio_mime(Path::new("b.txt")).unwrap_err().to_string().contains("b.txt"));
        assert_eq!(transcript_mime(Path::new("x.vtt")).unwrap(), "text/vtt");
        assert_eq!(transcript_mime(Path::new("x.srt")).unwrap(), "application/x-subrip");
    }
}
