//! `seedaudio voices` and `seedaudio doctor` against the real engines and local servers.

mod common;

use common::conformance::{KEY, KEY_VAR, fixture};
use common::server::{Reply, Server};
use common::*;

#[test]
fn voices_lists_every_preset_with_its_backend_and_key() {
    let r = run(seedaudio().arg("voices").env_remove("OPENAI_API_KEY"));
    assert_eq!(r.status, 0, "{}", r.stderr);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("voices");
    for entry in std::fs::read_dir(dir).unwrap() {
        let stem = entry.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned();
        assert!(r.stdout.lines().any(|l| l.starts_with(&format!("{stem} "))), "{stem} missing:\n{}", r.stdout);
    }
    let openai = r.stdout.lines().find(|l| l.starts_with("zh-openai ")).unwrap();
    assert!(openai.contains("openai") && openai.contains("OPENAI_API_KEY (not set)"), "{openai}");
    let espeak = r.stdout.lines().find(|l| l.starts_with("zh-espeak ")).unwrap();
    assert!(espeak.contains("espeak") && espeak.contains(" zh "), "{espeak}");
}

#[test]
fn doctor_probes_the_offline_voice() {
    let r = run(seedaudio().args(["doctor", "--engine", "embedded"]));
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stdout.contains("key: none needed"), "{}", r.stdout);
    assert!(r.stdout.contains("raw s16le, 22050 Hz, 1 channel(s)"), "{}", r.stdout);
    assert!(r.stdout.trim_end().ends_with("ok"));
}

fn preset(dir: &tempfile::TempDir, url: &str) -> std::path::PathBuf {
    let path = dir.path().join("local.toml");
    std::fs::write(
        &path,
        format!("kind='openai'\nlanguage='zh'\nvoice='coral'\nformat='mp3'\nbase_url='{url}'\napi_key_env='{KEY_VAR}'\n[network]\nmax_attempts=1\n"),
    )
    .unwrap();
    path
}

#[test]
fn doctor_reports_format_rate_and_latency_of_a_local_server() {
    let server = Server::start(|_, _| {
        Reply::audio("audio/mpeg", fixture("speech-24k.mp3")).stalled(std::time::Duration::from_millis(200))
    });
    let dir = tempfile::tempdir().unwrap();
    let r = run(seedaudio().arg("doctor").arg("--voice").arg(preset(&dir, &server.url)).env(KEY_VAR, KEY));
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stdout.contains(&format!("key: {KEY_VAR} is set")), "{}", r.stdout);
    let probe = r.stdout.lines().find(|l| l.starts_with("probe:")).unwrap();
    assert!(probe.contains("of mp3, 24000 Hz, 1 channel(s)"), "{probe}");
    let latency: f64 = probe.rsplit(" in ").next().unwrap().trim_end_matches(" s").parse().unwrap();
    assert!(latency >= 0.2, "{probe}");
    assert_eq!(server.requests()[0].json()["input"], "你好，这是一次测试。");
}

#[test]
fn doctor_says_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(|_, _| Reply::json(401, serde_json::json!({"error": {"message": "Incorrect API key"}})));
    let path = preset(&dir, &server.url);
    let r = run(seedaudio().arg("doctor").arg("--voice").arg(&path).env_remove(KEY_VAR));
    assert_eq!(r.status, 1);
    assert!(r.stderr.contains(&format!("the key variable {KEY_VAR} is not set")), "{}", r.stderr);
    let r = run(seedaudio().arg("doctor").arg("--voice").arg(&path).env(KEY_VAR, KEY));
    assert_eq!(r.status, 1);
    assert!(r.stderr.contains("not authenticated") && r.stderr.contains("Incorrect API key"), "{}", r.stderr);
}
