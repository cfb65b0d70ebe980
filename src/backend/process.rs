//! Running a speech program under supervision: its input written from another thread, its
//! output bounded, its error output kept for messages, and the program — with whatever it
//! started — killed at the deadline.
//!
//! The program leads its own process group (on Unix), so killing the group also stops a
//! helper it spawned that would otherwise keep the output pipe open for ever.

use std::io::{Read, Write};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::BackendError;

/// How much of the program's error output is kept for messages.
const STDERR_TAIL: usize = 8 * 1024;
/// Lines of the program's error output quoted in a failure.
const STDERR_LINES: usize = 5;

/// One run of a program.
pub struct Job<'a> {
    /// The program as the user knows it, for messages (`espeak-ng`, `piper`).
    pub name: &'a str,
    /// The program with its arguments and environment; stdio and the process group are set
    /// by [`Job::run`].
    pub command: Command,
    /// Written to standard input, which is then closed; `None` = no standard input.
    pub input: Option<&'a [u8]>,
    /// Standard output is kept up to this many bytes (more is refused and the program
    /// stopped); `None` = the output is not wanted (it goes to a file) and is drained.
    pub max_stdout: Option<u64>,
    /// When the program must have finished.
    pub deadline: Instant,
    /// Applied to every quote of the program's error output (which might echo a key).
    pub redact: &'a dyn Fn(&str) -> String,
}

/// What a program that exited with success left behind.
#[derive(Debug)]
pub struct Finished {
    /// Its standard output (empty when it was not wanted).
    pub stdout: Vec<u8>,
    /// The end of its error output.
    pub stderr: Vec<u8>,
}

enum Ended {
    Exited(ExitStatus),
    TimedOut,
    TooBig,
}

impl Job<'_> {
    /// Runs the program to its end, or stops it at the deadline or when its output passes the
    /// bound. A timeout, a failed exit and broken pipes are [`BackendError::Unavailable`] (worth
    /// another try); too much output is [`BackendError::Rejected`].
    pub fn run(mut self) -> Result<Finished, BackendError> {
        let name = self.name;
        self.command
            .stdin(if self.input.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            self.command.process_group(0);
        }
        let program = self.command.get_program().to_string_lossy().into_owned();
        let mut child = self
            .command
            .spawn()
            .map_err(|e| BackendError::Unavailable(format!("cannot start {name} ({program}): {e}")))?;
        let started = Instant::now();

        let (in_tx, in_rx) = mpsc::channel();
        match (child.stdin.take(), self.input) {
            (Some(mut stdin), Some(input)) => {
                let input = input.to_vec();
                // Written from another thread, so a large output cannot dead-lock against the input.
                std::thread::spawn(move || {
                    let _ = in_tx.send(stdin.write_all(&input).and_then(|_| stdin.flush()));
                });
            }
            _ => {
                let _ = in_tx.send(Ok(()));
            }
        }
        let too_big = Arc::new(AtomicBool::new(false));
        let (out_tx, out_rx) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout is piped");
        let (limit, flag) = (self.max_stdout, too_big.clone());
        std::thread::spawn(move || {
            let result = match limit {
                Some(limit) => read_bounded(stdout, limit, &flag),
                None => std::io::copy(&mut { stdout }, &mut std::io::sink()).map(|_| Vec::new()),
            };
            let _ = out_tx.send(result);
        });
        let (err_tx, err_rx) = mpsc::channel();
        let stderr = child.stderr.take().expect("stderr is piped");
        std::thread::spawn(move || {
            let _ = err_tx.send(read_tail(stderr));
        });

        let deadline = self.deadline;
        let mut pause = Duration::from_millis(1);
        let ended = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Ended::Exited(status),
                Ok(None) => {}
                Err(e) => {
                    kill(&mut child);
                    let _ = child.wait();
                    return Err(BackendError::Unavailable(format!("waiting for {name}: {e}")));
                }
            }
            if too_big.load(Ordering::SeqCst) {
                kill(&mut child);
                let _ = child.wait();
                break Ended::TooBig;
            }
            if Instant::now() >= deadline {
                kill(&mut child);
                let _ = child.wait();
                break Ended::TimedOut;
            }
            std::thread::sleep(pause.min(deadline.saturating_duration_since(Instant::now())));
            pause = (pause * 2).min(Duration::from_millis(25));
        };
        // Something the program started may still hold its output open: wait for the readers
        // until the deadline, then stop that too and give up on them shortly after.
        let mut until = deadline.max(Instant::now());
        let out = gather(&out_rx, &mut until, &mut child);
        let err = gather(&err_rx, &mut until, &mut child);
        let wrote = gather(&in_rx, &mut until, &mut child);
        let stderr = err.unwrap_or_default();

        // The reader may raise the flag after the program has already exited.
        let ended = match ended {
            Ended::Exited(_) if too_big.load(Ordering::SeqCst) => Ended::TooBig,
            other => other,
        };
        let status = match ended {
            Ended::TimedOut => {
                return Err(BackendError::Unavailable(format!(
                    "{name} did not finish within {} s and was stopped ({})",
                    // To a tenth: the deadline was set a moment before the program started.
                    seconds((deadline.saturating_duration_since(started).as_secs_f64() * 10.0).round() / 10.0),
                    self.stderr_tail(&stderr)
                )));
            }
            Ended::TooBig => {
                return Err(too_much_audio(name, self.max_stdout.unwrap_or_default()));
            }
            Ended::Exited(status) => status,
        };
        if !status.success() {
            let how = match status.code() {
                Some(code) => format!("exited with status {code}"),
                None => format!("was stopped ({status})"),
            };
            return Err(BackendError::Unavailable(format!("{name} {how} ({})", self.stderr_tail(&stderr))));
        }
        let stdout = match out {
            _ if self.max_stdout.is_none() => Vec::new(),
            Some(Ok(bytes)) => bytes,
            Some(Err(e)) => return Err(BackendError::Unavailable(format!("reading the output of {name}: {e}"))),
            None => return Err(BackendError::Unavailable(format!("{name} kept its output open after exiting"))),
        };
        if let Some(Err(e)) = wrote {
            return Err(BackendError::Unavailable(format!("writing the text to {name}: {e}")));
        }
        Ok(Finished { stdout, stderr })
    }

    /// "the last lines of stderr" for a message, redacted.
    pub fn stderr_tail(&self, stderr: &[u8]) -> String {
        stderr_tail(stderr, self.redact)
    }
}

