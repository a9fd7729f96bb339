//! The inventory, the catalogs and imports over the JSON API, on both databases.

use crate::{spawn_app, App, BACKENDS};
use reqwest::Method;
use serde_json::{json, Value};

async fn department_id(app: &App, token: &str, code: &str) -> i64 {
    let (_, v) = app.get(token, "/api/v1/departments").await;
    v.as_array().unwrap().iter().find(|d| d["code"] == code).unwrap()["id"].as_i64().unwrap()
}

async fn upload(app: &App, token: &str, kind: &str, filename: &str, bytes: Vec<u8>) -> (u16, Value) {
    let form = reqwest::multipart::Form::new()
        .text("kind", kind.to_string())
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name(filename.to_string()));
    let r = app.http.post(app.url("/api/v1/imports")).bearer_auth(token).multipart(form).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn systems_total(app: &App, token: &str, q: &str) -> i64 {
    app.get(token, &format!("/api/v1/systems?page_size=1&q={q}")).await.1["total"].as_i64().unwrap()
}

#[tokio::test]
async fn inventory_roles_versions_and_errors() {
    for backend in BACKENDS {
        let app = spawn_app(backend).await;
        let reviewer = app.login("reviewer").await;
        let staff = app.login("dept_staff").await;
        let jyj = department_id(&app, &reviewer, "JYJ").await;
        let body = json!({"code": "T-JYJ-001", "name": "测试教育认证系统", "department_id": jyj, "status": "in_use", "mlps_level": 3,
            "hosting": "gov_cloud", "go_live": "2020-09-01", "annual_om_fen": 350000, "modules": [{"name": "单点登录"}, {"name": "用户中心"}]});
        // a department clerk reads the inventory but may not edit it
        let (s, e) = app.post(&staff, "/api/v1/systems", body.clone()).await;
        assert_eq!((s, e["code"].as_str(), e["rule"].as_str()), (403, Some("forbidden"), Some("policy.manage_catalogs")), "{e}");
        assert_eq!(app.get(&staff, "/api/v1/systems").await.0, 200);
        // a contractor and the admins do not see it at all
        for who in ["contractor", "sysadmin"] {
            let t = app.login(who).await;
            let (s, e) = app.get(&t, "/api/v1/systems").await;
            assert_eq!((s, e["rule"].as_str()), (403, Some("policy.view_catalogs")), "{who}: {e}");
        }
        let (s, c) = app.post(&reviewer, "/api/v1/systems", body.clone()).await;
        assert_eq!(s, 201, "{c}");
        let id = c["id"].as_i64().unwrap();
        let (s, e) = app.post(&reviewer, "/api/v1/systems", body.clone()).await;
        assert_eq!((s, e["fields"][0]["field"].as_str()), (422, Some("code")), "{e}");
        // an operator (运维单位) sees only the systems it operates: those whose operator is its
        // organisation, in the list and by id
        let operator = app.login("operator").await;
        let org = "云数信息运维服务有限公司";
        let (s, list) = app.get(&operator, "/api/v1/systems?page_size=100").await;
        let items = list["items"].as_array().unwrap();
        assert!(s == 200 && !items.is_empty() && items.iter().all(|i| i["operator"] == org), "{list}");
        assert_eq!(app.get(&operator, &format!("/api/v1/systems/{id}")).await.0, 404, "not its system");
        let mut operated = body.clone();
        operated["code"] = json!("T-JYJ-OPS");
        operated["operator"] = json!(org);
        let (s, c) = app.post(&reviewer, "/api/v1/systems", operated).await;
        assert_eq!(s, 201, "{c}");
        assert_eq!(app.get(&operator, &format!("/api/v1/systems/{}", c["id"])).await.0, 200);
        let mut bad = body.clone();
        bad["code"] = json!("T-JYJ-002");
        bad["modules"] = json!([{"name": "ok"}, {"name": "", "description": "没有名称的模块"}]);
        let (s, e) = app.post(&reviewer, "/api/v1/systems", bad).await;
        assert_eq!((s, e["fields"][0]["field"].as_str()), (422, Some("modules[1].name")), "{e}");
        // detail, search by module name, a stale version
        let (s, d) = app.get(&staff, &format!("/api/v1/systems/{id}")).await;
        assert_eq!((s, d["modules"].as_array().unwrap().len(), d["version"].as_i64()), (200, 2, Some(1)), "{d}");
        assert!(systems_total(&app, &staff, "%E7%94%A8%E6%88%B7%E4%B8%AD%E5%BF%83").await >= 1);
        let put =
            |v: &str| app.http.put(app.url(&format!("/api/v1/systems/{id}"))).bearer_auth(&reviewer).header("if-match", v.to_string());
        let r = put("9").json(&body).send().await.unwrap();
        assert_eq!(r.status(), 409);
        assert_eq!(r.json::<Value>().await.unwrap()["code"], "conflict");
        let r = put("1").json(&body).send().await.unwrap();
        assert_eq!(r.json::<Value>().await.unwrap()["version"], 2);
        let (s, v) = app.send(Method::DELETE, &reviewer, &format!("/api/v1/systems/{id}"), None).await;
        assert_eq!((s, v["version"].as_i64()), (200, Some(3)));
        assert_eq!(app.get(&staff, &format!("/api/v1/systems/{id}")).await.1["status"], "retired");
        assert_eq!(app.get(&staff, "/api/v1/systems/999999").await.0, 404);
        // capabilities, rules, synonyms and the catalog version
        let v0 = app.get(&staff, "/api/v1/catalog-version").await.1["version"].as_i64().unwrap();
        let (s, _) = app.post(&reviewer, "/api/v1/capabilities", json!({"code": "T-CAP", "name": "测试能力", "system_ids": [id]})).await;
        assert_eq!(s, 201);
        let (s, r) = app
            .post(
                &reviewer,
                "/api/v1/directory-rules",
                json!({"class": "forbidden", "title": "禁止新建单点登录", "keywords": ["单点登录"], "construction_types": ["new"]}),
            )
            .await;
        assert_eq!(s, 201, "{r}");
        let (s, m) = app
            .post(
                &staff,
                "/api/v1/directory-rules/check",
                json!({"name": "某系统", "category": "business", "construction_type": "new",
                "modules": [{"name": "ＳＳＯ单点 登录"}]}),
            )
            .await;
        assert_eq!(s, 200, "{m}");
        assert!(
            m["matches"].as_array().unwrap().iter().any(|x| x["title"] == "禁止新建单点登录" && x["hits"][0]["field"] == "modules[0].name"),
            "{m}"
        );
        let (s, e) = app.post(&reviewer, "/api/v1/synonyms", json!({"terms": ["用户中心"]})).await;
        assert_eq!((s, e["fields"][0]["field"].as_str()), (422, Some("terms")));
        assert_eq!(app.post(&reviewer, "/api/v1/synonyms", json!({"terms": ["用户中心", "账号中心"], "note": "别名"})).await.0, 201);
        let (_, syn) = app.get(&staff, "/api/v1/synonyms?builtin=true").await;
        assert!(syn["builtin"].as_array().unwrap().len() > 100 && !syn["items"].as_array().unwrap().is_empty());
        let v1 = app.get(&staff, "/api/v1/catalog-version").await.1["version"].as_i64().unwrap();
        assert_eq!(v1, v0 + 3);
        app.stop().await;
    }
}

