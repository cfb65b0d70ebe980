//! Bringing one utterance to the target loudness, its peaks under the ceiling.

use std::ops::RangeInclusive;

use super::limiter::Limiter;
use super::measure::integrated_loudness;
use super::oversample::{Interpolator, true_peak};

/// The gain an utterance may get. +30 dB lifts a voice that whispers at -46 LUFS to -16; a
/// clip needing more is mostly noise, and lifting it further would only make the noise loud.
/// -24 dB is more than any voice needs (a full-scale square wave is about 0 LUFS): the bound
/// only keeps a broken clip from making the gain absurd.
pub const GAIN_RANGE_DB: RangeInclusive<f64> = -24.0..=30.0;

/// The limiter takes a little loudness away (espeak's voices lose about half a LU at -16
/// LUFS): up to this much is given back, and the result limited again. A voice whose peaks
/// stand so far above its loudness that more would be needed stays that much quieter rather
/// than being crushed.
const MAKE_UP_MAX_DB: f64 = 2.0;
/// Make-up rounds stop once the utterance is estimated this close to the target.
const MAKE_UP_TOLERANCE_DB: f64 = 0.05;
/// The share of the first make-up step expected to be taken back by limiting again.
const TAKEN_BACK_GUESS: f64 = 0.4;
/// Make-up rounds at most; each costs a limiter pass.
const MAKE_UP_ROUNDS: usize = 3;

/// The loudness policy of a build: the target and the ceiling.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Leveler {
    /// Integrated loudness every utterance is brought to, in LUFS.
    pub target_lufs: f64,
    /// The highest true peak allowed, in dBTP.
    pub ceiling_dbtp: f64,
}

impl Default for Leveler {
    fn default() -> Self {
        Leveler { target_lufs: super::DEFAULT_TARGET_LUFS, ceiling_dbtp: super::DEFAULT_CEILING_DBTP }
    }
}

/// What leveling did to one utterance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Leveled {
    /// Integrated loudness as the voice produced it; `None` for silence.
    pub loudness_before: Option<f64>,
    /// The gain applied before limiting, in dB.
    pub gain_db: f64,
    /// True peak after limiting, in dBTP; `-inf` for silence.
    pub true_peak_dbtp: f64,
}

impl Leveled {
    /// The true peak of a clip left as it is (`--no-loudness`).
    pub fn unchanged(samples: &[f32]) -> Leveled {
        let peak = true_peak(samples, &Interpolator::new());
        Leveled { loudness_before: None, gain_db: 0.0, true_peak_dbtp: super::gain_to_db(f64::from(peak)) }
    }
}

impl Leveler {
    /// Measures `samples` (mono at `rate`), brings them to the target and limits their true
    /// peaks to the ceiling. Silence is left as it is.
    ///
    /// The loudness the limiter takes away is estimated from the energy it removed (the
    /// limiter's gain is broadband, so K-weighting hardly changes the ratio, and the gated-out
    /// quiet blocks hold little energy) and given back, so no second measurement is needed.
    /// Cost per sample: one loudness measurement, a few gain and energy passes (vectorised),
    /// a comparison per limiter pass; the limiter's own work is proportional to the stretches
    /// it ducks.
    pub fn level(&self, samples: &mut [f32], rate: u32) -> Leveled {
        let before = integrated_loudness(samples, rate);
        let (lowest, highest) = (*GAIN_RANGE_DB.start(), *GAIN_RANGE_DB.end());
        let mut gain_db = before.map_or(0.0, |l| (self.target_lufs - l).clamp(lowest, highest));
        amplify(samples, gain_db);
        let limiter = Limiter::new(self.ceiling_dbtp, rate);
        let Some(loudness) = before else {
            let limited = limiter.apply(samples);
            return Leveled { loudness_before: None, gain_db, true_peak_dbtp: to_db(limited.true_peak) };
        };
        // Until the last round only whether the limiter acted is needed, not the true peak.
        let first_gain = gain_db;
        let mut estimate = loudness + gain_db;
        let mut unlimited = energy(samples);
        let mut changed = limiter.limit(samples);
        // The share of a make-up step the next limiting takes back: learnt from the last step,
        // and before the first about 40 % (speech of espeak, Piper and the test fixtures loses
        // 30-45 %), so that one step usually lands within the tolerance.
        let mut taken_back = TAKEN_BACK_GUESS;
        let mut step = 0.0;
        for _ in 0..MAKE_UP_ROUNDS {
            if !changed || unlimited <= 0.0 {
                break;
            }
            let kept = energy(samples);
            let loss = 10.0 * (unlimited / kept.max(f64::MIN_POSITIVE)).log10();
            estimate -= loss;
            if step > 0.0 {
                taken_back = (loss / step).clamp(0.0, 0.8);
            }
            let short = self.target_lufs - estimate;
            if short.abs() < MAKE_UP_TOLERANCE_DB {
                break;
            }
            if short < 0.0 {
                // The last step was too generous: turning down is exact and makes no overs.
                amplify(samples, short);
                gain_db += short;
                break;
            }
            step = (short / (1.0 - taken_back)).min(first_gain + MAKE_UP_MAX_DB - gain_db).min(highest - gain_db);
            if step < MAKE_UP_TOLERANCE_DB {
                break;
            }
            amplify(samples, step);
            gain_db += step;
            estimate += step;
            unlimited = kept * super::db_to_gain(step).powi(2);
            changed = limiter.limit(samples);
        }
        Leveled { loudness_before: before, gain_db, true_peak_dbtp: to_db(limiter.true_peak(samples)) }
    }
}

