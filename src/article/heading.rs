//! Recognising heading lines and their level.
//!
//! A heading candidate is a whole fragment (see `markers`) that matches one of the styles
//! below. Its [`Style`] orders the levels: a document's chapter level is the highest level
//! present; lower levels are sub-headings that stay inside their chapter.

/// Heading styles, highest level first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Style {
    /// `#` … `######` (the level is stored separately).
    Markdown(u8),
    /// `第一部分`, `第一篇`
    Part,
    /// `第一章`
    Chapter,
    /// `第一节`
    Section,
    /// `一、`
    ChineseNumeral,
    /// `（一）` or `(一)`
    ParenChineseNumeral,
    /// `I.`, `IV.`
    Roman,
    /// `1.`, `1、`, `1．`
    Arabic,
}

/// A recognised heading: its style and its text without Markdown `#` marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub style: Style,
    pub text: String,
}

const CN_DIGITS: &str = "一二三四五六七八九十百零〇两";
/// Longest line, in characters, taken as a numbered heading.
const MAX_HEADING_CHARS: usize = 64;

/// Recognises a Markdown ATX heading: `## Text` (closing `#`s dropped).
pub fn markdown(line: &str) -> Option<Heading> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &line[hashes..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let text = rest.trim().trim_end_matches('#').trim_end();
    if text.is_empty() {
        return None;
    }
    Some(Heading { style: Style::Markdown(hashes as u8), text: text.to_string() })
}

/// Recognises the numbered styles of plain-text articles. Enumerations inside prose
/// (`一是要牢记宗旨。`) and long or sentence-like lines are not headings.
pub fn numbered(line: &str) -> Option<Heading> {
    if line.chars().count() > MAX_HEADING_CHARS || has_sentence_inside(line) {
        return None;
    }
    let style = if let Some(style) = chinese_ordinal(line) {
        style
    } else if strip_cn_number(line).is_some_and(|rest| rest.starts_with('、')) {
        Style::ChineseNumeral
    } else if let Some(inner) = strip_parens(line) {
        strip_cn_number(inner).filter(|r| r.is_empty())?;
        Style::ParenChineseNumeral
    } else if let Some(rest) = strip_roman(line) {
        short_numbered_rest(rest)?;
        Style::Roman
    } else if let Some(rest) = strip_arabic(line) {
        short_numbered_rest(rest)?;
        Style::Arabic
    } else {
        return None;
    };
    Some(Heading { style, text: line.to_string() })
}

/// A heading's number or `#` marks with no title after them (`#`, `##`, `一、`, `第二章`, `（三）`,
/// `4.`, `IV.`): what stands before a paid marker that was put inside a heading line.
pub fn is_bare_number(piece: &str) -> bool {
    let p = piece.trim();
    if p.is_empty() {
        return false;
    }
    if p.len() <= 6 && p.bytes().all(|b| b == b'#') {
        return true;
    }
    if let Some(rest) = p.strip_prefix('第') {
        let rest = strip_cn_number(rest).or_else(|| strip_ascii_digits(rest));
        return rest.is_some_and(|r| ["部分", "篇", "章", "节"].contains(&r));
    }
    if let Some(inner) = p.strip_prefix(['（', '(']).and_then(|r| r.strip_suffix(['）', ')'])) {
        return strip_cn_number(inner).is_some_and(str::is_empty);
    }
    strip_cn_number(p) == Some("、") || strip_roman(p) == Some("") || strip_arabic(p).is_some_and(str::is_empty)
}

/// `第X章`, `第X节`, `第X部分`, `第X篇` with Chinese or Arabic numerals.
fn chinese_ordinal(line: &str) -> Option<Style> {
    let rest = line.strip_prefix('第')?;
    let rest = strip_cn_number(rest).or_else(|| strip_ascii_digits(rest))?;
    for (word, style) in [("部分", Style::Part), ("篇", Style::Part), ("章", Style::Chapter), ("节", Style::Section)]
    {
        if rest.starts_with(word) {
            return Some(style);
        }
    }
    None
}

fn strip_cn_number(s: &str) -> Option<&str> {
    let rest = s.trim_start_matches(|c| CN_DIGITS.contains(c));
    (rest.len() < s.len()).then_some(rest)
}

fn strip_ascii_digits(s: &str) -> Option<&str> {
    let rest = s.trim_start_matches(|c: char| c.is_ascii_digit());
    (rest.len() < s.len() && s.len() - rest.len() <= 3).then_some(rest)
}

/// `（一）rest` or `(一)rest` → the text between the brackets, when the heading has text after.
fn strip_parens(line: &str) -> Option<&str> {
    let inner = line.strip_prefix('（').or_else(|| line.strip_prefix('('))?;
    let close = inner.find(['）', ')'])?;
    let after = &inner[close..];
    let after = after.strip_prefix('）').or_else(|| after.strip_prefix(')'))?;
    (!after.trim().is_empty()).then_some(&inner[..close])
}

