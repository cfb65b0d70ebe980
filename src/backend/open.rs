//! Opening the backend a preset names, wrapped once in the shared policies.

use super::preset::Preset;
use super::registry::{self, Setup};
use super::retry::{Policy, Retrying};
use super::throttle::{Limited, Throttled};
use super::{Backend, Notices, SetupError};

/// The backend a preset names, wrapped in the shared policies: a request-rate limit
/// (`requests_per_minute`), retries within a time budget (`[network]`) and a concurrency
/// limit (`concurrency`), in that order from the inside. `engine` comes from `--engine`.
pub fn open(preset: &Preset, engine: Option<&str>, notices: &mut Notices) -> Result<Box<dyn Backend>, SetupError> {
    let kind = registry::find(&preset.kind).ok_or_else(|| SetupError::UnknownKind {
        voice: preset.name.clone(),
        kind: preset.kind.clone(),
        known: registry::names().collect::<Vec<_>>().join(", "),
    })?;
    let backend = (kind.open)(preset, &mut Setup { engine, notices })?;
    let backend = match preset.requests_per_minute {
        Some(rpm) if rpm > 0 => Box::new(Throttled::new(backend, rpm)),
        _ => backend,
    };
    let backend: Box<dyn Backend> = Box::new(Retrying::new(backend, Policy::from(&preset.network)));
    Ok(match preset.concurrency {
        Some(limit) if limit > 0 => Box::new(Limited::new(backend, limit)),
        _ => backend,
    })
}
