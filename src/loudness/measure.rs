//! The integrated loudness of one clip (an utterance), in LUFS.

use super::gating::{BlockMeter, gated_loudness};

/// Clips shorter than this are measured repeated end to end: BS.1770 gates 400 ms blocks
/// every 100 ms, and a clip of a few blocks gives a measure dominated by its edges.
const SHORT_S: f64 = 1.0;
/// How long a short clip is made by repetition before it is measured.
const REPEATED_S: f64 = 1.2;

/// Integrated (gated) loudness of mono `samples` at `rate` (8 kHz or more); `None` for
/// silence, an empty clip, or a clip entirely below the -70 LUFS absolute gate.
pub fn integrated_loudness(samples: &[f32], rate: u32) -> Option<f64> {
    if samples.is_empty() || rate < 8_000 {
        return None;
    }
    let mut meter = BlockMeter::new(rate);
    let rate = f64::from(rate);
    if (samples.len() as f64) < SHORT_S * rate {
        let wanted = (REPEATED_S * rate).ceil() as usize;
        let mut fed = 0;
        while fed < wanted {
            meter.add(samples);
            fed += samples.len();
        }
    } else {
        meter.add(samples);
    }
    gated_loudness(&[meter.blocks()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loudness::testsignal::{ebur128_lufs, sine};

    #[test]
    fn a_1khz_sine_measures_right() {
        // BS.1770: a 0 dBFS 997 Hz sine in one channel reads -3.01 LKFS; -20 dB reads -23.01.
        let l = integrated_loudness(&sine(997.0, 48_000, 48_000 * 3, 1.0), 48_000).unwrap();
        assert!((l - -3.01).abs() < 0.05, "{l}");
        let x = sine(1000.0, 44_100, 44_100 * 3, 0.1);
        let l = integrated_loudness(&x, 44_100).unwrap();
        assert!((l - -23.01).abs() < 0.05, "{l}");
        assert!((l - ebur128_lufs(&x, 44_100)).abs() < 0.005);
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
