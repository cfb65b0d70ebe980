//! What a build is given (its settings), what it reports (its summary) and how it fails.
//!
//! Kept apart from the driver so the stages below it can name the build's error without
//! importing the driver that calls them.

use std::path::PathBuf;
use std::time::Duration;

use crate::article::input::ArticleInput;
use crate::article::{self, source};
use crate::backend;
use crate::backend::preset::Preset;
use crate::build::progress;
use crate::loudness::Leveler;
use crate::publish::manifest;
use crate::publish::settings::PublishSettings;
use crate::synth::CacheUse;

/// Everything a build needs, validated.
#[derive(Debug, Clone)]
pub struct BuildSettings {
    pub article: ArticleInput,
    /// The article's name: its file's stem or `--name` (names the feed item; the output
    /// folder unless `--out` says otherwise).
    pub name: String,
    pub encoding: Option<String>,
    /// What of an EPUB book is read besides its body (`--front-matter`, `--non-linear`).
    pub book: crate::article::epub::BookOptions,
    pub out_dir: PathBuf,
    /// The voice given with `--voice`; without it one is chosen for the article's language.
    pub voice: Option<Preset>,
    pub engine: Option<String>,
    /// Bounds from the command line that replace the voice's own (`--max-response-mb`, …).
    pub overrides: crate::backend::preset::Overrides,
    /// Utterances at once; without it the preset's concurrency, else one per core.
    pub jobs: Option<usize>,
    pub sample_rate: u32,
    pub progress: progress::Mode,
    /// A `--lexicon` file.
    pub lexicon: Option<PathBuf>,
    /// Refuse to start when the uncached part would cost more than this (`--max-cost`).
    pub max_cost: Option<f64>,
    /// The cache folder and how to use it; `None` with `--no-cache`.
    pub cache: Option<(PathBuf, CacheUse)>,
    /// The object store behind the cache folder (`--shared-cache URL`); unused with `--no-cache`.
    pub shared_cache: Option<String>,
    /// Write everything even when the output folder is up to date (`--force`).
    pub force: bool,
    /// When another build is writing the output folder, wait for it rather than stop (`--wait`).
    pub wait: bool,
    /// Episodes, format, transcripts, feeds.
    pub publish: PublishSettings,
    /// The loudness target and ceiling every utterance is leveled to; `None` with
    /// `--no-loudness` (levels as the voice produced them).
    pub loudness: Option<Leveler>,
}

impl BuildSettings {
    /// The settings that shape the output files, written out for the build's fingerprint.
    pub fn output_shaping(&self) -> String {
        format!(
            "article={:?} name={:?} encoding={:?} book={:?} voice={:?} engine={:?} rate={} loudness={:?} publish={:?}",
            self.article.file_name(),
            self.name,
            self.encoding,
            self.book,
            self.voice,
            self.engine,
            self.sample_rate,
            self.loudness,
            self.publish,
        )
    }
}

#[derive(Debug)]
pub struct BuildSummary {
    /// Nothing was written: the folder already held this build.
    pub up_to_date: bool,
    pub out_dir: PathBuf,
    pub chapters_written: usize,
    pub audio_seconds: f64,
    pub wall: Duration,
    pub engine: String,
    pub voice: String,
    pub utterances: usize,
    pub counts: manifest::Counts,
    /// The player page and the episodes, to open next.
    pub next: Vec<crate::build::next::Next>,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Read(#[from] source::ReadError),
    #[error("{path}: {source}")]
    Parse { path: PathBuf, source: article::ParseError },
    #[error(transparent)]
    Setup(#[from] backend::SetupError),
    #[error("{path}: {source}; {}", output_advice(.source))]
    Output { path: PathBuf, source: std::io::Error },
    #[error(
        "{out} is being written by another seedaudio build ({holder}); run this one again when it is done, add --wait to start as soon as it is, or choose another folder with --out"
    )]
    Busy { out: PathBuf, holder: String },
    #[error("{0}")]
    Lexicon(String),
    #[error("{0}")]
    TooExpensive(String),
    #[error("{0}")]
    CallToAction(String),
    #[error("publishing failed: {0}")]
    Publish(crate::publish::error::PublishError),
    #[error("cannot use the cache folder {path}: {source}; choose another with --cache-dir, or build with --no-cache")]
    Cache { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    SharedCache(crate::store::StoreError),
    #[error(
        "{count} of {total} utterances failed, so {chapters} chapter(s) were not written:\n{list}\nThe manifest lists them; run the same command again to retry."
    )]
    Failed { count: usize, total: usize, chapters: usize, list: String },
}

/// What to do about an output error.
fn output_advice(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
            "the disk is full: free some space, or choose another folder with --out, then run the same command again (what is synthesized is in the cache)"
        }
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            "the folder cannot be written to: choose another folder with --out"
        }
        _ => "choose another folder with --out",
    }
}
