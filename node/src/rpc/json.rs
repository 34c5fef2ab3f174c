//! JSON shapes of the `myelin_*` RPC results: SS58 addresses, balances as decimal MYL strings
//! (exact, see `format_myl`), proportions as numbers in [0, 1], camelCase keys.

use myelin_primitives::inference::PPM;
use myelin_primitives::{units::format_myl, AccountId, AxonInfo, SubnetHyperparams, SS58_PREFIX};
use myelin_runtime_api::{
	ColdkeyStake, HotkeyStakers, Metagraph, MetagraphField, NeuronInfo, RoundInfo, SubnetList,
	TaskSpec,
};
use serde_json::{json, Value};
use sp_core::crypto::{Ss58AddressFormat, Ss58Codec};
use sp_runtime::{PerThing, Perbill};

/// An account as an SS58 address with Myelin's prefix.
pub fn address(account: &AccountId) -> String {
	account.to_ss58check_with_version(Ss58AddressFormat::custom(SS58_PREFIX))
}

/// A fraction of `u16::MAX` as a number in [0, 1].
pub fn proportion(value: u16) -> f64 {
	f64::from(value) / f64::from(u16::MAX)
}

/// A `Perbill` as a number in [0, 1].
pub fn perbill(value: Perbill) -> f64 {
	f64::from(value.deconstruct()) / f64::from(Perbill::ACCURACY)
}

fn axon(axon: &AxonInfo) -> Value {
	let ip = match u32::try_from(axon.ip) {
		Ok(v4) if axon.ip_type == 4 => std::net::Ipv4Addr::from(v4).to_string(),
		_ => std::net::Ipv6Addr::from(axon.ip).to_string(),
	};
	json!({
		"ip": ip,
		"port": axon.port,
		"ipType": axon.ip_type,
		"protocol": axon.protocol,
		"version": axon.version,
		"block": axon.block,
	})
}

/// `myelin_subnets`.
pub fn subnets(list: &SubnetList) -> Value {
	let subnets: Vec<Value> = list
		.subnets
		.iter()
		.map(|s| {
			json!({
				"netuid": s.netuid,
				"owner": address(&s.owner),
				"ownerHotkey": address(&s.owner_hotkey),
				"registeredAt": s.registered_at,
				"lock": format_myl(s.lock),
				"n": s.n,
				"maxAllowedUids": s.max_allowed_uids,
				"tempo": s.tempo,
				"burn": format_myl(s.burn),
				"lastEpoch": s.last_epoch,
				"pendingEmission": format_myl(s.pending_emission),
				"stake": format_myl(s.stake),
				"ownerCut": perbill(s.owner_cut),
			})
		})
		.collect();
	json!({
		"subnets": subnets,
		"networkLockCost": format_myl(list.network_lock_cost),
		"subnetLimit": list.subnet_limit,
	})
}

/// `myelin_subnetHyperparams`. Block counts stay integers; shares of `u16::MAX` and ppm become
/// proportions.
pub fn hyperparams(netuid: u16, p: &SubnetHyperparams) -> Value {
	json!({
		"netuid": netuid,
		"tempo": p.tempo,
		"kappa": proportion(p.kappa),
		"maxAllowedUids": p.max_allowed_uids,
		"maxAllowedValidators": p.max_allowed_validators,
		"immunityPeriod": p.immunity_period,
		"minAllowedWeights": p.min_allowed_weights,
		"maxWeightsLimit": proportion(p.max_weights_limit),
		"weightsSetRateLimit": p.weights_set_rate_limit,
		"weightsVersionKey": p.weights_version_key,
		"activityCutoff": p.activity_cutoff,
		"bondsMovingAverage": f64::from(p.bonds_moving_average) / 1_000_000.0,
		"commitRevealEnabled": p.commit_reveal_enabled,
		"revealPeriod": p.reveal_period,
		"minBurn": format_myl(p.min_burn),
		"maxBurn": format_myl(p.max_burn),
		"burnHalfLife": p.burn_half_life,
		"burnIncreaseMult": f64::from(p.burn_increase_mult) / 100.0,
		"servingRateLimit": p.serving_rate_limit,
	})
}

