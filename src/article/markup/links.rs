//! Links, images, footnote references and bare URLs: the text of a link is read, its
//! destination never is. Together because they share the rule "a URL is never read".

use std::collections::HashSet;

use super::protect::{MARK, Store, copy_mark};
use super::refs::normalize_label;

/// Images, links and footnote references. Returns the text and whether something was dropped.
pub(super) fn links(s: &str, refs: &HashSet<String>, image_alt: bool, store: &Store) -> (String, bool) {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut dropped = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == MARK {
            i = copy_mark(&chars, i, &mut out);
            continue;
        }
        let image = c == '!' && chars.get(i + 1) == Some(&'[');
        let open = if image { i + 1 } else { i };
        if chars[open] != '[' {
            out.push(c);
            i += 1;
            continue;
        }
        let Some(close) = matching_bracket(&chars, open) else {
            out.push(c);
            i += 1;
            continue;
        };
        let label: String = chars[open + 1..close].iter().collect();
        if !image && label.starts_with('^') && !label.contains(char::is_whitespace) && label.len() > 1 {
            dropped = true;
            out.push_str(&store.markers_in(&label));
            i = close + 1;
            continue;
        }
        let (end, destination) = match link_tail(&chars, close + 1) {
            Some((end, dest)) => (end, Some(dest)),
            None => {
                // [text][ref], [text][], or [text] when ref is defined.
                if chars.get(close + 1) == Some(&'[') {
                    match matching_bracket(&chars, close + 1) {
                        Some(end) => (end + 1, None),
                        None => (0, None),
                    }
                } else if refs.contains(&normalize_label(&label)) {
                    (close + 1, None)
                } else {
                    (0, None)
                }
            }
        };
        if end == 0 {
            out.push(c);
            i += 1;
            continue;
        }
        if let Some(dest) = destination {
            out.push_str(&store.markers_in(&dest));
            dropped = true;
        }
        let (text, inner_dropped) = links(&label, refs, image_alt, store);
        if (image && !image_alt) || is_url(text.trim()) {
            out.push_str(&store.markers_in(&text));
            dropped = true;
        } else {
            dropped |= inner_dropped || text.trim().is_empty();
            out.push_str(&text);
        }
        i = end;
    }
    (out, dropped)
}

fn matching_bracket(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0;
    let mut i = open;
    while i < chars.len() {
        match chars[i] {
            MARK => i += 1,
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// `(destination "title")` at `at`: the index after it and the text inside.
fn link_tail(chars: &[char], at: usize) -> Option<(usize, String)> {
    if chars.get(at) != Some(&'(') {
        return None;
    }
    let mut i = at + 1;
    let mut depth = 0;
    let mut quote: Option<char> = None;
    while i < chars.len() {
        let c = chars[i];
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if i > at + 1 && chars[i - 1].is_whitespace() => quote = Some(c),
            (None, '<') if i == at + 1 => {
                let close = chars[i..].iter().position(|&c| c == '>')?;
                i += close;
            }
            (None, '(') => depth += 1,
            (None, ')') if depth == 0 => return Some((i + 1, chars[at + 1..i].iter().collect())),
            (None, ')') => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

fn url_start(s: &str) -> bool {
    // Only the first 8 bytes matter; lower-casing the whole rest of the line here made long
    // lines quadratic (this runs at every position of a line).
    let lower = s.as_bytes()[..s.len().min(8)].to_ascii_lowercase();
    [&b"http://"[..], b"https://", b"ftp://"].iter().any(|p| lower.starts_with(p))
        || (lower.starts_with(b"www.") && s[4..].starts_with(|c: char| c.is_ascii_alphanumeric()))
}

fn is_url(s: &str) -> bool {
    url_start(s) && !s.contains(char::is_whitespace)
}

/// Drops bare URLs (trailing punctuation stays). Returns the text and whether one was dropped.
pub(super) fn bare_urls(s: &str, store: &Store) -> (String, bool) {
    let mut out = String::with_capacity(s.len());
    let mut dropped = false;
    let mut i = 0;
    let mut prev: Option<char> = None;
    while i < s.len() {
        let rest = &s[i..];
        if !prev.is_some_and(|p| p.is_ascii_alphanumeric()) && url_start(rest) {
            let mut len = rest.find(|c: char| !c.is_ascii_graphic() || "<>\"`".contains(c)).unwrap_or(rest.len());
            loop {
                let url = &rest[..len];
                let Some(last) = url.chars().last() else { break };
                let unbalanced = last == ')' && url.matches('(').count() < url.matches(')').count();
                if ".,:;!?'\"*_~".contains(last) || unbalanced {
                    len -= 1;
                } else {
                    break;
                }
            }
            out.push_str(&store.markers_in(&rest[..len]));
            dropped = true;
            i += len;
            prev = Some('/');
            continue;
        }
        let c = rest.chars().next().unwrap();
        out.push(c);
        prev = Some(c);
        i += c.len_utf8();
    }
    (out, dropped)
}

#[cfg(test)]
mod tests {
    use super::super::tests::check;

    #[test]
    fn links_images_and_urls() {
        check(&[
            // Links.
            ("see [the docs](https://example.org/a_(b) \"Title\") now", "see the docs now"),
            ("a [ref link][r] and [collapsed][] and [r]\n[r]: https://example.org", "a ref link and collapsed and r\n"),
            ("[https://example.org](https://example.org)", ""),
            ("visit <https://example.org/x>, or mail <me@example.org>", "visit, or mail me@example.org"),
            ("read https://example.org/page?q=1. Then www.example.com too", "read. Then too"),
            ("text (https://example.org) more", "text more"),
            ("访问https://example.org了解更多。", "访问了解更多。"),
            ("[1]: 参考文献第一条\n[注] 不是链接", "[1]: 参考文献第一条\n[注] 不是链接"),
            // Images.
            ("![A cat on a mat](cat.png) sits", "A cat on a mat sits"),
            ("![alt][img]\n[img]: /i.png \"t\"", "alt\n"),
        ]);
    }
}
