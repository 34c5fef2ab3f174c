//! # Myelin runtime APIs
//!
//! The read side of the chain for wallets, explorers, the node's JSON-RPC (`myelin_*` methods) and
//! the `myelin` CLI. Each API assembles one view from several pallets in a single call, so a
//! client never has to know storage layouts or join maps itself:
//!
//! - [`SubnetsApi`]: every subnet with its owner, size, tempo and prices; one subnet's
//!   hyperparameters; the cost of registering a subnet or a neuron.
//! - [`MetagraphApi`]: a subnet's metagraph (every per-UID vector of the last epoch, with keys,
//!   stake and axons), a selective variant that fills only chosen fields, and one neuron.
//! - [`StakeApi`]: a coldkey's stake positions per (hotkey, subnet) and a hotkey's stakers per
//!   subnet with its take.
//! - [`InferenceApi`]: a subnet's inference task, its current round and a miner's challenge seed.
//!
//! The types below are part of the chain's interface: their SCALE layout is pinned per API
//! version by `tests/layout.rs`. Changing a field means bumping the API's `api_version` and
//! pinning the new layout, so clients can tell the two apart.

#![warn(missing_docs)]
#![cfg_attr(not(test), warn(unused_crate_dependencies))]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode};
use scale_info::TypeInfo;
use sp_runtime::Perbill;

pub use myelin_primitives::{
	inference::{RoundIndex, RoundInfo, TaskSpec},
	AccountId, AxonInfo, Balance, BlockNumber, NetUid, SubnetHyperparams, Uid,
};

/// One subnet as listed by [`SubnetsApi::subnets`].
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct SubnetSummary {
	/// The subnet's identifier.
	pub netuid: NetUid,
	/// Coldkey that registered the subnet and holds its lock.
	pub owner: AccountId,
	/// Hotkey registered as the subnet's first neuron; receives the owner cut.
	pub owner_hotkey: AccountId,
	/// Block at which the subnet was registered.
	pub registered_at: BlockNumber,
	/// Tokens locked from the owner until the subnet is dissolved.
	pub lock: Balance,
	/// Neurons currently registered (UIDs `0..n`).
	pub n: u16,
	/// Most neurons the subnet holds.
	pub max_allowed_uids: u16,
	/// Blocks between two epochs.
	pub tempo: u16,
	/// Current price (burned) of registering a neuron.
	pub burn: Balance,
	/// Block of the last epoch, if one ran.
	pub last_epoch: Option<BlockNumber>,
	/// Emission accrued since the last epoch, paid out at the next one.
	pub pending_emission: Balance,
	/// Stake registered on the subnet's neurons, which weighs its share of emission.
	pub stake: Balance,
	/// Share of the subnet's emission paid to the owner hotkey.
	pub owner_cut: Perbill,
}

/// Every subnet plus what it costs to create one more, from [`SubnetsApi::subnets`].
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct SubnetList {
	/// The subnets, by ascending netuid.
	pub subnets: Vec<SubnetSummary>,
	/// Lock cost of registering the next subnet at this block.
	pub network_lock_cost: Balance,
	/// How many subnets may exist.
	pub subnet_limit: u16,
}

/// The per-UID vectors a [`MetagraphApi::selective_metagraph`] call can ask for.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub enum MetagraphField {
	/// [`Metagraph::hotkeys`].
	Hotkeys,
	/// [`Metagraph::coldkeys`].
	Coldkeys,
	/// [`Metagraph::stake`].
	Stake,
	/// [`Metagraph::incentive`].
	Incentive,
	/// [`Metagraph::dividends`].
	Dividends,
	/// [`Metagraph::consensus`].
	Consensus,
	/// [`Metagraph::validator_trust`].
	ValidatorTrust,
	/// [`Metagraph::emission`].
	Emission,
	/// [`Metagraph::active`].
	Active,
	/// [`Metagraph::validator_permit`].
	ValidatorPermit,
	/// [`Metagraph::last_update`].
	LastUpdate,
	/// [`Metagraph::registered_at`].
	RegisteredAt,
	/// [`Metagraph::axons`].
	Axons,
}

