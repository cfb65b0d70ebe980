//! The block level: the loop over a document's lines that recognizes code blocks, tables,
//! quotes, footnote and reference definitions, headings and list items, says placeholders for
//! the blocks that have no spoken form, and hands each remaining line's text to the inline
//! passes. The one file that knows the order of the passes.

use std::collections::{HashMap, HashSet};

use super::classify::{
    Fence, atx_prefix, bullet_item, closes_fence, indents_paragraphs, is_delimiter_row, is_footnote_definition,
    is_rule, leading_columns, looks_like_markdown, open_fence, ordered_item, split_prefix,
};
use super::emphasis::emphasis;
use super::entities::entities;
use super::html::Html;
use super::links::{bare_urls, links};
use super::literals::literals;
use super::options::MarkupOptions;
use super::protect::{MARK, Store, protect};
use super::refs::{is_reference_definition, reference_labels};
use super::tidy::tidy;
use crate::text::language::is_han;

/// One document being read, line by line.
pub(super) struct Doc<'a> {
    options: &'a MarkupOptions,
    lines: &'a [&'a str],
    refs: HashSet<String>,
    markdown: bool,
    indents_paragraphs: bool,
    /// Comments and script/style elements open across lines.
    html: Html,
    /// The closing line last found for a fence (`None`: none follows), reused while it still
    /// lies ahead, so many unclosed fences are not quadratic (see also [`Html`]).
    fence_ends: HashMap<Fence, Option<usize>>,
}

/// What the last non-blank line was, for indented code.
#[derive(PartialEq, Clone, Copy)]
enum Context {
    Start,
    Heading,
    Paragraph,
    /// A list item, a footnote definition, or a line continuing one: indented lines after it
    /// belong to it.
    Container,
}

impl<'a> Doc<'a> {
    pub(super) fn new(lines: &'a [&'a str], options: &'a MarkupOptions) -> Doc<'a> {
        Doc {
            options,
            fence_ends: HashMap::new(),
            refs: reference_labels(lines),
            lines,
            markdown: looks_like_markdown(lines),
            indents_paragraphs: indents_paragraphs(lines),
            html: Html::new(lines),
        }
    }

