//! The `command` backend: a speech program run per utterance, never through a shell.
//! Tests drive the real binary with espeak-ng and with small scripts standing in for a
//! speech program.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

/// Writes an executable script into `dir`.
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// A preset for the command backend with `command` as its `[command]` table and `extra` at
/// its top level.
fn preset(command: &str, extra: &str) -> String {
    format!(
        "kind = 'command'\nlanguage = 'en'\nvoice = 'en'\nmax_chars = 300\n{extra}\n\
         [network]\nmax_attempts = 2\nbackoff_ms = 20\nbudget_s = 30\n\n[command]\n{command}\n"
    )
}

/// The preset's file name, which messages quote.
const PRESET: &str = "cmd-test.toml";

/// A quiet build with a private temporary folder (`TMPDIR` = `DIR/tmp`).
fn quiet_build() -> Build {
    let b = Build::new();
    let tmp = b.dir().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    b.env("TMPDIR", tmp).arg("--quiet")
}

fn wav_files(out: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(out) else { return Vec::new() };
    entries.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.ends_with(".wav")).collect()
}

fn total_seconds(manifest: &Value) -> f64 {
    chapters(manifest).iter().map(|c| c["duration"].as_f64().unwrap()).sum()
}

fn check_en_no_end(b: &Build, r: &Run) {
    assert_eq!(r.status, 0, "{}", r.stderr);
    let out = b.out();
    let manifest = b.manifest();
    assert_eq!(manifest["voice"]["backend"], "command", "{}", manifest["voice"]);
    assert!(chapters(&manifest).len() >= 3);
    check_chapters(&out, &manifest);
    // 385 characters at eSpeak's ~14 characters a second, plus pauses.
    let seconds = total_seconds(&manifest);
    assert!(seconds > 15.0 && seconds < 60.0, "{seconds} s");
    // The temporary audio files are gone.
    let left: Vec<_> = std::fs::read_dir(b.dir().join("tmp")).unwrap().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
#[ignore = "needs espeak-ng: apt-get install espeak-ng"]
fn espeak_through_stdin_and_stdout() {
    need("espeak-ng");
    // The built-in example preset, as shipped.
    let b = quiet_build().voice("en-espeak-command").article_file(article("en-no-end.txt")).args(["--jobs", "2"]);
    let r = b.run();
    check_en_no_end(&b, &r);
    let manifest = b.manifest();
    assert!(manifest["voice"]["engine"].as_str().unwrap().contains("espeak-ng"), "{}", manifest["voice"]);
}

#[test]
#[ignore = "needs espeak-ng: apt-get install espeak-ng"]
fn espeak_through_an_argument_and_a_file() {
    need("espeak-ng");
    let voice = preset(
        "program = 'espeak-ng'\n\
         args = ['-v', '{voice}', '-s', '{rate}', '-b', '1', '-w', '{output}', '--', '{text}']\n\
         input = 'argument'\noutput = 'file'\ntimeout_s = 30",
        "",
    );
    let b = quiet_build().preset_as(PRESET, &voice).article_file(article("en-no-end.txt")).args(["--jobs", "2"]);
    let r = b.run();
    assert!(!r.stderr.contains("note:"), "no note when -- is there:\n{}", r.stderr);
    check_en_no_end(&b, &r);
}

/// A program with options: it refuses anything starting with '-' before "--", records its
/// one text argument (NUL-terminated) and speaks it with espeak-ng.
const ARG_RECORDER: &str = r#"while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; break ;;
    -*) echo "recorder: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -eq 1 ] || { echo "recorder: expected one text, got $#" >&2; exit 2; }
printf '%s\0' "$1" >> "$RECORD"
exec espeak-ng -v en -b 1 --stdout -- "$1"
"#;

/// Records its standard input (NUL-terminated) and speaks it with espeak-ng.
const STDIN_RECORDER: &str = r#"[ $# -eq 0 ] || { echo "recorder: unexpected arguments $*" >&2; exit 2; }
tee -a "$RECORD" | espeak-ng -v en -b 1 --stdin --stdout
status=$?
printf '\0' >> "$RECORD"
exit $status
"#;

fn hostile_article(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let victim = dir.join("victim");
    std::fs::create_dir_all(&victim).unwrap();
    std::fs::write(victim.join("keep"), "keep").unwrap();
    let pwned = dir.join("pwned");
    let text = format!(
        "-rf is how it starts; rm -rf {victim} $(touch {pwned}) `touch {pwned}2` \"quoted\" 'single' * ? \\ {{voice}} ${{HOME}} 100% done\n\
         Second paragraph: --help; echo $PATH | cat > {pwned}3 && exit 0.\n",
        victim = victim.display(),
        pwned = pwned.display()
    );
    let article = dir.join("hostile.txt");
    std::fs::write(&article, text).unwrap();
    (article, victim, pwned)
}

