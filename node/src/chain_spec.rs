//! Built-in chain specifications: `dev` and `local`, generated from the runtime's genesis
//! presets. Any other chain is loaded from a JSON file (`--chain path/to/spec.json`).

use myelin_primitives::{SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL};
use sc_service::ChainType;

/// The chain specification type of Myelin (no extensions).
pub type ChainSpec = sc_service::GenericChainSpec;

fn wasm_binary() -> Result<&'static [u8], String> {
	myelin_runtime::WASM_BINARY
		.ok_or_else(|| "The WASM runtime was not built (SKIP_WASM_BUILD was set?)".to_string())
}

/// Token metadata shown by wallets (polkadot.js reads these from `system_properties`).
fn properties() -> sc_chain_spec::Properties {
	let mut properties = sc_chain_spec::Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_PREFIX.into());
	properties
}

/// Single-authority development chain: Alice authors, finalizes and holds sudo.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("Myelin Development")
		.with_id("myelin_dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// Four-authority local testnet: Alice, Bob, Charlie and Dave author and finalize with equal
/// weights (any one may be down).
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("Myelin Local Testnet")
		.with_id("myelin_local")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}
