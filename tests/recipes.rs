//! The recipes users copy (`deploy/`): the Kubernetes Indexed Job's container command and the
//! Slurm array script, run here as the engines would run them (one process per index, at once,
//! with the variables each engine sets), each with a cache of its own and one shared store
//! (`file://`, the same turns and entries as a bucket). Together they build every article of a
//! shelf once into one feed. The numbers in each recipe (completions, parallelism, `--shards`,
//! `--array`) are checked to agree.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use common::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Seven articles of different lengths, two sharing a paragraph, one with a paid part.
fn shelf(dir: &Path) -> Vec<String> {
    std::fs::create_dir_all(dir.join("articles")).unwrap();
    let mut titles = Vec::new();
    for i in 0..7 {
        let title = format!("Recipe article {i}");
        let body: Vec<String> = (0..=i).map(|p| format!("Paragraph {p} of article {i} has its own words.")).collect();
        let paid = if i == 3 { "##paidbegin##\n\nOnly subscribers hear this.\n\n##paidend##\n" } else { "" };
        let text = format!("{title}\n\n{}\n\nEvery article ends with this line.\n\n{paid}", body.join("\n\n"));
        std::fs::write(dir.join("articles").join(format!("r{i}.txt")), text).unwrap();
        titles.push(title);
    }
    titles
}

/// A command with the test binary's environment (its own cache folder, no Kokoro) for one
/// worker: a local cache of its own, the shared store.
fn worker(program: &str, dir: &Path, k: usize) -> Command {
    let template = seedaudio();
    let mut cmd = Command::new(program);
    for (key, value) in template.get_envs() {
        match value {
            Some(v) => cmd.env(key, v),
            None => cmd.env_remove(key),
        };
    }
    cmd.current_dir(dir)
        .env("SEEDAUDIO_CACHE", dir.join(format!("machine-{k}")))
        .env("SEEDAUDIO_SHARED_CACHE", format!("file://{}", dir.join("bucket").display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn finish(children: Vec<Child>) {
    for (k, child) in children.into_iter().enumerate() {
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "worker {k}:\n{}", String::from_utf8_lossy(&out.stderr));
    }
}

/// Every article built once into `site/`, each once in the feed, the store's turns all given back.
fn assert_shelf_built(dir: &Path, titles: &[String]) {
    for (i, title) in titles.iter().enumerate() {
        let manifest = read_json(&dir.join("site").join(format!("r{i}")).join("manifest.json"));
        assert_eq!(manifest["article"]["title"], title.as_str());
    }
    let items = read_json(&dir.join("site/feed-items.json"));
    let mut listed: Vec<&str> =
        items["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap()).collect();
    listed.sort();
    let mut expected: Vec<&str> = titles.iter().map(String::as_str).collect();
    expected.sort();
    assert_eq!(listed, expected, "every article once in the feed");
    let store = dir.join("bucket");
    let entries = common::conformance::walk(&store.join("entries"));
    assert!(!entries.is_empty(), "the shared store holds the entries");
    assert!(!store.join("claims").exists() || common::conformance::walk(&store.join("claims")).is_empty());
}

fn number_after(text: &str, label: &str) -> usize {
    let at = text.find(label).unwrap_or_else(|| panic!("no {label} in the recipe")) + label.len();
    text[at..].trim_start().chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap()
}

#[test]
fn the_kubernetes_indexed_job_builds_the_shelf_once_across_its_pods() {
    let yaml = std::fs::read_to_string(root().join("deploy/kubernetes/seedaudio-shards.yaml")).unwrap();
    assert!(yaml.contains("completionMode: Indexed"));
    let completions = number_after(&yaml, "completions:");
    assert_eq!(number_after(&yaml, "parallelism:"), completions);
    let line = yaml.lines().find(|l| l.trim_start().starts_with("command: [")).expect("a command line");
    let command: Vec<String> = serde_json::from_str(line.trim_start().trim_start_matches("command:").trim()).unwrap();
    assert_eq!(command[0], "seedaudio");
    let shards = command.iter().position(|a| a == "--shards").map(|i| command[i + 1].parse::<usize>().unwrap());
    assert_eq!(shards, Some(completions), "--shards must be the Job's completions");

    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let titles = shelf(d);
    let args: Vec<String> =
        command[1..].iter().map(|a| a.replace("/data/articles", "articles").replace("/data/site", "site")).collect();
    let children = (0..completions)
        .map(|index| {
            worker(env!("CARGO_BIN_EXE_seedaudio"), d, index)
                .args(&args)
                .env("JOB_COMPLETION_INDEX", index.to_string())
                .spawn()
                .unwrap()
        })
        .collect();
    finish(children);
    assert_shelf_built(d, &titles);
}

#[test]
fn the_slurm_array_script_builds_the_shelf_once_across_its_tasks() {
    let script = root().join("deploy/slurm/seedaudio-shards.sbatch");
    let text = std::fs::read_to_string(&script).unwrap();
    let range = text.lines().find_map(|l| l.strip_prefix("#SBATCH --array=")).expect("an --array line");
    let (min, max) = range.split_once('-').unwrap();
    let (min, max): (usize, usize) = (min.parse().unwrap(), max.parse().unwrap());

    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let titles = shelf(d);
    let bin = Path::new(env!("CARGO_BIN_EXE_seedaudio")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let children = (min..=max)
        .map(|task| {
            worker("bash", d, task)
                .arg(&script)
                .env("PATH", &path)
                .env("SLURM_ARRAY_JOB_ID", "4242")
                .env("SLURM_ARRAY_TASK_ID", task.to_string())
                .env("SLURM_ARRAY_TASK_MIN", min.to_string())
                .env("SLURM_ARRAY_TASK_MAX", max.to_string())
                .env("SLURM_ARRAY_TASK_STEP", "1")
                .env("SLURM_ARRAY_TASK_COUNT", (max - min + 1).to_string())
                .env("ARTICLES", "articles")
                .env("OUT", "site")
                .spawn()
                .unwrap()
        })
        .collect();
    finish(children);
    assert_shelf_built(d, &titles);
}
