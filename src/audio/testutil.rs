//! Signal and WAV builders shared by the unit tests.

use std::f32::consts::TAU;
use std::io::Cursor;

/// `n` samples of a sine at `freq` Hz and `amp` amplitude sampled at `rate`.
pub fn sine(freq: f32, rate: u32, n: usize, amp: f32) -> Vec<f32> {
    (0..n).map(|i| amp * (TAU * freq * i as f32 / rate as f32).sin()).collect()
}

/// Quantise to i16 the way the tests' WAV files store samples.
pub fn to_i16(samples: &[f32]) -> Vec<i16> {
    samples.iter().map(|s| (s * 32767.0).round() as i16).collect()
}

/// A 16-bit PCM WAV file (44-byte header) holding interleaved `samples`.
pub fn wav_i16(samples: &[i16], rate: u32, channels: u16) -> Vec<u8> {
    let spec =
        hound::WavSpec { channels, sample_rate: rate, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
    let mut cursor = Cursor::new(Vec::new());
    let mut writer = hound::WavWriter::new(&mut cursor, spec).unwrap();
    for &s in samples {
        writer.write_sample(s).unwrap();
    }
    writer.finalize().unwrap();
    let bytes = cursor.into_inner();
    assert_eq!(&bytes[36..40], b"data", "hound wrote an unexpected header layout");
    bytes
}

/// The f32 values the decoder should produce for `samples`.
pub fn i16_as_f32(samples: &[i16]) -> Vec<f32> {
    samples.iter().map(|&s| f32::from(s) / 32768.0).collect()
}
