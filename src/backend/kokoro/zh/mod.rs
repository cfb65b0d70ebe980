//! Mandarin text → Kokoro phonemes.
//!
//! The pipeline, after the reference (misaki 0.9.4 `ZHG2P`, which Kokoro v1.0 was trained
//! with) where it is right and better where it is not:
//!
//! 1. Chinese punctuation → the vocabulary's (，→`,` 。→`.` ：→`:` 、→`,` 《》→“ ”, …).
//! 2. Runs of Chinese characters (including 〇, which the reference skipped) are cut into
//!    words with jieba (crate `jieba-rs`, its dictionary compiled in; the same dictionary and
//!    algorithm as the reference's Python jieba). A run of numeral words is read as one word.
//! 3. Each word gets its pinyin from the phrase dictionary ([`dict`]): the whole word, else its
//!    longest known pieces, else character by character.
//! 4. Polyphones standing alone as words are read from their neighbours (得 děi before a verb,
//!    还 huán before a noun, 长 cháng after 很, 地 as a particle, …): [`polyphone`].
//! 5. Erhua (哪儿, 一点儿) joins the 儿 to the syllable before it.
//! 6. Tone sandhi (不, 一, third tones): [`sandhi`]. The reference applies none beyond what its
//!    dictionary spells; [`Options::tone_sandhi`] turns ours off to compare.
//! 7. Each syllable in Kokoro's symbols ([`syllable`]); words separated by spaces, syllables of
//!    a word run together, as in the reference.
//!
//! Latin-script words inside Chinese are read by the English front end (acronyms as letter
//! names), never dropped. ASCII digits that the normalizer left are read digit by digit.

pub mod dict;
pub mod polyphone;
pub mod sandhi;
pub mod syllable;

use std::path::Path;

use jieba_rs::Jieba;

use self::dict::PinyinDict;
use self::sandhi::Word;
use super::en::English;
use super::vocab;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Apply the 不 / 一 / third-tone rules (on by default).
    pub tone_sandhi: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { tone_sandhi: true }
    }
}

pub struct Mandarin {
    jieba: Jieba,
    dict: PinyinDict,
    options: Options,
}

