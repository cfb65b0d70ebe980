//! WebVTT captions: one cue per spoken utterance, timed as it is heard.
//!
//! Choices:
//! - One cue per utterance, on one line, not re-wrapped. Times are only known at utterance
//!   boundaries; splitting a paragraph into shorter cues would mean inventing times inside
//!   it. Players wrap long cue lines themselves, and hard breaks would split Chinese text,
//!   which has no spaces, at arbitrary characters. Utterances are already bounded by the
//!   voice's length limit.
//! - Captions only: chapter titles belong to a `kind="chapters"` track or the chapter
//!   list, not to text shown as speech.
//! - Cue text is escaped (`&`, `<`, `>`), so article text can never open a tag, a class or a
//!   voice span, and `-->` cannot appear in a payload. Line breaks are collapsed: a blank
//!   line would end the cue.

use super::text::one_line;
use super::timecode::clock;
use super::track::Track;

/// The track's cues as a WebVTT file (UTF-8, `\n` line ends).
pub fn webvtt(track: &Track) -> String {
    let mut out = String::from("WEBVTT\n");
    for cue in &track.cues {
        let text = escape(&one_line(&cue.text));
        if text.is_empty() {
            continue;
        }
        out.push('\n');
        let id = one_line(&cue.id);
        // An identifier is optional; one that could be read as a timing line is left out.
        if !id.is_empty() && !id.contains("-->") {
            out.push_str(&id);
            out.push('\n');
        }
        out.push_str(&format!("{} --> {}\n", clock(cue.start, '.'), clock(cue.end, '.')));
        out.push_str(&text);
        out.push('\n');
    }
    out
}

/// Cue text with the three characters WebVTT gives meaning to written as references.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixtures;
    use super::*;

    #[test]
    fn header_ids_times_and_text() {
        let vtt = webvtt(&fixtures::plain());
        assert_eq!(
            vtt,
            "WEBVTT\n\nu0001\n00:00:00.000 --> 00:00:01.500\nHello there.\n\n\
             u0002\n01:02:05.046 --> 01:02:07.000\n第二句。\n"
        );
    }

    #[test]
    fn article_text_cannot_become_markup() {
        let vtt = webvtt(&fixtures::hostile());
        let payloads: Vec<&str> = vtt.split("\n\n").skip(1).map(|block| block.lines().nth(2).unwrap()).collect();
        assert_eq!(payloads[0], "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;");
        assert_eq!(payloads[1], "]]&gt; &amp;amp; \"quoted\" 'single' a --&gt; b");
        assert_eq!(payloads[2], "&lt;speak&gt;&lt;break time=\"1s\"/&gt;&lt;/speak&gt; {\\an8}");
        assert_eq!(payloads[3], "line one line two line three");
        // Every block is an id, a timing line and one payload line: no blank line inside a
        // payload, no arrow outside the timing line.
        for block in vtt.split("\n\n").skip(1) {
            let lines: Vec<&str> = block.trim_end().lines().collect();
            assert_eq!(lines.len(), 3, "{block:?}");
            assert!(lines[1].contains(" --> "));
            assert!(!lines[0].contains("-->") && !lines[2].contains("-->"));
        }
    }

    #[test]
    fn free_track_has_no_paid_text() {
        let (free, full) = fixtures::episodes();
        assert!(webvtt(&full).contains(fixtures::PAID_SENTENCE));
        let vtt = webvtt(&free);
        assert!(vtt.contains(fixtures::FREE_SENTENCE));
        assert!(!vtt.contains(fixtures::PAID_SENTENCE));
    }
}
