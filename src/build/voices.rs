//! The voices of a build: the article's voice and, if its preset names one, the fallback
//! voice that reads what the first cannot. Bounds from the command line apply to both.

use crate::backend;
use crate::backend::preset::Preset;
use crate::build::settings::{BuildError, BuildSettings};
use crate::synth::Speaker;

/// The backend of `preset` and the fallback speaker; notes about the engines chosen are
/// printed.
pub fn set_up(
    preset: &Preset,
    settings: &BuildSettings,
) -> Result<(Box<dyn backend::Backend>, Option<Speaker>), BuildError> {
    let mut notices = Vec::new();
    let backend = backend::open(preset, settings.engine.as_deref(), &mut notices)?;
    let fallback = match &preset.fallback {
        Some(name) => {
            let fallback = Preset::find(name)
                .map_err(|e| backend::SetupError::invalid(preset, format!("fallback voice {name:?}: {e}")))?;
            let fallback = settings.overrides.apply(fallback);
            let backend = backend::open(&fallback, settings.engine.as_deref(), &mut notices)?;
            Some(Speaker::new(fallback, backend))
        }
        None => None,
    };
    for n in &notices {
        eprintln!("note: {n}");
    }
    Ok((backend, fallback))
}
