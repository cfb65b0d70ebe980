//! This article's item in the feeds: its episodes and their companions, added to the feed
//! folder's item store and both feeds rewritten. Runs last, when every file an item points
//! at exists.

use std::path::{Path, PathBuf};

use super::error::PublishError;
use super::feed::{self, EpisodeFiles, FeedArticle, FeedItem};
use super::manifest::Manifest;
use super::settings::PublishSettings;
use super::track::Track;
use super::transcript;
use crate::outdir::names;

/// The article built into `out` from the file named `article_stem`.
pub struct ArticleFiles<'a> {
    pub out: &'a Path,
    pub article_stem: &'a str,
}

/// Adds the article's item (the free episode only if `has_free`) to the feeds in
/// `feed_dir`. Returns a note for the user: where the feeds are, or how to get them.
pub fn add_to_feeds(
    record: &Manifest,
    files: &ArticleFiles,
    settings: &PublishSettings,
    feed_dir: &Path,
    free_track: &Track,
    full_track: &Track,
    has_free: bool,
) -> Result<Option<String>, PublishError> {
    let out = files.out;
    let ext = settings.format.extension();
    let paths = |t: &Track| {
        let transcripts: Vec<_> = transcript::file_names(&t.stem).iter().map(|n| out.join(n)).collect();
        (out.join(names::audio(&t.stem, ext)), out.join(names::chapter_list(&t.stem)), transcripts)
    };
    let (fa, fc, ft) = paths(free_track);
    let (ga, gc, gt) = paths(full_track);
    let free = EpisodeFiles { track: free_track, audio: &fa, chapters: Some(&fc), transcripts: as_paths(&ft) };
    let full = EpisodeFiles { track: full_track, audio: &ga, chapters: Some(&gc), transcripts: as_paths(&gt) };
    let article = FeedArticle {
        dir: out,
        stem: files.article_stem,
        title: &record.article.title,
        language: Some(record.article.language.as_deref().unwrap_or(&record.voice.language)),
        author: record.article.author.as_deref(),
    };
    if settings.channel.base_url.is_none() && !feed_dir.join(feed::ITEMS_FILE).exists() {
        return Ok(feed::Upserted::NoBaseUrl.hint(feed_dir));
    }
    let item = FeedItem::new(feed_dir, &article, has_free.then_some(&free), &full, std::time::SystemTime::now())?;
    let done = feed::upsert(feed_dir, item, &settings.channel)?;
    Ok(done.hint(feed_dir))
}

fn as_paths(paths: &[PathBuf]) -> Vec<&Path> {
    paths.iter().map(PathBuf::as_path).collect()
}
