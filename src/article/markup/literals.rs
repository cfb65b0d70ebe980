//! Code spans and backslash escapes: text that is read literally. Runs first among the inline
//! passes and hides that text in stand-ins, so no later pass reads markup inside it.

use super::protect::{MARK, Piece, Store, copy_mark, split_keep_marks};

/// Code spans and backslash escapes → stand-ins holding their literal text; stray backticks
/// dropped.
pub(super) fn literals(s: &str, store: &mut Store) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == MARK {
            i = copy_mark(&chars, i, &mut out);
        } else if c == '\\' && chars.get(i + 1).is_some_and(char::is_ascii_punctuation) {
            out.push_str(&store.put(chars[i + 1].to_string(), false));
            i += 2;
        } else if c == '`' {
            let run = chars[i..].iter().take_while(|&&c| c == '`').count();
            let mut j = i + run;
            let mut close = None;
            while j < chars.len() {
                if chars[j] == '`' {
                    let r = chars[j..].iter().take_while(|&&c| c == '`').count();
                    if r == run {
                        close = Some(j);
                        break;
                    }
                    j += r;
                } else {
                    j += 1;
                }
            }
            match close {
                Some(j) => {
                    let mut content: String = chars[i + run..j].iter().collect();
                    if content.len() >= 2
                        && content.starts_with(' ')
                        && content.ends_with(' ')
                        && !content.trim().is_empty()
                    {
                        content = content[1..content.len() - 1].to_string();
                    }
                    // Markers inside a code span stay markers.
                    for piece in split_keep_marks(&content) {
                        match piece {
                            Piece::Text(t) => out.push_str(&store.put(t.to_string(), false)),
                            Piece::Mark(m) => out.push_str(m),
                        }
                    }
                    i = j + run;
                }
                None => i += run,
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::check;

    #[test]
    fn code_spans_and_escapes() {
        check(&[
            // Inline code.
            ("run `cargo test` now", "run cargo test now"),
            ("``a ` b`` and `<b>&amp;`", "a ` b and <b>&amp;"),
            ("a stray ` tick", "a stray  tick"),
            (r"\*not emphasis\* and a \[bracket\]", "*not emphasis* and a [bracket]"),
        ]);
    }
}
