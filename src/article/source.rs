//! Reading an article file: bytes → text with `\n` line endings.
//!
//! Encodings are detected without being told: a BOM (UTF-8, UTF-16 LE/BE) wins; otherwise
//! valid UTF-8 is UTF-8; otherwise GB18030 (a superset of GBK and GB2312) when the text
//! decodes cleanly as Chinese, else the single-byte encoding `chardetng` guesses when the
//! guess can be trusted ([`legacy`] says when). Anything else is refused with a message saying
//! what the bytes look like and how to name the encoding with `--encoding`.

mod legacy;

use std::path::{Path, PathBuf};

use encoding_rs::{Encoding, UTF_8};

pub use legacy::CannotTell;

use crate::text::language::is_han;

/// An article's text after decoding, with the encoding that was used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceText {
    pub text: String,
    /// The WHATWG name of the encoding the bytes were read as, e.g. `UTF-8` or `gb18030`.
    pub encoding: &'static str,
    /// Read in a single-byte encoding chosen by detection, which the user should hear about.
    pub guessed: bool,
    /// What the file says about itself beyond its text (a book's author and language).
    pub meta: Meta,
}

/// What an article file says about itself: an EPUB's `dc:creator` and `dc:language` (an HTML
/// page's `<meta name="author">` and `<html lang>`), and the documents of a book not read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    pub author: Option<String>,
    pub language: Option<String>,
    pub left_out: Vec<String>,
}

impl SourceText {
    /// The one line to show when parts of a book were not read: which, and how to read them.
    pub fn left_out_note(&self, name: impl std::fmt::Display) -> Option<String> {
        (!self.meta.left_out.is_empty()).then(|| format!("{name}: not read: {}", self.meta.left_out.join(", ")))
    }

    /// The one line to show when the encoding was guessed: which one, and how to choose.
    pub fn note(&self, name: impl std::fmt::Display) -> Option<String> {
        self.guessed.then(|| {
            format!(
                "{name} is not UTF-8; read as {} (detected) — pass --encoding NAME to choose another",
                self.encoding
            )
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{path}: cannot read the article: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: is a directory; give the path of an article file (.txt, .md, .html or .epub)")]
    IsDirectory { path: PathBuf },
    #[error(
        "{path}: looks like binary data ({what}), not an article; give a plain-text, Markdown or HTML file or an EPUB book"
    )]
    Binary { path: PathBuf, what: String },
    #[error("{path}: the text is neither UTF-8 nor GB18030/GBK (first bad byte at offset {offset}), {why}")]
    Undecodable { path: PathBuf, offset: usize, why: CannotTell },
    #[error(
        "unknown encoding {name:?} given to --encoding; use a WHATWG name such as utf-8, gb18030, big5, shift_jis, windows-1252, utf-16le"
    )]
    UnknownEncoding { name: String },
    #[error("{path}: the text is not valid {encoding}; check the --encoding given")]
    WrongEncoding { path: PathBuf, encoding: &'static str },
    #[error("{path}: {source}")]
    Epub {
        path: PathBuf,
        #[source]
        source: super::epub::EpubError,
    },
}

