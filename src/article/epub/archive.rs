//! The book's zip, read in memory: entries are looked up by their normalised names and
//! decompressed into memory through `take()` within the [`Limits`]; nothing is ever
//! extracted to disk, so no entry name (`../../evil`, `/etc/x`) can write anywhere.

use std::collections::HashSet;
use std::io::{Cursor, Read};

use super::error::EpubError;
use super::limits::{Limit, Limits};

pub struct Archive<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    limits: Limits,
    /// Decompressed bytes read so far.
    total: u64,
    /// Entries META-INF/encryption.xml lists (fonts obfuscated by the publisher are among them
    /// in DRM-free books; they are never read).
    encrypted: HashSet<String>,
}

impl<'a> Archive<'a> {
    pub fn open(bytes: &'a [u8], limits: Limits) -> Result<Archive<'a>, EpubError> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| EpubError::NotZip(e.to_string()))?;
        if zip.len() > limits.entries {
            return Err(EpubError::Limit(Limit::Entries { found: zip.len(), max: limits.entries }));
        }
        let mut archive = Archive { zip, limits, total: 0, encrypted: HashSet::new() };
        if archive.has(ENCRYPTION) {
            let xml = archive.text(ENCRYPTION)?;
            archive.encrypted = super::xml::cipher_references(ENCRYPTION, &xml)?;
        }
        Ok(archive)
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    pub fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// An entry's bytes, decompressed within the limits.
    pub fn bytes(&mut self, name: &str) -> Result<Vec<u8>, EpubError> {
        if self.encrypted.contains(name) {
            return Err(EpubError::Encrypted { entry: name.into() });
        }
        let unreadable =
            |e: &dyn std::fmt::Display| EpubError::Unreadable { entry: name.into(), message: e.to_string() };
        let mut file = match self.zip.by_name(name) {
            Ok(file) => file,
            Err(zip::result::ZipError::FileNotFound) => {
                return Err(EpubError::Missing { entry: name.into(), what: "the book's package names it" });
            }
            // A password-protected zip entry: DRM by another name.
            Err(zip::result::ZipError::UnsupportedArchive(why)) if why == zip::result::ZipError::PASSWORD_REQUIRED => {
                return Err(EpubError::Encrypted { entry: name.into() });
            }
            Err(e) => return Err(unreadable(&e)),
        };
        if file.encrypted() {
            return Err(EpubError::Encrypted { entry: name.into() });
        }
        let room = self.limits.entry_bytes.min(self.limits.total_bytes - self.total);
        let mut out = Vec::new();
        (&mut file).take(room + 1).read_to_end(&mut out).map_err(|e| unreadable(&e))?;
        if out.len() as u64 > room {
            return Err(EpubError::Limit(if room == self.limits.entry_bytes {
                Limit::Entry { entry: name.into(), max: self.limits.entry_bytes }
            } else {
                Limit::Total { entry: name.into(), max: self.limits.total_bytes }
            }));
        }
        self.total += out.len() as u64;
        Ok(out)
    }

    /// An entry as text: UTF-8 (a BOM dropped) or UTF-16 with a BOM, as EPUB allows.
    pub fn text(&mut self, name: &str) -> Result<String, EpubError> {
        let bytes = self.bytes(name)?;
        let encoding = encoding_rs::Encoding::for_bom(&bytes).map_or(encoding_rs::UTF_8, |(e, _)| e);
        let (text, _, had_errors) = encoding.decode(&bytes);
        if had_errors {
            return Err(EpubError::Invalid {
                entry: name.into(),
                message: format!("is not valid {} text, as EPUB requires", encoding.name()),
            });
        }
        Ok(text.into_owned())
    }
}

pub const ENCRYPTION: &str = "META-INF/encryption.xml";