/// What the recorder got, each text in order.
fn recorded(path: &Path) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    let mut texts: Vec<String> = bytes.split(|&b| b == 0).map(|t| String::from_utf8(t.to_vec()).unwrap()).collect();
    assert_eq!(texts.pop().as_deref(), Some(""), "every text is terminated");
    texts
}

fn spoken_texts(manifest: &Value) -> Vec<String> {
    let mut texts: Vec<String> = utterances(manifest)
        .iter()
        .filter(|u| u["spoken"].as_bool().unwrap())
        // What was sent: the spoken form where it differs from the written text.
        .map(|u| u.get("say").and_then(|s| s.as_str()).or(u["text"].as_str()).unwrap().to_string())
        .collect();
    texts.sort();
    texts.dedup();
    texts
}

#[test]
#[ignore = "needs espeak-ng: apt-get install espeak-ng"]
fn text_reaches_the_program_byte_exact_and_no_shell_reads_it() {
    need("espeak-ng");
    for (mode, body) in [("argument", ARG_RECORDER), ("stdin", STDIN_RECORDER)] {
        let b = quiet_build();
        let (hostile, victim, pwned) = hostile_article(b.dir());
        let program = script(b.dir(), "recorder", body);
        let record = b.dir().join("record.bin");
        let args = if mode == "argument" { "args = ['--', '{text}']\n" } else { "" };
        let voice = preset(
            &format!(
                "program = '{}'\n{args}input = '{mode}'\ntimeout_s = 30\nenv = {{ RECORD = '{}' }}",
                program.display(),
                record.display()
            ),
            "",
        );
        let b = b.preset_as(PRESET, &voice).article_file(hostile).args(["--jobs", "1"]);
        let r = b.run();
        assert_eq!(r.status, 0, "{mode}: {}", r.stderr);
        let manifest = b.manifest();
        check_chapters(&b.out(), &manifest);

        let mut got = recorded(&record);
        assert!(got.iter().any(|t| t.starts_with("-rf")), "{mode}: {got:?}");
        assert!(got.iter().any(|t| t.contains("$(touch ")), "{mode}: {got:?}");
        got.sort();
        got.dedup();
        assert_eq!(got, spoken_texts(&manifest), "{mode}: each utterance arrives exactly as planned");

        assert!(victim.join("keep").exists(), "{mode}: rm ran");
        for suffix in ["", "2", "3"] {
            assert!(!PathBuf::from(format!("{}{suffix}", pwned.display())).exists(), "{mode}: a shell ran the text");
        }
    }
}

#[test]
fn without_dash_dash_a_leading_dash_is_an_option_and_the_preset_gets_a_note() {
    let b = quiet_build();
    let (hostile, _, _) = hostile_article(b.dir());
    let program = script(b.dir(), "recorder", ARG_RECORDER);
    let record = b.dir().join("record.bin");
    let voice = preset(
        &format!(
            "program = '{}'\nargs = ['{{text}}']\ninput = 'argument'\nenv = {{ RECORD = '{}' }}",
            program.display(),
            record.display()
        ),
        "",
    );
    let r = b.preset_as(PRESET, &voice).article_file(hostile).args(["--jobs", "1"]).run();
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(r.stderr.contains("note:") && r.stderr.contains("\"--\" before {text}"), "{}", r.stderr);
    assert!(r.stderr.contains("recorder: unknown option -rf"), "{}", r.stderr);
}

#[test]
fn a_failing_program_is_reported_with_its_stderr_and_no_chapter_is_written() {
    let b = quiet_build();
    let count = b.dir().join("runs");
    let program = script(
        b.dir(),
        "failing-tts",
        "echo run >> \"$COUNT\"\necho 'loading model' >&2\necho \"token $TTS_TOKEN rejected\" >&2\n\
         echo 'fatal: the voice model is broken' >&2\nexit 1\n",
    );
    let voice = preset(
        &format!(
            "program = '{}'\nenv = {{ TTS_TOKEN = 'Bearer {{api_key}}', COUNT = '{}' }}",
            program.display(),
            count.display()
        ),
        "api_key_env = 'SEEDAUDIO_TEST_COMMAND_KEY'",
    );
    let key = "sk-command-test-8f3a9c";
    let b = b.preset_as(PRESET, &voice).article_file(article("en-no-end.txt")).args(["--jobs", "1"]);
    let r = b.run();
    // Without the key the preset does not load.
    assert_eq!(r.status, 1);
    assert!(r.stderr.contains("SEEDAUDIO_TEST_COMMAND_KEY"), "{}", r.stderr);

    let r = run(b.command().env("SEEDAUDIO_TEST_COMMAND_KEY", key));
    assert_eq!(r.status, 1, "{}", r.stderr);
    for expect in ["failing-tts", "exited with status 1", "fatal: the voice model is broken", "u0001"] {
        assert!(r.stderr.contains(expect), "expected {expect:?} in:\n{}", r.stderr);
    }
    assert!(r.stderr.contains("token Bearer [redacted] rejected"), "{}", r.stderr);
    assert!(!r.stderr.contains(key) && !r.stdout.contains(key), "the key leaked:\n{}", r.stderr);
    assert!(wav_files(&b.out()).is_empty(), "no chapter with missing audio");
    // Retried per [network] max_attempts.
    let runs = std::fs::read_to_string(&count).unwrap();
    assert!(runs.lines().count() >= 2, "{runs}");
}

