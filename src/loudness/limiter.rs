//! A true-peak limiter: holds the reconstructed (4x oversampled) peaks of a clip under a
//! ceiling by turning the gain down smoothly around them, never by clipping.
//!
//! The clip is in memory, so "look-ahead" costs no latency: the gain starts going down
//! `lookahead` samples before an over and comes back up at a fixed rate in dB per second
//! after it. The gain curve is computed only over the stretch of the clip that has overs;
//! elsewhere the limiter costs one comparison per sample (see [`super::oversample::HOT`]).

use std::collections::VecDeque;

use super::oversample::{HOT, Interpolator, true_peak};

/// How long before an over the gain starts to go down.
const LOOKAHEAD_S: f64 = 0.005;
/// How fast the gain comes back after an over: 6 dB in 150 ms. Slow enough not to pump
/// between syllables, fast enough that the next word is not ducked.
const RELEASE_DB_PER_S: f64 = 40.0;
/// Overs are brought to this fraction of the ceiling (-0.05 dB), so the small changes the
/// gain curve itself makes to the reconstructed waveform stay under the ceiling.
const AIM: f32 = 0.994_2;
/// Passes over the clip: the second finds what the first missed (rare, tiny).
const MAX_PASSES: usize = 3;

/// What the limiter did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limited {
    /// The true peak after, linear.
    pub true_peak: f32,
    /// Whether the gain was turned down anywhere.
    pub changed: bool,
}

#[derive(Debug, Clone)]
pub struct Limiter {
    ceiling: f32,
    lookahead: usize,
    /// The factor the gain may rise by per sample.
    rise: f32,
    interpolator: Interpolator,
}

impl Limiter {
    /// A limiter for `rate` Hz audio with its ceiling at `ceiling_dbtp` (dB true peak).
    pub fn new(ceiling_dbtp: f64, rate: u32) -> Limiter {
        let rate = f64::from(rate);
        Limiter {
            ceiling: super::db_to_gain(ceiling_dbtp) as f32,
            lookahead: ((LOOKAHEAD_S * rate).round() as usize).max(1),
            rise: super::db_to_gain(RELEASE_DB_PER_S / rate) as f32,
            interpolator: Interpolator::new(),
        }
    }

    /// Holds the true peak of `x` under the ceiling.
    pub fn apply(&self, x: &mut [f32]) -> Limited {
        let changed = self.limit(x);
        Limited { true_peak: self.true_peak(x), changed }
    }

    /// [`Limiter::apply`] without measuring the result; whether anything changed.
    pub(super) fn limit(&self, x: &mut [f32]) -> bool {
        let mut changed = false;
        for _ in 0..MAX_PASSES {
            let overs = self.overs(x);
            if overs.is_empty() {
                break;
            }
            self.duck(x, &overs);
            changed = true;
        }
        changed
    }

    /// The true peak of `x`, linear, with this limiter's interpolator.
    pub fn true_peak(&self, x: &[f32]) -> f32 {
        true_peak(x, &self.interpolator)
    }

    /// Every sample next to a true peak above the ceiling, with the gain it needs.
    fn overs(&self, x: &[f32]) -> Vec<(usize, f32)> {
        let mut overs = Vec::new();
        self.interpolator.hot_peaks(x, self.ceiling * HOT, |i, peak| {
            if peak > self.ceiling {
                overs.push((i, self.ceiling * AIM / peak));
            }
        });
        overs
    }

    /// Applies the smallest smooth gain curve that gives every sample of `overs` (and its two
    /// neighbours, between which its peak may lie) at most the gain it needs.
    fn duck(&self, x: &mut [f32], overs: &[(usize, f32)]) {
        let deepest = overs.iter().map(|o| o.1).fold(1f32, f32::min);
        let recovery = (f64::from(deepest).ln().abs() / f64::from(self.rise).ln()).ceil() as usize;
        // Overs far enough apart that the gain is back at 1 between them are ducked apart,
        // so the work is proportional to the stretches ducked, not to the clip.
        let apart = 2 * (self.lookahead + 2) + recovery;
        let mut first = 0;
        for k in 1..=overs.len() {
            if k == overs.len() || overs[k].0 - overs[k - 1].0 > apart {
                self.duck_stretch(x, &overs[first..k], recovery);
                first = k;
            }
        }
    }

