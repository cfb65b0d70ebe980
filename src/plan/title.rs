//! Chapter titles: the heading (or article title) that names a chapter, labelled when the
//! chapter continues a section after a paid block.
//!
//! A paid block that ends inside a section leaves free text after it; that text is a chapter
//! of its own which re-reads the section heading aloud (see [`super::chapters`]). Titled with
//! the bare heading, it would sit in the free episode's chapter list right after the
//! section's first chapter under the same name. So its title says it continues:
//! `Methods (continued)`, `二、方法（续）` in a Chinese article (the article's language,
//! by [`Language::of_text`], the rule that picks its voice). A second continuation of the same
//! section (two paid blocks in it) is `(continued 2)`, `（续2）`, so no two chapters share a
//! title. Only titles change: what is read aloud is the heading, as written.
//!
//! Every published chapter list (manifest, chapter markers, episode cue labels, ID3 chapter
//! frames, chapters JSON, feed notes, the player page, `seedaudio plan`) shows this title.
//! File names do not: they come from the heading alone (`outdir::names::chapter_stem`).

use std::collections::HashMap;

use crate::article::Article;
use crate::plan::chapters::{ChapterKind, Draft};
use crate::text::language::Language;

/// The title of each draft chapter, in order.
pub fn titles(article: &Article, drafts: &[Draft]) -> Vec<String> {
    let chinese = is_chinese(article);
    let mut continuations: HashMap<usize, usize> = HashMap::new();
    drafts
        .iter()
        .map(|draft| {
            let heading = &article.blocks[draft.named_by].text;
            if draft.kind != ChapterKind::Continuation {
                return heading.clone();
            }
            let nth = continuations.entry(draft.named_by).or_insert(0);
            *nth += 1;
            continued(heading, *nth, chinese)
        })
        .collect()
}

/// `heading` labelled as the `nth` (1-based) continuation of its section.
pub fn continued(heading: &str, nth: usize, chinese: bool) -> String {
    match (chinese, nth) {
        (true, 1) => format!("{heading}（续）"),
        (true, n) => format!("{heading}（续{n}）"),
        (false, 1) => format!("{heading} (continued)"),
        (false, n) => format!("{heading} (continued {n})"),
    }
}

fn is_chinese(article: &Article) -> bool {
    let text: String = article.blocks.iter().flat_map(|b| [b.text.as_str(), "\n"]).collect();
    Language::of_text(&text) == Some(Language::Chinese)
}

#[cfg(test)]
mod tests {
    use super::continued;

    #[test]
    fn labels() {
        assert_eq!(continued("二、方法", 1, true), "二、方法（续）");
        assert_eq!(continued("二、方法", 2, true), "二、方法（续2）");
        assert_eq!(continued("Methods", 1, false), "Methods (continued)");
        assert_eq!(continued("Methods", 3, false), "Methods (continued 3)");
    }
}
