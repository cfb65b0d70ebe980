//! `http`: a request template for local servers with their own routes (Piper's HTTP server,
//! Coqui `tts-server`, GPT-SoVITS, CosyVoice, MaryTTS, …), described in the preset's `[http]`:
//!
//! ```toml
//! [http]
//! method = "POST"                    # or GET; default POST
//! url = "{base_url}/synthesize"      # placeholders are percent-encoded, {base_url} excepted
//! body = "json"                      # json | form | query | none; default json
//! response = "audio"                 # audio (sniffed) | json-base64 | pcm
//! # audio_field = "data.audio"       # json-base64: dotted path to the base64 audio
//! # pcm_rate = 22050                 # pcm (and json-base64 holding raw pcm): mono s16le at this rate
//! [http.fields]                      # the body (or query) fields
//! text = "{text}"
//! length_scale = "{length_scale}"    # exactly one numeric placeholder → a JSON number
//! [http.headers]
//! # Authorization = "Bearer {api_key}"   # {api_key} from api_key_env; only allowed here
//! ```
//!
//! Placeholders: `{base_url}`, `{text}`, `{voice}`, `{language}`, `{speed}` (the preset's
//! multiplier), `{length_scale}` (1 / speed, Piper's), and `{api_key}` in headers; `{{` and
//! `}}` are literal braces. The reply's Content-Type is never trusted (Piper labels its WAV
//! `text/html`): `audio` is sniffed from the bytes.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::secret::Secret;
use super::template::{self, Part};
use super::transport::{Response, Transport};
use super::{Audio, Backend, BackendError, Request, SetupError, api_key, base_url, settings};
use crate::audio::AudioHint;
use crate::backend::preset::Preset;

const SERVICE: &str = "HTTP TTS server";
const PLACEHOLDERS: &[&str] = &["base_url", "text", "voice", "language", "speed", "length_scale", "api_key"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Template {
    #[serde(default = "post")]
    method: String,
    url: String,
    #[serde(default)]
    body: BodyKind,
    #[serde(default)]
    fields: toml::Table,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    response: ResponseKind,
    #[serde(default)]
    audio_field: Option<String>,
    #[serde(default)]
    pcm_rate: Option<u32>,
}

fn post() -> String {
    "POST".into()
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum BodyKind {
    #[default]
    Json,
    Form,
    Query,
    None,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum ResponseKind {
    #[default]
    Audio,
    JsonBase64,
    Pcm,
}

/// A string with placeholders, parsed once at load.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Literal(String),
    Var(&'static str),
}

#[derive(Debug, Clone, PartialEq)]
struct Pattern(Vec<Piece>);

impl Pattern {
    fn parse(s: &str) -> Result<Pattern, String> {
        let mut pieces = Vec::new();
        for part in template::split(s)? {
            match part {
                Part::Literal(literal) if literal.is_empty() => {}
                Part::Literal(literal) => pieces.push(Piece::Literal(literal)),
                Part::Name(name) => {
                    let Some(known) = PLACEHOLDERS.iter().find(|p| **p == name.trim()) else {
                        return Err(format!(
                            "{s:?}: unknown placeholder {{{name}}}; known: {}",
                            PLACEHOLDERS.iter().map(|p| format!("{{{p}}}")).collect::<Vec<_>>().join(", ")
                        ));
                    };
                    pieces.push(Piece::Var(known));
                }
            }
        }
        Ok(Pattern(pieces))
    }

    fn uses(&self, name: &str) -> bool {
        self.0.iter().any(|p| *p == Piece::Var(PLACEHOLDERS.iter().find(|n| **n == name).copied().unwrap_or("")))
    }

    /// The one placeholder this pattern consists of, if that is all it is.
    fn only_var(&self) -> Option<&'static str> {
        match self.0.as_slice() {
            [Piece::Var(v)] => Some(v),
            _ => None,
        }
    }

    fn fill(&self, value: impl Fn(&str) -> String) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Piece::Literal(s) => s.clone(),
                Piece::Var(v) => value(v),
            })
            .collect()
    }
}

/// A field value: a pattern, or a TOML value kept as is, nested.
#[derive(Debug, Clone)]
enum FieldValue {
    Pattern(Pattern),
    Plain(Value),
    Array(Vec<FieldValue>),
    Table(Vec<(String, FieldValue)>),
}

