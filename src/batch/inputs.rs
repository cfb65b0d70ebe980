//! The article files a command names: files as given, folders read for their articles (one
//! level: files directly inside, sorted by name, hidden files skipped), a list file's entries
//! read the same way. The same file named twice (say alone and in its folder) is built once,
//! where it first appears.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// What a folder is read for: the extensions of articles (any letter case).
pub const EXTENSIONS: [&str; 6] = ["txt", "md", "markdown", "html", "htm", "epub"];

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error(
        "`-` (standard input) is one article alone: pipe one article with `seedaudio build - --name NAME`, or give several as files"
    )]
    StdinWithOthers,
    #[error("{list}:{line}: `-` (standard input) cannot be listed; list article files", list = list.display())]
    StdinInList { list: PathBuf, line: usize },
    #[error("cannot read the list file {list}: {source}; check the path given to --list", list = list.display())]
    List { list: PathBuf, source: std::io::Error },
    #[error("cannot read the folder {path}: {source}", path = path.display())]
    Folder { path: PathBuf, source: std::io::Error },
    #[error(
        "no articles to build: {0} holds no .txt .md .markdown .html .htm .epub file (folders are read one level deep; name files in subfolders, or list them with --list)"
    )]
    Empty(String),
    #[error(
        "{path}: is a directory with no article in it (no .txt .md .markdown .html .htm .epub file directly inside; subfolders are not read): give an article file, or a folder that holds some",
        path = .0.display()
    )]
    EmptyFolder(PathBuf),
    #[error(
        "{first} and {second} would both be built into {folder}: rename one of them, or build them in two commands with different --out folders",
        first = first.display(), second = second.display(), folder = folder.display()
    )]
    SameFolder { first: PathBuf, second: PathBuf, folder: PathBuf },
    #[error(
        "--name names one article's folder; with several articles each is named after its file (rename the files, or build them one at a time)"
    )]
    Name,
}

/// The articles named by `args` (files or folders), then by the list file, in that order.
pub fn expand(args: &[PathBuf], list: Option<&Path>) -> Result<Vec<PathBuf>, InputError> {
    if args.iter().any(|a| a.as_os_str() == "-") {
        return Err(InputError::StdinWithOthers);
    }
    let mut named = args.to_vec();
    if let Some(list) = list {
        named.extend(super::list::read(list)?);
    }
    let mut articles = Vec::new();
    for path in &named {
        if path.is_dir() {
            articles.extend(folder(path)?);
        } else {
            // A missing file stays: its build fails alone, naming it.
            articles.push(path.clone());
        }
    }
    let mut seen = HashSet::new();
    articles.retain(|path| seen.insert(path.canonicalize().unwrap_or_else(|_| path.clone())));
    if let ([only], true) = (named.as_slice(), articles.is_empty()) {
        return Err(InputError::EmptyFolder(only.clone()));
    }
    if articles.is_empty() {
        let what: Vec<String> = named.iter().map(|p| p.display().to_string()).collect();
        let what =
            if what.is_empty() { list.map(|l| l.display().to_string()).unwrap_or_default() } else { what.join(", ") };
        return Err(InputError::Empty(what));
    }
    Ok(articles)
}

/// The articles directly inside `dir`, sorted by file name.
fn folder(dir: &Path) -> Result<Vec<PathBuf>, InputError> {
    let io = |source| InputError::Folder { path: dir.into(), source };
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let hidden = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if !hidden && path.is_file() && is_article(&path) {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

fn is_article(path: &Path) -> bool {
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    EXTENSIONS.contains(&ext.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_one_level_sorted_and_each_file_once() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for name in ["b.md", "a.TXT", "c.pdf", ".hidden.txt", "sub/d.txt", "e.epub"] {
            std::fs::create_dir_all(d.join(name).parent().unwrap()).unwrap();
            std::fs::write(d.join(name), "x").unwrap();
        }
        let got = expand(&[d.join("b.md"), d.to_path_buf()], None).unwrap();
        assert_eq!(got, [d.join("b.md"), d.join("a.TXT"), d.join("e.epub")]);
        assert!(matches!(expand(&[d.join("sub/d.txt"), "-".into()], None), Err(InputError::StdinWithOthers)));
        let empty = d.join("empty");
        std::fs::create_dir(&empty).unwrap();
        assert!(
            expand(std::slice::from_ref(&empty), None)
                .unwrap_err()
                .to_string()
                .contains("is a directory with no article")
        );
        let list = d.join("list.txt");
        std::fs::write(&list, "empty\n").unwrap();
        assert!(expand(&[], Some(&list)).unwrap_err().to_string().contains("is a directory with no article"));
        assert!(expand(&[empty.clone(), empty], None).unwrap_err().to_string().contains("holds no .txt"));
    }
}
