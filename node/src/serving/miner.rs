//! The miner's embeddings API (`--inference-api`): `POST /v1/embeddings` answered by the node's
//! own models and signed with the `mine` hotkey registered on the model's subnet.
//!
//! A request names the model by sha256 (hex, optionally `sha256:`-prefixed) or by the name of
//! its directory under `--model-dir`; the gateway may name the subnet (`x-myelin-netuid`) and the
//! request id (`x-myelin-request-id`, 32 hex digits). The miner answers only for subnets whose
//! task names that model, where one of its `mine` keys is registered, from a local file that
//! hashes to the task's sha256 (the model registry guarantees the last). Every answer carries a
//! [`SignedReceipt`]. Request bodies are held in memory only: never logged, never written.

use std::{
	net::SocketAddr,
	sync::{
		atomic::{AtomicU64, Ordering},
		Arc, Mutex,
	},
};

use myelin_inference_engine::registry::ModelRegistry;
use myelin_primitives::{
	receipt::{input_hash, output_hash, Receipt, SignedReceipt},
	AccountId, NetUid,
};
use serde_json::{json, Value};
use sp_core::{sr25519, H256};
use sp_keystore::KeystorePtr;

use super::{
	chain::ChainView,
	http::{self, HttpResponse},
	openai::{self, ApiError},
};

/// Header naming the subnet a gateway routes for.
pub const NETUID_HEADER: &str = "x-myelin-netuid";
/// Header carrying the request id the receipt signs.
pub const REQUEST_ID_HEADER: &str = "x-myelin-request-id";
/// Requests embedded at once; more are answered 503 at once (the gateway tries another miner)
/// rather than queueing work no one will wait for.
pub const MAX_CONCURRENT_EMBEDS: usize = 4;

/// How this miner answers organic requests (`--miner-mode`; development chains only).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OrganicMode {
	/// Runs the model on every request.
	Honest,
	/// Answers every other request with noise, signed as if it were the model's answer: the
	/// behaviour audits exist to catch.
	CheatHalf,
}

/// One (subnet, model, hotkey) this node serves.
#[derive(Clone, PartialEq, Debug)]
pub struct Served {
	/// The subnet.
	pub netuid: NetUid,
	/// The task's model.
	pub model: [u8; 32],
	/// The task's output width.
	pub dimensions: u16,
	/// This node's `mine` hotkey registered there.
	pub hotkey: AccountId,
}

/// The miner's API state.
pub struct MinerApi {
	chain: Arc<dyn ChainView>,
	keystore: KeystorePtr,
	models: Arc<ModelRegistry>,
	mode: OrganicMode,
	answered: AtomicU64,
	/// What is served, computed once per best block.
	served: Mutex<Option<(H256, Vec<Served>)>>,
	/// Embedding slots ([`MAX_CONCURRENT_EMBEDS`]).
	slots: Arc<tokio::sync::Semaphore>,
}

impl MinerApi {
	/// The API over the node's chain view, keystore and models.
	pub fn new(
		chain: Arc<dyn ChainView>,
		keystore: KeystorePtr,
		models: Arc<ModelRegistry>,
		mode: OrganicMode,
	) -> MinerApi {
		MinerApi {
			chain,
			keystore,
			models,
			mode,
			answered: AtomicU64::new(0),
			served: Mutex::new(None),
			slots: Arc::new(tokio::sync::Semaphore::new(MAX_CONCURRENT_EMBEDS)),
		}
	}

	/// The (subnet, model, hotkey) triples served at the best block: subnets whose task model
	/// the node holds, where one of its `mine` keys is registered.
	pub fn served(&self) -> Vec<Served> {
		let (_, best) = self.chain.best();
		let mut cache = self.served.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
		if let Some((at, served)) = cache.as_ref() {
			if *at == best {
				return served.clone();
			}
		}
		let keys: Vec<AccountId> = self
			.keystore
			.sr25519_public_keys(pallet_inference::crypto::MINER_KEY_TYPE)
			.into_iter()
			.map(AccountId::from)
			.collect();
		let held = self.models.models();
		let mut served = Vec::new();
		for task in self.chain.tasks() {
			if !held.contains(&task.spec.model) {
				continue;
			}
			let neurons = self.chain.neurons(task.netuid);
			if let Some(neuron) = neurons.iter().find(|n| keys.contains(&n.hotkey)) {
				served.push(Served {
					netuid: task.netuid,
					model: task.spec.model,
					dimensions: task.spec.dimensions,
					hotkey: neuron.hotkey.clone(),
				});
			}
		}
		*cache = Some((best, served.clone()));
		served
	}

	/// Answers one HTTP request.
	pub async fn handle(
		self: Arc<Self>,
		request: hyper::Request<hyper::body::Incoming>,
		_peer: SocketAddr,
	) -> HttpResponse {
		let path = request.uri().path().to_string();
		match (request.method().as_str(), path.as_str()) {
			("GET", "/health") => http::json(200, &json!({ "ok": true }), &[]),
			("GET", "/v1/models") => http::json(200, &self.models_body(), &[]),
			("POST", "/v1/embeddings") => match self.embeddings(request).await {
				Ok(body) => http::json(200, &body, &[]),
				Err(error) => http::error(&error),
			},
			_ => http::error(&ApiError::not_found(&path)),
		}
	}

	fn models_body(&self) -> Value {
		let data: Vec<Value> = self
			.served()
			.iter()
			.map(|s| {
				json!({ "id": hex::encode(s.model), "object": "model", "owned_by": "myelin",
					"netuid": s.netuid, "dimensions": s.dimensions })
			})
			.collect();
		json!({ "object": "list", "data": data })
	}

