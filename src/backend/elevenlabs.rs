//! `elevenlabs`: `POST {base_url}/v1/text-to-speech/{voice_id}?output_format=…` with the key
//! in `xi-api-key`.
//!
//! The body is `{text, model_id[, voice_settings][, language_code]}` plus any other
//! `[options]` fields (`voice_settings`, `seed`, `apply_text_normalization`, …). The default
//! format `pcm_24000` is headerless 16-bit mono at 24 kHz; `pcm_N` is the same at N Hz.
//! `mp3_*` and `wav_*` are sniffed (ElevenLabs' streamed WAV carries bogus sizes, so pcm is
//! the better choice). Opus, µ-law and A-law cannot be decoded here and are refused.
//!
//! Request stitching (`previous_request_ids` from the `request-id` response header) is left
//! out on purpose: utterances are synthesized in parallel and retried independently, so the
//! previous utterance's request id is usually not known yet when the next one is sent, and
//! waiting for it would serialise the whole build. Each utterance is one paragraph or less
//! and ends at a pause, which is where stitching matters least.

use serde_json::{Map, Value, json};

use super::secret::Secret;
use super::transport::{Response, Transport, retry_after, service_message};
use super::{Audio, Backend, BackendError, Request, SetupError, api_key, base_url, settings};
use crate::audio::AudioHint;
use crate::backend::preset::Preset;

const DEFAULT_BASE: &str = "https://api.elevenlabs.io";
const DEFAULT_MODEL: &str = "eleven_multilingual_v2";
const SERVICE: &str = "ElevenLabs";
/// The sample rates ElevenLabs offers for `pcm_N`.
const PCM_RATES: &[u32] = &[8000, 16000, 22050, 24000, 32000, 44100, 48000];
const WORKING_FORMATS: &str = "pcm_24000 (or pcm_8000 … pcm_48000), mp3_44100_128 (or another mp3_*), wav_24000";

/// The `elevenlabs` kind's own preset fields.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The service, default `https://api.elevenlabs.io`.
    pub base_url: Option<String>,
    /// Default `eleven_multilingual_v2`.
    pub model: Option<String>,
    /// `pcm_24000` (the default) and the other `pcm_N`, `mp3_*`, `wav_*`.
    pub format: Option<String>,
    /// Extra request fields, e.g. `voice_settings`.
    pub options: Option<toml::Table>,
}

pub struct ElevenLabs {
    transport: Transport,
    url: String,
    key: Option<(Secret, String)>,
    body: Map<String, Value>,
    hint: AudioHint,
}

/// What the bytes of `format` are, or why seedaudio cannot use it.
fn format_hint(format: &str) -> Result<AudioHint, String> {
    let codec = format.split('_').next().unwrap_or_default();
    match codec {
        "pcm" => {
            let rate = format.strip_prefix("pcm_").and_then(|r| r.parse::<u32>().ok());
            match rate {
                Some(rate) if PCM_RATES.contains(&rate) => Ok(AudioHint::RawS16Le { rate, channels: 1 }),
                _ => Err(format!(
                    "format {format:?}: ElevenLabs offers pcm at {} Hz, e.g. pcm_24000",
                    PCM_RATES.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
                )),
            }
        }
        "mp3" | "wav" if format.len() > 4 => Ok(AudioHint::Sniff),
        "opus" | "ulaw" | "alaw" => Err(format!(
            "format {format:?} cannot be decoded here (no Opus, µ-law or A-law decoder); use {WORKING_FORMATS}"
        )),
        _ => Err(format!("format {format:?} is not an ElevenLabs output format; use {WORKING_FORMATS}")),
    }
}

/// Models that take `language_code` (the others ignore or refuse it).
fn takes_language_code(model: &str) -> bool {
    model.ends_with("_v2_5")
}

