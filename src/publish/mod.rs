//! What is published around the chapters: episodes, transcripts, chapter lists, feeds and
//! the player page. Each output format is one file here, written from [`track::Track`]s;
//! each publishing step is a function ([`episodes`], [`chapter_mp3`], [`companions`],
//! [`article_feeds`]) and the build driver (`build::publishing`) calls them in order.

pub mod manifest;

pub mod article_feeds;
pub mod chapter_m4a;
pub mod chapter_mp3;
pub mod chapters_json;
pub mod companions;
pub mod episode_wav;
pub mod episodes;
pub mod error;
pub mod feed;
pub mod label;
pub mod m4b;
pub mod mp3;
pub mod player;
pub mod settings;
pub mod srt;
pub mod tags;
pub mod text;
pub mod timecode;
pub mod track;
pub mod transcript;
pub mod vtt;

#[cfg(test)]
mod fixtures;
