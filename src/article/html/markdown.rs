//! The body of a page written as the Markdown that [`crate::article::markup`] reads: one line
//! per paragraph, `#` headings (the title `#`, `<h1>` in the body and `<h2>` `##`, deeper
//! levels as many `#`), `-` and `1.` list items, `>` quotes, `![alt](image)` images, fenced
//! code for `<pre>` and pipe tables for data tables (layout tables, whose cells hold
//! paragraphs or blocks, are read as their content). Link text is kept, its address dropped.
//! Text is escaped so that nothing in it is read as markup, except paid markers.

use scraper::{ElementRef, Node};

use super::body::{Found, has_blocks, is_skipped, is_skipped_in_book, text_of};

/// The deepest element read with its markup (a browser stops nesting at 512).
const MAX_DEPTH: usize = 256;

/// The Markdown level of a heading (2 starts a chapter), from the element and its HTML level
/// (1 for `<h1>`); a book's documents decide it by their place in the book.
pub(crate) type Levels<'l> = &'l dyn Fn(ElementRef<'_>, usize) -> usize;

pub(super) fn write(found: &Found<'_>) -> String {
    write_with(found, None)
}

/// [`write`] for a document of a book (`levels` given): its headings at the levels given,
/// and only what a book hides (hidden elements, scripts, navigation) left out, not what a
/// web page's boilerplate looks like (a book's `<header>` or a class named `sidebar` is read).
pub(super) fn write_with(found: &Found<'_>, levels: Option<Levels<'_>>) -> String {
    let mut w = Writer {
        lines: Vec::new(),
        line: String::new(),
        prefix: None,
        quote: 0,
        depth: 0,
        title: found.title_node,
        levels,
    };
    if let Some(title) = &found.title {
        w.lines.push(format!("# {}", escape(title)));
        w.lines.push(String::new());
    }
    w.children(found.root);
    w.flush();
    w.lines.join("\n")
}

struct Writer<'a> {
    lines: Vec<String>,
    /// The paragraph being gathered, escaped, white space collapsed.
    line: String,
    /// Put before the next line written: a list item's `- ` or `1. `.
    prefix: Option<String>,
    /// How deep in block quotes.
    quote: usize,
    /// How deep in elements: past [`MAX_DEPTH`] the rest is read as plain text, so a page of
    /// thousands of nested elements cannot overflow the stack.
    depth: usize,
    title: Option<ElementRef<'a>>,
    levels: Option<Levels<'a>>,
}

impl<'a> Writer<'a> {
    fn skipped(&self, el: ElementRef<'_>) -> bool {
        if self.levels.is_some() { is_skipped_in_book(el) } else { is_skipped(el) }
    }

    fn children(&mut self, el: ElementRef<'a>) {
        if self.depth > MAX_DEPTH {
            self.text(&text_of(el));
            return;
        }
        self.depth += 1;
        for child in el.children() {
            match child.value() {
                Node::Text(text) => self.text(text),
                Node::Element(_) => {
                    let child = ElementRef::wrap(child).expect("an element");
                    if !self.skipped(child) {
                        self.element(child);
                    }
                }
                _ => {}
            }
        }
        self.depth -= 1;
    }

