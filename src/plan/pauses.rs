//! Silence inserted by seedaudio after each utterance, by what ends there.

use serde::{Deserialize, Serialize};

use super::split::Cut;
use crate::article::BlockKind;

/// Pause lengths in milliseconds. Every field has a default, so a preset's `[pauses]` table
/// may name only the ones it changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Pauses {
    /// After a piece of a long paragraph cut at a sentence end.
    pub sentence_ms: u32,
    /// After a piece cut at a clause mark or at the length limit.
    pub clause_ms: u32,
    /// After a paragraph.
    pub paragraph_ms: u32,
    /// After a lower-level heading.
    pub subheading_ms: u32,
    /// After the title or a chapter heading.
    pub heading_ms: u32,
    /// After the last utterance of a chapter, so chapters played in a row are set apart.
    pub chapter_ms: u32,
}

impl Default for Pauses {
    fn default() -> Self {
        Pauses {
            sentence_ms: 300,
            clause_ms: 150,
            paragraph_ms: 650,
            subheading_ms: 750,
            heading_ms: 900,
            chapter_ms: 1500,
        }
    }
}

impl Pauses {
    /// The pause after a piece of a block of `kind` that was cut as `cut`.
    pub fn after(&self, kind: BlockKind, cut: Cut) -> u32 {
        match cut {
            Cut::Sentence => self.sentence_ms,
            Cut::Clause | Cut::Limit => self.clause_ms,
            Cut::End => match kind {
                BlockKind::Title | BlockKind::Heading => self.heading_ms,
                BlockKind::Subheading => self.subheading_ms,
                BlockKind::Paragraph => self.paragraph_ms,
            },
        }
    }
}
