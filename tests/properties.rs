//! Property tests of the reader, the parser and the planner on hostile input: arbitrary
//! bytes, and text assembled from the pieces that trip parsers up (paid markers in any case
//! and place, heading prefixes, Markdown and HTML, CJK and sentence punctuation, control and
//! private-use characters, emoji, right-to-left text).
//!
//! Properties: nothing panics; joining the utterance texts gives back the article text without
//! markers (up to white space and `#` marks, see [`expected_text`]); every utterance fits the
//! voice's limits; chapters and utterances follow the order of the text.
//!
//! `PROPTEST_CASES` sets the number of cases per property (default 2500, about 20 s in a debug
//! build on two cores). Inputs that once failed are kept in `regressions()` below.

mod common;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use seedaudio::article::source::decode_bytes;
use seedaudio::article::{self, markup};
use seedaudio::backend::preset::Preset;
use seedaudio::plan::{self, Plan};

use std::sync::atomic::{AtomicUsize, Ordering};

/// Articles planned, refused, and utterances checked, for the report at the end of a run.
static PLANNED: AtomicUsize = AtomicUsize::new(0);
static REFUSED: AtomicUsize = AtomicUsize::new(0);
static UTTERANCES: AtomicUsize = AtomicUsize::new(0);

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2500)
}

fn runner() -> TestRunner {
    TestRunner::new(Config { cases: cases(), failure_persistence: None, ..Config::default() })
}

/// The pieces hostile articles are made of.
const TOKENS: &[&str] = &[
    "##paidbegin##",
    "##paidend##",
    "##PAIDBEGIN##",
    "##PaidEnd##",
    "##paid",
    "begin##",
    "＃＃paidbegin＃＃",
    "# ",
    "## ",
    "### ",
    "#",
    "一、",
    "二、",
    "（一）",
    "(三)",
    "第一章",
    "第2节",
    "1. ",
    "IV. ",
    "10、",
    "。",
    "，",
    "、",
    "！",
    "？",
    "；",
    "…",
    "……",
    ".",
    ",",
    "!",
    "?",
    ";",
    ":",
    "：",
    "—",
    "“",
    "”",
    "\"",
    "'",
    "（",
    "）",
    "【",
    "】",
    "<b>",
    "</b>",
    "<script>",
    "</script>",
    "<!--",
    "-->",
    "<p>",
    "<br/>",
    "&amp;",
    "&lt;",
    "&#x4e2d;",
    "```",
    "~~~",
    "|",
    "---",
    "***",
    "[",
    "](",
    ")",
    "![",
    "*",
    "_",
    "`",
    "> ",
    "- ",
    "http://x.y/z",
    "www.example.com",
    "[^1]",
    "[^1]: ",
    "    ",
    "\t",
    " ",
    "\n",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "机关",
    "干部",
    "意识",
    "强化",
    "工作",
    "标准",
    "中",
    "文",
    "the",
    "word",
    "Paid",
    "paid",
    "begin",
    "end",
    "123",
    "3.5",
    "2023年",
    "5%",
    "$5.50",
    "12:30",
    "10,000",
    "0",
    "😀",
    "👍🏽",
    "مرحبا",
    "שלום",
    "\u{202e}",
    "\u{200b}",
    "\u{feff}",
    "\u{0}",
    "\u{7}",
    "\u{1b}[31m",
    "\u{fdd0}",
    "\u{f0000}",
    "\u{f0001}",
    "\u{ffff}",
    "\u{10ffff}",
    "a",
    "Z",
    "x",
];

/// Text made of random tokens and random characters.
fn hostile_text(max_len: usize) -> impl Strategy<Value = String> {
    let token = prop_oneof![
        8 => proptest::sample::select(TOKENS).prop_map(str::to_string),
        2 => any::<char>().prop_map(|c| c.to_string()),
        1 => "[a-z ]{1,12}",
        1 => proptest::collection::vec(proptest::char::range('\u{4e00}', '\u{4e80}'), 1..40)
            .prop_map(|v| v.into_iter().collect::<String>()),
    ];
    proptest::collection::vec(token, 0..max_len).prop_map(|parts| parts.concat())
}

