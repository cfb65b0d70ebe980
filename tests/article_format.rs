//! The article format through `seedaudio plan --json`: encodings, headings, paid markers.

mod common;

use common::*;
use serde_json::Value;

fn plan_json(path: &std::path::Path, extra: &[&str]) -> (Value, String) {
    let r = run(seedaudio().arg("plan").arg("--json").arg(path).args(extra));
    assert_eq!(r.status, 0, "{}", r.stderr);
    (serde_json::from_str(&r.stdout).unwrap(), r.stderr)
}

/// `(title, paid, markers)` of every chapter.
fn outline(plan: &Value) -> Vec<(String, bool, Vec<String>)> {
    plan["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let markers = c["markers"].as_array().unwrap().iter().map(|m| m["title"].as_str().unwrap().to_string());
            (c["title"].as_str().unwrap().to_string(), c["paid"].as_bool().unwrap(), markers.collect())
        })
        .collect()
}

fn o(title: &str, paid: bool, markers: &[&str]) -> (String, bool, Vec<String>) {
    (title.to_string(), paid, markers.iter().map(|m| m.to_string()).collect())
}

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn gb18030_with_crlf_reads_like_the_utf8_original() {
    let utf8 = std::fs::read_to_string(article("zh-example.txt")).unwrap();
    let crlf = utf8.replace('\n', "\r\n");
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&crlf);
    assert!(!unmappable);
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "gb.txt", &gb);
    let (from_gb, _) = plan_json(&path, &[]);
    let (from_utf8, _) = plan_json(&article("zh-example.txt"), &[]);
    assert_eq!(from_gb["chapters"], from_utf8["chapters"]);
    assert_eq!(from_gb["title"], "把文章变成声音：写给播客作者的一封信");
}

#[test]
fn utf16_with_bom_and_cr_line_endings() {
    let text = std::fs::read_to_string(article("zh-two-paid.txt")).unwrap().replace('\n', "\r");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let dir = tempfile::tempdir().unwrap();
    let (plan, _) = plan_json(&write(&dir, "u16.txt", &bytes), &[]);
    let (original, _) = plan_json(&article("zh-two-paid.txt"), &[]);
    assert_eq!(plan["chapters"], original["chapters"]);
}

#[test]
fn markdown_article_uses_hash_headings_and_reads_lists_as_text() {
    let (plan, _) = plan_json(&article("en-example.md"), &[]);
    assert_eq!(plan["title"], "Listening Is Reading Too");
    assert_eq!(
        outline(&plan),
        vec![
            o("Listening Is Reading Too", false, &[]),
            o("Structure First", false, &[]),
            o("Free and Paid", false, &[]),
            o("Free and Paid", true, &["Publishing"]),
            o("Publishing (continued)", false, &[]),
        ]
    );
    let paid = &plan["chapters"][3]["utterance_list"];
    assert_eq!(paid[0]["text"], "Free and Paid");
    assert_eq!(paid[0]["reread"], true);
    assert_eq!(paid[1]["text"], "The paid part holds the details: the method, the worked example, and the checklist.");
    assert_eq!(paid[2]["text"], "1. Draft an outline");
    assert_eq!(paid[2]["kind"], "paragraph");
    let sub = &plan["chapters"][1]["utterance_list"][2];
    assert_eq!((sub["text"].as_str(), sub["kind"].as_str()), (Some("A Note on Length"), Some("subheading")));
}

#[test]
fn english_begin_in_mid_line_without_end_runs_to_the_end_with_a_warning() {
    let (plan, stderr) = plan_json(&article("en-no-end.txt"), &[]);
    assert!(stderr.contains("en-no-end.txt:4: ##paidbegin## has no ##paidend##"), "{stderr}");
    assert_eq!(
        outline(&plan),
        vec![
            o("Notes From the Workshop", false, &[]),
            o("I. The Free Part", false, &[]),
            o("I. The Free Part", true, &["II. The Rest"]),
        ]
    );
    let free = &plan["chapters"][1]["utterance_list"];
    assert_eq!(
        free[1]["text"],
        "Everyone can hear this section. It ends in the middle of a line, where the paid part begins."
    );
    assert_eq!(plan["chapters"][2]["utterance_list"][1]["text"], "Everything from here on is for subscribers.");
    assert_eq!(plan["warnings"][0]["line"], 4);
}

#[test]
fn two_paid_blocks_become_two_paid_chapters_with_free_text_between() {
    let (plan, stderr) = plan_json(&article("zh-two-paid.txt"), &[]);
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(
        outline(&plan),
        vec![
            o("两段付费内容的示例", false, &[]),
            o("第一章 开始", false, &[]),
            o("第一章 开始", true, &[]),
            o("第一章 开始（续）", false, &[]),
            o("第二章 继续", false, &[]),
            o("第二章 继续", true, &[]),
            o("第二章 继续（续）", false, &[]),
        ]
    );
    let kinds: Vec<&str> = plan["chapters"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["opening", "section", "paid", "continuation", "section", "paid", "continuation"]);
}

#[test]
fn stray_end_and_repeated_begin_are_ignored_with_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "odd.txt",
        "标题\n##paidend##开头。\n一、甲\n##paidbegin##付费一。\n##paidbegin##付费二。\n##paidend##\n".as_bytes(),
    );
    let (plan, stderr) = plan_json(&path, &[]);
    assert!(stderr.contains("odd.txt:2: ##paidend## without a ##paidbegin##"), "{stderr}");
    assert!(stderr.contains("odd.txt:5: ##paidbegin## inside a paid block that began on line 4"), "{stderr}");
    assert_eq!(outline(&plan), vec![o("标题", false, &[]), o("一、甲", true, &[])]);
    let paid = &plan["chapters"][1]["utterance_list"];
    let texts: Vec<&str> = paid.as_array().unwrap().iter().map(|u| u["text"].as_str().unwrap()).collect();
    assert_eq!(texts, vec!["一、甲", "付费一。", "付费二。"]);
}

