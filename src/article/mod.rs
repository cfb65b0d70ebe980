//! The article: text → title and blocks (headings and paragraphs), each free or paid.
//!
//! Pure: no I/O. The README's "The article format" gives the rules; the choices made
//! where it is silent are documented on the functions below.

pub mod input;
pub mod source;

pub mod epub;
pub mod heading;
pub mod html;
pub mod markers;
pub mod markup;

pub use heading::Style;
pub use markup::MarkupOptions;

/// A parsed article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The first non-empty line (a leading Markdown heading without its `#` marks).
    pub title: String,
    /// Every block in reading order, the title first.
    pub blocks: Vec<Block>,
    /// The heading style that starts chapters, if the article has headings.
    pub chapter_style: Option<Style>,
    /// Things the author should know about (stray markers, a missing end marker).
    pub warnings: Vec<Warning>,
    /// Who wrote it, when the file says (an EPUB's `dc:creator`s, an HTML page's
    /// `<meta name="author">`); `None` for text.
    pub author: Option<String>,
    /// The language it says it is written in (an EPUB's `dc:language`, an HTML page's
    /// `<html lang>`, e.g. `zh-CN`).
    pub language: Option<String>,
}

/// One heading or paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// What is read aloud: the line without markers or Markdown `#` marks.
    pub text: String,
    /// 1-based line number in the article file.
    pub line: usize,
    /// The paid block this block belongs to (numbered from 0), or `None` when free.
    pub paid: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockKind {
    Title,
    /// A heading at the chapter level: it starts a chapter.
    Heading,
    /// A lower-level heading, announced with a pause inside its chapter.
    Subheading,
    Paragraph,
}

/// A note about the article tied to a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub line: usize,
    pub message: String,
}

impl Warning {
    pub fn new(line: usize, message: String) -> Self {
        Warning { line, message }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ParseError {
    #[error("the article has no text to read (it is empty, white space, or only paid markers)")]
    Empty,
    /// Only punctuation and symbols: a build would be a file of pauses.
    #[error("the article has nothing to read aloud: it holds only punctuation or symbols, no letters or digits")]
    NothingToSay,
}

impl Block {
    pub fn starts_chapter(&self) -> bool {
        matches!(self.kind, BlockKind::Title | BlockKind::Heading)
    }
}

/// Parses decoded article text (with `\n` line endings).
///
/// - The title is the first non-empty piece of text.
/// - When the article has Markdown headings after its title, only Markdown headings are
///   headings (a `1.` line there is a list item); otherwise the numbered styles of
///   [`heading::numbered`] are recognised.
/// - The highest heading level present is the chapter level.
///
/// Markdown and HTML markup is first turned into speakable text ([`markup::to_speech`]) with
/// the placeholders of the language the text is mostly written in
/// ([`MarkupOptions::for_text`]: Chinese ones for Chinese text, by the rule that picks the voice).
pub fn parse(text: &str) -> Result<Article, ParseError> {
    parse_with(text, &MarkupOptions::for_text(text))
}

/// [`parse`] with the given markup options.
pub fn parse_with(text: &str, options: &MarkupOptions) -> Result<Article, ParseError> {
    let text = markup::to_speech(text, options);
    let (fragments, warnings) = markers::split(&text);
    let mut fragments = fragments.into_iter();
    let first = fragments.next().ok_or(ParseError::Empty)?;
    let title = heading::markdown(&first.text).map_or(first.text.clone(), |h| h.text);

    let rest: Vec<_> = fragments.collect();
    let is_markdown = rest.iter().any(|f| heading::markdown(&f.text).is_some());
    let recognise = |line: &str| {
        if is_markdown { heading::markdown(line) } else { heading::numbered(line) }
    };
    let candidates: Vec<_> = rest.iter().map(|f| recognise(&f.text)).collect();
    let chapter_style = candidates.iter().flatten().map(|h| h.style).min();

    let mut blocks = vec![Block { kind: BlockKind::Title, text: title.clone(), line: first.line, paid: first.paid }];
    for (fragment, candidate) in rest.into_iter().zip(candidates) {
        let (kind, text) = match candidate {
            Some(h) if Some(h.style) == chapter_style => (BlockKind::Heading, h.text),
            Some(h) => (BlockKind::Subheading, h.text),
            None => (BlockKind::Paragraph, fragment.text),
        };
        blocks.push(Block { kind, text, line: fragment.line, paid: fragment.paid });
    }
    if !blocks.iter().any(|b| b.text.chars().any(char::is_alphanumeric)) {
        return Err(ParseError::NothingToSay);
    }
    Ok(Article { title, blocks, chapter_style, warnings, author: None, language: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(article: &Article) -> Vec<(BlockKind, &str, Option<usize>)> {
        article.blocks.iter().map(|b| (b.kind, b.text.as_str(), b.paid)).collect()
    }

    #[test]
    fn chinese_article_with_sub_levels_and_enumerations() {
        let a = parse("标题\n\n引言。\n一、第一部分\n（一）小标题\n一是要这样。\n二、第二部分\n正文。").unwrap();
        assert_eq!(a.title, "标题");
        assert_eq!(a.chapter_style, Some(Style::ChineseNumeral));
        use BlockKind::*;
        assert_eq!(
            kinds(&a),
            vec![
                (Title, "标题", None),
                (Paragraph, "引言。", None),
                (Heading, "一、第一部分", None),
                (Subheading, "（一）小标题", None),
                (Paragraph, "一是要这样。", None),
                (Heading, "二、第二部分", None),
                (Paragraph, "正文。", None),
            ]
        );
    }

    #[test]
    fn paren_numerals_are_chapters_when_highest() {
        let a = parse("T\n（一）甲\n文。\n（二）乙\n文。").unwrap();
        assert_eq!(a.chapter_style, Some(Style::ParenChineseNumeral));
        assert_eq!(a.blocks[1].kind, BlockKind::Heading);
    }

    #[test]
    fn markdown_title_and_levels() {
        let a = parse("# The Title\n\nIntro.\n\n## One\n\n1. a list item\n\n### Deeper\n\nText.\n\n## Two\n").unwrap();
        assert_eq!(a.title, "The Title");
        assert_eq!(a.chapter_style, Some(Style::Markdown(2)));
        use BlockKind::*;
        let k: Vec<_> = a.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(k, vec![Title, Paragraph, Heading, Paragraph, Subheading, Paragraph, Heading]);
        assert_eq!(a.blocks[4].text, "Deeper");
    }

    #[test]
    fn paid_state_and_line_numbers() {
        let a = parse("T\nfree ##paidbegin## paid\n##paidend##\ntail").unwrap();
        let lines: Vec<_> = a.blocks.iter().map(|b| (b.line, b.paid)).collect();
        assert_eq!(lines, vec![(1, None), (2, None), (2, Some(0)), (4, None)]);
    }

    #[test]
    fn empty_and_marker_only_articles_are_errors() {
        assert_eq!(parse(""), Err(ParseError::Empty));
        assert_eq!(parse(" \n\t\n"), Err(ParseError::Empty));
        assert_eq!(parse("##paidbegin##\n##paidend##"), Err(ParseError::Empty));
        assert_eq!(parse("！！！\n???\n。。。 —— ……"), Err(ParseError::NothingToSay));
    }
}
