//! The `http` template backend: against local servers shaped like Piper, Coqui, CosyVoice
//! and a JSON-base64 server, and against a real Piper server when `PIPER_URL` is set (that
//! test is ignored by default: it needs the server).

mod common;

use std::path::Path;

use base64::Engine as _;
use common::conformance::{KEY, KEY_VAR, Service, fixture};
use common::server::{Reply, Request, Server};
use common::*;

/// Piper's HTTP server, behind a proxy that wants a bearer key.
fn preset(url: &str, _format: &str) -> String {
    format!(
        "kind = 'http'\nlanguage = 'zh'\nvoice = 'piper'\nbase_url = '{url}'\napi_key_env = '{KEY_VAR}'\n\
         max_chars = 500\n\
         [http]\nurl = '{{base_url}}/synthesize'\nbody = 'json'\nresponse = 'audio'\n\
         [http.fields]\ntext = '{{text}}'\nlength_scale = '{{length_scale}}'\n\
         [http.headers]\nAuthorization = 'Bearer {{api_key}}'\n"
    )
}

fn check(req: &Request, _format: &str) -> Result<String, String> {
    if req.method != "POST" || req.target != "/synthesize" {
        return Err(format!("wrong route {} {}", req.method, req.target));
    }
    if req.header("authorization") != Some(&format!("Bearer {KEY}")) {
        return Err("missing bearer key".into());
    }
    // Piper's Flask server swallows anything but JSON.
    if !req.header("content-type").is_some_and(|t| t.starts_with("application/json")) {
        return Err("not JSON".into());
    }
    let body = req.json();
    let mut keys: Vec<&str> = body.as_object().ok_or("body is not an object")?.keys().map(|k| k.as_str()).collect();
    keys.sort();
    if keys != ["length_scale", "text"] || !body["length_scale"].is_number() || body["length_scale"] != 1.0 {
        return Err(format!("body {body}"));
    }
    Ok(body["text"].as_str().unwrap_or_default().to_string())
}

fn success(_: &Request, format: &str) -> Reply {
    // Flask labels Piper's WAV text/html.
    match format {
        "wav" => Reply::audio("text/html; charset=utf-8", fixture("speech-24k.wav")),
        "mp3" => Reply::audio("text/html; charset=utf-8", fixture("speech-24k.mp3")),
        other => panic!("no fixture for {other}"),
    }
}

fn html(status: u16, title: &str) -> Reply {
    Reply::new(status).header("content-type", "text/html; charset=utf-8").body(
        format!("<!doctype html><html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>")
            .into_bytes(),
    )
}

static HTTP: Service = Service {
    name: "http",
    preset,
    formats: &["wav", "mp3"],
    check,
    success,
    unauthorized: || html(401, &format!("Unauthorized: bad token {KEY}")),
    bad_request: || html(400, "Bad Request"),
    rate_limited: || html(429, "Too Many Requests"),
    quota: || html(402, "Payment Required: quota_exceeded"),
    server_error: || html(500, "Internal Server Error"),
};

conformance_tests!(HTTP);

/// Builds `article_text` with a preset for `server` (`{url}` replaced), without a key.
fn build_with(preset_text: &str, server: &Server, article_text: &str) -> (Build, Run) {
    let b = Build::new()
        .preset_as("local.toml", &preset_text.replace("{url}", &server.url))
        .article_as("a.txt", article_text)
        .arg("--quiet");
    let r = b.run();
    (b, r)
}

fn first_utterance_seconds(b: &Build) -> f64 {
    let manifest = b.manifest();
    let u = &utterances(&manifest)[0];
    u["end"].as_f64().unwrap() - u["start"].as_f64().unwrap()
}

#[test]
fn json_base64_response() {
    let server = Server::start(|req, _| {
        let body = req.json();
        if body["input"]["text"] != "只有一句话。" || body["speed"] != 1.25 || body["format"] != "wav" {
            return Reply::new(418).body(body.to_string().into_bytes());
        }
        let audio = base64::engine::general_purpose::STANDARD.encode(fixture("speech-24k.wav"));
        Reply::json(200, serde_json::json!({"code": 0, "data": {"audio": audio, "sample_rate": 24000}}))
    });
    let preset = "kind='http'\nlanguage='zh'\nvoice='v'\nspeed=1.25\nbase_url='{url}'\n[http]\n\
                  url='{base_url}/api/tts'\nresponse='json-base64'\naudio_field='data.audio'\n\
                  [http.fields]\nformat='wav'\nspeed='{speed}'\ninput={text='{text}'}\n";
    let (b, r) = build_with(preset, &server, "只有一句话。\n");
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(server.requests().len(), 1);
    let seconds = first_utterance_seconds(&b);
    assert!(seconds > 1.0 && seconds < 3.0, "{seconds}");

    // A reply without the field says which field it looked for.
    let server = Server::start(|_, _| Reply::json(200, serde_json::json!({"code": 1, "msg": "busy"})));
    let (_build, r) = build_with(preset, &server, "只有一句话。\n");
    assert_eq!(r.status, 1);
    assert!(r.stderr.contains("data.audio") && r.stderr.contains("code, msg"), "{}", r.stderr);
    assert_eq!(server.requests().len(), 1, "a malformed reply is not retried");
}

