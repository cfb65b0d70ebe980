//! The whole chain from backend bytes to clip-ready samples.

use super::{AudioError, AudioHint, decode, resample, to_mono, trim_range};

const THRESHOLD_DB: f32 = -50.0;
const KEEP_MS: u32 = 10;
/// Fade over the kept margin, so a cut never leaves a step (a click) at a clip's edge.
const FADE_MS: u32 = 5;

/// decode → mono → resample to `out_rate` → trim (threshold -50 dBFS, keep 10 ms).
/// Errors with [`AudioError::Empty`] when nothing was decoded and [`AudioError::Silent`] when
/// everything is below the threshold, so a failed utterance never becomes silence.
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
    out.truncate(range.end);
    out.drain(..range.start);
    fade_edges(&mut out, (out_rate * FADE_MS / 1000) as usize);
    Ok(out)
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
