//! Podcast feeds read back by real feed software: Python's `feedparser` (what many podcast
//! tools use) must find a well-formed feed with the right enclosures, guids and links.
//!
//! The episodes are files of known sizes, not real audio: the feeds only state their size,
//! type and duration (from the track), and URLs.

mod common;

use common::{feedparse, need_feedparser};

use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use serde_json::Value;

use seedaudio::publish::feed::{Channel, EpisodeFiles, FEED_FREE, FEED_PAID, FeedArticle, FeedItem, Upserted, upsert};
use seedaudio::publish::track::{Cue, Mark, Track, TrackKind};

const BASE: &str = "https://example.com/pod/";
const NASTY_TITLE: &str = "五种意识 a < b & \"c\" 'd' ]]> <script>\u{1}";
const NASTY_CLEAN: &str = "五种意识 a < b & \"c\" 'd' ]]> <script>";
const PAID_TEXT: &str = "只给订阅者的段落。";

fn track(kind: TrackKind, title: &str, duration: f64, paid: bool) -> Track {
    let mut marks = vec![Mark { start: 0.0, title: title.into(), paid: false, level: 0 }];
    let mut cues =
        vec![Cue {
            id: "u0001".into(), start: 0.0, end: 5.0, text: "免费的开头。".into(), paid: false, reread: false
        }];
    if paid {
        marks.push(Mark { start: 10.0, title: "二、付费章节".into(), paid: true, level: 0 });
        cues.push(Cue {
            id: "u0002".into(),
            start: 10.0,
            end: 20.0,
            text: PAID_TEXT.into(),
            paid: true,
            reread: false,
        });
    }
    Track { kind, stem: String::new(), title: title.into(), duration, marks, cues }
}

/// An article folder inside `feed` with episodes of the given sizes, transcripts and
/// chapter files; returns its feed item.
fn article(feed: &Path, folder: &str, title: &str, sizes: (usize, usize), built_at: u64) -> FeedItem {
    let dir = feed.join(folder);
    std::fs::create_dir_all(&dir).unwrap();
    let file = |name: &str, len: usize| -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, vec![b'x'; len]).unwrap();
        path
    };
    let (free_audio, full_audio) = (file("episode-free.mp3", sizes.0), file("episode-full.mp3", sizes.1));
    let (free_vtt, full_vtt, full_srt) =
        (file("episode-free.vtt", 10), file("episode-full.vtt", 20), file("episode-full.srt", 20));
    let (free_ch, full_ch) = (file("episode-free.chapters.json", 2), file("episode-full.chapters.json", 2));
    let free_track = track(TrackKind::EpisodeFree, title, 61.4, false);
    let full_track = track(TrackKind::EpisodeFull, title, 125.6, true);
    let free =
        EpisodeFiles { track: &free_track, audio: &free_audio, chapters: Some(&free_ch), transcripts: vec![&free_vtt] };
    let full = EpisodeFiles {
        track: &full_track,
        audio: &full_audio,
        chapters: Some(&full_ch),
        transcripts: vec![&full_vtt, &full_srt],
    };
    let article = FeedArticle { dir: &dir, stem: folder, title, language: Some("zh"), author: None };
    FeedItem::new(feed, &article, Some(&free), &full, UNIX_EPOCH + Duration::from_secs(built_at)).unwrap()
}

fn url(folder_encoded: &str, name: &str) -> String {
    format!("{BASE}{folder_encoded}/{name}")
}

fn entries(feed: &Value) -> &Vec<Value> {
    feed["entries"].as_array().unwrap()
}

fn ids(feed: &Value) -> Vec<String> {
    entries(feed).iter().map(|e| e["id"].as_str().unwrap().to_string()).collect()
}

