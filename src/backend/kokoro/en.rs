//! English text → Kokoro phonemes, as the reference pipeline (PyPI `kokoro-onnx` 0.6.1) makes
//! them: eSpeak NG's IPA for voice `en-us`, stress marks and punctuation kept, clause breaks
//! flattened to spaces, then every symbol outside Kokoro's vocabulary dropped (hyphens, tie
//! bars, line breaks). kokoro-onnx applies no other replacement; misaki's espeak fallback does
//! (`ɚ` → `əɹ`, diphthongs → `A I O W Y`, `r` → `ɹ`, …), but only to write misaki's own
//! phoneme set, which kokoro-onnx does not use, so neither do we.
//!
//! The IPA comes from the built-in eSpeak NG engine (crate `espeak-ng`, its `en` data bundled
//! in the binary): `text_to_phonemes_phonemizer` gives the same string as the espeak-ng
//! program through the `phonemizer` package for both reference vectors. No external program.
//!
//! Also here: letter names for acronyms read inside Chinese (`CSS` → `sˌiːˌɛsˈɛs`).

use std::sync::Mutex;

use espeak_ng::EspeakNg;

use crate::backend::espeak::bundled::{self, Bundled};

use super::vocab;

/// The eSpeak NG engine for en-us, with its data unpacked once for this process.
pub struct English {
    /// The bundled data, unpacked ([`crate::backend::espeak::bundled`]).
    data: Bundled,
    /// Idle engines; each call takes one (or makes one), so threads never share an engine.
    pool: Mutex<Vec<EspeakNg>>,
}

impl English {
    pub fn new() -> Result<Self, String> {
        let data = bundled::unpacked()?;
        let english = English { data, pool: Mutex::new(Vec::new()) };
        let engine = english.engine()?;
        english.put_back(engine);
        Ok(english)
    }

    fn engine(&self) -> Result<EspeakNg, String> {
        EspeakNg::with_data_dir("en-us", self.data.path())
            .map_err(|e| format!("the built-in eSpeak NG has no en-us voice: {e}"))
    }

    fn put_back(&self, engine: EspeakNg) {
        self.pool.lock().unwrap_or_else(|p| p.into_inner()).push(engine);
    }

    /// English text → phonemes in Kokoro's vocabulary.
    pub fn phonemize(&self, text: &str) -> Result<String, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(String::new());
        }
        let idle = self.pool.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let engine = match idle {
            Some(engine) => engine,
            None => self.engine()?,
        };
        let ipa = engine.text_to_phonemes_phonemizer(text);
        self.put_back(engine);
        let ipa = ipa.map_err(|e| format!("eSpeak NG could not phonemize {text:?}: {e}"))?;
        Ok(clean(&ipa))
    }

    /// A run of Latin-script words met inside Chinese text: acronyms (`CSS`, `API`) read as
    /// letter names, camel-case names split into their words (`LeanCloud` → Lean Cloud),
    /// everything else read as English.
    pub fn phonemize_embedded(&self, run: &str) -> Result<String, String> {
        let mut out: Vec<String> = Vec::new();
        let mut words = String::new();
        for piece in run.split_whitespace().flat_map(split_camel_case) {
            if is_acronym(&piece) {
                if !words.is_empty() {
                    out.push(self.phonemize(&words)?);
                    words.clear();
                }
                out.push(spell(&piece));
            } else {
                if !words.is_empty() {
                    words.push(' ');
                }
                words.push_str(&piece);
            }
        }
        if !words.is_empty() {
            out.push(self.phonemize(&words)?);
        }
        Ok(out.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" "))
    }
}

