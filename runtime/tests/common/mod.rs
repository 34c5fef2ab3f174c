//! Genesis from the runtime's presets, for the native runtime tests.

#![allow(dead_code)]

use myelin_runtime::{genesis_config_presets, RuntimeGenesisConfig};
use sp_runtime::BuildStorage;

/// Merges a genesis preset patch over the runtime's default genesis config, as chain-spec
/// building does.
fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
			for (key, value) in patch {
				merge(base.entry(key).or_insert(serde_json::Value::Null), value);
			}
		}
		(base, patch) => *base = patch,
	}
}

pub fn genesis_config(preset: &str) -> RuntimeGenesisConfig {
	let bytes = genesis_config_presets::get_preset(&preset.into())
		.unwrap_or_else(|| panic!("preset {preset} exists"));
	let patch: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	merge(&mut config, patch);
	serde_json::from_value(config).unwrap()
}

pub fn new_ext(preset: &str) -> sp_io::TestExternalities {
	let storage = genesis_config(preset).build_storage().unwrap();
	sp_io::TestExternalities::new(storage)
}
