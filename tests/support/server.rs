//! Running the real `logis serve` from end-to-end tests, and talking to it
//! over real HTTP: a plain HTTP/1.1 client on a TCP socket, enough for GET
//! requests and chunked answers, so the tests see the bytes a browser sees.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

use serde_json::Value;
use tempfile::TempDir;

use super::binary::{logis, seeds, Succeeds};

/// An index of the seeds and of the serve fixtures (pages with markup and
/// characters outside the BMP), in a folder of its own.
pub fn seeded_index() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let index = dir.path().join("index");
    logis()
        .arg("--index")
        .arg(&index)
        .args(["index", "-q"])
        .arg(seeds())
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/serve"))
        .succeeds();
    (dir, index)
}

/// A `logis serve` process on an ephemeral port, stopped when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub address: String,
}

impl Server {
    /// Serves the index at `index` (which may not exist yet).
    pub fn start(index: &Path) -> Server {
        Server::start_with(index, &[])
    }

    /// Serves with extra `serve` options.
    pub fn start_with(index: &Path, options: &[&str]) -> Server {
        let mut child = logis()
            .arg("--index")
            .arg(index)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(options)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("logis serve starts");
        let stdout = child.stdout.take().expect("its standard output");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("it prints its address");
        let address = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no address in `{line}`"))
            .to_string();
        Server { child, address }
    }

    /// Asks the server to stop (SIGTERM), and waits for its exit status.
    #[cfg(unix)]
    pub fn terminate(mut self) -> std::process::ExitStatus {
        std::process::Command::new("kill")
            .arg(self.child.id().to_string())
            .status()
            .expect("kill runs");
        self.child.wait().expect("the server exits")
    }

    /// Sends a raw request and reads the whole answer.
    pub fn raw(&self, request: &str) -> Response {
        let mut stream = TcpStream::connect(&self.address).expect("connects");
        stream.write_all(request.as_bytes()).expect("sends");
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).expect("reads the answer");
        Response::parse(&bytes)
    }

    /// `GET path`.
    pub fn get(&self, path: &str) -> Response {
        self.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        ))
    }

    /// `GET path`, which must answer 200 with JSON.
    pub fn json(&self, path: &str) -> Value {
        let response = self.get(path);
        assert_eq!(response.status, 200, "GET {path}: {}", response.text());
        response.json()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer.
pub struct Response {
    /// Its status code.
    pub status: u16,
    /// Its headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// Its body, chunks joined.
    pub body: Vec<u8>,
}

impl Response {
    fn parse(bytes: &[u8]) -> Response {
        let end = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a complete head");
        let head = String::from_utf8_lossy(&bytes[..end]);
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .expect("a status line");
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = bytes[end + 4..].to_vec();
        let chunked = headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
        if chunked {
            body = unchunk(&body);
        }
        Response {
            status,
            headers,
            body,
        }
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// The `error.code` of a JSON error answer.
    pub fn error_code(&self) -> String {
        let json = self.json();
        assert!(
            json["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "an error message: {json}"
        );
        json["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

fn unchunk(mut bytes: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let Some(line_end) = bytes.windows(2).position(|w| w == b"\r\n") else {
            return body;
        };
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&bytes[..line_end])
                .split(';')
                .next()
                .unwrap_or("0")
                .trim(),
            16,
        )
        .expect("a chunk size");
        if size == 0 {
            return body;
        }
        let start = line_end + 2;
        body.extend_from_slice(&bytes[start..start + size]);
        bytes = &bytes[start + size + 2..];
    }
}
