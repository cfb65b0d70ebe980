//! Kokoro-82M's phoneme vocabulary and tokenizer.
//!
//! The model reads one id per phoneme symbol (a `char`). The table is the one the model was
//! trained with (the same as `config.json` in PyPI `kokoro-onnx`): 114 symbols. Symbols
//! outside it are dropped, as the reference tokenizer does.

use std::collections::HashMap;
use std::sync::LazyLock;

/// Most phoneme ids one model call takes (the style table has 510 rows); the caller adds the
/// two padding zeros around them.
pub const MAX_TOKENS: usize = 510;

/// Symbol → id, ordered by id.
pub const VOCAB: [(char, i64); 114] = [
    (';', 1),
    (':', 2),
    (',', 3),
    ('.', 4),
    ('!', 5),
    ('?', 6),
    ('—', 9),
    ('…', 10),
    ('"', 11),
    ('(', 12),
    (')', 13),
    ('“', 14),
    ('”', 15),
    (' ', 16),
    ('\u{0303}', 17),
    ('ʣ', 18),
    ('ʥ', 19),
    ('ʦ', 20),
    ('ʨ', 21),
    ('ᵝ', 22),
    ('ꭧ', 23),
    ('A', 24),
    ('I', 25),
    ('O', 31),
    ('Q', 33),
    ('S', 35),
    ('T', 36),
    ('W', 39),
    ('Y', 41),
    ('ᵊ', 42),
    ('a', 43),
    ('b', 44),
    ('c', 45),
    ('d', 46),
    ('e', 47),
    ('f', 48),
    ('h', 50),
    ('i', 51),
    ('j', 52),
    ('k', 53),
    ('l', 54),
    ('m', 55),
    ('n', 56),
    ('o', 57),
    ('p', 58),
    ('q', 59),
    ('r', 60),
    ('s', 61),
    ('t', 62),
    ('u', 63),
    ('v', 64),
    ('w', 65),
    ('x', 66),
    ('y', 67),
    ('z', 68),
    ('ɑ', 69),
    ('ɐ', 70),
    ('ɒ', 71),
    ('æ', 72),
    ('β', 75),
    ('ɔ', 76),
    ('ɕ', 77),
    ('ç', 78),
    ('ɖ', 80),
    ('ð', 81),
    ('ʤ', 82),
    ('ə', 83),
    ('ɚ', 85),
    ('ɛ', 86),
    ('ɜ', 87),
    ('ɟ', 90),
    ('ɡ', 92),
    ('ɥ', 99),
    ('ɨ', 101),
    ('ɪ', 102),
    ('ʝ', 103),
    ('ɯ', 110),
    ('ɰ', 111),
    ('ŋ', 112),
    ('ɳ', 113),
    ('ɲ', 114),
    ('ɴ', 115),
    ('ø', 116),
    ('ɸ', 118),
    ('θ', 119),
    ('œ', 120),
    ('ɹ', 123),
    ('ɾ', 125),
    ('ɻ', 126),
    ('ʁ', 128),
    ('ɽ', 129),
    ('ʂ', 130),
    ('ʃ', 131),
    ('ʈ', 132),
    ('ʧ', 133),
    ('ʊ', 135),
    ('ʋ', 136),
    ('ʌ', 138),
    ('ɣ', 139),
    ('ɤ', 140),
    ('χ', 142),
    ('ʎ', 143),
    ('ʒ', 147),
    ('ʔ', 148),
    ('ˈ', 156),
    ('ˌ', 157),
    ('ː', 158),
    ('ʰ', 162),
    ('ʲ', 164),
    ('↓', 169),
    ('→', 171),
    ('↗', 172),
    ('↘', 173),
    ('ᵻ', 177),
];

/// The id of one phoneme symbol, if the model knows it.
pub fn id(symbol: char) -> Option<i64> {
    static BY_SYMBOL: LazyLock<HashMap<char, i64>> = LazyLock::new(|| VOCAB.into_iter().collect());
    BY_SYMBOL.get(&symbol).copied()
}

/// Whether the model knows this symbol.
pub fn known(symbol: char) -> bool {
    id(symbol).is_some()
}

/// Phoneme string → ids, unknown symbols dropped. No padding and no length limit: split long
/// strings first with [`super::split::split`].
pub fn tokenize(phonemes: &str) -> Vec<i64> {
    phonemes.chars().filter_map(id).collect()
}

/// How many ids a phoneme string becomes.
pub fn count(phonemes: &str) -> usize {
    phonemes.chars().filter(|&c| known(c)).count()
}

/// The string with every symbol the model does not know removed.
pub fn keep_known(phonemes: &str) -> String {
    phonemes.chars().filter(|&c| known(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_114_distinct_symbols_and_ids() {
        let mut symbols: Vec<char> = VOCAB.iter().map(|&(c, _)| c).collect();
        symbols.sort_unstable();
        symbols.dedup();
        assert_eq!(symbols.len(), 114);
        let ids: Vec<i64> = VOCAB.iter().map(|&(_, id)| id).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "ordered by id, no duplicates");
        assert_eq!((ids[0], ids[113]), (1, 177));
        for &(c, want) in &VOCAB {
            assert_eq!(id(c), Some(want), "{c:?}");
        }
    }

    #[test]
    fn spot_checks_against_the_published_table() {
        for (c, want) in [
            (' ', 16),
            ('\u{303}', 17),
            ('ꭧ', 23),
            ('a', 43),
            ('ɚ', 85),
            ('ɡ', 92),
            ('ɻ', 126),
            ('ˈ', 156),
            ('ʰ', 162),
            ('↓', 169),
            ('→', 171),
            ('↗', 172),
            ('↘', 173),
            ('ᵻ', 177),
            ('“', 14),
            ('”', 15),
            ('—', 9),
            ('…', 10),
        ] {
            assert_eq!(id(c), Some(want), "{c:?}");
        }
        // Not in the table: ASCII g (the model has IPA ɡ), hyphen, tie bar, Chinese punctuation.
        for c in ['g', '-', '\u{361}', '，', '〇', 'L', '^'] {
            assert_eq!(id(c), None, "{c:?}");
        }
    }

    #[test]
    fn tokenize_drops_unknown_symbols() {
        assert_eq!(tokenize("ðə dˈɑːɡ."), vec![81, 83, 16, 46, 156, 69, 158, 92, 4]);
        assert_eq!(tokenize("pu↗-jau↘"), vec![58, 63, 172, 52, 43, 63, 173]);
        assert_eq!(count("a-b"), 2);
        assert_eq!(keep_known("kʊ→ŋ〇"), "kʊ→ŋ");
        assert!(tokenize("").is_empty());
    }
}
