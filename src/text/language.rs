//! One answer to "is this Chinese?", for a character, a language tag and a text.
//!
//! Why one place: the voice for an article, the placeholders for its code and tables, the
//! words of the published pages and feed notes, number normalization and the doctor's probe
//! each used to decide this themselves, with three ranges of Han characters and four lists of
//! tags. So `cmn` got Chinese page labels but English feed notes, and `zhx` Chinese
//! placeholders but English everything else. Every stage asks here now.
//!
//! **A Han character** ([`is_han`]): CJK Unified Ideographs (U+4E00–U+9FFF), Extension A
//! (U+3400–U+4DBF), the Compatibility Ideographs (U+F900–U+FAFF), and all of planes 2 and 3
//! (U+20000–U+3FFFF: Extensions B to J and the Compatibility Ideographs Supplement; Unicode
//! reserves both planes for ideographs, so a later extension counts without a change here).
//! Not Han: kana and Hangul (Japanese and Korean scripts), bopomofo, the Kangxi and CJK
//! radicals (U+2E80–U+2FDF, found in dictionaries, not in running text), CJK punctuation and
//! symbols, including 〇 and 々 (they occur beside other Han characters anyway), and full-width
//! forms. Traditional and simplified characters are both Han; so are the kanji of Japanese.
//!
//! **A Chinese tag** ([`is_chinese_tag`]): a BCP 47 or POSIX-style tag (`zh-Hant-TW`, `cmn_CN`,
//! `ZH`) whose primary subtag — before the first `-` or `_`, ignoring case and surrounding
//! white space — is `zh`, ISO 639-2's `zho`/`chi`, or one of the ISO 639-3 languages of the
//! Chinese macrolanguage ([`CHINESE_CODES`]: `cmn`, `yue`, `wuu`, `nan`, `hak`, …). A whole
//! subtag is compared, never a prefix: `zhx` (the ISO 639-5 collection code for Sinitic
//! languages, not a language) and `zha` (Zhuang) are not Chinese.
//!
//! **A Chinese text** ([`Language::of_text`]): Chinese when at least 1 in 20 of its letters
//! (alphabetic characters, Han included) is a Han character. A Han character is about a
//! word and an English word about five letters, so this is roughly one Chinese word in four:
//! an English article quoting a few Chinese words stays English, a Chinese article with
//! English names and terms stays Chinese. A text with no letters at all (punctuation, digits,
//! emoji) has no language (`None`); each caller says what it then uses. Japanese with kanji
//! usually comes out Chinese: the only voices are Chinese and English, and Chinese is the
//! nearer one for kanji.

/// The primary language subtags counted as Chinese: `zh`, ISO 639-2's `zho` and `chi`, and
/// the members of ISO 639-3's Chinese macrolanguage (Mandarin, Cantonese, Wu, Min, Hakka, Gan,
/// Xiang, Jin, Hui, Ping, Pu-Xian and Literary Chinese).
pub const CHINESE_CODES: &[&str] = &[
    "zh", "zho", "chi", "cmn", "yue", "wuu", "nan", "hak", "gan", "hsn", "cjy", "cdo", "cnp", "cpx", "csp", "czh",
    "czo", "lzh", "mnp",
];

/// Whether `c` is a Han (Chinese) character; see the module documentation for the ranges.
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3FFFF}')
}

/// Whether a language tag names Chinese: its primary subtag is one of [`CHINESE_CODES`].
pub fn is_chinese_tag(tag: &str) -> bool {
    let primary = tag.trim().split(['-', '_']).next().unwrap_or("").trim();
    CHINESE_CODES.iter().any(|code| primary.eq_ignore_ascii_case(code))
}

/// The language a text is written in, as far as seedaudio tells languages apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Chinese,
    /// Anything else; it is read with the English voice and words.
    Other,
}

impl Language {
    /// The language of `text`: Chinese when Han characters are at least 1 in 20 of its letters;
    /// `None` when it has no letters.
    pub fn of_text(text: &str) -> Option<Language> {
        let (mut han, mut letters) = (0usize, 0usize);
        for c in text.chars().filter(|c| c.is_alphabetic()) {
            letters += 1;
            han += usize::from(is_han(c));
        }
        match letters {
            0 => None,
            _ if han * 20 < letters => Some(Language::Other),
            _ => Some(Language::Chinese),
        }
    }
}

