//! What a build publishes around its chapters, checked end to end through the binary and,
//! where one exists, an independent reader: hound and our RIFF reader for WAV cue points,
//! ffprobe for MP3 chapters and tags, feedparser for the feeds, ffmpeg for loudness.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{article, feedparse, need_feedparser, read_json, run, seedaudio};
use serde_json::Value;

const CTA: &str = "想听完整的付费部分，请订阅我们的会员频道。";

/// Builds `name` into `root/<folder>` with `extra` flags.
fn build_into(root: &Path, folder: &str, name: &str, extra: &[&str]) -> (PathBuf, Value) {
    let out = root.join(folder);
    let r = run(seedaudio().arg("build").arg(article(name)).arg("--out").arg(&out).args(extra));
    assert_eq!(r.status, 0, "build of {name} failed:\n{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let manifest = read_json(&out.join("manifest.json"));
    (out, manifest)
}

fn episode<'a>(manifest: &'a Value, kind: &str) -> &'a Value {
    manifest["episodes"].as_array().unwrap().iter().find(|e| e["kind"] == kind).expect("the episode is listed")
}

/// Texts read only in the paid part (a heading re-read at the start of the paid chapter is
/// also free).
fn paid_only_texts(manifest: &Value) -> Vec<String> {
    let chapters = common::chapters(manifest);
    let paid = |u: &Value| chapters[u["chapter"].as_u64().unwrap() as usize]["paid"] == true;
    let utterances = common::utterances(manifest);
    let free: HashSet<&str> = utterances.iter().filter(|u| !paid(u)).map(|u| u["text"].as_str().unwrap()).collect();
    utterances
        .iter()
        .filter(|u| paid(u) && u["spoken"] == true)
        .map(|u| u["text"].as_str().unwrap())
        .filter(|t| !free.contains(t))
        .map(String::from)
        .collect()
}

#[test]
fn episodes_cue_points_and_transcripts_follow_the_manifest() {
    let root = tempfile::tempdir().unwrap();
    let (out, manifest) = build_into(root.path(), "zh", "zh-example.txt", &["--call-to-action", CTA]);
    let rate = manifest["audio"]["sample_rate"].as_u64().unwrap() as f64;
    let chapters = common::chapters(&manifest);

    for kind in ["free", "full"] {
        let ep = episode(&manifest, kind);
        let path = out.join(ep["file"].as_str().unwrap());
        assert_eq!(std::fs::metadata(&path).unwrap().len(), ep["bytes"].as_u64().unwrap());
        let reader = hound::WavReader::open(&path).unwrap();
        let seconds = f64::from(reader.duration()) / rate;
        assert!((seconds - ep["duration"].as_f64().unwrap()).abs() < 0.001, "{kind}: {seconds}");
        // Every chapter and section start is a cue point with its title.
        let cues = seedaudio::publish::episode_wav::read_cues(&path).unwrap();
        let marks = ep["marks"].as_array().unwrap();
        assert_eq!(cues.len(), marks.len(), "{kind}");
        for (cue, mark) in cues.iter().zip(marks) {
            assert_eq!(cue.label, mark["title"].as_str().unwrap());
            let start = mark["start"].as_f64().unwrap();
            assert!((f64::from(cue.sample) / rate - start).abs() < 0.001, "{kind}: {} vs {start}", cue.label);
        }
    }

    // The full episode is every chapter end to end; the free one the free chapters and the
    // call to action.
    let full = episode(&manifest, "full");
    let sum: f64 = chapters.iter().map(|c| c["duration"].as_f64().unwrap()).sum();
    assert!((full["duration"].as_f64().unwrap() - sum).abs() < 0.001);
    let free = episode(&manifest, "free");
    assert_eq!(free["call_to_action"], CTA);
    let free_chapters: Vec<u64> = free["chapters"].as_array().unwrap().iter().map(|c| c.as_u64().unwrap()).collect();
    assert!(free_chapters.iter().all(|&i| chapters[i as usize]["paid"] == false));
    assert_eq!(free_chapters.len(), chapters.iter().filter(|c| c["paid"] == false).count());

    // Transcripts: the free episode's hold no paid text; the full episode's hold it all.
    let paid = paid_only_texts(&manifest);
    assert!(!paid.is_empty());
    for file in ["episode-free.vtt", "episode-free.srt", "episode-free.chapters.json"] {
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        for t in &paid {
            assert!(!text.contains(t.as_str()), "{file} holds paid text {t:?}");
        }
    }
    let free_vtt = std::fs::read_to_string(out.join("episode-free.vtt")).unwrap();
    assert!(free_vtt.contains(CTA), "the call to action is captioned");
    let full_vtt = std::fs::read_to_string(out.join("episode-full.vtt")).unwrap();
    let full_srt = std::fs::read_to_string(out.join("episode-full.srt")).unwrap();
    assert!(!full_vtt.contains(CTA));
    for u in common::utterances(&manifest).iter().filter(|u| u["spoken"] == true) {
        let t = u["text"].as_str().unwrap();
        assert!(full_vtt.contains(t) && full_srt.contains(t), "the full transcript lacks {t:?}");
    }
    // Cue times are the utterances' real times, offset by the chapters before them.
    let first_paid = chapters.iter().position(|c| c["paid"] == true).unwrap();
    let offset: f64 = chapters[..first_paid].iter().map(|c| c["duration"].as_f64().unwrap()).sum();
    let u = common::utterances(&manifest).iter().find(|u| u["chapter"] == first_paid && u["spoken"] == true).unwrap();
    let start = offset + u["start"].as_f64().unwrap();
    let stamp = format!("{:02}:{:02}:{:06.3}", (start / 3600.0) as u64, (start / 60.0) as u64 % 60, start % 60.0);
    assert!(full_vtt.contains(&format!("{stamp} --> ")), "no cue at {stamp}");

    // Every chapter has its own transcripts; the paid chapter's only in its own files.
    for c in chapters {
        let file = c["file"].as_str().unwrap();
        let stem = file.strip_suffix(".wav").unwrap();
        assert!(out.join(format!("{stem}.vtt")).exists() && out.join(format!("{stem}.srt")).exists());
    }
    let chapters_json = read_json(&out.join("episode-full.chapters.json"));
    assert_eq!(chapters_json["version"], "1.2.0");
    let starts: Vec<f64> =
        chapters_json["chapters"].as_array().unwrap().iter().map(|c| c["startTime"].as_f64().unwrap()).collect();
    let marks: Vec<f64> = full["marks"].as_array().unwrap().iter().map(|m| m["start"].as_f64().unwrap()).collect();
    assert_eq!(starts.len(), marks.len());
    assert!(starts.iter().zip(&marks).all(|(a, b)| (a - b).abs() < 0.001));
    assert!(out.join("index.html").exists());

    // The same command again finds the folder up to date and writes nothing.
    let before = std::fs::metadata(out.join("episode-full.wav")).unwrap().modified().unwrap();
    let r = run(seedaudio()
        .arg("build")
        .arg(article("zh-example.txt"))
        .arg("--out")
        .arg(&out)
        .args(["--call-to-action", CTA]));
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stderr.contains("up to date"), "{}", r.stderr);
    assert_eq!(std::fs::metadata(out.join("episode-full.wav")).unwrap().modified().unwrap(), before);
    // Without the call to action it is not: the free episode changes.
    let r = run(seedaudio().arg("build").arg(article("zh-example.txt")).arg("--out").arg(&out));
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("up to date"), "{}", r.stderr);
    let manifest = read_json(&out.join("manifest.json"));
    assert!(episode(&manifest, "free").get("call_to_action").is_none());
}

