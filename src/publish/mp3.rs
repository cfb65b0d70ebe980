//! MP3 files with chapters: seedaudio WAVs (a chapter file, or an episode's chapter files one
//! after another) streamed through LAME, behind an ID3v2 tag whose CHAP frames mark the
//! track's chapters and sections.
//!
//! The file is mono CBR at the WAV's own sample rate (nothing is resampled: a rate MP3 cannot
//! hold is refused). LAME delays the audio by its encoder delay (576 + 529 samples) and pads
//! the last frame; the first frame of the file is a Xing/LAME "Info" frame that records both
//! (`mp3/info.rs`), so FFmpeg, symphonia and gapless players cut them off and the decoded audio
//! lines up with the WAV sample for sample. The chapter times are the WAV's times.
//!
//! Layout: ID3v2.3 tag (`mp3/tag.rs`), Info frame, LAME's frames.
//!
//! Memory stays flat: the WAV is read in blocks of [`BLOCK`] samples and each block's MP3
//! bytes go straight to a hidden temporary file in the destination folder, renamed into place
//! when complete, so a reader never sees half a file.

mod frame;
mod info;
mod tag;

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use mp3lame_encoder::{Bitrate, Builder, FlushGap, Mode, MonoPcm, Quality};

use crate::publish::track::Track;
use frame::{FrameScan, Header};
use info::{StreamSummary, info_frame, info_header};

pub use tag::{Tags, iso639_2};
use tag::{seconds_to_ms, tag_bytes};

/// Samples read and encoded at a time (32 MP3 frames at 1152 samples a frame).
pub const BLOCK: usize = 1152 * 32;

/// The sample rates an MP3 can hold (MPEG-1, MPEG-2 and MPEG-2.5 Layer III).
pub const SAMPLE_RATES: [u32; 9] = [8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000];

/// The constant bit rates offered, in kbit/s. 56 is a valid MP3 rate, but the LAME binding
/// (`mp3lame-encoder` 0.2) has no way to ask for it.
pub const BITRATES: [u32; 13] = [32, 40, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];

/// How far (seconds) a track's duration may be from its WAV's before the pair is refused as
/// not belonging together: more than rounding, less than a missing utterance.
pub const DURATION_TOLERANCE: f64 = 0.5;

/// How the audio is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mp3Settings {
    /// Constant bit rate in kbit/s, one of [`BITRATES`]. 64 is plenty for one voice; 96 for
    /// music beds or a demanding listener.
    pub kbps: u32,
}

impl Default for Mp3Settings {
    fn default() -> Self {
        Mp3Settings { kbps: 64 }
    }
}

impl Mp3Settings {
    /// Checks the bit rate on its own (32..=320 and one LAME can write).
    pub fn validate(&self) -> Result<(), Mp3Error> {
        bitrate(self.kbps).map(|_| ())
    }

    /// Checks the bit rate and that audio at `rate` Hz can be written with it, before any
    /// audio is made (the error names `--sample-rate`).
    pub fn validate_for_rate(&self, rate: u32) -> Result<(), Mp3Error> {
        self.validate()?;
        check_rate(self.kbps, rate, Path::new("--sample-rate"))
    }
}

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mp3Info {
    /// Size of the MP3 file.
    pub bytes: u64,
    /// Seconds of audio encoded (the WAV's samples ÷ its rate).
    pub duration: f64,
}

