//! The offline default: eSpeak NG, as the system program or the engine compiled in.
//!
//! `engine = "auto"` uses the `espeak-ng` program when it is on `PATH` (its audio is
//! smoother) and otherwise the pure-Rust port compiled into seedaudio, saying once that
//! installing espeak-ng gives smoother audio.

pub mod bundled;
mod embedded;
mod system;

use super::{Audio, Backend, BackendError, Notices, Request, SetupError, settings};
use crate::backend::preset::Preset;

pub use embedded::Embedded;
pub use system::System;

/// eSpeak NG's normal rate, in words per minute; the preset's `speed` multiplies it.
const NORMAL_WPM: f32 = 175.0;

/// The `espeak` kind's own preset fields.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// `auto` (the default), `system` or `embedded`.
    pub engine: Option<String>,
}

pub struct Espeak {
    engine: Box<dyn Backend>,
}

impl Espeak {
    pub fn new(preset: &Preset, engine_override: Option<&str>, notices: &mut Notices) -> Result<Self, SetupError> {
        let wpm = (NORMAL_WPM * preset.speed).round().clamp(80.0, 450.0) as u32;
        let own: Settings = settings(preset)?;
        let choice = engine_override.or(own.engine.as_deref()).unwrap_or("auto");
        let timeout = std::time::Duration::from_secs_f64(preset.network.timeout_s);
        let max_bytes = preset.network.max_response_mb.saturating_mul(1024 * 1024);
        let find_system = || System::find(&preset.voice, wpm, timeout, max_bytes);
        let invalid = |message: String| SetupError::Invalid { voice: preset.name.clone(), message };
        let engine: Box<dyn Backend> = match choice {
            "system" => Box::new(find_system().ok_or_else(|| {
                invalid("engine \"system\" needs the espeak-ng program on PATH (apt-get install espeak-ng), or use --engine embedded".into())
            })?),
            "embedded" => Box::new(Embedded::new(&preset.voice, wpm).map_err(invalid)?),
            "auto" => match find_system() {
                Some(system) => Box::new(system),
                None => {
                    notices.push(
                        "espeak-ng is not installed: using the built-in engine; install espeak-ng \
                         (apt-get install espeak-ng) for smoother offline audio"
                            .into(),
                    );
                    Box::new(Embedded::new(&preset.voice, wpm).map_err(invalid)?)
                }
            },
            other => return Err(invalid(format!("engine {other:?} is not one of auto, system, embedded"))),
        };
        Ok(Espeak { engine })
    }
}

impl Backend for Espeak {
    fn kind(&self) -> &'static str {
        "espeak"
    }

    fn engine(&self) -> String {
        self.engine.engine()
    }

    fn synthesize(&self, request: &Request<'_>) -> Result<Audio, BackendError> {
        self.engine.synthesize(request)
    }
}
