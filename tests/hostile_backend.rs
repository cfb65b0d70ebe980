//! Hostile backends: a local server (`common::server`) speaking the `openai` wire format that
//! answers one utterance badly — garbage, nothing, an error page, a lying WAV header, far too
//! much audio, a body that never ends, a redirect. Each ends with a clear error naming that
//! utterance and its chapter left unwritten (never silence or static in a chapter), or with
//! the documented recovery; the other chapters are written.

mod common;

use std::path::Path;
use std::time::Duration;

use common::conformance::{KEY, KEY_VAR, fixture, walk};
use common::server::{Reply, Request, Server};
use common::*;

/// Three chapters; the last paragraph (`u0006`) is the one the server answers badly.
const ARTICLE: &str = "测试标题\n开场白。\n一、第一节\n正文一。\n二、第二节\n坏的段落。\n";
const BAD: &str = "坏的段落。";
const BAD_ID: &str = "u0006";

/// An `openai` preset for `server` asking for `format`, plus the article; one job, quiet, the
/// key in the environment. `extra` lines go at the top level of the preset.
fn case(server: &Server, format: &str, extra: &str) -> Build {
    let preset = format!(
        "kind = 'openai'\nlanguage = 'zh'\nvoice = 'coral'\nmodel = 'tts-1'\nformat = '{format}'\n\
         base_url = '{}'\napi_key_env = '{KEY_VAR}'\nmax_chars = 1000\n{extra}\n\
         [network]\nconnect_timeout_s = 2\ntimeout_s = 5\nmax_attempts = 2\nbudget_s = 20\nbackoff_ms = 50\n",
        server.url
    );
    Build::new().preset_as("hostile.toml", &preset).article(ARTICLE).args(["--jobs", "1", "--quiet"]).env(KEY_VAR, KEY)
}

/// The case's build with `extra` arguments.
fn build(case: &Build, extra: &[&str]) -> Run {
    run(case.command().args(extra))
}

/// A server that answers `BAD` with `hostile` and everything else with good 24 kHz PCM (or
/// the WAV fixture when `wav`).
fn server(wav: bool, hostile: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Server {
    Server::start(move |req, _| {
        if req.json()["input"].as_str() == Some(BAD) {
            hostile(req)
        } else if wav {
            Reply::audio("audio/wav", fixture("speech-24k.wav"))
        } else {
            Reply::audio("audio/pcm", fixture("speech-24k.pcm"))
        }
    })
}

fn wav_files(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".wav") || n.ends_with(".partial"))
        .collect();
    names.sort();
    names
}

/// The build failed because of utterance `u0006` with `phrase`; chapter 2 was not written,
/// chapters 0 and 1 were and hold speech; the manifest records the failure; no key leaked.
fn fails_on_the_bad_utterance(case: &Build, r: &Run, phrase: &str) {
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert!(r.stderr.contains(phrase), "expected {phrase:?} in:\n{}", r.stderr);
    let line =
        r.stderr.lines().find(|l| l.contains(BAD_ID)).unwrap_or_else(|| panic!("{BAD_ID} not named:\n{}", r.stderr));
    assert!(line.contains("chapter 2") && line.contains(phrase), "{line}");
    eprintln!("{line}"); // shown with --nocapture: what a user reads
    assert_eq!(wav_files(&case.out()), ["00-opening.wav", "01-free.wav"], "only the good chapters, no partial file");
    let manifest = read_json(&case.out().join("manifest.json"));
    let chapters = chapters(&manifest);
    assert!(chapters[2]["file"].is_null(), "{}", chapters[2]);
    let written = serde_json::json!({"chapters": &chapters[..2], "utterances": &utterances(&manifest)[..4], "audio": manifest["audio"]});
    check_chapters(&case.out(), &written);
    let failures = manifest["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert_eq!((failures[0]["utterance"].as_str(), failures[0]["chapter"].as_u64()), (Some(BAD_ID), Some(2)));
    assert!(failures[0]["error"].as_str().unwrap().contains(phrase), "{}", failures[0]["error"]);
    let bad = utterances(&manifest).iter().find(|u| u["id"] == BAD_ID).unwrap();
    assert_eq!((&bad["source"], &bad["start"]), (&serde_json::json!("failed"), &serde_json::Value::Null));
    assert!(!r.stderr.contains(KEY) && !r.stdout.contains(KEY));
    for file in walk(case.dir()) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(!bytes.windows(KEY.len()).any(|w| w == KEY.as_bytes()), "the key is in {}", file.display());
    }
}

