//! The explorer's `myelin_*` views: what a person looking at the chain needs beyond the runtime
//! APIs (see [`super::myelin`]): the token supply and its schedule, an account's balances and
//! votes, the referenda, and the submissions of a subnet's inference rounds.
//!
//! Each view reads one block's state with the runtime's own storage types
//! ([`super::chain_state`]); balances are decimal MYL strings, addresses SS58 (prefix 42),
//! proportions numbers in [0, 1], like the other `myelin_*` results.

use std::sync::Arc;

use codec::DecodeLimit;
use frame_support::traits::{Bounded, Get, GetCallMetadata, Hooks, VoteTally};
use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use myelin_inference::host::InferenceHost;
use myelin_primitives::{units::format_myl, AccountId, Balance, BlockNumber, NetUid, StakeInfo};
use myelin_runtime::{opaque::Block, Runtime, RuntimeCall};
use pallet_referenda::{ReferendumInfo, TracksInfo};
use serde_json::{json, Value};
use sp_api::{Core, ProvideRuntimeApi};
use sp_blockchain::HeaderBackend;
use sp_consensus_aura::AuraApi;
use sp_core::H256;
use sp_runtime::Perbill;

use super::{
	chain_state::{ChainState, FullBackend},
	json::{address, perbill},
	myelin::{error, parse_address, rpc_error, runtime_error, unknown_subnet},
	rounds::Scorer,
};

/// How many halvings of the block emission `myelin_network` lists.
pub const HALVINGS_LISTED: u32 = 8;
/// How many referenda `myelin_referenda` lists, newest first.
pub const REFERENDA_LISTED: u32 = 64;
/// How many of an account's hotkeys `myelin_account` lists.
pub const HOTKEYS_LISTED: usize = 256;
/// Points sampled on each track's approval and support curves.
pub const CURVE_POINTS: u32 = 20;
/// Preimages longer than this are not read to name a proposal (a name needs the call's first
/// bytes, but decoding reads it all; 64 listed referenda could point at 4 MiB preimages).
pub const PREIMAGE_NAMED_MAX: u32 = 64 * 1024;

/// The explorer's JSON-RPC methods.
#[rpc(server, namespace = "myelin")]
pub trait ExplorerApi {
	/// The token supply: issuance, stake owed, emitted and undelivered amounts, the next block's
	/// emission and each subnet's part of it, the halving schedule, block time and finality.
	#[method(name = "network", blocking)]
	fn network(&self, at: Option<H256>) -> RpcResult<Value>;

	/// An account's balances (free, held by reason, frozen), its hotkeys with their UIDs, and its
	/// referendum votes and delegations.
	#[method(name = "account", blocking)]
	fn account(&self, account: String, at: Option<H256>) -> RpcResult<Value>;

	/// The referendum tracks (periods and curves) and the latest referenda, newest first, with
	/// their tally, the thresholds they face now and their deadlines.
	#[method(name = "referenda", blocking)]
	fn referenda(&self, at: Option<H256>) -> RpcResult<Value>;

	/// The kept rounds of `netuid`'s inference task, newest first, with every miner's commit and
	/// reveal, and whether the revealed outputs pass (when this node has the task's model, within
	/// the budgets of [`super::rounds`]; the rest null until a later call).
	#[method(name = "inferenceRounds", blocking)]
	fn inference_rounds(&self, netuid: NetUid, at: Option<H256>) -> RpcResult<Value>;
}

/// Serves [`ExplorerApiServer`].
pub struct Explorer<C> {
	client: Arc<C>,
	state: ChainState<C>,
	scorer: Scorer,
}

impl<C> Explorer<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block>,
	C::Api: Core<Block>,
{
	/// Serves the views from `client`'s blocks and `backend`'s state; `models` scores reveals.
	pub fn new(
		client: Arc<C>,
		backend: Arc<FullBackend>,
		models: Option<Arc<dyn InferenceHost>>,
	) -> Self {
		Self {
			state: ChainState::new(client.clone(), backend),
			client,
			scorer: Scorer::new(models),
		}
	}

	fn read<R>(&self, at: Option<H256>, read: impl FnOnce() -> R) -> RpcResult<R> {
		self.state.read(at, read).map_err(|e| rpc_error(error::RUNTIME, e))
	}
}

fn block_number() -> BlockNumber {
	frame_system::Pallet::<Runtime>::block_number()
}

