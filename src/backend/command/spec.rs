//! The `[command]` table of a preset, read and checked when the voice opens: the program,
//! its argument and environment templates, and how text goes in and audio comes out. See
//! [`super`] for what each field means.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

use crate::audio::AudioHint;
use crate::backend::preset::Preset;
use crate::backend::template::{Part, split};
use crate::backend::{Notices, SetupError, settings};

/// The speaking rate `{rate}` stands for at speed 1.0, in words per minute.
const NORMAL_WPM: f32 = 175.0;
const DEFAULT_TIMEOUT_S: f64 = 120.0;

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
pub enum Input {
    #[default]
    Stdin,
    Argument,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Output {
    #[default]
    Stdout,
    File,
}

/// A piece of an argument or an environment value once the preset is loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Literal(String),
    Text,
    OutputPath,
    ApiKey,
}

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
pub fn decimal(x: f64) -> String {
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

/// The `command` kind's own preset fields.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The `[command]` table, read into `Table` when the voice opens.
    pub command: Option<toml::Value>,
}

/// A checked `[command]` table: what to run and how.
#[derive(Debug)]
pub struct Spec {
    /// The program as the preset names it, for messages.
    pub name: String,
    pub program: PathBuf,
    pub args: Vec<Vec<Piece>>,
    pub env: Vec<(String, Vec<Piece>)>,
    pub input: Input,
    pub output: Output,
    pub extension: String,
    pub hint: AudioHint,
    pub timeout: Duration,
}

impl Spec {
    /// Reads and checks the preset's `[command]` table; notes worth telling go to `notices`.
    pub fn parse(preset: &Preset, notices: &mut Notices) -> Result<Spec, SetupError> {
        let invalid = |message: String| SetupError::invalid(preset, message);
        let own: Settings = settings(preset)?;
        let value = own
            .command
            .ok_or_else(|| invalid("kind \"command\" needs a [command] table with at least program = \"…\"".into()))?;
        let table: Table = value.try_into().map_err(|e: toml::de::Error| invalid(format!("[command]: {e}")))?;

        let name = table.program.trim().to_string();
        if name.is_empty() {
            return Err(invalid("[command] program is empty".into()));
        }
        let program = crate::backend::program::find(&name).ok_or_else(|| {
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
            if pieces.contains(&Piece::ApiKey) && preset.api_key_env.is_none() {
                return Err(invalid(format!(
                    "[command.env] {var} uses {{api_key}}: name the variable that holds the key with api_key_env"
                )));
            }
            env.push((var.clone(), pieces));
        }

        Ok(Spec {
            name,
            program,
            args,
            env,
            input: table.input,
            output: table.output,
            extension,
            hint,
            timeout: Duration::from_secs_f64(timeout_s),
        })
    }
}

/// Whether every `{text}` argument comes after a `--` argument.
fn dash_dash_before_text(args: &[Vec<Piece>]) -> bool {
    let dash = args.iter().position(|a| a == &[Piece::Literal("--".into())]);
    let text = args.iter().position(|a| a.contains(&Piece::Text));
    matches!((dash, text), (Some(d), Some(t)) if d < t)
}
