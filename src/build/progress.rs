//! Progress while synthesizing: a bar on a terminal, occasional plain lines otherwise.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A bar when stderr is a terminal, plain lines when it is not.
    Auto,
    Quiet,
}

pub struct Progress {
    bar: Option<ProgressBar>,
    plain: bool,
    total: u64,
    done: u64,
    chars: u64,
    total_chars: u64,
    started: Instant,
    last_line: Instant,
}

const PLAIN_EVERY: Duration = Duration::from_secs(5);

impl Progress {
    pub fn new(mode: Mode, total: u64, total_chars: u64) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let bar = (mode == Mode::Auto && terminal).then(|| {
            let bar = ProgressBar::new(total);
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} utterances  {msg}  {elapsed} (ETA {eta})")
                    .expect("the template is valid"),
            );
            bar
        });
        let now = Instant::now();
        Progress {
            bar,
            plain: mode == Mode::Auto && !terminal,
            total,
            done: 0,
            chars: 0,
            total_chars,
            started: now,
            last_line: now,
        }
    }

    /// One more utterance done, with `chars` characters.
    pub fn advance(&mut self, chars: u64) {
        self.done += 1;
        self.chars += chars;
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{}/{} chars", self.chars, self.total_chars));
            bar.inc(1);
        } else if self.plain && (self.last_line.elapsed() >= PLAIN_EVERY || self.done == self.total) {
            self.last_line = Instant::now();
            // "done", not "synthesized": an utterance may come from the cache.
            eprintln!(
                "{}/{} utterances done ({}/{} characters), {:.1} s",
                self.done,
                self.total,
                self.chars,
                self.total_chars,
                self.started.elapsed().as_secs_f64()
            );
        }
    }

    /// Prints a line without breaking the bar (nothing in quiet mode).
    pub fn say(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None if self.plain => eprintln!("{line}"),
            None => {}
        }
    }

    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}
