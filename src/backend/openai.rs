//! `openai`: `POST {base_url}/v1/audio/speech`, for OpenAI and the compatible local servers
//! (Kokoro-FastAPI, LocalAI, openedai-speech, …).
//!
//! The body is `{model, input, voice, response_format, speed[, instructions]}` plus any
//! `[options]` fields (Kokoro's `lang_code`, say). `pcm` (the default) is headerless 16-bit
//! mono at 24 kHz, or at the rate a server names in `Content-Type: audio/pcm;rate=…`.

use serde_json::{Map, Value, json};

use super::secret::Secret;
use super::transport::{Response, Transport};
use super::{Audio, Backend, BackendError, Request, SetupError, api_key, base_url, settings};
use crate::audio::AudioHint;
use crate::backend::preset::Preset;

const DEFAULT_BASE: &str = "https://api.openai.com";
/// Formats seedaudio can decode; `opus` is left out (no Opus decoder is built in).
const FORMATS: &[&str] = &["pcm", "wav", "mp3", "flac", "aac"];

/// The `openai` kind's own preset fields.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The server, default `https://api.openai.com`.
    pub base_url: Option<String>,
    pub model: Option<String>,
    /// `pcm` (the default), `wav`, `mp3`, `flac` or `aac`.
    pub format: Option<String>,
    /// Style instructions (`gpt-4o-mini-tts`).
    pub instructions: Option<String>,
    /// Extra request fields (Kokoro's `lang_code`, say).
    pub options: Option<toml::Table>,
}

pub struct OpenAi {
    transport: Transport,
    url: String,
    key: Option<(Secret, String)>,
    body: Map<String, Value>,
    format: String,
    pcm_rate: u32,
}

impl OpenAi {
    pub fn new(preset: &Preset) -> Result<Self, SetupError> {
        let own: Settings = settings(preset)?;
        let format = own.format.clone().unwrap_or_else(|| "pcm".into());
        if !FORMATS.contains(&format.as_str()) {
            return Err(SetupError::invalid(
                preset,
                format!("format {format:?} cannot be decoded here; use one of {}", FORMATS.join(", ")),
            ));
        }
        let key = api_key(preset)?;
        let transport = Transport::new("OpenAI-compatible server", &preset.network, key.clone())
            .map_err(|e| SetupError::invalid(preset, e))?;
        let mut body = Map::new();
        body.insert("model".into(), json!(own.model.clone().unwrap_or_else(|| "gpt-4o-mini-tts".into())));
        body.insert("voice".into(), json!(preset.voice));
        body.insert("response_format".into(), json!(format));
        body.insert("speed".into(), json!(preset.speed));
        if let Some(instructions) = &own.instructions {
            body.insert("instructions".into(), json!(instructions));
        }
        for (name, value) in own.options.iter().flatten() {
            body.insert(
                name.clone(),
                serde_json::to_value(value).map_err(|e| SetupError::invalid(preset, e.to_string()))?,
            );
        }
        Ok(OpenAi {
            transport,
            url: format!("{}/v1/audio/speech", base_url(preset, own.base_url.as_deref(), DEFAULT_BASE)?),
            key: key.map(|k| (k, preset.api_key_env.clone().unwrap_or_default())),
            body,
            format,
            pcm_rate: preset.sample_rate.unwrap_or(24_000),
        })
    }

    fn hint(&self, response: &Response) -> AudioHint {
        if self.format != "pcm" {
            return AudioHint::Sniff;
        }
        let rate = response
            .header("content-type")
            .and_then(|t| t.split(';').find_map(|p| p.trim().strip_prefix("rate=")))
            .and_then(|r| r.trim().parse().ok())
            .unwrap_or(self.pcm_rate);
        AudioHint::RawS16Le { rate, channels: 1 }
    }
}

impl Backend for OpenAi {
    fn kind(&self) -> &'static str {
        "openai"
    }

    fn engine(&self) -> String {
        format!("{} model {}", self.url, self.body["model"].as_str().unwrap_or("?"))
    }

    fn synthesize(&self, request: &Request<'_>) -> Result<Audio, BackendError> {
        let text = request.text_only(self.kind())?;
        let mut body = self.body.clone();
        body.insert("input".into(), json!(text));
        let mut http = self.transport.client().post(&self.url).json(&body);
        if let Some((key, _)) = &self.key {
            http = http.bearer_auth(key.expose());
        }
        let response = self.transport.send(http, request.deadline)?;
        if !response.ok() {
            let error = self.transport.status_error(&response, &["insufficient_quota", "exceeded your current quota"]);
            return Err(match (&error, &self.key) {
                (BackendError::Unauthenticated(_), Some((_, var))) => {
                    error.with_note(&format!("check the key in {var}"))
                }
                (BackendError::Unauthenticated(_), None) => {
                    error.with_note("this server wants a key: name its variable with api_key_env in the preset")
                }
                _ => error,
            });
        }
        Ok(Audio { hint: self.hint(&response), bytes: response.body })
    }
}
