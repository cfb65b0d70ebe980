//! Measuring written files, and any run of them played one after another (an episode).
//!
//! A [`FileMeter`] is fed the samples of one file as they are written. What it keeps is the
//! energy of each gating block above the absolute gate — 4 bytes per 100 ms of sound, 4.3 MB
//! for 30 hours — so the integrated loudness of files joined is computed exactly as BS.1770
//! gates one programme ([`integrated_lufs`]); only the few blocks that would straddle the joins
//! are missing, a difference of hundredths of a LU.

use super::gating::{BlockMeter, gated_loudness};

/// Measures one file from its samples.
pub struct FileMeter {
    blocks: BlockMeter,
    /// The highest true peak noted, linear.
    peak: f64,
}

/// The loudness of one written file, kept to be combined with others.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileLoudness {
    /// Energies of the gating blocks above the absolute gate, in order.
    blocks: Vec<f32>,
    /// The highest true peak of the file, linear (0 for silence).
    peak: f64,
}

impl FileMeter {
    /// A meter for mono audio at `rate` Hz (at least 8 kHz).
    pub fn new(rate: u32) -> FileMeter {
        FileMeter { blocks: BlockMeter::new(rate), peak: 0.0 }
    }

    /// Feeds the next samples of the file.
    pub fn add(&mut self, samples: &[f32]) {
        self.blocks.add(samples);
    }

    /// Feeds `n` samples of silence (a pause).
    pub fn add_silence(&mut self, n: usize) {
        self.blocks.add_silence(n);
    }

    /// Notes the true peak (dBTP) of samples fed: the file's true peak is the highest noted.
    /// (Pauses are silence, so the highest of its utterances' true peaks is the file's.)
    pub fn note_true_peak(&mut self, dbtp: f64) {
        let linear = super::db_to_gain(dbtp);
        if linear > self.peak {
            self.peak = linear;
        }
    }

    pub fn finish(self) -> FileLoudness {
        FileLoudness { blocks: self.blocks.into_blocks(), peak: self.peak }
    }
}

impl FileLoudness {
    /// Integrated loudness in LUFS; `None` when nothing is above the absolute gate.
    pub fn integrated_lufs(&self) -> Option<f64> {
        integrated_lufs(&[self])
    }

    /// True peak in dBTP; `None` for silence.
    pub fn true_peak_dbtp(&self) -> Option<f64> {
        true_peak_dbtp(&[self])
    }

    /// Gating blocks kept (4 bytes each).
    pub fn blocks(&self) -> usize {
        self.blocks.len()
    }
}

/// Integrated loudness of `files` played one after another, in LUFS (BS.1770 gating over all
/// their blocks together); `None` when nothing is above the absolute gate.
pub fn integrated_lufs(files: &[&FileLoudness]) -> Option<f64> {
    let parts: Vec<&[f32]> = files.iter().map(|f| f.blocks.as_slice()).collect();
    gated_loudness(&parts)
}

/// The highest true peak among `files`, in dBTP; `None` when all are silent.
pub fn true_peak_dbtp(files: &[&FileLoudness]) -> Option<f64> {
    let peak = files.iter().map(|f| f.peak).fold(0.0, f64::max);
    (peak > 0.0).then(|| super::gain_to_db(peak))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loudness::testsignal::{babble, ebur128_lufs, sine};

    const RATE: u32 = 44_100;

    fn measured(parts: &[&[f32]]) -> FileLoudness {
        let mut meter = FileMeter::new(RATE);
        for p in parts {
            meter.add(p);
        }
        meter.finish()
    }

    #[test]
    fn a_file_measures_as_ebur128_measures_it() {
        let tone = sine(1000.0, RATE, RATE as usize * 3, 0.1);
        let l = measured(&[&tone]).integrated_lufs().unwrap();
        assert!((l - -23.01).abs() < 0.02, "{l}");

        // Speech-like audio with a quiet stretch, fed in odd-sized pieces.
        let mut x = babble(RATE, RATE as usize * 6, 0.5);
        x.extend(babble(RATE, RATE as usize * 3, 0.02));
        let pieces: Vec<&[f32]> = x.chunks(1_234).collect();
        let ours = measured(&pieces).integrated_lufs().unwrap();
        let theirs = ebur128_lufs(&x, RATE);
        assert!((ours - theirs).abs() < 0.005, "ours {ours}, ebur128 {theirs}");
    }

    #[test]
    fn files_joined_measure_as_one() {
        let loud = babble(RATE, RATE as usize * 8, 0.6);
        let quiet = babble(RATE, RATE as usize * 4, 0.15);
        let a = measured(&[&loud]);
        let b = measured(&[&quiet]);
        let joined: Vec<f32> = loud.iter().chain(&quiet).copied().collect();
        let ours = integrated_lufs(&[&a, &b]).unwrap();
        let theirs = ebur128_lufs(&joined, RATE);
        assert!((ours - theirs).abs() < 0.05, "ours {ours}, ebur128 of the joined audio {theirs}");
        assert!(ours < a.integrated_lufs().unwrap() && ours > b.integrated_lufs().unwrap());
        // 12 s of sound: about 10 blocks a second are kept.
        assert!((110..=120).contains(&(a.blocks() + b.blocks())), "{}", a.blocks() + b.blocks());
    }

    #[test]
    fn true_peaks_and_silence() {
        let mut meter = FileMeter::new(RATE);
        meter.add_silence(RATE as usize);
        meter.note_true_peak(-7.5);
        meter.note_true_peak(-2.25);
        meter.note_true_peak(f64::NEG_INFINITY);
        let file = meter.finish();
        assert_eq!(file.integrated_lufs(), None);
        assert_eq!(file.blocks(), 0);
        assert!((file.true_peak_dbtp().unwrap() - -2.25).abs() < 1e-9);
        assert_eq!(FileMeter::new(RATE).finish().true_peak_dbtp(), None);
        assert_eq!(integrated_lufs(&[]), None);
    }
}
