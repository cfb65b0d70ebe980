//! Azure Blob Storage as a store (`az://CONTAINER/PREFIX`), against Microsoft's emulator
//! (Azurite) on 127.0.0.1, looked into with an independent client (`tests/azuretool.js`, Node's
//! http and crypto): the shared utterance cache between two workers, a damaged blob, outputs
//! and feeds with their content types, and a refused key or a missing container named with
//! what to do. Every test needs Azurite (`scripts/start-azurite --setup`): ignored by default,
//! run by CI.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::azurite::{self, Azurite};
use common::conformance::{KEY, KEY_VAR, audio_for_text, walk};
use common::server::Server;
use common::*;

const CONTAINER: &str = "voices";
const PREFIX: &str = "team/cache";
const NEEDS: &str = "needs azurite: scripts/start-azurite --setup";

struct Worker {
    dir: tempfile::TempDir,
    preset: PathBuf,
}

impl Worker {
    fn new(server: &Server) -> Worker {
        let dir = tempfile::tempdir().unwrap();
        let preset = dir.path().join("voice.toml");
        std::fs::write(
            &preset,
            format!(
                "kind='openai'\nlanguage='zh'\nvoice='coral'\nbase_url='{}'\napi_key_env='{KEY_VAR}'\n\
                 [network]\ntimeout_s=5\nbackoff_ms=20\nmax_attempts=2\n",
                server.url
            ),
        )
        .unwrap();
        Worker { dir, preset }
    }

