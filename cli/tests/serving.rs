//! Serving, end to end: `scripts/serve.sh --tiny --cheat` starts the dev chain's authority as a
//! validator and gateway and three miner nodes serving the embeddings API (the third,
//! `cheat-organic`, answers every other API request with noise), audits at rate 1. Then:
//! 1. the unmodified openai Python SDK gets embeddings equal to the local engine's (cosine ≥
//!    0.9999) with usage filled;
//! 2. receipts of all three miners verify with `myelin receipt verify`; a tampered output, a
//!    swapped model, a wrong signer and the cheat's noise are rejected;
//! 3. failover: 1,000 requests with one miner stopped (`kill -STOP`) for most of them: ≥ 99%
//!    succeed, and the stopped miner costs at most one timeout per backoff window;
//! 4. audits: the cheating miner's incentive falls below 5% of an honest miner's within
//!    [`EPOCHS_AFTER_CAUGHT`] epochs of its first failed audit;
//! 5. a canary input appears in no node's files or logs.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

#[path = "../../node/tests/common/mod.rs"]
mod common;

use std::{
	collections::HashMap,
	io::{BufRead, BufReader, Read, Write},
	net::{SocketAddr, TcpStream},
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

use codec::{Decode, Encode};
use myelin_inference_engine::{api, Embedder};
use myelin_primitives::receipt::{input_hash, output_hash, Receipt, SignedReceipt};
use serde_json::{json, Value};
use sp_core::{sr25519, Pair};

/// Epochs of the demo subnet (tempo 10) within which a caught cheat's incentive falls below 5%.
const EPOCHS_AFTER_CAUGHT: u32 = 4;

/// The running network; stops it (SIGTERM, so the script stops its nodes) when dropped.
struct Network {
	child: Child,
	lines: HashMap<String, String>,
}

impl Drop for Network {
	fn drop(&mut self) {
		let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
		let _ = self.child.wait();
	}
}

impl Network {
	fn start(dir: &Path) -> Network {
		let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
		let mut child = Command::new("bash")
			.arg(root.join("scripts/serve.sh"))
			.args(["--tiny", "--cheat"])
			.env("MYELIN_BUILD", "0")
			.env("MYELIN_NODE", common::node_bin())
			.env("MYELIN_CLI", env!("CARGO_BIN_EXE_myelin"))
			.env("MYELIN_SERVE_DIR", dir)
			.env("MYELIN_AUDIT_RATE", "1")
			.env("MYELIN_GATEWAY_RATE", "5000")
			.env("MYELIN_GATEWAY_TIMEOUT_MS", "1000")
			.stdout(Stdio::piped())
			.stderr(std::fs::File::create(dir.with_extension("serve.err")).unwrap())
			.spawn()
			.expect("bash runs");
		let stdout = BufReader::new(child.stdout.take().unwrap());
		let (tx, rx) = std::sync::mpsc::channel();
		std::thread::spawn(move || {
			for line in stdout.lines().map_while(Result::ok) {
				if tx.send(line).is_err() {
					break;
				}
			}
		});
		let mut lines = HashMap::new();
		let deadline = Instant::now() + Duration::from_secs(420);
		while !lines.contains_key("pids") {
			let left = deadline.saturating_duration_since(Instant::now());
			let line = rx.recv_timeout(left).unwrap_or_else(|_| {
				let err = std::fs::read_to_string(dir.with_extension("serve.err")).unwrap();
				panic!("serve.sh did not come up:\n{err}")
			});
			if let Some((key, value)) = line.split_once(": ") {
				lines.insert(key.to_string(), value.to_string());
			}
		}
		Network { child, lines }
	}

	fn gateway(&self) -> SocketAddr {
		let url = &self.lines["gateway"];
		url.trim_start_matches("http://").trim_end_matches("/v1").parse().unwrap()
	}

	/// (role, address, API address) of each miner.
	fn miners(&self) -> Vec<(String, String, SocketAddr)> {
		self.lines["miners"]
			.split(' ')
			.map(|m| {
				let (role, rest) = m.split_once('=').unwrap();
				let (address, api) = rest.split_once('@').unwrap();
				(role.to_string(), address.to_string(), api.parse().unwrap())
			})
			.collect()
	}

	fn pid(&self, index: usize) -> String {
		self.lines["pids"].split(' ').nth(index).unwrap().to_string()
	}

	fn models(&self) -> PathBuf {
		PathBuf::from(&self.lines["models"])
	}
}

/// One HTTP/1.1 request; (status, body).
fn http(addr: SocketAddr, method: &str, path: &str, body: Option<&Value>) -> (u16, String) {
	let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).unwrap();
	stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
	let body = body.map(Value::to_string).unwrap_or_default();
	write!(
		stream,
		"{method} {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n\
		 content-length: {}\r\nconnection: close\r\n\r\n{body}",
		body.len()
	)
	.unwrap();
	let mut response = String::new();
	stream.read_to_string(&mut response).unwrap();
	let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
	let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
	(status, body)
}

