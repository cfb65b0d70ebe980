//! Loudness: every episode at one integrated loudness (EBU R128, ITU-R BS.1770) with its true
//! peaks under a ceiling, and the measured figures of every file written.
//!
//! The policy is one gain rule for the whole build: each utterance is measured on its own and
//! brought to the target ([`Leveler`]), then a true-peak limiter keeps its peaks under the
//! ceiling ([`Limiter`]). Because every utterance sits at the target, any run of them — a
//! chapter, an episode made of several chapters, a loud paragraph next to a quiet one —
//! measures at the target too, and the volume never jumps between chapters. [`FileMeter`]
//! measures what was actually written, file by file, compactly enough that the loudness of
//! any concatenation of files can be computed afterwards ([`integrated_lufs`]).
//!
//! One concept per file: `kweight` (the BS.1770 filter), `gating` (blocks and gates),
//! `measure` (integrated loudness of a clip), `oversample` (true-peak estimation), `limiter`,
//! `leveler`, `meter` (files and episodes).
//!
//! The measurement is BS.1770-4 written here rather than taken from the `ebur128` crate: it
//! runs over every sample twice (in the workers to level, in the writer to report), and a
//! filter specialised for mono `f32` does it about three times faster. The tests hold it to
//! `ebur128` within 0.005 LU and check the output with ffmpeg's meter.

mod gating;
mod kweight;
mod leveler;
mod limiter;
mod measure;
mod meter;
mod oversample;

use std::ops::RangeInclusive;

pub use leveler::{Leveled, Leveler};
pub use limiter::{Limited, Limiter};
pub use measure::integrated_loudness;
pub use meter::{FileLoudness, FileMeter, integrated_lufs, true_peak_dbtp};

/// The podcast norm (Apple, Spotify, the AES recommendation for streamed speech).
pub const DEFAULT_TARGET_LUFS: f64 = -16.0;
/// Half a decibel below the usual -1 dBTP limit, so that a meter with another oversampling
/// filter (ffmpeg's, a platform's) and 16-bit rounding still read at most -1 dBTP.
pub const DEFAULT_CEILING_DBTP: f64 = -1.5;
/// Targets `--loudness` accepts: quieter than -30 LUFS is hard to hear over any noise, louder
/// than -10 LUFS cannot be reached by speech without crushing it in the limiter.
pub const TARGET_RANGE: RangeInclusive<f64> = -30.0..=-10.0;

/// What the manifest says about the policy.
pub const POLICY: &str = "each utterance measured (EBU R128 integrated loudness) and brought to the target, \
then a true-peak limiter (5 ms look-ahead, 4x oversampled peak detection) keeps it under the ceiling; \
the loudness the limiter takes is given back, up to 2 dB";
/// What the manifest says when leveling is off (`--no-loudness`).
pub const POLICY_OFF: &str = "none: levels as the voice produced them (--no-loudness)";

/// Decibels to a linear amplitude factor.
pub fn db_to_gain(db: f64) -> f64 {
    10f64.powf(db / 20.0)
}

/// A linear amplitude to decibels (`-inf` for 0).
pub fn gain_to_db(gain: f64) -> f64 {
    20.0 * gain.log10()
}

#[cfg(test)]
pub(crate) mod testsignal;
