//! The gateway (`--gateway`): the OpenAI embeddings API for users, answered by the subnets'
//! miners.
//!
//! - `GET /v1/models`: one entry per model some subnet's task names: its name (the local model
//!   directory's, the well-known name, or `sha256:<hex>`), sha256, subnets and width.
//! - `POST /v1/embeddings`: per request,
//!   1. the client's rate limit (`--gateway-client-rate` per second, bursts of twice that; 429),
//!   2. the model's subnets and their miners advertising an HTTP axon, at the best block,
//!   3. the router's plan ([`super::router`]): up to [`MAX_ATTEMPTS`] miners in turn, each
//!      within the timeout,
//!   4. each answer checked before it is relayed: the right number of finite vectors of the
//!      task's width, and a receipt signed by the miner it was sent to, for this subnet, model,
//!      request id, inputs and (quantized) outputs, at a recent block; anything else is the
//!      miner's failure and the next one is tried,
//!   5. the answer relayed with the miner's receipt, and handed to the auditor.

use std::{
	collections::HashMap,
	net::{IpAddr, SocketAddr},
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

use myelin_inference_engine::registry::ModelRegistry;
use myelin_primitives::{receipt::AXON_PROTOCOL_HTTP, BlockNumber, NetUid};
use serde_json::{json, Value};
use sp_core::H256;

use super::{
	audit::{Auditor, Relayed},
	chain::{axon_address, ChainView, Task},
	http::{self, CallError, HttpResponse, MinerClient},
	metrics::Metrics,
	miner::{NETUID_HEADER, REQUEST_ID_HEADER},
	openai::{self, ApiError},
	router::{Candidate, Router},
};
use crate::rpc::rate_limit::RateLimiter;

/// Most miners tried for one request.
pub const MAX_ATTEMPTS: usize = 3;
/// Clients tracked at once; past it the table is cleared (every client starts full again).
const MAX_CLIENTS: usize = 10_000;
/// How far a receipt's block may be behind the gateway's best block (a lagging miner).
const RECEIPT_MAX_LAG: BlockNumber = 100;
/// How far ahead (the miner may see a block the gateway has not imported yet).
const RECEIPT_MAX_LEAD: BlockNumber = 5;

/// Names of models everyone knows by name, for nodes that do not hold them.
const WELL_KNOWN: [(&str, &str); 1] =
	[("all-MiniLM-L6-v2", myelin_inference_engine::ALL_MINILM_L6_V2_SHA256)];

/// The gateway's settings.
#[derive(Clone, Debug)]
pub struct GatewayConfig {
	/// Time a miner has to answer one request.
	pub miner_timeout: Duration,
	/// Requests per second per client, and the burst.
	pub client_rate: (u32, u32),
}

/// A model as the gateway lists it.
#[derive(Clone, PartialEq, Debug)]
struct Listed {
	name: String,
	model: [u8; 32],
	dimensions: u16,
	tasks: Vec<Task>,
}

/// What the gateway read at one best block.
struct Snapshot {
	at: H256,
	models: Vec<Listed>,
	candidates: HashMap<NetUid, Vec<Candidate>>,
}

/// The gateway.
pub struct Gateway {
	chain: Arc<dyn ChainView>,
	models: Option<Arc<ModelRegistry>>,
	router: Arc<Router>,
	client: MinerClient,
	config: GatewayConfig,
	clients: Mutex<HashMap<IpAddr, RateLimiter>>,
	metrics: Option<Metrics>,
	auditor: Arc<Auditor>,
	snapshot: Mutex<Option<Arc<Snapshot>>>,
}

impl Gateway {
	/// A gateway over the node's chain view.
	pub fn new(
		chain: Arc<dyn ChainView>,
		models: Option<Arc<ModelRegistry>>,
		router: Arc<Router>,
		config: GatewayConfig,
		metrics: Option<Metrics>,
		auditor: Arc<Auditor>,
	) -> Gateway {
		Gateway {
			chain,
			models,
			router,
			client: MinerClient::default(),
			config,
			clients: Mutex::new(HashMap::new()),
			metrics,
			auditor,
			snapshot: Mutex::new(None),
		}
	}

	/// The router (for the auditor's loop).
	pub fn router(&self) -> &Router {
		&self.router
	}

	/// The metrics, if Prometheus is on.
	pub fn metrics(&self) -> Option<&Metrics> {
		self.metrics.as_ref()
	}

	/// Answers one HTTP request from `peer`.
	pub async fn handle(
		self: Arc<Self>,
		request: hyper::Request<hyper::body::Incoming>,
		peer: SocketAddr,
	) -> HttpResponse {
		let path = request.uri().path().to_string();
		let result = match (request.method().as_str(), path.as_str()) {
			("GET", "/health") => Ok(json!({ "ok": true })),
			("GET", "/v1/models") => Ok(self.models_body()),
			("POST", "/v1/embeddings") => self.embeddings(request, peer.ip()).await,
			_ => Err(ApiError::not_found(&path)),
		};
		match result {
			Ok(body) => http::json(200, &body, &[]),
			Err(error) => {
				if let Some(metrics) = &self.metrics {
					metrics.rejected(error.status);
				}
				http::error(&error)
			}
		}
	}

	/// The models and miners at the best block (read once per block).
	fn snapshot(&self) -> Arc<Snapshot> {
		let (_, best) = self.chain.best();
		let mut cached = self.snapshot.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
		if let Some(snapshot) = cached.as_ref().filter(|s| s.at == best) {
			return snapshot.clone();
		}
		let local = self.models.as_ref().map(|m| m.named_models()).unwrap_or_default();
		let mut models: Vec<Listed> = Vec::new();
		let mut candidates = HashMap::new();
		for task in self.chain.tasks() {
			let miners: Vec<Candidate> = self
				.chain
				.neurons(task.netuid)
				.into_iter()
				.filter_map(|n| {
					let axon = n.axon.as_ref().filter(|a| a.protocol == AXON_PROTOCOL_HTTP)?;
					Some(Candidate {
						addr: axon_address(axon)?,
						hotkey: n.hotkey,
						netuid: task.netuid,
						incentive: n.incentive,
						registered_at: n.registered_at,
					})
				})
				.collect();
			candidates.insert(task.netuid, miners);
			match models.iter_mut().find(|m| m.model == task.spec.model) {
				Some(listed) => listed.tasks.push(task),
				None => models.push(Listed {
					name: model_name(&task.spec.model, &local),
					model: task.spec.model,
					dimensions: task.spec.dimensions,
					tasks: vec![task],
				}),
			}
		}
		let snapshot = Arc::new(Snapshot { at: best, models, candidates });
		*cached = Some(snapshot.clone());
		snapshot
	}

	fn models_body(&self) -> Value {
		let data: Vec<Value> = self
			.snapshot()
			.models
			.iter()
			.map(|m| {
				json!({
					"id": m.name,
					"object": "model",
					"created": 0,
					"owned_by": "myelin",
					"sha256": hex::encode(m.model),
					"dimensions": m.dimensions,
					"netuids": m.tasks.iter().map(|t| t.netuid).collect::<Vec<_>>(),
				})
			})
			.collect();
		json!({ "object": "list", "data": data })
	}

	fn rate_limited(&self, client: IpAddr) -> bool {
		let mut clients = self.clients.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
		if clients.len() >= MAX_CLIENTS && !clients.contains_key(&client) {
			clients.clear();
		}
		let (rate, burst) = self.config.client_rate;
		!clients.entry(client).or_insert_with(|| RateLimiter::new(rate, burst)).try_acquire()
	}

	async fn embeddings(
		&self,
		request: hyper::Request<hyper::body::Incoming>,
		client: IpAddr,
	) -> Result<Value, ApiError> {
		if self.rate_limited(client) {
			return Err(ApiError::rate_limited(self.config.client_rate.0));
		}
		let body = http::read_body(request).await?;
		let parsed = openai::parse_request(&body)?;
		drop(body);
		let snapshot = self.snapshot();
		let listed = find_model(&snapshot.models, &parsed.model)
			.ok_or_else(|| ApiError::model_not_found(&parsed.model))?;
		openai::check_dimensions(&parsed, usize::from(listed.dimensions))?;
		let candidates: Vec<Candidate> = listed
			.tasks
			.iter()
			.flat_map(|t| snapshot.candidates.get(&t.netuid).cloned().unwrap_or_default())
			.collect();
		if candidates.is_empty() {
			return Err(ApiError::unavailable(format!(
				"No miner serves `{}` right now.",
				parsed.model
			)));
		}
		let request_id: [u8; 16] = rand::random();
		let forwarded = json!({
			"model": hex::encode(listed.model),
			"input": parsed.input,
			"encoding_format": "base64",
		});
		let plan = self.router.plan(&candidates, Instant::now(), (rand::random(), rand::random()));
		let mut tried = 0usize;
		for candidate in plan {
			if tried >= MAX_ATTEMPTS {
				break;
			}
			let Some(task) = listed.tasks.iter().find(|t| t.netuid == candidate.netuid) else {
				continue;
			};
			if !self.router.begin(&candidate.hotkey, Instant::now()) {
				continue;
			}
			tried = tried.saturating_add(1);
			if let Some(metrics) = &self.metrics {
				metrics.request(&candidate.hotkey);
			}
			let headers = [
				(NETUID_HEADER, candidate.netuid.to_string()),
				(REQUEST_ID_HEADER, hex::encode(request_id)),
			];
			let started = Instant::now();
			let answer = self
				.client
				.post_json(
					candidate.addr,
					"/v1/embeddings",
					&forwarded,
					&headers,
					self.config.miner_timeout,
				)
				.await
				.map_err(|e| if e == CallError::Status(503) { "busy" } else { e.label() })
				.and_then(|body| {
					let best = self.chain.best().0;
					check_answer(&body, &candidate, task, &parsed.input, request_id, best)
						.map(|checked| (checked, body))
				});
			match answer {
				Ok(((vectors, quantized, receipt), body)) => {
					let latency = started.elapsed();
					self.router.succeeded(&candidate.hotkey, latency);
					if let Some(metrics) = &self.metrics {
						metrics.success(&candidate.hotkey, latency.as_secs_f64());
					}
					let tokens = body
						.get("usage")
						.and_then(|u| u.get("prompt_tokens"))
						.and_then(Value::as_u64)
						.unwrap_or(0);
					let response = openai::response_body(
						&parsed.model,
						&vectors,
						parsed.encoding_format,
						tokens,
						&receipt,
					);
					// Never before the receipt's block: a gateway lagging behind the miner must
					// not draw from a hash the miner had already seen.
					let relayed_at = self.chain.best().0.max(receipt.receipt.block);
					self.auditor.relayed(Relayed {
						relayed_at,
						receipt,
						inputs: parsed.input,
						outputs: quantized,
						threshold: task.spec.score_threshold,
						rate: task.spec.audit_rate,
					});
					return Ok(response);
				}
				Err("busy") => {
					// At capacity, not failing: try the next miner without holding this one back.
					self.router.release(&candidate.hotkey);
					if let Some(metrics) = &self.metrics {
						metrics.failure(&candidate.hotkey, "busy");
					}
				}
				Err(reason) => {
					self.router.failed(&candidate.hotkey, Instant::now());
					if let Some(metrics) = &self.metrics {
						metrics.failure(&candidate.hotkey, reason);
					}
					log::debug!(
						target: "serving",
						"miner {} at {} failed: {reason}",
						candidate.hotkey,
						candidate.addr
					);
				}
			}
		}
		Err(ApiError::unavailable(format!(
			"No miner answered (tried {tried} of {}); retry later.",
			candidates.len()
		)))
	}
}

/// The name users call `model` by.
fn model_name(model: &[u8; 32], local: &[(String, [u8; 32])]) -> String {
	let hex = hex::encode(model);
	if let Some((name, _)) = WELL_KNOWN.iter().find(|(_, sha)| *sha == hex) {
		return (*name).to_string();
	}
	match local.iter().find(|(_, id)| id == model) {
		Some((name, _)) => name.clone(),
		None => format!("sha256:{hex}"),
	}
}

/// The listed model `name` designates (its listed name, case-insensitively, or its sha256).
fn find_model<'a>(models: &'a [Listed], name: &str) -> Option<&'a Listed> {
	let by_hash = super::miner::resolve_model(name, &[]);
	models.iter().find(|m| m.name.eq_ignore_ascii_case(name) || by_hash == Some(m.model))
}