fn xorshift_bytes(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 32) as u8
        })
        .collect()
}

/// A 16-bit PCM WAV header announcing `rate` and `channels` over `data`.
fn wav_header(rate: u32, channels: u16, data: &[u8]) -> Vec<u8> {
    let mut wav = b"RIFF".to_vec();
    wav.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes());
    wav.extend_from_slice(&channels.to_le_bytes());
    wav.extend_from_slice(&rate.to_le_bytes());
    wav.extend_from_slice(&(rate * u32::from(channels) * 2).to_le_bytes());
    wav.extend_from_slice(&(channels * 2).to_le_bytes());
    wav.extend_from_slice(&16u16.to_le_bytes());
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&(data.len() as u32).to_le_bytes());
    wav.extend_from_slice(data);
    wav
}

#[test]
fn garbage_bytes_in_a_container_format_are_an_error() {
    let server = Server::start(|req, _| {
        if req.json()["input"].as_str() == Some(BAD) {
            Reply::audio("audio/mpeg", xorshift_bytes(20_000, 7))
        } else {
            Reply::audio("audio/mpeg", fixture("speech-24k.mp3"))
        }
    });
    let case = case(&server, "mp3", "");
    let r = build(&case, &[]);
    fails_on_the_bad_utterance(&case, &r, "audio");
    assert!(
        r.stderr.contains("did not return audio")
            || r.stderr.contains("could not decode")
            || r.stderr.contains("noise"),
        "{}",
        r.stderr
    );
    assert_eq!(server.requests().iter().filter(|q| q.json()["input"] == BAD).count(), 1, "not retried");
}

#[test]
fn garbage_bytes_as_raw_pcm_are_noise_not_speech() {
    let server = server(false, |_| Reply::audio("audio/pcm", xorshift_bytes(48_000, 11)));
    let case = case(&server, "pcm", "");
    let r = build(&case, &[]);
    fails_on_the_bad_utterance(&case, &r, "noise, not speech");
}

#[test]
fn an_empty_200_is_an_error() {
    let server = server(false, |_| Reply::new(200).header("content-type", "audio/pcm"));
    let case = case(&server, "pcm", "");
    let r = build(&case, &[]);
    fails_on_the_bad_utterance(&case, &r, "returned no audio");
}

#[test]
fn an_html_error_page_with_status_200_is_an_error() {
    let page = format!(
        "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>upstream said {KEY}</body></html>"
    );
    let server =
        server(false, move |_| Reply::new(200).header("content-type", "text/html").body(page.clone().into_bytes()));
    let case = case(&server, "pcm", "");
    let r = build(&case, &[]);
    fails_on_the_bad_utterance(&case, &r, "is an HTML page");
    assert!(r.stderr.contains("502 Bad Gateway"), "the page's words are quoted:\n{}", r.stderr);
}

