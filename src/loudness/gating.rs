//! BS.1770 gating: the K-weighted mean square of 400 ms blocks every 100 ms; blocks below
//! the absolute gate (-70 LUFS) are dropped, then blocks more than 10 LU below the mean of the
//! rest; the integrated loudness is the mean of what remains.
//!
//! A [`BlockMeter`] keeps only the energies of the blocks above the absolute gate (4 bytes per
//! 100 ms of sound), so the blocks of several files can be gated together afterwards, as one
//! programme ([`gated_loudness`]).

use super::kweight::KWeighting;

/// The absolute gate, in LUFS.
const ABSOLUTE_GATE_LUFS: f64 = -70.0;
/// The relative gate, in LU below the mean of the blocks above the absolute gate.
const RELATIVE_GATE_LU: f64 = -10.0;
/// BS.1770's offset between mean square and LUFS.
const OFFSET: f64 = -0.691;
/// Hops (100 ms) per block (400 ms).
const HOPS: usize = 4;

/// Gating blocks from a stream of mono samples.
#[derive(Debug, Clone)]
pub struct BlockMeter {
    filter: KWeighting,
    /// Samples per 100 ms.
    hop: usize,
    /// Samples in the current hop so far, and their sum of squares.
    in_hop: usize,
    sum: f64,
    /// Sums of squares of the last hops (a ring), and how many are filled.
    hops: [f64; HOPS],
    next: usize,
    filled: usize,
    gate: f64,
    blocks: Vec<f32>,
}

impl BlockMeter {
    /// A meter for mono audio at `rate` Hz (at least 8 kHz).
    pub fn new(rate: u32) -> BlockMeter {
        BlockMeter {
            filter: KWeighting::new(rate),
            hop: ((rate as usize + 5) / 10).max(1),
            in_hop: 0,
            sum: 0.0,
            hops: [0.0; HOPS],
            next: 0,
            filled: 0,
            gate: lufs_to_energy(ABSOLUTE_GATE_LUFS),
            blocks: Vec::new(),
        }
    }

    pub fn add(&mut self, mut samples: &[f32]) {
        while !samples.is_empty() {
            let take = samples.len().min(self.hop - self.in_hop);
            self.sum += self.filter.square_sum(&samples[..take]);
            self.in_hop += take;
            samples = &samples[take..];
            if self.in_hop == self.hop {
                self.end_hop();
            }
        }
    }

    /// Adds `n` samples of silence.
    pub fn add_silence(&mut self, mut n: usize) {
        static ZEROS: [f32; 4096] = [0.0; 4096];
        // Once 500 ms of silence have gone in, the 400 ms window holds only (decayed) zeros and
        // every further block falls under the absolute gate, which keeps nothing: whole hops
        // past that point are skipped, keeping the block grid.
        let settle = (HOPS + 1) * self.hop;
        if n > settle + self.hop {
            n -= (n - settle) / self.hop * self.hop;
        }
        while n > 0 {
            let take = n.min(ZEROS.len());
            self.add(&ZEROS[..take]);
            n -= take;
        }
    }

    fn end_hop(&mut self) {
        self.hops[self.next] = self.sum;
        self.next = (self.next + 1) % HOPS;
        self.filled = (self.filled + 1).min(HOPS);
        self.sum = 0.0;
        self.in_hop = 0;
        if self.filled == HOPS {
            let energy = self.hops.iter().sum::<f64>() / (HOPS * self.hop) as f64;
            if energy >= self.gate {
                self.blocks.push(energy as f32);
            }
        }
    }

    /// Energies of the blocks above the absolute gate so far.
    pub fn blocks(&self) -> &[f32] {
        &self.blocks
    }

    pub fn into_blocks(mut self) -> Vec<f32> {
        self.blocks.shrink_to_fit();
        self.blocks
    }
}

/// Integrated loudness of block energies (all above the absolute gate) gated together, in
/// LUFS; `None` when there are none.
pub fn gated_loudness(parts: &[&[f32]]) -> Option<f64> {
    let blocks = || parts.iter().flat_map(|p| p.iter().map(|&e| f64::from(e)));
    let count = parts.iter().map(|p| p.len()).sum::<usize>();
    if count == 0 {
        return None;
    }
    let mean = blocks().sum::<f64>() / count as f64;
    let threshold = mean * 10f64.powf(RELATIVE_GATE_LU / 10.0);
    let (sum, n) = blocks().filter(|&e| e >= threshold).fold((0.0, 0usize), |(s, n), e| (s + e, n + 1));
    (n > 0).then(|| energy_to_lufs(sum / n as f64))
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

    fn loudness(x: &[f32], rate: u32) -> f64 {
        let mut m = BlockMeter::new(rate);
        m.add(x);
        gated_loudness(&[m.blocks()]).unwrap()
    }

    #[test]
    fn sines_read_as_bs1770_says_at_every_rate() {
        // A 0 dBFS 997 Hz sine in one channel reads -3.01 LKFS (K-weighting is ~0 dB there).
        for rate in [8_000, 16_000, 22_050, 24_000, 44_100, 48_000, 96_000] {
            let l = loudness(&sine(997.0, rate, rate as usize * 3, 1.0), rate);
            assert!((l - -3.01).abs() < 0.05, "{rate} Hz: {l}");
        }
    }

    #[test]
    fn speech_like_audio_reads_as_ebur128_reads_it() {
        for rate in [16_000, 24_000, 44_100, 48_000] {
            let mut x = babble(rate, rate as usize * 5, 0.5);
            x.extend(babble(rate, rate as usize * 3, 0.02));
            x.extend(sine(60.0, rate, rate as usize * 2, 0.3));
            x.extend(sine(9_000.0f64.min(f64::from(rate) / 2.5), rate, rate as usize * 2, 0.1));
            let ours = loudness(&x, rate);
            let theirs = ebur128_lufs(&x, rate);
            assert!((ours - theirs).abs() < 0.005, "{rate} Hz: ours {ours}, ebur128 {theirs}");
        }
    }

    #[test]
    fn silence_skipped_in_hops_changes_nothing() {
        let speech = babble(44_100, 44_100 * 2, 0.5);
        let pause = 3 * 44_100 + 17;
        let mut meter = BlockMeter::new(44_100);
        let mut whole = Vec::new();
        for _ in 0..3 {
            meter.add(&speech);
            meter.add_silence(pause);
            whole.extend(&speech);
            whole.extend(std::iter::repeat_n(0.0, pause));
        }
        let ours = gated_loudness(&[meter.blocks()]).unwrap();
        let theirs = ebur128_lufs(&whole, 44_100);
        assert!((ours - theirs).abs() < 0.005, "ours {ours}, ebur128 {theirs}");
    }

    #[test]
    fn nothing_above_the_gate_has_no_loudness() {
        let mut m = BlockMeter::new(44_100);
        m.add_silence(44_100 * 10);
        m.add(&sine(1000.0, 44_100, 44_100, 3e-5));
        assert!(m.blocks().is_empty());
        assert_eq!(gated_loudness(&[m.blocks()]), None);
        assert_eq!(gated_loudness(&[]), None);
    }
}