const HEADER: &str = "代码,名称,主管部门,运维单位,模块,状态,等保级别,部署方式,上线日期,年运维费用(万元)\n";

#[tokio::test]
async fn a_csv_import_reports_bad_rows_and_writes_nothing_until_clean() {
    for backend in BACKENDS {
        let app = spawn_app(backend).await;
        let reviewer = app.login("reviewer").await;
        let staff = app.login("dept_staff").await;
        let bad = format!(
            "{HEADER}T-IMP-001,教育短信平台,市教育局,云数信息,短信发送；消息推送,在用,2,政务云,2021-06-30,12.5\n\
             T-IMP-002,卫健地图,市卫生健康委,,电子地图、GIS服务,在用,四,自建机房,2020/1/5,3\n\
             T-IMP-001,重复的代码,市教育局,,,在用,2,政务云,,\n"
        );
        // a clerk may not import
        assert_eq!(upload(&app, &staff, "systems", "家底.csv", bad.clone().into_bytes()).await.0, 403);
        let audit_before = app.store.audit_count().await.unwrap();
        let (s, st) = upload(&app, &reviewer, "systems", "家底.csv", bad.into_bytes()).await;
        assert_eq!(s, 201, "{st}");
        assert_eq!(st["status"], "ready");
        assert_eq!(st["confirmable"], false);
        let summary = &st["report"]["summary"];
        assert_eq!((summary["new"].as_i64(), summary["rejected"].as_i64()), (Some(2), Some(1)), "{st}");
        let dup = &st["report"]["rows"][2];
        assert_eq!(dup["line"], 4);
        assert!(dup["problems"][0]["zh"].as_str().unwrap().contains("与第 2 行重复"), "{dup}");
        let token = st["token"].as_str().unwrap().to_string();
        let (s, e) = app.post(&reviewer, &format!("/api/v1/imports/{token}/confirm"), json!({})).await;
        assert_eq!((s, e["rule"].as_str()), (409, Some("import.has_errors")), "{e}");
        assert_eq!(systems_total(&app, &staff, "T-IMP").await, 0, "nothing written");
        assert_eq!(app.store.audit_count().await.unwrap(), audit_before);
        // another reviewer's import is not ours to see
        let (s, _) = app.get(&staff, &format!("/api/v1/imports/{token}")).await;
        assert_eq!(s, 403);
        // fixed: the report is clean and confirming writes every row
        let good = format!(
            "{HEADER}T-IMP-001,教育短信平台,市教育局,云数信息,短信发送；消息推送,在用,2,政务云,2021-06-30,12.5\n\
             T-IMP-002,卫健地图,WJW,,电子地图、GIS服务,在用,四级,自建机房,2020/1/5,3\n"
        );
        let (s, st) = upload(&app, &reviewer, "systems", "家底.csv", good.into_bytes()).await;
        assert_eq!((s, st["confirmable"].as_bool()), (201, Some(true)), "{st}");
        let token = st["token"].as_str().unwrap().to_string();
        let (s, sum) = app.post(&reviewer, &format!("/api/v1/imports/{token}/confirm"), json!({})).await;
        assert_eq!((s, sum["new"].as_i64()), (200, Some(2)), "{sum}");
        assert_eq!(systems_total(&app, &staff, "T-IMP").await, 2);
        let (_, list) = app.get(&staff, "/api/v1/systems?q=T-IMP-002").await;
        let map = &list["items"][0];
        assert_eq!(
            (map["mlps_level"].as_i64(), map["hosting"].as_str(), map["go_live"].as_str()),
            (Some(4), Some("own_room"), Some("2020-01-05"))
        );
        assert_eq!(app.get(&reviewer, &format!("/api/v1/imports/{token}")).await.1["status"], "applied");
        app.stop().await;
    }
}

