//! True peaks: the peaks of the signal between its samples, as a DAC or an MP3 decoder
//! rebuilds it. ITU-R BS.1770 (Annex 2) measures them on the signal oversampled 4x; so does
//! this, but only where it can matter.

/// Taps on each side of an interpolated point.
const HALF: usize = 8;
const TAPS: usize = 2 * HALF;
/// Samples tested together for being hot.
const CHUNK: usize = 32;

/// Samples within this factor (-4 dB) of a level are "hot", and only around hot samples are
/// values between samples computed. Inter-sample peaks of real audio exceed their neighbouring
/// samples by a few dB at most (3 dB for a sine at a quarter of the sampling rate sampled at
/// its worst phase, the classic case); a peak above a level next to samples that are all more
/// than 4 dB below it takes contrived content near the Nyquist frequency. So the cost per
/// sample is one comparison, and oversampling runs on the few samples near the top.
pub const HOT: f32 = 0.630_957_3;

/// A 4x polyphase interpolator: a Blackman-windowed sinc, 16 taps per phase, each phase
/// normalised to unity gain at DC.
#[derive(Debug, Clone)]
pub struct Interpolator {
    phases: [[f32; TAPS]; 3],
}

impl Default for Interpolator {
    fn default() -> Self {
        Self::new()
    }
}

impl Interpolator {
    pub fn new() -> Interpolator {
        let mut phases = [[0f32; TAPS]; 3];
        for (p, taps) in phases.iter_mut().enumerate() {
            let frac = (p + 1) as f64 / 4.0;
            // Tap j weighs sample i + j - (HALF - 1); the point sits at i + frac.
            let coefs: Vec<f64> = (0..TAPS)
                .map(|j| {
                    let t = frac - (j as f64 - (HALF as f64 - 1.0));
                    sinc(t) * blackman(t / HALF as f64)
                })
                .collect();
            let sum: f64 = coefs.iter().sum();
            for (tap, c) in taps.iter_mut().zip(coefs) {
                *tap = (c / sum) as f32;
            }
        }
        Interpolator { phases }
    }

    /// The largest magnitude among the three points between `x[i]` and `x[i + 1]`; `i` runs
    /// from -1 to `x.len() - 1`, samples outside `x` count as zeros (the silence around an
    /// utterance in its chapter).
    pub fn between(&self, x: &[f32], i: isize) -> f32 {
        let first = i - (HALF as isize - 1);
        let mut window = [0f32; TAPS];
        if first >= 0 && first as usize + TAPS <= x.len() {
            window.copy_from_slice(&x[first as usize..first as usize + TAPS]);
        } else {
            for (k, w) in window.iter_mut().enumerate() {
                let at = first + k as isize;
                if at >= 0 && (at as usize) < x.len() {
                    *w = x[at as usize];
                }
            }
        }
        let mut peak = 0f32;
        for taps in &self.phases {
            // Two halves summed lane by lane, so that it vectorises.
            let mut lanes = [0f32; HALF];
            for (k, lane) in lanes.iter_mut().enumerate() {
                *lane = taps[k] * window[k] + taps[k + HALF] * window[k + HALF];
            }
            peak = peak.max(lanes.iter().sum::<f32>().abs());
        }
        peak
    }

    /// Calls `found(i, peak)` for every sample `i` with `|x[i]| >= threshold`, where `peak` is
    /// the true peak next to it: `|x[i]|` and the points on both sides.
    pub fn hot_peaks(&self, x: &[f32], threshold: f32, mut found: impl FnMut(usize, f32)) {
        // The points between i and i+1 serve samples i and i+1 both: remember the last.
        let mut last: Option<(isize, f32)> = None;
        // Most of the signal is far below the threshold: skip it a chunk at a time, with a
        // test the compiler vectorises.
        for (c, chunk) in x.chunks(CHUNK).enumerate() {
            if !chunk.iter().fold(false, |any, s| any | (s.abs() >= threshold)) {
                continue;
            }
            for (k, &s) in chunk.iter().enumerate() {
                if s.abs() < threshold {
                    continue;
                }
                let i = (c * CHUNK + k) as isize;
                let before = match last {
                    Some((at, p)) if at == i - 1 => p,
                    _ => self.between(x, i - 1),
                };
                let after = self.between(x, i);
                last = Some((i, after));
                found(i as usize, s.abs().max(before).max(after));
            }
        }
    }
}

