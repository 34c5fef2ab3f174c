//! The node's JSON-RPC extensions on top of Substrate's standard set (chain, state, author,
//! system, `rpc_methods`, …, which `sc-service` installs): `system_accountNextIndex`, the
//! `payment_*` fee queries, Myelin's own `myelin_*` views (see [`myelin`]) and the explorer's
//! (see [`explorer`]).

pub mod chain_state;
pub mod explorer;
pub mod json;
pub mod myelin;
pub mod rate_limit;
pub mod rounds;

use std::sync::Arc;

use jsonrpsee::RpcModule;
use myelin_runtime::{opaque::Block, AccountId, Balance, Nonce};
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};

/// What the RPC extensions need from the node.
pub struct FullDeps<C, P> {
	/// The client, to call runtime APIs.
	pub client: Arc<C>,
	/// The transaction pool, for the next account nonce including pending transactions.
	pub pool: Arc<P>,
	/// The node's storage, for the explorer's views of state no runtime API serves.
	pub backend: Arc<chain_state::FullBackend>,
	/// The node's inference models, to expand miners' challenges (`myelin_challenge`) and score
	/// reveals (`myelin_inferenceRounds`).
	pub models: Option<Arc<dyn myelin_inference::host::InferenceHost>>,
}

/// Builds the RPC extensions of a full node.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
	C::Api: pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>,
	C::Api: BlockBuilder<Block>,
	C::Api: myelin_runtime_api::SubnetsApi<Block>
		+ myelin_runtime_api::MetagraphApi<Block>
		+ myelin_runtime_api::StakeApi<Block>
		+ myelin_runtime_api::InferenceApi<Block>
		+ sp_consensus_aura::AuraApi<Block, sp_consensus_aura::sr25519::AuthorityId>,
	P: TransactionPool + 'static,
{
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool, backend, models } = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(explorer::ExplorerApiServer::into_rpc(explorer::Explorer::new(
		client.clone(),
		backend,
		models.clone(),
	)))?;
	module.merge(myelin::MyelinApiServer::into_rpc(myelin::Myelin::new(client, models)))?;

	Ok(module)
}
