//! The read views behind Myelin's runtime APIs (`myelin-runtime-api`): each joins what several
//! pallets store into one answer. Reads only; nothing here writes state.

use alloc::vec::Vec;
use myelin_primitives::{AccountId, Balance, NetUid, SubnetHyperparams, Uid};
use myelin_runtime_api::{
	ColdkeyStake, HotkeyStakers, Metagraph, MetagraphField, NeuronInfo, StakePosition, Staker,
	SubnetList, SubnetSummary,
};

use crate::{Emission, Runtime, Stake, Subnets, System};

/// Every subnet plus the lock cost of the next one.
pub fn subnets() -> SubnetList {
	let accounts = pallet_emission::Subnets::<Runtime>::get();
	let mut subnets: Vec<SubnetSummary> = pallet_subnets::Networks::<Runtime>::iter()
		.map(|(netuid, info)| {
			let params = pallet_subnets::Hyperparams::<Runtime>::get(netuid).unwrap_or_default();
			let account = accounts.get(&netuid).copied().unwrap_or_default();
			SubnetSummary {
				netuid,
				owner: info.owner,
				owner_hotkey: info.owner_hotkey,
				registered_at: info.registered_at,
				lock: info.lock,
				n: pallet_subnets::SubnetworkN::<Runtime>::get(netuid),
				max_allowed_uids: params.max_allowed_uids,
				tempo: params.tempo,
				burn: pallet_subnets::Burn::<Runtime>::get(netuid),
				last_epoch: pallet_weights::LastEpoch::<Runtime>::get(netuid),
				pending_emission: account.pending,
				stake: account.stake,
				owner_cut: Emission::owner_cut(netuid),
			}
		})
		.collect();
	subnets.sort_by_key(|subnet| subnet.netuid);
	SubnetList {
		subnets,
		network_lock_cost: Subnets::current_lock_cost(),
		subnet_limit: pallet_subnets::SubnetLimit::<Runtime>::get(),
	}
}

/// The hyperparameters of `netuid`.
pub fn subnet_hyperparams(netuid: NetUid) -> Option<SubnetHyperparams> {
	pallet_subnets::Hyperparams::<Runtime>::get(netuid)
}

/// The lock cost of a new subnet (`None`) or the burn of a neuron on `netuid`.
pub fn registration_cost(netuid: Option<NetUid>) -> Option<Balance> {
	match netuid {
		None => Some(Subnets::current_lock_cost()),
		Some(netuid) => pallet_subnets::Networks::<Runtime>::contains_key(netuid)
			.then(|| pallet_subnets::Burn::<Runtime>::get(netuid)),
	}
}

/// The metagraph of `netuid` with `fields` filled.
pub fn metagraph(netuid: NetUid, fields: &[MetagraphField]) -> Option<Metagraph> {
	let params = pallet_subnets::Hyperparams::<Runtime>::get(netuid)?;
	let n = pallet_subnets::SubnetworkN::<Runtime>::get(netuid);
	let wants = |field: MetagraphField| fields.contains(&field);
	let uids: Vec<Uid> = (0..n).collect();
	let hotkeys: Vec<AccountId> = uids
		.iter()
		.map(|uid| pallet_subnets::Keys::<Runtime>::get(netuid, uid).unwrap_or_else(zero_account))
		.collect();
	// Epoch outputs cover the UIDs that existed at the last epoch; newer UIDs read as zero.
	fn padded<V: Clone + Default>(values: &[V], n: u16) -> Vec<V> {
		(0..usize::from(n)).map(|i| values.get(i).cloned().unwrap_or_default()).collect()
	}
	let mut graph = Metagraph {
		netuid,
		block: System::block_number(),
		tempo: params.tempo,
		last_epoch: pallet_weights::LastEpoch::<Runtime>::get(netuid),
		pending_emission: pallet_emission::Subnets::<Runtime>::get()
			.get(&netuid)
			.map(|account| account.pending)
			.unwrap_or_default(),
		n,
		uids: uids.clone(),
		..Default::default()
	};
	if wants(MetagraphField::Coldkeys) {
		graph.coldkeys = hotkeys
			.iter()
			.map(|hotkey| {
				pallet_subnets::Owner::<Runtime>::get(hotkey).unwrap_or_else(zero_account)
			})
			.collect();
	}
	if wants(MetagraphField::Stake) {
		graph.stake = hotkeys.iter().map(pallet_stake::TotalHotkeyStake::<Runtime>::get).collect();
	}
	if wants(MetagraphField::Incentive) {
		graph.incentive = padded(&pallet_weights::Incentive::<Runtime>::get(netuid), n);
	}
	if wants(MetagraphField::Dividends) {
		graph.dividends = padded(&pallet_weights::Dividends::<Runtime>::get(netuid), n);
	}
	if wants(MetagraphField::Consensus) {
		graph.consensus = padded(&pallet_weights::Consensus::<Runtime>::get(netuid), n);
	}
	if wants(MetagraphField::ValidatorTrust) {
		graph.validator_trust = padded(&pallet_weights::ValidatorTrust::<Runtime>::get(netuid), n);
	}
	if wants(MetagraphField::Emission) {
		graph.emission = padded(&pallet_weights::Emission::<Runtime>::get(netuid), n);
	}
	if wants(MetagraphField::Active) {
		graph.active = padded(&pallet_weights::Active::<Runtime>::get(netuid), n);
	}
	if wants(MetagraphField::ValidatorPermit) {
		graph.validator_permit =
			padded(&pallet_weights::ValidatorPermit::<Runtime>::get(netuid), n);
	}
	if wants(MetagraphField::LastUpdate) {
		graph.last_update = padded(&pallet_weights::LastUpdate::<Runtime>::get(netuid), n);
	}
	if wants(MetagraphField::RegisteredAt) {
		graph.registered_at = uids
			.iter()
			.map(|uid| {
				pallet_subnets::RegisteredAt::<Runtime>::get(netuid, uid).unwrap_or_default()
			})
			.collect();
	}
	if wants(MetagraphField::Axons) {
		graph.axons = hotkeys
			.iter()
			.map(|hotkey| pallet_subnets::Axons::<Runtime>::get(netuid, hotkey))
			.collect();
	}
	if wants(MetagraphField::Hotkeys) {
		graph.hotkeys = hotkeys;
	}
	Some(graph)
}

