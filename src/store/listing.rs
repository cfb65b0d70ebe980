//! One page of an S3 `ListObjectsV2` answer: the keys, and the token for the next page.

use quick_xml::events::Event;
use quick_xml::reader::Reader;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Page {
    /// Full keys (the store's prefix included).
    pub keys: Vec<String>,
    /// `NextContinuationToken` when the listing is truncated.
    pub next: Option<String>,
}

/// Reads a `ListBucketResult`. Only `Contents/Key`, `IsTruncated` and
/// `NextContinuationToken` matter; everything else is skipped.
pub fn parse(xml: &str) -> Result<Page, String> {
    let mut reader = Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut page = Page::default();
    let mut truncated = false;
    loop {
        match reader.read_event().map_err(|e| format!("the listing is not XML ({e})"))? {
            Event::Start(e) => {
                path.push(String::from_utf8_lossy(e.local_name().as_ref()).into_owned());
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.xml10_content().map_err(|e| e.to_string())?),
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|e| e.to_string())?;
                match r.resolve_char_ref() {
                    Ok(Some(c)) => text.push(c),
                    _ => text.push_str(quick_xml::escape::resolve_xml_entity(&name).unwrap_or_default()),
                }
            }
            Event::End(_) => {
                let joined = path.join("/");
                match joined.as_str() {
                    "ListBucketResult/Contents/Key" => page.keys.push(std::mem::take(&mut text)),
                    "ListBucketResult/IsTruncated" => truncated = text.trim() == "true",
                    "ListBucketResult/NextContinuationToken" => page.next = Some(std::mem::take(&mut text)),
                    _ => {}
                }
                path.pop();
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !path.is_empty() {
        return Err("the listing is cut short".into());
    }
    if !truncated {
        page.next = None;
    } else if page.next.is_none() {
        return Err("the listing is truncated but gives no continuation token".into());
    }
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_the_next_page() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>p/</Prefix>
<Contents><Key>p/feed-items/a.json</Key><Size>3</Size></Contents>
<Contents><Key>p/feed-items/R&amp;D.json</Key></Contents>
<IsTruncated>true</IsTruncated><NextContinuationToken>tok/+=</NextContinuationToken></ListBucketResult>"#;
        let page = parse(xml).unwrap();
        assert_eq!(page.keys, ["p/feed-items/a.json", "p/feed-items/R&D.json"]);
        assert_eq!(page.next.as_deref(), Some("tok/+="));
        let last = "<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>";
        assert_eq!(parse(last).unwrap(), Page::default());
        assert!(parse("<ListBucketResult><Contents>").is_err());
    }
}
