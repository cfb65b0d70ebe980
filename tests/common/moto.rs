//! moto's S3 server on 127.0.0.1, one per test (so a test can stop it mid-build), and an
//! independent S3 client (boto3, `tests/s3tool.py`) to look into its buckets.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// moto's credentials: any will do, these are what the tests look for in the bucket.
pub const ACCESS_KEY_ID: &str = "moto-access-key-id";
pub const SECRET_ACCESS_KEY: &str = "moto-secret-access-key-0123456789";

/// `moto_server`: `$MOTO_SERVER`, else the one in `$MOTO_VENV` (default `/tmp/seedaudio-moto-venv`).
/// For tests marked `#[ignore = "needs moto_server: …"]`: missing, it fails them with how to get it.
pub fn moto_server() -> PathBuf {
    let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    let server = env("MOTO_SERVER").unwrap_or_else(|| {
        env("MOTO_VENV").unwrap_or_else(|| PathBuf::from("/tmp/seedaudio-moto-venv")).join("bin/moto_server")
    });
    assert!(
        server.is_file(),
        "moto_server is not at {} (run scripts/start-moto --setup, or set MOTO_SERVER); this test needs it",
        server.display()
    );
    server
}

pub struct Moto {
    child: Child,
    /// The server's request log (werkzeug's: one line per request with its status).
    log: tempfile::NamedTempFile,
    pub url: String,
    python: PathBuf,
    /// The credentials seedaudio and the look-ups use.
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl Moto {
    /// Starts a server and creates `bucket` in it. moto takes any credentials.
    pub fn start(bucket: &str) -> Moto {
        Moto::launch(bucket, false)
    }

    /// Like [`Moto::start`], but the server checks every request's SigV4 signature against the
    /// secret of an IAM user made for the test (`mkuser`, the three requests moto lets through
    /// unsigned), which the moto then holds in `access_key_id` and `secret_access_key`.
    pub fn start_checking_signatures(bucket: &str) -> Moto {
        Moto::launch(bucket, true)
    }

    fn launch(bucket: &str, check: bool) -> Moto {
        let server = moto_server();
        let python = server.parent().unwrap().join("python");
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let log = tempfile::NamedTempFile::new().unwrap();
        let mut command = Command::new(&server);
        if check {
            command.env("INITIAL_NO_AUTH_ACTION_COUNT", "3");
        }
        let child = command
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log.reopen().unwrap())
            .spawn()
            .unwrap();
        let mut moto = Moto {
            child,
            log,
            url: format!("http://127.0.0.1:{port}"),
            python,
            access_key_id: ACCESS_KEY_ID.into(),
            secret_access_key: SECRET_ACCESS_KEY.into(),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "moto_server did not start on port {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
        if check {
            let user = moto.tool(bucket, &["mkuser"]);
            let (id, secret) = user.trim().split_once(' ').expect("mkuser prints id and secret");
            (moto.access_key_id, moto.secret_access_key) = (id.to_string(), secret.to_string());
        }
        moto.tool(bucket, &["mkbucket"]);
        moto
    }

    /// Runs `tests/s3tool.py` against `bucket`; its stdout.
    pub fn tool(&self, bucket: &str, args: &[&str]) -> String {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/s3tool.py");
        let out = Command::new(&self.python)
            .arg(script)
            .args([self.url.as_str(), bucket])
            .args(args)
            .env("AWS_ACCESS_KEY_ID", &self.access_key_id)
            .env("AWS_SECRET_ACCESS_KEY", &self.secret_access_key)
            .output()
            .unwrap();
        assert!(out.status.success(), "s3tool {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// Every key under `prefix`.
    pub fn keys(&self, bucket: &str, prefix: &str) -> Vec<String> {
        self.tool(bucket, &["list", prefix]).lines().map(str::to_string).collect()
    }

    pub fn get(&self, bucket: &str, key: &str) -> Vec<u8> {
        let file = tempfile::NamedTempFile::new().unwrap();
        self.tool(bucket, &["get", key, file.path().to_str().unwrap()]);
        std::fs::read(file.path()).unwrap()
    }

    /// Every object under `prefix`: key → (`Content-Type` as served, bytes). One client run.
    pub fn dump(&self, bucket: &str, prefix: &str) -> std::collections::BTreeMap<String, (String, Vec<u8>)> {
        let dir = tempfile::tempdir().unwrap();
        let listing = self.tool(bucket, &["dump", prefix, dir.path().to_str().unwrap()]);
        listing
            .lines()
            .map(|line| {
                let (key, kind) = line.split_once('\t').unwrap();
                (key.to_string(), (kind.to_string(), std::fs::read(dir.path().join(key)).unwrap()))
            })
            .collect()
    }

    pub fn put(&self, bucket: &str, key: &str, bytes: &[u8]) {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), bytes).unwrap();
        self.tool(bucket, &["put", key, file.path().to_str().unwrap()]);
    }

    /// The status of every PUT of an object under `path` (`/bucket/key…`), as the server logged them.
    pub fn puts(&self, path: &str) -> Vec<(String, u16)> {
        let log = std::fs::read_to_string(self.log.path()).unwrap();
        log.lines()
            .filter_map(|line| {
                let request = line.split('"').nth(1)?;
                // Refusals are logged in colour: the method follows escape codes.
                let target = request.split_once("PUT ")?.1.split(' ').next()?;
                let status = line.split('"').nth(2)?.split_whitespace().next()?.parse().ok()?;
                target.starts_with(path).then(|| (target.to_string(), status))
            })
            .collect()
    }

    /// Points a seedaudio command at this server.
    pub fn env<'a>(&self, cmd: &'a mut Command) -> &'a mut Command {
        cmd.env("AWS_ENDPOINT_URL", &self.url)
            .env("AWS_ACCESS_KEY_ID", &self.access_key_id)
            .env("AWS_SECRET_ACCESS_KEY", &self.secret_access_key)
            .env("AWS_REGION", "us-east-1")
            .env_remove("AWS_ENDPOINT_URL_S3")
            .env_remove("AWS_SESSION_TOKEN")
    }

    /// Stops the server (its buckets are in memory: they go with it).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        self.stop();
    }
}
