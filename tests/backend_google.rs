//! The `google` backend against a local server speaking Google Cloud TTS `text:synthesize`.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::conformance::{KEY, KEY_VAR, Service, fixture};
use common::server::{Reply, Request, Server};
use common::*;
use serde_json::json;

fn preset(url: &str, format: &str) -> String {
    format!(
        "kind = 'google'\nlanguage = 'cmn-CN'\nvoice = 'cmn-CN-Wavenet-A'\nformat = '{format}'\n\
         base_url = '{url}'\napi_key_env = '{KEY_VAR}'\nmax_bytes = 4800\n[options]\npitch = -2.0\n"
    )
}

/// Checks everything but the credentials; returns the text asked for.
fn check_body(req: &Request, format: &str) -> Result<String, String> {
    if req.method != "POST" || req.path() != "/v1/text:synthesize" {
        return Err(format!("wrong route {} {}", req.method, req.path()));
    }
    if !req.header("content-type").is_some_and(|t| t.starts_with("application/json")) {
        return Err("not JSON".into());
    }
    let body = req.json();
    let mut keys: Vec<&str> = body.as_object().ok_or("body is not an object")?.keys().map(|k| k.as_str()).collect();
    keys.sort();
    if keys != ["audioConfig", "input", "voice"] {
        return Err(format!("body fields {keys:?}"));
    }
    if body["voice"] != json!({"languageCode": "cmn-CN", "name": "cmn-CN-Wavenet-A"}) {
        return Err(format!("voice {}", body["voice"]));
    }
    let mut config = json!({"audioEncoding": format, "speakingRate": 1.0, "pitch": -2.0});
    if format == "PCM" {
        config["sampleRateHertz"] = json!(24000);
    }
    if body["audioConfig"] != config {
        return Err(format!("audioConfig {}", body["audioConfig"]));
    }
    let input = body["input"].as_object().ok_or("no input")?;
    if input.len() != 1 {
        return Err(format!("input {input:?}"));
    }
    Ok(input["text"].as_str().ok_or("no input.text")?.to_string())
}

fn check(req: &Request, format: &str) -> Result<String, String> {
    if req.query("key").as_deref() != Some(KEY) || req.header("authorization").is_some() {
        return Err("missing ?key=".into());
    }
    check_body(req, format)
}

fn success(_: &Request, format: &str) -> Reply {
    let audio = match format {
        "LINEAR16" => fixture("speech-24k.wav"),
        "MP3" => fixture("speech-24k.mp3"),
        "PCM" => fixture("speech-24k.pcm"),
        "M4A" => fixture("speech-24k.m4a"),
        other => panic!("no fixture for {other}"),
    };
    Reply::json(200, json!({"audioContent": STANDARD.encode(audio)}))
}

fn error(code: u16, status: &str, message: &str, reason: Option<&str>) -> Reply {
    let mut error = json!({"code": code, "message": message, "status": status});
    if let Some(reason) = reason {
        error["details"] = json!([{
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": reason,
            "domain": "googleapis.com",
        }]);
    }
    Reply::json(code, json!({ "error": error }))
}

static GOOGLE: Service = Service {
    name: "google",
    preset,
    formats: &["LINEAR16", "MP3", "PCM", "M4A"],
    check,
    success,
    // Google answers a wrong API key with 400 INVALID_ARGUMENT, not 401.
    unauthorized: || {
        error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", Some("API_KEY_INVALID"))
    },
    bad_request: || error(400, "INVALID_ARGUMENT", "Voice 'cmn-CN-Wavenet-Z' does not exist. Is it misspelled?", None),
    rate_limited: || {
        error(
            429,
            "RESOURCE_EXHAUSTED",
            "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute' of service \
             'texttospeech.googleapis.com' for consumer 'project_number:123'.",
            Some("RATE_LIMIT_EXCEEDED"),
        )
    },
    quota: || {
        error(
            429,
            "RESOURCE_EXHAUSTED",
            "Quota exceeded for quota metric 'Characters' and limit 'Characters per day' of service \
             'texttospeech.googleapis.com' for consumer 'project_number:123'.",
            Some("RATE_LIMIT_EXCEEDED"),
        )
    },
    server_error: || error(503, "UNAVAILABLE", "The service is currently unavailable.", None),
};

conformance_tests!(GOOGLE);

fn build_article(preset_text: &str, article_text: &str, env: &[(&str, &str)]) -> (Run, Build) {
    let mut b = Build::new()
        .preset_as("google-test.toml", preset_text)
        .article(article_text)
        .args(["--jobs", "1", "--quiet"])
        .env(KEY_VAR, KEY)
        .env_remove("GOOGLE_CLOUD_QUOTA_PROJECT");
    for (k, v) in env {
        b = b.env(k, v);
    }
    (b.run(), b)
}