impl MetagraphField {
	/// Every field, in declaration order.
	pub const ALL: [MetagraphField; 13] = [
		Self::Hotkeys,
		Self::Coldkeys,
		Self::Stake,
		Self::Incentive,
		Self::Dividends,
		Self::Consensus,
		Self::ValidatorTrust,
		Self::Emission,
		Self::Active,
		Self::ValidatorPermit,
		Self::LastUpdate,
		Self::RegisteredAt,
		Self::Axons,
	];

	/// The field's name as JSON-RPC and the CLI spell it (camelCase).
	pub const fn name(self) -> &'static str {
		match self {
			Self::Hotkeys => "hotkeys",
			Self::Coldkeys => "coldkeys",
			Self::Stake => "stake",
			Self::Incentive => "incentive",
			Self::Dividends => "dividends",
			Self::Consensus => "consensus",
			Self::ValidatorTrust => "validatorTrust",
			Self::Emission => "emission",
			Self::Active => "active",
			Self::ValidatorPermit => "validatorPermit",
			Self::LastUpdate => "lastUpdate",
			Self::RegisteredAt => "registeredAt",
			Self::Axons => "axons",
		}
	}

	/// Parses a name given by [`MetagraphField::name`].
	pub fn from_name(name: &str) -> Option<Self> {
		Self::ALL.into_iter().find(|field| field.name() == name)
	}
}

/// A subnet's neurons and the outputs of its last epoch. Vector `i` belongs to UID `uids[i]`;
/// UIDs are dense, so `uids == 0..n`. Proportions are fractions of `u16::MAX`. In a selective
/// metagraph the vectors not asked for are empty.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug, Default)]
pub struct Metagraph {
	/// The subnet.
	pub netuid: NetUid,
	/// Block the metagraph was read at.
	pub block: BlockNumber,
	/// Blocks between two epochs.
	pub tempo: u16,
	/// Block of the last epoch, if one ran.
	pub last_epoch: Option<BlockNumber>,
	/// Emission accrued since the last epoch.
	pub pending_emission: Balance,
	/// Neurons registered.
	pub n: u16,
	/// UIDs `0..n`.
	pub uids: Vec<Uid>,
	/// Hotkey of each UID.
	pub hotkeys: Vec<AccountId>,
	/// Coldkey owning each hotkey.
	pub coldkeys: Vec<AccountId>,
	/// Total stake behind each hotkey.
	pub stake: Vec<Balance>,
	/// Miner incentive (share of the miners' half of emission).
	pub incentive: Vec<u16>,
	/// Validator dividends (share of the validators' half of emission).
	pub dividends: Vec<u16>,
	/// Stake-weighted consensus weight of each miner.
	pub consensus: Vec<u16>,
	/// How much of each validator's weight survived consensus clipping.
	pub validator_trust: Vec<u16>,
	/// Tokens each UID earned at the last epoch.
	pub emission: Vec<u64>,
	/// Whether each UID updated its weights within the activity cutoff.
	pub active: Vec<bool>,
	/// Whether each UID holds a validator permit.
	pub validator_permit: Vec<bool>,
	/// Block of each UID's last weight update.
	pub last_update: Vec<BlockNumber>,
	/// Block at which each UID was registered.
	pub registered_at: Vec<BlockNumber>,
	/// Endpoint each UID advertises, if any.
	pub axons: Vec<Option<AxonInfo>>,
}

/// One neuron, from [`MetagraphApi::neuron`]. Fields mean what they mean in [`Metagraph`].
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct NeuronInfo {
	/// The subnet.
	pub netuid: NetUid,
	/// The neuron's UID.
	pub uid: Uid,
	/// Its hotkey.
	pub hotkey: AccountId,
	/// Coldkey owning the hotkey.
	pub coldkey: AccountId,
	/// Total stake behind the hotkey.
	pub stake: Balance,
	/// Miner incentive.
	pub incentive: u16,
	/// Validator dividends.
	pub dividends: u16,
	/// Consensus weight.
	pub consensus: u16,
	/// Validator trust.
	pub validator_trust: u16,
	/// Tokens earned at the last epoch.
	pub emission: u64,
	/// Whether weights were updated within the activity cutoff.
	pub active: bool,
	/// Whether it holds a validator permit.
	pub validator_permit: bool,
	/// Block of the last weight update.
	pub last_update: BlockNumber,
	/// Block of registration.
	pub registered_at: BlockNumber,
	/// Advertised endpoint.
	pub axon: Option<AxonInfo>,
}

