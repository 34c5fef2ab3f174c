//! The load generator of `scripts/bench-tps.sh`: how many transactions a Myelin node finalizes.
//!
//! Against a running dev node (`--dev`: Alice is sudo and the demo subnet is netuid 1), for one
//! kind of transaction:
//! 1. Setup (not measured): fund `--senders` fresh accounts from the dev accounts; for
//!    `set-weights`, also register 64 validators and 191 miners on the demo subnet (256 UIDs
//!    with its first), stake on the validators, lift the weights rate limit (sudo) and wait for
//!    the epoch that gives the validators their permits.
//! 2. Pre-sign `--count` transactions: `transfer` (`transfer_keep_alive` to another sender),
//!    `add-stake` (1 MYL from each sender to the demo subnet's validator) or `set-weights`
//!    (each validator weights all 256 UIDs).
//! 3. Submit them over WebSocket, keeping at most `--window` of them in flight (submitted, not
//!    yet finalized), so the pool is never asked to hold more than its limits; every rejected
//!    submission is counted with its error.
//! 4. Follow finalized blocks: per block, how many of the transactions it holds, its normal
//!    weight and length against the runtime's limits, and what ended it: `weight` or `length`
//!    (within 3% of the limit), `pool` (nothing of ours was left waiting) or `deadline` (the
//!    proposer stopped with transactions still waiting).
//!
//! Prints one table row per block and a summary: included/submitted/dropped, transactions per
//! full block, finalized TPS from block timestamps, and the theoretical maximum (the normal
//! weight or length limit over one transaction's weight or length, whichever is lower).
//!
//! `growth` measures instead what a full subnet costs the node over time: it fills the demo
//! subnet (`--uids` 4096 and `--validators` 256 by default: the hyperparameters raised by sudo,
//! the burn lowered to its floor), then for `--blocks` blocks has every validator set a full
//! weight row once per tempo (so every epoch runs at its full size), and prints the database's
//! size (`--db-path`) and the node's resident memory (`--node-pid`) per round, the growth per
//! 10,000 blocks and the peak RSS.
//!
//! `cargo run -p myelin-node --example bench_tps -- --kind transfer --count 20000`

// A benchmark client: a broken fixture should stop it loudly.
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]

use std::{
	collections::{BTreeMap, HashSet},
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

use clap::{Parser, ValueEnum};
use codec::{Decode, Encode};
use futures::{stream, StreamExt};
use jsonrpsee::{
	core::client::ClientT,
	rpc_params,
	ws_client::{WsClient, WsClientBuilder},
};
use myelin_runtime::{AccountId, Balance, RuntimeCall, UncheckedExtrinsic, MYL};
use sp_core::{sr25519, Pair, H256};
use sp_io::hashing::{blake2_128, blake2_256, twox_128, twox_64};
use sp_keyring::Sr25519Keyring;

/// The demo subnet of the dev chain.
const NETUID: u16 = 1;
/// Validators with a permit on a subnet by default (`max_allowed_validators`).
const VALIDATORS: usize = 64;
/// UIDs of the demo subnet (`max_allowed_uids`).
const UIDS: usize = 256;
/// Coldkeys registering a subnet's hotkeys.
const COLDKEYS: usize = 256;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum, Debug)]
enum Kind {
	Transfer,
	AddStake,
	SetWeights,
	/// Not a throughput run: fills the demo subnet (`--uids`, `--validators`), then runs
	/// `--blocks` blocks with every validator setting a full weight row once per tempo, and
	/// reports the node's database growth and peak RSS (`--db-path`, `--node-pid`).
	Growth,
}

