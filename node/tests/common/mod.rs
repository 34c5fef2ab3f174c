//! Harness for end-to-end tests: starts the real `myelin-node` binary on free loopback ports,
//! waits for its JSON-RPC server, and offers typed helpers over a jsonrpsee WebSocket client.
//! Every node is killed (SIGKILL) when its handle drops; its log stays in its base directory
//! and is printed when a wait times out.

#![allow(dead_code)]

use std::{
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

use jsonrpsee::{
	core::client::ClientT,
	rpc_params,
	ws_client::{WsClient, WsClientBuilder},
};
use serde::Deserialize;

/// Path of the node binary built by cargo for this test run. Tests of other packages (the CLI's)
/// share this harness and find the binary beside their own in the target directory.
pub fn node_bin() -> PathBuf {
	if let Some(path) = option_env!("CARGO_BIN_EXE_myelin-node") {
		return PathBuf::from(path);
	}
	let exe = std::env::current_exe().expect("the test knows its path");
	let bin = exe
		.parent()
		.and_then(Path::parent)
		.map(|dir| dir.join("myelin-node"))
		.expect("tests run from <target>/<profile>/deps");
	assert!(
		bin.exists(),
		"{} is missing: build the node first (`cargo build -p myelin-node`)",
		bin.display()
	);
	bin
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0")
		.and_then(|listener| listener.local_addr())
		.map(|addr| addr.port())
		.expect("the OS hands out an ephemeral port")
}

/// A running node process.
pub struct Node {
	child: Option<Child>,
	pub rpc_port: u16,
	pub p2p_port: u16,
	pub prometheus_port: u16,
	pub base_path: PathBuf,
	args: Vec<String>,
	log_path: PathBuf,
}

impl Node {
	/// Starts `myelin-node` with `args` plus fresh loopback ports and `--base-path base_path`.
	pub fn start<S: AsRef<str>>(base_path: &Path, args: &[S]) -> Node {
		let mut node = Node::unstarted(base_path);
		node.launch(args);
		node
	}

	/// A node with fresh loopback ports that is not running yet: its ports are known before
	/// its arguments are (peers' addresses, for instance).
	pub fn unstarted(base_path: &Path) -> Node {
		Node {
			child: None,
			rpc_port: free_port(),
			p2p_port: free_port(),
			prometheus_port: free_port(),
			base_path: base_path.to_path_buf(),
			args: Vec::new(),
			log_path: base_path.join("node.log"),
		}
	}

	/// Starts an [`Node::unstarted`] node with `args`.
	pub fn launch<S: AsRef<str>>(&mut self, args: &[S]) {
		self.args = args.iter().map(|a| a.as_ref().to_string()).collect();
		self.spawn();
	}

	/// The node's p2p address with its peer id, for `--bootnodes` and `--reserved-nodes`.
	pub fn p2p_address(&self, peer_id: &str) -> String {
		format!("/ip4/127.0.0.1/tcp/{}/p2p/{peer_id}", self.p2p_port)
	}

	/// Sends `signal` (`STOP`, `CONT`, …) to the running process with `kill(1)`.
	pub fn signal(&self, signal: &str) {
		let pid = self.child.as_ref().map(Child::id).expect("the node is running");
		let status = Command::new("kill")
			.args([format!("-{signal}"), pid.to_string()])
			.status()
			.expect("kill(1) runs");
		assert!(status.success(), "kill -{signal} {pid} failed");
	}

	fn spawn(&mut self) {
		std::fs::create_dir_all(&self.base_path).expect("base path can be created");
		let log = std::fs::OpenOptions::new()
			.create(true)
			.append(true)
			.open(&self.log_path)
			.expect("log file can be opened");
		let child = Command::new(node_bin())
			.args(&self.args)
			.arg("--base-path")
			.arg(&self.base_path)
			.args(["--rpc-port", &self.rpc_port.to_string()])
			.args(["--prometheus-port", &self.prometheus_port.to_string()])
			.args(["--listen-addr", &format!("/ip4/127.0.0.1/tcp/{}", self.p2p_port)])
			.args(["--no-mdns", "--no-telemetry", "--rpc-max-connections", "100"])
			.stdout(Stdio::null())
			.stderr(log)
			.spawn()
			.expect("myelin-node starts");
		self.child = Some(child);
	}

	/// Kills the process with SIGKILL (no clean shutdown) and waits for it to exit.
	pub fn kill(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}

	/// Starts the same node again: same arguments, ports and base path.
	pub fn restart(&mut self) {
		self.kill();
		self.spawn();
	}

	/// Whether the process is still running.
	pub fn is_running(&mut self) -> bool {
		matches!(self.child.as_mut().map(|c| c.try_wait()), Some(Ok(None)))
	}

	/// The node's log so far (its stderr).
	pub fn log(&self) -> String {
		std::fs::read_to_string(&self.log_path).unwrap_or_default()
	}

	pub fn ws_url(&self) -> String {
		format!("ws://127.0.0.1:{}", self.rpc_port)
	}

	/// Connects a WebSocket RPC client, retrying until the server is up.
	pub async fn client(&mut self) -> WsClient {
		let deadline = Instant::now() + Duration::from_secs(120);
		loop {
			if let Ok(client) = WsClientBuilder::default()
				.request_timeout(Duration::from_secs(60))
				.build(self.ws_url())
				.await
			{
				return client;
			}
			assert!(self.is_running(), "node exited before serving RPC:\n{}", self.log());
			assert!(Instant::now() < deadline, "RPC never came up:\n{}", self.log());
			tokio::time::sleep(Duration::from_millis(250)).await;
		}
	}

	/// Waits until `check` returns true, polling every 250 ms, panicking with the node's log
	/// after `timeout`.
	pub async fn wait_until<F, Fut>(&self, what: &str, timeout: Duration, mut check: F)
	where
		F: FnMut() -> Fut,
		Fut: std::future::Future<Output = bool>,
	{
		let deadline = Instant::now() + timeout;
		while !check().await {
			assert!(
				Instant::now() < deadline,
				"timed out after {timeout:?} waiting for {what}; node log tail:\n{}",
				tail(&self.log(), 60)
			);
			tokio::time::sleep(Duration::from_millis(250)).await;
		}
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		self.kill();
	}
}

fn tail(text: &str, lines: usize) -> String {
	let all: Vec<&str> = text.lines().collect();
	all[all.len().saturating_sub(lines)..].join("\n")
}

#[derive(Deserialize)]
struct HeaderJson {
	number: String,
}

fn parse_hex_u32(hex: &str) -> u32 {
	u32::from_str_radix(hex.trim_start_matches("0x"), 16).expect("block numbers are hex")
}

/// Best block number.
pub async fn best_number(client: &WsClient) -> u32 {
	let header: HeaderJson =
		client.request("chain_getHeader", rpc_params![]).await.expect("chain_getHeader");
	parse_hex_u32(&header.number)
}

/// Finalized block number.
pub async fn finalized_number(client: &WsClient) -> u32 {
	let hash: String =
		client.request("chain_getFinalizedHead", rpc_params![]).await.expect("finalized head");
	let header: HeaderJson =
		client.request("chain_getHeader", rpc_params![hash]).await.expect("chain_getHeader");
	parse_hex_u32(&header.number)
}

/// Best and finalized block numbers, or `None` when the node does not answer.
pub async fn try_heights(client: &WsClient) -> Option<(u32, u32)> {
	let best: HeaderJson = client.request("chain_getHeader", rpc_params![]).await.ok()?;
	let hash: String = client.request("chain_getFinalizedHead", rpc_params![]).await.ok()?;
	let fin: HeaderJson = client.request("chain_getHeader", rpc_params![hash]).await.ok()?;
	Some((parse_hex_u32(&best.number), parse_hex_u32(&fin.number)))
}

/// Genesis hash of the node's chain.
pub async fn genesis_hash(client: &WsClient) -> sp_core::H256 {
	let hash: String =
		client.request("chain_getBlockHash", rpc_params![0]).await.expect("genesis hash");
	let bytes = hex::decode(hash.trim_start_matches("0x")).expect("hash is hex");
	sp_core::H256::from_slice(&bytes)
}

/// The storage key of a map entry: `twox128(pallet) ++ twox128(item) ++ hashed keys`.
pub fn storage_key(pallet: &str, item: &str, hashed_keys: &[Vec<u8>]) -> String {
	let mut key = sp_io::hashing::twox_128(pallet.as_bytes()).to_vec();
	key.extend_from_slice(&sp_io::hashing::twox_128(item.as_bytes()));
	for part in hashed_keys {
		key.extend_from_slice(part);
	}
	format!("0x{}", hex::encode(key))
}

/// `Blake2_128Concat` of an encodable key.
pub fn blake2_128_concat(key: &impl codec::Encode) -> Vec<u8> {
	let encoded = key.encode();
	let mut out = sp_io::hashing::blake2_128(&encoded).to_vec();
	out.extend_from_slice(&encoded);
	out
}

/// `Twox64Concat` of an encodable key.
pub fn twox_64_concat(key: &impl codec::Encode) -> Vec<u8> {
	let encoded = key.encode();
	let mut out = sp_io::hashing::twox_64(&encoded).to_vec();
	out.extend_from_slice(&encoded);
	out
}

/// Reads and decodes a storage value at the best block over `state_getStorage`.
pub async fn storage<T: codec::Decode>(client: &WsClient, key: String) -> Option<T> {
	let value: Option<String> =
		client.request("state_getStorage", rpc_params![key]).await.expect("state_getStorage");
	value.map(|hex_value| {
		let bytes = hex::decode(hex_value.trim_start_matches("0x")).expect("storage is hex");
		T::decode(&mut &bytes[..]).expect("storage value decodes")
	})
}

/// Free balance of `account`, read from `System::Account` over `state_getStorage`.
pub async fn free_balance(client: &WsClient, account: &myelin_runtime::AccountId) -> u128 {
	let key = storage_key("System", "Account", &[blake2_128_concat(account)]);
	storage::<frame_system::AccountInfo<myelin_runtime::Nonce, pallet_balances::AccountData<u128>>>(
		client, key,
	)
	.await
	.map(|info| info.data.free)
	.unwrap_or(0)
}

/// What became of a submitted transaction.
#[derive(Debug, Default)]
pub struct Outcome {
	pub in_block: bool,
	pub finalized: bool,
}

/// Submits a signed extrinsic with `author_submitAndWatchExtrinsic` and follows it until it is
/// finalized (or fails, or `timeout` passes).
pub async fn submit_and_watch(
	client: &WsClient,
	xt: &myelin_runtime::UncheckedExtrinsic,
	timeout: Duration,
) -> Outcome {
	use codec::Encode;
	use jsonrpsee::core::client::SubscriptionClientT;
	let xt_hex = format!("0x{}", hex::encode(xt.encode()));
	let mut sub = client
		.subscribe::<serde_json::Value, _>(
			"author_submitAndWatchExtrinsic",
			rpc_params![xt_hex],
			"author_unwatchExtrinsic",
		)
		.await
		.expect("subscription accepted");
	let mut outcome = Outcome::default();
	let _ = tokio::time::timeout(timeout, async {
		while let Some(Ok(status)) = sub.next().await {
			if status.get("inBlock").is_some() {
				outcome.in_block = true;
			}
			if status.get("finalized").is_some() {
				outcome.finalized = true;
				return;
			}
			assert!(
				status.get("invalid").is_none() && status.get("dropped").is_none(),
				"transaction failed: {status}"
			);
		}
	})
	.await;
	outcome
}

/// The next nonce of `account` (including pending transactions).
pub async fn next_nonce(client: &WsClient, account: &myelin_runtime::AccountId) -> u32 {
	client
		.request("system_accountNextIndex", rpc_params![account.to_string()])
		.await
		.expect("system_accountNextIndex")
}

/// The dev chain's demo subnet (tempo 10, owned by Alice).
pub const DEMO_NETUID: u16 = 1;

/// A timeout for one step of an end-to-end scenario.
pub const STEP_TIMEOUT: Duration = Duration::from_secs(60);

/// Reads the Yuma pallet's per-UID metrics of the demo subnet from raw storage.
pub async fn metrics(client: &WsClient) -> pallet_yuma::NeuronMetrics {
	storage(client, storage_key("Yuma", "Metrics", &[twox_64_concat(&DEMO_NETUID)]))
		.await
		.unwrap_or_default()
}

/// The demo subnet after [`weighted_subnet`].
pub struct WeightedSubnet {
	/// The miner's hotkey.
	pub miner_id: myelin_runtime::AccountId,
	/// Its UID.
	pub miner_uid: u16,
}

/// On a running dev node: Alice stakes 1,000 MYL on her hotkey (`//Alice//stash`, UID 0 of the
/// demo subnet), Bob registers a fresh miner hotkey, an epoch grants UID 0 a validator permit,
/// and the validator weights the miner through a signed extrinsic.
pub async fn weighted_subnet(node: &Node, client: &WsClient) -> WeightedSubnet {
	use myelin_runtime::{AccountId, RuntimeCall, MYL};
	use sp_core::{sr25519, Pair};
	const TIMEOUT: Duration = STEP_TIMEOUT;
	let genesis = genesis_hash(client).await;
	// The validator: Alice's hotkey (//Alice//stash), UID 0 of the demo subnet, with stake.
	let alice = sr25519::Pair::from_string("//Alice", None).unwrap();
	let alice_id: AccountId = alice.public().into();
	let validator = sr25519::Pair::from_string("//Alice//stash", None).unwrap();
	let validator_id: AccountId = validator.public().into();
	let call = RuntimeCall::Stake(pallet_stake::Call::add_stake {
		hotkey: validator_id.clone(),
		netuid: DEMO_NETUID,
		amount: 1_000 * MYL,
	});
	let nonce = next_nonce(client, &alice_id).await;
	let xt = myelin_runtime::signing::sign(call, &alice, nonce, genesis);
	assert!(submit_and_watch(client, &xt, TIMEOUT).await.finalized);

	// The miner: a fresh hotkey registered by Bob.
	let bob = sr25519::Pair::from_string("//Bob", None).unwrap();
	let bob_id: AccountId = bob.public().into();
	let (miner, _) = sr25519::Pair::generate();
	let miner_id: AccountId = miner.public().into();
	let nonce = next_nonce(client, &bob_id).await;
	let xt =
		myelin_runtime::signing::sign(associate(&bob_id, &miner, genesis), &bob, nonce, genesis);
	assert!(submit_and_watch(client, &xt, TIMEOUT).await.finalized);
	let call = RuntimeCall::Subnets(pallet_subnets::Call::burned_register {
		netuid: DEMO_NETUID,
		hotkey: miner_id.clone(),
		max_burn: MYL,
	});
	let nonce = next_nonce(client, &bob_id).await;
	let xt = myelin_runtime::signing::sign(call, &bob, nonce, genesis);
	assert!(submit_and_watch(client, &xt, TIMEOUT).await.finalized);
	let miner_uid: u16 = storage(
		client,
		storage_key(
			"Subnets",
			"Uids",
			&[twox_64_concat(&DEMO_NETUID), blake2_128_concat(&miner_id)],
		),
	)
	.await
	.expect("the miner is registered");

	// An epoch grants the staked hotkey its validator permit.
	node.wait_until("a validator permit for UID 0", TIMEOUT, || async {
		metrics(client).await.validator_permit.first() == Some(&true)
	})
	.await;

	// The validator weights the miner, signing with its hotkey.
	let call = RuntimeCall::Yuma(pallet_yuma::Call::set_weights {
		netuid: DEMO_NETUID,
		uids: vec![miner_uid],
		values: vec![u16::MAX],
		version_key: 0,
	});
	let nonce = next_nonce(client, &validator_id).await;
	let xt = myelin_runtime::signing::sign(call, &validator, nonce, genesis);
	assert!(submit_and_watch(client, &xt, TIMEOUT).await.finalized);
	let row: Vec<(u16, u16)> = storage(
		client,
		storage_key("Yuma", "Weights", &[twox_64_concat(&DEMO_NETUID), twox_64_concat(&0u16)]),
	)
	.await
	.unwrap_or_default();
	assert_eq!(row, vec![(miner_uid, u16::MAX)]);

	WeightedSubnet { miner_id, miner_uid }
}

/// `coldkey`'s `associate_hotkey` call for `hotkey`, signed by the hotkey: its consent to
/// belong to `coldkey`, needed before a fresh hotkey is first registered.
pub fn associate(
	coldkey: &myelin_runtime::AccountId,
	hotkey: &sp_core::sr25519::Pair,
	genesis: sp_core::H256,
) -> myelin_runtime::RuntimeCall {
	use sp_core::Pair;
	let signature = hotkey.sign(&pallet_subnets::hotkey_consent_payload(&genesis, coldkey));
	myelin_runtime::RuntimeCall::Subnets(pallet_subnets::Call::associate_hotkey {
		hotkey: hotkey.public().into(),
		signature: signature.into(),
	})
}
