//! Text-to-speech backends behind one trait.
//!
//! A backend turns the text of one utterance into audio bytes. It knows nothing of
//! chapters, files or pauses. Choosing a backend from a preset happens in [`build`] alone.

pub mod preset;

pub mod azure;
pub mod command;
pub mod elevenlabs;
pub mod espeak;
pub mod google;
pub mod http_template;
pub mod kokoro;
pub mod openai;
pub mod program;
pub mod retry;
pub mod secret;
pub mod template;
pub mod throttle;
pub mod transport;

use crate::audio::AudioHint;
use crate::backend::preset::Preset;

/// Audio as a backend returned it, with what it says about the format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audio {
    pub bytes: Vec<u8>,
    pub hint: AudioHint,
}

/// Why a synthesis request failed. The variant says whether trying again can help.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BackendError {
    #[error("not authenticated: {0}")]
    Unauthenticated(String),
    #[error("rate limited: {message}")]
    RateLimited { retry_after_s: Option<f64>, message: String },
    /// The input was refused; the same request will fail again.
    #[error("rejected: {0}")]
    Rejected(String),
    #[error("quota exhausted: {0}")]
    QuotaExhausted(String),
    /// A timeout, a crash, a server error: worth another try.
    #[error("unavailable: {0}")]
    Unavailable(String),
}

impl BackendError {
    pub fn retryable(&self) -> bool {
        matches!(self, BackendError::RateLimited { .. } | BackendError::Unavailable(_))
    }

    /// The same error with `note` appended to its message.
    pub fn with_note(self, note: &str) -> Self {
        use BackendError::*;
        let add = |m: String| format!("{m} ({note})");
        match self {
            Unauthenticated(m) => Unauthenticated(add(m)),
            RateLimited { retry_after_s, message } => RateLimited { retry_after_s, message: add(message) },
            Rejected(m) => Rejected(add(m)),
            QuotaExhausted(m) => QuotaExhausted(add(m)),
            Unavailable(m) => Unavailable(add(m)),
        }
    }
}

/// A text-to-speech service or engine.
///
/// Contract: `synthesize` is called from several threads at once (up to the preset's
/// concurrency) with the text of one utterance, never empty and within the preset's
/// limits. It returns the audio of exactly that text, or a typed error; it never returns
/// silence in place of speech. It has no side effects visible to other calls.
pub trait Backend: Send + Sync {
    /// Short name of the backend kind, e.g. `espeak`.
    fn kind(&self) -> &'static str;
    /// What actually speaks, for the manifest and the summary, e.g. `espeak-ng 1.51 (system)`.
    fn engine(&self) -> String;
    fn synthesize(&self, text: &str) -> Result<Audio, BackendError>;

    /// Whether [`Backend::synthesize_ssml`] works: the backend speaks SSML.
    fn takes_ssml(&self) -> bool {
        false
    }

    /// Like `synthesize`, for an SSML fragment (escaped text with elements such as `<sub>` or
    /// `<phoneme>` from the lexicon) that goes inside the backend's own `<speak><voice>`.
    fn synthesize_ssml(&self, fragment: &str) -> Result<Audio, BackendError> {
        let _ = fragment;
        Err(BackendError::Rejected(format!("the {} backend does not take SSML", self.kind())))
    }
}

/// Things worth telling the user once, collected while building a backend.
pub type Notices = Vec<String>;

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("voice {voice}: unknown backend kind {kind:?}; known kinds: {}", KINDS.join(", "))]
    UnknownKind { voice: String, kind: String },
    #[error("voice {voice}: {message}")]
    Invalid { voice: String, message: String },
}

/// The backend kinds a preset may name.
pub const KINDS: &[&str] = &["espeak", "openai", "azure", "google", "elevenlabs", "http", "command"];

impl SetupError {
    pub fn invalid(preset: &Preset, message: impl Into<String>) -> Self {
        SetupError::Invalid { voice: preset.name.clone(), message: message.into() }
    }
}

/// Builds the backend a preset names, wrapped in the shared policies: a request-rate limit
/// (`requests_per_minute`), retries (`[network]`) and a concurrency limit (`concurrency`).
/// `engine_override` comes from `--engine`.
pub fn build(
    preset: &Preset,
    engine_override: Option<&str>,
    notices: &mut Notices,
) -> Result<Box<dyn Backend>, SetupError> {
    let backend: Box<dyn Backend> = match preset.kind.as_str() {
        "espeak" => Box::new(espeak::Espeak::new(preset, engine_override, notices)?),
        "openai" => Box::new(openai::OpenAi::new(preset)?),
        "azure" => Box::new(azure::Azure::new(preset)?),
        "google" => Box::new(google::Google::new(preset)?),
        "elevenlabs" => Box::new(elevenlabs::ElevenLabs::new(preset)?),
        "http" => Box::new(http_template::HttpTemplate::new(preset)?),
        "command" => Box::new(command::CommandBackend::new(preset, notices)?),
        other => return Err(SetupError::UnknownKind { voice: preset.name.clone(), kind: other.to_string() }),
    };
    let backend = match preset.requests_per_minute {
        Some(rpm) if rpm > 0 => Box::new(throttle::Throttled::new(backend, rpm)),
        _ => backend,
    };
    let backend: Box<dyn Backend> = Box::new(retry::Retrying::new(backend, retry::Policy::from(&preset.network)));
    Ok(match preset.concurrency {
        Some(limit) if limit > 0 => Box::new(throttle::Limited::new(backend, limit)),
        _ => backend,
    })
}

/// The API key a preset names, required when it names one.
pub fn api_key(preset: &Preset) -> Result<Option<secret::Secret>, SetupError> {
    let Some(var) = &preset.api_key_env else { return Ok(None) };
    secret::Secret::from_env(var).map(Some).ok_or_else(|| {
        SetupError::invalid(preset, format!("needs an API key: set the environment variable {var} (export {var}=…)"))
    })
}

/// The service address: the preset's `base_url` without a trailing slash, else `default`.
pub fn base_url(preset: &Preset, default: &str) -> Result<String, SetupError> {
    let raw = preset.base_url.as_deref().unwrap_or(default).trim_end_matches('/').to_string();
    let parsed = url::Url::parse(&raw).map_err(|e| SetupError::invalid(preset, format!("base_url {raw:?}: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(SetupError::invalid(preset, format!("base_url {raw:?} must start with http:// or https://")));
    }
    Ok(raw)
}