#[test]
fn a_long_chinese_paragraph_is_split_by_bytes() {
    let server = Server::start(|req, _| match check(req, "LINEAR16") {
        Ok(_) => success(req, "LINEAR16"),
        Err(why) => Reply::new(418).body(why.into_bytes()),
    });
    let paragraph: String = (1..=300).map(|i| format!("这是用来测试字节上限的一个长句子，编号第{i}句。")).collect();
    assert!(paragraph.len() > 3 * 5000, "{} bytes", paragraph.len());
    // Written text = sent text here (no normalization), so the pieces can be joined back.
    let voice = preset(&server.url, "LINEAR16").replace("[options]", "normalize = false\n[options]");
    let (r, _build) = build_article(&voice, &format!("标题\n{paragraph}\n"), &[]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let texts: Vec<String> = server.requests().iter().map(|q| check(q, "LINEAR16").unwrap()).collect();
    assert_eq!(texts[0], "标题");
    let pieces = &texts[1..];
    assert!(pieces.len() >= 4, "{} pieces", pieces.len());
    for p in pieces {
        assert!(p.len() <= 5000, "a request of {} bytes", p.len());
    }
    assert!(pieces.iter().any(|p| p.len() > 4000), "pieces are packed up to the byte limit");
    assert_eq!(pieces.concat(), paragraph);
}

#[test]
fn bearer_token_with_quota_project() {
    let server = Server::start(|req, _| {
        let ok = req.header("authorization") == Some(&format!("Bearer {KEY}"))
            && req.query("key").is_none()
            && req.header("x-goog-user-project") == Some("my-project")
            && check_body(req, "MP3").is_ok();
        if ok {
            success(req, "MP3")
        } else {
            error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.", None)
        }
    });
    let text = preset(&server.url, "MP3").replace("[options]", "auth = 'bearer'\n[options]");
    let (r, _build) = build_article(&text, "标题\n正文。\n", &[("GOOGLE_CLOUD_QUOTA_PROJECT", "my-project")]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn a_rejected_token_says_what_to_do() {
    let server =
        Server::start(|_, _| error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.", None));
    let text = preset(&server.url, "MP3").replace("[options]", "auth = 'bearer'\n[options]");
    let (r, _build) = build_article(&text, "标题\n", &[]);
    assert_eq!(r.status, 1);
    assert!(r.stderr.contains("not authenticated") && r.stderr.contains("access token"), "{}", r.stderr);
    assert!(r.stderr.contains("GOOGLE_CLOUD_QUOTA_PROJECT"), "{}", r.stderr);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn billing_disabled_fails_fast() {
    let server = Server::start(|_, _| {
        error(
            403,
            "PERMISSION_DENIED",
            "This API method requires billing to be enabled. Please enable billing on project #123 then retry.",
            Some("BILLING_DISABLED"),
        )
    });
    let (r, _build) = build_article(&preset(&server.url, "LINEAR16"), "标题\n正文。\n", &[]);
    assert_eq!(r.status, 1);
    assert!(r.stderr.contains("quota exhausted"), "{}", r.stderr);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn undecodable_formats_and_unbounded_input_are_refused() {
    let server = Server::start(|_, _| Reply::new(500));
    for format in ["OGG_OPUS", "MULAW", "ALAW"] {
        let (r, _build) = build_article(&preset(&server.url, format), "标题\n", &[]);
        assert_eq!(r.status, 1, "{format}");
        assert!(r.stderr.contains("cannot be decoded") && r.stderr.contains("LINEAR16"), "{}", r.stderr);
    }
    let (r, _build) = build_article(&preset(&server.url, "MP3").replace("max_bytes = 4800\n", ""), "标题\n", &[]);
    assert_eq!(r.status, 1);
    assert!(r.stderr.contains("max_bytes"), "{}", r.stderr);
    assert!(server.requests().is_empty());
}

#[test]
fn the_key_in_the_url_never_shows() {
    // Nothing listens on this port: the transport error must not quote the URL with the key.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}");
    let text = format!("{}[network]\nconnect_timeout_s = 1\nmax_attempts = 1\n", preset(&url, "MP3"));
    let (r, _build) = build_article(&text, "标题\n", &[]);
    assert_eq!(r.status, 1);
    assert!(r.stderr.contains("cannot connect") || r.stderr.contains("unavailable"), "{}", r.stderr);
    assert!(!r.stderr.contains(KEY) && !r.stdout.contains(KEY), "{}", r.stderr);
}
