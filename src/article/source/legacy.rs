//! Text that is not UTF-8 and has no byte-order mark: GB18030/GBK, or a single-byte legacy
//! encoding such as Windows-1252, as `chardetng` guesses it.
//!
//! chardetng (1.0) always names an encoding and says nothing of how sure it is (the
//! `guess_assess` of its 0.1 versions is gone), so the guess is checked here before it is
//! used, and refused with advice (`--encoding NAME`) when the bytes cannot tell:
//!
//! - **GB18030 first.** Bytes that decode cleanly as GB18030 into Chinese-looking text
//!   ([`looks_like_gb_text`]) are read as GB18030, as before, with one exception: an English
//!   text whose only non-ASCII bytes are apostrophes before letters (`it’s`) also decodes
//!   as GB18030. So when chardetng calls the bytes Latin and they are shaped like Latin text
//!   ([`latin_shaped`]), the Latin reading wins.
//! - **Never Chinese read as Latin.** Double-byte Chinese comes in runs of bytes ≥ 0x80 (two
//!   per character); Latin text has them one or two at a time among ASCII (an accented letter,
//!   a curly quote, a dash). A Latin guess for bytes not so shaped is refused; bytes that read
//!   as Chinese in GB18030 apart from a few invalid ones are refused as damaged Chinese, whatever
//!   chardetng says (it says Windows-1252 for GBK with one bad byte in it).
//! - **Only what reads as text.** The guess must decode every byte, to no C1 control character
//!   (what Windows-1252's five unassigned bytes and wrong single-byte guesses give).
//! - **Enough text to tell.** Fewer than [`MIN_LETTERS`] letters is too short to trust any
//!   guess (a file saying `Café` could be any Western or Central European encoding).
//! - **Multi-byte encodings are read only when named.** A guess of Big5, Shift_JIS, EUC-JP,
//!   EUC-KR or ISO-2022-JP is refused with `--encoding` and that name.
//!
//! Latin-1 (ISO-8859-1) is read as Windows-1252, its superset (the WHATWG rule: the label
//! `latin1` means `windows-1252`).

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{
    BIG5, EUC_JP, EUC_KR, Encoding, GB18030, GBK, ISO_2022_JP, ISO_8859_2, ISO_8859_4, ISO_8859_13, ISO_8859_15,
    SHIFT_JIS, WINDOWS_1250, WINDOWS_1252, WINDOWS_1254, WINDOWS_1257, WINDOWS_1258,
};

use crate::text::language::is_han;

/// Fewer letters than this is too little text to trust a guessed single-byte encoding.
pub const MIN_LETTERS: usize = 20;

/// Text read from a legacy encoding.
#[derive(Debug, PartialEq, Eq)]
pub struct Legacy {
    pub text: String,
    pub encoding: &'static Encoding,
    /// A single-byte encoding chosen by detection (worth a note), not GB18030.
    pub guessed: bool,
}

/// Why the encoding cannot be told; each says what to pass to `--encoding`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CannotTell {
    #[error(
        "and it is too short to tell its encoding (it might be {0}); save it as UTF-8, or name its \
         encoding with --encoding NAME (for example --encoding {0})"
    )]
    TooShort(&'static str),
    #[error("and it looks like {0}, which is read only when named: pass --encoding {0}")]
    NamedOnly(&'static str),
    #[error(
        "and it looks like Chinese in GB18030/GBK with bytes that are not valid there (a damaged \
         copy?); save it again as UTF-8, or name its encoding with --encoding NAME"
    )]
    DamagedGb,
    #[error(
        "and no encoding seedaudio detects reads it as text; save it as UTF-8, or name its encoding \
         with --encoding NAME (for example --encoding windows-1252 or --encoding big5)"
    )]
    Unreadable,
}

/// Reads bytes that are not UTF-8; see the module documentation for the rules.
pub fn read(bytes: &[u8]) -> Result<Legacy, CannotTell> {
    let guess = detect(bytes);
    if let Some(text) = GB18030.decode_without_bom_handling_and_without_replacement(bytes)
        && looks_like_gb_text(&text)
    {
        let latin = is_latin(guess) && latin_shaped(bytes);
        match single_byte(bytes, guess) {
            Ok(read) if latin => return Ok(read),
            _ => return Ok(Legacy { text: text.into_owned(), encoding: GB18030, guessed: false }),
        }
    }
    single_byte(bytes, guess)
}

