//! Chaos on the four-validator `local` chain, on loopback, with subnet traffic running.
//!
//! The network is the one `scripts/localnet.sh` starts: Alice, Bob, Charlie and Dave author
//! (Aura) and finalize (GRANDPA, equal weights, so any three of four finalize). Each node peers
//! only with its reserved set, the other three, on the libp2p network backend, so a partition is
//! made and healed with the `system_removeReservedPeer` / `system_addReservedPeer` RPCs.
//!
//! Traffic: Alice registers a subnet with tempo 10 and stakes on its validator hotkey; for the
//! whole test a task submits stake, miner registrations and weights to the nodes in turn, and
//! epochs run every 10 blocks. At the end the chain must hold what the traffic did.
//!
//! Scenarios, in order:
//! 1. `kill -9` one validator while it authors a block: finality continues on the other three;
//!    restarted from RocksDB it syncs, and it votes again (finality advances while another
//!    validator is down, which needs its vote).
//! 2. `kill -STOP` one validator for a while, then `-CONT`: it catches up with finality.
//! 3. Partition Alice and Bob from Charlie and Dave: finality stops (3 of 4 needed), blocks
//!    continue on both sides; after healing, finality resumes within a bound.
//! 4. `kill -9` all four at once and restart them: nothing finalized is lost, finality resumes.
//!
//! After every scenario the safety check runs: for every height up to the lowest finalized
//! head, every node has the same hash (and the same hash as every earlier check saw), and total
//! issuance at that head is the same on every node.
//!
//! `MYELIN_CHAOS=long` (what `scripts/chaos.sh` sets) stops a validator and partitions the
//! network for 120 s each instead of 30 s. Each scenario prints a `chaos:` summary line.

// Test code: panicking on a broken fixture is the point.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

mod common;

use std::{
	collections::BTreeMap,
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc,
	},
	time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use common::{associate, blake2_128_concat, storage_key, twox_64_concat, Node};
use jsonrpsee::{
	core::client::ClientT,
	http_client::{HttpClient, HttpClientBuilder},
	rpc_params,
};
use myelin_runtime::{AccountId, RuntimeCall, MYL};
use serde::Deserialize;
use sp_core::{sr25519, Pair, H256};

const NAMES: [&str; 4] = ["alice", "bob", "charlie", "dave"];

/// The peer ids of node keys `0x…01` to `0x…04` (`myelin-node key inspect-node-key`), the keys
/// the validators run with: every node's reserved set is known before any of them starts.
const PEER_IDS: [&str; 4] = [
	"12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp",
	"12D3KooWHdiAxVd8uMQR1hGWXccidmfCwLqcMpGwR6QcTP6QRMuD",
	"12D3KooWSCufgHzV4fCwRijfH2k3abrpAJxTKxEvN1FDuRXA2U9x",
	"12D3KooWSsChzF81YDUKpe9Uk5AHV5oqAaXAcWNSPYgoLauUk4st",
];

/// Aura slot length of the runtime (6 s blocks).
const SLOT_MS: u64 = 6_000;

/// The longest any one wait may take: GRANDPA on four debug nodes sharing two cores.
const WAIT: Duration = Duration::from_secs(240);

/// How long faults last: the short form in `.ci/run`, the long one from `scripts/chaos.sh`.
struct Form {
	stall: Duration,
	partition: Duration,
}

fn form() -> Form {
	match std::env::var("MYELIN_CHAOS").as_deref() {
		Ok("long") => Form { stall: Duration::from_secs(120), partition: Duration::from_secs(120) },
		_ => Form { stall: Duration::from_secs(30), partition: Duration::from_secs(30) },
	}
}

#[derive(Deserialize)]
struct Header {
	number: String,
}

#[derive(Deserialize)]
struct Health {
	peers: u64,
}

fn parse_number(hex: &str) -> u32 {
	u32::from_str_radix(hex.trim_start_matches("0x"), 16).expect("block numbers are hex")
}

/// Best and finalized block numbers, or `None` if the node does not answer.
async fn heights(rpc: &HttpClient) -> Option<(u32, u32)> {
	let best: Header = rpc.request("chain_getHeader", rpc_params![]).await.ok()?;
	let hash: String = rpc.request("chain_getFinalizedHead", rpc_params![]).await.ok()?;
	let finalized: Header = rpc.request("chain_getHeader", rpc_params![hash]).await.ok()?;
	Some((parse_number(&best.number), parse_number(&finalized.number)))
}