impl FieldValue {
    fn parse(value: &toml::Value) -> Result<FieldValue, String> {
        Ok(match value {
            toml::Value::String(s) => FieldValue::Pattern(Pattern::parse(s)?),
            toml::Value::Array(items) => {
                FieldValue::Array(items.iter().map(FieldValue::parse).collect::<Result<_, _>>()?)
            }
            toml::Value::Table(t) => FieldValue::Table(
                t.iter().map(|(k, v)| Ok((k.clone(), FieldValue::parse(v)?))).collect::<Result<_, String>>()?,
            ),
            other => FieldValue::Plain(serde_json::to_value(other).map_err(|e| e.to_string())?),
        })
    }

    fn patterns(&self) -> Vec<&Pattern> {
        match self {
            FieldValue::Pattern(p) => vec![p],
            FieldValue::Plain(_) => vec![],
            FieldValue::Array(items) => items.iter().flat_map(FieldValue::patterns).collect(),
            FieldValue::Table(t) => t.iter().flat_map(|(_, v)| v.patterns()).collect(),
        }
    }

    fn json(&self, vars: &Vars) -> Value {
        match self {
            FieldValue::Pattern(p) => match p.only_var() {
                Some(v) if vars.is_number(v) => vars.number(v),
                _ => Value::String(p.fill(|v| vars.get(v))),
            },
            FieldValue::Plain(v) => v.clone(),
            FieldValue::Array(items) => Value::Array(items.iter().map(|i| i.json(vars)).collect()),
            FieldValue::Table(t) => Value::Object(t.iter().map(|(k, v)| (k.clone(), v.json(vars))).collect()),
        }
    }

    /// The value as a form or query parameter (scalars only, checked at load).
    fn text(&self, vars: &Vars) -> String {
        match self {
            FieldValue::Pattern(p) => p.fill(|v| vars.get(v)),
            FieldValue::Plain(Value::String(s)) => s.clone(),
            FieldValue::Plain(v) => v.to_string(),
            FieldValue::Array(_) | FieldValue::Table(_) => String::new(),
        }
    }
}

/// The values placeholders stand for in one request.
struct Vars<'a> {
    base_url: &'a str,
    text: &'a str,
    voice: &'a str,
    language: &'a str,
    speed: &'a str,
    length_scale: &'a str,
}

impl Vars<'_> {
    fn get(&self, name: &str) -> String {
        match name {
            "base_url" => self.base_url,
            "text" => self.text,
            "voice" => self.voice,
            "language" => self.language,
            "speed" => self.speed,
            "length_scale" => self.length_scale,
            // {api_key} is filled only in headers, by `HttpTemplate::headers`.
            _ => "",
        }
        .to_string()
    }

    fn is_number(&self, name: &str) -> bool {
        matches!(name, "speed" | "length_scale")
    }

    fn number(&self, name: &str) -> Value {
        self.get(name).parse::<f64>().map_or(Value::Null, |n| json!(n))
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so a value is safe in a
/// path segment and in a query alike.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `http` kind's own preset fields.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// What `{base_url}` stands for.
    pub base_url: Option<String>,
    /// The `[http]` request and response template.
    pub http: Option<toml::Value>,
}

pub struct HttpTemplate {
    transport: Transport,
    method: reqwest::Method,
    url: Pattern,
    body: BodyKind,
    fields: Vec<(String, FieldValue)>,
    headers: Vec<(reqwest::header::HeaderName, Pattern)>,
    response: ResponseKind,
    audio_field: Vec<String>,
    pcm_rate: Option<u32>,
    key: Option<(Secret, String)>,
    base_url: String,
    voice: String,
    language: String,
    speed: String,
    length_scale: String,
}

