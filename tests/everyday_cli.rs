//! Everyday use of the command line: what a build says at its end, `--speed`, two builds
//! into one folder at once, and an article piped in on standard input.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

/// A paid block that starts and ends inside section 2: its heading is read again at the
/// paid chapter and at the free chapter after it (the same text, so the same audio).
const PAID_INSIDE: &str = "A test of endings\n\nThe opening words.\n\n1. First part\n\nText of the first part.\n\n\
2. Second part\n\nFree text of part two. ##paidbegin## Paid text of part two.\n\n\
More paid text.##paidend## Free text after the paid block.\n\n3. Third part\n\nLast words.\n";

/// The built-in English voice on the built-in engine, whatever this machine has installed.
const EN_EMBEDDED: &str = "kind = 'espeak'\nlanguage = 'en'\nvoice = 'en'\nengine = 'embedded'\n";

fn spoken(manifest: &Value) -> usize {
    utterances(manifest).iter().filter(|u| u["spoken"] == true).count()
}

/// The lines after `open next:`, the last ones printed, as (path, description).
fn open_next(stderr: &str) -> Vec<(PathBuf, String)> {
    let lines: Vec<&str> = stderr.lines().collect();
    let at = lines.iter().position(|l| *l == "open next:").unwrap_or_else(|| panic!("no `open next:` in:\n{stderr}"));
    lines[at + 1..]
        .iter()
        .map(|l| {
            let l = l.strip_prefix("  ").unwrap_or_else(|| panic!("not an indented file line: {l:?}\n{stderr}"));
            let (path, what) = l.split_once("  ").unwrap();
            (PathBuf::from(path), what.trim().to_string())
        })
        .collect()
}

#[test]
fn a_first_build_claims_no_cached_audio_and_ends_with_what_to_open() {
    let b = Build::new().preset(EN_EMBEDDED).article(PAID_INSIDE);
    let cache = b.dir().join("empty-cache");
    let b = b.arg("--cache-dir").arg(&cache);
    let r = b.run();
    assert_eq!(r.status, 0, "{}", r.stderr);
    let manifest = b.manifest();
    let counts = &manifest["counts"];
    let rereads = utterances(&manifest).iter().filter(|u| u["reread"] == true).count();
    assert_eq!(rereads, 2, "the article re-reads its heading twice");
    assert_eq!((counts["cached"].as_u64(), counts["repeated"].as_u64()), (Some(0), Some(2)), "{counts}");
    let synthesized = counts["synthesized"].as_u64().unwrap() as usize;
    assert_eq!(synthesized + 2, spoken(&manifest));
    let repeated: Vec<&Value> = utterances(&manifest).iter().filter(|u| u["source"] == "repeated").collect();
    assert!(repeated.iter().all(|u| u["reread"] == true), "only the re-read headings are repeats: {repeated:?}");
    let summary = format!("{synthesized} synthesized, 0 cached, 2 repeated within this build");
    assert!(r.stderr.contains(&summary), "expected {summary:?} in:\n{}", r.stderr);
    assert!(
        !r.stderr.lines().any(|l| l.starts_with("synthesized ")),
        "the progress line counts done, not synthesized:\n{}",
        r.stderr
    );

    // The last lines: the player page, then the full and the free episode, each there.
    let next = open_next(&r.stderr);
    let out = b.out();
    let paths: Vec<PathBuf> = next.iter().map(|(p, _)| p.clone()).collect();
    assert_eq!(
        paths,
        [out.join("index.html"), out.join("episode-full.wav"), out.join("episode-free.wav")],
        "{}",
        r.stderr
    );
    assert!(paths.iter().all(|p| p.is_file()), "{paths:?}");
    assert!(next[0].1.contains("player page") && next[2].1.contains("free"), "{next:?}");
    let full = manifest["episodes"].as_array().unwrap().iter().find(|e| e["kind"] == "full").unwrap();
    let seconds = full["duration"].as_f64().unwrap().round() as u64;
    assert!(next[1].1.ends_with(&format!("({}:{:02})", seconds / 60, seconds % 60)), "{next:?}");

    // Again with --force: everything from the cache, nothing repeated; up to date: the same
    // files to open; --quiet: neither.
    let again = run_with(&b, &["--force"]);
    assert!(again.stderr.contains(&format!("0 synthesized, {} cached;", spoken(&manifest))), "{}", again.stderr);
    assert!(!again.stderr.contains("repeated"), "{}", again.stderr);
    let up_to_date = b.run();
    assert!(up_to_date.stderr.contains("is up to date"), "{}", up_to_date.stderr);
    assert_eq!(open_next(&up_to_date.stderr), next);
    for extra in [&["--quiet"][..], &["--quiet", "--force"]] {
        let quiet = run_with(&b, extra);
        assert_eq!(quiet.status, 0, "{}", quiet.stderr);
        assert_eq!(quiet.stderr, "", "{extra:?} prints nothing here");
    }
}

