//! The `myelin_*` JSON-RPC methods: Myelin's runtime APIs (`myelin-runtime-api`) with JSON
//! results, each at the best block or at an optional block hash.
//!
//! An unknown subnet, UID or malformed address is a JSON-RPC error with a clear message, never an
//! empty success, so clients cannot mistake "does not exist" for "has nothing".

use std::sync::Arc;

use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{ErrorObject, ErrorObjectOwned},
};
use myelin_inference::host::InferenceHost;
use myelin_primitives::{units::format_myl, AccountId, NetUid, Uid};
use myelin_runtime::opaque::Block;
use myelin_runtime_api::{
	InferenceApi, MetagraphApi, MetagraphField, RoundIndex, StakeApi, SubnetsApi,
};
use serde_json::{json, Value};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::{crypto::Ss58Codec, H256};

use super::{json, rate_limit::RateLimiter};

/// Error codes of the `myelin_*` methods.
pub mod error {
	/// The runtime API call failed (for example, the block is unknown or pruned).
	pub const RUNTIME: i32 = 1000;
	/// The subnet does not exist.
	pub const UNKNOWN_SUBNET: i32 = 1001;
	/// No neuron holds this UID on the subnet.
	pub const UNKNOWN_UID: i32 = 1002;
	/// A parameter could not be understood (bad address, unknown metagraph field).
	pub const INVALID_PARAMS: i32 = 1003;
	/// The subnet has no inference task, or the round is unknown or pruned.
	pub const UNKNOWN_ROUND: i32 = 1004;
	/// The node serves this method at a limited rate; retry later.
	pub const RATE_LIMITED: i32 = 1005;
}

/// Challenges this node expands per second across all connections, on average…
pub const CHALLENGES_PER_SECOND: u32 = 20;
/// …and in a burst.
pub const CHALLENGE_BURST: u32 = 40;

/// Myelin's JSON-RPC methods.
#[rpc(server, namespace = "myelin")]
pub trait MyelinApi {
	/// Every subnet (owner, size, tempo, burn, pending emission, …) and the lock cost of a new
	/// one.
	#[method(name = "subnets")]
	fn subnets(&self, at: Option<H256>) -> RpcResult<Value>;

	/// The hyperparameters of `netuid`.
	#[method(name = "subnetHyperparams")]
	fn subnet_hyperparams(&self, netuid: NetUid, at: Option<H256>) -> RpcResult<Value>;

	/// The metagraph of `netuid`; `fields` (camelCase names such as `"incentive"`) limits the
	/// per-UID vectors returned, all of them by default.
	#[method(name = "metagraph")]
	fn metagraph(
		&self,
		netuid: NetUid,
		fields: Option<Vec<String>>,
		at: Option<H256>,
	) -> RpcResult<Value>;

	/// The neuron with `uid` on `netuid`.
	#[method(name = "neuron")]
	fn neuron(&self, netuid: NetUid, uid: Uid, at: Option<H256>) -> RpcResult<Value>;

	/// An account's stake, as a coldkey (its positions) and as a hotkey (its stakers and take).
	#[method(name = "stakeInfo")]
	fn stake_info(&self, account: String, at: Option<H256>) -> RpcResult<Value>;

	/// The burn of registering a neuron on `netuid`, or without one, the lock cost of a new
	/// subnet.
	#[method(name = "registrationCost")]
	fn registration_cost(&self, netuid: Option<NetUid>, at: Option<H256>) -> RpcResult<Value>;

	/// The inference task of `netuid` (null without one) and its current round (null before
	/// the first).
	#[method(name = "inferenceTask")]
	fn inference_task(&self, netuid: NetUid, at: Option<H256>) -> RpcResult<Value>;

	/// `hotkey`'s challenge in a round of `netuid` (the current one by default): its seed, and
	/// the inputs expanded with the subnet's model when this node has the model (null
	/// otherwise). Runs off the connection's task, and at most [`CHALLENGES_PER_SECOND`] per
	/// second for all callers together (error [`error::RATE_LIMITED`] beyond).
	#[method(name = "challenge", blocking)]
	fn challenge(
		&self,
		netuid: NetUid,
		hotkey: String,
		round: Option<RoundIndex>,
		at: Option<H256>,
	) -> RpcResult<Value>;
}

