//! Issue 16 item 4: outputs and feeds published to an object store (`--out s3://…`), against
//! a real S3 API server on 127.0.0.1 (moto), looked into with an independent client (boto3).
//! One article: every file in the bucket with its type and the bytes of a local build, a rerun
//! uploading nothing. Three shards finishing in any order, then `seedaudio feed`: one feed
//! listing every article once. Needs `moto_server` (`scripts/start-moto --setup`), except the
//! last test: a folder of articles in one process to a `file://` store, which runs everywhere.

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

fn no_secret(moto: &Moto, objects: &BTreeMap<String, (String, Vec<u8>)>) {
    assert!(!objects.is_empty());
    for (key, (_, bytes)) in objects {
        let text = String::from_utf8_lossy(bytes);
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
    let bucket = moto.dump(BUCKET, "show/");
    let keys: Vec<&String> = bucket.keys().filter(|k| k.starts_with("show/morning/")).collect();
    let want: Vec<String> = local_files.keys().map(|f| format!("show/morning/{f}")).collect();
    assert_eq!(keys, want.iter().collect::<Vec<_>>(), "every file of a local build, nothing else");
    for (file, bytes) in &local_files {
        let key = format!("show/morning/{file}");
        let (kind, got) = &bucket[&key];
        assert_eq!(kind, expected_type(file), "{key}");
        if file == "manifest.json" {
            // The build's own record (file times, what came from the cache) differs by nature.
            let strip = |b: &[u8]| {
                let mut v: serde_json::Value = serde_json::from_slice(b).unwrap();
                v.as_object_mut().unwrap().retain(|k, _| k != "build" && k != "counts");
                v
            };
            assert_eq!(strip(got), strip(bytes), "{key} differs from the local build");
        } else {
            assert!(got == bytes, "{key} differs from the local build");
        }
    }
    // The single build wrote its feeds, the same as the local build's.
    for (feed, episode) in [("feed-free.xml", "episode-free.mp3"), ("feed-paid.xml", "episode-full.mp3")] {
        let (kind, xml) = &bucket[&format!("show/{feed}")];
        let xml = String::from_utf8_lossy(xml);
        assert!(xml.contains(&format!("{BASE}morning/{episode}")), "{feed}:\n{xml}");
        assert_eq!(kind, "application/rss+xml");
    }
    no_secret(&moto, &bucket);

    let before = moto.puts("/pods/").len();
    assert!(before > local_files.len(), "each file, its item and two feeds");
    build(&moto, &[article, "--out", "s3://pods/show"], &cache);
    assert_eq!(moto.puts("/pods/").len(), before, "a rerun uploads nothing");
}

#[test]
#[ignore = "needs moto_server: scripts/start-moto --setup (or MOTO_SERVER=…)"]
fn three_shards_in_any_order_then_the_feed_step_list_every_article_once() {
    // Signatures checked: the listing's signed query too.
    let moto = Moto::start_checking_signatures(BUCKET);
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
    let keys = moto.keys(BUCKET, "shelf/");
    assert!(!keys.iter().any(|k| k.ends_with(".xml")), "shards leave the feeds to the feed step");
    assert_eq!(keys.iter().filter(|k| k.starts_with("shelf/feed-items/")).count(), 3);

    let mut cmd = seedaudio();
    cmd.args(["feed", "--out", "s3://pods/shelf"]).arg("--cache-dir").arg(d.join("cache-feed"));
    moto.env(&mut cmd);
    let r = run(&mut cmd);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stderr.contains("(3 items)"), "{}", r.stderr);

    let bucket = moto.dump(BUCKET, "shelf/");
    let xml = String::from_utf8_lossy(&bucket["shelf/feed-paid.xml"].1).into_owned();
    for title in titles {
        assert_eq!(xml.matches(&format!("<title>{title}</title>")).count(), 1, "{title} once:\n{xml}");
    }
    let enclosures: Vec<&str> = xml.split("<enclosure url=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]).collect();
    assert_eq!(enclosures.len(), 3);
    for url in enclosures {
        let key = format!("shelf/{}", url.strip_prefix(BASE).expect("enclosures under --base-url"));
        assert!(bucket.contains_key(&key), "{url} is an object");
    }
    no_secret(&moto, &bucket);

    // Again: nothing changed, nothing uploaded.
    let before = moto.puts("/pods/").len();
    let mut cmd = seedaudio();
    cmd.args(["feed", "--out", "s3://pods/shelf"]).arg("--cache-dir").arg(d.join("cache-feed"));
    moto.env(&mut cmd);
    assert_eq!(run(&mut cmd).status, 0);
    assert_eq!(moto.puts("/pods/").len(), before);
}

#[test]
#[ignore = "needs moto_server: scripts/start-moto --setup (or MOTO_SERVER=…)"]
fn a_store_refusing_fails_the_build_and_the_same_command_publishes_later() {
    let moto = Moto::start(BUCKET);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let article = write(d, "late.md", "# Late Notes\n\nWritten before the bucket.\n");
    let cache = d.join("cache");
    let args = |cmd: &mut std::process::Command| {
        cmd.arg("build").arg(&article).args(["--out", "s3://later/pod", "--base-url", BASE, "-q"]);
        cmd.arg("--cache-dir").arg(&cache);
        moto.env(cmd);
    };
    let mut cmd = seedaudio();
    args(&mut cmd);
    let r = run(&mut cmd);
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(r.stderr.contains("s3://later/pod at http://127.0.0.1:"), "names the store: {}", r.stderr);
    assert!(r.stderr.contains("run the same command again"), "{}", r.stderr);
    assert!(r.stderr.contains(cache.join("outputs").to_str().unwrap()), "names the staging: {}", r.stderr);
    assert!(!r.stderr.contains(&moto.secret_access_key));

    moto.tool("later", &["mkbucket"]);
    let mut cmd = seedaudio();
    args(&mut cmd);
    let r = run(&mut cmd);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let keys = moto.keys("later", "pod/");
    for key in ["pod/late/manifest.json", "pod/late/episode-full.wav", "pod/feed-paid.xml"] {
        assert!(keys.iter().any(|k| k == key), "{key} in {keys:?}");
    }
}

#[test]
fn a_folder_of_articles_to_a_file_store_gets_its_files_and_one_feed_and_a_rerun_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "shelf/one.md", "# One Note\n\nThe first note.\n");
    write(d, "shelf/two.md", "# Two Note\n\nThe second note.\n");
    let store = d.join("bucket");
    let url = format!("file://{}/pod", store.display());
    let build = || {
        let mut cmd = seedaudio();
        cmd.arg("build").arg(d.join("shelf")).args(["--out", &url, "--base-url", BASE]);
        cmd.arg("--cache-dir").arg(d.join("cache"));
        let r = run(&mut cmd);
        assert_eq!(r.status, 0, "{}", r.stderr);
        r
    };
    let r = build();
    assert!(r.stderr.contains("(2 items)"), "{}", r.stderr);
    for name in ["one", "two"] {
        assert!(store.join(format!("pod/{name}/manifest.json")).is_file());
        assert!(store.join(format!("pod/{name}/episode-full.wav")).is_file());
    }
    let xml = std::fs::read_to_string(store.join("pod/feed-paid.xml")).unwrap();
    assert_eq!(xml.matches("<item>").count(), 2, "{xml}");
    assert!(xml.contains(&format!("{BASE}two/episode-full.wav")), "{xml}");
    let r = build();
    assert!(r.stderr.contains(": 0 objects uploaded"), "{}", r.stderr);
}
