//! Paid markers: `##paidbegin##` and `##paidend##`, anywhere in a line.
//!
//! Markers are matched without regard to ASCII case (`##PaidBegin##` counts). A line is cut
//! at every marker; each piece carries the paid state in force where it stands. Stray
//! markers (an end outside a paid block, a begin inside one) are ignored with a warning, and
//! a begin with no end makes the paid part run to the end of the article.
//!
//! Odd positions, decided here:
//! - A marker with only a heading's number or `#` marks before it on its line (`# ##paidbegin##
//!   Title`, `一、##paidbegin##标题`) acts as if it stood at the start of the line: the heading
//!   stays whole, on the side of the marker.
//! - Something that looks like a marker but is not one (`## paidbegin ##`, full-width `＃＃`,
//!   a marker broken across two lines) is read as text, with a warning: a misspelt marker
//!   would otherwise put paid text in a free chapter without anyone noticing.

use super::{Warning, heading};

pub const BEGIN: &str = "##paidbegin##";
pub const END: &str = "##paidend##";

/// A piece of one line between markers (or the whole line when it has none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    /// 1-based line number in the article.
    pub line: usize,
    /// The text, trimmed of surrounding white space; never empty.
    pub text: String,
    /// The paid block this piece belongs to (numbered from 0 in reading order), if any.
    pub paid: Option<usize>,
}

enum Marker {
    Begin,
    End,
}

/// Cuts `text` into fragments at line ends and markers.
pub fn split(text: &str) -> (Vec<Fragment>, Vec<Warning>) {
    let mut fragments = Vec::new();
    let mut warnings = Vec::new();
    let mut paid: Option<usize> = None;
    let mut next_block = 0usize;
    let mut open_line = 0usize;
    for (index, line) in text.split('\n').enumerate() {
        let line_no = index + 1;
        let mut rest = line;
        // A heading number held back from before a marker, to stay with its title.
        let mut carry = String::new();
        let mut first_piece = true;
        loop {
            let (before, marker, after) = match find_marker(rest) {
                Some((at, marker, len)) => (&rest[..at], Some(marker), &rest[at + len..]),
                None => (rest, None, ""),
            };
            carry.push_str(before);
            if marker.is_some() && first_piece && heading::is_bare_number(&carry) {
                // `# ##paidbegin## Title`: the `#` goes with `Title`.
            } else {
                let piece = carry.trim();
                if !piece.is_empty() {
                    if looks_like_a_marker(piece) {
                        warnings.push(Warning::new(
                            line_no,
                            format!(
                                "\"{}\" looks like a paid marker but is not one, so it is read as text; \
                                 write {BEGIN} or {END} whole on one line, with two ASCII # on each side",
                                short(piece)
                            ),
                        ));
                    }
                    fragments.push(Fragment { line: line_no, text: piece.to_string(), paid });
                    first_piece = false;
                }
                carry.clear();
            }
            match marker {
                None => break,
                Some(Marker::Begin) => match paid {
                    Some(_) => warnings.push(Warning::new(
                        line_no,
                        format!("{BEGIN} inside a paid block that began on line {open_line}; ignored"),
                    )),
                    None => {
                        paid = Some(next_block);
                        next_block += 1;
                        open_line = line_no;
                    }
                },
                Some(Marker::End) => match paid {
                    Some(_) => paid = None,
                    None => warnings.push(Warning::new(line_no, format!("{END} without a {BEGIN} before it; ignored"))),
                },
            }
            rest = after;
        }
    }
    if paid.is_some() {
        warnings.push(Warning::new(
            open_line,
            format!("{BEGIN} has no {END}: the paid part runs to the end of the article"),
        ));
    }
    (fragments, warnings)
}

/// Whether `text` (with no real marker in it) holds what looks like a misspelt or broken one.
fn looks_like_a_marker(text: &str) -> bool {
    let squashed: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'))
        .map(|c| if c == '＃' { '#' } else { c.to_ascii_lowercase() })
        .collect();
    ["#paidbegin", "#paidend", "paidbegin#", "paidend#"].iter().any(|p| squashed.contains(p))
        // Broken across lines: `##paid` | `begin##`.
        || squashed.ends_with("##paid")
        || squashed.starts_with("begin##")
        || squashed.starts_with("end##")
}

fn short(text: &str) -> String {
    if text.chars().count() > 40 { format!("{}…", text.chars().take(40).collect::<String>()) } else { text.into() }
}