    fn element(&mut self, el: ElementRef<'a>) {
        let name = el.value().name();
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                if self.title.is_some_and(|t| t.id() == el.id()) {
                    return;
                }
                let level = name[1..].parse::<usize>().unwrap_or(2);
                let level = match self.levels {
                    Some(levels) => levels(el, level).clamp(2, 6),
                    None => level.max(2),
                };
                self.flush();
                self.line = format!("{} {}", "#".repeat(level), escape(&text_of(el)));
                self.flush();
            }
            "br" | "hr" => self.flush(),
            "ul" | "ol" => self.list(el, name == "ol"),
            "table" if !has_blocks(el) => self.table(el),
            "pre" => self.code(el),
            "blockquote" => {
                self.flush();
                self.quote += 1;
                self.children(el);
                self.flush();
                self.quote -= 1;
            }
            "img" => {
                let alt = el.value().attr("alt").unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ");
                if !alt.is_empty() {
                    self.space();
                    self.line.push_str(&format!("![{}](image)", escape(&alt)));
                    self.space();
                }
            }
            "rt" | "rp" => {}
            _ if is_block(name) => {
                self.flush();
                self.children(el);
                self.flush();
            }
            _ => self.children(el),
        }
    }

    fn list(&mut self, el: ElementRef<'a>, numbered: bool) {
        self.flush();
        let start = el.value().attr("start").and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or(1);
        let items: Vec<_> = el.children().filter_map(ElementRef::wrap).filter(|c| !self.skipped(*c)).collect();
        for (n, item) in items.into_iter().enumerate() {
            self.prefix = Some(if numbered { format!("{}. ", start + n as i64) } else { "- ".into() });
            if item.value().name() == "li" {
                self.children(item)
            } else {
                self.element(item)
            }
            self.flush();
            self.prefix = None;
        }
    }

    fn table(&mut self, el: ElementRef<'a>) {
        self.flush();
        let rows: Vec<Vec<String>> = el
            .descendants()
            .filter_map(ElementRef::wrap)
            .filter(|r| r.value().name() == "tr")
            .map(|r| {
                let cells =
                    r.children().filter_map(ElementRef::wrap).filter(|c| matches!(c.value().name(), "td" | "th"));
                cells.map(|c| escape(&text_of(c))).collect()
            })
            .filter(|cells: &Vec<String>| cells.iter().any(|c| !c.is_empty()))
            .collect();
        let Some(width) = rows.iter().map(Vec::len).max() else { return };
        for (i, row) in rows.iter().enumerate() {
            self.push(format!("| {} |", row.join(" | ")));
            if i == 0 {
                self.push(format!("|{}", "---|".repeat(width)));
            }
        }
        self.lines.push(String::new());
    }

    fn code(&mut self, el: ElementRef<'a>) {
        self.flush();
        let text: String = el.text().collect();
        self.push("```".into());
        for line in text.trim_matches('\n').lines() {
            self.push(line.replace("```", "'''"));
        }
        self.push("```".into());
        self.lines.push(String::new());
    }

    fn text(&mut self, text: &str) {
        if text.starts_with(char::is_whitespace) {
            self.space();
        }
        let words: Vec<_> = text.split_whitespace().collect();
        self.line.push_str(&escape(&words.join(" ")));
        if text.ends_with(char::is_whitespace) && !words.is_empty() {
            self.space();
        }
    }

    fn space(&mut self) {
        if !self.line.is_empty() && !self.line.ends_with(' ') {
            self.line.push(' ');
        }
    }

    /// Ends the paragraph being gathered: one line and a blank line after it.
    fn flush(&mut self) {
        let line = join_cjk(self.line.trim());
        self.line.clear();
        if line.is_empty() {
            return;
        }
        let prefix = self.prefix.take().unwrap_or_default();
        self.push(format!("{prefix}{line}"));
        if self.quote == 0 {
            self.lines.push(String::new());
        }
    }

    fn push(&mut self, line: String) {
        self.lines.push(format!("{}{line}", "> ".repeat(self.quote)));
    }
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "figure"
            | "figcaption"
            | "dl"
            | "dt"
            | "dd"
            | "address"
            | "details"
            | "summary"
            | "center"
            | "li"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "tbody"
            | "thead"
            | "tfoot"
            | "caption"
            | "body"
            | "html"
    )
}

/// Markdown's special characters escaped with a backslash so they are read as written; a
/// leading `#` too (not read as a heading), except in a paid marker.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '|' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    if out.starts_with('#') && !out.to_ascii_lowercase().starts_with("##paid") {
        out.insert(0, '\\');
    }
    out
}

/// A space between two CJK characters is a line break in the page's source, not a space in
/// the text: dropped, as browsers show Chinese.
fn join_cjk(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    for (i, &c) in chars.iter().enumerate() {
        let between = c == ' ' && i > 0 && i + 1 < chars.len() && is_cjk(chars[i - 1]) && is_cjk(chars[i + 1]);
        if !between {
            out.push(c);
        }
    }
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}')
}

#[cfg(test)]
mod tests {
    use super::super::to_markdown;

    #[test]
    fn a_page_becomes_markdown() {
        let page = "<!DOCTYPE html><html><head><title>Site</title><script>var x = 1;</script></head><body>\
            <nav><a href=/>Home</a><a href=/b>Blog</a></nav>\
            <article><h1>The <em>Title</em></h1><p>Intro &amp; more, 3*4, <a href='https://x.org'>a link</a>.</p>\
            <h2>Part</h2><ul><li>one</li><li>two</li></ul><ol start=3><li>three</li></ol>\
            <p><img src=a.png alt='A diagram'></p><pre><code>let x = 1;\nlet y = 2;</code></pre>\
            <table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>\
            <p>中文\n段落。</p><p>##paidbegin##</p><p>Paid.</p><p>##paidend##</p>\
            <div class='share-buttons'><a>Share</a></div></article>\
            <footer>Copyright</footer></body></html>";
        let md = to_markdown(page);
        let lines: Vec<&str> = md.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            lines,
            [
                "# The Title",
                "Intro & more, 3\\*4, a link.",
                "## Part",
                "- one",
                "- two",
                "3. three",
                "![A diagram](image)",
                "```",
                "let x = 1;",
                "let y = 2;",
                "```",
                "| a | b |",
                "|---|---|",
                "| 1 | 2 |",
                "中文段落。",
                "##paidbegin##",
                "Paid.",
                "##paidend##",
            ]
        );
    }

    #[test]
    fn thousands_of_nested_elements_are_read_without_overflowing() {
        let page = format!(
            "<html><body>{}<p>deep <b>text</b></p>{}</body></html>",
            "<div>".repeat(5000),
            "</div>".repeat(5000)
        );
        assert_eq!(to_markdown(&page), "deep text\n");
    }

    #[test]
    fn boilerplate_names_give_way_to_content_and_page_containers() {
        let page = "<html><body><div class='container has-sidebar'><h1>T</h1>\
            <div class='entry-content has-tags'><p>Kept.</p></div>\
            <div class='cookie-consent-content'><p>Cookies?</p></div>\
            <div class='post-share'><p>Share this.</p></div></div>\
            <section id='comments'><article><p>A comment, as an article.</p></article></section></body></html>";
        assert_eq!(to_markdown(page), "# T\n\nKept.\n");
    }
}
