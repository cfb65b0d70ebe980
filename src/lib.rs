//! seedaudio: a written article in, listenable audio out.
//!
//! The pipeline, one folder per stage: [`article`] (bytes → text → headings and paragraphs,
//! free or paid) → [`plan`] (chapters of utterances) → `synth` (each utterance from the
//! cache or a [`backend`]) → [`audio`] (decoded, resampled, trimmed; chapter files) →
//! [`loudness`] → [`publish`] (manifest, episodes, transcripts, feeds, player page).
//! [`build`] alone knows the order of the stages; [`app`] is the command-line face.
//!
//! Public are the stages a program built on seedaudio composes (and the tests and benches
//! drive): reading and planning an article, the backends and their presets, the audio and
//! loudness steps, the publishing writers and [`build::build`]. The cache, the output
//! folder's names, the normalizer and the shared text rules are the build's own business.
pub mod app;
pub mod article;
pub mod audio;
pub mod backend;
pub mod batch;
pub mod build;
pub mod loudness;
mod normalize;
mod outdir;
pub mod outstore;
pub mod plan;
pub mod publish;
mod store;
mod synth;
mod text;
