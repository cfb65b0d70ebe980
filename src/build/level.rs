//! Leveling and metering audio before it is written: one way for chapter utterances and the
//! call to action alike, so both reach the same loudness target and their files are measured
//! the same way.

use crate::loudness::{FileMeter, Leveled, Leveler};

/// Brings `samples` to the build's loudness target; with `--no-loudness` (`None`) only their
/// true peak is measured.
pub fn level(samples: &mut [f32], loudness: Option<&Leveler>, rate: u32) -> Leveled {
    match loudness {
        Some(leveler) => leveler.level(samples, rate),
        None => Leveled::unchanged(samples),
    }
}

/// Feeds a file's meter with leveled audio followed by `silence` samples of pause.
pub fn measure(meter: &mut FileMeter, samples: &[f32], silence: usize, leveled: Option<&Leveled>) {
    meter.add(samples);
    meter.add_silence(silence);
    if let Some(leveled) = leveled {
        meter.note_true_peak(leveled.true_peak_dbtp);
    }
}
