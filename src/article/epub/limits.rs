//! Bounds on what a book may make us decompress, so a zip bomb (a small file that inflates to
//! gigabytes) or a zip of millions of entries is refused with a message instead of filling
//! memory. Entries are read through `take()`, never trusting the sizes their headers claim.
//!
//! A real book is far inside them: a 10-hour audiobook is 1–2 MB of text; its largest
//! chapter a few hundred KB of XHTML. Images are never decompressed.

use std::fmt;

/// The bounds on one book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Entries in the zip's directory.
    pub entries: usize,
    /// Bytes one entry may decompress to.
    pub entry_bytes: u64,
    /// Bytes all the entries read may decompress to together.
    pub total_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { entries: 20_000, entry_bytes: 32 << 20, total_bytes: 256 << 20 }
    }
}

/// Which bound a book went past.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Limit {
    Entries {
        found: usize,
        max: usize,
    },
    /// The spine lists more documents than the zip may hold entries.
    Spine {
        found: usize,
        max: usize,
    },
    Entry {
        entry: String,
        max: u64,
    },
    Total {
        entry: String,
        max: u64,
    },
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Entries { found, max } => write!(f, "the zip holds {found} entries, more than the {max} allowed"),
            Limit::Spine { found, max } => write!(f, "the spine lists {found} documents, more than the {max} allowed"),
            Limit::Entry { entry, max } => {
                write!(f, "entry {entry}: decompresses to more than {} MB, the most one entry may", max >> 20)
            }
            Limit::Total { entry, max } => write!(
                f,
                "entry {entry}: the entries read so far decompress to more than {} MB, the most a book may",
                max >> 20
            ),
        }
    }
}