/// Tags and whether they are Chinese; every place that decides by a tag is tested on these.
#[cfg(test)]
pub(crate) const TAGS: &[(&str, bool)] = &[
    ("zh", true),
    ("ZH", true),
    ("zh-CN", true),
    ("zh_TW", true),
    ("zh-Hant-TW", true),
    ("zh-yue", true),
    (" zh-cn ", true),
    ("zho", true),
    ("chi", true),
    ("cmn", true),
    ("cmn_CN", true),
    ("cmn-Hans-CN", true),
    ("yue", true),
    ("yue-HK", true),
    ("wuu", true),
    ("nan-TW", true),
    ("hak", true),
    ("lzh", true),
    ("en", false),
    ("en-US", false),
    ("EN_gb", false),
    ("zhx", false),
    ("zha", false),
    ("ja", false),
    ("ko-KR", false),
    ("de-DE", false),
    ("x-zh", false),
    ("", false),
    ("-zh", false),
];

#[cfg(test)]
mod tests {
    use super::{Language, TAGS, is_chinese_tag, is_han};

    #[test]
    fn tags() {
        for &(tag, chinese) in TAGS {
            assert_eq!(is_chinese_tag(tag), chinese, "{tag:?}");
        }
    }

    #[test]
    fn han_characters() {
        for c in
            ['中', '文', '國', '體', '㐀', '䶿', '鿿', '豈', '\u{FA6D}', '𠀀', '𪜀', '\u{2F800}', '\u{30000}', '𰻝']
        {
            assert!(is_han(c), "{c:?} U+{:04X}", c as u32);
        }
        let not_han = [
            'a',
            'Z',
            '1',
            'é',
            'あ',
            'ア',
            'ｱ',
            '한',
            'ㄅ',
            '。',
            '，',
            '「',
            '〇',
            '々',
            '⼀',
            '⺀',
            'Ａ',
            '😀',
            '\u{3300}',
            '\u{4DC0}',
            '\u{A000}',
            '\u{1F600}',
            '\u{40000}',
        ];
        for c in not_han {
            assert!(!is_han(c), "{c:?} U+{:04X}", c as u32);
        }
    }

    #[test]
    fn texts() {
        use Language::{Chinese, Other};
        let cases: &[(&str, Option<Language>)] = &[
            ("机关干部要这样做。", Some(Chinese)),
            ("標題：繁體中文的文章", Some(Chinese)),
            ("标题\n正文，有一个 English word。", Some(Chinese)),
            ("我们用 Rust 和 TypeScript 写了一个 command-line tool。", Some(Chinese)),
            ("An English article about 中文 words, mostly English.", Some(Other)),
            ("An English article with 一 word.", Some(Other)),
            ("Hello world", Some(Other)),
            ("Ünïcödé façade, naïve café", Some(Other)),
            // One Han in 20 letters is the line: 19 ASCII letters and 1 Han is Chinese, 20 is not.
            ("abcdefghijklmnopqrs中", Some(Chinese)),
            ("abcdefghijklmnopqrst中", Some(Other)),
            ("𠀀𪜀 extension B", Some(Chinese)),
            ("ひらがなとカタカナだけ", Some(Other)),
            ("日本語の文章です。", Some(Chinese)),
            ("한국어 문장입니다", Some(Other)),
            ("…", None),
            ("。，、！？「」", None),
            ("123 456 789", None),
            ("😀🎉 👍", None),
            ("", None),
            ("   \n\t", None),
        ];
        for &(text, expected) in cases {
            assert_eq!(Language::of_text(text), expected, "{text:?}");
            every_text_rule_agrees(text, expected);
        }
    }

    /// The places that choose by a text (voice, placeholders, labels) all give the text rule's
    /// answer; without letters the voice is the default (Chinese), the words English.
    #[track_caller]
    fn every_text_rule_agrees(text: &str, language: Option<Language>) {
        let chinese = language == Some(Language::Chinese);
        let voice = crate::backend::preset::for_text(text);
        assert_eq!(voice == "en-espeak", language == Some(Language::Other), "voice for {text:?}");
        let placeholders = crate::article::markup::MarkupOptions::for_text(text).code_placeholder;
        assert_eq!(placeholders == "（代码从略）", chinese, "markup placeholders for {text:?}");
        assert_eq!(crate::publish::label::Words::for_text(text).lang == "zh", chinese, "labels for {text:?}");
    }

    /// The places that choose by a language tag all give the tag rule's answer.
    #[test]
    fn every_tag_rule_agrees() {
        for &(tag, chinese) in TAGS {
            let placeholders = crate::article::markup::MarkupOptions::for_language(tag).code_placeholder;
            assert_eq!(placeholders == "（代码从略）", chinese, "markup placeholders for {tag:?}");
            assert_eq!(crate::publish::label::Words::for_language(tag).lang == "zh", chinese, "labels for {tag:?}");
            assert_eq!(crate::normalize::normalize("第3章", tag) == "第三章", chinese, "normalize for {tag:?}");
        }
    }
}