impl<C> ExplorerApiServer for Explorer<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: Core<Block> + AuraApi<Block, sp_consensus_aura::sr25519::AuthorityId>,
{
	fn network(&self, at: Option<H256>) -> RpcResult<Value> {
		let hash = self.state.block(at);
		let slot = self.client.runtime_api().slot_duration(hash).map_err(runtime_error)?;
		let info = self.client.info();
		let mut view = self.read(Some(hash), supply)?;
		if let Some(object) = view.as_object_mut() {
			object.insert("blockTimeMs".into(), json!(slot.as_millis()));
			object.insert("finalized".into(), json!(info.finalized_number));
			object.insert("finalizedHash".into(), json!(info.finalized_hash));
			object.insert("best".into(), json!(info.best_number));
		}
		Ok(view)
	}

	fn account(&self, account: String, at: Option<H256>) -> RpcResult<Value> {
		let id = parse_address(&account)?;
		self.read(at, || account_view(&id))
	}

	fn referenda(&self, at: Option<H256>) -> RpcResult<Value> {
		self.read(at, referenda_view)
	}

	fn inference_rounds(&self, netuid: NetUid, at: Option<H256>) -> RpcResult<Value> {
		let hash = self.state.block(at);
		let listing = self.scorer.listing(hash, netuid, || {
			self.read(Some(hash), || {
				pallet_subnets::Networks::<Runtime>::contains_key(netuid)
					.then(|| self.scorer.read_rounds(netuid))
			})
		})?;
		listing.ok_or_else(|| unknown_subnet(netuid))
	}
}

// ---- network -------------------------------------------------------------------------------

/// The supply, the next block's emission split and the halving schedule, from the state.
fn supply() -> Value {
	use pallet_emission::Config as EmissionConfig;
	let issuance = pallet_balances::Pallet::<Runtime>::total_issuance();
	let inactive = pallet_balances::InactiveIssuance::<Runtime>::get();
	let owed = <Runtime as EmissionConfig>::Stake::owed();
	let unminted = pallet_emission::Unminted::<Runtime>::get();
	let emitted = pallet_emission::TotalEmitted::<Runtime>::get();
	let initial = <Runtime as EmissionConfig>::InitialBlockEmission::get();
	let cap = <Runtime as EmissionConfig>::SupplyCap::get();
	let next = pallet_emission::Pallet::<Runtime>::current_block_emission();
	let supplied = issuance.saturating_add(owed).saturating_add(unminted);
	let block = block_number();

	// Each subnet's part of the next block: the emission pallet's own block hook run on the
	// throw-away overlay, so the split is the pallet's, not a copy of it.
	// What it emits: nothing while no subnet is eligible, whatever the schedule says.
	let before = pallet_emission::Subnets::<Runtime>::get();
	let _ = <pallet_emission::Pallet<Runtime> as Hooks<BlockNumber>>::on_initialize(
		block.saturating_add(1),
	);
	let after = pallet_emission::Subnets::<Runtime>::get();
	let emits = pallet_emission::TotalEmitted::<Runtime>::get().saturating_sub(emitted);
	let shares: Vec<(NetUid, Balance)> = after
		.iter()
		.map(|(netuid, account)| {
			let was = before.get(netuid).map_or(0, |a| a.pending);
			(*netuid, account.pending.saturating_sub(was))
		})
		.collect();
	let total: Balance = shares.iter().fold(0, |sum, (_, amount)| sum.saturating_add(*amount));
	let subnets: Vec<Value> = shares
		.iter()
		.map(|(netuid, amount)| {
			let share = if total == 0 { 0.0 } else { *amount as f64 / total as f64 };
			json!({
				"netuid": netuid,
				"perBlock": format_myl(*amount),
				"share": share,
				"pending": format_myl(before.get(netuid).map_or(0, |a| a.pending)),
			})
		})
		.collect();

	json!({
		"block": block,
		"issuance": format_myl(issuance),
		"inactiveIssuance": format_myl(inactive),
		"stakeOwed": format_myl(owed),
		"unminted": format_myl(unminted),
		"totalEmitted": format_myl(emitted),
		"supply": format_myl(supplied),
		"supplyCap": format_myl(cap),
		"initialBlockEmission": format_myl(initial),
		"blockEmission": format_myl(emits),
		"scheduledBlockEmission": format_myl(next),
		"splitMode": format!("{:?}", pallet_emission::Split::<Runtime>::get()),
		"subnets": subnets,
		"halvings": halvings(initial, cap, supplied, emits),
	})
}