/// A decoding failure before the path is known.
#[derive(Debug, PartialEq, Eq)]
pub enum DecodeFailure {
    Binary(String),
    Undecodable(usize, CannotTell),
    UnknownEncoding(String),
    WrongEncoding(&'static str),
}

impl DecodeFailure {
    /// The error for the article at `path` (or `<stdin>`).
    pub fn at(self, path: &Path) -> ReadError {
        let path = path.to_path_buf();
        match self {
            DecodeFailure::Binary(what) => ReadError::Binary { path, what },
            DecodeFailure::Undecodable(offset, why) => ReadError::Undecodable { path, offset, why },
            DecodeFailure::UnknownEncoding(name) => ReadError::UnknownEncoding { name },
            DecodeFailure::WrongEncoding(encoding) => ReadError::WrongEncoding { path, encoding },
        }
    }
}

/// Decodes article bytes; see the module documentation for the rules.
pub fn decode_bytes(bytes: &[u8], forced: Option<&str>) -> Result<SourceText, DecodeFailure> {
    if let Some(label) = forced {
        let encoding = Encoding::for_label(label.trim().as_bytes())
            .ok_or_else(|| DecodeFailure::UnknownEncoding(label.to_string()))?;
        let (text, had_errors) = encoding.decode_with_bom_removal(bytes);
        if had_errors {
            return Err(DecodeFailure::WrongEncoding(encoding.name()));
        }
        return Ok(finish(&text, encoding));
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        if had_errors {
            return Err(DecodeFailure::WrongEncoding(encoding.name()));
        }
        return Ok(finish(&text, encoding));
    }
    if let Some(what) = binary_kind(bytes) {
        return Err(DecodeFailure::Binary(what));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(finish(text, UTF_8)),
        // A file cut in the middle of its last character (a copy or a download that stopped
        // short): read up to that character rather than refuse the whole file.
        Err(e) if e.error_len().is_none() && e.valid_up_to() > 0 => {
            let text = std::str::from_utf8(&bytes[..e.valid_up_to()]).expect("valid up to here");
            Ok(finish(text, UTF_8))
        }
        Err(utf8_error) => match legacy::read(bytes) {
            Ok(read) => Ok(SourceText { guessed: read.guessed, ..finish(&read.text, read.encoding) }),
            Err(why) => Err(DecodeFailure::Undecodable(utf8_error.valid_up_to(), why)),
        },
    }
}

/// `LE` or `BE` when bytes that are not UTF-8 read as UTF-16 in that order give Chinese or
/// ASCII text: nearly every character an ideograph, CJK punctuation, ASCII or white space,
/// and at least one line break or CJK punctuation mark (byte soup, Latin-1 say, can read as
/// ideographs, but hardly ever with `。` or `，` among them). Catches Chinese UTF-16, which has
/// too few NUL bytes for [`binary_kind`]'s count.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static str> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(64 * 1024) & !1];
    let score = |encoding: &'static Encoding| {
        let (text, _, had_errors) = encoding.decode(sample);
        if had_errors {
            return 0.0;
        }
        let mut chars = 0usize;
        let mut textual = 0usize;
        let mut structure = false;
        for c in text.chars() {
            chars += 1;
            let cjk_mark = matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF);
            structure |= cjk_mark || c == '\n';
            if cjk_mark
                || is_han(c)
                || matches!(c as u32, 0x2018..=0x201D | 0x2026)
                || c.is_ascii_graphic()
                || c.is_whitespace()
            {
                textual += 1;
            }
        }
        if structure { textual as f64 / chars.max(1) as f64 } else { 0.0 }
    };
    let (le, be) = (score(encoding_rs::UTF_16LE), score(encoding_rs::UTF_16BE));
    if le >= 0.95 && le > be {
        Some("LE")
    } else if be >= 0.95 && be > le {
        Some("BE")
    } else {
        None
    }
}

/// Names the kind of binary data, or `None` for what may be text.
fn binary_kind(bytes: &[u8]) -> Option<String> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"%PDF", "a PDF document; export its text first"),
        (b"PK\x03\x04", "a ZIP archive, e.g. .docx or .epub; export its text first"),
        (b"RIFF", "a RIFF file such as WAV"),
        (b"ID3", "an MP3 file"),
        (b"\x7FELF", "an executable"),
        (b"\x1F\x8B", "gzip-compressed data"),
    ];
    if let Some((_, what)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Some((*what).to_string());
    }
    if std::str::from_utf8(bytes).is_err()
        && let Some(order) = utf16_without_bom(bytes)
    {
        let label = order.to_ascii_lowercase();
        return Some(format!("it may be UTF-16{order} without a byte-order mark; try --encoding utf-16{label}"));
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let nuls = sample.iter().filter(|&&b| b == 0).count();
    if nuls == 0 {
        return None;
    }
    let odd_nuls = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let even_nuls = nuls - odd_nuls;
    let half = sample.len() / 2;
    if half > 0 && odd_nuls * 10 >= half * 4 && even_nuls * 10 < half {
        return Some("it may be UTF-16LE without a byte-order mark; try --encoding utf-16le".into());
    }
    if half > 0 && even_nuls * 10 >= half * 4 && odd_nuls * 10 < half {
        return Some("it may be UTF-16BE without a byte-order mark; try --encoding utf-16be".into());
    }
    // A stray NUL or two in real text is dropped later with the other control characters.
    (nuls > 8 || nuls * 10 > sample.len()).then(|| format!("{nuls} NUL bytes in the first {} bytes", sample.len()))
}

