//! The call to action: a short text read after the free episode's chapters ("the full
//! episode is for subscribers…"), by the article's voice, planned like any article text.
//! It is leveled and measured as one piece, with the helpers chapter utterances use.

use crate::article;
use crate::audio::chapter_file::to_i16;
use crate::build::level;
use crate::loudness::{FileLoudness, FileMeter, Leveler};
use crate::plan::{self, PlanSettings};
use crate::synth::Synthesizer;

/// The call to action, ready to be joined after the free chapters.
pub struct CallToAction {
    pub text: String,
    /// 16-bit samples at the output rate.
    pub pcm: Vec<i16>,
    pub loudness: FileLoudness,
}

/// Speaks, levels and measures `text`.
pub fn make(
    text: &str,
    synth: &Synthesizer,
    settings: &PlanSettings,
    loudness: Option<&Leveler>,
    rate: u32,
) -> Result<CallToAction, String> {
    let mut samples = speak(text, synth, settings, rate)?;
    let leveled = level::level(&mut samples, loudness, rate);
    let mut meter = FileMeter::new(rate);
    level::measure(&mut meter, &samples, 0, Some(&leveled));
    let pcm = samples.iter().map(|&s| to_i16(s)).collect();
    Ok(CallToAction { text: text.to_string(), pcm, loudness: meter.finish() })
}

/// Speaks `text` with the build's voice; samples at the output rate, pauses included.
fn speak(text: &str, synth: &Synthesizer, settings: &PlanSettings, rate: u32) -> Result<Vec<f32>, String> {
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