/// A piece of the input after punctuation mapping.
#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    Han(&'a str),
    Latin(&'a str),
    Other(&'a str),
}

impl Mandarin {
    /// With the built-in word list only (no phrase file).
    pub fn new(options: Options) -> Self {
        Mandarin { jieba: Jieba::new(), dict: PinyinDict::built_in(), options }
    }

    /// With pypinyin's phrase dictionary (`phrases_dict.json`) read from `path`.
    pub fn with_phrases(path: &Path, options: Options) -> Result<Self, String> {
        let mut mandarin = Mandarin::new(options);
        mandarin.dict.load_phrases(path)?;
        Ok(mandarin)
    }

    /// With phrases given as the JSON text of a pypinyin-style phrase file.
    pub fn with_phrases_json(json: &str, options: Options) -> Result<Self, String> {
        let mut mandarin = Mandarin::new(options);
        mandarin.dict.load_phrases_json(json)?;
        Ok(mandarin)
    }

    /// Chinese text (numbers already written as Chinese words) → Kokoro phonemes. Latin-script
    /// words go to `english`.
    pub fn phonemize(&self, text: &str, english: &English) -> Result<String, String> {
        let text = map_punctuation(text);
        let mut out = String::new();
        for piece in pieces(&text) {
            let phonemes = match piece {
                Piece::Han(run) => self.han(run),
                Piece::Latin(run) => english.phonemize_embedded(run)?,
                Piece::Other(other) => vocab::keep_known(other),
            };
            // Words of different scripts written together ("在LeanCloud上") stay apart.
            let word = !matches!(piece, Piece::Other(_));
            if word && out.chars().last().is_some_and(|c| c.is_alphanumeric() || is_arrow(c) || c == 'ː') {
                out.push(' ');
            }
            out.push_str(&phonemes);
        }
        Ok(out.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" "))
    }

    /// One run of Chinese characters.
    fn han(&self, run: &str) -> String {
        let tagged = self.jieba.tag(run, true);
        let mut tokens: Vec<(String, String)> =
            tagged.iter().map(|t| (t.word.to_string(), t.tag.to_string())).collect();
        merge_numerals(&mut tokens);
        // Units: a word the phrase dictionary knows, else its longest known pieces, else its
        // characters; each unit remembers its word. A unit of one character the dictionary
        // does not know as a word is read from its neighbours when it is a polyphone.
        struct Unit<'a> {
            text: &'a str,
            tag: &'a str,
            word: usize,
            known: bool,
        }
        let mut units: Vec<Unit> = Vec::new();
        for (w, (word, tag)) in tokens.iter().enumerate() {
            if self.dict.phrase(word).is_some() {
                units.push(Unit { text: word, tag, word: w, known: true });
                continue;
            }
            for piece in self.dict.segment(word) {
                let known = self.dict.phrase(piece).is_some();
                let tag = if piece == word { tag.as_str() } else { "" };
                units.push(Unit { text: piece, tag, word: w, known });
            }
        }
        let mut words: Vec<Word> =
            tokens.iter().map(|(word, _)| Word { chars: word.chars().collect(), syllables: Vec::new() }).collect();
        for (i, unit) in units.iter().enumerate() {
            let syllables = &mut words[unit.word].syllables;
            if let Some(known) = self.dict.phrase(unit.text).filter(|_| unit.known) {
                syllables.extend_from_slice(known);
                continue;
            }
            let mut chars = unit.text.chars();
            let whole_word = unit.text == tokens[unit.word].0;
            if let (Some(c), None) = (chars.next(), chars.next())
                && (whole_word || polyphone::ruled_inside_words(c, tokens[unit.word].0.starts_with(unit.text)))
            {
                // A neighbour in another word is that whole word, with its tag.
                let neighbour = |j: usize| {
                    let other = &units[j];
                    if other.word == unit.word {
                        (other.text, other.tag)
                    } else {
                        (tokens[other.word].0.as_str(), tokens[other.word].1.as_str())
                    }
                };
                let prev = i.checked_sub(1).map(neighbour);
                let next = (i + 1 < units.len()).then(|| neighbour(i + 1));
                if let Some(reading) = polyphone::standalone(c, prev, next).or_else(|| PinyinDict::reading(c)) {
                    syllables.push(reading);
                }
                continue;
            }
            syllables.extend(unit.text.chars().filter_map(PinyinDict::reading));
        }
        for word in &mut words {
            if word.syllables.len() != word.chars.len() {
                // A character without a reading: keep the syllables, lose the alignment.
                word.chars.clear();
            }
        }
        if self.options.tone_sandhi {
            sandhi::apply(&mut words);
        }
        words.iter().map(render).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
    }
}

fn is_arrow(c: char) -> bool {
    matches!(c, '→' | '↗' | '↓' | '↘')
}

/// A word's syllables in Kokoro symbols, erhua joined to the syllable before.
fn render(word: &Word) -> String {
    let mut out = String::new();
    for (i, syllable) in word.syllables.iter().enumerate() {
        let is_er = word.chars.get(i) == Some(&'儿') && syllable.base == "er";
        if is_er && i > 0 && i + 1 == word.syllables.len() && erhua_word(&word.chars) {
            out.push('ɚ');
        } else {
            out.push_str(&syllable.to_kokoro());
        }
    }
    out
}

/// Whether a word's final 儿 is the erhua suffix (哪儿, 一点儿, 好玩儿) rather than the
/// morpheme "child" (女儿, 婴儿, 孤儿).
fn erhua_word(chars: &[char]) -> bool {
    const CHILD: [&str; 12] =
        ["女儿", "婴儿", "孤儿", "幼儿", "胎儿", "健儿", "男儿", "宠儿", "患儿", "乳儿", "孩儿", "儿儿"];
    let word: String = chars.iter().collect();
    chars.len() >= 2 && !CHILD.iter().any(|c| word.ends_with(c))
}

