//! Everything of an M4B/M4A file but the audio: `ftyp`, `moov` (the audio track with its
//! edit list, the chapter text track, the Nero chapter list, the iTunes tags) and the head of
//! `mdat` with the chapter titles. The audio frames follow it, as written by the encoder.
//!
//! Layout: `ftyp` · `moov` · `mdat` [chapter title samples, AAC frames]. `moov` comes first
//! ("fast start": a player streaming the file knows its chapters and seeks before the audio
//! arrives). Chunk offsets are 32-bit (`stco`) unless the file passes 4 GiB (`co64`).
//!
//! Times: the movie and both tracks count in audio samples (the time scale is the sample
//! rate), so chapter starts and the edit list are exact.

use super::boxes::{Boxes, descriptor, mdat_header};

/// AAC frames per chunk: about 1.5 s at 44.1 kHz. A chunk is a run of frames found at one
/// offset; fewer chunks, a smaller table.
pub const FRAMES_PER_CHUNK: u32 = 64;

const AUDIO_TRACK: u32 = 1;
const TEXT_TRACK: u32 = 2;

/// The encoded audio, as the sample tables describe it.
#[derive(Debug, Clone)]
pub struct Audio {
    pub rate: u32,
    /// Bytes of each AAC frame (1024 samples each), in order.
    pub sizes: Vec<u32>,
    /// Samples the encoder put before the audio (cut off by the edit list).
    pub priming: u32,
    /// Samples of real audio (the WAV's length): the edit list's duration.
    pub samples: u64,
    /// The AudioSpecificConfig (esds DecoderSpecificInfo).
    pub config: Vec<u8>,
    /// Bits per second asked of the encoder.
    pub bitrate: u32,
}

impl Audio {
    fn media_duration(&self) -> u64 {
        self.sizes.len() as u64 * 1024
    }

    fn bytes(&self) -> u64 {
        self.sizes.iter().map(|&s| u64::from(s)).sum()
    }
}

/// A chapter point: its start in samples from the start of the audio, and its title.
#[derive(Debug, Clone, PartialEq)]
pub struct Chapter {
    pub start: u64,
    pub title: String,
}

/// What the file says about itself (iTunes `ilst` items and the track language).
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// `©nam`
    pub title: String,
    /// `©ART`
    pub artist: String,
    /// `©alb`
    pub album: String,
    /// `©cmt`
    pub comment: Option<String>,
    /// `©day`: the year (or date) of the recording.
    pub day: Option<String>,
    /// `trkn`: number and total.
    pub track: Option<(u32, Option<u32>)>,
    /// ISO 639-2/T code, three lower-case letters (`mdhd`, and a `LANGUAGE` item).
    pub language: String,
    /// An audiobook (`M4B `, `stik` 2) rather than an audio file (`M4A `).
    pub book: bool,
}

/// `ftyp` · `moov` · the `mdat` header · the chapter samples: every byte of the file before
/// the AAC frames, which must then be appended in order.
pub fn head(audio: &Audio, chapters: &[Chapter], meta: &Meta) -> Vec<u8> {
    let ftyp = ftyp(meta.book);
    let text = text_samples(chapters);
    let payload = text.iter().map(|t| t.len() as u64).sum::<u64>() + audio.bytes();
    let mdat = mdat_header(payload);
    // The size of moov does not depend on the offsets in it, only on their width.
    let mut wide = false;
    let mdat_start = loop {
        let probe = moov(audio, chapters, &text, meta, 0, wide);
        let start = (ftyp.len() + probe.len() + mdat.len()) as u64;
        if wide || start + payload <= u64::from(u32::MAX) {
            break start;
        }
        wide = true;
    };
    let mut out = ftyp;
    out.extend(moov(audio, chapters, &text, meta, mdat_start, wide));
    out.extend(mdat);
    for t in &text {
        out.extend_from_slice(t);
    }
    out
}

fn ftyp(book: bool) -> Vec<u8> {
    let major = if book { b"M4B " } else { b"M4A " };
    let mut b = Boxes::new();
    b.open(b"ftyp").bytes(major).u32(0).bytes(major).bytes(b"mp42").bytes(b"isom").close();
    b.into_bytes()
}

/// A chapter title as a QuickTime text sample: its length, its UTF-8 bytes, and an `encd`
/// box saying they are UTF-8 (QuickTime's default is Mac Roman).
fn text_samples(chapters: &[Chapter]) -> Vec<Vec<u8>> {
    chapters
        .iter()
        .map(|c| {
            let title = truncate_utf8(&c.title, usize::from(u16::MAX) - 16);
            let mut b = Boxes::new();
            b.u16(title.len() as u16).bytes(title.as_bytes());
            b.open(b"encd").u32(0x0000_0100).close();
            b.into_bytes()
        })
        .collect()
}

