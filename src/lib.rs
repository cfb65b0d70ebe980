//! seedaudio: a written article in, listenable audio out.
//!
//! The pipeline, one module per stage: [`read`] → [`article`] → [`plan`] → synthesis
//! ([`backend`]) → [`audio`] → [`stitch`] → [`manifest`]; [`pipeline`] alone knows the order.
pub mod article;
pub mod assemble;
pub mod audio;
pub mod backend;
pub mod cache;
pub mod cli;
pub mod config;
pub mod crash;
pub mod cta;
pub mod dispenser;
pub mod doctor;
pub mod escape;
pub mod estimate;
pub mod fsutil;
pub mod interrupt;
pub mod lexicon;
pub mod loudness;
pub mod manifest;
pub mod normalize;
pub mod pipeline;
pub mod plan;
pub mod progress;
pub mod publish;
pub mod read;
pub mod report;
pub mod run;
pub mod stitch;
pub mod synth;
pub mod uptodate;
pub mod voice;
