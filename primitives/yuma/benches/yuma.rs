//! Criterion benchmark of one epoch: `n` UIDs, `v` validators each setting a full weight row
//! over every miner, with previous bonds in place (the steady state of a busy subnet).

#![allow(clippy::arithmetic_side_effects, clippy::indexing_slicing, clippy::unwrap_used)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use myelin_yuma::{epoch, EpochInput, SparseRow};

/// A deterministic network: validators 0..v with decreasing stake, full rows over the miners,
/// weights and bonds from a fixed xorshift sequence.
fn network(n: usize, v: usize) -> EpochInput {
	let mut state = 0x2545_f491_4f6c_dd1du64;
	let mut next = move || {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		state
	};
	let weights: Vec<SparseRow> = (0..n)
		.map(|i| {
			if i < v {
				(v..n).map(|j| (j as u16, (next() % 65_535) as u16 + 1)).collect()
			} else {
				Vec::new()
			}
		})
		.collect();
	let bonds = weights.clone();
	EpochInput {
		stake: (0..n).map(|i| if i < v { 1_000_000 - i as u128 } else { 0 }).collect(),
		last_update: vec![1000; n],
		registered_at: vec![0; n],
		weights,
		bonds,
		max_validators: v as u16,
		kappa: u16::MAX / 2,
		bonds_moving_average: 900_000,
		activity_cutoff: 5000,
		current_block: 1001,
	}
}

fn bench(c: &mut Criterion) {
	let mut group = c.benchmark_group("yuma");
	group.sample_size(10);
	for (n, v) in [(256, 64), (1024, 128), (4096, 256)] {
		let input = network(n, v);
		group.bench_with_input(
			BenchmarkId::new("epoch", format!("{n}x{v}")),
			&input,
			|b, input| b.iter(|| epoch(input)),
		);
	}
	group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