#[derive(Debug)]
struct Probed {
    chapters: Vec<(f64, String)>,
    tags: Value,
    channels: u64,
    bit_rate: f64,
}

fn ffprobe(path: &Path) -> Probed {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-show_chapters", "-show_format", "-show_streams", "-of", "json"])
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let chapters = v["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (c["start_time"].as_str().unwrap().parse().unwrap(), c["tags"]["title"].as_str().unwrap_or("").to_string())
        })
        .collect();
    Probed {
        chapters,
        tags: v["format"]["tags"].clone(),
        channels: v["streams"][0]["channels"].as_u64().unwrap(),
        bit_rate: v["streams"][0]["bit_rate"].as_str().unwrap().parse().unwrap(),
    }
}

#[test]
fn the_manifest_names_the_audio_format_the_files_are_in() {
    let root = tempfile::tempdir().unwrap();
    for (format, folder) in [("mp3", "zh-mp3"), ("wav", "zh-wav")] {
        let (out, manifest) = build_into(root.path(), folder, "zh-example.txt", &["--format", format]);
        assert_eq!(manifest["audio"]["format"], format, "{folder}");
        for c in common::chapters(&manifest) {
            let file = c["file"].as_str().unwrap();
            assert!(file.ends_with(&format!(".{format}")) && out.join(file).exists(), "{file}");
        }
    }
}

