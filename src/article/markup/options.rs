//! [`MarkupOptions`]: what to say for markup that has no good spoken form, and the defaults
//! for a language. Apart from the passes so that callers set options without reading how the
//! markup is taken apart.

use crate::text::language::{Language, is_chinese_tag};

/// What to do with markup that has no good spoken form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkupOptions {
    /// Images: read their alt text (true, default) or skip them.
    pub image_alt: bool,
    /// Said in place of a code block (empty: skip silently).
    pub code_placeholder: String,
    /// Said in place of a table (empty: skip silently).
    pub table_placeholder: String,
    /// `None` (default): read block quotes as text without the `>`; `Some(s)`: say `s` instead
    /// (empty: skip silently).
    pub quote_placeholder: Option<String>,
}

impl MarkupOptions {
    /// Defaults for a language tag: Chinese placeholders for a Chinese tag
    /// (`text::language::is_chinese_tag`: `zh-CN`, `cmn`, `yue`…), English ones otherwise.
    pub fn for_language(language: &str) -> MarkupOptions {
        let zh = is_chinese_tag(language);
        let (code, table) =
            if zh { ("（代码从略）", "（表格从略）") } else { ("(code omitted)", "(table omitted)") };
        MarkupOptions {
            image_alt: true,
            code_placeholder: code.to_string(),
            table_placeholder: table.to_string(),
            quote_placeholder: None,
        }
    }

    /// Defaults for the language the text is written in (`text::language::Language::of_text`, the rule that
    /// also picks the voice): Chinese placeholders for Chinese text, English ones otherwise and
    /// for text without letters.
    pub fn for_text(text: &str) -> MarkupOptions {
        let zh = Language::of_text(text) == Some(Language::Chinese);
        MarkupOptions::for_language(if zh { "zh" } else { "en" })
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::zh;
    use super::super::to_speech;
    use super::MarkupOptions;

    #[test]
    fn chinese_placeholders_and_options() {
        assert_eq!(zh("```\nx\n```\n|a|b|\n|-|-|"), "（代码从略）\n\n\n（表格从略）\n");
        let mut options = MarkupOptions::for_language("en");
        options.image_alt = false;
        options.code_placeholder = String::new();
        options.quote_placeholder = Some("(quote)".into());
        assert_eq!(
            to_speech("![alt](a.png) text\n```\nx\n```\n> a\n> b\nafter", &options),
            "text\n\n\n\n(quote)\n\nafter"
        );
        assert_eq!(MarkupOptions::for_language("zh-CN").code_placeholder, "（代码从略）");
        assert_eq!(MarkupOptions::for_language("en-US").table_placeholder, "(table omitted)");
        assert_eq!(MarkupOptions::for_text("中文文章，有一点 English。").code_placeholder, "（代码从略）");
        assert_eq!(MarkupOptions::for_text("An English article with 一 word.").code_placeholder, "(code omitted)");
    }
}