/// A header announcing 48 kHz stereo over 24 kHz mono PCM. Decided: with `sample_rate` in
/// the preset the contradiction is an error; without it the header is trusted (it is the only
/// statement of the format), which here makes the audio a quarter as long.
#[test]
fn a_wav_header_that_lies_about_rate_and_channels() {
    let lying = || wav_header(48_000, 2, &fixture("speech-24k.pcm"));
    let server = server(true, move |_| Reply::audio("audio/wav", lying()));
    let case = case(&server, "wav", "sample_rate = 24000");
    let r = build(&case, &[]);
    fails_on_the_bad_utterance(&case, &r, "the WAV header says 48000 Hz, 2 channel(s)");
    assert!(r.stderr.contains("sample_rate = 24000"), "{}", r.stderr);

    // Without a sample_rate: the header is believed.
    let server = self::server(true, move |_| Reply::audio("audio/wav", lying()));
    let trusting = self::case(&server, "wav", "");
    let r = build(&trusting, &[]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let manifest = read_json(&trusting.out().join("manifest.json"));
    let length = |id: &str| {
        let u = utterances(&manifest).iter().find(|u| u["id"] == id).unwrap();
        u["end"].as_f64().unwrap() - u["start"].as_f64().unwrap()
    };
    let ratio = length(BAD_ID) / length("u0004");
    assert!((0.2..0.3).contains(&ratio), "read at the header's word, 4 times as fast: {ratio}");
}

#[test]
fn audio_far_longer_than_the_text_is_an_error_and_the_bound_is_adjustable() {
    // 20 times the ~1.8 s phrase: 35 s for five characters.
    let long = || fixture("speech-24k.pcm").repeat(20);
    let server = server(false, move |_| Reply::audio("audio/pcm", long()));
    let case = case(&server, "pcm", "");
    let r = build(&case, &[]);
    fails_on_the_bad_utterance(&case, &r, "audio far longer than the text");
    assert!(r.stderr.contains("for 5 characters") && r.stderr.contains("--max-seconds-per-char"), "{}", r.stderr);

    // A voice that really is slow: the bound is raised and the build completes.
    let r = build(&case, &["--max-seconds-per-char", "10"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let manifest = read_json(&case.out().join("manifest.json"));
    check_chapters(&case.out(), &manifest);
}

#[test]
fn a_never_ending_body_stops_at_the_size_bound() {
    let chunk = fixture("speech-24k.pcm");
    let server = server(false, move |_| Reply::audio("audio/pcm", Vec::new()).endless(chunk.clone(), Duration::ZERO));
    let case = case(&server, "pcm", "");
    let mut cmd = seedaudio();
    // Peak memory, where /usr/bin/time is there to measure it.
    let timed = common::cross_check("/usr/bin/time");
    if timed {
        cmd = std::process::Command::new("/usr/bin/time");
        cmd.arg("-f").arg("peak-rss-kb=%M").arg(env!("CARGO_BIN_EXE_seedaudio"));
        cmd.env("SEEDAUDIO_CACHE", case.dir().join("cache"));
        common::without_kokoro(&mut cmd);
    }
    let r = run(case.apply(&mut cmd).args(["--max-response-mb", "2"]));
    fails_on_the_bad_utterance(&case, &r, "larger than 2 MB");
    assert!(r.stderr.contains("--max-response-mb"), "{}", r.stderr);
    assert_eq!(server.requests().iter().filter(|q| q.json()["input"] == BAD).count(), 1, "a size error is not retried");
    if timed {
        let kb: u64 = r.stderr.split("peak-rss-kb=").nth(1).unwrap().trim().parse().unwrap();
        eprintln!("never-ending body, --max-response-mb 2: peak {} MB", kb / 1024);
        assert!(kb < 200 * 1024, "peak memory {kb} KB");
    }
}

#[test]
fn a_trickling_body_stops_at_the_utterance_time_budget() {
    // 2 KB every 50 ms, for ever: never too large, never silent long enough for a read timeout.
    let server =
        server(false, |_| Reply::audio("audio/pcm", Vec::new()).endless(vec![1; 2048], Duration::from_millis(50)));
    let case = case(&server, "pcm", "");
    let r = build(&case, &["--utterance-timeout", "2"]);
    fails_on_the_bad_utterance(&case, &r, "did not finish in time");
    assert!(
        r.stderr.contains("the 2 s budget of one utterance is used up") && r.stderr.contains("--utterance-timeout"),
        "{}",
        r.stderr
    );
}

#[test]
fn redirects_are_never_followed() {
    let elsewhere = Server::start(|_, _| Reply::audio("audio/pcm", fixture("speech-24k.pcm")));
    // Another host name (localhost, not 127.0.0.1), and a same-host redirect: neither is followed.
    let target = format!("{}/v1/audio/speech?key={KEY}", elsewhere.url.replace("127.0.0.1", "localhost"));
    for location in [target, "/v1/other".to_string()] {
        let server = server(false, move |_| Reply::new(302).header("location", &location));
        let case = case(&server, "pcm", "");
        let r = build(&case, &[]);
        fails_on_the_bad_utterance(&case, &r, "does not follow redirects");
        assert_eq!(server.requests().iter().filter(|q| q.json()["input"] == BAD).count(), 1, "not retried");
    }
    assert!(elsewhere.requests().is_empty(), "the other host was never asked");
}
