//! Assembles the node: client and RocksDB backend, transaction pool, network, RPC, off-chain
//! workers, and either Aura + GRANDPA (the default) or local sealing (`--sealing`).

use std::{sync::Arc, time::Duration};

use futures::{FutureExt, StreamExt};
use myelin_runtime::{apis::RuntimeApi, opaque::Block};
use sc_client_api::{Backend, BlockBackend};
use sc_consensus_aura::{ImportQueueParams, SlotProportion, StartAuraParams};
use sc_consensus_grandpa::SharedVoterState;
use sc_service::{error::Error as ServiceError, Configuration, TaskManager, WarpSyncConfig};
use sc_telemetry::{Telemetry, TelemetryWorker};
use sc_transaction_pool_api::{OffchainTransactionPoolFactory, TransactionPool};
use sp_consensus_aura::sr25519::{AuthorityId as AuraId, AuthorityPair as AuraPair};
use sp_runtime::traits::Block as BlockT;

use crate::sealing::{self, Sealing};

/// Host functions the runtime may import: Substrate's standard set plus Myelin's inference
/// functions (answered only in off-chain workers, see `myelin_inference::host`).
#[cfg(not(feature = "runtime-benchmarks"))]
pub type HostFunctions =
	(sp_io::SubstrateHostFunctions, myelin_inference::host::inference::HostFunctions);

/// With `runtime-benchmarks` the runtime also imports the benchmarking host functions; the
/// node registers them so the same release build benchmarks pallets and runs chains (what
/// `scripts/bench-serving.py` measures).
#[cfg(feature = "runtime-benchmarks")]
pub type HostFunctions = (
	sp_io::SubstrateHostFunctions,
	myelin_inference::host::inference::HostFunctions,
	frame_benchmarking::benchmarking::HostFunctions,
);

/// The full client: the WASM runtime executed with [`HostFunctions`].
pub type FullClient =
	sc_service::TFullClient<Block, RuntimeApi, sc_executor::WasmExecutor<HostFunctions>>;
type FullBackend = sc_service::TFullBackend<Block>;
type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;
type GrandpaBlockImport =
	sc_consensus_grandpa::GrandpaBlockImport<FullBackend, Block, FullClient, FullSelectChain>;
type GrandpaLinkHalf = sc_consensus_grandpa::LinkHalf<Block, FullClient, FullSelectChain>;

/// Blocks between GRANDPA justifications kept for light clients and warp sync.
const GRANDPA_JUSTIFICATION_PERIOD: u32 = 512;

/// The parts shared by the node and the chain maintenance subcommands.
pub type Service = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	sc_transaction_pool::TransactionPoolHandle<Block, FullClient>,
	(GrandpaBlockImport, GrandpaLinkHalf, Option<Telemetry>),
>;

/// Builds the client, backend, pool and import queue (Aura's, or with `follow_sealed` the
/// unverified queue of a `--sealing follow` node).
pub fn new_partial(config: &Configuration, follow_sealed: bool) -> Result<Service, ServiceError> {
	let telemetry = config
		.telemetry_endpoints
		.clone()
		.filter(|endpoints| !endpoints.is_empty())
		.map(|endpoints| -> Result<_, sc_telemetry::Error> {
			let worker = TelemetryWorker::new(16)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()?;

	let executor = sc_service::new_wasm_executor::<HostFunctions>(&config.executor);
	let (client, backend, keystore_container, task_manager) =
		sc_service::new_full_parts::<Block, RuntimeApi, _>(
			config,
			telemetry.as_ref().map(|(_, telemetry)| telemetry.handle()),
			executor,
			Vec::new(),
		)?;
	let client = Arc::new(client);

	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});

	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let transaction_pool = Arc::from(
		sc_transaction_pool::Builder::new(
			task_manager.spawn_essential_handle(),
			client.clone(),
			config.role.is_authority().into(),
		)
		.with_options(config.transaction_pool.clone())
		.with_prometheus(config.prometheus_registry())
		.build(),
	);

	let (grandpa_block_import, grandpa_link) = sc_consensus_grandpa::block_import(
		client.clone(),
		GRANDPA_JUSTIFICATION_PERIOD,
		&client,
		select_chain.clone(),
		telemetry.as_ref().map(|x| x.handle()),
	)?;

	let cidp_client = client.clone();
	let import_queue = if follow_sealed {
		sc_consensus_manual_seal::import_queue(
			Box::new(client.clone()),
			&task_manager.spawn_essential_handle(),
			config.prometheus_registry(),
		)
	} else {
		sc_consensus_aura::import_queue::<AuraPair, _, _, _, _, _>(ImportQueueParams {
			block_import: grandpa_block_import.clone(),
			justification_import: Some(Box::new(grandpa_block_import.clone())),
			client: client.clone(),
			create_inherent_data_providers: move |parent_hash, _| {
				let cidp_client = cidp_client.clone();
				async move {
					let slot_duration = sc_consensus_aura::standalone::slot_duration_at(
						&*cidp_client,
						parent_hash,
					)?;
					let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
					let slot =
						sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
							*timestamp,
							slot_duration,
						);
					Ok((slot, timestamp))
				}
			},
			spawner: &task_manager.spawn_essential_handle(),
			registry: config.prometheus_registry(),
			check_for_equivocation: Default::default(),
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			compatibility_mode: Default::default(),
		})?
	};

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (grandpa_block_import, grandpa_link, telemetry),
	})
}