/// A checked answer: the float vectors, their quantization and the receipt.
type Checked = (Vec<Vec<f32>>, Vec<Vec<i8>>, myelin_primitives::receipt::SignedReceipt);

/// Step 4: whether `body` is a valid answer from `candidate` to this request.
fn check_answer(
	body: &Value,
	candidate: &Candidate,
	task: &Task,
	inputs: &[String],
	request_id: [u8; 16],
	best: BlockNumber,
) -> Result<Checked, &'static str> {
	let vectors = openai::decode_vectors(body).ok_or("body")?;
	let width = usize::from(task.spec.dimensions);
	// Unit vectors (the models' outputs are normalized): a scaled answer passes a cosine check
	// but breaks users' dot products.
	let unit = |v: &[f32]| (v.iter().map(|x| x * x).sum::<f32>().sqrt() - 1.0).abs() <= 0.01;
	let shaped = vectors.len() == inputs.len()
		&& vectors.iter().all(|v| v.len() == width && v.iter().all(|x| x.is_finite()) && unit(v));
	if !shaped {
		return Err("shape");
	}
	let receipt = openai::receipt_of(body).ok_or("receipt")?;
	let r = &receipt.receipt;
	let fresh = r.block <= best.saturating_add(RECEIPT_MAX_LEAD)
		&& r.block.saturating_add(RECEIPT_MAX_LAG) >= best;
	if r.miner != candidate.hotkey
		|| r.netuid != candidate.netuid
		|| r.request_id != request_id
		|| !fresh
	{
		return Err("receipt");
	}
	let quantized: Vec<Vec<i8>> =
		vectors.iter().map(|v| myelin_inference_engine::quantize(v)).collect();
	receipt.check(&task.spec.model, inputs, &quantized).map_err(|_| "receipt")?;
	Ok((vectors, quantized, receipt))
}

