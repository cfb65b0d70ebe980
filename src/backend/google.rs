//! `google`: Google Cloud Text-to-Speech, `POST {base_url}/v1/text:synthesize`
//! (default base `https://texttospeech.googleapis.com`).
//!
//! The body is `{input:{text}, voice:{languageCode, name}, audioConfig:{audioEncoding,
//! speakingRate[, sampleRateHertz]}}`; the preset's `[options]` are merged into `audioConfig`
//! (`pitch`, `volumeGainDb`, `effectsProfileId`, …) and may not repeat the three fields set
//! from `format`, `speed` and `sample_rate`. The answer is `{"audioContent": base64}`.
//!
//! Formats (`format`, default `LINEAR16`): `LINEAR16` (WAV with header), `MP3`, `M4A`, and
//! `PCM` (headerless 16-bit, at `sample_rate`, default 24000, which is then always asked for).
//! `OGG_OPUS`, `MULAW` and `ALAW` have no decoder here and are refused.
//!
//! Auth: by default the key goes in the `?key=` query parameter — so the request URL is
//! never put in a message (the transport drops URLs from client errors and redacts the key).
//! With `auth = "bearer"` the variable holds an OAuth access token (`gcloud auth
//! print-access-token`); when `GOOGLE_CLOUD_QUOTA_PROJECT` is set it is sent as
//! `x-goog-user-project`, which user (not service-account) credentials need.
//!
//! Input is limited to 5,000 bytes of UTF-8: presets set `max_bytes` so the planner splits
//! by bytes.

use base64::Engine as _;
use serde_json::{Map, Value, json};

use super::auth::Auth;
use super::transport::{Response, Transport};
use super::{Audio, Backend, BackendError, Request, SetupError, api_key, base_url, settings};
use crate::audio::AudioHint;
use crate::backend::preset::Preset;

const DEFAULT_BASE: &str = "https://texttospeech.googleapis.com";
const FORMATS: &[&str] = &["LINEAR16", "MP3", "PCM", "M4A"];
/// Set from preset fields, so not accepted in `[options]`.
const RESERVED: &[&str] = &["audioEncoding", "speakingRate", "sampleRateHertz"];
/// The environment variable google-auth uses for the project billed for user credentials.
const QUOTA_PROJECT_ENV: &str = "GOOGLE_CLOUD_QUOTA_PROJECT";
/// Longest input in bytes the service takes.
pub const MAX_INPUT_BYTES: usize = 5000;

/// The `google` kind's own preset fields.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The service, default `https://texttospeech.googleapis.com`.
    pub base_url: Option<String>,
    /// `LINEAR16` (the default), `MP3`, `PCM` or `M4A`.
    pub format: Option<String>,
    /// `key` (the default, `?key=`) or `bearer` (an OAuth access token).
    pub auth: Option<String>,
    /// Extra `audioConfig` fields.
    pub options: Option<toml::Table>,
}

pub struct Google {
    transport: Transport,
    base: String,
    url: String,
    auth: Auth,
    /// With `auth = "bearer"`: the project billed for user credentials.
    project: Option<String>,
    body: Map<String, Value>,
    voice: String,
    hint: AudioHint,
}