#[tokio::test]
async fn xlsx_and_jsonl_imports_and_a_real_export() {
    for backend in BACKENDS {
        let app = spawn_app(backend).await;
        let reviewer = app.login("reviewer").await;
        // an Excel file built as a clerk would (a date cell, a number cell)
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (c, h) in ["系统编号", "系统名称", "主管部门", "功能模块", "等保级别", "上线日期", "年运维费用（万元）"].iter().enumerate()
        {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_string(1, 0, "T-XL-001").unwrap();
        ws.write_string(1, 1, "交通GIS一张图").unwrap();
        ws.write_string(1, 2, "市交通运输局").unwrap();
        ws.write_string(1, 3, "GIS地图服务\n车辆定位").unwrap();
        ws.write_number(1, 4, 3.0).unwrap();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2022, 3, 15).unwrap();
        ws.write_datetime_with_format(1, 5, &date, &rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd")).unwrap();
        ws.write_number(1, 6, 20.25).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let (s, st) = upload(&app, &reviewer, "systems", "台账.xlsx", bytes).await;
        assert_eq!((s, st["confirmable"].as_bool()), (201, Some(true)), "{st}");
        let (s, _) = app.post(&reviewer, &format!("/api/v1/imports/{}/confirm", st["token"].as_str().unwrap()), json!({})).await;
        assert_eq!(s, 200);
        let (_, list) = app.get(&reviewer, "/api/v1/systems?q=T-XL-001").await;
        let row = &list["items"][0];
        assert_eq!(
            (row["go_live"].as_str(), row["annual_om_fen"].as_i64(), row["module_count"].as_i64()),
            (Some("2022-03-15"), Some(20_250_000), Some(2)),
            "{row}"
        );
        // the JSON Lines format, module strings or objects
        let jsonl = "{\"id\": \"T-JL-001\", \"name\": \"民政用户中心\", \"department\": \"市民政局\", \"description\": \"账号体系\", \"modules\": [\"用户中心\", {\"name\": \"短信平台\", \"description\": \"验证码\"}]}\n\
                     {\"id\": \"T-JL-002\", \"name\": \"文旅电子地图\", \"department\": \"WLJ\", \"modules\": [{\"name\": \"电子地图\"}]}\n";
        let (s, st) = upload(&app, &reviewer, "systems", "systems.jsonl", jsonl.as_bytes().to_vec()).await;
        assert_eq!((s, st["report"]["summary"]["new"].as_i64()), (201, Some(2)), "{st}");
        let (s, _) = app.post(&reviewer, &format!("/api/v1/imports/{}/confirm", st["token"].as_str().unwrap()), json!({})).await;
        assert_eq!(s, 200);
        let (_, list) = app.get(&reviewer, "/api/v1/systems?q=T-JL-001").await;
        let id = list["items"][0]["id"].as_i64().unwrap();
        let (_, d) = app.get(&reviewer, &format!("/api/v1/systems/{id}")).await;
        assert_eq!(d["modules"][1]["description"], "验证码");
        // capabilities from JSON Lines naming systems by code
        let caps = "{\"id\": \"T-CAP-MAP\", \"name\": \"地理信息公共服务平台\", \"description\": \"电子地图\", \"systems\": \"T-JL-002；T-XL-001\"}\n";
        let (s, st) = upload(&app, &reviewer, "capabilities", "caps.jsonl", caps.as_bytes().to_vec()).await;
        assert_eq!((s, st["confirmable"].as_bool()), (201, Some(true)), "{st}");
        app.post(&reviewer, &format!("/api/v1/imports/{}/confirm", st["token"].as_str().unwrap()), json!({})).await;
        let (_, c) = app.get(&reviewer, "/api/v1/capabilities?q=T-CAP-MAP").await;
        assert_eq!(c["items"][0]["system_count"], 2, "{c}");
        // the export is a real workbook that reads back
        let r = app.http.get(app.url("/api/v1/systems/export.xlsx?q=T-")).bearer_auth(&reviewer).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let bytes = r.bytes().await.unwrap().to_vec();
        assert_eq!(&bytes[..2], b"PK");
        use calamine::Reader;
        let mut wb = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = wb.worksheet_range_at(0).unwrap().unwrap();
        let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
        assert_eq!(rows[0][0], "代码");
        let codes: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
        for code in ["T-XL-001", "T-JL-001", "T-JL-002"] {
            assert!(codes.contains(&code), "{codes:?}");
        }
        let jl = rows.iter().find(|r| r[0] == "T-JL-001").unwrap();
        assert_eq!(jl[5], "用户中心；短信平台");
        // the template downloads
        let r = app.http.get(app.url("/api/v1/imports/templates/systems")).bearer_auth(&reviewer).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(&r.bytes().await.unwrap()[..2], b"PK");
        // a file in an unknown format is refused clearly
        let (s, st) = upload(&app, &reviewer, "systems", "notes.doc", vec![1, 2, 3]).await;
        assert_eq!((s, st["status"].as_str()), (201, Some("failed")), "{st}");
        assert!(st["report"]["file_problems"][0]["zh"].as_str().unwrap().contains("无法识别的文件类型"));
        app.stop().await;
    }
}

async fn page_login(app: &App, username: &str) -> String {
    let r = app
        .http
        .post(app.url("/login"))
        .form(&[("username", username), ("password", crate::PASSWORD), ("next", "/todo")])
        .send()
        .await
        .unwrap();
    r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string()
}

async fn page(app: &App, cookie: &str, path: &str) -> (u16, String) {
    let r = app.http.get(app.url(path)).header("cookie", cookie).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn the_demo_inventory_pages_render_for_those_who_may_see_them() {
    let app = spawn_app(tongchou_store::Backend::Sqlite).await;
    let reviewer = page_login(&app, "reviewer").await;
    let (s, html) = page(&app, &reviewer, "/systems?q=%E8%AE%A4%E8%AF%81").await;
    assert_eq!(s, 200);
    assert!(
        html.contains("云州市统一身份认证平台") && html.contains("id=\"import\""),
        "the demo inventory is there, with import for reviewers"
    );
    // sorting keeps the search: the sorted column's link reverses the order, and the Excel link
    // exports this very view
    let (_, sorted) = page(&app, &reviewer, "/systems?q=%E8%AE%A4%E8%AF%81&sort=name&order=asc").await;
    assert!(sorted.contains("href=\"/systems?q=%E8%AE%A4%E8%AF%81&#38;sort=name&#38;order=desc&#38;page=1\""), "{sorted}");
    assert!(sorted.contains("/api/v1/systems/export.xlsx?q=%E8%AE%A4%E8%AF%81&#38;sort=name&#38;order=asc\""));
    assert!(sorted.contains(" ▲"));
    let id = html.split("<td><a href=\"/systems/").nth(1).unwrap().split('"').next().unwrap().to_string();
    let (s, html) = page(&app, &reviewer, &format!("/systems/{id}")).await;
    assert!(s == 200 && html.contains("id=\"history\"") && html.contains("id=\"retire\""), "{s}");
    for path in
        ["/systems/new", "/capabilities", "/directory", "/directory/new", "/synonyms", "/imports?kind=capabilities", "/capabilities/new"]
    {
        let (s, html) = page(&app, &reviewer, path).await;
        assert_eq!(s, 200, "{path}: {html}");
        assert!(!html.contains("[?]"), "{path} shows an untranslated key");
    }
    let (_, html) = page(&app, &reviewer, "/capabilities").await;
    assert!(html.contains("统一身份认证平台") && html.contains("视频共享平台"));
    let (_, html) = page(&app, &reviewer, "/directory").await;
    assert!(html.contains("rule-forbidden") && html.contains("禁止自建机房"));
    // a reviewer adds a synonym group through the form
    let (_, html) = page(&app, &reviewer, "/synonyms").await;
    let csrf = html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let r = app
        .http
        .post(app.url("/synonyms"))
        .header("cookie", &reviewer)
        .form(&[("csrf", csrf.as_str()), ("terms", "GIS地图\n电子地图展示"), ("note", "测试")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(page(&app, &reviewer, "/synonyms").await.1.contains("GIS地图 ≈ 电子地图展示"));
    // a system is linked to a project by the project's code, picked from the form's list; an
    // unknown code is refused on the field and nothing is written
    let (_, html) = page(&app, &reviewer, "/systems/new").await;
    let csrf = html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let dept = html
        .split("name=\"department_id\"")
        .nth(1)
        .unwrap()
        .split("<option value=\"")
        .nth(2)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let choices = html.split("<datalist id=\"project-choices\">").nth(1).unwrap().split("</datalist>").next().unwrap();
    let project_code =
        choices.split("<option value=\"").nth(1).expect("the demo has projects with codes").split('"').next().unwrap().to_string();
    let post = |project: String| {
        let form = [
            ("csrf", csrf.clone()),
            ("code", "XT-LINK-01".to_string()),
            ("name", "课堂资源平台运维系统".to_string()),
            ("department_id", dept.clone()),
            ("module_name_0", "资源目录".to_string()),
            ("module_desc_0", String::new()),
            ("project", project),
        ];
        app.http.post(app.url("/systems/new")).header("cookie", &reviewer).form(&form).send()
    };
    let r = post("2099-NOPE-0001".into()).await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("没有项目编号为“2099-NOPE-0001”的项目"));
    assert!(!page(&app, &reviewer, "/systems?q=XT-LINK-01").await.1.contains("课堂资源平台运维系统"), "nothing was written");
    let r = post(project_code.clone()).await.unwrap();
    assert_eq!(r.status(), 303);
    let detail = r.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_string();
    let (_, html) = page(&app, &reviewer, &detail).await;
    assert!(html.contains(&format!("{project_code} ")), "the detail page links the project: {detail}");
    let (_, html) = page(&app, &reviewer, &format!("{detail}/edit")).await;
    assert!(
        html.contains(&format!("name=\"project\" id=\"project\" list=\"project-choices\" value=\"{project_code}\"")),
        "the edit form shows the code"
    );
    // a clerk sees the lists without edit buttons, and may not open a form
    let staff = page_login(&app, "dept_staff").await;
    let (s, html) = page(&app, &staff, "/systems").await;
    assert!(s == 200 && !html.contains("id=\"new-system\""));
    assert_eq!(page(&app, &staff, "/systems/new").await.0, 403);
    // a contractor does not see the inventory, nor its nav link
    let contractor = page_login(&app, "contractor").await;
    assert_eq!(page(&app, &contractor, "/systems").await.0, 403);
    assert!(!page(&app, &contractor, "/todo").await.1.contains("nav-systems"));
    app.stop().await;
}
