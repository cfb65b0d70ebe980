//! Repair of RIFF/WAVE headers whose size fields are placeholders.
//!
//! TTS servers that stream WAV cannot know the final length when they write the header, so they
//! write 0, 0xFFFFFFFF, 0x7FFFFFFF or similar. Symphonia rejects some of these and, when the data
//! length is unknown, drops the final partial packet. We rewrite both sizes from the actual length.

use std::borrow::Cow;

fn read_u32(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// Return `bytes` with the RIFF size set to `len - 8` and the `data` chunk size set to the bytes
/// that actually follow its header (rounded down to whole frames) when the declared size is 0 or
/// runs past the end. Borrowed when nothing needs fixing or the bytes are not RIFF/WAVE.
pub fn repair_wav_header(bytes: &[u8]) -> Cow<'_, [u8]> {
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return Cow::Borrowed(bytes);
    }
    let mut patches: Vec<(usize, u32)> = Vec::new();
    if let Ok(riff_size) = u32::try_from(bytes.len() - 8)
        && read_u32(bytes, 4) != riff_size
    {
        patches.push((4, riff_size));
    }

    let mut block_align: usize = 1;
    let mut pos = 12;
    while pos + 8 <= bytes.len() {
        let id = &bytes[pos..pos + 4];
        let size = read_u32(bytes, pos + 4) as usize;
        let body = pos + 8;
        let remaining = bytes.len() - body;
        if id == b"data" {
            if size == 0 || size > remaining {
                let whole = remaining - remaining % block_align;
                if let Ok(whole) = u32::try_from(whole) {
                    patches.push((pos + 4, whole));
                }
            }
            break;
        }
        if id == b"fmt " && size >= 14 && remaining >= 14 {
            let align = u16::from_le_bytes([bytes[body + 12], bytes[body + 13]]);
            block_align = usize::from(align).max(1);
        }
        // Chunks are padded to an even length; a size running past the end means we cannot
        // trust anything further, so stop walking.
        match body.checked_add(size + (size & 1)) {
            Some(next) if next <= bytes.len() => pos = next,
            _ => break,
        }
    }

    if patches.is_empty() {
        return Cow::Borrowed(bytes);
    }
    let mut fixed = bytes.to_vec();
    for (at, value) in patches {
        fixed[at..at + 4].copy_from_slice(&value.to_le_bytes());
    }
    Cow::Owned(fixed)
}

