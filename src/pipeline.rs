//! The build driver: the only place that knows the order of the stages.
//!
//! read → parse → plan → synthesize (parallel, bounded window) → prepare audio → write
//! chapters in order → manifest.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, mpsc};
use std::time::{Duration, Instant};

use crate::article::{self, Article};
use crate::backend;
use crate::cache::Cache;
use crate::manifest::{self, Manifest};
use crate::plan::{self, Plan, PlanSettings};
use crate::progress::{self, Progress};
use crate::stitch::{ChapterWriter, Span};
use crate::synth::{CacheUse, Source, SpeakError, Spoken, Synthesizer, Voice};
use crate::voice::Preset;
use crate::{interrupt, read};

/// Everything a build needs, validated.
#[derive(Debug, Clone)]
pub struct BuildSettings {
    pub article: PathBuf,
    pub encoding: Option<String>,
    pub out_dir: PathBuf,
    /// The voice given with `--voice`; without it one is chosen for the article's language.
    pub voice: Option<Preset>,
    pub engine: Option<String>,
    /// Utterances at once; without it the preset's concurrency, else one per core.
    pub jobs: Option<usize>,
    pub sample_rate: u32,
    pub progress: progress::Mode,
    /// The cache folder and how to use it; `None` with `--no-cache`.
    pub cache: Option<(PathBuf, CacheUse)>,
}

#[derive(Debug)]
pub struct BuildSummary {
    pub out_dir: PathBuf,
    pub chapters_written: usize,
    pub audio_seconds: f64,
    pub wall: Duration,
    pub engine: String,
    pub voice: String,
    pub utterances: usize,
    pub counts: manifest::Counts,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Read(#[from] read::ReadError),
    #[error("{path}: {source}")]
    Parse { path: PathBuf, source: article::ParseError },
    #[error(transparent)]
    Setup(#[from] backend::SetupError),
    #[error("{path}: {source}; choose another folder with --out")]
    Output { path: PathBuf, source: std::io::Error },
    #[error("cannot use the cache folder {path}: {source}; choose another with --cache-dir, or build with --no-cache")]
    Cache { path: PathBuf, source: std::io::Error },
    #[error(
        "{count} of {total} utterances failed, so {chapters} chapter(s) were not written:\n{list}\nThe manifest lists them; run the same command again to retry."
    )]
    Failed { count: usize, total: usize, chapters: usize, list: String },
}

/// An article read, parsed and planned for its voice.
pub struct Loaded {
    pub source: read::SourceText,
    pub article: Article,
    pub preset: Preset,
    pub settings: PlanSettings,
    pub plan: Plan,
}

/// Reads, parses and plans an article: the shared front of `plan` and `build`. Without a
/// voice, the built-in voice for the article's language is used.
pub fn load(path: &Path, encoding: Option<&str>, voice: Option<&Preset>) -> Result<Loaded, BuildError> {
    let source = read::read_article(path, encoding)?;
    let article =
        article::parse(&source.text).map_err(|source| BuildError::Parse { path: path.to_path_buf(), source })?;
    let preset = match voice {
        Some(preset) => preset.clone(),
        None => Preset::find(crate::voice::for_text(&source.text)).expect("built-in voices parse"),
    };
    let settings = plan_settings(&preset);
    let plan = plan::plan(&article, &settings);
    Ok(Loaded { source, article, preset, settings, plan })
}

pub fn plan_settings(preset: &Preset) -> PlanSettings {
    let rate = preset.chars_per_second;
    PlanSettings {
        limits: preset.limits(),
        pauses: preset.pauses,
        rate_cjk: rate.unwrap_or(3.8),
        rate_other: rate.unwrap_or(14.0),
    }
}

