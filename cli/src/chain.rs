//! Talking to a node: JSON-RPC calls, storage reads, and submitting signed extrinsics with
//! progress until inclusion or finality, turning a failed dispatch into a one-line reason.

use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use codec::{Decode, Encode};
use frame_metadata::RuntimeMetadata;
use jsonrpsee::{
	core::{
		client::{ClientT, Error as RpcError, SubscriptionClientT},
		params::ArrayParams,
	},
	rpc_params,
	ws_client::{WsClient, WsClientBuilder},
};
use myelin_runtime::{AccountId, Balance, Nonce, RuntimeCall, RuntimeError, RuntimeEvent};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use sp_core::{crypto::Ss58Codec, sr25519, Pair, H256};
use sp_runtime::{DispatchError, TokenError};

use crate::progress::Progress;

/// How long to follow a transaction at most.
const WATCH_TIMEOUT: Duration = Duration::from_secs(180);

/// Blocks a transaction the CLI signs stays valid (what polkadot.js uses): long enough to be
/// included on a busy chain, short enough that a stale signed transaction cannot be replayed.
const MORTAL_PERIOD: u64 = 64;

/// How far to follow a transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Wait {
	/// Until it is in a block (its outcome is known).
	InBlock,
	/// Until that block is finalized.
	Finalized,
}

/// A connected node.
pub struct Chain {
	client: WsClient,
	genesis: H256,
	spec_version: u32,
	transaction_version: u32,
}

/// A transaction's outcome.
pub struct Receipt {
	/// Hash of the extrinsic.
	pub extrinsic: H256,
	/// Block that included it.
	pub block_hash: H256,
	/// Its number.
	pub block_number: u32,
	/// Whether that block is finalized.
	pub finalized: bool,
	/// The events the extrinsic emitted.
	pub events: Vec<RuntimeEvent>,
}

impl Receipt {
	/// The receipt as JSON.
	pub fn to_json(&self) -> Value {
		json!({
			"status": if self.finalized { "finalized" } else { "inBlock" },
			"extrinsic": format!("{:?}", self.extrinsic),
			"blockHash": format!("{:?}", self.block_hash),
			"blockNumber": self.block_number,
			"events": self.events.iter().map(|e| format!("{e:?}")).collect::<Vec<_>>(),
		})
	}

	/// The first event `pick` recognizes.
	pub fn find<T>(&self, pick: impl Fn(&RuntimeEvent) -> Option<T>) -> Option<T> {
		self.events.iter().find_map(pick)
	}
}

/// The storage key of `pallet::item` with its already-hashed map keys appended.
pub fn storage_key(pallet: &str, item: &str, hashed_keys: &[Vec<u8>]) -> Vec<u8> {
	let mut key = sp_crypto_hashing::twox_128(pallet.as_bytes()).to_vec();
	key.extend(sp_crypto_hashing::twox_128(item.as_bytes()));
	for part in hashed_keys {
		key.extend(part);
	}
	key
}

/// A map key hashed with `Blake2_128Concat`.
pub fn blake2_128_concat(key: &impl Encode) -> Vec<u8> {
	let encoded = key.encode();
	let mut out = sp_crypto_hashing::blake2_128(&encoded).to_vec();
	out.extend(encoded);
	out
}

/// A map key hashed with `Twox64Concat`.
pub fn twox_64_concat(key: &impl Encode) -> Vec<u8> {
	let encoded = key.encode();
	let mut out = sp_crypto_hashing::twox_64(&encoded).to_vec();
	out.extend(encoded);
	out
}

/// The number of a JSON block header (hex, as the node sends it).
fn header_number(header: &Value) -> Result<u32> {
	header["number"]
		.as_str()
		.and_then(|n| u32::from_str_radix(n.trim_start_matches("0x"), 16).ok())
		.ok_or_else(|| anyhow!("block header without a number"))
}

