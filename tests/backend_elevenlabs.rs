//! The `elevenlabs` backend against a local server speaking ElevenLabs' text-to-speech API.

mod common;

use common::conformance::{self as c, KEY, KEY_VAR, Service, fixture};
use common::server::{Reply, Request, Server};
use common::*;
use serde_json::json;

const VOICE: &str = "21m00Tcm4TlvDq8ikWAM";

fn preset(url: &str, format: &str) -> String {
    format!(
        "kind = 'elevenlabs'\nlanguage = 'zh'\nvoice = '{VOICE}'\nmodel = 'eleven_multilingual_v2'\n\
         format = '{format}'\nbase_url = '{url}'\napi_key_env = '{KEY_VAR}'\nmax_chars = 2000\n\
         [options.voice_settings]\nstability = 0.5\nsimilarity_boost = 0.75\n"
    )
}

fn check(req: &Request, format: &str) -> Result<String, String> {
    if req.method != "POST" || req.path() != format!("/v1/text-to-speech/{VOICE}") {
        return Err(format!("wrong route {} {}", req.method, req.target));
    }
    if req.query("output_format").as_deref() != Some(format) {
        return Err(format!("wrong output_format in {}", req.target));
    }
    if req.header("xi-api-key") != Some(KEY) || req.header("authorization").is_some() {
        return Err("the key must be in xi-api-key".into());
    }
    if !req.header("content-type").is_some_and(|t| t.starts_with("application/json")) {
        return Err("not JSON".into());
    }
    let body = req.json();
    let mut keys: Vec<&str> = body.as_object().ok_or("body is not an object")?.keys().map(|k| k.as_str()).collect();
    keys.sort();
    // multilingual v2 takes no language_code.
    if keys != ["model_id", "text", "voice_settings"] {
        return Err(format!("body fields {keys:?}"));
    }
    if body["model_id"] != "eleven_multilingual_v2"
        || body["voice_settings"] != json!({"stability": 0.5, "similarity_boost": 0.75})
    {
        return Err(format!("body {body}"));
    }
    Ok(body["text"].as_str().unwrap_or_default().to_string())
}

fn success(_: &Request, format: &str) -> Reply {
    match format {
        "pcm_24000" => Reply::audio("application/octet-stream", fixture("speech-24k.pcm")),
        "mp3_44100_128" => Reply::audio("audio/mpeg", fixture("speech-24k.mp3")),
        "pcm_22050" => Reply::audio("application/octet-stream", fixture("speech-22k.pcm")),
        other => panic!("no fixture for {other}"),
    }
}

fn error(status: u16, detail_status: &str, message: &str) -> Reply {
    Reply::json(status, json!({"detail": {"status": detail_status, "message": message}}))
}

static ELEVENLABS: Service = Service {
    name: "elevenlabs",
    preset,
    formats: &["pcm_24000", "mp3_44100_128"],
    check,
    success,
    unauthorized: || error(401, "invalid_api_key", &format!("Invalid API key: {KEY}")),
    bad_request: || error(400, "max_character_limit_exceeded", "Text is too long."),
    rate_limited: || error(429, "too_many_concurrent_requests", "Too many concurrent requests for your subscription."),
    // ElevenLabs really sends quota_exceeded with 401.
    quota: || error(401, "quota_exceeded", "This request exceeds your quota. You have 3 credits remaining."),
    server_error: || error(500, "internal_error", "Internal server error."),
};

conformance_tests!(ELEVENLABS);

#[test]
fn quota_exceeded_with_401_is_quota_not_a_bad_key() {
    let server = Server::start(|_, _| (ELEVENLABS.quota)());
    let case = c::case(&ELEVENLABS, &server, "pcm_24000", 2);
    let r = case.run();
    assert_eq!(r.status, 1);
    assert!(r.stderr.contains("quota exhausted"), "{}", r.stderr);
    assert!(!r.stderr.contains("not authenticated"), "{}", r.stderr);
    assert_eq!(server.requests().len(), 1, "no retry, and the build stops");
}

#[test]
fn system_busy_is_retried() {
    let server = Server::start(|_, n| {
        if n == 0 {
            error(429, "system_busy", "Our services are experiencing high levels of traffic.")
        } else {
            Reply::audio("application/octet-stream", fixture("speech-24k.pcm"))
        }
    });
    let case = c::case(&ELEVENLABS, &server, "pcm_24000", 0);
    let r = case.run();
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn voice_id_goes_in_the_path_and_format_in_the_query() {
    let server = Server::start(|_, _| Reply::audio("application/octet-stream", fixture("speech-22k.pcm")));
    let preset = format!(
        "kind='elevenlabs'\nlanguage='zh-CN'\nvoice='my voice/ü'\nmodel='eleven_flash_v2_5'\nformat='pcm_22050'\n\
         speed=1.1\nbase_url='{}/proxy/'\napi_key_env='{KEY_VAR}'\n",
        server.url
    );
    let b = Build::new()
        .preset_as("el.toml", &preset)
        .article_as("a.txt", "只有一句话。\n")
        .arg("--quiet")
        .env(KEY_VAR, KEY);
    let r = b.run();
    assert_eq!(r.status, 0, "{}", r.stderr);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].path(), "/proxy/v1/text-to-speech/my%20voice%2F%C3%BC");
    assert_eq!(reqs[0].query("output_format").as_deref(), Some("pcm_22050"));
    let body = reqs[0].json();
    assert_eq!(body["text"], "只有一句话。");
    assert_eq!(body["model_id"], "eleven_flash_v2_5");
    // Flash v2.5 takes the language as an ISO 639-1 code; the speed goes in voice_settings.
    assert_eq!(body["language_code"], "zh");
    assert!((body["voice_settings"]["speed"].as_f64().unwrap() - 1.1).abs() < 1e-9, "{body}");
    // pcm_22050 is read at 22050 Hz: the fixture phrase lasts as long as at 24 kHz.
    let manifest = b.manifest();
    let u = &utterances(&manifest)[0];
    let seconds = u["end"].as_f64().unwrap() - u["start"].as_f64().unwrap();
    assert!(seconds > 1.0 && seconds < 3.0, "{seconds}");
}

#[test]
fn undecodable_formats_are_refused_before_any_request() {
    let server = Server::start(|_, _| Reply::new(500));
    for format in ["opus_48000_64", "ulaw_8000", "alaw_8000"] {
        let case = c::case(&ELEVENLABS, &server, format, 1);
        let r = case.run();
        assert_eq!(r.status, 1);
        assert!(r.stderr.contains(format) && r.stderr.contains("pcm_24000"), "{}", r.stderr);
    }
    assert!(server.requests().is_empty());
}
