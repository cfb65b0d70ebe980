//! Band-limited sample-rate conversion of mono audio with rubato's FFT resampler.

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Resampler};

use super::AudioError;

/// Resample `mono` from `from` Hz to `to` Hz. The output is aligned with the input (the
/// resampler delay is removed) and has `round(len * to / from)` samples.
pub fn resample(mono: &[f32], from: u32, to: u32) -> Result<Vec<f32>, AudioError> {
    if from == 0 || to == 0 {
        return Err(AudioError::Resample(format!("invalid sample rates {from} Hz -> {to} Hz")));
    }
    if from == to {
        return Ok(mono.to_vec());
    }
    if mono.is_empty() {
        return Ok(Vec::new());
    }
    let err = |e: &dyn std::fmt::Display| AudioError::Resample(format!("{from} Hz -> {to} Hz: {e}"));
    let mut resampler = Fft::<f32>::new(from as usize, to as usize, 1024, 1, FixedSync::Input).map_err(|e| err(&e))?;
    let input = InterleavedSlice::new(mono, 1, mono.len()).map_err(|e| err(&e))?;
    let mut out = resampler.process_all(&input, mono.len(), None).map_err(|e| err(&e))?.take_data();
    let want = (mono.len() as u128 * u128::from(to) + u128::from(from) / 2) / u128::from(from);
    out.resize(want as usize, 0.0);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::testutil::sine;

    fn rms(x: &[f32]) -> f32 {
        (x.iter().map(|v| v * v).sum::<f32>() / x.len() as f32).sqrt()
    }

    fn check_sine_conversion(from: u32, to: u32, n: usize) {
        let amp = 0.5;
        let out = resample(&sine(1000.0, from, n, amp), from, to).unwrap();
        let want = (n as f64 * f64::from(to) / f64::from(from)).round() as usize;
        assert!(out.len().abs_diff(want) <= 1, "{from}->{to}: {} vs {want}", out.len());

        // Away from the edges the output must be the same 1 kHz sine, in phase.
        let ideal = sine(1000.0, to, out.len(), amp);
        let mid = 200..out.len() - 200;
        let err: Vec<f32> = mid.clone().map(|i| out[i] - ideal[i]).collect();
        let err_rms = rms(&err);
        assert!(err_rms < 0.02, "{from}->{to}: RMS error {err_rms}");

        let gain_db = 20.0 * (rms(&out[mid.clone()]) / rms(&ideal[mid])).log10();
        assert!(gain_db.abs() < 1.0, "{from}->{to}: gain {gain_db} dB");

        // The tail is kept: the last samples (inside the edge margin) still carry the tone.
        let tail = &out[out.len() - 40..];
        assert!(rms(tail) > 0.2, "{from}->{to}: tail lost, rms {}", rms(tail));
    }

    #[test]
    fn upsample_22050_to_44100() {
        check_sine_conversion(22_050, 44_100, 11_025);
    }

    #[test]
    fn upsample_24000_to_44100() {
        check_sine_conversion(24_000, 44_100, 12_345);
    }

    #[test]
    fn downsample_48000_to_44100() {
        check_sine_conversion(48_000, 44_100, 24_001);
    }

    #[test]
    fn short_clip_keeps_its_length() {
        let out = resample(&sine(1000.0, 24_000, 100, 0.5), 24_000, 44_100).unwrap();
        assert_eq!(out.len(), 184); // round(100 * 44100 / 24000) = round(183.75)
        assert!(rms(&out[40..140]) > 0.2);
    }

    #[test]
    fn identity_and_edge_cases() {
        let x = vec![0.1, -0.2, 0.3];
        assert_eq!(resample(&x, 44_100, 44_100).unwrap(), x);
        assert!(resample(&[], 22_050, 44_100).unwrap().is_empty());
        assert!(matches!(resample(&x, 0, 44_100), Err(AudioError::Resample(_))));
    }
}