#[test]
fn headings_levels_and_enumerations() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        "标题\n引言。\n一、第一节\n（一）小节\n一是要这样。\n二是要那样。\n（二）另一小节\n正文。\n二、第二节\n正文。";
    let (plan, _) = plan_json(&write(&dir, "levels.txt", text.as_bytes()), &[]);
    assert_eq!(outline(&plan), vec![o("标题", false, &[]), o("一、第一节", false, &[]), o("二、第二节", false, &[])]);
    let kinds: Vec<(&str, &str)> = plan["chapters"][1]["utterance_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["text"].as_str().unwrap(), u["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("一、第一节", "heading"),
            ("（一）小节", "subheading"),
            ("一是要这样。", "paragraph"),
            ("二是要那样。", "paragraph"),
            ("（二）另一小节", "subheading"),
            ("正文。", "paragraph"),
        ]
    );
    // With no 一、 level above them, （一） headings start chapters.
    let (plan, _) = plan_json(&write(&dir, "paren.txt", "标题\n（一）甲\n文。\n（二）乙\n文。".as_bytes()), &[]);
    assert_eq!(outline(&plan), vec![o("（一）甲", false, &[]), o("（二）乙", false, &[])]);
    // 第X章 chapters over 第X节 sections.
    let (plan, _) =
        plan_json(&write(&dir, "ordinal.txt", "书名\n第一章 起\n第一节 甲\n文。\n第二章 承\n文。".as_bytes()), &[]);
    assert_eq!(outline(&plan), vec![o("第一章 起", false, &[]), o("第二章 承", false, &[])]);
}

#[test]
fn a_long_paragraph_is_split_at_sentence_ends_within_max_chars() {
    let dir = tempfile::tempdir().unwrap();
    let sentences = [
        "机关干部要想在工作中出精品、创一流，关键要把握好三条。",
        "写材料之前先想清楚读者是谁，他们最关心什么问题！",
        "每一段只讲一件事，句子不要太长，听起来才清楚？",
        "最后再读一遍，把拗口的地方改顺；",
    ];
    let mut paragraph = String::new();
    let mut i = 0;
    while paragraph.chars().count() < 1500 {
        paragraph.push_str(sentences[i % sentences.len()]);
        i += 1;
    }
    let preset =
        write(&dir, "zh-200.toml", b"kind = 'espeak'\nlanguage = 'zh'\nvoice = 'cmn-latn-pinyin'\nmax_chars = 200\n");
    let path = write(&dir, "long.txt", format!("标题\n{paragraph}\n").as_bytes());
    let (plan, _) = plan_json(&path, &["--voice", preset.to_str().unwrap()]);
    assert_eq!(plan["voice"], "zh-200");
    let list = plan["chapters"][0]["utterance_list"].as_array().unwrap();
    let pieces: Vec<&str> = list[1..].iter().map(|u| u["text"].as_str().unwrap()).collect();
    assert!(pieces.len() >= 8, "{} pieces", pieces.len());
    for piece in &pieces {
        assert!(piece.chars().count() <= 200, "{} chars: {piece}", piece.chars().count());
        assert!(piece.ends_with(['。', '！', '？', '；']), "not cut at a sentence end: {piece}");
    }
    assert_eq!(pieces.concat(), paragraph);
}

#[test]
fn markdown_markup_is_not_read_aloud() {
    let (plan, stderr) = plan_json(&article("en-markdown-elements.md"), &[]);
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(plan["title"], "Making a Podcast From a Blog Post");
    assert_eq!(
        outline(&plan),
        vec![
            o("Making a Podcast From a Blog Post", false, &[]),
            o("What Gets Left Out", false, &[]),
            o("Tables and Code", false, &[]),
            o("The Paid Part", false, &[]),
            o("The Paid Part", true, &[]),
            o("The Paid Part (continued)", false, &[]),
        ]
    );
    let utterances: Vec<(String, u64)> = plan["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["utterance_list"].as_array().unwrap().iter())
        .map(|u| (u["text"].as_str().unwrap().to_string(), u["line"].as_u64().unwrap()))
        .collect();
    for (text, line) in &utterances {
        for bad in ["http", "**", "`", "|", "[^", "<", "##"] {
            assert!(!text.contains(bad), "line {line}: {bad:?} read aloud in {text:?}");
        }
    }
    let at =
        |line: u64| -> Vec<&str> { utterances.iter().filter(|(_, l)| *l == line).map(|(t, _)| t.as_str()).collect() };
    // Line numbers are those of the file.
    assert_eq!(at(9), vec!["Inline code such as make audio is read as plain words, and struck text is read as well."]);
    assert_eq!(at(11), vec!["Lists lose their bullets"]);
    assert_eq!(
        at(8),
        vec![
            "Links keep their words: read the style guide or the reference notes, and bare addresses are skipped entirely:"
        ]
    );
    assert_eq!(at(15), vec!["1. Numbered steps keep their numbers"]);
    assert_eq!(at(18), vec!["A microphone on a wooden desk"]);
    assert_eq!(at(20), vec!["Quotations are read without the angle bracket."]);
    assert_eq!(at(28), vec!["(table omitted)"]);
    assert_eq!(at(35), vec!["(code omitted)"]);
    assert_eq!(
        at(41),
        vec!["Everyone hears this far.", "Subscribers hear the production checklist & the editing notes."]
    );
    assert!(at(47).is_empty() && at(48).is_empty(), "definitions are not read");
}
