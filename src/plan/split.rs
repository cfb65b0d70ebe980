//! Cutting a paragraph that is too long for the voice into utterance-sized pieces.
//!
//! Sentence ends first, then clause marks, and only as a last resort the limit itself —
//! never inside a number or a Latin word unless one alone is longer than the limit.
//! Neighbouring units are packed together up to the limit, so a long paragraph becomes as
//! few requests as the limit allows. Concatenating the pieces gives back the input up to
//! white space at the cuts.

use serde::{Deserialize, Serialize};

/// How long one utterance may be. `None` means no limit of that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Limits {
    pub max_chars: Option<usize>,
    pub max_bytes: Option<usize>,
}

impl Limits {
    pub fn fits(&self, s: &str) -> bool {
        self.max_bytes.is_none_or(|max| s.len() <= max) && self.max_chars.is_none_or(|max| s.chars().count() <= max)
    }
}

/// Where a piece was cut from the one after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cut {
    Sentence,
    Clause,
    Limit,
    /// The last piece of the text.
    End,
}

/// Splits `text` into pieces that each fit `limits`, trimmed, none empty.
pub fn split(text: &str, limits: Limits) -> Vec<(String, Cut)> {
    let mut out = Vec::new();
    split_at_level(text, 0, limits, &mut out);
    let mut pieces: Vec<(String, Cut)> = out
        .into_iter()
        .filter_map(|(s, cut)| {
            let t = s.trim();
            (!t.is_empty()).then(|| (t.to_string(), cut))
        })
        .collect();
    if let Some(last) = pieces.last_mut() {
        last.1 = Cut::End;
    }
    pieces
}

const LEVELS: [Cut; 3] = [Cut::Sentence, Cut::Clause, Cut::Limit];

fn split_at_level(text: &str, level: usize, limits: Limits, out: &mut Vec<(String, Cut)>) {
    let cut = LEVELS[level];
    let units = match cut {
        Cut::Sentence => units_after(text, is_sentence_end),
        Cut::Clause => units_after(text, is_clause_end),
        _ => limit_units(text, limits),
    };
    let mut current = String::new();
    for unit in units {
        if limits.fits(&format!("{current}{unit}")) {
            current.push_str(unit);
            continue;
        }
        if !current.trim().is_empty() {
            out.push((std::mem::take(&mut current), cut));
        }
        current.clear();
        if limits.fits(unit) || level + 1 == LEVELS.len() {
            current.push_str(unit);
        } else {
            split_at_level(unit, level + 1, limits, out);
            if let Some(last) = out.last_mut() {
                last.1 = cut;
            }
        }
    }
    if !current.trim().is_empty() {
        out.push((current, cut));
    }
}

/// Cuts `text` after every position where `is_end` says a unit ends; closing quotes and
/// brackets and following white space stay with the unit they close.
fn units_after(text: &str, is_end: fn(&[char], usize) -> bool) -> Vec<&str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let just_chars: Vec<char> = chars.iter().map(|&(_, c)| c).collect();
    let mut units = Vec::new();
    let mut start = 0usize;
    let mut i = 0usize;
    while i < chars.len() {
        if is_end(&just_chars, i) {
            let mut j = i + 1;
            while j < chars.len() && (is_closer(just_chars[j]) || is_end_repeat(just_chars[i], just_chars[j])) {
                j += 1;
            }
            while j < chars.len() && just_chars[j].is_whitespace() {
                j += 1;
            }
            let end = chars.get(j).map_or(text.len(), |&(b, _)| b);
            units.push(&text[start..end]);
            start = end;
            i = j;
        } else {
            i += 1;
        }
    }
    if start < text.len() {
        units.push(&text[start..]);
    }
    units
}

fn is_closer(c: char) -> bool {
    "”’\"')）】」』》〉]}".contains(c)
}

/// `……`, `?!`, `!!`: runs of end marks stay together.
fn is_end_repeat(first: char, next: char) -> bool {
    "。！？!?…．.".contains(first) && "。！？!?…".contains(next)
}

fn is_sentence_end(chars: &[char], i: usize) -> bool {
    match chars[i] {
        '。' | '！' | '？' | '；' | '…' | '!' | '?' | ';' => true,
        // A full stop ends a sentence when white space, a quote or the end follows it, not
        // inside `3.5` or `example.com`.
        '.' => chars.get(i + 1).is_none_or(|&n| n.is_whitespace() || is_closer(n) || !n.is_ascii()),
        _ => false,
    }
}

fn is_clause_end(chars: &[char], i: usize) -> bool {
    match chars[i] {
        '，' | '、' | '：' | '—' => true,
        ',' | ':' => !(i > 0 && chars[i - 1].is_ascii_digit() && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit())),
        _ => false,
    }
}

/// Last resort: pieces that fit the limits, cut where no number or Latin word is broken
/// when such a place exists.
fn limit_units(text: &str, limits: Limits) -> Vec<&str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut units = Vec::new();
    let mut start = 0usize; // index into chars
    while start < chars.len() {
        // The longest run from `start` that fits.
        let mut end = start;
        while end < chars.len() {
            let byte_end = chars.get(end + 1).map_or(text.len(), |&(b, _)| b);
            if !limits.fits(&text[chars[start].0..byte_end]) {
                break;
            }
            end += 1;
        }
        let end = end.max(start + 1); // one character always goes, whatever the limit
        let cut = if end >= chars.len() {
            end
        } else {
            (start + 1..=end).rev().find(|&k| safe_cut(&chars, k)).unwrap_or(end)
        };
        let from = chars[start].0;
        let to = chars.get(cut).map_or(text.len(), |&(b, _)| b);
        units.push(&text[from..to]);
        start = cut;
    }
    units
}

