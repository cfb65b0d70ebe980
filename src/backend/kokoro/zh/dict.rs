//! Pinyin data: the readings of single characters and of words.
//!
//! - **Characters**: crate `pinyin` 0.11 (MIT; mozillazg's pinyin-data, the same data as
//!   pypinyin's `pinyin_dict`), compiled in, every reading of each character with the usual one
//!   first. 〇 reads líng.
//! - **Words** (phrase-level readings, what decides 长大 zhǎng dà vs 长度 cháng dù): pypinyin's
//!   phrase dictionary, `pypinyin/phrases_dict.json` in the PyPI wheel `pypinyin` (0.55.0:
//!   2.5 MB, about 47,000 words; MIT), the data the reference pipeline (misaki) reads. It is
//!   not compiled in: the Kokoro install step fetches the wheel (`pip download --no-deps
//!   pypinyin==0.55.0`), extracts that one file and [`PinyinDict::load_phrases`] reads it
//!   (about 50 ms). Without it a small built-in list of common polyphone words (written here,
//!   [`BUILT_IN`]) still gets the commonest words right.

use std::collections::HashMap;
use std::path::Path;

use pinyin::ToPinyinMulti;

use super::syllable::Syllable;

#[derive(Debug, Default)]
pub struct PinyinDict {
    phrases: HashMap<String, Vec<Syllable>>,
    /// Longest phrase, in characters.
    longest: usize,
}

/// Common words whose reading a character-by-character look-up gets wrong; used when no
/// phrase file is loaded and for words the file lacks. Tone numbers, 5 = neutral.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("长大", "zhang3 da4"),
    ("成长", "cheng2 zhang3"),
    ("增长", "zeng1 zhang3"),
    ("生长", "sheng1 zhang3"),
    ("长度", "chang2 du4"),
    ("长期", "chang2 qi1"),
    ("长城", "chang2 cheng2"),
    ("很长", "hen3 chang2"),
    ("重要", "zhong4 yao4"),
    ("重新", "chong2 xin1"),
    ("重复", "chong2 fu4"),
    ("重庆", "chong2 qing4"),
    ("银行", "yin2 hang2"),
    ("行业", "hang2 ye4"),
    ("行走", "xing2 zou3"),
    ("行为", "xing2 wei2"),
    ("了解", "liao3 jie3"),
    ("为了", "wei4 le5"),
    ("还是", "hai2 shi4"),
    ("还有", "hai2 you3"),
    ("归还", "gui1 huan2"),
    ("得到", "de2 dao4"),
    ("觉得", "jue2 de5"),
    ("记得", "ji4 de5"),
    ("不要", "bu4 yao4"),
    ("一个", "yi1 ge4"),
    ("一样", "yi1 yang4"),
    ("第一", "di4 yi1"),
    ("我们", "wo3 men5"),
    ("你们", "ni3 men5"),
    ("他们", "ta1 men5"),
    ("什么", "shen2 me5"),
    ("这个", "zhe4 ge5"),
    ("那个", "na4 ge5"),
    ("东西", "dong1 xi5"),
    ("意识", "yi4 shi2"),
    ("知识", "zhi1 shi5"),
    ("认识", "ren4 shi5"),
    ("着力", "zhuo2 li4"),
    ("着急", "zhao2 ji2"),
    ("睡着", "shui4 zhao2"),
    ("因为", "yin1 wei4"),
    ("成为", "cheng2 wei2"),
    ("认为", "ren4 wei2"),
    ("作为", "zuo4 wei2"),
    ("都市", "du1 shi4"),
    ("首都", "shou3 du1"),
    ("目的", "mu4 di4"),
    ("的确", "di2 que4"),
    ("地方", "di4 fang5"),
    ("干部", "gan4 bu4"),
    ("使用", "shi3 yong4"),
    ("数据", "shu4 ju4"),
    ("存储", "cun2 chu3"),
    ("音乐", "yin1 yue4"),
    ("快乐", "kuai4 le4"),
    ("觉悟", "jue2 wu4"),
    ("睡觉", "shui4 jiao4"),
    ("哪儿", "nar3"),
    ("这儿", "zher4"),
    ("那儿", "nar4"),
    ("一点儿", "yi1 dianr3"),
    ("好玩儿", "hao3 wanr2"),
];

impl PinyinDict {
    /// The built-in word list only.
    pub fn built_in() -> Self {
        let mut dict = PinyinDict::default();
        for (word, readings) in BUILT_IN {
            let syllables: Option<Vec<Syllable>> = readings.split(' ').map(Syllable::parse).collect();
            if let Some(syllables) = syllables {
                dict.insert(word, syllables);
            }
        }
        dict
    }

    fn insert(&mut self, word: &str, syllables: Vec<Syllable>) {
        self.longest = self.longest.max(word.chars().count());
        self.phrases.insert(word.to_string(), syllables);
    }