/// Serves [`MyelinApiServer`] from a client with Myelin's runtime APIs.
pub struct Myelin<C> {
	client: Arc<C>,
	models: Option<Arc<dyn InferenceHost>>,
	challenges: RateLimiter,
}

impl<C> Myelin<C> {
	/// Serves the methods from `client`; `models` (the node's model directory, if any) expands
	/// challenges.
	pub fn new(client: Arc<C>, models: Option<Arc<dyn InferenceHost>>) -> Self {
		Self {
			client,
			models,
			challenges: RateLimiter::new(CHALLENGES_PER_SECOND, CHALLENGE_BURST),
		}
	}
}

pub(super) fn rpc_error(code: i32, message: impl Into<String>) -> ErrorObjectOwned {
	ErrorObject::owned(code, message.into(), None::<()>)
}

pub(super) fn runtime_error(err: impl std::fmt::Display) -> ErrorObjectOwned {
	rpc_error(error::RUNTIME, format!("runtime API call failed: {err}"))
}

pub(super) fn unknown_subnet(netuid: NetUid) -> ErrorObjectOwned {
	rpc_error(error::UNKNOWN_SUBNET, format!("subnet {netuid} does not exist"))
}

/// `text` as an SS58 address, or an [`error::INVALID_PARAMS`] error that says why not.
pub(super) fn parse_address(text: &str) -> Result<AccountId, ErrorObjectOwned> {
	AccountId::from_ss58check(text).map_err(|err| {
		rpc_error(error::INVALID_PARAMS, format!("{text:?} is not an SS58 address: {err:?}"))
	})
}

impl<C> Myelin<C>
where
	C: HeaderBackend<Block>,
{
	fn at(&self, at: Option<H256>) -> H256 {
		at.unwrap_or_else(|| self.client.info().best_hash)
	}
}

impl<C> MyelinApiServer for Myelin<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: SubnetsApi<Block> + MetagraphApi<Block> + StakeApi<Block> + InferenceApi<Block>,
{
	fn subnets(&self, at: Option<H256>) -> RpcResult<Value> {
		let list = self.client.runtime_api().subnets(self.at(at)).map_err(runtime_error)?;
		Ok(json::subnets(&list))
	}

	fn subnet_hyperparams(&self, netuid: NetUid, at: Option<H256>) -> RpcResult<Value> {
		let params = self
			.client
			.runtime_api()
			.subnet_hyperparams(self.at(at), netuid)
			.map_err(runtime_error)?
			.ok_or_else(|| unknown_subnet(netuid))?;
		Ok(json::hyperparams(netuid, &params))
	}

	fn metagraph(
		&self,
		netuid: NetUid,
		fields: Option<Vec<String>>,
		at: Option<H256>,
	) -> RpcResult<Value> {
		let fields: Vec<MetagraphField> = match fields {
			None => MetagraphField::ALL.to_vec(),
			Some(names) => names
				.iter()
				.map(|name| {
					MetagraphField::from_name(name).ok_or_else(|| {
						let known: Vec<&str> =
							MetagraphField::ALL.iter().map(|f| f.name()).collect();
						rpc_error(
							error::INVALID_PARAMS,
							format!(
								"unknown metagraph field {name:?}; known: {}",
								known.join(", ")
							),
						)
					})
				})
				.collect::<Result<_, _>>()?,
		};
		let graph = self
			.client
			.runtime_api()
			.selective_metagraph(self.at(at), netuid, fields.clone())
			.map_err(runtime_error)?
			.ok_or_else(|| unknown_subnet(netuid))?;
		Ok(json::metagraph(&graph, &fields))
	}

