//! M4B audiobooks and M4A chapter files: seedaudio WAVs (a chapter file, or an episode's
//! chapter files one after another) encoded to AAC-LC (rusty_aac, pure Rust) in an MP4
//! container of our own making (`m4b/boxes.rs`, `m4b/moov.rs`), with chapters in both forms
//! players read (a QuickTime chapter text track and Nero's `chpl`) and iTunes tags.
//!
//! The file is mono at the WAV's own sample rate. The encoder delays the audio by one frame
//! (1024 samples) and pads the last frame; the audio track's edit list starts after the delay
//! and lasts as long as the WAV, so players (and ffprobe) give the WAV's duration and the
//! chapter times are the WAV's times.
//!
//! Memory stays flat: the WAVs are read in blocks, encoded in segments (`m4b/aac.rs`) and the
//! frames written to a hidden temporary file; only their sizes stay in memory (4 bytes per
//! 1024 samples: 6 MB for ten hours). Then the final file is written beside it, `moov` first
//! (fast start), the frames copied after it, and renamed into place.

mod aac;
mod boxes;
mod moov;

use std::fs::File;
use std::io::{BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::publish::mp3::{Tags, iso639_2};
use crate::publish::track::Track;

pub use moov::{CHPL_MAX, Chapter};

/// The sample rates offered (AAC's standard rates up to 48 kHz; seedaudio's WAVs are at one
/// of these unless `--sample-rate` asks otherwise).
pub const SAMPLE_RATES: [u32; 9] = [8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000];

/// The lowest bit rate offered, kbit/s.
pub const MIN_KBPS: u32 = 16;

/// Samples read from a WAV at a time.
const BLOCK: usize = 1024 * 32;

/// How far (seconds) a track's duration may be from its WAVs' before the pair is refused.
pub const DURATION_TOLERANCE: f64 = 0.5;

/// How the audio is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct M4bSettings {
    /// Bit rate in kbit/s, mono.
    pub kbps: u32,
}

impl Default for M4bSettings {
    /// 96 kbit/s. At 64 kbit/s (enough for MP3 speech) rusty_aac's coding noise on eSpeak's
    /// buzzy voice pushes decoded peaks past full scale (+0.2 dBFS on a short article, +2.1
    /// on a 2.6-hour book leveled to −1 dBTP); at 96 they stay under it (−1.3 and −0.4), as
    /// LAME's 64 kbit/s MP3 does (−1.4, −0.3). The book is then about 85 kbit/s (its rate
    /// loop spends less on pauses).
    fn default() -> Self {
        M4bSettings { kbps: 96 }
    }
}

/// The highest bit rate for mono AAC-LC at `rate` Hz: a frame of 1024 samples holds at most
/// 6144 bits per channel, so about 6 bits a sample.
pub fn max_kbps(rate: u32) -> u32 {
    (6 * rate / 1000).min(320)
}

impl M4bSettings {
    /// Checks the bit rate against what AAC-LC can carry at `rate` Hz, and the rate itself
    /// (the error names `--sample-rate` / `--bitrate`).
    pub fn validate_for_rate(&self, rate: u32) -> Result<(), M4bError> {
        check_rate(rate, Path::new("--sample-rate"))?;
        let max = max_kbps(rate);
        if !(MIN_KBPS..=max).contains(&self.kbps) {
            return Err(M4bError::Bitrate {
                kbps: self.kbps,
                rate,
                min: MIN_KBPS,
                max,
                suggest: max.min(M4bSettings::default().kbps),
            });
        }
        Ok(())
    }
}

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct M4bInfo {
    pub bytes: u64,
    /// Seconds of audio (the WAVs' samples ÷ their rate).
    pub duration: f64,
    /// AAC frames written.
    pub frames: u64,
    /// Joins between encoder runs whose window sequences did not run on (`m4b/aac.rs`).
    pub seams: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum M4bError {
    #[error(
        "AAC bit rate {kbps} kbit/s is not possible for mono {rate} Hz audio (from {min} to {max} kbit/s): \
         use --bitrate {suggest}"
    )]
    Bitrate { kbps: u32, rate: u32, min: u32, max: u32, suggest: u32 },
    #[error(
        "{path}: {rate} Hz cannot be stored in an M4B (it holds {list} Hz); build with --sample-rate 44100 \
         (or another of those)", list = SAMPLE_RATES.map(|r| r.to_string()).join(", ")
    )]
    SampleRate { path: PathBuf, rate: u32 },
    #[error("{path}: expected 16-bit mono PCM as seedaudio writes it, found {channels} channel(s) of {bits}-bit audio")]
    WavFormat { path: PathBuf, channels: u16, bits: u16 },
    #[error("{path}: cannot read the WAV: {source}")]
    Wav { path: PathBuf, source: hound::Error },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(
        "{path}: the WAV is {wav:.3} s long but track {stem} is {track:.3} s; is it the right WAV? Rebuild the \
         chapters and the manifest together"
    )]
    TrackMismatch { path: PathBuf, stem: String, wav: f64, track: f64 },
    #[error("{path} is at {rate} Hz but the first WAV is at {first} Hz: one M4B has one rate")]
    MixedRates { path: PathBuf, rate: u32, first: u32 },
    #[error("no WAV to encode")]
    NoInput,
    #[error("{0}")]
    Encoder(String),
}

