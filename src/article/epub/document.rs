//! One XHTML document of the spine: checked as XML, parsed by the HTML5 parser, its notes
//! taken out ([`super::notes`]) and written as the Markdown [`crate::article::markup`] reads,
//! through the HTML reader's writer ([`crate::article::html`]).
//!
//! **Chapter titles.** A document the table of contents names starts a chapter (`## `) with
//! the title the contents give it. The document's own leading headings (those before any
//! text) that say the same are not read again: a heading whose words are within the title
//! (`Chapter 1` under `Chapter 1: Loomings`) is dropped; one that holds the title and more
//! (`Chapter 1: Loomings` under `Chapter 1`) becomes the title. Its other headings are
//! sections (`###` and below, from its shallowest heading down), except those the contents
//! point to as chapters of their own (`book.xhtml#ch2`), which start chapters. In a book
//! without a table of contents, each document's shallowest headings start chapters.

use scraper::{ElementRef, Html, Node};

use super::error::EpubError;
use super::{notes, xml};
use crate::article::html;

pub struct Document {
    html: Html,
}

/// Where a document stands in the book's table of contents.
pub struct Placement<'a> {
    /// The title the contents give the document (a chapter starts there).
    pub title: Option<&'a str>,
    /// Fragments in the document the contents name as chapters of their own.
    pub chapters: &'a [String],
    /// The book has a table of contents (so an untitled document continues a chapter).
    pub book_has_toc: bool,
}

impl Document {
    pub fn parse(entry: &str, xhtml: &str) -> Result<Document, EpubError> {
        let html = xml::xhtml_for_html5(entry, xhtml)?;
        Ok(Document { html: Html::parse_document(&html) })
    }

    fn body(&self) -> ElementRef<'_> {
        let root = self.html.root_element();
        root.descendants().filter_map(ElementRef::wrap).find(|e| e.value().name() == "body").unwrap_or(root)
    }

    /// `epub:type` and `role` of the `<body>` and of the sections that hold all of it.
    pub fn types(&self) -> Vec<String> {
        let mut types = Vec::new();
        let mut el = Some(self.body());
        while let Some(e) = el {
            types.extend(e.value().attr("epub:type").map(str::to_string));
            types.extend(e.value().attr("role").map(str::to_string));
            let mut children = e.children().filter_map(ElementRef::wrap);
            el = match (children.next(), children.next()) {
                (Some(only), None) if matches!(only.value().name(), "section" | "div" | "article") => Some(only),
                _ => None,
            };
        }
        types
    }

    /// Characters of text (not white space).
    pub fn chars(&self) -> usize {
        self.body().text().map(|t| t.chars().filter(|c| !c.is_whitespace()).count()).sum()
    }

    /// The images it shows (`src` of `<img>`, `href` of SVG `<image>`), as written.
    pub fn images(&self) -> Vec<String> {
        let refs = self.body().descendants().filter_map(ElementRef::wrap).filter_map(|e| {
            let e = e.value();
            match e.name() {
                "img" => e.attr("src"),
                "image" => e.attr("xlink:href").or_else(|| e.attr("href")),
                _ => None,
            }
        });
        refs.map(str::to_string).collect()
    }

    pub fn strip_notes(&mut self) {
        notes::strip(&mut self.html);
    }

    /// The document as Markdown, placed in the book as `placement` says.
    pub fn markdown(mut self, placement: &Placement<'_>) -> String {
        let mut title = placement.title.map(str::to_string);
        if let Some(t) = &mut title {
            for (id, text) in self.leading_headings() {
                if words(&text).is_empty() || within(&text, t) {
                    self.detach(id);
                } else if within(t, &text) {
                    *t = text;
                    self.detach(id);
                }
            }
        }
        let body = self.body();
        let headings = body.descendants().filter_map(ElementRef::wrap).filter_map(|e| heading_level(e.value().name()));
        let shallowest = headings.min().unwrap_or(1);
        let base = if placement.title.is_some() || placement.book_has_toc { 3 } else { 2 };
        let levels = |el: ElementRef<'_>, level: usize| {
            let own = el.value().attr("id");
            let holder = el.parent().and_then(ElementRef::wrap).filter(|p| {
                p.children().filter_map(ElementRef::wrap).next().is_some_and(|first| first.id() == el.id())
            });
            let named = own.into_iter().chain(holder.and_then(|h| h.value().attr("id")));
            if named.into_iter().any(|id| placement.chapters.iter().any(|c| c == id)) {
                2
            } else {
                level + base - shallowest
            }
        };
        let mut out = String::new();
        if let Some(title) = &title {
            out.push_str(&format!("## {}\n\n", html::escape(title)));
        }
        out.push_str(&html::book_part(body, None, &levels));
        out
    }

    /// The headings before the first text that is not in a heading, with their text.
    fn leading_headings(&self) -> Vec<(ego_tree::NodeId, String)> {
        let mut found = Vec::new();
        for node in self.body().descendants() {
            match node.value() {
                Node::Element(e) if heading_level(e.name()).is_some() => {
                    let el = ElementRef::wrap(node).expect("an element");
                    found.push((
                        node.id(),
                        el.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" "),
                    ));
                }
                Node::Text(t) if !t.trim().is_empty() => {
                    let in_heading = node
                        .ancestors()
                        .any(|a| a.value().as_element().is_some_and(|e| heading_level(e.name()).is_some()));
                    if !in_heading {
                        break;
                    }
                }
                _ => {}
            }
        }
        found
    }

    fn detach(&mut self, id: ego_tree::NodeId) {
        if let Some(mut node) = self.html.tree.get_mut(id) {
            node.detach();
        }
    }
}

fn heading_level(name: &str) -> Option<usize> {
    match name.as_bytes() {
        [b'h', d @ b'1'..=b'6'] => Some((d - b'0') as usize),
        _ => None,
    }
}

/// The letters and digits of a title, lower case: what two titles are compared by.
fn words(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Whether the words of `part` are within those of `whole`, numbers written either way:
/// `第1章` is within `第一章：起点`, `Chapter 2` within `Chapter Two`.
fn within(part: &str, whole: &str) -> bool {
    let part = words(part);
    let whole = words(whole);
    if whole.contains(&part) {
        return true;
    }
    let folds: [fn(&str) -> String; 2] = [crate::normalize::zh::int_words, crate::normalize::en::int_words];
    folds.iter().any(|fold| {
        let (p, w) = (spell_numbers(&part, *fold), spell_numbers(&whole, *fold));
        !p.is_empty() && w.contains(&p)
    })
}

/// `text` with each run of ASCII digits replaced by `spell(run)` (its words, letters only).
fn spell_numbers(text: &str, spell: fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut digits = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if !digits.is_empty() {
            out.push_str(&words(&spell(&digits)));
            digits.clear();
        }
        if c != ' ' {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::within;

    #[test]
    fn titles_are_compared_by_their_words_and_numbers_either_way() {
        assert!(within("第1章", "第一章"));
        assert!(within("第12章", "第十二章 归来"));
        assert!(within("Chapter 2", "Chapter Two: The Road"));
        assert!(within("chapter one", "CHAPTER 1"));
        assert!(within("Loomings", "1. Loomings"));
        assert!(!within("第2章", "第一章"));
        assert!(!within("Chapter 3", "Chapter Two"));
        assert!(!within("The Sea", "Chapter 1"));
    }
}