    /// The speakable lines, one for each line of the document.
    pub(super) fn run(&mut self) -> Vec<String> {
        let n = self.lines.len();
        let mut out: Vec<String> = Vec::with_capacity(n);
        let mut context = Context::Start;
        let mut blank_before = true;
        let mut in_footnote = false;
        let mut i = 0;
        while i < n {
            let mut store = Store::default();
            let line = protect(self.lines[i], &mut store);
            if self.html.is_open() {
                let text = self.inline(&line, &mut store, i);
                out.push(store.restore(&text));
                i += 1;
                continue;
            }
            let (prefix, body) = split_prefix(&line);
            if body.is_empty() {
                out.push(self.lines[i].to_string());
                blank_before = true;
                i += 1;
                continue;
            }
            let indent = leading_columns(self.lines[i]);
            let prefix_has_marker = prefix.contains(MARK);

            // Fenced code.
            if indent <= 3
                && let Some(fence) = open_fence(body)
            {
                match self.fence_end(i, fence) {
                    Some(end) => {
                        let placeholder = self.options.code_placeholder.clone();
                        self.block(&mut out, i, end + 1, &placeholder);
                        i = end + 1;
                    }
                    None => {
                        out.push(store.restore(&store.markers_in(&line)));
                        i += 1;
                    }
                }
                context = Context::Paragraph;
                blank_before = false;
                continue;
            }
            // Tables.
            if indent <= 3 && body.contains('|') && i + 1 < n && is_delimiter_row(self.lines[i + 1]) {
                let mut end = i + 2;
                while end < n && !self.lines[end].trim().is_empty() && self.lines[end].contains('|') {
                    end += 1;
                }
                let placeholder = self.options.table_placeholder.clone();
                self.block(&mut out, i, end, &placeholder);
                i = end;
                context = Context::Paragraph;
                blank_before = false;
                continue;
            }
            // Footnote definitions and their indented continuation lines.
            if in_footnote && !blank_before && indent >= 2 {
                out.push(store.restore(&store.markers_in(&line)));
                i += 1;
                continue;
            }
            in_footnote = false;
            // Indented code.
            if self.markdown
                && !self.indents_paragraphs
                && indent >= 4
                && !prefix_has_marker
                && (context == Context::Heading || (blank_before && context != Context::Container))
            {
                let mut end = i + 1;
                let mut last = i;
                while end < n {
                    let l = self.lines[end];
                    if l.trim().is_empty() {
                        end += 1;
                    } else if leading_columns(l) >= 4 {
                        last = end;
                        end += 1;
                    } else {
                        break;
                    }
                }
                let end = last + 1;
                if !self.lines[i..end].iter().any(|l| l.chars().any(is_han)) {
                    let placeholder = self.options.code_placeholder.clone();
                    self.block(&mut out, i, end, &placeholder);
                    i = end;
                    context = Context::Paragraph;
                    blank_before = false;
                    continue;
                }
            }
            // Block quotes replaced by a placeholder.
            if indent <= 3
                && let Some(placeholder) = &self.options.quote_placeholder
                && body.starts_with('>')
            {
                let placeholder = placeholder.clone();
                let mut end = i + 1;
                while end < n && split_prefix(self.lines[end]).1.starts_with('>') {
                    end += 1;
                }
                self.block(&mut out, i, end, &placeholder);
                i = end;
                context = Context::Paragraph;
                blank_before = false;
                continue;
            }
            if indent <= 3 && is_footnote_definition(body) {
                out.push(store.restore(&store.markers_in(&line)));
                in_footnote = true;
                context = Context::Container;
                blank_before = false;
                i += 1;
                continue;
            }
            if indent <= 3 && is_reference_definition(body) {
                out.push(store.restore(&store.markers_in(&line)));
                blank_before = false;
                i += 1;
                continue;
            }
            let (text, kind) = self.line(prefix, body, &mut store, i);
            context = match kind {
                LineKind::Heading => Context::Heading,
                LineKind::ListItem => Context::Container,
                LineKind::Other if context == Context::Container && indent >= 2 => Context::Container,
                LineKind::Other => Context::Paragraph,
            };
            out.push(store.restore(&text));
            blank_before = false;
            i += 1;
        }
        out
    }

    /// Lines `start..end` as one block: the placeholder on the first line, the rest empty;
    /// every marker stays on its line (those before the block's text ahead of the placeholder).
    fn block(&self, out: &mut Vec<String>, start: usize, end: usize, placeholder: &str) {
        for (j, line) in self.lines[start..end].iter().enumerate() {
            let mut store = Store::default();
            let protected = protect(line, &mut store);
            if j == 0 {
                let (prefix, body) = split_prefix(&protected);
                let parts = [store.markers_in(prefix), placeholder.to_string(), store.markers_in(body)];
                let joined: Vec<&str> = parts.iter().map(String::as_str).filter(|p| !p.is_empty()).collect();
                out.push(store.restore(&joined.join(" ")));
            } else {
                out.push(store.restore(&store.markers_in(&protected)));
            }
        }
    }

    /// One line of text: headings, rules, quotes, list items, then inline markup.
    fn line(&mut self, prefix: &str, body: &str, store: &mut Store, index: usize) -> (String, LineKind) {
        if is_rule(body) {
            return (store.markers_in(&format!("{prefix}{body}")), LineKind::Other);
        }
        if let Some(hashes) = atx_prefix(body) {
            let rest = self.inline(&body[hashes.len()..], store, index);
            return (format!("{prefix}{hashes}{rest}"), LineKind::Heading);
        }
        if let Some(rest) = body.strip_prefix('>') {
            let rest = rest.strip_prefix(' ').unwrap_or(rest);
            let (inner_prefix, inner) = split_prefix(rest);
            if inner.is_empty() {
                return (format!("{prefix}{inner_prefix}"), LineKind::Other);
            }
            let (text, kind) = self.line(inner_prefix, inner, store, index);
            return (format!("{prefix}{text}"), kind);
        }
        if let Some(item) = bullet_item(body) {
            let text = self.inline(item, store, index);
            return (format!("{prefix}{text}"), LineKind::ListItem);
        }
        let kind = if ordered_item(body) { LineKind::ListItem } else { LineKind::Other };
        (format!("{prefix}{}", self.inline(body, store, index)), kind)
    }