/// eSpeak's IPA with what Kokoro cannot read removed and spaces collapsed.
fn clean(ipa: &str) -> String {
    let known = vocab::keep_known(&ipa.replace(['\n', '\t'], " "));
    known.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// `LeanCloud` → [Lean, Cloud]; `HTMLParser` → [HTML, Parser]; `iOS` → [i, OS].
fn split_camel_case(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut parts = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let boundary = match prev {
            Some(p) if c.is_ascii_uppercase() => {
                p.is_ascii_lowercase() || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            }
            Some(p) => {
                p.is_ascii_digit() != c.is_ascii_digit() && c.is_ascii_alphanumeric() && p.is_ascii_alphanumeric()
            }
            None => false,
        };
        if boundary && !current.is_empty() {
            parts.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts
}

/// Two or more capitals and nothing else (`CSS`, `API`, `HTML`), or a word with no vowel
/// letter at all (`npm`, `CPU` already counted).
fn is_acronym(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_ascii_alphabetic()).collect();
    if letters.is_empty() || letters.len() != word.chars().filter(|c| !matches!(c, '.' | '\'')).count() {
        return false;
    }
    let all_caps = letters.len() >= 2 && letters.iter().all(|c| c.is_ascii_uppercase());
    let no_vowel = letters.len() >= 2 && !letters.iter().any(|c| "aeiouyAEIOUY".contains(*c));
    all_caps || no_vowel
}

/// Letter names as eSpeak NG en-us says them: secondary stress on each but the last, primary
/// on the last (`CSS` → `sˌiːˌɛsˈɛs`).
pub fn spell(word: &str) -> String {
    let letters: Vec<(&str, &str)> = word.chars().filter_map(letter_name).collect();
    let mut out = String::new();
    for (i, (onset, rest)) in letters.iter().enumerate() {
        out.push_str(onset);
        out.push(if i + 1 == letters.len() { 'ˈ' } else { 'ˌ' });
        out.push_str(rest);
    }
    out
}

/// (consonants before the stressed vowel, the rest) of a letter's en-us name.
fn letter_name(c: char) -> Option<(&'static str, &'static str)> {
    Some(match c.to_ascii_lowercase() {
        'a' => ("", "eɪ"),
        'b' => ("b", "iː"),
        'c' => ("s", "iː"),
        'd' => ("d", "iː"),
        'e' => ("", "iː"),
        'f' => ("", "ɛf"),
        'g' => ("dʒ", "iː"),
        'h' => ("", "eɪtʃ"),
        'i' => ("", "aɪ"),
        'j' => ("dʒ", "eɪ"),
        'k' => ("k", "eɪ"),
        'l' => ("", "ɛl"),
        'm' => ("", "ɛm"),
        'n' => ("", "ɛn"),
        'o' => ("", "oʊ"),
        'p' => ("p", "iː"),
        'q' => ("kj", "uː"),
        'r' => ("", "ɑːɹ"),
        's' => ("", "ɛs"),
        't' => ("t", "iː"),
        'u' => ("j", "uː"),
        'v' => ("v", "iː"),
        'w' => ("d", "ʌbəljuː"),
        'x' => ("", "ɛks"),
        'y' => ("w", "aɪ"),
        'z' => ("z", "iː"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    pub(crate) static ENGLISH: LazyLock<English> = LazyLock::new(|| English::new().unwrap());

    #[test]
    fn the_reference_vectors() {
        assert_eq!(
            ENGLISH.phonemize("The quick brown fox jumps over the lazy dog.").unwrap(),
            "ðə kwˈɪk bɹˈaʊn fˈɑːks dʒˈʌmps ˌoʊvɚ ðə lˈeɪzi dˈɑːɡ."
        );
        assert_eq!(
            ENGLISH.phonemize("Revenge is a kind of wild justice.").unwrap(),
            "ɹᵻvˈɛndʒ ɪz ɐ kˈaɪnd ʌv wˈaɪld dʒˈʌstɪs."
        );
    }

    #[test]
    fn punctuation_is_kept_and_unknown_symbols_dropped() {
        let out = ENGLISH.phonemize("Hello, world! Is it (really) “quoted”? Well-known.").unwrap();
        assert_eq!(out, "həlˈoʊ, wˈɜːld! ɪz ɪt (ɹˈiəli) “kwˈoʊɾᵻd”? wˈɛlnˈoʊn.");
        assert_eq!(vocab::keep_known(&out), out);
        assert_eq!(ENGLISH.phonemize("  ").unwrap(), "");
    }

    #[test]
    fn acronyms_are_spelled_and_camel_case_split() {
        assert_eq!(spell("CSS"), "sˌiːˌɛsˈɛs");
        assert_eq!(ENGLISH.phonemize("CSS").unwrap(), "sˌiːˌɛsˈɛs", "same as eSpeak's own spelling");
        assert_eq!(ENGLISH.phonemize_embedded("CSS").unwrap(), "sˌiːˌɛsˈɛs");
        assert_eq!(ENGLISH.phonemize_embedded("LeanCloud").unwrap(), "lˈiːn klˈaʊd");
        assert_eq!(split_camel_case("HTMLParser"), vec!["HTML", "Parser"]);
        assert_eq!(split_camel_case("iOS"), vec!["i", "OS"]);
        assert_eq!(split_camel_case("H5"), vec!["H", "5"]);
        assert!(is_acronym("API") && is_acronym("npm") && !is_acronym("Cloud") && !is_acronym("a"));
        let api = ENGLISH.phonemize_embedded("API Gateway").unwrap();
        assert!(api.starts_with("ˌeɪpˌiːˈaɪ "), "{api}");
    }
}
