//! `myelin-fuzz`: runs seeds one after another for a time budget (or until a number of
//! extrinsics has been offered) and reports what they covered, or the first failure with its
//! seed and minimal operations.
//!
//! ```text
//! myelin-fuzz [--seed S] [--minutes M] [--extrinsics X] [--blocks B] [--max-ops N]
//! ```

#![allow(clippy::arithmetic_side_effects)]

use std::time::{Duration, Instant};

use myelin_fuzz::{run, Config, Coverage};

fn arg(name: &str) -> Option<u64> {
	let args: Vec<String> = std::env::args().collect();
	let at = args.iter().position(|a| a == name)?;
	args.get(at.checked_add(1)?)?.parse().ok()
}

fn main() {
	let first_seed = arg("--seed").unwrap_or(0);
	let minutes = arg("--minutes").unwrap_or(1);
	let target = arg("--extrinsics").unwrap_or(u64::MAX);
	let defaults = Config::default();
	let blocks = arg("--blocks").map_or(defaults.blocks, |b| u32::try_from(b).unwrap_or(u32::MAX));
	let max_ops = arg("--max-ops").unwrap_or(defaults.max_ops);
	let budget = Duration::from_secs(minutes.saturating_mul(60));
	let start = Instant::now();
	let mut total = Coverage::default();
	let mut seed = first_seed;
	let mut seeds = 0u64;
	while start.elapsed() < budget && total.extrinsics.offered < target {
		match run(Config { seed, blocks, max_ops, ..defaults }) {
			Ok(coverage) => {
				total.blocks += coverage.blocks;
				total.extrinsics.offered += coverage.extrinsics.offered;
				total.extrinsics.included += coverage.extrinsics.included;
				total.extrinsics.succeeded += coverage.extrinsics.succeeded;
				seeds += 1;
			}
			Err(failure) => {
				eprintln!("seed {} broke the runtime: {:?}", failure.seed, failure.violation);
				eprintln!("minimal blocks (gap, operations):");
				for block in &failure.minimal {
					eprintln!("  gap {}:", block.gap);
					for op in &block.ops {
						eprintln!("    {op:?}");
					}
				}
				std::process::exit(1);
			}
		}
		seed = seed.wrapping_add(1);
		println!(
			"{:>6.0} s  seeds {seeds}  blocks {}  extrinsics offered {} included {} succeeded {}",
			start.elapsed().as_secs_f64(),
			total.blocks,
			total.extrinsics.offered,
			total.extrinsics.included,
			total.extrinsics.succeeded
		);
	}
	println!(
		"done: seeds {first_seed}..{seed}, {} blocks, {} extrinsics offered ({} included, {} succeeded), 0 panics, 0 invariant failures",
		total.blocks, total.extrinsics.offered, total.extrinsics.included, total.extrinsics.succeeded
	);
}
