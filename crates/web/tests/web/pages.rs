//! Pages over plain HTTP: language rules, sign-in redirects, every template key translated.

use crate::spawn_app;
use tongchou_store::Backend;

#[tokio::test]
async fn pages_speak_chinese_unless_english_is_chosen() {
    let app = spawn_app(Backend::Sqlite).await;
    // signed out: the sign-in page, zh-CN even for an English browser
    let r = app.http.get(app.url("/projects")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/login?next="));
    let html = app.http.get(app.url("/login")).header("accept-language", "en-US").send().await.unwrap().text().await.unwrap();
    assert!(html.contains("lang=\"zh-CN\"") && html.contains("登录"), "pages do not follow Accept-Language");
    assert!(html.contains("dept_staff") && html.contains("tongchou-demo"), "a demo server lists its users");
    let html = app.http.get(app.url("/login?lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("lang=\"en\"") && html.contains("Sign in"));
    // the switch sets a cookie and goes back
    let r = app.http.get(app.url("/lang/en?back=%2Flogin")).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/login");
    assert!(r.headers()["set-cookie"].to_str().unwrap().starts_with("tc_lang=en"));
    let html = app.http.get(app.url("/login")).header("cookie", "tc_lang=en").send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Sign in"));
    // no CDN: every asset comes from the binary
    assert!(!html.contains("http://") && !html.contains("https://"), "no external asset");
    let css = app.http.get(app.url("/static/app.css")).send().await.unwrap();
    assert_eq!(css.status(), 200);
    assert_eq!(app.http.get(app.url("/healthz")).send().await.unwrap().status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn a_wrong_password_on_the_page_says_so_in_chinese() {
    let app = spawn_app(Backend::Sqlite).await;
    let r =
        app.http.post(app.url("/login")).form(&[("username", "reviewer"), ("password", "nope"), ("next", "/todo")]).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.text().await.unwrap().contains("用户名或密码错误"));
    // a form without its CSRF token is refused
    let r = app.http.post(app.url("/login")).form(&[("username", "reviewer"), ("password", "tongchou-demo")]).send().await.unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let r = app.http.post(app.url("/plans/2030/confirm")).header("cookie", &cookie).form(&[("csrf", "forged")]).send().await.unwrap();
    assert_eq!(r.status(), 403);
    app.stop().await;
}

/// Every `ctx.t("…")` key used by a template exists in the catalog, in both languages.
#[test]
fn every_template_key_is_translated() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
    let mut keys = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for part in text.split("ctx.t(\"").skip(1) {
            let key = part.split('"').next().unwrap();
            for lang in [tongchou_domain::Lang::Zh, tongchou_domain::Lang::En] {
                assert_ne!(tongchou_web::i18n::t(lang, key), "[?]", "missing catalog entry {key}");
            }
            keys += 1;
        }
    }
    assert!(keys > 100, "{keys}");
}
