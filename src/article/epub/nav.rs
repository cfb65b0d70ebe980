//! The book's own table of contents: the EPUB 3 navigation document's `<nav epub:type="toc">`
//! or EPUB 2's NCX, and the EPUB 3 landmarks (`<nav epub:type="landmarks">`: cover, title
//! page, start of the body…).

use scraper::{ElementRef, Html};

use super::error::EpubError;
use super::opf::has_word;
use super::path;
use super::xml::{self, Item};

/// One entry of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocEntry {
    pub title: String,
    /// The document it points to.
    pub entry: String,
    /// The place in it (`ch2` of `book.xhtml#ch2`), when it names one.
    pub fragment: Option<String>,
    /// 1 for a top-level entry, 2 for one nested in it, …
    pub depth: usize,
}

/// The navigation document: its table of contents and landmarks ((types, entry) pairs).
#[derive(Debug, Default)]
pub struct Navigation {
    pub toc: Vec<TocEntry>,
    pub landmarks: Vec<(String, String)>,
}

/// Reads an EPUB 3 navigation document (XHTML) at `entry`.
pub fn from_nav(entry: &str, xhtml: &str) -> Result<Navigation, EpubError> {
    let html = xml::xhtml_for_html5(entry, xhtml)?;
    let document = Html::parse_document(&html);
    let base = path::folder(entry);
    let mut nav = Navigation::default();
    for el in document.root_element().descendants().filter_map(ElementRef::wrap) {
        if el.value().name() != "nav" {
            continue;
        }
        let kind = el.value().attr("epub:type").unwrap_or("");
        if has_word(kind, "toc") {
            for li in el.descendants().filter_map(ElementRef::wrap).filter(|e| e.value().name() == "li") {
                let label =
                    li.children().filter_map(ElementRef::wrap).find(|c| matches!(c.value().name(), "a" | "span"));
                let Some(label) = label else { continue };
                let Some(href) = label.value().attr("href") else { continue };
                let Ok(target) = path::resolve(base, href) else { continue };
                let depth = li.ancestors().take_while(|a| a.id() != el.id()).filter_map(ElementRef::wrap);
                let depth = depth.filter(|a| a.value().name() == "ol").count().max(1);
                nav.toc.push(TocEntry { title: text(label), entry: target, fragment: path::fragment(href), depth });
            }
        } else if has_word(kind, "landmarks") {
            for a in el.descendants().filter_map(ElementRef::wrap).filter(|e| e.value().name() == "a") {
                if let (Some(types), Some(href)) = (a.value().attr("epub:type"), a.value().attr("href"))
                    && let Ok(target) = path::resolve(base, href)
                {
                    nav.landmarks.push((types.to_ascii_lowercase(), target));
                }
            }
        }
    }
    nav.toc.retain(|t| !t.title.is_empty());
    Ok(nav)
}

/// Reads an EPUB 2 NCX at `entry`: its `navMap`'s `navPoint`s, nested.
pub fn from_ncx(entry: &str, text: &str) -> Result<Vec<TocEntry>, EpubError> {
    let items = xml::items(entry, text)?;
    let base = path::folder(entry);
    let mut toc = Vec::new();
    // Index in `toc` of each open navPoint (`None` when its target is unusable).
    let mut open: Vec<Option<usize>> = Vec::new();
    let mut in_map = false;
    for (at, item) in items.iter().enumerate() {
        match item {
            Item::Open(tag) if tag.name == "navMap" => in_map = true,
            Item::Close(name) if name == "navMap" => in_map = false,
            Item::Open(tag) if in_map && tag.name == "navPoint" => {
                toc.push(TocEntry {
                    title: String::new(),
                    entry: String::new(),
                    fragment: None,
                    depth: open.len() + 1,
                });
                open.push(Some(toc.len() - 1));
            }
            Item::Close(name) if in_map && name == "navPoint" => {
                open.pop();
            }
            Item::Open(tag) if in_map && tag.name == "text" => {
                if let Some(Some(i)) = open.last()
                    && toc[*i].title.is_empty()
                {
                    toc[*i].title = xml::text_at(&items, at);
                }
            }
            Item::Open(tag) if in_map && tag.name == "content" => {
                if let (Some(Some(i)), Some(src)) = (open.last(), tag.attr("src"))
                    && toc[*i].entry.is_empty()
                    && let Ok(target) = path::resolve(base, src)
                {
                    toc[*i].entry = target;
                    toc[*i].fragment = path::fragment(src);
                }
            }
            _ => {}
        }
    }
    toc.retain(|t| !t.title.is_empty() && !t.entry.is_empty());
    Ok(toc)
}

fn text(el: ElementRef<'_>) -> String {
    el.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nav_toc_and_landmarks() {
        let x = r#"<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title/></head><body>
            <nav epub:type="toc"><h1>Contents</h1><ol><li><a href="c1.xhtml">One</a>
            <ol><li><a href="c1.xhtml#s1">One A</a></li></ol></li><li><a href="../t/c2.xhtml">Two</a></li></ol></nav>
            <nav epub:type="landmarks"><ol><li><a epub:type="cover" href="cover.xhtml">Cover</a></li></ol></nav></body></html>"#;
        let nav = from_nav("OEBPS/x/nav.xhtml", x).unwrap();
        let toc: Vec<_> = nav.toc.iter().map(|t| (t.title.as_str(), t.entry.as_str(), t.depth)).collect();
        assert_eq!(
            toc,
            [("One", "OEBPS/x/c1.xhtml", 1), ("One A", "OEBPS/x/c1.xhtml", 2), ("Two", "OEBPS/t/c2.xhtml", 1)]
        );
        assert_eq!(nav.toc[1].fragment.as_deref(), Some("s1"));
        assert_eq!(nav.landmarks, [("cover".to_string(), "OEBPS/x/cover.xhtml".to_string())]);
    }

    #[test]
    fn ncx_nav_points() {
        let x = r#"<ncx><navMap><navPoint id="a"><navLabel><text>第一章</text></navLabel><content src="c1.xhtml"/>
            <navPoint id="b"><navLabel><text>一节</text></navLabel><content src="c1.xhtml#s"/></navPoint></navPoint>
            </navMap></ncx>"#;
        let toc = from_ncx("toc.ncx", x).unwrap();
        let got: Vec<_> = toc.iter().map(|t| (t.title.as_str(), t.entry.as_str(), t.depth)).collect();
        assert_eq!(got, [("第一章", "c1.xhtml", 1), ("一节", "c1.xhtml", 2)]);
    }
}
