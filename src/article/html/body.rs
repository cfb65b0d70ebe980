//! Finding the article in a page, and what inside it is not read.
//!
//! - **The body** is the `<article>` with the most text, else `<main>`, `[role=main]` or
//!   `[itemprop=articleBody]`, else `<body>`; in every case the parts below are left out.
//! - **Not read**: `script`, `style`, `noscript`, `template`, `nav`, `aside`, `footer`, `form`,
//!   `button`, `iframe`, `svg` and other embeds; a `header` outside an `<article>`; elements
//!   with a landmark role other than main (`navigation`, `banner`, `contentinfo`…), hidden ones
//!   (`hidden`, `aria-hidden="true"`, `display:none`); elements whose class or id names
//!   boilerplate (cookie or consent banners, share and social buttons, newsletter, breadcrumbs,
//!   related posts, comments, ads, menus, sidebars, pop-ups), unless a class or id also names
//!   content (`content`, `article`, `main`, `entry`, `story`) or the element holds an `<h1>` or
//!   `<main>` or is large (a page container); and blocks of mostly links
//!   (a menu without a `<nav>`), more than 60% of whose text is link text.
//! - **The title** is the first `<h1>` of the body, else the first `<h1>` read anywhere, else
//!   `<title>`.

use scraper::{ElementRef, Html, Node, Selector};

/// Whether an element of a book's document is not read: only what a book hides (scripts,
/// styles, navigation, asides, forms, embeds, hidden elements), none of a web page's
/// boilerplate rules.
pub(super) fn is_skipped_in_book(el: ElementRef<'_>) -> bool {
    let e = el.value();
    if SKIPPED_TAGS.contains(&e.name()) {
        return true;
    }
    let hidden_style =
        e.attr("style").is_some_and(|s| s.replace(' ', "").to_ascii_lowercase().contains("display:none"));
    e.attr("hidden").is_some() || e.attr("aria-hidden") == Some("true") || hidden_style
}

/// A page's article: its title and the element holding it.
pub(super) struct Found<'a> {
    pub title: Option<String>,
    /// The `<h1>` the title came from, not read again in the body.
    pub title_node: Option<ElementRef<'a>>,
    pub root: ElementRef<'a>,
}

const SKIPPED_TAGS: [&str; 22] = [
    "script", "style", "noscript", "template", "nav", "aside", "footer", "form", "button", "iframe", "svg", "canvas",
    "select", "input", "textarea", "dialog", "object", "embed", "audio", "video", "menu", "head",
];

const SKIPPED_ROLES: [&str; 11] = [
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "dialog",
    "alert",
    "alertdialog",
    "menu",
    "menubar",
    "toolbar",
];

/// How far up a `header` is looked at for an `<article>` holding it.
const MAX_DEPTH: usize = 200;

/// Words in a class or id that mark boilerplate (matched inside each class name or id).
const BOILERPLATE: [&str; 22] = [
    "cookie",
    "consent",
    "gdpr",
    "share",
    "sharing",
    "social",
    "newsletter",
    "subscribe",
    "breadcrumb",
    "related",
    "recommend",
    "comment",
    "advert",
    "sidebar",
    "navbar",
    "menu",
    "popup",
    "modal",
    "promo",
    "footer",
    "masthead",
    "toolbar",
];

/// Class names or ids that are boilerplate only as a whole word (`ad`, `nav`), since as part
/// of a word they are everywhere (`header`, `canvas`).
const BOILERPLATE_WORDS: [&str; 6] = ["ad", "ads", "nav", "share", "tags", "sns"];

pub(super) fn find(document: &Html) -> Found<'_> {
    let root = body_root(document);
    let (title, title_node) = match first_h1(root).or_else(|| first_h1(document.root_element())) {
        Some(h1) => (Some(text_of(h1)), Some(h1)),
        None => (select(document, "title").next().map(text_of), None),
    };
    let title = title.filter(|t| !t.is_empty());
    Found { title, title_node, root }
}

fn body_root(document: &Html) -> ElementRef<'_> {
    // An article inside something not read (comments as `<article>`s, a related-posts aside)
    // is not the article.
    let readable = |e: &ElementRef| !is_skipped(*e) && !e.ancestors().filter_map(ElementRef::wrap).any(is_skipped);
    if let Some(article) = select(document, "article").filter(readable).max_by_key(|a| text_of(*a).chars().count()) {
        return article;
    }
    for query in ["main", "[role=main]", "[itemprop=articleBody]", "body"] {
        if let Some(found) = select(document, query).find(readable) {
            return found;
        }
    }
    document.root_element()
}

fn select<'a>(document: &'a Html, query: &str) -> impl Iterator<Item = ElementRef<'a>> + 'a {
    let selector = Selector::parse(query).expect("a valid selector");
    document.select(&selector).collect::<Vec<_>>().into_iter()
}