    fn cache(&self) -> PathBuf {
        self.dir.path().join("cache")
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    fn command(&self, azurite: &Azurite, article: &Path, url: &str) -> std::process::Command {
        let mut cmd = seedaudio();
        cmd.arg("build")
            .arg(article)
            .arg("--voice")
            .arg(&self.preset)
            .arg("--out")
            .arg(self.out())
            .arg("--cache-dir")
            .arg(self.cache())
            .arg("--shared-cache")
            .arg(url)
            .args(["--jobs", "2"])
            .env(KEY_VAR, KEY);
        azurite.env(&mut cmd);
        cmd
    }

    fn entries(&self) -> Vec<PathBuf> {
        walk(&self.cache()).into_iter().filter(|p| p.extension().is_some_and(|e| e == "entry")).collect()
    }
}

fn samples(path: &Path) -> Vec<i16> {
    hound::WavReader::open(path).unwrap().samples::<i16>().map(Result::unwrap).collect()
}

fn read_manifest(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap()
}

fn assert_same_chapters(a: &Path, b: &Path) {
    for chapter in chapters(&read_manifest(a)) {
        let file = chapter["file"].as_str().unwrap();
        assert_eq!(samples(&a.join(file)), samples(&b.join(file)), "{file}");
    }
}

#[test]
#[ignore = "needs azurite: scripts/start-azurite --setup"]
fn a_second_worker_takes_everything_from_the_container_and_no_secret_is_in_it() {
    let _ = NEEDS;
    let azurite = Azurite::start(CONTAINER);
    let server = Server::start(|req, _| audio_for_text(req));
    let article = article("zh-two-paid.txt");
    let (a, b) = (Worker::new(&server), Worker::new(&server));
    // `azure://` is the same store as `az://`.
    let r = run(&mut a.command(&azurite, &article, &format!("azure://{CONTAINER}/{PREFIX}")));
    assert_eq!(r.status, 0, "{}", r.stderr);
    let asked = server.requests().len();
    assert!(asked > 3);

    let names = azurite.names(CONTAINER, PREFIX);
    assert_eq!(names.len(), a.entries().len(), "{names:?}");
    for entry in a.entries() {
        let name = format!("{PREFIX}/{}", entry.strip_prefix(a.cache()).unwrap().to_string_lossy());
        assert!(names.contains(&name), "{name} not in {names:?}");
        let blob = azurite.get(CONTAINER, &name);
        assert_eq!(blob, std::fs::read(&entry).unwrap(), "{name}");
        for secret in [KEY, azurite::KEY] {
            assert!(!blob.windows(secret.len()).any(|w| w == secret.as_bytes()), "{secret} in {name}");
        }
    }

    let r = run(&mut b.command(&azurite, &article, &format!("az://{CONTAINER}/{PREFIX}")));
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(server.requests().len(), asked, "the second worker synthesized something");
    assert_eq!(read_manifest(&b.out())["counts"]["synthesized"], 0);
    assert_eq!(b.entries().len(), a.entries().len(), "hits are kept in the local cache too");
    assert_same_chapters(&a.out(), &b.out());
}

#[test]
#[ignore = "needs azurite: scripts/start-azurite --setup"]
fn a_damaged_blob_is_discarded_and_synthesized_again() {
    let azurite = Azurite::start(CONTAINER);
    let server = Server::start(|req, _| audio_for_text(req));
    let article = article("zh-two-paid.txt");
    let url = format!("az://{CONTAINER}/{PREFIX}");
    let (a, b) = (Worker::new(&server), Worker::new(&server));
    assert_eq!(run(&mut a.command(&azurite, &article, &url)).status, 0);
    let asked = server.requests().len();

    let name = azurite.names(CONTAINER, &format!("{PREFIX}/entries/")).into_iter().next().unwrap();
    let whole = azurite.get(CONTAINER, &name);
    azurite.put(CONTAINER, &name, &whole[..whole.len() / 2]);

    let r = run(&mut b.command(&azurite, &article, &url));
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(r.stderr.matches("was damaged").count(), 1, "said once: {}", r.stderr);
    assert!(r.stderr.contains(&url), "names the store: {}", r.stderr);
    assert_eq!(server.requests().len(), asked + 1, "only the damaged one is synthesized again");
    assert_eq!(azurite.get(CONTAINER, &name).len(), whole.len(), "the blob is whole again");
    assert_same_chapters(&a.out(), &b.out());
}

#[test]
#[ignore = "needs azurite: scripts/start-azurite --setup"]
fn outputs_and_feeds_land_in_the_container_with_their_content_types() {
    let azurite = Azurite::start("pods");
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("morning.md");
    std::fs::write(&article, "# Morning Notes\n\nA short note.\n\n## Coffee\n\nThe coffee is hot.\n").unwrap();
    let mut cmd = seedaudio();
    cmd.arg("build")
        .arg(&article)
        .args(["--out", "az://pods/show", "--base-url", "https://cdn.example.com/show/", "--format", "mp3", "-q"])
        .arg("--cache-dir")
        .arg(dir.path().join("cache"));
    azurite.env(&mut cmd);
    let r = run(&mut cmd);
    assert_eq!(r.status, 0, "{}", r.stderr);

    let blobs: BTreeMap<String, (String, Vec<u8>)> = azurite.dump("pods", "show/");
    for name in ["show/morning/episode-full.mp3", "show/morning/manifest.json", "show/feed-paid.xml"] {
        assert!(blobs.contains_key(name), "{name} not in {:?}", blobs.keys());
    }
    for (name, (kind, bytes)) in &blobs {
        let want = match name.rsplit('.').next().unwrap() {
            "mp3" => "audio/mpeg",
            "vtt" => "text/vtt; charset=utf-8",
            "srt" => "application/x-subrip",
            "json" => "application/json",
            "html" => "text/html; charset=utf-8",
            "xml" => "application/rss+xml",
            "css" => "text/css; charset=utf-8",
            "js" => "text/javascript; charset=utf-8",
            other => panic!("no expected type for .{other}"),
        };
        assert_eq!(kind, want, "{name}");
        assert!(!String::from_utf8_lossy(bytes).contains(azurite::KEY), "{name} holds the key");
    }
    let mp3 = &blobs["show/morning/episode-full.mp3"].1;
    assert!(mp3.len() > 1000 && (mp3.starts_with(b"ID3") || mp3[0] == 0xFF), "an MP3");
    let feed = String::from_utf8_lossy(&blobs["show/feed-paid.xml"].1).into_owned();
    assert!(feed.contains("https://cdn.example.com/show/morning/episode-full.mp3"), "{feed}");
}

#[test]
#[ignore = "needs azurite: scripts/start-azurite --setup"]
fn a_wrong_key_and_a_missing_container_are_named_with_what_to_do() {
    let mut azurite = Azurite::start(CONTAINER);
    let server = Server::start(|req, _| audio_for_text(req));
    let article = article("zh-example.txt");
    let wrong = "bm90LXRoZS1rZXktYXQtYWxsLW5vdC1hdC1hbGwtbm90LWF0LWFsbA==";
    azurite.key = wrong.into();
    let r = run(&mut Worker::new(&server).command(&azurite, &article, &format!("az://{CONTAINER}/{PREFIX}")));
    assert_ne!(r.status, 0);
    assert!(r.stderr.contains(&format!("az://{CONTAINER}/{PREFIX} at {}", azurite.endpoint)), "{}", r.stderr);
    assert!(r.stderr.contains("403") && r.stderr.contains("AZURE_STORAGE_KEY"), "{}", r.stderr);
    assert!(!r.stderr.contains(wrong) && !r.stderr.contains(azurite::KEY), "{}", r.stderr);

    azurite.key = azurite::KEY.into();
    let r = run(&mut Worker::new(&server).command(&azurite, &article, "az://nosuchcontainer/x"));
    assert_ne!(r.status, 0);
    assert!(r.stderr.contains("ContainerNotFound") && r.stderr.contains("create the container"), "{}", r.stderr);
    assert!(!r.stderr.contains(azurite::KEY), "{}", r.stderr);
    assert!(server.requests().is_empty(), "nothing synthesized: the store is checked first");
}

#[test]
#[ignore = "needs azurite: scripts/start-azurite --setup"]
fn a_sas_token_instead_of_the_key_reads_and_writes_and_a_wrong_one_is_refused() {
    let azurite = Azurite::start(CONTAINER);
    let server = Server::start(|req, _| audio_for_text(req));
    let article = article("zh-example.txt");
    let url = format!("az://{CONTAINER}/{PREFIX}");
    let sas = azurite.sas();
    let (a, b) = (Worker::new(&server), Worker::new(&server));
    let mut cmd = a.command(&azurite, &article, &url);
    cmd.env_remove("AZURE_STORAGE_KEY").env("AZURE_STORAGE_SAS_TOKEN", format!("?{sas}"));
    let r = run(&mut cmd);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let asked = server.requests().len();
    assert_eq!(azurite.names(CONTAINER, PREFIX).len(), a.entries().len());
    // The key's worker reads what the token's wrote.
    let r = run(&mut b.command(&azurite, &article, &url));
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(server.requests().len(), asked);
    assert_same_chapters(&a.out(), &b.out());

    let sig = sas.split('&').find_map(|p| p.strip_prefix("sig=")).unwrap().to_string();
    let wrong = sas.replace(&sig, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D");
    let c = Worker::new(&server);
    let mut cmd = c.command(&azurite, &article, &url);
    cmd.env_remove("AZURE_STORAGE_KEY").env("AZURE_STORAGE_SAS_TOKEN", &wrong);
    let r = run(&mut cmd);
    assert_ne!(r.status, 0);
    assert!(r.stderr.contains("403") && r.stderr.contains("AZURE_STORAGE_SAS_TOKEN"), "{}", r.stderr);
    assert!(!r.stderr.contains(&sig) && !r.stderr.contains("AAAAAAAAAAAAAAAAAAAA"), "{}", r.stderr);
    assert_eq!(server.requests().len(), asked);
}
