//! What is published around the chapters: episodes, transcripts, chapter lists, feeds and
//! the player page. Each output format is one file here, written from [`track::Track`]s.

pub mod mp3;
pub mod track;