fn decode_hex(text: &str) -> Result<Vec<u8>> {
	hex::decode(text.trim_start_matches("0x")).context("the node sent malformed hex")
}

/// Turns an RPC error into a readable one, recognizing the transaction pool's verdicts.
fn rpc_failure(method: &str, err: RpcError) -> anyhow::Error {
	match err {
		RpcError::Call(call) => {
			let data =
				call.data().map(|d| d.get().trim_matches('"').to_string()).unwrap_or_default();
			let text = format!("{} {data}", call.message());
			if text.contains("Inability to pay some fees") {
				anyhow!("insufficient balance to pay the transaction fee")
			} else if text.contains("Transaction is outdated")
				|| text.contains("Priority is too low")
			{
				anyhow!("transaction rejected ({}); retry", text.trim())
			} else {
				anyhow!("{}", text.trim())
			}
		}
		RpcError::Transport(e) => anyhow!("connection to the node failed during {method}: {e}"),
		RpcError::RequestTimeout => anyhow!("the node did not answer {method} in time"),
		other => anyhow!("{method}: {other}"),
	}
}

/// The pallet, name and first doc line of a module error, from the runtime's metadata.
fn module_error_docs(pallet_index: u8, error_index: u8) -> Option<(String, String, String)> {
	let RuntimeMetadata::V14(metadata) = myelin_runtime::Runtime::metadata().1 else {
		return None;
	};
	let pallet = metadata.pallets.iter().find(|p| p.index == pallet_index)?;
	let ty = metadata.types.resolve(pallet.error.as_ref()?.ty.id)?;
	let scale_info::TypeDef::Variant(variants) = &ty.type_def else { return None };
	let variant = variants.variants.iter().find(|v| v.index == error_index)?;
	let doc = variant.docs.first().cloned().unwrap_or_default();
	Some((pallet.name.clone(), variant.name.clone(), doc.trim().to_string()))
}

/// The plain-words class of the errors users meet most, ahead of the exact error name.
fn hint(error: &str) -> Option<&'static str> {
	if error.contains("InsufficientBalance") || error.contains("NotEnoughBalance") {
		Some("insufficient balance")
	} else if error.contains("TooFast") || error.contains("RateLimit") {
		Some("rate limited")
	} else if error == "BurnAboveMax" {
		Some("price above max")
	} else {
		None
	}
}

/// A one-line reason for a failed dispatch: `Pallet::Error: what it means`.
pub fn describe_dispatch_error(err: DispatchError) -> String {
	match err {
		DispatchError::Module(module) => {
			let error_index = module.error.first().copied().unwrap_or_default();
			match module_error_docs(module.index, error_index) {
				Some((pallet, name, doc)) => {
					let mut reason = format!("{pallet}::{name}");
					if let Some(hint) = hint(&name) {
						reason = format!("{hint} ({reason})");
					}
					if !doc.is_empty() {
						reason = format!("{reason}: {doc}");
					}
					reason
				}
				None => RuntimeError::from_dispatch_error(err)
					.map_or_else(|| format!("{err:?}"), |e| format!("{e:?}")),
			}
		}
		DispatchError::Token(TokenError::FundsUnavailable) => {
			"insufficient balance: the account cannot pay this amount".into()
		}
		DispatchError::Token(TokenError::BelowMinimum) => {
			"the amount would leave an account below the existential deposit".into()
		}
		DispatchError::Token(TokenError::Frozen) => "the funds are frozen".into(),
		DispatchError::BadOrigin => "this account is not allowed to make this call".into(),
		other => format!("{other:?}"),
	}
}

impl Chain {
	/// The chain's genesis hash.
	pub fn genesis(&self) -> H256 {
		self.genesis
	}

