//! The `azure` backend against a local server speaking Azure AI Speech's REST TTS.

mod common;

use common::conformance::{KEY, KEY_VAR, Service, fixture};
use common::server::{Reply, Request, Server};
use common::*;
use serde_json::json;

fn preset(url: &str, format: &str) -> String {
    format!(
        "kind = 'azure'\nlanguage = 'zh-CN'\nvoice = 'zh-CN-XiaoxiaoNeural'\nformat = '{format}'\n\
         base_url = '{url}'\nregion = 'eastasia'\napi_key_env = '{KEY_VAR}'\nmax_chars = 1000\n"
    )
}

/// An XML token of the SSML body.
#[derive(Debug, PartialEq)]
enum Token {
    Open(String, Vec<(String, String)>),
    Close(String),
    Text(String),
}

fn unescape(s: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find(['&', '<', '>']) {
        out.push_str(&rest[..at]);
        if !rest[at..].starts_with('&') {
            return Err(format!("raw markup character in text: {s:?}"));
        }
        let end = rest[at..].find(';').ok_or_else(|| format!("unterminated entity in {s:?}"))? + at;
        out.push(match &rest[at + 1..end] {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            other => return Err(format!("unknown entity &{other};")),
        });
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A small XML tokenizer: enough for the flat SSML documents seedaudio sends.
fn tokens(xml: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut rest = xml.trim();
    while !rest.is_empty() {
        if let Some(tag) = rest.strip_prefix('<') {
            let end = tag.find('>').ok_or("unterminated tag")?;
            let inside = &tag[..end];
            rest = &tag[end + 1..];
            if let Some(name) = inside.strip_prefix('/') {
                out.push(Token::Close(name.trim().to_string()));
                continue;
            }
            let name_end = inside.find(char::is_whitespace).unwrap_or(inside.len());
            let name = inside[..name_end].to_string();
            let mut attrs = Vec::new();
            let mut a = inside[name_end..].trim();
            while !a.is_empty() {
                let eq = a.find('=').ok_or_else(|| format!("bad attributes in <{inside}>"))?;
                let key = a[..eq].trim().to_string();
                let after = a[eq + 1..].trim_start();
                let quote = after.chars().next().filter(|q| *q == '\'' || *q == '"').ok_or("unquoted attribute")?;
                let close = after[1..].find(quote).ok_or("unterminated attribute")? + 1;
                attrs.push((key, unescape(&after[1..close])?));
                a = after[close + 1..].trim_start();
            }
            out.push(Token::Open(name, attrs));
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            out.push(Token::Text(unescape(&rest[..end])?));
            rest = &rest[end..];
        }
    }
    Ok(out)
}

/// What an SSML body asks for.
#[derive(Debug)]
struct Ssml {
    lang: String,
    voice: String,
    rate: Option<String>,
    text: String,
}

fn parse_ssml(xml: &str) -> Result<Ssml, String> {
    let tokens = tokens(xml)?;
    let attr = |attrs: &[(String, String)], key: &str| attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let mut it = tokens.iter();
    let Some(Token::Open(speak, speak_attrs)) = it.next() else { return Err(format!("no <speak> in {xml}")) };
    let Some(Token::Open(voice, voice_attrs)) = it.next() else { return Err(format!("no <voice> in {xml}")) };
    if speak != "speak" || voice != "voice" {
        return Err(format!("unexpected elements in {xml}"));
    }
    if attr(speak_attrs, "version").as_deref() != Some("1.0")
        || attr(speak_attrs, "xmlns").as_deref() != Some("http://www.w3.org/2001/10/synthesis")
    {
        return Err(format!("<speak> attributes {speak_attrs:?}"));
    }
    let rest: Vec<&Token> = it.collect();
    let (rate, text) = match rest.as_slice() {
        [Token::Text(t), Token::Close(v), Token::Close(s)] if v == "voice" && s == "speak" => (None, t.clone()),
        [Token::Open(p, pa), Token::Text(t), Token::Close(pc), Token::Close(v), Token::Close(s)]
            if p == "prosody" && pc == "prosody" && v == "voice" && s == "speak" =>
        {
            (Some(attr(pa, "rate").ok_or("prosody without rate")?), t.clone())
        }
        other => return Err(format!("unexpected SSML structure {other:?}")),
    };
    Ok(Ssml {
        lang: attr(speak_attrs, "xml:lang").ok_or("no xml:lang")?,
        voice: attr(voice_attrs, "name").ok_or("no voice name")?,
        rate,
        text,
    })
}

fn check_common(req: &Request, format: &str) -> Result<Ssml, String> {
    if req.method != "POST" || req.path() != "/cognitiveservices/v1" {
        return Err(format!("wrong route {} {}", req.method, req.target));
    }
    if req.header("x-microsoft-outputformat") != Some(format) {
        return Err(format!("output format {:?}", req.header("x-microsoft-outputformat")));
    }
    if !req.header("content-type").is_some_and(|t| t.starts_with("application/ssml+xml")) {
        return Err(format!("content type {:?}", req.header("content-type")));
    }
    if req.header("user-agent").is_none_or(|u| u.is_empty() || u.len() >= 255) {
        return Err("no user agent".into());
    }
    let ssml = parse_ssml(&req.text())?;
    if ssml.lang != "zh-CN" || ssml.voice != "zh-CN-XiaoxiaoNeural" {
        return Err(format!("voice {} language {}", ssml.voice, ssml.lang));
    }
    Ok(ssml)
}

fn check(req: &Request, format: &str) -> Result<String, String> {
    if req.header("ocp-apim-subscription-key") != Some(KEY) || req.header("authorization").is_some() {
        return Err("missing subscription key".into());
    }
    let ssml = check_common(req, format)?;
    if ssml.rate.is_some() {
        return Err("prosody at speed 1.0".into());
    }
    Ok(ssml.text)
}

/// A RIFF header with size 0, as Azure has been seen to send for `riff-*` formats.
fn riff_size_zero() -> Vec<u8> {
    let mut wav = fixture("speech-24k.wav");
    wav[4..8].copy_from_slice(&0u32.to_le_bytes());
    wav
}

fn success(_: &Request, format: &str) -> Reply {
    match format {
        "raw-24khz-16bit-mono-pcm" => Reply::audio("audio/x-wav", fixture("speech-24k.pcm")),
        "raw-22050hz-16bit-mono-pcm" => Reply::audio("audio/x-wav", fixture("speech-22k.pcm")),
        "riff-24khz-16bit-mono-pcm" => Reply::audio("audio/x-wav", riff_size_zero()),
        "audio-24khz-48kbitrate-mono-mp3" => Reply::audio("audio/mpeg", fixture("speech-24k.mp3")),
        other => panic!("no fixture for {other}"),
    }
}

static AZURE: Service = Service {
    name: "azure",
    preset,
    formats: &[
        "raw-24khz-16bit-mono-pcm",
        "raw-22050hz-16bit-mono-pcm",
        "riff-24khz-16bit-mono-pcm",
        "audio-24khz-48kbitrate-mono-mp3",
    ],
    check,
    success,
    // Azure's error bodies are often empty.
    unauthorized: || Reply::new(401),
    bad_request: || Reply::new(400),
    rate_limited: || Reply::new(429),
    quota: || {
        Reply::json(
            403,
            json!({"error": {"code": "403", "message": "Out of call volume quota for TextToSpeech F0 pricing tier. Please retry after 12 days. To increase your call volume switch to a paid tier."}}),
        )
    },
    server_error: || Reply::new(503),
};

conformance_tests!(AZURE);

fn build_article(preset_text: &str, article_text: &str) -> (Run, Build) {
    let b = Build::new()
        .preset_as("azure-test.toml", preset_text)
        .article(article_text)
        .args(["--jobs", "1", "--quiet"])
        .env(KEY_VAR, KEY);
    (b.run(), b)
}

#[test]
fn article_text_is_escaped_never_markup() {
    let format = "raw-24khz-16bit-mono-pcm";
    let server = Server::start(move |req, _| match check(req, format) {
        Ok(_) => success(req, format),
        Err(why) => Reply::new(418).body(why.into_bytes()),
    });
    // Tags in an article are not read (the markup stage drops them); what stays, such as a
    // bare `<` or `&` and quotes, must arrive escaped.
    let line = r#"正文 x < y & z > w "q" 'r'"#;
    let (r, _build) = build_article(&preset(&server.url, format), &format!("标题\n{line}\n"));
    assert_eq!(r.status, 0, "{}", r.stderr);
    let requests = server.requests();
    let body = requests[1].text();
    assert!(body.contains("正文 x &lt; y &amp; z &gt; w &quot;q&quot; &apos;r&apos;"), "{body}");
    let asked: Vec<String> = requests.iter().map(|q| check(q, format).unwrap()).collect();
    assert_eq!(asked, vec!["标题".to_string(), line.to_string()]);
}

#[test]
fn bearer_token_and_speed() {
    let format = "raw-24khz-16bit-mono-pcm";
    let server = Server::start(move |req, _| {
        let ok = req.header("authorization") == Some(&format!("Bearer {KEY}"))
            && req.header("ocp-apim-subscription-key").is_none()
            && check_common(req, format).is_ok_and(|s| s.rate.as_deref() == Some("+20%"));
        if ok { success(req, format) } else { Reply::new(401) }
    });
    let text = format!("{}auth = 'bearer'\nspeed = 1.2\n", preset(&server.url, format));
    let (r, _build) = build_article(&text, "标题\n正文。\n");
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn an_expired_token_says_what_to_do() {
    let server = Server::start(|_, _| Reply::new(401));
    let text = format!("{}auth = 'bearer'\n", preset(&server.url, "raw-24khz-16bit-mono-pcm"));
    let (r, _build) = build_article(&text, "标题\n");
    assert_eq!(r.status, 1);
    assert!(r.stderr.contains("expire after 10 minutes") && r.stderr.contains(KEY_VAR), "{}", r.stderr);
    assert!(!r.stderr.contains(KEY));
}

#[test]
fn undecodable_formats_are_refused_before_any_request() {
    for format in ["ogg-24khz-16bit-mono-opus", "raw-8khz-8bit-mono-mulaw", "riff-8khz-8bit-mono-alaw", "wav"] {
        let server = Server::start(|_, _| Reply::new(500));
        let (r, _build) = build_article(&preset(&server.url, format), "标题\n");
        assert_eq!(r.status, 1, "{format}");
        assert!(r.stderr.contains("cannot be decoded") && r.stderr.contains("raw-"), "{}", r.stderr);
        assert!(server.requests().is_empty());
    }
}

#[test]
fn built_in_preset_needs_its_key_and_names_the_region() {
    let r = run(seedaudio()
        .args(["build", "--voice", "zh-azure-xiaoxiao"])
        .arg(article("zh-example.txt"))
        .env_remove("AZURE_SPEECH_KEY"));
    assert_eq!(r.status, 1);
    assert!(r.stderr.contains("AZURE_SPEECH_KEY"), "{}", r.stderr);
    let r = run(seedaudio().args(["plan", "--voice", "zh-azure-xiaoxiao"]).arg(article("zh-example.txt")));
    assert_eq!(r.status, 0, "{}", r.stderr);
}
