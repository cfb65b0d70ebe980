//! `seedaudio doctor --voice X`: is this voice ready? Checks the key variable, reaches the
//! service with one short probe, and reports the audio format, rate and latency.

use std::time::Instant;

use crate::audio::{self, AudioHint};
use crate::backend::preset::Preset;
use crate::backend::{self, secret::Secret};
use crate::text::language::is_chinese_tag;

/// The report's lines, or an error that says what to fix.
pub fn check(preset: &Preset, engine: Option<&str>) -> Result<Vec<String>, String> {
    let mut lines = vec![format!(
        "voice {}: {} backend, language {}, voice {}",
        preset.name, preset.kind, preset.language, preset.voice
    )];
    match &preset.api_key_env {
        Some(var) if Secret::from_env(var).is_some() => lines.push(format!("key: {var} is set")),
        Some(var) => {
            return Err(format!(
                "voice {}: the key variable {var} is not set; export {var}=… and try again",
                preset.name
            ));
        }
        None => lines.push("key: none needed".into()),
    }
    let mut notices = Vec::new();
    let backend = backend::open(preset, engine, &mut notices).map_err(|e| e.to_string())?;
    lines.extend(notices.into_iter().map(|n| format!("note: {n}")));
    lines.push(format!("engine: {}", backend.engine()));
    let probe = probe_text(&preset.language);
    let started = Instant::now();
    let audio = backend
        .synthesize(&backend::Request::text(probe))
        .map_err(|e| format!("voice {}: the probe failed: {e}", preset.name))?;
    let latency = started.elapsed();
    let format = audio::sniff::format_name(&audio.bytes, audio.hint);
    let decoded = audio::decode(&audio.bytes, audio.hint).map_err(|e| format!("voice {}: {e}", preset.name))?;
    let seconds = decoded.samples.len() as f64 / f64::from(decoded.channels.max(1)) / f64::from(decoded.rate);
    lines.push(format!(
        "probe: {:?} → {} bytes of {format}, {} Hz, {} channel(s), {seconds:.2} s of audio in {:.2} s",
        probe,
        audio.bytes.len(),
        decoded.rate,
        decoded.channels,
        latency.as_secs_f64()
    ));
    if let AudioHint::RawS16Le { .. } = audio.hint {
        lines.push("note: raw PCM; its rate is the one the preset or the service declares".into());
    }
    audio::prepare(&audio.bytes, audio.hint, 44_100).map_err(|e| format!("voice {}: {e}", preset.name))?;
    lines.push("ok".into());
    Ok(lines)
}

/// The short text the probe says, in the voice's language (Chinese or English).
fn probe_text(language: &str) -> &'static str {
    if is_chinese_tag(language) { "你好，这是一次测试。" } else { "Hello, this is a test." }
}

#[cfg(test)]
mod tests {
    use super::probe_text;
    use crate::text::language::TAGS;

    #[test]
    fn the_probe_is_chinese_for_every_chinese_tag() {
        for &(tag, chinese) in TAGS {
            assert_eq!(probe_text(tag) == "你好，这是一次测试。", chinese, "{tag:?}");
        }
    }
}