/// `s` cut to at most `max` bytes at a character boundary.
pub fn truncate_utf8(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn moov(audio: &Audio, chapters: &[Chapter], text: &[Vec<u8>], meta: &Meta, mdat_start: u64, wide: bool) -> Vec<u8> {
    let text_bytes: u64 = text.iter().map(|t| t.len() as u64).sum();
    let has_chapters = !chapters.is_empty();
    let next_track = if has_chapters { TEXT_TRACK + 1 } else { AUDIO_TRACK + 1 };
    let duration = audio.samples;
    let long = duration > u64::from(u32::MAX) || audio.media_duration() > u64::from(u32::MAX);
    let v = u8::from(long);

    let mut b = Boxes::new();
    b.open(b"moov");
    b.open_full(b"mvhd", v, 0).sized(long, 0).sized(long, 0).u32(audio.rate).sized(long, duration);
    b.u32(0x0001_0000).u16(0x0100).zeros(10).unity_matrix().zeros(24).u32(next_track).close();

    audio_trak(&mut b, audio, meta, has_chapters, mdat_start + text_bytes, wide, long);
    if has_chapters {
        text_trak(&mut b, audio, chapters, text, mdat_start, wide, long);
    }

    b.open(b"udta");
    if has_chapters {
        chpl(&mut b, chapters, audio.rate);
    }
    ilst(&mut b, meta);
    b.close();
    b.close();
    b.into_bytes()
}

fn tkhd(b: &mut Boxes, id: u32, flags: u32, duration: u64, volume: u16, long: bool) {
    b.open_full(b"tkhd", u8::from(long), flags).sized(long, 0).sized(long, 0).u32(id).u32(0).sized(long, duration);
    b.zeros(8).i16(0).i16(0).u16(volume).u16(0).unity_matrix().u32(0).u32(0).close();
}

fn mdhd(b: &mut Boxes, rate: u32, duration: u64, language: &str, long: bool) {
    b.open_full(b"mdhd", u8::from(long), 0).sized(long, 0).sized(long, 0).u32(rate).sized(long, duration);
    b.u16(packed_language(language)).u16(0).close();
}

/// ISO 639-2/T as `mdhd` holds it: three letters of five bits each (`und` when not three
/// lower-case letters).
pub fn packed_language(code: &str) -> u16 {
    let bytes = code.as_bytes();
    let ok = bytes.len() == 3 && bytes.iter().all(u8::is_ascii_lowercase);
    let letters = if ok { bytes } else { b"und" };
    letters.iter().fold(0u16, |acc, &c| (acc << 5) | u16::from(c - 0x60))
}

fn hdlr(b: &mut Boxes, kind: &[u8; 4], name: &str) {
    b.open_full(b"hdlr", 0, 0).u32(0).bytes(kind).zeros(12).bytes(name.as_bytes()).u8(0).close();
}

fn dinf(b: &mut Boxes) {
    b.open(b"dinf").open_full(b"dref", 0, 0).u32(1).open_full(b"url ", 0, 1).close().close().close();
}

#[allow(clippy::too_many_arguments)]
fn audio_trak(b: &mut Boxes, audio: &Audio, meta: &Meta, chap: bool, start: u64, wide: bool, long: bool) {
    b.open(b"trak");
    // Enabled, in the movie, in the preview.
    tkhd(b, AUDIO_TRACK, 0x7, audio.samples, 0x0100, long);
    if chap {
        b.open(b"tref").open(b"chap").u32(TEXT_TRACK).close().close();
    }
    // The edit list: play the media from the end of the encoder's priming for as long as
    // the WAV was, so the padding of the last frame is not heard either.
    b.open(b"edts").open_full(b"elst", u8::from(long), 0).u32(1);
    b.sized(long, audio.samples).sized(long, u64::from(audio.priming)).u16(1).u16(0).close().close();

    b.open(b"mdia");
    mdhd(b, audio.rate, audio.media_duration(), &meta.language, long);
    hdlr(b, b"soun", "SoundHandler");
    b.open(b"minf");
    b.open_full(b"smhd", 0, 0).i16(0).u16(0).close();
    dinf(b);
    b.open(b"stbl");
    b.open_full(b"stsd", 0, 0).u32(1);
    mp4a(b, audio);
    b.close();
    b.open_full(b"stts", 0, 0);
    if audio.sizes.is_empty() {
        b.u32(0);
    } else {
        b.u32(1).u32(audio.sizes.len() as u32).u32(1024);
    }
    b.close();

    let frames = audio.sizes.len() as u32;
    let chunks = frames.div_ceil(FRAMES_PER_CHUNK);
    let last = frames - chunks.saturating_sub(1) * FRAMES_PER_CHUNK;
    b.open_full(b"stsc", 0, 0);
    match chunks {
        0 => b.u32(0),
        1 => b.u32(1).u32(1).u32(last).u32(1),
        _ if last == FRAMES_PER_CHUNK => b.u32(1).u32(1).u32(FRAMES_PER_CHUNK).u32(1),
        _ => b.u32(2).u32(1).u32(FRAMES_PER_CHUNK).u32(1).u32(chunks).u32(last).u32(1),
    };
    b.close();
    b.open_full(b"stsz", 0, 0).u32(0).u32(frames);
    for &s in &audio.sizes {
        b.u32(s);
    }
    b.close();
    let mut offsets = Vec::with_capacity(chunks as usize);
    let mut at = start;
    for chunk in audio.sizes.chunks(FRAMES_PER_CHUNK as usize) {
        offsets.push(at);
        at += chunk.iter().map(|&s| u64::from(s)).sum::<u64>();
    }
    chunk_offsets(b, &offsets, wide);
    b.close(); // stbl
    b.close(); // minf
    b.close(); // mdia
    b.close(); // trak
}

fn chunk_offsets(b: &mut Boxes, offsets: &[u64], wide: bool) {
    if wide {
        b.open_full(b"co64", 0, 0).u32(offsets.len() as u32);
        for &o in offsets {
            b.u64(o);
        }
    } else {
        b.open_full(b"stco", 0, 0).u32(offsets.len() as u32);
        for &o in offsets {
            b.u32(o as u32);
        }
    }
    b.close();
}

/// The `mp4a` sample entry with its `esds`: AAC-LC, mono.
fn mp4a(b: &mut Boxes, audio: &Audio) {
    b.open(b"mp4a").zeros(6).u16(1).zeros(8).u16(1).u16(16).u16(0).u16(0).u32(audio.rate << 16);
    let peak = audio.sizes.iter().copied().max().unwrap_or(0);
    let seconds = audio.samples as f64 / f64::from(audio.rate.max(1));
    let average = if seconds > 0.0 { (audio.bytes() as f64 * 8.0 / seconds) as u32 } else { audio.bitrate };
    let max_bitrate = (u64::from(peak) * 8 * u64::from(audio.rate) / 1024).min(u64::from(u32::MAX)) as u32;
    let mut dcd = vec![0x40, 0x15]; // MPEG-4 audio; an audio stream
    dcd.extend_from_slice(&peak.min(0xFF_FFFF).to_be_bytes()[1..]);
    dcd.extend_from_slice(&max_bitrate.to_be_bytes());
    dcd.extend_from_slice(&average.to_be_bytes());
    dcd.extend(descriptor(0x05, &audio.config));
    let mut es = vec![0, 0, 0]; // ES_ID 0, no flags
    es.extend(descriptor(0x04, &dcd));
    es.extend(descriptor(0x06, &[0x02]));
    b.open_full(b"esds", 0, 0).bytes(&descriptor(0x03, &es)).close();
    b.close();
}

/// The QuickTime chapter track: one text sample per chapter, lasting until the next one.
fn text_trak(b: &mut Boxes, audio: &Audio, chapters: &[Chapter], text: &[Vec<u8>], start: u64, wide: bool, long: bool) {
    b.open(b"trak");
    // Not enabled: a chapter track is read for its titles, not shown as subtitles.
    tkhd(b, TEXT_TRACK, 0, audio.samples, 0, long);
    b.open(b"mdia");
    mdhd(b, audio.rate, audio.samples, "und", long);
    hdlr(b, b"text", "ChapterHandler");
    b.open(b"minf");
    b.open(b"gmhd");
    b.open_full(b"gmin", 0, 0).u16(0x40).u16(0x8000).u16(0x8000).u16(0x8000).i16(0).u16(0).close();
    b.open(b"text").unity_matrix().close();
    b.close();
    dinf(b);
    b.open(b"stbl");
    b.open_full(b"stsd", 0, 0).u32(1);
    // The QuickTime text sample description: display flags, justification, background
    // colour, default text box, reserved, font number and face, reserved, foreground colour,
    // an empty font name.
    b.open(b"text").zeros(6).u16(1).u32(0).u32(1).zeros(6).zeros(8).zeros(8).u16(0).u16(0).u8(0).u16(0);
    b.zeros(6).u8(0).close();
    b.close();
    let durations = chapter_durations(chapters, audio.samples);
    b.open_full(b"stts", 0, 0).u32(durations.len() as u32);
    for &d in &durations {
        b.u32(1).u32(u32::try_from(d).unwrap_or(u32::MAX));
    }
    b.close();
    b.open_full(b"stsc", 0, 0).u32(1).u32(1).u32(chapters.len() as u32).u32(1).close();
    b.open_full(b"stsz", 0, 0).u32(0).u32(text.len() as u32);
    for t in text {
        b.u32(t.len() as u32);
    }
    b.close();
    chunk_offsets(b, &[start], wide);
    b.close(); // stbl
    b.close(); // minf
    b.close(); // mdia
    b.close(); // trak
}

/// How long each chapter lasts (samples): until the next one starts, the last until `total`.
pub fn chapter_durations(chapters: &[Chapter], total: u64) -> Vec<u64> {
    chapters
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let end = chapters.get(i + 1).map_or(total, |n| n.start).max(c.start);
            end - c.start
        })
        .collect()
}

