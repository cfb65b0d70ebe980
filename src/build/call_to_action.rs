//! The call to action: a short text read after the free episode's chapters ("the full
//! episode is for subscribers…"), by the article's voice, planned like any article text.

use crate::article;
use crate::plan::{self, PlanSettings};
use crate::synth::Synthesizer;

/// Speaks `text` with the build's voice; samples at the output rate, pauses included.
pub fn speak(text: &str, synth: &Synthesizer, settings: &PlanSettings, rate: u32) -> Result<Vec<f32>, String> {
    let what = || format!("the call to action {:?}", text.chars().take(40).collect::<String>());
    let article = article::parse(text).map_err(|e| format!("{}: {e}", what()))?;
    let plan = plan::plan(&article, settings);
    let mut samples = Vec::new();
    for (_, u) in plan.utterances() {
        if u.spoken {
            let spoken = synth.speak(u).map_err(|e| format!("{} could not be synthesized: {}", what(), e.message))?;
            samples.extend_from_slice(&spoken.samples);
        }
        samples.resize(samples.len() + (u64::from(u.pause_after_ms) * u64::from(rate) / 1000) as usize, 0.0);
    }
    if samples.is_empty() {
        return Err(format!("{} has nothing to read aloud", what()));
    }
    Ok(samples)
}
