//! `myelin gov …`: referenda and conviction votes.
//!
//! `propose` notes the proposal's call as a preimage, submits it to a track and (unless
//! `--no-decision-deposit`) places the decision deposit, so the referendum starts deciding after
//! the track's prepare period. Track periods and curves are the runtime's own, evaluated under
//! the chain's track timing, so `show` gives the real deadlines of a dev or production chain.

use std::{borrow::Cow, path::PathBuf};

use anyhow::{anyhow, bail, Context as _, Result};
use clap::{Subcommand, ValueEnum};
use codec::Encode;
use myelin_primitives::units::format_myl;
use myelin_runtime::{Balance, BlockNumber, OriginCaller, Runtime, RuntimeCall, RuntimeEvent};
use pallet_conviction_voting::{AccountVote, Conviction, Vote, Voting};
use pallet_referenda::{ReferendumInfo, Track, TracksInfo};
use serde_json::{json, Value};

use super::{
	subnet::hyperparameter,
	wallet::{amount, WalletArg},
	Context,
};
use crate::{
	chain::{blake2_128_concat, storage_key, twox_64_concat, Chain},
	output,
};

/// The referendum tracks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TrackName {
	/// Any call with Root: runtime upgrades, removing sudo. Long periods, high support.
	Root,
	/// Subnet hyperparameters and emission policy. Shorter periods.
	SubnetParams,
}

impl TrackName {
	fn origin(self) -> OriginCaller {
		match self {
			TrackName::Root => OriginCaller::system(frame_system::RawOrigin::Root),
			TrackName::SubnetParams => {
				OriginCaller::Governance(pallet_governance::Origin::SubnetParams)
			}
		}
	}
}

/// What a proposal does.
#[derive(Subcommand)]
pub enum Proposal {
	/// Sets a subnet hyperparameter (any, including governance-only ones such as tempo).
	SetHyperparam {
		/// The subnet.
		#[arg(long)]
		netuid: u16,
		/// Name, e.g. `tempo`.
		#[arg(long)]
		param: String,
		/// New value.
		#[arg(long)]
		value: String,
	},
	/// Replaces the runtime with a WASM blob (root track).
	SetCode {
		/// The runtime WASM file.
		#[arg(long)]
		wasm: PathBuf,
	},
	/// Removes the sudo key for good (root track).
	RemoveSudo,
	/// Any call, SCALE-encoded as hex (e.g. from polkadot.js apps).
	Call {
		/// `0x…`
		#[arg(long)]
		hex: String,
	},
}

impl Proposal {
	fn call(self) -> Result<RuntimeCall> {
		Ok(match self {
			Proposal::SetHyperparam { netuid, param, value } => {
				RuntimeCall::Subnets(pallet_subnets::Call::set_hyperparameter {
					netuid,
					param: hyperparameter(&param, &value)?,
				})
			}
			Proposal::SetCode { wasm } => {
				let code = std::fs::read(&wasm)
					.with_context(|| format!("cannot read {}", wasm.display()))?;
				RuntimeCall::System(frame_system::Call::set_code { code })
			}
			Proposal::RemoveSudo => RuntimeCall::Sudo(pallet_sudo::Call::remove_key {}),
			Proposal::Call { hex: text } => {
				let bytes = hex::decode(text.trim_start_matches("0x")).context("not hex")?;
				<RuntimeCall as codec::Decode>::decode(&mut &bytes[..])
					.map_err(|e| anyhow!("not a call of this runtime: {e}"))?
			}
		})
	}
}

/// `myelin gov` subcommands.
#[derive(Subcommand)]
pub enum GovCommand {
	/// Proposes a call on a track: notes its preimage, submits the referendum and places the
	/// decision deposit.
	Propose {
		#[command(flatten)]
		wallet: WalletArg,
		/// The track.
		#[arg(long, value_enum)]
		track: TrackName,
		/// Blocks between approval and enactment (at least the track's minimum).
		#[arg(long)]
		enact_after: Option<BlockNumber>,
		/// Leave the decision deposit to someone else.
		#[arg(long)]
		no_decision_deposit: bool,
		#[command(subcommand)]
		proposal: Proposal,
	},
	/// Places the decision deposit of a referendum proposed with `--no-decision-deposit`.
	Deposit {
		#[command(flatten)]
		wallet: WalletArg,
		/// Referendum index.
		#[arg(long)]
		index: u32,
	},
	/// Votes on a referendum.
	Vote {
		#[command(flatten)]
		wallet: WalletArg,
		/// Referendum index.
		#[arg(long)]
		index: u32,
		/// Vote aye.
		#[arg(long, conflicts_with = "nay", required_unless_present = "nay")]
		aye: bool,
		/// Vote nay.
		#[arg(long)]
		nay: bool,
		/// MYL to vote with (staked tokens count too).
		#[arg(long)]
		amount: String,
		/// Conviction 0..=6: votes count 0.1x (no lock) or 1x..6x, locking for 1..32 lock
		/// periods.
		#[arg(long, default_value_t = 1)]
		conviction: u8,
	},
	/// Lists referenda.
	List,
	/// Shows one referendum: track, phase, tally, thresholds and deadlines.
	Show {
		/// Referendum index.
		#[arg(long)]
		index: u32,
	},
	/// Removes votes on finished referenda and releases expired vote locks.
	Unlock {
		#[command(flatten)]
		wallet: WalletArg,
	},
}

