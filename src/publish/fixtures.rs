//! Tracks for the writers' unit tests: plain, hostile (text that tries to become markup),
//! and the two episodes of a small manifest with a paid chapter.

use serde_json::json;

use super::track::{Cue, Mark, Track, TrackKind, episode_chapters, episode_track};
use crate::publish::manifest::Manifest;

pub const FREE_SENTENCE: &str = "免费的句子。";
pub const PAID_SENTENCE: &str = "只给付费听众的句子。";
pub const HOSTILE_TITLE: &str = "<script>alert(1)</script> & \"q\" 'a' ]]>";

fn cue(id: &str, start: f64, end: f64, text: &str) -> Cue {
    Cue { id: id.into(), start, end, text: text.into(), paid: false, reread: false }
}

fn mark(start: f64, title: &str, paid: bool, level: u8) -> Mark {
    Mark { start, title: title.into(), paid, level }
}

pub fn plain() -> Track {
    Track {
        kind: TrackKind::EpisodeFull,
        stem: "episode-full".into(),
        title: "Plain".into(),
        duration: 3727.5,
        marks: vec![mark(0.0, "Intro", false, 0), mark(3725.0456, "第二章", true, 0)],
        cues: vec![cue("u0001", 0.0, 1.5, "Hello there."), cue("u0002", 3725.0456, 3727.0, "第二句。")],
    }
}

pub fn hostile() -> Track {
    Track {
        kind: TrackKind::EpisodeFull,
        stem: "episode-full".into(),
        title: HOSTILE_TITLE.into(),
        duration: 20.0,
        marks: vec![
            mark(0.0, HOSTILE_TITLE, false, 0),
            mark(5.0, "\"quoted\" & 'apos' </script><!--", true, 0),
            mark(8.0, "]]> --> {\\an8}", true, 1),
        ],
        cues: vec![
            cue("u0001", 0.0, 2.0, "<script>alert(1)</script> <b>bold</b>"),
            cue("u0002", 5.0, 7.0, "]]> &amp; \"quoted\" 'single' a --> b"),
            cue("u0003", 8.0, 9.0, "<speak><break time=\"1s\"/></speak> {\\an8}"),
            cue("u0004", 10.0, 12.0, "line one\n\nline two\r\nline three"),
        ],
    }
}

fn utterance(id: &str, chapter: usize, start: f64, end: f64, text: &str) -> serde_json::Value {
    json!({
        "id": id, "chapter": chapter, "paragraph": 0, "line": 1, "kind": "paragraph", "text": text,
        "reread": false, "spoken": true, "start": start, "end": end, "pause_after_ms": 300,
        "backend": "espeak", "voice": "cmn", "source": "synthesized", "cache_key": null,
        "substituted_because": null
    })
}

fn chapter(index: usize, title: &str, kind: &str, duration: f64, markers: serde_json::Value) -> serde_json::Value {
    json!({
        "index": index, "title": title, "kind": kind, "paid": kind == "paid",
        "file": format!("{index:02}-{kind}.wav"), "duration": duration, "utterances": 2, "markers": markers
    })
}

/// A manifest with a free opening, a free section, a paid chapter (with a section inside it)
/// and a free continuation.
pub fn manifest() -> Manifest {
    let value = json!({
        "format_version": 1, "generator": "test",
        "article": { "file": "a.txt", "title": "标题", "encoding": "UTF-8" },
        "voice": { "preset": "zh-espeak", "backend": "espeak", "engine": "x", "voice": "cmn", "language": "zh" },
        "audio": { "format": "wav", "sample_rate": 22050, "channels": 1, "bits_per_sample": 16 },
        "warnings": [], "counts": { "synthesized": 6, "cached": 0, "substituted": 0, "failed": 0 },
        "chapters": [
            chapter(0, "标题", "opening", 2.0, json!([])),
            chapter(1, "一、甲", "section", 3.0, json!([])),
            chapter(2, "二、乙", "paid", 4.0, json!([{ "title": "三、丙", "utterance": "u0006", "start": 2.5 }])),
            chapter(3, "二、乙", "continuation", 1.5, json!([])),
        ],
        "utterances": [
            utterance("u0001", 0, 0.0, 1.0, "标题"),
            utterance("u0002", 1, 0.0, 1.0, "一、甲"),
            utterance("u0003", 1, 1.2, 2.8, FREE_SENTENCE),
            utterance("u0004", 2, 0.0, 1.0, "二、乙"),
            utterance("u0005", 2, 1.0, 2.4, PAID_SENTENCE),
            utterance("u0006", 2, 2.5, 3.9, "三、丙"),
            utterance("u0007", 3, 0.0, 1.4, "最后。"),
        ],
        "episodes": [],
        "failures": []
    });
    Manifest::from_json(&value.to_string()).expect("the fixture is a manifest")
}

/// The free and the full episode of [`manifest`].
pub fn episodes() -> (Track, Track) {
    let m = manifest();
    let (free, all) = episode_chapters(&m);
    (episode_track(&m, TrackKind::EpisodeFree, &free, None), episode_track(&m, TrackKind::EpisodeFull, &all, None))
}
