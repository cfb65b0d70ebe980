//! Each article's output folder when several are built: `PARENT/<file stem>` (`output/` or
//! `--out`), named as a single build names it. Two articles whose folders would be the same
//! (`a/post.txt` and `b/post.md`, or `Post.txt` and `post.txt`, one folder on a
//! case-insensitive disk) are refused before anything is built, naming both: silently
//! sharing a folder would make one overwrite the other.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::InputError;
use crate::outdir::names;

/// `(article, its output folder)` for each article, in order.
pub fn assign(articles: &[PathBuf], parent: &Path) -> Result<Vec<(PathBuf, PathBuf)>, InputError> {
    let mut taken: HashMap<String, &PathBuf> = HashMap::new();
    let mut out = Vec::new();
    for article in articles {
        let name = names::article_folder(article);
        let folder = parent.join(&name);
        if let Some(first) = taken.insert(name.to_lowercase(), article) {
            return Err(InputError::SameFolder { first: first.clone(), second: article.clone(), folder });
        }
        out.push((article.clone(), folder));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_folder_each_and_clashes_named() {
        let got = assign(&["x/a.txt".into(), "b.md".into()], Path::new("out")).unwrap();
        assert_eq!(got[0].1, Path::new("out/a"));
        assert_eq!(got[1].1, Path::new("out/b"));
        let err = assign(&["x/Post.txt".into(), "y/post.md".into()], Path::new("out")).unwrap_err().to_string();
        assert!(err.contains("x/Post.txt") && err.contains("y/post.md") && err.contains("out/post"), "{err}");
    }
}