#[derive(Parser)]
struct Args {
	/// The node's WebSocket RPC.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	url: String,
	#[arg(long, value_enum)]
	kind: Kind,
	/// Transactions to submit in the measured phase.
	#[arg(long, default_value_t = 20_000)]
	count: usize,
	/// Funded accounts that sign them (`transfer`, `add-stake`).
	#[arg(long, default_value_t = 2_000)]
	senders: usize,
	/// Most transactions in flight (submitted, not finalized) at once: enough to keep the
	/// pool full while two blocks await finality, within the node's `--pool-limit`.
	#[arg(long, default_value_t = 12_000)]
	window: usize,
	/// The node's log, for why the proposer ended each block (`end: …` of "Prepared block").
	#[arg(long)]
	node_log: Option<std::path::PathBuf>,
	/// `growth`: UIDs on the demo subnet, the owner's included.
	#[arg(long, default_value_t = 4096)]
	uids: usize,
	/// `growth`: validators with a permit.
	#[arg(long, default_value_t = 256)]
	validators: usize,
	/// `growth`: the subnet's tempo (the default hyperparameter's: an epoch, and a weight row
	/// from every validator, every 100 blocks).
	#[arg(long, default_value_t = 100)]
	tempo: u16,
	/// `growth`: blocks to run once the subnet is full.
	#[arg(long, default_value_t = 10_000)]
	blocks: u32,
	/// `growth`: the node's database directory (`<base path>/chains`).
	#[arg(long)]
	db_path: Option<std::path::PathBuf>,
	/// `growth`: the node's process, for its resident memory.
	#[arg(long)]
	node_pid: Option<u32>,
}

fn pair(uri: &str) -> sr25519::Pair {
	sr25519::Pair::from_string(uri, None).expect("derivable key")
}

fn id(pair: &sr25519::Pair) -> AccountId {
	pair.public().into()
}

/// `pallet ++ item ++ hashed keys` as hex.
fn storage_key(pallet: &str, item: &str, keys: &[Vec<u8>]) -> String {
	let mut key = twox_128(pallet.as_bytes()).to_vec();
	key.extend(twox_128(item.as_bytes()));
	for k in keys {
		key.extend(k);
	}
	format!("0x{}", hex::encode(key))
}

fn twox_64_concat(key: &impl Encode) -> Vec<u8> {
	let encoded = key.encode();
	let mut out = twox_64(&encoded).to_vec();
	out.extend(encoded);
	out
}

fn blake2_128_concat(key: &impl Encode) -> Vec<u8> {
	let encoded = key.encode();
	let mut out = blake2_128(&encoded).to_vec();
	out.extend(encoded);
	out
}

async fn storage<T: Decode>(client: &WsClient, key: &str, at: Option<H256>) -> Option<T> {
	let value: Option<String> =
		client.request("state_getStorage", rpc_params![key, at]).await.expect("state_getStorage");
	value.map(|v| T::decode(&mut &hex::decode(v.trim_start_matches("0x")).unwrap()[..]).unwrap())
}

async fn next_nonce(client: &WsClient, account: &AccountId) -> u32 {
	client
		.request("system_accountNextIndex", rpc_params![account.to_string()])
		.await
		.expect("system_accountNextIndex")
}

/// Signs calls for several accounts, counting each account's nonce locally.
struct Signer {
	genesis: H256,
	nonces: BTreeMap<AccountId, u32>,
}

impl Signer {
	async fn sign(
		&mut self,
		client: &WsClient,
		call: RuntimeCall,
		signer: &sr25519::Pair,
	) -> UncheckedExtrinsic {
		let account = id(signer);
		let nonce = match self.nonces.get(&account) {
			Some(nonce) => *nonce,
			None => next_nonce(client, &account).await,
		};
		self.nonces.insert(account, nonce + 1);
		myelin_runtime::signing::sign(call, signer, nonce, self.genesis)
	}
}

#[derive(serde::Deserialize)]
struct Header {
	number: String,
}

#[derive(serde::Deserialize)]
struct SignedBlock {
	block: BlockJson,
}

#[derive(serde::Deserialize)]
struct BlockJson {
	extrinsics: Vec<String>,
}

/// One finalized block holding transactions of the phase.
struct BlockRecord {
	number: u32,
	timestamp_ms: u64,
	ours: usize,
	failed: usize,
	length: usize,
	normal_weight: u64,
	pending_after: usize,
}