/// The first marker in `s`: its byte offset, kind and length.
fn find_marker(s: &str) -> Option<(usize, Marker, usize)> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(rel) = s[from..].find("##") {
        let at = from + rel;
        for (token, marker) in [(BEGIN, Marker::Begin), (END, Marker::End)] {
            let end = at + token.len();
            if end <= bytes.len() && bytes[at..end].eq_ignore_ascii_case(token.as_bytes()) {
                return Some((at, marker, token.len()));
            }
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<(usize, String, Option<usize>)> {
        split(text).0.into_iter().map(|f| (f.line, f.text, f.paid)).collect()
    }

    #[test]
    fn marker_alone_on_a_line() {
        assert_eq!(
            pieces("free\n##paidbegin##\npaid\n##paidend##\nfree again"),
            vec![(1, "free".into(), None), (3, "paid".into(), Some(0)), (5, "free again".into(), None)]
        );
    }

    #[test]
    fn begin_at_line_start_followed_by_text() {
        assert_eq!(pieces("##paidbegin##机关干部"), vec![(1, "机关干部".into(), Some(0))]);
    }

    #[test]
    fn inline_begin_and_end() {
        assert_eq!(
            pieces("free part ##paidbegin## paid part ##paidend## free tail"),
            vec![(1, "free part".into(), None), (1, "paid part".into(), Some(0)), (1, "free tail".into(), None)]
        );
    }

    #[test]
    fn missing_end_runs_to_the_end_with_a_warning() {
        let (f, w) = split("a\n##paidbegin##b\nc");
        assert_eq!(f.last().unwrap().paid, Some(0));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, 2);
        assert!(w[0].message.contains("runs to the end"));
    }

    #[test]
    fn stray_end_and_repeated_begin_are_ignored_with_warnings() {
        let (f, w) = split("##paidend##a\n##paidbegin##b\n##paidbegin##c\n##paidend##d");
        let paid: Vec<_> = f.iter().map(|f| f.paid).collect();
        assert_eq!(paid, vec![None, Some(0), Some(0), None]);
        assert_eq!(w.iter().map(|w| w.line).collect::<Vec<_>>(), vec![1, 3]);
    }

    #[test]
    fn several_paid_blocks_are_numbered_in_order() {
        let paid: Vec<_> =
            pieces("a\n##paidbegin##b##paidend##\nc\n##paidbegin##\nd\n##paidend##").into_iter().map(|p| p.2).collect();
        assert_eq!(paid, vec![None, Some(0), None, Some(1)]);
    }

    #[test]
    fn a_marker_inside_a_heading_keeps_the_heading_whole() {
        assert_eq!(pieces("# ##paidbegin## Title\nx"), vec![(1, "#  Title".into(), Some(0)), (2, "x".into(), Some(0))]);
        assert_eq!(pieces("一、##PAIDBEGIN##标题"), vec![(1, "一、标题".into(), Some(0))]);
        assert_eq!(
            pieces("##paidbegin##a\n（二）##paidend##乙"),
            vec![(1, "a".into(), Some(0)), (2, "（二）乙".into(), None)]
        );
        // After the heading's text the marker cuts as anywhere else.
        assert_eq!(
            pieces("一、标题##paidbegin##正文"),
            vec![(1, "一、标题".into(), None), (1, "正文".into(), Some(0))]
        );
        // Only at the start of the line.
        assert_eq!(
            pieces("a ##paidbegin## # ##paidend## b"),
            vec![(1, "a".into(), None), (1, "#".into(), Some(0)), (1, "b".into(), None)]
        );
    }

    #[test]
    fn near_misses_are_text_with_a_warning() {
        for text in ["## paidbegin ##", "＃＃paidbegin＃＃", "##paid\nbegin##", "#paidend#", "##Paid Begin##"] {
            let (f, w) = split(text);
            assert!(f.iter().all(|f| f.paid.is_none()), "{text}");
            assert!(!w.is_empty() && w[0].message.contains("looks like a paid marker"), "{text}: {w:?}");
        }
        let (_, w) = split("# paid content\n## Paid subscribers\nThe paid end of the story");
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn case_variants_are_markers_and_other_hashes_are_text() {
        assert_eq!(pieces("##PaidBegin##x"), vec![(1, "x".into(), Some(0))]);
        assert_eq!(pieces("## heading #tag ##"), vec![(1, "## heading #tag ##".into(), None)]);
    }
}
