//! The whole chain from backend bytes to clip-ready samples.

use super::{AudioError, AudioHint, decode, resample, to_mono, trim_range};

const THRESHOLD_DB: f32 = -50.0;
const KEEP_MS: u32 = 10;
/// Fade over the kept margin, so a cut never leaves a step (a click) at a clip's edge.
const FADE_MS: u32 = 5;

/// Below this lag-1 autocorrelation the audio is noise: speech, even at 8 kHz, is far above
/// it (the test phrase at 24 kHz is 0.96, decimated to 4 kHz 0.47); random bytes are near 0.
const MIN_SPEECH_CORRELATION: f64 = 0.2;

/// decode → mono → resample to `out_rate` → trim (threshold -50 dBFS, keep 10 ms).
/// Errors with [`AudioError::Empty`] when nothing was decoded, [`AudioError::Silent`] when
/// everything is below the threshold and [`AudioError::Noise`] when it sounds like random
/// bytes (a response in another format than asked, garbage), so a failed utterance never
/// becomes silence or static.
pub fn prepare(bytes: &[u8], hint: AudioHint, out_rate: u32) -> Result<Vec<f32>, AudioError> {
    let buf = decode(bytes, hint)?;
    let mono = to_mono(&buf);
    if mono.is_empty() {
        return Err(AudioError::Empty);
    }
    let mut out = resample(&mono, buf.rate, out_rate)?;
    let range = trim_range(&out, out_rate, THRESHOLD_DB, KEEP_MS);
    if range.is_empty() {
        return Err(AudioError::Silent);
    }
    // At the source rate: resampling low-passes noise and makes it look smoother than it is.
    let correlation = lag_one_correlation(&mono);
    if correlation < MIN_SPEECH_CORRELATION {
        return Err(AudioError::Noise(format!(
            "{:.1} s at {} Hz with a sample-to-sample correlation of {correlation:.2}, where speech has more than {MIN_SPEECH_CORRELATION}",
            mono.len() as f64 / f64::from(buf.rate),
            buf.rate
        )));
    }
    out.truncate(range.end);
    out.drain(..range.start);
    fade_edges(&mut out, (out_rate * FADE_MS / 1000) as usize);
    Ok(out)
}

/// The lag-1 autocorrelation of `x` with its mean removed: near 1 for smooth signals such as
/// speech, near 0 for white noise. 1 for a constant signal (nothing to judge).
fn lag_one_correlation(x: &[f32]) -> f64 {
    let mean = x.iter().map(|&v| f64::from(v)).sum::<f64>() / x.len().max(1) as f64;
    let (mut num, mut den) = (0.0f64, 0.0f64);
    for (i, &v) in x.iter().enumerate() {
        let a = f64::from(v) - mean;
        den += a * a;
        if let Some(&next) = x.get(i + 1) {
            num += a * (f64::from(next) - mean);
        }
    }
    if den <= f64::EPSILON { 1.0 } else { num / den }
}