/// Submits `xts` with at most `window` in flight and follows finalized blocks until every one
/// is included or nothing moves for two minutes. Returns the blocks and the rejected count.
async fn run_phase(
	client: &WsClient,
	label: &str,
	xts: Vec<UncheckedExtrinsic>,
	window: usize,
	quiet: bool,
) -> (Vec<BlockRecord>, usize) {
	let encoded: Vec<String> =
		xts.iter().map(|xt| format!("0x{}", hex::encode(xt.encode()))).collect();
	let ours: HashSet<[u8; 32]> = xts.iter().map(|xt| blake2_256(&xt.encode())).collect();
	let total = encoded.len();
	let included = Arc::new(Mutex::new(0usize));
	let submitted = Arc::new(Mutex::new(0usize));
	let mut errors: BTreeMap<String, usize> = BTreeMap::new();
	let mut records = Vec::new();
	let mut next_height = finalized_number(client).await + 1;
	let mut last_progress = Instant::now();
	let mut cursor = 0;
	let started = Instant::now();
	while *included.lock().unwrap() + errors.values().sum::<usize>() < total {
		// Submit up to the window.
		let in_flight = cursor - *included.lock().unwrap() - errors.values().sum::<usize>();
		let room = window.saturating_sub(in_flight).min(total - cursor);
		if room > 0 {
			let batch = &encoded[cursor..cursor + room];
			let results: Vec<Result<H256, String>> = stream::iter(batch)
				.map(|xt| async move {
					client
						.request::<H256, _>("author_submitExtrinsic", rpc_params![xt])
						.await
						.map_err(|e| e.to_string())
				})
				.buffer_unordered(64)
				.collect()
				.await;
			for result in results {
				if let Err(error) = result {
					*errors.entry(error).or_default() += 1;
				}
			}
			cursor += room;
			*submitted.lock().unwrap() = cursor;
		}
		// Follow finality.
		let finalized = finalized_number(client).await;
		while next_height <= finalized {
			let record = block_record(client, next_height, &ours).await;
			let mut count = included.lock().unwrap();
			*count += record.ours;
			if record.ours > 0 {
				last_progress = Instant::now();
				let pending_after = cursor - *count - errors.values().sum::<usize>();
				records.push(BlockRecord { pending_after, ..record });
			}
			next_height += 1;
		}
		if last_progress.elapsed() > Duration::from_secs(120) {
			eprintln!("{label}: no progress for two minutes; stopping");
			break;
		}
		if room == 0 {
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
	}
	let rejected: usize = errors.values().sum();
	if !quiet || rejected > 0 {
		println!(
			"{label}: {} of {total} included in {:.0?}, {rejected} rejected",
			*included.lock().unwrap(),
			started.elapsed()
		);
		for (error, count) in &errors {
			println!("  rejected ×{count}: {error}");
		}
	}
	(records, rejected)
}

async fn finalized_number(client: &WsClient) -> u32 {
	let hash: H256 = client.request("chain_getFinalizedHead", rpc_params![]).await.unwrap();
	let header: Header = client.request("chain_getHeader", rpc_params![hash]).await.unwrap();
	u32::from_str_radix(header.number.trim_start_matches("0x"), 16).unwrap()
}

async fn block_record(client: &WsClient, number: u32, ours: &HashSet<[u8; 32]>) -> BlockRecord {
	let hash: H256 = client.request("chain_getBlockHash", rpc_params![number]).await.unwrap();
	let block: SignedBlock = client.request("chain_getBlock", rpc_params![hash]).await.unwrap();
	let bytes: Vec<Vec<u8>> = block
		.block
		.extrinsics
		.iter()
		.map(|xt| hex::decode(xt.trim_start_matches("0x")).unwrap())
		.collect();
	let weight: frame_system::ConsumedWeight =
		storage(client, &storage_key("System", "BlockWeight", &[]), Some(hash))
			.await
			.unwrap_or_default();
	let timestamp_ms: u64 =
		storage(client, &storage_key("Timestamp", "Now", &[]), Some(hash)).await.unwrap_or(0);
	type Events = Vec<frame_system::EventRecord<myelin_runtime::RuntimeEvent, H256>>;
	let events: Events = storage(client, &storage_key("System", "Events", &[]), Some(hash))
		.await
		.unwrap_or_default();
	let failed = events
		.iter()
		.filter(|record| {
			matches!(
				record.event,
				myelin_runtime::RuntimeEvent::System(frame_system::Event::ExtrinsicFailed { .. })
			)
		})
		.count();
	BlockRecord {
		number,
		timestamp_ms,
		failed,
		ours: bytes.iter().filter(|xt| ours.contains(&blake2_256(xt))).count(),
		length: bytes.iter().map(Vec::len).sum(),
		normal_weight: weight.get(frame_support::dispatch::DispatchClass::Normal).ref_time(),
		pending_after: 0,
	}
}

/// The dev accounts that pay for the setup (Alice stays free for sudo).
fn funders() -> Vec<sr25519::Pair> {
	Sr25519Keyring::iter().filter(|k| *k != Sr25519Keyring::Alice).map(|k| k.pair()).collect()
}

/// Transfers `amount` from the funders to each of `accounts`.
async fn fund(
	client: &WsClient,
	signer: &mut Signer,
	accounts: &[AccountId],
	amount: Balance,
	window: usize,
) {
	let funders = funders();
	let mut xts = Vec::new();
	for (index, account) in accounts.iter().enumerate() {
		let call = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: account.clone().into(),
			value: amount,
		});
		xts.push(signer.sign(client, call, &funders[index % funders.len()]).await);
	}
	let (records, rejected) = run_phase(client, "setup: funding", xts, window, false).await;
	assert_eq!(rejected, 0, "funding must not be rejected");
	assert_eq!(records.iter().map(|r| r.failed).sum::<usize>(), 0, "funding must succeed");
}

