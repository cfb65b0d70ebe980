//! Reading a preset: the TOML parsed, the fields every preset has checked, and the kind
//! looked up in the [`registry`] — so a mistake in a preset is refused when it is loaded,
//! before anything is synthesized.

use std::path::Path;

use super::{BUILT_IN, Preset, VoiceError};
use crate::backend::registry;

impl Preset {
    /// Finds a preset by built-in name or path.
    pub fn find(name_or_path: &str) -> Result<Preset, VoiceError> {
        let looks_like_path = name_or_path.contains(['/', '\\']) || name_or_path.ends_with(".toml");
        if looks_like_path {
            let path = Path::new(name_or_path);
            let text = std::fs::read_to_string(path)
                .map_err(|source| VoiceError::Io { path: name_or_path.to_string(), source })?;
            let stem = path.file_stem().map_or(name_or_path.into(), |s| s.to_string_lossy().into_owned());
            // Messages name the file, so a mistake (a TOML error gives its line) can be found.
            return Preset::from_toml(&stem, &text).map_err(|e| match e {
                VoiceError::Invalid { message, .. } => VoiceError::Invalid { name: name_or_path.to_string(), message },
                other => other,
            });
        }
        match BUILT_IN.iter().find(|(n, _)| *n == name_or_path) {
            Some((name, text)) => Preset::from_toml(name, text),
            None => Err(VoiceError::Unknown { name: name_or_path.to_string(), suggestions: nearest(name_or_path) }),
        }
    }

    /// Parses and checks a preset.
    pub fn from_toml(name: &str, text: &str) -> Result<Preset, VoiceError> {
        let invalid = |message: String| VoiceError::Invalid { name: name.to_string(), message };
        let mut preset: Preset = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        preset.name = name.to_string();
        let Some(kind) = registry::find(&preset.kind) else {
            let close: Vec<&str> = registry::names()
                .filter(|k| strsim::jaro_winkler(&preset.kind.to_ascii_lowercase(), k) > 0.8)
                .collect();
            let hint = match close.as_slice() {
                [] => String::new(),
                [one] => format!(" (did you mean {one:?}?)"),
                many => format!(" (did you mean one of {}?)", many.join(", ")),
            };
            return Err(invalid(format!(
                "unknown backend kind {:?}{hint}; known kinds: {}",
                preset.kind,
                registry::names().collect::<Vec<_>>().join(", ")
            )));
        };
        (kind.check)(&preset).map_err(|e| {
            // The kind's type lists only its own fields; the common ones are valid too.
            let also = if e.starts_with("unknown field") { " (besides the fields every preset takes)" } else { "" };
            invalid(format!("{} preset: {e}{also}", preset.kind))
        })?;
        if !(0.25..=4.0).contains(&preset.speed) {
            return Err(invalid(format!("speed = {} is outside 0.25 to 4.0", preset.speed)));
        }
        if preset.max_chars == Some(0) || preset.max_bytes == Some(0) {
            return Err(invalid("max_chars and max_bytes must be at least 1".into()));
        }
        if preset.max_bytes.is_some_and(|b| b < 4) {
            return Err(invalid("max_bytes must be at least 4 (one UTF-8 character)".into()));
        }
        let n = &preset.network;
        let positive = |x: f64| x > 0.0 && x.is_finite();
        if !positive(n.connect_timeout_s) || !positive(n.timeout_s) || !positive(n.budget_s) || n.max_attempts == 0 {
            return Err(invalid("[network] timeouts and budget must be positive, max_attempts at least 1".into()));
        }
        if n.max_response_mb == 0 {
            return Err(invalid("[network] max_response_mb must be at least 1".into()));
        }
        if !positive(preset.max_seconds_per_char) {
            return Err(invalid("max_seconds_per_char must be a positive number".into()));
        }
        if preset.chars_per_second.is_some_and(|r| !(r > 0.0 && r.is_finite())) {
            return Err(invalid("chars_per_second must be a positive number".into()));
        }
        Ok(preset)
    }
}

/// Built-in names close to `name`, best first.
fn nearest(name: &str) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> =
        BUILT_IN.iter().map(|(n, _)| (strsim::jaro_winkler(name, n), *n)).filter(|(s, _)| *s > 0.7).collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(3).map(|(_, n)| n.to_string()).collect()
}
