//! Kokoro-82M's text front end: text → phonemes → token ids, in Rust.
//!
//! Kokoro reads phoneme ids, not text. This module makes them the way the reference pipeline
//! (PyPI `kokoro-onnx` 0.6.1 + `misaki[zh]` 0.9.4, see shared/KOKORO.md) does, and better
//! where that is wrong:
//!
//! - [`zh`]: Mandarin (jieba words, phrase-level pinyin, polyphones, tone sandhi, erhua, tone
//!   arrows), Latin words inside read as English;
//! - [`en`]: English through the built-in eSpeak NG's en-us IPA;
//! - [`vocab`]: the 114-symbol table and the tokenizer;
//! - [`split`]: cutting long phoneme strings under the 510-id limit at sentence or clause ends.
//!
//! A Kokoro engine calls [`Phonemizer::phonemize`], then [`split::split`] with
//! [`vocab::MAX_TOKENS`], then [`vocab::tokenize`] on each piece, and pads each with a 0 on both
//! sides.
//!
//! - [`engine`]: the model under ONNX Runtime (loaded at run time from the install), a pool
//!   of sessions, WAV packaging;
//! - [`backend`]: the `kokoro` backend kind (presets `zh-kokoro`, `en-kokoro`);
//! - [`files`]: the install folder's layout and receipt.

pub mod backend;
pub mod en;
pub mod engine;
pub mod files;
pub mod install;
pub mod split;
pub mod vocab;
pub mod zh;

use std::path::Path;

pub use self::split::split;
pub use self::vocab::{MAX_TOKENS, tokenize};

pub use self::backend::Kokoro;

/// The version of this front end's output, part of every Kokoro cache key: bump it whenever
/// a change here changes the phonemes of some text, so that text is synthesized again.
pub const FRONTEND_VERSION: &str = "2";

/// The language of a text, which decides its front end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Mandarin (simplified or traditional characters).
    Zh,
    /// American English.
    EnUs,
}

/// Both front ends, loaded once and shared by a worker's utterances.
pub struct Phonemizer {
    english: en::English,
    mandarin: zh::Mandarin,
}

impl Phonemizer {
    /// With the built-in pinyin word list only.
    pub fn new(options: zh::Options) -> Result<Self, String> {
        Ok(Phonemizer { english: en::English::new()?, mandarin: zh::Mandarin::new(options) })
    }

    /// With pypinyin's phrase dictionary (`phrases_dict.json`, fetched by the install step).
    pub fn with_phrases(phrases: &Path, options: zh::Options) -> Result<Self, String> {
        Ok(Phonemizer { english: en::English::new()?, mandarin: zh::Mandarin::with_phrases(phrases, options)? })
    }

    /// Text → phonemes in Kokoro's symbols (only symbols of [`vocab::VOCAB`]).
    pub fn phonemize(&self, text: &str, lang: Lang) -> Result<String, String> {
        let phonemes = match lang {
            Lang::Zh => self.mandarin.phonemize(text, &self.english)?,
            Lang::EnUs => self.english.phonemize(text)?,
        };
        Ok(vocab::keep_known(&phonemes))
    }

    /// Text → the id sequences of its model calls, each at most [`MAX_TOKENS`] long (without
    /// the padding zeros).
    pub fn token_batches(&self, text: &str, lang: Lang) -> Result<Vec<Vec<i64>>, String> {
        let phonemes = self.phonemize(text, lang)?;
        Ok(split(&phonemes, MAX_TOKENS).iter().map(|piece| tokenize(piece)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_end_to_end() {
        let phonemizer = Phonemizer::new(zh::Options::default()).unwrap();
        assert_eq!(
            phonemizer.phonemize("Revenge is a kind of wild justice.", Lang::EnUs).unwrap(),
            "ɹᵻvˈɛndʒ ɪz ɐ kˈaɪnd ʌv wˈaɪld dʒˈʌstɪs."
        );
        let zh = phonemizer.phonemize("我们在 LeanCloud 上存储数据。", Lang::Zh).unwrap();
        assert_eq!(zh, "wo↓mən ʦai↘ lˈiːn klˈaʊd ʂa↘ŋ ʦʰwə↗nꭧʰu↓ ʂu↘ʨy↘.");
        let long = "机关干部要着力强化五种意识。".repeat(30);
        let batches = phonemizer.token_batches(&long, Lang::Zh).unwrap();
        assert!(batches.len() > 1);
        assert!(batches.iter().all(|b| !b.is_empty() && b.len() <= MAX_TOKENS));
        assert!(batches.iter().all(|b| b.last() == Some(&4)), "each call ends at a full stop");
    }
}
