//! Helpers shared by the integration tests: run the real binary, read what it wrote.
#![allow(dead_code)]

pub mod azurite;
pub mod builder;
pub mod conformance;
pub mod moto;
pub mod server;

pub use builder::Build;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The binary, with a cache folder of its own so tests never see each other's audio (a test
/// about the cache names its own with `--cache-dir` or `SEEDAUDIO_CACHE`), and without Kokoro
/// ([`without_kokoro`]).
pub fn seedaudio() -> Command {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cache-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_seedaudio"));
    cmd.env("SEEDAUDIO_CACHE", cache);
    // A shared cache of the developer's would answer for the tests' voices.
    cmd.env_remove("SEEDAUDIO_SHARED_CACHE");
    without_kokoro(&mut cmd);
    cmd
}

/// Points the binary's data folder (`SEEDAUDIO_DATA`) at an empty one, so the built-in voice
/// of an article is eSpeak's whatever this machine has installed: once Kokoro is installed
/// it would be the default. Tests of Kokoro set `SEEDAUDIO_DATA` back ([`kokoro_data`]).
pub fn without_kokoro(cmd: &mut Command) -> &mut Command {
    let empty = Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-kokoro-data");
    std::fs::create_dir_all(&empty).unwrap();
    cmd.env("SEEDAUDIO_DATA", empty)
}

/// The data folder holding this machine's Kokoro install (`SEEDAUDIO_DATA` of the test run,
/// else the XDG default). For tests marked `#[ignore = "needs Kokoro: …"]`: they run only when
/// asked for, so a missing install fails them with the command that installs it.
pub fn kokoro_data() -> PathBuf {
    let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    let data = env("SEEDAUDIO_DATA")
        .or_else(|| env("XDG_DATA_HOME").map(|x| x.join("seedaudio")))
        .or_else(|| env("HOME").map(|h| h.join(".local/share/seedaudio")))
        .expect("SEEDAUDIO_DATA, XDG_DATA_HOME or HOME is set");
    assert!(
        data.join("kokoro/installed.json").is_file(),
        "Kokoro is not installed in {} (seedaudio voices install kokoro; SEEDAUDIO_DATA says where)",
        data.display()
    );
    data
}

pub fn article(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/articles").join(name)
}

/// Every sample article the repository ships.
pub fn all_articles() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/articles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    assert!(v.len() >= 4, "the sample articles are missing");
    v
}

pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("the binary runs");
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Builds `article` with the voice its language picks into a fresh temporary folder; the build
/// must succeed. Returns the [`Build`] (its folder lives as long as it does) with the manifest.
pub fn build(article: &Path, extra: &[&str]) -> (Build, Value, Run) {
    let b = Build::new().article_file(article).args(extra);
    let r = b.run();
    assert_eq!(r.status, 0, "build of {} failed:\n{}", article.display(), r.stderr);
    let manifest = b.manifest();
    (b, manifest, r)
}

pub fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The article's text as it is read: markup turned into speech by seedaudio's own
/// `article::markup` (tested on its own in `src/article/markup.rs`), then without paid markers,
/// Markdown heading marks or white space. This checks that nothing between the cleaned text
/// and the utterances is lost or repeated.
pub fn article_text_squashed(text: &str) -> String {
    use seedaudio::article::markup::{MarkupOptions, to_speech};
    let text = to_speech(text, &MarkupOptions::for_text(text));
    let mut out = String::new();
    for line in text.lines() {
        let line = remove_markers(line);
        let trimmed = line.trim_start();
        let body = if trimmed.starts_with('#') { trimmed.trim_start_matches('#') } else { trimmed };
        out.extend(body.chars().filter(|c| !c.is_whitespace()));
    }
    out
}

/// `line` without paid markers, found left to right as the parser does: in
/// `##paidend##Paidbegin##` the end marker is the marker and `Paidbegin##` is text.
pub fn remove_markers(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    'scan: while !rest.is_empty() {
        for marker in ["##paidbegin##", "##paidend##"] {
            if rest.len() >= marker.len() && rest.as_bytes()[..marker.len()].eq_ignore_ascii_case(marker.as_bytes()) {
                rest = &rest[marker.len()..];
                continue 'scan;
            }
        }
        let c = rest.chars().next().expect("not empty");
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The manifest's utterance texts in order, re-read headings left out, white space removed.
pub fn utterances_squashed(manifest: &Value) -> String {
    manifest["utterances"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| !u["reread"].as_bool().unwrap())
        .flat_map(|u| u["text"].as_str().unwrap().chars().filter(|c| !c.is_whitespace()).collect::<Vec<_>>())
        .collect()
}

/// Whether this run asked for the ignored tests too (`cargo test -- --include-ignored`, as
/// `.ci/run` does, or `--ignored`). Such a run promises every tool the tests check against, so
/// a missing one fails the test that wanted it instead of being passed over.
pub fn every_tool_promised() -> bool {
    std::env::args().any(|a| a == "--include-ignored" || a == "--ignored")
}

/// How to get a program the tests use (Debian's package names).
fn install_hint(program: &str) -> &'static str {
    match program {
        "espeak-ng" => "apt-get install espeak-ng",
        "sox" => "apt-get install sox",
        "ffmpeg" | "ffprobe" => "apt-get install ffmpeg",
        "chromium" => "apt-get install chromium",
        "chromedriver" => "apt-get install chromium-driver",
        "python3" => "apt-get install python3",
        "/usr/bin/time" => "apt-get install time",
        _ => "see tests/README.md",
    }
}

