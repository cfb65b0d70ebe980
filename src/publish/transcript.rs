//! The transcript formats: every chapter and every episode gets one file of each, beside its
//! audio (`<stem>.<extension>`). Adding a format is its writer's file plus one entry in
//! [`FORMATS`]: the writers, the manifest's file list, the stale-file clean-up and the feeds
//! all go through this list.

use super::track::Track;
use crate::outdir::names;

/// One transcript format.
pub struct TranscriptFormat {
    /// The file extension, without the dot.
    pub extension: &'static str,
    /// Its MIME type, as feeds name it (Podcasting 2.0 `podcast:transcript`).
    pub mime: &'static str,
    /// The whole file for a track.
    pub write: fn(&Track) -> String,
}

/// Every transcript a build writes, in the order feeds list them (WebVTT first: players and
/// the player page take captions from it).
pub const FORMATS: &[TranscriptFormat] = &[
    TranscriptFormat { extension: "vtt", mime: "text/vtt", write: super::vtt::webvtt },
    TranscriptFormat { extension: "srt", mime: "application/x-subrip", write: super::srt::srt },
];

/// The extensions of [`FORMATS`].
pub fn extensions() -> Vec<&'static str> {
    FORMATS.iter().map(|f| f.extension).collect()
}

/// The transcript file names of a chapter's or episode's stem, in [`FORMATS`] order.
pub fn file_names(stem: &str) -> Vec<String> {
    FORMATS.iter().map(|f| names::companion(stem, f.extension)).collect()
}

/// The captions file the player page loads for a stem (the WebVTT transcript).
pub fn captions(stem: &str) -> String {
    names::companion(stem, "vtt")
}

/// The MIME type of a transcript extension this build writes.
pub fn mime(extension: &str) -> Option<&'static str> {
    FORMATS.iter().find(|f| f.extension.eq_ignore_ascii_case(extension)).map(|f| f.mime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_has_its_own_extension_and_the_captions_are_one_of_them() {
        let mut exts = extensions();
        exts.dedup();
        assert_eq!(exts.len(), FORMATS.len());
        assert!(file_names("01-free").contains(&captions("01-free")));
        assert_eq!(file_names("episode-full"), ["episode-full.vtt", "episode-full.srt"]);
        assert_eq!(mime("SRT"), Some("application/x-subrip"));
    }
}
