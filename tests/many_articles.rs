//! Issue 16 items 1 and 2: many articles in one command (files, a folder, a list file), each
//! into its own folder, one feed for all, one summary, a broken article failing alone; shards
//! (`--shard K/N`, the Kubernetes and Slurm indexes) covering the set once, balanced by
//! characters, and three shard processes at once into one feed.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{Run, item_titles, read_json, run, seedaudio};
use serde_json::Value;

const BASE: &str = "https://example.com/pod/";

fn write(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn in_dir(dir: &Path, args: &[&str]) -> Run {
    run(seedaudio().current_dir(dir).args(args))
}

#[test]
fn articles_a_folder_and_a_list_each_built_once_into_one_feed_and_a_broken_one_fails_alone() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "posts/en-intro.md",
        b"# Morning Notes\n\nA short note read in the morning.\n\n## Coffee\n\nThe coffee is hot.\n",
    );
    write(
        d,
        "posts/zh-paid.txt",
        "会员文章\n\n这是开头，谁都可以听。\n\n一、免费部分\n\n免费的内容在这里。\n\n##paidbegin##\n\n二、付费部分\n\n付费的内容只给订阅者。\n"
            .as_bytes(),
    );
    write(d, "posts/broken.txt", b"");
    write(d, "posts/notes.pdf", b"%PDF-1.4 not an article");
    write(d, "extra/evening.txt", b"Evening Notes\n\nA note read in the evening.\n");
    write(d, "lists/more.txt", "# what else to read\n\n../extra/zh-list.txt\n".as_bytes());
    write(d, "extra/zh-list.txt", "清单里的文章\n\n这一篇来自清单文件。\n".as_bytes());

    let args =
        ["build", "posts", "extra/evening.txt", "--list", "lists/more.txt", "--engine", "embedded", "--base-url", BASE];
    let r = in_dir(d, &args);
    assert_eq!(r.status, 1, "one article is broken, so the exit status says so:\n{}", r.stderr);
    assert!(r.stderr.contains("built 4 of 5 articles; 1 failed:"), "{}", r.stderr);
    assert!(r.stderr.contains("FAILED  output/broken"), "{}", r.stderr);
    assert!(r.stderr.contains("posts/broken.txt: the article has no text to read"), "{}", r.stderr);
    assert!(r.stderr.contains("1 of 5 articles failed (posts/broken.txt)"), "{}", r.stderr);
    assert!(!r.stderr.contains("notes.pdf"), "a folder is read for articles only:\n{}", r.stderr);
    for name in ["en-intro", "zh-paid", "evening", "zh-list"] {
        let m = read_json(&d.join("output").join(name).join("manifest.json"));
        assert!(r.stderr.contains(&format!("ok      output/{name}")), "{name}:\n{}", r.stderr);
        assert!(d.join("output").join(name).join("episode-full.wav").is_file(), "{name}");
        if name == "zh-paid" {
            let paid: Vec<&Value> = m["chapters"].as_array().unwrap().iter().filter(|c| c["paid"] == true).collect();
            assert_eq!(paid.len(), 1, "{m}");
        }
    }
    assert!(!d.join("output/broken/manifest.json").exists());
    assert!(r.stderr.contains("synthesized, 0 cached, 0 failed"), "{}", r.stderr);

    // One item per article, newest first: the order they were built in, reversed.
    let built_order = ["Morning Notes", "会员文章", "Evening Notes", "清单里的文章"];
    let mut newest_first = built_order.to_vec();
    newest_first.reverse();
    assert_eq!(item_titles(&d.join("output/feed-paid.xml")), newest_first);
    assert_eq!(item_titles(&d.join("output/feed-free.xml")), newest_first);

    // Again: what is built is up to date, the broken one fails again, the feed is unchanged.
    let again = in_dir(d, &args);
    assert_eq!(again.status, 1, "{}", again.stderr);
    assert_eq!(again.stderr.matches("up to date: ").count(), 4, "{}", again.stderr);
    assert_eq!(item_titles(&d.join("output/feed-paid.xml")), newest_first);

    // Fixed, the command succeeds.
    write(d, "posts/broken.txt", b"Fixed\n\nNow there is something to read.\n");
    let fixed = in_dir(d, &args);
    assert_eq!(fixed.status, 0, "{}", fixed.stderr);
    assert!(fixed.stderr.contains("built 5 articles:"), "{}", fixed.stderr);
    assert_eq!(item_titles(&d.join("output/feed-paid.xml")).len(), 5);
}

