//! `command`: any speech program (piper, sherpa-onnx-offline-tts, say, espeak-ng, …), run
//! once per utterance. The program is started directly with an argument list, never
//! through a shell, so nothing in the text is ever interpreted.
//!
//! The preset's `[command]` table:
//!
//! * `program`: a name looked up on `PATH`, or a path (`~/` is the home folder).
//! * `args`: the arguments, with placeholders filled in per run:
//!   `{text}` the utterance; `{output}` the temporary audio file (with `output = "file"`);
//!   `{voice}`, `{language}` from the preset; `{speed}` the preset's multiplier (`1`, `1.25`);
//!   `{rate}` words per minute, 175 × speed rounded (eSpeak's and `say`'s scale);
//!   `{length_scale}` 1 ÷ speed (Piper's and sherpa-onnx's "length scale", bigger is slower).
//!   `{{` and `}}` are literal braces. Any other placeholder is refused when the preset loads.
//!   A placeholder may be part of an argument (`--rate={rate}`).
//! * `input`: `"stdin"` (default; the text goes to the program's standard input as UTF-8,
//!   exactly as is, without a final newline) or `"argument"` (the text only through `{text}`).
//!   A text may begin with `-`; put `"--"` before `{text}` so the program does not take it
//!   for an option (most programs accept `--`; seedaudio notes it when it is missing).
//! * `output`: `"stdout"` (default) or `"file"` (seedaudio makes a fresh path in a private
//!   temporary folder for `{output}`, reads the file after the program exits and always
//!   removes it). `output_extension` (default `wav`) is the file's extension, for programs
//!   that choose the format by it.
//! * `pcm_rate`: the output is headerless 16-bit little-endian mono at this rate; without
//!   it the audio is recognised by its content (WAV, MP3, FLAC, Ogg Vorbis, AAC/M4A).
//! * `timeout_s` (default 120): the longest one run may take; the program (and whatever it
//!   started) is then killed and the utterance retried per `[network]`.
//! * `env`: extra environment variables. Values may use `{api_key}` (the variable named by
//!   `api_key_env`), `{voice}`, `{language}`, `{speed}`, `{rate}`, `{length_scale}`. The key
//!   is not accepted in `args`, where other users could read it in the process list.
//!
//! The output is bounded by `[network] max_response_mb`.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::secret::Secret;
use super::template::{Part, split};
use super::{Audio, Backend, BackendError, Notices, Request, SetupError, api_key};
use crate::audio::AudioHint;
use crate::backend::preset::Preset;

/// The speaking rate `{rate}` stands for at speed 1.0, in words per minute.
const NORMAL_WPM: f32 = 175.0;
const DEFAULT_TIMEOUT_S: f64 = 120.0;
/// How much of the program's error output is kept for messages.
const STDERR_TAIL: usize = 8 * 1024;
/// Lines of the program's error output quoted in a failure.
const STDERR_LINES: usize = 5;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    program: String,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    input: Input,
    #[serde(default)]
    output: Output,
    #[serde(default)]
    output_extension: Option<String>,
    #[serde(default)]
    pcm_rate: Option<u32>,
    #[serde(default)]
    timeout_s: Option<f64>,
    #[serde(default)]
    env: BTreeMap<String, String>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Input {
    #[default]
    Stdin,
    Argument,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Output {
    #[default]
    Stdout,
    File,
}

/// A piece of an argument or an environment value once the preset is loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Text,
    OutputPath,
    ApiKey,
}

/// A template split into literals and placeholder names.
/// The values placeholders stand for that are known when the preset loads.
fn fixed_values(preset: &Preset) -> Vec<(&'static str, String)> {
    let speed = preset.speed;
    vec![
        ("voice", preset.voice.clone()),
        ("language", preset.language.clone()),
        ("speed", decimal(speed as f64)),
        ("rate", format!("{}", (NORMAL_WPM * speed).round() as u32)),
        ("length_scale", decimal(1.0 / speed as f64)),
    ]
}