/// The halving schedule: the `k`-th halving comes when the supply reaches `cap − cap / 2^k`, and
/// the block emission is `initial / 2^k` from there (`myelin_yuma::emission::block_emission`).
/// Lists the halvings passed and the next ones, [`HALVINGS_LISTED`] in all, with the blocks left
/// until the next at today's emission (none while nothing is emitted).
pub fn halvings(initial: Balance, cap: Balance, supplied: Balance, emission: Balance) -> Value {
	let entries: Vec<Value> = (1..=HALVINGS_LISTED)
		.map(|k| {
			let at_supply = cap.saturating_sub(cap.checked_shr(k).unwrap_or(0));
			json!({
				"index": k,
				"atSupply": format_myl(at_supply),
				"blockEmission": format_myl(initial.checked_shr(k).unwrap_or(0)),
				"passed": supplied >= at_supply,
			})
		})
		.collect();
	let next = (1..=HALVINGS_LISTED)
		.map(|k| cap.saturating_sub(cap.checked_shr(k).unwrap_or(0)))
		.find(|at_supply| *at_supply > supplied);
	let blocks_to_next = next.filter(|_| emission > 0).and_then(|at_supply| {
		at_supply.saturating_sub(supplied).div_ceil(emission.max(1)).try_into().ok()
	});
	let done = u32::try_from(
		(1..=HALVINGS_LISTED)
			.filter(|k| supplied >= cap.saturating_sub(cap.checked_shr(*k).unwrap_or(0)))
			.count(),
	)
	.unwrap_or(0);
	json!({
		"passed": done,
		"nextAtSupply": next.map(format_myl),
		"blocksToNext": blocks_to_next.map(|b: u64| b),
		"schedule": entries,
	})
}

// ---- accounts ------------------------------------------------------------------------------

/// Balances, holds, locks, hotkeys and votes of `who`.
fn account_view(who: &AccountId) -> Value {
	let info = frame_system::Account::<Runtime>::get(who);
	let holds: Vec<Value> = pallet_balances::Holds::<Runtime>::get(who)
		.iter()
		.map(
			|hold| json!({ "reason": format!("{:?}", hold.id), "amount": format_myl(hold.amount) }),
		)
		.collect();
	let locks: Vec<Value> = pallet_balances::Locks::<Runtime>::get(who)
		.iter()
		.map(|lock| {
			json!({
				"id": String::from_utf8_lossy(&lock.id).trim_end_matches('\0').to_string(),
				"amount": format_myl(lock.amount),
			})
		})
		.collect();
	let netuids: Vec<NetUid> = pallet_subnets::SubnetworkN::<Runtime>::iter_keys().collect();
	let hotkeys: Vec<Value> = pallet_subnets::OwnedHotkeys::<Runtime>::iter_key_prefix(who)
		.take(HOTKEYS_LISTED)
		.map(|hotkey| {
			let mut registrations: Vec<(NetUid, u16)> = netuids
				.iter()
				.filter_map(|netuid| {
					pallet_subnets::Uids::<Runtime>::get(netuid, &hotkey).map(|uid| (*netuid, uid))
				})
				.collect();
			registrations.sort_unstable();
			json!({
				"hotkey": address(&hotkey),
				"subnets": registrations
					.iter()
					.map(|(netuid, uid)| json!({ "netuid": netuid, "uid": uid }))
					.collect::<Vec<_>>(),
			})
		})
		.collect();
	json!({
		"account": address(who),
		"nonce": info.nonce,
		"free": format_myl(info.data.free),
		"held": format_myl(info.data.reserved),
		"frozen": format_myl(info.data.frozen),
		"holds": holds,
		"locks": locks,
		"hotkeys": hotkeys,
		"votes": votes(who),
	})
}