/// Voice limits: `Small` ones exercise splitting hard; `Real` ones are those of real services
/// (zh-espeak's 200 characters up to OpenAI's 4096, Google's 5000 bytes).
#[derive(Clone, Copy, Debug)]
enum Limits {
    Small,
    Real,
}

/// A voice with limits of the given kind.
fn preset(kind: Limits) -> impl Strategy<Value = Preset> {
    let (chars, bytes) = match kind {
        Limits::Small => (1usize..80, 4usize..160),
        Limits::Real => (200usize..4096, 600usize..5000),
    };
    (proptest::option::of(chars), proptest::option::of(bytes), prop::bool::ANY, prop::bool::ANY).prop_map(
        |(max_chars, max_bytes, zh, normalize)| {
            let mut toml = format!(
                "kind = 'espeak'\nlanguage = '{}'\nvoice = 'v'\nnormalize = {normalize}\n",
                if zh { "zh" } else { "en" }
            );
            if let Some(c) = max_chars {
                toml.push_str(&format!("max_chars = {c}\n"));
            }
            if let Some(b) = max_bytes {
                toml.push_str(&format!("max_bytes = {b}\n"));
            }
            Preset::from_toml("prop", &toml).unwrap()
        },
    )
}

/// What the utterances must add up to: the text as markup is read (seedaudio's own
/// `markup::to_speech`, tested on its own), without paid markers, white space or `#`.
///
/// This is `common::article_text_squashed` with every `#` removed instead of only those at the
/// start of a line: on arbitrary text a line such as `#tag` or a lone `#` is not a heading and
/// keeps its `#`, which that function (written for real articles) would strip.
fn expected_text(text: &str) -> String {
    let spoken = markup::to_speech(text, &markup::MarkupOptions::for_text(text));
    let mut out = String::new();
    for line in spoken.lines() {
        out.extend(common::remove_markers(line).chars().filter(|c| !c.is_whitespace() && *c != '#'));
    }
    out
}

fn joined(plan: &Plan) -> String {
    plan.utterances()
        .filter(|(_, u)| !u.reread)
        .flat_map(|(_, u)| u.text.chars().filter(|c| !c.is_whitespace() && *c != '#').collect::<Vec<_>>())
        .collect()
}