/// The most chapters a Nero `chpl` box can count (one byte).
pub const CHPL_MAX: usize = 255;

/// Nero's chapter list (`moov/udta/chpl`), read by players that ignore chapter tracks:
/// version 1, a reserved word, a one-byte count, then each chapter's start in 100 ns units
/// and its title (at most 255 bytes). Past 255 chapters only the first 255 are listed; the
/// chapter track has them all.
fn chpl(b: &mut Boxes, chapters: &[Chapter], rate: u32) {
    let listed = &chapters[..chapters.len().min(CHPL_MAX)];
    b.open_full(b"chpl", 1, 0).u32(0).u8(listed.len() as u8);
    for c in listed {
        let ticks = (u128::from(c.start) * 10_000_000 / u128::from(rate.max(1))) as u64;
        let title = truncate_utf8(&c.title, 255);
        b.u64(ticks).u8(title.len() as u8).bytes(title.as_bytes());
    }
    b.close();
}

/// iTunes metadata: `meta` (a full box) with its `mdir` handler and the `ilst` items.
fn ilst(b: &mut Boxes, meta: &Meta) {
    b.open_full(b"meta", 0, 0);
    b.open_full(b"hdlr", 0, 0).u32(0).bytes(b"mdir").bytes(b"appl").zeros(8).u8(0).close();
    b.open(b"ilst");
    let text = |b: &mut Boxes, kind: &[u8; 4], value: &str| {
        if !value.is_empty() {
            b.open(kind).open(b"data").u32(1).u32(0).bytes(value.as_bytes()).close().close();
        }
    };
    text(b, b"\xa9nam", &meta.title);
    text(b, b"\xa9ART", &meta.artist);
    text(b, b"\xa9alb", &meta.album);
    if let Some(day) = &meta.day {
        text(b, b"\xa9day", day);
    }
    if let Some(comment) = &meta.comment {
        text(b, b"\xa9cmt", comment);
    }
    text(b, b"\xa9too", concat!("seedaudio ", env!("CARGO_PKG_VERSION")));
    if let Some((n, total)) = meta.track {
        let (n, total) = (n.min(u32::from(u16::MAX)) as u16, total.unwrap_or(0).min(u32::from(u16::MAX)) as u16);
        b.open(b"trkn").open(b"data").u32(0).u32(0).u16(0).u16(n).u16(total).u16(0).close().close();
    }
    if meta.book {
        // Media kind: audiobook.
        b.open(b"stik").open(b"data").u32(21).u32(0).u8(2).close().close();
    }
    if !meta.language.is_empty() {
        b.open(b"----");
        b.open_full(b"mean", 0, 0).bytes(b"com.apple.iTunes").close();
        b.open_full(b"name", 0, 0).bytes(b"LANGUAGE").close();
        b.open(b"data").u32(1).u32(0).bytes(meta.language.as_bytes()).close();
        b.close();
    }
    b.close(); // ilst
    b.close(); // meta
}

