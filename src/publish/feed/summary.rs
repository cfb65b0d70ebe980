//! An episode's show notes: the opening of its text, then its chapter list.
//!
//! Written from the episode's [`Track`], so the free feed's notes can only hold what the free
//! episode says: cues and chapter marks flagged paid are left out of it whatever the track.

use crate::publish::track::Track;
use crate::text::language::is_chinese_tag;

/// Show notes stop at the first cue boundary past this many characters of text …
const ENOUGH_CHARS: usize = 200;
/// … and are cut, at a sentence end where possible, at this many.
const MAX_CHARS: usize = 400;

/// Whose notes these are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The public feed: nothing paid; says that a full episode exists when it does.
    Free { full_has_paid: bool },
    /// The subscribers' feed: paid chapters are listed and labelled.
    Subscribers,
}

/// Plain-text show notes for `track`.
pub fn describe(track: &Track, language: Option<&str>, audience: Audience) -> String {
    let free_only = matches!(audience, Audience::Free { .. });
    let words = Words::for_language(language);
    let headings: Vec<&str> = track.marks.iter().map(|m| m.title.trim()).collect();
    let mut text = String::new();
    for cue in track.cues.iter().filter(|c| !(free_only && c.paid)) {
        let said = cue.text.trim();
        // Headings are in the chapter list; one read again (a continuation's, whose mark says
        // "continued") would only repeat it.
        if said.is_empty() || said == track.title.trim() || headings.contains(&said) || cue.reread || cue.id == "cta" {
            continue;
        }
        if text.chars().count() >= ENOUGH_CHARS {
            break;
        }
        push_joined(&mut text, said);
    }
    let mut notes = shorten(&text);

    let marks: Vec<_> = track.marks.iter().filter(|m| m.level == 0 && !(free_only && m.paid)).collect();
    if marks.len() > 1 {
        notes.push_str("\n\n");
        notes.push_str(words.chapters);
        for m in marks {
            let label = if m.paid { words.paid } else { "" };
            notes.push_str(&format!("\n{} {}{label}", clock(m.start), m.title.trim()));
        }
    }
    if audience == (Audience::Free { full_has_paid: true }) {
        notes.push_str("\n\n");
        notes.push_str(words.preview);
    }
    notes.trim().to_string()
}

/// The few words the notes add, in the feed's language (Chinese or English).
struct Words {
    chapters: &'static str,
    paid: &'static str,
    preview: &'static str,
}

impl Words {
    fn for_language(language: Option<&str>) -> Words {
        if language.is_some_and(is_chinese_tag) {
            Words {
                chapters: "章节：",
                paid: "（付费）",
                preview: "本期为免费试听版；完整版（含付费部分）仅供订阅者收听。",
            }
        } else {
            Words {
                chapters: "Chapters:",
                paid: " (paid)",
                preview: "This is the free preview; the full episode, with the paid part, is for subscribers.",
            }
        }
    }
}

/// Appends `next`, with a space only between two pieces of spaced (Latin) script.
fn push_joined(text: &mut String, next: &str) {
    let spaced = |c: Option<char>| c.is_some_and(|c| c.is_ascii());
    if !text.is_empty() && spaced(text.chars().last()) && spaced(next.chars().next()) {
        text.push(' ');
    }
    text.push_str(next);
}

/// `text` cut to [`MAX_CHARS`], at the last sentence end in the second half if there is one.
fn shorten(text: &str) -> String {
    if text.chars().count() <= MAX_CHARS {
        return text.to_string();
    }
    let head: String = text.chars().take(MAX_CHARS).collect();
    let sentence_end = head
        .char_indices()
        .filter(|&(_, c)| matches!(c, '。' | '！' | '？' | '.' | '!' | '?'))
        .map(|(i, c)| i + c.len_utf8())
        .rfind(|&end| head[..end].chars().count() > MAX_CHARS / 2);
    match sentence_end {
        Some(end) if head[..end].ends_with('.') => format!("{} …", &head[..end]),
        Some(end) => format!("{}…", &head[..end]),
        None => format!("{}…", head.trim_end()),
    }
}