/// The properties of one article text read by one voice. With `Limits::Small` only the
/// written text must fit: a number or word is never cut, so when its reading alone is longer
/// than a tiny limit (`123` → "one hundred twenty-three" against 20 bytes) it is sent whole.
fn check_article(text: &str, preset: &Preset, kind: Limits) -> Result<(), TestCaseError> {
    let Ok(article) = article::parse(text) else {
        REFUSED.fetch_add(1, Ordering::Relaxed);
        // Refused (empty, nothing to say): then there is really nothing to read.
        prop_assert!(
            expected_text(text).chars().all(|c| !c.is_alphanumeric()),
            "refused an article with text to read: {text:?}"
        );
        return Ok(());
    };
    let settings = seedaudio::build::plan_settings(preset, None).unwrap();
    let plan = plan::plan(&article, &settings);
    PLANNED.fetch_add(1, Ordering::Relaxed);
    UTTERANCES.fetch_add(plan.utterance_count(), Ordering::Relaxed);

    prop_assert_eq!(joined(&plan), expected_text(text), "lost, repeated or reordered text in {:?}", text);

    let limits = preset.limits();
    for (_, u) in plan.utterances() {
        prop_assert!(!u.text.trim().is_empty(), "an empty utterance from {:?}", text);
        prop_assert!(limits.fits(&u.text), "{:?} is over {:?} (from {:?})", u.text, limits, text);
        prop_assert!(
            matches!(kind, Limits::Small) || limits.fits(&u.say),
            "sent {:?} for {:?} is over {:?} (from {:?})",
            u.say,
            u.text,
            limits,
            text
        );
    }

    let mut last = (0usize, 0usize);
    for (expected_index, chapter) in plan.chapters.iter().enumerate() {
        prop_assert_eq!(chapter.index, expected_index);
        prop_assert!(!chapter.utterances.is_empty(), "an empty chapter from {:?}", text);
        for u in chapter.utterances.iter().filter(|u| !u.reread) {
            prop_assert!((u.paragraph, u.line) >= last, "{} comes before what precedes it in {:?}", u.id, text);
            last = (u.paragraph, u.line);
        }
    }
    let ids: Vec<String> = plan.utterances().map(|(_, u)| u.id.clone()).collect();
    let numbered: Vec<String> = (1..=ids.len()).map(|i| format!("u{i:04}")).collect();
    prop_assert_eq!(ids, numbered);
    let stems: std::collections::HashSet<&str> = plan.chapters.iter().map(|c| c.stem.as_str()).collect();
    prop_assert_eq!(stems.len(), plan.chapters.len(), "file names are distinct");
    for c in &plan.chapters {
        prop_assert!(c.stem.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-'), "{}", c.stem);
    }
    Ok(())
}

#[test]
fn the_reader_never_panics_on_arbitrary_bytes() {
    let mut runner = runner();
    let bytes = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..2048),
        // Text with bytes spliced in: near-UTF-8, near-GB18030, near-UTF-16.
        (hostile_text(60), proptest::collection::vec(any::<u8>(), 0..16), any::<prop::sample::Index>(), 0..3usize)
            .prop_map(|(text, junk, at, form)| {
                let mut b = match form {
                    0 => text.into_bytes(),
                    1 => encoding_rs::GB18030.encode(&text).0.into_owned(),
                    _ => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
                };
                let at = at.index(b.len() + 1);
                b.splice(at..at, junk);
                b
            }),
    ];
    let forced =
        proptest::option::of(proptest::sample::select(&["utf-8", "gb18030", "utf-16le", "big5", "nonsense"][..]));
    runner
        .run(&(bytes, forced), |(bytes, forced)| {
            if let Ok(source) = decode_bytes(&bytes, forced) {
                prop_assert!(!source.text.contains('\r'), "line endings are normalized");
                prop_assert!(!source.text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
            }
            Ok(())
        })
        .unwrap();
    eprintln!("reader: {} cases", cases());
}

#[test]
fn parse_and_plan_keep_every_word_in_order_within_the_limits() {
    let mut runner = runner();
    runner
        .run(&(hostile_text(120), preset(Limits::Small)), |(text, preset)| check_article(&text, &preset, Limits::Small))
        .unwrap();
    let mut runner = self::runner();
    // Long articles for real limits, so that they are reached.
    runner
        .run(&(hostile_text(800), preset(Limits::Real)), |(text, preset)| check_article(&text, &preset, Limits::Real))
        .unwrap();
    eprintln!(
        "parser and planner: {} cases; so far {} articles planned ({} utterances checked), {} refused",
        cases(),
        PLANNED.load(Ordering::Relaxed),
        UTTERANCES.load(Ordering::Relaxed),
        REFUSED.load(Ordering::Relaxed)
    );
}

#[test]
fn bytes_through_the_whole_front_end() {
    let mut runner = runner();
    let bytes = hostile_text(80).prop_map(String::into_bytes);
    runner
        .run(&(bytes, preset(Limits::Small)), |(bytes, preset)| {
            if let Ok(source) = decode_bytes(&bytes, None) {
                check_article(&source.text, &preset, Limits::Small)?;
            }
            Ok(())
        })
        .unwrap();
    eprintln!("read + parse + plan: {} cases", cases());
}

/// Inputs that failed once, kept so they keep passing.
#[test]
fn regressions() {
    let voice =
        |toml: &str| Preset::from_toml("r", &format!("kind='espeak'\nlanguage='zh'\nvoice='v'\n{toml}")).unwrap();
    let plain = voice("");
    let cases: &[(&str, &Preset)] = &[
        // A marker after a heading number kept the number apart from its title.
        ("T\n# ##paidbegin## Heading\nbody", &plain),
        ("T\n一、##paidbegin##标题\n正文。", &plain),
        // Overlapping markers: the first one found, left to right, is the marker (found by
        // 30,000 cases; the test's own marker removal was wrong, the parser right).
        ("##paidend##Paidbegin##", &plain),
        ("##paidbegin####paidend##paidbegin##", &plain),
    ];
    for (text, preset) in cases {
        check_article(text, preset, Limits::Real).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    }
}
