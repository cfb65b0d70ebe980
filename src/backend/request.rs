//! What a backend is asked for: the words of one utterance and the time it may take.
//!
//! The time budget travels with the request, so the retry wrapper can bound each try and
//! every layer below it (the HTTP transport, a supervised program) sees the same deadline.

use std::time::Instant;

use super::BackendError;

/// The words of one utterance, in the form the backend is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Body<'a> {
    /// Plain text, to be spoken as written.
    Text(&'a str),
    /// An SSML fragment: escaped text with elements such as a lexicon's `<sub>` or
    /// `<phoneme>`, which goes inside the backend's own `<speak><voice>`. Only sent to a
    /// backend whose `takes_ssml()` is true.
    Ssml(&'a str),
}

/// One synthesis request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Request<'a> {
    pub body: Body<'a>,
    /// When the utterance must be done, across all its tries; `None` = no limit beyond the
    /// backend's own timeouts.
    pub deadline: Option<Instant>,
}

impl<'a> Request<'a> {
    /// Plain text, no deadline.
    pub fn text(text: &'a str) -> Self {
        Request { body: Body::Text(text), deadline: None }
    }

    /// An SSML fragment, no deadline.
    pub fn ssml(fragment: &'a str) -> Self {
        Request { body: Body::Ssml(fragment), deadline: None }
    }

    /// The same request due by `deadline`, or by the earlier deadline it already has.
    pub fn due_by(self, deadline: Instant) -> Self {
        Request { deadline: Some(self.deadline.map_or(deadline, |d| d.min(deadline))), ..self }
    }

    /// The text or fragment as sent.
    pub fn words(&self) -> &'a str {
        match self.body {
            Body::Text(s) | Body::Ssml(s) => s,
        }
    }

    /// The plain text, for a backend that does not take SSML (which is never sent SSML).
    pub fn text_only(&self, kind: &str) -> Result<&'a str, BackendError> {
        match self.body {
            Body::Text(text) => Ok(text),
            Body::Ssml(_) => Err(BackendError::Rejected(format!("the {kind} backend does not take SSML"))),
        }
    }

    /// Characters sent, for the plausibility of the audio's length and for estimates.
    pub fn chars(&self) -> usize {
        self.words().chars().count()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn the_earlier_deadline_wins() {
        let now = Instant::now();
        let later = now + Duration::from_secs(5);
        let r = Request::text("x").due_by(later);
        assert_eq!(r.deadline, Some(later));
        assert_eq!(r.due_by(now).deadline, Some(now));
        assert_eq!(r.due_by(now).due_by(later).deadline, Some(now));
        assert_eq!(Request::ssml("<sub>a</sub>").chars(), 12);
    }
}
