//! Where an article is read from: a file, or standard input (`-`, as Unix tools take it).
//! Both are decoded the same way ([`source::decode_bytes`]); messages name standard input
//! `<stdin>` where they would name a file.

use std::fmt;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use super::source::{self, ReadError, SourceText};

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

    /// Reads and decodes the article; `forced` is an `--encoding` label.
    pub fn read(&self, forced: Option<&str>) -> Result<SourceText, ReadError> {
        match self {
            ArticleInput::File(path) => source::read_article(path, forced),
            ArticleInput::Stdin => {
                let name = Path::new(STDIN_NAME);
                let stdin = std::io::stdin();
                if stdin.is_terminal() {
                    eprintln!("reading the article from standard input; end it with Ctrl-D (or give a file)");
                }
                let mut bytes = Vec::new();
                stdin
                    .lock()
                    .read_to_end(&mut bytes)
                    .map_err(|source| ReadError::Io { path: name.to_path_buf(), source })?;
                source::decode_bytes(&bytes, forced).map_err(|e| e.at(name))
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
