//! How it reads: the lexicon reaches backends in their own form while the manifest keeps the
//! article's text; cost estimates and `--max-cost`.

mod common;

use common::conformance::{KEY, KEY_VAR, fixture};
use common::server::{Reply, Server};
use common::*;

const LEXICON: &str = r#"
[[entry]]
text = "XX"
say = "某某"
ssml = "<sub alias='某某'>XX</sub>"

[[entry]]
text = "PAYG"
say = "pay as you go"
"#;

/// A build of a two-line article with `preset`, and [`LEXICON`] written beside it (not yet
/// passed with `--lexicon`).
fn setup(preset: &str) -> (Build, std::path::PathBuf) {
    let b = Build::new().preset(preset).article_as("a.txt", "XX机关的通知\nXX机关采用PAYG方式 & <付费>。\n");
    let lexicon = b.dir().join("lexicon.toml");
    std::fs::write(&lexicon, LEXICON).unwrap();
    (b, lexicon)
}

#[test]
fn a_plain_backend_gets_the_respelling_and_the_manifest_keeps_the_text() {
    let server = Server::start(|_, _| Reply::audio("audio/pcm", fixture("speech-24k.pcm")));
    let (b, lexicon) =
        setup(&format!("kind='openai'\nlanguage='zh'\nvoice='coral'\nbase_url='{}'\nnormalize=false\n", server.url));
    let b = b.arg("--lexicon").arg(&lexicon).arg("--quiet");
    let r = b.run();
    assert_eq!(r.status, 0, "{}", r.stderr);
    let sent: Vec<String> = server.requests().iter().map(|q| q.json()["input"].as_str().unwrap().to_string()).collect();
    let mut sent = sent;
    sent.sort();
    assert_eq!(sent, vec!["某某机关的通知", "某某机关采用pay as you go方式 & <付费>。"]);
    let manifest = b.manifest();
    let texts: Vec<&str> = utterances(&manifest).iter().map(|u| u["text"].as_str().unwrap()).collect();
    assert_eq!(texts, vec!["XX机关的通知", "XX机关采用PAYG方式 & <付费>。"]);
}

#[test]
fn an_ssml_backend_gets_sub_markup_with_the_rest_escaped() {
    let server = Server::start(|_, _| Reply::audio("audio/pcm", fixture("speech-24k.pcm")));
    let (b, lexicon) = setup(&format!(
        "kind='azure'\nlanguage='zh-CN'\nvoice='zh-CN-XiaoxiaoNeural'\nbase_url='{}'\napi_key_env='{KEY_VAR}'\nnormalize=false\n",
        server.url
    ));
    let r = b.arg("--lexicon").arg(&lexicon).arg("--quiet").env(KEY_VAR, KEY).run();
    assert_eq!(r.status, 0, "{}", r.stderr);
    let bodies: Vec<String> = server.requests().iter().map(|q| q.text()).collect();
    assert_eq!(bodies.len(), 2);
    assert!(bodies.iter().any(|b| b.contains("<sub alias='某某'>XX</sub>机关的通知")), "{bodies:?}");
    assert!(
        bodies.iter().any(|b| b.contains("<sub alias='某某'>XX</sub>机关采用pay as you go方式 &amp; &lt;付费&gt;。")),
        "{bodies:?}"
    );
}

#[test]
fn the_cache_key_follows_the_spoken_form() {
    let server = Server::start(|_, _| Reply::audio("audio/pcm", fixture("speech-24k.pcm")));
    let (b, lexicon) = setup(&format!("kind='openai'\nlanguage='zh'\nvoice='coral'\nbase_url='{}'\n", server.url));
    let cache = b.dir().join("cache");
    let build = |extra: &[&str]| {
        let r = run(b.command().args(extra).arg("--cache-dir").arg(&cache).arg("--quiet"));
        assert_eq!(r.status, 0, "{}", r.stderr);
    };
    build(&[]);
    assert_eq!(server.requests().len(), 2);
    build(&["--lexicon", lexicon.to_str().unwrap()]);
    assert_eq!(server.requests().len(), 4, "a new spoken form is a new request");
    build(&["--lexicon", lexicon.to_str().unwrap()]);
    assert_eq!(server.requests().len(), 4, "and then it is cached");
}

#[test]
fn plan_shows_the_spoken_form_and_the_cost_and_max_cost_refuses_before_any_request() {
    let server = Server::start(|_, _| Reply::audio("audio/pcm", fixture("speech-24k.pcm")));
    let (b, lexicon) = setup(&format!(
        "kind='openai'\nlanguage='zh'\nvoice='coral'\nbase_url='{}'\napi_key_env='{KEY_VAR}'\nprice_per_million_chars=15.0\n",
        server.url
    ));
    let (article, preset) = (b.article_path(), b.preset_path());
    let cache = b.dir().join("cache");
    std::fs::create_dir_all(&cache).unwrap();
    let plan = run(seedaudio()
        .arg("plan")
        .arg(article)
        .arg("--voice")
        .arg(preset)
        .arg("--lexicon")
        .arg(&lexicon)
        .arg("--show-spoken")
        .arg("--cache-dir")
        .arg(&cache)
        .env(KEY_VAR, KEY));
    assert_eq!(plan.status, 0, "{}", plan.stderr);
    assert!(plan.stdout.contains("says  某某机关的通知"), "{}", plan.stdout);
    // 7 + 29 characters sent; 15 USD a million.
    assert!(
        plan.stdout.contains("to synthesize: 2 requests, 36 characters (0 of 2 cached; 36 characters uncached), estimated cost 0.0005 USD"),
        "{}",
        plan.stdout
    );
    let build = || {
        let mut cmd = b.command();
        cmd.arg("--lexicon").arg(&lexicon).arg("--cache-dir").arg(&cache).env(KEY_VAR, KEY);
        cmd
    };
    let r = run(build().args(["--max-cost", "0.0001"]));
    assert_eq!(r.status, 1);
    assert!(r.stderr.contains("above --max-cost 0.0001"), "{}", r.stderr);
    assert!(server.requests().is_empty(), "no request before the refusal");
    // Build it once; then nothing is uncached and the same limit lets a rebuild through.
    let ok = |max: &str| run(build().args(["--quiet", "--max-cost", max])).status;
    assert_eq!(ok("1"), 0);
    assert_eq!(ok("0.0001"), 0);
    let plan = run(seedaudio()
        .arg("plan")
        .arg(article)
        .arg("--voice")
        .arg(preset)
        .arg("--lexicon")
        .arg(&lexicon)
        .arg("--json")
        .arg("--cache-dir")
        .arg(&cache)
        .env(KEY_VAR, KEY));
    let json: serde_json::Value = serde_json::from_str(&plan.stdout).unwrap();
    assert_eq!(json["estimate"]["cached"], 2);
    assert_eq!(json["estimate"]["cost"], 0.0);
}
