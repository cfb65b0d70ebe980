//! Markdown and HTML markup → the text to read aloud, line for line.
//!
//! Runs before marker splitting and heading recognition ([`super::parse_with`]). The output has
//! exactly as many lines as the input, so line numbers stay right: a skipped line becomes
//! empty, and a replaced block (code, table, quote) says its placeholder on its first line and
//! leaves the rest empty.
//!
//! Rules and choices:
//! - **Paid markers** (`##paidbegin##`, `##paidend##`, any letter case) are kept verbatim and in
//!   place, even inside emphasis, links, comments, code blocks or tables: a dropped line or span
//!   keeps the markers it held. Markdown `#` headings keep their `#` prefix for the heading
//!   recognizer; only their text is cleaned.
//! - **Fenced code** (```` ``` ```` or `~~~`, any info string, indented at most 3 spaces) →
//!   `code_placeholder`. A fence that is never closed is not a code block: its line is dropped
//!   and the lines after it are read (silently losing the rest of an article is worse).
//! - **Indented code** (4 spaces or a tab) only when the document otherwise looks like Markdown
//!   (an ATX heading, a code fence, an inline link or a table), the block follows a blank line
//!   or a heading, is not the continuation of a list or footnote, contains no Han character, and
//!   the document does not indent most of its lines (an indentation style, as in Chinese
//!   plain text, is not code). Full-width spaces never make code.
//! - **Tables**: a row with `|`, then a delimiter row (`|---|:--:|`, with at least one `|`),
//!   then the following non-blank lines that contain `|` → `table_placeholder`.
//! - **Block quotes**: `> text` → `text` (nested `>` too); with `quote_placeholder`, a run of
//!   quote lines → the placeholder.
//! - **Lists**: `- x`, `* x`, `+ x` (and task boxes `[ ]`, `[x]`) → `x`; `1. x` stays (the
//!   number is read).
//! - **Emphasis** `*x*`, `**x**`, `_x_`, `__x__`, `~~x~~`, inline code `` `x` `` → `x`.
//!   Delimiters follow CommonMark's flanking rules, except that a `*` or `_` between two ASCII
//!   letters or digits is always literal (`snake_case`, `2*3*4`) while between Han characters
//!   it may be emphasis (Chinese has no spaces). Unmatched delimiters stay as written
//!   (`3 * 4`, `5*`). Stray backticks are dropped. Backslash escapes give the literal character.
//! - **Links** `[text](url)`, `[text][ref]`, `[text][]`, `[text]` (when `ref` is defined) →
//!   `text`; link text that is itself a URL, autolinks `<https://…>` and bare URLs
//!   (`http://`, `https://`, `ftp://`, `www.`) are dropped: a URL is never read. Email
//!   autolinks `<a@b.org>` → the address. Reference definitions `[ref]: url` → empty line (only
//!   when the destination is ASCII, so `[1]: 参考文献` in plain text stays).
//! - **Images** `![alt](src)`, `![alt][ref]` → `alt` (`image_alt`) or nothing.
//! - **Footnotes**: markers `[^1]` are dropped; definitions `[^1]: text` and the indented lines
//!   right after them → empty. Footnotes are asides, often sources and URLs; reading them where
//!   they are defined would interrupt the article.
//! - **HTML**: tags are removed (block tags such as `<p>`, `<br>`, `<li>`, `<td>` leave a space so
//!   words do not run together); comments and the content of `<script>`/`<style>` are dropped,
//!   across lines when closed later in the document (an unclosed one only loses its opening
//!   tag). Entities (`&amp; &lt; &gt; &quot; &#39; &apos; &nbsp;`, a few typographic names, and
//!   numeric `&#NN;`/`&#xHH;`) become characters; `&nbsp;` becomes a plain space. Code spans keep
//!   their text literally.
//! - **Horizontal rules** (`---`, `***`, `___`, spaced or not) and setext `===` underlines →
//!   empty.
//! - Where something was dropped, the spaces it leaves are tidied (no doubled spaces, no space
//!   before punctuation, no empty `()`). Lines without markup are returned unchanged, leading
//!   full-width spaces included.
//!
//! Not handled: constructs spanning lines (emphasis or link text broken over two lines, lazy
//! quote continuations), setext heading text (read as a paragraph), code fences inside quotes
//! or lists, HTML `<pre>` blocks (their text is read), link destinations spanning lines.
//! U+FDD0 (a Unicode noncharacter) is used internally and removed from the input.
//!
//! The files: `options` (what to say instead), `blocks` (the line loop) with `classify`
//! (what a line is) and `refs` (reference definitions), then the inline passes in the order
//! they run: `literals`, `html`, `links`, `emphasis`, `entities`, and `tidy` after
//! them; `protect` holds the stand-ins they all step over.

