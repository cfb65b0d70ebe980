//! This article's item in the feeds: its episodes and their companions, added to the feed
//! folder's item store and both feeds rewritten. Runs last, when every file an item points
//! at exists.

use std::path::Path;

use super::error::PublishError;
use super::feed::{self, EpisodeFiles, FeedArticle, FeedItem};
use super::manifest::Manifest;
use super::settings::PublishSettings;
use super::track::Track;
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
        (
            out.join(names::audio(&t.stem, ext)),
            out.join(names::chapter_list(&t.stem)),
            out.join(names::vtt(&t.stem)),
            out.join(names::srt(&t.stem)),
        )
    };
    let (fa, fc, fv, fs) = paths(free_track);
    let (ga, gc, gv, gs) = paths(full_track);
    let free = EpisodeFiles { track: free_track, audio: &fa, chapters: Some(&fc), transcripts: vec![&fv, &fs] };
    let full = EpisodeFiles { track: full_track, audio: &ga, chapters: Some(&gc), transcripts: vec![&gv, &gs] };
    let article = FeedArticle {
        dir: out,
        stem: files.article_stem,
        title: &record.article.title,
        language: Some(&record.voice.language),
    };
    if settings.channel.base_url.is_none() && !feed_dir.join(feed::ITEMS_FILE).exists() {
        return Ok(feed::Upserted::NoBaseUrl.hint(feed_dir));
    }
    let item = FeedItem::new(feed_dir, &article, has_free.then_some(&free), &full, std::time::SystemTime::now())?;
    let done = feed::upsert(feed_dir, item, &settings.channel)?;
    Ok(done.hint(feed_dir))
}
