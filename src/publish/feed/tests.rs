//! `upsert`: items added and replaced across builds, channel settings remembered, the lock.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::*;
use crate::publish::track::{Cue, Mark, Track, TrackKind};

fn track(kind: TrackKind, title: &str, duration: f64) -> Track {
    Track {
        kind,
        stem: String::new(),
        title: title.into(),
        duration,
        marks: vec![Mark { start: 0.0, title: title.into(), paid: false, level: 0 }],
        cues: vec![Cue {
            id: "u1".into(),
            start: 0.0,
            end: 1.0,
            text: format!("{title} text"),
            paid: false,
            reread: false,
        }],
    }
}

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

/// Writes an article folder with episodes of `free` and `full` bytes and returns its item.
fn build(feed: &Path, stem: &str, title: &str, (free, full): (usize, usize), now: SystemTime) -> FeedItem {
    let dir = feed.join(stem);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("episode-free.mp3"), vec![1u8; free]).unwrap();
    std::fs::write(dir.join("episode-full.mp3"), vec![2u8; full]).unwrap();
    let (ft, ut) = (track(TrackKind::EpisodeFree, title, 10.0), track(TrackKind::EpisodeFull, title, 20.0));
    let (fa, ua) = (dir.join("episode-free.mp3"), dir.join("episode-full.mp3"));
    let free = EpisodeFiles { track: &ft, audio: &fa, chapters: None, transcripts: vec![] };
    let full = EpisodeFiles { track: &ut, audio: &ua, chapters: None, transcripts: vec![] };
    let article = FeedArticle { dir: &dir, stem, title, language: Some("zh"), author: None };
    FeedItem::new(feed, &article, Some(&free), &full, now).unwrap()
}

fn with_base() -> Channel {
    Channel { base_url: Some("https://example.com/pod/".into()), ..Channel::default() }
}

fn read(path: &Path) -> rss::Channel {
    rss::Channel::read_from(std::fs::read(path).unwrap().as_slice()).unwrap()
}

fn summary(feed: &rss::Channel) -> Vec<(String, String, String)> {
    feed.items
        .iter()
        .map(|i| {
            let e = i.enclosure.as_ref().unwrap();
            (i.guid.as_ref().unwrap().value.clone(), e.url.clone(), e.length.clone())
        })
        .collect()
}

#[test]
fn articles_add_up_and_a_rebuild_replaces_its_item() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path();
    let a = build(feed, "alpha", "Alpha", (100, 300), at(1_000));
    let a_id = a.id.clone();
    let done = upsert(feed, a, &with_base()).unwrap();
    assert_eq!(
        done,
        Upserted::Written { free: feed.join(FEED_FREE), paid: feed.join(FEED_PAID), free_items: 1, paid_items: 1 }
    );
    upsert(feed, build(feed, "beta", "Beta", (50, 70), at(2_000)), &Channel::default()).unwrap();

    let free = read(&feed.join(FEED_FREE));
    let paid = read(&feed.join(FEED_PAID));
    assert_eq!(free.items.len(), 2);
    assert_eq!(paid.items.len(), 2);
    // Newest first.
    assert_eq!(free.items[0].title.as_deref(), Some("Beta"));
    assert_eq!(
        summary(&free)[1],
        (
            format!("urn:seedaudio:{a_id}:free"),
            "https://example.com/pod/alpha/episode-free.mp3".to_string(),
            "100".to_string()
        )
    );
    assert_eq!(summary(&paid)[1].1, "https://example.com/pod/alpha/episode-full.mp3");
    assert_eq!(summary(&paid)[1].2, "300");
    let guids = |f: &rss::Channel| summary(f).into_iter().map(|s| s.0).collect::<Vec<_>>();
    let (free_guids, paid_guids) = (guids(&free), guids(&paid));
    assert!(free_guids.iter().all(|g| !paid_guids.contains(g)), "{free_guids:?} {paid_guids:?}");

    // Alpha rebuilt later with a longer episode: same guid, new length, first date kept.
    upsert(feed, build(feed, "alpha", "Alpha", (150, 400), at(3_000)), &Channel::default()).unwrap();
    let free2 = read(&feed.join(FEED_FREE));
    let paid2 = read(&feed.join(FEED_PAID));
    assert_eq!(guids(&free2), free_guids);
    assert_eq!(guids(&paid2), paid_guids);
    assert_eq!(summary(&free2)[1].2, "150");
    assert_eq!(summary(&paid2)[1].2, "400");
    assert_eq!(free2.items[1].pub_date, free.items[1].pub_date);
}

