//! # Myelin runtime fuzzer
//!
//! Feeds the real native runtime, block by block through `Executive` exactly as a node builds
//! blocks (Aura pre-digest, the timestamp inherent, extrinsics, finalization), from the
//! development preset's genesis:
//!
//! 1. Each block gets up to `max_ops` operations drawn from a seeded generator ([`ops`]):
//!    signed calls of every Myelin pallet, transfers, sudo and referenda from many accounts
//!    (biased towards existing subnets, registered hotkeys and affordable amounts, but reaching
//!    every error), calls with wrong nonces, unsigned calls, raw random bytes, and valid signed
//!    extrinsics with bytes flipped.
//! 2. Random gaps of empty blocks come between them, so epochs, rounds, emission, dissolved
//!    subnets' clearing and referenda all run.
//! 3. After every block ([`chain`]): the runtime did not panic; every Myelin pallet's try-state
//!    holds (issuance equals the sum of balances, supply within the cap, pools and positions
//!    consistent, rows sorted and within their subnets, …); the block's weight is within the
//!    block limit.
//!
//! A run is deterministic by seed. On a violation the run is replayed with operations removed
//! one at a time, keeping each removal after which it still fails, and the minimal list is
//! reported with the seed ([`shrink`]).

#![warn(missing_docs)]
// A std tool, never part of the runtime: counters and indices here cannot overflow in any run
// that finishes, and the runtime's own deny-lints still apply to the runtime it drives.
#![allow(clippy::arithmetic_side_effects, clippy::indexing_slicing)]

pub mod chain;
pub mod ops;

use chain::{BlockStats, Chain, Violation};
use ops::{Op, Rng, View};

/// The shape of a run.
#[derive(Clone, Copy, Debug)]
pub struct Config {
	/// The generator's seed.
	pub seed: u64,
	/// Blocks with operations (empty gap blocks come on top).
	pub blocks: u32,
	/// Most operations per block.
	pub max_ops: u64,
	/// Longest gap of empty blocks before a block.
	pub max_gap: u32,
	/// Keys besides the twelve funded development accounts.
	pub extra_keys: u8,
}

impl Default for Config {
	fn default() -> Self {
		Self { seed: 0, blocks: 100, max_ops: 40, max_gap: 12, extra_keys: 20 }
	}
}

/// What a run covered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
	/// Blocks built (gaps included).
	pub blocks: u64,
	/// Extrinsics offered, included and succeeded.
	pub extrinsics: BlockStats,
}

/// A block of the run: the empty blocks before it and its operations.
#[derive(Clone, Debug)]
pub struct PlannedBlock {
	/// Empty blocks built first.
	pub gap: u32,
	/// The block's operations.
	pub ops: Vec<Op>,
}

/// A run that broke an invariant, shrunk.
#[derive(Clone, Debug)]
pub struct Failure {
	/// The seed that found it.
	pub seed: u64,
	/// What broke.
	pub violation: Violation,
	/// The fewest blocks and operations found that still break it.
	pub minimal: Vec<PlannedBlock>,
}

/// Runs `config`; on a violation, shrinks it.
pub fn run(config: Config) -> Result<Coverage, Box<Failure>> {
	let keys = ops::keys(config.extra_keys);
	let mut rng = Rng::new(config.seed);
	let mut chain = Chain::new();
	let mut coverage = Coverage::default();
	let mut history: Vec<PlannedBlock> = Vec::new();
	for _ in 0..config.blocks {
		let gap =
			u32::try_from(rng.below(u64::from(config.max_gap).saturating_add(1))).unwrap_or(0);
		let genesis = chain.genesis();
		// Drawn in the chain's state: some calls are built from it (commit hashes, rounds).
		let ops = chain.read(|| {
			let view = View::read(&keys, genesis);
			ops::block_ops(&mut rng, &view, &keys, config.max_ops)
		});
		history.push(PlannedBlock { gap, ops });
		let planned = history.last().map(|b| (b.gap, b.ops.as_slice())).unwrap_or((0, &[]));
		match chain.block(planned.0, planned.1, &keys) {
			Ok(stats) => {
				coverage.blocks = coverage.blocks.saturating_add(u64::from(gap) + 1);
				coverage.extrinsics.offered += stats.offered;
				coverage.extrinsics.included += stats.included;
				coverage.extrinsics.succeeded += stats.succeeded;
			}
			Err(violation) => {
				let minimal = shrink(history, &keys);
				return Err(Box::new(Failure { seed: config.seed, violation, minimal }));
			}
		}
	}
	Ok(coverage)
}

/// Replays `blocks` from genesis; the violation, if any.
pub fn replay(blocks: &[PlannedBlock], keys: &[sp_core::sr25519::Pair]) -> Option<Violation> {
	let mut chain = Chain::new();
	blocks.iter().find_map(|block| chain.block(block.gap, &block.ops, keys).err())
}

/// Removes operations (last block first) and then whole blocks' gaps while the replay still
/// breaks an invariant: what is left is a short recipe for the defect.
pub fn shrink(mut blocks: Vec<PlannedBlock>, keys: &[sp_core::sr25519::Pair]) -> Vec<PlannedBlock> {
	// Each attempt replays the whole run: bound the work.
	let mut attempts = 400usize;
	for b in (0..blocks.len()).rev() {
		let mut i = blocks.get(b).map_or(0, |block| block.ops.len());
		while i > 0 && attempts > 0 {
			i -= 1;
			attempts -= 1;
			let mut candidate = blocks.clone();
			if let Some(block) = candidate.get_mut(b) {
				block.ops.remove(i);
			}
			if replay(&candidate, keys).is_some() {
				blocks = candidate;
			}
		}
	}
	for b in 0..blocks.len() {
		if attempts == 0 {
			break;
		}
		attempts -= 1;
		let mut candidate = blocks.clone();
		if let Some(block) = candidate.get_mut(b) {
			block.gap = 0;
		}
		if replay(&candidate, keys).is_some() {
			blocks = candidate;
		}
	}
	blocks.retain(|block| !block.ops.is_empty() || block.gap > 0);
	blocks
}
