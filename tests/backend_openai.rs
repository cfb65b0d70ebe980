//! The `openai` backend against a local server speaking OpenAI's `/v1/audio/speech`.

mod common;

use common::conformance::{self as c, KEY, KEY_VAR, Service, fixture};
use common::server::{Reply, Request, Server};
use common::*;
use serde_json::json;

fn preset(url: &str, format: &str) -> String {
    format!(
        "kind = 'openai'\nlanguage = 'zh'\nvoice = 'coral'\nmodel = 'gpt-4o-mini-tts'\nformat = '{format}'\n\
         base_url = '{url}'\napi_key_env = '{KEY_VAR}'\ninstructions = '用标准普通话朗读'\nmax_chars = 1000\n"
    )
}

fn check(req: &Request, format: &str) -> Result<String, String> {
    if req.method != "POST" || req.path() != "/v1/audio/speech" {
        return Err(format!("wrong route {} {}", req.method, req.target));
    }
    if req.header("authorization") != Some(&format!("Bearer {KEY}")) {
        return Err("missing bearer key".into());
    }
    if !req.header("content-type").is_some_and(|t| t.starts_with("application/json")) {
        return Err("not JSON".into());
    }
    let body = req.json();
    let expected_keys = ["input", "instructions", "model", "response_format", "speed", "voice"];
    let mut keys: Vec<&str> = body.as_object().ok_or("body is not an object")?.keys().map(|k| k.as_str()).collect();
    keys.sort();
    if keys != expected_keys {
        return Err(format!("body fields {keys:?}"));
    }
    if body["model"] != "gpt-4o-mini-tts"
        || body["voice"] != "coral"
        || body["response_format"] != format
        || body["speed"] != 1.0
    {
        return Err(format!("body {body}"));
    }
    Ok(body["input"].as_str().unwrap_or_default().to_string())
}

fn success(_: &Request, format: &str) -> Reply {
    match format {
        "pcm" => Reply::audio("audio/pcm", fixture("speech-24k.pcm")),
        "wav" => Reply::audio("audio/wav", c::streamed_wav()),
        "mp3" => Reply::audio("audio/mpeg", fixture("speech-24k.mp3")),
        "flac" => Reply::audio("audio/flac", fixture("speech-24k.flac")),
        "aac" => Reply::audio("audio/aac", fixture("speech-24k.aac")),
        other => panic!("no fixture for {other}"),
    }
}

fn error(status: u16, message: &str, kind: &str, code: &str) -> Reply {
    Reply::json(status, json!({"error": {"message": message, "type": kind, "param": null, "code": code}}))
}

static OPENAI: Service = Service {
    name: "openai",
    preset,
    formats: &["pcm", "wav", "mp3", "flac", "aac"],
    check,
    success,
    // OpenAI masks the key it quotes; a careless server might not, and it must not leak.
    unauthorized: || {
        error(401, &format!("Incorrect API key provided: {KEY}."), "invalid_request_error", "invalid_api_key")
    },
    bad_request: || error(400, "Invalid value for 'voice'.", "invalid_request_error", "invalid_value"),
    rate_limited: || error(429, "Rate limit reached for requests", "requests", "rate_limit_exceeded"),
    quota: || {
        error(
            429,
            "You exceeded your current quota, please check your plan and billing details.",
            "insufficient_quota",
            "insufficient_quota",
        )
    },
    server_error: || {
        error(500, "The server had an error while processing your request.", "server_error", "server_error")
    },
};

conformance_tests!(OPENAI);

#[test]
fn pcm_rate_from_content_type_is_used() {
    // openedai-speech names the rate of its pcm in the Content-Type; read at the wrong rate
    // the same phrase would come out 8 % shorter or longer.
    let speech = |content_type: &'static str, file: &'static str| {
        let server = Server::start(move |_, _| Reply::audio(content_type, fixture(file)));
        let case = c::case(&OPENAI, &server, "pcm", 0);
        let r = case.run();
        assert_eq!(r.status, 0, "{}", r.stderr);
        let manifest = case.manifest();
        let u = &utterances(&manifest)[0];
        u["end"].as_f64().unwrap() - u["start"].as_f64().unwrap()
    };
    let at_24k = speech("audio/pcm", "speech-24k.pcm");
    let at_22k = speech("audio/pcm;rate=22050", "speech-22k.pcm");
    assert!(at_24k > 1.0 && (at_24k - at_22k).abs() < 0.02, "{at_24k} s vs {at_22k} s");
}

