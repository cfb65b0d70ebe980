//! Writing chapters in reading order as utterances arrive, and the manifest of the result.

use crate::article::Article;
use crate::article::source;
use crate::audio::chapter_file::{ChapterWriter, Span};
use crate::build::{BuildError, BuildSettings};
use crate::loudness::{self, FileLoudness, FileMeter};
use crate::plan::{self, Plan};
use crate::publish::manifest::{self, Manifest};
use crate::synth::{Source, SpeakError, Spoken, Synthesizer};

/// What writing produced for one chapter.
pub struct ChapterOutcome {
    pub file: Option<String>,
    pub samples: u64,
    /// The file's measured loudness; `None` when it was not written. Episodes made of
    /// several chapters are measured from these: [`crate::loudness::integrated_lufs`].
    pub loudness: Option<FileLoudness>,
}

pub struct Failure {
    pub utterance: String,
    pub chapter: usize,
    pub line: usize,
    pub error: String,
}

pub struct Outcome {
    pub chapters: Vec<ChapterOutcome>,
    /// Per utterance, in reading order.
    pub records: Vec<Record>,
    pub failures: Vec<Failure>,
}

/// What became of one utterance.
#[derive(Default)]
pub struct Record {
    /// Its place in its chapter, when the chapter was written.
    pub span: Option<Span>,
    /// Where its audio came from; `None` when it has none.
    pub source: Option<Source>,
    pub key: String,
    /// The gain loudness leveling gave it, in dB.
    pub gain_db: Option<f64>,
}

/// Writes chapters in reading order as utterances arrive.
pub struct Writer<'a> {
    plan: &'a Plan,
    settings: &'a BuildSettings,
    current: Option<ChapterWriter>,
    /// Measures the chapter being written.
    meter: Option<FileMeter>,
    failed_chapter: bool,
    outcome: Outcome,
}

impl<'a> Writer<'a> {
    pub fn new(plan: &'a Plan, settings: &'a BuildSettings) -> Self {
        Writer {
            plan,
            settings,
            current: None,
            meter: None,
            failed_chapter: false,
            outcome: Outcome { chapters: Vec::new(), records: Vec::new(), failures: Vec::new() },
        }
    }

    pub fn accept(
        &mut self,
        chapter_index: usize,
        utterance: &plan::Utterance,
        audio: Result<Spoken, SpeakError>,
    ) -> Result<(), BuildError> {
        let _guard = crate::build::interrupt::output_guard();
        let chapter = &self.plan.chapters[chapter_index];
        let position = chapter.utterances.iter().position(|u| u.id == utterance.id).expect("utterance of its chapter");
        let out = &self.settings.out_dir;
        let output_error = |source| BuildError::Output { path: out.join(format!("{}.wav", chapter.stem)), source };
        if position == 0 {
            self.failed_chapter = false;
            let writer = ChapterWriter::create(out, &format!("{}.wav", chapter.stem), self.settings.sample_rate)
                .map_err(output_error)?;
            self.current = Some(writer);
            self.meter = Some(FileMeter::new(self.settings.sample_rate));
        }
        match audio {
            Ok(spoken) => {
                let span = match self.current.as_mut() {
                    Some(writer) => match writer.push(&spoken.samples, utterance.pause_after_ms) {
                        Ok(span) => {
                            if let Some(meter) = self.meter.as_mut() {
                                meter.add(&spoken.samples);
                                meter.add_silence((writer.len() - span.end) as usize);
                                if let Some(leveled) = &spoken.leveled {
                                    meter.note_true_peak(leveled.true_peak_dbtp);
                                }
                            }
                            Some(span)
                        }
                        Err(e) => {
                            // A full disk, say: leave no half-written file behind.
                            if let Some(writer) = self.current.take() {
                                writer.abandon();
                            }
                            return Err(output_error(e));
                        }
                    },
                    None => None,
                };
                let gain_db = spoken.leveled.filter(|_| self.settings.loudness.is_some()).map(|l| l.gain_db);
                self.outcome.records.push(Record { span, source: Some(spoken.source), key: spoken.key, gain_db });
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
                self.meter = None;
                self.failed_chapter = true;
            }
        }
        if position + 1 == chapter.utterances.len() {
            let outcome = match self.current.take() {
                Some(writer) => {
                    let samples = writer.len();
                    let path = writer.finish().map_err(output_error)?;
                    ChapterOutcome {
                        file: path.file_name().map(|n| n.to_string_lossy().into_owned()),
                        samples,
                        loudness: self.meter.take().map(FileMeter::finish),
                    }
                }
                None => ChapterOutcome { file: None, samples: 0, loudness: None },
            };
            self.outcome.chapters.push(outcome);
        }
        Ok(())
    }

    /// Ends writing; `unattempted` are the utterances never synthesized (after a fatal error).
    pub fn finish(mut self, unattempted: &[(usize, &plan::Utterance)]) -> Outcome {
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
            self.outcome.chapters.push(ChapterOutcome { file: None, samples: 0, loudness: None });
        }
        self.outcome
    }
}

pub fn make_manifest(
    settings: &BuildSettings,
    synth: &Synthesizer,
    source: &source::SourceText,
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
        audio: manifest::AudioInfo { format: "wav".into(), sample_rate: rate, channels: 1, bits_per_sample: 16 },
        loudness: match &settings.loudness {
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
