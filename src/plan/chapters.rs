//! Grouping an article's blocks into chapters (the README's "The article format" shows them).
//!
//! - The opening is the title and the text before the first heading; with no such text the
//!   title is read at the start of the next chapter instead.
//! - Each section's free text is a chapter. Each paid block is a chapter of its own.
//! - A paid block that starts inside a section re-reads that section's heading first; the
//!   free chapter of that section is kept only if it has body text of its own (otherwise the
//!   heading is simply read once, in the paid chapter).
//! - Sections that begin inside a paid block become markers of the paid chapter.
//! - Free text after a paid block that ends inside a section becomes a chapter that opens
//!   by re-reading the section heading; its title says it continues the section
//!   ([`super::title`]).

use serde::{Deserialize, Serialize};

use crate::article::{Article, Block, BlockKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChapterKind {
    /// The title and the text before the first heading.
    Opening,
    /// A section's free text.
    Section,
    /// Free text that follows a paid block inside the same section.
    Continuation,
    /// A paid block.
    Paid,
}

/// A block as read in a chapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    /// Index into `Article::blocks`.
    pub block: usize,
    /// Read again for context; it was already read in an earlier chapter.
    pub reread: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub kind: ChapterKind,
    /// The paid block (numbered from 0) of a paid chapter.
    pub paid_block: Option<usize>,
    /// The block whose text names the chapter (the title or a heading).
    pub named_by: usize,
    pub items: Vec<Item>,
    /// Items (indices into `items`) where a section starts inside a paid chapter.
    pub markers: Vec<usize>,
}

impl Draft {
    pub fn paid(&self) -> bool {
        self.paid_block.is_some()
    }

    fn new(kind: ChapterKind, paid_block: Option<usize>, named_by: usize, first: Item) -> Self {
        Draft { kind, paid_block, named_by, items: vec![first], markers: Vec::new() }
    }
}

/// Groups the blocks of `article` into chapters in reading order.
pub fn group(article: &Article) -> Vec<Draft> {
    let blocks = &article.blocks;
    let mut drafts: Vec<Draft> = Vec::new();
    // The title or chapter heading whose section we are in.
    let mut section = 0usize;
    for (index, block) in blocks.iter().enumerate() {
        let item = Item { block: index, reread: false };
        let reread_section = Item { block: section, reread: true };
        let open = drafts.last_mut().filter(|d| d.paid_block == block.paid);
        match (block.paid, open) {
            (None, _) if block.starts_chapter() => {
                let kind = if index == 0 { ChapterKind::Opening } else { ChapterKind::Section };
                drafts.push(Draft::new(kind, None, index, item));
            }
            (None, Some(draft)) => draft.items.push(item),
            (None, None) => {
                let mut draft = Draft::new(ChapterKind::Continuation, None, section, reread_section);
                draft.items.push(item);
                drafts.push(draft);
            }
            (Some(_), Some(draft)) => {
                if block.starts_chapter() {
                    draft.markers.push(draft.items.len());
                }
                draft.items.push(item);
            }
            (Some(_), None) if block.starts_chapter() => {
                drafts.push(Draft::new(ChapterKind::Paid, block.paid, index, item));
            }
            (Some(_), None) => {
                let mut draft = Draft::new(ChapterKind::Paid, block.paid, section, reread_section);
                draft.items.push(item);
                drafts.push(draft);
            }
        }
        if block.starts_chapter() {
            section = index;
        }
    }
    fold_heading_only_chapters(drafts, blocks)
}

/// A free chapter that would hold only its heading (and perhaps the title) is not written
/// when the next chapter re-reads that heading: the heading is read there, once. A title
/// with no opening text is likewise read at the start of the next chapter.
fn fold_heading_only_chapters(drafts: Vec<Draft>, blocks: &[Block]) -> Vec<Draft> {
    let mut out: Vec<Draft> = Vec::with_capacity(drafts.len());
    let mut pending: Vec<Item> = Vec::new();
    let mut drafts = drafts.into_iter().peekable();
    while let Some(mut draft) = drafts.next() {
        if !pending.is_empty() {
            let first = draft.items[0];
            if first.reread && pending.iter().any(|p| p.block == first.block) {
                draft.items.remove(0);
                draft.markers.iter_mut().for_each(|m| *m -= 1);
            }
            let shift = pending.len();
            draft.markers.iter_mut().for_each(|m| *m += shift);
            draft.items.splice(0..0, pending.drain(..));
        }
        let no_body = !draft.paid()
            && draft.items.iter().all(|i| i.block == draft.named_by || blocks[i.block].kind == BlockKind::Title);
        let next_rereads_it = drafts
            .peek()
            .is_some_and(|next| next.items[0].reread && draft.items.iter().any(|i| i.block == next.items[0].block));
        let fold = no_body && (next_rereads_it || (draft.kind == ChapterKind::Opening && drafts.peek().is_some()));
        if fold {
            pending = draft.items;
        } else {
            out.push(draft);
        }
    }
    out
}