#[test]
fn out_is_the_parent_and_one_article_still_builds_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.txt", b"Alpha\n\nThe first article.\n");
    write(d, "b.txt", "乙\n\n第二篇文章。\n".as_bytes());
    let r = in_dir(
        d,
        &["build", "a.txt", "b.txt", "--out", "shelf", "--engine", "embedded", "--quiet", "--base-url", BASE],
    );
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(
        !r.stderr.contains("built 2 articles") && !r.stderr.contains("[1/2]"),
        "--quiet: no summary:\n{}",
        r.stderr
    );
    assert!(d.join("shelf/a/manifest.json").is_file() && d.join("shelf/b/manifest.json").is_file());
    assert_eq!(item_titles(&d.join("shelf/feed-paid.xml")), ["乙", "Alpha"]);

    let one = in_dir(d, &["build", "a.txt", "--out", "single", "--engine", "embedded"]);
    assert_eq!(one.status, 0, "{}", one.stderr);
    assert!(d.join("single/manifest.json").is_file(), "one article's --out is its own folder");
    assert!(!one.stderr.contains("built 1 articles"), "{}", one.stderr);
    // A job that builds one article file per task is not sharded by the engine's index.
    let task = run(seedaudio()
        .current_dir(d)
        .env("SLURM_ARRAY_TASK_ID", "2")
        .env("SLURM_ARRAY_TASK_COUNT", "3")
        .args(["build", "b.txt", "--out", "task", "--engine", "embedded"]));
    assert_eq!(task.status, 0, "{}", task.stderr);
    assert!(d.join("task/manifest.json").is_file() && !task.stderr.contains("shard"), "{}", task.stderr);
}

#[test]
fn what_cannot_be_built_together_is_refused_before_anything_is_built() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "x/post.txt", b"One\n\nText.\n");
    write(d, "y/Post.md", b"# Two\n\nText.\n");
    write(d, "z.txt", b"Three\n\nText.\n");
    std::fs::create_dir(d.join("empty")).unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["build", "x/post.txt", "y/Post.md"], "x/post.txt and y/Post.md would both be built into output/Post"),
        (&["build", "z.txt", "-"], "`-` (standard input) is one article alone"),
        (&["build", "z.txt", "x/post.txt", "--name", "n"], "--name names one article's folder"),
        (&["build", "empty"], "empty: is a directory with no article in it"),
        (&["build", "empty", "empty/"], "no articles to build: empty, empty/ holds no .txt"),
        (&["build", "--list", "nowhere.txt"], "cannot read the list file nowhere.txt"),
        (&["build", "z.txt", "--shard", "0/3"], "shards are counted from 1 (1/3 to 3/3)"),
        (&["build", "z.txt", "--shard", "4/3"], "K is more than N"),
        (&["build", "z.txt", "--shard", "two/3"], "write K/N with whole numbers"),
        (&["build", "z.txt", "--shards", "3"], "--shards 3 needs this worker's index"),
    ];
    for (args, phrase) in cases {
        let r = in_dir(d, args);
        assert_eq!(r.status, 1, "{args:?}:\n{}", r.stderr);
        assert!(r.stderr.contains(phrase), "{args:?}: expected {phrase:?} in:\n{}", r.stderr);
        assert!(!d.join("output").exists(), "{args:?} built something");
    }
    let k8s = run(seedaudio().current_dir(d).env("JOB_COMPLETION_INDEX", "1").args(["build", "z.txt", "x"]));
    assert_eq!(k8s.status, 1);
    assert!(k8s.stderr.contains("add --shards N (the Job's completions)"), "{}", k8s.stderr);
}

/// Thirteen articles of very different lengths, English and Chinese.
fn shelf(dir: &Path) -> Vec<String> {
    let lengths = [1, 2, 3, 5, 8, 13, 21, 2, 4, 9, 1, 6, 15];
    let mut names = Vec::new();
    for (i, n) in lengths.iter().enumerate() {
        let (name, text) = if i % 2 == 0 {
            let body: Vec<String> =
                (0..*n).map(|k| format!("Paragraph {k} of article {i} says a little more.")).collect();
            (format!("en-{i:02}.txt"), format!("Article {i:02}\n\n{}\n", body.join("\n\n")))
        } else {
            let body: Vec<String> = (0..*n).map(|k| format!("第{k}段：这一段多说了几句话。")).collect();
            (format!("zh-{i:02}.txt"), format!("文章{i:02}\n\n{}\n", body.join("\n\n")))
        };
        write(dir, &format!("shelf/{name}"), text.as_bytes());
        names.push(name);
    }
    names
}

