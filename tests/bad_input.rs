//! The bad-input suite: every kind of hostile or broken input, driven through the binary.
//! Each case names its input, arguments, expected exit status and a phrase of the message;
//! none may panic. Cases that need more than a message check the plan or the files written.
//!
//! Decisions recorded here (and in README's article format section):
//! - `##paidend##` before any begin, a second begin inside a paid block: ignored, with a warning.
//! - A marker after only a heading's number or `#` marks (`## ##paidbegin## Title`,
//!   `一、##paidbegin##标题`) acts at the start of the line: the heading stays whole.
//! - Markers match in any ASCII letter case; near misses (`## paidbegin ##`, full-width `＃＃`,
//!   a marker broken across two lines) are read as text with a warning naming the line.
//! - HTML, `<script>` and SSML-like tags in an article are markup: tags are dropped, script
//!   bodies are not read, and escaped tags (`&lt;speak&gt;`) are read as the text they are.
//! - `--out` that cannot be written: a file in the way, a path under `/proc` (tests run as root
//!   in CI, where `chmod 555` stops nothing), a full 64 KB tmpfs (mounted when allowed).

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// How the article argument is made.
enum Input {
    /// This text, UTF-8, as `article.txt`.
    Text(&'static str),
    /// These bytes as `article.txt`.
    Bytes(fn() -> Vec<u8>),
    /// Made by the function in the case's folder; returns the path to pass.
    Made(fn(&Path) -> PathBuf),
}

struct Case {
    name: &'static str,
    input: Input,
    /// Arguments; `{article}`, `{dir}` (the case's folder) and `{out}` are filled in.
    args: &'static [&'static str],
    /// Extra files the case needs in its folder (voice presets…).
    files: &'static [(&'static str, &'static str)],
    status: i32,
    /// A phrase of stderr (or, for a success, of stdout or stderr).
    says: &'static str,
    /// More checks on the outcome.
    check: Option<fn(&Outcome)>,
}

struct Outcome {
    dir: PathBuf,
    run: Run,
}

impl Outcome {
    fn plan(&self) -> Value {
        serde_json::from_str(&self.run.stdout).unwrap_or_else(|e| panic!("plan --json: {e}:\n{}", self.run.stdout))
    }

    fn out(&self) -> PathBuf {
        self.dir.join("out")
    }

    fn manifest(&self) -> Value {
        read_json(&self.out().join("manifest.json"))
    }
}

const PLAN: &[&str] = &["plan", "--json", "{article}"];
const PLAN_TEXT: &[&str] = &["plan", "{article}"];
const BUILD: &[&str] = &["build", "{article}", "--out", "{out}", "--quiet"];

/// `(title, paid, [utterance texts])` of every chapter of a `plan --json`.
fn chapters_of(plan: &Value) -> Vec<(String, bool, Vec<String>)> {
    plan["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let texts = c["utterance_list"].as_array().unwrap().iter().map(|u| u["text"].as_str().unwrap().to_string());
            (c["title"].as_str().unwrap().to_string(), c["paid"].as_bool().unwrap(), texts.collect())
        })
        .collect()
}

fn ch(title: &str, paid: bool, texts: &[&str]) -> (String, bool, Vec<String>) {
    (title.to_string(), paid, texts.iter().map(|t| t.to_string()).collect())
}

fn all_texts(plan: &Value) -> Vec<String> {
    chapters_of(plan).into_iter().flat_map(|c| c.2).collect()
}

fn utf16(text: &str, little: bool) -> Vec<u8> {
    text.encode_utf16().flat_map(|u| if little { u.to_le_bytes() } else { u.to_be_bytes() }).collect()
}

