//! The flow that matters, in real headless Chromium: a department drafts and submits, the bureau
//! reviews and forwards, the leadership approves, and the project shows in the annual plan.
//! Screenshots of the main pages go to `screenshots/` at the workspace root (or
//! `TONGCHOU_SCREENSHOTS`).

use crate::spawn_app;
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tongchou_store::Backend;

struct Driver {
    child: Child,
    profile: PathBuf,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn start_driver() -> Driver {
    let port = free_port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver is installed (scripts/test.sh installs chromium-driver)");
    let profile = std::env::temp_dir().join(format!("tongchou-chrome-{port}"));
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Driver { child, profile, port }
}

async fn browser(driver: &Driver) -> Client {
    // Two rustls crypto providers are linked (through reqwest and fantoccini): choose one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let caps = serde_json::json!({"goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--window-size=1400,1000",
        format!("--user-data-dir={}", driver.profile.display())]}});
    ClientBuilder::rustls()
        .expect("tls")
        .capabilities(caps.as_object().unwrap().clone())
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a Chromium session")
}

fn shots_dir() -> PathBuf {
    let dir = std::env::var("TONGCHOU_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../screenshots")));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(shots_dir().join(format!("{name}.png")), png).unwrap();
}

async fn sign_in(c: &Client, base: &str, user: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    c.find(Locator::Id("username")).await.unwrap().send_keys(user).await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys("tongchou-demo").await.unwrap();
    c.find(Locator::Id("login-submit")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Id("whoami")).await.unwrap();
}

async fn sign_out(c: &Client) {
    c.find(Locator::Id("logout")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Id("login-submit")).await.unwrap();
}

async fn fill(c: &Client, id: &str, text: &str) {
    let e = c.find(Locator::Id(id)).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

async fn click(c: &Client, id: &str) {
    c.find(Locator::Id(id)).await.unwrap().click().await.unwrap();
}

async fn state(c: &Client) -> String {
    c.find(Locator::Id("project-state")).await.unwrap().attr("data-state").await.unwrap().unwrap_or_default()
}

#[tokio::test]
async fn draft_submit_review_forward_approve_lands_in_the_annual_plan() {
    let app = spawn_app(Backend::Sqlite).await;
    let base = format!("http://{}", app.addr);
    let driver = start_driver().await;
    let c = browser(&driver).await;
    let name = "全市中小学智慧课堂资源平台";

    sign_in(&c, &base, "dept_staff").await;
    shot(&c, "01-todo-dept-staff").await;
    click(&c, "nav-new").await;
    fill(&c, "name", name).await;
    fill(&c, "description", "建设全市统一的课堂教学资源平台,支撑 300 所中小学。").await;
    c.execute(
        "document.getElementById('planned_start').value='2027-03-01';document.getElementById('planned_finish').value='2027-12-31';",
        vec![],
    )
    .await
    .unwrap();
    fill(&c, "module_name_0", "课堂资源库").await;
    fill(&c, "module_estimate_0", "320.5").await;
    fill(&c, "module_name_1", "教学行为分析").await;
    fill(&c, "line_item_1", "资源平台软件").await;
    fill(&c, "line_amount_1", "420.5").await;
    fill(&c, "line_item_0", "服务器及存储").await;
    fill(&c, "line_amount_0", "180").await;
    shot(&c, "02-application-form").await;
    click(&c, "save-draft").await;
    c.wait().for_element(Locator::Id("project-state")).await.unwrap();
    assert_eq!(state(&c).await, "draft");
    assert_eq!(c.find(Locator::Id("budget")).await.unwrap().text().await.unwrap(), "600.50", "万元 are exact");
    let url = c.current_url().await.unwrap();
    let project_path = url.path().to_string();
    click(&c, "act-submit").await;
    c.wait().for_element(Locator::Id("notice")).await.unwrap();
    assert_eq!(state(&c).await, "submitted");
    let code = c.find(Locator::Id("project-code")).await.unwrap().text().await.unwrap();
    assert!(code.contains("-JYJ-"), "{code}");
    shot(&c, "03-project-submitted").await;
    sign_out(&c).await;

    sign_in(&c, &base, "reviewer").await;
    let todo = c.find(Locator::Id("todo-table")).await.unwrap().text().await.unwrap();
    assert!(todo.contains(name), "the reviewer's to-do lists the new application");
    c.goto(&format!("{base}{project_path}")).await.unwrap();
    click(&c, "act-accept").await;
    c.wait().for_element(Locator::Id("notice")).await.unwrap();
    assert_eq!(state(&c).await, "under_review");
    // forwarding before a review is refused with the rule's words
    click(&c, "act-forward").await;
    let err = c.wait().for_element(Locator::Id("error")).await.unwrap().text().await.unwrap();
    assert!(err.contains("可行性评审"), "{err}");
    fill(&c, "economic_text", "服务器配置可利用政务云,建议压减。").await;
    fill(&c, "recommended_wan", "560").await;
    click(&c, "save-review").await;
    c.wait().for_element(Locator::Id("notice")).await.unwrap();
    shot(&c, "04-review").await;
    click(&c, "act-forward").await;
    c.wait().for_element(Locator::Id("notice")).await.unwrap();
    assert_eq!(state(&c).await, "pending_decision");
    sign_out(&c).await;

    sign_in(&c, &base, "leadership").await;
    c.goto(&format!("{base}{project_path}")).await.unwrap();
    fill(&c, "comment", "同意列入年度计划").await;
    click(&c, "act-approve").await;
    c.wait().for_element(Locator::Id("notice")).await.unwrap();
    assert_eq!(state(&c).await, "planned");
    assert_eq!(c.find(Locator::Id("approved")).await.unwrap().text().await.unwrap(), "560.00");
    shot(&c, "05-project-planned").await;
    let history = c.find(Locator::Id("history")).await.unwrap().text().await.unwrap();
    assert!(history.contains("同意列入年度计划") && history.contains("批准列入年度计划"), "{history}");
    click(&c, "nav-plan").await;
    let items = c.wait().for_element(Locator::Id("plan-items")).await.unwrap().text().await.unwrap();
    assert!(items.contains(name) && items.contains(&code), "the plan lists the project");
    shot(&c, "06-annual-plan").await;
    click(&c, "nav-projects").await;
    c.wait().for_element(Locator::Id("projects-table")).await.unwrap();
    shot(&c, "07-projects-list").await;
    // English on request
    click(&c, "lang-switch").await;
    let title = c.wait().for_element(Locator::Css("h1")).await.unwrap().text().await.unwrap();
    assert_eq!(title, "Projects");
    shot(&c, "08-projects-list-en").await;

    c.close().await.unwrap();
    drop(driver);
    app.stop().await;
}