/// `myelin_metagraph`: the subnet-level fields plus each requested per-UID vector.
pub fn metagraph(graph: &Metagraph, fields: &[MetagraphField]) -> Value {
	let mut out = json!({
		"netuid": graph.netuid,
		"block": graph.block,
		"tempo": graph.tempo,
		"lastEpoch": graph.last_epoch,
		"pendingEmission": format_myl(graph.pending_emission),
		"n": graph.n,
		"uids": graph.uids,
	});
	let proportions = |v: &[u16]| -> Value { v.iter().copied().map(proportion).collect() };
	for field in fields {
		let value: Value = match field {
			MetagraphField::Hotkeys => graph.hotkeys.iter().map(address).collect(),
			MetagraphField::Coldkeys => graph.coldkeys.iter().map(address).collect(),
			MetagraphField::Stake => graph.stake.iter().copied().map(format_myl).collect(),
			MetagraphField::Incentive => proportions(&graph.incentive),
			MetagraphField::Dividends => proportions(&graph.dividends),
			MetagraphField::Consensus => proportions(&graph.consensus),
			MetagraphField::ValidatorTrust => proportions(&graph.validator_trust),
			MetagraphField::Emission => {
				graph.emission.iter().map(|e| format_myl(u128::from(*e))).collect()
			}
			MetagraphField::Active => json!(graph.active),
			MetagraphField::ValidatorPermit => json!(graph.validator_permit),
			MetagraphField::LastUpdate => json!(graph.last_update),
			MetagraphField::RegisteredAt => json!(graph.registered_at),
			MetagraphField::Axons => {
				graph.axons.iter().map(|a| a.as_ref().map_or(Value::Null, axon)).collect()
			}
		};
		if let Some(object) = out.as_object_mut() {
			object.insert(field.name().to_string(), value);
		}
	}
	out
}

/// `myelin_neuron`.
pub fn neuron(n: &NeuronInfo) -> Value {
	json!({
		"netuid": n.netuid,
		"uid": n.uid,
		"hotkey": address(&n.hotkey),
		"coldkey": address(&n.coldkey),
		"stake": format_myl(n.stake),
		"incentive": proportion(n.incentive),
		"dividends": proportion(n.dividends),
		"consensus": proportion(n.consensus),
		"validatorTrust": proportion(n.validator_trust),
		"emission": format_myl(u128::from(n.emission)),
		"active": n.active,
		"validatorPermit": n.validator_permit,
		"lastUpdate": n.last_update,
		"registeredAt": n.registered_at,
		"axon": n.axon.as_ref().map_or(Value::Null, axon),
	})
}

/// `myelin_stakeInfo`: the account as a coldkey (its positions, per hotkey and subnet) and as a
/// hotkey (its stake per subnet and its stakers).
pub fn stake_info(as_coldkey: &ColdkeyStake, as_hotkey: &HotkeyStakers) -> Value {
	json!({
		"account": address(&as_coldkey.coldkey),
		"coldkey": {
			"total": format_myl(as_coldkey.total),
			"held": format_myl(as_coldkey.held),
			"positions": as_coldkey.positions.iter().map(|p| json!({
				"hotkey": address(&p.hotkey),
				"netuid": p.netuid,
				"amount": format_myl(p.amount),
				"principal": format_myl(p.principal),
			})).collect::<Vec<_>>(),
		},
		"hotkey": {
			"owner": as_hotkey.owner.as_ref().map(address),
			"take": perbill(as_hotkey.take),
			"total": format_myl(as_hotkey.total),
			"subnets": as_hotkey.subnets.iter().map(|(netuid, stake)| json!({
				"netuid": netuid,
				"stake": format_myl(*stake),
			})).collect::<Vec<_>>(),
			"stakers": as_hotkey.stakers.iter().map(|s| json!({
				"coldkey": address(&s.coldkey),
				"netuid": s.netuid,
				"amount": format_myl(s.amount),
			})).collect::<Vec<_>>(),
		},
	})
}

fn ppm(value: u32) -> f64 {
	f64::from(value) / f64::from(PPM)
}

/// `myelin_inferenceTask`: the task and the current round with its windows.
pub fn inference_task(netuid: u16, task: Option<&TaskSpec>, round: Option<&RoundInfo>) -> Value {
	let task_json = task.map(|t| {
		json!({
			"model": format!("0x{}", hex::encode(t.model)),
			"dimensions": t.dimensions,
			"inputsPerRound": t.inputs_per_round,
			"interval": t.interval,
			"commitWindow": t.commit_window,
			"revealWindow": t.reveal_window,
			"scoreThreshold": ppm(t.score_threshold),
			"speedWeight": ppm(t.speed_weight),
			"auditRate": ppm(t.audit_rate),
		})
	});
	let round_json = round.map(|r| {
		json!({
			"index": r.index,
			"start": r.start,
			"seed": format!("0x{}", hex::encode(r.seed)),
			"commitUntil": task.map(|t| t.commit_end(r.start)),
			"revealUntil": task.map(|t| t.reveal_end(r.start)),
		})
	});
	json!({ "netuid": netuid, "task": task_json, "round": round_json })
}
