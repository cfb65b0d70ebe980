//! Issue 15 item 1, HTML in, through the binary: a saved web page is read for its article
//! only. The pages under `fixtures/html/` are shaped like real ones: a news page with a cookie
//! banner, navigation, share buttons, an ad, comments and a footer; a blog post with lists, a
//! table, code and an image; an old Chinese CMS page in GBK with a layout table and a paid block.

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::Stdio;

use common::*;
use serde_json::Value;

fn page(name: &str) -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/html").join(name)
}

/// `plan --show-spoken --json` of a page: must succeed.
fn plan(path: &std::path::Path) -> Value {
    let r = run(seedaudio().args(["plan", "--show-spoken", "--json"]).arg(path));
    assert_eq!(r.status, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

/// Each chapter's title and whether it is paid.
fn chapter_titles(plan: &Value) -> Vec<(String, bool)> {
    let chapters = plan["chapters"].as_array().unwrap();
    chapters.iter().map(|c| (c["title"].as_str().unwrap().to_string(), c["paid"].as_bool().unwrap())).collect()
}

/// Every utterance's text, in reading order.
fn spoken(plan: &Value) -> Vec<String> {
    let chapters = plan["chapters"].as_array().unwrap();
    let utterances = chapters.iter().flat_map(|c| c["utterance_list"].as_array().unwrap());
    utterances.map(|u| u["text"].as_str().unwrap().to_string()).collect()
}

#[track_caller]
fn none_read(texts: &[String], unwanted: &[&str]) {
    let all = texts.join("\n");
    for bad in unwanted {
        assert!(!all.contains(bad), "{bad:?} is read:\n{all}");
    }
}

#[track_caller]
fn in_order(texts: &[String], wanted: &[&str]) {
    let mut rest = texts.iter();
    for want in wanted {
        assert!(rest.any(|t| t == want), "{want:?} is not read in its place:\n{}", texts.join("\n"));
    }
}

fn owned(titles: &[(&str, bool)]) -> Vec<(String, bool)> {
    titles.iter().map(|(t, p)| (t.to_string(), *p)).collect()
}

#[test]
fn a_news_page_is_read_without_its_navigation_banners_buttons_and_footer() {
    let plan = plan(&page("news.html"));
    assert_eq!(plan["title"], "Harbour Bridge Reopens After Repairs", "the <h1>, not the <title> with the site's name");
    assert_eq!(
        chapter_titles(&plan),
        owned(&[
            ("Harbour Bridge Reopens After Repairs", false),
            ("What was repaired", false),
            ("What comes next", false)
        ])
    );
    let texts = spoken(&plan);
    in_order(
        &texts,
        &[
            "Harbour Bridge Reopens After Repairs",
            "The harbour bridge opened to traffic again on Monday morning after eight months of repairs.",
            "What was repaired",
            "Engineers replaced the cables on the northern span and resurfaced the road & the footpath.",
            "What comes next",
            "The council says the southern span will be inspected next spring.",
        ],
    );
    none_read(
        &texts,
        &[
            "cookie",
            "Accept",
            "Manage preferences",
            "News",
            "Sport",
            "Weather",
            "Subscribe",
            "Sign in",
            "Share",
            "Twitter",
            "Advertisement",
            "AD SLOT",
            "TRACKING",
            "dataLayer",
            "track(",
            "font-family",
            "Related",
            "Ferry",
            "Comments",
            "great news",
            "Copyright",
            "Privacy",
            "Gazette",
            "&amp;",
        ],
    );
}

#[test]
fn a_blog_post_reads_lists_tables_code_images_and_links_as_markdown_does() {
    let plan = plan(&page("blog.htm"));
    assert_eq!(
        chapter_titles(&plan),
        owned(&[("Baking Bread at Home", false), ("Ingredients", false), ("Method", false)])
    );
    let texts = spoken(&plan);
    in_order(
        &texts,
        &[
            "Baking Bread at Home",
            "Good bread needs only four things and a little patience.",
            "Ingredients",
            "Flour, strong white",
            "Water at room temperature",
            "Salt and yeast",
            "Method",
            "1. Mix everything in a bowl.",
            "2. Knead for ten minutes.",
            "The weights I use:",
            "(table omitted)",
            "(code omitted)",
            "A golden loaf cooling on a rack",
            "Read the full guide or visit for more. Prices rose 5 € — sadly.",
        ],
    );
    none_read(
        &texts,
        &["http", "example.org", "SECRET_FORMULA", "hydration", "Grams", "500", "sourdough", "About me", "newsletter"],
    );
}

const GBK_CHAPTERS: [(&str, bool); 4] = [
    ("机关干部的五种意识", false),
    ("一、强化宗旨意识", false),
    ("二、强化精品意识", true),
    ("二、强化精品意识（续）", false),
];

const GBK_UNWANTED: [&str; 9] = ["首页", "新闻", "理论频道", "缓存", "同意", "分享", "微信", "版权", "ICP"];

#[test]
fn a_gbk_page_declared_by_meta_reads_its_paid_block_in_its_own_chapter() {
    let path = page("zh-gbk.html");
    assert!(std::str::from_utf8(&std::fs::read(&path).unwrap()).is_err(), "the fixture is GBK, not UTF-8");
    let plan = plan(&path);
    assert_eq!(chapter_titles(&plan), owned(&GBK_CHAPTERS));
    let texts = spoken(&plan);
    in_order(
        &texts,
        &[
            "机关干部的五种意识",
            "机关干部要增强五种意识，做到心中有数。",
            "一、强化宗旨意识",
            "宗旨意识是根本，要牢记为人民服务。",
            "二、强化精品意识",
            "机关干部要想在工作中出精品、创一流，就要有精益求精的态度。",
            "二、强化精品意识",
            "以上是作者的一点体会。",
        ],
    );
    none_read(&texts, &GBK_UNWANTED);
    none_read(&texts, &["paid", "#"]);

    // From a pipe there is no file name: the page is told by its content.
    let mut child = seedaudio()
        .args(["plan", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&std::fs::read(&path).unwrap()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let piped: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(chapter_titles(&piped), owned(&GBK_CHAPTERS));
}

#[test]
fn a_built_page_has_the_chapters_and_text_of_its_article() {
    let (_b, manifest, _) = build(&page("zh-gbk.html"), &["--engine", "embedded", "--quiet"]);
    let titles: Vec<(String, bool)> = chapters(&manifest)
        .iter()
        .map(|c| (c["title"].as_str().unwrap().to_string(), c["paid"].as_bool().unwrap()))
        .collect();
    assert_eq!(titles, owned(&GBK_CHAPTERS));
    let texts: Vec<String> = utterances(&manifest).iter().map(|u| u["text"].as_str().unwrap().to_string()).collect();
    assert!(texts.iter().any(|t| t == "以上是作者的一点体会。"), "{texts:?}");
    none_read(&texts, &GBK_UNWANTED);
}

#[test]
fn a_page_saved_as_utf8_with_an_old_gbk_declaration_is_read_as_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("saved.html");
    let html = "<html><head><meta charset=\"gbk\"><title>旧网页</title></head><body><p>这一页已经存成了 UTF-8 编码。</p></body></html>";
    std::fs::write(&path, html).unwrap();
    let plan = plan(&path);
    assert_eq!(spoken(&plan), ["旧网页", "这一页已经存成了 UTF-8 编码。"]);
}
