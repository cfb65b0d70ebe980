//! How articles are shared out between shards, for people (`plan`, and the first lines of a
//! sharded build) and as JSON (`plan --json`).

use serde_json::json;

use crate::batch::shard::Chosen;
use crate::batch::{Assignment, Shard};

/// "shard 2/3 (from …) takes 4 of 12 articles, 5,230 of 15,800 characters:" and its articles.
pub fn this_shard(a: &Assignment, chosen: &Chosen) -> Vec<String> {
    let mine = a.of(chosen.shard);
    let chars: u64 = mine.iter().map(|m| m.1).sum();
    let mut lines = vec![format!(
        "shard {} ({}) takes {} of {} articles, {} of {} characters{}",
        chosen.shard,
        chosen.from,
        mine.len(),
        a.articles.len(),
        thousands(chars),
        thousands(a.total()),
        if mine.is_empty() { "; nothing to build" } else { ":" }
    )];
    lines.extend(mine.iter().map(|(path, w)| format!("  {}  {}", path.display(), thousands(*w))));
    lines
}

/// Every shard with its articles and characters.
pub fn to_text(a: &Assignment, chosen: Option<&Chosen>) -> String {
    let mut out = format!(
        "{} articles, {} characters, in {} shard{} by characters{}\n",
        a.articles.len(),
        thousands(a.total()),
        a.count,
        if a.count == 1 { "" } else { "s" },
        chosen.map(|c| format!(" ({})", c.from)).unwrap_or_default()
    );
    for (i, total) in a.totals().iter().enumerate() {
        let shard = Shard { index: i + 1, count: a.count };
        let mine = a.of(shard);
        let this = chosen.is_some_and(|c| c.shard == shard && a.count > 1);
        out.push_str(&format!(
            "shard {shard}: {} article{}, {} characters{}\n",
            mine.len(),
            if mine.len() == 1 { "" } else { "s" },
            thousands(*total),
            if this { "  ← this worker" } else { "" }
        ));
        for (path, w) in mine {
            out.push_str(&format!("  {}  {}\n", path.display(), thousands(w)));
        }
    }
    out
}

pub fn to_json(a: &Assignment, chosen: Option<&Chosen>) -> String {
    let articles: Vec<_> = a
        .articles
        .iter()
        .map(|(path, w, s)| json!({ "path": path.display().to_string(), "characters": w, "shard": s }))
        .collect();
    let value = json!({
        "shards": a.count,
        "shard": chosen.map(|c| c.shard.index),
        "characters": a.total(),
        "totals": a.totals(),
        "articles": articles,
    });
    let mut text = serde_json::to_string_pretty(&value).expect("JSON serializes");
    text.push('\n');
    text
}

/// 15800 → "15,800".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(15800), "15,800");
        assert_eq!(super::thousands(1234567), "1,234,567");
    }
}
