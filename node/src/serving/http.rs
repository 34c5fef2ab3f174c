//! HTTP/1.1 plumbing of the serving endpoints: a connection loop over hyper, JSON responses with
//! a bounded body reader, and the client the gateway calls miners with.

use std::{convert::Infallible, future::Future, net::SocketAddr, time::Duration};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::{body::Incoming, Request, Response, StatusCode};
use hyper_util::{
	client::legacy::{connect::HttpConnector, Client},
	rt::{TokioExecutor, TokioIo},
};
use serde_json::Value;

use super::openai::{ApiError, MAX_BODY_BYTES};

/// A response of the serving endpoints.
pub type HttpResponse = Response<Full<Bytes>>;

/// Most connections served at once; more wait in the kernel's accept queue.
pub const MAX_CONNECTIONS: usize = 512;
/// Time a client has to send a request's headers…
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// …and its body.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest answer read from a miner.
pub const MAX_ANSWER_BYTES: usize = 16 * 1024 * 1024;

/// Serves `handler` on `listener` until the task is dropped: one task per connection (at most
/// [`MAX_CONNECTIONS`]), keep-alive on, headers within [`HEADER_TIMEOUT`]. `handler` gets the
/// request and the caller's address.
pub async fn serve<H, F>(listener: tokio::net::TcpListener, handler: H)
where
	H: Fn(Request<Incoming>, SocketAddr) -> F + Clone + Send + Sync + 'static,
	F: Future<Output = HttpResponse> + Send + 'static,
{
	let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
	loop {
		let Ok(slot) = slots.clone().acquire_owned().await else { return };
		let (stream, peer) = match listener.accept().await {
			Ok(accepted) => accepted,
			Err(e) => {
				log::debug!(target: "serving", "accept failed: {e}");
				tokio::time::sleep(Duration::from_millis(50)).await;
				continue;
			}
		};
		let handler = handler.clone();
		tokio::spawn(async move {
			let service = hyper::service::service_fn(move |request| {
				let response = handler(request, peer);
				async move { Ok::<_, Infallible>(response.await) }
			});
			let connection = hyper::server::conn::http1::Builder::new()
				.keep_alive(true)
				.timer(hyper_util::rt::TokioTimer::new())
				.header_read_timeout(HEADER_TIMEOUT)
				.serve_connection(TokioIo::new(stream), service);
			if let Err(e) = connection.await {
				log::trace!(target: "serving", "connection from {peer} ended: {e}");
			}
			drop(slot);
		});
	}
}

/// Binds `addr` now (so a taken port fails the node's start, not a background task).
pub fn bind(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
	let listener = std::net::TcpListener::bind(addr)?;
	listener.set_nonblocking(true)?;
	tokio::net::TcpListener::from_std(listener)
}

/// A JSON response.
pub fn json(status: u16, body: &Value, headers: &[(&str, String)]) -> HttpResponse {
	let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
	*response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
	let map = response.headers_mut();
	map.insert(
		hyper::header::CONTENT_TYPE,
		hyper::header::HeaderValue::from_static("application/json"),
	);
	for (name, value) in headers {
		if let (Ok(name), Ok(value)) = (
			hyper::header::HeaderName::from_bytes(name.as_bytes()),
			hyper::header::HeaderValue::from_str(value),
		) {
			map.insert(name, value);
		}
	}
	response
}

/// The OpenAI error response of `error` (429s say when to retry).
pub fn error(error: &ApiError) -> HttpResponse {
	let retry = if error.status == 429 { vec![("retry-after", "1".to_string())] } else { vec![] };
	json(error.status, &error.body(), &retry)
}

/// The request's body, at most [`MAX_BODY_BYTES`], within [`BODY_TIMEOUT`].
pub async fn read_body(request: Request<Incoming>) -> Result<Bytes, ApiError> {
	let read = Limited::new(request.into_body(), MAX_BODY_BYTES).collect();
	tokio::time::timeout(BODY_TIMEOUT, read)
		.await
		.map_err(|_| ApiError::invalid("The body did not arrive in time.", None))?
		.map(|collected| collected.to_bytes())
		.map_err(|_| {
			ApiError::invalid(format!("The body is larger than {MAX_BODY_BYTES} bytes."), None)
		})
}

/// The header `name` of `request` as a string, if present and ASCII.
pub fn header<'a>(request: &'a Request<Incoming>, name: &str) -> Option<&'a str> {
	request.headers().get(name).and_then(|v| v.to_str().ok())
}

/// How a call to a miner went wrong.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CallError {
	/// No complete answer within the timeout.
	Timeout,
	/// The connection failed.
	Connect,
	/// An HTTP status other than 200.
	Status(u16),
	/// The body is not JSON or too large.
	Body,
}

impl CallError {
	/// A short label for metrics.
	pub fn label(&self) -> &'static str {
		match self {
			CallError::Timeout => "timeout",
			CallError::Connect => "connect",
			CallError::Status(_) => "status",
			CallError::Body => "body",
		}
	}
}

/// The gateway's HTTP client for miners (connection pooling, keep-alive).
#[derive(Clone)]
pub struct MinerClient {
	client: Client<HttpConnector, Full<Bytes>>,
}

impl Default for MinerClient {
	fn default() -> MinerClient {
		let mut connector = HttpConnector::new();
		connector.set_nodelay(true);
		connector.set_connect_timeout(Some(Duration::from_secs(2)));
		MinerClient {
			client: Client::builder(TokioExecutor::new())
				.pool_idle_timeout(Duration::from_secs(30))
				.build(connector),
		}
	}
}

impl MinerClient {
	/// POSTs `body` to `http://addr{path}` with `headers` and returns the JSON answer, all within
	/// `timeout`.
	pub async fn post_json(
		&self,
		addr: SocketAddr,
		path: &str,
		body: &Value,
		headers: &[(&str, String)],
		timeout: Duration,
	) -> Result<Value, CallError> {
		let mut builder = Request::post(format!("http://{addr}{path}"))
			.header(hyper::header::CONTENT_TYPE, "application/json");
		for (name, value) in headers {
			builder = builder.header(*name, value.as_str());
		}
		let request = builder
			.body(Full::new(Bytes::from(body.to_string())))
			.map_err(|_| CallError::Connect)?;
		let call = async {
			let response = self.client.request(request).await.map_err(|_| CallError::Connect)?;
			let status = response.status().as_u16();
			let bytes = Limited::new(response.into_body(), MAX_ANSWER_BYTES)
				.collect()
				.await
				.map_err(|_| CallError::Body)?
				.to_bytes();
			if status != 200 {
				return Err(CallError::Status(status));
			}
			serde_json::from_slice(&bytes).map_err(|_| CallError::Body)
		};
		tokio::time::timeout(timeout, call).await.map_err(|_| CallError::Timeout)?
	}
}