/// Runs `b` with more arguments.
fn run_with(b: &Build, extra: &[&str]) -> Run {
    run(b.command().args(extra))
}

#[test]
fn speed_from_the_command_line_is_the_presets_speed() {
    let article = "Speed\n\nThe first paragraph is read at some speed.\n\nThe second one as well, no faster.\n";
    let cache = tempfile::tempdir().unwrap();
    let build = |preset: &str, extra: &[&str]| {
        let b = Build::new().preset(preset).article(article).arg("--cache-dir").arg(cache.path()).args(extra);
        let r = b.run();
        assert_eq!(r.status, 0, "{}", r.stderr);
        let manifest = b.manifest();
        (b, manifest)
    };
    let keys = |m: &Value| -> Vec<String> {
        utterances(m).iter().filter(|u| u["spoken"] == true).map(|u| u["cache_key"].as_str().unwrap().into()).collect()
    };
    let (_, preset_12) = build(&format!("{EN_EMBEDDED}speed = 1.2\n"), &[]);
    let n = spoken(&preset_12) as u64;
    assert_eq!(preset_12["counts"]["synthesized"], n);

    // --speed 1.2 on a preset without speed: the same voice, so every utterance is cached.
    let (_, flag_12) = build(EN_EMBEDDED, &["--speed", "1.2"]);
    assert_eq!((flag_12["counts"]["cached"].as_u64(), flag_12["counts"]["synthesized"].as_u64()), (Some(n), Some(0)));
    assert_eq!(keys(&flag_12), keys(&preset_12));
    // It replaces the preset's own speed, and another speed is other audio.
    let (_, over) = build(&format!("{EN_EMBEDDED}speed = 0.8\n"), &["--speed", "1.2"]);
    assert_eq!(over["counts"]["cached"], n);
    let (_, flag_13) = build(EN_EMBEDDED, &["--speed", "1.3"]);
    assert_eq!((flag_13["counts"]["cached"].as_u64(), flag_13["counts"]["synthesized"].as_u64()), (Some(0), Some(n)));
    assert!(keys(&flag_13).iter().all(|k| !keys(&preset_12).contains(k)));

    // plan: the speed shown, and the cached count for that speed.
    let dir = tempfile::tempdir().unwrap();
    let (preset, text) = (dir.path().join("plain.toml"), dir.path().join("a.txt"));
    std::fs::write(&preset, EN_EMBEDDED).unwrap();
    std::fs::write(&text, article).unwrap();
    let plan = |speed: &str| {
        let r = run(seedaudio()
            .arg("plan")
            .arg(&text)
            .arg("--voice")
            .arg(&preset)
            .args(["--speed", speed, "--cache-dir"])
            .arg(cache.path()));
        assert_eq!(r.status, 0, "{}", r.stderr);
        r.stdout
    };
    let p = plan("1.2");
    assert!(p.contains("voice: plain, speed 1.2\n"), "{p}");
    assert!(p.contains(&format!("({n} of {n} cached")), "{p}");
    assert!(plan("1.4").contains(&format!("(0 of {n} cached")));
}

