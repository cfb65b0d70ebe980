//! The ID3v2 tag at the front of an MP3: what the file is (title, artist, album, track,
//! language, comment) and where its chapters start (CHAP frames listed by one CTOC).
//!
//! The tag is ID3v2.3. ffprobe/FFmpeg (5.1 here) read the size of a frame inside a CHAP as a
//! plain 32-bit number, which is what v2.3 stores; v2.4 stores it "sync-safe", so under v2.4 a
//! chapter title longer than 127 bytes (about 42 Chinese characters) would be misread. v2.3
//! is also what most podcast apps were written against. v2.3 text is UTF-16 with a BOM (the
//! `id3` crate's choice for v2.3), which holds any Unicode text; element IDs are ASCII.

use id3::frame::{Chapter, Comment, TableOfContents};
use id3::{Frame, Tag, TagLike, Version};

use crate::publish::track::Track;
use crate::text::language::is_chinese_tag;

/// What the MP3 says about itself. Empty strings are left out of the tag.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tags {
    /// TIT2: the episode or chapter title.
    pub title: String,
    /// TPE1: the author or the voice.
    pub artist: String,
    /// TALB: the article title for a chapter file; the series for an episode.
    pub album: String,
    /// TRCK: this file's number, and how many there are (`3/5`).
    pub track: Option<(u32, Option<u32>)>,
    /// The spoken language as a BCP 47 tag (`zh`, `zh-CN`, `en-US`, `cmn`). Written to TLAN
    /// as ISO 639-2 (see [`iso639_2`]); a language it cannot map is left out of the tag.
    pub language: String,
    /// COMM: free text (a description, a link).
    pub comment: Option<String>,
}

/// The element ID of the table of contents.
pub const TOC_ID: &str = "toc";

/// The element ID of the `index`th chapter: `chp0`, `chp1`, …
pub fn chapter_id(index: usize) -> String {
    format!("chp{index}")
}

/// The ISO 639-2 code ID3 wants in TLAN and COMM for a BCP 47 language tag, from its primary
/// subtag. Terminology codes are used where ISO 639-2 has two (`zho`, not `chi`; `deu`, not
/// `ger`), as they are the ones ISO 639-3 and so BCP 47's three-letter tags use. Every tag
/// the one Chinese rule accepts (`text::language::is_chinese_tag`: `zh`, `cmn`, `yue`, `wuu`…) maps to `zho`,
/// which ISO 639-2 uses for all Chinese varieties.
/// `None` for an empty tag or a language not in the table below.
pub fn iso639_2(bcp47: &str) -> Option<&'static str> {
    if is_chinese_tag(bcp47) {
        return Some("zho");
    }
    let primary = bcp47.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    let code = match primary.as_str() {
        "en" | "eng" => "eng",
        "ja" | "jpn" => "jpn",
        "ko" | "kor" => "kor",
        "fr" | "fra" | "fre" => "fra",
        "de" | "deu" | "ger" => "deu",
        "es" | "spa" => "spa",
        "pt" | "por" => "por",
        "it" | "ita" => "ita",
        "ru" | "rus" => "rus",
        "ar" | "ara" => "ara",
        "hi" | "hin" => "hin",
        "nl" | "nld" | "dut" => "nld",
        "sv" | "swe" => "swe",
        "no" | "nor" | "nb" | "nob" => "nor",
        "da" | "dan" => "dan",
        "fi" | "fin" => "fin",
        "pl" | "pol" => "pol",
        "cs" | "ces" | "cze" => "ces",
        "uk" | "ukr" => "ukr",
        "el" | "ell" | "gre" => "ell",
        "tr" | "tur" => "tur",
        "he" | "heb" => "heb",
        "fa" | "fas" | "per" => "fas",
        "vi" | "vie" => "vie",
        "th" | "tha" => "tha",
        "id" | "ind" => "ind",
        "ms" | "msa" | "may" => "msa",
        _ => return None,
    };
    Some(code)
}