/// Builds the chapters and the manifest of one article.
pub fn build(settings: &BuildSettings) -> Result<BuildSummary, BuildError> {
    let started = Instant::now();
    let Loaded { source, article, preset, plan, .. } =
        load(&settings.article, settings.encoding.as_deref(), settings.voice.as_ref())?;
    for w in &article.warnings {
        eprintln!("warning: {}:{}: {}", settings.article.display(), w.line, w.message);
    }
    let mut notices = Vec::new();
    let backend = backend::build(&preset, settings.engine.as_deref(), &mut notices)?;
    let fallback = match &preset.fallback {
        Some(name) => {
            let fallback = Preset::find(name)
                .map_err(|e| backend::SetupError::invalid(&preset, format!("fallback voice {name:?}: {e}")))?;
            let backend = backend::build(&fallback, settings.engine.as_deref(), &mut notices)?;
            Some(Voice::new(fallback, backend))
        }
        None => None,
    };
    for n in &notices {
        eprintln!("note: {n}");
    }
    let cache = match &settings.cache {
        Some((dir, how)) => {
            Some((Cache::open(dir).map_err(|source| BuildError::Cache { path: dir.clone(), source })?, *how))
        }
        None => None,
    };
    let out = &settings.out_dir;
    if out.exists() && !out.is_dir() {
        let source = std::io::Error::other("it is a file, not a folder");
        return Err(BuildError::Output { path: out.clone(), source });
    }
    std::fs::create_dir_all(out).map_err(|source| BuildError::Output { path: out.clone(), source })?;

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = settings.jobs.or(preset.concurrency.filter(|&c| c > 0)).unwrap_or(cores).max(1);
    let synth = Synthesizer::new(Voice::new(preset, backend), fallback, cache, settings.sample_rate);
    let synth = std::sync::Arc::new(synth);
    interrupt::on_ctrl_c(synth.clone(), settings);
    let outcome = synthesize_and_write(&plan, &synth, settings, jobs)?;
    let preset = &synth.primary.preset;
    let backend = synth.primary.backend.as_ref();

    let manifest = make_manifest(settings, &synth, &source, &article, &plan, &outcome);
    let manifest_path = out.join("manifest.json");
    crate::fsutil::write_atomic(&manifest_path, manifest.to_json().as_bytes())
        .map_err(|source| BuildError::Output { path: manifest_path, source })?;

    if !outcome.failures.is_empty() {
        let failed_chapters = outcome.chapters.iter().filter(|c| c.file.is_none()).count();
        const SHOWN: usize = 10;
        let mut lines: Vec<String> = outcome
            .failures
            .iter()
            .take(SHOWN)
            .map(|f| {
                let (c, u) =
                    &plan.utterances().find(|(_, u)| u.id == f.utterance).expect("failures name planned utterances");
                format!(
                    "  {} (chapter {} {:?}, paragraph {}, line {}, \"{}\"): {}",
                    u.id,
                    c.index,
                    c.title,
                    u.paragraph,
                    u.line,
                    first_words(&u.text),
                    f.error
                )
            })
            .collect();
        if outcome.failures.len() > SHOWN {
            lines.push(format!("  … and {} more", outcome.failures.len() - SHOWN));
        }
        let list = lines.join("\n");
        return Err(BuildError::Failed {
            count: outcome.failures.len(),
            total: plan.utterance_count(),
            chapters: failed_chapters,
            list,
        });
    }
    remove_stale_chapters(out, &plan);
    Ok(BuildSummary {
        out_dir: out.clone(),
        chapters_written: outcome.chapters.len(),
        audio_seconds: outcome.chapters.iter().map(|c| c.samples as f64).sum::<f64>() / f64::from(settings.sample_rate),
        wall: started.elapsed(),
        engine: backend.engine(),
        voice: preset.name.clone(),
        utterances: plan.utterance_count(),
        counts: manifest.counts,
    })
}

fn first_words(text: &str) -> String {
    let mut s: String = text.chars().take(24).collect();
    if text.chars().count() > 24 {
        s.push('…');
    }
    s
}

/// What writing produced for one chapter.
struct ChapterOutcome {
    file: Option<String>,
    samples: u64,
}

struct Failure {
    utterance: String,
    chapter: usize,
    line: usize,
    error: String,
}

struct Outcome {
    chapters: Vec<ChapterOutcome>,
    /// Per utterance, in reading order.
    records: Vec<Record>,
    failures: Vec<Failure>,
}

/// What became of one utterance.
#[derive(Default)]
struct Record {
    /// Its place in its chapter, when the chapter was written.
    span: Option<Span>,
    /// Where its audio came from; `None` when it has none.
    source: Option<Source>,
    key: String,
}

/// Hands out utterance numbers to workers, never more than `window` ahead of the writer,
/// so finished audio waiting to be written stays bounded.
struct Dispenser {
    state: Mutex<(usize, usize)>,
    ready: Condvar,
    total: usize,
    window: usize,
}

impl Dispenser {
    fn take(&self) -> Option<usize> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            let (next, written) = *state;
            if next >= self.total {
                return None;
            }
            if next < written + self.window {
                state.0 += 1;
                return Some(next);
            }
            state = self.ready.wait(state).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// No more work: workers finish what they hold and stop.
    fn stop(&self) {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).0 = self.total;
        self.ready.notify_all();
    }

    fn written(&self, count: usize) {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).1 = count;
        self.ready.notify_all();
    }
}

