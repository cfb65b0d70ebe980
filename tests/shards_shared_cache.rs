//! Issue 16's acceptance: three shard processes over a shelf of articles that share
//! paragraphs, one bucket on a real S3 API server on 127.0.0.1 (moto) as their shared cache,
//! and the local TTS test server counting requests. Every distinct utterance is requested
//! once, the chapters are sample-identical to a one-process build, the feed lists every
//! article once; a shard killed with SIGKILL and restarted asks for nothing it had stored.
//! Needs `moto_server` (`scripts/start-moto --setup`): ignored by default, run by CI.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::conformance::{KEY, KEY_VAR, asked_texts, audio_for_text};
use common::moto::Moto;
use common::server::Server;
use common::*;

const BUCKET: &str = "shelf-cache";
const BASE: &str = "https://pod.example.com/shelf/";

/// Twelve articles of different lengths; each shares two of four common paragraphs with the
/// others, every third has a paid part. Returns the article titles.
fn shelf(dir: &Path) -> Vec<String> {
    let common = [
        "所有文章都会读到这一段共同的说明，它只应该被合成一次。",
        "第二段共同的文字讲的是订阅的方式和更新的时间。",
        "第三段共同的文字感谢读者一直以来的支持与耐心。",
        "第四段共同的文字提醒大家注意休息，按时吃饭。",
    ];
    let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"];
    let mut titles = Vec::new();
    for i in 0..12 {
        let title = format!("第{}篇文章", digits[i]);
        let mut text = format!("{title}\n\n");
        for p in 0..(1 + i % 4) {
            text.push_str(&format!("这是第{}篇文章自己的第{}段，内容与其他文章都不一样。\n\n", digits[i], digits[p]));
        }
        text.push_str(&format!("一、共同的部分\n\n{}\n\n", common[i % 4]));
        if i % 3 == 0 {
            text.push_str(&format!(
                "##paidbegin##\n\n{}\n\n订阅者才能听到第{}篇的这一段。\n\n##paidend##\n",
                common[(i + 1) % 4],
                digits[i]
            ));
        } else {
            text.push_str(&format!("{}\n", common[(i + 1) % 4]));
        }
        std::fs::create_dir_all(dir.join("shelf")).unwrap();
        std::fs::write(dir.join("shelf").join(format!("a{i:02}.txt")), text).unwrap();
        titles.push(title);
    }
    titles
}

fn preset(dir: &Path, server: &Server, budget_s: u32) -> PathBuf {
    let path = dir.join(format!("voice-{budget_s}.toml"));
    std::fs::write(
        &path,
        format!(
            "kind='openai'\nlanguage='zh'\nvoice='coral'\nbase_url='{}'\napi_key_env='{KEY_VAR}'\n\
             [network]\ntimeout_s=5\nbackoff_ms=20\nmax_attempts=2\nbudget_s={budget_s}\n",
            server.url
        ),
    )
    .unwrap();
    path
}

/// One shard worker on a machine of its own: its own local cache, the shared bucket.
fn shard(dir: &Path, moto: &Moto, voice: &Path, prefix: &str, k: usize, worker: &str) -> Command {
    let mut cmd = seedaudio();
    cmd.current_dir(dir)
        .args(["build", "shelf", "--shard", &format!("{k}/3"), "--out", "site", "--base-url", BASE])
        .arg("--voice")
        .arg(voice)
        .arg("--cache-dir")
        .arg(dir.join(worker).join("cache"))
        .args(["--shared-cache", &format!("s3://{BUCKET}/{prefix}"), "--jobs", "2", "--quiet"])
        .env(KEY_VAR, KEY)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    moto.env(&mut cmd);
    cmd
}

fn samples(path: &Path) -> Vec<i16> {
    hound::WavReader::open(path).unwrap().samples::<i16>().map(Result::unwrap).collect()
}

