//! MP3 output: chapters, tags, timing and format, checked by decoding the file (symphonia,
//! through seedaudio's own decoder) and by reading it with ffprobe when it is installed (a run
//! with `--include-ignored` requires it: [`common::cross_check`]).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{article, build, chapters, cross_check};
use seedaudio::publish::mp3::{Mp3Error, Mp3Settings, Tags, encode_wav, encode_wavs};
use seedaudio::publish::track::{Mark, Track, TrackKind};
use serde_json::Value;

const RATE: u32 = 44_100;
const TRICKY: &str = "<script>alert(\"x\")</script> & 'quotes'";
/// 45 Chinese characters: 135 bytes of UTF-8, 92 of UTF-16, longer than 127 bytes.
const LONG: &str = "这是一个很长很长的标题用来检查章节标题超过一百二十七个字节时是否还能被正确读取而不出错误的情况呢";

fn write_wav(path: &Path, rate: u32, channels: u16, samples: &[i16]) {
    let spec =
        hound::WavSpec { channels, sample_rate: rate, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for &s in samples {
        w.write_sample(s).unwrap();
    }
    w.finalize().unwrap();
}

/// `seconds` of silence with a 300 ms burst of noise at each of `bursts` (seconds). Noise,
/// unlike a tone, lines up with a copy of itself at one lag only.
fn bursts(rate: u32, seconds: f64, bursts: &[f64]) -> Vec<i16> {
    let n = (seconds * f64::from(rate)).round() as usize;
    let mut v = vec![0i16; n];
    let mut state = 0x2545_f491_u32;
    for &at in bursts {
        let start = (at * f64::from(rate)).round() as usize;
        let len = (0.3 * f64::from(rate)) as usize;
        for s in v.iter_mut().skip(start).take(len) {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            *s = ((state >> 16) as i16) / 3;
        }
    }
    v
}

fn track(duration: f64, marks: &[(f64, &str, u8)]) -> Track {
    Track {
        kind: TrackKind::EpisodeFull,
        stem: "episode-full".into(),
        title: "测试节目".into(),
        duration,
        marks: marks
            .iter()
            .map(|&(start, title, level)| Mark { start, title: title.into(), paid: level > 0, level })
            .collect(),
        cues: vec![],
    }
}

fn tags() -> Tags {
    Tags {
        title: "把文章变成声音 <b>&</b>".into(),
        artist: "作者 \"名\"".into(),
        album: "播客 & 系列".into(),
        track: Some((3, Some(7))),
        language: "zh-CN".into(),
        comment: Some("免费预览".into()),
    }
}

/// Decodes the MP3 with seedaudio's symphonia decoder: (rate, channels, mono samples).
fn decode(mp3: &Path) -> (u32, u16, Vec<f32>) {
    let buf = seedaudio::audio::decode(&std::fs::read(mp3).unwrap(), seedaudio::audio::AudioHint::Sniff).unwrap();
    (buf.rate, buf.channels, buf.samples)
}

/// The lag (in samples, positive = decoded is late) that best lines `decoded` up with
/// `original` around `at`, searched within ±`reach`.
fn lag(original: &[i16], decoded: &[f32], at: usize, reach: isize) -> isize {
    let window = 4096usize;
    let mut best = (f64::MIN, 0isize);
    for lag in -reach..=reach {
        let mut sum = 0.0;
        for i in at..at + window {
            let j = i as isize + lag;
            if j >= 0 && (j as usize) < decoded.len() && i < original.len() {
                sum += f64::from(original[i]) * f64::from(decoded[j as usize]);
            }
        }
        if sum > best.0 {
            best = (sum, lag);
        }
    }
    best.1
}

fn ffprobe(mp3: &Path) -> Value {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-show_chapters", "-show_format", "-show_streams", "-of", "json"])
        .arg(mp3)
        .output()
        .unwrap();
    assert!(out.status.success(), "ffprobe failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn num(v: &Value) -> f64 {
    v.as_str().map(|s| s.parse().unwrap()).or(v.as_f64()).unwrap()
}

/// Checks ffprobe's chapters against `expected` (title, start s, end s) within 50 ms.
fn check_ffprobe_chapters(probe: &Value, expected: &[(String, f64, f64)]) {
    let got = probe["chapters"].as_array().unwrap();
    assert_eq!(got.len(), expected.len(), "{probe:#}");
    for (c, (title, start, end)) in got.iter().zip(expected) {
        assert_eq!(c["tags"]["title"].as_str(), Some(title.as_str()), "{c:#}");
        let (s, e) = (num(&c["start_time"]), num(&c["end_time"]));
        assert!((s - start).abs() < 0.05, "{title}: starts at {s} s, expected {start} s");
        assert!((e - end).abs() < 0.05, "{title}: ends at {e} s, expected {end} s");
    }
}

#[test]
fn tone_mp3_has_aligned_audio_chapters_and_tags() {
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("in.wav");
    let mp3 = dir.path().join("out.mp3");
    let starts = [0.5, 3.0, 5.25, 8.0];
    let pcm = bursts(RATE, 10.0, &starts);
    write_wav(&wav, RATE, 1, &pcm);
    let marks = [(0.0, "第一章：开始", 0), (3.0, TRICKY, 1), (5.25, LONG, 1), (8.0, "Last & least", 0)];
    let t = track(10.0, &marks);

    let info = encode_wav(&wav, &mp3, &t, &tags(), &Mp3Settings::default()).unwrap();
    assert_eq!(info.duration, pcm.len() as f64 / f64::from(RATE));
    assert_eq!(info.bytes, std::fs::metadata(&mp3).unwrap().len());
    let names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    assert_eq!(names.len(), 2, "only the WAV and the MP3 remain: {names:?}");

    // The audio: same rate and channels, same length, and lined up with the WAV.
    let (rate, channels, decoded) = decode(&mp3);
    assert_eq!((rate, channels), (RATE, 1));
    // The Info frame's delay and padding let the decoder trim LAME's extra samples exactly.
    assert_eq!(decoded.len(), pcm.len(), "decoded samples vs the WAV's");
    for &at in &starts[1..] {
        let at = (at * f64::from(RATE)) as usize - 1024;
        let l = lag(&pcm, &decoded, at, 2 * 1152);
        eprintln!("decoded audio vs WAV at {at}: {l} samples ({:.1} ms)", l as f64 * 1000.0 / f64::from(RATE));
        assert!(l.abs() <= 441, "the decoded audio is {l} samples off the WAV (more than 10 ms)");
    }

    // Bit rate: the audio bytes over the duration.
    let tag = id3::Tag::read_from_path(&mp3).unwrap();
    assert_eq!(tag.chapters().count(), marks.len());
    let kbps = info.bytes as f64 * 8.0 / info.duration / 1000.0;
    assert!((60.0..72.0).contains(&kbps), "{kbps} kbit/s for a 64 kbit/s setting");

    if cross_check("ffprobe") {
        let probe = ffprobe(&mp3);
        let expected: Vec<(String, f64, f64)> = marks
            .iter()
            .enumerate()
            .map(|(i, m)| (m.1.to_string(), m.0, marks.get(i + 1).map_or(10.0, |n| n.0)))
            .collect();
        check_ffprobe_chapters(&probe, &expected);
        let ftags = &probe["format"]["tags"];
        assert_eq!(ftags["title"].as_str(), Some("把文章变成声音 <b>&</b>"), "{probe:#}");
        assert_eq!(ftags["artist"].as_str(), Some("作者 \"名\""));
        assert_eq!(ftags["album"].as_str(), Some("播客 & 系列"));
        assert_eq!(ftags["track"].as_str(), Some("3/7"));
        assert_eq!(ftags["language"].as_str(), Some("zho"));
        assert_eq!(ftags["comment"].as_str(), Some("免费预览"));
        let stream = &probe["streams"][0];
        assert_eq!(stream["codec_name"].as_str(), Some("mp3"));
        assert_eq!(stream["sample_rate"].as_str(), Some("44100"));
        assert_eq!(stream["channels"].as_u64(), Some(1));
        assert_eq!(num(&stream["bit_rate"]), 64_000.0);
        // ffprobe's duration counts whole frames, LAME's delay and padding included (31 ms
        // here); players and decoders trim them, as checked above.
        let duration = num(&probe["format"]["duration"]);
        assert!((duration - 10.0).abs() < 0.05, "ffprobe says {duration} s");
    }
}

/// The paid chapter of the Chinese example, built by the real binary: its sections become
/// chapters at the manifest's times.
#[test]
fn built_paid_chapter_becomes_mp3_with_section_chapters() {
    let (built, manifest, _) = build(&article("zh-example.txt"), &["--engine", "embedded", "--quiet"]);
    let out = built.out();
    let paid = chapters(&manifest).iter().find(|c| c["paid"].as_bool().unwrap()).unwrap();
    let wav = out.join(paid["file"].as_str().unwrap());
    let duration = paid["duration"].as_f64().unwrap();
    let mut marks = vec![(0.0, paid["title"].as_str().unwrap().to_string())];
    for m in paid["markers"].as_array().unwrap() {
        marks.push((m["start"].as_f64().unwrap(), m["title"].as_str().unwrap().to_string()));
    }
    assert!(marks.len() >= 2, "the paid chapter has a section: {marks:?}");
    let t = Track {
        kind: TrackKind::Chapter(paid["index"].as_u64().unwrap() as usize),
        stem: "03-paid".into(),
        title: marks[0].1.clone(),
        duration,
        marks: marks
            .iter()
            .enumerate()
            .map(|(i, (start, title))| Mark { start: *start, title: title.clone(), paid: true, level: u8::from(i > 0) })
            .collect(),
        cues: vec![],
    };
    let mp3: PathBuf = out.join("03-paid.mp3");
    let info =
        encode_wav(&wav, &mp3, &t, &Tags { language: "zh".into(), ..tags() }, &Mp3Settings { kbps: 96 }).unwrap();
    assert!((info.duration - duration).abs() < 0.01);

    let (rate, channels, decoded) = decode(&mp3);
    assert_eq!((rate, channels), (RATE, 1));
    let seconds = decoded.len() as f64 / f64::from(rate);
    assert!((seconds - duration).abs() < 0.05, "decoded {seconds} s, the WAV has {duration} s");
    let pcm: Vec<i16> = hound::WavReader::open(&wav).unwrap().samples::<i16>().map(Result::unwrap).collect();
    // Line up at the section's start, where speech begins.
    let at = (marks[1].0 * f64::from(RATE)) as usize;
    let l = lag(&pcm, &decoded, at, 2 * 1152);
    eprintln!("speech: decoded vs WAV lag {l} samples");
    assert!(l.abs() <= 441, "the decoded speech is {l} samples off the WAV");

    if cross_check("ffprobe") {
        let probe = ffprobe(&mp3);
        let expected: Vec<(String, f64, f64)> = marks
            .iter()
            .enumerate()
            .map(|(i, m)| (m.1.clone(), m.0, marks.get(i + 1).map_or(duration, |n| n.0)))
            .collect();
        check_ffprobe_chapters(&probe, &expected);
        assert_eq!(probe["format"]["tags"]["language"].as_str(), Some("zho"));
        let bit_rate = num(&probe["streams"][0]["bit_rate"]);
        assert_eq!(bit_rate, 96_000.0);
    }
}

#[test]
fn low_sample_rate_keeps_its_rate() {
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("in.wav");
    let mp3 = dir.path().join("out.mp3");
    let pcm = bursts(22_050, 4.0, &[1.0, 2.5]);
    write_wav(&wav, 22_050, 1, &pcm);
    let t = track(4.0, &[(0.0, "甲", 0), (2.5, "乙", 1)]);
    let info = encode_wav(&wav, &mp3, &t, &tags(), &Mp3Settings { kbps: 32 }).unwrap();
    assert_eq!(info.duration, 4.0);
    let (rate, channels, decoded) = decode(&mp3);
    assert_eq!((rate, channels), (22_050, 1));
    assert_eq!(decoded.len(), pcm.len(), "decoded samples vs the WAV's");
    let l = lag(&pcm, &decoded, 22_050 * 5 / 2 - 1024, 2 * 1152);
    eprintln!("22050 Hz: decoded vs WAV lag {l} samples");
    assert!(l.abs() <= 220, "{l} samples off at 22050 Hz");
    if cross_check("ffprobe") {
        let probe = ffprobe(&mp3);
        check_ffprobe_chapters(&probe, &[("甲".into(), 0.0, 2.5), ("乙".into(), 2.5, 4.0)]);
        assert_eq!(probe["streams"][0]["sample_rate"].as_str(), Some("22050"));
    }
}

#[test]
fn unsuitable_input_is_refused_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mp3 = dir.path().join("out.mp3");
    let t = track(1.0, &[(0.0, "a", 0)]);

    let stereo = dir.path().join("stereo.wav");
    write_wav(&stereo, RATE, 2, &vec![0; 2 * RATE as usize]);
    let err = encode_wav(&stereo, &mp3, &t, &tags(), &Mp3Settings::default()).unwrap_err();
    assert!(matches!(err, Mp3Error::WavFormat { channels: 2, .. }), "{err}");

    let hi = dir.path().join("hi.wav");
    write_wav(&hi, 96_000, 1, &vec![0; 96_000]);
    let err = encode_wav(&hi, &mp3, &t, &tags(), &Mp3Settings::default()).unwrap_err();
    assert!(err.to_string().contains("96000 Hz cannot be stored in an MP3"), "{err}");

    let short = dir.path().join("short.wav");
    write_wav(&short, RATE, 1, &vec![0; RATE as usize / 4]);
    let err = encode_wav(&short, &mp3, &t, &tags(), &Mp3Settings::default()).unwrap_err();
    assert!(matches!(err, Mp3Error::TrackMismatch { .. }), "{err}");

    let ok = dir.path().join("ok.wav");
    write_wav(&ok, RATE, 1, &vec![0; RATE as usize]);
    let err = encode_wav(&ok, &mp3, &t, &tags(), &Mp3Settings { kbps: 56 }).unwrap_err();
    assert!(matches!(err, Mp3Error::Bitrate(56)), "{err}");

    let names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    assert!(!names.iter().any(|n| n.contains("mp3")), "{names:?}");
}

/// An episode from its chapter files, without an episode WAV: the second file's chapter
/// starts where the first file ends, and the audio is the two files back to back.
#[test]
fn chapter_files_are_joined_into_one_mp3() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("01.wav"), dir.path().join("02.wav"));
    let first = bursts(RATE, 2.5, &[1.0]);
    let second = bursts(RATE, 3.0, &[0.5, 2.0]);
    write_wav(&a, RATE, 1, &first);
    write_wav(&b, RATE, 1, &second);
    let mp3 = dir.path().join("episode-full.mp3");
    let t = track(5.5, &[(0.0, "一", 0), (2.5, "二", 0), (4.5, "二（一）", 1)]);
    let info = encode_wavs(&[&a, &b], &mp3, &t, &tags(), &Mp3Settings { kbps: 80 }).unwrap();
    assert_eq!(info.duration, 5.5);

    let (_, _, decoded) = decode(&mp3);
    let joined: Vec<i16> = first.iter().chain(&second).copied().collect();
    assert_eq!(decoded.len(), joined.len(), "decoded samples vs the WAVs'");
    for at in [1.0, 3.0, 4.5] {
        let l = lag(&joined, &decoded, (at * f64::from(RATE)) as usize - 1024, 2 * 1152);
        assert!(l.abs() <= 441, "{l} samples off at {at} s");
    }
    if cross_check("ffprobe") {
        let probe = ffprobe(&mp3);
        check_ffprobe_chapters(
            &probe,
            &[("一".into(), 0.0, 2.5), ("二".into(), 2.5, 4.5), ("二（一）".into(), 4.5, 5.5)],
        );
        assert_eq!(num(&probe["streams"][0]["bit_rate"]), 80_000.0);
    }

    let other = dir.path().join("03.wav");
    write_wav(&other, 22_050, 1, &vec![0; 22_050]);
    let err = encode_wavs(&[&a, &other], &mp3, &track(3.5, &[]), &tags(), &Mp3Settings::default()).unwrap_err();
    assert!(matches!(err, Mp3Error::MixedRates { rate: 22_050, first: 44_100, .. }), "{err}");
}
