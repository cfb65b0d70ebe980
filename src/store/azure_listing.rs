//! One page of an Azure Blob Storage `List Blobs` answer: the names, and the marker of the
//! next page.

use quick_xml::events::Event;
use quick_xml::reader::Reader;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Page {
    /// Full blob names (the store's prefix included).
    pub names: Vec<String>,
    /// `NextMarker` when there are more pages (Azure says so by a non-empty one).
    pub next: Option<String>,
}

/// Reads an `EnumerationResults`. Only `Blobs/Blob/Name` and `NextMarker` matter.
pub fn parse(xml: &str) -> Result<Page, String> {
    let mut reader = Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut page = Page::default();
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
                match path.join("/").as_str() {
                    "EnumerationResults/Blobs/Blob/Name" => page.names.push(std::mem::take(&mut text)),
                    "EnumerationResults/NextMarker" if !text.trim().is_empty() => {
                        page.next = Some(std::mem::take(&mut text));
                    }
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
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_the_next_marker() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<EnumerationResults ServiceEndpoint="http://127.0.0.1:10000/devstoreaccount1" ContainerName="voices">
<Prefix>p/</Prefix><MaxResults>2</MaxResults>
<Blobs><Blob><Name>p/feed-items/a.json</Name><Properties><Content-Length>3</Content-Length></Properties></Blob>
<Blob><Name>p/feed-items/R&amp;D.json</Name><Properties/></Blob></Blobs>
<NextMarker>2!80!MDAwMDI0IXA</NextMarker></EnumerationResults>"#;
        let page = parse(xml).unwrap();
        assert_eq!(page.names, ["p/feed-items/a.json", "p/feed-items/R&D.json"]);
        assert_eq!(page.next.as_deref(), Some("2!80!MDAwMDI0IXA"));
    }

    #[test]
    fn the_last_page_has_an_empty_marker() {
        let xml = "<EnumerationResults><Blobs/><NextMarker /></EnumerationResults>";
        assert_eq!(parse(xml).unwrap(), Page::default());
        let xml = "<EnumerationResults><Blobs></Blobs><NextMarker></NextMarker></EnumerationResults>";
        assert_eq!(parse(xml).unwrap(), Page::default());
    }

    #[test]
    fn a_cut_listing_is_an_error() {
        assert!(parse("<EnumerationResults><Blobs><Blob><Name>a").is_err());
    }
}
