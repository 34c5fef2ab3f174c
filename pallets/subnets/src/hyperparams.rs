//! The `set_hyperparameter` call's argument: one variant per hyperparameter, each with its own
//! type, so metadata (and every wallet) shows names and types.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use myelin_primitives::{Balance, BlockNumber, SubnetHyperparams};
use scale_info::TypeInfo;

/// One hyperparameter and its new value. See [`SubnetHyperparams`] for meanings and bounds.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub enum Hyperparameter {
	/// Blocks between epochs. Governance only.
	Tempo(u16),
	/// Consensus quantile (fraction of `u16::MAX`). Governance only.
	Kappa(u16),
	/// Most neurons on the subnet; never below the current count. Governance only.
	MaxAllowedUids(u16),
	/// Validator permits per epoch.
	MaxAllowedValidators(u16),
	/// Blocks a new neuron is protected from pruning.
	ImmunityPeriod(BlockNumber),
	/// Fewest weights a validator must set.
	MinAllowedWeights(u16),
	/// Largest single weight after max-upscaling.
	MaxWeightsLimit(u16),
	/// Blocks between two weight settings of one validator.
	WeightsSetRateLimit(BlockNumber),
	/// Lowest accepted weights version key.
	WeightsVersionKey(u64),
	/// Blocks without weights after which a validator is inactive.
	ActivityCutoff(BlockNumber),
	/// Bonds moving average, parts per million.
	BondsMovingAverage(u32),
	/// Commit-reveal of weights on or off.
	CommitRevealEnabled(bool),
	/// Epochs after its own in which a weight commit may be revealed.
	RevealPeriod(u32),
	/// Lowest registration burn.
	MinBurn(Balance),
	/// Highest registration burn.
	MaxBurn(Balance),
	/// Blocks over which the registration burn halves.
	BurnHalfLife(BlockNumber),
	/// Burn multiplier after each registration, percent.
	BurnIncreaseMult(u32),
	/// Blocks between two axon updates of one neuron.
	ServingRateLimit(BlockNumber),
}

impl Hyperparameter {
	/// A stable index per hyperparameter kind (keys the owner's rate limit).
	pub fn kind(&self) -> u8 {
		match self {
			Self::Tempo(_) => 0,
			Self::Kappa(_) => 1,
			Self::MaxAllowedUids(_) => 2,
			Self::MaxAllowedValidators(_) => 3,
			Self::ImmunityPeriod(_) => 4,
			Self::MinAllowedWeights(_) => 5,
			Self::MaxWeightsLimit(_) => 6,
			Self::WeightsSetRateLimit(_) => 7,
			Self::WeightsVersionKey(_) => 8,
			Self::ActivityCutoff(_) => 9,
			Self::BondsMovingAverage(_) => 10,
			Self::CommitRevealEnabled(_) => 11,
			Self::RevealPeriod(_) => 12,
			Self::MinBurn(_) => 13,
			Self::MaxBurn(_) => 14,
			Self::BurnHalfLife(_) => 15,
			Self::BurnIncreaseMult(_) => 16,
			Self::ServingRateLimit(_) => 17,
		}
	}

	/// Whether the subnet owner may set it. Tempo, kappa and the subnet size change the economics
	/// for every participant, so only governance sets them.
	pub fn owner_settable(&self) -> bool {
		!matches!(self, Self::Tempo(_) | Self::Kappa(_) | Self::MaxAllowedUids(_))
	}

	/// `params` with this value applied (bounds are checked by the caller).
	pub fn apply(&self, mut params: SubnetHyperparams) -> SubnetHyperparams {
		match *self {
			Self::Tempo(v) => params.tempo = v,
			Self::Kappa(v) => params.kappa = v,
			Self::MaxAllowedUids(v) => params.max_allowed_uids = v,
			Self::MaxAllowedValidators(v) => params.max_allowed_validators = v,
			Self::ImmunityPeriod(v) => params.immunity_period = v,
			Self::MinAllowedWeights(v) => params.min_allowed_weights = v,
			Self::MaxWeightsLimit(v) => params.max_weights_limit = v,
			Self::WeightsSetRateLimit(v) => params.weights_set_rate_limit = v,
			Self::WeightsVersionKey(v) => params.weights_version_key = v,
			Self::ActivityCutoff(v) => params.activity_cutoff = v,
			Self::BondsMovingAverage(v) => params.bonds_moving_average = v,
			Self::CommitRevealEnabled(v) => params.commit_reveal_enabled = v,
			Self::RevealPeriod(v) => params.reveal_period = v,
			Self::MinBurn(v) => params.min_burn = v,
			Self::MaxBurn(v) => params.max_burn = v,
			Self::BurnHalfLife(v) => params.burn_half_life = v,
			Self::BurnIncreaseMult(v) => params.burn_increase_mult = v,
			Self::ServingRateLimit(v) => params.serving_rate_limit = v,
		}
		params
	}
}
