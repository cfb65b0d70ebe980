//! Measuring written files, and any run of them played one after another (an episode).
//!
//! A [`FileMeter`] is fed the samples of one file as they are written. What it keeps is the
//! energy of each BS.1770 gating block (400 ms, every 100 ms) above the -70 LUFS absolute
//! gate — 4 bytes per 100 ms of sound, 4.3 MB for 30 hours — rather than the ebur128 state
//! itself (about 140 kB of buffers each). From the blocks of several files the integrated
//! loudness of the files joined is computed exactly as BS.1770 gates it ([`integrated_lufs`]);
//! only the few blocks that would straddle the joins are missing, a difference of hundredths
//! of a LU.

use ebur128::{EbuR128, Mode};

/// The absolute gate of BS.1770, in LUFS.
const ABSOLUTE_GATE_LUFS: f64 = -70.0;
/// The relative gate, in LU below the mean of the blocks above the absolute gate.
const RELATIVE_GATE_LU: f64 = -10.0;
/// BS.1770's offset between mean square and LUFS.
const OFFSET: f64 = -0.691;

/// Measures one file from its samples.
pub struct FileMeter {
    state: EbuR128,
    /// Samples per 100 ms, as ebur128 counts them.
    hop: usize,
    /// Samples still to come before the next gating block ends.
    until_block: usize,
    blocks: Vec<f32>,
    /// The highest true peak noted, linear.
    peak: f64,
}

/// The loudness of one written file, kept to be combined with others.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileLoudness {
    /// Mean square energies of the gating blocks above the absolute gate, in order.
    blocks: Vec<f32>,
    /// The highest true peak of the file, linear (0 for silence).
    peak: f64,
}

static ZEROS: [f32; 4096] = [0.0; 4096];

impl FileMeter {
    /// A meter for mono audio at `rate` Hz (8 kHz to 192 kHz).
    pub fn new(rate: u32) -> FileMeter {
        // Mode::M keeps the 400 ms window that momentary loudness — one gating block's
        // energy — is read from; the block history is kept here instead of in ebur128.
        let state = EbuR128::new(1, rate, Mode::M).expect("a mono meter at an output rate the settings accepted");
        let hop = (rate as usize + 5) / 10;
        FileMeter { state, hop, until_block: 4 * hop, blocks: Vec::new(), peak: 0.0 }
    }

    /// Feeds the next samples of the file.
    pub fn add(&mut self, mut samples: &[f32]) {
        while !samples.is_empty() {
            let take = samples.len().min(self.until_block);
            self.state.add_frames_f32(&samples[..take]).expect("mono frames");
            samples = &samples[take..];
            self.until_block -= take;
            if self.until_block == 0 {
                self.end_block();
                self.until_block = self.hop;
            }
        }
    }

    /// Feeds `n` samples of silence (a pause).
    pub fn add_silence(&mut self, mut n: usize) {
        // Once 500 ms of silence have gone in, the 400 ms window holds only (decayed) zeros and
        // every further block falls under the absolute gate, which keeps nothing: whole
        // 100 ms hops past that point are skipped, keeping the block grid.
        let settle = 5 * self.hop;
        if n > settle + self.hop {
            n -= (n - settle) / self.hop * self.hop;
        }
        while n > 0 {
            let take = n.min(ZEROS.len());
            self.add(&ZEROS[..take]);
            n -= take;
        }
    }

    /// Notes the true peak (dBTP) of samples fed: the file's true peak is the highest noted.
    pub fn note_true_peak(&mut self, dbtp: f64) {
        let linear = super::db_to_gain(dbtp);
        if linear > self.peak {
            self.peak = linear;
        }
    }

    fn end_block(&mut self) {
        let loudness = self.state.loudness_momentary().expect("Mode::M has momentary loudness");
        if loudness >= ABSOLUTE_GATE_LUFS {
            self.blocks.push(lufs_to_energy(loudness) as f32);
        }
    }

    pub fn finish(mut self) -> FileLoudness {
        self.blocks.shrink_to_fit();
        FileLoudness { blocks: self.blocks, peak: self.peak }
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

    /// Gating blocks kept (for memory accounting).
    pub fn blocks(&self) -> usize {
        self.blocks.len()
    }
}

/// Integrated loudness of `files` played one after another, in LUFS (BS.1770 gating over all
/// their blocks together); `None` when nothing is above the absolute gate.
pub fn integrated_lufs(files: &[&FileLoudness]) -> Option<f64> {
    let blocks = || files.iter().flat_map(|f| f.blocks.iter().map(|&e| f64::from(e)));
    let count = files.iter().map(|f| f.blocks.len()).sum::<usize>();
    if count == 0 {
        return None;
    }
    let mean = blocks().sum::<f64>() / count as f64;
    let threshold = mean * 10f64.powf(RELATIVE_GATE_LU / 10.0);
    let (sum, n) = blocks().filter(|&e| e >= threshold).fold((0.0, 0usize), |(s, n), e| (s + e, n + 1));
    (n > 0).then(|| energy_to_lufs(sum / n as f64))
}

/// The highest true peak among `files`, in dBTP; `None` when all are silent.
pub fn true_peak_dbtp(files: &[&FileLoudness]) -> Option<f64> {
    let peak = files.iter().map(|f| f.peak).fold(0.0, f64::max);
    (peak > 0.0).then(|| super::gain_to_db(peak))
}

fn lufs_to_energy(lufs: f64) -> f64 {
    10f64.powf((lufs - OFFSET) / 10.0)
}

fn energy_to_lufs(energy: f64) -> f64 {
    10.0 * energy.log10() + OFFSET
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
        assert!((ours - theirs).abs() < 0.001, "ours {ours}, ebur128 {theirs}");
    }

    #[test]
    fn pauses_count_as_silence() {
        let speech = babble(RATE, RATE as usize * 2, 0.5);
        let pause = 3 * RATE as usize + 17;
        let mut meter = FileMeter::new(RATE);
        let mut whole = Vec::new();
        for _ in 0..3 {
            meter.add(&speech);
            meter.add_silence(pause);
            whole.extend(&speech);
            whole.extend(std::iter::repeat_n(0.0, pause));
        }
        let ours = meter.finish().integrated_lufs().unwrap();
        let theirs = ebur128_lufs(&whole, RATE);
        assert!((ours - theirs).abs() < 0.001, "ours {ours}, ebur128 {theirs}");
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
