//! The Xing/LAME "Info" frame: the first frame of the MP3, silent, that says how many frames
//! and bytes follow and how many samples the encoder added at the start (its delay) and the
//! end (padding). FFmpeg, symphonia and gapless players cut those samples off, so the decoded
//! audio starts exactly where the WAV did and chapter times stay true.
//!
//! LAME writes this frame itself only when it fits in a frame of the stream's own bit rate,
//! which below 64 kbit/s it often does not (a 32 kbit/s frame at 22.05 kHz is 104 bytes;
//! the Info frame needs 169). So seedaudio always writes its own, at the stream's bit rate or
//! the smallest higher one it fits in, in LAME's layout, with LAME's CRCs.

use super::frame::{Header, crc16};

/// Samples LAME 3.100 adds before the audio (its `ENCDELAY`, fixed when nothing is
/// resampled). Decoders add their own 529 samples of MDCT delay to this when they trim.
pub const ENCODER_DELAY: u32 = 576;

/// Bytes from "Info" to the end of the LAME extension: tag, flags, frames, bytes, a
/// 100-entry seek table, quality (120), then the LAME extension (36).
const INFO_LEN: usize = 120 + 36;

/// The header of the Info frame for a stream of `stream` frames: the stream's own bit rate if
/// the Info frame fits, else the smallest higher one of the same MPEG version that does.
pub fn info_header(stream: Header) -> Header {
    let needed = 4 + stream.version.mono_side_info() + INFO_LEN;
    stream
        .version
        .bitrates()
        .into_iter()
        .filter(|&k| k >= stream.kbps)
        .map(|kbps| Header { kbps, padded: false, ..stream })
        .find(|h| h.frame_len() >= needed)
        .expect("the largest frame of every MPEG version holds the Info frame")
}

/// What the Info frame describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamSummary {
    /// Audio frames after the Info frame.
    pub frames: u64,
    /// Bytes of those frames.
    pub bytes: u64,
    /// CRC-16 of those bytes.
    pub crc: u16,
    /// Samples that were encoded (the WAV's length).
    pub samples: u64,
}

/// The Info frame (of `header`'s length) for `stream` encoded at `stream_kbps`.
pub fn info_frame(header: Header, stream_kbps: u32, stream: &StreamSummary) -> Result<Vec<u8>, String> {
    let spf = u64::from(header.version.samples_per_frame());
    let capacity = stream.frames * spf;
    let padding = capacity
        .checked_sub(stream.samples + u64::from(ENCODER_DELAY))
        .filter(|&p| p < 4096)
        .ok_or_else(|| format!("{} frames cannot hold {} samples and LAME's delay", stream.frames, stream.samples))?;
    let len = header.frame_len();
    let total_bytes = u32::try_from(stream.bytes + len as u64)
        .map_err(|_| format!("{} bytes of MP3 is more than the Info frame can describe (4 GiB)", stream.bytes))?;
    let frames = u32::try_from(stream.frames).map_err(|_| "too many MP3 frames".to_string())?;

    let mut f = vec![0u8; len];
    f[..4].copy_from_slice(&header.to_bytes());
    let x = 4 + header.version.mono_side_info();
    f[x..x + 4].copy_from_slice(b"Info");
    // Flags: frame count, byte count, seek table and quality are present.
    f[x + 4..x + 8].copy_from_slice(&0x0Fu32.to_be_bytes());
    f[x + 8..x + 12].copy_from_slice(&frames.to_be_bytes());
    f[x + 12..x + 16].copy_from_slice(&total_bytes.to_be_bytes());
    // Seek table: at constant bit rate, percent of time is percent of bytes.
    for i in 0..100 {
        f[x + 16 + i] = (i * 256 / 100) as u8;
    }
    // Quality (x + 116..x + 120) is left 0: unknown.
    let l = x + 120;
    f[l..l + 9].copy_from_slice(b"LAME3.100");
    // Tag revision 0, method 1: constant bit rate.
    f[l + 9] = 0x01;
    f[l + 20] = stream_kbps.min(255) as u8;
    let delay_padding = (ENCODER_DELAY << 12) | padding as u32;
    f[l + 21..l + 24].copy_from_slice(&delay_padding.to_be_bytes()[1..]);
    // Source sample rate: 00 up to 32 kHz, 01 44.1 kHz, 10 48 kHz.
    f[l + 24] = match header.rate {
        44_100 => 0b01 << 6,
        48_000 => 0b10 << 6,
        _ => 0,
    };
    f[l + 28..l + 32].copy_from_slice(&total_bytes.to_be_bytes());
    f[l + 32..l + 34].copy_from_slice(&stream.crc.to_be_bytes());
    let tag_crc = crc16(0, &f[..l + 34]);
    f[l + 34..l + 36].copy_from_slice(&tag_crc.to_be_bytes());
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_frame_uses_the_stream_rate_when_it_fits() {
        assert_eq!(info_header(Header::mono(44_100, 64).unwrap()).kbps, 64);
        assert_eq!(info_header(Header::mono(44_100, 32).unwrap()).kbps, 56);
        assert_eq!(info_header(Header::mono(22_050, 32).unwrap()).kbps, 56);
        assert_eq!(info_header(Header::mono(16_000, 32).unwrap()).kbps, 40);
        assert_eq!(info_header(Header::mono(48_000, 320).unwrap()).kbps, 320);
    }

    /// Compares with the Info frame LAME 3.100 wrote for 4 s of 44.1 kHz mono at 64 kbit/s
    /// (155 frames, 32599 bytes with the Info frame, music CRC 0x39be): the fields LAME fills
    /// that seedaudio does not (lowpass, quality, noise shaping, preset) aside, identical.
    #[test]
    fn info_frame_matches_lames_layout() {
        let header = info_header(Header::mono(44_100, 64).unwrap());
        let summary = StreamSummary { frames: 155, bytes: 32_599 - 208, crc: 0x39be, samples: 176_400 };
        let f = info_frame(header, 64, &summary).unwrap();
        assert_eq!(f.len(), 208);
        assert_eq!(&f[..4], &[0xFF, 0xFB, 0x50, 0xC4]);
        assert_eq!(&f[21..37], &hex("496e666f0000000f0000009b00007f57"));
        assert_eq!(&f[37..41], &[0x00, 0x02, 0x05, 0x07]);
        assert_eq!(&f[141..151], b"LAME3.100\x01");
        assert!(f[151..161].iter().all(|&b| b == 0));
        // Bit rate, delay 576 and padding 1584, source rate 44.1 kHz, music length and CRC.
        assert_eq!(&f[161..166], &hex("4024063040"));
        assert_eq!(&f[169..175], &hex("00007f5739be"));
        assert_eq!(u16::from_be_bytes([f[175], f[176]]), crc16(0, &f[..175]));
        assert!(f[177..].iter().all(|&b| b == 0));
    }

    #[test]
    fn impossible_padding_is_an_error() {
        let header = info_header(Header::mono(44_100, 64).unwrap());
        let short = StreamSummary { frames: 10, bytes: 2080, crc: 0, samples: 176_400 };
        assert!(info_frame(header, 64, &short).is_err());
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }
}
