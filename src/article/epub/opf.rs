//! The package document (`content.opf`): the book's metadata, its files (the manifest), their
//! reading order (the spine) and, in EPUB 2, the guide to its parts.

use std::collections::HashMap;

use super::error::EpubError;
use super::path;
use super::xml::{self, Item};

#[derive(Debug, Default)]
pub struct Package {
    /// `dc:title` (the first).
    pub title: Option<String>,
    /// `dc:creator`s who are authors: no role, or the role `aut`.
    pub authors: Vec<String>,
    /// `dc:language` (the first).
    pub language: Option<String>,
    pub manifest: Vec<ManifestItem>,
    pub spine: Vec<SpineItem>,
    /// The NCX (EPUB 2's table of contents): the spine's `toc` item.
    pub ncx: Option<String>,
    /// The navigation document (EPUB 3): the item with the `nav` property.
    pub nav: Option<String>,
    /// EPUB 2's `<guide>`: (type, entry) of each reference.
    pub guide: Vec<(String, String)>,
    /// The cover image's entry (`cover-image` property, or `<meta name="cover">`).
    pub cover_image: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ManifestItem {
    pub id: String,
    pub href: String,
    /// The entry `href` names; `None` when it points outside the book.
    pub entry: Option<String>,
    pub media_type: String,
    pub properties: String,
}

#[derive(Debug, Clone)]
pub struct SpineItem {
    /// Index into [`Package::manifest`].
    pub item: usize,
    /// `linear="no"`: outside the reading order (notes, pop-ups), read only when asked.
    pub linear: bool,
}

impl Package {
    pub fn parse(entry: &str, text: &str) -> Result<Package, EpubError> {
        let items = xml::items(entry, text)?;
        let base = path::folder(entry);
        let mut package = Package::default();
        // dc:creator ids with their role, from EPUB 2's opf:role or EPUB 3's refining <meta>.
        let mut creators: Vec<(Option<String>, String, Option<String>)> = Vec::new();
        let mut roles: Vec<(String, String)> = Vec::new();
        let (mut cover_id, mut toc_id, mut has_spine) = (None, None, false);
        // Manifest ids → index (a package may list many items; no quadratic look-ups).
        let mut ids: HashMap<String, usize> = HashMap::new();
        for (at, item) in items.iter().enumerate() {
            let Item::Open(tag) = item else { continue };
            match tag.name.as_str() {
                "title" if package.title.is_none() => package.title = Some(xml::text_at(&items, at)),
                "creator" => creators.push((
                    tag.attr("id").map(str::to_string),
                    xml::text_at(&items, at),
                    tag.attr("role").map(str::to_string),
                )),
                "language" if package.language.is_none() => package.language = Some(xml::text_at(&items, at)),
                "meta" => {
                    if tag.attr("name") == Some("cover") {
                        cover_id = tag.attr("content").map(str::to_string);
                    }
                    if tag.attr("property") == Some("role")
                        && let Some(id) = tag.attr("refines").and_then(|r| r.strip_prefix('#'))
                    {
                        roles.push((id.to_string(), xml::text_at(&items, at)));
                    }
                }
                "item" => {
                    let href = tag.attr("href").unwrap_or("").to_string();
                    ids.entry(tag.attr("id").unwrap_or("").into()).or_insert(package.manifest.len());
                    package.manifest.push(ManifestItem {
                        id: tag.attr("id").unwrap_or("").into(),
                        entry: path::resolve(base, &href).ok(),
                        href,
                        media_type: tag.attr("media-type").unwrap_or("").into(),
                        properties: tag.attr("properties").unwrap_or("").into(),
                    });
                }
                "spine" => {
                    has_spine = true;
                    toc_id = tag.attr("toc").map(str::to_string);
                }
                "itemref" => {
                    let idref = tag.attr("idref").unwrap_or("");
                    let item = ids.get(idref).copied().ok_or_else(|| EpubError::Invalid {
                        entry: entry.into(),
                        message: format!("the spine names item {idref:?}, which the manifest does not list"),
                    })?;
                    package.spine.push(SpineItem { item, linear: tag.attr("linear") != Some("no") });
                }
                "reference" => {
                    if let (Some(kind), Some(href)) = (tag.attr("type"), tag.attr("href"))
                        && let Ok(target) = path::resolve(base, href)
                    {
                        package.guide.push((kind.to_ascii_lowercase(), target));
                    }
                }
                _ => {}
            }
        }
        if !has_spine || package.spine.is_empty() {
            return Err(EpubError::Invalid {
                entry: entry.into(),
                message: "has no spine (<spine><itemref idref=\"…\"/></spine>): the book's reading order is unknown"
                    .into(),
            });
        }
        let role = |id: &Option<String>, own: &Option<String>| {
            own.clone()
                .or_else(|| id.as_ref().and_then(|id| roles.iter().find(|(r, _)| r == id).map(|(_, v)| v.clone())))
        };
        package.authors = creators
            .iter()
            .filter(|(id, name, own)| !name.is_empty() && role(id, own).is_none_or(|r| r.trim() == "aut"))
            .map(|(_, name, _)| name.clone())
            .collect();
        package.title = package.title.filter(|t| !t.is_empty());
        package.language = package.language.filter(|l| !l.is_empty());
        let entry_of = |id: &str| package.manifest.iter().find(|m| m.id == id).and_then(|m| m.entry.clone());
        package.ncx = toc_id.as_deref().and_then(entry_of).or_else(|| {
            let ncx = package.manifest.iter().find(|m| m.media_type == "application/x-dtbncx+xml");
            ncx.and_then(|m| m.entry.clone())
        });
        package.nav = package.manifest.iter().find(|m| has_word(&m.properties, "nav")).and_then(|m| m.entry.clone());
        package.cover_image = package
            .manifest
            .iter()
            .find(|m| has_word(&m.properties, "cover-image"))
            .and_then(|m| m.entry.clone())
            .or_else(|| cover_id.as_deref().and_then(entry_of));
        Ok(package)
    }
}

/// Whether a space-separated list (`properties`, `epub:type`) holds `word`.
pub fn has_word(list: &str, word: &str) -> bool {
    list.split_whitespace().any(|w| w.eq_ignore_ascii_case(word) || w.rsplit(':').next() == Some(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_manifest_spine_and_guide() {
        let opf = r##"<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0">
            <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
            <dc:title>A &amp; B</dc:title><dc:creator opf:role="aut">Ann</dc:creator>
            <dc:creator opf:role="trl">Tom</dc:creator><dc:creator id="c3">Cy</dc:creator>
            <meta refines="#c3" property="role">ill</meta><dc:language>en</dc:language>
            <meta name="cover" content="img"/></metadata>
            <manifest><item id="img" href="i/c.jpg" media-type="image/jpeg"/>
            <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
            <item id="c1" href="text/c%201.xhtml" media-type="application/xhtml+xml"/></manifest>
            <spine toc="ncx"><itemref idref="c1"/><itemref idref="c1" linear="no"/></spine>
            <guide><reference type="Cover" href="text/c%201.xhtml#top"/></guide></package>"##;
        let p = Package::parse("OEBPS/content.opf", opf).unwrap();
        assert_eq!(p.title.as_deref(), Some("A & B"));
        assert_eq!(p.authors, ["Ann"]);
        assert_eq!(p.language.as_deref(), Some("en"));
        assert_eq!(p.ncx.as_deref(), Some("OEBPS/toc.ncx"));
        assert_eq!(p.cover_image.as_deref(), Some("OEBPS/i/c.jpg"));
        assert_eq!(p.manifest[p.spine[0].item].entry.as_deref(), Some("OEBPS/text/c 1.xhtml"));
        assert!(p.spine[0].linear && !p.spine[1].linear);
        assert_eq!(p.guide, [("cover".to_string(), "OEBPS/text/c 1.xhtml".to_string())]);
    }
}
