//! Bad input: a clear message naming the file or option, a non-zero exit, no panic.

mod common;

use common::*;

fn fails_with(args: &[&str], expected: &[&str]) {
    let r = run(seedaudio().args(args));
    assert_eq!(r.status, 1, "{args:?} should fail with status 1:\n{}", r.stderr);
    for e in expected {
        assert!(r.stderr.contains(e), "{args:?}: expected {e:?} in:\n{}", r.stderr);
    }
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

fn file(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn missing_directory_and_binary_articles() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.txt");
    fails_with(&["plan", missing.to_str().unwrap()], &["nope.txt", "cannot read the article"]);
    fails_with(&["build", dir.path().to_str().unwrap()], &["is a directory"]);
    let png = file(&dir, "picture.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0");
    fails_with(&["build", &png], &["picture.txt", "PNG image"]);
    let latin1 = file(&dir, "latin1.txt", b"caf\xE9 cr\xE8me\n");
    fails_with(&["plan", &latin1], &["latin1.txt", "neither UTF-8 nor GB18030", "--encoding"]);
}

#[test]
fn empty_articles() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in
        [("empty.txt", &b""[..]), ("blank.txt", b" \n\t\r\n"), ("markers.txt", b"##paidbegin##\n##paidend##\n")]
    {
        let path = file(&dir, name, bytes);
        fails_with(&["build", &path], &[name, "no text to read"]);
    }
}

#[test]
fn voices_and_options() {
    let dir = tempfile::tempdir().unwrap();
    let a = article("zh-two-paid.txt");
    let a = a.to_str().unwrap();
    fails_with(&["plan", a, "--voice", "zh-espek"], &["no voice named \"zh-espek\"", "did you mean \"zh-espeak\""]);
    let bad = file(&dir, "bad.toml", b"kind = 'espeak'\nlanguage = 'zh'\n");
    fails_with(&["plan", a, "--voice", &bad], &["bad.toml", "missing field `voice`"]);
    let unknown = file(&dir, "robot.toml", b"kind = 'robot'\nlanguage = 'zh'\nvoice = 'x'\n");
    fails_with(&["build", a, "--voice", &unknown], &["unknown backend kind \"robot\""]);
    fails_with(&["build", a, "--engine", "turbo"], &["--engine \"turbo\""]);
    fails_with(&["build", a, "--sample-rate", "100"], &["--sample-rate 100"]);
    let out_file = file(&dir, "out", b"a file, not a folder");
    fails_with(
        &["build", a, "--out", &out_file, "--quiet"],
        &["it is a file, not a folder", "choose another folder with --out"],
    );
}

#[test]
fn voices_command_lists_the_built_in_presets() {
    let r = run(seedaudio().arg("voices"));
    assert_eq!(r.status, 0);
    assert!(r.stdout.contains("zh-espeak") && r.stdout.contains("en-espeak"), "{}", r.stdout);
}