/// The sample rate and channel count a RIFF/WAVE header announces, if `bytes` is one.
pub fn wav_format(bytes: &[u8]) -> Option<(u32, u16)> {
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return None;
    }
    let mut pos = 12;
    while pos + 8 <= bytes.len() {
        let size = read_u32(bytes, pos + 4) as usize;
        let body = pos + 8;
        if &bytes[pos..pos + 4] == b"fmt " {
            let fmt = bytes.get(body..body + 8)?;
            return Some((u32::from_le_bytes([fmt[4], fmt[5], fmt[6], fmt[7]]), u16::from_le_bytes([fmt[2], fmt[3]])));
        }
        if &bytes[pos..pos + 4] == b"data" {
            return None;
        }
        pos = body.checked_add(size)?.checked_add(size & 1)?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::testutil::{i16_as_f32, sine, to_i16, wav_i16};
    use crate::audio::{AudioHint, decode};

    const FRAMES: usize = 1000; // not a multiple of 1152 (nor of any packet size)

    fn original() -> Vec<i16> {
        to_i16(&sine(440.0, 24_000, FRAMES, 0.5))
    }

    fn set_u32(bytes: &mut [u8], at: usize, value: u32) {
        bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
    }

    /// The hound WAV with extra chunks inserted between `fmt ` and `data`.
    fn with_chunks_before_data(extra: &[u8]) -> Vec<u8> {
        let wav = wav_i16(&original(), 24_000, 1);
        let mut out = wav[..36].to_vec();
        out.extend_from_slice(extra);
        out.extend_from_slice(&wav[36..]);
        let riff = (out.len() - 8) as u32;
        set_u32(&mut out, 4, riff);
        out
    }

    fn assert_decodes_exactly(bytes: &[u8]) {
        let buf = decode(bytes, AudioHint::Sniff).unwrap();
        assert_eq!((buf.rate, buf.channels), (24_000, 1));
        assert_eq!(buf.samples.len(), FRAMES);
        assert_eq!(buf.samples, i16_as_f32(&original()));
    }

    fn corrupted(data_at: usize, riff: u32, data: u32, base: Vec<u8>) -> Vec<u8> {
        let mut bytes = base;
        assert_eq!(&bytes[data_at..data_at + 4], b"data");
        set_u32(&mut bytes, 4, riff);
        set_u32(&mut bytes, data_at + 4, data);
        bytes
    }

    #[test]
    fn format_from_the_header() {
        assert_eq!(wav_format(&wav_i16(&original(), 24_000, 1)), Some((24_000, 1)));
        assert_eq!(wav_format(&wav_i16(&[0, 0], 48_000, 2)), Some((48_000, 2)));
        assert_eq!(wav_format(&with_chunks_before_data(b"LIST\x04\0\0\0INFO")), Some((24_000, 1)));
        assert_eq!(wav_format(b"RIFF\0\0\0\0WAVEfmt \xff\xff\xff\xff"), None);
        assert_eq!(wav_format(b"ID3\x04"), None);
    }

    #[test]
    fn valid_and_non_riff_input_is_borrowed() {
        let wav = wav_i16(&original(), 24_000, 1);
        assert!(matches!(repair_wav_header(&wav), Cow::Borrowed(_)));
        let mp3ish = b"ID3\x04\x00\x00\x00\x00\x00\x00rest";
        assert!(matches!(repair_wav_header(mp3ish), Cow::Borrowed(_)));
        assert!(matches!(repair_wav_header(b"RIFF"), Cow::Borrowed(_)));
        assert_decodes_exactly(&wav);
    }

    #[test]
    fn sizes_are_rewritten_to_the_real_lengths() {
        let wav = wav_i16(&original(), 24_000, 1);
        let bad = corrupted(36, u32::MAX, u32::MAX, wav.clone());
        let fixed = repair_wav_header(&bad);
        assert_eq!(&fixed[..44], &wav[..44], "header not restored");
        assert!(fixed[44..] == wav[44..], "payload changed");
    }

    #[test]
    fn bogus_size_patterns_keep_every_sample() {
        let patterns = [
            ("ffmpeg/OpenAI", u32::MAX, u32::MAX),
            ("ElevenLabs", 0x7FFF_FFFF, 0x7FFF_FFFF),
            ("espeak-ng", 0x7FFF_F024, 0x7FFF_F000),
            ("GPT-SoVITS", 0x7FFF_F024, 0),
            ("Azure", 0, (FRAMES * 2) as u32),
            ("both zero", 0, 0),
        ];
        for (name, riff, data) in patterns {
            eprintln!("pattern {name}");
            let bytes = corrupted(36, riff, data, wav_i16(&original(), 24_000, 1));
            assert!(matches!(repair_wav_header(&bytes), Cow::Owned(_)), "{name}");
            assert_decodes_exactly(&bytes);
        }
    }

    #[test]
    fn list_chunk_before_data() {
        let mut list = b"LIST".to_vec();
        let payload = b"INFOISFT\x0e\x00\x00\x00Lavf60.16.100\x00";
        list.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        list.extend_from_slice(payload);
        let base = with_chunks_before_data(&list);
        let data_at = 36 + list.len();
        assert_decodes_exactly(&base);
        assert_decodes_exactly(&corrupted(data_at, u32::MAX, u32::MAX, base.clone()));
        assert_decodes_exactly(&corrupted(data_at, 0, 0, base));
    }

    #[test]
    fn odd_length_chunk_with_pad_byte() {
        // 5-byte chunk + 1 pad byte: a walker that ignores padding misses `data`.
        let chunk = b"junk\x05\x00\x00\x00abcde\x00";
        let base = with_chunks_before_data(chunk);
        let data_at = 36 + chunk.len();
        let bad = corrupted(data_at, u32::MAX, u32::MAX, base);
        let fixed = repair_wav_header(&bad);
        assert_eq!(read_u32(&fixed, data_at + 4) as usize, FRAMES * 2);
        assert_decodes_exactly(&bad);
    }

    #[test]
    fn partial_trailing_frame_is_dropped() {
        let stereo = to_i16(&sine(440.0, 24_000, FRAMES * 2, 0.5));
        let mut bytes = wav_i16(&stereo, 24_000, 2);
        bytes.extend_from_slice(&[0x12, 0x34, 0x56]); // a stream cut mid-frame
        let bad = corrupted(36, u32::MAX, u32::MAX, bytes);
        let fixed = repair_wav_header(&bad);
        assert_eq!(read_u32(&fixed, 4) as usize, bad.len() - 8);
        assert_eq!(read_u32(&fixed, 40) as usize, FRAMES * 4);
        let buf = decode(&bad, AudioHint::Sniff).unwrap();
        assert_eq!(buf.channels, 2);
        assert_eq!(buf.samples, i16_as_f32(&stereo));
    }

    #[test]
    #[ignore = "needs espeak-ng: apt-get install espeak-ng"]
    fn espeak_ng_stdout_keeps_every_sample() {
        let program = std::path::Path::new("/usr/bin/espeak-ng");
        assert!(program.exists(), "{} is not installed (apt-get install espeak-ng)", program.display());
        let output =
            std::process::Command::new(program).args(["-v", "en", "--stdout", "hello world"]).output().unwrap();
        assert!(output.status.success(), "espeak-ng failed: {output:?}");
        let bytes = output.stdout;
        assert_eq!(read_u32(&bytes, 40), 0x7FFF_F000, "espeak-ng header changed");
        let buf = decode(&bytes, AudioHint::Sniff).unwrap();
        assert_eq!(buf.channels, 1);
        assert_eq!(buf.samples.len(), (bytes.len() - 44) / 2);
        let last = i16::from_le_bytes([bytes[bytes.len() - 2], bytes[bytes.len() - 1]]);
        assert_eq!(*buf.samples.last().unwrap(), f32::from(last) / 32768.0);
        assert!(buf.samples.iter().any(|s| s.abs() > 0.1), "no speech decoded");
    }
}