fn plan_json(dir: &Path, envs: &[(&str, &str)], args: &[&str]) -> Value {
    let mut cmd = seedaudio();
    cmd.current_dir(dir).arg("plan").arg("shelf").arg("--json").args(args);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let r = run(&mut cmd);
    assert_eq!(r.status, 0, "{args:?} {envs:?}:\n{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

/// article path → shard.
fn shards_of(plan: &Value) -> BTreeMap<String, u64> {
    plan["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["path"].as_str().unwrap().to_string(), a["shard"].as_u64().unwrap()))
        .collect()
}

#[test]
fn three_shards_take_every_article_once_balanced_by_characters_whatever_names_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let names = shelf(d);
    let all = plan_json(d, &[], &["--shards", "3"]);
    assert_eq!(all["shards"], 3);
    assert_eq!(all["shard"], Value::Null);
    let assignment = shards_of(&all);
    let mut expected: Vec<String> = names.iter().map(|n| format!("shelf/{n}")).collect();
    expected.sort();
    assert_eq!(assignment.keys().cloned().collect::<Vec<_>>(), expected, "every article listed once");
    assert!(assignment.values().all(|s| (1..=3).contains(s)));

    // Balance by characters: the heaviest shard is no more than the heaviest article above the
    // lightest (greedy, heaviest first, to the lightest shard).
    let weights: Vec<u64> =
        all["articles"].as_array().unwrap().iter().map(|a| a["characters"].as_u64().unwrap()).collect();
    let totals: Vec<u64> = all["totals"].as_array().unwrap().iter().map(|t| t.as_u64().unwrap()).collect();
    assert_eq!(totals.iter().sum::<u64>(), weights.iter().sum::<u64>());
    let (max, min, heaviest) =
        (*totals.iter().max().unwrap(), *totals.iter().min().unwrap(), *weights.iter().max().unwrap());
    assert!(max - min <= heaviest, "totals {totals:?}, heaviest article {heaviest}");
    // By characters, not by count: the shard with the longest article holds fewer articles.
    let count = |k: u64| assignment.values().filter(|&&s| s == k).count();
    let longest = all["articles"].as_array().unwrap().iter().max_by_key(|a| a["characters"].as_u64()).unwrap();
    let its = longest["shard"].as_u64().unwrap();
    assert!((1..=3).all(|k| k == its || count(k) > count(its)), "{assignment:?}");

    // The flag and both engines' indexes give the same share.
    for k in 1..=3u64 {
        let flag = plan_json(d, &[], &["--shard", &format!("{k}/3")]);
        let index = (k - 1).to_string();
        let kube = plan_json(d, &[("JOB_COMPLETION_INDEX", &index)], &["--shards", "3"]);
        let id = k.to_string();
        let slurm = plan_json(
            d,
            &[("SLURM_ARRAY_TASK_ID", &id), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_COUNT", "3")],
            &[],
        );
        for p in [&flag, &kube, &slurm] {
            assert_eq!(p["shard"], k);
            assert_eq!(shards_of(p), assignment);
        }
    }
    let text = run(seedaudio().current_dir(d).args(["plan", "shelf", "--shard", "2/3"]));
    assert!(text.stdout.starts_with("13 articles, "), "{}", text.stdout);
    assert!(text.stdout.contains("shard 2/3: ") && text.stdout.contains("← this worker"), "{}", text.stdout);
}

#[test]
fn three_shard_processes_at_once_build_every_article_once_into_one_feed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let names = shelf(d);
    let common = ["build", "shelf", "--out", "site", "--engine", "embedded", "--jobs", "1", "--base-url", BASE];
    let spawn = |envs: &[(&str, &str)], extra: &[&str]| {
        let mut cmd: Command = seedaudio();
        cmd.current_dir(d).args(common).args(extra).stdout(Stdio::piped()).stderr(Stdio::piped());
        for (k, v) in envs {
            cmd.env(k, v);
        }
        cmd.spawn().unwrap()
    };
    let children = [
        spawn(&[], &["--shard", "1/3"]),
        spawn(&[("JOB_COMPLETION_INDEX", "1")], &["--shards", "3"]),
        spawn(&[("SLURM_ARRAY_TASK_ID", "2"), ("SLURM_ARRAY_TASK_MIN", "0"), ("SLURM_ARRAY_TASK_COUNT", "3")], &[]),
    ];
    let plan = shards_of(&plan_json(d, &[], &["--shards", "3"]));
    let mut taken = Vec::new();
    for (k, child) in children.into_iter().enumerate() {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "shard {}:\n{stderr}", k + 1);
        let head = stderr.lines().next().unwrap();
        assert!(head.starts_with(&format!("shard {}/3 (", k + 1)), "{head}");
        // It says which articles it takes: the plan's.
        let mine: Vec<&String> = plan.iter().filter(|(_, s)| **s == k as u64 + 1).map(|(p, _)| p).collect();
        for p in &mine {
            assert!(stderr.contains(&format!("  {p}  ")), "shard {} should name {p}:\n{stderr}", k + 1);
        }
        taken.extend(mine.into_iter().cloned());
    }
    taken.sort();
    assert_eq!(taken.len(), names.len());
    let mut titles = item_titles(&d.join("site/feed-paid.xml"));
    titles.sort();
    let mut expected: Vec<String> =
        (0..13).map(|i| if i % 2 == 0 { format!("Article {i:02}") } else { format!("文章{i:02}") }).collect();
    expected.sort();
    assert_eq!(titles, expected, "every article once in the feed");
    assert_eq!(read_json(&d.join("site/feed-items.json"))["items"].as_array().unwrap().len(), 13);
    for name in &names {
        let stem = name.trim_end_matches(".txt");
        assert!(d.join("site").join(stem).join("manifest.json").is_file(), "{stem}");
    }
}
