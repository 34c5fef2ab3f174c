//! End-to-end: Myelin's JSON-RPC views and metadata on the real node, after a validator has
//! weighted a miner and an epoch has run.
//!
//! - Every `myelin_*` method answers with JSON (SS58 addresses, decimal MYL strings, proportions
//!   in [0, 1]) that agrees with storage; unknown subnets, UIDs, fields and addresses are
//!   JSON-RPC errors with clear messages; an optional block hash reads older state.
//! - A client with nothing but the metadata (V15, decoded generically with `scale-value`, the
//!   decoder subxt's dynamic API uses) decodes every storage entry of every pallet, keys
//!   included, and every Myelin runtime API result; the runtime APIs carry docs.

// Test code: panicking on a broken fixture is the point.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

mod common;

use codec::{Decode, Encode};
use common::{Node, DEMO_NETUID, STEP_TIMEOUT};
use frame_metadata::{
	v14::{StorageEntryType, StorageHasher},
	v15::RuntimeMetadataV15,
	RuntimeMetadata, RuntimeMetadataPrefixed,
};
use jsonrpsee::{core::client::ClientT, rpc_params, ws_client::WsClient};
use myelin_runtime::AccountId;
use scale_info::{PortableRegistry, TypeDef};
use serde_json::Value;
use sp_core::{crypto::Ss58Codec, sr25519, Pair};

async fn rpc(
	client: &WsClient,
	method: &str,
	params: jsonrpsee::core::params::ArrayParams,
) -> Value {
	client.request(method, params).await.unwrap_or_else(|e| panic!("{method}: {e}"))
}

/// Calls `method` expecting a JSON-RPC error; returns (code, message).
async fn rpc_error(
	client: &WsClient,
	method: &str,
	params: jsonrpsee::core::params::ArrayParams,
) -> (i32, String) {
	match client.request::<Value, _>(method, params).await {
		Err(jsonrpsee::core::client::Error::Call(err)) => (err.code(), err.message().to_string()),
		other => panic!("{method} should fail, got {other:?}"),
	}
}

fn myl(value: &Value) -> u128 {
	myelin_primitives::units::parse_myl(value.as_str().expect("balances are strings"))
		.expect("balances are decimal MYL")
}