/// One stake position of a coldkey: its part of one (hotkey, subnet) pool.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct StakePosition {
	/// The hotkey staked on.
	pub hotkey: AccountId,
	/// The subnet the stake counts on.
	pub netuid: NetUid,
	/// What the position is worth now: principal plus rewards owed.
	pub amount: Balance,
	/// Of it, the tokens held in the coldkey's account (they vote in governance); the rest is
	/// minted when withdrawn.
	pub principal: Balance,
}

/// Every stake position of a coldkey, from [`StakeApi::coldkey_stake`].
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct ColdkeyStake {
	/// The coldkey.
	pub coldkey: AccountId,
	/// What its positions are worth together.
	pub total: Balance,
	/// Its principal over all positions: its staked hold.
	pub held: Balance,
	/// Its positions, one per (hotkey, subnet).
	pub positions: Vec<StakePosition>,
}

/// One coldkey's stake on a hotkey on one subnet.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Staker {
	/// The staking coldkey.
	pub coldkey: AccountId,
	/// The subnet.
	pub netuid: NetUid,
	/// What its position is worth now.
	pub amount: Balance,
}

/// Everyone staked on a hotkey, from [`StakeApi::hotkey_stakers`].
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct HotkeyStakers {
	/// The hotkey.
	pub hotkey: AccountId,
	/// Coldkey that owns the hotkey, if it is registered anywhere.
	pub owner: Option<AccountId>,
	/// Share of its rewards that buys shares for the owner.
	pub take: Perbill,
	/// Stake behind the hotkey over all subnets.
	pub total: Balance,
	/// Stake behind the hotkey on each subnet where it has some, ascending by netuid.
	pub subnets: Vec<(NetUid, Balance)>,
	/// Every staker on every subnet, the owner included, largest first.
	pub stakers: Vec<Staker>,
}

sp_api::decl_runtime_apis! {
	/// Subnets, their hyperparameters and registration prices.
	pub trait SubnetsApi {
		/// Every subnet with owner, size, tempo and burn price, plus the lock cost of a new one.
		fn subnets() -> SubnetList;
		/// The hyperparameters of `netuid`, or `None` if it does not exist.
		fn subnet_hyperparams(netuid: NetUid) -> Option<SubnetHyperparams>;
		/// With `None`: the lock cost of registering a subnet now. With a netuid: the burn of
		/// registering a neuron on it now, or `None` if it does not exist.
		fn registration_cost(netuid: Option<NetUid>) -> Option<Balance>;
	}

	/// Metagraphs: a subnet's neurons with the outputs of its last epoch.
	pub trait MetagraphApi {
		/// The full metagraph of `netuid`, or `None` if it does not exist.
		fn metagraph(netuid: NetUid) -> Option<Metagraph>;
		/// The metagraph with only `fields` filled (the others are empty vectors).
		fn selective_metagraph(netuid: NetUid, fields: Vec<MetagraphField>) -> Option<Metagraph>;
		/// One neuron, or `None` if the subnet or UID does not exist.
		fn neuron(netuid: NetUid, uid: Uid) -> Option<NeuronInfo>;
	}

	/// Stake by coldkey and by hotkey. Version 2: stake per (hotkey, subnet) with principal
	/// and owed rewards.
	#[api_version(2)]
	pub trait StakeApi {
		/// Every position of `coldkey` (empty if it stakes nothing).
		fn coldkey_stake(coldkey: AccountId) -> ColdkeyStake;
		/// Every staker of `hotkey` with the hotkey's owner and take.
		fn hotkey_stakers(hotkey: AccountId) -> HotkeyStakers;
	}

	/// Inference subnets: their tasks, rounds and miners' challenges. Version 2: a round carries
	/// the task it runs. Version 3: a task carries its audit rate.
	#[api_version(3)]
	pub trait InferenceApi {
		/// The task of `netuid`, or `None` if it has none.
		fn task_spec(netuid: NetUid) -> Option<TaskSpec>;
		/// The round `netuid` runs now, or `None` before its first.
		fn current_round(netuid: NetUid) -> Option<RoundInfo>;
		/// `hotkey`'s challenge seed in `round` of `netuid` (`None` once the round is pruned). The
		/// node's model expands it into the round's inputs (`myelin inference challenge`).
		fn challenge_seed(netuid: NetUid, round: RoundIndex, hotkey: AccountId) -> Option<[u8; 32]>;
	}
}
