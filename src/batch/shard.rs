//! Which share of the articles this worker takes: `--shard K/N`, or `--shards N` with the
//! index a job engine sets, or (Slurm) the engine's index and count alone.
//!
//! Shards are counted from 1 on the command line (`--shard 1/3` … `3/3`, as Playwright and
//! Jest count them). The engines' indexes are turned into that:
//! - **Kubernetes Indexed Job**: `JOB_COMPLETION_INDEX` is 0-based; the pod is not told the
//!   number of completions, so `--shards N` must say it (the Job's `completions`).
//! - **Slurm job array**: shard `(SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN) ÷
//!   SLURM_ARRAY_TASK_STEP + 1` of `SLURM_ARRAY_TASK_COUNT`, so `--array=0-2` and `--array=1-3`
//!   both make shards 1 to 3; a task list with gaps (`--array=1,5,7`) is refused.
//!
//! Only the flags turn sharding on for one article file; for several articles (or a folder or
//! a list) a Slurm array task shards by itself, while a Kubernetes pod without `--shards`
//! is refused, since it cannot know N. `--shard 1/1` builds everything wherever it runs.

use std::fmt;

/// Shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

/// The shard chosen and what chose it ("--shard 2/3", "JOB_COMPLETION_INDEX=1, --shards 3").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    pub shard: Shard,
    pub from: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ShardError {
    #[error("--shard {0:?}: write K/N with whole numbers, 1 ≤ K ≤ N (e.g. --shard 2/3 for the second of three shards)")]
    Syntax(String),
    #[error(
        "--shard {0:?}: shards are counted from 1 (1/{1} to {1}/{1}); for a 0-based index such as Kubernetes' JOB_COMPLETION_INDEX give --shards {1} and let it be read"
    )]
    Zero(String, usize),
    #[error("--shard {0:?}: K is more than N; shards run from 1/{1} to {1}/{1}")]
    Beyond(String, usize),
    #[error("--shards must be at least 1")]
    NoShards,
    #[error(
        "--shards {0} needs this worker's index: set JOB_COMPLETION_INDEX (0-based) or SLURM_ARRAY_TASK_ID, or give --shard K/N"
    )]
    NoIndex(usize),
    #[error("{name}={value:?} is not a whole number; unset it, or give --shard K/N")]
    NotNumber { name: &'static str, value: String },
    #[error("{0} is this worker's index but the number of shards is {1} (from {2}): the index must be below it")]
    OutOfRange(String, usize, String),
    #[error(
        "JOB_COMPLETION_INDEX={0} (a Kubernetes Indexed Job) gives this pod's index but not the number of shards: add --shards N (the Job's completions), or --shard 1/1 to build every article in every pod"
    )]
    KubernetesWithoutCount(usize),
    #[error(
        "SLURM_ARRAY_TASK_ID={0} is set but SLURM_ARRAY_TASK_COUNT is not: add --shards N (the number of array tasks), or --shard 1/1 to build every article in every task"
    )]
    SlurmWithoutCount(usize),
    #[error(
        "--shards {0} but SLURM_ARRAY_TASK_COUNT={1}: every task must agree on N; leave --shards out, or make them equal"
    )]
    SlurmCountDiffers(usize, usize),
    #[error(
        "SLURM_ARRAY_TASK_ID={id} is not on the array's steps from SLURM_ARRAY_TASK_MIN={min} by {step}: task ids with gaps cannot number shards; use --array=0-{last} or --shard K/N",
        last = .count.saturating_sub(1)
    )]
    SlurmGap { id: usize, min: usize, step: usize, count: usize },
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// The whole set: one shard.
    pub const ALL: Shard = Shard { index: 1, count: 1 };

    /// `K/N`, 1-based.
    pub fn parse(text: &str) -> Result<Shard, ShardError> {
        let syntax = || ShardError::Syntax(text.into());
        let (k, n) = text.trim().split_once('/').ok_or_else(syntax)?;
        let k: usize = k.trim().parse().map_err(|_| syntax())?;
        let n: usize = n.trim().parse().map_err(|_| syntax())?;
        match (k, n) {
            (_, 0) => Err(syntax()),
            (0, n) => Err(ShardError::Zero(text.into(), n)),
            (k, n) if k > n => Err(ShardError::Beyond(text.into(), n)),
            (index, count) => Ok(Shard { index, count }),
        }
    }
}

