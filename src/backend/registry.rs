//! The backend kinds a preset may name, each with how to open it: the one table to extend
//! when a backend is added.

use super::command::CommandBackend;
use super::elevenlabs::ElevenLabs;
use super::espeak::Espeak;
use super::google::Google;
use super::http_template::HttpTemplate;
use super::openai::OpenAi;
use super::preset::Preset;
use super::{Backend, Notices, SetupError, azure::Azure};

/// What opening a backend may use besides its preset.
pub struct Setup<'a> {
    /// `--engine`, for backends with several engines.
    pub engine: Option<&'a str>,
    /// Things worth telling the user once.
    pub notices: &'a mut Notices,
}

/// Opens the bare backend (no retries or limits) a preset describes.
pub type Open = fn(&Preset, &mut Setup<'_>) -> Result<Box<dyn Backend>, SetupError>;

/// One backend kind.
pub struct Kind {
    /// The name a preset's `kind` gives, e.g. `openai`.
    pub name: &'static str,
    pub open: Open,
}

#[rustfmt::skip]
pub const KINDS: &[Kind] = &[
    Kind { name: "espeak", open: |p, s| Ok(Box::new(Espeak::new(p, s.engine, s.notices)?)) },
    Kind { name: "openai", open: |p, _| Ok(Box::new(OpenAi::new(p)?)) },
    Kind { name: "azure", open: |p, _| Ok(Box::new(Azure::new(p)?)) },
    Kind { name: "google", open: |p, _| Ok(Box::new(Google::new(p)?)) },
    Kind { name: "elevenlabs", open: |p, _| Ok(Box::new(ElevenLabs::new(p)?)) },
    Kind { name: "http", open: |p, _| Ok(Box::new(HttpTemplate::new(p)?)) },
    Kind { name: "command", open: |p, s| Ok(Box::new(CommandBackend::new(p, s.notices)?)) },
];

/// The kind named `name`.
pub fn find(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.name == name)
}

/// Every kind's name, in the table's order.
pub fn names() -> impl Iterator<Item = &'static str> {
    KINDS.iter().map(|k| k.name)
}
