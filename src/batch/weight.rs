//! How much an article weighs when the articles are shared out: the characters of its text
//! as read (after decoding, HTML and EPUB turned into text), white space not counted, since
//! what a build costs (synthesis time, a service's price) follows the characters read.
//! An article that cannot be read weighs its size in bytes: every worker still computes the
//! same weight, and the shard that takes it reports its error.

use std::path::Path;

use crate::article::epub::BookOptions;
use crate::article::input::ArticleInput;

/// The weight of the article file at `path`.
pub fn characters(path: &Path, encoding: Option<&str>, book: BookOptions) -> u64 {
    match ArticleInput::File(path.into()).read(encoding, book) {
        Ok(source) => source.text.chars().filter(|c| !c.is_whitespace()).count() as u64,
        Err(_) => std::fs::metadata(path).map_or(0, |m| m.len()),
    }
}
