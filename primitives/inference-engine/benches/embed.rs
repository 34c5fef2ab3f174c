//! Throughput of the native embedding path: texts per second at batch 1 and batch 32, every
//! text 128 tokens long (after truncation), on the real all-MiniLM-L6-v2 when
//! `scripts/fetch-model.sh` fetched it, else on the tiny test model (say so in any report).
//! docs/BENCHMARKS.md compares the numbers with PyTorch on the same inputs.

#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing
)]

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use myelin_inference_engine::{testing, Embedder};

fn model_dir() -> (PathBuf, Option<tempfile::TempDir>) {
	let real = std::env::var("MYELIN_MODEL_DIR")
		.map(PathBuf::from)
		.unwrap_or_else(|_| {
			PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".myelin/models")
		})
		.join("all-minilm-l6-v2");
	if real.join("model.safetensors").exists() {
		return (real, None);
	}
	eprintln!("real model not fetched: benchmarking the tiny test model");
	let dir = tempfile::tempdir().unwrap();
	testing::write_tiny_model(dir.path()).unwrap();
	(dir.path().to_path_buf(), Some(dir))
}

fn embed(c: &mut Criterion) {
	let (dir, _keep) = model_dir();
	let embedder = Embedder::load(&dir).unwrap();
	// Challenge sentences joined until every text exceeds 128 tokens (then truncated to 128).
	let texts: Vec<String> =
		(0..32u8).map(|i| embedder.challenge_inputs([i; 32], 12).join(" ")).collect();
	// The same inputs for scripts/bench-pytorch.py.
	let inputs = std::env::temp_dir().join("myelin-embed-bench-inputs.json");
	std::fs::write(&inputs, serde_json::to_string(&texts).unwrap()).unwrap();
	eprintln!("inputs written to {}", inputs.display());
	let mut group = c.benchmark_group("embed_128_tokens");
	group.sample_size(10);
	for batch in [1usize, 32] {
		group.throughput(Throughput::Elements(batch as u64));
		group.bench_with_input(BenchmarkId::from_parameter(batch), &batch, |b, &batch| {
			b.iter(|| embedder.embed(&texts[..batch]).unwrap())
		});
	}
	group.finish();
}

criterion_group!(benches, embed);
criterion_main!(benches);