	/// Connects to `url` and reads the genesis hash and runtime version.
	pub async fn connect(url: &str) -> Result<Chain> {
		let client = WsClientBuilder::default()
			.request_timeout(Duration::from_secs(60))
			.build(url)
			.await
			.map_err(|e| anyhow!("cannot connect to {url}: {e}"))?;
		let genesis: String = client
			.request("chain_getBlockHash", rpc_params![0])
			.await
			.map_err(|e| rpc_failure("chain_getBlockHash", e))?;
		let genesis = H256::from_slice(&decode_hex(&genesis)?);
		let version: Value = client
			.request("state_getRuntimeVersion", rpc_params![])
			.await
			.map_err(|e| rpc_failure("state_getRuntimeVersion", e))?;
		let number = |key: &str| -> Result<u32> {
			version[key]
				.as_u64()
				.and_then(|v| u32::try_from(v).ok())
				.ok_or_else(|| anyhow!("runtime version lacks {key}"))
		};
		Ok(Chain {
			spec_version: number("specVersion")?,
			transaction_version: number("transactionVersion")?,
			client,
			genesis,
		})
	}

	/// A JSON-RPC call.
	pub async fn call<T: DeserializeOwned>(&self, method: &str, params: ArrayParams) -> Result<T> {
		self.client.request(method, params).await.map_err(|e| rpc_failure(method, e))
	}

	/// The best block's number.
	pub async fn best_number(&self) -> Result<u32> {
		let header: Value = self.call("chain_getHeader", rpc_params![]).await?;
		header_number(&header)
	}

	/// A storage value at the best block.
	pub async fn storage<T: Decode>(&self, key: &[u8]) -> Result<Option<T>> {
		let value: Option<String> =
			self.call("state_getStorage", rpc_params![format!("0x{}", hex::encode(key))]).await?;
		value
			.map(|hex_value| {
				let bytes = decode_hex(&hex_value)?;
				T::decode(&mut &bytes[..]).context("storage value does not decode")
			})
			.transpose()
	}

	/// `System::Account` of `who`: (free, reserved or held, frozen).
	pub async fn balances(&self, who: &AccountId) -> Result<(Balance, Balance, Balance)> {
		let key = storage_key("System", "Account", &[blake2_128_concat(who)]);
		let info: Option<frame_system::AccountInfo<Nonce, pallet_balances::AccountData<Balance>>> =
			self.storage(&key).await?;
		Ok(info.map_or((0, 0, 0), |i| (i.data.free, i.data.reserved, i.data.frozen)))
	}

