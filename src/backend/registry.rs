//! The backend kinds a preset may name, each with its own preset fields and how to open it:
//! the one table to extend when a backend is added.

use serde::de::DeserializeOwned;

use super::azure::{self, Azure};
use super::command::{self, CommandBackend};
use super::elevenlabs::{self, ElevenLabs};
use super::espeak::{self, Espeak};
use super::google::{self, Google};
use super::http_template::{self, HttpTemplate};
use super::kokoro::{self, Kokoro};
use super::openai::{self, OpenAi};
use super::preset::Preset;
use super::{Backend, Notices, SetupError};

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
    /// Reads the preset's remaining fields as the kind's closed settings type, when the
    /// preset loads: an unknown or mistyped field is refused then, by name.
    pub check: fn(&Preset) -> Result<(), String>,
    pub open: Open,
}

/// The check of a kind whose own fields are `S`.
fn fields<S: DeserializeOwned>(preset: &Preset) -> Result<(), String> {
    preset.settings::<S>().map(drop)
}

#[rustfmt::skip]
pub const KINDS: &[Kind] = &[
    Kind { name: "espeak", check: fields::<espeak::Settings>, open: |p, s| Ok(Box::new(Espeak::new(p, s.engine, s.notices)?)) },
    Kind { name: "openai", check: fields::<openai::Settings>, open: |p, _| Ok(Box::new(OpenAi::new(p)?)) },
    Kind { name: "azure", check: fields::<azure::Settings>, open: |p, _| Ok(Box::new(Azure::new(p)?)) },
    Kind { name: "google", check: fields::<google::Settings>, open: |p, _| Ok(Box::new(Google::new(p)?)) },
    Kind { name: "elevenlabs", check: fields::<elevenlabs::Settings>, open: |p, _| Ok(Box::new(ElevenLabs::new(p)?)) },
    Kind { name: "http", check: fields::<http_template::Settings>, open: |p, _| Ok(Box::new(HttpTemplate::new(p)?)) },
    Kind { name: "kokoro", check: fields::<kokoro::backend::Settings>, open: |p, s| Ok(Box::new(Kokoro::new(p, s.notices)?)) },
    Kind { name: "command", check: fields::<command::Settings>, open: |p, s| Ok(Box::new(CommandBackend::new(p, s.notices)?)) },
];

/// The kind named `name`.
pub fn find(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.name == name)
}

/// Every kind's name, in the table's order.
pub fn names() -> impl Iterator<Item = &'static str> {
    KINDS.iter().map(|k| k.name)
}