fn installed(program: &str) -> bool {
    // ffmpeg's programs know only `-version`.
    ["--version", "-version"]
        .iter()
        .any(|flag| Command::new(program).arg(flag).output().is_ok_and(|o| o.status.success()))
}

/// For a test marked `#[ignore = "needs PROGRAM: …"]`: it runs only when asked for, so the
/// program must be there; a missing one fails the test with how to install it.
pub fn need(program: &str) {
    assert!(installed(program), "{program} is not installed ({}); this test needs it", install_hint(program));
}

/// For an independent cross-check inside a test that needs nothing but the built-in engine (so
/// is not ignored): whether `program` is there to make it. When it is missing the check is
/// passed over with a note, except in a run that includes the ignored tests
/// ([`every_tool_promised`]), where the test fails.
pub fn cross_check(program: &str) -> bool {
    let found = installed(program);
    if !found {
        let hint = install_hint(program);
        assert!(!every_tool_promised(), "{program} is not installed ({hint}); --include-ignored runs every check");
        eprintln!("note: {program} is not installed ({hint}); its cross-check is left out");
    }
    found
}

pub fn chapters(manifest: &Value) -> &Vec<Value> {
    manifest["chapters"].as_array().unwrap()
}

pub fn utterances(manifest: &Value) -> &Vec<Value> {
    manifest["utterances"].as_array().unwrap()
}

/// Checks every chapter file against the manifest: format, duration, utterance times.
pub fn check_chapters(out: &std::path::Path, manifest: &Value) {
    let rate = manifest["audio"]["sample_rate"].as_u64().unwrap() as f64;
    for chapter in chapters(manifest) {
        let file = out.join(chapter["file"].as_str().expect("every chapter written"));
        let reader = hound::WavReader::open(&file).unwrap();
        let spec = reader.spec();
        assert_eq!((spec.sample_rate, spec.channels, spec.bits_per_sample), (44_100, 1, 16), "{}", file.display());
        assert_eq!(spec.sample_format, hound::SampleFormat::Int);
        let seconds = reader.duration() as f64 / rate;
        let listed = chapter["duration"].as_f64().unwrap();
        assert!(
            (seconds - listed).abs() < 0.010,
            "{}: {seconds} s in the file, {listed} s in the manifest",
            file.display()
        );
        // Real speech, not silence: a good part of the chapter is loud.
        let samples: Vec<i16> = hound::WavReader::open(&file).unwrap().samples::<i16>().map(Result::unwrap).collect();
        let loud = samples.iter().filter(|s| s.unsigned_abs() > 1000).count();
        assert!(loud * 10 > samples.len(), "{}: only {loud} of {} samples are loud", file.display(), samples.len());

        let index = chapter["index"].as_u64().unwrap();
        let mut last_end = 0.0;
        for u in utterances(manifest).iter().filter(|u| u["chapter"].as_u64() == Some(index)) {
            let (start, end) = (u["start"].as_f64().unwrap(), u["end"].as_f64().unwrap());
            assert!(start >= last_end && end >= start && end <= listed, "{}: {start}..{end} in {listed}", u["id"]);
            if u["spoken"].as_bool().unwrap() {
                assert!(end - start > 0.2, "{} is too short to be speech", u["id"]);
            }
            last_end = end;
        }
    }
}

/// Integrated loudness (LUFS) and true peak (dBTP) of a file as ffmpeg's ebur128 filter (an
/// independent meter) reads them, from the summary it prints at the end.
#[allow(dead_code)]
pub fn ffmpeg_ebur128(file: &Path) -> (f64, f64) {
    let out = Command::new("ffmpeg")
        .args(["-nostats", "-hide_banner", "-i"])
        .arg(file)
        .args(["-filter_complex", "ebur128=peak=true", "-f", "null", "-"])
        .output()
        .expect("ffmpeg runs");
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "ffmpeg failed on {}:\n{text}", file.display());
    let summary = &text[text.rfind("Summary:").unwrap_or_else(|| panic!("no summary from ffmpeg:\n{text}"))..];
    let value = |label: &str| -> f64 {
        let line = summary
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no {label} in the summary:\n{summary}"));
        let number = line[label.len()..].split_whitespace().next().unwrap();
        if number == "-inf" { f64::NEG_INFINITY } else { number.parse().unwrap() }
    };
    (value("I:"), value("Peak:"))
}

/// For a test marked `#[ignore = "needs feedparser: …"]`: Python with feedparser must be there.
#[allow(dead_code)]
pub fn need_feedparser() {
    let ok = Command::new("python3").args(["-c", "import feedparser"]).output().is_ok_and(|o| o.status.success());
    assert!(ok, "python3 -c 'import feedparser' fails (pip install feedparser); this test needs it");
}

/// A feed as feedparser (and a strict expat parse) reads it: `tests/feedparse.py`'s JSON.
#[allow(dead_code)]
pub fn feedparse(path: &Path) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/feedparse.py");
    let out = Command::new("python3").arg(script).arg(path).output().unwrap();
    assert!(out.status.success(), "feedparse.py failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The `<title>` of every `<item>` of a feed, in the feed's order.
#[allow(dead_code)]
pub fn item_titles(feed: &Path) -> Vec<String> {
    let xml = std::fs::read_to_string(feed).unwrap();
    xml.split("<item>")
        .skip(1)
        .map(|item| {
            let start = item.find("<title>").unwrap() + "<title>".len();
            item[start..start + item[start..].find("</title>").unwrap()].to_string()
        })
        .collect()
}
