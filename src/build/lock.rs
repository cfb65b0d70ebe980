//! Taking the output folder for this build: at once, or after the build writing it now is
//! done (`--wait`); otherwise the build stops, naming the process that holds the folder.

use crate::build::progress;
use crate::build::settings::{BuildError, BuildSettings};
use crate::outdir::lock::OutLock;

pub fn take(out: &std::path::Path, settings: &BuildSettings) -> Result<OutLock, BuildError> {
    let io = |source| BuildError::Output { path: crate::outdir::lock::path(out), source };
    match OutLock::try_take(out).map_err(io)? {
        Ok(lock) => Ok(lock),
        Err(busy) if settings.wait => {
            if settings.progress != progress::Mode::Quiet {
                eprintln!("waiting: {} is being written by another build ({})", out.display(), busy.holder);
            }
            busy.wait().map_err(io)
        }
        Err(busy) => Err(BuildError::Busy { out: out.to_path_buf(), holder: busy.holder }),
    }
}
