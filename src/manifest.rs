//! `manifest.json`: every chapter and every utterance of a build, with their times.

use serde::Serialize;

use crate::article::{BlockKind, Warning};
use crate::plan::ChapterKind;

/// Bumped when a field changes meaning or disappears.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct Manifest {
    pub format_version: u32,
    pub generator: String,
    pub article: ArticleInfo,
    pub voice: VoiceInfo,
    pub audio: AudioInfo,
    pub loudness: LoudnessInfo,
    pub warnings: Vec<WarningEntry>,
    pub counts: Counts,
    pub chapters: Vec<ChapterEntry>,
    pub utterances: Vec<UtteranceEntry>,
    /// Utterances that could not be synthesized; their chapters were not written.
    pub failures: Vec<FailureEntry>,
}

#[derive(Debug, Serialize)]
pub struct ArticleInfo {
    /// The article's file name (not its full path).
    pub file: String,
    pub title: String,
    pub encoding: String,
}

#[derive(Debug, Serialize)]
pub struct VoiceInfo {
    pub preset: String,
    pub backend: String,
    pub engine: String,
    pub voice: String,
    pub language: String,
}

#[derive(Debug, Serialize)]
pub struct AudioInfo {
    pub format: &'static str,
    pub sample_rate: u32,
    pub channels: u16,
    pub bits_per_sample: u16,
}

/// The loudness policy of the build.
#[derive(Debug, Serialize)]
pub struct LoudnessInfo {
    /// Integrated loudness (EBU R128) every utterance was brought to, in LUFS; `None` with
    /// `--no-loudness`.
    pub target_lufs: Option<f64>,
    /// The highest true peak the limiter allows, in dBTP; `None` with `--no-loudness`.
    pub ceiling_dbtp: Option<f64>,
    pub policy: &'static str,
}

/// How many spoken utterances came from where.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct Counts {
    /// Sent to the backend this run.
    pub synthesized: usize,
    /// Found in the cache.
    pub cached: usize,
    /// Read by the fallback voice.
    pub substituted: usize,
    pub failed: usize,
}

#[derive(Debug, Serialize)]
pub struct WarningEntry {
    pub line: usize,
    pub message: String,
}

impl From<&Warning> for WarningEntry {
    fn from(w: &Warning) -> Self {
        WarningEntry { line: w.line, message: w.message.clone() }
    }
}

#[derive(Debug, Serialize)]
pub struct ChapterEntry {
    pub index: usize,
    pub title: String,
    pub kind: ChapterKind,
    pub paid: bool,
    /// File name in the output folder; `None` when the chapter could not be written.
    pub file: Option<String>,
    /// Seconds, from the samples written.
    pub duration: f64,
    /// Integrated loudness of the file as written (EBU R128), in LUFS; `None` when the chapter
    /// was not written or is silent.
    pub loudness_lufs: Option<f64>,
    /// The file's true peak (the highest of its utterances', after limiting), in dBTP.
    pub true_peak_dbtp: Option<f64>,
    pub utterances: usize,
    pub markers: Vec<MarkerEntry>,
}

#[derive(Debug, Serialize)]
pub struct MarkerEntry {
    pub title: String,
    pub utterance: String,
    /// Seconds from the start of the chapter.
    pub start: f64,
}

#[derive(Debug, Serialize)]
pub struct UtteranceEntry {
    pub id: String,
    pub chapter: usize,
    pub paragraph: usize,
    pub line: usize,
    pub kind: BlockKind,
    pub text: String,
    /// What the backend was sent, where it differs from `text` (numbers read as words,
    /// lexicon respellings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub say: Option<String>,
    pub reread: bool,
    pub spoken: bool,
    /// Seconds from the start of the chapter; `None` when it could not be synthesized.
    pub start: Option<f64>,
    pub end: Option<f64>,
    pub pause_after_ms: u32,
    pub backend: String,
    pub voice: String,
    /// `synthesized`, `cached`, `fallback`, `silent` (nothing to pronounce) or `failed`.
    pub source: String,
    /// The cache key of the audio used.
    pub cache_key: Option<String>,
    /// When the fallback voice read it: why the primary failed.
    pub substituted_because: Option<String>,
    /// The gain loudness leveling gave it, in dB (before the limiter).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gain_db: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct FailureEntry {
    pub utterance: String,
    pub chapter: usize,
    pub line: usize,
    pub error: String,
}

/// Seconds from a sample count, rounded to microseconds so the JSON stays readable.
pub fn seconds(samples: u64, rate: u32) -> f64 {
    (samples as f64 / f64::from(rate) * 1e6).round() / 1e6
}

/// A level in dB rounded to hundredths; `None` when not finite (silence).
pub fn decibels(db: f64) -> Option<f64> {
    db.is_finite().then(|| (db * 100.0).round() / 100.0)
}

impl Manifest {
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("the manifest is plain data");
        s.push('\n');
        s
    }
}