impl HttpTemplate {
    pub fn new(preset: &Preset) -> Result<Self, SetupError> {
        let invalid = |m: String| SetupError::invalid(preset, format!("[http]: {m}"));
        let own: Settings = settings(preset)?;
        let Some(table) = &own.http else {
            return Err(SetupError::invalid(
                preset,
                "kind \"http\" needs an [http] table with at least url (e.g. url = \"{base_url}/synthesize\")",
            ));
        };
        let template: Template = table.clone().try_into().map_err(|e: toml::de::Error| invalid(e.message().into()))?;

        let method = match template.method.to_ascii_uppercase().as_str() {
            "GET" => reqwest::Method::GET,
            "POST" => reqwest::Method::POST,
            other => return Err(invalid(format!("method {other:?}: use GET or POST"))),
        };
        let url = Pattern::parse(&template.url).map_err(|e| invalid(format!("url {e}")))?;
        let mut fields = Vec::new();
        for (name, value) in &template.fields {
            let value = FieldValue::parse(value).map_err(|e| invalid(format!("fields.{name} {e}")))?;
            if template.body != BodyKind::Json && !matches!(value, FieldValue::Pattern(_) | FieldValue::Plain(_)) {
                return Err(invalid(format!("fields.{name}: a {:?} body takes only plain values", template.body)));
            }
            fields.push((name.clone(), value));
        }
        if template.body == BodyKind::None && !fields.is_empty() {
            return Err(invalid("body = \"none\" sends no fields; use body = \"query\" or put them in url".into()));
        }
        let mut headers = Vec::new();
        for (name, value) in &template.headers {
            let header = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| invalid(format!("headers: {name:?} is not a header name")))?;
            let pattern = Pattern::parse(value).map_err(|e| invalid(format!("headers.{name} {e}")))?;
            if pattern.uses("text") {
                return Err(invalid(format!(
                    "headers.{name}: {{text}} cannot go in a header; put it in fields or url"
                )));
            }
            headers.push((header, pattern));
        }

        // Where each placeholder may appear.
        let body_patterns: Vec<&Pattern> = fields.iter().flat_map(|(_, v)| v.patterns()).collect();
        let outside_headers: Vec<&Pattern> = std::iter::once(&url).chain(body_patterns.iter().copied()).collect();
        if outside_headers.iter().any(|p| p.uses("api_key")) {
            return Err(invalid("{api_key} may only be used in [http.headers], never in url or fields".into()));
        }
        if !outside_headers.iter().any(|p| p.uses("text")) {
            return Err(invalid("the template never sends the text: put \"{text}\" in [http.fields] or url".into()));
        }
        let key = api_key(preset)?;
        let uses_key = headers.iter().any(|(_, p)| p.uses("api_key"));
        if uses_key && key.is_none() {
            return Err(invalid("headers use {api_key}: name its variable with api_key_env".into()));
        }
        if key.is_some() && !uses_key {
            return Err(invalid(
                "api_key_env is set but no header uses {api_key} (e.g. Authorization = \"Bearer {api_key}\")".into(),
            ));
        }
        let all = outside_headers.iter().copied().chain(headers.iter().map(|(_, p)| p));
        let uses_base = all.clone().any(|p| p.uses("base_url"));
        let base = match (&own.base_url, uses_base) {
            (Some(configured), _) => base_url(preset, Some(configured), "")?,
            (None, true) => return Err(invalid("{base_url} is used but the preset has no base_url".into())),
            (None, false) => String::new(),
        };

        let audio_field = match (template.response, &template.audio_field) {
            (ResponseKind::JsonBase64, Some(path)) if !path.trim().is_empty() => {
                path.split('.').map(|s| s.trim().to_string()).collect()
            }
            (ResponseKind::JsonBase64, _) => {
                return Err(invalid(
                    "response = \"json-base64\" needs audio_field (e.g. \"audio\" or \"data.audio\")".into(),
                ));
            }
            (_, Some(_)) => return Err(invalid("audio_field is only for response = \"json-base64\"".into())),
            (_, None) => Vec::new(),
        };
        let pcm_rate = template.pcm_rate.or(preset.sample_rate);
        match (template.response, pcm_rate) {
            (ResponseKind::Pcm, None) => {
                return Err(invalid("response = \"pcm\" needs pcm_rate, the server's sample rate (e.g. 22050)".into()));
            }
            (ResponseKind::Audio, Some(_)) if template.pcm_rate.is_some() => {
                return Err(invalid("pcm_rate is for response = \"pcm\" or \"json-base64\"; audio is sniffed".into()));
            }
            (_, Some(r)) if !(4000..=192_000).contains(&r) => {
                return Err(invalid(format!("pcm_rate = {r} is not a plausible sample rate")));
            }
            _ => {}
        }
        let pcm_rate = if template.response == ResponseKind::Audio { None } else { pcm_rate };

