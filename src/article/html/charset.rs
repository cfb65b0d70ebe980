//! The encoding a page declares: `<meta charset="gbk">` or
//! `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`, looked for in the
//! first 4 KB (the HTML standard's prescan looks at 1 KB; CMS templates often put long
//! scripts first).

use encoding_rs::Encoding;

const PRESCAN: usize = 4096;

/// The encoding declared by a `<meta>` tag, unless the bytes start with a BOM (which wins).
/// A declared UTF-16 means UTF-8, as the HTML standard says: the bytes were ASCII-compatible
/// enough for the declaration to be read.
pub fn declared(bytes: &[u8]) -> Option<&'static Encoding> {
    if Encoding::for_bom(bytes).is_some() {
        return None;
    }
    let head: Vec<u8> = bytes.iter().take(PRESCAN).map(u8::to_ascii_lowercase).collect();
    let mut at = 0;
    while let Some(found) = find(&head[at..], b"<meta") {
        let start = at + found;
        let end = find(&head[start..], b">").map_or(head.len(), |e| start + e);
        if let Some(encoding) = label_in(&head[start..end]) {
            return Some(if encoding.output_encoding() != encoding { encoding_rs::UTF_8 } else { encoding });
        }
        at = end;
    }
    None
}

/// The `charset=…` value inside one `<meta …>` tag.
fn label_in(tag: &[u8]) -> Option<&'static Encoding> {
    let at = find(tag, b"charset")? + b"charset".len();
    let rest = tag[at..].trim_ascii_start().strip_prefix(b"=")?.trim_ascii_start();
    let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
    let len = rest.iter().position(|b| matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace());
    Encoding::for_label(&rest[..len.unwrap_or(rest.len())])
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_charset_in_both_forms() {
        assert_eq!(declared(b"<html><head><meta charset=\"gbk\"></head>"), Some(encoding_rs::GBK));
        assert_eq!(declared(b"<META CHARSET=GB2312>"), Some(encoding_rs::GBK));
        let old = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\" />";
        assert_eq!(declared(old), Some(encoding_rs::WINDOWS_1252));
        assert_eq!(declared(b"<meta charset=\"utf-16\">"), Some(encoding_rs::UTF_8));
        assert_eq!(declared(b"<meta name=\"viewport\" content=\"width=device-width\">"), None);
        assert_eq!(declared(b"\xEF\xBB\xBF<meta charset=\"gbk\">"), None);
    }
}