impl Google {
    pub fn new(preset: &Preset) -> Result<Self, SetupError> {
        let own: Settings = settings(preset)?;
        let format = own.format.clone().unwrap_or_else(|| "LINEAR16".into()).to_ascii_uppercase();
        if !FORMATS.contains(&format.as_str()) {
            return Err(SetupError::invalid(
                preset,
                format!(
                    "format {format:?} cannot be decoded here (no Opus, µ-law or A-law decoder); use one of {}",
                    FORMATS.join(", ")
                ),
            ));
        }
        // UTF-8 takes at most 4 bytes a character.
        let bounded = preset.max_bytes.is_some_and(|b| b <= MAX_INPUT_BYTES)
            || preset.max_chars.is_some_and(|c| c * 4 <= MAX_INPUT_BYTES);
        if !bounded {
            return Err(SetupError::invalid(
                preset,
                format!(
                    "Google takes at most {MAX_INPUT_BYTES} bytes of text per request: set max_bytes = 4800 (or less)"
                ),
            ));
        }
        let sample_rate = match (format.as_str(), preset.sample_rate) {
            ("PCM", rate) => Some(rate.unwrap_or(24_000)),
            (_, rate) => rate,
        };
        let hint = match (format.as_str(), sample_rate) {
            ("PCM", Some(rate)) => AudioHint::RawS16Le { rate, channels: 1 },
            _ => AudioHint::Sniff,
        };
        let mut audio_config = Map::new();
        audio_config.insert("audioEncoding".into(), json!(format));
        audio_config.insert("speakingRate".into(), json!(preset.speed));
        if let Some(rate) = sample_rate {
            audio_config.insert("sampleRateHertz".into(), json!(rate));
        }
        for (name, value) in own.options.iter().flatten() {
            if RESERVED.contains(&name.as_str()) {
                return Err(SetupError::invalid(
                    preset,
                    format!("[options] {name} is set from format, speed and sample_rate; remove it from [options]"),
                ));
            }
            audio_config.insert(
                name.clone(),
                serde_json::to_value(value).map_err(|e| SetupError::invalid(preset, e.to_string()))?,
            );
        }
        let mut body = Map::new();
        body.insert("voice".into(), json!({"languageCode": preset.language, "name": preset.voice}));
        body.insert("audioConfig".into(), Value::Object(audio_config));

        let key = api_key(preset)?;
        if key.is_none() && own.base_url.is_none() {
            return Err(SetupError::invalid(
                preset,
                "google needs a key: name its environment variable with api_key_env (e.g. GOOGLE_API_KEY)",
            ));
        }
        let auth = Auth::choose(preset, own.auth.as_deref(), key.clone())?;
        let project = match auth {
            Auth::Bearer(..) => {
                std::env::var(QUOTA_PROJECT_ENV).ok().map(|p| p.trim().to_string()).filter(|p| !p.is_empty())
            }
            _ => None,
        };
        let transport = Transport::new("Google Cloud Text-to-Speech", &preset.network, key)
            .map_err(|e| SetupError::invalid(preset, e))?;
        let base = base_url(preset, own.base_url.as_deref(), DEFAULT_BASE)?;
        Ok(Google {
            transport,
            url: format!("{base}/v1/text:synthesize"),
            base,
            auth,
            project,
            body,
            voice: preset.voice.clone(),
            hint,
        })
    }

    /// The error for a failed response, in Google's `{"error":{code,message,status,details}}`.
    fn error(&self, response: &Response) -> BackendError {
        let body = String::from_utf8_lossy(&response.body).to_ascii_lowercase();
        // Daily limits and billing do not come back within a build; per-minute limits do.
        let error = self.transport.status_error(response, &["per day", "per-day", "daily", "billing"]);
        let error = match error {
            // A wrong API key is 400 INVALID_ARGUMENT with reason API_KEY_INVALID.
            BackendError::Rejected(m) if body.contains("api_key_invalid") || body.contains("api key not valid") => {
                BackendError::Unauthenticated(m)
            }
            // Per-minute quota: RESOURCE_EXHAUSTED, with the wait in RetryInfo when Google gives one.
            BackendError::RateLimited { retry_after_s: None, message } => {
                BackendError::RateLimited { retry_after_s: retry_delay(&response.body), message }
            }
            other => other,
        };
        match (&error, &self.auth) {
            (BackendError::Unauthenticated(_), Auth::Key(_, var)) => error.with_note(&format!(
                "check the API key in {var}, and that the Text-to-Speech API is enabled for its project"
            )),
            (BackendError::Unauthenticated(_), Auth::Bearer(_, var)) => {
                let mut note = format!(
                    "check the access token in {var} (tokens expire after an hour; gcloud auth print-access-token)"
                );
                if self.project.is_none() {
                    note.push_str(&format!("; with user credentials set {QUOTA_PROJECT_ENV} to the project to bill"));
                }
                error.with_note(&note)
            }
            (BackendError::Unauthenticated(_), Auth::None) => {
                error.with_note("this server wants a key: name its variable with api_key_env in the preset")
            }
            (BackendError::QuotaExhausted(_), _) => {
                error.with_note("the project's quota or billing must be raised in the Google Cloud console")
            }
            (BackendError::RateLimited { .. }, _) => {
                error.with_note("over the per-minute quota: lower requests_per_minute in the preset")
            }
            (BackendError::Rejected(_), _) if response.status == 400 => {
                error.with_note(&format!("check voice {:?} and its languageCode", self.voice))
            }
            _ => error,
        }
    }
}

