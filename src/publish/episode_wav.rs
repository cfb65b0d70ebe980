//! Episodes as WAV: chapter files joined end to end, with a RIFF `cue ` chunk and a
//! `LIST`/`adtl` chunk of `labl` titles marking every chapter and section start.
//!
//! hound writes no cue chunks, so the file is laid out here: `fmt `, `data` (the chapters'
//! sample bytes copied as they are, so an episode never re-quantizes audio), `cue `, `LIST`.
//! Labels are UTF-8 without a `CSET` chunk: readers that expect ASCII show Chinese titles as
//! bytes, but nothing else in RIFF names an encoding that more readers understand.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::track::Track;

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub bytes: u64,
    pub samples: u64,
}

/// A cue point: a sample position and its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CuePoint {
    pub sample: u32,
    pub label: String,
}

/// The cue points of a track at `rate`: one per chapter point.
pub fn cue_points(track: &Track, rate: u32) -> Vec<CuePoint> {
    track
        .marks
        .iter()
        .map(|m| CuePoint { sample: (m.start * f64::from(rate)).round() as u32, label: m.title.clone() })
        .collect()
}

/// Joins the 16-bit mono PCM of `parts` (in order) into `path`, with `cues`; `extra` samples
/// (already 16-bit) are appended after the parts (the call to action). Written under a hidden
/// temporary name and renamed into place.
pub fn write(path: &Path, parts: &[PathBuf], extra: &[i16], rate: u32, cues: &[CuePoint]) -> io::Result<Written> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = dir.join(crate::outdir::names::partial(&name));
    let result = write_to(&temp, parts, extra, rate, cues);
    match result {
        Ok(written) => {
            std::fs::rename(&temp, path)?;
            Ok(written)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            Err(e)
        }
    }
}

fn write_to(temp: &Path, parts: &[PathBuf], extra: &[i16], rate: u32, cues: &[CuePoint]) -> io::Result<Written> {
    let mut sources = Vec::with_capacity(parts.len());
    let mut data_len: u64 = extra.len() as u64 * 2;
    for part in parts {
        let (reader, len) = open_data(part)?;
        data_len += len;
        sources.push((reader, len));
    }
    let cue_chunk = cue_chunk(cues);
    let list_chunk = list_chunk(cues);
    let riff_len = 4 + (8 + 16) + (8 + data_len) + cue_chunk.len() as u64 + list_chunk.len() as u64;
    let riff_len = u32::try_from(riff_len).map_err(|_| {
        io::Error::other(format!(
            "the episode would be {:.1} GB, above the 4 GB limit of WAV files; build it with --format mp3",
            riff_len as f64 / 1e9
        ))
    })?;

    let mut out = BufWriter::with_capacity(1 << 20, File::create(temp)?);
    out.write_all(b"RIFF")?;
    out.write_all(&riff_len.to_le_bytes())?;
    out.write_all(b"WAVEfmt ")?;
    out.write_all(&16u32.to_le_bytes())?;
    out.write_all(&1u16.to_le_bytes())?; // PCM
    out.write_all(&1u16.to_le_bytes())?; // mono
    out.write_all(&rate.to_le_bytes())?;
    out.write_all(&(rate * 2).to_le_bytes())?;
    out.write_all(&2u16.to_le_bytes())?;
    out.write_all(&16u16.to_le_bytes())?;
    out.write_all(b"data")?;
    out.write_all(&(data_len as u32).to_le_bytes())?;
    for (reader, len) in &mut sources {
        let copied = io::copy(&mut reader.take(*len), &mut out)?;
        if copied != *len {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "a chapter file ended early"));
        }
    }
    for s in extra {
        out.write_all(&s.to_le_bytes())?;
    }
    out.write_all(&cue_chunk)?;
    out.write_all(&list_chunk)?;
    let file = out.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    Ok(Written { bytes: u64::from(riff_len) + 8, samples: data_len / 2 })
}

/// Opens a 16-bit mono PCM WAV positioned at its sample bytes; returns the byte count.
fn open_data(path: &Path) -> io::Result<(BufReader<File>, u64)> {
    let bad = |why: &str| io::Error::other(format!("{}: {why}", path.display()));
    let mut r = BufReader::new(File::open(path)?);
    let mut head = [0u8; 12];
    r.read_exact(&mut head)?;
    if &head[0..4] != b"RIFF" || &head[8..12] != b"WAVE" {
        return Err(bad("not a WAV file"));
    }
    let mut pos = 12u64;
    loop {
        let mut chunk = [0u8; 8];
        r.read_exact(&mut chunk).map_err(|_| bad("no data chunk"))?;
        let size = u64::from(u32::from_le_bytes([chunk[4], chunk[5], chunk[6], chunk[7]]));
        pos += 8;
        match &chunk[0..4] {
            b"fmt " => {
                let mut fmt = vec![0u8; size as usize];
                r.read_exact(&mut fmt)?;
                if fmt.len() < 16 || fmt[0..2] != [1, 0] || fmt[2..4] != [1, 0] || fmt[14..16] != [16, 0] {
                    return Err(bad("not 16-bit mono PCM"));
                }
                if size % 2 == 1 {
                    r.seek_relative(1)?;
                }
            }
            b"data" => return Ok((r, size)),
            _ => {
                r.seek(SeekFrom::Start(pos + size + size % 2))?;
            }
        }
        pos += size + size % 2;
    }
}

