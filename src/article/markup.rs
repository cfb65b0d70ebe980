//! Markdown and HTML markup → the text to read aloud, line for line.
//!
//! Runs before marker splitting and heading recognition ([`super::parse_with`]). The output has
//! exactly as many lines as the input, so line numbers stay right: a skipped line becomes
//! empty, and a replaced block (code, table, quote) says its placeholder on its first line and
//! leaves the rest empty.
//!
//! Rules and choices:
//! - **Paid markers** (`##paidbegin##`, `##paidend##`, any letter case) are kept verbatim and in
//!   place, even inside emphasis, links, comments, code blocks or tables: a dropped line or span
//!   keeps the markers it held. Markdown `#` headings keep their `#` prefix for the heading
//!   recognizer; only their text is cleaned.
//! - **Fenced code** (```` ``` ```` or `~~~`, any info string, indented at most 3 spaces) →
//!   `code_placeholder`. A fence that is never closed is not a code block: its line is dropped
//!   and the lines after it are read (silently losing the rest of an article is worse).
//! - **Indented code** (4 spaces or a tab) only when the document otherwise looks like Markdown
//!   (an ATX heading, a code fence, an inline link or a table), the block follows a blank line
//!   or a heading, is not the continuation of a list or footnote, contains no Han character, and
//!   the document does not indent most of its lines (an indentation style, as in Chinese
//!   plain text, is not code). Full-width spaces never make code.
//! - **Tables**: a row with `|`, then a delimiter row (`|---|:--:|`, with at least one `|`),
//!   then the following non-blank lines that contain `|` → `table_placeholder`.
//! - **Block quotes**: `> text` → `text` (nested `>` too); with `quote_placeholder`, a run of
//!   quote lines → the placeholder.
//! - **Lists**: `- x`, `* x`, `+ x` (and task boxes `[ ]`, `[x]`) → `x`; `1. x` stays (the
//!   number is read).
//! - **Emphasis** `*x*`, `**x**`, `_x_`, `__x__`, `~~x~~`, inline code `` `x` `` → `x`.
//!   Delimiters follow CommonMark's flanking rules, except that a `*` or `_` between two ASCII
//!   letters or digits is always literal (`snake_case`, `2*3*4`) while between Han characters
//!   it may be emphasis (Chinese has no spaces). Unmatched delimiters stay as written
//!   (`3 * 4`, `5*`). Stray backticks are dropped. Backslash escapes give the literal character.
//! - **Links** `[text](url)`, `[text][ref]`, `[text][]`, `[text]` (when `ref` is defined) →
//!   `text`; link text that is itself a URL, autolinks `<https://…>` and bare URLs
//!   (`http://`, `https://`, `ftp://`, `www.`) are dropped: a URL is never read. Email
//!   autolinks `<a@b.org>` → the address. Reference definitions `[ref]: url` → empty line (only
//!   when the destination is ASCII, so `[1]: 参考文献` in plain text stays).
//! - **Images** `![alt](src)`, `![alt][ref]` → `alt` (`image_alt`) or nothing.
//! - **Footnotes**: markers `[^1]` are dropped; definitions `[^1]: text` and the indented lines
//!   right after them → empty. Footnotes are asides, often sources and URLs; reading them where
//!   they are defined would interrupt the article.
//! - **HTML**: tags are removed (block tags such as `<p>`, `<br>`, `<li>`, `<td>` leave a space so
//!   words do not run together); comments and the content of `<script>`/`<style>` are dropped,
//!   across lines when closed later in the document (an unclosed one only loses its opening
//!   tag). Entities (`&amp; &lt; &gt; &quot; &#39; &apos; &nbsp;`, a few typographic names, and
//!   numeric `&#NN;`/`&#xHH;`) become characters; `&nbsp;` becomes a plain space. Code spans keep
//!   their text literally.
//! - **Horizontal rules** (`---`, `***`, `___`, spaced or not) and setext `===` underlines →
//!   empty.
//! - Where something was dropped, the spaces it leaves are tidied (no doubled spaces, no space
//!   before punctuation, no empty `()`). Lines without markup are returned unchanged, leading
//!   full-width spaces included.
//!
//! Not handled: constructs spanning lines (emphasis or link text broken over two lines, lazy
//! quote continuations), setext heading text (read as a paragraph), code fences inside quotes
//! or lists, HTML `<pre>` blocks (their text is read), link destinations spanning lines.
//! U+FDD0 (a Unicode noncharacter) is used internally and removed from the input.

use std::collections::{HashMap, HashSet};

