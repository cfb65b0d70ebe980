//! Decoding backend bytes into interleaved `f32` samples.

use std::io::{Cursor, ErrorKind};

use symphonia::core::codecs::audio::AudioDecoderOptions;
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, TrackType};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;

use super::{AudioBuf, AudioError, AudioHint, repair_wav_header};

/// Decode `bytes` as described by `hint`. WAV headers are repaired first.
pub fn decode(bytes: &[u8], hint: AudioHint) -> Result<AudioBuf, AudioError> {
    if bytes.is_empty() {
        return Err(AudioError::Empty);
    }
    // An error page or JSON is never audio, whatever was asked for: read as raw PCM it would
    // be static in a chapter.
    if let Some(what) = describe_text(bytes) {
        return Err(AudioError::Unrecognized(what));
    }
    let buf = match hint {
        // A server that sends a whole file where headerless PCM was asked for: its header
        // (an unmistakable magic) is the better description of the bytes.
        AudioHint::RawS16Le { .. } if has_container_magic(bytes) => decode_container(&repair_wav_header(bytes))?,
        AudioHint::RawS16Le { rate, channels } => decode_raw_s16le(bytes, rate, channels)?,
        AudioHint::Sniff => decode_container(&repair_wav_header(bytes))?,
    };
    if buf.samples.is_empty() {
        return Err(AudioError::Empty);
    }
    Ok(buf)
}

/// A four-byte magic that raw PCM does not start with in practice (MPEG sync words are left
/// out: `FF FF` is ordinary near-silent PCM).
fn has_container_magic(bytes: &[u8]) -> bool {
    matches!(
        bytes,
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'A', b'V', b'E', ..]
            | [b'I', b'D', b'3', 2..=4, ..]
            | [b'f', b'L', b'a', b'C', ..]
            | [b'O', b'g', b'g', b'S', ..]
            | [_, _, _, _, b'f', b't', b'y', b'p', ..]
    )
}

fn decode_raw_s16le(bytes: &[u8], rate: u32, channels: u16) -> Result<AudioBuf, AudioError> {
    if rate == 0 || channels == 0 {
        return Err(AudioError::Decode(format!(
            "raw PCM needs a non-zero rate and channel count (got {rate} Hz, {channels} channels)"
        )));
    }
    if !bytes.len().is_multiple_of(2 * usize::from(channels)) {
        return Err(AudioError::OddPcmLength { len: bytes.len(), channels });
    }
    let samples = bytes.chunks_exact(2).map(|b| f32::from(i16::from_le_bytes([b[0], b[1]])) / 32768.0).collect();
    Ok(AudioBuf { rate, channels, samples })
}

