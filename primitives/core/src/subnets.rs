//! Subnet identifiers and hyperparameters, shared by every pallet that works on subnets.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

use crate::{units::MYL, Balance, BlockNumber};

/// Identifies a subnet.
pub type NetUid = u16;

/// A neuron's slot on a subnet. UIDs are dense: a subnet with `n` neurons uses `0..n`.
pub type Uid = u16;

/// No subnet can ever hold more neurons than this, whatever its `max_allowed_uids`.
pub const MAX_UIDS_HARD_CAP: u16 = 4096;

/// UIDs per storage page of a per-UID vector (the subnets pallet's neurons, the stake pallet's
/// stake by UID): UID `u` is entry `u % UID_PAGE` of page `u / UID_PAGE`. A full subnet is 16
/// pages, so what the epoch reads per subnet does not grow with its neurons one key at a time.
pub const UID_PAGE: u16 = 256;

/// The page holding `uid` in a [`UID_PAGE`]-paged vector, and its index within the page.
pub const fn uid_page(uid: Uid) -> (u16, usize) {
	(uid / UID_PAGE, (uid % UID_PAGE) as usize)
}

/// How many pages hold `n` UIDs.
pub const fn uid_pages(n: u16) -> u16 {
	n.div_ceil(UID_PAGE)
}

/// The tunable parameters of one subnet. Each has a default and bounds (see
/// [`SubnetHyperparams::check`]); block counts are in blocks, proportions as noted.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct SubnetHyperparams {
	/// Blocks between two epochs (Yuma consensus runs). 1..=10_000, default 100.
	pub tempo: u16,
	/// Consensus quantile as a fraction of `u16::MAX`. Default 32_767 (0.5).
	pub kappa: u16,
	/// Most neurons the subnet holds. 1..=4096, default 256.
	pub max_allowed_uids: u16,
	/// Validator permits per epoch (top by stake). 1..=min(max_allowed_uids, 256), default 64.
	pub max_allowed_validators: u16,
	/// Blocks after registration during which a neuron cannot be pruned. ≤ 100_000, default 4096.
	pub immunity_period: BlockNumber,
	/// Fewest weights a validator must set. ≤ max_allowed_uids, default 1.
	pub min_allowed_weights: u16,
	/// Largest single weight after max-upscaling to `u16::MAX`. ≥ 1, default `u16::MAX`.
	pub max_weights_limit: u16,
	/// Blocks a validator must wait between two weight settings. ≤ 100_000, default 100.
	pub weights_set_rate_limit: BlockNumber,
	/// Lowest weights version key accepted (lets owners retire old validator software).
	pub weights_version_key: u64,
	/// Blocks without a weight update after which a validator counts as inactive.
	/// 1..=100_000, default 5000.
	pub activity_cutoff: BlockNumber,
	/// Bonds moving average in parts per million (α = 1 − this/10⁶). ≤ 1_000_000, default 900_000.
	pub bonds_moving_average: u32,
	/// Whether weights go through commit-reveal. Default off.
	pub commit_reveal_enabled: bool,
	/// Epochs after its own in which a weight commit may be revealed: a commit made in epoch
	/// `k` is revealed in epochs `k + 1 ..= k + reveal_period`. 1..=16, default 2.
	pub reveal_period: u32,
	/// Lowest registration burn. ≥ 0.0001 MYL, ≤ max_burn, default 0.1 MYL.
	pub min_burn: Balance,
	/// Highest registration burn. ≤ 10,000 MYL, default 100 MYL.
	pub max_burn: Balance,
	/// Blocks over which the registration burn halves. 1..=1_000_000, default 360.
	pub burn_half_life: BlockNumber,
	/// Burn multiplier applied after each registration, in percent. 100..=1000, default 150.
	pub burn_increase_mult: u32,
	/// Blocks between two `serve_axon` updates of one neuron. ≤ 100_000, default 50.
	pub serving_rate_limit: BlockNumber,
}

/// A neuron's advertised endpoint (set with `serve_axon`).
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct AxonInfo {
	/// Block of the last update (for the serving rate limit).
	pub block: BlockNumber,
	/// Version of the neuron's software.
	pub version: u32,
	/// IPv4 (in the low 32 bits) or IPv6 address.
	pub ip: u128,
	/// TCP/UDP port, never 0.
	pub port: u16,
	/// 4 or 6.
	pub ip_type: u8,
	/// Transport protocol as the subnet defines it (e.g. 0 = TCP, 1 = UDP).
	pub protocol: u8,
}

