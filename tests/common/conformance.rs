//! The same checks for every HTTP backend, against a local server that speaks the
//! service's wire format: success in each format, and the failure kinds of the HTTP policy.
//!
//! A backend's test file describes its service with a [`Service`] and generates one test per
//! check with [`conformance_tests!`](crate::conformance_tests). A new check is a function here
//! and one line in that macro.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::server::{Reply, Request, Server};
use super::*;

/// The fake key planted for tests; it must never show up in any output.
pub const KEY: &str = "test-key-7f3a9c1e5b";
pub const KEY_VAR: &str = "SEEDAUDIO_TEST_API_KEY";

pub struct Service {
    pub name: &'static str,
    /// The preset for a server at `url` asking for `format` (without `[network]`, which
    /// the harness adds). It should name `KEY_VAR` as its `api_key_env`.
    pub preset: fn(url: &str, format: &str) -> String,
    /// Formats that must work.
    pub formats: &'static [&'static str],
    /// Checks route, method, auth and body shape; returns the text the request asks for.
    pub check: fn(req: &Request, format: &str) -> Result<String, String>,
    /// A success reply with real audio in `format`.
    pub success: fn(req: &Request, format: &str) -> Reply,
    /// Error replies in the service's own shape.
    pub unauthorized: fn() -> Reply,
    pub bad_request: fn() -> Reply,
    pub rate_limited: fn() -> Reply,
    pub quota: fn() -> Reply,
    pub server_error: fn() -> Reply,
}

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

/// A WAV whose RIFF and data sizes are 0xFFFFFFFF, as streamed by OpenAI and ffmpeg pipes.
pub fn streamed_wav() -> Vec<u8> {
    let mut wav = fixture("speech-24k.wav");
    wav[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
    let data = wav.windows(4).position(|w| w == b"data").unwrap();
    wav[data + 4..data + 8].copy_from_slice(&u32::MAX.to_le_bytes());
    wav
}

/// A build against `server` in a temporary folder: the service's preset for `format` (with a
/// short `[network]` policy) and a small article, a title and `paragraphs` short paragraphs;
/// one job, quiet, the key in the environment.
pub fn case(service: &Service, server: &Server, format: &str, paragraphs: usize) -> Build {
    let preset = format!(
        "{}\n[network]\nconnect_timeout_s = 2\ntimeout_s = 1\nmax_attempts = 4\nbudget_s = 20\nbackoff_ms = 50\n",
        (service.preset)(&server.url, format)
    );
    let mut article = String::from("测试标题\n");
    for i in 0..paragraphs {
        article.push_str(&format!("第{}段正文，用来测试。\n", i + 1));
    }
    Build::new()
        .preset_as(&format!("{}-test.toml", service.name), &preset)
        .article(&article)
        .args(["--jobs", "1", "--quiet"])
        .env(KEY_VAR, KEY)
}

fn assert_no_key(r: &Run, case: &Build) {
    assert!(!r.stdout.contains(KEY) && !r.stderr.contains(KEY), "the key leaked into the output:\n{}", r.stderr);
    for entry in walk(case.dir()) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(!bytes.windows(KEY.len()).any(|w| w == KEY.as_bytes()), "the key leaked into {}", entry.display());
    }
}

pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}

/// Every format: the requests are well-formed, every utterance is asked for once, and the
/// chapters hold the audio.
pub fn success_in_each_format(service: &'static Service) {
    for &format in service.formats {
        let server = Server::start(move |req, _| match (service.check)(req, format) {
            Ok(_) => (service.success)(req, format),
            Err(why) => Reply::new(418).body(why.into_bytes()),
        });
        let case = case(service, &server, format, 2);
        let r = case.run();
        assert_eq!(r.status, 0, "{} {format}: {}", service.name, r.stderr);
        let asked: Vec<String> = server.requests().iter().map(|q| (service.check)(q, format).unwrap()).collect();
        // Digits are read as words before sending (normalization is on by default).
        assert_eq!(asked, vec!["测试标题", "第一段正文，用来测试。", "第二段正文，用来测试。"], "{format}");
        let manifest = case.manifest();
        check_chapters(&case.out(), &manifest);
        let seconds: f64 = chapters(&manifest).iter().map(|c| c["duration"].as_f64().unwrap()).sum();
        // Three utterances of the ~1.7 s fixture phrase plus pauses.
        assert!(seconds > 5.0 && seconds < 12.0, "{format}: {seconds} s");
        assert_eq!(manifest["voice"]["backend"], service.name);
        assert_no_key(&r, &case);
    }
}

