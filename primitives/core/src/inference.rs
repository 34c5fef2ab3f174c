//! Inference subnets: a subnet's task and its challenge rounds, shared by the inference pallet,
//! the runtime APIs and tools.

use crate::BlockNumber;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// A round's number on its subnet, counted from 1.
pub type RoundIndex = u32;

/// Parts per million, the unit of thresholds, weights and scores (1_000_000 = 1).
pub const PPM: u32 = 1_000_000;

/// The task a subnet's miners are challenged with, set by the subnet owner or governance.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct TaskSpec {
	/// The model's on-chain identity: the sha256 of its `model.safetensors`.
	pub model: [u8; 32],
	/// Width of one output (the model's embedding size, 384 for all-MiniLM-L6-v2).
	pub dimensions: u16,
	/// Challenge inputs per miner and round (K).
	pub inputs_per_round: u8,
	/// Blocks from one round's start to the next's (the challenge interval).
	pub interval: BlockNumber,
	/// Blocks, from the round's start, in which miners commit to their outputs.
	pub commit_window: BlockNumber,
	/// Blocks, right after the commit window, in which miners reveal them.
	pub reveal_window: BlockNumber,
	/// Mean cosine similarity to the validator's reference an answer needs to pass, in ppm.
	pub score_threshold: u32,
	/// How much a late commit costs, in ppm: a commit at the end of the window scores
	/// `1 - speed_weight` of one at the round's start.
	pub speed_weight: u32,
	/// Share of the organic answers a validator's gateway relays that it re-embeds to check them
	/// (audits), in ppm, drawn from a later block's hash
	/// ([`crate::receipt::audit_drawn`]). 0 turns audits off.
	pub audit_rate: u32,
}

impl TaskSpec {
	/// Whether the spec is usable: at least one input, output width and block per window, at
	/// most `max_inputs` inputs and `max_dimensions` widths, both windows inside the interval
	/// (so rounds do not overlap), and proportions at most 1.
	pub fn is_valid(&self, max_inputs: u32, max_dimensions: u32) -> bool {
		let windows = self.commit_window.checked_add(self.reveal_window);
		self.inputs_per_round >= 1
			&& u32::from(self.inputs_per_round) <= max_inputs
			&& self.dimensions >= 1
			&& u32::from(self.dimensions) <= max_dimensions
			&& self.commit_window >= 1
			&& self.reveal_window >= 1
			&& windows.is_some_and(|w| w <= self.interval)
			&& self.score_threshold <= PPM
			&& self.speed_weight <= PPM
			&& self.audit_rate <= PPM
	}

	/// The first block after a round's commit window.
	pub fn commit_end(&self, start: BlockNumber) -> BlockNumber {
		start.saturating_add(self.commit_window)
	}

	/// The first block after a round's reveal window: from here on validators score it.
	pub fn reveal_end(&self, start: BlockNumber) -> BlockNumber {
		self.commit_end(start).saturating_add(self.reveal_window)
	}
}

/// One challenge round of a subnet.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct RoundInfo {
	/// The round's number.
	pub index: RoundIndex,
	/// The block whose initialization started it.
	pub start: BlockNumber,
	/// `blake2_256(parent_hash ‖ netuid ‖ round)`; each miner's challenge seed derives from it.
	pub seed: [u8; 32],
	/// The subnet's task when the round started: its windows, inputs and width hold for the
	/// whole round, whatever the owner changes meanwhile (a change applies from the next one).
	pub spec: TaskSpec,
}
