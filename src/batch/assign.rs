//! Sharing articles out between N workers, balanced by weight (characters, [`super::weight`]).
//!
//! Heaviest first (ties by path, so the order depends on nothing but the list), each to the
//! lightest shard so far (ties to the lowest shard). Greedy like this, no shard carries more
//! than the mean plus the heaviest article (each article joined the lightest shard, which
//! was at most the mean). Every worker computes the same assignment from the same list.

use std::path::PathBuf;

use super::Shard;

/// Each article's shard and weight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub count: usize,
    /// `(article, weight, shard index from 1)`, in the order the articles were given.
    pub articles: Vec<(PathBuf, u64, usize)>,
}

impl Assignment {
    /// Shares `articles` (each with its weight) out between `count` shards.
    pub fn new(articles: Vec<(PathBuf, u64)>, count: usize) -> Assignment {
        let count = count.max(1);
        let mut order: Vec<usize> = (0..articles.len()).collect();
        order.sort_by(|&a, &b| articles[b].1.cmp(&articles[a].1).then_with(|| articles[a].0.cmp(&articles[b].0)));
        let mut loads = vec![0u64; count];
        let mut shard_of = vec![0; articles.len()];
        for i in order {
            let lightest = (0..count).min_by_key(|&s| (loads[s], s)).expect("at least one shard");
            loads[lightest] += articles[i].1;
            shard_of[i] = lightest + 1;
        }
        let articles =
            articles.into_iter().zip(shard_of).map(|((path, weight), shard)| (path, weight, shard)).collect();
        Assignment { count, articles }
    }

    /// The articles of `shard`, in the order given, with their weights.
    pub fn of(&self, shard: Shard) -> Vec<(PathBuf, u64)> {
        self.articles.iter().filter(|a| a.2 == shard.index).map(|(p, w, _)| (p.clone(), *w)).collect()
    }

    /// Each shard's total weight, shard 1 first.
    pub fn totals(&self) -> Vec<u64> {
        let mut totals = vec![0; self.count];
        for (_, weight, shard) in &self.articles {
            totals[shard - 1] += weight;
        }
        totals
    }

    pub fn total(&self) -> u64 {
        self.articles.iter().map(|a| a.1).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_article_once_and_balanced_by_weight() {
        let weights = [900u64, 10, 10, 10, 10, 400, 300, 250, 5, 120, 80, 60, 700, 33];
        let articles: Vec<_> =
            weights.iter().enumerate().map(|(i, &w)| (PathBuf::from(format!("{i:02}.txt")), w)).collect();
        let a = Assignment::new(articles.clone(), 3);
        let mut all: Vec<_> = (1..=3).flat_map(|k| a.of(Shard { index: k, count: 3 })).collect();
        all.sort();
        assert_eq!(all, articles);
        let mean = a.total() / 3;
        assert!(a.totals().iter().all(|&t| t <= mean + 900), "{:?}", a.totals());
        // The same list in another order gives the same shards.
        let mut reversed = articles.clone();
        reversed.reverse();
        let b = Assignment::new(reversed, 3);
        for (path, _, shard) in &a.articles {
            assert_eq!(b.articles.iter().find(|x| &x.0 == path).unwrap().2, *shard);
        }
    }

    #[test]
    fn more_shards_than_articles_leaves_some_empty() {
        let a = Assignment::new(vec![("a".into(), 1)], 3);
        assert_eq!(a.totals(), [1, 0, 0]);
        assert!(a.of(Shard { index: 2, count: 3 }).is_empty());
    }
}
