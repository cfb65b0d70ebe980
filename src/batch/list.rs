//! A list file (`--list FILE`): one article or folder a line, relative to the list file's
//! folder; blank lines and lines starting with `#` are skipped. A `#` later in a line is part
//! of the path (file names may hold one).

use std::path::{Path, PathBuf};

use super::InputError;

/// The paths a list file names, in its order, joined to the list file's folder.
pub fn read(list: &Path) -> Result<Vec<PathBuf>, InputError> {
    let text = std::fs::read_to_string(list).map_err(|source| InputError::List { list: list.into(), source })?;
    let base = list.parent().unwrap_or(Path::new(""));
    let mut paths = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let entry = line.trim();
        if entry.is_empty() || entry.starts_with('#') {
            continue;
        }
        if entry == "-" {
            return Err(InputError::StdinInList { list: list.into(), line: n + 1 });
        }
        paths.push(base.join(entry));
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_blanks_and_relative_paths() {
        let dir = tempfile::tempdir().unwrap();
        let list = dir.path().join("list.txt");
        std::fs::write(&list, "# mine\n\n  a.txt  \nsub/b.md\n/abs/c.txt\nd#1.txt\r\n").unwrap();
        let got = read(&list).unwrap();
        assert_eq!(
            got,
            [
                dir.path().join("a.txt"),
                dir.path().join("sub/b.md"),
                PathBuf::from("/abs/c.txt"),
                dir.path().join("d#1.txt")
            ]
        );
        std::fs::write(&list, "a.txt\n-\n").unwrap();
        assert!(read(&list).unwrap_err().to_string().contains("list.txt:2"));
        assert!(read(&dir.path().join("none")).unwrap_err().to_string().contains("none"));
    }
}
