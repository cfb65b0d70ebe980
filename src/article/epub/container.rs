//! `META-INF/container.xml`: where the package document (the OPF) is.

use super::archive::Archive;
use super::error::EpubError;
use super::path;
use super::xml::{self, Item};

pub const CONTAINER: &str = "META-INF/container.xml";

/// The zip entry of the package document: the first `<rootfile>` of the OPF media type (or
/// the first one when none says its type).
pub fn package_entry(archive: &mut Archive<'_>) -> Result<String, EpubError> {
    if !archive.has(CONTAINER) {
        return Err(EpubError::Missing {
            entry: CONTAINER.into(),
            what: "every EPUB has one, saying where its package (.opf) is",
        });
    }
    let text = archive.text(CONTAINER)?;
    let rootfiles: Vec<_> = xml::items(CONTAINER, &text)?
        .into_iter()
        .filter_map(|item| match item {
            Item::Open(tag) if tag.name == "rootfile" => Some(tag),
            _ => None,
        })
        .collect();
    let opf = rootfiles
        .iter()
        .find(|t| t.attr("media-type") == Some("application/oebps-package+xml"))
        .or(rootfiles.first())
        .and_then(|t| t.attr("full-path"))
        .ok_or_else(|| EpubError::Invalid {
            entry: CONTAINER.into(),
            message: "names no package document (<rootfile full-path=\"….opf\">)".into(),
        })?;
    let entry =
        path::resolve("", opf).map_err(|_| EpubError::Escapes { entry: CONTAINER.into(), href: opf.to_string() })?;
    if !archive.has(&entry) {
        return Err(EpubError::Missing {
            entry,
            what: "META-INF/container.xml names it as the package document (.opf)",
        });
    }
    Ok(entry)
}
