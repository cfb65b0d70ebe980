//! HTML in: a saved web page or a CMS export → the Markdown that [`super::markup`] reads.
//!
//! Parsed with `scraper` (html5ever, the WHATWG HTML5 parsing algorithm, so broken pages
//! parse as a browser would); the article body is found by rules of our own ([`body`]) and
//! written out as Markdown ([`markdown`]) so lists, tables, code, images, links and paid
//! markers follow exactly the Markdown reading rules. The encoding comes from the BOM, else
//! from `<meta charset>` ([`charset`]), else from the usual detection.
//!
//! Line numbers in messages are those of the Markdown made from the page, not of the page.

mod body;
pub mod charset;
mod markdown;

use std::path::Path;

/// Whether an article is HTML: named `.html`/`.htm`/`.xhtml`, or starting (after a BOM and
/// white space) with `<!DOCTYPE html`, `<html` or an HTML comment followed by one of them.
pub fn is_html(path: Option<&Path>, bytes: &[u8]) -> bool {
    let by_name = path
        .and_then(|p| p.extension())
        .is_some_and(|e| ["html", "htm", "xhtml"].iter().any(|x| e.eq_ignore_ascii_case(x)));
    by_name || looks_like_html(bytes)
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head: Vec<u8> = start.iter().take(512).map(u8::to_ascii_lowercase).collect();
    let mut rest = head.trim_ascii_start();
    // A leading comment (`<!-- saved from url=… -->`, as browsers write) or XML declaration.
    while rest.starts_with(b"<!--") || rest.starts_with(b"<?xml") {
        let close: &[u8] = if rest.starts_with(b"<!--") { b"-->" } else { b"?>" };
        match rest.windows(close.len()).position(|w| w == close) {
            Some(at) => rest = rest[at + close.len()..].trim_ascii_start(),
            None => return false,
        }
    }
    rest.starts_with(b"<!doctype html") || rest.starts_with(b"<html")
}

pub(crate) use markdown::{Levels, escape};

/// One document of a book as Markdown: everything under `root` but the heading `skip` (the
/// chapter's title, said once by the book), headings at the levels `levels` gives.
pub(crate) fn book_part(
    root: scraper::ElementRef<'_>,
    skip: Option<scraper::ElementRef<'_>>,
    levels: Levels<'_>,
) -> String {
    let found = body::Found { title: None, title_node: skip, root };
    markdown::write_with(&found, Some(levels))
}

/// A page read: its article as Markdown and what the page says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub markdown: String,
    /// `<meta name="author" content="…">`.
    pub author: Option<String>,
    /// `<html lang="…">` (or `xml:lang`).
    pub language: Option<String>,
}

/// The page's article as Markdown: `# title`, then its body.
pub fn to_markdown(html: &str) -> String {
    read(html).markdown
}

/// The page's article as Markdown, with its author and language when the page names them.
pub fn read(html: &str) -> Page {
    let document = scraper::Html::parse_document(html);
    let found = body::find(&document);
    let markdown = markdown::write(&found);
    let root = document.root_element();
    let clean = |s: &str| Some(s.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|s| !s.is_empty());
    let language = root.value().attr("lang").or_else(|| root.value().attr("xml:lang")).and_then(clean);
    let author = root
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
        .filter(|e| e.value().name() == "meta")
        .find(|e| e.value().attr("name").is_some_and(|n| n.trim().eq_ignore_ascii_case("author")))
        .and_then(|e| e.value().attr("content"))
        .and_then(clean);
    Page { markdown, author, language }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_and_language_from_the_head() {
        let page = read(
            "<html lang='zh-CN'><head><meta name=Author content=' 某某 '></head><body><p>正文。</p></body></html>",
        );
        assert_eq!((page.author.as_deref(), page.language.as_deref()), (Some("某某"), Some("zh-CN")));
        assert_eq!(read("<p>x</p>").author, None);
    }

    #[test]
    fn html_is_told_by_name_or_content() {
        assert!(is_html(Some(Path::new("a/page.HTM")), b"hello"));
        assert!(is_html(None, b"\xEF\xBB\xBF  <!DOCTYPE html><p>x"));
        assert!(is_html(None, b"<!-- saved from url=(0014)about:internet -->\n<HTML><body>"));
        assert!(!is_html(Some(Path::new("a.md")), b"# Title\n<p>inline html</p>"));
        assert!(!is_html(None, b"<!-- a comment that never ends"));
    }
}
