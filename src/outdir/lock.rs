//! One build at a time in an output folder: an advisory lock on [`names::OUT_LOCK`] inside it.
//!
//! The lock is the system's (`flock`, through std's `File::try_lock`): it is released when
//! the process holding it ends, however it ends (`kill -9` included), so a file left behind
//! never blocks a build. The file itself is never removed (removing a lock file lets two
//! builds lock two different files); it holds the holder's process id and start time, which
//! the build that finds the folder busy quotes. It is hidden, so no build lists, stamps or
//! cleans it.

use std::fs::{File, TryLockError};
use std::io::{ErrorKind, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::names;

/// Holds the output folder until dropped.
#[derive(Debug)]
pub struct OutLock {
    _file: Option<File>,
}

/// The folder is locked by another process.
#[derive(Debug)]
pub struct Busy {
    file: File,
    /// Who holds it, for people: "process 1234, started 12 s ago".
    pub holder: String,
}

/// The path of the lock file of `out`.
pub fn path(out: &Path) -> PathBuf {
    out.join(names::OUT_LOCK)
}

impl OutLock {
    /// Takes the lock of `out` (an existing folder) at once, or says who holds it.
    pub fn try_take(out: &Path) -> std::io::Result<Result<OutLock, Busy>> {
        let opened = File::options().read(true).write(true).create(true).truncate(false).open(path(out));
        let mut file = match opened {
            Ok(file) => file,
            // A folder this build cannot write to needs no lock: an up-to-date build only
            // reads it, any other fails at its first write with the usual advice.
            Err(e) if matches!(e.kind(), ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem) => {
                return Ok(Ok(OutLock { _file: None }));
            }
            Err(e) => return Err(e),
        };
        match file.try_lock() {
            Ok(()) => Ok(Ok(OutLock::holding(file)?)),
            Err(TryLockError::WouldBlock) => {
                let mut text = String::new();
                // The holder may not have written itself in yet: then it is "another process".
                let _ = file.read_to_string(&mut text);
                Ok(Err(Busy { holder: describe(&text), file }))
            }
            Err(TryLockError::Error(e)) => Err(e),
        }
    }

    /// Writes this process in as the holder.
    fn holding(mut file: File) -> std::io::Result<OutLock> {
        let started = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        file.set_len(0)?;
        file.rewind()?;
        file.write_all(format!("pid={}\nstarted={started}\n", std::process::id()).as_bytes())?;
        Ok(OutLock { _file: Some(file) })
    }
}

impl Busy {
    /// Waits until the holder is done (or dies), then holds the lock.
    pub fn wait(self) -> std::io::Result<OutLock> {
        self.file.lock()?;
        OutLock::holding(self.file)
    }
}

/// "process 1234, started 12 s ago" from the lock file's `pid=` and `started=` lines.
fn describe(text: &str) -> String {
    let field =
        |name: &str| text.lines().find_map(|l| l.strip_prefix(name)?.strip_prefix('=')?.trim().parse::<u64>().ok());
    let Some(pid) = field("pid") else { return "another process".into() };
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    match field("started") {
        Some(started) => format!("process {pid}, started {} s ago", now.saturating_sub(started)),
        None => format!("process {pid}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_taker_is_told_the_holder_and_gets_the_lock_once_it_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = OutLock::try_take(dir.path()).unwrap().unwrap();
        let busy = OutLock::try_take(dir.path()).unwrap().unwrap_err();
        assert!(busy.holder.starts_with(&format!("process {}, started ", std::process::id())), "{}", busy.holder);
        drop(first);
        let _second = busy.wait().unwrap();
        assert!(std::fs::read_to_string(path(dir.path())).unwrap().starts_with("pid="));
    }

    #[test]
    fn an_unreadable_holder_is_another_process() {
        assert_eq!(describe(""), "another process");
        assert_eq!(describe("pid=7\n"), "process 7");
    }
}