fn synthesize_and_write(
    plan: &Plan,
    synth: &Synthesizer,
    settings: &BuildSettings,
    jobs: usize,
) -> Result<Outcome, BuildError> {
    let flat: Vec<(usize, &plan::Utterance)> =
        plan.chapters.iter().flat_map(|c| c.utterances.iter().map(move |u| (c.index, u))).collect();
    let total_chars = flat.iter().filter(|(_, u)| u.spoken).map(|(_, u)| u.text.chars().count() as u64).sum();
    let mut progress = Progress::new(settings.progress, flat.len() as u64, total_chars);
    let dispenser = Dispenser { state: Mutex::new((0, 0)), ready: Condvar::new(), total: flat.len(), window: jobs * 4 };
    let (tx, rx) = mpsc::channel::<(usize, Result<Spoken, SpeakError>)>();

    let result = std::thread::scope(|scope| {
        for _ in 0..jobs {
            let tx = tx.clone();
            let (flat, dispenser) = (&flat, &dispenser);
            scope.spawn(move || {
                while let Some(i) = dispenser.take() {
                    let utterance = flat[i].1;
                    let audio = if utterance.spoken {
                        synth.speak(&utterance.text)
                    } else {
                        Ok(Spoken { samples: Vec::new(), source: Source::Synthesized, key: String::new() })
                    };
                    if audio.as_ref().is_err_and(|e| e.fatal) {
                        // Every other request would fail the same way: start no more.
                        dispenser.stop();
                    }
                    if tx.send((i, audio)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut writer = Writer::new(plan, settings);
        let mut waiting: BTreeMap<usize, Result<Spoken, SpeakError>> = BTreeMap::new();
        let mut next = 0usize;
        for (i, audio) in rx {
            waiting.insert(i, audio);
            while let Some(audio) = waiting.remove(&next) {
                let (chapter, utterance) = flat[next];
                progress.advance(if utterance.spoken { utterance.text.chars().count() as u64 } else { 0 });
                for warning in synth.take_warnings() {
                    progress.say(&format!("warning: {warning}"));
                }
                if let Err(e) = writer.accept(chapter, utterance, audio) {
                    // An output error ends the build.
                    dispenser.stop();
                    return Err(e);
                }
                next += 1;
                dispenser.written(next);
            }
        }
        Ok(writer.finish(&flat[next..]))
    });
    progress.finish();
    result
}

/// Writes chapters in reading order as utterances arrive.
struct Writer<'a> {
    plan: &'a Plan,
    settings: &'a BuildSettings,
    current: Option<ChapterWriter>,
    failed_chapter: bool,
    outcome: Outcome,
}

impl<'a> Writer<'a> {
    fn new(plan: &'a Plan, settings: &'a BuildSettings) -> Self {
        Writer {
            plan,
            settings,
            current: None,
            failed_chapter: false,
            outcome: Outcome { chapters: Vec::new(), records: Vec::new(), failures: Vec::new() },
        }
    }

    fn accept(
        &mut self,
        chapter_index: usize,
        utterance: &plan::Utterance,
        audio: Result<Spoken, SpeakError>,
    ) -> Result<(), BuildError> {
        let chapter = &self.plan.chapters[chapter_index];
        let position = chapter.utterances.iter().position(|u| u.id == utterance.id).expect("utterance of its chapter");
        let out = &self.settings.out_dir;
        let output_error = |source| BuildError::Output { path: out.join(format!("{}.wav", chapter.stem)), source };
        if position == 0 {
            self.failed_chapter = false;
            let writer = ChapterWriter::create(out, &format!("{}.wav", chapter.stem), self.settings.sample_rate)
                .map_err(output_error)?;
            self.current = Some(writer);
        }
        match audio {
            Ok(spoken) => {
                let span = match self.current.as_mut() {
                    Some(writer) => Some(writer.push(&spoken.samples, utterance.pause_after_ms).map_err(output_error)?),
                    None => None,
                };
                self.outcome.records.push(Record { span, source: Some(spoken.source), key: spoken.key });
            }
            Err(error) => {
                self.outcome.records.push(Record::default());
                self.outcome.failures.push(Failure {
                    utterance: utterance.id.clone(),
                    chapter: chapter_index,
                    line: utterance.line,
                    error: error.message,
                });
                if let Some(writer) = self.current.take() {
                    writer.abandon();
                }
                self.failed_chapter = true;
            }
        }
        if position + 1 == chapter.utterances.len() {
            let outcome = match self.current.take() {
                Some(writer) => {
                    let samples = writer.len();
                    let path = writer.finish().map_err(output_error)?;
                    ChapterOutcome { file: path.file_name().map(|n| n.to_string_lossy().into_owned()), samples }
                }
                None => ChapterOutcome { file: None, samples: 0 },
            };
            self.outcome.chapters.push(outcome);
        }
        Ok(())
    }

    /// Ends writing; `unattempted` are the utterances never synthesized (after a fatal error).
    fn finish(mut self, unattempted: &[(usize, &plan::Utterance)]) -> Outcome {
        if let Some(writer) = self.current.take() {
            writer.abandon();
        }
        for (chapter, utterance) in unattempted {
            self.outcome.records.push(Record::default());
            self.outcome.failures.push(Failure {
                utterance: utterance.id.clone(),
                chapter: *chapter,
                line: utterance.line,
                error: "not attempted: the build stopped at an earlier error".into(),
            });
        }
        while self.outcome.chapters.len() < self.plan.chapters.len() {
            self.outcome.chapters.push(ChapterOutcome { file: None, samples: 0 });
        }
        self.outcome
    }
}

fn make_manifest(
    settings: &BuildSettings,
    synth: &Synthesizer,
    source: &read::SourceText,
    article: &Article,
    plan: &Plan,
    outcome: &Outcome,
) -> Manifest {
    let rate = settings.sample_rate;
    let (preset, backend) = (&synth.primary.preset, synth.primary.backend.as_ref());
    let mut counts = manifest::Counts::default();
    let mut records = outcome.records.iter();
    let mut utterances = Vec::new();
    let mut chapters = Vec::new();
    for (chapter, written) in plan.chapters.iter().zip(&outcome.chapters) {
        let mut starts = Vec::new();
        for u in &chapter.utterances {
            let record = records.next().expect("a record for every utterance");
            let span = record.span;
            starts.push(span.map(|s| s.start));
            let (source, substitute) = match &record.source {
                Some(Source::Synthesized) if u.spoken => {
                    counts.synthesized += 1;
                    ("synthesized", None)
                }
                Some(Source::Synthesized) => ("silent", None),
                Some(Source::Cached) => {
                    counts.cached += 1;
                    ("cached", None)
                }
                Some(Source::Fallback { reason }) => {
                    counts.substituted += 1;
                    ("fallback", synth.fallback.as_ref().map(|f| (f, reason.clone())))
                }
                None => {
                    counts.failed += 1;
                    ("failed", None)
                }
            };
            utterances.push(manifest::UtteranceEntry {
                id: u.id.clone(),
                chapter: chapter.index,
                paragraph: u.paragraph,
                line: u.line,
                kind: u.kind,
                text: u.text.clone(),
                reread: u.reread,
                spoken: u.spoken,
                start: span.map(|s| manifest::seconds(s.start, rate)),
                end: span.map(|s| manifest::seconds(s.end, rate)),
                pause_after_ms: u.pause_after_ms,
                backend: substitute.as_ref().map_or(backend.kind(), |(f, _)| f.backend.kind()).to_string(),
                voice: substitute.as_ref().map_or(&preset.voice, |(f, _)| &f.preset.voice).clone(),
                source: source.to_string(),
                cache_key: (!record.key.is_empty()).then(|| record.key.clone()),
                substituted_because: substitute.map(|(_, reason)| reason),
            });
        }
        chapters.push(manifest::ChapterEntry {
            index: chapter.index,
            title: chapter.title.clone(),
            kind: chapter.kind,
            paid: chapter.paid,
            file: written.file.clone(),
            duration: manifest::seconds(written.samples, rate),
            utterances: chapter.utterances.len(),
            markers: chapter
                .markers
                .iter()
                .map(|m| manifest::MarkerEntry {
                    title: m.title.clone(),
                    utterance: chapter.utterances[m.utterance].id.clone(),
                    start: starts[m.utterance].map_or(0.0, |s| manifest::seconds(s, rate)),
                })
                .collect(),
        });
    }
    Manifest {
        format_version: manifest::FORMAT_VERSION,
        generator: format!("seedaudio {}", env!("CARGO_PKG_VERSION")),
        article: manifest::ArticleInfo {
            file: settings.article.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            title: article.title.clone(),
            encoding: source.encoding.to_string(),
        },
        voice: manifest::VoiceInfo {
            preset: preset.name.clone(),
            backend: backend.kind().to_string(),
            engine: backend.engine(),
            voice: preset.voice.clone(),
            language: preset.language.clone(),
        },
        audio: manifest::AudioInfo { format: "wav", sample_rate: rate, channels: 1, bits_per_sample: 16 },
        warnings: article.warnings.iter().map(Into::into).collect(),
        counts,
        chapters,
        utterances,
        failures: outcome
            .failures
            .iter()
            .map(|f| manifest::FailureEntry {
                utterance: f.utterance.clone(),
                chapter: f.chapter,
                line: f.line,
                error: f.error.clone(),
            })
            .collect(),
    }
}

/// Removes chapter files of an earlier build of this article that this plan no longer has.
fn remove_stale_chapters(out: &Path, plan: &Plan) {
    let Ok(entries) = std::fs::read_dir(out) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".wav") else { continue };
        let ours = stem.len() > 3
            && stem.as_bytes()[..2].iter().all(u8::is_ascii_digit)
            && ["-opening", "-free", "-paid"].iter().any(|k| stem[2..].starts_with(k));
        if ours && !plan.chapters.iter().any(|c| c.stem == stem) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
