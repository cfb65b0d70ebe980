//! What goes wrong reading a book: each error names the entry of the EPUB it is about (the
//! file is named by [`crate::article::source::ReadError::Epub`], which wraps this).

use super::limits::Limit;

#[derive(Debug, thiserror::Error)]
pub enum EpubError {
    #[error("not an EPUB: it is not a zip archive ({0}); give an .epub file as saved by the publisher or Calibre")]
    NotZip(String),
    #[error("entry {entry}: is missing from the book; {what}")]
    Missing { entry: String, what: &'static str },
    #[error("entry {entry}: cannot be read: {message}")]
    Unreadable { entry: String, message: String },
    #[error(
        "entry {entry}: is not well-formed XML (line {line}: {message}); repair the book (Calibre's editor, epubcheck) and try again"
    )]
    BrokenXml { entry: String, line: usize, message: String },
    #[error("entry {entry}: {message}")]
    Invalid { entry: String, message: String },
    #[error(
        "entry {entry}: is encrypted (DRM, listed in META-INF/encryption.xml); seedaudio cannot read DRM-protected books: use a DRM-free copy"
    )]
    Encrypted { entry: String },
    #[error(
        "entry {entry}: the reference {href:?} points outside the book (absolute, or .. past its root); such a book is refused"
    )]
    Escapes { entry: String, href: String },
    #[error("{0}; this is not an ordinary book (a zip bomb?), so it is refused")]
    Limit(Limit),
    #[error("the book has nothing to read: every document in its spine is front matter, notes or empty{hint}")]
    Empty { hint: &'static str },
}