        let speed = preset.speed.to_string();
        let length_scale = (1.0 / preset.speed).to_string();
        let this = HttpTemplate {
            transport: Transport::new(SERVICE, &preset.network, key.clone()).map_err(invalid)?,
            method,
            url,
            body: template.body,
            fields,
            headers,
            response: template.response,
            audio_field,
            pcm_rate,
            key: key.map(|k| (k, preset.api_key_env.clone().unwrap_or_default())),
            base_url: base,
            voice: preset.voice.clone(),
            language: preset.language.clone(),
            speed,
            length_scale,
        };
        // The URL must come out as a URL.
        let sample = this.url_for("Sample text, 样例 & more?");
        let parsed =
            url::Url::parse(&sample).map_err(|e| invalid(format!("url {:?} gives {sample:?}: {e}", template.url)))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(invalid(format!(
                "url {:?} must start with http:// or https:// (or {{base_url}})",
                template.url
            )));
        }
        Ok(this)
    }

    fn vars<'a>(&'a self, text: &'a str) -> Vars<'a> {
        Vars {
            base_url: &self.base_url,
            text,
            voice: &self.voice,
            language: &self.language,
            speed: &self.speed,
            length_scale: &self.length_scale,
        }
    }

    fn url_for(&self, text: &str) -> String {
        let vars = self.vars(text);
        self.url.fill(|v| if v == "base_url" { vars.get(v) } else { percent_encode(&vars.get(v)) })
    }

    fn request(&self, text: &str) -> Result<reqwest::blocking::RequestBuilder, BackendError> {
        let vars = self.vars(text);
        let mut url = url::Url::parse(&self.url_for(text))
            .map_err(|e| BackendError::Rejected(format!("{SERVICE}: the URL for this text is invalid: {e}")))?;
        if self.body == BodyKind::Query {
            let mut query = url.query_pairs_mut();
            for (name, value) in &self.fields {
                query.append_pair(name, &value.text(&vars));
            }
        }
        let mut request = self.transport.client().request(self.method.clone(), url);
        for (name, pattern) in &self.headers {
            let value = pattern.fill(|v| match (v, &self.key) {
                ("api_key", Some((key, _))) => key.expose().to_string(),
                _ => vars.get(v),
            });
            let mut value = reqwest::header::HeaderValue::from_str(&value).map_err(|_| {
                BackendError::Rejected(format!("{SERVICE}: header {name} holds characters a header cannot carry"))
            })?;
            if pattern.uses("api_key") {
                value.set_sensitive(true);
            }
            request = request.header(name, value);
        }
        Ok(match self.body {
            BodyKind::Json => {
                let body: Map<String, Value> = self.fields.iter().map(|(k, v)| (k.clone(), v.json(&vars))).collect();
                request.json(&body)
            }
            BodyKind::Form => {
                let body: Vec<(&str, String)> = self.fields.iter().map(|(k, v)| (k.as_str(), v.text(&vars))).collect();
                request.form(&body)
            }
            BodyKind::Query | BodyKind::None => request,
        })
    }

    fn audio(&self, response: Response) -> Result<Audio, BackendError> {
        let raw = |rate| AudioHint::RawS16Le { rate, channels: 1 };
        match self.response {
            ResponseKind::Audio => Ok(Audio { bytes: response.body, hint: AudioHint::Sniff }),
            ResponseKind::Pcm => Ok(Audio { bytes: response.body, hint: raw(self.pcm_rate.unwrap_or(24_000)) }),
            ResponseKind::JsonBase64 => {
                let path = self.audio_field.join(".");
                let json: Value = serde_json::from_slice(&response.body).map_err(|e| {
                    BackendError::Rejected(format!(
                        "{SERVICE}: the reply is not JSON ({e}) but response = \"json-base64\""
                    ))
                })?;
                let mut v = &json;
                for key in &self.audio_field {
                    v = match (v, key.parse::<usize>()) {
                        (Value::Array(items), Ok(i)) => items.get(i).unwrap_or(&Value::Null),
                        _ => &v[key.as_str()],
                    };
                }
                let Some(encoded) = v.as_str() else {
                    let keys = json.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>().join(", "));
                    return Err(BackendError::Rejected(format!(
                        "{SERVICE}: the reply has no string at audio_field {path:?} (top-level keys: {})",
                        keys.unwrap_or_default()
                    )));
                };
                // Some servers send a data URL: data:audio/wav;base64,…
                let encoded = encoded.split_once("base64,").map_or(encoded, |(_, b)| b);
                let compact: String = encoded.chars().filter(|c| !c.is_whitespace()).collect();
                let lenient = base64::engine::GeneralPurpose::new(
                    &base64::alphabet::STANDARD,
                    base64::engine::GeneralPurposeConfig::new()
                        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
                );
                let bytes = lenient
                    .decode(compact)
                    .map_err(|e| BackendError::Rejected(format!("{SERVICE}: {path} is not valid base64: {e}")))?;
                let hint = self.pcm_rate.map_or(AudioHint::Sniff, raw);
                Ok(Audio { bytes, hint })
            }
        }
    }
}

