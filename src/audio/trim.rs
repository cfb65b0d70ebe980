//! Finding the audible part of a clip.

use std::ops::Range;

/// Range of `samples` left after removing leading/trailing silence below `threshold_db` dBFS
/// (e.g. -50), keeping `keep_ms` of margin on each side. Empty range for all-silent input.
pub fn trim_range(samples: &[f32], rate: u32, threshold_db: f32, keep_ms: u32) -> Range<usize> {
    let threshold = 10f32.powf(threshold_db / 20.0);
    let loud = |s: &f32| s.abs() >= threshold;
    let Some(first) = samples.iter().position(loud) else {
        return 0..0;
    };
    let last = samples.iter().rposition(loud).unwrap_or(first);
    let keep = (u64::from(rate) * u64::from(keep_ms) / 1000) as usize;
    first.saturating_sub(keep)..(last + 1).saturating_add(keep).min(samples.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::testutil::sine;

    #[test]
    fn trims_silence_around_a_tone_keeping_the_margin() {
        let rate = 10_000;
        let mut x = vec![0.0; 3000];
        x.extend(vec![0.0005; 500]); // -66 dBFS hiss: below -50
        x.extend(sine(500.0, rate, 4000, 0.5));
        x.extend(vec![0.0; 2500]);
        // The sine starts at 0 and its first sample at/above -50 dBFS is index 3501.
        let first = x.iter().position(|s| s.abs() >= 10f32.powf(-2.5)).unwrap();
        let last = x.iter().rposition(|s| s.abs() >= 10f32.powf(-2.5)).unwrap();
        assert!((3500..3510).contains(&first) && (7490..7500).contains(&last));

        let r = trim_range(&x, rate, -50.0, 10); // 10 ms = 100 samples
        assert_eq!(r, first - 100..last + 1 + 100);
        assert!(r.start > 3300 && r.end < 7700);
    }

    #[test]
    fn margin_is_clamped_to_the_buffer() {
        let x = [0.5, 0.0, 0.0, -0.5];
        assert_eq!(trim_range(&x, 48_000, -50.0, 10), 0..4);
        let y = [0.0, 0.0, 0.5, 0.0, 0.0];
        assert_eq!(trim_range(&y, 1000, -50.0, 1), 1..4);
        assert_eq!(trim_range(&y, 1000, -50.0, 0), 2..3);
    }

    #[test]
    fn all_silent_is_empty() {
        assert!(trim_range(&[0.0; 1000], 44_100, -50.0, 10).is_empty());
        assert!(trim_range(&[0.001; 1000], 44_100, -50.0, 10).is_empty()); // -60 dBFS
        assert!(trim_range(&[], 44_100, -50.0, 10).is_empty());
    }
}