#[test]
fn no_base_url_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path();
    let done = upsert(feed, build(feed, "alpha", "Alpha", (1, 2), at(1)), &Channel::default()).unwrap();
    assert_eq!(done, Upserted::NoBaseUrl);
    assert!(done.hint(feed).unwrap().contains("--base-url"));
    for name in [FEED_FREE, FEED_PAID, ITEMS_FILE, LOCK_FILE] {
        assert!(!feed.join(name).exists(), "{name} was written");
    }
}

#[test]
fn channel_settings_are_remembered_and_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path();
    let given = Channel { title: Some("My show".into()), author: Some("Me".into()), ..with_base() };
    upsert(feed, build(feed, "alpha", "Alpha", (1, 2), at(1)), &given).unwrap();
    // A later build names no settings: the feeds keep them, base URL included.
    upsert(feed, build(feed, "beta", "Beta", (1, 2), at(2)), &Channel::default()).unwrap();
    let free = read(&feed.join(FEED_FREE));
    assert_eq!(free.title, "My show");
    assert_eq!(read(&feed.join(FEED_PAID)).title, "My show (subscribers)");
    assert_eq!(free.itunes_ext.as_ref().unwrap().author.as_deref(), Some("Me"));
    // A new base URL moves every enclosure.
    let moved = Channel { base_url: Some("https://cdn.example.org/x".into()), ..Channel::default() };
    upsert(feed, build(feed, "beta", "Beta", (1, 2), at(3)), &moved).unwrap();
    let urls = summary(&read(&feed.join(FEED_FREE))).into_iter().map(|s| s.1).collect::<Vec<_>>();
    assert_eq!(
        urls,
        ["https://cdn.example.org/x/beta/episode-free.mp3", "https://cdn.example.org/x/alpha/episode-free.mp3"]
    );
}

#[test]
fn default_title_is_the_article_then_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("我的播客");
    std::fs::create_dir(&feed).unwrap();
    upsert(&feed, build(&feed, "alpha", "Alpha", (1, 2), at(1)), &with_base()).unwrap();
    let free = read(&feed.join(FEED_FREE));
    assert_eq!(free.title, "Alpha");
    assert_eq!(free.language.as_deref(), Some("zh"));
    assert_eq!(free.link, "https://example.com/pod/");
    upsert(&feed, build(&feed, "beta", "Beta", (1, 2), at(2)), &Channel::default()).unwrap();
    assert_eq!(read(&feed.join(FEED_FREE)).title, "我的播客");
}

#[test]
fn concurrent_builds_lose_no_item() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path();
    // The first build sets the base URL; the others only find it remembered.
    upsert(feed, build(feed, "a0", "A0", (1, 2), at(1)), &with_base()).unwrap();
    let items: Vec<FeedItem> = (1..8).map(|n| build(feed, &format!("a{n}"), &format!("A{n}"), (n, n), at(1))).collect();
    std::thread::scope(|s| {
        for item in items {
            s.spawn(move || upsert(feed, item, &Channel::default()).unwrap());
        }
    });
    assert_eq!(read(&feed.join(FEED_PAID)).items.len(), 8);
    assert_eq!(read(&feed.join(FEED_FREE)).items.len(), 8);
}

#[test]
fn bad_settings_and_articles_outside_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed");
    std::fs::create_dir(&feed).unwrap();
    let item = build(&feed, "alpha", "Alpha", (1, 2), at(1));
    let bad = Channel { base_url: Some("example.com".into()), ..Channel::default() };
    let err = upsert(&feed, item, &bad).unwrap_err();
    assert!(err.to_string().contains("base_url"), "{err}");
    assert!(!feed.join(ITEMS_FILE).exists());

    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("episode-full.mp3"), b"x").unwrap();
    let t = track(TrackKind::EpisodeFull, "T", 1.0);
    let audio = elsewhere.join("episode-full.mp3");
    let full = EpisodeFiles { track: &t, audio: &audio, chapters: None, transcripts: vec![] };
    let article = FeedArticle { dir: &elsewhere, stem: "x", title: "T", language: None, author: None };
    let err = FeedItem::new(&feed, &article, None, &full, at(1)).unwrap_err();
    assert!(matches!(err, FeedError::Outside { .. }), "{err}");
}