/// One chapter frame's place, in milliseconds from the start of the audio.
#[derive(Debug, Clone, PartialEq)]
pub struct ChapterSpan {
    pub id: String,
    pub title: String,
    pub start_ms: u32,
    pub end_ms: u32,
}

/// The chapter spans of `track` in an audio file `duration_ms` long: one per mark, each ending
/// where the next begins, the last at the end of the audio. Marks are kept in the track's
/// order (time order); a start past the end is clamped to the end.
pub fn chapter_spans(track: &Track, duration_ms: u32) -> Vec<ChapterSpan> {
    let starts: Vec<u32> = track.marks.iter().map(|m| seconds_to_ms(m.start).min(duration_ms)).collect();
    track
        .marks
        .iter()
        .enumerate()
        .map(|(i, mark)| {
            let start_ms = starts[i];
            let end_ms = starts.get(i + 1).copied().unwrap_or(duration_ms).max(start_ms);
            ChapterSpan { id: chapter_id(i), title: mark.title.clone(), start_ms, end_ms }
        })
        .collect()
}

/// Seconds to whole milliseconds, rounded; negative times are 0.
pub fn seconds_to_ms(seconds: f64) -> u32 {
    (seconds * 1000.0).round().clamp(0.0, f64::from(u32::MAX)) as u32
}

