//! Reading a block's state with the runtime's own types: the explorer views that no runtime API
//! serves (balances, referenda, votes, issuance, round submissions) run the node's native
//! runtime code against the state of a block, on a throw-away overlay.
//!
//! Why not decode raw storage by hand: the pallets' storage items, hashers and types are defined
//! once, in the runtime; reading them through FRAME's typed accessors inside externalities keeps
//! the views exact without a second copy of any key or layout. Why not new runtime APIs: these
//! views serve people looking at the chain, not consensus, so they stay out of the runtime and
//! its upgrades.
//!
//! The native code is the runtime this node was built with, so a view is only as right as the
//! match between it and the chain's runtime at that block: [`ChainState::read`] refuses a block
//! whose runtime has another `spec_name` or `spec_version`, or whose storage was not migrated to
//! it yet (the block that set the code, before the next one ran the migrations), with an error
//! that says so, rather than decode a layout it does not know.
//!
//! A panic in the native code (an upstream pallet's) becomes the call's error: the node's panic
//! handler would otherwise end the process. A database failing under `Ext` still ends it, as it
//! does during block import (`Ext` aborts on a backend error).

use std::sync::Arc;

use myelin_runtime::opaque::Block;
use sc_client_api::{backend::Backend as _, TrieCacheContext};
use sp_api::{Core, ProvideRuntimeApi};
use sp_blockchain::HeaderBackend;
use sp_core::H256;
use sp_state_machine::{Ext, OverlayedChanges};

/// The node's storage backend.
pub type FullBackend = sc_service::TFullBackend<Block>;

/// Runs the native runtime's storage accessors over the state of a block.
pub struct ChainState<C> {
	client: Arc<C>,
	backend: Arc<FullBackend>,
}

impl<C> ChainState<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block>,
	C::Api: Core<Block>,
{
	/// Reads through `backend`; `client` resolves the best block and each block's runtime
	/// version.
	pub fn new(client: Arc<C>, backend: Arc<FullBackend>) -> Self {
		Self { client, backend }
	}

	/// `at`, or the best block.
	pub fn block(&self, at: Option<H256>) -> H256 {
		at.unwrap_or_else(|| self.client.info().best_hash)
	}

	/// Runs `read` with the storage of block `at` (the best block by default) as its
	/// externalities and returns what it returns. Anything `read` writes goes to an overlay that
	/// is dropped, so the chain's state never changes.
	pub fn read<R>(&self, at: Option<H256>, read: impl FnOnce() -> R) -> Result<R, String> {
		let hash = self.block(at);
		let version = self
			.client
			.runtime_api()
			.version(hash)
			.map_err(|e| format!("block {hash:?}: no runtime version: {e}"))?;
		let native = &myelin_runtime::VERSION;
		if version.spec_name != native.spec_name || version.spec_version != native.spec_version {
			return Err(format!(
				"block {hash:?} runs {} v{}, but this node's views decode {} v{}: upgrade the \
				 node to read it",
				version.spec_name, version.spec_version, native.spec_name, native.spec_version
			));
		}
		let state = self
			.backend
			.state_at(hash, TrieCacheContext::Untrusted)
			.map_err(|e| format!("block {hash:?}: state unavailable: {e}"))?;
		let mut overlay = OverlayedChanges::default();
		let mut ext = Ext::new(&mut overlay, &state, None);
		let _unwind = sp_panic_handler::AbortGuard::force_unwind();
		std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
			sp_externalities::set_and_run_with_externalities(&mut ext, || {
				let migrated = frame_system::LastRuntimeUpgrade::<myelin_runtime::Runtime>::get()
					.is_some_and(|last| {
						last.spec_version.0 == native.spec_version
							&& last.spec_name == native.spec_name
					});
				migrated.then(read)
			})
		}))
		.map_err(|_| format!("block {hash:?}: reading its state failed (see the node's log)"))?
		.ok_or_else(|| {
			format!(
				"block {hash:?}: its storage is not migrated to {} v{} yet; ask for the next block",
				native.spec_name, native.spec_version
			)
		})
	}
}