fn to_db(linear: f32) -> f64 {
    super::gain_to_db(f64::from(linear))
}

fn amplify(samples: &mut [f32], db: f64) {
    if db != 0.0 {
        let gain = super::db_to_gain(db) as f32;
        for s in samples.iter_mut() {
            *s *= gain;
        }
    }
}

/// The sum of squares, in eight lanes so that it vectorises.
fn energy(samples: &[f32]) -> f64 {
    samples
        .chunks(8 * 1024)
        .map(|block| {
            let mut lanes = [0f32; 8];
            let mut chunks = block.chunks_exact(8);
            for c in &mut chunks {
                for (lane, s) in lanes.iter_mut().zip(c) {
                    *lane += s * s;
                }
            }
            let tail: f32 = chunks.remainder().iter().map(|s| s * s).sum();
            lanes.iter().map(|&v| f64::from(v)).sum::<f64>() + f64::from(tail)
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loudness::testsignal::{babble, ebur128_lufs, ebur128_true_peak, sine};

    const RATE: u32 = 44_100;

    #[test]
    fn a_loud_and_a_quiet_clip_both_come_out_at_the_target() {
        let leveler = Leveler::default();
        // Near full scale (about -5 LUFS) and at -30 dBFS peak (about -42 LUFS).
        for amp in [1.0, 0.03] {
            let mut x = babble(RATE, RATE as usize * 4, amp);
            let before = ebur128_lufs(&x, RATE);
            let leveled = leveler.level(&mut x, RATE);
            let after = ebur128_lufs(&x, RATE);
            let peak = ebur128_true_peak(&x, RATE);
            assert!((leveled.loudness_before.unwrap() - before).abs() < 0.01, "{leveled:?} vs {before}");
            assert!((after - -16.0).abs() < 0.15, "amplitude {amp}: {before} LUFS became {after}");
            assert!(peak <= -1.5, "amplitude {amp}: true peak {peak} dBTP");
            assert!(leveled.true_peak_dbtp <= -1.5, "{leveled:?}");
            assert!((leveled.true_peak_dbtp - peak).abs() < 0.15, "ours {leveled:?}, ebur128 {peak}");
        }
    }

    #[test]
    fn a_sine_is_set_to_the_target_exactly() {
        let mut x = sine(1000.0, RATE, RATE as usize * 2, 0.01);
        let leveled = Leveler { target_lufs: -20.0, ceiling_dbtp: -1.0 }.level(&mut x, RATE);
        assert!((leveled.gain_db - 23.0).abs() < 0.05, "{leveled:?}");
        assert!((ebur128_lufs(&x, RATE) - -20.0).abs() < 0.02);
        // -20 LUFS is a sine peaking at -17 dBFS: far from the ceiling, so not limited.
        assert!((leveled.true_peak_dbtp - -16.99).abs() < 0.05, "{leveled:?}");
    }

    #[test]
    fn a_short_heading_is_leveled_too() {
        let mut x = babble(RATE, RATE as usize / 2, 0.05);
        Leveler::default().level(&mut x, RATE);
        let repeated: Vec<f32> = x.iter().copied().cycle().take(RATE as usize * 2).collect();
        let after = ebur128_lufs(&repeated, RATE);
        assert!((after - -16.0).abs() < 0.5, "{after}");
    }

    #[test]
    fn silence_is_left_alone_and_a_murmur_is_not_lifted_beyond_reason() {
        let mut silence = vec![0f32; RATE as usize];
        let leveled = Leveler::default().level(&mut silence, RATE);
        assert_eq!((leveled.loudness_before, leveled.gain_db), (None, 0.0));
        assert!(silence.iter().all(|&s| s == 0.0));
        assert_eq!(leveled.true_peak_dbtp, f64::NEG_INFINITY);

        // A murmur at about -66 LUFS gets the largest gain, no more.
        let mut hiss = babble(RATE, RATE as usize * 2, 0.002);
        let leveled = Leveler::default().level(&mut hiss, RATE);
        assert_eq!(leveled.gain_db, 30.0);
    }

    #[test]
    fn unchanged_reports_the_true_peak_only() {
        let x = sine(1000.0, RATE, 4410, 0.5);
        let leveled = Leveled::unchanged(&x);
        assert!(leveled.true_peak_dbtp.is_finite());
        assert_eq!((leveled.loudness_before, leveled.gain_db), (None, 0.0));
        assert!((leveled.true_peak_dbtp - -6.02).abs() < 0.05, "{leveled:?}");
    }
}