/// A subnet's size for the `set-weights` and `growth` runs.
#[derive(Clone, Copy)]
struct SubnetSize {
	/// UIDs, the owner's included (at most `max_allowed_uids`, raised when above the default).
	uids: usize,
	/// Validators holding a permit among them.
	validators: usize,
	/// The tempo to set, if not the subnet's own.
	tempo: Option<u16>,
}

/// Sudo: `param` on the demo subnet.
fn set_param(param: pallet_subnets::Hyperparameter) -> RuntimeCall {
	RuntimeCall::Sudo(pallet_sudo::Call::sudo {
		call: Box::new(RuntimeCall::Subnets(pallet_subnets::Call::set_hyperparameter {
			netuid: NETUID,
			param,
		})),
	})
}

/// Fills the demo subnet to `size`: lifts the weights rate limit (and, above the default size,
/// raises the UID and permit limits and lowers the burn to its floor), registers
/// `size.validators` validators and the rest as miners, stakes on the validators and waits for
/// the epoch that gives them their permits. Returns the validators' keys.
async fn weighted_subnet(
	client: &WsClient,
	signer: &mut Signer,
	window: usize,
	size: SubnetSize,
) -> Vec<sr25519::Pair> {
	use pallet_subnets::Hyperparameter as P;
	let mut params = vec![P::WeightsSetRateLimit(0)];
	params.extend(size.tempo.map(P::Tempo));
	if size.uids > UIDS || size.validators > VALIDATORS {
		// The burn first to its floor (min ≤ max holds at every step), the sizes after.
		let floor = myelin_primitives::subnets::bounds::MIN_BURN_FLOOR;
		params.extend([
			P::MinBurn(floor),
			P::MaxBurn(floor),
			P::BurnIncreaseMult(myelin_primitives::subnets::bounds::MIN_BURN_INCREASE_MULT),
			P::MaxAllowedUids(size.uids as u16),
			P::MaxAllowedValidators(size.validators as u16),
		]);
	}
	let alice = Sr25519Keyring::Alice.pair();
	let mut xts = Vec::new();
	for param in params {
		xts.push(signer.sign(client, set_param(param), &alice).await);
	}
	// Before any registration: on a subnet at its old limit a newcomer would replace a UID.
	let (records, rejected) = run_phase(client, "setup: hyperparameters", xts, window, true).await;
	assert_eq!(rejected, 0, "hyperparameters must not be rejected");
	assert_eq!(records.iter().map(|r| r.failed).sum::<usize>(), 0, "hyperparameters must be set");

	let validators: Vec<sr25519::Pair> =
		(0..size.validators).map(|i| pair(&format!("//tps//validator//{i}"))).collect();
	let miners: Vec<sr25519::Pair> =
		(0..size.uids - size.validators - 1).map(|i| pair(&format!("//tps//miner//{i}"))).collect();
	// Validators sign their weights, so they pay fees.
	let validator_ids: Vec<AccountId> = validators.iter().map(id).collect();
	fund(client, signer, &validator_ids, 100 * MYL, window).await;
	// Coldkeys that own the hotkeys and pay for them: enough that none signs more than a few
	// dozen transactions here. Hundreds in one sender's nonce chain, submitted concurrently,
	// arrive out of order and wait in the pool's future queue, and under fast sealing the pool
	// dropped such waiting transactions, stranding every later nonce of their sender.
	let coldkeys: Vec<sr25519::Pair> =
		(0..COLDKEYS).map(|i| pair(&format!("//tps//coldkey//{i}"))).collect();
	let coldkey_ids: Vec<AccountId> = coldkeys.iter().map(id).collect();
	let registrations_each = size.uids.div_ceil(COLDKEYS) as u128;
	let stakes_each = size.validators.div_ceil(COLDKEYS) as u128;
	// Stakes, burns at their default maximum (100 MYL), fees.
	let funding = stakes_each * 1_000 * MYL + registrations_each * 100 * MYL + 10 * MYL;
	fund(client, signer, &coldkey_ids, funding, window).await;
	let mut xts = Vec::new();
	for (index, hotkey) in validators.iter().chain(&miners).enumerate() {
		let coldkey = &coldkeys[index % coldkeys.len()];
		let signature =
			hotkey.sign(&pallet_subnets::hotkey_consent_payload(&signer.genesis, &id(coldkey)));
		let associate = RuntimeCall::Subnets(pallet_subnets::Call::associate_hotkey {
			hotkey: id(hotkey),
			signature: signature.into(),
		});
		xts.push(signer.sign(client, associate, coldkey).await);
		let register = RuntimeCall::Subnets(pallet_subnets::Call::burned_register {
			netuid: NETUID,
			hotkey: id(hotkey),
			max_burn: 1_000 * MYL,
		});
		xts.push(signer.sign(client, register, coldkey).await);
		if index < size.validators {
			let stake = RuntimeCall::Stake(pallet_stake::Call::add_stake {
				hotkey: id(hotkey),
				netuid: NETUID,
				amount: 1_000 * MYL,
			});
			xts.push(signer.sign(client, stake, coldkey).await);
		}
	}
	let label = format!("setup: {} registrations", size.uids - 1);
	let total = xts.len();
	let (records, rejected) = run_phase(client, &label, xts, window, false).await;
	assert_eq!(rejected, 0, "registrations must not be rejected");
	assert_eq!(records.iter().map(|r| r.ours).sum::<usize>(), total, "registrations included");
	assert_eq!(records.iter().map(|r| r.failed).sum::<usize>(), 0, "registrations must succeed");

	// The next epoch hands out the permits.
	let started = Instant::now();
	loop {
		let metrics: pallet_yuma::NeuronMetrics =
			storage(client, &storage_key("Yuma", "Metrics", &[twox_64_concat(&NETUID)]), None)
				.await
				.unwrap_or_default();
		let mut permitted = 0;
		for validator in &validator_ids {
			let key = storage_key(
				"Subnets",
				"Uids",
				&[twox_64_concat(&NETUID), blake2_128_concat(validator)],
			);
			if let Some(uid) = storage::<u16>(client, &key, None).await {
				permitted += usize::from(metrics.get(uid).validator_permit);
			}
		}
		if permitted == size.validators {
			break;
		}
		assert!(
			started.elapsed() < Duration::from_secs(300),
			"permits: {permitted} of {}",
			size.validators
		);
		tokio::time::sleep(Duration::from_secs(2)).await;
	}
	validators
}