/// `m:ss`, or `h:mm:ss` from an hour on.
fn clock(seconds: f64) -> String {
    let s = seconds.max(0.0).floor() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::track::{Cue, Mark, TrackKind};

    fn cue(id: &str, text: &str, paid: bool) -> Cue {
        Cue { id: id.into(), start: 0.0, end: 1.0, text: text.into(), paid, reread: false }
    }

    fn mark(start: f64, title: &str, paid: bool) -> Mark {
        Mark { start, title: title.into(), paid, level: 0 }
    }

    fn full() -> Track {
        Track {
            kind: TrackKind::EpisodeFull,
            stem: "episode-full".into(),
            title: "标题".into(),
            duration: 4000.0,
            marks: vec![mark(0.0, "标题", false), mark(65.4, "一、甲", false), mark(3725.0, "二、乙", true)],
            cues: vec![
                cue("u1", "标题", false),
                cue("u2", "开头第一句。", false),
                cue("u3", "一、甲", false),
                cue("u4", "免费正文。", false),
                cue("u5", "二、乙", true),
                cue("u6", "付费的秘密。", true),
            ],
        }
    }

    #[test]
    fn free_notes_hold_nothing_paid() {
        let notes = describe(&full(), Some("zh"), Audience::Free { full_has_paid: true });
        assert!(notes.starts_with("开头第一句。免费正文。"), "{notes}");
        assert!(!notes.contains("秘密") && !notes.contains("二、乙") && !notes.contains("付费）"), "{notes}");
        assert!(notes.contains("\n0:00 标题\n1:05 一、甲"), "{notes}");
        assert!(notes.ends_with("仅供订阅者收听。"), "{notes}");
    }

    #[test]
    fn a_heading_read_again_is_not_note_text() {
        let mut t = full();
        t.marks = vec![mark(0.0, "标题", false), mark(65.4, "一、甲（续）", false)];
        t.cues = vec![Cue { reread: true, ..cue("u3", "一、甲", false) }, cue("u4", "免费正文。", false)];
        let notes = describe(&t, Some("zh"), Audience::Free { full_has_paid: true });
        assert!(notes.starts_with("免费正文。"), "{notes}");
        assert!(notes.contains("\n1:05 一、甲（续）"), "{notes}");
    }

    #[test]
    fn subscriber_notes_label_the_paid_chapter() {
        let notes = describe(&full(), Some("zh-CN"), Audience::Subscribers);
        assert!(notes.contains("付费的秘密。"), "{notes}");
        assert!(notes.contains("\n1:02:05 二、乙（付费）"), "{notes}");
        assert!(!notes.contains("订阅者"), "{notes}");
    }

    #[test]
    fn english_words_are_spaced_and_notes_stop_after_enough_text() {
        let mut t = full();
        t.cues = (0..40).map(|i| cue(&format!("u{i}"), &format!("Sentence number {i} is here."), false)).collect();
        let notes = describe(&t, Some("en"), Audience::Free { full_has_paid: false });
        let text = notes.split("\n\n").next().unwrap();
        assert!(text.starts_with("Sentence number 0 is here. Sentence number 1 is here."), "{text}");
        let n = text.chars().count();
        assert!((ENOUGH_CHARS..ENOUGH_CHARS + 30).contains(&n) && text.ends_with("is here."), "{n}: {text}");
        assert!(notes.contains("Chapters:\n0:00 标题\n1:05 一、甲"), "{notes}");
        assert!(!notes.contains("preview"), "{notes}");
    }

    #[test]
    fn long_text_is_cut_at_a_sentence_end_or_at_the_limit() {
        let sentences = "这是一个句子。".repeat(100);
        let cut = shorten(&sentences);
        assert!(cut.ends_with("句子。…") && cut.chars().count() <= MAX_CHARS + 2, "{cut}");
        let one_run = "字".repeat(1000);
        let cut = shorten(&one_run);
        assert_eq!(cut, format!("{}…", "字".repeat(MAX_CHARS)));
        assert_eq!(shorten("short."), "short.");
        let english = shorten(&"A sentence. ".repeat(60));
        assert!(english.ends_with("sentence. …"), "{english}");
    }

    #[test]
    fn a_single_chapter_gets_no_list() {
        let mut t = full();
        for m in &mut t.marks[1..] {
            m.level = 1;
        }
        assert_eq!(describe(&t, None, Audience::Subscribers), "开头第一句。免费正文。付费的秘密。");
    }

    #[test]
    fn notes_are_chinese_for_every_chinese_tag() {
        for &(tag, chinese) in crate::text::language::TAGS {
            assert_eq!(Words::for_language(Some(tag)).chapters == "章节：", chinese, "{tag:?}");
        }
        assert_eq!(Words::for_language(None).chapters, "Chapters:");
    }
}