/// The bytes read as chardetng's `guess`, if that is a single-byte encoding that reads them
/// as text and nothing says they are Chinese.
fn single_byte(bytes: &[u8], guess: &'static Encoding) -> Result<Legacy, CannotTell> {
    if guess == GBK || guess == GB18030 {
        return Err(CannotTell::DamagedGb);
    }
    if [BIG5, SHIFT_JIS, EUC_JP, EUC_KR, ISO_2022_JP].contains(&guess) {
        return Err(CannotTell::NamedOnly(guess.name()));
    }
    let shaped = latin_shaped(bytes);
    if !shaped && damaged_gb(bytes) {
        return Err(CannotTell::DamagedGb);
    }
    if is_latin(guess) && !shaped {
        return Err(CannotTell::Unreadable);
    }
    let text = guess.decode_without_bom_handling_and_without_replacement(bytes).ok_or(CannotTell::Unreadable)?;
    if text.chars().any(|c| matches!(c, '\u{80}'..='\u{9F}' | '\u{FFFD}')) {
        return Err(CannotTell::Unreadable);
    }
    if text.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
        return Err(CannotTell::TooShort(guess.name()));
    }
    Ok(Legacy { text: text.into_owned(), encoding: guess, guessed: true })
}

/// chardetng's guess, for a file (no top-level domain to hint at a region) that is not UTF-8.
fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, Utf8Detection::Deny)
}

/// The single-byte encodings chardetng guesses for Latin-script text.
fn is_latin(encoding: &'static Encoding) -> bool {
    [
        WINDOWS_1252,
        WINDOWS_1250,
        WINDOWS_1254,
        WINDOWS_1257,
        WINDOWS_1258,
        ISO_8859_2,
        ISO_8859_4,
        ISO_8859_13,
        ISO_8859_15,
    ]
    .contains(&encoding)
}

/// Whether the bytes ≥ 0x80 lie as in Latin text: at most a fifth of them in runs of three or
/// more (Latin text has them alone or in pairs — `é`, `“`, `öß`, `ção` — double-byte Chinese
/// in runs of two per character).
fn latin_shaped(bytes: &[u8]) -> bool {
    let (mut high, mut in_runs, mut run) = (0usize, 0usize, 0usize);
    for &b in bytes.iter().chain([0u8].iter()) {
        if b >= 0x80 {
            run += 1;
            continue;
        }
        high += run;
        if run >= 3 {
            in_runs += run;
        }
        run = 0;
    }
    high > 0 && in_runs * 5 <= high
}

/// Whether GB18030 reads the bytes as Chinese apart from a few invalid sequences: at most one in
/// twenty characters, the rest mostly CJK ([`looks_like_gb_text`]).
fn damaged_gb(bytes: &[u8]) -> bool {
    let (text, _, had_errors) = GB18030.decode(bytes);
    let bad = text.chars().filter(|&c| c == '\u{FFFD}').count();
    let rest: String = text.chars().filter(|&c| c != '\u{FFFD}').collect();
    let non_ascii = rest.chars().filter(|c| !c.is_ascii()).count();
    had_errors && looks_like_gb_text(&rest) && bad * 20 <= non_ascii
}

/// GB18030 decodes many byte soups without error; require that most non-ASCII characters
/// are CJK ideographs or CJK punctuation, as they are in real Chinese text.
fn looks_like_gb_text(text: &str) -> bool {
    let mut non_ascii = 0usize;
    let mut cjk = 0usize;
    for c in text.chars().filter(|c| !c.is_ascii()) {
        non_ascii += 1;
        if is_cjk_text_char(c) {
            cjk += 1;
        }
    }
    non_ascii > 0 && cjk * 10 >= non_ascii * 8
}

