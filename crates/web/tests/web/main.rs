//! The web layer as users and integrations meet it: the real server on an ephemeral port, a
//! fresh database per test (SQLite and PostgreSQL), a real HTTP client, and one real headless
//! browser flow.

mod api;
mod audit;
mod browser;
mod inventory;
mod overlap;
mod pages;

use serde_json::Value;
use std::net::SocketAddr;
use tongchou_domain::config::Config;
use tongchou_store::testing::{fresh_store, TestDb};
use tongchou_store::{system_clock, Backend, Store};

pub const PASSWORD: &str = "tongchou-demo";
pub const BACKENDS: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];

pub struct App {
    pub addr: SocketAddr,
    pub store: Store,
    pub backend: Backend,
    db: Option<TestDb>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    pub http: reqwest::Client,
}

/// Start the server with the demo city on `backend`.
pub async fn spawn_app(backend: Backend) -> App {
    spawn_app_with(backend, Config::default()).await
}

pub async fn spawn_app_with(backend: Backend, config: Config) -> App {
    let (store, db) = fresh_store(backend, config, system_clock()).await;
    tongchou_store::demo::load_demo(&store).await.expect("demo city loads");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let state = tongchou_web::AppState { store: store.clone(), demo: true };
    let task = tokio::spawn(async move {
        tongchou_web::serve(listener, state, async {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    App { addr, store, backend, db: Some(db), stop: Some(tx), task: Some(task), http }
}

impl App {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn login(&self, username: &str) -> String {
        let r = self
            .http
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"username": username, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{username} signs in on {:?}", self.backend);
        r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string()
    }

    pub async fn get(&self, token: &str, path: &str) -> (u16, Value) {
        let r = self.http.get(self.url(path)).bearer_auth(token).send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn send(&self, method: reqwest::Method, token: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self.http.request(method, self.url(path)).bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn post(&self, token: &str, path: &str, body: Value) -> (u16, Value) {
        self.send(reqwest::Method::POST, token, path, Some(body)).await
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
        self.store.close().await;
        if let Some(db) = self.db.take() {
            db.cleanup().await;
        }
    }
}

/// A complete application body, as an integration would send it.
pub fn application(name: &str) -> Value {
    serde_json::json!({
        "name": name,
        "category": "business",
        "construction_type": "new",
        "description": "为全市中小学提供统一的教学资源共享服务",
        "objectives": "覆盖全市 300 所学校",
        "mlps_level": 3,
        "produces_shared_data": true,
        "planned_start": "2027-03-01",
        "planned_finish": "2027-12-31",
        "modules": [
            {"name": "资源检索", "description": "按学段学科检索", "estimate_fen": 800_000_000},
            {"name": "统一身份认证对接", "estimate_fen": 100_000_000}
        ],
        "budget_lines": [
            {"kind": "software", "item": "平台软件开发", "amount_fen": 900_000_000},
            {"kind": "hardware", "item": "服务器", "amount_fen": 300_000_000}
        ]
    })
}
