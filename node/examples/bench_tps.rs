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

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum, Debug)]
enum Kind {
	Transfer,
	AddStake,
	SetWeights,
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

/// Registers 64 validators and 191 miners on the demo subnet, stakes on the validators, lifts
/// the weights rate limit and waits for the validators' permits. Returns the validators' keys.
async fn weighted_subnet(
	client: &WsClient,
	signer: &mut Signer,
	window: usize,
) -> Vec<sr25519::Pair> {
	let validators: Vec<sr25519::Pair> =
		(0..VALIDATORS).map(|i| pair(&format!("//tps//validator//{i}"))).collect();
	let miners: Vec<sr25519::Pair> =
		(0..UIDS - VALIDATORS - 1).map(|i| pair(&format!("//tps//miner//{i}"))).collect();
	// Validators sign their weights, so they pay fees.
	let validator_ids: Vec<AccountId> = validators.iter().map(id).collect();
	fund(client, signer, &validator_ids, 100 * MYL, window).await;
	let funders = funders();
	let mut xts = Vec::new();
	for (index, hotkey) in validators.iter().chain(&miners).enumerate() {
		let coldkey = &funders[index % funders.len()];
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
		if index < VALIDATORS {
			let stake = RuntimeCall::Stake(pallet_stake::Call::add_stake {
				hotkey: id(hotkey),
				netuid: NETUID,
				amount: 1_000 * MYL,
			});
			xts.push(signer.sign(client, stake, coldkey).await);
		}
	}
	let sudo = RuntimeCall::Sudo(pallet_sudo::Call::sudo {
		call: Box::new(RuntimeCall::Subnets(pallet_subnets::Call::set_hyperparameter {
			netuid: NETUID,
			param: pallet_subnets::Hyperparameter::WeightsSetRateLimit(0),
		})),
	});
	xts.push(signer.sign(client, sudo, &Sr25519Keyring::Alice.pair()).await);
	let (records, rejected) =
		run_phase(client, "setup: 255 registrations", xts, window, false).await;
	assert_eq!(rejected, 0, "registrations must not be rejected");
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
		if permitted == VALIDATORS {
			break;
		}
		assert!(started.elapsed() < Duration::from_secs(300), "permits: {permitted} of 64");
		tokio::time::sleep(Duration::from_secs(2)).await;
	}
	validators
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
		Kind::SetWeights => {
			let validators = weighted_subnet(&client, &mut signer, args.window).await;
			for index in 0..args.count {
				let uids: Vec<u16> = (0..UIDS as u16).collect();
				// Distinct rows: each transaction a different vector, none zero.
				let values: Vec<u16> = uids
					.iter()
					.map(|&uid| {
						1 + ((u32::from(uid) * 7919 + index as u32 * 104_729) % 65_535) as u16
					})
					.collect();
				let call = RuntimeCall::Yuma(pallet_yuma::Call::set_weights {
					netuid: NETUID,
					uids,
					values,
					version_key: 0,
				});
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
