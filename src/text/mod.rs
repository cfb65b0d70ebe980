//! Text rules shared by several stages: escaping for the markup formats written or sent.

pub mod escape;