#[derive(Debug, thiserror::Error)]
pub enum Mp3Error {
    #[error("MP3 bit rate {0} kbit/s is not offered: use one of {list} (64 suits speech)", list = list(&BITRATES))]
    Bitrate(u32),
    #[error(
        "MP3 bit rate {kbps} kbit/s is too high for {rate} Hz audio (at most {max} kbit/s below 32000 Hz): \
         lower the bit rate or raise the sample rate"
    )]
    BitrateForRate { kbps: u32, rate: u32, max: u32 },
    #[error(
        "{path}: {rate} Hz cannot be stored in an MP3 (it holds {list} Hz); build with --sample-rate 44100 \
         (or another of those)", list = list(&SAMPLE_RATES)
    )]
    SampleRate { path: PathBuf, rate: u32 },
    #[error(
        "{path}: expected 16-bit mono PCM as seedaudio writes it, found {channels} channel(s) of {bits}-bit {kind}"
    )]
    WavFormat { path: PathBuf, channels: u16, bits: u16, kind: &'static str },
    #[error("{path}: cannot read the WAV: {source}")]
    Wav { path: PathBuf, source: hound::Error },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(
        "{path}: the WAV is {wav:.3} s long but track {stem} is {track:.3} s; is it the right WAV? Rebuild the \
         chapters and the manifest together"
    )]
    TrackMismatch { path: PathBuf, stem: String, wav: f64, track: f64 },
    #[error("{path} is at {rate} Hz but the first WAV is at {first} Hz: one MP3 has one rate")]
    MixedRates { path: PathBuf, rate: u32, first: u32 },
    #[error("no WAV to encode")]
    NoInput,
    #[error("the MP3 encoder (LAME) failed: {0}")]
    Encoder(String),
    #[error("cannot write the ID3 tag: {0}")]
    Tag(#[from] id3::Error),
}

fn list(values: &[u32]) -> String {
    values.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
}

fn bitrate(kbps: u32) -> Result<Bitrate, Mp3Error> {
    Ok(match kbps {
        32 => Bitrate::Kbps32,
        40 => Bitrate::Kbps40,
        48 => Bitrate::Kbps48,
        64 => Bitrate::Kbps64,
        80 => Bitrate::Kbps80,
        96 => Bitrate::Kbps96,
        112 => Bitrate::Kbps112,
        128 => Bitrate::Kbps128,
        160 => Bitrate::Kbps160,
        192 => Bitrate::Kbps192,
        224 => Bitrate::Kbps224,
        256 => Bitrate::Kbps256,
        320 => Bitrate::Kbps320,
        _ => return Err(Mp3Error::Bitrate(kbps)),
    })
}

/// Checks that `kbps` can be written at `rate`: MPEG-2/2.5 (below 32 kHz) stop at 160 kbit/s.
fn check_rate(kbps: u32, rate: u32, path: &Path) -> Result<(), Mp3Error> {
    if !SAMPLE_RATES.contains(&rate) {
        return Err(Mp3Error::SampleRate { path: path.to_path_buf(), rate });
    }
    if rate < 32_000 && kbps > 160 {
        return Err(Mp3Error::BitrateForRate { kbps, rate, max: 160 });
    }
    Ok(())
}

/// Encodes the 16-bit mono WAV `wav` to `mp3` with `tags` and one chapter per mark of `track`
/// (whose times are the WAV's). Refuses a WAV whose length differs from the track's by more
/// than [`DURATION_TOLERANCE`]. `mp3` is replaced atomically; on error nothing is left behind.
pub fn encode_wav(
    wav: &Path,
    mp3: &Path,
    track: &Track,
    tags: &Tags,
    settings: &Mp3Settings,
) -> Result<Mp3Info, Mp3Error> {
    encode_wavs(&[wav], mp3, track, tags, settings)
}

