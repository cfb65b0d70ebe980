//! The integrated loudness of one clip (an utterance), in LUFS.

use ebur128::{EbuR128, Mode};

/// Clips shorter than this are measured repeated end to end: BS.1770 gates 400 ms blocks
/// every 100 ms, and a clip of a few blocks gives a measure dominated by its edges.
const SHORT_S: f64 = 1.0;
/// How long a short clip is made by repetition before it is measured.
const REPEATED_S: f64 = 1.2;

/// Integrated (gated) loudness of mono `samples` at `rate`; `None` for silence, an empty clip,
/// or a clip entirely below the -70 LUFS absolute gate.
pub fn integrated_loudness(samples: &[f32], rate: u32) -> Option<f64> {
    if samples.is_empty() {
        return None;
    }
    let mut meter = EbuR128::new(1, rate, Mode::I).ok()?;
    let rate = f64::from(rate);
    if (samples.len() as f64) < SHORT_S * rate {
        let wanted = (REPEATED_S * rate).ceil() as usize;
        let mut fed = 0;
        while fed < wanted {
            meter.add_frames_f32(samples).ok()?;
            fed += samples.len();
        }
    } else {
        meter.add_frames_f32(samples).ok()?;
    }
    let loudness = meter.loudness_global().ok()?;
    loudness.is_finite().then_some(loudness)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loudness::testsignal::sine;

    #[test]
    fn a_full_scale_1khz_sine_is_minus_3_lufs() {
        // BS.1770: a 0 dBFS 997 Hz sine in one channel reads -3.01 LKFS (K-weighting is ~0 dB
        // at 1 kHz; the mean square of a sine is half its peak squared).
        let l = integrated_loudness(&sine(997.0, 48_000, 48_000 * 3, 1.0), 48_000).unwrap();
        assert!((l - -3.01).abs() < 0.05, "{l}");
        let l = integrated_loudness(&sine(1000.0, 44_100, 44_100 * 3, 0.1), 44_100).unwrap();
        assert!((l - -23.01).abs() < 0.05, "{l}");
    }

    #[test]
    fn a_short_clip_is_measured_by_repetition() {
        // 300 ms: not even one gating block on its own.
        let l = integrated_loudness(&sine(1000.0, 44_100, 13_230, 0.1), 44_100).unwrap();
        assert!((l - -23.01).abs() < 0.2, "{l}");
    }

    #[test]
    fn silence_has_no_loudness() {
        assert_eq!(integrated_loudness(&[], 44_100), None);
        assert_eq!(integrated_loudness(&[0.0; 88_200], 44_100), None);
        // -90 dBFS: below the absolute gate.
        assert_eq!(integrated_loudness(&sine(1000.0, 44_100, 88_200, 3e-5), 44_100), None);
    }
}
