//! Text rules shared by several stages: escaping for the markup formats written or sent, and
//! the one rule for what counts as Chinese.

pub mod escape;
pub mod language;