fn strip_roman(line: &str) -> Option<&str> {
    let numeral_len = line.bytes().take_while(|b| b"IVXLC".contains(b)).count();
    if numeral_len == 0 || !is_roman(&line[..numeral_len]) {
        return None;
    }
    line[numeral_len..].strip_prefix('.')
}

fn is_roman(s: &str) -> bool {
    const VALID: [&str; 30] = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
        "XVIII", "XIX", "XX", "XXI", "XXII", "XXIII", "XXIV", "XXV", "XXVI", "XXVII", "XXVIII", "XXIX", "XXX",
    ];
    VALID.contains(&s)
}

fn strip_arabic(line: &str) -> Option<&str> {
    let rest = strip_ascii_digits(line)?;
    rest.strip_prefix('.').or_else(|| rest.strip_prefix('、')).or_else(|| rest.strip_prefix('．'))
}

/// After `1.` or `I.`: a space (or a CJK character) and some text, with no sentence end.
fn short_numbered_rest(rest: &str) -> Option<()> {
    let first = rest.chars().next()?;
    if first.is_ascii_digit() {
        return None; // `3.5 million…` is a number, not a heading
    }
    let text = rest.trim();
    if text.is_empty() || text.ends_with(['.', '!', '?', '。', '！', '？', ':', '：', ',', '，']) {
        return None;
    }
    Some(())
}

/// A line that holds a sentence end before its last character is prose, not a heading.
fn has_sentence_inside(line: &str) -> bool {
    let body = line.trim_end_matches(['？', '?', '！', '!']);
    body.contains(['。', '；', ';']) || body.ends_with([',', '，', '、', ':', '：'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style(line: &str) -> Option<Style> {
        markdown(line).or_else(|| numbered(line)).map(|h| h.style)
    }

    #[test]
    fn chinese_numeral_headings() {
        assert_eq!(style("一、强化服务意识，工作方向不能偏"), Some(Style::ChineseNumeral));
        assert_eq!(style("二十、结语"), Some(Style::ChineseNumeral));
        assert_eq!(style("一、为什么要强化服务意识？"), Some(Style::ChineseNumeral));
    }

    #[test]
    fn enumerations_in_prose_are_not_headings() {
        assert_eq!(style("一是要牢记宗旨。要把全心全意为人民服务的思想确立起来。"), None);
        assert_eq!(style("二是要坚持身入。"), None);
        assert_eq!(style("一是起点要高"), None);
        assert_eq!(style("一、要牢记宗旨。要把思想确立起来。"), None);
    }

    #[test]
    fn ordinal_headings() {
        assert_eq!(style("第一章 总则"), Some(Style::Chapter));
        assert_eq!(style("第3节"), Some(Style::Section));
        assert_eq!(style("第二部分　实践"), Some(Style::Part));
        assert_eq!(style("第一次去北京。"), None);
    }

    #[test]
    fn parenthesised_numerals() {
        assert_eq!(style("（一）坚持讲真话"), Some(Style::ParenChineseNumeral));
        assert_eq!(style("(三) 办实事"), Some(Style::ParenChineseNumeral));
        assert_eq!(style("（注）见下文"), None);
    }

    #[test]
    fn markdown_headings() {
        assert_eq!(markdown("## Why it matters ##").unwrap().text, "Why it matters");
        assert_eq!(style("### Deep"), Some(Style::Markdown(3)));
        assert_eq!(style("#hashtag"), None);
        assert_eq!(style("####### seven"), None);
    }

    #[test]
    fn short_numbered_lines() {
        assert_eq!(style("1. Introduction"), Some(Style::Arabic));
        assert_eq!(style("2、背景"), Some(Style::Arabic));
        assert_eq!(style("IV. The Long Road"), Some(Style::Roman));
        assert_eq!(style("1. This is a sentence."), None);
        assert_eq!(style("3.5 million people came"), None);
        assert_eq!(style("2023. A year"), None);
        assert_eq!(style("IIII. no"), None);
        assert_eq!(style("I. said so, and left"), Some(Style::Roman));
        let long = format!("1. {}", "word ".repeat(20));
        assert_eq!(style(&long), None);
    }

    #[test]
    fn bare_numbers() {
        for bare in ["#", "## ", "一、", "第二章", "第3节", "（三）", "(十)", "4.", "12、", "IV."] {
            assert!(is_bare_number(bare), "{bare}");
        }
        for not in ["", "####### ", "一、标题", "第二章 总则", "（注）", "4. Intro", "一是", "#tag", "text"]
        {
            assert!(!is_bare_number(not), "{not}");
        }
    }

    #[test]
    fn style_order_puts_markdown_first_and_arabic_last() {
        assert!(Style::Markdown(2) < Style::Part);
        assert!(Style::ChineseNumeral < Style::ParenChineseNumeral);
        assert!(Style::Roman < Style::Arabic);
    }
}