/// Every file under the output folder (and nothing outside it named after the title).
fn files_stay_inside(o: &Outcome) {
    let out = o.out();
    let mut names = Vec::new();
    for entry in common::conformance::walk(&o.dir) {
        let rel = entry.strip_prefix(&o.dir).unwrap().to_string_lossy().into_owned();
        if rel.starts_with("out/") {
            names.push(rel);
        } else {
            assert!(!rel.contains("passwd") && !rel.contains("etc"), "a file outside the output folder: {rel}");
        }
    }
    assert!(names.iter().all(|n| n.starts_with("out/") && !n[4..].contains('/')), "{names:?}");
    assert!(names.iter().any(|n| n.ends_with(".wav")), "{names:?}");
    let manifest = o.manifest();
    for c in chapters(&manifest) {
        let file = c["file"].as_str().unwrap();
        assert!(!file.contains(['/', '\\']) && !file.starts_with('.'), "{file}");
        assert!(file.chars().all(|c| c.is_ascii_alphanumeric() || "-.".contains(c)), "{file}");
        assert!(out.join(file).is_file());
    }
    check_chapters(&out, &manifest);
}

#[rustfmt::skip]
fn cases() -> Vec<Case> {
    fn case(name: &'static str, input: Input, args: &'static [&'static str], status: i32, says: &'static str) -> Case {
        Case { name, input, args, files: &[], status, says, check: None }
    }
    fn with(mut c: Case, check: fn(&Outcome)) -> Case {
        c.check = Some(check);
        c
    }
    fn files(mut c: Case, files: &'static [(&'static str, &'static str)]) -> Case {
        c.files = files;
        c
    }
    use Input::*;
    vec![
        // Nothing to read.
        case("empty file", Text(""), BUILD, 1, "no text to read"),
        case("only white space", Text(" \n\t\r\n\u{3000}\u{a0}\n  \n"), BUILD, 1, "no text to read"),
        case("only markers", Text("##paidbegin##\n##paidend##\n"), PLAN, 1, "no text to read"),
        case("only markers, any case, with space", Text("  ##PAIDBEGIN## \n\n##PaidEnd##\n\t"), BUILD, 1, "no text to read"),
        case("only punctuation", Text("！！！\n???\n。。。 —— ……\n"), BUILD, 1, "nothing to read aloud"),
        case("only emoji", Text("😀😀\n👍🏽\n"), PLAN, 1, "nothing to read aloud"),
        case("only control characters", Bytes(|| b"\x01\x02\x07\x1b\x7f\n\x08\x0c\n".to_vec()), BUILD, 1, "no text to read"),
        // Not an article file.
        case("a directory", Made(|dir| { let d = dir.join("folder"); std::fs::create_dir(&d).unwrap(); d }), BUILD, 1, "is a directory"),
        case("a missing path", Made(|dir| dir.join("nowhere.txt")), PLAN, 1, "cannot read the article"),
        case("PNG header and bytes", Bytes(|| [&b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..], &[7u8; 300]].concat()), BUILD, 1, "PNG image"),
        case("zero bytes", Bytes(|| vec![0; 4096]), BUILD, 1, "looks like binary data"),
        case("a PDF", Bytes(|| b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj".to_vec()), PLAN, 1, "export its text first"),
        case("a .docx (ZIP)", Bytes(|| b"PK\x03\x04\x14\0\x06\0word/document.xml".to_vec()), PLAN, 1, "ZIP archive"),
        case("a WAV file", Bytes(|| b"RIFF\x24\0\0\0WAVEfmt ".to_vec()), PLAN, 1, "RIFF file"),
        // Encodings.
        case("invalid UTF-8, not GB18030 either", Bytes(|| b"caf\xe9 cr\xe8me br\xfbl\xe9e \xff\xfe\xfd\n".to_vec()), PLAN, 1, "neither UTF-8 nor GB18030"),
        with(case("UTF-8 cut in the middle of its last character", Bytes(|| { let mut b = "标题\n正文".as_bytes().to_vec(); b.pop(); b }), PLAN, 0, ""),
            |o| assert_eq!(all_texts(&o.plan()), ["标题", "正"], "read up to the cut character")),
        case("UTF-8 broken in the middle", Bytes(|| [&"标题\n正文".as_bytes()[..8], b" and more text"].concat()), PLAN, 1, "first bad byte at offset 7"),
        case("UTF-16LE without BOM", Bytes(|| utf16("Title\nSome text in UTF-16.\n", true)), PLAN, 1, "try --encoding utf-16le"),
        case("UTF-16BE without BOM", Bytes(|| utf16("标题\n正文。\n", false)), PLAN, 1, "try --encoding utf-16be"),
        with(case("UTF-16LE without BOM, named", Bytes(|| utf16("Title\nSome text in UTF-16.\n", true)), &["plan", "--json", "{article}", "--encoding", "utf-16le"], 0, "Some text in UTF-16."),
            |o| assert_eq!(all_texts(&o.plan()), ["Title", "Some text in UTF-16."])),
        case("an unknown --encoding", Text("x"), &["plan", "{article}", "--encoding", "klingon"], 1, "unknown encoding \"klingon\""),
        case("the wrong --encoding", Bytes(|| b"\xff\xfe\xfd\xfc".to_vec()), &["plan", "{article}", "--encoding", "utf-8"], 1, "not valid UTF-8"),
        // Odd characters.
        with(case("control characters and NUL", Bytes(|| b"Ti\x00tle\x07\n\x01Body\x00 text\x1b[31m red\x1b[0m.\x7f\n".to_vec()), PLAN, 0, "Body text red."),
            |o| assert_eq!(all_texts(&o.plan()), ["Title", "Body text red."])),
        with(case("right-to-left text and emoji", Text("مرحبا بالعالم\nשלום עולם 😀👍🏽\n\u{202e}reversed\u{202c} text\n正文 text 😀 here.\n😀👍🏽\n"), BUILD, 0, ""),
            |o| {
                let m = o.manifest();
                let texts: Vec<(&str, bool)> = utterances(&m).iter().map(|u| (u["text"].as_str().unwrap(), u["spoken"].as_bool().unwrap())).collect();
                assert_eq!(texts[0], ("مرحبا بالعالم", true));
                assert_eq!(texts[1], ("שלום עולם 😀👍🏽", true));
                assert_eq!(texts[4], ("😀👍🏽", false), "emoji alone: nothing to pronounce, only its pause");
                check_chapters(&o.out(), &m);
            }),
        with(case("100,000 one-character paragraphs", Made(|dir| {
                let p = dir.join("many.txt");
                let body: Vec<String> = (0..100_000).map(|i| char::from_u32(0x4E00 + i % 2000).unwrap().to_string()).collect();
                std::fs::write(&p, format!("标题\n{}\n", body.join("\n"))).unwrap();
                p
            }), PLAN_TEXT, 0, "100001 utterances"),
            |o| assert!(o.run.stdout.contains("2001 requests"), "each distinct text once:\n{}", o.run.stdout)),
        // Paid markers in odd places.
        with(case("##paidend## first", Text("标题\n##paidend##开头。\n正文。\n"), PLAN, 0, "article.txt:2: ##paidend## without a ##paidbegin## before it; ignored"),
            |o| assert_eq!(chapters_of(&o.plan()), [ch("标题", false, &["标题", "开头。", "正文。"])])),
        with(case("two begins", Text("标题\n引言。\n##paidbegin##甲。\n##paidbegin##乙。\n##paidend##\n丙。\n"), PLAN, 0, "article.txt:4: ##paidbegin## inside a paid block that began on line 3; ignored"),
            |o| assert_eq!(chapters_of(&o.plan()), [ch("标题", false, &["标题", "引言。"]), ch("标题", true, &["标题", "甲。", "乙。"]), ch("标题（续）", false, &["标题", "丙。"])])),
        with(case("a begin with no end", Text("标题\n正文。\n##paidbegin##\n付费。\n"), PLAN, 0, "article.txt:3: ##paidbegin## has no ##paidend##: the paid part runs to the end"),
            |o| assert_eq!(chapters_of(&o.plan())[1], ch("标题", true, &["标题", "付费。"]))),
        with(case("a begin inside a Markdown heading", Text("# Title\n\nIntro.\n\n## ##paidbegin## Paid Part\n\nSecret.\n##paidend##\n"), PLAN, 0, "Paid Part"),
            |o| assert_eq!(chapters_of(&o.plan()), [ch("Title", false, &["Title", "Intro."]), ch("Paid Part", true, &["Paid Part", "Secret."])])),
        with(case("a begin inside a numbered heading", Text("标题\n引言。\n一、##paidbegin##付费的一节\n正文。\n"), PLAN, 0, "付费的一节"),
            |o| assert_eq!(chapters_of(&o.plan()), [ch("标题", false, &["标题", "引言。"]), ch("一、付费的一节", true, &["一、付费的一节", "正文。"])])),
        with(case("a begin after a heading's text", Text("标题\n引言。\n一、免费的一节##paidbegin##付费的话。\n"), PLAN, 0, ""),
            // The section has no free body, so its free chapter is left out and the paid one opens with its heading.
            |o| assert_eq!(chapters_of(&o.plan()), [ch("标题", false, &["标题", "引言。"]), ch("一、免费的一节", true, &["一、免费的一节", "付费的话。"])])),
        with(case("an end inside a heading", Text("标题\n##paidbegin##付费。\n二、##paidend##免费的一节\n免费。\n"), PLAN, 0, ""),
            |o| assert_eq!(chapters_of(&o.plan()).last().unwrap(), &ch("二、免费的一节", false, &["二、免费的一节", "免费。"]))),
        with(case("begin and end in one line", Text("Title\nfree ##paidbegin## paid ##paidend## free again\n"), PLAN, 0, ""),
            |o| assert_eq!(chapters_of(&o.plan()), [ch("Title", false, &["Title", "free"]), ch("Title", true, &["Title", "paid"]), ch("Title (continued)", false, &["Title", "free again"])])),
        with(case("##PAIDBEGIN## case variants", Text("Title\nIntro.\n##PAIDBEGIN##paid\n##PaidEnd##\nfree\n"), PLAN, 0, ""),
            |o| {
                assert!(o.run.stderr.is_empty(), "{}", o.run.stderr);
                assert_eq!(chapters_of(&o.plan())[1], ch("Title", true, &["Title", "paid"]));
            }),
        with(case("a marker split across lines", Text("Title\n##paid\nbegin##\nstill free\n"), PLAN, 0, "article.txt:2: \"##paid\" looks like a paid marker but is not one"),
            |o| {
                assert!(o.run.stderr.contains("article.txt:3: \"begin##\" looks like a paid marker"), "{}", o.run.stderr);
                assert!(chapters_of(&o.plan()).iter().all(|c| !c.1));
            }),
        case("a spaced marker", Text("Title\n## paidbegin ##\ntext\n"), PLAN, 0, "\"## paidbegin ##\" looks like a paid marker but is not one"),
        case("a full-width marker", Text("标题\n＃＃paidbegin＃＃\n正文。\n"), PLAN, 0, "looks like a paid marker but is not one"),
        with(case("the article starts with a begin", Text("##paidbegin##\nTitle\nall paid\n"), PLAN, 0, "runs to the end"),
            |o| assert_eq!(chapters_of(&o.plan()), [ch("Title", true, &["Title", "all paid"])])),
        // Markup and injection.
        with(case("HTML and <script> in the article", Text("Title <b>bold</b>\n<script>alert(1)</script>After the script.\n<p onclick=\"x()\">A paragraph.</p>\n<style>p{}</style><!-- hidden -->Visible.\n"), BUILD, 0, ""),
            |o| {
                let m = o.manifest();
                let texts: Vec<&str> = utterances(&m).iter().map(|u| u["text"].as_str().unwrap()).collect();
                assert_eq!(texts, ["Title bold", "After the script.", "A paragraph.", "Visible."]);
                check_chapters(&o.out(), &m);
            }),
        with(case("SSML-like text is read as text", Text("标题\n&lt;speak&gt;&lt;break time=&quot;10s&quot;/&gt;你好&lt;/speak&gt;\n<speak><prosody rate=\"x-slow\">再见</prosody></speak>\n]]> &amp; \"'\n"), BUILD, 0, ""),
            |o| {
                let m = o.manifest();
                let u = utterances(&m);
                assert_eq!(u[1]["text"], "<speak><break time=\"10s\"/>你好</speak>");
                assert_eq!(u[2]["text"], "再见");
                assert_eq!(u[3]["text"], "]]> & \"'");
                // No ten-second break was obeyed: the escaped tags are spoken as characters.
                let seconds = u[1]["end"].as_f64().unwrap() - u[1]["start"].as_f64().unwrap();
                assert!(seconds < 9.0, "{seconds}");
                check_chapters(&o.out(), &m);
            }),
        // Titles.
        with(case("a title of punctuation only", Text("？？？！！！\n正文很长，用来看看只有标点的标题会怎样处理，这一段会读出声音来。\n"), BUILD, 0, ""),
            |o| {
                let m = o.manifest();
                assert_eq!(chapters(&m)[0]["file"], "00-opening.wav");
                assert_eq!(utterances(&m)[0]["spoken"], false);
                check_chapters(&o.out(), &m);
            }),
        with(case("a title with ../../etc/passwd", Text("../../etc/passwd\nText.\n## ../../../tmp/evil\nMore text.\n"), BUILD, 0, ""), files_stay_inside),
        with(case("a title with Windows path tricks", Text("..\\..\\Windows\\CON:NUL?*<>|\nText.\n"), BUILD, 0, ""), files_stay_inside),
        // Output folders.
        case("--out is a file", Made(|dir| { std::fs::write(dir.join("out"), "in the way").unwrap(); common::article("zh-two-paid.txt") }), BUILD, 1, "it is a file, not a folder"),
        case("--out under a file", Made(|dir| { std::fs::write(dir.join("file"), "x").unwrap(); common::article("zh-two-paid.txt") }), &["build", "{article}", "--out", "{dir}/file/out", "--quiet"], 1, "cannot create the output folder"),
        case("--out unwritable (under /proc, even for root)", Made(|_| common::article("zh-two-paid.txt")), &["build", "{article}", "--out", "/proc/seedaudio-bad-input/out", "--quiet"], 1, "cannot create the output folder"),
        // Voices.
        files(case("a preset with a TOML syntax error", Text("标题\n正文。"), &["plan", "{article}", "--voice", "{dir}/broken.toml"], 1, "broken.toml: TOML parse error at line 3"),
            &[("broken.toml", "kind = 'espeak'\nlanguage = 'zh'\nvoice = 'cmn\nspeed = 1\n")]),
        files(case("a preset with a value of the wrong type", Text("标题\n正文。"), &["plan", "{article}", "--voice", "{dir}/typed.toml"], 1, "invalid type: string \"fast\""),
            &[("typed.toml", "kind = 'espeak'\nlanguage = 'zh'\nvoice = 'cmn'\nspeed = 'fast'\n")]),
        files(case("a preset missing a field", Text("标题\n正文。"), &["plan", "{article}", "--voice", "{dir}/short.toml"], 1, "missing field `voice`"),
            &[("short.toml", "kind = 'espeak'\nlanguage = 'zh'\n")]),
        files(case("a preset with an unknown field", Text("标题\n正文。"), &["plan", "{article}", "--voice", "{dir}/extra.toml"], 1, "unknown field `max_char`"),
            &[("extra.toml", "kind = 'espeak'\nlanguage = 'zh'\nvoice = 'cmn'\nmax_char = 3\n")]),
        files(case("a preset with an unknown backend kind", Text("标题\n正文。"), &["plan", "{article}", "--voice", "{dir}/robot.toml"], 1, "unknown backend kind \"robot\""),
            &[("robot.toml", "kind = 'robot'\nlanguage = 'zh'\nvoice = 'x'\n")]),
        files(case("a preset with a mistyped backend kind", Text("标题\n正文。"), &["build", "{article}", "--voice", "{dir}/typo.toml", "--out", "{out}"], 1, "did you mean \"openai\""),
            &[("typo.toml", "kind = 'opneai'\nlanguage = 'zh'\nvoice = 'x'\n")]),
        files(case("a preset that is binary", Text("标题\n正文。"), &["plan", "{article}", "--voice", "{dir}/binary.toml"], 1, "binary.toml: TOML parse error"),
            &[("binary.toml", "\u{0}\u{1}")]),
        case("a preset path that does not exist", Text("标题\n正文。"), &["plan", "{article}", "--voice", "{dir}/none.toml"], 1, "none.toml: cannot read the voice preset"),
        case("an unknown voice name", Text("标题\n正文。"), &["plan", "{article}", "--voice", "zh-espek"], 1, "did you mean \"zh-espeak\""),
        case("an unknown voice name, nothing close", Text("标题\n正文。"), &["plan", "{article}", "--voice", "qqq"], 1, "built-in voices: zh-espeak"),
        files(case("a fallback voice that does not exist", Text("标题\n正文。"), &["build", "{article}", "--voice", "{dir}/fb.toml", "--out", "{out}"], 1, "fallback voice \"zh-espek\""),
            &[("fb.toml", "kind = 'espeak'\nlanguage = 'zh'\nvoice = 'cmn-latn-pinyin'\nfallback = 'zh-espek'\n")]),
        // Bounds.
        case("--max-response-mb 0", Text("标题\n正文。"), &["build", "{article}", "--max-response-mb", "0", "--out", "{out}"], 1, "--max-response-mb must be at least 1"),
        case("--utterance-timeout 0", Text("标题\n正文。"), &["build", "{article}", "--utterance-timeout", "0", "--out", "{out}"], 1, "--utterance-timeout must be a positive number"),
        case("--utterance-timeout not a number", Text("标题\n正文。"), &["build", "{article}", "--utterance-timeout", "soon", "--out", "{out}"], 2, "invalid value 'soon'"),
        case("--max-seconds-per-char NaN", Text("标题\n正文。"), &["build", "{article}", "--max-seconds-per-char", "NaN", "--out", "{out}"], 1, "--max-seconds-per-char must be a positive number"),
        files(case("a preset with max_response_mb = 0", Text("标题\n正文。"), &["plan", "{article}", "--voice", "{dir}/zero.toml"], 1, "max_response_mb must be at least 1"),
            &[("zero.toml", "kind = 'espeak'\nlanguage = 'zh'\nvoice = 'cmn'\n[network]\nmax_response_mb = 0\n")]),
        files(case("a malformed lexicon", Text("标题\n正文。"), &["plan", "{article}", "--lexicon", "{dir}/lex.toml"], 1, "lex.toml"),
            &[("lex.toml", "[[entry]]\ntext = 'x'\nsay = \n")]),
    ]
}

fn fill(arg: &str, article: &Path, dir: &Path) -> String {
    arg.replace("{article}", &article.to_string_lossy())
        .replace("{out}", &dir.join("out").to_string_lossy())
        .replace("{dir}", &dir.to_string_lossy())
}

/// Runs one case; `Err` says what was wrong.
fn run_case(case: &Case) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let article = match &case.input {
        Input::Text(text) => {
            let p = dir.path().join("article.txt");
            std::fs::write(&p, text).unwrap();
            p
        }
        Input::Bytes(make) => {
            let p = dir.path().join("article.txt");
            std::fs::write(&p, make()).unwrap();
            p
        }
        Input::Made(make) => make(dir.path()),
    };
    for (name, text) in case.files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let args: Vec<String> = case.args.iter().map(|a| fill(a, &article, dir.path())).collect();
    let run = run(seedaudio().args(&args).env("NO_COLOR", "1"));
    let shown = format!("status {}\n--- stderr\n{}\n--- stdout (start)\n{}", run.status, run.stderr, {
        let s: String = run.stdout.chars().take(600).collect();
        s
    });
    if run.stderr.contains("panicked") || run.status == 101 {
        return Err(format!("panicked: {shown}"));
    }
    if run.status != case.status {
        return Err(format!("expected status {}: {shown}", case.status));
    }
    let haystack = if case.status == 0 { format!("{}{}", run.stdout, run.stderr) } else { run.stderr.clone() };
    if !haystack.contains(case.says) {
        return Err(format!("expected {:?}: {shown}", case.says));
    }
    if case.status != 0 && !run.stderr.starts_with("error: ") && !run.stderr.contains("\nerror: ") {
        return Err(format!("an error must say \"error:\": {shown}"));
    }
    if let Some(check) = case.check {
        let outcome = Outcome { dir: dir.path().to_path_buf(), run };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&outcome)));
        if let Err(e) = result {
            let why = e.downcast_ref::<String>().cloned().or(e.downcast_ref::<&str>().map(|s| s.to_string()));
            return Err(format!("check failed: {}\n{}", why.unwrap_or_default(), outcome.run.stderr));
        }
    }
    Ok(())
}

