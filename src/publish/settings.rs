//! What a build publishes besides its chapters, validated from the command line.

use std::path::{Path, PathBuf};

/// The audio format of chapters and episodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// 16-bit PCM WAV; episodes carry `cue ` chapter points.
    #[default]
    Wav,
    /// Constant bit rate MP3 with ID3v2 tags and chapter frames, for podcast hosts.
    Mp3,
    /// AAC in MP4: episodes are `.m4b` audiobooks, chapters `.m4a`, with chapter tracks and
    /// iTunes tags.
    M4b,
}

impl Format {
    /// The extension of episodes (and of chapters, but see [`Format::chapter_extension`]).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Wav => "wav",
            Format::Mp3 => "mp3",
            Format::M4b => "m4b",
        }
    }

    /// The extension of chapter files: `.m4a` for M4B builds (a chapter is not a book).
    pub fn chapter_extension(self) -> &'static str {
        match self {
            Format::M4b => "m4a",
            other => other.extension(),
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Wav => "audio/wav",
            Format::Mp3 => "audio/mpeg",
            // The registered type; browsers' <audio> know it (feeds use `audio/x-m4a`,
            // `feed::item::audio_mime`).
            Format::M4b => "audio/mp4",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct PublishSettings {
    pub format: Format,
    /// MP3 or AAC bit rate in kbit/s.
    pub kbps: u32,
    /// Read after the free episode's chapters, by the same voice.
    pub call_to_action: Option<String>,
    /// Where the feeds and their item list live [default: the output folder's parent, the
    /// folder that holds each article's folder].
    pub feed_dir: Option<PathBuf>,
    /// The feed's channel: the `--feed-config` file overlaid with the `--feed-*` flags and
    /// `--base-url`; feeds are written only once a base URL is known.
    pub channel: super::feed::Channel,
}

impl PublishSettings {
    /// The feed folder of a build into `out`: `--feed-dir`, else the folder that holds `out`.
    pub fn feed_dir_for(&self, out: &Path) -> PathBuf {
        self.feed_dir.clone().unwrap_or_else(|| match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        })
    }
}
