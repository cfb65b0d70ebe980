//! One Mandarin syllable: pinyin in, Kokoro phonemes out.
//!
//! Kokoro's Mandarin symbols follow misaki's IPA for pinyin (initial, then the final with the
//! tone arrow after its vowel nucleus and before a nasal coda): `zhuó` → `ꭧwo↗`,
//! `qiáng` → `ʨʰja↗ŋ`, `shì` → `ʂɨ↘`, `piān` → `pʰjɛ→n`. The table is written here from the
//! pinyin spelling rules, not copied.

/// A syllable as plain lowercase pinyin (`ü` written `ü`) with its tone, 1–4, or 5 for the
/// neutral tone; `erhua` marks a rhotacized syllable (`nǎr`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Syllable {
    pub base: String,
    pub tone: u8,
    pub erhua: bool,
}

impl Syllable {
    pub fn new(base: &str, tone: u8) -> Self {
        Syllable { base: base.to_string(), tone, erhua: false }
    }

    /// Parses pinyin with tone marks (`zhǎng`, `lǜ`, `er`) or a tone number at the end
    /// (`zhang3`, `lv4`, `le5`, `le`); no digit and no mark is the neutral tone.
    pub fn parse(pinyin: &str) -> Option<Self> {
        let mut base = String::new();
        let mut tone = 5;
        for c in pinyin.trim().chars() {
            let (plain, mark) = match c {
                'ā' => ('a', 1),
                'á' => ('a', 2),
                'ǎ' => ('a', 3),
                'à' => ('a', 4),
                'ē' => ('e', 1),
                'é' => ('e', 2),
                'ě' => ('e', 3),
                'è' => ('e', 4),
                'ī' => ('i', 1),
                'í' => ('i', 2),
                'ǐ' => ('i', 3),
                'ì' => ('i', 4),
                'ō' => ('o', 1),
                'ó' => ('o', 2),
                'ǒ' => ('o', 3),
                'ò' => ('o', 4),
                'ū' => ('u', 1),
                'ú' => ('u', 2),
                'ǔ' => ('u', 3),
                'ù' => ('u', 4),
                'ǖ' => ('ü', 1),
                'ǘ' => ('ü', 2),
                'ǚ' => ('ü', 3),
                'ǜ' => ('ü', 4),
                'ń' => ('n', 2),
                'ň' => ('n', 3),
                'ǹ' => ('n', 4),
                'ḿ' => ('m', 2),
                'ê' => ('ê', 0),
                'v' => ('ü', 0),
                '1'..='5' => {
                    tone = c as u8 - b'0';
                    continue;
                }
                '\u{304}' => {
                    tone = 1;
                    continue;
                }
                '\u{301}' => {
                    tone = 2;
                    continue;
                }
                '\u{30c}' => {
                    tone = 3;
                    continue;
                }
                '\u{300}' => {
                    tone = 4;
                    continue;
                }
                c if c.is_ascii_alphabetic() || c == 'ü' => (c.to_ascii_lowercase(), 0),
                _ => return None,
            };
            if mark != 0 {
                tone = mark;
            }
            base.push(plain);
        }
        if base.is_empty() {
            return None;
        }
        // Erhua spelled into the syllable (nǎr, huār), not the syllable "er" itself.
        let erhua = base.len() > 1 && base.ends_with('r') && base != "er";
        if erhua {
            base.pop();
        }
        Some(Syllable { base, tone, erhua })
    }

    /// The syllable in Kokoro's symbols.
    pub fn to_kokoro(&self) -> String {
        let arrow = match self.tone {
            1 => "→",
            2 => "↗",
            3 => "↓",
            4 => "↘",
            _ => "",
        };
        let (initial, pre, nucleus, coda) = split_syllable(&self.base);
        let mut out = String::with_capacity(16);
        out.push_str(initial);
        out.push_str(pre);
        out.push_str(nucleus);
        out.push_str(arrow);
        out.push_str(coda);
        if self.erhua {
            out.push('ɚ');
        }
        out
    }
}

