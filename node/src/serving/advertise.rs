//! Keeps a serving miner's axon on chain: for every (subnet, hotkey) the miner's API serves,
//! the hotkey's `serve_axon` names the API's public address with the HTTP protocol. Sent as an
//! ordinary transaction of the hotkey (signed by the keystore, 64-block mortal era), again only
//! if the chain still shows another address after [`RETRY_AFTER`].

use std::{
	collections::HashMap,
	net::SocketAddr,
	sync::Arc,
	time::{Duration, Instant},
};

use codec::{Decode, Encode};
use myelin_primitives::{receipt::AXON_PROTOCOL_HTTP, AccountId, NetUid};
use myelin_runtime::{opaque::Block, RuntimeCall};
use sc_transaction_pool_api::{TransactionPool, TransactionSource};
use sp_api::{Core, ProvideRuntimeApi};
use sp_blockchain::HeaderBackend;
use sp_core::sr25519;
use sp_keystore::KeystorePtr;
use sp_runtime::generic::Era;

use super::{
	chain::{axon_fields, ChainView},
	miner::MinerApi,
};

/// How often the advertiser looks.
const INTERVAL: Duration = Duration::from_secs(6);
/// How long to wait for a sent `serve_axon` before sending again.
const RETRY_AFTER: Duration = Duration::from_secs(60);
/// The axon's software version.
const AXON_VERSION: u32 = 1;

/// Runs until the node stops.
pub async fn advertise_loop<C, P>(
	api: Arc<MinerApi>,
	chain: Arc<dyn ChainView>,
	client: Arc<C>,
	pool: Arc<P>,
	keystore: KeystorePtr,
	public: SocketAddr,
) where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, myelin_runtime::Nonce>
		+ Core<Block>,
	P: TransactionPool<Block = Block> + 'static,
{
	let mut sent: HashMap<(NetUid, AccountId), Instant> = HashMap::new();
	let (ip, ip_type) = axon_fields(&public);
	let mut ticks = tokio::time::interval(INTERVAL);
	loop {
		ticks.tick().await;
		for served in api.served() {
			let current = chain
				.neurons(served.netuid)
				.into_iter()
				.find(|n| n.hotkey == served.hotkey)
				.and_then(|n| n.axon);
			let advertised = current.is_some_and(|a| {
				(a.ip, a.port, a.ip_type, a.protocol)
					== (ip, public.port(), ip_type, AXON_PROTOCOL_HTTP)
			});
			let key = (served.netuid, served.hotkey.clone());
			if advertised || sent.get(&key).is_some_and(|at| at.elapsed() < RETRY_AFTER) {
				continue;
			}
			let call = RuntimeCall::Subnets(pallet_subnets::Call::serve_axon {
				netuid: served.netuid,
				version: AXON_VERSION,
				ip,
				port: public.port(),
				ip_type,
				protocol: AXON_PROTOCOL_HTTP,
			});
			match submit(&*client, &*pool, &keystore, &served.hotkey, call).await {
				Ok(()) => {
					log::info!(
						target: "serving",
						"📡 Advertising {public} for {} on subnet {}",
						served.hotkey,
						served.netuid
					);
					sent.insert(key, Instant::now());
				}
				Err(e) => log::warn!(target: "serving", "serve_axon for {}: {e}", served.hotkey),
			}
		}
	}
}

/// Signs `call` as `hotkey` with the keystore's `mine` key and submits it to the pool.
async fn submit<C, P>(
	client: &C,
	pool: &P,
	keystore: &KeystorePtr,
	hotkey: &AccountId,
	call: RuntimeCall,
) -> Result<(), String>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block>,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, myelin_runtime::Nonce>
		+ Core<Block>,
	P: TransactionPool<Block = Block>,
{
	use substrate_frame_rpc_system::AccountNonceApi;
	let info = client.info();
	let api = client.runtime_api();
	let nonce = api.account_nonce(info.best_hash, hotkey.clone()).map_err(|e| e.to_string())?;
	let version = api.version(info.best_hash).map_err(|e| e.to_string())?;
	let era = Era::mortal(64, u64::from(info.best_number));
	let birth = u32::try_from(era.birth(u64::from(info.best_number))).unwrap_or(info.best_number);
	let birth_hash = client.hash(birth).ok().flatten().ok_or("no era birth block")?;
	let public = sr25519::Public::from_raw(*hotkey.as_ref());
	let sign = |payload: &[u8]| {
		keystore
			.sr25519_sign(pallet_inference::crypto::MINER_KEY_TYPE, &public, payload)
			.ok()
			.flatten()
	};
	let xt = myelin_runtime::signing::sign_in_era_with(
		call,
		hotkey.clone(),
		nonce,
		info.genesis_hash,
		(era, birth_hash),
		(version.spec_version, version.transaction_version),
		sign,
	)
	.ok_or("the keystore cannot sign")?;
	let opaque =
		sp_runtime::OpaqueExtrinsic::decode(&mut &xt.encode()[..]).map_err(|e| e.to_string())?;
	pool.submit_one(info.best_hash, TransactionSource::Local, opaque)
		.await
		.map(|_| ())
		.map_err(|e| e.to_string())
}
