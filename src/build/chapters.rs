//! Writing chapters in reading order as utterances arrive (they are synthesized out of
//! order, in parallel), and the record of what became of each utterance.
//!
//! A chapter is written only whole: an utterance that failed abandons its chapter's file, and
//! every step that creates, writes or renames a chapter file holds the interrupt's output
//! guard, so Ctrl-C never leaves half a chapter behind.

use std::path::{Path, PathBuf};

use crate::audio::chapter_file::{ChapterWriter, Span};
use crate::build::interrupt::output_guard;
use crate::build::level;
use crate::build::settings::BuildError;
use crate::loudness::{FileLoudness, FileMeter};
use crate::outdir::names;
use crate::plan::{self, Plan};
use crate::synth::{Source, SpeakError, Spoken};

/// What writing produced for one chapter.
pub struct WrittenChapter {
    pub file: Option<String>,
    pub samples: u64,
    /// The file's measured loudness; `None` when it was not written. Episodes made of
    /// several chapters are measured from these: [`crate::loudness::integrated_lufs`].
    pub loudness: Option<FileLoudness>,
}

/// An utterance that has no audio, so its chapter was not written.
pub struct UtteranceFailure {
    pub utterance: String,
    pub chapter: usize,
    pub line: usize,
    pub error: String,
}

/// What writing produced: every chapter and every utterance of the plan, in order.
pub struct Written {
    pub chapters: Vec<WrittenChapter>,
    /// Per utterance, in reading order.
    pub records: Vec<UtteranceRecord>,
    pub failures: Vec<UtteranceFailure>,
}

/// What became of one utterance.
#[derive(Default)]
pub struct UtteranceRecord {
    /// Its place in its chapter, when the chapter was written.
    pub span: Option<Span>,
    /// Where its audio came from; `None` when it has none.
    pub source: Option<Source>,
    pub key: String,
    /// The gain loudness leveling gave it, in dB.
    pub gain_db: Option<f64>,
}

/// Writes chapters in reading order as utterances arrive.
pub struct InOrderWriter<'a> {
    plan: &'a Plan,
    out: &'a Path,
    rate: u32,
    /// Whether utterances were leveled (else their gain is not recorded).
    leveling: bool,
    current: Option<ChapterWriter>,
    /// Measures the chapter being written.
    meter: Option<FileMeter>,
    failed_chapter: bool,
    written: Written,
}

impl<'a> InOrderWriter<'a> {
    /// Writes the chapters of `plan` into `out` at `rate` samples a second.
    pub fn new(plan: &'a Plan, out: &'a Path, rate: u32, leveling: bool) -> Self {
        InOrderWriter {
            plan,
            out,
            rate,
            leveling,
            current: None,
            meter: None,
            failed_chapter: false,
            written: Written { chapters: Vec::new(), records: Vec::new(), failures: Vec::new() },
        }
    }

    /// Takes the next utterance in reading order: its audio, or why it has none.
    pub fn accept(
        &mut self,
        chapter_index: usize,
        utterance: &plan::Utterance,
        audio: Result<Spoken, SpeakError>,
    ) -> Result<(), BuildError> {
        let _guard = output_guard();
        let chapter = &self.plan.chapters[chapter_index];
        let position = chapter.utterances.iter().position(|u| u.id == utterance.id).expect("utterance of its chapter");
        let file_name = names::audio(&chapter.stem, "wav");
        let path: PathBuf = self.out.join(&file_name);
        let output_error = |source| BuildError::Output { path: path.clone(), source };
        if position == 0 {
            self.failed_chapter = false;
            let writer = ChapterWriter::create(self.out, &file_name, self.rate).map_err(output_error)?;
            self.current = Some(writer);
            self.meter = Some(FileMeter::new(self.rate));
        }
        match audio {
            Ok(spoken) => {
                let span = match self.current.as_mut() {
                    Some(writer) => match writer.push(&spoken.samples, utterance.pause_after_ms) {
                        Ok(span) => {
                            if let Some(meter) = self.meter.as_mut() {
                                let pause = (writer.len() - span.end) as usize;
                                level::measure(meter, &spoken.samples, pause, spoken.leveled.as_ref());
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
                let gain_db = spoken.leveled.filter(|_| self.leveling).map(|l| l.gain_db);
                self.written.records.push(UtteranceRecord {
                    span,
                    source: Some(spoken.source),
                    key: spoken.key,
                    gain_db,
                });
            }
            Err(error) => {
                self.written.records.push(UtteranceRecord::default());
                self.written.failures.push(UtteranceFailure {
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
            let written = match self.current.take() {
                Some(writer) => {
                    let samples = writer.len();
                    let path = writer.finish().map_err(output_error)?;
                    WrittenChapter {
                        file: path.file_name().map(|n| n.to_string_lossy().into_owned()),
                        samples,
                        loudness: self.meter.take().map(FileMeter::finish),
                    }
                }
                None => WrittenChapter { file: None, samples: 0, loudness: None },
            };
            self.written.chapters.push(written);
        }
        Ok(())
    }

    /// Ends writing; `unattempted` are the utterances never synthesized (after a fatal error).
    pub fn finish(mut self, unattempted: &[(usize, &plan::Utterance)]) -> Written {
        if let Some(writer) = self.current.take() {
            writer.abandon();
        }
        for (chapter, utterance) in unattempted {
            self.written.records.push(UtteranceRecord::default());
            self.written.failures.push(UtteranceFailure {
                utterance: utterance.id.clone(),
                chapter: *chapter,
                line: utterance.line,
                error: "not attempted: the build stopped at an earlier error".into(),
            });
        }
        while self.written.chapters.len() < self.plan.chapters.len() {
            self.written.chapters.push(WrittenChapter { file: None, samples: 0, loudness: None });
        }
        self.written
    }
}
