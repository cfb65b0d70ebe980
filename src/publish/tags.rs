//! The ID3 tags and encoder settings of the MP3 files a build writes, from the manifest and
//! the channel settings.

use super::manifest::Manifest;
use super::mp3::{Mp3Settings, Tags};
use super::settings::PublishSettings;

/// Tags for chapter `chapter` (its title, track number of the written chapters), or for an
/// episode (`None`: the article's title, the channel as album).
pub fn tags(manifest: &Manifest, settings: &PublishSettings, chapter: Option<usize>) -> Tags {
    let article = &manifest.article.title;
    let written = manifest.chapters.iter().filter(|c| c.file.is_some()).count() as u32;
    let (title, track) = match chapter {
        Some(i) => (format!("{article} — {}", manifest.chapters[i].title), Some((i as u32 + 1, Some(written)))),
        None => (article.clone(), None),
    };
    let channel = &settings.channel;
    Tags {
        title,
        artist: (channel.author.clone())
            .or_else(|| manifest.article.author.clone())
            .unwrap_or_else(|| format!("read by {}", manifest.voice.preset)),
        album: match chapter {
            Some(_) => article.clone(),
            None => channel.title.clone().unwrap_or_else(|| article.clone()),
        },
        track,
        language: manifest.voice.language.clone(),
        comment: None,
    }
}

pub fn mp3_settings(s: &PublishSettings) -> Mp3Settings {
    Mp3Settings { kbps: s.kbps }
}