/// Weight row number `row` over `uids` UIDs: each row different, no weight zero.
fn weights_call(uids: usize, row: usize) -> RuntimeCall {
	let uids: Vec<u16> = (0..uids as u16).collect();
	let values: Vec<u16> = uids
		.iter()
		.map(|&uid| 1 + ((u32::from(uid) * 7919 + row as u32 * 104_729) % 65_535) as u16)
		.collect();
	RuntimeCall::Yuma(pallet_yuma::Call::set_weights {
		netuid: NETUID,
		uids,
		values,
		version_key: 0,
	})
}

#[tokio::main]
async fn main() {
	let args = Args::parse();
	let client = WsClientBuilder::default()
		.request_timeout(Duration::from_secs(120))
		.max_concurrent_requests(1024)
		.build(&args.url)
		.await
		.expect("the node's WebSocket RPC");
	let genesis: H256 = client.request("chain_getBlockHash", rpc_params![0]).await.unwrap();
	let mut signer = Signer { genesis, nonces: BTreeMap::new() };

	if args.kind == Kind::Growth {
		growth(&client, &mut signer, &args).await;
		return;
	}

	// 1–2. Setup, then the pre-signed transactions.
	let mut xts = Vec::with_capacity(args.count);
	match args.kind {
		Kind::Transfer | Kind::AddStake => {
			let senders: Vec<sr25519::Pair> =
				(0..args.senders).map(|i| pair(&format!("//tps//sender//{i}"))).collect();
			let ids: Vec<AccountId> = senders.iter().map(id).collect();
			// Fees and the transfers' or stakes' amounts, and no more: the dev accounts fund
			// thousands of senders.
			let per_sender = args.count.div_ceil(senders.len()) as u128;
			fund(&client, &mut signer, &ids, per_sender * 2 * MYL + 10 * MYL, args.window).await;
			let validator = Sr25519Keyring::AliceStash.to_account_id();
			for index in 0..args.count {
				let sender = index % senders.len();
				let call = if args.kind == Kind::Transfer {
					RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
						dest: ids[(sender + 1) % ids.len()].clone().into(),
						value: MYL / 1_000,
					})
				} else {
					RuntimeCall::Stake(pallet_stake::Call::add_stake {
						hotkey: validator.clone(),
						netuid: NETUID,
						amount: MYL,
					})
				};
				xts.push(signer.sign(&client, call, &senders[sender]).await);
			}
		}
		Kind::Growth => unreachable!("handled above"),
		Kind::SetWeights => {
			let size = SubnetSize { uids: UIDS, validators: VALIDATORS, tempo: None };
			let validators = weighted_subnet(&client, &mut signer, args.window, size).await;
			for index in 0..args.count {
				let call = weights_call(UIDS, index);
				xts.push(signer.sign(&client, call, &validators[index % validators.len()]).await);
			}
		}
	}

	// One transaction's weight and length, for the theoretical maximum.
	let sample = xts.first().expect("--count > 0").encode();
	let info: serde_json::Value = client
		.request("payment_queryInfo", rpc_params![format!("0x{}", hex::encode(&sample))])
		.await
		.unwrap();
	let tx_weight = info["weight"]["ref_time"].as_u64().unwrap_or(0);
	let limits = myelin_runtime::configs::RuntimeBlockWeights::get();
	let normal = limits.get(frame_support::dispatch::DispatchClass::Normal);
	let max_normal_weight = normal.max_total.map(|w| w.ref_time()).unwrap_or(u64::MAX);
	// `payment_queryInfo` leaves out the base weight every extrinsic is charged on inclusion.
	let tx_weight = tx_weight + normal.base_extrinsic.ref_time();
	let max_normal_length = *myelin_runtime::configs::RuntimeBlockLength::get()
		.max
		.get(frame_support::dispatch::DispatchClass::Normal) as usize;
	let by_weight = max_normal_weight / tx_weight.max(1);
	let by_length = max_normal_length / sample.len();

	// 3–4. The measured phase.
	let label = format!("{:?}", args.kind);
	let (records, rejected) = run_phase(&client, &label, xts, args.window, false).await;

	let reasons = args.node_log.as_deref().map(proposer_reasons).unwrap_or_default();
	println!("\n| block | ours | failed | length | normal weight | built in | limited by |");
	println!("|---|---|---|---|---|---|---|");
	let mut full_blocks = Vec::new();
	for record in &records {
		let weight_share = record.normal_weight as f64 / max_normal_weight as f64;
		let length_share = record.length as f64 / max_normal_length as f64;
		// The proposer's own reason when the node's log is at hand, else the block's fill.
		let (reason, built_ms) = match reasons.get(&record.number) {
			Some((reason, millis)) => (Some(reason.as_str()), format!("{millis} ms")),
			None => (None, "?".to_string()),
		};
		let limit = match reason {
			Some("HitBlockWeightLimit") => "weight",
			Some("HitBlockSizeLimit") => "length",
			Some("HitDeadline") => "deadline",
			Some("NoMoreTransactions") => "pool",
			_ if weight_share >= 0.97 => "weight",
			_ if length_share >= 0.97 => "length",
			_ if record.pending_after == 0 => "pool",
			_ => "deadline",
		};
		if limit != "pool" {
			full_blocks.push(record.ours);
		}
		println!(
			"| #{} | {} | {} | {} B ({:.0}%) | {:.3} s ({:.0}%) | {built_ms} | {limit} |",
			record.number,
			record.ours,
			record.failed,
			record.length,
			length_share * 100.0,
			record.normal_weight as f64 / 1e12,
			weight_share * 100.0
		);
	}
	let included: usize = records.iter().map(|r| r.ours).sum();
	let failed: usize = records.iter().map(|r| r.failed).sum();
	let (first, last) = (records.first().unwrap(), records.last().unwrap());
	let span_s = (last.timestamp_ms - first.timestamp_ms) as f64 / 1000.0 + 6.0;
	let per_full = if full_blocks.is_empty() {
		0.0
	} else {
		full_blocks.iter().sum::<usize>() as f64 / full_blocks.len() as f64
	};
	let theoretical = by_weight.min(by_length as u64);
	println!(
		"\n{label}: {included} included ({failed} failed in dispatch), {rejected} rejected by the \
		 pool, over {} blocks ({span_s:.0} s of block time): {:.0} TPS finalized",
		records.len(),
		included as f64 / span_s
	);
	println!(
		"{label}: one transaction {:.1} µs of weight, {} B; the normal class holds {:.3} s and \
		 {} B per block, so at most {theoretical} per block ({}-bound, {:.0} TPS at 6 s)",
		tx_weight as f64 / 1e6,
		sample.len(),
		max_normal_weight as f64 / 1e12,
		max_normal_length,
		if by_weight <= by_length as u64 { "weight" } else { "length" },
		theoretical as f64 / 6.0
	);
	println!(
		"{label}: {} full blocks (ended by weight, length or the proposer's deadline) held \
		 {per_full:.0} on average, {:.0}% of the theoretical maximum; peak {}",
		full_blocks.len(),
		per_full * 100.0 / theoretical.max(1) as f64,
		records.iter().map(|r| r.ours).max().unwrap_or(0)
	);
}

