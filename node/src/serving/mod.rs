//! Serving real users: the miner's embeddings API and the gateway.
//!
//! - A miner node (`--inference-api <addr:port>`) answers `POST /v1/embeddings` with its own
//!   models for the subnets where its `mine` hotkeys are registered, signs a receipt for every
//!   answer ([`myelin_primitives::receipt`]) and advertises the address on chain through
//!   `serve_axon` ([`advertise`], protocol [`myelin_primitives::receipt::AXON_PROTOCOL_HTTP`]).
//! - Any node (`--gateway <addr:port>`) serves the OpenAI embeddings API to users, routing each
//!   request to the model's miners ([`router`]) with failover, checking every answer's receipt,
//!   rate-limiting clients and counting per miner in Prometheus ([`gateway`]).
//! - A validator's node that is also a gateway audits a random share of the answers it relayed
//!   and hands the results to its validator worker, which folds them into the miners' scores
//!   ([`audit`]).

pub mod advertise;
pub mod audit;
pub mod chain;
pub mod gateway;
pub mod http;
pub mod metrics;
pub mod miner;
pub mod openai;
pub mod router;

use std::{net::SocketAddr, sync::Arc, time::Duration};

use myelin_inference_engine::registry::ModelRegistry;
use myelin_runtime::opaque::Block;
use sc_service::{error::Error as ServiceError, TaskManager};
use sc_transaction_pool_api::TransactionPool;
use sp_keystore::KeystorePtr;

use crate::service::FullClient;

/// The serving options of the command line.
#[derive(Clone, Debug)]
pub struct ServingOptions {
	/// Where the miner's API listens.
	pub inference_api: Option<SocketAddr>,
	/// The address advertised on chain (default: where the API listens).
	pub public_address: Option<SocketAddr>,
	/// Where the gateway listens.
	pub gateway: Option<SocketAddr>,
	/// The gateway's per-miner timeout.
	pub miner_timeout: Duration,
	/// Requests per second per gateway client.
	pub client_rate: u32,
	/// How the miner's API answers (testing aid).
	pub organic_mode: miner::OrganicMode,
}

/// Starts what `options` asks for.
#[allow(clippy::too_many_arguments)]
pub fn start<P>(
	options: &ServingOptions,
	task_manager: &TaskManager,
	client: Arc<FullClient>,
	pool: Arc<P>,
	keystore: KeystorePtr,
	offchain: Option<sc_client_db::offchain::LocalStorage>,
	models: Option<Arc<ModelRegistry>>,
	prometheus: Option<&substrate_prometheus_endpoint::Registry>,
) -> Result<(), ServiceError>
where
	P: TransactionPool<Block = Block> + 'static,
{
	let chain: Arc<dyn chain::ChainView> = Arc::new(chain::ClientView::new(client.clone()));
	let spawn = task_manager.spawn_handle();
	let bind_error = |what: &str, addr: SocketAddr, e: std::io::Error| {
		ServiceError::Other(format!("cannot listen for the {what} on {addr}: {e}"))
	};

	if let Some(addr) = options.inference_api {
		let models = models.clone().ok_or_else(|| {
			ServiceError::Other("--inference-api needs models (--model-dir)".into())
		})?;
		let api = Arc::new(miner::MinerApi::new(
			chain.clone(),
			keystore.clone(),
			models,
			options.organic_mode,
		));
		let listener = http::bind(addr).map_err(|e| bind_error("inference API", addr, e))?;
		let bound = listener.local_addr().unwrap_or(addr);
		log::info!("🛰️  Inference API on http://{bound}/v1 (mode {:?})", options.organic_mode);
		let handler_api = api.clone();
		spawn.spawn(
			"myelin-inference-api",
			Some("serving"),
			http::serve(listener, move |request, peer| handler_api.clone().handle(request, peer)),
		);
		let public = options.public_address.unwrap_or(bound);
		if public.ip().is_unspecified() {
			log::warn!(
				"The inference API listens on {bound}; give --inference-api-public to advertise \
				 it on chain"
			);
		} else {
			spawn.spawn(
				"myelin-axon-advertiser",
				Some("serving"),
				advertise::advertise_loop(api, chain.clone(), client, pool, keystore, public),
			);
		}
	}

	if let Some(addr) = options.gateway {
		let metrics = match prometheus.map(metrics::Metrics::register).transpose() {
			Ok(metrics) => metrics,
			Err(e) => {
				log::warn!("gateway metrics not registered: {e}");
				None
			}
		};
		let store: Arc<dyn audit::LedgerStore> = match offchain {
			Some(storage) => Arc::new(std::sync::Mutex::new(storage)),
			None => Arc::new(audit::NoLedger),
		};
		let auditor = Arc::new(audit::Auditor::new(chain.clone(), models.clone(), store));
		let defaults = router::RouterConfig::default();
		// A probe's lease outlasts the request it covers.
		let probe_lease =
			defaults.probe_lease.max(options.miner_timeout.saturating_add(Duration::from_secs(1)));
		let router =
			Arc::new(router::Router::new(router::RouterConfig { probe_lease, ..defaults }));
		let config = gateway::GatewayConfig {
			miner_timeout: options.miner_timeout,
			client_rate: (options.client_rate.max(1), options.client_rate.max(1).saturating_mul(2)),
		};
		let gateway = Arc::new(gateway::Gateway::new(
			chain,
			models,
			router,
			config,
			metrics,
			auditor.clone(),
		));
		let listener = http::bind(addr).map_err(|e| bind_error("gateway", addr, e))?;
		let bound = listener.local_addr().unwrap_or(addr);
		log::info!("🌐 Embeddings gateway on http://{bound}/v1");
		let handler = gateway.clone();
		spawn.spawn(
			"myelin-gateway",
			Some("serving"),
			http::serve(listener, move |request, peer| handler.clone().handle(request, peer)),
		);
		spawn.spawn(
			"myelin-gateway-audits",
			Some("serving"),
			gateway::audit_loop(gateway, auditor),
		);
	}
	Ok(())
}