async fn block_hash(rpc: &HttpClient, number: u32) -> Option<String> {
	rpc.request("chain_getBlockHash", rpc_params![number]).await.ok().flatten()
}

async fn peers(rpc: &HttpClient) -> Option<u64> {
	rpc.request::<Health, _>("system_health", rpc_params![]).await.ok().map(|h| h.peers)
}

async fn storage_at<T: codec::Decode>(rpc: &HttpClient, key: &str, at: Option<&str>) -> Option<T> {
	let value: Option<String> =
		rpc.request("state_getStorage", rpc_params![key, at]).await.ok().flatten();
	value.map(|hex_value| {
		let bytes = hex::decode(hex_value.trim_start_matches("0x")).expect("storage is hex");
		T::decode(&mut &bytes[..]).expect("storage value decodes")
	})
}

async fn next_nonce(rpc: &HttpClient, account: &AccountId) -> Option<u32> {
	rpc.request("system_accountNextIndex", rpc_params![account.to_string()]).await.ok()
}

async fn submit(rpc: &HttpClient, xt: &myelin_runtime::UncheckedExtrinsic) -> bool {
	use codec::Encode;
	let xt_hex = format!("0x{}", hex::encode(xt.encode()));
	rpc.request::<String, _>("author_submitExtrinsic", rpc_params![xt_hex]).await.is_ok()
}

fn pair(uri: &str) -> sr25519::Pair {
	sr25519::Pair::from_string(uri, None).expect("dev key")
}

/// The four validators.
struct Network {
	nodes: Vec<Node>,
	rpcs: Vec<HttpClient>,
	/// The hash of every finalized height any safety check has seen.
	finalized: BTreeMap<u32, String>,
}

impl Network {
	fn start(dir: &std::path::Path) -> Network {
		let mut nodes: Vec<Node> =
			NAMES.iter().map(|name| Node::unstarted(&dir.join(name))).collect();
		let addresses: Vec<String> =
			nodes.iter().zip(PEER_IDS).map(|(node, id)| node.p2p_address(id)).collect();
		for (index, node) in nodes.iter_mut().enumerate() {
			let mut args: Vec<String> = vec![
				"--chain".into(),
				"local".into(),
				format!("--{}", NAMES[index]),
				"--node-key".into(),
				format!("{:064x}", index + 1),
				// The libp2p backend disconnects a peer removed from the reserved set, which
				// is how the partition is made.
				"--network-backend".into(),
				"libp2p".into(),
				"--reserved-only".into(),
			];
			for (peer, address) in addresses.iter().enumerate() {
				if peer != index {
					args.extend(["--reserved-nodes".into(), address.clone()]);
				}
			}
			node.launch(&args);
		}
		let rpcs = nodes
			.iter()
			.map(|node| {
				HttpClientBuilder::default()
					.request_timeout(Duration::from_secs(5))
					.build(format!("http://127.0.0.1:{}", node.rpc_port))
					.expect("HTTP client")
			})
			.collect();
		Network { nodes, rpcs, finalized: BTreeMap::new() }
	}

	fn addresses(&self) -> Vec<String> {
		self.nodes.iter().zip(PEER_IDS).map(|(node, id)| node.p2p_address(id)).collect()
	}

