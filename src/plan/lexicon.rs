//! The pronunciation lexicon: words and phrases → what to say.
//!
//! Entries come from the voice preset (`[[lexicon]]` tables) and from `--lexicon FILE` (a TOML
//! file of `[[entry]]` tables with the same fields). They are applied in planning, after
//! splitting, so the manifest and transcripts keep the article's own text while the backend
//! gets the spoken form.
//!
//! ```toml
//! [[entry]]
//! text = "XX"                                  # what the article says
//! say = "某某"                                  # what plain-text backends get
//! ssml = "<sub alias='某某'>XX</sub>"           # optional: what SSML backends (azure) get
//! ```
//!
//! Matching: longest entry first; an entry that starts or ends with a Latin letter or digit
//! matches only as a whole word (`AI` does not match inside `RAIN`); CJK text matches anywhere.

use std::path::Path;

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub text: String,
    pub say: String,
    #[serde(default)]
    pub ssml: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lexicon {
    /// Longest `text` first.
    entries: Vec<Entry>,
}

/// A piece of spoken text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text as written (still to be normalized).
    Text(String),
    /// A lexicon replacement.
    Say { say: String, ssml: Option<String> },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    entry: Vec<Entry>,
}

impl Lexicon {
    pub fn new(mut entries: Vec<Entry>) -> Result<Lexicon, String> {
        for e in &entries {
            if e.text.trim().is_empty() {
                return Err("a lexicon entry has an empty `text`".into());
            }
            if let Some(ssml) = &e.ssml
                && !ssml.trim_start().starts_with('<')
            {
                return Err(format!(
                    "lexicon entry {:?}: `ssml` should be markup such as <sub alias='…'>…</sub>",
                    e.text
                ));
            }
        }
        entries.sort_by_key(|e| std::cmp::Reverse(e.text.chars().count()));
        Ok(Lexicon { entries })
    }

    /// Reads a `--lexicon` file.
    pub fn load(path: &Path) -> Result<Vec<Entry>, String> {
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read the lexicon: {e}", path.display()))?;
        let file: File = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(file.entry)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Cuts `text` into pieces at every lexicon match.
    pub fn apply(&self, text: &str) -> Vec<Piece> {
        let mut pieces = Vec::new();
        let mut plain = String::new();
        let mut rest = text;
        'outer: while !rest.is_empty() {
            for e in &self.entries {
                if rest.starts_with(&e.text) && self.whole_word(text, text.len() - rest.len(), &e.text) {
                    if !plain.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut plain)));
                    }
                    pieces.push(Piece::Say { say: e.say.clone(), ssml: e.ssml.clone() });
                    rest = &rest[e.text.len()..];
                    continue 'outer;
                }
            }
            let c = rest.chars().next().expect("not empty");
            plain.push(c);
            rest = &rest[c.len_utf8()..];
        }
        if !plain.is_empty() {
            pieces.push(Piece::Text(plain));
        }
        pieces
    }

    fn whole_word(&self, text: &str, at: usize, word: &str) -> bool {
        let wordish = |c: char| c.is_ascii_alphanumeric();
        let starts_latin = word.chars().next().is_some_and(wordish);
        let ends_latin = word.chars().last().is_some_and(wordish);
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        let glued_before = starts_latin && before.is_some_and(wordish);
        let glued_after = ends_latin && after.is_some_and(wordish);
        !glued_before && !glued_after
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> Lexicon {
        Lexicon::new(vec![
            Entry { text: "XX".into(), say: "某某".into(), ssml: Some("<sub alias='某某'>XX</sub>".into()) },
            Entry { text: "AI".into(), say: "A.I.".into(), ssml: None },
            Entry { text: "人工智能AI".into(), say: "人工智能".into(), ssml: None },
        ])
        .unwrap()
    }

    #[test]
    fn replaces_whole_words_longest_first() {
        use Piece::*;
        assert_eq!(
            lex().apply("XX机关"),
            vec![Say { say: "某某".into(), ssml: Some("<sub alias='某某'>XX</sub>".into()) }, Text("机关".into())]
        );
        assert_eq!(
            lex().apply("RAIN and AI."),
            vec![Text("RAIN and ".into()), Say { say: "A.I.".into(), ssml: None }, Text(".".into())]
        );
        assert_eq!(
            lex().apply("人工智能AI时代"),
            vec![Say { say: "人工智能".into(), ssml: None }, Text("时代".into())]
        );
        assert_eq!(lex().apply("no match"), vec![Text("no match".into())]);
    }

    #[test]
    fn bad_entries_are_refused() {
        assert!(Lexicon::new(vec![Entry { text: " ".into(), say: "x".into(), ssml: None }]).is_err());
        assert!(Lexicon::new(vec![Entry { text: "a".into(), say: "x".into(), ssml: Some("plain".into()) }]).is_err());
    }
}
