//! M4B output (`--format m4b`): the real binary with the built-in eSpeak voice builds a small
//! article twice, as WAV and as M4B, and independent tools read the M4B files back: ffprobe
//! (chapters with their times and titles, tags, duration, codec) and ffmpeg (decoding, and
//! loudness with its ebur128 filter). The box writer itself is tested in `src/publish/m4b/`.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Build, ffmpeg_ebur128, need, run};
use serde_json::Value;

const EN: &str = "# Writing for the Ear

Audio turns an article into something people can hear on a walk. This opening says why.

## One, Structure First

Listeners cannot skim, so the structure must be clear. Say where you are going before you go there.

Short sentences help. Long ones lose the thread before the verb arrives.

## Two, The Method

Every method starts with a plan.

##paidbegin##
This paid part explains the method in detail. Read every heading aloud, and pause between sections.

## Three, Publishing

Publish chapters and episodes together, with markers that players understand.
##paidend##
";

const ZH: &str = "把文章变成声音

这是开场白，说明为什么要听文章。

一、先把结构理清楚

听众不能跳读，所以结构一定要清楚。

##paidbegin##
二、方法

付费部分详细讲方法。每个标题都要读出来。

三、发布

章节和节目一起发布，带上播放器能读懂的标记。
##paidend##
";

const FRAME: f64 = 1024.0;

fn build(article: &str, name: &str, format: &str, extra: &[&str]) -> (Build, Value) {
    let b = Build::new()
        .article_as(name, article)
        .args(["--engine", "embedded", "--quiet", "--format", format])
        .args(extra);
    let r = b.run();
    assert_eq!(r.status, 0, "build --format {format} failed:\n{}", r.stderr);
    let m = b.manifest();
    (b, m)
}