use super::markers::{BEGIN, END};

/// What to do with markup that has no good spoken form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkupOptions {
    /// Images: read their alt text (true, default) or skip them.
    pub image_alt: bool,
    /// Said in place of a code block (empty: skip silently).
    pub code_placeholder: String,
    /// Said in place of a table (empty: skip silently).
    pub table_placeholder: String,
    /// `None` (default): read block quotes as text without the `>`; `Some(s)`: say `s` instead
    /// (empty: skip silently).
    pub quote_placeholder: Option<String>,
}

impl MarkupOptions {
    /// Defaults for a language: Chinese placeholders for `zh…`, `cmn…`, `yue…`, English ones
    /// otherwise.
    pub fn for_language(language: &str) -> MarkupOptions {
        let lang = language.trim().to_ascii_lowercase();
        let zh = ["zh", "cmn", "yue"].iter().any(|p| lang.starts_with(p));
        let (code, table) =
            if zh { ("（代码从略）", "（表格从略）") } else { ("(code omitted)", "(table omitted)") };
        MarkupOptions {
            image_alt: true,
            code_placeholder: code.to_string(),
            table_placeholder: table.to_string(),
            quote_placeholder: None,
        }
    }

    /// Defaults for the language the text is mostly written in: Chinese when it has Han
    /// characters at least a quarter as many as ASCII letters (a Han character carries about
    /// as much as an English word of several letters), English otherwise.
    pub fn for_text(text: &str) -> MarkupOptions {
        let han = text.chars().filter(|&c| is_han(c)).count();
        let letters = text.chars().filter(char::is_ascii_alphabetic).count();
        MarkupOptions::for_language(if han > 0 && han * 4 >= letters { "zh" } else { "en" })
    }
}

/// Returns the text with markup turned into speakable text; same number of lines as `text`.
pub fn to_speech(text: &str, options: &MarkupOptions) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let last_close = HTML_CLOSES.map(|close| lines.iter().rposition(|l| l.to_ascii_lowercase().contains(close)));
    let mut doc = Doc {
        options,
        last_close,
        fence_ends: HashMap::new(),
        refs: reference_labels(&lines),
        lines: &lines,
        markdown: looks_like_markdown(&lines),
        indents_paragraphs: indents_paragraphs(&lines),
        html: None,
    };
    doc.run().join("\n")
}

// ---------------------------------------------------------------------------------------------
// Protected spans: markers and literal text stand in the line as MARK + an index character, so
// no pass can change them; a pass that drops a span keeps the markers inside it.

const MARK: char = '\u{FDD0}';
const INDEX_BASE: u32 = 0xF0000;
const MAX_STORED: usize = 0xFFFD;

#[derive(Default)]
struct Store {
    items: Vec<(String, bool)>,
}

impl Store {
    /// A stand-in for `text`, or `text` itself when the line already holds too many.
    fn put(&mut self, text: String, marker: bool) -> String {
        if self.items.len() >= MAX_STORED {
            return text;
        }
        let index = char::from_u32(INDEX_BASE + self.items.len() as u32).expect("plane 15 is valid");
        self.items.push((text, marker));
        format!("{MARK}{index}")
    }

