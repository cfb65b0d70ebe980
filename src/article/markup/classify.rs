//! What kind of line this is: the block recognizers (fences, table delimiter rows, rules,
//! ATX headings, list items, footnote definitions) and the whole-document checks that decide
//! whether indentation can be code. Pure questions about one line or the document, no output,
//! so the block loop reads as a list of decisions.

use super::protect::{MARK, Store, protect};

/// Splits off leading white space and marker stand-ins.
pub(super) fn split_prefix(line: &str) -> (&str, &str) {
    let mut chars = line.char_indices().peekable();
    let mut end = 0;
    while let Some((at, c)) = chars.next() {
        if c == MARK {
            chars.next();
            end = chars.peek().map_or(line.len(), |&(at, _)| at);
        } else if c.is_whitespace() {
            end = at + c.len_utf8();
        } else {
            break;
        }
    }
    (&line[..end], &line[end..])
}

/// Columns of leading ASCII indentation (a tab counts 4); full-width spaces do not count.
pub(super) fn leading_columns(line: &str) -> usize {
    let mut n = 0;
    for c in line.chars() {
        match c {
            ' ' => n += 1,
            '\t' => n += 4 - n % 4,
            _ => break,
        }
    }
    n
}

/// A code fence: its character and how many.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Fence {
    ch: char,
    len: usize,
}

pub(super) fn open_fence(body: &str) -> Option<Fence> {
    let ch = body.chars().next().filter(|&c| c == '`' || c == '~')?;
    let len = body.chars().take_while(|&c| c == ch).count();
    if len < 3 || (ch == '`' && body[len..].contains('`')) {
        return None;
    }
    Some(Fence { ch, len })
}

pub(super) fn closes_fence(line: &str, fence: Fence) -> bool {
    if leading_columns(line) > 3 {
        return false;
    }
    let body = line.trim();
    let len = body.chars().take_while(|&c| c == fence.ch).count();
    len >= fence.len && body.chars().all(|c| c == fence.ch)
}

/// A GFM delimiter row: cells of `-` with optional `:`, at least one `|`.
pub(super) fn is_delimiter_row(line: &str) -> bool {
    let row = line.trim();
    if !row.contains('|') || !row.contains('-') || leading_columns(line) > 3 {
        return false;
    }
    let row = row.strip_prefix('|').unwrap_or(row);
    let row = row.strip_suffix('|').unwrap_or(row);
    row.split('|').all(|cell| {
        let cell = cell.trim();
        let inner = cell.strip_prefix(':').unwrap_or(cell);
        let inner = inner.strip_suffix(':').unwrap_or(inner);
        !inner.is_empty() && inner.chars().all(|c| c == '-')
    })
}

/// `---`, `***`, `___` (three or more, spaces allowed) or a setext `===` underline.
pub(super) fn is_rule(body: &str) -> bool {
    let body = body.trim_end();
    let Some(first) = body.chars().next().filter(|c| "-*_=".contains(*c)) else {
        return false;
    };
    let count = body.chars().filter(|&c| c == first).count();
    count >= 3 && body.chars().all(|c| c == first || (first != '=' && (c == ' ' || c == '\t')))
}

/// The `#`s and the white space after them, when `body` is an ATX heading.
pub(super) fn atx_prefix(body: &str) -> Option<&str> {
    let hashes = body.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &body[hashes..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    Some(&body[..hashes + spaces])
}

/// The text of a `-`, `*` or `+` list item, without a task box.
pub(super) fn bullet_item(body: &str) -> Option<&str> {
    let rest = body.strip_prefix(['-', '*', '+'])?;
    if !(rest.starts_with([' ', '\t'])) {
        return None;
    }
    let rest = rest.trim_start_matches([' ', '\t']);
    for bx in ["[ ] ", "[x] ", "[X] "] {
        if let Some(r) = rest.strip_prefix(bx) {
            return Some(r.trim_start());
        }
    }
    Some(rest)
}

pub(super) fn ordered_item(body: &str) -> bool {
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    (1..=9).contains(&digits) && body[digits..].starts_with(['.', ')']) && body[digits + 1..].starts_with([' ', '\t'])
}

pub(super) fn is_footnote_definition(body: &str) -> bool {
    body.strip_prefix("[^")
        .and_then(|r| r.find("]:").map(|at| &r[..at]))
        .is_some_and(|label| !label.is_empty() && !label.contains(char::is_whitespace) && !label.contains(['[', ']']))
}

/// Whether the document uses Markdown block syntax, for indented code.
pub(super) fn looks_like_markdown(lines: &[&str]) -> bool {
    lines.iter().enumerate().any(|(i, line)| {
        let mut store = Store::default();
        let protected = protect(line, &mut store);
        let body = split_prefix(&protected).1;
        let heading = atx_prefix(body).is_some_and(|h| body.len() > h.len());
        let link = body.find("](").is_some_and(|at| body[..at].contains('['));
        heading || open_fence(body).is_some() || link || (i > 0 && is_delimiter_row(line) && lines[i - 1].contains('|'))
    })
}

/// Whether at least half the non-blank lines are indented: an indentation style, not code.
pub(super) fn indents_paragraphs(lines: &[&str]) -> bool {
    let non_blank: Vec<_> = lines.iter().filter(|l| !l.trim().is_empty()).collect();
    let indented = non_blank.iter().filter(|l| l.starts_with(char::is_whitespace)).count();
    !non_blank.is_empty() && indented * 2 >= non_blank.len()
}