/// Why a hyperparameter set was rejected.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum HyperparamError {
	/// A value lies outside its fixed bounds.
	OutOfBounds,
	/// Two values contradict each other (min above max, more validators than UIDs, …).
	Inconsistent,
}

/// Whether `netuid`'s epoch falls on `block`: every `tempo` blocks, offset by the netuid so
/// subnets with the same tempo do not all run in the same block.
pub fn epoch_due(netuid: NetUid, tempo: u16, block: BlockNumber) -> bool {
	blocks_until_epoch(netuid, tempo, block) == Some(0)
}

/// Blocks from `block` to the next block (`block` itself included) where `netuid`'s epoch is
/// due; `None` for a zero tempo.
pub fn blocks_until_epoch(netuid: NetUid, tempo: u16, block: BlockNumber) -> Option<u32> {
	let tempo = u32::from(tempo);
	let phase = block.saturating_add(u32::from(netuid)).checked_rem(tempo)?;
	tempo.saturating_sub(phase).checked_rem(tempo)
}

/// Bounds of the hyperparameters, used by [`SubnetHyperparams::check`].
pub mod bounds {
	use super::*;

	/// Longest tempo: an epoch at least every 10,000 blocks (~17 hours).
	pub const MAX_TEMPO: u16 = 10_000;
	/// Longest block-count parameter (immunity, rate limits, activity cutoff).
	pub const MAX_BLOCKS: BlockNumber = 100_000;
	/// Most validator permits on a subnet: the epoch's cost grows with validators × UIDs, and
	/// its weight is benchmarked up to this many.
	pub const MAX_VALIDATORS: u16 = 256;
	/// Longest reveal period, in epochs. A hotkey commits at most once per epoch, so it never
	/// holds more than `MAX_REVEAL_PERIOD + 1` live commits.
	pub const MAX_REVEAL_PERIOD: u32 = 16;
	/// Longest half-life of the registration burn's decay.
	pub const MAX_BURN_HALF_LIFE: BlockNumber = 1_000_000;
	/// Lowest `min_burn`: 0.0001 MYL.
	pub const MIN_BURN_FLOOR: Balance = MYL / 10_000;
	/// Highest `max_burn`: 10,000 MYL.
	pub const MAX_BURN_CEILING: Balance = 10_000 * MYL;
	/// `bonds_moving_average` of 1 (ppm): bonds never move.
	pub const BONDS_MOVING_AVERAGE_ONE: u32 = 1_000_000;
	/// Lowest burn multiplier per registration: 100% (the burn stays).
	pub const MIN_BURN_INCREASE_MULT: u32 = 100;
	/// Highest burn multiplier per registration: 1000% (the burn grows tenfold).
	pub const MAX_BURN_INCREASE_MULT: u32 = 1000;
}

impl Default for SubnetHyperparams {
	fn default() -> Self {
		Self {
			tempo: 100,
			kappa: 32_767,
			max_allowed_uids: 256,
			max_allowed_validators: 64,
			immunity_period: 4096,
			min_allowed_weights: 1,
			max_weights_limit: u16::MAX,
			weights_set_rate_limit: 100,
			weights_version_key: 0,
			activity_cutoff: 5000,
			bonds_moving_average: 900_000,
			commit_reveal_enabled: false,
			reveal_period: 2,
			min_burn: MYL / 10,
			max_burn: 100 * MYL,
			burn_half_life: 360,
			burn_increase_mult: 150,
			serving_rate_limit: 50,
		}
	}
}