/// Linear fade-in and fade-out over `len` samples at each end.
fn fade_edges(samples: &mut [f32], len: usize) {
    let len = len.min(samples.len() / 2);
    let n = samples.len();
    for i in 0..len {
        let gain = i as f32 / len as f32;
        samples[i] *= gain;
        samples[n - 1 - i] *= gain;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::testutil::{sine, to_i16, wav_i16};

    #[test]
    fn wav_22050_stereo_to_44100_mono_trimmed() {
        let rate = 22_050;
        let tone = sine(1000.0, rate, 11_025, 0.5); // 0.5 s
        let mut left = vec![0.0; 4410]; // 0.2 s silence each side
        left.extend(&tone);
        left.extend(vec![0.0; 4410]);
        // Right channel in phase at half level: mono is 0.75 of the tone.
        let stereo: Vec<f32> = left.iter().flat_map(|&s| [s, s * 0.5]).collect();
        let wav = wav_i16(&to_i16(&stereo), rate, 2);
        // Streamed-header corruption on top, as a server would send it.
        let mut bytes = wav;
        bytes[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        bytes[40..44].copy_from_slice(&u32::MAX.to_le_bytes());

        let out = prepare(&bytes, AudioHint::Sniff, 44_100).unwrap();
        // 0.5 s of tone at 44.1 kHz plus at most 10 ms margin (and filter ringing) each side.
        assert!(out.len() >= 22_050 && out.len() <= 22_050 + 2 * 441 + 40, "{}", out.len());
        let peak = out.iter().fold(0f32, |m, s| m.max(s.abs()));
        assert!((peak - 0.375).abs() < 0.01, "peak {peak}");
        // Still a 1 kHz tone: ~1000 rising zero crossings per second.
        let mid = &out[1000..out.len() - 1000];
        let crossings = mid.windows(2).filter(|w| w[0] < 0.0 && w[1] >= 0.0).count();
        let expected = mid.len() as f32 / 44.1;
        assert!((crossings as f32 - expected).abs() <= 2.0, "{crossings} vs {expected}");
        // The margin is quiet, the body is not.
        assert!(out[0].abs() < 0.01 && out[out.len() - 1].abs() < 0.01);
    }

    #[test]
    fn raw_pcm_at_the_output_rate_passes_through() {
        let pcm = to_i16(&sine(440.0, 44_100, 4410, 0.5));
        let padded: Vec<i16> = [vec![0; 1000], pcm.clone(), vec![0; 1000]].concat();
        let bytes: Vec<u8> = padded.iter().flat_map(|s| s.to_le_bytes()).collect();
        let out = prepare(&bytes, AudioHint::RawS16Le { rate: 44_100, channels: 1 }, 44_100);
        let out = out.unwrap();
        // The sine's first sample is 0, so audio starts at pcm[1]; 441 samples (10 ms) margin.
        assert_eq!(out.len(), 441 + 4409 + 441);
        assert_eq!(out[441], f32::from(pcm[1]) / 32768.0);
        assert!(out[..441].iter().all(|&s| s == 0.0));
        assert_eq!(out[441 + 4408], f32::from(pcm[4409]) / 32768.0);
    }

    #[test]
    fn noise_is_refused_and_speech_like_signals_pass() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let noise: Vec<u8> = (0..48_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 32) as u8
            })
            .collect();
        let raw = AudioHint::RawS16Le { rate: 24_000, channels: 1 };
        let err = prepare(&noise, raw, 44_100).unwrap_err();
        assert!(matches!(err, AudioError::Noise(_)), "{err}");
        assert!(err.to_string().contains("noise"), "{err}");
        // A 1 kHz tone at 8 kHz (telephone speech territory) is not noise.
        let tone = to_i16(&sine(1000.0, 8000, 8000, 0.5));
        let bytes: Vec<u8> = tone.iter().flat_map(|s| s.to_le_bytes()).collect();
        assert!(prepare(&bytes, AudioHint::RawS16Le { rate: 8000, channels: 1 }, 44_100).is_ok());
    }

    #[test]
    fn edges_fade_from_and_to_zero() {
        let mut x = vec![1.0f32; 100];
        fade_edges(&mut x, 10);
        assert_eq!((x[0], x[99]), (0.0, 0.0));
        assert!((x[5] - 0.5).abs() < 1e-6 && (x[94] - 0.5).abs() < 1e-6);
        assert_eq!(x[10..90], [1.0; 80]);
    }

    #[test]
    fn empty_and_silent_are_errors() {
        let raw = AudioHint::RawS16Le { rate: 24_000, channels: 1 };
        assert!(matches!(prepare(&[], raw, 44_100), Err(AudioError::Empty)));
        let silence = vec![0u8; 48_000];
        assert!(matches!(prepare(&silence, raw, 44_100), Err(AudioError::Silent)));
        let quiet = wav_i16(&[3; 24_000], 24_000, 1); // about -81 dBFS
        assert!(matches!(prepare(&quiet, AudioHint::Sniff, 44_100), Err(AudioError::Silent)));
        let html = b"<html><body>Service Unavailable</body></html>";
        assert!(matches!(prepare(html, AudioHint::Sniff, 44_100), Err(AudioError::Unrecognized(_))));
    }
}
