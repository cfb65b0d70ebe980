//! SubRip (`.srt`) captions: numbered cues, one per spoken utterance.
//!
//! SRT has no escaping, yet common players read markup in it: HTML-like tags (`<b>`, `<i>`,
//! `<font>`) and ASS override blocks (`{\an8}`, and `\N` for a line break once converted to
//! ASS, as ffmpeg and libass do). So the characters that start markup are replaced by their
//! full-width look-alikes, which players show as text: `<` `>` `{` `}` `\` become
//! `＜` `＞` `｛` `｝` `＼`. A title like `<b>x</b>` is then shown as `＜b＞x＜/b＞`, never
//! in bold. `&` is left alone: SRT readers do not decode entities, so `&amp;` shows as typed.
//! Line breaks are collapsed (a blank line ends a cue), as in the WebVTT writer.

use super::text::one_line;
use super::timecode::clock;
use super::track::Track;

/// The track's cues as an SRT file (UTF-8 without BOM, `\n` line ends), numbered from 1.
pub fn srt(track: &Track) -> String {
    let mut out = String::new();
    let mut number = 0;
    for cue in &track.cues {
        let text = neutralise(&one_line(&cue.text));
        if text.is_empty() {
            continue;
        }
        number += 1;
        if number > 1 {
            out.push('\n');
        }
        out.push_str(&format!("{number}\n{} --> {}\n{text}\n", clock(cue.start, ','), clock(cue.end, ',')));
    }
    out
}

fn neutralise(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '<' => '＜',
            '>' => '＞',
            '{' => '｛',
            '}' => '｝',
            '\\' => '＼',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixtures;
    use super::*;

    #[test]
    fn numbers_times_and_text() {
        assert_eq!(
            srt(&fixtures::plain()),
            "1\n00:00:00,000 --> 00:00:01,500\nHello there.\n\n2\n01:02:05,046 --> 01:02:07,000\n第二句。\n"
        );
    }

    #[test]
    fn article_text_cannot_become_markup() {
        let out = srt(&fixtures::hostile());
        let payloads: Vec<&str> = out.split("\n\n").map(|block| block.lines().nth(2).unwrap()).collect();
        assert_eq!(payloads[0], "＜script＞alert(1)＜/script＞ ＜b＞bold＜/b＞");
        assert_eq!(payloads[1], "]]＞ &amp; \"quoted\" 'single' a --＞ b");
        assert_eq!(payloads[2], "＜speak＞＜break time=\"1s\"/＞＜/speak＞ ｛＼an8｝");
        assert_eq!(payloads[3], "line one line two line three");
        for (i, block) in out.split("\n\n").enumerate() {
            let lines: Vec<&str> = block.trim_end().lines().collect();
            assert_eq!(lines.len(), 3, "{block:?}");
            assert_eq!(lines[0], (i + 1).to_string());
            assert!(!lines[2].contains(['<', '>', '{', '}', '\\']));
        }
    }

    #[test]
    fn free_track_has_no_paid_text() {
        let (free, full) = fixtures::episodes();
        assert!(srt(&full).contains(fixtures::PAID_SENTENCE));
        let out = srt(&free);
        assert!(out.contains(fixtures::FREE_SENTENCE));
        assert!(!out.contains(fixtures::PAID_SENTENCE));
    }
}