#[test]
fn every_bad_input_gets_its_status_and_message() {
    let cases = cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut names: Vec<&str> = cases.iter().map(|c| c.name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "case names are unique");
    // Four at a time: each case is its own process.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some(case) = cases.get(i) else { break };
                    if let Err(why) = run_case(case) {
                        failures.lock().unwrap().push(format!("[{}] {why}", case.name));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), cases.len(), failures.join("\n\n"));
}

/// A 20 MB article on one line. `plan` (not `build`: synthesizing 20 MB of text takes hours)
/// reads, parses and plans all of it; peak memory is read with `/usr/bin/time` when present.
#[test]
fn a_20_mb_single_line_plans_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.txt");
    let sentence = "机关干部要着力强化五种意识，这是一个很长的句子。";
    let mut text = String::from("标题\n");
    while text.len() < 20 * 1024 * 1024 {
        text.push_str(sentence);
    }
    std::fs::write(&path, &text).unwrap();
    let sentences = (text.len() - "标题\n".len()) / sentence.len();
    drop(text);
    let time = Path::new("/usr/bin/time");
    let timed = cross_check("/usr/bin/time");
    let mut cmd = if timed {
        let mut c = std::process::Command::new(time);
        c.args(["-f", "peak-rss-kb=%M"]).arg(env!("CARGO_BIN_EXE_seedaudio"));
        common::without_kokoro(&mut c);
        c
    } else {
        seedaudio()
    };
    let r = run(cmd.args(["plan", "--json"]).arg(&path).env("SEEDAUDIO_CACHE", dir.path().join("cache")));
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let plan: Value = serde_json::from_str(&r.stdout).unwrap();
    let utterances: Vec<&Value> =
        plan["chapters"].as_array().unwrap().iter().flat_map(|c| c["utterance_list"].as_array().unwrap()).collect();
    // The zh-espeak limit is 200 characters; eight 24-character sentences fit in one.
    let longest = utterances.iter().map(|u| u["text"].as_str().unwrap().chars().count()).max().unwrap();
    assert!(longest <= 200, "{longest}");
    let joined: usize = utterances.iter().skip(1).map(|u| u["text"].as_str().unwrap().len()).sum();
    assert_eq!(joined, sentences * sentence.len(), "nothing lost");
    if timed {
        let kb: u64 = r.stderr.rsplit("peak-rss-kb=").next().unwrap().trim().parse().unwrap();
        eprintln!("20 MB plan: peak {} MB", kb / 1024);
        assert!(kb < 500 * 1024, "peak memory {kb} KB");
    }
}

/// `--out` on a full file system: a 64 KB tmpfs. Mounting needs root and a container that
/// allows it (CAP_SYS_ADMIN; this machine's does, as root), so the test is ignored by default.
/// Asked for where the mount is refused, it passes over with a note rather than fail: no
/// package provides the capability, and CI's container may not grant it even to root.
#[test]
#[ignore = "needs root with CAP_SYS_ADMIN: mounts a 64 KB tmpfs"]
fn out_on_a_full_file_system() {
    let dir = tempfile::tempdir().unwrap();
    let mount = dir.path().join("small");
    std::fs::create_dir(&mount).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&mount)
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        eprintln!("note: cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN); the full-disk case did nothing");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(mount.clone());
    let out = mount.join("out");
    let r = run(seedaudio().arg("build").arg(article("zh-two-paid.txt")).arg("--out").arg(&out).arg("--quiet"));
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert!(r.stderr.contains("No space left on device") && r.stderr.contains("the disk is full"), "{}", r.stderr);
    let left: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".seedaudio.lock") // the folder's lock, no output
        .collect();
    assert!(left.is_empty(), "no half-written file is left: {left:?}");
}
