//! The web face of tongchou: server-rendered pages (zh-CN first, English on request) and their
//! JSON API twins under `/api/v1`, described by an OpenAPI document, over the same store calls.
//!
//! Handlers are thin: parse → authenticate (an extractor) → authorise at the call site (the
//! policy lives in `tongchou_domain`) → call the store → render. Every asset is served by the
//! binary; nothing is fetched from a CDN.
#![forbid(unsafe_code)]

use axum::extract::DefaultBodyLimit;
use axum::Router;
use std::net::SocketAddr;
use tongchou_store::Store;

pub mod api;
pub mod error;
pub mod extract;
pub mod i18n;
pub mod pages;
pub mod tabular;

pub use error::AppError;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// True when the server runs the demo city: the sign-in page then lists the demo users.
    pub demo: bool,
}

/// The whole application: pages, API, static assets, health.
pub fn router(state: AppState) -> Router {
    let max_upload = state.store.settings.upload.max_bytes as usize;
    Router::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .route("/healthz", axum::routing::get(healthz))
        .layer(axum::middleware::from_fn(run_to_completion))
        .layer(DefaultBodyLimit::max(max_upload + 64 * 1024))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// A request that may write runs to completion in its own task, even if the client goes away.
/// Hyper drops a request's future when its connection closes, and sqlx's `BEGIN` is not
/// cancel-safe: a future dropped during it leaves the pooled connection inside a transaction.
/// On SQLite, whose single writer connection then answers every later write (sign-in included)
/// with "attempted to call begin_with at non-zero transaction depth", one impatient client
/// (or the end of a load test) was enough to stop all writing until a restart.
async fn run_to_completion(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::http::Method;
    use axum::response::IntoResponse;
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    match tokio::spawn(next.run(req)).await {
        Ok(response) => response,
        Err(e) => AppError::internal(&format!("request task failed: {e}"), tongchou_domain::Lang::Zh).into_response(),
    }
}

async fn healthz(axum::extract::State(st): axum::extract::State<AppState>) -> (axum::http::StatusCode, &'static str) {
    if st.store.ping().await {
        (axum::http::StatusCode::OK, "ok")
    } else {
        (axum::http::StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
    }
}

/// Serve until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state).into_make_service_with_connect_info::<SocketAddr>()).with_graceful_shutdown(shutdown).await
}