/// The shard asked for by `--shard`, `--shards` and the environment (`env` reads a variable);
/// `None` when nothing asks for one. Only called for several articles: one article file is
/// never sharded by the environment alone (see the module's doc).
pub fn choose(
    shard: Option<&str>,
    shards: Option<usize>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<Chosen>, ShardError> {
    if let Some(text) = shard {
        return Ok(Some(Chosen { shard: Shard::parse(text)?, from: format!("--shard {text}") }));
    }
    if shards == Some(0) {
        return Err(ShardError::NoShards);
    }
    let number = |name: &'static str| -> Result<Option<usize>, ShardError> {
        env(name)
            .filter(|v| !v.trim().is_empty())
            .map(|value| value.trim().parse().map_err(|_| ShardError::NotNumber { name, value }))
            .transpose()
    };
    if let Some(index) = number("JOB_COMPLETION_INDEX")? {
        return match shards {
            Some(count) => within(index, count, format!("JOB_COMPLETION_INDEX={index}"), format!("--shards {count}")),
            None => Err(ShardError::KubernetesWithoutCount(index)),
        };
    }
    if let Some(id) = number("SLURM_ARRAY_TASK_ID")? {
        let min = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
        let step = number("SLURM_ARRAY_TASK_STEP")?.unwrap_or(1).max(1);
        let task_count = number("SLURM_ARRAY_TASK_COUNT")?;
        let (count, count_from) = match (shards, task_count) {
            (Some(n), Some(c)) if n != c => return Err(ShardError::SlurmCountDiffers(n, c)),
            (Some(n), _) => (n, format!("--shards {n}")),
            (None, Some(c)) => (c, format!("SLURM_ARRAY_TASK_COUNT={c}")),
            (None, None) => return Err(ShardError::SlurmWithoutCount(id)),
        };
        if id < min || (id - min) % step != 0 {
            return Err(ShardError::SlurmGap { id, min, step, count });
        }
        let from = format!("SLURM_ARRAY_TASK_ID={id}, SLURM_ARRAY_TASK_MIN={min}");
        return within((id - min) / step, count, from, count_from);
    }
    match shards {
        Some(count) => Err(ShardError::NoIndex(count)),
        None => Ok(None),
    }
}

/// Shard `zero_based + 1` of `count`, checked.
fn within(
    zero_based: usize,
    count: usize,
    index_from: String,
    count_from: String,
) -> Result<Option<Chosen>, ShardError> {
    if zero_based >= count {
        return Err(ShardError::OutOfRange(index_from, count, count_from));
    }
    let shard = Shard { index: zero_based + 1, count };
    Ok(Some(Chosen { shard, from: format!("{index_from}, {count_from}") }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
    }

    fn shard(s: Option<&str>, n: Option<usize>, vars: &'static [(&'static str, &'static str)]) -> Option<Shard> {
        choose(s, n, &env(vars)).unwrap().map(|c| c.shard)
    }

    #[test]
    fn the_flag_is_one_based_and_checked() {
        assert_eq!(Shard::parse("2/3"), Ok(Shard { index: 2, count: 3 }));
        assert_eq!(Shard::parse(" 1 / 1 "), Ok(Shard::ALL));
        assert!(matches!(Shard::parse("0/3"), Err(ShardError::Zero(_, 3))));
        assert!(matches!(Shard::parse("4/3"), Err(ShardError::Beyond(_, 3))));
        for bad in ["3", "a/3", "1/0", "-1/3", "1/3/4", ""] {
            assert!(matches!(Shard::parse(bad), Err(ShardError::Syntax(_))), "{bad}");
        }
        assert!(Shard::parse("0/3").unwrap_err().to_string().contains("counted from 1"));
    }

    #[test]
    fn engines_give_the_same_shards() {
        let s = |index, count| Some(Shard { index, count });
        assert_eq!(shard(None, Some(3), &[("JOB_COMPLETION_INDEX", "0")]), s(1, 3));
        assert_eq!(shard(None, Some(3), &[("JOB_COMPLETION_INDEX", "2")]), s(3, 3));
        let slurm0 = &[("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_MIN", "0"), ("SLURM_ARRAY_TASK_COUNT", "3")];
        assert_eq!(shard(None, None, slurm0), s(2, 3));
        let slurm1 = &[("SLURM_ARRAY_TASK_ID", "2"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_COUNT", "3")];
        assert_eq!(shard(None, None, slurm1), s(2, 3));
        assert_eq!(shard(None, Some(3), slurm1), s(2, 3));
        let stepped = &[
            ("SLURM_ARRAY_TASK_ID", "4"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_STEP", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ];
        assert_eq!(shard(None, None, stepped), s(3, 3));
        // The flag wins over the environment.
        assert_eq!(shard(Some("1/2"), None, slurm0), s(1, 2));
        assert_eq!(shard(None, None, &[]), None);
    }

    #[test]
    fn what_is_missing_or_inconsistent_is_refused() {
        let err = |s, n, vars| choose(s, n, &env(vars)).unwrap_err();
        assert_eq!(err(None, None, &[("JOB_COMPLETION_INDEX", "1")]), ShardError::KubernetesWithoutCount(1));
        assert_eq!(err(None, None, &[("SLURM_ARRAY_TASK_ID", "1")]), ShardError::SlurmWithoutCount(1));
        assert_eq!(err(None, Some(3), &[]), ShardError::NoIndex(3));
        assert_eq!(err(None, Some(0), &[]), ShardError::NoShards);
        assert!(matches!(err(None, Some(3), &[("JOB_COMPLETION_INDEX", "3")]), ShardError::OutOfRange(..)));
        assert!(matches!(err(None, Some(3), &[("JOB_COMPLETION_INDEX", "x")]), ShardError::NotNumber { .. }));
        let differ = &[("SLURM_ARRAY_TASK_ID", "0"), ("SLURM_ARRAY_TASK_COUNT", "4")];
        assert_eq!(err(None, Some(3), differ), ShardError::SlurmCountDiffers(3, 4));
        let gap = &[("SLURM_ARRAY_TASK_ID", "5"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_COUNT", "3")];
        assert!(matches!(err(None, None, gap), ShardError::OutOfRange(..)));
        let step = &[("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_STEP", "2"), ("SLURM_ARRAY_TASK_COUNT", "3")];
        assert!(matches!(err(None, None, step), ShardError::SlurmGap { .. }));
    }
}
