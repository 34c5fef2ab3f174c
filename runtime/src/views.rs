//! The read views behind Myelin's runtime APIs (`myelin-runtime-api`): each joins what several
//! pallets store into one answer. Reads only; nothing here writes state.

use alloc::vec::Vec;
use myelin_primitives::{AccountId, Balance, NetUid, SubnetHyperparams, Uid};
use myelin_runtime_api::{
	ColdkeyStake, HotkeyStakers, Metagraph, MetagraphField, NeuronInfo, StakePosition, Staker,
	SubnetList, SubnetSummary,
};

use myelin_primitives::{StakeInfo, SubnetInfo};

use crate::{Emission, Stake, Subnets, System, Yuma};

/// Every subnet plus the lock cost of the next one.
pub fn subnets() -> SubnetList {
	let subnets: Vec<SubnetSummary> = Subnets::networks()
		.into_iter()
		.map(|(netuid, info)| {
			let params = Subnets::hyperparams(netuid).unwrap_or_default();
			let account = Emission::subnet_account(netuid);
			SubnetSummary {
				netuid,
				owner: info.owner,
				owner_hotkey: info.owner_hotkey,
				registered_at: info.registered_at,
				lock: info.lock,
				n: Subnets::neuron_count(netuid),
				max_allowed_uids: params.max_allowed_uids,
				tempo: params.tempo,
				burn: Subnets::burn(netuid).unwrap_or_default(),
				last_epoch: Yuma::last_epoch(netuid),
				pending_emission: account.pending,
				stake: account.stake,
				owner_cut: Emission::owner_cut(netuid),
			}
		})
		.collect();
	SubnetList {
		subnets,
		network_lock_cost: Subnets::current_lock_cost(),
		subnet_limit: Subnets::subnet_limit(),
	}
}

/// The hyperparameters of `netuid`.
pub fn subnet_hyperparams(netuid: NetUid) -> Option<SubnetHyperparams> {
	Subnets::hyperparams(netuid)
}

/// The lock cost of a new subnet (`None`) or the burn of a neuron on `netuid`.
pub fn registration_cost(netuid: Option<NetUid>) -> Option<Balance> {
	match netuid {
		None => Some(Subnets::current_lock_cost()),
		Some(netuid) => Subnets::burn(netuid),
	}
}

/// The metagraph of `netuid` with `fields` filled.
pub fn metagraph(netuid: NetUid, fields: &[MetagraphField]) -> Option<Metagraph> {
	let params = Subnets::hyperparams(netuid)?;
	let n = Subnets::neuron_count(netuid);
	let wants = |field: MetagraphField| fields.contains(&field);
	let uids: Vec<Uid> = (0..n).collect();
	// One read per page of 256 neurons, not one page decode per UID.
	let (hotkeys, registered_at): (Vec<AccountId>, Vec<u32>) =
		<Subnets as myelin_primitives::SubnetInfo<AccountId>>::neurons(netuid).into_iter().unzip();
	// Metrics cover the UIDs that existed at the last epoch; newer UIDs read as zero.
	let mut metrics = Yuma::metrics(netuid);
	metrics.resize(n);
	let mut graph = Metagraph {
		netuid,
		block: System::block_number(),
		tempo: params.tempo,
		last_epoch: Yuma::last_epoch(netuid),
		pending_emission: Emission::subnet_account(netuid).pending,
		n,
		uids: uids.clone(),
		..Default::default()
	};
	if wants(MetagraphField::Coldkeys) {
		graph.coldkeys = hotkeys
			.iter()
			.map(|hotkey| Subnets::hotkey_owner(hotkey).unwrap_or_else(zero_account))
			.collect();
	}
	if wants(MetagraphField::Stake) {
		graph.stake = Stake::stakes_by_uid(netuid);
		graph.stake.resize(hotkeys.len(), 0);
	}
	if wants(MetagraphField::Incentive) {
		graph.incentive = metrics.incentive.into_inner();
	}
	if wants(MetagraphField::Dividends) {
		graph.dividends = metrics.dividends.into_inner();
	}
	if wants(MetagraphField::Consensus) {
		graph.consensus = metrics.consensus.into_inner();
	}
	if wants(MetagraphField::ValidatorTrust) {
		graph.validator_trust = metrics.validator_trust.into_inner();
	}
	if wants(MetagraphField::Emission) {
		graph.emission = metrics.emission.into_inner();
	}
	if wants(MetagraphField::Active) {
		graph.active = metrics.active.into_inner();
	}
	if wants(MetagraphField::ValidatorPermit) {
		graph.validator_permit = metrics.validator_permit.into_inner();
	}
	if wants(MetagraphField::LastUpdate) {
		graph.last_update = metrics.last_update.into_inner();
	}
	if wants(MetagraphField::RegisteredAt) {
		graph.registered_at = registered_at;
	}
	if wants(MetagraphField::Axons) {
		graph.axons = hotkeys.iter().map(|hotkey| Subnets::axon(netuid, hotkey)).collect();
	}
	if wants(MetagraphField::Hotkeys) {
		graph.hotkeys = hotkeys;
	}
	Some(graph)
}

/// One neuron of `netuid`.
pub fn neuron(netuid: NetUid, uid: Uid) -> Option<NeuronInfo> {
	let pallet_subnets::Neuron { hotkey, registered_at } = Subnets::neuron(netuid, uid)?;
	let metric = Yuma::metrics(netuid).get(uid);
	Some(NeuronInfo {
		netuid,
		uid,
		coldkey: Subnets::hotkey_owner(&hotkey).unwrap_or_else(zero_account),
		stake: Stake::stake_on(netuid, &hotkey),
		incentive: metric.incentive,
		dividends: metric.dividends,
		consensus: metric.consensus,
		validator_trust: metric.validator_trust,
		emission: metric.emission,
		active: metric.active,
		validator_permit: metric.validator_permit,
		last_update: metric.last_update,
		registered_at,
		axon: Subnets::axon(netuid, &hotkey),
		hotkey,
	})
}

/// Every stake position of `coldkey`.
pub fn coldkey_stake(coldkey: AccountId) -> ColdkeyStake {
	let positions: Vec<StakePosition> = Stake::positions_of(&coldkey)
		.into_iter()
		.map(|p| StakePosition {
			hotkey: p.hotkey,
			netuid: p.netuid,
			amount: p.value,
			principal: p.principal,
		})
		.collect();
	ColdkeyStake {
		total: positions.iter().fold(0, |acc: Balance, p| acc.saturating_add(p.amount)),
		held: Stake::coldkey_principal(&coldkey),
		coldkey,
		positions,
	}
}

/// Every staker of `hotkey` on every subnet, with its owner and take.
pub fn hotkey_stakers(hotkey: AccountId) -> HotkeyStakers {
	let stakers: Vec<Staker> = Stake::stakers(&hotkey)
		.into_iter()
		.map(|p| Staker { coldkey: p.coldkey, netuid: p.netuid, amount: p.value })
		.collect();
	let subnets = Stake::hotkey_stake(&hotkey);
	HotkeyStakers {
		owner: Subnets::hotkey_owner(&hotkey),
		take: Stake::take(&hotkey),
		total: subnets.iter().fold(0, |acc: Balance, (_, stake)| acc.saturating_add(*stake)),
		subnets,
		stakers,
		hotkey,
	}
}

/// Stands in for a key the storage lost; a consistent state (checked by try-state) never has one.
fn zero_account() -> AccountId {
	AccountId::new([0; 32])
}