/// One neuron of `netuid`.
pub fn neuron(netuid: NetUid, uid: Uid) -> Option<NeuronInfo> {
	let hotkey = pallet_subnets::Keys::<Runtime>::get(netuid, uid)?;
	let at = usize::from(uid);
	fn nth<V: Copy + Default>(values: &[V], at: usize) -> V {
		values.get(at).copied().unwrap_or_default()
	}
	Some(NeuronInfo {
		netuid,
		uid,
		coldkey: pallet_subnets::Owner::<Runtime>::get(&hotkey).unwrap_or_else(zero_account),
		stake: pallet_stake::TotalHotkeyStake::<Runtime>::get(&hotkey),
		incentive: nth(&pallet_weights::Incentive::<Runtime>::get(netuid), at),
		dividends: nth(&pallet_weights::Dividends::<Runtime>::get(netuid), at),
		consensus: nth(&pallet_weights::Consensus::<Runtime>::get(netuid), at),
		validator_trust: nth(&pallet_weights::ValidatorTrust::<Runtime>::get(netuid), at),
		emission: nth(&pallet_weights::Emission::<Runtime>::get(netuid), at),
		active: nth(&pallet_weights::Active::<Runtime>::get(netuid), at),
		validator_permit: nth(&pallet_weights::ValidatorPermit::<Runtime>::get(netuid), at),
		last_update: nth(&pallet_weights::LastUpdate::<Runtime>::get(netuid), at),
		registered_at: pallet_subnets::RegisteredAt::<Runtime>::get(netuid, uid)
			.unwrap_or_default(),
		axon: pallet_subnets::Axons::<Runtime>::get(netuid, &hotkey),
		hotkey,
	})
}

/// Every stake position of `coldkey`.
pub fn coldkey_stake(coldkey: AccountId) -> ColdkeyStake {
	let positions: Vec<StakePosition> = pallet_stake::StakedHotkeys::<Runtime>::get(&coldkey)
		.into_iter()
		.map(|hotkey| StakePosition {
			amount: pallet_stake::Stake::<Runtime>::get(&hotkey, &coldkey),
			hotkey,
		})
		.collect();
	ColdkeyStake {
		total: pallet_stake::TotalColdkeyStake::<Runtime>::get(&coldkey),
		coldkey,
		positions,
	}
}

/// Every staker of `hotkey`, with its owner and take.
pub fn hotkey_stakers(hotkey: AccountId) -> HotkeyStakers {
	let mut stakers: Vec<Staker> = pallet_stake::Stake::<Runtime>::iter_prefix(&hotkey)
		.map(|(coldkey, amount)| Staker { coldkey, amount })
		.collect();
	stakers.sort_by(|a, b| b.amount.cmp(&a.amount).then_with(|| a.coldkey.cmp(&b.coldkey)));
	HotkeyStakers {
		owner: pallet_subnets::Owner::<Runtime>::get(&hotkey),
		take: Stake::take(&hotkey),
		total: pallet_stake::TotalHotkeyStake::<Runtime>::get(&hotkey),
		stakers,
		hotkey,
	}
}

/// Stands in for a key the storage lost; a consistent state (checked by try-state) never has one.
fn zero_account() -> AccountId {
	AccountId::new([0; 32])
}
