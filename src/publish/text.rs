//! Article text made fit for one line of a caption or a label.

/// `text` on one line: every run of white space (line breaks included) becomes one space,
/// control characters become spaces, and the ends are trimmed. Caption formats end a cue at
/// a blank line, so a payload must never contain one; utterances are paragraphs, so their
/// own line breaks carry no meaning worth keeping.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() || c == '\u{FEFF}' {
            gap = !out.is_empty();
        } else {
            if gap {
                out.push(' ');
                gap = false;
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn collapses_breaks_and_controls() {
        assert_eq!(one_line("  a\n\n b\r\n\tc\u{0}d \u{2028} e  "), "a b c d e");
        assert_eq!(one_line("\n\n"), "");
        assert_eq!(one_line("中文\n句子"), "中文 句子");
    }
}
