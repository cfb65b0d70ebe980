//! Footnotes and endnotes are not read inline: a listener cannot glance down and back.
//!
//! - **References** are dropped from the text: `epub:type="noteref"` or `role="doc-noteref"`
//!   links, and links whose text is a note mark (`1`, `[12]`, `*`, `†`) pointing into a
//!   document (`<sup><a href="#fn1">1</a></sup>`, the `<sup>` with them).
//! - **Bodies** are dropped: elements typed `footnote`, `endnote`, `rearnote`, `note` (and the
//!   plural lists), `role="doc-footnote"`/`doc-endnote(s)`, `<aside>`s, blocks whose class or
//!   id names a footnote or endnote, and the block a dropped reference points to further on
//!   in its own document (`<p id="fn1">`, or the `<li>`/`<p>` around `<a id="fn1">`).
//!
//! A document left with no text once its notes are gone is a notes document, not read (see
//! [`super::front_matter`]).

use std::collections::HashMap;

use scraper::{ElementRef, Html};

use super::opf::has_word;

const NOTE_TYPES: [&str; 7] = ["footnote", "endnote", "rearnote", "note", "footnotes", "endnotes", "rearnotes"];
const NOTE_ROLES: [&str; 3] = ["doc-footnote", "doc-endnote", "doc-endnotes"];
const BLOCKS: [&str; 12] = ["p", "div", "section", "aside", "li", "ol", "ul", "dl", "dt", "dd", "table", "blockquote"];

/// Removes note references and note bodies from `document`.
pub fn strip(document: &mut Html) {
    let mut drop = Vec::new();
    // Fragments the references point to, with the place of the first reference: a note comes
    // after its reference (a link back from the note to the text is not a reference to drop).
    let mut targets: HashMap<String, usize> = HashMap::new();
    for (at, el) in document.root_element().descendants().filter_map(ElementRef::wrap).enumerate() {
        if is_reference(el) {
            // The `<sup>` (or `<span class="noteref">`) around the reference goes with it.
            let wrapper = el
                .parent()
                .and_then(ElementRef::wrap)
                .filter(|p| matches!(p.value().name(), "sup" | "span" | "small") && same_text(*p, el));
            drop.push(wrapper.unwrap_or(el).id());
            if let Some(fragment) = el.value().attr("href").and_then(|h| h.strip_prefix('#')) {
                targets.entry(fragment.to_string()).or_insert(at);
            }
        } else if is_body(el) {
            drop.push(el.id());
        }
    }
    for (at, el) in document.root_element().descendants().filter_map(ElementRef::wrap).enumerate() {
        if let Some(id) = el.value().attr("id")
            && targets.get(id).is_some_and(|&reference| reference < at)
        {
            let block = std::iter::once(el)
                .chain(el.ancestors().filter_map(ElementRef::wrap).take(2))
                .find(|e| BLOCKS.contains(&e.value().name()));
            if let Some(block) = block {
                drop.push(block.id());
            }
        }
    }
    for id in drop {
        if let Some(mut node) = document.tree.get_mut(id) {
            node.detach();
        }
    }
}

fn is_reference(el: ElementRef<'_>) -> bool {
    let e = el.value();
    if has_word(e.attr("epub:type").unwrap_or(""), "noteref") || e.attr("role") == Some("doc-noteref") {
        return true;
    }
    if e.name() != "a" || !e.attr("href").is_some_and(|h| h.contains('#')) {
        return false;
    }
    let text: String = el.text().collect();
    let mark = text.trim().trim_start_matches(['[', '(']).trim_end_matches([']', ')']);
    let is_mark = !mark.is_empty()
        && (mark.len() <= 4 && mark.chars().all(|c| c.is_ascii_digit())
            || mark.chars().all(|c| matches!(c, '*' | '†' | '‡' | '§')));
    let in_sup = el.ancestors().filter_map(ElementRef::wrap).take(2).any(|a| a.value().name() == "sup");
    let class = e.attr("class").unwrap_or("").to_ascii_lowercase();
    is_mark && (in_sup || class.contains("note") || class.contains("fn") || text.trim().starts_with('['))
}

fn is_body(el: ElementRef<'_>) -> bool {
    let e = el.value();
    let types = e.attr("epub:type").unwrap_or("");
    if NOTE_TYPES.iter().any(|t| has_word(types, t)) || e.attr("role").is_some_and(|r| NOTE_ROLES.contains(&r)) {
        return true;
    }
    if e.name() == "aside" {
        return true;
    }
    let names = format!("{} {}", e.attr("class").unwrap_or(""), e.attr("id").unwrap_or("")).to_ascii_lowercase();
    BLOCKS.contains(&e.name()) && (names.contains("footnote") || names.contains("endnote"))
}

fn same_text(outer: ElementRef<'_>, inner: ElementRef<'_>) -> bool {
    let text = |e: ElementRef<'_>| e.text().collect::<String>().trim().to_string();
    text(outer) == text(inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stripped(body: &str) -> String {
        let mut document = Html::parse_document(&format!("<html><body>{body}</body></html>"));
        strip(&mut document);
        let text: String = document.root_element().text().collect();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn references_and_bodies_go_the_text_stays() {
        let body = r##"<p id="r1">Text<sup><a href="#fn1" id="ref1">1</a></sup> and more.</p>
            <p>See <a href="c2.xhtml#s">chapter 2</a> too.<a href="#fn2" class="noteref">[2]</a></p>
            <p id="fn1"><a href="#r1">[1]</a> Note one.</p><div id="fn2">Note two.</div>
            <aside epub:type="footnote"><p>Aside note.</p></aside>
            <ol epub:type="endnotes"><li>End note.</li></ol>"##;
        assert_eq!(stripped(body), "Text and more. See chapter 2 too.");
    }

    #[test]
    fn a_link_back_from_a_note_does_not_take_the_text_with_it() {
        let body = r##"<p id="t">Main text<a class="fnref" href="#n" id="back">[1]</a>.</p>
            <p>Middle.</p><p id="n"><a href="#t">[1]</a> The note.</p>"##;
        assert_eq!(stripped(body), "Main text. Middle.");
    }
}
