//! The utterance cache shared through an object store (`--shared-cache s3://…`), against a real
//! S3 API server on 127.0.0.1 (moto) and the local TTS test server, which counts requests.
//! Every test needs `moto_server` (`scripts/start-moto --setup`): ignored by default, run by CI.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::conformance::{KEY, KEY_VAR, audio_for_text, walk};
use common::moto::{Moto, SECRET_ACCESS_KEY};
use common::server::Server;
use common::*;

const BUCKET: &str = "voices";
const PREFIX: &str = "team/cache";
const NEEDS: &str = "needs moto_server: scripts/start-moto --setup (or MOTO_SERVER=…)";

/// One worker: a folder of its own (local cache, output) with a preset pointing at the TTS server.
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

    fn command(&self, moto: &Moto, article: &Path) -> std::process::Command {
        self.command_with_jobs(moto, article, 2)
    }

    fn command_with_jobs(&self, moto: &Moto, article: &Path, jobs: u32) -> std::process::Command {
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
            .arg(format!("s3://{BUCKET}/{PREFIX}"))
            .args(["--jobs", &jobs.to_string()])
            .env(KEY_VAR, KEY);
        moto.env(&mut cmd);
        cmd
    }

    fn entries(&self) -> Vec<PathBuf> {
        walk(&self.cache()).into_iter().filter(|p| p.extension().is_some_and(|e| e == "entry")).collect()
    }
}

fn samples(path: &Path) -> Vec<i16> {
    hound::WavReader::open(path).unwrap().samples::<i16>().map(Result::unwrap).collect()
}

/// Every chapter file of two outputs, sample for sample.
fn assert_same_chapters(a: &Path, b: &Path) {
    let manifest = read_manifest(a);
    for chapter in chapters(&manifest) {
        let file = chapter["file"].as_str().unwrap();
        assert_eq!(samples(&a.join(file)), samples(&b.join(file)), "{file}");
    }
}

fn read_manifest(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap()
}

#[test]
#[ignore = "needs moto_server: scripts/start-moto --setup (or MOTO_SERVER=…)"]
fn a_second_worker_takes_everything_from_the_bucket_and_no_secret_is_in_it() {
    let _ = NEEDS;
    let moto = Moto::start(BUCKET);
    let server = Server::start(|req, _| audio_for_text(req));
    let article = article("zh-two-paid.txt");
    let (a, b) = (Worker::new(&server), Worker::new(&server));

    let r = run(&mut a.command(&moto, &article));
    assert_eq!(r.status, 0, "{}", r.stderr);
    let asked = server.requests().len();
    assert!(asked > 3);

    // The bucket holds the local cache's entries, under the same names, byte for byte.
    let keys = moto.keys(BUCKET, PREFIX);
    assert_eq!(keys.len(), a.entries().len(), "{keys:?}");
    for entry in a.entries() {
        let name = entry.strip_prefix(a.cache()).unwrap().to_string_lossy().into_owned();
        let key = format!("{PREFIX}/{name}");
        assert!(keys.contains(&key), "{key} not in {keys:?}");
        let object = moto.get(BUCKET, &key);
        assert_eq!(object, std::fs::read(&entry).unwrap(), "{key}");
        // No secret in any object: not the TTS key, not the store's.
        for secret in [KEY, SECRET_ACCESS_KEY] {
            assert!(!object.windows(secret.len()).any(|w| w == secret.as_bytes()), "{secret} in {key}");
        }
        assert!(!key.contains(KEY) && !key.contains(SECRET_ACCESS_KEY));
    }

    // Another machine: an empty local cache, the same bucket. Nothing is asked of the TTS server.
    let r = run(&mut b.command(&moto, &article));
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(server.requests().len(), asked, "the second worker synthesized something");
    assert_eq!(read_manifest(&b.out())["counts"]["synthesized"], 0);
    assert_eq!(b.entries().len(), a.entries().len(), "hits are kept in the local cache too");
    assert_same_chapters(&a.out(), &b.out());
    for file in walk(&b.out()).into_iter().chain(walk(&b.cache())) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !bytes.windows(SECRET_ACCESS_KEY.len()).any(|w| w == SECRET_ACCESS_KEY.as_bytes()),
            "{}",
            file.display()
        );
    }
}

#[test]
#[ignore = "needs moto_server: scripts/start-moto --setup (or MOTO_SERVER=…)"]
fn a_damaged_object_is_discarded_and_synthesized_again() {
    let moto = Moto::start(BUCKET);
    let server = Server::start(|req, _| audio_for_text(req));
    let article = article("zh-two-paid.txt");
    let (a, b) = (Worker::new(&server), Worker::new(&server));
    assert_eq!(run(&mut a.command(&moto, &article)).status, 0);
    let asked = server.requests().len();

    let key = moto.keys(BUCKET, PREFIX).into_iter().next().unwrap();
    let whole = moto.get(BUCKET, &key);
    moto.put(BUCKET, &key, &whole[..whole.len() / 2]);

    let r = run(&mut b.command(&moto, &article));
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(r.stderr.matches("was damaged").count(), 1, "said once: {}", r.stderr);
    assert!(r.stderr.contains(&format!("s3://{BUCKET}/{PREFIX}")), "names the store: {}", r.stderr);
    assert_eq!(server.requests().len(), asked + 1, "only the damaged one is synthesized again");
    assert_eq!(moto.get(BUCKET, &key).len(), whole.len(), "the object is whole again");
    assert_same_chapters(&a.out(), &b.out());
}

