//! Cutting a phoneme string into pieces the model takes in one call (at most
//! [`MAX_TOKENS`](super::vocab::MAX_TOKENS) ids each).
//!
//! A piece ends, by preference, after a sentence end (`.` `!` `?` `…`, with a closing quote or
//! bracket that follows it), else after a clause end (`,` `;` `:` `—`), else at a space between
//! words. A word is never cut unless it alone is longer than the limit (then it is cut at the
//! limit, the only way to speak it at all).

use super::vocab;

const SENTENCE_ENDS: [char; 4] = ['.', '!', '?', '…'];
const CLAUSE_ENDS: [char; 4] = [',', ';', ':', '—'];
const CLOSERS: [char; 3] = ['”', '"', ')'];

/// Split `phonemes` into pieces of at most `max` ids each, trimmed, none empty.
pub fn split(phonemes: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut pieces = Vec::new();
    let mut rest = phonemes.trim();
    while !rest.is_empty() {
        if vocab::count(rest) <= max {
            pieces.push(rest.to_string());
            break;
        }
        let cut = best_cut(rest, max);
        let (head, tail) = rest.split_at(cut);
        let head = head.trim();
        if !head.is_empty() {
            pieces.push(head.to_string());
        }
        rest = tail.trim_start();
    }
    pieces
}

/// The byte offset to cut `text` at: the end of the last boundary of the best kind whose head
/// fits within `max` ids.
fn best_cut(text: &str, max: usize) -> usize {
    let mut sentence = None;
    let mut clause = None;
    let mut space = None;
    let mut hard = text.len();
    let mut ids = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if vocab::known(c) {
            ids += 1;
        }
        if ids > max {
            hard = at;
            break;
        }
        let mut end = at + c.len_utf8();
        if SENTENCE_ENDS.contains(&c) || CLAUSE_ENDS.contains(&c) {
            // A closing quote or bracket belongs with the sentence it ends.
            let mut extra = 0;
            while let Some(&(next_at, next)) = chars.peek() {
                if CLOSERS.contains(&next) && ids + extra < max {
                    end = next_at + next.len_utf8();
                    extra += 1;
                    chars.next();
                } else {
                    break;
                }
            }
            ids += extra;
            if SENTENCE_ENDS.contains(&c) {
                sentence = Some(end);
            } else {
                clause = Some(end);
            }
        } else if c == ' ' && at > 0 {
            space = Some(at);
        }
    }
    sentence.or(clause).or(space).filter(|&cut| cut > 0).unwrap_or(hard.max(first_char_len(text)))
}

fn first_char_len(text: &str) -> usize {
    text.chars().next().map_or(0, char::len_utf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_one_piece() {
        assert_eq!(split(" ðə dˈɑːɡ. ", 510), vec!["ðə dˈɑːɡ."]);
        assert!(split("   ", 510).is_empty());
    }

    #[test]
    fn prefers_sentence_ends_then_clauses_then_spaces() {
        // 3 + 1 + 3 + 1 + 3 + 1 + 3 ids.
        let text = "abc, def. ghi, jkl.";
        assert_eq!(split(text, 12), vec!["abc, def.", "ghi, jkl."]);
        assert_eq!(split(text, 6), vec!["abc,", "def.", "ghi,", "jkl."]);
        assert_eq!(split("abc def hij", 8), vec!["abc def", "hij"]);
    }

    #[test]
    fn a_closing_quote_stays_with_its_sentence() {
        assert_eq!(split("“ab!” cd ef", 6), vec!["“ab!”", "cd ef"]);
    }

    #[test]
    fn never_cuts_inside_a_word_unless_the_word_alone_is_too_long() {
        assert_eq!(split("abcdef hi", 7), vec!["abcdef", "hi"]);
        assert_eq!(split("abcdefhi", 3), vec!["abc", "def", "hi"]);
    }

    #[test]
    fn pieces_fit_and_lose_nothing_on_a_long_text() {
        let sentence = "ʨi→kwa→nka↘npu↘ jau↘ ꭧwo↗li↘ ʨʰja↗ŋxwa↘, u↓ꭧʊ↓ŋ i↘ʂɨ↗. ";
        let text = sentence.repeat(40);
        let pieces = split(&text, vocab::MAX_TOKENS);
        assert!(pieces.len() > 1);
        for piece in &pieces {
            assert!(vocab::count(piece) <= vocab::MAX_TOKENS);
            assert!(piece.ends_with('.'), "cut at a sentence end: {piece:?}");
        }
        let joined: String = pieces.join(" ");
        assert_eq!(joined.replace(' ', ""), text.replace(' ', ""));
    }

    #[test]
    fn unknown_symbols_do_not_count() {
        assert_eq!(split("a-b-c d", 3), vec!["a-b-c", "d"]);
    }
}
