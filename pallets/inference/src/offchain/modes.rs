//! Miner behaviours for testing incentives on development chains.
//!
//! The node writes the mode into its off-chain storage under [`MINER_MODE_KEY`] when started
//! with `--miner-mode` on a development or local chain (it refuses the flag on any other
//! chain); without it miners are honest. The off-chain storage can also be written over the
//! node's unsafe RPC, so the worker reads the mode only on chains whose genesis allows it
//! ([`MinerTestModes`]): on a production chain a miner always answers honestly.

use alloc::vec::Vec;

use crate::{
	pallet::{Config, MinerTestModes},
	types::RoundIndex,
};

/// The off-chain storage key (persistent kind) of the miner mode: `honest`, `noisy` or `lazy`.
pub const MINER_MODE_KEY: &[u8] = b"myelin/inference/miner-mode";

/// How a miner answers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MinerMode {
	/// Runs the model and submits its outputs.
	Honest,
	/// Runs the model but degrades its outputs: a little noise on every value, and in every
	/// second round (odd round numbers) noise instead of the outputs, so it passes about half
	/// the rounds.
	Noisy,
	/// Never runs the model: submits noise derived from the seed, failing every round.
	Lazy,
}

impl MinerMode {
	/// Parses the stored mode.
	pub fn parse(bytes: &[u8]) -> Option<MinerMode> {
		match bytes {
			b"honest" => Some(MinerMode::Honest),
			b"noisy" => Some(MinerMode::Noisy),
			b"lazy" => Some(MinerMode::Lazy),
			_ => None,
		}
	}

	/// The mode the node was started with: honest unless set, and always honest on chains
	/// whose genesis does not allow test modes.
	pub fn configured<T: Config>() -> MinerMode {
		if !MinerTestModes::<T>::get() {
			return MinerMode::Honest;
		}
		let stored = sp_io::offchain::local_storage_get(
			sp_core::offchain::StorageKind::PERSISTENT,
			MINER_MODE_KEY,
		);
		stored.as_deref().and_then(MinerMode::parse).unwrap_or(MinerMode::Honest)
	}

	/// Whether this mode runs the model at all.
	pub fn runs_model(self) -> bool {
		self != MinerMode::Lazy
	}

	/// The outputs this mode submits for `round`, given the model's (`honest`, empty for lazy
	/// miners), `count` outputs of `width` values, with noise drawn from `seed`.
	pub fn answer(
		self,
		honest: Vec<Vec<i8>>,
		round: RoundIndex,
		seed: &[u8; 32],
		count: usize,
		width: usize,
	) -> Vec<Vec<i8>> {
		match self {
			MinerMode::Honest => honest,
			MinerMode::Noisy if round.is_multiple_of(2) => honest
				.into_iter()
				.enumerate()
				.map(|(i, output)| {
					let noise = noise(seed, i, output.len());
					output.iter().zip(noise).map(|(&v, n)| v.saturating_add(n % 4)).collect()
				})
				.collect(),
			MinerMode::Noisy | MinerMode::Lazy => {
				(0..count).map(|i| noise(seed, i, width)).collect()
			}
		}
	}
}

/// `width` pseudo-random values from `(seed, index)`.
fn noise(seed: &[u8; 32], index: usize, width: usize) -> Vec<i8> {
	let mut values = Vec::with_capacity(width);
	let mut block = 0u32;
	while values.len() < width {
		let bytes =
			sp_io::hashing::blake2_256(&codec::Encode::encode(&(seed, index as u64, block)));
		values.extend(bytes.iter().map(|&b| i8::from_le_bytes([b])));
		block = block.saturating_add(1);
	}
	values.truncate(width);
	values
}