	fn neuron(&self, netuid: NetUid, uid: Uid, at: Option<H256>) -> RpcResult<Value> {
		let api = self.client.runtime_api();
		let at = self.at(at);
		match api.neuron(at, netuid, uid).map_err(runtime_error)? {
			Some(neuron) => Ok(json::neuron(&neuron)),
			None => {
				let exists =
					api.registration_cost(at, Some(netuid)).map_err(runtime_error)?.is_some();
				Err(if exists {
					rpc_error(
						error::UNKNOWN_UID,
						format!("uid {uid} is not registered on subnet {netuid}"),
					)
				} else {
					unknown_subnet(netuid)
				})
			}
		}
	}

	fn stake_info(&self, account: String, at: Option<H256>) -> RpcResult<Value> {
		let id = parse_address(&account)?;
		let api = self.client.runtime_api();
		let at = self.at(at);
		let as_coldkey = api.coldkey_stake(at, id.clone()).map_err(runtime_error)?;
		let as_hotkey = api.hotkey_stakers(at, id).map_err(runtime_error)?;
		Ok(json::stake_info(&as_coldkey, &as_hotkey))
	}

	fn registration_cost(&self, netuid: Option<NetUid>, at: Option<H256>) -> RpcResult<Value> {
		let cost = self
			.client
			.runtime_api()
			.registration_cost(self.at(at), netuid)
			.map_err(runtime_error)?;
		match (netuid, cost) {
			(None, Some(lock)) => Ok(json!({ "kind": "subnet", "cost": format_myl(lock) })),
			(Some(netuid), Some(burn)) => {
				Ok(json!({ "kind": "neuron", "netuid": netuid, "cost": format_myl(burn) }))
			}
			(Some(netuid), None) => Err(unknown_subnet(netuid)),
			(None, None) => Err(runtime_error("no lock cost")),
		}
	}

	fn inference_task(&self, netuid: NetUid, at: Option<H256>) -> RpcResult<Value> {
		let api = self.client.runtime_api();
		let at = self.at(at);
		if api.registration_cost(at, Some(netuid)).map_err(runtime_error)?.is_none() {
			return Err(unknown_subnet(netuid));
		}
		let task = api.task_spec(at, netuid).map_err(runtime_error)?;
		let round = api.current_round(at, netuid).map_err(runtime_error)?;
		Ok(json::inference_task(netuid, task.as_ref(), round.as_ref()))
	}

	fn challenge(
		&self,
		netuid: NetUid,
		hotkey: String,
		round: Option<RoundIndex>,
		at: Option<H256>,
	) -> RpcResult<Value> {
		let id = parse_address(&hotkey)?;
		if !self.challenges.try_acquire() {
			return Err(rpc_error(
				error::RATE_LIMITED,
				format!("this node expands at most {CHALLENGES_PER_SECOND} challenges per second"),
			));
		}
		let api = self.client.runtime_api();
		let at = self.at(at);
		if api.registration_cost(at, Some(netuid)).map_err(runtime_error)?.is_none() {
			return Err(unknown_subnet(netuid));
		}
		let unknown = |message: String| rpc_error(error::UNKNOWN_ROUND, message);
		let task = api
			.task_spec(at, netuid)
			.map_err(runtime_error)?
			.ok_or_else(|| unknown(format!("subnet {netuid} has no inference task")))?;
		let index = match round {
			Some(round) => round,
			None => {
				api.current_round(at, netuid)
					.map_err(runtime_error)?
					.ok_or_else(|| unknown(format!("subnet {netuid} has not started a round")))?
					.index
			}
		};
		let seed =
			api.challenge_seed(at, netuid, index, id.clone()).map_err(runtime_error)?.ok_or_else(
				|| unknown(format!("round {index} of subnet {netuid} is unknown or pruned")),
			)?;
		let inputs = self.models.as_ref().and_then(|models| {
			models.challenge_inputs(task.model, seed, u32::from(task.inputs_per_round)).ok()
		});
		Ok(json!({
			"netuid": netuid,
			"round": index,
			"hotkey": json::address(&id),
			"seed": format!("0x{}", hex::encode(seed)),
			"inputs": inputs,
		}))
	}
}
