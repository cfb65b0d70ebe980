//! Text-to-speech backends behind one trait.
//!
//! A backend turns the text of one utterance into audio bytes. It knows nothing of
//! chapters, files or pauses. Choosing a backend from a preset happens in [`build`] alone.

pub mod espeak;

use crate::audio::AudioHint;
use crate::voice::Preset;

/// Audio as a backend returned it, with what it says about the format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audio {
    pub bytes: Vec<u8>,
    pub hint: AudioHint,
}

/// Why a synthesis request failed. The variant says whether trying again can help.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackendError {
    #[error("not authenticated: {0}")]
    Unauthenticated(String),
    #[error("rate limited{}", .retry_after_s.map(|s| format!(" (retry after {s} s)")).unwrap_or_default())]
    RateLimited { retry_after_s: Option<u64> },
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
}

/// Things worth telling the user once, collected while building a backend.
pub type Notices = Vec<String>;

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("voice {voice}: unknown backend kind {kind:?}; known kinds: espeak")]
    UnknownKind { voice: String, kind: String },
    #[error("voice {voice}: {message}")]
    Invalid { voice: String, message: String },
}

/// Builds the backend a preset names. `engine_override` comes from `--engine`.
pub fn build(
    preset: &Preset,
    engine_override: Option<&str>,
    notices: &mut Notices,
) -> Result<Box<dyn Backend>, SetupError> {
    match preset.kind.as_str() {
        "espeak" => Ok(Box::new(espeak::Espeak::new(preset, engine_override, notices)?)),
        other => Err(SetupError::UnknownKind { voice: preset.name.clone(), kind: other.to_string() }),
    }
}
