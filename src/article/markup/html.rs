//! HTML in Markdown: tags removed, comments and `<script>`/`<style>` content dropped (also
//! across lines, when closed later in the document), autolinks `<https://…>` dropped and
//! `<a@b.org>` read. The one inline pass with state that carries from line to line, kept in
//! [`Html`] so the block loop only asks whether a comment or element is still open.

use super::protect::{MARK, Store};

/// What ends an HTML comment, a script and a style element.
const HTML_CLOSES: [&str; 3] = ["-->", "</script>", "</style>"];

/// The HTML state of a document as its lines are read.
pub(super) struct Html {
    /// Inside an HTML comment or a script/style element: what closes it.
    open: Option<&'static str>,
    /// The last line holding each of [`HTML_CLOSES`], found once: asking each line again made
    /// an article of many unclosed comments quadratic.
    last_close: [Option<usize>; 3],
}

impl Html {
    pub(super) fn new(lines: &[&str]) -> Html {
        let last_close = HTML_CLOSES.map(|close| lines.iter().rposition(|l| l.to_ascii_lowercase().contains(close)));
        Html { open: None, last_close }
    }

    /// Inside a comment or a script/style element that an earlier line opened.
    pub(super) fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// HTML comments, elements, tags and autolinks. Returns the text and whether something
    /// was dropped.
    pub(super) fn strip(&mut self, s: &str, store: &Store, index: usize) -> (String, bool) {
        let mut out = String::with_capacity(s.len());
        let mut dropped = false;
        let lower = s.to_ascii_lowercase();
        let mut i = 0;
        if let Some(close) = self.open {
            dropped = true;
            match lower.find(close) {
                Some(at) => {
                    out.push_str(&store.markers_in(&s[..at]));
                    i = at + close.len();
                    self.open = None;
                }
                None => return (store.markers_in(s), true),
            }
        }
        while i < s.len() {
            let rest = &s[i..];
            if !rest.starts_with('<') {
                let c = rest.chars().next().unwrap();
                out.push(c);
                i += c.len_utf8();
                continue;
            }
            let lower_rest = &lower[i..];
            if let Some(comment) = lower_rest.strip_prefix("<!--") {
                dropped = true;
                match comment.find("-->") {
                    Some(at) => {
                        out.push_str(&store.markers_in(&rest[..4 + at]));
                        i += 4 + at + 3;
                    }
                    None if self.closed_later(index, "-->") => {
                        out.push_str(&store.markers_in(rest));
                        self.open = Some("-->");
                        return (out, true);
                    }
                    None => i += 4,
                }
                continue;
            }
            if let Some(len) = autolink(rest) {
                dropped = true;
                let inner = &rest[1..len - 1];
                if !inner.contains(':') {
                    out.push_str(inner); // an email address
                }
                i += len;
                continue;
            }
            if let Some((len, name, closing)) = tag(rest) {
                dropped = true;
                let block_tags = ["br", "p", "div", "li", "td", "th", "tr", "hr", "h1", "h2", "h3", "h4", "h5", "h6"];
                if block_tags.contains(&name.as_str()) {
                    out.push(' ');
                }
                i += len;
                if !closing && (name == "script" || name == "style") {
                    let close: &'static str = if name == "script" { "</script>" } else { "</style>" };
                    match lower[i..].find(close) {
                        Some(at) => {
                            out.push_str(&store.markers_in(&s[i..i + at]));
                            i += at + close.len();
                        }
                        None if self.closed_later(index, close) => {
                            out.push_str(&store.markers_in(&s[i..]));
                            self.open = Some(close);
                            return (out, true);
                        }
                        None => {}
                    }
                }
                continue;
            }
            out.push('<');
            i += 1;
        }
        (out, dropped)
    }

    fn closed_later(&self, index: usize, close: &str) -> bool {
        let at = HTML_CLOSES.iter().position(|c| *c == close).expect("closes are from HTML_CLOSES");
        self.last_close[at].is_some_and(|last| last > index)
    }
}

/// `<scheme:…>` or `<a@b.c>`: its length.
fn autolink(s: &str) -> Option<usize> {
    let end = s.find('>')?;
    let inner = &s[1..end];
    if inner.is_empty() || inner.contains(|c: char| c.is_whitespace() || c == '<' || c == MARK) {
        return None;
    }
    let scheme_ok = inner.find(':').is_some_and(|colon| {
        let scheme = &inner[..colon];
        (2..=32).contains(&scheme.len())
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    });
    let email = inner
        .split_once('@')
        .is_some_and(|(user, host)| !user.is_empty() && host.contains('.') && inner.is_ascii() && !host.contains('@'));
    (scheme_ok || email).then_some(end + 1)
}

/// An HTML tag, `<!…>` declaration or `<?…?>` instruction at the start of `s`: its length,
/// lowercase name and whether it is a closing tag.
fn tag(s: &str) -> Option<(usize, String, bool)> {
    let rest = &s[1..];
    if rest.starts_with('!') || rest.starts_with('?') {
        return Some((s.find('>')? + 1, String::new(), false));
    }
    let (closing, rest) = match rest.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name_len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(rest.len());
    let name = rest[..name_len].to_ascii_lowercase();
    let after = &rest[name_len..];
    if !after.starts_with(|c: char| c.is_whitespace() || c == '/' || c == '>') {
        return None;
    }
    let mut quote = None;
    for (at, c) in after.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '<') => return None,
            (None, '>') => {
                let len = 1 + usize::from(closing) + name_len + at + 1;
                return Some((len, name, closing));
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::tests::check;

    #[test]
    fn html_tags_comments_and_elements() {
        check(&[
            // HTML.
            ("<b>bold</b> and <span class=\"x\">span</span>", "bold and span"),
            ("line<br/>break and <p>para</p>", "line break and para"),
            ("a <!-- hidden --> b", "a b"),
            ("a <!-- hidden\nstill hidden\n--> b", "a\n\nb"),
            ("x <script type=\"t\">alert(1)</script> y <style>p{}</style> z", "x y z"),
            ("<script>\nvar a = 1;\n</script>\nafter", "\n\n\nafter"),
            ("3 < 4 and 5 > 2", "3 < 4 and 5 > 2"),
        ]);
    }
}
