//! Peak memory of a validator scoring one full round: 256 miners with K = 16 challenge inputs
//! each (4,096 texts), embedded through the registry as the node's host function does (in
//! batches of `EMBED_BATCH`), or with `--one-batch` as a single batch for comparison.
//!
//!   cargo run --release -p myelin-inference-engine --example round_memory [-- --one-batch]
//!
//! Uses all-MiniLM-L6-v2 from `scripts/fetch-model.sh` (or `MYELIN_MODEL_DIR`). Prints the
//! process's peak resident set (VmHWM) and the throughput; docs/BENCHMARKS.md records them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::arithmetic_side_effects)]

use std::{path::PathBuf, time::Instant};

use myelin_inference::host::InferenceHost;
use myelin_inference_engine::registry::{ModelRegistry, EMBED_BATCH};

const MINERS: u8 = 255;
const INPUTS_PER_MINER: usize = 16;

fn peak_rss_mib() -> u64 {
	let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
	let kib = status
		.lines()
		.find_map(|l| l.strip_prefix("VmHWM:"))
		.and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
		.unwrap_or(0);
	kib / 1024
}

fn main() {
	let one_batch = std::env::args().any(|a| a == "--one-batch");
	let models = std::env::var("MYELIN_MODEL_DIR").map(PathBuf::from).unwrap_or_else(|_| {
		PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".myelin/models")
	});
	let registry = ModelRegistry::new(&models);
	let model = *registry.models().first().expect("run scripts/fetch-model.sh first");
	let embedder = registry.embedder(model).unwrap();
	// 256 miners' challenges, as a validator expands them for one round.
	let texts: Vec<String> = (0..=MINERS)
		.flat_map(|miner| embedder.challenge_inputs([miner; 32], INPUTS_PER_MINER))
		.collect();
	let before = peak_rss_mib();
	let start = Instant::now();
	let outputs = if one_batch {
		embedder.embed_quantized(&texts).unwrap()
	} else {
		registry.embed(model, texts.clone()).unwrap()
	};
	let elapsed = start.elapsed();
	assert_eq!(outputs.len(), texts.len());
	println!(
		"{} texts, {}: {:.1} s, {:.0} texts/s, peak RSS {} MiB (model loaded: {} MiB)",
		texts.len(),
		if one_batch { "one batch".to_string() } else { format!("batches of {EMBED_BATCH}") },
		elapsed.as_secs_f64(),
		texts.len() as f64 / elapsed.as_secs_f64(),
		peak_rss_mib(),
		before,
	);
}
