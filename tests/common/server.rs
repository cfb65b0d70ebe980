//! A small HTTP/1.1 server on 127.0.0.1 for tests: it records every request and answers
//! with what the test's handler says, including stalls and connections dropped mid-body.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path and query, e.g. `/v1/audio/speech?x=1`.
    pub target: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub at: Instant,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    pub fn query(&self, name: &str) -> Option<String> {
        let query = self.target.split_once('?')?.1;
        url::form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering.
    pub stall: Option<Duration>,
    /// Send only this many bytes of the body (with the full Content-Length), then close.
    pub cut_after: Option<usize>,
    /// After the body, keep sending this chunk (chunked encoding, no length) with this pause
    /// between chunks, until the client hangs up (or 256 MB or two minutes have gone).
    pub endless: Option<(Vec<u8>, Duration)>,
}

impl Reply {
    pub fn new(status: u16) -> Reply {
        Reply { status, headers: Vec::new(), body: Vec::new(), stall: None, cut_after: None, endless: None }
    }

    pub fn audio(content_type: &str, body: Vec<u8>) -> Reply {
        Reply::new(200).header("content-type", content_type).body(body)
    }

    pub fn json(status: u16, value: serde_json::Value) -> Reply {
        Reply::new(status).header("content-type", "application/json").body(value.to_string().into_bytes())
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn body(mut self, body: Vec<u8>) -> Reply {
        self.body = body;
        self
    }

    pub fn stalled(mut self, d: Duration) -> Reply {
        self.stall = Some(d);
        self
    }

    pub fn cut_after(mut self, n: usize) -> Reply {
        self.cut_after = Some(n);
        self
    }

    pub fn endless(mut self, chunk: Vec<u8>, pause: Duration) -> Reply {
        self.endless = Some((chunk, pause));
        self
    }
}

type Handler = dyn Fn(&Request, usize) -> Reply + Send + Sync;

pub struct Server {
    pub url: String,
    requests: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
    port: u16,
}

impl Server {
    /// Starts a server; `handler` gets each request and its 0-based number.
    pub fn start(handler: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        {
            let (requests, stop) = (requests.clone(), stop.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (requests, handler) = (requests.clone(), handler.clone());
                    std::thread::spawn(move || serve(stream, &requests, &*handler));
                }
            });
        }
        Server { url: format!("http://127.0.0.1:{port}"), requests, stop, port }
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve(stream: TcpStream, requests: &Mutex<Vec<Request>>, handler: &Handler) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    loop {
        let Some(request) = read_request(&mut reader) else { return };
        let number = {
            let mut all = requests.lock().unwrap();
            all.push(request.clone());
            all.len() - 1
        };
        let reply = handler(&request, number);
        if let Some(d) = reply.stall {
            std::thread::sleep(d);
        }
        if let Some((chunk, pause)) = &reply.endless {
            send_endless(&mut writer, &reply, chunk, *pause);
            return;
        }
        let mut head = format!("HTTP/1.1 {} X\r\ncontent-length: {}\r\n", reply.status, reply.body.len());
        for (n, v) in &reply.headers {
            head.push_str(&format!("{n}: {v}\r\n"));
        }
        head.push_str("\r\n");
        if writer.write_all(head.as_bytes()).is_err() {
            return;
        }
        let send = reply.cut_after.unwrap_or(reply.body.len()).min(reply.body.len());
        if writer.write_all(&reply.body[..send]).is_err() || writer.flush().is_err() {
            return;
        }
        if reply.cut_after.is_some() {
            let _ = writer.shutdown(std::net::Shutdown::Both);
            return;
        }
    }
}

/// A chunked response that does not end: the body, then `chunk` again and again.
fn send_endless(writer: &mut TcpStream, reply: &Reply, chunk: &[u8], pause: Duration) {
    let mut head = format!("HTTP/1.1 {} X\r\ntransfer-encoding: chunked\r\n", reply.status);
    for (n, v) in &reply.headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let started = Instant::now();
    let piece = |writer: &mut TcpStream, bytes: &[u8]| -> bool {
        let framed = [format!("{:x}\r\n", bytes.len()).as_bytes(), bytes, b"\r\n"].concat();
        writer.write_all(&framed).and_then(|()| writer.flush()).is_ok()
    };
    if writer.write_all(head.as_bytes()).is_err() || (!reply.body.is_empty() && !piece(writer, &reply.body)) {
        return;
    }
    let mut sent = reply.body.len();
    while piece(writer, chunk) && sent < 256 << 20 && started.elapsed() < Duration::from_secs(120) {
        sent += chunk.len();
        std::thread::sleep(pause);
    }
    let _ = writer.shutdown(std::net::Shutdown::Both);
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (n, v) = h.split_once(':')?;
        headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
    }
    let len: usize = headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    Some(Request { method, target, headers, body, at: Instant::now() })
}
