//! Synthesizing and writing the chapters: utterances are synthesized in parallel within a
//! bounded window ahead of the writer, leveled in the workers, and handed to the writer in
//! reading order.

use std::collections::BTreeMap;
use std::sync::mpsc;

use crate::build::chapters::{InOrderWriter, Written};
use crate::build::level;
use crate::build::progress::Progress;
use crate::build::settings::{BuildError, BuildSettings};
use crate::build::window::WorkWindow;
use crate::plan::{self, Plan};
use crate::synth::{Source, SpeakError, Spoken, Synthesizer};

/// Utterances at once: `--jobs`, else the voice's concurrency, else one per core.
pub fn jobs(settings: &BuildSettings, concurrency: Option<usize>) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    settings.jobs.or(concurrency.filter(|&c| c > 0)).unwrap_or(cores).max(1)
}

/// Synthesizes every utterance of `plan` (`jobs` at a time) and writes the chapters into
/// the output folder in reading order.
pub fn synthesize_and_write(
    plan: &Plan,
    synth: &Synthesizer,
    settings: &BuildSettings,
    jobs: usize,
) -> Result<Written, BuildError> {
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
        let mut writer = InOrderWriter::new(plan, &settings.out_dir, settings.sample_rate, settings.loudness.is_some());
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
    spoken.leveled = Some(level::level(&mut spoken.samples, settings.loudness.as_ref(), settings.sample_rate));
    spoken
}
