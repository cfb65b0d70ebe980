//! Many articles in one command, and a worker's share of them.
//!
//! `seedaudio build a.txt b.md posts/ --list more.txt` builds each article into its own
//! folder, one after another, one failure not stopping the others. [`inputs`] turns the
//! arguments into the list of article files (folders read one level deep, a list file read
//! relative to itself), [`folders`] gives each its output folder and refuses two that would
//! share one, [`weight`] and [`assign`] split the list between N workers by characters, and
//! [`shard`] says which share this worker takes (`--shard K/N`, or the index a job engine
//! sets). Every worker given the same arguments computes the same split, so N workers build
//! every article exactly once.

pub mod assign;
pub mod folders;
pub mod inputs;
pub mod list;
pub mod shard;
pub mod weight;

pub use assign::Assignment;
pub use inputs::InputError;
pub use shard::{Shard, ShardError};