#[test]
#[ignore = "needs feedparser: pip install feedparser"]
fn two_articles_then_a_rebuild_read_back_by_feedparser() {
    need_feedparser();
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("output");
    std::fs::create_dir(&feed).unwrap();
    let channel =
        Channel { title: Some("我的 <播客> & more".into()), base_url: Some(BASE.into()), ..Channel::default() };
    let done = upsert(&feed, article(&feed, "five-awareness", NASTY_TITLE, (1000, 3000), 1_700_000_000), &channel);
    assert!(matches!(done, Ok(Upserted::Written { .. })), "{done:?}");
    upsert(&feed, article(&feed, "第二篇 文章", "Second", (400, 800), 1_700_000_500), &Channel::default()).unwrap();

    let free = feedparse(&feed.join(FEED_FREE));
    let paid = feedparse(&feed.join(FEED_PAID));
    for (name, f) in [("free", &free), ("paid", &paid)] {
        assert_eq!(f["bozo"], false, "{name} feed is not well formed: {}", f["bozo_exception"]);
        assert_eq!(f["version"], "rss20", "{name}");
        assert_eq!(f["language"], "zh", "{name}");
        assert_eq!(f["items_in_xml"], 2, "{name}");
        assert_eq!(entries(f).len(), 2, "{name}");
        assert_eq!(f["namespaces"]["itunes"], "http://www.itunes.com/dtds/podcast-1.0.dtd", "{name}");
        assert_eq!(f["namespaces"]["podcast"], "https://podcastindex.org/namespace/1.0", "{name}");
    }
    assert_eq!(free["title"], "我的 <播客> & more");
    assert_eq!(paid["title"], "我的 <播客> & more (subscribers)");
    assert_eq!(paid["itunes_block"], 1, "feedparser reads itunes:block Yes as 1");
    assert!(free["itunes_block"].is_null());

    // Newest first: the second article, then the first with its title intact.
    let second = "%E7%AC%AC%E4%BA%8C%E7%AF%87%20%E6%96%87%E7%AB%A0";
    assert_eq!(entries(&free)[0]["title"], "Second");
    assert_eq!(entries(&free)[1]["title"], NASTY_CLEAN);
    assert_eq!(entries(&paid)[1]["title"], NASTY_CLEAN);

    let check = |entry: &Value, folder: &str, edition: &str, bytes: u64, duration: &str| {
        let disk = |name: &str| std::fs::metadata(feed.join(folder).join(name)).unwrap().len();
        let encoded = if folder == "five-awareness" { folder } else { second };
        let enclosures = entry["enclosures"].as_array().unwrap();
        assert_eq!(enclosures.len(), 1);
        let audio = format!("episode-{edition}.mp3");
        assert_eq!(enclosures[0]["href"], url(encoded, &audio));
        assert_eq!(enclosures[0]["length"], disk(&audio).to_string());
        assert_eq!(enclosures[0]["length"], bytes.to_string());
        assert_eq!(enclosures[0]["type"], "audio/mpeg");
        assert_eq!(entry["itunes_duration"], duration);
        assert_eq!(entry["guidislink"], false);
        assert_eq!(entry["podcast_chapters"]["url"], url(encoded, &format!("episode-{edition}.chapters.json")));
        assert_eq!(entry["podcast_chapters"]["type"], "application/json+chapters");
        let transcripts: Vec<(String, String)> = entry["transcripts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["url"].as_str().unwrap().into(), t["type"].as_str().unwrap().into()))
            .collect();
        let mut want = vec![(url(encoded, &format!("episode-{edition}.vtt")), "text/vtt".to_string())];
        if edition == "full" {
            want.push((url(encoded, "episode-full.srt"), "application/x-subrip".into()));
        }
        assert_eq!(transcripts, want);
        assert_eq!(entry["podcast_transcript"]["url"], want.last().unwrap().0, "feedparser sees the last one");
    };
    check(&entries(&free)[1], "five-awareness", "free", 1000, "61");
    check(&entries(&paid)[1], "five-awareness", "full", 3000, "126");
    check(&entries(&free)[0], "第二篇 文章", "free", 400, "61");
    check(&entries(&paid)[0], "第二篇 文章", "full", 800, "126");

    // The public feed says nothing of the paid part; the subscribers' one does.
    let free_xml = std::fs::read_to_string(feed.join(FEED_FREE)).unwrap();
    assert!(!free_xml.contains(PAID_TEXT) && !free_xml.contains("付费章节"), "{free_xml}");
    // Show notes are HTML (as apps read them): the title quoted in them stays text.
    let notes = entries(&free)[1]["summary"].as_str().unwrap();
    assert_eq!(notes, "<p>免费的开头。</p><p>本期为免费试听版；完整版（含付费部分）仅供订阅者收听。</p>");
    let notes = entries(&paid)[1]["summary"].as_str().unwrap();
    assert_eq!(
        notes,
        format!(
            "<p>免费的开头。{PAID_TEXT}</p><p>章节：<br />0:00 {}<br />0:10 二、付费章节（付费）</p>",
            "五种意识 a &lt; b &amp; \"c\" 'd' ]]&gt; &lt;script&gt;"
        )
    );

    // guids: distinct between articles and between the two feeds.
    let (free_ids, paid_ids) = (ids(&free), ids(&paid));
    let mut all: Vec<&String> = free_ids.iter().chain(&paid_ids).collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 4, "{free_ids:?} {paid_ids:?}");

    // Rebuild the first article later, with longer episodes: same guids and date, new length.
    let published_before = entries(&free)[1]["published"].clone();
    upsert(&feed, article(&feed, "five-awareness", NASTY_TITLE, (1500, 3500), 1_700_009_000), &Channel::default())
        .unwrap();
    let free = feedparse(&feed.join(FEED_FREE));
    let paid = feedparse(&feed.join(FEED_PAID));
    assert_eq!((free["bozo"].clone(), paid["bozo"].clone()), (Value::Bool(false), Value::Bool(false)));
    assert_eq!(ids(&free), free_ids);
    assert_eq!(ids(&paid), paid_ids);
    assert_eq!(entries(&free)[1]["published"], published_before);
    check(&entries(&free)[1], "five-awareness", "free", 1500, "61");
    check(&entries(&paid)[1], "five-awareness", "full", 3500, "126");
    assert_eq!(free["title"], "我的 <播客> & more", "the channel title is remembered");
}