	async fn embeddings(
		&self,
		request: hyper::Request<hyper::body::Incoming>,
	) -> Result<Value, ApiError> {
		let netuid: Option<NetUid> =
			http::header(&request, NETUID_HEADER).and_then(|v| v.parse().ok());
		let request_id = http::header(&request, REQUEST_ID_HEADER)
			.and_then(|v| hex::decode(v).ok())
			.and_then(|v| <[u8; 16]>::try_from(v).ok())
			.unwrap_or_else(rand::random);
		let body = http::read_body(request).await?;
		let parsed = openai::parse_request(&body)?;
		drop(body);
		let model = resolve_model(&parsed.model, &self.models.named_models())
			.ok_or_else(|| ApiError::model_not_found(&parsed.model))?;
		let served = self
			.served()
			.into_iter()
			.find(|s| s.model == model && netuid.is_none_or(|n| n == s.netuid))
			.ok_or_else(|| ApiError::model_not_found(&parsed.model))?;
		openai::check_dimensions(&parsed, usize::from(served.dimensions))?;

		let slot = self
			.slots
			.clone()
			.try_acquire_owned()
			.map_err(|_| ApiError::unavailable("This miner is busy; try another."))?;
		let models = self.models.clone();
		let inputs = parsed.input.clone();
		let (mut vectors, tokens) = tokio::task::spawn_blocking(move || {
			let answer = models.embed_floats(model, &inputs);
			drop(slot);
			answer
		})
		.await
		.map_err(|_| ApiError::internal("The embedding task failed."))?
		.map_err(|e| ApiError::unavailable(format!("The model cannot run: {e:?}.")))?;
		let answer = self.answered.fetch_add(1, Ordering::Relaxed);
		if self.mode == OrganicMode::CheatHalf && answer % 2 == 1 {
			vectors = noise(&request_id, vectors.len(), usize::from(served.dimensions));
		}
		let quantized: Vec<Vec<i8>> =
			vectors.iter().map(|v| myelin_inference_engine::quantize(v)).collect();
		let receipt = Receipt {
			model,
			input_hash: input_hash(&parsed.input),
			output_hash: output_hash(&quantized),
			miner: served.hotkey.clone(),
			netuid: served.netuid,
			block: self.chain.best().0,
			request_id,
		};
		let signature = self.sign(&receipt)?;
		let signed = SignedReceipt { receipt, signature };
		let tokens = u64::try_from(tokens).unwrap_or(u64::MAX);
		Ok(openai::response_body(&parsed.model, &vectors, parsed.encoding_format, tokens, &signed))
	}

	fn sign(&self, receipt: &Receipt) -> Result<[u8; 64], ApiError> {
		let public = sr25519::Public::from_raw(*receipt.miner.as_ref());
		self.keystore
			.sr25519_sign(
				pallet_inference::crypto::MINER_KEY_TYPE,
				&public,
				&receipt.signing_payload(),
			)
			.ok()
			.flatten()
			.map(|signature| signature.0)
			.ok_or_else(|| ApiError::internal("The miner's key cannot sign."))
	}
}

/// The model `name` designates: a sha256 in hex (optionally `sha256:`-prefixed) or the name of a
/// model directory.
pub fn resolve_model(name: &str, named: &[(String, [u8; 32])]) -> Option<[u8; 32]> {
	let hex_part = name.strip_prefix("sha256:").unwrap_or(name);
	if let Some(id) = hex::decode(hex_part).ok().and_then(|b| <[u8; 32]>::try_from(b).ok()) {
		return Some(id);
	}
	named.iter().find(|(n, _)| n == name).map(|(_, id)| *id)
}

/// `count` unit vectors of width `dimensions` that have nothing to do with the inputs: what a
/// cheating miner sends instead of running the model.
fn noise(seed: &[u8; 16], count: usize, dimensions: usize) -> Vec<Vec<f32>> {
	let mut state = u64::from_le_bytes(seed[..8].try_into().unwrap_or([7; 8])) | 1;
	(0..count)
		.map(|_| {
			let raw: Vec<f32> = (0..dimensions)
				.map(|_| {
					state ^= state << 13;
					state ^= state >> 7;
					state ^= state << 17;
					(state >> 40) as f32 / (1u64 << 24) as f32 - 0.5
				})
				.collect();
			let norm = raw.iter().map(|x| x * x).sum::<f32>().sqrt().max(f32::MIN_POSITIVE);
			raw.iter().map(|x| x / norm).collect()
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn models_resolve_by_hash_or_directory_name() {
		let named = vec![("tiny".to_string(), [3u8; 32])];
		let hex = hex::encode([5u8; 32]);
		assert_eq!(resolve_model(&hex, &named), Some([5; 32]));
		assert_eq!(resolve_model(&format!("sha256:{hex}"), &named), Some([5; 32]));
		assert_eq!(resolve_model("tiny", &named), Some([3; 32]));
		assert_eq!(resolve_model("huge", &named), None);
		assert_eq!(resolve_model("abcd", &named), None);
	}

	#[test]
	fn noise_is_unit_length_and_unrelated_to_the_model() {
		let vectors = noise(&[1; 16], 3, 384);
		assert_eq!(vectors.len(), 3);
		for v in &vectors {
			let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
			assert!((norm - 1.0).abs() < 1e-4);
		}
		assert_ne!(vectors[0], vectors[1]);
	}
}