	/// Signs `call` with `signer` (a mortal transaction), submits it and follows it as far as
	/// `wait`, reporting progress.
	/// A dispatch failure is an error with its reason.
	pub async fn submit(
		&self,
		signer: &sr25519::Pair,
		call: RuntimeCall,
		wait: Wait,
		progress: &Progress,
	) -> Result<Receipt> {
		let who = signer.public().to_ss58check();
		let nonce: Nonce = self.call("system_accountNextIndex", rpc_params![who]).await?;
		// Mortal, as wallets sign: valid for `MORTAL_PERIOD` blocks from the best block.
		let best = self.best_number().await?;
		let era = sp_runtime::generic::Era::mortal(MORTAL_PERIOD, u64::from(best));
		let birth = u32::try_from(era.birth(u64::from(best))).unwrap_or(best);
		let birth_hash: H256 = self.call("chain_getBlockHash", rpc_params![birth]).await?;
		let xt = myelin_runtime::signing::sign_in_era(
			call,
			signer,
			nonce,
			self.genesis,
			(era, birth_hash),
			(self.spec_version, self.transaction_version),
		);
		let encoded = xt.encode();
		let xt_hex = format!("0x{}", hex::encode(&encoded));
		let extrinsic = H256(sp_crypto_hashing::blake2_256(&encoded));
		progress.set("submitting");
		let mut subscription = self
			.client
			.subscribe::<Value, _>(
				"author_submitAndWatchExtrinsic",
				rpc_params![&xt_hex],
				"author_unwatchExtrinsic",
			)
			.await
			.map_err(|e| rpc_failure("author_submitAndWatchExtrinsic", e))?;
		let mut included: Option<Receipt> = None;
		let deadline = tokio::time::Instant::now()
			.checked_add(WATCH_TIMEOUT)
			.unwrap_or_else(tokio::time::Instant::now);
		loop {
			let status = tokio::time::timeout_at(deadline, subscription.next())
				.await
				.map_err(|_| {
					anyhow!("gave up waiting for the transaction after {WATCH_TIMEOUT:?}")
				})?
				.ok_or_else(|| anyhow!("the node closed the transaction subscription"))?
				.map_err(|e| anyhow!("transaction subscription failed: {e}"))?;
			if let Some(hash) = status.get("inBlock").and_then(Value::as_str) {
				let block_hash = H256::from_slice(&decode_hex(hash)?);
				let receipt = self.receipt(extrinsic, &xt_hex, block_hash).await?;
				progress.set(&format!("in block #{}", receipt.block_number));
				if wait == Wait::InBlock {
					return Ok(receipt);
				}
				progress.set(&format!("in block #{}, waiting for finality", receipt.block_number));
				included = Some(receipt);
			} else if let Some(hash) = status.get("finalized").and_then(Value::as_str) {
				let block_hash = H256::from_slice(&decode_hex(hash)?);
				let mut receipt = match included.take() {
					Some(receipt) if receipt.block_hash == block_hash => receipt,
					_ => self.receipt(extrinsic, &xt_hex, block_hash).await?,
				};
				receipt.finalized = true;
				return Ok(receipt);
			} else if status.get("retracted").is_some() {
				included = None;
				progress.set("block retracted, waiting for re-inclusion");
			} else if let Some(text) = status.as_str() {
				match text {
					"ready" => progress.set("ready, waiting for a block"),
					"future" => progress.set("queued behind an earlier nonce"),
					"invalid" => bail!("the transaction became invalid"),
					"dropped" => bail!("the transaction was dropped from the pool"),
					_ => {}
				}
			} else if status.get("usurped").is_some() {
				bail!("the transaction was replaced by another with the same nonce");
			} else if status.get("finalityTimeout").is_some() {
				bail!("the including block was not finalized in time");
			} else if status.get("broadcast").is_some() {
				progress.set("broadcast to peers");
			}
		}
	}

	/// The events of `extrinsic` in `block_hash`; a failed dispatch is an error.
	async fn receipt(&self, extrinsic: H256, xt_hex: &str, block_hash: H256) -> Result<Receipt> {
		let block: Value = self.call("chain_getBlock", rpc_params![block_hash]).await?;
		let extrinsics = block["block"]["extrinsics"].as_array().cloned().unwrap_or_default();
		let index = extrinsics
			.iter()
			.position(|x| x.as_str() == Some(xt_hex))
			.ok_or_else(|| anyhow!("the transaction is missing from its block"))?;
		let index = u32::try_from(index)?;
		let number = header_number(&block["block"]["header"])?;
		let key = storage_key("System", "Events", &[]);
		let raw: Option<String> = self
			.call("state_getStorage", rpc_params![format!("0x{}", hex::encode(key)), block_hash])
			.await?;
		let records: Vec<frame_system::EventRecord<RuntimeEvent, H256>> = match raw {
			Some(raw) => Decode::decode(&mut &decode_hex(&raw)?[..])
				.context("events do not decode: is the CLI older than the chain's runtime?")?,
			None => Vec::new(),
		};
		let events: Vec<RuntimeEvent> = records
			.into_iter()
			.filter(|r| r.phase == frame_system::Phase::ApplyExtrinsic(index))
			.map(|r| r.event)
			.collect();
		for event in &events {
			if let RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
				dispatch_error,
				..
			}) = event
			{
				bail!("{}", describe_dispatch_error(*dispatch_error));
			}
		}
		Ok(Receipt { extrinsic, block_hash, block_number: number, finalized: false, events })
	}
}