#[test]
#[ignore = "needs moto_server: scripts/start-moto --setup (or MOTO_SERVER=…)"]
fn the_store_going_away_mid_build_stops_it_and_loses_nothing() {
    let mut moto = Moto::start(BUCKET);
    let server = Server::start(|req, _| audio_for_text(req).stalled(Duration::from_millis(150)));
    let article = article("zh-example.txt");
    let worker = Worker::new(&server);
    let mut child = worker.command_with_jobs(&moto, &article, 1).stderr(std::process::Stdio::piped()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while server.requests().len() < 3 {
        assert!(Instant::now() < deadline && child.try_wait().unwrap().is_none(), "the build never got going");
        std::thread::sleep(Duration::from_millis(20));
    }
    let url = moto.url.clone();
    moto.stop();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stderr}");
    assert_ne!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains(&format!("the shared cache s3://{BUCKET}/{PREFIX} at {url}")), "{stderr}");
    assert!(stderr.contains("run the same command again") && stderr.contains("--shared-cache"), "{stderr}");
    assert!(!stderr.contains(SECRET_ACCESS_KEY) && !stderr.contains(KEY), "{stderr}");

    // Everything synthesized is in the local cache: a run without the store asks only for the rest.
    let asked = server.requests().len();
    assert_eq!(worker.entries().len(), asked, "every answer is in the local cache");
    let mut again = seedaudio();
    again
        .arg("build")
        .arg(&article)
        .arg("--voice")
        .arg(&worker.preset)
        .arg("--out")
        .arg(worker.out())
        .arg("--cache-dir")
        .arg(worker.cache())
        .args(["--quiet"])
        .env(KEY_VAR, KEY);
    let r = run(&mut again);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let texts: std::collections::BTreeSet<String> =
        server.requests().iter().map(|r| r.json()["input"].as_str().unwrap_or_default().to_string()).collect();
    assert_eq!(server.requests().len(), texts.len(), "nothing asked twice");
}

#[test]
#[ignore = "needs moto_server: scripts/start-moto --setup (or MOTO_SERVER=…)"]
fn racing_workers_on_one_bucket_take_turns_and_leave_whole_entries() {
    let moto = Moto::start(BUCKET);
    let server = Server::start(|req, _| audio_for_text(req).stalled(Duration::from_millis(40)));
    let article = article("zh-example.txt");
    let workers: Vec<Worker> = (0..3).map(|_| Worker::new(&server)).collect();
    let children: Vec<_> = workers
        .iter()
        .map(|w| w.command(&moto, &article).stderr(std::process::Stdio::piped()).spawn().unwrap())
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    }
    for w in &workers[1..] {
        assert_same_chapters(&workers[0].out(), &w.out());
    }
    // Each entry once in the bucket, and whole: a fresh worker reads them all without a warning.
    let keys = moto.keys(BUCKET, PREFIX);
    assert_eq!(keys.len(), workers[0].entries().len());
    let asked = server.requests().len();
    // The workers took turns through conditional creates of claims: each utterance was
    // synthesized by one of them and published once; the others waited and took it.
    assert!(moto.keys(BUCKET, &format!("{PREFIX}/claims")).is_empty(), "no claim is left");
    let claims = moto.puts(&format!("/{BUCKET}/{PREFIX}/claims/"));
    assert!(claims.iter().all(|(_, status)| [200, 412, 409].contains(status)), "{claims:?}");
    let puts = moto.puts(&format!("/{BUCKET}/{PREFIX}/entries/"));
    assert!(puts.iter().all(|(_, status)| *status == 200), "{puts:?}");
    assert_eq!(puts.len(), keys.len(), "each entry was published once: {puts:?}");
    assert_eq!(asked, keys.len(), "each utterance was synthesized by one worker");
    let lost = claims.iter().filter(|(_, status)| *status != 200).count();
    eprintln!(
        "{asked} utterances synthesized by 3 racing workers, {} entries published, {lost} claims lost",
        keys.len()
    );
    let fresh = Worker::new(&server);
    let r = run(&mut fresh.command(&moto, &article));
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("damaged"), "{}", r.stderr);
    assert_eq!(server.requests().len(), asked);
    assert_same_chapters(&workers[0].out(), &fresh.out());
}

#[test]
#[ignore = "needs moto_server: scripts/start-moto --setup (or MOTO_SERVER=…)"]
fn a_server_that_checks_signatures_accepts_ours_and_refuses_a_wrong_secret() {
    let mut moto = Moto::start_checking_signatures(BUCKET);
    let server = Server::start(|req, _| audio_for_text(req));
    let article = article("zh-example.txt");
    let (a, b) = (Worker::new(&server), Worker::new(&server));
    let r = run(&mut a.command(&moto, &article));
    assert_eq!(r.status, 0, "{}", r.stderr);
    let asked = server.requests().len();
    assert_eq!(moto.keys(BUCKET, PREFIX).len(), a.entries().len(), "every PUT was accepted");
    let r = run(&mut b.command(&moto, &article));
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(server.requests().len(), asked, "every GET was accepted");

    let right = std::mem::replace(&mut moto.secret_access_key, "not-the-secret-at-all".into());
    let r = run(&mut Worker::new(&server).command(&moto, &article));
    assert_ne!(r.status, 0);
    assert!(r.stderr.contains("SignatureDoesNotMatch") && r.stderr.contains("AWS_SECRET_ACCESS_KEY"), "{}", r.stderr);
    assert!(!r.stderr.contains("not-the-secret-at-all") && !r.stderr.contains(&right), "{}", r.stderr);
    assert_eq!(server.requests().len(), asked, "nothing synthesized: the store is checked first");
}