/// Like [`encode_wav`] for WAVs heard one after another (same rate), e.g. an episode's
/// chapter files: no episode WAV need be written, which matters because a WAV cannot pass
/// 4 GiB (6.7 hours at 44.1 kHz) and a long book's full episode would.
pub fn encode_wavs(
    wavs: &[&Path],
    mp3: &Path,
    track: &Track,
    tags: &Tags,
    settings: &Mp3Settings,
) -> Result<Mp3Info, Mp3Error> {
    let brate = bitrate(settings.kbps)?;
    let mut readers = Vec::with_capacity(wavs.len());
    let mut rate = None;
    let mut total = 0u64;
    for &wav in wavs {
        let reader = open_wav(wav)?;
        let r = reader.spec().sample_rate;
        check_rate(settings.kbps, r, wav)?;
        if let Some(first) = rate.filter(|&first| first != r) {
            return Err(Mp3Error::MixedRates { path: wav.to_path_buf(), rate: r, first });
        }
        rate = Some(r);
        total += u64::from(reader.duration());
        readers.push((wav, reader));
    }
    let Some(rate) = rate else {
        return Err(Mp3Error::NoInput);
    };
    let duration = total as f64 / f64::from(rate);
    if (duration - track.duration).abs() > DURATION_TOLERANCE {
        return Err(Mp3Error::TrackMismatch {
            path: wavs[0].to_path_buf(),
            stem: track.stem.clone(),
            wav: duration,
            track: track.duration,
        });
    }

    let header = tag_bytes(tags, track, seconds_to_ms(duration))?;
    let stream =
        Header::mono(rate, settings.kbps).ok_or(Mp3Error::BitrateForRate { kbps: settings.kbps, rate, max: 160 })?;
    let info = info_header(stream);
    let mut encoder = encoder(rate, brate)?;
    let lame_err = |e: String| Mp3Error::Encoder(e);

    let io_err = |source| Mp3Error::Io { path: mp3.to_path_buf(), source };
    let dir = mp3.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = mp3.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let (prefix, suffix) = crate::outdir::names::partial_affixes(&name);
    // Dropped on any error below, which deletes it.
    let temp = tempfile::Builder::new().prefix(&prefix).suffix(suffix).tempfile_in(dir).map_err(io_err)?;
    let mut out = BufWriter::new(temp);
    out.write_all(&header).map_err(io_err)?;
    // Room for the Info frame, written once the stream is known.
    out.write_all(&vec![0; info.frame_len()]).map_err(io_err)?;

    let mut scan = FrameScan::new(stream);
    let mut pcm: Vec<i16> = Vec::with_capacity(BLOCK);
    let mut bytes: Vec<u8> = Vec::with_capacity(mp3lame_encoder::max_required_buffer_size(BLOCK));
    let mut encoded = 0u64;
    for (wav, mut reader) in readers {
        let expected = u64::from(reader.duration());
        let mut read = 0u64;
        let mut samples = reader.samples::<i16>();
        loop {
            pcm.clear();
            for sample in samples.by_ref().take(BLOCK) {
                pcm.push(sample.map_err(|source| Mp3Error::Wav { path: wav.to_path_buf(), source })?);
            }
            if pcm.is_empty() {
                break;
            }
            read += pcm.len() as u64;
            bytes.clear();
            encoder.encode_to_vec(MonoPcm(pcm.as_slice()), &mut bytes).map_err(|e| Mp3Error::Encoder(e.to_string()))?;
            scan.feed(&bytes).map_err(lame_err)?;
            out.write_all(&bytes).map_err(io_err)?;
        }
        if read != expected {
            return Err(Mp3Error::Io {
                path: wav.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    format!("the header promises {expected} samples but {read} were read"),
                ),
            });
        }
        encoded += read;
    }
    bytes.clear();
    encoder.flush_to_vec::<FlushGap>(&mut bytes).map_err(|e| Mp3Error::Encoder(e.to_string()))?;
    scan.feed(&bytes).map_err(lame_err)?;
    scan.finish().map_err(lame_err)?;
    out.write_all(&bytes).map_err(io_err)?;

    let summary = StreamSummary { frames: scan.frames, bytes: scan.bytes, crc: scan.crc, samples: encoded };
    let info_bytes = info_frame(info, settings.kbps, &summary).map_err(lame_err)?;
    let mut temp = out.into_inner().map_err(|e| io_err(e.into_error()))?;
    temp.seek(SeekFrom::Start(header.len() as u64)).map_err(io_err)?;
    temp.write_all(&info_bytes).map_err(io_err)?;
    let file: &File = temp.as_file();
    file.sync_all().map_err(io_err)?;
    let size = file.metadata().map_err(io_err)?.len();
    // Temporary files are private (0600); the result is an ordinary file like any other.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o644)).map_err(io_err)?;
    }
    temp.persist(mp3).map_err(|e| io_err(e.error))?;
    Ok(Mp3Info { bytes: size, duration: encoded as f64 / f64::from(rate) })
}