fn cue_chunk(cues: &[CuePoint]) -> Vec<u8> {
    let mut c = Vec::with_capacity(12 + 24 * cues.len());
    c.extend_from_slice(b"cue ");
    c.extend_from_slice(&(4 + 24 * cues.len() as u32).to_le_bytes());
    c.extend_from_slice(&(cues.len() as u32).to_le_bytes());
    for (i, cue) in cues.iter().enumerate() {
        c.extend_from_slice(&(i as u32 + 1).to_le_bytes()); // id
        c.extend_from_slice(&cue.sample.to_le_bytes()); // play-order position
        c.extend_from_slice(b"data");
        c.extend_from_slice(&0u32.to_le_bytes()); // chunk start
        c.extend_from_slice(&0u32.to_le_bytes()); // block start
        c.extend_from_slice(&cue.sample.to_le_bytes()); // sample offset
    }
    c
}

fn list_chunk(cues: &[CuePoint]) -> Vec<u8> {
    let mut body = b"adtl".to_vec();
    for (i, cue) in cues.iter().enumerate() {
        // NUL ends the label, so one inside it would cut the title short.
        let text: Vec<u8> = cue.label.bytes().filter(|&b| b != 0).collect();
        let size = 4 + text.len() as u32 + 1;
        body.extend_from_slice(b"labl");
        body.extend_from_slice(&size.to_le_bytes());
        body.extend_from_slice(&(i as u32 + 1).to_le_bytes());
        body.extend_from_slice(&text);
        body.push(0);
        if size % 2 == 1 {
            body.push(0);
        }
    }
    let mut c = b"LIST".to_vec();
    c.extend_from_slice(&(body.len() as u32).to_le_bytes());
    c.extend_from_slice(&body);
    c
}

/// Reads the cue points and their labels back from a WAV file (for checks and `doctor`).
pub fn read_cues(path: &Path) -> io::Result<Vec<CuePoint>> {
    let bytes = std::fs::read(path)?;
    let mut points: Vec<(u32, u32)> = Vec::new();
    let mut labels: Vec<(u32, String)> = Vec::new();
    let mut pos = 12;
    while pos + 8 <= bytes.len() {
        let id = &bytes[pos..pos + 4];
        let size = u32_at(&bytes, pos + 4) as usize;
        let body = &bytes[pos + 8..(pos + 8 + size).min(bytes.len())];
        if id == b"cue " && body.len() >= 4 {
            let n = u32_at(body, 0) as usize;
            for i in 0..n {
                let at = 4 + 24 * i;
                if at + 24 <= body.len() {
                    points.push((u32_at(body, at), u32_at(body, at + 20)));
                }
            }
        } else if id == b"LIST" && body.starts_with(b"adtl") {
            let mut p = 4;
            while p + 8 <= body.len() {
                let sub = &body[p..p + 4];
                let sub_size = u32_at(body, p + 4) as usize;
                let sub_body = &body[p + 8..(p + 8 + sub_size).min(body.len())];
                if sub == b"labl" && sub_body.len() >= 4 {
                    let text = &sub_body[4..];
                    let text = text.split(|&b| b == 0).next().unwrap_or_default();
                    labels.push((u32_at(sub_body, 0), String::from_utf8_lossy(text).into_owned()));
                }
                p += 8 + sub_size + sub_size % 2;
            }
        }
        pos += 8 + size + size % 2;
    }
    Ok(points
        .into_iter()
        .map(|(id, sample)| CuePoint {
            sample,
            label: labels.iter().find(|(l, _)| *l == id).map(|(_, t)| t.clone()).unwrap_or_default(),
        })
        .collect())
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chapter(dir: &Path, name: &str, samples: &[i16]) -> PathBuf {
        let path = dir.join(name);
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 1000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(&path, spec).unwrap();
        for &s in samples {
            w.write_sample(s).unwrap();
        }
        w.finalize().unwrap();
        path
    }

    #[test]
    fn joins_chapters_and_marks_their_starts() {
        let dir = tempfile::tempdir().unwrap();
        let a = chapter(dir.path(), "a.wav", &[1, 2, 3]);
        let b = chapter(dir.path(), "b.wav", &[4, 5]);
        let cues = vec![
            CuePoint { sample: 0, label: "开头 <b>".into() },
            CuePoint { sample: 3, label: "Odd".into() },
            CuePoint { sample: 4, label: "Even".into() },
        ];
        let path = dir.path().join("ep.wav");
        let written = write(&path, &[a, b], &[6], 1000, &cues).unwrap();
        assert_eq!(written.samples, 6);
        assert_eq!(written.bytes, std::fs::metadata(&path).unwrap().len());
        let mut r = hound::WavReader::open(&path).unwrap();
        assert_eq!(r.spec().sample_rate, 1000);
        let samples: Vec<i16> = r.samples::<i16>().map(Result::unwrap).collect();
        assert_eq!(samples, [1, 2, 3, 4, 5, 6]);
        assert_eq!(read_cues(&path).unwrap(), cues);
        assert!(!dir.path().join(".ep.wav.partial").exists());
    }

    #[test]
    fn a_broken_part_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.wav");
        std::fs::write(&bad, b"not audio at all").unwrap();
        let path = dir.path().join("ep.wav");
        let err = write(&path, &[bad], &[], 1000, &[]).unwrap_err();
        assert!(err.to_string().contains("not a WAV file"), "{err}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
