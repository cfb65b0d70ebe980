//! Reference definitions (`[label]: destination`): which labels a document defines, so that
//! `[text][label]` and `[label]` read as links, and which lines are definitions to drop.

use std::collections::HashSet;

use super::classify::leading_columns;

/// `[label]: destination "title"` with an ASCII destination.
pub(super) fn is_reference_definition(body: &str) -> bool {
    reference_label(body).is_some()
}

fn reference_label(body: &str) -> Option<String> {
    let rest = body.strip_prefix('[')?;
    if rest.starts_with('^') {
        return None;
    }
    let close = rest.find("]:")?;
    let label = &rest[..close];
    if label.trim().is_empty() || label.contains(['[', ']']) {
        return None;
    }
    let after = rest[close + 2..].trim_start();
    let dest_len = after.find(char::is_whitespace).unwrap_or(after.len());
    let (dest, title) = after.split_at(dest_len);
    let title = title.trim();
    let title_ok = title.is_empty()
        || (title.len() >= 2
            && [('"', '"'), ('\'', '\''), ('(', ')')].iter().any(|&(a, b)| title.starts_with(a) && title.ends_with(b)));
    (!dest.is_empty() && dest.is_ascii() && title_ok).then(|| normalize_label(label))
}

/// A label as compared: white space collapsed, lower case.
pub(super) fn normalize_label(label: &str) -> String {
    label.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The labels `lines` define.
pub(super) fn reference_labels(lines: &[&str]) -> HashSet<String> {
    lines.iter().filter(|l| leading_columns(l) <= 3).filter_map(|l| reference_label(l.trim_start())).collect()
}
