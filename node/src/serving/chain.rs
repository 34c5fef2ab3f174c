//! What serving reads from the chain, at the node's best block: the subnets' inference tasks,
//! their neurons (hotkey, incentive, registration block, axon) and block hashes for the audit
//! draw. [`ChainView`] is the seam; [`ClientView`] answers it from the node's client through the
//! runtime APIs, so routing and audits are tested without a chain.

use std::sync::Arc;

use myelin_primitives::{AccountId, AxonInfo, BlockNumber, NetUid, Uid};
use myelin_runtime::opaque::Block;
use myelin_runtime_api::TaskSpec;
use myelin_runtime_api::{InferenceApi, MetagraphApi, MetagraphField, SubnetsApi};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::H256;

/// One neuron as serving sees it.
#[derive(Clone, PartialEq, Debug)]
pub struct Neuron {
	/// Its UID.
	pub uid: Uid,
	/// Its hotkey.
	pub hotkey: AccountId,
	/// Its incentive at the last epoch (share of `u16::MAX`).
	pub incentive: u16,
	/// The block it registered at.
	pub registered_at: BlockNumber,
	/// The endpoint it advertises, if any.
	pub axon: Option<AxonInfo>,
}

/// A subnet running an inference task.
#[derive(Clone, PartialEq, Debug)]
pub struct Task {
	/// The subnet.
	pub netuid: NetUid,
	/// Its task.
	pub spec: TaskSpec,
}

/// The chain as serving reads it.
pub trait ChainView: Send + Sync {
	/// The best block's number and hash.
	fn best(&self) -> (BlockNumber, H256);
	/// The hash of the best chain's block `number`, if it exists.
	fn hash_at(&self, number: BlockNumber) -> Option<H256>;
	/// Every subnet with an inference task, by ascending netuid.
	fn tasks(&self) -> Vec<Task>;
	/// The neurons of `netuid` (empty if it does not exist).
	fn neurons(&self, netuid: NetUid) -> Vec<Neuron>;
}

/// [`ChainView`] of the node's client.
pub struct ClientView<C> {
	client: Arc<C>,
}

impl<C> ClientView<C> {
	/// Reads through `client`.
	pub fn new(client: Arc<C>) -> ClientView<C> {
		ClientView { client }
	}
}

impl<C> ChainView for ClientView<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: SubnetsApi<Block> + MetagraphApi<Block> + InferenceApi<Block>,
{
	fn best(&self) -> (BlockNumber, H256) {
		let info = self.client.info();
		(info.best_number, info.best_hash)
	}

	fn hash_at(&self, number: BlockNumber) -> Option<H256> {
		self.client.hash(number).ok().flatten()
	}

	fn tasks(&self) -> Vec<Task> {
		let at = self.client.info().best_hash;
		let api = self.client.runtime_api();
		let Ok(list) = api.subnets(at) else { return Vec::new() };
		list.subnets
			.iter()
			.filter_map(|subnet| {
				let spec = api.task_spec(at, subnet.netuid).ok().flatten()?;
				Some(Task { netuid: subnet.netuid, spec })
			})
			.collect()
	}

	fn neurons(&self, netuid: NetUid) -> Vec<Neuron> {
		let at = self.client.info().best_hash;
		let fields = vec![
			MetagraphField::Hotkeys,
			MetagraphField::Incentive,
			MetagraphField::RegisteredAt,
			MetagraphField::Axons,
		];
		let Ok(Some(graph)) = self.client.runtime_api().selective_metagraph(at, netuid, fields)
		else {
			return Vec::new();
		};
		graph
			.uids
			.iter()
			.zip(graph.hotkeys)
			.zip(graph.incentive)
			.zip(graph.registered_at)
			.zip(graph.axons)
			.map(|((((uid, hotkey), incentive), registered_at), axon)| Neuron {
				uid: *uid,
				hotkey,
				incentive,
				registered_at,
				axon,
			})
			.collect()
	}
}

/// The socket address an axon advertises, if it is a usable IPv4 or IPv6 endpoint.
pub fn axon_address(axon: &AxonInfo) -> Option<std::net::SocketAddr> {
	use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
	let ip = match axon.ip_type {
		4 => IpAddr::V4(Ipv4Addr::from(u32::try_from(axon.ip).ok()?)),
		6 => IpAddr::V6(Ipv6Addr::from(axon.ip)),
		_ => return None,
	};
	(axon.port != 0).then_some(std::net::SocketAddr::new(ip, axon.port))
}

/// The `serve_axon` fields of a socket address: (ip, ip_type).
pub fn axon_fields(addr: &std::net::SocketAddr) -> (u128, u8) {
	match addr.ip() {
		std::net::IpAddr::V4(ip) => (u128::from(u32::from(ip)), 4),
		std::net::IpAddr::V6(ip) => (u128::from(ip), 6),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn axon_addresses_round_trip() {
		for text in ["127.0.0.1:9944", "[::1]:443", "10.0.0.7:1"] {
			let addr: std::net::SocketAddr = text.parse().unwrap();
			let (ip, ip_type) = axon_fields(&addr);
			let axon =
				AxonInfo { block: 0, version: 0, ip, port: addr.port(), ip_type, protocol: 4 };
			assert_eq!(axon_address(&axon), Some(addr));
		}
		let bad = AxonInfo { block: 0, version: 0, ip: 1, port: 1, ip_type: 5, protocol: 4 };
		assert_eq!(axon_address(&bad), None);
		let v4_too_wide = AxonInfo { ip: u128::from(u32::MAX) + 1, ip_type: 4, ..bad };
		assert_eq!(axon_address(&v4_too_wide), None);
	}
}
