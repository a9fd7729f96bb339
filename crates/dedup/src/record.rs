//! The records the detector reads: systems (系统台账), capabilities (共性服务能力) and
//! applications (申报项目), in the shapes of the batch files (`systems.jsonl`,
//! `capabilities.jsonl`, `applications.jsonl`).

use serde::{Deserialize, Serialize};

/// A module (功能模块): a name and an optional description. In JSON either a plain string or
/// `{"name": "...", "description": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModuleRecord {
    /// Module name as written by the department.
    pub name: String,
    /// Optional description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl ModuleRecord {
    /// A module with a name only.
    pub fn named(name: impl Into<String>) -> Self {
        ModuleRecord { name: name.into(), description: None }
    }
}

impl<'de> Deserialize<'de> for ModuleRecord {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Object {
            name: String,
            #[serde(default)]
            description: Option<String>,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Name(String),
            Object(Object),
        }
        match Either::deserialize(d) {
            Ok(Either::Name(name)) => Ok(ModuleRecord { name, description: None }),
            Ok(Either::Object(o)) => Ok(ModuleRecord { name: o.name, description: o.description }),
            Err(_) => Err(serde::de::Error::custom("a module must be a string or {\"name\": \"...\", \"description\": \"...\"}")),
        }
    }
}

/// An existing information system of the inventory (系统台账), or an application (申报项目): both
/// have an id, a name, a department, a description and modules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemRecord {
    /// System code / id.
    pub id: String,
    /// System name.
    pub name: String,
    /// Owner department.
    #[serde(default)]
    pub department: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Modules.
    #[serde(default)]
    pub modules: Vec<ModuleRecord>,
}

/// An application (申报项目) has the same shape as a system.
pub type ApplicationRecord = SystemRecord;

/// A shared capability (共性服务能力) of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapabilityRecord {
    /// Capability id.
    pub id: String,
    /// Capability name.
    pub name: String,
    /// Description (what it provides).
    #[serde(default)]
    pub description: Option<String>,
}

/// Which kind of corpus item a candidate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// A module of an existing system.
    System,
    /// A shared capability.
    Capability,
    /// A module of another pending application.
    Application,
}

impl SourceKind {
    /// The code used in files and APIs (the serde name: `system`, `capability`, `application`).
    pub fn code(self) -> &'static str {
        match self {
            SourceKind::System => "system",
            SourceKind::Capability => "capability",
            SourceKind::Application => "application",
        }
    }

    /// Chinese label for reasons and pages.
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::System => "已有系统",
            SourceKind::Capability => "共性能力",
            SourceKind::Application => "其他申报",
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn kind_codes_are_the_serde_names() {
        for k in [SourceKind::System, SourceKind::Capability, SourceKind::Application] {
            assert_eq!(serde_json::to_value(k).unwrap(), serde_json::Value::from(k.code()));
        }
    }

    use super::*;

    #[test]
    fn module_forms() {
        let s: SystemRecord =
            serde_json::from_str(r#"{"id":"S1","name":"n","modules":["a",{"name":"b","description":"d"},{"name":"c"}]}"#).unwrap();
        assert_eq!(s.modules[0], ModuleRecord::named("a"));
        assert_eq!(s.modules[1].description.as_deref(), Some("d"));
        assert_eq!(s.modules[2].description, None);
        assert!(serde_json::from_str::<SystemRecord>(r#"{"id":"S1","name":"n","modules":[3]}"#).is_err());
    }
}