type Info = pallet_referenda::ReferendumInfoOf<Runtime, ()>;

/// The runtime's tracks under the chain's timing.
async fn tracks(chain: &Chain) -> Result<Vec<Track<u16, Balance, BlockNumber>>> {
	let timing: Option<pallet_governance::Timing> =
		chain.storage(&storage_key("Governance", "TrackTiming", &[])).await?;
	let mut ext = sp_io::TestExternalities::default();
	Ok(ext.execute_with(|| {
		pallet_governance::TrackTiming::<Runtime>::put(timing.unwrap_or_default());
		myelin_runtime::configs::Tracks::tracks().map(Cow::into_owned).collect()
	}))
}

fn track_name(tracks: &[Track<u16, Balance, BlockNumber>], id: u16) -> String {
	tracks
		.iter()
		.find(|t| t.id == id)
		.map(|t| String::from_utf8_lossy(&t.info.name).trim_end_matches('\0').to_string())
		.unwrap_or_else(|| format!("track {id}"))
}

async fn referendum(chain: &Chain, index: u32) -> Result<Option<Info>> {
	chain
		.storage(&storage_key("Referenda", "ReferendumInfoFor", &[blake2_128_concat(&index)]))
		.await
}

fn perbill(value: sp_runtime::Perbill) -> f64 {
	f64::from(value.deconstruct()) / 1e9
}

/// A referendum as JSON.
fn describe(
	index: u32,
	info: &Info,
	tracks: &[Track<u16, Balance, BlockNumber>],
	now: BlockNumber,
	issuance: Balance,
) -> Value {
	match info {
		ReferendumInfo::Ongoing(status) => {
			let track = tracks.iter().find(|t| t.id == status.track);
			let tally = &status.tally;
			let (phase, deadline, approval_needed, support_needed) = match (&status.deciding, track)
			{
				(Some(deciding), Some(track)) => {
					let elapsed = now.saturating_sub(deciding.since);
					let x = sp_runtime::Perbill::from_rational(
						elapsed.min(track.info.decision_period),
						track.info.decision_period.max(1),
					);
					let (phase, deadline) = match deciding.confirming {
						Some(until) => ("confirming", until),
						None => {
							("deciding", deciding.since.saturating_add(track.info.decision_period))
						}
					};
					(
						phase,
						Some(deadline),
						Some(perbill(track.info.min_approval.threshold(x))),
						Some(perbill(track.info.min_support.threshold(x))),
					)
				}
				(None, Some(_)) if status.decision_deposit.is_none() => {
					("awaiting decision deposit", None, None, None)
				}
				(None, Some(track)) => (
					"preparing",
					Some(status.submitted.saturating_add(track.info.prepare_period)),
					None,
					None,
				),
				(_, None) => ("unknown track", None, None, None),
			};
			let approval = if tally.ayes.saturating_add(tally.nays) == 0 {
				0.0
			} else {
				tally.ayes as f64 / (tally.ayes.saturating_add(tally.nays)) as f64
			};
			json!({
				"index": index,
				"track": track_name(tracks, status.track),
				"status": "ongoing",
				"phase": phase,
				"submitted": status.submitted,
				"phaseEnds": deadline,
				"ayes": format_myl(tally.ayes),
				"nays": format_myl(tally.nays),
				"support": format_myl(tally.support),
				"approval": approval,
				"supportShare": if issuance == 0 { 0.0 } else { tally.support as f64 / issuance as f64 },
				"approvalNeeded": approval_needed,
				"supportNeeded": support_needed,
				"decisionDeposit": status.decision_deposit.is_some(),
			})
		}
		ReferendumInfo::Approved(at, ..) => {
			json!({ "index": index, "status": "approved", "at": at })
		}
		ReferendumInfo::Rejected(at, ..) => {
			json!({ "index": index, "status": "rejected", "at": at })
		}
		ReferendumInfo::Cancelled(at, ..) => {
			json!({ "index": index, "status": "cancelled", "at": at })
		}
		ReferendumInfo::TimedOut(at, ..) => {
			json!({ "index": index, "status": "timedOut", "at": at })
		}
		ReferendumInfo::Killed(at) => json!({ "index": index, "status": "killed", "at": at }),
	}
}

