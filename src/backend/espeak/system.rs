//! The `espeak-ng` program: text on stdin, WAV on stdout, never through a shell.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::audio::AudioHint;
use crate::backend::{Audio, Backend, BackendError, Request};

pub struct System {
    program: PathBuf,
    version: String,
    voice: String,
    wpm: u32,
}

impl System {
    /// The program on `PATH`, or `None` when it is not installed or does not run.
    pub fn find(voice: &str, wpm: u32) -> Option<System> {
        let program = crate::backend::program::find("espeak-ng")?;
        let output = Command::new(&program).arg("--version").stdin(Stdio::null()).output().ok()?;
        if !output.status.success() {
            return None;
        }
        let text = String::from_utf8_lossy(&output.stdout);
        let version = text.split_whitespace().find(|w| w.starts_with(|c: char| c.is_ascii_digit())).unwrap_or("?");
        Some(System { program, version: version.to_string(), voice: voice.to_string(), wpm })
    }
}

impl Backend for System {
    fn kind(&self) -> &'static str {
        "espeak"
    }

    fn engine(&self) -> String {
        format!("espeak-ng {} (system)", self.version)
    }

    fn synthesize(&self, request: &Request<'_>) -> Result<Audio, BackendError> {
        let text = request.text_only(self.kind())?;
        let mut child = Command::new(&self.program)
            .args(["-v", &self.voice, "-s", &self.wpm.to_string(), "-b", "1", "--stdin", "--stdout"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| BackendError::Unavailable(format!("cannot start {}: {e}", self.program.display())))?;
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let input = text.as_bytes().to_vec();
        // Write from another thread so a large output cannot dead-lock against our input.
        let writer = std::thread::spawn(move || stdin.write_all(&input));
        let mut bytes = Vec::new();
        let mut stderr = String::new();
        let read = child.stdout.take().expect("stdout is piped").read_to_end(&mut bytes);
        let _ = child.stderr.take().expect("stderr is piped").read_to_string(&mut stderr);
        let status = child.wait().map_err(|e| BackendError::Unavailable(format!("espeak-ng: {e}")))?;
        let wrote = writer.join().unwrap_or_else(|_| Err(std::io::Error::other("writer thread panicked")));
        read.map_err(|e| BackendError::Unavailable(format!("reading espeak-ng's output: {e}")))?;
        if !status.success() {
            return Err(BackendError::Unavailable(format!("espeak-ng exited with {status}: {}", stderr.trim())));
        }
        wrote.map_err(|e| BackendError::Unavailable(format!("writing to espeak-ng: {e}")))?;
        Ok(Audio { bytes, hint: AudioHint::Sniff })
    }
}