/// `who`'s votes on each track (or its delegation there).
fn votes(who: &AccountId) -> Vec<Value> {
	use pallet_conviction_voting::{AccountVote, Voting};
	let mut out = Vec::new();
	for (track, voting) in pallet_conviction_voting::VotingFor::<Runtime>::iter_prefix(who) {
		match voting {
			Voting::Casting(casting) => {
				for (referendum, vote) in casting.votes.iter() {
					let vote = match vote {
						AccountVote::Standard { vote, balance } => json!({
							"kind": if vote.aye { "aye" } else { "nay" },
							"conviction": format!("{:?}", vote.conviction),
							"balance": format_myl(*balance),
						}),
						AccountVote::Split { aye, nay } => json!({
							"kind": "split",
							"aye": format_myl(*aye),
							"nay": format_myl(*nay),
						}),
						AccountVote::SplitAbstain { aye, nay, abstain } => json!({
							"kind": "splitAbstain",
							"aye": format_myl(*aye),
							"nay": format_myl(*nay),
							"abstain": format_myl(*abstain),
						}),
					};
					out.push(json!({ "track": track, "referendum": referendum, "vote": vote }));
				}
			}
			Voting::Delegating(delegating) => out.push(json!({
				"track": track,
				"delegatedTo": address(&delegating.target),
				"conviction": format!("{:?}", delegating.conviction),
				"balance": format_myl(delegating.balance),
			})),
		}
	}
	out
}

// ---- governance ----------------------------------------------------------------------------

type Track = pallet_referenda::TrackInfo<Balance, BlockNumber>;

fn track_of(id: u16) -> Option<Track> {
	<Runtime as pallet_referenda::Config>::Tracks::info(id).map(|info| info.into_owned())
}

fn track_name(track: &Track) -> String {
	String::from_utf8_lossy(&track.name).trim_end_matches('\0').to_string()
}

/// The tracks and the latest [`REFERENDA_LISTED`] referenda.
fn referenda_view() -> Value {
	let now = block_number();
	let tracks: Vec<Value> = <Runtime as pallet_referenda::Config>::Tracks::tracks()
		.map(|track| {
			let info = &track.info;
			let curve = |c: &pallet_referenda::Curve| -> Vec<f64> {
				(0..=CURVE_POINTS)
					.map(|i| perbill(c.threshold(Perbill::from_rational(i, CURVE_POINTS))))
					.collect()
			};
			json!({
				"id": track.id,
				"name": track_name(info),
				"maxDeciding": info.max_deciding,
				"decisionDeposit": format_myl(info.decision_deposit),
				"preparePeriod": info.prepare_period,
				"decisionPeriod": info.decision_period,
				"confirmPeriod": info.confirm_period,
				"minEnactmentPeriod": info.min_enactment_period,
				"approvalCurve": curve(&info.min_approval),
				"supportCurve": curve(&info.min_support),
			})
		})
		.collect();
	let count = pallet_referenda::ReferendumCount::<Runtime>::get();
	let referenda: Vec<Value> = (count.saturating_sub(REFERENDA_LISTED)..count)
		.rev()
		.filter_map(|index| {
			pallet_referenda::ReferendumInfoFor::<Runtime>::get(index)
				.map(|info| referendum(index, info, now))
		})
		.collect();
	json!({ "block": now, "count": count, "tracks": tracks, "referenda": referenda })
}

type Referendum = pallet_referenda::ReferendumInfoOf<Runtime, ()>;