/// (initial, glide, nucleus, coda) in Kokoro symbols.
fn split_syllable(base: &str) -> (&'static str, &'static str, &'static str, &'static str) {
    // Whole syllables that do not split into initial + final.
    match base {
        "er" => return ("", "", "ɚ", ""),
        "o" => return ("", "", "ɔ", ""),
        "ê" => return ("", "", "ɛ", ""),
        "io" | "yo" => return ("", "j", "ɔ", ""),
        "m" => return ("", "", "m", ""),
        "n" => return ("", "", "n", ""),
        "ng" => return ("", "", "ŋ", ""),
        "hm" => return ("h", "", "m", ""),
        "hng" => return ("h", "", "ŋ", ""),
        _ => {}
    }
    let (initial, rest) = split_initial(base);
    let final_ = spelled_final(initial, rest);
    let (pre, nucleus, coda) = match (initial, final_.as_str()) {
        ("zh" | "ch" | "sh" | "r" | "z" | "c" | "s", "i") => ("", "ɨ", ""),
        (_, f) => final_parts(f),
    };
    (initial_symbol(initial), pre, nucleus, coda)
}

fn split_initial(base: &str) -> (&str, &str) {
    for initial in ["zh", "ch", "sh"] {
        if let Some(rest) = base.strip_prefix(initial) {
            return (initial, rest);
        }
    }
    match base.chars().next() {
        Some(c) if "bpmfdtnlgkhjqxrzcs".contains(c) => base.split_at(1),
        _ => ("", base),
    }
}

/// The final as written without y/w and abbreviations: `yu` → `ü`, `wei` → `uei`,
/// `liu` → `iou`, `jun` → `ün`, `bo` → `uo`.
fn spelled_final(initial: &str, rest: &str) -> String {
    if initial.is_empty() {
        if let Some(tail) = rest.strip_prefix('y') {
            return match tail {
                "i" | "in" | "ing" => tail.to_string(),
                "u" | "ue" | "uan" | "un" => format!("ü{}", &tail[1..]),
                "ou" => "iou".to_string(),
                _ => format!("i{tail}"),
            };
        }
        if let Some(tail) = rest.strip_prefix('w') {
            return match tail {
                "u" => "u".to_string(),
                "o" => "uo".to_string(),
                "ei" => "uei".to_string(),
                "en" => "uen".to_string(),
                _ => format!("u{tail}"),
            };
        }
        return rest.to_string();
    }
    if matches!(initial, "j" | "q" | "x") && rest.starts_with('u') {
        return format!("ü{}", &rest[1..]);
    }
    match rest {
        "iu" => "iou".to_string(),
        "ui" => "uei".to_string(),
        "un" => "uen".to_string(),
        "o" => "uo".to_string(),
        "ue" => "üe".to_string(),
        _ => rest.to_string(),
    }
}

fn final_parts(final_: &str) -> (&'static str, &'static str, &'static str) {
    match final_ {
        "a" => ("", "a", ""),
        "ai" => ("", "ai", ""),
        "an" => ("", "a", "n"),
        "ang" => ("", "a", "ŋ"),
        "ao" => ("", "au", ""),
        "e" => ("", "ɤ", ""),
        "ei" => ("", "ei", ""),
        "en" => ("", "ə", "n"),
        "eng" => ("", "ə", "ŋ"),
        "er" => ("", "ɚ", ""),
        "i" => ("", "i", ""),
        "ia" => ("j", "a", ""),
        "ian" => ("j", "ɛ", "n"),
        "iang" => ("j", "a", "ŋ"),
        "iao" => ("j", "au", ""),
        "ie" => ("j", "e", ""),
        "in" => ("", "i", "n"),
        "ing" => ("", "i", "ŋ"),
        "iong" => ("j", "ʊ", "ŋ"),
        "iou" => ("j", "ou", ""),
        "ong" => ("", "ʊ", "ŋ"),
        "ou" => ("", "ou", ""),
        "u" => ("", "u", ""),
        "ua" => ("w", "a", ""),
        "uai" => ("w", "ai", ""),
        "uan" => ("w", "a", "n"),
        "uang" => ("w", "a", "ŋ"),
        "uei" => ("w", "ei", ""),
        "uen" => ("w", "ə", "n"),
        "ueng" => ("w", "ə", "ŋ"),
        "uo" => ("w", "o", ""),
        "ü" => ("", "y", ""),
        "üan" => ("ɥ", "ɛ", "n"),
        "üe" => ("ɥ", "e", ""),
        "ün" => ("", "y", "n"),
        "o" => ("", "ɔ", ""),
        "io" => ("j", "ɔ", ""),
        // Not a pinyin final: read nothing rather than garbage.
        _ => ("", "", ""),
    }
}

