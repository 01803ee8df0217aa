//! The local OpenRouter stand-in (tests/mock-openrouter) for the transport and governed-call
//! tests: started on a free loopback port, scripted through its control API, stopped on drop.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

pub struct Mock {
    child: Child,
    /// `http://127.0.0.1:PORT` (the API is under `/api/v1`, the control API under `/_mock`).
    pub url: String,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start() -> Mock {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/mock-openrouter/server.py"
    );
    let mut child = Command::new("python3")
        .args([script, "--port", "0", "--idle-exit", "120"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs the stand-in");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening ")
        .unwrap_or_else(|| panic!("unexpected first line: {line}"))
        .to_string();
    Mock { child, url }
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

impl Mock {
    pub fn base_url(&self) -> String {
        format!("{}/api/v1", self.url)
    }

    /// POSTs `body` to `/_mock/PATH` (`script`, `reset`, `generation-delay`...).
    pub async fn control(&self, path: &str, body: Value) -> Value {
        let response = reqwest::Client::new()
            .post(format!("{}/_mock/{path}", self.url))
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        serde_json::from_slice(&response.bytes().await.unwrap()).unwrap_or(Value::Null)
    }

    /// The API requests the stand-in received, oldest first.
    pub async fn requests(&self) -> Value {
        let response = reqwest::Client::new()
            .get(format!("{}/_mock/requests", self.url))
            .send()
            .await
            .unwrap();
        serde_json::from_slice(&response.bytes().await.unwrap()).unwrap()
    }
}