/// Consecutive words made only of numerals (二 / 〇 / 二三年) are read as one word: a word of
/// numerals takes the next one when that is numerals too, or numerals and one counted unit.
fn merge_numerals(tokens: &mut Vec<(String, String)>) {
    const NUMERALS: &str = "〇零一二三四五六七八九十百千万亿两";
    const UNITS: &str = "年月日号点个岁";
    let numeral = |w: &str| !w.is_empty() && w.chars().all(|c| NUMERALS.contains(c));
    let numeral_and_unit = |w: &str| numeral(w) || w.strip_suffix(|c| UNITS.contains(c)).is_some_and(numeral);
    let mut merged: Vec<(String, String)> = Vec::with_capacity(tokens.len());
    for (word, tag) in tokens.drain(..) {
        match merged.last_mut() {
            Some((prev, _)) if numeral(prev) && numeral_and_unit(&word) => prev.push_str(&word),
            _ => merged.push((word, tag)),
        }
    }
    *tokens = merged;
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '〇')
}

/// Chinese and full-width punctuation → Kokoro's, with a space after, as the reference does;
/// ASCII digits → Chinese digits.
fn map_punctuation(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '、' | '，' | '､' => out.push_str(", "),
            '。' | '．' | '｡' => out.push_str(". "),
            '！' => out.push_str("! "),
            '？' => out.push_str("? "),
            '：' => out.push_str(": "),
            '；' => out.push_str("; "),
            '（' => out.push_str(" ("),
            '）' => out.push_str(") "),
            '«' | '《' | '「' | '『' | '【' | '〈' => out.push_str(" “"),
            '»' | '》' | '」' | '』' | '】' | '〉' => out.push_str("” "),
            '‘' => out.push('“'),
            '’' => out.push('”'),
            '—' | '－' | '～' | '~' => out.push('—'),
            '…' | '⋯' => out.push('…'),
            '·' | '・' => out.push(' '),
            '\n' | '\r' | '\t' | '\u{3000}' => out.push(' '),
            '0'..='9' => out.push("〇一二三四五六七八九".chars().nth(c as usize - '0' as usize).expect("digit")),
            _ => out.push(c),
        }
    }
    // Runs of "——", "……" and spaces become one each.
    let mut squeezed = String::with_capacity(out.len());
    for c in out.chars() {
        if matches!(c, '…' | '—' | ' ') && squeezed.ends_with(c) {
            continue;
        }
        squeezed.push(c);
    }
    squeezed.trim().to_string()
}

/// Cuts text into runs of Chinese characters, of Latin-script words (with the spaces, digits,
/// apostrophes, dots and hyphens inside them), and of anything else.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    #[derive(PartialEq, Clone, Copy)]
    enum Kind {
        Han,
        Latin,
        Other,
    }
    let kind = |c: char| {
        if is_han(c) {
            Kind::Han
        } else if c.is_ascii_alphanumeric() {
            Kind::Latin
        } else {
            Kind::Other
        }
    };
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut current: Option<Kind> = None;
    for (i, &(at, c)) in chars.iter().enumerate() {
        let mut k = kind(c);
        // Joiners inside a Latin run: "don't", "Node.js", "e-mail", "Visual Studio".
        if k == Kind::Other
            && current == Some(Kind::Latin)
            && matches!(c, '\'' | '.' | '-' | ' ' | '’')
            && chars.get(i + 1).is_some_and(|&(_, n)| n.is_ascii_alphanumeric())
        {
            k = Kind::Latin;
        }
        if current != Some(k) {
            if let Some(previous) = current {
                pieces.push(make(previous, &text[start..at]));
            }
            start = at;
            current = Some(k);
        }
    }
    if let Some(previous) = current {
        pieces.push(make(previous, &text[start..]));
    }
    fn make(kind: Kind, s: &str) -> Piece<'_> {
        match kind {
            Kind::Han => Piece::Han(s),
            Kind::Latin => Piece::Latin(s),
            Kind::Other => Piece::Other(s),
        }
    }
    pieces
}

#[cfg(test)]
mod tests;