/// Han characters ([`is_han`]) and what stands beside them in Chinese text: CJK punctuation,
/// full-width forms, quotes and dashes, kana, and a few symbols.
fn is_cjk_text_char(c: char) -> bool {
    is_han(c)
        || matches!(c as u32,
        0x3000..=0x303F // CJK punctuation
        | 0xFF00..=0xFFEF // full-width forms
        | 0x2010..=0x206F // general punctuation: quotes, dashes, ellipsis
        | 0x3040..=0x30FF // kana
        | 0x00B7 | 0x00D7 | 0x00F7 | 0x2460..=0x24FF | 0x2500..=0x257F | 0x25A0..=0x26FF)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &str = "Café society\n“Hello,” she said — it’s late. The naïve crème brûlée was gone.\n";
    const ZH: &str = "标题\n一、第一节\n机关干部要着力强化“五种意识”。\n";

    fn encode(encoding: &'static Encoding, text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(!unmappable);
        bytes.into_owned()
    }

    #[test]
    fn windows_1252_english_is_read_and_flagged_as_guessed() {
        let read = read(&encode(WINDOWS_1252, EN)).unwrap();
        assert_eq!(read, Legacy { text: EN.into(), encoding: WINDOWS_1252, guessed: true });
    }

    #[test]
    fn latin1_is_read_as_its_superset() {
        let text = "Résumé of the café: « très bien », 20 °C, naïve and déjà vu.\n";
        let bytes: Vec<u8> = text.chars().map(|c| u8::try_from(c as u32).unwrap()).collect();
        assert_eq!(read(&bytes).unwrap().text, text);
    }

    #[test]
    fn gbk_chinese_stays_gb18030() {
        let read = read(&encode(GBK, ZH)).unwrap();
        assert_eq!((read.text.as_str(), read.encoding, read.guessed), (ZH, GB18030, false));
        // Two characters: chardetng guesses Windows-1252 (`ÖÐÎÄ`); the bytes are not Latin-shaped.
        assert_eq!(super::read(&encode(GBK, "中文")).unwrap().text, "中文");
    }

    #[test]
    fn apostrophes_before_letters_are_english_not_gb18030() {
        let text = "Notes\nIt’s a lovely day. Don’t worry, we’re here and they’re coming.\n";
        let bytes = encode(WINDOWS_1252, text);
        assert!(GB18030.decode_without_bom_handling_and_without_replacement(&bytes).is_some());
        assert_eq!(read(&bytes).unwrap(), Legacy { text: text.into(), encoding: WINDOWS_1252, guessed: true });
    }

    #[test]
    fn damaged_gbk_is_never_read_as_latin() {
        let mut bytes = encode(GBK, &ZH.repeat(3));
        bytes.push(0xFF);
        assert_eq!(read(&bytes), Err(CannotTell::DamagedGb));
        let mut middle = encode(GBK, &ZH.repeat(3));
        middle.insert(20, 0xFF);
        assert_eq!(read(&middle), Err(CannotTell::DamagedGb));
    }

    #[test]
    fn what_cannot_be_told_is_refused_with_a_name_to_pass() {
        assert_eq!(read(b"caf\xE9 cr\xE8me\n"), Err(CannotTell::TooShort("windows-1252")));
        // Windows-1252 has no character at 0x81 and 0x8D.
        assert_eq!(read(b"some longer text with \x81 and \x8D in the middle of it\n"), Err(CannotTell::Unreadable));
        // Runs of high bytes are not Latin text.
        assert_eq!(read(b"caf\xe9 cr\xe8me br\xfbl\xe9e \xff\xfe\xfd\n"), Err(CannotTell::Unreadable));
        let big5 = encode(BIG5, "繁體中文的文章，這是一個測試，看看能不能讀出來。");
        let refused = read(&big5).unwrap_err();
        assert_eq!(refused, CannotTell::NamedOnly("Big5"));
    }

    #[test]
    fn cyrillic_is_read_by_its_guess() {
        let text = "Привет, как дела? Это небольшой тест для проверки кодировки.\n";
        let read = read(&encode(encoding_rs::WINDOWS_1251, text)).unwrap();
        assert_eq!((read.text.as_str(), read.encoding.name()), (text, "windows-1251"));
    }
}