/// The first `<h1>` under `root` that is read.
fn first_h1(root: ElementRef<'_>) -> Option<ElementRef<'_>> {
    let mut stack = vec![root];
    while let Some(el) = stack.pop() {
        if el.value().name() == "h1" && !text_of(el).is_empty() {
            return Some(el);
        }
        let children: Vec<_> = el.children().filter_map(ElementRef::wrap).filter(|c| !is_skipped(*c)).collect();
        stack.extend(children.into_iter().rev());
    }
    None
}

/// An element's text with white space collapsed.
pub(super) fn text_of(el: ElementRef<'_>) -> String {
    let text: String = el.text().collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether an element (with everything in it) is not read.
pub(super) fn is_skipped(el: ElementRef<'_>) -> bool {
    let e = el.value();
    let name = e.name();
    if SKIPPED_TAGS.contains(&name) {
        return true;
    }
    if matches!(name, "html" | "body" | "main" | "article") {
        return false;
    }
    let in_article =
        || el.ancestors().take(MAX_DEPTH).any(|a| a.value().as_element().is_some_and(|e| e.name() == "article"));
    if name == "header" && !in_article() {
        return true;
    }
    if e.attr("role").is_some_and(|r| SKIPPED_ROLES.contains(&r.trim().to_ascii_lowercase().as_str())) {
        return true;
    }
    let hidden_style =
        e.attr("style").is_some_and(|s| s.replace(' ', "").to_ascii_lowercase().contains("display:none"));
    if e.attr("hidden").is_some() || e.attr("aria-hidden") == Some("true") || hidden_style {
        return true;
    }
    let names: Vec<String> =
        e.attr("class").unwrap_or("").split_whitespace().chain(e.attr("id")).map(str::to_ascii_lowercase).collect();
    if names.iter().any(|n| names_boilerplate(n)) && !names_content(&names) && !holds_the_page(el) {
        return true;
    }
    matches!(name, "div" | "section" | "ul" | "ol" | "table" | "p") && mostly_links(el)
}

/// A class or id that names the article (`entry-content`, `article-body`, `main-story`) wins
/// over a boilerplate one beside it (`entry-content has-tags`); one that names both
/// (`cookie-consent-content`) is boilerplate.
fn names_content(names: &[String]) -> bool {
    names.iter().any(|n| CONTENT.iter().any(|w| n.contains(w)) && !names_boilerplate(n))
}

const CONTENT: [&str; 5] = ["content", "article", "main", "entry", "story"];

/// Holds an `<h1>` or `<main>`, or is large: a page's container, whatever its class says
/// (`container has-sidebar`), not a banner or a menu. (Not `<article>`: comments are often
/// `<article>`s in a `#comments` section.)
fn holds_the_page(el: ElementRef<'_>) -> bool {
    let mut nodes = el.descendants().skip(1);
    let page = nodes
        .by_ref()
        .take(PAGE_NODES)
        .any(|d| d.value().as_element().is_some_and(|e| matches!(e.name(), "h1" | "main")));
    page || nodes.next().is_some()
}

/// Boilerplate (a banner, a menu, share buttons) is smaller than this many nodes.
const PAGE_NODES: usize = 5000;

fn names_boilerplate(name: &str) -> bool {
    BOILERPLATE.iter().any(|w| name.contains(w)) || name.split(['-', '_']).any(|part| BOILERPLATE_WORDS.contains(&part))
}

/// More than 60% of the text is link text, with at least two links: a menu or a list of
/// links, not a paragraph that links a word or two. Only small blocks are menus: one of more
/// than [`MENU_NODES`] nodes is not looked into (so a deeply nested page is not quadratic).
fn mostly_links(el: ElementRef<'_>) -> bool {
    let nodes: Vec<_> = el.descendants().take(MENU_NODES + 1).collect();
    if nodes.len() > MENU_NODES {
        return false;
    }
    let (mut all, mut linked, mut links) = (0, 0, 0);
    for node in nodes {
        match node.value() {
            Node::Element(e) if e.name() == "a" => links += 1,
            Node::Text(text) => {
                let n = text.chars().filter(|c| !c.is_whitespace()).count();
                all += n;
                let in_link = node
                    .ancestors()
                    .take_while(|a| a.id() != el.id())
                    .any(|a| a.value().as_element().is_some_and(|e| e.name() == "a"));
                if in_link {
                    linked += n;
                }
            }
            _ => {}
        }
    }
    links >= 2 && all > 0 && linked * 10 > all * 6
}

/// The most nodes a block of links (a menu) is looked into.
const MENU_NODES: usize = 400;

/// Whether an element holds block content (a layout table, whose cells hold paragraphs).
pub(super) fn has_blocks(el: ElementRef<'_>) -> bool {
    el.descendants().skip(1).any(|d| match d.value() {
        Node::Element(e) => {
            matches!(e.name(), "p" | "div" | "table" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "pre")
        }
        _ => false,
    })
}
