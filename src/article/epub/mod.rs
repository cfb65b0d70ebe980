//! EPUB in (EPUB 2 and 3): a book → the Markdown that [`super::markup`] reads, and its
//! metadata (title, authors, language).
//!
//! - The zip is read in memory ([`archive`], within [`limits`]); `META-INF/container.xml`
//!   names the package ([`container`]), whose spine gives the reading order ([`opf`]);
//!   `linear="no"` documents are read only with `--non-linear`.
//! - Chapters come from the book's table of contents ([`nav`]: EPUB 3's navigation document,
//!   else EPUB 2's NCX) and from each document's headings ([`document`] says how they meet).
//! - Front matter (cover, title page, copyright…) is read only with `--front-matter`; the
//!   table of contents and notes documents never are ([`front_matter`]); note references and
//!   note bodies are taken out of the text ([`notes`]).
//! - `##paidbegin##` and `##paidend##` in the text work as in any article.

mod archive;
mod container;
mod document;
mod error;
mod front_matter;
pub mod limits;
mod nav;
mod notes;
mod opf;
mod path;
mod xml;

use std::collections::{HashMap, HashSet};
use std::path::Path;

pub use error::EpubError;
pub use limits::Limits;

use archive::Archive;
use document::{Document, Placement};
use front_matter::{Clues, Part};

/// What of a book is read besides its body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BookOptions {
    /// Read the front matter (cover, title page, copyright, dedication…) too.
    pub front_matter: bool,
    /// Read the spine's `linear="no"` documents too, where they stand.
    pub non_linear: bool,
}

/// A book read: its text as Markdown (`# title`, `## ` chapters) and its metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Book {
    pub markdown: String,
    pub title: Option<String>,
    /// The authors (`dc:creator`s without another role), joined with `, `.
    pub author: Option<String>,
    pub language: Option<String>,
    /// The documents not read, each as `what (entry)`, for a note to the user.
    pub left_out: Vec<String>,
}

/// Whether an article is an EPUB: named `.epub`, or a zip whose first entry is the
/// `mimetype` file saying `application/epub+zip`.
pub fn is_epub(path: Option<&Path>, bytes: &[u8]) -> bool {
    let by_name = path.and_then(|p| p.extension()).is_some_and(|e| e.eq_ignore_ascii_case("epub"));
    let head = &bytes[..bytes.len().min(128)];
    let by_content = head.starts_with(b"PK\x03\x04")
        && head.get(30..38) == Some(b"mimetype".as_slice())
        && head.windows(20).any(|w| w == b"application/epub+zip");
    by_name || by_content
}

/// Reads a book within the default [`Limits`].
pub fn read(bytes: &[u8], options: BookOptions) -> Result<Book, EpubError> {
    read_within(bytes, options, Limits::default())
}

pub fn read_within(bytes: &[u8], options: BookOptions, limits: Limits) -> Result<Book, EpubError> {
    let mut archive = Archive::open(bytes, limits)?;
    let opf_entry = container::package_entry(&mut archive)?;
    let package = opf::Package::parse(&opf_entry, &archive.text(&opf_entry)?)?;
    let max = archive.limits().entries;
    if package.spine.len() > max {
        return Err(EpubError::Limit(limits::Limit::Spine { found: package.spine.len(), max }));
    }

    let mut navigation = match &package.nav {
        Some(entry) if archive.has(entry) => nav::from_nav(entry, &archive.text(entry)?)?,
        _ => nav::Navigation::default(),
    };
    if navigation.toc.is_empty()
        && let Some(ncx) = &package.ncx
        && archive.has(ncx)
    {
        navigation.toc = nav::from_ncx(ncx, &archive.text(ncx)?)?;
    }
    // What the landmarks and the guide call each document.
    let mut named: HashMap<&str, Vec<&str>> = HashMap::new();
    for (types, entry) in navigation.landmarks.iter().chain(&package.guide) {
        named.entry(entry.as_str()).or_default().push(types.as_str());
    }

    let mut book = Book {
        title: package.title.clone(),
        author: (!package.authors.is_empty()).then(|| package.authors.join(", ")),
        language: package.language.clone(),
        ..Book::default()
    };
    if let Some(title) = &package.title {
        book.markdown.push_str(&format!("# {}\n\n", crate::article::html::escape(title)));
    }
    let mut toc_of: HashMap<&str, Vec<&nav::TocEntry>> = HashMap::new();
    for t in &navigation.toc {
        toc_of.entry(t.entry.as_str()).or_default().push(t);
    }
    let mut titled: HashSet<&str> = HashSet::new();
    let mut read_any = false;
    for spine in &package.spine {
        let item = &package.manifest[spine.item];
        if !matches!(item.media_type.as_str(), "application/xhtml+xml" | "text/html" | "") {
            continue;
        }
        let entry = item
            .entry
            .as_deref()
            .ok_or_else(|| EpubError::Escapes { entry: opf_entry.clone(), href: item.href.clone() })?;
        if !spine.linear && !options.non_linear {
            book.left_out.push(format!("linear=\"no\" ({entry}; --non-linear reads it)"));
            continue;
        }
        if !archive.has(entry) {
            return Err(EpubError::Missing { entry: entry.into(), what: "the package's spine lists it" });
        }
        let mut doc = Document::parse(entry, &archive.text(entry)?)?;
        let with_notes = doc.chars();
        doc.strip_notes();
        let chars = doc.chars();
        let folder = path::folder(entry);
        let images: Vec<_> = doc.images().iter().filter_map(|i| path::resolve(folder, i).ok()).collect();
        let types = doc.types();
        let mut clues = Clues {
            entry,
            id: &item.id,
            types: named.get(entry).cloned().unwrap_or_default(),
            is_nav: package.nav.as_deref() == Some(entry),
            chars,
            // The cover image, or (before anything was read) a page of nothing but images.
            shows_cover: package.cover_image.as_ref().is_some_and(|c| images.contains(c))
                || (!read_any && !images.is_empty() && chars == 0),
        };
        clues.types.extend(types.iter().map(String::as_str));
        let part = match front_matter::classify(&clues) {
            Part::Body if with_notes > 0 && chars == 0 => Part::Never("notes"),
            part => part,
        };
        match part {
            Part::Body => {}
            Part::FrontMatter(_) if options.front_matter => {}
            Part::FrontMatter(what) => {
                book.left_out.push(format!("{what} ({entry}; --front-matter reads it)"));
                continue;
            }
            Part::Never(what) => {
                book.left_out.push(format!("{what} ({entry})"));
                continue;
            }
        }
        let mine = toc_of.get(entry).map(Vec::as_slice).unwrap_or_default();
        let top = mine.iter().map(|t| t.depth).min();
        let at_top: Vec<_> = mine.iter().filter(|t| Some(t.depth) == top).collect();
        let first = at_top.first().filter(|_| !titled.contains(&entry));
        let skip = usize::from(first.is_some());
        let chapters: Vec<String> = at_top.iter().skip(skip).filter_map(|t| t.fragment.clone()).collect();
        titled.insert(entry);
        let placement = Placement {
            title: first.map(|t| t.title.as_str()),
            chapters: &chapters,
            book_has_toc: !navigation.toc.is_empty(),
        };
        book.markdown.push_str(&doc.markdown(&placement));
        book.markdown.push_str("\n\n");
        read_any |= chars > 0;
    }
    if !read_any {
        let hint = if book.left_out.iter().any(|l| l.contains("--front-matter")) {
            " (add --front-matter to read its front matter)"
        } else {
            ""
        };
        return Err(EpubError::Empty { hint });
    }
    Ok(book)
}
