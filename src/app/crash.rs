//! What a crash prints: a short message without any key in it, and what to do.
//!
//! A panic is a bug, but its message can quote anything (a server's answer, a request), so
//! the default hook, which prints the payload as it is, is replaced by one that redacts every
//! key read this run ([`crate::backend::secret`]) and says where the work is.

/// Installs the hook (once per process; later calls do nothing).
pub fn install_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let payload = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned());
            let place = info.location().map(|l| format!("{}:{}", l.file(), l.line()));
            eprintln!("{}", message(payload.as_deref(), place.as_deref()));
        }));
    });
}

/// The text printed for a panic with `payload` at `place`.
pub fn message(payload: Option<&str>, place: Option<&str>) -> String {
    let text = match payload {
        Some(p) => crate::backend::secret::try_redact_known(p)
            .unwrap_or_else(|| "(message withheld: it could not be checked for keys)".into()),
        None => "(no message)".into(),
    };
    let place = place.map(|p| format!(" at {p}")).unwrap_or_default();
    format!(
        "seedaudio panicked{place}: {text}\n\
         This is a bug; please report it with the command you ran. What was synthesized is in the cache: \
         running the same command again resumes."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_this_run_are_redacted() {
        let key = crate::backend::secret::Secret::new("sk-crash-test-4711".into());
        let text = message(Some(&format!("request failed: Bearer {} refused", key.expose())), Some("src/x.rs:1"));
        assert!(!text.contains("sk-crash-test-4711"), "{text}");
        assert!(text.contains("Bearer [redacted] refused") && text.contains("at src/x.rs:1"), "{text}");
        assert!(text.contains("running the same command again resumes"));
    }
}
