//! Genesis presets: `development` (`--dev`: Alice authors and holds sudo; referenda take
//! seconds) and `local_testnet` (`--chain local`: Alice, Bob, Charlie and Dave author and
//! finalize, any one of them may fail).
//! Both fund the well-known dev accounts. Production chain specs are built from their own JSON and carry no sudo key.

use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use myelin_primitives::units::MYL;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

use crate::{
	AccountId, AuraConfig, Balance, BalancesConfig, GovernanceConfig, GrandpaConfig,
	InferenceConfig, RuntimeGenesisConfig, SubnetsConfig, SudoConfig,
};
use pallet_governance::Timing;

/// What each pre-funded development account starts with.
pub const DEV_ENDOWMENT: Balance = 100_000 * MYL;

/// Builds the genesis JSON patch for a chain with the given authorities, sudo key and endowed
/// accounts.
pub fn testnet_genesis(
	authorities: Vec<(AuraId, GrandpaId, u64)>,
	endowed_accounts: Vec<AccountId>,
	root: AccountId,
	subnets: Vec<(AccountId, AccountId, u16)>,
	timing: Timing,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts
				.iter()
				.cloned()
				.map(|account| (account, DEV_ENDOWMENT))
				.collect::<Vec<_>>(),
		},
		aura: AuraConfig {
			authorities: authorities.iter().map(|(aura, _, _)| aura.clone()).collect::<Vec<_>>(),
		},
		grandpa: GrandpaConfig {
			authorities: authorities
				.iter()
				.map(|(_, grandpa, weight)| (grandpa.clone(), *weight))
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
		subnets: SubnetsConfig { subnets },
		governance: GovernanceConfig { timing },
		// Test networks: miners may be started misbehaving on purpose (`--miner-mode`).
		inference: InferenceConfig { miner_test_modes: true },
	})
}

/// Aura (sr25519) and GRANDPA (ed25519) keys of a well-known dev authority, derived from the
/// same `//Name` seed as `myelin-node key insert --suri //Name` would, with its GRANDPA weight.
fn authority_keys(
	aura: Sr25519Keyring,
	grandpa: Ed25519Keyring,
	weight: u64,
) -> (AuraId, GrandpaId, u64) {
	(aura.public().into(), grandpa.public().into(), weight)
}

/// Tempo of the demo subnet: short, so an epoch passes every minute on a dev chain.
pub const DEMO_SUBNET_TEMPO: u16 = 10;

/// The `development` preset: Alice is the only authority and the sudo key, and owns a demo
/// subnet (netuid 1) whose first neuron is her hotkey `//Alice//stash`.
pub fn development_config_genesis() -> Value {
	testnet_genesis(
		vec![authority_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice, 1)],
		Sr25519Keyring::iter().map(|k| k.to_account_id()).collect(),
		Sr25519Keyring::Alice.to_account_id(),
		vec![(
			Sr25519Keyring::Alice.to_account_id(),
			Sr25519Keyring::AliceStash.to_account_id(),
			DEMO_SUBNET_TEMPO,
		)],
		// Referenda decide in seconds, so governance can be tried (and tested) on a dev chain.
		Timing::Fast,
	)
}

/// The `local_testnet` preset: Alice, Bob, Charlie and Dave author and finalize with equal
/// GRANDPA weights; Alice is sudo.
///
/// GRANDPA finalizes with more than two thirds of the voting weight: with four equal voters any
/// three finalize, so any one node may be down or faulty, and no key holds more than a third.
pub fn local_config_genesis() -> Value {
	testnet_genesis(
		vec![
			authority_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice, 1),
			authority_keys(Sr25519Keyring::Bob, Ed25519Keyring::Bob, 1),
			authority_keys(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie, 1),
			authority_keys(Sr25519Keyring::Dave, Ed25519Keyring::Dave, 1),
		],
		Sr25519Keyring::iter().map(|k| k.to_account_id()).collect(),
		Sr25519Keyring::Alice.to_account_id(),
		Vec::new(),
		Timing::Production,
	)
}

/// The JSON of the named preset, if it exists.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	serde_json::to_string(&patch).ok().map(|json| json.into_bytes())
}

/// The names of every preset this runtime provides.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}

/// The full genesis config of the named preset: the runtime's defaults with the preset's patch
/// merged over them, as chain-spec building does. For native tests and tools.
#[cfg(feature = "std")]
pub fn genesis_config(id: &PresetId) -> Option<RuntimeGenesisConfig> {
	fn merge(base: &mut Value, patch: Value) {
		match (base, patch) {
			(Value::Object(base), Value::Object(patch)) => {
				for (key, value) in patch {
					merge(base.entry(key).or_insert(Value::Null), value);
				}
			}
			(base, patch) => *base = patch,
		}
	}
	let patch: Value = serde_json::from_slice(&get_preset(id)?).ok()?;
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).ok()?;
	merge(&mut config, patch);
	serde_json::from_value(config).ok()
}