async fn issuance(chain: &Chain) -> Result<Balance> {
	Ok(chain.storage(&storage_key("Balances", "TotalIssuance", &[])).await?.unwrap_or_default())
}

/// Runs a `myelin gov` command.
pub async fn run(ctx: &Context, command: GovCommand) -> Result<()> {
	match command {
		GovCommand::Propose { wallet, track, enact_after, no_decision_deposit, proposal } => {
			let call = proposal.call()?;
			let signer = ctx.wallet(&wallet.wallet).coldkey()?;
			let chain = ctx.chain().await?;
			let bytes = call.encode();
			let hash = sp_core::H256(sp_crypto_hashing::blake2_256(&bytes));
			let len = u32::try_from(bytes.len())?;
			let tracks = tracks(&chain).await?;
			let track_id = match track {
				TrackName::Root => myelin_runtime::configs::ROOT_TRACK,
				TrackName::SubnetParams => myelin_runtime::configs::SUBNET_PARAMS_TRACK,
			};
			let min_enactment = tracks
				.iter()
				.find(|t| t.id == track_id)
				.map(|t| t.info.min_enactment_period)
				.unwrap_or(1);
			let enact_after = enact_after.unwrap_or(min_enactment).max(min_enactment);

			let note = pallet_preimage::Call::note_preimage { bytes };
			ctx.submit(&chain, &signer, RuntimeCall::Preimage(note), "note preimage").await?;
			let submit = pallet_referenda::Call::submit {
				proposal_origin: Box::new(track.origin()),
				proposal: frame_support::traits::Bounded::Lookup { hash, len },
				enactment_moment: frame_support::traits::schedule::DispatchTime::After(enact_after),
			};
			let receipt = ctx
				.submit(&chain, &signer, RuntimeCall::Referenda(submit), "submit referendum")
				.await?;
			let index = submitted_index(&receipt)
				.ok_or_else(|| anyhow!("the chain did not report the referendum index"))?;
			if !no_decision_deposit {
				let deposit = pallet_referenda::Call::place_decision_deposit { index };
				ctx.submit(&chain, &signer, RuntimeCall::Referenda(deposit), "decision deposit")
					.await?;
			}
			let mut value = receipt.to_json();
			if let Some(fields) = value.as_object_mut() {
				fields.insert("index".into(), json!(index));
				fields.insert("track".into(), json!(track_name(&tracks, track_id)));
				fields.insert("preimage".into(), json!(format!("{hash:?}")));
				fields.insert("preimageLength".into(), json!(len));
				fields.insert("decisionDeposit".into(), json!(!no_decision_deposit));
				fields.insert("enactAfter".into(), json!(enact_after));
			}
			ctx.print(&value, || {
				format!(
					"✓ referendum {index} on track {} (preimage {hash:?}, {len} bytes){}",
					track_name(&tracks, track_id),
					if no_decision_deposit { "; awaiting its decision deposit" } else { "" }
				)
			});
		}
		GovCommand::Deposit { wallet, index } => {
			let signer = ctx.wallet(&wallet.wallet).coldkey()?;
			let chain = ctx.chain().await?;
			place_deposit(ctx, &chain, &signer, index).await?;
		}
		GovCommand::Vote { wallet, index, aye, nay: _, amount: text, conviction } => {
			let balance = amount(&text)?;
			let conviction = Conviction::try_from(conviction)
				.map_err(|_| anyhow!("conviction is 0..=6, not {conviction}"))?;
			let signer = ctx.wallet(&wallet.wallet).coldkey()?;
			let chain = ctx.chain().await?;
			let vote = AccountVote::Standard { vote: Vote { aye, conviction }, balance };
			let call = pallet_conviction_voting::Call::vote { poll_index: index, vote };
			let side = if aye { "aye" } else { "nay" };
			ctx.transact(&chain, &signer, RuntimeCall::ConvictionVoting(call), "vote", |_| {
				(
					format!(
						"voted {side} with {} MYL at {conviction:?} on referendum {index}",
						format_myl(balance)
					),
					json!({ "index": index, "aye": aye, "amount": format_myl(balance) }),
				)
			})
			.await?;
		}
		GovCommand::List => {
			let chain = ctx.chain().await?;
			let count: u32 = chain
				.storage(&storage_key("Referenda", "ReferendumCount", &[]))
				.await?
				.unwrap_or_default();
			let tracks = tracks(&chain).await?;
			let now = chain.best_number().await?;
			let issuance = issuance(&chain).await?;
			let mut list = Vec::new();
			for index in (0..count).rev() {
				if let Some(info) = referendum(&chain, index).await? {
					list.push(describe(index, &info, &tracks, now, issuance));
				}
			}
			let value = json!({ "block": now, "referenda": list });
			ctx.print(&value, || {
				if list.is_empty() {
					return "no referenda".into();
				}
				let mut table =
					output::table(&["#", "track", "status", "phase", "ayes", "nays", "ends"]);
				for r in &list {
					table.add_row(vec![
						output::cell(&r["index"]),
						output::cell(&r["track"]),
						output::cell(&r["status"]),
						output::cell(&r["phase"]),
						output::myl(&r["ayes"]),
						output::myl(&r["nays"]),
						output::cell(&r["phaseEnds"]),
					]);
				}
				table.to_string()
			});
		}
		GovCommand::Show { index } => {
			let chain = ctx.chain().await?;
			let info = referendum(&chain, index)
				.await?
				.ok_or_else(|| anyhow!("referendum {index} does not exist"))?;
			let tracks = tracks(&chain).await?;
			let now = chain.best_number().await?;
			let value = describe(index, &info, &tracks, now, issuance(&chain).await?);
			ctx.print(&value, || {
				let mut table = output::table(&["field", "value"]);
				for (key, field) in value.as_object().into_iter().flatten() {
					table.add_row(vec![key.clone(), output::cell(field)]);
				}
				format!("referendum {index} at block {now}\n{table}")
			});
		}
		GovCommand::Unlock { wallet } => {
			let wallet = ctx.wallet(&wallet.wallet);
			let who = wallet.coldkey_address()?;
			let signer = wallet.coldkey()?;
			let chain = ctx.chain().await?;
			let tracks = tracks(&chain).await?;
			let mut done = 0usize;
			for track in &tracks {
				let class = track.id;
				let key = storage_key(
					"ConvictionVoting",
					"VotingFor",
					&[twox_64_concat(&who), twox_64_concat(&class)],
				);
				let voting: Option<pallet_conviction_voting::VotingOf<Runtime, ()>> =
					chain.storage(&key).await?;
				let Some(voting) = voting else { continue };
				if let Voting::Casting(casting) = &voting {
					for (index, _) in casting.votes.iter() {
						let finished = !matches!(
							referendum(&chain, *index).await?,
							Some(ReferendumInfo::Ongoing(_))
						);
						if finished {
							let call = pallet_conviction_voting::Call::remove_vote {
								class: Some(class),
								index: *index,
							};
							let what = format!("remove the vote on referendum {index}");
							ctx.submit(&chain, &signer, RuntimeCall::ConvictionVoting(call), &what)
								.await?;
						}
					}
				}
				let call =
					pallet_conviction_voting::Call::unlock { class, target: who.clone().into() };
				ctx.submit(&chain, &signer, RuntimeCall::ConvictionVoting(call), "unlock").await?;
				done = done.saturating_add(1);
			}
			if done == 0 {
				bail!(
					"{} has no votes or vote locks",
					sp_core::crypto::Ss58Codec::to_ss58check(&who)
				);
			}
			let (free, _, frozen) = chain.balances(&who).await?;
			ctx.print(&json!({ "free": format_myl(free), "frozen": format_myl(frozen) }), || {
				format!("frozen now {} MYL of {} MYL free", format_myl(frozen), format_myl(free))
			});
		}
	}
	Ok(())
}

async fn place_deposit(
	ctx: &Context,
	chain: &Chain,
	signer: &sp_core::sr25519::Pair,
	index: u32,
) -> Result<()> {
	let deposit = pallet_referenda::Call::place_decision_deposit { index };
	ctx.transact(chain, signer, RuntimeCall::Referenda(deposit), "decision deposit", |_| {
		(format!("placed the decision deposit of referendum {index}"), json!({ "index": index }))
	})
	.await?;
	Ok(())
}

fn submitted_index(receipt: &crate::chain::Receipt) -> Option<u32> {
	receipt.find(|e| match e {
		RuntimeEvent::Referenda(pallet_referenda::Event::Submitted { index, .. }) => Some(*index),
		_ => None,
	})
}