    fn restore(&self, s: &str) -> String {
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
    fn markers_in(&self, s: &str) -> String {
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
fn protect(line: &str, store: &mut Store) -> String {
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

// ---------------------------------------------------------------------------------------------
// Block level.

struct Doc<'a> {
    options: &'a MarkupOptions,
    lines: &'a [&'a str],
    refs: HashSet<String>,
    markdown: bool,
    indents_paragraphs: bool,
    /// Inside an HTML comment or a script/style element: what closes it.
    html: Option<&'static str>,
    /// The last line holding each of [`HTML_CLOSES`], found once: asking each line again made
    /// an article of many unclosed comments quadratic.
    last_close: [Option<usize>; 3],
    /// The closing line last found for a fence (`None`: none follows), reused while it still
    /// lies ahead, so many unclosed fences are not quadratic either.
    fence_ends: HashMap<Fence, Option<usize>>,
}

/// What ends an HTML comment, a script and a style element.
const HTML_CLOSES: [&str; 3] = ["-->", "</script>", "</style>"];

/// What the last non-blank line was, for indented code.
#[derive(PartialEq, Clone, Copy)]
enum Context {
    Start,
    Heading,
    Paragraph,
    /// A list item, a footnote definition, or a line continuing one: indented lines after it
    /// belong to it.
    Container,
}

impl Doc<'_> {
    fn run(&mut self) -> Vec<String> {
        let n = self.lines.len();
        let mut out: Vec<String> = Vec::with_capacity(n);
        let mut context = Context::Start;
        let mut blank_before = true;
        let mut in_footnote = false;
        let mut i = 0;
        while i < n {
            let mut store = Store::default();
            let line = protect(self.lines[i], &mut store);
            if self.html.is_some() {
                let text = self.inline(&line, &mut store, i);
                out.push(store.restore(&text));
                i += 1;
                continue;
            }
            let (prefix, body) = split_prefix(&line);
            if body.is_empty() {
                out.push(self.lines[i].to_string());
                blank_before = true;
                i += 1;
                continue;
            }
            let indent = leading_columns(self.lines[i]);
            let prefix_has_marker = prefix.contains(MARK);

            // Fenced code.
            if indent <= 3
                && let Some(fence) = open_fence(body)
            {
                match self.fence_end(i, fence) {
                    Some(end) => {
                        let placeholder = self.options.code_placeholder.clone();
                        self.block(&mut out, i, end + 1, &placeholder);
                        i = end + 1;
                    }
                    None => {
                        out.push(store.restore(&store.markers_in(&line)));
                        i += 1;
                    }
                }
                context = Context::Paragraph;
                blank_before = false;
                continue;
            }
            // Tables.
            if indent <= 3 && body.contains('|') && i + 1 < n && is_delimiter_row(self.lines[i + 1]) {
                let mut end = i + 2;
                while end < n && !self.lines[end].trim().is_empty() && self.lines[end].contains('|') {
                    end += 1;
                }
                let placeholder = self.options.table_placeholder.clone();
                self.block(&mut out, i, end, &placeholder);
                i = end;
                context = Context::Paragraph;
                blank_before = false;
                continue;
            }
            // Footnote definitions and their indented continuation lines.
            if in_footnote && !blank_before && indent >= 2 {
                out.push(store.restore(&store.markers_in(&line)));
                i += 1;
                continue;
            }
            in_footnote = false;
            // Indented code.
            if self.markdown
                && !self.indents_paragraphs
                && indent >= 4
                && !prefix_has_marker
                && (context == Context::Heading || (blank_before && context != Context::Container))
            {
                let mut end = i + 1;
                let mut last = i;
                while end < n {
                    let l = self.lines[end];
                    if l.trim().is_empty() {
                        end += 1;
                    } else if leading_columns(l) >= 4 {
                        last = end;
                        end += 1;
                    } else {
                        break;
                    }
                }
                let end = last + 1;
                if !self.lines[i..end].iter().any(|l| l.chars().any(is_han)) {
                    let placeholder = self.options.code_placeholder.clone();
                    self.block(&mut out, i, end, &placeholder);
                    i = end;
                    context = Context::Paragraph;
                    blank_before = false;
                    continue;
                }
            }
            // Block quotes replaced by a placeholder.
            if indent <= 3
                && let Some(placeholder) = &self.options.quote_placeholder
                && body.starts_with('>')
            {
                let placeholder = placeholder.clone();
                let mut end = i + 1;
                while end < n && split_prefix(self.lines[end]).1.starts_with('>') {
                    end += 1;
                }
                self.block(&mut out, i, end, &placeholder);
                i = end;
                context = Context::Paragraph;
                blank_before = false;
                continue;
            }
            if indent <= 3 && is_footnote_definition(body) {
                out.push(store.restore(&store.markers_in(&line)));
                in_footnote = true;
                context = Context::Container;
                blank_before = false;
                i += 1;
                continue;
            }
            if indent <= 3 && is_reference_definition(body) {
                out.push(store.restore(&store.markers_in(&line)));
                blank_before = false;
                i += 1;
                continue;
            }
            let (text, kind) = self.line(prefix, body, &mut store, i);
            context = match kind {
                LineKind::Heading => Context::Heading,
                LineKind::ListItem => Context::Container,
                LineKind::Other if context == Context::Container && indent >= 2 => Context::Container,
                LineKind::Other => Context::Paragraph,
            };
            out.push(store.restore(&text));
            blank_before = false;
            i += 1;
        }
        out
    }

    /// Lines `start..end` as one block: the placeholder on the first line, the rest empty;
    /// every marker stays on its line (those before the block's text ahead of the placeholder).
    fn block(&self, out: &mut Vec<String>, start: usize, end: usize, placeholder: &str) {
        for (j, line) in self.lines[start..end].iter().enumerate() {
            let mut store = Store::default();
            let protected = protect(line, &mut store);
            if j == 0 {
                let (prefix, body) = split_prefix(&protected);
                let parts = [store.markers_in(prefix), placeholder.to_string(), store.markers_in(body)];
                let joined: Vec<&str> = parts.iter().map(String::as_str).filter(|p| !p.is_empty()).collect();
                out.push(store.restore(&joined.join(" ")));
            } else {
                out.push(store.restore(&store.markers_in(&protected)));
            }
        }
    }

    /// One line of text: headings, rules, quotes, list items, then inline markup.
    fn line(&mut self, prefix: &str, body: &str, store: &mut Store, index: usize) -> (String, LineKind) {
        if is_rule(body) {
            return (store.markers_in(&format!("{prefix}{body}")), LineKind::Other);
        }
        if let Some(hashes) = atx_prefix(body) {
            let rest = self.inline(&body[hashes.len()..], store, index);
            return (format!("{prefix}{hashes}{rest}"), LineKind::Heading);
        }
        if let Some(rest) = body.strip_prefix('>') {
            let rest = rest.strip_prefix(' ').unwrap_or(rest);
            let (inner_prefix, inner) = split_prefix(rest);
            if inner.is_empty() {
                return (format!("{prefix}{inner_prefix}"), LineKind::Other);
            }
            let (text, kind) = self.line(inner_prefix, inner, store, index);
            return (format!("{prefix}{text}"), kind);
        }
        if let Some(item) = bullet_item(body) {
            let text = self.inline(item, store, index);
            return (format!("{prefix}{text}"), LineKind::ListItem);
        }
        let kind = if ordered_item(body) { LineKind::ListItem } else { LineKind::Other };
        (format!("{prefix}{}", self.inline(body, store, index)), kind)
    }

    /// Inline markup of one line's text.
    fn inline(&mut self, s: &str, store: &mut Store, index: usize) -> String {
        let indent = &s[..s.len() - s.trim_start().len()];
        let s = literals(s, store);
        let (s, dropped_html) = self.html(&s, store, index);
        let (s, dropped_links) = links(&s, &self.refs, self.options.image_alt, store);
        let (s, dropped_urls) = bare_urls(&s, store);
        let s = emphasis(&s);
        let s = entities(&s);
        if dropped_html || dropped_links || dropped_urls { tidy(&s, indent) } else { s }
    }

    /// HTML comments, elements, tags and autolinks. Returns the text and whether something
    /// was dropped.
    fn html(&mut self, s: &str, store: &Store, index: usize) -> (String, bool) {
        let mut out = String::with_capacity(s.len());
        let mut dropped = false;
        let lower = s.to_ascii_lowercase();
        let mut i = 0;
        if let Some(close) = self.html {
            dropped = true;
            match lower.find(close) {
                Some(at) => {
                    out.push_str(&store.markers_in(&s[..at]));
                    i = at + close.len();
                    self.html = None;
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
                        self.html = Some("-->");
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
                            self.html = Some(close);
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

    /// The line that closes `fence` opened on line `index`.
    fn fence_end(&mut self, index: usize, fence: Fence) -> Option<usize> {
        if let Some(&known) = self.fence_ends.get(&fence)
            && known.is_none_or(|end| end > index)
        {
            // The search that found `known` started before `index` and saw no closer until it.
            return known;
        }
        let end = (index + 1..self.lines.len()).find(|&j| closes_fence(self.lines[j], fence));
        self.fence_ends.insert(fence, end);
        end
    }
}

enum LineKind {
    Heading,
    ListItem,
    Other,
}

/// Splits off leading white space and marker stand-ins.
fn split_prefix(line: &str) -> (&str, &str) {
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
fn leading_columns(line: &str) -> usize {
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

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Fence {
    ch: char,
    len: usize,
}

fn open_fence(body: &str) -> Option<Fence> {
    let ch = body.chars().next().filter(|&c| c == '`' || c == '~')?;
    let len = body.chars().take_while(|&c| c == ch).count();
    if len < 3 || (ch == '`' && body[len..].contains('`')) {
        return None;
    }
    Some(Fence { ch, len })
}

fn closes_fence(line: &str, fence: Fence) -> bool {
    if leading_columns(line) > 3 {
        return false;
    }
    let body = line.trim();
    let len = body.chars().take_while(|&c| c == fence.ch).count();
    len >= fence.len && body.chars().all(|c| c == fence.ch)
}

/// A GFM delimiter row: cells of `-` with optional `:`, at least one `|`.
fn is_delimiter_row(line: &str) -> bool {
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
fn is_rule(body: &str) -> bool {
    let body = body.trim_end();
    let Some(first) = body.chars().next().filter(|c| "-*_=".contains(*c)) else {
        return false;
    };
    let count = body.chars().filter(|&c| c == first).count();
    count >= 3 && body.chars().all(|c| c == first || (first != '=' && (c == ' ' || c == '\t')))
}

/// The `#`s and the white space after them, when `body` is an ATX heading.
fn atx_prefix(body: &str) -> Option<&str> {
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
fn bullet_item(body: &str) -> Option<&str> {
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

fn ordered_item(body: &str) -> bool {
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    (1..=9).contains(&digits) && body[digits..].starts_with(['.', ')']) && body[digits + 1..].starts_with([' ', '\t'])
}

fn is_footnote_definition(body: &str) -> bool {
    body.strip_prefix("[^")
        .and_then(|r| r.find("]:").map(|at| &r[..at]))
        .is_some_and(|label| !label.is_empty() && !label.contains(char::is_whitespace) && !label.contains(['[', ']']))
}

/// `[label]: destination "title"` with an ASCII destination.
fn is_reference_definition(body: &str) -> bool {
    reference_label(body).is_some()
}

fn reference_label(body: &str) -> Option<String> {
    let rest = body.strip_prefix('[')?;
    if rest.starts_with('^') {
        return None;
    }
    let close = rest.find("]:")?;
    let label = &rest[..close];
    if label.trim().is_empty() || label.contains(['[', ']']) {
        return None;
    }
    let after = rest[close + 2..].trim_start();
    let dest_len = after.find(char::is_whitespace).unwrap_or(after.len());
    let (dest, title) = after.split_at(dest_len);
    let title = title.trim();
    let title_ok = title.is_empty()
        || (title.len() >= 2
            && [('"', '"'), ('\'', '\''), ('(', ')')].iter().any(|&(a, b)| title.starts_with(a) && title.ends_with(b)));
    (!dest.is_empty() && dest.is_ascii() && title_ok).then(|| normalize_label(label))
}

fn normalize_label(label: &str) -> String {
    label.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn reference_labels(lines: &[&str]) -> HashSet<String> {
    lines.iter().filter(|l| leading_columns(l) <= 3).filter_map(|l| reference_label(l.trim_start())).collect()
}

/// Whether the document uses Markdown block syntax, for indented code.
fn looks_like_markdown(lines: &[&str]) -> bool {
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
fn indents_paragraphs(lines: &[&str]) -> bool {
    let non_blank: Vec<_> = lines.iter().filter(|l| !l.trim().is_empty()).collect();
    let indented = non_blank.iter().filter(|l| l.starts_with(char::is_whitespace)).count();
    !non_blank.is_empty() && indented * 2 >= non_blank.len()
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

// ---------------------------------------------------------------------------------------------
// Inline passes.

/// Code spans and backslash escapes → stand-ins holding their literal text; stray backticks
/// dropped.
fn literals(s: &str, store: &mut Store) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == MARK {
            out.push(c);
            if let Some(&next) = chars.get(i + 1) {
                out.push(next);
            }
            i += 2;
        } else if c == '\\' && chars.get(i + 1).is_some_and(char::is_ascii_punctuation) {
            out.push_str(&store.put(chars[i + 1].to_string(), false));
            i += 2;
        } else if c == '`' {
            let run = chars[i..].iter().take_while(|&&c| c == '`').count();
            let mut j = i + run;
            let mut close = None;
            while j < chars.len() {
                if chars[j] == '`' {
                    let r = chars[j..].iter().take_while(|&&c| c == '`').count();
                    if r == run {
                        close = Some(j);
                        break;
                    }
                    j += r;
                } else {
                    j += 1;
                }
            }
            match close {
                Some(j) => {
                    let mut content: String = chars[i + run..j].iter().collect();
                    if content.len() >= 2
                        && content.starts_with(' ')
                        && content.ends_with(' ')
                        && !content.trim().is_empty()
                    {
                        content = content[1..content.len() - 1].to_string();
                    }
                    // Markers inside a code span stay markers.
                    for piece in split_keep_marks(&content) {
                        match piece {
                            Piece::Text(t) => out.push_str(&store.put(t.to_string(), false)),
                            Piece::Mark(m) => out.push_str(m),
                        }
                    }
                    i = j + run;
                }
                None => i += run,
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

enum Piece<'a> {
    Text(&'a str),
    Mark(&'a str),
}

fn split_keep_marks(s: &str) -> Vec<Piece<'_>> {
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

/// Images, links and footnote references. Returns the text and whether something was dropped.
fn links(s: &str, refs: &HashSet<String>, image_alt: bool, store: &Store) -> (String, bool) {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut dropped = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == MARK {
            out.push(c);
            if let Some(&next) = chars.get(i + 1) {
                out.push(next);
            }
            i += 2;
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
fn bare_urls(s: &str, store: &Store) -> (String, bool) {
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

struct Run {
    ch: char,
    start: usize,
    len: usize,
    remaining: usize,
    open: bool,
    close: bool,
}

/// `*`, `_` and `~~` emphasis → their text.
fn emphasis(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut runs: Vec<Run> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == MARK {
            i += 2;
            continue;
        }
        if !matches!(c, '*' | '_' | '~') {
            i += 1;
            continue;
        }
        let len = chars[i..].iter().take_while(|&&x| x == c).count();
        let prev = if i == 0 { ' ' } else { chars[i - 1] };
        let next = chars.get(i + len).copied().unwrap_or(' ');
        let ws = |c: char| c.is_whitespace();
        let punct = |c: char| !c.is_alphanumeric() && !c.is_whitespace();
        let left = !ws(next) && (!punct(next) || ws(prev) || punct(prev));
        let right = !ws(prev) && (!punct(prev) || ws(next) || punct(next));
        let intraword = prev.is_ascii_alphanumeric() && next.is_ascii_alphanumeric();
        let usable = !intraword && (c != '~' || len == 2);
        runs.push(Run { ch: c, start: i, len, remaining: len, open: usable && left, close: usable && right });
        i += len;
    }
    for c in 0..runs.len() {
        if !runs[c].close {
            continue;
        }
        while runs[c].remaining > 0 {
            let closer = &runs[c];
            let found = (0..c).rev().find(|&o| {
                let opener = &runs[o];
                opener.ch == closer.ch
                    && opener.open
                    && opener.remaining > 0
                    && !((opener.close || closer.open)
                        && (opener.len + closer.len).is_multiple_of(3)
                        && !(opener.len.is_multiple_of(3) && closer.len.is_multiple_of(3)))
            });
            let Some(o) = found else { break };
            let used = if runs[o].remaining >= 2 && runs[c].remaining >= 2 { 2 } else { 1 };
            runs[o].remaining -= used;
            runs[c].remaining -= used;
            for run in &mut runs[o + 1..c] {
                run.open = false;
                run.close = false;
            }
        }
    }
    let mut out = String::with_capacity(s.len());
    let mut next_run = runs.iter().peekable();
    let mut i = 0;
    while i < chars.len() {
        if let Some(run) = next_run.peek()
            && run.start == i
        {
            out.extend(std::iter::repeat_n(run.ch, run.remaining));
            i += run.len;
            next_run.next();
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// HTML character references → characters (unknown ones stay as written).
fn entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with('&')
            && let Some(semi) = rest.bytes().take(12).position(|b| b == b';')
            && let Some(c) = entity(&rest[1..semi])
        {
            out.push(c);
            i += semi + 1;
            continue;
        }
        let c = rest.chars().next().unwrap();
        out.push(c);
        i += c.len_utf8();
    }
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|&c| c != '\0' && c != MARK);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "middot" => '·',
        "times" => '×',
        "copy" => '©',
        "reg" => '®',
        "deg" => '°',
        _ => return None,
    })
}

/// Tidies the spaces a dropped span left: doubled spaces, spaces before punctuation, empty
/// brackets, leading and trailing spaces; `indent` (the line's own) is put back.
fn tidy(s: &str, indent: &str) -> String {
    let body = s.trim_start();
    let mut out = String::with_capacity(s.len());
    for c in body.chars() {
        let closing = matches!(
            c,
            '.' | ',' | ';' | ':' | '!' | '?' | ')' | '，' | '。' | '；' | '：' | '！' | '？' | '）' | '、'
        );
        if closing || c == ' ' {
            while out.ends_with(' ') {
                out.pop();
            }
        }
        if (c == ')' && out.ends_with('(')) || (c == '）' && out.ends_with('（')) {
            out.pop();
            while out.ends_with(' ') {
                out.pop();
            }
            continue;
        }
        out.push(c);
    }
    format!("{indent}{}", out.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en(text: &str) -> String {
        to_speech(text, &MarkupOptions::for_language("en"))
    }

    fn zh(text: &str) -> String {
        to_speech(text, &MarkupOptions::for_language("zh"))
    }

    #[track_caller]
    fn same_lines(input: &str, output: &str) {
        assert_eq!(input.split('\n').count(), output.split('\n').count(), "{output:?}");
    }

    #[test]
    fn cases() {
        let cases: &[(&str, &str)] = &[
            // Fenced code.
            ("a\n```rust\nlet x = 1;\n```\nb", "a\n(code omitted)\n\n\nb"),
            ("a\n~~~ python extra\nprint()\n~~~~\nb", "a\n(code omitted)\n\n\nb"),
            ("```\nnever closed\nstill read", "\nnever closed\nstill read"),
            // Tables.
            ("x\n| a | b |\n|---|:--:|\n| 1 | 2 |\n| 3 | 4 |\nafter", "x\n(table omitted)\n\n\n\nafter"),
            ("a | b\n--|--\n1 | 2", "(table omitted)\n\n"),
            // Block quotes.
            ("> quoted *text*", "quoted text"),
            ("> > nested\n>\n> - item", "nested\n\nitem"),
            // Lists.
            ("- one\n* two\n+ three", "one\ntwo\nthree"),
            ("  - nested [link](http://x.org)", "  nested link"),
            ("- [ ] todo\n- [x] done", "todo\ndone"),
            ("1. first\n2) second", "1. first\n2) second"),
            // Emphasis.
            ("**bold** and __strong__", "bold and strong"),
            ("*it* and _it_ and ***both***", "it and it and both"),
            ("~~gone~~ but 3~5 days", "gone but 3~5 days"),
            ("snake_case_name and __init__", "snake_case_name and init"),
            ("2*3*4 = 24 and 3 * 4 = 12", "2*3*4 = 24 and 3 * 4 = 12"),
            ("rated 5* here, * alone", "rated 5* here, * alone"),
            ("这是**重点**内容，_斜体_。", "这是重点内容，斜体。"),
            ("**注意**：别忘了", "注意：别忘了"),
            (r"\*not emphasis\* and a \[bracket\]", "*not emphasis* and a [bracket]"),
            // Inline code.
            ("run `cargo test` now", "run cargo test now"),
            ("``a ` b`` and `<b>&amp;`", "a ` b and <b>&amp;"),
            ("a stray ` tick", "a stray  tick"),
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
            // Footnotes.
            (
                "A claim.[^1] More.[^note]\n\n[^1]: Source, https://x.org\n    more of it\nNext",
                "A claim. More.\n\n\n\nNext",
            ),
            // HTML.
            ("<b>bold</b> and <span class=\"x\">span</span>", "bold and span"),
            ("line<br/>break and <p>para</p>", "line break and para"),
            ("a <!-- hidden --> b", "a b"),
            ("a <!-- hidden\nstill hidden\n--> b", "a\n\nb"),
            ("x <script type=\"t\">alert(1)</script> y <style>p{}</style> z", "x y z"),
            ("<script>\nvar a = 1;\n</script>\nafter", "\n\n\nafter"),
            ("3 < 4 and 5 > 2", "3 < 4 and 5 > 2"),
            (
                "&amp; &lt;tag&gt; &quot;q&quot; &#39;s&#39; a&nbsp;b &#x4E2D; &unknown;",
                "& <tag> \"q\" 's' a b 中 &unknown;",
            ),
            // Rules and setext underlines.
            ("a\n---\n***\n_ _ _\n===\nb", "a\n\n\n\n\nb"),
            // Headings keep their marks, text cleaned.
            ("# The **Title**\n## A [link](http://x.org) `here` ##", "# The Title\n## A link here ##"),
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
            // Plain text stays as it is.
            ("　　机关干部要这样做。\n    四个空格缩进的段落。", "　　机关干部要这样做。\n    四个空格缩进的段落。"),
            (
                "Price: 3*4 = 12; file_name_here; 100% sure; a_b * c_d",
                "Price: 3*4 = 12; file_name_here; 100% sure; a_b * c_d",
            ),
            ("中文标点：“引号”、（括号）、《书名》……！", "中文标点：“引号”、（括号）、《书名》……！"),
        ];
        let mut failed = Vec::new();
        for (input, expected) in cases {
            let got = en(input);
            if &got != expected {
                failed.push(format!("{input:?}\n  got      {got:?}\n  expected {expected:?}"));
            }
            same_lines(input, &got);
        }
        assert!(failed.is_empty(), "{} of {} cases failed:\n{}", failed.len(), cases.len(), failed.join("\n"));
    }

    #[test]
    fn chinese_placeholders_and_options() {
        assert_eq!(zh("```\nx\n```\n|a|b|\n|-|-|"), "（代码从略）\n\n\n（表格从略）\n");
        let mut options = MarkupOptions::for_language("en");
        options.image_alt = false;
        options.code_placeholder = String::new();
        options.quote_placeholder = Some("(quote)".into());
        assert_eq!(
            to_speech("![alt](a.png) text\n```\nx\n```\n> a\n> b\nafter", &options),
            "text\n\n\n\n(quote)\n\nafter"
        );
        assert_eq!(MarkupOptions::for_language("zh-CN").code_placeholder, "（代码从略）");
        assert_eq!(MarkupOptions::for_language("en-US").table_placeholder, "(table omitted)");
        assert_eq!(MarkupOptions::for_text("中文文章，有一点 English。").code_placeholder, "（代码从略）");
        assert_eq!(MarkupOptions::for_text("An English article with 一 word.").code_placeholder, "(code omitted)");
    }

    #[test]
    fn indented_code_only_in_markdown_documents() {
        let md = "# Title\n\nText:\n\n    let x = 1;\n    let y = 2;\n\nAfter.";
        assert_eq!(en(md), "# Title\n\nText:\n\n(code omitted)\n\n\nAfter.");
        // Plain text: indentation is just indentation.
        let plain = "Title\n\nText:\n\n    let x = 1;\n\nAfter.";
        assert_eq!(en(plain), plain);
        // Chinese paragraphs indented in a Markdown document are read.
        let zh_md = "# 标题\n\n    第一段用四个空格缩进。\n\n\t第二段用制表符。";
        assert_eq!(zh(zh_md), zh_md);
        // A document that indents most lines has an indentation style, not code.
        let styled = "# Title\n\n    First paragraph.\n\n    Second paragraph.";
        assert_eq!(en(styled), styled);
        // Continuation of a list item is not code.
        let list = "# T\n\n- item\n\n    more of the item\n\nend";
        assert_eq!(en(list), "# T\n\nitem\n\n    more of the item\n\nend");
    }

    #[test]
    fn markdown_article_loses_all_markup_and_keeps_its_lines() {
        let article = "\
# A **Guide** to [Markup](https://example.org)

Intro with *emphasis*, `code`, a footnote[^1] and a link to <https://example.org>.

## Lists

- First item with __strong__ text
* Second item with ~~strike~~
+ Third item, see [here][ref]
1. Numbered stays

![A diagram of the flow](img/flow.png)

```toml
key = \"value\"
```

| Name | Value |
|------|------:|
| a    | 1     |

> A quoted line with **bold**.

---

Visit https://example.org/docs for more.##paidbegin## Paid *part*.
##paidend##

[ref]: https://example.org/ref
[^1]: The footnote, https://example.org/source
";
        let out = en(article);
        same_lines(article, &out);
        for bad in ["http", "**", "`", "|", "[^", "<", "]("] {
            assert!(!out.contains(bad), "{bad:?} in:\n{out}");
        }
        let lines: Vec<&str> = out.split('\n').collect();
        assert_eq!(lines[0], "# A Guide to Markup");
        assert_eq!(lines[2], "Intro with emphasis, code, a footnote and a link to.");
        assert_eq!(
            &lines[6..10],
            ["First item with strong text", "Second item with strike", "Third item, see here", "1. Numbered stays"]
        );
        assert_eq!(lines[11], "A diagram of the flow");
        assert_eq!(lines[13], "(code omitted)");
        assert_eq!(lines[17], "(table omitted)");
        assert_eq!(lines[21], "A quoted line with bold.");
        assert_eq!(lines[23], "");
        assert_eq!(lines[25], "Visit for more.##paidbegin## Paid part.");
        assert_eq!(lines[26], "##paidend##");
        assert_eq!(lines[28..], ["", "", ""]);
    }

    #[test]
    fn parse_reads_the_cleaned_text_at_the_original_lines() {
        let a = super::super::parse("# Title\n\n```\ncode\n```\n\n## Part **one**\n\n- an *item*\n").unwrap();
        let blocks: Vec<_> = a.blocks.iter().map(|b| (b.line, b.text.as_str())).collect();
        assert_eq!(blocks, vec![(1, "Title"), (3, "(code omitted)"), (7, "Part one"), (9, "an item")]);
        let a = super::super::parse("标题\n```\n代码\n```\n正文").unwrap();
        assert_eq!(a.blocks[1].text, "（代码从略）");
    }
}