/// Opens a WAV and checks it is 16-bit mono integer PCM.
fn open_wav(wav: &Path) -> Result<hound::WavReader<std::io::BufReader<File>>, Mp3Error> {
    let reader = hound::WavReader::open(wav).map_err(|source| Mp3Error::Wav { path: wav.to_path_buf(), source })?;
    let spec = reader.spec();
    if spec.channels != 1 || spec.bits_per_sample != 16 || spec.sample_format != hound::SampleFormat::Int {
        return Err(Mp3Error::WavFormat {
            path: wav.to_path_buf(),
            channels: spec.channels,
            bits: spec.bits_per_sample,
            kind: match spec.sample_format {
                hound::SampleFormat::Int => "integer PCM",
                hound::SampleFormat::Float => "float PCM",
            },
        });
    }
    Ok(reader)
}

/// LAME set up for mono CBR at `rate` in and out. Its own Info frame is off: seedaudio writes
/// one that fits at every bit rate (`mp3/info.rs`).
fn encoder(rate: u32, brate: Bitrate) -> Result<mp3lame_encoder::Encoder, Mp3Error> {
    let fail = |e: mp3lame_encoder::BuildError| Mp3Error::Encoder(format!("{e} (at {rate} Hz)"));
    let mut builder = Builder::new().ok_or_else(|| Mp3Error::Encoder("out of memory".into()))?;
    builder.set_num_channels(1).map_err(fail)?;
    builder.set_sample_rate(rate).map_err(fail)?;
    // Without this LAME picks its own output rate for low bit rates and resamples.
    builder.set_output_sample_rate(std::num::NonZeroU32::new(rate)).map_err(fail)?;
    builder.set_mode(Mode::Mono).map_err(fail)?;
    builder.set_vbr_mode(mp3lame_encoder::VbrMode::Off).map_err(fail)?;
    builder.set_brate(brate).map_err(fail)?;
    builder.set_quality(QUALITY).map_err(fail)?;
    builder.set_to_write_vbr_tag(false).map_err(fail)?;
    builder.build().map_err(fail)
}

/// LAME's algorithm quality (0 best and slowest … 9): 3, LAME's own default. On 10 minutes of
/// 44.1 kHz noise at 64 kbit/s (everything at opt-level 2) 2 encoded at 91x real time, 3 at
/// 131x, 5 at 166x.
const QUALITY: Quality = Quality::VeryNice;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_rates_are_checked() {
        assert!(Mp3Settings::default().validate().is_ok());
        assert_eq!(Mp3Settings::default().kbps, 64);
        for kbps in [0, 31, 56, 65, 321, 1000] {
            let err = Mp3Settings { kbps }.validate().unwrap_err();
            assert!(err.to_string().contains(&format!("{kbps} kbit/s is not offered")), "{err}");
        }
        for kbps in BITRATES {
            assert!(Mp3Settings { kbps }.validate().is_ok(), "{kbps}");
        }
    }

    #[test]
    fn rates_are_checked() {
        let p = Path::new("x.wav");
        assert!(check_rate(320, 48_000, p).is_ok());
        assert!(check_rate(160, 22_050, p).is_ok());
        let err = check_rate(192, 22_050, p).unwrap_err().to_string();
        assert!(err.contains("at most 160"), "{err}");
        let err = check_rate(64, 96_000, p).unwrap_err().to_string();
        assert!(err.contains("96000 Hz cannot be stored") && err.contains("--sample-rate 44100"), "{err}");
        assert!(Mp3Settings::default().validate_for_rate(44_100).is_ok());
        let err = Mp3Settings { kbps: 192 }.validate_for_rate(16_000).unwrap_err().to_string();
        assert!(err.contains("too high for 16000 Hz"), "{err}");
    }
}