/// The error for audio over the bound of `limit` bytes.
pub fn too_much_audio(name: &str, limit: u64) -> BackendError {
    BackendError::Rejected(format!(
        "{name} wrote more than {} MB of audio ([network] max_response_mb)",
        limit / (1024 * 1024)
    ))
}

/// "the last lines of stderr" for a message, redacted.
pub fn stderr_tail(stderr: &[u8], redact: &dyn Fn(&str) -> String) -> String {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    if lines.is_empty() {
        return "nothing on stderr".into();
    }
    let tail = lines[lines.len().saturating_sub(STDERR_LINES)..].join(" | ");
    let tail: String = if tail.chars().count() > 600 {
        let skip = tail.chars().count() - 600;
        format!("…{}", tail.chars().skip(skip).collect::<String>())
    } else {
        tail
    };
    format!("stderr: {}", redact(&tail))
}

/// `x` with at most three decimals and no trailing zeros: `1`, `1.25`, `0.667`.
pub fn seconds(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// Stops the child and, on Unix, everything it started (it leads its own process group).
fn kill(child: &mut Child) {
    #[cfg(unix)]
    if let Some(pid) = rustix::process::Pid::from_raw(child.id() as i32) {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
    let _ = child.kill();
}

/// Receives a helper thread's result, waiting at most until `until`.
fn collect<T>(rx: &mpsc::Receiver<T>, until: Instant) -> Option<T> {
    rx.recv_timeout(until.saturating_duration_since(Instant::now())).ok()
}

/// A helper thread's result, waiting until `until`; past it, whatever the program started is
/// stopped and the thread gets one more second.
fn gather<T>(rx: &mpsc::Receiver<T>, until: &mut Instant, child: &mut Child) -> Option<T> {
    if let Some(value) = collect(rx, *until) {
        return Some(value);
    }
    kill(child);
    *until = Instant::now() + Duration::from_secs(1);
    collect(rx, *until)
}

/// Reads `from` to the end, keeping at most `limit` bytes; `too_big` is raised past it.
fn read_bounded(mut from: impl Read, limit: u64, too_big: &AtomicBool) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    (&mut from).take(limit).read_to_end(&mut bytes)?;
    let mut probe = [0u8; 1];
    if from.read(&mut probe)? > 0 {
        too_big.store(true, Ordering::SeqCst);
    }
    Ok(bytes)
}

/// Reads `from` to the end, keeping the last [`STDERR_TAIL`] bytes.
fn read_tail(mut from: impl Read) -> Vec<u8> {
    let mut tail = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = from.read(&mut buf) {
        if n == 0 {
            break;
        }
        tail.extend_from_slice(&buf[..n]);
        if tail.len() > 2 * STDERR_TAIL {
            tail.drain(..tail.len() - STDERR_TAIL);
        }
    }
    tail
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn job<'a>(script: &str, input: Option<&'a [u8]>, max: Option<u64>, within: Duration) -> Job<'a> {
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        Job { name: "t", command, input, max_stdout: max, deadline: Instant::now() + within, redact: &|s| s.into() }
    }

    #[test]
    fn input_in_output_out() {
        let done = job("cat", Some(b"hello"), Some(100), Duration::from_secs(10)).run().unwrap();
        assert_eq!(done.stdout, b"hello");
    }

    #[test]
    fn bounds_time_output_and_reports_failures() {
        let e = job("sleep 30 & sleep 30", None, Some(10), Duration::from_millis(200)).run().unwrap_err();
        assert!(e.to_string().contains("did not finish within 0.") && e.to_string().contains("was stopped"), "{e}");
        let e = job("yes", None, Some(1024 * 1024), Duration::from_secs(10)).run().unwrap_err();
        assert!(e.to_string().contains("wrote more than 1 MB"), "{e}");
        let e = job("echo boom >&2; exit 3", None, Some(10), Duration::from_secs(10)).run().unwrap_err();
        assert!(e.to_string().contains("exited with status 3 (stderr: boom)"), "{e}");
    }
}