/// `x` with at most three decimals and no trailing zeros: `1`, `1.25`, `0.667`.
fn decimal(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// One template resolved: fixed placeholders filled in, the others kept as pieces.
fn resolve(
    template: &str,
    fixed: &[(&'static str, String)],
    dynamic: &[(&str, Piece)],
    refuse: impl Fn(&str) -> Option<String>,
) -> Result<Vec<Piece>, String> {
    let mut pieces: Vec<Piece> = Vec::new();
    let push_literal = |pieces: &mut Vec<Piece>, s: &str| match pieces.last_mut() {
        Some(Piece::Literal(last)) => last.push_str(s),
        _ => pieces.push(Piece::Literal(s.to_string())),
    };
    for raw in split(template)? {
        match raw {
            Part::Literal(s) => push_literal(&mut pieces, &s),
            Part::Name(name) => {
                if let Some(why) = refuse(&name) {
                    return Err(why);
                }
                if let Some((_, value)) = fixed.iter().find(|(n, _)| *n == name) {
                    push_literal(&mut pieces, value);
                } else if let Some((_, piece)) = dynamic.iter().find(|(n, _)| *n == name) {
                    pieces.push(piece.clone());
                } else {
                    let mut known: Vec<&str> = dynamic.iter().map(|(n, _)| *n).collect();
                    known.extend(fixed.iter().map(|(n, _)| *n));
                    return Err(format!(
                        "{template:?}: unknown placeholder {{{name}}}; known: {}",
                        known.iter().map(|n| format!("{{{n}}}")).collect::<Vec<_>>().join(", ")
                    ));
                }
            }
        }
    }
    Ok(pieces)
}

pub struct CommandBackend {
    /// The program as the preset names it, for messages.
    name: String,
    program: PathBuf,
    args: Vec<Vec<Piece>>,
    env: Vec<(String, Vec<Piece>)>,
    input: Input,
    output: Output,
    extension: String,
    hint: AudioHint,
    timeout: Duration,
    max_bytes: u64,
    key: Option<Secret>,
}

impl CommandBackend {
    pub fn new(preset: &Preset, notices: &mut Notices) -> Result<Self, SetupError> {
        let invalid = |message: String| SetupError::invalid(preset, message);
        let value = preset
            .command
            .clone()
            .ok_or_else(|| invalid("kind \"command\" needs a [command] table with at least program = \"…\"".into()))?;
        let table: Table = value.try_into().map_err(|e: toml::de::Error| invalid(format!("[command]: {e}")))?;

        let name = table.program.trim().to_string();
        if name.is_empty() {
            return Err(invalid("[command] program is empty".into()));
        }
        let program = super::program::find(&name).ok_or_else(|| {
            invalid(format!(
                "the program {name:?} of [command] was not found{}; install it, or give its full path as program",
                if name.contains('/') { "" } else { " on PATH" }
            ))
        })?;

        let fixed = fixed_values(preset);
        let dynamic = [("text", Piece::Text), ("output", Piece::OutputPath)];
        let mut args = Vec::new();
        for template in &table.args {
            let pieces = resolve(template, &fixed, &dynamic, |name| {
                (name == "api_key").then(|| {
                    "{api_key} is not allowed in [command] args, where other users can read it in the \
                     process list; pass it in [command.env] instead"
                        .to_string()
                })
            })
            .map_err(|e| invalid(format!("[command] args: {e}")))?;
            args.push(pieces);
        }
        let uses = |piece: &Piece| args.iter().flatten().any(|p| p == piece);
        match table.input {
            Input::Argument if !uses(&Piece::Text) => {
                return Err(invalid("[command] input = \"argument\" needs {text} in args".into()));
            }
            Input::Stdin if uses(&Piece::Text) => {
                return Err(invalid(
                    "[command] args has {text}, but input = \"stdin\" (the default) already sends the text on \
                     standard input; set input = \"argument\" or remove {text}"
                        .into(),
                ));
            }
            _ => {}
        }
        match table.output {
            Output::File if !uses(&Piece::OutputPath) => {
                return Err(invalid("[command] output = \"file\" needs {output} in args".into()));
            }
            Output::Stdout if uses(&Piece::OutputPath) => {
                return Err(invalid(
                    "[command] args has {output}, but output = \"stdout\" (the default); set output = \"file\"".into(),
                ));
            }
            _ => {}
        }
        if table.input == Input::Argument && !dash_dash_before_text(&args) {
            notices.push(format!(
                "voice {}: [command] args has no \"--\" before {{text}}, so a text starting with '-' may be taken \
                 for an option by {name}; add \"--\" before {{text}} if {name} accepts it",
                preset.name
            ));
        }

        let extension = table.output_extension.unwrap_or_else(|| "wav".into());
        if extension.is_empty() || !extension.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(invalid(format!(
                "[command] output_extension {extension:?} must be letters and digits, e.g. wav"
            )));
        }

        let hint = match table.pcm_rate {
            None => AudioHint::Sniff,
            Some(rate) if (1000..=384_000).contains(&rate) => AudioHint::RawS16Le { rate, channels: 1 },
            Some(rate) => return Err(invalid(format!("[command] pcm_rate = {rate} is not a sample rate in Hz"))),
        };
        let timeout_s = table.timeout_s.unwrap_or(DEFAULT_TIMEOUT_S);
        if !(timeout_s > 0.0 && timeout_s.is_finite() && timeout_s <= 86_400.0) {
            return Err(invalid(format!("[command] timeout_s = {timeout_s} must be a positive number of seconds")));
        }

        let key = api_key(preset)?;
        let mut env = Vec::new();
        for (var, template) in &table.env {
            if var.is_empty() || var.contains(['=', '\0']) {
                return Err(invalid(format!("[command.env] {var:?} is not a variable name")));
            }
            let pieces = resolve(template, &fixed, &[("api_key", Piece::ApiKey)], |name| match name {
                "text" | "output" => Some(format!("{{{name}}} is only for args, not [command.env] {var}")),
                _ => None,
            })
            .map_err(|e| invalid(format!("[command.env] {var}: {e}")))?;
            if pieces.contains(&Piece::ApiKey) && key.is_none() {
                return Err(invalid(format!(
                    "[command.env] {var} uses {{api_key}}: name the variable that holds the key with api_key_env"
                )));
            }
            env.push((var.clone(), pieces));
        }

        Ok(CommandBackend {
            name,
            program,
            args,
            env,
            input: table.input,
            output: table.output,
            extension,
            hint,
            timeout: Duration::from_secs_f64(timeout_s),
            max_bytes: preset.network.max_response_mb.saturating_mul(1024 * 1024),
            key,
        })
    }

    fn redact(&self, text: &str) -> String {
        match &self.key {
            Some(key) => key.redact(text),
            None => text.to_string(),
        }
    }

    fn fill(&self, pieces: &[Piece], text: &str, output: Option<&Path>) -> OsString {
        let mut s = OsString::new();
        for piece in pieces {
            match piece {
                Piece::Literal(l) => s.push(l),
                Piece::Text => s.push(text),
                Piece::OutputPath => s.push(output.expect("output path made for output = file")),
                Piece::ApiKey => s.push(self.key.as_ref().map_or("", Secret::expose)),
            }
        }
        s
    }

    /// "the last lines of stderr" for a message, redacted.
    fn stderr_tail(&self, stderr: &[u8]) -> String {
        let text = String::from_utf8_lossy(stderr);
        let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        if lines.is_empty() {
            return "nothing on stderr".into();
        }
        let tail = lines[lines.len().saturating_sub(STDERR_LINES)..].join(" | ");
        let tail: String = if tail.chars().count() > 600 {
            let skip = tail.chars().count() - 600;
            format!("…{}", tail.chars().skip(skip).collect::<String>())
        } else {
            tail
        };
        format!("stderr: {}", self.redact(&tail))
    }
}

/// Whether every `{text}` argument comes after a `--` argument.
fn dash_dash_before_text(args: &[Vec<Piece>]) -> bool {
    let dash = args.iter().position(|a| a == &[Piece::Literal("--".into())]);
    let text = args.iter().position(|a| a.contains(&Piece::Text));
    matches!((dash, text), (Some(d), Some(t)) if d < t)
}

/// Stops the child and, on Unix, everything it started (it leads its own process group).
fn kill(child: &mut Child) {
    #[cfg(unix)]
    if let Some(pid) = rustix::process::Pid::from_raw(child.id() as i32) {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
    let _ = child.kill();
}

/// Receives a helper thread's result, waiting at most until `until`.
fn collect<T>(rx: &mpsc::Receiver<T>, until: Instant) -> Option<T> {
    rx.recv_timeout(until.saturating_duration_since(Instant::now())).ok()
}

/// Reads `from` to the end, keeping at most `limit` bytes; `too_big` is raised past it.
fn read_bounded(mut from: impl Read, limit: u64, too_big: &AtomicBool) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    (&mut from).take(limit).read_to_end(&mut bytes)?;
    let mut probe = [0u8; 1];
    if from.read(&mut probe)? > 0 {
        too_big.store(true, Ordering::SeqCst);
    }
    Ok(bytes)
}

/// Reads `from` to the end, keeping the last [`STDERR_TAIL`] bytes.
fn read_tail(mut from: impl Read) -> Vec<u8> {
    let mut tail = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = from.read(&mut buf) {
        if n == 0 {
            break;
        }
        tail.extend_from_slice(&buf[..n]);
        if tail.len() > 2 * STDERR_TAIL {
            tail.drain(..tail.len() - STDERR_TAIL);
        }
    }
    tail
}

/// A helper thread's result, waiting until `until`; past it, whatever the program started is
/// stopped and the thread gets one more second.
fn gather<T>(rx: &mpsc::Receiver<T>, until: &mut Instant, child: &mut Child) -> Option<T> {
    if let Some(value) = collect(rx, *until) {
        return Some(value);
    }
    kill(child);
    *until = Instant::now() + Duration::from_secs(1);
    collect(rx, *until)
}

enum Ended {
    Exited(ExitStatus),
    TimedOut,
    TooBig,
}

impl Backend for CommandBackend {
    fn kind(&self) -> &'static str {
        "command"
    }

    fn engine(&self) -> String {
        format!("{} (command)", self.program.display())
    }

    fn synthesize(&self, request: &Request<'_>) -> Result<Audio, BackendError> {
        let text = request.text_only(self.kind())?;
        let name = &self.name;
        if self.input == Input::Argument && text.contains('\0') {
            return Err(BackendError::Rejected(format!(
                "the text holds a NUL character, which {name} cannot take as an argument"
            )));
        }
        // Removed when dropped, whatever happens below.
        let folder =
            match self.output {
                Output::File => Some(tempfile::Builder::new().prefix("seedaudio-command-").tempdir().map_err(|e| {
                    BackendError::Unavailable(format!("cannot make a temporary folder for {name}: {e}"))
                })?),
                Output::Stdout => None,
            };
        let output_path = folder.as_ref().map(|f| f.path().join(format!("audio.{}", self.extension)));

        let mut command = Command::new(&self.program);
        command
            .args(self.args.iter().map(|a| self.fill(a, text, output_path.as_deref())))
            .envs(self.env.iter().map(|(var, v)| (var, self.fill(v, text, None))))
            .stdin(if self.input == Input::Stdin { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            // Its own process group, so a timeout stops whatever it started too.
            command.process_group(0);
        }
        let mut child = command
            .spawn()
            .map_err(|e| BackendError::Unavailable(format!("cannot start {name} ({}): {e}", self.program.display())))?;
        let started = Instant::now();

        let (in_tx, in_rx) = mpsc::channel();
        if let Some(mut stdin) = child.stdin.take() {
            let input = text.as_bytes().to_vec();
            // Written from another thread, so a large output cannot dead-lock against the input.
            std::thread::spawn(move || {
                let _ = in_tx.send(stdin.write_all(&input).and_then(|_| stdin.flush()));
            });
        } else {
            let _ = in_tx.send(Ok(()));
        }
        let too_big = Arc::new(AtomicBool::new(false));
        let (out_tx, out_rx) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout is piped");
        let (limit, flag) = (if self.output == Output::Stdout { self.max_bytes } else { 0 }, too_big.clone());
        std::thread::spawn(move || {
            let result = if limit > 0 {
                read_bounded(stdout, limit, &flag)
            } else {
                // Output goes to the file; drain whatever the program prints.
                std::io::copy(&mut { stdout }, &mut std::io::sink()).map(|_| Vec::new())
            };
            let _ = out_tx.send(result);
        });
        let (err_tx, err_rx) = mpsc::channel();
        let stderr = child.stderr.take().expect("stderr is piped");
        std::thread::spawn(move || {
            let _ = err_tx.send(read_tail(stderr));
        });

        // The utterance's time budget (`--utterance-timeout`) bounds the run as well.
        let deadline = request.deadline.map_or(started + self.timeout, |d| d.min(started + self.timeout));
        let mut pause = Duration::from_millis(1);
        let ended = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Ended::Exited(status),
                Ok(None) => {}
                Err(e) => {
                    kill(&mut child);
                    let _ = child.wait();
                    return Err(BackendError::Unavailable(format!("waiting for {name}: {e}")));
                }
            }
            if too_big.load(Ordering::SeqCst) {
                kill(&mut child);
                let _ = child.wait();
                break Ended::TooBig;
            }
            if Instant::now() >= deadline {
                kill(&mut child);
                let _ = child.wait();
                break Ended::TimedOut;
            }
            std::thread::sleep(pause.min(deadline.saturating_duration_since(Instant::now())));
            pause = (pause * 2).min(Duration::from_millis(25));
        };
        // Something the program started may still hold its output open: wait for the readers
        // until the deadline, then stop that too and give up on them shortly after.
        let mut until = deadline.max(Instant::now());
        let out = gather(&out_rx, &mut until, &mut child);
        let err = gather(&err_rx, &mut until, &mut child);
        let wrote = gather(&in_rx, &mut until, &mut child);
        let stderr = err.unwrap_or_default();
        let limit_mb = self.max_bytes / (1024 * 1024);

        // The reader may raise the flag after the program has already exited.
        let ended = match ended {
            Ended::Exited(_) if too_big.load(Ordering::SeqCst) => Ended::TooBig,
            other => other,
        };
        let status = match ended {
            Ended::TimedOut => {
                return Err(BackendError::Unavailable(format!(
                    "{name} did not finish within {} s and was stopped ({})",
                    decimal(deadline.saturating_duration_since(started).as_secs_f64()),
                    self.stderr_tail(&stderr)
                )));
            }
            Ended::TooBig => {
                return Err(BackendError::Rejected(format!(
                    "{name} wrote more than {limit_mb} MB of audio ([network] max_response_mb)"
                )));
            }
            Ended::Exited(status) => status,
        };
        if !status.success() {
            let how = match status.code() {
                Some(code) => format!("exited with status {code}"),
                None => format!("was stopped ({status})"),
            };
            return Err(BackendError::Unavailable(format!("{name} {how} ({})", self.stderr_tail(&stderr))));
        }
        let bytes = match &output_path {
            None => match out {
                Some(Ok(bytes)) => bytes,
                Some(Err(e)) => return Err(BackendError::Unavailable(format!("reading the output of {name}: {e}"))),
                None => return Err(BackendError::Unavailable(format!("{name} kept its output open after exiting"))),
            },
            Some(path) => {
                let size = match std::fs::metadata(path) {
                    Ok(m) => m.len(),
                    Err(_) => {
                        return Err(BackendError::Rejected(format!(
                            "{name} exited without writing the audio file {{output}} ({})",
                            self.stderr_tail(&stderr)
                        )));
                    }
                };
                if size > self.max_bytes {
                    return Err(BackendError::Rejected(format!(
                        "{name} wrote more than {limit_mb} MB of audio ([network] max_response_mb)"
                    )));
                }
                std::fs::read(path)
                    .map_err(|e| BackendError::Unavailable(format!("reading the audio file of {name}: {e}")))?
            }
        };
        if let Some(Err(e)) = wrote {
            return Err(BackendError::Unavailable(format!("writing the text to {name}: {e}")));
        }
        if bytes.is_empty() {
            return Err(BackendError::Rejected(format!(
                "{name} produced no audio for this text ({})",
                self.stderr_tail(&stderr)
            )));
        }
        drop(folder);
        Ok(Audio { bytes, hint: self.hint })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preset(command: &str) -> Result<CommandBackend, String> {
        let text = format!("kind = 'command'\nlanguage = 'en'\nvoice = 'en'\nspeed = 1.25\n[command]\n{command}\n");
        let preset = Preset::from_toml("t", &text).map_err(|e| e.to_string())?;
        CommandBackend::new(&preset, &mut Vec::new()).map_err(|e| e.to_string())
    }

    #[test]
    fn placeholders_are_split_and_filled() {
        assert_eq!(
            split("a{text}b").unwrap(),
            vec![Part::Literal("a".into()), Part::Name("text".into()), Part::Literal("b".into())]
        );
        assert_eq!(split("{{x}}").unwrap(), vec![Part::Literal("{x}".into())]);
        assert!(split("{oops").is_err() && split("x}").is_err());
        let b =
            preset("program = 'sh'\nargs = ['-r{rate}', '{speed}', '{length_scale}', '{voice}/{language}', '{{lit}}']")
                .unwrap();
        let filled: Vec<OsString> = b.args.iter().map(|a| b.fill(a, "hi", None)).collect();
        assert_eq!(filled, ["-r219", "1.25", "0.8", "en/en", "{lit}"].map(OsString::from));
    }

    #[test]
    fn the_text_is_filled_in_once_and_never_re_read() {
        let b = preset("program = 'sh'\nargs = ['--', 'x{text}y']\ninput = 'argument'").unwrap();
        assert_eq!(b.fill(&b.args[1], "{voice} $(rm)", None), OsString::from("x{voice} $(rm)y"));
    }

    #[test]
    fn bad_tables_are_refused_at_load() {
        let cases = [
            ("program = 'sh'\nargs = ['{txt}']", "unknown placeholder {txt}"),
            ("program = 'sh'\ninput = 'argument'", "needs {text}"),
            ("program = 'sh'\noutput = 'file'", "needs {output}"),
            ("program = 'sh'\nargs = ['{text}']", "already sends the text"),
            ("program = 'sh'\nargs = ['{output}']", "set output = \"file\""),
            ("program = 'sh'\nargs = ['{api_key}']", "process list"),
            ("program = 'sh'\nenv = { K = '{api_key}' }", "api_key_env"),
            ("program = 'sh'\nenv = { K = '{text}' }", "only for args"),
            ("program = 'sh'\ninput = 'pipe'", "unknown variant"),
            ("program = 'sh'\nprogramme = 'x'", "unknown field"),
            ("program = 'sh'\npcm_rate = 3", "pcm_rate"),
            ("program = 'sh'\ntimeout_s = 0", "timeout_s"),
            (
                "program = 'seedaudio-no-such-program'",
                "\"seedaudio-no-such-program\" of [command] was not found on PATH",
            ),
            ("program = '/nonexistent/tts'", "was not found;"),
        ];
        for (table, expect) in cases {
            let err = preset(table).err().unwrap_or_else(|| panic!("{table} was accepted"));
            assert!(err.contains(expect) && err.contains("voice t"), "{table}: {err}");
        }
    }

    #[test]
    fn missing_dash_dash_is_noted() {
        let text =
            "kind='command'\nlanguage='en'\nvoice='en'\n[command]\nprogram='sh'\ninput='argument'\nargs=['{text}']";
        let preset = Preset::from_toml("t", text).unwrap();
        let mut notices = Vec::new();
        CommandBackend::new(&preset, &mut notices).unwrap();
        assert!(notices.iter().any(|n| n.contains("\"--\"")), "{notices:?}");
        let mut notices = Vec::new();
        let preset = Preset::from_toml("t", &text.replace("['{text}']", "['--', '{text}']")).unwrap();
        CommandBackend::new(&preset, &mut notices).unwrap();
        assert!(notices.is_empty(), "{notices:?}");
    }
}
