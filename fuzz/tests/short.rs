//! The short fuzzing run CI makes: fixed seeds and block counts, so it is deterministic; the
//! long run is `scripts/fuzz.sh`.

#![allow(clippy::arithmetic_side_effects)]

use myelin_fuzz::{run, Config};

#[test]
fn fixed_seeds_break_nothing() {
	let mut offered = 0;
	let mut succeeded = 0;
	for seed in 0..5 {
		match run(Config { seed, blocks: 80, ..Config::default() }) {
			Ok(coverage) => {
				offered += coverage.extrinsics.offered;
				succeeded += coverage.extrinsics.succeeded;
			}
			Err(failure) => panic!("{failure:#?}"),
		}
	}
	// The generator reaches the runtime: many extrinsics, and a good share of them succeed.
	assert!(offered > 1_000, "{offered} offered");
	assert!(succeeded > offered / 10, "{succeeded} of {offered} succeeded");
}
