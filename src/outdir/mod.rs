//! The output folder: what its files are called, how they are written (whole, under a
//! temporary name, then renamed), how an earlier build's leftovers are cleared, and who may
//! write it now (one build at a time).

pub mod atomic;
pub mod lock;
pub mod names;
pub mod stale;

use std::path::Path;

/// Makes sure `out` is a folder that exists.
pub fn create(out: &Path) -> std::io::Result<()> {
    if out.exists() && !out.is_dir() {
        return Err(std::io::Error::other("it is a file, not a folder"));
    }
    std::fs::create_dir_all(out)
        .map_err(|e| std::io::Error::new(e.kind(), format!("cannot create the output folder: {e}")))
}
