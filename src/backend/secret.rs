//! API keys: read from the environment, never printed.
//!
//! Every key read is also remembered for the process, so the last line of defence —
//! [`redact_known`] on every error message, warning, manifest entry and panic message —
//! catches a key that a server, a library or a bug put into text.

use std::fmt;
use std::sync::Mutex;

/// Every key read this run.
static KNOWN: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Keys shorter than this are not searched for: they would match ordinary text.
const MIN_LEN: usize = 4;

/// `text` with every key read this run replaced by `[redacted]`.
pub fn redact_known(text: &str) -> String {
    let known = KNOWN.lock().unwrap_or_else(|p| p.into_inner());
    let mut out = text.to_string();
    for key in known.iter() {
        if out.contains(key.as_str()) {
            out = out.replace(key.as_str(), "[redacted]");
        }
    }
    out
}

/// Like [`redact_known`], but `None` instead of waiting when the list is busy: for a panic
/// hook, which may run while this thread holds it.
pub fn try_redact_known(text: &str) -> Option<String> {
    let known = match KNOWN.try_lock() {
        Ok(known) => known,
        Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
        Err(std::sync::TryLockError::WouldBlock) => return None,
    };
    Some(known.iter().fold(text.to_string(), |out, key| out.replace(key.as_str(), "[redacted]")))
}

fn remember(value: &str) {
    if value.len() >= MIN_LEN {
        let mut known = KNOWN.lock().unwrap_or_else(|p| p.into_inner());
        if !known.iter().any(|k| k == value) {
            known.push(value.to_string());
        }
    }
}

/// A secret value. `Debug` and `Display` print a placeholder, so a key cannot reach a log
/// line, an error message or a manifest by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Self {
        remember(&value);
        Secret(value)
    }

    /// Reads the variable `name`; `None` when it is unset or empty.
    pub fn from_env(name: &str) -> Option<Secret> {
        std::env::var(name).ok().filter(|v| !v.trim().is_empty()).map(|v| Secret::new(v.trim().to_string()))
    }

    /// The value, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of the secret replaced: for messages that quote what a
    /// server or a library said, which might echo the key.
    pub fn redact(&self, text: &str) -> String {
        if self.0.len() < MIN_LEN { text.to_string() } else { text.replace(&self.0, "[redacted]") }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_printed() {
        let s = Secret::new("sk-very-secret-123".into());
        assert_eq!(format!("{s} {s:?}"), "[redacted] Secret([redacted])");
        assert_eq!(s.redact("bad key sk-very-secret-123!"), "bad key [redacted]!");
        assert_eq!(
            redact_known("echo sk-very-secret-123 twice sk-very-secret-123"),
            "echo [redacted] twice [redacted]"
        );
    }
}