fn fails(service: &'static Service, reply: fn() -> Reply, expect: &[&str]) -> (Run, usize) {
    let server = Server::start(move |_, _| reply());
    let case = case(service, &server, service.formats[0], 2);
    let r = case.run();
    assert_eq!(r.status, 1, "{}", r.stderr);
    for e in expect {
        assert!(r.stderr.contains(e), "{}: expected {e:?} in:\n{}", service.name, r.stderr);
    }
    assert!(r.stderr.contains("u0001"), "the error names the utterance:\n{}", r.stderr);
    assert!(!case.out().join("00-opening.wav").exists(), "no chapter with missing audio");
    assert_no_key(&r, &case);
    (r, server.requests().len())
}

/// 401: a clear authentication error, no retry, and the build stops.
pub fn unauthorized_fails_fast(service: &'static Service) {
    let (_, requests) = fails(service, service.unauthorized, &["not authenticated", KEY_VAR]);
    assert_eq!(requests, 1, "a bad key is not retried and stops the build");
}

/// Quota exhausted: no retry, the build stops.
pub fn quota_fails_fast(service: &'static Service) {
    let (_, requests) = fails(service, service.quota, &["quota exhausted"]);
    assert_eq!(requests, 1);
}

/// 400: the utterance fails without a retry; the others are still tried.
pub fn bad_request_is_not_retried(service: &'static Service) {
    let (_, requests) = fails(service, service.bad_request, &["rejected"]);
    assert_eq!(requests, 3, "one request per utterance, no retries");
}

fn recovers(service: &'static Service, first: impl Fn(usize) -> Option<Reply> + Send + Sync + 'static) -> Vec<Request> {
    let format = service.formats[0];
    let server = Server::start(move |req, n| first(n).unwrap_or_else(|| (service.success)(req, format)));
    let case = case(service, &server, format, 0);
    let r = case.run();
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_no_key(&r, &case);
    server.requests()
}

/// 429 with `Retry-After: 1`: the retry waits at least a second.
pub fn rate_limit_honours_retry_after(service: &'static Service) {
    let reqs = recovers(service, move |n| (n == 0).then(|| (service.rate_limited)().header("retry-after", "1")));
    assert_eq!(reqs.len(), 2);
    let gap = reqs[1].at - reqs[0].at;
    assert!(gap >= Duration::from_millis(1000), "retried after {gap:?}");
}

/// 500 twice, then success.
pub fn server_errors_are_retried(service: &'static Service) {
    let reqs = recovers(service, move |n| (n < 2).then(service.server_error));
    assert_eq!(reqs.len(), 3);
}

/// A response that stalls past the timeout is abandoned and tried again.
pub fn stalled_response_times_out_and_is_retried(service: &'static Service) {
    let reqs = recovers(service, move |n| {
        (n == 0).then(|| Reply::audio("audio/wav", fixture("speech-24k.wav")).stalled(Duration::from_secs(3)))
    });
    assert_eq!(reqs.len(), 2);
    let gap = reqs[1].at - reqs[0].at;
    assert!(gap >= Duration::from_millis(900) && gap < Duration::from_millis(2900), "{gap:?}");
}

/// A connection dropped in the middle of the body is tried again.
pub fn dropped_connection_is_retried(service: &'static Service) {
    let reqs = recovers(service, move |n| {
        (n == 0).then(|| Reply::audio("audio/wav", fixture("speech-24k.wav")).cut_after(1000))
    });
    assert_eq!(reqs.len(), 2);
}

/// One `#[test]` per check above for a backend, named after the check:
/// `conformance_tests!(OPENAI);` in `tests/backend_openai.rs` gives `success_in_each_format`,
/// `unauthorized_fails_fast`, … each calling the check with `&OPENAI`.
#[macro_export]
macro_rules! conformance_tests {
    ($service:path) => {
        $crate::conformance_tests!(@checks $service:
            success_in_each_format,
            unauthorized_fails_fast,
            quota_fails_fast,
            bad_request_is_not_retried,
            rate_limit_honours_retry_after,
            server_errors_are_retried,
            stalled_response_times_out_and_is_retried,
            dropped_connection_is_retried,
        );
    };
    (@checks $service:path: $($check:ident),* $(,)?) => {
        $(
            #[test]
            fn $check() {
                $crate::common::conformance::$check(&$service);
            }
        )*
    };
}

/// Speech whose length follows the text (a shorter or longer cut of the fixture), so a chapter
/// assembled from the wrong entries would differ.
#[allow(dead_code)]
pub fn audio_for_text(req: &Request) -> Reply {
    let text = req.json()["input"].as_str().unwrap_or_default().to_string();
    let pcm = fixture("speech-24k.pcm");
    let cut = (text.chars().count() % 7) * 2 * 600;
    Reply::audio("audio/pcm", pcm[..pcm.len() - cut].to_vec())
}

/// The texts the server was asked to speak, in the order asked.
#[allow(dead_code)]
pub fn asked_texts(server: &Server) -> Vec<String> {
    server.requests().iter().map(|r| r.json()["input"].as_str().unwrap_or_default().to_string()).collect()
}
