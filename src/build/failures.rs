//! The error of a build with utterances that could not be synthesized: how many, which
//! chapters were not written, and the first few utterances with where they are in the
//! article, so they can be found and fixed.

use crate::build::chapters::Written;
use crate::build::settings::BuildError;
use crate::plan::Plan;

/// How many failures are listed one by one.
const SHOWN: usize = 10;

/// `None` when every utterance was written.
pub fn failed(plan: &Plan, written: &Written) -> Option<BuildError> {
    if written.failures.is_empty() {
        return None;
    }
    let failed_chapters = written.chapters.iter().filter(|c| c.file.is_none()).count();
    let mut lines: Vec<String> = written
        .failures
        .iter()
        .take(SHOWN)
        .map(|f| {
            let (c, u) =
                &plan.utterances().find(|(_, u)| u.id == f.utterance).expect("failures name planned utterances");
            format!(
                "  {} (chapter {} {:?}, paragraph {}, line {}, \"{}\"): {}",
                u.id,
                c.index,
                c.title,
                u.paragraph,
                u.line,
                first_words(&u.text),
                f.error
            )
        })
        .collect();
    if written.failures.len() > SHOWN {
        lines.push(format!("  … and {} more", written.failures.len() - SHOWN));
    }
    Some(BuildError::Failed {
        count: written.failures.len(),
        total: plan.utterance_count(),
        chapters: failed_chapters,
        list: lines.join("\n"),
    })
}

fn first_words(text: &str) -> String {
    let mut s: String = text.chars().take(24).collect();
    if text.chars().count() > 24 {
        s.push('…');
    }
    s
}