fn decode_container(bytes: &[u8]) -> Result<AudioBuf, AudioError> {
    let mss = MediaSourceStream::new(Box::new(Cursor::new(bytes)), Default::default());
    let mut format = symphonia::default::get_probe()
        .probe(&Hint::new(), mss, FormatOptions::default(), MetadataOptions::default())
        .map_err(|e| AudioError::Unrecognized(format!("{} ({e})", describe_binary(bytes))))?;

    let track = format
        .default_track(TrackType::Audio)
        .ok_or_else(|| AudioError::Decode("the container has no audio track".into()))?;
    let track_id = track.id;
    let params = track
        .codec_params
        .as_ref()
        .and_then(|p| p.audio())
        .ok_or_else(|| AudioError::Decode("the audio track has no codec parameters".into()))?;
    let mut decoder = symphonia::default::get_codecs()
        .make_audio_decoder(params, &AudioDecoderOptions::default())
        .map_err(|e| AudioError::Decode(format!("unsupported codec: {e}")))?;

    let mut spec: Option<(u32, u16)> = None;
    let mut samples: Vec<f32> = Vec::new();
    let mut chunk: Vec<f32> = Vec::new();
    let mut bad_packets = 0usize;
    let mut last_error = String::new();
    loop {
        let packet = match format.next_packet() {
            Ok(Some(packet)) => packet,
            Ok(None) => break,
            // A stream cut short mid-packet: keep what was decoded.
            Err(SymError::IoError(e)) if e.kind() == ErrorKind::UnexpectedEof => break,
            Err(e) => return Err(AudioError::Decode(e.to_string())),
        };
        if packet.track_id != track_id {
            continue;
        }
        match decoder.decode(&packet) {
            Ok(decoded) => {
                let rate = decoded.spec().rate();
                let channels = u16::try_from(decoded.spec().channels().count())
                    .map_err(|_| AudioError::Decode("too many channels".into()))?;
                match spec {
                    None => spec = Some((rate, channels)),
                    Some(s) if s != (rate, channels) => {
                        return Err(AudioError::Decode(format!(
                            "the stream changes format midway ({} Hz/{} ch to {rate} Hz/{channels} ch)",
                            s.0, s.1
                        )));
                    }
                    Some(_) => {}
                }
                decoded.copy_to_vec_interleaved(&mut chunk);
                samples.extend_from_slice(&chunk);
            }
            Err(SymError::DecodeError(e)) => {
                bad_packets += 1;
                last_error = e.to_string();
            }
            Err(e) => return Err(AudioError::Decode(e.to_string())),
        }
    }
    match spec {
        Some((rate, channels)) if rate > 0 && channels > 0 => Ok(AudioBuf { rate, channels, samples }),
        _ if bad_packets > 0 => Err(AudioError::Decode(format!(
            "none of {bad_packets} packets could be decoded (last error: {last_error})"
        ))),
        _ => Err(AudioError::Empty),
    }
}

/// If the bytes look like text (an error page, a JSON error), say what they look like.
fn describe_text(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(512)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        // A multi-byte character cut by the 512-byte window is still text.
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).ok()?,
        Err(_) => return None,
    };
    if text.is_empty() || text.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return None;
    }
    let trimmed = text.trim_start();
    let lower: String = trimmed.chars().take(15).collect::<String>().to_ascii_lowercase();
    let kind = if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        "is an HTML page"
    } else if lower.starts_with("<?xml") || lower.starts_with('<') {
        "is XML/HTML text"
    } else if lower.starts_with('{') || lower.starts_with('[') {
        "is JSON"
    } else {
        "is plain text"
    };
    let preview: String = trimmed.chars().take(120).collect();
    let preview = preview.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(format!("{kind}: \"{preview}\""))
}