#[test]
fn pcm_response_cosyvoice_style() {
    // CosyVoice: GET with a form body, headerless PCM without a Content-Type.
    let server = Server::start(|req, _| {
        let form: Vec<(String, String)> = url::form_urlencoded::parse(&req.body).into_owned().collect();
        let expected =
            vec![("spk_id".to_string(), "中文女".to_string()), ("tts_text".to_string(), "只有一句话。".to_string())];
        let form_type = req.header("content-type").is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
        if req.method != "GET" || req.target != "/inference_sft" || !form_type || form != expected {
            return Reply::new(418).body(format!("{} {} {form:?}", req.method, req.target).into_bytes());
        }
        Reply::new(200).body(fixture("speech-22k.pcm"))
    });
    let preset = "kind='http'\nlanguage='zh'\nvoice='中文女'\nbase_url='{url}'\n[http]\nmethod='GET'\n\
                  url='{base_url}/inference_sft'\nbody='form'\nresponse='pcm'\npcm_rate=22050\n\
                  [http.fields]\ntts_text='{text}'\nspk_id='{voice}'\n";
    let (b, r) = build_with(preset, &server, "只有一句话。\n");
    assert_eq!(r.status, 0, "{}", r.stderr);
    // Read at 22050 Hz, the phrase lasts what the 24 kHz fixture does (~1.7 s).
    let seconds = first_utterance_seconds(&b);
    assert!(seconds > 1.4 && seconds < 2.2, "{seconds}");
}

#[test]
fn get_with_query_coqui_style() {
    let server = Server::start(|req, _| {
        if req.method != "GET" || req.path() != "/api/tts" || !req.body.is_empty() {
            return Reply::new(418);
        }
        Reply::audio("audio/wav", fixture("speech-24k.wav"))
    });
    let preset = "kind='http'\nlanguage='en'\nvoice='p 225'\nbase_url='{url}'\nnormalize=false\n[http]\nmethod='GET'\n\
                  url='{base_url}/api/tts?language_id={language}'\nbody='query'\n\
                  [http.fields]\ntext='{text}'\nspeaker_id='{voice}'\n";
    let text = "Tom & Jerry: 50% off #1 deal, a+b=c/d\n";
    let (_build, r) = build_with(preset, &server, text);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let reqs = server.requests();
    assert!(!reqs.is_empty());
    let sent: String = reqs.iter().map(|q| q.query("text").unwrap()).collect::<Vec<_>>().join(" ");
    assert_eq!(sent.split_whitespace().collect::<String>(), text.split_whitespace().collect::<String>());
    for q in &reqs {
        assert_eq!(q.query("speaker_id").as_deref(), Some("p 225"));
        assert_eq!(q.query("language_id").as_deref(), Some("en"));
    }

    // The same with every value in the URL itself (MaryTTS style): percent-encoded.
    let server = Server::start(|req, _| {
        if req.method != "GET" || req.path() != "/process" {
            return Reply::new(418);
        }
        Reply::audio("audio/x-wav", fixture("speech-24k.wav"))
    });
    let preset = "kind='http'\nlanguage='en_US'\nvoice='cmu-slt'\nbase_url='{url}'\nnormalize=false\n[http]\nmethod='GET'\nbody='none'\n\
                  url='{base_url}/process?INPUT_TEXT={text}&INPUT_TYPE=TEXT&OUTPUT_TYPE=AUDIO&AUDIO=WAVE_FILE&LOCALE={language}&VOICE={voice}'\n";
    let (_build, r) = build_with(preset, &server, text);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let reqs = server.requests();
    let sent: String = reqs.iter().map(|q| q.query("INPUT_TEXT").unwrap()).collect::<Vec<_>>().join(" ");
    assert_eq!(sent.split_whitespace().collect::<String>(), text.split_whitespace().collect::<String>());
    assert_eq!(reqs[0].query("LOCALE").as_deref(), Some("en_US"));
    assert_eq!(reqs[0].query("AUDIO").as_deref(), Some("WAVE_FILE"));
}

