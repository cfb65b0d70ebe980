//! Bringing one utterance to the target loudness, its peaks under the ceiling.

use std::ops::RangeInclusive;

use super::limiter::Limiter;
use super::measure::integrated_loudness;
use super::oversample::{Interpolator, true_peak};

/// The gain an utterance may get. +30 dB lifts a voice that whispers at -46 LUFS to -16; a
/// clip needing more is mostly noise, and lifting it further would only make the noise loud.
/// -24 dB is more than any voice needs (a full-scale square wave is about +3 LUFS): the bound
/// only keeps a broken clip from making the gain absurd.
pub const GAIN_RANGE_DB: RangeInclusive<f64> = -24.0..=30.0;

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
    pub fn level(&self, samples: &mut [f32], rate: u32) -> Leveled {
        let before = integrated_loudness(samples, rate);
        let gain_db = before.map_or(0.0, |l| (self.target_lufs - l).clamp(*GAIN_RANGE_DB.start(), *GAIN_RANGE_DB.end()));
        if gain_db != 0.0 {
            let gain = super::db_to_gain(gain_db) as f32;
            for s in samples.iter_mut() {
                *s *= gain;
            }
        }
        let peak = Limiter::new(self.ceiling_dbtp, rate).apply(samples);
        Leveled { loudness_before: before, gain_db, true_peak_dbtp: super::gain_to_db(f64::from(peak)) }
    }
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
            assert!((after - -16.0).abs() < 0.5, "amplitude {amp}: {before} LUFS became {after}");
            assert!(peak <= -1.4, "amplitude {amp}: true peak {peak} dBTP");
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
        assert_eq!((leveled.loudness_before, leveled.gain_db), (None, 0.0));
        assert!((leveled.true_peak_dbtp - -6.02).abs() < 0.05, "{leveled:?}");
    }
}