#[test]
fn a_program_past_its_timeout_is_stopped_and_retried() {
    let b = quiet_build();
    let count = b.dir().join("runs");
    // Not `exec sleep`: the shell's child must be stopped too.
    let program = script(b.dir(), "slow-tts", "{ cat; echo; } >> \"$COUNT\"\nsleep 30\necho never\n");
    let voice = preset(
        &format!("program = '{}'\ntimeout_s = 1\nenv = {{ COUNT = '{}' }}", program.display(), count.display()),
        "",
    );
    let b =
        b.preset_as(PRESET, &voice).article_as("short.txt", "A Title\nOne short paragraph.\n").args(["--jobs", "1"]);
    let started = Instant::now();
    let r = b.run();
    let took = started.elapsed();
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(took < Duration::from_secs(10), "took {took:?}");
    for expect in ["slow-tts", "did not finish within 1 s", "gave up after 2 tries"] {
        assert!(r.stderr.contains(expect), "expected {expect:?} in:\n{}", r.stderr);
    }
    // Each utterance tried twice ([network] max_attempts = 2).
    let runs = std::fs::read_to_string(&count).unwrap();
    let mut texts: Vec<&str> = runs.lines().collect();
    texts.sort();
    assert!(!texts.is_empty() && texts.chunks(2).all(|c| c.len() == 2 && c[0] == c[1]), "{texts:?}");
    assert_eq!(texts.iter().filter(|t| **t == "One short paragraph.").count(), 2, "{texts:?}");
    assert!(wav_files(&b.out()).is_empty());
}

#[test]
fn a_missing_program_is_a_setup_error_before_any_work() {
    let b = quiet_build()
        .preset_as(PRESET, &preset("program = 'seedaudio-no-such-tts'", ""))
        .article_file(article("en-no-end.txt"));
    let r = b.run();
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(r.stderr.contains("seedaudio-no-such-tts") && r.stderr.contains("cmd-test"), "{}", r.stderr);
    assert!(r.stderr.contains("not found on PATH"), "{}", r.stderr);
    assert!(!b.out().exists(), "nothing was written");

    // Unknown placeholders too.
    let b = b.preset_as(PRESET, &preset("program = 'sh'\nargs = ['{txet}']", ""));
    let r = b.run();
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(r.stderr.contains("unknown placeholder {txet}"), "{}", r.stderr);
    assert!(!b.out().exists());
}

#[test]
#[ignore = "needs espeak-ng: apt-get install espeak-ng"]
fn raw_pcm_output_at_the_preset_rate() {
    need("espeak-ng");
    // espeak-ng's WAV header stripped by the program: 22050 Hz s16le.
    let b = quiet_build();
    let program = script(b.dir(), "raw-tts", "espeak-ng -v en -b 1 --stdin --stdout | tail -c +45\n");
    let voice = preset(&format!("program = '{}'\npcm_rate = 22050", program.display()), "");
    let b = b
        .preset_as(PRESET, &voice)
        .article_as("short.txt", "A Title\nOne short paragraph, spoken as raw samples.\n")
        .args(["--jobs", "1"]);
    let r = b.run();
    assert_eq!(r.status, 0, "{}", r.stderr);
    let manifest = b.manifest();
    check_chapters(&b.out(), &manifest);
    let seconds = total_seconds(&manifest);
    assert!(seconds > 2.0 && seconds < 10.0, "{seconds} s");
}

#[test]
fn output_past_max_response_mb_is_refused() {
    let b = quiet_build();
    // Two megabytes of zeros, then a clean exit.
    let program = script(b.dir(), "loud-tts", "cat > /dev/null\nhead -c 2097152 /dev/zero\n");
    let voice = preset(&format!("program = '{}'\npcm_rate = 16000", program.display()), "")
        .replace("[network]\n", "[network]\nmax_response_mb = 1\n");
    let b =
        b.preset_as(PRESET, &voice).article_as("short.txt", "A Title\nOne short paragraph.\n").args(["--jobs", "1"]);
    let r = b.run();
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(r.stderr.contains("loud-tts wrote more than 1 MB"), "{}", r.stderr);
}
