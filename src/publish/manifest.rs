//! `manifest.json`: every chapter and every utterance of a build, with their times.

use serde::{Deserialize, Serialize};

use crate::article::{BlockKind, Warning};
use crate::plan::ChapterKind;

/// Bumped when a field changes meaning or disappears.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format_version: u32,
    pub generator: String,
    pub article: ArticleInfo,
    pub voice: VoiceInfo,
    pub audio: AudioInfo,
    #[serde(default)]
    pub loudness: LoudnessInfo,
    pub warnings: Vec<WarningEntry>,
    pub counts: Counts,
    pub chapters: Vec<ChapterEntry>,
    pub utterances: Vec<UtteranceEntry>,
    /// The free preview and the full episode; empty when a chapter failed.
    pub episodes: Vec<EpisodeEntry>,
    /// Utterances that could not be synthesized; their chapters were not written.
    pub failures: Vec<FailureEntry>,
    /// What a later build compares to skip an unchanged one; absent after a failed build.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build: Option<Stamp>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ArticleInfo {
    /// The article's file name (not its full path).
    pub file: String,
    pub title: String,
    pub encoding: String,
    /// Who wrote it, when the article says (an EPUB's `dc:creator`s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The language the article says it is in (an EPUB's `dc:language`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct VoiceInfo {
    pub preset: String,
    pub backend: String,
    pub engine: String,
    pub voice: String,
    pub language: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct AudioInfo {
    pub format: String,
    pub sample_rate: u32,
    pub channels: u16,
    pub bits_per_sample: u16,
}

/// The loudness policy of the build.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct LoudnessInfo {
    /// Integrated loudness (EBU R128) every utterance was brought to, in LUFS; `None` with
    /// `--no-loudness`.
    pub target_lufs: Option<f64>,
    /// The highest true peak the limiter allows, in dBTP; `None` with `--no-loudness`.
    pub ceiling_dbtp: Option<f64>,
    pub policy: String,
}

/// How many spoken utterances came from where.
#[derive(Debug, Default, Clone, Copy, Serialize, Deserialize)]
pub struct Counts {
    /// Sent to the backend this run.
    pub synthesized: usize,
    /// Found in the cache, from an earlier build.
    pub cached: usize,
    /// The same request as an utterance earlier in this build (a re-read heading): its
    /// audio reused, neither synthesized again nor left by an earlier build.
    #[serde(default)]
    pub repeated: usize,
    /// Read by the fallback voice.
    pub substituted: usize,
    pub failed: usize,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct WarningEntry {
    pub line: usize,
    pub message: String,
}

impl From<&Warning> for WarningEntry {
    fn from(w: &Warning) -> Self {
        WarningEntry { line: w.line, message: w.message.clone() }
    }
}

#[derive(Debug, Serialize, Deserialize)]
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

#[derive(Debug, Serialize, Deserialize)]
pub struct EpisodeEntry {
    /// `free` (the free chapters, then the call to action if any) or `full` (every chapter).
    pub kind: String,
    pub file: String,
    pub bytes: u64,
    /// Seconds.
    pub duration: f64,
    /// The manifest indices of its chapters, in order.
    pub chapters: Vec<usize>,
    /// Chapter and section starts, seconds from the start of the episode.
    pub marks: Vec<MarkEntry>,
    /// Integrated loudness (EBU R128) of the episode, in LUFS, from its chapters' measurements.
    pub loudness_lufs: Option<f64>,
    /// The highest true peak in it, in dBTP.
    pub true_peak_dbtp: Option<f64>,
    /// The call to action read after the chapters, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_to_action: Option<String>,
    /// Transcript, chapter list and other files that describe this episode.
    pub companions: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct MarkEntry {
    pub title: String,
    pub start: f64,
    pub paid: bool,
    /// 0 for a chapter, 1 for a section inside a chapter.
    pub level: u8,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct MarkerEntry {
    pub title: String,
    pub utterance: String,
    /// Seconds from the start of the chapter.
    pub start: f64,
}

#[derive(Debug, Serialize, Deserialize)]
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

#[derive(Debug, Serialize, Deserialize)]
pub struct FailureEntry {
    pub utterance: String,
    pub chapter: usize,
    pub line: usize,
    pub error: String,
}

/// What the manifest records to recognise an unchanged build (see `build::uptodate`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub fingerprint: String,
    pub files: Vec<FileStamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    pub name: String,
    pub bytes: u64,
    /// Modification time, nanoseconds since 1970.
    pub modified_ns: u128,
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
    /// Reads a `manifest.json` back, for the publishing steps that run after a build.
    pub fn from_json(text: &str) -> serde_json::Result<Manifest> {
        serde_json::from_str(text)
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("the manifest is plain data");
        s.push('\n');
        s
    }
}
