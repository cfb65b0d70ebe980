//! Podcast feeds: `feed-free.xml` (public: each article's free preview) and `feed-paid.xml`
//! (subscribers: each article's full episode), RSS 2.0 with the `itunes` and Podcasting 2.0
//! `podcast` namespaces.
//!
//! # Layout
//! Each article is built into its own folder (`output/<stem>/`, holding `episode-free.mp3`,
//! `episode-full.mp3`, their `.vtt` transcripts and `.chapters.json` files). The feeds, the
//! items store `feed-items.json` and a lock file live in the **feed folder**, by default the
//! parent of the article folders (`output/`). Every URL in a feed is the base URL joined with
//! a file's path relative to the feed folder, segment by segment percent-encoded:
//! `https://example.com/pod/five-awareness/episode-full.mp3`.
//!
//! # One build, one item
//! [`upsert`] adds the article's [`FeedItem`] to `feed-items.json` (or replaces the item of an
//! earlier build of the same article, keeping its publication date), then rewrites both feeds
//! from the store. So building several articles into one feed folder adds items; rebuilding
//! one updates its item (new length, duration, notes) under the same guid.
//!
//! # Decisions
//! - No base URL, no feeds: podcast apps need absolute URLs. Once given (flag or config file)
//!   the base URL and every other channel setting are remembered in `feed-items.json`, so
//!   later builds into the same folder keep the feeds up to date without repeating them; a
//!   setting given again replaces the remembered one.
//! - guids are `urn:seedaudio:<id>:free` and `…:full`, `isPermaLink="false"`; `<id>` hashes
//!   the article's folder (relative to the feed folder) and file stem, so it survives
//!   rebuilds and edits of the text and title. The two feeds use different guids because
//!   they enclose different files; an app subscribed to both must not merge them.
//! - The public feed carries free text only (its notes are made from the free episode's
//!   track, with anything marked paid dropped); an article with no free chapter is only in
//!   the subscribers' feed. The subscribers' feed asks directories not to list it
//!   (`itunes:block`, `podcast:block`): it is meant to be shared with subscribers only.
//! - Items whose files have since vanished stay listed: removing an article from a feed is
//!   not a thing yet, and dropping it silently would be worse than a dead link.

mod channel;
mod item;
mod link;
mod store;
mod summary;
mod xml;

use std::path::{Path, PathBuf};

pub use channel::Channel;
pub use item::{Edition, Enclosure, EpisodeFiles, FeedArticle, FeedItem, Transcript};
pub use store::{ITEMS_FILE, LOCK_FILE, Store as ItemStore};

use channel::Fallbacks;
use store::{Lock, Store};

pub use crate::outdir::names::{FEED_FREE, FEED_PAID};

#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("{path}: {source}", path = path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error(
        "the feed list {path} cannot be read ({message}); move it aside and rebuild the articles to list them again",
        path = path.display()
    )]
    Store { path: PathBuf, message: String },
    #[error(
        "{path} is not inside the feed folder {feed_dir}: feed URLs are paths relative to that folder; \
         build the article into a folder inside it, or choose another feed folder",
        path = path.display(), feed_dir = feed_dir.display()
    )]
    Outside { path: PathBuf, feed_dir: PathBuf },
    #[error(
        "no podcast MIME type is known for the {what} file {path} \
         (episodes: .mp3 .m4a .aac .wav .ogg .opus .flac; transcripts: .vtt .srt .json .html .txt)",
        path = path.display()
    )]
    UnknownType { path: PathBuf, what: &'static str },
    #[error("feed settings: {0}")]
    Config(String),
    #[error("could not write the feed XML: {0}")]
    Xml(String),
}

/// What [`upsert`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upserted {
    /// Both feeds were rewritten; the counts are their items.
    Written { free: PathBuf, paid: PathBuf, free_items: usize, paid_items: usize },
    /// No base URL was given now or before: nothing was written. [`Upserted::hint`] says what to do.
    NoBaseUrl,
}

impl Upserted {
    /// One line for the user when the feeds were not written, else `None`.
    pub fn hint(&self, feed_dir: &Path) -> Option<String> {
        match self {
            Upserted::Written { .. } => None,
            Upserted::NoBaseUrl => Some(format!(
                "podcast feeds not written: give --base-url URL (or base_url in the --feed-config file), the \
                 address where {} is served, to write {FEED_FREE} and {FEED_PAID} there",
                feed_dir.display()
            )),
        }
    }
}

/// Adds or updates `item` in the feeds of `feed_dir` and rewrites both feeds, under the feed
/// folder's lock. `given` holds the channel settings of this build (config file and flags);
/// they are merged into the remembered ones. Without a base URL, given now or remembered,
/// nothing is written and [`Upserted::NoBaseUrl`] is returned.
pub fn upsert(feed_dir: &Path, item: FeedItem, given: &Channel) -> Result<Upserted, FeedError> {
    given.check().map_err(FeedError::Config)?;
    if given.base_url.is_none() && !feed_dir.join(ITEMS_FILE).exists() {
        return Ok(Upserted::NoBaseUrl);
    }
    let _lock = Lock::take(feed_dir)?;
    let mut store = Store::read(feed_dir)?;
    store.channel = std::mem::take(&mut store.channel).overlay(given);
    let Some(base_url) = store.channel.base_url.clone() else { return Ok(Upserted::NoBaseUrl) };
    let base = self::base_url(&base_url)?;
    store.upsert(item);
    store.write(feed_dir)?;

    let folder = feed_dir.canonicalize().map_err(|source| FeedError::Io { path: feed_dir.to_path_buf(), source })?;
    let folder_name = folder.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "podcast".into());
    let texts = render(&store.channel, &store.items, &folder_name, &base)?;
    let mut written = Vec::new();
    for (name, text) in texts {
        let path = feed_dir.join(name);
        crate::outdir::atomic::write_atomic(&path, text.as_bytes())
            .map_err(|source| FeedError::Io { path: path.clone(), source })?;
        written.push(path);
    }
    let paid = written.pop().expect("two feeds");
    let free = written.pop().expect("two feeds");
    Ok(Upserted::Written {
        free,
        paid,
        free_items: store.items.iter().filter(|i| i.free.is_some()).count(),
        paid_items: store.items.len(),
    })
}

/// Both feeds' names and texts for `items` (newest first) under `channel`, whose base URL is
/// `base`; `folder_name` titles a channel that has no title and more than one item.
pub fn render(
    channel: &Channel,
    items: &[FeedItem],
    folder_name: &str,
    base: &url::Url,
) -> Result<[(&'static str, String); 2], FeedError> {
    let resolved = channel.resolve(&Fallbacks {
        single_title: match items {
            [only] => Some(&only.title),
            _ => None,
        },
        folder_name,
        language: items.iter().find_map(|i| i.language.as_deref()),
        author: match items.first().and_then(|i| i.author.as_deref()) {
            Some(a) if items.iter().all(|i| i.author.as_deref() == Some(a)) => Some(a),
            _ => None,
        },
        base_url: base.as_str(),
    });
    Ok([
        (FEED_FREE, xml::render(&resolved, items, Edition::Free, base)?),
        (FEED_PAID, xml::render(&resolved, items, Edition::Full, base)?),
    ])
}

/// The base URL as a feed joins paths to it; a bad one is a [`FeedError::Config`].
pub fn base_url(text: &str) -> Result<url::Url, FeedError> {
    link::absolute_url(text).map_err(|e| FeedError::Config(format!("`base_url`: {e}")))
}

#[cfg(test)]
mod tests;