	/// Waits until `check` holds, polling every 500 ms; on timeout panics with every log tail.
	async fn wait<F, Fut>(&self, what: &str, timeout: Duration, mut check: F) -> Duration
	where
		F: FnMut() -> Fut,
		Fut: std::future::Future<Output = bool>,
	{
		let started = Instant::now();
		while !check().await {
			if started.elapsed() > timeout {
				for (name, node) in NAMES.iter().zip(&self.nodes) {
					let log = node.log();
					let tail: Vec<&str> = log.lines().rev().take(25).collect();
					eprintln!("--- {name} ---");
					for line in tail.into_iter().rev() {
						eprintln!("{line}");
					}
				}
				panic!("timed out after {timeout:?} waiting for {what}");
			}
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
		started.elapsed()
	}

	/// Best and finalized height of a running node, retried for 30 s: a node that is merely
	/// slow must not read as height 0 (which would fail or pass a comparison spuriously).
	async fn heights_of(&self, node: usize) -> (u32, u32) {
		for _ in 0..30 {
			if let Some(heights) = heights(&self.rpcs[node]).await {
				return heights;
			}
			tokio::time::sleep(Duration::from_secs(1)).await;
		}
		panic!("{} does not answer chain_getHeader", NAMES[node]);
	}

	async fn finalized_of(&self, node: usize) -> u32 {
		self.heights_of(node).await.1
	}

	async fn best_of(&self, node: usize) -> u32 {
		self.heights_of(node).await.0
	}

	async fn lowest_finalized(&self, nodes: &[usize]) -> u32 {
		let mut lowest = u32::MAX;
		for &node in nodes {
			lowest = lowest.min(self.finalized_of(node).await);
		}
		lowest
	}

	async fn highest_finalized(&self, nodes: &[usize]) -> u32 {
		let mut highest = 0;
		for &node in nodes {
			highest = highest.max(self.finalized_of(node).await);
		}
		highest
	}

	/// Waits until every one of `nodes` has finalized `target`; returns how long it took. A
	/// node still starting counts as not there yet.
	async fn wait_finalized(&self, what: &str, nodes: &[usize], target: u32) -> Duration {
		self.wait(what, WAIT, || async {
			for &node in nodes {
				match heights(&self.rpcs[node]).await {
					Some((_, finalized)) if finalized >= target => {}
					_ => return false,
				}
			}
			true
		})
		.await
	}

	/// The safety check over `nodes`: every height up to their lowest finalized head has one
	/// hash on every node, the same one every earlier check saw; total issuance at that head
	/// is the same everywhere. Returns the lowest finalized height.
	async fn check_safety(&mut self, nodes: &[usize]) -> u32 {
		let lowest = self.lowest_finalized(nodes).await;
		for height in 1..=lowest {
			let mut expected = self.finalized.get(&height).cloned();
			for &node in nodes {
				let hash = block_hash(&self.rpcs[node], height).await.expect("a finalized block");
				match &expected {
					Some(seen) => assert_eq!(
						seen, &hash,
						"{} has another block at finalized height {height}",
						NAMES[node]
					),
					None => expected = Some(hash),
				}
			}
			self.finalized.insert(height, expected.expect("at least one node"));
		}
		let head = self.finalized.get(&lowest).cloned();
		let key = storage_key("Balances", "TotalIssuance", &[]);
		let mut issuance: Option<u128> = None;
		for &node in nodes {
			let value: u128 = storage_at(&self.rpcs[node], &key, head.as_deref())
				.await
				.expect("total issuance is stored");
			assert!(value > 0);
			match issuance {
				Some(seen) => assert_eq!(seen, value, "{} disagrees on issuance", NAMES[node]),
				None => issuance = Some(value),
			}
		}
		lowest
	}

	/// Waits until `author` starts authoring a block: the start of a slot it owns (Aura's
	/// round robin over the genesis authorities, in `NAMES` order), then its log's next
	/// "Starting consensus session" line. Returns once the session has started, or panics if
	/// none starts within two of its slots.
	async fn wait_until_authoring(&self, author: usize) {
		let sessions = || self.nodes[author].log().matches("Starting consensus session").count();
		for _ in 0..2 {
			loop {
				let now_ms =
					SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64;
				let next = now_ms / SLOT_MS + 1;
				let wait = Duration::from_millis((next * SLOT_MS).saturating_sub(now_ms));
				let before = sessions();
				tokio::time::sleep(wait).await;
				if next % NAMES.len() as u64 == author as u64 {
					// The session starts a few milliseconds into the slot.
					let started = Instant::now();
					while started.elapsed() < Duration::from_millis(1_500) {
						if sessions() > before {
							return;
						}
						tokio::time::sleep(Duration::from_millis(5)).await;
					}
					break;
				}
			}
		}
		panic!("{} never started authoring in its slots", NAMES[author]);
	}

	/// Cuts (or restores) every link between the two halves with the reserved-peer RPCs.
	async fn set_partition(&self, left: &[usize], right: &[usize], cut: bool) {
		let addresses = self.addresses();
		for &a in left {
			for &b in right {
				for (from, to) in [(a, b), (b, a)] {
					let result: Result<(), _> = if cut {
						self.rpcs[from]
							.request("system_removeReservedPeer", rpc_params![PEER_IDS[to]])
							.await
					} else {
						self.rpcs[from]
							.request("system_addReservedPeer", rpc_params![&addresses[to]])
							.await
					};
					result.expect("reserved-peer RPC (unsafe methods on loopback)");
				}
			}
		}
	}
}

/// What the traffic task needs to know about the subnet.
#[derive(Clone)]
struct Subnet {
	netuid: u16,
	genesis: H256,
}

/// Submits stake, registrations and weights to the nodes in turn until `stop`, ignoring nodes
/// that are down. Returns how many submissions a node accepted into its pool.
async fn traffic(rpcs: Vec<HttpClient>, subnet: Subnet, stop: Arc<AtomicBool>) -> u32 {
	let alice = pair("//Alice");
	let alice_id: AccountId = alice.public().into();
	let bob = pair("//Bob");
	let bob_id: AccountId = bob.public().into();
	let validator = pair("//Alice//stash");
	let validator_id: AccountId = validator.public().into();
	let mut miners: Vec<AccountId> = Vec::new();
	let mut accepted = 0;
	let mut round: usize = 0;
	while !stop.load(Ordering::Relaxed) {
		let rpc = &rpcs[round % rpcs.len()];
		match round % 3 {
			0 => {
				let call = RuntimeCall::Stake(pallet_stake::Call::add_stake {
					hotkey: validator_id.clone(),
					netuid: subnet.netuid,
					amount: MYL,
				});
				if let Some(nonce) = next_nonce(rpc, &alice_id).await {
					let xt = myelin_runtime::signing::sign(call, &alice, nonce, subnet.genesis);
					accepted += u32::from(submit(rpc, &xt).await);
				}
			}
			1 => {
				let miner = pair(&format!("//Miner{round}"));
				let miner_id: AccountId = miner.public().into();
				let register = RuntimeCall::Subnets(pallet_subnets::Call::burned_register {
					netuid: subnet.netuid,
					hotkey: miner_id.clone(),
					max_burn: 1_000 * MYL,
				});
				if let Some(nonce) = next_nonce(rpc, &bob_id).await {
					let consent = associate(&bob_id, &miner, subnet.genesis);
					let xts = [
						myelin_runtime::signing::sign(consent, &bob, nonce, subnet.genesis),
						myelin_runtime::signing::sign(register, &bob, nonce + 1, subnet.genesis),
					];
					for xt in &xts {
						accepted += u32::from(submit(rpc, xt).await);
					}
					miners.push(miner_id);
				}
			}
			_ => {
				let mut uids = Vec::new();
				for miner in &miners {
					let key = storage_key(
						"Subnets",
						"Uids",
						&[twox_64_concat(&subnet.netuid), blake2_128_concat(miner)],
					);
					if let Some(uid) = storage_at::<u16>(rpc, &key, None).await {
						uids.push(uid);
					}
				}
				uids.sort_unstable();
				uids.dedup();
				if !uids.is_empty() {
					let values = vec![u16::MAX; uids.len()];
					let call = RuntimeCall::Yuma(pallet_yuma::Call::set_weights {
						netuid: subnet.netuid,
						uids,
						values,
						version_key: 0,
					});
					if let Some(nonce) = next_nonce(rpc, &validator_id).await {
						let xt =
							myelin_runtime::signing::sign(call, &validator, nonce, subnet.genesis);
						accepted += u32::from(submit(rpc, &xt).await);
					}
				}
			}
		}
		round += 1;
		tokio::time::sleep(Duration::from_secs(2)).await;
	}
	accepted
}

/// Alice registers a subnet with `//Alice//stash` as its validator, sets tempo 10 and no
/// weights rate limit (sudo), and stakes 1,000 MYL on the validator.
async fn register_subnet(net: &Network) -> Subnet {
	let rpc = &net.rpcs[0];
	let genesis: String = rpc.request("chain_getBlockHash", rpc_params![0]).await.unwrap();
	let genesis: H256 = genesis.parse().unwrap();
	let alice = pair("//Alice");
	let alice_id: AccountId = alice.public().into();
	let validator = pair("//Alice//stash");
	let validator_id: AccountId = validator.public().into();
	let nonce = next_nonce(rpc, &alice_id).await.unwrap();
	let calls = [
		associate(&alice_id, &validator, genesis),
		RuntimeCall::Subnets(pallet_subnets::Call::register_network {
			hotkey: validator_id.clone(),
		}),
	];
	for (offset, call) in calls.into_iter().enumerate() {
		let xt = myelin_runtime::signing::sign(call, &alice, nonce + offset as u32, genesis);
		assert!(submit(rpc, &xt).await, "the node accepts Alice's setup");
	}
	let netuid_of_validator = || async {
		for candidate in 0..4u16 {
			let key = storage_key(
				"Subnets",
				"Uids",
				&[twox_64_concat(&candidate), blake2_128_concat(&validator_id)],
			);
			if storage_at::<u16>(rpc, &key, None).await.is_some() {
				return Some(candidate);
			}
		}
		None
	};
	net.wait("Alice's subnet to be registered", WAIT, || async {
		netuid_of_validator().await.is_some()
	})
	.await;
	let netuid = netuid_of_validator().await.unwrap();
	let sudo = |param| {
		RuntimeCall::Sudo(pallet_sudo::Call::sudo {
			call: Box::new(RuntimeCall::Subnets(pallet_subnets::Call::set_hyperparameter {
				netuid,
				param,
			})),
		})
	};
	let calls = [
		sudo(pallet_subnets::Hyperparameter::Tempo(10)),
		sudo(pallet_subnets::Hyperparameter::WeightsSetRateLimit(0)),
		RuntimeCall::Stake(pallet_stake::Call::add_stake {
			hotkey: validator_id,
			netuid,
			amount: 1_000 * MYL,
		}),
	];
	let nonce = next_nonce(rpc, &alice_id).await.unwrap();
	for (offset, call) in calls.into_iter().enumerate() {
		let xt = myelin_runtime::signing::sign(call, &alice, nonce + offset as u32, genesis);
		assert!(submit(rpc, &xt).await, "the node accepts Alice's setup");
	}
	net.wait("Alice's setup to be included", WAIT, || async {
		next_nonce(rpc, &alice_id).await == Some(nonce + 3)
			&& storage_at::<u64>(
				rpc,
				&storage_key("System", "Account", &[blake2_128_concat(&alice_id)]),
				None,
			)
			.await
			.is_some()
	})
	.await;
	Subnet { netuid, genesis }
}

#[tokio::test(flavor = "multi_thread")]
async fn four_validators_survive_crashes_stalls_partitions_and_a_full_restart() {
	let form = form();
	let dir = tempfile::tempdir().unwrap();
	let mut net = Network::start(dir.path());
	let all = [0, 1, 2, 3];

	let took = net
		.wait("all four to see their three peers", WAIT, || async {
			for rpc in &net.rpcs {
				if peers(rpc).await != Some(3) {
					return false;
				}
			}
			true
		})
		.await;
	net.wait_finalized("all four to finalize block 2", &all, 2).await;
	println!("chaos: network up: 4 validators peered in {:.0?}", took);

	let subnet = register_subnet(&net).await;
	let stop = Arc::new(AtomicBool::new(false));
	let traffic = tokio::spawn(traffic(net.rpcs.clone(), subnet.clone(), stop.clone()));

	// 1. kill -9 Dave while he authors a block.
	let dave = 3;
	net.wait_until_authoring(dave).await;
	net.nodes[dave].kill();
	let others = [0, 1, 2];
	let at_kill = net.highest_finalized(&others).await;
	net.wait_finalized("finality with Dave killed", &others, at_kill + 3).await;
	net.nodes[dave].restart();
	let target = net.highest_finalized(&others).await;
	let synced = net.wait_finalized("Dave to sync from his database", &[dave], target).await;
	// Dave votes again: with Charlie down, finality needs Alice, Bob and Dave.
	let charlie = 2;
	net.nodes[charlie].kill();
	let without_charlie = [0, 1, 3];
	let at_kill = net.highest_finalized(&without_charlie).await;
	net.wait_finalized("finality with Charlie down (needs Dave)", &without_charlie, at_kill + 3)
		.await;
	net.nodes[charlie].restart();
	let target = net.highest_finalized(&without_charlie).await;
	net.wait_finalized("Charlie to catch up", &[charlie], target).await;
	let checked = net.check_safety(&all).await;
	println!(
		"chaos: kill-9: finality went on with 3 of 4; Dave resynced in {synced:.0?} and voted \
		 (finality advanced with Charlie down); safe up to #{checked}"
	);

	// 2. kill -STOP Bob, then -CONT.
	let bob = 1;
	net.nodes[bob].signal("STOP");
	let without_bob = [0, 2, 3];
	let at_stop = net.highest_finalized(&without_bob).await;
	tokio::time::sleep(form.stall).await;
	let during = net.lowest_finalized(&without_bob).await;
	assert!(during > at_stop, "finality continues while Bob is stopped");
	net.nodes[bob].signal("CONT");
	let target = net.highest_finalized(&without_bob).await;
	let caught_up = net.wait_finalized("Bob to catch up after SIGCONT", &[bob], target).await;
	let checked = net.check_safety(&all).await;
	println!(
		"chaos: stop-cont: Bob stopped {:.0?} (finality {at_stop} → {during} without him), caught \
		 up in {caught_up:.0?}; safe up to #{checked}",
		form.stall
	);

	// 3. Partition {Alice, Bob} | {Charlie, Dave}.
	let (left, right) = ([0, 1], [2, 3]);
	net.set_partition(&left, &right, true).await;
	net.wait("each node to keep only its partner", WAIT, || async {
		for rpc in &net.rpcs {
			if peers(rpc).await != Some(1) {
				return false;
			}
		}
		true
	})
	.await;
	// A round already under way may still conclude; after a slot, nothing more can.
	tokio::time::sleep(Duration::from_millis(SLOT_MS)).await;
	let frozen = net.highest_finalized(&all).await;
	let best_left = net.best_of(0).await;
	let best_right = net.best_of(2).await;
	tokio::time::sleep(form.partition).await;
	assert_eq!(net.highest_finalized(&all).await, frozen, "no side finalizes alone");
	assert!(net.best_of(0).await > best_left, "Alice and Bob keep authoring");
	assert!(net.best_of(2).await > best_right, "Charlie and Dave keep authoring");
	let fork_height = net.best_of(0).await.min(net.best_of(2).await);
	let left_hash = block_hash(&net.rpcs[0], fork_height).await;
	let right_hash = block_hash(&net.rpcs[2], fork_height).await;
	assert_ne!(left_hash, right_hash, "the halves built different chains");
	net.set_partition(&left, &right, false).await;
	let mut best = 0;
	for node in all {
		best = best.max(net.best_of(node).await);
	}
	let healed = net.wait_finalized("finality to resume after healing", &all, best).await;
	let checked = net.check_safety(&all).await;
	println!(
		"chaos: partition: {:.0?} split 2|2, finality held at #{frozen} while both halves \
		 authored (forked at #{fork_height}); healed, finality passed #{best} in {healed:.0?}; \
		 safe up to #{checked}",
		form.partition
	);

	// 4. kill -9 all four at once, then restart them.
	let before: Vec<u32> = {
		let mut before = Vec::new();
		for node in all {
			before.push(net.finalized_of(node).await);
		}
		before
	};
	net.check_safety(&all).await;
	for node in &mut net.nodes {
		node.kill();
	}
	for node in &mut net.nodes {
		node.restart();
	}
	net.wait("all four to serve RPC again", WAIT, || async {
		for rpc in &net.rpcs {
			if heights(rpc).await.is_none() {
				return false;
			}
		}
		true
	})
	.await;
	for node in all {
		let after = net.finalized_of(node).await;
		assert!(
			after >= before[node],
			"{} lost finalized blocks: {after} < {}",
			NAMES[node],
			before[node]
		);
	}
	let highest = *before.iter().max().unwrap();
	let resumed =
		net.wait_finalized("finality to resume after a full restart", &all, highest + 2).await;
	let checked = net.check_safety(&all).await;
	println!(
		"chaos: restart-all: every node kept its finalized head (highest #{highest}); finality \
		 resumed in {resumed:.0?}; safe up to #{checked}"
	);

	// The traffic landed: stake, miners, weights and epochs.
	stop.store(true, Ordering::Relaxed);
	let accepted = traffic.await.unwrap();
	let rpc = &net.rpcs[0];
	let netuid = subnet.netuid;
	let miners: u16 =
		storage_at(rpc, &storage_key("Subnets", "SubnetworkN", &[twox_64_concat(&netuid)]), None)
			.await
			.unwrap_or(0);
	let row: Vec<(u16, u16)> = storage_at(
		rpc,
		&storage_key("Yuma", "Weights", &[twox_64_concat(&netuid), twox_64_concat(&0u16)]),
		None,
	)
	.await
	.unwrap_or_default();
	let metrics: pallet_yuma::NeuronMetrics =
		storage_at(rpc, &storage_key("Yuma", "Metrics", &[twox_64_concat(&netuid)]), None)
			.await
			.unwrap_or_default();
	assert!(miners >= 3, "miners registered during the chaos ({miners} UIDs, UID 0 the owner's)");
	assert!(!row.is_empty(), "the validator's weights are on chain");
	assert_eq!(metrics.validator_permit.first(), Some(&true), "epochs ran and gave UID 0 a permit");
	assert!(metrics.incentive.iter().any(|&incentive| incentive > 0), "a weighted miner earns");
	println!(
		"chaos: traffic: {accepted} submissions accepted into a pool; {miners} UIDs, a weight \
		 row of {} entries, incentive paid at the last epoch",
		row.len()
	);
}