fn initial_symbol(initial: &str) -> &'static str {
    match initial {
        "b" => "p",
        "p" => "pʰ",
        "m" => "m",
        "f" => "f",
        "d" => "t",
        "t" => "tʰ",
        "n" => "n",
        "l" => "l",
        "g" => "k",
        "k" => "kʰ",
        "h" => "x",
        "j" => "ʨ",
        "q" => "ʨʰ",
        "x" => "ɕ",
        "zh" => "ꭧ",
        "ch" => "ꭧʰ",
        "sh" => "ʂ",
        "r" => "ɻ",
        "z" => "ʦ",
        "c" => "ʦʰ",
        "s" => "s",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(pinyin: &str) -> String {
        Syllable::parse(pinyin).unwrap_or_else(|| panic!("{pinyin}")).to_kokoro()
    }

    #[test]
    fn parses_marks_and_numbers() {
        assert_eq!(Syllable::parse("zhǎng"), Some(Syllable::new("zhang", 3)));
        assert_eq!(Syllable::parse("zhang3"), Some(Syllable::new("zhang", 3)));
        assert_eq!(Syllable::parse("le"), Some(Syllable::new("le", 5)));
        assert_eq!(Syllable::parse("lǜ"), Some(Syllable::new("lü", 4)));
        assert_eq!(Syllable::parse("lv4"), Some(Syllable::new("lü", 4)));
        assert_eq!(Syllable::parse("er"), Some(Syllable::new("er", 5)));
        let nar = Syllable::parse("nǎr").unwrap();
        assert_eq!((nar.base.as_str(), nar.tone, nar.erhua), ("na", 3, true));
        assert_eq!(Syllable::parse("ok!"), None);
    }

    #[test]
    fn syllables_of_the_reference_vectors() {
        for (pinyin, want) in [
            ("jī", "ʨi→"),
            ("guān", "kwa→n"),
            ("gàn", "ka↘n"),
            ("bù", "pu↘"),
            ("yào", "jau↘"),
            ("zhuó", "ꭧwo↗"),
            ("lì", "li↘"),
            ("qiáng", "ʨʰja↗ŋ"),
            ("huà", "xwa↘"),
            ("wǔ", "u↓"),
            ("zhǒng", "ꭧʊ↓ŋ"),
            ("yì", "i↘"),
            ("shí", "ʂɨ↗"),
            ("fú", "fu↗"),
            ("wù", "u↘"),
            ("gōng", "kʊ→ŋ"),
            ("zuò", "ʦwo↘"),
            ("fāng", "fa→ŋ"),
            ("xiàng", "ɕja↘ŋ"),
            ("néng", "nə↗ŋ"),
            ("piān", "pʰjɛ→n"),
            ("tā", "tʰa→"),
            ("shuō", "ʂwo→"),
            ("chóng", "ꭧʰʊ↗ŋ"),
            ("shǐ", "ʂɨ↓"),
            ("yòng", "jʊ↘ŋ"),
            ("biāo", "pjau→"),
            ("diǎn", "tjɛ↓n"),
            ("hào", "xau↘"),
            ("èr", "ɚ↘"),
            ("sān", "sa→n"),
            ("nián", "njɛ↗n"),
            ("zēng", "ʦə→ŋ"),
            ("zhǎng", "ꭧa↓ŋ"),
            ("le", "lɤ"),
            ("bǎi", "pai↓"),
            ("fēn", "fə→n"),
            ("zhī", "ꭧɨ→"),
            ("wǒ", "wo↓"),
            ("men", "mən"),
            ("zài", "ʦai↘"),
            ("shàng", "ʂa↘ŋ"),
            ("cún", "ʦʰwə↗n"),
            ("chǔ", "ꭧʰu↓"),
            ("shù", "ʂu↘"),
            ("jù", "ʨy↘"),
        ] {
            assert_eq!(k(pinyin), want, "{pinyin}");
        }
    }

    #[test]
    fn other_finals() {
        for (pinyin, want) in [
            ("jué", "ʨɥe↗"),
            ("yuán", "ɥɛ↗n"),
            ("yún", "y↗n"),
            ("lǜ", "ly↘"),
            ("xióng", "ɕjʊ↗ŋ"),
            ("liù", "ljou↘"),
            ("duì", "twei↘"),
            ("wèi", "wei↘"),
            ("wēng", "wə→ŋ"),
            ("bō", "pwo→"),
            ("sì", "sɨ↘"),
            ("rì", "ɻɨ↘"),
            ("yī", "i→"),
            ("yīng", "i→ŋ"),
            ("yǒu", "jou↓"),
            ("ǹg", "ŋ↘"),
            ("ér", "ɚ↗"),
            ("nǎr", "na↓ɚ"),
            ("ó", "ɔ↗"),
            ("xiě", "ɕje↓"),
        ] {
            assert_eq!(k(pinyin), want, "{pinyin}");
        }
    }
}