fn referendum(index: u32, info: Referendum, now: BlockNumber) -> Value {
	let ended = |status: &str, block: BlockNumber| json!({ "index": index, "status": status, "endedAt": block });
	let status = match info {
		ReferendumInfo::Ongoing(status) => status,
		ReferendumInfo::Approved(block, ..) => return ended("approved", block),
		ReferendumInfo::Rejected(block, ..) => return ended("rejected", block),
		ReferendumInfo::Cancelled(block, ..) => return ended("cancelled", block),
		ReferendumInfo::TimedOut(block, ..) => return ended("timedOut", block),
		ReferendumInfo::Killed(block) => return ended("killed", block),
	};
	let Some(track) = track_of(status.track) else {
		return json!({ "index": index, "status": "unknownTrack", "track": status.track });
	};
	let tally = &status.tally;
	let approval = tally.approval(status.track);
	let support = tally.support(status.track);
	// The next block that decides something, and what: the decision period's end (or the
	// confirmation's, once confirming), the end of preparation, the timeout without a decision
	// deposit; a queued referendum waits for a deciding slot and has none.
	let (phase, elapsed, deadline, deadline_kind) = match &status.deciding {
		Some(deciding) => {
			let elapsed = Perbill::from_rational(
				now.saturating_sub(deciding.since),
				track.decision_period.max(1),
			);
			match deciding.confirming {
				Some(until) => ("confirming", elapsed, Some(until), "confirmation"),
				None => (
					"deciding",
					elapsed,
					Some(deciding.since.saturating_add(track.decision_period)),
					"decision",
				),
			}
		}
		None if status.decision_deposit.is_none() => {
			let timeout = <Runtime as pallet_referenda::Config>::UndecidingTimeout::get();
			let end = status.submitted.saturating_add(timeout);
			("awaitingDeposit", Perbill::zero(), Some(end), "depositTimeout")
		}
		None if status.in_queue => ("queued", Perbill::zero(), None, "deciding slot"),
		None => {
			let end = status.submitted.saturating_add(track.prepare_period);
			("preparing", Perbill::zero(), Some(end), "preparation")
		}
	};
	let approval_needed = track.min_approval.threshold(elapsed);
	let support_needed = track.min_support.threshold(elapsed);
	json!({
		"index": index,
		"status": "ongoing",
		"phase": phase,
		"track": status.track,
		"trackName": track_name(&track),
		"proposal": proposal_name(&status.proposal),
		"submitted": status.submitted,
		"decidingSince": status.deciding.as_ref().map(|d| d.since),
		"confirmingUntil": status.deciding.as_ref().and_then(|d| d.confirming),
		"deadline": deadline,
		"deadlineKind": deadline_kind,
		"elapsed": perbill(elapsed),
		"tally": {
			"ayes": format_myl(tally.ayes),
			"nays": format_myl(tally.nays),
			"support": format_myl(tally.support),
		},
		"approval": perbill(approval),
		"support": perbill(support),
		"approvalNeeded": perbill(approval_needed),
		"supportNeeded": perbill(support_needed),
		"passing": approval >= approval_needed && support >= support_needed,
	})
}

/// `pallet.call` of a proposal when its call is inline or its preimage is stored.
fn proposal_name(proposal: &Bounded<RuntimeCall, sp_runtime::traits::BlakeTwo256>) -> Value {
	let bytes = match proposal {
		Bounded::Inline(bytes) => Some(bytes.to_vec()),
		Bounded::Lookup { hash, len } if *len <= PREIMAGE_NAMED_MAX => {
			pallet_preimage::PreimageFor::<Runtime>::get((hash, len)).map(|b| b.to_vec())
		}
		Bounded::Lookup { .. } => None,
		Bounded::Legacy { .. } => None,
	};
	let call = bytes.and_then(|bytes| {
		RuntimeCall::decode_with_depth_limit(frame_support::MAX_EXTRINSIC_DEPTH, &mut &bytes[..])
			.ok()
	});
	match call {
		Some(call) => {
			let meta = call.get_call_metadata();
			json!(format!("{}.{}", meta.pallet_name, meta.function_name))
		}
		None => Value::Null,
	}
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
mod tests {
	use super::*;

	const ONE: Balance = 1_000_000_000;
	const CAP: Balance = 21_000_000 * ONE;

	fn emission(value: &Value, k: usize) -> &str {
		value["schedule"][k]["blockEmission"].as_str().unwrap_or_default()
	}

	#[test]
	fn the_halving_schedule_matches_the_emission_formula() {
		let start = halvings(ONE, CAP, 0, ONE);
		assert_eq!(start["passed"], 0);
		assert_eq!(start["nextAtSupply"], "10500000.000000000");
		assert_eq!(start["blocksToNext"], 10_500_000);
		assert_eq!(emission(&start, 0), "0.500000000");
		assert_eq!(emission(&start, 2), "0.125000000");
		// Every listed halving is where the emission formula drops to that amount.
		for k in 1..=HALVINGS_LISTED {
			let at = CAP - (CAP >> k);
			assert_eq!(myelin_yuma::emission::block_emission(ONE, CAP, at), ONE >> k);
			assert_eq!(myelin_yuma::emission::block_emission(ONE, CAP, at - 1), ONE >> (k - 1));
		}
	}

	#[test]
	fn the_schedule_counts_passed_halvings_and_ends() {
		let third = halvings(ONE, CAP, CAP - CAP / 8, ONE / 8);
		assert_eq!(third["passed"], 3);
		assert_eq!(third["schedule"][2]["passed"], true);
		assert_eq!(third["schedule"][3]["passed"], false);
		let full = halvings(ONE, CAP, CAP, 0);
		assert_eq!(full["passed"], HALVINGS_LISTED);
		assert_eq!(full["nextAtSupply"], Value::Null);
		assert_eq!(full["blocksToNext"], Value::Null);
	}
}
