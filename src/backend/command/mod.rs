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
//! The output is bounded by `[network] max_response_mb`. Running the program (the deadline,
//! the bound, killing its process group) is [`super::process`]'s; this file fills in the
//! templates and reads the audio.

mod spec;

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use super::process::{self, Job};
use super::secret::Secret;
use super::{Audio, Backend, BackendError, Notices, Request, SetupError, api_key};
use crate::backend::preset::Preset;
pub use spec::Settings;
use spec::{Input, Output, Piece, Spec};

pub struct CommandBackend {
    spec: Spec,
    max_bytes: u64,
    key: Option<Secret>,
}

impl CommandBackend {
    pub fn new(preset: &Preset, notices: &mut Notices) -> Result<Self, SetupError> {
        let spec = Spec::parse(preset, notices)?;
        let key = api_key(preset)?;
        Ok(CommandBackend { spec, max_bytes: preset.network.max_response_mb.saturating_mul(1024 * 1024), key })
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
}

impl Backend for CommandBackend {
    fn kind(&self) -> &'static str {
        "command"
    }

    fn engine(&self) -> String {
        format!("{} (command)", self.spec.program.display())
    }

    fn synthesize(&self, request: &Request<'_>) -> Result<Audio, BackendError> {
        let text = request.text_only(self.kind())?;
        let spec = &self.spec;
        let name = &spec.name;
        if spec.input == Input::Argument && text.contains('\0') {
            return Err(BackendError::Rejected(format!(
                "the text holds a NUL character, which {name} cannot take as an argument"
            )));
        }
        // Removed when dropped, whatever happens below.
        let folder =
            match spec.output {
                Output::File => Some(tempfile::Builder::new().prefix("seedaudio-command-").tempdir().map_err(|e| {
                    BackendError::Unavailable(format!("cannot make a temporary folder for {name}: {e}"))
                })?),
                Output::Stdout => None,
            };
        let output_path = folder.as_ref().map(|f| f.path().join(format!("audio.{}", spec.extension)));

        let mut command = Command::new(&spec.program);
        command
            .args(spec.args.iter().map(|a| self.fill(a, text, output_path.as_deref())))
            .envs(spec.env.iter().map(|(var, v)| (var, self.fill(v, text, None))));
        // The utterance's time budget (`--utterance-timeout`) bounds the run as well.
        let started = Instant::now();
        let deadline = request.deadline.map_or(started + spec.timeout, |d| d.min(started + spec.timeout));
        let redact = |s: &str| self.redact(s);
        let job = Job {
            name,
            command,
            input: (spec.input == Input::Stdin).then_some(text.as_bytes()),
            max_stdout: (spec.output == Output::Stdout).then_some(self.max_bytes),
            deadline,
            redact: &redact,
        };
        let finished = job.run()?;
        let bytes = match &output_path {
            None => finished.stdout,
            Some(path) => {
                let size = match std::fs::metadata(path) {
                    Ok(m) => m.len(),
                    Err(_) => {
                        return Err(BackendError::Rejected(format!(
                            "{name} exited without writing the audio file {{output}} ({})",
                            process::stderr_tail(&finished.stderr, &redact)
                        )));
                    }
                };
                if size > self.max_bytes {
                    return Err(process::too_much_audio(name, self.max_bytes));
                }
                std::fs::read(path)
                    .map_err(|e| BackendError::Unavailable(format!("reading the audio file of {name}: {e}")))?
            }
        };
        if bytes.is_empty() {
            return Err(BackendError::Rejected(format!(
                "{name} produced no audio for this text ({})",
                process::stderr_tail(&finished.stderr, &redact)
            )));
        }
        drop(folder);
        Ok(Audio { bytes, hint: spec.hint })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::template::{Part, split};

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
        let filled: Vec<OsString> = b.spec.args.iter().map(|a| b.fill(a, "hi", None)).collect();
        assert_eq!(filled, ["-r219", "1.25", "0.8", "en/en", "{lit}"].map(OsString::from));
    }

    #[test]
    fn the_text_is_filled_in_once_and_never_re_read() {
        let b = preset("program = 'sh'\nargs = ['--', 'x{text}y']\ninput = 'argument'").unwrap();
        assert_eq!(b.fill(&b.spec.args[1], "{voice} $(rm)", None), OsString::from("x{voice} $(rm)y"));
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
