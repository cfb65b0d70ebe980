//! Naming the format of audio bytes from their first bytes, for reports (`seedaudio doctor`).

use super::AudioHint;

/// A short name for the format: `wav`, `mp3`, `flac`, `ogg`, `mp4`, `aac`, `raw s16le`, or
/// `unknown`.
pub fn format_name(bytes: &[u8], hint: AudioHint) -> &'static str {
    if let AudioHint::RawS16Le { .. } = hint {
        return "raw s16le";
    }
    match bytes {
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'A', b'V', b'E', ..] => "wav",
        [b'I', b'D', b'3', ..] => "mp3",
        [b'f', b'L', b'a', b'C', ..] => "flac",
        [b'O', b'g', b'g', b'S', ..] => "ogg",
        [_, _, _, _, b'f', b't', b'y', b'p', ..] => "mp4",
        [0xFF, b, ..] if b & 0xF6 == 0xF0 => "aac",
        [0xFF, b, ..] if b & 0xE0 == 0xE0 => "mp3",
        _ => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(format_name(b"RIFF\0\0\0\0WAVEfmt ", AudioHint::Sniff), "wav");
        assert_eq!(format_name(b"ID3\x04", AudioHint::Sniff), "mp3");
        assert_eq!(format_name(&[0xFF, 0xFB, 0x90], AudioHint::Sniff), "mp3");
        assert_eq!(format_name(&[0xFF, 0xF1, 0x50], AudioHint::Sniff), "aac");
        assert_eq!(format_name(b"\0\0\0\x20ftypM4A ", AudioHint::Sniff), "mp4");
        assert_eq!(format_name(b"x", AudioHint::RawS16Le { rate: 1, channels: 1 }), "raw s16le");
        assert_eq!(format_name(b"<html>", AudioHint::Sniff), "unknown");
    }
}