#[cfg(test)]
mod tests {
    use super::*;

    fn audio(sizes: Vec<u32>) -> Audio {
        let samples = sizes.len() as u64 * 1024 - 1024 - 300;
        Audio { rate: 44_100, sizes, priming: 1024, samples, config: vec![0x12, 0x08], bitrate: 64_000 }
    }

    fn chapters() -> Vec<Chapter> {
        vec![
            Chapter { start: 0, title: "开场".into() },
            Chapter { start: 44_100, title: "一、结构".into() },
            Chapter { start: 88_200, title: "x".repeat(300) },
        ]
    }

    fn meta() -> Meta {
        Meta {
            title: "标题".into(),
            artist: "作者".into(),
            album: "专辑".into(),
            language: "zho".into(),
            book: true,
            ..Meta::default()
        }
    }

    /// Every box at the top level of `bytes` from `at`: (type, start, size).
    fn children(bytes: &[u8], mut at: usize, end: usize) -> Vec<(String, usize, usize)> {
        let mut v = Vec::new();
        while at + 8 <= end {
            let size = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
            let kind = String::from_utf8_lossy(&bytes[at + 4..at + 8]).into_owned();
            let size =
                if size == 1 { u64::from_be_bytes(bytes[at + 8..at + 16].try_into().unwrap()) as usize } else { size };
            v.push((kind, at, size));
            if size < 8 {
                break;
            }
            at += size;
        }
        v
    }

