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

/// Split `phonemes` into pieces of at most `max` ids each, trimmed, none empty, each of about
/// `target` ids or fewer where sentences allow: whole sentences are gathered up to `target`
/// ids; a longer sentence is a piece of its own; only a sentence longer than `max` is cut at
/// a clause end (or between words). `target ≥ max` gives the longest pieces that fit.
pub fn split(phonemes: &str, target: usize, max: usize) -> Vec<String> {
    let max = max.max(1);
    let target = target.clamp(1, max);
    let mut pieces = Vec::new();
    let mut rest = phonemes.trim();
    while !rest.is_empty() {
        let ids = vocab::count(rest);
        if ids <= target {
            pieces.push(rest.to_string());
            break;
        }
        let cuts = cuts(rest, target, max);
        let cut = match cuts.sentence() {
            Some(cut) => cut,
            None if ids <= max => rest.len(),
            None => cuts.within_max(rest),
        };
        let (head, tail) = rest.split_at(cut);
        let head = head.trim();
        if !head.is_empty() {
            pieces.push(head.to_string());
        }
        rest = tail.trim_start();
    }
    pieces
}

/// The places a text may be cut at (byte offsets just after each boundary).
#[derive(Debug, Default)]
struct Cuts {
    /// The last sentence end within `target` ids.
    sentence_in_target: Option<usize>,
    /// The first sentence end past `target` ids, within `max`.
    sentence_past_target: Option<usize>,
    /// The last clause end within `max` ids.
    clause: Option<usize>,
    /// The last space between words within `max` ids.
    space: Option<usize>,
    /// Where `max` ids end (the text's end when it is shorter).
    hard: usize,
}

impl Cuts {
    fn sentence(&self) -> Option<usize> {
        self.sentence_in_target.or(self.sentence_past_target).filter(|&cut| cut > 0)
    }

    /// A cut for a text with no sentence end within `max` ids: after a clause, else between
    /// words, else at the limit (through a word, the only way to speak it at all).
    fn within_max(&self, text: &str) -> usize {
        self.clause.or(self.space).filter(|&cut| cut > 0).unwrap_or(self.hard.max(first_char_len(text)))
    }
}

fn cuts(text: &str, target: usize, max: usize) -> Cuts {
    let mut found = Cuts { hard: text.len(), ..Cuts::default() };
    let mut ids = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if vocab::known(c) {
            ids += 1;
        }
        if ids > max {
            found.hard = at;
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
            if !SENTENCE_ENDS.contains(&c) {
                found.clause = Some(end);
            } else if ids <= target {
                found.sentence_in_target = Some(end);
            } else if found.sentence_past_target.is_none() {
                found.sentence_past_target = Some(end);
            }
        } else if c == ' ' && at > 0 {
            found.space = Some(at);
        }
    }
    found
}

fn first_char_len(text: &str) -> usize {
    text.chars().next().map_or(0, char::len_utf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_one_piece() {
        assert_eq!(split(" ðə dˈɑːɡ. ", 510, 510), vec!["ðə dˈɑːɡ."]);
        assert!(split("   ", 510, 510).is_empty());
    }

    #[test]
    fn prefers_sentence_ends_then_clauses_then_spaces() {
        // 3 + 1 + 3 + 1 + 3 + 1 + 3 ids.
        let text = "abc, def. ghi, jkl.";
        assert_eq!(split(text, 12, 12), vec!["abc, def.", "ghi, jkl."]);
        assert_eq!(split(text, 6, 6), vec!["abc,", "def.", "ghi,", "jkl."]);
        assert_eq!(split("abc def hij", 8, 8), vec!["abc def", "hij"]);
    }

    #[test]
    fn a_closing_quote_stays_with_its_sentence() {
        assert_eq!(split("“ab!” cd ef", 6, 6), vec!["“ab!”", "cd ef"]);
    }

    #[test]
    fn never_cuts_inside_a_word_unless_the_word_alone_is_too_long() {
        assert_eq!(split("abcdef hi", 7, 7), vec!["abcdef", "hi"]);
        assert_eq!(split("abcdefhi", 3, 3), vec!["abc", "def", "hi"]);
    }

    #[test]
    fn pieces_fit_and_lose_nothing_on_a_long_text() {
        let sentence = "ʨi→kwa→nka↘npu↘ jau↘ ꭧwo↗li↘ ʨʰja↗ŋxwa↘, u↓ꭧʊ↓ŋ i↘ʂɨ↗. ";
        let text = sentence.repeat(40);
        let pieces = split(&text, vocab::MAX_TOKENS, vocab::MAX_TOKENS);
        assert!(pieces.len() > 1);
        for piece in &pieces {
            assert!(vocab::count(piece) <= vocab::MAX_TOKENS);
            assert!(piece.ends_with('.'), "cut at a sentence end: {piece:?}");
        }
        let joined: String = pieces.join(" ");
        assert_eq!(joined.replace(' ', ""), text.replace(' ', ""));
    }

    #[test]
    fn whole_sentences_are_gathered_up_to_the_target() {
        // Sentences of 3, 3, 7 and 3 ids (with their full stops), a space between each.
        let text = "ab. cd. efghij. kl.";
        assert_eq!(split(text, 7, 20), vec!["ab. cd.", "efghij.", "kl."]);
        // A sentence past the target is a piece of its own, not cut at its commas.
        assert_eq!(split("ab, cd, ef. gh.", 4, 20), vec!["ab, cd, ef.", "gh."]);
        // Without a sentence end, a text within the limit stays whole.
        assert_eq!(split("ab, cd, ef, gh", 4, 20), vec!["ab, cd, ef, gh"]);
        // Only past the limit is a sentence cut at a clause end.
        assert_eq!(split("ab, cd, ef, gh.", 4, 9), vec!["ab, cd,", "ef, gh."]);
    }

    #[test]
    fn unknown_symbols_do_not_count() {
        assert_eq!(split("a-b-c d", 3, 3), vec!["a-b-c", "d"]);
    }
}
