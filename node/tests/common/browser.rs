//! Headless Chromium driven over the DevTools protocol (CDP), for tests of the web explorer:
//! open a page, evaluate JavaScript in it, wait for a condition, take a screenshot, and collect
//! every console error and uncaught exception the page produced.
//!
//! The browser is Debian's `chromium` (installed by `scripts/setup.sh`; `MYELIN_CHROMIUM`
//! overrides the binary), started with its own profile directory and a DevTools port the
//! kernel picks; the test talks to the page's WebSocket endpoint with `soketto`.

use std::{
	io::{BufRead, BufReader, Read, Write},
	path::Path,
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

use base64::Engine;
use serde_json::{json, Value};
use tokio_util::compat::{Compat, TokioAsyncReadCompatExt};

type Socket = Compat<tokio::net::TcpStream>;

/// A headless Chromium with one page under the test's control.
pub struct Browser {
	child: Child,
	_profile: tempfile::TempDir,
	sender: soketto::connection::Sender<Socket>,
	receiver: soketto::connection::Receiver<Socket>,
	next_id: u64,
	/// Problems the page reported: console errors, uncaught exceptions, failed loads.
	errors: Vec<String>,
}

impl Browser {
	/// Starts Chromium on `about:blank` and attaches to its page, with console, log and page
	/// events on.
	pub async fn launch() -> Browser {
		let binary = std::env::var("MYELIN_CHROMIUM").unwrap_or_else(|_| "chromium".into());
		let profile = tempfile::tempdir().unwrap();
		let mut child = Command::new(&binary)
			.args([
				"--headless",
				"--no-sandbox",
				"--disable-gpu",
				"--disable-dev-shm-usage",
				"--no-first-run",
				"--no-default-browser-check",
				"--disable-extensions",
				"--disable-background-networking",
				"--disable-component-update",
				"--disable-sync",
				"--remote-debugging-address=127.0.0.1",
				"--remote-debugging-port=0",
				"--window-size=1280,900",
			])
			.arg(format!("--user-data-dir={}", profile.path().display()))
			.arg("about:blank")
			.stdout(Stdio::null())
			.stderr(Stdio::piped())
			.spawn()
			.unwrap_or_else(|e| {
				panic!("cannot start {binary} ({e}); scripts/setup.sh installs Debian's chromium")
			});
		// Chromium prints `DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID`.
		let stderr = child.stderr.take().unwrap();
		let (found, lines) = std::sync::mpsc::channel();
		std::thread::spawn(move || {
			let mut found = Some(found);
			for line in BufReader::new(stderr).lines().map_while(Result::ok) {
				if let Some(rest) = line.strip_prefix("DevTools listening on ws://") {
					if let Some(tx) = found.take() {
						let _ = tx.send(rest.split('/').next().unwrap_or_default().to_string());
					}
				}
			}
		});
		let host = lines
			.recv_timeout(Duration::from_secs(60))
			.expect("Chromium announced its DevTools endpoint");
		let targets: Value = serde_json::from_str(&http_get(&host, "/json/list")).unwrap();
		let page = targets
			.as_array()
			.and_then(|all| all.iter().find(|t| t["type"] == "page"))
			.expect("Chromium has a page");
		let url = page["webSocketDebuggerUrl"].as_str().unwrap();
		let path = url.split_once(host.as_str()).map(|(_, path)| path).unwrap().to_string();
		let stream = tokio::net::TcpStream::connect(&host).await.unwrap();
		let mut client = soketto::handshake::Client::new(stream.compat(), &host, &path);
		match client.handshake().await.unwrap() {
			soketto::handshake::ServerResponse::Accepted { .. } => {}
			other => panic!("DevTools refused the connection: {other:?}"),
		}
		let mut builder = client.into_builder();
		builder.set_max_message_size(256 * 1024 * 1024);
		builder.set_max_frame_size(256 * 1024 * 1024);
		let (sender, receiver) = builder.finish();
		let mut browser =
			Browser { child, _profile: profile, sender, receiver, next_id: 1, errors: Vec::new() };
		for domain in ["Runtime.enable", "Log.enable", "Page.enable"] {
			browser.send(domain, json!({})).await;
		}
		browser
	}

	/// Sends a CDP command and returns its result, recording the events that arrive meanwhile.
	pub async fn send(&mut self, method: &str, params: Value) -> Value {
		let id = self.next_id;
		self.next_id += 1;
		let message = json!({ "id": id, "method": method, "params": params }).to_string();
		self.sender.send_text(message).await.unwrap();
		self.sender.flush().await.unwrap();
		loop {
			let mut data = Vec::new();
			tokio::time::timeout(Duration::from_secs(60), self.receiver.receive_data(&mut data))
				.await
				.unwrap_or_else(|_| panic!("no answer to {method}"))
				.unwrap();
			let message: Value = serde_json::from_slice(&data).unwrap();
			if message["id"] == id {
				if let Some(error) = message.get("error") {
					panic!("{method} failed: {error}");
				}
				return message["result"].clone();
			}
			self.record(&message);
		}
	}

	fn record(&mut self, event: &Value) {
		let params = &event["params"];
		match event["method"].as_str() {
			Some("Runtime.consoleAPICalled")
				if matches!(params["type"].as_str(), Some("error" | "assert")) =>
			{
				let text: Vec<String> = params["args"]
					.as_array()
					.map(|args| {
						args.iter()
							.map(|a| {
								a["value"].as_str().map_or_else(|| a.to_string(), String::from)
							})
							.collect()
					})
					.unwrap_or_default();
				self.errors.push(format!("console.error: {}", text.join(" ")));
			}
			Some("Runtime.exceptionThrown") => {
				let details = &params["exceptionDetails"];
				self.errors.push(format!(
					"uncaught: {} {}",
					details["text"],
					details["exception"]["description"].as_str().unwrap_or_default()
				));
			}
			Some("Log.entryAdded") if params["entry"]["level"] == "error" => {
				let entry = &params["entry"];
				self.errors.push(format!("log: {} {}", entry["text"], entry["url"]));
			}
			_ => {}
		}
	}

	/// Everything the page reported as an error so far.
	pub fn errors(&self) -> &[String] {
		&self.errors
	}

	/// Sets the viewport: `mobile` emulates a phone (touch, its width as the layout width).
	pub async fn viewport(&mut self, width: u32, height: u32, mobile: bool) {
		let params = json!({
			"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile,
		});
		self.send("Emulation.setDeviceMetricsOverride", params).await;
	}

	/// Loads `url`.
	pub async fn navigate(&mut self, url: &str) {
		self.send("Page.navigate", json!({ "url": url })).await;
	}

	/// The value of `expression` in the page (promises awaited); panics on an exception.
	pub async fn eval(&mut self, expression: &str) -> Value {
		let result = self
			.send(
				"Runtime.evaluate",
				json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
			)
			.await;
		if let Some(details) = result.get("exceptionDetails") {
			panic!("{expression} threw: {details}");
		}
		result["result"]["value"].clone()
	}

	/// Polls `expression` until it is truthy; panics after `timeout` with what the page shows
	/// and the errors it reported.
	pub async fn wait_for(&mut self, what: &str, expression: &str, timeout: Duration) {
		let deadline = Instant::now() + timeout;
		loop {
			let value = self.eval(&format!("(() => {{ try {{ return !!({expression}); }} catch (_) {{ return false; }} }})()")).await;
			if value == Value::Bool(true) {
				return;
			}
			if Instant::now() > deadline {
				let text = self.eval("document.body ? document.body.innerText : ''").await;
				panic!(
					"timed out waiting for {what}; the page shows:\n{}\nerrors: {:?}",
					text.as_str().unwrap_or_default(),
					self.errors
				);
			}
			tokio::time::sleep(Duration::from_millis(250)).await;
		}
	}

	/// Writes a PNG of the whole page (beyond the viewport) to `path`.
	pub async fn screenshot(&mut self, path: &Path) {
		let metrics = self.send("Page.getLayoutMetrics", json!({})).await;
		let size = &metrics["cssContentSize"];
		let params = json!({
			"format": "png",
			"captureBeyondViewport": true,
			"clip": {
				"x": 0, "y": 0, "scale": 1,
				"width": size["width"].as_f64().unwrap_or(1280.0),
				"height": size["height"].as_f64().unwrap_or(900.0),
			},
		});
		let shot = self.send("Page.captureScreenshot", params).await;
		let png = base64::engine::general_purpose::STANDARD
			.decode(shot["data"].as_str().unwrap())
			.unwrap();
		assert!(png.starts_with(b"\x89PNG"), "a PNG");
		std::fs::write(path, png).unwrap();
	}
}

impl Drop for Browser {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

/// The body of `GET path` from `host`: HTTP/1.1, read by its `Content-Length` (DevTools keeps
/// the connection open).
fn http_get(host: &str, path: &str) -> String {
	let mut stream = std::net::TcpStream::connect(host).unwrap();
	stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
	write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n").unwrap();
	let mut reader = BufReader::new(stream);
	let mut length = 0usize;
	loop {
		let mut line = String::new();
		reader.read_line(&mut line).unwrap();
		let line = line.trim_end();
		if line.is_empty() {
			break;
		}
		if let Some((name, value)) = line.split_once(':') {
			if name.eq_ignore_ascii_case("content-length") {
				length = value.trim().parse().unwrap();
			}
		}
	}
	let mut body = vec![0; length];
	reader.read_exact(&mut body).unwrap();
	String::from_utf8(body).unwrap()
}
