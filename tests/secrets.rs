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