#[tokio::test(flavor = "multi_thread")]
async fn myelin_rpc_views_and_metadata_decoding() {
	let dir = tempfile::tempdir().unwrap();
	let mut node = Node::start(dir.path(), &["--dev", "--sealing", "300"]);
	let client = node.client().await;
	let genesis: String =
		rpc(&client, "chain_getBlockHash", rpc_params![0]).await.as_str().unwrap().into();
	let common::WeightedSubnet { miner_id, miner_uid } =
		common::weighted_subnet(&node, &client).await;
	node.wait_until("incentive for the weighted miner", STEP_TIMEOUT, || async {
		common::metrics(&client).await.incentive.get(usize::from(miner_uid)) == Some(&u16::MAX)
	})
	.await;
	let alice: AccountId = sr25519::Pair::from_string("//Alice", None).unwrap().public().into();
	let validator: AccountId =
		sr25519::Pair::from_string("//Alice//stash", None).unwrap().public().into();

	// The methods are listed by `rpc_methods`.
	let methods = rpc(&client, "rpc_methods", rpc_params![]).await;
	let methods: Vec<&str> =
		methods["methods"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
	for method in [
		"myelin_subnets",
		"myelin_subnetHyperparams",
		"myelin_metagraph",
		"myelin_neuron",
		"myelin_stakeInfo",
		"myelin_registrationCost",
		"myelin_inferenceTask",
		"myelin_challenge",
	] {
		assert!(methods.contains(&method), "{method} missing from rpc_methods");
	}

	// Subnets.
	let list = rpc(&client, "myelin_subnets", rpc_params![]).await;
	let demo = &list["subnets"][0];
	assert_eq!(demo["netuid"], 1);
	assert_eq!(demo["owner"], alice.to_ss58check());
	assert_eq!(demo["tempo"], 10);
	assert_eq!(demo["n"], u64::from(miner_uid) + 1);
	assert!(myl(&list["networkLockCost"]) > 0);
	let owner_cut = demo["ownerCut"].as_f64().unwrap();
	assert!((0.0..=1.0).contains(&owner_cut));
	// At genesis the demo subnet had only its owner's neuron.
	let at_genesis = rpc(&client, "myelin_subnets", rpc_params![&genesis]).await;
	assert_eq!(at_genesis["subnets"][0]["n"], 1);

	let params = rpc(&client, "myelin_subnetHyperparams", rpc_params![DEMO_NETUID]).await;
	assert_eq!(params["tempo"], 10);
	assert!((params["kappa"].as_f64().unwrap() - 0.5).abs() < 1e-4);
	assert_eq!(myl(&params["minBurn"]), myelin_runtime::MYL / 10);
	let (code, message) = rpc_error(&client, "myelin_subnetHyperparams", rpc_params![42]).await;
	assert_eq!((code, message.as_str()), (1001, "subnet 42 does not exist"));

	// Metagraph: full, selective, and errors.
	let graph = rpc(&client, "myelin_metagraph", rpc_params![DEMO_NETUID]).await;
	let uid = usize::from(miner_uid);
	assert_eq!(graph["hotkeys"][uid], miner_id.to_ss58check());
	assert_eq!(graph["hotkeys"][0], validator.to_ss58check());
	assert_eq!(graph["coldkeys"][0], alice.to_ss58check());
	assert_eq!(graph["incentive"][uid], 1.0);
	assert_eq!(graph["dividends"][0], 1.0);
	assert_eq!(graph["validatorPermit"][0], true);
	assert!(myl(&graph["stake"][0]) >= 1_000 * myelin_runtime::MYL);
	for field in myelin_runtime_api::MetagraphField::ALL {
		assert_eq!(graph[field.name()].as_array().map(Vec::len), Some(uid + 1), "{}", field.name());
	}
	let partial =
		rpc(&client, "myelin_metagraph", rpc_params![DEMO_NETUID, ["incentive", "stake"]]).await;
	assert_eq!(partial["incentive"], graph["incentive"]);
	assert!(partial.get("hotkeys").is_none() && partial.get("axons").is_none());
	let (code, message) =
		rpc_error(&client, "myelin_metagraph", rpc_params![DEMO_NETUID, ["incentives"]]).await;
	assert_eq!(code, 1003);
	assert!(message.contains("unknown metagraph field \"incentives\""), "{message}");
	let (code, _) = rpc_error(&client, "myelin_metagraph", rpc_params![42]).await;
	assert_eq!(code, 1001);

	// Neuron.
	let neuron = rpc(&client, "myelin_neuron", rpc_params![DEMO_NETUID, miner_uid]).await;
	assert_eq!(neuron["hotkey"], miner_id.to_ss58check());
	assert_eq!(neuron["incentive"], 1.0);
	let (code, message) = rpc_error(&client, "myelin_neuron", rpc_params![DEMO_NETUID, 999]).await;
	assert_eq!((code, message.as_str()), (1002, "uid 999 is not registered on subnet 1"));
	let (code, _) = rpc_error(&client, "myelin_neuron", rpc_params![42, 0]).await;
	assert_eq!(code, 1001);

	// Stake.
	let info = rpc(&client, "myelin_stakeInfo", rpc_params![alice.to_ss58check()]).await;
	assert_eq!(info["coldkey"]["positions"][0]["hotkey"], validator.to_ss58check());
	assert_eq!(info["coldkey"]["positions"][0]["netuid"], DEMO_NETUID);
	assert_eq!(myl(&info["coldkey"]["positions"][0]["principal"]), 1_000 * myelin_runtime::MYL);
	assert!(myl(&info["coldkey"]["positions"][0]["amount"]) >= 1_000 * myelin_runtime::MYL);
	let info = rpc(&client, "myelin_stakeInfo", rpc_params![validator.to_ss58check()]).await;
	assert_eq!(info["hotkey"]["owner"], alice.to_ss58check());
	assert_eq!(info["hotkey"]["stakers"][0]["coldkey"], alice.to_ss58check());
	let (code, message) =
		rpc_error(&client, "myelin_stakeInfo", rpc_params!["5NotAnAddress"]).await;
	assert_eq!(code, 1003);
	assert!(message.contains("not an SS58 address"), "{message}");

	// Registration costs.
	let cost = rpc(&client, "myelin_registrationCost", rpc_params![]).await;
	assert_eq!((cost["kind"].as_str(), &cost["cost"]), (Some("subnet"), &list["networkLockCost"]));
	let cost = rpc(&client, "myelin_registrationCost", rpc_params![DEMO_NETUID]).await;
	assert_eq!(cost["kind"], "neuron");
	assert!(myl(&cost["cost"]) >= myelin_runtime::MYL / 10);
	let (code, _) = rpc_error(&client, "myelin_registrationCost", rpc_params![42]).await;
	assert_eq!(code, 1001);

	// Metadata alone is enough to decode all state and the runtime APIs.
	let metadata = metadata_v15(&client).await;
	let decoded = decode_all_storage(&client, &metadata).await;
	for (pallet, entries) in [("Subnets", 8), ("Stake", 4), ("Yuma", 4), ("Emission", 3)] {
		let count = decoded.iter().filter(|(p, _)| p == pallet).count();
		assert!(count >= entries, "only {count} {pallet} storage entries decoded");
	}
	decode_runtime_apis(&client, &metadata, miner_uid, &validator).await;
	assert!(node.is_running());
}

/// Fetches metadata V15 through the `Metadata_metadata_at_version` runtime API.
async fn metadata_v15(client: &WsClient) -> RuntimeMetadataV15 {
	let raw = state_call(client, "Metadata_metadata_at_version", &15u32.encode()).await;
	let bytes: Option<Vec<u8>> = Decode::decode(&mut &raw[..]).unwrap();
	let prefixed =
		RuntimeMetadataPrefixed::decode(&mut &bytes.expect("V15 is offered")[..]).unwrap();
	match prefixed.1 {
		RuntimeMetadata::V15(metadata) => metadata,
		_ => panic!("not V15"),
	}
}

async fn state_call(client: &WsClient, method: &str, args: &[u8]) -> Vec<u8> {
	let out: String = client
		.request("state_call", rpc_params![method, format!("0x{}", hex::encode(args))])
		.await
		.unwrap_or_else(|e| panic!("{method}: {e}"));
	hex::decode(out.trim_start_matches("0x")).unwrap()
}

/// Decodes `bytes` as type `ty` using only the registry; all bytes must be used.
fn decode_exactly(registry: &PortableRegistry, ty: u32, bytes: &[u8], what: &str) {
	let mut input = bytes;
	scale_value::scale::decode_as_type(&mut input, ty, registry)
		.unwrap_or_else(|e| panic!("{what} does not decode: {e}"));
	assert!(input.is_empty(), "{what}: {} bytes left over", input.len());
}

/// Decodes every key and value of every storage item of every pallet; returns
/// (pallet, item) of each decoded entry.
async fn decode_all_storage(
	client: &WsClient,
	metadata: &RuntimeMetadataV15,
) -> Vec<(String, String)> {
	let registry = &metadata.types;
	let mut decoded = Vec::new();
	for pallet in &metadata.pallets {
		let Some(storage) = &pallet.storage else { continue };
		for entry in &storage.entries {
			let mut prefix = sp_io::hashing::twox_128(storage.prefix.as_bytes()).to_vec();
			prefix.extend(sp_io::hashing::twox_128(entry.name.as_bytes()));
			let keys: Vec<String> = client
				.request(
					"state_getKeysPaged",
					rpc_params![format!("0x{}", hex::encode(&prefix)), 1000],
				)
				.await
				.unwrap();
			let what = format!("{}::{}", storage.prefix, entry.name);
			for key in keys {
				let key_bytes = hex::decode(key.trim_start_matches("0x")).unwrap();
				let value: String =
					client.request("state_getStorage", rpc_params![&key]).await.unwrap();
				let value = hex::decode(value.trim_start_matches("0x")).unwrap();
				let value_ty = match &entry.ty {
					StorageEntryType::Plain(ty) => ty.id,
					StorageEntryType::Map { hashers, key, value } => {
						decode_key(registry, hashers, key.id, &key_bytes[32..], &what);
						value.id
					}
				};
				decode_exactly(registry, value_ty, &value, &what);
				decoded.push((storage.prefix.clone(), entry.name.clone()));
			}
		}
	}
	decoded
}

/// Walks a map key: each hasher's hash, then (for the concat hashers) the key part itself.
fn decode_key(
	registry: &PortableRegistry,
	hashers: &[StorageHasher],
	key_ty: u32,
	mut key: &[u8],
	what: &str,
) {
	let parts: Vec<u32> = if hashers.len() == 1 {
		vec![key_ty]
	} else {
		match &registry.resolve(key_ty).unwrap().type_def {
			TypeDef::Tuple(tuple) => tuple.fields.iter().map(|f| f.id).collect(),
			_ => panic!("{what}: a multi-hasher key is a tuple"),
		}
	};
	for (hasher, ty) in hashers.iter().zip(parts) {
		let (hash_len, concat) = match hasher {
			StorageHasher::Blake2_128 | StorageHasher::Twox128 => (16, false),
			StorageHasher::Blake2_256 | StorageHasher::Twox256 => (32, false),
			StorageHasher::Blake2_128Concat => (16, true),
			StorageHasher::Twox64Concat => (8, true),
			StorageHasher::Identity => (0, true),
		};
		key = &key[hash_len..];
		if concat {
			scale_value::scale::decode_as_type(&mut key, ty, registry)
				.unwrap_or_else(|e| panic!("{what}: key does not decode: {e}"));
		}
	}
	assert!(key.is_empty(), "{what}: key has {} bytes left over", key.len());
}

/// Calls every method of Myelin's runtime APIs with arguments built from their metadata names
/// and decodes each result by the metadata's output type.
async fn decode_runtime_apis(
	client: &WsClient,
	metadata: &RuntimeMetadataV15,
	uid: u16,
	hotkey: &AccountId,
) {
	let registry = &metadata.types;
	let mut called = 0;
	for api in metadata.apis.iter().filter(|api| {
		["SubnetsApi", "MetagraphApi", "StakeApi", "InferenceApi"].contains(&api.name.as_str())
	}) {
		assert!(!api.docs.is_empty(), "{} has docs", api.name);
		for method in &api.methods {
			assert!(!method.docs.is_empty(), "{}_{} has docs", api.name, method.name);
			let mut args = Vec::new();
			for input in &method.inputs {
				let is_option = registry
					.resolve(input.ty.id)
					.map(|ty| ty.path.segments == ["Option"])
					.unwrap_or(false);
				match (input.name.as_str(), is_option) {
					("netuid", true) => Some(DEMO_NETUID).encode_to(&mut args),
					("netuid", false) => DEMO_NETUID.encode_to(&mut args),
					("uid", _) => uid.encode_to(&mut args),
					("round", _) => 1u32.encode_to(&mut args),
					("coldkey" | "hotkey", _) => hotkey.encode_to(&mut args),
					("fields", _) => {
						vec![myelin_runtime_api::MetagraphField::Incentive].encode_to(&mut args)
					}
					(other, _) => panic!("no test argument for {other}"),
				}
			}
			let name = format!("{}_{}", api.name, method.name);
			let out = state_call(client, &name, &args).await;
			decode_exactly(registry, method.output.id, &out, &name);
			// The demo subnet has no inference task here: those views are `None`.
			if api.name != "InferenceApi" {
				assert_ne!(out.first(), Some(&0), "{name} found the demo subnet");
			}
			called += 1;
		}
	}
	assert_eq!(called, 11, "all Myelin runtime API methods were called");
	let documented = registry.types.iter().any(|ty| {
		ty.ty.path.segments.last().map(String::as_str) == Some("Metagraph")
			&& !ty.ty.docs.is_empty()
	});
	assert!(documented, "the Metagraph type carries its docs in the metadata");
}
