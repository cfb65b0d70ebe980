//! One cache entry on disk: a magic line, a line of JSON metadata, then the backend's bytes.
//! The metadata carries the payload's length and BLAKE3 hash, so truncation or damage is
//! found on read.

use serde::{Deserialize, Serialize};

use crate::audio::AudioHint;
use crate::backend::Audio;

const MAGIC: &[u8] = b"SEEDAUDIO-CACHE 1\n";

#[derive(Debug, Serialize, Deserialize)]
struct Meta {
    /// The backend kind that made it, for `cache stats`.
    kind: String,
    /// `None` for sniffed containers, else raw 16-bit PCM at this rate and channel count.
    raw_rate: Option<u32>,
    raw_channels: Option<u16>,
    len: usize,
    blake3: String,
    /// Seconds since the Unix epoch.
    created: u64,
}

pub fn encode(kind: &str, audio: &Audio) -> Vec<u8> {
    let (raw_rate, raw_channels) = match audio.hint {
        AudioHint::RawS16Le { rate, channels } => (Some(rate), Some(channels)),
        AudioHint::Sniff => (None, None),
    };
    let meta = Meta {
        kind: kind.to_string(),
        raw_rate,
        raw_channels,
        len: audio.bytes.len(),
        blake3: blake3::hash(&audio.bytes).to_hex().to_string(),
        created: std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()),
    };
    let mut out = MAGIC.to_vec();
    out.extend(serde_json::to_vec(&meta).expect("plain data"));
    out.push(b'\n');
    out.extend(&audio.bytes);
    out
}

/// The entry's backend kind and creation time, without checking the payload.
pub fn header(bytes: &[u8]) -> Option<(String, u64)> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let end = rest.iter().position(|&b| b == b'\n')?;
    let meta: Meta = serde_json::from_slice(&rest[..end]).ok()?;
    Some((meta.kind, meta.created))
}

pub fn decode(bytes: &[u8]) -> Result<Audio, String> {
    let rest = bytes.strip_prefix(MAGIC).ok_or("not a seedaudio cache entry")?;
    let end = rest.iter().position(|&b| b == b'\n').ok_or("no metadata line")?;
    let meta: Meta = serde_json::from_slice(&rest[..end]).map_err(|e| format!("bad metadata: {e}"))?;
    let payload = &rest[end + 1..];
    if payload.len() != meta.len {
        return Err(format!("length {} where {} were stored", payload.len(), meta.len));
    }
    if blake3::hash(payload).to_hex().as_str() != meta.blake3 {
        return Err("the audio does not match its checksum".into());
    }
    let hint = match (meta.raw_rate, meta.raw_channels) {
        (Some(rate), Some(channels)) => AudioHint::RawS16Le { rate, channels },
        _ => AudioHint::Sniff,
    };
    Ok(Audio { bytes: payload.to_vec(), hint })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damage_is_found() {
        let audio = Audio { bytes: b"RIFF....WAVE".to_vec(), hint: AudioHint::Sniff };
        let mut bytes = encode("azure", &audio);
        assert_eq!(decode(&bytes).unwrap(), audio);
        assert_eq!(header(&bytes).unwrap().0, "azure");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert!(decode(&bytes).unwrap_err().contains("checksum"));
        assert!(decode(b"hello").is_err());
    }
}