/// What the command line sets beyond Substrate's configuration.
pub struct NodeOptions {
	/// `--sealing`.
	pub sealing: Option<Sealing>,
	/// `--model-dir`.
	pub model_dir: Option<std::path::PathBuf>,
	/// `--miner-mode`.
	pub miner_mode: Option<crate::cli::MinerMode>,
	/// `--inference-api`, `--gateway` and their settings.
	pub serving: crate::serving::ServingOptions,
	/// `--explorer`.
	pub explorer: Option<std::net::SocketAddr>,
}

/// Builds and starts a full node.
pub fn new_full<N: sc_network::NetworkBackend<Block, <Block as BlockT>::Hash>>(
	config: Configuration,
	options: NodeOptions,
) -> Result<TaskManager, ServiceError> {
	let NodeOptions { sealing, model_dir, miner_mode, serving, explorer } = options;
	check_dev_only(&config, "--miner-mode", miner_mode.is_some())?;
	check_dev_only(&config, "--sealing", sealing.is_some())?;
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (block_import, grandpa_link, mut telemetry),
	} = new_partial(&config, sealing == Some(Sealing::Follow))?;

	let mut net_config = sc_network::config::FullNetworkConfiguration::<
		Block,
		<Block as BlockT>::Hash,
		N,
	>::new(&config.network, config.prometheus_registry().cloned());
	let metrics = N::register_notification_metrics(config.prometheus_registry());

	let peer_store_handle = net_config.peer_store_handle();
	let genesis_hash = client
		.block_hash(0)
		.ok()
		.flatten()
		.ok_or_else(|| ServiceError::Other("the database has no genesis block".into()))?;
	let grandpa_protocol_name =
		sc_consensus_grandpa::protocol_standard_name(&genesis_hash, &config.chain_spec);
	// Sealed chains run no GRANDPA: an unserved GRANDPA protocol would fail every connection
	// between two sealed-chain nodes (`--sealing follow`).
	let grandpa_notification_service = if sealing.is_none() {
		let (grandpa_protocol_config, grandpa_notification_service) =
			sc_consensus_grandpa::grandpa_peers_set_config::<_, N>(
				grandpa_protocol_name.clone(),
				metrics.clone(),
				peer_store_handle,
			);
		net_config.add_notification_protocol(grandpa_protocol_config);
		Some(grandpa_notification_service)
	} else {
		None
	};

	let warp_sync = Arc::new(sc_consensus_grandpa::warp_proof::NetworkProvider::new(
		backend.clone(),
		grandpa_link.shared_authority_set().clone(),
		Vec::default(),
	));

	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: client.clone(),
			transaction_pool: transaction_pool.clone(),
			spawn_handle: task_manager.spawn_handle(),
			spawn_essential_handle: task_manager.spawn_essential_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config: Some(WarpSyncConfig::WithProvider(warp_sync)),
			block_relay: None,
			metrics,
			gap_sync_body_policy: None,
		})?;

	if let Some(addr) = explorer {
		let rpc_port = config
			.rpc
			.addr
			.as_ref()
			.and_then(|endpoints| endpoints.first())
			.map_or(config.rpc.port, |endpoint| endpoint.listen_addr.port());
		let (serve, bound) = crate::explorer::start(addr, rpc_port).map_err(|e| {
			ServiceError::Other(format!("cannot listen for the explorer on {addr}: {e}"))
		})?;
		log::info!("🔭 Explorer on http://{bound}/ (reading JSON-RPC on port {rpc_port})");
		task_manager.spawn_handle().spawn("myelin-explorer", Some("explorer"), serve);
	}

	let registry = inference_models(model_dir);
	let models = registry.clone().map(|r| r as Arc<dyn myelin_inference::host::InferenceHost>);
	crate::serving::start(
		&serving,
		&task_manager,
		client.clone(),
		transaction_pool.clone(),
		keystore_container.keystore(),
		backend.offchain_storage(),
		registry,
		config.prometheus_registry(),
	)?;
	if config.offchain_worker.enabled {
		store_miner_mode(&backend, miner_mode);
		let models = models.clone();
		let offchain_workers =
			sc_offchain::OffchainWorkers::new(sc_offchain::OffchainWorkerOptions {
				runtime_api_provider: client.clone(),
				is_validator: config.role.is_authority(),
				keystore: Some(keystore_container.keystore()),
				offchain_db: backend.offchain_storage(),
				transaction_pool: Some(OffchainTransactionPoolFactory::new(
					transaction_pool.clone(),
				)),
				network_provider: Arc::new(network.clone()),
				enable_http_requests: true,
				// Inference host functions answer in off-chain workers only.
				custom_extensions: move |_| match &models {
					Some(models) => {
						vec![Box::new(myelin_inference::host::InferenceExt::from(models.clone()))
							as Box<dyn sp_externalities::Extension>]
					}
					None => vec![],
				},
			})?;
		task_manager.spawn_handle().spawn(
			"offchain-workers-runner",
			"offchain-worker",
			offchain_workers.run(client.clone(), task_manager.spawn_handle()).boxed(),
		);
	}

	let role = config.role;
	let force_authoring = config.force_authoring;
	let name = config.network.node_name.clone();
	let enable_grandpa = !config.disable_grandpa && sealing.is_none();
	let prometheus_registry = config.prometheus_registry().cloned();

	let rpc_extensions_builder = {
		let client = client.clone();
		let pool = transaction_pool.clone();
		let backend = backend.clone();
		Box::new(move |_| {
			let deps = crate::rpc::FullDeps {
				client: client.clone(),
				pool: pool.clone(),
				backend: backend.clone(),
				models: models.clone(),
			};
			crate::rpc::create_full(deps).map_err(Into::into)
		})
	};

	sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		network: Arc::new(network.clone()),
		client: client.clone(),
		keystore: keystore_container.keystore(),
		task_manager: &mut task_manager,
		transaction_pool: transaction_pool.clone(),
		rpc_builder: rpc_extensions_builder,
		backend,
		system_rpc_tx,
		tx_handler_controller,
		sync_service: sync_service.clone(),
		config,
		telemetry: telemetry.as_mut(),
		tracing_execute_block: None,
	})?;

	let proposer_factory = sc_basic_authorship::ProposerFactory::new(
		task_manager.spawn_handle(),
		client.clone(),
		transaction_pool.clone(),
		prometheus_registry.as_ref(),
		telemetry.as_ref().map(|x| x.handle()),
	);
	let slot_duration = sc_consensus_aura::slot_duration::<AuraId, _, _>(&*client)?;

	if sealing == Some(Sealing::Follow) {
		// Blocks come from the sealing peer; nothing is authored or voted here.
		return Ok(task_manager);
	}

	if let Some(sealing) = sealing {
		// Local sealing: blocks are built here and final at once; no Aura, no GRANDPA.
		let transactions = transaction_pool.import_notification_stream().map(|_| ());
		let commands_stream = sealing::commands(sealing, transactions);
		let timestamp_client = client.clone();
		let slot_ms = slot_duration.as_millis();
		let params = sc_consensus_manual_seal::ManualSealParams {
			block_import: client.clone(),
			env: proposer_factory,
			client: client.clone(),
			pool: transaction_pool,
			commands_stream,
			select_chain,
			consensus_data_provider: Some(Box::new(
				sc_consensus_manual_seal::consensus::aura::AuraConsensusDataProvider::new_with_slot_duration(
					slot_duration,
				),
			)),
			create_inherent_data_providers: move |parent, ()| {
				let timestamp_client = timestamp_client.clone();
				async move {
					let timestamp = sealing::next_timestamp(&timestamp_client, parent, slot_ms);
					Ok(sp_timestamp::InherentDataProvider::new(timestamp))
				}
			},
		};
		task_manager.spawn_essential_handle().spawn_blocking(
			"manual-seal",
			Some("block-authoring"),
			sc_consensus_manual_seal::run_manual_seal(params),
		);
		return Ok(task_manager);
	}

	if role.is_authority() {
		let aura = sc_consensus_aura::start_aura::<AuraPair, _, _, _, _, _, _, _, _, _, _>(
			StartAuraParams {
				slot_duration,
				client,
				select_chain,
				block_import,
				proposer_factory,
				create_inherent_data_providers: move |_, ()| async move {
					let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
					let slot =
						sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
							*timestamp,
							slot_duration,
						);
					Ok((slot, timestamp))
				},
				force_authoring,
				backoff_authoring_blocks: Option::<()>::None,
				keystore: keystore_container.keystore(),
				sync_oracle: sync_service.clone(),
				justification_sync_link: sync_service.clone(),
				block_proposal_slot_portion: SlotProportion::new(2f32 / 3f32),
				max_block_proposal_slot_portion: None,
				telemetry: telemetry.as_ref().map(|x| x.handle()),
				compatibility_mode: Default::default(),
			},
		)?;
		// Authoring is essential: if it fails, the node stops rather than idling silently.
		task_manager.spawn_essential_handle().spawn_blocking("aura", Some("block-authoring"), aura);
	}

	if let Some(grandpa_notification_service) =
		grandpa_notification_service.filter(|_| enable_grandpa)
	{
		// Only authorities vote; other nodes follow finality through justifications.
		let keystore = if role.is_authority() { Some(keystore_container.keystore()) } else { None };
		let grandpa_config = sc_consensus_grandpa::Config {
			gossip_duration: Duration::from_millis(333),
			justification_generation_period: GRANDPA_JUSTIFICATION_PERIOD,
			name: Some(name),
			observer_enabled: false,
			keystore,
			local_role: role,
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			protocol_name: grandpa_protocol_name,
		};
		let grandpa_params = sc_consensus_grandpa::GrandpaParams {
			config: grandpa_config,
			link: grandpa_link,
			network,
			sync: Arc::new(sync_service),
			notification_service: grandpa_notification_service,
			voting_rule: sc_consensus_grandpa::VotingRulesBuilder::default().build(),
			prometheus_registry,
			shared_voter_state: SharedVoterState::empty(),
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			offchain_tx_pool_factory: OffchainTransactionPoolFactory::new(transaction_pool),
		};
		task_manager.spawn_essential_handle().spawn_blocking(
			"grandpa-voter",
			None,
			sc_consensus_grandpa::run_grandpa_voter(grandpa_params)?,
		);
	}

	Ok(task_manager)
}