/// Bytes under `path`, recursively.
fn dir_bytes(path: &std::path::Path) -> u64 {
	let Ok(entries) = std::fs::read_dir(path) else { return 0 };
	entries
		.flatten()
		.map(|entry| match entry.metadata() {
			Ok(meta) if meta.is_dir() => dir_bytes(&entry.path()),
			Ok(meta) => meta.len(),
			Err(_) => 0,
		})
		.sum()
}

/// A `/proc/<pid>/status` line's value in KiB (`VmRSS`, `VmHWM`).
fn proc_kib(pid: Option<u32>, field: &str) -> u64 {
	let Some(pid) = pid else { return 0 };
	let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
	status
		.lines()
		.find_map(|line| {
			line.strip_prefix(field)?
				.trim_start_matches(':')
				.split_whitespace()
				.next()?
				.parse()
				.ok()
		})
		.unwrap_or(0)
}

fn mib(bytes: u64) -> f64 {
	bytes as f64 / (1024.0 * 1024.0)
}

/// The `growth` run: a full subnet's cost in disk and memory over `--blocks` blocks.
async fn growth(client: &WsClient, signer: &mut Signer, args: &Args) {
	let size = SubnetSize { uids: args.uids, validators: args.validators, tempo: Some(args.tempo) };
	let validators = weighted_subnet(client, signer, args.window, size).await;
	let params: serde_json::Value =
		client.request("myelin_subnetHyperparams", rpc_params![NETUID]).await.unwrap();
	let tempo = params["tempo"].as_u64().expect("tempo") as u32;
	let subnets: serde_json::Value = client.request("myelin_subnets", rpc_params![]).await.unwrap();
	let n = subnets["subnets"]
		.as_array()
		.and_then(|list| list.iter().find(|s| s["netuid"] == NETUID))
		.and_then(|s| s["n"].as_u64())
		.unwrap_or(0) as usize;
	assert_eq!(n, args.uids, "the subnet holds every UID");
	let db = args.db_path.as_deref().expect("--db-path");
	let start = finalized_number(client).await;
	let start_bytes = dir_bytes(db);
	println!(
		"growth: subnet full ({n} UIDs, {} validators, tempo {tempo}) at #{start}: database \
		 {:.1} MiB, RSS {:.0} MiB",
		args.validators,
		mib(start_bytes),
		proc_kib(args.node_pid, "VmRSS") as f64 / 1024.0
	);
	let (mut rows, mut weight_bytes, mut round) = (0usize, 0usize, 0usize);
	loop {
		let head = finalized_number(client).await;
		if head >= start + args.blocks {
			break;
		}
		// One round: every validator sets a fresh full row, then the next tempo's start.
		let mut xts = Vec::with_capacity(validators.len());
		for validator in &validators {
			xts.push(signer.sign(client, weights_call(args.uids, rows), validator).await);
			rows += 1;
		}
		weight_bytes += xts.iter().map(|xt| xt.encoded_size()).sum::<usize>();
		let (_, rejected) = run_phase(client, "growth: weights", xts, args.window, true).await;
		assert_eq!(rejected, 0, "weights must not be rejected");
		round += 1;
		let next = head + tempo;
		while finalized_number(client).await < next {
			tokio::time::sleep(Duration::from_millis(200)).await;
		}
		let now = finalized_number(client).await;
		println!(
			"growth: round {round} done at #{now}: database {:.1} MiB, RSS {:.0} MiB",
			mib(dir_bytes(db)),
			proc_kib(args.node_pid, "VmRSS") as f64 / 1024.0
		);
	}
	let end = finalized_number(client).await;
	let end_bytes = dir_bytes(db);
	let blocks = end - start;
	let grown = end_bytes.saturating_sub(start_bytes);
	println!(
		"growth: {blocks} blocks (#{start}–#{end}), {round} rounds of {} weight rows \
		 ({:.1} MiB of set_weights extrinsics): database {:.1} → {:.1} MiB, +{:.1} MiB, \
		 {:.1} MiB per 10,000 blocks",
		validators.len(),
		mib(weight_bytes as u64),
		mib(start_bytes),
		mib(end_bytes),
		mib(grown),
		mib(grown) * 10_000.0 / f64::from(blocks.max(1))
	);
	println!(
		"growth: node peak RSS {:.0} MiB (now {:.0} MiB)",
		proc_kib(args.node_pid, "VmHWM") as f64 / 1024.0,
		proc_kib(args.node_pid, "VmRSS") as f64 / 1024.0
	);
}

/// Why the proposer ended each block and how long it took to build it, from the node's
/// "Prepared block for proposing at N (T ms) … end: REASON;" log lines.
fn proposer_reasons(log: &std::path::Path) -> BTreeMap<u32, (String, u64)> {
	let text = std::fs::read_to_string(log).unwrap_or_default();
	text.lines()
		.filter_map(|line| {
			let rest = line.split("Prepared block for proposing at ").nth(1)?;
			let mut words = rest.split_whitespace();
			let number: u32 = words.next()?.parse().ok()?;
			let millis: u64 = words.next()?.trim_start_matches('(').parse().ok()?;
			let reason = line.split("end: ").nth(1)?.split(';').next()?.trim().to_string();
			Some((number, (reason, millis)))
		})
		.collect()
}