impl Backend for HttpTemplate {
    fn kind(&self) -> &'static str {
        "http"
    }

    fn engine(&self) -> String {
        let url = self.url.fill(|v| if v == "base_url" { self.base_url.clone() } else { format!("{{{v}}}") });
        format!("{} {url}", self.method)
    }

    fn synthesize(&self, request: &Request<'_>) -> Result<Audio, BackendError> {
        let text = request.text_only(self.kind())?;
        let response = self.transport.send(self.request(text)?, request.deadline)?;
        if !response.ok() {
            let error = self.transport.status_error(&response, &["quota_exceeded", "insufficient_quota"]);
            return Err(match (&error, &self.key) {
                (BackendError::Unauthenticated(_), Some((_, var))) => {
                    error.with_note(&format!("check the key in {var}"))
                }
                (BackendError::Unauthenticated(_), None) => error.with_note(
                    "this server wants a key: add a header using {api_key} and name its variable with api_key_env",
                ),
                _ => error,
            });
        }
        if response.body.is_empty() {
            return Err(BackendError::Unavailable(format!("{SERVICE} answered {} with no audio", response.status)));
        }
        self.audio(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        let p = Pattern::parse("{base_url}/tts?x={{y}}&t={text}").unwrap();
        assert!(p.uses("text") && p.uses("base_url") && !p.uses("voice"));
        assert_eq!(p.fill(|v| v.to_uppercase()), "BASE_URL/tts?x={y}&t=TEXT");
        assert_eq!(Pattern::parse("{speed}").unwrap().only_var(), Some("speed"));
        assert!(Pattern::parse("{sped}").unwrap_err().contains("unknown placeholder {sped}"));
        assert!(Pattern::parse("{text").unwrap_err().contains("unclosed"));
        assert!(Pattern::parse("a}b").unwrap_err().contains("lone"));
    }

    #[test]
    fn built_in_presets_load_and_piper_gets_numbers() {
        for name in ["en-piper-http", "zh-cosyvoice-http"] {
            HttpTemplate::new(&Preset::find(name).unwrap()).unwrap();
        }
        let mut preset = Preset::find("en-piper-http").unwrap();
        preset.speed = 0.8;
        let piper = HttpTemplate::new(&preset).unwrap();
        let vars = piper.vars("Hi.");
        let body: Map<String, Value> = piper.fields.iter().map(|(k, v)| (k.clone(), v.json(&vars))).collect();
        assert_eq!(Value::Object(body), json!({"text": "Hi.", "length_scale": 1.25}));
        assert_eq!(piper.url_for("a b"), "http://127.0.0.1:5000/synthesize");
        assert_eq!(piper.engine(), "POST http://127.0.0.1:5000/synthesize");
    }

    #[test]
    fn percent_encoding_is_safe_everywhere() {
        assert_eq!(percent_encode("a b&c/d?é"), "a%20b%26c%2Fd%3F%C3%A9");
        assert_eq!(percent_encode("Az09-._~"), "Az09-._~");
    }
}
