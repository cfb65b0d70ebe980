//! Backend audio bytes in, mono `f32` samples at the output rate out, silence-trimmed.
//!
//! One concept per file: `riff` repairs bogus WAV headers, `decode` turns bytes into
//! interleaved samples, `mix` folds channels to mono, `resample` changes the rate,
//! `trim` finds the audible range and `prepare` chains them.

pub mod chapter_file;

pub mod decode;
pub mod mix;
pub mod prepare;
pub mod resample;
pub mod riff;
pub mod sniff;
pub mod trim;

pub use decode::decode;
pub use mix::to_mono;
pub use prepare::prepare;
pub use resample::resample;
pub use riff::repair_wav_header;
pub use trim::trim_range;

/// Interleaved f32 samples in [-1, 1] with their rate and channel count.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioBuf {
    pub rate: u32,
    pub channels: u16,
    pub samples: Vec<f32>,
}

/// What a backend says about the bytes it returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioHint {
    /// A container or codec: sniff the bytes (WAV, MP3, FLAC, Ogg Vorbis, AAC/MP4). Never trust Content-Type.
    Sniff,
    /// Headerless signed 16-bit little-endian PCM.
    RawS16Le { rate: u32, channels: u16 },
}

/// Why backend bytes could not be turned into usable audio.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("the speech backend returned no audio (0 bytes or no samples)")]
    Empty,
    #[error(
        "the speech backend did not return audio: the response {0}; check the backend URL, API key, voice and output-format settings"
    )]
    Unrecognized(String),
    #[error("could not decode the audio from the speech backend: {0}")]
    Decode(String),
    #[error(
        "raw 16-bit PCM from the speech backend is {len} bytes, not a whole number of {channels}-channel frames; the backend may be sending a different format or a truncated stream"
    )]
    OddPcmLength { len: usize, channels: u16 },
    #[error("could not resample the audio: {0}")]
    Resample(String),
    #[error("the audio from the speech backend is silent (nothing above -50 dBFS); the utterance probably failed")]
    Silent,
    #[error(
        "the audio from the speech backend is noise, not speech ({0}): the response is probably in another format than the preset says (check format and sample_rate) or damaged"
    )]
    Noise(String),
    #[error(
        "the WAV header says {header_rate} Hz, {header_channels} channel(s), but the voice preset says sample_rate = {preset_rate}, mono; one of them is wrong: if the server's header is, ask for headerless audio (e.g. format = \"pcm\") at that rate; if the preset is, correct or remove sample_rate"
    )]
    HeaderMismatch { header_rate: u32, header_channels: u16, preset_rate: u32 },
}

#[cfg(test)]
mod testutil;
