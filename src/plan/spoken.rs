//! The spoken form of an utterance: the lexicon's replacements, then normalization of
//! numbers and symbols. The written text stays in the manifest and transcripts; the spoken
//! form is what a backend receives (and what the cache key covers).

use crate::plan::lexicon::{Lexicon, Piece};
use crate::text::escape::xml_escape;

/// What a backend is sent for one utterance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spoken {
    /// For plain-text backends.
    pub text: String,
    /// For SSML backends, when a lexicon entry gave markup: escaped text and that markup.
    pub ssml: Option<String>,
}

/// `normalize` is the language to normalize for, or `None` when the voice turns it off.
pub fn spoken_form(text: &str, lexicon: &Lexicon, normalize: Option<&str>) -> Spoken {
    let norm = |s: &str| match normalize {
        Some(language) => crate::normalize::normalize(s, language),
        None => s.to_string(),
    };
    let pieces = lexicon.apply(text);
    let plain: String = pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => norm(t),
            Piece::Say { say, .. } => say.clone(),
        })
        .collect();
    let has_markup = pieces.iter().any(|p| matches!(p, Piece::Say { ssml: Some(_), .. }));
    let ssml = has_markup.then(|| {
        pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => xml_escape(&norm(t)),
                Piece::Say { ssml: Some(markup), .. } => markup.clone(),
                Piece::Say { say, .. } => xml_escape(say),
            })
            .collect()
    });
    Spoken { text: plain, ssml }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::lexicon::Entry;

    #[test]
    fn lexicon_then_escaping() {
        let lexicon = Lexicon::new(vec![
            Entry { text: "XX".into(), say: "某某".into(), ssml: Some("<sub alias=\"某某\">XX</sub>".into()) },
            Entry { text: "Nginx".into(), say: "engine x".into(), ssml: None },
        ])
        .unwrap();
        let s = spoken_form("XX说<好>", &lexicon, None);
        assert_eq!(s.text, "某某说<好>");
        assert_eq!(s.ssml.as_deref(), Some("<sub alias=\"某某\">XX</sub>说&lt;好&gt;"));
        let s = spoken_form("Nginx & co", &lexicon, None);
        assert_eq!((s.text.as_str(), s.ssml), ("engine x & co", None));
    }
}
