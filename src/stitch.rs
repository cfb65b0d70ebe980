//! Writing one chapter as a WAV stream: utterances in order with their pauses.
//!
//! The file is written under a hidden temporary name in the output folder and renamed into
//! place by [`ChapterWriter::finish`], so the folder never holds a half-written chapter.
//! Memory does not grow with the chapter: samples go straight to a buffered file.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// Where one utterance sits in its chapter, in samples at the output rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: u64,
    pub end: u64,
}

pub struct ChapterWriter {
    temp_path: PathBuf,
    final_path: PathBuf,
    writer: hound::WavWriter<BufWriter<File>>,
    rate: u32,
    written: u64,
}

impl ChapterWriter {
    /// Starts `dir/file_name` as 16-bit mono PCM at `rate`.
    pub fn create(dir: &Path, file_name: &str, rate: u32) -> std::io::Result<ChapterWriter> {
        let final_path = dir.join(file_name);
        let temp_path = dir.join(format!(".{file_name}.partial"));
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let writer = hound::WavWriter::create(&temp_path, spec).map_err(to_io)?;
        Ok(ChapterWriter { temp_path, final_path, writer, rate, written: 0 })
    }

    /// Appends an utterance's samples and then `pause_ms` of silence; returns the span of
    /// the utterance itself (without the pause).
    pub fn push(&mut self, samples: &[f32], pause_ms: u32) -> std::io::Result<Span> {
        let start = self.written;
        for &s in samples {
            self.writer.write_sample(to_i16(s)).map_err(to_io)?;
        }
        self.written += samples.len() as u64;
        let end = self.written;
        let pause = u64::from(pause_ms) * u64::from(self.rate) / 1000;
        for _ in 0..pause {
            self.writer.write_sample(0i16).map_err(to_io)?;
        }
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
    pub fn finish(self) -> std::io::Result<PathBuf> {
        let done =
            self.writer.finalize().map_err(to_io).and_then(|()| std::fs::rename(&self.temp_path, &self.final_path));
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
        drop(self.writer);
        let _ = std::fs::remove_file(&self.temp_path);
    }
}

fn to_i16(s: f32) -> i16 {
    (s.clamp(-1.0, 1.0) * 32767.0).round() as i16
}

fn to_io(e: hound::Error) -> std::io::Error {
    match e {
        hound::Error::IoError(io) => io,
        other => std::io::Error::other(other.to_string()),
    }
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
    fn abandon_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = ChapterWriter::create(dir.path(), "02-y.wav", 1000).unwrap();
        w.push(&[0.1; 10], 0).unwrap();
        w.abandon();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