/// The largest absolute sample value.
pub fn sample_peak(x: &[f32]) -> f32 {
    // Eight lanes, each a compare-and-select, so that it vectorises.
    let mut lanes = [0f32; 8];
    let mut chunks = x.chunks_exact(8);
    for chunk in &mut chunks {
        for (lane, s) in lanes.iter_mut().zip(chunk) {
            let a = s.abs();
            *lane = if a > *lane { a } else { *lane };
        }
    }
    chunks.remainder().iter().chain(&lanes).fold(0f32, |m, s| m.max(s.abs()))
}

/// The true peak of `x` (linear; 0 for silence): the sample peak, or above it a peak between
/// samples near the top (see [`HOT`]).
pub fn true_peak(x: &[f32], interpolator: &Interpolator) -> f32 {
    let top = sample_peak(x);
    let mut peak = top;
    if top > 0.0 {
        interpolator.hot_peaks(x, top * HOT, |_, p| peak = peak.max(p));
    }
    peak
}

fn sinc(t: f64) -> f64 {
    if t.abs() < 1e-12 {
        1.0
    } else {
        let x = std::f64::consts::PI * t;
        x.sin() / x
    }
}

/// The Blackman window on [-1, 1].
fn blackman(u: f64) -> f64 {
    if u.abs() >= 1.0 {
        return 0.0;
    }
    let x = std::f64::consts::PI * u;
    0.42 + 0.5 * x.cos() + 0.08 * (2.0 * x).cos()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loudness::testsignal::{ebur128_true_peak, sine_at};

    fn db(x: f32) -> f64 {
        20.0 * f64::from(x).log10()
    }

    #[test]
    fn a_quarter_rate_sine_at_its_worst_phase_peaks_3_db_above_its_samples() {
        // Samples at 45° of a sine at rate/4: every sample is 0.707 of the true amplitude.
        let x = sine_at(11_025.0, 44_100, 4_410, 0.9, std::f64::consts::FRAC_PI_4);
        let samples = db(sample_peak(&x));
        let ours = db(true_peak(&x, &Interpolator::new()));
        let theirs = ebur128_true_peak(&x, 44_100);
        assert!((samples - (db(0.9) - 3.01)).abs() < 0.01, "{samples}");
        assert!((ours - db(0.9)).abs() < 0.1, "ours {ours}, true {}", db(0.9));
        assert!((ours - theirs).abs() < 0.1, "ours {ours}, ebur128 {theirs}");
    }

    #[test]
    fn speech_band_sines_agree_with_ebur128() {
        for freq in [100.0, 997.0, 3_000.0, 7_000.0, 9_000.0] {
            let x = sine_at(freq, 44_100, 44_100, 0.5, 0.3);
            let ours = db(true_peak(&x, &Interpolator::new()));
            let theirs = ebur128_true_peak(&x, 44_100);
            assert!((ours - db(0.5)).abs() < 0.05, "{freq} Hz: ours {ours}");
            assert!((ours - theirs).abs() < 0.1, "{freq} Hz: ours {ours}, ebur128 {theirs}");
        }
    }

    #[test]
    fn silence_and_edges() {
        let i = Interpolator::new();
        assert_eq!(true_peak(&[], &i), 0.0);
        assert_eq!(true_peak(&[0.0; 100], &i), 0.0);
        // One sample alone: the points around it are below it, and the edges read as zeros.
        let p = true_peak(&[0.5], &i);
        assert!((p - 0.5).abs() < 1e-6, "{p}");
        // A DC step overshoots a little (Gibbs), as a real reconstruction would.
        let p = true_peak(&[0.5; 64], &i);
        assert!(p > 0.5 && p < 0.6, "{p}");
    }
}
