//! Emphasis delimiters (`*`, `_`, `~~`) → their text, by CommonMark's flanking and pairing
//! rules with one change for Chinese (see the module doc of [`super`]). The one pass that
//! pairs delimiters across a line, so it has a file of its own.

use super::protect::MARK;

/// A run of one delimiter character and what it may do.
struct Run {
    ch: char,
    start: usize,
    len: usize,
    remaining: usize,
    open: bool,
    close: bool,
}

/// `*`, `_` and `~~` emphasis → their text.
pub(super) fn emphasis(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut runs: Vec<Run> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == MARK {
            i += 2;
            continue;
        }
        if !matches!(c, '*' | '_' | '~') {
            i += 1;
            continue;
        }
        let len = chars[i..].iter().take_while(|&&x| x == c).count();
        let prev = if i == 0 { ' ' } else { chars[i - 1] };
        let next = chars.get(i + len).copied().unwrap_or(' ');
        let ws = |c: char| c.is_whitespace();
        let punct = |c: char| !c.is_alphanumeric() && !c.is_whitespace();
        let left = !ws(next) && (!punct(next) || ws(prev) || punct(prev));
        let right = !ws(prev) && (!punct(prev) || ws(next) || punct(next));
        let intraword = prev.is_ascii_alphanumeric() && next.is_ascii_alphanumeric();
        let usable = !intraword && (c != '~' || len == 2);
        runs.push(Run { ch: c, start: i, len, remaining: len, open: usable && left, close: usable && right });
        i += len;
    }
    for c in 0..runs.len() {
        if !runs[c].close {
            continue;
        }
        while runs[c].remaining > 0 {
            let closer = &runs[c];
            let found = (0..c).rev().find(|&o| {
                let opener = &runs[o];
                opener.ch == closer.ch
                    && opener.open
                    && opener.remaining > 0
                    && !((opener.close || closer.open)
                        && (opener.len + closer.len).is_multiple_of(3)
                        && !(opener.len.is_multiple_of(3) && closer.len.is_multiple_of(3)))
            });
            let Some(o) = found else { break };
            let used = if runs[o].remaining >= 2 && runs[c].remaining >= 2 { 2 } else { 1 };
            runs[o].remaining -= used;
            runs[c].remaining -= used;
            for run in &mut runs[o + 1..c] {
                run.open = false;
                run.close = false;
            }
        }
    }
    let mut out = String::with_capacity(s.len());
    let mut next_run = runs.iter().peekable();
    let mut i = 0;
    while i < chars.len() {
        if let Some(run) = next_run.peek()
            && run.start == i
        {
            out.extend(std::iter::repeat_n(run.ch, run.remaining));
            i += run.len;
            next_run.next();
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::check;

    #[test]
    fn emphasis() {
        check(&[
            // Emphasis.
            ("**bold** and __strong__", "bold and strong"),
            ("*it* and _it_ and ***both***", "it and it and both"),
            ("~~gone~~ but 3~5 days", "gone but 3~5 days"),
            ("snake_case_name and __init__", "snake_case_name and init"),
            ("2*3*4 = 24 and 3 * 4 = 12", "2*3*4 = 24 and 3 * 4 = 12"),
            ("rated 5* here, * alone", "rated 5* here, * alone"),
            ("这是**重点**内容，_斜体_。", "这是重点内容，斜体。"),
            ("**注意**：别忘了", "注意：别忘了"),
        ]);
    }
}
