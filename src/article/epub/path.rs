//! References inside a book (`href`s in the package, the navigation and the NCX) resolved to
//! zip entry names: relative to the folder of the file that holds them, percent-decoded,
//! `.` and `..` followed. A reference that is absolute, names another site or climbs above
//! the book's root is refused ([`Escapes`]): entries are only ever looked up in memory, but a
//! book that points outside itself is broken or hostile.

/// A reference that leaves the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escapes;

/// The entry `href` names, seen from the folder `base` (`OEBPS/` or `""`); the fragment
/// (`#ch1`) is left out.
pub fn resolve(base: &str, href: &str) -> Result<String, Escapes> {
    let href = href.split('#').next().unwrap_or("");
    let decoded = percent_decode(href).ok_or(Escapes)?;
    let has_scheme = decoded.split_once(':').is_some_and(|(s, _)| !s.is_empty() && !s.contains('/'));
    if decoded.starts_with('/') || decoded.starts_with('\\') || has_scheme {
        return Err(Escapes);
    }
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in decoded.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop().ok_or(Escapes)?;
            }
            _ => parts.push(part),
        }
    }
    Ok(parts.join("/"))
}

/// The fragment of a reference (`ch1` of `c.xhtml#ch1`), percent-decoded.
pub fn fragment(href: &str) -> Option<String> {
    let fragment = href.split_once('#')?.1;
    (!fragment.is_empty()).then(|| percent_decode(fragment).unwrap_or_else(|| fragment.to_string()))
}

/// The folder of an entry, with its trailing slash (`OEBPS/` of `OEBPS/content.opf`).
pub fn folder(entry: &str) -> &str {
    entry.rfind('/').map_or("", |at| &entry[..=at])
}

/// `%20` → space, `%E4%B8%AD` → `中`; `None` when the bytes are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_inside_the_book_only() {
        assert_eq!(resolve("OEBPS/", "text/c%201.xhtml#p2"), Ok("OEBPS/text/c 1.xhtml".into()));
        assert_eq!(resolve("OEBPS/text/", "../images/../c.xhtml"), Ok("OEBPS/c.xhtml".into()));
        assert_eq!(resolve("", "%E4%B8%AD.xhtml"), Ok("中.xhtml".into()));
        assert_eq!(resolve("OEBPS/", "../../evil.xhtml"), Err(Escapes));
        assert_eq!(resolve("OEBPS/", "%2e%2e/%2e%2e/evil.xhtml"), Err(Escapes));
        assert_eq!(resolve("OEBPS/", "/etc/passwd"), Err(Escapes));
        assert_eq!(resolve("OEBPS/", "file:///etc/passwd"), Err(Escapes));
        assert_eq!(resolve("OEBPS/", "https://x.org/a.xhtml"), Err(Escapes));
        assert_eq!(fragment("c.xhtml#fn%201"), Some("fn 1".into()));
        assert_eq!(folder("OEBPS/content.opf"), "OEBPS/");
    }
}