/// Keeps the auditor running: every second, audits what is due and flushes the counts.
pub async fn audit_loop(gateway: Arc<Gateway>, auditor: Arc<Auditor>) {
	let mut ticks = tokio::time::interval(Duration::from_secs(1));
	loop {
		ticks.tick().await;
		let gateway = gateway.clone();
		let auditor = auditor.clone();
		// Re-embedding is CPU work: off the async threads.
		let _ = tokio::task::spawn_blocking(move || {
			auditor.run_due(gateway.router(), gateway.metrics());
		})
		.await;
	}
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
	use super::*;
	use myelin_primitives::{
		receipt::{input_hash, output_hash, Receipt, SignedReceipt},
		AccountId,
	};
	use myelin_runtime_api::TaskSpec;
	use sp_core::{sr25519, Pair};

	fn task() -> Task {
		Task {
			netuid: 3,
			spec: TaskSpec {
				model: [7; 32],
				dimensions: 2,
				inputs_per_round: 1,
				interval: 10,
				commit_window: 4,
				reveal_window: 3,
				score_threshold: 900_000,
				speed_weight: 0,
				audit_rate: 0,
			},
		}
	}

	fn answer(pair: &sr25519::Pair, inputs: &[String], vectors: &[Vec<f32>], block: u32) -> Value {
		let quantized: Vec<Vec<i8>> =
			vectors.iter().map(|v| myelin_inference_engine::quantize(v)).collect();
		let receipt = Receipt {
			model: [7; 32],
			input_hash: input_hash(inputs),
			output_hash: output_hash(&quantized),
			miner: pair.public().into(),
			netuid: 3,
			block,
			request_id: [1; 16],
		};
		let signature = pair.sign(&receipt.signing_payload()).0;
		let signed = SignedReceipt { receipt, signature };
		openai::response_body("m", vectors, openai::EncodingFormat::Base64, 4, &signed)
	}

	#[test]
	fn only_the_asked_miners_signed_well_formed_fresh_answers_are_relayed() {
		let pair = sr25519::Pair::from_seed(&[1; 32]);
		let candidate = Candidate {
			hotkey: pair.public().into(),
			netuid: 3,
			addr: "127.0.0.1:1".parse().unwrap(),
			incentive: 0,
			registered_at: 0,
		};
		let inputs = vec!["a".to_string(), "b".to_string()];
		let vectors = vec![vec![0.6, 0.8], vec![1.0, 0.0]];
		let good = answer(&pair, &inputs, &vectors, 100);
		let (relayed, _, receipt) =
			check_answer(&good, &candidate, &task(), &inputs, [1; 16], 100).unwrap();
		assert_eq!(relayed, vectors);
		assert_eq!(receipt.receipt.block, 100);

		let check = |body: &Value, request_id, best| {
			check_answer(body, &candidate, &task(), &inputs, request_id, best).map(|_| ())
		};
		// Another request's receipt, a stale or future one.
		assert_eq!(check(&good, [2; 16], 100), Err("receipt"));
		assert_eq!(check(&good, [1; 16], 100 + RECEIPT_MAX_LAG + 1), Err("receipt"));
		assert_eq!(check(&good, [1; 16], 100 - RECEIPT_MAX_LEAD - 1), Err("receipt"));
		// An output changed after signing.
		let mut tampered = good.clone();
		tampered["data"][0]["embedding"] =
			openai::encode_vector(&[0.8, 0.6], openai::EncodingFormat::Base64);
		assert_eq!(check(&tampered, [1; 16], 100), Err("receipt"));
		// Signed by another key than the miner asked.
		let other = sr25519::Pair::from_seed(&[2; 32]);
		assert_eq!(check(&answer(&other, &inputs, &vectors, 100), [1; 16], 100), Err("receipt"));
		// Wrong shapes: a vector missing, a wrong width, a NaN.
		assert_eq!(check(&answer(&pair, &inputs, &vectors[..1], 100), [1; 16], 100), Err("shape"));
		let wide = vec![vec![0.6, 0.8, 0.0], vec![1.0, 0.0, 0.0]];
		assert_eq!(check(&answer(&pair, &inputs, &wide, 100), [1; 16], 100), Err("shape"));
		let scaled = vec![vec![1.2, 1.6], vec![1.0, 0.0]];
		assert_eq!(check(&answer(&pair, &inputs, &scaled, 100), [1; 16], 100), Err("shape"));
		let nan = vec![vec![f32::NAN, 0.8], vec![1.0, 0.0]];
		assert_eq!(check(&answer(&pair, &inputs, &nan, 100), [1; 16], 100), Err("shape"));
		assert_eq!(check(&json!({ "data": "x" }), [1; 16], 100), Err("body"));
		let mut unsigned = good.clone();
		unsigned.as_object_mut().unwrap().remove("receipt");
		assert_eq!(check(&unsigned, [1; 16], 100), Err("receipt"));
		let _: AccountId = candidate.hotkey.clone();
	}

	#[test]
	fn models_are_named_by_well_known_name_local_directory_or_hash() {
		let minilm: [u8; 32] = hex::decode(myelin_inference_engine::ALL_MINILM_L6_V2_SHA256)
			.unwrap()
			.try_into()
			.unwrap();
		assert_eq!(model_name(&minilm, &[]), "all-MiniLM-L6-v2");
		assert_eq!(model_name(&[1; 32], &[("tiny".into(), [1; 32])]), "tiny");
		assert_eq!(model_name(&[2; 32], &[]), format!("sha256:{}", hex::encode([2; 32])));
		let listed =
			vec![Listed { name: "tiny".into(), model: [1; 32], dimensions: 2, tasks: vec![] }];
		assert!(find_model(&listed, "TINY").is_some());
		assert!(find_model(&listed, &hex::encode([1; 32])).is_some());
		assert!(find_model(&listed, "other").is_none());
	}
}
