//! The folder an install is built in, `.kokoro-partial-PID` next to the install folder, and
//! the rename that puts a finished install in place.

use std::path::{Path, PathBuf};

use super::error::InstallError;

/// The prefix of the folder an install is built in, next to the install folder.
pub const PARTIAL: &str = ".kokoro-partial-";

/// The folder an install is built in; removed when dropped (an error: nothing half-done stays).
pub struct Staging {
    pub path: PathBuf,
}

impl Staging {
    /// Removes what interrupted installs left in `parent`, then makes `.kokoro-partial-PID`.
    pub fn claim(parent: &Path, say: &mut dyn FnMut(String)) -> Result<Staging, InstallError> {
        let me = std::process::id();
        let entries =
            std::fs::read_dir(parent).map_err(|e| InstallError::io(format!("reading {}", parent.display()), e))?;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(PARTIAL)) else { continue };
            if let Ok(pid) = pid.parse::<u32>()
                && pid != me
                && Path::new("/proc").join(pid.to_string()).exists()
            {
                return Err(InstallError::Busy { folder: entry.path(), pid });
            }
            say(format!("removing {} (left by an interrupted install)", entry.path().display()));
            std::fs::remove_dir_all(entry.path())
                .map_err(|e| InstallError::io(format!("removing {}", entry.path().display()), e))?;
        }
        let path = parent.join(format!("{PARTIAL}{me}"));
        std::fs::create_dir(&path).map_err(|e| InstallError::io(format!("creating {}", path.display()), e))?;
        Ok(Staging { path })
    }

    /// Renames the finished `kokoro` folder to `target`, moving an old install out of the way
    /// first (into the staging folder, removed on drop).
    pub fn swap_into(self, target: &Path) -> Result<(), InstallError> {
        let rename = |from: &Path, to: &Path| {
            std::fs::rename(from, to)
                .map_err(|e| InstallError::io(format!("renaming {} to {}", from.display(), to.display()), e))
        };
        if std::fs::symlink_metadata(target).is_ok() {
            rename(target, &self.path.join("old"))?;
        }
        rename(&self.path.join("kokoro"), target)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_of_dead_installs_are_removed_and_a_live_one_refused() {
        let dir = tempfile::tempdir().unwrap();
        let dead = dir.path().join(format!("{PARTIAL}4000000000"));
        std::fs::create_dir_all(dead.join("kokoro")).unwrap();
        std::fs::write(dead.join("kokoro").join("kokoro-v1.0.int8.onnx"), b"half").unwrap();
        let mut said = Vec::new();
        let staging = Staging::claim(dir.path(), &mut |s| said.push(s)).unwrap();
        assert!(!dead.exists() && staging.path.is_dir(), "{said:?}");
        drop(staging);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "the staging folder is removed on drop");
        // pid 1 is always alive.
        std::fs::create_dir(dir.path().join(format!("{PARTIAL}1"))).unwrap();
        let err = Staging::claim(dir.path(), &mut |_| {}).err().unwrap().to_string();
        assert!(err.contains("process 1"), "{err}");
    }
}
