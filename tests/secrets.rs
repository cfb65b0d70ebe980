//! A planted API key must appear in no output: not in files under the output, home or cache
//! folders, not in any line of stdout or stderr, whether the build succeeds or fails.

mod common;

use common::conformance::{KEY, KEY_VAR, fixture, walk};
use common::server::{Reply, Server};
use common::*;

#[test]
fn the_key_never_leaves_the_environment() {
    // A careless server that echoes the key in its errors and headers.
    let server = Server::start(|req, n| {
        let auth = req.header("authorization").unwrap_or("").to_string();
        match n % 4 {
            0 => Reply::audio("audio/pcm", fixture("speech-24k.pcm")).header("x-echo", &auth),
            1 => Reply::json(401, serde_json::json!({"error": {"message": format!("bad key {auth}")}})),
            2 => Reply::json(500, serde_json::json!({"error": {"message": format!("crashed on {auth}")}})),
            _ => Reply::new(400).body(format!("<html>rejected {auth}</html>").into_bytes()),
        }
    });
    let home = tempfile::tempdir().unwrap();
    let preset = home.path().join("leaky.toml");
    std::fs::write(
        &preset,
        format!(
            "kind='openai'\nlanguage='zh'\nvoice='coral'\nbase_url='{}'\napi_key_env='{KEY_VAR}'\n\
             [network]\ntimeout_s=2\nmax_attempts=2\nbackoff_ms=10\n",
            server.url
        ),
    )
    .unwrap();
    let out = home.path().join("out");
    let commands: Vec<Vec<String>> = vec![
        vec!["build".into(), article("zh-two-paid.txt").to_string_lossy().into(), "--jobs".into(), "1".into()],
        vec!["build".into(), article("zh-example.txt").to_string_lossy().into(), "--jobs".into(), "3".into()],
        vec!["doctor".into()],
        vec!["doctor".into()],
        vec!["plan".into(), article("zh-example.txt").to_string_lossy().into(), "--json".into()],
        vec!["voices".into()],
    ];
    let mut statuses = Vec::new();
    for args in commands {
        let mut cmd = seedaudio();
        cmd.args(&args)
            .arg("--voice")
            .arg(&preset)
            .env(KEY_VAR, KEY)
            .env("HOME", home.path())
            .env("SEEDAUDIO_CACHE", home.path().join("cache"))
            .env("RUST_BACKTRACE", "1");
        if args[0] == "build" {
            cmd.arg("--out").arg(&out);
        }
        if args[0] == "voices" {
            cmd = seedaudio();
            cmd.arg("voices").env(KEY_VAR, KEY);
        }
        let r = run(&mut cmd);
        for line in r.stdout.lines().chain(r.stderr.lines()) {
            assert!(!line.contains(KEY), "{args:?} printed the key: {line}");
        }
        statuses.push(r.status);
    }
    // Both outcomes were exercised.
    assert!(statuses.contains(&0) && statuses.contains(&1), "{statuses:?}");
    let files = walk(home.path());
    assert!(files.iter().any(|f| f.ends_with("manifest.json")));
    assert!(files.iter().any(|f| f.extension().is_some_and(|e| e == "entry")), "the cache was used");
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        assert!(!bytes.windows(KEY.len()).any(|w| w == KEY.as_bytes()), "the key is in {}", file.display());
    }
    // The server did get the key: it was sent, just never shown.
    assert!(server.requests().iter().all(|r| r.header("authorization") == Some(&format!("Bearer {KEY}"))));
}

/// The checks added against hostile servers quote what they got (an error page's first
/// words, a redirect's target); a server that echoes the key there must not get it printed,
/// with any of the bound flags.
#[test]
fn the_key_never_appears_in_audio_check_messages_or_redirects() {
    let server = Server::start(|req, _| {
        let auth = req.header("authorization").unwrap_or("").to_string();
        let text = req.json()["input"].as_str().unwrap_or("").to_string();
        if text.contains('一') {
            // An HTML page with status 200 that quotes the key: its words are quoted back.
            Reply::new(200).header("content-type", "text/html").body(format!("<html>bad {auth}</html>").into_bytes())
        } else if text.contains('二') {
            // A redirect to a URL that carries the key.
            Reply::new(307).header("location", &format!("http://localhost:9/speech?key={auth}"))
        } else if text.contains('三') {
            // JSON with status 200.
            Reply::json(200, serde_json::json!({"error": format!("token {auth} expired")}))
        } else {
            Reply::audio("audio/pcm", fixture("speech-24k.pcm")).header("x-echo", &auth)
        }
    });
    let preset = format!(
        "kind='openai'\nlanguage='zh'\nvoice='coral'\nbase_url='{}'\napi_key_env='{KEY_VAR}'\nsample_rate=24000\n\
         [network]\ntimeout_s=2\nmax_attempts=2\nbackoff_ms=10\n",
        server.url
    );
    let b = Build::new()
        .preset_as("leaky.toml", &preset)
        .article_as("a.txt", "标题\n第一段。\n第二段。\n第三段。\n第四段。\n")
        .args(["--jobs", "2", "--max-response-mb", "1", "--utterance-timeout", "5", "--max-seconds-per-char", "2"])
        .env(KEY_VAR, KEY);
    // The temporary folder is home and cache too, so the walk below sees every file written.
    let home = b.dir();
    let r = run(b.command().env("HOME", home).env("SEEDAUDIO_CACHE", home.join("cache")));
    assert_eq!(r.status, 1, "{}", r.stderr);
    for phrase in ["is an HTML page", "does not follow redirects", "is JSON", "[redacted]"] {
        assert!(r.stderr.contains(phrase), "expected {phrase:?} in:\n{}", r.stderr);
    }
    assert!(!r.stdout.contains(KEY) && !r.stderr.contains(KEY), "{}", r.stderr);
    for file in walk(home) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(!bytes.windows(KEY.len()).any(|w| w == KEY.as_bytes()), "the key is in {}", file.display());
    }
}