#[test]
#[ignore = "needs ffprobe: apt-get install ffmpeg"]
fn mp3_episodes_carry_chapters_and_tags_that_ffprobe_reads() {
    common::need("ffprobe");
    let root = tempfile::tempdir().unwrap();
    let (out, manifest) = build_into(root.path(), "zh", "zh-example.txt", &["--format", "mp3", "--bitrate", "64"]);
    assert!(std::fs::read_dir(&out).unwrap().flatten().all(|e| !e.file_name().to_string_lossy().ends_with(".wav")));
    for c in common::chapters(&manifest) {
        let file = c["file"].as_str().unwrap();
        assert!(file.ends_with(".mp3") && out.join(file).exists(), "{file}");
    }
    for kind in ["free", "full"] {
        let ep = episode(&manifest, kind);
        let file = ep["file"].as_str().unwrap();
        assert!(file.ends_with(".mp3"));
        let probed = ffprobe(&out.join(file));
        let marks = ep["marks"].as_array().unwrap();
        assert_eq!(probed.chapters.len(), marks.len(), "{kind}: {probed:?}");
        for ((start, title), mark) in probed.chapters.iter().zip(marks) {
            assert_eq!(title, mark["title"].as_str().unwrap());
            let want = mark["start"].as_f64().unwrap();
            assert!((start - want).abs() <= 0.05, "{kind} {title}: {start} vs {want}");
        }
        assert_eq!(probed.channels, 1);
        assert!((probed.bit_rate - 64_000.0).abs() < 1.0, "{}", probed.bit_rate);
        assert_eq!(probed.tags["title"], manifest["article"]["title"]);
        assert!(probed.tags["artist"].as_str().is_some_and(|a| !a.is_empty()));
        assert_eq!(probed.tags["album"], manifest["article"]["title"]);
        assert!(probed.tags["language"].as_str().is_some_and(|l| l == "chi" || l == "zho"), "{:?}", probed.tags);
    }
}

/// The file a feed URL points at, under `root` served at `base`.
fn local(root: &Path, base: &str, url: &str) -> PathBuf {
    let rel = url.strip_prefix(base).unwrap_or_else(|| panic!("{url} is not under {base}"));
    root.join(percent_decode(rel))
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
#[ignore = "needs feedparser: pip install feedparser"]
fn feeds_of_two_articles_read_back_by_feedparser() {
    need_feedparser();
    let root = tempfile::tempdir().unwrap();
    let base = "https://example.com/pod/";
    let title = "Pod <b>&amp; \"quoted\" 'it's' ]]> & <script>";
    let flags = ["--format", "mp3", "--base-url", base, "--feed-title", title];
    let (zh, zh_manifest) = build_into(root.path(), "zh-example", "zh-example.txt", &flags);
    let (en, en_manifest) = build_into(root.path(), "en-example", "en-example.md", &flags);
    let free = feedparse(&root.path().join("feed-free.xml"));
    let paid = feedparse(&root.path().join("feed-paid.xml"));
    for (feed, kind) in [(&free, "free"), (&paid, "full")] {
        assert_eq!(feed["bozo"], false, "{}", feed["bozo_exception"]);
        assert!(feed["title"].as_str().unwrap().starts_with(title), "{}", feed["title"]);
        let entries = feed["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 2, "{kind}: one item per article");
        for (dir, manifest) in [(&zh, &zh_manifest), (&en, &en_manifest)] {
            let ep = episode(manifest, kind);
            let audio = dir.join(ep["file"].as_str().unwrap());
            let entry = entries
                .iter()
                .find(|e| e["enclosures"][0]["href"].as_str().is_some_and(|h| local(root.path(), base, h) == audio))
                .unwrap_or_else(|| panic!("{kind}: no item encloses {}", audio.display()));
            assert_eq!(entry["title"], manifest["article"]["title"]);
            let enclosure = &entry["enclosures"][0];
            assert_eq!(enclosure["length"].as_str().unwrap(), std::fs::metadata(&audio).unwrap().len().to_string());
            assert_eq!(enclosure["type"], "audio/mpeg");
            let duration: f64 = entry["itunes_duration"].as_str().unwrap().parse().unwrap();
            assert!((duration - ep["duration"].as_f64().unwrap()).abs() <= 1.0, "{duration}");
            let chapters = local(root.path(), base, entry["podcast_chapters"]["url"].as_str().unwrap());
            assert_eq!(chapters, dir.join(format!("episode-{kind}.chapters.json")));
            assert!(chapters.exists());
            let transcripts = entry["transcripts"].as_array().unwrap();
            assert!(transcripts.iter().any(|t| t["type"] == "text/vtt"));
            for t in transcripts {
                assert!(local(root.path(), base, t["url"].as_str().unwrap()).exists(), "{t}");
            }
        }
        let ids: HashSet<&str> = entries.iter().map(|e| e["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), 2, "distinct guids");
    }
    // Rebuilding an article keeps its guid and the other article's item.
    let before: Vec<Value> = paid["entries"].as_array().unwrap().iter().map(|e| e["id"].clone()).collect();
    let r =
        run(seedaudio().arg("build").arg(article("zh-example.txt")).arg("--out").arg(&zh).args(flags).arg("--force"));
    assert_eq!(r.status, 0, "{}", r.stderr);
    let again = feedparse(&root.path().join("feed-paid.xml"));
    let after: Vec<Value> = again["entries"].as_array().unwrap().iter().map(|e| e["id"].clone()).collect();
    assert_eq!(after.len(), 2);
    assert!(before.iter().all(|id| after.contains(id)), "{before:?} {after:?}");
    // The free feed never names paid text.
    let free_xml = std::fs::read_to_string(root.path().join("feed-free.xml")).unwrap();
    for t in paid_only_texts(&zh_manifest) {
        assert!(!free_xml.contains(&t), "the free feed holds paid text {t:?}");
    }
}