mod blocks;
mod classify;
mod emphasis;
mod entities;
mod html;
mod links;
mod literals;
mod options;
mod protect;
mod refs;
mod tidy;

pub use options::MarkupOptions;

/// Returns the text with markup turned into speakable text; same number of lines as `text`.
pub fn to_speech(text: &str, options: &MarkupOptions) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    blocks::Doc::new(&lines, options).run().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn en(text: &str) -> String {
        to_speech(text, &MarkupOptions::for_language("en"))
    }

    pub(super) fn zh(text: &str) -> String {
        to_speech(text, &MarkupOptions::for_language("zh"))
    }

    #[track_caller]
    pub(super) fn same_lines(input: &str, output: &str) {
        assert_eq!(input.split('\n').count(), output.split('\n').count(), "{output:?}");
    }

    /// Each input, read with English options, gives its expected text and as many lines.
    #[track_caller]
    pub(super) fn check(cases: &[(&str, &str)]) {
        let mut failed = Vec::new();
        for (input, expected) in cases {
            let got = en(input);
            if &got != expected {
                failed.push(format!("{input:?}\n  got      {got:?}\n  expected {expected:?}"));
            }
            same_lines(input, &got);
        }
        assert!(failed.is_empty(), "{} of {} cases failed:\n{}", failed.len(), cases.len(), failed.join("\n"));
    }

    #[test]
    fn plain_text_stays_as_it_is() {
        check(&[
            // Plain text stays as it is.
            ("　　机关干部要这样做。\n    四个空格缩进的段落。", "　　机关干部要这样做。\n    四个空格缩进的段落。"),
            (
                "Price: 3*4 = 12; file_name_here; 100% sure; a_b * c_d",
                "Price: 3*4 = 12; file_name_here; 100% sure; a_b * c_d",
            ),
            ("中文标点：“引号”、（括号）、《书名》……！", "中文标点：“引号”、（括号）、《书名》……！"),
        ]);
    }

    #[test]
    fn markdown_article_loses_all_markup_and_keeps_its_lines() {
        let article = "\
# A **Guide** to [Markup](https://example.org)

Intro with *emphasis*, `code`, a footnote[^1] and a link to <https://example.org>.

## Lists

- First item with __strong__ text
* Second item with ~~strike~~
+ Third item, see [here][ref]
1. Numbered stays

![A diagram of the flow](img/flow.png)

```toml
key = \"value\"
```

| Name | Value |
|------|------:|
| a    | 1     |

> A quoted line with **bold**.

---

Visit https://example.org/docs for more.##paidbegin## Paid *part*.
##paidend##

[ref]: https://example.org/ref
[^1]: The footnote, https://example.org/source
";
        let out = en(article);
        same_lines(article, &out);
        for bad in ["http", "**", "`", "|", "[^", "<", "]("] {
            assert!(!out.contains(bad), "{bad:?} in:\n{out}");
        }
        let lines: Vec<&str> = out.split('\n').collect();
        assert_eq!(lines[0], "# A Guide to Markup");
        assert_eq!(lines[2], "Intro with emphasis, code, a footnote and a link to.");
        assert_eq!(
            &lines[6..10],
            ["First item with strong text", "Second item with strike", "Third item, see here", "1. Numbered stays"]
        );
        assert_eq!(lines[11], "A diagram of the flow");
        assert_eq!(lines[13], "(code omitted)");
        assert_eq!(lines[17], "(table omitted)");
        assert_eq!(lines[21], "A quoted line with bold.");
        assert_eq!(lines[23], "");
        assert_eq!(lines[25], "Visit for more.##paidbegin## Paid part.");
        assert_eq!(lines[26], "##paidend##");
        assert_eq!(lines[28..], ["", "", ""]);
    }

    #[test]
    fn parse_reads_the_cleaned_text_at_the_original_lines() {
        let a = super::super::parse("# Title\n\n```\ncode\n```\n\n## Part **one**\n\n- an *item*\n").unwrap();
        let blocks: Vec<_> = a.blocks.iter().map(|b| (b.line, b.text.as_str())).collect();
        assert_eq!(blocks, vec![(1, "Title"), (3, "(code omitted)"), (7, "Part one"), (9, "an item")]);
        let a = super::super::parse("标题\n```\n代码\n```\n正文").unwrap();
        assert_eq!(a.blocks[1].text, "（代码从略）");
    }
}