#[test]
fn speech_at_speed_one_and_a_half_is_shorter_with_the_built_in_voice() {
    let article = "Pace\n\nThis paragraph is long enough to be timed: it has a good number of ordinary English words \
                   in it, read one after another by the voice that is compiled into the program.\n";
    let speech = |speed: &str| {
        let b = Build::new().article(article).args(["--voice", "en-espeak", "--engine", "embedded", "--speed", speed]);
        let r = b.run();
        assert_eq!(r.status, 0, "{}", r.stderr);
        let manifest = b.manifest();
        assert!(manifest["voice"]["engine"].as_str().unwrap().contains("built-in"), "{}", manifest["voice"]);
        let spans: f64 = utterances(&manifest)
            .iter()
            .filter(|u| u["spoken"] == true)
            .map(|u| u["end"].as_f64().unwrap() - u["start"].as_f64().unwrap())
            .sum();
        check_chapters(&b.out(), &manifest);
        spans
    };
    let (normal, fast) = (speech("1.0"), speech("1.5"));
    let ratio = fast / normal;
    assert!(normal > 5.0, "{normal} s of speech at 1.0");
    assert!((0.55..0.8).contains(&ratio), "1.5 should take about 1/1.5 the time: {fast:.2} s vs {normal:.2} s");
}

#[test]
fn a_speed_out_of_range_is_refused_with_the_range() {
    for (command, speed) in [("build", "2.5"), ("build", "0.1"), ("plan", "0"), ("plan", "NaN")] {
        let r = run(seedaudio().args([command, "missing.txt", "--speed", speed]));
        assert_eq!(r.status, 1, "{}", r.stderr);
        assert!(r.stderr.contains("is outside 0.5 to 2.0") && r.stderr.contains("--speed"), "{}", r.stderr);
        assert!(!r.stderr.contains("-- --speed"), "{}", r.stderr);
    }
}

/// A `command` voice that takes `seconds` per utterance and answers with a real recording.
fn slow_voice(dir: &Path, seconds: f64) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/speech-24k.wav");
    let script = dir.join("slow-voice");
    std::fs::write(&script, format!("#!/bin/sh\ncat > /dev/null\nsleep {seconds}\ncat '{}'\n", fixture.display()))
        .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let preset = dir.join("slow.toml");
    std::fs::write(
        &preset,
        format!(
            "kind = 'command'\nlanguage = 'en'\nvoice = 'en'\n[command]\nprogram = '{}'\ninput = 'stdin'\n\
             output = 'stdout'\n",
            script.display()
        ),
    )
    .unwrap();
    preset
}

const FIVE_PARAGRAPHS: &str =
    "Slow\n\nOne paragraph.\n\nTwo paragraphs.\n\nThree paragraphs.\n\nFour paragraphs.\n\nFive paragraphs.\n";

