//! The book's XML files (container, package, NCX, encryption) read as a stream of tags and
//! text with quick-xml, and XHTML checked to be well-formed and made ready for the HTML5
//! parser.

use std::collections::HashSet;

use quick_xml::events::Event;
use quick_xml::reader::Reader;

use super::error::EpubError;
use super::path;

/// An opening tag: its name without prefix (`title` of `dc:title`) and its attributes by
/// their full names (`opf:role`, `epub:type`) with entities resolved.
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
}

impl Tag {
    /// The value of attribute `name`, given with its prefix or without (`role` finds `opf:role`).
    pub fn attr(&self, name: &str) -> Option<&str> {
        let found = self.attrs.iter().find(|(k, _)| k == name);
        let found = found.or_else(|| self.attrs.iter().find(|(k, _)| k.rsplit(':').next() == Some(name)));
        found.map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone)]
pub enum Item {
    Open(Tag),
    Close(String),
    Text(String),
}

/// Reads `xml` (the text of `entry`) into items; an empty element `<a/>` gives an open and a
/// close. Not well-formed XML is a [`EpubError::BrokenXml`] naming the entry and the line.
pub fn items(entry: &str, xml: &str) -> Result<Vec<Item>, EpubError> {
    let mut reader = Reader::from_str(xml);
    let mut items = Vec::new();
    let mut depth = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| broken(entry, xml, reader.error_position(), &e))?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let mut attrs = Vec::new();
                for attr in e.attributes() {
                    let attr = attr.map_err(|e| broken(entry, xml, reader.buffer_position(), &e))?;
                    let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
                    let value = attr
                        .decoded_and_normalized_value(quick_xml::XmlVersion::Implicit1_0, reader.decoder())
                        .map(|v| v.into_owned())
                        .unwrap_or_else(|_| String::from_utf8_lossy(&attr.value).into_owned());
                    attrs.push((key, value));
                }
                items.push(Item::Open(Tag { name: name.clone(), attrs }));
                if empty {
                    items.push(Item::Close(name));
                } else {
                    depth += 1;
                }
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                items.push(Item::Close(String::from_utf8_lossy(e.local_name().as_ref()).into_owned()));
            }
            Event::Text(t) => items.push(Item::Text(t.xml10_content().map(|c| c.into_owned()).unwrap_or_default())),
            Event::CData(t) => items.push(Item::Text(String::from_utf8_lossy(&t).into_owned())),
            Event::GeneralRef(r) => {
                let name = r.decode().map(|n| n.into_owned()).unwrap_or_default();
                let text = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_xml_entity(&name).unwrap_or("").to_string(),
                };
                items.push(Item::Text(text));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth > 0 {
        return Err(unclosed(entry, xml));
    }
    Ok(items)
}

/// The text inside the element opened at `items[at]` (up to its close), white space collapsed.
pub fn text_at(items: &[Item], at: usize) -> String {
    let mut depth = 0usize;
    let mut text = String::new();
    for item in &items[at..] {
        match item {
            Item::Open(_) => depth += 1,
            Item::Close(_) => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            Item::Text(t) => text.push_str(t),
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The entries META-INF/encryption.xml says are encrypted (`CipherReference URI`s, relative
/// to the root of the book).
pub fn cipher_references(entry: &str, xml: &str) -> Result<HashSet<String>, EpubError> {
    let mut found = HashSet::new();
    for item in items(entry, xml)? {
        if let Item::Open(tag) = item
            && tag.name == "CipherReference"
            && let Some(uri) = tag.attr("URI")
            && let Ok(name) = path::resolve("", uri)
        {
            found.insert(name);
        }
    }
    Ok(found)
}

/// XHTML checked to be well-formed XML, with its self-closed elements that HTML does not
/// know as empty (`<title/>`, `<a id="p1"/>`, `<div/>`) written open and closed, so the HTML5
/// parser reads the document as XML means it (it would read `<title/>` as the start of a
/// title running to the end of the document).
pub fn xhtml_for_html5(entry: &str, xml: &str) -> Result<String, EpubError> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::with_capacity(xml.len() + 256);
    let mut copied = 0usize;
    let mut depth = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| broken(entry, xml, reader.error_position(), &e))?;
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Empty(e) => {
                let end = reader.buffer_position() as usize;
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                let local = String::from_utf8_lossy(e.local_name().as_ref()).to_ascii_lowercase();
                if !VOID.contains(&local.as_str()) && xml.get(end.saturating_sub(2)..end) == Some("/>") {
                    out.push_str(&xml[copied..end - 2]);
                    out.push_str("></");
                    out.push_str(&name);
                    out.push('>');
                    copied = end;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth > 0 {
        return Err(unclosed(entry, xml));
    }
    out.push_str(&xml[copied..]);
    Ok(out)
}

/// HTML's void elements: written `<br/>` in XHTML and read so by HTML5 too.
const VOID: [&str; 14] =
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

fn broken(entry: &str, xml: &str, at: u64, error: &dyn std::fmt::Display) -> EpubError {
    let at = (at as usize).min(xml.len());
    let line = xml.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    EpubError::BrokenXml { entry: entry.into(), line, message: error.to_string() }
}

fn unclosed(entry: &str, xml: &str) -> EpubError {
    let line = xml.lines().count();
    EpubError::BrokenXml { entry: entry.into(), line, message: "the document ends with elements still open".into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_closed_elements_are_opened_and_closed_for_html() {
        let x = r#"<html><head><title/></head><body><p><a id="p1"/>Text<br/></p></body></html>"#;
        assert_eq!(
            xhtml_for_html5("a.xhtml", x).unwrap(),
            r#"<html><head><title></title></head><body><p><a id="p1"></a>Text<br/></p></body></html>"#
        );
    }

    #[test]
    fn broken_xml_names_the_entry_and_line() {
        let err = xhtml_for_html5("OEBPS/c1.xhtml", "<html>\n<body>\n<p>x</div></body></html>").unwrap_err();
        let message = err.to_string();
        assert!(message.contains("OEBPS/c1.xhtml") && message.contains("line 3"), "{message}");
        assert!(items("c.opf", "<package><metadata></package>").is_err());
        assert!(items("c.opf", "<package><metadata>").is_err());
    }

    #[test]
    fn entities_and_prefixes() {
        let items = items("x", r#"<m xmlns:dc="d"><dc:title a="&amp;">A &amp; B&#x4E2D;</dc:title></m>"#).unwrap();
        let Item::Open(tag) = &items[1] else { panic!() };
        assert_eq!((tag.name.as_str(), tag.attr("a")), ("title", Some("&")));
        assert_eq!(text_at(&items, 1), "A & B中");
    }
}
