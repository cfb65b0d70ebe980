//! Writing one chapter as a WAV stream: utterances in order with their pauses.
//!
//! The file is written under a hidden temporary name in the output folder and renamed into
//! place by [`ChapterWriter::finish`], so the folder never holds a half-written chapter.
//! Memory does not grow with the chapter: samples go straight to a buffered file.

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Bytes before the samples: RIFF header, a 16-byte `fmt ` chunk, the `data` chunk header.
const HEADER_LEN: u64 = 44;

/// Where one utterance sits in its chapter, in samples at the output rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: u64,
    pub end: u64,
}

pub struct ChapterWriter {
    temp_path: PathBuf,
    final_path: PathBuf,
    file: BufWriter<File>,
    rate: u32,
    written: u64,
    /// Reused between pushes: the 16-bit bytes of one utterance.
    bytes: Vec<u8>,
}

impl ChapterWriter {
    /// Starts `dir/file_name` as 16-bit mono PCM at `rate`.
    pub fn create(dir: &Path, file_name: &str, rate: u32) -> std::io::Result<ChapterWriter> {
        let final_path = dir.join(file_name);
        let temp_path = dir.join(crate::outdir::names::partial(file_name));
        let mut file = BufWriter::with_capacity(1 << 18, File::create(&temp_path)?);
        // Sizes are filled in by `finish`; a reader of a half-written file sees an empty one.
        file.write_all(&header(rate, 0))?;
        Ok(ChapterWriter { temp_path, final_path, file, rate, written: 0, bytes: Vec::new() })
    }

    /// Appends an utterance's samples and then `pause_ms` of silence; returns the span of
    /// the utterance itself (without the pause).
    pub fn push(&mut self, samples: &[f32], pause_ms: u32) -> std::io::Result<Span> {
        let start = self.written;
        let pause = u64::from(pause_ms) * u64::from(self.rate) / 1000;
        if (HEADER_LEN - 8 + (start + samples.len() as u64 + pause) * 2) > u64::from(u32::MAX) {
            return Err(std::io::Error::other(
                "the chapter would pass the 4 GB limit of WAV files; split the section with more headings",
            ));
        }
        self.bytes.clear();
        self.bytes.extend(samples.iter().flat_map(|&s| to_i16(s).to_le_bytes()));
        self.file.write_all(&self.bytes)?;
        self.written += samples.len() as u64;
        let end = self.written;
        write_zeros(&mut self.file, pause * 2)?;
        self.written += pause;
        Ok(Span { start, end })
    }

    /// Samples written so far.
    pub fn len(&self) -> u64 {
        self.written
    }

    pub fn is_empty(&self) -> bool {
        self.written == 0
    }

    /// Completes the header and renames the file into place; returns its path. On failure
    /// the temporary file is removed.
    pub fn finish(mut self) -> std::io::Result<PathBuf> {
        let done = self
            .file
            .seek(SeekFrom::Start(0))
            .and_then(|_| self.file.write_all(&header(self.rate, self.written * 2)))
            .and_then(|()| self.file.flush())
            .and_then(|()| std::fs::rename(&self.temp_path, &self.final_path));
        match done {
            Ok(()) => Ok(self.final_path),
            Err(e) => {
                let _ = std::fs::remove_file(&self.temp_path);
                Err(e)
            }
        }
    }

    /// Drops the half-written file (a chapter with a failed utterance is never written).
    pub fn abandon(self) {
        drop(self.file);
        let _ = std::fs::remove_file(&self.temp_path);
    }
}

/// Rounds half away from zero like `f32::round`, without its library call, so the loop
/// vectorizes (a sum within half an ulp of .5 may land one step higher: at most 1 LSB).
pub fn to_i16(s: f32) -> i16 {
    let y = s.clamp(-1.0, 1.0) * 32767.0;
    (y + 0.5f32.copysign(y)) as i16
}

/// A 16-bit mono PCM WAV header for `data_len` bytes of samples.
fn header(rate: u32, data_len: u64) -> [u8; HEADER_LEN as usize] {
    let data_len = u32::try_from(data_len).unwrap_or(u32::MAX);
    let mut h = [0u8; HEADER_LEN as usize];
    h[0..4].copy_from_slice(b"RIFF");
    h[4..8].copy_from_slice(&data_len.saturating_add(36).to_le_bytes());
    h[8..16].copy_from_slice(b"WAVEfmt ");
    h[16..20].copy_from_slice(&16u32.to_le_bytes());
    h[20..22].copy_from_slice(&1u16.to_le_bytes()); // PCM
    h[22..24].copy_from_slice(&1u16.to_le_bytes()); // mono
    h[24..28].copy_from_slice(&rate.to_le_bytes());
    h[28..32].copy_from_slice(&(rate * 2).to_le_bytes());
    h[32..34].copy_from_slice(&2u16.to_le_bytes());
    h[34..36].copy_from_slice(&16u16.to_le_bytes());
    h[36..40].copy_from_slice(b"data");
    h[40..44].copy_from_slice(&data_len.to_le_bytes());
    h
}

fn write_zeros(out: &mut impl Write, mut n: u64) -> std::io::Result<()> {
    const ZEROS: [u8; 4096] = [0; 4096];
    while n > 0 {
        let k = n.min(ZEROS.len() as u64) as usize;
        out.write_all(&ZEROS[..k])?;
        n -= k as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_and_pauses_land_in_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = ChapterWriter::create(dir.path(), "01-x.wav", 1000).unwrap();
        assert_eq!(w.push(&[0.5; 10], 20).unwrap(), Span { start: 0, end: 10 });
        assert_eq!(w.push(&[-0.5; 5], 0).unwrap(), Span { start: 30, end: 35 });
        assert!(dir.path().join(".01-x.wav.partial").exists());
        let path = w.finish().unwrap();
        assert!(!dir.path().join(".01-x.wav.partial").exists());
        let mut r = hound::WavReader::open(path).unwrap();
        let samples: Vec<i16> = r.samples::<i16>().map(Result::unwrap).collect();
        assert_eq!(samples.len(), 35);
        assert_eq!(samples[0], 16384);
        assert_eq!(samples[10..30], [0; 20]);
        assert_eq!(samples[34], -16384);
    }

    #[test]
    fn rounding_matches_f32_round() {
        for i in -40_000..=40_000 {
            let s = i as f32 / 32767.0 * 0.9999;
            let want = (s.clamp(-1.0, 1.0) * 32767.0).round() as i16;
            assert!((i32::from(to_i16(s)) - i32::from(want)).abs() <= 1, "{s}");
        }
        assert_eq!(to_i16(2.0), 32767);
        assert_eq!(to_i16(-2.0), -32767);
        assert_eq!(to_i16(0.0), 0);
    }

    #[test]
    fn abandon_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = ChapterWriter::create(dir.path(), "02-y.wav", 1000).unwrap();
        w.push(&[0.1; 10], 0).unwrap();
        w.abandon();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