/// Whether cutting between `chars[k - 1]` and `chars[k]` keeps words and numbers whole.
fn safe_cut(chars: &[(usize, char)], k: usize) -> bool {
    let c = |i: usize| chars.get(i).map(|&(_, c)| c);
    let (Some(a), Some(b)) = (c(k - 1), c(k)) else { return true };
    if is_word_char(a) && is_word_char(b) {
        return false;
    }
    // `3.5`, `1,000`, `12:30`: the mark between two digits belongs to the number.
    let is_inner_mark = |m: char| matches!(m, '.' | ',' | ':');
    if a.is_ascii_digit() && is_inner_mark(b) && c(k + 1).is_some_and(|n| n.is_ascii_digit()) {
        return false;
    }
    if is_inner_mark(a) && b.is_ascii_digit() && k >= 2 && c(k - 2).is_some_and(|p| p.is_ascii_digit()) {
        return false;
    }
    true
}

/// Letters and digits of alphabetic scripts; CJK ideographs are not "words" here since
/// each one may stand alone.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !matches!(c as u32, 0x3000..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF | 0xAC00..=0xD7AF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(n: usize) -> Limits {
        Limits { max_chars: Some(n), max_bytes: None }
    }

    fn squash(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    fn texts(pieces: &[(String, Cut)]) -> Vec<&str> {
        pieces.iter().map(|p| p.0.as_str()).collect()
    }

    #[test]
    fn short_text_is_one_piece() {
        assert_eq!(split("你好。", chars(10)), vec![("你好。".to_string(), Cut::End)]);
        assert_eq!(split(" padded ", Limits::default()), vec![("padded".to_string(), Cut::End)]);
    }

    #[test]
    fn sentences_are_packed_up_to_the_limit() {
        let p = split("甲乙。丙丁。戊己。庚辛。", chars(6));
        assert_eq!(texts(&p), vec!["甲乙。丙丁。", "戊己。庚辛。"]);
        assert_eq!(p[0].1, Cut::Sentence);
        assert_eq!(p[1].1, Cut::End);
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        let p = split("他说：“好。”然后走了。", chars(7));
        assert_eq!(texts(&p), vec!["他说：“好。”", "然后走了。"]);
        let p = split("He said \"yes.\" Then he left.", chars(16));
        assert_eq!(texts(&p), vec!["He said \"yes.\"", "Then he left."]);
    }

    #[test]
    fn clause_marks_when_a_sentence_is_too_long() {
        let p = split("一二三，四五六，七八九。", chars(8));
        assert_eq!(texts(&p), vec!["一二三，四五六，", "七八九。"]);
        assert_eq!(p[0].1, Cut::Clause);
    }

    #[test]
    fn limit_cut_never_breaks_a_number_or_word() {
        let p = split("abcdefg 3.14159 xyz", chars(10));
        for (piece, _) in &p {
            assert!(piece.chars().count() <= 10, "{piece}");
        }
        assert_eq!(texts(&p), vec!["abcdefg", "3.14159", "xyz"]);
        // Chinese characters around a number: the cut goes before the number.
        let p = split("甲乙丙丁戊己12345", chars(8));
        assert_eq!(texts(&p), vec!["甲乙丙丁戊己", "12345"]);
    }

    #[test]
    fn a_word_longer_than_the_limit_is_still_cut() {
        let p = split("abcdefghijkl", chars(5));
        assert_eq!(texts(&p), vec!["abcde", "fghij", "kl"]);
    }

    #[test]
    fn decimals_and_thousands_are_not_sentence_or_clause_ends() {
        let p = split("Growth was 3.5 percent, or 1,000 units. Next.", chars(40));
        assert_eq!(texts(&p), vec!["Growth was 3.5 percent, or 1,000 units.", "Next."]);
    }

    #[test]
    fn byte_limit_counts_utf8_bytes() {
        let limits = Limits { max_chars: None, max_bytes: Some(13) };
        assert_eq!(texts(&split("一二三。四五六。七", limits)), vec!["一二三。", "四五六。", "七"]);
        let limits = Limits { max_chars: None, max_bytes: Some(7) };
        assert_eq!(texts(&split("一二三四五", limits)), vec!["一二", "三四", "五"]);
    }

    #[test]
    fn a_long_paragraph_loses_nothing() {
        let sentence = "机关干部要想在工作中出精品、创一流，关键要把握好三条，";
        let mut para = String::new();
        while para.chars().count() < 1500 {
            para.push_str(sentence);
            para.push_str("这是第");
            para.push_str(&para.len().to_string());
            para.push_str("句话。");
        }
        let p = split(&para, chars(200));
        assert!(p.len() >= 8);
        for (piece, cut) in &p {
            assert!(piece.chars().count() <= 200);
            if *cut == Cut::Sentence {
                assert!(piece.ends_with('。'), "{piece}");
            }
        }
        let joined: String = p.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(squash(&joined), squash(&para));
    }
}
