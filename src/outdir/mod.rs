//! The output folder: how its files are written (whole, under a temporary name, then renamed).

pub mod atomic;
