//! What is published around the chapters: episodes, transcripts, chapter lists, feeds and
//! the player page. Each output format is one file here, written from [`track::Track`]s.

pub mod manifest;

pub mod build;
pub mod chapters_json;
pub mod episode_wav;
pub mod feed;
pub mod label;
pub mod mp3;
pub mod player;
pub mod settings;
pub mod srt;
pub mod text;
pub mod timecode;
pub mod track;
pub mod vtt;

#[cfg(test)]
mod fixtures;