fn ffprobe(file: &Path) -> Value {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-show_chapters", "-show_format", "-show_streams", "-of", "json"])
        .arg(file)
        .output()
        .unwrap();
    assert!(out.status.success(), "ffprobe failed on {}: {}", file.display(), String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn num(v: &Value) -> f64 {
    v.as_str().map(|s| s.parse().unwrap()).or(v.as_f64()).unwrap_or_else(|| panic!("not a number: {v}"))
}

/// The file decoded by ffmpeg: mono float samples (not clipped, so overshoot shows).
fn ffmpeg_decode(file: &Path) -> Vec<f32> {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(file)
        .args(["-f", "f32le", "-acodec", "pcm_f32le", "-"])
        .output()
        .unwrap();
    assert!(out.status.success(), "ffmpeg cannot decode {}: {}", file.display(), String::from_utf8_lossy(&out.stderr));
    out.stdout.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect()
}

fn wav_samples(file: &Path) -> (u32, Vec<i16>) {
    let mut r = hound::WavReader::open(file).unwrap();
    let rate = r.spec().sample_rate;
    (rate, r.samples::<i16>().map(Result::unwrap).collect())
}

/// The lag (samples, positive = `decoded` is late) that best lines `decoded` up with
/// `original` over 4096 samples from `at`, within ±`reach`.
fn lag(original: &[i16], decoded: &[f32], at: usize, reach: isize) -> isize {
    let mut best = (f64::MIN, 0);
    for l in -reach..=reach {
        let sum: f64 = (at..at + 4096)
            .filter_map(|i| {
                let j = usize::try_from(i as isize + l).ok()?;
                Some(f64::from(*original.get(i)?) * f64::from(*decoded.get(j)?))
            })
            .sum();
        if sum > best.0 {
            best = (sum, l);
        }
    }
    best.1
}

/// ffprobe's chapters must be the manifest's marks: same titles, same starts (within a
/// millisecond: starts are rounded to a sample), each ending where the next starts.
fn check_chapters(probe: &Value, marks: &[Value], duration: f64, file: &str) {
    let got = probe["chapters"].as_array().unwrap();
    assert_eq!(got.len(), marks.len(), "{file}: ffprobe chapters {got:#?} vs manifest marks {marks:#?}");
    for (i, (c, m)) in got.iter().zip(marks).enumerate() {
        let title = m["title"].as_str().unwrap();
        assert_eq!(c["tags"]["title"].as_str(), Some(title), "{file}: chapter {i}");
        let start = m["start"].as_f64().unwrap();
        let end = marks.get(i + 1).map_or(duration, |n| n["start"].as_f64().unwrap());
        let (s, e) = (num(&c["start_time"]), num(&c["end_time"]));
        assert!((s - start).abs() < 1e-3, "{file}: {title} starts at {s} s, the manifest says {start} s");
        assert!((e - end).abs() < 1e-3, "{file}: {title} ends at {e} s, expected {end} s");
    }
}

#[test]
#[ignore = "needs ffprobe: apt-get install ffmpeg"]
fn english_book_reads_back_with_chapters_tags_duration_and_loudness() {
    need("ffprobe");
    need("ffmpeg");
    let (wav_build, wav_manifest) = build(EN, "ear.md", "wav", &[]);
    let feed_flags = ["--base-url", "https://example.com/pod/", "--feed-title", "Ear"];
    let (b, manifest) = build(EN, "ear.md", "m4b", &feed_flags);
    let out = b.out();
    assert_eq!(manifest["audio"]["format"], "m4b");

    for episode in manifest["episodes"].as_array().unwrap() {
        let file = episode["file"].as_str().unwrap();
        assert!(file.ends_with(".m4b"), "{file}");
        let path = out.join(file);
        let probe = ffprobe(&path);
        let kind = episode["kind"].as_str().unwrap();
        eprintln!("{file}: {} bytes, {} s", episode["bytes"], episode["duration"]);

        // The same episode as WAV (the same utterances, read by the same engine).
        let wav_episode = wav_manifest["episodes"].as_array().unwrap().iter().find(|e| e["kind"] == kind).unwrap();
        let (rate, wav) = wav_samples(&wav_build.out().join(wav_episode["file"].as_str().unwrap()));
        let wav_seconds = wav.len() as f64 / f64::from(rate);
        let chapters = episode["chapters"].as_array().unwrap().len() as f64;

        // Duration: ffprobe's against the WAV episode's, within an AAC frame per chapter.
        let duration = num(&probe["format"]["duration"]);
        let tolerance = chapters * FRAME / f64::from(rate);
        eprintln!("{file}: ffprobe {duration} s, WAV {wav_seconds} s");
        assert!((duration - wav_seconds).abs() <= tolerance, "{file}: {duration} s vs the WAV's {wav_seconds} s");

        // Chapters: those of the manifest (chapters and the sections inside them).
        let marks = episode["marks"].as_array().unwrap();
        check_chapters(&probe, marks, duration, file);
        if kind == "full" {
            assert!(marks.iter().any(|m| m["paid"] == true), "the full episode has the paid chapter");
            // Each form of the chapters is enough alone: the chapter track without the
            // Nero list, and the Nero list without the chapter track (its `tref` hidden).
            let bytes = std::fs::read(&path).unwrap();
            for (hide, form) in [(b"chpl", "the chapter track"), (b"tref", "the chpl list")] {
                let at = bytes.windows(4).position(|w| w == hide).unwrap_or_else(|| panic!("{file} has no {hide:?}"));
                let mut one = bytes.clone();
                one[at..at + 4].copy_from_slice(b"free");
                let alone = b.dir().join(format!("only-{}.m4b", String::from_utf8_lossy(hide)));
                std::fs::write(&alone, one).unwrap();
                eprintln!("{file}: chapters from {form} alone");
                check_chapters(&ffprobe(&alone), marks, duration, file);
            }
        }

        // The format, the stream and the tags.
        let format = &probe["format"];
        assert_eq!(format["tags"]["major_brand"].as_str(), Some("M4B "), "{format:#}");
        assert_eq!(format["tags"]["title"].as_str(), Some("Writing for the Ear"));
        assert_eq!(format["tags"]["artist"].as_str(), Some("read by en-espeak"));
        assert_eq!(format["tags"]["album"].as_str(), Some("Ear"), "the channel is the album");
        assert_eq!(format["tags"]["LANGUAGE"].as_str(), Some("eng"), "{format:#}");
        let audio = probe["streams"].as_array().unwrap().iter().find(|s| s["codec_type"] == "audio").unwrap();
        assert_eq!(audio["codec_name"], "aac");
        assert_eq!(audio["profile"], "LC");
        assert_eq!(audio["channels"], 1);
        assert_eq!(num(&audio["sample_rate"]), f64::from(rate));
        assert_eq!(audio["tags"]["language"], "eng");
        let kbps = num(&audio["bit_rate"]) / 1000.0;
        assert!((60.0..=100.0).contains(&kbps), "{file}: {kbps} kbit/s at the default 96");

        // ffmpeg decodes it: as long as the WAV (the last frame's padding is at most one
        // frame) and lined up with it.
        let decoded = ffmpeg_decode(&path);
        let extra = decoded.len() as f64 - wav.len() as f64;
        assert!((0.0..=FRAME).contains(&extra), "{file}: decoded {} samples, the WAV has {}", decoded.len(), wav.len());
        let speech = (marks.last().unwrap()["start"].as_f64().unwrap() * f64::from(rate)) as usize + rate as usize / 2;
        let l = lag(&wav, &decoded, speech, 2048);
        eprintln!("{file}: decoded vs WAV lag {l} samples");
        assert!(l.abs() <= 4, "{file}: the decoded audio is {l} samples off the WAV");
        // The coding noise does not push the leveled audio (−1 dBTP) past full scale.
        let peak = decoded.iter().fold(0f32, |m, s| m.max(s.abs()));
        eprintln!("{file}: decoded peak {:.2} dBFS", 20.0 * peak.log10());
        assert!(peak < 1.0, "{file}: decoded peak {peak} clips");

        // Loudness survives the encoding.
        let (lufs, _) = ffmpeg_ebur128(&path);
        eprintln!("{file}: {lufs} LUFS (ffmpeg ebur128)");
        assert!((lufs - -16.0).abs() <= 0.5, "{file}: {lufs} LUFS after encoding");
    }

    // Chapter files are M4A, each with its own chapters (its title, then its sections).
    for chapter in manifest["chapters"].as_array().unwrap() {
        let file = chapter["file"].as_str().unwrap();
        assert!(file.ends_with(".m4a"), "{file}");
        let probe = ffprobe(&out.join(file));
        assert_eq!(probe["format"]["tags"]["major_brand"].as_str(), Some("M4A "));
        let duration = chapter["duration"].as_f64().unwrap();
        let got = num(&probe["format"]["duration"]);
        assert!((got - duration).abs() <= FRAME / 44_100.0, "{file}: {got} s vs {duration} s");
        let mut marks = vec![serde_json::json!({"title": chapter["title"], "start": 0.0})];
        marks.extend(chapter["markers"].as_array().unwrap().iter().cloned());
        check_chapters(&probe, &marks, got, file);
        assert!(!out.join(file.replace(".m4a", ".wav")).exists(), "the chapter WAV is removed");
    }

    // The player page plays the book; the feeds enclose it as Apple Podcasts asks.
    let page = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(page.contains("episode-full.m4b") && page.contains("audio/mp4"), "the player page plays the M4B");
    let mut enclosures = 0;
    for entry in std::fs::read_dir(b.dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "xml") {
            let xml = std::fs::read_to_string(&path).unwrap();
            enclosures += xml.matches("type=\"audio/x-m4a\"").count();
            assert!(!xml.contains("audio/mpeg"), "{}", path.display());
        }
    }
    assert!(enclosures >= 2, "the free and full episodes are enclosed as audio/x-m4a");
}

#[test]
#[ignore = "needs ffprobe: apt-get install ffmpeg"]
fn chinese_book_has_its_language_and_paid_sections() {
    need("ffprobe");
    let (b, manifest) = build(ZH, "zh.txt", "m4b", &["--bitrate", "48"]);
    let full = manifest["episodes"].as_array().unwrap().iter().find(|e| e["kind"] == "full").unwrap();
    let probe = ffprobe(&b.out().join(full["file"].as_str().unwrap()));
    let duration = num(&probe["format"]["duration"]);
    assert!((duration - full["duration"].as_f64().unwrap()).abs() < 1e-3);
    check_chapters(&probe, full["marks"].as_array().unwrap(), duration, "episode-full.m4b");
    let titles: Vec<&str> =
        probe["chapters"].as_array().unwrap().iter().filter_map(|c| c["tags"]["title"].as_str()).collect();
    assert!(
        titles.iter().any(|t| t.contains("三、发布")),
        "the section inside the paid chapter is a chapter: {titles:?}"
    );
    assert_eq!(probe["format"]["tags"]["title"].as_str(), Some("把文章变成声音"));
    assert_eq!(probe["format"]["tags"]["LANGUAGE"].as_str(), Some("zho"));
    let audio = &probe["streams"][0];
    assert_eq!(audio["tags"]["language"], "zho");
    let kbps = num(&audio["bit_rate"]) / 1000.0;
    assert!(kbps <= 52.0, "{kbps} kbit/s for --bitrate 48");
}

#[test]
fn a_bit_rate_aac_cannot_carry_is_refused_with_what_to_use() {
    let b = Build::new().article_as("a.md", EN).args(["--engine", "embedded", "--format", "m4b", "--bitrate", "300"]);
    let r = run(&mut b.command());
    assert_ne!(r.status, 0);
    assert!(r.stderr.contains("--format m4b") && r.stderr.contains("use --bitrate 96"), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let r = run(&mut Build::new()
        .article_as("a.md", EN)
        .args(["--format", "m4b", "--sample-rate", "22050", "--bitrate", "160"])
        .command());
    assert_ne!(r.status, 0);
    assert!(r.stderr.contains("22050 Hz") && r.stderr.contains("use --bitrate 96"), "{}", r.stderr);
}
