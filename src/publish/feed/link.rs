//! From files on disk to the URLs a podcast app fetches: a path relative to the feed folder,
//! joined to the base URL with every segment percent-encoded (file names may be Chinese).

use std::path::{Component, Path};

use url::Url;

/// `text` as an absolute http(s) URL, or why it is not one.
pub fn absolute_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text.trim()).map_err(|e| format!("{text:?} is not an absolute URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(format!("{text:?} is not an http:// or https:// URL"));
    }
    Ok(url)
}

/// `relative` (`/`-separated, as stored) appended to `base` as path segments. The base is
/// treated as a folder whether or not it ends in `/`; its query, if any, is kept (some hosts
/// sign URLs that way).
pub fn join(base: &Url, relative: &str) -> String {
    let mut url = base.clone();
    url.set_fragment(None);
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.pop_if_empty();
        segments.extend(relative.split('/').filter(|s| !s.is_empty()));
    }
    url.into()
}

/// The path of `file` relative to `feed_dir`, `/`-separated, or `None` when the file is not
/// inside the feed folder. Both are resolved first, so `./out/../out/a.mp3` and symlinked
/// folders compare as the same place. `file` must exist.
pub fn relative(feed_dir: &Path, file: &Path) -> std::io::Result<Option<String>> {
    let dir = feed_dir.canonicalize()?;
    let file = file.canonicalize()?;
    let Ok(rest) = file.strip_prefix(&dir) else { return Ok(None) };
    let mut parts = Vec::new();
    for component in rest.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            _ => return Ok(None),
        }
    }
    Ok(Some(parts.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_with_or_without_a_trailing_slash() {
        for base in ["https://example.com/pod/", "https://example.com/pod"] {
            let base = absolute_url(base).unwrap();
            assert_eq!(join(&base, "five/episode-full.mp3"), "https://example.com/pod/five/episode-full.mp3");
        }
        let root = absolute_url("https://example.com").unwrap();
        assert_eq!(join(&root, "a.mp3"), "https://example.com/a.mp3");
    }

    #[test]
    fn encodes_each_segment() {
        let base = absolute_url("https://example.com/pod/").unwrap();
        assert_eq!(
            join(&base, "五种 意识/a#b?c%.mp3"),
            "https://example.com/pod/%E4%BA%94%E7%A7%8D%20%E6%84%8F%E8%AF%86/a%23b%3Fc%25.mp3"
        );
    }

    #[test]
    fn keeps_a_query() {
        let base = absolute_url("https://example.com/pod/?token=abc").unwrap();
        assert_eq!(join(&base, "x/a.mp3"), "https://example.com/pod/x/a.mp3?token=abc");
    }

    #[test]
    fn refuses_what_apps_cannot_fetch() {
        assert!(absolute_url("example.com/pod").is_err());
        assert!(absolute_url("ftp://example.com/").is_err());
        assert!(absolute_url("mailto:a@b.c").is_err());
        assert!(absolute_url("file:///tmp/x").is_err());
    }

    #[test]
    fn relative_paths() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("feed/五种")).unwrap();
        std::fs::write(dir.path().join("feed/五种/a.mp3"), b"x").unwrap();
        std::fs::write(dir.path().join("outside.mp3"), b"x").unwrap();
        let feed = dir.path().join("feed");
        assert_eq!(relative(&feed, &feed.join("五种/../五种/a.mp3")).unwrap().as_deref(), Some("五种/a.mp3"));
        assert_eq!(relative(&feed, &dir.path().join("outside.mp3")).unwrap(), None);
        assert!(relative(&feed, &feed.join("missing.mp3")).is_err());
    }
}
