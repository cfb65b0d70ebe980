//! The manifest of a build, made here and nowhere else.
//!
//! In order, all in this file: [`record`] writes down what the chapter writer produced (the
//! publishing steps read it to make their tracks and never change it); [`complete`] adds,
//! once, what publishing wrote; [`Unstamped::stamp`] adds the up-to-date stamp, taken when
//! the folder holds only this build's files. A failed build completes its record with
//! nothing published and no stamp.

use std::collections::HashSet;

use crate::article::Article;
use crate::article::source;
use crate::build::chapters::Written;
use crate::loudness::{self, FileLoudness, Leveler};
use crate::outdir::names;
use crate::plan::Plan;
use crate::publish::manifest::{self, EpisodeEntry, Manifest, Stamp};
use crate::publish::settings::Format;
use crate::publish::transcript;
use crate::synth::{Source, Synthesizer};

/// Everything the manifest records about a build, gathered by the driver.
pub struct Facts<'a> {
    /// The article's file name (`<stdin>` for standard input).
    pub article_file: &'a str,
    pub source: &'a source::SourceText,
    pub article: &'a Article,
    pub plan: &'a Plan,
    pub synth: &'a Synthesizer,
    pub written: &'a Written,
    pub rate: u32,
    /// The loudness target; `None` with `--no-loudness`.
    pub loudness: Option<&'a Leveler>,
}

/// What publishing added to the chapters: the episodes, the format chapters and episodes
/// ended up in, and the chapters' files in that format (by manifest index). The default is
/// nothing published: WAV chapters as the writer left them.
#[derive(Default)]
pub struct Published {
    pub format: Format,
    pub episodes: Vec<EpisodeEntry>,
    pub chapter_files: Vec<(usize, String)>,
}

/// The record of what was written: WAV chapters, utterances, failures. The publishing steps make
/// their tracks from it; [`complete`] makes it the final manifest.
pub fn record(facts: &Facts) -> Manifest {
    let Facts { article_file, source, article, plan, synth, written: outcome, rate, loudness } = *facts;
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
                Some(Source::Repeated) => {
                    counts.repeated += 1;
                    ("repeated", None)
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
                say: (u.say != u.text).then(|| u.say.clone()),
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
                gain_db: record.gain_db.and_then(manifest::decibels),
            });
        }
        chapters.push(manifest::ChapterEntry {
            index: chapter.index,
            title: chapter.title.clone(),
            kind: chapter.kind,
            paid: chapter.paid,
            file: written.file.clone(),
            duration: manifest::seconds(written.samples, rate),
            loudness_lufs: written
                .loudness
                .as_ref()
                .and_then(FileLoudness::integrated_lufs)
                .and_then(manifest::decibels),
            true_peak_dbtp: written
                .loudness
                .as_ref()
                .and_then(FileLoudness::true_peak_dbtp)
                .and_then(manifest::decibels),
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
            file: article_file.to_string(),
            title: article.title.clone(),
            encoding: source.encoding.to_string(),
            author: article.author.clone(),
            language: article.language.clone(),
        },
        voice: manifest::VoiceInfo {
            preset: preset.name.clone(),
            backend: backend.kind().to_string(),
            engine: backend.engine(),
            voice: preset.voice.clone(),
            language: preset.language.clone(),
        },
        audio: manifest::AudioInfo {
            format: Format::Wav.extension().into(),
            sample_rate: rate,
            channels: 1,
            bits_per_sample: 16,
        },
        loudness: match loudness {
            Some(leveler) => manifest::LoudnessInfo {
                target_lufs: Some(leveler.target_lufs),
                ceiling_dbtp: Some(leveler.ceiling_dbtp),
                policy: loudness::POLICY.into(),
            },
            None => {
                manifest::LoudnessInfo { target_lufs: None, ceiling_dbtp: None, policy: loudness::POLICY_OFF.into() }
            }
        },
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
        episodes: Vec::new(),
        build: None,
    }
}

/// The record with what publishing added: the chapters' final file names, the format, the
/// episodes. Only the stamp is missing, which needs the folder as it will stay.
pub fn complete(record: Manifest, published: Published) -> Unstamped {
    let mut manifest = record;
    for (index, file) in published.chapter_files {
        manifest.chapters[index].file = Some(file);
    }
    manifest.audio.format = published.format.extension().into();
    Unstamped(Manifest { episodes: published.episodes, ..manifest })
}

/// A manifest complete but for its stamp.
pub struct Unstamped(Manifest);

impl Unstamped {
    /// The files the build wrote (the rest of the build's kind in the folder is stale).
    pub fn files(&self) -> HashSet<String> {
        written_files(&self.0)
    }

    /// The final manifest; `stamp` is `None` after a failed build.
    pub fn stamp(self, stamp: Option<Stamp>) -> Manifest {
        Manifest { build: stamp, ..self.0 }
    }
}

/// The names of the files a build wrote: chapters with their transcripts, episodes with
/// their companions.
fn written_files(manifest: &Manifest) -> HashSet<String> {
    let mut files = HashSet::new();
    for file in manifest.chapters.iter().filter_map(|c| c.file.as_ref()) {
        files.insert(file.clone());
        files.extend(transcript::file_names(names::stem_of(file)));
    }
    for e in &manifest.episodes {
        files.insert(e.file.clone());
        files.extend(e.companions.iter().cloned());
    }
    files
}