fn describe_binary(bytes: &[u8]) -> String {
    let hex: Vec<String> = bytes.iter().take(16).map(|b| format!("{b:02x}")).collect();
    let kind = if bytes.starts_with(b"RIFF") {
        "looks like a WAV file but its header is unreadable"
    } else {
        "is unknown binary data"
    };
    format!("{kind} ({} bytes starting with {})", bytes.len(), hex.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::testutil::{i16_as_f32, sine, to_i16, wav_i16};

    fn raw_bytes(samples: &[i16]) -> Vec<u8> {
        samples.iter().flat_map(|s| s.to_le_bytes()).collect()
    }

    #[test]
    fn raw_s16le_round_trip_mono_and_stereo() {
        let pcm: Vec<i16> = vec![0, 1, -1, i16::MAX, i16::MIN, 12345, -12345, 7];
        let mono = decode(&raw_bytes(&pcm), AudioHint::RawS16Le { rate: 16_000, channels: 1 });
        let mono = mono.unwrap();
        assert_eq!((mono.rate, mono.channels), (16_000, 1));
        assert_eq!(mono.samples, i16_as_f32(&pcm));
        assert_eq!(mono.samples[4], -1.0);

        let stereo = decode(&raw_bytes(&pcm), AudioHint::RawS16Le { rate: 24_000, channels: 2 });
        let stereo = stereo.unwrap();
        assert_eq!((stereo.rate, stereo.channels), (24_000, 2));
        assert_eq!(stereo.samples, i16_as_f32(&pcm));
    }

    #[test]
    fn raw_s16le_rejects_partial_samples_and_frames() {
        let hint1 = AudioHint::RawS16Le { rate: 16_000, channels: 1 };
        let hint2 = AudioHint::RawS16Le { rate: 16_000, channels: 2 };
        assert!(matches!(decode(&[1, 2, 3], hint1), Err(AudioError::OddPcmLength { len: 3, channels: 1 })));
        assert!(matches!(decode(&[1, 2, 3, 4, 5, 6], hint2), Err(AudioError::OddPcmLength { len: 6, channels: 2 })));
    }

    #[test]
    fn wav_mono_and_stereo() {
        let mono = to_i16(&sine(440.0, 22_050, 3000, 0.3));
        let buf = decode(&wav_i16(&mono, 22_050, 1), AudioHint::Sniff).unwrap();
        assert_eq!((buf.rate, buf.channels), (22_050, 1));
        assert_eq!(buf.samples, i16_as_f32(&mono));

        let stereo: Vec<i16> = mono.iter().flat_map(|&s| [s, -s / 2]).collect();
        let buf = decode(&wav_i16(&stereo, 48_000, 2), AudioHint::Sniff).unwrap();
        assert_eq!((buf.rate, buf.channels), (48_000, 2));
        assert_eq!(buf.samples, i16_as_f32(&stereo));
    }

    #[test]
    fn a_file_or_a_page_where_raw_pcm_was_asked_for() {
        let raw = AudioHint::RawS16Le { rate: 8000, channels: 1 };
        let mono = to_i16(&sine(440.0, 22_050, 2205, 0.3));
        let buf = decode(&wav_i16(&mono, 22_050, 1), raw).unwrap();
        assert_eq!((buf.rate, buf.channels, buf.samples.len()), (22_050, 1, 2205));
        let html = b"<!DOCTYPE html><html><body>Error</body></html>";
        assert!(matches!(decode(html, raw), Err(AudioError::Unrecognized(w)) if w.contains("HTML")));
    }

    #[test]
    fn empty_input_is_empty_error() {
        assert!(matches!(decode(&[], AudioHint::Sniff), Err(AudioError::Empty)));
        let raw = AudioHint::RawS16Le { rate: 8000, channels: 1 };
        assert!(matches!(decode(&[], raw), Err(AudioError::Empty)));
        // A well-formed WAV with no frames is just as empty.
        let wav = wav_i16(&[], 8000, 1);
        assert!(matches!(decode(&wav, AudioHint::Sniff), Err(AudioError::Empty)));
    }

    #[test]
    fn text_responses_are_unrecognized_with_a_description() {
        let html = b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head></html>";
        match decode(html, AudioHint::Sniff) {
            Err(AudioError::Unrecognized(what)) => {
                assert!(what.contains("HTML"), "{what}");
                assert!(what.contains("502 Bad Gateway"), "{what}");
            }
            other => panic!("expected Unrecognized, got {other:?}"),
        }
        let json = br#"  {"error": {"message": "Invalid API key", "code": 401}}"#;
        match decode(json, AudioHint::Sniff) {
            Err(e @ AudioError::Unrecognized(_)) => {
                let msg = e.to_string();
                assert!(msg.contains("JSON") && msg.contains("Invalid API key"), "{msg}");
            }
            other => panic!("expected Unrecognized, got {other:?}"),
        }
    }

    #[test]
    fn random_bytes_are_an_error_not_a_panic() {
        // xorshift noise, several seeds and lengths; 0xFF bytes make fake MPEG sync words likely.
        for seed in 1..=8u64 {
            let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            let len = 200 * seed as usize + 37;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    (x >> 24) as u8
                })
                .collect();
            let result = decode(&bytes, AudioHint::Sniff);
            assert!(
                matches!(result, Err(AudioError::Unrecognized(_) | AudioError::Decode(_))),
                "seed {seed}: {result:?}"
            );
        }
        // A RIFF header with nothing usable after it.
        let result = decode(b"RIFF\xff\xff\xff\xffWAVEjunk", AudioHint::Sniff);
        assert!(result.is_err(), "{result:?}");
    }
}
