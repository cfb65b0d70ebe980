//! Placeholder until the normalization module lands: text unchanged.

/// Rewrites `text` into the words a voice should say.
pub fn normalize(text: &str, language: &str) -> String {
    let _ = language;
    text.to_string()
}
