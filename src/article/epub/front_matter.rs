//! Which documents of the spine are read. A listener wants the book, not its packaging:
//!
//! - **Front matter**, read only with `--front-matter`: the cover, title and half-title
//!   pages, copyright page and imprint, dedication and epigraph, lists of illustrations or
//!   tables, colophon and index. Forewords, prefaces, introductions, prologues and
//!   acknowledgements are read: they are part of the book as its author wrote it.
//! - **Never read**: the navigation document and any table of contents page (its titles are
//!   heard as the chapter titles), and notes documents (footnotes, endnotes: read on their
//!   own, away from the text they annotate, they make no sense; their references are dropped
//!   from the text, see [`super::notes`]).
//!
//! What a document is comes first from the book: the EPUB 3 landmarks and `epub:type` (or
//! `role="doc-…"`) on its `<body>` or its first `<section>`, the EPUB 2 guide, the package's
//! cover; only when the book says nothing about a document, and it is short, a name (`cover`,
//! `titlepage`, `copyright`, `toc`, `dedication`… in its file name or manifest id) decides.

/// What a document of the spine is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Body,
    /// Read only with `--front-matter`; the kind it is.
    FrontMatter(&'static str),
    /// Never read: a table of contents or a notes document.
    Never(&'static str),
}

/// Types (EPUB 3 structural semantics, EPUB 2 guide types) of front matter.
const FRONT: [(&str, &str); 16] = [
    ("cover", "cover"),
    ("titlepage", "title page"),
    ("title-page", "title page"),
    ("halftitlepage", "half-title page"),
    ("copyright-page", "copyright page"),
    ("copyright", "copyright page"),
    ("imprint", "imprint"),
    ("imprimatur", "imprint"),
    ("dedication", "dedication"),
    ("epigraph", "epigraph"),
    ("loi", "list of illustrations"),
    ("lot", "list of tables"),
    ("colophon", "colophon"),
    ("index", "index"),
    ("other.ms-coverimage", "cover"),
    ("other.ms-coverimage-standard", "cover"),
];

const NEVER: [(&str, &str); 7] = [
    ("toc", "table of contents"),
    ("footnotes", "notes"),
    ("endnotes", "notes"),
    ("rearnotes", "notes"),
    ("notes", "notes"),
    ("footnote", "notes"),
    ("endnote", "notes"),
];

/// Names that give a document away when the book says nothing about it.
const NAMES: [(&str, Part); 9] = [
    ("cover", Part::FrontMatter("cover")),
    ("titlepage", Part::FrontMatter("title page")),
    ("title-page", Part::FrontMatter("title page")),
    ("title_page", Part::FrontMatter("title page")),
    ("halftitle", Part::FrontMatter("half-title page")),
    ("copyright", Part::FrontMatter("copyright page")),
    ("dedication", Part::FrontMatter("dedication")),
    ("toc", Part::Never("table of contents")),
    ("contents", Part::Never("table of contents")),
];

/// A document short enough for its name to decide that it is front matter (characters).
const SHORT: usize = 1500;

/// What the book and the document say about one spine document.
pub struct Clues<'a> {
    /// Its entry, and its manifest id.
    pub entry: &'a str,
    pub id: &'a str,
    /// Types given it by landmarks or the guide, and on its `<body>`/first `<section>`.
    pub types: Vec<&'a str>,
    /// It is the navigation document.
    pub is_nav: bool,
    /// Characters of text in it (notes already left out).
    pub chars: usize,
    /// It shows the book's cover image, or only images.
    pub shows_cover: bool,
}

pub fn classify(clues: &Clues<'_>) -> Part {
    if clues.is_nav {
        return Part::Never("table of contents");
    }
    let words: Vec<String> = clues
        .types
        .iter()
        .flat_map(|t| t.split_whitespace())
        .map(|w| w.to_ascii_lowercase().trim_start_matches("doc-").rsplit(':').next().unwrap_or("").to_string())
        .collect();
    if let Some((_, why)) = NEVER.iter().find(|(t, _)| words.iter().any(|w| w == t)) {
        return Part::Never(why);
    }
    if let Some((_, why)) = FRONT.iter().find(|(t, _)| words.iter().any(|w| w == t)) {
        return Part::FrontMatter(why);
    }
    if clues.shows_cover && clues.chars < SHORT {
        return Part::FrontMatter("cover");
    }
    if words.is_empty() && clues.chars < SHORT {
        let stem = clues.entry.rsplit('/').next().unwrap_or("").split('.').next().unwrap_or("").to_ascii_lowercase();
        let id = clues.id.to_ascii_lowercase();
        for (name, part) in NAMES {
            let named = |s: &str| {
                let s = s.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_');
                s == name || s.split(['-', '_', ' ']).any(|p| p == name)
            };
            if named(&stem) || named(&id) {
                return part;
            }
        }
    }
    Part::Body
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clues<'a>(entry: &'a str, types: Vec<&'a str>, chars: usize) -> Clues<'a> {
        Clues { entry, id: "x", types, is_nav: false, chars, shows_cover: false }
    }

    #[test]
    fn the_book_decides_before_names() {
        assert_eq!(classify(&clues("a/c1.xhtml", vec!["copyright-page"], 99)), Part::FrontMatter("copyright page"));
        assert_eq!(classify(&clues("a/c1.xhtml", vec!["bodymatter chapter"], 99)), Part::Body);
        assert_eq!(classify(&clues("a/notes.xhtml", vec!["backmatter endnotes"], 99)), Part::Never("notes"));
        assert_eq!(classify(&clues("a/cover.xhtml", vec![], 10)), Part::FrontMatter("cover"));
        assert_eq!(classify(&clues("a/copyright.xhtml", vec![], 9000)), Part::Body, "too long to be one");
        assert_eq!(classify(&clues("a/preface.xhtml", vec!["preface"], 99)), Part::Body);
        assert_eq!(classify(&clues("a/recovery.xhtml", vec![], 99)), Part::Body);
        assert_eq!(classify(&clues("a/tocqueville.xhtml", vec![], 99)), Part::Body);
        assert_eq!(classify(&clues("a/titlepage01.xhtml", vec![], 99)), Part::FrontMatter("title page"));
        assert_eq!(classify(&clues("a/x.xhtml", vec!["doc-dedication"], 99)), Part::FrontMatter("dedication"));
    }
}
