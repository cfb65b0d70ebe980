//! Protected spans: paid markers and literal text (code spans, escaped characters) stand in
//! the line as [`MARK`] + an index character, so no later pass can change them; a pass that
//! drops a span keeps the markers inside it ([`Store::markers_in`]).
//!
//! Kept apart because every other pass must step over stand-ins the same way: this file is
//! the one place that knows what they look like.

use super::super::markers::{BEGIN, END};

/// Starts a stand-in; U+FDD0 is a Unicode noncharacter, so it is dropped from the input.
pub(super) const MARK: char = '\u{FDD0}';

/// Copies the protected span that starts at `chars[at]` (a [`MARK`] and its index character)
/// to `out` as it is; returns where the text after it starts.
pub(super) fn copy_mark(chars: &[char], at: usize, out: &mut String) -> usize {
    out.extend(&chars[at..(at + 2).min(chars.len())]);
    at + 2
}
const INDEX_BASE: u32 = 0xF0000;
const MAX_STORED: usize = 0xFFFD;

/// The texts one line's stand-ins hold, and whether each is a paid marker.
#[derive(Default)]
pub(super) struct Store {
    items: Vec<(String, bool)>,
}

impl Store {
    /// A stand-in for `text`, or `text` itself when the line already holds too many.
    pub(super) fn put(&mut self, text: String, marker: bool) -> String {
        if self.items.len() >= MAX_STORED {
            return text;
        }
        let index = char::from_u32(INDEX_BASE + self.items.len() as u32).expect("plane 15 is valid");
        self.items.push((text, marker));
        format!("{MARK}{index}")
    }

    pub(super) fn restore(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == MARK {
                if let Some(i) = chars.next() {
                    out.push_str(&self.items[(i as u32 - INDEX_BASE) as usize].0);
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    /// The marker stand-ins inside `s`, separated by spaces.
    pub(super) fn markers_in(&self, s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == MARK
                && let Some(i) = chars.next()
                && self.items[(i as u32 - INDEX_BASE) as usize].1
            {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push(MARK);
                out.push(i);
            }
        }
        out
    }
}

/// Replaces the paid markers of `line` by stand-ins (and drops any stray `MARK`).
pub(super) fn protect(line: &str, store: &mut Store) -> String {
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < line.len() {
        if let Some(len) = marker_at(line, i) {
            out.push_str(&store.put(line[i..i + len].to_string(), true));
            i += len;
            continue;
        }
        let c = line[i..].chars().next().unwrap();
        if c != MARK {
            out.push(c);
        }
        i += c.len_utf8();
    }
    out
}

fn marker_at(s: &str, at: usize) -> Option<usize> {
    let bytes = &s.as_bytes()[at..];
    [BEGIN, END]
        .iter()
        .find(|t| bytes.len() >= t.len() && bytes[..t.len()].eq_ignore_ascii_case(t.as_bytes()))
        .map(|t| t.len())
}

/// A piece of text with stand-ins: literal text or one stand-in.
pub(super) enum Piece<'a> {
    Text(&'a str),
    Mark(&'a str),
}

/// `s` cut into text and the stand-ins between it.
pub(super) fn split_keep_marks(s: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut iter = s.char_indices();
    while let Some((at, c)) = iter.next() {
        if c == MARK {
            if at > start {
                pieces.push(Piece::Text(&s[start..at]));
            }
            let end = iter.next().map_or(s.len(), |(j, c)| j + c.len_utf8());
            pieces.push(Piece::Mark(&s[at..end]));
            start = end;
        }
    }
    if start < s.len() {
        pieces.push(Piece::Text(&s[start..]));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::super::tests::check;

    #[test]
    fn paid_markers_survive_every_pass() {
        check(&[
            // Paid markers.
            (
                "##paidbegin##\n**free ##paidbegin## paid**\n##PaidEnd##",
                "##paidbegin##\nfree ##paidbegin## paid\n##PaidEnd##",
            ),
            ("##paidbegin##- item\n##paidbegin#### Heading *x*", "##paidbegin##item\n##paidbegin#### Heading x"),
            ("[text](http://x.org)##paidend## tail", "text##paidend## tail"),
            ("```\ncode ##paidend##\n```", "(code omitted)\n##paidend##\n"),
            ("##paidbegin##```\ncode\n```", "##paidbegin## (code omitted)\n\n"),
            ("a <!-- ##paidbegin## --> b `##paidend##`", "a ##paidbegin## b ##paidend##"),
        ]);
    }
}