#[test]
fn template_errors_are_clear_and_come_before_any_request() {
    let server = Server::start(|_, _| Reply::new(500));
    let head = "kind='http'\nlanguage='en'\nvoice='v'\nbase_url='{url}'\n";
    let cases: &[(&str, &[&str])] = &[
        ("", &["[http]", "url"]),
        ("[http]\nbody='json'\n[http.fields]\ntext='{text}'\n", &["missing field `url`"]),
        ("[http]\nurl='{base_url}/x'\nbogus=1\n[http.fields]\ntext='{text}'\n", &["unknown field `bogus`"]),
        ("[http]\nurl='{base_url}/x'\n[http.fields]\ntext='{txt}'\n", &["unknown placeholder {txt}", "{text}"]),
        ("[http]\nurl='{base_url}/x?t={text'\n", &["unclosed"]),
        ("[http]\nurl='{base_url}/x'\n[http.fields]\nvoice='{voice}'\n", &["never sends the text"]),
        ("[http]\nurl='{base_url}/x'\nbody='xml'\n[http.fields]\ntext='{text}'\n", &["xml"]),
        ("[http]\nurl='{base_url}/x'\nmethod='PUT'\n[http.fields]\ntext='{text}'\n", &["PUT", "GET or POST"]),
        ("[http]\nurl='{base_url}/x'\nresponse='json-base64'\n[http.fields]\ntext='{text}'\n", &["audio_field"]),
        ("[http]\nurl='{base_url}/x'\nresponse='pcm'\n[http.fields]\ntext='{text}'\n", &["pcm_rate"]),
        (
            "[http]\nurl='{base_url}/x'\n[http.fields]\ntext='{text}'\n[http.headers]\nX-Key='{api_key}'\n",
            &["api_key_env"],
        ),
        (
            "[http]\nurl='{base_url}/x?key={api_key}'\n[http.fields]\ntext='{text}'\n",
            &["only be used in [http.headers]"],
        ),
        ("[http]\nurl='{base_url}/x'\nbody='none'\n[http.fields]\ntext='{text}'\n", &["none"]),
        ("[http]\nurl='{base_url}/x'\nbody='form'\n[http.fields]\ntext='{text}'\nopts={a=1}\n", &["fields.opts"]),
        ("[http]\nurl='/synthesize'\n[http.fields]\ntext='{text}'\n", &["url", "/synthesize"]),
    ];
    for (http, expected) in cases {
        let (_build, r) = build_with(&format!("{head}{http}"), &server, "Hello there.\n");
        assert_eq!(r.status, 1, "{http}: {}", r.stderr);
        for e in *expected {
            assert!(r.stderr.contains(e), "{http}: expected {e:?} in:\n{}", r.stderr);
        }
    }
    // {base_url} without a base_url.
    let (_build, r) = build_with(
        "kind='http'\nlanguage='en'\nvoice='v'\n[http]\nurl='{base_url}/x'\n[http.fields]\ntext='{text}'\n",
        &server,
        "Hello.\n",
    );
    assert_eq!(r.status, 1);
    assert!(r.stderr.contains("no base_url"), "{}", r.stderr);
    assert!(server.requests().is_empty());
}

/// The real Piper HTTP server (`eval "$(scripts/start-piper 5123)"` sets `PIPER_URL`).
#[test]
#[ignore = "needs a Piper server: eval \"$(scripts/start-piper 5123)\" sets PIPER_URL"]
fn real_piper_server() {
    let url = std::env::var("PIPER_URL")
        .expect("PIPER_URL is not set (eval \"$(scripts/start-piper 5123)\" starts Piper and sets it)");
    let built_in =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("voices/en-piper-http.toml")).unwrap();
    let preset_text = built_in.replace("base_url = \"http://127.0.0.1:5000\"", &format!("base_url = \"{url}\""));
    assert_ne!(preset_text, built_in, "the built-in preset's base_url line changed");
    let b = Build::new()
        .preset_as("en-piper-test.toml", &preset_text)
        .article_file(article("en-no-end.txt"))
        .arg("--quiet");
    let r = b.run();
    assert_eq!(r.status, 0, "{}", r.stderr);
    let (out, manifest) = (b.out(), b.manifest());
    assert_eq!(manifest["voice"]["backend"], "http");
    assert!(chapters(&manifest).len() >= 2, "{manifest}");
    check_chapters(&out, &manifest);
    let mut chars = 0usize;
    for u in utterances(&manifest) {
        assert!(u["start"].is_f64() && u["end"].is_f64(), "incomplete utterance {u}");
        if u["spoken"].as_bool().unwrap() {
            chars += u["text"].as_str().unwrap().chars().filter(|c| !c.is_whitespace()).count();
        }
    }
    let seconds: f64 = chapters(&manifest).iter().map(|c| c["duration"].as_f64().unwrap()).sum();
    // Piper's joe-medium voice speaks ~18 characters a second (spaces included) of plain
    // English; with pauses this build measures ~10 non-space characters a second. Audio read
    // at half or twice its sample rate would land near 5 or 20.
    let rate = chars as f64 / seconds;
    assert!((6.5..=15.0).contains(&rate), "{chars} characters in {seconds} s = {rate} per second");
}