impl From<String> for M4bError {
    fn from(s: String) -> Self {
        M4bError::Encoder(s)
    }
}

fn check_rate(rate: u32, path: &Path) -> Result<(), M4bError> {
    if SAMPLE_RATES.contains(&rate) { Ok(()) } else { Err(M4bError::SampleRate { path: path.to_path_buf(), rate }) }
}

/// The kind of file: an audiobook (`.m4b`: an episode) or an audio file (`.m4a`: a chapter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Book,
    Audio,
}

/// Encodes the 16-bit mono WAVs `wavs`, heard one after another (same rate), to `out` with
/// `tags` and one chapter per mark of `track` (whose times are the WAVs' joined). Refuses
/// WAVs whose length differs from the track's by more than [`DURATION_TOLERANCE`]. `out`
/// is replaced atomically; on error nothing is left behind.
pub fn encode_wavs(
    wavs: &[&Path],
    out: &Path,
    track: &Track,
    tags: &Tags,
    kind: Kind,
    settings: &M4bSettings,
) -> Result<M4bInfo, M4bError> {
    let mut readers = Vec::with_capacity(wavs.len());
    let mut rate = None;
    let mut total = 0u64;
    for &wav in wavs {
        let reader = open_wav(wav)?;
        let r = reader.spec().sample_rate;
        check_rate(r, wav)?;
        if let Some(first) = rate.filter(|&first| first != r) {
            return Err(M4bError::MixedRates { path: wav.to_path_buf(), rate: r, first });
        }
        rate = Some(r);
        total += u64::from(reader.duration());
        readers.push((wav, reader));
    }
    let Some(rate) = rate else {
        return Err(M4bError::NoInput);
    };
    settings.validate_for_rate(rate)?;
    let duration = total as f64 / f64::from(rate);
    if (duration - track.duration).abs() > DURATION_TOLERANCE {
        return Err(M4bError::TrackMismatch {
            path: wavs[0].to_path_buf(),
            stem: track.stem.clone(),
            wav: duration,
            track: track.duration,
        });
    }

    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| M4bError::Io { path: path.clone(), source }
    };
    let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let (prefix, suffix) = crate::outdir::names::partial_affixes(&name);

    // 1. The AAC frames, to a hidden file (deleted when dropped, on any error).
    let frames_file =
        tempfile::Builder::new().prefix(&prefix).suffix(".frames").tempfile_in(dir).map_err(io_err(out))?;
    let mut frames_out = BufWriter::new(frames_file);
    let mut sizes: Vec<u32> = Vec::with_capacity((total / 1024 + 2) as usize);
    let mut encoder = aac::Encoder::new(rate, settings.kbps * 1000);
    let config = encoder.config();
    let seams = {
        let mut sink = |frame: &[u8]| -> Result<(), M4bError> {
            sizes.push(frame.len() as u32);
            frames_out.write_all(frame).map_err(io_err(out))
        };
        let mut block: Vec<f32> = Vec::with_capacity(BLOCK);
        for (wav, mut reader) in readers {
            let expected = u64::from(reader.duration());
            let mut read = 0u64;
            let mut samples = reader.samples::<i16>();
            loop {
                block.clear();
                for sample in samples.by_ref().take(BLOCK) {
                    let s = sample.map_err(|source| M4bError::Wav { path: wav.to_path_buf(), source })?;
                    block.push(f32::from(s) / 32_768.0);
                }
                if block.is_empty() {
                    break;
                }
                read += block.len() as u64;
                encoder.push(&block, &mut sink)?;
            }
            if read != expected {
                return Err(M4bError::Io {
                    path: wav.to_path_buf(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        format!("the header promises {expected} samples but {read} were read"),
                    ),
                });
            }
        }
        encoder.finish(&mut sink)?
    };
    let frames_file = frames_out.into_inner().map_err(|e| io_err(out)(e.into_error()))?;

    // 2. The final file: head, then the frames.
    let audio =
        moov::Audio { rate, sizes, priming: aac::PRIMING, samples: total, config, bitrate: settings.kbps * 1000 };
    let frames = audio.sizes.len() as u64;
    let meta = moov::Meta {
        title: tags.title.clone(),
        artist: tags.artist.clone(),
        album: tags.album.clone(),
        comment: tags.comment.clone(),
        day: None,
        track: tags.track,
        language: iso639_2(&tags.language).unwrap_or("und").to_string(),
        book: kind == Kind::Book,
    };
    let chapters = chapters(track, rate, total);
    let head = moov::head(&audio, &chapters, &meta);

    let temp = tempfile::Builder::new().prefix(&prefix).suffix(suffix).tempfile_in(dir).map_err(io_err(out))?;
    let mut writer = BufWriter::new(temp);
    writer.write_all(&head).map_err(io_err(out))?;
    let mut frames_file = frames_file;
    frames_file.as_file_mut().seek(SeekFrom::Start(0)).map_err(io_err(out))?;
    std::io::copy(&mut BufReader::new(frames_file.as_file()), &mut writer).map_err(io_err(out))?;
    drop(frames_file);
    let temp = writer.into_inner().map_err(|e| io_err(out)(e.into_error()))?;
    let file: &File = temp.as_file();
    file.sync_all().map_err(io_err(out))?;
    let bytes = file.metadata().map_err(io_err(out))?.len();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o644)).map_err(io_err(out))?;
    }
    temp.persist(out).map_err(|e| io_err(out)(e.error))?;
    Ok(M4bInfo { bytes, duration: total as f64 / f64::from(rate), frames, seams })
}

