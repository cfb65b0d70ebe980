//! Azurite's Blob service (Microsoft's Azure Storage emulator) on 127.0.0.1, one per test, and
//! an independent Azure client (Node's http and crypto, `tests/azuretool.js`) to look into it.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Azurite's well-known development account and key (published by Microsoft).
pub const ACCOUNT: &str = "devstoreaccount1";
pub const KEY: &str = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/// `azurite-blob`: `$AZURITE_BLOB`, else the one under `$AZURITE_PREFIX` (default
/// `/tmp/seedaudio-azurite`). For tests marked `#[ignore = "needs azurite: …"]`: missing, it
/// fails them with how to get it.
pub fn azurite_blob() -> PathBuf {
    let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    let blob = env("AZURITE_BLOB").unwrap_or_else(|| {
        env("AZURITE_PREFIX")
            .unwrap_or_else(|| PathBuf::from("/tmp/seedaudio-azurite"))
            .join("node_modules/.bin/azurite-blob")
    });
    assert!(
        blob.is_file(),
        "azurite-blob is not at {} (run scripts/start-azurite --setup, or set AZURITE_BLOB); this test needs it \
         (and Node.js)",
        blob.display()
    );
    blob
}

pub struct Azurite {
    child: Child,
    _data: tempfile::TempDir,
    /// The account's endpoint, path-style: `http://127.0.0.1:PORT/devstoreaccount1`.
    pub endpoint: String,
    /// The key seedaudio is given (the tests change it to see a refusal).
    pub key: String,
}

impl Azurite {
    /// Starts a server and creates `container` in it.
    pub fn start(container: &str) -> Azurite {
        let blob = azurite_blob();
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let data = tempfile::tempdir().unwrap();
        let child = Command::new(&blob)
            .args(["--blobHost", "127.0.0.1", "--blobPort", &port.to_string(), "--location"])
            .arg(data.path())
            .args(["--skipApiVersionCheck", "--loose", "--silent"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let azurite =
            Azurite { child, _data: data, endpoint: format!("http://127.0.0.1:{port}/{ACCOUNT}"), key: KEY.into() };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "azurite-blob did not start on port {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
        azurite.tool(container, &["mkcontainer"]);
        azurite
    }

    /// Runs `tests/azuretool.js` against `container` with the real key; its stdout.
    pub fn tool(&self, container: &str, args: &[&str]) -> String {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/azuretool.js");
        let out = Command::new("node").arg(script).args([&self.endpoint, ACCOUNT, KEY, container]).args(args).output();
        let out = out.expect("node (Node.js) is needed to look into Azurite");
        assert!(out.status.success(), "azuretool {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// Every blob name under `prefix`.
    pub fn names(&self, container: &str, prefix: &str) -> Vec<String> {
        self.tool(container, &["list", prefix]).lines().map(str::to_string).collect()
    }

    pub fn get(&self, container: &str, name: &str) -> Vec<u8> {
        let file = tempfile::NamedTempFile::new().unwrap();
        self.tool(container, &["get", name, file.path().to_str().unwrap()]);
        std::fs::read(file.path()).unwrap()
    }

    pub fn put(&self, container: &str, name: &str, bytes: &[u8]) {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), bytes).unwrap();
        self.tool(container, &["put", name, file.path().to_str().unwrap()]);
    }

    /// Every blob under `prefix`: name → (`Content-Type` as served, bytes). One client run.
    pub fn dump(&self, container: &str, prefix: &str) -> std::collections::BTreeMap<String, (String, Vec<u8>)> {
        let dir = tempfile::tempdir().unwrap();
        let listing = self.tool(container, &["dump", prefix, dir.path().to_str().unwrap()]);
        listing
            .lines()
            .map(|line| {
                let (name, kind) = line.split_once('\t').unwrap();
                (name.to_string(), (kind.to_string(), std::fs::read(dir.path().join(name)).unwrap()))
            })
            .collect()
    }

    /// An account SAS token for blobs (read, write, delete, list, create; an hour), made by the tool.
    pub fn sas(&self) -> String {
        self.tool("unused", &["sas"]).trim().to_string()
    }

    /// Points a seedaudio command at this server (Shared Key).
    pub fn env<'a>(&self, cmd: &'a mut Command) -> &'a mut Command {
        cmd.env("AZURE_STORAGE_ENDPOINT", &self.endpoint)
            .env("AZURE_STORAGE_ACCOUNT", ACCOUNT)
            .env("AZURE_STORAGE_KEY", &self.key)
            .env_remove("AZURE_STORAGE_SAS_TOKEN")
    }
}

impl Drop for Azurite {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