    fn find(bytes: &[u8], kind: &[u8; 4]) -> Option<usize> {
        bytes.windows(4).position(|w| w == kind).map(|p| p - 4)
    }

    #[test]
    fn the_head_is_ftyp_moov_then_mdat_and_sizes_add_up() {
        let a = audio(vec![200; 130]);
        let head = head(&a, &chapters(), &meta());
        let top = children(&head, 0, head.len());
        let kinds: Vec<&str> = top.iter().map(|(k, _, _)| k.as_str()).collect();
        assert_eq!(kinds, ["ftyp", "moov", "mdat"]);
        assert_eq!(&head[8..12], b"M4B ");
        let (_, mdat_at, mdat_size) = top[2];
        // mdat holds the chapter samples (in the head) and the frames that follow it.
        assert_eq!(mdat_at + mdat_size, head.len() + 130 * 200);
        // The moov's own children fill it exactly.
        let (_, moov_at, moov_size) = top[1];
        let inside = children(&head, moov_at + 8, moov_at + moov_size);
        assert_eq!(inside.iter().map(|(_, _, s)| s).sum::<usize>() + 8, moov_size);
        let names: Vec<&str> = inside.iter().map(|(k, _, _)| k.as_str()).collect();
        assert_eq!(names, ["mvhd", "trak", "trak", "udta"]);
    }

    #[test]
    fn the_first_chunk_offset_points_past_the_chapter_titles() {
        let a = audio(vec![100; 70]);
        let head = head(&a, &chapters(), &meta());
        let stco = find(&head, b"stco").unwrap();
        // audio trak comes first: 2 chunks (64 + 6 frames).
        assert_eq!(u32::from_be_bytes(head[stco + 12..stco + 16].try_into().unwrap()), 2);
        let first = u32::from_be_bytes(head[stco + 16..stco + 20].try_into().unwrap()) as usize;
        assert_eq!(first, head.len());
        let second = u32::from_be_bytes(head[stco + 20..stco + 24].try_into().unwrap()) as usize;
        assert_eq!(second, head.len() + 64 * 100);
        let stsc = find(&head, b"stsc").unwrap();
        let entries: Vec<u32> =
            head[stsc + 16..stsc + 40].chunks(4).map(|c| u32::from_be_bytes(c.try_into().unwrap())).collect();
        assert_eq!(entries, [1, 64, 1, 2, 6, 1]);
    }

    #[test]
    fn chapter_samples_are_length_prefixed_utf8_with_encd() {
        let s = text_samples(&chapters()[..1]);
        assert_eq!(s[0][..2], [0, 6]);
        assert_eq!(&s[0][2..8], "开场".as_bytes());
        assert_eq!(&s[0][8..], &[0, 0, 0, 12, b'e', b'n', b'c', b'd', 0, 0, 1, 0]);
    }