impl ElevenLabs {
    pub fn new(preset: &Preset) -> Result<Self, SetupError> {
        let invalid = |m: String| SetupError::invalid(preset, m);
        let own: Settings = settings(preset)?;
        let format = own.format.clone().unwrap_or_else(|| "pcm_24000".into());
        let hint = format_hint(&format).map_err(invalid)?;
        if preset.voice.trim().is_empty() {
            return Err(invalid("voice must be an ElevenLabs voice ID, e.g. 21m00Tcm4TlvDq8ikWAM".into()));
        }
        let base = base_url(preset, own.base_url.as_deref(), DEFAULT_BASE)?;
        let key = api_key(preset)?;
        if key.is_none() && base == DEFAULT_BASE {
            return Err(invalid("ElevenLabs needs an API key: add api_key_env = \"ELEVENLABS_API_KEY\"".into()));
        }
        let mut url = url::Url::parse(&base).map_err(|e| invalid(format!("base_url {base:?}: {e}")))?;
        url.path_segments_mut()
            .map_err(|_| invalid(format!("base_url {base:?} cannot take a path")))?
            .pop_if_empty()
            .extend(["v1", "text-to-speech", preset.voice.trim()]);
        url.query_pairs_mut().append_pair("output_format", &format);

        let model = own.model.clone().unwrap_or_else(|| DEFAULT_MODEL.into());
        let mut body = Map::new();
        body.insert("model_id".into(), json!(model));
        for (name, value) in own.options.iter().flatten() {
            if name == "text" {
                return Err(invalid("[options] cannot set text".into()));
            }
            body.insert(name.clone(), serde_json::to_value(value).map_err(|e| invalid(e.to_string()))?);
        }
        if let Some(settings) = body.get("voice_settings")
            && !settings.is_object()
        {
            return Err(invalid("[options] voice_settings must be a table (stability, similarity_boost, …)".into()));
        }
        if preset.speed != 1.0 {
            // ElevenLabs takes speed in voice_settings, from 0.7 to 1.2.
            if !(0.7..=1.2).contains(&preset.speed) {
                return Err(invalid(format!("speed = {} is outside ElevenLabs' range 0.7 to 1.2", preset.speed)));
            }
            let settings = body.entry("voice_settings").or_insert_with(|| json!({}));
            if let Some(settings) = settings.as_object_mut() {
                let speed: f64 = preset.speed.to_string().parse().unwrap_or(1.0);
                settings.entry("speed").or_insert(json!(speed));
            }
        }
        if takes_language_code(&model) && !body.contains_key("language_code") {
            let primary = preset.language.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
            if primary.len() == 2 {
                body.insert("language_code".into(), json!(primary));
            }
        }
        let transport = Transport::new(SERVICE, &preset.network, key.clone()).map_err(invalid)?;
        Ok(ElevenLabs {
            transport,
            url: url.to_string(),
            key: key.map(|k| (k, preset.api_key_env.clone().unwrap_or_default())),
            body,
            hint,
        })
    }

    fn error(&self, response: &Response) -> BackendError {
        let status = serde_json::from_slice::<Value>(&response.body)
            .ok()
            .and_then(|v| v["detail"]["status"].as_str().map(str::to_string))
            .unwrap_or_default();
        let message = || {
            self.transport.redact(&format!(
                "{SERVICE} said {} {status}: {}",
                response.status,
                service_message(&response.body)
            ))
        };
        match status.as_str() {
            // ElevenLabs answers an exhausted quota with 401; it is not a key problem.
            "quota_exceeded" => BackendError::QuotaExhausted(message()),
            "too_many_concurrent_requests" | "system_busy" => {
                BackendError::RateLimited { retry_after_s: retry_after(&response.headers), message: message() }
            }
            "voice_not_found" => BackendError::Rejected(message())
                .with_note("check the preset's voice: it must be a voice ID from your ElevenLabs voice library"),
            _ => {
                let error = self.transport.status_error(response, &["quota_exceeded"]);
                match (&error, &self.key) {
                    (BackendError::Unauthenticated(_), Some((_, var))) => {
                        error.with_note(&format!("check the key in {var}"))
                    }
                    (BackendError::Unauthenticated(_), None) => {
                        error.with_note("this server wants a key: name its variable with api_key_env in the preset")
                    }
                    _ => error,
                }
            }
        }
    }
}

impl Backend for ElevenLabs {
    fn kind(&self) -> &'static str {
        "elevenlabs"
    }

    fn engine(&self) -> String {
        let path = self.url.split('?').next().unwrap_or_default();
        format!("{SERVICE} {path} model {}", self.body["model_id"].as_str().unwrap_or("?"))
    }

    fn synthesize(&self, request: &Request<'_>) -> Result<Audio, BackendError> {
        let text = request.text_only(self.kind())?;
        let mut body = self.body.clone();
        body.insert("text".into(), json!(text));
        let mut http = self.transport.client().post(&self.url).json(&body);
        if let Some((key, _)) = &self.key {
            let mut value = reqwest::header::HeaderValue::from_str(key.expose()).map_err(|_| {
                BackendError::Unauthenticated("the API key holds characters a header cannot carry".into())
            })?;
            value.set_sensitive(true);
            http = http.header("xi-api-key", value);
        }
        let response = self.transport.send(http, request.deadline)?;
        if !response.ok() {
            return Err(self.error(&response));
        }
        Ok(Audio { hint: self.hint, bytes: response.body })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(format_hint("pcm_24000"), Ok(AudioHint::RawS16Le { rate: 24000, channels: 1 }));
        assert_eq!(format_hint("pcm_22050"), Ok(AudioHint::RawS16Le { rate: 22050, channels: 1 }));
        assert_eq!(format_hint("mp3_44100_128"), Ok(AudioHint::Sniff));
        assert_eq!(format_hint("wav_24000"), Ok(AudioHint::Sniff));
        for bad in ["opus_48000_64", "ulaw_8000", "alaw_8000", "pcm_12345", "pcm", "flac", "mp3"] {
            assert!(format_hint(bad).is_err(), "{bad}");
        }
        assert!(format_hint("ulaw_8000").unwrap_err().contains("pcm_24000"));
    }

    #[test]
    fn language_code_only_for_v2_5_models() {
        assert!(takes_language_code("eleven_flash_v2_5"));
        assert!(takes_language_code("eleven_turbo_v2_5"));
        assert!(!takes_language_code("eleven_multilingual_v2"));
        assert!(!takes_language_code("eleven_v3"));
    }
}
