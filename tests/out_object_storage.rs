//! Issue 16 item 4: outputs and feeds published to an object store (`--out s3://…`), against
//! a real S3 API server on 127.0.0.1 (moto), looked into with an independent client (boto3).
//! One article: every file in the bucket with its type and the bytes of a local build, a rerun
//! uploading nothing. Three shards finishing in any order, then `seedaudio feed`: one feed
//! listing every article once. Needs `moto_server` (`scripts/start-moto --setup`).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::moto::Moto;
use common::{Run, run, seedaudio};

const BUCKET: &str = "pods";
const BASE: &str = "https://cdn.example.com/show/";
const NEEDS: &str = "needs moto_server: scripts/start-moto --setup (or MOTO_SERVER=…)";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn build(moto: &Moto, args: &[&str], cache: &Path) -> Run {
    let mut cmd = seedaudio();
    cmd.arg("build").args(args).args(["--base-url", BASE, "--format", "mp3", "-q"]).arg("--cache-dir").arg(cache);
    moto.env(&mut cmd);
    let r = run(&mut cmd);
    assert_eq!(r.status, 0, "build {args:?}:\n{}", r.stderr);
    r
}

/// Every file of a local folder (not hidden), by name.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .filter(|(name, _)| !name.starts_with('.'))
        .collect()
}

fn expected_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap() {
        "mp3" => "audio/mpeg",
        "vtt" => "text/vtt; charset=utf-8",
        "srt" => "application/x-subrip",
        "json" => "application/json",
        "html" => "text/html; charset=utf-8",
        "xml" => "application/rss+xml",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        other => panic!("no expected type for .{other}"),
    }
}

fn no_secret(moto: &Moto, prefix: &str) {
    for key in moto.keys(BUCKET, prefix) {
        let text = String::from_utf8_lossy(&moto.get(BUCKET, &key)).into_owned();
        for secret in [&moto.secret_access_key, &moto.access_key_id] {
            assert!(!text.contains(secret.as_str()), "{key} holds a credential");
        }
    }
}

#[test]
#[ignore = "needs moto_server: scripts/start-moto --setup (or MOTO_SERVER=…)"]
fn one_article_lands_in_the_bucket_typed_and_equal_to_a_local_build_and_a_rerun_uploads_nothing() {
    let _ = NEEDS;
    let moto = Moto::start(BUCKET);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let article = write(d, "morning.md", "# Morning Notes\n\nA short note.\n\n## Coffee\n\nThe coffee is hot.\n");
    let article = article.to_str().unwrap();
    let cache = d.join("cache");
    build(&moto, &[article, "--out", "s3://pods/show"], &cache);

    let local = d.join("local/morning");
    build(&moto, &[article, "--out", local.to_str().unwrap()], &d.join("cache-local"));
    let local_files = files(&local);
    assert!(local_files.contains_key("manifest.json") && local_files.contains_key("episode-full.mp3"));
    let mut keys = moto.keys(BUCKET, "show/morning/");
    keys.sort();
    let want: Vec<String> = local_files.keys().map(|f| format!("show/morning/{f}")).collect();
    assert_eq!(keys, want, "every file of a local build, nothing else");
    for (file, bytes) in &local_files {
        let key = format!("show/morning/{file}");
        let got = moto.get(BUCKET, &key);
        if file == "manifest.json" {
            // The build's own record (file times, what came from the cache) differs by nature.
            let strip = |b: &[u8]| {
                let mut v: serde_json::Value = serde_json::from_slice(b).unwrap();
                v.as_object_mut().unwrap().retain(|k, _| k != "build" && k != "counts");
                v
            };
            assert_eq!(strip(&got), strip(bytes), "{key} differs from the local build");
        } else {
            assert!(&got == bytes, "{key} differs from the local build");
        }
        assert_eq!(moto.content_type(BUCKET, &key), expected_type(file), "{key}");
    }
    // The single build wrote its feeds, the same as the local build's.
    for (feed, episode) in [("feed-free.xml", "episode-free.mp3"), ("feed-paid.xml", "episode-full.mp3")] {
        let xml = String::from_utf8(moto.get(BUCKET, &format!("show/{feed}"))).unwrap();
        assert!(xml.contains(&format!("{BASE}morning/{episode}")), "{feed}:\n{xml}");
        assert_eq!(moto.content_type(BUCKET, &format!("show/{feed}")), "application/rss+xml");
    }
    no_secret(&moto, "show/");

    let before = moto.puts("/pods/").len();
    assert!(before > local_files.len(), "each file, its item and two feeds");
    build(&moto, &[article, "--out", "s3://pods/show"], &cache);
    assert_eq!(moto.puts("/pods/").len(), before, "a rerun uploads nothing");
}

#[test]
#[ignore = "needs moto_server: scripts/start-moto --setup (or MOTO_SERVER=…)"]
fn three_shards_in_any_order_then_the_feed_step_list_every_article_once() {
    let moto = Moto::start(BUCKET);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let titles = ["Alpha Notes", "Bravo Notes", "Charlie Notes"];
    for title in titles {
        let name = title.split(' ').next().unwrap().to_lowercase();
        write(d, &format!("shelf/{name}.md"), &format!("# {title}\n\nA note called {name}.\n"));
    }
    let shelf = d.join("shelf");
    // Each shard a machine of its own (its own cache and staging), finishing 3, 1, 2.
    for k in [3, 1, 2] {
        let shard = format!("{k}/3");
        let args = [shelf.to_str().unwrap(), "--shard", &shard, "--out", "s3://pods/shelf"];
        build(&moto, &args, &d.join(format!("cache-{k}")));
    }
    let feeds = moto.keys(BUCKET, "shelf/feed-").into_iter().filter(|k| k.ends_with(".xml")).count();
    assert_eq!(feeds, 0, "shards leave the feeds to the feed step");
    assert_eq!(moto.keys(BUCKET, "shelf/feed-items/").len(), 3);

    let mut cmd = seedaudio();
    cmd.args(["feed", "--out", "s3://pods/shelf"]).arg("--cache-dir").arg(d.join("cache-feed"));
    moto.env(&mut cmd);
    let r = run(&mut cmd);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stderr.contains("(3 items)"), "{}", r.stderr);

    let xml = String::from_utf8(moto.get(BUCKET, "shelf/feed-paid.xml")).unwrap();
    for title in titles {
        assert_eq!(xml.matches(&format!("<title>{title}</title>")).count(), 1, "{title} once:\n{xml}");
    }
    let enclosures: Vec<&str> = xml.split("<enclosure url=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]).collect();
    assert_eq!(enclosures.len(), 3);
    for url in enclosures {
        let key = format!("shelf/{}", url.strip_prefix(BASE).expect("enclosures under --base-url"));
        assert_eq!(moto.keys(BUCKET, &key), [key.clone()], "{url} is an object");
    }
    no_secret(&moto, "shelf/");

    // Again: nothing changed, nothing uploaded.
    let before = moto.puts("/pods/").len();
    let mut cmd = seedaudio();
    cmd.args(["feed", "--out", "s3://pods/shelf"]).arg("--cache-dir").arg(d.join("cache-feed"));
    moto.env(&mut cmd);
    assert_eq!(run(&mut cmd).status, 0);
    assert_eq!(moto.puts("/pods/").len(), before);
}