/// The tag for `track`'s MP3 of `duration_ms`, as bytes to put at the very start of the file.
pub fn tag_bytes(tags: &Tags, track: &Track, duration_ms: u32) -> Result<Vec<u8>, id3::Error> {
    let mut tag = Tag::with_version(Version::Id3v23);
    if !tags.title.is_empty() {
        tag.set_title(tags.title.as_str());
    }
    if !tags.artist.is_empty() {
        tag.set_artist(tags.artist.as_str());
    }
    if !tags.album.is_empty() {
        tag.set_album(tags.album.as_str());
    }
    if let Some((number, total)) = tags.track {
        let text = match total {
            Some(total) => format!("{number}/{total}"),
            None => number.to_string(),
        };
        tag.add_frame(Frame::text("TRCK", text));
    }
    let language = iso639_2(&tags.language);
    if let Some(code) = language {
        tag.add_frame(Frame::text("TLAN", code));
    }
    if let Some(text) = tags.comment.as_deref().filter(|t| !t.is_empty()) {
        // "XXX" is ID3's "unknown language".
        let lang = language.unwrap_or("XXX").to_string();
        tag.add_frame(Comment { lang, description: String::new(), text: text.to_string() });
    }
    // TLEN: the length in ms, so players need not scan the file to show it.
    tag.add_frame(Frame::text("TLEN", duration_ms.to_string()));

    let spans = chapter_spans(track, duration_ms);
    if !spans.is_empty() {
        let mut toc_frames = Vec::new();
        if !track.title.is_empty() {
            toc_frames.push(Frame::text("TIT2", track.title.as_str()));
        }
        tag.add_frame(TableOfContents {
            element_id: TOC_ID.into(),
            top_level: true,
            ordered: true,
            elements: spans.iter().map(|s| s.id.clone()).collect(),
            frames: toc_frames,
        });
        for span in spans {
            tag.add_frame(Chapter {
                element_id: span.id,
                start_time: span.start_ms,
                end_time: span.end_ms,
                // All ones: "no byte offset", the times are what counts.
                start_offset: u32::MAX,
                end_offset: u32::MAX,
                frames: vec![Frame::text("TIT2", span.title)],
            });
        }
    }
    let mut bytes = Vec::new();
    id3::Encoder::new().version(Version::Id3v23).encode(&tag, &mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::track::{Mark, TrackKind};

    fn track(marks: &[(f64, &str, u8)]) -> Track {
        Track {
            kind: TrackKind::Chapter(0),
            stem: "01-x".into(),
            title: "章节".into(),
            duration: 10.0,
            marks: marks
                .iter()
                .map(|&(start, title, level)| Mark { start, title: title.into(), paid: false, level })
                .collect(),
            cues: vec![],
        }
    }

    #[test]
    fn languages_map_to_iso639_2() {
        assert_eq!(iso639_2("zh"), Some("zho"));
        assert_eq!(iso639_2("zh-Hans-CN"), Some("zho"));
        assert_eq!(iso639_2("cmn"), Some("zho"));
        assert_eq!(iso639_2("EN_us"), Some("eng"));
        assert_eq!(iso639_2("de"), Some("deu"));
        assert_eq!(iso639_2(""), None);
        assert_eq!(iso639_2("sw"), None);
        for &(tag, chinese) in crate::text::language::TAGS {
            assert_eq!(iso639_2(tag) == Some("zho"), chinese, "{tag:?}");
        }
    }

    #[test]
    fn spans_end_where_the_next_begins_and_the_last_at_the_end() {
        let t = track(&[(0.0, "a", 0), (2.5004, "b", 1), (7.0, "c", 1), (12.0, "late", 1)]);
        let spans = chapter_spans(&t, 9_000);
        let got: Vec<(&str, &str, u32, u32)> =
            spans.iter().map(|s| (s.id.as_str(), s.title.as_str(), s.start_ms, s.end_ms)).collect();
        assert_eq!(
            got,
            vec![
                ("chp0", "a", 0, 2_500),
                ("chp1", "b", 2_500, 7_000),
                ("chp2", "c", 7_000, 9_000),
                ("chp3", "late", 9_000, 9_000)
            ]
        );
    }

    #[test]
    fn tag_round_trips_unicode_titles_and_chapters() {
        let tricky = "<script>&\"'</script> 付费部分";
        let t = track(&[(0.0, "第一章：开始", 0), (3.2, tricky, 1)]);
        let tags = Tags {
            title: "标题 & <b>".into(),
            artist: "作者".into(),
            album: "专辑".into(),
            track: Some((2, Some(5))),
            language: "zh-CN".into(),
            comment: Some("说明 \"quoted\"".into()),
        };
        let bytes = tag_bytes(&tags, &t, 10_000).unwrap();
        let tag = Tag::read_from2(std::io::Cursor::new(&bytes)).unwrap();
        assert_eq!(tag.version(), Version::Id3v23);
        assert_eq!(tag.title(), Some("标题 & <b>"));
        assert_eq!(tag.artist(), Some("作者"));
        assert_eq!(tag.album(), Some("专辑"));
        assert_eq!((tag.track(), tag.total_tracks()), (Some(2), Some(5)));
        assert_eq!(tag.get("TLAN").and_then(|f| f.content().text()), Some("zho"));
        let comment = tag.comments().next().unwrap();
        assert_eq!((comment.lang.as_str(), comment.text.as_str()), ("zho", "说明 \"quoted\""));

        let toc = tag.tables_of_contents().next().unwrap();
        assert_eq!(toc.element_id, "toc");
        assert!(toc.top_level && toc.ordered);
        assert_eq!(toc.elements, vec!["chp0", "chp1"]);
        let chapters: Vec<(String, u32, u32, String)> = tag
            .chapters()
            .map(|c| {
                let title = c.frames.iter().find(|f| f.id() == "TIT2").and_then(|f| f.content().text()).unwrap();
                (c.element_id.clone(), c.start_time, c.end_time, title.to_string())
            })
            .collect();
        assert_eq!(
            chapters,
            vec![("chp0".into(), 0, 3_200, "第一章：开始".into()), ("chp1".into(), 3_200, 10_000, tricky.to_string()),]
        );
    }

    #[test]
    fn empty_fields_and_no_marks_leave_frames_out() {
        let bytes = tag_bytes(&Tags::default(), &track(&[]), 1_000).unwrap();
        let tag = Tag::read_from2(std::io::Cursor::new(&bytes)).unwrap();
        let ids: Vec<&str> = tag.frames().map(|f| f.id()).collect();
        assert_eq!(ids, vec!["TLEN"]);
    }
}