/// The chapter points of `track` in samples, in order, each inside the audio.
fn chapters(track: &Track, rate: u32, total: u64) -> Vec<Chapter> {
    let mut v: Vec<Chapter> = Vec::with_capacity(track.marks.len());
    for m in &track.marks {
        let start = ((m.start.max(0.0) * f64::from(rate)).round() as u64).min(total);
        let start = v.last().map_or(start, |last| start.max(last.start));
        v.push(Chapter { start, title: m.title.clone() });
    }
    v
}

fn open_wav(wav: &Path) -> Result<hound::WavReader<BufReader<File>>, M4bError> {
    let reader = hound::WavReader::open(wav).map_err(|source| M4bError::Wav { path: wav.to_path_buf(), source })?;
    let spec = reader.spec();
    if spec.channels != 1 || spec.bits_per_sample != 16 || spec.sample_format != hound::SampleFormat::Int {
        return Err(M4bError::WavFormat {
            path: wav.to_path_buf(),
            channels: spec.channels,
            bits: spec.bits_per_sample,
        });
    }
    Ok(reader)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_rates_are_checked_per_sample_rate() {
        assert!(M4bSettings { kbps: 64 }.validate_for_rate(44_100).is_ok());
        assert!(M4bSettings { kbps: 256 }.validate_for_rate(44_100).is_ok());
        let e = M4bSettings { kbps: 96 }.validate_for_rate(8_000).unwrap_err().to_string();
        assert!(e.contains("from 16 to 48 kbit/s") && e.contains("--bitrate 48"), "{e}");
        let e = M4bSettings { kbps: 8 }.validate_for_rate(44_100).unwrap_err().to_string();
        assert!(e.contains("--bitrate 96"), "{e}");
        let e = M4bSettings { kbps: 64 }.validate_for_rate(96_000).unwrap_err().to_string();
        assert!(e.contains("--sample-rate 44100"), "{e}");
    }
}