fn embed(addr: SocketAddr, model: &str, inputs: &[&str]) -> (u16, Value) {
	let (status, body) = http(
		addr,
		"POST",
		"/v1/embeddings",
		Some(&json!({ "model": model, "input": inputs, "encoding_format": "float" })),
	);
	(status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

fn cosine(a: &[f32], b: &[f32]) -> f64 {
	let dot: f64 = a.iter().zip(b).map(|(x, y)| f64::from(*x) * f64::from(*y)).sum();
	let na: f64 = a.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
	let nb: f64 = b.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
	dot / (na * nb)
}

/// Whether `vectors` are the local engine's embeddings of `inputs` (every cosine ≥ 0.9999).
fn genuine(engine: &Embedder, inputs: &[&str], vectors: &[Vec<f32>]) -> bool {
	let texts: Vec<String> = inputs.iter().map(|s| s.to_string()).collect();
	let reference = engine.embed(&texts).unwrap();
	vectors.len() == reference.len()
		&& vectors.iter().zip(&reference).all(|(v, r)| cosine(v, r) >= 0.9999)
}

/// Runs `myelin receipt verify` on `{input, response}`; (success, last stderr line).
fn verify(
	dir: &Path,
	name: &str,
	net: &Network,
	inputs: &[&str],
	response: &Value,
) -> (bool, String) {
	let file = dir.join(format!("{name}.json"));
	std::fs::write(&file, json!({ "input": inputs, "response": response }).to_string()).unwrap();
	let url = &net.lines["validator-rpc"];
	let output = Command::new(env!("CARGO_BIN_EXE_myelin"))
		.args(["--url", url, "receipt", "verify"])
		.arg(&file)
		.arg("--model-dir")
		.arg(net.models())
		.output()
		.unwrap();
	let stderr = String::from_utf8_lossy(&output.stderr).lines().last().unwrap_or("").to_string();
	(output.status.success(), stderr)
}

/// `response` with its receipt replaced by `signed`.
fn with_receipt(response: &Value, signed: &SignedReceipt) -> Value {
	let mut changed = response.clone();
	changed["receipt"] = api::receipt_json(signed);
	changed
}

fn metric(body: &str, name: &str, labels: &[&str]) -> f64 {
	body.lines()
		.filter(|l| l.starts_with(name) && labels.iter().all(|label| l.contains(label)))
		.filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
		.sum()
}

fn subnet(net: &Network) -> Value {
	let output = Command::new(env!("CARGO_BIN_EXE_myelin"))
		.args(["--url", &net.lines["validator-rpc"], "subnet", "show", "--netuid", "1", "--json"])
		.output()
		.unwrap();
	serde_json::from_slice(&output.stdout).unwrap_or(Value::Null)
}

#[test]
fn gateway_serves_openai_clients_fails_over_verifies_receipts_and_audits_miners() {
	let temp = tempfile::tempdir().unwrap();
	let dir = temp.path().join("net");
	let net = Network::start(&dir);
	let gateway = net.gateway();
	let miners = net.miners();
	let cheat = miners[2].1.clone();
	let engine = Embedder::load(&net.models().join("tiny")).unwrap();
	let model = hex::encode(engine.id());

	// 1. The openai SDK, unmodified, against the gateway.
	let python = std::env::var("MYELIN_PYENV")
		.map(PathBuf::from)
		.unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap()).join(".cache/myelin-py"))
		.join("bin/python");
	let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
	let texts = ["a cat sat on the mat", "the dog ran home"];
	let mut honest_answers = 0;
	for _ in 0..5 {
		let output = Command::new(&python)
			.arg(root.join("scripts/openai-embeddings.py"))
			.arg(format!("http://{gateway}/v1"))
			.arg("tiny")
			.args(texts)
			.output()
			.expect("the openai SDK's virtualenv (scripts/setup.sh)");
		assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
		let report: Value = serde_json::from_slice(&output.stdout).unwrap();
		assert!(report["models"].as_array().unwrap().contains(&json!("tiny")), "{report}");
		for answer in report["answers"].as_array().unwrap() {
			assert_eq!(answer["model"], "tiny");
			assert!(answer["usage"]["prompt_tokens"].as_u64().unwrap() > 0, "{answer}");
			assert_eq!(answer["usage"]["total_tokens"], answer["usage"]["prompt_tokens"]);
			let vectors: Vec<Vec<f32>> = serde_json::from_value(answer["vectors"].clone()).unwrap();
			let miner = answer["miner"].as_str().unwrap();
			if genuine(&engine, &texts, &vectors) {
				honest_answers += 1;
			} else {
				assert_eq!(miner, cheat, "only the cheating miner answers wrongly");
			}
		}
		if honest_answers >= 2 {
			break;
		}
	}
	assert!(honest_answers >= 2, "the SDK got the engine's vectors");

	// 2. Receipts: a genuine answer of each miner verifies (the cheat answers honestly every
	//    other time); tampering, a swapped model, a wrong signer and noise do not.
	let vdir = temp.path().join("receipts");
	std::fs::create_dir_all(&vdir).unwrap();
	let inputs = ["receipts prove who answered what"];
	let mut genuine_of = HashMap::new();
	let mut noise = None;
	for (role, address, api_addr) in &miners {
		for _ in 0..4 {
			let (status, response) = embed(*api_addr, &model, &inputs);
			assert_eq!(status, 200, "{response}");
			assert_eq!(response["receipt"]["miner"], json!(address));
			let vectors = api::decode_vectors(&response).unwrap();
			if genuine(&engine, &inputs, &vectors) {
				genuine_of.entry(role.clone()).or_insert(response);
			} else {
				noise = Some(response);
			}
			if genuine_of.contains_key(role) && (address != &cheat || noise.is_some()) {
				break;
			}
		}
		let response = &genuine_of[role];
		let (ok, reason) = verify(&vdir, role, &net, &inputs, response);
		assert!(ok, "{role}'s genuine receipt: {reason}");
	}
	let (ok, reason) = verify(&vdir, "noise", &net, &inputs, &noise.expect("the cheat's noise"));
	assert!(!ok && reason.contains("wrong answer"), "{reason}");

	let genuine_a = &genuine_of["miner-a"];
	let mut tampered = genuine_a.clone();
	let first = tampered["data"][0]["embedding"][0].as_f64().unwrap();
	tampered["data"][0]["embedding"][0] = json!(first + 0.25);
	let (ok, reason) = verify(&vdir, "tampered", &net, &inputs, &tampered);
	assert!(!ok && reason.contains("does not cover"), "{reason}");

	let signed = api::receipt_of(genuine_a).unwrap();
	let mut wrong_signer = signed.clone();
	wrong_signer.receipt.miner = sr25519::Pair::from_seed(&[9; 32]).public().into();
	let (ok, reason) =
		verify(&vdir, "signer", &net, &inputs, &with_receipt(genuine_a, &wrong_signer));
	assert!(!ok && reason.contains("forged"), "{reason}");

	// Swapped model: a registered miner receipts another model's outputs as the subnet's model,
	// or as what they are; and a key no subnet knows signs a genuine-looking receipt.
	let variant_dir = temp.path().join("variant");
	myelin_inference_engine::testing::write_tiny_model_seeded(&variant_dir, 7).unwrap();
	let variant = Embedder::load(&variant_dir).unwrap();
	let texts: Vec<String> = inputs.iter().map(|s| s.to_string()).collect();
	let outputs = variant.embed(&texts).unwrap();
	let quantized: Vec<Vec<i8>> =
		outputs.iter().map(|v| myelin_inference_engine::quantize(v)).collect();
	let registered = sr25519::Pair::from_string("//Serve-miner-a", None).unwrap();
	let stranger = sr25519::Pair::from_seed(&[5; 32]);
	for (name, swapper, claimed, needle) in [
		("swapped", &registered, engine.id(), "wrong answer"),
		("other-model", &registered, variant.id(), "swapped model"),
		("stranger", &stranger, engine.id(), "unknown signer"),
	] {
		let receipt = Receipt {
			model: claimed,
			input_hash: input_hash(&texts),
			output_hash: output_hash(&quantized),
			miner: swapper.public().into(),
			netuid: 1,
			block: 1,
			request_id: [3; 16],
		};
		let signature = swapper.sign(&receipt.signing_payload()).0;
		let body = json!({
			"data": [{ "index": 0, "embedding": outputs[0] }],
			"receipt": api::receipt_json(&SignedReceipt { receipt, signature }),
		});
		let (ok, reason) = verify(&vdir, name, &net, &inputs, &body);
		assert!(!ok && reason.contains(needle), "{name}: {reason}");
	}
	// The SCALE form round-trips (what `receipt_of` reads).
	assert_eq!(SignedReceipt::decode(&mut &signed.encode()[..]).unwrap(), signed);

	// 5 (sent now, checked at the end). A canary goes through the gateway and a miner.
	let canary = format!("myelin-canary-{}", hex::encode(rand::random::<[u8; 8]>()));
	assert_eq!(embed(gateway, "tiny", &[canary.as_str()]).0, 200);
	assert_eq!(embed(miners[0].2, &model, &[canary.as_str()]).0, 200);

	// 3. Failover: miner-b stops for most of 1,000 requests.
	let stopped_pid = net.pid(2);
	let stopped = miners[1].1.clone();
	let mut ok = 0u32;
	let mut stop_started = None;
	for i in 0..1000 {
		if i == 100 {
			assert!(Command::new("kill").args(["-STOP", &stopped_pid]).status().unwrap().success());
			stop_started = Some(Instant::now());
		}
		let text = format!("request number {i}");
		if embed(gateway, "tiny", &[text.as_str()]).0 == 200 {
			ok += 1;
		}
	}
	let stopped_for = stop_started.unwrap().elapsed();
	assert!(Command::new("kill").args(["-CONT", &stopped_pid]).status().unwrap().success());
	assert!(ok >= 990, "{ok} of 1000 succeeded");
	let prometheus: SocketAddr = net.lines["prometheus"]
		.trim_start_matches("http://")
		.trim_end_matches("/metrics")
		.parse()
		.unwrap();
	let metrics = http(prometheus, "GET", "/metrics", None).1;
	let timeouts = metric(
		&metrics,
		"myelin_gateway_miner_failures_total",
		&[&format!("miner=\"{stopped}\""), "reason=\"timeout\""],
	);
	// Pauses of 1, 2, 4, … s: the windows that began within the stop, one timeout each.
	let mut windows = 0u32;
	let mut elapsed = 0.0;
	while elapsed <= stopped_for.as_secs_f64() {
		windows += 1;
		elapsed += 2f64.powi(windows as i32 - 1) + 1.0;
	}
	println!("failover: {ok}/1000 ok, {timeouts} timeouts in {stopped_for:?} ({windows} windows)");
	assert!(timeouts >= 1.0, "the stopped miner was tried");
	assert!(timeouts <= f64::from(windows), "{timeouts} timeouts > {windows} windows");

	// 4. Audits: every relayed answer is audited; the cheat's noise fails, its score drops to
	//    0 and its incentive below 5% of an honest miner's.
	let failed_audits = |m: &str| {
		metric(
			m,
			"myelin_gateway_miner_audits_total",
			&[&format!("miner=\"{cheat}\""), "result=\"fail\""],
		)
	};
	let deadline = Instant::now() + Duration::from_secs(120);
	while failed_audits(&http(prometheus, "GET", "/metrics", None).1) < 1.0 {
		assert!(Instant::now() < deadline, "no failed audit of the cheat");
		std::thread::sleep(Duration::from_secs(2));
	}
	let caught_at = subnet(&net)["block"].as_u64().unwrap();
	let passed = metric(
		&http(prometheus, "GET", "/metrics", None).1,
		"myelin_gateway_miner_audits_total",
		&["result=\"pass\""],
	);
	assert!(passed >= 1.0, "honest answers pass their audits");
	let deadline = Instant::now() + Duration::from_secs(60 * u64::from(EPOCHS_AFTER_CAUGHT) + 60);
	loop {
		let graph = subnet(&net);
		let hotkeys: Vec<String> =
			serde_json::from_value(graph["hotkeys"].clone()).unwrap_or_default();
		let incentive = |address: &str| -> f64 {
			hotkeys
				.iter()
				.position(|h| h == address)
				.and_then(|uid| {
					graph["incentive"][uid]
						.as_f64()
						.or_else(|| graph["incentive"][uid].as_str()?.parse().ok())
				})
				.unwrap_or(0.0)
		};
		let honest = incentive(&miners[0].1).max(incentive(&miners[1].1));
		let cheat_incentive = incentive(&cheat);
		let block = graph["block"].as_u64().unwrap_or(0);
		let epochs = (block.saturating_sub(caught_at) / 10) as u32;
		println!("audits: block {block}, honest {honest:.4}, cheat {cheat_incentive:.4}");
		if honest > 0.0 && cheat_incentive < 0.05 * honest {
			assert!(epochs <= EPOCHS_AFTER_CAUGHT, "took {epochs} epochs");
			break;
		}
		assert!(
			Instant::now() < deadline,
			"cheat {cheat_incentive} vs honest {honest} after {epochs} epochs"
		);
		std::thread::sleep(Duration::from_secs(6));
	}

	// 5. The canary is nowhere on disk (databases, keystores, logs) under the network's dir.
	drop(net);
	let mut found = Vec::new();
	let mut stack = vec![dir.clone()];
	while let Some(path) = stack.pop() {
		if path.is_dir() {
			stack.extend(std::fs::read_dir(&path).unwrap().flatten().map(|e| e.path()));
		} else if let Ok(bytes) = std::fs::read(&path) {
			if bytes.windows(canary.len()).any(|w| w == canary.as_bytes()) {
				found.push(path);
			}
		}
	}
	assert!(found.is_empty(), "the canary was written to {found:?}");
}
