//! seedaudio: a written article in, listenable audio out.
//!
//! The pipeline, one folder per stage: [`article`] (bytes → text → headings and paragraphs,
//! free or paid) → [`plan`] (chapters of utterances) → [`synth`] (each utterance from the
//! cache or a [`backend`]) → [`audio`] (decoded, resampled, trimmed; chapter files) →
//! [`loudness`] → [`publish`] (manifest, episodes, transcripts, feeds, player page).
//! [`build`] alone knows the order of the stages; [`app`] is the command-line face.
pub mod app;
pub mod article;
pub mod audio;
pub mod backend;
pub mod build;
pub mod loudness;
pub mod normalize;
pub mod outdir;
pub mod plan;
pub mod publish;
pub mod synth;
pub mod text;
