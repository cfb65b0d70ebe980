//! The spaces a dropped span leaves behind. Separate from the passes that drop things, since
//! it runs once after all of them and only on lines where something was dropped.

/// Tidies the spaces a dropped span left: doubled spaces, spaces before punctuation, empty
/// brackets, leading and trailing spaces; `indent` (the line's own) is put back.
pub(super) fn tidy(s: &str, indent: &str) -> String {
    let body = s.trim_start();
    let mut out = String::with_capacity(s.len());
    for c in body.chars() {
        let closing = matches!(
            c,
            '.' | ',' | ';' | ':' | '!' | '?' | ')' | '，' | '。' | '；' | '：' | '！' | '？' | '）' | '、'
        );
        if closing || c == ' ' {
            while out.ends_with(' ') {
                out.pop();
            }
        }
        if (c == ')' && out.ends_with('(')) || (c == '）' && out.ends_with('（')) {
            out.pop();
            while out.ends_with(' ') {
                out.pop();
            }
            continue;
        }
        out.push(c);
    }
    format!("{indent}{}", out.trim_end())
}

#[cfg(test)]
mod tests {
    use super::tidy;

    #[test]
    fn spaces_left_by_dropped_spans() {
        assert_eq!(tidy("see  the docs ( ) now .", "  "), "  see the docs now.");
        assert_eq!(tidy(" 访问（ ） 。", ""), "访问。");
    }
}