/// Normalizes line endings to `\n` and drops control characters other than tab and newline
/// (and a BOM that survived in the middle of a file). Terminal colour codes (`ESC [ … m`, from
/// text copied out of a terminal) go whole, so no `[31m` is left to be read aloud.
fn finish(text: &str, encoding: &'static Encoding) -> SourceText {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\u{2028}' | '\u{2029}' | '\u{85}' => out.push('\n'),
            '\n' | '\t' => out.push(c),
            '\u{FEFF}' => {}
            '\u{1B}' if chars.peek() == Some(&'[') => {
                chars.next();
                // Parameters and intermediates up to the final byte (@ to ~), at most a few.
                for _ in 0..32 {
                    match chars.peek() {
                        Some(&f) if ('@'..='~').contains(&f) => {
                            chars.next();
                            break;
                        }
                        Some(&p) if (' '..='?').contains(&p) => {
                            chars.next();
                        }
                        _ => break,
                    }
                }
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    SourceText { text: out, encoding: encoding.name(), guessed: false, meta: Meta::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZH: &str = "标题\r\n一、第一节\r\n机关干部要着力强化“五种意识”。\r\n";

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode_bytes(ZH.as_bytes(), None).unwrap();
        assert_eq!(plain.text, "标题\n一、第一节\n机关干部要着力强化“五种意识”。\n");
        assert_eq!(plain.encoding, "UTF-8");
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(ZH.as_bytes());
        assert_eq!(decode_bytes(&bom, None).unwrap().text, plain.text);
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in ZH.encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
            be.extend_from_slice(&unit.to_be_bytes());
        }
        let expected = "标题\n一、第一节\n机关干部要着力强化“五种意识”。\n";
        assert_eq!(decode_bytes(&le, None).unwrap().text, expected);
        assert_eq!(decode_bytes(&be, None).unwrap().text, expected);
    }

    #[test]
    fn gb18030_detected_with_crlf() {
        let (bytes, _, _) = encoding_rs::GB18030.encode(ZH);
        let got = decode_bytes(&bytes, None).unwrap();
        assert_eq!(got.encoding, "gb18030");
        assert_eq!(got.text, "标题\n一、第一节\n机关干部要着力强化“五种意识”。\n");
    }

    #[test]
    fn cr_only_line_endings() {
        assert_eq!(decode_bytes(b"a\rb\r\rc", None).unwrap().text, "a\nb\n\nc");
    }

    #[test]
    fn binary_is_refused_with_its_kind() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert!(matches!(decode_bytes(png, None), Err(DecodeFailure::Binary(w)) if w.contains("PNG")));
        assert!(matches!(decode_bytes(&[0u8; 100], None), Err(DecodeFailure::Binary(_))));
        let utf16_no_bom: Vec<u8> = "hello world".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert!(matches!(decode_bytes(&utf16_no_bom, None), Err(DecodeFailure::Binary(w)) if w.contains("utf-16le")));
    }

    #[test]
    fn chinese_utf16_without_bom_is_named() {
        let text = "机关干部要着力强化五种意识。\n标题";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert!(matches!(decode_bytes(&le, None), Err(DecodeFailure::Binary(w)) if w.contains("utf-16le")));
        assert!(matches!(decode_bytes(&be, None), Err(DecodeFailure::Binary(w)) if w.contains("utf-16be")));
        // Plain ASCII of even length is UTF-8, not CJK UTF-16.
        assert_eq!(decode_bytes(b"abcd", None).unwrap().text, "abcd");
    }

    #[test]
    fn a_last_character_cut_in_half_is_dropped() {
        let mut bytes = "标题\n正文".as_bytes().to_vec();
        bytes.pop();
        assert_eq!(decode_bytes(&bytes, None).unwrap().text, "标题\n正");
    }

    #[test]
    fn legacy_single_byte_text_is_read_when_it_can_be_told() {
        // Latin-1 accents: valid GB18030 byte pairs would need a lead byte ≥ 0x81 and a trail
        // byte ≥ 0x40; these lone high bytes followed by spaces are not. Too short to tell…
        let short = b"caf\xE9 cr\xE8me br\xFBl\xE9e ";
        assert!(matches!(decode_bytes(short, None), Err(DecodeFailure::Undecodable(3, CannotTell::TooShort(_)))));
        // … but a sentence is Windows-1252, and says so.
        let long = b"caf\xE9 cr\xE8me br\xFBl\xE9e for everyone at the na\xEFve party\r\n";
        let read = decode_bytes(long, None).unwrap();
        assert_eq!(read.text, "café crème brûlée for everyone at the naïve party\n");
        assert_eq!((read.encoding, read.guessed), ("windows-1252", true));
        let note = read.note("a.txt").unwrap();
        assert_eq!(
            note,
            "a.txt is not UTF-8; read as windows-1252 (detected) — pass --encoding NAME to choose another"
        );
        assert!(!decode_bytes(long, Some("latin1")).unwrap().guessed);
    }

    #[test]
    fn forced_encoding() {
        let (bytes, _, _) = encoding_rs::BIG5.encode("繁體中文");
        assert_eq!(decode_bytes(&bytes, Some("big5")).unwrap().text, "繁體中文");
        assert_eq!(decode_bytes(b"x", Some("klingon")), Err(DecodeFailure::UnknownEncoding("klingon".into())));
    }

    #[test]
    fn control_characters_dropped() {
        assert_eq!(
            decode_bytes("some text long enough\0 to hold a stray NUL".as_bytes(), None).unwrap().text,
            "some text long enough to hold a stray NUL"
        );
        assert_eq!(decode_bytes("a\u{7}b\u{1b}c\td".as_bytes(), None).unwrap().text, "abc\td");
        assert_eq!(decode_bytes("\u{1b}[1;31mred\u{1b}[0m [x]".as_bytes(), None).unwrap().text, "red [x]");
    }
}