#[test]
fn a_local_server_without_a_key_gets_no_authorization_header() {
    let server = Server::start(|req, _| {
        if req.header("authorization").is_some() {
            Reply::new(400)
        } else {
            Reply::audio("audio/pcm", fixture("speech-24k.pcm"))
        }
    });
    let r = Build::new()
        .preset_as(
            "zh-kokoro-fastapi.toml",
            &format!("kind='openai'\nlanguage='zh'\nvoice='zf_xiaobei'\nmodel='kokoro'\nbase_url='{}'\n", server.url),
        )
        .article_file(article("zh-two-paid.txt"))
        .arg("--quiet")
        .run();
    assert_eq!(r.status, 0, "{}", r.stderr);
    // 14 utterances, 10 distinct texts: the re-read headings come from the cache.
    assert_eq!(server.requests().len(), 10);
}

#[test]
fn a_missing_key_is_a_clear_error_before_any_request() {
    let server = Server::start(|_, _| Reply::new(500));
    let case = c::case(&OPENAI, &server, "pcm", 1);
    // Not `case.run()`: no `--out`, and the key is not in the environment.
    let r = run(seedaudio()
        .arg("build")
        .arg(case.article_path())
        .arg("--voice")
        .arg(case.preset_path())
        .env_remove(KEY_VAR));
    assert_eq!(r.status, 1);
    assert!(r.stderr.contains(&format!("set the environment variable {KEY_VAR}")), "{}", r.stderr);
    assert!(server.requests().is_empty());
}

/// `(title, kind, paid, file, marker titles)` of each chapter.
fn chapter_list(manifest: &serde_json::Value) -> Vec<String> {
    chapters(manifest)
        .iter()
        .map(|c| {
            let markers: Vec<&str> =
                c["markers"].as_array().unwrap().iter().map(|m| m["title"].as_str().unwrap()).collect();
            format!("{} {} {} {} {:?}", c["title"], c["kind"], c["paid"], c["file"], markers)
        })
        .collect()
}

#[test]
fn a_full_build_through_openai_has_the_chapters_of_the_offline_build() {
    // The long reference article too, when it sits beside this checkout (it is not part of
    // this repository).
    let reference = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/articles/five-awareness.txt");
    let mut articles = vec![article("zh-example.txt")];
    if reference.exists() {
        articles.push(reference);
    }
    for path in articles {
        let server = Server::start(|req, _| match check(req, "pcm") {
            Ok(_) => Reply::audio("audio/pcm", fixture("speech-24k.pcm")),
            Err(why) => Reply::new(418).body(why.into_bytes()),
        });
        let case = c::case(&OPENAI, &server, "pcm", 0);
        let out = case.dir().join("openai");
        let r = run(seedaudio()
            .arg("build")
            .arg(&path)
            .args(["--quiet", "--jobs", "4", "--voice"])
            .arg(case.preset_path())
            .arg("--out")
            .arg(&out)
            .env(KEY_VAR, KEY));
        assert_eq!(r.status, 0, "{}", r.stderr);
        let online = read_json(&out.join("manifest.json"));
        // The offline build with the default engine (the espeak-ng program when installed).
        let (_dir, offline, _) = build(&path, &["--quiet"]);
        assert_eq!(chapter_list(&online), chapter_list(&offline), "{}", path.display());
        assert_eq!(utterances_squashed(&online), utterances_squashed(&offline));
        check_chapters(&out, &online);
        let asked: Vec<String> = server.requests().iter().map(|q| check(q, "pcm").unwrap()).collect();
        // Each distinct text once: a repeated text (a re-read heading) comes from the cache.
        let distinct: std::collections::BTreeSet<&str> =
            utterances(&online).iter().filter(|u| u["spoken"] == true).map(|u| u["text"].as_str().unwrap()).collect();
        assert_eq!(asked.len(), distinct.len());
    }
}