/// Starts a quiet build of `b` and waits until it holds its output folder.
fn start_holding(b: &Build) -> Child {
    let mut child = b.command().args(["--jobs", "1", "--quiet"]).stderr(Stdio::piped()).spawn().unwrap();
    let lock = b.out().join(".seedaudio.lock");
    let started = Instant::now();
    while !std::fs::read_to_string(&lock).is_ok_and(|t| t.contains(&format!("pid={}", child.id()))) {
        assert!(child.try_wait().unwrap().is_none(), "the first build ended before it was seen holding the folder");
        assert!(started.elapsed() < Duration::from_secs(30), "the first build never took the folder");
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

#[test]
fn a_second_build_into_a_busy_folder_names_the_first_or_waits_for_it() {
    let b = Build::new().article(FIVE_PARAGRAPHS);
    let voice = slow_voice(b.dir(), 0.5);
    let b = b.voice(voice);
    let mut first = start_holding(&b);

    let second = run(b.command().args(["--jobs", "1"]));
    assert_eq!(second.status, 1, "{}", second.stderr);
    let pid = first.id();
    assert!(
        second.stderr.contains(&format!("is being written by another seedaudio build (process {pid}, started "))
            && second.stderr.contains("--wait"),
        "{}",
        second.stderr
    );
    assert!(first.try_wait().unwrap().is_none(), "the refused build took longer than the first: make the voice slower");

    let waited = run(b.command().args(["--jobs", "1", "--wait"]));
    let first = first.wait_with_output().unwrap();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert_eq!(waited.status, 0, "{}", waited.stderr);
    assert!(
        waited
            .stderr
            .contains(&format!("waiting: {} is being written by another build (process {pid}", b.out().display())),
        "{}",
        waited.stderr
    );
    // The first build's files are whole: the waiting build finds them exactly as it left them.
    assert!(waited.stderr.contains("is up to date"), "{}", waited.stderr);
    let manifest = b.manifest();
    check_chapters(&b.out(), &manifest);
    assert_eq!(manifest["counts"]["synthesized"], 6);
    // The lock file is no output: not in the manifest, not stamped, not cleaned away.
    assert!(!std::fs::read_to_string(b.out().join("manifest.json")).unwrap().contains("seedaudio.lock"));
    assert!(b.out().join(".seedaudio.lock").is_file());
}

#[test]
fn a_folder_left_locked_by_a_killed_build_is_free() {
    let b = Build::new().article(FIVE_PARAGRAPHS);
    let voice = slow_voice(b.dir(), 0.5);
    let b = b.voice(voice);
    let mut first = start_holding(&b);
    first.kill().unwrap(); // SIGKILL: no clean-up of any kind
    first.wait().unwrap();
    let lock = std::fs::read_to_string(b.out().join(".seedaudio.lock")).unwrap();
    assert!(lock.contains(&format!("pid={}", first.id())), "the dead build's lock file is still there: {lock}");

    let started = Instant::now();
    let r = run(b.command().args(["--jobs", "1"]));
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("waiting") && !r.stderr.contains("being written"), "{}", r.stderr);
    assert!(started.elapsed() < Duration::from_secs(20));
    check_chapters(&b.out(), &b.manifest());
    let again = run(b.command().args(["--jobs", "1"]));
    assert!(again.stderr.contains("is up to date"), "{}", again.stderr);
}

/// `seedaudio ARGS` in `dir` with `input` on standard input.
fn piped(dir: &Path, args: &[&str], input: &[u8]) -> Run {
    let mut child = seedaudio()
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A build refused for its arguments stops before it reads: the pipe is then closed.
    if let Err(e) = child.stdin.take().unwrap().write_all(input) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    let out = child.wait_with_output().unwrap();
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// GB18030 bytes of `text` (by iconv, an independent encoder).
fn gb18030(text: &str) -> Vec<u8> {
    let mut child = Command::new("iconv")
        .args(["-f", "UTF-8", "-t", "GB18030"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("iconv runs");
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    out.stdout
}

#[test]
fn build_reads_a_piped_article_into_output_name() {
    let dir = tempfile::tempdir().unwrap();
    let text = "管道里的文章\n\n一、第一节\n\n从标准输入读来的正文。\n";
    let r = piped(dir.path(), &["build", "-", "--name", "piped", "--engine", "embedded"], &gb18030(text));
    assert_eq!(r.status, 0, "{}", r.stderr);
    let out = dir.path().join("output/piped");
    let manifest = read_json(&out.join("manifest.json"));
    assert_eq!(manifest["article"]["file"], "<stdin>");
    assert_eq!(manifest["article"]["encoding"], "gb18030");
    assert_eq!(manifest["article"]["title"], "管道里的文章");
    assert!(utterances(&manifest).iter().any(|u| u["text"] == "从标准输入读来的正文。"), "{manifest}");
    check_chapters(&out, &manifest);
    assert!(r.stderr.contains("output/piped/index.html"), "{}", r.stderr);

    // Without --name there is no file name to name the folder after.
    let r = piped(dir.path(), &["build", "-"], text.as_bytes());
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(r.stderr.contains("standard input") && r.stderr.contains("--name NAME"), "{}", r.stderr);
    // --out alone is enough.
    let r =
        piped(dir.path(), &["build", "-", "--out", "elsewhere", "--engine", "embedded", "--quiet"], text.as_bytes());
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(dir.path().join("elsewhere/manifest.json").is_file());
    // A name that is not one folder is refused.
    let r = piped(dir.path(), &["build", "-", "--name", "../up"], text.as_bytes());
    assert!(r.status == 1 && r.stderr.contains("--name \"../up\" cannot name a folder"), "{}", r.stderr);
}

#[test]
fn plan_reads_a_piped_article_and_messages_say_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let r = piped(dir.path(), &["plan", "-", "--json"], "Piped\n\nSome text.\n\n##paidend## stray\n".as_bytes());
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stderr.contains("warning: <stdin>:5: ##paidend##"), "{}", r.stderr);
    let plan: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(plan["title"], "Piped");
    let r = piped(dir.path(), &["plan", "-"], b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0");
    assert_eq!(r.status, 1);
    assert!(r.stderr.contains("<stdin>: looks like binary data (a PNG image)"), "{}", r.stderr);
    let r = piped(dir.path(), &["plan", "-"], b"");
    assert_eq!(r.status, 1);
    assert!(r.stderr.contains("<stdin>"), "{}", r.stderr);
}