    #[test]
    fn chpl_lists_starts_in_100ns_and_titles_cut_at_255_bytes() {
        let mut b = Boxes::new();
        chpl(&mut b, &chapters(), 44_100);
        let bytes = b.into_bytes();
        assert_eq!(&bytes[4..8], b"chpl");
        assert_eq!(bytes[8], 1, "version 1");
        assert_eq!(&bytes[12..16], &[0, 0, 0, 0], "reserved");
        assert_eq!(bytes[16], 3, "count");
        let mut at = 17;
        let mut got = Vec::new();
        for _ in 0..3 {
            let start = u64::from_be_bytes(bytes[at..at + 8].try_into().unwrap());
            let len = bytes[at + 8] as usize;
            got.push((start, String::from_utf8(bytes[at + 9..at + 9 + len].to_vec()).unwrap()));
            at += 9 + len;
        }
        assert_eq!(at, bytes.len());
        assert_eq!(got[0], (0, "开场".into()));
        assert_eq!(got[1], (10_000_000, "一、结构".into()));
        assert_eq!(got[2], (20_000_000, "x".repeat(255)));
        assert_eq!(u32::from_be_bytes(bytes[0..4].try_into().unwrap()) as usize, bytes.len());
    }

    #[test]
    fn chpl_stops_at_255_chapters() {
        let many: Vec<Chapter> = (0..300).map(|i| Chapter { start: i * 10, title: "c".into() }).collect();
        let mut b = Boxes::new();
        chpl(&mut b, &many, 44_100);
        assert_eq!(b.into_bytes()[16], 255);
    }

    #[test]
    fn offsets_past_4_gib_switch_to_co64_and_a_large_mdat() {
        let big = audio(vec![3 << 30, 3 << 30]);
        let head = head(&big, &chapters(), &meta());
        assert!(find(&head, b"stco").is_none());
        let co64 = find(&head, b"co64").unwrap();
        assert_eq!(u32::from_be_bytes(head[co64 + 12..co64 + 16].try_into().unwrap()), 1);
        let first = u64::from_be_bytes(head[co64 + 16..co64 + 24].try_into().unwrap());
        assert_eq!(first as usize, head.len());
        let top = children(&head, 0, head.len());
        assert_eq!(top[2].0, "mdat");
        assert_eq!(top[2].2 as u64, 16 + (head.len() - top[2].1 - 16) as u64 + (6u64 << 30));

        let small = head_of(vec![1000; 10]);
        assert!(find(&small, b"co64").is_none() && find(&small, b"stco").is_some());
    }

    fn head_of(sizes: Vec<u32>) -> Vec<u8> {
        head(&audio(sizes), &chapters(), &meta())
    }

    #[test]
    fn the_edit_list_hides_the_priming_and_the_padding() {
        let a = audio(vec![100; 10]);
        let head = head(&a, &chapters(), &meta());
        let elst = find(&head, b"elst").unwrap();
        let words: Vec<u32> =
            head[elst + 12..elst + 28].chunks(4).map(|c| u32::from_be_bytes(c.try_into().unwrap())).collect();
        assert_eq!(words, [1, 10 * 1024 - 1024 - 300, 1024, 0x0001_0000]);
    }

    #[test]
    fn a_book_past_u32_samples_uses_version_1_headers() {
        // 28 hours at 44.1 kHz: more samples than 32 bits count.
        let frames = (28 * 3600 * 44_100) / 1024 + 2;
        let mut a = audio(vec![10; frames]);
        a.samples = frames as u64 * 1024 - 2048;
        assert!(a.samples > u64::from(u32::MAX));
        let head = head(&a, &chapters(), &meta());
        for kind in [b"mvhd", b"tkhd", b"mdhd", b"elst"] {
            let at = find(&head, kind).unwrap();
            assert_eq!(head[at + 8], 1, "{} is version 1", String::from_utf8_lossy(kind));
        }
        let mvhd = find(&head, b"mvhd").unwrap();
        // version/flags, creation (8), modification (8), time scale (4), duration (8).
        let duration = u64::from_be_bytes(head[mvhd + 32..mvhd + 40].try_into().unwrap());
        assert_eq!(duration, a.samples);
        let elst = find(&head, b"elst").unwrap();
        let segment = u64::from_be_bytes(head[elst + 16..elst + 24].try_into().unwrap());
        let media_time = u64::from_be_bytes(head[elst + 24..elst + 32].try_into().unwrap());
        assert_eq!((segment, media_time), (a.samples, 1024));
    }

    #[test]
    fn languages_pack_into_fifteen_bits() {
        assert_eq!(packed_language("und"), 0x55C4);
        assert_eq!(packed_language("eng"), 0x15C7);
        assert_eq!(packed_language("EN"), packed_language("und"));
    }

    #[test]
    fn chapters_last_until_the_next_one() {
        assert_eq!(chapter_durations(&chapters(), 100_000), [44_100, 44_100, 11_800]);
    }
}
