//! Where an article is read from: a file, or standard input (`-`, as Unix tools take it).
//! Both are decoded the same way ([`source::decode_bytes`]), HTML pages from either turned into
//! Markdown ([`html`]); messages name standard input
//! `<stdin>` where they would name a file.

use std::fmt;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use super::epub::{self, BookOptions};
use super::html;
use super::source::{self, Meta, ReadError, SourceText};

/// What messages call standard input.
pub const STDIN_NAME: &str = "<stdin>";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArticleInput {
    File(PathBuf),
    Stdin,
}

impl ArticleInput {
    /// `-` is standard input; anything else is a file (`./-` names a file called `-`).
    pub fn from_arg(arg: &Path) -> ArticleInput {
        if arg.as_os_str() == "-" { ArticleInput::Stdin } else { ArticleInput::File(arg.to_path_buf()) }
    }

    /// The name the manifest records: the file's name without its folder, or `<stdin>`.
    pub fn file_name(&self) -> String {
        match self {
            ArticleInput::File(path) => path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            ArticleInput::Stdin => STDIN_NAME.into(),
        }
    }

    /// The file's stem (`five-awareness` of `five-awareness.txt`); standard input has none.
    pub fn stem(&self) -> Option<String> {
        match self {
            ArticleInput::File(path) => path.file_stem().map(|s| s.to_string_lossy().into_owned()),
            ArticleInput::Stdin => None,
        }
    }

    /// Reads and decodes the article; `forced` is an `--encoding` label. An HTML page
    /// ([`html::is_html`]) is decoded in the encoding its `<meta charset>` declares (unless
    /// `--encoding` or a BOM says otherwise, or the bytes are valid UTF-8: a page saved as
    /// UTF-8 often keeps its old declaration), and its article is turned into Markdown.
    ///
    /// An EPUB book ([`epub::is_epub`]) is read for its body as `book` says (the encoding is
    /// the book's own), with its author and language in [`SourceText::meta`].
    pub fn read(&self, forced: Option<&str>, book: BookOptions) -> Result<SourceText, ReadError> {
        let name = Path::new(match self {
            ArticleInput::File(path) => path.as_path(),
            ArticleInput::Stdin => Path::new(STDIN_NAME),
        });
        let bytes = self.bytes()?;
        let path = match self {
            ArticleInput::File(path) => Some(path.as_path()),
            ArticleInput::Stdin => None,
        };
        if epub::is_epub(path, &bytes) {
            let read = epub::read(&bytes, book).map_err(|source| ReadError::Epub { path: name.into(), source })?;
            drop(bytes);
            let meta = Meta { author: read.author, language: read.language, left_out: read.left_out };
            return Ok(SourceText { text: read.markdown, encoding: "UTF-8", guessed: false, meta });
        }
        if !html::is_html(path, &bytes) {
            return source::decode_bytes(&bytes, forced).map_err(|e| e.at(name));
        }
        let declared = html::charset::declared(&bytes).filter(|_| std::str::from_utf8(&bytes).is_err());
        let mut read = match (forced, declared) {
            (None, Some(encoding)) => {
                source::decode_bytes(&bytes, Some(encoding.name())).or_else(|_| source::decode_bytes(&bytes, None))
            }
            _ => source::decode_bytes(&bytes, forced),
        }
        .map_err(|e| e.at(name))?;
        let page = html::read(&read.text);
        read.text = page.markdown;
        read.meta = Meta { author: page.author, language: page.language, left_out: Vec::new() };
        Ok(read)
    }

    fn bytes(&self) -> Result<Vec<u8>, ReadError> {
        match self {
            ArticleInput::File(path) => {
                if path.is_dir() {
                    return Err(ReadError::IsDirectory { path: path.to_path_buf() });
                }
                std::fs::read(path).map_err(|source| ReadError::Io { path: path.to_path_buf(), source })
            }
            ArticleInput::Stdin => {
                let stdin = std::io::stdin();
                if stdin.is_terminal() {
                    eprintln!("reading the article from standard input; end it with Ctrl-D (or give a file)");
                }
                let mut bytes = Vec::new();
                stdin
                    .lock()
                    .read_to_end(&mut bytes)
                    .map_err(|source| ReadError::Io { path: PathBuf::from(STDIN_NAME), source })?;
                Ok(bytes)
            }
        }
    }
}

impl fmt::Display for ArticleInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArticleInput::File(path) => write!(f, "{}", path.display()),
            ArticleInput::Stdin => f.write_str(STDIN_NAME),
        }
    }
}