/// `--miner-mode` and `--sealing` are testing aids (a lazy miner; blocks without Aura and
/// GRANDPA): refuse them on chains that are not for development.
fn check_dev_only(config: &Configuration, flag: &str, given: bool) -> Result<(), ServiceError> {
	use sc_chain_spec::ChainType;
	match config.chain_spec.chain_type() {
		ChainType::Development | ChainType::Local => Ok(()),
		_ if !given => Ok(()),
		other => Err(ServiceError::Other(format!(
			"{flag} is for development and local chains only, not a {other:?} chain"
		))),
	}
}

/// Hands the miner mode to the runtime's miner worker through off-chain storage (cleared when
/// the flag is absent, so a restart without it is honest again).
fn store_miner_mode(backend: &FullBackend, mode: Option<crate::cli::MinerMode>) {
	use sp_core::offchain::OffchainStorage;
	let Some(mut storage) = backend.offchain_storage() else { return };
	let key = pallet_inference::offchain::modes::MINER_MODE_KEY;
	match mode {
		Some(mode) => {
			log::info!("⛏️  Miner mode: {mode:?} (testing only)");
			storage.set(sp_offchain::STORAGE_PREFIX, key, mode.as_bytes());
		}
		None => storage.remove(sp_offchain::STORAGE_PREFIX, key),
	}
}

/// The models off-chain workers may run: those under `dir`, or under `~/.myelin/models` when no
/// directory is given and that one exists.
fn inference_models(
	dir: Option<std::path::PathBuf>,
) -> Option<Arc<myelin_inference_engine::registry::ModelRegistry>> {
	let dir = dir.or_else(|| {
		let default = std::env::var_os("HOME")
			.map(|home| std::path::PathBuf::from(home).join(".myelin").join("models"))?;
		default.is_dir().then_some(default)
	})?;
	let registry = myelin_inference_engine::registry::ModelRegistry::new(&dir);
	let models = registry.models();
	log::info!(
		"🧠 Inference models in {}: {}",
		dir.display(),
		if models.is_empty() {
			"none".to_string()
		} else {
			models.iter().map(hex::encode).collect::<Vec<_>>().join(", ")
		}
	);
	Some(Arc::new(registry))
}
