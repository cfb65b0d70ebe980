//! Ctrl-C during a build: stop at once, keep what is cached, say how to resume, exit 130.
//!
//! Every utterance is in the cache the moment it arrives and chapter files only get their
//! names when complete, so stopping the process loses nothing but the requests in flight.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::synth::Synthesizer;

/// Held while chapter files are created, written or renamed; the handler takes it before
/// cleaning up, and exits holding it, so no chapter file appears after the clean-up.
static OUTPUT: Mutex<()> = Mutex::new(());

/// Guards one step of writing chapter files against an interrupt in the middle of it.
pub fn output_guard() -> MutexGuard<'static, ()> {
    OUTPUT.lock().unwrap_or_else(|p| p.into_inner())
}

/// What the handler cleans up and reports: the build running now.
struct Target {
    synth: Arc<Synthesizer>,
    out: PathBuf,
    cache: Option<PathBuf>,
}

/// The build running now; a command building several articles replaces it for each.
static TARGET: Mutex<Option<Target>> = Mutex::new(None);

/// Makes Ctrl-C stop the build into `out` that caches in `cache`. The handler is installed
/// once per process; later calls point it at their own build.
pub fn on_ctrl_c(synth: Arc<Synthesizer>, out: &Path, cache: Option<&Path>) {
    let target = Target { synth, out: out.to_path_buf(), cache: cache.map(Path::to_path_buf) };
    *TARGET.lock().unwrap_or_else(|p| p.into_inner()) = Some(target);
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            let _held_until_exit = output_guard();
            if let Some(Target { synth, out, cache }) = TARGET.lock().unwrap_or_else(|p| p.into_inner()).take() {
                remove_partial_chapters(&out);
                match &cache {
                    Some(dir) => eprintln!(
                        "\ninterrupted: {} utterances are saved in the cache ({}); run the same command again to resume",
                        synth.saved(),
                        dir.display()
                    ),
                    None => eprintln!("\ninterrupted; with --no-cache nothing was kept, so a new run starts over"),
                }
            }
            std::process::exit(130);
        });
    });
}

/// Removes the hidden `.….partial` files of chapters, episodes and transcripts being written.
fn remove_partial_chapters(out: &Path) {
    let Ok(entries) = std::fs::read_dir(out) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if crate::outdir::names::is_partial(&name) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
