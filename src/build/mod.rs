//! The build driver: the only place that knows the order of the stages.
//!
//! read → parse → plan → synthesize (parallel, bounded window) → prepare audio → write
//! chapters in order → manifest.

pub mod call_to_action;
pub mod chapters;
pub mod estimate;
pub mod interrupt;
pub mod progress;
pub mod uptodate;
pub mod window;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::article::source;
use crate::article::{self, Article};
use crate::backend;
use crate::backend::preset::Preset;
use crate::build::chapters::{Outcome, Writer, make_manifest};
use crate::build::window::WorkWindow;
use crate::loudness::{Leveled, Leveler};
use crate::plan::lexicon::Lexicon;
use crate::plan::{self, Plan, PlanSettings};
use crate::publish::manifest;
use crate::publish::settings::PublishSettings;
use crate::synth::cache::Cache;
use crate::synth::{CacheUse, Source, SpeakError, Speaker, Spoken, Synthesizer};
use progress::Progress;

/// Everything a build needs, validated.
#[derive(Debug, Clone)]
pub struct BuildSettings {
    pub article: PathBuf,
    pub encoding: Option<String>,
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
    /// Write everything even when the output folder is up to date (`--force`).
    pub force: bool,
    /// Episodes, format, transcripts, feeds.
    pub publish: PublishSettings,
    /// The loudness target and ceiling every utterance is leveled to; `None` with
    /// `--no-loudness` (levels as the voice produced them).
    pub loudness: Option<Leveler>,
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
    #[error("{0}")]
    Lexicon(String),
    #[error("{0}")]
    TooExpensive(String),
    #[error("{0}")]
    CallToAction(String),
    #[error("publishing failed: {0}")]
    Publish(crate::publish::build::PublishError),
    #[error("cannot use the cache folder {path}: {source}; choose another with --cache-dir, or build with --no-cache")]
    Cache { path: PathBuf, source: std::io::Error },
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

/// An article read, parsed and planned for its voice.
pub struct Loaded {
    pub source: source::SourceText,
    pub article: Article,
    pub preset: Preset,
    pub settings: PlanSettings,
    pub plan: Plan,
}

/// Reads, parses and plans an article: the shared front of `plan` and `build`. Without a
/// voice, the built-in voice for the article's language is used.
pub fn load(
    path: &Path,
    encoding: Option<&str>,
    voice: Option<&Preset>,
    lexicon: Option<&Path>,
) -> Result<Loaded, BuildError> {
    let source = source::read_article(path, encoding)?;
    let article =
        article::parse(&source.text).map_err(|source| BuildError::Parse { path: path.to_path_buf(), source })?;
    let preset = match voice {
        Some(preset) => preset.clone(),
        None => Preset::find(crate::backend::preset::for_text(&source.text)).expect("built-in voices parse"),
    };
    let settings = plan_settings(&preset, lexicon)?;
    let plan = plan::plan(&article, &settings);
    Ok(Loaded { source, article, preset, settings, plan })
}

pub fn plan_settings(preset: &Preset, lexicon_file: Option<&Path>) -> Result<PlanSettings, BuildError> {
    let rate = preset.chars_per_second;
    let mut entries = preset.lexicon.clone();
    if let Some(path) = lexicon_file {
        entries.extend(Lexicon::load(path).map_err(BuildError::Lexicon)?);
    }
    let lexicon = Lexicon::new(entries).map_err(|e| BuildError::Lexicon(format!("voice {}: {e}", preset.name)))?;
    Ok(PlanSettings {
        limits: preset.limits(),
        pauses: preset.pauses,
        lexicon,
        normalize: preset.normalize.then(|| preset.language.clone()),
        rate_cjk: rate.unwrap_or(3.8),
        rate_other: rate.unwrap_or(14.0),
    })
}

/// Builds the chapters and the manifest of one article.
pub fn build(settings: &BuildSettings) -> Result<BuildSummary, BuildError> {
    let started = Instant::now();
    let Loaded { source, article, preset, plan, settings: plan_settings, .. } =
        load(&settings.article, settings.encoding.as_deref(), settings.voice.as_ref(), settings.lexicon.as_deref())?;
    for w in &article.warnings {
        eprintln!("warning: {}:{}: {}", settings.article.display(), w.line, w.message);
    }
    let preset = settings.overrides.apply(preset);
    let mut notices = Vec::new();
    let backend = backend::open(&preset, settings.engine.as_deref(), &mut notices)?;
    let fallback = match &preset.fallback {
        Some(name) => {
            let fallback = Preset::find(name)
                .map_err(|e| backend::SetupError::invalid(&preset, format!("fallback voice {name:?}: {e}")))?;
            let fallback = settings.overrides.apply(fallback);
            let backend = backend::open(&fallback, settings.engine.as_deref(), &mut notices)?;
            Some(Speaker::new(fallback, backend))
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
    std::fs::create_dir_all(out).map_err(|e| BuildError::Output {
        path: out.clone(),
        source: std::io::Error::new(e.kind(), format!("cannot create the output folder: {e}")),
    })?;

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = settings.jobs.or(preset.concurrency.filter(|&c| c > 0)).unwrap_or(cores).max(1);
    let synth = Synthesizer::new(Speaker::new(preset, backend), fallback, cache, settings.sample_rate);
    let estimate = crate::build::estimate::estimate(&plan, &synth.primary.preset, Some(&synth));
    if let Some(max) = settings.max_cost {
        match estimate.cost {
            Some(cost) if cost > max => {
                return Err(BuildError::TooExpensive(format!(
                    "the uncached part would cost about {cost:.4} {}, above --max-cost {max}; {}",
                    estimate.currency,
                    estimate.describe()
                )));
            }
            Some(_) => {}
            None => {
                return Err(BuildError::TooExpensive(format!(
                    "--max-cost needs a price: voice {} has no price_per_million_chars",
                    synth.primary.preset.name
                )));
            }
        }
    }
    let fingerprint = crate::build::uptodate::fingerprint(&plan, &synth, &output_settings(settings));
    let refresh = matches!(settings.cache, Some((_, CacheUse::Refresh)));
    if !settings.force && !refresh && crate::build::uptodate::is_up_to_date(out, &fingerprint) {
        let written = plan.chapters.len();
        return Ok(BuildSummary {
            up_to_date: true,
            out_dir: out.clone(),
            chapters_written: written,
            audio_seconds: 0.0,
            wall: started.elapsed(),
            engine: synth.primary.backend.engine(),
            voice: synth.primary.preset.name.clone(),
            utterances: plan.utterance_count(),
            counts: manifest::Counts::default(),
        });
    }
    let synth = std::sync::Arc::new(synth);
    interrupt::on_ctrl_c(synth.clone(), settings);
    let outcome = synthesize_and_write(&plan, &synth, settings, jobs)?;
    let preset = &synth.primary.preset;
    let backend = synth.primary.backend.as_ref();

    let mut manifest = make_manifest(settings, &synth, &source, &article, &plan, &outcome);
    if outcome.failures.is_empty() {
        let cta = match &settings.publish.call_to_action {
            Some(text) => {
                let mut samples =
                    crate::build::call_to_action::speak(text, &synth, &plan_settings, settings.sample_rate)
                        .map_err(BuildError::CallToAction)?;
                let leveled = match &settings.loudness {
                    Some(leveler) => leveler.level(&mut samples, settings.sample_rate),
                    None => Leveled::unchanged(&samples),
                };
                let mut meter = crate::loudness::FileMeter::new(settings.sample_rate);
                meter.add(&samples);
                meter.note_true_peak(leveled.true_peak_dbtp);
                let pcm = samples.iter().map(|&s| crate::audio::chapter_file::to_i16(s)).collect::<Vec<i16>>();
                Some((text.as_str(), pcm, meter.finish()))
            }
            None => None,
        };
        let feed_dir = settings.publish.feed_dir.clone().unwrap_or_else(|| match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        });
        let stem = settings.article.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let publication = crate::publish::build::Publication {
            out,
            rate: settings.sample_rate,
            settings: &settings.publish,
            call_to_action: cta.as_ref().map(|(t, s, _)| (*t, s.as_slice())),
            chapter_loudness: outcome.chapters.iter().map(|c| c.loudness.as_ref()).collect(),
            call_to_action_loudness: cta.as_ref().map(|(_, _, l)| l),
            feed_dir: &feed_dir,
            article_stem: &stem,
        };
        let notes = crate::publish::build::publish(&mut manifest, &publication).map_err(BuildError::Publish)?;
        if settings.progress != progress::Mode::Quiet {
            for note in notes {
                eprintln!("note: {note}");
            }
        }
        remove_stale_files(out, &manifest);
        let files = crate::build::uptodate::stamp_files(out)
            .map_err(|source| BuildError::Output { path: out.clone(), source })?;
        manifest.build = Some(crate::build::uptodate::Stamp { fingerprint, files });
    }
    let manifest_path = out.join("manifest.json");
    crate::outdir::atomic::write_atomic(&manifest_path, manifest.to_json().as_bytes())
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
    Ok(BuildSummary {
        up_to_date: false,
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

/// The settings that shape the output files, written out for the build's fingerprint.
fn output_settings(s: &BuildSettings) -> String {
    format!(
        "article={:?} encoding={:?} voice={:?} engine={:?} rate={} loudness={:?} publish={:?}",
        s.article.file_name(),
        s.encoding,
        s.voice,
        s.engine,
        s.sample_rate,
        s.loudness,
        s.publish,
    )
}

fn first_words(text: &str) -> String {
    let mut s: String = text.chars().take(24).collect();
    if text.chars().count() > 24 {
        s.push('…');
    }
    s
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
    let window = WorkWindow::new(flat.len(), jobs * 4);
    let (tx, rx) = mpsc::channel::<(usize, Result<Spoken, SpeakError>)>();

    let result = std::thread::scope(|scope| {
        for _ in 0..jobs {
            let tx = tx.clone();
            let (flat, window) = (&flat, &window);
            scope.spawn(move || {
                while let Some(i) = window.take() {
                    let utterance = flat[i].1;
                    let audio = if utterance.spoken {
                        synth.speak(utterance).map(|spoken| level(spoken, settings))
                    } else {
                        Ok(Spoken {
                            samples: Vec::new(),
                            source: Source::Synthesized,
                            key: String::new(),
                            leveled: None,
                        })
                    };
                    if audio.as_ref().is_err_and(|e| e.fatal) {
                        // Every other request would fail the same way: start no more.
                        window.stop();
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
                    window.stop();
                    return Err(e);
                }
                next += 1;
                window.written(next);
            }
        }
        Ok(writer.finish(&flat[next..]))
    });
    progress.finish();
    result
}

/// Brings an utterance to the build's loudness target (in the synthesis workers, so it runs in
/// parallel); with `--no-loudness` only its true peak is measured.
fn level(mut spoken: Spoken, settings: &BuildSettings) -> Spoken {
    spoken.leveled = Some(match &settings.loudness {
        Some(leveler) => leveler.level(&mut spoken.samples, settings.sample_rate),
        None => Leveled::unchanged(&spoken.samples),
    });
    spoken
}

/// Removes the files of an earlier build of this article that this build did not write:
/// chapters the plan no longer has, the other format's audio, their transcripts.
fn remove_stale_files(out: &Path, manifest: &manifest::Manifest) {
    let mut keep: std::collections::HashSet<String> = std::collections::HashSet::new();
    for c in &manifest.chapters {
        if let Some(file) = &c.file {
            let stem = file.rsplit_once('.').map_or(file.as_str(), |(s, _)| s);
            keep.extend([file.clone(), format!("{stem}.vtt"), format!("{stem}.srt")]);
        }
    }
    for e in &manifest.episodes {
        keep.insert(e.file.clone());
        keep.extend(e.companions.iter().cloned());
    }
    let Ok(entries) = std::fs::read_dir(out) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((stem, ext)) = name.rsplit_once('.') else { continue };
        let stem = stem.strip_suffix(".chapters").unwrap_or(stem);
        let chapter = stem.len() > 3
            && stem.as_bytes()[..2].iter().all(u8::is_ascii_digit)
            && ["-opening", "-free", "-paid"].iter().any(|k| stem[2..].starts_with(k));
        let episode = stem == crate::publish::track::EPISODE_FREE || stem == crate::publish::track::EPISODE_FULL;
        let ours = ["wav", "mp3", "vtt", "srt", "json"].contains(&ext);
        if (chapter || episode) && ours && !keep.contains(&name) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
