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
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".into());
            let message = crate::backend::secret::try_redact_known(&payload)
                .unwrap_or_else(|| "(message withheld: it could not be checked for keys)".into());
            let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
            eprintln!(
                "seedaudio panicked{place}: {message}\n\
                 This is a bug; please report it with the command you ran. What was synthesized is in the \
                 cache: running the same command again resumes."
            );
        }));
    });
}