    /// Ducks the stretch around one group of overs, in a single pass over it.
    ///
    /// The gain at sample j is the mean, over the last l + 1 samples, of a curve that is at
    /// each sample the least gain needed by any over in the look-ahead window [j - 1, j + l + 1]
    /// ("hold"), allowed to rise by at most `rise` per sample ("release"). Every value in the
    /// mean at an over's sample held that over's need, so the mean is at most the need; and
    /// the mean moves by at most 1/(l + 1) per sample, so the gain has no steps.
    fn duck_stretch(&self, x: &mut [f32], overs: &[(usize, f32)], recovery: usize) {
        let l = self.lookahead;
        let start = overs[0].0.saturating_sub(l + 1);
        let end = (overs[overs.len() - 1].0 + 2 + recovery + l + 1).min(x.len());
        // Overs in the window, least need at the front (a monotone queue).
        let mut window: VecDeque<usize> = VecDeque::new();
        let mut next = 0;
        // The last l + 1 released values, for the mean.
        let width = l + 1;
        let mut ring = vec![1f32; width];
        let mut slot = 0;
        let mut sum = width as f64;
        let per = 1.0 / width as f64;
        let mut released = 1f32;
        for (pos, sample) in x.iter_mut().enumerate().take(end).skip(start) {
            while next < overs.len() && overs[next].0 <= pos + l + 1 {
                while window.back().is_some_and(|&b| overs[b].1 >= overs[next].1) {
                    window.pop_back();
                }
                window.push_back(next);
                next += 1;
            }
            while window.front().is_some_and(|&f| overs[f].0 + 1 < pos) {
                window.pop_front();
            }
            let held = window.front().map_or(1.0, |&f| overs[f].1);
            // `held` is at most 1, so the rise stops there too.
            released = (released * self.rise).min(held);
            if pos == 0 {
                // Before the clip nothing is heard: take the gain as already down there, so
                // an over at the very start is held too.
                ring.fill(released);
                sum = width as f64 * f64::from(released);
            }
            sum += f64::from(released) - f64::from(ring[slot]);
            ring[slot] = released;
            slot = if slot + 1 == width { 0 } else { slot + 1 };
            *sample *= (sum * per) as f32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loudness::testsignal::{babble, ebur128_true_peak, sine, sine_at};

    const RATE: u32 = 44_100;

    #[test]
    fn inter_sample_peaks_of_6_dbfs_come_out_under_the_ceiling() {
        // Samples at 45° of a rate/4 sine: samples at +3 dBFS, true peaks at +6 dBTP.
        let mut x = sine_at(11_025.0, RATE, RATE as usize, 2.0, std::f64::consts::FRAC_PI_4);
        assert!(ebur128_true_peak(&x, RATE) > 5.9);
        let limiter = Limiter::new(-1.5, RATE);
        let ours = 20.0 * f64::from(limiter.apply(&mut x).true_peak).log10();
        let theirs = ebur128_true_peak(&x, RATE);
        assert!(ours <= -1.5, "ours {ours}");
        assert!(theirs <= -1.5, "ebur128 reads {theirs} dBTP");
        // Limited, not muted: the bulk of the sine is just under the ceiling.
        let mid = x[20_000..24_000].iter().fold(0f32, |m, s| m.max(s.abs()));
        assert!(mid > 0.55, "{mid}");
    }

    #[test]
    fn an_over_at_the_very_start_is_held_too() {
        // A loud sine starting abruptly at its first sample: the look-ahead has no room.
        let mut x: Vec<f32> = (0..4_410).map(|i| 1.5 * (i as f32 * 0.3 + 1.2).sin()).collect();
        let peak = 20.0 * f64::from(Limiter::new(-1.5, RATE).apply(&mut x).true_peak).log10();
        assert!(peak <= -1.5, "{peak}");
        assert!(ebur128_true_peak(&x, RATE) <= -1.5);
    }

    #[test]
    fn loud_speech_like_audio_is_held_under_the_ceiling_and_quiet_audio_is_untouched() {
        let limiter = Limiter::new(-1.5, RATE);
        let mut loud = babble(RATE, RATE as usize * 3, 1.6);
        limiter.apply(&mut loud);
        let theirs = ebur128_true_peak(&loud, RATE);
        assert!(theirs <= -1.5, "ebur128 reads {theirs} dBTP");

        let quiet = babble(RATE, RATE as usize * 3, 0.5);
        let mut copy = quiet.clone();
        assert!(!limiter.apply(&mut copy).changed);
        assert_eq!(copy, quiet);
    }

    /// A 440 Hz tone at 0.2 with samples 20 000..22 000 made `burst` times louder, run
    /// through `limiter`: the input, the output and the deepest gain (output / input), after
    /// checking the gain never moves by more than 1/(lookahead + 1) per sample.
    fn burst_through(limiter: &Limiter, burst: f32) -> (Vec<f32>, Vec<f32>, f32) {
        let mut x = sine(440.0, RATE, RATE as usize, 0.2);
        for s in &mut x[20_000..22_000] {
            *s *= burst;
        }
        let original = x.clone();
        limiter.apply(&mut x);
        let gains: Vec<(usize, f32)> = x
            .iter()
            .zip(&original)
            .enumerate()
            .filter(|(_, (_, o))| o.abs() > 0.05)
            .map(|(i, (y, o))| (i, y / o))
            .collect();
        let step_limit = 1.0 / (limiter.lookahead as f32 + 1.0) + 1e-4;
        let mut deepest = 1f32;
        for w in gains.windows(2) {
            let ((i0, g0), (i1, g1)) = (w[0], w[1]);
            let allowed = step_limit * (i1 - i0) as f32;
            assert!((g1 - g0).abs() <= allowed, "gain jumps from {g0} to {g1} between samples {i0} and {i1}");
            deepest = deepest.min(g1);
        }
        (original, x, deepest)
    }

    #[test]
    fn the_gain_moves_without_steps() {
        // A steady tone with a burst in the middle: the gain goes down and back up smoothly.
        let limiter = Limiter::new(-1.5, RATE);
        // The burst peaks at 0.8 (-1.9 dBFS): under -1.5 dBTP, so nothing moved.
        let (_, _, deepest) = burst_through(&limiter, 4.0);
        assert_eq!(deepest, 1.0);

        // Now a burst well over the ceiling.
        let (original, x, deepest) = burst_through(&limiter, 6.0);
        // 1.2 down to 0.84: about 0.7.
        assert!((0.68..0.72).contains(&deepest), "{deepest}");
        // Before the look-ahead and after the release, the tone is untouched.
        assert_eq!(x[..19_000], original[..19_000]);
        assert_eq!(x[35_000..], original[35_000..]);
        // The step into the burst is the signal's own; the output has no sample over the
        // ceiling and does not clip.
        assert!(ebur128_true_peak(&x, RATE) <= -1.5);
    }
}