    /// Adds pypinyin's `phrases_dict.json` (`{"word": [["zhǎng"], ["dà"]], …}`, first reading
    /// of each character used). Words already known keep the reading of the file; entries
    /// whose syllable count does not match the word are skipped. Returns how many were read.
    pub fn load_phrases(&mut self, path: &Path) -> Result<usize, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the pinyin phrase dictionary {}: {e}", path.display()))?;
        self.load_phrases_json(&text)
            .map_err(|e| format!("the pinyin phrase dictionary {} is damaged: {e}", path.display()))
    }

    pub fn load_phrases_json(&mut self, json: &str) -> Result<usize, String> {
        let raw: HashMap<String, Vec<Vec<String>>> = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let mut read = 0;
        for (word, readings) in raw {
            if readings.len() != word.chars().count() {
                continue;
            }
            let syllables: Option<Vec<Syllable>> =
                readings.iter().map(|r| r.first().and_then(|p| Syllable::parse(p))).collect();
            if let Some(syllables) = syllables {
                self.insert(&word, syllables);
                read += 1;
            }
        }
        Ok(read)
    }

    pub fn phrase(&self, word: &str) -> Option<&[Syllable]> {
        self.phrases.get(word).map(Vec::as_slice)
    }

    /// Splits `word` into the longest known phrases from the left (single characters where
    /// none starts), as pypinyin does inside a word.
    pub fn segment<'w>(&self, word: &'w str) -> Vec<&'w str> {
        let starts: Vec<usize> = word.char_indices().map(|(i, _)| i).chain([word.len()]).collect();
        let mut pieces = Vec::new();
        let mut at = 0;
        while at + 1 < starts.len() {
            let mut end = at + 1;
            let limit = (at + self.longest).min(starts.len() - 1);
            for candidate in (at + 2..=limit).rev() {
                if self.phrases.contains_key(&word[starts[at]..starts[candidate]]) {
                    end = candidate;
                    break;
                }
            }
            pieces.push(&word[starts[at]..starts[end]]);
            at = end;
        }
        pieces
    }

    /// Every reading of one character, the usual one first.
    pub fn readings(c: char) -> Vec<Syllable> {
        if c == '〇' {
            return vec![Syllable::new("ling", 2)];
        }
        c.to_pinyin_multi()
            .map(|multi| multi.into_iter().filter_map(|p| Syllable::parse(p.with_tone_num_end())).collect())
            .unwrap_or_default()
    }

    /// The usual reading of one character.
    pub fn reading(c: char) -> Option<Syllable> {
        Self::readings(c).into_iter().next()
    }

    /// A word's syllables: the phrase if known, else its longest known pieces, else character
    /// by character. `None` for a character with no reading at all.
    pub fn word(&self, word: &str) -> Option<Vec<Syllable>> {
        let mut out = Vec::new();
        for piece in self.segment(word) {
            match self.phrase(piece) {
                Some(syllables) => out.extend_from_slice(syllables),
                None => {
                    for c in piece.chars() {
                        out.push(Self::reading(c)?);
                    }
                }
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(syllables: &[Syllable]) -> String {
        syllables.iter().map(|s| format!("{}{}", s.base, s.tone)).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn characters_have_their_usual_reading_first() {
        assert_eq!(PinyinDict::reading('长'), Some(Syllable::new("zhang", 3)));
        assert_eq!(PinyinDict::reading('了'), Some(Syllable::new("le", 5)));
        assert_eq!(PinyinDict::reading('〇'), Some(Syllable::new("ling", 2)));
        assert_eq!(PinyinDict::reading('绿'), Some(Syllable::new("lü", 4)));
        assert!(PinyinDict::readings('还').contains(&Syllable::new("huan", 2)));
        assert_eq!(PinyinDict::reading('A'), None);
    }

    #[test]
    fn words_use_phrases_then_pieces_then_characters() {
        let dict = PinyinDict::built_in();
        assert_eq!(plain(&dict.word("长大").unwrap()), "zhang3 da4");
        assert_eq!(plain(&dict.word("长度").unwrap()), "chang2 du4");
        assert_eq!(dict.segment("重复使用"), vec!["重复", "使用"]);
        assert_eq!(plain(&dict.word("重复使用").unwrap()), "chong2 fu4 shi3 yong4");
        assert_eq!(plain(&dict.word("好").unwrap()), "hao3");
        assert!(dict.word("好A").is_none());
    }

    #[test]
    fn loads_pypinyin_phrase_files() {
        let mut dict = PinyinDict::default();
        let json = r#"{"长度": [["cháng"], ["dù"]], "好玩儿": [["hǎo"], ["wán"], ["er"]], "坏": [["a"], ["b"]]}"#;
        assert_eq!(dict.load_phrases_json(json), Ok(2));
        assert_eq!(plain(dict.phrase("长度").unwrap()), "chang2 du4");
        assert_eq!(plain(dict.phrase("好玩儿").unwrap()), "hao3 wan2 er5");
        assert!(dict.load_phrases_json("[1,").is_err());
        let err = dict.load_phrases(Path::new("/nonexistent/phrases_dict.json")).unwrap_err();
        assert!(err.contains("/nonexistent/phrases_dict.json"), "{err}");
    }
}