impl SubnetHyperparams {
	/// Checks every bound and the relations between values.
	pub fn check(&self) -> Result<(), HyperparamError> {
		use bounds::*;
		let in_bounds = (1..=MAX_TEMPO).contains(&self.tempo)
			&& (1..=MAX_UIDS_HARD_CAP).contains(&self.max_allowed_uids)
			&& (1..=MAX_VALIDATORS).contains(&self.max_allowed_validators)
			&& self.immunity_period <= MAX_BLOCKS
			&& self.max_weights_limit >= 1
			&& self.weights_set_rate_limit <= MAX_BLOCKS
			&& (1..=MAX_BLOCKS).contains(&self.activity_cutoff)
			&& self.bonds_moving_average <= BONDS_MOVING_AVERAGE_ONE
			&& (1..=MAX_REVEAL_PERIOD).contains(&self.reveal_period)
			&& self.min_burn >= MIN_BURN_FLOOR
			&& self.max_burn <= MAX_BURN_CEILING
			&& (1..=MAX_BURN_HALF_LIFE).contains(&self.burn_half_life)
			&& (MIN_BURN_INCREASE_MULT..=MAX_BURN_INCREASE_MULT).contains(&self.burn_increase_mult)
			&& self.serving_rate_limit <= MAX_BLOCKS;
		if !in_bounds {
			return Err(HyperparamError::OutOfBounds);
		}
		let consistent = self.max_allowed_validators <= self.max_allowed_uids
			&& self.min_allowed_weights <= self.max_allowed_uids
			&& self.min_burn <= self.max_burn;
		if !consistent {
			return Err(HyperparamError::Inconsistent);
		}
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn defaults_are_within_bounds() {
		assert_eq!(SubnetHyperparams::default().check(), Ok(()));
	}

	#[test]
	fn bounds_and_relations_are_enforced() {
		let base = SubnetHyperparams::default();
		let out = |p: SubnetHyperparams| p.check();
		assert_eq!(
			out(SubnetHyperparams { tempo: 0, ..base.clone() }),
			Err(HyperparamError::OutOfBounds)
		);
		assert_eq!(
			out(SubnetHyperparams { max_allowed_uids: MAX_UIDS_HARD_CAP + 1, ..base.clone() }),
			Err(HyperparamError::OutOfBounds)
		);
		assert_eq!(
			out(SubnetHyperparams { max_allowed_validators: 300, ..base.clone() }),
			Err(HyperparamError::OutOfBounds)
		);
		assert_eq!(
			out(SubnetHyperparams {
				max_allowed_uids: 4096,
				max_allowed_validators: bounds::MAX_VALIDATORS + 1,
				..base.clone()
			}),
			Err(HyperparamError::OutOfBounds)
		);
		assert_eq!(
			out(SubnetHyperparams {
				max_allowed_uids: 4096,
				max_allowed_validators: bounds::MAX_VALIDATORS,
				..base.clone()
			}),
			Ok(())
		);
		assert_eq!(
			out(SubnetHyperparams {
				max_allowed_uids: 32,
				max_allowed_validators: 33,
				..base.clone()
			}),
			Err(HyperparamError::Inconsistent)
		);
		assert_eq!(
			out(SubnetHyperparams { min_burn: 200 * MYL, ..base.clone() }),
			Err(HyperparamError::Inconsistent)
		);
		assert_eq!(
			out(SubnetHyperparams { burn_increase_mult: 99, ..base.clone() }),
			Err(HyperparamError::OutOfBounds)
		);
		for reveal_period in [0, bounds::MAX_REVEAL_PERIOD + 1] {
			assert_eq!(
				out(SubnetHyperparams { reveal_period, ..base.clone() }),
				Err(HyperparamError::OutOfBounds)
			);
		}
		for reveal_period in [1, bounds::MAX_REVEAL_PERIOD] {
			assert_eq!(out(SubnetHyperparams { reveal_period, ..base.clone() }), Ok(()));
		}
	}

	#[test]
	fn epochs_fall_every_tempo_offset_by_the_netuid() {
		// Subnet 1 with tempo 10 runs at blocks 9, 19, …
		assert!(epoch_due(1, 10, 9) && epoch_due(1, 10, 19) && !epoch_due(1, 10, 10));
		assert_eq!(blocks_until_epoch(1, 10, 9), Some(0));
		assert_eq!(blocks_until_epoch(1, 10, 10), Some(9));
		assert_eq!(blocks_until_epoch(1, 10, 18), Some(1));
		assert_eq!(blocks_until_epoch(0, 1, 7), Some(0));
		assert_eq!(blocks_until_epoch(3, 0, 7), None);
		assert!(!epoch_due(3, 0, 7));
		assert!(blocks_until_epoch(u16::MAX, u16::MAX, u32::MAX).is_some_and(|b| b < 65_535));
	}
}