    /// Inline markup of one line's text.
    fn inline(&mut self, s: &str, store: &mut Store, index: usize) -> String {
        let indent = &s[..s.len() - s.trim_start().len()];
        let s = literals(s, store);
        let (s, dropped_html) = self.html.strip(&s, store, index);
        let (s, dropped_links) = links(&s, &self.refs, self.options.image_alt, store);
        let (s, dropped_urls) = bare_urls(&s, store);
        let s = emphasis(&s);
        let s = entities(&s);
        if dropped_html || dropped_links || dropped_urls { tidy(&s, indent) } else { s }
    }

    /// The line that closes `fence` opened on line `index`.
    fn fence_end(&mut self, index: usize, fence: Fence) -> Option<usize> {
        if let Some(&known) = self.fence_ends.get(&fence)
            && known.is_none_or(|end| end > index)
        {
            // The search that found `known` started before `index` and saw no closer until it.
            return known;
        }
        let end = (index + 1..self.lines.len()).find(|&j| closes_fence(self.lines[j], fence));
        self.fence_ends.insert(fence, end);
        end
    }
}

enum LineKind {
    Heading,
    ListItem,
    Other,
}

#[cfg(test)]
mod tests {
    use super::super::tests::{check, en, zh};

    #[test]
    fn fenced_code_tables_quotes_lists_footnotes_rules_headings() {
        check(&[
            // Fenced code.
            ("a\n```rust\nlet x = 1;\n```\nb", "a\n(code omitted)\n\n\nb"),
            ("a\n~~~ python extra\nprint()\n~~~~\nb", "a\n(code omitted)\n\n\nb"),
            ("```\nnever closed\nstill read", "\nnever closed\nstill read"),
            // Tables.
            ("x\n| a | b |\n|---|:--:|\n| 1 | 2 |\n| 3 | 4 |\nafter", "x\n(table omitted)\n\n\n\nafter"),
            ("a | b\n--|--\n1 | 2", "(table omitted)\n\n"),
            // Block quotes.
            ("> quoted *text*", "quoted text"),
            ("> > nested\n>\n> - item", "nested\n\nitem"),
            // Lists.
            ("- one\n* two\n+ three", "one\ntwo\nthree"),
            ("  - nested [link](http://x.org)", "  nested link"),
            ("- [ ] todo\n- [x] done", "todo\ndone"),
            ("1. first\n2) second", "1. first\n2) second"),
            // Footnotes.
            (
                "A claim.[^1] More.[^note]\n\n[^1]: Source, https://x.org\n    more of it\nNext",
                "A claim. More.\n\n\n\nNext",
            ),
            // Rules and setext underlines.
            ("a\n---\n***\n_ _ _\n===\nb", "a\n\n\n\n\nb"),
            // Headings keep their marks, text cleaned.
            ("# The **Title**\n## A [link](http://x.org) `here` ##", "# The Title\n## A link here ##"),
        ]);
    }

    #[test]
    fn indented_code_only_in_markdown_documents() {
        let md = "# Title\n\nText:\n\n    let x = 1;\n    let y = 2;\n\nAfter.";
        assert_eq!(en(md), "# Title\n\nText:\n\n(code omitted)\n\n\nAfter.");
        // Plain text: indentation is just indentation.
        let plain = "Title\n\nText:\n\n    let x = 1;\n\nAfter.";
        assert_eq!(en(plain), plain);
        // Chinese paragraphs indented in a Markdown document are read.
        let zh_md = "# 标题\n\n    第一段用四个空格缩进。\n\n\t第二段用制表符。";
        assert_eq!(zh(zh_md), zh_md);
        // A document that indents most lines has an indentation style, not code.
        let styled = "# Title\n\n    First paragraph.\n\n    Second paragraph.";
        assert_eq!(en(styled), styled);
        // Continuation of a list item is not code.
        let list = "# T\n\n- item\n\n    more of the item\n\nend";
        assert_eq!(en(list), "# T\n\nitem\n\n    more of the item\n\nend");
    }
}