#[test]
#[ignore = "needs moto_server: scripts/start-moto --setup (or MOTO_SERVER=…)"]
fn three_shards_share_one_bucket_and_pay_for_each_paragraph_once() {
    let moto = Moto::start(BUCKET);
    let server = Server::start(|req, _| audio_for_text(req).stalled(Duration::from_millis(40)));
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let titles = shelf(d);
    let voice = preset(d, &server, 300);

    let children: Vec<_> =
        (1..=3).map(|k| shard(d, &moto, &voice, "team", k, &format!("machine-{k}")).spawn().unwrap()).collect();
    for (k, child) in children.into_iter().enumerate() {
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "shard {}:\n{}", k + 1, String::from_utf8_lossy(&out.stderr));
    }

    // Every distinct utterance was requested once, by whichever shard got to it first.
    let mut asked: BTreeMap<String, usize> = BTreeMap::new();
    for t in asked_texts(&server) {
        *asked.entry(t).or_default() += 1;
    }
    let twice: Vec<_> = asked.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "asked more than once: {twice:?}");
    assert!(asked.keys().any(|t| t.starts_with("所有文章都会读到")), "the shared paragraphs were asked for");
    let total = asked.len();

    // The feed lists every article once.
    let mut listed = item_titles(&d.join("site/feed-paid.xml"));
    listed.sort();
    let mut expected = titles.clone();
    expected.sort();
    assert_eq!(listed, expected);

    // The same chapters, sample for sample, as one process building the shelf alone.
    let solo = run(seedaudio()
        .current_dir(d)
        .args(["build", "shelf", "--out", "solo", "--jobs", "2", "--quiet"])
        .arg("--voice")
        .arg(&voice)
        .arg("--cache-dir")
        .arg(d.join("solo-cache"))
        .env(KEY_VAR, KEY));
    assert_eq!(solo.status, 0, "{}", solo.stderr);
    assert_eq!(asked_texts(&server).len() - total, total, "the one-process build asked for the same utterances");
    for i in 0..12 {
        let name = format!("a{i:02}");
        let manifest = read_json(&d.join("solo").join(&name).join("manifest.json"));
        for chapter in chapters(&manifest) {
            let file = chapter["file"].as_str().unwrap();
            let (a, b) = (d.join("site").join(&name).join(file), d.join("solo").join(&name).join(file));
            assert!(samples(&a) == samples(&b), "{name}/{file} differs from the one-process build");
        }
    }
}

#[test]
#[ignore = "needs moto_server: scripts/start-moto --setup (or MOTO_SERVER=…)"]
fn a_shard_killed_and_restarted_asks_for_nothing_it_had_stored() {
    let moto = Moto::start(BUCKET);
    let server = Server::start(|req, _| audio_for_text(req).stalled(Duration::from_millis(250)));
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    shelf(d);
    // A long budget: a restarted shard that waited out the lease of its own dead claims would
    // take minutes, not seconds.
    let voice = preset(d, &server, 600);

    let mut child = shard(d, &moto, &voice, "killed", 1, "machine-1").spawn().unwrap();
    let started = Instant::now();
    while server.requests().len() < 5 {
        assert!(started.elapsed() < Duration::from_secs(60), "the shard never got going");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    // Let the requests in flight at the kill finish on the server's side.
    std::thread::sleep(Duration::from_millis(400));
    let stored = moto.keys(BUCKET, "killed/entries").len();
    assert!(stored >= 3, "{stored} entries stored before the kill");
    let claims_left = moto.keys(BUCKET, "killed/claims").len();
    let before = server.requests().len();

    let restarted = Instant::now();
    let out = shard(d, &moto, &voice, "killed", 1, "machine-1").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        restarted.elapsed() < Duration::from_secs(120),
        "the restarted shard waited {:?}: it should not wait for the claims ({claims_left}) of the process it replaces",
        restarted.elapsed()
    );
    let all = asked_texts(&server);
    let distinct: std::collections::BTreeSet<&String> = all.iter().collect();
    assert_eq!(all.len() - before, distinct.len() - stored, "the restart asks only for what was not stored");
    assert!(all.len() <= distinct.len() + 2, "at most the two in flight at the kill were asked twice");
    assert!(moto.keys(BUCKET, "killed/claims").is_empty(), "no claim is left once the shard is done");
}
