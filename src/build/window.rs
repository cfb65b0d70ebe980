//! Handing out utterances to the synthesis workers in reading order, never too far ahead of
//! the chapter writer.

use std::sync::{Condvar, Mutex};

/// Hands out utterance numbers to workers, never more than `window` ahead of the writer,
/// so finished audio waiting to be written stays bounded.
pub struct WorkWindow {
    /// The next number to hand out, and how many have been written.
    state: Mutex<(usize, usize)>,
    ready: Condvar,
    total: usize,
    window: usize,
}

impl WorkWindow {
    pub fn new(total: usize, window: usize) -> WorkWindow {
        WorkWindow { state: Mutex::new((0, 0)), ready: Condvar::new(), total, window }
    }
}

impl WorkWindow {
    pub fn take(&self) -> Option<usize> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            let (next, written) = *state;
            if next >= self.total {
                return None;
            }
            if next < written + self.window {
                state.0 += 1;
                return Some(next);
            }
            state = self.ready.wait(state).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// No more work: workers finish what they hold and stop.
    pub fn stop(&self) {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).0 = self.total;
        self.ready.notify_all();
    }

    pub fn written(&self, count: usize) {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).1 = count;
        self.ready.notify_all();
    }
}
