//! [`Build`]: "a preset and an article in a temporary folder, then `seedaudio build`".

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use super::{Run, read_json, run, seedaudio};

/// One `seedaudio build` in a temporary folder of its own:
///
/// ```ignore
/// let b = Build::new()
///     .preset("kind = 'espeak'\nlanguage = 'zh'\nvoice = 'cmn'\n")
///     .article("标题\n正文。\n")
///     .args(["--jobs", "1", "--quiet"]);
/// let r = b.run();
/// assert_eq!(r.status, 0, "{}", r.stderr);
/// check_chapters(&b.out(), &b.manifest());
/// ```
///
/// The command is `seedaudio build ARTICLE [--voice PRESET] --out DIR/out ARGS…` with the
/// environment given, and the private cache folder of [`seedaudio`]. The folder lives as long
/// as the `Build`; write what else a test needs into [`Build::dir`].
pub struct Build {
    dir: tempfile::TempDir,
    article: Option<PathBuf>,
    preset: Option<PathBuf>,
    args: Vec<OsString>,
    env: Vec<(OsString, Option<OsString>)>,
}

impl Default for Build {
    fn default() -> Self {
        Self::new()
    }
}

impl Build {
    /// An empty temporary folder; the build needs at least an article.
    pub fn new() -> Build {
        Build { dir: tempfile::tempdir().unwrap(), article: None, preset: None, args: Vec::new(), env: Vec::new() }
    }

    /// The temporary folder.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The output folder, `DIR/out`.
    pub fn out(&self) -> PathBuf {
        self.dir().join("out")
    }

    /// The manifest the build wrote.
    pub fn manifest(&self) -> Value {
        read_json(&self.out().join("manifest.json"))
    }

    /// The voice preset, written to `DIR/voice.toml`.
    pub fn preset(self, toml: &str) -> Build {
        self.preset_as("voice.toml", toml)
    }

    /// The voice preset, written to `DIR/name` (the name shows in messages).
    pub fn preset_as(mut self, name: &str, toml: &str) -> Build {
        let path = self.dir().join(name);
        std::fs::write(&path, toml).unwrap();
        self.preset = Some(path);
        self
    }

    /// A voice by built-in name or by the path of a preset already written.
    pub fn voice(mut self, name_or_path: impl Into<PathBuf>) -> Build {
        self.preset = Some(name_or_path.into());
        self
    }

    /// The article's text, written to `DIR/article.txt`.
    pub fn article(self, text: &str) -> Build {
        self.article_as("article.txt", text)
    }

    /// The article's text, written to `DIR/name`.
    pub fn article_as(mut self, name: &str, text: &str) -> Build {
        let path = self.dir().join(name);
        std::fs::write(&path, text).unwrap();
        self.article = Some(path);
        self
    }

    /// An article file that is already there, such as `common::article("zh-example.txt")`.
    pub fn article_file(mut self, path: impl Into<PathBuf>) -> Build {
        self.article = Some(path.into());
        self
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Build {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(mut self, args: I) -> Build {
        self.args.extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Build {
        self.env.push((key.as_ref().to_owned(), Some(value.as_ref().to_owned())));
        self
    }

    pub fn env_remove(mut self, key: impl AsRef<OsStr>) -> Build {
        self.env.push((key.as_ref().to_owned(), None));
        self
    }

    /// The path of the preset given with [`Build::preset`] (or [`Build::voice`]).
    pub fn preset_path(&self) -> &Path {
        self.preset.as_deref().expect("a preset was given")
    }

    /// The path of the article.
    pub fn article_path(&self) -> &Path {
        self.article.as_deref().expect("an article was given")
    }

    /// Adds this build's arguments and environment to `cmd` (which runs the binary some other
    /// way, under `/usr/bin/time` say).
    pub fn apply<'c>(&self, cmd: &'c mut Command) -> &'c mut Command {
        cmd.arg("build").arg(self.article_path());
        if let Some(preset) = &self.preset {
            cmd.arg("--voice").arg(preset);
        }
        cmd.arg("--out").arg(self.out()).args(&self.args);
        for (key, value) in &self.env {
            match value {
                Some(value) => cmd.env(key, value),
                None => cmd.env_remove(key),
            };
        }
        cmd
    }

    /// The command, to add to, to spawn or to run with [`run`].
    pub fn command(&self) -> Command {
        let mut cmd = seedaudio();
        self.apply(&mut cmd);
        cmd
    }

    /// Runs the build and waits for it; it may be run again.
    pub fn run(&self) -> Run {
        run(&mut self.command())
    }
}
