//! Text-to-speech backends behind one trait.
//!
//! A backend turns one utterance — text, or SSML when it [`Backend::takes_ssml`] — into
//! audio bytes, by the [`Request`]'s deadline. It knows nothing of chapters, files, pauses or
//! the cache. The contract is on [`Backend`]; errors say through their kind whether another
//! try ([`BackendError::retryable`]) or any other utterance ([`BackendError::is_fatal`]) can
//! succeed.
//!
//! * One file (or folder) per service: `espeak/`, `openai.rs`, `azure.rs`, `google.rs`,
//!   `elevenlabs.rs`, `http_template.rs`, `command/`. Each reads its own closed `Settings`
//!   from the preset's remaining fields ([`settings`]).
//! * Shared pieces: [`transport`] (HTTP with timeouts and a size bound), [`process`] (a
//!   supervised program), [`auth`], [`secret`], [`template`].
//! * Policies written once, as wrappers implementing the same trait: [`throttle`] (rate and
//!   concurrency) and [`retry`] (backoff within the utterance's time budget). [`open()`] is
//!   the one place that builds a backend from a preset and wraps it.
//! * [`registry`] is the one table of kinds.
//!
//! Adding a backend = one file + one registry line: write `src/backend/NAME.rs` with a
//! `Settings` struct (`#[derive(Deserialize)] #[serde(deny_unknown_fields)]`, its own preset
//! fields, all optional or defaulted) and a type implementing [`Backend`] whose constructor
//! reads `settings::<Settings>(preset)?`; declare `pub mod NAME;` here; add
//! `Kind { name: "NAME", check: fields::<NAME::Settings>, open: |p, _| Ok(Box::new(NAME::New::new(p)?)) }`
//! to [`registry::KINDS`]. Its own fields join the cache identity by themselves
//! (`synth/cache/key.rs`); what its `engine()` string says (a model version) does too.

pub mod preset;
pub mod process;

pub mod auth;
pub mod azure;
pub mod command;
pub mod data_dir;
pub mod elevenlabs;
pub mod espeak;
pub mod google;
pub mod http_template;
pub mod kokoro;
pub mod open;
pub mod openai;
pub mod program;
pub mod registry;
pub mod request;
pub mod retry;
pub mod secret;
pub mod template;
pub mod throttle;
pub mod transport;

use crate::audio::AudioHint;
use crate::backend::preset::Preset;

pub use open::open;
pub use request::{Body, Request};

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
    /// Whether no other utterance can succeed either: a refused key or an exhausted quota
    /// fails every request to this voice alike, so the build should stop.
    pub fn is_fatal(&self) -> bool {
        matches!(self, BackendError::Unauthenticated(_) | BackendError::QuotaExhausted(_))
    }

    /// Whether the same request may succeed when tried again.
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
/// concurrency) with one utterance, never empty and within the preset's limits, as text or
/// — only when `takes_ssml()` — as an SSML fragment. It returns the audio of exactly those
/// words, or a typed error; it never returns silence in place of speech. It gives up by the
/// request's deadline, when there is one. It has no side effects visible to other calls.
pub trait Backend: Send + Sync {
    /// Short name of the backend kind, e.g. `espeak`.
    fn kind(&self) -> &'static str;
    /// What actually speaks, for the manifest and the summary, e.g. `espeak-ng 1.51 (system)`.
    fn engine(&self) -> String;

    /// What of the engine decides the audio, for cache keys ([`crate::synth::cache::key`]):
    /// [`Backend::engine`] unless a backend says more exactly (the model's hash, say) or
    /// less (no thread counts).
    fn cache_identity(&self) -> String {
        self.engine()
    }
    fn synthesize(&self, request: &Request<'_>) -> Result<Audio, BackendError>;

    /// Whether the backend speaks SSML, so it may be sent [`Body::Ssml`].
    fn takes_ssml(&self) -> bool {
        false
    }
}

/// Things worth telling the user once, collected while building a backend.
pub type Notices = Vec<String>;

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("voice {voice}: unknown backend kind {kind:?}; known kinds: {known}")]
    UnknownKind { voice: String, kind: String, known: String },
    #[error("voice {voice}: {message}")]
    Invalid { voice: String, message: String },
}

impl SetupError {
    pub fn invalid(preset: &Preset, message: impl Into<String>) -> Self {
        SetupError::Invalid { voice: preset.name.clone(), message: message.into() }
    }
}

/// The API key a preset names, required when it names one.
pub fn api_key(preset: &Preset) -> Result<Option<secret::Secret>, SetupError> {
    let Some(var) = &preset.api_key_env else { return Ok(None) };
    secret::Secret::from_env(var).map(Some).ok_or_else(|| {
        SetupError::invalid(preset, format!("needs an API key: set the environment variable {var} (export {var}=…)"))
    })
}

/// The kind's own settings of a preset, as its backend's closed type.
pub fn settings<S: serde::de::DeserializeOwned>(preset: &Preset) -> Result<S, SetupError> {
    preset.settings().map_err(|e| SetupError::invalid(preset, e))
}

/// The service address: `configured` (the preset's `base_url`) without a trailing slash,
/// else `default`.
pub fn base_url(preset: &Preset, configured: Option<&str>, default: &str) -> Result<String, SetupError> {
    let raw = configured.unwrap_or(default).trim_end_matches('/').to_string();
    let parsed = url::Url::parse(&raw).map_err(|e| SetupError::invalid(preset, format!("base_url {raw:?}: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(SetupError::invalid(preset, format!("base_url {raw:?} must start with http:// or https://")));
    }
    Ok(raw)
}