/// `google.rpc.RetryInfo.retryDelay` (e.g. `"30s"`) from an error's `details`, as seconds.
fn retry_delay(body: &[u8]) -> Option<f64> {
    let json: Value = serde_json::from_slice(body).ok()?;
    json["error"]["details"].as_array()?.iter().find_map(|d| {
        let delay = d["retryDelay"].as_str()?.trim().strip_suffix('s')?;
        delay.parse::<f64>().ok().filter(|s| s.is_finite() && *s >= 0.0)
    })
}

/// Decodes `audioContent`, in whichever base64 alphabet and padding it came.
fn decode_audio(content: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let clean: String = content.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD].iter().find_map(|e| e.decode(&clean).ok())
}

impl Backend for Google {
    fn kind(&self) -> &'static str {
        "google"
    }

    fn engine(&self) -> String {
        // Never the request URL: with `auth = "key"` it would carry the key.
        format!("Google Cloud Text-to-Speech {} voice {}", self.base, self.voice)
    }

    fn synthesize(&self, request: &Request<'_>) -> Result<Audio, BackendError> {
        let text = request.text_only(self.kind())?;
        let mut body = self.body.clone();
        body.insert("input".into(), json!({ "text": text }));
        let mut http = self.transport.client().post(&self.url).json(&body);
        http = self.auth.sign(http, |r, key| r.query(&[("key", key)]));
        if let (Auth::Bearer(..), Some(project)) = (&self.auth, &self.project) {
            http = http.header("x-goog-user-project", project);
        }
        let response = self.transport.send(http, request.deadline)?;
        if !response.ok() {
            return Err(self.error(&response));
        }
        let service = self.transport.service();
        let json: Value = serde_json::from_slice(&response.body)
            .map_err(|e| BackendError::Unavailable(format!("{service}: the answer is not the expected JSON: {e}")))?;
        let content = json["audioContent"]
            .as_str()
            .ok_or_else(|| BackendError::Unavailable(format!("{service}: the answer has no audioContent")))?;
        let bytes = decode_audio(content)
            .ok_or_else(|| BackendError::Unavailable(format!("{service}: audioContent is not valid base64")))?;
        Ok(Audio { bytes, hint: self.hint })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_in_any_alphabet() {
        assert_eq!(decode_audio("//NExAAR").unwrap(), [0xFF, 0xF3, 0x44, 0xC4, 0x00, 0x11]);
        assert_eq!(decode_audio("__NExAAR").unwrap(), [0xFF, 0xF3, 0x44, 0xC4, 0x00, 0x11]);
        assert_eq!(decode_audio("UklGRg").unwrap(), b"RIFF");
        assert_eq!(decode_audio("UklG\nRg==").unwrap(), b"RIFF");
        assert!(decode_audio("not base64!").is_none());
    }

    #[test]
    fn retry_info_delay() {
        let body = br#"{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"7s"}]}}"#;
        assert_eq!(retry_delay(body), Some(7.0));
        assert_eq!(retry_delay(br#"{"error":{"code":429}}"#), None);
    }
}
